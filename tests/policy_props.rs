//! Property tests of the policy engine: compiled matching agrees with an obviously-correct reference, and the
//! algebra of policies holds (more roles never take away, more denies never give, order never matters).
#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use serde_json::Value;
use tokengate::{
    parse_action, parse_resource, validate_policy, validate_statements, CompiledPolicy, PolicySet,
    PolicySource, Resource, Truth,
};
use tokengate::{Effect, RoleAttributes, Statement};

// ---------- the reference matcher: plain recursion over strings, no compilation ----------

/// `*` matches any run of characters; everything else matches itself.
fn reference_glob(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => {
            reference_glob(rest, text) || (!text.is_empty() && reference_glob(pattern, &text[1..]))
        }
        Some((c, rest)) => text.first() == Some(c) && reference_glob(rest, &text[1..]),
    }
}

fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    reference_glob(&p, &t)
}

/// Splits `type/name;t1,t2:...` by hand (the generators only make well-formed strings).
fn reference_segments(spec: &str) -> Vec<(String, String, Vec<String>)> {
    spec.split(':')
        .map(|segment| {
            let (head, tags) = match segment.split_once(';') {
                Some((head, tags)) => (head, tags.split(',').map(str::to_string).collect()),
                None => (segment, Vec::new()),
            };
            let (ty, name) = head.split_once('/').unwrap();
            (ty.to_string(), name.to_string(), tags)
        })
        .collect()
}

fn reference_matches(pattern: &str, resource: &str) -> bool {
    let p = reference_segments(pattern);
    let r = reference_segments(resource);
    p.len() == r.len()
        && p.iter().zip(&r).all(|((pt, pn, ptags), (rt, rn, rtags))| {
            pt == rt
                && glob(pn, rn)
                && ptags
                    .iter()
                    .all(|tag| rtags.iter().any(|have| glob(tag, have)))
        })
}

// ---------- generators ----------

const TYPES: &[&str] = &["proj", "env", "flag"];

fn word(alphabet: &'static str, max: usize) -> impl Strategy<Value = String> {
    let chars: Vec<char> = alphabet.chars().collect();
    proptest::collection::vec(proptest::sample::select(chars), 1..=max)
        .prop_map(|cs| cs.into_iter().collect())
}

fn specifier(alphabet: &'static str, max_depth: usize) -> impl Strategy<Value = String> {
    let segment = (
        proptest::sample::select(TYPES),
        word(alphabet, 4),
        proptest::collection::vec(word(alphabet, 3), 0..=2),
    )
        .prop_map(|(ty, name, tags)| {
            if tags.is_empty() {
                format!("{ty}/{name}")
            } else {
                format!("{ty}/{name};{}", tags.join(","))
            }
        });
    proptest::collection::vec(segment, 1..=max_depth).prop_map(|segments| segments.join(":"))
}

/// A glob and a text made from it (each `*` filled in), sometimes with one character changed: texts that
/// match, or miss by one character anywhere, which random texts almost never do for long patterns.
fn near_miss(letters: &'static str, max: usize) -> impl Strategy<Value = (String, String)> {
    let letter_list: Vec<char> = letters.chars().collect();
    let literal = move || word(letters, max);
    (
        0..5usize,
        literal(),
        literal(),
        proptest::collection::vec(word(letters, 4), 2),
        proptest::option::of((
            any::<proptest::sample::Index>(),
            proptest::sample::select(letter_list),
        )),
    )
        .prop_map(|(shape, a, b, fillers, flip)| {
            // Every shape the compiler specialises: exact, prefix, suffix, infix, and a general glob.
            let pattern = match shape {
                0 => a.clone(),
                1 => format!("{a}*"),
                2 => format!("*{a}"),
                3 => format!("*{a}*"),
                _ => format!("{a}*{b}"),
            };
            let text = match shape {
                0 => a,
                1 => format!("{a}{}", fillers[0]),
                2 => format!("{}{a}", fillers[0]),
                3 => format!("{}{a}{}", fillers[0], fillers[1]),
                _ => format!("{a}{}{b}", fillers[0]),
            };
            let mut chars: Vec<char> = text.chars().collect();
            if let Some((at, letter)) = flip {
                let at = at.index(chars.len());
                chars[at] = letter;
            }
            (pattern, chars.into_iter().collect())
        })
}

