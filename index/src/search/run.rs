//! Running a search: tiers enforced explicitly (every hit's tier is computed and sorted on
//! before the score), filters, facet counts over all matches, pagination, and hits filled in
//! from the store.

use std::collections::HashSet;
use std::time::Instant;

use rusqlite::{params, Connection, OptionalExtension};
use tantivy::collector::DocSetCollector;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EnableScoring, Occur, Query, RangeQuery, Scorer,
    TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocId, DocSet, Searcher, Term as IndexTerm, TERMINATED};

use super::analyze::{analyze, Analyzed, Scope, Term};
use super::clauses::{clauses, highlight_text, Clause, Tier};
use super::facets::FacetCounter;
use super::schema::{Fields, KIND_DOCUMENT};
use super::{snippet, units};
use crate::api::{SearchHit, SearchRequest, SearchResponse, SnippetFragment};
use crate::error::Result;
use crate::text::mask_id;

const DEFAULT_LIMIT: usize = 20;
const MAX_LIMIT: usize = 500;

/// A query that restricts without scoring.
fn filter(q: Box<dyn Query>) -> Box<dyn Query> {
    Box::new(ConstScoreQuery::new(q, 0.0))
}

fn text_term(field: tantivy::schema::Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        IndexTerm::from_field_text(field, value),
        IndexRecordOption::Basic,
    ))
}

fn any_of(queries: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    Box::new(BooleanQuery::new(
        queries.into_iter().map(|q| (Occur::Should, q)).collect(),
    ))
}

struct Plan {
    /// Clauses of each required term.
    terms: Vec<Vec<Clause>>,
    filters: Vec<Box<dyn Query>>,
    excluded: Vec<Box<dyn Query>>,
    /// An exact 档号 or 文号 with nothing of a person: the document itself comes first.
    documents_first: bool,
}

/// The work units a term can be part of, as a clause of its own row.
fn unit_clause(searcher: &Searcher, f: &Fields, term: &Term) -> Result<Option<Clause>> {
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

fn plan(
    searcher: &Searcher,
    analyzed: &Analyzed,
    request: &SearchRequest,
    f: &Fields,
) -> Result<Plan> {
    let mut terms: Vec<Vec<Clause>> = Vec::new();
    for term in &analyzed.terms {
        let mut c = clauses(term, f);
        c.extend(unit_clause(searcher, f, term)?);
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
    let excluded = analyzed
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
    let documents_first = analyzed
        .terms
        .iter()
        .any(|t| matches!(t, Term::RefCode { .. } | Term::DocNumber { .. }))
        && !analyzed.terms.iter().any(|t| {
            matches!(
                t,
                Term::Text { .. } | Term::Pinyin { .. } | Term::IdNumber { .. }
            )
        });
    Ok(Plan {
        terms,
        filters,
        excluded,
        documents_first,
    })
}

impl Plan {
    /// Records whose every term matches in some way, within the filters. Whether an entry
    /// matched something of its own row is decided per record during the walk (`doc_tier`).
    fn all_matches(&self) -> Box<dyn Query> {
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
            must.push((Occur::MustNot, q.box_clone()));
        }
        Box::new(BooleanQuery::new(must))
    }
}

fn text_or_kind_document(f: &Fields) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        IndexTerm::from_field_u64(f.kind, KIND_DOCUMENT),
        IndexRecordOption::Basic,
    ))
}

/// A hit before it is filled in from the store.
#[derive(Clone, Copy)]
struct Found {
    /// The store's ids, read during the walk while the segment's columns are open.
    document_id: i64,
    entry_id: Option<i64>,
    tier: Tier,
    /// A document, or an entry matched on a person field.
    person: bool,
    score: f32,
    address: DocAddress,
    is_document: bool,
}

/// Entries cannot carry their document's title and full text (every row of a wage table would
/// index it again), so a term found there is joined to the entries by document id — unless it
/// is so common that the join would be a list of most documents; then it stays with them.
const JOIN_LIMIT: usize = 20_000;

