//! Shared test helpers: a catalogue in a temporary directory, and a real server on 127.0.0.1
//! with a free port.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{mpsc, Arc, OnceLock};

use vardkatalog::catalog::Catalogue;
use vardkatalog::config::{Config, Lang};
use vardkatalog::model::Minter;
use vardkatalog::store::Store;

pub const BASE: &str = "https://katalog.example.se/";

/// A configuration over a fresh temporary data directory.
pub fn temp_config() -> (tempfile::TempDir, Config) {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = Config {
        base_iri: BASE.into(),
        data_dir: dir.path().to_path_buf(),
        bind: "127.0.0.1:0".into(),
        lang: Lang::Sv,
        vocabularies: Default::default(),
        sparql: Default::default(),
    };
    (dir, config)
}

/// An empty catalogue in memory.
pub fn empty_catalogue() -> Catalogue {
    Catalogue::new(Store::in_memory().expect("store"), Minter::new(BASE))
}

/// A catalogue in memory holding the seed.
pub fn seeded_catalogue() -> Catalogue {
    let cat = empty_catalogue();
    cat.seed_if_empty().expect("the seed loads").expect("the store was empty");
    cat
}

/// A running server over a seeded on-disk catalogue.
pub struct TestServer {
    pub addr: SocketAddr,
    pub catalogue: Arc<Catalogue>,
    _dir: PathBuf,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

/// Starts a server (its own actix system on its own thread) and returns once it listens.
pub fn start_server() -> TestServer {
    let (dir, config) = temp_config();
    let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
    let addr = listener.local_addr().unwrap();
    let catalogue = vardkatalog::app::open_and_seed(&config).expect("open and seed");
    let (tx, rx) = mpsc::channel();
    let cat = catalogue.clone();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            let server = vardkatalog::web::server(listener, cat, &config).expect("server");
            tx.send(()).unwrap();
            let _ = server.await;
        });
    });
    rx.recv().expect("server started");
    let path = dir.keep();
    TestServer { addr, catalogue, _dir: path }
}

/// One server shared by the read-only page tests.
pub fn shared_server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(start_server)
}

/// A blocking HTTP client that does not follow redirects.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}
