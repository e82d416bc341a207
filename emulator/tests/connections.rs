//! Connection limits, over raw TCP: a request head dripped a byte at a time, an idle keep-alive connection, a
//! stalled body, a body declared too large, and more connections than allowed. Each limit is set small by its
//! flag; what the tests assert is bytes and states (how much the client managed to send, whether it got an
//! answer, whether the connection ended), never how long anything took. The read timeouts are safety nets only.

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;
use support::raw::*;
use support::*;

/// Pause between dripped bytes.
const DRIP: Duration = Duration::from_millis(20);

/// Writes `byte` to `stream` every [`DRIP`], at most `limit` times, until a write fails or `stop` is set.
/// Returns the running count of bytes written.
fn drip(
    mut stream: TcpStream,
    byte: u8,
    limit: usize,
    stop: Arc<AtomicBool>,
) -> (Arc<AtomicUsize>, std::thread::JoinHandle<()>) {
    let sent = Arc::new(AtomicUsize::new(0));
    let counter = sent.clone();
    let handle = std::thread::spawn(move || {
        for _ in 0..limit {
            if stop.load(Ordering::SeqCst) || stream.write_all(&[byte]).is_err() {
                return;
            }
            counter.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(DRIP);
        }
    });
    (sent, handle)
}

#[test]
fn a_request_head_dripped_a_byte_at_a_time_is_cut_off() {
    let emu = Emulator::start(&[
        "--seed",
        "demo",
        "--header-timeout-ms",
        "200",
        "--idle-timeout-ms",
        "600000",
    ]);
    // The safety net: 3,000 bytes at one per 20 ms is a minute; the server's limit is 200 ms.
    let limit = 3_000;
    for keep_alive_first in [false, true] {
        let mut stream = connect(&emu);
        if keep_alive_first {
            // A later request on a kept-alive connection: its head's clock starts at its first byte, and the
            // idle limit (ten minutes here) does not save it.
            stream
                .write_all(get_request("/api/v2/caller-identity").as_bytes())
                .unwrap();
            assert_eq!(read_answer(&mut stream).unwrap().status, 200);
        }
        stream
            .write_all(b"GET /api/v2/caller-identity HTTP/1.1\r\nHost: emulator\r\nX-Drip: ")
            .unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let (sent, dripper) = drip(stream.try_clone().unwrap(), b'a', limit, stop.clone());
        let (answer, end) = read_to_end(&mut stream);
        stop.store(true, Ordering::SeqCst);
        dripper.join().unwrap();
        assert_eq!(end, End::Closed, "the server closed the connection");
        assert!(
            answer.is_empty() || answer.starts_with(b"HTTP/1.1 408"),
            "no answer to a partial head"
        );
        let sent = sent.load(Ordering::SeqCst);
        assert!(
            sent < limit,
            "closed before the client ran out of bytes to drip ({sent} sent)"
        );
    }
    // Other clients are served as usual.
    let mut fresh = connect(&emu);
    fresh
        .write_all(get_request("/api/v2/caller-identity").as_bytes())
        .unwrap();
    assert_eq!(read_answer(&mut fresh).unwrap().status, 200);
}

#[test]
fn an_idle_keep_alive_connection_is_closed() {
    let emu = Emulator::start(&[
        "--seed",
        "demo",
        "--idle-timeout-ms",
        "200",
        "--header-timeout-ms",
        "600000",
    ]);
    let mut stream = connect(&emu);
    for _ in 0..2 {
        // Requests sent back to back reuse the connection.
        stream
            .write_all(get_request("/api/v2/caller-identity").as_bytes())
            .unwrap();
        let answer = read_answer(&mut stream).unwrap();
        assert_eq!(answer.status, 200);
        assert_ne!(answer.header("connection").as_deref(), Some("close"));
    }
    // Then nothing: the server ends the connection (the header limit, ten minutes, is not what ends it).
    let (rest, end) = read_to_end(&mut stream);
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
    assert_eq!(end, End::Closed);
}

