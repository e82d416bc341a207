//! The request/retry/decode cycle against a scripted transport.

use super::*;
use crate::model::{AccessTokenPost, PatchOperation, PatchRequest, Secret};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

const SECRET: &str = "api-3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b";

/// Runs a future whose every await is immediately ready (the fake transport never pends).
fn block_on<F: Future>(future: F) -> F::Output {
    fn noop_raw() -> RawWaker {
        fn clone(_: *const ()) -> RawWaker {
            noop_raw()
        }
        fn noop(_: *const ()) {}
        static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, noop, noop, noop);
        RawWaker::new(std::ptr::null(), &VTABLE)
    }
    // SAFETY: the vtable's functions do nothing and never touch the data pointer.
    let waker = unsafe { Waker::from_raw(noop_raw()) };
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(v) => v,
        Poll::Pending => panic!("the fake transport never pends"),
    }
}

#[derive(Default)]
struct Fake {
    replies: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
    sent: RefCell<Vec<HttpRequest>>,
    slept: RefCell<Vec<u64>>,
    abort_sleep: bool,
}

impl Fake {
    fn new(replies: Vec<Result<HttpResponse, TransportError>>) -> Self {
        Fake {
            replies: RefCell::new(replies.into()),
            ..Fake::default()
        }
    }
    fn urls(&self) -> Vec<String> {
        self.sent
            .borrow()
            .iter()
            .map(|r| format!("{} {}", r.method.as_str(), r.url))
            .collect()
    }
}

impl JsonParser for Fake {}

impl Transport for Fake {
    async fn send(&self, request: &HttpRequest) -> Result<HttpResponse, TransportError> {
        self.sent.borrow_mut().push(request.clone());
        self.replies
            .borrow_mut()
            .pop_front()
            .expect("a scripted reply for every request")
    }
    async fn sleep(&self, ms: u64) -> Result<(), TransportError> {
        self.slept.borrow_mut().push(ms);
        if self.abort_sleep {
            Err(TransportError::Aborted)
        } else {
            Ok(())
        }
    }
    fn now_ms(&self) -> f64 {
        1_000_000.0
    }
    fn random(&self) -> f64 {
        0.0
    }
}

fn ok(status: u16, body: serde_json::Value) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status,
        body: body.to_string(),
        ..HttpResponse::default()
    })
}

fn limited(reset_in_ms: u64) -> Result<HttpResponse, TransportError> {
    Ok(HttpResponse {
        status: 429,
        body: r#"{"code":"rate_limited","message":"slow down"}"#.into(),
        rate_limit_reset: Some((1_000_000 + reset_in_ms).to_string()),
        ..HttpResponse::default()
    })
}

fn client(max_retries: u32) -> Client {
    Client::new(
        ClientConfig::new(
            Secret::new(SECRET),
            Some("http://127.0.0.1:9"),
            None,
            Some(max_retries),
            None,
        )
        .unwrap(),
    )
}

fn token_json(id: &str, member: &str) -> serde_json::Value {
    serde_json::json!({
        "_id": id, "ownerId": "acct", "memberId": member, "creationDate": 1, "lastModified": 2,
        "customRoleIds": ["r1"], "token": "4a5b", "_links": {}
    })
}

