//! A catalogue row as the store takes it: the document's fields, the person's, the columns
//! kept as they are, and notes. The importer reads files into these; the store writes them.

use crate::text::id_number::IdStatus;

/// The source and format of a batch holding one row a clerk confirmed from a scanned page
/// (`import::page_row`): not a delivery, so not counted among the imports.
pub const PAGE_ROW_BATCH: &str = "扫描页识别确认";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocFields {
    pub ref_code: String,
    pub ref_key: String,
    pub fonds: Option<String>,
    pub category: Option<String>,
    pub title: Option<String>,
    pub creator: Option<String>,
    pub doc_number: Option<String>,
    pub doc_number_key: Option<String>,
    pub date_raw: Option<String>,
    pub date_key: Option<String>,
    pub year: Option<i32>,
    pub page_count: Option<i64>,
    pub retention: Option<String>,
    pub access: Option<&'static str>,
    pub access_raw: Option<String>,
    pub full_text: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct PersonFields {
    pub name: String,
    pub name_norm: String,
    pub gender: Option<String>,
    pub birth_raw: Option<String>,
    pub birth_key: Option<String>,
    pub id_raw: Option<String>,
    pub id_key: Option<String>,
    pub id_status: Option<IdStatus>,
    pub work_unit: Option<String>,
    pub work_unit_norm: Option<String>,
    pub work_start_raw: Option<String>,
    pub work_start_key: Option<String>,
    pub retire_raw: Option<String>,
    pub retire_key: Option<String>,
    pub wage_before: Option<String>,
    pub wage_before_amount: Option<f64>,
    pub wage_after: Option<String>,
    pub wage_after_amount: Option<f64>,
    pub page: Option<String>,
}

impl PersonFields {
    /// What tells this row apart inside its document across deliveries: the ID number when it
    /// is valid, otherwise the normalized name and birth date.
    pub fn identity(&self) -> String {
        match (&self.id_key, self.id_status) {
            (Some(key), Some(status)) if status.is_valid() => format!("id:{key}"),
            _ => format!(
                "nb:{}|{}",
                self.name_norm,
                self.birth_key.as_deref().unwrap_or("")
            ),
        }
    }
}

#[derive(Debug, Clone)]
pub struct RowRecord {
    pub source_row: usize,
    pub doc: DocFields,
    pub person: Option<PersonFields>,
    pub extra: Vec<(String, String)>,
    /// Things the clerk should know about this row (assumptions made reading it).
    pub notes: Vec<(Option<String>, String)>,
    /// Hash of every cell as written: equal hashes in one document are duplicate rows.
    pub content_hash: String,
}
