//! The typed query cut into pieces at whitespace (quoted phrases kept whole), then pieces that
//! belong together joined again: a name padded with spaces (王 磊), digit groups that make a
//! valid ID number (620902 19420321 2464), a 档号 typed with spaces (J012 WS 1998 Y 0034) and a
//! 文号 typed without brackets (河政发1979 83号) — the last two only when the archive has them.

use super::known_codes::Known;
use crate::text::codes::{doc_number_keys, ref_code_key};
use crate::text::{is_cjk, parse_id_number};

#[derive(Debug, Clone, PartialEq)]
pub enum Piece {
    Typed {
        text: String,
        quoted: bool,
    },
    /// A 档号 and the archive's keys it names.
    RefCode {
        written: String,
        keys: Vec<String>,
    },
    /// A 文号 typed without brackets and the archive's keys it names.
    DocNumber {
        written: String,
        keys: Vec<String>,
    },
    /// Digit groups that join into a valid ID number; `apart` holds the groups as typed.
    Id {
        written: String,
        key: String,
        apart: Vec<String>,
    },
}

impl Piece {
    fn typed(&self) -> Option<&str> {
        match self {
            Piece::Typed {
                text,
                quoted: false,
            } => Some(text),
            _ => None,
        }
    }
}

/// The pieces of a width-folded query, joined where they belong together.
pub fn pieces(folded: &str, known: &dyn Known) -> Vec<Piece> {
    let split = split_at_whitespace(folded)
        .into_iter()
        .map(|(text, quoted)| Piece::Typed { text, quoted })
        .collect();
    join_doc_numbers(
        join_ref_codes(join_id_groups(join_spaced_name(split)), known),
        known,
    )
}

/// Splits on whitespace, keeping quoted phrases ("…", “…”, 「…」) whole.
fn split_at_whitespace(query: &str) -> Vec<(String, bool)> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut closing: Option<char> = None;
    for c in query.chars() {
        match closing {
            Some(end) if c == end => {
                if !current.trim().is_empty() {
                    out.push((current.trim().to_string(), true));
                }
                current.clear();
                closing = None;
            }
            Some(_) => current.push(c),
            None if matches!(c, '"' | '“' | '「') && current.is_empty() => {
                closing = Some(match c {
                    '“' => '”',
                    '「' => '」',
                    _ => '"',
                });
            }
            None if c.is_whitespace() => {
                if !current.is_empty() {
                    out.push((std::mem::take(&mut current), false));
                }
            }
            None => current.push(c),
        }
    }
    if !current.trim().is_empty() {
        out.push((current.trim().to_string(), closing.is_some()));
    }
    out
}

/// Replaces `pieces[i..end]` by one piece where `join` finds one, trying the longest run first.
fn join_runs(
    pieces: Vec<Piece>,
    longest: usize,
    join: impl Fn(&[Piece]) -> Option<Piece>,
) -> Vec<Piece> {
    let mut out = Vec::with_capacity(pieces.len());
    let mut i = 0;
    while i < pieces.len() {
        let last = i.saturating_add(longest).min(pieces.len());
        match (i + 1..=last)
            .rev()
            .find_map(|end| join(&pieces[i..end]).map(|p| (p, end)))
        {
            Some((piece, end)) => {
                out.push(piece);
                i = end;
            }
            None => {
                out.push(pieces[i].clone());
                i += 1;
            }
        }
    }
    out
}

fn typed_run(run: &[Piece]) -> Option<Vec<&str>> {
    run.iter().map(Piece::typed).collect()
}

/// 王　磊, 王 磊: single characters in a row, as names are padded in old tables and copied
/// from them, are one name.
fn join_spaced_name(pieces: Vec<Piece>) -> Vec<Piece> {
    let single = |p: &&str| p.chars().count() == 1 && p.chars().all(is_cjk);
    join_runs(pieces, usize::MAX, |run| {
        let texts = typed_run(run)?;
        (run.len() >= 2 && texts.iter().all(single)).then(|| Piece::Typed {
            text: texts.concat(),
            quoted: false,
        })
    })
}

/// Separators clerks put between the digit groups of an ID number.
fn is_group_separator(c: char) -> bool {
    matches!(c, '-' | '.' | '·' | '・' | '\u{2010}'..='\u{2015}' | '/')
}

