//! Statements as LaunchDarkly's own examples write them: an empty list beside its counterpart is an absent one,
//! in the linter over raw JSON as in the typed model. Source: the `Statement` schema of LaunchDarkly's OpenAPI
//! document (`spec/access-tokens.openapi.json`): "The `resources` and `notActions` fields must be empty to use
//! this field", and its token examples, which carry `notResources: []` beside `resources`.

use serde_json::json;
use tokengate::{validate_policy, Severity};

fn errors(policy: serde_json::Value) -> Vec<String> {
    validate_policy(&policy)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| format!("{} at {}", d.code, d.path))
        .collect()
}

#[test]
fn empty_lists_beside_their_counterparts_are_absent() {
    let launchdarkly_shape = json!([{
        "effect": "allow",
        "resources": ["proj/*:env/*:flag/*"],
        "notResources": [],
        "actions": ["viewProject"],
        "notActions": []
    }]);
    assert_eq!(errors(launchdarkly_shape), Vec::<String>::new());
    let negated = json!([{
        "effect": "deny", "resources": [], "notResources": ["proj/*"], "actions": [], "notActions": ["viewProject"]
    }]);
    assert_eq!(errors(negated), Vec::<String>::new());
}

#[test]
fn two_empty_lists_still_say_the_statement_names_nothing() {
    let empty =
        json!([{ "effect": "allow", "resources": [], "notResources": [], "actions": ["*"] }]);
    assert_eq!(errors(empty), ["empty_list at /0/resources"]);
    let both = json!([{ "effect": "allow", "resources": ["proj/*"], "notResources": ["proj/a"], "actions": ["*"] }]);
    assert_eq!(errors(both), ["conflicting_resources at /0"]);
}
