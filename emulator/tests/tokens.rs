//! The six Access Tokens endpoints against the demo seed: statuses, shapes (every body checked against the
//! official schemas), visibility, caps, pagination, reset and delete.

mod support;

use serde_json::{json, Value};
use support::*;

#[test]
fn list_returns_visible_tokens_in_creation_order_with_links() {
    let emu = Emulator::demo();
    let list = emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
    // The owner's own personal token and the four service tokens.
    assert_eq!(
        ids(&list),
        [1, 8, 9, 10, 11].map(demo_id).to_vec(),
        "personal tokens of the caller's member and every service token, by creationDate"
    );
    assert_eq!(list["totalCount"], 5);
    assert_eq!(
        list["_links"]["self"]["href"],
        "/api/v2/tokens?limit=25&offset=0"
    );
    assert_eq!(
        list["_links"]["first"]["href"],
        "/api/v2/tokens?limit=25&offset=0"
    );
    assert_eq!(
        list["_links"]["last"]["href"],
        "/api/v2/tokens?limit=25&offset=0"
    );
    assert!(list["_links"].get("next").is_none() && list["_links"].get("prev").is_none());
    for item in list["items"].as_array().unwrap() {
        let secret = item["token"].as_str().unwrap();
        assert_eq!(
            secret.len(),
            4,
            "list items carry only the last four characters"
        );
        assert_eq!(item["ownerId"], OWNER_ID);
        assert_eq!(item["_links"]["parent"]["href"], "/api/v2/tokens");
        assert!(item["_member"]["email"].is_string(), "_member is embedded");
    }
}

#[test]
fn show_all_needs_the_admin_role() {
    let emu = Emulator::demo();
    let all = emu
        .get("/api/v2/tokens?showAll=true", OWNER)
        .expect(200, "Tokens");
    assert_eq!(all["totalCount"], 15);
    assert_eq!(ids(&all), (1..=15).map(demo_id).collect::<Vec<_>>());
    assert!(all["_links"]["self"]["href"]
        .as_str()
        .unwrap()
        .ends_with("&showAll=true"));
    // An admin token made by a writer is not Admin: showAll is ignored.
    let capped = emu
        .get("/api/v2/tokens?showAll=true", WRITER_ADMIN)
        .expect(200, "Tokens");
    assert_eq!(ids(&capped), [3, 4, 8, 9, 10, 11].map(demo_id).to_vec());
    // A service token sees service tokens; with the Admin role and showAll, personal tokens too.
    let svc = emu.get("/api/v2/tokens", SVC_READER).expect(200, "Tokens");
    assert_eq!(ids(&svc), [8, 9, 10, 11].map(demo_id).to_vec());
    let svc_all = emu
        .get("/api/v2/tokens?showAll=true", SVC_READER)
        .expect(200, "Tokens");
    assert_eq!(svc_all["totalCount"], 4);
    let svc_admin = emu
        .get("/api/v2/tokens?showAll=true", SVC_ADMIN)
        .expect(200, "Tokens");
    assert_eq!(svc_admin["totalCount"], 15);
    emu.get("/api/v2/tokens?showAll=maybe", OWNER)
        .expect_error(400, "invalid_request");
}

