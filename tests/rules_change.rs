//! What a change of permissions does, before it is made: what a patch grants and revokes in a token's own
//! permissions (`Principal::patch_preview`), what changes between two principals (`Principal::compare`), the
//! lockout and escalation guards of a patch or create, and the audit of a token list.

mod support;

use serde_json::json;
use support::builders::*;
use tokengate::{
    audit_tokens, evaluate, is_management, AccessTokenPost, BaseRole, CustomRole, Member,
    PatchOperation, Principal, RoleAttributes, Statement,
};

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
fn no_preview_without_a_change_of_permissions() {
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
}

fn two_roles() -> Vec<CustomRole> {
    vec![
        role(
            "r1",
            "one",
            vec![
                Statement::allow(["proj/*"], ["viewProject"]),
                Statement::deny(["proj/*:env/*:flag/*"], ["updateOn"]),
            ],
            None,
        ),
        role(
            "r2",
            "two",
            vec![
                Statement::allow(["proj/*"], ["viewProject"]),
                Statement::allow(["proj/*:env/*:flag/*"], ["updateOn"]),
            ],
            None,
        ),
    ]
}

#[test]
fn several_custom_roles_combine_role_by_role_in_the_preview() {
    // Role one denies updateOn, role two allows it: roles add up (spec §4, "a deny in one role does not cancel
    // an allow in another"), so the holder of both may turn flags on, and dropping role two revokes it. One
    // list of both roles' statements would say the opposite.
    let roles = two_roles();
    let holder = personal("t2", "root", Perm::Custom(&["r1", "r2"]));
    let drop_two = ops(json!([{ "op": "replace", "path": "/customRoleIds", "value": ["r1"] }]));
    let preview = admin()
        .patch_preview(&holder, &drop_two, &roles, 5)
        .unwrap()
        .expect("a change of custom roles");
    assert!(preview.granted.is_empty());
    assert!(preview.missing.is_empty());
    let witness = preview
        .revoked
        .witnesses
        .iter()
        .find(|w| w.action == "updateOn")
        .expect("updateOn is revoked");
    assert!(witness.before.allowed && !witness.after.allowed);
    assert!(witness.resource.contains(":flag/"));
}

#[test]
fn a_role_not_supplied_is_named_rather_than_guessed() {
    let roles = two_roles();
    let holder = personal("t2", "root", Perm::Custom(&["r2"]));
    let add_unknown =
        ops(json!([{ "op": "replace", "path": "/customRoleIds", "value": ["r2", "r9"] }]));
    // The patch names a role the caller does not know: the API refuses it, so there is nothing to preview.
    assert_eq!(
        admin()
            .patch_preview(&holder, &add_unknown, &roles, 5)
            .unwrap(),
        None
    );
    // A token that already refers to a role not supplied: what that role could allow is unknown.
    let partial = personal("t3", "root", Perm::Custom(&["r2", "r9"]));
    let to_reader = ops(json!([{ "op": "replace", "path": "/role", "value": "reader" }]));
    let preview = admin()
        .patch_preview(&partial, &to_reader, &roles, 5)
        .unwrap()
        .expect("a change of permissions");
    assert_eq!(preview.missing, vec!["r9".to_string()]);
    for witness in preview
        .granted
        .witnesses
        .iter()
        .chain(&preview.revoked.witnesses)
    {
        assert!(!witness.before.indeterminate && !witness.after.indeterminate);
    }
}

/// A member with no base role whose custom role lets it manage its own personal tokens and see projects.
fn token_manager() -> (Member, Vec<CustomRole>) {
    let roles = vec![role(
        "mgr",
        "token-manager",
        vec![
            Statement::allow(["member/ada:token/*"], ["*"]),
            Statement::allow(["proj/*"], ["viewProject"]),
        ],
        None,
    )];
    (member("ada", "no_access", &["mgr"]), roles)
}

/// A token of `token_manager`'s member, holding its role, as the caller.
fn token_manager_caller() -> (Principal, Vec<CustomRole>) {
    let (ada, roles) = token_manager();
    let token = personal("self", "ada", Perm::Custom(&["mgr"]));
    (Principal::new(&token, Some(&ada), &roles), roles)
}

