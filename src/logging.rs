//! Logs to standard error that can never take the service down.
//!
//! Owns: the tracing subscriber (text or JSON lines, `RUST_LOG`), and the one writer every log
//! line goes through ([`LossyStderr`]). A line that cannot be written (a full disk, a closed
//! pipe, `2>/dev/full`) is dropped and counted in [`LOST_LINES`]; when writing works again, one
//! line says how many were lost. Nothing here panics or returns an error to its caller:
//! tracing-subscriber's own fallback (`eprintln!`, which panics when standard error fails) is
//! switched off, and [`eprint_line`] is the CLI's way to write a message to standard error.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Log lines dropped because standard error could not take them, since the process started
/// (for `/metrics`).
pub static LOST_LINES: AtomicU64 = AtomicU64::new(0);

/// Whether the last write failed (so the next good one first says how many were lost).
static FAILING: AtomicBool = AtomicBool::new(false);
/// Lost lines already reported by a note.
static REPORTED: AtomicU64 = AtomicU64::new(0);
/// Whether lines are JSON (the note is written in the same form).
static JSON: AtomicBool = AtomicBool::new(false);

/// A writer to standard error that never fails: what cannot be written is dropped and counted.
/// tracing-subscriber hands it one whole formatted event per `write_all`.
#[derive(Clone, Copy, Debug, Default)]
pub struct LossyStderr;

impl Write for LossyStderr {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        write_line(&mut io::stderr().lock(), buf);
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        let _ = io::stderr().flush();
        Ok(())
    }
}

/// Writes one line to `out`, or counts it as lost; after a failure, the first line that can be
/// written is preceded by a note of how many were lost.
fn write_line(out: &mut impl Write, line: &[u8]) {
    if FAILING.load(Ordering::Relaxed) {
        let lost = LOST_LINES.load(Ordering::Relaxed);
        let unreported = lost.saturating_sub(REPORTED.load(Ordering::Relaxed));
        let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let message = format!("{unreported} log lines were lost: standard error could not be written");
        let note = if JSON.load(Ordering::Relaxed) {
            format!(
                "{}\n",
                serde_json::json!({
                    "timestamp": now,
                    "level": "WARN",
                    "fields": { "message": message, "lost_since_start": lost },
                    "target": "vardkatalog::logging",
                })
            )
        } else {
            format!("{now}  WARN vardkatalog::logging: {message} lost_since_start={lost}\n")
        };
        if out.write_all(note.as_bytes()).and_then(|()| out.flush()).is_err() {
            LOST_LINES.fetch_add(1, Ordering::Relaxed);
            return;
        }
        REPORTED.store(lost, Ordering::Relaxed);
        FAILING.store(false, Ordering::Relaxed);
    }
    if out.write_all(line).and_then(|()| out.flush()).is_err() {
        LOST_LINES.fetch_add(1, Ordering::Relaxed);
        FAILING.store(true, Ordering::Relaxed);
    }
}

/// Starts logging to standard error: human-readable, or JSON lines with
/// `VARDKATALOG_LOG_FORMAT=json`; the level from `RUST_LOG` (default `info`).
pub fn init() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    use std::io::IsTerminal as _;
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(|| LossyStderr)
        .log_internal_errors(false)
        .with_ansi(io::stderr().is_terminal());
    let _ = if std::env::var("VARDKATALOG_LOG_FORMAT").as_deref() == Ok("json") {
        JSON.store(true, Ordering::Relaxed);
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Writes a message and a line end to standard error, dropping (and counting) it when standard
/// error cannot take it: `eprintln!` without the panic.
pub fn eprint_line(message: impl std::fmt::Display) {
    let mut line = message.to_string();
    line.push('\n');
    LossyStderr.write_all(line.as_bytes()).ok();
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flaky {
        works: bool,
        written: Vec<u8>,
    }

    impl Write for Flaky {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if self.works {
                self.written.extend_from_slice(buf);
                Ok(buf.len())
            } else {
                Err(io::Error::from_raw_os_error(28)) // ENOSPC
            }
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn lines_that_cannot_be_written_are_counted_and_reported_once_writing_works_again() {
        let before = LOST_LINES.load(Ordering::Relaxed);
        let mut out = Flaky { works: false, written: Vec::new() };
        write_line(&mut out, b"one\n");
        write_line(&mut out, b"two\n");
        assert!(LOST_LINES.load(Ordering::Relaxed) >= before + 2);
        out.works = true;
        write_line(&mut out, b"three\n");
        write_line(&mut out, b"four\n");
        let text = String::from_utf8(out.written).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].contains("log lines were lost"), "{text}");
        assert_eq!(&lines[1..], ["three", "four"]);
    }
}
