//! Recognising a header cell as one of the archive's fields (`api::Field`), across the ways
//! vendors write headers.

pub use crate::api::Field;
use crate::api::SYNONYMS;

impl Field {
    /// Recognise a header cell, or a field name given in a mapping (Chinese label or snake_case).
    pub fn from_header(header: &str) -> Option<Field> {
        let key = header_key(header);
        if key.is_empty() {
            return None;
        }
        for (field, names) in SYNONYMS {
            if names.iter().any(|n| *n == key) {
                return Some(*field);
            }
        }
        snake_case_names()
            .iter()
            .find(|(_, name)| *name == key)
            .map(|(f, _)| *f)
    }
}

/// Each field's snake_case name (as a mapping may give it), worked out once: most cells that
/// header detection looks at are data, and each one is compared with every name.
fn snake_case_names() -> &'static [(Field, String)] {
    static NAMES: std::sync::OnceLock<Vec<(Field, String)>> = std::sync::OnceLock::new();
    NAMES.get_or_init(|| {
        Field::ALL
            .into_iter()
            .filter_map(|f| Some((f, serde_json::to_value(f).ok()?.as_str()?.to_string())))
            .collect()
    })
}

/// Header text reduced to its words: width-folded, simplified, lowercased, without whitespace
/// (vendors wrap long headers: "身份证\n号码") and without a trailing bracketed unit ("原工资（元）").
pub fn header_key(header: &str) -> String {
    let folded = crate::text::normalize_text(header);
    let mut key: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    for (open, close) in [('(', ')'), ('[', ']'), ('【', '】'), ('〔', '〕')] {
        if key.ends_with(close) {
            if let Some(start) = key.rfind(open) {
                if start > 0 {
                    key.truncate(start);
                }
            }
        }
    }
    key.trim_matches(|c: char| c == '*' || c == ':' || c == '：')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_synonyms_across_widths_wraps_and_units() {
        assert_eq!(Field::from_header("档案号"), Some(Field::RefCode));
        assert_eq!(Field::from_header("公民身份号码"), Some(Field::IdNumber));
        assert_eq!(Field::from_header("身份证\n号码"), Some(Field::IdNumber));
        assert_eq!(Field::from_header("原工资（元）"), Some(Field::WageBefore));
        assert_eq!(Field::from_header(" 單位名稱 "), Some(Field::WorkUnit));
        assert_eq!(Field::from_header("OCR全文"), Some(Field::FullText));
        assert_eq!(Field::from_header("work_unit"), Some(Field::WorkUnit));
        assert_eq!(Field::from_header("备注"), None);
        assert_eq!(Field::from_header(""), None);
    }

    #[test]
    fn every_field_has_a_label() {
        for f in Field::ALL {
            assert_ne!(f.label(), "?", "{f:?}");
        }
    }
}
