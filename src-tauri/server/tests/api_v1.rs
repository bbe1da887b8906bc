//! `/api/v1` over real HTTP: signing in, access and refresh tokens (expired, tampered, `alg:
//! none`, reused), API tokens with scopes, the role × route matrix derived from the route table,
//! brute-force lockout, runs started by a caller whose trigger says who, and the audit log.

use std::net::SocketAddr;
use std::time::Duration;

use serde_json::{json, Value};
use simple_cicd_engine::auth::Caller;
use simple_cicd_engine::model::{AuditFilter, Role, Scope, UserChange};
use simple_cicd_engine::{api, secrets, settings, Engine, EngineOptions};
use simple_cicd_server::v1::{Kind, Method, Route, ROUTES};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "api_v1/openapi.rs"]
mod openapi;

struct Server {
    engine: Engine,
    addr: SocketAddr,
    _dir: tempfile::TempDir,
    _stop: tokio::sync::oneshot::Sender<()>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
    settings::config_set(&engine, &me(), "secrets.backend", "file").await.unwrap();
    #[allow(unsafe_code)]
    // SAFETY: every test of this binary sets the same value; nothing else reads it concurrently.
    unsafe {
        std::env::set_var(secrets::SECRETS_KEY_ENV, "an api test passphrase");
    }
    let (stop, rx) = tokio::sync::oneshot::channel::<()>();
    let s = simple_cicd_server::start(engine.clone(), "127.0.0.1:0".parse().unwrap(), async move {
        let _ = rx.await;
    })
    .await
    .unwrap();
    Server { engine, addr: s.addr, _dir: dir, _stop: stop, task: s.task }
}

/// The tests' own calls: the OS user at the command line, who may do everything.
fn me() -> Caller {
    Caller::cli()
}

fn owner() -> Caller {
    Caller::Cli { os_user: "owner".into() }
}

async fn add_user(engine: &Engine, name: &str, role: Role) {
    api::user_add(engine, &owner(), name, role, "a good password").await.unwrap();
}