#[test]
fn pagination_edges() {
    let emu = Emulator::demo();
    let first = emu
        .get("/api/v2/tokens?showAll=true&limit=1", OWNER)
        .expect(200, "Tokens");
    assert_eq!(ids(&first), vec![demo_id(1)]);
    assert_eq!(first["totalCount"], 15);
    let links = &first["_links"];
    assert_eq!(
        links["next"]["href"],
        "/api/v2/tokens?limit=1&offset=1&showAll=true"
    );
    assert_eq!(
        links["last"]["href"],
        "/api/v2/tokens?limit=1&offset=14&showAll=true"
    );
    assert!(links.get("prev").is_none());

    let tail = emu
        .get("/api/v2/tokens?showAll=true&limit=5&offset=12", OWNER)
        .expect(200, "Tokens");
    assert_eq!(ids(&tail), vec![demo_id(13), demo_id(14), demo_id(15)]);
    assert_eq!(
        tail["_links"]["prev"]["href"],
        "/api/v2/tokens?limit=5&offset=7&showAll=true"
    );
    assert!(tail["_links"].get("next").is_none());

    let past = emu
        .get("/api/v2/tokens?showAll=true&limit=5&offset=100", OWNER)
        .expect(200, "Tokens");
    assert!(ids(&past).is_empty());
    assert_eq!(
        past["totalCount"], 15,
        "totalCount counts every visible token"
    );
    assert_eq!(
        past["_links"]["prev"]["href"],
        "/api/v2/tokens?limit=5&offset=10&showAll=true"
    );

    // Walking the pages with `next` visits every token once.
    let mut seen = Vec::new();
    let mut path = "/api/v2/tokens?showAll=true&limit=4".to_owned();
    loop {
        let page = emu.get(&path, OWNER).expect(200, "Tokens");
        seen.extend(ids(&page));
        match page["_links"]["next"]["href"].as_str() {
            Some(next) => path = next.to_owned(),
            None => break,
        }
    }
    assert_eq!(seen, (1..=15).map(demo_id).collect::<Vec<_>>());

    let max = emu
        .get("/api/v2/tokens?limit=1000", OWNER)
        .expect(200, "Tokens");
    assert_eq!(max["totalCount"], 5);
    for bad in [
        "limit=0",
        "limit=1001",
        "limit=-3",
        "offset=-1",
        "limit=ten",
        "offset=1.5",
    ] {
        let message = emu
            .get(&format!("/api/v2/tokens?{bad}"), OWNER)
            .expect_error(400, "invalid_request");
        let name = bad.split('=').next().unwrap();
        assert!(message.contains(name), "{bad}: {message}");
    }
}

#[test]
fn get_by_id_follows_visibility() {
    let emu = Emulator::demo();
    // 1. A personal token sees service tokens and its own member's personal tokens, not others'.
    emu.get(&format!("/api/v2/tokens/{}", demo_id(4)), WRITER)
        .expect(200, "Token");
    emu.get(&format!("/api/v2/tokens/{}", demo_id(8)), WRITER)
        .expect(200, "Token");
    emu.get(&format!("/api/v2/tokens/{}", demo_id(1)), WRITER)
        .expect_error(404, "not_found");
    // ... unless it is Admin: then every member's personal tokens by id.
    let other = emu
        .get(&format!("/api/v2/tokens/{}", demo_id(5)), OWNER)
        .expect(200, "Token");
    assert_eq!(other["_member"]["_id"], READER_MEMBER);
    assert_eq!(other["token"], "c005");
    // An admin token made by a writer is not Admin.
    emu.get(&format!("/api/v2/tokens/{}", demo_id(1)), WRITER_ADMIN)
        .expect_error(404, "not_found");
    // 2. A service token sees service tokens; with Admin, personal tokens too.
    emu.get(&format!("/api/v2/tokens/{}", demo_id(10)), SVC_READER)
        .expect(200, "Token");
    emu.get(&format!("/api/v2/tokens/{}", demo_id(1)), SVC_READER)
        .expect_error(404, "not_found");
    emu.get(&format!("/api/v2/tokens/{}", demo_id(1)), SVC_ADMIN)
        .expect(200, "Token");
    // Unknown ids are the same 404 as invisible ones.
    let hidden = emu
        .get(&format!("/api/v2/tokens/{}", demo_id(1)), READER)
        .expect_error(404, "not_found");
    let missing = emu
        .get("/api/v2/tokens/ffffffffffffffffffffffff", READER)
        .expect_error(404, "not_found");
    assert_eq!(
        hidden, missing,
        "an invisible token is reported exactly like a missing one"
    );
    let got = emu.get(&format!("/api/v2/tokens/{}", demo_id(1)), OWNER);
    assert_eq!(got.header("etag"), Some("\"1\""));
}

