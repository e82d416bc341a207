//! Property-based selectors, view selectors and the view rule, through the public API: what a user of
//! `evaluate`, `parse_resource` and `validate_policy` sees. Facts from LaunchDarkly's docs cite their page.

use serde_json::json;
use tokengate::{evaluate, parse_resource, validate_policy, Severity, Span};
use tokengate::{RoleAttributes, Statement};

fn policy(value: serde_json::Value) -> Vec<Statement> {
    serde_json::from_value(value).expect("a valid policy")
}

fn none() -> RoleAttributes {
    RoleAttributes::new()
}

/// "Example: Grant access to specific environments and flags, by tag and property-based selector" (docs
/// "Example policies and templates", https://docs.launchdarkly.com/home/account/example-policies): flags in
/// critical environments, with viewing the projects.
fn critical_flags() -> Vec<Statement> {
    policy(json!([
        {"effect": "allow", "actions": ["viewProject"], "resources": ["proj/*"]},
        {"effect": "allow", "actions": ["*"], "resources": ["proj/*:env/*;{critical:true}:flag/*"]}
    ]))
}

#[test]
fn a_property_selector_allows_what_states_the_property() {
    let statements = critical_flags();
    let stated = evaluate(
        &statements,
        "updateOn",
        "proj/p:env/production;{critical:true}:flag/x",
        &none(),
    )
    .unwrap();
    assert!(stated.allowed, "{}", stated.reason);
    let other = evaluate(
        &statements,
        "updateOn",
        "proj/p:env/dev;{critical:false}:flag/x",
        &none(),
    )
    .unwrap();
    assert!(!other.allowed && !other.indeterminate, "{}", other.reason);
}

#[test]
fn what_the_resource_leaves_out_is_indeterminate_and_named() {
    let decision = evaluate(
        &critical_flags(),
        "updateOn",
        "proj/p:env/production:flag/x",
        &none(),
    )
    .unwrap();
    assert!(
        !decision.allowed && decision.indeterminate,
        "{}",
        decision.reason
    );
    assert_eq!(
        decision.missing_facts,
        ["property \"critical\" of proj/p:env/production"]
    );
    assert!(
        decision.reason.contains("property \"critical\""),
        "{}",
        decision.reason
    );
    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(
        json["missingFacts"][0],
        "property \"critical\" of proj/p:env/production"
    );
}

#[test]
fn an_unstated_property_never_turns_a_deny_into_an_allow() {
    // Everything, except deleting flags in critical environments.
    let statements = policy(json!([
        {"effect": "allow", "actions": ["*"], "resources": ["*"]},
        {"effect": "deny", "actions": ["deleteFlag"], "resources": ["proj/*:env/*;{critical:true}:flag/*"]}
    ]));
    let unknown = evaluate(
        &statements,
        "deleteFlag",
        "proj/p:env/production:flag/x",
        &none(),
    )
    .unwrap();
    assert!(
        !unknown.allowed && unknown.indeterminate,
        "{}",
        unknown.reason
    );
    let denied = evaluate(
        &statements,
        "deleteFlag",
        "proj/p:env/production;{critical:true}:flag/x",
        &none(),
    )
    .unwrap();
    assert!(!denied.allowed && !denied.indeterminate);
    let allowed = evaluate(
        &statements,
        "deleteFlag",
        "proj/p:env/dev;{critical:false}:flag/x",
        &none(),
    )
    .unwrap();
    assert!(allowed.allowed);
    // An action the deny does not name is allowed whatever the environment.
    assert!(
        evaluate(
            &statements,
            "updateOn",
            "proj/p:env/production:flag/x",
            &none()
        )
        .unwrap()
        .allowed
    );
}

