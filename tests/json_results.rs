//! The hand-written `ToJson` of every result the WebAssembly binding hands to JavaScript, and the `FromJson` of
//! the option types the core defines, against their serde derives: the binding moved off serde must give
//! callers the same JSON, member for member. The results come from the public API run over the conformance
//! corpus, so that the optional members (indeterminate answers, replaced base roles, view rules, checks of
//! compound operations...) are written as often as real callers meet them.
//!
//!   cargo test --test json_results

mod support;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use std::collections::BTreeSet;
use support::corpus::{self, Query, Situation};
use tokengate::json::{At, FromJson, ToJson};
use tokengate::{
    audit_tokens, compare_policies, evaluate, parse_resource, validate_policy, AccessTokenPost,
    ApiError, CheckedChange, CustomRole, Decision, ListParams, Member, PatchOperation, Principal,
    Resource, RoleAttributes, RoleListParams, Statement, Team, Token, CHECK_WITNESSES,
};

/// Requires the hand-written JSON to be serde's, and returns it.
fn same<T: Serialize + ToJson + ?Sized>(what: &str, value: &T) -> Value {
    let ours = value.to_json();
    let serde = serde_json::to_value(value).expect("serializes");
    assert_eq!(ours, serde, "{what}: ToJson differs from Serialize");
    ours
}

fn decode<T: DeserializeOwned>(value: &Value) -> T {
    serde_json::from_value(value.clone()).expect("the corpus decodes")
}

/// Every member name anywhere in `value`, so that a test can tell which optional members it exercised.
fn member_names(value: &Value, names: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, item) in map {
                names.insert(key.clone());
                member_names(item, names);
            }
        }
        Value::Array(items) => items.iter().for_each(|item| member_names(item, names)),
        _ => {}
    }
}

struct Case {
    token: Token,
    member: Option<Member>,
    roles: Vec<CustomRole>,
    teams: Vec<Team>,
    principal: Principal,
    query: Query,
}

fn principal_cases() -> Vec<Case> {
    corpus::checks()
        .into_iter()
        .filter_map(|check| match check.situation {
            Situation::Principal {
                token,
                member,
                roles,
                teams,
                query,
            } => {
                let token: Token = decode(&token);
                let member: Option<Member> = member.as_ref().map(decode);
                let roles: Vec<CustomRole> = decode(&roles);
                let teams: Vec<Team> = decode(&Value::Array(teams));
                let principal = Principal::with_teams(&token, member.as_ref(), &roles, &teams);
                Some(Case {
                    token,
                    member,
                    roles,
                    teams,
                    principal,
                    query,
                })
            }
            Situation::Policy { .. } => None,
        })
        .collect()
}

#[test]
fn decisions_of_the_corpus_are_written_as_serde_writes_them() {
    let mut names = BTreeSet::new();
    let mut errors = 0;
    for check in corpus::checks() {
        let (decision, action) = match &check.situation {
            Situation::Policy {
                policy,
                role_attributes,
                action,
                resource,
            } => {
                let statements: Vec<Statement> = decode(policy);
                let attrs: RoleAttributes = decode(role_attributes);
                match evaluate(&statements, action, resource, &attrs) {
                    Ok(decision) => (decision, action.clone()),
                    Err(error) => {
                        errors += 1;
                        same(&check.id, error.diagnostics().as_slice());
                        if let Some(span) = error.span() {
                            same(&check.id, &span);
                        }
                        continue;
                    }
                }
            }
            Situation::Principal { .. } => continue,
        };
        member_names(&same(&check.id, &decision), &mut names);
        member_names(&same(&check.id, &decision.to_access(&action)), &mut names);
    }
    for case in principal_cases() {
        let decision: Decision = match &case.query {
            Query::Can { action, resource } => match case.principal.can(action, resource) {
                Ok(decision) => {
                    member_names(&same("access", &decision.to_access(action)), &mut names);
                    // Without its roles the same question is indeterminate, naming what is missing.
                    let unsupplied =
                        Principal::with_teams(&case.token, case.member.as_ref(), &[], &[]);
                    if let Ok(without) = unsupplied.can(action, resource) {
                        member_names(&same("without roles", &without), &mut names);
                    }
                    decision
                }
                Err(_) => continue,
            },
            Query::See { target } => case.principal.see(&decode(target)),
            Query::Action { target, action } => {
                case.principal.check_action(&decode(target), action)
            }
            Query::Create { body } => case.principal.check_create(&decode(body)),
        };
        member_names(&same("principal decision", &decision), &mut names);
        if let Query::See { target } | Query::Action { target, .. } = &case.query {
            let actions = case.principal.permitted_actions(&decode(target));
            same("permitted actions", &actions);
        }
    }
    // Without these the optional members would never be written, and a ToJson that dropped them would pass.
    let absent: Vec<&str> = [
        "missingRoles",
        "missingFacts",
        "checks",
        "indeterminate",
        "overridden",
        "role",
        "statement",
        "viewRequired",
        "replacedBaseRole",
        "notResources",
        "role_name",
    ]
    .into_iter()
    .filter(|name| !names.contains(*name))
    .collect();
    assert!(
        absent.is_empty(),
        "no decision of the corpus writes {absent:?}"
    );
    // The errors a refused evaluation carries: a policy that does not compile, a resource with a wildcard.
    let statements: Vec<Statement> =
        decode(&json!([{"effect": "allow", "actions": ["*"], "resources": ["proj/{x"]}]));
    let attrs = RoleAttributes::default();
    for (statements, resource) in [(&statements, "proj/a"), (&Vec::new(), "proj/*:env/b")] {
        let Err(error) = evaluate(statements, "updateName", resource, &attrs) else {
            panic!("{resource} is refused");
        };
        errors += 1;
        member_names(&same(resource, error.diagnostics().as_slice()), &mut names);
        if let Some(span) = error.span() {
            same(resource, &span);
        }
    }
    assert!(errors >= 2);
}

