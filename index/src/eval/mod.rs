//! Search quality measured against the demo generator's ground truth: for each way a clerk's
//! typing and a record's writing disagree, queries built from truth rows with this module's own
//! transformations (never the crate's normalizer), run through `Archive::search` (10 hits),
//! scored by recall@10, rank-1 rate and mean reciprocal rank of the row, person or document the
//! query asks for. `archivedesk bench recall` prints the table; `tests/search_quality.rs`
//! holds the engine to it.

pub mod corpus;
mod counter_kinds;
pub mod kinds;
mod retyped;
pub mod tables;

use std::collections::{BTreeMap, HashSet};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::Serialize;

use crate::api::{SearchHit, SearchRequest};
use crate::error::{Error, ErrorCode, Result};
use crate::text::normalize_name;
use crate::Archive;
pub use corpus::{Corpus, TruthRow};
pub use counter_kinds::COUNTER_KINDS;
pub use kinds::{Kind, Query, Target, KINDS};

/// Hits looked at per query.
pub const LIMIT: usize = 10;

/// Position of a tier in the ranking order (unknown tiers last).
pub fn tier_rank(tier: &str) -> usize {
    use crate::search::clauses::Tier;
    Tier::ALL
        .iter()
        .position(|t| t.name() == tier)
        .unwrap_or(Tier::ALL.len())
}

#[derive(Debug, Clone)]
pub struct EvalOptions {
    /// Queries per kind at most.
    pub per_kind: usize,
    pub seed: u64,
    /// Only these kinds (all when empty).
    pub kinds: Vec<String>,
    /// Failing queries kept per kind as examples.
    pub examples: usize,
}

impl Default for EvalOptions {
    fn default() -> Self {
        EvalOptions {
            per_kind: 200,
            seed: 1998,
            kinds: Vec::new(),
            examples: 5,
        }
    }
}

/// One hit of a query, as much as the checks need.
#[derive(Debug, Clone, Serialize)]
pub struct HitBrief {
    pub tier: String,
    pub name: Option<String>,
    /// `normalize_name` of the name as written.
    pub name_norm: Option<String>,
    pub entry_id: Option<i64>,
    pub document_id: i64,
    pub ref_code: String,
    pub year: Option<i32>,
    /// This hit is (part of) the answer.
    pub relevant: bool,
}

/// One query and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    pub kind: &'static str,
    pub query: String,
    /// The name the clerk typed, for queries that hold one.
    pub typed_name: Option<String>,
    pub target: Target,
    /// The answer in words: the truth row's name, 档号 and row.
    pub expected: String,
    /// 1-based rank of the first relevant hit within the top 10.
    pub rank: Option<usize>,
    pub tier: Option<String>,
    /// Found, and every hit above the target is an entry of exactly the typed name or of the
    /// target's own name, or the target's own document: nothing that matches worse is ranked
    /// above it (ties among people of one name are not the engine's to break).
    pub unbeaten: bool,
    /// Every hit is an entry whose name normalizes to the typed name's.
    pub all_same_name: bool,
    pub total: usize,
    /// The search failed (error or panic).
    pub error: Option<String>,
    pub hits: Vec<HitBrief>,
}

impl Outcome {
    pub fn found(&self) -> bool {
        self.rank.is_some()
    }
}

/// Figures of one kind of query.
#[derive(Debug, Clone, Serialize)]
pub struct KindReport {
    pub kind: &'static str,
    pub description: &'static str,
    /// Truth rows (or documents) the kind could ask for.
    pub candidates: usize,
    pub queries: usize,
    pub recall_at_10: f64,
    pub rank1: f64,
    /// Found with nothing worse ranked above it (see `Outcome::unbeaten`).
    pub rank1_tied: f64,
    pub mrr: f64,
    /// name_only_2char: target in top 10 or every top-10 hit exactly the typed name.
    pub alt_recall_at_10: Option<f64>,
    /// The tiers the target should be found at, and the share of found targets that were.
    pub expected_tiers: Vec<&'static str>,
    pub tier_ok: Option<f64>,
    /// Tier of the target's hit → count (not_found when missing).
    pub target_tiers: BTreeMap<String, usize>,
    /// Searches that returned an error or panicked.
    pub errors: usize,
    /// Queries not found, or found at an unexpected tier.
    pub examples: Vec<Outcome>,
}

