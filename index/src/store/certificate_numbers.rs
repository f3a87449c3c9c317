//! The highest certificate number taken per year and desk — from the certificates held and
//! from the floors a restore sets — so that the next number is always fresh, also after a
//! restore from a backup older than some certificates citizens already hold.

use crate::error::Result;
use rusqlite::{params, Connection};
use std::collections::BTreeMap;

/// `2026/A`: a year and a desk code, the key of the maps below.
pub fn key(year: i64, desk: &str) -> String {
    format!("{year}/{desk}")
}

fn parse_key(key: &str) -> Option<(i64, &str)> {
    let (year, desk) = key.split_once('/')?;
    Some((year.parse().ok()?, desk))
}

/// The next sequence number of `year` at `desk`.
pub fn next_seq(conn: &Connection, year: i64, desk: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT MAX(COALESCE((SELECT MAX(seq) FROM certificates WHERE year = ?1 AND desk = ?2), 0),
                    COALESCE((SELECT seq FROM certificate_floors WHERE year = ?1 AND desk = ?2), 0)) + 1",
        params![year, desk],
        |r| r.get(0),
    )?)
}

/// Every year and desk's highest number taken (issued, voided, or known from a floor).
pub fn highest(conn: &Connection) -> Result<BTreeMap<String, i64>> {
    let mut out = BTreeMap::new();
    let mut stmt = conn.prepare(
        "SELECT year, desk, MAX(seq) FROM (
             SELECT year, desk, seq FROM certificates
             UNION ALL SELECT year, desk, seq FROM certificate_floors)
         GROUP BY year, desk",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
        ))
    })?;
    for row in rows {
        let (year, desk, seq) = row?;
        out.insert(key(year, &desk), seq);
    }
    Ok(out)
}

/// Raises the floors to at least the numbers in `known` (keys as `key` writes them); returns
/// how many floors rose above what the store holds.
pub fn raise_floors(conn: &Connection, known: &BTreeMap<String, i64>) -> Result<usize> {
    let held = highest(conn)?;
    let mut raised = 0;
    for (k, seq) in known {
        let Some((year, desk)) = parse_key(k) else {
            continue;
        };
        if held.get(k).copied().unwrap_or(0) >= *seq {
            continue;
        }
        conn.execute(
            "INSERT INTO certificate_floors (year, desk, seq) VALUES (?1, ?2, ?3)
             ON CONFLICT(year, desk) DO UPDATE SET seq = MAX(seq, excluded.seq)",
            params![year, desk, seq],
        )?;
        raised += 1;
    }
    Ok(raised)
}

/// The larger number of each key in either map.
pub fn merge(into: &mut BTreeMap<String, i64>, other: &BTreeMap<String, i64>) {
    for (k, seq) in other {
        let held = into.entry(k.clone()).or_insert(0);
        *held = (*held).max(*seq);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_floor_above_the_issued_numbers_decides_the_next_one_and_a_lower_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let store = crate::store::Store::open(dir.path()).unwrap();
        let conn = &store.conn;
        assert_eq!(next_seq(conn, 2026, "A").unwrap(), 1);
        let known = BTreeMap::from([(key(2026, "A"), 7), (key(2025, "B"), 3)]);
        assert_eq!(raise_floors(conn, &known).unwrap(), 2);
        assert_eq!(next_seq(conn, 2026, "A").unwrap(), 8);
        assert_eq!(next_seq(conn, 2025, "B").unwrap(), 4);
        assert_eq!(
            next_seq(conn, 2026, "B").unwrap(),
            1,
            "other desks keep their own"
        );
        let lower = BTreeMap::from([(key(2026, "A"), 2)]);
        assert_eq!(raise_floors(conn, &lower).unwrap(), 0);
        assert_eq!(next_seq(conn, 2026, "A").unwrap(), 8);
        assert_eq!(highest(conn).unwrap(), known);
    }
}
