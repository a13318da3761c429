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
//!
//! Every answer handed out is logged ([`PageSeen`]: location, SHA-256 of the body, `ETag`,
//! `Last-Modified`); the log of a run's answers is what the next run [`Fetcher::probe`]s: it
//! asks the same questions in the same order, conditionally where the answer had validators,
//! and tells without parsing whether every answer is the same. A `304 Not Modified` counts as
//! the same body only for a conditional request (sent only when the body's hash is stored); a
//! body sent again is compared by its hash, never by its `ETag`. Bodies a probe received are
//! handed to the reader afterwards instead of being fetched again.

use std::collections::{HashMap, VecDeque};
use std::io::Read;
use std::path::{Component, Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use sha2::{Digest, Sha256};

use super::{HarvestError, HarvestSettings};
use crate::net::Guard;
pub use crate::state::harvest::PageSeen;

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
    /// Every answer handed out so far, in order (see [`Self::digest`]).
    log: Mutex<Vec<PageSeen>>,
    /// Answers a probe received, by location and `Accept`, handed out once each in order.
    prefetched: Mutex<HashMap<(String, String), VecDeque<Prefetched>>>,
    /// Requests answered "304 Not Modified".
    not_modified: AtomicU64,
}

/// An answer a probe received before the reader asked.
struct Prefetched {
    answer: Result<Fetched, HarvestError>,
    seen: PageSeen,
}

/// The validators of an answer, or those sent with a conditional request.
#[derive(Debug, Clone, Default)]
struct Validators {
    etag: Option<String>,
    last_modified: Option<String>,
}

/// What a request was answered.
enum Answer {
    Body(Fetched, Validators),
    /// 304 to a conditional request: the same body as when the validators were given.
    NotModified {
        url: String,
        validators: Validators,
    },
}

/// What [`Fetcher::probe`] found.
#[derive(Debug)]
pub struct Probe {
    /// Every answer was the same as before (by hash, or 304 to a conditional request).
    pub same: bool,
    /// The answers, as they would be logged (with their fresh validators); when `same`, as
    /// many as asked.
    pub pages: Vec<PageSeen>,
}

struct CallLimit {
    calls: usize,
    window: Duration,
    recent: VecDeque<Instant>,
}

