//! The UI and the shell agree on the commands: every command the UI invokes is registered and
//! allowed by the capabilities, and the shell offers nothing else. The UI's calls are read from
//! its sources, so this fails as soon as the UI calls something the shell does not offer.

use archivedesk::Archive;
use archivedesk_desktop::data_folder::{DataFolders, OpenAtStart};
use archivedesk_desktop::{context, desk_for, with_commands, COMMAND_NAMES, MAIN_WINDOW};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::{get_ipc_response, mock_builder, INVOKE_KEY};
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewUrl, WebviewWindowBuilder};

/// The dialog the UI opens to choose catalogue files and scan folders.
const PLUGIN_PERMISSIONS: &[&str] = &["dialog:allow-open"];

fn shell_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn shell_commands() -> BTreeSet<String> {
    COMMAND_NAMES.iter().map(|c| c.to_string()).collect()
}

fn source_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            source_files(&path, found);
        } else if path
            .extension()
            .is_some_and(|e| ["ts", "tsx", "js", "mjs", "vue"].contains(&e.to_str().unwrap_or("")))
        {
            found.push(path);
        }
    }
}

/// The string literal that opens the argument list at `rest`, after an optional `<Type>`:
/// `('search', …)` or `<Res>('search', …)`.
fn first_string_argument(rest: &str) -> Option<&str> {
    let rest = rest.trim_start();
    let rest = match rest.strip_prefix('<') {
        Some(generic) => &generic[generic.find('>')? + 1..],
        None => rest,
    };
    let rest = rest.trim_start().strip_prefix('(')?.trim_start();
    let quote = rest
        .chars()
        .next()
        .filter(|c| matches!(c, '\'' | '"' | '`'))?;
    let name = &rest[1..];
    Some(&name[..name.find(quote)?])
}

