//! The control channel: how a command reaches a data directory that a running `serve` holds.
//!
//! RocksDB and sled each admit one process per directory, so a second process cannot open the
//! data directory while `serve` runs. Instead the server listens on a second, loopback-only
//! address (never on the public one) and publishes it with a random secret in
//! `{data_dir}/control.json` (mode 0600, removed when the server stops). A command that finds
//! a live server there sends it its arguments (and the files and standard input it reads); the
//! server runs the same command code over its own services and streams the output and the exit
//! status back. A file left by a server that died is stale: its process is gone and nothing
//! answers at its address with its secret.
//!
//! Owns: the control file, the wire format of a request and of the streamed answer, and the
//! client. The server side is `web::control`; what a command does is the command line's.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The control file's name in the data directory.
pub const FILE_NAME: &str = "control.json";
/// The request header that carries the secret.
pub const SECRET_HEADER: &str = "x-vardkatalog-control";
/// The path prefix of the control routes (on the loopback listener only).
pub const RUN_PATH: &str = "/_control/run";
pub const PING_PATH: &str = "/_control/ping";

/// What a running server publishes in its data directory.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ControlFile {
    /// The server's process id.
    pub pid: u32,
    /// The loopback address of the control listener.
    pub addr: SocketAddr,
    /// 256 random bits as hex; a request without it is refused.
    pub secret: String,
    pub started: DateTime<Utc>,
    pub version: String,
}

/// The control file of a data directory.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// A fresh secret: 256 random bits as hex.
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Compares two secrets in time independent of where they differ.
pub fn secrets_match(given: &[u8], expected: &str) -> bool {
    let expected = expected.as_bytes();
    given.len() == expected.len() && given.iter().zip(expected).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
}

/// The published control file; removed when dropped (if it is still this server's).
pub struct Published {
    path: PathBuf,
    secret: String,
}

