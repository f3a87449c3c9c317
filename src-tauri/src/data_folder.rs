//! Which data folder the app opens. By default the engine's own (`paths::default_data_dir`), not
//! the identifier folder Tauri would pick, so that the app and the command-line program
//! `archivedesk` see one archive. A build with the test identifier keeps to folders of its own,
//! so tests never touch a clerk's archive.

use crate::command_line::CommandLine;
use archivedesk::paths;
use std::ffi::OsString;
use std::path::PathBuf;

/// The identifier of builds made with tauri.conf.test.json.
pub const TEST_IDENTIFIER: &str = "cn.archivedesk.desk.test";

/// Names the data folder for tests and scripts, as `--data-dir` does.
pub const DATA_DIR_VARIABLE: &str = "ARCHIVEDESK_DATA_DIR";

const TEST_DATA_FOLDER: &str = "ArchiveDesk-Test";
const TEST_DEMO_FOLDER: &str = "ArchiveDesk-Test-Demo";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenAtStart {
    /// A clerk's archive: created empty if the folder holds none.
    Archive(PathBuf),
    /// The demo archive: built first if the folder holds none.
    Demo(PathBuf),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataFolders {
    pub open_at_start: OpenAtStart,
    /// Where the UI's "open the demo archive" builds or opens it.
    pub demo_dir: PathBuf,
}

/// `--data-dir`, else `ARCHIVEDESK_DATA_DIR`, else the default folder of the running identifier.
pub fn choose(
    identifier: &str,
    command_line: &CommandLine,
    data_dir_variable: Option<OsString>,
) -> DataFolders {
    let (default_data_dir, default_demo_dir) = default_folders(identifier);
    let named = command_line.data_dir.clone().or_else(|| {
        data_dir_variable
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    });
    if command_line.demo {
        let demo_dir = named.unwrap_or(default_demo_dir);
        DataFolders {
            open_at_start: OpenAtStart::Demo(demo_dir.clone()),
            demo_dir,
        }
    } else {
        DataFolders {
            open_at_start: OpenAtStart::Archive(named.unwrap_or(default_data_dir)),
            demo_dir: default_demo_dir,
        }
    }
}

/// The data folder and the demo folder when nothing names one.
fn default_folders(identifier: &str) -> (PathBuf, PathBuf) {
    if identifier != TEST_IDENTIFIER {
        return (paths::default_data_dir(), paths::default_demo_dir());
    }
    // Beside the real folders, in the folder paths.rs puts them in.
    let real = paths::default_data_dir();
    let base = real.parent().map(PathBuf::from).unwrap_or_default();
    (base.join(TEST_DATA_FOLDER), base.join(TEST_DEMO_FOLDER))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn command_line(demo: bool, data_dir: Option<&str>) -> CommandLine {
        CommandLine {
            demo,
            data_dir: data_dir.map(PathBuf::from),
        }
    }

    #[test]
    fn the_app_opens_the_folder_the_command_line_program_uses() {
        let folders = choose("cn.archivedesk.desk", &command_line(false, None), None);
        assert_eq!(
            folders.open_at_start,
            OpenAtStart::Archive(paths::default_data_dir())
        );
        assert_eq!(folders.demo_dir, paths::default_demo_dir());
    }

    #[test]
    fn the_test_identifier_keeps_to_folders_of_its_own() {
        let folders = choose(TEST_IDENTIFIER, &command_line(false, None), None);
        let base = paths::default_data_dir().parent().unwrap().to_path_buf();
        assert_eq!(
            folders.open_at_start,
            OpenAtStart::Archive(base.join("ArchiveDesk-Test"))
        );
        assert_eq!(folders.demo_dir, base.join("ArchiveDesk-Test-Demo"));
    }

    #[test]
    fn the_command_line_wins_over_the_environment() {
        let folders = choose(
            TEST_IDENTIFIER,
            &command_line(false, Some("/chosen")),
            Some("/from-env".into()),
        );
        assert_eq!(
            folders.open_at_start,
            OpenAtStart::Archive(PathBuf::from("/chosen"))
        );
        let folders = choose(
            TEST_IDENTIFIER,
            &command_line(false, None),
            Some("/from-env".into()),
        );
        assert_eq!(
            folders.open_at_start,
            OpenAtStart::Archive(PathBuf::from("/from-env"))
        );
        let folders = choose(TEST_IDENTIFIER, &command_line(false, None), Some("".into()));
        assert!(
            matches!(folders.open_at_start, OpenAtStart::Archive(p) if p.ends_with("ArchiveDesk-Test"))
        );
    }

    #[test]
    fn demo_opens_the_demo_folder_or_the_named_one() {
        let folders = choose("cn.archivedesk.desk", &command_line(true, None), None);
        assert_eq!(
            folders.open_at_start,
            OpenAtStart::Demo(paths::default_demo_dir())
        );
        let folders = choose(
            "cn.archivedesk.desk",
            &command_line(true, Some("/demo-here")),
            None,
        );
        assert_eq!(
            folders.open_at_start,
            OpenAtStart::Demo(PathBuf::from("/demo-here"))
        );
        assert_eq!(folders.demo_dir, PathBuf::from("/demo-here"));
    }
}
