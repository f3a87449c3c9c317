//! Pairing a desk with the host by a short code, in the manner of Bluetooth and Syncthing: the
//! code is never sent, it is the password of a key exchange (SPAKE2) whose two identities are the
//! keys the two sides hold in their TLS connection. Only a desk and a host that both know the
//! code, and see each other's real keys, agree on a key, which each proves with a confirmation.
//! Someone in between (on the LAN) gets one guess at the code for each code shown: the code is
//! spent on the first attempt, right or wrong, and expires after minutes.

use super::keys::Pin;
use crate::api::Caller;
use crate::error::{Error, ErrorCode, Result};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use spake2::{Ed25519Group, Identity, Password, Spake2};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// How long a code shown at the host can be used.
pub const CODE_LIFETIME: Duration = Duration::from_secs(10 * 60);
const CODE_DIGITS: usize = 6;

/// The desk the supervisor is enrolling: the name and desk code its work will carry, and who
/// opened the pairing (the enrolment is recorded as theirs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeskToEnrol {
    pub name: String,
    pub code: String,
    pub opened_by: Caller,
}

#[derive(Debug, Clone)]
pub struct PairingOpened {
    /// Shown in two groups of three digits.
    pub code: String,
    pub desk: DeskToEnrol,
    pub expires_in: Duration,
}

struct Open {
    code: String,
    desk: DeskToEnrol,
    expires: Instant,
}

/// A desk that answered the code, between the host's answer and the desk's confirmation.
struct Confirming {
    key: Vec<u8>,
    desk: DeskToEnrol,
    expires: Instant,
}

/// The host's side: at most one code open at a time (a new one replaces it).
#[derive(Default)]
pub struct Pairings {
    open: Mutex<Option<Open>>,
    confirming: Mutex<HashMap<Pin, Confirming>>,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

fn identities(host: Pin, desk: Pin) -> (Identity, Identity) {
    let desk_id = [b"archivedesk desk ".as_slice(), &desk.0].concat();
    let host_id = [b"archivedesk host ".as_slice(), &host.0].concat();
    (Identity::new(&desk_id), Identity::new(&host_id))
}

fn password(code: &str) -> Password {
    let digits: String = code.chars().filter(char::is_ascii_digit).collect();
    Password::new(digits.as_bytes())
}

fn confirmation(key: &[u8], who: &[u8]) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(who);
    mac.finalize().into_bytes().to_vec()
}

fn verified(key: &[u8], who: &[u8], presented: &[u8]) -> bool {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key).expect("HMAC takes any key length");
    mac.update(who);
    mac.verify_slice(presented).is_ok()
}

const HOST_CONFIRMS: &[u8] = b"host confirms";
const DESK_CONFIRMS: &[u8] = b"desk confirms";

fn refused(message: &str) -> Error {
    Error::new(ErrorCode::Forbidden, message)
}

/// What the host answers a desk's first message.
pub struct HostAnswer {
    pub message: Vec<u8>,
    pub confirmation: Vec<u8>,
}

impl Pairings {
    /// Shows a new code for `desk`, replacing any code still open.
    pub fn open(&self, desk: DeskToEnrol) -> PairingOpened {
        let mut rng = rand::rngs::OsRng;
        let digits: String = (0..CODE_DIGITS)
            .map(|_| char::from(b'0' + rng.gen_range(0..10u8)))
            .collect();
        let code = format!("{} {}", &digits[..3], &digits[3..]);
        *lock(&self.open) = Some(Open {
            code: code.clone(),
            desk: desk.clone(),
            expires: Instant::now() + CODE_LIFETIME,
        });
        PairingOpened {
            code,
            desk,
            expires_in: CODE_LIFETIME,
        }
    }

    /// The code open now, with the time it has left (for the host's own screen).
    pub fn open_now(&self) -> Option<PairingOpened> {
        let now = Instant::now();
        lock(&self.open)
            .as_ref()
            .filter(|o| o.expires > now)
            .map(|o| PairingOpened {
                code: o.code.clone(),
                desk: o.desk.clone(),
                expires_in: o.expires - now,
            })
    }

    /// Whether a code is open now (one the next attempt would spend).
    pub fn is_open(&self) -> bool {
        lock(&self.open)
            .as_ref()
            .is_some_and(|o| o.expires > Instant::now())
    }

    /// A desk (holding `desk`'s key in its connection) sends its half of the exchange. The code
    /// is spent whatever the outcome.
    pub fn answer(&self, host: Pin, desk: Pin, desk_message: &[u8]) -> Result<HostAnswer> {
        let open = lock(&self.open)
            .take()
            .filter(|o| o.expires > Instant::now());
        let Some(open) = open else {
            return Err(refused(
                "档案库主机上没有进行中的配对，或配对码已过期：请主管在主机上重新开始配对",
            ));
        };
        let (desk_id, host_id) = identities(host, desk);
        let (spake, message) =
            Spake2::<Ed25519Group>::start_b(&password(&open.code), &desk_id, &host_id);
        let key = spake
            .finish(desk_message)
            .map_err(|_| refused("配对请求的格式不对"))?;
        let confirmation = confirmation(&key, HOST_CONFIRMS);
        let mut confirming = lock(&self.confirming);
        confirming.retain(|_, c| c.expires > Instant::now());
        confirming.insert(
            desk,
            Confirming {
                key,
                desk: open.desk,
                expires: Instant::now() + Duration::from_secs(60),
            },
        );
        Ok(HostAnswer {
            message,
            confirmation,
        })
    }

