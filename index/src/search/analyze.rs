//! What the clerk typed, understood: ID numbers (any form), 档号, 文号, years and year ranges,
//! quoted phrases, `-word` exclusions, `字段:值` terms, pinyin, and the text that is left.

use crate::text::codes::ref_code_key;
use crate::text::{fold_width, is_cjk, parse_id_number};

/// Where a text term may match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Anywhere,
    Name,
    Unit,
    Title,
    FullText,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Term {
    /// A resident ID number; `key` is the 18-digit key when valid.
    IdNumber {
        key: String,
        valid: bool,
    },
    /// Text that looks like a 档号; found as a key when the archive has it, else as text.
    RefCode {
        written: String,
    },
    /// Text that looks like a 文号 (has a bracketed year).
    DocNumber {
        written: String,
    },
    Year(i32),
    /// A year and month (a birth date, or a document's date), written in any of the forms
    /// dates are written in.
    Month {
        year: i32,
        month: u8,
    },
    /// Letters, tried as the pinyin of a name (and as text).
    Pinyin {
        letters: String,
        scope: Scope,
    },
    Text {
        text: String,
        scope: Scope,
        quoted: bool,
    },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analyzed {
    pub terms: Vec<Term>,
    /// Text that must not appear.
    pub excluded: Vec<String>,
    pub year_from: Option<i32>,
    pub year_to: Option<i32>,
    pub category: Option<String>,
    pub fonds: Option<String>,
    pub access: Option<String>,
}

/// `字段:` prefixes clerks may type, and what they restrict.
enum FieldPrefix {
    Scoped(Scope),
    Id,
    Ref,
    DocNumber,
    Year,
    Category,
    Fonds,
    Access,
}

fn field_prefix(label: &str) -> Option<FieldPrefix> {
    Some(match label {
        "姓名" | "名字" | "name" => FieldPrefix::Scoped(Scope::Name),
        "单位" | "工作单位" | "unit" => FieldPrefix::Scoped(Scope::Unit),
        "题名" | "标题" | "title" => FieldPrefix::Scoped(Scope::Title),
        "全文" | "内容" | "text" => FieldPrefix::Scoped(Scope::FullText),
        "身份证" | "身份证号" | "身份证号码" | "id" => FieldPrefix::Id,
        "档号" | "ref" => FieldPrefix::Ref,
        "文号" | "发文字号" | "docno" => FieldPrefix::DocNumber,
        "年度" | "年份" | "年" | "year" => FieldPrefix::Year,
        "类别" | "门类" | "category" => FieldPrefix::Category,
        "全宗" | "全宗号" | "fonds" => FieldPrefix::Fonds,
        "开放" | "开放标识" | "access" => FieldPrefix::Access,
        _ => return None,
    })
}

/// Splits on whitespace, keeping quoted phrases ("…", “…”, 「…」) whole.
fn pieces(query: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut closing: Option<char> = None;
    for c in query.chars() {
        match closing {
            Some(end) if c == end => {
                if !current.trim().is_empty() {
                    out.push((current.trim().to_string(), true));
                }
                current.clear();
                closing = None;
            }
            Some(_) => current.push(c),
            None if matches!(c, '"' | '“' | '「') && current.is_empty() => {
                closing = Some(match c {
                    '“' => '”',
                    '「' => '」',
                    _ => '"',
                });
            }
            None if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), false));
                }
            }
            None => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push((current.trim().to_string(), closing.is_some()));
    }
    out
}

fn is_year(n: i64) -> bool {
    (1900..=2100).contains(&n)
}

/// `1998`, `1998年`.
fn parse_year(s: &str) -> Option<i32> {
    let digits = s.strip_suffix('年').unwrap_or(s);
    (digits.len() == 4 && digits.chars().all(|c| c.is_ascii_digit()))
        .then(|| digits.parse::<i64>().ok())
        .flatten()
        .filter(|y| is_year(*y))
        .map(|y| y as i32)
}

