//! `--data`: state survives a restart, a second process is refused, and concurrent writes never lose an
//! update.

mod support;

use serde_json::json;
use std::collections::BTreeSet;
use std::sync::Arc;
use support::*;

#[test]
fn state_survives_a_restart() {
    let dir = temp_dir("restart");
    let data = dir.to_str().unwrap();
    let emu = Emulator::start(&["--seed", "demo", "--data", data]);
    assert!(
        emu.stdout.iter().any(|l| l.contains("for local use only")),
        "demo secrets printed on seeding"
    );
    let made = emu.create(
        OWNER,
        json!({"name": "kept", "serviceToken": true, "role": "reader"}),
    );
    let id = made["_id"].as_str().unwrap().to_owned();
    let secret = made["token"].as_str().unwrap().to_owned();
    emu.patch(
        &format!("/api/v2/tokens/{id}"),
        OWNER,
        &json!([{"op": "add", "path": "/description", "value": "saved"}]),
    )
    .expect(200, "Token");
    emu.delete(&format!("/api/v2/tokens/{}", demo_id(3)), OWNER);
    let grace_until = now_ms() + 120_000;
    let reset = emu
        .call(
            "POST",
            &format!("/api/v2/tokens/{}/reset?expiry={grace_until}", demo_id(5)),
            Some(OWNER),
            None,
        )
        .expect(200, "Token");
    let new_reader = reset["token"].as_str().unwrap().to_owned();
    emu.call(
        "POST",
        &format!("/api/v2/tokens/{}/reset", demo_id(9)),
        Some(OWNER),
        None,
    )
    .expect(200, "Token");
    emu.get("/api/v2/caller-identity", &secret)
        .expect(200, "CallerIdentityRep");
    let used = emu.get(&format!("/api/v2/tokens/{id}"), OWNER).json()["lastUsed"]
        .as_i64()
        .unwrap();
    let before = emu.get("/api/v2/tokens?showAll=true", OWNER).json();
    assert!(emu.terminate().success());

    let emu = Emulator::start(&["--data", data]);
    let after = emu
        .get("/api/v2/tokens?showAll=true", OWNER)
        .expect(200, "Tokens");
    assert_eq!(ids(&after), ids(&before));
    let kept = emu
        .get(&format!("/api/v2/tokens/{id}"), OWNER)
        .expect(200, "Token");
    assert_eq!(kept["description"], "saved");
    assert_eq!(kept["serviceToken"], true);
    assert!(
        kept["lastUsed"].as_i64().unwrap() >= used,
        "lastUsed is saved"
    );
    emu.get("/api/v2/caller-identity", &secret)
        .expect(200, "CallerIdentityRep");
    emu.get(&format!("/api/v2/tokens/{}", demo_id(3)), OWNER)
        .expect_error(404, "not_found");
    emu.get("/api/v2/caller-identity", WRITER)
        .expect_error(401, "unauthorized");
    // The grace period of a reset survives too; an immediate reset's old secret stays dead.
    emu.get("/api/v2/caller-identity", READER)
        .expect(200, "CallerIdentityRep");
    emu.get("/api/v2/caller-identity", &new_reader)
        .expect(200, "CallerIdentityRep");
    emu.get("/api/v2/caller-identity", SVC_READER)
        .expect_error(401, "unauthorized");
    // The seed is used only for an empty directory.
    drop(emu);
    let emu = Emulator::start(&["--seed", "demo", "--data", data]);
    emu.get(&format!("/api/v2/tokens/{}", demo_id(3)), OWNER)
        .expect_error(404, "not_found");
    assert!(
        !emu.stdout.iter().any(|l| l.contains(OWNER)),
        "no secrets printed when resuming"
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn older_grace_secrets_stay_revoked_after_a_restart() {
    let dir = temp_dir("grace");
    let data = dir.to_str().unwrap();
    let emu = Emulator::start(&["--seed", "demo", "--data", data]);
    let made = emu.create(OWNER, json!({"name": "rotated", "role": "reader"}));
    let id = made["_id"].as_str().unwrap().to_owned();
    let reset = |expiry: i64| {
        emu.call(
            "POST",
            &format!("/api/v2/tokens/{id}/reset?expiry={expiry}"),
            Some(OWNER),
            None,
        )
        .expect(200, "Token")["token"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let hour = now_ms() + 3600 * 1000;
    let mut secrets = vec![made["token"].as_str().unwrap().to_owned()];
    for _ in 0..3 {
        secrets.push(reset(hour));
    }
    assert!(emu.terminate().success());

    let emu = Emulator::start(&["--data", data]);
    let status = |secret: &str| emu.get("/api/v2/caller-identity", secret).status.as_u16();
    assert_eq!(
        secrets.iter().map(|s| status(s)).collect::<Vec<_>>(),
        vec![401, 401, 200, 200],
        "only the newest secret and the one just replaced come back"
    );
    // A reset without expiry after the restart leaves exactly one working secret, and so does the next start.
    let last = emu
        .call(
            "POST",
            &format!("/api/v2/tokens/{id}/reset"),
            Some(OWNER),
            None,
        )
        .expect(200, "Token")["token"]
        .as_str()
        .unwrap()
        .to_owned();
    secrets.push(last);
    assert!(emu.terminate().success());
    let emu = Emulator::start(&["--data", data]);
    let working: Vec<usize> = (0..secrets.len())
        .filter(|&i| emu.get("/api/v2/caller-identity", &secrets[i]).status == 200)
        .collect();
    assert_eq!(working, vec![4]);
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn a_second_process_on_the_same_data_is_refused() {
    let dir = temp_dir("lock");
    let data = dir.to_str().unwrap();
    let first = Emulator::start(&["--seed", "demo", "--data", data]);
    let second = Emulator::try_start(&["--seed", "demo", "--data", data])
        .err()
        .expect("second start refused");
    assert!(!second.status.unwrap().success());
    assert!(
        second
            .stderr
            .contains("in use by another tokengate-emulator"),
        "{}",
        second.stderr
    );
    // The first keeps serving; once it stops, the directory can be used again.
    first.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
    assert!(first.terminate().success());
    let third = Emulator::start(&["--data", data]);
    third.get("/api/v2/tokens", OWNER).expect(200, "Tokens");
    drop(third);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn concurrent_writes_lose_nothing() {
    let dir = temp_dir("concurrent");
    let data = dir.to_str().unwrap().to_owned();
    let emu = Arc::new(Emulator::start(&["--seed", "demo", "--data", &data]));
    // Eight writers create tokens at once.
    let created: Vec<String> = (0..8)
        .map(|w| {
            let emu = emu.clone();
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| {
                        emu.create(OWNER, json!({"name": format!("w{w}-{i}")}))["_id"]
                            .as_str()
                            .unwrap()
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect::<Vec<_>>()
        .into_iter()
        .flat_map(|h| h.join().unwrap())
        .collect();
    assert_eq!(created.iter().collect::<BTreeSet<_>>().len(), 80);
    let list = emu
        .get("/api/v2/tokens?limit=1000", OWNER)
        .expect(200, "Tokens");
    let listed: BTreeSet<String> = ids(&list).into_iter().collect();
    assert!(created.iter().all(|id| listed.contains(id)));

    // Concurrent patches of one token each add an element: none is lost.
    let target = emu.create(
        OWNER,
        json!({"name": "shared", "inlineRole": [
            {"effect": "allow", "actions": ["viewProject"], "resources": ["proj/base"]}
        ]}),
    );
    let target_id = target["_id"].as_str().unwrap().to_owned();
    let handles: Vec<_> = (0..8)
        .map(|w| {
            let emu = emu.clone();
            let path = format!("/api/v2/tokens/{target_id}");
            std::thread::spawn(move || {
                for i in 0..5 {
                    emu.patch(&path, OWNER, &json!([{"op": "add", "path": "/inlineRole/0/resources/-", "value": format!("proj/p{w}x{i}")}]))
                        .expect(200, "Token");
                }
            })
        })
        .collect();
    handles.into_iter().for_each(|h| h.join().unwrap());
    let patched = emu
        .get(&format!("/api/v2/tokens/{target_id}"), OWNER)
        .json();
    assert_eq!(
        patched["inlineRole"][0]["resources"]
            .as_array()
            .unwrap()
            .len(),
        41
    );

    // A PATCH racing a DELETE ends as one or the other, never a resurrected token.
    for round in 0..10 {
        let victim = emu.create(OWNER, json!({"name": format!("victim {round}")}));
        let path = format!("/api/v2/tokens/{}", victim["_id"].as_str().unwrap());
        let (e1, e2) = (emu.clone(), emu.clone());
        let (p1, p2) = (path.clone(), path.clone());
        let patcher = std::thread::spawn(move || {
            e1.patch(
                &p1,
                OWNER,
                &json!([{"op": "replace", "path": "/name", "value": "patched"}]),
            )
            .status
            .as_u16()
        });
        let deleter = std::thread::spawn(move || e2.delete(&p2, OWNER).status.as_u16());
        let (patched, deleted) = (patcher.join().unwrap(), deleter.join().unwrap());
        assert_eq!(deleted, 204);
        assert!(patched == 200 || patched == 404, "patch {patched}");
        emu.get(&path, OWNER).expect_error(404, "not_found");
    }
    let before = ids(&emu.get("/api/v2/tokens?limit=1000", OWNER).json());
    let emu = Arc::try_unwrap(emu).ok().expect("sole owner");
    assert!(emu.terminate().success());
    let emu = Emulator::start(&["--data", &data]);
    let after = emu
        .get("/api/v2/tokens?limit=1000", OWNER)
        .expect(200, "Tokens");
    assert_eq!(
        ids(&after),
        before,
        "what was acknowledged is what was saved"
    );
    let patched = emu
        .get(&format!("/api/v2/tokens/{target_id}"), OWNER)
        .json();
    assert_eq!(
        patched["inlineRole"][0]["resources"]
            .as_array()
            .unwrap()
            .len(),
        41
    );
    drop(emu);
    let _ = std::fs::remove_dir_all(dir);
}
