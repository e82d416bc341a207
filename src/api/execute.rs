//! The request/retry loop, generic over the transport so that it runs the same under `fetch` and in tests.

use super::endpoints::{ApiRequest, Method};
use super::redact::redact_secrets;
use super::response::{decode_error, JsonParser};
use super::retry::{rate_limit_wait_ms, Failure};
use super::{ApiError, ClientConfig};
use crate::model::Secret;
use std::fmt;
use std::future::Future;

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

fn transport_error(error: TransportError) -> ApiError {
    match error {
        TransportError::Aborted => ApiError::aborted(),
        TransportError::Network(detail) => ApiError::network(&redact_secrets(&detail)),
    }
}

/// Sends `request`, retrying per the config's [`super::RetryPolicy`], and returns the first response that is
/// not retried (any status) or the error that ended the attempts.
///
/// 429 is retried for every method, after the wait its headers ask for; 5xx and network errors only for
/// idempotent methods. A 429 that exhausts the retries becomes an [`ApiError`] with `retry_after_ms`.
pub async fn execute<T: Transport>(
    transport: &T,
    config: &ClientConfig,
    request: &ApiRequest,
) -> Result<HttpResponse, ApiError> {
    let wire = HttpRequest::new(config, request);
    let idempotent = request.method.is_idempotent();
    let policy = config.retry();
    let mut retries_done = 0u32;
    loop {
        let (failure, last_error) = match transport.send(&wire).await {
            Ok(response) if response.status == 429 => {
                let wait = rate_limit_wait_ms(
                    response.rate_limit_reset.as_deref(),
                    response.retry_after.as_deref(),
                    transport.now_ms(),
                );
                let error = decode_error(transport, &response, transport.now_ms());
                (Failure::RateLimited { wait_ms: wait }, error)
            }
            Ok(response) if response.status >= 500 => (
                Failure::ServerError,
                decode_error(transport, &response, transport.now_ms()),
            ),
            Ok(response) => return Ok(response),
            Err(TransportError::Aborted) => return Err(ApiError::aborted()),
            Err(error) => (Failure::Network, transport_error(error)),
        };
        let Some(delay) = policy.delay_ms(retries_done, failure, idempotent, transport.random())
        else {
            return Err(last_error);
        };
        transport.sleep(delay).await.map_err(transport_error)?;
        retries_done += 1;
    }
}
