//! Roles that come to a member through its teams, and its permission grants (spec §4): they join the cap
//! on the member's tokens. Docs "Member role concepts"
//! (https://launchdarkly.com/docs/home/account/roles/role-concepts): "Each member must have at least one
//! role assigned to them, either directly or through a team."

mod support;

use serde_json::json;
use support::builders::*;
use tokengate::Principal;
use tokengate::{Member, Statement, Team};

/// A member with `teams` (key, name, customRoleKeys) and optional permission grants and role attributes.
fn team_member(
    id: &str,
    base: &str,
    teams: &[(&str, &[&str])],
    extra: serde_json::Value,
) -> Member {
    let teams: Vec<_> = teams
        .iter()
        .map(|(key, roles)| json!({ "key": key, "name": format!("Team {key}"), "customRoleKeys": roles }))
        .collect();
    let mut value = json!({
        "_id": id,
        "email": format!("{id}@example.com"),
        "role": base,
        "customRoles": [],
        "teams": teams,
    });
    if let (Some(value), Some(extra)) = (value.as_object_mut(), extra.as_object()) {
        value.extend(extra.clone());
    }
    serde_json::from_value(value).expect("member decodes")
}

/// A team as `GET /api/v2/teams/{key}?expand=roles,roleAttributes` returns it.
fn team(key: &str, roles: &[&str], attributes: Option<serde_json::Value>) -> Team {
    let items: Vec<_> = roles
        .iter()
        .map(|r| json!({ "key": r, "name": format!("Role {r}") }))
        .collect();
    let mut value = json!({
        "key": key,
        "name": format!("Team {key}"),
        "roles": { "totalCount": roles.len(), "items": items },
    });
    if let Some(attributes) = attributes {
        value["roleAttributes"] = attributes;
    }
    serde_json::from_value(value).expect("team decodes")
}

fn scoped_flags_role() -> tokengate::CustomRole {
    role(
        "r-flags",
        "project-flags",
        vec![
            Statement::allow(
                ["proj/${roleAttribute/projects}:env/*:flag/*"],
                ["updateOn"],
            ),
            // Acting in a project needs viewing it.
            Statement::allow(["proj/${roleAttribute/projects}"], ["viewProject"]),
        ],
        None,
    )
}

fn token_creator_role() -> tokengate::CustomRole {
    role(
        "r-create",
        "token-creator",
        vec![Statement::allow(
            ["member/*:token/*"],
            ["createAccessToken", "deleteAccessToken"],
        )],
        None,
    )
}

#[test]
fn team_roles_join_the_members_cap() {
    // A no_access member whose only rights come from a team: "either directly or through a team".
    let roles = [token_creator_role()];
    let tara = team_member(
        "tara",
        "no_access",
        &[("ops", &["token-creator"])],
        json!({}),
    );
    let teams = [team("ops", &["token-creator"], Some(json!({})))];
    let token = personal("tara-admin", "tara", Perm::Role("admin"));
    let own = personal("tara-2", "tara", Perm::Role("reader"));

    let with_team = Principal::with_teams(&token, Some(&tara), &roles, &teams);
    let decision = with_team.check_action(&own, "deleteAccessToken");
    assert!(decision.allowed, "{}", decision.reason);
    assert!(
        decision.reason.contains("teams ops"),
        "the cap names the team: {}",
        decision.reason
    );
    let team_source = decision
        .matched
        .iter()
        .find_map(|m| m.role.as_ref().filter(|r| r.key == "token-creator"))
        .expect("the team role's statement is shown");
    assert_eq!(
        serde_json::to_value(team_source.kind).unwrap(),
        json!("teamRole")
    );
    // The team grants nothing else: the admin token is still capped to it.
    assert!(
        !with_team
            .can("updateOn", "proj/p:env/e:flag/f")
            .unwrap()
            .allowed
    );
    // It is how this no_access member creates tokens at all (docs "API access tokens": "all account members
    // can create access tokens limited to their existing permissions").
    let body = tokengate::AccessTokenPost {
        role: Some("admin".into()),
        ..Default::default()
    };
    let create = with_team.check_create(&body);
    assert!(create.allowed, "{}", create.reason);
    // Without the team's membership, the same member allows nothing.
    let alone = team_member("tara", "no_access", &[], json!({}));
    let without = Principal::with_teams(&token, Some(&alone), &roles, &teams);
    assert!(!without.check_action(&own, "deleteAccessToken").allowed);
}

