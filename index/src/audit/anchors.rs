//! Anchors: the chain's head written out automatically — when the archive is closed and at least
//! daily — to `anchors/` in the data folder and to a second folder set in 设置 (another drive, later
//! the LAN host and the backups). Each anchor names the one before it, so anchors form a chain of
//! their own; each is also recorded as a row of the trail. `audit verify` checks them by itself:
//! rows missing after an anchor, a rewritten row an anchor covers, and an anchor missing from the
//! anchors' chain (or a copy that differs between the two folders) all fail it.

use crate::error::{Error, ErrorCode, Result};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub const ANCHOR_FOLDER: &str = "anchors";
/// The meta key of the second folder anchors are written to.
pub const MIRROR_KEY: &str = "anchor_mirror_dir";
/// An anchor is written at least this often while the archive is in use.
pub const MAX_AGE: chrono::Duration = chrono::Duration::hours(24);
/// The trail's action for an anchor written.
pub const ACTION: &str = "anchor";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    /// 1, 2, …: anchors are numbered without gaps.
    pub number: i64,
    /// Rows in the chain when it was written, and the hash of the last of them.
    pub count: i64,
    pub last_hash: String,
    pub at: String,
    /// `hash` of the anchor before it (zeros for the first).
    pub previous: String,
    /// The highest certificate number taken per year and desk (`2026/A` → 12): a restore from
    /// an older backup continues above them.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub certificates: BTreeMap<String, i64>,
    /// Set on the anchor written right after a restore: which history the restore replaced.
    /// Only a restore row an anchor of this kind confirms sets older anchors aside, so that a
    /// row forged into the database alone cannot excuse a cut trail.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<RestoreNote>,
    /// SHA-256 over the fields above.
    pub hash: String,
}

const NO_ANCHOR: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl Anchor {
    fn computed_hash(&self) -> String {
        let mut hasher = Sha256::new();
        for part in [
            self.number.to_string(),
            self.count.to_string(),
            self.last_hash.clone(),
            self.at.clone(),
            self.previous.clone(),
        ] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        // Anchors written before they carried certificate numbers keep their hash.
        if !self.certificates.is_empty() {
            let numbers = serde_json::to_string(&self.certificates).unwrap_or_default();
            hasher.update((numbers.len() as u64).to_le_bytes());
            hasher.update(numbers.as_bytes());
        }
        if let Some(restore) = &self.restore {
            let note = serde_json::to_string(restore).unwrap_or_default();
            hasher.update(b"restore");
            hasher.update((note.len() as u64).to_le_bytes());
            hasher.update(note.as_bytes());
        }
        hex::encode(hasher.finalize())
    }

    /// The anchor's own fields give its hash (it was not edited).
    pub fn hash_holds(&self) -> bool {
        self.hash == self.computed_hash()
    }

    pub fn file_name(&self) -> String {
        format!("anchor-{:06}.json", self.number)
    }
}

/// Where one folder of anchors is, and whether it is the data folder's own.
#[derive(Debug, Clone)]
pub struct Folder {
    pub path: PathBuf,
    /// The second folder (another drive): writing to it may fail without stopping the archive.
    pub mirror: bool,
}

/// The folders anchors live in: the data folder's, and the second one when set — in a folder of
/// the archive's own id there, so that several archives (or the demo) sharing it keep apart.
pub fn folders(conn: &Connection, data_dir: &Path) -> Result<Vec<Folder>> {
    let mut out = vec![Folder {
        path: data_dir.join(ANCHOR_FOLDER),
        mirror: false,
    }];
    let mirror: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [MIRROR_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    if let Some(mirror) = mirror.filter(|m| !m.trim().is_empty()) {
        out.push(Folder {
            path: PathBuf::from(mirror).join(crate::store::archive_uid(conn)?),
            mirror: true,
        });
    }
    Ok(out)
}

/// Every anchor found in `folder`, by number; an unreadable folder or file is an error.
pub fn read_folder(folder: &Path) -> std::result::Result<BTreeMap<i64, Anchor>, String> {
    let mut out = BTreeMap::new();
    let entries = match std::fs::read_dir(folder) {
        Ok(entries) => entries,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(out),
        Err(e) => return Err(format!("无法读取锚点文件夹「{}」：{e}", folder.display())),
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with("anchor-") && name.ends_with(".json")) {
            continue;
        }
        let anchor = std::fs::read_to_string(entry.path())
            .map_err(|e| e.to_string())
            .and_then(|text| serde_json::from_str::<Anchor>(&text).map_err(|e| e.to_string()))
            .map_err(|e| {
                format!(
                    "锚点文件「{}」无法读取或已损坏：{e}",
                    entry.path().display()
                )
            })?;
        out.insert(anchor.number, anchor);
    }
    Ok(out)
}

