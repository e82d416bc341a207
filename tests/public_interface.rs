//! The crate as a user sees it: every name here comes from the crate root, and nothing is built with the
//! other suites' helpers, so that this file shows (and keeps compiling against) the public surface alone.

use serde_json::json;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use tokengate::{
    apply_json_patch, evaluate, validate_policy, ApiError, Client, ClientConfig, CompiledPolicy,
    CustomRole, DecisionEffect, HttpRequest, HttpResponse, JsonParser, ListParams, Member,
    PatchError, PatchOperation, PolicyError, PolicySet, PolicySource, Principal, Resource,
    RoleAttributes, RuleError, Secret, Severity, Statement, Token, Transport, TransportError,
    Verdict,
};

/// A placeholder in the shape of an access token; it never reaches a server.
const PLACEHOLDER: &str = "api-00000000-0000-4000-8000-000000000000";

fn statements(value: serde_json::Value) -> Vec<Statement> {
    serde_json::from_value(value).expect("statements decode")
}

#[test]
fn a_policy_is_evaluated_validated_and_compiled() {
    let policy = statements(json!([
        { "effect": "allow", "actions": ["*"], "resources": ["proj/*"] },
        { "effect": "allow", "actions": ["updateOn"], "resources": ["proj/*:env/*:flag/*"] },
        { "effect": "deny", "actions": ["updateOn"], "resources": ["proj/*:env/production:flag/*"] },
    ]));
    let attrs = RoleAttributes::new();
    let staging = evaluate(&policy, "updateOn", "proj/web:env/staging:flag/f", &attrs).unwrap();
    assert!(staging.allowed && staging.effect == DecisionEffect::Allow);
    let production = evaluate(
        &policy,
        "updateOn",
        "proj/web:env/production:flag/f",
        &attrs,
    )
    .unwrap();
    assert!(!production.allowed && production.effect == DecisionEffect::Deny);
    assert!(!production.reason.is_empty(), "a decision explains itself");

    let compiled = CompiledPolicy::compile(PolicySource::statements(), &policy, &attrs).unwrap();
    let set = PolicySet::new(vec![compiled]);
    let resource = Resource::parse("proj/web:env/staging:flag/f").unwrap();
    assert!(set.is_allowed("updateOn", &resource));

    let problems = validate_policy(&json!([{ "effect": "allow", "actions": ["updateOn"] }]));
    assert!(problems
        .iter()
        .any(|d| d.severity == Severity::Error && d.path == "/0"));
    let bad = evaluate(&policy, "updateOn", "proj/", &attrs).unwrap_err();
    assert!(matches!(bad, PolicyError::InvalidResource { .. }));
    assert_eq!(bad.code(), "invalid_resource");
}

fn member(role: &str) -> Member {
    serde_json::from_value(json!({
        "_id": "m1", "email": "m1@example.com", "role": role, "customRoles": [],
    }))
    .unwrap()
}

fn token(id: &str, role: &str) -> Token {
    serde_json::from_value(json!({
        "_id": id, "ownerId": "m1", "memberId": "m1", "creationDate": 1, "lastModified": 1,
        "name": "a token", "role": role, "_links": {},
    }))
    .unwrap()
}

#[test]
fn a_principal_decides_and_gives_verdicts() {
    let caller = token("caller", "writer");
    let roles: Vec<CustomRole> = Vec::new();
    let principal = Principal::new(&caller, Some(&member("writer")), &roles);
    let decision = principal
        .can("updateOn", "proj/web:env/staging:flag/f")
        .unwrap();
    assert!(decision.allowed);
    let resource = Resource::parse("proj/web:env/staging:flag/f").unwrap();
    assert_eq!(principal.verdict("updateOn", &resource), Verdict::Allowed);
    assert_eq!(
        principal.verdict(
            "updateAccessTokenName",
            &Resource::parse("member/m1:token/t").unwrap()
        ),
        Verdict::DefaultDenied,
        "a writer token may not manage tokens"
    );
}

