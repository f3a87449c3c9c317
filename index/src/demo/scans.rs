//! Page images for part of the documents: the table or letter as printed, drawn with the bundled
//! font onto an A4 page at about 150 dpi, saved as PNG or JPEG like a scanning vendor would.

use std::path::{Path, PathBuf};

use ab_glyph::{point, Font, FontRef, PxScale, ScaleFont};
use chrono::Datelike;
use image::{Rgb, RgbImage};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::approval_text::{retirement_lines, wrap};
use super::docs::{Doc, DocKind};
use super::font::font;
use super::idcard::to_id15;
use super::people::{Person, World};
use super::units::{unit_name, AUTHORITY};

const W: u32 = 1240;
const H: u32 = 1754;
const MARGIN: f32 = 70.0;
const ROW_H: f32 = 46.0;
const ROWS_PER_PAGE: usize = 28;
const INK: [u8; 3] = [30, 30, 35];

enum Page {
    Table {
        title: String,
        subtitle: String,
        headers: Vec<&'static str>,
        widths: Vec<f32>,
        rows: Vec<Vec<String>>,
        footer: String,
    },
    Text {
        lines: Vec<String>,
    },
}

struct Job {
    dir: PathBuf,
    jpeg: bool,
    pages: Vec<Page>,
    seed: u64,
}

fn ym(y: i32, m: u32) -> String {
    format!("{y}.{m:02}")
}

fn id_of(p: &Person, year: i32) -> String {
    if year < 1999 {
        to_id15(&p.id18)
    } else {
        p.id18.clone()
    }
}

fn table_pages(
    title: &str,
    subtitle: &str,
    headers: Vec<&'static str>,
    widths: Vec<f32>,
    rows: Vec<Vec<String>>,
) -> Vec<Page> {
    let chunks: Vec<_> = rows.chunks(ROWS_PER_PAGE).map(|c| c.to_vec()).collect();
    let n = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, rows)| Page::Table {
            title: if i == 0 {
                title.to_string()
            } else {
                String::new()
            },
            subtitle: if i == 0 {
                subtitle.to_string()
            } else {
                String::new()
            },
            headers: headers.clone(),
            widths: widths.clone(),
            rows,
            footer: format!("第 {} 页  共 {} 页", i + 1, n),
        })
        .collect()
}

fn pages_of(world: &World, doc: &Doc) -> Vec<Page> {
    match doc.kind {
        DocKind::Wage(w) => {
            let wd = &world.wage_docs[w];
            let rows = wd
                .rows
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let p = &world.persons[r.person];
                    vec![
                        (i + 1).to_string(),
                        p.full.clone(),
                        if p.male { "男" } else { "女" }.into(),
                        ym(p.birth.year(), p.birth.month()),
                        id_of(p, doc.year),
                        ym(p.hired.0, p.hired.1),
                        r.before.to_string(),
                        r.after.to_string(),
                        r.remark.clone(),
                    ]
                })
                .collect();
            table_pages(
                &doc.title,
                &format!(
                    "填报单位：{}            {}年{}月{}日",
                    unit_name(wd.unit),
                    doc.date.year(),
                    doc.date.month(),
                    doc.date.day()
                ),
                vec![
                    "序号",
                    "姓名",
                    "性别",
                    "出生年月",
                    "身份证号",
                    "参加工作时间",
                    "原工资",
                    "调整后工资",
                    "备注",
                ],
                vec![0.5, 1.3, 0.5, 1.0, 2.3, 1.2, 0.8, 1.0, 1.3],
                rows,
            )
        }
        DocKind::Recruitment(i) => {
            let rd = &world.recruit_docs[i];
            let rows = rd
                .persons
                .iter()
                .enumerate()
                .map(|(n, &pi)| {
                    let p = &world.persons[pi];
                    vec![
                        (n + 1).to_string(),
                        p.full.clone(),
                        if p.male { "男" } else { "女" }.into(),
                        ym(p.birth.year(), p.birth.month()),
                        p.education.into(),
                        id_of(p, doc.year),
                    ]
                })
                .collect();
            table_pages(
                &doc.title,
                &format!("{}    {}", doc.docno(0), AUTHORITY),
                vec!["序号", "姓名", "性别", "出生年月", "文化程度", "身份证号"],
                vec![0.6, 1.4, 0.6, 1.1, 1.0, 2.3],
                rows,
            )
        }
        DocKind::Retirement(i) => {
            let r = &world.retirements[i];
            let p = &world.persons[r.person];
            let lines = retirement_lines(doc, p, &unit_name(r.unit), r);
            vec![Page::Text { lines }]
        }
    }
}

