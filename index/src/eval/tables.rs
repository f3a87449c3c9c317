//! The evaluation's own small tables: pinyin of the characters the demo's names are made of,
//! simplified → traditional for name characters, and the regional sound confusions a clerk
//! makes. Written here by hand, not taken from `crate::text`, so that a query built with them
//! checks the engine's normalizer against a second, independent reading.

/// Readings of surnames as a clerk says them (单 shan, 曾 zeng, 解 xie, 仇 qiu, 朴 piao …).
/// ü is typed v, as on a pinyin keyboard.
#[rustfmt::skip]
const SURNAMES: &[(&str, &str)] = &[
    ("欧阳", "ou yang"), ("司马", "si ma"),
    ("王", "wang"), ("李", "li"), ("张", "zhang"), ("刘", "liu"), ("陈", "chen"), ("杨", "yang"),
    ("黄", "huang"), ("赵", "zhao"), ("吴", "wu"), ("周", "zhou"), ("徐", "xu"), ("孙", "sun"),
    ("马", "ma"), ("朱", "zhu"), ("胡", "hu"), ("郭", "guo"), ("何", "he"), ("高", "gao"),
    ("林", "lin"), ("罗", "luo"), ("郑", "zheng"), ("梁", "liang"), ("谢", "xie"), ("宋", "song"),
    ("唐", "tang"), ("许", "xu"), ("韩", "han"), ("冯", "feng"), ("邓", "deng"), ("曹", "cao"),
    ("彭", "peng"), ("曾", "zeng"), ("肖", "xiao"), ("田", "tian"), ("董", "dong"), ("袁", "yuan"),
    ("潘", "pan"), ("于", "yu"), ("蒋", "jiang"), ("蔡", "cai"), ("余", "yu"), ("杜", "du"),
    ("叶", "ye"), ("程", "cheng"), ("苏", "su"), ("魏", "wei"), ("吕", "lv"), ("丁", "ding"),
    ("任", "ren"), ("沈", "shen"), ("姚", "yao"), ("卢", "lu"), ("姜", "jiang"), ("崔", "cui"),
    ("钟", "zhong"), ("谭", "tan"), ("陆", "lu"), ("汪", "wang"), ("范", "fan"), ("金", "jin"),
    ("石", "shi"), ("廖", "liao"), ("贾", "jia"), ("夏", "xia"), ("韦", "wei"), ("付", "fu"),
    ("方", "fang"), ("白", "bai"), ("邹", "zou"), ("孟", "meng"), ("熊", "xiong"), ("秦", "qin"),
    ("邱", "qiu"), ("江", "jiang"), ("尹", "yin"), ("薛", "xue"), ("闫", "yan"), ("段", "duan"),
    ("雷", "lei"), ("侯", "hou"), ("龙", "long"), ("史", "shi"), ("陶", "tao"), ("黎", "li"),
    ("贺", "he"), ("顾", "gu"), ("毛", "mao"), ("郝", "hao"), ("龚", "gong"), ("邵", "shao"),
    ("万", "wan"), ("钱", "qian"), ("严", "yan"), ("牛", "niu"), ("覃", "qin"), ("单", "shan"),
    ("解", "xie"), ("仇", "qiu"), ("朴", "piao"), ("查", "zha"), ("区", "ou"), ("翟", "zhai"),
    ("盖", "ge"), ("武", "wu"), ("戴", "dai"), ("莫", "mo"), ("孔", "kong"), ("向", "xiang"),
    ("汤", "tang"),
];

