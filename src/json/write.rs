//! Compact JSON text out: values written field by field straight into the text ([`ToJson`], [`ObjectBuilder`]),
//! and documents ([`write`]).
//!
//! Results are written as text, never built as a `Value` first: building one allocated every key and value,
//! hashed every key into an ordered map and dropped it all again, most of the cost of a small result.

use serde_json::{Number, Value};

/// Where JSON text is written, with how floats are written.
pub struct JsonOut {
    text: String,
    float: FloatWriter,
}

impl JsonOut {
    /// An empty text whose floats are written by `float`.
    pub fn new(float: FloatWriter) -> Self {
        JsonOut {
            text: String::new(),
            float,
        }
    }

    /// The text written.
    pub fn into_text(self) -> String {
        self.text
    }

    /// Appends text that is already JSON.
    fn raw(&mut self, text: &str) {
        self.text.push_str(text);
    }
}

/// A type written as JSON. Implementations list their fields in the wire's order and spelling.
pub trait ToJson {
    /// Writes this value's JSON text to `out`.
    fn write_json(&self, out: &mut JsonOut);

    /// This value as a JSON value: its text, read back by the crate's parser (for what works on documents,
    /// such as JSON Patch). The writer writes only JSON, so the `null` for text it could not read is never
    /// seen; it stands in for a panic.
    fn to_json(&self) -> Value {
        let text = to_text_with(self, float_as_bits);
        crate::json::parse_with(&text, float_from_bits).unwrap_or(Value::Null)
    }
}

// `to_json` carries each float through its text bit for bit, as `0.` and the digits of its bits (a fraction,
// so the parser hands it to the float reader), rather than as decimal digits: exact, and no float formatting
// or parsing code for a conversion that never leaves memory.
fn float_as_bits(out: &mut String, f: f64) {
    use std::fmt::Write;
    let _ = write!(out, "0.{}", f.to_bits());
}

fn float_from_bits(text: &str) -> f64 {
    f64::from_bits(text.trim_start_matches("0.").parse().unwrap_or(0))
}

/// `value` as compact JSON text.
pub fn to_text<T: ToJson + ?Sized>(value: &T) -> String {
    to_text_with(value, shortest_float)
}

/// `value` as compact JSON text, floats written by `float`. The WebAssembly binding passes JavaScript's own
/// `Number.prototype.toString` (the same shortest digits), so that the module carries none of Rust's float
/// formatting (about 15 KB of code before compression).
pub fn to_text_with<T: ToJson + ?Sized>(value: &T, float: FloatWriter) -> String {
    let mut out = JsonOut::new(float);
    value.write_json(&mut out);
    out.into_text()
}

/// An object written member by member into a [`JsonOut`]; [`ObjectBuilder::end`] closes it.
pub struct ObjectBuilder<'a> {
    out: &'a mut JsonOut,
    empty: bool,
}

impl<'a> ObjectBuilder<'a> {
    /// Opens an object in `out`.
    pub fn new(out: &'a mut JsonOut) -> Self {
        out.raw("{");
        ObjectBuilder { out, empty: true }
    }

    /// Writes member `key`.
    pub fn field<T: ToJson + ?Sized>(mut self, key: &str, value: &T) -> Self {
        self.key(key);
        value.write_json(self.out);
        self
    }

    /// Writes member `key` when `value` is `Some` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn optional<T: ToJson>(self, key: &str, value: &Option<T>) -> Self {
        match value {
            Some(value) => self.field(key, value),
            None => self,
        }
    }

    /// Closes the object.
    pub fn end(self) {
        self.out.raw("}");
    }

    // Out of line: every member of every type goes through it. A key is a field's wire name, written in the
    // code, so it needs no escaping (checked in debug builds).
    #[inline(never)]
    fn key(&mut self, key: &str) {
        debug_assert!(!key.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\'));
        let text = &mut self.out.text;
        text.push_str(if std::mem::replace(&mut self.empty, false) {
            "\""
        } else {
            ",\""
        });
        text.push_str(key);
        text.push_str("\":");
    }
}

impl ToJson for Value {
    fn write_json(&self, out: &mut JsonOut) {
        let float = out.float;
        write_into(&mut out.text, self, float);
    }

    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for str {
    fn write_json(&self, out: &mut JsonOut) {
        string(&mut out.text, self);
    }
}

impl ToJson for String {
    fn write_json(&self, out: &mut JsonOut) {
        string(&mut out.text, self);
    }
}

impl ToJson for bool {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw(if *self { "true" } else { "false" });
    }
}

impl ToJson for f64 {
    fn write_json(&self, out: &mut JsonOut) {
        match Number::from_f64(*self) {
            Some(n) => number(&mut out.text, &n, out.float),
            None => out.raw("null"),
        }
    }
}

