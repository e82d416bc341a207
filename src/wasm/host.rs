//! What the package's JavaScript hands the module once at start-up (`__setHost`): the error classes the module
//! constructs for every error it throws, and the encoder that writes arguments as JSON text.
//!
//! Until then (someone loading the raw glue) errors are plain `Error`s with the same `name` and fields, so
//! nothing is lost but `instanceof`, and arguments are written by `JSON.stringify` without the encoder's bound
//! on how many values it writes.

use js_sys::Function;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// The hooks the package supplies.
struct Host {
    api_error: Function,
    policy_error: Function,
    encode: Function,
}

thread_local! {
    static HOST: RefCell<Option<Host>> = const { RefCell::new(None) };
}

/// Registers the `ApiError` and `PolicyError` constructors and the argument encoder (called by the package's
/// entry modules).
#[wasm_bindgen(js_name = "__setHost", skip_typescript)]
pub fn set_host(api_error: Function, policy_error: Function, encode: Function) {
    HOST.with(|h| {
        *h.borrow_mut() = Some(Host {
            api_error,
            policy_error,
            encode,
        })
    });
}

/// The registered constructor of `PolicyError` (`policy`) or `ApiError`.
pub(super) fn error_class(policy: bool) -> Option<Function> {
    HOST.with(|h| {
        h.borrow().as_ref().map(|host| {
            if policy {
                host.policy_error.clone()
            } else {
                host.api_error.clone()
            }
        })
    })
}

/// `value` as JSON text, or what the encoder threw.
pub(super) fn encode(value: &JsValue) -> Result<String, JsValue> {
    let encoder = HOST.with(|h| h.borrow().as_ref().map(|host| host.encode.clone()));
    let text = match encoder {
        Some(encode) => encode.call1(&JsValue::UNDEFINED, value)?,
        None => js_sys::JSON::stringify(value)?.into(),
    };
    // `JSON.stringify` gives `undefined` for a function or symbol at the top.
    text.as_string()
        .ok_or_else(|| JsValue::from_str("a function or symbol is not JSON"))
}
