//! Building `ApiError` and `PolicyError` instances, and the `TypeError`s for arguments of the wrong type.
//!
//! The classes are TypeScript (`js/src/errors.mts`), real `Error` subclasses; the package entry points hand
//! them over once at start-up (see [`super::host`]).
//!
//! An argument the policy engine cannot even read (not a string, not an array of statements, a token
//! object of the wrong shape) is JavaScript's own `TypeError`, with `code` set to `invalid_argument`;
//! `PolicyError` is kept for what the engine refuses once it has read it. The client's argument errors stay
//! `ApiError`s (`invalid_argument`), so that every client call fails the one way.

use super::convert::to_js;
use super::host::error_class;
use crate::policy::{Diagnostic, PolicyError, SpecifierError};
use js_sys::{Array, Reflect};
use wasm_bindgen::prelude::*;

fn new_error(policy: bool, name: &str, message: &str) -> JsValue {
    let class = error_class(policy);
    let args = Array::of1(&JsValue::from_str(message));
    if let Some(class) = class {
        if let Ok(error) = Reflect::construct(&class, &args) {
            return error;
        }
    }
    let error = js_sys::Error::new(message);
    error.set_name(name);
    error.into()
}

fn set(target: &JsValue, key: &str, value: JsValue) {
    // Setting a data property on a fresh Error cannot fail; if a frozen subclass refuses, the error still
    // carries its message.
    let _ = Reflect::set(target, &JsValue::from_str(key), &value);
}

/// A `TypeError` with `message` and `code` `invalid_argument`.
pub fn type_error(message: &str) -> JsValue {
    let js: JsValue = js_sys::TypeError::new(message).into();
    set(&js, "code", JsValue::from_str("invalid_argument"));
    js
}

/// An `ApiError` with `status`, `code`, `requestId` and, for 429, `retryAfterMs`.
#[cfg(feature = "client")]
pub fn api_error(error: &crate::api::ApiError) -> JsValue {
    let js = new_error(false, "ApiError", &error.message);
    set(&js, "status", JsValue::from(error.status));
    set(&js, "code", JsValue::from_str(&error.code));
    set(
        &js,
        "requestId",
        error
            .request_id
            .as_deref()
            .map_or(JsValue::UNDEFINED, JsValue::from_str),
    );
    set(
        &js,
        "retryAfterMs",
        error
            .retry_after_ms
            .map_or(JsValue::UNDEFINED, |ms| JsValue::from(ms as f64)),
    );
    js
}

/// A `PolicyError` with `code`, `message`, `span` (for specifier errors) and `diagnostics`.
pub fn policy_error(
    code: &str,
    message: &str,
    span: JsValue,
    diagnostics: &[Diagnostic],
) -> JsValue {
    let js = new_error(true, "PolicyError", message);
    set(&js, "code", JsValue::from_str(code));
    set(&js, "span", span);
    set(
        &js,
        "diagnostics",
        to_js(diagnostics).unwrap_or_else(|_| Array::new().into()),
    );
    js
}

/// The `PolicyError` for a specifier that does not parse.
pub fn from_specifier_error(error: &SpecifierError) -> JsValue {
    let span = to_js(&error.span).unwrap_or(JsValue::UNDEFINED);
    policy_error(error.code, &error.message, span, &[])
}

/// The `PolicyError` for a policy that cannot be compiled.
pub fn from_policy_error(error: &PolicyError) -> JsValue {
    let diagnostics = error.diagnostics();
    let span = diagnostics
        .iter()
        .find_map(|d| d.span)
        .and_then(|span| to_js(&span).ok())
        .unwrap_or(JsValue::UNDEFINED);
    policy_error(error.code(), &error.to_string(), span, &diagnostics)
}
