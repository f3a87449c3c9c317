// The command list is shared with the app (its handler) and the tests (the UI's calls).
include!("src/command_names.rs");

fn main() {
    select_test_config();
    let app = tauri_build::AppManifest::new().commands(COMMAND_NAMES);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(app))
        .expect("tauri build step");
}

/// With the `test-config` feature, tauri.conf.test.json is merged over tauri.conf.json, the way
/// the Tauri CLI's `--config` does it: through TAURI_CONFIG, which tauri-build reads here and
/// `generate_context!` reads while the crate compiles.
fn select_test_config() {
    println!("cargo:rerun-if-changed=tauri.conf.test.json");
    if std::env::var_os("CARGO_FEATURE_TEST_CONFIG").is_none() {
        return;
    }
    let test_config =
        std::fs::read_to_string("tauri.conf.test.json").expect("read tauri.conf.test.json");
    // A JSON file has no line break inside a string, and rustc-env takes a single line.
    let one_line = test_config.replace(['\r', '\n'], " ");
    std::env::set_var("TAURI_CONFIG", &one_line);
    println!("cargo:rustc-env=TAURI_CONFIG={one_line}");
}
