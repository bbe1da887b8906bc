//! A host process's stdout and stderr, read in the order the process wrote them, each line still
//! marked with its stream.
//!
//! Two pipes share no sequence: a reader that wakes after a script wrote `out 1`, `err 2`,
//! `out 3` (microseconds apart) finds data in both and cannot tell the order. The kernel can:
//! with `O_ASYNC` and `F_SETSIG`, every write to a pipe queues a real-time signal that names the
//! pipe, and real-time signals queue in order. In packet mode (`O_DIRECT`) every write of up to
//! a page is one packet, and a read returns one packet. So one thread takes the signals in order
//! and, for each, reads one packet from the pipe it names: the log gets the writes in the order
//! they were made.
//!
//! The signals go to that thread alone (`F_SETOWN_EX` with its thread id), which blocks them and
//! reads them from a signalfd; no other thread of the app or of `scicd` ever sees them. Should the
//! signal queue overflow (the kernel then sends a plain SIGIO), the reader drains both pipes,
//! stdout first, as a plain reader would. Where any of this cannot be set up, [`OrderedOutput::new`]
//! fails and the caller falls back to ordinary pipes.
//!
//! Where the order is only close: a write of more than a page is cut into pages and raises one
//! signal, so after a full page the reader keeps reading that pipe while its packets are full.
//! Output written in whole pages (the block buffer of `cat`, `tr`, or of a program whose stdout
//! is a pipe) is therefore ordered against the other stream to within such a block, not to the
//! write. Writes through a descriptor the process opened itself from `/dev/stdout` are not
//! packets (they may merge with the next write to the same stream). And a writer that gets a
//! full pipe ahead of a starved reader (256 writes, on a machine too busy to run the reader)
//! raises one more signal when it waits, which makes that stream's next line come one write
//! early. Line-sized writes, what `echo`, `printf` and unbuffered stderr produce, keep their
//! exact order otherwise.

#![allow(unsafe_code)] // fcntl(F_SETSIG / F_SETOWN_EX), pthread_sigmask, signalfd: see each block.

use std::io;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd, RawFd};
use std::process::Stdio;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use nix::fcntl::{fcntl, FcntlArg, OFlag};
use nix::libc;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use tokio::sync::{mpsc, oneshot};

use super::lines::Lines;
use super::reader::LineSplitter;
use crate::model::LogStream;

const F_SETSIG: libc::c_int = 10;
const F_SETOWN_EX: libc::c_int = 15;
const F_OWNER_TID: libc::c_int = 0;
/// Lines handed to the log writer at a time, at most (about) while signals keep coming.
const SEND_EVERY: usize = 4096;
/// One packet at most: a pipe buffer page.
const PACKET: usize = 4096;
/// Room for 256 writes before the writer waits (the unprivileged maximum is 1 MiB).
const PIPE_SIZE: libc::c_int = 1 << 20;
/// The size of one `struct signalfd_siginfo`, and where its fields are.
const SIGINFO_SIZE: usize = 128;
const SSI_FD_AT: usize = 20;

#[repr(C)]
struct FOwnerEx {
    kind: libc::c_int,
    pid: libc::pid_t,
}

/// The signal every write raises.
fn write_signal() -> libc::c_int {
    libc::SIGRTMIN() + 6
}

/// Pipes for a child's stdout and stderr, and the thread that reads them in order.
pub(crate) struct OrderedOutput {
    /// The child's stdout.
    pub stdout: Stdio,
    /// The child's stderr.
    pub stderr: Stdio,
    /// Resolves when the reader has sent the last line (both pipes closed by every process that
    /// held them), or has been abandoned.
    pub finished: oneshot::Receiver<()>,
    /// Asks the reader to stop reading (when a process outside the run keeps a pipe open).
    pub abandon: Arc<AtomicBool>,
}

impl OrderedOutput {
    /// Makes the pipes and starts the reader, which sends lines through `tx`. The reader is
    /// ready when this returns; the child's ends must be dropped once the child is spawned.
    pub(crate) fn new(tx: mpsc::Sender<Lines>) -> io::Result<OrderedOutput> {
        let (out_r, out_w) = packet_pipe()?;
        let (err_r, err_w) = packet_pipe()?;
        let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
        let (finished_tx, finished) = oneshot::channel();
        let abandon = Arc::new(AtomicBool::new(false));
        let stop = abandon.clone();
        std::thread::Builder::new().name("simple-cicd-output".into()).spawn(move || {
            match Reader::set_up(out_r, err_r) {
                Ok(reader) => {
                    let _ = ready_tx.send(Ok(()));
                    reader.run(tx, &stop);
                }
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                }
            }
            let _ = finished_tx.send(());
        })?;
        ready_rx.recv().map_err(|_| io::Error::other("the output reader thread ended at start"))??;
        Ok(OrderedOutput { stdout: Stdio::from(out_w), stderr: Stdio::from(err_w), finished, abandon })
    }
}

