//! The policy exports from JavaScript's side: `evaluate`, `validatePolicy`, `parseResource`,
//! `Principal.fromToken`; what the engine refuses is a `PolicyError`, an argument of the wrong type a
//! `TypeError` (`invalid_argument`), never a trap.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::wasm::*;
use tokengate::wasm::{evaluate, parse_resource, validate_policy, JsPrincipal};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

fn assert_policy_error(error: &JsValue, code: &str) -> JsValue {
    install_error_classes();
    let class = POLICY_ERROR.with(js_sys::Function::clone);
    assert!(error.is_instance_of::<js_sys::Error>(), "{error:?}");
    assert!(is_instance(error, &class), "not a PolicyError: {error:?}");
    assert_eq!(
        get(error, "name").as_string().as_deref(),
        Some("PolicyError")
    );
    assert_eq!(
        get(error, "code").as_string().as_deref(),
        Some(code),
        "{error:?}"
    );
    error.clone()
}

#[wasm_bindgen_test]
fn evaluate_decides_and_explains() {
    install_error_classes();
    let policy = json!([
        { "effect": "allow", "resources": ["proj/*:env/*:flag/*"], "actions": ["*"] },
        { "effect": "deny", "resources": ["proj/*:env/production:flag/*"], "actions": ["deleteFlag"] },
        { "effect": "allow", "resources": ["proj/*;{critical:false}"], "actions": ["viewProject"] }
    ]);
    let d = json(
        &evaluate(
            js(&policy),
            "updateOn".into(),
            "proj/a;{critical:false}:env/test:flag/f".into(),
            None,
        )
        .unwrap(),
    );
    assert_eq!(d["allowed"], true);
    assert_eq!(d["effect"], "allow");
    // The project's view depends on what the resource leaves out: indeterminate, naming it.
    let d = json(
        &evaluate(
            js(&policy),
            "updateOn".into(),
            "proj/a:env/test:flag/f".into(),
            None,
        )
        .unwrap(),
    );
    assert_eq!(
        (d["allowed"].as_bool(), d["indeterminate"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(
        d["missingFacts"],
        json!(["property \"critical\" of proj/a"])
    );
    let d = json(
        &evaluate(
            js(&policy),
            "deleteFlag".into(),
            "proj/a:env/production:flag/f".into(),
            None,
        )
        .unwrap(),
    );
    assert_eq!(
        (d["allowed"].as_bool(), d["effect"].as_str()),
        (Some(false), Some("deny"))
    );
    assert!(!d["reason"].as_str().unwrap().is_empty());
    let d = json(&evaluate(js(&policy), "viewProject".into(), "proj/a".into(), None).unwrap());
    assert_eq!(d["effect"], "default-deny");

    let attrs = json!({ "roleAttributes": { "projects": ["mobile"] } });
    let templated = json!([{ "effect": "allow", "resources": ["proj/${roleAttribute/projects}"], "actions": ["*"] }]);
    let d = json(
        &evaluate(
            js(&templated),
            "viewProject".into(),
            "proj/mobile".into(),
            Some(js(&attrs)),
        )
        .unwrap(),
    );
    assert_eq!(d["allowed"], true);
    let d = json(
        &evaluate(
            js(&templated),
            "viewProject".into(),
            "proj/web".into(),
            Some(js(&attrs)),
        )
        .unwrap(),
    );
    assert_eq!(d["allowed"], false);
}

#[wasm_bindgen_test]
fn bad_policies_and_specifiers_are_policy_errors_and_wrong_types_type_errors() {
    install_error_classes();
    let err = evaluate(
        js(&json!([{ "resources": ["proj/*"] }])),
        "a".into(),
        "proj/x".into(),
        None,
    )
    .unwrap_err();
    let err = assert_policy_error(&err, "invalid_policy");
    assert!(json(&get(&err, "diagnostics"))
        .as_array()
        .is_some_and(|d| !d.is_empty()));
    let err = evaluate(js(&json!([])), "a".into(), "proj/x:".into(), None).unwrap_err();
    assert_policy_error(&err, "invalid_resource");
    let err = evaluate(js(&json!([])), JsValue::from(3), "proj/x".into(), None).unwrap_err();
    let err = assert_argument_error(&err);
    assert_eq!(
        get(&err, "message").as_string().as_deref(),
        Some("action must be a string")
    );
    for not_array in [
        JsValue::from("nope"),
        JsValue::from(42),
        JsValue::NULL,
        js(&json!({ "0": {}, "length": 1 })),
    ] {
        let err = evaluate(not_array, "a".into(), "b".into(), None).unwrap_err();
        let err = assert_argument_error(&err);
        assert_eq!(
            get(&err, "message").as_string().as_deref(),
            Some("statements must be an array of statements")
        );
    }

    let err = parse_resource("proj/x;".into(), None).unwrap_err();
    let err = get(
        &assert_policy_error(&err, &get(&err, "code").as_string().unwrap()),
        "span",
    );
    let span = json(&err);
    assert!(span["start"].as_u64().unwrap() <= span["end"].as_u64().unwrap());
    let segments =
        json(&parse_resource("proj/mobile;beta,qa:env/production:flag/*".into(), None).unwrap());
    assert_eq!(
        segments,
        json!([
            { "type": "proj", "name": "mobile", "tags": ["beta", "qa"], "properties": [], "views": [] },
            { "type": "env", "name": "production", "tags": [], "properties": [], "views": [] },
            { "type": "flag", "name": "*", "tags": [], "properties": [], "views": [] }
        ])
    );
    assert_argument_error(&parse_resource(JsValue::NULL, None).unwrap_err());
}

#[wasm_bindgen_test]
fn validate_policy_reports_with_json_pointers_and_never_throws() {
    install_error_classes();
    let diagnostics = json(&validate_policy(js(&json!([
        { "effect": "allow", "resources": ["proj/*"], "actions": ["*"] },
        { "effect": "maybe", "resources": [], "actions": ["*"] }
    ]))));
    let list = diagnostics.as_array().unwrap();
    assert!(!list.is_empty());
    assert!(
        list.iter()
            .all(|d| d["path"].as_str().unwrap().starts_with("/1")),
        "{diagnostics}"
    );
    assert!(list.iter().any(|d| d["severity"] == "error"));
    assert!(json(&validate_policy(js(
        &json!([{ "effect": "allow", "resources": ["proj/*"], "actions": ["*"] }])
    )))
    .as_array()
    .unwrap()
    .iter()
    .all(|d| d["severity"] != "error"));
    for odd in [
        JsValue::UNDEFINED,
        JsValue::from(1),
        js_sys::Symbol::for_("x").into(),
    ] {
        let d = json(&validate_policy(odd));
        assert!(!d.as_array().unwrap().is_empty());
    }
}

#[wasm_bindgen_test]
fn principal_from_token_without_a_server() {
    install_error_classes();
    let token = json!({
        "_id": "a".repeat(24), "ownerId": "o", "memberId": "m1", "creationDate": 1, "lastModified": 1,
        "role": "admin", "_links": {}
    });
    let member = json!({ "_id": "m1", "role": "writer", "email": "w@example.com", "_links": {} });
    let principal: JsValue = with_can(
        JsPrincipal::from_token(
            js(&token),
            Some(js(&json!({ "member": member, "roles": [] }))),
        )
        .unwrap()
        .into(),
    );
    assert_eq!(
        get(&principal, "isAdmin").as_bool(),
        Some(false),
        "an admin token of a writer is not Admin"
    );
    let can = |action: &str, resource: &str| {
        json(&call(&principal, "can", &[action.into(), resource.into()]).unwrap())
    };
    let explain = |action: &str, resource: &str| {
        json(&call(&principal, "explain", &[action.into(), resource.into()]).unwrap())
    };
    assert_eq!(can("updateOn", "proj/a:env/b:flag/c")["allowed"], true);
    assert_eq!(
        can("deleteAccessToken", "member/m1:token/x")["allowed"],
        true
    );
    for method in ["can", "explain"] {
        let err = call(&principal, method, &["x".into(), "member/".into()]).unwrap_err();
        assert_policy_error(&err, &get(&err, "code").as_string().unwrap());
        let err = call(&principal, method, &["x".into(), JsValue::from(3)]).unwrap_err();
        assert_argument_error(&err);
    }
    // `can` answers the verdict alone; `explain` the same with why.
    assert_eq!(
        can("deleteAccessToken", "member/m2:token/x"),
        json!({ "allowed": false, "effect": "default-deny", "indeterminate": false })
    );
    let refused = explain("deleteAccessToken", "member/m2:token/x");
    assert_eq!(
        (
            &refused["allowed"],
            &refused["effect"],
            &refused["indeterminate"]
        ),
        (&json!(false), &json!("default-deny"), &json!(false))
    );
    assert!(
        refused["reason"].as_str().unwrap().contains("may not"),
        "{refused}"
    );
    assert!(refused["matched"].is_array());

    // Unknown custom roles: answers that depend on them are indeterminate, never a wrong yes.
    let custom = json!({
        "_id": "b".repeat(24), "ownerId": "o", "memberId": "m1", "creationDate": 1, "lastModified": 1,
        "customRoleIds": ["r-missing"], "_links": {}
    });
    let p: JsValue = with_can(
        JsPrincipal::from_token(js(&custom), Some(js(&json!({ "member": member }))))
            .unwrap()
            .into(),
    );
    let d = json(
        &call(
            &p,
            "explain",
            &["updateOn".into(), "proj/a:env/b:flag/c".into()],
        )
        .unwrap(),
    );
    assert_eq!(
        (d["allowed"].as_bool(), d["indeterminate"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(d["missingRoles"], json!(["r-missing"]));
    let err = JsPrincipal::from_token(js(&json!({ "_id": 5 })), None)
        .err()
        .unwrap();
    assert_argument_error(&err);
    let err = call(&principal, "visible", &[JsValue::from("no")]).unwrap_err();
    assert_argument_error(&err);
}
