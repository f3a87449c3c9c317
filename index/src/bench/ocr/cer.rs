//! How much of what was printed on a page a reader got wrong: the character error rate over
//! the printed pieces of text (cells, title, footer). Each piece is paired with the line read
//! that is closest to it (edit distance, each line used once); a piece no line comes near is
//! wholly missed, and a line read that pairs with nothing is wholly wrong (dust read as text).

/// Levenshtein distance in characters.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

fn chars(text: &str) -> Vec<char> {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Errors and printed characters of one page: (errors, characters printed).
pub fn page_errors(printed: &[String], read: &[String]) -> (usize, usize) {
    let mut pieces: Vec<Vec<char>> = printed.iter().map(|p| chars(p)).collect();
    // Longer pieces first, so that a short cell cannot take a long one's line.
    pieces.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let lines: Vec<Vec<char>> = read
        .iter()
        .map(|l| chars(l))
        .filter(|l| !l.is_empty())
        .collect();
    let mut used = vec![false; lines.len()];
    let total: usize = pieces.iter().map(Vec::len).sum();
    let mut errors = 0;
    for piece in &pieces {
        let best = lines
            .iter()
            .enumerate()
            .filter(|(i, _)| !used[*i])
            .map(|(i, line)| (i, edit_distance(piece, line)))
            .min_by_key(|(_, d)| *d);
        match best {
            // Closer than half the piece: the piece, read with errors.
            Some((i, distance)) if distance * 2 < piece.len().max(1) => {
                used[i] = true;
                errors += distance;
            }
            _ => errors += piece.len(),
        }
    }
    errors += lines
        .iter()
        .zip(&used)
        .filter(|(_, u)| !**u)
        .map(|(l, _)| l.len())
        .sum::<usize>();
    (errors, total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_pair_with_the_nearest_line_and_the_rest_count_whole() {
        let printed = [
            "王秀英".to_string(),
            "1956.03".to_string(),
            "男".to_string(),
        ];
        // 王秀英 read as 王秀荚 (1), 1956.03 read right, 男 missed, a speck read as 一 (1).
        let read = [
            "王秀荚".to_string(),
            "1956.03".to_string(),
            "一".to_string(),
        ];
        assert_eq!(page_errors(&printed, &read), (1 + 1 + 1, 11));
        assert_eq!(edit_distance(&chars("kitten"), &chars("sitting")), 3);
    }
}
