//! The model's hand-written `FromJson`/`ToJson` against its serde derives: the WebAssembly module decodes
//! with the former, native users and the emulator with the latter, so a document one accepts and the other
//! refuses, or that they read or write differently, is a difference a user would see only in a browser.
//!
//! Every JSON document the repository holds (fixtures, the OpenAPI copies, fuzz seeds, and the JSON bodies
//! written in Rust sources) is read as every model type both ways, down to each of its values; then
//! hand-built documents with each field absent, `null` or of the wrong kind, and random combinations of
//! such changes. Native only: it reads the repository's files.
#![cfg(not(target_arch = "wasm32"))]

use proc_macro2::{TokenStream, TokenTree};
use proptest::prelude::*;
use serde::{de::DeserializeOwned, Serialize};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};
use std::fmt::Debug;
use std::path::{Path, PathBuf};
use tokengate::json::{At, FromJson, JsonError, ToJson};
use tokengate::{
    AccessTokenPost, CallerIdentity, CustomRole, CustomRoles, Effect, ErrorBody, Link, Links,
    Member, MemberSummary, MemberTeamSummary, PatchOperation, PatchRequest, PermissionGrant,
    RoleAttributes, Secret, Statement, Team, TeamCustomRole, TeamCustomRoles, TeamMembers, Token,
    Tokens,
};

// ---------------------------------------------------------------------------------------------------------
// Comparing the two decoders

/// Serde's derive also reads a struct from an array of its fields in order (`["code", "message"]` is an
/// `ErrorBody`); `FromJson` does not, on purpose: no client sends that form and it would cost every type a
/// second reader in the module. Such a refusal is counted apart rather than failed.
const SEQ_FORM: &str = "expected an object, found an array";

#[derive(Default)]
struct Tally {
    accepted: BTreeMap<&'static str, usize>,
    refused: BTreeMap<&'static str, usize>,
    seq_form: usize,
    failures: Vec<String>,
}

impl Tally {
    fn assert_clean(&self) {
        assert!(
            self.failures.is_empty(),
            "{} disagreement(s), the first ones:\n{}",
            self.failures.len(),
            self.failures[..self.failures.len().min(10)].join("\n")
        );
    }

    fn accepted(&self, name: &str) -> usize {
        self.accepted.get(name).copied().unwrap_or(0)
    }
}

/// Every string at or under a `token` member, where a token's secret sits: none may appear in an error
/// message of ours (elsewhere a string may be echoed, as an unknown `effect` is).
fn secrets(doc: &Value, under_token: bool, out: &mut Vec<String>) {
    match doc {
        Value::String(s) if under_token && s.len() > 8 => out.push(s.clone()),
        Value::Array(items) => items.iter().for_each(|v| secrets(v, under_token, out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| secrets(v, under_token || k == "token", out)),
        _ => {}
    }
}

/// Reads `doc` as a `T` both ways and records any difference: one accepts and the other refuses, the
/// models differ, or their encodings differ. Our refusals must also name a place that exists in `doc`
/// and must not echo a secret.
fn check<T>(name: &'static str, doc: &Value, tally: &mut Tally)
where
    T: DeserializeOwned + Serialize + FromJson + ToJson + PartialEq + Debug,
{
    let theirs = serde_json::from_value::<T>(doc.clone());
    let ours = T::from_json(doc, At::Root);
    match (theirs, ours) {
        (Ok(a), Ok(b)) => {
            if a != b {
                tally.failures.push(format!(
                    "{name} from {doc}: serde read {a:?}, FromJson {b:?}"
                ));
            }
            let (serde_out, ours_out) = (serde_json::to_value(&b).unwrap(), b.to_json());
            if serde_out != ours_out {
                tally.failures.push(format!(
                    "{name} from {doc}: serde writes {serde_out}, ToJson {ours_out}"
                ));
            }
            *tally.accepted.entry(name).or_default() += 1;
        }
        (Err(_), Err(e)) => {
            if doc.pointer(&e.pointer).is_none() {
                tally.failures.push(format!(
                    "{name} from {doc}: error `{e}` names no place in the document"
                ));
            }
            let mut found = Vec::new();
            secrets(doc, false, &mut found);
            if found.iter().any(|s| e.to_string().contains(s.as_str())) {
                tally
                    .failures
                    .push(format!("{name}: error `{e}` shows a secret"));
            }
            *tally.refused.entry(name).or_default() += 1;
        }
        (Ok(_), Err(e)) if e.message == SEQ_FORM => tally.seq_form += 1,
        (Ok(a), Err(e)) => tally.failures.push(format!(
            "{name} from {doc}: serde read {a:?}, FromJson refused: {e}"
        )),
        (Err(e), Ok(b)) => tally.failures.push(format!(
            "{name} from {doc}: FromJson read {b:?}, serde refused: {e}"
        )),
    }
}

macro_rules! check_types {
    ($doc:expr, $tally:expr; $($t:ty),* $(,)?) => {
        $( check::<$t>(stringify!($t), $doc, $tally); )*
    };
}

/// Every type of the model with both impls, plus the containers the API nests them in.
fn check_all(doc: &Value, tally: &mut Tally) {
    check_types!(doc, tally;
        ErrorBody, Link, Links, Secret, Effect, Statement, Vec<Statement>, CustomRole, CustomRoles,
        MemberSummary, Member, MemberTeamSummary, PermissionGrant, CallerIdentity, RoleAttributes,
        PatchOperation, PatchRequest, Team, TeamCustomRoles, TeamCustomRole, TeamMembers, Token, Tokens,
        AccessTokenPost,
    );
}

/// `doc` and every value inside it, each once.
fn check_everywhere(doc: &Value, seen: &mut HashSet<String>, tally: &mut Tally) {
    if !seen.insert(doc.to_string()) {
        return;
    }
    check_all(doc, tally);
    match doc {
        Value::Array(items) => items.iter().for_each(|v| check_everywhere(v, seen, tally)),
        Value::Object(map) => map.values().for_each(|v| check_everywhere(v, seen, tally)),
        _ => {}
    }
}

// ---------------------------------------------------------------------------------------------------------
// The repository's documents

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path, ext: Option<&str>, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "node_modules" || name == "target" {
            continue;
        }
        if path.is_dir() {
            files_under(&path, ext, out);
        } else if ext.map_or(true, |e| path.extension().is_some_and(|x| x == e)) {
            out.push(path);
        }
    }
}

