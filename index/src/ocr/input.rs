//! What the PP-OCR models are fed, as the reference pipeline (RapidOCR) feeds them: the page
//! shrunk to at most 2000 px and then to a detector size whose sides are multiples of 32, each
//! line cut out along its rectangle and scaled to 48 px high; pixels in BGR order, each channel
//! mapped from 0..255 to -1..1, laid out channel by channel (NCHW). Scaling is OpenCV's
//! bilinear (pixel centres, no smoothing when shrinking), which the models were run with.

use super::text_regions::Quad;
use image::{Rgb, RgbImage};

/// The longest side a page is recognized at.
const MAX_SIDE: f32 = 2000.0;
/// The detector's shortest side (smaller pages are scaled up to it).
const DETECTOR_MIN_SIDE: f32 = 736.0;
/// The recognizer's line height, and its narrowest width. RapidOCR pads every batch out to at
/// least 320 px; a table's cells are mostly a few characters (a name, 男, a date), so that is
/// mostly padding. Fed as wide as the batch's widest line, the recognizer reads a wage table
/// in half the time, and as well (measured by `bench ocr`: see README).
pub const LINE_HEIGHT: u32 = 48;
pub const MIN_LINE_WIDTH: u32 = LINE_HEIGHT;

/// `n` scaled by `ratio`, rounded to a multiple of 32 (halves to even, as Python rounds), at
/// least 32.
fn multiple_of_32(n: u32, ratio: f32) -> u32 {
    let scaled = (n as f32 * ratio).floor() / 32.0;
    let rounded = scaled.round_ties_even();
    (rounded as u32).max(1) * 32
}

/// The page as lines are found and read on: at most 2000 px on its longest side.
pub fn working_page(page: &RgbImage) -> RgbImage {
    let longest = page.width().max(page.height()) as f32;
    if longest <= MAX_SIDE {
        return page.clone();
    }
    let ratio = MAX_SIDE / longest;
    resize(
        page,
        multiple_of_32(page.width(), ratio),
        multiple_of_32(page.height(), ratio),
    )
}

/// The detector's input for the working page: its size and the NCHW tensor.
pub fn detector_input(working: &RgbImage) -> (u32, u32, Vec<f32>) {
    let shortest = working.width().min(working.height()) as f32;
    let longest = working.width().max(working.height()) as f32;
    // Scaled up to the detector's size, but a strip never past 2000 px long.
    let ratio = if shortest < DETECTOR_MIN_SIDE {
        (DETECTOR_MIN_SIDE / shortest).min((MAX_SIDE / longest).max(1.0))
    } else {
        1.0
    };
    let (w, h) = (
        multiple_of_32(working.width(), ratio),
        multiple_of_32(working.height(), ratio),
    );
    let scaled = resize(working, w, h);
    (w, h, tensor(&[&scaled], w))
}

/// A line cut out of the page, and whether it was turned a quarter (a vertical line, read top
/// to bottom).
pub struct LineImage {
    pub image: RgbImage,
    pub turned: bool,
}

/// The line inside `quad` on the working page, upright: sampled along its sides (bilinear), and
/// turned a quarter when it stands taller than 1.5 times its width (a vertical line).
pub fn line_image(working: &RgbImage, quad: &Quad) -> LineImage {
    let [tl, tr, _, bl] = quad.0;
    let w = quad.width().max(1.0) as u32;
    let h = quad.height().max(1.0) as u32;
    let mut line = RgbImage::new(w, h);
    for y in 0..h {
        for x in 0..w {
            let (u, v) = ((x as f32 + 0.5) / w as f32, (y as f32 + 0.5) / h as f32);
            let sx = tl.0 + u * (tr.0 - tl.0) + v * (bl.0 - tl.0);
            let sy = tl.1 + u * (tr.1 - tl.1) + v * (bl.1 - tl.1);
            line.put_pixel(x, y, sample(working, sx - 0.5, sy - 0.5));
        }
    }
    if h as f32 / w as f32 >= 1.5 {
        LineImage {
            image: image::imageops::rotate270(&line),
            turned: true,
        }
    } else {
        LineImage {
            image: line,
            turned: false,
        }
    }
}

/// The recognizer's input for a batch of lines: each scaled to 48 px high, the batch as wide as
/// its widest line (at least `MIN_LINE_WIDTH`), the rest left at 0 (mid-grey); answers the width and the
/// tensor, and each line's width in it.
pub fn recognizer_input(lines: &[&RgbImage]) -> (u32, Vec<f32>, Vec<u32>) {
    let ratio = |l: &RgbImage| l.width() as f32 / l.height().max(1) as f32;
    let widest = lines
        .iter()
        .map(|l| ratio(l))
        .fold(MIN_LINE_WIDTH as f32 / LINE_HEIGHT as f32, f32::max);
    let width = (LINE_HEIGHT as f32 * widest) as u32;
    let mut scaled = Vec::with_capacity(lines.len());
    let mut widths = Vec::with_capacity(lines.len());
    for line in lines {
        let w = ((LINE_HEIGHT as f32 * ratio(line)).ceil() as u32).clamp(1, width);
        scaled.push(resize(line, w, LINE_HEIGHT));
        widths.push(w);
    }
    let refs: Vec<&RgbImage> = scaled.iter().collect();
    (width, tensor(&refs, width), widths)
}

