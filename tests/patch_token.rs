//! JSON Patch on access tokens: patchable paths, 400 against 422, fixed service-token permissions, and a
//! result that is still a valid token.

mod support;

use serde_json::{json, Value};
use support::builders::*;
use tokengate::{apply_token_patch, PatchError};
use tokengate::{CustomRole, PatchOperation, Statement, Token};

const SECRET: &str = "api-5b2f1c9e-0d3a-4e7b-9c1f-2a6d8e4b7c30";

fn ops(value: Value) -> Vec<PatchOperation> {
    serde_json::from_value(value).expect("patch decodes")
}

fn roles() -> Vec<CustomRole> {
    vec![
        role(
            "r1",
            "editors",
            vec![Statement::allow(["proj/*"], ["*"])],
            None,
        ),
        role(
            "r2",
            "viewers",
            vec![Statement::allow(["proj/*"], ["viewProject"])],
            None,
        ),
    ]
}

fn patch(token: &Token, patch: Value) -> Result<Token, PatchError> {
    apply_token_patch(token, &ops(patch), &roles())
}

/// The patch's refusal message, checking that its code is the one LaunchDarkly answers `status` with (400
/// `invalid_request`, 422 `patch_failed`).
fn refused(token: &Token, p: Value, status: u16) -> String {
    let err = patch(token, p.clone()).expect_err("patch must be refused");
    let expected = if status == 400 {
        "invalid_request"
    } else {
        "patch_failed"
    };
    assert_eq!(err.code(), expected, "{p}: {err}");
    assert!(!err.message().contains(SECRET), "no secret in messages");
    err.message().to_owned()
}

#[test]
fn name_and_description_change_and_nothing_else_does() {
    let token = personal("t", "ada", Perm::Role("reader"));
    let out = patch(
        &token,
        json!([
            {"op": "replace", "path": "/name", "value": "renamed"},
            {"op": "add", "path": "/description", "value": "for CI"}
        ]),
    )
    .unwrap();
    assert_eq!(out.name.as_deref(), Some("renamed"));
    assert_eq!(out.description.as_deref(), Some("for CI"));
    assert_eq!(
        out.token.as_ref().map(|s| s.expose()),
        Some(SECRET),
        "the secret is kept"
    );
    assert_eq!(
        Token {
            name: token.name.clone(),
            description: None,
            ..out.clone()
        },
        token
    );
    let out = patch(&out, json!([{"op": "remove", "path": "/description"}])).unwrap();
    assert_eq!(out.description, None);
}

#[test]
fn other_paths_are_400_including_from() {
    let token = personal("t", "ada", Perm::Role("reader"));
    for path in [
        "/_id",
        "/_links",
        "/_member",
        "/ownerId",
        "/memberId",
        "/creationDate",
        "/lastModified",
        "/token",
        "/serviceToken",
        "/defaultApiVersion",
        "/lastUsed",
        "",
        "/name/first",
        "/role/x",
        "/customRoleIds/0/x",
        "/inlineRole/0/frobs",
        "/inlineRole/0/effect/0",
    ] {
        let msg = refused(
            &token,
            json!([{"op": "replace", "path": path, "value": "x"}]),
            400,
        );
        assert!(msg.contains("cannot be patched"), "{path}: {msg}");
    }
    let msg = refused(
        &token,
        json!([{"op": "copy", "from": "/token", "path": "/name"}]),
        400,
    );
    assert!(msg.contains("\"/token\" cannot be patched"), "{msg}");
    let msg = refused(
        &token,
        json!([{"op": "replace", "path": "/name", "value": "x"}, {"op": "shout", "path": "/name"}]),
        400,
    );
    assert!(
        msg.starts_with("operation 1 (shout /name): unknown op"),
        "{msg}"
    );
}

#[test]
fn absent_paths_failed_tests_and_bad_indexes_are_422() {
    let token = personal("t", "ada", Perm::Custom(&["r1"]));
    let msg = refused(
        &token,
        json!([{"op": "remove", "path": "/inlineRole"}]),
        422,
    );
    assert!(
        msg.contains("there is no value at \"/inlineRole\""),
        "{msg}"
    );
    refused(
        &token,
        json!([{"op": "test", "path": "/name", "value": "other"}]),
        422,
    );
    refused(
        &token,
        json!([{"op": "remove", "path": "/customRoleIds/3"}]),
        422,
    );
    refused(
        &token,
        json!([{"op": "add", "path": "/customRoleIds/5", "value": "r2"}]),
        422,
    );
}

