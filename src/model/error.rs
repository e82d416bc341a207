use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// LaunchDarkly's error body: `{ code, message, id? }`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Specific error code, such as `invalid_request` or `not_found`.
    pub code: String,
    /// Human-readable description of the error.
    pub message: String,
    /// ID of the failed request, when LaunchDarkly returns one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
}

impl ErrorBody {
    /// An error body with a code and message and no request id.
    pub fn new(code: impl Into<String>, message: impl Into<String>) -> Self {
        ErrorBody {
            code: code.into(),
            message: message.into(),
            id: None,
        }
    }
}

impl FromJson for ErrorBody {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(ErrorBody {
            code: o.required("code"),
            message: o.required("message"),
            id: o.optional("id"),
        })
    }
}

impl ToJson for ErrorBody {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("code", &self.code)
            .field("message", &self.message)
            .optional("id", &self.id)
            .end()
    }
}
