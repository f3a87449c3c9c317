//! Where the text lines are, from the detection model's probability map, as PaddleOCR's DB
//! post-processing finds them: the map thresholded and dilated, each connected region taken as
//! the smallest rotated rectangle around it, kept when the map is sure enough inside it, grown
//! by the ratio the model was trained to shrink lines by, and scaled to the page.

/// A pixel is text when the map says so this surely.
const THRESHOLD: f32 = 0.3;
/// A region is a line when the map's mean inside its rectangle is this sure.
const BOX_THRESHOLD: f32 = 0.5;
/// How much the model shrank lines in training: a region grows back by area × ratio ÷ perimeter.
const UNCLIP_RATIO: f32 = 1.6;
/// Regions read at most, as the reference does.
const MAX_CANDIDATES: usize = 1000;
/// Rectangles thinner than this (in map pixels) are specks, before and after growing.
const MIN_SIDE: f32 = 3.0;

/// A point on the page, in pixels.
pub type Point = (f32, f32);

/// A line's rectangle, corners top-left, top-right, bottom-right, bottom-left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quad(pub [Point; 4]);

impl Quad {
    pub fn width(&self) -> f32 {
        distance(self.0[0], self.0[1]).max(distance(self.0[3], self.0[2]))
    }

    pub fn height(&self) -> f32 {
        distance(self.0[0], self.0[3]).max(distance(self.0[1], self.0[2]))
    }
}

/// The detection model's output for one page: `width` × `height` probabilities, row by row.
pub struct ProbabilityMap<'a> {
    pub width: usize,
    pub height: usize,
    pub values: &'a [f32],
}

impl ProbabilityMap<'_> {
    fn at(&self, x: usize, y: usize) -> f32 {
        self.values[y * self.width + x]
    }
}

/// The lines of a page `page_width` × `page_height` whose map is `map`, in the reference's
/// reading order (top to bottom; left to right within 10 px of the same height).
pub fn text_lines(map: &ProbabilityMap, page_width: f32, page_height: f32) -> Vec<Quad> {
    let mask = dilated(map);
    let mut lines = Vec::new();
    for region in regions(&mask, map.width, map.height)
        .into_iter()
        .take(MAX_CANDIDATES)
    {
        let Some(rect) = min_area_rect(&hull(&region)) else {
            continue;
        };
        if rect.short_side() < MIN_SIDE {
            continue;
        }
        let quad = rect.corners();
        let sure = score(map, &quad);
        if sure.is_nan() || sure < BOX_THRESHOLD {
            continue;
        }
        let grown = rect.grown(UNCLIP_RATIO);
        if grown.short_side() < MIN_SIDE + 2.0 {
            continue;
        }
        let sx = page_width / map.width as f32;
        let sy = page_height / map.height as f32;
        let on_page = grown.corners().0.map(|(x, y)| {
            (
                (x * sx).round().clamp(0.0, page_width),
                (y * sy).round().clamp(0.0, page_height),
            )
        });
        let quad = clockwise(on_page);
        if quad.width() > 3.0 && quad.height() > 3.0 {
            lines.push(quad);
        }
    }
    reading_order(&mut lines);
    lines
}

/// The map over the threshold, grown one pixel right and down (a 2×2 dilation).
fn dilated(map: &ProbabilityMap) -> Vec<bool> {
    let (w, h) = (map.width, map.height);
    let mut mask = vec![false; w * h];
    for y in 0..h {
        for x in 0..w {
            let on = |x: usize, y: usize| map.at(x, y) > THRESHOLD;
            mask[y * w + x] = on(x, y)
                || (x > 0 && on(x - 1, y))
                || (y > 0 && on(x, y - 1))
                || (x > 0 && y > 0 && on(x - 1, y - 1));
        }
    }
    mask
}

/// The 8-connected regions of `mask`, each as the centres of its border pixels.
fn regions(mask: &[bool], w: usize, h: usize) -> Vec<Vec<Point>> {
    let mut seen = vec![false; w * h];
    let mut found = Vec::new();
    let inside = |x: isize, y: isize| {
        x >= 0
            && y >= 0
            && (x as usize) < w
            && (y as usize) < h
            && mask[y as usize * w + x as usize]
    };
    for start in 0..w * h {
        if !mask[start] || seen[start] {
            continue;
        }
        seen[start] = true;
        let mut stack = vec![start];
        let mut border = Vec::new();
        while let Some(at) = stack.pop() {
            let (x, y) = ((at % w) as isize, (at / w) as isize);
            let edge =
                !(inside(x - 1, y) && inside(x + 1, y) && inside(x, y - 1) && inside(x, y + 1));
            if edge {
                border.push((x as f32, y as f32));
            }
            for dy in -1..=1 {
                for dx in -1..=1 {
                    let (nx, ny) = (x + dx, y + dy);
                    if (dx, dy) != (0, 0) && inside(nx, ny) {
                        let next = ny as usize * w + nx as usize;
                        if !seen[next] {
                            seen[next] = true;
                            stack.push(next);
                        }
                    }
                }
            }
        }
        found.push(border);
    }
    found
}

