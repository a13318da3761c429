//! The record-store contract (`vardkatalog::store::RecordStore`): every implementation must pass
//! these. `contract` runs them all against one implementation; the tests below run it against
//! each implementation the catalogue has.

use std::collections::BTreeSet;
use std::sync::{Arc, Barrier};

use chrono::Utc;
use oxigraph::model::{Graph, Literal, NamedNode, Triple};
use vardkatalog::model::RecordKind;
use vardkatalog::store::{Batch, Expect, Filter, Record, RecordMeta, RecordState, RecordStore, StoreError};

const BASE: &str = "https://katalog.example.se/";

fn iri(path: &str) -> NamedNode {
    NamedNode::new(format!("{BASE}{path}")).unwrap()
}

/// A record with one title triple (and one triple shared by every record made with `shared`).
fn record(path: &str, title: &str, state: RecordState) -> Record {
    let iri = iri(path);
    let mut graph = Graph::new();
    let title_p = NamedNode::new_unchecked("http://purl.org/dc/terms/title");
    graph.insert(&Triple::new(iri.clone(), title_p, Literal::new_language_tagged_literal_unchecked(title, "sv")));
    let shared = Triple::new(
        NamedNode::new_unchecked(format!("{BASE}agent/gemensam")),
        NamedNode::new_unchecked("http://xmlns.com/foaf/0.1/name"),
        Literal::new_language_tagged_literal_unchecked("Gemensam", "sv"),
    );
    graph.insert(&shared);
    Record {
        meta: RecordMeta {
            iri,
            kind: RecordKind::Dataset,
            state,
            version: 1,
            rev: 0,
            source: NamedNode::new_unchecked("urn:vardkatalog:source:test"),
            content_hash: format!("hash-{title}"),
            modified: Utc::now(),
        },
        graph,
    }
}

fn put(store: &dyn RecordStore, r: Record, expect: Expect) -> Result<u64, StoreError> {
    let mut b = Batch::new();
    b.put(r, expect);
    let c = store.commit(&b)?;
    Ok(c.revs[0].1)
}

fn public_titles(store: &dyn RecordStore) -> BTreeSet<String> {
    store
        .select_public("SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }")
        .unwrap()
        .into_iter()
        .filter_map(|s| vardkatalog::store::as_text(s.get("t")))
        .collect()
}

fn shared_name_is_public(store: &dyn RecordStore) -> bool {
    !store.select_public("SELECT ?n WHERE { ?s <http://xmlns.com/foaf/0.1/name> ?n }").unwrap().is_empty()
}

