//! A small pool of PostgreSQL connections: at most `max` open per process; a connection that
//! broke is dropped rather than handed out again.

use std::ops::{Deref, DerefMut};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

use super::Client;
use crate::state::StateError;

/// How long a caller waits for a free connection when all `max` are in use.
const WAIT: Duration = Duration::from_secs(30);

pub(super) struct Pool {
    config: ::postgres::Config,
    /// What errors may name (the URL without its password).
    name: String,
    max: usize,
    slots: Mutex<Slots>,
    freed: Condvar,
}

struct Slots {
    idle: Vec<Client>,
    open: usize,
}

/// A connection lent by the pool; goes back when dropped.
pub(super) struct Conn<'a> {
    pool: &'a Pool,
    client: Option<Client>,
}

impl Pool {
    pub(super) fn new(config: ::postgres::Config, max: usize, name: String) -> Self {
        Self { config, name, max, slots: Mutex::new(Slots { idle: Vec::new(), open: 0 }), freed: Condvar::new() }
    }

    /// A connection: an idle one, a new one while fewer than `max` are open, else the next one
    /// given back (waiting at most [`WAIT`]).
    pub(super) fn get(&self) -> Result<Conn<'_>, StateError> {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            while let Some(client) = slots.idle.pop() {
                if client.is_closed() {
                    slots.open -= 1;
                    continue;
                }
                return Ok(Conn { pool: self, client: Some(client) });
            }
            if slots.open < self.max {
                slots.open += 1;
                drop(slots);
                return match self.config.connect(::postgres::NoTls) {
                    Ok(client) => Ok(Conn { pool: self, client: Some(client) }),
                    Err(e) => {
                        self.slots.lock().unwrap_or_else(PoisonError::into_inner).open -= 1;
                        self.freed.notify_one();
                        Err(StateError::Backend(format!("cannot connect to the state database {}: {e}", self.name)))
                    }
                };
            }
            let (s, timeout) = self.freed.wait_timeout(slots, WAIT).unwrap_or_else(PoisonError::into_inner);
            slots = s;
            if timeout.timed_out() && slots.idle.is_empty() && slots.open >= self.max {
                return Err(StateError::Backend(format!("no free connection to the state database {} within {WAIT:?}", self.name)));
            }
        }
    }
}

impl Deref for Conn<'_> {
    type Target = Client;

    fn deref(&self) -> &Client {
        self.client.as_ref().expect("a lent connection")
    }
}

impl DerefMut for Conn<'_> {
    fn deref_mut(&mut self) -> &mut Client {
        self.client.as_mut().expect("a lent connection")
    }
}

impl Drop for Conn<'_> {
    fn drop(&mut self) {
        let Some(client) = self.client.take() else { return };
        let mut slots = self.pool.slots.lock().unwrap_or_else(PoisonError::into_inner);
        if client.is_closed() {
            slots.open -= 1;
        } else {
            slots.idle.push(client);
        }
        drop(slots);
        self.pool.freed.notify_one();
    }
}
