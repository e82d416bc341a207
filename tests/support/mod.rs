//! Helpers shared by the integration suites, which each take them in with `mod support;`:
//!
//! - `builders`: members, tokens and custom roles as the API sends them, for the token-rule and patch suites;
//! - `corpus`: the conformance corpus (`tests/conformance/*.json`) read as data, for its two Rust runners;
//! - `wasm`: the harness of the wasm-bindgen-test suites (`wasm_*.rs`), built for wasm32 only.
// Each suite compiles every module here but uses only some of their items.
#![allow(dead_code)]

pub mod builders;
pub mod corpus;
#[cfg(target_arch = "wasm32")]
pub mod wasm;
