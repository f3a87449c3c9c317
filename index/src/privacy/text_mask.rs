//! Free text as a caller who may not see personal data gets it: ID numbers, however written,
//! keep their region and lose the rest, and money amounts next to wage words are hidden. Every
//! hidden character becomes one `*`, so the text keeps its length in characters and highlight
//! ranges computed on the original still land on the same words.

// Words after which a number is money: the words that make a column a money column.
use super::money_words::MONEY_WORDS;
use crate::text::id_in_text::{id_digit_spans, is_digit};
use crate::text::id_number::MASK_KEEPS;

/// How far after a money word its amount may stand, in characters.
const MONEY_REACH: usize = 16;

/// Units that make a number a date, a count or a share rather than money.
const NOT_MONEY_AFTER: &[char] = &[
    '年', '月', '日', '号', '批', '页', '级', '%', '％', '岁', '个', '人', '名', '次', '条', '项',
    '类', '期', '届', '档', '〕', ']', '）', ')',
];

/// Characters of Chinese numerals written in an amount (肆拾伍元伍角).
const CHINESE_NUMERALS: &str = "零〇一二三四五六七八九十百千万壹贰叁肆伍陆柒捌玖拾佰仟两";

/// `text` with ID numbers and money amounts hidden; see the module comment.
pub fn mask_text(text: &str) -> String {
    let mut hide: Vec<(usize, usize)> = Vec::new();
    for number in id_digit_spans(text) {
        hide.extend(number.into_iter().skip(MASK_KEEPS));
    }
    hide.extend(money_spans(text));
    if hide.is_empty() {
        return text.to_string();
    }
    hide.sort_unstable();
    hidden(text, &hide)
}

/// `text` with only its ID numbers masked (the region kept), amounts left as written: what a
/// certificate does to every ID number it transcribes, the requester's own included.
pub fn mask_id_numbers(text: &str) -> String {
    let mut hide: Vec<(usize, usize)> = id_digit_spans(text)
        .into_iter()
        .flat_map(|number| number.into_iter().skip(MASK_KEEPS))
        .collect();
    hide.sort_unstable();
    hidden(text, &hide)
}

/// `text` with each byte range of `hide` (sorted) replaced by one `*`.
fn hidden(text: &str, hide: &[(usize, usize)]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for &(from, to) in hide {
        if from < at {
            continue;
        }
        out.push_str(&text[at..from]);
        out.push('*');
        at = to;
    }
    out.push_str(&text[at..]);
    out
}

/// Whether masking would change `text`.
pub fn holds_personal_numbers(text: &str) -> bool {
    mask_text(text) != text
}

fn is_amount_char(c: char) -> bool {
    is_digit(c) || matches!(c, '.' | '．' | ',' | '，')
}

/// Byte ranges of the characters of money amounts: numbers followed by 元/圆/角, and numbers
/// within reach after a money word that are not dates or counts.
fn money_spans(text: &str) -> Vec<(usize, usize)> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut spans = Vec::new();
    // After a money word, up to the end of its clause.
    let mut reach_until = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (at, c) = chars[i];
        if MONEY_WORDS.iter().any(|w| text[at..].starts_with(w)) {
            reach_until = i + MONEY_REACH;
        }
        if matches!(c, '。' | '；' | ';' | '\n') {
            reach_until = 0;
        }
        let numeral = is_digit(c) || CHINESE_NUMERALS.contains(c);
        if !numeral {
            i += 1;
            continue;
        }
        let from = i;
        let mut to = i;
        while to < chars.len()
            && (is_amount_char(chars[to].1) || CHINESE_NUMERALS.contains(chars[to].1))
        {
            to += 1;
        }
        // Trailing punctuation belongs to the sentence, not the number.
        while to > from && matches!(chars[to - 1].1, '.' | '．' | ',' | '，') {
            to -= 1;
        }
        let next = chars.get(to).map(|&(_, c)| c);
        let has_digits = chars[from..to].iter().any(|&(_, c)| is_digit(c));
        let in_yuan = matches!(next, Some('元' | '圆' | '角'));
        let after_word =
            from < reach_until && has_digits && !next.is_some_and(|n| NOT_MONEY_AFTER.contains(&n));
        if in_yuan || after_word {
            for &(at, c) in &chars[from..to] {
                if !matches!(c, '.' | '．' | ',' | '，') {
                    spans.push((at, at + c.len_utf8()));
                }
            }
        }
        i = to.max(i + 1);
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_hidden_in_every_written_form() {
        for (written, shown) in [
            (
                "身份证号码620102195603150012。",
                "身份证号码620102************。",
            ),
            ("620102560315001", "620102*********"),
            ("62010219600101002x", "620102************"),
            (
                "６２０１０２１９５６０３１５００１２",
                "６２０１０２************",
            ),
            ("620102 19560315 0012", "620102 ******** ****"),
            ("620 102 1956 0315 0012", "620 102 **** **** ****"),
            ("620 102 195 603 150 012", "620 102 *** *** *** ***"),
            ("62010 21956 03150 012", "62010 2**** ***** ***"),
            ("620102 560315 001 另", "620102 ****** *** 另"),
            ("620102-19560315-0012", "620102-********-****"),
            ("620102.560315.001", "620102.******.***"),
            ("620102　19560315　001X", "620102　********　****"),
        ] {
            assert_eq!(mask_text(written), shown, "{written}");
        }
    }

    #[test]
    fn dates_codes_and_counts_stay() {
        for text in [
            "J012-WS·1998-Y-0034",
            "甘劳人薪〔1998〕45号",
            "1998 07 15 第3页",
            "自1998年10月1日起调整工资",
            "工资调整表（第2批）",
            "退休费按本人标准工资的百分之七十五计发",
            "电话 13800000000",
        ] {
            assert_eq!(mask_text(text), text, "{text}");
        }
    }

    #[test]
    fn money_next_to_wage_words_is_hidden() {
        assert_eq!(mask_text("月工资45.50元"), "月工资**.**元");
        assert_eq!(
            mask_text("工资由312.50调整为356.00"),
            "工资由***.**调整为***.**"
        );
        assert_eq!(mask_text("发给补助费 120"), "发给补助费 ***");
        assert_eq!(mask_text("计肆拾伍元"), "计***元");
        assert_eq!(mask_text("共计300元。"), "共计***元。");
    }

    #[test]
    fn the_text_keeps_its_length_in_characters() {
        let text = "经审核，王立军同志，男，身份证号码 620102 19560315 0012，月工资45.50元。";
        assert_eq!(mask_text(text).chars().count(), text.chars().count());
    }
}
