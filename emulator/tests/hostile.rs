//! Hostile requests against the emulator: work a request makes the server do must not keep it from answering
//! others. Bounded by counts (requests answered, bytes), never by how long anything took.

mod support;

use serde_json::{json, Value};
use std::io::Write;
use support::raw::*;
use support::*;

/// An inline policy built to make comparing it with another slow: globs of many stars over overlapping
/// letters, allowed and denied.
fn hostile_policy() -> Value {
    let glob = |unit: &str, n: usize| format!("proj/{}*", format!("*{unit}").repeat(n));
    json!([
        {"effect": "allow", "actions": ["*"], "resources": [glob("a", 64)]},
        {"effect": "deny", "actions": ["*"], "resources": [glob("b", 64)]},
        {"effect": "allow", "actions": ["*"], "resources": [glob("a", 63)]},
        {"effect": "deny", "actions": ["*"], "resources": [glob("ab", 64)]},
    ])
}

#[test]
fn hostile_patches_in_flight_do_not_stall_other_requests() {
    let emu = Emulator::demo();
    let ids: Vec<String> = (0..2)
        .map(|i| {
            emu.create(
                OWNER,
                json!({"name": format!("hostile target {i}"), "role": "reader"}),
            )["_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    // Two PATCHes that turn the tokens' role into the hostile policy, sent whole on their own connections;
    // their answers are read only after the other requests, so those are answered while both are in flight.
    let body = serde_json::to_string(&json!([
        {"op": "remove", "path": "/role"},
        {"op": "add", "path": "/inlineRole", "value": hostile_policy()},
    ]))
    .unwrap();
    let mut patches: Vec<_> = ids
        .iter()
        .map(|id| {
            let mut stream = connect(&emu);
            stream
                .write_all(
                    format!(
                        "PATCH /api/v2/tokens/{id} HTTP/1.1\r\nHost: emulator\r\nAuthorization: {OWNER}\r\n\
                         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    )
                    .as_bytes(),
                )
                .unwrap();
            stream
        })
        .collect();
    let others = 50;
    for i in 0..others {
        let path = if i % 2 == 0 {
            "/api/v2/caller-identity".to_owned()
        } else {
            format!("/api/v2/tokens/{}", demo_id(1))
        };
        let reply = emu.get(&path, OWNER);
        assert_eq!(
            reply.status, 200,
            "request {i} while the PATCHes were in flight: {}",
            reply.text
        );
    }
    for (stream, id) in patches.iter_mut().zip(&ids) {
        let answer = read_answer(stream).expect("the PATCH is answered");
        assert_eq!(
            answer.status,
            200,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
        let token = answer.json();
        assert_eq!(token["_id"], id.as_str());
        assert_eq!(token["inlineRole"].as_array().unwrap().len(), 4);
        assert!(token.get("role").is_none());
    }
    // The log line says what changed without comparing the policies.
    let line = format!(
        "token {}: the patch changes its permissions from role \"reader\" to an inline policy of 4 statements (2 allow, 2 deny)",
        ids[0]
    );
    let mut log = String::new();
    for _ in 0..500 {
        log = emu.stderr();
        if log.contains(&line) {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(log.contains(&line), "{log}");
}
