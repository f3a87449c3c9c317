//! Toneless pinyin of person names: full readings (liujianguo) and initials (ljg).
//!
//! A name is read as units: the surname (one character or a compound such as 欧阳), each
//! given-name character, and each run of Latin letters or digits (passed through lowercased,
//! initial = its first character). A character without a reading (□, ·, rare ideographs)
//! contributes nothing, so 王□ reads "wang" — the placeholder is matched elsewhere.
//! ü is written "v" (as typed on IMEs) with "u" as a further reading: 吕 → lv, lu.
//! Names with a middle dot are transliterations, so no surname rule applies to them.

use ::pinyin::ToPinyinMulti;

/// Most combinations kept per name; heteronyms multiply quickly.
const MAX_COMBINATIONS: usize = 16;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NamePinyin {
    /// Every combination of readings, most likely first, e.g. "liujianguo".
    pub full: Vec<String>,
    /// First letter of each syllable of each combination, e.g. "ljg", deduplicated.
    pub initials: Vec<String>,
    /// Each combination with the n/l, f/h and -n/-ng confusions folded (see fuzzy_pinyin),
    /// e.g. 刘建国 and 牛建国 both "niujianguo"; to be ranked below exact pinyin.
    pub fuzzy: Vec<String>,
}

/// Compound surnames and how they read; a second reading covers a single surname + given name.
const COMPOUND_SURNAMES: &[(&str, &[&[&str]])] = &[
    ("欧阳", &[&["ou", "yang"]]),
    ("司马", &[&["si", "ma"]]),
    ("诸葛", &[&["zhu", "ge"]]),
    ("上官", &[&["shang", "guan"]]),
    ("慕容", &[&["mu", "rong"]]),
    ("单于", &[&["chan", "yu"], &["shan", "yu"]]),
    ("尉迟", &[&["yu", "chi"], &["wei", "chi"]]),
    ("万俟", &[&["mo", "qi"]]),
    ("长孙", &[&["zhang", "sun"]]),
    ("令狐", &[&["ling", "hu"]]),
    ("澹台", &[&["tan", "tai"]]),
    ("皇甫", &[&["huang", "fu"]]),
    ("夏侯", &[&["xia", "hou"]]),
    ("淳于", &[&["chun", "yu"]]),
    ("宇文", &[&["yu", "wen"]]),
    ("公孙", &[&["gong", "sun"]]),
    ("东方", &[&["dong", "fang"]]),
    ("钟离", &[&["zhong", "li"]]),
    ("端木", &[&["duan", "mu"]]),
    ("呼延", &[&["hu", "yan"]]),
    ("赫连", &[&["he", "lian"]]),
    ("申屠", &[&["shen", "tu"]]),
    ("拓跋", &[&["tuo", "ba"]]),
    ("独孤", &[&["du", "gu"]]),
    ("南宫", &[&["nan", "gong"]]),
    ("西门", &[&["xi", "men"]]),
    ("闻人", &[&["wen", "ren"]]),
    ("轩辕", &[&["xuan", "yuan"]]),
    ("司徒", &[&["si", "tu"]]),
    ("司空", &[&["si", "kong"]]),
    ("濮阳", &[&["pu", "yang"]]),
    ("太叔", &[&["tai", "shu"]]),
    ("公冶", &[&["gong", "ye"]]),
    ("仲孙", &[&["zhong", "sun"]]),
];

