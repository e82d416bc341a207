//! Moving values across the boundary: JS → Rust with a message that names what was expected, Rust → JS as
//! plain objects (never `Map`s) so that results look like the JSON the API returns.

use crate::api::redact_secrets;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

/// Decodes `value` as `T`; on failure, a sentence naming `what` and serde's reason (secrets redacted).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| redact_secrets(&format!("{what} is not valid: {e}")))
}

/// Like [`from_js`], treating `undefined` and `null` as the type's default.
pub fn from_js_or_default<T: DeserializeOwned + Default>(
    value: JsValue,
    what: &str,
) -> Result<T, String> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// Encodes `value` as plain JS objects and arrays: its `serde_json` text given to `JSON.parse`. The module
/// needs `serde_json`'s serializer anyway (request bodies), so results reuse it rather than adding a
/// second serializer per result type.
pub fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, String> {
    let text = serde_json::to_string(value)
        .map_err(|e| format!("result cannot be converted for JavaScript: {e}"))?;
    js_sys::JSON::parse(&text).map_err(|_| "result cannot be converted for JavaScript".to_owned())
}

/// `object[name]`, or `undefined` when `object` is not an object or the read throws (a getter, a proxy).
pub fn property(object: &JsValue, name: &str) -> JsValue {
    if !object.is_object() {
        return JsValue::UNDEFINED;
    }
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// A readable description of a thrown JS value: an `Error`'s message (and its `cause`'s, where Node puts
/// the socket error), or the value as a string.
pub fn describe_js_error(error: &JsValue) -> String {
    let text = |v: &JsValue| -> Option<String> {
        if let Some(e) = v.dyn_ref::<js_sys::Error>() {
            Some(String::from(e.message()))
        } else {
            v.as_string()
        }
    };
    let mut message = text(error).unwrap_or_else(|| "unknown error".to_owned());
    let cause = property(error, "cause");
    if !cause.is_undefined() && !cause.is_null() {
        let code = property(&cause, "code").as_string();
        if let Some(detail) = text(&cause).or(code) {
            message.push_str(" (");
            message.push_str(&detail);
            message.push(')');
        }
    }
    message
}
