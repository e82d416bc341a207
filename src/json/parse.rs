//! JSON text into a `serde_json::Value`, without recursion.
//!
//! The containers being read are kept on an explicit stack, so a hostile document costs heap, never the
//! call stack (whose size the WebAssembly module cannot grow). Accepts and refuses exactly what
//! `serde_json::from_str::<Value>` does and builds the same values, with one exception: numbers with a fraction
//! or an exponent are correctly rounded (`str::parse::<f64>`, as JavaScript's `JSON.parse` does), where
//! serde_json without its `float_roundtrip` feature may be an ulp or so off and refuses a few finite values
//! next to `f64::MAX`.

use serde_json::{Map, Number, Value};
use std::fmt;

/// Deepest nesting of arrays and objects accepted: `serde_json`'s own limit (its recursion budget of 128 is
/// spent on entering the 128th container), so a document is refused for depth exactly when serde would.
pub const MAX_DEPTH: usize = 127;

/// Longest text accepted (64 MiB): far above any API response or argument, far below what exhausts memory.
pub const MAX_TEXT_BYTES: usize = 64 << 20;

/// Why a text is not a JSON document, and the byte offset where that shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// Byte offset into the text.
    pub offset: usize,
    /// What is wrong there.
    pub message: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for ParseError {}

/// A container being read: its members so far, and for an object the key whose value is being read.
enum Open {
    Array(Vec<Value>),
    Object(Map<String, Value>, String),
}

struct Reader<'a> {
    text: &'a str,
    pos: usize,
    float: FloatReader,
}

/// Reads the text of a JSON number that has a fraction, an exponent or too many digits for a 64-bit integer
/// (already checked against the grammar) as the nearest double.
pub type FloatReader = fn(&str) -> f64;

/// Rust's correctly rounded `str::parse`.
fn rust_float(text: &str) -> f64 {
    text.parse().unwrap_or(f64::NAN)
}

// Not inlined: the error paths stay out of the scanning loops.
#[inline(never)]
#[cold]
fn error(offset: usize, message: &'static str) -> ParseError {
    ParseError {
        offset,
        message: message.to_owned(),
    }
}

/// Parses one JSON document (RFC 8259; whitespace around it allowed, nothing else after it).
pub fn parse(text: &str) -> Result<Value, ParseError> {
    parse_with(text, rust_float)
}

/// [`parse`] with the floats read by `float`. The WebAssembly binding passes JavaScript's own `Number()`
/// (correctly rounded too, as `JSON.parse` reads numbers), so that the module carries none of Rust's float
/// parsing, whose tables alone are about 10 KB.
pub fn parse_with(text: &str, float: FloatReader) -> Result<Value, ParseError> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(error(0, "text longer than 64 MiB"));
    }
    let mut r = Reader {
        text,
        pos: 0,
        float,
    };
    let mut open: Vec<Open> = Vec::new();
    r.skip_space();
    'value: loop {
        // One value, or the start of a container whose first member is read next.
        let mut value = match r.peek() {
            b'[' | b'{' if open.len() >= MAX_DEPTH => {
                return Err(error(r.pos, "nested deeper than 127 levels"));
            }
            b'[' => {
                r.pos += 1;
                r.skip_space();
                if r.peek() == b']' {
                    r.pos += 1;
                    Value::Array(Vec::new())
                } else {
                    open.push(Open::Array(Vec::new()));
                    continue 'value;
                }
            }
            b'{' => {
                r.pos += 1;
                r.skip_space();
                if r.peek() == b'}' {
                    r.pos += 1;
                    Value::Object(Map::new())
                } else {
                    let key = r.key()?;
                    open.push(Open::Object(Map::new(), key));
                    continue 'value;
                }
            }
            b'"' => Value::String(r.string()?),
            b'-' | b'0'..=b'9' => Value::Number(r.number()?),
            b't' => r.literal("true", Value::Bool(true))?,
            b'f' => r.literal("false", Value::Bool(false))?,
            b'n' => r.literal("null", Value::Null)?,
            _ => return Err(error(r.pos, "expected a value")),
        };
        // The value completes members, and maybe containers, until one expects another member.
        loop {
            r.skip_space();
            let at = r.pos;
            let next = r.peek();
            r.pos += 1;
            match open.last_mut() {
                None if at == text.len() => return Ok(value),
                None => return Err(error(at, "trailing characters")),
                Some(Open::Array(items)) => {
                    items.push(value);
                    match next {
                        b',' => {
                            r.skip_space();
                            continue 'value;
                        }
                        b']' => value = Value::Array(std::mem::take(items)),
                        _ => return Err(error(at, "expected `,` or `]`")),
                    }
                }
                Some(Open::Object(members, key)) => {
                    // Last one wins, as in serde_json's `Value`.
                    members.insert(std::mem::take(key), value);
                    match next {
                        b',' => {
                            r.skip_space();
                            *key = r.key()?;
                            continue 'value;
                        }
                        b'}' => value = Value::Object(std::mem::take(members)),
                        _ => return Err(error(at, "expected `,` or `}`")),
                    }
                }
            }
            open.pop();
        }
    }
}