#[test]
fn a_stalled_body_is_answered_408_before_it_completes() {
    let emu = Emulator::start(&["--seed", "demo", "--body-timeout-ms", "200"]);
    let mut stream = connect(&emu);
    let declared = 2_000;
    stream
        .write_all(
            format!(
                "POST /api/v2/tokens HTTP/1.1\r\nHost: emulator\r\nAuthorization: {OWNER}\r\n\
                 Content-Type: application/json\r\nContent-Length: {declared}\r\n\r\n{{\"name\": \""
            )
            .as_bytes(),
        )
        .unwrap();
    let stop = Arc::new(AtomicBool::new(false));
    let (sent, dripper) = drip(stream.try_clone().unwrap(), b'x', declared, stop.clone());
    let answer = read_answer(&mut stream).expect("an answer, not a dropped connection");
    let sent_when_answered = sent.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    dripper.join().unwrap();
    assert_eq!(answer.status, 408, "{answer:?}");
    assert_eq!(answer.json()["code"], "request_timeout");
    assert_eq!(answer.header("connection").as_deref(), Some("close"));
    assert!(
        sent_when_answered < declared - 10,
        "answered while the body was still incomplete ({sent_when_answered} of {declared} bytes)"
    );
    let (_, end) = read_to_end(&mut stream);
    assert_eq!(end, End::Closed);
    // Nothing was created.
    let list = emu.get("/api/v2/tokens?limit=1000", OWNER).json();
    assert!(list["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| !t["name"].as_str().unwrap_or("").starts_with("xxx")));
}

#[test]
fn a_body_declared_too_large_is_refused_before_any_of_it_is_sent() {
    let emu = Emulator::demo();
    for (secret, expect_continue) in [(OWNER, false), (OWNER, true), ("nope", false)] {
        let mut stream = connect(&emu);
        let expect = if expect_continue {
            "Expect: 100-continue\r\n"
        } else {
            ""
        };
        // A gibibyte declared; not one byte of it is sent.
        stream
            .write_all(
                format!(
                    "POST /api/v2/tokens HTTP/1.1\r\nHost: emulator\r\nAuthorization: {secret}\r\n\
                     Content-Type: application/json\r\n{expect}Content-Length: 1073741824\r\n\r\n"
                )
                .as_bytes(),
            )
            .unwrap();
        let answer = read_answer(&mut stream).expect("an answer without the body");
        assert_eq!(answer.status, 413, "{answer:?}");
        let body = answer.json();
        assert_eq!(body["code"], "request_too_large");
        assert!(body["message"].as_str().unwrap().contains("1048576"));
        assert_eq!(answer.header("connection").as_deref(), Some("close"));
        // The server then closes its side.
        shutdown_write(&stream);
        let (rest, end) = read_to_end(&mut stream);
        assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
        assert_eq!(end, End::Closed);
    }
}

fn shutdown_write(stream: &TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

#[test]
fn connections_past_the_limit_are_refused_and_open_ones_keep_working() {
    let emu = Emulator::start(&["--seed", "demo", "--max-connections", "3"]);
    let mut open: Vec<TcpStream> = (0..3)
        .map(|_| {
            let mut stream = connect(&emu);
            stream
                .write_all(get_request("/api/v2/caller-identity").as_bytes())
                .unwrap();
            assert_eq!(read_answer(&mut stream).unwrap().status, 200);
            stream
        })
        .collect();
    // A fourth is answered 503 (or just closed) without being served.
    for _ in 0..3 {
        let mut extra = connect(&emu);
        let (answer, end) = read_to_end(&mut extra);
        assert_eq!(end, End::Closed, "the extra connection is closed");
        assert!(
            answer.is_empty() || answer.starts_with(b"HTTP/1.1 503 "),
            "{}",
            String::from_utf8_lossy(&answer)
        );
    }
    // The open ones carry on.
    for stream in &mut open {
        stream
            .write_all(get_request("/api/v2/tokens").as_bytes())
            .unwrap();
        assert_eq!(read_answer(stream).unwrap().status, 200);
    }
    // Once one closes, its place is free again (the server notices the close on its own time: a bounded
    // number of attempts).
    drop(open.pop());
    let served = (0..500).any(|_| {
        let mut stream = connect(&emu);
        let request = get_request("/api/v2/caller-identity");
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        match read_answer(&mut stream) {
            Ok(answer) if answer.status == 200 => true,
            _ => {
                std::thread::sleep(DRIP);
                false
            }
        }
    });
    assert!(served, "a connection is served once another closed");
}
