//! Forward-only schema migrations. The position in this list is the schema version, kept in
//! SQLite's `user_version`; a released migration is never edited, only followed by a new one.

pub const MIGRATIONS: &[&str] = &[
    // 1: documents, entries, pages, import batches with their rejected rows.
    r#"
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE import_batches (
    id            INTEGER PRIMARY KEY,
    source_name   TEXT NOT NULL,          -- file name: a changed file of this name replaces the batch
    source_path   TEXT NOT NULL,
    checksum      TEXT NOT NULL,          -- sha256 of the file
    options       TEXT NOT NULL,          -- category and mapping it was read with
    format        TEXT NOT NULL,
    category      TEXT,
    imported_at   TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('active', 'replaced')),
    replaced_by   INTEGER REFERENCES import_batches(id),
    rows_read     INTEGER NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_rejected INTEGER NOT NULL,
    report_json   TEXT NOT NULL           -- sheets, column mapping and warnings, as reported
);
CREATE INDEX import_batches_source ON import_batches(source_name, status);
CREATE INDEX import_batches_checksum ON import_batches(checksum);

CREATE TABLE rejected_rows (
    id          INTEGER PRIMARY KEY,
    batch_id    INTEGER NOT NULL REFERENCES import_batches(id),
    sheet       TEXT NOT NULL,
    row_number  INTEGER NOT NULL,
    column_name TEXT,
    reason      TEXT NOT NULL
);
CREATE INDEX rejected_rows_batch ON rejected_rows(batch_id);

CREATE TABLE documents (
    id              INTEGER PRIMARY KEY,
    ref_code        TEXT NOT NULL,        -- 档号 as written
    ref_key         TEXT NOT NULL UNIQUE, -- canonical 档号
    fonds           TEXT,
    category        TEXT,
    title           TEXT,
    creator         TEXT,
    doc_number      TEXT,
    doc_number_key  TEXT,
    date_raw        TEXT,
    date_key        TEXT,                 -- 1998 / 1998-07 / 1998-07-15, the precision written
    year            INTEGER,
    page_count      INTEGER,
    retention       TEXT,
    access          TEXT NOT NULL DEFAULT 'open' CHECK (access IN ('open', 'controlled', 'closed')),
    access_raw      TEXT,
    full_text       TEXT,
    batch_id        INTEGER REFERENCES import_batches(id),
    superseded_at   TEXT
);
CREATE INDEX documents_category ON documents(category);
CREATE INDEX documents_year ON documents(year);
CREATE INDEX documents_doc_number ON documents(doc_number_key);

CREATE TABLE entries (
    id                 INTEGER PRIMARY KEY,
    document_id        INTEGER NOT NULL REFERENCES documents(id),
    entry_key          TEXT NOT NULL UNIQUE, -- document ref_key + row identity: stable across re-imports
    batch_id           INTEGER NOT NULL REFERENCES import_batches(id),
    sheet              TEXT NOT NULL,
    source_row         INTEGER NOT NULL,
    content_hash       TEXT NOT NULL,
    name               TEXT NOT NULL,
    name_norm          TEXT NOT NULL,
    gender             TEXT,
    birth_raw          TEXT,
    birth_key          TEXT,
    id_raw             TEXT,
    id_key             TEXT,
    id_status          TEXT,
    work_unit          TEXT,
    work_unit_norm     TEXT,
    work_start_raw     TEXT,
    work_start_key     TEXT,
    retire_raw         TEXT,
    retire_key         TEXT,
    wage_before        TEXT,
    wage_before_amount REAL,
    wage_after         TEXT,
    wage_after_amount  REAL,
    page               TEXT,
    extra_json         TEXT NOT NULL DEFAULT '[]', -- every other column: [[header, value], …] in source order
    notes_json         TEXT NOT NULL DEFAULT '[]',
    superseded_at      TEXT,
    superseded_by      INTEGER REFERENCES import_batches(id)
);
CREATE INDEX entries_document ON entries(document_id);
CREATE INDEX entries_batch ON entries(batch_id);
-- No SQLite index on name_norm or id_key: people are found through the search index, and
-- these two random-order indexes would cost the import a third of its speed.

