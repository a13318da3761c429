//! Scheduled runs inside `serve`: one tokio interval per scheduled source, each tick running the
//! harvest on a blocking thread. A tick that finds the source's previous run still going skips.

use std::sync::Arc;

use super::{HarvestError, Harvester};

/// Spawns the schedule of every scheduled source on the current (actix/tokio) runtime.
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
        spawn_every(harvester.clone(), source.id.clone(), every);
    }
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
