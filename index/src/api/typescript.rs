//! The UI's TypeScript types, generated from the types of this module so that the contract is
//! written once. The test fails when `ui/src/api/types.ts` is stale; run it with
//! `UPDATE_API_TYPES=1` to write the file again.

use super::*;
use crate::api::Field;
use crate::error::{Error, ErrorCode};
use std::path::Path;
use ts_rs::TS;

/// Every type the UI sees, in the order the file lists them.
fn declarations() -> Vec<String> {
    // 64-bit integers (ids, counts) travel as JSON numbers, so they are `number`, not `bigint`.
    let config = ts_rs::Config::new().with_large_int("number");
    macro_rules! decls {
        ($($t:ty),* $(,)?) => { vec![$(<$t as TS>::decl(&config)),*] };
    }
    decls![
        Error,
        ErrorCode,
        BackupRequest,
        BackupCounts,
        BackupReport,
        BackupStatus,
        SearchRequest,
        SearchResponse,
        SearchHit,
        SnippetFragment,
        Facets,
        FacetCount,
        DocumentRequest,
        DocumentView,
        EntryView,
        PageView,
        PageSize,
        PageRequest,
        PageReadingStatus,
        PageReadingPause,
        PageWordsRequest,
        PageWords,
        PageRowsRequest,
        PageCell,
        PageTableRow,
        PageRows,
        PageRowValues,
        ConfirmPageRowRequest,
        ConfirmedPageRow,
        PersonRequest,
        PersonTimeline,
        TimelineEvent,
        ServiceYears,
        PersonDecision,
        PersonDecisionRequest,
        ArchiveStatus,
        IndexRebuilding,
        Stats,
        Count,
        ReindexResponse,
        ImportStartRequest,
        ImportJobRequest,
        ImportJobStarted,
        ImportJobStatus,
        ImportRequest,
        ColumnMapping,
        ImportReport,
        FileOutcome,
        FileReport,
        CategoryChoice,
        SheetReport,
        ColumnReport,
        Field,
        RejectedRow,
        ImportWarning,
        ImportProgress,
        UploadedFiles,
        UploadedFile,
        Role,
        Caller,
        DeskSession,
        LoginRequest,
        NewClerk,
        ClerkView,
        ClerkChange,
        PasswordChange,
        ClearLoginDelay,
        DeskSettings,
        LanDesk,
        LanPairingRequest,
        LanPairing,
        LanDeskRevokeRequest,
        DeskPlace,
        LanDeskPlace,
        LanConnectRequest,
        LanHostStatus,
        LanHostStartRequest,
        Peer,
        PeerDirectory,
        PeerDoorStatus,
        PeerDoorStartRequest,
        PeerAddRequest,
        PeerRemoveRequest,
        PeerListRequest,
        PeerListPreview,
        PeerListed,
        WhoHoldsFacts,
        HeldGroup,
        PeerAskRequest,
        PeerAskView,
        PeerAnswer,
        PeerAskStatusRequest,
        Relationship,
        NewLookupRequest,
        RequestStatus,
        LookupRequestView,
        ProofFile,
        CrossSendRequest,
        CrossSent,
        CrossReceived,
        CrossInboxQuery,
        CrossInbox,
        CrossReturnRequest,
        CalendarDay,
        WorkCalendar,
        CalendarChange,
        ProofAddRequest,
        ProofContent,
        AttachedRecord,
        PageCover,
        UncoveredPage,
        CoverRequest,
        Redaction,
        PageRedactions,
        AttachRequest,
        RedactRequest,
        CoverSuggestRequest,
        CoverSuggestion,
        RequestStatusChange,
        RequestQuery,
        RequestSummary,
        RequestList,
        IdRequest,
        IssueRequest,
        CertificatePreview,
        VoidCertificateRequest,
        RemoveAttachedRequest,
        CertificateView,
        CertificateRequest,
        CertificatePdf,
        VerifyRequest,
        VerifyResult,
        RevealRequest,
        RevealedEntry,
        OpenRestrictedRequest,
        AuditRow,
        AuditQuery,
        AuditHead,
        AuditVerifyRequest,
        AuditVerification,
        UsageRequest,
        UsageCount,
        UsageStats,
        ExportedFile,
    ]
}

fn generated() -> String {
    let mut out = String::from(
        "// Generated from index/src/api.rs (run `UPDATE_API_TYPES=1 cargo test -p archivedesk --lib \
         api::typescript`); do not edit.\n",
    );
    for decl in declarations() {
        out.push('\n');
        out.push_str("export ");
        out.push_str(&decl);
        out.push('\n');
    }
    out
}

#[test]
fn ui_types_match_the_api() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/api/types.ts");
    let fresh = generated();
    assert!(
        !fresh.contains("bigint"),
        "64-bit integers must be typed number"
    );
    if std::env::var_os("UPDATE_API_TYPES").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed.replace("\r\n", "\n") == fresh,
        "{} is stale: run UPDATE_API_TYPES=1 cargo test -p archivedesk --lib api::typescript",
        path.display()
    );
}