/// `1995-1999`, `1995—1999`, `1995至1999`, `1995~1999`.
fn parse_year_range(s: &str) -> Option<(i32, i32)> {
    for sep in ['-', '—', '–', '~', '至', '到'] {
        if let Some((a, b)) = s.split_once(sep) {
            if let (Some(a), Some(b)) = (parse_year(a), parse_year(b)) {
                return Some((a.min(b), a.max(b)));
            }
        }
    }
    None
}

fn is_name_dot(c: char) -> bool {
    matches!(
        c,
        '·' | '•' | '‧' | '・' | '･' | '⋅' | '∙' | '\u{0387}' | '.' | '．' | '｡'
    )
}

/// A year and month as dates are written (1972-07, 1972.07, 197207, 1942年8月, 一九四二年八月,
/// or a full date); a four-digit year is required, so that 98.7 stays a number.
fn parse_month(s: &str) -> Option<(i32, u8)> {
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

fn looks_like_id(s: &str) -> bool {
    let compact: String = s.chars().filter(|c| *c != '-' && *c != ' ').collect();
    let n = compact.chars().count();
    (n == 15 || n == 18)
        && compact
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == n - 1 && matches!(c, 'x' | 'X')))
}

fn looks_like_doc_number(s: &str) -> bool {
    let has_bracket = s
        .chars()
        .any(|c| matches!(c, '〔' | '[' | '【' | '(' | '（' | '﹝' | '〖' | '［'));
    has_bracket && s.chars().filter(|c| c.is_ascii_digit()).count() >= 4
}

/// Letters and digits joined by the separators 档号 are written with, with a digit in it.
fn looks_like_ref_code(s: &str) -> bool {
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

fn is_pinyin(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic() || c == '\'')
}

/// 王　磊, 王 磊: single characters in a row, as names are padded in old tables and copied
/// from them, are one name.
fn join_spaced_name(pieces: Vec<(String, bool)>) -> Vec<(String, bool)> {
    let single = |p: &(String, bool)| !p.1 && p.0.chars().count() == 1 && p.0.chars().all(is_cjk);
    let mut out: Vec<(String, bool)> = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let run = pieces[i..].iter().take_while(|p| single(p)).count();
        if run >= 2 {
            out.push((
                pieces[i..i + run].iter().map(|p| p.0.as_str()).collect(),
                false,
            ));
            i += run;
        } else {
            out.push(pieces[i].clone());
            i += 1;
        }
    }
    out
}

const REF_SEPARATORS: &[char] = &['·', '•', '‧', '・', '-', '.', '_', '/', '－', '．'];

fn is_code_piece(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || REF_SEPARATORS.contains(&c))
}

/// A 档号 typed with spaces for its separators (J012 WS 1998 Y 0034) arrives as several pieces:
/// consecutive code-like pieces whose joined key is a 档号 of the archive become one piece.
fn join_ref_codes(
    pieces: Vec<(String, bool)>,
    known_ref: &dyn Fn(&str) -> bool,
) -> Vec<(String, bool)> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let run_end = (i..pieces.len())
            .find(|&k| pieces[k].1 || !is_code_piece(&pieces[k].0))
            .unwrap_or(pieces.len());
        let joined = (i + 2..=run_end).rev().find_map(|end| {
            let text = pieces[i..end]
                .iter()
                .map(|p| p.0.as_str())
                .collect::<Vec<_>>()
                .join(" ");
            known_ref(&ref_code_key(&text)).then_some((text, end))
        });
        match joined {
            Some((text, end)) => {
                out.push((format!("{REF_MARK}{text}"), false));
                i = end;
            }
            None => {
                out.push(pieces[i].clone());
                i += 1;
            }
        }
    }
    out
}

/// Marks a piece already known to be a 档号 (a character no keyboard sends).
const REF_MARK: char = '\u{E000}';

