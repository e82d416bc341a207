//! For every live token of the demo seed as the caller, and every token of the account as the target, the
//! caller's `Principal` predicts exactly what the emulator then allows or refuses: get (sight), list with and
//! without `showAll`, rename, describe, policy change, reset, create (five kinds of body) and delete. Each
//! caller runs against its own fresh emulator, since the matrix ends by deleting what it may.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::{json, Value};
use support::wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

/// The status a refusal must have: 404 for a token outside the caller's sight, else 403 (or 400 for a
/// service token's fixed policy).
fn assert_refusal(error: &JsValue, visible: bool, allowed_400: bool, context: &str) {
    let status = get(error, "status").as_f64().unwrap_or(-1.0) as u16;
    let ok = if !visible {
        status == 404
    } else {
        status == 403 || (allowed_400 && status == 400)
    };
    assert!(
        ok,
        "{context}: refused with {status} {:?}",
        get(error, "message")
    );
}

fn decision(principal: &JsValue, method: &str, args: &[JsValue], context: &str) -> bool {
    let d = json(&call(principal, method, args).unwrap());
    assert!(
        !matches!(d.get("indeterminate"), Some(Value::Bool(true))),
        "{context}: the principal could not decide: {d}"
    );
    d["allowed"].as_bool().unwrap()
}

fn ids(value: &Value) -> Vec<String> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["_id"].as_str().unwrap().to_owned())
        .collect()
}

/// The patch that exercises one permission without changing what anyone may do afterwards.
fn neutral_patch(target: &Value, field: &str) -> Value {
    match field {
        "name" => match target.get("name") {
            Some(name) => json!([{ "op": "replace", "path": "/name", "value": name }]),
            None => json!([{ "op": "add", "path": "/name", "value": "named" }]),
        },
        "description" => json!([{ "op": "add", "path": "/description", "value": "described" }]),
        _ => {
            for key in ["role", "customRoleIds", "inlineRole"] {
                if let Some(value) = target.get(key) {
                    return json!([{ "op": "replace", "path": format!("/{key}"), "value": value }]);
                }
            }
            json!([{ "op": "add", "path": "/role", "value": "reader" }])
        }
    }
}

