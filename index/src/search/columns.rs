//! Reading the index's fast columns (document and entry ids) for a set of index documents.

use tantivy::{DocAddress, Searcher};

use crate::error::Result;

/// A fast column's value for each of `docs`; each segment's column is opened once (opening
/// one reads its block index, which costs more than many lookups).
pub fn column_values(
    searcher: &Searcher,
    docs: impl IntoIterator<Item = DocAddress>,
    column: &str,
) -> Result<Vec<u64>> {
    let mut docs: Vec<DocAddress> = docs.into_iter().collect();
    docs.sort_unstable();
    let mut out = Vec::with_capacity(docs.len());
    let mut open: Option<(u32, tantivy::columnar::Column<u64>)> = None;
    for address in docs {
        if open
            .as_ref()
            .is_none_or(|(seg, _)| *seg != address.segment_ord)
        {
            let reader = searcher.segment_reader(address.segment_ord);
            open = Some((address.segment_ord, reader.fast_fields().u64(column)?));
        }
        let (_, values) = open.as_ref().expect("opened above");
        out.extend(values.first(address.doc_id));
    }
    Ok(out)
}

/// A fast column's value for each of `docs`, in the order given: None where a document has no
/// value, or its segment no such column (a column only some kinds of documents carry).
pub fn values_where_present(
    searcher: &Searcher,
    docs: &[DocAddress],
    column: &str,
) -> Result<Vec<Option<u64>>> {
    let mut order: Vec<usize> = (0..docs.len()).collect();
    order.sort_unstable_by_key(|&i| docs[i]);
    let mut out = vec![None; docs.len()];
    let mut open: Option<(u32, Option<tantivy::columnar::Column<u64>>)> = None;
    for i in order {
        let address = docs[i];
        if open
            .as_ref()
            .is_none_or(|(seg, _)| *seg != address.segment_ord)
        {
            let reader = searcher.segment_reader(address.segment_ord);
            open = Some((
                address.segment_ord,
                reader.fast_fields().column_opt::<u64>(column)?,
            ));
        }
        if let Some((_, Some(values))) = open.as_ref() {
            out[i] = values.first(address.doc_id);
        }
    }
    Ok(out)
}
