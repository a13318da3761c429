//! The command line: import refuses broken files and leaves the catalogue as it was; export
//! writes the public catalogue in each format.

use std::process::Command;

use oxigraph::io::{RdfFormat, RdfParser};

use crate::support::temp_config;

fn vardkatalog(dir: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
    cmd.env("VARDKATALOG_DATA_DIR", dir)
        .env("VARDKATALOG_BASE_IRI", "https://katalog.example.se/")
        .env_remove("VARDKATALOG_CONFIG")
        .env_remove("VARDKATALOG_BIND")
        .current_dir(dir);
    cmd
}

fn export(dir: &std::path::Path, format: &str) -> Vec<u8> {
    let out = vardkatalog(dir).args(["export", "--format", format]).output().unwrap();
    assert!(out.status.success(), "export --format {format}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

#[test]
fn import_and_export_through_the_command_line() {
    let (dir, _) = temp_config();
    let dir = dir.path();
    // export on a fresh directory seeds it first
    let nt = export(dir, "nt");
    let triples = RdfParser::from_format(RdfFormat::NTriples).for_slice(&nt).collect::<Result<Vec<_>, _>>().unwrap();
    assert!(triples.len() > 1000, "{} triples", triples.len());
    let text = String::from_utf8(nt).unwrap();
    assert!(
        text.contains("<https://katalog.example.se/catalog> <http://www.w3.org/ns/dcat#dataset> <https://katalog.example.se/dataset/lisa>")
    );
    assert!(!text.contains("urn:vardkatalog:records"), "record metadata is internal");

    // a broken file is refused with its position, and nothing changes
    let broken = dir.join("trasig.ttl");
    std::fs::write(&broken, "@prefix dct: <http://purl.org/dc/terms/> .\n<dataset/ny> a <http://www.w3.org/ns/dcat#Dataset> ;\n  dct:title \"Ny\"@sv\n<x> <y> <z> .\n").unwrap();
    let out = vardkatalog(dir).args(["import"]).arg(&broken).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 4") && err.contains("unchanged"), "{err}");
    assert!(text == String::from_utf8(export(dir, "nt")).unwrap(), "the catalogue is unchanged (and export is byte-stable)");

    // a good file is imported and exported
    let good = dir.join("ny.ttl");
    std::fs::write(
        &good,
        "@prefix dct: <http://purl.org/dc/terms/> .\n<dataset/ny> a <http://www.w3.org/ns/dcat#Dataset> ; dct:title \"Ny\"@sv .\n",
    )
    .unwrap();
    let out = vardkatalog(dir).arg("import").arg(&good).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 new"));
    let ttl = export(dir, "ttl");
    let graph = RdfParser::from_format(RdfFormat::Turtle).for_slice(&ttl).collect::<Result<Vec<_>, _>>().unwrap();
    assert!(graph.iter().any(|q| q.subject.to_string() == "<https://katalog.example.se/dataset/ny>"));
    // Turtle, N-Triples and RDF/XML are the same graph (the first two are written record by
    // record in chunks, the last through one serialiser)
    let as_graph = |bytes: &[u8], f: RdfFormat| {
        let mut g = oxigraph::model::Graph::new();
        for q in RdfParser::from_format(f).for_slice(bytes) {
            let q = q.unwrap();
            g.insert(oxigraph::model::TripleRef::new(&q.subject, &q.predicate, &q.object));
        }
        g.canonicalize(oxigraph::model::dataset::CanonicalizationAlgorithm::Unstable);
        g
    };
    let from_ttl = as_graph(&ttl, RdfFormat::Turtle);
    assert_eq!(from_ttl, as_graph(&export(dir, "nt"), RdfFormat::NTriples));
    assert_eq!(from_ttl, as_graph(&export(dir, "rdf"), RdfFormat::RdfXml));
    assert_eq!(ttl, export(dir, "ttl"), "the Turtle dump is byte-stable");

    for format in ["rdf", "jsonld"] {
        let bytes = export(dir, format);
        let f = vardkatalog::catalog::format_from_name(format).unwrap();
        let n = RdfParser::from_format(f).for_slice(&bytes).count();
        assert!(n > 1000, "{format}: {n} triples");
    }

    let out = vardkatalog(dir).arg("reindex").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8_lossy(&out.stdout);
    let documents: u64 = said.split_whitespace().find_map(|w| w.parse().ok()).expect("a document count");
    assert!(said.starts_with("rebuilt the search index") && documents > 200, "{said}");

    let out = vardkatalog(dir).args(["import", "x.unknown"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
}

#[test]
fn a_bad_setting_is_reported_by_name() {
    let (dir, _) = temp_config();
    let out = vardkatalog(dir.path()).env("VARDKATALOG_BIND", "nohost").args(["serve"]).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("VARDKATALOG_BIND"));
}

#[test]
fn user_add_list_and_passwd_through_the_command_line() {
    use std::io::Write as _;
    let (dir, _) = temp_config();
    let dir = dir.path();
    let run = |args: &[&str], stdin: &str| {
        let mut child = vardkatalog(dir)
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let out = run(&["user", "add", "chef", "--role", "admin", "--password-stdin"], "ett långt lösenord\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = run(&["user", "add", "chef", "--role", "admin", "--password-stdin"], "ett långt lösenord\n");
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("already exists"));
    let out = run(&["user", "add", "ny", "--role", "chef", "--password-stdin"], "ett långt lösenord\n");
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("unknown role"));
    let out = run(&["user", "add", "kort", "--role", "redaktor", "--password-stdin"], "kort\n");
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("at least 12"));
    let out = run(&["user", "add", "vanlig", "--role", "redaktor", "--password-stdin"], "Qwerty123456\n");
    assert!(
        !out.status.success() && String::from_utf8_lossy(&out.stderr).contains("most common passwords"),
        "a common password is refused"
    );
    let out = run(&["user", "passwd", "chef", "--password-stdin"], "password1234\n");
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("most common passwords"));
    let out = run(&["user", "passwd", "chef", "--password-stdin"], "ett annat långt lösenord\n");
    assert!(out.status.success());
    let out = run(&["user", "list"], "");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "chef\tadmin\tactive\n");
    let state = vardkatalog::state::State::open(&dir.join("state")).unwrap();
    assert!(vardkatalog::accounts::Accounts::new(state.clone()).authenticate("chef", "ett annat långt lösenord").unwrap().is_some());
}

#[test]
fn serving_goes_on_when_standard_error_is_full() {
    // every log line fails to be written (ENOSPC): the service must answer anyway
    let full = std::fs::OpenOptions::new().write(true).open("/dev/full").expect("/dev/full");
    let mut server = crate::support::serve_binary(&[("RUST_LOG", "info")], full.into());
    let http = reqwest::blocking::Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap();
    let paths = ["/healthz", "/", "/dataset", "/sok?q=diagnos", "/om", "/variable"];
    for i in 0..50 {
        let path = paths[i % paths.len()];
        let res = http.get(server.url(path)).send().unwrap_or_else(|e| panic!("request {i} ({path}) got no answer: {e}"));
        assert_eq!(res.status().as_u16(), 200, "request {i}: {path}");
    }
    assert!(server.child.try_wait().unwrap().is_none(), "the process stays up");
}
