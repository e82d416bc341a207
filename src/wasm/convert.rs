//! Moving values across the boundary: JS → Rust with a message that names what was expected, Rust → JS as
//! plain objects (never `Map`s) so that results look like the JSON the API returns.
//!
//! Every JavaScript value is first read into a `serde_json::Value` by an iterative walk ([`to_json`]) and
//! only then decoded. Decoding a `JsValue` directly recurses once per level of nesting, and a value nested
//! a few thousand levels deep (or a cyclic one) exhausts the module's shadow stack: a trap that leaves the
//! instance unusable. The walk keeps its own stack, stops at [`MAX_DEPTH`] (which also stops cycles), and
//! reads every property under a catch, so a throwing getter or proxy becomes an error naming the path.

use crate::api::redact_secrets;
use js_sys::{Array, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Number, Value};
use wasm_bindgen::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// Deepest nesting of arrays and objects accepted from JavaScript: `serde_json`'s own limit for JSON text,
/// so a value is refused for depth exactly when its JSON text would be.
pub const MAX_DEPTH: usize = 128;

/// Most values (leaves and containers) one walk reads. An object reachable along several paths is read once
/// per path, as `JSON.stringify` would write it, so a small graph of shared objects can unfold into an
/// astronomical tree (100 levels of `[v, v]` is 2^100 values): without a bound the walk would never end.
/// A million is more than 1.5 times what a 100,000-statement policy needs, and about 5 s of walking.
pub const MAX_VALUES: usize = 1_000_000;

/// Longest error message built from a decoding failure. Serde quotes the offending value whole (an 8 MB
/// string makes an 8 MB message); the start says what was wrong.
const MESSAGE_LIMIT: usize = 300;

#[wasm_bindgen]
extern "C" {
    /// `Object.keys`, catching what a proxy's `ownKeys` trap throws.
    #[wasm_bindgen(catch, js_namespace = Object, js_name = keys)]
    fn object_keys(value: &JsValue) -> Result<Array, JsValue>;

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

/// A JSON pointer to the value `segments` lead to (`""` for the whole value).
fn pointer<'a>(segments: impl Iterator<Item = &'a str>) -> String {
    let mut path = String::new();
    for segment in segments {
        path.push('/');
        path.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    }
    path
}

/// What one JavaScript value becomes: a JSON leaf, a container to walk, or nothing (as in `JSON.stringify`,
/// `undefined`, functions and symbols are left out of objects and become `null` in arrays).
enum Node {
    Leaf(Value),
    Container(Frame),
    Absent,
}

/// An array or object being walked: its JavaScript source, what has been read of it so far, and the key or
/// index under which its parent holds it.
struct Frame {
    source: JsValue,
    /// The object's own enumerable keys; `None` for an array.
    keys: Option<Array>,
    len: u32,
    next: u32,
    items: Vec<Value>,
    fields: Map<String, Value>,
    segment: String,
}

impl Frame {
    fn finish(self) -> Value {
        if self.keys.is_some() {
            Value::Object(self.fields)
        } else {
            Value::Array(self.items)
        }
    }

    fn attach(&mut self, segment: String, value: Value) {
        if self.keys.is_some() {
            self.fields.insert(segment, value);
        } else {
            self.items.push(value);
        }
    }
}

/// A JavaScript number as JSON: integers as integers (so that integer fields decode), others as floats.
fn number(x: f64) -> Option<Number> {
    const TWO_63: f64 = 9_223_372_036_854_775_808.0;
    if x.fract() == 0.0 && (0.0..2.0 * TWO_63).contains(&x) {
        Some(Number::from(x as u64))
    } else if x.fract() == 0.0 && (-TWO_63..0.0).contains(&x) {
        Some(Number::from(x as i64))
    } else {
        Number::from_f64(x)
    }
}

/// Classifies `value` (found at `segment`); `Err` is the reason it cannot be JSON.
fn node(value: JsValue, segment: String) -> Result<Node, String> {
    if value.is_null() {
        return Ok(Node::Leaf(Value::Null));
    }
    if value.is_undefined() || value.is_function() || value.is_symbol() {
        return Ok(Node::Absent);
    }
    if let Some(b) = value.as_bool() {
        return Ok(Node::Leaf(Value::Bool(b)));
    }
    if let Some(x) = value.as_f64() {
        return number(x)
            .map(|n| Node::Leaf(Value::Number(n)))
            .ok_or_else(|| format!("{x} is not a finite number"));
    }
    if let Some(text) = value.as_string() {
        return Ok(Node::Leaf(Value::String(text)));
    }
    if !value.is_object() {
        return Err("a BigInt (or another value JSON cannot hold) is not supported".to_owned());
    }
    let read_failed = |e: JsValue| format!("reading it threw: {}", describe_js_error(&e));
    let (keys, len) = if is_array(&value).map_err(read_failed)? {
        let len = Reflect::get(&value, &JsValue::from_str("length")).map_err(read_failed)?;
        (None, len.as_f64().unwrap_or(0.0) as u32)
    } else {
        let keys = object_keys(&value).map_err(read_failed)?;
        let len = keys.length();
        (Some(keys), len)
    };
    Ok(Node::Container(Frame {
        source: value,
        keys,
        len,
        next: 0,
        items: Vec::new(),
        fields: Map::new(),
        segment,
    }))
}

