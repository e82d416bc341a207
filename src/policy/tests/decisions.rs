//! Decisions and their explanations: the statements and roles named, the reason, LaunchDarkly's
//! access shape, `evaluate` and compile errors.

use super::*;
use crate::model::Effect;

#[test]
fn decision_names_the_allowing_statement_and_role() {
    let managers = role(
        "token-managers",
        "Token managers",
        vec![
            Statement::allow(["member/*:token/*"], PERSONAL_TOKEN_ACTIONS.iter().copied()),
            Statement::allow(["service-token/*"], SERVICE_TOKEN_ACTIONS.iter().copied()),
        ],
    );
    let p = CompiledPolicy::compile(
        PolicySource::custom_role(&managers),
        &managers.policy,
        &RoleAttributes::new(),
    )
    .unwrap();
    let decision = PolicySet::new(vec![p]).decide("deleteAccessToken", &res("member/m1:token/t1"));
    assert!(decision.allowed);
    assert_eq!(
        decision.reason,
        "allowed by statement 0 of custom role \"Token managers\" (token-managers)"
    );
    assert_eq!(decision.matched.len(), 1);
    let m = &decision.matched[0];
    assert_eq!(m.statement, 0);
    assert_eq!(m.effect, Effect::Allow);
    assert_eq!(
        m.role,
        Some(RoleRef {
            key: "token-managers".into(),
            name: "Token managers".into(),
            kind: SourceKind::CustomRole
        })
    );
    assert!(!m.overridden);

    let json = serde_json::to_value(&decision).unwrap();
    assert_eq!(json["effect"], "allow");
    assert_eq!(json["matched"][0]["role"]["kind"], "customRole");
    assert!(json.get("indeterminate").is_none());
    assert!(json.get("missingRoles").is_none());
    assert!(json.get("checks").is_none());
}

#[test]
fn decision_names_the_denying_statement_and_what_it_beat() {
    let p = policy(&[
        Statement::allow(["proj/*"], ["*"]),
        Statement::allow(["proj/*"], ["viewProject"]),
        Statement::deny(["proj/prod-*"], ["delete*"]),
    ]);
    let set = PolicySet::new(vec![p]);
    let decision = set.decide("deleteProject", &res("proj/prod-eu"));
    assert!(!decision.allowed);
    assert_eq!(decision.effect, DecisionEffect::Deny);
    assert_eq!(
        decision.reason,
        "denied by statement 2 of inline policy, which beats the allow of statement 0"
    );
    let effects: Vec<_> = decision
        .matched
        .iter()
        .map(|m| (m.statement, m.effect, m.overridden))
        .collect();
    assert_eq!(
        effects,
        [(0, Effect::Allow, true), (2, Effect::Deny, false)]
    );
    assert_eq!(serde_json::to_value(&decision).unwrap()["effect"], "deny");
}

#[test]
fn decision_for_nothing_matching() {
    let set = PolicySet::new(vec![policy(&[Statement::allow(
        ["proj/*"],
        ["viewProject"],
    )])]);
    let decision = set.decide("deleteProject", &res("proj/a"));
    assert!(!decision.allowed);
    assert_eq!(decision.effect, DecisionEffect::DefaultDeny);
    assert_eq!(decision.reason, "no statement matched: default deny");
    assert!(decision.matched.is_empty());
    assert_eq!(
        serde_json::to_value(&decision).unwrap()["effect"],
        "default-deny"
    );
    assert!(decision.to_access("deleteProject").allowed.is_empty());
    assert!(decision.to_access("deleteProject").denied.is_empty());
}

#[test]
fn several_allowing_statements_are_counted_in_the_reason() {
    let p = CompiledPolicy::compile(
        PolicySource::statements(),
        &[
            Statement::allow(["proj/*"], ["*"]),
            Statement::allow(["proj/a"], ["viewProject"]),
        ],
        &RoleAttributes::new(),
    )
    .unwrap();
    let decision = PolicySet::new(vec![p]).decide("viewProject", &res("proj/a"));
    assert_eq!(
        decision.reason,
        "allowed by statement 0 of policy (and 1 more statement)"
    );
    assert!(decision.matched.iter().all(|m| m.role.is_none()));
}

#[test]
fn base_role_and_member_cap_are_described() {
    let token = CompiledPolicy::compile(
        PolicySource::base_role(BaseRole::Writer),
        &BaseRole::Writer.token_policy(),
        &RoleAttributes::new(),
    )
    .unwrap();
    let d = PolicySet::new(vec![token]).decide("updateOn", &res("proj/a:env/b:flag/c"));
    assert_eq!(d.reason, "allowed by statement 0 of base role \"writer\"");
    let cap = CompiledPolicy::compile(
        PolicySource::member_cap(BaseRole::Reader, "m1"),
        &BaseRole::Reader.member_policy("m1"),
        &RoleAttributes::new(),
    )
    .unwrap();
    let d = PolicySet::new(vec![cap]).decide("resetAccessToken", &res("member/m1:token/t"));
    assert_eq!(
        d.reason,
        "allowed by statement 1 of the member's base role \"reader\""
    );
    assert_eq!(
        d.matched[0].role.as_ref().unwrap().kind,
        SourceKind::MemberCap
    );
}

