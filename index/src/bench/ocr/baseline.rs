//! The baseline of `bench ocr`: RapidOCR (Python, ONNX Runtime) running the same PP-OCR models
//! on the same pages, in the same run (`rapidocr_baseline.py`, kept beside this file and
//! written out when the benchmark runs).

use super::super::bench_error::bench_err;
use crate::error::Result;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

const SCRIPT: &str = include_str!("../rapidocr_baseline.py");
/// Where `.ci/setup` installs RapidOCR and ONNX Runtime.
pub const DEFAULT_PYTHON: &str = "/var/cache/archivedesk-tools/rapidocr-venv/bin/python";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineLine {
    pub text: String,
    #[serde(default)]
    pub score: f32,
    #[serde(rename = "box", default)]
    pub corners: Vec<[f32; 2]>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselinePage {
    pub file: String,
    pub seconds: f64,
    pub lines: Vec<BaselineLine>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BaselineRun {
    pub engine: String,
    #[serde(default)]
    pub onnxruntime: String,
    pub load_seconds: f64,
    pub pages: Vec<BaselinePage>,
    #[serde(default)]
    pub peak_rss_mb: Option<f64>,
}

/// Runs RapidOCR with `python` on `pages`; None (with why) when that Python has no RapidOCR.
pub fn run_rapidocr(
    python: &Path,
    work: &Path,
    pages: &[PathBuf],
) -> Result<std::result::Result<BaselineRun, String>> {
    if !python.is_file() {
        return Ok(Err(format!(
            "没有 {}：RapidOCR 基线未运行（bash .ci/setup 会安装它）",
            python.display()
        )));
    }
    let script = work.join("rapidocr_baseline.py");
    std::fs::write(&script, SCRIPT).map_err(bench_err)?;
    let output = std::process::Command::new(python)
        .arg(&script)
        .args(pages)
        .output()
        .map_err(bench_err)?;
    if !output.status.success() {
        return Ok(Err(format!(
            "RapidOCR 基线失败：{}",
            String::from_utf8_lossy(&output.stderr)
        )));
    }
    serde_json::from_slice(&output.stdout)
        .map(Ok)
        .map_err(bench_err)
}
