//! Search quality on one generated 100 000-entry demo archive, against the generator's ground
//! truth: for every way DESIGN.md says a clerk's typing and a record's writing disagree, a kind
//! of query (`archivedesk::eval::kinds`) must find the record among the top 10 at least as
//! often as measured, exact ID numbers, 档号 and 文号 must rank it first, and the ranking rules
//! hold (exact names above homophones, two-character names matched exactly, □ records below
//! exact ones, fuzzy pinyin below exact pinyin).
//!
//! The archive is built once per test binary (about 1.5 minutes in a debug build) and every
//! query is run once (about 1.5 minutes more); the tests then read the outcomes. The same
//! figures for any size: `archivedesk bench recall`.
//!
//! Not run in the Windows leg: ranking does not depend on the platform, and a debug build of the
//! 100 000-entry archive under Wine would take most of CI's time.
#![cfg(not(windows))]

use archivedesk::demo::build::{build_demo_archive, SOURCE_FOLDER};
use archivedesk::eval::{evaluate, tier_rank, EvalOptions, EvalReport, KindReport, Outcome};
use archivedesk::text::normalize_name;
use archivedesk::Archive;
use std::sync::OnceLock;

const ENTRIES: usize = 100_000;
const SEED: u64 = 1998;
const PER_KIND: usize = 100;

fn build_and_evaluate() -> Result<EvalReport, String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    build_demo_archive(dir.path(), ENTRIES, SEED, false, &mut |_| {}).map_err(|e| e.message)?;
    let built = started.elapsed().as_secs_f64();
    let mut archive = Archive::open_existing(dir.path()).map_err(|e| e.message)?;
    let options = EvalOptions {
        per_kind: PER_KIND,
        seed: SEED,
        ..EvalOptions::default()
    };
    let truth = dir.path().join(SOURCE_FOLDER).join("truth.jsonl");
    let mut report =
        evaluate(&mut archive, &truth, &options, &mut |_| {}).map_err(|e| e.message)?;
    report.build_seconds = Some(built);
    eprintln!(
        "demo archive of {} truth rows built in {built:.0} s, {} queries run in {:.0} s",
        report.truth_rows,
        report.outcomes.len(),
        report.eval_seconds
    );
    for k in &report.kinds {
        eprintln!(
            "{:<26} {:>4} queries  recall@10 {:>5.1}%  rank-1 {:>5.1}%  rank-1~ {:>5.1}%  tier ok {}",
            k.kind,
            k.queries,
            k.recall_at_10 * 100.0,
            k.rank1 * 100.0,
            k.rank1_tied * 100.0,
            k.tier_ok
                .map(|t| format!("{:.1}%", t * 100.0))
                .unwrap_or_else(|| "-".into())
        );
    }
    // Every query has run: the archive (and its folder) is no longer needed.
    drop(archive);
    Ok(report)
}

/// The evaluation, run once for all tests of this binary.
fn report() -> &'static EvalReport {
    static REPORT: OnceLock<Result<EvalReport, String>> = OnceLock::new();
    let result = REPORT.get_or_init(|| {
        std::panic::catch_unwind(build_and_evaluate)
            .unwrap_or_else(|_| Err("building or evaluating the demo archive panicked".into()))
    });
    match result {
        Ok(r) => r,
        Err(e) => panic!("no evaluation: {e}"),
    }
}

fn kind(name: &str) -> &'static KindReport {
    report()
        .kinds
        .iter()
        .find(|k| k.kind == name)
        .unwrap_or_else(|| panic!("no kind of query named {name}"))
}

fn outcomes(kind: &str) -> impl Iterator<Item = &'static Outcome> + '_ {
    report().outcomes.iter().filter(move |o| o.kind == kind)
}

fn show(o: &Outcome) -> String {
    let hits: Vec<String> = o
        .hits
        .iter()
        .enumerate()
        .map(|(i, h)| {
            format!(
                "{}. {} {} {}{}",
                i + 1,
                h.tier,
                h.name.as_deref().unwrap_or("(document)"),
                h.ref_code,
                if h.relevant { " <= target" } else { "" }
            )
        })
        .collect();
    format!(
        "「{}」 wants {}:\n    {}",
        o.query,
        o.expected,
        hits.join("\n    ")
    )
}

