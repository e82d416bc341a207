//! Validation and lint of raw policies: structural errors, specifier spans, warnings, unreachable denies,
//! action specifiers and the lists of known actions and resource types.

use super::*;

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

#[test]
fn globs_with_many_stars_are_costly_to_compare() {
    let name = format!("{}x", "*a".repeat(9));
    let found = validate_policy(&json!([
        {"effect": "allow", "resources": [format!("proj/{name}:env/*;*t*t*")], "actions": ["*"]},
        {"effect": "allow", "resources": ["proj/*:env/*:flag/*;{critical:*1*2*3*4*5*6*7*8*9}"], "actions": ["*"]},
        {"effect": "allow", "resources": ["proj/*:env/*:flag/*;view:**v*v*v*v*v*v*v*v*"], "actions": ["update*"]},
        {"effect": "deny", "resources": ["proj/web"], "actions": ["u*p*d*a*t*e*O*n*x*"]},
        // Eight stars, runs of them counted once: no warning.
        {"effect": "allow", "resources": ["proj/*a**b***c*d*e*f*g*"], "actions": ["*"]},
    ]));
    let costly: Vec<_> = found.iter().filter(|d| d.code == "costly_glob").collect();
    let at: Vec<(&str, Option<Span>)> = costly.iter().map(|d| (d.path.as_str(), d.span)).collect();
    assert_eq!(
        at,
        [
            ("/0/resources/0", Some(Span::new(5, 24))),
            ("/1/resources/0", Some(Span::new(30, 48))),
            ("/2/resources/0", Some(Span::new(25, 43))),
            ("/3/actions/0", Some(Span::new(0, 18))),
        ],
        "{found:?}"
    );
    assert!(costly.iter().all(|d| d.severity == Severity::Warning));
    assert!(
        costly[0].message.contains("holds 9 `*`"),
        "{}",
        costly[0].message
    );
}
