//! What a peer answers about a person it holds records of: document-level facts drawn from the
//! person timeline (the same joins and confidence as 人员) — how many records, their category and
//! year, how sure the match is, and titles with every person's name masked. Controlled and
//! closed records are counted, never described. Rows, IDs, wages and pages never leave.

use crate::api::{HeldGroup, PersonTimeline, TimelineEvent, WhoHoldsFacts};
use crate::error::Result;
use std::collections::BTreeMap;

/// Titles shown per group at most: enough for the asking clerk to tell the kinds of record.
const TITLES_PER_GROUP: usize = 5;

/// The facts of `timeline` (read with restricted records included). `names_in` gives the names
/// of the people a document lists, which are masked in its title. With `by_name`, the question
/// gave a name and birth month alone: no match is said to be surer than that, even where the
/// timeline went on through an ID only the answering archive knows.
pub fn facts(
    archive_name: String,
    timeline: &PersonTimeline,
    by_name: bool,
    names_in: impl Fn(i64) -> Result<Vec<String>>,
) -> Result<WhoHoldsFacts> {
    let mut groups: BTreeMap<(Option<String>, Option<i32>, &'static str), HeldGroup> =
        BTreeMap::new();
    let mut restricted = 0;
    let capped = |sure: &'static str| match sure {
        "id" | "confirmed" if by_name => "name_birth",
        sure => sure,
    };
    let joined = timeline
        .events
        .iter()
        .map(|e| (e, capped(matched_by(&e.join))));
    let possible = timeline.possible_matches.iter().map(|e| (e, "name_only"));
    for (event, matched_by) in joined.chain(possible) {
        if crate::privacy::is_restricted(&event.access) {
            restricted += 1;
            continue;
        }
        let year = year_of(event);
        let group = groups
            .entry((event.category.clone(), year, matched_by))
            .or_insert_with(|| HeldGroup {
                category: event.category.clone(),
                year,
                matched_by: matched_by.to_string(),
                records: 0,
                titles: Vec::new(),
            });
        group.records += 1;
        if let Some(title) = event.title.as_deref() {
            let mut names = names_in(event.document_id)?;
            names.push(timeline.name.clone());
            names.push(event.name.clone());
            let masked = masked_title(title, &names);
            if group.titles.len() < TITLES_PER_GROUP && !group.titles.contains(&masked) {
                group.titles.push(masked);
            }
        }
    }
    Ok(WhoHoldsFacts {
        archive_name,
        groups: groups.into_values().collect(),
        restricted,
    })
}

/// How sure a timeline's join is, in the words peers exchange.
fn matched_by(join: &str) -> &'static str {
    match join {
        "id_number" => "id",
        "name_birth" => "name_birth",
        "confirmed" | "added" => "confirmed",
        _ => "name_only",
    }
}

fn year_of(event: &TimelineEvent) -> Option<i32> {
    event.date_key.as_deref()?.get(..4)?.parse().ok()
}

/// A title with each of `names` (two characters or more) hidden, one `＊` per character, and
/// ID numbers and amounts hidden as in every free text. Title and names are compared as names
/// are (`normalize_name`: simplified, widths folded, no spaces), so that 劉建國 or 刘 建国 in a
/// title is found by 刘建国; the title goes out in that form.
pub fn masked_title(title: &str, names: &[String]) -> String {
    use crate::text::name::normalize_name;
    let mut names: Vec<String> = names
        .iter()
        .map(|n| normalize_name(n))
        .filter(|n| n.chars().count() >= 2)
        .collect();
    // Longer names first, so that 张三丰 is not left as ＊＊丰 by 张三.
    names.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    let mut masked = normalize_name(title);
    for name in names {
        masked = masked.replace(&name, &"＊".repeat(name.chars().count()));
    }
    crate::privacy::mask_text(&masked)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(join: &str, access: &str, category: &str, date: &str, title: &str) -> TimelineEvent {
        TimelineEvent {
            entry_id: 1,
            document_id: 7,
            ref_code: "J012-WS·1998-Y-0034".into(),
            category: Some(category.into()),
            title: Some(title.into()),
            date: Some(date.into()),
            date_key: Some(date.replace('.', "-")),
            kind: "record".into(),
            name: "张三".into(),
            unit: Some("清源县化肥厂".into()),
            wage_before: Some("312.00".into()),
            wage_after: Some("356.00".into()),
            work_start: None,
            retirement: None,
            page: Some("3".into()),
            access: access.into(),
            join: join.into(),
            confidence: "high".into(),
            originals: vec![],
        }
    }

    #[test]
    fn records_are_grouped_by_category_year_and_match_with_names_masked_and_restricted_counted() {
        let timeline = PersonTimeline {
            name: "张三".into(),
            gender: None,
            birth: None,
            id_masked: None,
            events: vec![
                event(
                    "id_number",
                    "open",
                    "工资调整",
                    "1998.07",
                    "清源县化肥厂1998年工资调整审批表",
                ),
                event(
                    "id_number",
                    "open",
                    "工资调整",
                    "1998.10",
                    "清源县化肥厂1998年工资调整审批表",
                ),
                event(
                    "name_birth",
                    "open",
                    "退休审批",
                    "2003",
                    "关于同意張 三、李四丰同志退休的批复",
                ),
                event(
                    "id_number",
                    "controlled",
                    "干部任免",
                    "1990",
                    "关于张三同志任职的通知",
                ),
            ],
            service: None,
            possible_matches: vec![event(
                "name_only",
                "open",
                "招工录用",
                "1975",
                "1975年招工花名册",
            )],
            originals: vec![],
        };
        let facts = facts("河西县档案馆".into(), &timeline, false, |_| {
            Ok(vec!["李四丰".into(), "李 四".into()])
        })
        .unwrap();
        assert_eq!(facts.restricted, 1);
        let text = serde_json::to_string(&facts).unwrap();
        for secret in [
            "张三",
            "李四",
            "干部任免",
            "任职",
            "312",
            "356",
            "J012",
            "清源县化肥厂1998年工资调整审批表\",\"清源",
        ] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        let wage = facts
            .groups
            .iter()
            .find(|g| g.category.as_deref() == Some("工资调整"))
            .unwrap();
        assert_eq!(
            (wage.year, wage.matched_by.as_str(), wage.records),
            (Some(1998), "id", 2)
        );
        assert_eq!(wage.titles, vec!["清源县化肥厂1998年工资调整审批表"]);
        let retired = facts
            .groups
            .iter()
            .find(|g| g.category.as_deref() == Some("退休审批"))
            .unwrap();
        assert_eq!(retired.matched_by, "name_birth");
        assert_eq!(retired.titles, vec!["关于同意＊＊、＊＊＊同志退休的批复"]);
        let hired = facts
            .groups
            .iter()
            .find(|g| g.category.as_deref() == Some("招工录用"))
            .unwrap();
        assert_eq!(hired.matched_by, "name_only");

        // Asked by name and birth month, an ID match there is said as no more than that.
        let by_name = super::facts("河西县档案馆".into(), &timeline, true, |_| Ok(vec![])).unwrap();
        assert!(
            by_name.groups.iter().all(|g| g.matched_by != "id"),
            "{by_name:?}"
        );
    }
}