#[test]
fn a_teams_role_attributes_fill_the_roles_that_team_grants() {
    let roles = [scoped_flags_role()];
    // The member's own attributes say web; the team's say mobile. The role comes through the team, so the
    // team's attributes fill it.
    let mia = team_member(
        "mia",
        "no_access",
        &[("mobile-team", &["project-flags"])],
        json!({ "roleAttributes": { "projects": ["web"] } }),
    );
    let teams = [team(
        "mobile-team",
        &["project-flags"],
        Some(json!({ "projects": ["mobile"] })),
    )];
    let token = personal("mia-writer", "mia", Perm::Role("writer"));
    let principal = Principal::with_teams(&token, Some(&mia), &roles, &teams);
    let mobile = principal
        .can("updateOn", "proj/mobile:env/prod:flag/f")
        .unwrap();
    assert!(mobile.allowed, "{}", mobile.reason);
    let web = principal
        .can("updateOn", "proj/web:env/prod:flag/f")
        .unwrap();
    assert!(!web.allowed && !web.indeterminate, "{}", web.reason);

    // The same role assigned to the member directly reads the member's own attributes.
    let mut direct = mia.clone();
    direct.teams = None;
    direct.custom_roles = vec!["r-flags".into()];
    let principal = Principal::with_teams(&token, Some(&direct), &roles, &teams);
    assert!(
        principal
            .can("updateOn", "proj/web:env/prod:flag/f")
            .unwrap()
            .allowed
    );
    assert!(
        !principal
            .can("updateOn", "proj/mobile:env/prod:flag/f")
            .unwrap()
            .allowed
    );
}

#[test]
fn a_team_not_supplied_is_missing_when_its_roles_read_role_attributes() {
    let roles = [scoped_flags_role(), token_creator_role()];
    let mia = team_member(
        "mia",
        "no_access",
        &[
            ("mobile-team", &["project-flags"]),
            ("ops", &["token-creator"]),
        ],
        json!({}),
    );
    let token = personal("mia-admin", "mia", Perm::Role("admin"));
    let own = personal("mia-2", "mia", Perm::Role("reader"));
    // No team supplied (`Principal::new` supplies none).
    let principal = Principal::new(&token, Some(&mia), &roles);
    let flag = principal
        .can("updateOn", "proj/mobile:env/prod:flag/f")
        .unwrap();
    assert!(!flag.allowed && flag.indeterminate, "{}", flag.reason);
    assert_eq!(flag.missing_roles, vec!["team/mobile-team".to_string()]);
    assert!(
        flag.reason
            .contains("team \"Team mobile-team\" was not supplied"),
        "{}",
        flag.reason
    );
    // The ops team's role reads no attribute: it counts without the team, and allows for sure.
    let delete = principal.check_action(&own, "deleteAccessToken");
    assert!(delete.allowed, "{}", delete.reason);

    // A team supplied without `expand=roleAttributes` cannot fill its roles either.
    let bare = [team("mobile-team", &["project-flags"], None)];
    let principal = Principal::with_teams(&token, Some(&mia), &roles, &bare);
    let flag = principal
        .can("updateOn", "proj/mobile:env/prod:flag/f")
        .unwrap();
    assert!(flag.indeterminate, "{}", flag.reason);
    assert!(
        flag.reason.contains("without its role attributes"),
        "{}",
        flag.reason
    );
}

