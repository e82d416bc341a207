//! `compare_policies` against brute force: random small policies over a small alphabet (globbed names, a tag, a
//! property with values true/false/other, a view, `notResources`, `notActions`, the view rule), every fully
//! stated resource up to depth 3 over that alphabet and every action of it evaluated under both policies. The
//! analysis must report a grant (a revocation) exactly when brute force finds one, and every witness it reports
//! must be confirmed by `evaluate`.
//!
//! The alphabet is complete for the policies generated: every set of globs that some string matches is matched
//! by one of its strings (each pattern position has its own alphabet, plus a type no pattern uses there).
//!
//! `COMPARE_CASES` sets the number of random pairs (default 40, a few seconds in a debug build); run more with
//! `COMPARE_CASES=5000 cargo test --release --test compare_brute_force -- --nocapture`. `COMPARE_FIRST` numbers
//! the first pair (default 0), so that a long run can be split into chunks that together cover every pair once;
//! a run of more than 10,000 pairs prints a line every 10,000.
#![cfg(not(target_arch = "wasm32"))]

use tokengate::{
    compare_policies, evaluate, CompiledPolicy, CustomRole, Member, PolicySet, PolicySource,
    Principal, Resource, RoleAttributes, Statement, Token,
};

/// A small deterministic generator (xorshift64*), so that a failing case is reproducible from its number.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const NAME_GLOBS: &[&str] = &["a", "b", "*", "a*"];
const TAG_GLOBS: &[&str] = &["t", "*"];
const VALUE_GLOBS: &[&str] = &["true", "false", "*"];
const VIEW_GLOBS: &[&str] = &["v", "*"];
const ACTION_GLOBS: &[&str] = &[
    "*",
    "update*",
    "viewProject",
    "view*",
    "deleteFlag",
    "*Flag",
];

/// Every action of the alphabet: each set of the action globs (and view or not) that some action matches.
const ACTIONS: &[&str] = &[
    "updateOn",
    "updateFlag",
    "viewProject",
    "viewFlag",
    "viewSegment",
    "deleteFlag",
    "createFlag",
    "createSegment",
];

/// A resource specifier of depth 1 to 3: `proj` at the top, `env` below it, `flag` below that, each with a
/// globbed name; tags and views on the project, a property on the environment, tags on the flag.
fn specifier(rng: &mut Rng) -> String {
    if rng.chance(5) {
        return "*".to_string();
    }
    let depth = 1 + rng.below(3);
    let mut segments = Vec::new();
    for position in 0..depth {
        let ty = ["proj", "env", "flag"][position];
        let mut modifiers = Vec::new();
        match position {
            0 => {
                if rng.chance(30) {
                    modifiers.push(rng.pick(TAG_GLOBS).to_string());
                }
                if rng.chance(30) {
                    modifiers.push(format!("view:{}", rng.pick(VIEW_GLOBS)));
                }
            }
            1 => {
                if rng.chance(40) {
                    modifiers.push(format!("{{c:{}}}", rng.pick(VALUE_GLOBS)));
                }
            }
            _ => {
                if rng.chance(30) {
                    modifiers.push(rng.pick(TAG_GLOBS).to_string());
                }
            }
        }
        let mut segment = format!("{ty}/{}", rng.pick(NAME_GLOBS));
        if !modifiers.is_empty() {
            segment.push(';');
            segment.push_str(&modifiers.join(","));
        }
        segments.push(segment);
    }
    segments.join(":")
}

fn statement(rng: &mut Rng) -> serde_json::Value {
    let effect = if rng.chance(60) { "allow" } else { "deny" };
    let resources: Vec<String> = (0..1 + rng.below(2)).map(|_| specifier(rng)).collect();
    let actions: Vec<&str> = (0..1 + rng.below(2))
        .map(|_| rng.pick(ACTION_GLOBS))
        .collect();
    let resource_field = if rng.chance(20) {
        "notResources"
    } else {
        "resources"
    };
    let action_field = if rng.chance(20) {
        "notActions"
    } else {
        "actions"
    };
    serde_json::json!({"effect": effect, resource_field: resources, action_field: actions})
}

