//! A local fixture server for harvest tests: std `TcpListener` on 127.0.0.1 with a free port,
//! answering each request with what a closure decides (status, Content-Type, body, a delay to
//! simulate a source that stalls), with validators (`ETag`, `Last-Modified`) and conditional
//! requests honoured (304) unless the reply says otherwise. Recorded responses are read at test time from
//! `../shared/fixtures` (never copied into the repository).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// One answer.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: Option<String>,
    pub body: Vec<u8>,
    pub delay: Option<Duration>,
    /// A `Location` header (redirects).
    pub location: Option<String>,
    /// Validators sent with the answer.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// Whether a conditional request whose validators match is answered 304 (default yes).
    pub honour_conditional: bool,
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self { content_type: Some(content_type.to_owned()), body: body.into(), ..Self::status(200) }
    }

    pub fn not_found() -> Self {
        Self { content_type: Some("text/plain".into()), body: b"not found".to_vec(), ..Self::status(404) }
    }

    /// A 302 to `url`.
    pub fn redirect(url: &str) -> Self {
        Self { location: Some(url.to_owned()), ..Self::status(302) }
    }

    /// An empty answer with this status.
    pub fn status(status: u16) -> Self {
        Self {
            status,
            content_type: None,
            body: Vec::new(),
            delay: None,
            location: None,
            etag: None,
            last_modified: None,
            honour_conditional: true,
        }
    }

    /// With an `ETag`.
    pub fn etag(mut self, etag: &str) -> Self {
        self.etag = Some(etag.to_owned());
        self
    }

    /// With a `Last-Modified`.
    pub fn last_modified(mut self, date: &str) -> Self {
        self.last_modified = Some(date.to_owned());
        self
    }

    /// Answers in full even when the request's validators match (a server that ignores them).
    pub fn ignoring_conditionals(mut self) -> Self {
        self.honour_conditional = false;
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

type Handler = dyn Fn(&str) -> Reply + Send + Sync;

/// A running fixture server; requests are logged (path and query), with their conditional
/// headers and the status answered.
pub struct FixtureServer {
    pub base: String,
    pub log: Arc<Mutex<Vec<String>>>,
    pub exchanges: Arc<Mutex<Vec<Exchange>>>,
}

/// One request: its target, the conditional headers it carried, the status answered.
#[derive(Clone, Debug)]
pub struct Exchange {
    pub target: String,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub status: u16,
}

impl FixtureServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }

    pub fn exchanges(&self) -> Vec<Exchange> {
        self.exchanges.lock().unwrap().clone()
    }
}

/// Starts a server whose answers `handler` gives for each request target (`/path?query`).
pub fn serve(handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> FixtureServer {
    serve_on("127.0.0.1", handler)
}

/// The same on another loopback address (`127.0.0.2`).
pub fn serve_on(ip: &str, handler: impl Fn(&str) -> Reply + Send + Sync + 'static) -> FixtureServer {
    let listener = TcpListener::bind((ip, 0)).expect("a free port");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let log = Arc::new(Mutex::new(Vec::new()));
    let handler: Arc<Handler> = Arc::new(handler);
    let exchanges = Arc::new(Mutex::new(Vec::new()));
    let (server_log, server_exchanges) = (log.clone(), exchanges.clone());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = handler.clone();
            let log = server_log.clone();
            let exchanges = server_exchanges.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                let (mut if_none_match, mut if_modified_since) = (None, None);
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" || line == "\n" {
                        break;
                    }
                    if let Some((name, value)) = line.split_once(':') {
                        match name.trim().to_ascii_lowercase().as_str() {
                            "if-none-match" => if_none_match = Some(value.trim().to_owned()),
                            "if-modified-since" => if_modified_since = Some(value.trim().to_owned()),
                            _ => {}
                        }
                    }
                }
                let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(target.clone());
                let mut reply = handler(&target);
                // RFC 9110 §13.1: If-None-Match decides when present, else If-Modified-Since
                // (compared as text: the server's own date is sent back)
                let unchanged = match (&if_none_match, &if_modified_since) {
                    (Some(tags), _) => reply.etag.as_ref().is_some_and(|e| tags.split(',').any(|t| t.trim() == e || t.trim() == "*")),
                    (None, Some(since)) => reply.last_modified.as_ref() == Some(since),
                    (None, None) => false,
                };
                if unchanged && reply.honour_conditional && reply.status == 200 {
                    reply = Reply { etag: reply.etag.clone(), last_modified: reply.last_modified.clone(), ..Reply::status(304) };
                }
                exchanges.lock().unwrap().push(Exchange { target: target.clone(), if_none_match, if_modified_since, status: reply.status });
                if let Some(d) = reply.delay {
                    std::thread::sleep(d);
                }
                let mut head = format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", reply.status, reply.body.len());
                if let Some(etag) = &reply.etag {
                    head.push_str(&format!("ETag: {etag}\r\n"));
                }
                if let Some(date) = &reply.last_modified {
                    head.push_str(&format!("Last-Modified: {date}\r\n"));
                }
                if let Some(ct) = &reply.content_type {
                    head.push_str(&format!("Content-Type: {ct}\r\n"));
                }
                if let Some(location) = &reply.location {
                    head.push_str(&format!("Location: {location}\r\n"));
                }
                head.push_str("\r\n");
                let _ = stream.write_all(head.as_bytes());
                let _ = stream.write_all(&reply.body);
                let _ = stream.flush();
            });
        }
    });
    FixtureServer { base, log, exchanges }
}

/// A recorded response from `../shared/fixtures`.
pub fn fixture(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures").join(path);
    let p = if p.exists() { p } else { PathBuf::from("/work/shared/fixtures").join(path) };
    std::fs::read(&p).unwrap_or_else(|e| panic!("the fixture {} cannot be read: {e}", p.display()))
}
