//! The policy engine for JavaScript: `Policy` (statements compiled once, then asked many times), `evaluate`
//! (compile and decide in one call), `validatePolicy`, `parseResource`.

use super::convert::{
    bounded, decode, from_js, from_js_or_default, is_array, string_arg, to_js, to_json,
};
use super::errors::{from_policy_error, from_specifier_error, policy_error, type_error};
use crate::json::{At, FromJson, JsonError, Object};
use crate::model::{RoleAttributes, Statement};
use crate::policy::{
    self, CompiledPolicy, Diagnostic, PolicyError, PolicySet, PolicySource, Resource, Severity,
    SpecifierError,
};
use serde_json::Value;
use wasm_bindgen::prelude::*;

#[derive(Default)]
struct EvaluateOptions {
    role_attributes: Option<RoleAttributes>,
}

impl FromJson for EvaluateOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(EvaluateOptions {
            role_attributes: object.optional("roleAttributes"),
        })
    }
}

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
    statements_of(&json, what)
}

/// Decodes statements read as JSON; a `PolicyError` (`invalid_policy`) listing every problem otherwise.
fn statements_of(json: &serde_json::Value, what: &str) -> Result<Vec<Statement>, JsValue> {
    decode::<Vec<Statement>>(json, what).map_err(|message| {
        policy_error(
            "invalid_policy",
            &message,
            JsValue::UNDEFINED,
            &policy::validate_policy(json),
        )
    })
}

/// Checks `action` on `resource` against a list of statements and explains the answer: the statements are read
/// and compiled for this one call, and nothing is kept. To ask about the same statements again, compile them
/// once with `Policy.compile` and ask the `Policy`.
///
/// Throws a `PolicyError` when the statements are malformed or the resource specifier does not parse, or when
/// the action or the resource holds `*` or a control character (`invalid_action`, `invalid_resource`, with the
/// `span` at fault), and a `TypeError` (`code` `invalid_argument`) for an argument of the wrong type.
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

/// The action of an `evaluate`, or the error `evaluate` throws for it (`invalid_action` for an empty one or one
/// holding `*` or a control character).
pub(super) fn evaluated_action(action: &JsValue) -> Result<String, JsValue> {
    let action = policy_string_arg(action, "action")?;
    policy::check_action_asked(&action).map_err(|e| from_policy_error(&e))?;
    Ok(action)
}

/// Statements compiled once, to be asked about many times: what `evaluate` does in one call, without reading
/// and compiling the statements again for each question. Its methods throw what `evaluate` throws for the same
/// action and resource.
#[wasm_bindgen(js_name = "Policy")]
pub struct JsPolicy {
    inner: PolicySet,
}

#[wasm_bindgen(js_class = "Policy")]
impl JsPolicy {
    /// Compiles a list of statements (with `roleAttributes`, the values a statement's `${roleAttribute/...}`
    /// stands for). Free it (`free()`, or a `using` declaration) when done.
    /// @throws {PolicyError} (`invalid_policy`, listing every problem) for statements that are malformed, as
    /// `evaluate` throws for them.
    /// @throws {TypeError} (`code` `"invalid_argument"`) for statements that are not an array, or options of
    /// the wrong shape.
    pub fn compile(
        #[wasm_bindgen(unchecked_param_type = "Statement[]")] statements: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions")] options: Option<JsValue>,
    ) -> Result<JsPolicy, JsValue> {
        let statements = statements_arg(statements, "statements")?;
        let options: EvaluateOptions =
            from_js_or_default(options.unwrap_or(JsValue::UNDEFINED), "policy options")
                .map_err(bad_argument)?;
        let attrs = options.role_attributes.unwrap_or_default();
        let policy = CompiledPolicy::compile(PolicySource::statements(), &statements, &attrs)
            .map_err(|e| from_policy_error(&e))?;
        Ok(JsPolicy {
            inner: PolicySet::new(vec![policy]),
        })
    }