/// Readings of given-name characters (长 in 长生 is chang).
#[rustfmt::skip]
const GIVEN: &[(char, &str)] = &[
    ('建', "jian"), ('国', "guo"), ('军', "jun"), ('伟', "wei"), ('强', "qiang"), ('磊', "lei"),
    ('勇', "yong"), ('明', "ming"), ('华', "hua"), ('平', "ping"), ('刚', "gang"), ('杰', "jie"),
    ('涛', "tao"), ('斌', "bin"), ('辉', "hui"), ('峰', "feng"), ('东', "dong"), ('林', "lin"),
    ('海', "hai"), ('波', "bo"), ('鹏', "peng"), ('飞', "fei"), ('宇', "yu"), ('志', "zhi"),
    ('文', "wen"), ('兵', "bing"), ('春', "chun"), ('学', "xue"), ('庆', "qing"), ('荣', "rong"),
    ('宝', "bao"), ('贵', "gui"), ('长', "chang"), ('义', "yi"), ('胜', "sheng"), ('德', "de"),
    ('福', "fu"), ('生', "sheng"), ('立', "li"), ('成', "cheng"), ('忠', "zhong"), ('民', "min"),
    ('新', "xin"), ('永', "yong"), ('龙', "long"), ('云', "yun"), ('丽', "li"), ('芳', "fang"),
    ('敏', "min"), ('静', "jing"), ('艳', "yan"), ('娟', "juan"), ('霞', "xia"), ('燕', "yan"),
    ('玲', "ling"), ('萍', "ping"), ('红', "hong"), ('梅', "mei"), ('兰', "lan"), ('英', "ying"),
    ('秀', "xiu"), ('凤', "feng"), ('琴', "qin"), ('芬', "fen"), ('桂', "gui"), ('珍', "zhen"),
    ('丹', "dan"), ('婷', "ting"), ('雪', "xue"), ('慧', "hui"), ('洁', "jie"), ('莉', "li"),
    ('颖', "ying"), ('晶', "jing"), ('欣', "xin"), ('雯', "wen"), ('卫', "wei"), ('玉', "yu"),
    ('淑', "shu"), ('晓', "xiao"), ('喆', "zhe"), ('堃', "kun"), ('犇', "ben"), ('昇', "sheng"),
    ('淼', "miao"), ('哲', "zhe"), ('坤', "kun"), ('升', "sheng"),
    // Characters the demo's homophones put in place of the above.
    ('力', "li"), ('君', "jun"), ('均', "jun"), ('桦', "hua"), ('铭', "ming"), ('玮', "wei"),
    ('炜', "wei"), ('宏', "hong"), ('洪', "hong"), ('瑛', "ying"), ('智', "zhi"), ('绣', "xiu"),
    ('岚', "lan"), ('方', "fang"), ('锋', "feng"), ('丰', "feng"), ('彬', "bin"), ('芸', "yun"),
    ('侠', "xia"), ('钢', "gang"), ('韬', "tao"), ('冬', "dong"), ('鑫', "xin"), ('晖', "hui"),
    ('玫', "mei"), ('健', "jian"), ('果', "guo"), ('青', "qing"), ('琳', "lin"), ('凯', "kai"),
];

/// Toneless pinyin of a Han name, split as a clerk would type it with a space: the surname, then
/// the given name ("liu", "jianguo"). None when a character is not in the tables (minority
/// names, □, characters outside the demo's name tables).
pub fn name_pinyin(name: &str) -> Option<(String, String)> {
    let (surname, reading) = SURNAMES.iter().find(|(s, _)| name.starts_with(s))?;
    let rest = &name[surname.len()..];
    if rest.is_empty() {
        return None;
    }
    let mut given = String::new();
    for c in rest.chars() {
        given.push_str(GIVEN.iter().find(|(g, _)| *g == c)?.1);
    }
    Some((reading.replace(' ', ""), given))
}

/// First letters of each syllable of the name: 刘建国 → ljg, 欧阳丽 → oyl.
pub fn name_initials(name: &str) -> Option<String> {
    let (surname, reading) = SURNAMES.iter().find(|(s, _)| name.starts_with(s))?;
    let mut out: String = reading
        .split(' ')
        .filter_map(|s| s.chars().next())
        .collect();
    let rest = &name[surname.len()..];
    if rest.is_empty() {
        return None;
    }
    for c in rest.chars() {
        out.push(GIVEN.iter().find(|(g, _)| *g == c)?.1.chars().next()?);
    }
    Some(out)
}

/// Simplified → traditional for name characters whose traditional form is unambiguous.
#[rustfmt::skip]
const TRADITIONAL: &[(char, char)] = &[
    ('刘', '劉'), ('陈', '陳'), ('张', '張'), ('杨', '楊'), ('黄', '黃'), ('赵', '趙'),
    ('吴', '吳'), ('孙', '孫'), ('马', '馬'), ('郑', '鄭'), ('许', '許'), ('韩', '韓'),
    ('冯', '馮'), ('邓', '鄧'), ('罗', '羅'), ('谢', '謝'), ('叶', '葉'), ('苏', '蘇'),
    ('卢', '盧'), ('钟', '鍾'), ('陆', '陸'), ('邹', '鄒'), ('龚', '龔'), ('汤', '湯'),
    ('顾', '顧'), ('贺', '賀'), ('钱', '錢'), ('严', '嚴'), ('蒋', '蔣'), ('谭', '譚'),
    ('贾', '賈'), ('韦', '韋'), ('单', '單'), ('区', '區'), ('欧', '歐'), ('阳', '陽'),
    ('国', '國'), ('华', '華'), ('军', '軍'), ('伟', '偉'), ('强', '強'), ('辉', '輝'),
    ('东', '東'), ('庆', '慶'), ('涛', '濤'), ('鹏', '鵬'), ('飞', '飛'), ('学', '學'),
    ('荣', '榮'), ('宝', '寶'), ('贵', '貴'), ('长', '長'), ('义', '義'), ('胜', '勝'),
    ('龙', '龍'), ('丽', '麗'), ('红', '紅'), ('兰', '蘭'), ('凤', '鳳'), ('洁', '潔'),
    ('颖', '穎'), ('刚', '剛'), ('卫', '衛'), ('晓', '曉'), ('静', '靜'),
];

