//! One line per request on stderr, written by a dedicated thread so that request handling never waits
//! on the terminal. Request lines carry method, path, status and duration only: never headers, bodies or queries.
//! Event lines name server events and what a patch changed in a token's permissions (the kinds of permissions
//! before and after, never a secret).

use std::io::Write;
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Mutex;
use std::thread::JoinHandle;

enum Message {
    Line(String),
    Stop,
}

/// The request log.
pub struct RequestLog {
    sender: Sender<Message>,
    writer: Mutex<Option<JoinHandle<()>>>,
}

impl RequestLog {
    /// Starts the writer thread.
    pub fn start() -> Self {
        let (sender, receiver) = mpsc::channel();
        let writer = std::thread::Builder::new()
            .name("request-log".into())
            .spawn(move || write_lines(receiver))
            .ok();
        RequestLog {
            sender,
            writer: Mutex::new(writer),
        }
    }

    /// Logs one request.
    pub fn request(&self, method: &str, path: &str, status: u16, millis: f64) {
        let _ = self.sender.send(Message::Line(format!(
            "{method} {path} {status} {millis:.2}ms"
        )));
    }

    /// Logs a server event (startup, shutdown, a persistence failure).
    pub fn event(&self, text: impl Into<String>) {
        let _ = self.sender.send(Message::Line(text.into()));
    }

    /// Writes everything queued and stops the writer thread.
    pub fn stop(&self) {
        let _ = self.sender.send(Message::Stop);
        if let Some(handle) = self.writer.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = handle.join();
        }
    }
}

fn write_lines(receiver: Receiver<Message>) {
    let stderr = std::io::stderr();
    let mut out = std::io::BufWriter::new(stderr.lock());
    while let Ok(message) = receiver.recv() {
        let mut next = Some(message);
        // Drain whatever else is queued before flushing, so a burst costs one write.
        while let Some(message) = next {
            match message {
                Message::Line(line) => {
                    let _ = writeln!(out, "{line}");
                }
                Message::Stop => {
                    let _ = out.flush();
                    return;
                }
            }
            next = receiver.try_recv().ok();
        }
        let _ = out.flush();
    }
    let _ = out.flush();
}
