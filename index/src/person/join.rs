//! The automatic rules that tie a record to a person, and how sure each tie is.

use super::key::{month_or_year, PersonKey};
use super::record::Record;
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    /// The same valid ID number.
    IdNumber,
    /// The same name and birth month, and no ID against it.
    NameBirth,
    /// The same name and birth month, but several ID holders fit: which one is a guess, so the
    /// record is shown, not joined.
    NameBirthContested,
    /// The same name; the birth is unknown or only its year agrees: shown, not joined.
    NameOnly,
    /// A clerk confirmed the automatic join.
    Confirmed,
    /// A clerk added a record the rules do not join (a misspelled name, say).
    Added,
}

impl Link {
    /// Whether the record is one of the person's events rather than a possible match.
    pub fn joined(self) -> bool {
        !matches!(self, Link::NameBirthContested | Link::NameOnly)
    }

    /// The `join` of api::TimelineEvent.
    pub fn join(self) -> &'static str {
        match self {
            Link::IdNumber => "id_number",
            Link::NameBirth | Link::NameBirthContested => "name_birth",
            Link::NameOnly => "name_only",
            Link::Confirmed => "confirmed",
            Link::Added => "added",
        }
    }

    /// The `confidence` of api::TimelineEvent.
    pub fn confidence(self) -> &'static str {
        match self {
            Link::IdNumber => "high",
            Link::NameBirth => "medium",
            Link::NameBirthContested | Link::NameOnly => "low",
            Link::Confirmed | Link::Added => "confirmed",
        }
    }
}

/// What records are compared with: the person's ID, names and birth month.
pub(super) struct Profile<'k> {
    key: &'k PersonKey,
    birth: Option<String>,
    names: HashSet<String>,
    /// Names under which more than one ID holder has the person's birth month.
    contested: HashSet<String>,
}

impl<'k> Profile<'k> {
    /// `names`: the names the person's records are written under; `candidates`: every record
    /// found under those names, to tell whether a name and birth month point at one ID holder.
    pub fn new(key: &'k PersonKey, names: HashSet<String>, candidates: &[Record]) -> Self {
        let birth = key.birth();
        let mut holders: HashMap<&str, HashSet<&str>> = HashMap::new();
        for r in candidates {
            if let Some(id) = r.id_key.as_deref() {
                if names.contains(&r.name_norm)
                    && compare(birth.as_deref(), r.birth().as_deref()) == Birth::SameMonth
                {
                    holders.entry(&r.name_norm).or_default().insert(id);
                }
            }
        }
        let contested = names
            .iter()
            .filter(|n| {
                let mut ids = holders.get(n.as_str()).cloned().unwrap_or_default();
                ids.extend(key.id());
                ids.len() > 1
            })
            .cloned()
            .collect();
        Profile {
            key,
            birth,
            names,
            contested,
        }
    }

    /// How a record ties to the person by the rules alone; None when it is someone else.
    pub fn classify(&self, r: &Record) -> Option<Link> {
        if let (Some(mine), Some(theirs)) = (self.key.id(), r.id_key.as_deref()) {
            // A different valid ID is a different person, whatever the name says.
            return (mine == theirs).then_some(Link::IdNumber);
        }
        if !self.names.contains(&r.name_norm) {
            return None;
        }
        match compare(self.birth.as_deref(), r.birth().as_deref()) {
            Birth::SameMonth => {
                // Between records without IDs there is no holder to be unsure about.
                let crosses_id = self.key.id().is_some() || r.id_key.is_some();
                Some(if crosses_id && self.contested.contains(&r.name_norm) {
                    Link::NameBirthContested
                } else {
                    Link::NameBirth
                })
            }
            Birth::Undecided => Some(Link::NameOnly),
            Birth::Different => None,
        }
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Birth {
    SameMonth,
    /// A birth is missing, or one is only a year and the years agree.
    Undecided,
    Different,
}

fn compare(a: Option<&str>, b: Option<&str>) -> Birth {
    let (Some(a), Some(b)) = (a, b) else {
        return Birth::Undecided;
    };
    let (a, b) = (month_or_year(a), month_or_year(b));
    if a.len() == 7 && b.len() == 7 {
        if a == b {
            Birth::SameMonth
        } else {
            Birth::Different
        }
    } else if a.get(..4) == b.get(..4) {
        Birth::Undecided
    } else {
        Birth::Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn births_compare_at_month_precision() {
        assert_eq!(
            compare(Some("1948-06"), Some("1948-06-15")),
            Birth::SameMonth
        );
        assert_eq!(compare(Some("1948-06"), Some("1948-07")), Birth::Different);
        assert_eq!(compare(Some("1948-06"), Some("1948")), Birth::Undecided);
        assert_eq!(compare(Some("1948-06"), Some("1949")), Birth::Different);
        assert_eq!(compare(Some("1948-06"), None), Birth::Undecided);
        assert_eq!(compare(None, None), Birth::Undecided);
    }
}
