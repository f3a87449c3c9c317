//! `archivedesk ocr`: the scanned pages without text read now, in the foreground, with a
//! progress bar (for the archive's IT and the tests); `--status` says how far the reading is.

use super::print_json;
use archivedesk::api::PageReadingStatus;
use archivedesk::archive::Archive;
use archivedesk::error::Error;
use archivedesk::ocr::reader::PageReader;
use archivedesk::page_reading::read_waiting_pages;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(clap::Args)]
pub struct OcrArgs {
    /// Read until no page waits, then return (what `ocr` does unless --pages stops it sooner).
    #[arg(long)]
    wait: bool,
    /// Read at most this many pages.
    #[arg(long, value_name = "N")]
    pages: Option<u64>,
    /// Say how far the reading is, and read nothing.
    #[arg(long, conflicts_with_all = ["wait", "pages"])]
    status: bool,
    /// Load the models and say where they were found, and read nothing (for the archive's IT
    /// after installing).
    #[arg(long, conflicts_with_all = ["wait", "pages", "status"])]
    models: bool,
    #[arg(long)]
    json: bool,
}

fn said(status: &PageReadingStatus) -> String {
    let left = status
        .seconds_left
        .map(|s| format!("，约需 {} 分钟", s.div_ceil(60)))
        .unwrap_or_default();
    format!(
        "扫描页识别：已识别 {} 页，无法识别 {} 页，待识别 {} 页{left}",
        status.read, status.failed, status.waiting
    )
}

pub fn run(data_dir: &std::path::Path, args: OcrArgs) -> Result<i32, Error> {
    // The models are checked without an archive: IT runs this right after installing.
    if args.models {
        let folder = archivedesk::ocr::models::models_folder()?;
        PageReader::load(&folder)?;
        if args.json {
            print_json(&serde_json::json!({ "folder": folder, "loaded": true }));
        } else {
            println!("文字识别模型已载入：{}", folder.display());
        }
        return Ok(0);
    }
    let archive = &mut Archive::open_existing(data_dir)?;
    if args.status {
        let status = archive.page_reading_counts()?;
        if args.json {
            print_json(&status);
        } else {
            println!("{}", said(&status));
        }
        return Ok(0);
    }
    // `--wait` is what `ocr` does: it returns once no page waits (or --pages are read).
    let _ = args.wait;
    let folder = archivedesk::ocr::models::models_folder()?;
    let reader = PageReader::load(&folder)?;
    let show_bar = !args.json && std::io::IsTerminal::is_terminal(&std::io::stderr());
    let bar = show_bar.then(|| {
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} 页")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar
    });
    let mut first: Option<u64> = None;
    let done = read_waiting_pages(archive, &reader, args.pages, &mut |status| {
        let to_do = *first.get_or_insert(status.read + status.failed);
        if let Some(bar) = &bar {
            let total = status.read + status.failed + status.waiting - to_do;
            let total = args.pages.map_or(total, |n| total.min(n));
            bar.set_length(total);
            bar.set_position(status.read + status.failed - to_do);
            bar.set_message(said(status));
        }
    })?;
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let status = archive.page_reading_counts()?;
    if args.json {
        print_json(&serde_json::json!({
            "read_now": done.read,
            "failed_now": done.failed,
            "unreachable_now": done.unreachable,
            "status": status,
        }));
    } else {
        let unreachable = if done.unreachable > 0 {
            format!("，{} 页的文件现在找不到（下次再识别）", done.unreachable)
        } else {
            String::new()
        };
        println!(
            "本次识别 {} 页，无法识别 {} 页{unreachable}。{}",
            done.read,
            done.failed,
            said(&status)
        );
    }
    Ok(0)
}
