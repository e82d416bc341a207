//! The boundary's JSON parser and writer against serde_json, on generated texts: both accept with the same
//! value or both refuse, and whatever is written reads back as the value written. serde_json without its
//! `float_roundtrip` feature is not correctly rounded, so floats it reads may differ by an ulp or two; ours are
//! checked exactly against `str::parse::<f64>`, which is.
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;
use tokengate::json::{parse, write, MAX_DEPTH};

/// Distance in ulps between two finite floats (through the ordered integer view of their bits).
fn ulps(a: f64, b: f64) -> u64 {
    let key = |f: f64| {
        let bits = f.to_bits() as i64;
        if bits < 0 {
            i64::MIN - bits
        } else {
            bits
        }
    };
    key(a).abs_diff(key(b))
}

/// Equal values, numbers of the same kind, floats within serde_json's rounding slack.
fn same(ours: &Value, serde: &Value) -> bool {
    match (ours, serde) {
        (Value::Number(a), Value::Number(b)) if a.is_f64() && b.is_f64() => {
            ulps(a.as_f64().unwrap(), b.as_f64().unwrap()) <= 4
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| same(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, a), (kb, b))| ka == kb && same(a, b))
        }
        _ => ours == serde,
    }
}

/// `parse` and serde_json agree on `text`; when they accept, the value also survives `write`.
fn agree(text: &str) -> Result<(), TestCaseError> {
    match (parse(text), serde_json::from_str::<Value>(text)) {
        (Ok(ours), Ok(serde)) => {
            prop_assert!(
                same(&ours, &serde),
                "{text:?}\nours  {ours:?}\nserde {serde:?}"
            );
            written_reads_back(&ours)
        }
        (Err(_), Err(_)) => Ok(()),
        (ours, serde) => Err(TestCaseError::fail(format!(
            "{text:?}: ours {ours:?}, serde_json {serde:?}"
        ))),
    }
}

fn written_reads_back(value: &Value) -> Result<(), TestCaseError> {
    let text = write(value);
    prop_assert_eq!(&parse(&text).unwrap(), value, "{}", text);
    let serde: Value = serde_json::from_str(&text).unwrap();
    prop_assert!(same(&serde, value), "{text}");
    Ok(())
}

// ---------- generated texts ----------

fn space() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(vec![" ", "\t", "\n", "\r"]), 0..3)
        .prop_map(|s| s.concat())
}

fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        4 => proptest::char::range(' ', '~'),
        1 => proptest::char::range('\0', '\u{1f}'),
        2 => any::<char>(),
        2 => prop::sample::select(vec!['"', '\\', '/', '\u{7f}', 'é', '\u{2028}', '\u{ffff}', '😀']),
    ]
}

/// A string literal, each character written raw where JSON allows or escaped in one of its spellings.
fn string() -> impl Strategy<Value = String> {
    prop::collection::vec((character(), 0..4u8), 0..10).prop_map(|chars| {
        let mut out = String::from("\"");
        for (c, style) in chars {
            let short = match c {
                '"' => Some("\\\""),
                '\\' => Some("\\\\"),
                '/' if style == 1 => Some("\\/"),
                '\u{8}' => Some("\\b"),
                '\u{c}' => Some("\\f"),
                '\n' => Some("\\n"),
                '\r' => Some("\\r"),
                '\t' => Some("\\t"),
                _ => None,
            };
            match (style, short) {
                (0 | 1, Some(escape)) => out.push_str(escape),
                (0, None) if c >= ' ' => out.push(c),
                _ => {
                    for unit in c.encode_utf16(&mut [0; 2]) {
                        out.push_str(&if style == 3 {
                            format!("\\u{unit:04X}")
                        } else {
                            format!("\\u{unit:04x}")
                        });
                    }
                }
            }
        }
        out.push('"');
        out
    })
}

/// A number literal: integers at and past the u64/i64 limits, floats in each of Rust's spellings, and
/// free-form ones from the grammar (long digit runs, exponents that overflow or underflow).
fn number() -> impl Strategy<Value = String> {
    // Away from f64::MAX: serde_json refuses some finite values within an ulp or two of it (tested by hand).
    let float = any::<f64>().prop_filter("finite, below 1e308", |f| f.abs() < 1e308);
    prop_oneof![
        any::<u64>().prop_map(|n| n.to_string()),
        any::<i64>().prop_map(|n| n.to_string()),
        prop::sample::select(vec![
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "-0",
            "0",
            "-0.0",
            "0e0",
            "1E+2",
            "1e-400",
            "1e400",
            "-1e400"
        ])
        .prop_map(str::to_owned),
        float.clone().prop_map(|f| format!("{f}")),
        float.clone().prop_map(|f| format!("{f:e}")),
        float.prop_map(|f| format!("{f:?}")),
        "-?(0|[1-9][0-9]{0,25})(\\.[0-9]{1,20})?([eE][+-]?[0-9]{1,3})?",
    ]
}

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("true".to_owned()),
        Just("false".to_owned()),
        Just("null".to_owned()),
        string(),
        number(),
    ]
}

/// Keys from a small set as often as not, so that objects repeat keys (the last one wins in both).
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec!["\"a\"", "\"\\u0061\"", "\"b\"", "\"\""]).prop_map(str::to_owned),
        string()
    ]
}

fn array(items: Vec<(String, String)>) -> String {
    let items: Vec<String> = items
        .into_iter()
        .map(|(space, item)| space + &item)
        .collect();
    format!("[{}]", items.join(","))
}

