//! A TCP proxy the fault tests put between the engine (or the daemon) and a server, to make the
//! server vanish mid-transfer at a moment the test chooses: `cut` closes the listening port (new
//! connections are refused) and resets every open connection. It can slow the traffic down, so a
//! transfer is surely still running when it is cut. It runs on its own thread and runtime, so a
//! test that blocks its own runtime does not stall the traffic.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;

/// A proxy on a free loopback port forwarding to one address.
pub struct TcpProxy {
    /// The port it listens on (127.0.0.1).
    pub port: u16,
    bytes: Arc<AtomicU64>,
    cut: watch::Sender<bool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TcpProxy {
    /// Forwards to `target`, each direction of each connection at most `bytes_per_second`.
    pub fn throttled(target: SocketAddr, bytes_per_second: Option<u64>) -> TcpProxy {
        TcpProxy::listen(0, target, bytes_per_second)
    }

    /// Forwards 127.0.0.1:`port` (one a cut proxy listened on: the server is back) to `target`.
    pub fn on_port(port: u16, target: SocketAddr) -> TcpProxy {
        TcpProxy::listen(port, target, None)
    }

    fn listen(port: u16, target: SocketAddr, bytes_per_second: Option<u64>) -> TcpProxy {
        let std_listener = std::net::TcpListener::bind(("127.0.0.1", port)).expect("the proxy binds a loopback port");
        std_listener.set_nonblocking(true).unwrap();
        let port = std_listener.local_addr().unwrap().port();
        let bytes = Arc::new(AtomicU64::new(0));
        let (cut, cut_rx) = watch::channel(false);
        let counted = bytes.clone();
        let thread = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
            rt.block_on(serve(std_listener, target, bytes_per_second, counted, cut_rx));
        });
        TcpProxy { port, bytes, cut, thread: Some(thread) }
    }

    /// The bytes forwarded so far, both directions.
    pub fn bytes(&self) -> u64 {
        self.bytes.load(Ordering::Relaxed)
    }

    /// Waits until at least `n` bytes went through (at most `within`).
    pub async fn wait_bytes(&self, n: u64, within: Duration) {
        let deadline = tokio::time::Instant::now() + within;
        while self.bytes() < n {
            assert!(
                tokio::time::Instant::now() < deadline,
                "only {} of {n} bytes went through the proxy within {within:?}",
                self.bytes()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// The server vanishes: the port is closed and every connection reset. Idempotent.
    pub fn cut(&mut self) {
        let _ = self.cut.send(true);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.cut();
    }
}

async fn serve(
    listener: std::net::TcpListener,
    target: SocketAddr,
    rate: Option<u64>,
    bytes: Arc<AtomicU64>,
    mut cut: watch::Receiver<bool>,
) {
    let listener = TcpListener::from_std(listener).unwrap();
    let mut connections = tokio::task::JoinSet::new();
    loop {
        tokio::select! {
            _ = cut.changed() => break,
            accepted = listener.accept() => {
                let Ok((client, _)) = accepted else { continue };
                let (bytes, mut cut) = (bytes.clone(), cut.clone());
                connections.spawn(async move {
                    let Ok(mut server) = TcpStream::connect(target).await else { return };
                    let mut client = client;
                    let was_cut = tokio::select! {
                        _ = cut.changed() => true,
                        () = pump(&mut client, &mut server, rate, bytes) => false,
                    };
                    if was_cut {
                        // SO_LINGER 0: a reset, as when the host goes away, not a polite close.
                        let _ = client.set_zero_linger();
                        let _ = server.set_zero_linger();
                    }
                });
            }
        }
    }
    drop(listener);
    // Every connection task sees the cut, resets its sockets and ends.
    while connections.join_next().await.is_some() {}
}

/// Copies both ways until both sides closed (a half-close is passed on).
async fn pump(client: &mut TcpStream, server: &mut TcpStream, rate: Option<u64>, bytes: Arc<AtomicU64>) {
    let (mut cr, mut cw) = client.split();
    let (mut sr, mut sw) = server.split();
    tokio::join!(copy(&mut cr, &mut sw, rate, bytes.clone()), copy(&mut sr, &mut cw, rate, bytes));
}

async fn copy<R, W>(from: &mut R, to: &mut W, rate: Option<u64>, bytes: Arc<AtomicU64>)
where
    R: AsyncReadExt + Unpin,
    W: AsyncWriteExt + Unpin,
{
    let chunk = rate.map(|r| (r / 20).clamp(512, 64 * 1024) as usize).unwrap_or(64 * 1024);
    let mut buf = vec![0u8; chunk];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => {
                let _ = to.shutdown().await;
                return;
            }
            Ok(n) => n,
        };
        if to.write_all(&buf[..n]).await.is_err() {
            return;
        }
        bytes.fetch_add(n as u64, Ordering::Relaxed);
        if let Some(rate) = rate {
            tokio::time::sleep(Duration::from_secs_f64(n as f64 / rate as f64)).await;
        }
    }
}