#[test]
fn requests_carry_auth_version_and_body() {
    let fake = Fake::new(vec![ok(201, token_json("t1", "m1"))]);
    let body = AccessTokenPost {
        name: Some("ci".into()),
        ..AccessTokenPost::default()
    };
    let token = block_on(client(3).create(&fake, &body)).unwrap();
    assert_eq!(token.id, "t1");
    let sent = fake.sent.borrow();
    assert_eq!(sent[0].authorization.expose(), SECRET);
    assert_eq!(sent[0].api_version, "20240415");
    assert_eq!(sent[0].body.as_deref(), Some(r#"{"name":"ci"}"#));
    assert!(!format!("{:?}", sent[0]).contains(SECRET));
}

#[test]
fn every_operation_hits_its_endpoint() {
    let fake = Fake::new(vec![
        ok(200, serde_json::json!({"items": [], "totalCount": 0})),
        ok(200, token_json("t1", "m1")),
        ok(200, token_json("t1", "m1")),
        Ok(HttpResponse {
            status: 204,
            ..HttpResponse::default()
        }),
        ok(200, token_json("t1", "m1")),
        ok(200, serde_json::json!({"tokenId": "t1"})),
        ok(200, serde_json::json!({"items": []})),
        ok(
            200,
            serde_json::json!({"_id": "r1", "key": "k", "name": "K", "policy": []}),
        ),
        ok(
            200,
            serde_json::json!({"_id": "m1", "role": "admin", "email": "a@b"}),
        ),
    ]);
    let c = client(0);
    block_on(async {
        c.list(
            &fake,
            &ListParams {
                limit: Some(1),
                ..ListParams::default()
            },
        )
        .await
        .unwrap();
        c.get(&fake, "t1").await.unwrap();
        let patch = PatchRequest::Operations(vec![PatchOperation {
            op: "replace".into(),
            path: "/name".into(),
            value: Some("n".into()),
            from: None,
        }]);
        c.update(&fake, "t1", &patch).await.unwrap();
        c.delete(&fake, "t1").await.unwrap();
        c.reset(&fake, "t1", Some(5)).await.unwrap();
        c.caller_identity(&fake).await.unwrap();
        c.list_roles(&fake, &RoleListParams::default())
            .await
            .unwrap();
        c.get_role(&fake, "k").await.unwrap();
        c.get_member(&fake, "m1").await.unwrap();
    });
    assert_eq!(
        fake.urls(),
        [
            "GET http://127.0.0.1:9/api/v2/tokens?limit=1",
            "GET http://127.0.0.1:9/api/v2/tokens/t1",
            "PATCH http://127.0.0.1:9/api/v2/tokens/t1",
            "DELETE http://127.0.0.1:9/api/v2/tokens/t1",
            "POST http://127.0.0.1:9/api/v2/tokens/t1/reset?expiry=5",
            "GET http://127.0.0.1:9/api/v2/caller-identity",
            "GET http://127.0.0.1:9/api/v2/roles",
            "GET http://127.0.0.1:9/api/v2/roles/k",
            "GET http://127.0.0.1:9/api/v2/members/m1",
        ]
    );
}

#[test]
fn rate_limits_are_waited_out_then_retried() {
    let fake = Fake::new(vec![
        limited(1500),
        limited(0),
        ok(200, token_json("t1", "m")),
    ]);
    let token = block_on(client(3).get(&fake, "t1")).unwrap();
    assert_eq!(token.id, "t1");
    assert_eq!(*fake.slept.borrow(), [1500, 0]);
    assert_eq!(fake.sent.borrow().len(), 3);
}

#[test]
fn a_create_is_retried_after_429_but_not_after_5xx_or_network_errors() {
    let body = AccessTokenPost::default();
    let fake = Fake::new(vec![limited(10), ok(201, token_json("t9", "m"))]);
    assert_eq!(block_on(client(3).create(&fake, &body)).unwrap().id, "t9");

    let fake = Fake::new(vec![ok(
        503,
        serde_json::json!({"code": "unavailable", "message": "x"}),
    )]);
    let e = block_on(client(3).create(&fake, &body)).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (503, "unavailable"));
    assert_eq!(fake.sent.borrow().len(), 1);

    let fake = Fake::new(vec![Err(TransportError::Network(format!(
        "refused {SECRET}"
    )))]);
    let e = block_on(client(3).reset(&fake, "t1", None)).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (0, "network_error"));
    assert!(!e.message.contains(SECRET), "{}", e.message);
    assert!(fake.slept.borrow().is_empty());
}

#[test]
fn idempotent_calls_retry_network_errors_and_5xx() {
    let fake = Fake::new(vec![
        Err(TransportError::Network("reset".into())),
        ok(
            502,
            serde_json::json!({"code": "bad_gateway", "message": "x"}),
        ),
        Ok(HttpResponse {
            status: 204,
            ..HttpResponse::default()
        }),
    ]);
    block_on(client(3).delete(&fake, "t1")).unwrap();
    assert_eq!(*fake.slept.borrow(), [125, 250]);
}

#[test]
fn exhausted_retries_report_the_last_429_with_its_wait() {
    let fake = Fake::new(vec![limited(100), limited(200), limited(300)]);
    let e = block_on(client(2).list(&fake, &ListParams::default())).unwrap_err();
    assert_eq!((e.status, e.code.as_str()), (429, "rate_limited"));
    assert_eq!(e.retry_after_ms, Some(300));
    assert_eq!(fake.sent.borrow().len(), 3);
}

#[test]
fn an_abort_during_a_wait_ends_the_call() {
    let mut fake = Fake::new(vec![limited(1000)]);
    fake.abort_sleep = true;
    let e = block_on(client(3).get(&fake, "t1")).unwrap_err();
    assert_eq!(e.code, "aborted");
    let fake = Fake::new(vec![Err(TransportError::Aborted)]);
    assert_eq!(
        block_on(client(3).get(&fake, "t1")).unwrap_err().code,
        "aborted"
    );
    assert!(fake.slept.borrow().is_empty());
}

