//! The kinds of query: for each way a clerk's typing and a record's writing disagree (DESIGN.md,
//! "Chinese text: what a clerk types vs what the record says"), which truth rows can be asked
//! for and what the clerk types for them. Every query is built with the small transformations
//! of `tables`, never with the crate's normalizer.

use rand::Rng;
use serde::Serialize;

use super::corpus::Corpus;
use super::retyped::{
    approval_phrases, birth_of, birth_styles, bracket_of, has_ocr_zero, rebracket, ref_with,
    retyped_zero, unit_short,
};
use super::tables::{
    confused_names, full_width, id15_of, name_initials, name_pinyin, traditional, BRACKETS, DOTS,
};

/// What counts as finding the answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// This entry (person-row).
    Row(i64),
    /// Any entry of this person (truth person id): an ID or a birth date names a person.
    Person(usize),
    /// This document, as a document hit or through one of its rows.
    Document(i64),
}

/// A query and its answer.
#[derive(Debug, Clone)]
pub struct Query {
    pub text: String,
    pub target: Target,
    /// The truth row the query was made from.
    pub row: usize,
    /// The name as the clerk typed it, for queries that hold one.
    pub typed_name: Option<String>,
}

type Candidate = fn(&Corpus, usize) -> bool;
type Make = fn(&Corpus, usize, &mut dyn rand::RngCore, usize) -> Option<Query>;

pub struct Kind {
    pub name: &'static str,
    pub description: &'static str,
    /// Tiers the target's hit should have (empty: any).
    pub expected_tiers: &'static [&'static str],
    /// Also report "target in top 10, or every top-10 hit is an entry of exactly that name".
    pub same_name_alternative: bool,
    /// One query per document at most.
    pub per_document: bool,
    pub candidate: Candidate,
    pub make: Make,
}

const EXACT: &[&str] = &["exact"];

/// Surnames whose reading as a surname is not the character's usual one.
const SURNAME_READINGS: [char; 10] = ['单', '曾', '解', '仇', '朴', '查', '区', '覃', '盖', '翟'];

fn t(c: &Corpus, i: usize) -> &super::corpus::TruthRow {
    &c.rows[i]
}

fn clean_name(c: &Corpus, i: usize) -> bool {
    t(c, i).written_name == t(c, i).name
}

fn is_han(name: &str) -> bool {
    !name.contains('\u{b7}')
}

/// Tags of the ways a name is written differently from the person's canonical name.
const NAME_MESS: &[&str] = &[
    "traditional_name",
    "ideographic_space",
    "homophone",
    "untypeable",
    "middle_dot",
    "variant_char",
];

/// The row is the only one of its person that year, and of the ways its name can be written
/// differently it has `tag` and no other (so that each kind measures one mismatch).
fn sole_with(c: &Corpus, i: usize, tag: &str) -> bool {
    c.sole_row_of_year(i)
        && t(c, i).has(tag)
        && NAME_MESS.iter().all(|m| *m == tag || !t(c, i).has(m))
}

/// The row is the only one of its person that year, and the name is written as it is.
fn clean_sole(c: &Corpus, i: usize) -> bool {
    c.sole_row_of_year(i) && clean_name(c, i)
}

/// The ID is written as the canonical 18 digits.
fn clean_id18(c: &Corpus, i: usize) -> bool {
    t(c, i).written_id == t(c, i).id18
}

fn row(c: &Corpus, i: usize) -> Option<Target> {
    c.entry[i].map(Target::Row)
}

fn person(c: &Corpus, i: usize) -> Option<Target> {
    c.entry[i].map(|_| Target::Person(t(c, i).person_id))
}

fn document(c: &Corpus, i: usize) -> Option<Target> {
    c.document[i].map(Target::Document)
}

fn query(text: String, target: Option<Target>, row: usize, name: Option<&str>) -> Option<Query> {
    Some(Query {
        text,
        target: target?,
        row,
        typed_name: name.map(str::to_string),
    })
}

/// Name + year, the clerk's usual way to narrow a common name.
fn name_and_year(c: &Corpus, i: usize, name: &str) -> Option<Query> {
    query(format!("{name} {}", t(c, i).year), row(c, i), i, Some(name))
}

