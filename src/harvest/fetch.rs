//! HTTP (and local files) for the harvester: a time limit per request, retries with
//! exponential backoff (time-outs, connection errors, 429 and 5xx; `Retry-After` honoured up to
//! a minute), a cap on the size of an answer, and a call limit per time window for APIs that
//! state one (SCB: 10 calls per 10 s in v1, `/config` in v2).
//!
//! Every request goes through the address guard ([`crate::net::Guard`]): the first URL and each
//! redirect hop, names resolved and checked with the connection pinned to the checked
//! addresses; only the networks `[harvest] allow_private` names are reached inside. A refusal
//! is never retried. Files are read only under `[harvest] files_dir` (canonical paths, so no
//! `..` or symbolic link leads out), and a file that is missing, unreadable or outside gets one
//! and the same message: a source cannot learn what exists on the server.

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::{HarvestError, HarvestSettings};
use crate::net::Guard;

/// An answer.
#[derive(Debug, Clone)]
pub struct Fetched {
    /// The URL finally answered (after redirects), or the file path.
    pub url: String,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// The harvester's HTTP client.
pub struct Fetcher {
    client: reqwest::blocking::Client,
    timeout: Duration,
    retries: u32,
    backoff: Duration,
    max_bytes: u64,
    limit: Mutex<Option<CallLimit>>,
    requests: AtomicU64,
    guard: Guard,
    files_dir: Option<PathBuf>,
    /// Every answer read so far, in order: its location, length and bytes (see [`Self::digest`]).
    read: Mutex<Sha256>,
}

struct CallLimit {
    calls: usize,
    window: Duration,
    recent: VecDeque<Instant>,
}

enum Attempt {
    Done(Fetched),
    /// Worth another try, after at least this long.
    Retry(HarvestError, Option<Duration>),
    Fail(HarvestError),
}

impl Fetcher {
    pub fn new(settings: &HarvestSettings) -> Result<Self, HarvestError> {
        let timeout = Duration::from_secs(settings.timeout_s);
        let guard = settings.guard();
        let client = guard
            .client(
                reqwest::blocking::Client::builder()
                    .timeout(timeout)
                    .connect_timeout(timeout.min(Duration::from_secs(30)))
                    .user_agent(concat!("vardkatalog/", env!("CARGO_PKG_VERSION"), " (harvester)")),
            )
            .build()
            .map_err(|e| HarvestError::Other(format!("the HTTP client could not be built: {e}")))?;
        Ok(Self {
            client,
            timeout,
            retries: settings.retries,
            backoff: Duration::from_millis(settings.backoff_ms),
            max_bytes: settings.max_response_bytes,
            limit: Mutex::new(None),
            requests: AtomicU64::new(0),
            guard,
            files_dir: settings.files_dir.clone(),
            read: Mutex::new(Sha256::new()),
        })
    }

    /// A SHA-256 of every answer this fetcher has handed out, in order (location, length,
    /// bytes): two runs with the same digest read byte for byte the same from the same places.
    pub fn digest(&self) -> String {
        let h = self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        h.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn handed_out(&self, f: Fetched) -> Fetched {
        let mut h = self.read.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        for part in [f.url.as_bytes(), f.content_type.as_deref().unwrap_or("").as_bytes(), &f.body] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part);
        }
        f
    }

    /// Allows at most `calls` requests in any `window` from now on (waits when needed).
    pub fn set_call_limit(&self, calls: usize, window: Duration) {
        let mut l = self.limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        *l = Some(CallLimit { calls: calls.max(1), window, recent: VecDeque::new() });
    }

    /// Requests made so far (retries included).
    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    fn wait_for_slot(&self) {
        loop {
            let wait = {
                let mut guard = self.limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
                let Some(l) = guard.as_mut() else { return };
                let now = Instant::now();
                while l.recent.front().is_some_and(|t| now.duration_since(*t) >= l.window) {
                    l.recent.pop_front();
                }
                if l.recent.len() < l.calls {
                    l.recent.push_back(now);
                    return;
                }
                l.window - now.duration_since(*l.recent.front().expect("full"))
            };
            std::thread::sleep(wait + Duration::from_millis(5));
        }
    }