#[derive(Debug, Clone, Serialize)]
pub struct EvalReport {
    pub truth_rows: usize,
    pub entries_joined: usize,
    pub per_kind: usize,
    pub seed: u64,
    /// Generating and importing the demo archive (when this run built it).
    pub build_seconds: Option<f64>,
    pub eval_seconds: f64,
    pub kinds: Vec<KindReport>,
    /// Every query's outcome, for checks beyond the figures.
    #[serde(skip)]
    pub outcomes: Vec<Outcome>,
}

fn stable_hash(s: &str) -> u64 {
    // FNV-1a: the sample of a kind must not change between runs or platforms.
    s.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100000001b3)
    })
}

/// The queries of one kind: up to `per_kind` candidates, sampled with a seed of their own.
pub fn queries_of(kind: &Kind, corpus: &Corpus, per_kind: usize, seed: u64) -> (usize, Vec<Query>) {
    let mut seen_docs = HashSet::new();
    let mut candidates: Vec<usize> = (0..corpus.rows.len())
        .filter(|&i| (kind.candidate)(corpus, i))
        .filter(|&i| !kind.per_document || seen_docs.insert(corpus.rows[i].ref_code.clone()))
        .collect();
    let available = candidates.len();
    let mut rng = StdRng::seed_from_u64(seed ^ stable_hash(kind.name));
    candidates.shuffle(&mut rng);
    let mut out = Vec::new();
    for i in candidates {
        if out.len() >= per_kind {
            break;
        }
        if let Some(q) = (kind.make)(corpus, i, &mut rng, out.len()) {
            out.push(q);
        }
    }
    (available, out)
}

fn relevant(corpus: &Corpus, target: Target, hit: &SearchHit) -> bool {
    match target {
        Target::Row(e) => hit.entry_id == Some(e),
        Target::Person(p) => hit
            .entry_id
            .and_then(|e| corpus.person_of_entry(e))
            .is_some_and(|q| q == p),
        Target::Document(d) => hit.document_id == d,
    }
}

fn expected_text(corpus: &Corpus, q: &Query) -> String {
    let r = &corpus.rows[q.row];
    match q.target {
        Target::Row(_) => format!(
            "{} ({} row {}, written {:?}, {})",
            r.name, r.ref_code_written, r.row, r.written_name, r.unit
        ),
        Target::Person(_) => format!("{} (person {}, ID {})", r.name, r.person_id, r.id18),
        Target::Document(_) => format!("document {}", r.ref_code),
    }
}

fn panic_message(p: Box<dyn std::any::Any + Send>) -> String {
    p.downcast_ref::<String>()
        .cloned()
        .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
        .unwrap_or_else(|| "panic".into())
}

