//! A token's optional lists on the wire, where an empty list and an absent one are the same thing.
//!
//! LaunchDarkly's own examples carry `customRoleIds: []` and `inlineRole: []` beside a `role` (the `Token` schema's
//! examples in `spec/access-tokens.openapi.json`). Reading every such list through [`empty_as_absent`] means the
//! client, the policy engine and the emulator all see one form, `None`, whatever the sender wrote, so no rule
//! further in has to ask "absent or empty?". (Statements read their lists in pairs: `StatementPair`.)

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `None` for an empty list, the list otherwise.
pub fn non_empty<T>(list: Option<Vec<T>>) -> Option<Vec<T>> {
    list.filter(|items| !items.is_empty())
}

/// Whether a list is absent or empty: what `skip_serializing_if` needs so that neither is written.
pub(crate) fn is_absent<T>(list: &Option<Vec<T>>) -> bool {
    list.as_ref().map_or(true, Vec::is_empty)
}

/// The list to write where `skip_serializing_if = "is_absent"` applies: `None` for an absent or empty one.
pub(crate) fn given<T>(list: &Option<Vec<T>>) -> Option<&[T]> {
    list.as_deref().filter(|items| !items.is_empty())
}

/// Deserializes an optional list where `null` and `[]` both mean absent.
pub(crate) fn empty_as_absent<'de, D, T>(deserializer: D) -> Result<Option<Vec<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<Vec<T>>::deserialize(deserializer).map(non_empty)
}

/// Serializes an optional list as LaunchDarkly's responses carry it: always present, `[]` when absent.
pub(crate) fn absent_as_empty<S, T>(list: &Option<Vec<T>>, serializer: S) -> Result<S::Ok, S::Error>
where
    S: Serializer,
    T: Serialize,
{
    list.as_deref().unwrap_or(&[]).serialize(serializer)
}