fn pattern() -> impl Strategy<Value = String> {
    specifier("ab*", 3)
}

/// Concrete resources as a caller asks about them: without `*`, which a check refuses (`tests/hostile.rs`).
fn resource() -> impl Strategy<Value = String> {
    specifier("ab", 3)
}

/// Action globs and actions all begin with `view`: view actions are not restricted by the view rule, so these
/// properties see the statements alone (the view rule has a differential test of its own).
fn action_pattern() -> impl Strategy<Value = String> {
    word("ab*", 3).prop_map(|w| format!("view{w}"))
}

fn action() -> impl Strategy<Value = String> {
    word("ab", 3).prop_map(|w| format!("view{w}"))
}

fn statement() -> impl Strategy<Value = Statement> {
    (
        any::<bool>(),
        proptest::collection::vec(specifier("ab*", 2), 1..=2),
        any::<bool>(),
        proptest::collection::vec(action_pattern(), 1..=2),
        any::<bool>(),
    )
        .prop_map(
            |(deny, resources, not_resources, actions, not_actions)| Statement {
                resources: (!not_resources).then(|| resources.clone()),
                not_resources: not_resources.then_some(resources),
                actions: (!not_actions).then(|| actions.clone()),
                not_actions: not_actions.then_some(actions),
                effect: if deny { Effect::Deny } else { Effect::Allow },
            },
        )
}

fn statements() -> impl Strategy<Value = Vec<Statement>> {
    proptest::collection::vec(statement(), 0..=5)
}

fn compile(statements: &[Statement]) -> CompiledPolicy {
    CompiledPolicy::compile(
        PolicySource::statements(),
        statements,
        &RoleAttributes::new(),
    )
    .expect("generated policies are valid")
}

fn set(policies: &[Vec<Statement>]) -> PolicySet {
    PolicySet::new(policies.iter().map(|p| compile(p)).collect())
}

/// Segments with tags, property selectors and views: `proj/a;{c:t}:flag/b;view:v`.
fn selector_specifier(concrete: bool) -> impl Strategy<Value = String> {
    let modifier = if concrete {
        proptest::sample::select(&["t", "{c:t}", "{c:f}", "view:v", "view:w"][..])
    } else {
        proptest::sample::select(
            &[
                "t",
                "{c:t}",
                "{c:f}",
                "{c:*}",
                "view:v",
                "view:*",
                "view:${roleAttribute/views}",
            ][..],
        )
    };
    let segment = (
        proptest::sample::select(&["proj", "env", "flag"][..]),
        proptest::sample::select(if concrete {
            &["a", "b"][..]
        } else {
            &["a", "b", "*"][..]
        }),
        proptest::collection::vec(modifier, 0..=2),
    )
        .prop_map(|(ty, name, modifiers)| {
            let mut modifiers: Vec<&str> = modifiers;
            // A concrete resource states a property once.
            if modifiers.contains(&"{c:t}") {
                modifiers.retain(|m| *m != "{c:f}");
            }
            if modifiers.is_empty() {
                format!("{ty}/{name}")
            } else {
                format!("{ty}/{name};{}", modifiers.join(","))
            }
        });
    proptest::collection::vec(segment, 1..=2).prop_map(|segments| segments.join(":"))
}

fn selector_statements() -> impl Strategy<Value = Vec<Statement>> {
    let statement = (
        any::<bool>(),
        proptest::collection::vec(selector_specifier(false), 1..=2),
        any::<bool>(),
        proptest::collection::vec(
            proptest::sample::select(&["*", "viewProject", "update*", "updateOn"][..]),
            1..=2,
        ),
    )
        .prop_map(|(deny, resources, not_resources, actions)| Statement {
            resources: (!not_resources).then(|| resources.clone()),
            not_resources: not_resources.then_some(resources),
            actions: Some(actions.into_iter().map(str::to_string).collect()),
            not_actions: None,
            effect: if deny { Effect::Deny } else { Effect::Allow },
        });
    proptest::collection::vec(statement, 0..=4)
}