/// One request; the status and the JSON body (Null when none).
async fn call(addr: SocketAddr, method: &str, path: &str, token: Option<&str>, body: Option<Value>) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(t) = token {
        head.push_str(&format!("Authorization: Bearer {t}\r\n"));
    }
    if !body.is_empty() {
        head.push_str("Content-Type: application/json\r\n");
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    let stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    // Written alongside the read: a server refusing a large body answers before reading it all,
    // and the rest of the write may fail.
    let writer = tokio::spawn(async move {
        let _ = wr.write_all(head.as_bytes()).await;
        let _ = wr.write_all(body.as_bytes()).await;
        wr
    });
    let mut buf = Vec::new();
    let _ =
        tokio::time::timeout(Duration::from_secs(30), rd.read_to_end(&mut buf)).await.expect("an answer within 30 s");
    drop(writer.await);
    let text = String::from_utf8_lossy(&buf);
    let status =
        text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

async fn sign_in(addr: SocketAddr, name: &str) -> Value {
    sign_in_with(addr, name, "a good password").await
}

async fn sign_in_with(addr: SocketAddr, name: &str, password: &str) -> Value {
    let (status, session) =
        call(addr, "POST", "/api/v1/auth/signin", None, Some(json!({"name": name, "password": password}))).await;
    assert_eq!(status, 200, "{session}");
    session
}

fn access(session: &Value) -> String {
    session["accessToken"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_request_without_a_valid_token_is_refused_with_the_way_in() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Admin).await;
    let (status, err) = call(s.addr, "GET", "/api/v1/runs", None, None).await;
    assert_eq!(status, 401);
    assert_eq!(err["code"], "unauthenticated");
    assert!(err["message"].as_str().unwrap().contains("/api/v1/auth/signin"), "{err}");

    let token = access(&sign_in(s.addr, "ana").await);
    let (status, me) = call(s.addr, "GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!((status, me["actor"].as_str()), (200, Some("ana")));

    // Tampered (another payload under the same signature), alg none, garbage: all 401.
    let parts: Vec<&str> = token.split('.').collect();
    let forged_body = base64_url(r#"{"sub":1,"sid":"x","iat":0,"exp":99999999999}"#);
    let tampered = format!("{}.{forged_body}.{}", parts[0], parts[2]);
    let none = format!("{}.{}.", base64_url(r#"{"alg":"none","typ":"JWT"}"#), parts[1]);
    for bad in [tampered.as_str(), none.as_str(), "garbage", "scicd_not-a-token"] {
        let (status, err) = call(s.addr, "GET", "/api/v1/runs", Some(bad), None).await;
        assert_eq!(status, 401, "{bad}: {err}");
    }
}

fn base64_url(text: &str) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text)
}

#[tokio::test]
async fn every_role_reaches_exactly_the_routes_its_scopes_allow() {
    let s = server().await;
    for role in Role::ALL {
        add_user(&s.engine, role.as_str(), role).await;
    }
    for role in Role::ALL {
        let token = access(&sign_in(s.addr, role.as_str()).await);
        for route in ROUTES.iter().filter(|r| r.scope.is_some() && r.op != "sign_out") {
            let scope = route.scope.unwrap();
            let allowed = role.scopes().contains(&scope);
            if allowed && route.kind == Kind::Events && route.op == "events" {
                continue; // a stream that does not end; see the events test
            }
            let (path, body) = request_of(route, &json!({}));
            let (status, answer) = call(s.addr, route.method.as_str(), &path, Some(&token), body).await;
            if allowed {
                assert!(status != 401 && status != 403, "{} {} {path}: {status} {answer}", role.as_str(), route.op);
            } else {
                assert_eq!(status, 403, "{} {} {path}: {answer}", role.as_str(), route.op);
                assert_eq!(answer["code"], "forbidden");
            }
        }
    }
}

/// A sample value for a path parameter.
fn sample(param: &str) -> String {
    match param {
        "id" => "999999".into(),
        "provider" => "gitea".into(),
        _ => "nothing-here".into(),
    }
}

/// The request for `route` with the arguments `args` as the UI passes them to invoke: what the
/// UI's HTTP transport does, from the route table alone (see ui/src/bindings/routes.ts). Path
/// parameters missing from `args` get a sample value.
fn request_of(route: &Route, args: &Value) -> (String, Option<Value>) {
    let mut path = route.path.to_string();
    let mut rest = args.as_object().cloned().unwrap_or_default();
    for p in route.path_params() {
        let value = match rest.remove(p) {
            Some(Value::String(v)) => v,
            Some(v) => v.to_string(),
            None => sample(p),
        };
        path = path.replace(&format!("{{{p}}}"), &encode(&value));
    }
    if route.method == Method::Get {
        let query: Vec<String> = rest
            .iter()
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| {
                let text = match v {
                    Value::String(t) => t.clone(),
                    other => other.to_string(),
                };
                format!("{}={}", encode(k), encode(&text))
            })
            .collect();
        if !query.is_empty() {
            path = format!("{path}?{}", query.join("&"));
        }
        (path, None)
    } else {
        (path, Some(Value::Object(rest)))
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Calls operation `op` like the UI's transport would.
async fn invoke(addr: SocketAddr, token: &str, op: &str, args: Value) -> (u16, Value) {
    let route = ROUTES.iter().find(|r| r.op == op).unwrap_or_else(|| panic!("no route {op}"));
    let (path, body) = request_of(route, &args);
    call(addr, route.method.as_str(), &path, Some(token), body).await
}

#[tokio::test]
async fn a_refresh_token_rotates_and_its_reuse_ends_the_session() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Viewer).await;
    let first = sign_in(s.addr, "ana").await;
    let (status, second) =
        call(s.addr, "POST", "/api/v1/auth/refresh", None, Some(json!({"refreshToken": first["refreshToken"]}))).await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(second["refreshToken"], first["refreshToken"]);
    let (status, _) = call(s.addr, "GET", "/api/v1/me", Some(&access(&second)), None).await;
    assert_eq!(status, 200);
    // The first refresh token again: stolen. The whole family goes, the new tokens too.
    let (status, err) =
        call(s.addr, "POST", "/api/v1/auth/refresh", None, Some(json!({"refreshToken": first["refreshToken"]}))).await;
    assert_eq!(status, 401);
    assert!(err["message"].as_str().unwrap().contains("already used"), "{err}");
    let (status, _) =
        call(s.addr, "POST", "/api/v1/auth/refresh", None, Some(json!({"refreshToken": second["refreshToken"]}))).await;
    assert_eq!(status, 401);
    let (status, _) = call(s.addr, "GET", "/api/v1/me", Some(&access(&second)), None).await;
    assert_eq!(status, 401, "the access token of a revoked session is refused");
}

#[tokio::test]
async fn signing_out_ends_the_session() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Viewer).await;
    let session = sign_in(s.addr, "ana").await;
    let token = access(&session);
    let (status, _) = call(s.addr, "POST", "/api/v1/auth/signout", Some(&token), None).await;
    assert_eq!(status, 200);
    let (status, _) = call(s.addr, "GET", "/api/v1/me", Some(&token), None).await;
    assert_eq!(status, 401);
    let (status, _) =
        call(s.addr, "POST", "/api/v1/auth/refresh", None, Some(json!({"refreshToken": session["refreshToken"]})))
            .await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn wrong_passwords_slow_down_then_lock_the_account() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Viewer).await;
    let mut last = (0, Value::Null);
    for _ in 0..8 {
        last = call(s.addr, "POST", "/api/v1/auth/signin", None, Some(json!({"name": "ana", "password": "wrong one"})))
            .await;
    }
    assert_eq!(last.0, 429, "{}", last.1);
    assert_eq!(last.1["code"], "locked");
    let (status, _) =
        call(s.addr, "POST", "/api/v1/auth/signin", None, Some(json!({"name": "ana", "password": "a good password"})))
            .await;
    assert_eq!(status, 429, "the right password does not open a locked account");
    // A name that does not exist answers like a wrong password.
    let (status, err) =
        call(s.addr, "POST", "/api/v1/auth/signin", None, Some(json!({"name": "nobody", "password": "x"}))).await;
    assert_eq!((status, err["message"].as_str()), (401, Some("the user name or the password is wrong")));
    let audit = api::audit_list(&s.engine, &owner(), &Default::default()).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "sign_in" && e.result == "locked"), "{audit:?}");
}

#[tokio::test]
async fn an_api_token_runs_a_template_as_itself_until_it_is_revoked() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Operator).await;
    api::template_apply_yaml(&s.engine, &me(), "kind: shell\nname: hello\nscript: echo hi\n").await.unwrap();
    let token = access(&sign_in(s.addr, "ana").await);
    let (status, err) =
        call(s.addr, "POST", "/api/v1/tokens", Some(&token), Some(json!({"name": "bot", "scopes": ["read", "write"]})))
            .await;
    assert_eq!(status, 400, "an operator's token cannot hold write: {err}");
    let (status, created) =
        call(s.addr, "POST", "/api/v1/tokens", Some(&token), Some(json!({"name": "bot", "scopes": ["read", "run"]})))
            .await;
    assert_eq!(status, 201, "{created}");
    let value = created["value"].as_str().unwrap().to_string();
    assert!(value.starts_with("scicd_"));

    let (status, run) = call(s.addr, "POST", "/api/v1/runs", Some(&value), Some(json!({"template": "hello"}))).await;
    assert_eq!(status, 201, "{run}");
    assert_eq!(run["trigger"], "api token bot");
    let (status, _) = call(s.addr, "POST", "/api/v1/users", Some(&value), Some(json!({}))).await;
    assert_eq!(status, 403);

    let listed = api::token_list(&s.engine, &owner(), Some("ana")).await.unwrap();
    assert!(listed[0].last_used_at.is_some(), "its use is recorded");
    let (status, _) = call(s.addr, "DELETE", &format!("/api/v1/tokens/{}", listed[0].id), Some(&token), None).await;
    assert_eq!(status, 200);
    let (status, err) = call(s.addr, "GET", "/api/v1/runs", Some(&value), None).await;
    assert_eq!(status, 401);
    assert!(err["message"].as_str().unwrap().contains("revoked"), "{err}");

    let audit = api::audit_list(&s.engine, &owner(), &Default::default()).await.unwrap();
    let seen: Vec<(String, String, String)> =
        audit.iter().map(|e| (e.actor.clone(), e.action.clone(), e.result.clone())).collect();
    assert!(seen.contains(&("token bot (ana)".into(), "run.start".into(), "ok".into())), "{seen:?}");
    assert!(seen.contains(&("ana".into(), "token.create".into(), "invalid".into())), "{seen:?}");
    assert!(seen.contains(&("ana".into(), "token.revoke".into(), "ok".into())), "{seen:?}");
    assert!(audit.iter().all(|e| e.origin == "127.0.0.1" || e.origin == "cli"), "{audit:?}");
    assert!(audit.iter().all(|e| !e.detail.clone().unwrap_or_default().contains(&value)), "no token value is logged");
    let _ = Scope::ALL;
}