CREATE TABLE scan_roots (
    id            INTEGER PRIMARY KEY,
    path          TEXT NOT NULL UNIQUE,
    registered_at TEXT NOT NULL
);

CREATE TABLE pages (
    id           INTEGER PRIMARY KEY,
    document_id  INTEGER NOT NULL REFERENCES documents(id),
    page_no      INTEGER NOT NULL,
    scan_root_id INTEGER NOT NULL REFERENCES scan_roots(id),
    rel_path     TEXT NOT NULL,            -- relative to the scan root, '/' separated
    width        INTEGER,
    height       INTEGER,
    bytes        INTEGER NOT NULL,
    checksum     TEXT NOT NULL,
    UNIQUE (document_id, page_no)
);
"#,
    // 2: the change log the search index follows, and the clerks' decisions about persons.
    r#"
-- Every committed write to a document or its entries appends the document's id here; the
-- search index records the last seq it covers and catches up from there. AUTOINCREMENT, so a
-- seq is never reused after the covered part of the log is pruned.
CREATE TABLE changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL
);
CREATE TRIGGER documents_changed_insert AFTER INSERT ON documents
BEGIN INSERT INTO changes(document_id) VALUES (NEW.id); END;
CREATE TRIGGER documents_changed_update AFTER UPDATE ON documents
BEGIN INSERT INTO changes(document_id) VALUES (NEW.id); END;
CREATE TRIGGER documents_changed_delete AFTER DELETE ON documents
BEGIN INSERT INTO changes(document_id) VALUES (OLD.id); END;
CREATE TRIGGER entries_changed_insert AFTER INSERT ON entries
BEGIN INSERT INTO changes(document_id) VALUES (NEW.document_id); END;
CREATE TRIGGER entries_changed_update AFTER UPDATE ON entries
BEGIN
    INSERT INTO changes(document_id) VALUES (NEW.document_id);
    INSERT INTO changes(document_id) SELECT OLD.document_id WHERE OLD.document_id <> NEW.document_id;
END;
CREATE TRIGGER entries_changed_delete AFTER DELETE ON entries
BEGIN INSERT INTO changes(document_id) VALUES (OLD.document_id); END;

-- Joining a person's records is automatic (same ID, or same name and birth month); a clerk may
-- confirm a join, split a record off, or add one. Keyed by the entry's stable key and the
-- person's key, so decisions survive re-imports that renumber nothing but may re-create rows.
CREATE TABLE person_decisions (
    id          INTEGER PRIMARY KEY,
    entry_key   TEXT NOT NULL,
    person_key  TEXT NOT NULL,            -- 'id:<id key>' or 'nb:<normalized name>|<birth key>'
    action      TEXT NOT NULL CHECK (action IN ('confirm', 'split', 'add')),
    decided_at  TEXT NOT NULL,
    decided_by  TEXT NOT NULL DEFAULT 'local',
    UNIQUE (entry_key, person_key)
);
CREATE INDEX person_decisions_person ON person_decisions(person_key);
"#,
    // 3: new entries are logged once per document by the import's batch writer
    // (`store::writer`), the only place that inserts them. A trigger logged every row, and a
    // statement with a trigger keeps a statement journal: a copy of each page it touches.
    r#"
DROP TRIGGER entries_changed_insert;
"#,
    // 4: the counter's own records — clerks, the lookup register, certificates and the audit
    // trail. Written with synchronous=FULL (see `store::durable`).
    r#"
CREATE TABLE clerks (
    id            INTEGER PRIMARY KEY,
    login         TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor')),
    password_hash TEXT NOT NULL,          -- argon2id, PHC string
    created_at    TEXT NOT NULL,
    disabled_at   TEXT
);

