//! `archivedesk bench recall`: search quality on a generated demo archive, per kind of query.

use archivedesk::eval::{run_recall, EvalReport, RecallOptions};
use archivedesk::Error;
use std::path::PathBuf;

pub fn run(
    entries: usize,
    seed: u64,
    per_kind: usize,
    work_dir: Option<PathBuf>,
    json: bool,
) -> Result<i32, Error> {
    let options = RecallOptions {
        entries,
        seed,
        per_kind,
        work_dir,
    };
    let report = run_recall(&options, &mut |step| {
        if !json {
            eprintln!("… {step}");
        }
    })?;
    if json {
        super::print_json(&report);
    } else {
        print_report(&report);
    }
    Ok(0)
}

fn pct(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

fn print_report(r: &EvalReport) {
    println!(
        "search quality: {} truth rows ({} imported entries), up to {} queries per kind, seed {}, top {} hits",
        r.truth_rows,
        r.entries_joined,
        r.per_kind,
        r.seed,
        archivedesk::eval::LIMIT
    );
    if let Some(s) = r.build_seconds {
        println!(
            "demo archive built in {s:.0} s; queries ran in {:.0} s",
            r.eval_seconds
        );
    } else {
        println!("queries ran in {:.0} s", r.eval_seconds);
    }
    println!();
    println!(
        "{:<26} {:>7} {:>9} {:>7} {:>7} {:>6} {:>7} {:>7}  description",
        "kind", "queries", "recall@10", "rank-1", "rank-1~", "MRR", "alt@10", "tier ok"
    );
    for k in &r.kinds {
        println!(
            "{:<26} {:>7} {:>9} {:>7} {:>7} {:>6.3} {:>7} {:>7}  {}",
            k.kind,
            k.queries,
            pct(k.recall_at_10),
            pct(k.rank1),
            pct(k.rank1_tied),
            k.mrr,
            k.alt_recall_at_10.map(pct).unwrap_or_else(|| "-".into()),
            k.tier_ok.map(pct).unwrap_or_else(|| "-".into()),
            k.description
        );
    }
    println!();
    println!("rank-1~: found, and every hit above it is exactly the typed name or the target's own name (ties between people of one name).");
    println!(
        "alt@10: target in the top 10, or every top-10 hit is an entry of exactly the typed name."
    );
    println!("tier ok: share of found targets at the expected tier (exact; placeholder for □; pinyin for homophones …).");
    let weak: Vec<_> = r
        .kinds
        .iter()
        .filter(|k| !k.examples.is_empty() || k.errors > 0)
        .collect();
    if weak.is_empty() {
        return;
    }
    println!();
    println!("examples of queries not found (or found at an unexpected tier):");
    for k in weak {
        let tiers: Vec<String> = k
            .target_tiers
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        println!(
            "  {} — target tiers: {}{}",
            k.kind,
            tiers.join(", "),
            if k.errors > 0 {
                format!("; {} searches failed", k.errors)
            } else {
                String::new()
            }
        );
        for o in k.examples.iter().take(3) {
            let got = match (&o.error, o.rank) {
                (Some(e), _) => e.clone(),
                (None, Some(rank)) => format!(
                    "found at rank {rank}, tier {}",
                    o.tier.as_deref().unwrap_or("?")
                ),
                (None, None) => format!("not in the top {}", archivedesk::eval::LIMIT),
            };
            println!(
                "    「{}」 wants {} — {got}, {} total",
                o.query, o.expected, o.total
            );
            for (i, h) in o.hits.iter().take(3).enumerate() {
                println!(
                    "        {}. {:<12} {} {} {}",
                    i + 1,
                    h.tier,
                    h.name.as_deref().unwrap_or("(document)"),
                    h.ref_code,
                    h.year.map(|y| y.to_string()).unwrap_or_default()
                );
            }
        }
    }
}
