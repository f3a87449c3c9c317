//! The outbox of messages to other archives, as the delivering thread sees it: what is due,
//! delivered, to try again later, or refused for good.

use crate::cross::states::{self};
use crate::error::Result;
use crate::store::cross as store;
use crate::Archive;
use serde_json::json;

impl Archive {
    /// Messages due now, for the sender.
    pub fn outbox_due(&self, limit: usize) -> Result<Vec<crate::cross::delivery::Outgoing>> {
        store::due(&self.store.conn, &crate::store::now_text(), limit)
    }

    /// A message the peer has taken.
    pub fn outbox_delivered(&mut self, id: i64) -> Result<()> {
        store::delivered(&self.store.conn, id, &crate::store::now_text())
    }

    /// A message not delivered: tried again after a wait that grows with its attempts.
    pub fn outbox_failed(&mut self, id: i64, attempts: i64, error: &str) -> Result<()> {
        let wait = crate::cross::delivery::retry_after(attempts + 1);
        let next = chrono::Local::now().naive_local()
            + chrono::Duration::from_std(wait).unwrap_or_default();
        store::failed(
            &self.store.conn,
            id,
            &error.chars().take(300).collect::<String>(),
            &next.format("%Y-%m-%d %H:%M:%S").to_string(),
        )
    }

    /// A message's body, to send now.
    pub fn outbox_body(&self, id: i64) -> Result<Vec<u8>> {
        store::body(&self.store.conn, id)
    }

    /// A message the peer refused for good: not sent again. An application refused so stands
    /// 退回 here with the peer's words, so that the clerk sees why and may send it anew.
    pub fn outbox_refused(&mut self, id: i64, why: &str) -> Result<()> {
        let why: String = why.chars().take(200).collect();
        self.act(|tx, _| {
            store::given_up(tx, id, &format!("对方拒收：{why}"))?;
            let Some((sent_id, request_id)) = store::sent_of_outbox(tx, id)? else {
                return Ok(());
            };
            let reason = format!("对方档案馆拒收：{why}");
            store::set_sent_state(
                tx,
                sent_id,
                states::RETURNED,
                &crate::store::now_text(),
                None,
                Some(&reason),
            )?;
            super::status_recorded(
                tx,
                request_id,
                json!({ "state": states::RETURNED, "reason": reason }),
            )
        })
    }

    /// Messages waiting to be delivered.
    pub fn outbox_waiting(&self) -> Result<i64> {
        store::waiting(&self.store.conn)
    }
}
