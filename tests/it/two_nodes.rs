//! Two web nodes over shared engines: one Oxigraph server (the record store) and one
//! PostgreSQL database (the state), both started by the tests (`oxigraph_server`,
//! `postgres_server`), and two real `vardkatalog serve` processes on free ports, each with a
//! data directory of its own that ends up holding nothing but its search index.
//!
//! What a load balancer in front of them relies on: a session made on one node works on the
//! other; what one node publishes is found by the other's search within seconds; two saves of
//! one form from the same revision through both nodes give one success and one 409; an API
//! token made on one node works on the other, and the same `PUT` with the same `If-Match` sent
//! to both at once gives one 2xx and one 412; a node
//! killed (`kill -9`) in the middle of a batch write leaves the batch all there or not there;
//! a scheduled harvest source runs once across the nodes, not once per node.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::blocking::Response;

use crate::curation::form_fields;
use crate::fixture_server::{FixtureServer, Reply, serve};
use crate::oxigraph_server::OxigraphServer;
use crate::support::{BASE, Browser, PASSWORD};

/// The shared engines and a configuration file both nodes read.
struct Engines {
    oxigraph: OxigraphServer,
    state_url: String,
    config: PathBuf,
    _dir: tempfile::TempDir,
}

impl Engines {
    /// Engines with the harvest sources of `sources` (TOML `[[harvest.sources]]` tables).
    fn start(sources: &str) -> Self {
        let oxigraph = OxigraphServer::start();
        let state_url = crate::postgres_server::database();
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("vardkatalog.toml");
        std::fs::write(&config, format!("[harvest]\nallow_private = [\"127.0.0.1/32\"]\n\n{sources}")).unwrap();
        Self { oxigraph, state_url, config, _dir: dir }
    }

    /// A `vardkatalog` command as a node of this catalogue, over `data_dir`.
    fn command(&self, data_dir: &Path) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
        cmd.arg("--config")
            .arg(&self.config)
            .env("VARDKATALOG_DATA_DIR", data_dir)
            .env("VARDKATALOG_BASE_IRI", BASE)
            .env("VARDKATALOG_STORE_QUERY_URL", self.oxigraph.url("/query"))
            .env("VARDKATALOG_STORE_UPDATE_URL", self.oxigraph.url("/update"))
            .env("VARDKATALOG_STATE_URL", &self.state_url)
            .env_remove("VARDKATALOG_BIND")
            .env_remove("VARDKATALOG_FAULT")
            .current_dir(data_dir);
        cmd
    }

    fn add_user(&self, name: &str, role: &str) {
        let dir = tempfile::tempdir().unwrap();
        let mut child = self
            .command(dir.path())
            .args(["user", "add", name, "--role", role, "--password-stdin"])
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(child.stdin.as_mut().unwrap(), format!("{PASSWORD}\n").as_bytes()).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "user add {name}: {}", String::from_utf8_lossy(&out.stderr));
    }

    /// The state database, as the tests read it (harvest runs, leases).
    fn state(&self) -> vardkatalog::state::State {
        vardkatalog::state::State::connect(&vardkatalog::state::PostgresSettings::new(self.state_url.clone())).unwrap()
    }
}

/// A running `vardkatalog serve` node.
struct Node {
    child: Child,
    addr: String,
}

