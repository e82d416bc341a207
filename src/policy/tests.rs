//! Unit tests of the engine's rules, explanations included.

use super::*;
use crate::model::{CustomRole, Effect, RoleAttributes, Statement};
use serde_json::json;

fn st(value: serde_json::Value) -> Statement {
    serde_json::from_value(value).expect("statement")
}

fn policy(statements: &[Statement]) -> CompiledPolicy {
    CompiledPolicy::compile(PolicySource::inline(), statements, &RoleAttributes::new())
        .expect("compiles")
}

fn res(spec: &str) -> Resource {
    Resource::parse(spec).expect("resource")
}

fn role(key: &str, name: &str, statements: Vec<Statement>) -> CustomRole {
    serde_json::from_value(json!({
        "_id": format!("id-{key}"), "key": key, "name": name, "policy": statements
    }))
    .expect("role")
}

// ---- statement semantics ----

#[test]
fn allow_matches_action_and_resource() {
    let p = policy(&[Statement::allow(
        ["proj/*:env/production:flag/*"],
        ["updateOn"],
    )]);
    assert_eq!(
        p.outcome("updateOn", &res("proj/a:env/production:flag/f")),
        Outcome::Allowed
    );
    assert_eq!(
        p.outcome("updateOn", &res("proj/a:env/staging:flag/f")),
        Outcome::NoMatch
    );
    assert_eq!(
        p.outcome("deleteFlag", &res("proj/a:env/production:flag/f")),
        Outcome::NoMatch
    );
}

#[test]
fn action_globs() {
    let p = policy(&[Statement::allow(["proj/*"], ["update*"])]);
    assert_eq!(p.outcome("updateName", &res("proj/a")), Outcome::Allowed);
    assert_eq!(p.outcome("update", &res("proj/a")), Outcome::Allowed);
    assert_eq!(p.outcome("deleteProject", &res("proj/a")), Outcome::NoMatch);
    assert_eq!(
        p.outcome("UpdateName", &res("proj/a")),
        Outcome::NoMatch,
        "case-sensitive"
    );
    let all = policy(&[Statement::allow(["proj/*"], ["*"])]);
    assert_eq!(all.outcome("anything", &res("proj/a")), Outcome::Allowed);
}

#[test]
fn not_actions_match_what_no_entry_matches() {
    let p = policy(&[st(
        json!({"effect": "allow", "resources": ["proj/*"], "notActions": ["delete*", "createProject"]}),
    )]);
    assert_eq!(p.outcome("updateName", &res("proj/a")), Outcome::Allowed);
    assert_eq!(p.outcome("deleteProject", &res("proj/a")), Outcome::NoMatch);
    assert_eq!(p.outcome("createProject", &res("proj/a")), Outcome::NoMatch);
    assert_eq!(
        p.outcome("updateName", &res("proj/a:env/b")),
        Outcome::NoMatch
    );
}

#[test]
fn not_resources_match_any_type_and_depth_none_of_the_entries_match() {
    let p = policy(&[st(
        json!({"effect": "allow", "notResources": ["proj/secret", "proj/*:env/production"], "actions": ["*"]}),
    )]);
    assert_eq!(p.outcome("x", &res("proj/public")), Outcome::Allowed);
    assert_eq!(p.outcome("x", &res("proj/secret")), Outcome::NoMatch);
    assert_eq!(
        p.outcome("x", &res("proj/a:env/production")),
        Outcome::NoMatch
    );
    assert_eq!(p.outcome("x", &res("proj/a:env/staging")), Outcome::Allowed);
    assert_eq!(
        p.outcome("x", &res("proj/secret:env/staging:flag/f")),
        Outcome::Allowed
    );
    assert_eq!(p.outcome("x", &res("member/m:token/t")), Outcome::Allowed);
    assert_eq!(p.outcome("x", &res("acct")), Outcome::Allowed);
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
            Outcome::Denied
        );
        assert_eq!(
            p.outcome("updateOn", &res("proj/a:env/production:flag/f")),
            Outcome::Allowed
        );
        assert_eq!(
            p.outcome("deleteFlag", &res("proj/a:env/test:flag/f")),
            Outcome::Allowed
        );
    }
}

#[test]
fn default_deny() {
    let p = policy(&[]);
    assert_eq!(p.outcome("viewProject", &res("proj/a")), Outcome::NoMatch);
    assert!(!PolicySet::new(vec![p]).is_allowed("viewProject", &res("proj/a")));
    assert!(!PolicySet::default().is_allowed("viewProject", &res("proj/a")));
}