/// The name written in traditional characters; None when nothing changes.
pub fn traditional(name: &str) -> Option<String> {
    let out: String = name
        .chars()
        .map(|c| TRADITIONAL.iter().find(|t| t.0 == c).map_or(c, |t| t.1))
        .collect();
    (out != name).then_some(out)
}

/// Characters a clerk hearing the name in regional speech may write instead: n/l (刘 liu →
/// 牛 niu), f/h (方 fang → 黄 huang, 飞 fei → 辉 hui, 胡 hu → 付 fu) and -n/-ng (陈 chen →
/// 程 cheng, 林 lin → 玲 ling). Each replacement's reading differs from the original's, so
/// the written name is not a homophone but a near-homophone.
#[rustfmt::skip]
pub const CONFUSIONS: &[(char, char)] = &[
    // n / l
    ('刘', '牛'), ('牛', '刘'), ('李', '倪'), ('罗', '诺'), ('雷', '内'), ('龙', '农'),
    ('兰', '南'), ('丽', '妮'), ('莉', '妮'), ('立', '尼'), ('黎', '倪'), ('梁', '娘'),
    ('吕', '女'), ('磊', '内'),
    // f / h
    ('方', '黄'), ('黄', '方'), ('胡', '付'), ('付', '胡'), ('飞', '辉'), ('辉', '飞'),
    ('福', '虎'), ('范', '环'), ('芳', '荒'), ('芬', '婚'), ('华', '发'),
    // -n / -ng
    ('陈', '程'), ('程', '陈'), ('林', '玲'), ('玲', '林'), ('金', '京'), ('斌', '兵'),
    ('兵', '斌'), ('民', '明'), ('明', '民'), ('新', '星'), ('琴', '庆'), ('庆', '琴'),
    ('珍', '征'), ('平', '频'), ('萍', '频'), ('英', '音'), ('静', '进'), ('晶', '金'),
    ('成', '陈'), ('生', '深'), ('胜', '申'), ('文', '翁'), ('峰', '芬'), ('彭', '盆'),
    ('孟', '门'), ('王', '万'), ('杨', '严'), ('张', '詹'), ('唐', '谭'), ('汤', '谈'),
    ('姜', '坚'), ('江', '坚'), ('敏', '明'), ('颖', '银'),
];

/// Every way to write the name with one character replaced by a confused one.
pub fn confused_names(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().collect();
    let mut out = Vec::new();
    for (i, c) in chars.iter().enumerate() {
        for (from, to) in CONFUSIONS {
            if from == c {
                let mut v = chars.clone();
                v[i] = *to;
                out.push(v.into_iter().collect());
            }
        }
    }
    out
}

/// ASCII letters and digits as their full-width forms (１９９８, ＸＸ).
pub fn full_width(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

/// The old 15-digit ID of an 18-digit one: the century digits (7th–8th) and the check
/// character removed.
pub fn id15_of(id18: &str) -> Option<String> {
    let chars: Vec<char> = id18.chars().collect();
    (chars.len() == 18).then(|| {
        chars[..6]
            .iter()
            .chain(chars[8..17].iter())
            .collect::<String>()
    })
}

/// Middle dots of minority names, as different keyboards and fonts produce them.
pub const DOTS: &[char] = &['\u{b7}', '\u{2022}', '\u{2027}', '\u{30fb}'];

/// Bracket pairs of document numbers a clerk may type around the year.
pub const BRACKETS: &[(char, char)] = &[('〔', '〕'), ('[', ']'), ('（', '）'), ('(', ')')];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pinyin_of_names() {
        assert_eq!(
            name_pinyin("刘建国"),
            Some(("liu".into(), "jianguo".into()))
        );
        assert_eq!(name_pinyin("欧阳丽"), Some(("ouyang".into(), "li".into())));
        assert_eq!(
            name_pinyin("单长生"),
            Some(("shan".into(), "changsheng".into()))
        );
        assert_eq!(name_initials("刘建国").as_deref(), Some("ljg"));
        assert_eq!(name_initials("欧阳丽").as_deref(), Some("oyl"));
        assert_eq!(name_pinyin("阿依古丽·买买提"), None);
        assert_eq!(name_pinyin("王□"), None);
    }

    #[test]
    fn small_transforms() {
        assert_eq!(traditional("刘建国").as_deref(), Some("劉建國"));
        assert_eq!(traditional("王磊"), None);
        assert_eq!(full_width("1998x"), "１９９８ｘ");
        assert_eq!(
            id15_of("431128193608161926").as_deref(),
            Some("431128360816192")
        );
        assert!(confused_names("刘建国").contains(&"牛建国".to_string()));
        for (from, to) in CONFUSIONS {
            assert_ne!(from, to);
        }
    }
}