    /// GETs a URL with retries; any status but 2xx is an error.
    pub fn get(&self, url: &str, accept: &str) -> Result<Fetched, HarvestError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_for_slot();
            self.requests.fetch_add(1, Ordering::Relaxed);
            match self.attempt(url, accept, attempt) {
                Attempt::Done(f) => return Ok(self.handed_out(f)),
                Attempt::Fail(e) => return Err(e),
                Attempt::Retry(e, after) => {
                    if attempt > self.retries {
                        return Err(e);
                    }
                    let backoff = self.backoff * 2u32.saturating_pow(attempt - 1);
                    let wait = after.map_or(backoff, |a| a.max(backoff)).min(Duration::from_secs(60));
                    tracing::warn!(%url, attempt, error = %e, wait_ms = wait.as_millis() as u64, "harvest request failed; retrying");
                    std::thread::sleep(wait);
                }
            }
        }
    }

    fn attempt(&self, url: &str, accept: &str, attempt: u32) -> Attempt {
        let parsed = match reqwest::Url::parse(url) {
            Ok(u) => u,
            Err(e) => return Attempt::Fail(HarvestError::Http { url: url.to_owned(), message: format!("not a usable URL: {e}") }),
        };
        if let Err(r) = self.guard.check_url(&parsed) {
            return Attempt::Fail(HarvestError::Refused { url: url.to_owned(), reason: r.to_string() });
        }
        let res = match self.client.get(parsed).header(reqwest::header::ACCEPT, accept).send() {
            Ok(r) => r,
            Err(e) if crate::net::refusal(&e).is_some() => {
                let reason = crate::net::refusal(&e).map(|r| r.to_string()).unwrap_or_default();
                return Attempt::Fail(HarvestError::Refused { url: url.to_owned(), reason });
            }
            Err(e) if e.is_timeout() => {
                return Attempt::Retry(
                    HarvestError::Timeout { url: url.to_owned(), seconds: self.timeout.as_secs(), attempts: attempt },
                    None,
                );
            }
            Err(e) if e.is_builder() => {
                return Attempt::Fail(HarvestError::Http { url: url.to_owned(), message: format!("not a usable URL: {e}") });
            }
            Err(e) => return Attempt::Retry(HarvestError::Http { url: url.to_owned(), message: error_chain(&e) }, None),
        };
        let status = res.status();
        if !status.is_success() {
            let after = res
                .headers()
                .get(reqwest::header::RETRY_AFTER)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<u64>().ok())
                .map(Duration::from_secs);
            let e = HarvestError::Http { url: url.to_owned(), message: format!("the server answered {status}") };
            return if status.as_u16() == 429 || status.is_server_error() { Attempt::Retry(e, after) } else { Attempt::Fail(e) };
        }
        if let Some(len) = res.content_length()
            && len > self.max_bytes
        {
            return Attempt::Fail(HarvestError::TooLarge { url: url.to_owned(), limit: self.max_bytes });
        }
        let final_url = res.url().to_string();
        let content_type = res.headers().get(reqwest::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut body = Vec::new();
        match res.take(self.max_bytes + 1).read_to_end(&mut body) {
            Ok(_) if body.len() as u64 > self.max_bytes => {
                Attempt::Fail(HarvestError::TooLarge { url: url.to_owned(), limit: self.max_bytes })
            }
            Ok(_) => Attempt::Done(Fetched { url: final_url, content_type, body }),
            Err(e) => {
                let timed_out = e.to_string().contains("timed out")
                    || std::error::Error::source(&e)
                        .and_then(|s| s.downcast_ref::<reqwest::Error>())
                        .is_some_and(reqwest::Error::is_timeout);
                if timed_out {
                    Attempt::Retry(HarvestError::Timeout { url: url.to_owned(), seconds: self.timeout.as_secs(), attempts: attempt }, None)
                } else {
                    Attempt::Retry(HarvestError::Http { url: url.to_owned(), message: format!("reading the answer failed: {e}") }, None)
                }
            }
        }
    }

    /// Reads an http(s) URL, or a local file (a path or `file://`) under `[harvest] files_dir`,
    /// with the same size cap.
    pub fn read_location(&self, location: &str, accept: &str) -> Result<Fetched, HarvestError> {
        let location = location.trim();
        if location.starts_with("http://") || location.starts_with("https://") {
            return self.get(location, accept);
        }
        let path = location.strip_prefix("file://").unwrap_or(location);
        // one message whatever the reason (missing, unreadable, outside, a directory)
        let refused = || HarvestError::Refused {
            url: path.to_owned(),
            reason: match &self.files_dir {
                None => "files are read only from the directory [harvest] files_dir names, and it is not set".to_owned(),
                Some(dir) => format!("not a readable file under [harvest] files_dir ({})", dir.display()),
            },
        };
        let file = self.open_under_files_dir(Path::new(path)).ok_or_else(refused)?;
        let mut body = Vec::new();
        file.take(self.max_bytes + 1).read_to_end(&mut body).map_err(|_| refused())?;
        if body.len() as u64 > self.max_bytes {
            return Err(HarvestError::TooLarge { url: path.to_owned(), limit: self.max_bytes });
        }
        Ok(self.handed_out(Fetched { url: path.to_owned(), content_type: None, body }))
    }

    /// Opens a regular file whose canonical path lies under the canonical `files_dir` (a
    /// relative path is taken from there); `None` for anything else.
    fn open_under_files_dir(&self, path: &Path) -> Option<std::fs::File> {
        let dir = self.files_dir.as_ref()?.canonicalize().ok()?;
        if path.components().any(|c| matches!(c, Component::ParentDir)) {
            return None;
        }
        let canonical = dir.join(path).canonicalize().ok()?;
        if !canonical.starts_with(&dir) {
            return None;
        }
        let file = std::fs::File::open(&canonical).ok()?;
        file.metadata().ok()?.is_file().then_some(file)
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}
