use super::*;

fn statements(value: serde_json::Value) -> Vec<Statement> {
    serde_json::from_value(value).expect("statements")
}

fn compare(before: serde_json::Value, after: serde_json::Value) -> PolicyComparison {
    compare_policies(
        &statements(before),
        &statements(after),
        &RoleAttributes::new(),
        10,
    )
    .expect("comparison")
}

#[test]
fn a_policy_equals_itself() {
    let policy = serde_json::json!([
        {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]},
        {"effect": "allow", "resources": ["proj/*:env/*;{critical:true}:flag/*"], "actions": ["update*"]},
        {"effect": "deny", "resources": ["proj/*:env/prod*;beta"], "actions": ["*"]},
    ]);
    assert!(compare(policy.clone(), policy).is_equivalent());
}

#[test]
fn a_narrower_glob_revokes_with_a_witness() {
    let comparison = compare(
        serde_json::json!([{"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]),
        serde_json::json!([{"effect": "allow", "resources": ["proj/mobile-*"], "actions": ["*"]}]),
    );
    assert!(comparison.granted.is_empty(), "{comparison:?}");
    let witness = &comparison.revoked.witnesses[0];
    assert!(witness.before.allowed && !witness.after.allowed);
    assert!(!witness.resource.starts_with("proj/mobile-"));
}

#[test]
fn a_property_selector_is_told_apart() {
    let comparison = compare(
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}]),
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]},
                           {"effect": "deny", "resources": ["proj/*:env/*;{critical:true}"], "actions": ["update*"]}]),
    );
    assert!(comparison.granted.is_empty());
    assert_eq!(comparison.revoked.total, 1, "{comparison:?}");
    let witness = &comparison.revoked.witnesses[0];
    assert_eq!(witness.action, "updateOn");
    assert!(
        witness.resource.contains("{critical:t"),
        "{}",
        witness.resource
    );
}

#[test]
fn the_view_rule_is_part_of_the_comparison() {
    let comparison = compare(
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}]),
        serde_json::json!([{"effect": "allow", "resources": ["proj/*:env/*"], "actions": ["updateOn"]},
                           {"effect": "allow", "resources": ["proj/a*"], "actions": ["viewProject"]}]),
    );
    assert!(!comparison.revoked.is_empty());
    assert!(comparison
        .revoked
        .witnesses
        .iter()
        .any(|w| w.action == "updateOn" && w.after.view_required.is_some()));
}

#[test]
fn implies_reads_one_way() {
    let wide =
        statements(serde_json::json!([{"effect": "allow", "resources": ["*"], "actions": ["*"]}]));
    let narrow = statements(
        serde_json::json!([{"effect": "allow", "resources": ["acct"], "actions": ["update*"]}]),
    );
    let attrs = RoleAttributes::new();
    assert!(implies(&narrow, &wide, &attrs).unwrap());
    assert!(!implies(&wide, &narrow, &attrs).unwrap());
}

#[test]
fn past_the_budget_is_an_error() {
    let policy = statements(serde_json::json!([
        {"effect": "allow", "resources": ["proj/a*b*c*:env/x*y*:flag/*q*"], "actions": ["u*p*d*"]},
    ]));
    let error = compare_with_budget(&policy, &[], &RoleAttributes::new(), 10, 50).unwrap_err();
    assert_eq!(error.code(), "comparison_too_large");
    assert_eq!(error.diagnostics()[0].code, "comparison_too_large");
}

/// `compare_policies` with the work units it spent.
fn units(before: &[Statement], after: &[Statement]) -> Result<u64, PolicyError> {
    let old = PolicySet::new(vec![CompiledPolicy::compile(
        PolicySource::statements(),
        before,
        &RoleAttributes::new(),
    )?]);
    let new = PolicySet::new(vec![CompiledPolicy::compile(
        PolicySource::statements(),
        after,
        &RoleAttributes::new(),
    )?]);
    let mut confirm = |action: &str, resource: &str, granted: bool| {
        confirm(
            before,
            after,
            &RoleAttributes::new(),
            action,
            resource,
            granted,
        )
    };
    let compared = compare_sides(
        &old,
        &new,
        &[],
        &|_, _| true,
        10,
        COMPARISON_WORK_BUDGET,
        &mut confirm,
    )?;
    Ok(compared.work)
}