/// The JSON in a data file: the whole file, or (fuzz seeds carry a binary prefix) the first document
/// from the first bracket on.
fn json_in_file(path: &Path) -> Option<Value> {
    let text = String::from_utf8_lossy(&std::fs::read(path).ok()?).into_owned();
    if let Ok(v) = serde_json::from_str(&text) {
        return Some(v);
    }
    let start = text.find(['{', '['])?;
    serde_json::Deserializer::from_str(&text[start..])
        .into_iter::<Value>()
        .next()?
        .ok()
}

/// Candidate JSON texts in Rust source: string literals, and the bodies of `json!` invocations.
fn rust_texts(tokens: TokenStream, out: &mut Vec<String>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        match tree {
            TokenTree::Literal(lit) => {
                if let Ok(s) = syn::parse_str::<syn::LitStr>(&lit.to_string()) {
                    out.push(s.value());
                }
            }
            TokenTree::Group(group) => {
                let is_json_macro = i >= 2
                    && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '!')
                    && matches!(&trees[i - 2], TokenTree::Ident(id) if id == "json");
                if is_json_macro {
                    out.push(group.stream().to_string());
                }
                rust_texts(group.stream(), out);
            }
            _ => {}
        }
    }
}

fn json_in_rust(path: &Path, out: &mut Vec<Value>) {
    let Ok(text) = std::fs::read_to_string(path) else {
        return;
    };
    let Ok(tokens) = text.parse::<TokenStream>() else {
        return;
    };
    let mut texts = Vec::new();
    rust_texts(tokens, &mut texts);
    for text in texts {
        let trimmed = text.trim();
        if !(trimmed.starts_with('{') || trimmed.starts_with('[')) {
            continue;
        }
        // Tokens print a negative number as `- 1`.
        let parsed = serde_json::from_str::<Value>(trimmed)
            .or_else(|_| serde_json::from_str::<Value>(&trimmed.replace("- ", "-")));
        if let Ok(v) = parsed {
            out.push(v);
        }
    }
}

