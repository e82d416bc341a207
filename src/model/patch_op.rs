use serde::{Deserialize, Serialize};

/// One RFC 6902 operation (`PatchOperation` schema, plus `from` for `move` and `copy`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    pub op: String,
    pub path: String,
    /// `Some(Value::Null)` for `"value": null`, `None` only when the member is absent: RFC 6902 requires `value`
    /// for `add`, `replace` and `test`, and `null` is a legitimate value to add or test for.
    #[serde(
        default,
        deserialize_with = "present_value",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// Serde maps a JSON `null` to `None` for an `Option`; this keeps it as `Some(Value::Null)`. An absent member
/// never reaches here (the field's `default` applies), so `None` keeps meaning "not given".
fn present_value<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(deserializer).map(Some)
}

/// A patch body: a bare JSON Patch array, or LaunchDarkly's `{ comment, patch }` wrapper.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum PatchRequest {
    Operations(Vec<PatchOperation>),
    WithComment {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        patch: Vec<PatchOperation>,
    },
}

impl PatchRequest {
    /// The operations, whichever form carried them.
    pub fn operations(&self) -> &[PatchOperation] {
        match self {
            PatchRequest::Operations(ops) => ops,
            PatchRequest::WithComment { patch, .. } => patch,
        }
    }
}
