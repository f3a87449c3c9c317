//! One way to show what the records write many ways: a date as 1949.06 or 2009.05.25 (however it
//! was typed: 1949-06, 52.2, １９６５.０３, 一九六〇年一月, 2009/5/25), a 档号 with one style of
//! separators (J012-LS·1997-C-0003), a name without the spaces typed to pad it (罗　志 → 罗志).
//! What is written stays as written in the store and in a certificate's transcription.

use super::{parse_date, ref_code_key};

/// The date in the form the screen uses, or None when it is not a date that can be read.
pub fn date_shown(raw: &str) -> Option<String> {
    let parsed = parse_date(raw).ok()?;
    Some(parsed.date.key().replace('-', "."))
}

/// The 档号 with one separator style: 全宗-门类·年度-保管期限-件号 when it has those five parts,
/// else its parts joined by hyphens (widths folded, letters upper-case).
pub fn ref_code_shown(raw: &str) -> String {
    let key = ref_code_key(raw);
    let parts: Vec<&str> = key.split('-').collect();
    let is_year = |p: &str| p.len() == 4 && p.bytes().all(|b| b.is_ascii_digit());
    match parts.as_slice() {
        [fonds, class, year, term, item] if is_year(year) => {
            format!("{fonds}-{class}·{year}-{term}-{item}")
        }
        _ => key,
    }
}

/// The name without the spaces (ideographic or not) typed between its characters to pad it; a
/// space between two Latin words stays.
pub fn name_shown(raw: &str) -> String {
    let chars: Vec<char> = raw.trim().chars().collect();
    let mut out = String::with_capacity(raw.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let before = out.chars().last();
            let after = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            let latin = |c: Option<&char>| c.is_some_and(|c| c.is_ascii_alphabetic());
            if latin(before.as_ref()) && latin(after) && !out.ends_with(' ') {
                out.push(' ');
            }
            continue;
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_however_typed_show_one_way() {
        for (raw, shown) in [
            ("1949-06", "1949.06"),
            ("1949.06", "1949.06"),
            ("1966.2", "1966.02"),
            ("52.2", "1952.02"),
            ("１９６５.０３", "1965.03"),
            ("一九六〇年一月", "1960.01"),
            ("1960/01", "1960.01"),
            ("2009/5/25", "2009.05.25"),
            ("1998年7月", "1998.07"),
            ("1998", "1998"),
        ] {
            assert_eq!(date_shown(raw).as_deref(), Some(shown), "{raw}");
        }
        assert_eq!(date_shown("不详"), None);
    }

    #[test]
    fn a_ref_code_shows_with_one_separator_style() {
        for raw in [
            "J012-LS·1997-C-0003",
            "J012-LS・1997-C-0003",
            "j012-ls.1997-c-0003",
            "Ｊ０１２－ＬＳ·１９９７－Ｃ－０００３",
            "J012 LS 1997 C 0003",
        ] {
            assert_eq!(ref_code_shown(raw), "J012-LS·1997-C-0003", "{raw}");
        }
        assert_eq!(ref_code_shown("123-4-0056"), "123-4-0056");
        assert_eq!(ref_code_shown("123．4．0056"), "123-4-0056");
    }

    #[test]
    fn a_padded_name_shows_without_its_spaces() {
        assert_eq!(name_shown("罗　志"), "罗志");
        assert_eq!(name_shown(" 王 小 明 "), "王小明");
        assert_eq!(name_shown("刘建国"), "刘建国");
        assert_eq!(name_shown("John  Smith"), "John Smith");
    }
}
