//! What the clerk typed, understood: ID numbers (any form), 档号, 文号, years and year ranges,
//! quoted phrases, `-word` exclusions, `字段:值` terms, pinyin, sentences pasted with their
//! punctuation, and the text that is left.

use super::known_codes::Known;
use super::pieces::{pieces, Piece};
use super::token_shape::{
    is_name_dot, is_pinyin, looks_like_doc_number, looks_like_id, looks_like_ref_code, parse_month,
    parse_year, parse_year_range,
};
use crate::text::codes::{doc_number_keys, ref_code_key};
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
    /// Text that looks like a 档号; `keys` are the archive's 档号 it names (none: the typed key
    /// and the text).
    RefCode {
        written: String,
        keys: Vec<String>,
    },
    /// A 文号 and the keys it may be stored under (the year in two or four digits).
    DocNumber {
        written: String,
        keys: Vec<String>,
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
    /// Typing that reads more than one way, any of which may match: a pasted sentence as a
    /// whole or by its parts; digit groups as the ID they make or as the groups.
    Readings(Vec<Vec<Term>>),
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
    /// Text pasted with its punctuation: a record holding it whole ranks first.
    pub passage: Option<String>,
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

/// Reads the typed query. `understood` collects, in Chinese, how each part was read; `known`
/// says which 档号 and 文号 the archive holds.
pub fn analyze(query: &str, known: &dyn Known, understood: &mut Vec<String>) -> Analyzed {
    // An O pasted from OCR text (一九七O年) is the 〇 the index reads it as.
    let folded = crate::text::fold_ocr_zero(&fold_width(query));
    let mut out = Analyzed {
        passage: passage_of(&folded),
        ..Analyzed::default()
    };
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
    for piece in pieces(&folded, known) {
        let (piece, quoted) = match piece {
            Piece::Typed { text, quoted } => (text, quoted),
            joined => {
                flush_letters(&mut letters, &mut out, understood);
                joined_piece(joined, known, &mut out, understood);
                continue;
            }
        };
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
                field_term(prefix, value.trim(), known, &mut out, understood);
                continue;
            }
        }
        if is_pinyin(&piece) {
            letters.push(piece);
            continue;
        }
        flush_letters(&mut letters, &mut out, understood);
        plain_piece(&piece, known, &mut out, understood);
    }
    flush_letters(&mut letters, &mut out, understood);
    out
}

/// Pieces that `pieces` joined: a 档号 or 文号 the archive has, an ID typed in groups.
fn joined_piece(piece: Piece, known: &dyn Known, out: &mut Analyzed, understood: &mut Vec<String>) {
    match piece {
        Piece::Typed { .. } => {}
        Piece::RefCode { written, keys } => {
            understood.push(format!("档号「{written}」"));
            out.terms.push(Term::RefCode { written, keys });
        }
        Piece::DocNumber { written, keys } => {
            understood.push(format!("文号「{written}」"));
            out.terms.push(Term::DocNumber { written, keys });
        }
        Piece::Id {
            written,
            key,
            apart,
        } => {
            understood.push(format!(
                "「{written}」按身份证号查（分段输入，连起来校验通过），也按各段数字查"
            ));
            let mut groups = Analyzed::default();
            for group in &apart {
                plain_piece(group, known, &mut groups, &mut Vec::new());
            }
            out.terms.push(Term::Readings(vec![
                vec![Term::IdNumber { key, valid: true }],
                groups.terms,
            ]));
        }
    }
}

/// Punctuation of sentences (after width folding). A query holding it was most likely pasted.
fn is_sentence_mark(c: char) -> bool {
    matches!(
        c,
        ',' | ';'
            | '!'
            | '?'
            | ':'
            | '。'
            | '、'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '《'
            | '》'
            | '('
            | ')'
            | '「'
            | '」'
            | '『'
            | '』'
            | '…'
            | '〈'
            | '〉'
            | '"'
            | '｡'
            | '､'
    )
}

