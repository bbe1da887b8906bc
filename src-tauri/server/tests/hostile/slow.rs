//! Slow clients: heads sent byte by byte (slow-loris), connections that send nothing, bodies that
//! trickle. Each is cut at its deadline (1 s for a head, 2 s for a body in these tests), and the
//! server answers everybody else meanwhile.

use std::time::Instant;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::*;

/// How a slow connection ended.
#[derive(Debug, PartialEq)]
enum Ended {
    /// The server closed it (an empty read, a reset, or a refused write), with this status (0:
    /// none) after this long.
    ByServer(u16, Duration),
    /// It was still open when the test gave up.
    StillOpen,
}

/// Sends `bytes` one at a time, `gap` apart, and reads whatever comes back, for at most `give_up`.
async fn trickle(addr: SocketAddr, bytes: Vec<u8>, gap: Duration, give_up: Duration) -> Ended {
    let started = Instant::now();
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let writer = tokio::spawn(async move {
        for b in bytes {
            if wr.write_all(&[b]).await.is_err() {
                break;
            }
            tokio::time::sleep(gap).await;
        }
        // Kept open (the write half dropped would half-close it): the server must close it.
        std::future::pending::<()>().await;
        drop(wr);
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(give_up, rd.read_to_end(&mut buf)).await;
    writer.abort();
    match read {
        Ok(_) => Ended::ByServer(parse(&buf).status, started.elapsed()),
        Err(_) => Ended::StillOpen,
    }
}

/// Closed by the server (with no answer, or a 400 or 408) and not before the deadline; the callers
/// give up 5 s after it, so "still open" fails.
fn cut_at_deadline(ended: &Ended, deadline: Duration) -> bool {
    matches!(ended, Ended::ByServer(status, after) if matches!(*status, 0 | 400 | 408) && *after >= deadline)
}

#[tokio::test]
async fn slow_loris_heads_are_cut_at_the_header_deadline_while_others_are_served() {
    let s = server().await;
    let head =
        format!("GET /api/v1/templates HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n", s.token);
    // 200 clients, each sending one byte of its head every 50 ms: a whole head would take 8 s.
    let slow: Vec<_> = (0..200)
        .map(|_| {
            let bytes = head.clone().into_bytes();
            tokio::spawn(trickle(s.addr, bytes, Duration::from_millis(50), Duration::from_secs(6)))
        })
        .collect();
    tokio::time::sleep(Duration::from_millis(300)).await;
    for _ in 0..5 {
        let answered = tokio::time::timeout(Duration::from_secs(5), call(&s, "GET", "/api/v1/templates", b"")).await;
        let a = answered.expect("an ordinary request is answered while 200 slow clients hold connections");
        assert_eq!(a.status, 200, "{a:?}");
    }
    for task in slow {
        let ended = task.await.unwrap();
        assert!(cut_at_deadline(&ended, LIMITS.header_timeout), "a slow head is cut at the 1 s deadline: {ended:?}");
    }
    still_serves(&s).await;
}

#[tokio::test]
async fn a_connection_that_sends_nothing_or_idles_after_an_answer_is_closed_at_the_header_deadline() {
    let s = server().await;
    let silent = trickle(s.addr, Vec::new(), Duration::ZERO, Duration::from_secs(6)).await;
    assert!(cut_at_deadline(&silent, LIMITS.header_timeout), "a silent connection is closed: {silent:?}");

    // A whole request on a keep-alive connection, then silence: the answer, then the close.
    let started = Instant::now();
    let mut stream = TcpStream::connect(s.addr).await.unwrap();
    let head = format!("GET /api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n", s.token);
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(6), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "an idle keep-alive connection is closed by the server");
    assert_eq!(parse(&buf).status, 200, "the request itself was answered: {}", String::from_utf8_lossy(&buf));
    let after = started.elapsed();
    assert!(after >= LIMITS.header_timeout, "the connection stayed open for a next request until the deadline");
}

#[tokio::test]
async fn a_body_that_trickles_is_refused_at_the_body_deadline_on_every_route_that_reads_one() {
    let s = server().await;
    let before = state(&s.engine).await;
    let routes = [
        ("/api/v1/auth/signin", r#"{"name":"ana","password":"a good password"}"#),
        ("/api/v1/yaml/import", r#"{"yaml":"kind: shell\nname: slow\nscript: echo\n"}"#),
        ("/hooks/generic/hello", r#"{"params":{"WHO":"slow"}}"#),
    ];
    let tasks: Vec<_> = routes
        .iter()
        .map(|(path, body)| {
            let head = request("POST", path, &[("Content-Type", "application/json")], b"", &s.token);
            // The head as announced for the whole body, then the body one byte every 300 ms.
            let head = String::from_utf8(head)
                .unwrap()
                .replace("Content-Length: 0", &format!("Content-Length: {}", body.len()));
            let (addr, path, body) = (s.addr, path.to_string(), body.as_bytes().to_vec());
            tokio::spawn(async move {
                let mut stream = TcpStream::connect(addr).await.unwrap();
                stream.write_all(head.as_bytes()).await.unwrap();
                let started = Instant::now();
                let (mut rd, mut wr) = stream.into_split();
                let writer = tokio::spawn(async move {
                    for b in body {
                        if wr.write_all(&[b]).await.is_err() {
                            break;
                        }
                        tokio::time::sleep(Duration::from_millis(300)).await;
                    }
                    std::future::pending::<()>().await;
                    drop(wr);
                });
                let mut buf = Vec::new();
                let read = tokio::time::timeout(Duration::from_secs(7), rd.read_to_end(&mut buf)).await;
                writer.abort();
                assert!(read.is_ok(), "{path}: a trickling body is answered");
                (path, parse(&buf), started.elapsed())
            })
        })
        .collect();
    for task in tasks {
        let (path, a, after) = task.await.unwrap();
        assert!((400..500).contains(&a.status), "{path}: a body slower than the deadline is refused: {a:?}");
        assert!(a.body.contains("did not arrive within"), "{path}: the refusal says why: {a:?}");
        assert!(after >= LIMITS.body_timeout, "{path}: refused at the deadline, not before: {after:?}");
    }
    assert_eq!(state(&s.engine).await, before, "nothing half-read was acted on");
    still_serves(&s).await;
}

#[tokio::test]
async fn event_stream_readers_that_never_read_hold_a_few_pages_not_the_whole_log() {
    let s = server().await;
    // 300,000 lines of 100 characters: 30 MB of log.
    api::template_apply_yaml(&s.engine, &me(), "kind: shell\nname: big\nscript: seq -f '%0100g' 1 300000\n")
        .await
        .unwrap();
    let run = api::run_start(&s.engine, &me(), "big", &Default::default()).await.unwrap();
    let run = api::run_wait(&s.engine, run.id).await.unwrap();
    assert!(run.log_lines > 300_000, "the whole log was stored: {run:?}");
    let rss_before = rss_kib();
    let head = format!(
        "GET /api/v1/runs/{}/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {}\r\n\r\n",
        run.id, s.token
    );
    // Ten clients ask for the whole log and read nothing.
    let mut idle = Vec::new();
    for _ in 0..10 {
        let mut stream = TcpStream::connect(s.addr).await.unwrap();
        stream.write_all(head.as_bytes()).await.unwrap();
        idle.push(stream);
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let grown = rss_kib().saturating_sub(rss_before);
    assert!(
        grown < 150 * 1024,
        "ten stalled readers of a 30 MB log hold a few pages each, not 300 MB: RSS grew {grown} KiB"
    );
    // Read to the end, one of them still gets every line, in order.
    let mut stream = idle.pop().unwrap();
    drop(idle);
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut buf)).await;
    assert!(read.is_err() || !buf.is_empty(), "the stream delivers");
    let text = String::from_utf8_lossy(&buf);
    assert!(text.contains(&format!("{:0100}", 300_000)), "the last line arrives once the reader reads");
    assert!(text.contains("event: end"), "then the end");
}