#[test]
fn a_team_role_not_supplied_is_missing_by_its_key() {
    let mia = team_member(
        "mia",
        "no_access",
        &[("ops", &["token-creator"])],
        json!({}),
    );
    let teams = [team("ops", &["token-creator"], Some(json!({})))];
    let token = personal("mia-admin", "mia", Perm::Role("admin"));
    let own = personal("mia-2", "mia", Perm::Role("reader"));
    let principal = Principal::with_teams(&token, Some(&mia), &[], &teams);
    let decision = principal.check_action(&own, "deleteAccessToken");
    assert!(decision.indeterminate, "{}", decision.reason);
    assert_eq!(decision.missing_roles, vec!["token-creator".to_string()]);
}

#[test]
fn a_team_whose_expanded_roles_leave_some_out_is_missing() {
    let roles = [token_creator_role()];
    let mia = team_member(
        "mia",
        "no_access",
        &[("ops", &["token-creator"])],
        json!({}),
    );
    let mut ops = team("ops", &["token-creator"], Some(json!({})));
    ops.roles.as_mut().unwrap().total_count = Some(30);
    let token = personal("mia-admin", "mia", Perm::Role("admin"));
    let principal = Principal::with_teams(&token, Some(&mia), &roles, &[ops]);
    let other = principal.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(other.indeterminate, "{}", other.reason);
    assert_eq!(other.missing_roles, vec!["team/ops".to_string()]);
    assert!(
        other.reason.contains("has 30 roles, but only 1"),
        "{}",
        other.reason
    );
}

#[test]
fn a_permission_grant_with_actions_is_an_allow_of_the_members() {
    // The schema's example grant: `maintainTeam` on `team/qa-team` (identity-and-roles.openapi.json,
    // MemberPermissionGrantSummaryRep).
    let quinn = team_member(
        "quinn",
        "reader",
        &[],
        json!({ "permissionGrants": [{ "resource": "team/qa-team", "actions": ["maintainTeam"] }] }),
    );
    let grant_all = role("r-all", "all", vec![Statement::allow(["*"], ["*"])], None);
    let token = personal("quinn-all", "quinn", Perm::Custom(&["r-all"]));
    let principal = Principal::new(&token, Some(&quinn), &[grant_all]);
    let granted = principal.can("maintainTeam", "team/qa-team").unwrap();
    assert!(granted.allowed, "{}", granted.reason);
    assert!(
        granted.reason.contains("permission grants"),
        "{}",
        granted.reason
    );
    let elsewhere = principal.can("maintainTeam", "team/dev-team").unwrap();
    assert!(!elsewhere.allowed && !elsewhere.indeterminate);
    let other_action = principal.can("deleteTeam", "team/qa-team").unwrap();
    assert!(!other_action.allowed && !other_action.indeterminate);
}

#[test]
fn an_answer_an_action_set_could_change_is_indeterminate_naming_the_set() {
    let quinn = team_member(
        "quinn",
        "reader",
        &[],
        json!({ "permissionGrants": [{ "resource": "team/qa-team", "actionSet": "maintainTeam" }] }),
    );
    let grant_all = role("r-all", "all", vec![Statement::allow(["*"], ["*"])], None);
    let token = personal("quinn-all", "quinn", Perm::Custom(&["r-all"]));
    let principal = Principal::new(&token, Some(&quinn), &[grant_all]);
    let decision = principal.can("addTeamMembers", "team/qa-team").unwrap();
    assert!(
        !decision.allowed && decision.indeterminate,
        "{}",
        decision.reason
    );
    assert_eq!(
        decision.missing_roles,
        vec!["actionSet/maintainTeam".to_string()]
    );
    assert!(
        decision
            .reason
            .contains("action set \"maintainTeam\" on team/qa-team"),
        "{}",
        decision.reason
    );
    // What the member's reader role allows stays allowed.
    assert!(principal.can("viewProject", "proj/p").unwrap().allowed);
    // The set reaches only its own resource: elsewhere the answer stays definite.
    let elsewhere = principal.can("addTeamMembers", "team/other-team").unwrap();
    assert!(
        !elsewhere.allowed && !elsewhere.indeterminate,
        "{}",
        elsewhere.reason
    );
    assert!(elsewhere.missing_roles.is_empty());
}

