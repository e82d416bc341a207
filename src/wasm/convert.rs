//! Moving values across the boundary: JS → Rust with a message that names what was expected and where, Rust →
//! JS as plain objects (never `Map`s) so that results look like the JSON the API returns.
//!
//! Both directions go through JSON text and the crate's own JSON code ([`crate::json`]), never serde's derived
//! code, which was the largest cost of the boundary in the module's bytes. In: the host's encoder (the
//! package's `encodeArgument`, handed over at start-up; `JSON.stringify` for the raw glue) writes the argument
//! as text, bounding how many values it writes and turning what JSON cannot hold into a thrown error; the
//! module's parser reads the text without recursion and with a depth limit; extraction names the JSON pointer
//! of what is wrong. Out: each result is built as a JSON value, written as text and given to `JSON.parse`.

use super::host;
use crate::api::redact_secrets;
use crate::json::{self, At, FromJson, ToJson};
use serde_json::Value;
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Longest error message built from a decoding failure: the start says what was wrong.
const MESSAGE_LIMIT: usize = 300;

#[wasm_bindgen]
extern "C" {
    /// `Array.isArray`, catching the `TypeError` a revoked proxy throws.
    #[wasm_bindgen(catch, js_namespace = Array, js_name = isArray)]
    pub(super) fn is_array(value: &JsValue) -> Result<bool, JsValue>;
}

/// `text` cut to at most [`MESSAGE_LIMIT`] bytes (at a character boundary), with `…` when cut.
pub fn clip(mut text: String) -> String {
    if text.len() > MESSAGE_LIMIT {
        let mut cut = MESSAGE_LIMIT;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push('…');
    }
    text
}

/// A message safe to hand to JavaScript: secrets redacted, then clipped.
pub fn bounded(text: &str) -> String {
    clip(redact_secrets(text))
}

/// Reads `value` as JSON: the host's encoder writes it as text (or says why it cannot: a cycle, a `BigInt`, a
/// throwing getter or proxy, too many values, nesting too deep for the host), and the module's parser reads
/// the text (at most [`json::MAX_DEPTH`] levels). `undefined` is `null`.
pub fn to_json(value: &JsValue) -> Result<Value, String> {
    if value.is_undefined() {
        return Ok(Value::Null);
    }
    let text = host::encode(value).map_err(|thrown| describe_js_error(&thrown))?;
    json::parse_with(&text, js_number).map_err(|e| e.to_string())
}

/// A number's text as JavaScript reads it (`Number(text)`: correctly rounded, as `JSON.parse` reads it), so
/// that the module needs none of Rust's float parsing.
pub(super) fn js_number(text: &str) -> f64 {
    js_sys::Number::from(JsValue::from_str(text)).value_of()
}

/// Decodes `json` as `T`; on failure, a sentence naming `what`, the reason and its JSON pointer (redacted,
/// clipped).
pub fn decode<T: FromJson>(json: &Value, what: &str) -> Result<T, String> {
    T::from_json(json, At::Root).map_err(|e| bounded(&format!("{what} is not valid: {e}")))
}

/// Decodes `value` as `T`, reading it with [`to_json`] first; on failure, a sentence naming `what` and the
/// reason (secrets redacted, clipped).
pub fn from_js<T: FromJson>(value: JsValue, what: &str) -> Result<T, String> {
    let json = to_json(&value).map_err(|e| bounded(&format!("{what} is not valid: {e}")))?;
    decode(&json, what)
}

/// Like [`from_js`], treating `undefined` and `null` as the type's default.
pub fn from_js_or_default<T: FromJson + Default>(value: JsValue, what: &str) -> Result<T, String> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}

/// Encodes `value` as plain JS objects and arrays: its JSON text given to `JSON.parse`, which builds them
/// faster than setting properties one call at a time.
pub fn to_js<T: ToJson + ?Sized>(value: &T) -> Result<JsValue, String> {
    js_sys::JSON::parse(&json::to_text_with(value, js_float))
        .map_err(|_| "result cannot be converted for JavaScript".to_owned())
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

/// A string argument, or why it is not one (`"<what> must be a string"`); each caller wraps the message in
/// the error type its API throws.
pub(super) fn string_arg(value: &JsValue, what: &str) -> Result<String, String> {
    value
        .as_string()
        .ok_or_else(|| format!("{what} must be a string"))
}

/// A float as JavaScript writes it (`Number.prototype.toString`: the shortest digits that read back as it), so
/// that the module needs none of Rust's float formatting. `-0` keeps its sign, as `JSON.parse` reads `-0.0`.
fn js_float(out: &mut String, f: f64) {
    if f == 0.0 && f.is_sign_negative() {
        out.push_str("-0");
    } else if let Some(text) = js_sys::Number::from(f)
        .to_string_with_radix(10)
        .ok()
        .and_then(|t| t.as_string())
    {
        out.push_str(&text);
    }
}
