//! Each analysed term becomes clauses, one per way it can match, each with the ranking tier it
//! earns: exact key > same characters > □ placeholder > same pinyin > fuzzy pinyin > initials.

use std::collections::BTreeSet;

use tantivy::query::{
    BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::{TokenStream, Tokenizer};
use tantivy::Term as IndexTerm;

use super::analyze::{Scope, Term};
use super::cjk_tokenizer::CjkTokenizer;
use super::schema::Fields;
use crate::text::codes::ref_code_key;
use crate::text::{is_cjk, name_pinyin, normalize_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tier {
    Exact,
    Text,
    Placeholder,
    /// Text the recognizer read on a scanned page (扫描页识别), holding what was typed: found by
    /// no catalogue and read by a machine that may have misread it, so below every catalogued
    /// record that holds what was typed; above records that merely sound alike or share part
    /// of the name, since a page that prints the very name is likelier the person asked for.
    ScannedPage,
    Pinyin,
    FuzzyPinyin,
    /// The query is part of a longer name (张春 in 张春勇): another person, most likely, so
    /// below a misspelt or untypeable version of the very name.
    PartialName,
    Initials,
    /// A record the person timeline joins to the holder of the ID asked for (same name and
    /// birth month, or a clerk's confirmation): a guess, below every match of the ID itself.
    SamePerson,
}

impl Tier {
    pub const ALL: [Tier; 9] = [
        Tier::Exact,
        Tier::Text,
        Tier::Placeholder,
        Tier::ScannedPage,
        Tier::Pinyin,
        Tier::FuzzyPinyin,
        Tier::PartialName,
        Tier::Initials,
        Tier::SamePerson,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Tier::Exact => "exact",
            Tier::Text => "text",
            Tier::Placeholder => "placeholder",
            Tier::Pinyin => "pinyin",
            Tier::FuzzyPinyin => "fuzzy_pinyin",
            Tier::PartialName => "partial_name",
            Tier::Initials => "initials",
            Tier::SamePerson => "same_person",
            Tier::ScannedPage => "scanned_page",
        }
    }
}

/// One way a term can match: its tier, whether it is a field of the person-row itself (an entry
/// is only a hit when something of its own matched), and the field named in the hit.
pub struct Clause {
    pub tier: Tier,
    pub own: bool,
    /// A field that names the person (name, ID, reading), as against unit or other columns.
    pub person: bool,
    /// A match in the document's own text (title, full text, 著录项), which its entries do not
    /// carry: the search joins it to them by document id.
    pub document_level: bool,
    pub field: &'static str,
    pub query: Box<dyn Query>,
}

/// The texts of a term as the snippet looks for them.
pub fn highlight_texts(term: &Term) -> Vec<String> {
    match term {
        Term::Text { text, .. } => vec![text.clone()],
        Term::RefCode { written, .. } | Term::DocNumber { written, .. } => vec![written.clone()],
        Term::Pinyin { letters, .. } => vec![letters.clone()],
        Term::Readings(readings) => readings
            .iter()
            .flatten()
            .flat_map(highlight_texts)
            .collect(),
        Term::IdNumber { .. } | Term::Year(_) | Term::Month { .. } => Vec::new(),
    }
}

/// An ID number's 18-character key and, for a person born in the 1900s, the 15-digit number
/// first issued (the century and the check digit left out), as old tables print it.
pub fn id_forms(key: &str, valid: bool) -> Vec<String> {
    let mut forms = vec![key.to_string()];
    // Only for a number that is one: a mistyped or damaged one is looked for as written.
    if valid && key.len() == 18 && key.is_ascii() && &key[6..8] == "19" {
        forms.push(format!("{}{}", &key[..6], &key[8..17]));
    }
    forms
}

/// The ID numbers a query asks for (each in its printed forms), to find their row on a scanned
/// page; never highlighted (see `highlight_texts`).
pub fn id_keys(term: &Term) -> Vec<String> {
    match term {
        Term::IdNumber { key, valid } => id_forms(key, *valid),
        Term::Readings(readings) => readings.iter().flatten().flat_map(id_keys).collect(),
        _ => Vec::new(),
    }
}

fn term_query(field: Field, text: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        IndexTerm::from_field_text(field, text),
        IndexRecordOption::WithFreqs,
    ))
}