#[test]
fn tags_are_and_on_resources_being_checked() {
    let p = policy(&[Statement::allow(["proj/*;beta,ios:env/*"], ["*"])]);
    assert_eq!(
        p.outcome("x", &res("proj/mobile;beta,ios:env/production")),
        Outcome::Allowed
    );
    assert_eq!(
        p.outcome("x", &res("proj/mobile;beta:env/production")),
        Outcome::NoMatch
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
    assert_eq!(p.outcome("x", &res("proj/web:env/prod")), Outcome::Allowed);
    assert_eq!(p.outcome("x", &res("proj/api:env/prod")), Outcome::Allowed);
    assert_eq!(p.outcome("x", &res("proj/ios:env/prod")), Outcome::NoMatch);
    let without = CompiledPolicy::compile(
        PolicySource::statements(),
        &statements,
        &RoleAttributes::new(),
    )
    .unwrap();
    assert_eq!(
        without.outcome("x", &res("proj/web:env/prod")),
        Outcome::NoMatch
    );
    // The statements are kept as written, before expansion.
    assert_eq!(without.statements(), &statements);
}

// ---- several roles ----

#[test]
fn roles_are_cumulative_and_a_deny_does_not_cancel_another_roles_allow() {
    let denier = policy(&[
        Statement::allow(["proj/*"], ["viewProject"]),
        Statement::deny(["proj/secret"], ["*"]),
    ]);
    let granter = CompiledPolicy::compile(
        PolicySource::new(SourceKind::CustomRole, "secret-keepers", "Secret keepers"),
        &[Statement::allow(["proj/secret"], ["viewProject"])],
        &RoleAttributes::new(),
    )
    .unwrap();
    let secret = res("proj/secret");
    assert!(!PolicySet::new(vec![denier.clone()]).is_allowed("viewProject", &secret));
    let set = PolicySet::new(vec![denier, granter]);
    assert!(set.is_allowed("viewProject", &secret));
    let decision = set.decide("viewProject", &secret);
    assert!(decision.allowed);
    assert_eq!(decision.effect, DecisionEffect::Allow);
    assert_eq!(
        decision.reason,
        "allowed by statement 0 of custom role \"Secret keepers\" (secret-keepers)"
    );
    // Both the overridden deny of the first role and the allow of the second are listed.
    assert_eq!(decision.matched.len(), 3);
}

// ---- decisions and explanations ----

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
    assert_eq!(err.code, "invalid_resource");
    assert_eq!(err.diagnostics[0].code, "missing_name");
    assert_eq!(err.diagnostics[0].span, Some(Span::new(4, 5)));

    let bad = [st(
        json!({"effect": "allow", "resources": ["proj/a b"], "actions": []}),
    )];
    let err = evaluate(&bad, "viewProject", "proj/a", &RoleAttributes::new()).unwrap_err();
    assert_eq!(err.code, "invalid_policy");
    let codes: Vec<_> = err
        .diagnostics
        .iter()
        .map(|d| (d.code.as_str(), d.path.as_str()))
        .collect();
    assert_eq!(codes, [("empty_list", "/0/actions"),]);
    assert!(
        err.message.starts_with("policy is invalid: "),
        "{}",
        err.message
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
    let found: Vec<_> = err
        .diagnostics
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
        err.message.contains("(and 3 more problems)"),
        "{}",
        err.message
    );
}

// ---- base roles ----

#[test]
fn base_role_parse_rank_and_names() {
    for role in [
        BaseRole::NoAccess,
        BaseRole::Reader,
        BaseRole::Writer,
        BaseRole::Admin,
        BaseRole::Owner,
    ] {
        assert_eq!(BaseRole::parse(role.as_str()), Some(role));
    }
    assert_eq!(BaseRole::parse("Admin"), None);
    assert!(BaseRole::NoAccess.rank() < BaseRole::Reader.rank());
    assert!(BaseRole::Reader.rank() < BaseRole::Writer.rank());
    assert!(BaseRole::Writer.rank() < BaseRole::Admin.rank());
    assert_eq!(BaseRole::Admin.rank(), BaseRole::Owner.rank());
}

fn allows(statements: Vec<Statement>, action: &str, resource: &str) -> bool {
    PolicySet::new(vec![policy(&statements)]).is_allowed(action, &res(resource))
}

