//! Filling in the page's hits: the store's ids, which fields matched and why, the record's
//! catalogue line from the store, and snippets.

use std::collections::HashSet;

use rusqlite::{params, Connection, OptionalExtension};
use tantivy::query::{EnableScoring, Scorer};
use tantivy::Searcher;

use super::clauses::Tier;
use super::columns::{column_values, values_where_present};
use super::matching::matches_at;
use super::order::Found;
use super::plan::Plan;
use super::snippet;
use crate::api::{SearchHit, SnippetFragment};
use crate::error::Result;
use crate::text::mask_id;

/// The store's ids of the page's hits.
pub(super) fn fill_ids(searcher: &Searcher, page: &mut [Found]) -> Result<()> {
    let documents = column_values(searcher, page.iter().map(|h| h.address), "document_id")?;
    let mut by_address: Vec<usize> = (0..page.len()).collect();
    by_address.sort_by_key(|&i| page[i].address);
    for (&i, id) in by_address.iter().zip(documents) {
        page[i].document_id = id as i64;
    }
    // A row carries its entry's id; a scanned page read, its page's id.
    let rows: Vec<usize> = (0..page.len()).filter(|&i| !page[i].is_document).collect();
    let addresses: Vec<_> = rows.iter().map(|&i| page[i].address).collect();
    let entry_ids = values_where_present(searcher, &addresses, "entry_id")?;
    let page_ids = values_where_present(searcher, &addresses, "page_id")?;
    for ((&i, entry), scanned) in rows.iter().zip(entry_ids).zip(page_ids) {
        match scanned {
            Some(page_id) => page[i].page_id = Some(page_id as i64),
            None => page[i].entry_id = entry.map(|id| id as i64),
        }
    }
    Ok(())
}

/// Which clauses each hit matches: the fields named in the hit. One scorer per clause and
/// segment, moved forward over the page's hits in index order.
pub(super) fn matched_fields(
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
        "parts" => "记录各栏",
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
        Tier::Pinyin => HOMOPHONE.to_string(),
        Tier::FuzzyPinyin => "姓名读音相近（n/l、f/h、前后鼻音）".to_string(),
        Tier::PartialName => "所查文字是更长姓名的一部分".to_string(),
        Tier::Initials => "姓名拼音首字母相同".to_string(),
        Tier::SamePerson if matched.contains(&"confirmed_person") => {
            "经办人已确认是身份证号持有人的记录（未载身份证号）".to_string()
        }
        Tier::SamePerson => "同名同出生年月，参考（未载身份证号）".to_string(),
        Tier::ScannedPage => {
            "扫描页识别：页面上机器识别的文字中含有所查文字，请对照原件".to_string()
        }
    }
}

const HOMOPHONE: &str = "姓名读音相同（可能是同音字）";

/// A name found by its reading: 拼音相同 when the clerk typed pinyin, or typed these very
/// characters; 可能是同音字 only when the characters typed differ from the name's.
fn pinyin_reason(name: &str, needles: &[String]) -> String {
    let typed: Vec<String> = needles
        .iter()
        .filter(|n| n.chars().any(crate::text::is_cjk))
        .map(|n| crate::text::normalize_name(n))
        .collect();
    let name = crate::text::normalize_name(name);
    if typed.is_empty() || typed.contains(&name) {
        "姓名拼音相同".to_string()
    } else {
        HOMOPHONE.to_string()
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

/// What a hit's snippet looks for: the query's texts, and the ID numbers it asks for.
pub(super) type Sought<'a> = (&'a [String], &'a [String]);

pub(super) fn fill_hit(
    conn: &Connection,
    (needles, ids): Sought,
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
        title: d.title.as_deref().map(crate::privacy::mask_text),
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
        originals: Vec::new(),
        scanned_page: None,
    };
    if let Some(page_id) = h.page_id {
        return scanned_page_hit(conn, (needles, ids), hit, page_id, open);
    }
    let mut snippet: Vec<SnippetFragment> = Vec::new();
    if let Some(entry_id) = entry_id {
        if conn
            .prepare_cached(
            "SELECT name, gender, birth_raw, work_unit, id_key, id_raw, page, extra_json FROM entries WHERE id = ?1",
        )?
        .query_row(params![entry_id], |r| {
            hit.name = Some(r.get(0)?);
            if h.tier == Tier::Pinyin {
                hit.reason = pinyin_reason(hit.name.as_deref().unwrap_or_default(), needles);
            }
            if !open {
                // A record not open to the public: the name that was found, and nothing
                // more of the row.
                return Ok(());
            }
            hit.gender = r.get(1)?;
            hit.unit = r.get::<_, Option<String>>(3)?.map(|u| crate::privacy::mask_text(&u));
            let id_key: Option<String> = r.get(4)?;
            let id_raw: Option<String> = r.get(5)?;
            hit.id_masked = id_key.or(id_raw).map(|k| mask_id(&k));
            let birth: Option<String> = r.get(2)?;
            // Beside a masked ID a birth date shows its month only.
            hit.birth = if hit.id_masked.is_some() {
                crate::privacy::birth_to_month(birth.as_deref(), None).0
            } else {
                birth
            };
            hit.page = r.get(6)?;
            {
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
                // Other columns, money and ID columns left out: a snippet is shown to every
                // clerk (and an ID number in any other column is masked with the fragment).
                let extra: String = r.get(7)?;
                let pairs: Vec<(String, String)> = serde_json::from_str(&extra).unwrap_or_default();
                let extra = pairs
                    .into_iter()
                    .filter(|(header, value)| {
                        !value.trim().is_empty()
                            && !crate::privacy::is_money_column(header)
                            && !crate::privacy::is_id_column(header)
                    })
                    .map(|(_, value)| value)
                    .collect::<Vec<_>>()
                    .join("　");
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

/// A scanned page's hit: the page it is on, and the lines read there that hold what was asked
/// (masked as every full text is; none for a record that is not open).
fn scanned_page_hit(
    conn: &Connection,
    sought: Sought,
    mut hit: SearchHit,
    page_id: i64,
    open: bool,
) -> Result<Option<SearchHit>> {
    let Some(read) = crate::store::page_text::page_reading(conn, page_id)? else {
        return Ok(None);
    };
    hit.scanned_page = Some(read.page_no);
    hit.page = Some(read.page_no.to_string());
    if open {
        hit.snippet = snippet::scanned_rows("page_text", &read.text, sought);
    }
    Ok(Some(hit))
}
