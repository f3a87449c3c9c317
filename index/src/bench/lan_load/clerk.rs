//! One clerk at a desk, at a counter's pace: searching a name a keystroke at a time, opening a
//! record with its first page, registering a citizen's request and issuing its certificate;
//! each operation timed.

use super::super::loopback_client::LoopbackClient;
use super::super::soak::{call, first_page, first_scanned_page};
use crate::error::{Error, ErrorCode, Result};
use serde_json::{json, Value};
use std::path::Path;
use std::time::{Duration, Instant};

/// What one clerk did: which operation, how long it took, and how it ended.
pub(super) struct Timed {
    pub(super) operation: &'static str,
    pub(super) millis: f64,
    pub(super) busy_retried: usize,
    pub(super) error: Option<String>,
}

/// When each kind of operation is due next, seconds after the start.
pub(super) struct Pace {
    every: [f64; 4],
    next: [f64; 4],
}

const SEARCH: usize = 0;
const RECORD: usize = 1;
const REGISTER: usize = 2;
const ISSUE: usize = 3;

impl Pace {
    pub(super) fn new(speed: f64, desk: usize, desks: usize) -> Pace {
        let every = [2.0, 10.0, 60.0, 120.0].map(|s| s / speed.max(0.01));
        let share = desk as f64 / desks.max(1) as f64;
        // The first request is registered early and its certificate issued a while later.
        let next = [
            every[SEARCH] * share,
            every[RECORD] * share,
            every[REGISTER] * share / 4.0,
            every[REGISTER] * share / 4.0 + every[ISSUE] / 4.0,
        ];
        Pace { every, next }
    }

    /// The operation due first, and when.
    fn due(&self) -> (usize, f64) {
        (0..4)
            .map(|k| (k, self.next[k]))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("four kinds")
    }
}

pub(super) struct Clerk {
    client: LoopbackClient,
    people: Vec<Person>,
    next_person: usize,
    /// The request registered last, its record attached, waiting for its certificate.
    open_request: Option<i64>,
    timed: Vec<Timed>,
}

impl Clerk {
    pub(super) fn new(client: LoopbackClient, people: Vec<Person>) -> Clerk {
        Clerk {
            client,
            people,
            next_person: 0,
            open_request: None,
            timed: Vec::new(),
        }
    }

    pub(super) fn work_until(mut self, deadline: Instant, mut pace: Pace) -> Vec<Timed> {
        let started = Instant::now();
        loop {
            let (kind, at) = pace.due();
            let when = started + Duration::from_secs_f64(at);
            if when >= deadline {
                break;
            }
            if let Some(wait) = when.checked_duration_since(Instant::now()) {
                std::thread::sleep(wait);
            }
            pace.next[kind] += pace.every[kind];
            match kind {
                SEARCH => self.search(),
                RECORD => self.open_record(),
                REGISTER => self.register(),
                _ => self.issue(),
            }
        }
        self.timed
    }

    fn person(&mut self) -> Person {
        let person = self.people[self.next_person % self.people.len()].clone();
        self.next_person += 1;
        person
    }

