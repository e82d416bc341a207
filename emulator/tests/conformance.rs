//! The API exchanges of the conformance corpus (`tests/conformance/api.json`): requests as LaunchDarkly's
//! schema examples and its Terraform provider send them, each against a fresh emulator started from the
//! corpus's fixture, with the statuses and fields the cited source expects. Every case runs; the failure
//! lists each case that disagrees, one line each.
//!
//!   cargo test -p tokengate-emulator --test conformance

mod support;

use serde_json::Value;
use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use support::*;

const API: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/conformance/api.json"
));

/// Values saved by earlier steps (and `inOneHour`), substituted for `${name}`.
type Saved = HashMap<String, String>;

fn substitute(text: &str, saved: &Saved) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('}')
            .ok_or_else(|| format!("unclosed ${{ in {text:?}"))?;
        let name = &rest[start + 2..start + end];
        let value = saved
            .get(name)
            .ok_or_else(|| format!("nothing saved as {name}"))?;
        out.push_str(value);
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn substitute_value(value: &Value, saved: &Saved) -> Result<Value, String> {
    Ok(match value {
        Value::String(s) => Value::String(substitute(s, saved)?),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute_value(v, saved))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute_value(v, saved)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

fn pointers<'a>(expect: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    expect[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}

fn item_ids(body: &Value) -> Vec<&str> {
    body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["_id"].as_str())
        .collect()
}

/// Checks one reply against a step's `expect`, saving what it asks to save.
fn judge(reply: &Reply, expect: &Value, saved: &mut Saved) -> Result<(), String> {
    let status = expect["status"].as_u64().ok_or("a step needs a status")?;
    if u64::from(reply.status.as_u16()) != status {
        return Err(format!(
            "status {} instead of {status}: {}",
            reply.status.as_u16(),
            reply.text
        ));
    }
    if status == 204 {
        return Ok(());
    }
    let body: Value =
        serde_json::from_str(&reply.text).map_err(|e| format!("not JSON ({e}): {}", reply.text))?;
    if let Some(code) = expect["code"].as_str() {
        if body["code"] != code {
            return Err(format!("code {} instead of {code}", body["code"]));
        }
    }
    if let Some(schema) = expect["schema"].as_str() {
        catch_unwind(AssertUnwindSafe(|| assert_schema(schema, &body)))
            .map_err(|_| format!("the body does not fit the {schema} schema: {body}"))?;
    }
    for (pointer, want) in expect["fields"].as_object().into_iter().flatten() {
        let want = substitute_value(want, saved)?;
        if body.pointer(pointer) != Some(&want) {
            return Err(format!(
                "{pointer} is {:?}, not {want}",
                body.pointer(pointer)
            ));
        }
    }
    for pointer in pointers(expect, "present") {
        if body.pointer(pointer).is_none() {
            return Err(format!("{pointer} is missing: {body}"));
        }
    }
    for pointer in pointers(expect, "absent") {
        if let Some(found) = body.pointer(pointer) {
            return Err(format!("{pointer} should be absent, is {found}"));
        }
    }
    for (pointer, want) in expect["lengths"].as_object().into_iter().flatten() {
        let len = body
            .pointer(pointer)
            .and_then(Value::as_array)
            .map(Vec::len);
        if len != want.as_u64().map(|n| n as usize) {
            return Err(format!("{pointer} has {len:?} items, not {want}"));
        }
    }
    for (pointer, other) in expect["differs"].as_object().into_iter().flatten() {
        let other = substitute_value(other, saved)?;
        if body.pointer(pointer) == Some(&other) {
            return Err(format!("{pointer} did not change"));
        }
    }
    let ids = item_ids(&body);
    for id in pointers(expect, "listHas") {
        if !ids.contains(&id) {
            return Err(format!("the list lacks {id}: {ids:?}"));
        }
    }
    for id in pointers(expect, "listLacks") {
        if ids.contains(&id) {
            return Err(format!("the list shows {id}, which it should not"));
        }
    }
    for (name, pointer) in expect["save"].as_object().into_iter().flatten() {
        let pointer = pointer.as_str().ok_or("save takes pointers")?;
        let value = body
            .pointer(pointer)
            .and_then(Value::as_str)
            .ok_or_else(|| format!("nothing to save at {pointer}"))?;
        saved.insert(name.clone(), value.to_owned());
    }
    Ok(())
}

fn run_case(corpus: &Value, case: &Value) -> Result<(), String> {
    let dir = temp_dir("conformance");
    let fixture = dir.join("fixture.json");
    std::fs::write(&fixture, serde_json::to_vec(&corpus["fixture"]).unwrap()).unwrap();
    let emu = Emulator::try_start(&["--fixture", fixture.to_str().unwrap()])
        .map_err(|e| format!("the emulator did not start from the fixture: {e:?}"))?;
    let secrets = corpus["secrets"].as_object().cloned().unwrap_or_default();
    let mut saved = Saved::new();
    saved.insert("inOneHour".to_owned(), (now_ms() + 3_600_000).to_string());
    for (n, step) in case["steps"]
        .as_array()
        .ok_or("a case needs steps")?
        .iter()
        .enumerate()
    {
        let caller = step["as"].as_str().ok_or("a step needs `as`")?;
        let secret = secrets
            .get(caller)
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| saved.get(caller).cloned())
            .ok_or_else(|| format!("step {n}: no secret named {caller}"))?;
        let method = step["method"].as_str().ok_or("a step needs a method")?;
        let path = substitute(step["path"].as_str().ok_or("a step needs a path")?, &saved)?;
        let body = step
            .get("body")
            .map(|b| substitute_value(b, &saved))
            .transpose()?;
        let headers: Vec<(String, String)> = step["headers"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect();
        let headers: Vec<(&str, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let reply = emu.call_with(method, &path, Some(&secret), body.as_ref(), &headers);
        judge(&reply, &step["expect"], &mut saved)
            .map_err(|e| format!("step {n} ({method} {path}): {e}"))?;
    }
    Ok(())
}

#[test]
fn api_exchanges_agree_with_their_sources() {
    let corpus: Value = serde_json::from_str(API).expect("api.json is JSON");
    let cases = corpus["cases"].as_array().expect("api.json has cases");
    assert!(!cases.is_empty());
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|case| {
            let id = case["id"].as_str().unwrap_or("?");
            run_case(&corpus, case).err().map(|e| format!("{id}: {e}"))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} API cases disagree with their sources:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
