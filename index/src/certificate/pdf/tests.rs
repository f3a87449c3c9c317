//! The PDF is read back with poppler's command-line tools, as a clerk's viewer or a court's
//! would read it: what they extract is what the certificate says.

use super::layout::{lay_out, Op, MM, PAGE_H, PAGE_W};
use super::*;
use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, Rgb, RgbImage};
use std::io::Cursor;
use std::path::Path;
use std::process::Command;

fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("cannot run {tool} ({e}): install poppler-utils (apt-get install -y poppler-utils)")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("poppler writes UTF-8")
}

/// Writes `pdf` into `dir` and returns its path as poppler takes it.
fn save(dir: &Path, pdf: &[u8]) -> String {
    let path = dir.join("certificate.pdf");
    std::fs::write(&path, pdf).unwrap();
    path.to_str().unwrap().to_string()
}

fn text_of(path: &str) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", path, "-"])
}

fn pages_of(path: &str) -> usize {
    let info = poppler("pdfinfo", &[path]);
    let line = info.lines().find(|l| l.starts_with("Pages:")).unwrap();
    line["Pages:".len()..].trim().parse().unwrap()
}

fn without_spaces(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// A white page with black bands, like lines of a form.
fn banded(width: u32, height: u32) -> RgbImage {
    RgbImage::from_fn(width, height, |_, y| {
        if (y / 40) % 3 == 0 {
            Rgb([0, 0, 0])
        } else {
            Rgb([255, 255, 255])
        }
    })
}

fn encoded(image: &RgbImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = Vec::new();
    if format == ImageFormat::Jpeg {
        JpegEncoder::new_with_quality(&mut bytes, 95)
            .encode_image(image)
            .unwrap();
    } else {
        image
            .write_to(&mut Cursor::new(&mut bytes), format)
            .unwrap();
    }
    bytes
}

fn page(page_no: u32, image: Vec<u8>, redactions: Vec<RedactionBox>) -> CertifiedPage {
    CertifiedPage {
        page_no,
        image,
        redactions,
    }
}

fn record(ref_code: &str, row: Vec<(&str, &str)>, pages: Vec<CertifiedPage>) -> CertifiedRecord {
    CertifiedRecord {
        ref_code: ref_code.to_string(),
        title: "关于调整部分职工工资的通知".to_string(),
        date: "1998年7月".to_string(),
        doc_number: Some("甘劳人薪〔1998〕45号".to_string()),
        row: row
            .into_iter()
            .map(|(h, v)| (h.to_string(), v.to_string()))
            .collect(),
        pages,
    }
}

fn certificate(requester: &str, records: Vec<CertifiedRecord>) -> CertificateContent {
    CertificateContent {
        archive_name: "某某县档案馆".to_string(),
        title: "档案证明".to_string(),
        number: "〔2026〕A第0001号".to_string(),
        verify_code: "K7QM-2XPD-9TFA".to_string(),
        issued_on: "2026年11月27日".to_string(),
        audit_position: "第 123 条·3fa2c81e9b0d".to_string(),
        clerk: "李文华".to_string(),
        requester: requester.to_string(),
        requester_label: "查档人".to_string(),
        requester_id_masked: "620102************".to_string(),
        relationship: "本人".to_string(),
        purpose: "退休待遇核定".to_string(),
        records,
    }
}

/// Two records, the first with a two-page scan (a JPEG page and a PNG page with a redaction).
fn two_records() -> CertificateContent {
    let scan = banded(800, 1100);
    let cover = RedactionBox {
        x: 0.1,
        y: 0.5,
        width: 0.8,
        height: 0.1,
    };
    certificate(
        "刘建国",
        vec![
            record(
                "J012-WS·1998-Y-0034",
                vec![
                    ("姓名", "刘建国"),
                    ("工作单位", "县第二机械厂"),
                    ("调整前工资", "186.50"),
                    ("调整后工资", "214.00"),
                ],
                vec![
                    page(1, encoded(&scan, ImageFormat::Jpeg), vec![]),
                    page(2, encoded(&scan, ImageFormat::Png), vec![cover]),
                ],
            ),
            record(
                "J012-WS·2003-Y-0112",
                vec![("姓名", "刘建国"), ("退休时间", "2003年5月")],
                vec![],
            ),
        ],
    )
}

fn text_pages(content: &CertificateContent) -> usize {
    let fonts = Fonts::load().unwrap();
    let scans = content.records.iter().map(|r| r.pages.len()).sum::<usize>();
    lay_out(&fonts, content, &vec![(800, 1100); scans]).len() - scans
}

#[test]
fn text_is_real_extractable_text_in_an_embedded_subset_font() {
    let dir = tempfile::tempdir().unwrap();
    let content = two_records();
    let path = save(dir.path(), &render_certificate(&content).unwrap());

    let text = text_of(&path);
    for expected in [
        "〔2026〕A第0001号",
        "刘建国",
        "J012-WS·1998-Y-0034",
        "J012-WS·2003-Y-0112",
        "与原件核对无误",
        "K7QM-2XPD-9TFA",
        "县第二机械厂",
        "经核对，上述内容与本馆所藏档案原件一致，特此证明。",
    ] {
        assert!(text.contains(expected), "{expected} missing from:\n{text}");
    }

    let fonts = poppler("pdffonts", &[&path]);
    let rows: Vec<Vec<&str>> = fonts
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert!(!rows.is_empty(), "no font in:\n{fonts}");
    for row in rows {
        // name type… encoding emb sub uni object generation
        let n = row.len();
        assert_eq!(row[n - 5..n - 2], ["yes", "yes", "yes"], "{fonts}");
    }
}

#[test]
fn a_proxys_certificate_names_the_person_the_records_are_about_as_dang_shi_ren() {
    let dir = tempfile::tempdir().unwrap();
    let mut content = two_records();
    content.requester_label = "当事人".into();
    content.relationship = "委托代理（代理人：刘小军）".into();
    let path = save(dir.path(), &render_certificate(&content).unwrap());
    let text = without_spaces(&text_of(&path));
    assert!(text.contains("当事人：刘建国"), "{text}");
    assert!(text.contains("载有当事人的记载"), "{text}");
    assert!(!text.contains("查档人"), "{text}");
}

#[test]
fn there_is_a_page_per_scanned_page_after_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let content = two_records();
    assert_eq!(text_pages(&content), 1);
    let path = save(dir.path(), &render_certificate(&content).unwrap());
    assert_eq!(pages_of(&path), 1 + 2);
    let info = poppler("pdfinfo", &[&path]);
    assert!(info.contains("档案证明 〔2026〕A第0001号"), "{info}");
    assert!(info.contains("A4"), "{info}");
}