/// A group of digits (the last may end in X), with separators inside: its groups.
fn digit_groups(piece: &str) -> Option<Vec<&str>> {
    let groups: Vec<&str> = piece
        .split(is_group_separator)
        .filter(|g| !g.is_empty())
        .collect();
    let digits = |g: &str| g.bytes().all(|b| b.is_ascii_digit());
    let last_may_end_in_x = |g: &str| {
        let body = g.strip_suffix(['x', 'X']).unwrap_or(g);
        !body.is_empty() && digits(body)
    };
    let (last, rest) = groups.split_last()?;
    (rest.iter().all(|g| digits(g)) && last_may_end_in_x(last)).then_some(groups)
}

/// 620902 19420321 2464, 620 902 1942 0321 2464, 620902.19420321.2464: groups that make a valid
/// ID (18 digits with the right check digit, or 15 with a real region and birth date). Groups
/// that make no valid ID stay as they were typed: years and 档号 parts are never an ID.
fn join_id_groups(pieces: Vec<Piece>) -> Vec<Piece> {
    join_runs(pieces, 9, |run| {
        let texts = typed_run(run)?;
        let mut apart: Vec<String> = Vec::new();
        for text in &texts {
            apart.extend(digit_groups(text)?.into_iter().map(str::to_string));
        }
        // A lone ungrouped number is read as an ID (valid or not) where it stands.
        if apart.len() < 2 {
            return None;
        }
        // Only the last group may end in X.
        if apart[..apart.len() - 1]
            .iter()
            .any(|g| g.ends_with(['x', 'X']))
        {
            return None;
        }
        let compact = apart.concat();
        let id = parse_id_number(&compact)?;
        id.status.is_valid().then(|| Piece::Id {
            written: texts.join(" "),
            key: id.key,
            apart,
        })
    })
}

const REF_SEPARATORS: &[char] = &['·', '•', '‧', '・', '-', '.', '_', '/', '－', '．'];

fn is_code_piece(p: &str) -> bool {
    !p.is_empty()
        && p.chars()
            .all(|c| c.is_ascii_alphanumeric() || REF_SEPARATORS.contains(&c))
}

/// A 档号 typed with spaces for its separators (J012 WS 1998 Y 0034) arrives as several pieces:
/// consecutive code-like pieces whose joined key names a 档号 of the archive become one piece.
fn join_ref_codes(pieces: Vec<Piece>, known: &dyn Known) -> Vec<Piece> {
    join_runs(pieces, 12, |run| {
        let texts = typed_run(run)?;
        if run.len() < 2 || !texts.iter().all(|t| is_code_piece(t)) {
            return None;
        }
        let written = texts.join(" ");
        let keys = known.ref_keys(&ref_code_key(&written));
        (!keys.is_empty()).then_some(Piece::RefCode { written, keys })
    })
}

/// A 文号 typed without brackets: its issuer's abbreviation, year (two or four digits) and
/// serial (河政发1979 83号, 河政发79-83, 河政发1979年第83号), in one or two pieces; read so
/// only when the archive has that 文号.
fn join_doc_numbers(pieces: Vec<Piece>, known: &dyn Known) -> Vec<Piece> {
    join_runs(pieces, 2, |run| {
        let texts = typed_run(run)?;
        let written = texts.join(" ");
        let (issuer, year, serial) = unbracketed_doc_number(&texts)?;
        let keys: Vec<String> = doc_number_keys(&format!("{issuer}〔{year}〕{serial}号"))
            .into_iter()
            .filter(|k| known.has_doc_number(k))
            .collect();
        (!keys.is_empty()).then_some(Piece::DocNumber { written, keys })
    })
}

