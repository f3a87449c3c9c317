//! Merged cells: vendors merge the 档号 and 题名 columns over all rows of a document, and the
//! title row across the sheet. Every cell of a merged region reads as its top-left value.

use super::cell::Cell;

#[derive(Debug, Clone, Copy)]
pub struct Region {
    pub first_row: u32,
    pub last_row: u32,
    pub first_col: u32,
    pub last_col: u32,
}

/// Regions in row order, with the values of their top-left cells as they stream past.
pub struct MergeFill {
    regions: Vec<Region>,
    values: Vec<Option<Cell>>,
    next: usize,
    active: Vec<usize>,
}

impl MergeFill {
    pub fn new(mut regions: Vec<Region>) -> Self {
        regions.sort_by_key(|r| (r.first_row, r.first_col));
        let values = vec![None; regions.len()];
        MergeFill {
            regions,
            values,
            next: 0,
            active: Vec::new(),
        }
    }

    /// Fill one row (0-based `row`) in place. Rows must come in increasing order.
    pub fn fill(&mut self, row: u32, cells: &mut Vec<Cell>) {
        while self.next < self.regions.len() && self.regions[self.next].first_row <= row {
            self.active.push(self.next);
            self.next += 1;
        }
        let (regions, values) = (&self.regions, &mut self.values);
        // A region that ended no longer needs its value; clearing it here keeps each row's
        // work proportional to the regions it touches, not to all regions seen so far.
        self.active.retain(|&i| {
            let open = regions[i].last_row >= row;
            if !open {
                values[i] = None;
            }
            open
        });
        for &i in &self.active {
            let r = self.regions[i];
            if r.first_row == row {
                self.values[i] = Some(
                    cells
                        .get(r.first_col as usize)
                        .cloned()
                        .unwrap_or(Cell::Empty),
                );
            }
            let Some(value) = &self.values[i] else {
                continue;
            };
            if cells.len() <= r.last_col as usize {
                cells.resize(r.last_col as usize + 1, Cell::Empty);
            }
            for col in r.first_col..=r.last_col {
                let cell = &mut cells[col as usize];
                if cell.is_empty() {
                    *cell = value.clone();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vertical_merge_fills_down_and_title_fills_across() {
        let mut fill = MergeFill::new(vec![
            Region {
                first_row: 0,
                last_row: 0,
                first_col: 0,
                last_col: 2,
            },
            Region {
                first_row: 2,
                last_row: 4,
                first_col: 0,
                last_col: 0,
            },
        ]);
        let mut title = vec![Cell::Text("表".into())];
        fill.fill(0, &mut title);
        assert_eq!(title.len(), 3);
        assert_eq!(title[2], Cell::Text("表".into()));
        let mut r2 = vec![Cell::Text("J1".into()), Cell::Text("张三".into())];
        fill.fill(2, &mut r2);
        let mut r3 = vec![Cell::Empty, Cell::Text("李四".into())];
        fill.fill(3, &mut r3);
        assert_eq!(r3[0], Cell::Text("J1".into()));
        let mut r5 = vec![Cell::Empty, Cell::Text("王五".into())];
        fill.fill(5, &mut r5);
        assert_eq!(r5[0], Cell::Empty, "the region ended at row 4");
    }
}