/// Runs one query.
pub fn run_query(archive: &mut Archive, corpus: &Corpus, kind: &Kind, q: &Query) -> Outcome {
    let request = SearchRequest {
        query: q.text.clone(),
        limit: Some(LIMIT),
        ..SearchRequest::default()
    };
    let typed_norm = q.typed_name.as_deref().map(normalize_name);
    let mut outcome = Outcome {
        kind: kind.name,
        query: q.text.clone(),
        typed_name: q.typed_name.clone(),
        target: q.target,
        expected: expected_text(corpus, q),
        rank: None,
        tier: None,
        unbeaten: false,
        all_same_name: false,
        total: 0,
        error: None,
        hits: Vec::new(),
    };
    let response = match catch_unwind(AssertUnwindSafe(|| archive.search(&request))) {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => {
            outcome.error = Some(format!("error: {}", e.message));
            return outcome;
        }
        Err(p) => {
            outcome.error = Some(format!("panic: {}", panic_message(p)));
            return outcome;
        }
    };
    outcome.total = response.total;
    for (i, h) in response.hits.iter().take(LIMIT).enumerate() {
        let is_relevant = relevant(corpus, q.target, h);
        if is_relevant && outcome.rank.is_none() {
            outcome.rank = Some(i + 1);
            outcome.tier = Some(h.tier.clone());
        }
        outcome.hits.push(HitBrief {
            tier: h.tier.clone(),
            name: h.name.clone(),
            name_norm: h.name.as_deref().map(normalize_name),
            entry_id: h.entry_id,
            document_id: h.document_id,
            ref_code: h.ref_code.clone(),
            year: h.year,
            relevant: is_relevant,
        });
    }
    if let Some(rank) = outcome.rank {
        let target = &outcome.hits[rank - 1];
        let (own, own_document) = (target.name_norm.clone(), target.document_id);
        outcome.unbeaten = outcome.hits[..rank - 1].iter().all(|h| match h.entry_id {
            Some(_) => h.name_norm.is_some() && (h.name_norm == typed_norm || h.name_norm == own),
            // The target's own document (a retirement approval naming its person).
            None => h.document_id == own_document,
        });
    }
    outcome.all_same_name = typed_norm.is_some()
        && !outcome.hits.is_empty()
        && outcome
            .hits
            .iter()
            .all(|h| h.entry_id.is_some() && h.name_norm == typed_norm);
    outcome
}

fn summarize(
    kind: &'static Kind,
    candidates: usize,
    outcomes: &[Outcome],
    examples: usize,
) -> KindReport {
    let n = outcomes.len();
    let rate = |k: usize| if n == 0 { 0.0 } else { k as f64 / n as f64 };
    let found = outcomes.iter().filter(|o| o.found()).count();
    let rank1 = outcomes.iter().filter(|o| o.rank == Some(1)).count();
    let rr = outcomes
        .iter()
        .filter_map(|o| o.rank)
        .fold(0.0, |sum, r| sum + 1.0 / r as f64);
    let mut target_tiers = BTreeMap::new();
    for o in outcomes {
        let key = o.tier.clone().unwrap_or_else(|| "not_found".into());
        *target_tiers.entry(key).or_insert(0) += 1;
    }
    let tier_fits = |o: &Outcome| {
        kind.expected_tiers.is_empty()
            || o.tier
                .as_deref()
                .is_some_and(|t| kind.expected_tiers.contains(&t))
    };
    let tier_ok = (!kind.expected_tiers.is_empty() && found > 0).then(|| {
        outcomes
            .iter()
            .filter(|o| o.found() && tier_fits(o))
            .count() as f64
            / found as f64
    });
    KindReport {
        kind: kind.name,
        description: kind.description,
        candidates,
        queries: n,
        recall_at_10: rate(found),
        rank1: rate(rank1),
        rank1_tied: rate(outcomes.iter().filter(|o| o.unbeaten).count()),
        mrr: if n == 0 { 0.0 } else { rr / n as f64 },
        alt_recall_at_10: kind.same_name_alternative.then(|| {
            rate(
                outcomes
                    .iter()
                    .filter(|o| o.found() || o.all_same_name)
                    .count(),
            )
        }),
        expected_tiers: kind.expected_tiers.to_vec(),
        tier_ok,
        target_tiers,
        errors: outcomes.iter().filter(|o| o.error.is_some()).count(),
        examples: outcomes
            .iter()
            .filter(|o| !o.found() || !tier_fits(o))
            .filter(|o| !(kind.same_name_alternative && o.all_same_name))
            .take(examples)
            .cloned()
            .collect(),
    }
}

/// Every kind of query: DESIGN.md's mismatches, then the ways clerks type at the counter.
pub fn all_kinds() -> impl Iterator<Item = &'static Kind> {
    KINDS.iter().chain(COUNTER_KINDS)
}

