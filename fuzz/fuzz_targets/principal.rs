//! The token rules over arbitrary callers, creators, custom roles and targets (input: one JSON object with
//! `caller`, `member`, `roles`, `target`, `tokens`, `ops`, `create`, `action`, `resource`; missing parts get
//! defaults). Checks: no panic, and the answers agree with one another: nothing allowed is also
//! indeterminate, nothing is done to a token the caller cannot see, every "permitted" action passes its own
//! check, a patch is allowed only when each action it needs is, and `visible` only filters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tokengate::{AccessTokenPost, CustomRole, Member, PatchOperation, Token};
use tokengate::Principal;

fn part<T: serde::de::DeserializeOwned>(input: &Value, key: &str) -> Option<T> {
    input
        .get(key)
        .and_then(|v| serde_json::from_value(v.clone()).ok())
}

fuzz_target!(|data: &[u8]| {
    let Ok(input) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let Some(caller) = part::<Token>(&input, "caller") else {
        return;
    };
    let member = part::<Member>(&input, "member");
    let roles = part::<Vec<CustomRole>>(&input, "roles").unwrap_or_default();
    let principal = Principal::new(&caller, member.as_ref(), &roles);
    let _ = principal.is_admin();

    let action = part::<String>(&input, "action").unwrap_or_else(|| "deleteAccessToken".into());
    let resource = part::<String>(&input, "resource").unwrap_or_else(|| "member/m:token/t".into());
    if let Ok(decision) = principal.can(&action, &resource) {
        assert!(
            !(decision.allowed && decision.indeterminate),
            "{decision:?}"
        );
    }

    let target = part::<Token>(&input, "target").unwrap_or_else(|| caller.clone());
    let visible = principal.can_see(&target);
    assert_eq!(principal.see(&target).allowed, visible);
    for action in [
        "deleteAccessToken",
        "resetAccessToken",
        "updateAccessTokenName",
        action.as_str(),
    ] {
        let decision = principal.check_action(&target, action);
        assert!(!(decision.allowed && decision.indeterminate));
        if decision.allowed {
            assert!(visible, "{action} allowed on a token the caller cannot see");
        }
    }
    for action in principal.permitted_actions(&target) {
        assert!(visible);
        let decision = principal.check_action(&target, action);
        assert!(
            decision.allowed,
            "{action} is listed as permitted but its check says {decision:?}"
        );
    }

    let ops = part::<Vec<PatchOperation>>(&input, "ops").unwrap_or_default();
    let patch = principal.check_patch(&target, &ops);
    if patch.allowed {
        assert!(visible && !patch.indeterminate);
        assert!(patch.checks.iter().all(|c| c.allowed), "{patch:?}");
    }

    let create = part::<AccessTokenPost>(&input, "create").unwrap_or_default();
    let created = principal.check_create(&create);
    assert!(!(created.allowed && created.indeterminate));

    let tokens = part::<Vec<Token>>(&input, "tokens").unwrap_or_default();
    for show_all in [false, true] {
        let shown = principal.visible(&tokens, show_all);
        assert!(shown.len() <= tokens.len());
        // Order kept, nothing invented.
        let mut rest = tokens.iter();
        for token in shown {
            assert!(
                rest.any(|t| std::ptr::eq(t, token)),
                "visible invented or reordered a token"
            );
        }
    }
});
