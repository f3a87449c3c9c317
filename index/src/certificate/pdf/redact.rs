//! Scanned pages made ready for the certificate. A redaction is painted into the pixels and the
//! page re-encoded, so that the PDF holds no trace of what was covered: a black rectangle drawn
//! over an embedded original would hide it on screen only, and anyone could lift the image out.

use super::RedactionBox;
use image::codecs::jpeg::{JpegDecoder, JpegEncoder};
use image::{DynamicImage, GrayImage, ImageFormat, Rgb, RgbImage};
use std::io::Cursor;

const JPEG_QUALITY: u8 = 85;

/// The page as it goes into the PDF, always JPEG, with `boxes` blacked out. A JPEG with
/// nothing to cover is kept as it is (no loss, no time spent); everything else is decoded and
/// encoded again.
pub(super) fn prepare(bytes: &[u8], boxes: &[RedactionBox]) -> Result<Vec<u8>, String> {
    let format = image::guess_format(bytes).map_err(|_| "不是可识别的图像格式".to_string())?;
    if boxes.is_empty() && format == ImageFormat::Jpeg {
        // Reading the header is what the PDF writer will do with it; fail here, by page.
        JpegDecoder::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        return Ok(bytes.to_vec());
    }
    let image = image::load_from_memory_with_format(bytes, format).map_err(|e| e.to_string())?;
    if image.color().has_color() {
        let mut pixels = on_white(&image);
        for b in boxes {
            fill(&mut pixels, b, Rgb([0, 0, 0]));
        }
        encode(&pixels)
    } else {
        let mut pixels: GrayImage = DynamicImage::ImageRgb8(on_white(&image)).to_luma8();
        for b in boxes {
            fill(&mut pixels, b, image::Luma([0]));
        }
        encode(&pixels)
    }
}

/// Whether `b` is an area at all; one that reaches past the page is cut at its edges.
pub(super) fn is_area(b: &RedactionBox) -> bool {
    [b.x, b.y, b.width, b.height].iter().all(|v| v.is_finite()) && b.width > 0.0 && b.height > 0.0
}

/// The page as RGB, with any transparency laid over white paper (JPEG has no alpha, and a
/// transparent area dropped to its raw colour is often black).
fn on_white(image: &DynamicImage) -> RgbImage {
    if !image.color().has_alpha() {
        return image.to_rgb8();
    }
    let rgba = image.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((c as u32 * a as u32 + 255 * (255 - a as u32)) / 255) as u8;
        Rgb([over(r), over(g), over(b)])
    })
}

/// Fills the box, widened to whole pixels so that no partly covered pixel survives.
fn fill<P: image::Pixel>(
    pixels: &mut image::ImageBuffer<P, Vec<P::Subpixel>>,
    b: &RedactionBox,
    colour: P,
) {
    let (w, h) = (pixels.width() as f32, pixels.height() as f32);
    let span = |start: f32, length: f32, size: f32| {
        let from = (start.clamp(0.0, 1.0) * size).floor() as u32;
        let to = ((start + length).clamp(0.0, 1.0) * size).ceil() as u32;
        from..to
    };
    let rows = span(b.y, b.height, h);
    for x in span(b.x, b.width, w) {
        for y in rows.clone() {
            pixels.put_pixel(x, y, colour);
        }
    }
}

fn encode<P>(pixels: &image::ImageBuffer<P, Vec<u8>>) -> Result<Vec<u8>, String>
where
    P: image::Pixel<Subpixel = u8> + image::PixelWithColorType,
{
    let mut jpeg = Vec::new();
    JpegEncoder::new_with_quality(&mut jpeg, JPEG_QUALITY)
        .encode_image(pixels)
        .map_err(|e| e.to_string())?;
    Ok(jpeg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(image: RgbImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
            .unwrap();
        bytes
    }

    #[test]
    fn a_box_is_black_in_the_pixels_and_the_rest_is_kept() {
        let page = RgbImage::from_pixel(100, 200, Rgb([250, 250, 250]));
        let cover = RedactionBox {
            x: 0.5,
            y: 0.25,
            width: 0.25,
            height: 0.25,
        };
        let jpeg = prepare(&png(page), &[cover]).unwrap();
        let out = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert_eq!(out.dimensions(), (100, 200));
        assert!(out.get_pixel(62, 75).0.iter().all(|&c| c < 30));
        assert!(out.get_pixel(10, 10).0.iter().all(|&c| c > 230));
    }

    #[test]
    fn a_box_past_the_edge_is_cut_there_and_a_box_without_area_is_no_area() {
        let page = png(RgbImage::from_pixel(40, 40, Rgb([255, 255, 255])));
        let beyond = RedactionBox {
            x: 0.9,
            y: -0.5,
            width: 0.5,
            height: 2.0,
        };
        let jpeg = prepare(&page, &[beyond]).unwrap();
        let out = image::load_from_memory(&jpeg).unwrap().to_rgb8();
        assert!(out.get_pixel(39, 0).0.iter().all(|&c| c < 30));
        assert!(out.get_pixel(30, 20).0.iter().all(|&c| c > 230));
        let broken = RedactionBox {
            x: f32::NAN,
            y: 0.0,
            width: 0.1,
            height: 0.1,
        };
        assert!(!is_area(&broken));
        assert!(!is_area(&RedactionBox {
            width: 0.0,
            ..beyond
        }));
        assert!(prepare(b"not an image", &[]).is_err());
    }
}
