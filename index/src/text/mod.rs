//! Chinese-text normalization: what a clerk types and what a record says are folded to one form.

pub mod codes;
pub mod date;
pub mod fuzzy_pinyin;
pub mod id_in_text;
pub mod id_number;
pub mod name;
pub mod page_numbers;
pub mod pinyin;
pub mod shown;

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use ferrous_opencc::config::BuiltinConfig;
use ferrous_opencc::OpenCC;
use unicode_normalization::{is_nfkc_quick, IsNormalized, UnicodeNormalization};

pub use codes::{compose_ref_code, doc_number_key, ref_code_key};
pub use date::{from_excel_serial, parse_date, DateError, DatePrecision, ParsedDate, PartialDate};
pub use id_number::{
    birth_date_of, id_check_digit, mask_id, parse_id_number, plausible_id, IdNumber, IdStatus,
};
pub use name::{has_placeholder, normalize_name};
pub use page_numbers::pages_named;
pub use pinyin::{is_pinyin_query, name_pinyin, NamePinyin};

/// Folds text for general search: width, script, case and whitespace.
pub fn normalize_text(s: &str) -> String {
    let folded = fold_width(s);
    let simplified = to_simplified(&folded);
    let mut out = String::with_capacity(simplified.len());
    let mut pending_space = false;
    for ch in simplified.chars() {
        if ch.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.extend(ch.to_lowercase());
    }
    out
}

fn t2s() -> &'static OpenCC {
    static T2S: OnceLock<OpenCC> = OnceLock::new();
    T2S.get_or_init(|| {
        OpenCC::from_config(BuiltinConfig::T2s).expect("the built-in t2s config is embedded")
    })
}

thread_local! {
    /// Whether t2s changes a character on its own, learnt once per character.
    static CHANGES_ALONE: RefCell<HashMap<char, bool>> = RefCell::new(HashMap::new());
}

/// A text is converted only when one of its characters is traditional on its own: every t2s
/// phrase contains such a character, and most catalogue text has none, so the common case is
/// a few hash lookups instead of a dictionary walk.
fn has_traditional(s: &str) -> bool {
    CHANGES_ALONE.with(|cache| {
        let mut cache = cache.borrow_mut();
        s.chars().filter(|c| is_cjk(*c)).any(|c| {
            *cache.entry(c).or_insert_with(|| {
                let mut buf = [0u8; 4];
                let alone: &str = c.encode_utf8(&mut buf);
                t2s().convert(alone) != alone
            })
        })
    })
}

/// Traditional → simplified characters (OpenCC t2s).
pub fn to_simplified(s: &str) -> Cow<'_, str> {
    if !has_traditional(s) {
        return Cow::Borrowed(s);
    }
    let mut out = t2s().convert(s);
    // OpenCC's tables chain a few characters (薴 → 苧 → 苎): converted again until nothing
    // changes, so that a text and its simplified form fold to one key. Bounded: no chain is
    // longer than two steps.
    for _ in 0..3 {
        if !has_traditional(&out) {
            break;
        }
        let again = t2s().convert(&out);
        if again == out {
            break;
        }
        out = again;
    }
    Cow::Owned(out)
}

/// NFKC: full-width digits, letters and punctuation become half-width; U+3000 becomes ' '.
pub fn fold_width(s: &str) -> String {
    // Most text is already in NFKC; the quick check avoids decomposing and recomposing it.
    if is_nfkc_quick(s.chars()) == IsNormalized::Yes {
        return s.to_string();
    }
    s.nfkc().collect()
}

/// The digits of dates written in Chinese numerals (一九四〇年十月).
pub(crate) fn is_chinese_numeral(ch: char) -> bool {
    matches!(
        ch,
        '〇' | '零' | '一' | '二' | '三' | '四' | '五' | '六' | '七' | '八' | '九' | '十'
    )
}

/// Writes as 〇 each letter O or digit 0 that stands for the 〇 of a date in Chinese numerals,
/// as OCR and typists write it (一九四O年, 二OO五年): one beside a Chinese numeral, or beside
/// another such O.
pub(crate) fn fold_ocr_zero_chars(chars: &mut [char]) {
    let is_zero = |c: char| matches!(c, 'o' | 'O' | '0');
    // Left to right, then back, so that a run of them (二OO五) is read whole from either end.
    for i in (0..chars.len()).chain((0..chars.len()).rev()) {
        let beside = (i > 0 && is_chinese_numeral(chars[i - 1]))
            || chars.get(i + 1).is_some_and(|n| is_chinese_numeral(*n));
        if is_zero(chars[i]) && beside {
            chars[i] = '〇';
        }
    }
}

/// Text with each O or 0 that stands for a 〇 (see `fold_ocr_zero_chars`) written as 〇.
pub fn fold_ocr_zero(s: &str) -> String {
    let mut chars: Vec<char> = s.chars().collect();
    fold_ocr_zero_chars(&mut chars);
    chars.into_iter().collect()
}

/// CJK ideographs, including the extension planes and compatibility ideographs.
pub(crate) fn is_cjk(ch: char) -> bool {
    matches!(ch as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_that_t2s_maps_in_two_steps_folds_to_the_end_of_the_chain() {
        // Found by the property test t2s∘t2s = t2s.
        assert_eq!(to_simplified("薴"), "苎");
        assert_eq!(to_simplified("苧"), "苎");
        assert_eq!(
            normalize_text("薴麻"),
            normalize_text(&normalize_text("薴麻"))
        );
    }

    #[test]
    fn traditional_to_simplified() {
        assert_eq!(to_simplified("劉建國"), "刘建国");
        assert_eq!(to_simplified("河灣市第二水泥廠"), "河湾市第二水泥厂");
        // 乾 of 乾坤 is not the traditional form of 干.
        assert_eq!(to_simplified("乾坤"), "乾坤");
    }

    #[test]
    fn an_o_or_0_among_chinese_numerals_is_read_as_ling() {
        assert_eq!(fold_ocr_zero("一九七O年九月"), "一九七〇年九月");
        assert_eq!(fold_ocr_zero("二OO五年"), "二〇〇五年");
        assert_eq!(fold_ocr_zero("OO五年"), "〇〇五年");
        assert_eq!(fold_ocr_zero("一九四0年"), "一九四〇年");
        // Letters and digits elsewhere stay as typed.
        assert_eq!(fold_ocr_zero("Ouyang 2005年 J012"), "Ouyang 2005年 J012");
    }

    #[test]
    fn no_cjk_is_borrowed() {
        assert!(matches!(to_simplified("J012-WS-1998"), Cow::Borrowed(_)));
        assert!(matches!(to_simplified("劉"), Cow::Owned(_)));
        assert!(
            matches!(to_simplified("刘建国"), Cow::Borrowed(_)),
            "simplified text is not converted"
        );
        assert_eq!(
            to_simplified("刘建國"),
            "刘建国",
            "one traditional character among simplified ones"
        );
    }

    #[test]
    fn width_folding() {
        assert_eq!(fold_width("１９９８"), "1998");
        assert_eq!(fold_width("ＡＢＣ（１）"), "ABC(1)");
        assert_eq!(fold_width("王\u{3000}磊"), "王 磊");
    }

    #[test]
    fn general_text() {
        assert_eq!(
            normalize_text("  劉建國\u{3000}\u{3000}河灣市第二水泥廠\t ＡＢＣ  "),
            "刘建国 河湾市第二水泥厂 abc"
        );
        assert_eq!(normalize_text("１９９８年　工資表"), "1998年 工资表");
        assert_eq!(normalize_text(" \u{3000} "), "");
    }
}
