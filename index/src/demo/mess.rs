//! The ways real records differ from the canonical value, each as a small formatting function.
//! Written independently of the crate's normalizer so that each checks the other.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

/// Tags recorded in the ground truth for every deviation applied to a row.
pub const TAGS: &[&str] = &[
    "traditional_name",
    "traditional_unit",
    "fullwidth",
    "id15",
    "lowercase_x",
    "date_variant",
    "docno_bracket",
    "refcode_separator",
    "ideographic_space",
    "homophone",
    "untypeable",
    "middle_dot",
    "variant_char",
    "id_missing",
    "id_as_number",
    "date_as_number",
];

/// Simplified → traditional for characters that occur in the name and unit tables.
#[rustfmt::skip]
const TRADITIONAL: &[(char, char)] = &[
    ('刘', '劉'), ('国', '國'), ('华', '華'), ('陈', '陳'), ('张', '張'), ('杨', '楊'),
    ('黄', '黃'), ('赵', '趙'), ('吴', '吳'), ('孙', '孫'), ('马', '馬'), ('冯', '馮'),
    ('郑', '鄭'), ('许', '許'), ('邓', '鄧'), ('军', '軍'), ('红', '紅'), ('丽', '麗'),
    ('兰', '蘭'), ('凤', '鳳'), ('伟', '偉'), ('强', '強'), ('辉', '輝'), ('东', '東'),
    ('庆', '慶'), ('涛', '濤'), ('云', '雲'), ('龙', '龍'), ('宝', '寶'), ('荣', '榮'),
    ('贵', '貴'), ('长', '長'), ('义', '義'), ('胜', '勝'), ('学', '學'), ('厂', '廠'),
    ('县', '縣'), ('镇', '鎮'), ('销', '銷'), ('粮', '糧'), ('医', '醫'), ('电', '電'),
    ('机', '機'), ('农', '農'), ('织', '織'), ('运', '運'), ('输', '輸'),
    ('车', '車'), ('货', '貨'), ('邮', '郵'), ('业', '業'), ('筑', '築'),
    ('关', '關'), ('纺', '紡'), ('刚', '剛'), ('鹏', '鵬'), ('飞', '飛'),
    ('叶', '葉'), ('罗', '羅'), ('谢', '謝'), ('韩', '韓'), ('萧', '蕭'),
    ('杰', '傑'), ('丰', '豐'), ('卫', '衛'), ('艳', '艷'),
    ('苏', '蘇'), ('钟', '鍾'), ('龚', '龔'), ('卢', '盧'), ('邹', '鄒'), ('陆', '陸'),
];

/// Groups of characters with the same reading, as a clerk writing by ear would confuse them.
const HOMOPHONES: &[&str] = &[
    "立力丽",
    "军君均",
    "华桦",
    "明铭",
    "伟玮炜",
    "红宏洪",
    "英瑛",
    "平萍",
    "静晶",
    "志智",
    "秀绣",
    "兰岚",
    "芳方",
    "峰锋丰",
    "斌彬",
    "杰洁",
    "云芸",
    "霞侠",
    "刚钢",
    "勇永",
    "涛韬",
    "东冬",
    "新欣鑫",
    "文雯",
    "辉晖",
    "燕艳",
    "梅玫",
    "建健",
    "国果",
    "庆青",
    "林琳",
];

/// 异体字 that a conversion table does not fold: (rare form in the name, common form typed).
const VARIANTS: &[(char, char)] = &[('喆', '哲'), ('堃', '坤'), ('昇', '升')];

/// Middle dots seen in minority names instead of U+00B7.
const DOTS: &[char] = &['\u{2022}', '\u{2027}', '\u{30fb}', '\u{ff0e}'];