/// The convex hull (Andrew's monotone chain), counter-clockwise in image coordinates' sense.
fn hull(points: &[Point]) -> Vec<Point> {
    let mut pts = points.to_vec();
    pts.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    pts.dedup();
    if pts.len() < 3 {
        return pts;
    }
    let cross =
        |o: Point, a: Point, b: Point| (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0);
    let mut lower: Vec<Point> = Vec::new();
    for &p in &pts {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], p) <= 0.0 {
            lower.pop();
        }
        lower.push(p);
    }
    let mut upper: Vec<Point> = Vec::new();
    for &p in pts.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], p) <= 0.0 {
            upper.pop();
        }
        upper.push(p);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// A rotated rectangle: its centre, its sides along and across `angle` (radians).
#[derive(Debug, Clone, Copy)]
struct RotatedRect {
    center: Point,
    along: f32,
    across: f32,
    angle: f32,
}

impl RotatedRect {
    fn short_side(&self) -> f32 {
        self.along.min(self.across)
    }

    /// Grown on every side by area × ratio ÷ perimeter (the reference's polygon offset, which
    /// for a rectangle keeps its centre and angle).
    fn grown(&self, ratio: f32) -> RotatedRect {
        let perimeter = 2.0 * (self.along + self.across);
        let d = if perimeter > 0.0 {
            self.along * self.across * ratio / perimeter
        } else {
            0.0
        };
        RotatedRect {
            along: self.along + 2.0 * d,
            across: self.across + 2.0 * d,
            ..*self
        }
    }

    fn corners(&self) -> Quad {
        let (c, s) = (self.angle.cos(), self.angle.sin());
        let (ha, hc) = (self.along / 2.0, self.across / 2.0);
        let corner =
            |a: f32, b: f32| (self.center.0 + a * c - b * s, self.center.1 + a * s + b * c);
        clockwise([
            corner(-ha, -hc),
            corner(ha, -hc),
            corner(ha, hc),
            corner(-ha, hc),
        ])
    }
}

/// The smallest rectangle around a convex polygon (rotating calipers: one side lies on an edge).
fn min_area_rect(hull: &[Point]) -> Option<RotatedRect> {
    match hull.len() {
        0 => return None,
        1 => {
            return Some(RotatedRect {
                center: hull[0],
                along: 0.0,
                across: 0.0,
                angle: 0.0,
            })
        }
        _ => {}
    }
    let mut best: Option<(f32, RotatedRect)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let length = distance(a, b);
        if length == 0.0 {
            continue;
        }
        let (ux, uy) = ((b.0 - a.0) / length, (b.1 - a.1) / length);
        let (mut min_u, mut max_u, mut min_v, mut max_v) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for p in hull {
            let u = p.0 * ux + p.1 * uy;
            let v = -p.0 * uy + p.1 * ux;
            min_u = min_u.min(u);
            max_u = max_u.max(u);
            min_v = min_v.min(v);
            max_v = max_v.max(v);
        }
        let area = (max_u - min_u) * (max_v - min_v);
        if best.as_ref().is_none_or(|(smallest, _)| area < *smallest) {
            let (cu, cv) = ((min_u + max_u) / 2.0, (min_v + max_v) / 2.0);
            best = Some((
                area,
                RotatedRect {
                    center: (cu * ux - cv * uy, cu * uy + cv * ux),
                    along: max_u - min_u,
                    across: max_v - min_v,
                    angle: uy.atan2(ux),
                },
            ));
        }
    }
    best.map(|(_, rect)| rect)
}

/// The map's mean inside the quadrilateral (pixel centres inside it).
fn score(map: &ProbabilityMap, quad: &Quad) -> f32 {
    let xs = quad.0.map(|p| p.0);
    let ys = quad.0.map(|p| p.1);
    let clamp_x = |v: f32| (v.max(0.0) as usize).min(map.width - 1);
    let clamp_y = |v: f32| (v.max(0.0) as usize).min(map.height - 1);
    let (x0, x1) = (
        clamp_x(xs.iter().copied().fold(f32::MAX, f32::min).floor()),
        clamp_x(xs.iter().copied().fold(f32::MIN, f32::max).ceil()),
    );
    let (y0, y1) = (
        clamp_y(ys.iter().copied().fold(f32::MAX, f32::min).floor()),
        clamp_y(ys.iter().copied().fold(f32::MIN, f32::max).ceil()),
    );
    let (mut sum, mut count) = (0.0f32, 0usize);
    for y in y0..=y1 {
        for x in x0..=x1 {
            if contains(quad, (x as f32, y as f32)) {
                sum += map.at(x, y);
                count += 1;
            }
        }
    }
    if count == 0 {
        0.0
    } else {
        sum / count as f32
    }
}

/// Whether `p` lies inside the convex quadrilateral or on its border.
fn contains(quad: &Quad, p: Point) -> bool {
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b) = (quad.0[i], quad.0[(i + 1) % 4]);
        let cross = (b.0 - a.0) * (p.1 - a.1) - (b.1 - a.1) * (p.0 - a.0);
        if cross.abs() <= 1e-3 {
            continue;
        }
        if sign == 0.0 {
            sign = cross.signum();
        } else if cross.signum() != sign {
            return false;
        }
    }
    true
}