#[test]
fn to_access_has_launchdarklys_shape() {
    let reviewers = role(
        "reviewers",
        "Reviewers",
        vec![Statement::allow(["proj/*"], ["viewProject"])],
    );
    let p = CompiledPolicy::compile(
        PolicySource::custom_role(&reviewers),
        &reviewers.policy,
        &RoleAttributes::new(),
    )
    .unwrap();
    let decision = PolicySet::new(vec![p]).decide("viewProject", &res("proj/a"));
    let access = serde_json::to_value(decision.to_access("viewProject")).unwrap();
    assert_eq!(
        access,
        json!({
            "allowed": [{
                "action": "viewProject",
                "reason": {"resources": ["proj/*"], "actions": ["viewProject"], "effect": "allow", "role_name": "Reviewers"}
            }],
            "denied": []
        })
    );

    let inline = policy(&[
        Statement::allow(["proj/*"], ["*"]),
        st(json!({"effect": "deny", "resources": ["proj/*"], "notActions": ["viewProject"]})),
    ]);
    let decision = PolicySet::new(vec![inline]).decide("deleteProject", &res("proj/a"));
    let access = serde_json::to_value(decision.to_access("deleteProject")).unwrap();
    assert_eq!(
        access,
        json!({
            "allowed": [],
            "denied": [{
                "action": "deleteProject",
                "reason": {"resources": ["proj/*"], "notActions": ["viewProject"], "effect": "deny", "role_name": "Inline policy"}
            }]
        })
    );
}

#[test]
fn is_allowed_agrees_with_decide() {
    let p = policy(&[
        Statement::allow(["proj/*"], ["*"]),
        Statement::deny(["proj/x"], ["delete*"]),
    ]);
    let set = PolicySet::new(vec![p]);
    for (action, resource) in [
        ("deleteProject", "proj/x"),
        ("deleteProject", "proj/y"),
        ("a", "env/x"),
    ] {
        let r = res(resource);
        assert_eq!(
            set.is_allowed(action, &r),
            set.decide(action, &r).allowed,
            "{action} {resource}"
        );
    }
}

#[test]
fn evaluate_compiles_and_decides() {
    let statements = [Statement::allow(["proj/*"], ["viewProject"])];
    let d = evaluate(&statements, "viewProject", "proj/a", &RoleAttributes::new()).unwrap();
    assert!(d.allowed);
    assert_eq!(d.reason, "allowed by statement 0 of policy");

    let err = evaluate(&statements, "viewProject", "proj/", &RoleAttributes::new()).unwrap_err();
    assert_eq!(err.code(), "invalid_resource");
    assert_eq!(err.diagnostics()[0].code, "missing_name");
    assert_eq!(err.diagnostics()[0].span, Some(Span::new(4, 5)));

    let bad = [st(
        json!({"effect": "allow", "resources": ["proj/a b"], "actions": []}),
    )];
    let err = evaluate(&bad, "viewProject", "proj/a", &RoleAttributes::new()).unwrap_err();
    assert_eq!(err.code(), "invalid_policy");
    let diagnostics = err.diagnostics();
    let codes: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect();
    assert_eq!(codes, [("empty_list", "/0/actions"),]);
    assert!(
        err.to_string().starts_with("policy is invalid: "),
        "{}",
        err.to_string()
    );
}

#[test]
fn compile_reports_every_error_with_paths() {
    let statements = [
        st(json!({"effect": "allow", "resources": ["proj/a b"], "actions": ["view Project"]})),
        st(
            json!({"effect": "deny", "resources": ["proj/*"], "notResources": ["x/y"], "actions": ["*"]}),
        ),
        st(json!({"effect": "deny", "resources": ["proj/*"]})),
    ];
    let err = CompiledPolicy::compile(PolicySource::inline(), &statements, &RoleAttributes::new())
        .unwrap_err();
    let diagnostics = err.diagnostics();
    let found: Vec<_> = diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str(), d.span))
        .collect();
    assert_eq!(
        found,
        [
            ("bad_character", "/0/resources/0", Some(Span::new(6, 7))),
            ("bad_action", "/0/actions/0", Some(Span::new(4, 5))),
            ("conflicting_resources", "/1", None),
            ("missing_actions", "/2", None),
        ]
    );
    assert!(
        err.to_string().contains("(and 3 more problems)"),
        "{}",
        err.to_string()
    );
}
