use crate::json::{At, FromJson, JsonError, JsonOut, Object, ObjectBuilder, ToJson};
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::fmt;

/// One RFC 6902 operation (`PatchOperation` schema, plus `from` for `move` and `copy`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PatchOperation {
    /// The operation: `add`, `remove`, `replace`, `move`, `copy` or `test`.
    pub op: String,
    /// JSON Pointer to the part of the document to operate on.
    pub path: String,
    /// `Some(Value::Null)` for `"value": null`, `None` only when the member is absent: RFC 6902 requires `value`
    /// for `add`, `replace` and `test`, and `null` is a legitimate value to add or test for.
    #[serde(
        default,
        deserialize_with = "present_value",
        skip_serializing_if = "Option::is_none"
    )]
    pub value: Option<serde_json::Value>,
    /// JSON Pointer to the location to take the value from, for `move` and `copy`.
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
///
/// Serialized untagged (the array, or the object). Deserialized by the JSON kind of the input rather than
/// with `#[serde(untagged)]`, which buffers the input and tries each variant in turn: that buffering code
/// is a sizeable share of the WebAssembly module, and this way a wrong body gets the error of the form it
/// was meant as ("missing field `patch`") instead of "did not match any variant".
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PatchRequest {
    /// A bare JSON Patch array.
    Operations(Vec<PatchOperation>),
    /// LaunchDarkly's `{ comment, patch }` wrapper.
    WithComment {
        /// A comment describing the change.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        comment: Option<String>,
        /// The operations to apply, in order.
        patch: Vec<PatchOperation>,
    },
}

/// The `{ comment, patch }` form, as it is decoded.
#[derive(Deserialize)]
struct WithComment {
    #[serde(default)]
    comment: Option<String>,
    patch: Vec<PatchOperation>,
}

struct PatchRequestVisitor;

impl<'de> Visitor<'de> for PatchRequestVisitor {
    type Value = PatchRequest;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON Patch array or an object with `patch`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<PatchRequest, A::Error> {
        Vec::deserialize(SeqAccessDeserializer::new(seq)).map(PatchRequest::Operations)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<PatchRequest, A::Error> {
        let body = WithComment::deserialize(MapAccessDeserializer::new(map))?;
        Ok(PatchRequest::WithComment {
            comment: body.comment,
            patch: body.patch,
        })
    }
}

impl<'de> Deserialize<'de> for PatchRequest {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PatchRequestVisitor)
    }
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

impl FromJson for PatchOperation {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let o = Object::new(value, at)?;
        o.finish(PatchOperation {
            op: o.required("op"),
            path: o.required("path"),
            // As `present_value`: a present `null` is `Some(Value::Null)`.
            value: o.get("value").cloned(),
            from: o.optional("from"),
        })
    }
}

impl ToJson for PatchOperation {
    fn write_json(&self, out: &mut JsonOut) {
        ObjectBuilder::new(out)
            .field("op", &self.op)
            .field("path", &self.path)
            .optional("value", &self.value)
            .optional("from", &self.from)
            .end()
    }
}

/// By the JSON kind of the input, as the serde impl's visitor reads it.
impl FromJson for PatchRequest {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        if value.is_array() {
            return Vec::from_json(value, at).map(PatchRequest::Operations);
        }
        if !value.is_object() {
            let what = "a JSON Patch array or an object with `patch`";
            return Err(JsonError::expected(at, what, value));
        }
        let o = Object::new(value, at)?;
        o.finish(PatchRequest::WithComment {
            comment: o.optional("comment"),
            patch: o.required("patch"),
        })
    }
}

/// Untagged: the array, or the object.
impl ToJson for PatchRequest {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            PatchRequest::Operations(ops) => ops.write_json(out),
            PatchRequest::WithComment { comment, patch } => ObjectBuilder::new(out)
                .optional("comment", comment)
                .field("patch", patch)
                .end(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<PatchRequest, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn both_forms_decode_and_wrong_bodies_say_what_was_wrong() {
        let bare = parse(r#"[{"op":"replace","path":"/name","value":null}]"#).unwrap();
        assert_eq!(bare.operations()[0].value, Some(serde_json::Value::Null));
        assert!(matches!(bare, PatchRequest::Operations(_)));
        let wrapped =
            parse(r#"{"comment":"c","patch":[{"op":"remove","path":"/name"}],"x":1}"#).unwrap();
        assert!(matches!(&wrapped, PatchRequest::WithComment { comment: Some(c), .. } if c == "c"));
        assert_eq!(wrapped.operations()[0].op, "remove");
        assert_eq!(
            serde_json::to_string(&wrapped).unwrap(),
            r#"{"comment":"c","patch":[{"op":"remove","path":"/name"}]}"#
        );
        assert!(parse(r#"{"nope":1}"#)
            .unwrap_err()
            .contains("missing field `patch`"));
        assert!(parse(r#"[{"path":"/name"}]"#)
            .unwrap_err()
            .contains("missing field `op`"));
        assert!(parse("7")
            .unwrap_err()
            .contains("a JSON Patch array or an object"));
    }
}
