//! Differential check of the policy engine against a second, deliberately naive implementation of §4 of the
//! spec ("Policies"), written from the spec's words and not from the engine: globs matched by recursion over
//! characters, specifiers split on `:`, `;`, `,` and `/` as plain strings, role attributes expanded by text
//! search. Both judge the same generated (policies, action, resource) cases; any disagreement fails with the
//! case printed.
//!
//! The generator draws from a small alphabet so that names, tags, types and actions collide often and every
//! rule is exercised: deny beating allow, `notResources`/`notActions`, tags (AND, globbed), globs inside names,
//! depth and type mismatches, nameless types, role attributes (present, missing, several values), several
//! roles held at once. It also checks the base-role table of §4 against `BaseRole`'s policies.
//!
//! `DIFF_CASES` sets the number of cases (default 10 000, a few seconds in a debug build); `DIFF_SEED` the
//! generator's seed. `cargo test --release --test differential` with `DIFF_CASES=5000000` is the long run.

use std::collections::BTreeMap;
use tokengate::model::{Effect, RoleAttributes, Statement};
use tokengate::policy::{
    evaluate, BaseRole, CompiledPolicy, DecisionEffect, Outcome, PolicySet, PolicySource, Resource,
};

// ---------------------------------------------------------------------------------------------------------
// The reference: §4 of the spec, read literally.
// ---------------------------------------------------------------------------------------------------------

mod reference {
    use super::*;

    /// "`*` is a glob matching any run of characters": plain recursion, no cleverness.
    pub fn glob(pattern: &[char], text: &[char]) -> bool {
        match pattern.split_first() {
            None => text.is_empty(),
            Some(('*', rest)) => {
                glob(rest, text) || (!text.is_empty() && glob(pattern, &text[1..]))
            }
            Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
        }
    }

    pub fn glob_str(pattern: &str, text: &str) -> bool {
        let p: Vec<char> = pattern.chars().collect();
        let t: Vec<char> = text.chars().collect();
        glob(&p, &t)
    }

    /// `${roleAttribute/key}` "expands to each value the member has for that key": every way of replacing
    /// each reference by one of its key's values. A key the member lacks gives nothing.
    pub fn expand(name: &str, attrs: &RoleAttributes) -> Vec<String> {
        const OPEN: &str = "${roleAttribute/";
        let Some(start) = name.find(OPEN) else {
            return vec![name.to_string()];
        };
        let after = &name[start + OPEN.len()..];
        let close = after.find('}').expect("generated references are closed");
        let key = &after[..close];
        let tail = &after[close + 1..];
        let mut out = Vec::new();
        for value in attrs.get(key).into_iter().flatten() {
            for rest in expand(tail, attrs) {
                out.push(format!("{}{}{}", &name[..start], value, rest));
            }
        }
        out
    }