#[test]
fn base_roles_as_a_tokens_role() {
    for admin in [BaseRole::Admin, BaseRole::Owner] {
        for (action, resource) in [
            ("deleteAccessToken", "member/other:token/t"),
            ("updateAccessTokenPolicy", "service-token/s"),
            ("createRole", "role/r"),
            ("updateOn", "proj/a:env/b:flag/c"),
            ("updateBillingContact", "acct"),
        ] {
            assert!(
                allows(admin.token_policy(), action, resource),
                "{admin} {action} {resource}"
            );
        }
    }
    let writer = || BaseRole::Writer.token_policy();
    for resource in [
        "proj/a",
        "proj/a:env/b",
        "proj/a:env/b:flag/c",
        "proj/a:env/b:segment/c",
        "proj/a:env/b:destination/c",
        "proj/a:metric/m",
    ] {
        assert!(
            allows(writer(), "anyAction", resource),
            "writer on {resource}"
        );
    }
    for resource in [
        "member/m:token/t",
        "service-token/s",
        "role/r",
        "team/t",
        "member/m",
        "acct",
    ] {
        assert!(!allows(writer(), "*", resource), "writer on {resource}");
        assert!(
            !allows(writer(), "deleteAccessToken", resource),
            "writer on {resource}"
        );
    }
    let reader = || BaseRole::Reader.token_policy();
    assert!(allows(reader(), "viewProject", "proj/a"));
    assert!(!allows(reader(), "updateName", "proj/a"));
    assert!(!allows(reader(), "viewProject", "proj/a:env/b"));
    for action in PERSONAL_TOKEN_ACTIONS {
        assert!(!allows(reader(), action, "member/m:token/t"));
    }
    assert!(BaseRole::NoAccess.token_policy().is_empty());
}

#[test]
fn base_roles_as_the_members_cap() {
    for role in [BaseRole::Reader, BaseRole::Writer] {
        for action in PERSONAL_TOKEN_ACTIONS {
            assert!(
                allows(role.member_policy("m1"), action, "member/m1:token/t"),
                "{role} {action}"
            );
            assert!(
                allows(role.member_policy("m1"), action, "member/m1:token/*"),
                "{role} create"
            );
            assert!(
                !allows(role.member_policy("m1"), action, "member/m2:token/t"),
                "{role} {action} other"
            );
            assert!(
                !allows(role.member_policy("m1"), action, "service-token/s"),
                "{role} service"
            );
        }
    }
    assert!(allows(
        BaseRole::Writer.member_policy("m1"),
        "updateOn",
        "proj/a:env/b:flag/c"
    ));
    assert!(!allows(
        BaseRole::Reader.member_policy("m1"),
        "updateOn",
        "proj/a:env/b:flag/c"
    ));
    assert!(allows(
        BaseRole::Admin.member_policy("m1"),
        "deleteAccessToken",
        "member/m2:token/t"
    ));
    assert!(allows(
        BaseRole::Owner.member_policy("m1"),
        "deleteAccessToken",
        "service-token/s"
    ));
    assert!(BaseRole::NoAccess.member_policy("m1").is_empty());
    // An id that is not a plain key must not widen the grant.
    assert_eq!(
        BaseRole::Reader.member_policy("*"),
        BaseRole::Reader.token_policy()
    );
    assert_eq!(
        BaseRole::Writer.member_policy("a:b"),
        BaseRole::Writer.token_policy()
    );
    assert!(validate_statements(&BaseRole::Writer.member_policy("m1")).is_empty());
}

#[test]
fn token_action_lists() {
    assert_eq!(PERSONAL_TOKEN_ACTIONS.len(), 6);
    assert_eq!(
        SERVICE_TOKEN_ACTIONS,
        PERSONAL_TOKEN_ACTIONS
            .iter()
            .copied()
            .filter(|a| *a != "updateAccessTokenPolicy")
            .collect::<Vec<_>>()
            .as_slice()
    );
    for action in PERSONAL_TOKEN_ACTIONS {
        assert!(KNOWN_ACTIONS.contains(action));
    }
}

#[test]
fn reader_base_permissions_of_a_custom_role() {
    let mut r = role("r", "R", vec![]);
    assert!(base_permissions_policy(&r).is_empty());
    r.base_permissions = Some("no_access".into());
    assert!(base_permissions_policy(&r).is_empty());
    r.base_permissions = Some("reader".into());
    let extra = base_permissions_policy(&r);
    assert!(allows(extra.clone(), "viewProject", "proj/a"));
    assert!(!allows(extra, "deleteAccessToken", "member/m:token/t"));
}

// ---- validation and lint ----

fn codes(value: serde_json::Value) -> Vec<(String, String, Severity)> {
    validate_policy(&value)
        .into_iter()
        .map(|d| (d.code, d.path, d.severity))
        .collect()
}

