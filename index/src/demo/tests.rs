//! End-to-end checks of the generator's output files.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ab_glyph::Font;
use calamine::{open_workbook_auto, Data, Reader, Sheets};

use super::idcard::is_valid_id18;
use super::mess::TAGS;
use super::{generate_demo, write_corpus, CorpusFormat, DemoOptions};

fn run(entries: usize, seed: u64, page_images: bool, dir: &Path) -> super::DemoOutput {
    let opts = DemoOptions {
        entries,
        seed,
        page_images,
    };
    generate_demo(&opts, dir).expect("generate")
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(dir).unwrap().to_path_buf());
            }
        }
    }
    out.sort();
    out
}

fn truth_lines(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn same_seed_same_bytes() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let oa = run(400, 7, true, a.path());
    let ob = run(400, 7, true, b.path());
    assert_eq!((oa.entries, oa.pages), (ob.entries, ob.pages));
    assert!(oa.pages > 0, "some pages rendered");
    let files = all_files(a.path());
    assert_eq!(files, all_files(b.path()));
    for f in &files {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f:?} differs"
        );
    }
    let c = tempfile::tempdir().unwrap();
    run(400, 8, false, c.path());
    assert_ne!(
        std::fs::read(&oa.truth_file).unwrap(),
        std::fs::read(c.path().join("truth.jsonl")).unwrap()
    );
}

#[test]
fn retirement_csv_is_gb18030_with_crlf() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(2000, 3, false, dir.path());
    let csv: Vec<_> = out
        .catalogue_files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "csv"))
        .collect();
    assert_eq!(csv.len(), 2);
    for f in csv {
        let bytes = std::fs::read(f).unwrap();
        assert!(std::str::from_utf8(&bytes).is_err(), "not valid UTF-8");
        let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(&bytes);
        assert!(!had_errors);
        assert!(text.contains("\r\n") && !text.replace("\r\n", "").contains('\n'));
        assert!(text.starts_with("档案号,") || text.starts_with("档号,"));
    }
}

#[test]
fn wage_xlsx_has_title_row_and_merges() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(2000, 5, false, dir.path());
    let xlsx: Vec<_> = out
        .catalogue_files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    assert!(xlsx.len() >= 20);
    let mut vertical_seen = false;
    for f in xlsx {
        let mut wb = open_workbook_auto(f).unwrap();
        let range = wb.worksheet_range("Sheet1").unwrap();
        let title = range.get_value((0, 0)).unwrap().to_string();
        assert!(
            title.contains("工资调整审批表") || title.contains("工資調整審批表"),
            "{title}"
        );
        assert!(range.get_value((1, 0)).is_none_or(|v| *v == Data::Empty));
        let header: Vec<String> = (0..range.width() as u32)
            .map(|c| {
                range
                    .get_value((2, c))
                    .map(|v| v.to_string())
                    .unwrap_or_default()
            })
            .collect();
        assert!(header.contains(&"姓名".to_string()), "{header:?}");
        let Sheets::Xlsx(x) = &mut wb else {
            panic!("xlsx")
        };
        let merges = x.merge_cells_by_sheet_name("Sheet1").unwrap();
        assert!(merges
            .iter()
            .any(|d| d.start == (0, 0) && d.end.0 == 0 && d.end.1 as usize == range.width() - 1));
        vertical_seen |= merges
            .iter()
            .any(|d| d.start.1 == 0 && d.end.1 == 0 && d.end.0 > d.start.0 && d.start.0 >= 3);
    }
    assert!(vertical_seen, "档号 merged vertically over a document");
}

#[test]
fn ids_have_valid_check_digits() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(3000, 11, false, dir.path());
    for t in truth_lines(&out.truth_file) {
        let id = t["id18"].as_str().unwrap();
        assert!(is_valid_id18(id), "{id}");
        let written = t["written_id"].as_str().unwrap().to_uppercase();
        if written.len() == 18 && written.is_ascii() {
            assert!(is_valid_id18(&written), "{written}");
        }
    }
}

