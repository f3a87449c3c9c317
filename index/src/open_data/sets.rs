//! OAI-PMH sets, one per category. A setSpec may hold ASCII letters, digits and a few marks
//! only, so a category is named by its pinyin (退休审批 → tuixiushenpi), with a short hash of
//! the category where that reading is taken already; the set's name is the category itself.
//! A set keeps its setSpec once given (kept in `meta`), so that selective harvests and their
//! resumption tokens go on working when categories are added.

use ::pinyin::ToPinyin;
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// `meta`: the sets given so far, as JSON [[setSpec, category], …].
pub const SETS_KEY: &str = "open_data_sets";

/// The sets `kept`, and a setSpec for each of `categories` not among them yet.
pub fn assign(kept: &[(String, String)], categories: &[String]) -> Vec<(String, String)> {
    let mut sets = kept.to_vec();
    for category in categories {
        if sets.iter().any(|(_, c)| c == category) {
            continue;
        }
        let reading = reading(category);
        let taken = |spec: &str| sets.iter().any(|(s, _)| s == spec);
        let spec = if !reading.is_empty() && !taken(&reading) {
            reading
        } else {
            let hash = hex::encode(&Sha256::digest(category.as_bytes())[..4]);
            if reading.is_empty() {
                format!("c{hash}")
            } else {
                format!("{reading}-{hash}")
            }
        };
        sets.push((spec, category.clone()));
    }
    sets
}

/// The sets given so far.
pub fn kept(conn: &Connection) -> crate::error::Result<Vec<(String, String)>> {
    let json: Option<String> = conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [SETS_KEY], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(json
        .and_then(|j| serde_json::from_str(&j).ok())
        .unwrap_or_default())
}

/// Gives each category published a set, keeping those given before.
pub fn keep(conn: &Connection, categories: &[String]) -> crate::error::Result<()> {
    let sets = assign(&kept(conn)?, categories);
    crate::store::set_meta_in(
        conn,
        SETS_KEY,
        &serde_json::to_string(&sets).expect("strings serialize"),
    )
}

fn reading(category: &str) -> String {
    let mut out = String::new();
    for (c, pinyin) in category.chars().zip(category.to_pinyin()) {
        match pinyin {
            Some(p) => out.push_str(p.plain()),
            None if c.is_ascii_alphanumeric() => out.push(c.to_ascii_lowercase()),
            None => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|c| c.to_string()).collect()
    }

    #[test]
    fn a_category_is_named_by_its_pinyin_and_a_set_keeps_its_name_when_others_come() {
        let first = assign(&[], &strings(&["退休审批", "文书", "——"]));
        assert_eq!(first[0].0, "tuixiushenpi");
        assert_eq!(first[1].0, "wenshu");
        assert!(first[2].0.starts_with('c'));
        // 闻书 reads as 文书 does: it gets a name of its own, and 文书 keeps its.
        let later = assign(&first, &strings(&["闻书", "文书", "退休审批"]));
        assert_eq!(later[..3], first[..]);
        assert!(later[3].0.starts_with("wenshu-"), "{:?}", later[3]);
        for (spec, _) in &later {
            assert!(
                spec.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'),
                "{spec}"
            );
        }
    }
}
