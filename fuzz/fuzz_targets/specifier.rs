//! Resource and action specifiers: any text must parse or fail with a code and a character span inside the
//! text, never panic; what parses must describe the text it came from. Tags, property selectors
//! (`{critical:true}`) and views (`view:web`) share the `;` list.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tokengate::{parse_action, parse_resource, Resource, SpecifierError};

fn check_span(spec: &str, err: &SpecifierError) {
    let chars = spec.chars().count();
    assert!(!err.code.is_empty(), "error without a code for {spec:?}");
    assert!(
        !err.message.is_empty(),
        "error without a message for {spec:?}"
    );
    assert!(
        err.span.start <= err.span.end && err.span.end <= chars,
        "span {:?} outside the {chars} characters of {spec:?} ({})",
        err.span,
        err.code
    );
}

fuzz_target!(|data: &[u8]| {
    let Ok(spec) = std::str::from_utf8(data) else {
        return;
    };

    let pattern = parse_resource(spec);
    match &pattern {
        Ok(segments) => {
            assert!(!segments.is_empty());
            if spec != "*" {
                // Segments put back together (tags, then selectors, then views) parse to the same segments,
                // and to the specifier as written when it listed its modifiers in that order.
                let rebuilt: Vec<String> = segments
                    .iter()
                    .map(|s| {
                        let mut text = s.resource_type.clone();
                        if !s.name.is_empty() {
                            text.push('/');
                            text.push_str(&s.name);
                        }
                        let mut modifiers: Vec<String> = s.tags.clone();
                        modifiers.extend(s.properties.iter().map(|p| format!("{{{}:{}}}", p.key, p.value)));
                        modifiers.extend(s.views.iter().map(|v| format!("view:{v}")));
                        if !modifiers.is_empty() {
                            text.push(';');
                            text.push_str(&modifiers.join(","));
                        }
                        text
                    })
                    .collect();
                let rebuilt = rebuilt.join(":");
                if segments.iter().all(|s| s.properties.is_empty() && s.views.is_empty()) {
                    assert_eq!(rebuilt, spec);
                }
                assert_eq!(parse_resource(&rebuilt).as_ref().ok(), Some(segments), "{rebuilt:?}");
            }
        }
        Err(err) => check_span(spec, err),
    }

    match Resource::parse(spec) {
        Ok(resource) => {
            assert_eq!(resource.as_str(), spec);
            assert_eq!(resource.depth(), resource.to_segments().len());
            // A concrete resource is also valid pattern syntax (its `*`s become globs).
            let segments = pattern
                .as_ref()
                .expect("a resource that is not a valid pattern");
            assert_eq!(segments, &resource.to_segments());
        }
        Err(err) => check_span(spec, &err),
    }

    if let Err(err) = parse_action(spec) {
        check_span(spec, &err);
    }
});
