//! Who a timeline is about, as a key that clerks' decisions are stored under.

use super::record::Record;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum PersonKey {
    /// A valid ID number's canonical 18-character key.
    Id(String),
    /// Normalized name and birth year-month; a bare year or nothing when that is all the
    /// record says.
    NameBirth {
        name_norm: String,
        birth: Option<String>,
    },
}

impl PersonKey {
    /// The person a record names: its ID when valid, else its name and birth month.
    pub fn of(record: &Record) -> PersonKey {
        match &record.id_key {
            Some(id) => PersonKey::Id(id.clone()),
            None => PersonKey::NameBirth {
                name_norm: record.name_norm.clone(),
                birth: record.birth_key.as_deref().map(month_or_year),
            },
        }
    }

    /// 'id:<id key>' or 'nb:<normalized name>|<birth year-month>', as in person_decisions.
    pub fn text(&self) -> String {
        match self {
            PersonKey::Id(id) => format!("id:{id}"),
            PersonKey::NameBirth { name_norm, birth } => {
                format!("nb:{name_norm}|{}", birth.as_deref().unwrap_or(""))
            }
        }
    }

    /// Birth year-month (or year) the person's records are compared with.
    pub fn birth(&self) -> Option<String> {
        match self {
            PersonKey::Id(id) => {
                crate::text::birth_date_of(id).map(|(y, m, _)| format!("{y:04}-{m:02}"))
            }
            PersonKey::NameBirth { birth, .. } => birth.clone(),
        }
    }

    pub fn id(&self) -> Option<&str> {
        match self {
            PersonKey::Id(id) => Some(id),
            PersonKey::NameBirth { .. } => None,
        }
    }
}

/// "1958-07-15" → "1958-07"; "1958" stays.
pub(super) fn month_or_year(key: &str) -> String {
    key.get(..7).unwrap_or(key).to_string()
}
