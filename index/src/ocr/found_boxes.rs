//! Where on a page the words a search found stand: the characters of a kept line that a match
//! covers, joined into one box from the first character's left side to the last one's right.

use super::stored_lines::StoredLine;

/// A line's box over the characters at byte offsets [from, to) of its text; None when the
/// line's characters do not spell its text (then nothing can be placed).
pub fn box_over(line: &StoredLine, from: usize, to: usize) -> Option<[f32; 8]> {
    let spelt: String = line.chars.iter().map(|c| c.text.as_str()).collect();
    if spelt != line.text {
        return None;
    }
    let mut at = 0;
    let mut first = None;
    let mut last = None;
    for (i, c) in line.chars.iter().enumerate() {
        let end = at + c.text.len();
        if end > from && at < to {
            first.get_or_insert(i);
            last = Some(i);
        }
        at = end;
    }
    let (a, b) = (&line.chars[first?].quad, &line.chars[last?].quad);
    // Top-left and bottom-left of the first character, top-right and bottom-right of the last.
    Some([a[0], a[1], b[2], b[3], b[4], b[5], a[6], a[7]])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::stored_lines::StoredChar;

    fn char_at(text: &str, x: f32) -> StoredChar {
        StoredChar {
            text: text.into(),
            quad: [x, 10.0, x + 20.0, 10.0, x + 20.0, 30.0, x, 30.0],
        }
    }

    #[test]
    fn a_match_is_boxed_from_its_first_character_to_its_last() {
        let line = StoredLine {
            text: "姓名王立军".into(),
            confidence: 0.9,
            quad: [0.0; 8],
            chars: ["姓", "名", "王", "立", "军"]
                .iter()
                .enumerate()
                .map(|(i, c)| char_at(c, i as f32 * 20.0))
                .collect(),
        };
        // 王立军 is bytes 6..15.
        assert_eq!(
            box_over(&line, 6, 15),
            Some([40.0, 10.0, 100.0, 10.0, 100.0, 30.0, 40.0, 30.0])
        );
        let misspelt = StoredLine {
            text: "王立".into(),
            ..line
        };
        assert_eq!(box_over(&misspelt, 0, 3), None);
    }
}