    struct Segment<'a> {
        ty: &'a str,
        name: Option<&'a str>,
        tags: Vec<&'a str>,
    }

    /// `type/name;tag1,tag2`, "child resources chained with `:`".
    fn split(spec: &str) -> Vec<Segment<'_>> {
        spec.split(':')
            .map(|segment| {
                let (head, tags) = match segment.split_once(';') {
                    Some((head, tags)) => (head, tags.split(',').collect()),
                    None => (segment, Vec::new()),
                };
                let (ty, name) = match head.split_once('/') {
                    Some((ty, name)) => (ty, Some(name)),
                    None => (head, None),
                };
                Segment { ty, name, tags }
            })
            .collect()
    }

    /// "A pattern matches a resource only at the same depth with the same types"; names are globs; "several
    /// tags in one specifier are AND (the resource must carry each)".
    pub fn specifier_matches(pattern: &str, resource: &str, attrs: &RoleAttributes) -> bool {
        if pattern == "*" {
            return true;
        }
        let pattern = split(pattern);
        let resource = split(resource);
        pattern.len() == resource.len()
            && pattern.iter().zip(&resource).all(|(p, r)| {
                p.ty == r.ty
                    && match (p.name, r.name) {
                        (None, None) => true,
                        (Some(p), Some(r)) => expand(p, attrs).iter().any(|n| glob_str(n, r)),
                        _ => false,
                    }
                    && p.tags
                        .iter()
                        .all(|want| r.tags.iter().any(|have| glob_str(want, have)))
            })
    }

    /// "`notActions` matches every action that none of its entries matches" (and likewise for resources).
    fn list_matches(
        list: &Option<Vec<String>>,
        not_list: &Option<Vec<String>>,
        matches: impl Fn(&str) -> bool,
    ) -> bool {
        match (list, not_list) {
            (Some(list), None) => list.iter().any(|entry| matches(entry)),
            (None, Some(list)) => !list.iter().any(|entry| matches(entry)),
            _ => unreachable!("generated statements have exactly one of each pair"),
        }
    }

    pub fn statement_matches(
        statement: &Statement,
        action: &str,
        resource: &str,
        attrs: &RoleAttributes,
    ) -> bool {
        list_matches(&statement.actions, &statement.not_actions, |a| {
            glob_str(a, action)
        }) && list_matches(&statement.resources, &statement.not_resources, |r| {
            specifier_matches(r, resource, attrs)
        })
    }

    /// "Within one policy: a matching `deny` beats any matching `allow`; otherwise a matching `allow`
    /// allows; anything not allowed is denied."
    pub fn outcome(
        statements: &[Statement],
        action: &str,
        resource: &str,
        attrs: &RoleAttributes,
    ) -> Outcome {
        let matching: Vec<Effect> = statements
            .iter()
            .filter(|s| statement_matches(s, action, resource, attrs))
            .map(|s| s.effect)
            .collect();
        if matching.contains(&Effect::Deny) {
            Outcome::Denied
        } else if matching.contains(&Effect::Allow) {
            Outcome::Allowed
        } else {
            Outcome::NoMatch
        }
    }

    /// The base-role table of §4, transcribed.
    pub fn base_role_allows(
        role: &str,
        member: Option<&str>,
        action: &str,
        resource: &str,
    ) -> bool {
        const WRITER: &[&str] = &[
            "proj/*",
            "proj/*:env/*",
            "proj/*:env/*:flag/*",
            "proj/*:env/*:segment/*",
            "proj/*:env/*:destination/*",
            "proj/*:metric/*",
        ];
        const PERSONAL_TOKEN: &[&str] = &[
            "createAccessToken",
            "updateAccessTokenPolicy",
            "updateAccessTokenName",
            "updateAccessTokenDescription",
            "deleteAccessToken",
            "resetAccessToken",
        ];
        let none = RoleAttributes::new();
        let own_tokens = |member: &str| {
            PERSONAL_TOKEN.contains(&action)
                && specifier_matches(&format!("member/{member}:token/*"), resource, &none)
        };
        match role {
            "admin" | "owner" => true,
            "writer" => {
                WRITER.iter().any(|p| specifier_matches(p, resource, &none))
                    || member.is_some_and(own_tokens)
            }
            "reader" => {
                (action == "viewProject" && specifier_matches("proj/*", resource, &none))
                    || member.is_some_and(own_tokens)
            }
            _ => false,
        }
    }
}

// ---------------------------------------------------------------------------------------------------------
// The generator: a seeded small-alphabet source of valid policies, actions and resources.
// ---------------------------------------------------------------------------------------------------------

/// SplitMix64: tiny, seeded, good enough to spread cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

const TYPES: &[&str] = &["proj", "env", "flag", "member", "token", "acct"];
const CONCRETE_NAMES: &[&str] = &["a", "b", "ab", "ba", "a-b", "aab", "*", "m1", "x"];
const NAME_PIECES: &[&str] = &[
    "a",
    "b",
    "*",
    "-",
    "ab",
    "${roleAttribute/k}",
    "${roleAttribute/missing}",
];
const TAGS: &[&str] = &["t", "u", "tu", "ut"];
const TAG_PIECES: &[&str] = &["t", "u", "*"];
const ACTION_WORDS: &[&str] = &["update", "On", "Off", "view", "Project", "create"];
const ACTION_PIECES: &[&str] = &["update", "On", "Off", "view", "Project", "*", "create"];
const ATTRIBUTE_VALUES: &[&str] = &["a", "b", "ab", "a-", "ba"];
const BASE_ROLES: &[&str] = &["reader", "writer", "admin", "owner", "no_access"];
/// Actions and resources that exercise the base-role table.
const TABLE_ACTIONS: &[&str] = &[
    "viewProject",
    "updateOn",
    "createAccessToken",
    "updateAccessTokenPolicy",
    "deleteAccessToken",
    "createMember",
];
const TABLE_RESOURCES: &[&str] = &[
    "proj/a",
    "proj/a:env/b",
    "proj/a:env/b:flag/c",
    "proj/a:env/b:segment/c",
    "proj/a:env/b:destination/c",
    "proj/a:metric/c",
    "proj/a:env/b:flag/c:x/d",
    "member/m1:token/t1",
    "member/m2:token/t1",
    "member/m1:token/*",
    "member/m1",
    "service-token/t1",
    "role/r",
    "acct",
];

