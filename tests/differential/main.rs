//! Differential check of the policy engine against a second, deliberately naive implementation of §4 of the
//! spec ("Policies"), written from the spec's words and not from the engine: globs matched by recursion over
//! characters, specifiers split on `:`, `;`, `,` and `/` as plain strings, role attributes expanded by text
//! search. Both judge the same generated (policies, action, resource) cases; any disagreement fails with the
//! case printed.
//!
//! The generator draws from a small alphabet so that names, tags, types and actions collide often and every
//! rule is exercised: deny beating allow, `notResources`/`notActions`, tags (AND, globbed), property-based
//! selectors (`{c:t}`) and view selectors (`view:v`, with role attributes) stated, contradicted or left out by
//! the resource, globs inside names, depth and type mismatches, nameless types, role attributes (present,
//! missing, several values), several roles held at once, each with its own role attributes (as roles granted
//! through different teams are), and the view rule. It also checks the base-role table of §4 against
//! `BaseRole`'s policies.
//!
//! A second generator builds tokens whose creators hold roles directly and through teams, each team's roles
//! filled with that team's attributes, and compares `Principal::with_teams` with the reference's AND of the
//! token's side and the creator's cap.
//!
//! What a resource leaves out is unknown. The reference carries that as `Option<bool>` (`None` = unknown)
//! with the tables written out by hand; a second check fills every unstated fact in every way the alphabet
//! allows and requires that each definite answer of the engine holds in every such completion.
//!
//! `DIFF_CASES` sets the number of cases (default 10 000, a few seconds in a debug build); `DIFF_SEED` the
//! generator's seed. `cargo test --release --test differential` with `DIFF_CASES=5000000` is the long run.
//!
//! `tests/wasm_differential.rs` runs the same modules compiled to WebAssembly, on a bounded slice of cases, and the
//! same generated policies through the JavaScript binding (`scripts/test-wasm.sh`).
// That suite is the wasm build of these modules; this target is the native one.
#![cfg(not(target_arch = "wasm32"))]

mod base_roles;
mod completions;
mod generator;
mod policies;
mod principals;
mod reference;
mod spec_examples;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}
