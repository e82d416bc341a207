//! Teams in the emulator: `GET /api/v2/teams/{teamKey}` and its `expand`, members carrying their teams,
//! team roles counting in every permission check, `no_access` members creating tokens through their roles,
//! and service tokens outliving their creator. Every body is checked against LaunchDarkly's schemas
//! (`teams.openapi.json`, `identity-and-roles.openapi.json`).

mod support;

use serde_json::json;
use support::*;

#[test]
fn a_team_has_roles_and_role_attributes_only_when_expanded() {
    let emu = Emulator::demo();
    let bare = emu
        .get("/api/v2/teams/mobile-team", OWNER)
        .expect(200, "Team");
    assert_eq!(bare["key"], "mobile-team");
    assert_eq!(bare["name"], "Mobile team");
    assert_eq!(bare["_links"]["self"]["href"], "/api/v2/teams/mobile-team");
    for field in ["roles", "roleAttributes", "members"] {
        assert!(bare.get(field).is_none(), "{field} without expand: {bare}");
    }
    let expanded = emu
        .get(
            "/api/v2/teams/mobile-team?expand=roles,roleAttributes",
            OWNER,
        )
        .expect(200, "Team");
    assert_eq!(expanded["roles"]["totalCount"], 1);
    assert_eq!(expanded["roles"]["items"][0]["key"], "project-writer");
    assert_eq!(expanded["roles"]["items"][0]["name"], "Project writer");
    assert_eq!(expanded["roleAttributes"], json!({"projects": ["mobile"]}));
    assert!(expanded.get("members").is_none());
    let counted = emu
        .get("/api/v2/teams/mobile-team?expand=members", OWNER)
        .expect(200, "Team");
    assert_eq!(counted["members"], json!({"totalCount": 1}));
    assert!(counted.get("roles").is_none());
    // A team with no role attributes of its own says so when asked.
    let release = emu
        .get(
            "/api/v2/teams/release-managers?expand=roleAttributes",
            OWNER,
        )
        .expect(200, "Team");
    assert_eq!(release["roleAttributes"], json!({}));
    emu.get("/api/v2/teams/no-such-team", OWNER)
        .expect_error(404, "not_found");
}

#[test]
fn members_carry_their_teams_and_read_them() {
    let emu = Emulator::demo();
    let tara = emu
        .get(&format!("/api/v2/members/{TARA_MEMBER}"), OWNER)
        .expect(200, "Member");
    assert_eq!(
        tara["teams"][0],
        json!({
            "customRoleKeys": ["project-writer"],
            "key": "mobile-team",
            "_links": {"self": {"href": "/api/v2/teams/mobile-team", "type": "application/json"}},
            "name": "Mobile team"
        })
    );
    assert_eq!(
        tara["teams"][1]["customRoleKeys"],
        json!(["token-manager", "read-everything"])
    );
    // Tara reads her own team; Nadia, with no access at all, may read no team.
    emu.get(
        "/api/v2/teams/release-managers?expand=roles,roleAttributes",
        TARA_TEAM,
    )
    .expect(200, "Team");
    emu.get("/api/v2/teams/mobile-team", NADIA)
        .expect_error(403, "forbidden");
    // Tara's team grants a role with basePermissions reader: she may read the account's roles.
    emu.get("/api/v2/roles", TARA_TEAM)
        .expect(200, "CustomRoles");
}

#[test]
fn team_roles_count_in_the_emulators_checks() {
    let emu = Emulator::demo();
    // Tara's token asks for admin; her member is no_access, and the release-managers team's token-manager
    // role is what lets it rename a service token.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(9)),
        TARA_TEAM,
        &json!([{"op": "replace", "path": "/name", "value": "Exporter (renamed by a team role)"}]),
    )
    .expect(200, "Token");
    // Nadia's token, the same no_access member without a team, may not.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(9)),
        NADIA,
        &json!([{"op": "replace", "path": "/name", "value": "nope"}]),
    )
    .expect_error(403, "forbidden");
    // The cap is not Admin: other members' personal tokens stay out of sight.
    let all = emu
        .get("/api/v2/tokens?showAll=true", TARA_TEAM)
        .expect(200, "Tokens");
    for token in all["items"].as_array().unwrap() {
        assert!(
            token["serviceToken"] == true || token["memberId"] == TARA_MEMBER,
            "{token}"
        );
    }
}

