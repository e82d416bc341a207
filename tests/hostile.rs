//! Hostile input to the core crate, natively: sizes and shapes built to be slow or to exhaust the stack.
//! The same inputs reach the core through the WebAssembly boundary (see
//! `tests/hostile-js/hostile.test.mjs`), so each bound here is a bound for JavaScript callers too.
//!
//! Tests marked `#[ignore]` record open problems, with the reason; `scripts/test-hardening.sh` runs them
//! (`--include-ignored`), so they fail there until fixed.

use std::time::{Duration, Instant};
use tokengate::{
    audit_tokens, AccessTokenPost, PatchOperation, Principal, AUDIT_WORK_BUDGET,
    COMPARISON_WORK_BUDGET,
};
use tokengate::{
    compare_policies, evaluate, parse_resource, validate_policy, validate_statements, Resource,
};
use tokengate::{decode_body, HttpResponse, SerdeJson};
use tokengate::{CustomRole, Member, PatchRequest, RoleAttributes, Statement, Token, Tokens};

/// Error messages quote input for context; they must not echo megabytes of it.
const MAX_MESSAGE: usize = 4096;

/// `n` statements on `n` projects' environments, and one that lets the holder view every project (acting on
/// anything in a project needs `viewProject` on it).
fn many_statements(n: usize) -> Vec<Statement> {
    std::iter::once(Statement::allow(["proj/*"], ["viewProject"]))
        .chain((0..n).map(|i| {
            let resources = [format!("proj/p{i}:env/*")];
            let actions = [format!("update{i}")];
            if i % 7 == 0 {
                Statement::deny(resources, actions)
            } else {
                Statement::allow(resources, actions)
            }
        }))
        .collect()
}

fn within<T>(limit: Duration, what: &str, f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let value = f();
    let elapsed = started.elapsed();
    assert!(
        elapsed <= limit,
        "{what} took {elapsed:?} (bound {limit:?})"
    );
    value
}

