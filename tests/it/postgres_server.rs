//! A real, throw-away PostgreSQL for the tests (Debian's `postgresql` package, installed by
//! `scripts/ensure-deps`): one cluster per test process, made with `initdb` in a temporary
//! directory and started on 127.0.0.1 and a free port, shared through a `OnceLock`; each test
//! takes a fresh database of its own ([`database`]).
//!
//! PostgreSQL refuses to run as root: when the tests do, the server runs as the `postgres`
//! account (or `nobody`) through `runuser`, over a directory that account owns. The server is
//! started by a shell that waits on its standard input: when the test process ends, however
//! it ends, the pipe closes and the shell stops the server and removes the directory.

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The running cluster of this test process.
pub struct Cluster {
    pub port: u16,
    /// Held so that the server lives as long as the process (closing it stops the server).
    _stdin: Mutex<ChildStdin>,
    _child: Mutex<Child>,
}

static CLUSTER: OnceLock<Cluster> = OnceLock::new();
static NEXT: AtomicUsize = AtomicUsize::new(0);

/// The directory of PostgreSQL's server programs: `VARDKATALOG_PG_BINDIR`, the newest
/// `/usr/lib/postgresql/*/bin` (Debian), or the directory of `initdb` on the `PATH`.
pub fn bindir() -> PathBuf {
    if let Some(p) = std::env::var_os("VARDKATALOG_PG_BINDIR") {
        return PathBuf::from(p);
    }
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| Some((e.file_name().to_str()?.parse::<u32>().ok()?, e.path().join("bin"))))
        .filter(|(_, p)| p.join("initdb").is_file())
        .collect();
    debian.sort();
    if let Some((_, p)) = debian.pop() {
        return p;
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        if dir.join("initdb").is_file() && dir.join("postgres").is_file() {
            return std::fs::canonicalize(dir.join("initdb")).ok().and_then(|p| p.parent().map(Path::to_path_buf)).unwrap_or(dir);
        }
    }
    panic!(
        "PostgreSQL is not installed (no /usr/lib/postgresql/*/bin/initdb, no initdb on the PATH): run scripts/ensure-deps \
         (it installs Debian's postgresql package), or point VARDKATALOG_PG_BINDIR at the directory of initdb and postgres"
    );
}

fn output(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// The account the server runs as when the tests run as root.
fn server_user() -> Option<String> {
    if output(Command::new("id").arg("-u")) != "0" {
        return None;
    }
    let has = |u: &str| Command::new("id").arg("-u").arg(u).stdout(Stdio::null()).stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    Some(if has("postgres") { "postgres" } else { "nobody" }.to_owned())
}

/// `program args…`, as the server's account.
fn as_server(user: Option<&str>, program: &Path) -> Command {
    match user {
        Some(u) => {
            let mut c = Command::new("runuser");
            c.arg("-u").arg(u).arg("--").arg(program);
            c
        }
        None => Command::new(program),
    }
}

fn start() -> Cluster {
    let bin = bindir();
    let user = server_user();
    let base = tempfile::Builder::new().prefix("vk-pg-").tempdir().expect("temp dir").keep();
    if let Some(u) = &user {
        let status = Command::new("chown").arg(format!("{u}:")).arg(&base).status().unwrap();
        assert!(status.success(), "chown {u} {}", base.display());
    }
    let data = base.join("data");
    let out = as_server(user.as_deref(), &bin.join("initdb"))
        .args(["-D"])
        .arg(&data)
        .args(["-U", "vk", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"])
        .output()
        .expect("initdb runs");
    assert!(out.status.success(), "initdb failed: {}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    for _ in 0..5 {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let log = base.join(format!("server-{port}.log"));
        // the shell stops the server and removes the directory when its standard input closes
        let script = format!(
            "'{postgres}' -D '{data}' -p {port} -k '{base}' -h 127.0.0.1 -c fsync=off -c full_page_writes=off -c max_connections=300 \
             >'{log}' 2>&1 & pid=$!; cat >/dev/null; kill -INT $pid; wait $pid; rm -rf '{base}'",
            postgres = bin.join("postgres").display(),
            data = data.display(),
            base = base.display(),
            log = log.display(),
        );
        let mut child = as_server(user.as_deref(), Path::new("/bin/sh"))
            .arg("-c")
            .arg(&script)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts");
        let stdin = child.stdin.take().unwrap();
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if postgres::Client::connect(&format!("postgres://vk@127.0.0.1:{port}/postgres?connect_timeout=2"), postgres::NoTls).is_ok() {
                return Cluster { port, _stdin: Mutex::new(stdin), _child: Mutex::new(child) };
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let mut text = String::new();
        let _ = std::fs::File::open(&log).and_then(|mut f| f.read_to_string(&mut text));
        drop(stdin);
        let _ = child.wait();
        if !text.contains("could not bind") && !text.contains("in use") {
            panic!("PostgreSQL did not start on port {port}: {text}");
        }
    }
    panic!("PostgreSQL did not start on a free port");
}

/// The cluster of this test process (started on first use).
pub fn cluster() -> &'static Cluster {
    CLUSTER.get_or_init(start)
}

/// A fresh, empty database on the cluster; its URL.
pub fn database() -> String {
    let c = cluster();
    let name = format!("t{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::SeqCst));
    let mut admin = postgres::Client::connect(&format!("postgres://vk@127.0.0.1:{}/postgres", c.port), postgres::NoTls).unwrap();
    admin.batch_execute(&format!("CREATE DATABASE {name}")).unwrap();
    format!("postgres://vk@127.0.0.1:{}/{name}", c.port)
}

/// Settings of the state on a fresh database.
pub fn settings() -> vardkatalog::state::PostgresSettings {
    vardkatalog::state::PostgresSettings::new(database())
}
