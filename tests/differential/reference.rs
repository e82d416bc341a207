//! The reference: §4 of the spec, read literally.

// `None` is "unknown" here, not a failure: folding must go on past it, so `try_fold` would be wrong.
#![allow(clippy::manual_try_fold)]

use tokengate::{DecisionEffect, Effect, PolicyOutcome, RoleAttributes, Statement};

/// "`*` is a glob matching any run of characters": plain recursion, no cleverness.
pub fn glob(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => glob(rest, text) || (!text.is_empty() && glob(pattern, &text[1..])),
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
                if let Some(inner) = modifier.strip_prefix('{').and_then(|m| m.strip_suffix('}')) {
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
pub fn specifier_matches3(pattern: &str, resource: &str, attrs: &RoleAttributes) -> Option<bool> {
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
) -> PolicyOutcome {
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
        (Some(true), _) => PolicyOutcome::Denied,
        (Some(false), Some(true)) => PolicyOutcome::Allowed,
        (Some(false), Some(false)) => PolicyOutcome::NoMatch,
        _ => PolicyOutcome::Unknown,
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

/// The project resources of LaunchDarkly's Writer template
/// (https://docs.launchdarkly.com/home/members/example-policies, "Template: built-in Writer role
/// replication") and the project and environment children §4 lists.
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

/// §3's personal-token actions (`member/*:token/*`).
const PERSONAL_TOKEN: &[&str] = &[
    "createAccessToken",
    "updateAccessTokenPolicy",
    "updateAccessTokenName",
    "updateAccessTokenDescription",
    "deleteAccessToken",
    "resetAccessToken",
];

/// The base-role table of §4, transcribed.
pub fn base_role_allows(role: &str, member: Option<&str>, action: &str, resource: &str) -> bool {
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

/// The base-role table of §4 as the statements of the member's row ("as the member's role (caps that member's
/// tokens)"), transcribed: what a member holds when its base role is in effect.
pub fn base_role_row(role: &str, member: &str) -> Vec<Statement> {
    let own_tokens = Statement::allow(
        [format!("member/{member}:token/*")],
        PERSONAL_TOKEN.iter().copied(),
    );
    match role {
        "admin" | "owner" => vec![Statement::allow(["*"], ["*"])],
        "writer" => vec![Statement::allow(WRITER.iter().copied(), ["*"]), own_tokens],
        "reader" => vec![Statement::allow(["proj/*"], ["viewProject"]), own_tokens],
        _ => Vec::new(),
    }
}

/// A member's roles, each with the role attributes that fill it.
pub struct MemberRoles {
    pub base: String,
    pub id: String,
    pub attrs: RoleAttributes,
    /// Roles assigned to the member directly (`customRoles`), filled with the member's attributes.
    pub direct: Vec<Vec<Statement>>,
    /// Roles its teams grant, each with its team's attributes.
    pub through_teams: Vec<(Vec<Statement>, RoleAttributes)>,
    /// Its permission grants with `actions`, as allow statements.
    pub grants: Vec<Statement>,
}

/// §4 "Which roles a member holds": "its directly assigned custom or preset roles replace its base role; if it
/// has none, its base role is in effect; team roles always add on top of either"; a member's grants are allow
/// statements of its own. What it may do is then [`set_allows`] over these roles taken together.
pub fn held_roles(member: &MemberRoles) -> Vec<(Vec<Statement>, RoleAttributes)> {
    let mut held: Vec<(Vec<Statement>, RoleAttributes)> = if member.direct.is_empty() {
        vec![(
            base_role_row(&member.base, &member.id),
            RoleAttributes::new(),
        )]
    } else {
        member
            .direct
            .iter()
            .map(|statements| (statements.clone(), member.attrs.clone()))
            .collect()
    };
    held.extend(member.through_teams.iter().cloned());
    if !member.grants.is_empty() {
        held.push((member.grants.clone(), member.attrs.clone()));
    }
    held
}