-- One visit or remote request (查档登记). The requester's ID is kept as typed and as key.
CREATE TABLE requests (
    id                INTEGER PRIMARY KEY,
    registered_at     TEXT NOT NULL,
    registered_by     TEXT NOT NULL,
    requester_name    TEXT NOT NULL,
    requester_id_raw  TEXT NOT NULL,
    requester_id_key  TEXT NOT NULL,
    requester_phone   TEXT,
    relationship      TEXT NOT NULL CHECK (relationship IN ('self', 'proxy', 'unit')),
    proxy_name        TEXT,
    proxy_id_raw      TEXT,
    proxy_id_key      TEXT,
    proxy_phone       TEXT,
    unit_name         TEXT,
    purpose           TEXT NOT NULL,
    purpose_note      TEXT,
    channel           TEXT NOT NULL,
    sought            TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('registered', 'found', 'not_found', 'delivered')),
    outcome           TEXT,
    answered_at       TEXT,               -- when it was first marked found or not found
    closed_at         TEXT                -- when it was delivered or closed as not found
);
CREATE INDEX requests_registered ON requests(registered_at);
CREATE INDEX requests_requester ON requests(requester_id_key);

-- A record attached to a request, with a copy of the values as they were shown: a later
-- re-import cannot change what was handed over.
CREATE TABLE request_records (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES requests(id),
    document_id   INTEGER NOT NULL,
    entry_id      INTEGER,
    pages_json    TEXT NOT NULL,          -- [page_no, …] used
    redactions_json TEXT NOT NULL DEFAULT '{}', -- {page_no: [{x, y, width, height}, …]}
    snapshot_json TEXT NOT NULL,          -- the document and the entry as shown
    attached_at   TEXT NOT NULL,
    attached_by   TEXT NOT NULL
);
CREATE INDEX request_records_request ON request_records(request_id);

-- Certificates: a number per year and desk, so two counter PCs never collide.
CREATE TABLE certificates (
    id           INTEGER PRIMARY KEY,
    request_id   INTEGER NOT NULL REFERENCES requests(id),
    year         INTEGER NOT NULL,
    desk         TEXT NOT NULL,
    seq          INTEGER NOT NULL,
    number       TEXT NOT NULL UNIQUE,
    verify_code  TEXT NOT NULL UNIQUE,
    pdf          BLOB NOT NULL,
    pdf_sha256   TEXT NOT NULL,
    pages        INTEGER NOT NULL,        -- scanned pages copied
    issued_at    TEXT NOT NULL,
    issued_by    TEXT NOT NULL,
    UNIQUE (year, desk, seq)
);

-- Append-only: each row's hash covers the previous row's hash, so an edited, deleted or
-- reordered row breaks the chain (see `audit`).
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    target    TEXT,
    detail    TEXT NOT NULL,              -- JSON
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能修改'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, '审计日志只能追加，不能删除'); END;
"#,
    // 5: trust — accounts that can be disabled and must change a reset password (any change to
    // an account ends its logins: the epoch a login was made in must still be the account's),
    // and the clerk's confirmation, page by page, that other people's rows are covered before a
    // page goes into a certificate (or a supervisor's override, with a reason).
    r#"
ALTER TABLE clerks ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0;
ALTER TABLE clerks ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE request_records ADD COLUMN covers_json TEXT NOT NULL DEFAULT '[]';
"#,
    // 6: the change log says how much of a document changed, so that the search index redoes no
    // more than that. `first_new_entry`: the document's entries from this id on are new (the
    // batch writer's log); `own_only`: only fields the document's entries do not carry changed
    // (its title, full text, 文号 …), so its rows' index documents stay as they are. A change
    // with neither redoes the document and all its entries, as before.
    r#"
ALTER TABLE changes ADD COLUMN first_new_entry INTEGER;
ALTER TABLE changes ADD COLUMN own_only INTEGER NOT NULL DEFAULT 0;
DROP TRIGGER documents_changed_update;
CREATE TRIGGER documents_changed_update AFTER UPDATE ON documents
BEGIN INSERT INTO changes(document_id, own_only) VALUES (NEW.id,
    NEW.ref_key IS OLD.ref_key AND NEW.year IS OLD.year AND NEW.date_key IS OLD.date_key
    AND NEW.category IS OLD.category AND NEW.fonds IS OLD.fonds AND NEW.access IS OLD.access
    AND NEW.superseded_at IS OLD.superseded_at); END;
