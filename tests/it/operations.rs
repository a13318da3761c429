//! Running it as a service: every command while `serve` holds the data directory (through the
//! control channel), online backup and restore, `/metrics`, `/healthz`, `/readyz`, request ids,
//! and a graceful stop on SIGTERM. Servers are the real binary on 127.0.0.1 and a free port.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use vardkatalog::accounts::tokens::TokenRefusal;
use vardkatalog::accounts::{Accounts, Role};

use crate::support::{BASE, PASSWORD, client};

/// A `vardkatalog` command on a data directory, run from another directory (as an operator's
/// shell would be).
fn vardkatalog(data: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
    cmd.env("VARDKATALOG_DATA_DIR", data)
        .env("VARDKATALOG_BASE_IRI", BASE)
        .env_remove("VARDKATALOG_CONFIG")
        .env_remove("VARDKATALOG_BIND")
        .env_remove("VARDKATALOG_FAULT")
        .current_dir(data.parent().unwrap());
    cmd
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Runs a command and asserts it succeeded.
fn ok(data: &Path, args: &[&str]) -> Output {
    let out = vardkatalog(data).args(args).stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "{args:?}: {}\n{}", text(&out.stdout), text(&out.stderr));
    out
}

fn add_user(data: &Path, name: &str, role: &str) -> Output {
    let mut child = vardkatalog(data)
        .args(["user", "add", name, "--role", role, "--password-stdin"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// The names in `user list`.
fn users(data: &Path) -> BTreeSet<String> {
    text(&ok(data, &["user", "list"]).stdout).lines().map(|l| l.split('\t').next().unwrap().to_owned()).collect()
}

/// A running `vardkatalog serve`.
struct Serve {
    child: Option<Child>,
    addr: String,
    data: PathBuf,
}

impl Serve {
    fn start(data: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let child = vardkatalog(data).args(["serve", "--bind", &addr]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        let mut s = Self { child: Some(child), addr, data: data.to_path_buf() };
        let started = Instant::now();
        loop {
            if let Some(status) = s.child.as_mut().unwrap().try_wait().unwrap() {
                panic!("serve exited with {status} before it answered");
            }
            if client().get(s.url("/healthz")).send().is_ok_and(|r| r.status().is_success()) && s.data.join("control.json").exists() {
                return s;
            }
            assert!(started.elapsed() < Duration::from_secs(180), "serve never answered");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn pid(&self) -> u32 {
        self.child.as_ref().unwrap().id()
    }

    fn get(&self, path: &str) -> String {
        let res = client().get(self.url(path)).send().unwrap();
        assert!(res.status().is_success(), "{path}: {}", res.status());
        res.text().unwrap()
    }

    /// SIGTERM, then the exit status.
    fn terminate(mut self) -> std::process::ExitStatus {
        sigterm(self.pid());
        wait_exit(self.child.as_mut().unwrap(), Duration::from_secs(60))
    }

    fn kill9(mut self) {
        let mut child = self.child.take().unwrap();
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn sigterm(pid: u32) {
    assert!(Command::new("kill").args(["-TERM", &pid.to_string()]).status().unwrap().success());
}

fn wait_exit(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(started.elapsed() < limit, "the process did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn data_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    (dir, data)
}

/// A Turtle file of one dataset, in a directory other than the data directory.
fn dataset_file(dir: &Path, id: &str) -> PathBuf {
    let path = dir.join(format!("{id}.ttl"));
    std::fs::write(
        &path,
        format!(
            "@prefix dct: <http://purl.org/dc/terms/> .\n<{BASE}dataset/{id}> a <http://www.w3.org/ns/dcat#Dataset> ; dct:title \"{id}\"@sv .\n"
        ),
    )
    .unwrap();
    path
}

#[test]
fn every_command_works_while_serve_holds_the_data_directory() {
    let (dir, data) = data_dir();
    let server = Serve::start(&data);

    // the control file is the owner's only, and names a loopback address
    let control: serde_json::Value = serde_json::from_slice(&std::fs::read(data.join("control.json")).unwrap()).unwrap();
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(data.join("control.json")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600, "control.json is 0600");
    }
    let control_addr = control["addr"].as_str().unwrap().to_owned();
    assert!(control_addr.starts_with("127.0.0.1:"), "{control_addr}");

    // accounts
    let out = add_user(&data, "operator", "admin");
    assert!(out.status.success(), "user add while serving: {}", text(&out.stderr));
    assert!(text(&out.stdout).contains("added operator (admin)"), "{}", text(&out.stdout));
    assert!(!text(&out.stderr).to_lowercase().contains("serve"), "nothing about stopping serve: {}", text(&out.stderr));
    let again = add_user(&data, "operator", "admin");
    assert_eq!(again.status.code(), Some(1), "an error keeps its exit status through the channel");
    assert!(text(&again.stderr).contains("operator"), "{}", text(&again.stderr));
    assert_eq!(users(&data), BTreeSet::from(["operator".to_owned()]));
    // the running server sees the account at once: it signs in
    let b = crate::support::Browser::at(&server.addr);
    let csrf = b.csrf();
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", "operator"), ("losenord", PASSWORD), ("next", "/")]);
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER, "the account added through the channel signs in");

    // API tokens: issued through the channel (printed once, on standard output), listed,
    // revoked; the running server takes a token at once and stops taking it at once
    let out = ok(&data, &["token", "create", "--user", "operator", "--expires-days", "30"]);
    let secret = text(&out.stdout).trim().to_owned();
    assert!(secret.starts_with("vk1_") && secret.len() == 68, "only the token on standard output: {secret}");
    assert!(text(&out.stderr).contains("shown only now"), "{}", text(&out.stderr));
    let step = |secret: &str| {
        client()
            .post(server.url("/api/v1/variables/finns-inte/submit"))
            .header("authorization", format!("Bearer {secret}"))
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .unwrap()
            .status()
    };
    assert_eq!(step(&secret), reqwest::StatusCode::NOT_FOUND, "the token is taken: the record is what is missing");
    let list = text(&ok(&data, &["token", "list"]).stdout);
    let line = list.lines().find(|l| l.split('\t').nth(1) == Some("operator")).unwrap_or_else(|| panic!("{list}"));
    let id = line.split('\t').next().unwrap().to_owned();
    assert!(!list.contains(&secret), "the list never shows a token");
    assert!(text(&ok(&data, &["token", "revoke", &id]).stdout).contains(&format!("revoked token {id} of operator")));
    assert_eq!(step(&secret), reqwest::StatusCode::UNAUTHORIZED, "revoked through the channel: refused at once");
    let out = vardkatalog(&data).args(["token", "create", "--user", "finns-inte"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "an unknown account: {}", text(&out.stderr));
    assert!(text(&out.stdout).is_empty() && text(&out.stderr).contains("finns-inte"), "{}", text(&out.stderr));

    // import: the file is read here and sent; a relative path from the operator's directory
    dataset_file(dir.path(), "under-drift");
    let out = ok(&data, &["import", "under-drift.ttl"]);
    assert!(text(&out.stdout).contains("1 new"), "{}", text(&out.stdout));
    assert_eq!(client().get(server.url("/dataset/under-drift")).send().unwrap().status(), 200, "served at once");
    let broken = dir.path().join("trasig.ttl");
    std::fs::write(&broken, "<a> <b> .\n").unwrap();
    let out = vardkatalog(&data).args(["import", "trasig.ttl"]).output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("unchanged"), "{}", text(&out.stderr));

    // reindex, quality, harvest history, export to standard output and to a file, backup
    assert!(text(&ok(&data, &["reindex"]).stdout).contains("rebuilt the search index"));
    assert!(text(&ok(&data, &["quality", "--json"]).stdout).contains("datasets"));
    assert!(text(&ok(&data, &["harvest", "--history"]).stdout).contains("no harvest runs yet"));
    let nt = text(&ok(&data, &["export", "--format", "nt"]).stdout);
    assert!(nt.contains(&format!("<{BASE}dataset/under-drift>")), "export sees the import");
    ok(&data, &["export", "--format", "ttl", "--output", "katalog.ttl"]);
    assert!(std::fs::read_to_string(dir.path().join("katalog.ttl")).unwrap().contains("under-drift"));
    let out = ok(&data, &["backup", "sakerhetskopia"]);
    assert!(text(&out.stdout).contains("backup of generation"), "{}", text(&out.stdout));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(dir.path().join("sakerhetskopia/manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["format"], "vardkatalog-backup/1");

    // the imports that came through the channel are counted by the server
    let metrics = parse_prometheus(&server.get("/metrics")).unwrap();
    assert_eq!(sample(&metrics, "vardkatalog_imports_total", &[("kind", "rdf"), ("outcome", "saved")]), Some(1.0));
    assert_eq!(sample(&metrics, "vardkatalog_imports_total", &[("kind", "rdf"), ("outcome", "refused")]), Some(1.0));

    // the channel is not on the public listener, and wants the secret
    let http = client();
    assert_eq!(http.post(server.url("/_control/run")).body("{}\n").send().unwrap().status(), 404);
    let res = http.post(format!("http://{control_addr}/_control/run")).body("{\"args\":[\"user\",\"list\"]}\n").send().unwrap();
    assert_eq!(res.status(), 403, "no secret");
    let res = http
        .post(format!("http://{control_addr}/_control/run"))
        .header("x-vardkatalog-control", "0".repeat(64))
        .body("{\"args\":[\"user\",\"list\"]}\n")
        .send()
        .unwrap();
    assert_eq!(res.status(), 403, "a wrong secret");

    // a clean stop removes the control file and the data directory is whole
    let status = server.terminate();
    assert!(status.success(), "serve exits 0 on SIGTERM: {status}");
    assert!(!data.join("control.json").exists(), "the control file is removed");
    assert_eq!(users(&data), BTreeSet::from(["operator".to_owned()]), "a command opens the data directory itself again");

    // a server killed outright leaves a stale control file behind: commands see it is stale
    let server = Serve::start(&data);
    server.kill9();
    assert!(data.join("control.json").exists());
    assert_eq!(users(&data), BTreeSet::from(["operator".to_owned()]), "a stale control file is ignored");
}

/// The lines of `/catalog.nt` with the catalogue's own modification time left out (it follows
/// the newest record).
fn catalogue_lines(nt: &str) -> BTreeSet<String> {
    nt.lines().filter(|l| !(l.starts_with(&format!("<{BASE}catalog> ")) && l.contains("/modified>"))).map(str::to_owned).collect()
}

#[test]
fn a_backup_taken_during_writes_restores_the_catalogue_and_the_accounts_of_its_generation() {
    let (dir, data) = data_dir();
    let server = Serve::start(&data);
    let generation_before: u64 = {
        let metrics = server.get("/metrics");
        parse_prometheus(&metrics).unwrap()["vardkatalog_store_generation"][0].1 as u64
    };
    // an API token issued through the channel before the backup
    assert!(add_user(&data, "maskin", "redaktor").status.success());
    let secret = text(&ok(&data, &["token", "create", "--user", "maskin"]).stdout).trim().to_owned();
    let ids: Vec<String> = (0..8).map(|i| format!("backup-{i}")).collect();
    for id in &ids {
        dataset_file(dir.path(), id);
    }
    // writers: imports one after the other, accounts one after the other, both while the
    // backup is taken
    let (imports, accounts) = std::thread::scope(|s| {
        let importer = s.spawn(|| {
            for id in &ids {
                ok(&data, &["import", &format!("{id}.ttl")]);
            }
        });
        let adder = s.spawn(|| {
            for i in 0..6 {
                let out = add_user(&data, &format!("konto{i}"), "redaktor");
                assert!(out.status.success(), "{}", text(&out.stderr));
            }
        });
        std::thread::sleep(Duration::from_millis(300));
        ok(&data, &["backup", "kopia"]);
        importer.join().unwrap();
        adder.join().unwrap();
        (ids.len(), 6)
    });
    let manifest: serde_json::Value = serde_json::from_slice(&std::fs::read(dir.path().join("kopia/manifest.json")).unwrap()).unwrap();
    let generation = manifest["generation"].as_u64().unwrap();
    let source_nt = server.get("/catalog.nt");
    let mut source_users = users(&data);
    assert!(source_users.remove("maskin"));
    assert_eq!(source_users.len(), accounts);
    assert!(source_nt.contains(&format!("{BASE}dataset/backup-{}", imports - 1)));

    // restore refuses a data directory that is not empty, then restores into an empty one
    let out = vardkatalog(&data).args(["restore", "kopia"]).output().unwrap();
    assert!(!out.status.success() && text(&out.stderr).contains("not empty"), "{}", text(&out.stderr));
    let restored = dir.path().join("aterstalld");
    let out = ok(&restored, &["restore", "kopia"]);
    assert!(text(&out.stdout).contains(&format!("generation {generation}")), "{}", text(&out.stdout));
    let copy = Serve::start(&restored);
    let restored_nt = copy.get("/catalog.nt");
    let restored_generation = parse_prometheus(&copy.get("/metrics")).unwrap()["vardkatalog_store_generation"][0].1 as u64;
    assert_eq!(restored_generation, generation, "the restored store is at the backup's generation");

    // the source at the backup's generation: the imports that had committed by then (one
    // generation each, in order), the seed and nothing else
    let present: Vec<bool> = ids.iter().map(|id| restored_nt.contains(&format!("<{BASE}dataset/{id}>"))).collect();
    let n = present.iter().filter(|p| **p).count();
    assert!(present.iter().take(n).all(|p| *p), "the imports in the backup are the first ones: {present:?}");
    assert_eq!(generation - generation_before, n as u64, "one generation per import: {present:?}");
    let later: Vec<String> = ids[n..].iter().map(|id| format!("<{BASE}dataset/{id}>")).collect();
    let expected: BTreeSet<String> = catalogue_lines(&source_nt).into_iter().filter(|l| !later.iter().any(|iri| l.contains(iri))).collect();
    assert_eq!(catalogue_lines(&restored_nt), expected, "/catalog.nt of the restored directory is the source's at the backup's generation");

    // accounts: those added before the backup, in the order they were added
    let mut restored_users = users(&restored);
    assert!(restored_users.remove("maskin"), "the account of the token is there: {restored_users:?}");
    assert!(restored_users.is_subset(&source_users), "{restored_users:?} ⊆ {source_users:?}");
    let k = restored_users.len();
    assert!((0..k).all(|i| restored_users.contains(&format!("konto{i}"))), "a prefix of the accounts added: {restored_users:?}");
    // an account of the backup signs in on the restored server
    if let Some(name) = restored_users.iter().next() {
        let b = crate::support::Browser::at(&copy.addr);
        let csrf = b.csrf();
        let res = b.post_form("/login", &[("csrf", &csrf), ("namn", name), ("losenord", PASSWORD), ("next", "/")]);
        assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER);
    }
    // the token of the backup works on the restored server (the record is what is missing)
    let res = client()
        .post(copy.url("/api/v1/variables/finns-inte/submit"))
        .header("authorization", format!("Bearer {secret}"))
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::NOT_FOUND, "the token is in the restored state");
    assert!(text(&ok(&restored, &["token", "list"]).stdout).contains("\tmaskin\t"));
    // a new write on the restored directory gets fresh ids (nothing overwrites history)
    let out = add_user(&restored, "ny-efter-aterstallning", "redaktor");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(users(&restored).contains("ny-efter-aterstallning"));
}

/// The Prometheus text format (0.0.4), read strictly: every sample's family was declared by a
/// `# TYPE` line, names and label names are valid, label values are quoted and escaped, values
/// are numbers. Each sample name → its (labels, value) pairs.
type Samples = BTreeMap<String, Vec<(BTreeMap<String, String>, f64)>>;

fn parse_prometheus(body: &str) -> Result<Samples, String> {
    let name_re = regex::Regex::new(r"^[a-zA-Z_:][a-zA-Z0-9_:]*$").unwrap();
    let label_re = regex::Regex::new(r"^[a-zA-Z_][a-zA-Z0-9_]*$").unwrap();
    let mut types: BTreeMap<String, String> = BTreeMap::new();
    let mut out = Samples::new();
    for (n, line) in body.lines().enumerate() {
        let at = |m: &str| format!("line {}: {m}: {line}", n + 1);
        if line.is_empty() {
            continue;
        }
        if let Some(rest) = line.strip_prefix("# ") {
            let mut parts = rest.splitn(3, ' ');
            match (parts.next(), parts.next(), parts.next()) {
                (Some("TYPE"), Some(name), Some(kind)) => {
                    if !name_re.is_match(name) || !["counter", "gauge", "histogram", "summary", "untyped"].contains(&kind) {
                        return Err(at("a bad TYPE"));
                    }
                    types.insert(name.to_owned(), kind.to_owned());
                }
                (Some("HELP"), Some(name), _) if name_re.is_match(name) => {}
                _ => return Err(at("an unknown comment")),
            }
            continue;
        }
        let (name, rest) = match line.find(['{', ' ']) {
            Some(i) => (&line[..i], &line[i..]),
            None => return Err(at("no value")),
        };
        if !name_re.is_match(name) {
            return Err(at("a bad metric name"));
        }
        let family = ["_bucket", "_sum", "_count"]
            .iter()
            .find_map(|s| name.strip_suffix(s).filter(|f| types.get(*f).is_some_and(|t| t == "histogram" || t == "summary")))
            .unwrap_or(name);
        if !types.contains_key(family) {
            return Err(at("a sample before its TYPE"));
        }
        let mut labels = BTreeMap::new();
        let value_text = if let Some(body) = rest.strip_prefix('{') {
            let mut chars = body.char_indices().peekable();
            loop {
                let start = chars.peek().map(|(i, _)| *i).ok_or_else(|| at("unterminated labels"))?;
                if body[start..].starts_with('}') {
                    chars.next();
                    break;
                }
                let eq = body[start..].find('=').ok_or_else(|| at("a label without ="))? + start;
                let label = &body[start..eq];
                if !label_re.is_match(label) {
                    return Err(at("a bad label name"));
                }
                while chars.peek().is_some_and(|(i, _)| *i <= eq) {
                    chars.next();
                }
                if chars.next().map(|(_, c)| c) != Some('"') {
                    return Err(at("an unquoted label value"));
                }
                let mut value = String::new();
                loop {
                    match chars.next().map(|(_, c)| c) {
                        Some('\\') => match chars.next().map(|(_, c)| c) {
                            Some('n') => value.push('\n'),
                            Some('\\') => value.push('\\'),
                            Some('"') => value.push('"'),
                            _ => return Err(at("a bad escape")),
                        },
                        Some('"') => break,
                        Some(c) => value.push(c),
                        None => return Err(at("an unterminated label value")),
                    }
                }
                labels.insert(label.to_owned(), value);
                match chars.peek().map(|(_, c)| *c) {
                    Some(',') => {
                        chars.next();
                    }
                    Some('}') => {}
                    _ => return Err(at("labels not separated")),
                }
            }
            let end = chars.peek().map_or(body.len(), |(i, _)| *i);
            body[end..].trim()
        } else {
            rest.trim()
        };
        let value_text = value_text.split(' ').next().unwrap_or_default();
        let value = match value_text {
            "+Inf" => f64::INFINITY,
            "-Inf" => f64::NEG_INFINITY,
            "NaN" => f64::NAN,
            v => v.parse::<f64>().map_err(|_| at("a value that is not a number"))?,
        };
        out.entry(name.to_owned()).or_default().push((labels, value));
    }
    Ok(out)
}

fn sample(samples: &Samples, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    samples.get(name)?.iter().find(|(l, _)| labels.iter().all(|(k, v)| l.get(*k).map(String::as_str) == Some(*v))).map(|(_, v)| *v)
}

#[test]
fn the_parser_of_the_metrics_refuses_what_is_not_prometheus_text() {
    assert!(parse_prometheus("# TYPE a counter\na{b=\"c\"} 1\n").is_ok());
    assert!(parse_prometheus("a 1\n").is_err(), "no TYPE");
    assert!(parse_prometheus("# TYPE a counter\na{b=c} 1\n").is_err(), "unquoted");
    assert!(parse_prometheus("# TYPE a counter\na{b=\"c\"} x\n").is_err(), "not a number");
    assert!(parse_prometheus("<html>\n").is_err());
}

#[test]
fn metrics_parse_as_prometheus_text_and_move_with_requests() {
    let server = crate::support::start_server();
    let http = client();
    let scrape = || {
        let res = http.get(server.url("/metrics")).send().unwrap();
        assert_eq!(res.status(), 200);
        assert!(res.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
        parse_prometheus(&res.text().unwrap()).unwrap_or_else(|e| panic!("/metrics is not Prometheus text: {e}"))
    };
    let before = scrape();
    let count = |s: &Samples| {
        sample(s, "vardkatalog_http_requests_total", &[("route", "/om"), ("method", "GET"), ("status", "200")]).unwrap_or(0.0)
    };
    let histogram = |s: &Samples| sample(s, "vardkatalog_http_request_duration_seconds_count", &[("route", "/om")]).unwrap_or(0.0);
    for _ in 0..3 {
        assert_eq!(http.get(server.url("/om")).send().unwrap().status(), 200);
    }
    let after = scrape();
    assert!(count(&after) >= count(&before) + 3.0, "requests by route and status move: {} → {}", count(&before), count(&after));
    assert!(histogram(&after) >= histogram(&before) + 3.0, "the latency histogram moves");
    assert!(
        sample(&after, "vardkatalog_http_request_duration_seconds_bucket", &[("route", "/om"), ("le", "+Inf")]).is_some(),
        "the histogram has buckets"
    );
    // a path no route matches is one series, not one per path
    http.get(server.url("/finns/inte/alls-1")).send().unwrap();
    let s = scrape();
    assert!(sample(&s, "vardkatalog_http_requests_total", &[("route", "unmatched"), ("status", "404")]).is_some());
    assert!(!format!("{s:?}").contains("alls-1"), "no series per unknown path");
    // the catalogue's gauges
    assert!(sample(&s, "vardkatalog_store_generation", &[]).unwrap() >= 1.0);
    assert!(sample(&s, "vardkatalog_records", &[("kind", "dataset"), ("state", "published")]).unwrap() > 10.0);
    assert_eq!(sample(&s, "vardkatalog_records", &[("kind", "dataset"), ("state", "draft")]), Some(0.0));
    assert_eq!(sample(&s, "vardkatalog_search_index_lag_generations", &[]), Some(0.0));
}

#[test]
fn health_readiness_and_request_ids() {
    let server = crate::support::shared_server();
    let http = client();
    let res = http.get(server.url("/healthz")).send().unwrap();
    assert_eq!(res.status(), 200);
    let res = http.get(server.url("/readyz")).send().unwrap();
    assert_eq!(res.status(), 200);
    let body: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    assert_eq!(body["status"], "ready");
    assert_eq!(body["failing"], serde_json::json!({}));
    // a request id is echoed when sensible, made otherwise
    let res = http.get(server.url("/om")).header("X-Request-Id", "lb-4711.a").send().unwrap();
    assert_eq!(res.headers()["x-request-id"], "lb-4711.a");
    let res = http.get(server.url("/om")).header("X-Request-Id", "<script>").send().unwrap();
    let id = res.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(id.len() == 32 && id.bytes().all(|b| b.is_ascii_hexdigit()), "{id}");
    let other = http.get(server.url("/om")).send().unwrap().headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_ne!(id, other, "each request its own id");
}

#[test]
fn readiness_names_the_index_when_it_cannot_be_used() {
    // an index that holds no commit (here: in memory, never built) is named
    let (_dir, config) = crate::support::temp_config();
    let catalogue = std::sync::Arc::new(vardkatalog::catalog::Catalogue::new(
        std::sync::Arc::new(vardkatalog::store::EmbeddedStore::in_memory().unwrap()),
        vardkatalog::model::Minter::new(BASE),
        vardkatalog::search::SearchIndex::in_memory().unwrap(),
    ));
    let services = vardkatalog::services::Services::new(catalogue, vardkatalog::state::State::temporary().unwrap(), &config).unwrap();
    let problems = services.readiness();
    assert_eq!(problems.iter().map(|(p, _)| *p).collect::<Vec<_>>(), vec!["index"], "{problems:?}");
}

#[test]
fn sigterm_lets_a_request_under_way_finish_then_exits_0_with_the_data_intact() {
    let (_dir, data) = data_dir();
    let server = Serve::start(&data);
    let out = add_user(&data, "fore-stopp", "admin");
    assert!(out.status.success(), "{}", text(&out.stderr));
    // a request whose body is still arriving when the signal comes
    let body = "query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D";
    let mut conn = std::net::TcpStream::connect(&server.addr).unwrap();
    conn.set_read_timeout(Some(Duration::from_secs(60))).unwrap();
    write!(
        conn,
        "POST /sparql HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded\r\nAccept: application/sparql-results+json\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{}",
        server.addr,
        body.len(),
        &body[..10]
    )
    .unwrap();
    conn.flush().unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let pid = server.pid();
    let mut server = server;
    sigterm(pid);
    std::thread::sleep(Duration::from_millis(700));
    assert!(server.child.as_mut().unwrap().try_wait().unwrap().is_none(), "the server waits for the request under way");
    conn.write_all(&body.as_bytes()[10..]).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 200"), "the request finished: {answer}");
    assert!(answer.contains("\"boolean\":true") || answer.contains("\"boolean\": true"), "{answer}");
    let status = wait_exit(server.child.as_mut().unwrap(), Duration::from_secs(60));
    assert!(status.success(), "exit status 0 after SIGTERM: {status}");
    assert!(!data.join("control.json").exists());
    // the data directory is whole: the account is there, the catalogue opens without recovery
    assert!(users(&data).contains("fore-stopp"));
    let nt = text(&ok(&data, &["export", "--format", "nt"]).stdout);
    assert!(nt.contains(&format!("<{BASE}dataset/lisa>")));
}

#[test]
fn a_state_backup_is_whole_and_never_hands_out_an_id_twice() {
    let dir = tempfile::tempdir().unwrap();
    // a database opened before: sled starts its ids two million past the stored counter each
    // time it opens, so a copy must carry the counter over or hand out old ids again
    let state = vardkatalog::state::State::open(&dir.path().join("state")).unwrap();
    state.audit.record("test", "första", "mål-första", "").unwrap();
    drop(state);
    let state = vardkatalog::state::State::open(&dir.path().join("state")).unwrap();
    for i in 0..5 {
        state.audit.record("test", "handling", &format!("mål-{i}"), "").unwrap();
    }
    // API tokens: one in use, one revoked before the backup, one issued after it
    let accounts = Accounts::new(state.clone());
    accounts.add("test", "anna", Role::Redaktor, PASSWORD).unwrap();
    let (kept, kept_secret) = accounts.issue_token("test", "anna", Some(30)).unwrap();
    let (revoked, revoked_secret) = accounts.issue_token("test", "anna", None).unwrap();
    accounts.revoke_token("test", &revoked.id).unwrap();
    assert_eq!(state.audit.count().unwrap(), 10);
    state.backup(&dir.path().join("kopia")).unwrap();
    let (_, later_secret) = accounts.issue_token("test", "anna", None).unwrap();
    state.audit.record("test", "efter", "mål-efter", "").unwrap();
    drop((accounts, state));
    let copy = vardkatalog::state::State::open(&dir.path().join("kopia")).unwrap();
    let accounts = Accounts::new(copy.clone());
    assert_eq!(accounts.tokens().unwrap().iter().map(|t| t.id.clone()).collect::<Vec<_>>(), vec![kept.id.clone(), revoked.id]);
    let (actor, id) = accounts.token_actor(&kept_secret).unwrap().expect("a token of the backup works on the copy");
    assert_eq!((actor.user.as_str(), id), ("anna", kept.id));
    assert_eq!(accounts.token_actor(&revoked_secret).unwrap().unwrap_err(), TokenRefusal::Revoked, "a revocation is in the copy");
    assert_eq!(accounts.token_actor(&later_secret).unwrap().unwrap_err(), TokenRefusal::Unknown, "a token issued after it is not");
    drop(accounts);
    assert_eq!(copy.audit.count().unwrap(), 10, "the copy holds what was written before it, nothing after");
    // audit entries are keyed by sled ids: a new one must not overwrite an old one
    copy.audit.record("test", "ny", "mål-ny", "").unwrap();
    assert_eq!(copy.audit.count().unwrap(), 11, "a new entry overwrote an old one");
    let targets: BTreeSet<String> = copy.audit.newest(0, 10).unwrap().into_iter().map(|e| e.target).collect();
    assert!(targets.contains("mål-0") && targets.contains("mål-ny"), "{targets:?}");
}
