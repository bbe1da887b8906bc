//! Header and path tricks: encoded traversal, double slashes, NUL bytes and overlong UTF-8 in
//! paths and queries; bytes no URI may hold; duplicate and huge headers; `Host`, `Origin` and
//! `X-Forwarded-For` that try to pass the localhost guard or to forge the audit log's origin.

use super::*;

/// Targets that try to leave the UI's files, the API's routes or the webhook's template.
const TRICKY_TARGETS: &[&str] = &[
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "//etc/passwd",
    "//api//v1//templates",
    "/api/v1/templates/..%2f..%2f..%2fetc%2fpasswd",
    "/api/v1/templates/%2e%2e",
    "/api/v1/templates/hello%00",
    "/api/v1/templates/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae",
    "/api/v1/templates/%ff%fe",
    "/api/v1/runs/1%2f..%2f2",
    "/api/v1/runs/%00",
    "/api/v1/runs?filter=%c0%ae%00%ff&limit=-1",
    "/api/v1/runs?template=..%2f..%2fetc%2fpasswd&status=%00",
    "/api/v1/../v1/templates",
    "/api/%2e%2e/api/v1/templates",
    "/api/health/..%2f..%2fv1%2fusers",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/index.html%00.js",
    "/assets/%252e%252e%252fetc%252fpasswd",
];

#[tokio::test]
async fn encoded_traversal_nul_and_overlong_utf8_in_paths_get_4xx_or_what_they_name_and_never_a_file_outside() {
    let s = server().await;
    let before = state(&s.engine).await;
    for target in TRICKY_TARGETS {
        let a = raw(s.addr, request("GET", target, &[], b"", &s.token)).await;
        assert!((200..500).contains(&a.status), "{target}: no 5xx and an answer: {a:?}");
        assert!(!a.body.contains("root:"), "{target}: /etc/passwd never comes back: {a:?}");
        if target.starts_with("/api/") {
            assert!(a.json().is_object() || a.json().is_array(), "{target}: the API answers JSON: {a:?}");
        }
    }
    // Writes through tricky paths: nothing deleted, no run started.
    for target in ["/api/v1/templates/..%2fhello", "/api/v1/templates/hello%2f..", "/api/v1/templates/hello%00"] {
        let a = raw(s.addr, request("DELETE", target, &[], b"", &s.token)).await;
        assert!((400..500).contains(&a.status), "DELETE {target} names no template: {a:?}");
    }
    for target in
        ["/hooks/generic/..%2fhello", "/hooks/generic/hello%00", "/hooks/%2e%2e/hello", "/hooks//generic/hello"]
    {
        let a = raw(s.addr, request("POST", target, &[], b"{}", "")).await;
        assert!((400..500).contains(&a.status), "POST {target} reaches no template: {a:?}");
    }
    assert_eq!(state(&s.engine).await, before, "no template deleted, no run started");
    still_serves(&s).await;
}

#[tokio::test]
async fn bytes_no_request_line_may_hold_are_a_400_from_the_connection() {
    let s = server().await;
    let lines: &[&[u8]] = &[
        b"GET /api/v1/templates\x00 HTTP/1.1\r\n",
        b"GET /api/v1/templ\xc0\xaeates HTTP/1.1\r\n",
        b"GET /api/v1/\xff\xfe HTTP/1.1\r\n",
        b"GET /api/v1/a b HTTP/1.1\r\n",
        b"GET /api/v1/templates\r HTTP/1.1\r\n",
        b"GET ../../etc/passwd HTTP/1.1\r\n",
        b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n",
    ];
    for line in lines {
        let mut bytes = line.to_vec();
        bytes.extend_from_slice(format!("Host: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n", s.token).as_bytes());
        let a = raw(s.addr, bytes).await;
        assert!(
            a.status == 0 || (400..500).contains(&a.status),
            "{:?}: refused without a 5xx: {a:?}",
            String::from_utf8_lossy(line)
        );
    }
    // The asterisk form is for OPTIONS; a GET of `*` is answered as a path like any other, never a 5xx.
    let mut star = b"GET * HTTP/1.1\r\n".to_vec();
    star.extend_from_slice(format!("Host: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n", s.token).as_bytes());
    let a = raw(s.addr, star).await;
    assert!(a.status < 500, "GET *: {a:?}");
    // A version HTTP/1.1 does not know: 505 is what HTTP defines for it (hyper answers it before
    // the router), the one 5xx that says "your request", not "the server failed".
    let a = raw(s.addr, b"GET /api/v1/templates HTTP/9.9\r\nHost: 127.0.0.1\r\n\r\n".to_vec()).await;
    assert!(matches!(a.status, 0 | 400 | 505), "an unknown HTTP version is refused: {a:?}");
    still_serves(&s).await;
}