/// (data files, documents in Rust sources)
fn repository_documents() -> (Vec<Value>, Vec<Value>) {
    let root = repo();
    let mut data_files = Vec::new();
    for dir in [
        "tests/conformance",
        "emulator/fixtures",
        "spec",
        "fuzz/corpus",
    ] {
        files_under(&root.join(dir), None, &mut data_files);
    }
    let data: Vec<Value> = data_files.iter().filter_map(|p| json_in_file(p)).collect();
    let mut sources = Vec::new();
    for dir in [
        "src",
        "tests",
        "emulator/src",
        "emulator/tests",
        "benches",
        "fuzz",
    ] {
        files_under(&root.join(dir), Some("rs"), &mut sources);
    }
    let mut embedded = Vec::new();
    for path in &sources {
        json_in_rust(path, &mut embedded);
    }
    (data, embedded)
}

#[test]
fn every_document_in_the_repository_reads_and_writes_the_same_both_ways() {
    let (data, embedded) = repository_documents();
    // A harvest that finds nothing would pass vacuously.
    assert!(data.len() >= 20, "only {} data files read", data.len());
    assert!(
        embedded.len() >= 100,
        "only {} JSON bodies found in Rust sources",
        embedded.len()
    );
    let mut tally = Tally::default();
    let mut seen = HashSet::new();
    for doc in data.iter().chain(&embedded) {
        check_everywhere(doc, &mut seen, &mut tally);
    }
    tally.assert_clean();
    for name in [
        "Token",
        "Member",
        "CustomRole",
        "Statement",
        "Vec<Statement>",
        "PatchRequest",
        "PatchOperation",
        "ErrorBody",
        "AccessTokenPost",
        "Team",
    ] {
        assert!(
            tally.accepted(name) > 0,
            "no document in the repository is a {name}"
        );
    }
}

// ---------------------------------------------------------------------------------------------------------
// Documents built here: every field of every type, absent, null and of each wrong kind

fn statement() -> Value {
    json!({"effect": "allow", "resources": ["proj/*"], "notResources": [], "actions": ["*"], "notActions": []})
}

fn links() -> Value {
    json!({"self": {"href": "/api/v2/x", "type": "application/json"}, "parent": {"href": "/api/v2"}})
}

fn token() -> Value {
    json!({
        "_id": "t1", "ownerId": "o1", "memberId": "m1",
        "_member": {"_links": links(), "_id": "m1", "firstName": "Ada", "lastName": "L", "role": "writer",
                    "email": "a@x"},
        "name": "n", "description": "d", "creationDate": 1, "lastModified": 2,
        "customRoleIds": ["r1"], "inlineRole": [statement()], "role": "reader",
        "token": "api-0b5e7c2a-secret", "serviceToken": false, "_links": links(),
        "defaultApiVersion": 20240415, "lastUsed": 3
    })
}

fn custom_role() -> Value {
    json!({
        "_id": "r1", "_links": links(), "_access": {"denied": []}, "description": "d", "key": "k",
        "name": "N", "policy": [statement()], "basePermissions": "reader", "resourceCategory": "any",
        "assignedTo": {"membersCount": 1}, "_presetBundleVersion": 2,
        "_presetStatements": [{"effect": "deny", "notResources": ["proj/a"], "notActions": ["x"]}]
    })
}

fn member() -> Value {
    json!({
        "_links": links(), "_id": "m1", "firstName": "A", "lastName": "B", "role": "no_access",
        "email": "a@x", "_pendingInvite": true, "_verified": true, "_pendingEmail": "b@x",
        "customRoles": ["r1"], "mfa": "enabled", "excludedDashboards": ["d"], "_lastSeen": -5,
        "_lastSeenMetadata": {"tokenId": "t"}, "_integrationMetadata": {"externalId": "e"},
        "teams": [{"customRoleKeys": ["k"], "key": "t", "_links": links(), "name": "T"}],
        "permissionGrants": [{"actionSet": "s", "actions": ["a"], "resource": "team/qa"}],
        "creationDate": 7, "oauthProviders": ["google"], "version": 3,
        "roleAttributes": {"projects": ["mobile", "web"]}
    })
}

fn team() -> Value {
    json!({
        "description": "d", "key": "qa", "name": "QA", "_access": {"allowed": []}, "_creationDate": 1,
        "_links": links(), "_lastModified": 2, "_version": 3, "_idpSynced": false,
        "roleAttributes": {"viewKeys": ["v"]},
        "roles": {"totalCount": 2, "items": [{"key": "k", "name": "K", "projects": {"items": []},
                  "appliedOn": 4}], "_links": links()},
        "members": {"totalCount": 5}, "projects": {"totalCount": 0}, "maintainers": {"items": []}
    })
}

