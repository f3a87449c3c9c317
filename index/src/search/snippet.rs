//! Snippets: plain-text fragments of the stored original with highlight ranges, found by running
//! the index's own tokenizer over the original, so that normalization (widths, traditional
//! characters) never shifts a highlight. Never HTML: vendor text cannot inject markup.

use tantivy::tokenizer::{TokenStream, Tokenizer};

use super::cjk_tokenizer::CjkTokenizer;
use crate::api::SnippetFragment;

/// Characters shown before and after a match in long text.
const CONTEXT_BEFORE: usize = 24;
const CONTEXT_AFTER: usize = 56;
const MAX_FRAGMENTS: usize = 2;

/// One indexed position: its normalized unit (a character or a Latin/digit word) and the byte
/// range it came from in the original.
struct Unit {
    text: String,
    from: usize,
    to: usize,
}

/// The first token at each position is the position's unit (the unigram or the word).
fn units(text: &str) -> Vec<Unit> {
    let mut tokenizer = CjkTokenizer;
    let mut stream = tokenizer.token_stream(text);
    let mut out: Vec<Unit> = Vec::new();
    let mut last_position = usize::MAX;
    while stream.advance() {
        let t = stream.token();
        if t.position != last_position {
            last_position = t.position;
            out.push(Unit {
                text: t.text.clone(),
                from: t.offset_from,
                to: t.offset_to,
            });
        }
    }
    out
}

/// Byte ranges in `text` where any of `needles` (as the clerk typed them) occurs.
pub fn match_ranges(text: &str, needles: &[String]) -> Vec<(usize, usize)> {
    let hay = units(text);
    let mut ranges = Vec::new();
    for needle in needles {
        let n: Vec<String> = units(needle).into_iter().map(|u| u.text).collect();
        if n.is_empty() || n.len() > hay.len() {
            continue;
        }
        for start in 0..=hay.len() - n.len() {
            if hay[start..start + n.len()]
                .iter()
                .zip(&n)
                .all(|(h, q)| &h.text == q)
            {
                ranges.push((hay[start].from, hay[start + n.len() - 1].to));
            }
        }
    }
    ranges.sort();
    // Merge overlapping ranges so a highlight is never nested.
    let mut merged: Vec<(usize, usize)> = Vec::new();
    for (a, b) in ranges {
        match merged.last_mut() {
            Some(last) if a <= last.1 => last.1 = last.1.max(b),
            _ => merged.push((a, b)),
        }
    }
    merged
}

/// Where the words of a typed query stand in `text`, as [from, to) in characters: the record
/// view highlights them in the document's full text.
pub fn query_highlights(text: &str, query: &str) -> Vec<[usize; 2]> {
    let needles = query_needles(query);
    let whole = fragment("", text, 0, text.len(), &match_ranges(text, &needles));
    whole.highlights
}

/// A typed query's terms, as the search understands them.
fn query_terms(query: &str) -> Vec<super::analyze::Term> {
    let mut understood = Vec::new();
    super::analyze::analyze(query, &super::known_codes::NothingKnown, &mut understood).terms
}

/// The texts a typed query highlights (its words; never an ID number's digits).
pub fn query_needles(query: &str) -> Vec<String> {
    query_terms(query)
        .iter()
        .flat_map(super::clauses::highlight_texts)
        .collect()
}

/// The texts a typed query is looked for by on a scanned page: its words and its ID numbers.
pub fn query_words(query: &str) -> Vec<String> {
    query_terms(query)
        .iter()
        .flat_map(|t| {
            let mut words = super::clauses::highlight_texts(t);
            words.extend(super::clauses::id_keys(t));
            words
        })
        .collect()
}

/// A short field shown whole, its matches highlighted; None when nothing matches.
pub fn whole_field(field: &str, text: &str, needles: &[String]) -> Option<SnippetFragment> {
    let ranges = match_ranges(text, needles);
    if ranges.is_empty() {
        return None;
    }
    Some(fragment(field, text, 0, text.len(), &ranges))
}

/// A short field shown whole and highlighted whole (a name matched by its reading).
pub fn whole_highlighted(field: &str, text: &str) -> SnippetFragment {
    SnippetFragment {
        field: field.to_string(),
        text: crate::privacy::mask_text(text),
        highlights: vec![[0, text.chars().count()]],
    }
}

/// Up to two windows of long text around its matches.
pub fn windows(field: &str, text: &str, needles: &[String]) -> Vec<SnippetFragment> {
    let ranges = match_ranges(text, needles);
    let mut out = Vec::new();
    let mut covered_to = 0;
    for &(from, to) in &ranges {
        if out.len() == MAX_FRAGMENTS {
            break;
        }
        if from < covered_to {
            continue;
        }
        let start = back_chars(text, from, CONTEXT_BEFORE).max(covered_to);
        let end = forward_chars(text, to, CONTEXT_AFTER);
        let inside: Vec<(usize, usize)> = ranges
            .iter()
            .copied()
            .filter(|&(a, b)| a >= start && b <= end)
            .collect();
        out.push(fragment(field, text, start, end, &inside));
        covered_to = end;
    }
    out
}