/// Images as one NCHW tensor `width` wide (each image left-aligned, zeros after it), in BGR order
/// and mapped to -1..1.
fn tensor(images: &[&RgbImage], width: u32) -> Vec<f32> {
    let height = images.first().map_or(0, |i| i.height());
    let plane = (height * width) as usize;
    let mut out = vec![0.0f32; images.len() * 3 * plane];
    for (n, img) in images.iter().enumerate() {
        for (x, y, Rgb(rgb)) in img.enumerate_pixels() {
            if x >= width || y >= height {
                continue;
            }
            let at = (y * width + x) as usize;
            for (c, value) in [rgb[2], rgb[1], rgb[0]].into_iter().enumerate() {
                out[(n * 3 + c) * plane + at] = (value as f32 / 255.0 - 0.5) / 0.5;
            }
        }
    }
    out
}

/// Bilinear scaling as OpenCV's INTER_LINEAR: each target pixel's centre mapped to the source,
/// the four nearest pixels mixed, no smoothing when shrinking.
pub fn resize(img: &RgbImage, w: u32, h: u32) -> RgbImage {
    let (sx, sy) = (
        img.width() as f32 / w as f32,
        img.height() as f32 / h as f32,
    );
    RgbImage::from_fn(w, h, |x, y| {
        sample(
            img,
            (x as f32 + 0.5) * sx - 0.5,
            (y as f32 + 0.5) * sy - 0.5,
        )
    })
}

/// The image at (x, y) in pixel-index coordinates, mixed from its four neighbours; edges
/// repeat outward.
fn sample(img: &RgbImage, x: f32, y: f32) -> Rgb<u8> {
    let (w, h) = (img.width() as i64, img.height() as i64);
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let at = |x: i64, y: i64| {
        img.get_pixel(x.clamp(0, w - 1) as u32, y.clamp(0, h - 1) as u32)
            .0
    };
    let (x0, y0) = (x0 as i64, y0 as i64);
    let (a, b, c, d) = (
        at(x0, y0),
        at(x0 + 1, y0),
        at(x0, y0 + 1),
        at(x0 + 1, y0 + 1),
    );
    let mut mixed = [0u8; 3];
    for i in 0..3 {
        let top = a[i] as f32 * (1.0 - fx) + b[i] as f32 * fx;
        let bottom = c[i] as f32 * (1.0 - fx) + d[i] as f32 * fx;
        mixed[i] = (top * (1.0 - fy) + bottom * fy).round().clamp(0.0, 255.0) as u8;
    }
    Rgb(mixed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_is_scaled_as_the_reference_scales_it() {
        // An A4 page at 300 dpi: 2480 × 3508 → 1408 × 1984 (62.5 rounds to 62, to even).
        let page = RgbImage::new(2480, 3508);
        let working = working_page(&page);
        assert_eq!((working.width(), working.height()), (1408, 1984));
        // Its shortest side is over 736: the detector takes it as it is.
        let (w, h, input) = detector_input(&working);
        assert_eq!((w, h), (1408, 1984));
        assert_eq!(input.len(), 3 * 1408 * 1984);
        // At 150 dpi (1240 × 1754) the page is kept, and the detector rounds to 32s.
        let small = working_page(&RgbImage::new(1240, 1754));
        assert_eq!((small.width(), small.height()), (1240, 1754));
        let (w, h, _) = detector_input(&small);
        assert_eq!((w, h), (1248, 1760));
        // A strip is scaled up no further than 2000 px along.
        let (w, h, _) = detector_input(&RgbImage::new(1000, 100));
        assert_eq!((w, h), (1984, 192));
    }

    #[test]
    fn pixels_go_in_bgr_order_mapped_to_minus_one_to_one() {
        let img = RgbImage::from_pixel(2, 1, Rgb([255, 0, 51]));
        let out = tensor(&[&img], 3);
        // Planes B, G, R, each 1 × 3; the third column is padding.
        assert_eq!(out.len(), 9);
        assert!((out[0] - (51.0 / 255.0 - 0.5) / 0.5).abs() < 1e-6);
        assert_eq!(out[3], -1.0);
        assert_eq!(out[6], 1.0);
        assert_eq!(out[2], 0.0);
    }

    #[test]
    fn lines_are_cut_along_their_rectangle_and_batched_48_high() {
        let mut page = RgbImage::from_pixel(100, 60, Rgb([255, 255, 255]));
        for y in 20..30 {
            for x in 10..90 {
                page.put_pixel(x, y, Rgb([0, 0, 0]));
            }
        }
        let quad = Quad([(10.0, 20.0), (90.0, 20.0), (90.0, 30.0), (10.0, 30.0)]);
        let line = line_image(&page, &quad);
        assert!(!line.turned);
        let line = line.image;
        assert_eq!((line.width(), line.height()), (80, 10));
        assert!(line.pixels().all(|p| p.0[0] < 64), "the line is all ink");
        let tall = line_image(
            &page,
            &Quad([(10.0, 0.0), (20.0, 0.0), (20.0, 40.0), (10.0, 40.0)]),
        );
        assert!(tall.turned);
        let tall = tall.image;
        assert_eq!(
            (tall.width(), tall.height()),
            (40, 10),
            "a vertical line is turned"
        );
        let (width, input, widths) = recognizer_input(&[&line, &tall]);
        assert_eq!(width, 384, "80 / 10 × 48");
        assert_eq!(widths, [384, 192]);
        assert_eq!(input.len(), 2 * 3 * 48 * 384);
    }
}