#[test]
fn deeply_nested_json_is_refused_by_the_decoder_not_the_stack() {
    let depth = 100_000;
    let deep = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let member = format!(r#"{{"_id":"m","email":"e","role":"reader","_lastSeenMetadata":{deep}}}"#);
    assert!(serde_json::from_str::<Member>(&member).is_err());
    let role = format!(r#"{{"_id":"r","key":"k","name":"n","policy":[],"_access":{deep}}}"#);
    assert!(serde_json::from_str::<CustomRole>(&role).is_err());
    let patch = format!(r#"[{{"op":"add","path":"/name","value":{deep}}}]"#);
    assert!(serde_json::from_str::<PatchRequest>(&patch).is_err());
    let policy = format!("[{deep}]");
    assert!(serde_json::from_str::<Vec<Statement>>(&policy).is_err());
    assert!(serde_json::from_str::<serde_json::Value>(&policy).is_err());

    // Through the client's decoding: refused with a typed error, its message bounded.
    let response = HttpResponse {
        status: 200,
        body: member,
        ..HttpResponse::default()
    };
    let err = decode_body::<Member, _>(&SerdeJson, &response, "Member", 0.0).unwrap_err();
    assert_eq!(err.code, "unexpected_response");
    assert!(err.message.len() <= MAX_MESSAGE);
    // Depth in a part the model ignores (a link's unknown member) is skipped without recursion: accepted.
    let response = HttpResponse {
        status: 200,
        body: format!(r#"{{"items":[],"_links":{{"self":{deep}}}}}"#),
        ..HttpResponse::default()
    };
    assert!(decode_body::<Tokens, _>(&SerdeJson, &response, "Tokens", 0.0).is_ok());
}

#[test]
fn a_hundred_thousand_statements_evaluate_quickly() {
    let statements = many_statements(100_000);
    let decision = within(Duration::from_secs(20), "evaluate 100k", || {
        evaluate(
            &statements,
            "update99999",
            "proj/p99999:env/x",
            &RoleAttributes::new(),
        )
        .unwrap()
    });
    assert!(decision.allowed);
    let denied = evaluate(
        &statements,
        "update7",
        "proj/p7:env/x",
        &RoleAttributes::new(),
    )
    .unwrap();
    assert!(!denied.allowed, "statement 7 is a deny");
}

#[test]
fn comparing_a_hundred_thousand_statements_ends_quickly() {
    // As a create's escalation guard does with a huge inline policy: an answer or `comparison_too_large`, fast.
    let statements = many_statements(100_000);
    let answer = within(Duration::from_secs(20), "compare 100k", || {
        compare_policies(&statements, &statements[..10], &RoleAttributes::new(), 3)
    });
    match answer {
        Ok(comparison) => assert!(comparison.granted.is_empty()),
        Err(error) => assert_eq!(error.code(), "comparison_too_large"),
    }
}

#[test]
fn pathological_specifiers_are_linear() {
    within(Duration::from_secs(10), "pathological specifiers", || {
        let deep: Vec<String> = (0..50_000).map(|i| format!("t{i}/n")).collect();
        assert_eq!(parse_resource(&deep.join(":")).unwrap().len(), 50_000);
        assert!(Resource::parse(&deep.join(":")).is_ok());
        assert!(parse_resource(&format!("proj/a{}", ":".repeat(100_000))).is_err());
        let stars = "*a".repeat(5_000);
        let statements = [Statement::allow([format!("proj/{stars}b")], ["*"])];
        let text = format!("proj/{}", "a".repeat(20_000));
        let decision = evaluate(&statements, "x", &text, &RoleAttributes::new()).unwrap();
        assert!(!decision.allowed);
    });
}

#[test]
fn role_attribute_expansion_is_bounded() {
    let mut attrs = RoleAttributes::new();
    attrs.insert("a".into(), (0..1000).map(|i| format!("a{i}")).collect());
    attrs.insert("b".into(), (0..100).map(|i| format!("b{i}")).collect());
    let statements = [Statement::allow(
        ["proj/${roleAttribute/a}${roleAttribute/b}"],
        ["*"],
    )];
    let result = within(Duration::from_secs(5), "expansion", || {
        evaluate(&statements, "x", "proj/a1b1", &attrs)
    });
    assert_eq!(result.unwrap_err().code(), "invalid_policy");
}

#[test]
fn validation_scales_to_large_policies() {
    // A pairwise linter took seconds on 4,000 statements in a debug build; the indexed one needs milliseconds.
    let statements = many_statements(4_000);
    let json = serde_json::to_value(&statements).unwrap();
    within(Duration::from_secs(1), "validate_policy 4k", || {
        validate_policy(&json)
    });
    within(Duration::from_secs(1), "validate_statements 4k", || {
        validate_statements(&statements)
    });
}

#[test]
fn specifier_errors_do_not_echo_huge_input() {
    let huge = "p".repeat(1 << 20);
    for spec in [huge.clone(), format!("proj/{huge} x"), format!("{huge}:")] {
        let err = parse_resource(&spec).unwrap_err();
        assert!(
            err.message.len() <= MAX_MESSAGE,
            "{}: message of {} bytes",
            err.code,
            err.message.len()
        );
    }
    let err = Resource::parse(&huge).unwrap_err();
    assert!(err.message.len() <= MAX_MESSAGE);
}

#[test]
fn a_token_with_a_huge_inline_policy_decodes_and_checks() {
    let token = serde_json::json!({
        "_id": "t", "ownerId": "m", "memberId": "m", "creationDate": 1, "lastModified": 1,
        "inlineRole": many_statements(20_000),
    });
    let token: Token = serde_json::from_value(token).unwrap();
    let principal = within(Duration::from_secs(20), "Principal::new", || {
        tokengate::Principal::new(&token, None, &[])
    });
    // The creator is unknown, so what the token's own policy allows cannot be confirmed...
    let allowed_by_own = principal.can("update5", "proj/p5:env/x").unwrap();
    assert!(!allowed_by_own.allowed && allowed_by_own.indeterminate);
    // ...while what it denies is denied for certain.
    let denied_by_own = principal.can("update7", "proj/p7:env/x").unwrap();
    assert!(!denied_by_own.allowed && !denied_by_own.indeterminate);
}

#[test]
fn comparing_two_large_policies_answers_or_refuses_within_bounds() {
    // 2,000 distinct projects and actions on each side: millions of pairs of large policies. The work budget
    // weighs each pair by the statements evaluated, so this ends in `comparison_too_large` rather than running
    // for seconds; a comparison that does fit is also an answer.
    let before = many_statements(2_000);
    let after = many_statements(1_999);
    let attrs = RoleAttributes::new();
    let result = within(Duration::from_secs(20), "compare 2k", || {
        tokengate::compare_policies(&before, &after, &attrs, 10)
    });
    match result {
        Ok(comparison) => assert!(!comparison.is_equivalent()),
        Err(err) => assert_eq!(err.code(), "comparison_too_large", "{err}"),
    }
}

/// Four statements, 805 bytes of JSON: allow and deny on project names of 64 stars between `a`s, between `b`s,
/// 63 between `a`s and 64 before `ab`s. `evaluate` answers at once; a comparison's walk over the names reads
/// hundreds of live automaton positions a step, and used to take seconds in the WebAssembly module.
fn stars_policy() -> Vec<Statement> {
    let name = |piece: &str, n: usize| format!("proj/{}*", piece.repeat(n));
    vec![
        Statement::allow([name("*a", 64)], ["*"]),
        Statement::deny([name("*b", 64)], ["*"]),
        Statement::allow([name("*a", 63)], ["*"]),
        Statement::deny([name("*ab", 64)], ["*"]),
    ]
}

/// The refusal every analysis of the stars policy must end in: the comparison's work budget, at the walk
/// over the project names. The budget is the work bound: no analysis spends more than it before answering.
fn assert_refused_by_the_budget(error: &tokengate::PolicyError, what: &str) {
    assert_eq!(error.code(), "comparison_too_large", "{what}: {error}");
    match error {
        tokengate::PolicyError::ComparisonTooLarge { stage, budget } => {
            assert_eq!(*budget, COMPARISON_WORK_BUDGET, "{what}");
            assert_eq!(stage, "segments at position 1", "{what}");
        }
        other => panic!("{what}: {other}"),
    }
}

fn stars_token(id: &str) -> Token {
    serde_json::from_value(serde_json::json!({
        "_id": id, "ownerId": "m", "memberId": "m", "creationDate": 1, "lastModified": 1,
        "inlineRole": stars_policy(),
    }))
    .unwrap()
}

#[test]
fn globs_of_many_stars_are_refused_by_every_analysis_within_its_budget() {
    let policy = stars_policy();
    assert_eq!(serde_json::to_string(&policy).unwrap().len(), 805);
    let attrs = RoleAttributes::new();
    let decision = evaluate(&policy, "x", &format!("proj/{}", "a".repeat(200)), &attrs).unwrap();
    assert!(decision.allowed);

    // comparePolicies.
    let error = compare_policies(&policy, &[], &attrs, 10).unwrap_err();
    assert_refused_by_the_budget(&error, "compare_policies");

    // Principal.compare and lockout: an admin's admin token, and the same token holding the stars policy.
    let member: Member = serde_json::from_value(
        serde_json::json!({"_id": "m", "email": "m@example.com", "role": "admin"}),
    )
    .unwrap();
    let admin: Token = serde_json::from_value(serde_json::json!({
        "_id": "t", "ownerId": "m", "memberId": "m", "creationDate": 1, "lastModified": 1, "role": "admin",
    }))
    .unwrap();
    let caller = Principal::new(&admin, Some(&member), &[]);
    let stars = Principal::new(&stars_token("t"), Some(&member), &[]);
    assert_refused_by_the_budget(&caller.compare(&stars, 10).unwrap_err(), "compare");
    assert_refused_by_the_budget(&caller.lockout(&stars, 10).unwrap_err(), "lockout");

    // checkPatch: the caller gives itself the stars policy (preview, lockout and escalation guards).
    let ops: Vec<PatchOperation> = serde_json::from_value(serde_json::json!([
        {"op": "remove", "path": "/role"},
        {"op": "add", "path": "/inlineRole", "value": policy},
    ]))
    .unwrap();
    let report = caller
        .patch_report(&admin, &ops, &[], 10)
        .expect("the patch applies");
    assert_refused_by_the_budget(&report.preview.unwrap_err(), "patch preview");
    assert_refused_by_the_budget(&report.guards.unwrap_err(), "patch guards");

    // checkCreate: a token asking for the stars policy.
    let body = AccessTokenPost {
        inline_role: Some(policy.clone()),
        ..AccessTokenPost::default()
    };
    let report = caller.create_report(&body, &[], 10);
    assert_refused_by_the_budget(&report.preview.unwrap_err(), "create preview");
    assert_refused_by_the_budget(&report.guards.unwrap_err(), "create guards");

    // auditTokens: a thousand tokens holding it are one comparison, refused and named on each token.
    let tokens: Vec<Token> = (0..1_000).map(|i| stars_token(&format!("t{i}"))).collect();
    let audits = audit_tokens(&tokens, &[member], &[], &[], 0, 10);
    assert!(audits.iter().all(|audit| audit.beyond_creator.is_none()
        && audit.unchecked_code == Some("comparison_too_large")));

    // validatePolicy names each glob.
    let warnings = validate_policy(&serde_json::to_value(&policy).unwrap());
    let costly = warnings.iter().filter(|d| d.code == "costly_glob").count();
    assert_eq!(costly, 4, "{warnings:?}");
}

#[test]
fn an_audit_of_many_distinct_hostile_tokens_stops_at_its_budget() {
    // Twelve tokens with distinct stars policies: each comparison would be refused at its own budget; the
    // audit's budget holds eight of them, and the rest are named as not reached.
    let member: Member = serde_json::from_value(
        serde_json::json!({"_id": "m", "email": "m@example.com", "role": "admin"}),
    )
    .unwrap();
    let tokens: Vec<Token> = (0..12)
        .map(|i| {
            let mut token = stars_token(&format!("t{i}"));
            let mut policy = stars_policy();
            policy.push(Statement::allow([format!("proj/p{i}")], ["viewProject"]));
            token.inline_role = Some(policy);
            token
        })
        .collect();
    let audits = audit_tokens(&tokens, &[member], &[], &[], 0, 10);
    let refused = AUDIT_WORK_BUDGET / COMPARISON_WORK_BUDGET;
    for (i, audit) in audits.iter().enumerate() {
        let expected = if (i as u64) < refused {
            "comparison_too_large"
        } else {
            "audit_too_large"
        };
        assert_eq!(
            audit.unchecked_code,
            Some(expected),
            "token {i}: {:?}",
            audit.unchecked
        );
    }
}