#[test]
fn managing_needs_admin_or_an_explicit_permission() {
    let emu = Emulator::demo();
    let rename = |name: &str| json!([{"op": "replace", "path": "/name", "value": name}]);
    // 3. A reader or writer token cannot manage any token, itself included.
    let msg = emu
        .patch(
            &format!("/api/v2/tokens/{}", demo_id(5)),
            READER,
            &rename("mine"),
        )
        .expect_error(403, "forbidden");
    assert!(msg.contains("updateAccessTokenName"), "{msg}");
    emu.delete(&format!("/api/v2/tokens/{}", demo_id(3)), WRITER)
        .expect_error(403, "forbidden");
    emu.post(
        &format!("/api/v2/tokens/{}/reset", demo_id(9)),
        WRITER,
        &json!({}),
    )
    .expect_error(403, "forbidden");
    // The Admin role manages anyone's token.
    let renamed = emu
        .patch(
            &format!("/api/v2/tokens/{}", demo_id(5)),
            OWNER,
            &rename("Renamed by the owner"),
        )
        .expect(200, "Token");
    assert_eq!(renamed["name"], "Renamed by the owner");
    // An explicit custom-role permission: token-manager deletes a service token...
    assert_eq!(
        emu.delete(&format!("/api/v2/tokens/{}", demo_id(9)), CASEY_MANAGER)
            .status,
        204
    );
    // ...but sees no other member's personal tokens.
    emu.delete(&format!("/api/v2/tokens/{}", demo_id(5)), CASEY_MANAGER)
        .expect_error(404, "not_found");
    // An inline policy allowing renames only.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(6)),
        CASEY_RENAMER,
        &rename("Casey's manager"),
    )
    .expect(200, "Token");
    let msg = emu
        .patch(
            &format!("/api/v2/tokens/{}", demo_id(6)),
            CASEY_RENAMER,
            &json!([{"op": "add", "path": "/description", "value": "x"}]),
        )
        .expect_error(403, "forbidden");
    assert!(msg.contains("updateAccessTokenDescription"), "{msg}");
    // A custom role that may reset service tokens but not delete them.
    emu.post(
        &format!("/api/v2/tokens/{}/reset", demo_id(11)),
        SVC_ROTATOR,
        &json!({}),
    )
    .expect(200, "Token");
    emu.delete(&format!("/api/v2/tokens/{}", demo_id(11)), SVC_ROTATOR)
        .expect_error(403, "forbidden");
}

#[test]
fn creator_caps() {
    let emu = Emulator::demo();
    // An admin token made by a writer manages only that writer's own personal tokens.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(3)),
        WRITER_ADMIN,
        &json!([{"op": "replace", "path": "/name", "value": "Wendy's flags"}]),
    )
    .expect(200, "Token");
    emu.delete(&format!("/api/v2/tokens/{}", demo_id(9)), WRITER_ADMIN)
        .expect_error(403, "forbidden");
    // Asking for more than the creator's own base role is 403 with a message that says so.
    let msg = emu
        .post(
            "/api/v2/tokens",
            WRITER_ADMIN,
            &json!({"name": "too much", "role": "admin"}),
        )
        .expect_error(403, "forbidden");
    assert!(msg.contains("base role"), "{msg}");
    let ok = emu.create(
        WRITER_ADMIN,
        json!({"name": "writer token", "role": "writer"}),
    );
    assert_eq!(ok["memberId"], WRITER_MEMBER);
    // A member with no access caps every token at nothing, but seeing is not a permission.
    emu.get("/api/v2/tokens", NADIA).expect(200, "Tokens");
    emu.post("/api/v2/tokens", NADIA, &json!({"role": "reader"}))
        .expect_error(403, "forbidden");
    // A token whose creator has left the account authenticates nothing.
    let msg = emu
        .get("/api/v2/tokens", DEPARTED)
        .expect_error(401, "unauthorized");
    assert!(msg.contains("left the account"), "{msg}");
    emu.get("/api/v2/caller-identity", DEPARTED)
        .expect_error(401, "unauthorized");
}