pub const KINDS: &[Kind] = &[
    Kind {
        name: "name",
        description: "canonical name + document year (clean rows; the year narrows a name that repeats across thousands of rows)",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: clean_sole,
        make: |c, i, _, _| name_and_year(c, i, &t(c, i).name),
    },
    Kind {
        name: "name_year",
        description: "name and year typed as one piece (刘建国1998) or with 年 (刘建国 1998年)",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: clean_sole,
        make: |c, i, _, n| {
            let r = t(c, i);
            let text = if n % 2 == 0 {
                format!("{}{}", r.name, r.year)
            } else {
                format!("{} {}年", r.name, r.year)
            };
            query(text, row(c, i), i, Some(&r.name))
        },
    },
    Kind {
        name: "name_only_2char",
        description: "a two-character name alone (王磊), no year; alt = target in top 10 OR all top-10 hits are exactly that name",
        expected_tiers: EXACT,
        same_name_alternative: true,
        per_document: false,
        candidate: |c, i| {
            c.entry[i].is_some() && clean_name(c, i) && t(c, i).name.chars().count() == 2
        },
        make: |c, i, _, _| query(t(c, i).name.clone(), row(c, i), i, Some(&t(c, i).name)),
    },
    Kind {
        name: "traditional_name",
        description: "record in traditional characters (劉建國); clerk types the simplified name + year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| sole_with(c, i, "traditional_name"),
        make: |c, i, _, _| name_and_year(c, i, &t(c, i).name),
    },
    Kind {
        name: "traditional_query",
        description: "clerk types the name in traditional characters (劉建國) + year; record simplified",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && traditional(&t(c, i).name).is_some(),
        make: |c, i, _, _| name_and_year(c, i, &traditional(&t(c, i).name)?),
    },
    Kind {
        name: "fullwidth",
        description: "18-digit ID typed in full-width digits (４３１１２８…), alone; any row of the person counts",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| c.entry[i].is_some() && clean_id18(c, i),
        make: |c, i, _, _| query(full_width(&t(c, i).id18), person(c, i), i, None),
    },
    Kind {
        name: "fullwidth_year",
        description: "name + year typed in full-width digits (刘建国 １９９８)",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: clean_sole,
        make: |c, i, _, _| {
            let r = t(c, i);
            query(
                format!("{} {}", r.name, full_width(&r.year.to_string())),
                row(c, i),
                i,
                Some(&r.name),
            )
        },
    },
    Kind {
        name: "fullwidth_record",
        description: "record has a full-width ID and birth date; clerk types the 18-digit ID + document year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            c.sole_row_of_year(i) && t(c, i).has("fullwidth") && !t(c, i).written_id.is_empty()
        },
        make: |c, i, _, _| {
            let r = t(c, i);
            query(format!("{} {}", r.id18, r.year), row(c, i), i, None)
        },
    },
    Kind {
        name: "ideographic_space",
        description: "record pads a two-character name with an ideographic space (王　磊); clerk types 王磊 + year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| sole_with(c, i, "ideographic_space"),
        make: |c, i, _, _| name_and_year(c, i, &t(c, i).name),
    },
    Kind {
        name: "ideographic_space_query",
        description: "clerk copies a name with an ideographic space inside (王　磊) + year; record 王磊",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && t(c, i).name.chars().count() == 2,
        make: |c, i, _, _| {
            let chars: Vec<char> = t(c, i).name.chars().collect();
            name_and_year(c, i, &format!("{}\u{3000}{}", chars[0], chars[1]))
        },
    },
    Kind {
        name: "middle_dot",
        description: "minority name: clerk types another middle dot (· • ‧ ・) than the record has + year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            !is_han(&t(c, i).name) && (clean_sole(c, i) || sole_with(c, i, "middle_dot"))
        },
        make: |c, i, rng, _| {
            let r = t(c, i);
            let at = r.name.chars().position(|ch| ch == '\u{b7}')?;
            let written_dot = r.written_name.chars().nth(at)?;
            let others: Vec<char> = DOTS.iter().copied().filter(|d| *d != written_dot).collect();
            let dot = others[rng.gen_range(0..others.len())];
            name_and_year(c, i, &r.name.replace('\u{b7}', &dot.to_string()))
        },
    },
    Kind {
        name: "variant_char",
        description: "record has the common form of a 异体字 (王哲); clerk types the name as the person writes it (王喆) + year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| sole_with(c, i, "variant_char"),
        make: |c, i, _, _| name_and_year(c, i, &t(c, i).name),
    },
    Kind {
        name: "variant_char_query",
        description: "record has the rare form (喆 堃 昇); clerk types the common form (哲 坤 升) + year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && t(c, i).name.contains(['喆', '堃', '昇']),
        make: |c, i, _, _| {
            let typed: String = t(c, i)
                .name
                .chars()
                .map(|ch| match ch {
                    '喆' => '哲',
                    '堃' => '坤',
                    '昇' => '升',
                    ch => ch,
                })
                .collect();
            name_and_year(c, i, &typed)
        },
    },
    Kind {
        name: "untypeable",
        description: "record has □ for a character its clerk could not type; clerk types the full name + year (found below exact)",
        expected_tiers: &["placeholder"],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| sole_with(c, i, "untypeable"),
        make: |c, i, _, _| name_and_year(c, i, &t(c, i).name),
    },
    Kind {
        name: "homophone",
        description: "record written with a homophone (王力军 for 王立军); clerk types the real name + year (found below exact)",
        expected_tiers: &["pinyin"],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            // The demo's table of homophones has a pair that is not one (海/凯): only rows
            // whose written name reads as the real one (by this module's table) are asked.
            let r = t(c, i);
            sole_with(c, i, "homophone")
                && name_pinyin(&r.name).is_some()
                && name_pinyin(&r.written_name.replace('\u{3000}', "")) == name_pinyin(&r.name)
        },
        make: |c, i, _, _| name_and_year(c, i, &t(c, i).name),
    },
    Kind {
        name: "id_exact",
        description: "18-digit ID typed as written, alone; any row of the person counts (an ID names a person)",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| c.entry[i].is_some() && clean_id18(c, i),
        make: |c, i, _, _| query(t(c, i).id18.clone(), person(c, i), i, None),
    },
    Kind {
        name: "id18_for_15",
        description: "record has the old 15-digit ID; clerk types the 18-digit ID + document year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            c.sole_row_of_year(i) && t(c, i).has("id15") && !t(c, i).has("fullwidth")
        },
        make: |c, i, _, _| {
            let r = t(c, i);
            query(format!("{} {}", r.id18, r.year), row(c, i), i, None)
        },
    },
    Kind {
        name: "id15_for_18",
        description: "record has the 18-digit ID; clerk types its 15-digit form (digits 7-8 and check removed) + document year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| c.sole_row_of_year(i) && clean_id18(c, i),
        make: |c, i, _, _| {
            let r = t(c, i);
            query(format!("{} {}", id15_of(&r.id18)?, r.year), row(c, i), i, None)
        },
    },
    Kind {
        name: "lowercase_x",
        description: "record's ID ends in a lowercase x; clerk types X + document year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| c.sole_row_of_year(i) && t(c, i).has("lowercase_x"),
        make: |c, i, _, _| {
            let r = t(c, i);
            query(format!("{} {}", r.id18, r.year), row(c, i), i, None)
        },
    },
    Kind {
        name: "lowercase_x_query",
        description: "record's ID ends in X; clerk types a lowercase x + document year",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| c.sole_row_of_year(i) && clean_id18(c, i) && t(c, i).id18.ends_with('X'),
        make: |c, i, _, _| {
            let r = t(c, i);
            query(
                format!("{} {}", r.id18.to_lowercase(), r.year),
                row(c, i),
                i,
                None,
            )
        },
    },
    Kind {
        name: "birth_month",
        description: "name + birth year-month written another way than the record (1956.07 / 1956年7月 / 195607 / 1956-07 / 1956/7); any row of the person counts",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            c.entry[i].is_some_and(|e| c.birth_raw.contains_key(&e))
                && clean_name(c, i)
                && !t(c, i).has("date_as_number")
        },
        make: |c, i, rng, _| {
            let r = t(c, i);
            let raw = c.birth_raw.get(&c.entry[i]?)?;
            let (y, m) = birth_of(&r.id18)?;
            let styles: Vec<String> = birth_styles(y, m)
                .into_iter()
                .filter(|s| s != raw)
                .collect();
            let typed = &styles[rng.gen_range(0..styles.len())];
            query(format!("{} {typed}", r.name), person(c, i), i, Some(&r.name))
        },
    },
    Kind {
        name: "date_as_number",
        description: "record's birth year.month stored by Excel as a number (1956.1 for 1956.10); clerk types name + 1956年10月 + document year",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && t(c, i).has("date_as_number"),
        make: |c, i, _, _| {
            let r = t(c, i);
            let (y, m) = birth_of(&r.id18)?;
            query(
                format!("{} {y}年{m}月 {}", r.name, r.year),
                row(c, i),
                i,
                Some(&r.name),
            )
        },
    },
    Kind {
        name: "ref_code",
        description: "档号 typed exactly as written; the document",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| c.document[i].is_some(),
        make: |c, i, _, _| query(t(c, i).ref_code_written.clone(), document(c, i), i, None),
    },
    Kind {
        name: "ref_code_separator",
        description: "档号 typed with - or spaces for its separators (J012-WS-1998-Y-0034, J012 WS 1998 Y 0034); the document",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| c.document[i].is_some() && t(c, i).ref_code_written == t(c, i).ref_code,
        make: |c, i, _, n| {
            let sep = if n % 2 == 0 { "-" } else { " " };
            query(ref_with(&t(c, i).ref_code, sep), document(c, i), i, None)
        },
    },
    Kind {
        name: "ref_code_separator_record",
        description: "record writes the 档号 with another separator (J012-WS•1998-Y-0034); clerk types J012-WS·1998-Y-0034",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| c.document[i].is_some() && t(c, i).has("refcode_separator"),
        make: |c, i, _, _| query(t(c, i).ref_code.clone(), document(c, i), i, None),
    },
    Kind {
        name: "docno_exact",
        description: "文号 typed exactly as stored; the document",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| c.stored_document(i).is_some_and(|d| d.doc_number.is_some()),
        make: |c, i, _, _| {
            query(
                c.stored_document(i)?.doc_number.clone()?,
                document(c, i),
                i,
                None,
            )
        },
    },
    Kind {
        name: "docno_bracket",
        description: "文号 typed with other brackets around the year than stored (〔〕 [] （） ()); the document",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| c.stored_document(i).is_some_and(|d| d.doc_number.is_some()),
        make: |c, i, rng, _| {
            let written = c.stored_document(i)?.doc_number.clone()?;
            let from = bracket_of(&written)?;
            let others: Vec<usize> = (0..BRACKETS.len()).filter(|b| *b != from).collect();
            let to = others[rng.gen_range(0..others.len())];
            query(rebracket(&written, to), document(c, i), i, None)
        },
    },
    Kind {
        name: "pinyin_full",
        description: "full pinyin of the name (liujianguo or liu jianguo) + year; found at tier pinyin",
        expected_tiers: &["pinyin"],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && name_pinyin(&t(c, i).name).is_some(),
        make: |c, i, _, n| {
            let r = t(c, i);
            let (s, g) = name_pinyin(&r.name)?;
            let typed = if n % 2 == 0 {
                format!("{s}{g}")
            } else {
                format!("{s} {g}")
            };
            query(format!("{typed} {}", r.year), row(c, i), i, None)
        },
    },
    Kind {
        name: "pinyin_surname_reading",
        description: "full pinyin + year for surnames read unlike the character's common reading (单 shan, 曾 zeng, 解 xie, 仇 qiu, 朴 piao, 查 zha, 区 ou, 覃 qin, 盖 ge, 翟 zhai)",
        expected_tiers: &["pinyin"],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            clean_sole(c, i)
                && t(c, i).name.starts_with(SURNAME_READINGS)
                && name_pinyin(&t(c, i).name).is_some()
        },
        make: |c, i, _, _| {
            let r = t(c, i);
            let (s, g) = name_pinyin(&r.name)?;
            query(format!("{s}{g} {}", r.year), row(c, i), i, None)
        },
    },
    Kind {
        name: "pinyin_initials",
        description: "pinyin initials (ljg) + year + unit short name (initials alone match hundreds); found at tier initials",
        expected_tiers: &["initials"],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            clean_sole(c, i)
                && !t(c, i).has("traditional_unit")
                && name_initials(&t(c, i).name).is_some()
        },
        make: |c, i, _, _| {
            let r = t(c, i);
            query(
                format!(
                    "{} {} {}",
                    name_initials(&r.name)?,
                    r.year,
                    unit_short(&r.unit)
                ),
                row(c, i),
                i,
                None,
            )
        },
    },
    Kind {
        name: "fuzzy_pinyin",
        description: "clerk writes one character of a confused reading (n/l 牛/刘, f/h 黄/方, -n/-ng 程/陈) + year; found at tier fuzzy_pinyin, below exact pinyin",
        expected_tiers: &["fuzzy_pinyin"],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && !confused_names(&t(c, i).name).is_empty(),
        make: |c, i, rng, _| {
            let options = confused_names(&t(c, i).name);
            let typed = &options[rng.gen_range(0..options.len())];
            name_and_year(c, i, typed)
        },
    },
    Kind {
        name: "unit_phrase",
        description: "name + unit short name (刘建国 水泥厂), no year; any row of the person counts",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| {
            c.entry[i].is_some() && clean_name(c, i) && !t(c, i).has("traditional_unit")
        },
        make: |c, i, _, _| {
            let r = t(c, i);
            query(
                format!("{} {}", r.name, unit_short(&r.unit)),
                person(c, i),
                i,
                Some(&r.name),
            )
        },
    },
    Kind {
        name: "traditional_unit",
        description: "record writes the unit in traditional characters (清源縣第二水泥廠); clerk types name + simplified unit short name + year",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| clean_sole(c, i) && t(c, i).has("traditional_unit"),
        make: |c, i, _, _| {
            let r = t(c, i);
            query(
                format!("{} {} {}", r.name, unit_short(&r.unit), r.year),
                row(c, i),
                i,
                Some(&r.name),
            )
        },
    },
    Kind {
        name: "full_text_phrase",
        description: "two phrases of a retirement approval's full text (一九三六年八月出生 一九五四年三月参加工作); the document",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| {
            c.stored_document(i)
                .and_then(|d| d.full_text.as_deref())
                .and_then(approval_phrases)
                .is_some_and(|(a, b)| !has_ocr_zero(&a) && !has_ocr_zero(&b))
        },
        make: |c, i, _, _| {
            let (a, b) = approval_phrases(c.stored_document(i)?.full_text.as_deref()?)?;
            query(format!("{a} {b}"), document(c, i), i, None)
        },
    },
    Kind {
        name: "full_text_ocr_zero",
        description: "as full_text_phrase where OCR read 〇 as O in the stored text; clerk types 〇 (not in DESIGN.md: OCR noise)",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| {
            c.stored_document(i)
                .and_then(|d| d.full_text.as_deref())
                .and_then(approval_phrases)
                .is_some_and(|(a, b)| has_ocr_zero(&a) || has_ocr_zero(&b))
        },
        make: |c, i, _, _| {
            let (a, b) = approval_phrases(c.stored_document(i)?.full_text.as_deref()?)?;
            query(
                format!("{} {}", retyped_zero(&a), retyped_zero(&b)),
                document(c, i),
                i,
                None,
            )
        },
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_helpers() {
        assert_eq!(unit_short("清源县第二水泥厂"), "水泥厂");
        assert_eq!(unit_short("清源县城关镇供销社"), "供销社");
        assert_eq!(
            ref_with("J012-WS\u{b7}1998-Y-0034", " "),
            "J012 WS 1998 Y 0034"
        );
        assert_eq!(rebracket("清劳人退〔1998〕45号", 2), "清劳人退（1998）45号");
        assert_eq!(bracket_of("清劳人退[1998]45号"), Some(1));
        let text = "经审核，刘建国同志，男，一九三六年八月出生, 一九五四年三月参加工作，居民";
        assert_eq!(
            approval_phrases(text),
            Some((
                "一九三六年八月出生".to_string(),
                "一九五四年三月参加工作".to_string()
            ))
        );
        assert_eq!(birth_of("431128193608161926"), Some((1936, 8)));
    }
}
