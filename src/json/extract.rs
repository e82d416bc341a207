//! Typed values out of a parsed document, with the JSON pointer of whatever is wrong.

use serde_json::{Map, Value};
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;

/// Where a value sits in the document: a chain of keys and indices from the root, kept on the stack and
/// turned into a JSON pointer (RFC 6901) only when an error needs it.
#[derive(Clone, Copy, Debug)]
pub enum At<'a> {
    /// The whole document.
    Root,
    /// The member `key` of the object at the parent.
    Key(&'a At<'a>, &'a str),
    /// Element `index` of the array at the parent.
    Index(&'a At<'a>, usize),
}

impl<'a> At<'a> {
    /// The member `key` below this place.
    pub fn key(&'a self, key: &'a str) -> At<'a> {
        At::Key(self, key)
    }

    /// Element `index` below this place.
    pub fn index(&'a self, index: usize) -> At<'a> {
        At::Index(self, index)
    }

    /// This place as a JSON pointer: `""` for the root, `/inlineRole/0/resources` below it.
    pub fn pointer(&self) -> String {
        let mut segments = Vec::new();
        let mut here = self;
        loop {
            match here {
                At::Root => break,
                At::Key(parent, key) => {
                    segments.push(key.replace('~', "~0").replace('/', "~1"));
                    here = parent;
                }
                At::Index(parent, index) => {
                    segments.push(index.to_string());
                    here = parent;
                }
            }
        }
        let mut pointer = String::new();
        for segment in segments.iter().rev() {
            pointer.push('/');
            pointer.push_str(segment);
        }
        pointer
    }
}

/// Why a document does not hold the value asked for, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct JsonError {
    /// The JSON pointer of the value at fault (`""` for the whole document).
    pub pointer: String,
    /// What is wrong, without the place: `expected an array, found a string`.
    pub message: String,
}

impl JsonError {
    /// An error at `at`.
    pub fn new(at: At<'_>, message: impl Into<String>) -> Self {
        JsonError {
            pointer: at.pointer(),
            message: message.into(),
        }
    }

    /// "expected `what`, found <the kind of `found`>" at `at`.
    pub fn expected(at: At<'_>, what: &str, found: &Value) -> Self {
        JsonError::new(at, format!("expected {what}, found {}", kind_of(found)))
    }
}

impl fmt::Display for JsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pointer.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{} at {}", self.message, self.pointer)
        }
    }
}

impl std::error::Error for JsonError {}

/// The kind of a JSON value, with its article: `a string`, `null`.
pub fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A type read out of a parsed document. Unknown object members are ignored, as the API's own clients do.
pub trait FromJson: Sized {
    /// Reads `value`, found at `at`.
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError>;
}

/// An object being read member by member.
///
/// Reading a member never returns early: a member that is missing or of the wrong shape is read as its type's
/// default and its error kept aside (the first one), and [`Object::finish`] hands back either the value built or
/// that error. Why: a struct built with `?` after every member drops the members already read on each way out,
/// and those drop ladders were most of the code of the types' readers in the WebAssembly module.
pub struct Object<'v, 'a> {
    map: &'v Map<String, Value>,
    at: At<'a>,
    error: Cell<Option<JsonError>>,
}

impl<'v, 'a> Object<'v, 'a> {
    /// `value` as an object, or an error naming `at`.
    pub fn new(value: &'v Value, at: At<'a>) -> Result<Self, JsonError> {
        match value {
            Value::Object(map) => Ok(Object {
                map,
                at,
                error: Cell::new(None),
            }),
            other => Err(JsonError::expected(at, "an object", other)),
        }
    }

