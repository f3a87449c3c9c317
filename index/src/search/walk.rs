//! The walk over every matching record: its tier, its score when it may reach the page, and the
//! facet counts. A large index is walked in two halves at once, one per core, each segment split
//! at its middle document; the halves' results are merged, and hits sort the same either way
//! (their order ends on the index address).

use std::cmp::Ordering;

use tantivy::query::{Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Searcher, SegmentReader, TERMINATED};

use super::clauses::{Clause, Tier};
use super::facets::FacetCounter;
use super::matching::doc_tier;
use super::order::Found;
use super::schema::KIND_DOCUMENT;
use crate::error::Result;

/// Below this many records one walk is as quick as two (a second thread costs a few tenths of a
/// millisecond, which a small archive's whole search takes).
const SPLIT_FROM_DOCS: u32 = 300_000;

#[cfg(not(test))]
fn split_from() -> u32 {
    SPLIT_FROM_DOCS
}

#[cfg(test)]
thread_local! {
    /// Tests split small indexes too, to compare the two ways of walking.
    static SPLIT_FROM: std::cell::Cell<u32> = const { std::cell::Cell::new(SPLIT_FROM_DOCS) };
}

#[cfg(test)]
fn split_from() -> u32 {
    SPLIT_FROM.with(|s| s.get())
}

/// What one walk found.
#[derive(Default)]
pub(super) struct Partial {
    pub(super) total: usize,
    pub(super) facets: FacetCounter,
    /// The best hits seen (at least the `wanted` best), entries only.
    pub(super) found: Vec<Found>,
    /// Document hits with their category and year, decided after the walk: their rows may come
    /// later or in the other half.
    pub(super) documents: Vec<(Found, Option<String>, Option<u64>)>,
    /// Each document whose row matched on a person field, with that row's tier.
    pub(super) best_entry: Vec<(i64, Tier)>,
}

impl Partial {
    fn merge(mut self, other: Partial) -> Partial {
        self.total += other.total;
        self.facets.merge(other.facets);
        self.found.extend(other.found);
        self.documents.extend(other.documents);
        self.best_entry.extend(other.best_entry);
        self
    }
}

/// A stretch of one segment's documents, [start, end).
struct Range<'a> {
    ord: u32,
    segment: &'a SegmentReader,
    start: DocId,
    end: DocId,
}

pub(super) struct Walk<'a, O> {
    pub(super) weight: &'a dyn Weight,
    pub(super) clause_weights: &'a [Vec<(&'a Clause, Box<dyn Weight>)>],
    pub(super) order: &'a O,
    /// How many hits the page needs from the top (offset + limit).
    pub(super) wanted: usize,
}

