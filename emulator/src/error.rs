//! The one error type handlers return, and LaunchDarkly's JSON error body every failure is sent as.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

/// A failed request: HTTP status, LaunchDarkly error code, and a message for people.
///
/// The response it turns into carries the code and message as an extension; the outermost layer, which
/// knows the request id, renders the `{code, message, id}` body (see `http::frame`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ErrorResponse {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl ErrorResponse {
    /// Any status, code and message.
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        ErrorResponse {
            status,
            code,
            message: message.into(),
        }
    }

    /// 400 `invalid_request`.
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "invalid_request", message)
    }

    /// 401 `unauthorized`.
    pub fn unauthorized(message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    /// 403 `forbidden`.
    pub fn forbidden(message: impl Into<String>) -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", message)
    }

    /// 404 `not_found`.
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }

    /// 409 `optimistic_locking_error`.
    pub fn conflict(message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, "optimistic_locking_error", message)
    }

    /// 413 `request_too_large`.
    pub fn too_large(message: impl Into<String>) -> Self {
        Self::new(StatusCode::PAYLOAD_TOO_LARGE, "request_too_large", message)
    }

    /// 408 `request_timeout`: the request's body did not arrive in time.
    pub fn request_timeout(message: impl Into<String>) -> Self {
        Self::new(StatusCode::REQUEST_TIMEOUT, "request_timeout", message)
    }

    /// 429 `rate_limited`.
    pub fn rate_limited() -> Self {
        Self::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            "You've exceeded the API rate limit. Try again later.",
        )
    }

    /// 500 `internal_server_error`; the detail goes to the log line, never to the client verbatim.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal_server_error",
            message,
        )
    }
}

/// The code and message of a failed response, read by the outer layer to render the body.
#[derive(Clone, Debug)]
pub struct ErrorInfo {
    pub code: &'static str,
    pub message: String,
}

impl IntoResponse for ErrorResponse {
    fn into_response(self) -> Response {
        let mut response = self.status.into_response();
        // A body refused as too large or too slow was not read to its end: the connection cannot carry
        // another request, and the client is told so rather than finding out from a closed socket.
        if matches!(
            self.status,
            StatusCode::PAYLOAD_TOO_LARGE | StatusCode::REQUEST_TIMEOUT
        ) {
            response
                .headers_mut()
                .insert(header::CONNECTION, HeaderValue::from_static("close"));
        }
        response.extensions_mut().insert(ErrorInfo {
            code: self.code,
            message: self.message,
        });
        response
    }
}

/// The code and default message LaunchDarkly uses for a status, for failures that did not come from a
/// handler (unknown route, wrong method, a static file that does not exist).
pub fn default_for_status(status: StatusCode) -> (&'static str, &'static str) {
    match status.as_u16() {
        400 => ("invalid_request", "Invalid request"),
        401 => ("unauthorized", "Invalid access token"),
        403 => (
            "forbidden",
            "Forbidden. Access to the requested resource was denied.",
        ),
        404 => ("not_found", "Invalid resource identifier"),
        405 => ("method_not_allowed", "Method not allowed for this resource"),
        408 => ("request_timeout", "The request did not arrive in time"),
        409 => (
            "optimistic_locking_error",
            "Conflict. Optimistic lock error. Try again later.",
        ),
        413 => ("request_too_large", "Request body too large"),
        415 => ("unsupported_media_type", "Unsupported media type"),
        422 => (
            "patch_failed",
            "Unprocessable entity. Could not apply patch.",
        ),
        429 => (
            "rate_limited",
            "You've exceeded the API rate limit. Try again later.",
        ),
        s if s >= 500 => ("internal_server_error", "Internal server error"),
        _ => ("invalid_request", "Request failed"),
    }
}