pub fn fullwidth(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 + 0xfee0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

pub fn traditional(s: &str) -> String {
    s.chars()
        .map(|c| TRADITIONAL.iter().find(|t| t.0 == c).map_or(c, |t| t.1))
        .collect()
}

pub fn has_traditional(s: &str) -> bool {
    traditional(s) != s
}

pub fn pad_ideographic(name: &str) -> String {
    let c: Vec<char> = name.chars().collect();
    format!("{}\u{3000}{}", c[0], c[1])
}

/// Replaces one given-name character by a homophone; None when no character has one.
pub fn homophone(given: &str, rng: &mut impl Rng) -> Option<String> {
    let chars: Vec<char> = given.chars().collect();
    for (i, c) in chars.iter().enumerate() {
        if let Some(g) = HOMOPHONES.iter().find(|g| g.contains(*c)) {
            let others: Vec<char> = g.chars().filter(|o| o != c).collect();
            let mut out = chars.clone();
            out[i] = others[rng.gen_range(0..others.len())];
            return Some(out.into_iter().collect());
        }
    }
    None
}

pub fn has_variant(s: &str) -> bool {
    s.chars().any(|c| VARIANTS.iter().any(|v| v.0 == c))
}

pub fn common_variant(s: &str) -> String {
    s.chars()
        .map(|c| VARIANTS.iter().find(|v| v.0 == c).map_or(c, |v| v.1))
        .collect()
}

/// Whether a character is one a clerk's input method could not produce in older systems.
pub fn is_rare(c: char) -> bool {
    super::names::RARE_CHARS.contains(c)
}

/// The character the clerk could not type, replaced by □ (the rare one if any, else the last).
pub fn untypeable(given: &str) -> String {
    let chars: Vec<char> = given.chars().collect();
    let i = chars
        .iter()
        .position(|&c| is_rare(c))
        .unwrap_or(chars.len() - 1);
    chars
        .iter()
        .enumerate()
        .map(|(j, &c)| if j == i { '\u{25a1}' } else { c })
        .collect()
}

pub fn other_dot(name: &str, rng: &mut impl Rng) -> String {
    let d = DOTS[rng.gen_range(0..DOTS.len())];
    name.replace('\u{b7}', &d.to_string())
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum DateStyle {
    /// 1998.07
    Dot,
    /// 1998.7
    DotNoPad,
    /// 1998年7月
    Nian,
    /// 1998-07
    Dash,
    /// 199807
    Compact,
    /// 98.7
    Short,
    /// 一九九八年七月
    Chinese,
    /// 1998/07
    Slash,
}

pub const ALL_DATE_STYLES: &[DateStyle] = &[
    DateStyle::Dot,
    DateStyle::DotNoPad,
    DateStyle::Nian,
    DateStyle::Dash,
    DateStyle::Compact,
    DateStyle::Short,
    DateStyle::Chinese,
    DateStyle::Slash,
];

/// A file's usual date style: what most vendors and clerks write.
pub fn file_date_style(rng: &mut impl Rng) -> DateStyle {
    match rng.gen_range(0..20) {
        0..=9 => DateStyle::Dot,
        10..=13 => DateStyle::Nian,
        14..=16 => DateStyle::Dash,
        17..=18 => DateStyle::DotNoPad,
        _ => DateStyle::Compact,
    }
}

/// Any style other than the given one.
pub fn other_date_style(style: DateStyle, rng: &mut impl Rng) -> DateStyle {
    loop {
        let s = ALL_DATE_STYLES[rng.gen_range(0..ALL_DATE_STYLES.len())];
        if s != style {
            return s;
        }
    }
}

const CN_DIGITS: [char; 10] = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

fn cn_year(y: i32) -> String {
    y.to_string()
        .bytes()
        .map(|b| CN_DIGITS[(b - b'0') as usize])
        .collect()
}

/// 1..=31 in Chinese numerals: 七, 十, 十二, 二十, 二十二, 三十一.
fn cn_number(n: u32) -> String {
    let (t, u) = (n / 10, n % 10);
    let mut s = String::new();
    if t > 1 {
        s.push(CN_DIGITS[t as usize]);
    }
    if t > 0 {
        s.push('十');
    }
    if u > 0 {
        s.push(CN_DIGITS[u as usize]);
    }
    s
}

/// A year and month in the given style.
pub fn ym(style: DateStyle, y: i32, m: u32) -> String {
    match style {
        DateStyle::Dot => format!("{y}.{m:02}"),
        DateStyle::DotNoPad => format!("{y}.{m}"),
        DateStyle::Nian => format!("{y}年{m}月"),
        DateStyle::Dash => format!("{y}-{m:02}"),
        DateStyle::Compact => format!("{y}{m:02}"),
        DateStyle::Short => format!("{}.{m}", y % 100),
        DateStyle::Chinese => format!("{}年{}月", cn_year(y), cn_number(m)),
        DateStyle::Slash => format!("{y}/{m:02}"),
    }
}

/// A full date in the given style.
pub fn ymd(style: DateStyle, d: NaiveDate) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    match style {
        DateStyle::Dot => format!("{y}.{m:02}.{day:02}"),
        DateStyle::DotNoPad => format!("{y}.{m}.{day}"),
        DateStyle::Nian => format!("{y}年{m}月{day}日"),
        DateStyle::Dash => format!("{y}-{m:02}-{day:02}"),
        DateStyle::Compact => format!("{y}{m:02}{day:02}"),
        DateStyle::Short => format!("{}.{m}.{day}", y % 100),
        DateStyle::Chinese => format!("{}年{}月{}日", cn_year(y), cn_number(m), cn_number(day)),
        DateStyle::Slash => format!("{y}/{m}/{day}"),
    }
}

/// Chinese-numeral date as in the body of an approval: 一九九八年三月二十日.
pub fn cn_date(d: NaiveDate) -> String {
    ymd(DateStyle::Chinese, d)
}

pub fn cn_ym(y: i32, m: u32) -> String {
    ym(DateStyle::Chinese, y, m)
}

/// Bracket pairs around the year of a document number; the first is the standard one.
pub const BRACKETS: &[(&str, &str)] = &[
    ("〔", "〕"),
    ("[", "]"),
    ("（", "）"),
    ("(", ")"),
    ("［", "］"),
];

/// A document number like 清劳人薪〔1998〕45号.
pub fn docno(prefix: &str, year: i32, num: u32, bracket: usize) -> String {
    let (l, r) = BRACKETS[bracket];
    format!("{prefix}{l}{year}{r}{num}号")
}

/// Separators written instead of the middle dot of a 档号.
pub const REF_SEPARATORS: &[&str] = &["-", "\u{2022}", "\u{30fb}", "."];

/// The canonical 档号: J012-WS·1998-Y-0034.
pub fn ref_code(fonds: &str, category: &str, year: i32, retention: &str, serial: u32) -> String {
    format!("{fonds}-{category}\u{b7}{year}-{retention}-{serial:04}")
}

pub fn ref_code_with(canonical: &str, sep: &str) -> String {
    canonical.replace('\u{b7}', sep)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_styles() {
        let d = NaiveDate::from_ymd_opt(1998, 7, 22).unwrap();
        assert_eq!(ym(DateStyle::Chinese, 1998, 7), "一九九八年七月");
        assert_eq!(ym(DateStyle::Short, 1998, 7), "98.7");
        assert_eq!(ym(DateStyle::Compact, 1998, 7), "199807");
        assert_eq!(cn_date(d), "一九九八年七月二十二日");
        assert_eq!(cn_number(10), "十");
        assert_eq!(cn_number(30), "三十");
    }

    #[test]
    fn small_transforms() {
        assert_eq!(fullwidth("1998x"), "１９９８ｘ");
        assert_eq!(traditional("刘建国"), "劉建國");
        assert_eq!(pad_ideographic("王磊"), "王\u{3000}磊");
        assert_eq!(untypeable("喆"), "\u{25a1}");
        assert_eq!(
            ref_code("J012", "WS", 1998, "Y", 34),
            "J012-WS\u{b7}1998-Y-0034"
        );
    }
}