/// Docs "API access tokens" (https://launchdarkly.com/docs/home/account/api): "By default, all account
/// members can create access tokens limited to their existing permissions."
#[test]
fn no_access_members_create_tokens_through_their_roles() {
    let emu = Emulator::demo();
    for (secret, member) in [
        (TARA_TEAM, TARA_MEMBER),
        (CASEY_MANAGER, "5f1a00000000000000000005"),
    ] {
        for body in [
            json!({"name": "as admin", "role": "admin"}),
            json!({"name": "as writer", "role": "writer"}),
            json!({"name": "with a role", "customRoleIds": ["project-writer"]}),
            json!({"name": "inline", "inlineRole": [{"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]}),
        ] {
            let made = emu.create(secret, body);
            assert_eq!(made["memberId"], member);
        }
    }
    // Nadia has no role that grants createAccessToken: refused by the permission, not by a role limit.
    let msg = emu
        .post("/api/v2/tokens", NADIA, &json!({"role": "reader"}))
        .expect_error(403, "forbidden");
    assert!(!msg.contains("base role allows"), "{msg}");
}

/// Docs "API access tokens" (https://launchdarkly.com/docs/home/account/api): "If you create a service
/// token and give it more access than you have, the service token will fail to perform actions."
#[test]
fn a_service_token_asking_more_than_its_creator_is_created_and_capped_at_use() {
    let emu = Emulator::demo();
    let made = emu.create(
        CASEY_MANAGER,
        json!({"name": "too much", "serviceToken": true, "role": "admin"}),
    );
    assert_eq!(made["role"], "admin");
    let secret = made["token"].as_str().unwrap().to_owned();
    // Capped by Casey (no_access with custom roles): not Admin, so no personal token of others is listed.
    let listed = emu
        .get("/api/v2/tokens?showAll=true", &secret)
        .expect(200, "Tokens");
    assert!(listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|t| t["serviceToken"] == true));
    // Casey's token-manager role does reach service tokens: that much it may do.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(8)),
        &secret,
        &json!([{"op": "add", "path": "/description", "value": "described by a capped token"}]),
    )
    .expect(200, "Token");
}

/// An account whose admin has left, with a service token and a personal token they made
/// (`formerMembers`: the fixture's way to say who left and what they were).
fn departed_admin_fixture(dir: &std::path::Path) -> std::path::PathBuf {
    let fixture = dir.join("account.json");
    let value = json!({
        "members": [
            {"email": "owner@example.com", "role": "owner"},
            {"_id": "64c000000000000000000002", "email": "reader@example.com", "role": "reader"}
        ],
        "formerMembers": [
            {"_id": "64c0000000000000000000fe", "email": "fred.former@example.com", "role": "admin"}
        ],
        "tokens": [
            {"memberId": "fred.former@example.com", "name": "deploy bot", "serviceToken": true,
             "role": "admin", "secret": "api-22222222-2222-4222-8222-222222222222"},
            {"memberId": "fred.former@example.com", "name": "fred's console", "role": "admin",
             "secret": "api-33333333-3333-4333-8333-333333333333"},
            {"_id": "64c100000000000000000003", "memberId": "reader@example.com", "name": "reader's",
             "secret": "api-44444444-4444-4444-8444-444444444444"}
        ]
    });
    std::fs::write(&fixture, serde_json::to_vec(&value).unwrap()).unwrap();
    fixture
}

/// Docs "API access tokens" (https://launchdarkly.com/docs/home/account/api): a service token is not tied
/// to the member who made it; a personal token is deactivated when its member leaves.
#[test]
fn a_service_token_outlives_its_creator_and_a_personal_token_does_not() {
    let dir = temp_dir("departed-admin");
    let fixture = departed_admin_fixture(&dir);
    let emu = Emulator::start(&["--fixture", fixture.to_str().unwrap()]);
    let bot = "api-22222222-2222-4222-8222-222222222222";
    let me = emu
        .get("/api/v2/caller-identity", bot)
        .expect(200, "CallerIdentityRep");
    assert_eq!(me["memberId"], "64c0000000000000000000fe");
    assert_eq!(me["serviceToken"], true);
    // Capped by its creator as they were (an admin): it is Admin, and sees and manages personal tokens.
    let all = emu
        .get("/api/v2/tokens?showAll=true", bot)
        .expect(200, "Tokens");
    assert!(all["items"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t["memberId"] == "64c000000000000000000002"));
    emu.patch(
        "/api/v2/tokens/64c100000000000000000003",
        bot,
        &json!([{"op": "replace", "path": "/name", "value": "renamed by the bot"}]),
    )
    .expect(200, "Token");
    // The former member's own record is gone.
    emu.get("/api/v2/members/me", bot)
        .expect_error(404, "not_found");
    // A personal token whose member left authenticates nothing.
    let msg = emu
        .get(
            "/api/v2/caller-identity",
            "api-33333333-3333-4333-8333-333333333333",
        )
        .expect_error(401, "unauthorized");
    assert!(msg.contains("left the account"), "{msg}");

    // And across a restart (the snapshot is what is saved with the token).
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let data = data.to_str().unwrap();
    drop(emu);
    let emu = Emulator::start(&["--fixture", fixture.to_str().unwrap(), "--data", data]);
    emu.get("/api/v2/caller-identity", bot)
        .expect(200, "CallerIdentityRep");
    assert!(emu.terminate().success());
    let emu = Emulator::start(&["--data", data]);
    emu.get("/api/v2/caller-identity", bot)
        .expect(200, "CallerIdentityRep");
}

#[test]
fn a_service_token_of_a_creator_nobody_knows_is_a_fixture_error() {
    let dir = temp_dir("unknown-creator");
    let fixture = dir.join("account.json");
    let value = json!({
        "members": [{"email": "owner@example.com", "role": "owner"}],
        "tokens": [{"memberId": "64c0000000000000000000ff", "serviceToken": true, "role": "reader"}]
    });
    std::fs::write(&fixture, serde_json::to_vec(&value).unwrap()).unwrap();
    let failure = Emulator::try_start(&["--fixture", fixture.to_str().unwrap()])
        .err()
        .expect("the fixture is refused");
    assert!(
        failure.stderr.contains("$.tokens[0].memberId") && failure.stderr.contains("formerMembers"),
        "{}",
        failure.stderr
    );
}

#[test]
fn teams_survive_a_restart() {
    let dir = temp_dir("teams-restart");
    let data = dir.to_str().unwrap();
    let emu = Emulator::start(&["--seed", "demo", "--data", data]);
    let before = emu
        .get(
            "/api/v2/teams/mobile-team?expand=roles,roleAttributes",
            OWNER,
        )
        .expect(200, "Team");
    assert!(emu.terminate().success());
    let emu = Emulator::start(&["--data", data]);
    let after = emu
        .get(
            "/api/v2/teams/mobile-team?expand=roles,roleAttributes",
            OWNER,
        )
        .expect(200, "Team");
    assert_eq!(after, before);
}

#[test]
fn fixture_teams_name_their_problems() {
    let dir = temp_dir("team-fixtures");
    let cases = [
        (
            json!({
                "members": [{"email": "o@example.com", "role": "owner", "teams": ["nope"]}],
                "teams": [{"key": "ops", "name": "Ops"}]
            }),
            "$.members[0].teams[0]",
        ),
        (
            json!({
                "members": [{"email": "o@example.com", "role": "owner"}],
                "teams": [{"key": "ops", "name": "Ops", "customRoleKeys": ["no-such-role"]}]
            }),
            "$.teams[0].customRoleKeys[0]",
        ),
        (
            json!({
                "members": [{"email": "o@example.com", "role": "owner"}],
                "teams": [{"key": "ops"}, {"key": "ops"}]
            }),
            "$.teams[1].key",
        ),
        (
            json!({
                "members": [{"email": "o@example.com", "role": "owner"}],
                "teams": [{"key": "ops", "roles": []}]
            }),
            "$.teams[0].roles",
        ),
    ];
    for (i, (fixture, path)) in cases.into_iter().enumerate() {
        let file = dir.join(format!("bad-{i}.json"));
        std::fs::write(&file, serde_json::to_vec(&fixture).unwrap()).unwrap();
        let failure = Emulator::try_start(&["--fixture", file.to_str().unwrap()])
            .err()
            .expect("the fixture is refused");
        assert!(failure.stderr.contains(path), "{path}: {}", failure.stderr);
    }
}
