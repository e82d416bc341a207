//! Properties of the token rules over generated roles, tokens and requests.

mod support;

use proptest::prelude::*;
use support::builders::*;
use tokengate::Principal;
use tokengate::{BaseRole, CompiledPolicy, PolicyOutcome, PolicySource, Resource};
use tokengate::{CustomRole, Member, MemberTeamSummary, RoleAttributes, Statement, Team, Token};

const ACTIONS: &[&str] = &[
    "updateOn",
    "deleteFlag",
    "viewProject",
    "deleteAccessToken",
    "resetAccessToken",
    "createAccessToken",
];
const RESOURCES: &[&str] = &[
    "proj/mobile",
    "proj/mobile:env/prod:flag/f",
    "member/ada:token/t1",
    "member/bob:token/t2",
    "service-token/s1",
    "role/r",
];
const PATTERNS: &[&str] = &[
    "proj/*",
    "proj/*:env/*:flag/*",
    "member/*:token/*",
    "member/ada:token/*",
    "service-token/*",
    "*",
];
const ACTION_PATTERNS: &[&str] = &["*", "update*", "deleteAccessToken", "viewProject", "reset*"];

fn statement() -> impl Strategy<Value = Statement> {
    (
        prop::sample::subsequence(PATTERNS, 1..3),
        prop::sample::subsequence(ACTION_PATTERNS, 1..3),
        any::<bool>(),
    )
        .prop_map(|(resources, actions, deny)| {
            if deny {
                Statement::deny(resources.iter().copied(), actions.iter().copied())
            } else {
                Statement::allow(resources.iter().copied(), actions.iter().copied())
            }
        })
}

fn custom_roles() -> impl Strategy<Value = Vec<CustomRole>> {
    prop::collection::vec((prop::collection::vec(statement(), 0..3), any::<bool>()), 4).prop_map(
        |specs| {
            specs
                .into_iter()
                .enumerate()
                .map(|(i, (policy, reader))| {
                    role(
                        &format!("r{i}"),
                        &format!("k{i}"),
                        policy,
                        reader.then_some("reader"),
                    )
                })
                .collect()
        },
    )
}

const BASES: &[&str] = &["no_access", "reader", "writer", "admin", "owner"];

#[derive(Debug, Clone)]
struct Case {
    roles: Vec<CustomRole>,
    token: Token,
    member: Member,
    supplied: Vec<bool>,
    action: &'static str,
    resource: &'static str,
}

fn case() -> impl Strategy<Value = Case> {
    (
        custom_roles(),
        prop_oneof![
            prop::sample::select(&["reader", "writer", "admin"][..])
                .prop_map(|r| (Some(r), vec![])),
            prop::sample::subsequence(vec![0usize, 1, 2, 3], 1..4).prop_map(|ids| (None, ids)),
        ],
        prop::sample::select(BASES),
        prop::sample::subsequence(vec![0usize, 1, 2, 3], 0..3),
        prop::collection::vec(any::<bool>(), 4),
        prop::sample::select(ACTIONS),
        prop::sample::select(RESOURCES),
        any::<bool>(),
    )
        .prop_map(
            |(
                roles,
                (token_role, token_roles),
                base,
                member_roles,
                supplied,
                action,
                resource,
                svc,
            )| {
                let ids: Vec<String> = token_roles.iter().map(|i| format!("r{i}")).collect();
                let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
                let perm = match token_role {
                    Some(r) => Perm::Role(r),
                    None => Perm::Custom(&id_refs),
                };
                let token = if svc {
                    service("t1", "ada", perm)
                } else {
                    personal("t1", "ada", perm)
                };
                let member_ids: Vec<String> =
                    member_roles.iter().map(|i| format!("r{i}")).collect();
                let member_refs: Vec<&str> = member_ids.iter().map(String::as_str).collect();
                Case {
                    member: member("ada", base, &member_refs),
                    roles,
                    token,
                    supplied,
                    action,
                    resource,
                }
            },
        )
}

