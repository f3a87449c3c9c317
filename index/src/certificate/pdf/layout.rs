//! Where everything goes on the certificate's pages, as drawing operations per page. Placement
//! is kept apart from PDF output so that it can be checked (nothing leaves the page) without
//! reading a PDF back. Coordinates are points from the top left; a text's y is its baseline.

use super::fonts::Fonts;
use super::wrap::wrap;
use super::{CertificateContent, CertifiedRecord};

pub(super) const PAGE_W: f32 = 595.276; // A4
pub(super) const PAGE_H: f32 = 841.89;
pub(super) const MM: f32 = 72.0 / 25.4;

const LEFT: f32 = 25.0 * MM;
const RIGHT: f32 = PAGE_W - 25.0 * MM;
const TOP: f32 = 20.0 * MM;
/// The body of a text page ends here; the footer lies below.
const BOTTOM: f32 = PAGE_H - 24.0 * MM;
/// Baseline of the footer's last line.
const FOOTER: f32 = PAGE_H - 12.0 * MM;
const FOOTER_LINE: f32 = 13.0;

const BODY: f32 = 11.0;
const BODY_LINE: f32 = 18.0;
/// Wide enough for the longest label, 与档案关系：
const LABEL_W: f32 = 6.0 * BODY + 6.0;
const CELL: f32 = 10.0;
const CELL_LINE: f32 = 15.0;
const CELL_PAD: f32 = 4.0;
const SMALL: f32 = 9.0;
const SEAL: f32 = 42.0 * MM;
const SCAN_MARGIN: f32 = 15.0 * MM;

const STATEMENT: &str = "经核对，上述内容与本馆所藏档案原件一致，特此证明。";
const STAMP: &str = "与原件核对无误";

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Colour(pub u8, pub u8, pub u8);

const BLACK: Colour = Colour(0, 0, 0);
const GREY: Colour = Colour(90, 90, 90);
const RULE: Colour = Colour(150, 150, 150);
const SHADE: Colour = Colour(242, 242, 242);
const RED: Colour = Colour(200, 30, 30);

#[derive(Debug)]
pub(super) enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        colour: Colour,
        text: String,
    },
    Line {
        from: (f32, f32),
        to: (f32, f32),
        width: f32,
        colour: Colour,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Colour>,
        stroke: Option<(f32, Colour)>,
    },
    /// The `scan`-th scanned page of the certificate, in record order.
    Image {
        scan: usize,
        x: f32,
        y: f32,
        w: f32,
        h: f32,
    },
}

pub(super) type Page = Vec<Op>;

/// All pages: the certificate text, then one page per scan. `scan_sizes` holds the pixel size
/// of every scanned page, in record order.
pub(super) fn lay_out(
    fonts: &Fonts,
    content: &CertificateContent,
    scan_sizes: &[(u32, u32)],
) -> Vec<Page> {
    let mut pages = text_pages(fonts, content);
    let text_pages = pages.len();
    let scans = content
        .records
        .iter()
        .flat_map(|r| r.pages.iter().map(move |p| (r, p.page_no)));
    for (index, ((record, page_no), &size)) in scans.zip(scan_sizes).enumerate() {
        pages.push(scan_page(fonts, record, page_no, index, size));
    }
    let total = pages.len();
    for (n, page) in pages.iter_mut().enumerate() {
        let note = if n < text_pages {
            format!(
                "核验码：{}（可在档案查询台核验）　审计链：{}",
                content.verify_code, content.audit_position
            )
        } else {
            format!("{}　核验码：{}", content.number, content.verify_code)
        };
        footer(fonts, page, &note, n + 1, total, n < text_pages);
    }
    pages
}

/// Baseline of `size` text centred in a line box of `height` starting at `top` (the CJK em box
/// reaches 0.88 em above the baseline and 0.12 em below).
fn baseline(top: f32, height: f32, size: f32) -> f32 {
    top + height / 2.0 + 0.38 * size
}

struct Flow<'a> {
    fonts: &'a Fonts,
    /// Shown at the top of every page after the first.
    continued: String,
    pages: Vec<Page>,
    /// Top of the next line.
    y: f32,
}

