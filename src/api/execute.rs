//! The request/retry loop, generic over the transport so that it runs the same under `fetch` and in tests.

use super::endpoints::ApiRequest;
use super::redact::redact_secrets;
use super::response::decode_error;
use super::retry::{rate_limit_wait_ms, Failure};
use super::transport::{HttpRequest, HttpResponse, Transport, TransportError};
use super::{ApiError, ClientConfig};

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
