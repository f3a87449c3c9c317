/// Calls `$then!` with the engine's operations (`archivedesk::ops::OPERATIONS`, checked by a
/// test), and any names given after it.
macro_rules! for_each_engine_operation {
    // Braces, so that the call may stand where items do (the commands) as well as in an
    // expression (the handler, the list of names).
    ($then:ident $(, $more:ident)*) => {
        $then! {
            desk_session,
            login,
            logout,
            change_password,
            create_clerk,
            clerks,
            change_clerk,
            clear_login_delay,
            desk_settings,
            set_desk_settings,
            backup_status,
            backup_now,
            status,
            search,
            document,
            person,
            decide_person,
            reindex,
            open_demo,
            import_status,
            reveal,
            open_restricted,
            register_request,
            lookup_requests,
            lookup_request,
            attach_record,
            redact_page,
            suggest_cover,
            confirm_covered,
            set_request_status,
            preview_certificate,
            issue_certificate,
            void_certificate,
            remove_attached,
            certificate_pdf,
            verify_certificate,
            audit_rows,
            audit_verify,
            usage_stats,
            export_usage,
            peers,
            peer_add,
            peer_remove,
            peer_list_preview,
            peer_list_import,
            peer_ask,
            peer_ask_status,
            proof_add,
            proof_view,
            proof_remove,
            cross_send,
            cross_inbox,
            cross_accept,
            cross_return,
            cross_certificate,
            work_calendar,
            set_work_calendar,
            page_words,
            page_rows,
            confirm_page_row,
            page_reading_status,
            page_reading_pause
            $(, $more)*
        }
    };
}

/// Calls `$then!` with every command the desktop shell offers the UI: the engine's operations
/// and the desktop's own — `import_start` (paths chosen in the system dialog) and the choice of
/// where the app works (`desk_place`, `choose_local_archive`, `connect_lan_archive`) — and, at a
/// LAN desk, the host's own operations on its desks (`lan_desks`, …), and on an archive of its
/// own 设置 → 局域网主机 (`lan_host_…`) and 本馆跨馆端口 (`peer_door_…`). The one
/// list behind the invoke handler (lib.rs), the generated `allow-…` permissions (build.rs) and
/// the tests.
macro_rules! for_each_command {
    ($then:ident) => {
        for_each_engine_operation!(
            $then,
            import_start,
            desk_place,
            choose_local_archive,
            connect_lan_archive,
            lan_desks,
            lan_pairing_start,
            lan_desk_revoke,
            lan_host_status,
            lan_host_start,
            lan_host_stop,
            peer_door_status,
            peer_door_start,
            peer_door_stop
        )
    };
}

macro_rules! command_name_list {
    ($($name:ident),*) => {
        &[$(stringify!($name)),*]
    };
}

/// The names the UI invokes, as `invoke(name, { request })`.
pub const COMMAND_NAMES: &[&str] = for_each_command!(command_name_list);
