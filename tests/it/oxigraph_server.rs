//! A real Oxigraph server (`oxigraph serve`, from the `oxigraph` package on PyPI, installed by
//! `scripts/ensure-deps`) for the remote-store tests: started on 127.0.0.1 and a free port over
//! a temporary directory, killed when dropped.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use vardkatalog::store::remote::RemoteSettings;

/// The version `scripts/ensure-deps` installs.
pub const VERSION: &str = "0.5.13";

/// Where `scripts/ensure-deps` puts the binary (or `VARDKATALOG_OXIGRAPH`).
pub fn binary() -> PathBuf {
    if let Some(p) = std::env::var_os("VARDKATALOG_OXIGRAPH") {
        return PathBuf::from(p);
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache"));
    cache.join("vardkatalog").join("oxigraph-venv").join("bin").join("oxigraph")
}

/// A running `oxigraph serve`.
pub struct OxigraphServer {
    child: Option<Child>,
    pub port: u16,
    location: PathBuf,
    _dir: Option<tempfile::TempDir>,
    extra: Vec<String>,
}

impl OxigraphServer {
    /// A server over a fresh directory.
    pub fn start() -> Self {
        Self::start_with(&[])
    }

    /// A server over a fresh directory, with extra `serve` flags.
    pub fn start_with(extra: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let location = dir.path().join("db");
        let mut server = Self { child: None, port: 0, location, _dir: Some(dir), extra: extra.iter().map(|s| (*s).to_owned()).collect() };
        server.run();
        server
    }

    fn run(&mut self) {
        let bin = binary();
        assert!(
            bin.is_file(),
            "the Oxigraph server ({}) is not installed: run scripts/ensure-deps (it installs oxigraph {VERSION} from PyPI), \
             or point VARDKATALOG_OXIGRAPH at an `oxigraph` binary",
            bin.display()
        );
        for _ in 0..5 {
            let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
            let log = std::fs::File::create(self.location.with_extension("log")).unwrap();
            let mut child = Command::new(&bin)
                .arg("serve")
                .arg("--location")
                .arg(&self.location)
                .arg("--bind")
                .arg(format!("127.0.0.1:{port}"))
                .args(&self.extra)
                .stdout(Stdio::null())
                .stderr(log)
                .spawn()
                .unwrap_or_else(|e| panic!("cannot start {}: {e} (run scripts/ensure-deps)", bin.display()));
            if wait_until_it_answers(&mut child, port) {
                self.child = Some(child);
                self.port = port;
                return;
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        panic!("the Oxigraph server did not start: {}", std::fs::read_to_string(self.location.with_extension("log")).unwrap_or_default());
    }

    /// Kills the server with SIGKILL and starts it again over the same directory.
    pub fn kill_and_restart(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().unwrap();
            child.wait().unwrap();
        }
        self.run();
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Settings of a remote store on this server.
    pub fn settings(&self) -> RemoteSettings {
        let mut s = RemoteSettings::new(self.url("/query"), self.url("/update"));
        s.graph_store_url = Some(self.url("/store"));
        s
    }
}

fn wait_until_it_answers(child: &mut Child, port: u16) -> bool {
    let http = reqwest::blocking::Client::builder().timeout(Duration::from_secs(5)).no_proxy().build().unwrap();
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if child.try_wait().unwrap().is_some() {
            return false;
        }
        let answer = http
            .post(format!("http://127.0.0.1:{port}/query"))
            .header("content-type", "application/sparql-query")
            .header("accept", "application/sparql-results+json")
            .body("ASK {}")
            .send();
        if answer.is_ok_and(|r| r.status().is_success()) {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

impl Drop for OxigraphServer {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}
