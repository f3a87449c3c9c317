//! Other archives (跨馆), on both sides: a supervisor adds, removes and imports peers; a clerk's
//! open 跨馆 request is turned into the questions sent to them; and a peer's question is
//! answered from this archive's own person timeline. Every change is an audited act, and every
//! call — asked or answered, refused too — is on the trail of the side it reached.

use super::Archive;
use crate::api::{
    Caller, Peer, PeerAddRequest, PeerAnswer, PeerAskRequest, PeerAsking, PeerListPreview,
    PeerListed, PersonRequest, Role, WhoHoldsFacts, WhoHoldsQuestion,
};
use crate::audit::{self, Event};
use crate::error::{Error, ErrorCode, Result};
use crate::lan::keys::{Pin, TlsKey};
use crate::peers::id_hash;
use crate::peers::peer_list::{checked_address, checked_name, PeerList};
use crate::store::peers::{self, HASH_KEY, PROVINCE_KEY};
use serde_json::json;

/// The channel a request must have been registered under to be asked about at other archives.
pub const CROSS_ARCHIVE_CHANNEL: &str = "跨馆";

/// What an ask sends, to whom: made from an open request before anything leaves.
pub struct PeerAskPlan {
    pub request_id: i64,
    /// hash (every peer, the keyed hash alone) or chosen.
    pub mode: &'static str,
    pub calls: Vec<(Peer, WhoHoldsQuestion)>,
}

impl Archive {
    /// This archive's key (the LAN host's), which peers pin; made on first use.
    pub fn host_key(&self) -> Result<TlsKey> {
        TlsKey::load_or_make(
            &self.data_dir.join(crate::lan::KEY_FILE),
            "archivedesk-host",
        )
    }

