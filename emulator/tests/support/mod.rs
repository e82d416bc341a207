//! Shared test harness: runs the real `tokengate-emulator` binary on a free port, talks to it over HTTP,
//! and validates every response body against the official OpenAPI schemas.

// Each suite takes the whole harness in with `mod support;` but uses only part of it.
#![allow(dead_code)]

pub mod raw;

use reqwest::blocking::{Client, Response};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Map, Value};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

pub const OWNER: &str = "api-0d3e0000-0000-4000-8000-00000000c001";
pub const ADMIN: &str = "api-0d3e0000-0000-4000-8000-00000000c002";
pub const WRITER: &str = "api-0d3e0000-0000-4000-8000-00000000c003";
pub const WRITER_ADMIN: &str = "api-0d3e0000-0000-4000-8000-00000000c004";
pub const READER: &str = "api-0d3e0000-0000-4000-8000-00000000c005";
pub const CASEY_MANAGER: &str = "api-0d3e0000-0000-4000-8000-00000000c006";
pub const CASEY_RENAMER: &str = "api-0d3e0000-0000-4000-8000-00000000c007";
pub const SVC_ADMIN: &str = "api-0d3e0000-0000-4000-8000-00000000c008";
pub const SVC_READER: &str = "api-0d3e0000-0000-4000-8000-00000000c009";
pub const SVC_ROTATOR: &str = "api-0d3e0000-0000-4000-8000-00000000c00a";
pub const SVC_PROJECT: &str = "api-0d3e0000-0000-4000-8000-00000000c00b";
pub const NADIA: &str = "api-0d3e0000-0000-4000-8000-00000000c00c";
pub const DEPARTED: &str = "api-0d3e0000-0000-4000-8000-00000000c00d";
pub const TARA_TEAM: &str = "api-0d3e0000-0000-4000-8000-00000000c00e";

/// Demo token ids, in creation order.
pub fn demo_id(n: u32) -> String {
    format!("5f1c{:020x}", n)
}
pub const OWNER_ID: &str = "5f1a00000000000000000001";
pub const ADMIN_MEMBER: &str = "5f1a00000000000000000002";
pub const WRITER_MEMBER: &str = "5f1a00000000000000000003";
pub const READER_MEMBER: &str = "5f1a00000000000000000004";
pub const TARA_MEMBER: &str = "5f1a00000000000000000007";

/// A running emulator; killed when dropped.
pub struct Emulator {
    child: Option<Child>,
    pub base: String,
    pub stdout: Vec<String>,
    stderr: Arc<Mutex<String>>,
    client: Client,
}

/// Why an emulator did not start.
#[derive(Debug)]
pub struct StartFailure {
    pub status: Option<ExitStatus>,
    pub stderr: String,
}

pub fn binary() -> &'static str {
    env!("CARGO_BIN_EXE_tokengate-emulator")
}

impl Emulator {
    /// Starts `tokengate-emulator --listen 127.0.0.1:0 ARGS...` and waits for its address.
    pub fn start(args: &[&str]) -> Emulator {
        Self::try_start(args).unwrap_or_else(|e| panic!("emulator did not start: {e:?}"))
    }

    /// The demo seed, in memory.
    pub fn demo() -> Emulator {
        Self::start(&["--seed", "demo"])
    }

    pub fn try_start(args: &[&str]) -> Result<Emulator, StartFailure> {
        let mut child = Command::new(binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn the emulator");
        // Drain stderr continuously so the request log can never block on a full pipe.
        let stderr = Arc::new(Mutex::new(String::new()));
        {
            let mut pipe = child.stderr.take().expect("stderr");
            let sink = stderr.clone();
            std::thread::spawn(move || {
                let mut buf = [0u8; 8192];
                while let Ok(n) = pipe.read(&mut buf) {
                    if n == 0 {
                        break;
                    }
                    sink.lock()
                        .unwrap()
                        .push_str(&String::from_utf8_lossy(&buf[..n]));
                }
            });
        }
        let stdout = child.stdout.take().expect("stdout");
        let mut reader = BufReader::new(stdout);
        let mut lines = Vec::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => {
                    let status = child.wait().ok();
                    std::thread::sleep(Duration::from_millis(100));
                    return Err(StartFailure {
                        status,
                        stderr: stderr.lock().unwrap().clone(),
                    });
                }
                Ok(_) => {}
            }
            let line = line.trim_end().to_owned();
            if let Some(addr) = line.strip_prefix("listening on ") {
                let base = addr.to_owned();
                lines.push(line);
                // Keep draining stdout in the background.
                std::thread::spawn(move || {
                    let mut rest = String::new();
                    let _ = reader.read_to_string(&mut rest);
                });
                return Ok(Emulator {
                    child: Some(child),
                    base,
                    stdout: lines,
                    stderr,
                    client: Client::builder()
                        .timeout(Duration::from_secs(30))
                        .build()
                        .unwrap(),
                });
            }
            lines.push(line);
        }
    }

    /// What the emulator wrote to stderr so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for a clean exit.
    pub fn terminate(self) -> ExitStatus {
        self.signal("-TERM")
    }

    /// Sends a signal (`-TERM`, `-INT`) and waits for the process to exit.
    pub fn signal(mut self, signal: &str) -> ExitStatus {
        let mut child = self.child.take().unwrap();
        let pid = child.id().to_string();
        Command::new("kill")
            .args([signal, &pid])
            .status()
            .expect("kill -TERM");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                panic!("emulator did not stop within 10 s of {signal}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends a request. `secret` goes in `Authorization` as is.
    pub fn call(
        &self,
        method: &str,
        path: &str,
        secret: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        self.call_with(method, path, secret, body, &[])
    }

    pub fn call_with(
        &self,
        method: &str,
        path: &str,
        secret: Option<&str>,
        body: Option<&Value>,
        headers: &[(&str, &str)],
    ) -> Reply {
        let method = Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.client.request(method, self.url(path));
        if let Some(secret) = secret {
            req = req.header("Authorization", secret);
        }
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        if let Some(body) = body {
            req = req
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(body).unwrap());
        }
        Reply::from(req.send().expect("request"))
    }

    pub fn get(&self, path: &str, secret: &str) -> Reply {
        self.call("GET", path, Some(secret), None)
    }

    pub fn post(&self, path: &str, secret: &str, body: &Value) -> Reply {
        self.call("POST", path, Some(secret), Some(body))
    }

    pub fn patch(&self, path: &str, secret: &str, body: &Value) -> Reply {
        self.call("PATCH", path, Some(secret), Some(body))
    }

    pub fn delete(&self, path: &str, secret: &str) -> Reply {
        self.call("DELETE", path, Some(secret), None)
    }

    /// Creates a token as `secret` and returns the response body (schema-checked).
    pub fn create(&self, secret: &str, body: Value) -> Value {
        self.post("/api/v2/tokens", secret, &body)
            .expect(201, "Token")
    }
}

