//! Resident ID numbers inside free text, however a clerk or a vendor wrote them: 15 or 18
//! digits, a check letter x/X, full-width digits, and spaces, dashes or dots between groups of
//! digits of any size. Masking needs the places of the digits; nothing here changes the text.

use super::id_number::plausible_id;

/// Fewest digits of a run taken for a number to hide without asking what it is: the old
/// 15-digit ID. Bank cards and longer numbers are hidden too.
const LONG_RUN: usize = 15;

/// Separator characters (at most this many in a row) that may stand between groups.
const MAX_GAP: usize = 3;

/// The byte ranges of the characters of each ID number found in `text`: its digits and its check
/// letter, not the separators between them.
pub fn id_digit_spans(text: &str) -> Vec<Vec<(usize, usize)>> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let groups = digit_groups(&chars);
    let mut found = Vec::new();
    let mut g = 0;
    while g < groups.len() {
        // A single unbroken run as long as an ID is hidden whatever it is.
        if groups[g].len() >= LONG_RUN {
            found.push(groups[g].spans(&chars));
            g += 1;
            continue;
        }
        match joined_id(&chars, &groups, g) {
            Some(last) => {
                found.push(
                    groups[g..=last]
                        .iter()
                        .flat_map(|group| group.spans(&chars))
                        .collect(),
                );
                g = last + 1;
            }
            None => g += 1,
        }
    }
    found
}

/// A run of digits (with the check letter that may end it), as indexes into the text's chars,
/// and whether a short run of separators joins it to the next group.
struct Group {
    from: usize,
    to: usize,
    check_letter: bool,
    joined_to_next: bool,
}

impl Group {
    fn len(&self) -> usize {
        self.to - self.from
    }

    fn digits(&self, chars: &[(usize, char)]) -> String {
        chars[self.from..self.to]
            .iter()
            .map(|&(_, c)| ascii_of(c))
            .collect()
    }

    fn spans(&self, chars: &[(usize, char)]) -> Vec<(usize, usize)> {
        chars[self.from..self.to]
            .iter()
            .map(|&(at, c)| (at, at + c.len_utf8()))
            .collect()
    }
}

/// Groups `first..=last` read as one number make a plausible ID (a known province and a real
/// birth date; a mistyped check digit is still someone's number): the last group's index.
/// Groups are joined only when the result is such a number, so that years, dates and 档号
/// parts typed side by side are never taken for one.
fn joined_id(chars: &[(usize, char)], groups: &[Group], first: usize) -> Option<usize> {
    let mut number = String::new();
    // A 15-digit reading found on the way, kept in case no 18-digit one follows.
    let mut fifteen = None;
    for last in first..groups.len() {
        if last > first && !groups[last - 1].joined_to_next {
            break;
        }
        number.push_str(&groups[last].digits(chars));
        let ends_in_letter = groups[last].check_letter;
        match number.len() {
            15 if !ends_in_letter && plausible_id(&number) => fifteen = Some(last),
            18 if plausible_id(&number) => return Some(last),
            n if n >= 18 || ends_in_letter => break,
            _ => {}
        }
    }
    fifteen
}

fn digit_groups(chars: &[(usize, char)]) -> Vec<Group> {
    let mut groups: Vec<Group> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i].1) {
            i += 1;
            continue;
        }
        let from = i;
        while i < chars.len() && is_digit(chars[i].1) {
            i += 1;
        }
        // A check letter directly after the digits, not the start of a word.
        let check_letter = i < chars.len()
            && is_check_letter(chars[i].1)
            && !chars.get(i + 1).is_some_and(|&(_, c)| c.is_alphanumeric());
        if check_letter {
            i += 1;
        }
        let mut gap = 0;
        while i + gap < chars.len() && gap < MAX_GAP && is_separator(chars[i + gap].1) {
            gap += 1;
        }
        let joined_to_next =
            !check_letter && gap > 0 && chars.get(i + gap).is_some_and(|&(_, c)| is_digit(c));
        groups.push(Group {
            from,
            to: i,
            check_letter,
            joined_to_next,
        });
    }
    groups
}

pub fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

fn is_check_letter(c: char) -> bool {
    matches!(c, 'x' | 'X' | 'ｘ' | 'Ｘ')
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\u{3000}' | '\t' | '-' | '\u{2010}'
            ..='\u{2015}' | '－' | '.' | '．' | '·' | '・' | '•' | '‧' | '_'
    )
}

/// The ASCII digit (or X) a character stands for.
fn ascii_of(c: char) -> char {
    match c {
        '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
        'x' | 'ｘ' | 'Ｘ' => 'X',
        _ => c,
    }
}
