//! What a piece of a typed query looks like: a year or year range, a year and month, an ID
//! number, a 文号, a 档号, pinyin — judged by shape alone, before the query is read.

fn is_year(n: i64) -> bool {
    (1900..=2100).contains(&n)
}

/// `1998`, `1998年`.
pub(super) fn parse_year(s: &str) -> Option<i32> {
    let digits = s.strip_suffix('年').unwrap_or(s);
    (digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|y| is_year(*y))
        .map(|y| y as i32)
}

/// `1995-1999`, `1995—1999`, `1995至1999`, `1995~1999`.
pub(super) fn parse_year_range(s: &str) -> Option<(i32, i32)> {
    for sep in ['-', '—', '–', '~', '至', '到'] {
        if let Some((a, b)) = s.split_once(sep) {
            if let (Some(a), Some(b)) = (parse_year(a), parse_year(b)) {
                return Some((a.min(b), a.max(b)));
            }
        }
    }
    None
}

pub(super) fn is_name_dot(c: char) -> bool {
    matches!(
        c,
        '·' | '•' | '‧' | '・' | '･' | '⋅' | '∙' | '\u{0387}' | '.' | '．' | '｡'
    )
}

/// A year and month as dates are written (1972-07, 1972.07, 197207, 1942年8月, 一九四二年八月,
/// or a full date); a four-digit year is required, so that 98.7 stays a number.
pub(super) fn parse_month(s: &str) -> Option<(i32, u8)> {
    let four_digit_year = s.chars().take_while(|c| c.is_ascii_digit()).count() >= 4
        || s.starts_with(['一', '二', '〇', '零']);
    if !four_digit_year || s.chars().all(|c| c.is_ascii_digit()) && s.len() != 6 && s.len() != 8 {
        return None;
    }
    let parsed = crate::text::parse_date(s).ok()?;
    let month = parsed.date.month?;
    (1900..=2100)
        .contains(&parsed.date.year)
        .then_some((parsed.date.year, month))
}

pub(super) fn looks_like_id(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| *c != '-' && *c != ' ').collect();
    let n = compact.chars().count();
    (n == 15 || n == 18)
        && compact
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == n - 1 && matches!(c, 'x' | 'X')))
}

/// A bracketed year of two or four digits followed by a serial: 甘劳人薪〔1998〕45号, 河政发〔79〕83号.
pub(super) fn looks_like_doc_number(s: &str) -> bool {
    let is_open = |c: char| matches!(c, '〔' | '[' | '【' | '(' | '（' | '﹝' | '〖' | '［');
    let Some(open) = s.find(is_open) else {
        return false;
    };
    let inside = &s[open + s[open..].chars().next().map_or(1, char::len_utf8)..];
    let year = inside.bytes().take_while(u8::is_ascii_digit).count();
    let after_close = inside[year..]
        .chars()
        .next()
        .filter(|c| !c.is_ascii_digit() && !is_open(*c))
        .map(|c| &inside[year + c.len_utf8()..]);
    (year == 2 || year == 4)
        && after_close
            .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '第'))
}

/// Letters and digits joined by the separators 档号 are written with, with a digit in it.
pub(super) fn looks_like_ref_code(s: &str) -> bool {
    let has_sep = s.chars().any(|c| {
        matches!(
            c,
            '·' | '•' | '‧' | '・' | '-' | '.' | '_' | '/' | '－' | '．'
        )
    });
    let all_code = s.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(
                c,
                '·' | '•' | '‧' | '・' | '-' | '.' | '_' | '/' | '－' | '．'
            )
    });
    has_sep && all_code && s.chars().any(|c| c.is_ascii_digit()) && s.chars().count() >= 5
}

pub(super) fn is_pinyin(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
}
