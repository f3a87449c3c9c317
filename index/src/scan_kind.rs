//! What kind of file a scan is, by its name: an image a webview shows as it is, one that must
//! be converted first (TIFF, BMP), or a PDF the viewer renders page by page.

use std::path::Path;

pub enum Kind {
    /// Shown by a webview as it is.
    Web(&'static str),
    /// Must be converted first.
    Convert,
    Pdf,
}

pub fn kind_of(path: &Path) -> Kind {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "jpg" | "jpeg" => Kind::Web("image/jpeg"),
        "png" => Kind::Web("image/png"),
        "pdf" => Kind::Pdf,
        _ => Kind::Convert,
    }
}

/// Whether a scan is a PDF (drawn by the viewer page by page) rather than an image.
pub fn is_pdf(path: &Path) -> bool {
    matches!(kind_of(path), Kind::Pdf)
}