fn policy(rng: &mut Rng) -> Vec<serde_json::Value> {
    let mut statements: Vec<serde_json::Value> =
        (0..1 + rng.below(4)).map(|_| statement(rng)).collect();
    if rng.chance(60) {
        statements.push(serde_json::json!({
            "effect": "allow", "resources": [format!("proj/{}", rng.pick(NAME_GLOBS))], "actions": ["viewProject"]
        }));
    }
    statements
}

/// A variation of `policy`: a statement dropped, added, flipped or replaced, the same statements reordered, or
/// nothing changed.
fn mutate(rng: &mut Rng, policy: &[serde_json::Value]) -> Vec<serde_json::Value> {
    let mut out = policy.to_vec();
    let at = rng.below(out.len());
    match rng.below(6) {
        0 if out.len() > 1 => {
            out.remove(at);
        }
        1 => out.push(statement(rng)),
        2 => {
            let effect = if out[at]["effect"] == "allow" {
                "deny"
            } else {
                "allow"
            };
            out[at]["effect"] = effect.into();
        }
        3 => out[at] = statement(rng),
        4 => out.reverse(),
        _ => {}
    }
    out
}

fn statements(values: &[serde_json::Value]) -> Vec<Statement> {
    serde_json::from_value(serde_json::Value::Array(values.to_vec())).expect("statements")
}

/// Every fully stated resource of the alphabet up to depth 3: at each position the pattern type and one other,
/// names a, b, c, ab, and that position's modifiers (tags none, t or x; views v or w; the property true, false
/// or other).
fn universe() -> Vec<String> {
    let names = ["a", "b", "c", "ab"];
    let mut positions: Vec<Vec<String>> = Vec::new();
    // Position 0: proj or env, tags and views.
    let mut first = Vec::new();
    for ty in ["proj", "env"] {
        for name in names {
            for tags in ["", "t,", "x,"] {
                for view in ["v", "w"] {
                    first.push(format!("{ty}/{name};{tags}view:{view}"));
                }
            }
        }
    }
    positions.push(first);
    let mut second = Vec::new();
    for ty in ["env", "flag"] {
        for name in names {
            for value in ["true", "false", "other"] {
                second.push(format!("{ty}/{name};{{c:{value}}}"));
            }
        }
    }
    positions.push(second);
    let mut third = Vec::new();
    for ty in ["flag", "env"] {
        for name in names {
            for tags in ["", ";t", ";x"] {
                third.push(format!("{ty}/{name}{tags}"));
            }
        }
    }
    positions.push(third);
    let mut out = Vec::new();
    let mut prefixes = vec![String::new()];
    for segments in &positions {
        let mut next = Vec::new();
        for prefix in &prefixes {
            for segment in segments {
                let resource = if prefix.is_empty() {
                    segment.clone()
                } else {
                    format!("{prefix}:{segment}")
                };
                out.push(resource.clone());
                next.push(resource);
            }
        }
        prefixes = next;
    }
    out
}

fn compile(values: &[serde_json::Value]) -> PolicySet {
    let policy = CompiledPolicy::compile(
        PolicySource::statements(),
        &statements(values),
        &RoleAttributes::new(),
    )
    .expect("policy compiles");
    PolicySet::new(vec![policy])
}

/// A number from the environment, or `default`.
fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(default)
}

