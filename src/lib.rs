//! tokengate: a client for LaunchDarkly's Access Tokens API and a client-side copy of its custom-role policy
//! engine and token rules, so that a page or an edge worker can tell what a token may do, and why, before it asks.
//!
//! The core modules (`model`, `policy`, `rules`, `patch`, `api`) are pure and I/O-free; the `wasm` module is the
//! only one that knows about JavaScript, and is compiled only for `wasm32`.
#![warn(missing_docs)]

pub mod api;
pub mod model;
pub mod patch;
pub mod policy;
pub mod rules;
/// The wasm-bindgen layer. Public only so that its tests can drive it from Rust; JavaScript users reach it
/// through the npm package.
#[cfg(target_arch = "wasm32")]
#[doc(hidden)]
#[allow(missing_docs)]
pub mod wasm;

/// The WebAssembly module's allocator: `talc` takes less room in the module than the default `dlmalloc`.
/// A wasm instance has one thread, which is what `TalckWasm` assumes.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: talc::TalckWasm = unsafe { talc::TalckWasm::new_global() };
