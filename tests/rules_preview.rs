//! What a patch of a token's permissions would grant and revoke, before it is sent
//! (`Principal::patch_preview`): exact where each side is one policy, and no guess where it is not.

mod support;

use serde_json::json;
use support::builders::*;
use tokengate::{evaluate, BaseRole, PatchOperation, Principal, RoleAttributes, Statement};

fn ops(value: serde_json::Value) -> Vec<PatchOperation> {
    serde_json::from_value(value).unwrap()
}

fn admin() -> Principal {
    let token = personal("caller", "root", Perm::Role("admin"));
    Principal::new(&token, Some(&member("root", "admin", &[])), &[])
}

#[test]
fn raising_a_role_grants_and_revokes_nothing() {
    let target = personal("t1", "root", Perm::Role("reader"));
    let preview = admin()
        .patch_preview(
            &target,
            &ops(json!([{ "op": "replace", "path": "/role", "value": "writer" }])),
            &[],
            5,
        )
        .unwrap()
        .expect("a role to a role is one policy each");
    assert!(preview.revoked.is_empty());
    assert!(!preview.granted.is_empty());
    let writer = BaseRole::Writer.token_policy();
    let reader = BaseRole::Reader.token_policy();
    let attrs = RoleAttributes::new();
    for witness in &preview.granted.witnesses {
        assert!(
            evaluate(&writer, &witness.action, &witness.resource, &attrs)
                .unwrap()
                .allowed
        );
        assert!(
            !evaluate(&reader, &witness.action, &witness.resource, &attrs)
                .unwrap()
                .allowed
        );
    }
}

#[test]
fn narrowing_an_inline_policy_names_what_it_revokes() {
    let before: Vec<Statement> = serde_json::from_value(json!([
        { "effect": "allow", "actions": ["*"], "resources": ["proj/*"] },
        { "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] },
    ]))
    .unwrap();
    let target = personal("t1", "root", Perm::Inline(before.clone()));
    let deny = json!({ "effect": "deny", "actions": ["updateOn"], "resources": ["proj/*:env/production:flag/*"] });
    let preview = admin()
        .patch_preview(
            &target,
            &ops(json!([{ "op": "add", "path": "/inlineRole/-", "value": deny }])),
            &[],
            5,
        )
        .unwrap()
        .expect("inline to inline");
    assert!(preview.granted.is_empty(), "an added deny never grants");
    let revoked = &preview.revoked.witnesses;
    assert!(revoked
        .iter()
        .any(|w| w.action == "updateOn" && w.resource.contains("env/production")));
    for witness in revoked {
        assert!(
            evaluate(
                &before,
                &witness.action,
                &witness.resource,
                &RoleAttributes::new()
            )
            .unwrap()
            .allowed
        );
    }
}

#[test]
fn no_preview_without_a_change_of_permissions_or_where_it_would_be_a_guess() {
    let caller = admin();
    let target = personal("t1", "root", Perm::Role("reader"));
    let rename = ops(json!([{ "op": "replace", "path": "/name", "value": "renamed" }]));
    assert_eq!(
        caller.patch_preview(&target, &rename, &[], 5).unwrap(),
        None
    );
    let malformed = ops(json!([{ "op": "frobnicate", "path": "/role" }]));
    assert_eq!(
        caller.patch_preview(&target, &malformed, &[], 5).unwrap(),
        None
    );
    // Two custom roles combine role by role, which one list of statements does not express.
    let roles = vec![
        role(
            "r1",
            "one",
            vec![Statement::allow(["proj/*"], ["viewProject"])],
            None,
        ),
        role(
            "r2",
            "two",
            vec![Statement::allow(["proj/*:env/*:flag/*"], ["updateOn"])],
            None,
        ),
    ];
    let two = ops(json!([{ "op": "replace", "path": "/role", "value": "reader" }]));
    let holder = personal("t2", "root", Perm::Custom(&["r1", "r2"]));
    assert_eq!(
        caller.patch_preview(&holder, &two, &roles, 5).unwrap(),
        None
    );
    // One custom role is one policy.
    let single = personal("t3", "root", Perm::Custom(&["r2"]));
    assert!(caller
        .patch_preview(&single, &two, &roles, 5)
        .unwrap()
        .is_some());
}
