//! Printed wage-table pages as a worn scanner delivers them, with what is printed on them: for
//! measuring how well scanned pages are read (`bench ocr`). Each page is a table of people
//! (name, sex, birth month, ID number, wages) drawn with the demo's CJK font, then turned by a
//! degree or two, specked with dust and saved as a coarse JPEG, on yellowed paper.

use super::idcard::make_id18;
use super::names::random_name;
use super::scans::table_page_with_widths;
use chrono::NaiveDate;
use image::{Rgb, RgbImage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// A page as scanned, and the text printed on it.
pub struct PrintedPage {
    /// The page as the scanner saved it: JPEG bytes.
    pub jpeg: Vec<u8>,
    /// Every piece of text printed, one per cell (title, subtitle, headers, cells, footer).
    pub printed: Vec<String>,
    /// The people's names, as printed.
    pub names: Vec<String>,
}

const UNITS: &[&str] = &[
    "城关镇供销社",
    "县机械厂",
    "县第二中学",
    "县粮食局",
    "县化肥厂",
    "县人民医院",
];

/// `count` pages of `rows` people each, all drawn from `seed`.
pub fn printed_wage_pages(count: usize, rows: usize, seed: u64) -> Vec<PrintedPage> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..count)
        .map(|i| printed_page(&mut rng, rows, i + 1))
        .collect()
}

fn printed_page(rng: &mut StdRng, rows: usize, page_no: usize) -> PrintedPage {
    let unit = UNITS[rng.gen_range(0..UNITS.len())];
    let year = rng.gen_range(1985..=2003);
    let title = format!("{unit}{year}年职工工资调整审批表");
    let subtitle = format!("填报单位：{unit}");
    let headers = vec![
        "序号",
        "姓名",
        "性别",
        "出生年月",
        "身份证号码",
        "调整后工资",
    ];
    let widths = vec![0.6, 1.2, 0.6, 1.1, 2.4, 1.1];
    let mut names = Vec::new();
    let cells: Vec<Vec<String>> = (0..rows)
        .map(|r| {
            let male = rng.gen_bool(0.5);
            let name = random_name(rng, male).full();
            let birth = NaiveDate::from_ymd_opt(
                rng.gen_range(1935..=1975),
                rng.gen_range(1..=12),
                rng.gen_range(1..=28),
            )
            .expect("a real date");
            let id = make_id18("410102", birth, rng.gen_range(1..999), male);
            names.push(name.clone());
            vec![
                (r + 1).to_string(),
                name,
                if male { "男" } else { "女" }.to_string(),
                birth.format("%Y.%m").to_string(),
                id,
                format!("{}.{:02}", rng.gen_range(180..900), rng.gen_range(0..100)),
            ]
        })
        .collect();
    let footer = format!("第{page_no}页");
    let mut printed = vec![title.clone(), subtitle.clone()];
    printed.extend(headers.iter().map(|h| h.to_string()));
    printed.extend(cells.iter().flatten().cloned());
    printed.push(footer.clone());
    let page = table_page_with_widths(
        &title,
        &subtitle,
        headers,
        widths,
        cells,
        &footer,
        rng.gen(),
    );
    let degrees = rng.gen_range(-2.0..2.0);
    let quality = rng.gen_range(50..75);
    let seed = rng.gen();
    PrintedPage {
        jpeg: worn_scan(&page, degrees, quality, seed),
        printed,
        names,
    }
}

/// The page as a worn scanner gives it: turned by `degrees` about its centre (the corners
/// filled with paper), specks of dust, and saved as a JPEG of `quality`.
pub fn worn_scan(page: &RgbImage, degrees: f32, quality: u8, seed: u64) -> Vec<u8> {
    let (w, h) = (page.width() as f32, page.height() as f32);
    let (s, c) = degrees.to_radians().sin_cos();
    let paper = *page.get_pixel(0, 0);
    let mut turned = RgbImage::from_fn(page.width(), page.height(), |x, y| {
        let (dx, dy) = (x as f32 - w / 2.0, y as f32 - h / 2.0);
        let (sx, sy) = (c * dx + s * dy + w / 2.0, -s * dx + c * dy + h / 2.0);
        if sx < 0.0 || sy < 0.0 || sx >= w - 1.0 || sy >= h - 1.0 {
            return paper;
        }
        *page.get_pixel(sx as u32, sy as u32)
    });
    let mut rng = StdRng::seed_from_u64(seed);
    for _ in 0..3000 {
        let (x, y) = (
            rng.gen_range(0..page.width()),
            rng.gen_range(0..page.height()),
        );
        let grey = rng.gen_range(60..160u8);
        turned.put_pixel(x, y, Rgb([grey, grey, grey]));
    }
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality)
        .encode_image(&turned)
        .expect("an image in memory encodes");
    jpeg
}