#[test]
fn an_action_set_on_a_project_could_grant_its_view() {
    // A grant of a set on the project could hold `viewProject`, which another role's flag allow needs.
    let pia = team_member(
        "pia",
        "no_access",
        &[],
        json!({
            "customRoles": ["r-flags-only"],
            "permissionGrants": [{ "resource": "proj/p", "actionSet": "projectViewer" }]
        }),
    );
    let flags_only = role(
        "r-flags-only",
        "flags-only",
        vec![Statement::allow(["proj/*:env/*:flag/*"], ["updateOn"])],
        None,
    );
    let token = personal("pia-admin", "pia", Perm::Role("admin"));
    let principal = Principal::new(&token, Some(&pia), &[flags_only]);
    let in_p = principal.can("updateOn", "proj/p:env/e:flag/f").unwrap();
    assert!(in_p.indeterminate, "{}", in_p.reason);
    assert_eq!(
        in_p.missing_roles,
        vec!["actionSet/projectViewer".to_string()]
    );
    // In another project nothing could grant the view: refused by the view rule, for certain.
    let in_q = principal.can("updateOn", "proj/q:env/e:flag/f").unwrap();
    assert!(!in_q.allowed && !in_q.indeterminate, "{}", in_q.reason);
}

#[test]
fn the_schema_examples_of_team_and_member_teams_decode() {
    // The `Team` example of teams.openapi.json (LaunchDarkly's schema), abridged to the fields read here.
    let team: Team = serde_json::from_value(json!({
        "key": "team-key-123abc",
        "name": "Example team",
        "description": "Description for this team.",
        "_creationDate": 0,
        "_lastModified": 6,
        "_version": 3,
        "_idpSynced": true,
        "roleAttributes": { "key": ["a", "b"] },
        "members": { "totalCount": 15 },
        "roles": {
            "totalCount": 1,
            "items": [{ "appliedOn": 1, "name": "Example role", "key": "role-key-123abc" }],
            "_links": { "self": { "href": "/api/v2/teams/example-team/roles?limit=25", "type": "application/json" } }
        },
        "_links": { "self": { "href": "/api/v2/teams/example-team", "type": "application/json" } }
    }))
    .expect("the schema's example decodes");
    assert_eq!(team.role_keys(), Some(vec!["role-key-123abc"]));
    assert_eq!(team.roles_left_out(), 0);
    // Without `expand=roles` the team says nothing of its roles.
    let bare: Team = serde_json::from_value(json!({ "key": "t" })).unwrap();
    assert_eq!(bare.role_keys(), None);
    // MemberTeamSummaryRep's example.
    let member = team_member(
        "m",
        "reader",
        &[("team-key-123abc", &["access-to-test-projects"])],
        json!({}),
    );
    let summary = &member.teams.as_ref().unwrap()[0];
    assert_eq!(summary.custom_role_keys, vec!["access-to-test-projects"]);
}

#[test]
fn a_team_roles_base_permissions_count_even_when_the_team_is_missing() {
    // The role reads role attributes, so without the team its policy cannot be filled; what its
    // `basePermissions: reader` adds names no attribute, and the role has no deny that could take it away, so
    // it counts all the same.
    let reading = role(
        "r-read-flags",
        "read-and-flags",
        vec![Statement::allow(
            ["proj/${roleAttribute/projects}:env/*:flag/*"],
            ["updateOn"],
        )],
        Some("reader"),
    );
    let mia = team_member(
        "mia",
        "no_access",
        &[("mobile-team", &["read-and-flags"])],
        json!({}),
    );
    let token = personal("mia-admin", "mia", Perm::Role("admin"));
    let principal = Principal::new(&token, Some(&mia), &[reading]);
    let view = principal.can("viewProject", "proj/mobile").unwrap();
    assert!(view.allowed, "{}", view.reason);
    let flag = principal
        .can("updateOn", "proj/mobile:env/prod:flag/f")
        .unwrap();
    assert!(flag.indeterminate, "{}", flag.reason);
    assert_eq!(flag.missing_roles, vec!["team/mobile-team".to_string()]);
}
