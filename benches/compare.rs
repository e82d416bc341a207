//! Comparing two 50-statement policies (globbed names, tags, a property selector, views, `notResources`,
//! `notActions`, the view rule) with `compare_policies`, beside one `evaluate` of the same policy in the same
//! run, so that the cost of an exact comparison reads in units of single checks.
//!
//! Then the time to reach the comparison's work budget: four statements whose names hold 63 or 64 stars each
//! (805 bytes of JSON), which every analysis refuses with `comparison_too_large`; and an audit of 2,000 tokens
//! of two base roles and two creators, which compares each distinct pair once.
//!
//! Run with `cargo bench --bench compare`. After criterion's report, summary lines give the times and their
//! ratios; nothing here fails on time.

// The inputs of `tests/hostile.rs`; this benchmark uses only `stars_policy`.
#[cfg(not(target_arch = "wasm32"))]
#[allow(dead_code)]
#[path = "../tests/support/hostile_inputs.rs"]
mod hostile_inputs;

#[cfg(not(target_arch = "wasm32"))]
mod bench {
    use crate::hostile_inputs::stars_policy;
    use criterion::Criterion;
    use std::hint::black_box;
    use std::time::Instant;
    use tokengate::{
        audit_tokens, compare_policies, evaluate, Member, RoleAttributes, Statement, Token,
        COMPARISON_WORK_BUDGET,
    };

    const PROJECTS: &[&str] = &["web", "api", "mobile-*", "shop", "data-*"];
    const ENVS: &[&str] = &["production", "staging", "test", "*-dev", "*"];
    const ACTIONS: &[&[&str]] = &[
        &["updateOn", "updateFallthrough"],
        &["update*"],
        &["createFlag", "cloneFlag"],
        &["delete*"],
        &["updateTargets", "updateRules"],
    ];

