//! Why a JSON Patch was refused. The two kinds are the two answers the Access Tokens API gives a bad patch;
//! which HTTP status each becomes is the caller's business (the emulator, the client), not the core's.

use crate::model::ErrorBody;
use std::fmt;

/// Why a patch was refused, with a message that names the operation and the problem. Messages never contain
/// a token's secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PatchError {
    /// The patch is wrong in itself, whatever document it meets: a malformed operation, an unknown op, a path
    /// that may not be patched. LaunchDarkly answers `invalid_request`.
    InvalidRequest {
        /// What went wrong, for people.
        message: String,
        /// The zero-based index of the operation at fault, when one operation is.
        operation: Option<usize>,
    },
    /// The patch is well formed but does not fit this document: a remove of an absent path, a failed `test`,
    /// an index out of range. LaunchDarkly answers `patch_failed`.
    Failed {
        /// What went wrong, for people.
        message: String,
        /// The zero-based index of the operation at fault, when one operation is.
        operation: Option<usize>,
    },
}

impl PatchError {
    /// The patch is wrong in itself.
    pub fn invalid(message: impl Into<String>) -> Self {
        PatchError::InvalidRequest {
            message: message.into(),
            operation: None,
        }
    }

    /// The patch does not fit the document.
    pub fn failed(message: impl Into<String>) -> Self {
        PatchError::Failed {
            message: message.into(),
            operation: None,
        }
    }

    /// The API's stable error code: `invalid_request` or `patch_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            PatchError::InvalidRequest { .. } => "invalid_request",
            PatchError::Failed { .. } => "patch_failed",
        }
    }

    /// What went wrong, for people.
    pub fn message(&self) -> &str {
        match self {
            PatchError::InvalidRequest { message, .. } | PatchError::Failed { message, .. } => {
                message
            }
        }
    }

    /// The zero-based index of the operation at fault, when one operation is.
    pub fn operation(&self) -> Option<usize> {
        match self {
            PatchError::InvalidRequest { operation, .. } | PatchError::Failed { operation, .. } => {
                *operation
            }
        }
    }

    /// The same error, attributed to operation `index` (described as `op path`) in its message.
    pub(crate) fn at(mut self, index: usize, describe: &str) -> Self {
        let (PatchError::InvalidRequest { message, operation }
        | PatchError::Failed { message, operation }) = &mut self;
        *message = format!("operation {index} ({describe}): {message}");
        *operation = Some(index);
        self
    }

    /// The API's error body for this error.
    pub fn to_error_body(&self) -> ErrorBody {
        ErrorBody::new(self.code(), self.message().to_owned())
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for PatchError {}
