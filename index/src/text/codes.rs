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
