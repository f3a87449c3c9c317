//! Running a search: tiers enforced explicitly (every hit's tier is computed and sorted on
//! before the score), filters, facet counts over all matches, pagination, and hits filled in
//! from the store.

use std::collections::HashSet;
use std::time::Instant;

use rusqlite::{params, Connection};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, Occur, Query, RangeQuery, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocAddress, DocSet, Searcher, Term as IndexTerm, TERMINATED};

use super::analyze::{analyze, Analyzed, Term};
use super::clauses::{clauses, highlight_text, phrase, Clause, Tier};
use super::facets::FacetCollector;
use super::schema::{Fields, KIND_DOCUMENT};
use super::snippet;
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

fn plan(analyzed: &Analyzed, request: &SearchRequest, f: &Fields) -> Plan {
    let terms: Vec<Vec<Clause>> = analyzed
        .terms
        .iter()
        .map(|t| clauses(t, f))
        .filter(|c| !c.is_empty())
        .collect();
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
    if let Some(q) = request
        .work_unit
        .as_deref()
        .filter(|u| !u.trim().is_empty())
        .and_then(|u| phrase(f.unit_text, u))
    {
        filters.push(q);
    }
    let excluded = analyzed
        .excluded
        .iter()
        .flat_map(|word| {
            clauses(
                &Term::Text {
                    text: word.clone(),
                    scope: super::analyze::Scope::Anywhere,
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
    Plan {
        terms,
        filters,
        excluded,
        documents_first,
    }
}

impl Plan {
    /// Records whose every term matches at `level` or better; None when some term cannot.
    fn up_to(&self, level: Tier, f: &Fields) -> Option<Box<dyn Query>> {
        let mut must: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let mut own: Vec<Box<dyn Query>> = vec![text_or_kind_document(f)];
        for term in &self.terms {
            let eligible: Vec<Box<dyn Query>> = term
                .iter()
                .filter(|c| c.tier <= level)
                .map(|c| c.query.box_clone())
                .collect();
            if eligible.is_empty() {
                return None;
            }
            own.extend(
                term.iter()
                    .filter(|c| c.tier <= level && c.own)
                    .map(|c| c.query.box_clone()),
            );
            must.push((Occur::Must, any_of(eligible)));
        }
        if self.terms.is_empty() {
            // Only filters: browse the documents they select.
            must.push((Occur::Must, Box::new(AllQuery)));
        }
        // An entry is a hit only when something of its own row matched; a document's title or
        // 档号 alone brings up the document, not each of its rows.
        must.push((Occur::Must, filter(any_of(own))));
        for q in &self.filters {
            must.push((Occur::Must, filter(q.box_clone())));
        }
        for q in &self.excluded {
            must.push((Occur::MustNot, q.box_clone()));
        }
        Some(Box::new(BooleanQuery::new(must)))
    }
}

fn text_or_kind_document(f: &Fields) -> Box<dyn Query> {
    Box::new(TermQuery::new(
        IndexTerm::from_field_u64(f.kind, KIND_DOCUMENT),
        IndexRecordOption::Basic,
    ))
}

/// A hit before it is filled in from the store.
struct Found {
    tier: Tier,
    score: f32,
    address: DocAddress,
    is_document: bool,
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
    let plan = plan(&analyzed, request, f);
    let limit = request.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
    let wanted = request.offset + limit;

    let mut found: Vec<Found> = Vec::new();
    let mut total = 0;
    let mut previous: Option<Box<dyn Query>> = None;
    let mut facets = Default::default();
    let levels: &[Tier] = if plan.terms.is_empty() {
        &[Tier::Exact]
    } else {
        &Tier::ALL
    };
    let kind_column = |address: DocAddress| -> bool {
        searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("kind")
            .ok()
            .and_then(|c| c.first(address.doc_id))
            == Some(KIND_DOCUMENT)
    };
    for &level in levels {
        let Some(upto) = plan.up_to(level, f) else {
            continue;
        };
        let this_level: Box<dyn Query> = match &previous {
            Some(p) => Box::new(BooleanQuery::new(vec![
                (Occur::Must, upto.box_clone()),
                (Occur::MustNot, p.box_clone()),
            ])),
            None => upto.box_clone(),
        };
        let still_needed = wanted.saturating_sub(found.len());
        let (top, count) = searcher.search(
            &this_level,
            &(
                TopDocs::with_limit(still_needed.max(1)).order_by_score(),
                Count,
            ),
        )?;
        if count > 0 {
            total += count;
            let mut level_hits: Vec<Found> = top
                .into_iter()
                .take(still_needed)
                .map(|(score, address)| Found {
                    tier: level,
                    score,
                    address,
                    is_document: kind_column(address),
                })
                .collect();
            if plan.documents_first {
                level_hits.sort_by_key(|h| !h.is_document);
            }
            found.extend(level_hits);
        }
        previous = Some(upto);
    }
    if let Some(all) = &previous {
        facets = searcher
            .search(all.as_ref(), &FacetCollector)?
            .into_facets();
    }

    let needles: Vec<String> = analyzed.terms.iter().filter_map(highlight_text).collect();
    let mut hits = Vec::new();
    for h in found.into_iter().skip(request.offset).take(limit) {
        hits.push(fill_hit(searcher, f, conn, &plan, &needles, h)?);
    }
    Ok(SearchResponse {
        total,
        took_ms: started.elapsed().as_secs_f64() * 1000.0,
        hits,
        facets,
        understood,
    })
}

/// Which clauses a document matches: the fields named in the hit.
fn matched_fields(searcher: &Searcher, plan: &Plan, h: &Found) -> Result<Vec<&'static str>> {
    let reader = searcher.segment_reader(h.address.segment_ord);
    let mut out: Vec<&'static str> = Vec::new();
    for clause in plan.terms.iter().flatten().filter(|c| c.tier <= h.tier) {
        if out.contains(&clause.field) {
            continue;
        }
        let weight = clause
            .query
            .weight(tantivy::query::EnableScoring::disabled_from_searcher(
                searcher,
            ))?;
        let mut scorer = weight.scorer(reader, 1.0)?;
        if scorer.doc() != TERMINATED && scorer.seek(h.address.doc_id) == h.address.doc_id {
            out.push(clause.field);
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
    searcher: &Searcher,
    f: &Fields,
    conn: &Connection,
    plan: &Plan,
    needles: &[String],
    h: Found,
) -> Result<SearchHit> {
    let fast = searcher.segment_reader(h.address.segment_ord).fast_fields();
    let document_id = fast
        .u64("document_id")?
        .first(h.address.doc_id)
        .unwrap_or_default() as i64;
    let entry_id = if h.is_document {
        None
    } else {
        fast.u64("entry_id")?
            .first(h.address.doc_id)
            .map(|e| e as i64)
    };
    let _ = f;
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
    })?;
    let matched = matched_fields(searcher, plan, &h)?;
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
        conn.prepare_cached(
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
        })?;
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
    Ok(hit)
}
