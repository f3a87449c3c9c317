//! The certified copy as a PDF (出具档案证明): a page stating what the archive certifies, with
//! the requester's row transcribed from each record, then every scanned page of those records
//! with other people's rows blacked out. A pure function of its content; the text is real text
//! (searchable, copyable) in an embedded subset of Noto Sans CJK.

mod fonts;
mod layout;
mod redact;
mod wrap;

use crate::error::{Error, ErrorCode, Result};
use fonts::Fonts;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::TextDirection;
use krilla::Document;
use layout::{Colour, Op, Page, PAGE_H, PAGE_W};

pub struct CertificateContent {
    /// e.g. 某某县档案馆
    pub archive_name: String,
    /// 档案证明
    pub title: String,
    /// e.g. 〔2026〕A第0001号
    pub number: String,
    /// e.g. K7QM-2XPD-9TFA
    pub verify_code: String,
    /// e.g. 2026年11月27日
    pub issued_on: String,
    /// Where the audit trail stood when it was issued, e.g. 第 123 条·3fa2c81e9b0d: a copy in
    /// the citizen's hands witnesses the chain, so a trail cut back later is caught.
    pub audit_position: String,
    /// The clerk's display name.
    pub clerk: String,
    pub requester: String,
    /// What the requester is called: 查档人 (came themselves) or 当事人 (a proxy or a unit asked
    /// for them); see `Relationship::subject_label`.
    pub requester_label: String,
    /// e.g. 620102************
    pub requester_id_masked: String,
    /// 本人 / 委托代理（代理人：张三） / 单位：…
    pub relationship: String,
    /// e.g. 退休待遇核定
    pub purpose: String,
    pub records: Vec<CertifiedRecord>,
}

pub struct CertifiedRecord {
    /// 档号 as stored, e.g. J012-WS·1998-Y-0034
    pub ref_code: String,
    pub title: String,
    /// As written, e.g. 1998年7月
    pub date: String,
    /// 文号
    pub doc_number: Option<String>,
    /// The requester's row transcribed: (column header, value) in source order.
    pub row: Vec<(String, String)>,
    pub pages: Vec<CertifiedPage>,
}

pub struct CertifiedPage {
    pub page_no: u32,
    /// The scanned page as stored: JPEG, PNG, TIFF or BMP bytes.
    pub image: Vec<u8>,
    /// Boxes the clerk drew over other people's rows, as fractions of the page (0..1, origin
    /// top-left).
    pub redactions: Vec<RedactionBox>,
}

#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RedactionBox {
    pub x: f32,
    pub y: f32,
    pub width: f32,
    pub height: f32,
}

/// The certificate as PDF bytes. Refuses text the font cannot print (naming the field and the
/// character) and scans that cannot be decoded (naming the record and page), rather than
/// issuing a certificate with something missing.
pub fn render_certificate(content: &CertificateContent) -> Result<Vec<u8>> {
    if content.records.is_empty() {
        return Err(Error::new(
            ErrorCode::InvalidRequest,
            "证明中没有档案，无法出具",
        ));
    }
    let fonts = Fonts::load()?;
    check_text(&fonts, content)?;
    let images = prepare_scans(content)?;
    let sizes: Vec<(u32, u32)> = images.iter().map(Image::size).collect();
    let pages = layout::lay_out(&fonts, content, &sizes);
    write_pdf(&fonts, content, &pages, &images)
}

fn check_text(fonts: &Fonts, content: &CertificateContent) -> Result<()> {
    let fields = [
        ("档案馆名称", &content.archive_name),
        ("证明标题", &content.title),
        ("证明编号", &content.number),
        ("核验码", &content.verify_code),
        ("出具日期", &content.issued_on),
        ("审计链位置", &content.audit_position),
        ("经办人", &content.clerk),
        ("查档人", &content.requester),
        ("查档人身份证号", &content.requester_id_masked),
        ("与档案关系", &content.relationship),
        ("利用目的", &content.purpose),
    ];
    for (field, text) in fields {
        fonts.check(field, text)?;
    }
    for record in &content.records {
        fonts.check("档号", &record.ref_code)?;
        let of = |what: &str| format!("档号 {} 的{what}", record.ref_code);
        fonts.check(&of("题名"), &record.title)?;
        fonts.check(&of("日期"), &record.date)?;
        if let Some(number) = &record.doc_number {
            fonts.check(&of("文号"), number)?;
        }
        for (header, value) in &record.row {
            fonts.check(&of("栏目名"), header)?;
            fonts.check(&of(&format!("「{header}」栏")), value)?;
        }
    }
    Ok(())
}

