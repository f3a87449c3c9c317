//! Kinds of query as clerks really type at the counter, beyond the mismatches DESIGN.md lists: a
//! sentence pasted with its punctuation, an ID typed in groups, a 文号 with a two-digit year or
//! without brackets, a 档号 without leading zeros, and an ID that should bring rows of its person
//! that carry no ID. Built, like `kinds`, with the generator's own transformations.

use super::corpus::Corpus;
use super::kinds::{Kind, Query, Target};
use super::retyped::{
    approval_sentence, as_printed, doc_number_short_year, doc_number_unbracketed, grouped_id,
    ref_without_zeros,
};

const EXACT: &[&str] = &["exact"];

fn document(c: &Corpus, i: usize) -> Option<Target> {
    c.document[i].map(Target::Document)
}

fn query(text: String, target: Option<Target>, row: usize) -> Option<Query> {
    Some(Query {
        text,
        target: target?,
        row,
        typed_name: None,
    })
}

fn sentence(c: &Corpus, i: usize) -> Option<String> {
    approval_sentence(c.stored_document(i)?.full_text.as_deref()?)
}

/// A row written without an ID that the person timeline can join to its person's ID: its name
/// and birth month are those of a row of the same person that carries the ID. (Whether some
/// other holder of that name and month contests the join is left to the search to decide.)
fn joinable_without_id(c: &Corpus, i: usize) -> bool {
    let r = &c.rows[i];
    let Some(entry) = c.entry[i] else {
        return false;
    };
    let month = |raw: &str| {
        crate::text::parse_date(raw)
            .ok()
            .map(|p| (p.date.year, p.date.month))
    };
    let birth = c.birth_raw.get(&entry).and_then(|b| month(b));
    let id_birth = super::retyped::birth_of(&r.id18).map(|(y, m)| (y, Some(m as u8)));
    if !r.has("id_missing") || !c.sole_row_of_year(i) || birth.is_none() || birth != id_birth {
        return false;
    }
    let name = crate::text::normalize_name(&r.written_name);
    c.rows_of_person[&r.person_id].iter().any(|&j| {
        let o = &c.rows[j];
        j != i
            && c.entry[j].is_some()
            && crate::text::normalize_name(&o.written_name) == name
            && crate::text::parse_id_number(&o.written_id).is_some_and(|id| id.key == r.id18)
    })
}

fn stored_doc_number(c: &Corpus, i: usize) -> Option<String> {
    c.stored_document(i)?.doc_number.clone()
}

pub const COUNTER_KINDS: &[Kind] = &[
    Kind {
        name: "id_year_unnumbered_row",
        description: "the person's 18-digit ID and a year whose row carries no ID, only the same name and birth month (a roster, an early wage table); that row, below the rows that carry the ID",
        expected_tiers: &["same_person"],
        same_name_alternative: false,
        per_document: false,
        candidate: joinable_without_id,
        make: |c, i, _, _| {
            let r = &c.rows[i];
            query(format!("{} {}", r.id18, r.year), c.entry[i].map(Target::Row), i)
        },
    },
    Kind {
        name: "pasted_sentence",
        description: "a sentence of an approval's text copied from the screen, punctuation and all (经审核，刘建国同志，男，…参加工作); the document",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| sentence(c, i).is_some(),
        make: |c, i, _, _| query(sentence(c, i)?, document(c, i), i),
    },
    Kind {
        name: "pasted_sentence_printed",
        description: "the same sentence copied from the printed original: Chinese punctuation where OCR stored other, 〇 for O, a line break inside; the document",
        expected_tiers: &[],
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| sentence(c, i).is_some(),
        make: |c, i, _, _| query(as_printed(&sentence(c, i)?), document(c, i), i),
    },
    Kind {
        name: "id_grouped",
        description: "18-digit ID typed in groups (620902 19420321 2464, 620 902 1942 0321 2464, ideographic spaces, dots, dashes); any row of the person",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: false,
        candidate: |c, i| c.entry[i].is_some() && c.rows[i].written_id == c.rows[i].id18,
        make: |c, i, _, n| {
            let r = &c.rows[i];
            query(
                grouped_id(&r.id18, n)?,
                c.entry[i].map(|_| Target::Person(r.person_id)),
                i,
            )
        },
    },
    Kind {
        name: "docno_short_year",
        description: "文号 typed with a two-digit year (清劳人退〔98〕45号 for 〔1998〕); the document",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| stored_doc_number(c, i).and_then(|d| doc_number_short_year(&d)).is_some(),
        make: |c, i, _, _| {
            query(
                doc_number_short_year(&stored_doc_number(c, i)?)?,
                document(c, i),
                i,
            )
        },
    },
    Kind {
        name: "docno_unbracketed",
        description: "文号 typed without brackets (清劳人退1998 45号, 清劳人退98-45, 清劳人退1998年第45号); the document",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| stored_doc_number(c, i).and_then(|d| doc_number_unbracketed(&d, 0)).is_some(),
        make: |c, i, _, n| {
            query(
                doc_number_unbracketed(&stored_doc_number(c, i)?, n)?,
                document(c, i),
                i,
            )
        },
    },
    Kind {
        name: "ref_code_no_zeros",
        description: "档号 typed without the leading zeros of its item number (J012-WS-1998-Y-34), or of the fonds too (J12-…); the document, first",
        expected_tiers: EXACT,
        same_name_alternative: false,
        per_document: true,
        candidate: |c, i| c.document[i].is_some() && ref_without_zeros(&c.rows[i].ref_code, false).is_some(),
        make: |c, i, _, n| {
            let typed = ref_without_zeros(&c.rows[i].ref_code, n % 2 == 1)?;
            query(typed.replace('\u{b7}', "-"), document(c, i), i)
        },
    },
];
