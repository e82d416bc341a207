//! Connections: the accept loop and what each connection may cost the emulator.
//!
//! Every connection is HTTP/1.1 served by hyper, watched by a small deadline of its own according to where it
//! is in its life:
//!
//! - **reading a request head**: the whole head must arrive within the header timeout, counted from the accept
//!   (the first request) or from the first byte of the next one (later requests), so a client that drips a
//!   byte a second is cut off however steadily it drips;
//! - **handling a request**: no deadline here; the handler bounds the body's arrival itself
//!   (`--body-timeout-ms`, a 408), and its own work is bounded by the core;
//! - **idle between requests**: closed once nothing has been read or written for the idle timeout;
//! - **closing**: after a response that ends the connection (`Connection: close`: a 413 sent before the body
//!   was read, a 408), the write side is shut and what the client still sends is read and thrown away, up to
//!   [`LINGER_BYTES`] and the body timeout, so that the client reads the answer rather than a reset.
//!
//! At most `max_connections` are served at once; one more is answered `503` at once and closed, and those
//! already open carry on.

use axum::body::Body;
use axum::http::{header, Request, Response};
use axum::Router;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::TokioIo;
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Notify, OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;
use tower_service::Service;

/// The most bytes read and thrown away while closing a connection whose request body was not read.
pub const LINGER_BYTES: usize = 16 * 1024 * 1024;

/// What one more connection than the limit is told before it is closed.
const REFUSAL: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
Content-Type: application/json\r\n\
Retry-After: 1\r\n\
Connection: close\r\n\
Content-Length: 92\r\n\
\r\n\
{\"code\":\"service_unavailable\",\"message\":\"Too many open connections. Try again in a moment.\"}";

/// How long the accept loop pauses after an accept error that is not about one connection (such as running
/// out of file descriptors), so that it does not spin.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// The limits of every connection (see the module docs).
#[derive(Clone, Copy, Debug)]
pub struct ConnLimits {
    /// The whole request head must arrive within this.
    pub header_timeout: Duration,
    /// A connection with no request and nothing moving for this long is closed.
    pub idle_timeout: Duration,
    /// A request body must arrive whole within this (the handler enforces it); also bounds the closing drain.
    pub body_timeout: Duration,
    /// The most connections served at once.
    pub max_connections: usize,
}

/// Where a connection is in its life, and so which deadline applies.
#[derive(Clone, Copy, Debug)]
enum Phase {
    /// Reading a request head, which must be complete by `deadline`.
    Head { deadline: Instant },
    /// A request is being handled.
    Busy,
    /// Between requests; `since` is the last time a byte moved.
    Idle { since: Instant },
    /// Draining what the client still sends before the close, until `deadline`.
    Closing { deadline: Instant },
}

/// One connection's phase, shared by its I/O (which sees bytes move), its service (which sees requests start
/// and end) and its watchdog (which closes it when the phase's deadline passes).
struct Watch {
    phase: Mutex<Phase>,
    /// Woken when the deadline may have moved earlier.
    moved: Notify,
    /// Whether the last response ended the connection (`Connection: close`, as a 413 or 408 does, whose
    /// request body was not read): then the close lingers.
    linger: AtomicBool,
    limits: ConnLimits,
}

impl Watch {
    fn new(limits: ConnLimits) -> Self {
        Watch {
            phase: Mutex::new(Phase::Head {
                deadline: Instant::now() + limits.header_timeout,
            }),
            moved: Notify::new(),
            linger: AtomicBool::new(false),
            limits,
        }
    }

    fn set(&self, phase: Phase) {
        *self.phase.lock().unwrap_or_else(|e| e.into_inner()) = phase;
        self.moved.notify_one();
    }

    fn deadline(&self) -> Option<Instant> {
        match *self.phase.lock().unwrap_or_else(|e| e.into_inner()) {
            Phase::Head { deadline } | Phase::Closing { deadline } => Some(deadline),
            Phase::Busy => None,
            Phase::Idle { since } => Some(since + self.limits.idle_timeout),
        }
    }

    /// A request head was parsed: the handler has it.
    fn request_started(&self) {
        self.set(Phase::Busy);
    }

    /// The handler answered; the response is being written, and the connection is idle after that.
    /// `closes` says whether the response ends the connection.
    fn request_ended(&self, closes: bool) {
        if closes {
            self.linger.store(true, Ordering::Relaxed);
        }
        self.set(Phase::Idle {
            since: Instant::now(),
        });
    }

    /// Bytes were read: when idle, they begin the next request's head, whose clock starts now.
    fn read(&self) {
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        if let Phase::Idle { .. } = *phase {
            *phase = Phase::Head {
                deadline: Instant::now() + self.limits.header_timeout,
            };
            drop(phase);
            self.moved.notify_one();
        }
    }

    /// Bytes were written: a response still going out keeps an idle connection open.
    fn wrote(&self) {
        let mut phase = self.phase.lock().unwrap_or_else(|e| e.into_inner());
        if let Phase::Idle { since } = &mut *phase {
            *since = Instant::now();
        }
    }

    /// The connection is closing: the drain may last until the body timeout.
    fn closing(&self) {
        self.set(Phase::Closing {
            deadline: Instant::now() + self.limits.body_timeout,
        });
    }
}

/// A TCP stream that tells its [`Watch`] when bytes move, and lingers on shutdown (see the module docs).
struct Watched {
    stream: TcpStream,
    watch: Arc<Watch>,
    /// Bytes thrown away since the shutdown began, once it has.
    drained: Option<usize>,
}

impl AsyncRead for Watched {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.stream).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.watch.read();
        }
        polled
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.watch.wrote();
        }
        polled
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.stream).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.watch.wrote();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    /// Shuts the write side (the client sees the end of the response); after a response that ended the
    /// connection (its request body possibly unread), then reads and discards what the client still sends until it closes its side, [`LINGER_BYTES`] have come, or the watchdog's closing
    /// deadline passes. Closing a socket with unread bytes in it makes the kernel send a reset, which can
    /// destroy the response before the client reads it.
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = &mut *self;
        if this.drained.is_none() {
            std::task::ready!(Pin::new(&mut this.stream).poll_shutdown(cx))?;
            if !this.watch.linger.load(Ordering::Relaxed) {
                // Nothing of the client's was left unread: nothing to wait for.
                return Poll::Ready(Ok(()));
            }
            this.drained = Some(0);
            this.watch.closing();
        }
        let mut scratch = [0u8; 8192];
        loop {
            let mut buf = ReadBuf::new(&mut scratch);
            match Pin::new(&mut this.stream).poll_read(cx, &mut buf) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Err(_)) => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) if buf.filled().is_empty() => return Poll::Ready(Ok(())),
                Poll::Ready(Ok(())) => {
                    let drained = this.drained.unwrap_or(0) + buf.filled().len();
                    this.drained = Some(drained);
                    if drained > LINGER_BYTES {
                        return Poll::Ready(Ok(()));
                    }
                }
            }
        }
    }
}