fn packet_pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let (r, w) = nix::unistd::pipe2(OFlag::O_DIRECT | OFlag::O_CLOEXEC).map_err(io::Error::from)?;
    // More room is a nicety; a kernel that refuses keeps the default.
    let _ = fcntl(&r, FcntlArg::F_SETPIPE_SZ(PIPE_SIZE));
    Ok((r, w))
}

struct Reader {
    pipes: [OwnedFd; 2],
    signals: OwnedFd,
}

impl Reader {
    /// Runs on the reader thread: block the signals here, route each pipe's signals to this
    /// thread, and open the signalfd that receives them.
    fn set_up(out: OwnedFd, err: OwnedFd) -> io::Result<Reader> {
        let signo = write_signal();
        // SAFETY: `set` is a plain sigset_t initialised by sigemptyset before use; the calls only
        // read and write it and this thread's signal mask.
        let set = unsafe {
            let mut set: libc::sigset_t = std::mem::zeroed();
            libc::sigemptyset(&mut set);
            libc::sigaddset(&mut set, signo);
            libc::sigaddset(&mut set, libc::SIGIO);
            let rc = libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
            if rc != 0 {
                return Err(io::Error::from_raw_os_error(rc));
            }
            set
        };
        // SAFETY: signalfd reads `set` and returns a new descriptor (or -1), which we own.
        let signals = unsafe {
            let fd = libc::signalfd(-1, &set, libc::SFD_CLOEXEC | libc::SFD_NONBLOCK);
            if fd < 0 {
                return Err(io::Error::last_os_error());
            }
            OwnedFd::from_raw_fd(fd)
        };
        let tid = nix::unistd::gettid().as_raw();
        for pipe in [&out, &err] {
            route_signals(pipe.as_fd(), signo, tid)?;
        }
        Ok(Reader { pipes: [out, err], signals })
    }

    fn run(self, tx: mpsc::Sender<Lines>, abandon: &AtomicBool) {
        let mut lines = [LineSplitter::new(LogStream::Stdout), LineSplitter::new(LogStream::Stderr)];
        let mut open = [true, true];
        let mut buf = vec![0u8; 64 * 1024];
        let mut infos = vec![0u8; SIGINFO_SIZE * 64];
        let fds = [self.pipes[0].as_raw_fd(), self.pipes[1].as_raw_fd()];
        let mut out = Outbox { tx, batch: Lines::new(), closed: false };
        while open.iter().any(|o| *o) && !abandon.load(Ordering::Relaxed) && !out.closed {
            let mut signalled = false;
            let mut waiting = [PollFd::new(self.signals.as_fd(), PollFlags::POLLIN)];
            let _ = poll(&mut waiting, PollTimeout::from(100u16));
            while !out.closed {
                let n = match nix::unistd::read(&self.signals, &mut infos) {
                    Ok(n) => n,
                    Err(nix::errno::Errno::EINTR) => continue,
                    Err(_) => break,
                };
                signalled = true;
                for info in infos[..n].chunks_exact(SIGINFO_SIZE) {
                    let signo = u32::from_ne_bytes(info[0..4].try_into().expect("4 bytes")) as libc::c_int;
                    let fd = i32::from_ne_bytes(info[SSI_FD_AT..SSI_FD_AT + 4].try_into().expect("4 bytes"));
                    if signo == write_signal() {
                        if let Some(i) = fds.iter().position(|f| *f == fd) {
                            read_write(self.pipes[i].as_fd(), &mut buf, &mut lines[i], &mut open[i], &mut out);
                        }
                    } else {
                        // The signal queue overflowed: the order of what is pending is lost.
                        for i in 0..2 {
                            drain(self.pipes[i].as_fd(), &mut buf, &mut lines[i], &mut open[i], &mut out);
                        }
                    }
                }
            }
            if !signalled {
                // No write is pending: a pipe that hung up has no writer left, so the rest of it
                // (and its end) can be read without losing the order.
                for i in 0..2 {
                    if open[i] && hung_up(self.pipes[i].as_fd()) {
                        drain(self.pipes[i].as_fd(), &mut buf, &mut lines[i], &mut open[i], &mut out);
                    }
                }
            }
            out.send();
        }
        for pipe in &self.pipes {
            // No more signals for this thread, whatever happens to the pipes now.
            let _ = fcntl(pipe, FcntlArg::F_SETFL(OFlag::O_NONBLOCK));
        }
    }
}

