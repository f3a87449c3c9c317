//! Running a search: tiers enforced explicitly (every hit's tier is computed and sorted on
//! before the score), filters, facet counts over all matches, pagination, and hits filled in
//! from the store.

use std::time::Instant;

use rusqlite::Connection;
use tantivy::query::{EnableScoring, Weight};
use tantivy::Searcher;

use super::analyze::analyze;
use super::clauses::{highlight_texts, id_keys, Clause, Tier};
use super::hits::{fill_hit, fill_ids, matched_fields};
use super::known_codes::IndexKnown;
use super::order::{group_by_person, hit_order, Found};
use super::plan::{add_document_joins, plan};
use super::schema::Fields;
use super::walk::{Partial, Walk};
use crate::api::{SearchRequest, SearchResponse};
use crate::error::Result;

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 500;

/// How many of the first hits are grouped by person as one list.
const GROUPED_HITS: usize = 100;

pub fn search(
    searcher: &Searcher,
    f: &Fields,
    conn: &Connection,
    request: &SearchRequest,
) -> Result<SearchResponse> {
    let started = Instant::now();
    let mut understood = Vec::new();
    let known = IndexKnown::new(searcher, f);
    let analyzed = analyze(&request.query, &known, &mut understood);
    let mut plan = plan(conn, searcher, &analyzed, request, f)?;
    add_document_joins(&mut plan, searcher, f)?;
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    // Persons are grouped over the same first hits whichever page is asked for, so that paging
    // through them neither repeats nor skips a row.
    let wanted = request.offset.saturating_add(limit).max(GROUPED_HITS);

    let all = plan.all_matches();
    let weight = all.weight(EnableScoring::enabled_from_searcher(searcher))?;
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    let clause_weights: Vec<Vec<(&Clause, Box<dyn Weight>)>> = plan
        .terms
        .iter()
        .map(|term| {
            term.iter()
                .map(|c| Ok((c, c.query.weight(unscored)?)))
                .collect::<Result<Vec<_>>>()
        })
        .collect::<Result<_>>()?;
    let order = hit_order(plan.documents_first);
    let walk = Walk {
        weight: weight.as_ref(),
        clause_weights: &clause_weights,
        order: &order,
        wanted,
    };
    let Partial {
        mut total,
        mut facets,
        mut found,
        documents,
        mut best_entry,
    } = walk.all(searcher)?;
    // A document one of whose rows is already a hit as good on the person (a retirement
    // approval and the person it approves) is shown once, as that row: its text comes with it.
    best_entry.sort_unstable();
    // Documents whose text holds the ID asked for and whose row the timeline joins to the ID's
    // holder (a retirement approval naming him): shown once, as that row, at the document's tier.
    let mut joined_documents: Vec<(i64, Tier)> = Vec::new();
    for (hit, category, year) in documents {
        // Sorted by document, then tier: the first of the document's rows is its best.
        let document = hit.document_id;
        let first = best_entry.partition_point(|(d, _)| *d < document);
        match best_entry.get(first) {
            Some((d, t)) if *d == document && *t <= hit.tier => continue,
            Some((d, Tier::SamePerson)) if *d == document => {
                joined_documents.push((document, hit.tier));
                continue;
            }
            _ => {}
        }
        total += 1;
        facets.count_values(category.as_deref(), year);
        found.push(hit);
    }
    for hit in found.iter_mut().filter(|h| h.tier == Tier::SamePerson) {
        if let Some((_, tier)) = joined_documents.iter().find(|(d, _)| *d == hit.document_id) {
            hit.tier = *tier;
        }
    }
    found.sort_by(&order);
    found.truncate(wanted);
    group_by_person(&mut found, plan.documents_first);

    let needles: Vec<String> = analyzed.terms.iter().flat_map(highlight_texts).collect();
    let ids: Vec<String> = analyzed.terms.iter().flat_map(id_keys).collect();
    let mut page: Vec<Found> = found.into_iter().skip(request.offset).take(limit).collect();
    fill_ids(searcher, &mut page)?;
    let matched = matched_fields(searcher, &plan, &page)?;
    let mut hits = Vec::new();
    for (h, m) in page.into_iter().zip(matched) {
        // A record the index still lists but the store no longer has is left out; the
        // index catches up with the store on the next search.
        hits.extend(fill_hit(conn, (&needles, &ids), h, m)?);
    }
    Ok(SearchResponse {
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets: facets.into_facets(),
        understood,
    })
}
