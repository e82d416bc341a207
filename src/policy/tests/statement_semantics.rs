//! What one policy allows: actions, resources, their negations and globs, deny over allow, the
//! default deny, tags and role attributes.

use super::*;

#[test]
fn allow_matches_action_and_resource() {
    let p = policy(&[Statement::allow(
        ["proj/*:env/production:flag/*"],
        ["updateOn"],
    )]);
    assert_eq!(
        p.outcome("updateOn", &res("proj/a:env/production:flag/f")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("updateOn", &res("proj/a:env/staging:flag/f")),
        PolicyOutcome::NoMatch
    );
    assert_eq!(
        p.outcome("deleteFlag", &res("proj/a:env/production:flag/f")),
        PolicyOutcome::NoMatch
    );
}

#[test]
fn action_globs() {
    let p = policy(&[Statement::allow(["proj/*"], ["update*"])]);
    assert_eq!(
        p.outcome("updateName", &res("proj/a")),
        PolicyOutcome::Allowed
    );
    assert_eq!(p.outcome("update", &res("proj/a")), PolicyOutcome::Allowed);
    assert_eq!(
        p.outcome("deleteProject", &res("proj/a")),
        PolicyOutcome::NoMatch
    );
    assert_eq!(
        p.outcome("UpdateName", &res("proj/a")),
        PolicyOutcome::NoMatch,
        "case-sensitive"
    );
    let all = policy(&[Statement::allow(["proj/*"], ["*"])]);
    assert_eq!(
        all.outcome("anything", &res("proj/a")),
        PolicyOutcome::Allowed
    );
}

#[test]
fn not_actions_match_what_no_entry_matches() {
    let p = policy(&[st(
        json!({"effect": "allow", "resources": ["proj/*"], "notActions": ["delete*", "createProject"]}),
    )]);
    assert_eq!(
        p.outcome("updateName", &res("proj/a")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("deleteProject", &res("proj/a")),
        PolicyOutcome::NoMatch
    );
    assert_eq!(
        p.outcome("createProject", &res("proj/a")),
        PolicyOutcome::NoMatch
    );
    assert_eq!(
        p.outcome("updateName", &res("proj/a:env/b")),
        PolicyOutcome::NoMatch
    );
}

#[test]
fn not_resources_match_any_type_and_depth_none_of_the_entries_match() {
    let p = policy(&[st(
        json!({"effect": "allow", "notResources": ["proj/secret", "proj/*:env/production"], "actions": ["*"]}),
    )]);
    assert_eq!(p.outcome("x", &res("proj/public")), PolicyOutcome::Allowed);
    assert_eq!(p.outcome("x", &res("proj/secret")), PolicyOutcome::NoMatch);
    assert_eq!(
        p.outcome("x", &res("proj/a:env/production")),
        PolicyOutcome::NoMatch
    );
    assert_eq!(
        p.outcome("x", &res("proj/a:env/staging")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("x", &res("proj/secret:env/staging:flag/f")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("x", &res("member/m:token/t")),
        PolicyOutcome::Allowed
    );
    assert_eq!(p.outcome("x", &res("acct")), PolicyOutcome::Allowed);
}

#[test]
fn deny_beats_allow_within_a_policy_in_any_order() {
    let allow = Statement::allow(["proj/*:env/*:flag/*"], ["*"]);
    let deny = Statement::deny(["proj/*:env/production:flag/*"], ["deleteFlag"]);
    for statements in [
        vec![allow.clone(), deny.clone()],
        vec![deny.clone(), allow.clone()],
    ] {
        let p = policy(&statements);
        assert_eq!(
            p.outcome("deleteFlag", &res("proj/a:env/production:flag/f")),
            PolicyOutcome::Denied
        );
        assert_eq!(
            p.outcome("updateOn", &res("proj/a:env/production:flag/f")),
            PolicyOutcome::Allowed
        );
        assert_eq!(
            p.outcome("deleteFlag", &res("proj/a:env/test:flag/f")),
            PolicyOutcome::Allowed
        );
    }
}

#[test]
fn default_deny() {
    let p = policy(&[]);
    assert_eq!(
        p.outcome("viewProject", &res("proj/a")),
        PolicyOutcome::NoMatch
    );
    assert!(!PolicySet::new(vec![p]).is_allowed("viewProject", &res("proj/a")));
    assert!(!PolicySet::default().is_allowed("viewProject", &res("proj/a")));
}

#[test]
fn tags_are_and_on_resources_being_checked() {
    let p = policy(&[Statement::allow(["proj/*;beta,ios:env/*"], ["*"])]);
    assert_eq!(
        p.outcome("x", &res("proj/mobile;beta,ios:env/production")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("x", &res("proj/mobile;beta:env/production")),
        PolicyOutcome::NoMatch
    );
}

#[test]
fn role_attributes_expand_and_missing_ones_match_nothing() {
    let statements = [Statement::allow(
        ["proj/${roleAttribute/projects}:env/*"],
        ["*"],
    )];
    let mut attrs = RoleAttributes::new();
    attrs.insert("projects".into(), vec!["web".into(), "api".into()]);
    let p = CompiledPolicy::compile(PolicySource::statements(), &statements, &attrs).unwrap();
    assert_eq!(
        p.outcome("x", &res("proj/web:env/prod")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("x", &res("proj/api:env/prod")),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        p.outcome("x", &res("proj/ios:env/prod")),
        PolicyOutcome::NoMatch
    );
    let without = CompiledPolicy::compile(
        PolicySource::statements(),
        &statements,
        &RoleAttributes::new(),
    )
    .unwrap();
    assert_eq!(
        without.outcome("x", &res("proj/web:env/prod")),
        PolicyOutcome::NoMatch
    );
    // The statements are kept as written, before expansion.
    assert_eq!(without.statements(), &statements);
}
