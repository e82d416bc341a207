//! The three dated API versions LaunchDarkly serves (spec §1; LaunchDarkly's Terraform provider accepts
//! exactly `20240415`, `20191212` and `20160426` as a token's `default_api_version`: `apiVersionValidator` in
//! `launchdarkly/resource_access_token_framework.go`, repository `launchdarkly/terraform-provider-launchdarkly`).
//! Under the two older ones `GET /api/v2/tokens` is not paginated.

mod support;

use serde_json::json;
use support::*;

fn list_with(emu: &Emulator, secret: &str, query: &str, version: Option<&str>) -> Reply {
    let headers: Vec<(&str, &str)> = version.map(|v| ("LD-API-Version", v)).into_iter().collect();
    emu.call_with(
        "GET",
        &format!("/api/v2/tokens{query}"),
        Some(secret),
        None,
        &headers,
    )
}

#[test]
fn older_versions_return_every_token_at_once() {
    let emu = Emulator::demo();
    let everything = list_with(&emu, OWNER, "?limit=1000", None).expect(200, "Tokens");
    let all = ids(&everything);
    assert!(all.len() > 2, "the demo owner sees several tokens");
    let paged = list_with(&emu, OWNER, "?limit=1&offset=1", Some("20240415")).expect(200, "Tokens");
    assert_eq!(ids(&paged), all[1..2]);
    assert!(paged["_links"]["next"].is_object());
    for version in ["20191212", "20160426"] {
        // limit and offset are ignored, even ones the paginated version refuses.
        for query in ["", "?limit=1&offset=1", "?limit=0&offset=-3"] {
            let body = list_with(&emu, OWNER, query, Some(version)).expect(200, "Tokens");
            assert_eq!(ids(&body), all, "{version} {query}");
            assert_eq!(body["totalCount"], all.len());
            let links = body["_links"].as_object().unwrap();
            assert_eq!(links.keys().collect::<Vec<_>>(), ["self"], "{version}");
            assert_eq!(links["self"]["href"], "/api/v2/tokens");
        }
    }
    list_with(&emu, OWNER, "?limit=0", Some("20240415")).expect_error(400, "invalid_request");
}

#[test]
fn a_tokens_default_api_version_applies_without_the_header() {
    let emu = Emulator::demo();
    for version in [20240415, 20191212, 20160426] {
        let made = emu.create(
            OWNER,
            json!({"role": "admin", "defaultApiVersion": version}),
        );
        assert_eq!(made["defaultApiVersion"], version);
        let secret = made["token"].as_str().unwrap().to_owned();
        let page = list_with(&emu, &secret, "?limit=1", None).expect(200, "Tokens");
        let paginated = version == 20240415;
        assert_eq!(
            page["items"].as_array().unwrap().len() == 1,
            paginated,
            "{version}"
        );
        // The header overrides the token's default either way.
        let page = list_with(&emu, &secret, "?limit=1", Some("20240415")).expect(200, "Tokens");
        assert_eq!(page["items"].as_array().unwrap().len(), 1);
    }
}

#[test]
fn unknown_versions_are_400_naming_the_supported_ones() {
    let emu = Emulator::demo();
    let msg = list_with(&emu, OWNER, "", Some("20220603")).expect_error(400, "invalid_request");
    assert!(
        msg.contains("20240415") && msg.contains("20191212") && msg.contains("20160426"),
        "{msg}"
    );
    let msg = emu
        .post(
            "/api/v2/tokens",
            OWNER,
            &json!({"role": "reader", "defaultApiVersion": 20220603}),
        )
        .expect_error(400, "invalid_request");
    assert!(msg.contains("defaultApiVersion 20220603"), "{msg}");
}