/// Every clause of the contract, against one fresh, empty store.
pub fn contract(store: Arc<dyn RecordStore>) {
    let s = &*store;
    assert!(s.has_no_records().unwrap());
    let g0 = s.generation().unwrap();

    // round trip: what is put is what is read, at revision 1, and the generation moves by one
    let a = record("dataset/a", "Alfa", RecordState::Published);
    let rev = put(s, a.clone(), Expect::Absent).unwrap();
    assert_eq!(rev, 1);
    assert_eq!(s.generation().unwrap(), g0 + 1);
    let back = s.get(a.meta.iri.as_ref()).unwrap().expect("the record is there");
    assert_eq!(back.graph, a.graph);
    assert_eq!((back.meta.kind, back.meta.state, back.meta.version, back.meta.rev), (RecordKind::Dataset, RecordState::Published, 1, 1));
    assert_eq!(back.meta.content_hash, "hash-Alfa");
    assert!(!s.has_no_records().unwrap());

    // compare-and-set: a stale, an absent-but-present and a missing expectation all fail and
    // write nothing; the right one succeeds and bumps the revision
    let generation = s.generation().unwrap();
    for wrong in [Expect::Absent, Expect::Rev(0), Expect::Rev(7)] {
        match put(s, record("dataset/a", "Fel", RecordState::Published), wrong) {
            Err(StoreError::Conflict { iri, found, .. }) => {
                assert_eq!(iri, a.meta.iri.as_str());
                assert_eq!(found, Some(1));
            }
            other => panic!("{wrong:?}: expected a conflict, got {other:?}"),
        }
    }
    assert!(matches!(
        put(s, record("dataset/saknas", "X", RecordState::Published), Expect::Rev(1)),
        Err(StoreError::Conflict { found: None, .. })
    ));
    assert_eq!(s.generation().unwrap(), generation, "a refused batch is no commit");
    assert_eq!(put(s, record("dataset/a", "Alfa 2", RecordState::Published), Expect::Rev(1)).unwrap(), 2);
    assert_eq!(put(s, record("dataset/a", "Alfa 3", RecordState::Published), Expect::Any).unwrap(), 3);

    // a batch is all or nothing: one failed expectation keeps every other write out
    let generation = s.generation().unwrap();
    let mut batch = Batch::new();
    batch.put(record("dataset/b", "Beta", RecordState::Published), Expect::Absent);
    batch.put(record("dataset/a", "Alfa 4", RecordState::Published), Expect::Rev(2));
    assert!(matches!(s.commit(&batch), Err(StoreError::Conflict { .. })));
    assert!(s.meta(iri("dataset/b").as_ref()).unwrap().is_none(), "the valid write of a refused batch is not made");
    assert_eq!(public_titles(s), BTreeSet::from(["Alfa 3".to_owned()]));
    assert_eq!(s.generation().unwrap(), generation);

    // two writers from the same revision, at the same moment: exactly one wins
    let base = s.meta(a.meta.iri.as_ref()).unwrap().unwrap().rev;
    let barrier = Arc::new(Barrier::new(2));
    let outcomes: Vec<Result<u64, StoreError>> = (0..2)
        .map(|i| {
            let store = store.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                put(&*store, record("dataset/a", &format!("Samtidig {i}"), RecordState::Published), Expect::Rev(base))
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    let wins = outcomes.iter().filter(|o| o.is_ok()).count();
    let conflicts = outcomes.iter().filter(|o| matches!(o, Err(StoreError::Conflict { .. }))).count();
    assert_eq!((wins, conflicts), (1, 1), "{outcomes:?}");
    assert_eq!(s.meta(a.meta.iri.as_ref()).unwrap().unwrap().rev, base + 1);

    // the change log names each batch by its id, in generation order
    let from = s.generation().unwrap();
    let mut batch = Batch::new();
    batch.put(record("dataset/b", "Beta", RecordState::Published), Expect::Absent);
    batch.put(record("dataset/c", "Gamma", RecordState::Draft), Expect::Absent);
    let committed = s.commit(&batch).unwrap();
    assert_eq!(committed.generation, from + 1);
    assert_eq!(s.find_commit(&batch.id).unwrap(), Some(from + 1));
    assert_eq!(s.find_commit(&vardkatalog::store::CommitId::new()).unwrap(), None, "an unknown batch did not commit");
    let changes = s.changes_since(from).unwrap().expect("the log reaches back");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].commit, batch.id);
    assert_eq!(changes[0].iris, vec![iri("dataset/b"), iri("dataset/c")]);
    assert!(s.changes_since(s.generation().unwrap()).unwrap().unwrap().is_empty());

    // listing: stable IRI order, paging, filters by kind and state
    for i in 0..7 {
        put(s, record(&format!("dataset/lista-{i}"), &format!("Lista {i}"), RecordState::Published), Expect::Absent).unwrap();
    }
    let public = Filter::public(RecordKind::Dataset);
    let all: Vec<String> = s.list(&public, 0, 100).unwrap().into_iter().map(|m| m.iri.as_str().to_owned()).collect();
    let mut sorted = all.clone();
    sorted.sort();
    assert_eq!(all, sorted);
    assert_eq!(s.count(&public).unwrap(), all.len() as u64);
    assert_eq!(all.len(), 9, "a, b and seven lists; c is a draft");
    let paged: Vec<String> = (0..3).flat_map(|p| s.list(&public, p * 4, 4).unwrap()).map(|m| m.iri.as_str().to_owned()).collect();
    assert_eq!(paged, all);
    assert_eq!(s.count(&Filter { kind: Some(RecordKind::Dataset), states: Some(vec![RecordState::Draft]) }).unwrap(), 1);
    assert_eq!(s.count(&Filter::public(RecordKind::Variable)).unwrap(), 0);
    assert_eq!(s.iris_of_kind(RecordKind::Dataset).unwrap().len(), 10);

    // the public default graph: published and retired records only, a shared triple stays as
    // long as one public record asserts it
    assert!(public_titles(s).contains("Beta") && !public_titles(s).contains("Gamma"), "a draft is not public");
    let b = s.meta(iri("dataset/b").as_ref()).unwrap().unwrap();
    put(s, record("dataset/b", "Beta", RecordState::Retired), Expect::Rev(b.rev)).unwrap();
    assert!(public_titles(s).contains("Beta"), "a retired record stays public");
    let mut batch = Batch::new();
    for m in s.list(&Filter::all_public(), 0, 100).unwrap() {
        let expect = Expect::Rev(m.rev);
        batch.delete(m.iri, expect);
    }
    s.commit(&batch).unwrap();
    assert!(public_titles(s).is_empty(), "deleted records leave the public graph");
    assert!(!shared_name_is_public(s), "no public record asserts the shared triple any more");
    put(s, record("dataset/d", "Delta", RecordState::Published), Expect::Absent).unwrap();
    assert!(shared_name_is_public(s));
    let c = s.meta(iri("dataset/c").as_ref()).unwrap().unwrap();
    put(s, record("dataset/c", "Gamma", RecordState::Published), Expect::Rev(c.rev)).unwrap();
    let d = s.meta(iri("dataset/d").as_ref()).unwrap().unwrap();
    put(s, record("dataset/d", "Delta", RecordState::Draft), Expect::Rev(d.rev)).unwrap();
    assert!(shared_name_is_public(s), "c still asserts the shared triple");
    assert_eq!(public_titles(s), BTreeSet::from(["Gamma".to_owned()]));

    // deleting an absent record expecting anything is a no-op; expecting a revision, a conflict
    let mut batch = Batch::new();
    batch.delete(iri("dataset/finns-inte"), Expect::Any);
    s.commit(&batch).unwrap();
    let mut batch = Batch::new();
    batch.delete(iri("dataset/finns-inte"), Expect::Rev(1));
    assert!(matches!(s.commit(&batch), Err(StoreError::Conflict { .. })));
}

