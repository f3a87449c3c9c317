//! The statements that write documents and entries, generated from one list of columns each
//! so that the insert and the updates can never disagree on a parameter's position.

/// The document columns written from a row, in the order of the statements' parameters.
const DOCUMENT_COLUMNS: [&str; 17] = [
    "ref_key",
    "ref_code",
    "fonds",
    "category",
    "title",
    "creator",
    "doc_number",
    "doc_number_key",
    "date_raw",
    "date_key",
    "year",
    "page_count",
    "retention",
    "access",
    "access_raw",
    "full_text",
    "batch_id",
];

/// (insert, update, fill) statements over DOCUMENT_COLUMNS; ?1 is the 档号 key. An update
/// takes what a new delivery says and keeps what the archive knows where it says nothing (a
/// later delivery without 题名 does not erase it); a superseded document that comes again is
/// live again. A fill only sets what is still missing.
pub fn document_sql() -> &'static (String, String, String) {
    static SQL: std::sync::OnceLock<(String, String, String)> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let values: Vec<String> = DOCUMENT_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| match *c {
                "access" => format!("COALESCE(?{}, 'open')", i + 1),
                _ => format!("?{}", i + 1),
            })
            .collect();
        let insert = format!(
            "INSERT INTO documents ({}) VALUES ({})",
            DOCUMENT_COLUMNS.join(", "),
            values.join(", ")
        );
        let sets: Vec<String> = DOCUMENT_COLUMNS
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| match *c {
                "ref_code" | "batch_id" => format!("{c} = ?{}", i + 1),
                _ => format!("{c} = COALESCE(?{}, {c})", i + 1),
            })
            .collect();
        let update = format!(
            "UPDATE documents SET {}, superseded_at = NULL WHERE ref_key = ?1",
            sets.join(", ")
        );
        let fills: Vec<String> = DOCUMENT_COLUMNS
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c} = COALESCE({c}, ?{})", i + 1))
            .collect();
        let fill = format!(
            "UPDATE documents SET {} WHERE ref_key = ?1",
            fills.join(", ")
        );
        (insert, update, fill)
    })
}

/// The entry columns written per row, in the order of the statements' parameters.
const ENTRY_COLUMNS: [&str; 28] = [
    "id",
    "document_id",
    "entry_key",
    "batch_id",
    "sheet",
    "source_row",
    "content_hash",
    "name",
    "name_norm",
    "gender",
    "birth_raw",
    "birth_key",
    "id_raw",
    "id_key",
    "id_status",
    "work_unit",
    "work_unit_norm",
    "work_start_raw",
    "work_start_key",
    "retire_raw",
    "retire_key",
    "wage_before",
    "wage_before_amount",
    "wage_after",
    "wage_after_amount",
    "page",
    "extra_json",
    "notes_json",
];

/// (insert, update) statements over ENTRY_COLUMNS; ?1 is the id.
pub fn entry_sql() -> &'static (String, String) {
    static SQL: std::sync::OnceLock<(String, String)> = std::sync::OnceLock::new();
    SQL.get_or_init(|| {
        let params: Vec<String> = (1..=ENTRY_COLUMNS.len()).map(|i| format!("?{i}")).collect();
        let insert = format!(
            "INSERT INTO entries ({}) VALUES ({}) ON CONFLICT DO NOTHING",
            ENTRY_COLUMNS.join(", "),
            params.join(", ")
        );
        let sets: Vec<String> = ENTRY_COLUMNS
            .iter()
            .enumerate()
            .skip(1)
            .map(|(i, c)| format!("{c} = ?{}", i + 1))
            .collect();
        let update = format!(
            "UPDATE entries SET {}, superseded_at = NULL, superseded_by = NULL WHERE id = ?1",
            sets.join(", ")
        );
        (insert, update)
    })
}
