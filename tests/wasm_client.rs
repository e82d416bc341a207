//! `TokensClient` against a real emulator: every method, every error status, invalid arguments, custom
//! fetch behaviour (5xx and network retries only where safe), `listAll` and abort.
#![cfg(target_arch = "wasm32")]

mod support;

use serde_json::json;
use support::wasm::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;

const NO_SUCH_TOKEN: &str = "000000000000000000000000";

fn s(value: &JsValue, key: &str) -> String {
    get(value, key).as_string().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn every_method_round_trips_through_the_emulator() {
    let owner = client(1);
    let me = wait(owner.caller_identity(None)).await.unwrap();
    let my_id = s(&me, "tokenId");
    assert_eq!(my_id.len(), 24);
    let token = wait(owner.get(my_id.clone().into(), None)).await.unwrap();
    assert_eq!(s(&token, "_id"), my_id);
    assert_eq!(
        s(&token, "token").len(),
        4,
        "get shows only the last four characters"
    );

    let page = wait(owner.list(Some(js(&json!({ "limit": 2 })))))
        .await
        .unwrap();
    assert!(json(&get(&page, "items")).as_array().unwrap().len() <= 2);
    assert!(get(&page, "totalCount").as_f64().unwrap() >= 2.0);

    // Create, use the new secret, rename, describe, reset (old secret kept alive), delete.
    let created = wait(owner.create(
        js(&json!({ "name": "wasm round trip", "role": "reader" })),
        None,
    ))
    .await
    .unwrap();
    let id = s(&created, "_id");
    let new_secret = s(&created, "token");
    assert!(
        new_secret.starts_with("api-") && new_secret.len() == 40,
        "create returns the whole secret"
    );
    let as_new = client_with(env().url, &new_secret, json!({}));
    let who = wait(as_new.caller_identity(None)).await.unwrap();
    assert_eq!(s(&who, "tokenId"), id);

    let renamed = wait(owner.update(
        id.clone().into(),
        js(&json!([{ "op": "replace", "path": "/name", "value": "renamed" }])),
        None,
    ))
    .await
    .unwrap();
    assert_eq!(s(&renamed, "name"), "renamed");
    let described = wait(owner.update(
        id.clone().into(),
        js(&json!({ "comment": "why", "patch": [{ "op": "add", "path": "/description", "value": "d" }] })),
        None,
    ))
    .await
    .unwrap();
    assert_eq!(s(&described, "description"), "d");

    let expiry = now() + 60_000.0;
    let reset = wait(owner.reset(id.clone().into(), Some(js(&json!({ "expiry": expiry })))))
        .await
        .unwrap();
    let rotated = s(&reset, "token");
    assert!(rotated.starts_with("api-") && rotated != new_secret);
    wait(as_new.caller_identity(None))
        .await
        .expect("the old secret works until expiry");
    let as_rotated = client_with(env().url, &rotated, json!({}));
    wait(as_rotated.caller_identity(None)).await.unwrap();

    let deleted = wait(owner.delete(id.clone().into(), None)).await.unwrap();
    assert!(deleted.is_undefined());
    let gone = wait(owner.get(id.clone().into(), None)).await.unwrap_err();
    assert_api_error(&gone, 404, "not_found");
    let revoked = wait(as_rotated.caller_identity(None)).await.unwrap_err();
    assert_api_error(&revoked, 401, "unauthorized");

    // Roles and members.
    let roles = wait(owner.list_roles(Some(js(&json!({ "limit": 50 })))))
        .await
        .unwrap();
    let roles = json(&get(&roles, "items"));
    let manager = roles
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == "token-manager")
        .expect("the demo seed has token-manager")
        .clone();
    let by_key = wait(owner.get_role("token-manager".into(), None))
        .await
        .unwrap();
    let by_id = wait(owner.get_role(manager["_id"].as_str().unwrap().into(), None))
        .await
        .unwrap();
    assert_eq!(json(&by_key)["_id"], manager["_id"]);
    assert_eq!(json(&by_id)["key"], "token-manager");
    let member = wait(owner.get_member(s(&me, "memberId").into(), None))
        .await
        .unwrap();
    assert_eq!(s(&member, "role"), "owner");

    let principal = wait(owner.principal(None)).await.unwrap();
    assert_eq!(get(&principal, "isAdmin").as_bool(), Some(true));
    assert_eq!(s(&principal, "tokenId"), my_id);
}

