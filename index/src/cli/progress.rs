//! A terminal progress bar for imports (hidden when output is not a terminal or is JSON).

use archivedesk::api::ImportProgress;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct ImportBar {
    bar: Option<ProgressBar>,
    file: String,
}

impl ImportBar {
    pub fn new(enabled: bool) -> Self {
        let bar = enabled.then(|| {
            let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{msg} [{bar:30}] {percent}%")
                    .unwrap_or_else(|_| ProgressStyle::default_bar())
                    .progress_chars("=> "),
            );
            bar
        });
        ImportBar {
            bar,
            file: String::new(),
        }
    }

    pub fn update(&mut self, p: &ImportProgress) {
        let Some(bar) = &self.bar else { return };
        if p.file != self.file {
            self.file = p.file.clone();
        }
        bar.set_message(format!("{}：{} 行", self.file, p.rows_done));
        match (p.bytes_done, p.bytes_total) {
            (Some(done), Some(total)) if total > 0 => {
                bar.set_length(1000);
                bar.set_position(done.saturating_mul(1000) / total);
            }
            _ => bar.tick(),
        }
    }

    pub fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}
