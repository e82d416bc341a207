//! Transport behaviour: authentication, API versions, CORS, error bodies for every failure, body limits,
//! rate-limit headers, the request log, and the identity, role and member endpoints.

mod support;

use serde_json::json;
use support::*;

#[test]
fn authentication_is_the_raw_secret_in_authorization_only() {
    let emu = Emulator::demo();
    let msg = emu
        .call("GET", "/api/v2/tokens", None, None)
        .expect_error(401, "unauthorized");
    assert!(msg.contains("Authorization"), "{msg}");
    emu.get("/api/v2/tokens", &format!("Bearer {OWNER}"))
        .expect_error(401, "unauthorized");
    emu.get("/api/v2/tokens", "api-00000000-0000-4000-8000-000000000000")
        .expect_error(401, "unauthorized");
    emu.get("/api/v2/tokens", "")
        .expect_error(401, "unauthorized");
    // Not from a query parameter or a cookie.
    emu.call("GET", &format!("/api/v2/tokens?token={OWNER}"), None, None)
        .expect_error(401, "unauthorized");
    emu.call_with(
        "GET",
        "/api/v2/tokens",
        None,
        None,
        &[("Cookie", &format!("token={OWNER}"))],
    )
    .expect_error(401, "unauthorized");
    emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
}

#[test]
fn api_versions() {
    let emu = Emulator::demo();
    for v in ["20240415", "beta"] {
        emu.call_with(
            "GET",
            "/api/v2/tokens",
            Some(OWNER),
            None,
            &[("LD-API-Version", v)],
        )
        .expect(200, "Tokens");
    }
    for v in ["20220603", "2", "latest"] {
        let msg = emu
            .call_with(
                "GET",
                "/api/v2/tokens",
                Some(OWNER),
                None,
                &[("LD-API-Version", v)],
            )
            .expect_error(400, "invalid_request");
        assert!(msg.contains("LD-API-Version"), "{msg}");
    }
}