/// One full document per type (each field present), the bases of the variations below.
fn bases() -> Vec<Value> {
    vec![
        token(),
        json!({"items": [token()], "_links": links(), "totalCount": 1}),
        json!({"name": "n", "description": "d", "role": "writer", "customRoleIds": ["r"],
               "inlineRole": [statement()], "serviceToken": true, "defaultApiVersion": 20160426}),
        custom_role(),
        json!({"_links": links(), "items": [custom_role()], "totalCount": 1}),
        member(),
        team(),
        json!({"accountId": "a", "environmentId": "e", "projectId": "p", "environmentName": "E",
               "projectName": "P", "authKind": "token", "tokenKind": "service", "clientId": "c",
               "tokenName": "n", "tokenId": "t", "memberId": "m", "serviceToken": true, "scopes": ["s"]}),
        json!({"code": "not_found", "message": "m", "id": "req-1"}),
        json!({"comment": "c", "patch": [{"op": "add", "path": "/a", "value": null},
                                         {"op": "move", "path": "/b", "from": "/a"}]}),
        json!([{"op": "replace", "path": "/name", "value": {"x": [1]}}, {"op": "remove", "path": "/d"}]),
    ]
}

/// What a field is replaced with: each JSON kind, and values near the edges of the integer types.
fn replacements() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(u64::MAX),
        json!(i64::MIN),
        json!("x"),
        json!("allow"),
        json!("api-11111111-secret"),
        json!([]),
        json!(["a"]),
        json!([statement()]),
        json!([{"effect": "deny", "resources": [], "notResources": ["p"], "actions": []}]),
        json!([{"op": "test", "path": "/a"}]),
        json!({}),
        links(),
        json!({"k": ["v"]}),
        json!({"totalCount": 2}),
    ]
}

