//! The transport-free half of the REST client: how each operation becomes an HTTP request, how a response
//! becomes a typed value or an [`ApiError`], when and how long to wait before a retry, and how pages chain.
//!
//! Nothing here performs I/O. [`Client`] drives a [`Transport`] (the `fetch` binding in the `wasm` module, or a
//! scripted fake in tests), so the whole request/retry/decode cycle is tested natively.

mod client;
mod config;
mod endpoints;
mod error;
mod execute;
mod pages;
mod redact;
mod response;
mod retry;
mod transport;

pub use client::{Client, PrincipalParts};
pub use config::{
    ClientConfig, ConfigError, BETA_API_VERSION, DEFAULT_API_VERSION, DEFAULT_BASE_URL,
    KNOWN_API_VERSIONS,
};
pub use endpoints::{ApiRequest, ListParams, Method, RoleListParams};
pub use error::{ApiError, ErrorCode};
// Only the JavaScript client sends requests itself (native callers go through `Client`).
#[cfg(all(target_arch = "wasm32", feature = "client"))]
pub(crate) use execute::execute;
pub use pages::next_page;
pub use redact::redact_secrets;
pub use response::{decode_body, decode_error, expect_empty};
pub use retry::{RetryPolicy, DEFAULT_MAX_RETRIES};
pub use transport::{
    parse_body, HttpRequest, HttpResponse, JsonParser, JsonText, Transport, TransportError,
};

#[cfg(test)]
mod client_tests;