fn selector_set(roles: &[Vec<Statement>]) -> PolicySet {
    let mut attrs = RoleAttributes::new();
    attrs.insert("views".into(), vec!["w".into()]);
    PolicySet::new(
        roles
            .iter()
            .map(|p| CompiledPolicy::compile(PolicySource::inline(), p, &attrs).unwrap())
            .collect(),
    )
}

/// An action, a resource that states its properties and views, and the same resource with some of its
/// property selectors and views left out (tags stay: a tag not written is absent, not unknown).
fn selector_check() -> impl Strategy<Value = (String, String, String)> {
    let segment = (
        proptest::sample::select(&["proj", "env", "flag"][..]),
        proptest::sample::select(&["a", "b"][..]),
        proptest::collection::vec(
            (
                proptest::sample::select(&["t", "{c:t}", "{c:f}", "view:v", "view:w"][..]),
                any::<bool>(),
            ),
            0..=3,
        ),
    );
    (
        proptest::sample::select(&["viewProject", "updateOn", "deleteFlag"][..]),
        proptest::collection::vec(segment, 1..=2),
    )
        .prop_map(|(action, segments)| {
            let mut stated = Vec::new();
            let mut dropped = Vec::new();
            for (ty, name, mut modifiers) in segments {
                // A concrete resource states a property once.
                if modifiers.iter().any(|(m, _)| *m == "{c:t}") {
                    modifiers.retain(|(m, _)| *m != "{c:f}");
                }
                let write = |keep: &dyn Fn(&(&str, bool)) -> bool| {
                    let kept: Vec<&str> = modifiers
                        .iter()
                        .filter(|m| keep(m))
                        .map(|(m, _)| *m)
                        .collect();
                    if kept.is_empty() {
                        format!("{ty}/{name}")
                    } else {
                        format!("{ty}/{name};{}", kept.join(","))
                    }
                };
                // A segment that names views names all of them: its views are left out together or not at all.
                let keep_views = modifiers
                    .iter()
                    .find(|(m, _)| m.starts_with("view"))
                    .is_some_and(|(_, keep)| *keep);
                stated.push(write(&|_| true));
                dropped.push(write(&|(m, keep)| {
                    *m == "t"
                        || if m.starts_with("view") {
                            keep_views
                        } else {
                            *keep
                        }
                }));
            }
            (action.to_string(), stated.join(":"), dropped.join(":"))
        })
}

fn check() -> impl Strategy<Value = (String, String)> {
    (action(), specifier("ab", 2))
}

