//! Scanned pages as the viewer gets them. A webview shows JPEG and PNG but not TIFF or BMP, and
//! a 300-dpi A4 scan is too large to show at once on an old PC, so each page has a preview
//! (made at import, kept in `<data>/previews/` under the scan's checksum) and a full image
//! (the file itself, or a PNG made once from a TIFF or BMP). PDF scans are passed through for
//! the viewer to render.

use crate::api::PageSize;
use crate::error::{Error, ErrorCode, Result};
use crate::scan_kind::{is_pdf, kind_of, Kind};
use crate::store::read::PageFile;
use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageFormat};
use std::io::Cursor;
use std::path::{Path, PathBuf};

const PREVIEW_FOLDER: &str = "previews";
/// Wide enough to read a wage table's row on a 1366×768 screen; a fraction of a 300-dpi scan.
const PREVIEW_WIDTH: u32 = 1200;
const PREVIEW_QUALITY: u8 = 82;

pub struct PageImage {
    pub mime: &'static str,
    pub bytes: Vec<u8>,
}

/// A page found in the archive, to be loaded without the archive (see `Archive::page_source`).
pub struct PageSource {
    pub data_dir: PathBuf,
    pub page: PageFile,
    pub size: PageSize,
}

impl PageSource {
    pub fn load(&self) -> Result<PageImage> {
        page_image(&self.data_dir, &self.page, self.size)
    }
}

fn preview_path(data_dir: &Path, checksum: &str) -> PathBuf {
    data_dir
        .join(PREVIEW_FOLDER)
        .join(format!("{checksum}.jpg"))
}

fn full_path(data_dir: &Path, checksum: &str) -> PathBuf {
    data_dir
        .join(PREVIEW_FOLDER)
        .join(format!("{checksum}.png"))
}

fn io_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::new(
        ErrorCode::Io,
        format!("无法读取扫描件「{}」：{e}", path.display()),
    )
}

/// The largest page decoded: a side of 16,384 pixels (an A1 drawing at 300 dpi) and 384 MB
/// for its pixels. A file from a vendor that claims more (a 60000×60000 TIFF) is refused before
/// anything is allocated, instead of taking the app down.
const MAX_SIDE: u32 = 16_384;
const MAX_DECODE_BYTES: u64 = 384 << 20;

/// A page file decoded, within the limits above (also for the recognizer).
pub fn decode(path: &Path) -> Result<DynamicImage> {
    let mut reader = image::ImageReader::open(path)
        .map_err(|e| io_error(path, e))?
        .with_guessed_format()
        .map_err(|e| io_error(path, e))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_DECODE_BYTES);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::Limits(_) => io_error(
            path,
            format!(
                "图像过大（{}），超过每边 {MAX_SIDE} 像素、{} MB 的限制，没有打开",
                image::image_dimensions(path)
                    .map(|(w, h)| format!("{w}×{h} 像素"))
                    .unwrap_or_else(|_| "尺寸不明".into()),
                MAX_DECODE_BYTES >> 20
            ),
        ),
        e => io_error(path, format!("图像无法解码（{e}）")),
    })
}

/// Write through a temporary file of its own and a rename, so that a reader never sees half an
/// image, and two writers of the same page (an import and a viewer, or two blank pages with one
/// checksum) never mix their bytes.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().expect("cache files live in a folder");
    std::fs::create_dir_all(dir).map_err(|e| io_error(dir, e))?;
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(".{name}.{:016x}.part", rand::random::<u64>()));
    let written = std::fs::write(&tmp, bytes).and_then(|_| std::fs::rename(&tmp, path));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(io_error(path, e));
    }
    Ok(())
}

fn encode_preview(image: &DynamicImage) -> Result<Vec<u8>> {
    let small = if image.width() > PREVIEW_WIDTH {
        let height = (image.height() as u64 * PREVIEW_WIDTH as u64 / image.width() as u64) as u32;
        image.thumbnail(PREVIEW_WIDTH, height.max(1))
    } else {
        image.clone()
    };
    let mut bytes = Vec::new();
    JpegEncoder::new_with_quality(&mut bytes, PREVIEW_QUALITY)
        .encode_image(&small.to_rgb8())
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法生成扫描件预览：{e}")))?;
    Ok(bytes)
}

fn encode_png(image: &DynamicImage) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    image
        .write_to(&mut Cursor::new(&mut bytes), ImageFormat::Png)
        .map_err(|e| Error::new(ErrorCode::Io, format!("无法转换扫描件：{e}")))?;
    Ok(bytes)
}

