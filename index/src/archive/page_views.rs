//! Which documents' pages each clerk may be served: those of a recorded view of the document —
//! the record opened, a request opened with the record attached, or, for a controlled or closed
//! record, its opening by a supervisor with a reason. Pages are served only within such a view,
//! and each page served is recorded against it.

use std::collections::HashMap;

/// Views kept per clerk; older ones are forgotten (the clerk opens the record again).
const VIEWS_KEPT: usize = 200;

#[derive(Debug, Clone)]
struct View {
    document_id: i64,
    /// When the view was recorded: names it in the rows of the pages served within it.
    at: String,
    /// Opened by a supervisor with a reason (needed for a restricted record's pages).
    restricted_opened: bool,
}

#[derive(Default)]
pub struct PageViews {
    by_clerk: HashMap<String, Vec<View>>,
    /// The requests each clerk has registered or opened (recorded): only inside those do a
    /// requester's own rows show in full.
    requests: HashMap<String, Vec<i64>>,
}

impl PageViews {
    /// Records a view of `document_id` by `clerk`.
    pub fn grant(&mut self, clerk: &str, document_id: i64, at: &str, restricted_opened: bool) {
        let views = self.by_clerk.entry(clerk.to_string()).or_default();
        views.retain(|v| {
            v.document_id != document_id || (v.restricted_opened && !restricted_opened)
        });
        views.push(View {
            document_id,
            at: at.to_string(),
            restricted_opened,
        });
        if views.len() > VIEWS_KEPT {
            views.remove(0);
        }
    }

    /// The view within which `clerk` may be served pages of `document_id`: any view for an open
    /// record, a supervisor's opening for a restricted one.
    pub fn view_of(&self, clerk: &str, document_id: i64, restricted: bool) -> Option<&str> {
        self.by_clerk
            .get(clerk)?
            .iter()
            .rev()
            .find(|v| v.document_id == document_id && (!restricted || v.restricted_opened))
            .map(|v| v.at.as_str())
    }

    /// Records that `clerk` registered or opened request `id`.
    pub fn open_request(&mut self, clerk: &str, id: i64) {
        let requests = self.requests.entry(clerk.to_string()).or_default();
        if !requests.contains(&id) {
            requests.push(id);
            if requests.len() > VIEWS_KEPT {
                requests.remove(0);
            }
        }
    }

    /// Whether `clerk` has registered or opened request `id`.
    pub fn has_opened_request(&self, clerk: &str, id: i64) -> bool {
        self.requests.get(clerk).is_some_and(|r| r.contains(&id))
    }

    /// A clerk who logs out leaves no views behind for the next one.
    pub fn forget(&mut self, clerk: &str) {
        self.by_clerk.remove(clerk);
        self.requests.remove(clerk);
    }
}

#[cfg(test)]
mod tests {
    use super::PageViews;

    #[test]
    fn pages_follow_the_clerks_own_views() {
        let mut views = PageViews::default();
        views.grant("zhangli（张丽）", 6, "2026-12-04 10:00:00", false);
        assert_eq!(
            views.view_of("zhangli（张丽）", 6, false),
            Some("2026-12-04 10:00:00")
        );
        assert_eq!(views.view_of("wangfang（王芳）", 6, false), None);
        assert_eq!(views.view_of("zhangli（张丽）", 7, false), None);
        assert_eq!(views.view_of("zhangli（张丽）", 6, true), None);
        views.grant("lizhuren（李主任）", 7, "2026-12-04 10:01:00", true);
        assert!(views.view_of("lizhuren（李主任）", 7, true).is_some());
        views.forget("zhangli（张丽）");
        assert_eq!(views.view_of("zhangli（张丽）", 6, false), None);
    }
}