/// Chooses about one document in eight (at most `max_pages` pages in all) and renders them.
/// Returns the number of pages written.
pub fn write_scans(
    world: &World,
    docs: &[Doc],
    scan_root: &Path,
    max_pages: usize,
    seed: u64,
) -> anyhow::Result<usize> {
    let mut rng = StdRng::seed_from_u64(seed ^ 0x5ca7);
    let mut jobs = Vec::new();
    let mut total = 0;
    for doc in docs {
        if !rng.gen_bool(0.12) {
            continue;
        }
        let pages = pages_of(world, doc);
        if total + pages.len() > max_pages {
            continue;
        }
        total += pages.len();
        jobs.push(Job {
            dir: scan_root.join(&doc.ref_code),
            jpeg: rng.gen_bool(0.4),
            pages,
            seed: rng.gen(),
        });
    }
    // Pages are independent; two workers halve the wall time on a small machine.
    let (a, b) = jobs.split_at(jobs.len() / 2);
    std::thread::scope(|s| {
        let h = s.spawn(|| render_jobs(a));
        let r = render_jobs(b);
        h.join().expect("render thread")?;
        r
    })?;
    Ok(total)
}

fn render_jobs(jobs: &[Job]) -> anyhow::Result<()> {
    let font = font();
    for job in jobs {
        std::fs::create_dir_all(&job.dir)?;
        let mut rng = StdRng::seed_from_u64(job.seed);
        for (i, page) in job.pages.iter().enumerate() {
            let img = render(&font, page, &mut rng);
            let name = format!("{:04}.{}", i + 1, if job.jpeg { "jpg" } else { "png" });
            let file = std::io::BufWriter::new(std::fs::File::create(job.dir.join(name))?);
            if job.jpeg {
                let enc = image::codecs::jpeg::JpegEncoder::new_with_quality(file, 60);
                img.write_with_encoder(enc)?;
            } else {
                // Grey PNG: a third of the size of RGB for a black-and-white page.
                let grey = image::DynamicImage::ImageRgb8(img).to_luma8();
                grey.write_with_encoder(image::codecs::png::PngEncoder::new(file))?;
            }
        }
    }
    Ok(())
}

/// A wage-table page as the demo prints it (the paper's tint drawn from `seed`): a title, a
/// line under it, the table with `headers` and `rows`, a footer. For tests of what reads pages.
pub fn table_page_image(
    title: &str,
    subtitle: &str,
    headers: Vec<&'static str>,
    rows: Vec<Vec<String>>,
    footer: &str,
    seed: u64,
) -> RgbImage {
    let widths = vec![1.0; headers.len()];
    table_page_with_widths(title, subtitle, headers, widths, rows, footer, seed)
}

/// The same, the columns as wide as `widths` say (shares of the table's width).
pub fn table_page_with_widths(
    title: &str,
    subtitle: &str,
    headers: Vec<&'static str>,
    widths: Vec<f32>,
    rows: Vec<Vec<String>>,
    footer: &str,
    seed: u64,
) -> RgbImage {
    let page = Page::Table {
        title: title.to_string(),
        subtitle: subtitle.to_string(),
        headers,
        widths,
        rows,
        footer: footer.to_string(),
    };
    render(&font(), &page, &mut StdRng::seed_from_u64(seed))
}

