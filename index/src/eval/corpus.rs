//! The generator's ground truth joined to what the archive holds: each truth row to its entry
//! (by the document's canonical 档号 and the row of the source file), and each document's
//! number and full text as stored.

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{Connection, OpenFlags};
use serde::Deserialize;

use crate::error::{Error, ErrorCode, Result};
use crate::text::codes::ref_code_key;

/// One line of `truth.jsonl` (see `crate::demo`).
#[derive(Debug, Clone, Deserialize)]
pub struct TruthRow {
    pub person_id: usize,
    /// Canonical name.
    pub name: String,
    /// Canonical 18-digit ID.
    pub id18: String,
    /// wage | retirement | recruitment
    pub kind: String,
    pub file: String,
    pub row: i64,
    /// Canonical 档号.
    pub ref_code: String,
    pub ref_code_written: String,
    pub year: i32,
    pub unit: String,
    pub written_name: String,
    pub written_id: String,
    pub mess: Vec<String>,
}

impl TruthRow {
    pub fn has(&self, tag: &str) -> bool {
        self.mess.iter().any(|m| m == tag)
    }
}

/// A document as stored.
#[derive(Debug, Clone)]
pub struct StoredDocument {
    pub id: i64,
    pub doc_number: Option<String>,
    pub full_text: Option<String>,
}

pub struct Corpus {
    pub rows: Vec<TruthRow>,
    /// The entry each truth row became; None for rows refused at import.
    pub entry: Vec<Option<i64>>,
    /// The document (id) each truth row belongs to.
    pub document: Vec<Option<i64>>,
    /// Birth date of each entry as written.
    pub birth_raw: HashMap<i64, String>,
    /// Truth row of each entry.
    pub row_of_entry: HashMap<i64, usize>,
    /// Documents by canonical 档号 key.
    pub documents: HashMap<String, StoredDocument>,
    /// Truth rows per (person, year): more than one means the person appears twice that year.
    pub person_year_rows: HashMap<(usize, i32), usize>,
    /// Truth rows of each person.
    pub rows_of_person: HashMap<usize, Vec<usize>>,
}

fn io(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("读取演示数据的真值文件失败：{e}"))
}

impl Corpus {
    /// Reads the truth file and joins it to the archive's database (read-only).
    pub fn load(truth_file: &Path, database: &Path) -> Result<Corpus> {
        let text = std::fs::read_to_string(truth_file).map_err(io)?;
        let rows: Vec<TruthRow> = text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(serde_json::from_str)
            .collect::<std::result::Result<_, _>>()
            .map_err(io)?;
        let conn = Connection::open_with_flags(database, OpenFlags::SQLITE_OPEN_READ_ONLY)?;

        let mut documents = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT id, ref_key, doc_number, full_text FROM documents WHERE superseded_at IS NULL",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            documents.insert(
                r.get::<_, String>(1)?,
                StoredDocument {
                    id: r.get(0)?,
                    doc_number: r.get(2)?,
                    full_text: r.get(3)?,
                },
            );
        }

        // (document ref_key, source row) → entry; a key seen twice is ambiguous and left out.
        let mut by_row: HashMap<(String, i64), Option<(i64, i64)>> = HashMap::new();
        let mut birth_raw = HashMap::new();
        let mut stmt = conn.prepare(
            "SELECT e.id, d.id, d.ref_key, e.source_row, e.birth_raw FROM entries e
             JOIN documents d ON d.id = e.document_id WHERE e.superseded_at IS NULL",
        )?;
        let mut q = stmt.query([])?;
        while let Some(r) = q.next()? {
            let entry: i64 = r.get(0)?;
            let key = (r.get::<_, String>(2)?, r.get::<_, i64>(3)?);
            let value = Some((entry, r.get::<_, i64>(1)?));
            by_row.entry(key).and_modify(|v| *v = None).or_insert(value);
            if let Some(b) = r.get::<_, Option<String>>(4)? {
                birth_raw.insert(entry, b);
            }
        }

        let mut entry = Vec::with_capacity(rows.len());
        let mut document = Vec::with_capacity(rows.len());
        let mut row_of_entry = HashMap::new();
        let mut person_year_rows: HashMap<(usize, i32), usize> = HashMap::new();
        let mut rows_of_person: HashMap<usize, Vec<usize>> = HashMap::new();
        for (i, t) in rows.iter().enumerate() {
            let key = ref_code_key(&t.ref_code);
            let joined = by_row.get(&(key.clone(), t.row)).copied().flatten();
            if let Some((e, _)) = joined {
                row_of_entry.insert(e, i);
            }
            entry.push(joined.map(|j| j.0));
            document.push(documents.get(&key).map(|d| d.id));
            *person_year_rows.entry((t.person_id, t.year)).or_default() += 1;
            rows_of_person.entry(t.person_id).or_default().push(i);
        }
        Ok(Corpus {
            rows,
            entry,
            document,
            birth_raw,
            row_of_entry,
            documents,
            person_year_rows,
            rows_of_person,
        })
    }

    /// The person of an entry, by the truth row it came from.
    pub fn person_of_entry(&self, entry: i64) -> Option<usize> {
        self.row_of_entry
            .get(&entry)
            .map(|&i| self.rows[i].person_id)
    }

    /// The only row of its person in its year, and joined to an entry: a name + year query
    /// has exactly this row as its answer.
    pub fn sole_row_of_year(&self, i: usize) -> bool {
        self.entry[i].is_some()
            && self
                .person_year_rows
                .get(&(self.rows[i].person_id, self.rows[i].year))
                == Some(&1)
    }

    pub fn stored_document(&self, i: usize) -> Option<&StoredDocument> {
        self.documents.get(&ref_code_key(&self.rows[i].ref_code))
    }
}
