//! A local fixture server for harvest tests: std `TcpListener` on 127.0.0.1 with a free port,
//! answering each request with what a closure decides (status, Content-Type, body, a delay to
//! simulate a source that stalls). Recorded responses are read at test time from
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
}

impl Reply {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self { status: 200, content_type: Some(content_type.to_owned()), body: body.into(), delay: None, location: None }
    }

    pub fn not_found() -> Self {
        Self { status: 404, content_type: Some("text/plain".into()), body: b"not found".to_vec(), delay: None, location: None }
    }

    /// A 302 to `url`.
    pub fn redirect(url: &str) -> Self {
        Self { status: 302, content_type: None, body: Vec::new(), delay: None, location: Some(url.to_owned()) }
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }
}

type Handler = dyn Fn(&str) -> Reply + Send + Sync;

/// A running fixture server; requests are logged (path and query).
pub struct FixtureServer {
    pub base: String,
    pub log: Arc<Mutex<Vec<String>>>,
}

impl FixtureServer {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn requests(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
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
    let server_log = log.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let handler = handler.clone();
            let log = server_log.clone();
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request_line = String::new();
                if reader.read_line(&mut request_line).is_err() {
                    return;
                }
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" || line == "\n" {
                        break;
                    }
                }
                let target = request_line.split_whitespace().nth(1).unwrap_or("/").to_owned();
                log.lock().unwrap().push(target.clone());
                let reply = handler(&target);
                if let Some(d) = reply.delay {
                    std::thread::sleep(d);
                }
                let mut head = format!("HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n", reply.status, reply.body.len());
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
    FixtureServer { base, log }
}

/// A recorded response from `../shared/fixtures`.
pub fn fixture(path: &str) -> Vec<u8> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures").join(path);
    let p = if p.exists() { p } else { PathBuf::from("/work/shared/fixtures").join(path) };
    std::fs::read(&p).unwrap_or_else(|e| panic!("the fixture {} cannot be read: {e}", p.display()))
}