#[test]
fn a_redaction_is_burnt_into_the_pixels_and_the_original_never_embedded() {
    // A colour gradient with two red squares: one under the box, one beside it.
    let original = RgbImage::from_fn(600, 800, |x, y| {
        let in_square =
            |x0: u32, y0: u32| (x0..x0 + 120).contains(&x) && (y0..y0 + 120).contains(&y);
        if in_square(300, 200) || in_square(60, 500) {
            Rgb([230, 20, 20])
        } else {
            Rgb([(x * 255 / 600) as u8, (y * 255 / 800) as u8, 160])
        }
    });
    let jpeg = encoded(&original, ImageFormat::Jpeg);
    let cover = RedactionBox {
        x: 0.45,
        y: 0.2,
        width: 0.3,
        height: 0.2,
    };
    let covered = certificate(
        "刘建国",
        vec![record(
            "J012-WS·1998-Y-0034",
            vec![("姓名", "刘建国")],
            vec![page(1, jpeg.clone(), vec![cover])],
        )],
    );
    let dir = tempfile::tempdir().unwrap();
    let pdf = render_certificate(&covered).unwrap();
    let path = save(dir.path(), &pdf);

    // A stretch from the middle of the scan's compressed data, which any copy would carry.
    let probe = &jpeg[jpeg.len() / 2..jpeg.len() / 2 + 64];
    assert!(!pdf.windows(probe.len()).any(|w| w == probe));
    // The same scan without a box is embedded as it is, so the search above can find it.
    let uncovered = certificate(
        "刘建国",
        vec![record(
            "J012-WS·1998-Y-0034",
            vec![],
            vec![page(1, jpeg.clone(), vec![])],
        )],
    );
    let plain = render_certificate(&uncovered).unwrap();
    assert!(plain.windows(probe.len()).any(|w| w == probe));

    let prefix = dir.path().join("img");
    poppler("pdfimages", &["-j", &path, prefix.to_str().unwrap()]);
    let extracted: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "jpg"))
        .collect();
    assert_eq!(extracted.len(), 1, "{extracted:?}");
    let embedded = image::open(&extracted[0]).unwrap().to_rgb8();
    assert_eq!(embedded.dimensions(), (600, 800));
    // Inside the box (x 270..450, y 160..320), away from its edges: black.
    for y in (164..316).step_by(4) {
        for x in (274..446).step_by(4) {
            let p = embedded.get_pixel(x, y).0;
            assert!(p.iter().all(|&c| c < 40), "({x}, {y}) is {p:?}");
        }
    }
    // The red square beside the box and the gradient are as they were.
    let [r, g, b] = embedded.get_pixel(120, 560).0;
    assert!(r > 180 && g < 80 && b < 80, "{:?}", [r, g, b]);
    for (x, y) in [(50, 50), (550, 700), (100, 400)] {
        let (now, was) = (embedded.get_pixel(x, y).0, original.get_pixel(x, y).0);
        let near = now.iter().zip(was).all(|(a, b)| a.abs_diff(b) < 20);
        assert!(near, "({x}, {y}) was {was:?}, is {now:?}");
    }
}