/// The lines read and not yet handed to the log writer.
struct Outbox {
    tx: mpsc::Sender<Lines>,
    batch: Lines,
    /// The writer is gone: nothing more can be sent.
    closed: bool,
}

impl Outbox {
    /// Splits what was read into lines, and hands them over as soon as a batch is full. A writer
    /// that never pauses (`seq`, `cat` of a big file) keeps its pipe from ever being empty, so the
    /// reading of one signal's write may go on until the writer ends: the lines go out as they
    /// are read, not then (a million lines once piled up here, in memory, and reached the log
    /// and the screen only after the script had ended).
    fn push(&mut self, lines: &mut LineSplitter, bytes: &[u8]) {
        lines.push_into(bytes, &mut self.batch);
        if self.batch.len() >= SEND_EVERY {
            self.send();
        }
    }

    /// Hands over what was read (waiting while the writer's queue is full).
    fn send(&mut self) {
        if self.batch.is_empty() || self.closed {
            return;
        }
        let full = self.batch.len() >= SEND_EVERY;
        let next = if full { full_batch() } else { Lines::new() };
        if self.tx.blocking_send(std::mem::replace(&mut self.batch, next)).is_err() {
            self.closed = true;
        }
    }
}

/// A batch with room for what a fast writer fills it with before it is sent.
fn full_batch() -> Lines {
    Lines::with_capacity(SEND_EVERY + SEND_EVERY / 4, SEND_EVERY * 16)
}

/// Sends `signo` to thread `tid` at every write to `pipe`.
fn route_signals(pipe: BorrowedFd<'_>, signo: libc::c_int, tid: libc::pid_t) -> io::Result<()> {
    let raw: RawFd = pipe.as_raw_fd();
    let owner = FOwnerEx { kind: F_OWNER_TID, pid: tid };
    // SAFETY: fcntl on a descriptor we own; F_SETOWN_EX reads the f_owner_ex it points to for the
    // duration of the call, F_SETSIG takes an int.
    let rc = unsafe {
        if libc::fcntl(raw, F_SETOWN_EX, &owner as *const FOwnerEx) < 0 {
            -1
        } else {
            libc::fcntl(raw, F_SETSIG, signo)
        }
    };
    if rc < 0 {
        return Err(io::Error::last_os_error());
    }
    let flags = OFlag::from_bits_truncate(fcntl(pipe, FcntlArg::F_GETFL).map_err(io::Error::from)?);
    fcntl(pipe, FcntlArg::F_SETFL(flags | OFlag::O_ASYNC | OFlag::O_NONBLOCK)).map_err(io::Error::from)?;
    Ok(())
}

/// Reads the one write a signal stands for: a packet, and the packets after it while they are
/// full pages (a write longer than a page is cut into pages).
fn read_write(pipe: BorrowedFd<'_>, buf: &mut [u8], lines: &mut LineSplitter, open: &mut bool, out: &mut Outbox) {
    while *open && !out.closed {
        match nix::unistd::read(pipe, buf) {
            Ok(0) => close(lines, open, out),
            Ok(n) => {
                out.push(lines, &buf[..n]);
                if n < PACKET {
                    return;
                }
            }
            Err(nix::errno::Errno::EINTR) => {}
            Err(nix::errno::Errno::EAGAIN) => return,
            Err(_) => close(lines, open, out),
        }
    }
}

/// Reads everything the pipe holds now (to its end, if it has no writer left).
fn drain(pipe: BorrowedFd<'_>, buf: &mut [u8], lines: &mut LineSplitter, open: &mut bool, out: &mut Outbox) {
    while *open && !out.closed {
        match nix::unistd::read(pipe, buf) {
            Ok(0) => close(lines, open, out),
            Ok(n) => out.push(lines, &buf[..n]),
            Err(nix::errno::Errno::EINTR) => {}
            Err(nix::errno::Errno::EAGAIN) => return,
            Err(_) => close(lines, open, out),
        }
    }
}

fn close(lines: &mut LineSplitter, open: &mut bool, out: &mut Outbox) {
    *open = false;
    lines.finish_into(&mut out.batch);
}

fn hung_up(pipe: BorrowedFd<'_>) -> bool {
    let mut fds = [PollFd::new(pipe, PollFlags::POLLIN)];
    matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0)
        && fds[0].revents().is_some_and(|r| r.contains(PollFlags::POLLHUP))
}
