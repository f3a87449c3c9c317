//! Person names folded so that the ways one name gets written compare equal.

use super::{fold_width, to_simplified};

/// The one middle dot of minority names (阿依古丽·买买提).
const DOT: char = '·';
/// Stands for a character the clerk could not type.
const PLACEHOLDER: char = '□';

/// Variant characters (异体字) that OpenCC t2s leaves alone; the test proves each is untouched.
const VARIANTS: &[(char, char)] = &[
    ('喆', '哲'),
    ('堃', '坤'),
    ('淸', '清'),
    ('靑', '青'),
    ('衞', '卫'),
    ('寳', '宝'),
    ('峩', '峨'),
    ('栢', '柏'),
    ('邨', '村'),
    ('廸', '迪'),
    ('囯', '国'),
    ('冨', '富'),
    ('寗', '宁'),
    ('锺', '钟'),
    ('敍', '叙'),
    ('歳', '岁'),
];

/// NFKC, traditional→simplified, no whitespace, one middle dot, variants and placeholders folded,
/// Latin lowercased.
pub fn normalize_name(raw: &str) -> String {
    let folded = fold_width(raw);
    let simplified = to_simplified(&folded);
    let mut out = String::with_capacity(simplified.len());
    for c in simplified.chars() {
        if c.is_whitespace() || matches!(c, '\u{200B}' | '\u{FEFF}') {
            continue;
        }
        if is_dot(c) {
            // Dots only separate parts: none leading, none doubled.
            if !out.is_empty() && !out.ends_with(DOT) {
                out.push(DOT);
            }
            continue;
        }
        if is_placeholder(c) {
            out.push(PLACEHOLDER);
            continue;
        }
        let c = VARIANTS
            .iter()
            .find(|(from, _)| *from == c)
            .map_or(c, |&(_, to)| to);
        out.extend(c.to_lowercase());
    }
    if out.ends_with(DOT) {
        out.pop();
    }
    out
}

/// True when a character of the name was not typeable and was entered as a placeholder.
pub fn has_placeholder(name: &str) -> bool {
    name.chars().any(is_placeholder)
}

fn is_dot(c: char) -> bool {
    matches!(
        c,
        '·' | '•' | '‧' | '・' | '･' | '⋅' | '∙' | '\u{0387}' | '.' | '。' | '．' | '｡' | '丶'
    )
}

/// ○ and 〇 are left out: both occur in real names.
fn is_placeholder(c: char) -> bool {
    matches!(
        c,
        '□' | '■' | '◻' | '◼' | '⬜' | '⬛' | '▢' | '?' | '？' | '*' | '＊'
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_and_width() {
        assert_eq!(normalize_name("劉建國"), "刘建国");
        assert_eq!(normalize_name("乾坤"), "乾坤");
        assert_eq!(normalize_name("王ＡＢ"), "王ab");
    }

    #[test]
    fn whitespace_removed() {
        for s in [
            "王　磊",
            "王 磊",
            " 王磊 ",
            "王\u{00A0}磊",
            "王\t磊",
            "王\u{3000}\u{3000}磊",
            "王\u{200B}磊",
        ] {
            assert_eq!(normalize_name(s), "王磊", "{s:?}");
        }
    }

    #[test]
    fn middle_dots() {
        for dot in [
            "·", "•", "‧", "・", "･", "⋅", "∙", "\u{0387}", ".", "。", "．", "丶", " · ", "··",
        ] {
            let s = format!("阿依古丽{dot}买买提");
            assert_eq!(normalize_name(&s), "阿依古丽·买买提", "{s:?}");
        }
        assert_eq!(normalize_name("·阿依古丽·买买提。"), "阿依古丽·买买提");
    }

    #[test]
    fn variants_not_folded_by_opencc() {
        for &(from, to) in VARIANTS {
            let s = from.to_string();
            assert_eq!(
                to_simplified(&s),
                s,
                "OpenCC already folds {from}; drop it from the table"
            );
            assert_eq!(normalize_name(&s), to.to_string());
        }
        assert_eq!(normalize_name("王喆"), normalize_name("王哲"));
        assert_eq!(normalize_name("李堃"), "李坤");
        // OpenCC folds these itself, so they need no table entry.
        assert_eq!(normalize_name("甯峯羣"), "宁峰群");
    }

    #[test]
    fn placeholders() {
        for s in ["王□", "王■", "王◻", "王⬜", "王?", "王？", "王*", "王＊"] {
            assert_eq!(normalize_name(s), "王□", "{s}");
            assert!(has_placeholder(s), "{s}");
        }
        assert!(!has_placeholder("王磊"));
        // 〇 and ○ are kept: they can be real characters of a name.
        assert_eq!(normalize_name("李〇"), "李〇");
        assert!(!has_placeholder("李〇"));
    }
}
