//! Shared test helpers: a catalogue in a temporary directory, and a real server on 127.0.0.1
//! with a free port.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, mpsc};

use vardkatalog::catalog::Catalogue;
use vardkatalog::config::{Config, Lang};
use vardkatalog::model::Minter;
use vardkatalog::search::SearchIndex;
use vardkatalog::store::EmbeddedStore;

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
        quality: Default::default(),
        harvest: Default::default(),
        curation: Default::default(),
        trusted_proxies: Vec::new(),
        remote_store: None,
        state_db: None,
    };
    (dir, config)
}

/// An empty catalogue in memory.
pub fn empty_catalogue() -> Catalogue {
    Catalogue::new(Arc::new(EmbeddedStore::in_memory().expect("store")), Minter::new(BASE), SearchIndex::in_memory().expect("index"))
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
    /// The server's operational state (users, sessions, revisions, harvest runs).
    #[allow(dead_code)]
    pub state: vardkatalog::state::State,
    _dir: PathBuf,
}

impl TestServer {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }
}

/// Starts a server (its own actix system on its own thread) and returns once it listens.
pub fn start_server() -> TestServer {
    start_server_with(|_| {})
}

/// Starts a server whose configuration `adjust` changes first (vocabulary bases, limits).
pub fn start_server_with(adjust: impl FnOnce(&mut Config)) -> TestServer {
    let (dir, mut config) = temp_config();
    adjust(&mut config);
    let listener = TcpListener::bind("127.0.0.1:0").expect("free port");
    let addr = listener.local_addr().unwrap();
    let (catalogue, state) = vardkatalog::app::open(&config).expect("open the data directory");
    let services = vardkatalog::services::Services::new(catalogue.clone(), state.clone(), &config).expect("the services");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        let system = actix_web::rt::System::new();
        system.block_on(async move {
            let server = vardkatalog::web::server(listener, &services, &config).expect("server");
            tx.send(()).unwrap();
            let _ = server.await;
        });
    });
    rx.recv().expect("server started");
    let path = dir.keep();
    TestServer { addr, catalogue, state, _dir: path }
}

/// One server shared by the read-only page tests.
pub fn shared_server() -> &'static TestServer {
    static SERVER: OnceLock<TestServer> = OnceLock::new();
    SERVER.get_or_init(start_server)
}