#[test]
fn view_selectors_take_role_attributes() {
    // "Views" (https://launchdarkly.com/docs/home/account/views): flags linked to a view, the view's key
    // coming from a role attribute.
    let statements = policy(json!([
        {"effect": "allow", "actions": ["viewProject"], "resources": ["proj/p"]},
        {"effect": "allow", "actions": ["*"], "resources": ["proj/p:env/*:flag/*;view:${roleAttribute/viewKeys}"]}
    ]));
    let mut attrs = RoleAttributes::new();
    attrs.insert("viewKeys".into(), vec!["web".into(), "checkout".into()]);
    let linked = evaluate(
        &statements,
        "updateOn",
        "proj/p:env/e:flag/x;view:checkout",
        &attrs,
    )
    .unwrap();
    assert!(linked.allowed, "{}", linked.reason);
    let elsewhere = evaluate(
        &statements,
        "updateOn",
        "proj/p:env/e:flag/x;view:mobile",
        &attrs,
    )
    .unwrap();
    assert!(!elsewhere.allowed && !elsewhere.indeterminate);
    let unstated = evaluate(&statements, "updateOn", "proj/p:env/e:flag/x", &attrs).unwrap();
    assert!(unstated.indeterminate);
    assert_eq!(unstated.missing_facts, ["views of proj/p:env/e:flag/x"]);
}

#[test]
fn viewing_is_required_to_modify() {
    // "Viewing access is required to modify a resource, so if a member cannot view a resource, they also
    // cannot modify it in any way" (docs "Creating private projects with custom roles",
    // https://launchdarkly.com/docs/home/account/private-projects).
    let flags_only = policy(json!([
        {"effect": "allow", "actions": ["*"], "resources": ["proj/*:env/*:flag/*"]}
    ]));
    let refused = evaluate(&flags_only, "updateOn", "proj/p:env/e:flag/x", &none()).unwrap();
    assert!(!refused.allowed && !refused.indeterminate);
    assert_eq!(refused.view_required.as_deref(), Some("proj/p"));
    assert!(
        refused.reason.contains("viewing is required to modify"),
        "{}",
        refused.reason
    );
    assert_eq!(
        serde_json::to_value(&refused).unwrap()["viewRequired"],
        "proj/p"
    );
    // View actions are not restricted; resources outside projects are not either.
    assert!(
        evaluate(&flags_only, "viewFlag", "proj/p:env/e:flag/x", &none())
            .unwrap()
            .allowed
    );
    let webhooks =
        policy(json!([{"effect": "allow", "actions": ["*"], "resources": ["webhook/*"]}]));
    assert!(
        evaluate(&webhooks, "deleteWebhook", "webhook/w", &none())
            .unwrap()
            .allowed
    );
    // A project the resource tags: the view is checked on the project as written, tags included.
    let tagged = policy(json!([
        {"effect": "allow", "actions": ["*"], "resources": ["proj/*:env/*:flag/*"]},
        {"effect": "allow", "actions": ["viewProject"], "resources": ["proj/*;mobile"]}
    ]));
    assert!(
        evaluate(&tagged, "updateOn", "proj/p;mobile:env/e:flag/x", &none())
            .unwrap()
            .allowed
    );
    assert!(
        !evaluate(&tagged, "updateOn", "proj/p:env/e:flag/x", &none())
            .unwrap()
            .allowed
    );
}

#[test]
fn a_denied_view_makes_the_refusal_a_deny() {
    let statements = policy(json!([
        {"effect": "allow", "actions": ["*"], "resources": ["proj/*:env/*:flag/*"]},
        {"effect": "deny", "actions": ["viewProject"], "resources": ["proj/secret"]}
    ]));
    let decision = evaluate(&statements, "updateOn", "proj/secret:env/e:flag/x", &none()).unwrap();
    assert!(!decision.allowed);
    assert_eq!(decision.effect, tokengate::DecisionEffect::Deny);
}

#[test]
fn parse_resource_returns_selectors_and_views() {
    let segments = parse_resource("proj/p:env/production;{critical:true}:flag/x;view:web").unwrap();
    let json = serde_json::to_value(&segments).unwrap();
    assert_eq!(
        json[1]["properties"],
        json!([{"key": "critical", "value": "true"}])
    );
    assert_eq!(json[2]["views"], json!(["web"]));
    assert_eq!(json[0]["tags"], json!([]));
}

