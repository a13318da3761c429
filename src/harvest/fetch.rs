//! HTTP (and local files) for the harvester: a time limit per request, retries with
//! exponential backoff (time-outs, connection errors, 429 and 5xx; `Retry-After` honoured up to
//! a minute), a cap on the size of an answer, and a call limit per time window for APIs that
//! state one (SCB: 10 calls per 10 s in v1, `/config` in v2).

use std::collections::VecDeque;
use std::io::Read;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use super::{HarvestError, HarvestSettings};

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
        let client = reqwest::blocking::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout.min(Duration::from_secs(30)))
            .user_agent(concat!("vardkatalog/", env!("CARGO_PKG_VERSION"), " (harvester)"))
            .redirect(reqwest::redirect::Policy::limited(10))
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
        })
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
                Attempt::Done(f) => return Ok(f),
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
        let res = match self.client.get(url).header(reqwest::header::ACCEPT, accept).send() {
            Ok(r) => r,
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
        if let Some(len) = res.content_length() {
            if len > self.max_bytes {
                return Attempt::Fail(HarvestError::TooLarge { url: url.to_owned(), limit: self.max_bytes });
            }
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
                    Attempt::Retry(
                        HarvestError::Timeout { url: url.to_owned(), seconds: self.timeout.as_secs(), attempts: attempt },
                        None,
                    )
                } else {
                    Attempt::Retry(HarvestError::Http { url: url.to_owned(), message: format!("reading the answer failed: {e}") }, None)
                }
            }
        }
    }

    /// Reads an http(s) URL, or a local file (a path or `file://`), with the same size cap.
    pub fn read_location(&self, location: &str, accept: &str) -> Result<Fetched, HarvestError> {
        let location = location.trim();
        if location.starts_with("http://") || location.starts_with("https://") {
            return self.get(location, accept);
        }
        let path = location.strip_prefix("file://").unwrap_or(location);
        let file = std::fs::File::open(path)
            .map_err(|e| HarvestError::Http { url: path.to_owned(), message: format!("cannot open the file: {e}") })?;
        let mut body = Vec::new();
        file.take(self.max_bytes + 1)
            .read_to_end(&mut body)
            .map_err(|e| HarvestError::Http { url: path.to_owned(), message: format!("cannot read the file: {e}") })?;
        if body.len() as u64 > self.max_bytes {
            return Err(HarvestError::TooLarge { url: path.to_owned(), limit: self.max_bytes });
        }
        Ok(Fetched { url: path.to_owned(), content_type: None, body })
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
