//! Scheduled runs inside `serve`. A scheduled source runs when it is *due*: when its schedule
//! lease (`harvest-schedule:{id}` in `state::leases`, held for one interval) is free — never
//! taken, or taken an interval ago. Every node looks every [`POLL`]; the one whose conditional
//! take succeeds runs the harvest on a blocking thread, the others see the lease held and do
//! nothing. So with several nodes sharing one state database (PostgreSQL) a source runs once
//! per interval across all of them, and with one node a restart does not reset the clock.
//! A source never run is due at once.

use std::sync::Arc;
use std::time::Duration;

use super::{HarvestError, Harvester};

/// How often each node looks whether a scheduled source is due.
pub const POLL: Duration = Duration::from_secs(2);

/// This process's name as a lease holder: process id and 64 random bits.
fn holder() -> String {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).expect("the operating system provides randomness");
    format!("{}-{:016x}", std::process::id(), u64::from_be_bytes(bytes))
}

/// Spawns the schedule of every scheduled source on the current (actix/tokio) runtime: a
/// source runs when its schedule lease is free ([`spawn_leased`]).
pub fn spawn(harvester: Arc<Harvester>) {
    let sources = match harvester.sources() {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %e, "the harvest sources could not be read; nothing is scheduled");
            return;
        }
    };
    for (source, _) in sources {
        let Some(every) = source.interval() else { continue };
        tracing::info!(source = %source.id, every_s = every.as_secs(), "harvest scheduled");
        spawn_leased(harvester.clone(), source.id.clone(), every, POLL);
    }
}

/// Runs `source` whenever its schedule lease is free, looking every `poll`: takes the lease for
/// `every` (a conditional update: of all nodes looking, one gets it), then runs on a blocking
/// thread. A run already going in this process skips that turn.
pub fn spawn_leased(harvester: Arc<Harvester>, source: String, every: Duration, poll: Duration) {
    let me = holder();
    let lease = format!("harvest-schedule:{source}");
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval(poll);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let h = harvester.clone();
            let (id, lease, me) = (source.clone(), lease.clone(), me.clone());
            let result = tokio::task::spawn_blocking(move || {
                if !h.state().leases.take(&lease, &me, every)? {
                    return Ok(None);
                }
                h.run(&id, false, &|_| {}).map(Some)
            })
            .await;
            match result {
                Ok(Ok(None)) => {}
                Ok(Ok(Some(r))) => tracing::info!(source = %source, run = r.id, status = ?r.status, "scheduled harvest ended"),
                Ok(Err(HarvestError::Busy(_))) => tracing::info!(source = %source, "scheduled harvest skipped: a run is going"),
                Ok(Err(e)) => tracing::error!(source = %source, error = %e, "scheduled harvest could not run"),
                Err(e) => tracing::error!(source = %source, error = %e, "scheduled harvest task failed"),
            }
        }
    });
}

/// Runs `source` every `every` (first after one interval) on the current runtime, skipping a
/// tick while the previous run is still going.
pub fn spawn_every(harvester: Arc<Harvester>, source: String, every: std::time::Duration) {
    actix_web::rt::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            ticks.tick().await;
            let h = harvester.clone();
            let id = source.clone();
            let result = tokio::task::spawn_blocking(move || h.run(&id, false, &|_| {})).await;
            match result {
                Ok(Ok(r)) => tracing::info!(source = %source, run = r.id, status = ?r.status, "scheduled harvest ended"),
                Ok(Err(HarvestError::Busy(_))) => tracing::info!(source = %source, "scheduled harvest skipped: a run is going"),
                Ok(Err(e)) => tracing::error!(source = %source, error = %e, "scheduled harvest could not run"),
                Err(e) => tracing::error!(source = %source, error = %e, "scheduled harvest task failed"),
            }
        }
    });
}
