//! Warnings of the engine (an index set aside, say) on standard error, where a service's or a
//! script's log collects them; the desktop app has a log file of its own.

struct StderrLog;

impl log::Log for StderrLog {
    fn enabled(&self, metadata: &log::Metadata) -> bool {
        metadata.level() <= log::Level::Warn && metadata.target().starts_with("archivedesk")
    }

    fn log(&self, record: &log::Record) {
        if self.enabled(record.metadata()) {
            // Masked like every message that leaves the program.
            let text = archivedesk::privacy::mask_text(&record.args().to_string());
            eprintln!("{}：{text}", label(record.level()));
        }
    }

    fn flush(&self) {}
}

fn label(level: log::Level) -> &'static str {
    match level {
        log::Level::Error => "错误",
        _ => "注意",
    }
}

static LOGGER: StderrLog = StderrLog;

pub fn install() {
    if log::set_logger(&LOGGER).is_ok() {
        log::set_max_level(log::LevelFilter::Warn);
    }
}