async fn matrix(caller: usize) {
    let url = env().matrix_urls[caller - 1];
    let owner = client_with(url, secret(1), json!({}));
    let me = client_with(url, secret(caller), json!({}));
    let all = wait(owner.list(Some(js(&json!({ "showAll": true, "limit": 1000 })))))
        .await
        .unwrap();
    let all = json(&get(&all, "items"));
    let targets = all.as_array().unwrap().clone();
    assert!(targets.len() >= 12);

    let principal = wait(me.principal(None)).await.expect("principal()");
    let my_id = get(&principal, "tokenId").as_string().unwrap();

    // The same principal, compiled from data the owner reads, answers the same.
    let my_token = wait(owner.get(my_id.clone().into(), None)).await.unwrap();
    let member = wait(owner.get_member(get(&my_token, "memberId"), None))
        .await
        .unwrap();
    let roles = wait(owner.list_roles(Some(js(&json!({ "limit": 100 })))))
        .await
        .unwrap();
    let teams = js_sys::Array::new();
    for summary in json(&get(&member, "teams"))
        .as_array()
        .into_iter()
        .flatten()
    {
        let key = summary["key"].as_str().unwrap();
        teams.push(&wait(owner.get_team(key.into(), None)).await.unwrap());
    }
    let options = js_sys::Object::new();
    set(&options, "member", &member);
    set(&options, "roles", &get(&roles, "items"));
    set(&options, "teams", &teams);
    let offline: JsValue = tokengate::wasm::JsPrincipal::from_token(my_token, Some(options.into()))
        .unwrap()
        .into();

    // Sight: get by id, and lists.
    for target in &targets {
        let id = target["_id"].as_str().unwrap();
        let context = format!("caller {caller:02} get {}", target["name"]);
        let predicted = call(&principal, "canSee", &[js(target)])
            .unwrap()
            .as_bool()
            .unwrap();
        assert_eq!(
            call(&offline, "canSee", &[js(target)]).unwrap().as_bool(),
            Some(predicted),
            "{context}: fromToken disagrees with principal()"
        );
        match wait(me.get(id.into(), None)).await {
            Ok(_) => assert!(predicted, "{context}: allowed but predicted refused"),
            Err(e) => {
                assert!(!predicted, "{context}: refused but predicted allowed");
                assert_refusal(&e, false, false, &context);
            }
        }
    }
    for show_all in [false, true] {
        let listed = collect(
            &me.list_all(Some(js(&json!({ "showAll": show_all }))))
                .unwrap(),
        )
        .await
        .unwrap();
        let predicted = call(
            &principal,
            "visible",
            &[js(&all), JsValue::from_bool(show_all)],
        )
        .unwrap();
        assert_eq!(
            ids(&json(&listed)),
            ids(&json(&predicted)),
            "caller {caller:02} list showAll={show_all}"
        );
    }

    // Patches that leave every permission as it was, then resets that keep the old secret alive.
    for target in &targets {
        let id = target["_id"].as_str().unwrap();
        let visible = call(&principal, "canSee", &[js(target)])
            .unwrap()
            .as_bool()
            .unwrap();
        for field in ["name", "description", "policy"] {
            let patch = neutral_patch(target, field);
            let context = format!("caller {caller:02} patch {field} of {}", target["name"]);
            let predicted = decision(
                &principal,
                "checkPatch",
                &[js(target), js(&patch)],
                &context,
            );
            match wait(me.update(id.into(), js(&patch), None)).await {
                Ok(_) => assert!(predicted, "{context}: allowed but predicted refused"),
                Err(e) => {
                    assert!(
                        !predicted,
                        "{context}: refused ({:?}) but predicted allowed",
                        get(&e, "message")
                    );
                    assert_refusal(&e, visible, field == "policy", &context);
                }
            }
        }
        let context = format!("caller {caller:02} reset {}", target["name"]);
        let predicted = decision(
            &principal,
            "checkAction",
            &[js(target), "resetAccessToken".into()],
            &context,
        );
        let expiry = js(&json!({ "expiry": now() + 600_000.0 }));
        match wait(me.reset(id.into(), Some(expiry))).await {
            Ok(_) => assert!(predicted, "{context}: allowed but predicted refused"),
            Err(e) => {
                assert!(!predicted, "{context}: refused but predicted allowed");
                assert_refusal(&e, visible, false, &context);
            }
        }
        let permitted = json(&call(&principal, "permittedActions", &[js(target)]).unwrap());
        assert_eq!(
            permitted
                .as_array()
                .unwrap()
                .iter()
                .any(|a| a == "resetAccessToken"),
            predicted,
            "{context}: permittedActions disagrees with checkAction"
        );
    }

    // Creates.
    let bodies = [
        json!({ "name": "made reader", "role": "reader" }),
        json!({ "name": "made writer", "role": "writer" }),
        json!({ "name": "made admin", "role": "admin" }),
        json!({ "name": "made service", "role": "reader", "serviceToken": true }),
        json!({ "name": "made custom", "customRoleIds": ["token-manager"] }),
        json!({ "name": "made inline", "inlineRole": [{ "effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"] }] }),
    ];
    for body in &bodies {
        let context = format!("caller {caller:02} create {}", body["name"]);
        let predicted = decision(&principal, "checkCreate", &[js(body)], &context);
        match wait(me.create(js(body), None)).await {
            Ok(_) => assert!(predicted, "{context}: allowed but predicted refused"),
            Err(e) => {
                assert!(
                    !predicted,
                    "{context}: refused ({:?}) but predicted allowed",
                    get(&e, "message")
                );
                assert_refusal(&e, true, true, &context);
            }
        }
    }

    // Deletes, the caller itself last.
    let mut order: Vec<&Value> = targets
        .iter()
        .filter(|t| t["_id"] != my_id.as_str())
        .collect();
    order.extend(targets.iter().filter(|t| t["_id"] == my_id.as_str()));
    for target in order {
        let id = target["_id"].as_str().unwrap();
        let visible = call(&principal, "canSee", &[js(target)])
            .unwrap()
            .as_bool()
            .unwrap();
        let context = format!("caller {caller:02} delete {}", target["name"]);
        let predicted = decision(
            &principal,
            "checkAction",
            &[js(target), "deleteAccessToken".into()],
            &context,
        );
        match wait(me.delete(id.into(), None)).await {
            Ok(_) => assert!(predicted, "{context}: allowed but predicted refused"),
            Err(e) => {
                assert!(!predicted, "{context}: refused but predicted allowed");
                assert_refusal(&e, visible, false, &context);
            }
        }
    }
}

