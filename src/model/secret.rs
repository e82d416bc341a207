use crate::json::{At, FromJson, JsonError, JsonOut, ToJson};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;
use std::fmt;
use zeroize::Zeroizing;

/// A token secret (or its obfuscated last four characters, as list and get return it).
///
/// `Debug` and `Display` never print more than the last four characters, and the memory is wiped when the
/// value is dropped, so a secret cannot leak through logging or an error message by accident.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(Zeroizing<String>);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(Zeroizing::new(value.into()))
    }

    /// The whole value. Call it only where the secret must leave the process (a header, a one-time display).
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters, LaunchDarkly's obfuscated form.
    pub fn last_four(&self) -> &str {
        let s: &str = &self.0;
        let start = s.char_indices().rev().nth(3).map_or(0, |(i, _)| i);
        &s[start..]
    }

    /// Whether this is a whole secret (`api-` + UUID) rather than the obfuscated tail.
    pub fn is_full(&self) -> bool {
        self.0.len() > 4
    }

    /// The same secret reduced to its obfuscated form.
    pub fn obfuscated(&self) -> Secret {
        Secret::new(self.last_four())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(\"…{}\")", self.last_four())
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "…{}", self.last_four())
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret::new)
    }
}

/// Read as a plain string; the error for anything else names only the kind of value found, never its text.
impl FromJson for Secret {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        String::from_json(value, at).map(Secret::new)
    }
}

/// The whole value, as the serde impl writes it: only bodies that must carry the secret are encoded.
impl ToJson for Secret {
    fn write_json(&self, out: &mut JsonOut) {
        self.expose().write_json(out)
    }
}
