//! The bundled CJK font: a subset of Noto Sans CJK SC (SIL OFL 1.1) holding every character the
//! generator can write, so page images render without any font installed on the machine.

use ab_glyph::FontRef;

pub static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/NotoSansCJKsc-DemoSubset.otf");

pub fn font() -> FontRef<'static> {
    FontRef::try_from_slice(FONT_BYTES).expect("bundled font is a valid OpenType font")
}
