//! A small HTTP/1.1 client over a raw socket, so the tests control every byte: headers, bodies
//! cut short, bodies larger than announced.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A parsed answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub json: serde_json::Value,
}

fn head(path: &str, host: &str, headers: &[(&str, String)], length: Option<usize>) -> String {
    let mut text = format!("POST {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n");
    for (k, v) in headers {
        text.push_str(&format!("{k}: {v}\r\n"));
    }
    match length {
        Some(n) => text.push_str(&format!("Content-Length: {n}\r\n")),
        None => text.push_str("Transfer-Encoding: chunked\r\n"),
    }
    text.push_str("\r\n");
    text
}

async fn read_answer(stream: &mut TcpStream) -> Answer {
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), stream.read_to_end(&mut buf)).await;
    assert!(read.is_ok(), "the server answered within 30 s");
    let text = String::from_utf8_lossy(&buf);
    let status: u16 =
        text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or_else(|| panic!("no status in {text:?}"));
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Answer { status, json: serde_json::from_str(body).unwrap_or(serde_json::Value::Null) }
}

/// POSTs `body` with `Host: host`.
pub async fn post_as(addr: SocketAddr, host: &str, path: &str, headers: &[(&str, String)], body: &[u8]) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head(path, host, headers, Some(body.len())).as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    read_answer(&mut stream).await
}

/// POSTs `body` to the server as a forge on another host would.
pub async fn post(addr: SocketAddr, path: &str, headers: &[(&str, String)], body: &[u8]) -> Answer {
    post_as(addr, "ci.example.com", path, headers, body).await
}

/// Announces `announced` bytes, sends `sent` of them, and closes the sending side.
pub async fn post_truncated(
    addr: SocketAddr,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
    announced: usize,
) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head(path, "ci.example.com", headers, Some(announced)).as_bytes()).await.unwrap();
    stream.write_all(body).await.unwrap();
    stream.shutdown().await.unwrap();
    read_answer(&mut stream).await
}

/// Announces a large Content-Length and sends nothing of the body: the answer must come anyway.
pub async fn post_announcing(addr: SocketAddr, path: &str, headers: &[(&str, String)], announced: usize) -> Answer {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    stream.write_all(head(path, "ci.example.com", headers, Some(announced)).as_bytes()).await.unwrap();
    read_answer(&mut stream).await
}

/// Streams `total` bytes of garbage chunked (no length announced) while reading the answer.
pub async fn post_chunked_garbage(addr: SocketAddr, path: &str, headers: &[(&str, String)], total: usize) -> Answer {
    let stream = TcpStream::connect(addr).await.unwrap();
    let (mut rd, mut wr) = stream.into_split();
    let head = head(path, "ci.example.com", headers, None);
    let writer = tokio::spawn(async move {
        wr.write_all(head.as_bytes()).await?;
        let chunk = vec![0xA5u8; 64 * 1024];
        let mut sent = 0;
        while sent < total {
            wr.write_all(format!("{:x}\r\n", chunk.len()).as_bytes()).await?;
            wr.write_all(&chunk).await?;
            wr.write_all(b"\r\n").await?;
            sent += chunk.len();
        }
        wr.write_all(b"0\r\n\r\n").await?;
        Ok::<_, std::io::Error>(sent)
    });
    let mut buf = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(30), rd.read_to_end(&mut buf)).await;
    writer.abort();
    assert!(read.is_ok(), "the server answered within 30 s");
    let text = String::from_utf8_lossy(&buf);
    let status: u16 = text.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b).unwrap_or("");
    Answer { status, json: serde_json::from_str(body).unwrap_or(serde_json::Value::Null) }
}
