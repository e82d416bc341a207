//! Each generated policy alone, then the roles of a case held together, against the reference.

use crate::completions::{check_completions, expected_truth};
use crate::generator::{asks_a_wildcard, case, describe, Case, Rng};
use crate::{env_number, reference};
use tokengate::{
    evaluate, CompiledPolicy, DecisionEffect, PolicyOutcome, PolicySet, PolicySource, Resource,
    RoleAttributes, Statement,
};

/// Tallies, so that a run can show that the interesting outcomes happen.
#[derive(Default, Debug)]
struct Tally {
    allowed: u64,
    denied: u64,
    no_match: u64,
    unknown: u64,
    set_allowed: u64,
    set_unknown: u64,
    /// Refused by the view rule alone: the roles allowed the action but not `viewProject`.
    view_rule_refusals: u64,
    completions: u64,
    /// Questions with `*` in them, refused.
    wildcards_refused: u64,
}

fn expected_effect(
    roles: &[(Vec<Statement>, RoleAttributes)],
    action: &str,
    resource: &str,
) -> DecisionEffect {
    if reference::set_allows(roles, action, resource) == Some(true) {
        DecisionEffect::Allow
    } else {
        reference::refusal_effect(roles, action, resource)
    }
}

fn compare(case: &Case, tally: &mut Tally) {
    if asks_a_wildcard(case) {
        // Refused, never answered: a wildcard read as a name once allowed what no one asked about.
        let (statements, attrs) = &case.roles[0];
        let refused =
            evaluate(statements, &case.action, &case.resource, attrs).expect_err(&format!(
                "a question with a wildcard was answered\n{}",
                describe(case)
            ));
        assert!(
            ["invalid_action", "invalid_resource"].contains(&refused.code()),
            "{refused}\n{}",
            describe(case)
        );
        assert!(Resource::parse(&case.resource).is_err() || case.action.contains('*'));
        tally.wildcards_refused += 1;
        return;
    }
    let resource = Resource::parse(&case.resource).unwrap_or_else(|err| {
        panic!(
            "a valid generated resource was rejected: {err}\n{}",
            describe(case)
        )
    });
    let mut compiled = Vec::new();
    for (statements, attrs) in &case.roles {
        let policy = CompiledPolicy::compile(PolicySource::inline(), statements, attrs)
            .unwrap_or_else(|err| {
                panic!(
                    "a valid generated policy was rejected: {err}\n{}",
                    describe(case)
                )
            });
        let expected = reference::outcome(statements, &case.action, &case.resource, attrs);
        let got = policy.outcome(&case.action, &resource);
        if got != expected {
            panic!(
                "DISAGREEMENT: engine {got:?}, reference {expected:?}\n{}",
                describe(case)
            );
        }
        // `evaluate` is one holder with one role: the view rule applies within it.
        let alone = [(statements.clone(), attrs.clone())];
        let decision = evaluate(statements, &case.action, &case.resource, attrs)
            .unwrap_or_else(|err| panic!("evaluate failed: {err}\n{}", describe(case)));
        let answer = reference::set_allows(&alone, &case.action, &case.resource);
        assert_eq!(
            (decision.allowed, decision.indeterminate, decision.effect),
            (
                answer == Some(true),
                answer.is_none(),
                expected_effect(&alone, &case.action, &case.resource)
            ),
            "DISAGREEMENT in evaluate\n{}",
            describe(case)
        );
        assert_eq!(
            decision.indeterminate,
            !decision.missing_facts.is_empty(),
            "an indeterminate answer names what is missing, and only then\n{}",
            describe(case)
        );
        match expected {
            PolicyOutcome::Allowed => tally.allowed += 1,
            PolicyOutcome::Denied => tally.denied += 1,
            PolicyOutcome::NoMatch => tally.no_match += 1,
            PolicyOutcome::Unknown => tally.unknown += 1,
        }
        compiled.push(policy);
    }
    // "Across several roles held at once: permissions are cumulative, the more permissive wins; a deny in one
    // role does not cancel an allow in another."; then the view rule over the roles taken together.
    let set = PolicySet::new(compiled);
    let answer = reference::set_allows(&case.roles, &case.action, &case.resource);
    let truth = set.truth(&case.action, &resource);
    let decision = set.decide(&case.action, &resource);
    let effect = expected_effect(&case.roles, &case.action, &case.resource);
    if truth != expected_truth(answer)
        || set.is_allowed(&case.action, &resource) != (answer == Some(true))
        || decision.allowed != (answer == Some(true))
        || decision.indeterminate != answer.is_none()
        || decision.effect != effect
        || set.refusal_effect(&case.action, &resource)
            != reference::refusal_effect(&case.roles, &case.action, &case.resource)
    {
        panic!(
            "DISAGREEMENT across roles: engine truth {truth:?}, decide {:?} (indeterminate {}); reference {answer:?} {effect:?}\n{}",
            decision.effect,
            decision.indeterminate,
            describe(case)
        );
    }
    if decision.view_required.is_some() {
        tally.view_rule_refusals += 1;
    }
    tally.set_allowed += u64::from(answer == Some(true));
    tally.set_unknown += u64::from(answer.is_none());
    tally.completions += check_completions(case, truth);
}

// A plain function in the wasm build: `tests/wasm_differential.rs` runs it as a wasm-bindgen test.
#[cfg_attr(not(target_arch = "wasm32"), test)]
pub fn engine_agrees_with_the_naive_reading_of_the_spec() {
    let cases = env_number("DIFF_CASES", 10_000);
    let seed = env_number("DIFF_SEED", 0x7065_726d_6974);
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    for _ in 0..cases {
        compare(&case(&mut rng), &mut tally);
    }
    eprintln!("differential: {cases} cases (seed {seed}) agree; {tally:?}");
    // The generator must actually exercise every outcome, or agreement means little.
    let policies = tally.allowed + tally.denied + tally.no_match + tally.unknown;
    // Unknown outcomes need a statement that applies but for a fact the resource leaves out: rarer by nature.
    for (what, count, share) in [
        ("allowed", tally.allowed, 25),
        ("denied", tally.denied, 25),
        ("no match", tally.no_match, 25),
        ("unknown", tally.unknown, 100),
    ] {
        assert!(
            count * share >= policies,
            "only {count} of {policies} policy outcomes were {what}: the generator is too narrow"
        );
    }
    assert!(
        tally.view_rule_refusals * 200 >= cases && tally.set_unknown * 100 >= cases,
        "the view rule and unknown answers must be exercised: {tally:?}"
    );
}