/// An independent oracle: each side is the OR of its roles checked one by one (each role's own statements,
/// without the view rule), then the view rule over the side's roles taken together ("a view one role grants
/// lets another role's allow act"); the answer is the AND of the sides.
fn oracle(c: &Case) -> bool {
    let attrs = RoleAttributes::new();
    let statements_allow = |statements: &[Statement], action: &str, resource: &str| {
        CompiledPolicy::compile(PolicySource::statements(), statements, &attrs)
            .unwrap()
            .outcome(action, &Resource::parse(resource).unwrap())
            == PolicyOutcome::Allowed
    };
    // A role's `basePermissions: reader` is part of the role's own policy: its denies reach it.
    let role_allows = |id: &String, action: &str, resource: &str| {
        let role = c.roles.iter().find(|r| &r.id == id).unwrap();
        let mut statements = role.policy.clone();
        if role.base_permissions.as_deref() == Some("reader") {
            statements.extend(BaseRole::Reader.token_policy());
        }
        statements_allow(&statements, action, resource)
    };
    let own_raw = |action: &str, resource: &str| match &c.token.role {
        Some(r) => statements_allow(
            &BaseRole::parse(r).unwrap().token_policy(),
            action,
            resource,
        ),
        None => c
            .token
            .custom_role_ids
            .as_ref()
            .unwrap()
            .iter()
            .any(|id| role_allows(id, action, resource)),
    };
    let base = BaseRole::parse(&c.member.role).unwrap();
    // Roles assigned to the member directly replace its base role (spec §4); only without them is the base
    // role's row in effect.
    let cap_raw = |action: &str, resource: &str| {
        if c.member.custom_roles.is_empty() {
            statements_allow(&base.member_policy(&c.member.id), action, resource)
        } else {
            c.member
                .custom_roles
                .iter()
                .any(|id| role_allows(id, action, resource))
        }
    };
    // "Viewing is required to modify": anything but a view action under `proj/<key>` also needs
    // `viewProject` on `proj/<key>`.
    let project = c.resource.split(':').next().unwrap();
    let needs_view = !c.action.starts_with("view") && project.starts_with("proj/");
    let side = |raw: &dyn Fn(&str, &str) -> bool| {
        raw(c.action, c.resource) && (!needs_view || raw("viewProject", project))
    };
    side(&own_raw) && side(&cap_raw)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn with_every_role_supplied_the_answer_is_own_roles_and_creator_cap(c in case()) {
        let principal = Principal::new(&c.token, Some(&c.member), &c.roles);
        let decision = principal.can(c.action, c.resource).unwrap();
        prop_assert!(!decision.indeterminate, "{}", decision.reason);
        prop_assert_eq!(decision.allowed, oracle(&c), "{}", decision.reason);
        let resource = tokengate::Resource::parse(c.resource).unwrap();
        prop_assert_eq!(principal.is_allowed(c.action, &resource), decision.allowed);
    }

    #[test]
    fn missing_roles_never_give_a_wrong_answer(c in case()) {
        let full = Principal::new(&c.token, Some(&c.member), &c.roles)
            .can(c.action, c.resource)
            .unwrap();
        let supplied: Vec<CustomRole> = c.roles.iter().zip(&c.supplied).filter(|(_, s)| **s).map(|(r, _)| r.clone()).collect();
        let partial = Principal::new(&c.token, Some(&c.member), &supplied).can(c.action, c.resource).unwrap();
        if partial.allowed {
            prop_assert!(full.allowed, "partial allowed but full refused: {}", full.reason);
        } else if !partial.indeterminate {
            prop_assert!(!full.allowed, "partial refused outright but full allowed: {}", partial.reason);
        } else {
            prop_assert!(!partial.missing_roles.is_empty());
            for missing in &partial.missing_roles {
                prop_assert!(!supplied.iter().any(|r| &r.id == missing), "{} was supplied", missing);
            }
        }
        // Without the creator, nothing is allowed for sure.
        let no_creator = Principal::new(&c.token, None, &c.roles).can(c.action, c.resource).unwrap();
        prop_assert!(!no_creator.allowed);
        if full.allowed {
            prop_assert!(no_creator.indeterminate, "{}", no_creator.reason);
            prop_assert_eq!(&no_creator.missing_roles, &vec!["member/ada".to_string()]);
        }
    }

    #[test]
    fn the_unexplained_answer_is_the_decision_without_its_reasons(c in case()) {
        let supplied: Vec<CustomRole> = c.roles.iter().zip(&c.supplied).filter(|(_, s)| **s).map(|(r, _)| r.clone()).collect();
        let resource = tokengate::Resource::parse(c.resource).unwrap();
        for principal in [
            Principal::new(&c.token, Some(&c.member), &c.roles),
            Principal::new(&c.token, Some(&c.member), &supplied),
            Principal::new(&c.token, None, &c.roles),
        ] {
            let decision = principal.decide(c.action, &resource);
            let answer = principal.verdict(c.action, &resource);
            prop_assert_eq!(answer.allowed(), decision.allowed, "{}", decision.reason);
            prop_assert_eq!(answer.effect(), decision.effect, "{}", decision.reason);
            prop_assert_eq!(answer.indeterminate(), decision.indeterminate, "{}", decision.reason);
        }
    }

    #[test]
    fn adding_a_team_role_never_removes_a_permission(c in case(), k in 0usize..4, supply_team in any::<bool>()) {
        let before = Principal::new(&c.token, Some(&c.member), &c.roles)
            .can(c.action, c.resource)
            .unwrap();
        let mut joined = c.member.clone();
        joined.teams = Some(vec![MemberTeamSummary {
            custom_role_keys: vec![format!("k{k}")],
            key: "crew".into(),
            links: None,
            name: "Crew".into(),
        }]);
        let team: Team = serde_json::from_value(serde_json::json!({
            "key": "crew",
            "roles": { "totalCount": 1, "items": [{ "key": format!("k{k}") }] },
            "roleAttributes": {},
        }))
        .unwrap();
        let teams = if supply_team { vec![team] } else { Vec::new() };
        let after = Principal::with_teams(&c.token, Some(&joined), &c.roles, &teams)
            .can(c.action, c.resource)
            .unwrap();
        if before.allowed {
            prop_assert!(after.allowed, "the team's role took away: {}", after.reason);
        }
        // Every generated role reads no role attribute, so whether the team itself was supplied never matters.
        prop_assert!(!after.indeterminate, "{}", after.reason);
    }
}
