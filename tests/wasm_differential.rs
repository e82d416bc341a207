//! The differential check of the policy engine (`tests/differential/`) through the wasm build, in Node, Chrome and
//! Firefox: its modules compiled to WebAssembly (the generator is seeded, so the cases are the native run's own),
//! on a bounded slice of cases, and the same generated policies through the JavaScript binding (`evaluate`,
//! `Principal.fromToken` with `can`), each answer against the naive reference. No emulator needed.
#![cfg(target_arch = "wasm32")]

mod support;

// The native suite's modules, not copies: a case that disagrees here disagrees there, with the same description.
#[allow(dead_code)]
#[path = "differential/base_roles.rs"]
mod base_roles;
#[allow(dead_code)]
#[path = "differential/completions.rs"]
mod completions;
#[allow(dead_code)]
#[path = "differential/generator.rs"]
mod generator;
#[allow(dead_code)]
#[path = "differential/policies.rs"]
mod policies;
#[allow(dead_code)]
#[path = "differential/principals.rs"]
mod principals;
#[allow(dead_code)]
#[path = "differential/reference.rs"]
mod reference;
#[allow(dead_code)]
#[path = "differential/spec_examples.rs"]
mod spec_examples;

use generator::{asks_a_wildcard, case, describe, Rng};
use serde_json::json;
use support::wasm::*;
use tokengate::wasm::{evaluate, JsPrincipal};
use tokengate::{RoleAttributes, Statement};
use wasm_bindgen_test::*;

/// Cases of the slice (and a quarter of it for principals, as natively). The debug wasm build is tens of times slower
/// than native, and a browser gives a suite a bounded time; the native run (`cargo test --test differential`, 10,000
/// cases) is the wide one. The slice is the native run's first 600 cases: enough that the suites' own checks that
/// every outcome (the view rule's refusals, unknown answers...) is exercised still hold.
const CASES: u64 = 600;
/// Cases the binding is asked about: each role of each case through `evaluate`, the first as a token's policy.
const BINDING_CASES: u64 = 300;
/// The native suite's default seed, so that the slice is the first cases of the native run.
const SEED: u64 = 0x7065_726d_6974;

/// The differential modules read their case count and seed here (the native suite reads the environment, which
/// a browser does not have).
fn env_number(name: &str, default: u64) -> u64 {
    match name {
        "DIFF_CASES" => CASES,
        _ => default,
    }
}

#[wasm_bindgen_test]
fn the_reference_reads_the_spec_examples_right() {
    spec_examples::the_reference_itself_reads_the_spec_examples_right();
}

#[wasm_bindgen_test]
fn base_roles_agree_with_the_table_of_the_spec() {
    base_roles::base_roles_agree_with_the_table_of_the_spec();
}

#[wasm_bindgen_test]
fn the_engine_in_wasm_agrees_with_the_reference() {
    policies::engine_agrees_with_the_naive_reading_of_the_spec();
}

#[wasm_bindgen_test]
fn principals_in_wasm_agree_with_the_reference() {
    principals::principals_with_teams_agree_with_the_naive_reading_of_the_spec();
}

/// `evaluate` as JavaScript calls it, for one generated role.
fn evaluate_in_js(
    statements: &[Statement],
    attrs: &RoleAttributes,
    action: &str,
    resource: &str,
) -> serde_json::Value {
    let options = js(&json!({ "roleAttributes": attrs }));
    json(
        &evaluate(
            js(&statements),
            action.into(),
            resource.into(),
            Some(options),
        )
        .unwrap_or_else(|error| panic!("evaluate threw {:?}", get(&error, "message").as_string())),
    )
}

#[wasm_bindgen_test]
fn the_binding_agrees_with_the_reference() {
    install_error_classes();
    let mut rng = Rng(SEED ^ 0x6a73);
    let (mut answers, mut allowed, mut refused) = (0u64, 0u64, 0u64);
    // A member that caps nothing (an admin), so that a token's answer is its own side's.
    for _ in 0..BINDING_CASES {
        let case = case(&mut rng);
        if asks_a_wildcard(&case) {
            let (statements, attrs) = &case.roles[0];
            let options = js(&json!({ "roleAttributes": attrs }));
            let error = evaluate(
                js(statements),
                case.action.as_str().into(),
                case.resource.as_str().into(),
                Some(options),
            )
            .expect_err("a question with a wildcard was answered");
            let code = get(&error, "code").as_string().unwrap_or_default();
            assert!(
                ["invalid_action", "invalid_resource"].contains(&code.as_str()),
                "{code}\n{}",
                describe(&case)
            );
            refused += 1;
            continue;
        }
        for (statements, attrs) in &case.roles {
            let expected = reference::set_allows(
                &[(statements.clone(), attrs.clone())],
                &case.action,
                &case.resource,
            );
            let got = evaluate_in_js(statements, attrs, &case.action, &case.resource);
            assert_eq!(
                (
                    got["allowed"].as_bool(),
                    got["indeterminate"].as_bool().unwrap_or(false)
                ),
                (Some(expected == Some(true)), expected.is_none()),
                "DISAGREEMENT in evaluate through the binding (attributes {attrs:?})\n{}",
                describe(&case)
            );
            answers += 1;
            allowed += u64::from(expected == Some(true));
        }
        // The first role as a token's inline policy, filled with its member's attributes.
        let (own, attrs) = &case.roles[0];
        let token = json!({
            "_id": "t1", "ownerId": "m1", "memberId": "m1", "creationDate": 1, "lastModified": 1,
            "inlineRole": own, "_links": {}
        });
        let member = json!({ "_id": "m1", "email": "m1@example.com", "role": "admin", "roleAttributes": attrs, "_links": {} });
        let principal = JsPrincipal::from_token(js(&token), Some(js(&json!({ "member": member }))))
            .unwrap_or_else(|_| panic!("fromToken threw\n{}", describe(&case)));
        let principal = with_can(principal.into());
        let got = json(
            &call(
                &principal,
                "can",
                &[case.action.as_str().into(), case.resource.as_str().into()],
            )
            .unwrap_or_else(|_| panic!("can threw\n{}", describe(&case))),
        );
        let cap = reference::MemberRoles {
            base: "admin".into(),
            id: "m1".into(),
            attrs: attrs.clone(),
            direct: Vec::new(),
            through_teams: Vec::new(),
            grants: Vec::new(),
        };
        let expected = reference::and3(
            reference::set_allows(
                &[(own.clone(), attrs.clone())],
                &case.action,
                &case.resource,
            ),
            reference::set_allows(&reference::held_roles(&cap), &case.action, &case.resource),
        );
        assert_eq!(
            (
                got["allowed"].as_bool(),
                got["indeterminate"].as_bool().unwrap_or(false)
            ),
            (Some(expected == Some(true)), expected.is_none()),
            "DISAGREEMENT in Principal.can through the binding\n{}",
            describe(&case)
        );
        answers += 1;
        allowed += u64::from(expected == Some(true));
        call(&principal, "free", &[]).unwrap();
    }
    console_log!(
        "differential through the binding: {answers} answers agree ({allowed} allowed), {refused} wildcard questions refused"
    );
    assert!(
        allowed * 20 >= answers,
        "too few allowed answers to mean much: {allowed} of {answers}"
    );
}
