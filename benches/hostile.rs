//! How long the hostile inputs of `tests/hostile.rs` take, natively: the test holds each to a bound on work
//! (allocations and bytes), which does not depend on the machine; this prints the times, and never fails.
//!
//! Run with `cargo bench --bench hostile`.

// The inputs of `tests/hostile.rs`; this benchmark uses only `many_statements`.
#[cfg(not(target_arch = "wasm32"))]
#[allow(dead_code)]
#[path = "../tests/support/hostile_inputs.rs"]
mod hostile_inputs;

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use crate::hostile_inputs::many_statements;
    use std::hint::black_box;
    use std::time::Instant;
    use tokengate::{
        compare_policies, evaluate, parse_resource, validate_policy, validate_statements, Resource,
    };
    use tokengate::{RoleAttributes, Statement};

    fn time<T>(what: &str, f: impl FnOnce() -> T) {
        let started = Instant::now();
        black_box(f());
        println!(
            "{what:<48} {:>10.1} ms",
            started.elapsed().as_secs_f64() * 1e3
        );
    }

    pub fn main() {
        let attrs = RoleAttributes::new();
        let large = many_statements(100_000);
        time("evaluate, 100,000 statements", || {
            evaluate(&large, "update99999", "proj/p99999:env/x", &attrs)
        });
        time("compare_policies, 100,000 against 10", || {
            compare_policies(&large, &large[..10], &attrs, 3)
        });
        let deep: Vec<String> = (0..50_000).map(|i| format!("t{i}/n")).collect();
        let deep = deep.join(":");
        time("parse_resource, 50,000 segments", || parse_resource(&deep));
        time("Resource::parse, 50,000 segments", || {
            Resource::parse(&deep)
        });
        let stars = [Statement::allow(
            [format!("proj/{}b", "*a".repeat(5_000))],
            ["*"],
        )];
        let long = format!("proj/{}", "a".repeat(20_000));
        time("a 10,000-star glob against 20,000 characters", || {
            evaluate(&stars, "x", &long, &attrs)
        });
        let four_thousand = many_statements(4_000);
        let json = serde_json::to_value(&four_thousand).expect("statements are JSON");
        time("validate_policy, 4,000 statements", || {
            validate_policy(&json)
        });
        time("validate_statements, 4,000 statements", || {
            validate_statements(&four_thousand)
        });
        let (before, after) = (many_statements(2_000), many_statements(1_999));
        time("compare_policies, 2,000 against 1,999", || {
            compare_policies(&before, &after, &attrs, 10)
        });
    }
}

fn main() {
    #[cfg(not(target_arch = "wasm32"))]
    bench::main();
}