/// The newest anchor of the data folder (the second folder only copies it).
pub fn latest(data_anchors: &Path) -> Option<Anchor> {
    read_folder(data_anchors)
        .ok()
        .and_then(|all| all.into_values().next_back())
}

/// Whether a new anchor is due after `latest`: none yet, or the newest older than `MAX_AGE`
/// and rows added since (other than its own row).
pub fn due(latest: Option<&Anchor>, count: i64, now: chrono::NaiveDateTime) -> bool {
    match latest {
        None => count > 0,
        Some(anchor) => {
            let old = chrono::NaiveDateTime::parse_from_str(&anchor.at, "%Y-%m-%d %H:%M:%S")
                .map(|at| now - at >= MAX_AGE)
                .unwrap_or(true);
            old && changed_since(count, anchor)
        }
    }
}

/// Rows were added since `anchor` besides the row recording it.
pub fn changed_since(count: i64, anchor: &Anchor) -> bool {
    count > anchor.count + 1
}

/// Writes the next anchor for the committed chain as `conn` sees it now: durably to the data
/// folder (an error stops it), and to the second folder, whose failure is returned beside it
/// (a drive that is away must not stop the counter; the anchor's row says so). The caller
/// records the anchor as a row afterwards.
/// `restore`: the note of the anchor written right after a restore.
pub fn write(
    conn: &Connection,
    folders: &[Folder],
    restore: Option<RestoreNote>,
) -> Result<(Anchor, Option<String>)> {
    let (count, last_hash): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?
        .unwrap_or((0, NO_ANCHOR.to_string()));
    let own = folders.iter().find(|f| !f.mirror).map(|f| f.path.clone());
    let previous = own.as_deref().and_then(latest);
    let mut anchor = Anchor {
        number: previous.as_ref().map_or(1, |p| p.number + 1),
        count,
        last_hash,
        at: crate::store::now_text(),
        previous: previous.map_or(NO_ANCHOR.to_string(), |p| p.hash),
        certificates: crate::store::certificate_numbers::highest(conn)?,
        restore,
        hash: String::new(),
    };
    anchor.hash = anchor.computed_hash();
    let text = serde_json::to_string_pretty(&anchor).unwrap_or_default();
    let mut mirror_problem = None;
    for folder in folders {
        match write_new(&folder.path, &anchor.file_name(), &text) {
            Ok(()) => {}
            Err(e) if folder.mirror => mirror_problem = Some(e.message),
            Err(e) => return Err(e),
        }
    }
    Ok((anchor, mirror_problem))
}

/// Writes an anchor that must not replace another: an anchor of that number already there
/// with other content is evidence (of a history a restore replaced, say), never overwritten.
fn write_new(folder: &Path, name: &str, text: &str) -> Result<()> {
    match std::fs::read_to_string(folder.join(name)) {
        Ok(held) if held == text => Ok(()),
        Ok(_) => Err(Error::new(
            ErrorCode::Io,
            format!(
                "锚点「{}」已存在且内容不同：没有覆盖它",
                folder.join(name).display()
            ),
        )),
        Err(_) => write_durably(folder, name, text),
    }
}

pub fn write_durably(folder: &Path, name: &str, text: &str) -> Result<()> {
    use std::io::Write;
    let failed = |e: std::io::Error| {
        Error::new(
            ErrorCode::Io,
            format!(
                "无法写入审计日志锚点「{}」：{e}",
                folder.join(name).display()
            ),
        )
    };
    std::fs::create_dir_all(folder).map_err(failed)?;
    let tmp = folder.join(format!("{name}.tmp"));
    let mut file = std::fs::File::create(&tmp).map_err(failed)?;
    file.write_all(text.as_bytes()).map_err(failed)?;
    file.sync_all().map_err(failed)?;
    drop(file);
    std::fs::rename(&tmp, folder.join(name)).map_err(failed)
}

/// Copies every anchor of `from` to `to` (a second folder newly set).
pub fn copy_all(from: &Path, to: &Path) -> Result<()> {
    let all = read_folder(from).map_err(|why| Error::new(ErrorCode::Io, why))?;
    for anchor in all.into_values() {
        let text = serde_json::to_string_pretty(&anchor).unwrap_or_default();
        write_durably(to, &anchor.file_name(), &text)?;
    }
    Ok(())
}