#[test]
fn comparison_agrees_with_brute_force() {
    let cases = env_number("COMPARE_CASES", 40);
    let first = env_number("COMPARE_FIRST", 0);
    let resources: Vec<Resource> = universe()
        .iter()
        .map(|text| Resource::parse(text).expect("universe parses"))
        .collect();
    let attrs = RoleAttributes::new();
    let (mut equivalent, mut with_grants, mut with_revocations) = (0, 0, 0);
    let (mut confirmed, mut regions) = (0, 0);
    for case in first..first + cases {
        if cases > 10_000 && case > first && (case - first) % 10_000 == 0 {
            println!(
                "compare_brute_force: {} pairs done (cases {first}..{case}), 0 disagreements",
                case - first
            );
        }
        let mut rng = Rng::new(case + 1);
        let before = policy(&mut rng);
        let after = mutate(&mut rng, &before);
        let (old, new) = (compile(&before), compile(&after));
        let (mut grant, mut revoke) = (None, None);
        'search: for resource in &resources {
            for action in ACTIONS {
                match (
                    old.is_allowed(action, resource),
                    new.is_allowed(action, resource),
                ) {
                    (false, true) => grant = grant.or(Some((*action, resource.as_str()))),
                    (true, false) => revoke = revoke.or(Some((*action, resource.as_str()))),
                    _ => {}
                }
                if grant.is_some() && revoke.is_some() {
                    break 'search;
                }
            }
        }
        let comparison = compare_policies(&statements(&before), &statements(&after), &attrs, 4)
            .unwrap_or_else(|error| panic!("case {case}: {error}"));
        let context = || {
            format!(
                "case {case}\nbefore: {}\nafter: {}\nbrute force: grant {grant:?}, revoke {revoke:?}\nanalysis: {:?}",
                serde_json::Value::Array(before.clone()),
                serde_json::Value::Array(after.clone()),
                comparison
                    .granted
                    .witnesses
                    .iter()
                    .chain(&comparison.revoked.witnesses)
                    .map(|w| format!("{} on {}", w.action, w.resource))
                    .collect::<Vec<_>>()
            )
        };
        assert_eq!(
            !comparison.granted.is_empty(),
            grant.is_some(),
            "grants disagree\n{}",
            context()
        );
        assert_eq!(
            !comparison.revoked.is_empty(),
            revoke.is_some(),
            "revocations disagree\n{}",
            context()
        );
        for (granted, side) in [(true, &comparison.granted), (false, &comparison.revoked)] {
            assert!(side.witnesses.len() == side.total.min(4), "{}", context());
            for witness in &side.witnesses {
                let was = evaluate(
                    &statements(&before),
                    &witness.action,
                    &witness.resource,
                    &attrs,
                )
                .expect("witness evaluates");
                let is = evaluate(
                    &statements(&after),
                    &witness.action,
                    &witness.resource,
                    &attrs,
                )
                .expect("witness evaluates");
                assert_eq!(
                    (was.allowed, is.allowed),
                    (!granted, granted),
                    "witness {} on {} not confirmed\n{}",
                    witness.action,
                    witness.resource,
                    context()
                );
                assert!(!was.indeterminate && !is.indeterminate, "{}", context());
                assert_eq!((&was, &is), (&witness.before, &witness.after));
                confirmed += 1;
            }
            regions += side.total;
        }
        equivalent += usize::from(comparison.is_equivalent());
        with_grants += usize::from(!comparison.granted.is_empty());
        with_revocations += usize::from(!comparison.revoked.is_empty());
    }
    println!(
        "compare_brute_force: {cases} pairs (cases {first}..{}) over {} resources x {} actions: {equivalent} equivalent, {with_grants} with grants, {with_revocations} with revocations, {regions} regions, {confirmed} witnesses confirmed, 0 disagreements",
        first + cases,
        resources.len(),
        ACTIONS.len()
    );
}

/// A custom role with a random policy.
fn random_role(id: &str, policy: &[serde_json::Value]) -> CustomRole {
    serde_json::from_value(serde_json::json!({
        "_id": id, "key": id, "name": id, "policy": policy,
    }))
    .expect("role")
}