#[tokio::test]
async fn huge_and_numerous_headers_are_refused_by_the_connection_not_the_process() {
    let s = server().await;
    let huge = "x".repeat(1024 * 1024);
    let a = raw(s.addr, request("GET", "/api/v1/templates", &[("X-Huge", huge.as_str())], b"", &s.token)).await;
    assert!(a.status == 0 || a.status == 431 || a.status == 400, "a 1 MB header is refused: {}", a.status);
    let many: Vec<(String, String)> = (0..5000).map(|i| (format!("X-H{i}"), "v".into())).collect();
    let many: Vec<(&str, &str)> = many.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let a = raw(s.addr, request("GET", "/api/v1/templates", &many, b"", &s.token)).await;
    assert!(a.status == 0 || a.status == 431 || a.status == 400, "5000 headers are refused: {}", a.status);
    // Two tokens: the first counts, and the second is no way around a wrong first.
    let right = format!("Bearer {}", s.token);
    let two = [("Authorization", "Bearer wrong"), ("Authorization", right.as_str())];
    let a = raw(s.addr, request("GET", "/api/v1/templates", &two, b"", "")).await;
    assert_eq!(a.status, 401, "a wrong first token is refused whatever follows: {a:?}");
    // Two lengths that disagree: request smuggling is refused.
    let body = br#"{"yaml":"kind: shell\nname: smuggled\nscript: echo\n"}"#;
    let smuggle = [("Content-Length", "5"), ("Content-Type", "application/json")];
    // request() announces the real length too: two different Content-Length values.
    let a = raw(s.addr, request("POST", "/api/v1/yaml/import", &smuggle, body, &s.token)).await;
    assert!(a.status == 0 || a.status == 400, "two different lengths are refused: {a:?}");
    let chunked_and_length =
        [("Transfer-Encoding", "chunked"), ("Content-Length", "3"), ("Content-Type", "application/json")];
    let a = raw(s.addr, request("POST", "/api/v1/yaml/import", &chunked_and_length, b"0\r\n\r\n", &s.token)).await;
    assert!(a.status < 500, "chunked with a length is no 5xx: {a:?}");
    assert!(api::template_get(&s.engine, "smuggled").await.is_err(), "no smuggled template was saved");
    still_serves(&s).await;
}

#[tokio::test]
async fn host_origin_and_forwarded_headers_do_not_pass_the_guard_or_forge_the_audit_origin() {
    let s = server().await;
    let health = |headers: Vec<(&'static str, &'static str)>| {
        let bytes = request("GET", "/api/health", &headers, b"", "");
        raw(s.addr, bytes)
    };
    assert_eq!(health(vec![]).await.status, 200, "the guard lets this machine in");
    for (name, headers) in [
        ("a foreign Host", vec![("Host", "evil.example")]),
        ("a foreign Host after a loopback one", vec![("Host", "127.0.0.1"), ("Host", "evil.example")]),
        ("a loopback Host after a foreign one", vec![("Host", "evil.example"), ("Host", "127.0.0.1")]),
        ("a Host with user info", vec![("Host", "127.0.0.1@evil.example")]),
        ("a lookalike Host", vec![("Host", "localhost.evil.example:8750")]),
        ("a foreign Origin", vec![("Origin", "http://evil.example")]),
        ("a null Origin", vec![("Origin", "null")]),
        ("an Origin with user info", vec![("Origin", "http://127.0.0.1@evil.example")]),
        (
            "a foreign Origin after a loopback one",
            vec![("Origin", "http://127.0.0.1"), ("Origin", "http://evil.example")],
        ),
    ] {
        let a = health(headers).await;
        assert!(a.status == 403 || a.status == 400, "{name} is refused: {a:?}");
    }
    // X-Forwarded-For and friends are not the peer: neither the guard nor the audit log trusts them.
    let spoof = [("X-Forwarded-For", "203.0.113.7"), ("X-Real-IP", "203.0.113.7"), ("Forwarded", "for=203.0.113.7")];
    let a = health(spoof.to_vec()).await;
    assert_eq!(a.status, 200, "a loopback peer stays a loopback peer: {a:?}");
    let body = br#"{"pinned":true}"#;
    let mut headers = spoof.to_vec();
    headers.push(("Content-Type", "application/json"));
    let a = raw(s.addr, request("PUT", "/api/v1/templates/hello/pin", &headers, body, &s.token)).await;
    assert!(a.status < 500, "{a:?}");
    let owner = Caller::Cli { os_user: "owner".into() };
    let audit = api::audit_list(&s.engine, &owner, &Default::default()).await.unwrap();
    let entry = audit.iter().find(|e| e.action == "template.pin").expect("the pin is audited");
    assert_eq!(entry.origin, "127.0.0.1", "the audit's origin is the connection's peer, never a header: {entry:?}");
}