#[test]
fn lint_results_are_written_as_serde_writes_them() {
    let mut documents: Vec<Value> = corpus::checks()
        .into_iter()
        .filter_map(|check| match check.situation {
            Situation::Policy { policy, .. } => Some(policy),
            Situation::Principal { .. } => None,
        })
        .collect();
    documents.extend([
        json!({}),
        json!([{"effect": "allow"}]),
        json!([{"effect": "maybe", "actions": ["*"], "resources": ["proj/{x"]}]),
        json!([{"effect": "allow", "actions": ["*"], "notActions": ["*"], "resources": ["proj/*:env/*;"]}]),
    ]);
    let mut spans = 0;
    for document in &documents {
        let diagnostics = validate_policy(document);
        spans += diagnostics.iter().filter(|d| d.span.is_some()).count();
        same("diagnostics", &diagnostics);
    }
    assert!(spans > 0, "no diagnostic with a span was written");
}

#[test]
fn resource_segments_and_specifier_errors_are_written_as_serde_writes_them() {
    let specifiers = [
        "*",
        "acct",
        "proj/mobile;beta,ios:env/production;{critical:true}:flag/new-ui;view:web,app",
        "proj/*:env/*:segment/*",
        "proj/${roleAttribute/projects}:env/*",
        "member/abc:token/def",
        "proj/",
        "proj/a:",
        "proj/{x",
        "proj/a;:env/b",
    ];
    let (mut parsed, mut refused) = (0, 0);
    for specifier in specifiers {
        match parse_resource(specifier) {
            Ok(segments) => {
                parsed += 1;
                same(specifier, &segments);
            }
            Err(error) => {
                refused += 1;
                same(specifier, &error);
                same(specifier, &error.span);
            }
        }
        if let Ok(resource) = Resource::parse(specifier) {
            same(specifier, &resource.to_segments());
        }
    }
    assert!(
        parsed > 0 && refused > 0,
        "{parsed} parsed, {refused} refused"
    );
}

#[test]
fn comparisons_are_written_as_serde_writes_them() {
    let policies: Vec<Vec<Statement>> = corpus::checks()
        .into_iter()
        .filter_map(|check| match check.situation {
            Situation::Policy { policy, .. } => serde_json::from_value(policy).ok(),
            Situation::Principal { .. } => None,
        })
        .collect();
    let attrs = RoleAttributes::default();
    let mut different = 0;
    for pair in policies.windows(2).take(40) {
        if let Ok(comparison) = compare_policies(&pair[0], &pair[1], &attrs, 3) {
            different += usize::from(!comparison.is_equivalent());
            same("comparison", &comparison);
        }
    }
    assert!(different > 0, "every compared pair was equivalent");
}

