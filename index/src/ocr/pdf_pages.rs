//! The page images of a scanned PDF, for the recognizer: a scanner or a digitization vendor
//! saves each page as one image in a PDF (JPEG, or black-and-white CCITT Group 4, or raw pixels
//! compressed with Flate). Nothing is rendered: each page's largest image is decoded as it is
//! stored, which is the scan itself, and turned as the page says (/Rotate). A page whose image
//! is in a form not read here (JBIG2, JPEG 2000) makes the file unreadable, said in words for
//! the clerk, and so does a PDF without any image (a text PDF needs no reading).
//!
//! A PDF comes from outside and may be crafted: every size is checked before it is used, every
//! decompression is bounded, a page listed twice is read once, and the caller may stop between
//! pages.

use image::{DynamicImage, GrayImage, RgbImage};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, Stream};
use std::collections::HashSet;
use std::path::Path;

/// As for the viewer's images: larger is not a scan of a page (see `page_image::decode`).
const MAX_SIDE: i64 = 16_384;
const MAX_PIXELS: i64 = 100_000_000;
const MAX_DECODE_BYTES: u64 = 384 << 20;
/// The file is read whole into memory beside the models (about 400 MB while reading): a larger
/// one is left unread rather than exhausting an office PC.
const MAX_FILE_BYTES: u64 = 256 << 20;
/// What any one of the file's own structures (object streams) may inflate to.
const MAX_STRUCTURE_BYTES: usize = 16 << 20;
/// More pages than a volume has: a file listing more is not a scan.
const MAX_PAGES: usize = 2_000;
/// How far up the page tree an inherited /Rotate is looked for.
const MAX_TREE_DEPTH: usize = 32;

/// Each page's scan, in page order; `each` is given the page number (from 1) and its image, and
/// an error ends the reading. Pages without an image (a blank separator page) are passed over.
/// Returns false when `keep_going` said to stop before the last page.
pub fn each_page_image(
    path: &Path,
    keep_going: &dyn Fn() -> bool,
    mut each: impl FnMut(u32, DynamicImage) -> Result<(), String>,
) -> Result<bool, String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "PDF 文件过大（{} MB，上限 {} MB），没有读取",
            size >> 20,
            MAX_FILE_BYTES >> 20
        ));
    }
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_STRUCTURE_BYTES),
        ..LoadOptions::default()
    };
    let document =
        Document::load_with_options(path, options).map_err(|e| format!("PDF 无法打开（{e}）"))?;
    if document.is_encrypted() {
        return Err("PDF 已加密，无法读取其中的扫描图像".into());
    }
    let pages = document.get_pages();
    if pages.len() > MAX_PAGES {
        return Err(format!(
            "PDF 有 {} 页，超过 {MAX_PAGES} 页的上限，没有读取",
            pages.len()
        ));
    }
    let mut seen_pages: HashSet<ObjectId> = HashSet::new();
    let mut images_read = 0usize;
    for (page_no, page_id) in pages {
        if !seen_pages.insert(page_id) {
            continue;
        }
        if !keep_going() {
            return Ok(false);
        }
        let images = document
            .get_page_images(page_id)
            .map_err(|e| format!("第 {page_no} 页的图像无法读取（{e}）"))?;
        let Some(largest) = images
            .iter()
            .max_by_key(|i| i.width.saturating_mul(i.height))
        else {
            continue;
        };
        let stream = match document.get_object(largest.id) {
            Ok(Object::Stream(stream)) => stream,
            _ => return Err(format!("第 {page_no} 页的图像无法读取")),
        };
        let image = decode(&document, stream, largest.width, largest.height)
            .map_err(|why| format!("第 {page_no} 页的图像{why}"))?;
        images_read += 1;
        each(page_no, turned(image, rotation(&document, page_id)))?;
    }
    if images_read == 0 {
        return Err("PDF 中没有扫描图像（可能是文字版 PDF），没有识别".into());
    }
    Ok(true)
}