#[test]
fn malformed_selectors_are_errors_with_codes_and_spans() {
    for (spec, code, span) in [
        ("proj/*:env/*;{critical}", "bad_selector", (13, 23)),
        ("proj/*:env/*;{:x}", "empty_selector_key", (13, 15)),
        ("proj/*:env/*:flag/*;view:", "empty_view", (20, 25)),
        (
            "proj/*:env/*;{critical:true",
            "unterminated_selector",
            (13, 27),
        ),
        ("proj/*:env/*;qa}", "unbalanced_selector", (15, 16)),
    ] {
        let found =
            validate_policy(&json!([{"effect": "allow", "actions": ["*"], "resources": [spec]}]));
        let error = found
            .iter()
            .find(|d| d.severity == Severity::Error)
            .unwrap_or_else(|| panic!("no error for {spec}: {found:?}"));
        assert_eq!(error.code, code, "{spec}");
        assert_eq!(error.path, "/0/resources/0");
        assert_eq!(error.span, Some(Span::new(span.0, span.1)), "{spec}");
    }
}

#[test]
fn megabytes_of_modifiers_are_a_typed_error_not_a_hang() {
    // The parsers stop at the bound on modifiers (the span is the first one past it) rather than reading the
    // megabytes that follow: what bounds the work, whatever the machine's speed.
    let many = vec!["{critical:true}"; 200_000].join(",");
    for spec in [
        format!("proj/*:env/*;{many}"),
        format!("proj/p:env/e;{many}"),
    ] {
        let err = parse_resource(&spec).unwrap_err();
        assert_eq!(err.code, "too_many_modifiers");
        // The span points at the first modifier past the bound.
        assert_eq!(err.span.start, 13 + 256 * 16);
        assert_eq!(err.span.end, err.span.start + 1);
    }
    let err = tokengate::Resource::parse(&format!("proj/p:env/e;{many}")).unwrap_err();
    assert_eq!(err.code, "too_many_modifiers");
    assert_eq!(err.span.start, 13 + 256 * 16);
}

#[test]
fn undocumented_selectors_are_warnings() {
    let found = validate_policy(&json!([
        {"effect": "allow", "actions": ["*"], "resources": [
            "proj/*:env/*;{tier:gold}",
            "proj/*;{critical:true}",
            "proj/*:env/*;{critical:yes}",
            "proj/*:env/*;view:web"
        ]}
    ]));
    for (code, path) in [
        ("unknown_property", "/0/resources/0"),
        ("property_on_other_type", "/0/resources/1"),
        ("unknown_property_value", "/0/resources/2"),
        ("view_on_unlinked_type", "/0/resources/3"),
    ] {
        assert!(
            found
                .iter()
                .any(|d| d.code == code && d.path == path && d.severity == Severity::Warning),
            "{code} at {path}: {found:?}"
        );
    }
    assert!(
        found.iter().all(|d| d.severity == Severity::Warning),
        "{found:?}"
    );
}

#[test]
fn a_deny_of_viewing_one_project_hides_it_from_an_allow_everything() {
    // "Restricting access to a project" (docs "Creating private projects with custom roles",
    // https://launchdarkly.com/docs/home/account/private-projects): everything, but not the private project.
    let statements = policy(json!([
        {"effect": "allow", "actions": ["*"], "resources": ["*"]},
        {"effect": "deny", "actions": ["viewProject"], "resources": ["proj/secret"]}
    ]));
    let hidden = evaluate(&statements, "updateOn", "proj/secret:env/e:flag/x", &none()).unwrap();
    assert!(
        !hidden.allowed && !hidden.indeterminate,
        "{}",
        hidden.reason
    );
    assert_eq!(hidden.view_required.as_deref(), Some("proj/secret"));
    let other = evaluate(&statements, "updateOn", "proj/shop:env/e:flag/x", &none()).unwrap();
    assert!(other.allowed, "{}", other.reason);
}