/// Commands named in `invoke('…')` calls, in the transport's `call('…')` table, in its
/// desktop-only `tauriOnly('…')` calls and in its `atLanHost('…')` calls.
fn commands_invoked_in(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for callee in ["invoke", "call", "tauriOnly", "atLanHost"] {
        for (at, _) in source.match_indices(callee) {
            let before = source[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == '.') {
                continue;
            }
            if let Some(name) = first_string_argument(&source[at + callee.len()..]) {
                if !name.starts_with("plugin:") {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

fn ui_commands() -> BTreeSet<String> {
    let mut files = Vec::new();
    source_files(&shell_dir().join("../ui/src"), &mut files);
    files
        .iter()
        .flat_map(|f| commands_invoked_in(&std::fs::read_to_string(f).unwrap()))
        .collect()
}

#[test]
fn the_ui_calls_are_read_from_its_sources() {
    let sample = "return call('search', request, signal)\n\
                  await invoke<Res>(\"open_demo\", { request })\n\
                  invoke(op, { request })\n\
                  invoke('plugin:dialog|open', {})\n\
                  return tauriOnly<DeskPlace>('desk_place', {})\n\
                  recall('not_a_command')";
    assert_eq!(
        commands_invoked_in(sample),
        ["open_demo", "search", "desk_place"]
    );
}

#[test]
fn the_shell_offers_exactly_the_commands_the_ui_invokes() {
    let ui = ui_commands();
    assert!(!ui.is_empty(), "no command calls found in ui/src");
    let shell = shell_commands();
    let missing: Vec<_> = ui.difference(&shell).collect();
    let unused: Vec<_> = shell.difference(&ui).collect();
    assert!(
        missing.is_empty() && unused.is_empty(),
        "the UI invokes commands the shell lacks: {missing:?}; the shell offers commands the UI never invokes: {unused:?}"
    );
}

fn permission_of(command: &str) -> String {
    format!("allow-{}", command.replace('_', "-"))
}

#[test]
fn the_capabilities_allow_the_commands_and_nothing_else() {
    let file = shell_dir().join("capabilities/default.json");
    let capability: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let granted: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("a list of permissions")
        .iter()
        .map(|p| {
            p.as_str()
                .expect("permissions named by identifier")
                .to_string()
        })
        .collect();
    let expected: BTreeSet<String> = COMMAND_NAMES
        .iter()
        .map(|c| permission_of(c))
        .chain(PLUGIN_PERMISSIONS.iter().map(|p| p.to_string()))
        .collect();
    assert_eq!(granted, expected);
    assert_eq!(capability["windows"], json!([MAIN_WINDOW]));

    let capabilities: Vec<_> = std::fs::read_dir(shell_dir().join("capabilities"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(capabilities, ["default.json"], "one capability file only");
}

#[test]
fn permissions_are_generated_for_exactly_the_commands() {
    let folder = shell_dir().join("permissions/autogenerated");
    let generated: BTreeSet<String> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(generated, shell_commands());
}

/// A request each command accepts; what the engine answers does not matter here.
fn request_for(command: &str) -> Value {
    match command {
        "search" => json!({ "query": "王磊" }),
        "document" => json!({ "document_id": 1 }),
        "person" => json!({ "name": "王磊" }),
        "decide_person" => {
            json!({ "person": { "entry_id": 1 }, "entry_id": 2, "action": "confirm" })
        }
        "import_start" => json!({ "paths": [] }),
        "import_status" => json!({ "job": 1 }),
        _ => json!({}),
    }
}

#[test]
fn every_command_is_registered_and_allowed_for_the_main_window() {
    let folder = tempfile::tempdir().unwrap();
    Archive::open(folder.path()).unwrap();
    // A real archive in the demo folder: open_demo refuses it at once instead of building.
    let desk = desk_for(DataFolders {
        open_at_start: OpenAtStart::Archive(folder.path().to_path_buf()),
        demo_dir: folder.path().to_path_buf(),
    });
    let app = with_commands(mock_builder())
        .manage(desk)
        .build(context())
        .unwrap();
    let window = WebviewWindowBuilder::new(&app, MAIN_WINDOW, WebviewUrl::default())
        .build()
        .unwrap();
    let origin = if cfg!(windows) {
        "http://tauri.localhost"
    } else {
        "tauri://localhost"
    };
    let invoke = |command: &str, request: Value| {
        get_ipc_response(
            &window,
            InvokeRequest {
                cmd: command.into(),
                callback: CallbackFn(0),
                error: CallbackFn(1),
                url: origin.parse().unwrap(),
                body: InvokeBody::Json(json!({ "request": request })),
                headers: Default::default(),
                invoke_key: INVOKE_KEY.to_string(),
            },
        )
    };
    for command in COMMAND_NAMES {
        // The engine's errors are `{code, message}`; Tauri's own refusals ("not found", "not
        // allowed", bad arguments) are plain strings.
        if let Err(error) = invoke(command, request_for(command)) {
            assert!(
                error.get("code").is_some(),
                "{command} was refused by the shell: {error}"
            );
        }
    }
    // Before a login the archive's totals are not told; the desk session is.
    let refused = invoke("status", json!({})).unwrap_err();
    assert_eq!(refused["code"], "unauthorized");
    let desk: Value = invoke("desk_session", json!({}))
        .expect("the desk session answers")
        .deserialize()
        .unwrap();
    assert_eq!(desk["needs_first_clerk"], true);

    let refused = invoke("plugin:dialog|save", json!({})).unwrap_err();
    assert!(refused.is_string(), "{refused}");
    assert!(app.get_webview_window(MAIN_WINDOW).is_some());
}

#[test]
fn the_shell_offers_the_engines_operations_and_its_own_import() {
    let mut expected: BTreeSet<String> = archivedesk::ops::OPERATIONS
        .iter()
        .map(|op| op.to_string())
        .collect();
    for own in [
        "import_start",
        "desk_place",
        "choose_local_archive",
        "connect_lan_archive",
        "lan_desks",
        "lan_pairing_start",
        "lan_desk_revoke",
        "lan_host_status",
        "lan_host_start",
        "lan_host_stop",
        "peer_door_status",
        "peer_door_start",
        "peer_door_stop",
    ] {
        expected.insert(own.into());
    }
    assert_eq!(shell_commands(), expected);
}
