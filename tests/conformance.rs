//! The conformance corpus (`tests/conformance/`), natively: every policy check through
//! `tokengate::evaluate`, every principal check through `tokengate::Principal`. The expected
//! answers come from LaunchDarkly's docs and public role configurations (each case cites its source), so a
//! failure names a place where tokengate and LaunchDarkly disagree.
//!
//!   cargo test --test conformance

mod support;

use serde::de::DeserializeOwned;
use serde_json::Value;
use std::collections::BTreeSet;
use support::corpus::{self, Check, PolicyOutcome, Query, Situation};
use tokengate::Principal;
use tokengate::{evaluate, Decision};
use tokengate::{AccessTokenPost, CustomRole, Member, RoleAttributes, Statement, Token};

fn decode<T: DeserializeOwned>(value: &Value, what: &str) -> Result<T, String> {
    serde_json::from_value(value.clone())
        .map_err(|e| format!("the case's {what} does not decode: {e}"))
}

/// The principal for a case. Teams are LaunchDarkly `Team` objects as the case writes them.
fn principal_with_teams(
    token: &Token,
    member: Option<&Member>,
    roles: &[CustomRole],
    teams: &[Value],
) -> Principal {
    let teams: Vec<tokengate::Team> =
        serde_json::from_value(Value::Array(teams.to_vec())).expect("LaunchDarkly Team objects");
    Principal::with_teams(token, member, roles, &teams)
}

fn principal_decision(
    token: &Value,
    member: Option<&Value>,
    roles: &Value,
    teams: &[Value],
    query: &Query,
) -> Result<Decision, String> {
    let token: Token = decode(token, "token")?;
    let member: Option<Member> = member.map(|m| decode(m, "member")).transpose()?;
    let roles: Vec<CustomRole> = decode(roles, "roles")?;
    let principal = principal_with_teams(&token, member.as_ref(), &roles, teams);
    Ok(match query {
        Query::Can { action, resource } => principal
            .can(action, resource)
            .map_err(|e| format!("{}: {e}", e.code()))?,
        Query::See { target } => principal.see(&decode(target, "target")?),
        Query::Action { target, action } => {
            principal.check_action(&decode(target, "target")?, action)
        }
        Query::Create { body } => {
            let body: AccessTokenPost = decode(body, "create body")?;
            principal.check_create(&body)
        }
    })
}

fn decide(check: &Check) -> Result<Decision, String> {
    match &check.situation {
        Situation::Policy {
            policy,
            role_attributes,
            action,
            resource,
        } => {
            let statements: Vec<Statement> = decode(policy, "policy")?;
            let attrs: RoleAttributes = decode(role_attributes, "roleAttributes")?;
            evaluate(&statements, action, resource, &attrs)
                .map_err(|e| format!("{}: {e}", e.code()))
        }
        Situation::Principal {
            token,
            member,
            roles,
            teams,
            query,
        } => principal_decision(token, member.as_ref(), roles, teams, query),
    }
}

fn outcome(check: &Check) -> PolicyOutcome {
    match decide(check) {
        Ok(decision) => PolicyOutcome {
            id: check.id.clone(),
            answer: Ok(corpus::verdict(decision.allowed, decision.indeterminate).to_owned()),
            reason: decision.reason,
        },
        Err(error) => PolicyOutcome {
            id: check.id.clone(),
            answer: Err(error),
            reason: String::new(),
        },
    }
}

#[test]
fn corpus_has_enough_distinct_cited_cases() {
    let checks = corpus::checks();
    let api = corpus::api_cases();
    let mut ids = BTreeSet::new();
    for id in checks
        .iter()
        .map(|c| c.id.clone())
        .chain(api.iter().map(|c| c["id"].as_str().unwrap().to_owned()))
    {
        assert!(ids.insert(id.clone()), "case id {id} is used twice");
    }
    assert!(
        ids.len() >= corpus::MINIMUM_CASES,
        "the corpus has {} cases, fewer than {}",
        ids.len(),
        corpus::MINIMUM_CASES
    );
    // Every answer is represented, so a runner that always says the same thing cannot pass.
    for answer in corpus::ANSWERS {
        assert!(
            checks.iter().any(|c| c.expect == answer),
            "no check expects {answer}"
        );
    }
}

#[test]
fn decisions_agree_with_their_sources() {
    let checks = corpus::checks();
    let outcomes: Vec<PolicyOutcome> = checks.iter().map(outcome).collect();
    corpus::assert_all(&checks, &outcomes);
}
