//! A scanned PDF as scanners and digitization vendors write them: each page one image filling
//! the page — a JPEG (DCTDecode), a black-and-white CCITT Group 4 image, or pixels compressed
//! with Flate — and no text. For tests of what reads those pages.

use image::{GrayImage, RgbImage};
use lopdf::{dictionary, Document, Object, Stream};

/// How a page's image is stored in the PDF.
pub enum PdfScan {
    /// JPEG at this quality.
    Jpeg(RgbImage, u8),
    /// Black and white (ink below 128), CCITT Group 4.
    Group4(GrayImage),
    /// 8-bit gray, Flate-compressed.
    Gray(GrayImage),
    /// Stored in a form this program does not read (the image's bytes are not decodable).
    Jbig2(u32, u32),
}

fn image_stream(scan: &PdfScan) -> Stream {
    let (width, height, color, bits, filter, params, bytes): (
        u32,
        u32,
        &str,
        i64,
        &str,
        Option<lopdf::Dictionary>,
        Vec<u8>,
    ) = match scan {
        PdfScan::Jpeg(image, quality) => {
            let mut bytes = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, *quality)
                .encode_image(image)
                .expect("a JPEG in memory");
            (
                image.width(),
                image.height(),
                "DeviceRGB",
                8,
                "DCTDecode",
                None,
                bytes,
            )
        }
        PdfScan::Group4(image) => {
            let mut encoder = fax::encoder::Encoder::new(fax::VecWriter::new());
            for row in image.rows() {
                let pels = row.map(|p| {
                    if p.0[0] < 128 {
                        fax::Color::Black
                    } else {
                        fax::Color::White
                    }
                });
                encoder
                    .encode_line(pels, image.width() as u16)
                    .expect("a line in memory");
            }
            let bytes = encoder.finish().expect("in memory").finish();
            let params = dictionary! {
                "K" => -1,
                "Columns" => image.width() as i64,
                "Rows" => image.height() as i64,
            };
            (
                image.width(),
                image.height(),
                "DeviceGray",
                1,
                "CCITTFaxDecode",
                Some(params),
                bytes,
            )
        }
        PdfScan::Gray(image) => {
            let mut stream = Stream::new(dictionary! {}, image.as_raw().clone());
            stream.compress().expect("Flate in memory");
            let bytes = stream.content;
            (
                image.width(),
                image.height(),
                "DeviceGray",
                8,
                "FlateDecode",
                None,
                bytes,
            )
        }
        PdfScan::Jbig2(width, height) => (
            *width,
            *height,
            "DeviceGray",
            1,
            "JBIG2Decode",
            None,
            vec![0x97, 0x4a, 0x42, 0x32],
        ),
    };
    let mut dict = dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => width as i64,
        "Height" => height as i64,
        "ColorSpace" => color,
        "BitsPerComponent" => bits,
        "Filter" => filter,
    };
    if let Some(params) = params {
        dict.set("DecodeParms", params);
    }
    Stream::new(dict, bytes).with_compression(false)
}

/// The PDF's bytes: one A4 page per scan, the image filling it.
pub fn scanned_pdf(scans: &[PdfScan]) -> Vec<u8> {
    let mut document = Document::with_version("1.5");
    let pages_id = document.new_object_id();
    let mut kids: Vec<Object> = Vec::new();
    for scan in scans {
        let image_id = document.add_object(image_stream(scan));
        // 595 × 842 points: the image drawn over the whole page.
        let content = b"q 595 0 0 842 0 0 cm /Im0 Do Q".to_vec();
        let content_id = document.add_object(Stream::new(dictionary! {}, content));
        let page_id = document.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
            "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => image_id } },
            "Contents" => content_id,
        });
        kids.push(page_id.into());
    }
    let count = kids.len() as i64;
    document.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog_id = document.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    document.trailer.set("Root", catalog_id);
    let mut bytes = Vec::new();
    document.save_to(&mut bytes).expect("a PDF in memory");
    bytes
}
