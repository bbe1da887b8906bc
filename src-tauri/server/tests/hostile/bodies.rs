//! Oversized and deeply nested bodies on the JSON operations, signing in and the webhook route:
//! 413 or 400 with a JSON error, the server's memory not grown by the body, nothing changed.

use simple_cicd_engine::trigger::sign_hub;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

/// The routes that read a body: a generated operation (saving a template), one that takes YAML,
/// signing in (hand-written), and a webhook.
const BODY_ROUTES: &[&str] =
    &["/api/v1/templates", "/api/v1/yaml/import", "/api/v1/auth/signin", "/hooks/generic/hello"];

fn is_json_error(a: &Answer) -> bool {
    a.head.to_ascii_lowercase().contains("content-type: application/json")
        && (a.json()["code"].is_string() || a.json()["outcome"].is_string())
}

#[tokio::test]
async fn a_body_announcing_10_mb_is_refused_413_before_it_is_sent() {
    let s = server().await;
    let before = state(&s.engine).await;
    for path in BODY_ROUTES {
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
            s.token,
            10 * 1024 * 1024
        );
        // Nothing of the body is sent: the answer must not wait for it.
        let a = raw(s.addr, head.into_bytes()).await;
        assert_eq!(a.status, 413, "{path}: a 10 MB body is refused on its announced length: {a:?}");
        assert!(is_json_error(&a), "{path}: the refusal is JSON: {a:?}");
    }
    assert_eq!(state(&s.engine).await, before, "a refused body changes nothing");
    still_serves(&s).await;
}

/// Streams up to `total` bytes chunked (no length announced) while reading the answer.
async fn stream_chunked(s: &Server, path: &str, total: usize) -> (Answer, usize) {
    let stream = TcpStream::connect(s.addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let head = format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\nAuthorization: Bearer {}\r\n\
         Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n",
        s.token
    );
    let writer = tokio::spawn(async move {
        let mut sent = 0;
        if wr.write_all(head.as_bytes()).await.is_err() {
            return sent;
        }
        // A JSON string that never ends: the server cannot refuse it as malformed before the
        // limit.
        let mut chunk = vec![b'a'; 256 * 1024];
        chunk[..10].copy_from_slice(br#"{"yaml":" "#);
        while sent < total {
            let framed = [format!("{:x}\r\n", chunk.len()).into_bytes(), chunk.clone(), b"\r\n".to_vec()].concat();
            if wr.write_all(&framed).await.is_err() {
                break;
            }
            sent += chunk.len();
            chunk[..10].copy_from_slice(b"aaaaaaaaaa");
        }
        let _ = wr.write_all(b"0\r\n\r\n").await;
        sent
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), rd.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "{path}: the server answers a streamed body within 30 s");
    // The server closed the connection: the writer's next writes fail and it stops.
    let sent = tokio::time::timeout(Duration::from_secs(30), writer).await;
    let sent = sent.expect("the writer stops once the server has closed").unwrap();
    (parse(&buf), sent)
}

#[tokio::test]
async fn a_100_mb_body_streamed_without_a_length_is_cut_off_at_the_limit_in_bounded_memory() {
    let s = server().await;
    let before = state(&s.engine).await;
    let rss_before = rss_kib();
    for path in BODY_ROUTES {
        let (a, sent) = stream_chunked(&s, path, 100 * 1024 * 1024).await;
        assert_eq!(a.status, 413, "{path}: a body past the limit is refused: {a:?}");
        assert!(is_json_error(&a), "{path}: the refusal is JSON: {a:?}");
        assert!(sent < 100 * 1024 * 1024, "{path}: the server stopped reading long before 100 MB ({sent} bytes sent)");
    }
    let grown = rss_kib().saturating_sub(rss_before);
    assert!(grown < 64 * 1024, "the server (in this process) held no 100 MB body: RSS grew {grown} KiB");
    assert_eq!(state(&s.engine).await, before, "a refused body changes nothing");
    still_serves(&s).await;
}

#[tokio::test]
async fn a_body_nested_100000_deep_is_a_400_not_a_stack_overflow() {
    let s = server().await;
    let before = state(&s.engine).await;
    let deep = "[".repeat(100_000);
    let deep_object = format!(r#"{{"spec": {deep}"#);
    for path in &BODY_ROUTES[..3] {
        for body in [deep.as_bytes(), deep_object.as_bytes()] {
            let a = call(&s, "POST", path, body).await;
            assert_eq!(a.status, 400, "{path}: a 100,000-deep body is refused: {a:?}");
            assert!(is_json_error(&a), "{path}: the refusal is JSON: {a:?}");
        }
    }
    // Deep JSON inside a query parameter that takes JSON text (a run filter), and as YAML.
    let a = call(&s, "GET", &format!("/api/v1/runs?filter={}", "%5B".repeat(50_000)), b"").await;
    assert!((400..500).contains(&a.status), "a 50,000-deep filter is refused: {a:?}");
    let yaml = serde_json::json!({ "yaml": format!("kind: shell\nname: x\nscript: {deep}") }).to_string();
    let a = call(&s, "POST", "/api/v1/yaml/parse", yaml.as_bytes()).await;
    assert_eq!(a.status, 400, "100,000-deep YAML is refused: {a:?}");
    // A deep body with a valid signature reaches the webhook's parser.
    let sig = sign_hub("gen-secret", deep.as_bytes());
    let headers = [("X-Hub-Signature-256", sig.as_str()), ("X-Delivery-Id", "deep-1")];
    let a = raw(s.addr, request("POST", "/hooks/generic/hello", &headers, deep.as_bytes(), "")).await;
    assert!((400..500).contains(&a.status), "a signed 100,000-deep delivery is refused: {a:?}");
    assert_eq!(state(&s.engine).await, before, "nothing changed, no run started");
    still_serves(&s).await;
}

#[tokio::test]
async fn a_yaml_alias_bomb_is_refused_without_expanding_it() {
    let s = server().await;
    let before = state(&s.engine).await;
    // Nine levels of nine aliases: 387,420,489 strings once expanded.
    let mut bomb = String::from("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (prev, next) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().zip(["b", "c", "d", "e", "f", "g", "h", "i"]) {
        let refs = vec![format!("*{prev}"); 9].join(",");
        bomb.push_str(&format!("{next}: &{next} [{refs}]\n"));
    }
    let template = format!("kind: shell\nname: bomb\nscript: echo\ndescription: x\n{bomb}");
    let rss_before = rss_kib();
    for path in ["/api/v1/yaml/parse", "/api/v1/yaml/import"] {
        let body = serde_json::json!({ "yaml": template }).to_string();
        let a = call(&s, "POST", path, body.as_bytes()).await;
        assert!((400..500).contains(&a.status), "{path}: a YAML alias bomb is refused: {a:?}");
    }
    let grown = rss_kib().saturating_sub(rss_before);
    assert!(grown < 64 * 1024, "the aliases were not expanded: RSS grew {grown} KiB");
    assert_eq!(state(&s.engine).await, before, "the bomb saved nothing");
    still_serves(&s).await;
}
