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
        let h = harvester.clone();
        tracing::info!(source = %source.id, every_s = every.as_secs(), "harvest scheduled");
        actix_web::rt::spawn(async move {
            let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                ticks.tick().await;
                let h = h.clone();
                let id = source.id.clone();
                let result = tokio::task::spawn_blocking(move || h.run(&id, false, &|_| {})).await;
                match result {
                    Ok(Ok(r)) => tracing::info!(source = %source.id, run = r.id, status = ?r.status, "scheduled harvest ended"),
                    Ok(Err(HarvestError::Busy(_))) => tracing::info!(source = %source.id, "scheduled harvest skipped: a run is going"),
                    Ok(Err(e)) => tracing::error!(source = %source.id, error = %e, "scheduled harvest could not run"),
                    Err(e) => tracing::error!(source = %source.id, error = %e, "scheduled harvest task failed"),
                }
            }
        });
    }
}
