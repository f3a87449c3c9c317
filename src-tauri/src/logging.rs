//! The app's log: a file in the app's log folder, a few rotated ones kept. Every line passes
//! through one formatter that masks ID numbers, whichever crate wrote it, so that a log sent to
//! support never carries a citizen's number in full.

use log::LevelFilter;
use tauri::plugin::TauriPlugin;
use tauri::Runtime;
use tauri_plugin_log::{RotationStrategy, Target, TargetKind};

const MAX_LOG_FILE_BYTES: u128 = 2 * 1024 * 1024;
const LOG_FILES_KEPT: usize = 5;

pub fn plugin<R: Runtime>() -> TauriPlugin<R> {
    let mut builder = tauri_plugin_log::Builder::new()
        .clear_targets()
        .target(Target::new(TargetKind::LogDir { file_name: None }))
        .max_file_size(MAX_LOG_FILE_BYTES)
        .rotation_strategy(RotationStrategy::KeepSome(LOG_FILES_KEPT))
        .level(LevelFilter::Info)
        // The search index reports every segment merge, D-Bus every message of a second launch.
        .level_for("tantivy", LevelFilter::Warn)
        .level_for("zbus", LevelFilter::Warn)
        .level_for("tracing", LevelFilter::Warn)
        .format(|out, message, record| {
            out.finish(format_args!(
                "{} [{}] [{}] {}",
                chrono::Local::now().format("%Y-%m-%d %H:%M:%S%.3f"),
                record.level(),
                record.target(),
                without_id_numbers(&message.to_string())
            ))
        });
    if cfg!(debug_assertions) {
        builder = builder
            .target(Target::new(TargetKind::Stdout))
            .level_for("archivedesk_desktop", LevelFilter::Debug);
    }
    builder.build()
}

/// `text` with every ID number masked as the engine masks them for display, however it is
/// written (grouped with spaces, dashes or dots, full-width), and amounts beside wage words.
pub fn without_id_numbers(text: &str) -> String {
    archivedesk::privacy::mask_text(text)
}

#[cfg(test)]
mod tests {
    use super::without_id_numbers;

    #[test]
    fn id_numbers_are_masked_in_every_written_form() {
        assert_eq!(
            without_id_numbers("身份证号 62010219560712361X 无效"),
            "身份证号 620102************ 无效"
        );
        assert_eq!(without_id_numbers("620102560712361"), "620102*********");
        assert_eq!(
            without_id_numbers("６２０１０２１９５６０７１２３６１Ｘ"),
            "６２０１０２************"
        );
        assert_eq!(
            without_id_numbers("查询 620102 19560712 361X 失败"),
            "查询 620102 ******** **** 失败"
        );
        assert_eq!(
            without_id_numbers("查询 620102-19560712-361X 失败"),
            "查询 620102-********-**** 失败"
        );
    }

    #[test]
    fn other_numbers_stay() {
        for text in [
            "第 12 页",
            "J012-WS·1998-Y-0034",
            "甘劳人薪〔1998〕45号",
            "took 1234 ms",
            "19980715",
            "XX厂",
        ] {
            assert_eq!(without_id_numbers(text), text);
        }
    }
}
