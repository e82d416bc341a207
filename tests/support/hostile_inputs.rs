//! Hostile policies shared by `tests/hostile.rs`, which holds each to a bound on work, and the benchmarks
//! (`benches/hostile.rs`, `benches/compare.rs`), which print how long they take. Included with `#[path]`, so the
//! tests and the benchmarks measure the very same inputs.

use tokengate::Statement;

/// `n` statements on `n` projects' environments, and one that lets the holder view every project (acting on
/// anything in a project needs `viewProject` on it).
pub fn many_statements(n: usize) -> Vec<Statement> {
    std::iter::once(Statement::allow(["proj/*"], ["viewProject"]))
        .chain((0..n).map(|i| {
            let resources = [format!("proj/p{i}:env/*")];
            let actions = [format!("update{i}")];
            if i % 7 == 0 {
                Statement::deny(resources, actions)
            } else {
                Statement::allow(resources, actions)
            }
        }))
        .collect()
}

/// Four statements, 805 bytes of JSON: allow and deny on project names of 64 stars between `a`s, between `b`s,
/// 63 between `a`s and 64 before `ab`s. `evaluate` answers at once; a comparison's walk over the names reads
/// hundreds of live automaton positions a step, and used to take seconds in the WebAssembly module.
pub fn stars_policy() -> Vec<Statement> {
    let name = |piece: &str, n: usize| format!("proj/{}*", piece.repeat(n));
    vec![
        Statement::allow([name("*a", 64)], ["*"]),
        Statement::deny([name("*b", 64)], ["*"]),
        Statement::allow([name("*a", 63)], ["*"]),
        Statement::deny([name("*ab", 64)], ["*"]),
    ]
}