#[test]
fn a_rare_name_prints_and_a_character_no_face_has_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    // Extension A and B characters, which only large CJK fonts carry.
    let rare = "刘䶮𠮷";
    let content = certificate(
        rare,
        vec![record("J012-WS·1998-Y-0034", vec![("姓名", rare)], vec![])],
    );
    let path = save(dir.path(), &render_certificate(&content).unwrap());
    assert!(text_of(&path).contains(rare));

    let content = certificate(
        "王\u{E000}",
        vec![record("J012-WS·1998-Y-0034", vec![], vec![])],
    );
    let error = render_certificate(&content).unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidRequest);
    assert!(error.message.contains("查档人"), "{}", error.message);
    assert!(error.message.contains("U+E000"), "{}", error.message);

    // 𪚥 (U+2A6A5) is a real character the collection lacks.
    let content = certificate(
        "刘建国",
        vec![record(
            "J012-WS·1998-Y-0034",
            vec![("工作单位", "𪚥山林场")],
            vec![],
        )],
    );
    let error = render_certificate(&content).unwrap_err();
    assert!(
        error.message.contains("「工作单位」栏"),
        "{}",
        error.message
    );
    assert!(error.message.contains("U+2A6A5"), "{}", error.message);
}

/// 40 long rows, one row longer than a page and a short last one.
fn long_rows() -> CertificateContent {
    let long = "一九七八年十二月由县农机修造厂调入县第二机械厂铸造车间任翻砂工，\
                一九八五年转为正式职工，工资按当时的八级工资制四级核定；"
        .repeat(3);
    let headers: Vec<String> = (1..=40)
        .map(|i| format!("第{i}栏（原表栏目名称较长）"))
        .collect();
    let longer = long.repeat(8);
    let mut row: Vec<(&str, &str)> = headers
        .iter()
        .map(|h| (h.as_str(), long.as_str()))
        .collect();
    // A row taller than a page.
    row.insert(20, ("履历", longer.as_str()));
    row.push(("备注", "末行数值XYZ40"));
    certificate("刘建国", vec![record("J012-WS·1998-Y-0034", row, vec![])])
}

#[test]
fn long_rows_wrap_and_continue_on_further_pages_inside_the_margins() {
    let content = long_rows();
    let fonts = Fonts::load().unwrap();
    let pages = lay_out(&fonts, &content, &[]);
    assert!(pages.len() > 2, "{} pages", pages.len());
    let margin = 10.0 * MM;
    for (n, page) in pages.iter().enumerate() {
        for op in page {
            match op {
                Op::Text {
                    x, y, size, text, ..
                } => {
                    let right = x + fonts.width(text, *size);
                    assert!(
                        *x >= margin && right <= PAGE_W - margin,
                        "page {n}: {text} from {x} to {right}"
                    );
                    assert!(
                        *y - size >= margin && *y <= PAGE_H - margin,
                        "page {n}: {text} at {y}"
                    );
                }
                Op::Rect { x, y, w, h, .. } => {
                    assert!(
                        *x >= margin && x + w <= PAGE_W - margin,
                        "page {n}: box at {x}"
                    );
                    assert!(
                        *y >= margin && y + h <= PAGE_H - margin,
                        "page {n}: box at {y}"
                    );
                }
                _ => {}
            }
        }
    }

    let dir = tempfile::tempdir().unwrap();
    let path = save(dir.path(), &render_certificate(&content).unwrap());
    assert_eq!(pages_of(&path), pages.len());
    let text = without_spaces(&text_of(&path));
    assert!(text.contains("末行数值XYZ40"));
    assert!(text.contains("第40栏"));
    assert!(text.contains("特此证明"));
}

#[test]
fn a_scan_that_cannot_be_decoded_is_refused_naming_the_page() {
    let content = certificate(
        "刘建国",
        vec![record(
            "J012-WS·1998-Y-0034",
            vec![],
            vec![page(2, b"\x89PNG\r\n\x1a\n broken".to_vec(), vec![])],
        )],
    );
    let error = render_certificate(&content).unwrap_err();
    assert!(
        error
            .message
            .starts_with("扫描页 J012-WS·1998-Y-0034 第2页无法解码："),
        "{}",
        error.message
    );
}
