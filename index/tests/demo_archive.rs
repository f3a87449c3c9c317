//! The demo archive, imported through the real import, agrees with the generator's ground
//! truth: every row the generator wrote lands where it should, with its mess undone, and the
//! rows it damaged the way Excel does are the ones refused. The generator writes the mess with
//! its own code, so this checks the normalizer against an independent implementation.

use archivedesk::demo::build::build_demo_archive;
use archivedesk::text::{normalize_name, ref_code_key};
use std::collections::BTreeMap;

#[derive(serde::Deserialize)]
struct TruthRow {
    name: String,
    id18: String,
    file: String,
    row: i64,
    ref_code: String,
    written_name: String,
    written_id: String,
    mess: Vec<String>,
}

#[test]
fn demo_archive_matches_the_generators_truth() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("演示数据");
    let report = build_demo_archive(&data, 1000, 11, true, &mut |_| {}).unwrap();
    assert!(
        report.files.iter().all(|f| f.message.is_none()),
        "no file refused"
    );
    let archive = archivedesk::Archive::open(&data).unwrap();
    let stats = archive.stats().unwrap();
    assert!(stats.demo, "marked as demo data");
    assert!(stats.pages > 0, "part of the documents have page images");
    assert!(stats.by_category.len() >= 3, "{:?}", stats.by_category);

    let conn = rusqlite::Connection::open(data.join("archive.sqlite3")).unwrap();
    let truth = std::fs::read_to_string(data.join("demo-source/truth.jsonl")).unwrap();
    // Per kind of mess: rows checked and rows that came out wrong.
    let mut per_kind: BTreeMap<String, (usize, Vec<String>)> = BTreeMap::new();
    let mut rows = 0;
    for line in truth.lines() {
        let t: TruthRow = serde_json::from_str(line).unwrap();
        rows += 1;
        let source = t.file.rsplit('/').next().unwrap().to_string();
        let mut problems = Vec::new();
        if t.mess.iter().any(|m| m == "id_as_number") {
            let rejected: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM rejected_rows r JOIN import_batches b ON b.id = r.batch_id
                     WHERE b.source_name = ?1 AND r.row_number = ?2 AND r.column_name LIKE '%身份%'",
                    rusqlite::params![source, t.row],
                    |r| r.get(0),
                )
                .unwrap();
            if rejected != 1 {
                problems.push(format!(
                    "{source} row {}: Excel-mangled ID not refused",
                    t.row
                ));
            }
        } else {
            let found: Option<(String, Option<String>, String)> = conn
                .query_row(
                    "SELECT e.name_norm, e.id_key, d.ref_key FROM entries e
                     JOIN import_batches b ON b.id = e.batch_id JOIN documents d ON d.id = e.document_id
                     WHERE b.source_name = ?1 AND e.source_row = ?2",
                    rusqlite::params![source, t.row],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .ok();
            match found {
                None => problems.push(format!("{source} row {}: no entry", t.row)),
                Some((name_norm, id_key, ref_key)) => {
                    let name_can_match =
                        !t.mess.iter().any(|m| m == "homophone" || m == "untypeable");
                    if name_can_match && name_norm != normalize_name(&t.name) {
                        problems.push(format!(
                            "{:?} read as {name_norm:?}, person is {:?}",
                            t.written_name, t.name
                        ));
                    }
                    if !t.written_id.is_empty() && id_key.as_deref() != Some(t.id18.as_str()) {
                        problems.push(format!(
                            "ID {:?} read as {id_key:?}, person's is {}",
                            t.written_id, t.id18
                        ));
                    }
                    if ref_key != ref_code_key(&t.ref_code) {
                        problems.push(format!("档号 {ref_key} should be {}", t.ref_code));
                    }
                }
            }
        }
        let kinds = if t.mess.is_empty() {
            vec!["(none)".to_string()]
        } else {
            t.mess.clone()
        };
        for kind in kinds {
            let slot = per_kind.entry(kind).or_default();
            slot.0 += 1;
            slot.1.extend(problems.iter().cloned());
        }
    }
    for (kind, (n, p)) in &per_kind {
        eprintln!("{kind:<20} {n:>5} rows, {:>3} read wrong", p.len());
    }
    let failures: Vec<String> = per_kind
        .iter()
        .filter(|(_, (_, p))| !p.is_empty())
        .map(|(kind, (n, p))| format!("{kind}: {} of {n} wrong, e.g. {}", p.len(), p[0]))
        .collect();
    assert!(rows > 900, "the generator wrote {rows} rows");
    assert!(
        failures.is_empty(),
        "rows read wrong, by kind of mess:\n{}",
        failures.join("\n")
    );
    let rejected: u64 = per_kind
        .get("id_as_number")
        .map(|(n, _)| *n as u64)
        .unwrap_or(0);
    assert_eq!(
        stats.rejected_rows, rejected,
        "only the Excel-mangled IDs are refused"
    );
    assert_eq!(stats.entries, rows as u64 - rejected);
}
