//! The conformance corpus (`tests/conformance/`) through the JavaScript binding layer, in Node, Chrome and
//! Firefox: `evaluate` for policies, `Principal.fromToken` with `can` and `explain`, `see`, `checkAction` and
//! `checkCreate` for principals. Same cases, same expected answers as the native runner; no emulator needed.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::corpus::{self, Check, PolicyOutcome, Query, Situation};
use support::wasm::*;
use tokengate::wasm::{evaluate, JsPrincipal};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

/// The message of a thrown `PolicyError` (or whatever was thrown).
fn thrown(error: &JsValue) -> String {
    get(error, "message")
        .as_string()
        .unwrap_or_else(|| format!("{error:?}"))
}

fn principal_decision(
    token: &Value,
    member: Option<&Value>,
    roles: &Value,
    teams: &[Value],
    query: &Query,
) -> Result<Value, String> {
    let mut options = json!({ "roles": roles, "teams": teams });
    if let Some(member) = member {
        options["member"] = member.clone();
    }
    let principal =
        JsPrincipal::from_token(js(token), Some(js(&options))).map_err(|e| thrown(&e))?;
    let principal = with_can(principal.into());
    let decision = match query {
        Query::Can { action, resource } => {
            let args = [action.as_str().into(), resource.as_str().into()];
            let decision = call(&principal, "explain", &args);
            // `can` answers the same verdict, without the explanation.
            if let Ok(decision) = &decision {
                let full = json(decision);
                let verdict = json(&call(&principal, "can", &args).map_err(|e| thrown(&e))?);
                assert_eq!(
                    verdict,
                    json!({
                        "allowed": full["allowed"],
                        "effect": full["effect"],
                        "indeterminate": full["indeterminate"],
                    }),
                    "can and explain disagree on {action} {resource}"
                );
            }
            decision
        }
        Query::See { target } => call(&principal, "see", &[js(target)]),
        Query::Action { target, action } => call(
            &principal,
            "checkAction",
            &[js(target), action.as_str().into()],
        ),
        Query::Create { body } => call(&principal, "checkCreate", &[js(body)]),
    }
    .map_err(|e| thrown(&e))?;
    Ok(json(&decision))
}

fn decide(check: &Check) -> Result<Value, String> {
    match &check.situation {
        Situation::Policy {
            policy,
            role_attributes,
            action,
            resource,
        } => evaluate(
            js(policy),
            action.as_str().into(),
            resource.as_str().into(),
            Some(js(&json!({ "roleAttributes": role_attributes }))),
        )
        .map(|d| json(&d))
        .map_err(|e| thrown(&e)),
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
            answer: Ok(corpus::verdict(
                decision["allowed"] == true,
                decision["indeterminate"] == true,
            )
            .to_owned()),
            reason: decision["reason"].as_str().unwrap_or_default().to_owned(),
        },
        Err(error) => PolicyOutcome {
            id: check.id.clone(),
            answer: Err(error),
            reason: String::new(),
        },
    }
}

#[wasm_bindgen_test]
fn decisions_agree_with_their_sources() {
    install_error_classes();
    let checks = corpus::checks();
    assert!(checks.len() >= corpus::MINIMUM_CASES - corpus::api_cases().len());
    let outcomes: Vec<PolicyOutcome> = checks.iter().map(outcome).collect();
    corpus::assert_all(&checks, &outcomes);
}