    /// The peers, for the clerk choosing whom to ask and the supervisor keeping the list.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        peers::all(&self.store.conn)
    }

    /// The peers with this archive's own key hash and the province list's state.
    pub fn peer_directory(&self) -> Result<crate::api::PeerDirectory> {
        Ok(crate::api::PeerDirectory {
            own_pin: self.host_key()?.pin().shown(),
            province: self.store.meta(PROVINCE_KEY)?,
            can_ask_all: self.hash_key()?.is_some(),
            peers: self.peers()?,
        })
    }

    /// The peer holding the key `pin`, unless it was removed.
    pub fn peer_by_pin(&self, pin: &Pin) -> Result<Option<Peer>> {
        peers::by_pin(&self.store.conn, &pin.hex())
    }

    pub fn add_peer(&mut self, asked: &PeerAddRequest) -> Result<Peer> {
        self.caller.require_supervisor("添加跨馆档案馆")?;
        let name = checked_name(&asked.name)
            .map_err(|why| Error::new(ErrorCode::InvalidRequest, format!("档案馆名称{why}")))?;
        let address = checked_address(&asked.address)
            .map_err(|why| Error::new(ErrorCode::InvalidRequest, why))?;
        let pin = Pin::parse(&asked.pin).ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidRequest,
                "密钥摘要应为 64 位十六进制数字（SHA-256），可含空格",
            )
        })?;
        self.refuse_own_key(&pin)?;
        self.act(|tx, caller| {
            let peer = peers::add(
                tx,
                &name,
                &address,
                &pin.hex(),
                &crate::store::now_text(),
                &audit::actor(caller),
            )?;
            audit::append(
                tx,
                caller,
                Event::new(
                    "peer_added",
                    Some(peer.name.clone()),
                    json!({ "address": peer.address, "pin": peer.pin }),
                ),
            )?;
            Ok(peer)
        })
    }

    fn refuse_own_key(&self, pin: &Pin) -> Result<()> {
        if self.host_key()?.pin() == *pin {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "这是本馆自己的密钥，不能作为其他档案馆添加",
            ));
        }
        Ok(())
    }

    /// From now on the peer's key is refused at the peer door, and it is asked no more.
    pub fn remove_peer(&mut self, id: i64) -> Result<Vec<Peer>> {
        self.caller.require_supervisor("删除跨馆档案馆")?;
        self.act(|tx, caller| {
            let peer = peers::remove(tx, id, &crate::store::now_text(), &audit::actor(caller))?;
            audit::append(
                tx,
                caller,
                Event::new("peer_removed", Some(peer.name), json!({ "pin": peer.pin })),
            )
        })?;
        self.peers()
    }

    /// A peer list as it would be taken in: each key hash shown, with what taking it does.
    pub fn preview_peer_list(&self, list: &PeerList) -> Result<PeerListPreview> {
        self.caller.require_supervisor("导入档案馆名单")?;
        let own = self.host_key()?.pin();
        let known = self.peers()?;
        let removed = peers::removed_pins(&self.store.conn)?;
        let peers = list
            .peers
            .iter()
            .map(|listed| {
                let effect = if listed.pin == own {
                    "self"
                } else {
                    match known.iter().find(|p| p.pin == listed.pin.hex()) {
                        Some(p) if p.address == listed.address => "same",
                        Some(_) => "changed_address",
                        None if known.iter().any(|p| p.name == listed.name) => "changed_key",
                        None if removed.contains(&listed.pin.hex()) => "removed_before",
                        None => "added",
                    }
                };
                PeerListed {
                    name: listed.name.clone(),
                    address: listed.address.clone(),
                    pin_shown: listed.pin.shown(),
                    effect: effect.to_string(),
                }
            })
            .collect();
        Ok(PeerListPreview {
            province: list.province.clone(),
            peers,
            has_hash_key: list.hash_key.is_some(),
        })
    }

    /// Takes a peer list in, as previewed: its peers added (this archive itself skipped), moved
    /// ones given their new address, and the province's shared key kept. One recorded act.
    pub fn import_peer_list(&mut self, list: &PeerList) -> Result<PeerListPreview> {
        let preview = self.preview_peer_list(list)?;
        let known = self.peers()?;
        self.act(|tx, caller| {
            let (at, by) = (crate::store::now_text(), audit::actor(caller));
            // A key a supervisor removed, or a known name with another key, is not taken in by
            // a list: the supervisor decides those one by one.
            for (listed, shown) in list.peers.iter().zip(&preview.peers) {
                match shown.effect.as_str() {
                    "changed_address" => {
                        if let Some(peer) = known.iter().find(|p| p.pin == listed.pin.hex()) {
                            peers::move_to(tx, peer.id, &listed.address)?
                        }
                    }
                    "added" => {
                        peers::add(tx, &listed.name, &listed.address, &listed.pin.hex(), &at, &by)?;
                    }
                    _ => {}
                }
            }
            crate::store::set_meta_in(tx, PROVINCE_KEY, &list.province)?;
            if let Some(key) = &list.hash_key {
                crate::store::set_meta_in(tx, HASH_KEY, &hex::encode(key))?;
            }
            audit::append(
                tx,
                caller,
                Event::new(
                    "peer_list_imported",
                    Some(list.province.clone()),
                    json!({ "peers": preview.peers.iter().map(|p| json!([p.name, p.effect])).collect::<Vec<_>>(),
                            "hash_key": list.hash_key.is_some() }),
                ),
            )
        })?;
        Ok(preview)
    }

    fn hash_key(&self) -> Result<Option<Vec<u8>>> {
        Ok(self
            .store
            .meta(HASH_KEY)?
            .as_deref()
            .and_then(id_hash::parse_key))
    }

    /// The questions an ask sends, from the open 跨馆 request `asked.request_id`: to every peer
    /// the keyed hash of the requester's ID alone; to the peers chosen the ID and/or the name
    /// and birth month. Recorded before anything leaves.
    pub fn plan_peer_ask(&mut self, asked: &PeerAskRequest) -> Result<PeerAskPlan> {
        let request = crate::register::get(&self.store.conn, asked.request_id)?;
        if !request.status.is_open() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "这条查档登记已办结：只有未办结的登记才能向其他档案馆查询",
            ));
        }
        if request.channel != CROSS_ARCHIVE_CHANNEL {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("只有「{CROSS_ARCHIVE_CHANNEL}」渠道的查档登记才能向其他档案馆查询（这条是「{}」）", request.channel),
            ));
        }
        let id_key = crate::privacy::open_request_key(&self.store.conn, asked.request_id)?
            .unwrap_or_default();
        // Only a valid ID is sent or hashed, and a birth month only where the ID gives one.
        let valid_id = crate::text::id_number::parse_id_number(&id_key)
            .filter(|id| id.status.is_valid())
            .map(|id| id.key);
        let birth = valid_id
            .as_deref()
            .and_then(crate::text::id_number::birth_date_of)
            .map(|(year, month, _)| format!("{year:04}-{month:02}"));
        let asking = PeerAsking {
            request_no: asked.request_id.to_string(),
            clerk: self.caller.display_name.clone(),
            purpose: request.purpose.clone(),
            channel: request.channel.clone(),
        };
        let all = self.peers()?;
        let (mode, peers, question) = if asked.peers.is_empty() {
            let key = self.hash_key()?.ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    "还没有省级档案馆名单的共享密钥：向全部档案馆查询前，请主管导入名单；也可以选定档案馆查询",
                )
            })?;
            let Some(id) = valid_id.as_deref() else {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "查档人的身份证号无效：向全部档案馆查询只发送身份证号的密钥摘要，无法查询",
                ));
            };
            let question = WhoHoldsQuestion {
                asking: asking.clone(),
                id_hash: Some(id_hash::id_hash(&key, id)),
                ..WhoHoldsQuestion::default()
            };
            ("hash", all, question)
        } else {
            if !asked.with_id && !asked.with_name {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "请选择发送身份证号、姓名和出生年月中的至少一项",
                ));
            }
            let chosen: Vec<Peer> = all
                .into_iter()
                .filter(|p| asked.peers.contains(&p.id))
                .collect();
            if chosen.len() != asked.peers.len() {
                return Err(Error::new(
                    ErrorCode::NotFound,
                    "所选的档案馆有的已被删除，请重新选择",
                ));
            }
            if asked.with_id && valid_id.is_none() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "查档人的身份证号无效，不能按身份证号查询：请只发送姓名和出生年月",
                ));
            }
            if asked.with_name && birth.is_none() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "查档人的身份证号无效，得不出出生年月：不能按姓名查询",
                ));
            }
            let question = WhoHoldsQuestion {
                asking: asking.clone(),
                id_hash: None,
                id_number: if asked.with_id {
                    valid_id.clone()
                } else {
                    None
                },
                name: asked.with_name.then(|| request.requester_name.clone()),
                birth: if asked.with_name { birth.clone() } else { None },
            };
            ("chosen", chosen, question)
        };
        if peers.is_empty() {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "还没有添加任何其他档案馆",
            ));
        }
        let sent = json!({
            "mode": mode,
            "peers": peers.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
            "id_number": question.id_number.is_some(),
            "name": question.name.is_some(),
        });
        self.act(|tx, caller| {
            audit::append(
                tx,
                caller,
                Event::new(
                    "peer_asked",
                    Some(format!("request:{}", asked.request_id)),
                    sent,
                ),
            )
        })?;
        Ok(PeerAskPlan {
            request_id: asked.request_id,
            mode,
            calls: peers.into_iter().map(|p| (p, question.clone())).collect(),
        })
    }

    /// What the peers answered an ask, on this archive's trail.
    pub fn peer_answers_received(&mut self, request_id: i64, answers: &[PeerAnswer]) -> Result<()> {
        let caller = self.caller.clone();
        self.record_look_as(
            &caller,
            Event::new(
                "peer_answers",
                Some(format!("request:{request_id}")),
                json!({ "answers": answers.iter().map(|a| json!([
                    a.peer_name,
                    a.state,
                    a.facts.as_ref().map_or(0, |f| f.groups.iter().map(|g| g.records).sum::<usize>() + f.restricted),
                ])).collect::<Vec<_>>() }),
            ),
        )
    }

    /// A caller refused at the peer door (a key no peer holds, a peer over its rate, a question
    /// that does not say who asks or whom about), with where it came from: an address, or the
    /// peer's name.
    pub fn peer_refused(&mut self, pin: Option<&Pin>, from: &str, why: &str) -> Result<()> {
        self.record_look_as(
            &Caller::local_operator(),
            Event::new(
                "peer_refused",
                None,
                json!({ "pin": pin.map(Pin::hex), "from": from, "why": why }),
            ),
        )
    }

    /// A peer's question answered from this archive's own person timeline: document-level
    /// facts only. Recorded with the asking archive's request number, clerk, purpose and
    /// channel, and what it asked by.
    pub fn answer_who_holds(
        &mut self,
        peer: &Peer,
        question: &WhoHoldsQuestion,
    ) -> Result<WhoHoldsFacts> {
        let asked_by =
            match check_asking(&question.asking).and_then(|()| self.resolve_question(question)) {
                Ok(asked_by) => asked_by,
                Err(e) => {
                    // A question refused is on the trail too; the peer is told only why.
                    let pin = Pin::parse(&peer.pin);
                    self.peer_refused(pin.as_ref(), &peer.name, "bad_question")?;
                    return Err(e);
                }
            };
        // The name alone: the totals would count every row while the archive is held.
        let archive_name = self
            .store
            .meta("archive_name")?
            .unwrap_or_else(|| "档案查询台".to_string());
        let mut facts = WhoHoldsFacts {
            archive_name: archive_name.clone(),
            ..WhoHoldsFacts::default()
        };
        for request in &asked_by.requests {
            match self.person_seen_whole(request) {
                Ok(timeline) => {
                    let conn = &self.store.conn;
                    let by_name = request.id_number.is_none();
                    facts = crate::peers::facts::facts(
                        archive_name.clone(),
                        &timeline,
                        by_name,
                        |document| names_in(conn, document),
                    )?;
                    break;
                }
                Err(e) if e.code == ErrorCode::NotFound => {}
                Err(e) => return Err(e),
            }
        }
        let records: usize = facts.groups.iter().map(|g| g.records).sum();
        let caller = Caller {
            clerk_id: None,
            login: "peer".into(),
            display_name: format!("跨馆：{}（{}）", peer.name, question.asking.clerk),
            role: Role::Clerk,
            desk: None,
        };
        self.record_look_as(
            &caller,
            Event::new(
                "peer_answered",
                Some(peer.name.clone()),
                json!({
                    "request_no": question.asking.request_no,
                    "clerk": question.asking.clerk,
                    "purpose": question.asking.purpose,
                    "channel": question.asking.channel,
                    "asked_by": asked_by.kind,
                    "records": records,
                    "restricted": facts.restricted,
                }),
            ),
        )?;
        Ok(facts)
    }

    /// The person timeline as a peer question reads it: restricted records included (they are
    /// counted, never described), nothing recorded as a clerk's look.
    fn person_seen_whole(&mut self, request: &PersonRequest) -> Result<crate::api::PersonTimeline> {
        self.search_index()?;
        let index = self.search.as_ref().expect("opened above");
        crate::person::person_timeline(&self.store.conn, index, request, true)
    }

    /// The timelines to try, in order, for a question.
    fn resolve_question(&mut self, question: &WhoHoldsQuestion) -> Result<AskedBy> {
        if let Some(hash) = question.id_hash.as_deref() {
            if question.id_number.is_some() || question.name.is_some() || question.birth.is_some() {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "按密钥摘要查询时不应同时发送身份证号或姓名",
                ));
            }
            let key = self.hash_key()?.ok_or_else(|| {
                Error::new(
                    ErrorCode::InvalidRequest,
                    "本馆没有省级档案馆名单的共享密钥，不能按密钥摘要查询",
                )
            })?;
            let generation = self.change_generation()?;
            let conn = &self.store.conn;
            let found = self
                .id_hashes
                .find(&key, generation, hash, || all_id_keys(conn))?;
            return Ok(AskedBy {
                kind: "id_hash",
                requests: found
                    .map(|id| PersonRequest {
                        id_number: Some(id),
                        ..PersonRequest::default()
                    })
                    .into_iter()
                    .collect(),
            });
        }
        let mut requests = Vec::new();
        if let Some(id) = question
            .id_number
            .as_deref()
            .filter(|i| !i.trim().is_empty())
        {
            requests.push(PersonRequest {
                id_number: Some(bounded(id, 40)?),
                ..PersonRequest::default()
            });
        }
        match (question.name.as_deref(), question.birth.as_deref()) {
            (Some(name), Some(birth)) if !name.trim().is_empty() => requests.push(PersonRequest {
                name: Some(bounded(name, 40)?),
                birth: Some(bounded(birth, 20)?),
                ..PersonRequest::default()
            }),
            (None, None) => {}
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "按姓名查询时须同时给出出生年月",
                ))
            }
        }
        if requests.is_empty() {
            return Err(Error::new(ErrorCode::InvalidRequest, "没有给出要查询的人"));
        }
        let kind = match (question.id_number.is_some(), question.name.is_some()) {
            (true, true) => "id_and_name",
            (true, false) => "id",
            _ => "name_birth",
        };
        Ok(AskedBy { kind, requests })
    }

    /// Grows with every change of documents or rows (the change log's sequence).
    pub(crate) fn change_generation(&self) -> Result<i64> {
        Ok(self.store.conn.query_row(
            "SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = 'changes'), 0)",
            [],
            |r| r.get(0),
        )?)
    }
}