fn concat(rng: &mut Rng, pieces: &[&str], low: usize, high: usize) -> String {
    (0..rng.range(low, high))
        .map(|_| rng.pick(pieces))
        .collect()
}

fn tags(rng: &mut Rng, pieces: &[&str], concrete: bool) -> String {
    let count = rng.range(0, 2);
    if count == 0 {
        return String::new();
    }
    let list: Vec<String> = (0..count)
        .map(|_| {
            if concrete {
                rng.pick(TAGS).to_string()
            } else {
                concat(rng, pieces, 1, 2)
            }
        })
        .collect();
    format!(";{}", list.join(","))
}

fn segment(rng: &mut Rng, concrete: bool) -> String {
    let ty = rng.pick(TYPES);
    // `acct` is nameless; giving it a name anyway is legal and must then not match the nameless form.
    let name = if ty == "acct" && rng.chance(70) {
        String::new()
    } else if concrete {
        format!("/{}", rng.pick(CONCRETE_NAMES))
    } else {
        format!("/{}", concat(rng, NAME_PIECES, 1, 3))
    };
    format!("{ty}{name}{}", tags(rng, TAG_PIECES, concrete))
}

fn specifier(rng: &mut Rng, concrete: bool) -> String {
    if !concrete && rng.chance(5) {
        return "*".to_string();
    }
    let depth = rng.range(1, 3);
    (0..depth)
        .map(|_| segment(rng, concrete))
        .collect::<Vec<_>>()
        .join(":")
}

/// A resource that shares structure with the policy more often than chance would: half the time it is one
/// of the policy's own patterns with globs and attributes filled in.
fn resource_like(rng: &mut Rng, patterns: &[String], attrs: &RoleAttributes) -> String {
    if patterns.is_empty() || rng.chance(50) {
        return specifier(rng, true);
    }
    let pattern = &patterns[rng.below(patterns.len())];
    if pattern == "*" {
        return specifier(rng, true);
    }
    let mut expanded = reference::expand(pattern, attrs);
    let mut text = if expanded.is_empty() {
        // A reference to an attribute the member lacks: the pattern matches nothing, any name will do.
        pattern
            .replace("${roleAttribute/missing}", "a")
            .replace("${roleAttribute/k}", "b")
    } else {
        expanded.swap_remove(rng.below(expanded.len()))
    };
    while let Some(at) = text.find('*') {
        let fill = ["", "a", "b", "-", "ab"][rng.below(5)];
        text.replace_range(at..at + 1, fill);
    }
    // A filled-in name may have become empty (`proj/*` → `proj/`): give it a name again.
    let text = text
        .split(':')
        .map(|seg| {
            let (head, tail) = seg
                .split_once(';')
                .map_or((seg, None), |(h, t)| (h, Some(t)));
            let head = if head.ends_with('/') {
                format!("{head}a")
            } else {
                head.to_string()
            };
            let tail = tail.map(|t| {
                t.split(',')
                    .map(|tag| if tag.is_empty() { "t" } else { tag })
                    .collect::<Vec<_>>()
                    .join(",")
            });
            match tail {
                Some(t) if rng.chance(70) => format!("{head};{t}"),
                _ => head,
            }
        })
        .collect::<Vec<_>>()
        .join(":");
    text
}

fn list(rng: &mut Rng, item: impl Fn(&mut Rng) -> String) -> Vec<String> {
    (0..rng.range(1, 3)).map(|_| item(rng)).collect()
}

fn statement(rng: &mut Rng) -> Statement {
    let resources = list(rng, |rng| specifier(rng, false));
    let actions = list(rng, |rng| concat(rng, ACTION_PIECES, 1, 2));
    let (resources, not_resources) = if rng.chance(25) {
        (None, Some(resources))
    } else {
        (Some(resources), None)
    };
    let (actions, not_actions) = if rng.chance(20) {
        (None, Some(actions))
    } else {
        (Some(actions), None)
    };
    Statement {
        resources,
        not_resources,
        actions,
        not_actions,
        effect: if rng.chance(35) {
            Effect::Deny
        } else {
            Effect::Allow
        },
    }
}