#[test]
fn a_token_that_narrows_itself_is_warned_of_the_lockout() {
    let (ada, roles) = token_manager();
    let caller_token = personal("self", "ada", Perm::Custom(&["mgr"]));
    let caller = Principal::new(&caller_token, Some(&ada), &roles);
    let to_reader = ops(json!([{ "op": "replace", "path": "/role", "value": "reader" }]));
    let guards = caller
        .patch_report(&caller_token, &to_reader, &roles, 5)
        .expect("a change of permissions")
        .guards
        .unwrap();
    let lockout = guards.lockout.expect("the caller patches itself");
    assert!(!lockout.is_empty());
    for witness in &lockout.witnesses {
        assert!(witness.resource.starts_with("member/ada:token/"));
        assert!(witness.before.allowed && !witness.after.allowed);
        assert!(is_management(
            &witness.action,
            &tokengate::Resource::parse(&witness.resource).unwrap()
        ));
    }
    // The same patch of another of ada's tokens leaves the caller as it is.
    let other = personal("other", "ada", Perm::Custom(&["mgr"]));
    let guards = caller
        .patch_report(&other, &to_reader, &roles, 5)
        .unwrap()
        .guards
        .unwrap();
    assert_eq!(guards.lockout, None);
    // Views are not management: losing only views is no lockout.
    let keeps_managing = ops(json!([{ "op": "replace", "path": "/inlineRole", "value": [
        { "effect": "allow", "actions": ["*"], "resources": ["member/ada:token/*"] }
    ] }, { "op": "remove", "path": "/customRoleIds" }]));
    let guards = caller
        .patch_report(&caller_token, &keeps_managing, &roles, 5)
        .unwrap()
        .guards
        .unwrap();
    assert!(guards.lockout.unwrap().is_empty());
}