    /// A role of 50 statements: per project, viewing it, flag edits in each kind of environment, a deny on
    /// critical or tagged environments, segment edits under a view, and a few account-wide statements.
    fn policy(variant: usize) -> Vec<Statement> {
        let mut statements = vec![
            serde_json::json!({"effect": "allow", "resources": ["acct"], "actions": ["updateRequireMfa"]}),
            serde_json::json!({"effect": "deny", "notResources": ["proj/*", "proj/*:env/*", "proj/*:env/*:flag/*"], "actions": ["delete*"]}),
        ];
        'outer: for (p, project) in PROJECTS.iter().enumerate() {
            statements.push(serde_json::json!({"effect": "allow", "resources": [format!("proj/{project}")], "actions": ["viewProject"]}));
            for (e, env) in ENVS.iter().enumerate() {
                let actions = ACTIONS[(p + e) % ACTIONS.len()];
                statements.push(serde_json::json!({
                    "effect": "allow",
                    "resources": [format!("proj/{project}:env/{env}:flag/*")],
                    "actions": actions,
                }));
                if statements.len() >= 48 {
                    break 'outer;
                }
            }
            statements.push(serde_json::json!({"effect": "deny", "resources": [format!("proj/{project}:env/*;{{critical:true}}:flag/*"), format!("proj/{project}:env/*;locked:flag/*")], "actions": ["updateOn", "delete*"]}));
            statements.push(serde_json::json!({"effect": "allow", "resources": [format!("proj/{project}:env/*:segment/*;view:team-{p}*")], "notActions": ["deleteSegment"]}));
        }
        let mut metric = 0;
        while statements.len() < 48 {
            let project = PROJECTS[metric % PROJECTS.len()];
            statements.push(serde_json::json!({"effect": "allow", "resources": [format!("proj/{project}:metric/m{metric}-*;team-{metric}")], "actions": ["updateMetric*", "createMetric"]}));
            metric += 1;
        }
        statements.truncate(48);
        statements.push(serde_json::json!({"effect": "allow", "resources": ["member/*:token/*"], "actions": ["updateAccessToken*", "resetAccessToken"]}));
        // The variant: one statement narrowed and one widened.
        if variant == 1 {
            statements[4] = serde_json::json!({"effect": "allow", "resources": ["proj/web:env/prod*:flag/*;beta"], "actions": ["updateOn"]});
            statements.push(serde_json::json!({"effect": "allow", "resources": ["proj/api:env/*:flag/new-*"], "actions": ["*"]}));
        } else {
            statements.push(serde_json::json!({"effect": "deny", "resources": ["proj/*:env/*:flag/*;archived"], "actions": ["*"]}));
        }
        assert_eq!(statements.len(), 50);
        serde_json::from_value(serde_json::Value::Array(statements)).expect("statements")
    }

    const ACTION: &str = "updateTargets";
    const RESOURCE: &str = "proj/shop:env/staging;{critical:false}:flag/new-checkout";

    pub fn run() {
        let (before, after) = (policy(0), policy(1));
        let attrs = RoleAttributes::new();
        let comparison = compare_policies(&before, &after, &attrs, 10).expect("comparison");
        assert!(!comparison.is_equivalent());
        let decision = evaluate(&before, ACTION, RESOURCE, &attrs).expect("evaluate");
        black_box(decision);

        let mut criterion = Criterion::default().configure_from_args();
        {
            let mut group = criterion.benchmark_group("policy_compare");
            group.sample_size(10);
            group.bench_function("compare_50_statements", |b| {
                b.iter(|| compare_policies(black_box(&before), black_box(&after), &attrs, 10))
            });
            group.bench_function("evaluate_once", |b| {
                b.iter(|| {
                    evaluate(
                        black_box(&before),
                        black_box(ACTION),
                        black_box(RESOURCE),
                        &attrs,
                    )
                })
            });
            // The time to reach the work budget: the stars policy, refused.
            let stars = stars_policy();
            group.bench_function("stars_policy_to_the_bound", |b| {
                b.iter(|| compare_policies(black_box(&stars), &[], &attrs, 10))
            });
            group.finish();
        }
        criterion.final_summary();

        let compare_ns =
            time_per_call(|| compare_policies(black_box(&before), black_box(&after), &attrs, 10));
        let evaluate_ns = time_per_call(|| {
            evaluate(
                black_box(&before),
                black_box(ACTION),
                black_box(RESOURCE),
                &attrs,
            )
        });
        println!(
            "summary: compare_policies (50 vs 50 statements, {} granted and {} revoked regions) {:.2} ms; one evaluate (compiling the policy) {:.1} us; the comparison costs {:.0} evaluates",
            comparison.granted.total,
            comparison.revoked.total,
            compare_ns / 1e6,
            evaluate_ns / 1e3,
            compare_ns / evaluate_ns
        );
        bounds(compare_ns);
    }

    /// 2,000 tokens: reader and writer tokens of two writer members, alternating.
    fn base_role_tokens() -> (Vec<Token>, Vec<Member>) {
        let members = ["m1", "m2"].map(|id| {
            serde_json::from_value(serde_json::json!({"_id": id, "email": format!("{id}@example.com"), "role": "writer"}))
                .expect("member")
        });
        let tokens = (0..2_000)
            .map(|i| {
                let creator = ["m1", "m2"][i / 2 % 2];
                let role = ["reader", "writer"][i % 2];
                serde_json::from_value(serde_json::json!({
                    "_id": format!("t{i}"), "ownerId": creator, "memberId": creator,
                    "creationDate": 1, "lastModified": 1, "role": role,
                }))
                .expect("token")
            })
            .collect();
        (tokens, members.to_vec())
    }

    /// How long the analyses of hostile and repetitive input take: reaching the work budget, and an audit
    /// of many tokens that share their pairs.
    fn bounds(compare_ns: f64) {
        let stars = stars_policy();
        let attrs = RoleAttributes::new();
        let refused = compare_policies(&stars, &[], &attrs, 10).expect_err("refused");
        let bound_ns = time_per_call(|| compare_policies(black_box(&stars), &[], &attrs, 10));
        println!(
            "summary: the stars policy (805 bytes) reaches the work budget ({COMPARISON_WORK_BUDGET} units) in {:.1} ms ({refused}); {:.1} times the 50-statement comparison",
            bound_ns / 1e6,
            bound_ns / compare_ns
        );
        let (tokens, members) = base_role_tokens();
        let audit_ns =
            time_per_call(|| audit_tokens(black_box(&tokens), &members, &[], &[], 0, 10));
        println!(
            "summary: auditTokens of 2,000 base-role tokens (4 distinct pairs) {:.1} ms; {:.2} times the 50-statement comparison",
            audit_ns / 1e6,
            audit_ns / compare_ns
        );
    }

    /// Nanoseconds per call: the best of several runs of at least 200 ms.
    fn time_per_call<T>(mut f: impl FnMut() -> T) -> f64 {
        (0..5)
            .map(|_| {
                let start = Instant::now();
                let mut calls = 0u64;
                while start.elapsed().as_millis() < 200 {
                    black_box(f());
                    calls += 1;
                }
                start.elapsed().as_nanos() as f64 / calls as f64
            })
            .fold(f64::INFINITY, f64::min)
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    bench::run();
}

#[cfg(target_arch = "wasm32")]
fn main() {}