"#,
    // 7: a certificate issued by mistake is voided (作废), never deleted: its number stays used.
    r#"
ALTER TABLE certificates ADD COLUMN voided_at TEXT;
ALTER TABLE certificates ADD COLUMN voided_by TEXT;
ALTER TABLE certificates ADD COLUMN void_reason TEXT;
"#,
    // 8: where a 代查代送 result goes — a postal address, or 自取 (picked up at the counter).
    r#"
ALTER TABLE requests ADD COLUMN delivery TEXT;
"#,
    // 9: after a restore from an older backup, certificate numbers continue above every number
    // the backup's manifest and the newest anchor knew were issued, so that no number a citizen
    // already holds is issued again.
    r#"
CREATE TABLE certificate_floors (
    year INTEGER NOT NULL,
    desk TEXT NOT NULL,
    seq  INTEGER NOT NULL,
    PRIMARY KEY (year, desk)
);
"#,
    // 10: the desks enrolled at this archive's LAN door, each known by the SHA-256 of its key
    // (`pin`) and carrying the desk code its certificates are numbered with. A desk is revoked,
    // never deleted: its code stays used, as its certificates' numbers do.
    r#"
CREATE TABLE lan_desks (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    pin         TEXT NOT NULL UNIQUE,
    enrolled_at TEXT NOT NULL,
    enrolled_by TEXT NOT NULL,
    revoked_at  TEXT,
    revoked_by  TEXT
);
"#,
    // 11: acts done under a retry key (a desk's Idempotency-Key): an act whose answer was lost
    // on the way is asked again with the same key and answered with what it did, never done
    // twice. `result` names what the act made (a request's id, a certificate's number).
    r#"
CREATE TABLE acts_done (
    key            TEXT PRIMARY KEY,
    op             TEXT NOT NULL,
    actor          TEXT NOT NULL,
    desk           TEXT,
    request_sha256 TEXT NOT NULL,
    result         TEXT NOT NULL,
    done_at        TEXT NOT NULL
);
"#,
    // 12: other archives (跨馆 peers), each known by the SHA-256 of its key. A peer removed is
    // kept (its calls in the trail still name it) and may be added again.
    r#"
CREATE TABLE peers (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    address     TEXT NOT NULL,
    pin         TEXT NOT NULL UNIQUE,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    removed_at  TEXT,
    removed_by  TEXT
);
"#,
    // 13: the catalogue as published for harvesters (OAI-PMH, SRU): open documents only, each
    // with the moment it last changed as published. A document withdrawn or no longer open is
    // kept as deleted (`deletedRecord=persistent`), so a harvester learns to drop it.
    r#"
CREATE TABLE open_records (
    ref_key     TEXT PRIMARY KEY,      -- canonical 档号: the record's identifier
    category    TEXT,                  -- its set
    datestamp   TEXT NOT NULL,         -- UTC, YYYY-MM-DDThh:mm:ssZ
    deleted     INTEGER NOT NULL DEFAULT 0,
    digest      TEXT,                  -- SHA-256 of record_json: a change republishes
    record_json TEXT,                  -- the Dublin Core record as published; NULL when deleted
    search_text TEXT,                  -- every field folded for search (SRU cql.anywhere)
    title_text  TEXT,
    date_key    TEXT,
    identifier_keys TEXT               -- canonical 档号 and 文号, space separated
);
CREATE INDEX open_records_datestamp ON open_records(datestamp);
"#,
    // 14: the proof a request was accepted on (the requester's ID card, a proxy's letter of
    // authorization), captured at the counter. Its content is deleted once the retention period
    // after the request closed has passed, or when a clerk removes a wrong capture; the row
    // stays, saying when and why.
    r#"