/// Every scanned page, redacted and ready to embed, in record order.
fn prepare_scans(content: &CertificateContent) -> Result<Vec<Image>> {
    let mut images = Vec::new();
    for record in &content.records {
        for page in &record.pages {
            let name = format!("扫描页 {} 第{}页", record.ref_code, page.page_no);
            if let Some(b) = page.redactions.iter().find(|b| !redact::is_area(b)) {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    format!("{name}的遮盖框不是有效的区域：{b:?}"),
                ));
            }
            let undecodable = |e: String| Error::new(ErrorCode::Io, format!("{name}无法解码：{e}"));
            let jpeg = redact::prepare(&page.image, &page.redactions).map_err(undecodable)?;
            images.push(Image::from_jpeg(jpeg.into(), false).map_err(undecodable)?);
        }
    }
    Ok(images)
}

fn write_pdf(
    fonts: &Fonts,
    content: &CertificateContent,
    pages: &[Page],
    images: &[Image],
) -> Result<Vec<u8>> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{} {}", content.title, content.number))
            .language("zh-CN".to_string())
            .creator("ArchiveDesk 档案查询台".to_string()),
    );
    // A face is embedded only when some text uses it.
    let mut pdf_fonts: Vec<Option<krilla::text::Font>> = vec![None; 5];
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H).expect("A4 is a valid page size");
    for ops in pages {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        for op in ops {
            draw(&mut surface, op, fonts, &mut pdf_fonts, images)?;
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法生成证明 PDF：{e:?}")))
}

fn colour(c: Colour) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn draw(
    surface: &mut Surface,
    op: &Op,
    fonts: &Fonts,
    pdf_fonts: &mut [Option<krilla::text::Font>],
    images: &[Image],
) -> Result<()> {
    match op {
        Op::Text {
            x,
            y,
            size,
            colour: c,
            text,
        } => {
            // Set the fill every time: a path drawn before may have cleared it, and text
            // without a fill is invisible.
            surface.set_stroke(None);
            surface.set_fill(Some(Fill {
                paint: colour(*c).into(),
                ..Default::default()
            }));
            let mut x = *x;
            for run in fonts.runs("证明文字", text)? {
                let font = match &pdf_fonts[run.face] {
                    Some(font) => font.clone(),
                    None => {
                        let font = Fonts::pdf_font(run.face)
                            .ok_or_else(|| Error::new(ErrorCode::Io, "证明所用字体无法读取"))?;
                        pdf_fonts[run.face] = Some(font.clone());
                        font
                    }
                };
                let start = Point::from_xy(x, *y);
                surface.draw_text(
                    start,
                    font,
                    *size,
                    run.text,
                    false,
                    TextDirection::LeftToRight,
                );
                x += fonts.width(run.text, *size);
            }
        }
        Op::Line {
            from,
            to,
            width,
            colour: c,
        } => {
            let mut path = PathBuilder::new();
            path.move_to(from.0, from.1);
            path.line_to(to.0, to.1);
            if let Some(path) = path.finish() {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke(*width, *c)));
                surface.draw_path(&path);
            }
        }
        Op::Rect {
            x,
            y,
            w,
            h,
            fill,
            stroke: edge,
        } => {
            let mut path = PathBuilder::new();
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                path.push_rect(rect);
            }
            if let Some(path) = path.finish() {
                surface.set_fill(fill.map(|c| Fill {
                    paint: colour(c).into(),
                    ..Default::default()
                }));
                surface.set_stroke(edge.map(|(width, c)| stroke(width, c)));
                surface.draw_path(&path);
            }
        }
        Op::Image { scan, x, y, w, h } => {
            if let Some(size) = Size::from_wh(*w, *h) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_image(images[*scan].clone(), size);
                surface.pop();
            }
        }
    }
    Ok(())
}

fn stroke(width: f32, c: Colour) -> Stroke {
    Stroke {
        paint: colour(c).into(),
        width,
        ..Default::default()
    }
}

// The PDFs are read back with poppler's tools, which the Windows test leg (under Wine) lacks;
// the rendering itself is the same code on every platform.
#[cfg(all(test, unix))]
mod tests;