// The hostile suite's and the benchmarks' policy of many stars (805 bytes of JSON: names of 63 and 64 stars
// between letters). Each step of the walk over its names reads hundreds of live automaton positions, so it is
// the work budget, charged for them, that stops the comparison, long before the walk's bound on states.
#[path = "../../../tests/support/hostile_inputs.rs"]
#[allow(dead_code)]
mod hostile_inputs;
use hostile_inputs::stars_policy;

#[test]
fn globs_with_many_stars_reach_the_work_budget_before_the_state_bound() {
    let policy = stars_policy();
    assert_eq!(serde_json::to_string(&policy).unwrap().len(), 805);
    let error = compare_policies(&policy, &[], &RoleAttributes::new(), 10).unwrap_err();
    let PolicyError::ComparisonTooLarge { stage, budget } = &error else {
        panic!("{error:?}");
    };
    assert_eq!(*budget, COMPARISON_WORK_BUDGET);
    // The names of the projects, walked: the step that ran out, and by the work budget, not by a bound on
    // states (which would say `over 50000 automaton states`).
    assert_eq!(stage, "segments at position 1", "{error}");
}

#[test]
fn a_step_is_charged_for_the_positions_it_reads() {
    // The same walk over one name, with more stars: more live positions per step, more units per step, so
    // many more units in all than the number of states alone would give.
    // What every comparison spends on the known actions and the resource types comes off both.
    let base = units(&[Statement::allow(["proj/ab"], ["*"])], &[]).unwrap();
    let few = units(&[Statement::allow(["proj/*a*b*"], ["*"])], &[]).unwrap() - base;
    let stars = format!("proj/{}*", "*a".repeat(12));
    let many = units(&[Statement::allow([stars], ["*"])], &[]).unwrap() - base;
    assert!(many > 10 * few, "{few} units for 3 stars, {many} for 13");
}

#[test]
fn the_policies_of_the_conformance_corpus_stay_far_below_the_budget() {
    // Every policy the corpus holds, compared with nothing, with itself and with the next one: each answers,
    // spending at most a fifth of the budget (the largest, a project administrator's role of a hundred
    // literal actions, about a sixth), so the budget refuses no policy of that kind.
    let mut policies: Vec<Vec<Statement>> = Vec::new();
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/conformance");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            collect_policies(&serde_json::from_str(&text).unwrap(), &mut policies);
        }
    }
    assert!(policies.len() > 20, "{} policies", policies.len());
    let mut most = 0;
    for (i, policy) in policies.iter().enumerate() {
        let next = &policies[(i + 1) % policies.len()];
        for other in [&[][..], policy, next] {
            let spent = units(policy, other).unwrap_or_else(|e| panic!("policy {i}: {e}"));
            most = most.max(spent);
        }
    }
    assert!(most < COMPARISON_WORK_BUDGET / 5, "{most} units");
}

/// Every list of statements under a `policy` or `inlineRole` key, anywhere in `value`.
fn collect_policies(value: &serde_json::Value, out: &mut Vec<Vec<Statement>>) {
    match value {
        serde_json::Value::Object(map) => {
            for (key, value) in map {
                if key == "policy" || key == "inlineRole" {
                    if let Ok(statements) = serde_json::from_value::<Vec<Statement>>(value.clone())
                    {
                        let compiles = CompiledPolicy::compile(
                            PolicySource::statements(),
                            &statements,
                            &RoleAttributes::new(),
                        )
                        .is_ok();
                        if compiles && !statements.is_empty() {
                            out.push(statements);
                        }
                    }
                }
                collect_policies(value, out);
            }
        }
        serde_json::Value::Array(items) => {
            items.iter().for_each(|item| collect_policies(item, out))
        }
        _ => {}
    }
}