/// Surname readings the pinyin crate does not give first (单 dan, 曾 ceng, 解 jie …).
const SURNAME_READINGS: &[(char, &str)] = &[
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('查', "zha"),
    ('区', "ou"),
    ('翟', "zhai"),
    ('盖', "ge"),
    ('覃', "qin"),
    ('乐', "yue"),
    ('缪', "miao"),
    ('种', "chong"),
    ('员', "yun"),
    // As a single surname 尉 is Wèi; Yù belongs to 尉迟.
    ('尉', "wei"),
    ('万', "wan"),
    ('秘', "bi"),
    ('繁', "po"),
    ('折', "she"),
    ('召', "shao"),
    ('能', "nai"),
    ('牟', "mou"),
    ('祭', "zhai"),
    ('卜', "bu"),
    ('阚', "kan"),
    // 长 alone is Cháng; Zhǎng belongs to 长孙.
    ('长', "chang"),
    ('柏', "bai"),
    ('薄', "bo"),
    ('朝', "chao"),
    ('宿', "su"),
    ('纪', "ji"),
    ('那', "na"),
    ('洗', "xian"),
    ('冼', "xian"),
    ('隗', "wei"),
    ('逄', "pang"),
    ('眭', "sui"),
    ('都', "du"),
    ('句', "gou"),
    ('乜', "nie"),
    ('藏', "zang"),
    ('沈', "shen"),
    ('贾', "jia"),
    ('华', "hua"),
    ('任', "ren"),
];

/// One way to read a unit: its syllables.
type Reading = Vec<String>;

pub fn name_pinyin(normalized_name: &str) -> NamePinyin {
    let units = read_units(normalized_name);
    let combos = combinations(&units);
    let mut full = Vec::new();
    let mut initials = Vec::new();
    let mut fuzzy = Vec::new();
    for combo in &combos {
        let syllables = || combo.iter().flat_map(|r| r.iter());
        let f: String = syllables().map(String::as_str).collect();
        let i: String = syllables().filter_map(|s| s.chars().next()).collect();
        if !f.is_empty() && !full.contains(&f) {
            full.push(f);
        }
        if !i.is_empty() && !initials.contains(&i) {
            initials.push(i);
        }
        let z: String = syllables()
            .map(|s| super::fuzzy_pinyin::fuzzy_syllable(s))
            .collect();
        if !z.is_empty() && !fuzzy.contains(&z) {
            fuzzy.push(z);
        }
    }
    NamePinyin {
        full,
        initials,
        fuzzy,
    }
}

/// ASCII letters, with spaces or apostrophes as syllable breaks ("liu jianguo", "xi'an").
pub fn is_pinyin_query(s: &str) -> bool {
    let s = s.trim();
    s.chars().any(|c| c.is_ascii_alphabetic())
        && s.chars()
            .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\'')
}

/// Reading options per unit, the likeliest first.
fn read_units(name: &str) -> Vec<Vec<Reading>> {
    let chars: Vec<char> = name.chars().collect();
    let mut units: Vec<Vec<Reading>> = Vec::new();
    let mut i = 0;
    let transliterated = chars.contains(&'·');
    if !transliterated {
        let compound = (chars.len() >= 3)
            .then(|| chars[..2].iter().collect::<String>())
            .and_then(|head| COMPOUND_SURNAMES.iter().find(|(s, _)| *s == head));
        if let Some((_, readings)) = compound {
            units.push(
                readings
                    .iter()
                    .map(|r| r.iter().map(|s| s.to_string()).collect())
                    .collect(),
            );
            i = 2;
        } else if let Some(&first) = chars.first() {
            let mut readings = char_readings(first);
            if let Some(&(_, surname)) = SURNAME_READINGS.iter().find(|(c, _)| *c == first) {
                readings.retain(|r| r != surname);
                readings.insert(0, surname.to_string());
            }
            if !readings.is_empty() {
                units.push(readings.into_iter().map(|r| vec![r]).collect());
            }
            i = 1;
        }
    }
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_alphanumeric() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphanumeric() {
                i += 1;
            }
            let run: String = chars[start..i]
                .iter()
                .collect::<String>()
                .to_ascii_lowercase();
            units.push(vec![vec![run]]);
            continue;
        }
        let readings = char_readings(c);
        if !readings.is_empty() {
            units.push(readings.into_iter().map(|r| vec![r]).collect());
        }
        i += 1;
    }
    units
}

