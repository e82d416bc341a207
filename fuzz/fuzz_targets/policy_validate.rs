//! Policy validation over raw JSON: any document yields diagnostics (never a panic), each with a JSON pointer
//! that resolves inside the document and a span inside the string it points at. Whatever typed decoding
//! accepts, compilation rejects only if validation reported an error.
#![no_main]

use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use tokengate::{RoleAttributes, Statement};
use tokengate::{validate_policy, CompiledPolicy, PolicySource, Severity};

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    let diagnostics = validate_policy(&value);
    for d in &diagnostics {
        assert!(!d.code.is_empty() && !d.message.is_empty());
        assert!(d.path.is_empty() || d.path.starts_with('/'), "{d:?}");
        // Paths may name a member that should have been there (`/0/effect`): its parent must exist.
        let parent = d.path.rfind('/').map_or("", |at| &d.path[..at]);
        assert!(
            value.pointer(&d.path).is_some() || value.pointer(parent).is_some(),
            "diagnostic path {} not in the document: {d:?}",
            d.path
        );
        if let Some(span) = d.span {
            if let Some(Value::String(text)) = value.pointer(&d.path) {
                assert!(
                    span.start <= span.end && span.end <= text.chars().count(),
                    "{d:?}"
                );
            }
        }
    }
    let has_error = diagnostics.iter().any(|d| d.severity == Severity::Error);

    if let Ok(statements) = serde_json::from_value::<Vec<Statement>>(value) {
        let compiled = CompiledPolicy::compile(
            PolicySource::statements(),
            &statements,
            &RoleAttributes::new(),
        );
        if let Err(err) = &compiled {
            assert!(
                has_error,
                "compile failed ({err}) but validation found no error"
            );
            assert!(!err.diagnostics().is_empty());
        }
    }
});
