//! The state repositories' contract (`vardkatalog::state`): every implementation must pass
//! these. Each clause is a function over one fresh `State`; [`contract_tests!`] makes one test
//! per clause for an implementation, and the modules `sled` and `postgres` below run every
//! clause against the embedded database and against a real PostgreSQL the tests start
//! (`postgres_server`).

use std::sync::{Arc, Barrier};

use chrono::{Duration, Utc};
use vardkatalog::accounts::Role;
use vardkatalog::state::deliveries::{ColumnCounts, DeliveryReport};
use vardkatalog::state::harvest::{PageSeen, Pages, RunReport, RunStatus, Written};
use vardkatalog::state::journal::JournalEntry;
use vardkatalog::state::label::{Attestation, Declaration, Maturity};
use vardkatalog::state::lists::{ListItem, SavedList, is_list_id, new_id};
use vardkatalog::state::revisions::{AuditNote, Expectation, NewRevision};
use vardkatalog::state::sessions::{Failures, Session};
use vardkatalog::state::tokens::ApiToken;
use vardkatalog::state::uploads::Upload;
use vardkatalog::state::users::User;
use vardkatalog::state::{State, StateError};
use vardkatalog::store::{CommitId, RecordState};

fn user(name: &str) -> User {
    User { name: name.into(), role: Role::Redaktor, hash: "$argon2id$x".into(), disabled: false, created: Utc::now() }
}

fn revision(iri: &str, state: RecordState, author: &str) -> NewRevision {
    NewRevision {
        iri: iri.into(),
        kind: "variable".into(),
        author: author.into(),
        message: format!("{author} sparade"),
        state,
        version: None,
        ntriples: format!("<{iri}> <http://www.w3.org/2004/02/skos/core#prefLabel> \"{author}\"@sv .\n"),
        label: "Etikett".into(),
        published: None,
    }
}

fn note(who: &str, action: &str, target: &str) -> AuditNote {
    AuditNote { who: who.into(), action: action.into(), target: target.into(), detail: String::new() }
}

/// Every clause of the contract, against one fresh `State`.
pub fn contract(state: State) {
    users(&state);
    sessions(&state);
    revisions(&state);
    public_revisions(&state);
    journal(&state);
    comments_and_audit(&state);
    harvest(&state);
    uploads(&state);
    leases(&state);
    label(&state);
    members(&state);
    deliveries(&state);
    tokens(&state);
    lists(&state);
}

/// One test per clause of the contract, each over a fresh `State` made by `$make`.
macro_rules! contract_tests {
    ($make:expr) => {
        #[test]
        fn users() {
            super::users(&$make);
        }
        #[test]
        fn sessions() {
            super::sessions(&$make);
        }
        #[test]
        fn revisions() {
            super::revisions(&$make);
        }
        #[test]
        fn public_revisions() {
            super::public_revisions(&$make);
        }
        #[test]
        fn journal() {
            super::journal(&$make);
        }
        #[test]
        fn comments_and_audit() {
            super::comments_and_audit(&$make);
        }
        #[test]
        fn harvest() {
            super::harvest(&$make);
        }
        #[test]
        fn uploads() {
            super::uploads(&$make);
        }
        #[test]
        fn leases() {
            super::leases(&$make);
        }
        #[test]
        fn label() {
            super::label(&$make);
        }
        #[test]
        fn members() {
            super::members(&$make);
        }
        #[test]
        fn deliveries() {
            super::deliveries(&$make);
        }
        #[test]
        fn tokens() {
            super::tokens(&$make);
        }
        #[test]
        fn lists() {
            super::lists(&$make);
        }
    };
}

/// The embedded database, in memory.
mod sled {
    use vardkatalog::state::State;
    contract_tests!(State::temporary().unwrap());
}

/// PostgreSQL: a fresh database per test on the test process's cluster.
mod postgres {
    use vardkatalog::state::State;
    contract_tests!(State::connect(&crate::postgres_server::settings()).unwrap());
}

fn saved_list(id: &str, owner: &str, name: &str) -> SavedList {
    let t = Utc::now();
    SavedList {
        id: id.into(),
        owner: owner.into(),
        name: name.into(),
        created: t,
        updated: t,
        items: vec![ListItem { iri: "https://x.se/variable/a".into(), note: "exponering".into(), version: 2, modified: t }],
    }
}

