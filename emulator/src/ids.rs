//! Identifiers the server makes: object ids, token secrets and request ids.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use tokengate::Secret;
use uuid::Uuid;

/// A new 24-hex-character object id, laid out like a MongoDB ObjectId (4 bytes of seconds, then 8 random
/// bytes) so that ids look like LaunchDarkly's and roughly follow creation order.
pub fn object_id() -> String {
    let secs = u32::try_from(crate::clock::now_ms() / 1000).unwrap_or(u32::MAX);
    let random = Uuid::new_v4();
    let bytes = random.as_bytes();
    let mut out = String::with_capacity(24);
    for b in secs.to_be_bytes() {
        let _ = write!(out, "{b:02x}");
    }
    // Bytes 6 and 8 of a v4 UUID carry the version and variant bits; skip them so every byte is random.
    for b in bytes[..6].iter().chain(&bytes[10..12]) {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// A new token secret: `api-` followed by a lowercase UUID v4.
pub fn secret() -> Secret {
    Secret::new(format!("api-{}", Uuid::new_v4().hyphenated()))
}

/// Whether `value` is an object id as this server writes them (24 lowercase or uppercase hex digits).
pub fn is_object_id(value: &str) -> bool {
    value.len() == 24 && value.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Makes request ids: a random per-process prefix and a counter, so ids are unique without a system call
/// per request.
pub struct RequestIds {
    prefix: u64,
    counter: AtomicU64,
}

impl RequestIds {
    /// A generator with a fresh random prefix.
    pub fn new() -> Self {
        let prefix = Uuid::new_v4().as_u64_pair().0;
        RequestIds {
            prefix,
            counter: AtomicU64::new(1),
        }
    }

    /// The next request id (32 hex characters).
    pub fn next_id(&self) -> String {
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}{:016x}", self.prefix, n)
    }
}

impl Default for RequestIds {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn object_ids_are_24_hex_and_distinct() {
        let a = object_id();
        let b = object_id();
        assert!(is_object_id(&a), "{a}");
        assert_ne!(a, b);
    }

    #[test]
    fn secrets_are_api_dash_lowercase_uuid_v4() {
        let s = secret();
        let v = s.expose();
        assert!(v.starts_with("api-"));
        let uuid = Uuid::parse_str(&v[4..]).expect("a uuid");
        assert_eq!(uuid.get_version_num(), 4);
        assert_eq!(&v[4..], v[4..].to_lowercase());
        assert_eq!(v.len(), 40);
    }

    #[test]
    fn request_ids_are_unique() {
        let ids = RequestIds::new();
        assert_ne!(ids.next_id(), ids.next_id());
    }
}