#[tokio::test]
async fn the_last_admin_cannot_be_removed_disabled_or_demoted() {
    let s = server().await;
    add_user(&s.engine, "root", Role::Admin).await;
    let me = owner();
    assert!(api::user_remove(&s.engine, &me, "root").await.is_err());
    let demote = UserChange { role: Some(Role::Viewer), ..Default::default() };
    let disable = UserChange { disabled: Some(true), ..Default::default() };
    assert!(api::user_update(&s.engine, &me, "root", &demote).await.is_err());
    assert!(api::user_update(&s.engine, &me, "root", &disable).await.is_err());
    add_user(&s.engine, "second", Role::Admin).await;
    api::user_update(&s.engine, &me, "root", &demote).await.unwrap();
    let dup = api::user_add(&s.engine, &me, "ROOT", Role::Viewer, "a good password").await.unwrap_err();
    assert!(dup.to_string().contains("already exists"), "names are unique without case: {dup}");
    let short = api::user_add(&s.engine, &me, "ana", Role::Viewer, "short").await.unwrap_err();
    assert!(short.to_string().contains("at least 8"), "{short}");
}

/// GETs `path` and reads the whole answer (a stream that ends when the run does).
async fn read_stream(addr: SocketAddr, path: &str, token: &str) -> String {
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head =
        format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut buf)).await.unwrap().unwrap();
    String::from_utf8_lossy(&buf).into_owned()
}

async fn wait_status(addr: SocketAddr, id: i64, token: &str, want: &str) -> Value {
    for _ in 0..300 {
        let (_, run) = call(addr, "GET", &format!("/api/v1/runs/{id}"), Some(token), None).await;
        if run["status"] == want {
            return run;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("run {id} never reached {want}");
}

#[tokio::test]
async fn a_runs_live_log_streams_as_server_sent_events_until_it_ends() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Viewer).await;
    api::template_apply_yaml(
        &s.engine,
        &me(),
        "kind: shell\nname: count\nscript: for i in 1 2 3; do echo line$i; sleep 0.2; done\n",
    )
    .await
    .unwrap();
    let run = api::run_start(&s.engine, &me(), "count", &Default::default()).await.unwrap();
    let token = access(&sign_in(s.addr, "ana").await);
    let text = read_stream(s.addr, &format!("/api/v1/runs/{}/events", run.id), &token).await;
    assert!(text.contains("text/event-stream"), "{text}");
    assert!(text.contains("event: status"), "{text}");
    assert!(text.contains("event: lines") && text.contains("line1") && text.contains("line3"), "{text}");
    let end = text.split("event: end").nth(1).expect("the stream ends with `end`");
    assert!(end.contains("\"succeeded\""), "{end}");
    // Resuming after the last line seen sends no line again.
    let again = read_stream(s.addr, &format!("/api/v1/runs/{}/events?from=999", run.id), &token).await;
    assert!(!again.contains("line1") && again.contains("event: end"), "{again}");
    // As a browser's EventSource asks: the token in the query, the first line as fromSeq; each
    // event's data is the FollowEvent the desktop's channel gets.
    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let path = format!("/api/v1/runs/{}/events?fromSeq=3&access_token={token}", run.id);
    let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let text = read_until(&mut stream, "event: end").await;
    assert!(text.starts_with("HTTP/1.1 200") && !text.contains("line1") && text.contains("line2"), "{text}");
    let events: Vec<Value> =
        text.lines().filter_map(|l| l.strip_prefix("data: ")).map(|d| serde_json::from_str(d).unwrap()).collect();
    assert!(events.iter().any(|e| e["type"] == "lines" && e["data"][0]["text"].is_string()), "{events:?}");
    assert!(events.iter().any(|e| e["type"] == "end" && e["data"]["status"] == "succeeded"), "{events:?}");
}