impl Flow<'_> {
    fn push(&mut self, op: Op) {
        self.pages.last_mut().expect("a page is open").push(op);
    }

    fn text(&mut self, x: f32, y: f32, size: f32, colour: Colour, text: impl Into<String>) {
        let text = text.into();
        if !text.is_empty() {
            self.push(Op::Text {
                x,
                y,
                size,
                colour,
                text,
            });
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        let continued = self.continued.clone();
        self.text(LEFT, TOP, SMALL, GREY, continued);
        self.y = TOP + 6.0 * MM;
    }

    /// Starts a new page unless `height` more fits on this one.
    fn room(&mut self, height: f32) {
        if self.y + height > BOTTOM {
            self.new_page();
        }
    }

    /// Lines of `size` text, each centred between the margins.
    fn centred(&mut self, text: &str, size: f32, line: f32) {
        for l in wrap(self.fonts, text, size, RIGHT - LEFT) {
            let x = (PAGE_W - self.fonts.width(&l, size)) / 2.0;
            self.text(x, baseline(self.y, line, size), size, BLACK, l);
            self.y += line;
        }
    }

    /// A label in the label column and its value wrapped beside it.
    fn labelled(&mut self, label: &str, value: &str) {
        let lines = wrap(self.fonts, value, BODY, RIGHT - LEFT - LABEL_W);
        for (i, line) in lines.into_iter().enumerate() {
            self.room(BODY_LINE);
            let y = baseline(self.y, BODY_LINE, BODY);
            if i == 0 {
                self.text(LEFT, y, BODY, BLACK, label);
            }
            self.text(LEFT + LABEL_W, y, BODY, BLACK, line);
            self.y += BODY_LINE;
        }
    }

    /// A paragraph whose first line is indented by two characters.
    fn paragraph(&mut self, text: &str) {
        let indent = 2.0 * BODY;
        for (i, line) in wrap(self.fonts, text, BODY, RIGHT - LEFT - indent)
            .into_iter()
            .enumerate()
        {
            self.room(BODY_LINE);
            let x = if i == 0 { LEFT + indent } else { LEFT };
            self.text(x, baseline(self.y, BODY_LINE, BODY), BODY, BLACK, line);
            self.y += BODY_LINE;
        }
    }

    fn record(&mut self, index: usize, count: usize, record: &CertifiedRecord) {
        self.y += 8.0;
        // The heading stays with the first lines below it.
        self.room(3.0 * BODY_LINE);
        let heading = format!("第{}件（共{}件）", index + 1, count);
        self.text(
            LEFT,
            baseline(self.y, BODY_LINE, 12.0),
            12.0,
            BLACK,
            heading,
        );
        self.y += BODY_LINE;
        self.labelled("档号：", &record.ref_code);
        self.labelled("题名：", &record.title);
        if let Some(number) = record
            .doc_number
            .as_deref()
            .filter(|n| !n.trim().is_empty())
        {
            self.labelled("文号：", number);
        }
        // A catalogue without a date leaves the line out rather than print it empty.
        if !record.date.trim().is_empty() {
            self.labelled("日期：", &record.date);
        }
        if !record.row.is_empty() {
            // The caption stays with the table's first row.
            self.room(BODY_LINE + CELL_LINE + 2.0 * CELL_PAD);
            let y = baseline(self.y, BODY_LINE, BODY);
            self.text(LEFT, y, BODY, BLACK, "相关记载（照录原文）：");
            self.y += BODY_LINE + 2.0;
            self.table(&record.row);
        }
    }

    /// Two columns, header | value, split across pages between rows, or between the lines of a
    /// row taller than a page.
    fn table(&mut self, rows: &[(String, String)]) {
        let key_w = ((RIGHT - LEFT) * 0.3).round();
        let value_w = RIGHT - LEFT - key_w;
        let lines_in =
            |height: f32| ((height - 2.0 * CELL_PAD) / CELL_LINE).floor().max(0.0) as usize;
        let page_lines = lines_in(BOTTOM - (TOP + 6.0 * MM));
        for (key, value) in rows {
            let mut keys = wrap(self.fonts, key, CELL, key_w - 2.0 * CELL_PAD);
            let mut values = wrap(self.fonts, value, CELL, value_w - 2.0 * CELL_PAD);
            loop {
                let lines = keys.len().max(values.len());
                let fit = lines_in(BOTTOM - self.y);
                if lines <= fit {
                    self.row(key_w, value_w, keys, values);
                    break;
                }
                if lines <= page_lines || fit == 0 {
                    self.new_page();
                    continue;
                }
                let mut rest_keys = keys.split_off(fit.min(keys.len()));
                let rest_values = values.split_off(fit.min(values.len()));
                if rest_keys.is_empty() {
                    let continued = format!("{key}（续）");
                    rest_keys = wrap(self.fonts, &continued, CELL, key_w - 2.0 * CELL_PAD);
                }
                self.row(key_w, value_w, keys, values);
                self.new_page();
                (keys, values) = (rest_keys, rest_values);
            }
        }
    }

    fn row(&mut self, key_w: f32, value_w: f32, keys: Vec<String>, values: Vec<String>) {
        let lines = keys.len().max(values.len()).max(1);
        let h = lines as f32 * CELL_LINE + 2.0 * CELL_PAD;
        let border = Some((0.5, RULE));
        let (top, y) = (self.y, self.y + CELL_PAD);
        self.push(Op::Rect {
            x: LEFT,
            y: top,
            w: key_w,
            h,
            fill: Some(SHADE),
            stroke: border,
        });
        self.push(Op::Rect {
            x: LEFT + key_w,
            y: top,
            w: value_w,
            h,
            fill: None,
            stroke: border,
        });
        for (i, key) in keys.into_iter().enumerate() {
            let base = baseline(y + i as f32 * CELL_LINE, CELL_LINE, CELL);
            self.text(LEFT + CELL_PAD, base, CELL, BLACK, key);
        }
        for (i, value) in values.into_iter().enumerate() {
            let base = baseline(y + i as f32 * CELL_LINE, CELL_LINE, CELL);
            self.text(LEFT + key_w + CELL_PAD, base, CELL, BLACK, value);
        }
        self.y += h;
    }

    /// The statement, who issued it and when, and the box the seal goes in, kept on one page.
    fn closing(&mut self, content: &CertificateContent) {
        let fonts = self.fonts;
        let left_w = RIGHT - LEFT - SEAL - 8.0 * MM;
        let signed: Vec<(&str, Vec<String>)> = [
            ("出具单位：", &content.archive_name),
            ("经办人：", &content.clerk),
            ("出具日期：", &content.issued_on),
        ]
        .into_iter()
        .map(|(label, value)| (label, wrap(fonts, value, BODY, left_w - LABEL_W)))
        .collect();
        let signed_h = signed.iter().map(|(_, l)| l.len()).sum::<usize>() as f32 * BODY_LINE;
        let statement = wrap(fonts, STATEMENT, BODY, RIGHT - LEFT - 2.0 * BODY).len();
        self.y += 12.0;
        self.room(statement as f32 * BODY_LINE + 10.0 + SEAL.max(signed_h));
        self.paragraph(STATEMENT);
        self.y += 10.0;

        let top = self.y;
        self.push(Op::Rect {
            x: RIGHT - SEAL,
            y: top,
            w: SEAL,
            h: SEAL,
            fill: None,
            stroke: Some((0.8, RULE)),
        });
        let label = "（档案馆印章）";
        let x = RIGHT - SEAL + (SEAL - fonts.width(label, 10.0)) / 2.0;
        self.text(x, baseline(top, SEAL, 10.0), 10.0, RULE, label);

        self.y = top + ((SEAL - signed_h) / 2.0).max(0.0);
        for (label, lines) in signed {
            for (i, line) in lines.into_iter().enumerate() {
                let y = baseline(self.y, BODY_LINE, BODY);
                if i == 0 {
                    self.text(LEFT, y, BODY, BLACK, label);
                }
                self.text(LEFT + LABEL_W, y, BODY, BLACK, line);
                self.y += BODY_LINE;
            }
        }
        self.y = self.y.max(top + SEAL);
    }
}

