//! The policy engine for JavaScript: `evaluate`, `validatePolicy`, `parseResource`.

use super::convert::{
    bounded, decode, from_js, from_js_or_default, is_array, string_arg, to_js, to_json,
};
use super::errors::{from_policy_error, from_specifier_error, policy_error, type_error};
use crate::json::{At, FromJson, JsonError, Object};
use crate::model::{RoleAttributes, Statement};
use crate::policy::{
    self, CompiledPolicy, Diagnostic, PolicyError, PolicySet, PolicySource, Resource, Severity,
};
use serde_json::Value;
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    /// Policies compiled by `__evaluateKept`, by number: what the package's `evaluate` keeps for statements
    /// it has seen, so that asking again about the same statements neither reads nor compiles them again.
    /// The package numbers them and decides when to forget them (`js/src/decision.mts`).
    static KEPT: RefCell<Vec<PolicySet>> = const { RefCell::new(Vec::new()) };
}

/// Most policies kept: the package forgets them all well before (at 64); the bound only stops misuse of the
/// internal functions from growing memory forever.
const KEPT_LIMIT: usize = 1024;

/// What `__evaluateKept` numbers a policy it did not keep.
const NOT_KEPT: u32 = u32::MAX;

#[derive(Default)]
struct EvaluateOptions {
    role_attributes: Option<RoleAttributes>,
}

impl FromJson for EvaluateOptions {
    fn from_json(value: &Value, at: At<'_>) -> Result<Self, JsonError> {
        let object = Object::new(value, at)?;
        Ok(EvaluateOptions {
            role_attributes: object.optional("roleAttributes")?,
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

/// Checks `action` on `resource` against a list of statements and explains the answer.
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

/// The resource of an `evaluate`, parsed, or the error `evaluate` throws for it.
fn evaluated_resource(resource: &JsValue) -> Result<Resource, JsValue> {
    let resource = policy_string_arg(resource, "resource")?;
    Resource::parse_owned(resource)
        .map_err(|error| from_policy_error(&PolicyError::InvalidResource { error }))
}

/// Statements as the package's `evaluate` read them (`readingText` in `js/src/decision.mts`), as the JSON the
/// module's own reading ([`to_json`]) would have made: `n<count>;` for the statements, then for each its field
/// count, each field's name and value; a string is `s<length in UTF-16 units>:<text>`, an array of strings
/// its length and its items. `None` for anything else. Not `serde_json`'s parser, which the module otherwise
/// does without.
fn reading_json(text: &str) -> Option<serde_json::Value> {
    use serde_json::{Map, Value};
    fn number(rest: &mut &str) -> Option<usize> {
        let (digits, after) = rest.strip_prefix('n')?.split_once(';')?;
        *rest = after;
        digits.parse().ok()
    }
    fn string(rest: &mut &str) -> Option<String> {
        let (units, body) = rest.strip_prefix('s')?.split_once(':')?;
        let units: usize = units.parse().ok()?;
        let (mut seen, mut end) = (0, 0);
        for ch in body.chars() {
            if seen >= units {
                break;
            }
            seen += ch.len_utf16();
            end += ch.len_utf8();
        }
        if seen != units {
            return None;
        }
        let (text, after) = body.split_at(end);
        *rest = after;
        Some(text.to_owned())
    }
    let mut rest = text;
    let count = number(&mut rest)?;
    let mut statements = Vec::new();
    for _ in 0..count {
        let fields = number(&mut rest)?;
        let mut statement = Map::new();
        for _ in 0..fields {
            let name = string(&mut rest)?;
            let value = if rest.starts_with('s') {
                Value::String(string(&mut rest)?)
            } else {
                let items = number(&mut rest)?;
                Value::Array(
                    (0..items)
                        .map(|_| string(&mut rest).map(Value::String))
                        .collect::<Option<_>>()?,
                )
            };
            statement.insert(name, value);
        }
        statements.push(Value::Object(statement));
    }
    rest.is_empty().then_some(Value::Array(statements))
}

/// `evaluate` without options of the statements `text` holds (see [`reading_json`]: the package's reading of
/// the statements it was given, read once), keeping them compiled: `[number, decision]`, the number to give `__evaluateAgain`
/// later. The same checks in the same order, the same answer and the same errors as `evaluate`; `undefined` when
/// the text is not such a reading, for the package to call `evaluate` itself.
#[wasm_bindgen(js_name = "__evaluateKept", skip_typescript)]
pub fn evaluate_kept(text: &str, action: JsValue, resource: JsValue) -> Result<JsValue, JsValue> {
    let Some(json) = reading_json(text) else {
        return Ok(JsValue::UNDEFINED);
    };
    let statements = statements_of(&json, "statements")?;
    let action = evaluated_action(&action)?;
    // As `policy::evaluate`: the action, then the resource, are read before the statements are compiled.
    let resource = evaluated_resource(&resource)?;
    let attrs = RoleAttributes::default();
    let policy = CompiledPolicy::compile(PolicySource::statements(), &statements, &attrs)
        .map_err(|e| from_policy_error(&e))?;
    let set = PolicySet::new(vec![policy]);
    let decision = to_js(&set.decide(&action, &resource)).map_err(bad_argument)?;
    let number = KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if kept.len() >= KEPT_LIMIT {
            return NOT_KEPT;
        }
        kept.push(set);
        (kept.len() - 1) as u32
    });
    Ok(js_sys::Array::of2(&JsValue::from(number), &decision).into())
}

/// `evaluate` of statements kept by `__evaluateKept` under `number`, without options: the same answer and the
/// same errors for `action` and `resource`.
#[wasm_bindgen(js_name = "__evaluateAgain", skip_typescript)]
pub fn evaluate_again(number: u32, action: JsValue, resource: JsValue) -> Result<JsValue, JsValue> {
    let action = evaluated_action(&action)?;
    let resource = evaluated_resource(&resource)?;
    KEPT.with(|kept| match kept.borrow().get(number as usize) {
        Some(set) => to_js(&set.decide(&action, &resource)).map_err(bad_argument),
        None => Err(bad_argument("no such kept policy".to_owned())),
    })
}

/// Forgets every policy `__evaluateKept` kept; their numbers mean nothing afterwards.
#[wasm_bindgen(js_name = "__forgetKept", skip_typescript)]
pub fn forget_kept() {
    KEPT.with(|kept| kept.borrow_mut().clear());
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
        Ok(ParseResourceOptions {
            concrete: object.optional("concrete")?,
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
