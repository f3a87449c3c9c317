//! Demo archive and benchmark corpus generator: a fictitious county archive with the shapes and
//! the mess of real vendor deliveries, plus the ground truth of who is in which row.
//!
//! The generator formats everything with its own code (never the crate's normalizer), so that
//! import and search tests check one implementation against an independent one.

mod approval_text;
pub mod build;
mod corpus;
mod docs;
mod font;
mod idcard;
mod mess;
mod names;
mod people;
mod printed_pages;
mod record;
mod recruitment_jsonl;
mod retirement_csv;
mod scanned_pdf;
mod scans;
#[cfg(test)]
mod tests;
mod truth;
mod units;
mod wage_xlsx;
mod xlsx_stream;

use std::path::{Path, PathBuf};

use rand::rngs::StdRng;
use rand::SeedableRng;

pub use corpus::{write_corpus, CorpusFormat};
pub use idcard::is_valid_id18;
/// Every tag that can appear in a truth row's `mess` list.
pub use mess::TAGS as MESS_KINDS;
pub use printed_pages::{printed_wage_pages, worn_scan, PrintedPage};
pub use scanned_pdf::{scanned_pdf, PdfScan};
pub use scans::table_page_image;

/// The demo archive every door builds (the app's first start, `--demo`, `archivedesk demo`,
/// the UI's 打开演示档案库): one seed and size, so that README's examples are in it.
pub const DEMO_SEED: u64 = 1998;
pub const DEMO_ENTRIES: usize = 20_000;

pub struct DemoOptions {
    /// Approximate number of entry rows over all catalogues.
    pub entries: usize,
    pub seed: u64,
    /// Render page images for part of the documents (the slow part).
    pub page_images: bool,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            entries: DEMO_ENTRIES,
            seed: DEMO_SEED,
            page_images: true,
        }
    }
}

pub struct DemoOutput {
    pub catalogue_files: Vec<PathBuf>,
    pub scan_root: PathBuf,
    pub truth_file: PathBuf,
    pub documents: usize,
    pub entries: usize,
    pub pages: usize,
}

/// Rows per head of staff over the 26 years (wage tables plus hiring and retirement), used for a
/// first guess of unit sizes before measuring.
const ROWS_PER_HEAD: f64 = 15.0;

/// Writes a demo archive into `out_dir`: catalogues under `catalogue/`, full texts and page
/// images under `scans/`, and `truth.jsonl`.
pub fn generate_demo(opts: &DemoOptions, out_dir: &Path) -> anyhow::Result<DemoOutput> {
    let weight: f64 = units::UNITS.iter().map(|u| u.1).sum();
    let guess = (opts.entries as f64 / (weight * ROWS_PER_HEAD)).max(1.0);
    // Measure one run and scale the head counts so the entry count lands near the request.
    let mut scale = guess;
    for _ in 0..3 {
        let measured = people::simulate(&mut StdRng::seed_from_u64(opts.seed), scale).entry_count();
        scale *= opts.entries as f64 / measured.max(1) as f64;
    }
    let world = people::simulate(&mut StdRng::seed_from_u64(opts.seed), scale);

    let mut rng = StdRng::seed_from_u64(opts.seed.wrapping_add(1));
    let docs = docs::assign(&world, &mut rng);
    let scan_root = out_dir.join("scans");
    std::fs::create_dir_all(&scan_root)?;

    let mut truth = Vec::new();
    let mut files = wage_xlsx::write_wage_tables(
        &world,
        &docs,
        out_dir,
        "catalogue/wage",
        &mut rng,
        &mut truth,
    )?;
    files.extend(retirement_csv::write_retirements(
        &world,
        &docs,
        out_dir,
        "catalogue",
        &scan_root,
        &mut rng,
        &mut truth,
    )?);
    files.push(recruitment_jsonl::write_recruitments(
        &world,
        &docs,
        out_dir,
        "catalogue/招工录用审批.jsonl",
        &mut rng,
        &mut truth,
    )?);
    let truth_file = out_dir.join("truth.jsonl");
    truth::write_truth(&truth, &truth_file)?;

    let pages = if opts.page_images {
        let max_pages = (opts.entries / 50).clamp(2, 400);
        scans::write_scans(&world, &docs, &scan_root, max_pages, opts.seed)?
    } else {
        0
    };
    Ok(DemoOutput {
        catalogue_files: files.iter().map(|f| out_dir.join(f)).collect(),
        scan_root,
        truth_file,
        documents: docs.len(),
        entries: truth.len(),
        pages,
    })
}