enum Attempt {
    Done(Answer),
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
            log: Mutex::new(Vec::new()),
            prefetched: Mutex::new(HashMap::new()),
            not_modified: AtomicU64::new(0),
        })
    }

    /// A SHA-256 of every answer this fetcher has handed out, in order (see [`digest_of`]).
    pub fn digest(&self) -> String {
        digest_of(&self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner))
    }

    /// Every answer handed out so far, in order.
    pub fn pages(&self) -> Vec<PageSeen> {
        self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Requests answered "304 Not Modified" so far.
    pub fn not_modified(&self) -> u64 {
        self.not_modified.load(Ordering::Relaxed)
    }

    fn logged(&self, seen: PageSeen) {
        self.log.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(seen);
    }

    fn seen(&self, url: &str, accept: &str, f: &Fetched, v: Validators) -> PageSeen {
        PageSeen {
            url: url.to_owned(),
            accept: accept.to_owned(),
            answered: f.url.clone(),
            content_type: f.content_type.clone(),
            hash: Some(hash(&f.body)),
            etag: v.etag,
            last_modified: v.last_modified,
            limit: self.current_limit(),
        }
    }

    fn failed(&self, url: &str, accept: &str) -> PageSeen {
        PageSeen {
            url: url.to_owned(),
            accept: accept.to_owned(),
            answered: url.to_owned(),
            content_type: None,
            hash: None,
            etag: None,
            last_modified: None,
            limit: self.current_limit(),
        }
    }

    /// An answer a probe received for this question, if one is waiting.
    fn take_prefetched(&self, url: &str, accept: &str) -> Option<Result<Fetched, HarvestError>> {
        let mut map = self.prefetched.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let key = (url.to_owned(), accept.to_owned());
        let queue = map.get_mut(&key)?;
        let p = queue.pop_front()?;
        if queue.is_empty() {
            map.remove(&key);
        }
        drop(map);
        self.logged(p.seen);
        Some(p.answer)
    }

    fn prefetch(&self, url: &str, accept: &str, answer: Result<Fetched, HarvestError>, seen: PageSeen) {
        let mut map = self.prefetched.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        map.entry((url.to_owned(), accept.to_owned())).or_default().push_back(Prefetched { answer, seen });
    }

    /// Asks the questions of an earlier run (`before`, its log) again, in order, stopping at
    /// the first answer that differs: conditionally where the earlier answer had validators
    /// (a 304 is the same body), otherwise comparing the body's hash; a question that failed
    /// before is the same if it fails again. The call limit in force at each earlier question
    /// is kept. Every body received (and every failure) is kept for the reader, which is then
    /// given it without a second request; nothing is parsed here.
    pub fn probe(&self, before: &[PageSeen], progress: &dyn Fn(u64, &str)) -> Probe {
        let mut pages = Vec::with_capacity(before.len());
        for (i, old) in before.iter().enumerate() {
            progress(i as u64, &old.url);
            if let Some((calls, ms)) = old.limit
                && self.current_limit() != Some((calls, ms))
            {
                self.set_call_limit(calls, Duration::from_millis(ms));
            }
            let location = old.url.trim();
            let is_http = location.starts_with("http://") || location.starts_with("https://");
            // a 304 is believed only for a body whose hash is stored
            let conditional = (is_http && old.hash.is_some() && (old.etag.is_some() || old.last_modified.is_some()))
                .then(|| Validators { etag: old.etag.clone(), last_modified: old.last_modified.clone() });
            let answer = if is_http {
                self.request(location, &old.accept, conditional.as_ref())
            } else {
                self.read_file(location).map(|f| Answer::Body(f, Validators::default()))
            };
            match answer {
                Ok(Answer::NotModified { url, validators }) => {
                    self.not_modified.fetch_add(1, Ordering::Relaxed);
                    let seen = PageSeen {
                        answered: url,
                        etag: validators.etag.or_else(|| old.etag.clone()),
                        last_modified: validators.last_modified.or_else(|| old.last_modified.clone()),
                        limit: self.current_limit(),
                        ..old.clone()
                    };
                    // no body here: a reader that needs it asks again
                    let same = conditional.is_some() && seen.answered == old.answered;
                    pages.push(seen);
                    if !same {
                        return Probe { same: false, pages };
                    }
                }
                Ok(Answer::Body(f, v)) => {
                    let seen = self.seen(&old.url, &old.accept, &f, v);
                    let same = seen.hash == old.hash && seen.answered == old.answered && seen.content_type == old.content_type;
                    pages.push(seen.clone());
                    self.prefetch(&old.url, &old.accept, Ok(f), seen);
                    if !same {
                        return Probe { same: false, pages };
                    }
                }
                Err(e) => {
                    let seen = self.failed(&old.url, &old.accept);
                    pages.push(seen.clone());
                    self.prefetch(&old.url, &old.accept, Err(e), seen);
                    if old.hash.is_some() {
                        return Probe { same: false, pages };
                    }
                }
            }
        }
        Probe { same: true, pages }
    }

    fn current_limit(&self) -> Option<(usize, u64)> {
        let l = self.limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        l.as_ref().map(|l| (l.calls, l.window.as_millis() as u64))
    }

    /// Allows at most `calls` requests in any `window` from now on (waits when needed; the
    /// requests already made count).
    pub fn set_call_limit(&self, calls: usize, window: Duration) {
        let mut l = self.limit.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let recent = l.take().map(|l| l.recent).unwrap_or_default();
        *l = Some(CallLimit { calls: calls.max(1), window, recent });
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

    /// GETs a URL with retries; any status but 2xx is an error. An answer a probe already
    /// received is handed out instead of asking again.
    pub fn get(&self, url: &str, accept: &str) -> Result<Fetched, HarvestError> {
        if let Some(answer) = self.take_prefetched(url, accept) {
            return answer;
        }
        match self.request(url, accept, None) {
            Ok(Answer::Body(f, v)) => {
                self.logged(self.seen(url, accept, &f, v));
                Ok(f)
            }
            Ok(Answer::NotModified { .. }) => Err(HarvestError::Http {
                url: url.to_owned(),
                message: "the server answered 304 Not Modified to a request that was not conditional".into(),
            }),
            Err(e) => {
                self.logged(self.failed(url, accept));
                Err(e)
            }
        }
    }

    /// One request with retries (conditional when `validators` are given).
    fn request(&self, url: &str, accept: &str, validators: Option<&Validators>) -> Result<Answer, HarvestError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.wait_for_slot();
            self.requests.fetch_add(1, Ordering::Relaxed);
            match self.attempt(url, accept, attempt, validators) {
                Attempt::Done(a) => return Ok(a),
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

    fn attempt(&self, url: &str, accept: &str, attempt: u32, validators: Option<&Validators>) -> Attempt {
        let parsed = match reqwest::Url::parse(url) {
            Ok(u) => u,
            Err(e) => return Attempt::Fail(HarvestError::Http { url: url.to_owned(), message: format!("not a usable URL: {e}") }),
        };
        if let Err(r) = self.guard.check_url(&parsed) {
            return Attempt::Fail(HarvestError::Refused { url: url.to_owned(), reason: r.to_string() });
        }
        let mut request = self.client.get(parsed).header(reqwest::header::ACCEPT, accept);
        if let Some(v) = validators {
            if let Some(etag) = &v.etag {
                request = request.header(reqwest::header::IF_NONE_MATCH, etag.as_str());
            }
            if let Some(lm) = &v.last_modified {
                request = request.header(reqwest::header::IF_MODIFIED_SINCE, lm.as_str());
            }
        }
        let res = match request.send() {
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
        let header = |name: reqwest::header::HeaderName| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let answered = Validators { etag: header(reqwest::header::ETAG), last_modified: header(reqwest::header::LAST_MODIFIED) };
        if status == reqwest::StatusCode::NOT_MODIFIED && validators.is_some() {
            return Attempt::Done(Answer::NotModified { url: res.url().to_string(), validators: answered });
        }
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
            Ok(_) => Attempt::Done(Answer::Body(Fetched { url: final_url, content_type, body }, answered)),
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
        if let Some(answer) = self.take_prefetched(location, accept) {
            return answer;
        }
        match self.read_file(location) {
            Ok(f) => {
                self.logged(self.seen(location, accept, &f, Validators::default()));
                Ok(f)
            }
            Err(e) => {
                self.logged(self.failed(location, accept));
                Err(e)
            }
        }
    }

    /// Reads a local file under `[harvest] files_dir`.
    fn read_file(&self, location: &str) -> Result<Fetched, HarvestError> {
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
        Ok(Fetched { url: path.to_owned(), content_type: None, body })
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

/// SHA-256 of a body, hex.
fn hash(body: &[u8]) -> String {
    Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect()
}

/// A SHA-256 of answers, in order (location answered, Content-Type, the body's hash, or that
/// the request failed): two runs with the same digest read byte for byte the same from the same
/// places.
pub fn digest_of(pages: &[PageSeen]) -> String {
    let mut h = Sha256::new();
    for p in pages {
        for part in [p.answered.as_str(), p.content_type.as_deref().unwrap_or(""), p.hash.as_deref().unwrap_or("failed")] {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
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