struct Case {
    policies: Vec<Vec<Statement>>,
    attrs: RoleAttributes,
    action: String,
    resource: String,
}

fn case(rng: &mut Rng) -> Case {
    let mut attrs = BTreeMap::new();
    if rng.chance(80) {
        let values = (0..rng.range(1, 3))
            .map(|_| rng.pick(ATTRIBUTE_VALUES).to_string())
            .collect();
        attrs.insert("k".to_string(), values);
    }
    let policies: Vec<Vec<Statement>> = (0..rng.range(1, 3))
        .map(|_| (0..rng.range(1, 4)).map(|_| statement(rng)).collect())
        .collect();
    let patterns: Vec<String> = policies
        .iter()
        .flatten()
        .flat_map(|s| {
            s.resources
                .iter()
                .chain(&s.not_resources)
                .flatten()
                .cloned()
        })
        .collect();
    let resource = resource_like(rng, &patterns, &attrs);
    let action = if rng.chance(3) {
        "*".to_string()
    } else {
        concat(rng, ACTION_WORDS, 1, 2)
    };
    Case {
        policies,
        attrs,
        action,
        resource,
    }
}

fn describe(case: &Case) -> String {
    format!(
        "policies: {}\nattrs: {:?}\naction: {:?}\nresource: {:?}",
        serde_json::to_string_pretty(&case.policies).unwrap_or_default(),
        case.attrs,
        case.action,
        case.resource
    )
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

/// Tallies, so that a run can show that the interesting outcomes happen.
#[derive(Default, Debug)]
struct Tally {
    allowed: u64,
    denied: u64,
    no_match: u64,
    set_allowed: u64,
}

fn compare(case: &Case, tally: &mut Tally) {
    let resource = Resource::parse(&case.resource).unwrap_or_else(|err| {
        panic!(
            "a valid generated resource was rejected: {err}\n{}",
            describe(case)
        )
    });
    let mut compiled = Vec::new();
    let mut expected_any = false;
    let mut expected_any_deny = false;
    for statements in &case.policies {
        let policy = CompiledPolicy::compile(PolicySource::inline(), statements, &case.attrs)
            .unwrap_or_else(|err| {
                panic!(
                    "a valid generated policy was rejected: {err}\n{}",
                    describe(case)
                )
            });
        let expected = reference::outcome(statements, &case.action, &case.resource, &case.attrs);
        let got = policy.outcome(&case.action, &resource);
        if got != expected {
            panic!(
                "DISAGREEMENT: engine {got:?}, reference {expected:?}\n{}",
                describe(case)
            );
        }
        let decision = evaluate(statements, &case.action, &case.resource, &case.attrs)
            .unwrap_or_else(|err| panic!("evaluate failed: {err}\n{}", describe(case)));
        let expected_effect = match expected {
            Outcome::Allowed => DecisionEffect::Allow,
            Outcome::Denied => DecisionEffect::Deny,
            Outcome::NoMatch => DecisionEffect::DefaultDeny,
        };
        assert_eq!(
            (decision.allowed, decision.effect),
            (expected == Outcome::Allowed, expected_effect),
            "DISAGREEMENT in evaluate\n{}",
            describe(case)
        );
        match expected {
            Outcome::Allowed => tally.allowed += 1,
            Outcome::Denied => tally.denied += 1,
            Outcome::NoMatch => tally.no_match += 1,
        }
        expected_any |= expected == Outcome::Allowed;
        expected_any_deny |= expected == Outcome::Denied;
        compiled.push(policy);
    }
    // "Across several roles held at once: permissions are cumulative, the more permissive wins; a deny in one
    // role does not cancel an allow in another."
    let set = PolicySet::new(compiled);
    let decision = set.decide(&case.action, &resource);
    let expected_effect = if expected_any {
        DecisionEffect::Allow
    } else if expected_any_deny {
        DecisionEffect::Deny
    } else {
        DecisionEffect::DefaultDeny
    };
    if set.is_allowed(&case.action, &resource) != expected_any
        || decision.allowed != expected_any
        || decision.effect != expected_effect
    {
        panic!(
            "DISAGREEMENT across roles: engine is_allowed {}, decide {:?}; reference {expected_any} {expected_effect:?}\n{}",
            set.is_allowed(&case.action, &resource),
            decision.effect,
            describe(case)
        );
    }
    tally.set_allowed += u64::from(expected_any);
}

#[test]
fn engine_agrees_with_the_naive_reading_of_the_spec() {
    let cases = env_number("DIFF_CASES", 10_000);
    let seed = env_number("DIFF_SEED", 0x7065_726d_6974);
    let mut rng = Rng(seed);
    let mut tally = Tally::default();
    for _ in 0..cases {
        compare(&case(&mut rng), &mut tally);
    }
    eprintln!("differential: {cases} cases (seed {seed}) agree; per-policy outcomes {tally:?}");
    // The generator must actually exercise every outcome, or agreement means little.
    let policies = tally.allowed + tally.denied + tally.no_match;
    for (what, count) in [
        ("allowed", tally.allowed),
        ("denied", tally.denied),
        ("no match", tally.no_match),
    ] {
        assert!(
            count * 20 >= policies,
            "only {count} of {policies} policy outcomes were {what}: the generator is too narrow"
        );
    }
}

#[test]
fn base_roles_agree_with_the_table_of_the_spec() {
    let none = RoleAttributes::new();
    let mut compared = 0;
    for role in BASE_ROLES {
        let base = BaseRole::parse(role).expect("a base role of the table");
        for member in [None, Some("m1")] {
            let statements = match member {
                None => base.token_policy(),
                Some(id) => base.member_policy(id),
            };
            let policy = CompiledPolicy::compile(PolicySource::statements(), &statements, &none)
                .expect("base role policies compile");
            for action in TABLE_ACTIONS {
                for resource in TABLE_RESOURCES {
                    let expected = reference::base_role_allows(role, member, action, resource);
                    let got = policy.outcome(action, &Resource::parse(resource).unwrap())
                        == Outcome::Allowed;
                    assert_eq!(
                        got, expected,
                        "base role {role} (member {member:?}): {action} on {resource}"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(
        compared,
        BASE_ROLES.len() * 2 * TABLE_ACTIONS.len() * TABLE_RESOURCES.len()
    );
}

#[test]
fn the_reference_itself_reads_the_spec_examples_right() {
    // The spec's own examples, so that a broken reference cannot pass by agreeing with a broken engine.
    let none = RoleAttributes::new();
    assert!(reference::specifier_matches(
        "proj/mobile-*",
        "proj/mobile-ios",
        &none
    ));
    assert!(reference::specifier_matches(
        "env/*;qa_*",
        "env/x;qa_team",
        &none
    ));
    assert!(!reference::specifier_matches("env/*;qa_*", "env/x", &none));
    assert!(!reference::specifier_matches(
        "proj/*",
        "proj/a:env/b",
        &none
    ));
    assert!(reference::specifier_matches(
        "*",
        "proj/a:env/b:flag/c",
        &none
    ));
    assert!(reference::specifier_matches(
        "proj/*;a,b",
        "proj/x;b,c,a",
        &none
    ));
    assert!(!reference::specifier_matches(
        "proj/*;a,b",
        "proj/x;a",
        &none
    ));
    let mut attrs = RoleAttributes::new();
    attrs.insert("k".into(), vec!["web".into(), "api".into()]);
    assert!(reference::specifier_matches(
        "proj/${roleAttribute/k}-*",
        "proj/api-1",
        &attrs
    ));
    assert!(!reference::specifier_matches(
        "proj/${roleAttribute/other}",
        "proj/web",
        &attrs
    ));
    assert!(reference::glob_str("update*", "updateOn"));
    assert!(!reference::glob_str("update*", "Update"));
    let deny_beats_allow = [
        Statement::allow(["proj/*"], ["*"]),
        Statement::deny(["proj/a"], ["update*"]),
    ];
    assert_eq!(
        reference::outcome(&deny_beats_allow, "updateOn", "proj/a", &none),
        Outcome::Denied
    );
    assert_eq!(
        reference::outcome(&deny_beats_allow, "updateOn", "proj/b", &none),
        Outcome::Allowed
    );
    assert_eq!(
        reference::outcome(&deny_beats_allow, "x", "env/b", &none),
        Outcome::NoMatch
    );
}
