//! The one error every benchmark step fails with: its cause, said as a failed benchmark.

use crate::error::{Error, ErrorCode};

pub(super) fn bench_err(e: impl std::fmt::Display) -> Error {
    Error::new(ErrorCode::Io, format!("基准测试失败：{e}"))
}