fn has(found: &[(String, String, Severity)], code: &str, path: &str, severity: Severity) -> bool {
    found
        .iter()
        .any(|(c, p, s)| c == code && p == path && *s == severity)
}

#[test]
fn a_clean_policy_has_no_diagnostics() {
    let found = codes(json!([
        {"effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["update*", "createFlag"]},
        {"effect": "deny", "resources": ["proj/*:env/production:flag/*"], "actions": ["updateOn"]},
        {"effect": "allow", "resources": ["member/*:token/*", "acct"], "notActions": ["deleteAccessToken"]},
    ]));
    assert!(found.is_empty(), "{found:?}");
}

#[test]
fn structural_errors() {
    use Severity::Error;
    assert!(has(
        &codes(json!({"effect": "allow"})),
        "not_an_array",
        "",
        Error
    ));
    let found = codes(json!([
        "allow everything",
        {"resources": ["proj/*"], "actions": ["*"]},
        {"effect": "Allow", "resources": ["proj/*"], "actions": ["*"]},
        {"effect": 1, "resources": ["proj/*"], "actions": ["*"]},
        {"effect": "allow", "resources": ["proj/*"], "notResources": ["proj/x"], "actions": ["*"]},
        {"effect": "allow", "actions": ["*"]},
        {"effect": "allow", "resources": ["proj/*"], "actions": ["*"], "notActions": ["x"]},
        {"effect": "allow", "resources": ["proj/*"]},
        {"effect": "allow", "resources": [], "actions": ["*"]},
        {"effect": "allow", "resources": "proj/*", "actions": [1]},
        {"effect": "allow", "resources": ["proj/"], "actions": ["update-on"]},
    ]));
    for (code, path) in [
        ("statement_not_object", "/0"),
        ("missing_effect", "/1"),
        ("bad_effect", "/2/effect"),
        ("wrong_type", "/3/effect"),
        ("conflicting_resources", "/4"),
        ("missing_resources", "/5"),
        ("conflicting_actions", "/6"),
        ("missing_actions", "/7"),
        ("empty_list", "/8/resources"),
        ("wrong_type", "/9/resources"),
        ("wrong_type", "/9/actions/0"),
        ("missing_name", "/10/resources/0"),
        ("bad_action", "/10/actions/0"),
    ] {
        assert!(
            has(&found, code, path, Error),
            "{code} at {path} in {found:?}"
        );
    }
    let bad_effect =
        validate_policy(&json!([{"effect": "Allow", "resources": ["proj/*"], "actions": ["*"]}]));
    assert!(
        bad_effect[0].message.contains("lowercase"),
        "{}",
        bad_effect[0].message
    );
}

#[test]
fn specifier_errors_carry_spans() {
    let found = validate_policy(&json!([
        {"effect": "allow", "resources": ["proj/*", "proj/a:env/${roleAttribute/x"], "actions": ["*"]},
    ]));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].code, "unterminated_attribute");
    assert_eq!(found[0].path, "/0/resources/1");
    assert_eq!(found[0].span, Some(Span::new(11, 28)));
    let json = serde_json::to_value(&found[0]).unwrap();
    assert_eq!(json["severity"], "error");
    assert_eq!(json["span"], json!({"start": 11, "end": 28}));
}

