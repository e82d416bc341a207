//! The fixture format: the documented example loads, server-made fields are filled in, references by email
//! and key resolve, and generated secrets are printed.

mod support;

use serde_json::json;
use support::*;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/account.json");
const OPS_ADMIN: &str = "api-6f2c1a9e-3b7d-4c58-9e21-7a4d0b8c5f13";
const DEV_WRITER: &str = "api-0b8e4d2f-91c3-4a67-b5d0-2e7f6a1c9d84";
const MOBILE_KEEPER: &str = "api-d41f7c3a-5e92-4b08-a6c1-8f3e2d7b9a05";

#[test]
fn the_documented_example_loads_and_fills_in_server_fields() {
    let emu = Emulator::start(&["--fixture", EXAMPLE]);
    // The one token without a secret gets a generated one, printed once.
    let printed: Vec<&String> = emu.stdout.iter().filter(|l| l.contains("api-")).collect();
    assert_eq!(printed.len(), 1, "{:?}", emu.stdout);
    assert!(printed[0].contains("Release pipeline"));
    let generated = printed[0].split_whitespace().last().unwrap().to_owned();
    let me = emu
        .get("/api/v2/caller-identity", &generated)
        .expect(200, "CallerIdentityRep");
    assert_eq!(me["serviceToken"], true);
    assert_eq!(me["accountId"], "acct-example");

    let all = emu
        .get("/api/v2/tokens?showAll=true", OPS_ADMIN)
        .expect(200, "Tokens");
    assert_eq!(all["totalCount"], 5);
    let items = all["items"].as_array().unwrap();
    // The explicit creationDate sorts first; the rest keep fixture order.
    let names: Vec<&str> = items.iter().map(|t| t["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "Dev writer",
            "Ops admin",
            "Mobile keeper",
            "Release pipeline",
            "Dashboards"
        ]
    );
    let owner_id = items[1]["memberId"].as_str().unwrap();
    for t in items {
        assert_eq!(t["ownerId"], owner_id, "ownerId is the owner member");
        assert_eq!(t["token"].as_str().unwrap().len(), 4);
        assert_eq!(t["defaultApiVersion"], 20240415);
    }
    let keeper = &items[2];
    assert_eq!(
        keeper["memberId"], "64b000000000000000000002",
        "memberId by email"
    );
    let role_id = keeper["customRoleIds"][0].as_str().unwrap();
    assert_eq!(role_id.len(), 24, "role keys become ids");
    assert_eq!(items[4]["lastUsed"], 1714500000000i64);
    assert!(items[3]["_member"]["email"] == "ops-owner@example.com");

    // The custom role works: the keeper renames a service token, but may not delete it.
    let svc = items[3]["_id"].as_str().unwrap();
    emu.patch(
        &format!("/api/v2/tokens/{svc}"),
        MOBILE_KEEPER,
        &json!([{"op": "replace", "path": "/name", "value": "Release"}]),
    )
    .expect(200, "Token");
    emu.delete(&format!("/api/v2/tokens/{svc}"), MOBILE_KEEPER)
        .expect_error(403, "forbidden");
    // Roles and members are filled in as the API shows them.
    let role = emu
        .get("/api/v2/roles/mobile-tokens", DEV_WRITER)
        .expect(200, "CustomRole");
    assert_eq!(role["_id"], role_id);
    assert_eq!(
        role["_links"]["self"]["href"],
        "/api/v2/roles/mobile-tokens"
    );
    let dev = emu
        .get("/api/v2/members/me?expand=roleAttributes", DEV_WRITER)
        .expect(200, "Member");
    assert_eq!(dev["customRoles"], json!([role_id]));
    assert_eq!(dev["roleAttributes"]["projects"], json!(["mobile"]));
}

#[test]
fn fixture_errors_name_the_json_path() {
    let dir = temp_dir("fixture-errors");
    let cases = [
        (json!({"members": []}), "$.members"),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner"}], "extra": 1}),
            "$.extra",
        ),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner", "_id": "short"}]}),
            "$.members[0]._id",
        ),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner", "customRoles": ["ghost"]}]}),
            "$.members[0].customRoles[0]",
        ),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner"}], "tokens": [{"memberId": "b@x.test"}]}),
            "$.tokens[0].memberId",
        ),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner"}], "tokens": [{"memberId": "a@x.test", "role": "writer", "inlineRole": [{"effect": "allow", "resources": ["proj/*"], "actions": ["*"]}]}]}),
            "$.tokens[0]",
        ),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner"}], "roles": [{"key": "r", "name": "R", "policy": [{"effect": "allow", "actions": ["*"]}]}]}),
            "$.roles[0].policy",
        ),
        (
            json!({"members": [{"email": "a@x.test", "role": "owner"}], "tokens": [
            {"memberId": "a@x.test", "secret": "api-same"}, {"memberId": "a@x.test", "secret": "api-same"}]}),
            "$.tokens[1].secret",
        ),
    ];
    for (i, (fixture, path)) in cases.iter().enumerate() {
        let file = dir.join(format!("f{i}.json"));
        std::fs::write(&file, serde_json::to_vec(fixture).unwrap()).unwrap();
        let fail = Emulator::try_start(&["--fixture", file.to_str().unwrap()])
            .err()
            .unwrap_or_else(|| panic!("fixture {i} should be refused"));
        assert!(
            fail.stderr.contains(path),
            "case {i}: expected {path} in {}",
            fail.stderr
        );
    }
    let _ = std::fs::remove_dir_all(dir);
}