#[test]
fn reader_members_create_only_reader_tokens() {
    let dir = temp_dir("reader-fixture");
    let fixture = dir.join("account.json");
    std::fs::write(
        &fixture,
        serde_json::to_vec(&json!({
            "members": [
                {"email": "owner@example.com", "role": "owner"},
                {"email": "reader@example.com", "role": "reader"}
            ],
            "tokens": [
                {"memberId": "reader@example.com", "name": "asks for admin", "role": "admin",
                 "secret": "api-11111111-1111-4111-8111-111111111111"}
            ]
        }))
        .unwrap(),
    )
    .unwrap();
    let emu = Emulator::start(&["--fixture", fixture.to_str().unwrap()]);
    let secret = "api-11111111-1111-4111-8111-111111111111";
    let made = emu.create(secret, json!({"name": "reader copy", "role": "reader"}));
    assert_eq!(made["role"], "reader");
    let msg = emu
        .post("/api/v2/tokens", secret, &json!({"role": "writer"}))
        .expect_error(403, "forbidden");
    assert!(msg.contains("reader"), "{msg}");
    emu.post(
        "/api/v2/tokens",
        secret,
        &json!({"inlineRole": [{"effect": "allow", "actions": ["*"], "resources": ["proj/*"]}]}),
    )
    .expect_error(403, "forbidden");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn create_returns_the_whole_secret_once() {
    let emu = Emulator::demo();
    let t0 = now_ms();
    let made = emu.create(
        OWNER,
        json!({"name": "deploys", "description": "CI", "customRoleIds": ["token-manager"], "defaultApiVersion": 20240415}),
    );
    let secret = made["token"].as_str().unwrap().to_owned();
    assert!(secret.starts_with("api-") && secret.len() == 40, "{secret}");
    let uuid = &secret[4..];
    assert_eq!(uuid, uuid.to_lowercase());
    assert_eq!(uuid.as_bytes()[14], b'4', "UUID version 4: {uuid}");
    let id = made["_id"].as_str().unwrap();
    assert_eq!(id.len(), 24);
    assert!(id.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(
        made["customRoleIds"],
        json!(["5f1b00000000000000000001"]),
        "keys resolve to ids"
    );
    assert!(
        made.get("role").is_none(),
        "a custom-role token has no role"
    );
    assert_eq!(made["serviceToken"], false);
    assert_eq!(made["memberId"], OWNER_ID);
    assert_eq!(made["_member"]["_id"], OWNER_ID);
    assert!(made["creationDate"].as_i64().unwrap() >= t0);
    assert_eq!(made["creationDate"], made["lastModified"]);
    assert_eq!(
        made["_links"]["self"]["href"],
        format!("/api/v2/tokens/{id}")
    );
    // The new secret works at once; afterwards only the last four characters are shown.
    let me = emu
        .get("/api/v2/caller-identity", &secret)
        .expect(200, "CallerIdentityRep");
    assert_eq!(me["tokenId"], id);
    let again = emu
        .get(&format!("/api/v2/tokens/{id}"), OWNER)
        .expect(200, "Token");
    assert_eq!(
        again["token"].as_str().unwrap(),
        &secret[secret.len() - 4..]
    );
    assert!(
        again["lastUsed"].as_i64().unwrap() >= t0,
        "lastUsed set by REST use"
    );
    // Newest last in the list.
    let list = emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
    assert_eq!(ids(&list).last().unwrap(), id);
    // No role fields: a reader token.
    let plain = emu.create(OWNER, json!({"name": "plain"}));
    assert_eq!(plain["role"], "reader");
    let svc = emu.create(
        ADMIN,
        json!({"name": "svc", "serviceToken": true, "role": "writer"}),
    );
    assert_eq!(svc["serviceToken"], true);
    assert_eq!(svc["memberId"], ADMIN_MEMBER);
}

#[test]
fn create_rejects_bad_bodies_naming_the_problem() {
    let emu = Emulator::demo();
    let cases: Vec<(Value, &str)> = vec![
        (
            json!({"role": "reader", "customRoleIds": ["token-manager"]}),
            "role",
        ),
        (json!({"customRoleIds": ["no-such-role"]}), "no-such-role"),
        (json!({"role": "owner"}), "owner"),
        (
            json!({"inlineRole": [{"effect": "allow", "actions": ["*"]}]}),
            "inlineRole",
        ),
        (json!({"serviceToken": "yes"}), "serviceToken"),
        (json!({"name": 7}), "name"),
        (json!({"defaultApiVersion": 20220603}), "defaultApiVersion"),
        (json!([1, 2]), "request body"),
    ];
    for (body, needle) in cases {
        let msg = emu
            .post("/api/v2/tokens", OWNER, &body)
            .expect_error(400, "invalid_request");
        assert!(msg.contains(needle), "{body}: {msg}");
    }
    for raw in ["{\"name\": ", "", "not json", "{} trailing"] {
        let client = reqwest::blocking::Client::new();
        let r: Reply = client
            .post(emu.url("/api/v2/tokens"))
            .header("Authorization", OWNER)
            .header("Content-Type", "application/json")
            .body(raw.to_owned())
            .send()
            .unwrap()
            .into();
        let msg = r.expect_error(400, "invalid_request");
        assert!(msg.starts_with("Invalid request body"), "{raw:?}: {msg}");
    }
}

#[test]
fn service_token_limit_is_400_past_the_limit() {
    // The demo has four service tokens; allow five.
    let emu = Emulator::start(&["--seed", "demo", "--service-token-limit", "5"]);
    emu.create(OWNER, json!({"name": "fifth", "serviceToken": true}));
    let msg = emu
        .post(
            "/api/v2/tokens",
            OWNER,
            &json!({"name": "sixth", "serviceToken": true}),
        )
        .expect_error(400, "invalid_request");
    assert!(msg.contains("service tokens"), "{msg}");
    // Personal tokens are not limited.
    emu.create(OWNER, json!({"name": "personal"}));
}

#[test]
fn patch_forms_and_failures() {
    let emu = Emulator::demo();
    let path = format!("/api/v2/tokens/{}", demo_id(5));
    let before = emu.get(&path, OWNER).expect(200, "Token");
    std::thread::sleep(std::time::Duration::from_millis(5));
    // The bare array and the {comment, patch} wrapper.
    let a = emu
        .patch(
            &path,
            OWNER,
            &json!([{"op": "replace", "path": "/name", "value": "one"}]),
        )
        .expect(200, "Token");
    assert_eq!(a["name"], "one");
    assert!(a["lastModified"].as_i64() > before["lastModified"].as_i64());
    let b = emu
        .patch(
            &path,
            OWNER,
            &json!({"comment": "why", "patch": [
                {"op": "add", "path": "/description", "value": "described"},
                {"op": "test", "path": "/name", "value": "one"}
            ]}),
        )
        .expect(200, "Token");
    assert_eq!(b["description"], "described");
    // Switching permissions: remove the old kind and add the new one in one patch.
    let c = emu
        .patch(
            &path,
            OWNER,
            &json!([{"op": "remove", "path": "/role"}, {"op": "add", "path": "/customRoleIds", "value": ["read-everything"]}]),
        )
        .expect(200, "Token");
    assert_eq!(c["customRoleIds"], json!(["5f1b00000000000000000003"]));
    assert!(c.get("role").is_none());
    // 400: unknown op, unpatchable path, not a patch at all, a service token's policy.
    let msg = emu
        .patch(
            &path,
            OWNER,
            &json!([{"op": "frobnicate", "path": "/name", "value": 1}]),
        )
        .expect_error(400, "invalid_request");
    assert!(msg.contains("frobnicate"), "{msg}");
    let msg = emu
        .patch(
            &path,
            OWNER,
            &json!([{"op": "replace", "path": "/serviceToken", "value": true}]),
        )
        .expect_error(400, "invalid_request");
    assert!(msg.contains("serviceToken"), "{msg}");
    emu.patch(&path, OWNER, &json!({"instructions": []}))
        .expect_error(400, "invalid_request");
    emu.patch(&path, OWNER, &json!([{"path": "/name"}]))
        .expect_error(400, "invalid_request");
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(8)),
        OWNER,
        &json!([{"op": "replace", "path": "/role", "value": "reader"}]),
    )
    .expect_error(400, "invalid_request");
    // 422: a failed test, a remove of something absent.
    emu.patch(
        &path,
        OWNER,
        &json!([{"op": "test", "path": "/name", "value": "other"}]),
    )
    .expect_error(422, "patch_failed");
    emu.patch(
        &path,
        OWNER,
        &json!([{"op": "remove", "path": "/inlineRole"}]),
    )
    .expect_error(422, "patch_failed");
    // 404 for invisible, 403 for visible but not permitted.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(1)),
        READER,
        &json!([{"op": "replace", "path": "/name", "value": "x"}]),
    )
    .expect_error(404, "not_found");
    // 409: If-Match with a stale version.
    let current = emu.get(&path, OWNER);
    let etag = current.header("etag").unwrap().to_owned();
    emu.call_with(
        "PATCH",
        &path,
        Some(OWNER),
        Some(&json!([{"op": "replace", "path": "/name", "value": "fresh"}])),
        &[("If-Match", &etag)],
    )
    .expect(200, "Token");
    emu.call_with(
        "PATCH",
        &path,
        Some(OWNER),
        Some(&json!([{"op": "replace", "path": "/name", "value": "stale"}])),
        &[("If-Match", &etag)],
    )
    .expect_error(409, "optimistic_locking_error");
    assert_eq!(emu.get(&path, OWNER).json()["name"], "fresh");
}