#[tokio::test]
async fn an_operator_approves_a_waiting_step_under_their_own_name() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Operator).await;
    add_user(&s.engine, "vic", Role::Viewer).await;
    api::template_apply_yaml(&s.engine, &me(),
        "kind: pipeline\nname: gate\nsteps:\n  - { name: ok, kind: approval, message: Go? }\n  - { name: after, needs: [ok], kind: shell, script: 'echo approved by $WHO', env: { WHO: \"${steps.ok.outputs.approver}\" } }\n",
    )
    .await
    .unwrap();
    let ana = access(&sign_in(s.addr, "ana").await);
    let vic = access(&sign_in(s.addr, "vic").await);
    let (status, run) = call(s.addr, "POST", "/api/v1/runs", Some(&ana), Some(json!({"template": "gate"}))).await;
    assert_eq!(status, 201, "{run}");
    assert_eq!(run["trigger"], "manual by ana");
    let id = run["id"].as_i64().unwrap();
    wait_status(s.addr, id, &ana, "waiting").await;
    let answer = json!({"approve": true, "comment": "ship it"});
    let (status, _) =
        call(s.addr, "POST", &format!("/api/v1/runs/{id}/answer"), Some(&vic), Some(answer.clone())).await;
    assert_eq!(status, 403, "a viewer cannot approve");
    let (status, step) = call(s.addr, "POST", &format!("/api/v1/runs/{id}/answer"), Some(&ana), Some(answer)).await;
    assert_eq!(status, 200, "{step}");
    wait_status(s.addr, id, &ana, "succeeded").await;
    let (_, lines) = call(s.addr, "GET", &format!("/api/v1/runs/{id}/logs"), Some(&ana), None).await;
    assert!(lines.to_string().contains("approved by ana"), "{lines}");
    let audit = api::audit_list(&s.engine, &owner(), &Default::default()).await.unwrap();
    assert!(audit.iter().any(|e| e.actor == "ana" && e.action == "run.approve" && e.result == "ok"), "{audit:?}");
}

#[tokio::test]
async fn bad_bodies_get_a_clear_4xx_and_change_nothing() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Admin).await;
    let token = access(&sign_in(s.addr, "ana").await);
    let (status, err) = call(
        s.addr,
        "POST",
        "/api/v1/users",
        Some(&token),
        Some(json!({"name": "x", "role": "viewer", "password": "a good password", "admin": true})),
    )
    .await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid")), "{err}");
    assert!(err["message"].as_str().unwrap().contains("unknown field `admin`"), "{err}");
    let (status, err) = call(s.addr, "POST", "/api/v1/runs", Some(&token), Some(json!({"template": 7}))).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid")), "{err}");
    let huge = json!({"template": "x".repeat(10 * 1024 * 1024)});
    let (status, err) = call(s.addr, "POST", "/api/v1/runs", Some(&token), Some(huge)).await;
    assert_eq!((status, err["code"].as_str()), (413, Some("too_large")), "{err}");
    assert_eq!(api::user_list(&s.engine, &owner()).await.unwrap().len(), 1, "no user was added");
    assert_eq!(api::run_list(&s.engine, &Default::default()).await.unwrap().total, 0, "no run was started");
}

/// An address of this machine that is not loopback (the one its default route leaves from).
fn lan_address() -> std::net::IpAddr {
    let out = std::process::Command::new("hostname").arg("-I").output().expect("hostname runs");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .filter_map(|a| a.parse::<std::net::IpAddr>().ok())
        .find(|ip| ip.is_ipv4() && !ip.is_loopback())
        .expect("this machine has a non-loopback IPv4 address")
}

#[tokio::test]
async fn the_local_only_routes_check_the_peer_address_not_only_the_host_header() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
    let (_stop, rx) = tokio::sync::oneshot::channel::<()>();
    let s = simple_cicd_server::start(engine, "0.0.0.0:0".parse().unwrap(), async move {
        let _ = rx.await;
    })
    .await
    .unwrap();
    let port = s.addr.port();
    let (status, _) = call(SocketAddr::from(([127, 0, 0, 1], port)), "GET", "/api/health", None, None).await;
    assert_eq!(status, 200, "from this machine's loopback");
    // The same request (Host: 127.0.0.1) from a non-loopback address is refused by its peer.
    let (status, _) = call(SocketAddr::new(lan_address(), port), "GET", "/api/health", None, None).await;
    assert_eq!(status, 403);
}

/// Reads from a stream until `until` is in what came, at most 30 s.
async fn read_until(stream: &mut tokio::net::TcpStream, until: &str) -> String {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while !String::from_utf8_lossy(&buf).contains(until) {
        let n = tokio::time::timeout_at(deadline, stream.read(&mut chunk))
            .await
            .unwrap_or_else(|_| panic!("no {until:?} within 30 s in {:?}", String::from_utf8_lossy(&buf)))
            .unwrap();
        assert!(n > 0, "the stream closed before {until:?}: {}", String::from_utf8_lossy(&buf));
        buf.extend_from_slice(&chunk[..n]);
    }
    String::from_utf8_lossy(&buf).into_owned()
}