#[test]
fn a_patch_is_predicted_and_answered_alike() {
    let caller = token("caller", "admin");
    let target = token("target", "reader");
    let principal = Principal::new(&caller, Some(&member("admin")), &[]);
    let rename: Vec<PatchOperation> =
        serde_json::from_value(json!([{ "op": "replace", "path": "/name", "value": "renamed" }]))
            .unwrap();
    let predicted = principal.check_patch_request(&target, &rename, &[]);
    assert!(predicted.allowed, "{}", predicted.reason);
    let (_, renamed) = principal.authorize_patch(&target, &rename, &[]).unwrap();
    assert_eq!(renamed.name.as_deref(), Some("renamed"));

    let remove_absent: Vec<PatchOperation> =
        serde_json::from_value(json!([{ "op": "remove", "path": "/description" }])).unwrap();
    assert!(
        !principal
            .check_patch_request(&target, &remove_absent, &[])
            .allowed
    );
    let refused = principal
        .authorize_patch(&target, &remove_absent, &[])
        .unwrap_err();
    assert!(matches!(refused, RuleError::PatchFailed { .. }));
    assert_eq!(refused.code(), "patch_failed");
}

#[test]
fn json_patch_errors_name_their_kind_and_operation() {
    let mut doc = json!({ "a": 1 });
    let ops: Vec<PatchOperation> = serde_json::from_value(json!([
        { "op": "replace", "path": "/a", "value": 2 },
        { "op": "remove", "path": "/missing" },
    ]))
    .unwrap();
    let err = apply_json_patch(&mut doc, &ops).unwrap_err();
    assert!(matches!(
        err,
        PatchError::Failed {
            operation: Some(1),
            ..
        }
    ));
    assert_eq!(doc, json!({ "a": 1 }), "all or nothing");
    let malformed: Vec<PatchOperation> =
        serde_json::from_value(json!([{ "op": "frobnicate", "path": "/a" }])).unwrap();
    let err = apply_json_patch(&mut doc, &malformed).unwrap_err();
    assert_eq!(err.code(), "invalid_request");
}

/// A transport the user writes: replies scripted in order, no real waiting.
struct Scripted {
    replies: RefCell<VecDeque<HttpResponse>>,
    sent: RefCell<Vec<String>>,
    slept: RefCell<Vec<u64>>,
}

impl JsonParser for Scripted {}

impl Transport for Scripted {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(request.url.clone());
        self.replies
            .borrow_mut()
            .pop_front()
            .ok_or_else(|| TransportError::Network("no more replies".into()))
    }
    async fn sleep(&self, ms: u64) -> Result<(), TransportError> {
        self.slept.borrow_mut().push(ms);
        Ok(())
    }
    fn now_ms(&self) -> f64 {
        1_000_000.0
    }
    fn random(&self) -> f64 {
        0.0
    }
}

/// A waker with nothing to wake: the scripted transport is ready at every await.
struct Nothing;

impl Wake for Nothing {
    fn wake(self: Arc<Self>) {}
}

/// Polls a future whose every await is ready at once (the scripted transport never pends).
fn ready<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(Nothing));
    let mut cx = Context::from_waker(&waker);
    match pin!(future).as_mut().poll(&mut cx) {
        Poll::Ready(value) => value,
        Poll::Pending => panic!("the scripted transport never pends"),
    }
}

#[test]
fn the_client_runs_over_a_user_supplied_transport_and_retries_a_429() {
    let page = json!({ "items": [], "totalCount": 0, "_links": {} });
    let transport = Scripted {
        replies: RefCell::new(VecDeque::from([
            HttpResponse {
                status: 429,
                body: r#"{"code":"rate_limited","message":"slow down"}"#.into(),
                rate_limit_reset: Some("1000250".into()),
                ..HttpResponse::default()
            },
            HttpResponse {
                status: 200,
                body: page.to_string(),
                ..HttpResponse::default()
            },
        ])),
        sent: RefCell::default(),
        slept: RefCell::default(),
    };
    let config = ClientConfig::new(
        Secret::new(PLACEHOLDER),
        Some("http://127.0.0.1:9"),
        None,
        None,
        None,
    )
    .unwrap();
    let client = Client::new(config);
    let tokens = ready(client.list(&transport, &ListParams::default())).unwrap();
    assert_eq!(tokens.total_count, Some(0));
    assert_eq!(transport.sent.borrow().len(), 2, "one retry after the 429");
    assert_eq!(
        *transport.slept.borrow(),
        [250],
        "waited for the window's reset"
    );

    let failing = Scripted {
        replies: RefCell::default(),
        sent: RefCell::default(),
        slept: RefCell::default(),
    };
    let err: ApiError = ready(client.get(&failing, "t1")).unwrap_err();
    assert!(!err.message.contains(PLACEHOLDER), "no secret in errors");
}
