//! Canonical keys of document numbers (文号) and archival reference codes (档号).

use super::{fold_width, to_simplified};

/// 甘劳人薪〔1998〕45号 = 甘劳人薪[1998]45号 = 甘劳人薪（1998）45号 = 甘劳人薪(1998)第045号.
pub fn doc_number_key(raw: &str) -> String {
    let folded = fold_width(raw);
    let simplified = to_simplified(&folded);
    let chars: Vec<char> = simplified
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '〔' | '[' | '【' | '(' | '﹝' | '〈' | '{' | '「' | '『' | '〖' => '[',
            '〕' | ']' | '】' | ')' | '﹞' | '〉' | '}' | '」' | '』' | '〗' => ']',
            _ => c.to_ascii_uppercase(),
        })
        .collect();

    let mut out = String::with_capacity(simplified.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // "第045号": the serial number alone is the key.
        if c == '第' && chars.get(i + 1).is_some_and(char::is_ascii_digit) {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let run = &chars[start..i];
            if chars.get(i) == Some(&'号') {
                let first = run.iter().position(|&d| d != '0').unwrap_or(run.len() - 1);
                out.extend(&run[first..]);
            } else {
                out.extend(run);
            }
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

/// The keys a typed 文号 may be stored under: its own, and with the year in the brackets written
/// the other way (〔79〕 ↔ 〔1979〕, read with the pivot dates use); a serial typed without 号 also
/// as with it.
pub fn doc_number_keys(raw: &str) -> Vec<String> {
    let key = doc_number_key(raw);
    let mut out = vec![key.clone()];
    if key.ends_with(|c: char| c.is_ascii_digit()) {
        out.push(doc_number_key(&format!("{raw}号")));
    }
    for k in out.clone() {
        out.extend(other_year_form(&k));
    }
    out.dedup();
    out
}

/// `X[79]83号` → `X[1979]83号` and back, when the two-digit year reads as that century.
fn other_year_form(key: &str) -> Option<String> {
    let open = key.find('[')?;
    let close = open + key[open..].find(']')?;
    let year = &key[open + 1..close];
    if !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let other = match year.len() {
        2 => super::date::expand_two_digit_year(year.parse().ok()?).to_string(),
        4 => {
            let full: i32 = year.parse().ok()?;
            let short = full % 100;
            (super::date::expand_two_digit_year(short) == full).then(|| format!("{short:02}"))?
        }
        _ => return None,
    };
    Some(format!("{}[{other}]{}", &key[..open], &key[close + 1..]))
}

/// A pattern (tantivy's regular expressions) for the 档号 keys that differ from `key` only in the
/// leading zeros of its numbers (J12-WS-1979-Y-46 ~ J012-WS-1979-Y-0046).
pub fn ref_code_loose_pattern(key: &str) -> String {
    let mut out = String::with_capacity(key.len() * 2);
    let chars: Vec<char> = key.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_digit() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            let digits: String = chars[start..i].iter().collect();
            let significant = digits.trim_start_matches('0');
            if significant.is_empty() {
                out.push_str("0+");
            } else {
                out.push_str("0*");
                out.push_str(significant);
            }
            continue;
        }
        let c = chars[i];
        if c.is_ascii_punctuation() {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// J012-WS·1998-Y-0034 = J012-WS-1998-Y-0034 = "J012 WS 1998 Y 0034" = j012-ws.1998-y-0034.
pub fn ref_code_key(raw: &str) -> String {
    let folded = fold_width(raw);
    let simplified = to_simplified(&folded);
    let mut out = String::with_capacity(simplified.len());
    for c in simplified.chars() {
        if is_ref_separator(c) {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(c.to_uppercase());
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
    out
}

fn is_ref_separator(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '·' | '•' | '‧' | '・' | '･' | '.' | '-' | '_' | '/' | '\u{2010}'
                ..='\u{2015}' | '－' | '\u{2212}' | '\u{22C5}' | '\u{2219}' | '。' | '．'
        )
}

/// 全宗号, 目录号, 案卷号, 件号 → one 档号 as written, empty parts skipped.
pub fn compose_ref_code(parts: &[&str]) -> String {
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_number_bracket_family() {
        let expected = "甘劳人薪[1998]45号";
        for s in [
            "甘劳人薪〔1998〕45号",
            "甘劳人薪[1998]45号",
            "甘劳人薪（1998）45号",
            "甘劳人薪(1998)45号",
            "甘劳人薪(1998)第045号",
            "甘劳人薪【1998】45号",
            "甘劳人薪﹝1998﹞45号",
            "甘劳人薪〈1998〉45号",
            "甘劳人薪［１９９８］４５号",
            "甘劳人薪｛1998｝45号",
            "甘劳人薪{1998}45号",
            "甘劳人薪「1998」45号",
            "甘勞人薪〔1998〕45號",
            " 甘劳人薪 〔1998〕 45 号 ",
            "甘劳人薪〔1998〕第45号",
            "甘劳人薪〔1998〕0045号",
        ] {
            assert_eq!(doc_number_key(s), expected, "{s}");
        }
    }

    #[test]
    fn doc_number_keeps_meaning() {
        assert_ne!(
            doc_number_key("甘劳人薪〔1998〕45号"),
            doc_number_key("甘劳人薪〔1998〕46号")
        );
        assert_ne!(
            doc_number_key("甘劳人薪〔1998〕45号"),
            doc_number_key("甘劳人薪〔1999〕45号")
        );
        // Only the serial before 号 loses its zeros; a zero serial stays a zero.
        assert_eq!(doc_number_key("县劳字〔1998〕0号"), "县劳字[1998]0号");
        assert_eq!(doc_number_key("GF(2005)07号"), "GF[2005]7号");
        assert_eq!(doc_number_key("gf〔2005〕7号"), "GF[2005]7号");
    }

    #[test]
    fn doc_number_years_of_two_and_four_digits_are_one() {
        let keys = doc_number_keys("河政发〔79〕83号");
        assert!(keys.contains(&"河政发[1979]83号".to_string()), "{keys:?}");
        assert!(keys.contains(&"河政发[79]83号".to_string()));
        let keys = doc_number_keys("河政发〔1979〕83号");
        assert!(keys.contains(&"河政发[79]83号".to_string()), "{keys:?}");
        // 05 is 2005 by the pivot; 1925 has no two-digit form that reads back as 1925.
        assert!(doc_number_keys("县劳字[05]3号").contains(&"县劳字[2005]3号".to_string()));
        assert_eq!(doc_number_keys("县劳字[1925]3号"), vec!["县劳字[1925]3号"]);
        // A serial typed without 号.
        assert!(doc_number_keys("河政发〔79〕83").contains(&"河政发[1979]83号".to_string()));
    }

    #[test]
    fn loose_ref_code_patterns_make_leading_zeros_optional() {
        assert_eq!(
            ref_code_loose_pattern("J12-WS-1979-Y-46"),
            "J0*12\\-WS\\-0*1979\\-Y\\-0*46"
        );
        assert_eq!(ref_code_loose_pattern("A-000"), "A\\-0+");
    }

    #[test]
    fn ref_code_family() {
        let expected = "J012-WS-1998-Y-0034";
        for s in [
            "J012-WS·1998-Y-0034",
            "J012-WS-1998-Y-0034",
            "J012 WS 1998 Y 0034",
            "j012-ws.1998-y-0034",
            "J012－WS－1998－Y－0034",
            "J012—WS•1998–Y_0034",
            "J012/WS‧1998・Y･0034",
            "  J012 -- WS\u{3000}1998 - Y - 0034 - ",
            "-J012-WS-1998-Y-0034",
            "Ｊ０１２－ＷＳ－１９９８－Ｙ－００３４",
        ] {
            assert_eq!(ref_code_key(s), expected, "{s}");
        }
        assert_ne!(
            ref_code_key("J012-WS-1998-Y-0034"),
            ref_code_key("J012-WS-1998-Y-034")
        );
    }

    #[test]
    fn compose() {
        assert_eq!(
            compose_ref_code(&["J012", "WS", "1998", "Y", "0034"]),
            "J012-WS-1998-Y-0034"
        );
        assert_eq!(
            compose_ref_code(&["J012", "", " 3 ", "0034"]),
            "J012-3-0034"
        );
        assert_eq!(compose_ref_code(&[]), "");
        assert_eq!(
            ref_code_key(&compose_ref_code(&["J012", "WS·1998", "Y", "0034"])),
            "J012-WS-1998-Y-0034"
        );
    }
}