#[test]
fn cors_preflight_and_exposed_headers() {
    let emu = Emulator::demo();
    let pre = emu.call_with(
        "OPTIONS",
        "/api/v2/tokens/5f1c00000000000000000001",
        None,
        None,
        &[
            ("Origin", "https://console.example.test"),
            ("Access-Control-Request-Method", "PATCH"),
            (
                "Access-Control-Request-Headers",
                "authorization, content-type, ld-api-version",
            ),
        ],
    );
    assert_eq!(pre.status, 204, "preflight needs no authentication");
    assert_eq!(
        pre.header("access-control-allow-origin"),
        Some("https://console.example.test")
    );
    assert_eq!(
        pre.header("access-control-allow-methods"),
        Some("GET, POST, PATCH, DELETE, OPTIONS")
    );
    let allowed = pre
        .header("access-control-allow-headers")
        .unwrap()
        .to_lowercase();
    for h in [
        "authorization",
        "content-type",
        "ld-api-version",
        "accept",
        "accept-language",
        "accept-encoding",
    ] {
        assert!(allowed.contains(h), "{h} in {allowed}");
    }
    assert_eq!(pre.header("access-control-max-age"), Some("300"));
    let got = emu.call_with(
        "GET",
        "/api/v2/tokens",
        Some(OWNER),
        None,
        &[("Origin", "http://localhost:3000")],
    );
    assert_eq!(got.status, 200);
    assert_eq!(
        got.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
    let exposed = got
        .header("access-control-expose-headers")
        .unwrap()
        .to_lowercase();
    for h in [
        "x-ratelimit-global-remaining",
        "x-ratelimit-route-remaining",
        "x-ratelimit-reset",
        "x-request-id",
    ] {
        assert!(exposed.contains(h), "{h} in {exposed}");
    }
    // Errors carry CORS headers too, so a page can read them.
    let denied = emu.call_with(
        "GET",
        "/api/v2/tokens",
        Some("nope"),
        None,
        &[("Origin", "http://localhost:3000")],
    );
    assert_eq!(
        denied.header("access-control-allow-origin"),
        Some("http://localhost:3000")
    );
}

#[test]
fn every_failure_is_a_json_error() {
    let emu = Emulator::demo();
    emu.call("GET", "/api/v2/nowhere", Some(OWNER), None)
        .expect_error(404, "not_found");
    emu.call("GET", "/", None, None)
        .expect_error(404, "not_found");
    let r = emu.call("PUT", "/api/v2/tokens", Some(OWNER), Some(&json!({})));
    r.expect_error(405, "method_not_allowed");
    // Over 1 MiB: 413, JSON.
    let big = "x".repeat(1024 * 1024 + 10);
    let r = emu.post("/api/v2/tokens", OWNER, &json!({ "name": big }));
    let msg = r.expect_error(413, "request_too_large");
    assert!(msg.contains("1048576"), "{msg}");
    // The same without a Content-Length (chunked): counted as it arrives.
    let chunked: Reply = reqwest::blocking::Client::new()
        .post(emu.url("/api/v2/tokens"))
        .header("Authorization", OWNER)
        .header("Content-Type", "application/json")
        .body(reqwest::blocking::Body::new(std::io::Cursor::new(
            vec![b' '; 2 * 1024 * 1024],
        )))
        .send()
        .unwrap()
        .into();
    chunked.expect_error(413, "request_too_large");
    // Just under the limit is parsed (and then judged on its content).
    let fits = "y".repeat(1000 * 1000);
    emu.post("/api/v2/tokens", OWNER, &json!({ "name": fits }))
        .expect(201, "Token");
}

#[test]
fn rate_limit_headers_on_every_authenticated_response() {
    let emu = Emulator::demo();
    let a = emu.get("/api/v2/tokens", OWNER);
    let b = emu.get("/api/v2/tokens", OWNER);
    let c = emu.get("/api/v2/roles", OWNER);
    let num = |r: &Reply, h: &str| {
        r.header(h)
            .unwrap_or_else(|| panic!("{h}"))
            .parse::<i64>()
            .unwrap()
    };
    assert_eq!(
        num(&a, "x-ratelimit-route-remaining") - 1,
        num(&b, "x-ratelimit-route-remaining")
    );
    assert_eq!(
        num(&b, "x-ratelimit-global-remaining") - 1,
        num(&c, "x-ratelimit-global-remaining")
    );
    assert!(num(&c, "x-ratelimit-route-remaining") > num(&b, "x-ratelimit-route-remaining"));
    let reset = num(&a, "x-ratelimit-reset");
    let now = now_ms();
    assert!(
        reset > now - 1000 && reset <= now + 10_000,
        "reset {reset} is epoch ms within the window"
    );
    // Also on authenticated failures.
    let e = emu.get("/api/v2/tokens/ffffffffffffffffffffffff", OWNER);
    assert!(e.header("x-ratelimit-global-remaining").is_some());
}

#[test]
fn the_log_has_one_line_per_request_and_no_secrets() {
    let emu = Emulator::demo();
    let made = emu.create(OWNER, json!({"name": "logged"}));
    let secret = made["token"].as_str().unwrap().to_owned();
    emu.get("/api/v2/tokens?limit=2", &secret)
        .expect(200, "Tokens");
    emu.get("/api/v2/nope", OWNER);
    let mut log = String::new();
    for _ in 0..50 {
        log = emu.stderr();
        if log.contains("GET /api/v2/nope 404") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(log.contains("POST /api/v2/tokens 201 "), "{log}");
    assert!(log.contains("GET /api/v2/tokens 200 "), "{log}");
    assert!(
        log.lines()
            .any(|l| l.starts_with("GET /api/v2/nope 404 ") && l.ends_with("ms")),
        "{log}"
    );
    for s in [OWNER, &secret[..], &secret[4..]] {
        assert!(!log.contains(s), "the log must not contain a secret");
    }
}

#[test]
fn the_log_says_what_a_patch_changed_in_a_tokens_permissions() {
    let emu = Emulator::demo();
    let made = emu.create(OWNER, json!({"name": "raised", "role": "reader"}));
    let id = made["_id"].as_str().unwrap().to_owned();
    emu.patch(
        &format!("/api/v2/tokens/{id}"),
        OWNER,
        &json!([{ "op": "replace", "path": "/role", "value": "writer" }]),
    )
    .expect(200, "Token");
    let line = format!("token {id}: the patch changes its permissions from ");
    let mut log = String::new();
    for _ in 0..50 {
        log = emu.stderr();
        if log.contains(&line) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let logged = log
        .lines()
        .find(|l| l.starts_with(&line))
        .unwrap_or_else(|| panic!("{log}"));
    assert!(
        logged.ends_with("from role \"reader\" to role \"writer\""),
        "{logged}"
    );
    // An inline policy is described by its statements, custom roles by their keys.
    emu.patch(
        &format!("/api/v2/tokens/{id}"),
        OWNER,
        &json!([{ "op": "remove", "path": "/role" }, { "op": "add", "path": "/inlineRole", "value": [
            {"effect": "allow", "actions": ["*"], "resources": ["proj/*"]},
            {"effect": "deny", "actions": ["deleteProject"], "resources": ["proj/*"]},
            {"effect": "allow", "actions": ["viewProject"], "resources": ["proj/x"]}
        ]}]),
    )
    .expect(200, "Token");
    let inline = "to an inline policy of 3 statements (2 allow, 1 deny)";
    for _ in 0..50 {
        log = emu.stderr();
        if log.contains(inline) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(log.contains(inline), "{log}");
    // A rename changes no permissions and logs nothing of the kind.
    emu.patch(
        &format!("/api/v2/tokens/{id}"),
        OWNER,
        &json!([{ "op": "replace", "path": "/name", "value": "renamed" }]),
    )
    .expect(200, "Token");
    emu.get("/api/v2/nope", OWNER);
    for _ in 0..50 {
        log = emu.stderr();
        if log.contains("GET /api/v2/nope 404") {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(log.matches(&line).count(), 2, "{log}");
}

#[test]
fn caller_identity() {
    let emu = Emulator::demo();
    let me = emu
        .get("/api/v2/caller-identity", WRITER)
        .expect(200, "CallerIdentityRep");
    assert_eq!(me["tokenId"], demo_id(3));
    assert_eq!(me["memberId"], WRITER_MEMBER);
    assert_eq!(me["serviceToken"], false);
    assert_eq!(me["tokenName"], "Writer flags");
    assert_eq!(me["accountId"], "5f1a0000000000000000acc7");
    let svc = emu
        .get("/api/v2/caller-identity", SVC_ADMIN)
        .expect(200, "CallerIdentityRep");
    assert_eq!(svc["serviceToken"], true);
    assert_eq!(svc["memberId"], ADMIN_MEMBER);
    emu.call("GET", "/api/v2/caller-identity", None, None)
        .expect_error(401, "unauthorized");
}

#[test]
fn roles_by_page_key_and_id() {
    let emu = Emulator::demo();
    let all = emu.get("/api/v2/roles", READER).expect(200, "CustomRoles");
    assert_eq!(all["totalCount"], 6);
    let keys: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "token-manager",
            "project-writer",
            "read-everything",
            "service-token-rotator",
            "checkout-flags",
            "production-flags"
        ]
    );
    let page = emu
        .get("/api/v2/roles?limit=1&offset=1", READER)
        .expect(200, "CustomRoles");
    assert_eq!(page["items"][0]["key"], "project-writer");
    assert_eq!(
        page["_links"]["next"]["href"],
        "/api/v2/roles?limit=1&offset=2"
    );
    emu.get("/api/v2/roles?limit=0", READER)
        .expect_error(400, "invalid_request");
    let by_key = emu
        .get("/api/v2/roles/project-writer", READER)
        .expect(200, "CustomRole");
    let by_id = emu
        .get("/api/v2/roles/5f1b00000000000000000002", READER)
        .expect(200, "CustomRole");
    assert_eq!(by_key, by_id);
    assert!(by_key["policy"][0]["resources"][0]
        .as_str()
        .unwrap()
        .contains("${roleAttribute/projects}"));
    emu.get("/api/v2/roles/nope", READER)
        .expect_error(404, "not_found");
    // A member with no read access at all.
    emu.get("/api/v2/roles", NADIA)
        .expect_error(403, "forbidden");
    emu.get("/api/v2/roles/project-writer", NADIA)
        .expect_error(403, "forbidden");
    // Casey has base role no_access but a custom role with basePermissions reader.
    emu.get("/api/v2/roles", CASEY_MANAGER)
        .expect(200, "CustomRoles");
}

#[test]
fn members() {
    let emu = Emulator::demo();
    let wendy = emu
        .get(&format!("/api/v2/members/{WRITER_MEMBER}"), READER)
        .expect(200, "Member");
    assert_eq!(wendy["email"], "wendy.writer@example.com");
    assert!(
        wendy.get("roleAttributes").is_none(),
        "roleAttributes only with expand"
    );
    let expanded = emu
        .get(
            &format!("/api/v2/members/{WRITER_MEMBER}?expand=roleAttributes"),
            READER,
        )
        .expect(200, "Member");
    assert_eq!(
        expanded["roleAttributes"]["projects"],
        json!(["mobile", "web"])
    );
    let me = emu
        .get("/api/v2/members/me", CASEY_MANAGER)
        .expect(200, "Member");
    assert_eq!(me["customRoles"].as_array().unwrap().len(), 3);
    emu.get("/api/v2/members/ffffffffffffffffffffffff", READER)
        .expect_error(404, "not_found");
    // Nadia may read herself, not others.
    emu.get("/api/v2/members/me", NADIA).expect(200, "Member");
    emu.get(&format!("/api/v2/members/{WRITER_MEMBER}"), NADIA)
        .expect_error(403, "forbidden");
}

#[test]
fn static_directory_is_served_at_the_root() {
    let dir = temp_dir("static");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    let emu = Emulator::start(&["--seed", "demo", "--static", dir.to_str().unwrap()]);
    let page = emu.call("GET", "/", None, None);
    assert_eq!(page.status, 200);
    assert!(page.text.contains("<title>demo</title>"));
    emu.call("GET", "/missing.js", None, None)
        .expect_error(404, "not_found");
    emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
    emu.call("GET", "/api/v2/unknown", Some(OWNER), None)
        .expect_error(404, "not_found");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn startup_errors_are_clear() {
    let fail = Emulator::try_start(&[])
        .err()
        .expect("refuses to start with nothing to serve");
    assert!(
        fail.stderr.contains("--fixture") && fail.stderr.contains("--seed demo"),
        "{}",
        fail.stderr
    );
    assert!(!fail.status.unwrap().success());
    let fail = Emulator::try_start(&["--seed", "nonsense"]).err().unwrap();
    assert!(fail.stderr.contains("nonsense"), "{}", fail.stderr);
    let dir = temp_dir("bad-fixture");
    let path = dir.join("bad.json");
    std::fs::write(
        &path,
        r#"{"members":[{"email":"a@example.com","role":"boss"}]}"#,
    )
    .unwrap();
    let fail = Emulator::try_start(&["--fixture", path.to_str().unwrap()])
        .err()
        .unwrap();
    assert!(fail.stderr.contains("$.members[0].role"), "{}", fail.stderr);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sigterm_and_sigint_shut_down_cleanly() {
    for signal in ["-TERM", "-INT"] {
        let emu = Emulator::demo();
        // An idle keep-alive connection must not hold the shutdown up.
        emu.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
        let status = emu.signal(signal);
        assert!(status.success(), "{signal}: {status:?}");
    }
}

#[test]
fn the_schema_check_rejects_wrong_shapes() {
    let emu = Emulator::demo();
    let good = emu
        .get(&format!("/api/v2/tokens/{}", demo_id(1)), OWNER)
        .expect(200, "Token");
    let broken = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut body = good.clone();
        edit(&mut body);
        std::panic::catch_unwind(|| assert_schema("Token", &body)).is_err()
    };
    assert!(broken(&|b| {
        b.as_object_mut().unwrap().remove("_id");
    }));
    assert!(broken(&|b| b["creationDate"] = json!("yesterday")));
    assert!(
        broken(&|b| b["lastuse"] = json!(1)),
        "unknown fields are refused"
    );
    assert!(broken(&|b| b["_member"]["email"] = json!(null)));
    assert!(!broken(&|_| {}));
}
