//! LaunchDarkly's own request and response shapes: an empty list is an absent one, token responses always
//! carry `customRoleIds` and `inlineRole`, and the patches LaunchDarkly's Terraform provider sends apply.

mod support;

use serde_json::{json, Value};
use support::*;

/// The id of a demo role, by key, as the emulator lists it.
fn role_id(emu: &Emulator, key: &str) -> String {
    emu.get(&format!("/api/v2/roles/{key}"), OWNER)
        .expect(200, "CustomRole")["_id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn path_of(token: &Value) -> String {
    format!("/api/v2/tokens/{}", token["_id"].as_str().unwrap())
}

#[test]
fn empty_lists_beside_a_role_are_accepted_as_absent() {
    let emu = Emulator::demo();
    // The request as LaunchDarkly's examples write it: every list present, the unused ones empty
    // (spec/access-tokens.openapi.json, `Token` examples: `customRoleIds: []`, `inlineRole: []`, `role: reader`).
    let token = emu.create(
        OWNER,
        json!({"name": "lists", "role": "writer", "customRoleIds": [], "inlineRole": []}),
    );
    assert_eq!(token["role"], "writer");
    assert_eq!(token["customRoleIds"], json!([]));
    assert_eq!(token["inlineRole"], json!([]));
    // With no role at all, empty lists are no permissions given: the default reader role.
    let token = emu.create(OWNER, json!({"customRoleIds": [], "inlineRole": []}));
    assert_eq!(token["role"], "reader");
    // An empty list still cannot hide a second kind of permission.
    let msg = emu
        .post(
            "/api/v2/tokens",
            OWNER,
            &json!({"role": "reader", "customRoleIds": ["read-everything"], "inlineRole": []}),
        )
        .expect_error(400, "invalid_request");
    assert!(msg.contains("role and customRoleIds"), "{msg}");
}

#[test]
fn responses_always_carry_both_lists_and_custom_role_tokens_no_role() {
    let emu = Emulator::demo();
    let reader_role = role_id(&emu, "read-everything");
    let custom = emu.create(OWNER, json!({"customRoleIds": ["read-everything"]}));
    assert_eq!(custom["customRoleIds"], json!([reader_role]));
    assert_eq!(custom["inlineRole"], json!([]));
    assert!(custom.get("role").is_none(), "{custom}");
    // The same on a read, and in a list.
    let read = emu.get(&path_of(&custom), OWNER).expect(200, "Token");
    assert_eq!(
        (&read["customRoleIds"], &read["inlineRole"]),
        (&json!([reader_role]), &json!([]))
    );
    let list = emu
        .get("/api/v2/tokens?limit=100", OWNER)
        .expect(200, "Tokens");
    for item in list["items"].as_array().unwrap() {
        assert!(
            item["customRoleIds"].is_array() && item["inlineRole"].is_array(),
            "{item}"
        );
    }
}

#[test]
fn empty_not_lists_in_statements_are_absent() {
    let emu = Emulator::demo();
    let token = emu.create(
        OWNER,
        json!({"inlineRole": [{
            "effect": "allow",
            "resources": ["proj/*"], "notResources": [],
            "actions": ["viewProject"], "notActions": []
        }]}),
    );
    assert_eq!(
        token["inlineRole"],
        json!([{"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}])
    );
    // Both lists empty is no resources at all: still a 400 that names the statement.
    let msg = emu
        .post(
            "/api/v2/tokens",
            OWNER,
            &json!({"inlineRole": [{"effect": "allow", "resources": [], "notResources": [], "actions": ["*"]}]}),
        )
        .expect_error(400, "invalid_request");
    assert!(msg.contains("/inlineRole/0"), "{msg}");
}

#[test]
fn an_emptied_list_in_a_patch_counts_as_removed() {
    let emu = Emulator::demo();
    let token = emu.create(OWNER, json!({"customRoleIds": ["read-everything"]}));
    let out = emu
        .patch(
            &path_of(&token),
            OWNER,
            &json!([
                {"op": "remove", "path": "/customRoleIds/0"},
                {"op": "add", "path": "/role", "value": "writer"}
            ]),
        )
        .expect(200, "Token");
    assert_eq!(
        (&out["role"], &out["customRoleIds"]),
        (&json!("writer"), &json!([]))
    );
    // Responses show `inlineRole: []`, but there is nothing to remove: LaunchDarkly answers 422.
    emu.patch(
        &path_of(&token),
        OWNER,
        &json!([{"op": "remove", "path": "/inlineRole"}]),
    )
    .expect_error(422, "patch_failed");
}

/// The update patches of LaunchDarkly's Terraform provider (repository
/// `launchdarkly/terraform-provider-launchdarkly`): `Update` in `launchdarkly/resource_access_token_framework.go`
/// (v3) and `resourceAccessTokenUpdate` in `launchdarkly/resource_launchdarkly_access_token.go` (v2) send
/// `replace /name`, then `replace` (or, for an emptied value, `remove`) of each of `/role`, `/customRoleIds` and
/// `/inlineRole` that changed.
#[test]
fn terraform_updates_of_a_custom_role_token_apply() {
    let emu = Emulator::demo();
    let reader_role = role_id(&emu, "read-everything");
    let token = emu.create(
        OWNER,
        json!({"name": "tf", "customRoleIds": ["read-everything"]}),
    );
    // v2, `role` set beside `custom_roles` and then changed: `replace /role` alone.
    let out = emu
        .patch(
            &path_of(&token),
            OWNER,
            &json!([
                {"op": "replace", "path": "/name", "value": "tf"},
                {"op": "replace", "path": "/role", "value": "writer"}
            ]),
        )
        .expect(200, "Token");
    assert_eq!(
        (&out["role"], &out["customRoleIds"]),
        (&json!("writer"), &json!([]))
    );
    // role -> custom roles (the provider resolves keys to ids first).
    let out = emu
        .patch(
            &path_of(&token),
            OWNER,
            &json!([
                {"op": "replace", "path": "/name", "value": "tf"},
                {"op": "remove", "path": "/role"},
                {"op": "replace", "path": "/customRoleIds", "value": [reader_role]}
            ]),
        )
        .expect(200, "Token");
    assert!(out.get("role").is_none(), "{out}");
    assert_eq!(out["customRoleIds"], json!([reader_role]));
    // v3, custom roles -> role: the two conflict, so the custom roles are removed in the same patch.
    let out = emu
        .patch(
            &path_of(&token),
            OWNER,
            &json!([
                {"op": "replace", "path": "/name", "value": "tf-renamed"},
                {"op": "replace", "path": "/role", "value": "reader"},
                {"op": "remove", "path": "/customRoleIds"}
            ]),
        )
        .expect(200, "Token");
    assert_eq!(
        (&out["name"], &out["role"], &out["customRoleIds"]),
        (&json!("tf-renamed"), &json!("reader"), &json!([]))
    );
    // A description the token never had is replaced into place.
    let out = emu
        .patch(
            &path_of(&token),
            OWNER,
            &json!([{"op": "replace", "path": "/description", "value": "managed by Terraform"}]),
        )
        .expect(200, "Token");
    assert_eq!(out["description"], "managed by Terraform");
}

#[test]
fn fixture_tokens_with_empty_lists_are_reader_tokens() {
    let dir = temp_dir("shapes-fixture");
    let fixture = dir.join("account.json");
    std::fs::write(
        &fixture,
        serde_json::to_vec(&json!({
            "members": [{"_id": "5f1a00000000000000000001", "email": "o@example.com", "role": "owner"}],
            "roles": [],
            "tokens": [
                {"memberId": "o@example.com", "name": "owner", "role": "admin", "customRoleIds": [], "inlineRole": [],
                 "secret": OWNER},
                {"memberId": "o@example.com", "name": "defaulted", "customRoleIds": [], "inlineRole": []}
            ]
        }))
        .unwrap(),
    )
    .unwrap();
    let emu = Emulator::start(&["--fixture", fixture.to_str().unwrap()]);
    let list = emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
    let roles: Vec<(&str, &str)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["name"].as_str().unwrap(), t["role"].as_str().unwrap()))
        .collect();
    assert_eq!(roles, [("owner", "admin"), ("defaulted", "reader")]);
}
