//! The JavaScript face of the crate (compiled for `wasm32` only).
//!
//! Every export takes `JsValue`s, reads them as JSON text parsed by the module's own parser (see [`convert`]),
//! extracts the model from that, and answers with plain objects or a typed error (`ApiError`, `PolicyError`): bad input from
//! JavaScript is an exception with a code, never a trap. TypeScript types for the objects crossing the
//! boundary are in [`types`]. A module built without the `client` and `analysis` features (the one
//! `tokengate/checks` loads) leaves the REST client and the analyses out.

#[cfg(feature = "client")]
mod call;
#[cfg(feature = "analysis")]
mod change;
#[cfg(feature = "client")]
mod client;
mod convert;
mod errors;
#[cfg(feature = "client")]
mod fetch;
mod host;
#[cfg(feature = "client")]
mod pages;
mod policy;
mod principal;
mod types;

#[cfg(feature = "analysis")]
pub use change::{audit as audit_tokens, compare_policies};
#[cfg(feature = "client")]
pub use client::TokensClient;
pub use host::set_host;
#[cfg(feature = "client")]
pub use pages::TokenPages;
pub use policy::{evaluate, parse_resource, validate_policy, JsPolicy};
pub use principal::JsPrincipal;
