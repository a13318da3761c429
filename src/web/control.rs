//! The server side of the control channel (`crate::control`): a second actix server on a
//! loopback address of its own, never routed on the public listener. It answers only peers on
//! the loopback interface that send the secret of the control file, and runs the command they
//! send through the handler `serve` gives it (the command line's own code over this server's
//! services), streaming standard output and error back as the command writes them.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::web::{self, Bytes};
use actix_web::{App, HttpRequest, HttpResponse, HttpServer};
use tokio::sync::mpsc;

use crate::control::{self, Request};

/// Runs one command: its arguments (files already replaced by paths on this machine), its
/// standard input, where its standard output and error go; its exit status.
pub type Handler = Arc<dyn Fn(Vec<String>, Vec<u8>, &mut dyn std::io::Write, &mut dyn std::io::Write) -> u8 + Send + Sync>;

/// The most a request may carry (an import file and standard input).
const MAX_REQUEST: usize = 512 * 1024 * 1024;

struct Control {
    secret: String,
    handler: Handler,
}

/// The control server on 127.0.0.1 and a free port, with its address. It does not listen to
/// signals: `serve` stops it after the public server.
pub fn server(secret: String, handler: Handler) -> std::io::Result<(Server, SocketAddr)> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    let control = web::Data::new(Control { secret, handler });
    let server = HttpServer::new(move || {
        App::new()
            .app_data(control.clone())
            .app_data(web::PayloadConfig::new(MAX_REQUEST))
            .route(control::PING_PATH, web::get().to(ping))
            .route(control::RUN_PATH, web::post().to(run))
            .default_service(web::to(HttpResponse::NotFound))
    })
    .workers(2)
    .disable_signals()
    .shutdown_timeout(60)
    .listen(listener)?
    .run();
    Ok((server, addr))
}

/// `None` when the peer may use the channel; else the refusal.
fn refused(req: &HttpRequest, control: &Control) -> Option<HttpResponse> {
    if !req.peer_addr().is_some_and(|a| a.ip().is_loopback()) {
        return Some(HttpResponse::Forbidden().body("the control channel answers this machine only"));
    }
    let given = req.headers().get(control::SECRET_HEADER).map(|v| v.as_bytes()).unwrap_or_default();
    if !control::secrets_match(given, &control.secret) {
        return Some(HttpResponse::Forbidden().body("wrong control secret"));
    }
    None
}

async fn ping(req: HttpRequest, control: web::Data<Control>) -> HttpResponse {
    if let Some(no) = refused(&req, &control) {
        return no;
    }
    HttpResponse::Ok().json(serde_json::json!({ "pid": std::process::id(), "version": env!("CARGO_PKG_VERSION") }))
}

/// Sends what a command writes to one stream as frames of the answer.
struct FrameWriter {
    kind: u8,
    tx: mpsc::Sender<Bytes>,
}

impl std::io::Write for FrameWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if !buf.is_empty() {
            self.tx
                .blocking_send(Bytes::from(control::frame(self.kind, buf)))
                .map_err(|_| std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away"))?;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn run(req: HttpRequest, body: Bytes, control: web::Data<Control>) -> HttpResponse {
    if let Some(no) = refused(&req, &control) {
        return no;
    }
    let Some(request) = Request::decode(&body) else {
        return HttpResponse::BadRequest().body("a malformed control request");
    };
    drop(body);
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let handler = control.handler.clone();
    tracing::info!(command = %request.args.join(" "), "a command from the control channel");
    std::thread::spawn(move || {
        let Request { mut args, stdin, files } = request;
        // the files the command reads, under their own names in a directory of this request
        let dir = match tempfile::tempdir() {
            Ok(d) => d,
            Err(e) => {
                let _ = tx.blocking_send(Bytes::from(control::frame(b'E', format!("error: {e}\n").as_bytes())));
                let _ = tx.blocking_send(Bytes::from(control::exit_frame(1)));
                return;
            }
        };
        for (arg, name, bytes) in files {
            let path = dir.path().join(&name);
            if let Err(e) = std::fs::write(&path, bytes) {
                let _ = tx.blocking_send(Bytes::from(control::frame(b'E', format!("error: {e}\n").as_bytes())));
                let _ = tx.blocking_send(Bytes::from(control::exit_frame(1)));
                return;
            }
            args[arg] = path.display().to_string();
        }
        let mut out = FrameWriter { kind: b'O', tx: tx.clone() };
        let mut err = FrameWriter { kind: b'E', tx: tx.clone() };
        let code = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| handler(args, stdin, &mut out, &mut err))).unwrap_or(101);
        let _ = tx.blocking_send(Bytes::from(control::exit_frame(code)));
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|b| (Ok::<_, std::io::Error>(b), rx)) });
    HttpResponse::Ok().content_type("application/octet-stream").streaming(stream)
}
