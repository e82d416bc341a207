//! Differential check of the policy engine against a second, deliberately naive implementation of §4 of the
//! spec ("Policies"), written from the spec's words and not from the engine: globs matched by recursion over
//! characters, specifiers split on `:`, `;`, `,` and `/` as plain strings, role attributes expanded by text
//! search. Both judge the same generated (policies, action, resource) cases; any disagreement fails with the
//! case printed.
//!
//! The generator draws from a small alphabet so that names, tags, types and actions collide often and every
//! rule is exercised: deny beating allow, `notResources`/`notActions`, tags (AND, globbed), property-based
//! selectors (`{c:t}`) and view selectors (`view:v`, with role attributes) stated, contradicted or left out by
//! the resource, globs inside names, depth and type mismatches, nameless types, role attributes (present,
//! missing, several values), several roles held at once, each with its own role attributes (as roles granted
//! through different teams are), and the view rule. It also checks the base-role table of §4 against
//! `BaseRole`'s policies.
//!
//! A second generator builds tokens whose creators hold roles directly and through teams, each team's roles
//! filled with that team's attributes, and compares `Principal::with_teams` with the reference's AND of the
//! token's side and the creator's cap.
//!
//! What a resource leaves out is unknown. The reference carries that as `Option<bool>` (`None` = unknown)
//! with the tables written out by hand; a second check fills every unstated fact in every way the alphabet
//! allows and requires that each definite answer of the engine holds in every such completion.
//!
//! `DIFF_CASES` sets the number of cases (default 10 000, a few seconds in a debug build); `DIFF_SEED` the
//! generator's seed. `cargo test --release --test differential` with `DIFF_CASES=5000000` is the long run.

// `None` is "unknown" here, not a failure: folding must go on past it, so `try_fold` would be wrong.
#![allow(clippy::manual_try_fold)]

