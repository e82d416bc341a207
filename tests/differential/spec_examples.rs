//! The reference itself, on the spec's own examples.

use crate::reference;
use tokengate::{PolicyOutcome, RoleAttributes, Statement};

// A plain function in the wasm build: `tests/wasm_differential.rs` runs it as a wasm-bindgen test.
#[cfg_attr(not(target_arch = "wasm32"), test)]
pub fn the_reference_itself_reads_the_spec_examples_right() {
    // The spec's own examples, so that a broken reference cannot pass by agreeing with a broken engine.
    let none = RoleAttributes::new();
    assert!(reference::specifier_matches(
        "proj/mobile-*",
        "proj/mobile-ios",
        &none
    ));
    assert!(reference::specifier_matches(
        "env/*;qa_*",
        "env/x;qa_team",
        &none
    ));
    assert!(!reference::specifier_matches("env/*;qa_*", "env/x", &none));
    assert!(!reference::specifier_matches(
        "proj/*",
        "proj/a:env/b",
        &none
    ));
    assert!(reference::specifier_matches(
        "*",
        "proj/a:env/b:flag/c",
        &none
    ));
    assert!(reference::specifier_matches(
        "proj/*;a,b",
        "proj/x;b,c,a",
        &none
    ));
    assert!(!reference::specifier_matches(
        "proj/*;a,b",
        "proj/x;a",
        &none
    ));
    let mut attrs = RoleAttributes::new();
    attrs.insert("k".into(), vec!["web".into(), "api".into()]);
    assert!(reference::specifier_matches(
        "proj/${roleAttribute/k}-*",
        "proj/api-1",
        &attrs
    ));
    assert!(!reference::specifier_matches(
        "proj/${roleAttribute/other}",
        "proj/web",
        &attrs
    ));
    // §4's selector and view examples, and the Decision on concrete resources.
    assert_eq!(
        reference::specifier_matches3(
            "proj/*:env/*;{critical:true}:flag/*",
            "proj/p:env/production;{critical:true}:flag/x;view:web",
            &none
        ),
        Some(true)
    );
    assert_eq!(
        reference::specifier_matches3(
            "proj/*:env/*;{critical:true}:flag/*",
            "proj/p:env/production:flag/x",
            &none
        ),
        None
    );
    let mut views = RoleAttributes::new();
    views.insert("viewKeys".into(), vec!["web".into()]);
    assert_eq!(
        reference::specifier_matches3(
            "proj/p:env/*:flag/*;view:${roleAttribute/viewKeys}",
            "proj/p:env/e:flag/x;view:mobile,view:web",
            &views
        ),
        Some(true)
    );
    // "Viewing is required to modify": flags alone are not enough, the project's view is.
    let flags_only = vec![Statement::allow(["proj/*:env/*:flag/*"], ["*"])];
    let roles = [(flags_only.clone(), none.clone())];
    assert_eq!(
        reference::set_allows(&roles, "updateOn", "proj/p:env/e:flag/f"),
        Some(false)
    );
    assert_eq!(
        reference::set_allows(&roles, "viewFlag", "proj/p:env/e:flag/f"),
        Some(true)
    );
    let with_view = [
        (flags_only, none.clone()),
        (
            vec![Statement::allow(["proj/p"], ["viewProject"])],
            none.clone(),
        ),
    ];
    assert_eq!(
        reference::set_allows(&with_view, "updateOn", "proj/p:env/e:flag/f"),
        Some(true)
    );
    assert!(reference::glob_str("update*", "updateOn"));
    assert!(!reference::glob_str("update*", "Update"));
    let deny_beats_allow = [
        Statement::allow(["proj/*"], ["*"]),
        Statement::deny(["proj/a"], ["update*"]),
    ];
    assert_eq!(
        reference::outcome(&deny_beats_allow, "updateOn", "proj/a", &none),
        PolicyOutcome::Denied
    );
    assert_eq!(
        reference::outcome(&deny_beats_allow, "updateOn", "proj/b", &none),
        PolicyOutcome::Allowed
    );
    assert_eq!(
        reference::outcome(&deny_beats_allow, "x", "env/b", &none),
        PolicyOutcome::NoMatch
    );
}