/// Distinct toneless readings of one character in the crate's order; ü as "v" then "u".
fn char_readings(c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The crate also reads some symbols (□ as "yu"); only ideographs and 〇 belong to a name.
    if !(super::is_cjk(c) || c == '〇') {
        return out;
    }
    let Some(multi) = c.to_pinyin_multi() else {
        return out;
    };
    for p in multi {
        let plain = p.plain();
        let spellings = if plain.contains('ü') {
            vec![plain.replace('ü', "v"), plain.replace('ü', "u")]
        } else {
            vec![plain.to_string()]
        };
        for s in spellings {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// Combinations in order of how far they stray from the first readings, capped.
fn combinations(units: &[Vec<Reading>]) -> Vec<Vec<&Reading>> {
    let mut out = Vec::new();
    if units.is_empty() {
        return out;
    }
    let max_rank: usize = units.iter().map(|u| u.len() - 1).sum();
    let mut picked = Vec::with_capacity(units.len());
    for budget in 0..=max_rank {
        pick(units, budget, &mut picked, &mut out);
        if out.len() >= MAX_COMBINATIONS {
            break;
        }
    }
    out.truncate(MAX_COMBINATIONS);
    out
}

/// Every choice of reading indices summing exactly to `budget`.
fn pick<'a>(
    units: &'a [Vec<Reading>],
    budget: usize,
    picked: &mut Vec<&'a Reading>,
    out: &mut Vec<Vec<&'a Reading>>,
) {
    if out.len() >= MAX_COMBINATIONS {
        return;
    }
    let Some((first, rest)) = units.split_first() else {
        if budget == 0 {
            out.push(picked.clone());
        }
        return;
    };
    let rest_max: usize = rest.iter().map(|u| u.len() - 1).sum();
    for (rank, reading) in first.iter().enumerate().take(budget + 1) {
        if budget - rank > rest_max {
            continue;
        }
        picked.push(reading);
        pick(rest, budget - rank, picked, out);
        picked.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn first_full(name: &str) -> String {
        name_pinyin(name)
            .full
            .into_iter()
            .next()
            .unwrap_or_default()
    }

    #[test]
    fn plain_name() {
        let p = name_pinyin("刘建国");
        assert_eq!(p.full, vec!["liujianguo"]);
        assert_eq!(p.initials, vec!["ljg"]);
        assert_eq!(first_full("王磊"), "wanglei");
    }

    #[test]
    fn surname_readings_first() {
        for (name, expected) in [
            ("单成芸", "shanchengyun"),
            ("曾伟", "zengwei"),
            ("解放", "xiefang"),
            ("仇红", "qiuhong"),
            ("朴英", "piaoying"),
            ("查明", "zhaming"),
            ("区伟", "ouwei"),
            ("翟强", "zhaiqiang"),
            ("盖英", "geying"),
            ("覃明", "qinming"),
            ("乐平", "yueping"),
            ("缪红", "miaohong"),
            ("种明", "chongming"),
            ("员平", "yunping"),
            ("尉明", "weiming"),
            ("万明", "wanming"),
            ("秘明", "biming"),
            ("繁明", "poming"),
            ("折明", "sheming"),
            ("召明", "shaoming"),
            ("能明", "naiming"),
            ("牟明", "mouming"),
            ("祭明", "zhaiming"),
            ("卜明", "buming"),
            ("阚明", "kanming"),
            ("长明", "changming"),
            ("柏明", "baiming"),
            ("薄明", "boming"),
            ("朝明", "chaoming"),
            ("宿明", "suming"),
            ("纪明", "jiming"),
            ("那明", "naming"),
            ("洗明", "xianming"),
            ("冼明", "xianming"),
            ("隗明", "weiming"),
            ("逄明", "pangming"),
            ("眭明", "suiming"),
        ] {
            assert_eq!(first_full(name), expected, "{name}");
        }
    }

    #[test]
    fn other_surname_readings_follow() {
        let p = name_pinyin("单明");
        assert_eq!(p.full[0], "shanming");
        assert!(p.full.contains(&"danming".to_string()));
        assert_eq!(p.initials[0], "sm");
        assert!(p.initials.contains(&"dm".to_string()));
        // Only the surname position gets the surname reading: 曾 as a given name keeps ceng first.
        assert_eq!(first_full("王曾"), "wangceng");
        // 尉 alone reads wei first, but yu stays reachable.
        assert!(name_pinyin("尉明").full.contains(&"yuming".to_string()));
    }

    #[test]
    fn compound_surnames() {
        for (name, expected, initials) in [
            ("欧阳修", "ouyangxiu", "oyx"),
            ("司马光", "simaguang", "smg"),
            ("诸葛亮", "zhugeliang", "zgl"),
            ("上官婉儿", "shangguanwaner", "sgwe"),
            ("慕容复", "murongfu", "mrf"),
            ("单于明", "chanyuming", "cym"),
            ("尉迟恭", "yuchigong", "ycg"),
            ("万俟卨", "moqixie", "mqx"),
            ("长孙无忌", "zhangsunwuji", "zswj"),
            ("令狐冲", "linghuchong", "lhc"),
        ] {
            let p = name_pinyin(name);
            assert_eq!(p.full[0], expected, "{name}");
            assert_eq!(p.initials[0], initials, "{name}");
        }
        assert!(name_pinyin("单于明")
            .full
            .contains(&"shanyuming".to_string()));
    }

    #[test]
    fn heteronyms_in_given_name() {
        // 乐 reads le or yue; 行 xing or hang.
        let p = name_pinyin("王乐");
        assert_eq!(p.full[0], "wangle");
        assert!(p.full.contains(&"wangyue".to_string()));
        let p = name_pinyin("张行");
        assert!(p.full.contains(&"zhangxing".to_string()));
        assert!(p.full.contains(&"zhanghang".to_string()));
        assert!(p.initials.contains(&"zx".to_string()) && p.initials.contains(&"zh".to_string()));
        let mut dedup = p.full.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), p.full.len());
    }

    #[test]
    fn capped_and_ordered() {
        // 那 has many readings, as do 和 and 行; the product is well above the cap.
        let p = name_pinyin("那和行");
        assert_eq!(p.full.len(), MAX_COMBINATIONS);
        assert_eq!(p.full[0], "nahexing");
        // Single deviations from the likeliest reading come before double ones.
        assert!(p.full[1..4].iter().all(|f| {
            let changed = [f.starts_with("na"), f.contains("he"), f.ends_with("xing")];
            changed.iter().filter(|c| !**c).count() == 1
        }));
    }

    #[test]
    fn u_umlaut_and_latin() {
        let p = name_pinyin("吕磊");
        assert_eq!(p.full, vec!["lvlei", "lulei"]);
        assert_eq!(p.initials, vec!["ll"]);
        let p = name_pinyin("王ab");
        assert_eq!(p.full[0], "wangab");
        assert_eq!(p.initials[0], "wa");
        assert!(p.full.iter().all(|f| f.ends_with("ab")));
    }

    #[test]
    fn placeholder_and_dot_contribute_nothing() {
        // 王 also has the rare reading yu, so compare with the name without the placeholder.
        assert_eq!(name_pinyin("王□"), name_pinyin("王"));
        assert_eq!(name_pinyin("王□").full[0], "wang");
        assert_eq!(name_pinyin("李〇").full[0], "liling");
        let p = name_pinyin("阿依古丽·买买提");
        assert_eq!(p.full[0], "ayiguli maimaiti".replace(' ', ""));
        assert_eq!(p.initials[0], "aygl mmt".replace(' ', ""));
        // A transliteration gets no surname rule: 单 keeps the crate's first reading.
        assert_eq!(name_pinyin("单·明").full[0], "danming");
        assert_eq!(name_pinyin(""), NamePinyin::default());
    }

    #[test]
    fn pinyin_queries() {
        assert!(is_pinyin_query("liujianguo"));
        assert!(is_pinyin_query("LJG"));
        assert!(is_pinyin_query("liu jian guo"));
        assert!(is_pinyin_query("xi'an"));
        assert!(!is_pinyin_query("刘jg"));
        assert!(!is_pinyin_query("j012"));
        assert!(!is_pinyin_query("  "));
        assert!(!is_pinyin_query("''"));
    }
}