#[test]
fn a_token_asking_more_than_its_creator_has_is_an_escalation() {
    // "If you create a service token and give it more access than you have, the service token will fail to
    // perform actions" (LaunchDarkly's docs, "API access tokens",
    // https://launchdarkly.com/docs/home/account/api): the create succeeds, and the guard names what will fail.
    let (caller, roles) = token_manager_caller();
    let body: AccessTokenPost = serde_json::from_value(json!({
        "name": "deploy", "serviceToken": true, "inlineRole": [
            { "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] },
            { "effect": "allow", "actions": ["viewProject"], "resources": ["proj/*"] }
        ]
    }))
    .unwrap();
    let guards = caller.create_report(&body, &roles, 5).guards.unwrap();
    let escalation = guards
        .escalation
        .expect("the caller's creator is the new token's");
    let witness = &escalation.witnesses[0];
    assert_eq!(witness.action, "updateOn");
    assert!(!witness.before.allowed && witness.after.allowed);
    assert!(guards.lockout.is_none());
    // Within the creator's permissions: nothing to flag.
    let viewer: AccessTokenPost = serde_json::from_value(json!({
        "inlineRole": [{ "effect": "allow", "actions": ["viewProject"], "resources": ["proj/*"] }]
    }))
    .unwrap();
    let guards = caller.create_report(&viewer, &roles, 5).guards.unwrap();
    assert!(!guards.flagged());
    assert!(guards.escalation.unwrap().is_empty());
}

#[test]
fn a_create_previews_what_the_new_token_could_do_under_its_creator() {
    let (caller, roles) = token_manager_caller();
    let body: AccessTokenPost = serde_json::from_value(json!({
        "inlineRole": [
            { "effect": "allow", "actions": ["viewProject"], "resources": ["proj/*"] },
            { "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] }
        ]
    }))
    .unwrap();
    let preview = caller.create_report(&body, &roles, 10).preview.unwrap();
    assert!(preview.revoked.is_empty());
    // Viewing projects: both the token and its creator may. Turning flags on: the token asks, its creator
    // may not, so the new token could not; that is the escalation guard's, not the preview's.
    let granted = &preview.granted.witnesses;
    assert!(granted.iter().any(|w| w.action == "viewProject"));
    assert!(
        !granted.iter().any(|w| w.action == "updateOn"),
        "{granted:?}"
    );
    for witness in granted {
        assert!(!witness.before.allowed && witness.after.allowed);
    }
}

#[test]
fn comparing_principals_reads_both_layers() {
    // The same admin token under an admin creator and under a writer creator: the cap takes away what a
    // writer member may not do, such as managing roles.
    let token = personal("t", "m", Perm::Role("admin"));
    let as_admin = Principal::new(&token, Some(&member("m", "admin", &[])), &[]);
    let as_writer = Principal::new(&token, Some(&member("m", "writer", &[])), &[]);
    let change = as_admin.compare(&as_writer, 50).unwrap();
    assert!(change.granted.is_empty());
    assert!(!change.revoked.is_empty());
    assert!(change.missing.is_empty());
    // No policy names roles, yet the lockout tells them apart from other resources: it looks for them.
    let lockout = as_admin.lockout(&as_writer, 50).unwrap();
    let witnesses = &lockout.revoked.witnesses;
    assert!(witnesses.iter().all(|w| !w.action.starts_with("view")));
    assert!(witnesses.iter().any(|w| w.resource.starts_with("role/")));
    assert!(witnesses
        .iter()
        .any(|w| w.resource.starts_with("service-token/")));
    // A writer member keeps its own personal tokens.
    assert!(!witnesses
        .iter()
        .any(|w| w.resource.starts_with("member/m:token/")));
    assert!(as_admin.compare(&as_admin, 5).unwrap().is_equivalent());
}

#[test]
fn an_audit_names_tokens_beyond_their_creator_missing_roles_and_idle_days() {
    let (ada, roles) = token_manager();
    let day = 24 * 60 * 60 * 1000_i64;
    let mut admin_token = personal("over", "ada", Perm::Role("admin"));
    admin_token.last_used = Some(1_700_000_000_000 - 40 * day);
    let fine = personal("fine", "ada", Perm::Custom(&["mgr"]));
    let dangling = personal("dangling", "ada", Perm::Custom(&["gone"]));
    let orphan = service("orphan", "left", Perm::Role("reader"));
    let audit = audit_tokens(
        &[admin_token, fine, dangling, orphan],
        &[ada],
        &roles,
        &[],
        1_700_000_000_000,
        3,
    );
    let over = &audit[0];
    assert!(!over.beyond_creator.as_ref().unwrap().is_empty());
    assert_eq!(over.idle_days, Some(40));
    let fine = &audit[1];
    assert!(fine.beyond_creator.as_ref().unwrap().is_empty());
    assert_eq!(fine.idle_days, None, "never used");
    assert_eq!(audit[2].missing_roles, vec!["gone".to_string()]);
    assert_eq!(audit[3].beyond_creator, None);
    assert!(audit[3].unchecked.as_ref().unwrap().contains("left"));
}

#[test]
fn a_patch_report_previews_what_the_preview_alone_does() {
    // What a patch form shows (`checkPatch`) comes from the report, the emulator's log line from the preview
    // alone: both must say the same.
    let (caller, roles) = token_manager_caller();
    let caller_token = personal("self", "ada", Perm::Custom(&["mgr"]));
    let patches = [
        ops(json!([{ "op": "replace", "path": "/role", "value": "reader" }])),
        ops(json!([{ "op": "replace", "path": "/inlineRole", "value": [
            { "effect": "allow", "actions": ["*"], "resources": ["member/ada:token/*"] }
        ] }, { "op": "remove", "path": "/customRoleIds" }])),
    ];
    for patch in &patches {
        let report = caller
            .patch_report(&caller_token, patch, &roles, 5)
            .expect("a change of permissions");
        let preview = caller.patch_preview(&caller_token, patch, &roles, 5);
        assert_eq!(report.preview.unwrap(), preview.unwrap().unwrap());
        assert!(
            report.guards.unwrap().lockout.is_some(),
            "the caller patches itself"
        );
    }
    // A patch that changes no permissions has no report, as it has no preview.
    let rename = ops(json!([{ "op": "replace", "path": "/name", "value": "renamed" }]));
    assert!(caller
        .patch_report(&caller_token, &rename, &roles, 5)
        .is_none());
    assert!(caller
        .patch_preview(&caller_token, &rename, &roles, 5)
        .unwrap()
        .is_none());
}

/// The wire form every reader gets (the package hands it to JavaScript as it is): a change carries
/// `equivalent`, and a checked change is the decision's own fields with `preview` and `guards` beside them.
#[test]
fn the_wire_form_carries_equivalent_and_flattens_the_decision() {
    let change = tokengate::PermissionChange::default();
    let wire = serde_json::to_value(&change).unwrap();
    assert_eq!(wire["equivalent"], true);
    assert_eq!(wire["missing"], serde_json::json!([]));

    let decision = tokengate::Decision::denied("no".to_string());
    let alone = serde_json::to_value(tokengate::CheckedChange::decision(decision.clone())).unwrap();
    assert_eq!(alone["allowed"], false);
    assert!(alone.get("preview").is_none() && alone.get("guards").is_none());
    let with = serde_json::to_value(tokengate::CheckedChange {
        decision,
        preview: Some(change),
        guards: Some(tokengate::ChangeGuards::default()),
    })
    .unwrap();
    assert_eq!(with["reason"], "no");
    assert_eq!(with["preview"]["equivalent"], true);
    assert!(with["guards"].is_object());
}