/// The least a kind of query must reach. `rank1_tied`: found with nothing that matches worse
/// ranked above it (only people of exactly the typed name, or the target's own document).
struct Bar {
    kind: &'static str,
    /// The DESIGN.md mismatch it checks.
    mismatch: &'static str,
    recall: f64,
    rank1: f64,
    rank1_tied: f64,
    /// Share of found targets at the kind's expected tier.
    tier_ok: f64,
}

const fn bar(
    kind: &'static str,
    mismatch: &'static str,
    recall: f64,
    rank1: f64,
    rank1_tied: f64,
    tier_ok: f64,
) -> Bar {
    Bar {
        kind,
        mismatch,
        recall,
        rank1,
        rank1_tied,
        tier_ok,
    }
}

/// Set a little below what was measured with 100 queries per kind (`archivedesk bench recall`
/// prints the same figures with 200). rank-1 below 100 % for names is ties: people of the same
/// name in the same year.
#[rustfmt::skip]
const BARS: &[Bar] = &[
    bar("name", "name + year", 1.0, 0.75, 0.98, 1.0),
    bar("name_year", "name and year in one piece", 1.0, 0.75, 0.98, 1.0),
    bar("name_only_2char", "two-character names match exactly", 0.5, 0.0, 0.5, 1.0),
    bar("traditional_name", "traditional ↔ simplified", 1.0, 0.75, 0.98, 1.0),
    bar("traditional_query", "traditional ↔ simplified", 1.0, 0.75, 0.98, 1.0),
    bar("fullwidth", "full-width ↔ half-width", 1.0, 1.0, 1.0, 1.0),
    bar("fullwidth_year", "full-width ↔ half-width", 1.0, 0.75, 0.98, 1.0),
    bar("fullwidth_record", "full-width ↔ half-width", 1.0, 1.0, 1.0, 1.0),
    bar("ideographic_space", "names padded with ideographic spaces", 1.0, 0.65, 0.98, 1.0),
    bar("ideographic_space_query", "names padded with ideographic spaces", 1.0, 0.65, 0.97, 0.97),
    bar("middle_dot", "the several middle dots of minority names", 1.0, 0.6, 0.97, 1.0),
    bar("variant_char", "异体字 OpenCC does not fold", 1.0, 0.95, 1.0, 1.0),
    bar("variant_char_query", "异体字 OpenCC does not fold", 1.0, 0.95, 1.0, 1.0),
    bar("untypeable", "untypeable character entered as □", 0.97, 0.85, 0.9, 1.0),
    bar("homophone", "homophone found below exact", 0.94, 0.62, 0.72, 1.0),
    bar("id_exact", "ID number", 1.0, 1.0, 1.0, 1.0),
    bar("id18_for_15", "15-digit ↔ 18-digit ID", 1.0, 1.0, 1.0, 1.0),
    bar("id15_for_18", "15-digit ↔ 18-digit ID", 1.0, 1.0, 1.0, 1.0),
    bar("lowercase_x", "lowercase x check digit", 1.0, 1.0, 1.0, 1.0),
    bar("lowercase_x_query", "lowercase x check digit", 1.0, 1.0, 1.0, 1.0),
    bar("birth_month", "dates: 1998.07 = 1998年7月 = 199807 = 一九九八年七月", 1.0, 0.95, 0.97, 0.0),
    bar("date_as_number", "Excel's year.month as a number", 0.95, 0.9, 0.9, 0.0),
    bar("ref_code", "档号", 1.0, 1.0, 1.0, 1.0),
    bar("ref_code_separator", "档号 typed with - or spaces", 1.0, 1.0, 1.0, 1.0),
    bar("ref_code_separator_record", "档号 typed with - or spaces", 1.0, 1.0, 1.0, 1.0),
    bar("docno_exact", "文号", 1.0, 1.0, 1.0, 1.0),
    bar("docno_bracket", "文号 brackets 〔〕 [] （） ()", 1.0, 1.0, 1.0, 1.0),
    bar("pinyin_full", "pinyin, full", 1.0, 0.72, 0.9, 1.0),
    bar("pinyin_surname_reading", "pinyin, full", 1.0, 0.9, 0.95, 1.0),
    bar("pinyin_initials", "pinyin, initials", 1.0, 0.75, 0.8, 1.0),
    bar("fuzzy_pinyin", "n/l, f/h, -n/-ng below exact pinyin", 0.95, 0.62, 0.75, 1.0),
    // Two namesakes in one unit, each with a long wage series: hits are grouped by person, so
    // the series of the one with the better best hit comes whole before the other's begins.
    bar("unit_phrase", "name + unit", 0.99, 0.88, 0.98, 0.0),
    bar("traditional_unit", "traditional ↔ simplified (unit)", 1.0, 0.9, 0.98, 0.0),
    bar("full_text_phrase", "full text", 1.0, 0.85, 0.85, 0.0),
    // Not in DESIGN.md: OCR wrote O for 〇 in the full text.
    bar("full_text_ocr_zero", "OCR noise: O for 〇", 1.0, 0.85, 0.85, 0.0),
    // As clerks type at the counter (`eval::counter_kinds`).
    bar("pasted_sentence", "a sentence pasted, punctuation and all", 0.98, 0.98, 0.98, 0.0),
    bar("pasted_sentence_printed", "a sentence pasted from the printed original", 0.98, 0.98, 0.98, 0.0),
    bar("id_grouped", "an ID typed in digit groups", 1.0, 1.0, 1.0, 1.0),
    bar("docno_short_year", "文号 with a two-digit year", 1.0, 1.0, 1.0, 1.0),
    bar("docno_unbracketed", "文号 without brackets", 1.0, 1.0, 1.0, 1.0),
    bar("ref_code_no_zeros", "档号 without leading zeros", 1.0, 1.0, 1.0, 1.0),
    bar("id_year_unnumbered_row", "an ID brings the person's rows without it", 0.98, 0.98, 0.98, 0.98),
];

