//! Line breaking for Chinese text with Latin words and numbers in it (档号, 文号, amounts).

use super::fonts::{is_variation_selector, Fonts};

/// Closing punctuation a line may not start with.
const NO_LINE_START: &str = "，。、；：？！）》」』〕】〉”’…,.;:!?)]}%";
/// Opening punctuation a line may not end with.
const NO_LINE_END: &str = "（《「『〔【〈“‘([{";

/// Breaks `text` into lines no wider than `width` at `size`: anywhere between Chinese
/// characters, but not before closing punctuation nor inside a Latin word or number when the
/// line has room to break elsewhere. A line break in the text starts a new line.
pub(super) fn wrap(fonts: &Fonts, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let chars: Vec<char> = paragraph
            .chars()
            .filter(|&c| c != '\r')
            .map(|c| if c == '\t' { ' ' } else { c })
            .collect();
        let mut start = 0;
        loop {
            let mut end = start;
            let mut used = 0.0;
            while end < chars.len() {
                let w = fonts.char_width(chars[end], size);
                if used + w > width && end > start {
                    break;
                }
                used += w;
                end += 1;
            }
            if end < chars.len() {
                end = break_point(&chars, start, end);
            }
            lines.push(
                chars[start..end]
                    .iter()
                    .collect::<String>()
                    .trim_end()
                    .to_string(),
            );
            start = end;
            while chars.get(start) == Some(&' ') {
                start += 1;
            }
            if start >= chars.len() {
                break;
            }
        }
    }
    lines
}

fn break_point(chars: &[char], start: usize, end: usize) -> usize {
    let held = |end: usize| {
        let next = chars[end];
        NO_LINE_START.contains(next)
            || is_variation_selector(next)
            || NO_LINE_END.contains(chars[end - 1])
    };
    if held(end) {
        let mut end = end;
        while end - start > 1 && held(end) {
            end -= 1;
        }
        return end;
    }
    if chars[end].is_ascii_alphanumeric() && chars[end - 1].is_ascii_alphanumeric() {
        let breakable =
            |i: &usize| matches!(chars[i - 1], ' ' | '-' | '/') || !chars[i - 1].is_ascii();
        if let Some(i) = (start + 1..end).rev().find(breakable) {
            return i;
        }
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapped_lines_fit_keep_words_and_closing_punctuation_and_lose_nothing() {
        let fonts = Fonts::load().unwrap();
        let text =
            "调入县第二机械厂，任 Senior Engineer（高级工程师）。档号 J012-WS·1998-Y-0034 续";
        for width in [60.0, 90.0, 130.0, 200.0] {
            let lines = wrap(&fonts, text, 10.0, width);
            assert_eq!(lines.concat().replace(' ', ""), text.replace(' ', ""));
            for line in &lines {
                assert!(
                    fonts.width(line, 10.0) <= width,
                    "{line} wider than {width}"
                );
                assert!(!line.starts_with(['，', '。', '）']), "{lines:?}");
            }
            for word in ["Senior", "Engineer", "J012", "1998", "0034"] {
                assert!(
                    lines.iter().any(|l| l.contains(word)),
                    "{word} cut: {lines:?}"
                );
            }
        }
        assert_eq!(wrap(&fonts, "甲\n乙", 10.0, 100.0), ["甲", "乙"]);
        assert_eq!(wrap(&fonts, "", 10.0, 100.0), [""]);
    }
}
