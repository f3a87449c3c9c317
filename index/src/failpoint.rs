//! Named points where the tests end the process abruptly, as a kill or a power cut would at that
//! moment: `ARCHIVEDESK_FAILPOINT=<name>` aborts the program the first time it reaches the point
//! of that name. Nothing but the tests sets it.

use std::sync::OnceLock;

pub const VARIABLE: &str = "ARCHIVEDESK_FAILPOINT";

/// Ends the process here when the tests asked for this point.
pub fn reached(name: &str) {
    static ASKED: OnceLock<Option<String>> = OnceLock::new();
    let asked = ASKED.get_or_init(|| std::env::var(VARIABLE).ok());
    if asked.as_deref() == Some(name) {
        eprintln!("failpoint {name}: ending the process");
        std::process::abort();
    }
}
