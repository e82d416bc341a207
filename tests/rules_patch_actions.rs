//! Patch paths to actions, and patch checks that list every action a patch needs.

mod support;

use serde_json::json;
use support::builders::*;
use tokengate::{patch_actions, Principal};
use tokengate::{PatchOperation, Statement};

fn ops(value: serde_json::Value) -> Vec<PatchOperation> {
    serde_json::from_value(value).expect("patch decodes")
}

#[test]
fn each_patch_path_maps_to_its_action() {
    let token = personal("t", "ada", Perm::Role("reader"));
    let cases = [
        (
            json!([{"op": "replace", "path": "/name", "value": "n"}]),
            vec!["updateAccessTokenName"],
        ),
        (
            json!([{"op": "add", "path": "/description", "value": "d"}]),
            vec!["updateAccessTokenDescription"],
        ),
        (
            json!([{"op": "replace", "path": "/role", "value": "writer"}]),
            vec!["updateAccessTokenPolicy"],
        ),
        (
            json!([{"op": "add", "path": "/customRoleIds/-", "value": "r"}]),
            vec!["updateAccessTokenPolicy"],
        ),
        (
            json!([{"op": "remove", "path": "/inlineRole/0/actions/1"}]),
            vec!["updateAccessTokenPolicy"],
        ),
        (
            json!([{"op": "test", "path": "/name", "value": "n"}]),
            vec![],
        ),
        (
            json!([{"op": "move", "from": "/description", "path": "/name"}]),
            vec!["updateAccessTokenName", "updateAccessTokenDescription"],
        ),
        (
            json!([{"op": "copy", "from": "/description", "path": "/name"}]),
            vec!["updateAccessTokenName"],
        ),
        (
            json!([
                {"op": "replace", "path": "/name", "value": "a"},
                {"op": "replace", "path": "/role", "value": "writer"},
                {"op": "replace", "path": "/name", "value": "b"}
            ]),
            vec!["updateAccessTokenName", "updateAccessTokenPolicy"],
        ),
        // Paths the patch refuses with a 400 need no action.
        (
            json!([{"op": "replace", "path": "/_id", "value": "x"}]),
            vec![],
        ),
        (json!([{"op": "bogus", "path": "/name"}]), vec![]),
    ];
    for (patch, expected) in cases {
        assert_eq!(
            patch_actions(&token, &ops(patch.clone())),
            expected,
            "{patch}"
        );
    }
    let svc = service("s", "ada", Perm::Role("reader"));
    assert!(
        patch_actions(
            &svc,
            &ops(json!([{"op": "replace", "path": "/role", "value": "admin"}]))
        )
        .is_empty(),
        "a service token's policy is never patchable, so it needs no action (the patch is a 400)"
    );
}

#[test]
fn a_patch_needs_every_action_and_lists_each_check() {
    let renamer = role(
        "r-rename",
        "renamers",
        vec![Statement::allow(
            ["member/*:token/*"],
            ["updateAccessTokenName"],
        )],
        None,
    );
    let ada = member("ada", "writer", &[]);
    let caller_token = personal("ada-renamer", "ada", Perm::Custom(&["r-rename"]));
    let caller = Principal::new(&caller_token, Some(&ada), &[renamer]);
    let target = personal("ada-2", "ada", Perm::Role("reader"));

    let rename = caller.check_patch(
        &target,
        &ops(json!([{"op": "replace", "path": "/name", "value": "x"}])),
    );
    assert!(rename.allowed, "{}", rename.reason);
    assert_eq!(rename.checks.len(), 1);
    assert!(
        rename
            .reason
            .contains("updateAccessTokenName, and each is allowed"),
        "{}",
        rename.reason
    );

    let both = caller.check_patch(
        &target,
        &ops(json!([
            {"op": "replace", "path": "/name", "value": "x"},
            {"op": "add", "path": "/description", "value": "y"}
        ])),
    );
    assert!(!both.allowed);
    let listed: Vec<(&str, bool)> = both
        .checks
        .iter()
        .map(|c| (c.action.as_str(), c.allowed))
        .collect();
    assert_eq!(
        listed,
        [
            ("updateAccessTokenName", true),
            ("updateAccessTokenDescription", false)
        ]
    );
    assert!(both
        .checks
        .iter()
        .all(|c| c.resource == "member/ada:token/ada-2"));
    assert!(
        both.reason.starts_with("the patch needs updateAccessTokenName, updateAccessTokenDescription; refused: updateAccessTokenDescription"),
        "{}",
        both.reason
    );
    assert!(
        both.reason
            .contains("the token's custom role \"renamers\" does not allow it"),
        "{}",
        both.reason
    );

    let nothing = caller.check_patch(
        &target,
        &ops(json!([{"op": "test", "path": "/name", "value": "token ada-2"}])),
    );
    assert!(nothing.allowed && nothing.checks.is_empty());
    assert_eq!(
        nothing.reason,
        "the patch changes nothing that needs a permission"
    );
}

#[test]
fn service_tokens_never_allow_policy_updates() {
    let root = member("root", "admin", &[]);
    let admin_token = personal("root-admin", "root", Perm::Role("admin"));
    let admin = Principal::new(&admin_token, Some(&root), &[]);
    let svc = service("svc", "root", Perm::Role("reader"));
    let decision = admin.check_action(&svc, "updateAccessTokenPolicy");
    assert!(!decision.allowed);
    assert!(
        decision.reason.contains("fixed when it is created"),
        "{}",
        decision.reason
    );
    let rename = admin.check_patch(
        &svc,
        &ops(json!([{"op": "replace", "path": "/name", "value": "x"}])),
    );
    assert!(rename.allowed);
    assert_eq!(rename.checks[0].resource, "service-token/svc");
}
