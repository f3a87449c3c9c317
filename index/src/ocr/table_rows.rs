//! A page's lines put back into the rows they were printed in. The detector finds each cell of
//! a table as a line of its own; a row's cells stand side by side at one height, so lines whose
//! heights overlap by half the lower one are one row, read left to right. The rows make the
//! page's text (one row per text line), so that a snippet shows the whole row a name is on.

use super::reader::PageLine;
use super::stored_lines::StoredLine;

/// Between the cells of a row in the page's text.
pub const CELL_GAP: &str = "　";

/// A line placed on the page: the four corners of its rectangle. Lines fresh from the
/// recognizer and lines kept in the store are both put back into rows.
pub trait Placed {
    fn corners(&self) -> [(f32, f32); 4];
}

impl Placed for PageLine {
    fn corners(&self) -> [(f32, f32); 4] {
        self.quad.0
    }
}

impl Placed for StoredLine {
    fn corners(&self) -> [(f32, f32); 4] {
        let q = &self.quad;
        [(q[0], q[1]), (q[2], q[3]), (q[4], q[5]), (q[6], q[7])]
    }
}

fn vertical_span(line: &impl Placed) -> (f32, f32) {
    let ys = line.corners().map(|p| p.1);
    (
        ys.iter().copied().fold(f32::INFINITY, f32::min),
        ys.iter().copied().fold(f32::NEG_INFINITY, f32::max),
    )
}

fn left(line: &impl Placed) -> f32 {
    line.corners()
        .iter()
        .map(|p| p.0)
        .fold(f32::INFINITY, f32::min)
}

/// The lines' indexes row by row, top to bottom, each row left to right.
pub fn rows(lines: &[impl Placed]) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    let centre = |i: usize| {
        let (top, bottom) = vertical_span(&lines[i]);
        (top + bottom) / 2.0
    };
    order.sort_by(|&a, &b| centre(a).total_cmp(&centre(b)));
    let mut rows: Vec<(f32, f32, Vec<usize>)> = Vec::new();
    for i in order {
        let (top, bottom) = vertical_span(&lines[i]);
        let joins = rows.last().is_some_and(|(row_top, row_bottom, _)| {
            let overlap = bottom.min(*row_bottom) - top.max(*row_top);
            let lower = (bottom - top).min(row_bottom - row_top);
            overlap >= lower / 2.0
        });
        if joins {
            let row = rows.last_mut().expect("joins a row");
            row.0 = row.0.min(top);
            row.1 = row.1.max(bottom);
            row.2.push(i);
        } else {
            rows.push((top, bottom, vec![i]));
        }
    }
    rows.into_iter()
        .map(|(_, _, mut row)| {
            row.sort_by(|&a, &b| left(&lines[a]).total_cmp(&left(&lines[b])));
            row
        })
        .collect()
}

/// The page's text: one row per line, its cells apart.
pub fn page_text(lines: &[PageLine]) -> String {
    rows(lines)
        .iter()
        .map(|row| {
            row.iter()
                .map(|&i| lines[i].text.trim())
                .filter(|t| !t.is_empty())
                .collect::<Vec<_>>()
                .join(CELL_GAP)
        })
        .filter(|row| !row.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ocr::text_regions::Quad;

    fn line(text: &str, x: f32, y: f32, w: f32) -> PageLine {
        PageLine {
            text: text.into(),
            confidence: 0.9,
            quad: Quad([(x, y), (x + w, y), (x + w, y + 20.0), (x, y + 20.0)]),
            chars: Vec::new(),
        }
    }

    #[test]
    fn cells_at_one_height_make_a_row_read_left_to_right() {
        // Found out of order, one row a little lower on the right (a page turned slightly).
        let lines = vec![
            line("男", 300.0, 104.0, 30.0),
            line("李四", 100.0, 140.0, 60.0),
            line("张三", 100.0, 100.0, 60.0),
            line("1956.03", 400.0, 108.0, 90.0),
            line("女", 300.0, 142.0, 30.0),
        ];
        assert_eq!(page_text(&lines), "张三　男　1956.03\n李四　女");
    }
}
