//! Asking other archives from a door that stays open: the questions are made from the open
//! request (and recorded) holding the archive; the peers are asked on a thread of their own
//! without it, so that clerks are not kept waiting; each answer is shown as it comes, and all
//! of them go on the trail once they are in.

use super::Session;
use crate::api::{Caller, Peer, PeerAskRequest, PeerAskView};
use crate::error::{Error, ErrorCode, Result};
use crate::peers::ask::{ask_each, ANSWER_WITHIN};
use std::sync::{Arc, PoisonError};

impl Session {
    /// Starts an ask at other archives for `caller`; answers the peers asked, all waiting.
    pub fn ask_peers(&self, caller: &Caller, asked: &PeerAskRequest) -> Result<PeerAskView> {
        let (plan, key) = self.with_archive(|archive| {
            archive.act_as(caller.clone());
            Ok((archive.plan_peer_ask(asked)?, archive.host_key()?))
        })?;
        let peers: Vec<Peer> = plan.calls.iter().map(|(peer, _)| peer.clone()).collect();
        let view = self
            .peer_asks
            .start(caller.clerk_id, plan.request_id, plan.mode, &peers);
        let shown = view.lock().unwrap_or_else(PoisonError::into_inner).clone();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| Error::new(ErrorCode::Io, format!("无法启动网络连接：{e}")))?;
        let archive = Arc::clone(&self.archive);
        let caller = caller.clone();
        std::thread::spawn(move || {
            runtime.block_on(ask_each(&key, &plan.calls, ANSWER_WITHIN, |i, answer| {
                view.lock().unwrap_or_else(PoisonError::into_inner).answers[i] = answer;
            }));
            let answers = view
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .answers
                .clone();
            if let Ok(archive) = archive
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .as_mut()
            {
                archive.act_as(caller);
                if let Err(e) = archive.peer_answers_received(plan.request_id, &answers) {
                    log::warn!("跨馆查询的回答未能记入审计日志：{}", e.message);
                }
            }
            view.lock().unwrap_or_else(PoisonError::into_inner).done = true;
        });
        Ok(shown)
    }

    /// An ask as it stands now, for the clerk who started it or a supervisor.
    pub fn peer_ask_status(&self, caller: &Caller, ask_id: u64) -> Result<PeerAskView> {
        self.peer_asks
            .view(ask_id, caller.clerk_id, caller.is_supervisor())
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::NotFound,
                    format!("没有编号为 {ask_id} 的跨馆查询"),
                )
            })
    }
}