/// What `audit verify` finds about the anchors.
pub struct AnchorCheck {
    pub anchors: i64,
    /// The first problem: the row it concerns, and what is wrong.
    pub problem: Option<(i64, String)>,
}

/// Checks the anchors of every folder against each other and against the chain.
/// `hash_at(seq)` gives the hash of row `seq` of the chain, if it exists; `anchor_rows` are the
/// anchor numbers the trail records as written.
pub fn check(
    folders: &[Folder],
    rows: i64,
    hash_at: &dyn Fn(i64) -> Option<String>,
    anchor_rows: &[i64],
    restores: &[RestoreMark],
) -> AnchorCheck {
    let mut all: BTreeMap<i64, Anchor> = BTreeMap::new();
    for folder in folders {
        let found = match read_folder(&folder.path) {
            Ok(found) => found,
            Err(why) => return problem(all.len(), rows, why),
        };
        if folder.mirror && !folder.path.is_dir() && !anchor_rows.is_empty() {
            return problem(
                all.len(),
                rows,
                format!(
                    "锚点的第二存放位置「{}」不存在或无法访问：无法核对",
                    folder.path.display()
                ),
            );
        }
        for (number, anchor) in found {
            if let Some(other) = all.get(&number) {
                if *other != anchor {
                    return problem(
                        all.len(),
                        anchor.count,
                        format!("锚点 {number} 在两处的内容不同：其中一份被改动"),
                    );
                }
            }
            all.insert(number, anchor);
        }
    }
    // A restore row counts only where the anchor written right after it confirms it.
    let restores: Vec<&RestoreMark> = restores
        .iter()
        .filter(|mark| {
            all.get(&(mark.anchors_known + 1)).is_some_and(|a| {
                a.count >= mark.seq
                    && a.restore
                        == Some(RestoreNote {
                            backup_rows: mark.backup_rows,
                            anchors_known: mark.anchors_known,
                        })
            })
        })
        .collect();
    let mut previous = NO_ANCHOR.to_string();
    for (expected, (number, anchor)) in (1..).zip(all.iter()) {
        if *number != expected {
            return problem(
                all.len(),
                anchor.count,
                format!("缺少锚点 {expected}（锚点 {number} 之前）：锚点被删除"),
            );
        }
        if anchor.hash != anchor.computed_hash() || anchor.previous != previous {
            return problem(
                all.len(),
                anchor.count,
                format!("锚点 {number} 与前一个锚点接不上或内容被改动"),
            );
        }
        if restores.iter().any(|r| r.set_aside(anchor)) {
            // Rows of the history a recorded restore replaced: not in this chain.
            previous = anchor.hash.clone();
            continue;
        }
        if anchor.count > rows {
            return problem(
                all.len(),
                rows + 1,
                format!(
                    "锚点 {number}（{}）记录了 {} 条，现在只有 {rows} 条：锚点之后的记录被删除",
                    anchor.at, anchor.count
                ),
            );
        }
        if anchor.count > 0 && hash_at(anchor.count).as_deref() != Some(anchor.last_hash.as_str()) {
            return problem(
                all.len(),
                anchor.count,
                format!(
                    "第 {} 条的校验值与锚点 {number} 不符：审计日志在锚定之后被重写",
                    anchor.count
                ),
            );
        }
        previous = anchor.hash.clone();
    }
    if let Some(missing) = anchor_rows.iter().find(|n| !all.contains_key(n)) {
        return problem(
            all.len(),
            rows,
            format!("审计日志记有锚点 {missing}，但两处都找不到它：锚点被删除"),
        );
    }
    AnchorCheck {
        anchors: all.len() as i64,
        problem: None,
    }
}

fn problem(anchors: usize, seq: i64, why: String) -> AnchorCheck {
    AnchorCheck {
        anchors: anchors as i64,
        problem: Some((seq, why)),
    }
}

/// The trail's action for a restore from a backup.
pub const RESTORE_ACTION: &str = "restore";

/// What the anchor written right after a restore says about it: the rows the backup held,
/// and the newest anchor known when restoring.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestoreNote {
    pub backup_rows: i64,
    pub anchors_known: i64,
}

