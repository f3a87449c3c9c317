//! The counter's views in one form (`text::shown`): dates as 1949.06, 档号 with one separator
//! style, names without padding spaces. Each value changed keeps what the record wrote in the
//! view's `originals`, shown on hover; the store, the register's copies and a certificate's
//! transcription keep what was written.

use crate::api::{DocumentView, EntryView, PersonTimeline, SearchHit, TimelineEvent};
use crate::text::shown::{date_shown, name_shown, ref_code_shown};

/// Replaces `value` with `shown(value)`, noting the original under `field` when they differ.
fn show(
    originals: &mut Vec<(String, String)>,
    field: &str,
    value: &mut String,
    shown: impl Fn(&str) -> Option<String>,
) {
    if let Some(new) = shown(value) {
        if new != *value {
            originals.push((field.to_string(), std::mem::replace(value, new)));
        }
    }
}

fn show_opt(
    originals: &mut Vec<(String, String)>,
    field: &str,
    value: &mut Option<String>,
    shown: impl Fn(&str) -> Option<String>,
) {
    if let Some(value) = value.as_mut() {
        show(originals, field, value, shown);
    }
}

fn name(raw: &str) -> Option<String> {
    Some(name_shown(raw))
}

fn ref_code(raw: &str) -> Option<String> {
    Some(ref_code_shown(raw))
}

pub fn document(view: &mut DocumentView) {
    show(
        &mut view.originals,
        "ref_code",
        &mut view.ref_code,
        ref_code,
    );
    show_opt(&mut view.originals, "date", &mut view.date, date_shown);
    for entry in &mut view.entries {
        self::entry(entry);
    }
}

pub fn entry(entry: &mut EntryView) {
    let o = &mut entry.originals;
    show(o, "name", &mut entry.name, name);
    show_opt(o, "birth", &mut entry.birth, date_shown);
    show_opt(o, "work_start", &mut entry.work_start, date_shown);
    show_opt(o, "retire_date", &mut entry.retire_date, date_shown);
}

pub fn hit(hit: &mut SearchHit) {
    let o = &mut hit.originals;
    show(o, "ref_code", &mut hit.ref_code, ref_code);
    show_opt(o, "name", &mut hit.name, name);
    show_opt(o, "birth", &mut hit.birth, date_shown);
}

pub fn timeline(timeline: &mut PersonTimeline) {
    let o = &mut timeline.originals;
    show(o, "name", &mut timeline.name, name);
    show_opt(o, "birth", &mut timeline.birth, date_shown);
    for event in timeline
        .events
        .iter_mut()
        .chain(timeline.possible_matches.iter_mut())
    {
        self::event(event);
    }
}

fn event(event: &mut TimelineEvent) {
    let o = &mut event.originals;
    show(o, "ref_code", &mut event.ref_code, ref_code);
    show(o, "name", &mut event.name, name);
    show_opt(o, "date", &mut event.date, date_shown);
    show_opt(o, "work_start", &mut event.work_start, date_shown);
    show_opt(o, "retirement", &mut event.retirement, date_shown);
}
