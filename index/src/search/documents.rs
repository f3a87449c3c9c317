//! A store document as the index needs it: read from the store in one place (on the thread that
//! holds the store's connection), turned into index documents in another (`index_documents`, on
//! the index's own feeding thread).

use rusqlite::{params, Connection};
use tantivy::TantivyDocument;

use super::name_readings::NameReadings;
use super::schema::{Fields, KIND_DOCUMENT, KIND_ENTRY, KIND_PAGE};
use crate::error::Result;

const DOCUMENT_SQL: &str =
    "SELECT id, ref_key, fonds, category, title, creator, doc_number, doc_number_key,
        year, access, full_text, ref_code, date_key
   FROM documents WHERE id = ?1 AND superseded_at IS NULL";

const ENTRIES_SQL: &str = "SELECT id, name_norm, id_key, birth_key, work_unit, extra_json
   FROM entries WHERE document_id = ?1 AND id >= ?2 AND superseded_at IS NULL";

/// How much of a store document the index must do again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Redo {
    /// The document's own index document.
    pub own: bool,
    /// Its current entries from this id on (0: all of them); None: none.
    pub entries_from: Option<i64>,
}

impl Redo {
    pub const WHOLE: Redo = Redo {
        own: true,
        entries_from: Some(0),
    };
}

/// One current store document (its own fields, when they are to be indexed) and the current
/// entries to index, as read from the store.
pub struct StoredDocument {
    shared: Shared,
    own: Option<OwnFields>,
    entries: Vec<StoredEntry>,
}

/// What only the document's own index document carries.
struct OwnFields {
    title: Option<String>,
    full_text: Option<String>,
    /// Creator, 文号 and 档号 as written.
    doc_texts: [Option<String>; 3],
    /// Its scanned pages the recognizer read: (page id, text).
    pages: Vec<(i64, String)>,
}

struct StoredEntry {
    id: i64,
    name: String,
    id_key: Option<String>,
    birth_key: Option<String>,
    work_unit: Option<String>,
    extra_json: String,
}

impl StoredDocument {
    /// The index documents it makes: the document's own and one per entry.
    pub fn index_document_count(&self) -> usize {
        self.own.as_ref().map_or(0, |own| 1 + own.pages.len()) + self.entries.len()
    }
}

/// Reads the current document `id` and, as `redo` asks, its own fields and current entries
/// (None when it is superseded or missing).
pub fn read_document(conn: &Connection, id: i64, redo: Redo) -> Result<Option<StoredDocument>> {
    let mut documents = conn.prepare_cached(DOCUMENT_SQL)?;
    let mut entries = conn.prepare_cached(ENTRIES_SQL)?;
    let mut rows = documents.query(params![id])?;
    let Some(d) = rows.next()? else {
        return Ok(None);
    };
    let date_key: Option<String> = d.get(12)?;
    let year: Option<i64> = d.get(8)?;
    let shared = Shared {
        document_id: id as u64,
        ref_key: d.get(1)?,
        fonds: d.get(2)?,
        category: d.get(3)?,
        doc_number_key: d.get(7)?,
        year,
        access: d.get(9)?,
        month: date_key
            .as_deref()
            .filter(|k| k.len() >= 7)
            .map(|k| k[..7].to_string()),
        date: super::order::date_number(date_key.as_deref(), year),
    };
    let own = if redo.own {
        Some(OwnFields {
            title: d.get(4)?,
            full_text: d.get(10)?,
            doc_texts: [d.get(5)?, d.get(6)?, d.get(11)?],
            pages: crate::store::page_text::document_texts(conn, id)?
                .into_iter()
                .map(|(page_id, _, text)| (page_id, text))
                .collect(),
        })
    } else {
        None
    };
    let mut document = StoredDocument {
        shared,
        own,
        entries: Vec::new(),
    };
    let Some(from) = redo.entries_from else {
        return Ok(Some(document));
    };
    let mut rows = entries.query(params![id, from])?;
    while let Some(e) = rows.next()? {
        document.entries.push(StoredEntry {
            id: e.get(0)?,
            name: e.get(1)?,
            id_key: e.get(2)?,
            birth_key: e.get(3)?,
            work_unit: e.get(4)?,
            extra_json: e.get(5)?,
        });
    }
    Ok(Some(document))
}

