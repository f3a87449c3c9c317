//! The page images of a scanned PDF, for the recognizer: a scanner or a digitization vendor
//! saves each page as one image in a PDF (JPEG, or black-and-white CCITT Group 4, or raw pixels
//! compressed with Flate). Nothing is rendered: each page's largest image is decoded as it is
//! stored, which is the scan itself. A page whose image is in a form not read here (JBIG2,
//! JPEG 2000) makes the file unreadable, said in words for the clerk.

use image::{DynamicImage, GrayImage, RgbImage};
use lopdf::{Document, Object, Stream};
use std::path::Path;

/// As for the viewer's images: larger is not a scan of a page (see `page_image::decode`).
const MAX_SIDE: i64 = 16_384;
const MAX_PIXELS: i64 = 100_000_000;
/// The file is read whole into memory beside the models (about 400 MB while reading): a larger
/// one is left unread rather than exhausting an office PC.
const MAX_FILE_BYTES: u64 = 512 << 20;

/// Each page's scan, in page order; `each` is given the page number (from 1) and its image, and
/// an error ends the reading. Pages without an image (a blank separator page) are passed over.
pub fn each_page_image(
    path: &Path,
    mut each: impl FnMut(u32, DynamicImage) -> Result<(), String>,
) -> Result<(), String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!("PDF 文件过大（{} MB），没有读取", size >> 20));
    }
    let document = Document::load(path).map_err(|e| format!("PDF 无法打开（{e}）"))?;
    if document.is_encrypted() {
        return Err("PDF 已加密，无法读取其中的扫描图像".into());
    }
    for (page_no, page_id) in document.get_pages() {
        let images = document
            .get_page_images(page_id)
            .map_err(|e| format!("第 {page_no} 页的图像无法读取（{e}）"))?;
        let Some(largest) = images.iter().max_by_key(|i| i.width * i.height) else {
            continue;
        };
        let stream = match document.get_object(largest.id) {
            Ok(Object::Stream(stream)) => stream,
            _ => return Err(format!("第 {page_no} 页的图像无法读取")),
        };
        let image = decode(stream, largest.width, largest.height)
            .map_err(|why| format!("第 {page_no} 页的图像{why}"))?;
        each(page_no, image)?;
    }
    Ok(())
}

fn filters(stream: &Stream) -> Vec<Vec<u8>> {
    match stream.dict.get(b"Filter") {
        Ok(Object::Name(name)) => vec![name.clone()],
        Ok(Object::Array(names)) => names
            .iter()
            .filter_map(|n| n.as_name().ok().map(<[u8]>::to_vec))
            .collect(),
        _ => Vec::new(),
    }
}

fn int_in(dict: Option<&lopdf::Dictionary>, key: &[u8]) -> Option<i64> {
    dict?.get(key).ok()?.as_i64().ok()
}

fn decode(stream: &Stream, width: i64, height: i64) -> Result<DynamicImage, String> {
    if !(1..=MAX_SIDE).contains(&width)
        || !(1..=MAX_SIDE).contains(&height)
        || width * height > MAX_PIXELS
    {
        return Err(format!("尺寸不合常理（{width}×{height} 像素），没有读取"));
    }
    let filters = filters(stream);
    match filters.last().map(Vec::as_slice) {
        Some(b"DCTDecode") if filters.len() == 1 => {
            image::load_from_memory_with_format(&stream.content, image::ImageFormat::Jpeg)
                .map_err(|e| format!("（JPEG）无法解码：{e}"))
        }
        Some(b"CCITTFaxDecode") if filters.len() == 1 => fax_image(stream, width, height),
        Some(b"JBIG2Decode") => Err("是 JBIG2 压缩的黑白图像，本程序不能读取".into()),
        Some(b"JPXDecode") => Err("是 JPEG 2000 图像，本程序不能读取".into()),
        _ => raw_image(stream, width, height),
    }
}

/// Pixels as stored, after the general filters (Flate, LZW …): 8-bit gray or RGB, or 1-bit.
fn raw_image(stream: &Stream, width: i64, height: i64) -> Result<DynamicImage, String> {
    let bits = int_in(Some(&stream.dict), b"BitsPerComponent").unwrap_or(8);
    let components = match stream.dict.get(b"ColorSpace") {
        Ok(Object::Name(name)) if name == b"DeviceRGB" => 3,
        Ok(Object::Name(name)) if name == b"DeviceGray" => 1,
        _ if bits == 1 => 1,
        _ => return Err("的颜色空间本程序不能读取".into()),
    };
    let (w, h) = (width as usize, height as usize);
    let row_bytes = (w * components * bits as usize).div_ceil(8);
    let data = stream
        .decompressed_content_with_limit(row_bytes * h + 1024)
        .map_err(|e| format!("无法解压（{e}）"))?;
    if data.len() < row_bytes * h {
        return Err("的数据不完整".into());
    }
    match (bits, components) {
        (8, 1) => Ok(DynamicImage::ImageLuma8(
            GrayImage::from_raw(width as u32, height as u32, data[..w * h].to_vec())
                .expect("size checked"),
        )),
        (8, 3) => Ok(DynamicImage::ImageRgb8(
            RgbImage::from_raw(width as u32, height as u32, data[..w * h * 3].to_vec())
                .expect("size checked"),
        )),
        (1, 1) => {
            let inverted = decode_inverted(stream);
            Ok(DynamicImage::ImageLuma8(GrayImage::from_fn(
                width as u32,
                height as u32,
                |x, y| {
                    let byte = data[y as usize * row_bytes + x as usize / 8];
                    let set = byte & (0x80 >> (x % 8)) != 0;
                    image::Luma([if set != inverted { 255 } else { 0 }])
                },
            )))
        }
        _ => Err(format!("为每像素 {bits} 位，本程序不能读取")),
    }
}

/// Whether a stored 1 is drawn black (/Decode [1 0]); by default a 1 is white.
fn decode_inverted(stream: &Stream) -> bool {
    matches!(stream.dict.get(b"Decode"), Ok(Object::Array(d))
        if d.first().and_then(|v| v.as_float().ok()) == Some(1.0))
}

/// A black-and-white scan in CCITT Group 4 (K < 0), as most archive scanners write them.
fn fax_image(stream: &Stream, width: i64, height: i64) -> Result<DynamicImage, String> {
    let params = match stream.dict.get(b"DecodeParms") {
        Ok(Object::Dictionary(d)) => Some(d),
        Ok(Object::Array(a)) => a.first().and_then(|d| d.as_dict().ok()),
        _ => None,
    };
    if int_in(params, b"K").unwrap_or(0) >= 0 {
        return Err("是 CCITT G3 编码的黑白图像，本程序只能读取 G4".into());
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
        each_page_image(&path, |n, image| {
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
        assert_eq!(pages_of(&bytes).unwrap().len(), 0);
    }
}
