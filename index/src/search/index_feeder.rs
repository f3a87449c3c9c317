//! The index's writer on a thread of its own: the thread that holds the store's connection
//! reads the changed documents and hands them over; this thread turns them into index
//! documents (pinyin readings, unit keys, extra values) and adds them, so that work runs beside
//! the store's writes instead of between them. Jobs run in the order they are sent, so a
//! commit or a rollback covers exactly what was sent before it.

use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{IndexWriter, Term};

use super::documents::{index_documents, StoredDocument};
use super::name_readings::NameReadings;
use super::schema::{Fields, KIND_ENTRY};
use crate::error::{Error, ErrorCode, Result};

/// Batches waiting for the thread at most; the reading side waits when it is this far ahead,
/// so memory stays bounded.
const QUEUE: usize = 4;
/// Index documents per batch handed over.
pub const BATCH_INDEX_DOCUMENTS: usize = 2_000;

/// One change to the index, in the order it must happen.
pub enum Change {
    /// Forget every index document of this store document (it changed or went away).
    Forget(i64),
    /// Forget only the document's own index document (its entries' are unchanged).
    ForgetOwn(i64),
    /// Index this store document as it now is.
    Add(Box<StoredDocument>),
}

enum Job {
    Changes(Vec<Change>),
    /// Commit with this payload; the answer says whether every job before it succeeded.
    Commit(String, SyncSender<Result<()>>),
    /// Forget everything added since the last commit.
    Rollback(SyncSender<Result<()>>),
}

pub struct IndexFeeder {
    jobs: Option<SyncSender<Job>>,
    thread: Option<JoinHandle<IndexWriter>>,
}

impl IndexFeeder {
    pub fn start(writer: IndexWriter, fields: Fields) -> IndexFeeder {
        let (jobs, receiver) = sync_channel(QUEUE);
        let thread = std::thread::Builder::new()
            .name("index-feeder".into())
            .spawn(move || run(writer, &fields, receiver))
            .expect("a thread can be started");
        IndexFeeder {
            jobs: Some(jobs),
            thread: Some(thread),
        }
    }

    pub fn send(&self, changes: Vec<Change>) -> Result<()> {
        if changes.is_empty() {
            return Ok(());
        }
        self.job(Job::Changes(changes))
    }

    /// Commits everything sent so far, with `payload`; returns once it is on disk.
    pub fn commit(&self, payload: String) -> Result<()> {
        let (answer, reply) = sync_channel(1);
        self.job(Job::Commit(payload, answer))?;
        reply.recv().map_err(|_| gone())?
    }

    /// Forgets everything sent since the last commit.
    pub fn rollback(&self) -> Result<()> {
        let (answer, reply) = sync_channel(1);
        self.job(Job::Rollback(answer))?;
        reply.recv().map_err(|_| gone())?
    }

    fn job(&self, job: Job) -> Result<()> {
        self.jobs
            .as_ref()
            .expect("present until finished")
            .send(job)
            .map_err(|_| gone())
    }

    /// Stops the thread and gives the writer back (uncommitted work is left to the writer's
    /// own drop, which discards it).
    pub fn finish(mut self) -> Option<IndexWriter> {
        self.stop()
    }

    fn stop(&mut self) -> Option<IndexWriter> {
        self.jobs.take();
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for IndexFeeder {
    fn drop(&mut self) {
        self.stop();
    }
}

fn gone() -> Error {
    Error::new(ErrorCode::SearchIndex, "检索索引的写入线程已停止")
}

fn run(mut writer: IndexWriter, fields: &Fields, jobs: Receiver<Job>) -> IndexWriter {
    // The first failure since the last commit or rollback, told at the next one.
    let mut failed: Option<Error> = None;
    let mut names = NameReadings::default();
    for job in jobs {
        match job {
            Job::Changes(changes) => {
                if failed.is_some() {
                    continue;
                }
                for change in changes {
                    let result = match change {
                        Change::Forget(id) => {
                            writer.delete_term(Term::from_field_u64(fields.document_id, id as u64));
                            Ok(())
                        }
                        Change::ForgetOwn(id) => {
                            writer.delete_query(own_document(fields, id)).map(|_| ())
                        }
                        Change::Add(stored) => index_documents(&stored, fields, &mut names)
                            .into_iter()
                            .try_for_each(|doc| writer.add_document(doc).map(|_| ())),
                    };
                    if let Err(e) = result {
                        failed = Some(e.into());
                        break;
                    }
                }
            }
            Job::Commit(payload, answer) => {
                let result = match failed.take() {
                    Some(e) => Err(e),
                    None => commit(&mut writer, &payload),
                };
                let _ = answer.send(result);
            }
            Job::Rollback(answer) => {
                failed = None;
                let _ = answer.send(writer.rollback().map(|_| ()).map_err(Error::from));
            }
        }
    }
    writer
}

/// The query for a store document's own index documents (itself and its scanned pages read,
/// not its entries).
fn own_document(fields: &Fields, id: i64) -> Box<dyn Query> {
    let term = |field, value: u64| -> Box<dyn Query> {
        Box::new(TermQuery::new(
            Term::from_field_u64(field, value),
            IndexRecordOption::Basic,
        ))
    };
    Box::new(BooleanQuery::new(vec![
        (Occur::Must, term(fields.document_id, id as u64)),
        (Occur::MustNot, term(fields.kind, KIND_ENTRY)),
    ]))
}

fn commit(writer: &mut IndexWriter, payload: &str) -> Result<()> {
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(payload);
    prepared.commit()?;
    Ok(())
}
