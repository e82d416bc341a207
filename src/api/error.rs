use crate::json::{JsonOut, ObjectBuilder, ToJson};
use serde::Serialize;
use std::fmt;

/// Codes the client itself produces, next to the server's own (`not_found`, `rate_limited`, ...).
pub struct ErrorCode;

impl ErrorCode {
    /// The request never produced a response (DNS, refused connection, CORS, TLS...).
    pub const NETWORK: &'static str = "network_error";
    /// The caller's `AbortSignal` fired.
    pub const ABORTED: &'static str = "aborted";
    /// A response arrived but its body is not the documented shape.
    pub const UNEXPECTED_RESPONSE: &'static str = "unexpected_response";
    /// The caller passed something the client cannot send (an empty id, a malformed option).
    pub const INVALID_ARGUMENT: &'static str = "invalid_argument";
    /// The server's code for 429.
    pub const RATE_LIMITED: &'static str = "rate_limited";
}

/// Why a call failed: the server's `{ code, message, id }` with the HTTP status, or a client-side failure with
/// status 0. Messages never contain a token secret (see [`crate::api::redact_secrets`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiError {
    /// HTTP status, or 0 when no response was received.
    pub status: u16,
    /// Machine-readable code.
    pub code: String,
    /// Human-readable explanation.
    pub message: String,
    /// The server's request id, when it sent one (quote it to support).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// For 429: how long the server asked the caller to wait, in milliseconds.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

impl ToJson for ApiError {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .optional("requestId", &self.request_id)
            .optional("retryAfterMs", &self.retry_after_ms)
            .end()
    }
}

impl ApiError {
    /// A client-side error with no HTTP status.
    pub fn local(code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status: 0,
            code: code.to_owned(),
            message: message.into(),
            request_id: None,
            retry_after_ms: None,
        }
    }

    /// The network failed before a response arrived.
    pub fn network(detail: &str) -> Self {
        let message = if detail.is_empty() {
            "The request failed before a response was received".to_owned()
        } else {
            format!("The request failed before a response was received: {detail}")
        };
        Self::local(ErrorCode::NETWORK, message)
    }

    /// The caller aborted the call.
    pub fn aborted() -> Self {
        Self::local(ErrorCode::ABORTED, "The request was aborted")
    }

    /// A caller-supplied argument cannot be used.
    pub fn invalid_argument(message: impl Into<String>) -> Self {
        Self::local(ErrorCode::INVALID_ARGUMENT, message)
    }

    /// A response of `status` whose body is not what the API documents.
    pub fn unexpected_response(status: u16, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code: ErrorCode::UNEXPECTED_RESPONSE.to_owned(),
            message: message.into(),
            request_id: None,
            retry_after_ms: None,
        }
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.status == 0 {
            write!(f, "{}: {}", self.code, self.message)
        } else {
            write!(f, "{} {}: {}", self.status, self.code, self.message)
        }
    }
}

impl std::error::Error for ApiError {}