#[test]
fn the_embedded_store_in_memory_keeps_the_contract() {
    contract(Arc::new(vardkatalog::store::EmbeddedStore::in_memory().unwrap()));
}

#[test]
fn the_embedded_store_on_disk_keeps_the_contract() {
    let dir = tempfile::tempdir().unwrap();
    contract(Arc::new(vardkatalog::store::EmbeddedStore::open(&dir.path().join("store")).unwrap()));
}

/// The crash clause: a commit that returned is there after `kill -9`. A child process (this
/// test binary, running [`crash_child`]) commits batches and prints each acknowledged one; it is
/// killed at once after a few acknowledgements, and every acknowledged batch must be in the
/// store when it is opened again.
#[test]
fn commits_acknowledged_before_kill_9_are_in_the_embedded_store() {
    use std::io::{BufRead, BufReader};
    let dir = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "store_contract::crash_child", "--nocapture", "--test-threads=1"])
        .env("VK_CRASH_CHILD_DIR", dir.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = Vec::new();
    let reader = BufReader::new(child.stdout.take().unwrap());
    for line in reader.lines() {
        let line = line.unwrap();
        if let Some(n) = line.strip_prefix("acked ") {
            acked.push(n.parse::<u32>().unwrap());
            if acked.len() == 25 {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(acked.len(), 25, "the child acknowledged commits");
    let store = vardkatalog::store::EmbeddedStore::open(&dir.path().join("store")).unwrap();
    for n in acked {
        assert!(store.meta(iri(&format!("dataset/krasch-{n}")).as_ref()).unwrap().is_some(), "acknowledged commit {n} survived");
    }
}

/// The child of the crash test: commits until it is killed.
#[test]
#[ignore = "run by commits_acknowledged_before_kill_9_are_in_the_embedded_store in a child process"]
fn crash_child() {
    use std::io::Write as _;
    let Ok(dir) = std::env::var("VK_CRASH_CHILD_DIR") else { return };
    let store = vardkatalog::store::EmbeddedStore::open(&std::path::Path::new(&dir).join("store")).unwrap();
    for n in 0u32.. {
        put(&store, record(&format!("dataset/krasch-{n}"), &format!("Krasch {n}"), RecordState::Published), Expect::Absent).unwrap();
        let mut out = std::io::stdout().lock();
        writeln!(out, "acked {n}").unwrap();
        out.flush().unwrap();
    }
}

#[test]
fn the_embedded_store_keeps_the_contract_when_every_new_record_takes_the_bulk_path() {
    let dir = tempfile::tempdir().unwrap();
    let store = vardkatalog::store::EmbeddedStore::open(&dir.path().join("store")).unwrap().with_bulk_threshold(1);
    contract(Arc::new(store));
}

/// A large batch of new records (the bulk path) reads back whole after the store is opened
/// again: graphs, metadata, the public copy, the change log, the generation.
#[test]
fn a_bulk_commit_is_all_there_after_the_store_is_opened_again() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("store");
    let mut batch = Batch::new();
    let n = 601;
    for i in 0..n {
        let state = if i % 10 == 0 { RecordState::Draft } else { RecordState::Published };
        batch.put(record(&format!("dataset/bulk-{i:06}"), &format!("Bulk {i}"), state), Expect::Absent);
    }
    let committed = {
        let store = vardkatalog::store::EmbeddedStore::open(&path).unwrap().with_bulk_threshold(2_000);
        store.commit(&batch).unwrap()
    };
    assert_eq!(committed.generation, 1);
    assert!(committed.revs.iter().all(|(_, r)| *r == 1));
    let store = vardkatalog::store::EmbeddedStore::open(&path).unwrap();
    assert_eq!(store.generation().unwrap(), 1);
    assert_eq!(store.find_commit(&batch.id).unwrap(), Some(1));
    assert_eq!(store.changes_since(0).unwrap().unwrap()[0].iris.len(), n);
    assert_eq!(store.count(&Filter { kind: None, states: None }).unwrap(), n as u64);
    assert_eq!(store.count(&Filter::public(RecordKind::Dataset)).unwrap(), (n - n.div_ceil(10)) as u64);
    let back = store.get(iri("dataset/bulk-000003").as_ref()).unwrap().unwrap();
    assert_eq!(back.graph, record("dataset/bulk-000003", "Bulk 3", RecordState::Published).graph);
    assert_eq!(public_titles(&store).len(), n - n.div_ceil(10), "drafts stay out of the public graph");
    // the next write goes on from there, on either path
    assert_eq!(put(&store, record("dataset/bulk-000003", "Ändrad", RecordState::Published), Expect::Rev(1)).unwrap(), 2);
    assert_eq!(store.generation().unwrap(), 2);
    assert!(!public_titles(&store).contains("Bulk 3"));
}

/// A crash inside a bulk commit, after the records were ingested but before the generation
/// counter was written: the batch is committed (it is all there and the change log names it),
/// the generation counts it, and the next commit follows it.
#[test]
fn a_crash_between_the_bulk_ingest_and_the_generation_counter_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "store_contract::bulk_crash_child", "--nocapture", "--test-threads=1"])
        .env("VK_CRASH_CHILD_DIR", dir.path())
        .env("VARDKATALOG_FAULT", vardkatalog::fault::AFTER_BULK_INGEST)
        .output()
        .unwrap();
    assert!(!output.status.success(), "the child aborted at the fault point");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let id = stdout.lines().find_map(|l| l.split_once("batch ").map(|(_, id)| id)).expect("the child named its batch").trim().to_owned();
    let store = vardkatalog::store::EmbeddedStore::open(&dir.path().join("store")).unwrap();
    assert_eq!(store.generation().unwrap(), 2, "the generation counts the interrupted bulk commit");
    assert_eq!(store.find_commit(&vardkatalog::store::CommitId::from_string(id)).unwrap(), Some(2));
    assert!(store.meta(iri("dataset/krasch-bulk").as_ref()).unwrap().is_some());
    assert_eq!(public_titles(&store), BTreeSet::from(["Före".to_owned(), "Krasch".to_owned()]));
    put(&store, record("dataset/efter", "Efter", RecordState::Published), Expect::Absent).unwrap();
    assert_eq!(store.generation().unwrap(), 3);
    let changes = store.changes_since(0).unwrap().unwrap();
    assert_eq!(changes.iter().map(|c| c.generation).collect::<Vec<_>>(), vec![1, 2, 3]);
    drop(store);
    let store = vardkatalog::store::EmbeddedStore::open(&dir.path().join("store")).unwrap();
    assert_eq!(store.generation().unwrap(), 3);
}

