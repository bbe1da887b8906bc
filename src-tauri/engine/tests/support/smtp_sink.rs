//! A real SMTP server on loopback for tests: aiosmtpd (Debian's python3-aiosmtpd) started by the
//! test on a free port, writing every message it accepts as JSON. Stopped when dropped.
//! Shared by the engine and CLI tests (`#[path]`).

#![allow(dead_code)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How the server wants to be spoken to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No TLS, no login.
    Plain,
    /// AUTH required (ci-user / ci-pass), over plain text.
    Auth,
    /// STARTTLS required, with a certificate for 127.0.0.1 from a private CA (see [`SmtpSink::ca`]).
    StartTls,
    /// TLS from the first byte, same certificate.
    Tls,
}

pub struct SmtpSink {
    child: Child,
    pub port: u16,
    pub dir: tempfile::TempDir,
}

/// The server script. CARGO_MANIFEST_DIR is read when the test runs (cargo test sets it), not when
/// it was compiled: a test binary reused from another checkout of the repository (a shared
/// CARGO_TARGET_DIR) must not look for the script in that checkout.
fn script() -> PathBuf {
    let crate_dir = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into());
    PathBuf::from(crate_dir).join("../engine/tests/support/smtp_sink.py")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A port on loopback where nothing listens (connections are refused).
pub fn closed_port() -> u16 {
    free_port()
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl makes the test certificates (apt install openssl)");
    assert!(out.status.success(), "openssl {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
}

/// A private certificate authority (`ca.pem`) and the server's certificate for 127.0.0.1 signed
/// by it: not trusted by the system, trusted once `ca.pem` is (smtp.caFile).
fn make_cert(dir: &Path) -> (PathBuf, PathBuf) {
    const EC: [&str; 5] = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
    let ca =
        ["req", "-x509", "-days", "2", "-subj", "/CN=simple-cicd test CA", "-keyout", "ca-key.pem", "-out", "ca.pem"];
    openssl(dir, &[&ca[..2], &EC[..], &ca[2..]].concat());
    let csr = ["req", "-subj", "/CN=127.0.0.1", "-keyout", "key.pem", "-out", "server.csr"];
    openssl(dir, &[&csr[..1], &EC[..], &csr[1..]].concat());
    std::fs::write(
        dir.join("server.ext"),
        "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n",
    )
    .unwrap();
    openssl(
        dir,
        &["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca-key.pem", "-CAcreateserial"]
            .into_iter()
            .chain(["-days", "2", "-extfile", "server.ext", "-out", "cert.pem"])
            .collect::<Vec<_>>(),
    );
    (dir.join("cert.pem"), dir.join("key.pem"))
}

impl SmtpSink {
    /// Starts a server and waits until it listens.
    pub fn start(mode: Mode) -> SmtpSink {
        let dir = tempfile::tempdir().unwrap();
        let mode_arg = match mode {
            Mode::Plain => "plain",
            Mode::Auth => "auth",
            Mode::StartTls => "starttls",
            Mode::Tls => "tls",
        };
        let mut last_error = String::new();
        for _ in 0..5 {
            let port = free_port();
            let mut cmd = Command::new("/usr/bin/python3");
            cmd.arg("-u").arg(script()).arg(mode_arg).arg(port.to_string()).arg(dir.path());
            if matches!(mode, Mode::StartTls | Mode::Tls) {
                let (cert, key) = make_cert(dir.path());
                cmd.arg(cert).arg(key);
            }
            let mut child = cmd
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("/usr/bin/python3 starts (apt install python3-aiosmtpd)");
            let stdout = child.stdout.take().unwrap();
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let mut line = String::new();
                let _ = BufReader::new(stdout).read_line(&mut line);
                let _ = tx.send(line);
            });
            match rx.recv_timeout(Duration::from_secs(20)) {
                Ok(line) if line.trim() == "ready" => return SmtpSink { child, port, dir },
                _ => {
                    let _ = child.kill();
                    let out = child.wait_with_output().unwrap();
                    last_error = String::from_utf8_lossy(&out.stderr).into_owned();
                }
            }
        }
        panic!("the test SMTP server did not start (SMTP tests need apt's python3-aiosmtpd): {last_error}");
    }

    /// The messages received so far, in order.
    /// The PEM file of the private CA that signed the TLS modes' certificate.
    pub fn ca(&self) -> PathBuf {
        self.dir.path().join("ca.pem")
    }

    pub fn messages(&self) -> Vec<serde_json::Value> {
        let mut found: Vec<(u32, serde_json::Value)> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let n: u32 = name.strip_suffix(".json")?.parse().ok()?;
                Some((n, serde_json::from_slice(&std::fs::read(e.path()).ok()?).ok()?))
            })
            .collect();
        found.sort_by_key(|(n, _)| *n);
        found.into_iter().map(|(_, v)| v).collect()
    }

    /// Waits until `n` messages arrived.
    pub fn wait_messages(&self, n: usize) -> Vec<serde_json::Value> {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let found = self.messages();
            if found.len() >= n {
                return found;
            }
            assert!(Instant::now() < deadline, "{n} message(s) expected, {} arrived", found.len());
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The decoded text of the first part of `message` with this content type.
pub fn part<'a>(message: &'a serde_json::Value, content_type: &str) -> &'a str {
    message["parts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["contentType"] == content_type)
        .and_then(|p| p["text"].as_str())
        .unwrap_or_else(|| panic!("no {content_type} part in {message}"))
}
