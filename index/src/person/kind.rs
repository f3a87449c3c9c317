//! What a record is in a working life, read from its document's category or title.

/// Checked in this order: a wage adjustment of retirees (离退休人员调整工资) is a wage
/// adjustment, not a retirement.
const KINDS: &[(&[&str], &str)] = &[
    (&["招工", "录用", "招聘"], "hired"),
    (&["工资", "调资", "调整"], "wage_adjustment"),
    (&["退休"], "retirement"),
];

/// hired | wage_adjustment | retirement | record. The category decides when it says anything,
/// since titles are free text; the title otherwise.
pub(super) fn event_kind(category: Option<&str>, title: Option<&str>) -> &'static str {
    [category, title]
        .into_iter()
        .flatten()
        .find_map(|text| {
            let text = crate::text::normalize_text(text);
            KINDS
                .iter()
                .find(|(words, _)| words.iter().any(|w| text.contains(w)))
                .map(|(_, kind)| *kind)
        })
        .unwrap_or("record")
}

#[cfg(test)]
mod tests {
    use super::event_kind;

    #[test]
    fn kind_from_category_then_title() {
        assert_eq!(event_kind(Some("招工录用"), None), "hired");
        assert_eq!(event_kind(Some("工資調整"), None), "wage_adjustment");
        assert_eq!(
            event_kind(Some("退休审批"), Some("关于调整张瑞同志工资的批复")),
            "retirement"
        );
        assert_eq!(
            event_kind(None, Some("离退休人员调整工资审批表")),
            "wage_adjustment"
        );
        assert_eq!(
            event_kind(Some("民办教师"), Some("关于录用王磊为民办教师的通知")),
            "hired"
        );
        assert_eq!(event_kind(Some("职工档案"), Some("职工登记表")), "record");
        assert_eq!(event_kind(None, None), "record");
    }
}
