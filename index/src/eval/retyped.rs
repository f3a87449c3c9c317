//! Values written another way, as a clerk types them or a past clerk wrote them: birth months
//! in their written forms, 档号 with other separators, 文号 with other brackets, a unit's short
//! name, phrases of an approval's text, OCR's O for 〇. The generator's own code, never the
//! crate's normalizer.

use super::tables::BRACKETS;

/// The unit as a clerk says it: without the county, 城关镇 or the ordinal (第二水泥厂 → 水泥厂).
pub fn unit_short(unit: &str) -> String {
    let mut s = unit.strip_prefix("清源县").unwrap_or(unit);
    for p in ["城关镇", "第一", "第二"] {
        s = s.strip_prefix(p).unwrap_or(s);
    }
    s.to_string()
}

/// Birth (year, month) from the canonical 18-digit ID.
pub fn birth_of(id18: &str) -> Option<(i32, u32)> {
    let y = id18.get(6..10)?.parse().ok()?;
    let m = id18.get(10..12)?.parse().ok()?;
    Some((y, m))
}

/// Ways clerks write a year and month.
pub fn birth_styles(y: i32, m: u32) -> [String; 5] {
    [
        format!("{y}.{m:02}"),
        format!("{y}年{m}月"),
        format!("{y}{m:02}"),
        format!("{y}-{m:02}"),
        format!("{y}/{m}"),
    ]
}

/// The separators of a canonical 档号 (J012-WS·1998-Y-0034) replaced by `sep`.
pub fn ref_with(canonical: &str, sep: &str) -> String {
    canonical
        .chars()
        .map(|c| {
            if c == '-' || c == '\u{b7}' {
                sep.to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// The two phrases of an approval's body that identify its person: birth and hiring
/// (一九三六年八月出生, 一九五四年三月参加工作), as the stored text has them.
pub fn approval_phrases(text: &str) -> Option<(String, String)> {
    let phrase = |end: &str| -> Option<String> {
        let at = text.find(end)?;
        let before = &text[..at];
        let start = before
            .rfind(['，', ',', ' ', '\n', '。'])
            .map(|p| p + before[p..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        let s = format!("{}{end}", &text[start..at]);
        (s.chars().count() > end.chars().count() + 4).then_some(s)
    };
    Some((phrase("出生")?, phrase("参加工作")?))
}

/// OCR reads 〇 as O now and then; a clerk types 〇.
pub fn has_ocr_zero(s: &str) -> bool {
    s.contains('O')
}

pub fn retyped_zero(s: &str) -> String {
    s.replace('O', "〇")
}

/// Which bracket pair a document number uses around its year.
pub fn bracket_of(docno: &str) -> Option<usize> {
    BRACKETS
        .iter()
        .position(|(l, _)| docno.contains(*l))
        .or_else(|| {
            // Full-width square brackets ［］ count as [] for choosing another style.
            docno.contains('［').then_some(1)
        })
}

pub fn rebracket(docno: &str, to: usize) -> String {
    let (l, r) = BRACKETS[to];
    docno
        .chars()
        .map(|c| match c {
            '〔' | '[' | '（' | '(' | '［' => l,
            '〕' | ']' | '）' | ')' | '］' => r,
            c => c,
        })
        .collect()
}