fn add_document_joins(plan: &mut Plan, searcher: &Searcher, f: &Fields) -> Result<()> {
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
            field: "document_text",
            query: super::clauses::any_term(ids),
        });
    }
    for term in &mut plan.terms {
        term.sort_by_key(|c| c.tier);
    }
    Ok(())
}

/// A fast column's value for each of `docs`; each segment's column is opened once (opening
/// one reads its block index, which costs more than many lookups).
pub fn column_values(
    searcher: &Searcher,
    docs: impl IntoIterator<Item = DocAddress>,
    column: &str,
) -> Result<Vec<u64>> {
    let mut docs: Vec<DocAddress> = docs.into_iter().collect();
    docs.sort_unstable();
    let mut out = Vec::with_capacity(docs.len());
    let mut open: Option<(u32, tantivy::columnar::Column<u64>)> = None;
    for address in docs {
        if open
            .as_ref()
            .is_none_or(|(seg, _)| *seg != address.segment_ord)
        {
            let reader = searcher.segment_reader(address.segment_ord);
            open = Some((address.segment_ord, reader.fast_fields().u64(column)?));
        }
        let (_, values) = open.as_ref().expect("opened above");
        out.extend(values.first(address.doc_id));
    }
    Ok(out)
}

/// The store's ids of the page's hits.
fn fill_ids(searcher: &Searcher, page: &mut [Found]) -> Result<()> {
    let documents = column_values(searcher, page.iter().map(|h| h.address), "document_id")?;
    let mut by_address: Vec<usize> = (0..page.len()).collect();
    by_address.sort_by_key(|&i| page[i].address);
    for (&i, id) in by_address.iter().zip(documents) {
        page[i].document_id = id as i64;
    }
    let mut entries: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_document).collect();
    entries.sort_by_key(|&i| page[i].address);
    let ids = column_values(
        searcher,
        entries.iter().map(|&i| page[i].address),
        "entry_id",
    )?;
    for (&i, id) in entries.iter().zip(ids) {
        page[i].entry_id = Some(id as i64);
    }
    Ok(())
}

/// Orders hits: tier first, then (for a 档号 or 文号 query) the document before its rows,
/// then score, then index order so that equal hits keep a stable order between pages.
fn hit_order(documents_first: bool) -> impl Fn(&Found, &Found) -> std::cmp::Ordering {
    move |a, b| {
        a.tier
            .cmp(&b.tier)
            .then_with(|| {
                if documents_first {
                    b.is_document.cmp(&a.is_document)
                } else {
                    std::cmp::Ordering::Equal
                }
            })
            .then_with(|| b.person.cmp(&a.person))
            .then_with(|| b.score.total_cmp(&a.score))
            .then_with(|| a.address.cmp(&b.address))
    }
}