/// A JSON value biased towards policy shapes.
fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        prop_oneof![
            Just("allow".to_string()),
            Just("deny".to_string()),
            Just("proj/*".to_string()),
            Just("proj/${roleAttribute/x}:env/*;t".to_string()),
            Just("*".to_string()),
            any::<String>(),
            "[a-z/:;,*${}]{0,12}",
        ]
        .prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::vec(
                (
                    prop_oneof![
                        Just("effect".to_string()),
                        Just("resources".to_string()),
                        Just("notResources".to_string()),
                        Just("actions".to_string()),
                        Just("notActions".to_string()),
                        "[a-z~/]{1,6}",
                    ],
                    inner
                ),
                0..6
            )
            .prop_map(|pairs| Value::Object(pairs.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn compiled_matching_agrees_with_the_reference(pattern in pattern(), resource in resource()) {
        let policy = compile(&[Statement::allow([pattern.clone()], ["*"])]);
        let parsed = Resource::parse(&resource).unwrap();
        // A view action, so that the view rule (tested on its own) does not refuse what the pattern matches.
        let compiled = PolicySet::new(vec![policy]).is_allowed("viewx", &parsed);
        prop_assert_eq!(compiled, reference_matches(&pattern, &resource), "{} vs {}", pattern, resource);
    }

    #[test]
    fn action_globs_agree_with_the_reference(pattern in action_pattern(), action in action()) {
        let policy = compile(&[Statement::allow(["env/*"], [pattern.clone()])]);
        let allowed = PolicySet::new(vec![policy]).is_allowed(&action, &Resource::parse("env/x").unwrap());
        prop_assert_eq!(allowed, glob(&pattern, &action));
    }

    #[test]
    fn long_names_and_actions_agree_with_the_reference(
        name_pattern in word("aé*", 24),
        name in word("aé", 24),
        action_pattern in word("ab*", 24),
        action in word("ab", 24),
    ) {
        // Long strings over tiny alphabets: keys cover 16 bytes, so this reaches the full comparisons too.
        let pattern = format!("env/{name_pattern}");
        let resource = format!("env/{name}");
        let policy = compile(&[Statement::allow([pattern.clone()], [action_pattern.clone()])]);
        let allowed = PolicySet::new(vec![policy]).is_allowed(&action, &Resource::parse(&resource).unwrap());
        prop_assert_eq!(allowed, glob(&name_pattern, &name) && glob(&action_pattern, &action));
    }

    #[test]
    fn near_misses_agree_with_the_reference(
        (pattern, text) in near_miss("aé", 30),
        (action_pattern, action) in near_miss("ab", 30),
    ) {
        let policy = compile(&[Statement::allow([format!("env/{pattern}")], [action_pattern.clone()])]);
        let resource = Resource::parse(&format!("env/{text}")).unwrap();
        let allowed = PolicySet::new(vec![policy]).is_allowed(&action, &resource);
        prop_assert_eq!(allowed, glob(&pattern, &text) && glob(&action_pattern, &action));
    }

    #[test]
    fn not_lists_are_complements(pattern in pattern(), resource in resource(), ap in action_pattern(), a in action()) {
        let positive = compile(&[Statement::allow([pattern.clone()], [ap.clone()])]);
        let negative = compile(&[Statement {
            resources: None,
            not_resources: Some(vec![pattern.clone()]),
            actions: None,
            not_actions: Some(vec![ap.clone()]),
            effect: Effect::Allow,
        }]);
        let r = Resource::parse(&resource).unwrap();
        let resource_hit = reference_matches(&pattern, &resource);
        let action_hit = glob(&ap, &a);
        prop_assert_eq!(PolicySet::new(vec![positive]).is_allowed(&a, &r), resource_hit && action_hit);
        prop_assert_eq!(PolicySet::new(vec![negative]).is_allowed(&a, &r), !resource_hit && !action_hit);
    }

    #[test]
    fn adding_a_role_never_removes_a_permission(
        roles in proptest::collection::vec(statements(), 0..=3),
        extra in statements(),
        (action, resource) in check(),
    ) {
        let r = Resource::parse(&resource).unwrap();
        let before = set(&roles).is_allowed(&action, &r);
        let mut more = roles.clone();
        more.push(extra);
        let after = set(&more).is_allowed(&action, &r);
        prop_assert!(!before || after);
    }

    #[test]
    fn adding_a_deny_never_adds_a_permission(
        roles in proptest::collection::vec(statements(), 1..=3),
        deny in statement(),
        which in any::<proptest::sample::Index>(),
        (action, resource) in check(),
    ) {
        let r = Resource::parse(&resource).unwrap();
        let before = set(&roles).is_allowed(&action, &r);
        let mut with_deny = roles.clone();
        let target = which.index(with_deny.len());
        with_deny[target].push(Statement { effect: Effect::Deny, ..deny });
        let after = set(&with_deny).is_allowed(&action, &r);
        prop_assert!(before || !after);
    }

    #[test]
    fn statement_order_never_changes_a_decision(
        (original, shuffled) in statements().prop_flat_map(|s| (Just(s.clone()), Just(s).prop_shuffle())),
        (action, resource) in check(),
    ) {
        let r = Resource::parse(&resource).unwrap();
        let a = set(std::slice::from_ref(&original)).decide(&action, &r);
        let b = set(std::slice::from_ref(&shuffled)).decide(&action, &r);
        prop_assert_eq!(a.allowed, b.allowed);
        prop_assert_eq!(a.effect, b.effect);
        prop_assert_eq!(a.matched.len(), b.matched.len());
    }

    #[test]
    fn decide_agrees_with_is_allowed(
        roles in proptest::collection::vec(statements(), 0..=3),
        (action, resource) in check(),
    ) {
        let r = Resource::parse(&resource).unwrap();
        let s = set(&roles);
        prop_assert_eq!(s.is_allowed(&action, &r), s.decide(&action, &r).allowed);
    }

    #[test]
    fn an_unstated_property_or_view_never_turns_a_deny_into_an_allow(
        roles in proptest::collection::vec(selector_statements(), 1..=3),
        (action, stated, dropped) in selector_check(),
    ) {
        // `stated` says everything; `dropped` leaves some of it out. A definite answer about `dropped` must be
        // the answer about `stated`: leaving a fact out can only make the answer unknown.
        let s = selector_set(&roles);
        let full = s.truth(&action, &Resource::parse(&stated).unwrap());
        let partial = s.truth(&action, &Resource::parse(&dropped).unwrap());
        prop_assert!(partial == Truth::Unknown || partial == full, "{} vs {}: {:?} / {:?}", stated, dropped, full, partial);
        if full == Truth::No {
            prop_assert!(partial != Truth::Yes);
        }
    }

    #[test]
    fn a_role_with_attributes_of_its_own_never_removes_a_permission(
        roles in proptest::collection::vec(selector_statements(), 0..=2),
        extra in selector_statements(),
        team_views in proptest::collection::vec(proptest::sample::select(&["v", "w", "x"][..]), 0..=2),
        (action, stated, _) in selector_check(),
    ) {
        // A role granted through a team is filled from the team's attributes, beside the member's roles.
        let r = Resource::parse(&stated).unwrap();
        let before = selector_set(&roles);
        let mut team = RoleAttributes::new();
        team.insert("views".into(), team_views.iter().map(|v| v.to_string()).collect());
        let mut after = selector_set(&roles);
        after.push(CompiledPolicy::compile(PolicySource::inline(), &extra, &team).unwrap());
        prop_assert!(before.truth(&action, &r) <= after.truth(&action, &r));
    }

    #[test]
    fn generated_policies_have_no_errors(policy in statements()) {
        let errors: Vec<_> = validate_statements(&policy)
            .into_iter()
            .filter(|d| d.severity == tokengate::Severity::Error)
            .collect();
        prop_assert!(errors.is_empty(), "{:?}", errors);
    }

    #[test]
    fn parsers_never_panic_and_spans_stay_inside(text in any::<String>()) {
        let length = text.chars().count();
        for err in [Resource::parse(&text).err(), parse_resource(&text).err(), parse_action(&text).err()]
            .into_iter()
            .flatten()
        {
            prop_assert!(err.span.start <= err.span.end && err.span.end <= length, "{:?} in {:?}", err, text);
            prop_assert!(!err.message.is_empty());
        }
        let statement = Statement::allow([text.clone()], [text.clone()]);
        let _ = CompiledPolicy::compile(PolicySource::inline(), &[statement], &RoleAttributes::new());
    }

    #[test]
    fn grammar_like_strings_never_panic(text in "[a-z*/:;,${}A-Z é-]{0,24}") {
        let length = text.chars().count();
        if let Err(err) = parse_resource(&text) {
            prop_assert!(err.span.end <= length);
        }
        if let Ok(resource) = Resource::parse(&text) {
            prop_assert_eq!(resource.as_str(), text.as_str());
        }
    }

    #[test]
    fn validator_never_panics_on_any_json(value in json()) {
        for d in validate_policy(&value) {
            prop_assert!(d.path.is_empty() || d.path.starts_with('/'));
        }
        if let Ok(statements) = serde_json::from_value::<Vec<Statement>>(value) {
            let compiled = CompiledPolicy::compile(PolicySource::inline(), &statements, &RoleAttributes::new());
            let errors = validate_statements(&statements)
                .into_iter()
                .any(|d| d.severity == tokengate::Severity::Error);
            // Compilation fails exactly when validation finds an error.
            prop_assert_eq!(compiled.is_err(), errors);
        }
    }
}