/// Four corners as top-left, top-right, bottom-right, bottom-left: the two leftmost are the
/// left side (the higher one on top), the two rightmost the right side.
fn clockwise(points: [Point; 4]) -> Quad {
    let mut by_x = points;
    by_x.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (mut left, mut right) = ([by_x[0], by_x[1]], [by_x[2], by_x[3]]);
    left.sort_by(|a, b| a.1.total_cmp(&b.1));
    right.sort_by(|a, b| a.1.total_cmp(&b.1));
    Quad([left[0], right[0], right[1], left[1]])
}

/// Top to bottom, then left to right among lines whose tops lie within 10 px of each other.
fn reading_order(lines: &mut [Quad]) {
    lines.sort_by(|a, b| {
        a.0[0]
            .1
            .total_cmp(&b.0[0].1)
            .then(a.0[0].0.total_cmp(&b.0[0].0))
    });
    for i in 0..lines.len().saturating_sub(1) {
        for j in (0..=i).rev() {
            let (upper, lower) = (lines[j].0[0], lines[j + 1].0[0]);
            if (lower.1 - upper.1).abs() < 10.0 && lower.0 < upper.0 {
                lines.swap(j, j + 1);
            } else {
                break;
            }
        }
    }
}

fn distance(a: Point, b: Point) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A map `w` × `h`, sure (0.9) inside the given axis-aligned boxes and else empty.
    fn map_with(w: usize, h: usize, boxes: &[(usize, usize, usize, usize)]) -> Vec<f32> {
        let mut values = vec![0.02; w * h];
        for &(x0, y0, x1, y1) in boxes {
            for y in y0..y1 {
                for x in x0..x1 {
                    values[y * w + x] = 0.9;
                }
            }
        }
        values
    }

    #[test]
    fn two_lines_are_found_grown_back_and_scaled_to_the_page_in_reading_order() {
        let (w, h) = (200, 100);
        // The lower line first in the map, to see the order restored.
        let values = map_with(w, h, &[(20, 60, 120, 70), (30, 20, 180, 32), (1, 1, 2, 2)]);
        let map = ProbabilityMap {
            width: w,
            height: h,
            values: &values,
        };
        let lines = text_lines(&map, 400.0, 200.0);
        assert_eq!(lines.len(), 2, "{lines:?}: the speck is dropped");
        let [upper, lower] = [lines[0], lines[1]];
        assert!(upper.0[0].1 < lower.0[0].1);
        // The upper line: 150 × 12 map pixels (its border centres span 149 × 11, then the
        // dilation one more), grown by area × 1.6 ÷ perimeter on every side, times 2 to the page.
        let (along, across) = (150.0f32, 12.0f32);
        let d = along * across * 1.6 / (2.0 * (along + across));
        let expected_w = (along + 2.0 * d) * 2.0;
        let expected_h = (across + 2.0 * d) * 2.0;
        assert!(
            (upper.width() - expected_w).abs() < 6.0,
            "{} vs {expected_w}",
            upper.width()
        );
        assert!(
            (upper.height() - expected_h).abs() < 6.0,
            "{} vs {expected_h}",
            upper.height()
        );
        // Centred where the line is: x 30..180, y 20..32 in the map.
        let cx = upper.0.iter().map(|p| p.0).sum::<f32>() / 4.0;
        let cy = upper.0.iter().map(|p| p.1).sum::<f32>() / 4.0;
        assert!(
            (cx - 2.0 * 105.0).abs() < 4.0 && (cy - 2.0 * 26.0).abs() < 4.0,
            "{cx} {cy}"
        );
    }

    #[test]
    fn a_tilted_line_gets_a_tilted_rectangle_and_a_faint_region_none() {
        let (w, h) = (300, 200);
        let mut values = vec![0.0f32; w * h];
        // A band 8 px thick rising 1 px in 10 (about 5.7°).
        for x in 40..260 {
            let y0 = 150 - (x - 40) / 10;
            for y in y0..y0 + 8 {
                values[y * w + x] = 0.95;
            }
        }
        // Over the threshold, under the box threshold: not a line.
        for y in 20..40 {
            for x in 40..200 {
                values[y * w + x] = 0.4;
            }
        }
        let map = ProbabilityMap {
            width: w,
            height: h,
            values: &values,
        };
        let lines = text_lines(&map, w as f32, h as f32);
        assert_eq!(lines.len(), 1, "{lines:?}");
        let [tl, tr, _, _] = lines[0].0;
        let slope = (tr.1 - tl.1) / (tr.0 - tl.0);
        assert!((slope + 0.1).abs() < 0.02, "slope {slope}");
    }

    #[test]
    fn corners_are_ordered_from_the_top_left_clockwise() {
        let quad = clockwise([(10.0, 20.0), (0.0, 0.0), (10.0, 0.0), (0.0, 20.0)]);
        assert_eq!(quad.0, [(0.0, 0.0), (10.0, 0.0), (10.0, 20.0), (0.0, 20.0)]);
    }
}
