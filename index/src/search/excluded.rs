//! A -word as tantivy's exclusion asks about it. `Exclude` asks each excluded scorer, with
//! `seek_danger`, whether a candidate record is in it — also for a candidate before where the
//! scorer stands (a phrase's scorer finds its first match when it is made). `seek_danger`'s
//! contract allows that, but tantivy's phrase scorer asserts against it, so a phrase after a minus
//! (`城关 -王-王磊`) failed the search in debug builds and the fuzzer. Such a question is answered
//! here, as tantivy's own `Weight::scorer_danger` does: not in the set, and where the scorer
//! stands is a lower bound of the next record that is.

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

#[derive(Debug)]
pub(super) struct Excluded(pub Box<dyn Query>);

impl Clone for Excluded {
    fn clone(&self) -> Self {
        Excluded(self.0.box_clone())
    }
}

impl Query for Excluded {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ExcludedWeight(self.0.weight(enable_scoring)?)))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.0.query_terms(visitor)
    }
}

struct ExcludedWeight(Box<dyn Weight>);

impl Weight for ExcludedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(AskedInOrder(self.0.scorer(reader, boost)?)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.0.explain(reader, doc)
    }
}

struct AskedInOrder(Box<dyn Scorer>);

impl DocSet for AskedInOrder {
    fn advance(&mut self) -> DocId {
        self.0.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if target <= self.0.doc() {
            return self.0.doc();
        }
        self.0.seek(target)
    }

    fn seek_danger(&mut self, target: DocId) -> tantivy::SeekDangerResult {
        let at = self.0.doc();
        if at > target {
            return tantivy::SeekDangerResult::SeekLowerBound(at);
        }
        self.0.seek_danger(target)
    }

    fn doc(&self) -> DocId {
        self.0.doc()
    }

    fn size_hint(&self) -> u32 {
        self.0.size_hint()
    }

    fn cost(&self) -> u64 {
        self.0.cost()
    }
}

impl Scorer for AskedInOrder {
    fn score(&mut self) -> Score {
        self.0.score()
    }
}
