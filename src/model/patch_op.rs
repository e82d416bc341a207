use serde::{Deserialize, Serialize};

/// One RFC 6902 operation (`PatchOperation` schema, plus `from` for `move` and `copy`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    pub op: String,
    pub path: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
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
