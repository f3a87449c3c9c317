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

fn decode(path: &Path) -> Result<DynamicImage> {
    image::ImageReader::open(path)
        .map_err(|e| io_error(path, e))?
        .with_guessed_format()
        .map_err(|e| io_error(path, e))?
        .decode()
        .map_err(|e| io_error(path, format!("图像无法解码（{e}）")))
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