pub fn search(
    searcher: &Searcher,
    f: &Fields,
    conn: &Connection,
    request: &SearchRequest,
) -> Result<SearchResponse> {
    let started = Instant::now();
    let mut understood = Vec::new();
    let known_ref = |key: &str| {
        searcher
            .doc_freq(&IndexTerm::from_field_text(f.ref_key, key))
            .is_ok_and(|n| n > 0)
    };
    let analyzed = analyze(&request.query, &known_ref, &mut understood);
    let mut plan = plan(searcher, &analyzed, request, f)?;
    add_document_joins(&mut plan, searcher, f)?;
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let wanted = request.offset + limit;

    let mut total = 0;
    let mut facets = FacetCounter::default();
    let mut found: Vec<Found> = Vec::new();
    let mut documents: Vec<(Found, Option<String>, Option<u64>)> = Vec::new();
    let mut best_entry: Vec<(i64, Tier)> = Vec::new();
    let mut cutoff: Option<Found> = None;
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
    for (ord, segment) in searcher.segment_readers().iter().enumerate() {
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut clause_scorers: Vec<Vec<(&Clause, Box<dyn Scorer>)>> = clause_weights
            .iter()
            .map(|term| {
                term.iter()
                    .map(|(c, w)| Ok((*c, w.scorer(segment, 1.0)?)))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<_>>()?;
        let kind = segment.fast_fields().u64("kind")?;
        let document_id = segment.fast_fields().u64("document_id")?;
        let alive = segment.alive_bitset();
        facets.start_segment(segment)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let kind_of = || kind.first(doc) == Some(KIND_DOCUMENT);
                if let Some((tier, person, is_document)) =
                    doc_tier(&mut clause_scorers, doc, kind_of)
                {
                    let mut hit = Found {
                        document_id: 0,
                        entry_id: None,
                        tier,
                        person,
                        // Scored only when it may make the page (see below).
                        score: f32::INFINITY,
                        address: DocAddress::new(ord as u32, doc),
                        is_document,
                    };
                    let may_rank =
                        |h: &Found| cutoff.is_none_or(|c| order(h, &c) == std::cmp::Ordering::Less);
                    if is_document || may_rank(&hit) {
                        hit.score = scorer.score();
                    }
                    if is_document || person {
                        hit.document_id = document_id.first(doc).unwrap_or_default() as i64;
                    }
                    if is_document {
                        // Decided after the walk: its rows may come in another segment.
                        let (category, year) = facets.values(doc);
                        documents.push((hit, category, year));
                        doc = scorer.advance();
                        continue;
                    }
                    if person {
                        best_entry.push((hit.document_id, tier));
                    }
                    total += 1;
                    facets.count(doc);
                    // Most matches of a broad query rank below the page: one comparison with
                    // the worst hit kept skips them.
                    if hit.score.is_finite() && may_rank(&hit) {
                        found.push(hit);
                        // Keep the best `wanted`, pruning in batches so the walk stays linear.
                        if found.len() >= wanted * 4 + 64 {
                            found.sort_by(&order);
                            found.truncate(wanted);
                            cutoff = found.last().copied();
                        }
                    }
                }
            }
            doc = scorer.advance();
        }
    }
    // A document one of whose rows is already a hit as good on the person (a retirement
    // approval and the person it approves) is shown once, as that row: its text comes with it.
    best_entry.sort_unstable();
    for (hit, category, year) in documents {
        // Sorted by document, then tier: the first of the document's rows is its best.
        let document = hit.document_id;
        let first = best_entry.partition_point(|(d, _)| *d < document);
        if best_entry
            .get(first)
            .is_some_and(|(d, t)| *d == document && *t <= hit.tier)
        {
            continue;
        }
        total += 1;
        facets.count_values(category.as_deref(), year);
        found.push(hit);
    }
    found.sort_by(&order);
    found.truncate(wanted);

    let needles: Vec<String> = analyzed.terms.iter().filter_map(highlight_text).collect();
    let mut page: Vec<Found> = found.into_iter().skip(request.offset).take(limit).collect();
    fill_ids(searcher, &mut page)?;
    let matched = matched_fields(searcher, &plan, &page)?;
    let mut hits = Vec::new();
    for (h, m) in page.into_iter().zip(matched) {
        // A record the index still lists but the store no longer has is left out; the
        // index catches up with the store on the next search.
        hits.extend(fill_hit(conn, &needles, h, m)?);
    }
    Ok(SearchResponse {
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets: facets.into_facets(),
        understood,
    })
}

/// Moves a scorer to `doc` (never backwards) and says whether it matches there.
fn matches_at(scorer: &mut dyn Scorer, doc: DocId) -> bool {
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    scorer.doc() == doc
}

