//! Every person's name the archive holds, hidden wherever it appears in a published text.
//! Texts and names are compared as names are (`normalize_name`: simplified, widths folded, no
//! spaces), so that 劉建國 or 刘 建国 in a title is found by 刘建国; the text goes out in that form.

use crate::text::name::normalize_name;
use aho_corasick::{AhoCorasick, MatchKind};

pub struct NameMask {
    /// None when the archive holds no name of two characters or more.
    names: Option<AhoCorasick>,
}

impl NameMask {
    /// A mask of `names` (folded already or not); names of one character are not masked, as
    /// they would hide every word they are part of.
    pub fn new(names: &[String]) -> NameMask {
        let mut folded: Vec<String> = names
            .iter()
            .map(|n| normalize_name(n))
            .filter(|n| n.chars().count() >= 2)
            .collect();
        folded.sort_unstable();
        folded.dedup();
        let names = (!folded.is_empty()).then(|| {
            // Leftmost-longest, so that 张三丰 is not left as ＊＊丰 by 张三.
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&folded)
                .expect("names make a valid automaton")
        });
        NameMask { names }
    }

    /// `text` with each name hidden, one `＊` per character, and ID numbers and amounts hidden.
    pub fn mask(&self, text: &str) -> String {
        let folded = normalize_name(text);
        let named = match &self.names {
            Some(names) => {
                let mut out = String::with_capacity(folded.len());
                let mut at = 0;
                for found in names.find_iter(&folded) {
                    out.push_str(&folded[at..found.start()]);
                    let hidden = folded[found.start()..found.end()].chars().count();
                    out.push_str(&"＊".repeat(hidden));
                    at = found.end();
                }
                out.push_str(&folded[at..]);
                out
            }
            None => folded,
        };
        crate::privacy::mask_text(&named)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_hidden_however_written_and_the_longest_first() {
        let mask = NameMask::new(&["张三".into(), "张三丰".into(), "刘建国".into(), "王".into()]);
        assert_eq!(
            mask.mask("关于同意张三丰同志退休的批复"),
            "关于同意＊＊＊同志退休的批复"
        );
        assert_eq!(mask.mask("劉 建國等人工资调整"), "＊＊＊等人工资调整");
        // A one-character name is not a name to hide.
        assert_eq!(mask.mask("王家坝小学"), "王家坝小学");
        assert_eq!(NameMask::new(&[]).mask("文书档案"), "文书档案");
    }

    #[test]
    fn id_numbers_are_never_whole_in_a_masked_text() {
        let mask = NameMask::new(&[]);
        let masked = mask.mask("身份证号430102195003041234的证明");
        assert!(!masked.contains("430102195003041234"), "{masked}");
    }
}