#[test]
fn warnings() {
    use Severity::Warning;
    let found = codes(json!([
        {"effect": "allow", "resources": ["project/*", "proj/*:enviro/*"], "actions": ["viewProjct", "zzz*"]},
        {"effect": "allow", "resources": ["proj/*"], "notActions": ["*"]},
        {"effect": "allow", "notResources": ["*"], "actions": ["viewProject"]},
        {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"], "comment": "x"},
        {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"], "comment": "x"},
        {"effect": "allow", "notResources": ["proj/${roleAttribute/p}"], "actions": ["viewProject"]},
    ]));
    for (code, path) in [
        ("unknown_resource_type", "/0/resources/0"),
        ("unknown_resource_type", "/0/resources/1"),
        ("unknown_action", "/0/actions/0"),
        ("unknown_action", "/0/actions/1"),
        ("never_matches", "/1/notActions/0"),
        ("never_matches", "/2/notResources/0"),
        ("unknown_field", "/3/comment"),
        ("duplicate_statement", "/4"),
        ("attribute_in_not_resources", "/5/notResources/0"),
    ] {
        assert!(
            has(&found, code, path, Warning),
            "{code} at {path} in {found:?}"
        );
    }
    assert!(found.iter().all(|(_, _, s)| *s == Warning), "{found:?}");
    let span = validate_policy(
        &json!([{"effect": "allow", "resources": ["proj/*:enviro/*"], "actions": ["*"]}]),
    );
    assert_eq!(span[0].span, Some(Span::new(7, 13)));
}

#[test]
fn unreachable_deny() {
    use Severity::Warning;
    // Nothing allowed at all: every deny is redundant.
    let found = codes(json!([{"effect": "deny", "resources": ["proj/*"], "actions": ["*"]}]));
    assert!(has(&found, "unreachable_deny", "/0", Warning), "{found:?}");
    // Different resources.
    let found = codes(json!([
        {"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["*"]},
        {"effect": "deny", "resources": ["proj/*"], "actions": ["*"]},
    ]));
    assert!(has(&found, "unreachable_deny", "/1", Warning), "{found:?}");
    // Different actions.
    let found = codes(json!([
        {"effect": "allow", "resources": ["proj/*"], "actions": ["update*"]},
        {"effect": "deny", "resources": ["proj/a"], "actions": ["deleteProject"]},
    ]));
    assert!(has(&found, "unreachable_deny", "/1", Warning), "{found:?}");
    // Names that cannot meet.
    let found = codes(json!([
        {"effect": "allow", "resources": ["proj/web-*"], "actions": ["*"]},
        {"effect": "deny", "resources": ["proj/api-*"], "actions": ["*"]},
    ]));
    assert!(has(&found, "unreachable_deny", "/1", Warning), "{found:?}");
    // Overlapping ones are fine, including through globs, role attributes and not-lists.
    for policy in [
        json!([
            {"effect": "allow", "resources": ["proj/*-web"], "actions": ["update*"]},
            {"effect": "deny", "resources": ["proj/shop-*"], "actions": ["*Name"]},
        ]),
        json!([
            {"effect": "allow", "resources": ["proj/${roleAttribute/p}"], "actions": ["*"]},
            {"effect": "deny", "resources": ["proj/secret"], "actions": ["*"]},
        ]),
        json!([
            {"effect": "allow", "notResources": ["proj/x"], "actions": ["*"]},
            {"effect": "deny", "resources": ["member/*"], "actions": ["*"]},
        ]),
        json!([
            {"effect": "allow", "resources": ["*"], "actions": ["*"]},
            {"effect": "deny", "resources": ["acct"], "notActions": ["viewProject"]},
        ]),
    ] {
        let found = codes(policy.clone());
        assert!(
            !found.iter().any(|(c, _, _)| c == "unreachable_deny"),
            "{policy} gave {found:?}"
        );
    }
}

#[test]
fn validate_statements_matches_validate_policy() {
    let statements = vec![
        Statement::allow(["proj/*"], ["viewProject"]),
        Statement::deny(["proj/*"], ["viewProject"]),
        Statement::allow(["proj/*"], Vec::<String>::new()),
    ];
    let typed = validate_statements(&statements);
    let raw = validate_policy(&serde_json::to_value(&statements).unwrap());
    assert_eq!(typed, raw);
    assert!(typed
        .iter()
        .any(|d| d.code == "empty_list" && d.path == "/2/actions"));
}

#[test]
fn empty_policy_warns() {
    let found = codes(json!([]));
    assert!(has(&found, "empty_policy", "", Severity::Warning));
}

#[test]
fn base_role_policies_lint_clean() {
    for role in [
        BaseRole::NoAccess,
        BaseRole::Reader,
        BaseRole::Writer,
        BaseRole::Admin,
        BaseRole::Owner,
    ] {
        let found: Vec<_> = validate_statements(&role.member_policy("5f0c0ffee0c0ffee0c0ffee0"))
            .into_iter()
            .filter(|d| d.code != "empty_policy")
            .collect();
        assert!(found.is_empty(), "{role}: {found:?}");
    }
}

#[test]
fn action_specifiers() {
    assert!(parse_action("updateOn").is_ok());
    assert!(parse_action("*").is_ok());
    assert!(parse_action("update*").is_ok());
    assert_eq!(parse_action("").unwrap_err().code, "empty_action");
    let err = parse_action("update On").unwrap_err();
    assert_eq!((err.code, err.span), ("bad_action", Span::new(6, 7)));
}

#[test]
fn known_lists_have_no_duplicates() {
    let mut actions = KNOWN_ACTIONS.to_vec();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(actions.len(), KNOWN_ACTIONS.len());
    let mut types = KNOWN_RESOURCE_TYPES.to_vec();
    types.sort_unstable();
    types.dedup();
    assert_eq!(types.len(), KNOWN_RESOURCE_TYPES.len());
}
