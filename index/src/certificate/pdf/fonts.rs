//! The certificate's typeface: Noto Sans CJK Regular, a collection with one face per regional
//! glyph style. Text is set in the Simplified Chinese face; a character it lacks is taken from
//! another face of the collection, and a character no face has is refused by name, because the
//! PDF would otherwise show an empty box where the requester's name should be.

use crate::error::{Error, ErrorCode, Result};
use ab_glyph::Font as _;

static COLLECTION: &[u8] = include_bytes!("../../../assets/fonts/NotoSansCJK-Regular.ttc");

/// Faces of the collection in the order they are tried: SC, TC, HK, JP, KR.
const FACES: [u32; 5] = [2, 3, 4, 0, 1];

/// A stretch of text set in one face.
#[derive(Debug, PartialEq)]
pub(super) struct Run<'a> {
    pub face: usize,
    pub text: &'a str,
}

pub(super) struct Fonts {
    metrics: Vec<ab_glyph::FontRef<'static>>,
}

impl Fonts {
    pub fn load() -> Result<Fonts> {
        let metrics = FACES
            .iter()
            .map(|&index| ab_glyph::FontRef::try_from_slice_and_index(COLLECTION, index))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| Error::new(ErrorCode::Io, format!("证明所用字体无法读取：{e}")))?;
        Ok(Fonts { metrics })
    }

    /// The face for `face` (an index into the fallback order) as krilla embeds it.
    pub fn pdf_font(face: usize) -> Option<krilla::text::Font> {
        krilla::text::Font::new(COLLECTION.into(), FACES[face])
    }

    fn face_of(&self, c: char) -> Option<usize> {
        self.metrics.iter().position(|f| f.glyph_id(c).0 != 0)
    }

    /// Splits `text` into runs by face, or refuses it naming `field` and the first character
    /// no face has, so the clerk can write it another way before the certificate is issued.
    pub fn runs<'a>(&self, field: &str, text: &'a str) -> Result<Vec<Run<'a>>> {
        split_runs(text, |c| self.face_of(c)).map_err(|c| {
            let shown = if c.is_control() || c.is_whitespace() {
                String::new()
            } else {
                format!("「{c}」")
            };
            Error::new(
                ErrorCode::InvalidRequest,
                format!(
                    "{field}中的字{shown}（U+{:04X}）在证明所用字体中没有字形，无法打印；\
                     请改用通行写法或以□代替后再出证",
                    c as u32
                ),
            )
        })
    }

    /// Advance width of one character at `size` points; zero for a variation selector, which
    /// only picks the glyph of the character before it.
    pub fn char_width(&self, c: char, size: f32) -> f32 {
        if is_variation_selector(c) {
            return 0.0;
        }
        let font = &self.metrics[self.face_of(c).unwrap_or(0)];
        let em = font.units_per_em().unwrap_or(1000.0);
        font.h_advance_unscaled(font.glyph_id(c)) / em * size
    }

    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }

    /// Refuses `text` if a character of it cannot be printed (see [`Fonts::runs`]); the line
    /// breaks and tabs a value may hold are laid out as breaks and spaces.
    pub fn check(&self, field: &str, text: &str) -> Result<()> {
        self.runs(field, &text.replace(['\n', '\r', '\t'], " "))
            .map(|_| ())
    }
}

/// Variation selectors stay with the character before them: the shaper uses the pair to pick
/// a glyph variant, and no face maps a selector on its own.
pub(super) fn is_variation_selector(c: char) -> bool {
    matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}')
}

fn split_runs(text: &str, face_of: impl Fn(char) -> Option<usize>) -> Result<Vec<Run<'_>>, char> {
    let mut runs: Vec<Run> = Vec::new();
    let mut start = 0;
    let mut current: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_variation_selector(c) && current.is_some() {
            continue;
        }
        let face = face_of(c).ok_or(c)?;
        if current != Some(face) {
            if let Some(previous) = current {
                runs.push(Run {
                    face: previous,
                    text: &text[start..i],
                });
            }
            start = i;
            current = Some(face);
        }
    }
    if let Some(face) = current {
        runs.push(Run {
            face,
            text: &text[start..],
        });
    }
    Ok(runs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_character_the_first_face_lacks_is_taken_from_the_next_that_has_it() {
        // The faces of the bundled collection share one character set, so the fallback is
        // exercised with a coverage where SC lacks 喆 and only TC has it.
        let coverage = |c: char| match c {
            '喆' => Some(1),
            '\u{E000}' => None,
            _ => Some(0),
        };
        let runs = split_runs("王喆喆明", coverage).unwrap();
        assert_eq!(
            runs,
            vec![
                Run {
                    face: 0,
                    text: "王"
                },
                Run {
                    face: 1,
                    text: "喆喆"
                },
                Run {
                    face: 0,
                    text: "明"
                },
            ]
        );
        assert_eq!(split_runs("王\u{E000}", coverage), Err('\u{E000}'));
    }

    #[test]
    fn a_variation_selector_stays_in_the_run_of_its_base_character() {
        let runs = split_runs("葛\u{E0100}优", |_| Some(0)).unwrap();
        assert_eq!(
            runs,
            vec![Run {
                face: 0,
                text: "葛\u{E0100}优"
            }]
        );
    }

    #[test]
    fn every_face_is_readable_and_rare_characters_of_the_collection_are_covered() {
        let fonts = Fonts::load().unwrap();
        for face in 0..FACES.len() {
            assert!(Fonts::pdf_font(face).is_some(), "face {face}");
        }
        // Extension A and B characters found in names.
        fonts.check("查档人", "刘䶮 𠮷野 王喆").unwrap();
        let error = fonts.check("查档人", "王\u{E000}").unwrap_err();
        assert!(error.message.contains("查档人"), "{}", error.message);
        assert!(error.message.contains("U+E000"), "{}", error.message);
    }
}