/// The tier a record earns: for each term the best way it matches (clauses are in tier order),
/// the worst of those over the terms; and for an entry, no better than the best match in its
/// own row — an entry is not a hit at all through its document alone (a 档号 or a title brings
/// up the document, not each of its rows). Also says whether a person field (name, ID, pinyin)
/// matched, so that within a tier the people asked for come before rows that merely share a
/// unit with the query.
fn doc_tier(
    clause_scorers: &mut [Vec<(&Clause, Box<dyn Scorer>)>],
    doc: DocId,
    is_document: impl FnOnce() -> bool,
) -> Option<(Tier, bool, bool)> {
    let mut worst = Tier::Exact;
    let mut own_best: Option<Tier> = None;
    let mut person = false;
    for term in clause_scorers.iter_mut() {
        let mut best: Option<Tier> = None;
        for (clause, scorer) in term.iter_mut() {
            let tier = clause.tier;
            // Clauses come in tier order: once both are settled, nothing after can improve.
            if best.is_some_and(|b| tier >= b) && own_best.is_some_and(|o| tier >= o) {
                break;
            }
            let improves_term = best.is_none_or(|b| tier < b);
            let improves_own = clause.own && own_best.is_none_or(|o| tier < o);
            if !improves_term && !improves_own {
                continue;
            }
            if matches_at(scorer.as_mut(), doc) {
                best = Some(best.map_or(tier, |b| b.min(tier)));
                if clause.own {
                    own_best = Some(own_best.map_or(tier, |o| o.min(tier)));
                }
                person |= clause.person;
            }
        }
        worst = worst.max(best?);
    }
    // Own fields exist on entries only: a record with none of them matched is a document (a
    // hit) or an entry matched through its document alone (not one). Only then is its kind read.
    match own_best {
        Some(own) => Some((worst.max(own), person, false)),
        None => is_document().then_some((worst, true, true)),
    }
}

/// Which clauses each hit matches: the fields named in the hit. One scorer per clause and
/// segment, moved forward over the page's hits in index order.
fn matched_fields(
    searcher: &Searcher,
    plan: &Plan,
    page: &[Found],
) -> Result<Vec<Vec<&'static str>>> {
    let mut out: Vec<Vec<&'static str>> = vec![Vec::new(); page.len()];
    let mut order: Vec<usize> = (0..page.len()).collect();
    order.sort_by_key(|&i| page[i].address);
    let unscored = EnableScoring::disabled_from_searcher(searcher);
    for clause in plan.terms.iter().flatten() {
        let weight = clause.query.weight(unscored)?;
        let mut current: Option<(u32, Box<dyn Scorer>)> = None;
        for &i in &order {
            let h = &page[i];
            let joined_to_itself = h.is_document && clause.field == "document_text";
            if clause.tier > h.tier || joined_to_itself || out[i].contains(&clause.field) {
                continue;
            }
            if current
                .as_ref()
                .is_none_or(|(seg, _)| *seg != h.address.segment_ord)
            {
                let reader = searcher.segment_reader(h.address.segment_ord);
                current = Some((h.address.segment_ord, weight.scorer(reader, 1.0)?));
            }
            let (_, scorer) = current.as_mut().expect("set above");
            if matches_at(scorer.as_mut(), h.address.doc_id) {
                out[i].push(clause.field);
            }
        }
    }
    Ok(out)
}

fn reason(tier: Tier, matched: &[&str]) -> String {
    let field = |f: &str| match f {
        "name" => "姓名",
        "id_number" => "身份证号",
        "ref_code" => "档号",
        "doc_number" => "文号",
        "unit" => "工作单位",
        "title" => "题名",
        "full_text" => "全文",
        "extra" => "其他栏目",
        "document" => "著录项",
        "year" => "年度",
        "birth" => "出生年月",
        "date" => "成文日期",
        "document_text" => "案卷题名或全文",
        "birth_year" => "出生年份",
        _ => "姓名拼音",
    };
    let fields: Vec<&str> = matched.iter().map(|m| field(m)).collect::<Vec<_>>();
    let mut unique: Vec<&str> = Vec::new();
    for f in fields {
        if !unique.contains(&f) {
            unique.push(f);
        }
    }
    let list = unique.join("、");
    match tier {
        Tier::Exact => format!("{list}完全相同"),
        Tier::Text => format!("{list}中含有所查文字"),
        Tier::Placeholder => "姓名中有无法录入的字（□），其余字相同".to_string(),
        Tier::Pinyin => "姓名读音相同（可能是同音字）".to_string(),
        Tier::FuzzyPinyin => "姓名读音相近（n/l、f/h、前后鼻音）".to_string(),
        Tier::PartialName => "所查文字是更长姓名的一部分".to_string(),
        Tier::Initials => "姓名拼音首字母相同".to_string(),
    }
}