    /// Checks `action` on `resource` and explains the answer: what `evaluate` answers for the statements
    /// compiled. A plain object; the package remembers the answers it was given, and asked again hands out a
    /// fresh copy.
    /// @throws {PolicyError} for an action that is empty or holds `*` or a control character
    /// (`invalid_action`), and for a resource that does not parse or holds them (`invalid_resource`).
    /// @throws {TypeError} (`code` `"invalid_argument"`) for an argument that is not a string.
    #[wasm_bindgen(unchecked_return_type = "Decision")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> Result<JsValue, JsValue> {
        let (action, resource) = question(&action, &resource, invalid_resource)?;
        to_js(&self.inner.decide(&action, &resource)).map_err(bad_argument)
    }

    /// Whether `action` on `resource` is allowed: `evaluate(action, resource).allowed` (so `false` when the
    /// answer depends on a property or view the resource does not state), without building the explanation.
    /// @throws what `evaluate` throws.
    pub fn can(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] action: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] resource: JsValue,
    ) -> Result<bool, JsValue> {
        let (action, resource) = question(&action, &resource, invalid_resource)?;
        Ok(self.inner.is_allowed(&action, &resource))
    }
}

/// The action and the parsed resource of a question (of a `Policy`, or a `Principal`'s `can` and `explain`), or
/// the error it throws, in `evaluate`'s order: a `TypeError` (`invalid_argument`) for either that is not a
/// string, then a `PolicyError` for an action that is empty or holds `*` or a control character
/// (`invalid_action`), then `resource_error`'s for a resource that does not parse.
pub(super) fn question(
    action: &JsValue,
    resource: &JsValue,
    resource_error: fn(SpecifierError) -> JsValue,
) -> Result<(String, Resource), JsValue> {
    let action = policy_string_arg(action, "action")?;
    let resource = policy_string_arg(resource, "resource")?;
    policy::check_action_asked(&action).map_err(|e| from_policy_error(&e))?;
    let resource = Resource::parse_owned(resource).map_err(resource_error)?;
    Ok((action, resource))
}

/// `evaluate`'s error for a resource that does not parse: `invalid_resource`.
fn invalid_resource(error: SpecifierError) -> JsValue {
    from_policy_error(&PolicyError::InvalidResource { error })
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

#[derive(Default)]
struct ParseResourceOptions {
    concrete: Option<bool>,
}

impl FromJson for ParseResourceOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        object.finish(ParseResourceOptions {
            concrete: object.optional("concrete"),
        })
    }
}

/// Parses a resource specifier (`proj/*:env/production;tag:flag/*`) into its segments, or throws a
/// `PolicyError` whose `span` marks the characters at fault (a `TypeError` if it is not a string).
///
/// With `{ concrete: true }` the string is read as `can` and `evaluate` read the resource they are asked about:
/// no globs, role attributes, `*` or control characters (`wildcard`, `bad_character`, with their span).
#[wasm_bindgen(js_name = "parseResource", unchecked_return_type = "ResourceSegment[]")]
pub fn parse_resource(
    #[wasm_bindgen(unchecked_param_type = "string")] specifier: JsValue,
    #[wasm_bindgen(unchecked_optional_param_type = "ParseResourceOptions")] options: Option<
        JsValue,
    >,
) -> Result<JsValue, JsValue> {
    let specifier = policy_string_arg(&specifier, "specifier")?;
    let options: ParseResourceOptions = from_js_or_default(
        options.unwrap_or(JsValue::UNDEFINED),
        "parseResource options",
    )
    .map_err(bad_argument)?;
    let segments = if options.concrete.unwrap_or(false) {
        Resource::parse_owned(specifier).map(|resource| resource.to_segments())
    } else {
        policy::parse_resource(&specifier)
    }
    .map_err(|e| from_specifier_error(&e))?;
    to_js(&segments).map_err(bad_argument)
}
