//! JSON Patch (RFC 6902), a leaf under the token rules: [`apply_json_patch`] is the plain RFC, all six
//! operations applied in order, all or nothing; the map of a token's patchable paths is here too. Applying a
//! patch to a token with the API's rules (`apply_token_patch`) belongs to the token rules, which read this
//! module and are never read by it.
//!
//! The RFC is implemented here rather than taken from a crate so that every failure can be classified as a
//! request's fault (`invalid_request`) or the document's (`patch_failed`) exactly as the API does, with a
//! message naming the operation, and without adding dependencies to the WebAssembly build.

mod error;
mod json_patch;
mod pointer;
mod token_paths;

pub use error::PatchError;
pub use json_patch::{apply_json_patch, json_equal};
pub(crate) use json_patch::{apply_one, parse_operations, OpKind, ParsedOperation};
pub(crate) use pointer::render;
pub use pointer::Pointer;
pub(crate) use token_paths::{classify_token_path, TokenField};
