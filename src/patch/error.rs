use crate::model::ErrorBody;
use std::fmt;

/// Why a patch was refused: the HTTP status and error code the API answers with, and a message that names the
/// operation and the problem. Messages never contain a token's secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PatchError {
    /// 400 for a request that is wrong in itself, 422 for one that does not fit the document.
    pub status: u16,
    /// `invalid_request` (400) or `patch_failed` (422).
    pub code: &'static str,
    /// What went wrong, for people.
    pub message: String,
    /// The zero-based index of the operation at fault, when one operation is.
    pub operation: Option<usize>,
}

impl PatchError {
    /// A 400 `invalid_request`: the patch is malformed or asks for something that is never allowed.
    pub fn invalid(message: impl Into<String>) -> Self {
        PatchError {
            status: 400,
            code: "invalid_request",
            message: message.into(),
            operation: None,
        }
    }

    /// A 422 `patch_failed`: the patch is well formed but cannot be applied to this document.
    pub fn failed(message: impl Into<String>) -> Self {
        PatchError {
            status: 422,
            code: "patch_failed",
            message: message.into(),
            operation: None,
        }
    }

    /// The same error, attributed to operation `index` (described as `op path`) in its message.
    pub(crate) fn at(mut self, index: usize, describe: &str) -> Self {
        self.message = format!("operation {index} ({describe}): {}", self.message);
        self.operation = Some(index);
        self
    }

    /// The API's error body for this error.
    pub fn to_error_body(&self) -> ErrorBody {
        ErrorBody::new(self.code, self.message.clone())
    }
}

impl fmt::Display for PatchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}: {}", self.status, self.code, self.message)
    }
}

impl std::error::Error for PatchError {}