    /// The desk proves it holds the same key: it is then the desk to enrol.
    pub fn confirm(&self, desk: Pin, desk_confirmation: &[u8]) -> Result<DeskToEnrol> {
        let confirming = lock(&self.confirming).remove(&desk);
        match confirming {
            Some(c)
                if c.expires > Instant::now()
                    && verified(&c.key, DESK_CONFIRMS, desk_confirmation) =>
            {
                Ok(c.desk)
            }
            _ => Err(refused(
                "配对码不对（或连接被他人截取）：这个配对码已作废，请主管在主机上重新开始配对",
            )),
        }
    }
}

/// The desk's side, from its first message to its confirmation.
pub struct DeskPairing {
    spake: Spake2<Ed25519Group>,
}

impl DeskPairing {
    /// Starts with the code the clerk typed, the host key seen in the connection and the desk's
    /// own key; returns the message for the host.
    pub fn start(code: &str, host: Pin, desk: Pin) -> (DeskPairing, Vec<u8>) {
        let (desk_id, host_id) = identities(host, desk);
        let (spake, message) = Spake2::<Ed25519Group>::start_a(&password(code), &desk_id, &host_id);
        (DeskPairing { spake }, message)
    }

    /// Checks the host's confirmation (the host knows the code and saw this desk's key); the
    /// answer is the desk's own confirmation for the host.
    pub fn finish(self, host_message: &[u8], host_confirmation: &[u8]) -> Result<Vec<u8>> {
        let wrong = || {
            refused(
                "配对失败：配对码不对，或连接到的不是档案库主机（可能被他人截取）；请主管在主机上重新开始配对",
            )
        };
        let key = self.spake.finish(host_message).map_err(|_| wrong())?;
        if !verified(&key, HOST_CONFIRMS, host_confirmation) {
            return Err(wrong());
        }
        Ok(confirmation(&key, DESK_CONFIRMS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn desk_b() -> DeskToEnrol {
        DeskToEnrol {
            name: "二号柜台".into(),
            code: "B".into(),
            opened_by: Caller::local_operator(),
        }
    }

    /// One whole exchange: the desk types `typed` and sees `host_seen` as the host's key, while
    /// the host sees `desk_seen` as the desk's key.
    fn pair(
        pairings: &Pairings,
        typed: &str,
        host: Pin,
        host_seen: Pin,
        desk: Pin,
        desk_seen: Pin,
    ) -> Result<DeskToEnrol> {
        let (pairing, message) = DeskPairing::start(typed, host_seen, desk);
        let answer = pairings.answer(host, desk_seen, &message)?;
        let confirmation = pairing.finish(&answer.message, &answer.confirmation)?;
        pairings.confirm(desk_seen, &confirmation)
    }

    #[test]
    fn the_right_code_between_the_real_keys_enrols_the_desk_the_supervisor_named() {
        let pairings = Pairings::default();
        let opened = pairings.open(desk_b());
        assert_eq!(opened.code.chars().filter(char::is_ascii_digit).count(), 6);
        let (host, desk) = (Pin([1; 32]), Pin([2; 32]));
        let typed = opened.code.replace(' ', "");
        assert_eq!(
            pair(&pairings, &typed, host, host, desk, desk).unwrap(),
            desk_b()
        );
        // Spent: the same code does not enrol a second desk.
        assert!(pair(&pairings, &typed, host, host, Pin([3; 32]), Pin([3; 32])).is_err());
    }

    #[test]
    fn a_wrong_code_fails_on_both_sides_and_spends_the_code() {
        let pairings = Pairings::default();
        let opened = pairings.open(desk_b());
        let (host, desk) = (Pin([1; 32]), Pin([2; 32]));
        let wrong = if opened.code == "000 000" {
            "111111"
        } else {
            "000000"
        };
        let error = pair(&pairings, wrong, host, host, desk, desk).unwrap_err();
        assert!(error.message.contains("配对"), "{}", error.message);
        // The right code after a wrong guess no longer works.
        assert!(pair(&pairings, &opened.code, host, host, desk, desk).is_err());
    }

    #[test]
    fn someone_in_between_with_keys_of_their_own_cannot_complete_it_even_with_the_code() {
        let (host, desk, between) = (Pin([1; 32]), Pin([2; 32]), Pin([9; 32]));
        // The desk talks to the one in between, who relays to the host with its own key.
        let pairings = Pairings::default();
        let opened = pairings.open(desk_b());
        assert!(pair(&pairings, &opened.code, host, between, desk, between).is_err());
        let pairings = Pairings::default();
        let opened = pairings.open(desk_b());
        assert!(pair(&pairings, &opened.code, host, host, desk, between).is_err());
    }

    #[test]
    fn an_expired_code_is_refused_and_says_so() {
        let pairings = Pairings::default();
        let opened = pairings.open(desk_b());
        assert_eq!(opened.expires_in, CODE_LIFETIME);
        // As if the 10 minutes had passed.
        lock(&pairings.open).as_mut().unwrap().expires = Instant::now();
        std::thread::sleep(Duration::from_millis(2));
        assert!(!pairings.is_open());
        let (host, desk) = (Pin([1; 32]), Pin([2; 32]));
        let error = pair(&pairings, &opened.code, host, host, desk, desk).unwrap_err();
        assert!(error.message.contains("已过期"), "{}", error.message);
    }

    #[test]
    fn without_an_open_code_nothing_is_answered() {
        let pairings = Pairings::default();
        let (_, message) = DeskPairing::start("123456", Pin([1; 32]), Pin([2; 32]));
        assert!(pairings
            .answer(Pin([1; 32]), Pin([2; 32]), &message)
            .is_err());
    }
}
