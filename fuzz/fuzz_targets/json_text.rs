//! The boundary's JSON parser and writer against serde_json (built with `float_roundtrip`, so that both read
//! floats correctly rounded and the comparison can be exact).
//! Input: the text, as UTF-8. Checks: no panic; `parse` accepts exactly what serde_json accepts, with the
//! same value and the same kind of number; what `write` prints, serde_json and `parse` read back unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tokengate::json::{parse, write};

/// Equal, numbers also of the same kind (`Value`'s `==` already tells u64 from f64, but -0.0 from 0.0 not).
fn identical(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(a), Value::Number(b)) => {
            a == b && a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
        }
        (Value::Array(a), Value::Array(b)) => {
            a.len() == b.len() && a.iter().zip(b).all(|(a, b)| identical(a, b))
        }
        (Value::Object(a), Value::Object(b)) => {
            a.len() == b.len()
                && a.iter()
                    .zip(b)
                    .all(|((ka, a), (kb, b))| ka == kb && identical(a, b))
        }
        _ => a == b,
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let ours = parse(text);
    let serde = serde_json::from_str::<Value>(text);
    match (&ours, &serde) {
        (Ok(ours), Ok(serde)) => {
            assert!(identical(ours, serde), "values differ: {ours:?} {serde:?}")
        }
        (Err(_), Err(_)) => return,
        _ => panic!("accept/refuse differ on {text:?}: ours {ours:?}, serde_json {serde:?}"),
    }
    let value = ours.unwrap();
    let written = write(&value);
    let back: Value =
        serde_json::from_str(&written).expect("serde_json must read what write prints");
    assert!(
        identical(&back, &value),
        "serde_json read {written:?} as {back:?}"
    );
    assert!(identical(
        &parse(&written).expect("parse must read what write prints"),
        &value
    ));
});