#[tokio::test]
async fn the_desktop_events_stream_to_a_browser_with_the_token_in_the_query() {
    let s = server().await;
    add_user(&s.engine, "ana", Role::Operator).await;
    api::template_apply_yaml(&s.engine, &me(), "kind: shell\nname: hello\nscript: echo hi\n").await.unwrap();
    let token = access(&sign_in(s.addr, "ana").await);
    // No token: refused; the query token works on event streams only.
    let (status, _) = call(s.addr, "GET", "/api/v1/events", None, None).await;
    assert_eq!(status, 401);
    let (status, err) = call(s.addr, "GET", &format!("/api/v1/runs?access_token={token}"), None, None).await;
    assert_eq!(status, 401, "{err}");
    let (status, _) = call(s.addr, "GET", "/api/v1/events?access_token=garbage", None, None).await;
    assert_eq!(status, 401);

    let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
    let head = format!("GET /api/v1/events?access_token={token} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let text = read_until(&mut stream, "text/event-stream").await;
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let (status, run) =
        invoke(s.addr, &token, "run_start", json!({"template": "hello", "params": {}, "gitRef": null})).await;
    assert_eq!(status, 201, "{run}");
    let text = read_until(&mut stream, "\"succeeded\"").await;
    assert!(text.contains("event: run://status"), "{text}");
    let data: Vec<Value> =
        text.lines().filter_map(|l| l.strip_prefix("data: ")).map(|d| serde_json::from_str(d).unwrap()).collect();
    assert!(data.iter().all(|r| r["id"] == run["id"] && r["template"] == "hello"), "{data:?}");
    assert_eq!(data.last().unwrap()["status"], "succeeded");
}

/// Waits until run `id` has status `want`, asking over HTTP as `token`.
async fn wait_run(addr: SocketAddr, token: &str, id: &Value, want: &str) {
    for _ in 0..300 {
        let (_, run) = invoke(addr, token, "run_get", json!({ "id": id })).await;
        if run["status"] == want {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("run {id} never reached {want}");
}

/// Every operation of the table, called like the UI calls it (the same op names and argument
/// objects as `invoke`), over real HTTP: each answers what the engine says (a success, or the
/// engine's own error where a real service would be needed), never a transport error.
#[tokio::test]
async fn every_operation_answers_over_http_as_the_ui_calls_it() {
    let s = server().await;
    add_user(&s.engine, "root", Role::Admin).await;
    let t = access(&sign_in(s.addr, "root").await);
    let mut called = std::collections::BTreeSet::new();
    // (op, args, expected status)
    macro_rules! expect {
        ($op:expr, $args:expr, $status:expr) => {{
            let (status, answer) = invoke(s.addr, &t, $op, $args).await;
            assert_eq!(status, $status, "{}: {answer}", $op);
            called.insert($op);
            answer
        }};
    }
    let info = expect!("app_info", json!({}), 200);
    assert_eq!(info["version"], env!("CARGO_PKG_VERSION"));
    expect!("me", json!({}), 200);
    expect!("dashboard_stats", json!({}), 200);
    let yaml = "kind: shell\nname: hello\nscript: echo hi\n";
    expect!("template_import_yaml", json!({ "yaml": yaml }), 200);
    let mut spec = expect!("template_parse_yaml", json!({ "yaml": yaml }), 200);
    assert_eq!(spec["name"], "hello");
    assert_eq!(expect!("template_list", json!({}), 200).as_array().unwrap().len(), 1);
    expect!("template_get", json!({ "name": "hello" }), 200);
    assert!(expect!("template_export_yaml", json!({ "name": "hello" }), 200).as_str().unwrap().contains("echo hi"));
    spec["name"] = json!("hello two");
    let found = expect!("template_validate", json!({ "spec": spec }), 200);
    assert_eq!(found[0]["path"], "name", "the engine's field errors, nothing saved: {found}");
    spec["name"] = json!("hello-two");
    assert_eq!(expect!("template_validate", json!({ "spec": spec }), 200), json!([]), "valid: no errors");
    expect!("template_save", json!({ "spec": spec, "originalName": null }), 200);
    expect!("template_get", json!({ "name": "hello-two" }), 200);
    expect!("template_pin", json!({ "name": "hello", "pinned": true }), 200);
    expect!("template_delete", json!({ "name": "hello-two" }), 200);
    let example = expect!("example_get", json!({}), 200);
    assert!(example["templates"].as_array().is_some_and(|t| !t.is_empty()), "{example}");
    let refused = expect!("example_import", json!({ "repo": "no-such-repo", "replace": false }), 400);
    assert!(refused["message"].as_str().unwrap_or_default().contains("no-such-repo"), "{refused}");

    let run = expect!("run_start", json!({"template": "hello", "params": {}, "gitRef": null}), 201);
    wait_run(s.addr, &t, &run["id"], "succeeded").await;
    assert_eq!(expect!("run_get", json!({ "id": run["id"] }), 200)["trigger"], "manual by root");
    let page = expect!(
        "run_list",
        json!({ "filter": {"template": "hello", "status": "succeeded", "limit": 10, "offset": 0} }),
        200
    );
    assert_eq!(page["total"], 1);
    // A filter's fields may also come one by one, as a person writes a query.
    let (status, page) =
        call(s.addr, "GET", "/api/v1/runs?template=hello&status=succeeded&limit=10", Some(&t), None).await;
    assert_eq!((status, &page["total"]), (200, &json!(1)), "{page}");
    let (status, err) = call(s.addr, "GET", "/api/v1/runs?state=succeeded", Some(&t), None).await;
    assert!(status == 400 && err["message"].as_str().unwrap().contains("unknown field `state`"), "{err}");
    let lines = expect!("run_logs", json!({ "id": run["id"], "fromSeq": 0, "limit": 100 }), 200);
    assert!(lines.to_string().contains("hi"), "{lines}");
    expect!("run_steps", json!({ "id": run["id"] }), 200);
    let file = read_stream(s.addr, &format!("/api/v1/runs/{}/log", run["id"]), &t).await;
    assert!(file.starts_with("HTTP/1.1 200") && file.contains("\nhi\n"), "{file}");
    assert!(file.to_lowercase().contains("content-disposition: attachment; filename=\"hello-1.log\""), "{file}");
    called.insert("run_log_download");
    let found = expect!("run_log_search", json!({ "id": run["id"], "query": "HI", "limit": null }), 200);
    assert_eq!(found["total"], 1, "{found}");
    expect!("run_cancel", json!({ "id": run["id"] }), 409);

    api::template_apply_yaml(
        &s.engine,
        &me(),
        "kind: pipeline\nname: gate\nsteps:\n  - { name: ok, kind: approval, message: Go? }\n",
    )
    .await
    .unwrap();
    let gate = expect!("run_start", json!({"template": "gate", "params": {}, "gitRef": ""}), 201);
    wait_run(s.addr, &t, &gate["id"], "waiting").await;
    expect!("run_answer", json!({ "id": gate["id"], "approve": true, "comment": "ok", "step": null }), 200);
    api::template_apply_yaml(
        &s.engine,
        &me(),
        "kind: pipeline\nname: flaky\nsteps:\n  - { name: a, kind: shell, script: 'exit 1' }\n",
    )
    .await
    .unwrap();
    let flaky = expect!("run_start", json!({"template": "flaky", "params": {}, "gitRef": null}), 201);
    wait_run(s.addr, &t, &flaky["id"], "failed").await;
    let again = expect!("run_retry", json!({ "id": flaky["id"], "from": null }), 201);
    assert_ne!(again["id"], flaky["id"]);

    expect!("config_list", json!({}), 200);
    assert_eq!(expect!("config_set", json!({ "key": "runs.maxParallel", "value": "3" }), 200)["value"], 3);
    expect!("config_unset", json!({ "key": "runs.maxParallel" }), 200);
    expect!("smtp_test", json!({ "to": "not an address" }), 400);

    let secret = expect!("secret_set", json!({ "name": "DB_PASS", "value": "s3cret-value" }), 200);
    assert_eq!(secret["name"], "DB_PASS");
    let listed = expect!("secret_list", json!({}), 200);
    assert!(!secret.to_string().contains("s3cret") && !listed.to_string().contains("s3cret"), "{listed}");
    expect!("secret_delete", json!({ "name": "DB_PASS" }), 200);
    expect!("storage_usage", json!({}), 200);
    expect!("storage_cleanup", json!({}), 200);

    expect!("endpoint_list", json!({}), 200);
    let endpoint = json!({"name": "far", "url": "tcp://127.0.0.1:9", "tlsCa": null, "tlsCert": null, "tlsKey": null, "sshKey": null});
    expect!("endpoint_add", json!({ "endpoint": endpoint }), 201);
    expect!("endpoint_test", json!({ "name": "far" }), 502);
    expect!("endpoint_remove", json!({ "name": "far" }), 200);
    expect!("registry_list", json!({}), 200);
    let registry = json!({"name": "reg", "url": "127.0.0.1:9", "username": "me", "password": "reg-password"});
    let added = expect!("registry_add", json!({ "registry": registry }), 201);
    assert!(!added.to_string().contains("reg-password"));
    expect!("registry_test", json!({ "name": "reg" }), 502);
    expect!("registry_remove", json!({ "name": "reg" }), 200);
    expect!("cluster_list", json!({}), 200);
    let (status, _) = invoke(s.addr, &t, "cluster_contexts", json!({})).await;
    assert!(status == 200 || status >= 500, "{status}");
    called.insert("cluster_contexts");
    let kubeconfig = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: { server: 'https://127.0.0.1:9' }\nusers:\n- name: u\n  user: { token: abc }\ncontexts:\n- name: x\n  context: { cluster: c, user: u }\ncurrent-context: x\n";
    let (status, cluster) = invoke(
        s.addr,
        &t,
        "cluster_add",
        json!({ "cluster": {"name": "c1", "context": "x", "kubeconfig": kubeconfig, "namespace": null} }),
    )
    .await;
    called.insert("cluster_add");
    assert!(status == 201 || status == 502, "{cluster}");
    let (status, tested) = invoke(s.addr, &t, "cluster_test", json!({ "name": "c1" })).await;
    called.insert("cluster_test");
    assert!(status == 502 || status == 404, "{tested}");
    let (status, _) = invoke(s.addr, &t, "cluster_remove", json!({ "name": "c1" })).await;
    called.insert("cluster_remove");
    assert!(status == 200 || status == 404);

    expect!("app_list", json!({}), 200);
    expect!("app_get", json!({ "name": "nothing" }), 404);
    expect!("app_rollback", json!({ "name": "nothing", "to": 1 }), 404);
    expect!("app_redeploy", json!({ "name": "nothing" }), 404);
    expect!("app_action", json!({ "name": "nothing", "action": "restart" }), 404);
    expect!("app_logs", json!({ "name": "nothing", "service": "web", "tail": 10 }), 404);
    expect!("app_recover", json!({ "name": "nothing" }), 404);
    expect!("app_diff", json!({ "name": "nothing", "from": 1, "to": 2 }), 404);

    let bare = s._dir.path().join("origin.git");
    let git = std::process::Command::new("git").args(["init", "-q", "--bare"]).arg(&bare).status().unwrap();
    assert!(git.success());
    expect!("repo_list", json!({}), 200);
    let input = json!({"name": "origin", "url": format!("file://{}", bare.display()), "provider": null, "auth": "none", "username": null, "secret": null, "passphrase": null});
    expect!("repo_save", json!({ "input": input, "replace": false }), 200);
    expect!("repo_save", json!({ "input": input, "replace": false }), 409);
    expect!("repo_test", json!({ "name": "origin" }), 200);
    expect!("repo_delete", json!({ "name": "origin" }), 200);

    let hooked =
        "kind: shell\nname: hooked\ntriggers:\n  - webhook: { provider: generic, secret: HOOKED }\nscript: 'true'\n";
    api::template_apply_yaml(&s.engine, &me(), hooked).await.unwrap();
    expect!("trigger_overview", json!({ "template": "hooked" }), 200);
    assert_eq!(
        expect!("cron_preview", json!({ "expression": "*/5 * * * *", "count": 3 }), 200).as_array().unwrap().len(),
        3
    );
    expect!("cron_preview", json!({ "expression": "every tuesday", "count": 3 }), 400);
    let secret = expect!("webhook_secret_generate", json!({ "template": "hooked", "provider": "generic" }), 200);
    assert!(secret.as_str().unwrap().len() >= 16);
    let status = expect!("server_status", json!({}), 200);
    assert_eq!(
        (status["listening"].as_bool(), status["address"].as_str()),
        (Some(true), Some(s.addr.to_string().as_str()))
    );

    expect!("user_list", json!({}), 200);
    expect!("user_add", json!({ "name": "bob", "role": "viewer", "password": "a good password" }), 201);
    assert_eq!(
        expect!("user_update", json!({ "name": "bob", "role": "operator", "disabled": null }), 200)["role"],
        "operator"
    );
    expect!("user_passwd", json!({ "name": "bob", "password": "another good one" }), 200);
    // Anyone sets their own password; only an admin someone else's.
    let bob = access(&sign_in_with(s.addr, "bob", "another good one").await);
    let (status, _) =
        invoke(s.addr, &bob, "user_passwd", json!({ "name": "root", "password": "bob owns root now" })).await;
    assert_eq!(status, 403);
    let (status, err) =
        invoke(s.addr, &bob, "user_passwd", json!({ "name": "bob", "password": "bob's own new one" })).await;
    assert_eq!(status, 200, "{err}");
    expect!("user_remove", json!({ "name": "bob" }), 200);
    expect!("token_list", json!({ "user": null }), 200);
    let token =
        expect!("token_create", json!({ "name": "bot", "user": null, "scopes": ["read"], "expires": "30d" }), 201);
    expect!("token_revoke", json!({ "id": token["token"]["id"] }), 200);

    let audit = expect!(
        "audit_list",
        json!({ "filter": {"actor": "root", "action": null, "before": null, "limit": 1000} }),
        200
    );
    let actions: std::collections::BTreeSet<String> =
        audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap().to_string()).collect();
    // Every changing operation called above left an entry.
    for route in ROUTES.iter().filter(|r| r.changes() && called.contains(r.op) && r.op != "run_answer") {
        let action = route.op.replacen('_', ".", 1);
        assert!(actions.contains(&action), "{} left no audit entry {action}: {actions:?}", route.op);
    }
    assert!(actions.contains("run.approve"));
    let text = audit.to_string();
    assert!(
        !text.contains("s3cret-value")
            && !text.contains("reg-password")
            && !text.contains(token["value"].as_str().unwrap())
    );

    // The sign-in routes and the event streams have their own tests.
    let elsewhere = ["sign_in", "refresh", "sign_out", "run_events", "events"];
    let missing: Vec<&str> =
        ROUTES.iter().map(|r| r.op).filter(|op| !called.contains(op) && !elsewhere.contains(op)).collect();
    assert!(missing.is_empty(), "not called over HTTP: {missing:?}");
}

/// Bad input on every route, from the table: an unknown argument is refused with its name, a
/// refused request to a changing route is audited, and a body of 10 MB is refused with 413.
#[tokio::test]
async fn every_route_refuses_unknown_arguments_and_huge_bodies() {
    let s = server().await;
    add_user(&s.engine, "root", Role::Admin).await;
    let t = access(&sign_in(s.addr, "root").await);
    for route in
        ROUTES.iter().filter(|r| r.kind == Kind::Json && r.scope.is_some() && r.op != "sign_out" && r.op != "me")
    {
        let (status, err) = invoke(s.addr, &t, route.op, json!({ "bogusField": 1 })).await;
        assert_eq!(status, 400, "{}: {err}", route.op);
        assert!(err["message"].as_str().unwrap().contains("unknown field `bogusField`"), "{}: {err}", route.op);
    }
    // Inside the objects an operation takes too.
    let nested = [
        (
            "endpoint_add",
            json!({ "endpoint": {"name": "e", "url": "tcp://127.0.0.1:9", "insecure": true} }),
            "insecure",
        ),
        ("run_list", json!({ "filter": {"limit": 5, "user": "x"} }), "user"),
        ("template_save", json!({ "spec": {"kind": "shell", "name": "x", "script": "true", "sudo": true} }), "sudo"),
    ];
    for (op, args, field) in nested {
        let (status, err) = invoke(s.addr, &t, op, args).await;
        assert_eq!(status, 400, "{op}: {err}");
        assert!(err["message"].as_str().unwrap().contains(&format!("unknown field `{field}`")), "{op}: {err}");
    }
    let refused = api::audit_list(&s.engine, &owner(), &Default::default()).await.unwrap();
    for route in ROUTES.iter().filter(|r| r.kind == Kind::Json && r.changes() && r.op != "sign_out") {
        let action = route.op.replacen('_', ".", 1);
        assert!(
            refused.iter().any(|e| e.action == action && e.result == "invalid"),
            "{} refused but not audited",
            route.op
        );
    }
    let huge = "x".repeat(10 * 1024 * 1024);
    for (op, args) in [
        ("template_import_yaml", json!({ "yaml": huge })),
        ("secret_set", json!({ "name": "BIG", "value": huge })),
        ("run_start", json!({ "template": huge })),
    ] {
        let (status, err) = invoke(s.addr, &t, op, args).await;
        assert_eq!((status, err["code"].as_str()), (413, Some("too_large")), "{op}: {err}");
    }
    assert!(api::template_list(&s.engine).await.unwrap().is_empty());
    assert!(secrets::secret_list(&s.engine).await.unwrap().is_empty());
}

/// The role × route matrix's other half: a viewer calling every route that needs more than read
/// gets 403, changes nothing, and each refusal is in the audit log.
#[tokio::test]
async fn a_viewer_calling_every_write_route_changes_nothing_and_is_audited() {
    let s = server().await;
    add_user(&s.engine, "root", Role::Admin).await;
    add_user(&s.engine, "vic", Role::Viewer).await;
    api::template_apply_yaml(&s.engine, &me(), "kind: shell\nname: hello\nscript: echo hi\n").await.unwrap();
    secrets::secret_set(&s.engine, &me(), "KEEP", "kept value").await.unwrap();
    let root = access(&sign_in(s.addr, "root").await);
    let vic = access(&sign_in(s.addr, "vic").await);
    let snapshot = || async {
        let mut all = Vec::new();
        for op in [
            "template_list",
            "secret_list",
            "config_list",
            "user_list",
            "repo_list",
            "registry_list",
            "cluster_list",
            "run_list",
            "endpoint_list",
        ] {
            let (_, v) = invoke(s.addr, &root, op, json!({})).await;
            all.push(v);
        }
        all
    };
    let before = snapshot().await;
    let writes: Vec<&Route> = ROUTES.iter().filter(|r| matches!(r.scope, Some(sc) if sc != Scope::Read)).collect();
    assert!(writes.len() > 30, "{}", writes.len());
    for route in &writes {
        // Plausible arguments: the route would do something for a caller allowed to.
        let args = json!({"name": "hello", "template": "hello", "params": {}, "value": "x", "key": "runs.maxParallel",
            "yaml": "kind: shell\nname: other\nscript: echo\n", "id": 1, "approve": true, "to": 1, "pinned": true,
            "role": "admin", "password": "a good password"});
        let (status, err) = invoke(s.addr, &vic, route.op, args).await;
        assert_eq!((status, err["code"].as_str()), (403, Some("forbidden")), "{}: {err}", route.op);
        assert!(err["message"].as_str().unwrap().contains(route.scope.unwrap().as_str()), "{}: {err}", route.op);
    }
    assert_eq!(snapshot().await, before, "a viewer changed something");
    let audit = api::audit_list(
        &s.engine,
        &owner(),
        &AuditFilter { actor: Some("vic".into()), limit: Some(1000), ..Default::default() },
    )
    .await
    .unwrap();
    for route in &writes {
        let action = route.op.replacen('_', ".", 1);
        assert!(audit.iter().any(|e| e.action == action && e.result == "forbidden"), "{}: no audit entry", route.op);
    }
}

/// `GET /...` that is not the API is the app: traversal in any spelling is refused, unknown API
/// paths are JSON 404s, and the app's own routes get index.html.
#[tokio::test]
async fn the_ui_is_served_without_traversal_and_api_paths_stay_json() {
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::open(EngineOptions { data_dir: Some(dir.path().into()), ..Default::default() }).await.unwrap();
    let (_stop, rx) = tokio::sync::oneshot::channel::<()>();
    static FILES: &[(&str, &[u8])] = &[("index.html", b"<html>the app</html>"), ("assets/app-1a2b.js", b"let a = 1;")];
    let files = simple_cicd_server::ui::Files(FILES);
    let s = simple_cicd_server::start_with_ui(engine, "127.0.0.1:0".parse().unwrap(), files, async move {
        let _ = rx.await;
    })
    .await
    .unwrap();
    let raw = |path: &str| {
        let path = path.to_string();
        async move {
            let mut stream = tokio::net::TcpStream::connect(s.addr).await.unwrap();
            let head = format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
            stream.write_all(head.as_bytes()).await.unwrap();
            let mut buf = Vec::new();
            tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut buf)).await.unwrap().unwrap();
            String::from_utf8_lossy(&buf).into_owned()
        }
    };
    let index = raw("/runs/12").await;
    assert!(index.starts_with("HTTP/1.1 200") && index.contains("the app"), "{index}");
    assert!(index.to_lowercase().contains("content-type: text/html"), "{index}");
    let asset = raw("/assets/app-1a2b.js").await.to_lowercase();
    assert!(asset.contains("content-type: text/javascript") && asset.contains("immutable"), "{asset}");
    for path in [
        "/../etc/passwd",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/assets/..%2f..%2fetc%2fpasswd",
        "/assets\\..\\index.html",
        "/assets%5c..%5cindex.html",
    ] {
        let answer = raw(path).await;
        let status: u16 = answer.split_whitespace().nth(1).and_then(|c| c.parse().ok()).unwrap_or(0);
        assert!((400..500).contains(&status), "{path}: {answer}");
        assert!(!answer.contains("root:") && !answer.contains("the app"), "{path}: {answer}");
    }
    for path in ["/api/v1/nothing", "/api/nothing", "/hooks/nothing"] {
        let (status, err) = call(s.addr, "GET", path, None, None).await;
        assert_eq!((status, err["code"].as_str()), (404, Some("not_found")), "{path}");
    }
    let (status, err) = call(s.addr, "PATCH", "/api/v1/templates", None, None).await;
    assert_eq!(status, 405, "{err}");
    assert!(err["message"].as_str().unwrap().contains("PATCH"), "{err}");
    let (status, doc) = call(s.addr, "GET", "/api/openapi.json", None, None).await;
    assert_eq!((status, doc["openapi"].as_str()), (200, Some("3.1.0")));
    let docs = raw("/api/docs").await;
    assert!(docs.starts_with("HTTP/1.1 200") && docs.contains("run_logs"), "{docs}");
}