fn set_query(field: Field, values: &[String]) -> Option<Box<dyn Query>> {
    let terms: BTreeSet<String> = values.iter().filter(|v| !v.is_empty()).cloned().collect();
    match terms.len() {
        0 => None,
        1 => Some(term_query(field, terms.iter().next().unwrap())),
        _ => Some(any_term(
            terms
                .iter()
                .map(|v| IndexTerm::from_field_text(field, v))
                .collect(),
        )),
    }
}

pub(super) fn text_term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        IndexTerm::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

pub(super) fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

/// Any of `terms`. Few terms are a disjunction of term queries: a `TermSetQuery` builds an
/// automaton whose builder alone clears a megabyte, which costs more than a short list.
pub fn any_term(terms: Vec<IndexTerm>) -> Box<dyn Query> {
    if terms.len() > 64 {
        return Box::new(TermSetQuery::new(terms));
    }
    Box::new(BooleanQuery::new(
        terms
            .into_iter()
            .map(|t| {
                (
                    Occur::Should,
                    Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)) as Box<dyn Query>,
                )
            })
            .collect(),
    ))
}

fn boosted(query: Box<dyn Query>, boost: f32) -> Box<dyn Query> {
    Box::new(BoostQuery::new(query, boost))
}

/// Tokens of `text` by position, as the index tokenizer makes them: (unigram or word, bigram).
fn grams(text: &str) -> Vec<(String, Option<String>)> {
    let mut tokenizer = CjkTokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut out: Vec<(String, Option<String>)> = Vec::new();
    let mut last = usize::MAX;
    while stream.advance() {
        let t = stream.token();
        if t.position != last {
            last = t.position;
            out.push((t.text.clone(), None));
        } else if let Some(slot) = out.last_mut() {
            slot.1 = Some(t.text.clone());
        }
    }
    out
}

/// The fewest terms that cover `text` in a field of the CJK tokenizers, with their positions:
/// bigrams at every other position (王立军 → 王立@0 + 立军@1 for its last character), and the
/// unigram or word where no bigram covers a position. A phrase of these matches exactly where
/// every character is, in order.
fn covering_terms(field: Field, text: &str) -> Vec<(usize, IndexTerm)> {
    let grams = grams(text);
    let mut terms: Vec<(usize, IndexTerm)> = Vec::new();
    let term = |s: &str| IndexTerm::from_field_text(field, s);
    let mut i = 0;
    while i < grams.len() {
        match (
            &grams[i].1,
            i.checked_sub(1).and_then(|p| grams[p].1.as_ref()),
        ) {
            (Some(bigram), _) if i + 1 < grams.len() => {
                terms.push((i, term(bigram)));
                i += 2;
                continue;
            }
            (_, Some(previous)) => {
                if terms.last().is_none_or(|(p, _)| *p != i - 1) {
                    terms.push((i - 1, term(previous)));
                }
            }
            _ => terms.push((i, term(&grams[i].0))),
        }
        i += 1;
    }
    terms
}

/// `text` as a phrase in a positional CJK field.
pub fn phrase(field: Field, text: &str) -> Option<Box<dyn Query>> {
    let terms = covering_terms(field, text);
    match terms.len() {
        0 => None,
        1 => Some(Box::new(TermQuery::new(
            terms.into_iter().next().unwrap().1,
            IndexRecordOption::WithFreqs,
        ))),
        _ => Some(Box::new(PhraseQuery::new_with_offset(terms))),
    }
}

/// Names with one character replaced by □: a record whose clerk could not type that character.
fn placeholder_variants(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    if !(2..=4).contains(&chars.len()) || chars.contains(&'□') {
        return Vec::new();
    }
    (0..chars.len())
        .map(|i| {
            let mut v = chars.clone();
            v[i] = '□';
            v.into_iter().collect()
        })
        .collect()
}

/// The clauses of each reading of a term: a reading of one term keeps its clauses; a reading of
/// several is one clause that needs all of them in the record's own fields.
fn readings_clauses(readings: &[Vec<Term>], f: &Fields) -> Vec<Clause> {
    let mut out = Vec::new();
    for reading in readings {
        match &reading[..] {
            [] => {}
            [one] => out.extend(clauses(one, f)),
            several => {
                let parts: Option<Vec<(Occur, Box<dyn Query>)>> = several
                    .iter()
                    .map(|t| {
                        let c = clauses(t, f);
                        (!c.is_empty()).then(|| {
                            let any: Box<dyn Query> = Box::new(BooleanQuery::new(
                                c.into_iter().map(|c| (Occur::Should, c.query)).collect(),
                            ));
                            (Occur::Must, any)
                        })
                    })
                    .collect();
                if let Some(parts) = parts {
                    out.push(Clause {
                        tier: Tier::Text,
                        own: true,
                        person: false,
                        document_level: false,
                        field: "parts",
                        query: Box::new(BooleanQuery::new(parts)),
                    });
                }
            }
        }
    }
    out.sort_by_key(|c| c.tier);
    out
}