fn text_pages(fonts: &Fonts, content: &CertificateContent) -> Vec<Page> {
    let mut flow = Flow {
        fonts,
        continued: format!("{} {}（续）", content.title, content.number),
        pages: vec![Vec::new()],
        y: TOP,
    };
    flow.centred(&content.archive_name, 15.0, 24.0);
    flow.y += 4.0;
    flow.centred(&content.title, 26.0, 40.0);
    for line in wrap(fonts, &content.number, BODY, RIGHT - LEFT) {
        let x = RIGHT - fonts.width(&line, BODY);
        flow.text(x, baseline(flow.y, BODY_LINE, BODY), BODY, BLACK, line);
        flow.y += BODY_LINE;
    }
    flow.y += 3.0;
    flow.push(Op::Line {
        from: (LEFT, flow.y),
        to: (RIGHT, flow.y),
        width: 0.8,
        colour: BLACK,
    });
    flow.y += 10.0;

    let requester = format!(
        "{}（身份证号 {}）",
        content.requester, content.requester_id_masked
    );
    flow.labelled(&format!("{}：", content.requester_label), &requester);
    flow.labelled("与档案关系：", &content.relationship);
    flow.labelled("利用目的：", &content.purpose);
    flow.y += 6.0;
    flow.paragraph(&format!(
        "经查，本馆所藏下列档案中载有{}的记载：",
        content.requester_label
    ));
    for (i, record) in content.records.iter().enumerate() {
        flow.record(i, content.records.len(), record);
    }
    flow.closing(content);
    flow.pages
}

