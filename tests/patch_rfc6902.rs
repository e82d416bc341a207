//! RFC 6902 Appendix A, example by example, plus the error classes and atomicity the API relies on.

use serde_json::{json, Value};
use tokengate::PatchOperation;
use tokengate::{apply_json_patch, json_equal, PatchError};

fn ops(value: Value) -> Vec<PatchOperation> {
    serde_json::from_value(value).expect("test patch decodes")
}

fn patched(doc: Value, patch: Value) -> Result<Value, PatchError> {
    let mut doc = doc;
    apply_json_patch(&mut doc, &ops(patch)).map(|()| doc)
}

fn failure(doc: Value, patch: Value) -> PatchError {
    let before = doc.clone();
    let mut after = doc;
    let err = apply_json_patch(&mut after, &ops(patch)).expect_err("patch must fail");
    assert_eq!(
        after, before,
        "a failed patch leaves the document untouched"
    );
    err
}

#[test]
fn a01_adding_an_object_member() {
    let out = patched(
        json!({"foo": "bar"}),
        json!([{ "op": "add", "path": "/baz", "value": "qux" }]),
    );
    assert_eq!(out.unwrap(), json!({"baz": "qux", "foo": "bar"}));
}

#[test]
fn a02_adding_an_array_element() {
    let out = patched(
        json!({"foo": ["bar", "baz"]}),
        json!([{ "op": "add", "path": "/foo/1", "value": "qux" }]),
    );
    assert_eq!(out.unwrap(), json!({"foo": ["bar", "qux", "baz"]}));
}

#[test]
fn a03_removing_an_object_member() {
    let out = patched(
        json!({"baz": "qux", "foo": "bar"}),
        json!([{ "op": "remove", "path": "/baz" }]),
    );
    assert_eq!(out.unwrap(), json!({"foo": "bar"}));
}

#[test]
fn a04_removing_an_array_element() {
    let out = patched(
        json!({"foo": ["bar", "qux", "baz"]}),
        json!([{ "op": "remove", "path": "/foo/1" }]),
    );
    assert_eq!(out.unwrap(), json!({"foo": ["bar", "baz"]}));
}

#[test]
fn a05_replacing_a_value() {
    let out = patched(
        json!({"baz": "qux", "foo": "bar"}),
        json!([{ "op": "replace", "path": "/baz", "value": "boo" }]),
    );
    assert_eq!(out.unwrap(), json!({"baz": "boo", "foo": "bar"}));
}

#[test]
fn a06_moving_a_value() {
    let out = patched(
        json!({"foo": {"bar": "baz", "waldo": "fred"}, "qux": {"corge": "grault"}}),
        json!([{ "op": "move", "from": "/foo/waldo", "path": "/qux/thud" }]),
    );
    assert_eq!(
        out.unwrap(),
        json!({"foo": {"bar": "baz"}, "qux": {"corge": "grault", "thud": "fred"}})
    );
}

#[test]
fn a07_moving_an_array_element() {
    let out = patched(
        json!({"foo": ["all", "grass", "cows", "eat"]}),
        json!([{ "op": "move", "from": "/foo/1", "path": "/foo/3" }]),
    );
    assert_eq!(
        out.unwrap(),
        json!({"foo": ["all", "cows", "eat", "grass"]})
    );
}

#[test]
fn a08_testing_a_value_success() {
    let doc = json!({"baz": "qux", "foo": ["a", 2, "c"]});
    let out = patched(
        doc.clone(),
        json!([
            { "op": "test", "path": "/baz", "value": "qux" },
            { "op": "test", "path": "/foo/1", "value": 2 }
        ]),
    );
    assert_eq!(out.unwrap(), doc);
}

#[test]
fn a09_testing_a_value_error() {
    let err = failure(
        json!({"baz": "qux"}),
        json!([{ "op": "test", "path": "/baz", "value": "bar" }]),
    );
    assert_eq!(err.code(), "patch_failed");
    assert!(err.message().contains("test failed"), "{}", err.message());
}

#[test]
fn a10_adding_a_nested_member_object() {
    let out = patched(
        json!({"foo": "bar"}),
        json!([{ "op": "add", "path": "/child", "value": { "grandchild": {} } }]),
    );
    assert_eq!(
        out.unwrap(),
        json!({"foo": "bar", "child": {"grandchild": {}}})
    );
}