/// Reads the typed query. `understood` collects, in Chinese, how each part was read;
/// `known_ref` says whether a 档号 key exists in the archive.
pub fn analyze(
    query: &str,
    known_ref: &dyn Fn(&str) -> bool,
    understood: &mut Vec<String>,
) -> Analyzed {
    let folded = fold_width(query);
    let mut out = Analyzed::default();
    let mut letters: Vec<String> = Vec::new();
    let flush_letters = |letters: &mut Vec<String>, out: &mut Analyzed, u: &mut Vec<String>| {
        if !letters.is_empty() {
            let joined: String = letters.concat().to_lowercase().replace('\'', "");
            u.push(format!("「{}」按拼音查姓名", letters.join(" ")));
            out.terms.push(Term::Pinyin {
                letters: joined,
                scope: Scope::Anywhere,
            });
            letters.clear();
        }
    };
    for (piece, quoted) in join_ref_codes(join_spaced_name(pieces(&folded)), known_ref) {
        if let Some(code) = piece.strip_prefix(REF_MARK) {
            flush_letters(&mut letters, &mut out, understood);
            understood.push(format!("档号「{code}」"));
            out.terms.push(Term::RefCode {
                written: code.to_string(),
            });
            continue;
        }
        if quoted {
            flush_letters(&mut letters, &mut out, understood);
            understood.push(format!("「{piece}」按整个短语查"));
            out.terms.push(Term::Text {
                text: piece,
                scope: Scope::Anywhere,
                quoted: true,
            });
            continue;
        }
        if let Some(word) = piece.strip_prefix('-').filter(|w| !w.is_empty()) {
            flush_letters(&mut letters, &mut out, understood);
            understood.push(format!("排除含「{word}」的记录"));
            out.excluded.push(word.to_string());
            continue;
        }
        if let Some((label, value)) = piece.split_once([':', '：']) {
            if let Some(prefix) = field_prefix(&label.to_lowercase()) {
                flush_letters(&mut letters, &mut out, understood);
                field_term(prefix, value.trim(), &mut out, understood);
                continue;
            }
        }
        if is_pinyin(&piece) {
            letters.push(piece);
            continue;
        }
        flush_letters(&mut letters, &mut out, understood);
        plain_piece(&piece, &mut out, understood);
    }
    flush_letters(&mut letters, &mut out, understood);
    out
}

fn field_term(prefix: FieldPrefix, value: &str, out: &mut Analyzed, understood: &mut Vec<String>) {
    if value.is_empty() {
        return;
    }
    match prefix {
        FieldPrefix::Scoped(scope) => {
            if is_pinyin(value) && scope == Scope::Name {
                understood.push(format!("姓名拼音「{value}」"));
                out.terms.push(Term::Pinyin {
                    letters: value.to_lowercase().replace('\'', ""),
                    scope,
                });
            } else {
                understood.push(format!("{}含「{value}」", scope_label(scope)));
                out.terms.push(Term::Text {
                    text: value.to_string(),
                    scope,
                    quoted: false,
                });
            }
        }
        FieldPrefix::Id => id_term(value, out, understood),
        FieldPrefix::Ref => {
            understood.push(format!("档号「{value}」"));
            out.terms.push(Term::RefCode {
                written: value.to_string(),
            });
        }
        FieldPrefix::DocNumber => {
            understood.push(format!("文号「{value}」"));
            out.terms.push(Term::DocNumber {
                written: value.to_string(),
            });
        }
        FieldPrefix::Year => {
            if let Some((a, b)) = parse_year_range(value) {
                understood.push(format!("年度 {a}–{b}"));
                out.year_from = Some(a);
                out.year_to = Some(b);
            } else if let Some(y) = parse_year(value) {
                understood.push(format!("年度 {y}"));
                out.year_from = Some(y);
                out.year_to = Some(y);
            }
        }
        FieldPrefix::Category => {
            understood.push(format!("类别「{value}」"));
            out.category = Some(value.to_string());
        }
        FieldPrefix::Fonds => {
            understood.push(format!("全宗「{value}」"));
            out.fonds = Some(value.to_string());
        }
        FieldPrefix::Access => {
            let access = match value {
                "开放" | "open" => "open",
                "控制" | "控制使用" | "controlled" => "controlled",
                "不开放" | "closed" => "closed",
                other => other,
            };
            out.access = Some(access.to_string());
        }
    }
}