CREATE TABLE request_proofs (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    kind        TEXT NOT NULL CHECK (kind IN ('id_card', 'authorization', 'other')),
    file_name   TEXT NOT NULL,
    media_type  TEXT NOT NULL,
    bytes       INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    content     BLOB,
    added_at    TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    deleted_at  TEXT,
    deleted_why TEXT CHECK (deleted_why IN ('retention', 'removed'))
);
CREATE INDEX request_proofs_request ON request_proofs(request_id);
"#,
    // 15: the 跨馆 round trip — the working-day calendar, the applications sent and received,
    // and the outbox of messages to other archives (written in the act's transaction, delivered
    // after, again until the other archive has them).
    r#"
CREATE TABLE calendar_days (
    day     TEXT PRIMARY KEY,               -- YYYY-MM-DD
    working INTEGER NOT NULL,               -- 0: a public holiday; 1: a 调休 working day
    note    TEXT
);

CREATE TABLE cross_sent (
    id                 INTEGER PRIMARY KEY,
    message_id         TEXT NOT NULL UNIQUE,
    request_id         INTEGER NOT NULL REFERENCES requests(id),
    peer_id            INTEGER NOT NULL REFERENCES peers(id),
    outbox_id          INTEGER,
    sent_at            TEXT NOT NULL,
    sent_by            TEXT NOT NULL,
    state              TEXT NOT NULL,
    state_at           TEXT NOT NULL,
    deadline           TEXT,
    reason             TEXT,
    certificate_number TEXT,
    certificate_code   TEXT,
    certificate_issued_at TEXT,
    certificate_pdf    BLOB,
    certificate_sha256 TEXT
);
CREATE INDEX cross_sent_request ON cross_sent(request_id);

CREATE TABLE cross_received (
    id               INTEGER PRIMARY KEY,
    message_id       TEXT NOT NULL,
    peer_id          INTEGER NOT NULL REFERENCES peers(id),
    request_id       INTEGER NOT NULL REFERENCES requests(id),
    received_at      TEXT NOT NULL,
    deadline         TEXT NOT NULL,
    asking_json      TEXT NOT NULL,
    state            TEXT NOT NULL,
    state_at         TEXT NOT NULL,
    reason           TEXT,
    UNIQUE (peer_id, message_id)
);
CREATE INDEX cross_received_request ON cross_received(request_id);

CREATE TABLE peer_outbox (
    id           INTEGER PRIMARY KEY,
    peer_id      INTEGER NOT NULL REFERENCES peers(id),
    path         TEXT NOT NULL,
    body         BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    next_at      TEXT NOT NULL,
    delivered_at TEXT,
    last_error   TEXT
);
CREATE INDEX peer_outbox_due ON peer_outbox(delivered_at, next_at);
"#,
    // 16: a certificate sent to another archive and voided since: at the holding archive, the
    // number it sent; at the receiving one, when and why the issuing archive voided it.
    r#"
ALTER TABLE cross_received ADD COLUMN certificate_sent TEXT;
ALTER TABLE cross_sent ADD COLUMN certificate_voided_at TEXT;
ALTER TABLE cross_sent ADD COLUMN certificate_void_reason TEXT;
"#,
    // 17: what the recognizer read on a scanned page without text (OCR): the page file's
    // checksum when it was read, so that a page is read again only when its file changed; the
    // text line by line, and each line's and character's box on the page as JSON.
    r#"
CREATE TABLE page_text (
    page_id     INTEGER PRIMARY KEY REFERENCES pages(id),
    document_id INTEGER NOT NULL REFERENCES documents(id),
    checksum    TEXT NOT NULL,
    state       TEXT NOT NULL CHECK (state IN ('read', 'failed')),
    text        TEXT NOT NULL DEFAULT '',
    lines_json  TEXT NOT NULL DEFAULT '[]',
    error       TEXT,
    millis      INTEGER NOT NULL DEFAULT 0,
    read_at     TEXT NOT NULL
);
CREATE INDEX page_text_document ON page_text(document_id);
"#,
];

pub fn latest_version() -> i64 {
    MIGRATIONS.len() as i64
}