#[test]
fn a11_ignoring_unrecognized_elements() {
    let out = patched(
        json!({"foo": "bar"}),
        json!([{ "op": "add", "path": "/baz", "value": "qux", "xyz": 123 }]),
    );
    assert_eq!(out.unwrap(), json!({"foo": "bar", "baz": "qux"}));
}

#[test]
fn a12_adding_to_a_nonexistent_target() {
    let err = failure(
        json!({"foo": "bar"}),
        json!([{ "op": "add", "path": "/baz/bat", "value": "qux" }]),
    );
    assert_eq!(err.code(), "patch_failed");
    assert!(err.message().contains("/baz"), "{}", err.message());
}

#[test]
fn a13_invalid_json_patch_document() {
    // The duplicate "op" member makes the operation itself undecodable, before any patching.
    let text = r#"[{ "op": "add", "path": "/baz", "value": "qux", "op": "remove" }]"#;
    let decoded: Result<Vec<PatchOperation>, _> = serde_json::from_str(text);
    let err = decoded.expect_err("a duplicate op member is rejected");
    assert!(err.to_string().contains("duplicate field `op`"), "{err}");
}

#[test]
fn a14_tilde_escape_ordering() {
    let doc = json!({"/": 9, "~1": 10});
    let out = patched(
        doc.clone(),
        json!([{ "op": "test", "path": "/~01", "value": 10 }]),
    );
    assert_eq!(out.unwrap(), doc);
}

#[test]
fn a15_comparing_strings_and_numbers() {
    let err = failure(
        json!({"/": 9, "~1": 10}),
        json!([{ "op": "test", "path": "/~01", "value": "10" }]),
    );
    assert_eq!(err.code(), "patch_failed");
}

#[test]
fn a16_adding_an_array_value() {
    let out = patched(
        json!({"foo": ["bar"]}),
        json!([{ "op": "add", "path": "/foo/-", "value": ["abc", "def"] }]),
    );
    assert_eq!(out.unwrap(), json!({"foo": ["bar", ["abc", "def"]]}));
}

#[test]
fn a_failing_operation_undoes_the_ones_before_it() {
    let err = failure(
        json!({"a": 1, "list": [1, 2]}),
        json!([
            { "op": "replace", "path": "/a", "value": 2 },
            { "op": "remove", "path": "/list/0" },
            { "op": "remove", "path": "/missing" }
        ]),
    );
    assert_eq!(err.operation(), Some(2));
    assert!(
        err.message().starts_with("operation 2 (remove /missing)"),
        "{}",
        err.message()
    );
}

#[test]
fn malformed_operations_are_400_even_after_a_422() {
    // Form is checked for every operation before any is applied.
    let err = failure(
        json!({"a": 1}),
        json!([
            { "op": "remove", "path": "/missing" },
            { "op": "frobnicate", "path": "/a" }
        ]),
    );
    assert_eq!((err.code(), err.operation()), ("invalid_request", Some(1)));
    assert!(
        err.message().contains("unknown op \"frobnicate\""),
        "{}",
        err.message()
    );
}

#[test]
fn missing_members_and_bad_pointers_are_400() {
    for patch in [
        json!([{ "op": "add", "path": "/a" }]),
        json!([{ "op": "test", "path": "/a" }]),
        json!([{ "op": "move", "path": "/a" }]),
        json!([{ "op": "copy", "path": "/a" }]),
        json!([{ "op": "add", "path": "a", "value": 1 }]),
        json!([{ "op": "add", "path": "/a~2", "value": 1 }]),
        json!([{ "op": "copy", "from": "b", "path": "/a" }]),
        json!([{ "op": "move", "from": "/a", "path": "/a/b" }]),
    ] {
        let err = failure(json!({"a": {"b": 1}}), patch.clone());
        assert_eq!(err.code(), "invalid_request", "{patch}: {err}");
    }
}