/// Evaluates search on a demo archive against its truth file.
pub fn evaluate(
    archive: &mut Archive,
    truth_file: &Path,
    options: &EvalOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<EvalReport> {
    let started = Instant::now();
    let corpus = Corpus::load(truth_file, archive.database_path())?;
    let mut kinds = Vec::new();
    let mut all = Vec::new();
    for kind in all_kinds() {
        if !options.kinds.is_empty() && !options.kinds.iter().any(|k| k == kind.name) {
            continue;
        }
        progress(kind.name);
        let (candidates, queries) = queries_of(kind, &corpus, options.per_kind, options.seed);
        let outcomes: Vec<Outcome> = queries
            .iter()
            .map(|q| run_query(archive, &corpus, kind, q))
            .collect();
        kinds.push(summarize(kind, candidates, &outcomes, options.examples));
        all.extend(outcomes);
    }
    Ok(EvalReport {
        truth_rows: corpus.rows.len(),
        entries_joined: corpus.entry.iter().filter(|e| e.is_some()).count(),
        per_kind: options.per_kind,
        seed: options.seed,
        build_seconds: None,
        eval_seconds: started.elapsed().as_secs_f64(),
        kinds,
        outcomes: all,
    })
}

/// `archivedesk bench recall`: what to build and how much to ask.
#[derive(Debug, Clone)]
pub struct RecallOptions {
    pub entries: usize,
    pub seed: u64,
    pub per_kind: usize,
    /// Keep the built archive here and reuse it when built with the same entries and seed;
    /// default: a temporary folder, removed afterwards.
    pub work_dir: Option<PathBuf>,
}

const BUILT_MARK: &str = "recall-built.json";

/// Builds the demo archive (no page images) and evaluates search on it.
pub fn run_recall(options: &RecallOptions, progress: &mut dyn FnMut(&str)) -> Result<EvalReport> {
    let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("无法准备测评文件夹：{e}"));
    let (dir, temporary) = match &options.work_dir {
        Some(w) => (
            w.join(format!("recall-{}-{}", options.entries, options.seed)),
            false,
        ),
        None => (
            std::env::temp_dir().join(format!("archivedesk-recall-{}", std::process::id())),
            true,
        ),
    };
    let mark = dir.join(BUILT_MARK);
    let mut build_seconds = None;
    if !mark.is_file() {
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(io)?;
        }
        std::fs::create_dir_all(&dir).map_err(io)?;
        progress(&format!(
            "generating and importing {} demo entries into {}",
            options.entries,
            dir.display()
        ));
        let started = Instant::now();
        crate::demo::build::build_demo_archive(
            &dir,
            options.entries,
            options.seed,
            false,
            &mut |_| {},
        )?;
        build_seconds = Some(started.elapsed().as_secs_f64());
        std::fs::write(
            &mark,
            format!(
                "{{\"entries\":{},\"seed\":{}}}\n",
                options.entries, options.seed
            ),
        )
        .map_err(io)?;
    } else {
        progress(&format!("reusing the demo archive in {}", dir.display()));
    }
    let result = (|| {
        let mut archive = Archive::open_existing(&dir)?;
        let truth = dir
            .join(crate::demo::build::SOURCE_FOLDER)
            .join("truth.jsonl");
        let eval = EvalOptions {
            per_kind: options.per_kind,
            seed: options.seed,
            ..EvalOptions::default()
        };
        evaluate(&mut archive, &truth, &eval, progress)
    })();
    if temporary {
        let _ = std::fs::remove_dir_all(&dir);
    }
    let mut report = result?;
    report.build_seconds = build_seconds;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_names_are_unique() {
        let all: Vec<&Kind> = all_kinds().collect();
        for (i, k) in all.iter().enumerate() {
            assert!(all[..i].iter().all(|o| o.name != k.name), "{}", k.name);
        }
    }
}
