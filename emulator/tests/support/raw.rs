//! HTTP/1.1 over a raw TCP connection, for what a client library would not do: drip bytes, stop half way,
//! hold a request in flight.

use super::{Emulator, OWNER};
use serde_json::Value;
use std::io::{ErrorKind, Read};
use std::net::TcpStream;
use std::time::Duration;

/// How long a test waits on a socket before giving up: far beyond every limit the tests set.
pub const SAFETY_NET: Duration = Duration::from_secs(60);

/// A connection to the emulator whose reads give up after [`SAFETY_NET`].
pub fn connect(emu: &Emulator) -> TcpStream {
    let addr = emu.base.trim_start_matches("http://");
    let stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(SAFETY_NET)).unwrap();
    stream.set_nodelay(true).unwrap();
    stream
}

/// A GET of `path` as the owner, keeping the connection open.
pub fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: emulator\r\nAuthorization: {OWNER}\r\n\r\n")
}

/// A response read off a raw connection.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub head: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim()
                .eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).expect("JSON body")
    }
}

/// How a read that expected more ended.
#[derive(Debug, PartialEq, Eq)]
pub enum End {
    /// The server closed the connection (end of stream or reset).
    Closed,
    /// Nothing came within the safety net.
    TimedOut,
}

/// How a failed read ended.
pub fn ended(error: &std::io::Error) -> End {
    match error.kind() {
        ErrorKind::WouldBlock | ErrorKind::TimedOut => End::TimedOut,
        _ => End::Closed,
    }
}

/// Reads one response (head and `Content-Length` body), or how the connection ended before one came.
pub fn read_answer(stream: &mut TcpStream) -> Result<Answer, End> {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = bytes.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        match stream.read(&mut chunk) {
            Ok(0) => return Err(End::Closed),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(ended(&e)),
        }
    };
    let head = String::from_utf8_lossy(&bytes[..head_end]).into_owned();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let mut answer = Answer {
        status,
        head,
        body: bytes[head_end..].to_vec(),
    };
    let length: usize = answer
        .header("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    while answer.body.len() < length {
        match stream.read(&mut chunk) {
            Ok(0) => return Err(End::Closed),
            Ok(n) => answer.body.extend_from_slice(&chunk[..n]),
            Err(e) => return Err(ended(&e)),
        }
    }
    Ok(answer)
}

/// Reads until the server closes the connection; returns what came and how it ended.
pub fn read_to_end(stream: &mut TcpStream) -> (Vec<u8>, End) {
    let mut bytes = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk) {
            Ok(0) => return (bytes, End::Closed),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) => return (bytes, ended(&e)),
        }
    }
}