#[test]
fn null_is_a_value_not_a_missing_one() {
    let out = patched(
        json!({"a": 1}),
        json!([
            { "op": "add", "path": "/b", "value": null },
            { "op": "test", "path": "/b", "value": null }
        ]),
    );
    assert_eq!(out.unwrap(), json!({"a": 1, "b": null}));
}

#[test]
fn indexes_out_of_range_or_malformed_are_422() {
    for patch in [
        json!([{ "op": "add", "path": "/l/3", "value": 0 }]),
        json!([{ "op": "remove", "path": "/l/2" }]),
        json!([{ "op": "remove", "path": "/l/-" }]),
        json!([{ "op": "replace", "path": "/l/01", "value": 0 }]),
        json!([{ "op": "remove", "path": "/e/0" }]),
        json!([{ "op": "add", "path": "/l/99999999999999999999999", "value": 0 }]),
        json!([{ "op": "add", "path": "/s/x", "value": 0 }]),
        json!([{ "op": "remove", "path": "" }]),
    ] {
        let err = failure(json!({"l": [1, 2], "e": [], "s": "str"}), patch.clone());
        assert_eq!(err.code(), "patch_failed", "{patch}: {err}");
    }
}

#[test]
fn add_at_the_end_index_appends_and_root_paths_replace_the_document() {
    let out = patched(
        json!({"l": [1]}),
        json!([{ "op": "add", "path": "/l/1", "value": 2 }]),
    );
    assert_eq!(out.unwrap(), json!({"l": [1, 2]}));
    let out = patched(
        json!({"l": [1]}),
        json!([{ "op": "replace", "path": "", "value": [true] }]),
    );
    assert_eq!(out.unwrap(), json!([true]));
}

#[test]
fn copy_and_move_onto_itself() {
    let out = patched(
        json!({"a": {"x": [1]}}),
        json!([
            { "op": "copy", "from": "/a", "path": "/b" },
            { "op": "add", "path": "/b/x/-", "value": 2 },
            { "op": "move", "from": "/a", "path": "/a" }
        ]),
    );
    assert_eq!(out.unwrap(), json!({"a": {"x": [1]}, "b": {"x": [1, 2]}}));
    let err = failure(
        json!({}),
        json!([{ "op": "move", "from": "/a", "path": "/a" }]),
    );
    assert_eq!(err.code(), "patch_failed");
}

#[test]
fn test_compares_numbers_by_value_and_objects_regardless_of_order() {
    assert!(json_equal(&json!(1), &json!(1.0)));
    assert!(!json_equal(&json!(1), &json!(1.5)));
    assert!(!json_equal(&json!(-1), &json!(1)));
    assert!(json_equal(
        &json!({"a": [1, {"b": 2}], "c": null}),
        &json!({"c": null, "a": [1.0, {"b": 2}]})
    ));
    assert!(!json_equal(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
    assert!(!json_equal(&json!([1, 2]), &json!([2, 1])));
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    fn pointer() -> impl Strategy<Value = String> {
        prop::collection::vec(
            prop_oneof!["a", "b", "0", "1", "-", "~0", "~1", "~", "01", ""],
            0..4,
        )
        .prop_map(|parts| parts.iter().map(|p| format!("/{p}")).collect())
    }

    fn operation() -> impl Strategy<Value = PatchOperation> {
        (
            prop_oneof!["add", "remove", "replace", "move", "copy", "test", "nope"],
            pointer(),
            prop::option::of(prop_oneof![
                Just(json!(1)),
                Just(json!([])),
                Just(json!({"a": [0]}))
            ]),
            prop::option::of(pointer()),
        )
            .prop_map(|(op, path, value, from)| PatchOperation {
                op: op.to_string(),
                path,
                value,
                from,
            })
    }

    proptest! {
        #[test]
        fn any_patch_either_applies_or_leaves_the_document_alone(patch in prop::collection::vec(operation(), 0..5)) {
            let original = json!({"a": {"b": [1, 2, {"c": 3}]}, "0": [true], "~": "tilde"});
            let mut doc = original.clone();
            match apply_json_patch(&mut doc, &patch) {
                Ok(()) => {}
                Err(err) => {
                    prop_assert_eq!(&doc, &original);
                    prop_assert!(matches!(err.code(), "invalid_request" | "patch_failed"));
                }
            }
        }
    }
}