/// A restore from a backup, as its row of the trail records it: the rows the backup held, and
/// the newest anchor known when restoring. Anchors up to that one that cover more rows than
/// the backup held belong to the history the restore replaced (the rows after the backup are
/// not in the restored chain), and are not read as a cut tail — provided the row is the one
/// directly after the backup's last row and the anchor after them (outside the database, in
/// the anchor folders) records the same restore.
#[derive(Debug, Clone, PartialEq)]
pub struct RestoreMark {
    pub seq: i64,
    pub backup_rows: i64,
    pub anchors_known: i64,
}

impl RestoreMark {
    fn set_aside(&self, anchor: &Anchor) -> bool {
        self.seq == self.backup_rows + 1
            && anchor.number <= self.anchors_known
            && anchor.count > self.backup_rows
    }
}

/// The restores the trail records.
pub fn restore_marks(conn: &Connection) -> Result<Vec<RestoreMark>> {
    let mut stmt =
        conn.prepare("SELECT seq, detail FROM audit_log WHERE action = ?1 ORDER BY seq")?;
    let rows = stmt.query_map(params![RESTORE_ACTION], |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (seq, detail) = row?;
        let detail: serde_json::Value = serde_json::from_str(&detail).unwrap_or_default();
        let number = |k: &str| detail.get(k).and_then(|n| n.as_i64()).unwrap_or(0);
        out.push(RestoreMark {
            seq,
            backup_rows: number("backup_rows"),
            anchors_known: number("anchors_known"),
        });
    }
    Ok(out)
}

/// The anchor numbers the trail records as written. Anchors of another PC's trail merged into
/// this one (`merged_from`) were written in that PC's folder, not here.
pub fn recorded_numbers(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT detail FROM audit_log WHERE action = ?1 ORDER BY seq")?;
    let rows = stmt.query_map(params![ACTION], |r| r.get::<_, String>(0))?;
    let mut out = Vec::new();
    for detail in rows {
        let detail: serde_json::Value = serde_json::from_str(&detail?).unwrap_or_default();
        if detail.get("merged_from").is_some() {
            continue;
        }
        if let Some(n) = detail.get("number").and_then(|n| n.as_i64()) {
            out.push(n);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain_of(rows: i64) -> (tempfile::TempDir, Connection) {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let caller = crate::api::Caller::local_operator();
        for _ in 0..rows {
            crate::audit::append(
                &store.conn,
                &caller,
                crate::audit::Event::new("search", None, serde_json::json!({})),
            )
            .unwrap();
        }
        (dir, store.conn)
    }

    #[test]
    fn an_anchor_is_due_at_first_then_a_day_after_the_last_when_rows_were_added() {
        let (dir, conn) = chain_of(3);
        let folders = vec![Folder {
            path: dir.path().join(ANCHOR_FOLDER),
            mirror: false,
        }];
        let count = |conn: &Connection| -> i64 {
            conn.query_row("SELECT COUNT(*) FROM audit_log", [], |r| r.get(0))
                .unwrap()
        };
        let now = chrono::Local::now().naive_local();
        assert!(due(None, count(&conn), now), "none yet");
        let (first, _) = write(&conn, &folders, None).unwrap();
        assert!(!due(Some(&first), count(&conn), now), "just written");
        let tomorrow = now + chrono::Duration::hours(25);
        assert!(
            !due(Some(&first), count(&conn), tomorrow),
            "nothing added since"
        );
        let caller = crate::api::Caller::local_operator();
        for _ in 0..2 {
            crate::audit::append(
                &conn,
                &caller,
                crate::audit::Event::new("search", None, serde_json::json!({})),
            )
            .unwrap();
        }
        assert!(!due(Some(&first), count(&conn), now), "not a day old yet");
        assert!(due(Some(&first), count(&conn), tomorrow));
        let (second, _) = write(&conn, &folders, None).unwrap();
        assert_eq!(second.number, 2);
        assert_eq!(
            second.previous, first.hash,
            "each anchor names the one before it"
        );
    }

    #[test]
    fn a_second_folder_that_is_away_does_not_stop_the_anchor() {
        let (dir, conn) = chain_of(2);
        let blocked = dir.path().join("not-a-folder");
        std::fs::write(&blocked, "a file where the folder should be").unwrap();
        let folders = vec![
            Folder {
                path: dir.path().join(ANCHOR_FOLDER),
                mirror: false,
            },
            Folder {
                path: blocked.join("archive"),
                mirror: true,
            },
        ];
        let (anchor, problem) = write(&conn, &folders, None).unwrap();
        assert_eq!(anchor.number, 1);
        assert!(problem.is_some());
        assert_eq!(latest(&folders[0].path), Some(anchor));
    }
}