#[test]
fn reset_rotates_with_an_optional_grace_period() {
    let emu = Emulator::demo();
    let path = |n| format!("/api/v2/tokens/{}/reset", demo_id(n));
    // Default: the old secret stops at once.
    let before = emu
        .get(&format!("/api/v2/tokens/{}", demo_id(5)), OWNER)
        .json();
    let reset = emu.call("POST", &path(5), Some(OWNER), None);
    let body = reset.expect(200, "Token");
    let fresh = body["token"].as_str().unwrap().to_owned();
    assert!(fresh.starts_with("api-") && fresh.len() == 40);
    assert_ne!(fresh, READER);
    assert!(body["lastModified"].as_i64() > before["lastModified"].as_i64());
    emu.get("/api/v2/caller-identity", READER)
        .expect_error(401, "unauthorized");
    emu.get("/api/v2/caller-identity", &fresh)
        .expect(200, "CallerIdentityRep");

    // ?expiry=: the old secret works until then.
    let expiry = now_ms() + 1500;
    let r = emu.call(
        "POST",
        &format!("{}?expiry={expiry}", path(3)),
        Some(OWNER),
        None,
    );
    let new_writer = r.expect(200, "Token")["token"].as_str().unwrap().to_owned();
    emu.get("/api/v2/caller-identity", WRITER)
        .expect(200, "CallerIdentityRep");
    emu.get("/api/v2/caller-identity", &new_writer)
        .expect(200, "CallerIdentityRep");
    while now_ms() <= expiry + 50 {
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    emu.get("/api/v2/caller-identity", WRITER)
        .expect_error(401, "unauthorized");
    emu.get("/api/v2/caller-identity", &new_writer)
        .expect(200, "CallerIdentityRep");

    // A JSON body {"expiry": n}, as Terraform sends it.
    let later = now_ms() + 60_000;
    emu.post(&path(9), OWNER, &json!({"expiry": later}))
        .expect(200, "Token");
    emu.get("/api/v2/caller-identity", SVC_READER)
        .expect(200, "CallerIdentityRep");
    emu.post(&path(10), OWNER, &json!({"expiry": "soon"}))
        .expect_error(400, "invalid_request");
    emu.call(
        "POST",
        &format!("{}?expiry=soon", path(10)),
        Some(OWNER),
        None,
    )
    .expect_error(400, "invalid_request");
    emu.call("POST", &path(1), Some(READER), None)
        .expect_error(401, "unauthorized");
    emu.call("POST", &path(1), Some(&fresh), None)
        .expect_error(404, "not_found");
}

/// Resets `id` as the owner, with `expiry` when given, and returns the new secret.
fn reset_secret(emu: &Emulator, id: &str, expiry: Option<i64>) -> String {
    let path = match expiry {
        Some(at) => format!("/api/v2/tokens/{id}/reset?expiry={at}"),
        None => format!("/api/v2/tokens/{id}/reset"),
    };
    emu.call("POST", &path, Some(OWNER), None)
        .expect(200, "Token")["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Whether `secret` authenticates (200) or not (401); anything else fails the test.
fn authenticates(emu: &Emulator, secret: &str) -> bool {
    let reply = emu.get("/api/v2/caller-identity", secret);
    match reply.status.as_u16() {
        200 => true,
        401 => false,
        other => panic!("caller-identity answered {other}: {}", reply.text),
    }
}

#[test]
fn a_reset_without_expiry_revokes_every_older_secret() {
    let emu = Emulator::demo();
    let made = emu.create(OWNER, json!({"name": "rotated", "role": "reader"}));
    let id = made["_id"].as_str().unwrap().to_owned();
    let s0 = made["token"].as_str().unwrap().to_owned();
    let week = now_ms() + 7 * 24 * 3600 * 1000;
    let s1 = reset_secret(&emu, &id, Some(week));
    assert!(authenticates(&emu, &s0), "s0 in its grace period");
    assert!(authenticates(&emu, &s1));
    let s2 = reset_secret(&emu, &id, None);
    assert!(
        !authenticates(&emu, &s0),
        "s0's grace ends at the next reset"
    );
    assert!(!authenticates(&emu, &s1), "no expiry: s1 stops at once");
    assert!(authenticates(&emu, &s2));
}

#[test]
fn many_resets_leave_only_the_newest_and_the_one_just_replaced() {
    let emu = Emulator::demo();
    let made = emu.create(OWNER, json!({"name": "spun", "role": "reader"}));
    let id = made["_id"].as_str().unwrap().to_owned();
    let hour = now_ms() + 3600 * 1000;
    let mut secrets = vec![made["token"].as_str().unwrap().to_owned()];
    for _ in 0..300 {
        secrets.push(reset_secret(&emu, &id, Some(hour)));
    }
    let working: Vec<usize> = (0..secrets.len())
        .filter(|&i| authenticates(&emu, &secrets[i]))
        .collect();
    assert_eq!(working, vec![299, 300]);
}

#[test]
fn delete_then_the_secret_is_401() {
    let emu = Emulator::demo();
    let made = emu.create(OWNER, json!({"name": "short-lived", "role": "reader"}));
    let id = made["_id"].as_str().unwrap();
    let secret = made["token"].as_str().unwrap();
    emu.get("/api/v2/caller-identity", secret)
        .expect(200, "CallerIdentityRep");
    let deleted = emu.delete(&format!("/api/v2/tokens/{id}"), OWNER);
    assert_eq!(deleted.status, 204);
    assert!(deleted.text.is_empty(), "204 has no body");
    emu.get("/api/v2/caller-identity", secret)
        .expect_error(401, "unauthorized");
    emu.get(&format!("/api/v2/tokens/{id}"), OWNER)
        .expect_error(404, "not_found");
    emu.delete(&format!("/api/v2/tokens/{id}"), OWNER)
        .expect_error(404, "not_found");
    // A token may delete itself when permitted; then it is gone for its own next call.
    emu.delete(&format!("/api/v2/tokens/{}", demo_id(2)), ADMIN);
    emu.get("/api/v2/tokens", ADMIN)
        .expect_error(401, "unauthorized");
}

#[test]
fn a_patched_role_takes_effect_on_the_next_call() {
    let emu = Emulator::demo();
    let target = format!("/api/v2/tokens/{}", demo_id(9));
    let rename = json!([{"op": "replace", "path": "/name", "value": "renamed by Adam"}]);
    // Adam's admin token may rename a service token...
    emu.patch(&target, ADMIN, &rename).expect(200, "Token");
    // ...until the owner turns it into a reader token.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(2)),
        OWNER,
        &json!([{"op": "replace", "path": "/role", "value": "reader"}]),
    )
    .expect(200, "Token");
    emu.patch(&target, ADMIN, &rename)
        .expect_error(403, "forbidden");
    // And back.
    emu.patch(
        &format!("/api/v2/tokens/{}", demo_id(2)),
        OWNER,
        &json!([{"op": "replace", "path": "/role", "value": "admin"}]),
    )
    .expect(200, "Token");
    emu.patch(&target, ADMIN, &rename).expect(200, "Token");
}
