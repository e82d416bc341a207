//! RFC 6902 over arbitrary documents and patches (input: the JSON `[document, patch]`). Checks: no panic;
//! all or nothing (a failed patch leaves the document as it was); 400 exactly when the patch is malformed in
//! itself, 422 otherwise; applying operations one at a time reaches the same document as the whole patch; and
//! each operation's effect, read back through serde_json's own pointer lookup, is what the RFC says.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tokengate::PatchOperation;
use tokengate::{apply_json_patch, PatchError};

fuzz_target!(|data: &[u8]| {
    let Ok(Value::Array(mut pair)) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    if pair.len() != 2 {
        return;
    }
    let patch = pair.pop().unwrap_or_default();
    let original = pair.pop().unwrap_or_default();
    let Ok(ops) = serde_json::from_value::<Vec<PatchOperation>>(patch) else {
        return;
    };

    let mut whole = original.clone();
    let result = apply_json_patch(&mut whole, &ops);
    // Whether the operations are malformed does not depend on the document: the same list applied to
    // `null` is refused as an invalid request exactly when it is malformed.
    let malformed = matches!(
        apply_json_patch(&mut Value::Null, &ops),
        Err(PatchError::InvalidRequest { .. })
    );
    match &result {
        Err(err) => {
            assert_eq!(whole, original, "a failed patch changed the document");
            assert_eq!(
                matches!(err, PatchError::InvalidRequest { .. }),
                malformed,
                "{err:?}"
            );
            assert!(!err.message().is_empty());
        }
        Ok(()) => assert!(!malformed),
    }
    if malformed {
        return;
    }

    // One operation at a time: same end state, and each step does what the RFC says.
    let mut stepwise = original.clone();
    let mut failed = false;
    for op in &ops {
        let before = stepwise.clone();
        if apply_json_patch(&mut stepwise, std::slice::from_ref(op)).is_err() {
            assert_eq!(stepwise, before, "a failed operation changed the document");
            failed = true;
            break;
        }
        check_effect(op, &before, &stepwise);
    }
    assert_eq!(failed, result.is_err());
    if !failed {
        assert_eq!(stepwise, whole);
    }
});

fn check_effect(op: &PatchOperation, before: &Value, after: &Value) {
    let appends = op.path.ends_with("/-");
    match op.op.as_str() {
        "test" => assert_eq!(before, after, "test changed the document"),
        "add" | "replace" if !appends => {
            assert_eq!(after.pointer(&op.path), op.value.as_ref(), "{op:?}");
        }
        "copy" if !appends => {
            let from = op.from.as_deref().unwrap_or_default();
            assert_eq!(after.pointer(&op.path), before.pointer(from), "{op:?}");
        }
        "move" if !appends => {
            let from = op.from.as_deref().unwrap_or_default();
            assert_eq!(after.pointer(&op.path), before.pointer(from), "{op:?}");
        }
        "remove" => {
            // An object member is gone; an array element is replaced by its successor (or gone).
            let parent_path = &op.path[..op.path.rfind('/').unwrap_or(0)];
            if let Some(Value::Object(_)) = before.pointer(parent_path) {
                assert!(after.pointer(&op.path).is_none(), "{op:?}");
            }
        }
        _ => {}
    }
}