struct DocumentRow {
    ref_code: String,
    category: Option<String>,
    title: Option<String>,
    year: Option<i32>,
    access: String,
    full_text: Option<String>,
    doc_number: Option<String>,
}

fn fill_hit(
    conn: &Connection,
    needles: &[String],
    h: Found,
    matched: Vec<&'static str>,
) -> Result<Option<SearchHit>> {
    let (document_id, entry_id) = (h.document_id, h.entry_id);
    let d = conn.prepare_cached(
        "SELECT ref_code, category, title, year, access, full_text, doc_number FROM documents WHERE id = ?1",
    )?
    .query_row(params![document_id], |r| {
        Ok(DocumentRow {
            ref_code: r.get(0)?,
            category: r.get(1)?,
            title: r.get(2)?,
            year: r.get(3)?,
            access: r.get(4)?,
            full_text: r.get(5)?,
            doc_number: r.get(6)?,
        })
    })
    .optional()?;
    let Some(d) = d else { return Ok(None) };
    let open = d.access == "open";
    let mut hit = SearchHit {
        ref_code: d.ref_code.clone(),
        name: None,
        entry_id,
        document_id,
        category: d.category.clone(),
        title: d.title.clone(),
        year: d.year,
        gender: None,
        birth: None,
        unit: None,
        id_masked: None,
        page: None,
        access: d.access.clone(),
        tier: h.tier.name().to_string(),
        score: h.score,
        matched: matched.iter().map(|m| m.to_string()).collect(),
        reason: reason(h.tier, &matched),
        snippet: Vec::new(),
    };
    let mut snippet: Vec<SnippetFragment> = Vec::new();
    if let Some(entry_id) = entry_id {
        if conn
            .prepare_cached(
            "SELECT name, gender, birth_raw, work_unit, id_key, id_raw, page, extra_json FROM entries WHERE id = ?1",
        )?
        .query_row(params![entry_id], |r| {
            hit.name = Some(r.get(0)?);
            hit.gender = r.get(1)?;
            hit.birth = r.get(2)?;
            hit.unit = r.get(3)?;
            let id_key: Option<String> = r.get(4)?;
            let id_raw: Option<String> = r.get(5)?;
            hit.id_masked = id_key.or(id_raw).map(|k| mask_id(&k));
            hit.page = r.get(6)?;
            if open {
                let name: String = r.get(0)?;
                let reading = matches!(
                    h.tier,
                    Tier::Placeholder | Tier::Pinyin | Tier::FuzzyPinyin | Tier::Initials
                );
                if reading && !name.is_empty() {
                    snippet.push(snippet::whole_highlighted("name", &name));
                } else if let Some(s) = snippet::whole_field("name", &name, needles) {
                    snippet.push(s);
                }
                if let Some(unit) = hit.unit.as_deref() {
                    snippet.extend(snippet::whole_field("unit", unit, needles));
                }
                let extra: String = r.get(7)?;
                let extra = super::documents::extra_values(&extra).replace('\n', "　");
                snippet.extend(snippet::whole_field("extra", &extra, needles));
            }
            Ok(())
        })
        .optional()?
        .is_none()
        {
            return Ok(None);
        }
    }
    if open {
        if let Some(title) = d.title.as_deref() {
            snippet.extend(snippet::whole_field("title", title, needles));
        }
        if let Some(no) = d.doc_number.as_deref() {
            snippet.extend(snippet::whole_field("doc_number", no, needles));
        }
        if let Some(text) = d.full_text.as_deref() {
            snippet.extend(snippet::windows("full_text", text, needles));
        }
    }
    let mut seen = HashSet::new();
    hit.snippet = snippet
        .into_iter()
        .filter(|s| seen.insert((s.field.clone(), s.text.clone())))
        .collect();
    Ok(Some(hit))
}