impl<O: Fn(&Found, &Found) -> Ordering + Sync> Walk<'_, O> {
    pub(super) fn all(&self, searcher: &Searcher) -> Result<Partial> {
        let segments = searcher.segment_readers();
        let whole: Vec<Range> = segments
            .iter()
            .enumerate()
            .map(|(ord, segment)| Range {
                ord: ord as u32,
                segment,
                start: 0,
                end: segment.max_doc(),
            })
            .collect();
        let docs: u32 = segments.iter().map(|s| s.max_doc()).sum();
        if docs < split_from() {
            return self.ranges(&whole);
        }
        let (first, second): (Vec<Range>, Vec<Range>) = whole
            .iter()
            .map(|r| {
                let middle = r.end / 2;
                (
                    Range { end: middle, ..*r },
                    Range {
                        start: middle,
                        ..*r
                    },
                )
            })
            .unzip();
        let (a, b) = std::thread::scope(|scope| {
            let other = scope.spawn(|| self.ranges(&second));
            let mine = self.ranges(&first);
            (mine, other.join())
        });
        let b = b.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        Ok(a?.merge(b?))
    }

    fn ranges(&self, ranges: &[Range]) -> Result<Partial> {
        let mut partial = Partial::default();
        let mut cutoff: Option<Found> = None;
        for range in ranges {
            self.range(range, &mut partial, &mut cutoff)?;
        }
        Ok(partial)
    }

    fn range(&self, range: &Range, out: &mut Partial, cutoff: &mut Option<Found>) -> Result<()> {
        let segment = range.segment;
        let mut scorer = self.weight.scorer(segment, 1.0)?;
        let mut clause_scorers: Vec<Vec<(&Clause, Box<dyn Scorer>)>> = self
            .clause_weights
            .iter()
            .map(|term| {
                term.iter()
                    .map(|(c, w)| Ok((*c, w.scorer(segment, 1.0)?)))
                    .collect::<Result<Vec<_>>>()
            })
            .collect::<Result<_>>()?;
        let kind = segment.fast_fields().u64("kind")?;
        let document_id = segment.fast_fields().u64("document_id")?;
        let who = segment.fast_fields().u64("person")?;
        let date = segment.fast_fields().u64("date")?;
        let alive = segment.alive_bitset();
        let order = self.order;
        out.facets.start_segment(segment)?;
        let mut doc = scorer.doc();
        if doc < range.start {
            doc = scorer.seek(range.start);
        }
        while doc != TERMINATED && doc < range.end {
            if !alive.is_none_or(|a| a.is_alive(doc)) {
                doc = scorer.advance();
                continue;
            }
            let kind_of = || kind.first(doc) == Some(KIND_DOCUMENT);
            let Some((tier, person, is_document)) = doc_tier(&mut clause_scorers, doc, kind_of)
            else {
                doc = scorer.advance();
                continue;
            };
            let mut hit = Found {
                document_id: 0,
                entry_id: None,
                page_id: None,
                tier,
                person,
                // Scored only when it may make the page (see below).
                score: f32::INFINITY,
                address: DocAddress::new(range.ord, doc),
                is_document,
                who: who.first(doc).unwrap_or_default(),
                date: date.first(doc).unwrap_or_default(),
            };
            let may_rank = |h: &Found, cutoff: &Option<Found>| {
                cutoff.is_none_or(|c| order(h, &c) == Ordering::Less)
            };
            if is_document || may_rank(&hit, cutoff) {
                hit.score = scorer.score();
            }
            if is_document || person {
                hit.document_id = document_id.first(doc).unwrap_or_default() as i64;
            }
            if is_document {
                let (category, year) = out.facets.values(doc);
                out.documents.push((hit, category, year));
                doc = scorer.advance();
                continue;
            }
            if person {
                out.best_entry.push((hit.document_id, tier));
            }
            out.total += 1;
            out.facets.count(doc);
            // Most matches of a broad query rank below the page: one comparison with the worst
            // hit kept skips them.
            if hit.score.is_finite() && may_rank(&hit, cutoff) {
                out.found.push(hit);
                // Keep the best `wanted`, pruning in batches so the walk stays linear.
                if out.found.len() >= self.wanted * 4 + 64 {
                    out.found.sort_by(order);
                    out.found.truncate(self.wanted);
                    *cutoff = out.found.last().copied();
                }
            }
            doc = scorer.advance();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::SPLIT_FROM;
    use crate::api::SearchRequest;
    use crate::Archive;

    /// What a clerk sees of an answer: the hits in order with their tiers, the total, the facets.
    fn seen(archive: &mut Archive, query: &str, offset: usize) -> String {
        let answer = archive
            .search(&SearchRequest {
                query: query.to_string(),
                limit: Some(10),
                offset,
                ..SearchRequest::default()
            })
            .unwrap();
        let hits: Vec<String> = answer
            .hits
            .iter()
            .map(|h| format!("{} {:?} {:?} {}", h.ref_code, h.entry_id, h.name, h.tier))
            .collect();
        format!(
            "{} {:?} {:?} {:?}",
            answer.total, hits, answer.facets.category, answer.facets.year
        )
    }

    #[test]
    fn walking_in_two_halves_finds_what_one_walk_finds() {
        let dir = tempfile::tempdir().unwrap();
        crate::demo::build::build_demo_archive(dir.path(), 600, 7, false, &mut |_| {}).unwrap();
        let mut archive = Archive::open(dir.path()).unwrap();
        let queries = [
            "王",
            "清源县",
            "工资调整",
            "1990",
            "zhang",
            "退休",
            "供销社 1995",
        ];
        for query in queries {
            for offset in [0, 10] {
                SPLIT_FROM.with(|s| s.set(u32::MAX));
                let once = seen(&mut archive, query, offset);
                SPLIT_FROM.with(|s| s.set(0));
                let halves = seen(&mut archive, query, offset);
                assert_eq!(once, halves, "query {query}, offset {offset}");
            }
        }
    }
}
