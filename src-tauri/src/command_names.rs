/// Calls `$then!` with every command the desktop shell offers the UI. The one list behind the
/// invoke handler (lib.rs), the generated `allow-…` permissions (build.rs) and the tests.
macro_rules! for_each_command {
    ($then:ident) => {
        $then!(
            search,
            document,
            person,
            decide_person,
            status,
            reindex,
            open_demo,
            import_start,
            import_status
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