    /// Asks `op` with `body`, again while the archive answers `busy`.
    fn ask(&mut self, op: &str, body: Value) -> (std::result::Result<Value, String>, usize) {
        let mut busy = 0;
        loop {
            match call(&mut self.client, op, body.clone()) {
                Err(e) if e.contains("\"busy\"") && busy < 20 => {
                    busy += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                answer => return (answer, busy),
            }
        }
    }

    fn timed<T>(
        &mut self,
        operation: &'static str,
        work: impl FnOnce(&mut Self, &mut usize) -> std::result::Result<T, String>,
    ) -> Option<T> {
        let asked = Instant::now();
        let mut busy = 0;
        let done = work(self, &mut busy);
        let millis = asked.elapsed().as_secs_f64() * 1000.0;
        let (value, error) = match done {
            Ok(value) => (Some(value), None),
            Err(e) => (None, Some(e)),
        };
        self.timed.push(Timed {
            operation,
            millis,
            busy_retried: busy,
            error,
        });
        value
    }

    fn asked(
        &mut self,
        op: &str,
        body: Value,
        busy: &mut usize,
    ) -> std::result::Result<Value, String> {
        let (answer, retried) = self.ask(op, body);
        *busy += retried;
        answer
    }

    /// A name typed a key at a time: each keystroke is a search, as in the UI.
    fn search(&mut self) {
        let person = self.person();
        let typed: Vec<char> = person.name.chars().collect();
        for n in 1..=typed.len() {
            let query: String = typed[..n].iter().collect();
            let committed = n == typed.len();
            self.timed("search", |clerk, busy| {
                clerk.asked(
                    "search",
                    json!({ "query": query, "limit": 20, "committed": committed }),
                    busy,
                )
            });
        }
    }

    /// A record and its first page, as the clerk opens a hit.
    fn open_record(&mut self) {
        let person = self.person();
        let Some(found) = self.timed("search", |clerk, busy| {
            clerk.asked("search", json!({ "query": person.id, "limit": 20 }), busy)
        }) else {
            return;
        };
        let Some(document_id) = found["hits"][0]["document_id"].as_i64() else {
            return;
        };
        self.timed("record_with_page", |clerk, busy| {
            let shown = clerk.asked(
                "document",
                json!({ "document_id": document_id, "query": person.id }),
                busy,
            )?;
            first_page(&mut clerk.client, document_id, &shown)
        });
    }

    /// A citizen's request registered and their open record attached with its first page.
    fn register(&mut self) {
        let person = self.person();
        let Some(found) = self.timed("search", |clerk, busy| {
            clerk.asked(
                "search",
                json!({ "query": person.id, "access": "open", "limit": 20, "committed": true }),
                busy,
            )
        }) else {
            return;
        };
        let rows: Vec<Value> = found["hits"]
            .as_array()
            .map(|hits| {
                hits.iter()
                    .filter(|h| h["entry_id"].is_i64())
                    .take(6)
                    .cloned()
                    .collect()
            })
            .unwrap_or_default();
        if rows.is_empty() {
            return;
        }
        self.open_request = self.timed("register", |clerk, busy| {
            let request = clerk.asked(
                "register_request",
                json!({
                    "requester_name": person.name,
                    "requester_id": person.id,
                    "relationship": "self",
                    "purpose": crate::register::validate::PURPOSES[0],
                    "channel": "窗口",
                    "sought": "工资调整记录",
                }),
                busy,
            )?;
            let id = request["id"].as_i64().ok_or("register_request: no id")?;
            // The clerk opens the person's records until one has its scan, and copies its first
            // page, as for most certificates.
            let mut chosen = (&rows[0], Vec::new());
            for hit in &rows {
                let shown = clerk.asked(
                    "document",
                    json!({ "document_id": hit["document_id"], "query": person.id }),
                    busy,
                )?;
                if let Some(page_no) = first_scanned_page(&shown) {
                    chosen = (hit, vec![page_no]);
                    break;
                }
            }
            let (hit, pages) = chosen;
            clerk.asked(
                "attach_record",
                json!({
                    "request_id": id,
                    "entry_id": hit["entry_id"],
                    "document_id": hit["document_id"],
                    "pages": pages,
                    "catalogue_only": pages.is_empty(),
                }),
                busy,
            )?;
            Ok(id)
        });
    }

    /// The open request's pages covered where others are on them, then its certificate issued.
    fn issue(&mut self) {
        let Some(request_id) = self.open_request.take() else {
            return;
        };
        let covered = self.timed("cover", |clerk, busy| {
            let view = clerk.asked("lookup_request", json!({ "id": request_id }), busy)?;
            for page in view["uncovered"].as_array().cloned().unwrap_or_default() {
                let at = json!({
                    "request_id": request_id,
                    "record_id": page["record_id"],
                    "page_no": page["page_no"],
                });
                let suggested = clerk.asked("suggest_cover", at.clone(), busy)?;
                let mut boxes = suggested["boxes"].as_array().cloned().unwrap_or_default();
                if boxes.is_empty() {
                    boxes.push(json!({ "x": 0.0, "y": 0.9, "width": 0.2, "height": 0.05 }));
                }
                let mut redact = at.clone();
                redact["boxes"] = Value::Array(boxes);
                clerk.asked("redact_page", redact, busy)?;
                clerk.asked("confirm_covered", at, busy)?;
            }
            Ok(())
        });
        if covered.is_none() {
            return;
        }
        self.timed("certificate", |clerk, busy| {
            clerk.asked(
                "issue_certificate",
                json!({ "request_id": request_id }),
                busy,
            )
        });
    }
}

/// A citizen who comes to the counter: their name and ID number (18 digits) as the archive
/// holds them.
#[derive(Clone)]
pub(super) struct Person {
    name: String,
    id: String,
}

/// The people in records that have scanned pages: what a clerk opens and copies at the counter.
pub(super) fn people_of(data: &Path) -> Result<Vec<Person>> {
    let conn = rusqlite::Connection::open(data.join(crate::store::DB_FILE))?;
    let mut stmt = conn.prepare(
        "SELECT name, id_key FROM entries
         WHERE superseded_at IS NULL AND length(id_key) = 18
           AND document_id IN (SELECT document_id FROM pages)
         ORDER BY id LIMIT 5000",
    )?;
    let people = stmt
        .query_map([], |r| {
            Ok(Person {
                name: r.get(0)?,
                id: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if people.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            format!("「{}」中没有带扫描页的查档人", data.display()),
        ));
    }
    Ok(people)
}
