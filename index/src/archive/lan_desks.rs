//! The desks of the LAN door: enrolled by a pairing the supervisor opened, found by their key at
//! every request, listed and revoked by a supervisor. Each change is an audited act.

use super::Archive;
use crate::api::LanDesk;
use crate::audit::{self, Event};
use crate::certificate::issue::{DEFAULT_DESK_CODE, DESK_CODE_KEY};
use crate::error::{Error, ErrorCode, Result};
use crate::store::lan_desks;
use serde_json::json;

impl Archive {
    /// The host's own desk code: the desks get the other letters.
    fn host_desk_code(&self) -> Result<String> {
        Ok(self
            .store
            .meta(DESK_CODE_KEY)?
            .unwrap_or_else(|| DEFAULT_DESK_CODE.to_string()))
    }

    /// The code the next desk enrolled would get.
    pub fn next_desk_code(&self) -> Result<String> {
        lan_desks::next_code(&self.store.conn, &self.host_desk_code()?)
    }

    /// Enrols the desk holding the key `pin` under `name` and `code`, for the caller (the
    /// supervisor who opened the pairing).
    pub fn enrol_desk(&mut self, pin: &str, name: &str, code: &str) -> Result<LanDesk> {
        if code == self.host_desk_code()? {
            return Err(Error::new(
                ErrorCode::InvalidRequest,
                format!("柜台代码「{code}」是主机自己的代码"),
            ));
        }
        self.act(|tx, caller| {
            let desk = LanDesk {
                code: code.to_string(),
                name: name.to_string(),
                pin: pin.to_string(),
                enrolled_at: crate::store::now_text(),
                enrolled_by: audit::actor(caller),
                revoked_at: None,
            };
            lan_desks::enrol(tx, &desk)?;
            audit::append(
                tx,
                caller,
                Event::new(
                    "desk_enrolled",
                    Some(code.to_string()),
                    json!({ "name": name, "pin": pin }),
                ),
            )?;
            Ok(desk)
        })
    }

    /// The desk holding the key `pin`, if it was ever enrolled.
    pub fn desk_by_pin(&self, pin: &str) -> Result<Option<LanDesk>> {
        lan_desks::by_pin(&self.store.conn, pin)
    }

    /// A pairing code spent by a caller: recorded in the trail with where it came from and the
    /// key it came with, whether the code was right or not (a desk enrolled after it is its own
    /// row). At most once per code shown, since the first attempt spends it.
    pub fn pairing_attempted(&mut self, address: &str, pin: &str) -> Result<()> {
        self.record_look_as(
            &crate::api::Caller::local_operator(),
            Event::new(
                "pairing_attempt",
                None,
                json!({ "address": address, "pin": pin }),
            ),
        )
    }

    pub fn lan_desks(&self) -> Result<Vec<LanDesk>> {
        self.caller.require_supervisor("查看局域网柜台")?;
        lan_desks::all(&self.store.conn)
    }

    /// From now on the host refuses the desk; its code is never given again.
    pub fn revoke_desk(&mut self, code: &str) -> Result<()> {
        self.caller.require_supervisor("撤销局域网柜台")?;
        self.act(|tx, caller| {
            if !lan_desks::revoke(tx, code, &crate::store::now_text(), &audit::actor(caller))? {
                return Err(Error::new(
                    ErrorCode::NotFound,
                    format!("没有登记中的柜台「{code}」"),
                ));
            }
            audit::append(
                tx,
                caller,
                Event::new("desk_revoked", Some(code.to_string()), json!({})),
            )?;
            Ok(())
        })
    }
}
