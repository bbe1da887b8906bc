//! Hostile input over real HTTP against a server on loopback: oversized and deeply nested bodies,
//! slow clients (slow-loris), header and path tricks, and templates whose names, parameters and
//! scripts try path traversal, shell metacharacters, control characters and enormous sizes. None
//! may get a 5xx or crash the server, and none may change what it should not.
//!
//! The server runs with short deadlines ([`Limits`]) so that the slow-client tests end in seconds.

mod bodies;
mod paths;
mod slow;
mod templates;

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::Value;
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{Role, RunFilter, Scope};
use simple_cicd_engine::{api, secrets, settings, Engine, EngineOptions};
use simple_cicd_server::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The deadlines of the test server: a request's head within 1 s, its body within 2 s.
const LIMITS: Limits = Limits { header_timeout: Duration::from_secs(1), body_timeout: Duration::from_secs(2) };

struct Server {
    engine: Engine,
    addr: SocketAddr,
    /// An API token with every scope.
    token: String,
    dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
}

const HELLO: &str = "kind: shell\nname: hello\nparams: [{ name: WHO, type: string, default: world }]\n\
triggers:\n  - webhook: { provider: generic, secret: GEN_HOOK }\nscript: echo \"hello $WHO\"\n";

const UI: &[(&str, &[u8])] = &[("index.html", b"<!doctype html><title>ui</title>")];

/// The tests' own calls: the OS user at the command line, who may do everything.
fn me() -> Caller {
    Caller::cli()
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let engine =
        Engine::open(EngineOptions { data_dir: Some(dir.path().join("data")), ..Default::default() }).await.unwrap();
    settings::config_set(&engine, &me(), "secrets.backend", "file").await.unwrap();
    #[allow(unsafe_code)]
    // SAFETY: every test of this binary sets the same value; nothing else reads it concurrently.
    unsafe {
        std::env::set_var(secrets::SECRETS_KEY_ENV, "a hostile test passphrase");
    }
    secrets::secret_set(&engine, &me(), "GEN_HOOK", "gen-secret").await.unwrap();
    api::template_apply_yaml(&engine, &me(), HELLO).await.unwrap();
    let owner = Caller::Cli { os_user: "owner".into() };
    api::user_add(&engine, &owner, "ana", Role::Admin, "a good password").await.unwrap();
    let token = api::token_create(&engine, &owner, Some("ana"), "hostile", &Scope::ALL, None).await.unwrap().value;
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let files = simple_cicd_server::ui::Files(UI);
    let s =
        simple_cicd_server::start_with_limits(engine.clone(), "127.0.0.1:0".parse().unwrap(), files, LIMITS, async {
            let _ = rx.await;
        })
        .await
        .unwrap();
    Server { engine, addr: s.addr, token, dir, _stop: stop }
}

/// What the server holds that a refused request must leave alone: templates (with their
/// specs), runs, users, tokens, settings.
async fn state(engine: &Engine) -> Value {
    let owner = Caller::Cli { os_user: "owner".into() };
    let mut templates = Vec::new();
    for t in api::template_list(engine).await.unwrap() {
        templates.push(serde_json::to_value(api::template_get(engine, &t.name).await.unwrap().spec).unwrap());
    }
    serde_json::json!({
        "templates": templates,
        "runs": api::run_list(engine, &RunFilter::default()).await.unwrap().total,
        "users": serde_json::to_value(api::user_list(engine, &owner).await.unwrap()).unwrap(),
        "tokens": api::token_list(engine, &owner, Some("ana")).await.unwrap().len(),
        "settings": serde_json::to_value(settings::config_list(engine).await.unwrap()).unwrap(),
    })
}

/// An answer: its status (0 when the server closed the connection without one), headers and
/// body as text.
#[derive(Debug)]
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

fn parse(buf: &[u8]) -> Answer {
    let text = String::from_utf8_lossy(buf);
    let status = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    Answer { status, head: head.to_string(), body: body.to_string() }
}

/// Sends `request` as raw bytes (written alongside the read: a server refusing a large body
/// answers before it has read it all) and reads the answer until the server closes.
async fn raw(addr: SocketAddr, request: Vec<u8>) -> Answer {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let writer = tokio::spawn(async move {
        let _ = wr.write_all(&request).await;
        wr
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), rd.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server answers (or closes) within 30 s");
    drop(writer.await);
    parse(&buf)
}

/// A request with `Connection: close`, `Host: 127.0.0.1` and the test's token unless `headers`
/// say otherwise; the body's length announced.
fn request(method: &str, target: &str, headers: &[(&str, &str)], body: &[u8], token: &str) -> Vec<u8> {
    let mut head = format!("{method} {target} HTTP/1.1\r\nConnection: close\r\n");
    let has = |name: &str| headers.iter().any(|(k, _)| k.eq_ignore_ascii_case(name));
    if !has("host") {
        head.push_str("Host: 127.0.0.1\r\n");
    }
    if !has("authorization") && !token.is_empty() {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if !has("transfer-encoding") {
        head.push_str(&format!("Content-Length: {}\r\n", body.len()));
    }
    head.push_str("\r\n");
    let mut bytes = head.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// A JSON request with the test's token.
async fn call(s: &Server, method: &str, target: &str, body: &[u8]) -> Answer {
    raw(s.addr, request(method, target, &[("Content-Type", "application/json")], body, &s.token)).await
}

/// The server still answers an ordinary request.
async fn still_serves(s: &Server) {
    let a = call(s, "GET", "/api/v1/templates", b"").await;
    assert_eq!(a.status, 200, "the server still answers after the hostile requests: {a:?}");
}

/// This process's resident memory in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let line = status.lines().find(|l| l.starts_with("VmRSS:")).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}
