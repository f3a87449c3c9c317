//! Which journaled looks become rows of the trail. Every search whose answer was returned is
//! kept, except one the same clerk's very next look extends — the keystrokes of one search typed
//! into the box (刘, 刘建, 刘建国) become its last form; a search the clerk committed (Enter) is
//! never folded. A clerk who types a whole ID, reads the hits and edits the box down to 张 leaves
//! both on the trail: 张 does not extend the ID. The pages served within one view of a document
//! become one row listing them.

use serde_json::Value;

/// A look as the journal keeps it.
#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub id: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target: Option<String>,
    pub detail: Value,
}

pub const SEARCH: &str = "search";
pub const PAGES: &str = "view_pages";

/// What a search's detail holds besides its filters (the page asked for is one of them: page 1
/// and page 2 of a query are two answers returned).
const NOT_FILTERS: &[&str] = &["query", "total", "committed"];

fn filters(detail: &Value) -> Vec<(&String, &Value)> {
    match detail.as_object() {
        Some(map) => map
            .iter()
            .filter(|(k, _)| !NOT_FILTERS.contains(&k.as_str()))
            .collect(),
        None => Vec::new(),
    }
}

fn query(detail: &Value) -> &str {
    detail.get("query").and_then(Value::as_str).unwrap_or("")
}

/// Whether search `later` is the same search as `earlier`, typed further.
fn extends(earlier: &Look, later: &Look) -> bool {
    later.action == SEARCH
        && earlier.detail.get("committed") != Some(&Value::Bool(true))
        && filters(&earlier.detail) == filters(&later.detail)
        && query(&later.detail).starts_with(query(&earlier.detail))
}

fn view_of(look: &Look) -> Option<(&str, Option<&str>, &Value)> {
    (look.action == PAGES).then(|| {
        (
            look.actor.as_str(),
            look.target.as_deref(),
            look.detail.get("view").unwrap_or(&Value::Null),
        )
    })
}

/// The rows to chain for `looks` (in journal order), in the same order.
pub fn collapse(looks: Vec<Look>) -> Vec<Look> {
    let n = looks.len();
    let mut keep = vec![true; n];
    for i in 0..n {
        if looks[i].action != SEARCH {
            continue;
        }
        let next_of_same_clerk = (i + 1..n).find(|&j| looks[j].actor == looks[i].actor);
        if next_of_same_clerk.is_some_and(|j| extends(&looks[i], &looks[j])) {
            keep[i] = false;
        }
    }
    // Pages of one view: the pages of earlier rows move into the view's last row.
    let mut out: Vec<Look> = Vec::with_capacity(n);
    let mut carried: Vec<(usize, Vec<Value>)> = Vec::new();
    for i in 0..n {
        if !keep[i] {
            continue;
        }
        let Some(view) = view_of(&looks[i]) else {
            out.push(looks[i].clone());
            continue;
        };
        let later_of_same_view = (i + 1..n).any(|j| view_of(&looks[j]) == Some(view));
        let pages = looks[i]
            .detail
            .get("pages")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let slot = carried
            .iter()
            .position(|(k, _)| view_of(&looks[*k]) == Some(view));
        let mut all = match slot {
            Some(s) => carried.remove(s).1,
            None => Vec::new(),
        };
        for page in pages {
            if !all.contains(&page) {
                all.push(page);
            }
        }
        if later_of_same_view {
            carried.push((i, all));
        } else {
            let mut row = looks[i].clone();
            row.detail["pages"] = Value::Array(all);
            out.push(row);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn look(id: i64, actor: &str, action: &str, detail: Value) -> Look {
        Look {
            id,
            at: format!("2026-12-04 10:00:{id:02}"),
            actor: actor.into(),
            action: action.into(),
            target: None,
            detail,
        }
    }

    fn search(id: i64, actor: &str, query: &str) -> Look {
        look(
            id,
            actor,
            SEARCH,
            json!({ "query": query, "category": null }),
        )
    }

    fn queries(rows: &[Look]) -> Vec<&str> {
        rows.iter().map(|r| query(&r.detail)).collect()
    }

    #[test]
    fn keystrokes_of_one_search_become_its_last_form() {
        let rows = collapse(vec![
            search(1, "a", "刘"),
            search(2, "a", "刘建"),
            search(3, "a", "刘建国"),
        ]);
        assert_eq!(queries(&rows), vec!["刘建国"]);
    }

    #[test]
    fn a_query_edited_down_keeps_both() {
        let rows = collapse(vec![
            search(1, "a", "620102195603150012"),
            search(2, "a", "张"),
        ]);
        assert_eq!(queries(&rows), vec!["620102195603150012", "张"]);
        let rows = collapse(vec![search(1, "a", "刘建国"), search(2, "a", "刘建")]);
        assert_eq!(queries(&rows), vec!["刘建国", "刘建"]);
    }

    #[test]
    fn a_committed_search_another_look_or_other_filters_keep_it() {
        let mut committed = search(1, "a", "王");
        committed.detail["committed"] = json!(true);
        let rows = collapse(vec![committed, search(2, "a", "王磊")]);
        assert_eq!(rows.len(), 2);
        let rows = collapse(vec![
            search(1, "a", "王"),
            look(2, "a", "view_record", json!({})),
            search(3, "a", "王磊"),
        ]);
        assert_eq!(rows.len(), 3);
        let mut filtered = search(2, "a", "王磊");
        filtered.detail["category"] = json!("工资调整");
        assert_eq!(collapse(vec![search(1, "a", "王"), filtered]).len(), 2);
    }

    #[test]
    fn other_clerks_do_not_fold_into_each_other() {
        let rows = collapse(vec![
            search(1, "a", "王"),
            search(2, "b", "王磊"),
            search(3, "a", "王磊"),
        ]);
        assert_eq!(queries(&rows), vec!["王磊", "王磊"]);
        assert_eq!(rows[0].actor, "b");
    }

    #[test]
    fn pages_of_one_view_become_one_row() {
        let page = |id, p, view| {
            let mut l = look(id, "a", PAGES, json!({ "view": view, "pages": [p] }));
            l.target = Some("document:6".into());
            l
        };
        let rows = collapse(vec![
            page(1, 1, "v1"),
            page(2, 2, "v1"),
            page(3, 1, "v1"),
            page(4, 3, "v2"),
        ]);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].detail["pages"], json!([1, 2]));
        assert_eq!(rows[0].id, 3);
        assert_eq!(rows[1].detail["pages"], json!([3]));
    }
}