#[wasm_bindgen_test]
async fn list_all_walks_every_page() {
    let recorder = recording_fetch();
    let owner = client_with_fetch(env().url, secret(1), &get(&recorder, "fetch"), 3);
    let all = wait(owner.list(Some(js(&json!({ "showAll": true, "limit": 1000 })))))
        .await
        .unwrap();
    let expected: Vec<String> = json(&get(&all, "items"))
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["_id"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        expected.len() >= 12,
        "the owner sees every live demo token with showAll"
    );
    let before = json(&get(&recorder, "calls")).as_array().unwrap().len();

    let iterator = owner
        .list_all(Some(js(&json!({ "showAll": true, "pageSize": 5 }))))
        .unwrap();
    let items = collect(&iterator).await.unwrap();
    let got: Vec<String> = json(&items)
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["_id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(got, expected, "listAll yields every token once, in order");
    let pages = json(&get(&recorder, "calls")).as_array().unwrap().len() - before;
    assert_eq!(pages, expected.len().div_ceil(5), "one request per page");

    // Breaking out early stops fetching.
    let before = json(&get(&recorder, "calls")).as_array().unwrap().len();
    let iterator = owner
        .list_all(Some(js(&json!({ "showAll": true, "pageSize": 5 }))))
        .unwrap();
    let first = take_then_break(&iterator, 2).await.unwrap();
    assert_eq!(json(&first).as_array().unwrap().len(), 2);
    let after_break = wait(js_sys::Promise::resolve(
        &call(&iterator, "next", &[]).unwrap(),
    ))
    .await
    .unwrap();
    assert_eq!(get(&after_break, "done").as_bool(), Some(true));
    assert_eq!(
        json(&get(&recorder, "calls")).as_array().unwrap().len() - before,
        1
    );

    // A failing page ends the iteration with the error.
    let bad = client_with(
        env().url,
        "api-00000000-0000-4000-8000-000000000000",
        json!({}),
    );
    let err = collect(&bad.list_all(None).unwrap()).await.unwrap_err();
    assert_api_error(&err, 401, "unauthorized");
}

#[wasm_bindgen_test]
async fn every_error_status_becomes_an_api_error() {
    // 400: two kinds of permissions at once.
    let owner = client(1);
    let err = wait(owner.create(
        js(&json!({ "role": "reader", "inlineRole": [{ "effect": "allow", "resources": ["proj/*"], "actions": ["*"] }] })),
        None,
    ))
    .await
    .unwrap_err();
    let err = assert_api_error(&err, 400, "invalid_request");
    assert!(
        get(&err, "requestId").as_string().is_some(),
        "the emulator sends a request id"
    );
    let err = wait(owner.list(Some(js(&json!({ "limit": 0 })))))
        .await
        .unwrap_err();
    assert_api_error(&err, 400, "invalid_request");

    // 401: an unknown secret, and the departed member's token.
    let stranger = client_with(
        env().url,
        "api-00000000-0000-4000-8000-000000000000",
        json!({}),
    );
    assert_api_error(
        &wait(stranger.caller_identity(None)).await.unwrap_err(),
        401,
        "unauthorized",
    );
    assert_api_error(
        &wait(client(13).list(None)).await.unwrap_err(),
        401,
        "unauthorized",
    );

    // 403: a reader token may not manage tokens, its own included.
    let reader = client(5);
    let me = wait(reader.caller_identity(None)).await.unwrap();
    let err = wait(reader.delete(get(&me, "tokenId"), None))
        .await
        .unwrap_err();
    assert_api_error(&err, 403, "forbidden");

    // 404: unknown id.
    assert_api_error(
        &wait(owner.get(NO_SUCH_TOKEN.into(), None))
            .await
            .unwrap_err(),
        404,
        "not_found",
    );
    assert_api_error(
        &wait(owner.get_role("no-such-role".into(), None))
            .await
            .unwrap_err(),
        404,
        "not_found",
    );

    // 422: removing a field the token does not have.
    let created = wait(owner.create(js(&json!({ "name": "for 422" })), None))
        .await
        .unwrap();
    let id = get(&created, "_id");
    let err = wait(owner.update(
        id.clone(),
        js(&json!([{ "op": "remove", "path": "/description" }])),
        None,
    ))
    .await
    .unwrap_err();
    assert_api_error(&err, 422, "patch_failed");
    let err = wait(owner.update(
        id.clone(),
        js(&json!([{ "op": "test", "path": "/name", "value": "not the name" }])),
        None,
    ))
    .await
    .unwrap_err();
    assert_api_error(&err, 422, "patch_failed");
    wait(owner.delete(id, None)).await.unwrap();

    // 409: the client sends no If-Match, so the emulator never answers it; a scripted server does.
    let conflict = scripted_fetch(&js(&json!([[
        409,
        r#"{"code":"optimistic_locking_error","message":"Conflict","id":"r9"}"#
    ]])));
    let c = client_with_fetch(env().url, secret(1), &get(&conflict, "fetch"), 3);
    let err = wait(c.update("x".into(), js(&json!([])), None))
        .await
        .unwrap_err();
    let err = assert_api_error(&err, 409, "optimistic_locking_error");
    assert_eq!(get(&err, "requestId").as_string().as_deref(), Some("r9"));
}

#[wasm_bindgen_test]
async fn bad_arguments_are_typed_errors_not_traps() {
    install_error_classes();
    let no_token = tokengate::wasm::TokensClient::new(js(&json!({ "baseUrl": env().url })))
        .err()
        .unwrap();
    assert_api_error(&no_token, 0, "invalid_argument");
    let bad_url = tokengate::wasm::TokensClient::new(js(
        &json!({ "token": secret(1), "baseUrl": "localhost" }),
    ))
    .err()
    .unwrap();
    assert_api_error(&bad_url, 0, "invalid_argument");
    let not_object = tokengate::wasm::TokensClient::new(JsValue::from(7))
        .err()
        .unwrap();
    assert_api_error(&not_object, 0, "invalid_argument");

    let owner = client(1);
    assert_api_error(
        &wait(owner.get(JsValue::from(42), None)).await.unwrap_err(),
        0,
        "invalid_argument",
    );
    assert_api_error(
        &wait(owner.get("".into(), None)).await.unwrap_err(),
        0,
        "invalid_argument",
    );
    assert_api_error(
        &wait(owner.list(Some(js(&json!({ "limit": -1 })))))
            .await
            .unwrap_err(),
        0,
        "invalid_argument",
    );
    assert_api_error(
        &wait(owner.list(Some(js(&json!({ "signal": "soon" })))))
            .await
            .unwrap_err(),
        0,
        "invalid_argument",
    );
    assert_api_error(
        &wait(owner.create(JsValue::NULL, None)).await.unwrap_err(),
        0,
        "invalid_argument",
    );
    assert_api_error(
        &wait(owner.update("x".into(), js(&json!({ "nope": 1 })), None))
            .await
            .unwrap_err(),
        0,
        "invalid_argument",
    );
    let err = owner
        .list_all(Some(js(&json!({ "pageSize": 0 }))))
        .err()
        .unwrap();
    assert_api_error(&err, 0, "invalid_argument");
}

#[wasm_bindgen_test]
async fn unexpected_bodies_and_network_failures() {
    let script = scripted_fetch(&js(&json!([[200, "[]"]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 0);
    assert_api_error(
        &wait(c.list(None)).await.unwrap_err(),
        200,
        "unexpected_response",
    );
    let script = scripted_fetch(&js(&json!([[200, r#"{"items": 5}"#]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 0);
    assert_api_error(
        &wait(c.list(None)).await.unwrap_err(),
        200,
        "unexpected_response",
    );
    let script = scripted_fetch(&js(&json!([[502, "<html>bad gateway</html>"]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 0);
    assert_api_error(
        &wait(c.get("x".into(), None)).await.unwrap_err(),
        502,
        "unexpected_response",
    );

    // A closed port: a real network error.
    let closed_url = format!("{}:9", env().url.rsplit_once(':').unwrap().0);
    let closed = client_with(&closed_url, secret(1), json!({ "maxRetries": 1 }));
    assert_api_error(
        &wait(closed.caller_identity(None)).await.unwrap_err(),
        0,
        "network_error",
    );
}

#[wasm_bindgen_test]
async fn only_idempotent_calls_are_retried_after_5xx_or_network_errors() {
    let token =
        r#"{"_id":"t","ownerId":"o","memberId":"m","creationDate":1,"lastModified":1,"_links":{}}"#;
    let unavailable = r#"{"code":"service_unavailable","message":"try later"}"#;

    let script = scripted_fetch(&js(&json!([[503, unavailable], "network", [200, token]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 3);
    let got = wait(c.get("t".into(), None)).await.unwrap();
    assert_eq!(get(&got, "_id").as_string().as_deref(), Some("t"));
    assert_eq!(
        json(&get(&script, "calls")).as_array().unwrap().len(),
        3,
        "GET retried twice"
    );

    let script = scripted_fetch(&js(&json!([[503, unavailable], [201, token]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 3);
    let err = wait(c.create(js(&json!({})), None)).await.unwrap_err();
    assert_api_error(&err, 503, "service_unavailable");
    assert_eq!(
        json(&get(&script, "calls")).as_array().unwrap().len(),
        1,
        "POST not retried"
    );

    let script = scripted_fetch(&js(&json!(["network", [200, token]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 3);
    let err = wait(c.reset("t".into(), None)).await.unwrap_err();
    assert_api_error(&err, 0, "network_error");
    let err = wait(c.update("t".into(), js(&json!([])), None)).await;
    assert!(err.is_ok(), "the scripted second answer is for the patch");

    let script = scripted_fetch(&js(&json!([[500, unavailable], [204, ""]])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 3);
    wait(c.delete("t".into(), None)).await.unwrap();
    assert_eq!(
        json(&get(&script, "calls")).as_array().unwrap().len(),
        2,
        "DELETE retried"
    );

    // Headers: raw secret, API version, JSON content type only with a body.
    let calls = json(&get(&script, "calls"));
    let headers = &calls[0]["headers"];
    assert_eq!(headers["Authorization"], secret(1));
    assert_eq!(headers["LD-API-Version"], "20240415");
    assert!(headers.get("Content-Type").is_none());
}

#[wasm_bindgen_test]
async fn abort_rejects_with_aborted() {
    // Already aborted: nothing is sent.
    let script = scripted_fetch(&js(&json!(["hang"])));
    let c = client_with_fetch(env().url, secret(1), &get(&script, "fetch"), 3);
    let controller = abort_controller();
    call(&controller, "abort", &[]).unwrap();
    let err = wait(c.list(Some(with_signal(&controller))))
        .await
        .unwrap_err();
    assert_api_error(&err, 0, "aborted");
    assert_eq!(json(&get(&script, "calls")).as_array().unwrap().len(), 0);

    // Aborted while the request is in flight: the scripted request hangs until aborted, so the call ending at all
    // is the abort's doing; it is sent once and not retried.
    let controller = abort_controller();
    abort_later(&controller, 50);
    let err = wait(c.get("x".into(), Some(with_signal(&controller))))
        .await
        .unwrap_err();
    assert_api_error(&err, 0, "aborted");
    assert_eq!(json(&get(&script, "calls")).as_array().unwrap().len(), 1);

    // Against the real emulator, every method honours the signal.
    let owner = client(1);
    let controller = abort_controller();
    call(&controller, "abort", &[]).unwrap();
    let signal = || Some(with_signal(&controller));
    for result in [
        wait(owner.caller_identity(signal())).await,
        wait(owner.get("x".into(), signal())).await,
        wait(owner.create(js(&json!({})), signal())).await,
        wait(owner.update("x".into(), js(&json!([])), signal())).await,
        wait(owner.delete("x".into(), signal())).await,
        wait(owner.list_roles(signal())).await,
        wait(owner.get_role("x".into(), signal())).await,
        wait(owner.get_member("x".into(), signal())).await,
        wait(owner.principal(signal())).await,
    ] {
        assert_api_error(&result.unwrap_err(), 0, "aborted");
    }
    let mut reset_options = json!({ "expiry": 1 });
    let reset_options_js = js(&reset_options.take());
    set(&reset_options_js, "signal", &get(&controller, "signal"));
    assert_api_error(
        &wait(owner.reset("x".into(), Some(reset_options_js)))
            .await
            .unwrap_err(),
        0,
        "aborted",
    );
    let err = collect(&owner.list_all(signal()).unwrap())
        .await
        .unwrap_err();
    assert_api_error(&err, 0, "aborted");
}