fn object(members: Vec<(String, String, String)>) -> String {
    let members: Vec<String> = members
        .into_iter()
        .map(|(space, key, value)| format!("{space}{key}{space}:{value}"))
        .collect();
    format!("{{{}}}", members.join(","))
}

fn document() -> impl Strategy<Value = String> {
    let value = scalar().prop_recursive(6, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec((space(), inner.clone()), 0..8).prop_map(array),
            prop::collection::vec((space(), key(), inner), 0..8).prop_map(object),
        ]
    });
    (space(), value, space()).prop_map(|(before, value, after)| before + &value + &after)
}

/// Nested around a scalar to depths on both sides of the limit, arrays and objects mixed.
fn deep() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(any::<bool>(), MAX_DEPTH - 8..MAX_DEPTH + 8),
        scalar(),
        any::<bool>(),
    )
        .prop_map(|(levels, leaf, empty)| {
            let mut text = if empty { "[]".to_owned() } else { leaf };
            for object in levels.into_iter().skip(usize::from(empty)) {
                text = if object {
                    format!("{{\"k\":{text}}}")
                } else {
                    format!("[{text},0]")
                };
            }
            text
        })
}

fn wide() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec((space(), scalar()), 1000..4000).prop_map(array),
        prop::collection::vec((space(), key(), scalar()), 1000..4000).prop_map(object),
    ]
}

/// Byte edits: delete, insert, replace (with bytes that matter to JSON most of the time), or cut the text short.
fn edit() -> impl Strategy<Value = (u8, usize, u8)> {
    let byte = prop_oneof![
        3 => prop::sample::select(b"[]{}\",:\\/0123456789-+.eEtfnulu \t\n\r\x0c\x00".to_vec()),
        1 => any::<u8>(),
    ];
    (0..4u8, any::<usize>(), byte)
}

fn mutate(text: &str, edits: &[(u8, usize, u8)]) -> Option<String> {
    let mut bytes = text.as_bytes().to_vec();
    for &(kind, at, byte) in edits {
        let at = at % (bytes.len() + 1);
        match kind {
            0 if at < bytes.len() => drop(bytes.remove(at)),
            1 => bytes.insert(at, byte),
            2 if at < bytes.len() => bytes[at] = byte,
            _ => bytes.truncate(at),
        }
    }
    String::from_utf8(bytes).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn documents_agree_with_serde_json(text in document()) {
        agree(&text)?;
    }

    #[test]
    fn edited_documents_agree_with_serde_json(text in document(), edits in prop::collection::vec(edit(), 1..4)) {
        if let Some(text) = mutate(&text, &edits) {
            agree(&text)?;
        }
    }

    #[test]
    fn numbers_are_the_same_kind_and_floats_correctly_rounded(text in number()) {
        agree(&text)?;
        if let (Ok(ours), Ok(serde)) = (parse(&text), serde_json::from_str::<Value>(&text)) {
            let (ours, serde) = (ours.as_number().unwrap().clone(), serde.as_number().unwrap().clone());
            prop_assert_eq!((ours.is_u64(), ours.is_i64(), ours.is_f64()), (serde.is_u64(), serde.is_i64(), serde.is_f64()));
            if ours.is_f64() {
                prop_assert_eq!(ours.as_f64().unwrap().to_bits(), text.parse::<f64>().unwrap().to_bits());
            }
        }
    }

    #[test]
    fn strings_with_stray_surrogates_agree(
        text in string(),
        stray in prop::sample::select(vec!["\\ud800", "\\udbff", "\\udc00", "\\udfff", "\\ud800\\ud800", "\\ud83d\\ude00", "\\ud800\\n", "\\ud800\\u00"]),
        at in any::<usize>(),
    ) {
        // Inserted between characters: after the quote or after the end of an escape or character.
        let inner = &text[1..text.len() - 1];
        let cuts: Vec<usize> = (0..=inner.len()).filter(|&i| inner.is_char_boundary(i) && !inner[..i].ends_with('\\')).collect();
        let cut = cuts[at % cuts.len()];
        agree(&format!("\"{}{stray}{}\"", &inner[..cut], &inner[cut..]))?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deep_documents_agree_with_serde_json(text in deep()) {
        agree(&text)?;
    }

    #[test]
    fn wide_documents_agree_with_serde_json(text in wide()) {
        agree(&text)?;
    }
}

#[test]
fn floats_next_to_the_largest_are_read_correctly() {
    // Where serde_json without `float_roundtrip` is stricter than correct rounding: it refuses this spelling
    // of f64::MAX, which JSON.parse and `parse` read. (Whether the serde_json built for this test has that
    // feature depends on what else the workspace builds, so its answer is not asserted.)
    let text = "1.7976931348623158e308";
    assert_eq!(parse(text).unwrap().as_f64(), Some(f64::MAX));
    assert_eq!(
        parse(&write(&parse(text).unwrap())).unwrap().as_f64(),
        Some(f64::MAX)
    );
}

#[test]
fn very_deep_text_is_refused_on_the_test_threads_stack() {
    let text = "[".repeat(100_000) + &"]".repeat(100_000);
    let error = parse(&text).unwrap_err();
    assert_eq!(
        (error.message.as_str(), error.offset),
        ("nested deeper than 127 levels", MAX_DEPTH)
    );
}
