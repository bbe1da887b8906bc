//! One keep-alive HTTP/1.1 connection that POSTs signed deliveries and reads whole answers:
//! small on purpose, so the load generator measures the server and not a client library.

use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// A delivery to send.
#[derive(Debug, Clone)]
pub struct Delivery {
    /// `X-GitHub-Delivery`.
    pub id: String,
    /// The JSON body.
    pub body: String,
    /// `X-Hub-Signature-256`.
    pub signature: String,
}

/// An answer: the status, the body, and how long it took.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub body: Vec<u8>,
    pub took: Duration,
}

/// A connection to `addr`.
pub struct Conn {
    addr: String,
    stream: BufReader<TcpStream>,
}

impl Conn {
    pub async fn open(addr: &str) -> std::io::Result<Conn> {
        Ok(Conn { addr: addr.to_string(), stream: BufReader::new(TcpStream::connect(addr).await?) })
    }

    /// POSTs a signed GitHub push delivery to `/hooks/github/<template>`.
    pub async fn deliver(&mut self, template: &str, d: &Delivery) -> std::io::Result<Answer> {
        let request = format!(
            "POST /hooks/github/{template} HTTP/1.1\r\nHost: {}\r\nX-GitHub-Event: push\r\nX-GitHub-Delivery: {}\r\nX-Hub-Signature-256: {}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{}",
            self.addr,
            d.id,
            d.signature,
            d.body.len(),
            d.body
        );
        self.exchange(request.as_bytes()).await
    }

    async fn exchange(&mut self, request: &[u8]) -> std::io::Result<Answer> {
        let t = Instant::now();
        self.stream.get_mut().write_all(request).await?;
        let mut status_line = String::new();
        if self.stream.read_line(&mut status_line).await? == 0 {
            return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the server closed the connection"));
        }
        let status: u16 = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if self.stream.read_line(&mut line).await? == 0 {
                return Err(std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "the answer was cut short"));
            }
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0u8; length];
        self.stream.read_exact(&mut body).await?;
        Ok(Answer { status, body, took: t.elapsed() })
    }
}

/// A GitHub push body of `git_ref` at `sha`.
pub fn push_body(git_ref: &str, sha: &str) -> String {
    format!(
        r#"{{"ref":"{git_ref}","before":"0000000000000000000000000000000000000000","after":"{sha}","deleted":false}}"#
    )
}
