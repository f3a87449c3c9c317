//! The confusions of regional speech that a clerk, or the clerk who wrote the record decades
//! ago, makes between syllables: n/l (刘 liu / 牛 niu), f/h (方 fang / 黄 huang, 飞 fei / 灰 hui)
//! and -n/-ng (陈 chen / 程 cheng). A syllable is folded to one form shared by its confusions;
//! two names that fold alike may be the same name heard differently.

/// Fold one toneless syllable ("huang" → "fan").
pub fn fuzzy_syllable(syllable: &str) -> String {
    let mut s = syllable.to_ascii_lowercase();
    // h before u is heard as f (and f as hu): hu → fu, hua → fa, huang → fang, hui → fei,
    // hun → fen; hong is heard as feng (洪/冯). Other h syllables (han, hao) are not confused.
    if s == "hong" {
        s = "feng".to_string();
    } else if let Some(rest) = s.strip_prefix("hu") {
        s = match rest {
            "" => "fu".to_string(),
            "i" => "fei".to_string(),
            "n" => "fen".to_string(),
            _ if rest.starts_with(['a', 'o', 'e']) => format!("f{rest}"),
            _ => s,
        };
    }
    if let Some(rest) = s.strip_prefix('l') {
        s = format!("n{rest}");
    }
    if let Some(stem) = s.strip_suffix("ng") {
        if stem.len() > 1 {
            s = format!("{stem}n");
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::fuzzy_syllable as f;

    #[test]
    fn regional_confusions_fold_alike() {
        assert_eq!(f("liu"), f("niu"), "刘/牛");
        assert_eq!(f("fang"), f("huang"), "方/黄");
        assert_eq!(f("fei"), f("hui"), "飞/灰");
        assert_eq!(f("chen"), f("cheng"), "陈/程");
        assert_eq!(f("lin"), f("ling"));
        assert_eq!(f("hu"), f("fu"), "胡/福");
        assert_eq!(f("fen"), f("hun"), "芬/婚");
        assert_eq!(f("feng"), f("hong"), "冯/洪");
        assert_ne!(f("han"), f("fan"), "韩/范 are not confused");
    }

    #[test]
    fn other_sounds_stay_apart() {
        assert_ne!(
            f("zhang"),
            f("chang"),
            "zh/ch is not one of these confusions"
        );
        assert_ne!(f("li"), f("mi"));
        assert_ne!(f("fang"), f("fen"));
        assert_eq!(f("ng"), "ng", "a bare ng is not a final");
    }

    #[test]
    fn names_heard_differently_share_a_fuzzy_reading() {
        use crate::text::name_pinyin;
        let shares = |a: &str, b: &str| {
            let (a, b) = (name_pinyin(a), name_pinyin(b));
            a.fuzzy.iter().any(|x| b.fuzzy.contains(x))
        };
        assert!(shares("刘建国", "牛建国"));
        assert!(shares("方明", "黄明"));
        assert!(shares("陈红", "程红"));
        assert!(!shares("王磊", "张磊"));
    }
}