    /// The raw member `key`, if present (even when `null`).
    pub fn get(&self, key: &str) -> Option<&'v Value> {
        self.lookup(key)
    }

    /// Member `key`, which must be present (`null` is read as `T` reads it).
    pub fn required<T: FromJson + Default>(&self, key: &str) -> T {
        match self.lookup(key) {
            Some(value) => self.kept(T::from_json(value, At::Key(&self.at, key))),
            None => {
                self.fail(self.missing(key));
                T::default()
            }
        }
    }

    /// Member `key`; absent and `null` are `None`.
    pub fn optional<T: FromJson>(&self, key: &str) -> Option<T> {
        match self.lookup(key) {
            None | Some(Value::Null) => None,
            Some(value) => self.kept(T::from_json(value, At::Key(&self.at, key)).map(Some)),
        }
    }

    /// Member `key`; absent is `T::default()` (a `null` is read as `T` reads it, an error for most types, as
    /// serde's `#[serde(default)]` does).
    pub fn or_default<T: FromJson + Default>(&self, key: &str) -> T {
        match self.lookup(key) {
            None => T::default(),
            Some(value) => self.kept(T::from_json(value, At::Key(&self.at, key))),
        }
    }

    /// Keeps `error` aside as the object's (unless one was kept before: the first in reading order wins).
    #[inline(never)]
    pub fn fail(&self, error: JsonError) {
        let first = self.error.take();
        self.error.set(Some(first.unwrap_or(error)));
    }

    /// Member `key`, which must be present, for a type without a default: `placeholder` stands in when it is
    /// missing or wrong (and the error is kept aside, so [`Object::finish`] never hands the placeholder out).
    pub fn required_or<T: FromJson>(&self, key: &str, placeholder: T) -> T {
        let read = match self.lookup(key) {
            Some(value) => T::from_json(value, At::Key(&self.at, key)),
            None => Err(self.missing(key)),
        };
        read.unwrap_or_else(|error| {
            self.fail(error);
            placeholder
        })
    }

    /// `value`, built from the members read, or the first error met reading them.
    pub fn finish<T>(&self, value: T) -> Result<T, JsonError> {
        match self.error.take() {
            None => Ok(value),
            Some(error) => Err(error),
        }
    }

    /// A member's value, or its type's default with the error kept aside.
    fn kept<T: Default>(&self, read: Result<T, JsonError>) -> T {
        read.unwrap_or_else(|error| {
            self.fail(error);
            T::default()
        })
    }

    // The map search and the error, out of line: every field of every type reads through these.
    #[inline(never)]
    fn lookup(&self, key: &str) -> Option<&'v Value> {
        self.map.get(key)
    }

    #[inline(never)]
    #[cold]
    fn missing(&self, key: &str) -> JsonError {
        JsonError::new(self.at, format!("missing field `{key}`"))
    }
}

impl FromJson for Value {
    fn from_json(value: &Value, _: At<'_>) -> Result<Self, JsonError> {
        Ok(value.clone())
    }
}

impl FromJson for String {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        match value {
            Value::String(text) => Ok(text.clone()),
            other => Err(JsonError::expected(at, "a string", other)),
        }
    }
}

impl FromJson for bool {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        match value {
            Value::Bool(b) => Ok(*b),
            other => Err(JsonError::expected(at, "a boolean", other)),
        }
    }
}

impl FromJson for f64 {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        match value.as_f64() {
            Some(x) => Ok(x),
            None => Err(JsonError::expected(at, "a number", value)),
        }
    }
}

/// Integers: a JSON number with no fraction that fits the type (serde's rule: `1.0` is not an integer).
macro_rules! integer {
    ($($t:ty),*) => {$(
        impl FromJson for $t {
            fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
                let fits = if let Some(n) = value.as_u64() {
                    <$t>::try_from(n).ok()
                } else if let Some(n) = value.as_i64() {
                    <$t>::try_from(n).ok()
                } else {
                    None
                };
                fits.ok_or_else(|| match value {
                    Value::Number(_) => JsonError::new(
                        at,
                        concat!("expected an integer that fits ", stringify!($t)),
                    ),
                    other => JsonError::expected(at, "an integer", other),
                })
            }
        }
    )*};
}
integer!(u8, u16, u32, u64, i32, i64, usize);

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        match value {
            Value::Null => Ok(None),
            other => T::from_json(other, at).map(Some),
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        match value {
            Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| T::from_json(item, At::Index(&at, i)))
                .collect(),
            other => Err(JsonError::expected(at, "an array", other)),
        }
    }
}

impl<T: FromJson> FromJson for BTreeMap<String, T> {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object
            .map
            .iter()
            .map(|(key, item)| Ok((key.clone(), T::from_json(item, At::Key(&at, key))?)))
            .collect()
    }
}

/// Reads a string as one of `names` (each with its value): the wire spelling of a fieldless enum.
pub fn one_of<T: Copy>(value: &Value, at: At<'_>, names: &[(&str, T)]) -> Result<T, JsonError> {
    let text = match value {
        Value::String(text) => text,
        other => return Err(JsonError::expected(at, "a string", other)),
    };
    names
        .iter()
        .find(|(name, _)| *name == text)
        .map(|(_, v)| *v)
        .ok_or_else(|| {
            let known: Vec<String> = names.iter().map(|(n, _)| format!("`{n}`")).collect();
            JsonError::new(
                at,
                format!(
                    "unknown variant `{text}`, expected one of {}",
                    known.join(", ")
                ),
            )
        })
}
