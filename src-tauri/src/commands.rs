//! The UI's operations, each a call of one `Archive` method as in the HTTP door. The UI calls
//! them as `invoke(name, { request })`; errors reach it as the engine's `{code, message}`.

use crate::desk::{off_main_thread, Desk};
use archivedesk::api::{
    ArchiveStatus, DocumentRequest, DocumentView, ImportJobRequest, ImportJobStarted,
    ImportJobStatus, ImportStartRequest, PersonDecisionRequest, PersonRequest, PersonTimeline,
    ReindexResponse, SearchRequest, SearchResponse,
};
use archivedesk::demo::build::open_demo_archive;
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
    desk.jobs.ensure_idle()?;
    desk.with_archive("reindex", |archive| {
        Ok(ReindexResponse {
            indexed: archive.reindex()?,
        })
    })
    .await
}

/// Builds the demo archive on first use, then opens it in place of the current one.
#[tauri::command]
pub async fn open_demo(desk: DeskState<'_>) -> Result<ArchiveStatus> {
    desk.jobs.ensure_idle()?;
    let demo_dir = desk.demo_dir.clone();
    desk.with_slot("open_demo", move |slot| {
        *slot = Ok(open_demo_archive(&demo_dir, &mut |_| {})?);
        slot.as_mut().map_err(|e| e.clone())?.status()
    })
    .await
}

#[tauri::command]
pub async fn import_start(
    desk: DeskState<'_>,
    request: ImportStartRequest,
) -> Result<ImportJobStarted> {
    let starter = Arc::clone(desk.inner());
    desk.with_archive("import_start", move |archive| {
        starter.start_import(archive.data_dir().to_path_buf(), request)
    })
    .await
}

#[tauri::command]
pub async fn import_status(
    desk: DeskState<'_>,
    request: ImportJobRequest,
) -> Result<ImportJobStatus> {
    let desk = Arc::clone(desk.inner());
    off_main_thread("import_status", move || desk.jobs.status(request.job)).await
}