fn scope_label(scope: Scope) -> &'static str {
    match scope {
        Scope::Anywhere => "任意字段",
        Scope::Name => "姓名",
        Scope::Unit => "单位",
        Scope::Title => "题名",
        Scope::FullText => "全文",
    }
}

fn id_term(value: &str, out: &mut Analyzed, understood: &mut Vec<String>) {
    match parse_id_number(value) {
        Some(id) if id.status.is_valid() => {
            understood.push(format!("身份证号（{}）", id.status.message_zh()));
            out.terms.push(Term::IdNumber {
                key: id.key,
                valid: true,
            });
        }
        Some(id) => {
            understood.push(format!(
                "身份证号「{value}」：{}，按原样查找",
                id.status.message_zh()
            ));
            out.terms.push(Term::IdNumber {
                key: id.key,
                valid: false,
            });
        }
        None => {}
    }
}

fn plain_piece(piece: &str, out: &mut Analyzed, understood: &mut Vec<String>) {
    if looks_like_id(piece) {
        return id_term(piece, out, understood);
    }
    if looks_like_doc_number(piece) {
        understood.push(format!("文号「{piece}」"));
        out.terms.push(Term::DocNumber {
            written: piece.to_string(),
        });
        return;
    }
    if let Some((year, month)) = parse_month(piece) {
        understood.push(format!("日期 {year}年{month}月"));
        out.terms.push(Term::Month { year, month });
        return;
    }
    if looks_like_ref_code(piece) {
        if let Some((a, b)) = parse_year_range(piece) {
            understood.push(format!("年度 {a}–{b}"));
            out.year_from = Some(a);
            out.year_to = Some(b);
            return;
        }
        understood.push(format!("档号「{piece}」"));
        out.terms.push(Term::RefCode {
            written: piece.to_string(),
        });
        return;
    }
    if let Some(y) = parse_year(piece) {
        understood.push(format!("年份 {y}"));
        out.terms.push(Term::Year(y));
        return;
    }
    // Mixed text such as 王磊1998: Chinese runs and the rest read separately.
    let mut run = String::new();
    let mut run_is_cjk = None;
    let mut runs: Vec<String> = Vec::new();
    for c in piece.chars() {
        // A middle dot of any kind inside a Chinese run belongs to a name (阿依古丽•努尔).
        let cjk = is_cjk(c) || c == '□' || (run_is_cjk == Some(true) && is_name_dot(c));
        if run_is_cjk.is_some_and(|k| k != cjk) {
            runs.push(std::mem::take(&mut run));
        }
        run_is_cjk = Some(cjk);
        run.push(c);
    }
    if !run.is_empty() {
        runs.push(run);
    }
    // "1998年" inside a piece is a year, its 年 no separate word.
    for i in 1..runs.len() {
        if parse_year(&runs[i - 1]).is_some() && runs[i].starts_with('年') {
            runs[i] = runs[i]['年'.len_utf8()..].to_string();
        }
    }
    runs.retain(|r| !r.is_empty());
    if runs.len() > 1 {
        for r in runs {
            if is_pinyin(&r) {
                out.terms.push(Term::Pinyin {
                    letters: r.to_lowercase(),
                    scope: Scope::Anywhere,
                });
            } else {
                plain_piece(&r, out, understood);
            }
        }
        return;
    }
    out.terms.push(Term::Text {
        text: piece.to_string(),
        scope: Scope::Anywhere,
        quoted: false,
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(q: &str) -> Analyzed {
        analyze(q, &|_| false, &mut Vec::new())
    }

    #[test]
    fn a_ref_code_typed_with_spaces_is_one_term_when_the_archive_has_it() {
        let known = |k: &str| k == "J012-WS-1998-Y-0034";
        let a = analyze("王磊 J012 WS 1998 Y 0034", &known, &mut Vec::new());
        assert_eq!(a.terms.len(), 2);
        assert!(
            matches!(&a.terms[1], Term::RefCode { written } if written == "J012 WS 1998 Y 0034")
        );
        // Unknown: the pieces are read one by one.
        let a = analyze("J012 WS 1998", &|_| false, &mut Vec::new());
        assert_eq!(a.terms.len(), 3);
        assert!(!a.terms.iter().any(|t| matches!(t, Term::RefCode { .. })));
    }

    #[test]
    fn recognises_ids_codes_years_and_names() {
        let a = terms("王磊 1998 620102198005201234 甘劳人薪〔1998〕45号 J012-WS·1998-Y-0034");
        assert!(matches!(&a.terms[0], Term::Text { text, .. } if text == "王磊"));
        assert_eq!(a.terms[1], Term::Year(1998));
        assert!(matches!(&a.terms[2], Term::IdNumber { .. }));
        assert!(
            matches!(&a.terms[3], Term::DocNumber { written } if written == "甘劳人薪〔1998〕45号")
        );
        assert!(
            matches!(&a.terms[4], Term::RefCode { written } if written == "J012-WS·1998-Y-0034")
        );
    }

    #[test]
    fn birth_months_in_their_written_forms() {
        for q in [
            "1972-07",
            "1972.07",
            "197207",
            "1972年7月",
            "一九七二年七月",
        ] {
            assert_eq!(
                terms(q).terms,
                vec![Term::Month {
                    year: 1972,
                    month: 7
                }],
                "{q}"
            );
        }
        assert!(matches!(terms("98.7").terms[0], Term::Text { .. }));
    }

    #[test]
    fn any_middle_dot_keeps_a_name_whole_and_spaced_characters_are_one_name() {
        for q in ["阿依古丽•努尔", "阿依古丽・努尔", "阿依古丽.努尔"] {
            let a = terms(q);
            assert_eq!(a.terms.len(), 1, "{q}");
        }
        let a = terms("王　磊 1998");
        assert!(matches!(&a.terms[0], Term::Text { text, .. } if text == "王磊"));
    }

    #[test]
    fn full_width_digits_are_read_as_digits() {
        let a = terms("１９９８");
        assert_eq!(a.terms, vec![Term::Year(1998)]);
    }

    #[test]
    fn quoted_phrases_exclusions_and_fields() {
        let a = terms("\"劳动 局\" -退休 姓名:王磊 年度:1995-1999 单位：粮站");
        assert!(matches!(&a.terms[0], Term::Text { text, quoted: true, .. } if text == "劳动 局"));
        assert_eq!(a.excluded, vec!["退休".to_string()]);
        assert!(
            matches!(&a.terms[1], Term::Text { text, scope: Scope::Name, .. } if text == "王磊")
        );
        assert!(
            matches!(&a.terms[2], Term::Text { text, scope: Scope::Unit, .. } if text == "粮站")
        );
        assert_eq!((a.year_from, a.year_to), (Some(1995), Some(1999)));
    }

    #[test]
    fn letters_in_a_row_are_one_pinyin_name() {
        let a = terms("liu jianguo");
        assert_eq!(
            a.terms,
            vec![Term::Pinyin {
                letters: "liujianguo".into(),
                scope: Scope::Anywhere
            }]
        );
    }

    #[test]
    fn mixed_name_and_year_are_split() {
        let a = terms("王磊1998");
        assert!(matches!(&a.terms[0], Term::Text { text, .. } if text == "王磊"));
        assert_eq!(a.terms[1], Term::Year(1998));
        let a = terms("城关镇供销社1998年职工");
        assert_eq!(a.terms.len(), 3);
        assert_eq!(a.terms[1], Term::Year(1998));
        assert!(matches!(&a.terms[2], Term::Text { text, .. } if text == "职工"));
    }
}