impl Drop for Emulator {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A response, read whole.
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
}

impl From<Response> for Reply {
    fn from(r: Response) -> Self {
        let status = r.status();
        let headers = r.headers().clone();
        let text = r.text().unwrap_or_default();
        Reply {
            status,
            headers,
            text,
        }
    }
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Asserts the status and validates the body against `schema` (strictly: no unknown fields).
    pub fn expect(&self, status: u16, schema: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        let body = self.json();
        assert_schema(schema, &body);
        body
    }

    /// Asserts an error status and code; checks the body against the status's error schema and that its
    /// `id` is the `X-Request-Id` header. Returns the message.
    pub fn expect_error(&self, status: u16, code: &str) -> String {
        assert_eq!(self.status.as_u16(), status, "body: {}", self.text);
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "error bodies are JSON"
        );
        let body = self.json();
        let schema = match status {
            400 | 413 => "InvalidRequestErrorRep",
            401 => "UnauthorizedErrorRep",
            403 => "ForbiddenErrorRep",
            404 => "NotFoundErrorRep",
            409 => "StatusConflictErrorRep",
            422 => "PatchFailedErrorRep",
            429 => "RateLimitedErrorRep",
            _ => "InvalidRequestErrorRep",
        };
        assert_schema(schema, &body);
        assert_eq!(body["code"], code, "body: {body}");
        let id = body["id"].as_str().expect("error id");
        assert!(!id.is_empty());
        assert_eq!(self.header("x-request-id"), Some(id));
        body["message"].as_str().unwrap().to_owned()
    }
}

fn spec_dir() -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec")).to_path_buf()
}

/// One of the official OpenAPI files the repository keeps in `spec/`, parsed.
pub fn spec(file: &str) -> Value {
    let path = spec_dir().join(file);
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("parse {}: {e}", path.display()))
}

/// Every schema of the spec files, by name (the files agree on the names they share).
fn components() -> &'static Map<String, Value> {
    static COMPONENTS: OnceLock<Map<String, Value>> = OnceLock::new();
    COMPONENTS.get_or_init(|| {
        let mut all = Map::new();
        for file in [
            "teams.openapi.json",
            "identity-and-roles.openapi.json",
            "access-tokens.openapi.json",
        ] {
            let path = spec_dir().join(file);
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("read {}: {e}", path.display()));
            let spec: Value = serde_json::from_str(&text).unwrap();
            for (name, schema) in spec["components"]["schemas"].as_object().unwrap() {
                all.insert(name.clone(), strict(name, schema.clone()));
            }
        }
        all
    })
}

/// The official schemas allow any extra field; the tests forbid them (except the error reps, which do not
/// list LaunchDarkly's `id`), so a misspelt or invented field fails.
fn strict(name: &str, mut schema: Value) -> Value {
    if name.ends_with("ErrorRep") {
        return schema;
    }
    fn tighten(v: &mut Value) {
        if let Value::Object(map) = v {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            if let Some(Value::Object(props)) = map.get_mut("properties") {
                props.values_mut().for_each(tighten);
            }
            if let Some(items) = map.get_mut("items") {
                tighten(items);
            }
        }
    }
    tighten(&mut schema);
    schema
}

/// Validates `body` against the named component schema, `$ref`s resolved within the components.
pub fn assert_schema(name: &str, body: &Value) {
    static VALIDATORS: OnceLock<Mutex<HashMap<String, Arc<jsonschema::Validator>>>> =
        OnceLock::new();
    let validator = {
        let mut cache = VALIDATORS.get_or_init(Default::default).lock().unwrap();
        cache
            .entry(name.to_owned())
            .or_insert_with(|| {
                assert!(components().contains_key(name), "no schema {name}");
                let root = json!({
                    "$ref": format!("#/components/schemas/{name}"),
                    "components": { "schemas": components() },
                });
                Arc::new(jsonschema::validator_for(&root).expect("schema compiles"))
            })
            .clone()
    };
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{name} schema violations: {errors:#?}\nbody: {body}"
    );
}

/// A fresh, empty directory under the system temp dir.
pub fn temp_dir(label: &str) -> PathBuf {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let dir = std::env::temp_dir().join(format!(
        "tokengate-emulator-{label}-{}-{n}-{}",
        std::process::id(),
        Instant::now().elapsed().as_nanos()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

/// The ids of a list's items.
pub fn ids(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["_id"].as_str().unwrap().to_owned())
        .collect()
}
