//! The `duplicate_statement` lint: a statement equal to an earlier one.
//!
//! Statements are compared through a canonical text (object keys sorted), so that finding every repeat is
//! one hash lookup per statement instead of a comparison with each earlier statement.

use super::Diagnostic;
use serde_json::{Number, Value};
use std::collections::hash_map::{Entry, HashMap};
use std::fmt::Write;

/// Warns about each object statement equal (as JSON values are equal) to an earlier one, naming the first.
pub(super) fn lint_duplicates(statements: &[Value], diagnostics: &mut Vec<Diagnostic>) {
    let mut first_seen: HashMap<String, usize> = HashMap::with_capacity(statements.len());
    for (index, statement) in statements.iter().enumerate() {
        if !statement.is_object() {
            continue;
        }
        match first_seen.entry(canonical_text(statement)) {
            Entry::Occupied(first) => diagnostics.push(Diagnostic::warning(
                "duplicate_statement",
                format!("/{index}"),
                format!("statement {index} repeats statement {}", first.get()),
            )),
            Entry::Vacant(slot) => {
                slot.insert(index);
            }
        }
    }
}

/// One step of writing a canonical text.
enum Piece<'a> {
    Value(&'a Value),
    Key(&'a str),
    Punctuation(char),
}

/// A text that is equal for two values exactly when the values are equal: object keys in sorted order
/// (object equality ignores order), strings quoted and escaped, numbers as JSON compares them. Written with
/// an explicit stack, so a deeply nested value cannot exhaust the call stack.
pub(super) fn canonical_text(value: &Value) -> String {
    let mut text = String::new();
    let mut pending = vec![Piece::Value(value)];
    while let Some(piece) = pending.pop() {
        match piece {
            Piece::Punctuation(mark) => text.push(mark),
            Piece::Key(key) => write_string(&mut text, key),
            Piece::Value(Value::Null) => text.push_str("null"),
            Piece::Value(Value::Bool(flag)) => text.push_str(if *flag { "true" } else { "false" }),
            Piece::Value(Value::Number(number)) => write_number(&mut text, number),
            Piece::Value(Value::String(string)) => write_string(&mut text, string),
            Piece::Value(Value::Array(items)) => {
                text.push('[');
                pending.push(Piece::Punctuation(']'));
                for (at, item) in items.iter().enumerate().rev() {
                    pending.push(Piece::Value(item));
                    if at > 0 {
                        pending.push(Piece::Punctuation(','));
                    }
                }
            }
            Piece::Value(Value::Object(object)) => {
                text.push('{');
                pending.push(Piece::Punctuation('}'));
                let mut entries: Vec<_> = object.iter().collect();
                entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
                for (at, (key, item)) in entries.into_iter().enumerate().rev() {
                    pending.push(Piece::Value(item));
                    pending.push(Piece::Punctuation(':'));
                    pending.push(Piece::Key(key));
                    if at > 0 {
                        pending.push(Piece::Punctuation(','));
                    }
                }
            }
        }
    }
    text
}

/// Rust's string escaping: quoted, with `"` and `\` escaped, so no string's text is a prefix of another's
/// nor runs into the punctuation after it.
fn write_string(text: &mut String, string: &str) {
    // Writing to a `String` cannot fail.
    let _ = write!(text, "{string:?}");
}

/// Integers and floats as written by serde_json, which keeps `1` and `1.0` apart as its equality does;
/// `-0.0` as `0.0`, since the two compare equal.
fn write_number(text: &mut String, number: &Number) {
    if number.is_f64() && number.as_f64() == Some(0.0) {
        text.push_str("0.0");
    } else {
        let _ = write!(text, "{number}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    fn value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            (-2i64..3).prop_map(Value::from),
            prop_oneof![Just(0.0), Just(-0.0), Just(1.0), Just(1e300)].prop_map(Value::from),
            "[a\"\\\\,:{}]{0,3}".prop_map(Value::String),
        ];
        leaf.prop_recursive(3, 24, 4, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
                proptest::collection::btree_map("[ab\",:]{0,2}", inner, 0..4)
                    .prop_map(|map| Value::Object(map.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        #[test]
        fn canonical_texts_are_equal_exactly_when_values_are(a in value(), b in value()) {
            prop_assert_eq!(canonical_text(&a) == canonical_text(&b), a == b);
            prop_assert_eq!(canonical_text(&a), canonical_text(&a.clone()));
        }
    }

    #[test]
    fn key_order_and_negative_zero_do_not_matter_but_number_kinds_do() {
        let a = json!({"effect": "allow", "actions": ["*"], "n": 0.0});
        let b = json!({"actions": ["*"], "n": -0.0, "effect": "allow"});
        assert_eq!(a, b);
        assert_eq!(canonical_text(&a), canonical_text(&b));
        assert_ne!(canonical_text(&json!(1)), canonical_text(&json!(1.0)));
        assert_ne!(
            canonical_text(&json!(["a,b"])),
            canonical_text(&json!(["a", "b"]))
        );
    }

    #[test]
    fn deep_nesting_does_not_exhaust_the_stack() {
        let mut value = json!("leaf");
        for _ in 0..100_000 {
            value = Value::Array(vec![value]);
        }
        assert_eq!(canonical_text(&value).len(), 200_006);
        // Dropping is recursive in serde_json; unwind the nesting by hand.
        while let Value::Array(mut items) = value {
            value = items.pop().unwrap_or(Value::Null);
        }
    }

    #[test]
    fn each_repeat_names_the_first_statement() {
        let statements = [
            json!({"effect": "allow", "actions": ["a"]}),
            json!({"actions": ["a"], "effect": "allow"}),
            json!("not an object"),
            json!("not an object"),
            json!({"effect": "allow", "actions": ["a"]}),
        ];
        let mut diagnostics = Vec::new();
        lint_duplicates(&statements, &mut diagnostics);
        let found: Vec<_> = diagnostics
            .iter()
            .map(|d| (d.path.as_str(), d.message.as_str()))
            .collect();
        assert_eq!(
            found,
            [
                ("/1", "statement 1 repeats statement 0"),
                ("/4", "statement 4 repeats statement 0"),
            ]
        );
    }
}
