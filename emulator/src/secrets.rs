//! Secrets at rest: only SHA-256 hashes are kept, and lookups compare hashes in constant time.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use subtle::ConstantTimeEq;

/// The SHA-256 of a secret.
pub type SecretHash = [u8; 32];

/// Hashes a secret for storage or lookup.
pub fn hash_secret(secret: &str) -> SecretHash {
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = [0u8; 32];
    out.copy_from_slice(&digest);
    out
}

/// One secret that authenticates a token, until `expires_at` (epoch ms) when it is an old secret kept
/// for a reset's grace period.
#[derive(Clone, Debug)]
pub struct SecretEntry {
    pub hash: SecretHash,
    pub token_id: String,
    pub expires_at: Option<i64>,
}

/// Every live secret, bucketed by the first 8 bytes of its hash.
///
/// The bucket lookup reveals at most a hash prefix through timing, which says nothing usable about the
/// secret; the full comparison inside a bucket is constant-time.
#[derive(Default)]
pub struct SecretIndex {
    buckets: HashMap<u64, Vec<SecretEntry>>,
}

fn bucket_of(hash: &SecretHash) -> u64 {
    let mut prefix = [0u8; 8];
    prefix.copy_from_slice(&hash[..8]);
    u64::from_le_bytes(prefix)
}

impl SecretIndex {
    /// The token id that `hash` authenticates at `now`, if any.
    pub fn find(&self, hash: &SecretHash, now: i64) -> Option<&str> {
        let bucket = self.buckets.get(&bucket_of(hash))?;
        let mut found = None;
        for entry in bucket {
            let same: bool = entry.hash.ct_eq(hash).into();
            if same && entry.expires_at.is_none_or(|at| at > now) {
                found = Some(entry.token_id.as_str());
            }
        }
        found
    }

    /// Adds a secret.
    pub fn insert(&mut self, entry: SecretEntry) {
        self.buckets
            .entry(bucket_of(&entry.hash))
            .or_default()
            .push(entry);
    }

    /// Forgets every secret of a token.
    pub fn remove_token(&mut self, token_id: &str) {
        self.buckets.retain(|_, entries| {
            entries.retain(|e| e.token_id != token_id);
            !entries.is_empty()
        });
    }

    /// Forgets every old secret of a token that is still in a grace period (its current secret, which has no
    /// expiry, stays).
    pub fn revoke_grace(&mut self, token_id: &str) {
        self.buckets.retain(|_, entries| {
            entries.retain(|e| e.token_id != token_id || e.expires_at.is_none());
            !entries.is_empty()
        });
    }

    /// Gives the secret `hash` an expiry, or forgets it at once when `expires_at` is `None`.
    pub fn expire(&mut self, hash: &SecretHash, expires_at: Option<i64>) {
        let key = bucket_of(hash);
        if let Some(entries) = self.buckets.get_mut(&key) {
            match expires_at {
                Some(at) => entries
                    .iter_mut()
                    .filter(|e| e.hash == *hash)
                    .for_each(|e| e.expires_at = Some(at)),
                None => entries.retain(|e| e.hash != *hash),
            }
            if entries.is_empty() {
                self.buckets.remove(&key);
            }
        }
    }

    /// Drops secrets whose grace period has ended.
    pub fn prune(&mut self, now: i64) {
        self.buckets.retain(|_, entries| {
            entries.retain(|e| e.expires_at.is_none_or(|at| at > now));
            !entries.is_empty()
        });
    }

    /// Every entry, for persistence.
    pub fn entries(&self) -> impl Iterator<Item = &SecretEntry> {
        self.buckets.values().flatten()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(secret: &str, id: &str, expires_at: Option<i64>) -> SecretEntry {
        SecretEntry {
            hash: hash_secret(secret),
            token_id: id.into(),
            expires_at,
        }
    }

    #[test]
    fn finds_live_secrets_only() {
        let mut index = SecretIndex::default();
        index.insert(entry("api-a", "t1", None));
        index.insert(entry("api-old", "t1", Some(1_000)));
        assert_eq!(index.find(&hash_secret("api-a"), 5_000), Some("t1"));
        assert_eq!(index.find(&hash_secret("api-old"), 999), Some("t1"));
        assert_eq!(index.find(&hash_secret("api-old"), 1_000), None);
        assert_eq!(index.find(&hash_secret("api-b"), 0), None);
        index.prune(2_000);
        assert_eq!(index.entries().count(), 1);
    }

    #[test]
    fn expire_and_remove() {
        let mut index = SecretIndex::default();
        index.insert(entry("api-a", "t1", None));
        index.insert(entry("api-b", "t2", None));
        index.expire(&hash_secret("api-a"), None);
        assert_eq!(index.find(&hash_secret("api-a"), 0), None);
        index.remove_token("t2");
        assert_eq!(index.entries().count(), 0);
    }

    #[test]
    fn revoke_grace_keeps_current_secrets_and_other_tokens() {
        let mut index = SecretIndex::default();
        index.insert(entry("api-current", "t1", None));
        index.insert(entry("api-old-1", "t1", Some(10_000)));
        index.insert(entry("api-old-2", "t1", Some(20_000)));
        index.insert(entry("api-other-old", "t2", Some(10_000)));
        index.revoke_grace("t1");
        assert_eq!(index.find(&hash_secret("api-current"), 0), Some("t1"));
        assert_eq!(index.find(&hash_secret("api-old-1"), 0), None);
        assert_eq!(index.find(&hash_secret("api-old-2"), 0), None);
        assert_eq!(index.find(&hash_secret("api-other-old"), 0), Some("t2"));
    }
}
