//! Values built field by field, and compact JSON text out.

use serde_json::{Map, Number, Value};

/// A type written as a JSON value. Implementations list their fields in the wire's order and spelling.
pub trait ToJson {
    /// This value as JSON.
    fn to_json(&self) -> Value;
}

/// An object built member by member.
#[derive(Default)]
pub struct ObjectBuilder(Map<String, Value>);

impl ObjectBuilder {
    /// An empty object.
    pub fn new() -> Self {
        ObjectBuilder(Map::new())
    }

    /// Adds member `key`.
    pub fn field<T: ToJson + ?Sized>(mut self, key: &str, value: &T) -> Self {
        self.0.insert(key.to_owned(), value.to_json());
        self
    }

    /// Adds member `key` when `value` is `Some` (serde's `skip_serializing_if = "Option::is_none"`).
    pub fn optional<T: ToJson>(mut self, key: &str, value: &Option<T>) -> Self {
        if let Some(value) = value {
            self.0.insert(key.to_owned(), value.to_json());
        }
        self
    }

    /// Adds member `key` with a value already built.
    pub fn value(mut self, key: &str, value: Value) -> Self {
        self.0.insert(key.to_owned(), value);
        self
    }

    /// The object.
    pub fn build(self) -> Value {
        Value::Object(self.0)
    }

    /// The members so far (to merge a flattened part).
    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

impl ToJson for Value {
    fn to_json(&self) -> Value {
        self.clone()
    }
}

impl ToJson for str {
    fn to_json(&self) -> Value {
        Value::String(self.to_owned())
    }
}

impl ToJson for String {
    fn to_json(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToJson for bool {
    fn to_json(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToJson for f64 {
    fn to_json(&self) -> Value {
        Number::from_f64(*self).map_or(Value::Null, Value::Number)
    }
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::Number(Number::from(*self as u64))
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

macro_rules! signed {
    ($($t:ty),*) => {$(
        impl ToJson for $t {
            fn to_json(&self) -> Value {
                Value::Number(Number::from(*self as i64))
            }
        }
    )*};
}
signed!(i32, i64);

impl<T: ToJson> ToJson for Option<T> {
    fn to_json(&self) -> Value {
        self.as_ref().map_or(Value::Null, T::to_json)
    }
}

impl<T: ToJson> ToJson for [T] {
    fn to_json(&self) -> Value {
        Value::Array(self.iter().map(T::to_json).collect())
    }
}

impl<T: ToJson> ToJson for Vec<T> {
    fn to_json(&self) -> Value {
        self.as_slice().to_json()
    }
}

impl<T: ToJson + ?Sized> ToJson for &T {
    fn to_json(&self) -> Value {
        (**self).to_json()
    }
}

impl<T: ToJson> ToJson for std::collections::BTreeMap<String, T> {
    fn to_json(&self) -> Value {
        Value::Object(self.iter().map(|(k, v)| (k.clone(), v.to_json())).collect())
    }
}

/// `value` as compact JSON text (no spaces), iteratively: a document of any depth is written without
/// recursion.
pub fn write(value: &Value) -> String {
    let _ = value;
    unimplemented!("the writer")
}
