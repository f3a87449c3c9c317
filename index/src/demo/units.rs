//! The county and its work units: the places a person's career runs through.

/// The fictitious county; its name prefixes unit names and document numbers.
pub const COUNTY: &str = "清源县";
/// Abbreviation used in document numbers (清劳人薪〔1998〕45号).
pub const COUNTY_SHORT: &str = "清";
/// Area codes of the ID numbers: mostly the county, some people born elsewhere.
pub const AREA_CODES: &[&str] = &["431128", "431128", "431128", "431128", "431102", "430726"];
/// Area code for people born in Xinjiang (minority names).
pub const AREA_XINJIANG: &str = "650102";
/// The issuing authority of approvals.
pub const AUTHORITY: &str = "清源县劳动人事局";
/// Fonds of the labour bureau, which holds all three record types.
pub const FONDS: &str = "J012";

/// (unit name without the county prefix, relative size, whether it is a factory).
#[rustfmt::skip]
pub const UNITS: &[(&str, f64, bool)] = &[
    ("城关镇供销社", 0.9, false), ("第二水泥厂", 1.6, true), ("粮食局", 0.8, false),
    ("第一中学", 1.0, false), ("人民医院", 1.4, false), ("食品公司", 0.7, false),
    ("机械厂", 1.5, true), ("纺织厂", 1.8, true), ("电业局", 0.9, false),
    ("汽车运输公司", 1.0, false), ("百货公司", 0.8, false), ("印刷厂", 0.6, true),
    ("农机厂", 0.9, true), ("第一小学", 0.6, false), ("中医院", 0.7, false),
    ("酒厂", 0.8, true), ("城关镇农机站", 0.4, false), ("邮电局", 0.7, false),
    ("化肥厂", 1.2, true), ("建筑公司", 1.1, false),
];

/// The full unit name as a record writes it, with the county prefix.
pub fn unit_name(i: usize) -> String {
    format!("{COUNTY}{}", UNITS[i].0)
}
