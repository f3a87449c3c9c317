//! The UI's operations, each a call of one `Archive` method as in the HTTP door. The UI calls
//! them as `invoke(name, { request })`; errors reach it as the engine's `{code, message}`.

use crate::desk::{import_of_chosen_paths, Desk};
use archivedesk::api::{
    ArchiveStatus, DocumentRequest, DocumentView, ImportJobRequest, ImportJobStarted,
    ImportJobStatus, ImportStartRequest, PersonDecisionRequest, PersonRequest, PersonTimeline,
    ReindexResponse, SearchRequest, SearchResponse,
};
use archivedesk::Result;
use std::sync::Arc;
use tauri::State;

type DeskState<'a> = State<'a, Arc<Desk>>;

#[tauri::command]
pub async fn search(desk: DeskState<'_>, request: SearchRequest) -> Result<SearchResponse> {
    desk.with_archive("search", move |archive| archive.search(&request))
        .await
}

#[tauri::command]
pub async fn document(desk: DeskState<'_>, request: DocumentRequest) -> Result<DocumentView> {
    desk.with_archive("document", move |archive| archive.document(&request))
        .await
}

#[tauri::command]
pub async fn person(desk: DeskState<'_>, request: PersonRequest) -> Result<PersonTimeline> {
    desk.with_archive("person", move |archive| archive.person(&request))
        .await
}

#[tauri::command]
pub async fn decide_person(
    desk: DeskState<'_>,
    request: PersonDecisionRequest,
) -> Result<PersonTimeline> {
    desk.with_archive("decide_person", move |archive| {
        archive.decide_person_in_timeline(&request)
    })
    .await
}

#[tauri::command]
pub async fn status(desk: DeskState<'_>) -> Result<ArchiveStatus> {
    desk.with_archive("status", |archive| archive.status())
        .await
}

#[tauri::command]
pub async fn reindex(desk: DeskState<'_>) -> Result<ReindexResponse> {
    desk.with_session("reindex", |session| session.reindex())
        .await
}

/// Builds the demo archive on first use, then opens it in place of the current one.
#[tauri::command]
pub async fn open_demo(desk: DeskState<'_>) -> Result<ArchiveStatus> {
    desk.with_session("open_demo", |session| session.open_demo())
        .await
}

/// Files and folders chosen in the system dialog, imported where they are.
#[tauri::command]
pub async fn import_start(
    desk: DeskState<'_>,
    request: ImportStartRequest,
) -> Result<ImportJobStarted> {
    let request = import_of_chosen_paths(request)?;
    log::info!(
        "import started: {} file(s) or folder(s), dry run: {}",
        request.paths.len(),
        request.dry_run
    );
    // Nothing to clean up afterwards: the files are the clerk's own.
    desk.with_session("import_start", move |session| {
        session.start_import(request, Vec::new())
    })
    .await
}

#[tauri::command]
pub async fn import_status(
    desk: DeskState<'_>,
    request: ImportJobRequest,
) -> Result<ImportJobStatus> {
    desk.with_session("import_status", move |session| {
        session.import_status(request.job)
    })
    .await
}
