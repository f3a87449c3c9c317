// No console window behind the app on Windows (debug builds keep one for their output).
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    archivedesk_desktop::run()
}
