//! Name tables: a surname distribution close to census frequencies (with the surnames whose
//! reading or rarity trips up search), given-name characters by gender, and minority names.

use rand::Rng;

/// (surname, weight in units of roughly 0.1 % of the population).
#[rustfmt::skip]
pub const SURNAMES: &[(&str, u32)] = &[
    ("王", 72), ("李", 72), ("张", 68), ("刘", 53), ("陈", 45), ("杨", 31), ("黄", 22),
    ("赵", 22), ("吴", 20), ("周", 19), ("徐", 13), ("孙", 13), ("马", 12), ("朱", 12),
    ("胡", 11), ("郭", 11), ("何", 10), ("高", 9), ("林", 9), ("罗", 9), ("郑", 8),
    ("梁", 8), ("谢", 6), ("宋", 6), ("唐", 6), ("许", 5), ("韩", 5), ("冯", 5), ("邓", 5),
    ("曹", 5), ("彭", 4), ("曾", 4), ("肖", 4), ("田", 4), ("董", 4), ("袁", 4), ("潘", 3),
    ("于", 3), ("蒋", 3), ("蔡", 3), ("余", 3), ("杜", 3), ("叶", 3), ("程", 3), ("苏", 3),
    ("魏", 3), ("吕", 3), ("丁", 3), ("任", 3), ("沈", 3), ("姚", 2), ("卢", 2), ("姜", 2),
    ("崔", 2), ("钟", 2), ("谭", 2), ("陆", 2), ("汪", 2), ("范", 2), ("金", 2), ("石", 2),
    ("廖", 2), ("贾", 2), ("夏", 2), ("韦", 2), ("付", 2), ("方", 2), ("白", 2), ("邹", 2),
    ("孟", 2), ("熊", 2), ("秦", 2), ("邱", 2), ("江", 2), ("尹", 2), ("薛", 2), ("闫", 2),
    ("段", 2), ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2),
    ("顾", 2), ("毛", 2), ("郝", 2), ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2),
    ("牛", 2), ("覃", 1), ("单", 1), ("解", 1), ("仇", 1), ("朴", 1), ("查", 1), ("区", 1),
    ("翟", 1), ("盖", 1), ("武", 1), ("戴", 1), ("莫", 1), ("孔", 1), ("向", 1), ("汤", 1),
    ("欧阳", 1), ("司马", 1),
];

pub const MALE_CHARS: &str =
    "建国军伟强磊勇明华平刚杰涛斌辉峰东林海波鹏飞宇志文兵春学庆荣宝贵长义胜德福生立成忠民新永龙云";
pub const FEMALE_CHARS: &str = "丽芳敏静艳娟霞燕玲萍红梅兰英秀凤琴云芬桂珍丹婷雪慧洁莉颖晶欣雯华";
/// Two-character given names typical of the generations in these records.
pub const COMMON_GIVEN: &[(&str, bool)] = &[
    ("建国", true),
    ("国庆", true),
    ("建华", true),
    ("立军", true),
    ("志强", true),
    ("卫东", true),
    ("建军", true),
    ("红卫", true),
    ("德福", true),
    ("长生", true),
    ("秀英", false),
    ("桂兰", false),
    ("红梅", false),
    ("玉兰", false),
    ("淑珍", false),
    ("丽华", false),
    ("秀兰", false),
    ("春燕", false),
    ("海燕", false),
    ("晓红", false),
];
/// Rare characters that do occur in given names and are hard to type or have 异体 forms.
pub const RARE_CHARS: &str = "喆堃犇昇淼";

/// Uyghur given names (female, male); a full name is "given·father's given name".
pub const MINORITY_FEMALE: &[&str] = &[
    "阿依古丽",
    "古丽娜尔",
    "热依拉",
    "帕提古丽",
    "迪丽拜尔",
    "玛依拉",
];
pub const MINORITY_MALE: &[&str] = &[
    "买买提",
    "艾尔肯",
    "吐尔逊",
    "阿不都",
    "努尔",
    "艾力",
    "库尔班",
    "阿迪力",
];

/// A generated canonical name.
pub struct Name {
    pub surname: String,
    pub given: String,
    pub minority: bool,
}

impl Name {
    pub fn full(&self) -> String {
        if self.minority {
            format!("{}\u{b7}{}", self.given, self.surname)
        } else {
            format!("{}{}", self.surname, self.given)
        }
    }
}

fn pick_char(rng: &mut impl Rng, set: &str) -> char {
    let chars: Vec<char> = set.chars().collect();
    chars[rng.gen_range(0..chars.len())]
}

fn pick_surname(rng: &mut impl Rng) -> &'static str {
    let total: u32 = SURNAMES.iter().map(|s| s.1).sum();
    let mut x = rng.gen_range(0..total);
    for (s, w) in SURNAMES {
        if x < *w {
            return s;
        }
        x -= w;
    }
    SURNAMES[0].0
}

/// A random name; about 1.5 % minority names and about a third two-character names.
pub fn random_name(rng: &mut impl Rng, male: bool) -> Name {
    if rng.gen_bool(0.015) {
        let given = if male {
            MINORITY_MALE[rng.gen_range(0..MINORITY_MALE.len())]
        } else {
            MINORITY_FEMALE[rng.gen_range(0..MINORITY_FEMALE.len())]
        };
        let father = MINORITY_MALE[rng.gen_range(0..MINORITY_MALE.len())];
        // For minority names the father's name takes the place of a surname.
        return Name {
            surname: father.into(),
            given: given.into(),
            minority: true,
        };
    }
    let surname = pick_surname(rng).to_string();
    let set = if male { MALE_CHARS } else { FEMALE_CHARS };
    let r: f64 = rng.gen();
    let given = if r < 0.33 {
        pick_char(rng, set).to_string()
    } else if r < 0.45 {
        let same: Vec<&str> = COMMON_GIVEN
            .iter()
            .filter(|g| g.1 == male)
            .map(|g| g.0)
            .collect();
        same[rng.gen_range(0..same.len())].to_string()
    } else if r < 0.47 {
        format!("{}{}", pick_char(rng, set), pick_char(rng, RARE_CHARS))
    } else {
        format!("{}{}", pick_char(rng, set), pick_char(rng, set))
    };
    Name {
        surname,
        given,
        minority: false,
    }
}