#[test]
fn service_token_permissions_are_fixed() {
    let svc = service("s", "ada", Perm::Role("reader"));
    for p in [
        json!([{"op": "replace", "path": "/role", "value": "admin"}]),
        json!([{"op": "add", "path": "/customRoleIds", "value": ["r1"]}]),
        json!([{"op": "add", "path": "/inlineRole", "value": []}]),
        json!([{"op": "move", "from": "/role", "path": "/name"}]),
    ] {
        let msg = refused(&svc, p, 400);
        assert!(
            msg.contains("a service token's permissions are fixed"),
            "{msg}"
        );
    }
    // Reading them is fine, and so is renaming.
    let out = patch(
        &svc,
        json!([
            {"op": "test", "path": "/role", "value": "reader"},
            {"op": "copy", "from": "/role", "path": "/description"},
            {"op": "replace", "path": "/name", "value": "ci"}
        ]),
    )
    .unwrap();
    assert_eq!(
        (out.name.as_deref(), out.description.as_deref()),
        (Some("ci"), Some("reader"))
    );
}

#[test]
fn writing_another_kind_of_permission_switches_the_token_to_it() {
    let inline = personal(
        "t",
        "ada",
        Perm::Inline(vec![Statement::allow(["proj/*"], ["viewProject"])]),
    );
    // The old kind may be removed in the same patch, or left for the switch to drop.
    for p in [
        json!([{"op": "add", "path": "/role", "value": "writer"}]),
        json!([
            {"op": "remove", "path": "/inlineRole"},
            {"op": "add", "path": "/role", "value": "writer"}
        ]),
    ] {
        let out = patch(&inline, p.clone()).unwrap_or_else(|e| panic!("{p}: {e}"));
        assert_eq!(
            (out.role.as_deref(), out.inline_role.as_ref()),
            (Some("writer"), None),
            "{p}"
        );
    }

    // Emptying a list counts as removing it.
    let out = patch(
        &inline,
        json!([
            {"op": "remove", "path": "/inlineRole/0"},
            {"op": "add", "path": "/customRoleIds", "value": ["viewers"]}
        ]),
    )
    .unwrap();
    assert_eq!(out.inline_role, None);
    assert_eq!(
        out.custom_role_ids,
        Some(vec!["r2".to_string()]),
        "keys resolve to ids"
    );

    // Writing two kinds at once leaves no way to tell which one is meant.
    let role_token = personal("t", "ada", Perm::Role("reader"));
    let msg = refused(
        &role_token,
        json!([
            {"op": "replace", "path": "/role", "value": "writer"},
            {"op": "add", "path": "/customRoleIds", "value": ["r1"]}
        ]),
        400,
    );
    assert!(msg.contains("gives it role and customRoleIds"), "{msg}");

    let msg = refused(&role_token, json!([{"op": "remove", "path": "/role"}]), 400);
    assert!(msg.contains("would have no permissions"), "{msg}");
}

#[test]
fn replace_of_a_field_the_token_does_not_carry_acts_as_add() {
    let custom = personal("c", "ada", Perm::Custom(&["r1"]));
    let out = patch(
        &custom,
        json!([
            {"op": "replace", "path": "/name", "value": "renamed"},
            {"op": "replace", "path": "/description", "value": "for CI"}
        ]),
    )
    .unwrap();
    assert_eq!(
        (out.name.as_deref(), out.description.as_deref()),
        (Some("renamed"), Some("for CI"))
    );
    // Only whole fields: an element that is not there is still a 422.
    refused(
        &custom,
        json!([{"op": "replace", "path": "/customRoleIds/4", "value": "r2"}]),
        422,
    );
    // A field removed earlier in the same patch is absent by the time the replace runs.
    let out = patch(
        &custom,
        json!([
            {"op": "remove", "path": "/name"},
            {"op": "replace", "path": "/name", "value": "again"}
        ]),
    )
    .unwrap();
    assert_eq!(out.name.as_deref(), Some("again"));
}

