//! Property tests of `compare_policies`: a policy compared with itself changes nothing, what a→b grants b→a
//! revokes, adding a deny never grants, and the order of statements never matters.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::{json, Value};
use tokengate::{compare_policies, evaluate, implies, PolicyComparison, RoleAttributes, Statement};

fn segment(ty: &'static str) -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["a", "b", "*", "a*", "*b", "ab"]),
        prop::sample::select(vec![
            "",
            ";t",
            ";t*",
            ";*",
            ";{c:true}",
            ";{c:*}",
            ";view:v",
            ";t,view:*",
        ]),
    )
        .prop_map(move |(name, modifiers)| format!("{ty}/{name}{modifiers}"))
}

fn specifier() -> impl Strategy<Value = String> {
    prop_oneof![
        1 => Just("*".to_string()),
        3 => segment("proj"),
        3 => (segment("proj"), segment("env")).prop_map(|(a, b)| format!("{a}:{b}")),
        2 => (segment("proj"), segment("env"), segment("flag"))
            .prop_map(|(a, b, c)| format!("{a}:{b}:{c}")),
        1 => Just("acct".to_string()),
    ]
}

fn statement() -> impl Strategy<Value = Value> {
    (
        prop::bool::weighted(0.6),
        prop::bool::weighted(0.2),
        prop::collection::vec(specifier(), 1..=2),
        prop::bool::weighted(0.2),
        prop::collection::vec(
            prop::sample::select(vec![
                "*",
                "update*",
                "viewProject",
                "view*",
                "deleteFlag",
                "*Flag",
                "u*On",
            ]),
            1..=2,
        ),
    )
        .prop_map(|(allow, not_resources, resources, not_actions, actions)| {
            let resource_field = if not_resources {
                "notResources"
            } else {
                "resources"
            };
            let action_field = if not_actions { "notActions" } else { "actions" };
            json!({
                "effect": if allow { "allow" } else { "deny" },
                resource_field: resources,
                action_field: actions,
            })
        })
}

fn policy() -> impl Strategy<Value = Vec<Value>> {
    prop::collection::vec(statement(), 0..=5)
}

fn statements(values: &[Value]) -> Vec<Statement> {
    serde_json::from_value(Value::Array(values.to_vec())).expect("statements")
}

fn compare(before: &[Value], after: &[Value]) -> PolicyComparison {
    compare_policies(
        &statements(before),
        &statements(after),
        &RoleAttributes::new(),
        8,
    )
    .expect("comparison")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_policy_compared_with_itself_changes_nothing(p in policy()) {
        let comparison = compare(&p, &p);
        prop_assert!(comparison.is_equivalent(), "{comparison:?}");
        let attrs = RoleAttributes::new();
        prop_assert!(implies(&statements(&p), &statements(&p), &attrs).unwrap());
    }

    #[test]
    fn what_one_way_grants_the_other_way_revokes(a in policy(), b in policy()) {
        let forth = compare(&a, &b);
        let back = compare(&b, &a);
        prop_assert_eq!(forth.granted.total, back.revoked.total);
        prop_assert_eq!(forth.revoked.total, back.granted.total);
        let attrs = RoleAttributes::new();
        // Each witness of a grant going forth is a revocation going back.
        for witness in &forth.granted.witnesses {
            let was = evaluate(&statements(&b), &witness.action, &witness.resource, &attrs).unwrap();
            let is = evaluate(&statements(&a), &witness.action, &witness.resource, &attrs).unwrap();
            prop_assert!(was.allowed && !is.allowed);
        }
        prop_assert_eq!(
            implies(&statements(&a), &statements(&b), &attrs).unwrap(),
            forth.revoked.is_empty()
        );
    }

    #[test]
    fn adding_a_deny_never_grants(p in policy(), extra in statement()) {
        let mut deny = extra;
        deny["effect"] = "deny".into();
        let mut after = p.clone();
        after.push(deny);
        let comparison = compare(&p, &after);
        prop_assert!(comparison.granted.is_empty(), "{comparison:?}");
        prop_assert!(implies(&statements(&after), &statements(&p), &RoleAttributes::new()).unwrap());
    }

    #[test]
    fn the_order_of_statements_changes_nothing(a in policy(), b in policy()) {
        let mut reversed = a.clone();
        reversed.reverse();
        prop_assert!(compare(&a, &reversed).is_equivalent());
        let mut b_reversed = b.clone();
        b_reversed.reverse();
        let straight = compare(&a, &b);
        let turned = compare(&reversed, &b_reversed);
        prop_assert_eq!(straight.granted.total, turned.granted.total);
        prop_assert_eq!(straight.revoked.total, turned.revoked.total);
    }
}

/// Inputs whose representatives grow fast end with `comparison_too_large` (or an answer), never a hang: many
/// tags on one segment (tag sets are unions), many `*` globs of actions, many views.
#[test]
fn hostile_policies_end_with_an_answer_or_too_large() {
    let tags: Vec<String> = (0..40).map(|i| format!("proj/*;t{i}")).collect();
    let actions: Vec<String> = (0..40)
        .map(|i| format!("*{}*{}*", (b'a' + i % 26) as char, i))
        .collect();
    let views: Vec<String> = (0..30)
        .map(|i| format!("proj/*:env/*:flag/*;view:v{i}*"))
        .collect();
    let hostile = [
        json!([{"effect": "allow", "resources": tags, "actions": ["*"]}]),
        json!([{"effect": "allow", "resources": ["proj/*"], "actions": actions}]),
        json!([{"effect": "allow", "resources": views, "actions": ["*"]}]),
    ];
    for policy in hostile {
        let policy = statements(policy.as_array().unwrap());
        let start = std::time::Instant::now();
        let result = compare_policies(&policy, &[], &RoleAttributes::new(), 4);
        let outcome = result
            .as_ref()
            .map(|c| c.revoked.total)
            .map_err(|e| e.to_string());
        match result {
            Ok(comparison) => assert!(!comparison.revoked.is_empty()),
            Err(error) => assert_eq!(error.code(), "comparison_too_large", "{error}"),
        }
        println!("hostile policy: {:?} in {:?}", outcome, start.elapsed());
    }
}
