//! The plan of a search: each analysed term's clauses (with the work units and the document
//! joins that need the index to decide), the filters and the exclusions.

use tantivy::collector::DocSetCollector;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term as IndexTerm};

use super::analyze::{Analyzed, Scope, Term};
use super::clauses::{any_of, clauses, text_term, Clause, Tier};
use super::columns::column_values;
use super::excluded::Excluded;
use super::schema::{Fields, KIND_DOCUMENT};
use super::units;
use crate::api::SearchRequest;
use crate::error::Result;

/// A query that restricts without scoring.
pub(super) fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

pub(super) struct Plan {
    /// Clauses of each required term.
    pub(super) terms: Vec<Vec<Clause>>,
    pub(super) filters: Vec<Box<dyn Query>>,
    pub(super) excluded: Vec<Box<dyn Query>>,
    /// An exact 档号 or 文号 with nothing of a person: the document itself comes first.
    pub(super) documents_first: bool,
    /// Pasted text found whole in a record: scores that record above the others of its tier.
    pub(super) passage: Option<Box<dyn Query>>,
}

/// How much a record holding the pasted text whole outscores the others of its tier.
const PASSAGE_BOOST: f32 = 100.0;

fn passage_query(f: &Fields, text: &str) -> Option<Box<dyn Query>> {
    let phrases: Vec<Box<dyn Query>> = [
        f.title_text,
        f.full_text,
        f.extra_text,
        f.doc_text,
        f.page_text,
    ]
    .into_iter()
    .filter_map(|field| super::clauses::phrase(field, text))
    .collect();
    (!phrases.is_empty()).then(|| {
        Box::new(tantivy::query::BoostQuery::new(
            any_of(phrases),
            PASSAGE_BOOST,
        )) as Box<dyn Query>
    })
}

/// The work units a term can be part of, as a clause of its own row.
pub(super) fn unit_clause(searcher: &Searcher, f: &Fields, term: &Term) -> Result<Option<Clause>> {
    let text = match term {
        Term::Text {
            text,
            scope: Scope::Anywhere | Scope::Unit,
            ..
        } => text,
        Term::Pinyin { letters, scope } if *scope == Scope::Anywhere => letters,
        _ => return Ok(None),
    };
    if units::units_containing(searcher, f.unit, text)?.is_empty() {
        return Ok(None);
    }
    Ok(Some(Clause {
        tier: Tier::Text,
        own: true,
        person: false,
        document_level: false,
        field: "unit",
        query: units::unit_query(searcher, f.unit, text)?,
    }))
}

pub(super) fn plan(
    conn: &rusqlite::Connection,
    searcher: &Searcher,
    analyzed: &Analyzed,
    request: &SearchRequest,
    f: &Fields,
) -> Result<Plan> {
    let mut terms: Vec<Vec<Clause>> = Vec::new();
    for term in &analyzed.terms {
        let mut c = clauses(term, f);
        c.extend(unit_clause(searcher, f, term)?);
        c.extend(super::same_person::same_person_clauses(
            conn, searcher, f, term,
        )?);
        if !c.is_empty() {
            terms.push(c);
        }
    }
    let mut filters: Vec<Box<dyn Query>> = Vec::new();
    let year_from = request.year_from.or(analyzed.year_from);
    let year_to = request.year_to.or(analyzed.year_to);
    if year_from.is_some() || year_to.is_some() {
        let bound = |y: Option<i32>| match y {
            Some(y) => {
                std::ops::Bound::Included(IndexTerm::from_field_u64(f.year, y.max(0) as u64))
            }
            None => std::ops::Bound::Unbounded,
        };
        filters.push(Box::new(RangeQuery::new(bound(year_from), bound(year_to))));
    }
    if let Some(c) = request.category.as_deref().or(analyzed.category.as_deref()) {
        filters.push(text_term(f.category, c.trim()));
    }
    if let Some(c) = request.fonds.as_deref().or(analyzed.fonds.as_deref()) {
        filters.push(text_term(f.fonds, c.trim()));
    }
    if let Some(c) = request.access.as_deref().or(analyzed.access.as_deref()) {
        filters.push(text_term(f.access, c.trim()));
    }
    if let Some(unit) = request
        .work_unit
        .as_deref()
        .filter(|u| !u.trim().is_empty())
    {
        filters.push(units::unit_query(searcher, f.unit, unit)?);
    }
    let mut excluded: Vec<Box<dyn Query>> = analyzed
        .excluded
        .iter()
        .flat_map(|word| {
            clauses(
                &Term::Text {
                    text: word.clone(),
                    scope: Scope::Anywhere,
                    quoted: true,
                },
                f,
            )
        })
        .map(|c| c.query)
        .collect();
    // Units are not text on each row (`units`): `-红星机械厂` leaves out that unit's rows too.
    for word in &analyzed.excluded {
        if !units::units_containing(searcher, f.unit, word)?.is_empty() {
            excluded.push(units::unit_query(searcher, f.unit, word)?);
        }
    }
    let documents_first = analyzed
        .terms
        .iter()
        .any(|t| matches!(t, Term::RefCode { .. } | Term::DocNumber { .. }))
        && !analyzed.terms.iter().any(|t| {
            matches!(
                t,
                Term::Text { .. } | Term::Pinyin { .. } | Term::IdNumber { .. } | Term::Readings(_)
            )
        });
    Ok(Plan {
        terms,
        filters,
        excluded,
        documents_first,
        passage: analyzed
            .passage
            .as_deref()
            .and_then(|text| passage_query(f, text)),
    })
}

