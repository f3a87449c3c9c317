//! The order of hits: tier first; then (for a 档号 or 文号 query) the document before its rows;
//! then, within a tier, one person's rows together in date order, the persons ordered by how
//! well they match. Rows match about equally well when they differ only in what the query did
//! not ask about, so scores are compared in bands a few percent wide: within a band, rows are
//! grouped by person (name and birth month, as the timeline joins them) and dated. The hits
//! kept for the page are then grouped whole: a person's rows follow the best of them.

use std::cmp::Ordering;

use tantivy::DocAddress;

use super::clauses::Tier;

/// A hit before it is filled in from the store.
#[derive(Clone, Copy)]
pub(super) struct Found {
    /// The store's ids, filled in for the page's hits.
    pub(super) document_id: i64,
    pub(super) entry_id: Option<i64>,
    /// The store's id of a scanned page read by the recognizer, for a page's hit.
    pub(super) page_id: Option<i64>,
    pub(super) tier: Tier,
    /// A document, or an entry matched on a person field.
    pub(super) person: bool,
    pub(super) score: f32,
    pub(super) address: DocAddress,
    pub(super) is_document: bool,
    /// Who the row is about (`person_key`); 0 for documents.
    pub(super) who: u64,
    /// The document's date (`date_number`).
    pub(super) date: u64,
}

/// Scores within about 2.5 % of each other share a band; a score not yet computed (infinite)
/// is above every band.
fn band(score: f32) -> i64 {
    if score.is_finite() {
        (f64::from(score.max(1e-6)).ln() * 40.0).floor() as i64
    } else {
        i64::MAX
    }
}

/// Tier; the document before its rows when asked; hits on a person field before the others;
/// then `how_well` (higher first); then one person's rows together, in date order. Ties end on
/// the index address, so that equal hits keep their order between pages.
fn compare(
    a: &Found,
    b: &Found,
    documents_first: bool,
    how_well: impl Fn(&Found) -> f64,
) -> Ordering {
    a.tier
        .cmp(&b.tier)
        .then_with(|| {
            if documents_first {
                b.is_document.cmp(&a.is_document)
            } else {
                Ordering::Equal
            }
        })
        .then_with(|| b.person.cmp(&a.person))
        .then_with(|| how_well(b).total_cmp(&how_well(a)))
        .then_with(|| a.who.cmp(&b.who))
        .then_with(|| a.date.cmp(&b.date))
        .then_with(|| b.score.total_cmp(&a.score))
        .then_with(|| a.address.cmp(&b.address))
}

/// The order of hits as the walk judges each alone (see the module's comment): by score band.
pub(super) fn hit_order(documents_first: bool) -> impl Fn(&Found, &Found) -> Ordering {
    move |a, b| compare(a, b, documents_first, |h| band(h.score) as f64)
}

/// Re-orders the hits kept for the page so that each person's rows stand together: the walk
/// ordered them by score band (it must judge each hit alone to prune), here a person's rows
/// follow the best of them, in date order, and the persons come by their best score. Hits
/// that are not about a person (documents, `who` 0) stand alone.
pub(super) fn group_by_person(found: &mut [Found], documents_first: bool) {
    let mut best: std::collections::HashMap<(Tier, bool, u64), f32> =
        std::collections::HashMap::new();
    for hit in found.iter().filter(|h| h.who != 0) {
        let slot = best
            .entry((hit.tier, hit.person, hit.who))
            .or_insert(f32::NEG_INFINITY);
        *slot = slot.max(hit.score);
    }
    let group_best = |h: &Found| {
        f64::from(if h.who == 0 {
            h.score
        } else {
            best[&(h.tier, h.person, h.who)]
        })
    };
    found.sort_by(|a, b| compare(a, b, documents_first, group_best));
}

/// FNV-1a: stable across builds, as the index outlives the program that wrote it.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash.max(1)
}

/// Who a row is about, as the person timeline joins rows: the name and the birth month (the
/// ID's when the ID is valid). A row without a birth is a person of its own (its ID, or itself).
pub fn person_key(
    name_norm: &str,
    id_key: Option<&str>,
    birth_key: Option<&str>,
    entry_id: i64,
) -> u64 {
    let month = id_key
        .and_then(crate::text::birth_date_of)
        .map(|(y, m, _)| format!("{y:04}-{m:02}"))
        .or_else(|| birth_key.and_then(|b| b.get(..7)).map(str::to_string));
    match (month, id_key) {
        (Some(month), _) => fnv1a(&[name_norm, &month]),
        (None, Some(id)) => fnv1a(&[name_norm, id]),
        (None, None) => fnv1a(&[name_norm, &entry_id.to_string()]),
    }
}

/// A date key (1998-07-15, 1998-07, 1998) as YYYYMMDD with 0 for what is not written; the
/// year alone when there is no date.
pub fn date_number(date_key: Option<&str>, year: Option<i64>) -> u64 {
    let part = |key: &str, range: std::ops::Range<usize>| {
        key.get(range)
            .and_then(|p| p.parse::<u64>().ok())
            .unwrap_or(0)
    };
    match date_key {
        Some(key) if key.len() >= 4 => {
            part(key, 0..4) * 10_000 + part(key, 5..7) * 100 + part(key, 8..10)
        }
        _ => year.filter(|y| *y > 0).map_or(0, |y| y as u64 * 10_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_sort_as_numbers_with_missing_parts_first() {
        assert_eq!(date_number(Some("1998-07-15"), None), 19980715);
        assert_eq!(date_number(Some("1998-07"), Some(1998)), 19980700);
        assert_eq!(date_number(None, Some(1987)), 19870000);
        assert_eq!(date_number(None, None), 0);
    }

    #[test]
    fn a_row_with_an_id_and_one_without_of_the_same_name_and_month_are_one_person() {
        let id = "431128195308109420";
        let with_id = person_key("唐芬雪", Some(id), Some("1953-08-10"), 1);
        assert_eq!(with_id, person_key("唐芬雪", None, Some("1953-08"), 2));
        assert_ne!(with_id, person_key("唐芬雪", None, Some("1953-09"), 3));
        assert_ne!(with_id, person_key("唐芳雪", None, Some("1953-08"), 4));
        // Without a birth, rows are kept apart.
        assert_ne!(
            person_key("王磊", None, None, 5),
            person_key("王磊", None, None, 6)
        );
    }

    #[test]
    fn scores_a_few_percent_apart_share_a_band() {
        assert_eq!(band(2.000), band(2.01));
        assert!(band(2.0) < band(2.2));
        assert_eq!(band(f32::INFINITY), i64::MAX);
    }
}
