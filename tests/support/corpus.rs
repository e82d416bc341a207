//! The conformance corpus (`tests/conformance/*.json`) read as data: every check, the situation it describes
//! and the answer its source gives. Shared by the native runner (`tests/conformance.rs`) and the wasm runner
//! (`tests/wasm_conformance.rs`), which differ only in how they put the question to tokengate.
//!
//! The corpus is written from LaunchDarkly's docs and public role configurations, not from tokengate's code,
//! so a check that fails is a place where tokengate and LaunchDarkly disagree (or a feature still missing).

use serde_json::{json, Map, Value};

/// The files of decision checks (policies and principals), by name.
pub const DECISION_FILES: [(&str, &str); 4] = [
    (
        "policies.json",
        include_str!("../conformance/policies.json"),
    ),
    (
        "selectors.json",
        include_str!("../conformance/selectors.json"),
    ),
    (
        "view-rule.json",
        include_str!("../conformance/view-rule.json"),
    ),
    ("tokens.json", include_str!("../conformance/tokens.json")),
];

/// The API exchanges, run against the emulator by `emulator/tests/conformance.rs`.
pub const API_FILE: (&str, &str) = ("api.json", include_str!("../conformance/api.json"));

/// The corpus promises at least this many cases (checks of the decision files plus API cases).
pub const MINIMUM_CASES: usize = 100;

/// The three answers a source can give: LaunchDarkly allows, refuses, or the situation as written does not
/// say enough to tell (a property or view the resource string leaves out).
pub const ANSWERS: [&str; 3] = ["allow", "deny", "indeterminate"];

/// What is asked of a principal.
#[derive(Clone, Debug)]
pub enum Query {
    /// May it do `action` on `resource`?
    Can { action: String, resource: String },
    /// May it see (get by id) `target`?
    See { target: Value },
    /// May it do the token action `action` to `target`?
    Action { target: Value, action: String },
    /// May it create the token `body` describes?
    Create { body: Value },
}

/// Who is asking.
#[derive(Clone, Debug)]
pub enum Situation {
    /// One bare policy (one holder), checked with `evaluate`.
    Policy {
        policy: Value,
        role_attributes: Value,
        action: String,
        resource: String,
    },
    /// A calling token with its creator, roles and teams.
    Principal {
        token: Value,
        member: Option<Value>,
        roles: Value,
        teams: Vec<Value>,
        query: Query,
    },
}

/// One check: one case of the corpus.
#[derive(Clone, Debug)]
pub struct Check {
    pub file: &'static str,
    pub case: String,
    pub id: String,
    pub expect: String,
    pub situation: Situation,
}

fn parse(name: &str, text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{name} is not JSON: {e}"))
}

fn string(value: &Value, key: &str, at: &str) -> String {
    value[key]
        .as_str()
        .unwrap_or_else(|| panic!("{at}: `{key}` must be a string"))
        .to_owned()
}

