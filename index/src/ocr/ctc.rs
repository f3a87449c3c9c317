//! CTC decoding of the recognition model's output, as PaddleOCR decodes it: the most likely
//! class at every time step, repeats collapsed before blanks are dropped, the line's confidence
//! the mean of the kept steps' probabilities. Each kept character keeps its time step, which
//! places it along the line (the boxes drawn around a matched name).

/// The recognizer's classes: 0 is CTC's blank, then the model's dictionary (kept in its
/// metadata under `character`, one character a line), then a space.
pub struct Dictionary {
    classes: Vec<String>,
}

/// The metadata key the PP-OCR recognition models keep their dictionary under.
pub const DICTIONARY_KEY: &str = "character";

impl Dictionary {
    /// The dictionary from the text the model keeps, one character a line.
    pub fn from_lines(lines: &str) -> Dictionary {
        let mut classes = vec![String::new()];
        classes.extend(
            lines
                .split('\n')
                .map(|l| l.trim_end_matches('\r'))
                .filter(|l| !l.is_empty())
                .map(str::to_string),
        );
        classes.push(" ".to_string());
        Dictionary { classes }
    }

    /// How many classes the model's output must have.
    pub fn classes(&self) -> usize {
        self.classes.len()
    }

    fn class(&self, index: usize) -> &str {
        self.classes.get(index).map_or("", String::as_str)
    }
}

/// One recognized character: its text, the time step it was read at, and how sure.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadChar {
    pub text: String,
    pub step: usize,
    pub confidence: f32,
}

/// A line as read: its characters, and the mean of their confidences (0 when none was read).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadLine {
    pub chars: Vec<ReadChar>,
    pub confidence: f32,
}

impl ReadLine {
    pub fn text(&self) -> String {
        self.chars.iter().map(|c| c.text.as_str()).collect()
    }
}

/// Decodes one line's output, `steps` rows of `dictionary.classes()` probabilities.
pub fn decode(probabilities: &[f32], steps: usize, dictionary: &Dictionary) -> ReadLine {
    let classes = dictionary.classes();
    let mut chars = Vec::new();
    let mut previous = None;
    for step in 0..steps.min(probabilities.len() / classes.max(1)) {
        let row = &probabilities[step * classes..(step + 1) * classes];
        let (best, confidence) =
            row.iter()
                .copied()
                .enumerate()
                .fold(
                    (0, f32::MIN),
                    |(bi, bp), (i, p)| if p > bp { (i, p) } else { (bi, bp) },
                );
        if best != 0 && previous != Some(best) {
            chars.push(ReadChar {
                text: dictionary.class(best).to_string(),
                step,
                confidence,
            });
        }
        previous = Some(best);
    }
    let confidence = if chars.is_empty() {
        0.0
    } else {
        chars.iter().map(|c| c.confidence).sum::<f32>() / chars.len() as f32
    };
    ReadLine { chars, confidence }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An output where each step is sure (0.9) of the class given.
    fn output(dictionary: &Dictionary, path: &[usize]) -> Vec<f32> {
        let n = dictionary.classes();
        let mut out = vec![0.1 / (n - 1) as f32; path.len() * n];
        for (step, &class) in path.iter().enumerate() {
            out[step * n + class] = 0.9;
        }
        out
    }

    #[test]
    fn the_dictionary_is_framed_by_the_blank_and_a_space() {
        let dictionary = Dictionary::from_lines("王\n秀\n1\r\n");
        assert_eq!(dictionary.classes(), 5);
        assert_eq!(dictionary.class(1), "王");
        assert_eq!(dictionary.class(3), "1");
        assert_eq!(dictionary.class(4), " ");
    }

    #[test]
    fn repeats_collapse_before_blanks_are_dropped_and_each_char_keeps_its_step() {
        let dictionary = Dictionary::from_lines("王\n秀\n英");
        // 王 王 _ 秀 _ _ 秀 英 英 → 王秀秀英: a blank between two 秀 keeps both.
        let read = decode(
            &output(&dictionary, &[1, 1, 0, 2, 0, 0, 2, 3, 3]),
            9,
            &dictionary,
        );
        assert_eq!(read.text(), "王秀秀英");
        let steps: Vec<usize> = read.chars.iter().map(|c| c.step).collect();
        assert_eq!(steps, [0, 3, 6, 7]);
        assert!((read.confidence - 0.9).abs() < 1e-6);
        let nothing = decode(&output(&dictionary, &[0, 0, 0]), 3, &dictionary);
        assert_eq!(nothing.text(), "");
        assert_eq!(nothing.confidence, 0.0);
    }
}
