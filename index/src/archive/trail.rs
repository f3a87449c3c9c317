//! How the archive writes its audit trail: a look goes to the desk's journal at once (durable,
//! never waiting on an import), an act is committed durably together with its own row after the
//! looks journaled before it, and anchors are written when the archive closes and at least
//! daily — only by an archive that wrote to the trail itself, so that opening a copy of the
//! data folder (to check it) never writes anchors in the archive's name.

use super::Archive;
use crate::api::Caller;
use crate::audit::{self, anchors, looks, Event};
use crate::error::Result;
use crate::store::durable;
use serde_json::json;

/// How long closing the archive waits for the database to chain the journal; looks left in the
/// journal are chained by the next act or the next start.
const CLOSE_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// Chain the journal opportunistically once it holds this many looks.
const CHAIN_AFTER: i64 = 500;

/// What the archive knows of its trail between acts.
#[derive(Default)]
pub(super) struct TrailState {
    /// This archive appended rows to the trail (so closing it anchors them).
    pub wrote: bool,
    /// The newest anchor of the data folder, read once and then kept current.
    pub latest_anchor: Option<Option<anchors::Anchor>>,
    /// The database was found damaged: closing writes nothing more into it.
    pub stopped: bool,
}

impl Archive {
    /// Appends one audited act in a durable transaction of its own: the act is refused when its
    /// record cannot be written.
    pub(super) fn record(&mut self, event: Event) -> Result<()> {
        self.act(|tx, caller| audit::append(tx, caller, event).map(|_| ()))
    }

    /// Runs one act of the counter in a durable transaction, for the caller, after chaining the
    /// looks journaled before it: the trail keeps the order things happened in. An anchor is
    /// written afterwards when one is due.
    pub(super) fn act<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction, &Caller) -> Result<T>,
    ) -> Result<T> {
        let done = self.commit(work)?;
        self.anchor_if_due();
        Ok(done)
    }

    /// The transaction of an act: the journal's looks, then `work`; the looks it chained leave
    /// the journal once it has committed.
    fn commit<T>(
        &mut self,
        work: impl FnOnce(&rusqlite::Transaction, &Caller) -> Result<T>,
    ) -> Result<T> {
        let caller = self.caller.clone();
        let journal = &self.journal.conn;
        let mut grew = false;
        let done = durable(&mut self.store.conn, |tx| {
            let before = last_seq(tx)?;
            looks::chain(tx, journal)?;
            let value = work(tx, &caller)?;
            grew = last_seq(tx)? > before;
            Ok(value)
        })?;
        let _ = looks::prune(journal, &self.store.conn);
        self.trail.wrote |= grew;
        Ok(done)
    }

    /// Chains every look journaled so far into the trail now (waiting for the database as an
    /// act does).
    pub fn chain_looks(&mut self) -> Result<()> {
        self.act(|_, _| Ok(()))
    }

    /// A look — a search answered, a record, page, request or timeline viewed, a login — is
    /// written to the journal at once, whatever holds the archive's database.
    pub(super) fn record_look(&mut self, event: Event) -> Result<()> {
        let caller = self.caller.clone();
        self.record_look_as(&caller, event)
    }

    pub(super) fn record_look_as(&mut self, caller: &Caller, event: Event) -> Result<()> {
        looks::journal(&self.journal.conn, caller, &event)?;
        if looks::waiting(&self.journal.conn)? >= CHAIN_AFTER {
            self.try_chain(std::time::Duration::ZERO);
        }
        Ok(())
    }

    /// Chains the journal now if the database is free within `wait`; a busy database leaves the
    /// looks where they are, safe.
    pub(super) fn try_chain(&mut self, wait: std::time::Duration) {
        if self.store.conn.busy_timeout(wait).is_err() {
            return;
        }
        let _ = self.act(|_, _| Ok(()));
        let _ = self.store.conn.busy_timeout(crate::store::BUSY_WAIT);
    }

    /// The newest anchor of the data folder, read from disk the first time only.
    fn latest_anchor(&mut self) -> Option<anchors::Anchor> {
        let data_dir = self.data_dir.clone();
        self.trail
            .latest_anchor
            .get_or_insert_with(|| anchors::latest(&data_dir.join(anchors::ANCHOR_FOLDER)))
            .clone()
    }

    /// Writes an anchor when one is due (none yet, or the newest older than a day) and this
    /// archive has written to the trail.
    fn anchor_if_due(&mut self) {
        if !self.trail.wrote {
            return;
        }
        let Ok(count) = last_seq(&self.store.conn) else {
            return;
        };
        let now = chrono::Local::now().naive_local();
        if anchors::due(self.latest_anchor().as_ref(), count, now) {
            let _ = self.write_anchor();
        }
    }

    /// Writes the committed chain's head to the anchor folders, then records it as a row; see
    /// `audit::anchors`. None when nothing was added since the newest anchor.
    pub fn write_anchor(&mut self) -> Result<Option<anchors::Anchor>> {
        // The looks journaled so far first, committed: an anchor covers committed rows only.
        self.commit(|_, _| Ok(()))?;
        let count = last_seq(&self.store.conn)?;
        if let Some(latest) = self.latest_anchor() {
            if !anchors::changed_since(count, &latest) {
                return Ok(None);
            }
        }
        self.write_anchor_now(None).map(Some)
    }

    /// Writes the anchor that confirms a restore (see `anchors::RestoreNote`).
    pub(super) fn anchor_restore(&mut self, note: anchors::RestoreNote) -> Result<anchors::Anchor> {
        self.commit(|_, _| Ok(()))?;
        self.write_anchor_now(Some(note))
    }

    fn write_anchor_now(
        &mut self,
        restore: Option<anchors::RestoreNote>,
    ) -> Result<anchors::Anchor> {
        let folders = anchors::folders(&self.store.conn, &self.data_dir)?;
        let (anchor, mirror_problem) = anchors::write(&self.store.conn, &folders, restore)?;
        self.trail.latest_anchor = Some(Some(anchor.clone()));
        let recorded = anchor.clone();
        self.commit(|tx, _| {
            audit::append(
                tx,
                &Caller::local_operator(),
                Event::new(
                    anchors::ACTION,
                    Some(format!("anchor:{}", recorded.number)),
                    json!({ "number": recorded.number, "count": recorded.count,
                            "last_hash": recorded.last_hash, "folders": folders.len(),
                            "second_folder_problem": mirror_problem }),
                ),
            )
            .map(|_| ())
        })?;
        Ok(anchor)
    }

    /// On close: the journal chained and, when this archive wrote to the trail, the head
    /// anchored — if the database is free soon enough; otherwise both happen later.
    /// The database was found damaged: nothing more is written into it on close.
    pub fn stop_writing(&mut self) {
        self.trail.stopped = true;
    }

    pub(super) fn close_trail(&mut self) {
        if self.trail.stopped || self.store.conn.busy_timeout(CLOSE_WAIT).is_err() {
            return;
        }
        if looks::waiting(&self.journal.conn).unwrap_or(0) > 0 {
            let _ = self.commit(|_, _| Ok(()));
        }
        if self.trail.wrote {
            let _ = self.write_anchor();
        }
        let _ = self.store.conn.busy_timeout(crate::store::BUSY_WAIT);
    }
}

fn last_seq(conn: &rusqlite::Connection) -> Result<i64> {
    Ok(
        conn.query_row("SELECT COALESCE(MAX(seq), 0) FROM audit_log", [], |r| {
            r.get(0)
        })?,
    )
}
