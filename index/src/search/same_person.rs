//! An ID number brings the whole person: the records the person timeline joins to the ID's
//! holder by name and birth month (or by a clerk's confirmation) match an ID query too, one
//! tier below every way of matching the ID itself, labelled as a guess.

use rusqlite::Connection;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term as IndexTerm};

use super::analyze::Term;
use super::clauses::{any_of, text_term, Clause, Tier};
use super::person_lookup::SearcherLookup;
use super::schema::Fields;
use crate::error::Result;
use crate::person::{joined_without_id, JoinedRow};

/// The valid ID numbers a term asks for: typed as one, or as one reading of digit groups.
fn id_keys(term: &Term) -> Vec<&str> {
    match term {
        Term::IdNumber { key, valid: true } => vec![key.as_str()],
        Term::Readings(readings) => readings
            .iter()
            .filter(|r| r.len() == 1)
            .flat_map(|r| id_keys(&r[0]))
            .collect(),
        _ => Vec::new(),
    }
}

/// The index entry of a joined row: its name and birth month in its document. (Two rows of
/// one table with the same name and birth month, one carrying another ID, would make the join
/// contested, so none is joined then.)
fn row_query(f: &Fields, row: &JoinedRow) -> Box<dyn Query> {
    let mut must: Vec<(Occur, Box<dyn Query>)> = vec![
        (
            Occur::Must,
            Box::new(TermQuery::new(
                IndexTerm::from_field_u64(f.document_id, row.document_id as u64),
                IndexRecordOption::Basic,
            )),
        ),
        (Occur::Must, text_term(f.name_exact, &row.name_norm)),
    ];
    if let Some(month) = &row.birth_month {
        must.push((Occur::Must, text_term(f.birth_month, month)));
    }
    Box::new(BooleanQuery::new(must))
}

/// The clauses that bring the ID's person's other records to an ID term: those the rules
/// join (`same_person`) and those a clerk confirmed (`confirmed_person`).
pub(super) fn same_person_clauses(
    conn: &Connection,
    searcher: &Searcher,
    f: &Fields,
    term: &Term,
) -> Result<Vec<Clause>> {
    let lookup = SearcherLookup {
        searcher,
        fields: f,
    };
    let mut by_rules = Vec::new();
    let mut by_clerks = Vec::new();
    for key in id_keys(term) {
        for row in joined_without_id(conn, &lookup, key)? {
            let query = row_query(f, &row);
            if row.confirmed {
                by_clerks.push(query);
            } else {
                by_rules.push(query);
            }
        }
    }
    let clause = |field: &'static str, queries: Vec<Box<dyn Query>>| {
        (!queries.is_empty()).then(|| Clause {
            tier: Tier::SamePerson,
            own: true,
            person: true,
            document_level: false,
            field,
            query: any_of(queries),
        })
    };
    Ok(clause("confirmed_person", by_clerks)
        .into_iter()
        .chain(clause("same_person", by_rules))
        .collect())
}
