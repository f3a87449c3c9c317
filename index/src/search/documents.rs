//! Turning the store's current documents and entries into search index documents.

use rusqlite::{params, Connection};
use tantivy::{IndexWriter, TantivyDocument};

use super::schema::{Fields, KIND_DOCUMENT, KIND_ENTRY};
use crate::error::Result;
use crate::text::name_pinyin;

const DOCUMENT_SQL: &str =
    "SELECT id, ref_key, fonds, category, title, creator, doc_number, doc_number_key,
        year, access, full_text, ref_code, date_key
   FROM documents WHERE id = ?1 AND superseded_at IS NULL";

const ENTRIES_SQL: &str = "SELECT id, name_norm, id_key, birth_key, work_unit, extra_json
   FROM entries WHERE document_id = ?1 AND superseded_at IS NULL";

/// Adds the index documents of each store document in `ids` (current rows only; a superseded
/// or missing document adds nothing). Returns the number of index documents added.
pub fn add_documents(
    conn: &Connection,
    writer: &IndexWriter,
    fields: &Fields,
    ids: &[i64],
) -> Result<usize> {
    let mut documents = conn.prepare_cached(DOCUMENT_SQL)?;
    let mut entries = conn.prepare_cached(ENTRIES_SQL)?;
    let mut added = 0;
    for &id in ids {
        let mut rows = documents.query(params![id])?;
        let Some(d) = rows.next()? else { continue };
        let shared = Shared {
            document_id: id as u64,
            ref_key: d.get(1)?,
            fonds: d.get(2)?,
            category: d.get(3)?,
            doc_number_key: d.get(7)?,
            year: d.get::<_, Option<i64>>(8)?,
            access: d.get(9)?,
            month: d
                .get::<_, Option<String>>(12)?
                .filter(|k| k.len() >= 7)
                .map(|k| k[..7].to_string()),
            date: super::order::date_number(
                d.get::<_, Option<String>>(12)?.as_deref(),
                d.get::<_, Option<i64>>(8)?,
            ),
        };
        let title: Option<String> = d.get(4)?;

        let mut doc = shared.document(fields, KIND_DOCUMENT);
        add_text(&mut doc, fields.title_text, title.as_deref());
        add_text(
            &mut doc,
            fields.full_text,
            d.get::<_, Option<String>>(10)?.as_deref(),
        );
        for column in [5, 6, 11] {
            add_text(
                &mut doc,
                fields.doc_text,
                d.get::<_, Option<String>>(column)?.as_deref(),
            );
        }
        writer.add_document(doc)?;
        added += 1;

        let mut rows = entries.query(params![id])?;
        while let Some(e) = rows.next()? {
            let mut doc = shared.document(fields, KIND_ENTRY);
            doc.add_u64(fields.entry_id, e.get::<_, i64>(0)? as u64);
            let name: String = e.get(1)?;
            let id_key: Option<String> = e.get(2)?;
            let birth_key: Option<String> = e.get(3)?;
            doc.add_u64(
                fields.person,
                super::order::person_key(&name, id_key.as_deref(), birth_key.as_deref(), e.get(0)?),
            );
            if !name.is_empty() {
                doc.add_text(fields.name_exact, &name);
                doc.add_text(fields.name_text, &name);
                let readings = name_pinyin(&name);
                for p in &readings.full {
                    doc.add_text(fields.name_pinyin, p);
                }
                if let Some(main) = readings.full.first() {
                    doc.add_text(fields.name_pinyin_main, main);
                }
                // A fuzzy reading equal to a full one is found through `name_pinyin`.
                for p in readings.fuzzy.iter().filter(|z| !readings.full.contains(z)) {
                    doc.add_text(fields.name_fuzzy, p);
                }
                for p in &readings.initials {
                    doc.add_text(fields.name_initials, p);
                }
            }
            if let Some(key) = &id_key {
                doc.add_text(fields.id_key, key);
            }
            if let Some(birth) = birth_key {
                if let Some(year) = birth.get(..4).and_then(|y| y.parse::<u64>().ok()) {
                    doc.add_u64(fields.birth_year, year);
                }
                if let Some(month) = birth.get(..7) {
                    doc.add_text(fields.birth_month, month);
                }
            }
            if let Some(unit) = e.get::<_, Option<String>>(4)? {
                doc.add_text(fields.unit, super::units::unit_key(&unit));
            }
            let extra: String = e.get(5)?;
            let values = extra_values(&extra);
            add_text(&mut doc, fields.extra_text, Some(&values));
            writer.add_document(doc)?;
            added += 1;
        }
    }
    Ok(added)
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
        if kind == KIND_DOCUMENT {
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
pub fn extra_values(extra_json: &str) -> String {
    let pairs: Vec<(String, String)> = serde_json::from_str(extra_json).unwrap_or_default();
    pairs
        .into_iter()
        .map(|(_, v)| v)
        .filter(|v| !v.trim().is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}