/// The JSON pointers of every object in `doc`, the root first.
fn object_pointers(doc: &Value, here: String, out: &mut Vec<String>) {
    match doc {
        Value::Object(map) => {
            out.push(here.clone());
            for (k, v) in map {
                object_pointers(
                    v,
                    format!("{here}/{}", k.replace('~', "~0").replace('/', "~1")),
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                object_pointers(v, format!("{here}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `doc` with member `key` of the object at `pointer` removed (`None`) or replaced.
fn with_member(doc: &Value, pointer: &str, key: &str, replacement: Option<&Value>) -> Value {
    let mut doc = doc.clone();
    if let Some(Value::Object(map)) = doc.pointer_mut(pointer) {
        match replacement {
            None => {
                map.remove(key);
            }
            Some(v) => {
                map.insert(key.to_owned(), v.clone());
            }
        }
    }
    doc
}

#[test]
fn every_field_absent_null_or_of_another_kind_reads_and_writes_the_same_both_ways() {
    let mut tally = Tally::default();
    let mut variants = 0;
    for base in bases() {
        check_everywhere(&base, &mut HashSet::new(), &mut tally);
        let mut pointers = Vec::new();
        object_pointers(&base, String::new(), &mut pointers);
        for pointer in &pointers {
            let keys: Vec<String> = base
                .pointer(pointer)
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            for key in keys {
                check_all(&with_member(&base, pointer, &key, None), &mut tally);
                for replacement in replacements() {
                    check_all(
                        &with_member(&base, pointer, &key, Some(&replacement)),
                        &mut tally,
                    );
                    variants += 1;
                }
            }
        }
    }
    tally.assert_clean();
    assert!(variants > 2000, "only {variants} variants");
    // Each base and every value in it is read as every type, so each type is compared on accepted
    // documents too, not only on refused ones.
    for name in [
        "Token",
        "Tokens",
        "AccessTokenPost",
        "CustomRole",
        "CustomRoles",
        "Member",
        "MemberSummary",
        "MemberTeamSummary",
        "PermissionGrant",
        "Team",
        "TeamCustomRoles",
        "TeamCustomRole",
        "TeamMembers",
        "CallerIdentity",
        "ErrorBody",
        "PatchRequest",
        "PatchOperation",
        "Statement",
        "Link",
        "Links",
        "Effect",
        "Secret",
        "RoleAttributes",
    ] {
        assert!(tally.accepted(name) > 0, "no variant is a {name}");
        assert!(
            tally.refused.get(name).copied().unwrap_or(0) > 0 || name == "Secret",
            "no variant is refused as a {name}"
        );
    }
}

/// The statement rule, over every way of writing each of the four lists.
#[test]
fn statement_lists_settle_the_same_both_ways() {
    let forms = [None, Some(Value::Null), Some(json!([])), Some(json!(["x"]))];
    let mut tally = Tally::default();
    for r in &forms {
        for nr in &forms {
            for a in &forms {
                for na in &forms {
                    let mut doc = json!({"effect": "deny"});
                    for (key, form) in [
                        ("resources", r),
                        ("notResources", nr),
                        ("actions", a),
                        ("notActions", na),
                    ] {
                        if let Some(v) = form {
                            doc[key] = v.clone();
                        }
                    }
                    check::<Statement>("Statement", &doc, &mut tally);
                    check::<Token>(
                        "Token",
                        &json!({"_id": "t", "ownerId": "o", "memberId": "m",
                        "creationDate": 1, "lastModified": 2, "inlineRole": [doc]}),
                        &mut tally,
                    );
                }
            }
        }
    }
    tally.assert_clean();
    assert_eq!(tally.accepted("Statement"), 256);
    assert_eq!(tally.accepted("Token"), 256);

    let read = |doc: Value| Statement::from_json(&doc, At::Root).unwrap();
    let beside = read(
        json!({"effect": "allow", "resources": ["a"], "notResources": [], "actions": [], "notActions": ["b"]}),
    );
    assert_eq!(
        (
            beside.resources,
            beside.not_resources,
            beside.actions,
            beside.not_actions
        ),
        (
            Some(vec!["a".to_owned()]),
            None,
            None,
            Some(vec!["b".to_owned()])
        )
    );
    let both_empty = read(json!({"effect": "allow", "resources": [], "notResources": []}));
    assert_eq!(
        (both_empty.resources, both_empty.not_resources),
        (Some(vec![]), None)
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Several changes at once, anywhere in a document, including keys the object did not have.
    #[test]
    fn combined_changes_read_and_write_the_same_both_ways(
        base in prop::sample::select(bases()),
        changes in prop::collection::vec(
            (any::<prop::sample::Index>(), any::<prop::sample::Index>(), prop::option::of(prop::sample::select(replacements()))),
            1..5,
        ),
    ) {
        let vocabulary: Vec<String> = {
            let mut keys = Vec::new();
            for b in bases() {
                let mut pointers = Vec::new();
                object_pointers(&b, String::new(), &mut pointers);
                for p in pointers {
                    keys.extend(b.pointer(&p).unwrap().as_object().unwrap().keys().cloned());
                }
            }
            keys.push("unknownMember".to_owned());
            keys.sort();
            keys.dedup();
            keys
        };
        let mut doc = base;
        for (where_, key, replacement) in changes {
            let mut pointers = Vec::new();
            object_pointers(&doc, String::new(), &mut pointers);
            if pointers.is_empty() {
                break;
            }
            let pointer = pointers[where_.index(pointers.len())].clone();
            doc = with_member(&doc, &pointer, key.get::<String>(&vocabulary), replacement.as_ref());
        }
        let mut tally = Tally::default();
        check_all(&doc, &mut tally);
        prop_assert!(tally.failures.is_empty(), "{}", tally.failures.join("\n"));
    }
}

// ---------------------------------------------------------------------------------------------------------
// What our errors say

fn error<T: FromJson + Debug>(doc: Value) -> String {
    T::from_json(&doc, At::Root).unwrap_err().to_string()
}

/// Both refuse, and ours says where: the messages a JavaScript caller sees.
#[test]
fn refusals_name_the_json_pointer() {
    let refused_by_serde = |doc: &Value| serde_json::from_value::<Token>(doc.clone()).is_err();
    let mut doc = token();
    doc["inlineRole"][0]["resources"] = json!("proj/*");
    assert!(refused_by_serde(&doc));
    assert_eq!(
        error::<Token>(doc),
        "expected an array, found a string at /inlineRole/0/resources"
    );

    let mut doc = token();
    doc["inlineRole"]
        .as_array_mut()
        .unwrap()
        .push(json!({"actions": ["*"]}));
    assert!(refused_by_serde(&doc));
    assert_eq!(
        error::<Token>(doc),
        "missing field `effect` at /inlineRole/1"
    );

    let mut doc = token();
    doc["_links"] = Value::Null;
    assert!(refused_by_serde(&doc));
    assert_eq!(
        error::<Token>(doc),
        "expected an object, found null at /_links"
    );

    let mut doc = token();
    doc["_member"]["_links"]["self"] = json!("/api/v2/members/m1");
    assert!(refused_by_serde(&doc));
    assert_eq!(
        error::<Token>(doc),
        "expected an object, found a string at /_member/_links/self"
    );

    let mut role = custom_role();
    role["policy"][0]["effect"] = json!("maybe");
    assert!(serde_json::from_value::<CustomRole>(role.clone()).is_err());
    assert_eq!(
        error::<CustomRole>(role),
        "unknown variant `maybe`, expected one of `allow`, `deny` at /policy/0/effect"
    );

    assert_eq!(
        error::<PatchRequest>(json!(7)),
        "expected a JSON Patch array or an object with `patch`, found a number"
    );
    assert_eq!(
        error::<PatchRequest>(json!({"nope": 1})),
        "missing field `patch`"
    );
    assert_eq!(
        error::<PatchRequest>(json!([{"path": "/a"}])),
        "missing field `op` at /0"
    );
    assert_eq!(
        error::<Member>(json!({"_id": "m", "role": "reader", "email": "e", "customRoles": null})),
        "expected an array, found null at /customRoles"
    );
}

/// Serde's message for a secret of the wrong kind quotes the value; ours names only its kind.
#[test]
fn a_secret_never_reaches_an_error_message() {
    let mut doc = token();
    doc["token"] = json!(48151623);
    let theirs = serde_json::from_value::<Token>(doc.clone())
        .unwrap_err()
        .to_string();
    assert!(theirs.contains("48151623"), "{theirs}");
    assert_eq!(
        error::<Token>(doc),
        "expected a string, found a number at /token"
    );

    let mut doc = token();
    doc["token"] = json!(["api-7c1d-whole-secret"]);
    let ours: JsonError = Token::from_json(&doc, At::Root).unwrap_err();
    assert!(!ours.to_string().contains("api-7c1d"), "{ours}");
    assert_eq!(ours.pointer, "/token");
}

// ---------------------------------------------------------------------------------------------------------
// Encodings the wire depends on

#[test]
fn a_null_patch_value_is_kept_and_written() {
    let ops: PatchRequest = PatchRequest::from_json(
        &json!([{"op": "add", "path": "/a", "value": null},
                                                            {"op": "remove", "path": "/b"}]),
        At::Root,
    )
    .unwrap();
    let ops = ops.operations();
    assert_eq!(
        (ops[0].value.clone(), ops[1].value.clone()),
        (Some(Value::Null), None)
    );
    assert_eq!(
        ops.to_vec().to_json(),
        json!([{"op": "add", "path": "/a", "value": null}, {"op": "remove", "path": "/b"}])
    );
}

#[test]
fn role_lists_read_empty_as_absent_and_are_written_as_each_type_promises() {
    let mut doc = token();
    doc["customRoleIds"] = json!([]);
    doc["inlineRole"] = Value::Null;
    let t = Token::from_json(&doc, At::Root).unwrap();
    assert_eq!((&t.custom_role_ids, &t.inline_role), (&None, &None));
    // A token's lists are always on the wire; a create's are left out when there is nothing to ask for.
    assert_eq!(
        (&t.to_json()["customRoleIds"], &t.to_json()["inlineRole"]),
        (&json!([]), &json!([]))
    );
    let post = AccessTokenPost {
        custom_role_ids: Some(vec![]),
        role: Some("reader".into()),
        ..Default::default()
    };
    assert_eq!(post.to_json(), json!({"role": "reader"}));
    assert_eq!(post.to_json(), serde_json::to_value(&post).unwrap());
    assert_eq!(
        Token::from_json(&doc, At::Root).unwrap().token,
        Some(Secret::new("api-0b5e7c2a-secret"))
    );
    assert_eq!(Effect::Deny.to_json(), json!("deny"));
    assert_eq!(
        Link::json("/x").to_json(),
        json!({"href": "/x", "type": "application/json"})
    );
}

/// The one serde behaviour not reproduced (see [`SEQ_FORM`]): pinned, so that a change on either side is
/// seen.
#[test]
fn the_array_form_of_a_struct_is_serde_only() {
    let doc = json!(["invalid_request", "bad body"]);
    assert_eq!(
        serde_json::from_value::<ErrorBody>(doc.clone()).unwrap(),
        ErrorBody::new("invalid_request", "bad body")
    );
    assert_eq!(error::<ErrorBody>(doc), SEQ_FORM);
}
