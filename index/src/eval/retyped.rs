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

/// An 18-digit ID typed in groups, as clerks read it off a card: 6-8-4 or 3-3-4-4-4, with
/// spaces, ideographic spaces, dots or dashes between the groups.
pub fn grouped_id(id18: &str, style: usize) -> Option<String> {
    let cut = |sizes: &[usize], sep: &str| -> Option<String> {
        let mut groups = Vec::new();
        let mut at = 0;
        for size in sizes {
            groups.push(id18.get(at..at + size)?);
            at += size;
        }
        Some(groups.join(sep))
    };
    match style % 5 {
        0 => cut(&[6, 8, 4], " "),
        1 => cut(&[3, 3, 4, 4, 4], " "),
        2 => cut(&[6, 8, 4], "\u{3000}"),
        3 => cut(&[6, 8, 4], "."),
        _ => cut(&[6, 4, 4, 4], "-"),
    }
}

/// The parts of a 文号 as written: (issuer, year, serial) of 清劳人薪〔1998〕45号.
fn doc_number_parts(docno: &str) -> Option<(&str, &str, &str)> {
    let open = docno.find(['〔', '[', '（', '(', '［'])?;
    let issuer = &docno[..open];
    let rest = &docno[open..];
    let inside = &rest[rest.chars().next()?.len_utf8()..];
    let year_len = inside.bytes().take_while(u8::is_ascii_digit).count();
    let year = &inside[..year_len];
    let after = &inside[year_len..];
    let serial = after[after.chars().next()?.len_utf8()..].strip_suffix('号')?;
    (year_len == 4 && !issuer.is_empty()).then_some((issuer, year, serial))
}

/// The 文号 with its year in two digits (清劳人薪〔98〕45号), for years a two-digit year reads
/// back as (1930–2029).
pub fn doc_number_short_year(docno: &str) -> Option<String> {
    let (_, year, _) = doc_number_parts(docno)?;
    let y: i32 = year.parse().ok()?;
    (1930..=2029)
        .contains(&y)
        .then(|| docno.replacen(year, &year[2..], 1))
}

/// The 文号 typed without brackets: 清劳人薪1998 45号, 清劳人薪98-45, 清劳人薪1998年第45号.
pub fn doc_number_unbracketed(docno: &str, style: usize) -> Option<String> {
    let (issuer, year, serial) = doc_number_parts(docno)?;
    let y: i32 = year.parse().ok()?;
    Some(match style % 3 {
        0 => format!("{issuer}{year} {serial}号"),
        1 if (1930..=2029).contains(&y) => format!("{issuer}{}-{serial}", &year[2..]),
        _ => format!("{issuer}{year}年第{serial}号"),
    })
}

/// The 档号 with the leading zeros of its item number left out (J012-WS·1998-Y-34), and of
/// the fonds too when `fonds` (J12-WS·1998-Y-34).
pub fn ref_without_zeros(canonical: &str, fonds: bool) -> Option<String> {
    let (head, item) = canonical.rsplit_once('-')?;
    let short_item = item.trim_start_matches('0');
    if short_item.len() == item.len() || short_item.is_empty() {
        return None;
    }
    let head = if fonds {
        let (letters, rest) = head.split_at(head.find(|c: char| c.is_ascii_digit())?);
        let digits_end = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        let number = rest[..digits_end].trim_start_matches('0');
        format!("{letters}{number}{}", &rest[digits_end..])
    } else {
        head.to_string()
    };
    Some(format!("{head}-{short_item}"))
}

/// The sentence of an approval that names its person, as stored, from 经审核 to 参加工作
/// (经审核，刘建国同志，男，一九三六年八月出生，一九五四年三月参加工作).
pub fn approval_sentence(text: &str) -> Option<String> {
    let start = text.find("经审核")?;
    let end = start + text[start..].find("参加工作")? + "参加工作".len();
    Some(text[start..end].to_string())
}

/// The sentence as printed on the original rather than as OCR stored it: Chinese punctuation,
/// no stray spaces, 〇 for O, and a line break after its second comma (copied from a page).
pub fn as_printed(sentence: &str) -> String {
    let mut out = String::new();
    let mut commas = 0;
    let mut chars = sentence.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            ',' | '，' => {
                out.push('，');
                commas += 1;
                if commas == 2 {
                    out.push('\n');
                }
                while chars.peek() == Some(&' ') {
                    chars.next();
                }
            }
            ':' => out.push('：'),
            'O' => out.push('〇'),
            c => out.push(c),
        }
    }
    out
}