pub fn clauses(term: &Term, f: &Fields) -> Vec<Clause> {
    if let Term::Readings(readings) = term {
        return readings_clauses(readings, f);
    }
    let mut out = Vec::new();
    let mut push = |tier, own, field, query: Option<Box<dyn Query>>| {
        if let Some(query) = query {
            out.push(Clause {
                tier,
                own,
                person: matches!(
                    field,
                    "name" | "id_number" | "name_pinyin" | "name_initials"
                ),
                document_level: matches!(
                    field,
                    "title" | "full_text" | "document" | "doc_number" | "ref_code" | "date"
                ),
                field,
                query,
            });
        }
    };
    match term {
        Term::IdNumber { key, valid } => {
            push(
                Tier::Exact,
                true,
                "id_number",
                Some(boosted(term_query(f.id_key, key), 4.0)),
            );
            // Text (a document's, a scanned page's) holds the number as it was printed: in 18
            // digits, or, before 1999, in 15.
            let forms: Vec<String> = id_forms(key, *valid)
                .iter()
                .map(|k| k.to_lowercase())
                .collect();
            push(
                Tier::Text,
                false,
                "full_text",
                set_query(f.full_text, &forms),
            );
            push(
                Tier::ScannedPage,
                true,
                "page_text",
                set_query(f.page_text, &forms),
            );
        }
        Term::RefCode { written, keys } => {
            // The 档号 the archive has, or as typed; several that differ only in leading zeros
            // (J12 for J012 and J0012) are none of them exactly what was typed.
            let tier = if keys.len() > 1 {
                Tier::Text
            } else {
                Tier::Exact
            };
            let typed = [ref_code_key(written)];
            let keys = if keys.is_empty() {
                &typed[..]
            } else {
                &keys[..]
            };
            push(tier, false, "ref_code", set_query(f.ref_key, keys));
            push(Tier::Text, false, "ref_code", phrase(f.doc_text, written));
        }
        Term::DocNumber { written, keys } => {
            push(
                Tier::Exact,
                false,
                "doc_number",
                set_query(f.doc_number_key, keys),
            );
            push(Tier::Text, false, "doc_number", phrase(f.doc_text, written));
            push(Tier::Text, false, "full_text", phrase(f.full_text, written));
            push(
                Tier::ScannedPage,
                true,
                "page_text",
                phrase(f.page_text, written),
            );
        }
        Term::Year(y) => {
            // One value of an indexed number: its postings, not a scan of the column.
            let year = |field: Field| -> Box<dyn Query> {
                Box::new(TermQuery::new(
                    IndexTerm::from_field_u64(field, *y as u64),
                    IndexRecordOption::Basic,
                ))
            };
            push(Tier::Exact, false, "year", Some(year(f.year)));
            // A year typed beside a name means the document's year first; a birth year is
            // the weaker reading.
            push(Tier::Text, true, "birth_year", Some(year(f.birth_year)));
        }
        Term::Month { year, month } => {
            let key = format!("{year:04}-{month:02}");
            push(
                Tier::Exact,
                true,
                "birth",
                Some(term_query(f.birth_month, &key)),
            );
            push(
                Tier::Exact,
                false,
                "date",
                Some(term_query(f.doc_month, &key)),
            );
            // A record that knows only the birth year (Excel's 1956.1 read as 1956) may still
            // be the person: below an exact month.
            push(
                Tier::Text,
                true,
                "birth_year",
                Some(Box::new(TermQuery::new(
                    IndexTerm::from_field_u64(f.birth_year, *year as u64),
                    IndexRecordOption::Basic,
                ))),
            );
        }
        Term::Pinyin { letters, scope } => {
            push(
                Tier::Pinyin,
                true,
                "name_pinyin",
                Some(boosted(term_query(f.name_pinyin_main, letters), 3.0)),
            );
            push(
                Tier::Pinyin,
                true,
                "name_pinyin",
                Some(term_query(f.name_pinyin, letters)),
            );
            push(
                Tier::Initials,
                true,
                "name_initials",
                Some(term_query(f.name_initials, letters)),
            );
            if *scope == Scope::Anywhere {
                push(Tier::Text, false, "title", phrase(f.title_text, letters));
            }
        }
        // Its readings' clauses were returned above.
        Term::Readings(_) => {}
        Term::Text {
            text,
            scope,
            quoted,
        } => {
            let name_scope = matches!(scope, Scope::Anywhere | Scope::Name);
            let has_cjk = text.chars().any(|c| is_cjk(c) || c == '□');
            if name_scope {
                let name = normalize_name(text);
                push(
                    Tier::Exact,
                    true,
                    "name",
                    Some(boosted(term_query(f.name_exact, &name), 3.0)),
                );
                push(
                    Tier::PartialName,
                    true,
                    "name",
                    phrase(f.name_text, &name).map(|q| boosted(q, 2.0)),
                );
                if !quoted && has_cjk {
                    push(
                        Tier::Placeholder,
                        true,
                        "name",
                        set_query(f.name_exact, &placeholder_variants(&name)),
                    );
                    let readings = name_pinyin(&name);
                    push(
                        Tier::Pinyin,
                        true,
                        "name_pinyin",
                        readings
                            .full
                            .first()
                            .map(|main| boosted(term_query(f.name_pinyin_main, main), 3.0)),
                    );
                    push(
                        Tier::Pinyin,
                        true,
                        "name_pinyin",
                        set_query(f.name_pinyin, &readings.full),
                    );
                    // Names whose reading has nothing to fold keep it in `name_pinyin` only.
                    push(
                        Tier::FuzzyPinyin,
                        true,
                        "name_pinyin",
                        set_query(f.name_fuzzy, &readings.fuzzy),
                    );
                    push(
                        Tier::FuzzyPinyin,
                        true,
                        "name_pinyin",
                        set_query(f.name_pinyin, &readings.fuzzy),
                    );
                }
            }
            if matches!(scope, Scope::Anywhere | Scope::Title) {
                push(Tier::Text, false, "title", phrase(f.title_text, text));
            }
            if matches!(scope, Scope::Anywhere | Scope::FullText) {
                push(Tier::Text, false, "full_text", phrase(f.full_text, text));
                push(
                    Tier::ScannedPage,
                    true,
                    "page_text",
                    phrase(f.page_text, text),
                );
            }
            if *scope == Scope::Anywhere {
                push(Tier::Text, true, "extra", phrase(f.extra_text, text));
                push(Tier::Text, false, "document", phrase(f.doc_text, text));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_phrase_is_covered_by_bigrams_and_a_lone_last_character_by_its_unigram() {
        let (_, f) = super::super::schema::build_schema();
        let t: Vec<(usize, String)> = covering_terms(f.name_text, "王立军")
            .into_iter()
            .map(|(p, t)| (p, t.value().as_str().unwrap().to_string()))
            .collect();
        assert_eq!(t, vec![(0, "王立".to_string()), (1, "立军".to_string())]);
        let t: Vec<(usize, String)> = covering_terms(f.extra_text, "城关镇供销社")
            .into_iter()
            .map(|(p, t)| (p, t.value().as_str().unwrap().to_string()))
            .collect();
        assert_eq!(
            t,
            vec![(0, "城关".into()), (2, "镇供".into()), (4, "销社".into())]
        );
        let t: Vec<(usize, String)> = covering_terms(f.name_text, "王")
            .into_iter()
            .map(|(p, t)| (p, t.value().as_str().unwrap().to_string()))
            .collect();
        assert_eq!(t, vec![(0, "王".to_string())]);
        let t: Vec<(usize, String)> = covering_terms(f.doc_text, "甘劳人薪〔1998〕45号")
            .into_iter()
            .map(|(p, t)| (p, t.value().as_str().unwrap().to_string()))
            .collect();
        assert_eq!(
            t.iter().map(|(_, s)| s.as_str()).collect::<Vec<_>>(),
            vec!["甘劳", "人薪", "1998", "45", "号"]
        );
    }

    #[test]
    fn placeholder_variants_replace_one_character() {
        assert_eq!(
            placeholder_variants("王立军"),
            vec!["□立军", "王□军", "王立□"]
        );
        assert!(placeholder_variants("王□军").is_empty());
    }
}