/// (issuer, year, serial) of `河政发1979 83号` as one or two pieces.
fn unbracketed_doc_number<'a>(texts: &[&'a str]) -> Option<(&'a str, &'a str, &'a str)> {
    let first = texts.first()?;
    let issuer_end = first
        .char_indices()
        .find(|(_, c)| !is_cjk(*c))
        .map(|(i, _)| i)?;
    let issuer = &first[..issuer_end];
    if issuer.chars().count() < 2 {
        return None;
    }
    let after = &first[issuer_end..];
    let year_len = after.bytes().take_while(u8::is_ascii_digit).count();
    if year_len != 2 && year_len != 4 {
        return None;
    }
    let (year, rest) = after.split_at(year_len);
    let serial_part = match texts {
        [_] => {
            let serial = rest.trim_start_matches(['-', '—', '–', '.', '/', '年', '_']);
            // Nothing between the year and the serial (河政发197983) is no 文号 to read.
            if serial.len() == rest.len() {
                return None;
            }
            serial
        }
        [_, second] if rest.is_empty() || rest == "年" => second,
        _ => return None,
    };
    let serial_part = serial_part.strip_prefix('第').unwrap_or(serial_part);
    let serial = serial_part.strip_suffix('号').unwrap_or(serial_part);
    (!serial.is_empty() && serial.bytes().all(|b| b.is_ascii_digit()))
        .then_some((issuer, year, serial))
}

#[cfg(test)]
mod tests {
    use super::super::known_codes::NothingKnown;
    use super::*;

    struct Holds(&'static [&'static str]);

    impl Known for Holds {
        fn ref_keys(&self, key: &str) -> Vec<String> {
            self.0
                .iter()
                .filter(|k| **k == key)
                .map(|k| k.to_string())
                .collect()
        }

        fn has_doc_number(&self, key: &str) -> bool {
            self.0.contains(&key)
        }
    }

    fn typed(text: &str) -> Piece {
        Piece::Typed {
            text: text.into(),
            quoted: false,
        }
    }

    #[test]
    fn digit_groups_join_into_an_id_only_when_it_is_valid() {
        for q in [
            "620902 19420321 2464",
            "620 902 1942 0321 2464",
            "620902.19420321.2464",
            "620902-1942-0321-2464",
            "620902·19420321·2464",
        ] {
            let p = pieces(q, &NothingKnown);
            assert!(
                matches!(&p[..], [Piece::Id { key, .. }] if key == "620902194203212464"),
                "{q}: {p:?}"
            );
        }
        // A 15-digit number with a real region and birth date.
        let p = pieces("431128 380318 718", &NothingKnown);
        assert!(
            matches!(&p[..], [Piece::Id { key, .. }] if key.len() == 18),
            "{p:?}"
        );
        // A wrong check digit, years typed together, a 档号's numbers: no ID is made up.
        for q in [
            "620902 19420321 2465",
            "1998 1999 2000 2001 12",
            "1979 0046 0012 2000 15",
        ] {
            assert!(
                !pieces(q, &NothingKnown)
                    .iter()
                    .any(|p| matches!(p, Piece::Id { .. })),
                "{q}"
            );
        }
        // Name and ID typed together: the name stays a piece of its own.
        let p = pieces("王磊 620902 19420321 2464 1998", &NothingKnown);
        assert_eq!(p.len(), 3, "{p:?}");
        assert_eq!(p[0], typed("王磊"));
        assert_eq!(p[2], typed("1998"));
    }

    #[test]
    fn a_doc_number_without_brackets_is_read_when_the_archive_has_it() {
        let known = Holds(&["河政发[1979]83号"]);
        for q in [
            "河政发1979 83号",
            "河政发79-83",
            "河政发1979年第83号",
            "河政发79 83",
        ] {
            let p = pieces(q, &known);
            assert!(
                matches!(&p[..], [Piece::DocNumber { keys, .. }] if keys == &["河政发[1979]83号"]),
                "{q}: {p:?}"
            );
        }
        assert!(!pieces("河政发1979 83号", &NothingKnown)
            .iter()
            .any(|p| matches!(p, Piece::DocNumber { .. })));
        assert!(!pieces("河政发197983", &known)
            .iter()
            .any(|p| matches!(p, Piece::DocNumber { .. })));
    }

    #[test]
    fn spaced_names_and_ref_codes_are_joined() {
        assert_eq!(pieces("王　磊 1998", &NothingKnown)[0], typed("王磊"));
        let known = Holds(&["J012-WS-1998-Y-0034"]);
        let p = pieces("王磊 J012 WS 1998 Y 0034", &known);
        assert!(
            matches!(&p[1], Piece::RefCode { written, .. } if written == "J012 WS 1998 Y 0034")
        );
    }
}