impl Node {
    fn start(engines: &Engines, data_dir: &Path) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let log = std::fs::File::create(data_dir.with_extension("log")).unwrap();
        let child = engines.command(data_dir).args(["serve", "--bind", &addr]).stdout(Stdio::null()).stderr(log).spawn().unwrap();
        let mut node = Self { child, addr };
        let started = Instant::now();
        loop {
            if reqwest::blocking::get(format!("http://{}/healthz", node.addr)).is_ok_and(|r| r.status().is_success()) {
                return node;
            }
            if let Some(status) = node.child.try_wait().unwrap() {
                panic!("the node ended ({status}): {}", std::fs::read_to_string(data_dir.with_extension("log")).unwrap_or_default());
            }
            assert!(started.elapsed() < Duration::from_secs(180), "the node did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    fn browser(&self, name: &str) -> Browser {
        let b = Browser::at(&self.addr);
        let csrf = b.csrf();
        let res = b.post_form("/login", &[("csrf", &csrf), ("namn", name), ("losenord", PASSWORD), ("next", "/")]);
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{name} signs in");
        b
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// `kill -9`, and wait for the process to be gone.
    fn kill9(&mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// SIGTERM, as an orchestrator stops a node, and wait (up to a minute) for exit status 0.
    fn stop(mut self) {
        let pid = self.child.id().to_string();
        assert!(std::process::Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
        let started = std::time::Instant::now();
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            assert!(started.elapsed() < std::time::Duration::from_secs(60), "the node did not stop on SIGTERM");
            std::thread::sleep(std::time::Duration::from_millis(50));
        };
        assert!(status.success(), "a node stops with status 0: {status}");
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Two node data directories in one temporary directory.
fn node_dirs() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(&a).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    (dir, a, b)
}

/// The entries of a data directory.
fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

fn text(res: reqwest::blocking::Response) -> String {
    res.text().unwrap()
}

/// Creates a variable draft through `node`'s form, as `editor`.
fn new_variable(editor: &Browser, id: &str, label: &str) {
    let html = editor.get("/variable/ny").text().unwrap();
    let mut f: Vec<(String, String)> =
        form_fields(&html, "/variable/ny").into_iter().filter(|(k, _)| k != "id" && k != "benamning_sv" && k != "tekniskt_namn").collect();
    f.push(("id".into(), id.into()));
    f.push(("benamning_sv".into(), label.into()));
    f.push(("tekniskt_namn".into(), id.to_uppercase().replace('-', "_")));
    f.push(("datamangd".into(), format!("{BASE}dataset/patientregistret")));
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = editor.post_form("/variable/ny", &pairs);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", text(res));
}

#[test]
fn sessions_searches_and_conflicting_saves_span_two_nodes() {
    let engines = Engines::start("");
    engines.add_user("anna", "redaktor");
    engines.add_user("bo", "redaktor");
    engines.add_user("granskare", "granskare");
    let (_keep, dir_a, dir_b) = node_dirs();
    let a = Node::start(&engines, &dir_a);
    let b = Node::start(&engines, &dir_b);
    assert!(!entries(&dir_a).is_empty(), "the node keeps its index");

    // a session made on A works on B, and signing out on B ends it on A too
    let anna_a = a.browser("anna");
    let anna_b = anna_a.same_cookies_at(&b.addr);
    let work = text(anna_b.get("/arbete"));
    assert!(work.contains("anna"), "B knows the session A made");
    let other = b.browser("bo");
    let csrf = other.csrf();
    assert_eq!(other.post_form("/logout", &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER);
    let bo_on_a = other.same_cookies_at(&a.addr);
    assert_ne!(bo_on_a.get("/arbete").status(), StatusCode::OK, "a session ended on B is over on A");

    // a variable saved through A and published there is found by B's search within 10 s
    new_variable(&anna_a, "tvanod-variabel", "Zyxtvanod variabel");
    let csrf = anna_a.csrf();
    assert_eq!(anna_a.post_form("/variable/tvanod-variabel/skicka", &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER);
    let reviewer = a.browser("granskare");
    let csrf = reviewer.csrf();
    let res = reviewer.post_form("/variable/tvanod-variabel/publicera", &[("csrf", &csrf), ("andringsnotering", "Första versionen")]);
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", text(res));
    let published = Instant::now();
    loop {
        let body = text(reqwest::blocking::get(b.url("/api/v1/search?q=zyxtvanod")).unwrap());
        if body.contains("tvanod-variabel") {
            break;
        }
        assert!(published.elapsed() < Duration::from_secs(10), "B's search did not find what A published within 10 s: {body}");
        std::thread::sleep(Duration::from_millis(200));
    }
    let page = reqwest::blocking::get(b.url("/variable/tvanod-variabel")).unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(text(page).contains("Zyxtvanod variabel"), "B shows the record");

    // the same form, from the same revision, saved through both nodes at once: one 303, one 409
    let path = "/variable/par-hdia/redigera";
    let bo_b = b.browser("bo");
    for round in 0..3 {
        let f1 = form_fields(&anna_a.get(path).text().unwrap(), path);
        let f2 = form_fields(&bo_b.get(path).text().unwrap(), path);
        assert_eq!(f1.iter().find(|(k, _)| k == "grund"), f2.iter().find(|(k, _)| k == "grund"), "both start from the same revision");
        let with = |fields: &[(String, String)], value: &str| -> Vec<(String, String)> {
            fields.iter().map(|(k, v)| if k == "definition_sv" { (k.clone(), value.to_owned()) } else { (k.clone(), v.clone()) }).collect()
        };
        let (f1, f2) = (with(&f1, &format!("Annas definition {round}")), with(&f2, &format!("Bos definition {round}")));
        let post = |br: &Browser, f: &[(String, String)]| {
            let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            br.post_form(path, &pairs).status()
        };
        let (r1, r2) = std::thread::scope(|s| {
            let h1 = s.spawn(|| post(&anna_a, &f1));
            let h2 = s.spawn(|| post(&bo_b, &f2));
            (h1.join().unwrap(), h2.join().unwrap())
        });
        let mut statuses = [r1, r2];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::CONFLICT], "round {round}: one saves, the other is told");
    }

    // stateless: the store and the state are elsewhere; a stopped node kept only its search index
    // (the control channel's file lives while the node runs)
    a.stop();
    b.stop();
    assert_eq!(entries(&dir_a), ["index"], "node A's data directory");
    assert_eq!(entries(&dir_b), ["index"], "node B's data directory");
}

/// A `token` command sent to `node` through its own control channel (its data directory): the
/// standard output.
fn token_command(engines: &Engines, data_dir: &Path, args: &[&str]) -> String {
    let out = engines.command(data_dir).arg("token").args(args).stdin(Stdio::null()).output().unwrap();
    assert!(out.status.success(), "token {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

/// An API request with a bearer token.
fn api(node: &Node, method: &str, path: &str, token: &str, if_match: Option<&str>, body: Option<&serde_json::Value>) -> Response {
    let mut req =
        crate::support::client().request(method.parse().unwrap(), node.url(path)).header("authorization", format!("Bearer {token}"));
    if let Some(tag) = if_match {
        req = req.header("if-match", tag);
    }
    if let Some(b) = body {
        req = req.header("content-type", "application/json").body(b.to_string());
    }
    req.send().unwrap()
}

#[test]
fn api_tokens_and_if_match_span_two_nodes() {
    let engines = Engines::start("");
    engines.add_user("anna", "redaktor");
    let (_keep, dir_a, dir_b) = node_dirs();
    let a = Node::start(&engines, &dir_a);
    let b = Node::start(&engines, &dir_b);

    // a token made on node A (through A's control channel) works on node B
    let token = token_command(&engines, &dir_a, &["create", "--user", "anna"]).trim().to_owned();
    assert!(token.starts_with("vk1_"), "{token}");
    let path = "/api/v1/variables/par-hdia";
    let res = api(&b, "GET", path, &token, None, None);
    assert_eq!(res.status(), StatusCode::OK);
    let nobody =
        api(&b, "POST", &format!("{path}/submit"), "vk1_0000000000000000000000000000000000000000000000000000000000000000", None, None);
    assert_eq!(nobody.status(), StatusCode::UNAUTHORIZED, "B refuses a token no node made");

    // the same PUT with the same If-Match, sent to both nodes at once: one 2xx and one 412
    for round in 0..5 {
        let res = api(&a, "GET", path, &token, None, None);
        let tag = res.headers()["etag"].to_str().unwrap().to_owned();
        let mut doc: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
        let iri = doc["iri"].as_str().unwrap().to_owned();
        let labels = doc["graph"][&iri]["http://www.w3.org/2004/02/skos/core#prefLabel"].as_array_mut().unwrap();
        for v in labels.iter_mut().filter(|v| v["lang"] == "sv") {
            v["value"] = serde_json::json!(format!("Huvuddiagnos, omgång {round}"));
        }
        let put = |node: &Node| api(node, "PUT", path, &token, Some(&tag), Some(&doc)).status();
        let (ra, rb) = std::thread::scope(|s| {
            let ha = s.spawn(|| put(&a));
            let hb = s.spawn(|| put(&b));
            (ha.join().unwrap(), hb.join().unwrap())
        });
        let mut statuses = [ra, rb];
        statuses.sort();
        assert_eq!(statuses, [StatusCode::OK, StatusCode::PRECONDITION_FAILED], "round {round}: one saves, the other is told");
        // both nodes now answer the new revision
        let (ta, tb) = (api(&a, "GET", path, &token, None, None), api(&b, "GET", path, &token, None, None));
        assert_eq!(ta.headers()["etag"], tb.headers()["etag"]);
        assert_ne!(ta.headers()["etag"].to_str().unwrap(), tag);
    }

    // revoked through B's channel: A refuses it at once
    let list = token_command(&engines, &dir_b, &["list"]);
    let id = list.lines().find(|l| l.split('\t').nth(1) == Some("anna")).unwrap().split('\t').next().unwrap().to_owned();
    token_command(&engines, &dir_b, &["revoke", &id]);
    let res = api(&a, "POST", &format!("{path}/submit"), &token, None, Some(&serde_json::json!({})));
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "a token revoked on B is refused by A");
    a.stop();
    b.stop();
}

/// A DCAT document of `n` datasets `{prefix}-{i}`.
fn datasets(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| {
            format!(
                "<https://kalla.example.se/{prefix}/{i}> a <http://www.w3.org/ns/dcat#Dataset> ; \
                 <http://purl.org/dc/terms/title> \"Batch {prefix} {i}\"@sv ; <http://purl.org/dc/terms/identifier> \"{prefix}-{i}\" .\n"
            )
        })
        .collect()
}

/// How many datasets of `prefix` the public catalogue of `node` holds (SPARQL).
fn public_count(node: &Node, prefix: &str) -> usize {
    let query = format!(
        "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE {{ ?d <http://purl.org/dc/terms/identifier> ?id FILTER(STRSTARTS(?id, \"{prefix}-\")) }}"
    );
    let res = crate::support::client()
        .get(format!("{}?{}", node.url("/sparql"), serde_urlencoded::to_string([("query", query.as_str())]).unwrap()))
        .header("accept", "application/sparql-results+json")
        .send()
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&res.text().unwrap()).unwrap();
    json["results"]["bindings"][0]["n"]["value"].as_str().unwrap().parse().unwrap()
}

#[test]
fn a_node_killed_during_a_batch_write_leaves_all_of_it_or_nothing() {
    const N: usize = 150;
    const TRIALS: usize = 5;
    let fixture: FixtureServer = serve(|target| match target.strip_prefix("/batch/") {
        Some(prefix) => Reply::ok("text/turtle", datasets(prefix, N)),
        None => Reply::not_found(),
    });
    let sources: String = (0..TRIALS)
        .map(|t| {
            format!("[[harvest.sources]]\nid = \"batch-{t}\"\nkind = \"dcat\"\nurl = \"{}\"\n\n", fixture.url(&format!("/batch/b{t}")))
        })
        .collect();
    let engines = Engines::start(&sources);
    engines.add_user("admin", "admin");
    let (_keep, dir_a, dir_b) = node_dirs();
    let mut a = Node::start(&engines, &dir_a);
    let b = Node::start(&engines, &dir_b);
    let mut seen = Vec::new();
    for trial in 0..TRIALS {
        let admin = a.browser("admin");
        let csrf = admin.csrf();
        let before = fixture.requests().len();
        let res = admin.post_form(&format!("/admin/hamtning/kor/batch-{trial}"), &[("csrf", &csrf)]);
        assert!(res.status().is_success() || res.status().is_redirection(), "the run starts: {}", res.status());
        // killed at a later moment each trial once the source has been read: while the run
        // compares, while its one update request is on its way, or after it
        let started = Instant::now();
        while fixture.requests().len() == before {
            assert!(started.elapsed() < Duration::from_secs(30), "the run never read its source");
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis([0, 40, 120, 300, 900][trial]));
        a.kill9();
        let n = public_count(&b, &format!("b{trial}"));
        assert!(n == 0 || n == N, "trial {trial}: the killed node left {n} of {N} records of one batch");
        seen.push(n);
        a = Node::start(&engines, &dir_a);
    }
    eprintln!("records present after each kill: {seen:?}");
}

#[test]
fn a_scheduled_source_runs_once_across_two_nodes() {
    let fixture = serve(|target| match target {
        "/tidtabell" => Reply::ok("text/turtle", datasets("tidtabell", 3)),
        _ => Reply::not_found(),
    });
    let sources =
        format!("[[harvest.sources]]\nid = \"tidtabell\"\nkind = \"dcat\"\nurl = \"{}\"\nschedule = \"1h\"\n", fixture.url("/tidtabell"));
    let engines = Engines::start(&sources);
    let (_keep, dir_a, dir_b) = node_dirs();
    // both nodes start at once; the source has never run, so it is due
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| Node::start(&engines, &dir_a));
        let b = s.spawn(|| Node::start(&engines, &dir_b));
        (a.join().unwrap(), b.join().unwrap())
    });
    let state = engines.state();
    let finished = |state: &vardkatalog::state::State| -> Vec<vardkatalog::state::harvest::RunReport> {
        state.harvest.runs(Some("tidtabell"), 100).unwrap()
    };
    let wait_for = |count: usize| {
        let started = Instant::now();
        loop {
            let runs = finished(&state);
            if runs.len() >= count && runs.iter().all(|r| r.finished.is_some()) {
                break;
            }
            assert!(started.elapsed() < Duration::from_secs(60), "no scheduled run within a minute: {runs:?}");
            std::thread::sleep(Duration::from_millis(100));
        }
        // both nodes look several more times; none runs it again
        std::thread::sleep(vardkatalog::harvest::schedule::POLL * 3);
        finished(&state)
    };
    let runs = wait_for(1);
    assert_eq!(runs.len(), 1, "one run across both nodes: {runs:?}");
    assert_eq!(runs[0].new, 3, "{runs:?}");
    assert_eq!(public_count(&b, "tidtabell"), 3);
    // an interval later (the lease made to expire now), both nodes race for it: one runs it
    let mut c = ::postgres::Client::connect(&engines.state_url, ::postgres::NoTls).unwrap();
    assert_eq!(c.execute("UPDATE leases SET expires = now() WHERE name = 'harvest-schedule:tidtabell'", &[]).unwrap(), 1);
    let runs = wait_for(2);
    assert_eq!(runs.len(), 2, "one more run across both nodes: {runs:?}");
    assert_eq!(runs[0].unchanged, 3, "{runs:?}");
    drop((a, b));
}

