//! Writing one import batch inside one transaction: documents upserted by 档号 key, entries by
//! their stable key, rejected rows kept with the batch, and what a replaced batch no longer
//! holds marked superseded — never deleted.

use super::rows::{DocFields, PersonFields, RowRecord};
use super::statements::{document_sql, entry_sql};
use crate::api::Field;
use crate::api::FileReport;
use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, OptionalExtension, Transaction};
use std::collections::HashSet;

pub struct NewBatch<'a> {
    pub source_name: &'a str,
    pub source_path: &'a str,
    pub checksum: &'a str,
    /// Category and mapping the file was read with (see `import::options_key`).
    pub options: &'a str,
    pub format: &'a str,
    pub category: Option<&'a str>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryWrite {
    New,
    Updated,
    Unchanged,
    /// The same row appeared earlier in this batch: kept once.
    Duplicate,
}

/// What writing one row did.
pub struct WriteOutcome {
    /// What happened to its entry (None for a document-level row).
    pub entry: Option<EntryWrite>,
    /// Document fields the row gives otherwise than an earlier row of the file: (label, value),
    /// kept on the row's entry.
    pub disagreements: Vec<(String, String)>,
}

#[derive(Default, Debug, Clone, Copy)]
pub struct BatchCounts {
    pub documents_new: usize,
    pub documents_updated: usize,
}

pub struct BatchWriter<'t, 'c> {
    tx: &'t Transaction<'c>,
    pub batch_id: i64,
    replaces: Option<i64>,
    /// Documents this batch has written (ids), to count each once; documents are few per row.
    touched_docs: HashSet<i64>,
    /// Documents that gained entries since the change log was last written, with the first
    /// entry each gained (see `log_changes`).
    unlogged_docs: Vec<(i64, i64)>,
    last_doc: Option<(DocFields, i64)>,
    pub counts: BatchCounts,
    /// The replaced batch and the earlier deliveries it replaced in turn.
    chain: Vec<i64>,
    /// Rows of those batches delivered again: none means the file only shares a name.
    overlap: usize,
}