use std::collections::BTreeMap;
use tokengate::{
    evaluate, BaseRole, CompiledPolicy, DecisionEffect, Outcome, PolicySet, PolicySource, Resource,
    Truth,
};
use tokengate::{Effect, RoleAttributes, Statement};

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

    /// Three-valued logic written out: `None` is "unknown".
    pub fn and3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
        match (a, b) {
            (Some(false), _) | (_, Some(false)) => Some(false),
            (Some(true), Some(true)) => Some(true),
            _ => None,
        }
    }

    pub fn or3(a: Option<bool>, b: Option<bool>) -> Option<bool> {
        match (a, b) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        }
    }

    pub fn not3(a: Option<bool>) -> Option<bool> {
        a.map(|value| !value)
    }

    struct Segment {
        ty: String,
        name: Option<String>,
        tags: Vec<String>,
        properties: Vec<(String, String)>,
        views: Vec<String>,
    }

    /// `type/name;modifiers`, "child resources chained with `:`". A `:` inside `{...}` or right after `view`
    /// is not a chain: those are masked first, then the text is split as plain strings.
    fn split(spec: &str) -> Vec<Segment> {
        let mut masked = String::new();
        let mut in_braces = false;
        for ch in spec.chars() {
            match ch {
                '{' => in_braces = true,
                '}' => in_braces = false,
                _ => {}
            }
            masked.push(if ch == ':' && in_braces { '=' } else { ch });
        }
        let masked = masked
            .replace(";view:", ";view=")
            .replace(",view:", ",view=");
        masked
            .split(':')
            .map(|segment| {
                let (head, modifiers) = match segment.split_once(';') {
                    Some((head, modifiers)) => (head, modifiers.split(',').collect()),
                    None => (segment, Vec::new()),
                };
                let (ty, name) = match head.split_once('/') {
                    Some((ty, name)) => (ty.to_string(), Some(name.to_string())),
                    None => (head.to_string(), None),
                };
                let mut out = Segment {
                    ty,
                    name,
                    tags: Vec::new(),
                    properties: Vec::new(),
                    views: Vec::new(),
                };
                for modifier in modifiers {
                    if let Some(inner) =
                        modifier.strip_prefix('{').and_then(|m| m.strip_suffix('}'))
                    {
                        let (key, value) = inner
                            .split_once('=')
                            .expect("generated selectors have a value");
                        out.properties.push((key.to_string(), value.to_string()));
                    } else if let Some(view) = modifier.strip_prefix("view=") {
                        out.views.push(view.to_string());
                    } else {
                        out.tags.push(modifier.to_string());
                    }
                }
                out
            })
            .collect()
    }

    /// "A pattern matches a resource only at the same depth with the same types"; names are globs; "several
    /// tags in one specifier are AND (the resource must carry each)"; tags, selectors and views are all ANDed.
    /// A selector on a property the resource does not state, or a view selector on a segment that states no
    /// views, is unknown.
    pub fn specifier_matches3(
        pattern: &str,
        resource: &str,
        attrs: &RoleAttributes,
    ) -> Option<bool> {
        if pattern == "*" {
            return Some(true);
        }
        let pattern = split(pattern);
        let resource = split(resource);
        if pattern.len() != resource.len() {
            return Some(false);
        }
        let mut answer = Some(true);
        for (p, r) in pattern.iter().zip(&resource) {
            let plain = p.ty == r.ty
                && match (&p.name, &r.name) {
                    (None, None) => true,
                    (Some(p), Some(r)) => expand(p, attrs).iter().any(|n| glob_str(n, r)),
                    _ => false,
                }
                && p.tags
                    .iter()
                    .all(|want| r.tags.iter().any(|have| glob_str(want, have)));
            answer = and3(answer, Some(plain));
            for (key, want) in &p.properties {
                let have = r.properties.iter().find(|(k, _)| k == key);
                answer = and3(answer, have.map(|(_, value)| glob_str(want, value)));
            }
            for want in &p.views {
                let linked = if r.views.is_empty() {
                    None
                } else {
                    Some(
                        expand(want, attrs)
                            .iter()
                            .any(|w| r.views.iter().any(|have| glob_str(w, have))),
                    )
                };
                answer = and3(answer, linked);
            }
        }
        answer
    }

    pub fn specifier_matches(pattern: &str, resource: &str, attrs: &RoleAttributes) -> bool {
        specifier_matches3(pattern, resource, attrs) == Some(true)
    }

    /// "`notActions` matches every action that none of its entries matches" (and likewise for resources).
    fn list_matches(
        list: &Option<Vec<String>>,
        not_list: &Option<Vec<String>>,
        matches: impl Fn(&str) -> Option<bool>,
    ) -> Option<bool> {
        let (entries, negated) = match (list, not_list) {
            (Some(list), None) => (list, false),
            (None, Some(list)) => (list, true),
            _ => unreachable!("generated statements have exactly one of each pair"),
        };
        let any = entries
            .iter()
            .fold(Some(false), |acc, entry| or3(acc, matches(entry)));
        if negated {
            not3(any)
        } else {
            any
        }
    }

    pub fn statement_matches(
        statement: &Statement,
        action: &str,
        resource: &str,
        attrs: &RoleAttributes,
    ) -> Option<bool> {
        and3(
            list_matches(&statement.actions, &statement.not_actions, |a| {
                Some(glob_str(a, action))
            }),
            list_matches(&statement.resources, &statement.not_resources, |r| {
                specifier_matches3(r, resource, attrs)
            }),
        )
    }

    /// "Within one policy: a matching `deny` beats any matching `allow`; otherwise a matching `allow`
    /// allows; anything not allowed is denied." Unknown when a deny may match and no deny surely does, or when
    /// an allow may match and none surely does.
    pub fn outcome(
        statements: &[Statement],
        action: &str,
        resource: &str,
        attrs: &RoleAttributes,
    ) -> Outcome {
        let of = |effect: Effect| {
            statements
                .iter()
                .filter(|s| s.effect == effect)
                .fold(Some(false), |acc, s| {
                    or3(acc, statement_matches(s, action, resource, attrs))
                })
        };
        let (deny, allow) = (of(Effect::Deny), of(Effect::Allow));
        match (deny, allow) {
            (Some(true), _) => Outcome::Denied,
            (Some(false), Some(true)) => Outcome::Allowed,
            (Some(false), Some(false)) => Outcome::NoMatch,
            _ => Outcome::Unknown,
        }
    }

    /// Whether a policy allows, three-valued: "allowed" needs a matching allow and no matching deny.
    pub fn allows(
        statements: &[Statement],
        action: &str,
        resource: &str,
        attrs: &RoleAttributes,
    ) -> Option<bool> {
        let of = |effect: Effect| {
            statements
                .iter()
                .filter(|s| s.effect == effect)
                .fold(Some(false), |acc, s| {
                    or3(acc, statement_matches(s, action, resource, attrs))
                })
        };
        and3(of(Effect::Allow), not3(of(Effect::Deny)))
    }

    /// Several roles held at once, each with its own role attributes: "permissions are cumulative"; then the
    /// view rule: "any action other than a view action (one whose name begins with `view`) on a resource under
    /// `proj/<key>` also needs `viewProject` on `proj/<key>`, from the same holder's roles taken together".
    pub fn set_allows(
        roles: &[(Vec<Statement>, RoleAttributes)],
        action: &str,
        resource: &str,
    ) -> Option<bool> {
        let any = |action: &str, resource: &str| {
            roles.iter().fold(Some(false), |acc, (statements, attrs)| {
                or3(acc, allows(statements, action, resource, attrs))
            })
        };
        let answer = any(action, resource);
        if !view_rule_applies(action, resource) || answer == Some(false) {
            return answer;
        }
        and3(answer, any("viewProject", &first_segment(resource)))
    }

    pub fn view_rule_applies(action: &str, resource: &str) -> bool {
        !action.starts_with("view") && split(resource)[0].ty == "proj"
    }

    /// The effect a refusal reports (the project's choice where the spec is silent): `deny` when a deny
    /// surely matched the action, or, when only the view rule refused, when a deny surely matched
    /// `viewProject` on the project; else `default-deny`.
    pub fn refusal_effect(
        roles: &[(Vec<Statement>, RoleAttributes)],
        action: &str,
        resource: &str,
    ) -> DecisionEffect {
        let surely_denied = |action: &str, resource: &str| {
            roles.iter().any(|(statements, attrs)| {
                statements.iter().any(|s| {
                    s.effect == Effect::Deny
                        && statement_matches(s, action, resource, attrs) == Some(true)
                })
            })
        };
        let statements_allow = roles.iter().fold(Some(false), |acc, (statements, attrs)| {
            or3(acc, allows(statements, action, resource, attrs))
        });
        let denied = if statements_allow == Some(true) {
            let project = first_segment(resource);
            let view = roles.iter().fold(Some(false), |acc, (statements, attrs)| {
                or3(acc, allows(statements, "viewProject", &project, attrs))
            });
            view_rule_applies(action, resource)
                && view == Some(false)
                && surely_denied("viewProject", &project)
        } else {
            surely_denied(action, resource)
        };
        if denied {
            DecisionEffect::Deny
        } else {
            DecisionEffect::DefaultDeny
        }
    }

    /// The first segment of a resource as written, modifiers included.
    fn first_segment(resource: &str) -> String {
        let mut depth_one = split(resource);
        depth_one.truncate(1);
        let segment = &depth_one[0];
        let mut text = segment.ty.clone();
        if let Some(name) = &segment.name {
            text.push('/');
            text.push_str(name);
        }
        let mut modifiers: Vec<String> = segment.tags.clone();
        modifiers.extend(
            segment
                .properties
                .iter()
                .map(|(k, v)| format!("{{{k}:{v}}}")),
        );
        modifiers.extend(segment.views.iter().map(|v| format!("view:{v}")));
        if !modifiers.is_empty() {
            text.push(';');
            text.push_str(&modifiers.join(","));
        }
        text
    }

    /// The base-role table of §4, transcribed.
    pub fn base_role_allows(
        role: &str,
        member: Option<&str>,
        action: &str,
        resource: &str,
    ) -> bool {
        // The project resources of LaunchDarkly's Writer template
        // (https://docs.launchdarkly.com/home/members/example-policies, "Template: built-in Writer role
        // replication") and the project and environment children §4 lists.
        const WRITER: &[&str] = &[
            "proj/*",
            "proj/*:env/*",
            "proj/*:metric/*",
            "proj/*:env/*:flag/*",
            "proj/*:env/*:segment/*",
            "proj/*:env/*:destination/*",
            "proj/*:env/*:user/*",
            "proj/*:context-kind/*",
            "proj/*:metric-group/*",
            "proj/*:layer/*",
            "proj/*:release-pipeline/*",
            "proj/*:view/*",
            "proj/*:aiconfig/*",
            "proj/*:env/*:experiment/*",
            "proj/*:env/*:holdout/*",
            "proj/*:env/*:aiconfig/*",
            "proj/*:env/*:product-analytics-dashboard/*",
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
const ACTION_WORDS: &[&str] = &[
    "update",
    "On",
    "Off",
    "view",
    "Project",
    "create",
    "viewProject",
];
const ACTION_PIECES: &[&str] = &[
    "update",
    "On",
    "Off",
    "view",
    "Project",
    "*",
    "create",
    "viewProject",
];
/// Property selectors of patterns, and the properties a concrete resource may state (keys `c` and `d`).
const PROPERTY_PIECES: &[&str] = &["{c:t}", "{c:f}", "{c:*}", "{d:t}"];
const PROPERTY_KEYS: &[&str] = &["c", "d"];
const PROPERTY_VALUES: &[&str] = &["t", "f"];
/// View selectors of patterns, and the views a concrete resource may state.
const VIEW_PIECES: &[&str] = &[
    "view:v",
    "view:w",
    "view:*",
    "view:${roleAttribute/k}",
    "view:${roleAttribute/missing}",
];
const VIEWS: &[&str] = &["v", "w", "a", "b"];
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
    "proj/a:env/b:user/c",
    "proj/a:view/v",
    "proj/a:env/b:experiment/e",
    "proj/a:env/b:holdout/h",
    "proj/a:env/b:aiconfig/c",
    "proj/a:release-pipeline/r",
    "integration/i",
    "webhook/w",
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

/// `;tag,{c:t},view:v` or nothing: tags, property selectors and views in any order. A concrete resource
/// states each property once.
fn modifiers(rng: &mut Rng, concrete: bool) -> String {
    let count = rng.range(0, 3);
    let mut list: Vec<String> = Vec::new();
    for _ in 0..count {
        let item = match rng.below(4) {
            0 | 1 if concrete => rng.pick(TAGS).to_string(),
            0 => concat(rng, TAG_PIECES, 1, 2),
            1 if rng.chance(50) => rng.pick(PROPERTY_PIECES).to_string(),
            1 => rng.pick(VIEW_PIECES).to_string(),
            2 if concrete => {
                let key = rng.pick(PROPERTY_KEYS);
                if list.iter().any(|m| m.starts_with(&format!("{{{key}:"))) {
                    continue;
                }
                format!("{{{key}:{}}}", rng.pick(PROPERTY_VALUES))
            }
            2 => rng.pick(PROPERTY_PIECES).to_string(),
            _ if concrete => format!("view:{}", rng.pick(VIEWS)),
            _ => rng.pick(VIEW_PIECES).to_string(),
        };
        list.push(item);
    }
    if list.is_empty() {
        String::new()
    } else {
        format!(";{}", list.join(","))
    }
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
    format!("{ty}{name}{}", modifiers(rng, concrete))
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
    // A filled-in name may have become empty (`proj/*` → `proj/`): give it a name again; likewise an
    // emptied tag, property value or view. Each modifier is then kept or left out (left-out properties and
    // views are unknown), and a property stated twice keeps its first value.
    masked_segments(&text)
        .iter()
        .map(|seg| {
            let (head, tail) = seg
                .split_once(';')
                .map_or((seg.as_str(), None), |(h, t)| (h, Some(t)));
            let head = if head.ends_with('/') {
                format!("{head}a")
            } else {
                head.to_string()
            };
            let mut kept: Vec<String> = Vec::new();
            for modifier in tail.into_iter().flat_map(|t| t.split(',')) {
                let modifier = if modifier.is_empty() {
                    "t".to_string()
                } else if modifier == "view=" {
                    "view:v".to_string()
                } else if let Some(view) = modifier.strip_prefix("view=") {
                    format!("view:{view}")
                } else if modifier.ends_with(":}") {
                    modifier.replace(":}", ":t}")
                } else {
                    modifier.to_string()
                };
                let key = modifier
                    .strip_prefix('{')
                    .and_then(|m| m.split_once(':'))
                    .map(|(k, _)| format!("{{{k}:"));
                if key.is_some_and(|key| kept.iter().any(|m| m.starts_with(&key))) {
                    continue;
                }
                if rng.chance(60) {
                    kept.push(modifier);
                }
            }
            if kept.is_empty() {
                head
            } else {
                format!("{head};{}", kept.join(","))
            }
        })
        .collect::<Vec<_>>()
        .join(":")
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
    /// Each role with the role attributes that fill it: a member's own for the roles assigned to it, a
    /// team's for the roles that team grants.
    roles: Vec<(Vec<Statement>, RoleAttributes)>,
    action: String,
    resource: String,
}

fn attributes(rng: &mut Rng) -> RoleAttributes {
    let mut attrs = BTreeMap::new();
    if rng.chance(80) {
        let values = (0..rng.range(1, 3))
            .map(|_| rng.pick(ATTRIBUTE_VALUES).to_string())
            .collect();
        attrs.insert("k".to_string(), values);
    }
    attrs
}

fn case(rng: &mut Rng) -> Case {
    let member = attributes(rng);
    let roles: Vec<(Vec<Statement>, RoleAttributes)> = (0..rng.range(1, 3))
        .map(|_| {
            let statements = (0..rng.range(1, 4)).map(|_| statement(rng)).collect();
            // One role in four comes through a team with attributes of its own.
            let attrs = if rng.chance(25) {
                attributes(rng)
            } else {
                member.clone()
            };
            (statements, attrs)
        })
        .collect();
    let patterns: Vec<String> = roles
        .iter()
        .flat_map(|(statements, _)| statements)
        .flat_map(|s| {
            s.resources
                .iter()
                .chain(&s.not_resources)
                .flatten()
                .cloned()
        })
        .collect();
    let resource = resource_like(rng, &patterns, &member);
    let mentioned: Vec<&String> = roles
        .iter()
        .flat_map(|(statements, _)| statements)
        .flat_map(|s| s.actions.iter().chain(&s.not_actions).flatten())
        .collect();
    let action = if rng.chance(3) {
        "*".to_string()
    } else if !mentioned.is_empty() && rng.chance(50) {
        // An action some statement names, its globs filled in, so that statements apply more often.
        let glob = mentioned[rng.below(mentioned.len())];
        let filled = glob.replace('*', ["", "On", "view", "Project"][rng.below(4)]);
        if filled.is_empty() {
            "updateOn".to_string()
        } else {
            filled
        }
    } else {
        concat(rng, ACTION_WORDS, 1, 2)
    };
    Case {
        roles,
        action,
        resource,
    }
}

fn describe(case: &Case) -> String {
    format!(
        "roles (statements, attributes): {}\naction: {:?}\nresource: {:?}",
        serde_json::to_string_pretty(&case.roles).unwrap_or_default(),
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
    unknown: u64,
    set_allowed: u64,
    set_unknown: u64,
    /// Refused by the view rule alone: the roles allowed the action but not `viewProject`.
    view_rule_refusals: u64,
    completions: u64,
}

fn expected_truth(answer: Option<bool>) -> Truth {
    match answer {
        Some(true) => Truth::Yes,
        Some(false) => Truth::No,
        None => Truth::Unknown,
    }
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
            Outcome::Allowed => tally.allowed += 1,
            Outcome::Denied => tally.denied += 1,
            Outcome::NoMatch => tally.no_match += 1,
            Outcome::Unknown => tally.unknown += 1,
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

/// A generated resource or pattern split into its segments' texts, with each `view:` masked as `view=` and
/// each `{c:t}` kept whole (its `:` is not a chain).
fn masked_segments(text: &str) -> Vec<String> {
    let masked = text.replace(";view:", ";view=").replace(",view:", ",view=");
    let mut glued: Vec<String> = Vec::new();
    for seg in masked.split(':') {
        match glued.last_mut() {
            Some(last) if last.matches('{').count() > last.matches('}').count() => {
                last.push(':');
                last.push_str(seg);
            }
            _ => glued.push(seg.to_string()),
        }
    }
    glued
}

/// Each list of `lists`, once with each of `items` added: the cartesian product, one factor at a time.
fn each_with_one_of(lists: &[Vec<String>], items: &[String]) -> Vec<Vec<String>> {
    lists
        .iter()
        .flat_map(|so_far| {
            items.iter().map(move |item| {
                let mut next = so_far.clone();
                next.push(item.clone());
                next
            })
        })
        .collect()
}

/// Every way of stating what `resource` leaves out, over the generator's alphabet: each property key a
/// segment does not state gets each value, and a segment that states no views gets each single view. At most
/// 16 completions are drawn (all of them when there are fewer).
fn completions(resource: &str) -> Vec<String> {
    let glued = masked_segments(resource);
    // For each segment, the alternatives of what it could add.
    let mut choices: Vec<Vec<Vec<String>>> = Vec::new();
    for seg in &glued {
        let mut per_segment: Vec<Vec<String>> = vec![Vec::new()];
        for key in PROPERTY_KEYS {
            if !seg.contains(&format!("{{{key}:")) {
                let stated: Vec<String> = PROPERTY_VALUES
                    .iter()
                    .map(|value| format!("{{{key}:{value}}}"))
                    .collect();
                per_segment = each_with_one_of(&per_segment, &stated);
            }
        }
        if !seg.contains("view=") {
            let stated: Vec<String> = VIEWS.iter().map(|view| format!("view:{view}")).collect();
            per_segment = each_with_one_of(&per_segment, &stated);
        }
        choices.push(per_segment);
    }
    let total: usize = choices.iter().map(Vec::len).product();
    let mut out = Vec::new();
    for n in 0..total.min(16) {
        // Spread the drawn completions over the whole product.
        let mut index = if total <= 16 { n } else { n * (total / 16) };
        let mut parts = Vec::new();
        for (seg, per_segment) in glued.iter().zip(&choices) {
            let pick = &per_segment[index % per_segment.len()];
            index /= per_segment.len();
            let seg = seg.replace(";view=", ";view:").replace(",view=", ",view:");
            parts.push(match (pick.is_empty(), seg.contains(';')) {
                (true, _) => seg,
                (false, true) => format!("{seg},{}", pick.join(",")),
                (false, false) => format!("{seg};{}", pick.join(",")),
            });
        }
        out.push(parts.join(":"));
    }
    out
}

/// "What the resource string does not state is unknown, never assumed": a definite answer must hold however
/// the unstated facts turn out. Returns how many completions were checked.
fn check_completions(case: &Case, truth: Truth) -> u64 {
    if truth == Truth::Unknown {
        return 0;
    }
    let mut checked = 0;
    for completed in completions(&case.resource) {
        let answer = reference::set_allows(&case.roles, &case.action, &completed);
        assert_eq!(
            expected_truth(answer),
            truth,
            "a definite answer changed once {completed:?} stated what was unknown\n{}",
            describe(case)
        );
        checked += 1;
    }
    checked
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
    // §4's selector and view examples, and the Decision on concrete resources.
    assert_eq!(
        reference::specifier_matches3(
            "proj/*:env/*;{critical:true}:flag/*",
            "proj/p:env/production;{critical:true}:flag/x;view:web",
            &none
        ),
        Some(true)
    );
    assert_eq!(
        reference::specifier_matches3(
            "proj/*:env/*;{critical:true}:flag/*",
            "proj/p:env/production:flag/x",
            &none
        ),
        None
    );
    let mut views = RoleAttributes::new();
    views.insert("viewKeys".into(), vec!["web".into()]);
    assert_eq!(
        reference::specifier_matches3(
            "proj/p:env/*:flag/*;view:${roleAttribute/viewKeys}",
            "proj/p:env/e:flag/x;view:mobile,view:web",
            &views
        ),
        Some(true)
    );
    // "Viewing is required to modify": flags alone are not enough, the project's view is.
    let flags_only = vec![Statement::allow(["proj/*:env/*:flag/*"], ["*"])];
    let roles = [(flags_only.clone(), none.clone())];
    assert_eq!(
        reference::set_allows(&roles, "updateOn", "proj/p:env/e:flag/f"),
        Some(false)
    );
    assert_eq!(
        reference::set_allows(&roles, "viewFlag", "proj/p:env/e:flag/f"),
        Some(true)
    );
    let with_view = [
        (flags_only, none.clone()),
        (
            vec![Statement::allow(["proj/p"], ["viewProject"])],
            none.clone(),
        ),
    ];
    assert_eq!(
        reference::set_allows(&with_view, "updateOn", "proj/p:env/e:flag/f"),
        Some(true)
    );
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

/// A token held by a member whose roles come directly and through teams: the token's own side is its inline
/// policy (filled with the member's attributes); the cap is the member's base role, the custom roles assigned
/// to it (the member's attributes) and each team's roles (that team's attributes), taken together. The answer
/// is the AND of the two sides, each under the view rule (spec §3 and §4).
fn compare_principal(case: &Case, base: &str, rng: &mut Rng) -> Option<bool> {
    let member_id = "m1";
    let member_attrs = case.roles[0].1.clone();
    let (own, cap_roles) = case.roles.split_first().expect("a case has a role");
    // Each remaining role is assigned directly (with the member's attributes) or through a team of its own.
    let mut assigned = Vec::new();
    let mut teams = Vec::new();
    let mut cap: Vec<(Vec<Statement>, RoleAttributes)> = vec![(
        BaseRole::parse(base).unwrap().member_policy(member_id),
        member_attrs.clone(),
    )];
    let mut custom_roles = Vec::new();
    for (i, (statements, _)) in cap_roles.iter().enumerate() {
        let key = format!("r{i}");
        custom_roles.push(serde_json::json!({
            "_id": format!("id{i}"), "key": key, "name": key, "policy": statements, "_links": {}
        }));
        if rng.chance(50) {
            assigned.push(format!("id{i}"));
            cap.push((statements.clone(), member_attrs.clone()));
        } else {
            let team_attrs = attributes(rng);
            teams.push(serde_json::json!({
                "key": format!("team{i}"), "customRoleKeys": [key], "roleAttributes": team_attrs
            }));
            cap.push((statements.clone(), team_attrs));
        }
    }
    let team_summaries: Vec<serde_json::Value> = teams
        .iter()
        .map(|t| serde_json::json!({ "key": t["key"], "name": t["key"], "customRoleKeys": t["customRoleKeys"] }))
        .collect();
    let member: tokengate::Member = serde_json::from_value(serde_json::json!({
        "_id": member_id, "email": "m1@example.com", "role": base, "customRoles": assigned,
        "teams": team_summaries, "roleAttributes": member_attrs, "_links": {}
    }))
    .expect("a generated member decodes");
    let token: tokengate::Token = serde_json::from_value(serde_json::json!({
        "_id": "t1", "ownerId": member_id, "memberId": member_id, "creationDate": 1, "lastModified": 1,
        "inlineRole": own.0, "_links": {}
    }))
    .expect("a generated token decodes");
    let roles: Vec<tokengate::CustomRole> =
        serde_json::from_value(serde_json::Value::Array(custom_roles))
            .expect("generated roles decode");
    let teams: Vec<tokengate::Team> =
        serde_json::from_value(serde_json::Value::Array(teams)).expect("generated teams decode");
    let principal = tokengate::Principal::with_teams(&token, Some(&member), &roles, &teams);
    let own_side = [(own.0.clone(), member_attrs)];
    let expected = reference::and3(
        reference::set_allows(&own_side, &case.action, &case.resource),
        reference::set_allows(&cap, &case.action, &case.resource),
    );
    let decision = principal
        .can(&case.action, &case.resource)
        .expect("the resource parses");
    assert_eq!(
        (decision.allowed, decision.indeterminate),
        (expected == Some(true), expected.is_none()),
        "DISAGREEMENT for a principal (member base role {base}, teams {})\n{}\n{}",
        serde_json::to_string(&teams).unwrap_or_default(),
        decision.reason,
        describe(case)
    );
    expected
}

#[test]
fn principals_with_teams_agree_with_the_naive_reading_of_the_spec() {
    let cases = env_number("DIFF_CASES", 10_000) / 4;
    let seed = env_number("DIFF_SEED", 0x7065_726d_6974) ^ 0x7465_616d;
    let mut rng = Rng(seed);
    let (mut allowed, mut unknown, mut refused) = (0u64, 0u64, 0u64);
    for _ in 0..cases {
        let case = case(&mut rng);
        let base = rng.pick(BASE_ROLES);
        match compare_principal(&case, base, &mut rng) {
            Some(true) => allowed += 1,
            None => unknown += 1,
            Some(false) => refused += 1,
        }
    }
    eprintln!(
        "differential: {cases} principals with teams (seed {seed}) agree: {allowed} allowed, {unknown} indeterminate, {refused} refused"
    );
    assert!(
        allowed * 50 >= cases && unknown * 400 >= cases,
        "the principal cases must exercise allowed and indeterminate answers"
    );
}
