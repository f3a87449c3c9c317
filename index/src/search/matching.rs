//! Whether and how well a record matches: each term's best clause, and the record's tier.

use tantivy::query::Scorer;
use tantivy::DocId;

use super::clauses::{Clause, Tier};

/// Moves a scorer to `doc` (never backwards) and says whether it matches there.
pub(super) fn matches_at(scorer: &mut dyn Scorer, doc: DocId) -> bool {
    if scorer.doc() < doc {
        scorer.seek(doc);
    }
    scorer.doc() == doc
}

/// The tier a record earns: for each term the best way it matches (clauses are in tier order),
/// the worst of those over the terms; and for an entry, no better than the best match in its
/// own row — an entry is not a hit at all through its document alone (a 档号 or a title brings
/// up the document, not each of its rows). Also says whether a person field (name, ID, pinyin)
/// matched, so that within a tier the people asked for come before rows that merely share a
/// unit with the query.
pub(super) fn doc_tier(
    clause_scorers: &mut [Vec<(&Clause, Box<dyn Scorer>)>],
    doc: DocId,
    is_document: impl FnOnce() -> bool,
) -> Option<(Tier, bool, bool)> {
    let mut worst = Tier::Exact;
    let mut own_best: Option<Tier> = None;
    let mut person = false;
    for term in clause_scorers.iter_mut() {
        let mut best: Option<Tier> = None;
        for (clause, scorer) in term.iter_mut() {
            let tier = clause.tier;
            // Clauses come in tier order: once both are settled, nothing after can improve.
            if best.is_some_and(|b| tier >= b) && own_best.is_some_and(|o| tier >= o) {
                break;
            }
            let improves_term = best.is_none_or(|b| tier < b);
            let improves_own = clause.own && own_best.is_none_or(|o| tier < o);
            if !improves_term && !improves_own {
                continue;
            }
            if matches_at(scorer.as_mut(), doc) {
                best = Some(best.map_or(tier, |b| b.min(tier)));
                if clause.own {
                    own_best = Some(own_best.map_or(tier, |o| o.min(tier)));
                }
                person |= clause.person;
            }
        }
        worst = worst.max(best?);
    }
    // Own fields exist on entries only: a record with none of them matched is a document (a
    // hit) or an entry matched through its document alone (not one). Only then is its kind read.
    match own_best {
        Some(own) => Some((worst.max(own), person, false)),
        None => is_document().then_some((worst, true, true)),
    }
}