fn scan_page(
    fonts: &Fonts,
    record: &CertifiedRecord,
    page_no: u32,
    scan: usize,
    (width, height): (u32, u32),
) -> Page {
    let mut page = Vec::new();
    let right = PAGE_W - SCAN_MARGIN;

    let stamp_size = 12.0;
    let (stamp_w, stamp_h) = (fonts.width(STAMP, stamp_size) + 12.0, stamp_size + 10.0);
    let stamp_x = right - stamp_w;
    let stamp_y = 8.0 * MM;
    page.push(Op::Rect {
        x: stamp_x,
        y: stamp_y,
        w: stamp_w,
        h: stamp_h,
        fill: None,
        stroke: Some((1.2, RED)),
    });
    page.push(Op::Text {
        x: stamp_x + 6.0,
        y: baseline(stamp_y, stamp_h, stamp_size),
        size: stamp_size,
        colour: RED,
        text: STAMP.to_string(),
    });

    let header = format!("档号 {}　第{}页", record.ref_code, page_no);
    let mut y = stamp_y;
    for line in wrap(fonts, &header, 10.5, stamp_x - 6.0 * MM - SCAN_MARGIN) {
        page.push(Op::Text {
            x: SCAN_MARGIN,
            y: baseline(y, stamp_h, 10.5),
            size: 10.5,
            colour: BLACK,
            text: line,
        });
        y += 14.0;
    }

    let top = (stamp_y + stamp_h).max(y) + 4.0 * MM;
    let bottom = PAGE_H - 20.0 * MM;
    let (area_w, area_h) = (right - SCAN_MARGIN, bottom - top);
    let scale = (area_w / width.max(1) as f32).min(area_h / height.max(1) as f32);
    let (w, h) = (width as f32 * scale, height as f32 * scale);
    let (x, y) = (SCAN_MARGIN + (area_w - w) / 2.0, top + (area_h - h) / 2.0);
    page.push(Op::Image { scan, x, y, w, h });
    page.push(Op::Rect {
        x,
        y,
        w,
        h,
        fill: None,
        stroke: Some((0.5, RULE)),
    });
    page
}

/// The page's note on the left and its number on the right, above the bottom edge.
fn footer(fonts: &Fonts, page: &mut Page, note: &str, n: usize, total: usize, text_page: bool) {
    let (left, right) = if text_page {
        (LEFT, RIGHT)
    } else {
        (SCAN_MARGIN, PAGE_W - SCAN_MARGIN)
    };
    let number = format!("第 {n} 页　共 {total} 页");
    let number_w = fonts.width(&number, SMALL);
    page.push(Op::Text {
        x: right - number_w,
        y: FOOTER,
        size: SMALL,
        colour: GREY,
        text: number,
    });
    let lines = wrap(fonts, note, SMALL, right - left - number_w - 6.0 * MM);
    let count = lines.len();
    for (i, line) in lines.into_iter().enumerate() {
        page.push(Op::Text {
            x: left,
            y: FOOTER - (count - 1 - i) as f32 * FOOTER_LINE,
            size: SMALL,
            colour: GREY,
            text: line,
        });
    }
    if text_page {
        let y = BOTTOM + 2.0 * MM;
        page.push(Op::Line {
            from: (LEFT, y),
            to: (RIGHT, y),
            width: 0.5,
            colour: RULE,
        });
    }
}
