//! A page read: the detection model finds its lines, the recognition model reads each, and
//! every character read gets its box on the page (its place along the line, the line's full
//! height), so that a name found in the text can be boxed on the scan. The models are PP-OCR's
//! ONNX files, run in-process by `rten` (pure Rust: nothing to install beside the program).

use super::ctc::{self, Dictionary, ReadLine};
use super::input::{self, LineImage, LINE_HEIGHT};
use super::text_regions::{self, Point, ProbabilityMap, Quad};
use crate::error::{Error, ErrorCode, Result};
use image::RgbImage;
use std::path::{Path, PathBuf};

/// The model files, as PaddleOCR names them, in the models folder.
pub const DETECTION_MODEL: &str = "ch_PP-OCRv4_det_infer.onnx";
pub const RECOGNITION_MODEL: &str = "ch_PP-OCRv4_rec_infer.onnx";

/// Lines read less surely than this are dropped, as the reference drops them.
const MIN_CONFIDENCE: f32 = 0.5;
/// Lines read at once (one recognizer run).
const BATCH: usize = 6;
/// Pages narrower or lower than this (in pixels) hold no line.
const MIN_PAGE_SIDE: u32 = 8;

/// A character read, and where it stands on the page.
#[derive(Debug, Clone, PartialEq)]
pub struct PageChar {
    pub text: String,
    pub quad: Quad,
    pub confidence: f32,
}

/// A line read, with its rectangle on the page and each character's.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLine {
    pub text: String,
    pub confidence: f32,
    pub quad: Quad,
    pub chars: Vec<PageChar>,
}

pub struct PageReader {
    detector: rten::Model,
    recognizer: rten::Model,
    dictionary: Dictionary,
    /// The threads the models run on: by default one per core; the background queue gives
    /// them one, so that the clerk's searches keep the other.
    options: Option<rten::RunOptions>,
}

impl PageReader {
    /// The two models from `folder`; the recognizer's dictionary from its own metadata.
    pub fn load(folder: &Path) -> Result<PageReader> {
        let load = |name: &str| -> Result<rten::Model> {
            let path: PathBuf = folder.join(name);
            rten::Model::load_file(&path).map_err(|e| {
                Error::new(
                    ErrorCode::Io,
                    format!("无法载入文字识别模型 {}：{e}", path.display()),
                )
            })
        };
        let detector = load(DETECTION_MODEL)?;
        let recognizer = load(RECOGNITION_MODEL)?;
        let lines = recognizer
            .metadata()
            .get(ctc::DICTIONARY_KEY)
            .ok_or_else(|| {
                Error::new(
                    ErrorCode::Io,
                    format!(
                        "文字识别模型 {RECOGNITION_MODEL} 缺少字典（{}）",
                        ctc::DICTIONARY_KEY
                    ),
                )
            })?
            .to_string();
        Ok(PageReader {
            detector,
            recognizer,
            dictionary: Dictionary::from_lines(&lines),
            options: None,
        })
    }

    /// Runs the models on `threads` threads of their own.
    pub fn with_threads(mut self, threads: usize) -> PageReader {
        let pool = rten::ThreadPool::with_num_threads(threads.max(1));
        self.options =
            Some(rten::RunOptions::default().with_thread_pool(Some(std::sync::Arc::new(pool))));
        self
    }

    /// The lines of `page`, top to bottom, each with its characters' boxes on the page.
    pub fn read(&self, page: &RgbImage) -> Result<Vec<PageLine>> {
        // Nothing to read on a page smaller than a character.
        if page.width() < MIN_PAGE_SIDE || page.height() < MIN_PAGE_SIDE {
            return Ok(Vec::new());
        }
        let working = input::working_page(page);
        let (sx, sy) = (
            page.width() as f32 / working.width() as f32,
            page.height() as f32 / working.height() as f32,
        );
        let quads = self.find_lines(&working)?;
        let cut: Vec<LineImage> = quads
            .iter()
            .map(|q| input::line_image(&working, q))
            .collect();
        let mut lines = Vec::new();
        // Lines of like shape read together, as the reference batches them.
        let mut order: Vec<usize> = (0..cut.len()).collect();
        order.sort_by(|&a, &b| aspect(&cut[a].image).total_cmp(&aspect(&cut[b].image)));
        let mut read: Vec<Option<(ReadLine, f32)>> = vec![None; cut.len()];
        for batch in order.chunks(BATCH) {
            let images: Vec<&RgbImage> = batch.iter().map(|&i| &cut[i].image).collect();
            for (&i, outcome) in batch.iter().zip(self.read_lines(&images)?) {
                read[i] = Some(outcome);
            }
        }
        for ((quad, line), outcome) in quads.iter().zip(&cut).zip(read) {
            let Some((text, span)) = outcome else {
                continue;
            };
            if text.confidence < MIN_CONFIDENCE || text.chars.is_empty() {
                continue;
            }
            let on_page = |p: Point| (p.0 * sx, p.1 * sy);
            let quad = Quad(quad.0.map(on_page));
            let chars = char_boxes(&text, span, line, &quad);
            lines.push(PageLine {
                text: text.text(),
                confidence: text.confidence,
                quad,
                chars,
            });
        }
        Ok(lines)
    }

    fn find_lines(&self, working: &RgbImage) -> Result<Vec<Quad>> {
        let (w, h, tensor) = input::detector_input(working);
        let value = rten::Value::from_shape([1, 3, h as usize, w as usize], tensor)
            .map_err(|e| failed("检测", e))?;
        let out = self
            .detector
            .run_one(value.into(), self.options.clone())
            .map_err(|e| failed("检测", e))?;
        let (shape, values): ([usize; 4], Vec<f32>) =
            out.into_shape_vec().map_err(|e| failed("检测", e))?;
        let map = ProbabilityMap {
            width: shape[3],
            height: shape[2],
            values: &values,
        };
        Ok(text_regions::text_lines(
            &map,
            working.width() as f32,
            working.height() as f32,
        ))
    }

