//! JSON Patch (RFC 6902) for documents in general and for access tokens in particular.
//!
//! [`apply_json_patch`] is the plain RFC: all six operations, applied in order, all or nothing.
//! [`apply_token_patch`] adds the Access Tokens API's rules on top: which paths may change, which failures are
//! the request's fault (400 `invalid_request`) and which are the document's (422 `patch_failed`), and that the
//! result is still a valid token.
//!
//! The RFC is implemented here rather than taken from a crate so that every failure can be classified as 400
//! or 422 exactly as the API does, with a message naming the operation, and without adding dependencies to the
//! WebAssembly build.

mod error;
mod json_patch;
mod pointer;
mod token_patch;

pub use error::PatchError;
pub(crate) use json_patch::OpKind;
pub use json_patch::{apply_json_patch, json_equal};
pub use pointer::Pointer;
pub use token_patch::{apply_token_patch, classify_token_path, TokenField};
