//! A decision read at a glance: which layer decided (`decided_by`), by which role and statement, and one
//! line of at most `SUMMARY_MAX_CHARS` characters that a person reads in a tooltip. One test per layer.

mod support;

use serde_json::json;
use support::builders::*;
use tokengate::{
    evaluate, AccessTokenPost, DecisionLayer, PatchOperation, Principal, RoleAttributes, Statement,
    SUMMARY_MAX_CHARS,
};

fn statements(value: serde_json::Value) -> Vec<Statement> {
    serde_json::from_value(value).unwrap()
}

#[test]
fn a_policy_names_the_statement_that_decided() {
    let policy = statements(json!([
        { "effect": "allow", "actions": ["*"], "resources": ["proj/*"] },
        { "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] },
        { "effect": "deny", "actions": ["updateOn"], "resources": ["proj/*:env/production:flag/*"] },
    ]));
    let attrs = RoleAttributes::new();
    let denied = evaluate(&policy, "updateOn", "proj/a:env/production:flag/f", &attrs).unwrap();
    assert_eq!(denied.decided_by.layer, DecisionLayer::Policy);
    assert_eq!(denied.decided_by.statement, Some(2));
    assert_eq!(denied.summary, "Denied by policy, statement 2");
    let allowed = evaluate(&policy, "updateOn", "proj/a:env/test:flag/f", &attrs).unwrap();
    assert_eq!(allowed.decided_by.statement, Some(1));
    assert_eq!(allowed.summary, "Allowed by policy, statement 1");
    let nothing = evaluate(&policy, "deleteMember", "member/m", &attrs).unwrap();
    assert_eq!(nothing.decided_by.statement, None);
    assert_eq!(nothing.summary, "Denied: no statement allows it");
}

#[test]
fn the_view_rule_says_which_project_must_be_viewable() {
    let policy = statements(json!([
        { "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] },
    ]));
    let decision = evaluate(
        &policy,
        "updateOn",
        "proj/web:env/test:flag/f",
        &RoleAttributes::new(),
    )
    .unwrap();
    assert!(!decision.allowed);
    assert_eq!(decision.decided_by.layer, DecisionLayer::ViewRule);
    assert_eq!(decision.summary, "Denied: viewing proj/web is required");
}

#[test]
fn a_principal_names_its_own_roles_or_its_creators_cap() {
    // A writer member's admin-role token: the token's own role allows managing members, the cap does not.
    let token = personal("t1", "ada", Perm::Role("admin"));
    let writer = Principal::new(&token, Some(&member("ada", "writer", &[])), &[]);
    let capped = writer.can("updateMemberRole", "member/bob").unwrap();
    assert!(!capped.allowed);
    assert_eq!(capped.decided_by.layer, DecisionLayer::CreatorCap);
    assert!(
        capped.summary.ends_with("(the creator's cap)"),
        "{}",
        capped.summary
    );

    // A reader token of an admin member: the token's own role refuses.
    let reader_token = personal("t2", "root", Perm::Role("reader"));
    let reader = Principal::new(&reader_token, Some(&member("root", "admin", &[])), &[]);
    let own = reader.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(!own.allowed);
    assert_eq!(own.decided_by.layer, DecisionLayer::TokenRoles);
}

#[test]
fn roles_not_supplied_are_named_in_the_summary() {
    let token = personal("t1", "ada", Perm::Custom(&["r-missing"]));
    let caller = Principal::new(&token, Some(&member("ada", "admin", &[])), &[]);
    let unknown = caller.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(unknown.indeterminate);
    assert_eq!(unknown.decided_by.layer, DecisionLayer::TokenRoles);
    assert_eq!(unknown.summary, "Unknown: r-missing not supplied");
}

#[test]
fn visibility_and_the_request_decide_before_any_role() {
    let mine = personal("t1", "ada", Perm::Role("writer"));
    let theirs = personal("t2", "bob", Perm::Role("reader"));
    let caller = Principal::new(&mine, Some(&member("ada", "writer", &[])), &[]);
    let hidden = caller.check_action(&theirs, "deleteAccessToken");
    assert_eq!(hidden.decided_by.layer, DecisionLayer::Visibility);
    assert!(hidden.summary.starts_with("Hidden:"), "{}", hidden.summary);

    let admin_token = personal("t3", "root", Perm::Role("admin"));
    let admin = Principal::new(&admin_token, Some(&member("root", "admin", &[])), &[]);
    let malformed: Vec<PatchOperation> =
        serde_json::from_value(json!([{ "op": "frobnicate", "path": "/name" }])).unwrap();
    let refused = admin.check_patch_request(&theirs, &malformed, &[]);
    assert_eq!(refused.decided_by.layer, DecisionLayer::Request);
    assert!(
        refused.summary.starts_with("Refused as invalid_request"),
        "{}",
        refused.summary
    );
}

#[test]
fn a_create_over_the_creators_base_role_says_so_in_one_short_line() {
    let token = personal("t1", "ada", Perm::Role("writer"));
    let caller = Principal::new(&token, Some(&member("ada", "writer", &[])), &[]);
    let body = AccessTokenPost {
        role: Some("admin".into()),
        ..AccessTokenPost::default()
    };
    let decision = caller.check_create(&body);
    assert!(!decision.allowed);
    assert_eq!(decision.decided_by.layer, DecisionLayer::CreatorCap);
    assert_eq!(
        decision.summary,
        "Denied: a writer member can create tokens up to \"writer\""
    );
}

#[test]
fn a_summary_is_never_longer_than_a_tooltip() {
    let long_key = "k".repeat(400);
    let token = personal("t1", "ada", Perm::Custom(&[&long_key]));
    let caller = Principal::new(&token, Some(&member("ada", "admin", &[])), &[]);
    let decision = caller.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(decision.reason.chars().count() > SUMMARY_MAX_CHARS);
    assert_eq!(decision.summary.chars().count(), SUMMARY_MAX_CHARS);
    assert!(decision.summary.ends_with('…'));
}
