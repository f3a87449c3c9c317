//! The words that say a column or a number is money (see `columns` and `text_mask`).

/// Words that name money paid to, or kept from, a person: in a column's header, and before an
/// amount in free text. One list for both.
pub const MONEY_WORDS: &[&str] = &[
    "工资",
    "薪",
    "津贴",
    "补贴",
    "增资",
    "金额",
    "待遇",
    "档次",
    "退休费",
    "养老金",
    "退休金",
    "补助",
    "费",
    "奖金",
    "抚恤",
    "应发",
    "实发",
    "合计",
    "小计",
    "扣款",
    "扣除",
    "公积金",
    "保险金",
    "金",
];
