use super::*;

fn statements(value: serde_json::Value) -> Vec<Statement> {
    serde_json::from_value(value).expect("statements")
}

fn compare(before: serde_json::Value, after: serde_json::Value) -> PolicyComparison {
    compare_policies(
        &statements(before),
        &statements(after),
        &RoleAttributes::new(),
        10,
    )
    .expect("comparison")
}

#[test]
fn a_policy_equals_itself() {
    let policy = serde_json::json!([
        {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]},
        {"effect": "allow", "resources": ["proj/*:env/*;{critical:true}:flag/*"], "actions": ["update*"]},
        {"effect": "deny", "resources": ["proj/*:env/prod*;beta"], "actions": ["*"]},
    ]);
    assert!(compare(policy.clone(), policy).is_equivalent());
}

#[test]
fn a_narrower_glob_revokes_with_a_witness() {
    let comparison = compare(
        serde_json::json!([{"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]),
        serde_json::json!([{"effect": "allow", "resources": ["proj/mobile-*"], "actions": ["*"]}]),
    );
    assert!(comparison.granted.is_empty(), "{comparison:?}");
    let witness = &comparison.revoked.witnesses[0];
    assert!(witness.before.allowed && !witness.after.allowed);
    assert!(!witness.resource.starts_with("proj/mobile-"));
}

#[test]
fn a_property_selector_is_told_apart() {
    let comparison = compare(
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}]),
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]},
                           {"effect": "deny", "resources": ["proj/*:env/*;{critical:true}"], "actions": ["update*"]}]),
    );
    assert!(comparison.granted.is_empty());
    assert_eq!(comparison.revoked.total, 1, "{comparison:?}");
    let witness = &comparison.revoked.witnesses[0];
    assert_eq!(witness.action, "updateOn");
    assert!(
        witness.resource.contains("{critical:t"),
        "{}",
        witness.resource
    );
}

#[test]
fn the_view_rule_is_part_of_the_comparison() {
    let comparison = compare(
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}]),
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/a*"], "actions": ["viewProject"]}]),
    );
    assert!(!comparison.revoked.is_empty());
    assert!(comparison
        .revoked
        .witnesses
        .iter()
        .any(|w| w.action == "updateOn" && w.after.view_required.is_some()));
}

#[test]
fn implies_reads_one_way() {
    let wide =
        statements(serde_json::json!([{"effect": "allow", "resources": ["*"], "actions": ["*"]}]));
    let narrow = statements(
        serde_json::json!([{"effect": "allow", "resources": ["acct"], "actions": ["update*"]}]),
    );
    let attrs = RoleAttributes::new();
    assert!(implies(&narrow, &wide, &attrs).unwrap());
    assert!(!implies(&wide, &narrow, &attrs).unwrap());
}

#[test]
fn past_the_budget_is_an_error() {
    let policy = statements(serde_json::json!([
        {"effect": "allow", "resources": ["proj/a*b*c*:env/x*y*:flag/*q*"], "actions": ["u*p*d*"]},
    ]));
    let error = compare_with_budget(&policy, &[], &RoleAttributes::new(), 10, 50).unwrap_err();
    assert_eq!(error.code(), "comparison_too_large");
    assert_eq!(error.diagnostics()[0].code, "comparison_too_large");
}
