//! The demo's secrets stay on its own origin: static files (`--static`) carry no CORS headers, so a page on
//! another website cannot read `/demo-tokens.json` from a visitor's browser, while the API keeps
//! LaunchDarkly's CORS (any origin, echoed; spec §1).

mod support;

use support::*;

const EVIL: &str = "http://evil.example";

fn static_emulator() -> Emulator {
    let dir = temp_dir("static-cors");
    std::fs::write(dir.join("index.html"), "<!doctype html><title>demo</title>").unwrap();
    std::fs::write(
        dir.join("demo-tokens.json"),
        format!(r#"{{"owner": "{OWNER}"}}"#),
    )
    .unwrap();
    Emulator::start(&["--seed", "demo", "--static", dir.to_str().unwrap()])
}

fn cors_headers(reply: &Reply) -> Vec<String> {
    reply
        .headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .filter(|k| k.starts_with("access-control-"))
        .collect()
}

#[test]
fn static_files_get_no_cors_headers() {
    let emu = static_emulator();
    for path in ["/demo-tokens.json", "/", "/index.html", "/missing.txt"] {
        let reply = emu.call_with("GET", path, None, None, &[("Origin", EVIL)]);
        assert!(
            cors_headers(&reply).is_empty(),
            "{path}: {:?}",
            reply.headers
        );
    }
    let file = emu.call_with("GET", "/demo-tokens.json", None, None, &[("Origin", EVIL)]);
    assert_eq!(file.status, 200, "the file is still served to its own page");
    assert!(file.text.contains(OWNER));
    // A preflight for a static file is not answered with permission either.
    let pre = emu.call_with(
        "OPTIONS",
        "/demo-tokens.json",
        None,
        None,
        &[("Origin", EVIL), ("Access-Control-Request-Method", "GET")],
    );
    assert!(cors_headers(&pre).is_empty(), "{:?}", pre.headers);
}

#[test]
fn the_api_keeps_launchdarklys_cors() {
    let emu = static_emulator();
    let reply = emu.call_with(
        "GET",
        "/api/v2/tokens",
        Some(OWNER),
        None,
        &[("Origin", EVIL)],
    );
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("access-control-allow-origin"), Some(EVIL));
    // Errors too, so that a page can read why it was refused.
    let reply = emu.call_with("GET", "/api/v2/tokens", None, None, &[("Origin", EVIL)]);
    assert_eq!(reply.status, 401);
    assert_eq!(reply.header("access-control-allow-origin"), Some(EVIL));
    let pre = emu.call_with(
        "OPTIONS",
        "/api/v2/tokens",
        None,
        None,
        &[("Origin", EVIL), ("Access-Control-Request-Method", "POST")],
    );
    assert_eq!(pre.status, 204);
    assert_eq!(pre.header("access-control-allow-origin"), Some(EVIL));
    assert_eq!(pre.header("access-control-max-age"), Some("300"));
}