/// Characters a search can match on (not punctuation or symbols).
fn is_searchable(c: char) -> bool {
    c.is_alphanumeric() || c == '□'
}

/// The whole query when it reads as pasted text: sentence punctuation or a line break in it,
/// and enough to be a phrase of a document.
fn passage_of(folded: &str) -> Option<String> {
    let pasted = folded
        .chars()
        .any(|c| matches!(c, ',' | ';' | '。' | '、' | '!' | '?' | '\n'));
    let searchable = folded.chars().filter(|c| is_searchable(*c)).count();
    (pasted && searchable >= 4).then(|| folded.trim().to_string())
}

/// A piece cut at sentence punctuation: its parts that hold something to search for.
fn sentence_parts(piece: &str) -> Vec<&str> {
    piece
        .split(is_sentence_mark)
        .map(str::trim)
        .filter(|p| p.chars().any(is_searchable))
        .collect()
}

fn field_term(
    prefix: FieldPrefix,
    value: &str,
    known: &dyn Known,
    out: &mut Analyzed,
    understood: &mut Vec<String>,
) {
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
                keys: known.ref_keys(&ref_code_key(value)),
            });
        }
        FieldPrefix::DocNumber => {
            understood.push(format!("文号「{value}」"));
            out.terms.push(Term::DocNumber {
                written: value.to_string(),
                keys: doc_number_keys(value),
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

fn plain_piece(piece: &str, known: &dyn Known, out: &mut Analyzed, understood: &mut Vec<String>) {
    // Punctuation alone finds nothing and must not make the query find nothing.
    if !piece.chars().any(is_searchable) {
        return;
    }
    if looks_like_id(piece) {
        return id_term(piece, out, understood);
    }
    if looks_like_doc_number(piece) {
        understood.push(format!("文号「{piece}」"));
        out.terms.push(Term::DocNumber {
            written: piece.to_string(),
            keys: doc_number_keys(piece),
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
        let keys = known.ref_keys(&ref_code_key(piece));
        match keys.len() {
            0 | 1 => understood.push(format!("档号「{piece}」")),
            n => understood.push(format!(
                "档号「{piece}」：省略了前导零，可能是 {n} 个档号之一"
            )),
        }
        out.terms.push(Term::RefCode {
            written: piece.to_string(),
            keys,
        });
        return;
    }
    if let Some(y) = parse_year(piece) {
        understood.push(format!("年份 {y}"));
        out.terms.push(Term::Year(y));
        return;
    }
    let parts = sentence_parts(piece);
    if parts.len() > 1 {
        return passage_term(piece, &parts, known, out, understood);
    }
    if let [part] = parts[..] {
        if part != piece {
            // One part between punctuation (王磊，): read as typed without it.
            return plain_piece(part, known, out, understood);
        }
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
    runs.retain(|r| r.chars().any(is_searchable));
    if runs.len() > 1 {
        for r in runs {
            if is_pinyin(&r) {
                out.terms.push(Term::Pinyin {
                    letters: r.to_lowercase(),
                    scope: Scope::Anywhere,
                });
            } else {
                plain_piece(&r, known, out, understood);
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

/// Text pasted with its punctuation (经审核，张三，男，…): found where it stands whole, in any
/// order of punctuation and spacing, or else where each of its parts matches.
fn passage_term(
    piece: &str,
    parts: &[&str],
    known: &dyn Known,
    out: &mut Analyzed,
    understood: &mut Vec<String>,
) {
    understood.push(format!(
        "「{piece}」按原文查（不计标点），也按标点分开的 {} 段分别查",
        parts.len()
    ));
    let mut apart = Analyzed::default();
    for part in parts {
        plain_piece(part, known, &mut apart, &mut Vec::new());
    }
    let whole = Term::Text {
        text: piece.to_string(),
        scope: Scope::Anywhere,
        quoted: true,
    };
    out.terms
        .push(Term::Readings(vec![vec![whole], apart.terms]));
}

#[cfg(test)]
mod tests {
    use super::super::known_codes::NothingKnown;
    use super::*;

    fn terms(q: &str) -> Analyzed {
        analyze(q, &NothingKnown, &mut Vec::new())
    }

    struct HoldsRef(&'static str);

    impl Known for HoldsRef {
        fn ref_keys(&self, key: &str) -> Vec<String> {
            (key == self.0)
                .then(|| key.to_string())
                .into_iter()
                .collect()
        }

        fn has_doc_number(&self, _: &str) -> bool {
            false
        }
    }

    #[test]
    fn a_ref_code_typed_with_spaces_is_one_term_when_the_archive_has_it() {
        let known = HoldsRef("J012-WS-1998-Y-0034");
        let a = analyze("王磊 J012 WS 1998 Y 0034", &known, &mut Vec::new());
        assert_eq!(a.terms.len(), 2);
        assert!(
            matches!(&a.terms[1], Term::RefCode { written, .. } if written == "J012 WS 1998 Y 0034")
        );
        // Unknown: the pieces are read one by one.
        let a = analyze("J012 WS 1998", &NothingKnown, &mut Vec::new());
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
            matches!(&a.terms[3], Term::DocNumber { written, .. } if written == "甘劳人薪〔1998〕45号")
        );
        assert!(
            matches!(&a.terms[4], Term::RefCode { written, .. } if written == "J012-WS·1998-Y-0034")
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

    #[test]
    fn punctuation_never_becomes_a_term_of_its_own() {
        for q in ["王磊 ，", "王磊，", "“王磊”", "王磊 、 1998", "王磊。"] {
            let a = terms(q);
            assert!(
                a.terms.iter().all(
                    |t| !matches!(t, Term::Text { text, .. } if !text.chars().any(is_searchable))
                ),
                "{q}: {:?}",
                a.terms
            );
            assert!(!a.terms.is_empty(), "{q}");
        }
    }

    #[test]
    fn a_pasted_sentence_reads_whole_or_by_its_parts() {
        let a = terms("10月1日起，第1批");
        assert_eq!(a.passage.as_deref(), Some("10月1日起,第1批"));
        let [Term::Readings(readings)] = &a.terms[..] else {
            panic!("{:?}", a.terms);
        };
        assert!(
            matches!(&readings[0][..], [Term::Text { text, quoted: true, .. }] if text == "10月1日起,第1批")
        );
        assert!(readings[1].len() >= 2, "{readings:?}");
        // Several lines: each line a piece, the whole still a passage.
        let a = terms("经审核，张三同志，男，\n一九四二年三月出生");
        assert!(a.passage.is_some());
        assert_eq!(a.terms.len(), 2);
        // A field prefix or a 文号 is not a pasted sentence.
        assert!(terms("姓名:王磊").passage.is_none());
        assert!(matches!(
            terms("甘劳人薪（1998）45号").terms[0],
            Term::DocNumber { .. }
        ));
    }

    #[test]
    fn grouped_id_numbers_read_as_the_id_and_as_the_groups() {
        let a = terms("620902 19420321 2464");
        let [Term::Readings(readings)] = &a.terms[..] else {
            panic!("{:?}", a.terms);
        };
        assert_eq!(
            readings[0],
            vec![Term::IdNumber {
                key: "620902194203212464".into(),
                valid: true
            }]
        );
        assert_eq!(readings[1].len(), 3);
        let a = terms("６２０９０２　１９４２０３２１　２４６４");
        assert!(matches!(&a.terms[..], [Term::Readings(_)]), "{:?}", a.terms);
    }

    #[test]
    fn doc_numbers_with_two_digit_years() {
        let a = terms("河政发〔79〕83号");
        let [Term::DocNumber { keys, .. }] = &a.terms[..] else {
            panic!("{:?}", a.terms);
        };
        assert!(keys.contains(&"河政发[1979]83号".to_string()), "{keys:?}");
    }
}
