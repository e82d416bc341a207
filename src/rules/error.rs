use crate::model::ErrorBody;
use std::fmt;

/// A request the token rules refuse, with the HTTP status and error code the API answers with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RuleError {
    /// 400, 403 or 404.
    pub status: u16,
    /// `invalid_request`, `forbidden` or `not_found`.
    pub code: &'static str,
    /// What went wrong, for people. Never contains a secret.
    pub message: String,
}

impl RuleError {
    /// 400 `invalid_request`: the request is wrong in itself.
    pub fn invalid(message: impl Into<String>) -> Self {
        RuleError {
            status: 400,
            code: "invalid_request",
            message: message.into(),
        }
    }

    /// 403 `forbidden`, carrying the reason the caller may not do it.
    pub fn forbidden(reason: &str) -> Self {
        RuleError {
            status: 403,
            code: "forbidden",
            message: format!("Forbidden. Access to the requested resource was denied: {reason}"),
        }
    }

    /// 404 `not_found`, with LaunchDarkly's message: a token the caller may not see is reported exactly like
    /// one that does not exist, so that its existence is not revealed.
    pub fn not_found() -> Self {
        RuleError {
            status: 404,
            code: "not_found",
            message: "Invalid resource identifier".to_string(),
        }
    }

    /// The API's error body for this error.
    pub fn to_error_body(&self) -> ErrorBody {
        ErrorBody::new(self.code, self.message.clone())
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for RuleError {}