macro_rules! integer {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn write_json(&self, out: &mut JsonOut) {
                use std::fmt::Write;
                // Writing into a `String` cannot fail.
                let _ = write!(out.text, "{self}");
            }
        }
    )*};
}
integer!(u8, u16, u32, u64, usize, i32, i64);

impl<T: ToJson> ToJson for Option<T> {
    fn write_json(&self, out: &mut JsonOut) {
        match self {
            Some(value) => value.write_json(out),
            None => out.raw("null"),
        }
    }
}

impl<T: ToJson> ToJson for [T] {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("[");
        for (i, item) in self.iter().enumerate() {
            if i > 0 {
                out.raw(",");
            }
            item.write_json(out);
        }
        out.raw("]");
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn write_json(&self, out: &mut JsonOut) {
        self.as_slice().write_json(out);
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn write_json(&self, out: &mut JsonOut) {
        (**self).write_json(out);
    }
}

impl<T: ToJson> ToJson for std::collections::BTreeMap<String, T> {
    fn write_json(&self, out: &mut JsonOut) {
        out.raw("{");
        for (i, (key, value)) in self.iter().enumerate() {
            if i > 0 {
                out.raw(",");
            }
            string(&mut out.text, key);
            out.raw(":");
            value.write_json(out);
        }
        out.raw("}");
    }
}

/// `value` as compact JSON text (no spaces), iteratively: a document of any depth is written without
/// recursion. `serde_json::from_str` and JavaScript's `JSON.parse` read it back as the same value.
pub fn write(value: &Value) -> String {
    to_text(value)
}

/// Writes one finite float that is not an integer-valued number the writer handles itself: the shortest
/// digits that read back as it.
pub type FloatWriter = fn(&mut String, f64);

/// An array or object being written: the rest of its items or members, and whether one was written yet.
enum Open<'a> {
    Array(std::slice::Iter<'a, Value>, bool),
    Object(serde_json::map::Iter<'a>, bool),
}

/// Appends `value`'s text to `out`, without recursion.
fn write_into(out: &mut String, value: &Value, float: FloatWriter) {
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut next = Some(value);
    loop {
        match next.take() {
            Some(Value::Null) => out.push_str("null"),
            Some(Value::Bool(b)) => out.push_str(if *b { "true" } else { "false" }),
            Some(Value::Number(n)) => number(out, n, float),
            Some(Value::String(s)) => string(out, s),
            Some(Value::Array(items)) => {
                out.push('[');
                open.push(Open::Array(items.iter(), false));
            }
            Some(Value::Object(members)) => {
                out.push('{');
                open.push(Open::Object(members.iter(), false));
            }
            None => {}
        }
        match open.last_mut() {
            None => return,
            Some(Open::Array(items, started)) => match items.next() {
                Some(item) => {
                    if std::mem::replace(started, true) {
                        out.push(',');
                    }
                    next = Some(item);
                }
                None => {
                    out.push(']');
                    open.pop();
                }
            },
            Some(Open::Object(members, started)) => match members.next() {
                Some((key, member)) => {
                    if std::mem::replace(started, true) {
                        out.push(',');
                    }
                    string(out, key);
                    out.push(':');
                    next = Some(member);
                }
                None => {
                    out.push('}');
                    open.pop();
                }
            },
        }
    }
}

fn number(out: &mut String, n: &Number, float: FloatWriter) {
    use std::fmt::Write;
    // Writing into a `String` cannot fail.
    if let Some(u) = n.as_u64() {
        let _ = write!(out, "{u}");
    } else if let Some(i) = n.as_i64() {
        let _ = write!(out, "{i}");
    } else if let Some(f) = n.as_f64() {
        let start = out.len();
        float(out, f);
        // `3` would read back as an integer, not the float 3.0 (nor -0.0 for `-0`).
        if !out[start..].contains(['.', 'e', 'E']) {
            out.push_str(".0");
        }
    }
}

/// Rust's shortest round-trip digits, with an exponent outside JavaScript's own range for plain digits.
fn shortest_float(out: &mut String, f: f64) {
    use std::fmt::Write;
    {
        // Both forms print the shortest digits that read back as `f` (and a `Value` never holds NaN or an
        // infinity). Exponents outside JavaScript's own range for plain digits keep 1e300 at five bytes.
        let magnitude = f.abs();
        if magnitude != 0.0 && !(1e-7..1e21).contains(&magnitude) {
            let _ = write!(out, "{f:e}");
        } else {
            let _ = write!(out, "{f}");
        }
    }
}

/// `s` quoted, escaped as serde_json escapes: quote, backslash and control characters, nothing else.
fn string(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push('"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let escape = match b {
            b'"' => "\\\"",
            b'\\' => "\\\\",
            b'\n' => "\\n",
            b'\r' => "\\r",
            b'\t' => "\\t",
            0x08 => "\\b",
            0x0c => "\\f",
            0..=0x1f => "",
            _ => continue,
        };
        // Runs between escapes are copied in one go; they end at ASCII bytes, so on char boundaries.
        out.push_str(&s[start..i]);
        start = i + 1;
        if escape.is_empty() {
            out.push_str("\\u00");
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 15)] as char);
        } else {
            out.push_str(escape);
        }
    }
    out.push_str(&s[start..]);
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Written, then read back: by our parser as the same value, by serde_json as the same value but for
    /// floats, which it may read an ulp off (it is not correctly rounded without `float_roundtrip`).
    fn round_trip(value: &Value) -> String {
        let text = write(value);
        assert_eq!(&crate::json::parse(&text).unwrap(), value, "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        match (back.as_f64(), value.as_f64()) {
            (Some(a), Some(b)) if value.is_f64() => {
                assert!(
                    back.is_f64() && (a - b).abs() <= b.abs() * 4.0 * f64::EPSILON,
                    "{text}"
                )
            }
            _ => assert_eq!(&back, value, "{text}"),
        }
        text
    }

    #[test]
    fn compact_text_as_serde_json_writes_it() {
        let value = json!({"b": [1, -2, true, null, {}], "a": {"x": [], "y": "z"}, "": 18446744073709551615u64});
        assert_eq!(round_trip(&value), serde_json::to_string(&value).unwrap());
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let all_controls: String = (0u8..0x20).map(char::from).collect();
        for s in [
            "",
            "plain",
            "\"\\/",
            "\u{8}\u{c}\n\r\t",
            "\u{7f}é😀\u{2028}",
            "a\u{0}b\u{1f}c",
            &all_controls,
        ] {
            let value = json!(s);
            assert_eq!(round_trip(&value), serde_json::to_string(&value).unwrap());
        }
        assert_eq!(write(&json!("\u{1}\u{1f}")), r#""\u0001\u001f""#);
    }

    #[test]
    fn floats_read_back_as_the_same_floats() {
        let floats = [
            0.0,
            -0.0,
            3.0,
            -3.0,
            0.5,
            1e20,
            1e21,
            1.5e300,
            1e300,
            1e-7,
            1.5e-8,
            5e-324,
            0.1,
            1e15 + 0.3,
        ];
        for f in floats {
            let value = Value::Number(Number::from_f64(f).unwrap());
            let text = round_trip(&value);
            let back = crate::json::parse(&text).unwrap();
            assert_eq!(back.as_f64().map(f64::to_bits), Some(f.to_bits()), "{text}");
            assert!(back.is_f64(), "{text}");
        }
        assert_eq!(write(&json!(3.0)), "3.0");
        assert_eq!(write(&json!(-0.0)), "-0.0");
        assert_eq!(write(&json!(1e300)), "1e300");
        assert_eq!(write(&json!(1.5e-8)), "1.5e-8");
        assert_eq!(write(&json!(0.25)), "0.25");
        assert_eq!(
            write(&json!(-9223372036854775808i64)),
            "-9223372036854775808"
        );
    }

    #[test]
    fn to_json_carries_floats_bit_for_bit() {
        // Through the provided `to_json` (a `Value`'s own is a clone): written, then read back.
        for f in [0.1, -0.0, 1e300, 5e-324, -2.5, 3.0] {
            let back = vec![f, f].to_json();
            let items = back.as_array().unwrap();
            assert_eq!(items.len(), 2);
            for item in items {
                assert!(item.is_f64());
                assert_eq!(item.as_f64().map(f64::to_bits), Some(f.to_bits()), "{f}");
            }
            let nested = vec![json!({ "x": [f, 1, -1, "0.5"] })].to_json();
            assert_eq!(nested, json!([{ "x": [f, 1, -1, "0.5"] }]));
        }
    }

    #[test]
    fn deep_documents_are_written_without_recursion() {
        let mut value = json!(1);
        for i in 0..100_000 {
            // Not `json!`: it would copy `value` through serde's (recursive) serializer.
            value = if i % 2 == 0 {
                Value::Array(vec![value])
            } else {
                Value::Object(serde_json::Map::from_iter([("k".to_owned(), value)]))
            };
        }
        let text = write(&value);
        assert_eq!(text.len(), 1 + 50_000 * (2 + 6));
        assert!(text.starts_with(r#"{"k":[{"k":["#) && text.ends_with("]}]}"));
        // Dropping a deep `Value` recurses in serde_json; unwind it here, off the test's stack budget.
        let mut stack = vec![value];
        while let Some(mut v) = stack.pop() {
            match &mut v {
                Value::Array(items) => stack.append(items),
                Value::Object(members) => {
                    stack.extend(std::mem::take(members).into_iter().map(|(_, m)| m))
                }
                _ => {}
            }
        }
    }
}
