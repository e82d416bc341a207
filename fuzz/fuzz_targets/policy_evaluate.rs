//! Policy evaluation over arbitrary policies, actions and resources built from a small alphabet, so that
//! statements actually match. Checks the properties §4 of the spec promises: no panic, the fast check and the
//! explained decision agree, statement order never matters, a matching deny always wins within a policy, and
//! roles held together are cumulative, what a resource leaves out makes an answer unknown rather than wrong, and
//! the view rule only ever takes permissions away.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use tokengate::{Effect, RoleAttributes, Statement};
use tokengate::{
    evaluate, CompiledPolicy, PolicyOutcome, PolicySet, PolicySource, Resource, Truth,
};

/// Picks text from a handful of pieces that make types, names, tags and actions collide often.
#[derive(Arbitrary, Debug)]
struct Text(Vec<u8>);

const PIECES: &[&str] = &[
    "a",
    "b",
    "*",
    "proj",
    "env",
    "flag",
    "member",
    "token",
    "/",
    ":",
    ";",
    ",",
    "ab",
    "-",
    "x*",
    "${roleAttribute/k}",
    "update",
    "On",
    "acct",
    "é",
    "{critical:true}",
    "{critical:",
    "}",
    "{",
    "view:",
    "view:w",
    "viewProject",
    "proj/a",
];

impl Text {
    fn render(&self) -> String {
        self.0
            .iter()
            .take(12)
            .map(|b| PIECES[*b as usize % PIECES.len()])
            .collect()
    }
}

#[derive(Arbitrary, Debug)]
struct FuzzStatement {
    deny: bool,
    negate_resources: bool,
    negate_actions: bool,
    resources: Vec<Text>,
    actions: Vec<Text>,
}

impl FuzzStatement {
    fn build(&self) -> Statement {
        let resources: Vec<String> = self.resources.iter().take(4).map(Text::render).collect();
        let actions: Vec<String> = self.actions.iter().take(4).map(Text::render).collect();
        let (resources, not_resources) = if self.negate_resources {
            (None, Some(resources))
        } else {
            (Some(resources), None)
        };
        let (actions, not_actions) = if self.negate_actions {
            (None, Some(actions))
        } else {
            (Some(actions), None)
        };
        Statement {
            resources,
            not_resources,
            actions,
            not_actions,
            effect: if self.deny {
                Effect::Deny
            } else {
                Effect::Allow
            },
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Case {
    policies: Vec<Vec<FuzzStatement>>,
    action: Text,
    resource: Text,
    attribute_values: Vec<Text>,
}

fuzz_target!(|case: Case| {
    let mut attrs = RoleAttributes::new();
    let values: Vec<String> = case
        .attribute_values
        .iter()
        .take(3)
        .map(Text::render)
        .collect();
    if !values.is_empty() {
        attrs.insert("k".to_string(), values);
    }
    let action = case.action.render();
    let resource_text = case.resource.render();
    let resource = Resource::parse(&resource_text);

    let mut compiled = Vec::new();
    for statements in case.policies.iter().take(3) {
        let statements: Vec<Statement> = statements
            .iter()
            .take(6)
            .map(FuzzStatement::build)
            .collect();
        let decision = evaluate(&statements, &action, &resource_text, &attrs);
        let policy = CompiledPolicy::compile(PolicySource::statements(), &statements, &attrs);
        let (Ok(policy), Ok(resource)) = (policy, resource.as_ref()) else {
            assert!(
                decision.is_err(),
                "evaluate accepted what compile or parse rejected"
            );
            continue;
        };
        let decision = decision.expect("evaluate rejected what compile and parse accepted");
        let outcome = policy.outcome(&action, resource);
        // `evaluate` is the policy held alone, view rule included: it allows only what the statements allow.
        let alone = PolicySet::new(vec![policy.clone()]).truth(&action, resource);
        assert_eq!(decision.allowed, alone == Truth::Yes);
        assert_eq!(decision.indeterminate, alone == Truth::Unknown);
        assert_eq!(decision.indeterminate, !decision.missing_facts.is_empty());
        if decision.allowed {
            assert_eq!(outcome, PolicyOutcome::Allowed);
        }

        // Order-free: the same statements reversed decide the same way.
        let reversed: Vec<Statement> = statements.iter().rev().cloned().collect();
        let reversed = CompiledPolicy::compile(PolicySource::statements(), &reversed, &attrs)
            .expect("reversing statements made the policy invalid");
        assert_eq!(reversed.outcome(&action, resource), outcome);

        // Deny wins: the matched statements say why, and any certain deny among them decides; a deny that
        // may match keeps an allow from being certain.
        let matched = policy.matching_statements(&action, resource);
        let deny = |t: Truth| matched.iter().any(|(_, e, truth)| *e == Effect::Deny && *truth == t);
        let allow = |t: Truth| matched.iter().any(|(_, e, truth)| *e == Effect::Allow && *truth == t);
        assert_eq!(outcome == PolicyOutcome::Denied, deny(Truth::Yes));
        assert_eq!(
            outcome == PolicyOutcome::Allowed,
            allow(Truth::Yes) && !deny(Truth::Yes) && !deny(Truth::Unknown)
        );

        // A catch-all deny added to the policy denies everything.
        let mut with_deny = statements.clone();
        with_deny.push(Statement::deny(["*"], ["*"]));
        let with_deny = CompiledPolicy::compile(PolicySource::statements(), &with_deny, &attrs)
            .expect("adding a valid deny made the policy invalid");
        assert_eq!(with_deny.outcome(&action, resource), PolicyOutcome::Denied);
        compiled.push(policy);
    }

    // Cumulative: the set never allows less than one of its policies alone, never allows what none of them
    // allows, and the explanation agrees with the fast check.
    if let Ok(resource) = resource {
        let alone: Vec<Truth> = compiled
            .iter()
            .map(|p| PolicySet::new(vec![p.clone()]).truth(&action, &resource))
            .collect();
        let any_outcome = compiled
            .iter()
            .any(|p| p.outcome(&action, &resource) == PolicyOutcome::Allowed);
        let set = PolicySet::new(compiled);
        let truth = set.truth(&action, &resource);
        assert!(alone.iter().all(|t| *t <= truth));
        if truth == Truth::Yes {
            assert!(any_outcome);
        }
        let decision = set.decide(&action, &resource);
        assert_eq!(set.is_allowed(&action, &resource), truth == Truth::Yes);
        assert_eq!(decision.allowed, truth == Truth::Yes);
        assert_eq!(decision.indeterminate, truth == Truth::Unknown);
    }
});