impl Published {
    /// Writes the control file (readable and writable by this user only) for a server at `addr`.
    pub fn write(data_dir: &Path, addr: SocketAddr, secret: String) -> std::io::Result<Self> {
        use std::os::unix::fs::PermissionsExt as _;
        std::fs::create_dir_all(data_dir)?;
        let file = ControlFile {
            pid: std::process::id(),
            addr,
            secret: secret.clone(),
            started: Utc::now(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        };
        // a temporary file is created 0600 by tempfile; set it again in case of an odd umask
        let mut tmp = tempfile::NamedTempFile::new_in(data_dir)?;
        tmp.as_file().set_permissions(std::fs::Permissions::from_mode(0o600))?;
        tmp.write_all(serde_json::to_string_pretty(&file).expect("serialises").as_bytes())?;
        tmp.as_file().sync_all()?;
        let path = path(data_dir);
        tmp.persist(&path).map_err(|e| e.error)?;
        Ok(Self { path, secret })
    }
}

impl Drop for Published {
    fn drop(&mut self) {
        if read_file(&self.path).is_some_and(|f| f.secret == self.secret) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn read_file(path: &Path) -> Option<ControlFile> {
    serde_json::from_slice(&std::fs::read(path).ok()?).ok()
}

/// Whether a process with this id exists (always `true` where `/proc` is missing).
fn process_alive(pid: u32) -> bool {
    !Path::new("/proc/self").exists() || Path::new(&format!("/proc/{pid}")).exists()
}

/// A server that answered on its control address.
#[derive(Clone, Debug)]
pub struct Server {
    file: ControlFile,
}

impl Server {
    pub fn pid(&self) -> u32 {
        self.file.pid
    }
}

/// The live server holding `data_dir`, if there is one: its control file names a running
/// process that answers at the address with the secret. A stale file (the process is gone,
/// or nothing answers) is ignored.
pub fn find(data_dir: &Path) -> Option<Server> {
    let file = read_file(&path(data_dir))?;
    if !process_alive(file.pid) || !file.addr.ip().is_loopback() {
        return None;
    }
    let client = reqwest::blocking::Client::builder().timeout(Duration::from_secs(10)).no_proxy().build().ok()?;
    let answer = client.get(format!("http://{}{PING_PATH}", file.addr)).header(SECRET_HEADER, &file.secret).send().ok()?;
    answer.status().is_success().then_some(Server { file })
}

/// Waits up to `wait` for a live server to appear (one that is still starting holds the data
/// directory before it publishes its control file).
pub fn wait_for(data_dir: &Path, wait: Duration) -> Option<Server> {
    let until = std::time::Instant::now() + wait;
    loop {
        if let Some(s) = find(data_dir) {
            return Some(s);
        }
        if std::time::Instant::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// A file a command reads, sent with the request: the argument at `arg` names it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FileHead {
    pub arg: usize,
    pub name: String,
    pub len: u64,
}

/// The first line of a request body; `stdin` and then each file's bytes follow it.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct RequestHead {
    /// The command's arguments (after the program name, without global options).
    pub args: Vec<String>,
    /// How many bytes of standard input follow.
    pub stdin: u64,
    pub files: Vec<FileHead>,
}

/// A request read back: arguments, standard input and files.
pub struct Request {
    pub args: Vec<String>,
    pub stdin: Vec<u8>,
    /// Each file: the argument it replaces, its name, its bytes.
    pub files: Vec<(usize, String, Vec<u8>)>,
}

impl Request {
    /// The body of a request.
    pub fn encode(&self) -> Vec<u8> {
        let head = RequestHead {
            args: self.args.clone(),
            stdin: self.stdin.len() as u64,
            files: self
                .files
                .iter()
                .map(|(arg, name, bytes)| FileHead { arg: *arg, name: name.clone(), len: bytes.len() as u64 })
                .collect(),
        };
        let mut body = serde_json::to_vec(&head).expect("serialises");
        body.push(b'\n');
        body.extend_from_slice(&self.stdin);
        for (_, _, bytes) in &self.files {
            body.extend_from_slice(bytes);
        }
        body
    }

    /// Reads a request body; `None` when it is malformed.
    pub fn decode(body: &[u8]) -> Option<Self> {
        let nl = body.iter().position(|b| *b == b'\n')?;
        let head: RequestHead = serde_json::from_slice(&body[..nl]).ok()?;
        let mut rest = &body[nl + 1..];
        let mut take = |n: u64| -> Option<Vec<u8>> {
            let n = usize::try_from(n).ok()?;
            if rest.len() < n {
                return None;
            }
            let (a, b) = rest.split_at(n);
            rest = b;
            Some(a.to_vec())
        };
        let stdin = take(head.stdin)?;
        let mut files = Vec::new();
        for f in &head.files {
            if f.arg >= head.args.len() || f.name.contains('/') || f.name.is_empty() || f.name == ".." {
                return None;
            }
            files.push((f.arg, f.name.clone(), take(f.len)?));
        }
        rest.is_empty().then_some(Self { args: head.args, stdin, files })
    }
}

/// One frame of the streamed answer: a chunk of standard output (`O`), of standard error
/// (`E`), or the exit status (`X`, last).
pub fn frame(kind: u8, bytes: &[u8]) -> Vec<u8> {
    let mut out = format!("{}{}\n", kind as char, bytes.len()).into_bytes();
    out.extend_from_slice(bytes);
    out
}

/// The exit status frame.
pub fn exit_frame(code: u8) -> Vec<u8> {
    format!("X{code}\n").into_bytes()
}

/// Sends a request to the server and copies the answer's output to `out` and `err` as it
/// streams; the command's exit status.
pub fn run(server: &Server, request: &Request, out: &mut dyn Write, err: &mut dyn Write) -> anyhow::Result<u8> {
    let client = reqwest::blocking::Client::builder().connect_timeout(Duration::from_secs(10)).timeout(None).no_proxy().build()?;
    let answer = client
        .post(format!("http://{}{RUN_PATH}", server.file.addr))
        .header(SECRET_HEADER, &server.file.secret)
        .body(request.encode())
        .send()?;
    if !answer.status().is_success() {
        let status = answer.status();
        anyhow::bail!("the running server refused the command ({status}): {}", answer.text().unwrap_or_default());
    }
    let mut reader = BufReader::new(answer);
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            anyhow::bail!("the running server stopped before the command finished");
        }
        let text = std::str::from_utf8(&line[1..]).unwrap_or_default().trim_end();
        match line[0] {
            b'X' => return Ok(text.parse().unwrap_or(1)),
            kind @ (b'O' | b'E') => {
                let len: usize = text.parse().map_err(|_| anyhow::anyhow!("a malformed answer from the running server"))?;
                let mut chunk = vec![0; len];
                reader.read_exact(&mut chunk)?;
                if kind == b'O' {
                    out.write_all(&chunk)?;
                    out.flush()?;
                } else {
                    err.write_all(&chunk)?;
                    err.flush()?;
                }
            }
            _ => anyhow::bail!("a malformed answer from the running server"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_round_trips_and_a_cut_one_is_refused() {
        let r = Request {
            args: vec!["import".into(), "a.ttl".into()],
            stdin: b"pw\n".to_vec(),
            files: vec![(1, "a.ttl".into(), b"<a> <b> <c> .".to_vec())],
        };
        let body = r.encode();
        let back = Request::decode(&body).unwrap();
        assert_eq!(back.args, r.args);
        assert_eq!(back.stdin, r.stdin);
        assert_eq!(back.files, r.files);
        assert!(Request::decode(&body[..body.len() - 1]).is_none());
        let bad = Request { files: vec![(1, "../x".into(), Vec::new())], ..r };
        assert!(Request::decode(&bad.encode()).is_none(), "a file name with a path is refused");
    }

    #[test]
    fn secrets_are_compared_whole() {
        assert!(secrets_match(b"abcd", "abcd"));
        assert!(!secrets_match(b"abce", "abcd"));
        assert!(!secrets_match(b"abc", "abcd"));
    }
}