#[test]
fn every_error_status_keeps_its_code() {
    for (status, code) in [
        (400, "invalid_request"),
        (401, "unauthorized"),
        (403, "forbidden"),
        (404, "not_found"),
        (409, "optimistic_locking_error"),
        (422, "patch_failed"),
    ] {
        let fake = Fake::new(vec![ok(
            status,
            serde_json::json!({"code": code, "message": "m", "id": "rq"}),
        )]);
        let e = block_on(client(3).get(&fake, "t1")).unwrap_err();
        assert_eq!(
            (e.status, e.code.as_str(), e.request_id.as_deref()),
            (status, code, Some("rq"))
        );
        assert_eq!(fake.sent.borrow().len(), 1, "{status} is not retried");
    }
}

#[test]
fn principal_parts_gather_token_member_and_roles() {
    let fake = Fake::new(vec![
        ok(200, serde_json::json!({"tokenId": "t1", "memberId": "m1"})),
        ok(200, token_json("t1", "m1")),
        ok(
            200,
            serde_json::json!({"_id": "m1", "role": "writer", "email": "a@b", "customRoles": ["r2"]}),
        ),
        ok(
            200,
            serde_json::json!({"items": [
            {"_id": "r1", "key": "one", "name": "One", "policy": []},
            {"_id": "r3", "key": "three", "name": "Three", "policy": []}
        ], "totalCount": 3}),
        ),
        ok(200, serde_json::json!({"items": [], "totalCount": 3})),
        ok(
            404,
            serde_json::json!({"code": "not_found", "message": "gone"}),
        ),
    ]);
    let parts = block_on(client(0).principal_parts(&fake)).unwrap();
    assert_eq!(parts.token.id, "t1");
    assert_eq!(parts.member.unwrap().id, "m1");
    let ids: Vec<_> = parts.roles.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        ["r1", "r3"],
        "every listed role is kept; r2 is missing"
    );
    assert_eq!(
        fake.urls()[3..],
        [
            "GET http://127.0.0.1:9/api/v2/roles",
            "GET http://127.0.0.1:9/api/v2/roles?offset=2",
            "GET http://127.0.0.1:9/api/v2/roles/r2",
        ]
    );
}

#[test]
fn principal_parts_fetch_the_creators_teams_and_the_roles_they_grant() {
    let fake = Fake::new(vec![
        ok(200, serde_json::json!({"tokenId": "t1", "memberId": "m1"})),
        ok(200, token_json("t1", "m1")),
        ok(
            200,
            serde_json::json!({"_id": "m1", "role": "no_access", "email": "a@b", "customRoles": [],
            "teams": [
                {"key": "ops", "name": "Ops", "customRoleKeys": ["deployer"]},
                {"key": "hidden", "name": "Hidden", "customRoleKeys": []}
            ]}),
        ),
        ok(
            200,
            serde_json::json!({"key": "ops", "roles": {"totalCount": 2, "items": [{"key": "deployer"}, {"key": "pager"}]},
                "roleAttributes": {"projects": ["web"]}}),
        ),
        ok(
            403,
            serde_json::json!({"code": "forbidden", "message": "no"}),
        ),
        ok(
            200,
            serde_json::json!({"items": [{"_id": "r1", "key": "deployer", "name": "D", "policy": []}], "totalCount": 1}),
        ),
        ok(
            200,
            serde_json::json!({"_id": "r2", "key": "pager", "name": "P", "policy": []}),
        ),
    ]);
    let parts = block_on(client(0).principal_parts(&fake)).unwrap();
    let teams: Vec<_> = parts.teams.iter().map(|t| t.key.as_str()).collect();
    assert_eq!(teams, ["ops"], "a team the caller may not read is left out");
    let keys: Vec<_> = parts.roles.iter().map(|r| r.key.as_str()).collect();
    assert_eq!(keys, ["deployer", "pager"]);
    assert_eq!(
        fake.urls()[2..],
        [
            "GET http://127.0.0.1:9/api/v2/members/m1?expand=roleAttributes",
            "GET http://127.0.0.1:9/api/v2/teams/ops?expand=roles,roleAttributes",
            "GET http://127.0.0.1:9/api/v2/teams/hidden?expand=roles,roleAttributes",
            "GET http://127.0.0.1:9/api/v2/roles",
            "GET http://127.0.0.1:9/api/v2/roles/pager",
        ]
    );
}

#[test]
fn principal_parts_reject_when_the_identity_names_no_token() {
    let fake = Fake::new(vec![ok(200, serde_json::json!({"accountId": "a"}))]);
    let e = block_on(client(0).principal_parts(&fake)).unwrap_err();
    assert_eq!(e.code, "unexpected_response");
    let fake = Fake::new(vec![ok(
        401,
        serde_json::json!({"code": "unauthorized", "message": "no"}),
    )]);
    assert_eq!(
        block_on(client(0).principal_parts(&fake))
            .unwrap_err()
            .status,
        401
    );
}
