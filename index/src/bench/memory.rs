//! Memory figures of the running process (Linux `/proc/self/status`): peak resident set, and
//! private (anonymous) memory sampled while work runs — resident size alone would count the
//! index files the kernel maps in, which are cache, not the program's own memory.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

fn status_kb(key: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with(key))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// Peak resident memory of this process so far, in MB (Linux only).
pub fn peak_memory_mb() -> Option<f64> {
    status_kb("VmHWM:").map(|kb| kb as f64 / 1024.0)
}

/// Samples private memory every 10 ms until stopped, keeping the largest figure.
pub struct PrivateMemorySampler {
    stop: Arc<AtomicBool>,
    peak_kb: Arc<AtomicU64>,
    thread: Option<JoinHandle<()>>,
}

impl PrivateMemorySampler {
    pub fn start() -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let peak_kb = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, peak_kb) = (stop.clone(), peak_kb.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(kb) = status_kb("RssAnon:") {
                        peak_kb.fetch_max(kb, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(10));
                }
            })
        };
        PrivateMemorySampler {
            stop,
            peak_kb,
            thread: Some(thread),
        }
    }

    /// The largest private memory seen, in MB; None where the system does not tell.
    pub fn stop(mut self) -> Option<f64> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
        if let Some(kb) = status_kb("RssAnon:") {
            self.peak_kb.fetch_max(kb, Ordering::Relaxed);
        }
        let kb = self.peak_kb.load(Ordering::Relaxed);
        (kb > 0).then_some(kb as f64 / 1024.0)
    }
}