#[test]
fn every_mess_kind_occurs() {
    let dir = tempfile::tempdir().unwrap();
    let out = run(5000, 1, false, dir.path());
    let rows = truth_lines(&out.truth_file);
    assert!((4000..6000).contains(&rows.len()), "{} rows", rows.len());
    let seen: BTreeSet<String> = rows
        .iter()
        .flat_map(|t| {
            t["mess"]
                .as_array()
                .unwrap()
                .iter()
                .map(|m| m.as_str().unwrap().to_string())
        })
        .collect();
    let missing: Vec<_> = TAGS.iter().filter(|t| !seen.contains(**t)).collect();
    assert!(missing.is_empty(), "missing {missing:?}");
    // Mess stays a minority: most rows are clean apart from the era's 15-digit IDs.
    let messy = rows
        .iter()
        .filter(|t| t["mess"].as_array().unwrap().iter().any(|m| m != "id15"))
        .count();
    assert!(messy * 2 < rows.len(), "{messy} of {}", rows.len());
}

/// Every character in the generator's sources (all emitted text comes from literals there), plus
/// ASCII and the full-width forms computed from it.
fn charset() -> BTreeSet<char> {
    let sources = [
        include_str!("approval_text.rs"),
        include_str!("corpus.rs"),
        include_str!("docs.rs"),
        include_str!("idcard.rs"),
        include_str!("mess.rs"),
        include_str!("names.rs"),
        include_str!("people.rs"),
        include_str!("record.rs"),
        include_str!("recruitment_jsonl.rs"),
        include_str!("retirement_csv.rs"),
        include_str!("scans.rs"),
        include_str!("units.rs"),
        include_str!("wage_xlsx.rs"),
    ];
    let mut set: BTreeSet<char> = sources
        .iter()
        .flat_map(|s| s.chars())
        .filter(|c| !c.is_ascii())
        .collect();
    set.extend((0x21u32..0x7f).filter_map(char::from_u32));
    set.extend((0xff01u32..=0xff5e).filter_map(char::from_u32));
    set
}

#[test]
fn font_covers_charset() {
    let font = super::font::font();
    let missing: String = charset()
        .into_iter()
        .filter(|&c| font.glyph_id(c).0 == 0)
        .collect();
    assert!(missing.is_empty(), "not in font: {missing}");
    assert!(super::font::FONT_BYTES.len() < 1_500_000);
}

#[test]
fn corpus_has_exact_row_count() {
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("c.csv");
    write_corpus(1234, CorpusFormat::Csv, 9, &csv_path).unwrap();
    let mut r = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(r.headers().unwrap().len(), 11);
    assert_eq!(r.records().count(), 1234);

    let xlsx_path = dir.path().join("c.xlsx");
    write_corpus(1234, CorpusFormat::Xlsx, 9, &xlsx_path).unwrap();
    let mut wb = open_workbook_auto(&xlsx_path).unwrap();
    let range = wb.worksheet_range("Sheet1").unwrap();
    assert_eq!(range.height(), 1235);
    assert_eq!(range.get_value((0, 0)).unwrap().to_string(), "档号");
    let refs: BTreeSet<String> = (1..1235)
        .map(|r| range.get_value((r, 0)).unwrap().to_string())
        .collect();
    assert!((35..=50).contains(&refs.len()), "{} documents", refs.len());
}

/// Manual run: `DEMO_OUT=/tmp/demo DEMO_ENTRIES=20000 cargo test --release demo::tests::generate_to_dir -- --ignored`.
#[test]
#[ignore]
fn generate_to_dir() {
    let dir = PathBuf::from(std::env::var("DEMO_OUT").expect("DEMO_OUT"));
    let entries = std::env::var("DEMO_ENTRIES").map_or(20_000, |v| v.parse().unwrap());
    let start = std::time::Instant::now();
    let pages = std::env::var("DEMO_PAGES").map_or(true, |v| v != "0");
    let out = run(entries, 1, pages, &dir);
    eprintln!(
        "{} documents, {} entries, {} pages, {} catalogue files in {:.2?}",
        out.documents,
        out.entries,
        out.pages,
        out.catalogue_files.len(),
        start.elapsed()
    );
}

/// Manual run: `CORPUS_OUT=/tmp/c.xlsx CORPUS_ROWS=1000000 cargo test --release demo::tests::corpus_to_path -- --ignored`.
#[test]
#[ignore]
fn corpus_to_path() {
    let path = PathBuf::from(std::env::var("CORPUS_OUT").expect("CORPUS_OUT"));
    let rows = std::env::var("CORPUS_ROWS").map_or(1_000_000, |v| v.parse().unwrap());
    let format = if path.extension().is_some_and(|e| e == "xlsx") {
        CorpusFormat::Xlsx
    } else {
        CorpusFormat::Csv
    };
    let start = std::time::Instant::now();
    write_corpus(rows, format, 1, &path).unwrap();
    eprintln!("{rows} rows in {:.2?}", start.elapsed());
}
