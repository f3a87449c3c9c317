//! Catalogue columns the engine does not know by name (原身份证号, 配偶身份证号, 退休费, 基本养老金 …):
//! masked by what their header says, and by what their value is — a value that reads as an ID
//! number is masked whatever its header.

use super::money_words::MONEY_WORDS;
use super::text_mask::mask_text;
use super::MASKED_WAGE;
use crate::text::mask_id;

/// Header words of columns that hold identity document numbers.
const ID_WORDS: &[&str] = &["身份", "证号", "证件", "号码"];

pub fn is_id_column(header: &str) -> bool {
    ID_WORDS.iter().any(|word| header.contains(word))
}

/// Columns whose values are money paid to a person: masked like the wage columns.
pub fn is_money_column(header: &str) -> bool {
    MONEY_WORDS.iter().any(|word| header.contains(word))
}

/// A column's value as shown to a caller who may not see personal data.
pub fn masked_value(header: &str, value: &str) -> String {
    if value.trim().is_empty() {
        return value.to_string();
    }
    if is_id_column(header) {
        mask_id(value)
    } else if is_money_column(header) {
        MASKED_WAGE.to_string()
    } else {
        mask_text(value)
    }
}

/// Every column of a row masked as above.
pub fn mask_columns(columns: &mut [(String, String)]) {
    for (header, value) in columns {
        *value = masked_value(header, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_columns_are_masked_by_their_header() {
        assert_eq!(
            masked_value("原身份证号", "620102560315001"),
            "620102*********"
        );
        assert_eq!(
            masked_value("配偶身份证号", "62010219600101002X"),
            "620102************"
        );
        for money in [
            "退休费",
            "基本养老金",
            "养老金",
            "退休金",
            "生活补助",
            "护理费",
        ] {
            assert_eq!(masked_value(money, "1200.00"), MASKED_WAGE, "{money}");
        }
        assert_eq!(masked_value("备注", "已核对"), "已核对");
    }

    #[test]
    fn an_id_number_is_masked_whatever_its_header() {
        assert_eq!(
            masked_value("备注", "原号 620102 19560315 0012"),
            "原号 620102 ******** ****"
        );
        assert_eq!(
            masked_value("内部编号", "620102560315001"),
            "620102*********"
        );
    }
}
