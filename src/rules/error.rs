//! Why the token rules refuse a request. Each kind is one answer of the Access Tokens API, named by its
//! stable code; the HTTP status it travels with is chosen at the edges (the emulator, the client).

use crate::model::ErrorBody;
use crate::patch::PatchError;
use std::fmt;

/// A request the token rules refuse. Messages never contain a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleError {
    /// The request is wrong in itself, whoever sends it: a body with two kinds of permissions, an unknown
    /// role, a malformed patch (`invalid_request`).
    InvalidRequest {
        /// What is wrong, for people.
        message: String,
    },
    /// The caller may not do it (`forbidden`).
    Forbidden {
        /// Why, as the decision that refused it explains.
        reason: String,
    },
    /// The token does not exist, or the caller may not see it: the two are answered alike, so that a
    /// token's existence is not revealed (`not_found`).
    NotFound,
    /// A well-formed patch that does not fit the token (`patch_failed`).
    PatchFailed {
        /// What did not fit, naming the operation.
        message: String,
        /// The zero-based index of the operation at fault, when one operation is.
        operation: Option<usize>,
    },
}

impl RuleError {
    /// The request is wrong in itself.
    pub fn invalid(message: impl Into<String>) -> Self {
        RuleError::InvalidRequest {
            message: message.into(),
        }
    }

    /// The caller may not do it, for `reason`.
    pub fn forbidden(reason: impl Into<String>) -> Self {
        RuleError::Forbidden {
            reason: reason.into(),
        }
    }

    /// The API's stable error code: `invalid_request`, `forbidden`, `not_found` or `patch_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            RuleError::InvalidRequest { .. } => "invalid_request",
            RuleError::Forbidden { .. } => "forbidden",
            RuleError::NotFound => "not_found",
            RuleError::PatchFailed { .. } => "patch_failed",
        }
    }

    /// The message LaunchDarkly's answer carries, for people.
    pub fn message(&self) -> String {
        match self {
            RuleError::InvalidRequest { message } | RuleError::PatchFailed { message, .. } => {
                message.clone()
            }
            RuleError::Forbidden { reason } => {
                format!("Forbidden. Access to the requested resource was denied: {reason}")
            }
            RuleError::NotFound => "Invalid resource identifier".to_owned(),
        }
    }

    /// The API's error body for this error.
    pub fn to_error_body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.message())
    }
}

impl From<PatchError> for RuleError {
    fn from(error: PatchError) -> Self {
        match error {
            PatchError::InvalidRequest { message, .. } => RuleError::InvalidRequest { message },
            PatchError::Failed { message, operation } => {
                RuleError::PatchFailed { message, operation }
            }
        }
    }
}

impl fmt::Display for RuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for RuleError {}
