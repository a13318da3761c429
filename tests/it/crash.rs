//! Crashes of a real server on a real data directory: what was acknowledged survives `kill -9`,
//! and the record store and the history never disagree, whatever moment the process dies at.
//!
//! The server is the real binary (`vardkatalog serve`) on 127.0.0.1 and a free port. Crashes
//! come from outside (`kill -9` right after the answers) or from inside at the exact point
//! between the store commit and the history (`VARDKATALOG_FAULT`, see `vardkatalog::fault`).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;

use crate::curation::form_fields;
use crate::support::{BASE, Browser, PASSWORD};

/// A `vardkatalog` command on a data directory.
fn vardkatalog(dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
    cmd.env("VARDKATALOG_DATA_DIR", dir)
        .env("VARDKATALOG_BASE_IRI", BASE)
        .env_remove("VARDKATALOG_CONFIG")
        .env_remove("VARDKATALOG_BIND")
        .env_remove("VARDKATALOG_FAULT")
        .current_dir(dir);
    cmd
}

fn add_user(dir: &Path, name: &str, role: &str) {
    let mut child = vardkatalog(dir)
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

/// A running `vardkatalog serve`.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start(dir: &Path, fault: Option<&str>) -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let addr = format!("127.0.0.1:{port}");
        let mut cmd = vardkatalog(dir);
        cmd.args(["serve", "--bind", &addr]).stdout(Stdio::null()).stderr(Stdio::null());
        if let Some(f) = fault {
            cmd.env("VARDKATALOG_FAULT", f);
        }
        let child = cmd.spawn().unwrap();
        let server = Self { child, addr };
        let started = Instant::now();
        loop {
            if reqwest::blocking::get(format!("http://{}/healthz", server.addr)).is_ok_and(|r| r.status().is_success()) {
                return server;
            }
            assert!(started.elapsed() < Duration::from_secs(120), "the server did not start");
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

    /// `kill -9`, and wait for the process to be gone.
    fn kill9(mut self) {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
    }

    /// Waits for a process that crashed by itself.
    fn wait_for_crash(mut self) {
        let started = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(!status.success(), "the process crashed at the fault point");
                return;
            }
            assert!(started.elapsed() < Duration::from_secs(30), "the fault point was not reached");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn data_dir() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_path_buf();
    (dir, path)
}

/// Saves a new variable draft through the form; the status the server answered.
fn new_variable(b: &Browser, fields: &[(String, String)], id: &str) -> Result<StatusCode, reqwest::Error> {
    let mut f: Vec<(String, String)> =
        fields.iter().filter(|(k, _)| k != "id" && k != "benamning_sv" && k != "tekniskt_namn").cloned().collect();
    f.push(("id".into(), id.into()));
    f.push(("benamning_sv".into(), format!("Kraschvariabel {id}")));
    f.push(("tekniskt_namn".into(), id.to_uppercase()));
    f.push(("datamangd".into(), format!("{BASE}dataset/patientregistret")));
    let pairs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    b.try_post_form("/variable/ny", &pairs).map(|r| r.status())
}

#[test]
fn drafts_answered_303_survive_a_kill_9_right_after() {
    let (_keep, dir) = data_dir();
    add_user(&dir, "skribent", "redaktor");
    for trial in 0..3 {
        let server = Server::start(&dir, None);
        let editor = Arc::new(server.browser("skribent"));
        let html = editor.get("/variable/ny").text().unwrap();
        let fields = Arc::new(form_fields(&html, "/variable/ny"));
        let answers: Vec<(String, Result<StatusCode, String>)> = (0..20)
            .map(|i| {
                let (editor, fields) = (editor.clone(), fields.clone());
                std::thread::spawn(move || {
                    let id = format!("krasch-{trial}-{i}");
                    let status = new_variable(&editor, &fields, &id).map_err(|e| e.to_string());
                    (id, status)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        // killed the moment the last answer arrived
        server.kill9();
        let acknowledged: Vec<&String> =
            answers.iter().filter(|(_, s)| s.as_ref().is_ok_and(|s| *s == StatusCode::SEE_OTHER)).map(|(id, _)| id).collect();
        assert_eq!(acknowledged.len(), 20, "every save was answered 303: {answers:?}");

        let server = Server::start(&dir, None);
        let editor = server.browser("skribent");
        for id in acknowledged {
            let page = editor.get(&format!("/variable/{id}/utkast"));
            assert_eq!(page.status(), StatusCode::OK, "trial {trial}: the acknowledged draft {id} survived");
            assert!(page.text().unwrap().contains(&format!("Kraschvariabel {id}")));
        }
        server.kill9();
    }
}

/// A new variable, saved and sent to review by `editor` (on a server that then stops).
fn variable_in_review(dir: &Path, id: &str) {
    let server = Server::start(dir, None);
    let editor = server.browser("skribent");
    let html = editor.get("/variable/ny").text().unwrap();
    let fields = form_fields(&html, "/variable/ny");
    assert_eq!(new_variable(&editor, &fields, id).unwrap(), StatusCode::SEE_OTHER);
    let csrf = editor.csrf();
    assert_eq!(editor.post_form(&format!("/variable/{id}/skicka"), &[("csrf", &csrf)]).status(), StatusCode::SEE_OTHER);
    server.kill9();
}

fn publish(server: &Server, who: &str, id: &str, note: &str) -> Result<StatusCode, reqwest::Error> {
    let reviewer = server.browser(who);
    let csrf = reviewer.csrf();
    reviewer.try_post_form(&format!("/variable/{id}/publicera"), &[("csrf", &csrf), ("andringsnotering", note)]).map(|r| r.status())
}

#[test]
fn a_publication_cut_off_after_the_store_commit_is_completed_at_start_up() {
    let (_keep, dir) = data_dir();
    add_user(&dir, "skribent", "redaktor");
    add_user(&dir, "granskare", "granskare");
    add_user(&dir, "admin", "admin");
    variable_in_review(&dir, "krasch-publicering");

    // the process dies between the store commit and the history: no answer reaches the client
    let server = Server::start(&dir, Some("after-store-commit"));
    let answer = publish(&server, "granskare", "krasch-publicering", "Publicerad före kraschen");
    assert!(answer.is_err(), "the publication was never acknowledged: {answer:?}");
    server.wait_for_crash();

    // at start-up the store says the batch committed: the history and the audit log follow
    let server = Server::start(&dir, None);
    let anonymous = Browser::at(&server.addr);
    let page = anonymous.get("/variable/krasch-publicering");
    assert_eq!(page.status(), StatusCode::OK, "the publication is in the store");
    let reviewer = server.browser("granskare");
    let history = reviewer.get("/variable/krasch-publicering/historik").text().unwrap();
    assert!(history.contains("Publicerad före kraschen"), "the publication is in the history");
    assert!(reviewer.get("/arbete").text().unwrap().contains("Väntar på granskning (0)"), "the draft is closed");
    let log = server.browser("admin").get("/admin/logg").text().unwrap();
    assert!(log.contains("publish") && log.contains("krasch-publicering"), "the publication is in the audit log");
    // nothing is left to publish a second time (which would have made it version 2)
    assert_eq!(publish(&server, "granskare", "krasch-publicering", "Igen").unwrap(), StatusCode::CONFLICT);
    let ttl = anonymous.get("/variable/krasch-publicering.ttl").text().unwrap();
    assert!(ttl.contains("\"1\""), "still version 1: {ttl}");
    server.kill9();
}

#[test]
fn a_publication_cut_off_before_the_store_commit_leaves_the_draft_in_review() {
    let (_keep, dir) = data_dir();
    add_user(&dir, "skribent", "redaktor");
    add_user(&dir, "granskare", "granskare");
    variable_in_review(&dir, "krasch-fore");

    let server = Server::start(&dir, Some("after-journal"));
    assert!(publish(&server, "granskare", "krasch-fore", "Aldrig publicerad").is_err());
    server.wait_for_crash();

    let server = Server::start(&dir, None);
    assert_eq!(Browser::at(&server.addr).get("/variable/krasch-fore").status(), StatusCode::NOT_FOUND, "nothing reached the store");
    let reviewer = server.browser("granskare");
    assert!(!reviewer.get("/variable/krasch-fore/historik").text().unwrap().contains("Aldrig publicerad"));
    assert!(reviewer.get("/arbete").text().unwrap().contains("Väntar på granskning (1)"), "the draft is still in review");
    // the record is not left locked: publishing now works
    assert_eq!(publish(&server, "granskare", "krasch-fore", "Publicerad efter omstart").unwrap(), StatusCode::SEE_OTHER);
    assert_eq!(Browser::at(&server.addr).get("/variable/krasch-fore").status(), StatusCode::OK);
    server.kill9();
}