/// The child of the bulk crash test: one ordinary commit, then a bulk commit that aborts at the
/// fault point.
#[test]
#[ignore = "run by a_crash_between_the_bulk_ingest_and_the_generation_counter_loses_nothing in a child process"]
fn bulk_crash_child() {
    use std::io::Write as _;
    let Ok(dir) = std::env::var("VK_CRASH_CHILD_DIR") else { return };
    let path = std::path::Path::new(&dir).join("store");
    let store = vardkatalog::store::EmbeddedStore::open(&path).unwrap().with_bulk_threshold(usize::MAX);
    put(&store, record("dataset/fore", "Före", RecordState::Published), Expect::Absent).unwrap();
    drop(store);
    let store = vardkatalog::store::EmbeddedStore::open(&path).unwrap().with_bulk_threshold(1);
    let mut batch = Batch::new();
    batch.put(record("dataset/krasch-bulk", "Krasch", RecordState::Published), Expect::Absent);
    let mut out = std::io::stdout().lock();
    writeln!(out, "batch {}", batch.id).unwrap();
    out.flush().unwrap();
    drop(out);
    store.commit(&batch).unwrap();
}

// ---- the remote store, on a real Oxigraph server ----------------------------------------

use crate::oxigraph_server::OxigraphServer;
use vardkatalog::store::RemoteStore;
use vardkatalog::store::remote::RemoteSettings;