#[test]
fn a_source_runs_on_one_node_at_a_time() {
    let fixture = serve(|target| match target {
        "/langsam" => Reply::ok("text/turtle", datasets("langsam", 2)).after(Duration::from_millis(1500)),
        _ => Reply::not_found(),
    });
    let sources = format!("[[harvest.sources]]\nid = \"langsam\"\nkind = \"dcat\"\nurl = \"{}\"\n", fixture.url("/langsam"));
    let engines = Engines::start(&sources);
    engines.add_user("admin", "admin");
    let (_keep, dir_a, dir_b) = node_dirs();
    let a = Node::start(&engines, &dir_a);
    let b = Node::start(&engines, &dir_b);
    let (admin_a, admin_b) = (a.browser("admin"), b.browser("admin"));
    let start = |admin: &Browser| {
        let csrf = admin.csrf();
        admin.post_form("/admin/hamtning/kor/langsam", &[("csrf", &csrf)]).status()
    };
    // started on both nodes at once: one runs it, the other says a run is going
    let (ra, rb) = std::thread::scope(|s| {
        let ha = s.spawn(|| start(&admin_a));
        let hb = s.spawn(|| start(&admin_b));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    let mut statuses = [ra, rb];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::ACCEPTED, StatusCode::CONFLICT], "one node runs the source");
    // once it ended, the other node may run it
    let state = engines.state();
    let started = Instant::now();
    while !state.harvest.runs(Some("langsam"), 10).unwrap().iter().all(|r| r.finished.is_some()) {
        assert!(started.elapsed() < Duration::from_secs(60), "the run did not end");
        std::thread::sleep(Duration::from_millis(100));
    }
    let other = if ra == StatusCode::ACCEPTED { &admin_b } else { &admin_a };
    let mut status = start(other);
    // the lease is given up by the ending run's own thread, a moment after the report
    for _ in 0..20 {
        if status == StatusCode::ACCEPTED {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
        status = start(other);
    }
    assert_eq!(status, StatusCode::ACCEPTED, "the other node runs it after");
    assert_eq!(public_count(&a, "langsam"), 2);
}