/// Make the page's preview if it has none, at import, so that the page shows at once when it is
/// first opened. The full image of a TIFF or BMP is converted only when the clerk zooms in: a
/// 300-dpi PNG of every page would double the disk the scans take.
pub fn ensure_preview(data_dir: &Path, page: &PageFile) -> Result<()> {
    if is_pdf(&page.path) || preview_path(data_dir, &page.checksum).is_file() || small_enough(page)
    {
        return Ok(());
    }
    let image = decode(&page.path)?;
    write_atomically(
        &preview_path(data_dir, &page.checksum),
        &encode_preview(&image)?,
    )
}

/// The full image of a page a webview cannot show as it is, converted once.
fn ensure_full_png(data_dir: &Path, page: &PageFile) -> Result<PathBuf> {
    let png = full_path(data_dir, &page.checksum);
    if !png.is_file() {
        write_atomically(&png, &encode_png(&decode(&page.path)?)?)?;
    }
    Ok(png)
}

/// A JPEG or PNG no wider than a preview is its own preview.
fn small_enough(page: &PageFile) -> bool {
    matches!(kind_of(&page.path), Kind::Web(_))
        && image::image_dimensions(&page.path).is_ok_and(|(width, _)| width <= PREVIEW_WIDTH)
}

/// The bytes the viewer shows for `page` at `size`.
pub fn page_image(data_dir: &Path, page: &PageFile, size: PageSize) -> Result<PageImage> {
    if !page.path.is_file() {
        return Err(Error::new(
            ErrorCode::NotFound,
            format!("扫描件缺失：「{}」不存在或无法访问", page.path.display()),
        ));
    }
    let read = |path: &Path| std::fs::read(path).map_err(|e| io_error(path, e));
    match (kind_of(&page.path), size) {
        (Kind::Pdf, _) => Ok(PageImage {
            mime: "application/pdf",
            bytes: read(&page.path)?,
        }),
        (Kind::Web(mime), PageSize::Full) => Ok(PageImage {
            mime,
            bytes: read(&page.path)?,
        }),
        (Kind::Web(mime), PageSize::Preview) if small_enough(page) => Ok(PageImage {
            mime,
            bytes: read(&page.path)?,
        }),
        (Kind::Convert, PageSize::Full) => Ok(PageImage {
            mime: "image/png",
            bytes: read(&ensure_full_png(data_dir, page)?)?,
        }),
        (_, PageSize::Preview) => {
            ensure_preview(data_dir, page)?;
            Ok(PageImage {
                mime: "image/jpeg",
                bytes: read(&preview_path(data_dir, &page.checksum))?,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A grey TIFF whose header claims `width` × `height` pixels, with a single small strip.
    fn claimed_tiff(width: u32, height: u32) -> Vec<u8> {
        let entries: [(u16, u16, u32); 8] = [
            (256, 4, width),              // ImageWidth
            (257, 4, height),             // ImageLength
            (258, 3, 8),                  // BitsPerSample
            (259, 3, 1),                  // Compression: none
            (262, 3, 1),                  // Photometric: black is zero
            (273, 4, 8 + 2 + 8 * 12 + 4), // StripOffsets: right after the directory
            (278, 4, height),             // RowsPerStrip
            (279, 4, 16),                 // StripByteCounts
        ];
        let mut out = b"II*\0".to_vec();
        out.extend(8u32.to_le_bytes());
        out.extend((entries.len() as u16).to_le_bytes());
        for (tag, kind, value) in entries {
            out.extend(tag.to_le_bytes());
            out.extend(kind.to_le_bytes());
            out.extend(1u32.to_le_bytes());
            if kind == 3 {
                out.extend((value as u16).to_le_bytes());
                out.extend([0, 0]);
            } else {
                out.extend(value.to_le_bytes());
            }
        }
        out.extend(0u32.to_le_bytes());
        out.extend([128u8; 16]);
        out
    }

    #[test]
    fn a_page_claiming_sixty_thousand_pixels_a_side_is_refused_before_it_is_decoded() {
        let dir = tempfile::tempdir().unwrap();
        let huge = dir.path().join("巨幅.tif");
        std::fs::write(&huge, claimed_tiff(60_000, 60_000)).unwrap();
        let refused = decode(&huge).expect_err("refused");
        assert!(
            refused.message.contains("图像过大") && refused.message.contains("60000×60000"),
            "{}",
            refused.message
        );
        let small = dir.path().join("小.tif");
        std::fs::write(&small, claimed_tiff(4, 4)).unwrap();
        assert_eq!(
            decode(&small).unwrap().width(),
            4,
            "a page within the limits opens"
        );
    }
}
