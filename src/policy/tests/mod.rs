//! Unit tests of the engine's rules, explanations included: the helpers they share are here, and each
//! rule has a file of its own.

use super::*;
use crate::model::{CustomRole, RoleAttributes, Statement};
use serde_json::json;

mod base_roles;
mod decisions;
mod several_roles;
mod statement_semantics;
mod validation;

fn st(value: serde_json::Value) -> Statement {
    serde_json::from_value(value).expect("statement")
}

fn policy(statements: &[Statement]) -> CompiledPolicy {
    CompiledPolicy::compile(PolicySource::inline(), statements, &RoleAttributes::new())
        .expect("compiles")
}

/// A resource as the engine reads it, `*` an ordinary name character: the engine's own tests check what it
/// answers for the resources the core builds (`member/<id>:token/*`), not what callers may ask about.
fn res(spec: &str) -> Resource {
    Resource::parse_allowing_stars(spec).expect("resource")
}

fn role(key: &str, name: &str, statements: Vec<Statement>) -> CustomRole {
    serde_json::from_value(json!({
        "_id": format!("id-{key}"), "key": key, "name": name, "policy": statements
    }))
    .expect("role")
}