struct AskedBy {
    kind: &'static str,
    requests: Vec<PersonRequest>,
}

fn bounded(text: &str, chars: usize) -> Result<String> {
    let text = text.trim();
    if text.chars().count() > chars || text.chars().any(char::is_control) {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "查询内容过长或含控制字符",
        ));
    }
    Ok(text.to_string())
}

/// The asking archive's request number, clerk, purpose and channel: each given, each short.
pub(crate) fn check_asking(asking: &PeerAsking) -> Result<()> {
    for (what, value, chars) in [
        ("查档登记号", &asking.request_no, 40),
        ("经办人", &asking.clerk, 40),
        ("利用目的", &asking.purpose, 40),
        ("渠道", &asking.channel, 10),
    ] {
        let value = value.trim();
        if value.is_empty() || value.chars().count() > chars || value.chars().any(char::is_control)
        {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("跨馆查询须写明{what}（最多 {chars} 个字）"),
            ));
        }
    }
    Ok(())
}

/// The ID keys of the rows in force, each once.
fn all_id_keys(conn: &rusqlite::Connection) -> Result<Vec<String>> {
    let mut statement = conn.prepare(
        "SELECT DISTINCT id_key FROM entries WHERE id_key IS NOT NULL AND superseded_at IS NULL",
    )?;
    let ids = statement
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The names a document lists, masked in its title when a peer is told of it.
fn names_in(conn: &rusqlite::Connection, document_id: i64) -> Result<Vec<String>> {
    let mut statement = conn.prepare_cached(
        "SELECT DISTINCT name_norm FROM entries WHERE document_id = ?1 AND superseded_at IS NULL",
    )?;
    let names = statement
        .query_map([document_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(names)
}