impl<'t, 'c> BatchWriter<'t, 'c> {
    pub fn begin(tx: &'t Transaction<'c>, batch: &NewBatch, replaces: Option<i64>) -> Result<Self> {
        // Checked once at commit instead of after every row: every statement with an immediate
        // foreign key needs a statement journal, which costs more than the row itself.
        tx.pragma_update(None, "defer_foreign_keys", "ON")?;
        let chain: Vec<i64> = match replaces {
            Some(old) => tx
                .prepare(
                    "WITH RECURSIVE chain(id) AS (
                         SELECT ?1 UNION SELECT b.id FROM import_batches b JOIN chain c ON b.replaced_by = c.id)
                     SELECT id FROM chain",
                )?
                .query_map([old], |r| r.get(0))?
                .collect::<rusqlite::Result<_>>()?,
            None => Vec::new(),
        };
        tx.execute(
            "INSERT INTO import_batches (source_name, source_path, checksum, options, format, category, imported_at,
                 status, rows_read, rows_accepted, rows_rejected, report_json)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'active', 0, 0, 0, '{}')",
            params![
                batch.source_name,
                batch.source_path,
                batch.checksum,
                batch.options,
                batch.format,
                batch.category,
                super::now_text()
            ],
        )?;
        Ok(BatchWriter {
            tx,
            batch_id: tx.last_insert_rowid(),
            replaces,
            touched_docs: HashSet::new(),
            unlogged_docs: Vec::new(),
            last_doc: None,
            counts: BatchCounts::default(),
            chain,
            overlap: 0,
        })
    }

    /// Writes the change log for the entries inserted since the last call — one change per
    /// document, naming its first new entry (the ones after it are new as well), where a
    /// trigger would log every row — and returns the transaction's connection, for readers
    /// that must see what the batch wrote so far (the search index).
    pub fn log_changes(&mut self) -> Result<&rusqlite::Connection> {
        let mut log = self
            .tx
            .prepare_cached("INSERT INTO changes (document_id, first_new_entry) VALUES (?1, ?2)")?;
        for (doc_id, first_entry) in self.unlogged_docs.drain(..) {
            log.execute([doc_id, first_entry])?;
        }
        Ok(self.tx)
    }

    pub fn reject(
        &self,
        sheet: &str,
        row: usize,
        column: Option<&str>,
        reason: &str,
    ) -> Result<()> {
        self.tx
            .prepare_cached(
                "INSERT INTO rejected_rows (batch_id, sheet, row_number, column_name, reason) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?
            .execute(params![self.batch_id, sheet, row as i64, column, reason])?;
        Ok(())
    }

    /// Write one accepted row. Returns what happened to its entry (None for a document-level row).
    pub fn write(&mut self, sheet: &str, rec: &RowRecord) -> Result<WriteOutcome> {
        let (doc_id, disagreements) = self.write_document(&rec.doc)?;
        let entry = match &rec.person {
            Some(person) if disagreements.is_empty() => {
                Some(self.write_entry(doc_id, sheet, rec, person)?)
            }
            Some(person) => {
                // What this row says differently about its document stays with its entry.
                let mut kept = rec.clone();
                kept.extra.extend(disagreements.iter().cloned());
                Some(self.write_entry(doc_id, sheet, &kept, person)?)
            }
            None => None,
        };
        Ok(WriteOutcome {
            entry,
            disagreements,
        })
    }

    fn write_document(&mut self, doc: &DocFields) -> Result<(i64, Vec<(String, String)>)> {
        // Rows of one document usually follow each other and repeat its fields (merged cells):
        // write the document again only when a row says something new about it.
        if let Some((last, id)) = &self.last_doc {
            if last == doc {
                return Ok((*id, Vec::new()));
            }
        }
        let existing: Option<(i64, Option<i64>)> = self
            .tx
            .prepare_cached("SELECT id, batch_id FROM documents WHERE ref_key = ?1")?
            .query_row([&doc.ref_key], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let values = params![
            doc.ref_key,
            doc.ref_code,
            doc.fonds,
            doc.category,
            doc.title,
            doc.creator,
            doc.doc_number,
            doc.doc_number_key,
            doc.date_raw,
            doc.date_key,
            doc.year,
            doc.page_count,
            doc.retention,
            doc.access,
            doc.access_raw,
            doc.full_text,
            self.batch_id
        ];
        let (insert, update, fill) = document_sql();
        if let Some((id, _)) = existing.filter(|(id, _)| self.touched_docs.contains(id)) {
            // An earlier row of this file wrote the document: it stands, this row only fills
            // what is still missing, and says where it differs.
            let disagreements = self.disagreements(id, doc)?;
            self.tx.prepare_cached(fill)?.execute(values)?;
            self.last_doc = Some((doc.clone(), id));
            return Ok((id, disagreements));
        }
        let id = match existing {
            Some((id, batch)) => {
                if batch.is_some_and(|b| self.chain.contains(&b)) {
                    self.overlap += 1;
                }
                self.tx.prepare_cached(update)?.execute(values)?;
                if self.touched_docs.insert(id) {
                    self.counts.documents_updated += 1;
                }
                id
            }
            None => {
                self.tx.prepare_cached(insert)?.execute(values)?;
                let id = self.tx.last_insert_rowid();
                self.touched_docs.insert(id);
                self.counts.documents_new += 1;
                id
            }
        };
        self.last_doc = Some((doc.clone(), id));
        Ok((id, Vec::new()))
    }

    /// Document fields this row gives otherwise than the document already holds, labelled.
    fn disagreements(&self, id: i64, doc: &DocFields) -> Result<Vec<(String, String)>> {
        let held: Vec<Option<String>> = self
            .tx
            .prepare_cached(
                "SELECT title, creator, doc_number, date_raw, retention, fonds, access_raw, full_text
                 FROM documents WHERE id = ?1",
            )?
            .query_row([id], |r| (0..8).map(|i| r.get(i)).collect())?;
        let given = [
            (Field::Title, &doc.title),
            (Field::Creator, &doc.creator),
            (Field::DocNumber, &doc.doc_number),
            (Field::Date, &doc.date_raw),
            (Field::Retention, &doc.retention),
            (Field::Fonds, &doc.fonds),
            (Field::Access, &doc.access_raw),
            (Field::FullText, &doc.full_text),
        ];
        Ok(given
            .iter()
            .zip(held)
            .filter_map(|((field, new), old)| match (new, old) {
                (Some(new), Some(old)) if *new != old => {
                    Some((field.label().to_string(), new.clone()))
                }
                _ => None,
            })
            .collect())
    }

    /// Write a person's row into a document the archive holds, under a key the caller gives,
    /// leaving the document as it is: a row a clerk confirmed from a scanned page is keyed by
    /// where it stands on the page, so that confirming it again corrects it in place.
    pub fn write_to_document(
        &mut self,
        doc_id: i64,
        key: &str,
        sheet: &str,
        rec: &RowRecord,
    ) -> Result<EntryWrite> {
        let Some(person) = &rec.person else {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "这一行没有姓名，不能作为人员条目",
            ));
        };
        self.write_keyed_entry(doc_id, key, sheet, rec, person)
    }

    fn write_entry(
        &mut self,
        doc_id: i64,
        sheet: &str,
        rec: &RowRecord,
        p: &PersonFields,
    ) -> Result<EntryWrite> {
        let base_key = format!("{}/{}", rec.doc.ref_key, p.identity());
        self.write_keyed_entry(doc_id, &base_key, sheet, rec, p)
    }

    fn write_keyed_entry(
        &mut self,
        doc_id: i64,
        base_key: &str,
        sheet: &str,
        rec: &RowRecord,
        p: &PersonFields,
    ) -> Result<EntryWrite> {
        // Two different rows with one identity in one document (namesakes born the same month):
        // the second becomes #2, in source order, which a re-delivery reproduces.
        let mut occurrence = 1;
        loop {
            let key = if occurrence == 1 {
                base_key.to_string()
            } else {
                format!("{base_key}#{occurrence}")
            };
            // Most rows are new: try the insert first and look the key up only when it exists.
            if self.upsert_entry(None, doc_id, &key, sheet, rec, p)? == 1 {
                // Rows of one document follow each other: its id is usually the last one kept.
                if self.unlogged_docs.last().map(|(d, _)| *d) != Some(doc_id) {
                    self.unlogged_docs
                        .push((doc_id, self.tx.last_insert_rowid()));
                }
                return Ok(EntryWrite::New);
            }
            let existing: Option<(i64, i64, String, Option<String>)> = self
                .tx
                .prepare_cached("SELECT id, batch_id, content_hash, superseded_at FROM entries WHERE entry_key = ?1")?
                .query_row([&key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
                .optional()?;
            match existing {
                None => {
                    return Err(Error::new(
                        ErrorCode::Database,
                        format!("条目「{key}」既无法新增也查不到，数据库可能已损坏"),
                    ))
                }
                Some((_, batch, hash, _)) if batch == self.batch_id => {
                    if hash == rec.content_hash {
                        return Ok(EntryWrite::Duplicate);
                    }
                    occurrence += 1;
                }
                Some((id, batch, hash, superseded)) => {
                    if self.chain.contains(&batch) {
                        self.overlap += 1;
                    }
                    self.upsert_entry(Some(id), doc_id, &key, sheet, rec, p)?;
                    return Ok(if hash == rec.content_hash && superseded.is_none() {
                        EntryWrite::Unchanged
                    } else {
                        EntryWrite::Updated
                    });
                }
            }
        }
    }

    fn upsert_entry(
        &self,
        id: Option<i64>,
        doc_id: i64,
        key: &str,
        sheet: &str,
        rec: &RowRecord,
        p: &PersonFields,
    ) -> Result<usize> {
        let extra = serde_json::to_string(&rec.extra).unwrap_or_else(|_| "[]".into());
        let notes: Vec<String> = rec
            .notes
            .iter()
            .map(|(col, msg)| match col {
                Some(c) => format!("{c}：{msg}"),
                None => msg.clone(),
            })
            .collect();
        let notes = serde_json::to_string(&notes).unwrap_or_else(|_| "[]".into());
        let id_status = p.id_status.map(|s| format!("{s:?}"));
        let values = params![
            id,
            doc_id,
            key,
            self.batch_id,
            sheet,
            rec.source_row as i64,
            rec.content_hash,
            p.name,
            p.name_norm,
            p.gender,
            p.birth_raw,
            p.birth_key,
            p.id_raw,
            p.id_key,
            id_status,
            p.work_unit,
            p.work_unit_norm,
            p.work_start_raw,
            p.work_start_key,
            p.retire_raw,
            p.retire_key,
            p.wage_before,
            p.wage_before_amount,
            p.wage_after,
            p.wage_after_amount,
            p.page,
            extra,
            notes
        ];
        // An existing entry is updated in place, keeping the id that later records (register,
        // certificates) refer to. A new one is inserted unless its key exists, and 0 rows
        // changed tells the caller to look it up. Neither statement is an upsert, which would
        // need a statement journal for every row.
        let sql = match id {
            Some(_) => entry_sql().1.as_str(),
            None => entry_sql().0.as_str(),
        };
        Ok(self.tx.prepare_cached(sql)?.execute(values)?)
    }

    /// Close the batch: counts and report, and what the replaced deliveries no longer hold
    /// marked superseded — only when this file really is a new delivery (it re-delivers some
    /// of their rows) and nothing of it was lost on the way: no row rejected and no skipped
    /// sheet that held entries before. Returns a note for the clerk when the replacement was
    /// limited. `skipped_sheets` names the sheets that held no catalogue this time.
    pub fn finish(
        mut self,
        report: &mut FileReport,
        skipped_sheets: &[String],
        report_json: &str,
    ) -> Result<Option<String>> {
        self.log_changes()?;
        let mut note = None;
        if let Some(old) = self.replaces {
            if self.overlap == 0 {
                note = Some(format!(
                    "已有同名文件的导入批次 {old}，但两者没有共同的案卷或条目，按另一份文件导入，旧批次保持不变"
                ));
            } else {
                report.replaces_batch = Some(old);
                let mut lost_sheet = false;
                for sheet in skipped_sheets {
                    for batch in &self.chain {
                        lost_sheet |= self.tx.query_row(
                            "SELECT EXISTS (SELECT 1 FROM entries WHERE batch_id = ?1 AND sheet = ?2)",
                            params![batch, sheet],
                            |r| r.get::<_, bool>(0),
                        )?;
                    }
                }
                if report.rows_rejected == 0 && !lost_sheet {
                    let now = super::now_text();
                    for batch in &self.chain {
                        report.entries_superseded += self.tx.execute(
                            "UPDATE entries SET superseded_at = ?1, superseded_by = ?2 WHERE batch_id = ?3 AND superseded_at IS NULL",
                            params![now, self.batch_id, batch],
                        )?;
                        self.tx.execute(
                            "UPDATE documents SET superseded_at = ?1
                             WHERE batch_id = ?2 AND superseded_at IS NULL
                               AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.document_id = documents.id AND e.superseded_at IS NULL)",
                            params![now, batch],
                        )?;
                    }
                } else {
                    // The old rows stay live, in a batch marked replaced: the next complete
                    // delivery of this file settles them (it supersedes along the whole chain).
                    note = Some(format!(
                        "本文件有被拒绝的行或未能读取的工作表，旧批次 {old} 中未再出现的条目保留原状，未标记为已被取代"
                    ));
                }
                self.tx.execute(
                    "UPDATE import_batches SET status = 'replaced', replaced_by = ?1 WHERE id = ?2",
                    params![self.batch_id, old],
                )?;
            }
        }
        self.tx.execute(
            "UPDATE import_batches SET rows_read = ?2, rows_accepted = ?3, rows_rejected = ?4, report_json = ?5 WHERE id = ?1",
            params![
                self.batch_id,
                report.rows_read as i64,
                report.rows_accepted as i64,
                report.rows_rejected as i64,
                report_json
            ],
        )?;
        Ok(note)
    }
}
