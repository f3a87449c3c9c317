//! A catalogue's 页次/页号 cell read however it was written (3, 第3页, P3, 3-4, 3、5, ３): the scanned
//! pages a row stands on.

/// Page numbers a catalogue's page cell names; empty when it names none.
pub fn pages_named(cell: &str) -> Vec<i64> {
    let folded = super::fold_width(cell);
    let mut numbers: Vec<(i64, bool)> = Vec::new(); // (number, a range runs from it)
    let mut digits = String::new();
    let mut chars = folded.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_digit() {
            digits.push(c);
            if chars.peek().is_some_and(|n| n.is_ascii_digit()) {
                continue;
            }
            let range_follows = chars
                .peek()
                .is_some_and(|n| matches!(n, '-' | '－' | '~' | '～' | '至' | '—' | '–'));
            if let Ok(n) = digits.parse::<i64>() {
                numbers.push((n, range_follows));
            }
            digits.clear();
        }
    }
    let mut pages = Vec::new();
    let mut i = 0;
    while i < numbers.len() {
        let (n, range) = numbers[i];
        match numbers.get(i + 1) {
            Some(&(to, _)) if range && to >= n && to - n < 1000 => {
                pages.extend(n..=to);
                i += 2;
            }
            _ => {
                pages.push(n);
                i += 1;
            }
        }
    }
    pages.retain(|p| *p > 0);
    pages.sort_unstable();
    pages.dedup();
    pages
}

#[cfg(test)]
mod tests {
    use super::pages_named;

    #[test]
    fn page_cells_are_read_however_written() {
        assert_eq!(pages_named("3"), vec![3]);
        assert_eq!(pages_named("第3页"), vec![3]);
        assert_eq!(pages_named("P12"), vec![12]);
        assert_eq!(pages_named("３"), vec![3]);
        assert_eq!(pages_named("3-5"), vec![3, 4, 5]);
        assert_eq!(pages_named("3、7"), vec![3, 7]);
        assert_eq!(pages_named("第2至3页"), vec![2, 3]);
        assert!(pages_named("").is_empty());
        assert!(pages_named("见附件").is_empty());
    }
}