fn render(font: &FontRef, page: &Page, rng: &mut impl Rng) -> RgbImage {
    // Slightly yellowed paper, different for every sheet.
    let tint = rng.gen_range(0..12u8);
    let mut img = RgbImage::from_pixel(W, H, Rgb([252 - tint / 2, 250 - tint / 2, 242 - tint]));
    match page {
        Page::Table {
            title,
            subtitle,
            headers,
            widths,
            rows,
            footer,
        } => {
            let mut y = 110.0;
            if !title.is_empty() {
                draw_centered(&mut img, font, 40.0, W as f32 / 2.0, y, title);
                y += 70.0;
                draw_text(&mut img, font, 24.0, MARGIN, y, subtitle);
                y += 50.0;
            }
            let total: f32 = widths.iter().sum();
            let usable = W as f32 - 2.0 * MARGIN;
            let mut xs = vec![MARGIN];
            for w in widths {
                xs.push(xs.last().unwrap() + usable * w / total);
            }
            let header: Vec<String> = headers.iter().map(|h| h.to_string()).collect();
            let all: Vec<&Vec<String>> = std::iter::once(&header).chain(rows.iter()).collect();
            for (r, cells) in all.iter().enumerate() {
                let top = y + r as f32 * ROW_H;
                hline(&mut img, xs[0], *xs.last().unwrap(), top);
                for (c, text) in cells.iter().enumerate() {
                    let cell_w = xs[c + 1] - xs[c] - 8.0;
                    let mut px = 22.0;
                    let tw = text_width(font, px, text);
                    if tw > cell_w {
                        px *= cell_w / tw;
                    }
                    let cx = (xs[c] + xs[c + 1]) / 2.0;
                    draw_centered(&mut img, font, px, cx, top + (ROW_H - px) / 2.0 - 2.0, text);
                }
            }
            let bottom = y + all.len() as f32 * ROW_H;
            hline(&mut img, xs[0], *xs.last().unwrap(), bottom);
            for x in &xs {
                vline(&mut img, *x, y, bottom);
            }
            draw_centered(
                &mut img,
                font,
                20.0,
                W as f32 / 2.0,
                H as f32 - 90.0,
                footer,
            );
        }
        Page::Text { lines } => {
            let mut y = 120.0;
            for (i, line) in lines.iter().enumerate() {
                // Letterhead, number and title centred; body wrapped; signature right-aligned.
                match i {
                    0 => {
                        draw_centered(&mut img, font, 52.0, W as f32 / 2.0, y, line);
                        y += 90.0;
                        hline(&mut img, MARGIN, W as f32 - MARGIN, y - 20.0);
                    }
                    1 | 2 => {
                        draw_centered(
                            &mut img,
                            font,
                            if i == 1 { 26.0 } else { 34.0 },
                            W as f32 / 2.0,
                            y,
                            line,
                        );
                        y += 64.0;
                    }
                    6 | 7 => {
                        let w = text_width(font, 28.0, line);
                        draw_text(&mut img, font, 28.0, W as f32 - MARGIN - 60.0 - w, y, line);
                        y += 50.0;
                    }
                    _ => {
                        let indent = if i == 4 || i == 5 {
                            "\u{3000}\u{3000}"
                        } else {
                            ""
                        };
                        for part in wrap(&format!("{indent}{line}"), 36) {
                            draw_text(&mut img, font, 28.0, MARGIN + 20.0, y, &part);
                            y += 48.0;
                        }
                        y += 12.0;
                    }
                }
            }
        }
    }
    img
}

fn text_width(font: &FontRef, px: f32, text: &str) -> f32 {
    let f = font.as_scaled(PxScale::from(px));
    text.chars().map(|c| f.h_advance(f.glyph_id(c))).sum()
}

fn draw_centered(img: &mut RgbImage, font: &FontRef, px: f32, cx: f32, y: f32, text: &str) {
    let w = text_width(font, px, text);
    draw_text(img, font, px, cx - w / 2.0, y, text);
}

/// Draws `text` with its top at `y`, blending ink by glyph coverage.
fn draw_text(img: &mut RgbImage, font: &FontRef, px: f32, x: f32, y: f32, text: &str) {
    let scaled = font.as_scaled(PxScale::from(px));
    let mut caret = point(x, y + scaled.ascent());
    for c in text.chars() {
        let mut g = scaled.scaled_glyph(c);
        g.position = caret;
        caret.x += scaled.h_advance(g.id);
        let Some(outline) = font.outline_glyph(g) else {
            continue;
        };
        let b = outline.px_bounds();
        outline.draw(|gx, gy, cov| {
            let (px, py) = (b.min.x as i32 + gx as i32, b.min.y as i32 + gy as i32);
            if px < 0 || py < 0 || px >= W as i32 || py >= H as i32 {
                return;
            }
            let p = img.get_pixel_mut(px as u32, py as u32);
            let a = cov.min(1.0);
            for (ch, ink) in p.0.iter_mut().zip(INK) {
                *ch = (*ch as f32 * (1.0 - a) + ink as f32 * a) as u8;
            }
        });
    }
}

fn hline(img: &mut RgbImage, x0: f32, x1: f32, y: f32) {
    for x in x0 as u32..=x1 as u32 {
        for t in 0..2 {
            img.put_pixel(x.min(W - 1), (y as u32 + t).min(H - 1), Rgb(INK));
        }
    }
}

fn vline(img: &mut RgbImage, x: f32, y0: f32, y1: f32) {
    for y in y0 as u32..=y1 as u32 {
        for t in 0..2 {
            img.put_pixel((x as u32 + t).min(W - 1), y.min(H - 1), Rgb(INK));
        }
    }
}