/// The cases of a file, checked for the fields every case carries: an id, a source and what it says.
pub fn cases(name: &str, text: &str) -> Vec<Value> {
    let file = parse(name, text);
    let cases = file["cases"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: `cases` must be an array"))
        .clone();
    for case in &cases {
        let id = string(case, "id", name);
        let source = &case["source"];
        let cited = source["url"]
            .as_str()
            .is_some_and(|url| url.starts_with("https://"))
            || (source["repo"].as_str().is_some_and(|r| r.contains('/'))
                && source["path"].as_str().is_some_and(|p| !p.is_empty()));
        assert!(
            cited,
            "{name} {id}: `source` needs an https url, or a repo and path"
        );
        let said = ["quote", "summary"]
            .iter()
            .any(|key| case[*key].as_str().is_some_and(|s| !s.is_empty()));
        assert!(said, "{name} {id}: needs a `quote` or a `summary`");
    }
    cases
}

/// Every check of the decision files, in file order.
pub fn checks() -> Vec<Check> {
    let mut out = Vec::new();
    for (file, text) in DECISION_FILES {
        for case in cases(file, text) {
            let case_id = string(&case, "id", file);
            let at = format!("{file} {case_id}");
            let principal = case.get("token").is_some();
            let targets = case.get("targets").cloned().unwrap_or_else(|| json!({}));
            for check in case["checks"]
                .as_array()
                .unwrap_or_else(|| panic!("{at}: `checks` must be an array"))
            {
                let id = string(check, "id", &at);
                let expect = string(check, "expect", &id);
                assert!(
                    ANSWERS.contains(&expect.as_str()),
                    "{id}: unknown answer {expect}"
                );
                let situation = if principal {
                    Situation::Principal {
                        token: complete_token(&case["token"]),
                        member: case
                            .get("member")
                            .filter(|m| !m.is_null())
                            .map(complete_member),
                        roles: case.get("roles").cloned().unwrap_or_else(|| json!([])),
                        teams: case
                            .get("teams")
                            .and_then(Value::as_array)
                            .cloned()
                            .unwrap_or_default(),
                        query: query(check, &targets, &id),
                    }
                } else {
                    Situation::Policy {
                        policy: case["policy"].clone(),
                        role_attributes: case
                            .get("roleAttributes")
                            .cloned()
                            .unwrap_or_else(|| json!({})),
                        action: string(check, "action", &id),
                        resource: string(check, "resource", &id),
                    }
                };
                out.push(Check {
                    file,
                    case: case_id.clone(),
                    id,
                    expect,
                    situation,
                });
            }
        }
    }
    out
}

fn query(check: &Value, targets: &Value, id: &str) -> Query {
    let target = || {
        let name = string(check, "target", id);
        complete_token(
            targets
                .get(&name)
                .unwrap_or_else(|| panic!("{id}: no target {name}")),
        )
    };
    match check["kind"].as_str() {
        Some("can") => Query::Can {
            action: string(check, "action", id),
            resource: string(check, "resource", id),
        },
        Some("see") => Query::See { target: target() },
        Some("action") => Query::Action {
            target: target(),
            action: string(check, "action", id),
        },
        Some("create") => Query::Create {
            body: check["body"].clone(),
        },
        other => panic!("{id}: unknown kind {other:?}"),
    }
}

/// The API file's cases (their ids count towards the corpus size).
pub fn api_cases() -> Vec<Value> {
    cases(API_FILE.0, API_FILE.1)
}

fn with_defaults(value: &Value, defaults: Value) -> Value {
    let mut out: Map<String, Value> = defaults.as_object().cloned().unwrap_or_default();
    if let Some(given) = value.as_object() {
        out.extend(given.clone());
    }
    Value::Object(out)
}

/// A token as the case writes it, with the `Token` schema's required bookkeeping fields filled in.
pub fn complete_token(token: &Value) -> Value {
    with_defaults(
        token,
        json!({
            "ownerId": "5f1a00000000000000000001",
            "creationDate": 1700000000000_i64,
            "lastModified": 1700000000000_i64,
        }),
    )
}

/// A member as the case writes it, with the `Member` schema's required `email` filled in.
pub fn complete_member(member: &Value) -> Value {
    let email = format!("{}@example.com", member["_id"].as_str().unwrap_or("member"));
    with_defaults(member, json!({ "email": email }))
}

/// The answer a decision gives, in the corpus's words.
pub fn verdict(allowed: bool, indeterminate: bool) -> &'static str {
    if allowed {
        "allow"
    } else if indeterminate {
        "indeterminate"
    } else {
        "deny"
    }
}

/// What a runner found for one check.
pub struct PolicyOutcome {
    pub id: String,
    /// The answer, or why none could be had (an error from tokengate).
    pub answer: Result<String, String>,
    /// tokengate's explanation, for the failure list.
    pub reason: String,
}

/// Fails with every check whose answer is not its source's, one line each.
pub fn assert_all(checks: &[Check], outcomes: &[PolicyOutcome]) {
    let mut failures = Vec::new();
    for (check, outcome) in checks.iter().zip(outcomes) {
        match &outcome.answer {
            Ok(answer) if *answer == check.expect => {}
            Ok(answer) => failures.push(format!(
                "{}: expected {}, got {answer} ({})",
                check.id, check.expect, outcome.reason
            )),
            Err(error) => failures.push(format!(
                "{}: expected {}, got an error: {error}",
                check.id, check.expect
            )),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} conformance checks disagree with their sources:\n{}",
        failures.len(),
        checks.len(),
        failures.join("\n")
    );
}
