//! The policy engine for JavaScript: `evaluate`, `validatePolicy`, `parseResource`.

use super::convert::{
    bounded, decode, from_js, from_js_or_default, is_array, string_arg, to_js, to_json,
};
use super::errors::{from_policy_error, from_specifier_error, policy_error, type_error};
use crate::model::{CustomRole, RoleAttributes, Statement};
use crate::policy::{self, Diagnostic, Severity};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct EvaluateOptions {
    #[serde(default)]
    role_attributes: Option<RoleAttributes>,
}

/// How many witnesses of each direction `comparePolicies` returns unless told.
const DEFAULT_COMPARISON_LIMIT: usize = 20;

/// The most witnesses of each direction a caller may ask for: each is confirmed with two evaluations.
const MAX_COMPARISON_LIMIT: usize = 1000;

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct CompareOptions {
    #[serde(default)]
    role_attributes: Option<RoleAttributes>,
    #[serde(default)]
    limit: Option<usize>,
}

/// A `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
pub(super) fn bad_argument(message: String) -> JsValue {
    type_error(&message)
}

/// A string argument; a `TypeError` with `invalid_argument` otherwise.
pub(super) fn policy_string_arg(value: &JsValue, what: &str) -> Result<String, JsValue> {
    string_arg(value, what).map_err(bad_argument)
}

/// Decodes a policy (an array of statements). When it does not decode, the error lists every problem the
/// linter finds, with JSON pointers, rather than serde's first complaint alone.
/// A value that is not an array, or that cannot be read as JSON at all (nested too deep, cyclic, a throwing
/// getter), is a `TypeError` (`invalid_argument`); an array that is not a valid policy is a `PolicyError`
/// (`invalid_policy`).
pub(super) fn statements_arg(value: JsValue, what: &str) -> Result<Vec<Statement>, JsValue> {
    // A proxy whose `isArray` throws is left to the walk, which names what it threw.
    if let Ok(false) = is_array(&value) {
        return Err(bad_argument(format!(
            "{what} must be an array of statements"
        )));
    }
    let json = to_json(&value)
        .map_err(|reason| bad_argument(bounded(&format!("{what} is not valid: {reason}"))))?;
    decode::<Vec<Statement>>(&json, what).map_err(|message| {
        policy_error(
            "invalid_policy",
            &message,
            JsValue::UNDEFINED,
            &policy::validate_policy(&json),
        )
    })
}

/// A side of `comparePolicies`: a list of statements, or a custom role (an object with a `policy`), read as its
/// statements with what its `basePermissions` adds.
fn policy_or_role_arg(value: JsValue, what: &str) -> Result<Vec<Statement>, JsValue> {
    if let Ok(false) = is_array(&value) {
        if value.is_object() {
            let role: CustomRole = from_js(value, what).map_err(|message| {
                bad_argument(format!(
                    "{what} must be an array of statements or a custom role: {message}"
                ))
            })?;
            return Ok(policy::role_statements(&role).into_owned());
        }
    }
    statements_arg(value, what)
}

/// Checks `action` on `resource` against a list of statements and explains the answer.
///
/// Throws a `PolicyError` when the statements are malformed or the resource specifier does not parse, and a
/// `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
#[wasm_bindgen(unchecked_return_type = "Decision")]
pub fn evaluate(
    #[wasm_bindgen(unchecked_param_type = "Statement[]")] statements: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
    #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let statements = statements_arg(statements, "statements")?;
    let action = policy_string_arg(&action, "action")?;
    let resource = policy_string_arg(&resource, "resource")?;
    let options: EvaluateOptions =
        from_js_or_default(options.unwrap_or(JsValue::UNDEFINED), "evaluate options")
            .map_err(bad_argument)?;
    let attrs = options.role_attributes.unwrap_or_default();
    let decision = policy::evaluate(&statements, &action, &resource, &attrs)
        .map_err(|e| from_policy_error(&e))?;
    to_js(&decision).map_err(bad_argument)
}

/// What changes from `before` to `after` (each a list of statements, or a custom role with what its
/// `basePermissions` adds): every region of (action, resource) pairs one allows and the other
/// does not, as witnesses (at most `limit` per direction, 20 unless told) with the count of all regions,
/// and whether the two are equivalent. `revoked` is empty exactly when `after` allows everything `before`
/// allows. Throws a `PolicyError` when a policy does not compile or the comparison is past its work budget
/// (`comparison_too_large`), and a `TypeError` for an argument of the wrong type.
#[wasm_bindgen(
    js_name = "comparePolicies",
    unchecked_return_type = "PolicyComparison"
)]
pub fn compare_policies(
    #[wasm_bindgen(unchecked_param_type = "Statement[] | CustomRole")] before: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Statement[] | CustomRole")] after: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "CompareOptions")] options: Option<JsValue>,
) -> Result<JsValue, JsValue> {
    let before = policy_or_role_arg(before, "before")?;
    let after = policy_or_role_arg(after, "after")?;
    let options: CompareOptions =
        from_js_or_default(options.unwrap_or(JsValue::UNDEFINED), "compare options")
            .map_err(bad_argument)?;
    let limit = comparison_limit(options.limit)?;
    let attrs = options.role_attributes.unwrap_or_default();
    let comparison = policy::compare_policies(&before, &after, &attrs, limit)
        .map_err(|e| from_policy_error(&e))?;
    let out = to_js(&comparison).map_err(bad_argument)?;
    let _ = js_sys::Reflect::set(
        &out,
        &JsValue::from_str("equivalent"),
        &JsValue::from_bool(comparison.is_equivalent()),
    );
    Ok(out)
}

/// The witnesses per direction a caller asked for: 20 unless told, at most 1000.
pub(super) fn comparison_limit(asked: Option<usize>) -> Result<usize, JsValue> {
    let limit = asked.unwrap_or(DEFAULT_COMPARISON_LIMIT);
    if limit > MAX_COMPARISON_LIMIT {
        return Err(bad_argument(format!(
            "limit must be at most {MAX_COMPARISON_LIMIT}"
        )));
    }
    Ok(limit)
}

/// Lints a policy: every problem LaunchDarkly would reject (errors) or that probably does not mean what it
/// says (warnings), each with a JSON pointer. Never throws; a value that is not JSON at all is one error.
#[wasm_bindgen(js_name = "validatePolicy", unchecked_return_type = "Diagnostic[]")]
pub fn validate_policy(
    #[wasm_bindgen(unchecked_param_type = "unknown")] statements: JsValue,
) -> JsValue {
    let diagnostics = match from_js::<serde_json::Value>(statements, "policy") {
        Ok(json) => policy::validate_policy(&json),
        Err(message) => vec![Diagnostic {
            severity: Severity::Error,
            code: "invalid_json".to_owned(),
            message,
            path: String::new(),
            span: None,
        }],
    };
    to_js(&diagnostics).unwrap_or_else(|_| js_sys::Array::new().into())
}

/// Parses a resource specifier (`proj/*:env/production;tag:flag/*`) into its segments, or throws a
/// `PolicyError` whose `span` marks the characters at fault (a `TypeError` if it is not a string).
#[wasm_bindgen(js_name = "parseResource", unchecked_return_type = "ResourceSegment[]")]
pub fn parse_resource(
    #[wasm_bindgen(unchecked_param_type = "string")] specifier: JsValue,
) -> Result<JsValue, JsValue> {
    let specifier = policy_string_arg(&specifier, "specifier")?;
    let segments = policy::parse_resource(&specifier).map_err(|e| from_specifier_error(&e))?;
    to_js(&segments).map_err(bad_argument)
}