impl Plan {
    /// Records whose every term matches in some way, within the filters. Whether an entry
    /// matched something of its own row is decided per record during the walk (`doc_tier`).
    pub(super) fn all_matches(&self) -> Box<dyn Query> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for term in &self.terms {
            let any: Vec<Box<dyn Query>> = term.iter().map(|c| c.query.box_clone()).collect();
            must.push((Occur::Must, any_of(any)));
        }
        if self.terms.is_empty() {
            // Only filters: browse the documents they select.
            must.push((Occur::Must, Box::new(AllQuery)));
        }
        for q in &self.filters {
            must.push((Occur::Must, filter(q.box_clone())));
        }
        for q in &self.excluded {
            must.push((Occur::MustNot, Box::new(Excluded(q.box_clone()))));
        }
        if let Some(q) = &self.passage {
            must.push((Occur::Should, q.box_clone()));
        }
        Box::new(BooleanQuery::new(must))
    }
}

pub(super) fn text_or_kind_document(f: &Fields) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        IndexTerm::from_field_u64(f.kind, KIND_DOCUMENT),
        IndexRecordOption::Basic,
    ))
}

/// Entries cannot carry their document's title and full text (every row of a wage table would
/// index it again), so a term found there is joined to the entries by document id — unless it
/// is so common that the join would be a list of most documents; then it stays with them.
pub(super) const JOIN_LIMIT: usize = 20_000;

pub(super) fn add_document_joins(plan: &mut Plan, searcher: &Searcher, f: &Fields) -> Result<()> {
    // With one term, an entry must match it in its own row anyway: the join adds nothing.
    let joins = plan.terms.len() > 1;
    // A term that names a work unit matches the entries of that unit by itself; its documents
    // are theirs, and joining them would only repeat the match at great cost.
    for term in plan
        .terms
        .iter_mut()
        .filter(|t| joins && !t.iter().any(|c| c.field == "unit"))
    {
        let document_level: Vec<Box<dyn Query>> = term
            .iter()
            .filter(|c| c.document_level)
            .map(|c| c.query.box_clone())
            .collect();
        let Some(tier) = term
            .iter()
            .filter(|c| c.document_level)
            .map(|c| c.tier)
            .min()
        else {
            continue;
        };
        // Named after the document's field when there is one (档号, 文号, date), else its text.
        let mut fields = term.iter().filter(|c| c.document_level).map(|c| c.field);
        let first = fields.next().unwrap_or("document_text");
        let field = if fields.all(|f| f == first) {
            first
        } else {
            "document_text"
        };
        let query = BooleanQuery::new(vec![
            (Occur::Must, any_of(document_level)),
            (Occur::Must, filter(text_or_kind_document(f))),
        ]);
        let docs = searcher.search(&query, &DocSetCollector)?;
        if docs.is_empty() || docs.len() > JOIN_LIMIT {
            continue;
        }
        let ids: Vec<IndexTerm> = column_values(searcher, docs, "document_id")?
            .into_iter()
            .map(|id| IndexTerm::from_field_u64(f.document_id, id))
            .collect();
        term.push(Clause {
            tier,
            own: false,
            person: false,
            document_level: false,
            field,
            query: super::clauses::any_term(ids),
        });
    }
    for term in &mut plan.terms {
        term.sort_by_key(|c| c.tier);
    }
    Ok(())
}
