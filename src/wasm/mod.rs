//! The JavaScript face of the crate (compiled for `wasm32` only).
//!
//! Every export takes `JsValue`s, reads them with a depth-limited iterative walk into JSON (see [`convert`]),
//! decodes that, and answers with plain objects or a typed error (`ApiError`, `PolicyError`): bad input from
//! JavaScript is an exception with a code, never a trap. TypeScript types for the objects crossing the
//! boundary are in [`types`].

mod call;
mod change;
mod client;
mod convert;
mod errors;
mod fetch;
mod pages;
mod policy;
mod principal;
mod types;

pub use change::audit as audit_tokens;
pub use client::TokensClient;
pub use errors::set_error_classes;
pub use pages::TokenPages;
pub use policy::{compare_policies, evaluate, parse_resource, validate_policy};
pub use principal::JsPrincipal;