macro_rules! callers {
    ($($name:ident => $n:expr),* $(,)?) => {
        $(
            #[wasm_bindgen_test]
            async fn $name() {
                matrix($n).await;
            }
        )*
    };
}

callers! {
    owner_console_01 => 1,
    admin_automation_02 => 2,
    writer_flags_03 => 3,
    writers_admin_token_04 => 4,
    reader_dashboards_05 => 5,
    caseys_token_manager_06 => 6,
    caseys_renamer_07 => 7,
    ci_deploys_08 => 8,
    metrics_exporter_09 => 9,
    rotation_bot_10 => 10,
    mobile_project_bot_11 => 11,
    nadias_reader_token_12 => 12,
    taras_team_token_14 => 14,
    parkers_admin_token_15 => 15,
}

#[wasm_bindgen_test]
async fn a_no_access_members_principal_counts_the_roles_its_teams_grant() {
    let tara = client(14);
    let principal = with_can(wait(tara.principal(None)).await.expect("principal()"));
    let explain = |action: &str, resource: &str| {
        json(&call(&principal, "explain", &[action.into(), resource.into()]).unwrap())
    };
    // The mobile team's projects attribute fills the role it grants; Tara's own attribute (web) does not.
    let mobile = explain("updateOn", "proj/mobile:env/test:flag/f");
    assert_eq!(mobile["allowed"], true, "{mobile}");
    let verdict = call(
        &principal,
        "can",
        &["updateOn".into(), "proj/mobile:env/test:flag/f".into()],
    )
    .unwrap();
    assert_eq!(
        json(&verdict),
        json!({ "allowed": true, "effect": "allow", "indeterminate": false })
    );
    // In web, only the checkout squad's view-scoped role reaches her flags: a flag linked to another view is
    // refused, one linked to the squad's view allowed, and one whose views the resource leaves out unknown.
    let web = explain("updateOn", "proj/web:env/test:flag/f;view:mobile");
    assert_eq!(web["allowed"], false, "{web}");
    assert_ne!(web["indeterminate"], true, "{web}");
    let checkout = explain("updateOn", "proj/web:env/test:flag/f;view:checkout");
    assert_eq!(checkout["allowed"], true, "{checkout}");
    let unstated = explain("updateOn", "proj/web:env/test:flag/f");
    assert_eq!(unstated["indeterminate"], true, "{unstated}");
    assert_eq!(
        unstated["missingFacts"],
        json!(["views of proj/web:env/test:flag/f"])
    );
    // Deleting a flag in a critical environment is denied by that role; in another environment it is not.
    let critical = explain(
        "deleteFlag",
        "proj/web:env/production;{critical:true}:flag/f;view:checkout",
    );
    assert_eq!(critical["allowed"], false, "{critical}");
    assert_ne!(critical["indeterminate"], true, "{critical}");
    let test_env = explain(
        "deleteFlag",
        "proj/web:env/test;{critical:false}:flag/f;view:checkout",
    );
    assert_eq!(test_env["allowed"], true, "{test_env}");
    // Through the release-managers team she creates tokens of any kind.
    let body = js(&json!({ "name": "through a team", "role": "admin" }));
    let create = json(&call(&principal, "checkCreate", std::slice::from_ref(&body)).unwrap());
    assert_eq!(create["allowed"], true, "{create}");
    wait(tara.create(body, None)).await.expect("created");
}

#[wasm_bindgen_test]
async fn the_departed_members_token_is_refused_everywhere() {
    let departed = client(13);
    assert_api_error(
        &wait(departed.principal(None)).await.unwrap_err(),
        401,
        "unauthorized",
    );
    assert_api_error(
        &wait(departed.list(None)).await.unwrap_err(),
        401,
        "unauthorized",
    );
}