/// The page's /Rotate (inherited from the page tree), in quarter turns clockwise.
fn rotation(document: &Document, page_id: ObjectId) -> i64 {
    let mut node = document.get_dictionary(page_id).ok();
    for _ in 0..MAX_TREE_DEPTH {
        let Some(dict) = node else { break };
        if let Ok(rotate) = dict.get(b"Rotate").and_then(Object::as_i64) {
            return rotate.rem_euclid(360) / 90;
        }
        node = dict
            .get(b"Parent")
            .and_then(Object::as_reference)
            .and_then(|parent| document.get_dictionary(parent))
            .ok();
    }
    0
}

fn turned(image: DynamicImage, quarter_turns: i64) -> DynamicImage {
    match quarter_turns {
        1 => image.rotate90(),
        2 => image.rotate180(),
        3 => image.rotate270(),
        _ => image,
    }
}

/// An entry of the image's dictionary, followed if it is a reference.
fn entry<'a>(document: &'a Document, dict: &'a Dictionary, key: &[u8]) -> Option<&'a Object> {
    let object = dict.get(key).ok()?;
    document.dereference(object).ok().map(|(_, o)| o)
}

fn filters(document: &Document, stream: &Stream) -> Vec<Vec<u8>> {
    match entry(document, &stream.dict, b"Filter") {
        Some(Object::Name(name)) => vec![name.clone()],
        Some(Object::Array(names)) => names
            .iter()
            .filter_map(|n| n.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

fn int_in(document: &Document, dict: Option<&Dictionary>, key: &[u8]) -> Option<i64> {
    entry(document, dict?, key)?.as_i64().ok()
}

fn decode(
    document: &Document,
    stream: &Stream,
    width: i64,
    height: i64,
) -> Result<DynamicImage, String> {
    if !(1..=MAX_SIDE).contains(&width)
        || !(1..=MAX_SIDE).contains(&height)
        || width * height > MAX_PIXELS
    {
        return Err(format!("尺寸不合常理（{width}×{height} 像素），没有读取"));
    }
    let filters = filters(document, stream);
    match filters.last().map(Vec::as_slice) {
        Some(b"DCTDecode") if filters.len() == 1 => jpeg(&stream.content),
        Some(b"CCITTFaxDecode") if filters.len() == 1 => fax_image(document, stream, width, height),
        Some(b"JBIG2Decode") => Err("是 JBIG2 压缩的黑白图像，本程序不能读取".into()),
        Some(b"JPXDecode") => Err("是 JPEG 2000 图像，本程序不能读取".into()),
        _ => raw_image(document, stream, width, height),
    }
}

/// A JPEG as stored, within the viewer's limits (its own header says its size, whatever the
/// PDF's dictionary says).
fn jpeg(bytes: &[u8]) -> Result<DynamicImage, String> {
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Jpeg);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE as u32);
    limits.max_image_height = Some(MAX_SIDE as u32);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader
        .decode()
        .map_err(|e| format!("（JPEG）无法解码：{e}"))
}

/// The number of colour components of the image's colour space; none for one not read here.
fn components(document: &Document, stream: &Stream) -> Option<usize> {
    if matches!(
        entry(document, &stream.dict, b"ImageMask"),
        Some(Object::Boolean(true))
    ) {
        return Some(1);
    }
    let space = entry(document, &stream.dict, b"ColorSpace")?;
    let (name, rest) = match space {
        Object::Name(name) => (name.as_slice(), None),
        Object::Array(parts) => (parts.first()?.as_name().ok()?, parts.get(1)),
        _ => return None,
    };
    match name {
        b"DeviceGray" | b"CalGray" | b"G" => Some(1),
        b"DeviceRGB" | b"CalRGB" | b"RGB" => Some(3),
        b"ICCBased" => {
            let profile = document.dereference(rest?).ok()?.1.as_stream().ok()?;
            match profile.dict.get(b"N").ok()?.as_i64().ok()? {
                1 => Some(1),
                3 => Some(3),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Pixels as stored, after the general filters (Flate, LZW …): 8-bit gray or RGB, or 1-bit.
fn raw_image(
    document: &Document,
    stream: &Stream,
    width: i64,
    height: i64,
) -> Result<DynamicImage, String> {
    let image_mask = matches!(
        entry(document, &stream.dict, b"ImageMask"),
        Some(Object::Boolean(true))
    );
    let bits = match int_in(document, Some(&stream.dict), b"BitsPerComponent") {
        Some(bits) => bits,
        None if image_mask => 1,
        None => 8,
    };
    if bits != 1 && bits != 8 {
        return Err(format!("为每像素 {bits} 位，本程序不能读取"));
    }
    let components = components(document, stream)
        .or((bits == 1).then_some(1))
        .ok_or("的颜色空间本程序不能读取")?;
    if bits == 1 && components != 1 {
        return Err("为每像素 1 位的彩色图像，本程序不能读取".into());
    }
    let (w, h) = (width as usize, height as usize);
    let row_bytes = (w * components * bits as usize).div_ceil(8);
    let mut data = stream
        .decompressed_content_with_limit(row_bytes * h + 1024)
        .map_err(|e| format!("无法解压（{e}）"))?;
    if data.len() < row_bytes * h {
        return Err("的数据不完整".into());
    }
    let (width, height) = (width as u32, height as u32);
    match (bits, components) {
        (8, 1) => {
            data.truncate(w * h);
            Ok(DynamicImage::ImageLuma8(
                GrayImage::from_raw(width, height, data).expect("size checked"),
            ))
        }
        (8, _) => {
            data.truncate(w * h * 3);
            Ok(DynamicImage::ImageRgb8(
                RgbImage::from_raw(width, height, data).expect("size checked"),
            ))
        }
        _ => {
            let inverted = decode_inverted(stream);
            Ok(DynamicImage::ImageLuma8(GrayImage::from_fn(
                width,
                height,
                |x, y| {
                    let byte = data[y as usize * row_bytes + x as usize / 8];
                    let set = byte & (0x80 >> (x % 8)) != 0;
                    image::Luma([if set != inverted { 255 } else { 0 }])
                },
            )))
        }
    }
}

/// Whether a stored 1 is drawn black (/Decode [1 0]); by default a 1 is white.
fn decode_inverted(stream: &Stream) -> bool {
    matches!(stream.dict.get(b"Decode"), Ok(Object::Array(d))
        if d.first().and_then(|v| v.as_float().ok()) == Some(1.0))
}

/// A black-and-white scan in CCITT Group 4 (K < 0), as most archive scanners write them.
fn fax_image(
    document: &Document,
    stream: &Stream,
    width: i64,
    height: i64,
) -> Result<DynamicImage, String> {
    let params = match entry(document, &stream.dict, b"DecodeParms") {
        Some(Object::Dictionary(d)) => Some(d),
        Some(Object::Array(a)) => a
            .first()
            .and_then(|d| document.dereference(d).ok())
            .and_then(|(_, d)| d.as_dict().ok()),
        _ => None,
    };
    if int_in(document, params, b"K").unwrap_or(0) >= 0 {
        return Err("是 CCITT G3 编码的黑白图像，本程序只能读取 G4".into());
    }
    // The runs are as wide as /Columns says (the image's width unless given).
    let columns = int_in(document, params, b"Columns").unwrap_or(width);
    if columns != width {
        return Err(format!("的编码宽度（{columns}）与图像宽度（{width}）不符"));
    }
    // A black run is stored as 0 unless BlackIs1, and a stored 0 is drawn black unless the
    // image's /Decode turns it round: both say how the page looks.
    let black_is_1 = matches!(
        params.and_then(|p| p.get(b"BlackIs1").ok()),
        Some(Object::Boolean(true))
    );
    let flipped = black_is_1 != decode_inverted(stream);
    let (w, h) = (width as u16, height as u16);
    let mut pixels: Vec<u8> = Vec::with_capacity(width as usize * height as usize);
    let mut rows = 0usize;
    fax::decoder::decode_g4(stream.content.iter().copied(), w, Some(h), |transitions| {
        if rows < h as usize {
            pixels.extend(fax::decoder::pels(transitions, w).map(|c| {
                let black = matches!(c, fax::Color::Black) != flipped;
                if black {
                    0
                } else {
                    255
                }
            }));
            rows += 1;
        }
    })
    .ok_or_else(|| "（CCITT G4）无法解码".to_string())?;
    pixels.resize(width as usize * height as usize, 255);
    Ok(DynamicImage::ImageLuma8(
        GrayImage::from_raw(width as u32, height as u32, pixels).expect("size checked"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::{scanned_pdf, PdfScan};

    /// A page of text-like strokes: black bars on white, so that every form keeps them.
    fn strokes(width: u32, height: u32) -> GrayImage {
        GrayImage::from_fn(width, height, |x, y| {
            image::Luma([if (x / 8) % 3 == 0 && (y / 10) % 2 == 0 {
                0
            } else {
                255
            }])
        })
    }

    fn pages_of(bytes: &[u8]) -> Result<Vec<(u32, GrayImage)>, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("扫描件.pdf");
        std::fs::write(&path, bytes).unwrap();
        let mut pages = Vec::new();
        each_page_image(&path, &|| true, |n, image| {
            pages.push((n, image.to_luma8()));
            Ok(())
        })?;
        Ok(pages)
    }

    fn mean_difference(a: &GrayImage, b: &GrayImage) -> f64 {
        assert_eq!(a.dimensions(), b.dimensions());
        let sum: u64 = a
            .pixels()
            .zip(b.pixels())
            .map(|(p, q)| p.0[0].abs_diff(q.0[0]) as u64)
            .sum();
        sum as f64 / (a.width() * a.height()) as f64
    }

    #[test]
    fn each_page_image_is_decoded_as_stored() {
        let page = strokes(240, 320);
        let colour = image::DynamicImage::ImageLuma8(page.clone()).to_rgb8();
        let pdf = scanned_pdf(&[
            PdfScan::Jpeg(colour, 90),
            PdfScan::Group4(page.clone()),
            PdfScan::Gray(page.clone()),
        ]);
        let pages = pages_of(&pdf).unwrap();
        assert_eq!(pages.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 2, 3]);
        // JPEG is lossy; the other two are exact.
        assert!(mean_difference(&pages[0].1, &page) < 8.0);
        assert_eq!(pages[1].1, page, "CCITT G4");
        assert_eq!(pages[2].1, page, "Flate");
    }

    #[test]
    fn a_page_in_a_form_not_read_is_said_by_page() {
        let pdf = scanned_pdf(&[PdfScan::Gray(strokes(40, 40)), PdfScan::Jbig2(40, 40)]);
        let why = pages_of(&pdf).unwrap_err();
        assert!(why.contains("第 2 页") && why.contains("JBIG2"), "{why}");
        let broken = pages_of(b"%PDF-1.4 not really").unwrap_err();
        assert!(broken.contains("PDF"), "{broken}");
    }

    #[test]
    fn a_page_tree_that_lists_itself_ends() {
        use lopdf::dictionary;
        let mut document = Document::with_version("1.5");
        let pages_id = document.new_object_id();
        document.objects.insert(
            pages_id,
            Object::Dictionary(
                dictionary! { "Type" => "Pages", "Kids" => vec![pages_id.into()], "Count" => 1 },
            ),
        );
        let catalog = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
        document.trailer.set("Root", catalog);
        let mut bytes = Vec::new();
        document.save_to(&mut bytes).unwrap();
        let why = pages_of(&bytes).unwrap_err();
        assert!(why.contains("没有扫描图像"), "{why}");
    }

    #[test]
    fn a_page_turned_in_the_pdf_is_read_upright_and_a_reader_may_stop_between_pages() {
        let pdf = scanned_pdf(&[
            PdfScan::Gray(strokes(40, 60)),
            PdfScan::Gray(strokes(40, 60)),
        ]);
        let mut document = Document::load_mem(&pdf).unwrap();
        let first = document.get_pages()[&1];
        document
            .get_dictionary_mut(first)
            .unwrap()
            .set("Rotate", 90);
        let mut turned = Vec::new();
        document.save_to(&mut turned).unwrap();
        let pages = pages_of(&turned).unwrap();
        assert_eq!(pages[0].1.dimensions(), (60, 40), "turned a quarter");
        assert_eq!(pages[1].1.dimensions(), (40, 60));

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("两页.pdf");
        std::fs::write(&path, &pdf).unwrap();
        let asked = std::cell::Cell::new(0);
        let mut read = 0;
        let finished = each_page_image(
            &path,
            &|| {
                asked.set(asked.get() + 1);
                asked.get() < 2
            },
            |_, _| {
                read += 1;
                Ok(())
            },
        )
        .unwrap();
        assert!(!finished);
        assert_eq!(read, 1, "stopped before the second page");
    }
}