impl Reader<'_> {
    /// The byte at the cursor, or 0 at the end (never valid where a token is expected).
    fn peek(&self) -> u8 {
        self.text.as_bytes().get(self.pos).copied().unwrap_or(0)
    }

    fn skip_space(&mut self) {
        while let b' ' | b'\t' | b'\n' | b'\r' = self.peek() {
            self.pos += 1;
        }
    }

    fn literal(&mut self, word: &str, value: Value) -> Result<Value, ParseError> {
        if self.text.as_bytes()[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(value)
        } else {
            Err(error(self.pos, "expected a value"))
        }
    }

    /// A member's key and its colon, leaving the cursor on the value.
    fn key(&mut self) -> Result<String, ParseError> {
        if self.peek() != b'"' {
            return Err(error(self.pos, "expected a string key"));
        }
        let key = self.string()?;
        self.skip_space();
        if self.peek() != b':' {
            return Err(error(self.pos, "expected `:`"));
        }
        self.pos += 1;
        self.skip_space();
        Ok(key)
    }

    /// A string, the cursor on its opening quote.
    fn string(&mut self) -> Result<String, ParseError> {
        let bytes = self.text.as_bytes();
        let open = self.pos;
        let mut out = String::new();
        let mut i = open + 1;
        loop {
            // A run without escapes is copied in one go; it ends at an ASCII byte, so on a char boundary.
            let start = i;
            while i < bytes.len() && !matches!(bytes[i], b'"' | b'\\' | 0..=0x1f) {
                i += 1;
            }
            out.push_str(&self.text[start..i]);
            match bytes.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(out);
                }
                Some(b'\\') => {
                    let escape = i;
                    let c = match bytes.get(i + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let unit = hex4(bytes, i + 2)
                                .ok_or_else(|| error(escape, "invalid \\u escape"))?;
                            i += 4;
                            let code = match unit {
                                0xd800..=0xdbff => {
                                    // A high surrogate must be followed by an escaped low one.
                                    let low = match (bytes.get(i + 2..i + 4), hex4(bytes, i + 4)) {
                                        (Some(b"\\u"), Some(low @ 0xdc00..=0xdfff)) => low,
                                        _ => {
                                            return Err(error(
                                                escape,
                                                "lone surrogate in \\u escape",
                                            ))
                                        }
                                    };
                                    i += 6;
                                    0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00)
                                }
                                0xdc00..=0xdfff => {
                                    return Err(error(escape, "lone surrogate in \\u escape"))
                                }
                                _ => unit,
                            };
                            char::from_u32(code)
                                .ok_or_else(|| error(escape, "invalid \\u escape"))?
                        }
                        _ => return Err(error(escape, "invalid escape")),
                    };
                    out.push(c);
                    i += 2;
                }
                Some(_) => return Err(error(i, "control character in string")),
                None => return Err(error(open, "unterminated string")),
            }
        }
    }

    /// A number, built as serde_json builds it: `u64` if it is a non-negative integer that fits, `i64` if a
    /// negative one that fits (but `-0` is the float -0.0), a float otherwise.
    fn number(&mut self) -> Result<Number, ParseError> {
        let bytes = self.text.as_bytes();
        let start = self.pos;
        let negative = self.peek() == b'-';
        let mut i = start + usize::from(negative);
        let digits = |mut i: usize| {
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            i
        };
        // RFC 8259: no leading zeros, and digits on both sides of a point and after an exponent.
        let int_end = match bytes.get(i) {
            Some(b'0') => i + 1,
            Some(b'1'..=b'9') => digits(i + 1),
            _ => return Err(error(i, "invalid number")),
        };
        i = int_end;
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(error(i, "invalid number"));
            }
            i = digits(i);
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            if !bytes.get(i).is_some_and(u8::is_ascii_digit) {
                return Err(error(i, "invalid number"));
            }
            i = digits(i);
        }
        self.pos = i;
        if i == int_end {
            let mut magnitude: Option<u64> = Some(0);
            for &d in &bytes[start + usize::from(negative)..i] {
                magnitude =
                    magnitude.and_then(|m| m.checked_mul(10)?.checked_add(u64::from(d - b'0')));
            }
            match magnitude {
                Some(m) if !negative => return Ok(Number::from(m)),
                Some(m @ 1..=0x8000_0000_0000_0000) => {
                    return Ok(Number::from((m as i64).wrapping_neg()))
                }
                _ => {}
            }
        }
        // The grammar checked above is a subset of what `str::parse` reads, so this cannot fail.
        let float = (self.float)(&self.text[start..i]);
        // Too large for a double: serde_json refuses rather than make it infinite.
        Number::from_f64(float).ok_or_else(|| error(start, "number out of range"))
    }
}

