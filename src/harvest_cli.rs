//! `vardkatalog harvest`: runs sources from the command line with progress on a terminal, and
//! prints the history of runs.

use std::io::Write as _;

use vardkatalog::harvest::{Progress, RunReport, RunStatus};
use vardkatalog::services::Services;

use crate::cli::Io;

pub fn run(services: &Services, source: Option<&str>, dry_run: bool, history: bool, io: &mut Io<'_>) -> anyhow::Result<u8> {
    let harvester = services.harvester.clone();
    if history {
        let runs = harvester.runs(source, 50)?;
        if runs.is_empty() {
            writeln!(io.out, "no harvest runs yet")?;
        }
        for r in runs.iter().rev() {
            write!(io.out, "{}", render(r))?;
        }
        return Ok(0);
    }
    let sources: Vec<String> = match source {
        Some(s) => vec![s.to_owned()],
        None => harvester.sources()?.into_iter().map(|(s, _)| s.id).collect(),
    };
    if sources.is_empty() {
        anyhow::bail!("no harvest source is configured: add [[harvest.sources]] (id, kind, url) to the configuration file");
    }
    let terminal = io.terminal;
    let mut failed = false;
    for id in sources {
        let show = |p: &Progress| {
            if terminal {
                let bar = match p.total {
                    Some(t) if t > 0 => {
                        let filled = (p.done.min(t) * 20 / t) as usize;
                        format!("[{}{}] {}/{}", "#".repeat(filled), ".".repeat(20 - filled), p.done, t)
                    }
                    _ => format!("[{}]", p.done),
                };
                let mut phase = p.phase.clone();
                phase.truncate(70);
                eprint!("\r\x1b[2K{id}: {bar} {phase}");
                let _ = std::io::stderr().flush();
            }
        };
        let report = harvester.run(&id, dry_run, &show)?;
        if terminal {
            eprintln!();
        }
        write!(io.out, "{}", render(&report))?;
        failed |= report.status != RunStatus::Succeeded;
    }
    services.catalogue.flush()?;
    Ok(if failed { 1 } else { 0 })
}

/// A report for a terminal.
fn render(r: &RunReport) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "run {} of {}{}: {} — started {}, {:.1} s; {} new, {} changed, {} unchanged, {} retired, {} conflicts, {} errors ({} triples, {} requests, {} not modified)",
        r.id,
        r.source,
        if r.dry_run { " (dry run: nothing saved)" } else { "" },
        r.status.label("en"),
        r.started.format("%Y-%m-%d %H:%M:%S UTC"),
        r.seconds(),
        r.new,
        r.changed,
        r.unchanged,
        r.retired,
        r.conflicts.len(),
        r.errors.len(),
        r.triples,
        r.requests,
        r.not_modified,
    );
    for e in &r.errors {
        let _ = writeln!(out, "  error: {e}");
    }
    for c in &r.conflicts {
        let _ = writeln!(out, "  conflict: <{}>: {}", c.iri, c.reason);
    }
    for n in &r.notes {
        let _ = writeln!(out, "  note: {n}");
    }
    out
}