/// The rows of a scanned page's text that hold a match, up to two, each showing only what
/// `privacy::scanned_rows` lets every clerk see of it.
/// An ID number asked for is looked for digit by digit (the recognizer may have split it),
/// and never highlighted.
pub fn scanned_rows(
    field: &str,
    text: &str,
    (needles, ids): (&[String], &[String]),
) -> Vec<SnippetFragment> {
    // Digits as the index folds them (full-width to ASCII), letters lowercased.
    let digits = |s: &str| -> String {
        crate::text::fold_width(s)
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    };
    let ids: Vec<String> = ids.iter().map(|id| digits(id)).collect();
    let holds_id = |s: &str| {
        let read = digits(s);
        ids.iter().any(|id| read.contains(id.as_str()))
    };
    let holds = |s: &str| !match_ranges(s, needles).is_empty() || holds_id(s);
    text.lines()
        .filter(|row| holds(row))
        .filter_map(|row| {
            let shown = crate::privacy::scanned_rows::shown_row(row, holds, holds_id);
            // A match within a number now hidden is shown without its highlight.
            whole_field(field, &shown, needles).or_else(|| {
                (!shown.is_empty()).then(|| fragment(field, &shown, 0, shown.len(), &[]))
            })
        })
        .take(MAX_FRAGMENTS)
        .collect()
}

fn back_chars(text: &str, at: usize, n: usize) -> usize {
    text[..at]
        .char_indices()
        .rev()
        .take(n)
        .last()
        .map_or(at, |(i, _)| i)
}

fn forward_chars(text: &str, at: usize, n: usize) -> usize {
    text[at..]
        .char_indices()
        .nth(n)
        .map_or(text.len(), |(i, _)| at + i)
}

/// The text between two byte offsets, with byte ranges turned into character offsets. The text
/// is shown to every clerk: it is cut from the whole text masked (ID numbers and amounts hidden,
/// one `*` per character), so that a number cut by the window is hidden as a whole and the
/// highlights stay where they are.
fn fragment(
    field: &str,
    text: &str,
    start: usize,
    end: usize,
    ranges: &[(usize, usize)],
) -> SnippetFragment {
    let char_at = |byte: usize| text[..byte].chars().count();
    let (from, to) = (char_at(start), char_at(end));
    let masked = crate::privacy::mask_text(text);
    let mut highlights: Vec<[usize; 2]> = ranges
        .iter()
        .map(|&(a, b)| [char_at(a), char_at(b)])
        .collect();
    // A highlight on hidden digits would confirm them.
    crate::privacy::keep_visible_highlights(text, &masked, &mut highlights);
    SnippetFragment {
        field: field.to_string(),
        text: masked.chars().skip(from).take(to - from).collect(),
        highlights: highlights
            .into_iter()
            .map(|[a, b]| [a - from, b - from])
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_land_on_the_original_across_traditional_and_full_width() {
        let f = whole_field("name", "劉　建國", &["刘建国".to_string()]).unwrap();
        assert_eq!(f.text, "劉　建國");
        assert_eq!(f.highlights, vec![[0, 4]]);
        let f = whole_field("unit", "第１机械厂", &["1机械".to_string()]).unwrap();
        assert_eq!(f.highlights, vec![[1, 4]]);
    }

    #[test]
    fn long_text_is_cut_into_windows_around_matches() {
        let text = format!("{}王立军同志，男，{}", "前".repeat(100), "后".repeat(100));
        let w = windows("full_text", &text, &["王立军".to_string()]);
        assert_eq!(w.len(), 1);
        let [a, b] = w[0].highlights[0];
        let chars: Vec<char> = w[0].text.chars().collect();
        assert_eq!(chars[a..b].iter().collect::<String>(), "王立军");
        assert!(w[0].text.chars().count() < 100);
    }

    #[test]
    fn snippets_hide_id_numbers_and_keep_their_highlights() {
        let text = format!(
            "{}经审核，王立军同志，男，居民身份证号码620102 19560315 0012，现已达到退休年龄",
            "前".repeat(30)
        );
        let w = windows("full_text", &text, &["居民身份证号码".to_string()]);
        assert_eq!(w.len(), 1);
        assert!(w[0].text.contains("620102 ******** ****"), "{}", w[0].text);
        let [a, b] = w[0].highlights[0];
        let chars: Vec<char> = w[0].text.chars().collect();
        assert_eq!(chars[a..b].iter().collect::<String>(), "居民身份证号码");
    }

    #[test]
    fn markup_in_vendor_text_stays_text() {
        let f = whole_field("title", "<b>王磊</b>", &["王磊".to_string()]).unwrap();
        assert_eq!(f.text, "<b>王磊</b>");
        assert_eq!(f.highlights, vec![[3, 5]]);
    }
}