/// The index documents read: the document's own, then one per entry (their names read
/// through `names`).
pub(crate) fn index_documents(
    stored: &StoredDocument,
    fields: &Fields,
    names: &mut NameReadings,
) -> Vec<TantivyDocument> {
    let shared = &stored.shared;
    let mut out = Vec::with_capacity(stored.index_document_count());
    if let Some(own) = &stored.own {
        let mut doc = shared.document(fields, KIND_DOCUMENT);
        add_text(&mut doc, fields.title_text, own.title.as_deref());
        add_text(&mut doc, fields.full_text, own.full_text.as_deref());
        for text in &own.doc_texts {
            add_text(&mut doc, fields.doc_text, text.as_deref());
        }
        out.push(doc);
        for (page_id, text) in &own.pages {
            let mut doc = shared.document(fields, KIND_PAGE);
            doc.add_u64(fields.page_id, *page_id as u64);
            add_text(&mut doc, fields.page_text, Some(text));
            out.push(doc);
        }
    }

    for e in &stored.entries {
        let mut doc = shared.document(fields, KIND_ENTRY);
        doc.add_u64(fields.entry_id, e.id as u64);
        doc.add_u64(
            fields.person,
            super::order::person_key(&e.name, e.id_key.as_deref(), e.birth_key.as_deref(), e.id),
        );
        if !e.name.is_empty() {
            doc.add_text(fields.name_exact, &e.name);
            doc.add_text(fields.name_text, &e.name);
            let readings = names.of(&e.name);
            for p in &readings.full {
                doc.add_text(fields.name_pinyin, p);
            }
            if let Some(main) = readings.main() {
                doc.add_text(fields.name_pinyin_main, main);
            }
            for p in &readings.fuzzy {
                doc.add_text(fields.name_fuzzy, p);
            }
            for p in &readings.initials {
                doc.add_text(fields.name_initials, p);
            }
        }
        if let Some(key) = &e.id_key {
            doc.add_text(fields.id_key, key);
        }
        if let Some(birth) = &e.birth_key {
            if let Some(year) = birth.get(..4).and_then(|y| y.parse::<u64>().ok()) {
                doc.add_u64(fields.birth_year, year);
            }
            if let Some(month) = birth.get(..7) {
                doc.add_text(fields.birth_month, month);
            }
        }
        if let Some(unit) = &e.work_unit {
            doc.add_text(fields.unit, super::units::unit_key(unit));
        }
        let values = extra_values(&e.extra_json);
        add_text(&mut doc, fields.extra_text, Some(&values));
        out.push(doc);
    }
    out
}

/// What every index document of one store document carries, for filters and exact lookups.
struct Shared {
    document_id: u64,
    ref_key: String,
    fonds: Option<String>,
    category: Option<String>,
    doc_number_key: Option<String>,
    year: Option<i64>,
    access: String,
    /// The document's date to the month, when it is written that precisely.
    month: Option<String>,
    /// The document's date as a number that sorts (see `order::date_number`).
    date: u64,
}

impl Shared {
    fn document(&self, fields: &Fields, kind: u64) -> TantivyDocument {
        let mut doc = TantivyDocument::new();
        doc.add_u64(fields.kind, kind);
        doc.add_u64(fields.date, self.date);
        if kind != KIND_ENTRY {
            doc.add_u64(fields.person, 0);
        }
        doc.add_u64(fields.document_id, self.document_id);
        // The document's own keys stay on the document: a query that pairs them with a person
        // reaches its rows through the document join (see `search::plan`), and every term
        // left off a row is indexing time saved a million times.
        if kind == KIND_DOCUMENT {
            doc.add_text(fields.ref_key, &self.ref_key);
            if let Some(key) = self.doc_number_key.as_deref().filter(|k| !k.is_empty()) {
                doc.add_text(fields.doc_number_key, key);
            }
            if let Some(month) = &self.month {
                doc.add_text(fields.doc_month, month);
            }
        }
        if let Some(year) = self.year.filter(|y| *y > 0) {
            doc.add_u64(fields.year, year as u64);
        }
        // Facet columns hold one value per document, the empty string for none.
        doc.add_text(fields.category, self.category.as_deref().unwrap_or(""));
        doc.add_text(fields.fonds, self.fonds.as_deref().unwrap_or(""));
        doc.add_text(fields.access, &self.access);
        doc
    }
}

fn add_text(doc: &mut TantivyDocument, field: tantivy::schema::Field, text: Option<&str>) {
    if let Some(t) = text.filter(|t| !t.trim().is_empty()) {
        doc.add_text(field, t);
    }
}

/// The values of the extra columns, one per line: `[[header, value], …]`.
fn extra_values(extra_json: &str) -> String {
    let pairs: Vec<(String, String)> = serde_json::from_str(extra_json).unwrap_or_default();
    pairs
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| !v.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