/// `Principal::compare` against brute force: a token holding two custom roles, made by a member whose only
/// permissions are a third custom role (its cap), before and after one of the three roles changes. Roles add
/// up within a layer (a deny in one does not cancel another's allow), the view rule reads a layer's roles
/// together, and the two layers AND: the comparison must find a grant (a revocation) exactly when brute force
/// finds one, and every witness must be confirmed by the principals' own decisions.
///
/// `COMPARE_CASES` sets the number of random changes too (a quarter of it here, each holding three policies).
#[test]
fn principal_comparison_agrees_with_brute_force() {
    let cases = env_number("COMPARE_CASES", 40).div_ceil(4);
    let resources: Vec<Resource> = universe()
        .iter()
        .map(|text| Resource::parse(text).expect("universe parses"))
        .collect();
    let token: Token = serde_json::from_value(serde_json::json!({
        "_id": "t", "ownerId": "m", "memberId": "m", "creationDate": 0, "lastModified": 0,
        "customRoleIds": ["r1", "r2"], "_links": {},
    }))
    .expect("token");
    let creator: Member = serde_json::from_value(serde_json::json!({
        "_id": "m", "email": "m@example.com", "role": "no_access", "customRoles": ["cap"],
    }))
    .expect("member");
    let (mut differing, mut confirmed) = (0, 0);
    for case in 0..cases {
        let mut rng = Rng::new(1_000_000 + case);
        let before: Vec<Vec<serde_json::Value>> = (0..3).map(|_| policy(&mut rng)).collect();
        let mut after = before.clone();
        let changed = rng.below(3);
        after[changed] = mutate(&mut rng, &before[changed]);
        let roles_of = |policies: &[Vec<serde_json::Value>]| -> Vec<CustomRole> {
            ["r1", "r2", "cap"]
                .iter()
                .zip(policies)
                .map(|(id, policy)| random_role(id, policy))
                .collect()
        };
        let old = Principal::new(&token, Some(&creator), &roles_of(&before));
        let new = Principal::new(&token, Some(&creator), &roles_of(&after));
        let (mut grant, mut revoke) = (false, false);
        for resource in &resources {
            for action in ACTIONS {
                match (
                    old.is_allowed(action, resource),
                    new.is_allowed(action, resource),
                ) {
                    (false, true) => grant = true,
                    (true, false) => revoke = true,
                    _ => {}
                }
            }
        }
        let change = old
            .compare(&new, 4)
            .unwrap_or_else(|error| panic!("case {case}: {error}"));
        let context = || {
            format!(
                "case {case}: role {changed} changed\nbefore: {}\nafter: {}\nbrute force: grant {grant}, revoke {revoke}\nanalysis: {change:?}",
                serde_json::json!(before),
                serde_json::json!(after),
            )
        };
        assert_eq!(
            !change.granted.is_empty(),
            grant,
            "grants disagree\n{}",
            context()
        );
        assert_eq!(
            !change.revoked.is_empty(),
            revoke,
            "revocations disagree\n{}",
            context()
        );
        assert!(change.missing.is_empty(), "{}", context());
        // What a change grants, undoing it revokes, region for region.
        let back = new.compare(&old, 4).expect("the reverse compares too");
        assert_eq!(
            (back.granted.total, back.revoked.total),
            (change.revoked.total, change.granted.total),
            "{}",
            context()
        );
        for (granted, side) in [(true, &change.granted), (false, &change.revoked)] {
            for witness in &side.witnesses {
                let was = old.can(&witness.action, &witness.resource).expect("parses");
                let is = new.can(&witness.action, &witness.resource).expect("parses");
                assert_eq!(
                    (was.allowed, is.allowed),
                    (!granted, granted),
                    "{}",
                    context()
                );
                confirmed += 1;
            }
        }
        differing += usize::from(grant || revoke);
    }
    println!(
        "principal_comparison_agrees_with_brute_force: {cases} changes, {differing} with differences, {confirmed} witnesses confirmed, 0 disagreements"
    );
}
