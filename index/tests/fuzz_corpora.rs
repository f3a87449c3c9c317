//! Every input of the fuzz corpora (`index/fuzz/corpus/<target>/`: the seeds, and every crash a
//! fuzzing run found) replayed through the targets' own bodies on stable Rust: each must come
//! back without a panic.

#[path = "../fuzz/targets.rs"]
mod targets;

use std::path::Path;

fn replay(target: &str, run: impl Fn(&[u8])) -> usize {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz/corpus")
        .join(target);
    let mut inputs: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .flatten()
        .map(|e| e.path())
        .collect();
    inputs.sort();
    for input in &inputs {
        let bytes = std::fs::read(input).unwrap();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&bytes)));
        assert!(outcome.is_ok(), "{target}: {} panicked", input.display());
    }
    inputs.len()
}

#[test]
fn every_corpus_input_comes_back_without_a_panic() {
    let replayed = [
        replay("catalogue_csv", |d| targets::catalogue("csv", d)),
        replay("catalogue_jsonl", |d| targets::catalogue("jsonl", d)),
        replay("catalogue_xlsx", |d| targets::catalogue("xlsx", d)),
        replay("query", targets::query),
        replay("codes", targets::codes),
        replay("operation", targets::operation),
    ];
    assert!(
        replayed.iter().all(|&n| n > 0),
        "every target has inputs: {replayed:?}"
    );
}