/// A blocking HTTP client that does not follow redirects.
pub fn client() -> reqwest::blocking::Client {
    reqwest::blocking::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

/// A minimal browser for tests: keeps cookies (reqwest is built without its cookie store) and
/// posts forms.
pub struct Browser {
    http: reqwest::blocking::Client,
    base: String,
    cookies: std::sync::Mutex<std::collections::BTreeMap<String, String>>,
}

impl Browser {
    pub fn new(server: &TestServer) -> Self {
        Self::at(&server.addr.to_string())
    }

    /// A browser for a server at `host:port` (one started as a separate process).
    pub fn at(addr: &str) -> Self {
        Self { http: client(), base: format!("http://{addr}"), cookies: Default::default() }
    }

    /// The same browser (its cookies: session, CSRF) pointed at another server: a person whom
    /// a load balancer sends to another node.
    #[allow(dead_code)]
    pub fn same_cookies_at(&self, addr: &str) -> Self {
        Self { http: client(), base: format!("http://{addr}"), cookies: std::sync::Mutex::new(self.cookies.lock().unwrap().clone()) }
    }

    fn cookie_header(&self) -> String {
        self.cookies.lock().unwrap().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep(&self, res: &reqwest::blocking::Response) {
        for h in res.headers().get_all("set-cookie") {
            let text = h.to_str().unwrap();
            let pair = text.split(';').next().unwrap();
            if let Some((k, v)) = pair.split_once('=') {
                self.cookies.lock().unwrap().insert(k.trim().to_owned(), v.trim().to_owned());
            }
        }
    }

    /// The value of a cookie this browser holds.
    #[allow(dead_code)]
    pub fn cookie(&self, name: &str) -> Option<String> {
        self.cookies.lock().unwrap().get(name).cloned().filter(|v| !v.is_empty())
    }

    /// The CSRF token the forms of a page served to this browser carry (bound to the session
    /// when signed in): read from the sign-in page.
    #[allow(dead_code)]
    pub fn csrf(&self) -> String {
        let html = self.get("/login").text().unwrap();
        let re = regex::Regex::new(r#"name="csrf" value="([0-9a-f]{64})""#).unwrap();
        let token = re.captures(&html).map(|c| c[1].to_owned()).expect("the sign-in page carries a CSRF token");
        assert!(self.cookie("vk_csrf").is_some(), "the server sets vk_csrf");
        token
    }

    /// GET with extra headers.
    #[allow(dead_code)]
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> reqwest::blocking::Response {
        let mut req = self.http.get(format!("{}{path}", self.base)).header("cookie", self.cookie_header());
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.send().unwrap();
        self.keep(&res);
        res
    }

    pub fn get(&self, path: &str) -> reqwest::blocking::Response {
        let res = self.http.get(format!("{}{path}", self.base)).header("cookie", self.cookie_header()).send().unwrap();
        self.keep(&res);
        res
    }

    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> reqwest::blocking::Response {
        self.post_form_with(path, form, &[])
    }

    /// POSTs a form with extra headers.
    pub fn post_form_with(&self, path: &str, form: &[(&str, &str)], headers: &[(&str, &str)]) -> reqwest::blocking::Response {
        self.try_post_form_with(path, form, headers).unwrap()
    }

    /// POSTs a form; an error when no answer came (the server went away).
    pub fn try_post_form(&self, path: &str, form: &[(&str, &str)]) -> Result<reqwest::blocking::Response, reqwest::Error> {
        self.try_post_form_with(path, form, &[])
    }

    fn try_post_form_with(
        &self,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Result<reqwest::blocking::Response, reqwest::Error> {
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = req.body(serde_urlencoded::to_string(form).unwrap()).send()?;
        self.keep(&res);
        Ok(res)
    }
}

/// The RDF format of a Content-Type (parameters ignored), as harvesters read it.
pub fn format_of(content_type: &str) -> Option<oxigraph::io::RdfFormat> {
    use oxigraph::io::RdfFormat;
    match content_type.split(';').next().unwrap_or("").trim() {
        "text/turtle" => Some(RdfFormat::Turtle),
        "application/rdf+xml" => Some(RdfFormat::RdfXml),
        "application/ld+json" => Some(RdfFormat::JsonLd { profile: Default::default() }),
        "application/n-triples" => Some(RdfFormat::NTriples),
        _ => None,
    }
}

/// Parses an RDF body by its Content-Type; panics with the reason when it does not parse.
pub fn parse_rdf(body: &[u8], content_type: &str) -> oxigraph::model::Graph {
    let format = format_of(content_type).unwrap_or_else(|| panic!("{content_type} is not an RDF type"));
    vardkatalog::catalog::parse_document(body, format, BASE).unwrap_or_else(|e| panic!("the {content_type} body does not parse: {e}"))
}

/// GETs a URL and parses the RDF answer (status 200 asserted).
pub fn get_rdf(url: &str, accept: &str) -> (reqwest::header::HeaderMap, oxigraph::model::Graph) {
    let res = client().get(url).header("accept", accept).send().unwrap();
    assert_eq!(res.status(), reqwest::StatusCode::OK, "{url}");
    let headers = res.headers().clone();
    let ct = headers["content-type"].to_str().unwrap().to_owned();
    let body = res.bytes().unwrap();
    (headers, parse_rdf(&body, &ct))
}

/// The password test accounts get.
#[allow(dead_code)]
pub const PASSWORD: &str = "ett långt testlösenord";

/// A browser signed in as a new account `name` with `role` (created directly in the state).
#[allow(dead_code)]
pub fn signed_in(server: &TestServer, name: &str, role: vardkatalog::accounts::Role) -> Browser {
    vardkatalog::accounts::Accounts::new(server.state.clone()).add("test", name, role, PASSWORD).expect("the account is created");
    let b = Browser::new(server);
    let csrf = b.csrf();
    let res = b.post_form("/login", &[("csrf", &csrf), ("namn", name), ("losenord", PASSWORD), ("next", "/")]);
    assert_eq!(res.status(), reqwest::StatusCode::SEE_OTHER, "{name} signs in");
    assert!(b.cookie("vk_session").is_some(), "a session cookie is set");
    b
}

impl Browser {
    /// POSTs `multipart/form-data` with text fields and one file (reqwest is built without its
    /// multipart feature, so the body is written here).
    #[allow(dead_code)]
    pub fn post_multipart(&self, path: &str, fields: &[(&str, &str)], file: (&str, &str, &[u8])) -> reqwest::blocking::Response {
        let boundary = "----vardkatalog-test-boundary-7d1f";
        let mut body = Vec::new();
        for (k, v) in fields {
            body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
        }
        let (name, filename, data) = file;
        body.extend_from_slice(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes(),
        );
        body.extend_from_slice(data);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .unwrap();
        self.keep(&res);
        res
    }
}

/// The real `vardkatalog serve` in its own process, over a fresh data directory, on a free
/// port; killed when dropped.
pub struct ServeProcess {
    pub child: std::process::Child,
    pub base: String,
    _dir: tempfile::TempDir,
}

impl ServeProcess {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The data directory the server holds.
    #[allow(dead_code)]
    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }
}

impl Drop for ServeProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `vardkatalog serve` with these environment variables and standard error, and returns
/// once `/healthz` answers (panics if the process exits first).
pub fn serve_binary(env: &[(&str, &str)], stderr: std::process::Stdio) -> ServeProcess {
    let (dir, _) = temp_config();
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_vardkatalog"));
    cmd.env("VARDKATALOG_DATA_DIR", dir.path())
        .env("VARDKATALOG_BASE_IRI", BASE)
        .env("VARDKATALOG_BIND", format!("127.0.0.1:{port}"))
        .env_remove("VARDKATALOG_CONFIG")
        .current_dir(dir.path())
        .arg("serve")
        .stdout(std::process::Stdio::null())
        .stderr(stderr);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut process = ServeProcess { child: cmd.spawn().unwrap(), base: format!("http://127.0.0.1:{port}"), _dir: dir };
    let http = reqwest::blocking::Client::builder().timeout(std::time::Duration::from_secs(30)).build().unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = process.child.try_wait().unwrap() {
            panic!("serve exited with {status} before it answered");
        }
        if http.get(process.url("/healthz")).send().is_ok_and(|r| r.status().is_success()) {
            return process;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(180), "serve never answered");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}