#[tokio::test]
async fn open_event_streams_end_when_the_server_stops() {
    let Server { engine, addr, _dir, _stop: stop, task } = server().await;
    add_user(&engine, "ana", Role::Viewer).await;
    let token = access(&sign_in(addr, "ana").await);
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    let head = format!("GET /api/v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    read_until(&mut stream, "text/event-stream").await;
    stop.send(()).unwrap();
    let ended = tokio::time::timeout(Duration::from_secs(10), task).await;
    assert!(matches!(ended, Ok(Ok(Ok(())))), "the server did not stop with a stream open: {ended:?}");
}

/// The hand-written run routes (log download, log events) answer a bad id or query with the API's
/// JSON 400, like the declared ones (schemathesis found axum's plain text here).
#[tokio::test]
async fn a_run_id_that_is_not_a_number_is_a_json_400_on_every_run_route() {
    let s = server().await;
    add_user(&s.engine, "root", Role::Admin).await;
    let t = access(&sign_in(s.addr, "root").await);
    for path in ["/api/v1/runs/false/log", "/api/v1/runs/abc/events", "/api/v1/runs/%F3%94%B1%81/log"] {
        let (status, err) = call(s.addr, "GET", path, Some(&t), None).await;
        assert_eq!((status, err["code"].as_str()), (400, Some("invalid")), "{path}: {err}");
        assert!(err["message"].as_str().unwrap_or_default().contains("is not a run id"), "{path}: {err}");
    }
    let (status, err) = call(s.addr, "GET", "/api/v1/runs/1/events?fromSeq=x", Some(&t), None).await;
    assert_eq!((status, err["code"].as_str()), (400, Some("invalid")), "{err}");
}

/// What `/api/openapi.json` serves is sound OpenAPI 3.1: references resolve, each operation's
/// arguments and answers have schemas (see `openapi::problems`).
#[tokio::test]
async fn the_served_openapi_document_is_sound_openapi_3_1() {
    let s = server().await;
    let (status, doc) = call(s.addr, "GET", "/api/openapi.json", None, None).await;
    assert_eq!(status, 200, "{doc}");
    let problems = openapi::problems(&doc);
    assert!(problems.is_empty(), "the served document has problems:\n{}", problems.join("\n"));
}
