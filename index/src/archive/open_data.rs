//! The published catalogue (OAI-PMH, SRU) brought up to the archive whenever documents or rows
//! changed since it last was; and the answers, for callers that hold the archive (the tests,
//! the command line). The open-data door answers from a read-only connection of its own.

use super::Archive;
use crate::error::{Error, ErrorCode, Result};
use crate::open_data::answer::{self, OpenDataPlace, ADMIN_EMAIL_KEY};
use crate::open_data::refresh;
use crate::store::open_records::PUBLISHED_GENERATION;

impl Archive {
    /// Publishes what changed since the catalogue was last published; nothing to do (and quick)
    /// when nothing did.
    pub fn publish_open_records(&mut self) -> Result<()> {
        let generation = self.change_generation()?.to_string();
        if self.store.meta(PUBLISHED_GENERATION)?.as_deref() == Some(generation.as_str()) {
            return Ok(());
        }
        crate::store::archive_uid(&self.store.conn)?;
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
            return Err(Error::new(
                ErrorCode::InvalidRequest,
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
        answer::oai(&self.store.conn, place, arguments)
    }

    /// The SRU answer to these arguments.
    pub fn sru_answer(
        &mut self,
        place: &OpenDataPlace,
        arguments: &[(String, String)],
    ) -> Result<String> {
        self.publish_open_records()?;
        answer::sru(&self.store.conn, place, arguments)
    }
}
