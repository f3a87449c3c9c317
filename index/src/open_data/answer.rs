//! An OAI-PMH or SRU request answered from the published catalogue, on any connection to the
//! archive's database — the door uses a read-only one of its own, so that harvesters never hold
//! the archive the clerks work on.

use super::{oai, publish::datestamp_now, sru};
use crate::error::Result;
use rusqlite::{Connection, OptionalExtension};

/// Where `adminEmail` of Identify is kept (`meta`); `serve --open-data-email` sets it.
pub const ADMIN_EMAIL_KEY: &str = "open_data_admin_email";
/// Said until an address is set: a domain reserved never to exist (RFC 2606).
const NO_ADMIN_EMAIL: &str = "archive@archivedesk.invalid";

/// Where the door is reached, as harvesters name it.
pub struct OpenDataPlace<'a> {
    pub host: &'a str,
    pub port: u16,
}

fn meta(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

fn archive_name(conn: &Connection) -> Result<String> {
    Ok(meta(conn, "archive_name")?.unwrap_or_else(|| "档案查询台".to_string()))
}

/// The OAI-PMH answer to these arguments.
pub fn oai(
    conn: &Connection,
    place: &OpenDataPlace,
    arguments: &[(String, String)],
) -> Result<String> {
    let name = archive_name(conn)?;
    let email = meta(conn, ADMIN_EMAIL_KEY)?.unwrap_or_else(|| NO_ADMIN_EMAIL.to_string());
    let uid = meta(conn, "archive_uid")?.unwrap_or_else(|| "0".repeat(16));
    // In groups of four: sixteen hex digits may all be digits, and read as an ID number.
    let groups: Vec<&str> = (0..4).filter_map(|i| uid.get(i * 4..i * 4 + 4)).collect();
    let namespace = format!("archivedesk.{}", groups.join("-"));
    let repository = oai::Repository {
        name: &name,
        base_url: &format!("https://{}/oai", host_port(place)),
        namespace: &namespace,
        admin_email: &email,
        now: &datestamp_now(),
    };
    oai::respond(conn, &repository, arguments)
}

/// The SRU answer to these arguments.
pub fn sru(
    conn: &Connection,
    place: &OpenDataPlace,
    arguments: &[(String, String)],
) -> Result<String> {
    let name = archive_name(conn)?;
    let database = sru::Database {
        title: &name,
        host: place.host,
        port: place.port,
        path: "sru",
    };
    sru::respond(conn, &database, arguments)
}

fn host_port(place: &OpenDataPlace) -> String {
    if place.host.contains(':') {
        format!("[{}]:{}", place.host, place.port)
    } else {
        format!("{}:{}", place.host, place.port)
    }
}
