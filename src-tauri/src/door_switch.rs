//! A door the app keeps open beside itself (局域网主机, 本馆跨馆端口): opened in place of the one
//! open before, closed for good once the app quits — a door reopened late at start must not
//! outlive the archive — and asked whether it is on without waiting for a start or stop under way.

use archivedesk::{Error, ErrorCode, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub struct DoorSwitch<D> {
    door: Mutex<Option<D>>,
    on: AtomicBool,
    quitting: AtomicBool,
}

impl<D> Default for DoorSwitch<D> {
    fn default() -> Self {
        DoorSwitch {
            door: Mutex::new(None),
            on: AtomicBool::new(false),
            quitting: AtomicBool::new(false),
        }
    }
}

impl<D> DoorSwitch<D> {
    /// The door `open` makes, in place of the one open now (closed first: if the new one fails,
    /// none is open); answers what `shown` says of it.
    pub fn open<S>(
        &self,
        open: impl FnOnce() -> Result<D>,
        shown: impl FnOnce(&D) -> S,
    ) -> Result<S> {
        let mut door = self.door();
        if self.quitting.load(Ordering::SeqCst) {
            return Err(Error::new(ErrorCode::InvalidRequest, "档案查询台正在关闭"));
        }
        drop(door.take());
        // On while it opens: what must not happen while a door is open waits for the outcome.
        self.on.store(true, Ordering::SeqCst);
        match open() {
            Ok(opened) => {
                let said = shown(&opened);
                *door = Some(opened);
                Ok(said)
            }
            Err(e) => {
                self.on.store(false, Ordering::SeqCst);
                Err(e)
            }
        }
    }

    /// The door open now, no longer the switch's (to stop it, or to let it close).
    pub fn take(&self) -> Option<D> {
        let mut door = self.door();
        self.on.store(false, Ordering::SeqCst);
        door.take()
    }

    /// `look` at the door open now, if one is.
    pub fn with<T>(&self, look: impl FnOnce(Option<&D>) -> T) -> T {
        look(self.door().as_ref())
    }

    pub fn is_on(&self) -> bool {
        self.on.load(Ordering::SeqCst)
    }

    /// The app quitting: the door closes, and none opens after.
    pub fn quit(&self) {
        self.quitting.store(true, Ordering::SeqCst);
        drop(self.take());
    }

    fn door(&self) -> MutexGuard<'_, Option<D>> {
        self.door.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_door_counts_as_on_while_it_opens() {
        // The door here is what the switch said while it opened.
        let switch = DoorSwitch::<bool>::default();
        let seen = switch.open(|| Ok(switch.is_on()), |seen| *seen).unwrap();
        assert!(seen, "on while opening");
        assert!(switch.is_on());
        let failing = switch.open(|| Err(Error::new(ErrorCode::Io, "无法监听")), |_| ());
        assert!(failing.is_err());
        assert!(!switch.is_on(), "off once it failed");
    }

    #[test]
    fn a_door_opens_in_place_of_the_last_and_none_opens_once_the_app_quits() {
        let switch = DoorSwitch::<u16>::default();
        assert!(!switch.is_on());
        assert_eq!(switch.open(|| Ok(8443), |port| port + 1).unwrap(), 8444);
        assert!(switch.is_on());
        // A door that fails leaves none open.
        let failed = switch.open(|| Err(Error::new(ErrorCode::Io, "无法监听")), |_| ());
        assert!(failed.is_err());
        assert!(!switch.is_on());
        assert_eq!(switch.with(|door| door.copied()), None);
        switch.open(|| Ok(9443), |_| ()).unwrap();
        assert_eq!(switch.take(), Some(9443));
        assert!(!switch.is_on());
        switch.open(|| Ok(9443), |_| ()).unwrap();
        switch.quit();
        assert!(!switch.is_on());
        let late = switch.open(|| Ok(9443), |_| ()).unwrap_err();
        assert!(late.message.contains("正在关闭"), "{}", late.message);
        assert!(!switch.is_on());
    }
}