/// Serves `app` on `listener` until `shutdown` completes, then lets the open connections finish their
/// requests and waits for them.
pub async fn serve(
    listener: TcpListener,
    app: Router,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()>,
) {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let (stop, stopped) = watch::channel(false);
    tokio::pin!(shutdown);
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = &mut shutdown => break,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            Err(e) if is_connection_error(&e) => continue,
            Err(_) => {
                tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                continue;
            }
        };
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                tokio::spawn(connection(
                    stream,
                    app.clone(),
                    limits,
                    stopped.clone(),
                    permit,
                ));
            }
            // Best effort and never waiting: a client that cannot take these bytes at once just sees the close.
            Err(_) => {
                let _ = stream.try_write(REFUSAL);
            }
        }
    }
    drop(listener);
    let _ = stop.send(true);
    // Every connection holds a permit until it ends: all of them back means all connections are done.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = permits.acquire_many(all).await;
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Serves one connection until it ends, its deadline passes, or the server shuts down (then its current
/// request is finished first).
async fn connection(
    stream: TcpStream,
    app: Router,
    limits: ConnLimits,
    mut stopped: watch::Receiver<bool>,
    _permit: OwnedSemaphorePermit,
) {
    let watch = Arc::new(Watch::new(limits));
    let io = TokioIo::new(Watched {
        stream,
        watch: watch.clone(),
        drained: None,
    });
    let service = {
        let watch = watch.clone();
        hyper::service::service_fn(move |req: Request<Incoming>| {
            let watch = watch.clone();
            let mut app = app.clone();
            watch.request_started();
            async move {
                let response: Result<Response<Body>, Infallible> =
                    app.call(req.map(Body::new)).await;
                let closes = response.as_ref().is_ok_and(|r| {
                    r.headers()
                        .get(header::CONNECTION)
                        .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"close"))
                });
                watch.request_ended(closes);
                response
            }
        })
    };
    // The watchdog below replaces hyper's own header timeout, which also counts the idle time before a head.
    let conn = http1::Builder::new()
        .header_read_timeout(None)
        .serve_connection(io, service);
    tokio::pin!(conn);
    let mut shutting_down = false;
    loop {
        let deadline = watch.deadline();
        tokio::select! {
            _ = conn.as_mut() => break,
            () = sleep_until(deadline) => {
                // The deadline may have moved later meanwhile (an idle connection that wrote); look again.
                if watch.deadline().is_some_and(|at| at <= Instant::now()) {
                    break;
                }
            }
            () = watch.moved.notified() => {}
            changed = stopped.changed(), if !shutting_down => {
                shutting_down = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}
