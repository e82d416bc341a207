//! The generator: a seeded small-alphabet source of valid policies, actions and resources.

use crate::reference;
use std::collections::BTreeMap;
use tokengate::{Effect, RoleAttributes, Statement};

/// SplitMix64: tiny, seeded, good enough to spread cases.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    pub fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    pub fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }
}

const TYPES: &[&str] = &["proj", "env", "flag", "member", "token", "acct"];
/// Names a question may ask about. `*` among them makes some questions wildcards, which the engine must refuse
/// rather than answer (see [`asks_a_wildcard`]).
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
pub const PROPERTY_KEYS: &[&str] = &["c", "d"];
pub const PROPERTY_VALUES: &[&str] = &["t", "f"];
/// View selectors of patterns, and the views a concrete resource may state.
const VIEW_PIECES: &[&str] = &[
    "view:v",
    "view:w",
    "view:*",
    "view:${roleAttribute/k}",
    "view:${roleAttribute/missing}",
];
pub const VIEWS: &[&str] = &["v", "w", "a", "b"];
const ATTRIBUTE_VALUES: &[&str] = &["a", "b", "ab", "a-", "ba"];
pub const BASE_ROLES: &[&str] = &["reader", "writer", "admin", "owner", "no_access"];

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

pub struct Case {
    /// Each role with the role attributes that fill it: a member's own for the roles assigned to it, a
    /// team's for the roles that team grants.
    pub roles: Vec<(Vec<Statement>, RoleAttributes)>,
    pub action: String,
    pub resource: String,
}

pub fn attributes(rng: &mut Rng) -> RoleAttributes {
    let mut attrs = BTreeMap::new();
    if rng.chance(80) {
        let values = (0..rng.range(1, 3))
            .map(|_| rng.pick(ATTRIBUTE_VALUES).to_string())
            .collect();
        attrs.insert("k".to_string(), values);
    }
    attrs
}

pub fn case(rng: &mut Rng) -> Case {
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

/// Whether the case asks about `*` (an action, or a name in the resource): that is not one question, so the engine
/// refuses it (`invalid_action`, `invalid_resource`) rather than answering; the comparisons check that and stop.
pub fn asks_a_wildcard(case: &Case) -> bool {
    case.action.contains('*') || case.resource.contains('*')
}

pub fn describe(case: &Case) -> String {
    format!(
        "roles (statements, attributes): {}\naction: {:?}\nresource: {:?}",
        serde_json::to_string_pretty(&case.roles).unwrap_or_default(),
        case.action,
        case.resource
    )
}

/// A generated resource or pattern split into its segments' texts, with each `view:` masked as `view=` and
/// each `{c:t}` kept whole (its `:` is not a chain).
pub fn masked_segments(text: &str) -> Vec<String> {
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