    /// Each line's reading, and the share of the recognizer's time steps its pixels span.
    fn read_lines(&self, lines: &[&RgbImage]) -> Result<Vec<(ReadLine, f32)>> {
        let (width, tensor, widths) = input::recognizer_input(lines);
        let value = rten::Value::from_shape(
            [lines.len(), 3, LINE_HEIGHT as usize, width as usize],
            tensor,
        )
        .map_err(|e| failed("识别", e))?;
        let out = self
            .recognizer
            .run_one(value.into(), self.options.clone())
            .map_err(|e| failed("识别", e))?;
        let (shape, values): ([usize; 3], Vec<f32>) =
            out.into_shape_vec().map_err(|e| failed("识别", e))?;
        let [n, steps, classes] = shape;
        if classes != self.dictionary.classes() {
            return Err(Error::new(
                ErrorCode::Io,
                format!(
                    "文字识别模型输出 {classes} 类，字典有 {} 类：模型与字典不配套",
                    self.dictionary.classes()
                ),
            ));
        }
        Ok((0..n)
            .map(|i| {
                let one = &values[i * steps * classes..(i + 1) * steps * classes];
                let read = ctc::decode(one, steps, &self.dictionary);
                // The time steps span the batch's width; this line fills `widths[i]` of it.
                let span = steps as f32 * widths[i] as f32 / width as f32;
                (read, span)
            })
            .collect())
    }
}

/// Width over height.
fn aspect(img: &RgbImage) -> f32 {
    img.width() as f32 / img.height().max(1) as f32
}

/// Each character's box on the page: centred where its time step falls along the line, as wide
/// as the line's characters are spaced on average, and as high as the line (as wide as the
/// column, for a vertical line read top to bottom).
fn char_boxes(read: &ReadLine, span: f32, line: &LineImage, quad: &Quad) -> Vec<PageChar> {
    let line_width = line.image.width() as f32;
    let [tl, tr, br, bl] = quad.0;
    // A vertical line was read from its top: its characters run down its sides.
    let (tl, tr, br, bl) = if line.turned {
        (tl, bl, br, tr)
    } else {
        (tl, tr, br, bl)
    };
    let step_width = line_width / span.max(1.0);
    let centres: Vec<f32> = read
        .chars
        .iter()
        .map(|c| ((c.step as f32 + 0.5) * step_width).min(line_width))
        .collect();
    let spacing = match (centres.first(), centres.last()) {
        (Some(first), Some(last)) if centres.len() > 1 => {
            (last - first) / (centres.len() - 1) as f32
        }
        _ => line_width / read.chars.len().max(1) as f32,
    };
    // The point `x` along the line's length, on the side from `start` to `end`.
    let along = |start: Point, end: Point, x: f32| {
        let t = (x / line_width).clamp(0.0, 1.0);
        (
            start.0 + t * (end.0 - start.0),
            start.1 + t * (end.1 - start.1),
        )
    };
    read.chars
        .iter()
        .zip(&centres)
        .map(|(c, &centre)| {
            let (x0, x1) = (centre - spacing / 2.0, centre + spacing / 2.0);
            PageChar {
                text: c.text.clone(),
                quad: Quad([
                    along(tl, tr, x0),
                    along(tl, tr, x1),
                    along(bl, br, x1),
                    along(bl, br, x0),
                ]),
                confidence: c.confidence,
            }
        })
        .collect()
}

fn failed(step: &str, e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("文字{step}失败：{e}"))
}

#[cfg(test)]
mod tests {
    use super::ctc::ReadChar;
    use super::*;

    fn read_at(steps: &[usize]) -> ReadLine {
        ReadLine {
            chars: steps
                .iter()
                .map(|&step| ReadChar {
                    text: "王".into(),
                    step,
                    confidence: 0.9,
                })
                .collect(),
            confidence: 0.9,
        }
    }

    #[test]
    fn characters_are_boxed_along_a_line_and_down_a_column() {
        // A line 100 px long read in 10 steps: characters at steps 3 and 5 centre at 35 and 55,
        // each as wide as they are spaced.
        let line = LineImage {
            image: RgbImage::new(100, 20),
            turned: false,
        };
        let quad = Quad([(200.0, 50.0), (300.0, 50.0), (300.0, 70.0), (200.0, 70.0)]);
        let boxes = char_boxes(&read_at(&[3, 5]), 10.0, &line, &quad);
        let centre = |q: &Quad| {
            (
                q.0.iter().map(|p| p.0).sum::<f32>() / 4.0,
                q.0.iter().map(|p| p.1).sum::<f32>() / 4.0,
            )
        };
        let (x, y) = centre(&boxes[0].quad);
        assert!((x - 235.0).abs() < 0.5 && (y - 60.0).abs() < 0.5, "{x} {y}");
        assert!((centre(&boxes[1].quad).0 - 255.0).abs() < 0.5);

        // The same reading on a column (turned to be read): down the column, not across it.
        let column = LineImage {
            image: RgbImage::new(100, 20),
            turned: true,
        };
        let quad = Quad([(200.0, 50.0), (220.0, 50.0), (220.0, 150.0), (200.0, 150.0)]);
        let boxes = char_boxes(&read_at(&[3, 5]), 10.0, &column, &quad);
        let (x, y) = centre(&boxes[0].quad);
        assert!((x - 210.0).abs() < 0.5 && (y - 85.0).abs() < 0.5, "{x} {y}");
        assert!((centre(&boxes[1].quad).1 - 105.0).abs() < 0.5);
    }
}