/// LaunchDarkly's Terraform provider, repository `launchdarkly/terraform-provider-launchdarkly`: `Update` in
/// `launchdarkly/resource_access_token_framework.go` (v3, commit 96625c9e) and `resourceAccessTokenUpdate` in
/// `launchdarkly/resource_launchdarkly_access_token.go` (v2, commit 811efecf) build the patch as
/// `replace /name` first, then for each of role, custom roles and inline roles that changed in the
/// configuration `replace` with the new value, or `remove` when it became empty. Each patch below is one
/// such update, exactly as the provider sends it.
#[test]
fn terraform_role_changes_apply() {
    let custom = personal("c", "ada", Perm::Custom(&["r1"]));
    // custom_roles = ["editors"] -> role = "writer" (v3: the two conflict, so custom roles empty out).
    let out = patch(
        &custom,
        json!([
            {"op": "replace", "path": "/name", "value": "ci"},
            {"op": "replace", "path": "/role", "value": "writer"},
            {"op": "remove", "path": "/customRoleIds"}
        ]),
    )
    .unwrap();
    assert_eq!(
        (out.role.as_deref(), out.custom_role_ids.as_ref()),
        (Some("writer"), None)
    );
    // v2 allows `role` next to `custom_roles` (creating with the custom roles); a later change of `role`
    // alone sends `replace /role` to a token made from custom roles.
    let out = patch(
        &custom,
        json!([
            {"op": "replace", "path": "/name", "value": "ci"},
            {"op": "replace", "path": "/role", "value": "admin"}
        ]),
    )
    .unwrap();
    assert_eq!(
        (out.role.as_deref(), out.custom_role_ids.as_ref()),
        (Some("admin"), None)
    );

    let role_token = personal("t", "ada", Perm::Role("reader"));
    // role = "reader" -> custom_roles = ["viewers"] (the provider turns keys into ids first).
    let out = patch(
        &role_token,
        json!([
            {"op": "replace", "path": "/name", "value": "ci"},
            {"op": "remove", "path": "/role"},
            {"op": "replace", "path": "/customRoleIds", "value": ["r2"]}
        ]),
    )
    .unwrap();
    assert_eq!(
        (out.role.as_deref(), out.custom_role_ids),
        (None, Some(vec!["r2".to_string()]))
    );
    // role -> inline_roles, and inline_roles -> custom_roles.
    let statements =
        json!([{"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}]);
    let inline = patch(
        &role_token,
        json!([
            {"op": "replace", "path": "/name", "value": "ci"},
            {"op": "remove", "path": "/role"},
            {"op": "replace", "path": "/inlineRole", "value": statements}
        ]),
    )
    .unwrap();
    assert_eq!(inline.inline_role.as_ref().map(Vec::len), Some(1));
    assert_eq!(inline.role, None);
    let out = patch(
        &inline,
        json!([
            {"op": "replace", "path": "/name", "value": "ci"},
            {"op": "replace", "path": "/customRoleIds", "value": ["r1"]},
            {"op": "remove", "path": "/inlineRole"}
        ]),
    )
    .unwrap();
    assert_eq!(
        (out.custom_role_ids, out.inline_role),
        (Some(vec!["r1".to_string()]), None)
    );
    // v3 leaves `/inlineRole` out of the patch when the token never had one, because "issuing patchRemove
    // for a token that never had an inline role returns 422 from LD" (its comment): the same here.
    refused(
        &role_token,
        json!([
            {"op": "replace", "path": "/name", "value": "ci"},
            {"op": "remove", "path": "/inlineRole"}
        ]),
        422,
    );
}

#[test]
fn the_patch_sees_empty_lists_as_absent() {
    // A token as a response shows it: `customRoleIds: []` and `inlineRole: []` beside `role`.
    let shown: Token = serde_json::from_value(json!({
        "_id": "t", "ownerId": "ada", "memberId": "ada", "creationDate": 1, "lastModified": 1,
        "_links": {}, "role": "reader", "customRoleIds": [], "inlineRole": []
    }))
    .unwrap();
    assert_eq!(
        (shown.custom_role_ids.as_ref(), shown.inline_role.as_ref()),
        (None, None)
    );
    refused(
        &shown,
        json!([{"op": "remove", "path": "/customRoleIds"}]),
        422,
    );
    refused(
        &shown,
        json!([{"op": "test", "path": "/inlineRole", "value": []}]),
        422,
    );
    // Adding an empty list adds nothing: the token keeps its role.
    let out = patch(
        &shown,
        json!([{"op": "add", "path": "/customRoleIds", "value": []}]),
    )
    .unwrap();
    assert_eq!(
        (out.role.as_deref(), out.custom_role_ids),
        (Some("reader"), None)
    );
}

#[test]
fn new_permissions_must_be_valid() {
    let token = personal("t", "ada", Perm::Role("reader"));
    let msg = refused(
        &token,
        json!([{"op": "replace", "path": "/role", "value": "owner"}]),
        400,
    );
    assert!(
        msg.contains("role must be one of reader, writer or admin, not \"owner\""),
        "{msg}"
    );
    let custom = personal("c", "ada", Perm::Custom(&["r1"]));
    let msg = refused(
        &custom,
        json!([{"op": "add", "path": "/customRoleIds/-", "value": "ghost"}]),
        400,
    );
    assert!(msg.contains("unknown custom role \"ghost\""), "{msg}");
    let out = patch(
        &custom,
        json!([{"op": "add", "path": "/customRoleIds/-", "value": "viewers"}]),
    )
    .unwrap();
    assert_eq!(
        out.custom_role_ids,
        Some(vec!["r1".to_string(), "r2".to_string()])
    );

    let inline = personal(
        "i",
        "ada",
        Perm::Inline(vec![Statement::allow(["proj/*"], ["viewProject"])]),
    );
    let msg = refused(
        &inline,
        json!([{"op": "add", "path": "/inlineRole/0/notActions", "value": ["x"]}]),
        400,
    );
    assert!(
        msg.starts_with("/inlineRole is not a valid policy: /inlineRole/0"),
        "{msg}"
    );
    let out = patch(
        &inline,
        json!([{"op": "add", "path": "/inlineRole/0/actions/-", "value": "viewFlag"}]),
    )
    .unwrap();
    assert_eq!(
        out.inline_role.unwrap()[0].actions.as_ref().unwrap().len(),
        2
    );
}

#[test]
fn values_of_the_wrong_type_are_400() {
    let token = personal(
        "t",
        "ada",
        Perm::Inline(vec![Statement::allow(["proj/*"], ["viewProject"])]),
    );
    let msg = refused(
        &token,
        json!([{"op": "replace", "path": "/name", "value": 5}]),
        400,
    );
    assert!(msg.starts_with("/name has the wrong type"), "{msg}");
    let msg = refused(
        &token,
        json!([{"op": "replace", "path": "/inlineRole/0/effect", "value": "maybe"}]),
        400,
    );
    assert!(msg.starts_with("/inlineRole/0 is not a statement"), "{msg}");
    let msg = refused(
        &token,
        json!([{"op": "replace", "path": "/inlineRole", "value": {"effect": "allow"}}]),
        400,
    );
    assert!(msg.contains("expected a list of statements"), "{msg}");
}

#[test]
fn untouched_permissions_are_not_rechecked() {
    // r-deleted no longer exists; renaming the token must still work.
    let token = personal("t", "ada", Perm::Custom(&["r-deleted"]));
    let out = patch(
        &token,
        json!([{"op": "replace", "path": "/name", "value": "n"}]),
    )
    .unwrap();
    assert_eq!(out.custom_role_ids, Some(vec!["r-deleted".to_string()]));
}

#[test]
fn the_wrapper_form_carries_the_same_operations() {
    let body: tokengate::PatchRequest = serde_json::from_value(
        json!({"comment": "rename", "patch": [{"op": "replace", "path": "/name", "value": "w"}]}),
    )
    .unwrap();
    let token = personal("t", "ada", Perm::Role("reader"));
    let out = apply_token_patch(&token, body.operations(), &[]).unwrap();
    assert_eq!(out.name.as_deref(), Some("w"));
}
