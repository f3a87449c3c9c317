//! The fields of the search index. Nothing is stored in the index: hits are shown from the store
//! (SQLite), so the index holds only what finds and filters records.

use tantivy::schema::{
    Field, IndexRecordOption, NumericOptions, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};

use super::cjk_tokenizer::{CJK_BIGRAM_TOKENIZER, CJK_TOKENIZER};

/// Bumped whenever fields or their analysis change: an index of another version is rebuilt.
/// 4: t2s applied until nothing changes (薴 → 苧 → 苎), so indexed text and queries fold alike.
/// 5: scanned pages read by the recognizer (OCR) are index documents of their own.
pub const SCHEMA_VERSION: u32 = 5;

/// A search index document is a person-row of a document, the document itself, or one of its
/// scanned pages as the recognizer read it.
pub const KIND_ENTRY: u64 = 0;
pub const KIND_DOCUMENT: u64 = 1;
pub const KIND_PAGE: u64 = 2;

#[derive(Clone)]
pub struct Fields {
    pub kind: Field,
    pub document_id: Field,
    pub entry_id: Field,
    // Exact keys.
    pub name_exact: Field,
    pub id_key: Field,
    pub ref_key: Field,
    pub doc_number_key: Field,
    // Chinese text, unigram + bigram with positions.
    pub name_text: Field,
    pub extra_text: Field,
    pub title_text: Field,
    pub full_text: Field,
    pub doc_text: Field,
    /// What the recognizer read on a scanned page (on page documents only).
    pub page_text: Field,
    /// The store's id of that page.
    pub page_id: Field,
    // Name readings, kept apart so they only ever count as a lower tier.
    pub name_pinyin: Field,
    /// The likeliest reading alone, so that it outranks rare readings of the same characters.
    pub name_pinyin_main: Field,
    pub name_fuzzy: Field,
    pub name_initials: Field,
    // Filters and facets.
    pub year: Field,
    pub birth_year: Field,
    /// Birth year-month of the person (1949-11), and the document's date year-month.
    pub birth_month: Field,
    pub doc_month: Field,
    pub category: Field,
    pub fonds: Field,
    pub access: Field,
    /// The work unit's key (see `units`): found by looking up the distinct units.
    pub unit: Field,
    // Ordering within a tier (see `search::order`).
    /// Who a row is about, as the timeline joins rows (name and birth month); 0 on documents.
    pub person: Field,
    /// The document's date as YYYYMMDD (0 for parts not written).
    pub date: Field,
}

pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id_number = NumericOptions::default().set_indexed().set_fast();
    let cjk = |tokenizer: &str| {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions)
                .set_fieldnorms(true),
        )
    };
    let positions = cjk(CJK_TOKENIZER);
    let bigrams = cjk(CJK_BIGRAM_TOKENIZER);
    let fields = Fields {
        kind: b.add_u64_field("kind", id_number.clone()),
        document_id: b.add_u64_field("document_id", id_number.clone()),
        entry_id: b.add_u64_field("entry_id", NumericOptions::default().set_fast()),
        name_exact: b.add_text_field("name_exact", STRING),
        id_key: b.add_text_field("id_key", STRING),
        ref_key: b.add_text_field("ref_key", STRING),
        doc_number_key: b.add_text_field("doc_number_key", STRING),
        name_text: b.add_text_field("name_text", positions.clone()),
        extra_text: b.add_text_field("extra_text", bigrams),
        title_text: b.add_text_field("title_text", positions.clone()),
        full_text: b.add_text_field("full_text", positions.clone()),
        doc_text: b.add_text_field("doc_text", positions.clone()),
        page_text: b.add_text_field("page_text", positions),
        page_id: b.add_u64_field("page_id", NumericOptions::default().set_fast()),
        name_pinyin: b.add_text_field("name_pinyin", STRING),
        name_pinyin_main: b.add_text_field("name_pinyin_main", STRING),
        name_fuzzy: b.add_text_field("name_fuzzy", STRING),
        name_initials: b.add_text_field("name_initials", STRING),
        year: b.add_u64_field("year", id_number.clone()),
        birth_year: b.add_u64_field("birth_year", id_number),
        birth_month: b.add_text_field("birth_month", STRING),
        doc_month: b.add_text_field("doc_month", STRING),
        category: b.add_text_field("category", STRING | FAST),
        fonds: b.add_text_field("fonds", STRING | FAST),
        access: b.add_text_field("access", STRING | FAST),
        unit: b.add_text_field("unit", STRING | FAST),
        person: b.add_u64_field("person", FAST),
        date: b.add_u64_field("date", FAST),
    };
    (b.build(), fields)
}
