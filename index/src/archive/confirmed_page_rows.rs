//! A scanned page's table rows as the recognizer read them, and a row the clerk confirms made
//! a catalogue row of the page's document (see `crate::import::page_row`), with its row of the
//! audit trail.

use super::scanned_pages::PageAsRead;
use super::Archive;
use crate::api::{
    ConfirmPageRowRequest, ConfirmedPageRow, PageRows, PageRowsRequest, PageTableRow,
};
use crate::error::{Error, ErrorCode, Result};
use crate::import::page_row;
use crate::store::writer::EntryWrite;

impl Archive {
    /// The rows read on a page, each cell with the field its header names, and which rows a
    /// clerk has already made catalogue rows. Within the caller's view of the document, and a
    /// look at the page on the trail, as the page's image is: the cells are what it prints.
    pub fn page_rows(&mut self, request: &PageRowsRequest) -> Result<PageRows> {
        let page = self.page_as_read(request.document_id, request.page_no)?;
        let (ref_code, ref_key) = page_row::document_ref(&self.store.conn, request.document_id)?;
        let mut rows = table_of(&page);
        if let Some(checksum) = &page.checksum {
            for row in &mut rows {
                let key = page_row::entry_key(&ref_key, request.page_no, checksum, row.row_no);
                let made = page_row::confirmed_entry(&self.store.conn, &key)?;
                row.entry_id = made.map(|(id, _)| id);
                row.confirmed_in = made.map(|(_, batch)| batch);
            }
        }
        self.record_look(crate::audit::Event::new(
            crate::audit::collapse::PAGES,
            Some(format!("document:{}", request.document_id)),
            serde_json::json!({ "view": page.view, "pages": [request.page_no] }),
        ))?;
        Ok(PageRows {
            document_id: request.document_id,
            page_no: request.page_no,
            ref_code,
            width: page.width,
            height: page.height,
            read: page.lines.is_some(),
            rows,
        })
    }

    /// Makes a row read on a page a catalogue row of its document, with the values the clerk
    /// confirmed against the scan; confirming a row again corrects its entry. Refused when the
    /// row was confirmed or corrected since the clerk saw it (at another desk). Recorded
    /// with the fields the clerk corrected from what the recognizer read (not their values).
    pub fn confirm_page_row(
        &mut self,
        request: &ConfirmPageRowRequest,
    ) -> Result<ConfirmedPageRow> {
        let page = self.page_as_read(request.document_id, request.page_no)?;
        let not_read = || {
            Error::new(
                ErrorCode::NotFound,
                format!(
                    "第 {} 页没有识别出第 {} 行",
                    request.page_no, request.row_no
                ),
            )
        };
        let checksum = page.checksum.clone().ok_or_else(not_read)?;
        let row = table_of(&page)
            .into_iter()
            .find(|r| r.row_no == request.row_no)
            .ok_or_else(not_read)?;
        if row.header {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                "这是表格的表头行，不是人员行",
            ));
        }
        let (ref_code, ref_key) = page_row::document_ref(&self.store.conn, request.document_id)?;
        let key = page_row::entry_key(&ref_key, request.page_no, &checksum, request.row_no);
        let mut record = page_row::confirmed_record(
            &ref_code,
            request.page_no,
            request.row_no,
            &request.values,
            request.id_as_printed,
        )?;
        let corrected: Vec<&str> = page_row::corrected_fields(&row, &request.values)
            .into_iter()
            .map(|f| f.label())
            .collect();
        let notes: Vec<String> = record
            .notes
            .iter()
            .map(|(column, note)| match column {
                Some(column) => format!("{column}：{note}"),
                None => note.clone(),
            })
            .collect();
        self.act(|tx, caller| {
            // Looked at inside the write, so that two desks confirming one row cannot both pass.
            let made = page_row::confirmed_entry(tx, &key)?;
            if made.map(|(_, batch)| batch) != request.confirmed_in {
                return Err(Error::new(
                    ErrorCode::InvalidRequest,
                    "这一行刚被另一柜台转为目录条目或更正过：请重新打开本页的表格行，核对后再确认",
                ));
            }
            record.notes.push((
                None,
                format!(
                    "由扫描页第{}页第{}行的识别结果经{}核对确认",
                    request.page_no, request.row_no, caller.display_name
                ),
            ));
            let (entry_id, written) =
                page_row::write_confirmed(tx, request.document_id, &key, request.page_no, &record)?;
            let outcome = match written {
                EntryWrite::New => "new",
                EntryWrite::Unchanged | EntryWrite::Duplicate => "unchanged",
                EntryWrite::Updated => "updated",
            };
            crate::audit::append(
                tx,
                caller,
                crate::audit::Event::new(
                    "confirm_page_row",
                    Some(format!("entry:{entry_id}")),
                    serde_json::json!({
                        "document_id": request.document_id,
                        "ref_code": ref_code,
                        "page_no": request.page_no,
                        "row_no": request.row_no,
                        "outcome": outcome,
                        "corrected": corrected,
                        "id_as_printed": request.id_as_printed,
                    }),
                ),
            )?;
            Ok(ConfirmedPageRow {
                entry_id,
                outcome: outcome.to_string(),
                notes,
            })
        })
    }
}

fn table_of(page: &PageAsRead) -> Vec<PageTableRow> {
    page.lines
        .as_deref()
        .map(page_row::page_table)
        .unwrap_or_default()
}
