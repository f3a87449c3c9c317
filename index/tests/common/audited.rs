//! An archive with audited acts on it, and the tampering someone holding its database file
//! could do: shared by the tests of the audit trail and its anchors.

use super::counter::*;
use archivedesk::api::{DocumentRequest, SearchRequest};
use archivedesk::Archive;
use std::path::Path;

/// An archive with some audited acts: searches, a view, a request.
pub fn audited_archive(dir: &Path) -> Archive {
    let (mut archive, _) = archive_with_wage_table(dir);
    for (query, committed) in [("刘", false), ("刘建", false), ("刘建国", true)] {
        archive
            .search_as_caller(&SearchRequest {
                query: query.into(),
                committed,
                ..SearchRequest::default()
            })
            .unwrap();
    }
    archive.register_request(&liu_request()).unwrap();
    archive
        .view_document(&DocumentRequest {
            reference: Some(REF.into()),
            ..DocumentRequest::default()
        })
        .unwrap();
    archive
}

/// Lifts the append-only triggers, as someone with the database file in hand could.
pub fn tamper(archive: &Archive, sql: &str) {
    let conn = open_raw(archive);
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
    ))
    .unwrap();
}
