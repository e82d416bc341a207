//! A well-formed request from LaunchDarkly's own schema is not refused: every request body example and every
//! parameter example in `spec/access-tokens.openapi.json` (the repository's copy of the official schema) is
//! sent to the emulator by the account's owner, against a token of each kind (a role, custom roles, an inline
//! policy, since an example does not say which it acts on), and each must succeed: never a 400, nor a 422
//! (only a 404 for an example token id in the path, which names a token of another account).

mod support;

use serde_json::{json, Map, Value};
use support::*;

/// One request to send: which operation, the example it carries, and where that example sits in the schema.
struct Example {
    origin: String,
    method: String,
    path_template: String,
    query: Vec<(String, String)>,
    path_values: Map<String, Value>,
    body: Option<Value>,
}

/// `example` and every `examples.*.value` of an object of the schema (a media type or a parameter).
fn examples_of(node: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    if let Some(example) = node.get("example") {
        found.push(("example".to_owned(), example.clone()));
    }
    if let Some(Value::Object(named)) = node.get("examples") {
        for (name, example) in named {
            if let Some(value) = example.get("value") {
                found.push((format!("examples/{name}"), value.clone()));
            }
        }
    }
    found
}

/// Every example of a request: the body's, and each parameter's (its own, or its schema's).
fn request_examples(spec: &Value) -> Vec<Example> {
    let mut all = Vec::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for (method, operation) in item.as_object().unwrap() {
            let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                continue;
            };
            let bare = |origin: String| Example {
                origin,
                method: method.to_uppercase(),
                path_template: path.clone(),
                query: Vec::new(),
                path_values: Map::new(),
                body: None,
            };
            if let Some(Value::Object(content)) = operation.pointer("/requestBody/content") {
                for (media, body) in content {
                    for (name, value) in examples_of(body) {
                        all.push(Example {
                            body: Some(value),
                            ..bare(format!("{id} requestBody {media} {name}"))
                        });
                    }
                }
            }
            for parameter in operation["parameters"].as_array().into_iter().flatten() {
                let name = parameter["name"].as_str().unwrap().to_owned();
                let mut found = examples_of(parameter);
                if let Some(schema) = parameter.get("schema") {
                    found.extend(
                        examples_of(schema)
                            .into_iter()
                            .map(|(n, v)| (format!("schema {n}"), v)),
                    );
                }
                for (which, value) in found {
                    let mut example = bare(format!("{id} parameter {name} {which}"));
                    match parameter["in"].as_str() {
                        Some("path") => {
                            example.path_values.insert(name.clone(), value);
                        }
                        Some("query") => example.query.push((name.clone(), text(&value))),
                        _ => continue,
                    }
                    all.push(example);
                }
            }
        }
    }
    all
}

fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[test]
fn request_examples_of_the_official_schema_are_not_refused() {
    let spec = spec("access-tokens.openapi.json");
    let examples = request_examples(&spec);
    // The schema has a body example for each operation with a body (create and patch); if a newer copy of
    // the schema drops or renames them, this test must be looked at rather than pass on nothing.
    let bodies = examples.iter().filter(|e| e.body.is_some()).count();
    assert!(bodies >= 2, "found {bodies} request body examples");

    let emu = Emulator::demo();
    let targets = [
        json!({"name": "example target", "role": "reader"}),
        json!({"name": "example target", "customRoleIds": ["read-everything"]}),
        json!({"name": "example target", "inlineRole": [
            {"effect": "allow", "resources": ["proj/*"], "actions": ["viewProject"]}
        ]}),
    ];
    for example in &examples {
        for target in &targets {
            // Each example acts on a token of its own, so that one (a delete, a reset) cannot spoil the next.
            let fresh = emu.create(OWNER, target.clone());
            // A path parameter's own example where it has one, else the fresh token's id.
            let mut path = example.path_template.clone();
            for (name, value) in &example.path_values {
                path = path.replace(&format!("{{{name}}}"), &text(value));
            }
            path = path.replace("{id}", fresh["_id"].as_str().unwrap());
            if !example.query.is_empty() {
                let pairs: Vec<String> = example
                    .query
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect();
                path = format!("{path}?{}", pairs.join("&"));
            }
            let reply = emu.call(&example.method, &path, Some(OWNER), example.body.as_ref());
            // An example id in the path names a token of LaunchDarkly's account, not of this one.
            let unknown_example_id = !example.path_values.is_empty() && reply.status == 404;
            assert!(
                reply.status.is_success() || unknown_example_id,
                "{} ({} {path}, body {:?}, on a token made with {target}) was answered {}: {}",
                example.origin,
                example.method,
                example.body,
                reply.status,
                reply.text
            );
        }
    }
}
