//! The open-data door's questions (OAI-PMH, SRU), answered from the published catalogue, which
//! is first brought up to the archive whenever documents or rows changed since it last was.

use super::Archive;
use crate::error::Result;
use crate::open_data::{oai, refresh, sru};
use crate::store::open_records::PUBLISHED_GENERATION;

/// Where `adminEmail` of Identify is kept (`meta`); `serve --open-data-email` sets it.
pub const ADMIN_EMAIL_KEY: &str = "open_data_admin_email";
/// Said until an address is set: a domain reserved never to exist (RFC 2606).
const NO_ADMIN_EMAIL: &str = "archive@archivedesk.invalid";

/// Where the door is reached, as harvesters name it.
pub struct OpenDataPlace<'a> {
    pub host: &'a str,
    pub port: u16,
}

impl Archive {
    /// Publishes what changed since the catalogue was last published.
    pub fn publish_open_records(&mut self) -> Result<()> {
        let generation = self.change_generation()?.to_string();
        if self.store.meta(PUBLISHED_GENERATION)?.as_deref() == Some(generation.as_str()) {
            return Ok(());
        }
        refresh(
            &mut self.store.conn,
            &crate::open_data::publish::datestamp_now(),
        )?;
        self.store.set_meta(PUBLISHED_GENERATION, &generation)
    }

    /// Sets the address harvesters are told to write to.
    pub fn set_open_data_email(&mut self, email: &str) -> Result<()> {
        let email = email.trim();
        let valid = email
            .split_once('@')
            .is_some_and(|(user, domain)| !user.is_empty() && domain.contains('.'))
            && !email.chars().any(char::is_whitespace);
        if !valid {
            return Err(crate::error::Error::new(
                crate::error::ErrorCode::InvalidRequest,
                format!("「{email}」不是电子邮件地址"),
            ));
        }
        self.store.set_meta(ADMIN_EMAIL_KEY, email)
    }

    /// The OAI-PMH answer to these arguments.
    pub fn oai_answer(
        &mut self,
        place: &OpenDataPlace,
        arguments: &[(String, String)],
    ) -> Result<String> {
        self.publish_open_records()?;
        let name = self.archive_name()?;
        let email = self
            .store
            .meta(ADMIN_EMAIL_KEY)?
            .unwrap_or_else(|| NO_ADMIN_EMAIL.to_string());
        let namespace = format!(
            "archivedesk.{}",
            &crate::store::archive_uid(&self.store.conn)?[..16]
        );
        let repository = oai::Repository {
            name: &name,
            base_url: &format!("https://{}/oai", host_port(place)),
            namespace: &namespace,
            admin_email: &email,
            now: &crate::open_data::publish::datestamp_now(),
        };
        oai::respond(&self.store.conn, &repository, arguments)
    }

    /// The SRU answer to these arguments.
    pub fn sru_answer(
        &mut self,
        place: &OpenDataPlace,
        arguments: &[(String, String)],
    ) -> Result<String> {
        self.publish_open_records()?;
        let name = self.archive_name()?;
        let database = sru::Database {
            title: &name,
            host: place.host,
            port: place.port,
            path: "sru",
        };
        sru::respond(&self.store.conn, &database, arguments)
    }

    fn archive_name(&self) -> Result<String> {
        Ok(self
            .store
            .meta("archive_name")?
            .unwrap_or_else(|| "档案查询台".to_string()))
    }
}

fn host_port(place: &OpenDataPlace) -> String {
    if place.host.contains(':') {
        format!("[{}]:{}", place.host, place.port)
    } else {
        format!("{}:{}", place.host, place.port)
    }
}