#[test]
fn change_checks_are_written_as_serde_writes_them() {
    let cases = principal_cases();
    let ops: Vec<Vec<PatchOperation>> = [
        json!([{"op": "replace", "path": "/role", "value": "reader"}]),
        json!([{"op": "replace", "path": "/role", "value": "admin"}]),
        json!([{"op": "replace", "path": "/name", "value": "renamed"}]),
        json!([{"op": "add", "path": "/inlineRole", "value": [
            {"effect": "allow", "actions": ["*"], "resources": ["proj/*"]}
        ]}]),
        json!([{"op": "remove", "path": "/customRoleIds"}]),
    ]
    .iter()
    .map(decode)
    .collect();
    let mut names = BTreeSet::new();
    for (index, case) in cases.iter().enumerate() {
        let other = &cases[(index + 1) % cases.len()];
        if let Ok(change) = case.principal.compare(&other.principal, 3) {
            member_names(&same("compare", &change), &mut names);
        }
        if let Ok(change) = case.principal.lockout(&other.principal, 3) {
            same("lockout", &change);
        }
        let target = match &case.query {
            Query::See { target } | Query::Action { target, .. } => decode(target),
            _ => case.token.clone(),
        };
        for ops in &ops {
            let decision = case
                .principal
                .check_patch_request(&target, ops, &case.roles);
            let report = case
                .principal
                .patch_report(&target, ops, &case.roles, CHECK_WITNESSES);
            let checked = match report {
                Some(report) => CheckedChange::with_report(decision, report),
                None => CheckedChange::decision(decision),
            };
            member_names(&same("patch check", &checked), &mut names);
        }
        if let Query::Create { body } = &case.query {
            let body: AccessTokenPost = decode(body);
            let decision = case.principal.check_create_request(&body, &case.roles);
            let report = case
                .principal
                .create_report(&body, &case.roles, CHECK_WITNESSES);
            member_names(
                &same(
                    "create check",
                    &CheckedChange::with_report(decision, report),
                ),
                &mut names,
            );
        }
        let creator =
            Principal::with_teams(&target, case.member.as_ref(), &case.roles, &case.teams);
        if let Ok(guards) = case.principal.reset_guards(&creator, CHECK_WITNESSES) {
            let checked = CheckedChange {
                decision: case
                    .principal
                    .check_action(&target, tokengate::RESET_ACTION),
                preview: None,
                guards: Some(guards),
            };
            member_names(&same("reset check", &checked), &mut names);
        }
    }
    for name in [
        "preview",
        "guards",
        "lockout",
        "escalation",
        "witnesses",
        "equivalent",
    ] {
        assert!(names.contains(name), "no change check writes `{name}`");
    }
}

#[test]
fn token_audits_are_written_as_serde_writes_them() {
    let cases = principal_cases();
    let tokens: Vec<Token> = cases.iter().map(|c| c.token.clone()).collect();
    let members: Vec<Member> = cases.iter().filter_map(|c| c.member.clone()).collect();
    let roles: Vec<CustomRole> = cases.iter().flat_map(|c| c.roles.clone()).collect();
    let teams: Vec<Team> = cases.iter().flat_map(|c| c.teams.clone()).collect();
    let now = 1_700_000_000_000;
    let mut names = BTreeSet::new();
    for members in [&members[..], &[]] {
        let audit = audit_tokens(&tokens, members, &roles, &teams, now, 3);
        member_names(&same("audit", &audit), &mut names);
    }
    assert!(names.contains("uncheckedCode"));
}

#[test]
fn api_errors_are_written_as_serde_writes_them() {
    same("local", &ApiError::invalid_argument("no"));
    let mut error = ApiError::network("down");
    error.status = 429;
    error.request_id = Some("req-1".to_owned());
    error.retry_after_ms = Some(1500);
    same("rate limited", &error);
}

/// serde's answer and ours for `document`: the same value, or both an error.
fn reads_alike<T>(document: &Value)
where
    T: DeserializeOwned + FromJson + PartialEq + std::fmt::Debug,
{
    let serde = serde_json::from_value::<T>(document.clone()).ok();
    let ours = T::from_json(document, At::Root).ok();
    assert_eq!(ours, serde, "{document}");
}

#[test]
fn list_queries_read_as_serde_reads_them() {
    let documents = [
        json!({}),
        json!({"showAll": null, "limit": null, "offset": null}),
        json!({"showAll": true, "limit": 5, "offset": 7}),
        json!({"showAll": false, "limit": 1000, "unknown": [1]}),
        json!({"limit": 4294967296u64}),
        json!({"limit": -1}),
        json!({"limit": 2.5}),
        json!({"showAll": "yes"}),
        json!({"offset": "7"}),
        json!(null),
        json!("options"),
    ];
    for document in &documents {
        reads_alike::<ListParams>(document);
        reads_alike::<RoleListParams>(document);
    }
    let read = ListParams::from_json(&documents[2], At::Root).unwrap();
    assert_eq!(read.limit, Some(5), "the documents are read at all");
    same("list query", &read);
    same("empty list query", &ListParams::default());
    same(
        "role list query",
        &RoleListParams {
            limit: Some(3),
            offset: None,
        },
    );
}