fn remote(settings: RemoteSettings) -> RemoteStore {
    RemoteStore::connect(settings).expect("the remote store connects")
}

#[test]
fn the_remote_store_on_an_oxigraph_server_keeps_the_contract() {
    let server = OxigraphServer::start();
    contract(Arc::new(remote(server.settings())));
}

/// The contract again with every batch staged (a bound of one byte on an update request): the
/// path a large batch takes keeps every clause.
#[test]
fn the_remote_store_keeps_the_contract_when_every_batch_is_staged() {
    let server = OxigraphServer::start();
    let mut settings = server.settings();
    settings.max_update_bytes = 1;
    contract(Arc::new(remote(settings)));
}

/// Writers of different stores (as on different nodes) racing from the same revision, round
/// after round: one wins, the others get a conflict naming the record, and the generations stay
/// a strict sequence with one change-log entry per winner. (Oxigraph server runs two updates
/// at once without isolation, so this holds only through the store's write lock.)
#[test]
fn remote_stores_racing_from_the_same_revision_give_one_winner_each_round() {
    let server = OxigraphServer::start();
    let stores: Vec<Arc<RemoteStore>> = (0..3).map(|_| Arc::new(remote(server.settings()))).collect();
    let target = iri("dataset/kapplopning");
    put(&*stores[0], record("dataset/kapplopning", "Start", RecordState::Published), Expect::Absent).unwrap();
    let from = stores[0].generation().unwrap();
    let rounds = 6;
    for round in 0..rounds {
        let base = stores[0].meta(target.as_ref()).unwrap().unwrap().rev;
        let barrier = Arc::new(Barrier::new(stores.len()));
        let outcomes: Vec<Result<u64, StoreError>> = stores
            .iter()
            .enumerate()
            .map(|(w, store)| {
                let (store, barrier) = (store.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    put(
                        &*store,
                        record("dataset/kapplopning", &format!("Varv {round} skrivare {w}"), RecordState::Published),
                        Expect::Rev(base),
                    )
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|h| h.join().unwrap())
            .collect();
        let wins = outcomes.iter().filter(|o| o.is_ok()).count();
        let conflicts = outcomes
            .iter()
            .filter(|o| matches!(o, Err(StoreError::Conflict { iri, found, .. }) if *iri == target.as_str() && *found == Some(base + 1)))
            .count();
        assert_eq!((wins, conflicts), (1, stores.len() - 1), "round {round}: {outcomes:?}");
    }
    let changes = stores[1].changes_since(from).unwrap().expect("the log reaches back");
    let generations: Vec<u64> = changes.iter().map(|c| c.generation).collect();
    assert_eq!(generations, (from + 1..=from + rounds).collect::<Vec<_>>(), "one generation per winner, no gaps");
    let ids: BTreeSet<_> = changes.iter().map(|c| c.commit.clone()).collect();
    assert_eq!(ids.len(), rounds as usize);
    assert_eq!(stores[2].generation().unwrap(), from + rounds);
    assert_eq!(public_titles(&*stores[0]).len(), 1, "one version of the record is public");
}

fn remote_from_env() -> Option<RemoteStore> {
    let query = std::env::var("VK_REMOTE_QUERY_URL").ok()?;
    let update = std::env::var("VK_REMOTE_UPDATE_URL").ok()?;
    let mut settings = RemoteSettings::new(query, update);
    settings.timeout = std::time::Duration::from_secs(3);
    settings.lock_lease = std::time::Duration::from_secs(6);
    Some(remote(settings))
}

fn child_of(test: &str, server: &OxigraphServer) -> std::process::Child {
    std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", test, "--nocapture", "--test-threads=1"])
        .env("VK_REMOTE_QUERY_URL", server.url("/query"))
        .env("VK_REMOTE_UPDATE_URL", server.url("/update"))
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap()
}

/// Two processes (two nodes) saving the same record from the same base revision: exactly one
/// wins, round after round.
#[test]
fn two_processes_saving_the_same_record_on_a_remote_store_give_one_winner() {
    use std::io::{BufRead, BufReader, Write as _};
    let server = OxigraphServer::start();
    let store = remote(server.settings());
    let target = iri("dataset/tva-noder");
    put(&store, record("dataset/tva-noder", "Start", RecordState::Published), Expect::Absent).unwrap();
    let from = store.generation().unwrap();
    let mut children: Vec<_> = (0..2).map(|_| child_of("store_contract::remote_writer_child", &server)).collect();
    let mut inputs: Vec<_> = children.iter_mut().map(|c| c.stdin.take().unwrap()).collect();
    let mut outputs: Vec<_> = children.iter_mut().map(|c| BufReader::new(c.stdout.take().unwrap()).lines()).collect();
    let rounds = 5;
    for round in 0..rounds {
        let base = store.meta(target.as_ref()).unwrap().unwrap().rev;
        for input in &mut inputs {
            writeln!(input, "{round} {base}").unwrap();
            input.flush().unwrap();
        }
        let answers: Vec<String> = outputs
            .iter_mut()
            // (the test harness's own words may stand before the first answer on its line)
            .map(|o| {
                o.by_ref()
                    .map(Result::unwrap)
                    .find_map(|l| ["won", "conflict", "error"].iter().find_map(|w| l.find(w).map(|i| l[i..].to_owned())))
                    .expect("an answer")
            })
            .collect();
        let wins = answers.iter().filter(|a| a.starts_with("won")).count();
        let conflicts = answers.iter().filter(|a| a.starts_with("conflict")).count();
        assert_eq!((wins, conflicts), (1, 1), "round {round}: {answers:?}");
    }
    drop(inputs);
    for mut c in children {
        c.wait().unwrap();
    }
    let changes = store.changes_since(from).unwrap().expect("the log reaches back");
    assert_eq!(changes.iter().map(|c| c.generation).collect::<Vec<_>>(), (from + 1..=from + rounds).collect::<Vec<_>>());
}

/// A writer process of the test above: for each line `round base` on standard input, saves the
/// record from revision `base` and says whether it won.
#[test]
#[ignore = "run by two_processes_saving_the_same_record_on_a_remote_store_give_one_winner in a child process"]
fn remote_writer_child() {
    use std::io::{BufRead, Write as _};
    let Some(store) = remote_from_env() else { return };
    let pid = std::process::id();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let mut parts = line.split_whitespace();
        let (Some(round), Some(base)) = (parts.next(), parts.next().and_then(|b| b.parse::<u64>().ok())) else { continue };
        let outcome =
            put(&store, record("dataset/tva-noder", &format!("Varv {round} process {pid}"), RecordState::Published), Expect::Rev(base));
        let mut out = std::io::stdout().lock();
        match outcome {
            Ok(_) => writeln!(out, "won {round}"),
            Err(StoreError::Conflict { .. }) => writeln!(out, "conflict {round}"),
            Err(e) => writeln!(out, "error {round} {e}"),
        }
        .unwrap();
        out.flush().unwrap();
    }
}

/// A batch of the crash test: ten records, each with a graph of 40 triples.
fn crash_batch(n: u32) -> Batch {
    let mut batch = Batch::new();
    for k in 0..10 {
        let mut r = record(&format!("dataset/krasch-{n}-{k}"), &format!("Krasch {n} {k}"), RecordState::Published);
        for t in 0..40 {
            r.graph.insert(&Triple::new(
                r.meta.iri.clone(),
                NamedNode::new_unchecked(format!("https://w3id.org/vardkatalog/test#p{t}")),
                Literal::new_simple_literal(format!("värde {n} {k} {t}")),
            ));
        }
        batch.put(r, Expect::Absent);
    }
    batch
}

/// The crash clause on a remote store: a writer process killed with SIGKILL in the middle of its
/// batches leaves no batch half-written, and every batch it was told had committed is on the
/// server, also after the server itself is killed and started again; the dead writer's lock
/// claim lapses and the next writer goes on.
#[test]
fn a_writer_killed_mid_batch_leaves_nothing_half_written_on_a_remote_store() {
    use std::io::{BufRead, BufReader};
    let mut server = OxigraphServer::start();
    let mut child = child_of("store_contract::remote_crash_child", &server);
    let mut acked = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        // (the test harness's own words may stand before the first one on its line)
        if let Some((_, n)) = line.unwrap().split_once("acked ") {
            acked.push(n.trim().parse::<u32>().unwrap());
            if acked.len() == 12 {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(acked.len(), 12, "the child acknowledged commits");
    server.kill_and_restart();

    let mut settings = server.settings();
    settings.timeout = std::time::Duration::from_secs(3);
    settings.lock_lease = std::time::Duration::from_secs(6);
    let store = remote(settings);
    let present = |n: u32| (0..10).filter(|k| store.meta(iri(&format!("dataset/krasch-{n}-{k}")).as_ref()).unwrap().is_some()).count();
    for &n in &acked {
        assert_eq!(present(n), 10, "acknowledged batch {n} is on the server");
    }
    let next = acked.iter().max().unwrap() + 1;
    let in_flight = present(next);
    assert!(in_flight == 0 || in_flight == 10, "the batch in flight is all there or not at all: {in_flight} of 10");
    assert_eq!(present(next + 1), 0);
    // the generation counts the change-log entries, and the public default graph is the union of
    // the public record graphs
    let generation = store.generation().unwrap();
    assert_eq!(store.changes_since(0).unwrap().expect("the whole log").len() as u64, generation);
    assert_eq!(generation, acked.len() as u64 + u64::from(in_flight == 10));
    let default = store.select_public("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").unwrap();
    let union = store
        .select("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } GRAPH <urn:vardkatalog:records> { ?g <https://w3id.org/vardkatalog/ns#state> ?st } } }")
        .unwrap();
    assert_eq!(vardkatalog::store::as_text(default[0].get("n")), vardkatalog::store::as_text(union[0].get("n")));
    // the next writer is not stopped by the dead one's claim
    let after = crash_batch(next + 1);
    assert_eq!(store.commit(&after).unwrap().generation, generation + 1);
}

/// The child of the remote crash test: commits batches until it is killed.
#[test]
#[ignore = "run by a_writer_killed_mid_batch_leaves_nothing_half_written_on_a_remote_store in a child process"]
fn remote_crash_child() {
    use std::io::Write as _;
    let Some(store) = remote_from_env() else { return };
    for n in 0u32.. {
        store.commit(&crash_batch(n)).unwrap();
        let mut out = std::io::stdout().lock();
        writeln!(out, "acked {n}").unwrap();
        out.flush().unwrap();
    }
}