/// Saved variable lists: created once per id, read back equal, by owner (last changed first),
/// changed only from the state they were read in (compare-and-set), removed.
fn lists(s: &State) {
    let id = new_id();
    assert!(is_list_id(&id) && id != new_id(), "{id}");
    let mut a = saved_list(&id, "anna", "Höftfraktur");
    assert!(s.lists.create_list(&a).unwrap());
    assert!(!s.lists.create_list(&saved_list(&id, "bo", "Annan")).unwrap(), "a taken id is not created again");
    assert_eq!(s.lists.get_list(&id).unwrap().as_ref(), Some(&a), "read back equal");
    assert!(s.lists.get_list(&new_id()).unwrap().is_none());
    let b = saved_list(&new_id(), "anna", "Stroke");
    assert!(s.lists.create_list(&b).unwrap());
    assert!(s.lists.create_list(&saved_list(&new_id(), "bo", "Bos")).unwrap());
    let names: Vec<String> = s.lists.lists_of("anna").unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["Stroke", "Höftfraktur"], "the owner's lists, last changed first");

    // a change names the state it started from
    let started = a.updated;
    a.name = "Höftfraktur och död".into();
    a.items[0].note = "utfall".into();
    a.updated = started + Duration::seconds(1);
    assert!(s.lists.update_list(&a, started).unwrap());
    assert_eq!(s.lists.get_list(&id).unwrap().unwrap(), a);
    let names: Vec<String> = s.lists.lists_of("anna").unwrap().into_iter().map(|l| l.name).collect();
    assert_eq!(names, ["Höftfraktur och död", "Stroke"]);
    let mut stale = a.clone();
    stale.name = "Från en gammal flik".into();
    stale.updated = started + Duration::seconds(2);
    assert!(matches!(s.lists.update_list(&stale, started), Err(StateError::Conflict { .. })), "a change from an older state is refused");
    assert_eq!(s.lists.get_list(&id).unwrap().unwrap(), a, "and changes nothing");
    let mut gone = saved_list(&new_id(), "anna", "Finns inte");
    gone.updated = Utc::now();
    assert!(!s.lists.update_list(&gone, gone.created).unwrap(), "no such list");
    // two changes from the same state at once: exactly one wins
    let barrier = Arc::new(Barrier::new(2));
    let results: Vec<bool> = (0..2)
        .map(|i| {
            let (s, b, mut l) = (s.clone(), barrier.clone(), a.clone());
            std::thread::spawn(move || {
                l.name = format!("Flik {i}");
                l.updated = a.updated + Duration::seconds(10 + i);
                b.wait();
                s.lists.update_list(&l, a.updated).is_ok()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");

    assert!(s.lists.delete_list(&id).unwrap());
    assert!(!s.lists.delete_list(&id).unwrap());
    assert!(s.lists.get_list(&id).unwrap().is_none());
    assert_eq!(s.lists.lists_of("anna").unwrap().len(), 1);
}

fn users(s: &State) {
    assert!(s.users.create(&user("anna")).unwrap());
    assert!(!s.users.create(&user("anna")).unwrap(), "a taken name is not created again");
    let mut anna = s.users.get("anna").unwrap().unwrap();
    assert_eq!(anna.role, Role::Redaktor);
    anna.role = Role::Admin;
    s.users.put(&anna).unwrap();
    assert_eq!(s.users.get("anna").unwrap().unwrap().role, Role::Admin);
    s.users.create(&user("bo")).unwrap();
    let names: Vec<String> = s.users.list().unwrap().into_iter().map(|u| u.name).collect();
    assert_eq!(names, vec!["anna", "bo"], "by name");
    assert!(s.users.get("okand").unwrap().is_none());
    // two creators of one name at the same moment: exactly one wins
    let barrier = Arc::new(Barrier::new(2));
    let wins: Vec<bool> = (0..2)
        .map(|_| {
            let (s, b) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                b.wait();
                s.users.create(&user("samtidig")).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(wins.iter().filter(|w| **w).count(), 1);
}

fn sessions(s: &State) {
    let now = Utc::now();
    let session = Session { user: "anna".into(), created: now, expires: now + Duration::hours(1) };
    s.sessions.insert(b"hash-1", &session).unwrap();
    s.sessions.insert(b"hash-2", &session).unwrap();
    s.sessions.insert(b"hash-3", &Session { user: "bo".into(), ..session.clone() }).unwrap();
    assert_eq!(s.sessions.get(b"hash-1").unwrap(), Some(session));
    s.sessions.delete(b"hash-1").unwrap();
    assert!(s.sessions.get(b"hash-1").unwrap().is_none());
    assert_eq!(s.sessions.delete_all_of("anna").unwrap(), 1);
    assert!(s.sessions.get(b"hash-2").unwrap().is_none());
    assert!(s.sessions.get(b"hash-3").unwrap().is_some(), "other accounts keep their sessions");
    assert_eq!(s.sessions.failures("konto:anna").unwrap(), Failures::default());
    let f = Failures { count: 3, last: Some(now), locked_until: None };
    s.sessions.set_failures("konto:anna", Some(&f)).unwrap();
    assert_eq!(s.sessions.failures("konto:anna").unwrap(), f);
    s.sessions.set_failures("konto:anna", None).unwrap();
    assert_eq!(s.sessions.failures("konto:anna").unwrap().count, 0);
}

fn revisions(s: &State) {
    let iri = "https://katalog.example.se/variable/kontrakt";
    // a first save expects no revision
    let first = s
        .revisions
        .append(&[revision(iri, RecordState::Draft, "anna")], &[note("anna", "save_draft", iri)], &[Expectation::new(iri, None)])
        .unwrap();
    assert_eq!(first.len(), 1);
    let r1 = first[0].id;
    assert_eq!(s.revisions.latest(iri).unwrap().unwrap().id, r1);
    assert_eq!(s.revisions.open_draft(iri).unwrap().unwrap().revision, r1);
    assert_eq!(s.revisions.get(r1).unwrap().unwrap().author, "anna");
    // a save from a stale revision is a conflict naming who saved last, and writes nothing
    let audit_before = s.audit.count().unwrap();
    match s.revisions.append(&[revision(iri, RecordState::Draft, "bo")], &[note("bo", "save_draft", iri)], &[Expectation::new(iri, None)]) {
        Err(StateError::Conflict { latest, author, pending, .. }) => {
            assert_eq!((latest, author.as_str(), pending), (Some(r1), "anna", false));
        }
        other => panic!("expected a conflict, got {other:?}"),
    }
    assert_eq!(s.revisions.of_record(iri).unwrap().len(), 1);
    assert_eq!(s.audit.count().unwrap(), audit_before, "nor the audit note");
    // two savers from the same revision at the same moment: exactly one wins
    let barrier = Arc::new(Barrier::new(2));
    let results: Vec<bool> = ["bo", "cilla"]
        .into_iter()
        .map(|who| {
            let (s, b) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                b.wait();
                s.revisions.append(&[revision(iri, RecordState::Draft, who)], &[], &[Expectation::new(iri, Some(r1))]).is_ok()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .collect();
    assert_eq!(results.iter().filter(|ok| **ok).count(), 1, "{results:?}");
    let history = s.revisions.of_record(iri).unwrap();
    assert_eq!(history.len(), 2);
    assert!(history[0].id < history[1].id, "oldest first");
    // in review, then published: publishing closes the draft
    let latest = s.revisions.latest(iri).unwrap().unwrap().id;
    let review = s.revisions.append(&[revision(iri, RecordState::InReview, "bo")], &[], &[Expectation::new(iri, Some(latest))]).unwrap();
    assert_eq!(s.revisions.open_draft(iri).unwrap().unwrap().state, RecordState::InReview);
    assert!(s.revisions.open_drafts().unwrap().iter().any(|(i, _)| i == iri));
    s.revisions.append(&[revision(iri, RecordState::Published, "dan")], &[], &[Expectation::new(iri, Some(review[0].id))]).unwrap();
    assert!(s.revisions.open_draft(iri).unwrap().is_none());
    assert_eq!(s.revisions.of_record(iri).unwrap().len(), 4);
}

/// Published and retired revisions, newest first and paged, never a draft; a revision keeps
/// the time its version was published.
fn public_revisions(s: &State) {
    let (a, b) = ("https://katalog.example.se/variable/publik-a", "https://katalog.example.se/variable/publik-b");
    let long_ago = Utc::now() - Duration::days(400);
    let mut baseline = revision(a, RecordState::Published, "system");
    baseline.version = Some(1);
    baseline.published = Some(long_ago);
    let mut published = revision(a, RecordState::Published, "dan");
    published.version = Some(2);
    let first = s.revisions.append(&[baseline, revision(a, RecordState::Draft, "anna"), published], &[], &[]).unwrap();
    let mut retired = revision(b, RecordState::Retired, "dan");
    retired.version = Some(4);
    let other = s.revisions.append(&[revision(b, RecordState::InReview, "bo"), retired], &[], &[]).unwrap();
    let mine = |r: &&vardkatalog::state::revisions::Revision| r.iri == a || r.iri == b;
    let public = s.revisions.public(None, 10).unwrap();
    let ids: Vec<u64> = public.iter().filter(mine).map(|r| r.id).collect();
    assert_eq!(ids, vec![other[1].id, first[2].id, first[0].id], "public ones, newest first");
    let kept = public.iter().find(|r| r.id == first[0].id).unwrap();
    assert_eq!(kept.published.map(|t| t.timestamp()), Some(long_ago.timestamp()), "the publication time is kept");
    assert_eq!(kept.published_at().map(|t| t.timestamp()), Some(long_ago.timestamp()));
    let now = public.iter().find(|r| r.id == first[2].id).unwrap();
    assert_eq!(now.published, None);
    assert_eq!(now.published_at(), Some(now.time), "published when written");
    assert_eq!(s.revisions.get(first[1].id).unwrap().unwrap().published_at(), None, "a draft is not published");
    assert_eq!(s.revisions.public(None, 1).unwrap().len(), 1, "at most the limit");
    let older: Vec<u64> = s.revisions.public(Some(first[2].id), 10).unwrap().iter().filter(mine).map(|r| r.id).collect();
    assert_eq!(older, vec![first[0].id], "below the given id");
    assert!(s.revisions.public(Some(first[0].id), 10).unwrap().iter().filter(mine).count() == 0);
}

fn journal(s: &State) {
    let iri = "https://katalog.example.se/variable/journal";
    let r = s.revisions.append(&[revision(iri, RecordState::InReview, "anna")], &[], &[]).unwrap()[0].id;
    let mut entry = JournalEntry::new(CommitId::new());
    entry.holds = vec![iri.into()];
    entry.revisions = vec![revision(iri, RecordState::Published, "bo")];
    entry.audit = vec![note("bo", "publish", iri)];
    // a stale expectation refuses the entry
    assert!(matches!(s.revisions.begin(&entry, &[Expectation::new(iri, None)]), Err(StateError::Conflict { .. })));
    assert!(s.revisions.pending().unwrap().is_empty());
    s.revisions.begin(&entry, &[Expectation::new(iri, Some(r))]).unwrap();
    assert_eq!(s.revisions.pending().unwrap().len(), 1);
    // while it is held, nobody else saves the record
    match s.revisions.append(&[revision(iri, RecordState::Draft, "cilla")], &[], &[]) {
        Err(StateError::Conflict { pending: true, .. }) => {}
        other => panic!("a held record is refused: {other:?}"),
    }
    let mut other = JournalEntry::new(CommitId::new());
    other.holds = vec![iri.into()];
    assert!(matches!(s.revisions.begin(&other, &[]), Err(StateError::Conflict { pending: true, .. })));
    // finishing writes the entry's revisions and audit once, and releases the record
    let audit_before = s.audit.about(iri).unwrap().len();
    let written = s.revisions.finish(&entry.id).unwrap().expect("the entry was there");
    assert_eq!(written.len(), 1);
    assert_eq!(s.revisions.finish(&entry.id).unwrap(), None, "a second finish does nothing");
    assert_eq!(s.audit.about(iri).unwrap().len(), audit_before + 1);
    assert!(s.revisions.open_draft(iri).unwrap().is_none(), "the publication closed the draft");
    assert!(s.revisions.pending().unwrap().is_empty());
    s.revisions.append(&[revision(iri, RecordState::Draft, "cilla")], &[], &[]).unwrap();
    // abandoning releases without writing
    let latest = s.revisions.latest(iri).unwrap().unwrap().id;
    let mut third = JournalEntry::new(CommitId::new());
    third.holds = vec![iri.into()];
    third.revisions = vec![revision(iri, RecordState::Published, "dan")];
    s.revisions.begin(&third, &[Expectation::new(iri, Some(latest))]).unwrap();
    s.revisions.abandon(&third.id).unwrap();
    assert_eq!(s.revisions.latest(iri).unwrap().unwrap().id, latest, "nothing was written");
    s.revisions.append(&[revision(iri, RecordState::Draft, "dan")], &[], &[]).unwrap();
}

fn comments_and_audit(s: &State) {
    let iri = "https://katalog.example.se/variable/kommentar";
    let c = s.comments.add(iri, "anna", "Förslag").unwrap();
    s.comments.add(iri, "bo", "Svar").unwrap();
    s.comments.add("https://katalog.example.se/variable/annan", "bo", "Annat").unwrap();
    let list = s.comments.of_record(iri).unwrap();
    assert_eq!(list.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), vec!["Förslag", "Svar"]);
    assert_eq!(list[0], c);
    let before = s.audit.count().unwrap();
    s.audit.record("anna", "login", "anna", "").unwrap();
    s.audit.record("anna", "logout", "anna", "").unwrap();
    assert_eq!(s.audit.count().unwrap(), before + 2);
    let newest = s.audit.newest(0, 1).unwrap();
    assert_eq!(newest[0].action, "logout", "newest first");
    assert_eq!(s.audit.newest(1, 1).unwrap()[0].action, "login");
    let about: Vec<String> = s.audit.about("anna").unwrap().into_iter().map(|e| e.action).collect();
    assert_eq!(about, vec!["login", "logout"], "oldest first");
}

fn harvest(s: &State) {
    let a = s.harvest.next_run_id().unwrap();
    let b = s.harvest.next_run_id().unwrap();
    assert!(b > a);
    let mut run = RunReport::new(a, "kalla", false);
    s.harvest.save_run(&run).unwrap();
    run.new = 3;
    s.harvest.save_run(&run).unwrap();
    s.harvest.save_run(&RunReport::new(b, "annan", true)).unwrap();
    assert_eq!(s.harvest.run(a).unwrap().unwrap().new, 3, "a report is replaced");
    assert_eq!(s.harvest.runs(None, 10).unwrap().iter().map(|r| r.id).collect::<Vec<_>>(), vec![b, a], "newest first");
    assert_eq!(s.harvest.runs(Some("kalla"), 10).unwrap().len(), 1);
    assert_eq!(s.harvest.mark_interrupted(Some("kalla")).unwrap(), 1);
    assert_eq!(s.harvest.run(a).unwrap().unwrap().status, RunStatus::Interrupted);
    assert_eq!(s.harvest.run(b).unwrap().unwrap().status, RunStatus::Running, "another source's run is left");
    assert_eq!(s.harvest.mark_interrupted(None).unwrap(), 1);
    let w = Written { hash: "h1".into(), previous: None, at: Utc::now() };
    s.harvest.write_owned("kalla", &[("https://x.se/a".into(), Some(w.clone())), ("https://x.se/b".into(), Some(w.clone()))]).unwrap();
    s.harvest.write_owned("kalla", &[("https://x.se/b".into(), None)]).unwrap();
    assert_eq!(s.harvest.owned("kalla").unwrap(), vec![("https://x.se/a".to_owned(), w)]);
    assert!(s.harvest.owned("annan").unwrap().is_empty());
    // the answers of the last successful run, per source, replaced as a whole
    assert_eq!(s.harvest.pages("kalla").unwrap(), None);
    let page = PageSeen {
        url: "https://x.se/cat?page=1".into(),
        accept: "text/turtle".into(),
        answered: "https://x.se/cat?page=1".into(),
        content_type: Some("text/turtle".into()),
        hash: Some("ab".repeat(32)),
        etag: Some("\"v1\"".into()),
        last_modified: Some("Sun, 06 Dec 2026 05:00:00 GMT".into()),
        limit: Some((10, 10_000)),
    };
    let pages = Pages { run: a, context: "c".into(), pages: vec![page.clone(), PageSeen { hash: None, etag: None, ..page }] };
    s.harvest.save_pages("kalla", &pages).unwrap();
    assert_eq!(s.harvest.pages("kalla").unwrap().as_ref(), Some(&pages));
    let later = Pages { run: b, pages: vec![], ..pages };
    s.harvest.save_pages("kalla", &later).unwrap();
    assert_eq!(s.harvest.pages("kalla").unwrap(), Some(later));
    assert_eq!(s.harvest.pages("annan").unwrap(), None);
    s.harvest.store_source("webb", b"{\"id\":\"webb\"}").unwrap();
    assert_eq!(s.harvest.stored_sources().unwrap(), vec![("webb".to_owned(), b"{\"id\":\"webb\"}".to_vec())]);
    s.harvest.remove_source("webb").unwrap();
    assert!(s.harvest.stored_sources().unwrap().is_empty());
}

fn uploads(s: &State) {
    let up = Upload {
        user: "anna".into(),
        filename: "a.xlsx".into(),
        dataset: None,
        id_prefix: Some("par".into()),
        mapping: None,
        created: Utc::now(),
        bytes: b"PK\x03\x04\n\xff".to_vec(),
    };
    let token = s.uploads.put(&up).unwrap();
    assert_eq!(s.uploads.get(&token, "anna").unwrap(), Some(up.clone()));
    assert_eq!(s.uploads.get(&token, "bertil").unwrap(), None, "only its sender's");
    s.uploads.remove(&token).unwrap();
    assert_eq!(s.uploads.get(&token, "anna").unwrap(), None);
    let old = Upload { created: Utc::now() - Duration::minutes(61), ..up };
    let token = s.uploads.put(&old).unwrap();
    assert_eq!(s.uploads.get(&token, "anna").unwrap(), None, "an upload expires after an hour");
}

fn tokens(s: &State) {
    let now = Utc::now();
    let t = |id: &str| ApiToken {
        id: id.into(),
        user: "anna".into(),
        created: now,
        created_by: "admin".into(),
        expires: Some(now + Duration::days(30)),
        last_used: None,
        revoked: None,
    };
    assert!(s.tokens.insert(b"hash-a", &t("a1")).unwrap());
    assert!(!s.tokens.insert(b"hash-b", &t("a1")).unwrap(), "a taken id is not inserted again");
    assert!(!s.tokens.insert(b"hash-a", &t("a2")).unwrap(), "nor a taken hash");
    assert!(s.tokens.by_hash(b"hash-b").unwrap().is_none(), "the refused insert wrote nothing");
    assert_eq!(s.tokens.by_hash(b"hash-a").unwrap(), Some(t("a1")));
    assert!(s.tokens.by_hash(b"a1").unwrap().is_none(), "found by the hash only");
    assert!(s.tokens.insert(b"hash-c", &ApiToken { created: now + Duration::seconds(1), ..t("c3") }).unwrap());
    assert_eq!(s.tokens.list().unwrap().iter().map(|t| t.id.as_str()).collect::<Vec<_>>(), vec!["a1", "c3"], "oldest first");
    let used = now + Duration::minutes(5);
    s.tokens.touch("a1", used).unwrap();
    assert_eq!(s.tokens.get("a1").unwrap().unwrap().last_used, Some(used));
    assert!(s.tokens.revoke("a1", used).unwrap());
    assert!(s.tokens.revoke("a1", used + Duration::days(1)).unwrap());
    assert_eq!(s.tokens.by_hash(b"hash-a").unwrap().unwrap().revoked, Some(used), "the first revocation stays");
    assert!(!s.tokens.revoke("zz", used).unwrap(), "no such token");
    assert!(s.tokens.get("c3").unwrap().unwrap().revoked.is_none(), "another token is untouched");
    // a revocation changes nothing else of the token
    s.tokens.revoke("c3", used).unwrap();
    assert_eq!(s.tokens.get("c3").unwrap().unwrap(), ApiToken { created: now + Duration::seconds(1), revoked: Some(used), ..t("c3") });
    // many issuers of one id at the same moment (two nodes): exactly one token is stored
    let barrier = Arc::new(Barrier::new(8));
    let wins = (0..8)
        .map(|i| {
            let (s, b, token) = (s.clone(), barrier.clone(), t("samma"));
            std::thread::spawn(move || {
                b.wait();
                s.tokens.insert(format!("hash-{i}").as_bytes(), &token).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|w| *w)
        .count();
    assert_eq!(wins, 1);
    assert_eq!(s.tokens.list().unwrap().len(), 3);
}

fn leases(s: &State) {
    use std::time::Duration as Std;
    assert!(s.leases.take("harvest:kalla", "nod-a", Std::from_secs(60)).unwrap(), "a lease no one holds is taken");
    assert!(!s.leases.take("harvest:kalla", "nod-b", Std::from_secs(60)).unwrap(), "a live lease is not taken by another");
    assert!(!s.leases.take("harvest:kalla", "nod-a", Std::from_secs(60)).unwrap(), "nor again by its holder");
    assert!(s.leases.take("harvest:annan", "nod-b", Std::from_secs(60)).unwrap(), "leases are by name");
    assert!(s.leases.renew("harvest:kalla", "nod-a", Std::from_secs(60)).unwrap(), "its holder renews a lease");
    assert!(!s.leases.renew("harvest:kalla", "nod-b", Std::from_secs(60)).unwrap(), "another does not");
    assert!(!s.leases.renew("aldrig", "nod-a", Std::from_secs(60)).unwrap(), "nor does anyone a lease never taken");
    s.leases.release("harvest:kalla", "nod-b").unwrap();
    assert!(!s.leases.take("harvest:kalla", "nod-b", Std::from_secs(60)).unwrap(), "only its holder releases a lease");
    s.leases.release("harvest:kalla", "nod-a").unwrap();
    assert!(s.leases.take("harvest:kalla", "nod-b", Std::from_millis(200)).unwrap(), "a released lease is free");
    std::thread::sleep(Std::from_millis(400));
    assert!(s.leases.take("harvest:kalla", "nod-a", Std::from_secs(60)).unwrap(), "an expired lease is free");
    assert!(!s.leases.renew("harvest:kalla", "nod-b", Std::from_secs(60)).unwrap(), "a lease taken over is not its old holder's");
    // many takers at the same moment: exactly one gets it
    let barrier = Arc::new(Barrier::new(8));
    let wins = (0..8)
        .map(|i| {
            let (s, b) = (s.clone(), barrier.clone());
            std::thread::spawn(move || {
                b.wait();
                s.leases.take("samtidig", &format!("nod-{i}"), Std::from_secs(60)).unwrap()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .map(|h| h.join().unwrap())
        .filter(|w| *w)
        .count();
    assert_eq!(wins, 1);
}

fn label(s: &State) {
    let (a, b) = ("https://katalog.example.se/dataset/a", "https://katalog.example.se/dataset/b");
    let declaration = |dataset: &str, metric: &str, level: u8, author: &str| Declaration {
        dataset: dataset.into(),
        metric: metric.into(),
        level,
        evidence: "https://region.example.se/rapport.pdf".into(),
        note: "Enligt årsrapporten".into(),
        author: author.into(),
        time: Utc::now(),
    };
    let v0 = s.label.version().unwrap();
    let audit_before = s.audit.count().unwrap();
    s.label.declare(&declaration(a, "uniqueness", 2, "anna"), &note("anna", "label_declare", a)).unwrap();
    s.label.declare(&declaration(a, "accuracy", 1, "anna"), &note("anna", "label_declare", a)).unwrap();
    s.label.declare(&declaration(b, "accuracy", 3, "bo"), &note("bo", "label_declare", b)).unwrap();
    let latest = declaration(a, "uniqueness", 3, "bo");
    s.label.declare(&latest, &note("bo", "label_declare", a)).unwrap();
    let of_a = s.label.declarations(a).unwrap();
    assert_eq!(
        of_a.iter().map(|d| (d.metric.as_str(), d.level)).collect::<Vec<_>>(),
        vec![("accuracy", 1), ("uniqueness", 3)],
        "by metric, the newer replaces"
    );
    assert_eq!(of_a[1], latest, "read back as written (evidence, who, when)");
    assert_eq!(s.label.all_declarations().unwrap().len(), 3);
    assert!(s.label.withdraw(a, "accuracy", &note("anna", "label_withdraw", a)).unwrap());
    assert!(!s.label.withdraw(a, "accuracy", &note("anna", "label_withdraw", a)).unwrap(), "nothing to withdraw");
    assert_eq!(s.label.declarations(a).unwrap().len(), 1);
    assert_eq!(s.audit.count().unwrap(), audit_before + 5, "every write audited, a refused one not");
    assert_eq!(s.audit.about(a).unwrap().iter().filter(|e| e.action == "label_declare").count(), 3);
    // confirmations: history per dataset, the latest per dataset
    let attest =
        |dataset: &str, who: &str| Attestation { dataset: dataset.into(), author: who.into(), time: Utc::now(), note: String::new() };
    s.label.attest(&attest(a, "anna"), &note("anna", "attest", a)).unwrap();
    s.label.attest(&attest(b, "bo"), &note("bo", "attest", b)).unwrap();
    s.label.attest(&attest(a, "cilla"), &note("cilla", "attest", a)).unwrap();
    assert_eq!(
        s.label.attestations(a).unwrap().iter().map(|x| x.author.as_str()).collect::<Vec<_>>(),
        vec!["anna", "cilla"],
        "oldest first"
    );
    let latest: Vec<(String, String)> = s.label.latest_attestations().unwrap().into_iter().map(|x| (x.dataset, x.author)).collect();
    assert_eq!(latest, vec![(a.to_owned(), "cilla".to_owned()), (b.to_owned(), "bo".to_owned())]);
    // maturity: one assessment per organisation, replaced
    let agent = "https://katalog.example.se/agent/region-x";
    assert!(s.label.maturity(agent).unwrap().is_none());
    let m = Maturity {
        agent: agent.into(),
        levels: [("governance".to_owned(), 3u8), ("data-model".to_owned(), 2)].into(),
        evidence: String::new(),
        note: "Självskattning 2026".into(),
        author: "anna".into(),
        time: Utc::now(),
    };
    s.label.set_maturity(&m, &note("anna", "maturity", agent)).unwrap();
    let newer = Maturity { levels: [("governance".to_owned(), 4u8)].into(), ..m };
    s.label.set_maturity(&newer, &note("anna", "maturity", agent)).unwrap();
    assert_eq!(s.label.maturity(agent).unwrap(), Some(newer));
    assert_eq!(s.label.all_maturity().unwrap().len(), 1);
    assert!(s.label.version().unwrap() > v0, "the version grows with the writes");
    // two writers of one metric at the same moment: one statement remains, whole
    let barrier = Arc::new(Barrier::new(2));
    let handles: Vec<_> = ["dan", "eva"]
        .into_iter()
        .map(|who| {
            let (s, b, d) = (s.clone(), barrier.clone(), declaration(b, "timeliness", 2, who));
            std::thread::spawn(move || {
                b.wait();
                s.label.declare(&d, &note(&d.author, "label_declare", &d.dataset)).unwrap();
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
    let of_b: Vec<Declaration> = s.label.declarations(b).unwrap().into_iter().filter(|d| d.metric == "timeliness").collect();
    assert_eq!(of_b.len(), 1);
    assert!(["dan", "eva"].contains(&of_b[0].author.as_str()));
}

fn members(s: &State) {
    assert!(s.members.organisations("anna").unwrap().is_empty());
    let orgs =
        ["https://k.se/agent/region-b".to_owned(), "https://k.se/agent/region-a".to_owned(), "https://k.se/agent/region-a".to_owned()];
    s.members.set_organisations("anna", &orgs, &note("admin", "members", "anna")).unwrap();
    assert_eq!(
        s.members.organisations("anna").unwrap(),
        vec!["https://k.se/agent/region-a", "https://k.se/agent/region-b"],
        "sorted, once"
    );
    assert!(s.members.organisations("bo").unwrap().is_empty(), "per account");
    s.members.set_organisations("anna", &[], &note("admin", "members", "anna")).unwrap();
    assert!(s.members.organisations("anna").unwrap().is_empty());
    assert_eq!(s.audit.about("anna").unwrap().iter().filter(|e| e.action == "members").count(), 2);
}

fn deliveries(s: &State) {
    let (kpp, vp) = ("https://k.se/dataset/kpp", "https://k.se/dataset/vardplatser");
    let report = |collection: &str, region: &str, period: &str, rows: u64| DeliveryReport {
        id: 0,
        collection: collection.into(),
        region: region.into(),
        period: period.into(),
        rows,
        header_only: false,
        columns: vec![ColumnCounts {
            name: "KON".into(),
            level: "required".into(),
            present: true,
            filled: rows,
            invalid: 1,
            problems: [("code_not_in_list".to_owned(), 1u64)].into(),
        }],
        unknown_columns: 0,
        errors: 1,
        warnings: 0,
        passed: false,
        submitted_by: "anna".into(),
        time: Utc::now(),
    };
    let v0 = s.label.version().unwrap();
    let first = s.deliveries.add(&report(kpp, "https://k.se/agent/region-a", "2026-01", 100), &note("anna", "delivery", kpp)).unwrap();
    let second = s.deliveries.add(&report(vp, "https://k.se/agent/region-a", "2026", 5), &note("anna", "delivery", vp)).unwrap();
    let given = report(kpp, "https://k.se/agent/region-b", "2026-01", 7);
    let third = s.deliveries.add(&given, &note("bo", "delivery", kpp)).unwrap();
    assert!(first.id < second.id && second.id < third.id, "ids grow");
    assert_eq!(third, DeliveryReport { id: third.id, ..given }, "stored as given");
    assert_eq!(s.deliveries.of_collection(kpp).unwrap()[1], third, "and read back so");
    let of_kpp = s.deliveries.of_collection(kpp).unwrap();
    assert_eq!(of_kpp.iter().map(|r| r.rows).collect::<Vec<_>>(), vec![100, 7], "a collection's, oldest first");
    assert_eq!(s.deliveries.all_deliveries().unwrap().len(), 3);
    assert!(s.label.version().unwrap() > v0, "a delivery moves the label's version");
    assert_eq!(s.audit.about(kpp).unwrap().iter().filter(|e| e.action == "delivery").count(), 2);
}

#[test]
fn the_sled_state_in_memory_keeps_the_contract() {
    contract(State::temporary().unwrap());
}

#[test]
fn the_postgres_state_keeps_its_data_across_connections_and_migrates_once() {
    let settings = crate::postgres_server::settings();
    contract(State::connect(&settings).unwrap());
    // a second node connecting to the same database finds everything, and migrates nothing again
    let other = State::connect(&settings).unwrap();
    assert_eq!(other.users.list().unwrap().len(), 3, "everything is there from another connection");
    assert!(other.tokens.get("a1").unwrap().unwrap().revoked.is_some(), "a revocation too");
    let mut c = ::postgres::Client::connect(&settings.url, ::postgres::NoTls).unwrap();
    let versions: Vec<i32> =
        c.query("SELECT version FROM schema_migrations ORDER BY version", &[]).unwrap().iter().map(|r| r.get(0)).collect();
    assert_eq!(versions, (1..=versions.len() as i32).collect::<Vec<_>>(), "each migration recorded once, in order");
    assert!(versions.len() >= 8);
}

#[test]
fn nodes_starting_at_once_apply_each_migration_once() {
    let settings = crate::postgres_server::settings();
    let barrier = Arc::new(Barrier::new(4));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let (s, b) = (settings.clone(), barrier.clone());
            std::thread::spawn(move || {
                b.wait();
                State::connect(&s).map(|_| ())
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().expect("every node opens the database");
    }
    let mut c = ::postgres::Client::connect(&settings.url, ::postgres::NoTls).unwrap();
    let n: i64 = c.query_one("SELECT count(*) FROM schema_migrations", &[]).unwrap().get(0);
    let distinct: i64 = c.query_one("SELECT count(DISTINCT version) FROM schema_migrations", &[]).unwrap().get(0);
    assert_eq!(n, distinct);
}

#[test]
fn a_database_migrated_by_a_newer_version_is_refused() {
    let settings = crate::postgres_server::settings();
    State::connect(&settings).unwrap();
    let mut c = ::postgres::Client::connect(&settings.url, ::postgres::NoTls).unwrap();
    c.execute("INSERT INTO schema_migrations (version, name) VALUES (9999, 'framtid')", &[]).unwrap();
    let err = State::connect(&settings).err().expect("refused").to_string();
    assert!(err.contains("9999") && err.contains("newer"), "{err}");
}

#[test]
fn a_state_database_that_cannot_be_reached_is_an_error_without_its_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let settings = vardkatalog::state::PostgresSettings::new(format!("postgres://vk:hemligt-losen@127.0.0.1:{port}/x?connect_timeout=2"));
    let err = State::connect(&settings).err().expect("no server there").to_string();
    assert!(!err.contains("hemligt-losen"), "{err}");
    assert!(err.contains("vk:***@127.0.0.1"), "the database is named: {err}");
    assert!(!format!("{settings:?}").contains("hemligt"), "{settings:?}");
}

#[test]
fn the_sled_state_on_disk_keeps_the_contract_and_its_data() {
    let dir = tempfile::tempdir().unwrap();
    contract(State::open(&dir.path().join("state")).unwrap());
    let reopened = State::open(&dir.path().join("state")).unwrap();
    assert_eq!(reopened.users.list().unwrap().len(), 3, "everything is there after reopening");
    assert!(reopened.tokens.get("a1").unwrap().unwrap().revoked.is_some(), "a revocation is durable");
}

/// The crash clause: a write that returned is there after `kill -9` (a child process, this
/// test binary running [`state_crash_child`], appends and prints each acknowledged revision).
fn acknowledged_writes_survive_kill_9(child_env: (&str, &str), reopen: impl Fn() -> State) {
    use std::io::{BufRead, BufReader};
    let mut child = std::process::Command::new(std::env::current_exe().unwrap())
        .args(["--ignored", "--exact", "state_contract::state_crash_child", "--nocapture", "--test-threads=1"])
        .env(child_env.0, child_env.1)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut acked = Vec::new();
    for line in BufReader::new(child.stdout.take().unwrap()).lines() {
        if let Some(n) = line.unwrap().strip_prefix("acked ") {
            acked.push(n.parse::<u32>().unwrap());
            if acked.len() == 25 {
                child.kill().unwrap();
                break;
            }
        }
    }
    child.wait().unwrap();
    assert_eq!(acked.len(), 25);
    let state = reopen();
    for n in acked {
        let iri = format!("https://katalog.example.se/variable/krasch-{n}");
        assert!(state.revisions.latest(&iri).unwrap().is_some(), "acknowledged revision {n} survived");
        assert!(state.users.get(&format!("konto-{n}")).unwrap().is_some(), "acknowledged account {n} survived");
    }
}

#[test]
fn writes_acknowledged_before_kill_9_are_in_the_sled_state() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_str().unwrap().to_owned();
    acknowledged_writes_survive_kill_9(("VK_STATE_CRASH_DIR", &path), || State::open(&dir.path().join("state")).unwrap());
}

#[test]
fn writes_acknowledged_before_kill_9_are_in_the_postgres_state() {
    let settings = crate::postgres_server::settings();
    acknowledged_writes_survive_kill_9(("VK_STATE_CRASH_PG", &settings.url), || State::connect(&settings).unwrap());
}

/// The child of the crash tests: writes until it is killed.
#[test]
#[ignore = "run by writes_acknowledged_before_kill_9_are_in_the_* in a child process"]
fn state_crash_child() {
    use std::io::Write as _;
    let state = if let Ok(dir) = std::env::var("VK_STATE_CRASH_DIR") {
        State::open(&std::path::Path::new(&dir).join("state")).unwrap()
    } else if let Ok(url) = std::env::var("VK_STATE_CRASH_PG") {
        State::connect(&vardkatalog::state::PostgresSettings::new(url)).unwrap()
    } else {
        return;
    };
    for n in 0u32.. {
        let iri = format!("https://katalog.example.se/variable/krasch-{n}");
        state.revisions.append(&[revision(&iri, RecordState::Draft, "anna")], &[], &[]).unwrap();
        state.users.create(&user(&format!("konto-{n}"))).unwrap();
        let mut out = std::io::stdout().lock();
        writeln!(out, "acked {n}").unwrap();
        out.flush().unwrap();
    }
}
