//! The host's side of the client: the request it sends, the response it hands back, and the [`Transport`] it
//! implements (over `fetch` in the browser binding, scripted in tests). Nothing here knows how requests are
//! retried or how bodies become values; those read these types, never the reverse.

use super::endpoints::{ApiRequest, Method};
use super::ClientConfig;
use crate::json::{self, At, FromJson};
use crate::model::Secret;
use std::fmt;
use std::future::Future;

/// Turns a JSON body into a value. The provided method is the crate's own parser and extraction
/// ([`crate::json`]), natively and in the WebAssembly module alike; a transport overrides it only to read
/// bodies some other way.
pub trait JsonParser {
    /// Parses `text`, which must be a JSON object, as `T`; the error says what was wrong and where (a byte
    /// offset for text that is not JSON, a JSON pointer for a value of the wrong shape).
    fn parse<T: FromJson>(&self, text: &str) -> Result<T, String> {
        let value = parse_body(text, self.float_reader())?;
        T::from_json(&value, At::Root).map_err(|e| e.to_string())
    }

    /// How the floats of a body are read: Rust's own parsing unless the host has its own (the WebAssembly
    /// binding uses JavaScript's, so that the module carries none of Rust's).
    fn float_reader(&self) -> json::FloatReader {
        |text| text.parse().unwrap_or(f64::NAN)
    }
}

/// A body as a JSON value, its floats read by `float`: it must be a JSON object (every documented body is one).
pub fn parse_body(text: &str, float: json::FloatReader) -> Result<serde_json::Value, String> {
    let value = json::parse_with(text, float).map_err(|e| format!("the body is not JSON: {e}"))?;
    if !value.is_object() {
        return Err(format!(
            "expected a JSON object, found {}",
            json::kind_of(&value)
        ));
    }
    Ok(value)
}

/// [`JsonParser`] with its provided method: the crate's own parser.
#[derive(Clone, Copy, Debug, Default)]
pub struct JsonText;

impl JsonParser for JsonText {}

/// A request ready for the wire: absolute URL, headers as values, body.
#[derive(Clone)]
pub struct HttpRequest {
    /// The HTTP method.
    pub method: Method,
    /// Absolute URL: the base URL followed by the request's path and query.
    pub url: String,
    /// The raw secret for `Authorization` (no scheme word).
    pub authorization: Secret,
    /// `LD-API-Version`.
    pub api_version: String,
    /// `User-Agent`, when the caller set one.
    pub user_agent: Option<String>,
    /// JSON body; when present `Content-Type: application/json` is sent.
    pub body: Option<String>,
}

impl HttpRequest {
    /// Builds the wire request for `request` under `config`.
    pub fn new(config: &ClientConfig, request: &ApiRequest) -> Self {
        HttpRequest {
            method: request.method,
            url: request.url(config.base_url()),
            authorization: config.token().clone(),
            api_version: config.api_version().to_owned(),
            user_agent: config.user_agent().map(str::to_owned),
            body: request.body.clone(),
        }
    }
}

impl fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("authorization", &self.authorization)
            .field("api_version", &self.api_version)
            .field("body", &self.body.as_ref().map(|b| b.len()))
            .finish()
    }
}

/// What came back: status, the headers the client reads, and the body text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response body as text; empty when there is none.
    pub body: String,
    /// `X-Ratelimit-Reset` (epoch ms).
    pub rate_limit_reset: Option<String>,
    /// `Retry-After` (seconds).
    pub retry_after: Option<String>,
    /// `X-Request-Id`, used when the error body carries no `id`.
    pub request_id: Option<String>,
}

/// Why a transport produced no response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportError {
    /// The connection failed; the text is the platform's description.
    Network(String),
    /// The caller's signal fired.
    Aborted,
}

/// Sends requests and keeps time. Implemented over `fetch`/`setTimeout`/`AbortSignal` in the browser binding
/// and by scripted fakes in tests. Futures need not be `Send`: JavaScript is single-threaded.
pub trait Transport: JsonParser {
    /// Performs one HTTP exchange.
    fn send(
        &self,
        request: &HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
    /// Waits `ms` milliseconds, or fails with [`TransportError::Aborted`] if the caller aborts meanwhile.
    fn sleep(&self, ms: u64) -> impl Future<Output = Result<(), TransportError>>;
    /// Wall-clock time in epoch milliseconds (to read `X-Ratelimit-Reset`).
    fn now_ms(&self) -> f64;
    /// A uniform random number in `[0, 1)` for jitter.
    fn random(&self) -> f64;
}
