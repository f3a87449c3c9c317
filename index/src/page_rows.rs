//! The rows of a ruled table on a scanned page, found from its horizontal lines: a wage table or
//! a roster is printed as a grid, and the band between two ruled lines is one row. Used to cover
//! every row but the requester's in one step; the clerk checks the result, so a page without
//! lines (a letter) or a badly skewed scan simply yields nothing to suggest.

use image::GrayImage;

/// Darker than this is ink.
const INK_BELOW: u8 = 120;
/// A ruled line runs at least this share of the page's width (text never does).
const LINE_SHARE: f32 = 0.45;
/// Breaks in a printed or JPEG-blurred line up to this many pixels still make one run.
const RUN_GAP: u32 = 3;
/// Pixel rows of one line lie at most this far apart (a thick or doubled rule).
const LINE_THICKNESS: u32 = 4;
/// A row is at least this share of the page's height (closer lines are one doubled rule).
const MIN_ROW_SHARE: f32 = 0.008;

/// A row of the table, as fractions of the page's height (origin top).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RowBand {
    pub top: f32,
    pub bottom: f32,
}

/// The table's rows, top to bottom, and its left and right edges as fractions of the width.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRows {
    pub left: f32,
    pub right: f32,
    pub bands: Vec<RowBand>,
}

/// The longest run of ink along pixel row `y`: (start, end) in pixels.
fn longest_run(image: &GrayImage, y: u32) -> (u32, u32) {
    let (mut best, mut start, mut last_ink) = ((0, 0), None::<u32>, 0);
    for x in 0..image.width() {
        if image.get_pixel(x, y)[0] >= INK_BELOW {
            continue;
        }
        match start {
            Some(s) if x - last_ink <= RUN_GAP + 1 => {
                if x - s > best.1 - best.0 {
                    best = (s, x);
                }
            }
            _ => start = Some(x),
        }
        last_ink = x;
    }
    best
}

/// A ruled line: its middle pixel row and the extent of its longest run.
struct Line {
    y: f32,
    left: u32,
    right: u32,
}

fn ruled_lines(image: &GrayImage) -> Vec<Line> {
    let min_run = (image.width() as f32 * LINE_SHARE) as u32;
    let mut lines: Vec<(u32, u32, u32, u32)> = Vec::new(); // first y, last y, left, right
    for y in 0..image.height() {
        let (left, right) = longest_run(image, y);
        if right - left < min_run {
            continue;
        }
        match lines.last_mut() {
            Some(line) if y - line.1 <= LINE_THICKNESS => {
                line.1 = y;
                line.2 = line.2.min(left);
                line.3 = line.3.max(right);
            }
            _ => lines.push((y, y, left, right)),
        }
    }
    lines
        .into_iter()
        .map(|(first, last, left, right)| Line {
            y: (first + last) as f32 / 2.0,
            left,
            right,
        })
        .collect()
}

/// The table's rows, or None when the page has fewer than two ruled lines.
pub fn table_rows(image: &GrayImage) -> Option<TableRows> {
    let (width, height) = (image.width() as f32, image.height() as f32);
    if width < 1.0 || height < 1.0 {
        return None;
    }
    let lines = ruled_lines(image);
    let min_row = height * MIN_ROW_SHARE;
    let mut bands = Vec::new();
    let mut top: Option<f32> = None;
    for line in &lines {
        match top {
            Some(t) if line.y - t < min_row => {}
            Some(t) => {
                bands.push(RowBand {
                    top: t / height,
                    bottom: line.y / height,
                });
                top = Some(line.y);
            }
            None => top = Some(line.y),
        }
    }
    if bands.is_empty() {
        return None;
    }
    let left = lines.iter().map(|l| l.left).min()? as f32 / width;
    let right = lines.iter().map(|l| l.right).max()? as f32 / width;
    Some(TableRows { left, right, bands })
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::Luma;

    /// A 600×800 page: ruled lines every 40 px from y = 100, as a table would print them, with
    /// "text" (short dashes) in each row.
    fn ruled(lines: u32, jitter: bool) -> GrayImage {
        let mut page = GrayImage::from_pixel(600, 800, Luma([245]));
        for i in 0..lines {
            let y = 100 + i * 40;
            for x in 50..550 {
                // A scanner drops a pixel here and there.
                if jitter && x % 37 == 0 {
                    continue;
                }
                page.put_pixel(x, y, Luma([25]));
                page.put_pixel(x, y + 1, Luma([60]));
            }
            if i + 1 < lines {
                for x in (60..540).step_by(12) {
                    for dx in 0..7 {
                        page.put_pixel(x + dx, y + 20, Luma([30]));
                    }
                }
            }
        }
        page
    }

    #[test]
    fn the_band_between_two_ruled_lines_is_a_row_and_text_is_no_line() {
        let rows = table_rows(&ruled(5, true)).unwrap();
        assert_eq!(rows.bands.len(), 4);
        let first = rows.bands[0];
        assert!((first.top * 800.0 - 100.5).abs() < 1.0, "{first:?}");
        assert!((first.bottom * 800.0 - 140.5).abs() < 1.0, "{first:?}");
        assert!((rows.left * 600.0 - 50.0).abs() < 2.0 && (rows.right * 600.0 - 549.0).abs() < 2.0);
    }

    #[test]
    fn a_page_without_a_table_has_no_rows() {
        assert_eq!(table_rows(&ruled(1, false)), None);
        assert_eq!(
            table_rows(&GrayImage::from_pixel(300, 400, Luma([250]))),
            None
        );
    }
}