#[test]
fn every_kind_of_query_meets_its_bar() {
    let mut failures = Vec::new();
    for b in BARS {
        let k = kind(b.kind);
        assert!(
            k.queries >= 30,
            "{}: only {} queries could be made ({} candidates)",
            b.kind,
            k.queries,
            k.candidates
        );
        let mut check = |what: &str, got: f64, want: f64| {
            if got + 1e-9 < want {
                let example = k
                    .examples
                    .first()
                    .map(show)
                    .unwrap_or_else(|| "(no example kept)".into());
                failures.push(format!(
                    "{} ({}): {what} {:.1}% < {:.1}%; e.g. {example}",
                    b.kind,
                    b.mismatch,
                    got * 100.0,
                    want * 100.0
                ));
            }
        };
        check("recall@10", k.recall_at_10, b.recall);
        check("rank-1", k.rank1, b.rank1);
        check("rank-1 (ties)", k.rank1_tied, b.rank1_tied);
        if let Some(t) = k.tier_ok {
            check("tier ok", t, b.tier_ok);
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn no_search_fails() {
    let failed: Vec<String> = report()
        .outcomes
        .iter()
        .filter_map(|o| {
            o.error
                .as_ref()
                .map(|e| format!("{} 「{}」: {e}", o.kind, o.query))
        })
        .collect();
    assert!(failed.is_empty(), "{}", failed.join("\n"));
}

#[test]
fn exact_ids_ref_codes_and_doc_numbers_rank_first() {
    for name in [
        "id_exact",
        "id18_for_15",
        "id15_for_18",
        "lowercase_x",
        "lowercase_x_query",
        "fullwidth",
        "fullwidth_record",
        "ref_code",
        "ref_code_separator",
        "ref_code_separator_record",
        "docno_exact",
        "docno_bracket",
    ] {
        for o in outcomes(name) {
            assert_eq!(o.rank, Some(1), "{name}: {}", show(o));
            assert_eq!(o.tier.as_deref(), Some("exact"), "{name}: {}", show(o));
        }
    }
    // An ID alone brings up that person's records before anyone else's.
    for o in outcomes("id_exact").chain(outcomes("fullwidth")) {
        let first_other = o.hits.iter().position(|h| !h.relevant);
        let last_own = o.hits.iter().rposition(|h| h.relevant);
        if let (Some(other), Some(own)) = (first_other, last_own) {
            assert!(
                own < other,
                "another person between the records: {}",
                show(o)
            );
        }
    }
}

#[test]
fn tiers_never_go_backwards() {
    for o in &report().outcomes {
        for pair in o.hits.windows(2) {
            assert!(
                tier_rank(&pair[0].tier) <= tier_rank(&pair[1].tier),
                "{}: {}",
                o.kind,
                show(o)
            );
        }
    }
}

#[test]
fn exact_names_rank_above_homophones() {
    let mut found = 0;
    for o in outcomes("homophone").filter(|o| o.found()) {
        found += 1;
        let typed = normalize_name(o.typed_name.as_deref().unwrap());
        let at = o.rank.unwrap() - 1;
        assert_ne!(o.tier.as_deref(), Some("exact"), "{}", show(o));
        assert!(
            tier_rank(o.tier.as_deref().unwrap()) >= tier_rank("pinyin"),
            "a homophone is a match by reading: {}",
            show(o)
        );
        // Every record of exactly the typed name comes before the homophone.
        assert!(
            o.hits[at + 1..]
                .iter()
                .all(|h| h.name_norm.as_deref() != Some(typed.as_str())),
            "{}",
            show(o)
        );
        assert!(
            o.hits[at + 1..].iter().all(|h| h.tier != "exact"),
            "{}",
            show(o)
        );
    }
    assert!(found >= 30, "only {found} homophones found");
}

/// The four-digit year in a query (full-width digits read as digits).
fn typed_year(query: &str) -> Option<i32> {
    archivedesk::text::fold_width(query)
        .split(|c: char| !c.is_ascii_digit())
        .find(|run| run.len() == 4)
        .and_then(|run| run.parse().ok())
}

#[test]
fn two_character_names_match_exactly() {
    let mut checked = 0;
    for o in report().outcomes.iter().filter(|o| {
        // Typed with an ideographic space inside, a name is two terms (see the weak spots).
        o.kind != "ideographic_space_query"
    }) {
        // With a unit or a birth date beside the name, a hit's tier is that of its worst term.
        let name_and_year = !matches!(
            o.kind,
            "unit_phrase" | "traditional_unit" | "birth_month" | "date_as_number"
        );
        let Some(typed) = o.typed_name.as_deref().map(normalize_name) else {
            continue;
        };
        if typed.chars().count() != 2 {
            continue;
        }
        checked += 1;
        let last_exact = o
            .hits
            .iter()
            .rposition(|h| h.name_norm.as_deref() == Some(typed.as_str()));
        let Some(last_exact) = last_exact else {
            continue;
        };
        for h in &o.hits[..last_exact] {
            let n = h.name_norm.as_deref().unwrap_or("");
            assert!(
                !(n != typed && n.contains(typed.as_str())),
                "{n} contains {typed} and ranks above an exact {typed}: {}",
                show(o)
            );
        }
        // An entry of exactly the typed name is an exact hit — in the year typed; in another
        // year it was found through the person's birth year, the weaker reading of a year.
        let typed_year = typed_year(&o.query);
        for h in o.hits.iter().filter(|_| name_and_year) {
            if h.name_norm.as_deref() == Some(typed.as_str()) {
                let want = if typed_year.is_none() || h.year == typed_year {
                    "exact"
                } else {
                    "text"
                };
                assert_eq!(h.tier, want, "{}", show(o));
            }
        }
    }
    assert!(checked >= 200, "only {checked} two-character queries");
    // A two-character name alone: its top 10 are that name and nothing longer.
    let k = kind("name_only_2char");
    assert!(
        k.alt_recall_at_10.unwrap() >= 0.99,
        "{:?}",
        k.alt_recall_at_10
    );
}

#[test]
fn untypeable_records_are_found_below_exact_ones() {
    let mut found = 0;
    for o in outcomes("untypeable").filter(|o| o.found()) {
        found += 1;
        let at = o.rank.unwrap() - 1;
        assert_eq!(o.tier.as_deref(), Some("placeholder"), "{}", show(o));
        assert!(
            o.hits[at + 1..]
                .iter()
                .all(|h| tier_rank(&h.tier) >= tier_rank("placeholder")),
            "{}",
            show(o)
        );
    }
    assert!(found >= 30, "only {found} □ records found");
}

#[test]
fn fuzzy_pinyin_is_found_below_exact_pinyin() {
    let mut found = 0;
    for o in outcomes("fuzzy_pinyin").filter(|o| o.found()) {
        found += 1;
        let at = o.rank.unwrap() - 1;
        assert_eq!(o.tier.as_deref(), Some("fuzzy_pinyin"), "{}", show(o));
        assert!(
            o.hits[at + 1..]
                .iter()
                .all(|h| tier_rank(&h.tier) >= tier_rank("fuzzy_pinyin")),
            "{}",
            show(o)
        );
    }
    assert!(found >= 30, "only {found} fuzzy readings found");
    for o in outcomes("pinyin_full").filter(|o| o.found()) {
        assert_eq!(o.tier.as_deref(), Some("pinyin"), "{}", show(o));
    }
}