/// Reads `value` as JSON without recursion: at most [`MAX_DEPTH`] levels of arrays and objects and
/// [`MAX_VALUES`] values in all, every property read under a catch. `undefined` at the top is `null`. The error names the JSON pointer at fault.
pub fn to_json(value: &JsValue) -> Result<Value, String> {
    let at = |stack: &[Frame], last: Option<&str>, reason: String| {
        let path = pointer(stack.iter().skip(1).map(|f| f.segment.as_str()).chain(last));
        let path = if path.is_empty() {
            "the top level".to_owned()
        } else {
            format!("`{path}`")
        };
        format!("{reason} (at {path})")
    };
    let mut stack = match node(value.clone(), String::new()).map_err(|r| at(&[], None, r))? {
        Node::Leaf(v) => return Ok(v),
        Node::Absent if value.is_undefined() => return Ok(Value::Null),
        Node::Absent => return Err(at(&[], None, "a function or symbol is not JSON".to_owned())),
        Node::Container(frame) => vec![frame],
    };
    let mut values = 1usize;
    while let Some(top) = stack.last_mut() {
        if top.next >= top.len {
            let Some(mut done) = stack.pop() else { break };
            let key = std::mem::take(&mut done.segment);
            let finished = done.finish();
            match stack.last_mut() {
                None => return Ok(finished),
                Some(parent) => parent.attach(key, finished),
            }
            continue;
        }
        let index = top.next;
        top.next += 1;
        values += 1;
        if values > MAX_VALUES {
            let reason = format!(
                "more than {MAX_VALUES} values (an object reached along several paths counts each time)"
            );
            return Err(at(&stack, None, reason));
        }
        let (segment, child) = match &top.keys {
            Some(keys) => {
                let key = keys.get(index);
                let segment = key.as_string().unwrap_or_default();
                (segment, Reflect::get(&top.source, &key))
            }
            None => (index.to_string(), Reflect::get_u32(&top.source, index)),
        };
        let child = match child {
            Ok(child) => child,
            Err(e) => {
                let reason = format!("reading it threw: {}", describe_js_error(&e));
                return Err(at(&stack, Some(&segment), reason));
            }
        };
        match node(child, segment.clone()) {
            Err(reason) => return Err(at(&stack, Some(&segment), reason)),
            Ok(Node::Leaf(v)) => top.attach(segment, v),
            Ok(Node::Absent) if top.keys.is_some() => {}
            Ok(Node::Absent) => top.attach(segment, Value::Null),
            Ok(Node::Container(frame)) => {
                if stack.len() >= MAX_DEPTH {
                    let reason = format!("nested deeper than {MAX_DEPTH} levels (or cyclic)");
                    return Err(at(&stack, Some(&segment), reason));
                }
                stack.push(frame);
            }
        }
    }
    // Not reached: the outermost container returns itself when it is finished.
    Ok(Value::Null)
}

/// Decodes `json` as `T`; on failure, a sentence naming `what` and serde's reason (redacted, clipped).
pub fn decode<T: DeserializeOwned>(json: &Value, what: &str) -> Result<T, String> {
    T::deserialize(json).map_err(|e| bounded(&format!("{what} is not valid: {e}")))
}

/// Decodes `value` as `T`, reading it with [`to_json`] first; on failure, a sentence naming `what` and the
/// reason (secrets redacted, clipped).
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, String> {
    let json = to_json(&value).map_err(|e| bounded(&format!("{what} is not valid: {e}")))?;
    decode(&json, what)
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

/// A string argument, or why it is not one (`"<what> must be a string"`); each caller wraps the message in
/// the error type its API throws.
pub(super) fn string_arg(value: &JsValue, what: &str) -> Result<String, String> {
    value
        .as_string()
        .ok_or_else(|| format!("{what} must be a string"))
}