/// The four hex digits at `at`, if there are four.
fn hex4(bytes: &[u8], at: usize) -> Option<u32> {
    let digits = bytes.get(at..at + 4)?;
    digits
        .iter()
        .try_fold(0, |n, &d| Some(n << 4 | (d as char).to_digit(16)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fails(text: &str) -> (String, usize) {
        let e = parse(text).expect_err(text);
        assert!(
            serde_json::from_str::<Value>(text).is_err(),
            "serde_json accepts {text:?}"
        );
        (e.message, e.offset)
    }

    #[test]
    fn each_error_names_its_place() {
        let cases: &[(&str, &str, usize)] = &[
            ("", "expected a value", 0),
            ("  ", "expected a value", 2),
            ("[1,]", "expected a value", 3),
            ("tru", "expected a value", 0),
            ("nul", "expected a value", 0),
            ("[1 2]", "expected `,` or `]`", 3),
            ("[1", "expected `,` or `]`", 2),
            (r#"{"a":1 "b":2}"#, "expected `,` or `}`", 7),
            ("{1:2}", "expected a string key", 1),
            (r#"{"a":1,}"#, "expected a string key", 7),
            (r#"{"a" 1}"#, "expected `:`", 5),
            (r#"["abc"#, "unterminated string", 1),
            ("\"a\nb\"", "control character in string", 2),
            (r#""a\x""#, "invalid escape", 2),
            (r#""\u12G4""#, "invalid \\u escape", 1),
            (r#""\ud800""#, "lone surrogate in \\u escape", 1),
            (r#""\ud800\u0041""#, "lone surrogate in \\u escape", 1),
            (r#""x\udc00""#, "lone surrogate in \\u escape", 2),
            ("01", "trailing characters", 1),
            ("-", "invalid number", 1),
            ("1.", "invalid number", 2),
            ("1.e5", "invalid number", 2),
            ("[2e+]", "invalid number", 4),
            ("+1", "expected a value", 0),
            ("1e400", "number out of range", 0),
            ("[-1e400]", "number out of range", 1),
            ("{} x", "trailing characters", 3),
            ("1 2", "trailing characters", 2),
            ("1\u{c}", "trailing characters", 1),
        ];
        for &(text, message, offset) in cases {
            assert_eq!(fails(text), (message.to_owned(), offset), "{text:?}");
        }
        let (message, offset) = fails(&"[".repeat(200));
        assert_eq!(
            (message.as_str(), offset),
            ("nested deeper than 127 levels", MAX_DEPTH)
        );
        let e = parse(&" ".repeat(MAX_TEXT_BYTES + 1)).unwrap_err();
        assert_eq!(
            (e.message.as_str(), e.offset),
            ("text longer than 64 MiB", 0)
        );
    }

    #[test]
    fn depth_limit_is_serde_jsons() {
        let nested =
            |depth: usize, open: &str, close: &str| open.repeat(depth) + &close.repeat(depth);
        // Find serde_json's boundary instead of assuming it, then require the same one.
        let serde_max = (1..300)
            .take_while(|&d| serde_json::from_str::<Value>(&nested(d, "[", "]")).is_ok())
            .last()
            .unwrap();
        assert_eq!(serde_max, MAX_DEPTH);
        for depth in [MAX_DEPTH - 1, MAX_DEPTH, MAX_DEPTH + 1] {
            for (open, close) in [("[", "]"), (r#"{"":"#, "}"), (r#"[{"a":"#, "}]")] {
                let text = nested(depth, open, close).replace("]]", "],[]]");
                let ours = parse(&text).ok();
                assert_eq!(ours, serde_json::from_str::<Value>(&text).ok(), "{text}");
            }
        }
    }

    #[test]
    fn very_deep_text_is_refused_without_overflowing_the_stack() {
        let text = "[".repeat(100_000) + &"]".repeat(100_000);
        assert_eq!(
            parse(&text).unwrap_err().message,
            "nested deeper than 127 levels"
        );
        let text = r#"{"a":"#.repeat(100_000);
        assert_eq!(parse(&text).unwrap_err().offset, 5 * MAX_DEPTH);
    }

    #[test]
    fn numbers_are_built_as_serde_json_builds_them() {
        for text in [
            "0",
            "-0",
            "-0.0",
            "1",
            "-1",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "1e2",
            "1E+2",
            "-2.5e-3",
            "1e-400",
            "123456789012345678901234567890",
        ] {
            let ours = parse(text).unwrap();
            let serde: Value = serde_json::from_str(text).unwrap();
            assert_eq!(ours, serde, "{text}");
            let (ours, serde) = (ours.as_number().unwrap(), serde.as_number().unwrap());
            assert_eq!(
                (ours.is_u64(), ours.is_i64(), ours.is_f64()),
                (serde.is_u64(), serde.is_i64(), serde.is_f64())
            );
            assert_eq!(
                ours.as_f64().map(f64::to_bits),
                serde.as_f64().map(f64::to_bits),
                "{text}"
            );
        }
    }

    #[test]
    fn floats_are_correctly_rounded() {
        // serde_json (without float_roundtrip) misreads the first and refuses the second; JSON.parse reads
        // both exactly, and the boundary's values come from JavaScript.
        for f in [
            2.2250738585072014e-308,
            f64::MAX,
            -f64::MAX,
            5e-324,
            0.1 + 0.2,
            1.0 / 3.0,
        ] {
            for text in [format!("{f:e}"), format!("{f:?}"), format!("{f}")] {
                assert_eq!(parse(&text).unwrap().as_f64(), Some(f), "{text}");
            }
        }
        assert_eq!(
            parse("1.7976931348623158e308").unwrap().as_f64(),
            Some(f64::MAX)
        );
        assert_eq!(
            parse("1.7976931348623159e308").unwrap_err().message,
            "number out of range"
        );
    }

    #[test]
    fn strings_escapes_and_duplicates() {
        let text =
            r#" {"a\"\\\/\b\f\n\r\t":"\u00e9\uD83D\ude00é😀\u0000","k":1,"k":[true,false,null]} "#;
        let expected = json!({"a\"\\/\u{8}\u{c}\n\r\t": "é😀é😀\u{0}", "k": [true, false, null]});
        assert_eq!(parse(text).unwrap(), expected);
        assert_eq!(serde_json::from_str::<Value>(text).unwrap(), expected);
        assert_eq!(parse("\"\u{7f}\"").unwrap(), json!("\u{7f}"));
    }
}
