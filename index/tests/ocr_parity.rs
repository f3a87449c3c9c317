//! The page reader against RapidOCR (Python, ONNX Runtime) running the same PP-OCR models on
//! the same page: the lines each finds stand in the same places, and read the same text. Our
//! reader feeds the recognizer each batch as wide as its widest line where RapidOCR pads to
//! 320 px (see `ocr::input`), and cuts lines with an affine bilinear warp where RapidOCR uses a
//! perspective bicubic one, so a character may differ now and then; the text of almost every
//! line agrees, and every name printed is read alike.
//!
//! RapidOCR is installed by `.ci/setup` in its own Python environment.

use archivedesk::bench::ocr::DEFAULT_PYTHON;
use archivedesk::ocr::reader::PageReader;
use serde::Deserialize;
use std::path::Path;

#[derive(Deserialize)]
struct Line {
    text: String,
    #[serde(rename = "box")]
    corners: Vec<[f32; 2]>,
}

#[derive(Deserialize)]
struct Page {
    lines: Vec<Line>,
}

#[derive(Deserialize)]
struct Run {
    pages: Vec<Page>,
}

/// Left, top, right, bottom of corners.
fn bounds(points: impl Iterator<Item = (f32, f32)>) -> [f32; 4] {
    points.fold(
        [f32::MAX, f32::MAX, f32::MIN, f32::MIN],
        |[l, t, r, b], (x, y)| [l.min(x), t.min(y), r.max(x), b.max(y)],
    )
}

fn overlap(a: [f32; 4], b: [f32; 4]) -> f32 {
    let w = (a[2].min(b[2]) - a[0].max(b[0])).max(0.0);
    let h = (a[3].min(b[3]) - a[1].max(b[1])).max(0.0);
    let area = |r: [f32; 4]| (r[2] - r[0]) * (r[3] - r[1]);
    w * h / (area(a) + area(b) - w * h)
}

#[test]
#[cfg_attr(
    windows,
    ignore = "RapidOCR runs in the Linux Python environment, which a Windows program cannot start"
)]
fn lines_stand_where_rapidocr_finds_them_and_read_the_same() {
    let python = Path::new(DEFAULT_PYTHON);
    assert!(
        python.is_file(),
        "no RapidOCR at {DEFAULT_PYTHON} (bash .ci/setup installs it)"
    );
    let dir = tempfile::tempdir().unwrap();
    let printed = archivedesk::demo::printed_wage_pages(1, 12, 17);
    let file = dir.path().join("第1页.jpg");
    std::fs::write(&file, &printed[0].jpeg).unwrap();

    let script = dir.path().join("rapidocr_baseline.py");
    std::fs::write(&script, include_str!("../src/bench/rapidocr_baseline.py")).unwrap();
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(&file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Run = serde_json::from_slice(&out.stdout).unwrap();
    let theirs = &theirs.pages[0].lines;

    let reader = PageReader::load(&archivedesk::ocr::models::models_folder().unwrap()).unwrap();
    let page = image::open(&file).unwrap().to_rgb8();
    let ours = reader.read(&page).unwrap();
    assert!(theirs.len() > 60, "a table of 12 people: {}", theirs.len());

    let mut placed = 0;
    let mut same_text = 0;
    let mut differ = Vec::new();
    for line in theirs {
        let at = bounds(line.corners.iter().map(|p| (p[0], p[1])));
        let nearest = ours
            .iter()
            .map(|o| (o, overlap(at, bounds(o.quad.0.iter().copied()))))
            .max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((o, iou)) = nearest.filter(|(_, iou)| *iou >= 0.6) {
            placed += 1;
            if o.text == line.text {
                same_text += 1;
            } else {
                differ.push(format!("{} ≠ {} (IoU {iou:.2})", o.text, line.text));
            }
        }
    }
    let share = |n: usize| n as f64 / theirs.len() as f64;
    assert!(
        share(placed) >= 0.97,
        "{placed} of {} lines placed alike",
        theirs.len()
    );
    assert!(
        share(same_text) >= 0.95,
        "{same_text} of {} lines read alike; differing: {differ:?}",
        theirs.len()
    );
    for name in &printed[0].names {
        assert!(
            ours.iter().any(|l| &l.text == name) && theirs.iter().any(|l| &l.text == name),
            "{name} read by both"
        );
    }
    assert!(
        ours.len().abs_diff(theirs.len()) <= theirs.len() / 30,
        "{} lines against {}",
        ours.len(),
        theirs.len()
    );
}
