//! A whole request, predicted and answered by the same rules: `check_patch_request` and
//! `check_create_request` (what the package's `checkPatch` and `checkCreate` show) are allowed exactly when
//! `authorize_patch` and `authorize_create` (what the emulator serves) succeed, and a refusal that is the
//! request's own fault is predicted definitely, with the error code the API answers.

use proptest::prelude::*;
use serde_json::{json, Value};
use tokengate::{AccessTokenPost, CustomRole, Member, PatchOperation, Principal, RuleError, Token};

const MEMBER: &str = "m1";

fn member(role: &str) -> Member {
    serde_json::from_value(json!({
        "_id": MEMBER, "email": "m1@example.com", "role": role, "customRoles": [],
    }))
    .expect("member fixture decodes")
}

fn token(id: &str, role: &str, service: bool) -> Token {
    serde_json::from_value(json!({
        "_id": id, "ownerId": MEMBER, "memberId": MEMBER, "creationDate": 1, "lastModified": 1,
        "name": "a token", "role": role, "serviceToken": service, "_links": {},
    }))
    .expect("token fixture decodes")
}

fn roles() -> Vec<CustomRole> {
    vec![serde_json::from_value(json!({
        "_id": "r1", "key": "flag-editor", "name": "Flag editor",
        "policy": [{ "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] }],
    }))
    .expect("role fixture decodes")]
}

/// A caller of base role `caller_role`, holding a personal token of that role.
fn caller(caller_role: &str) -> Principal {
    Principal::new(
        &token("caller00000000000000000", caller_role, false),
        Some(&member(caller_role)),
        &roles(),
    )
}

fn op() -> impl Strategy<Value = Value> {
    let path = prop_oneof![
        Just("/name"),
        Just("/description"),
        Just("/role"),
        Just("/customRoleIds"),
        Just("/customRoleIds/0"),
        Just("/inlineRole"),
        Just("/_id"),
        Just("/nope"),
    ];
    let value = prop_oneof![
        Just(json!("reader")),
        Just(json!("admin")),
        Just(json!("a name")),
        Just(json!(["flag-editor"])),
        Just(json!(["unknown-role"])),
        Just(json!([{ "effect": "allow", "actions": ["*"], "resources": ["proj/*"] }])),
        Just(json!(42)),
        Just(json!([])),
    ];
    let kind = prop_oneof![
        Just("add"),
        Just("replace"),
        Just("remove"),
        Just("test"),
        Just("frobnicate")
    ];
    (kind, path, value).prop_map(|(op, path, value)| {
        let mut operation = json!({ "op": op, "path": path });
        if op != "remove" {
            operation["value"] = value;
        }
        operation
    })
}

fn body() -> impl Strategy<Value = Value> {
    let role = prop_oneof![
        Just(None),
        Just(Some(json!("reader"))),
        Just(Some(json!("writer"))),
        Just(Some(json!("admin"))),
        Just(Some(json!("owner")))
    ];
    let custom = prop_oneof![
        Just(None),
        Just(Some(json!([]))),
        Just(Some(json!(["flag-editor"]))),
        Just(Some(json!(["unknown-role"])))
    ];
    let inline = prop_oneof![
        Just(None),
        Just(Some(
            json!([{ "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*"] }])
        )),
        Just(Some(
            json!([{ "effect": "allow", "actions": ["updateOn"], "resources": ["proj/**:"] }])
        ))
    ];
    (role, custom, inline, any::<bool>()).prop_map(|(role, custom, inline, service)| {
        let mut body = json!({ "name": "new", "serviceToken": service });
        for (field, value) in [
            ("role", role),
            ("customRoleIds", custom),
            ("inlineRole", inline),
        ] {
            if let Some(value) = value {
                body[field] = value;
            }
        }
        body
    })
}

/// The codes a refusal that is not about permissions may carry, as the prediction's reason names them.
fn names_the_request_error(reason: &str, error: &RuleError) -> bool {
    match error {
        RuleError::InvalidRequest { .. } | RuleError::PatchFailed { .. } => {
            reason.contains(error.code())
        }
        RuleError::Forbidden { .. } | RuleError::NotFound => true,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn a_predicted_patch_is_allowed_exactly_when_the_api_would_apply_it(
        caller_role in prop_oneof![Just("admin"), Just("writer"), Just("reader")],
        target_role in prop_oneof![Just("reader"), Just("writer")],
        service in any::<bool>(),
        ops in prop::collection::vec(op(), 1..4),
    ) {
        let principal = caller(caller_role);
        let target = token("target00000000000000000", target_role, service);
        let ops: Vec<PatchOperation> = serde_json::from_value(Value::Array(ops)).unwrap();
        let roles = roles();
        let predicted = principal.check_patch_request(&target, &ops, &roles);
        let answered = principal.authorize_patch(&target, &ops, &roles);
        prop_assert_eq!(predicted.allowed, answered.is_ok(), "{} / {:?}", predicted.reason, answered);
        if let Err(error) = &answered {
            prop_assert!(names_the_request_error(&predicted.reason, error), "{} / {}", predicted.reason, error);
            if matches!(error, RuleError::InvalidRequest { .. }) {
                prop_assert!(!predicted.indeterminate, "a request wrong in itself is refused whatever the roles");
            }
        }
    }

    #[test]
    fn a_predicted_create_is_allowed_exactly_when_the_api_would_create_it(
        caller_role in prop_oneof![Just("admin"), Just("writer"), Just("reader")],
        body in body(),
    ) {
        let principal = caller(caller_role);
        let body: AccessTokenPost = serde_json::from_value(body).unwrap();
        let roles = roles();
        let predicted = principal.check_create_request(&body, &roles);
        let answered = principal.authorize_create(&body, &roles);
        prop_assert_eq!(predicted.allowed, answered.is_ok(), "{} / {:?}", predicted.reason, answered);
        if let Err(error) = &answered {
            prop_assert!(names_the_request_error(&predicted.reason, error), "{} / {}", predicted.reason, error);
        }
    }
}

#[test]
fn a_malformed_patch_is_refused_as_invalid_even_when_the_caller_lacks_the_permission() {
    // A reader may not rename a writer's token (403), but an unknown op is wrong whoever sends it: the API
    // answers 400 first, and the prediction says so.
    let principal = caller("reader");
    let target = token("target00000000000000000", "writer", false);
    let ops: Vec<PatchOperation> =
        serde_json::from_value(json!([{ "op": "frobnicate", "path": "/name", "value": "x" }]))
            .unwrap();
    let answered = principal.authorize_patch(&target, &ops, &roles());
    assert!(
        matches!(answered, Err(RuleError::InvalidRequest { .. })),
        "{answered:?}"
    );
    let predicted = principal.check_patch_request(&target, &ops, &roles());
    assert!(!predicted.allowed && !predicted.indeterminate);
    assert!(
        predicted.reason.contains("invalid_request"),
        "{}",
        predicted.reason
    );
}

#[test]
fn a_patch_that_does_not_fit_is_refused_after_the_permission() {
    // Removing a description the token does not have is `patch_failed`, but only once the caller may make
    // the change at all; a caller without the permission hears `forbidden`.
    let target = token("target00000000000000000", "reader", false);
    let ops: Vec<PatchOperation> =
        serde_json::from_value(json!([{ "op": "remove", "path": "/description" }])).unwrap();
    let admin = caller("admin").authorize_patch(&target, &ops, &roles());
    assert!(
        matches!(admin, Err(RuleError::PatchFailed { .. })),
        "{admin:?}"
    );
    let reader = caller("reader").authorize_patch(&target, &ops, &roles());
    assert!(
        matches!(reader, Err(RuleError::Forbidden { .. })),
        "{reader:?}"
    );
}
