//! Representative resources: one fully stated resource per realizable combination of resource patterns that
//! match it, built segment by segment.
//!
//! A segment's match against a pattern segment depends on its type, its name, its tags (a set), the value of
//! each property a pattern names, and its views (a set). Names and values come from walks over the globs that
//! apply at that position; tag and view sets are unions of what single tags or views match. Segments are
//! deduplicated by which pattern segments they match, prefixes by which patterns are still alive.

use super::bits::Bits;
use super::budget::{segment_units, Budget, STEP_UNITS};
use super::walk::{representatives, MAX_WALK_STATES};
use crate::policy::matcher::{ResourcePattern, SegmentPattern};
use crate::policy::specifier::NAMELESS_TYPES;
use crate::policy::{PolicyError, Resource, Truth, KNOWN_RESOURCE_TYPES};
use std::collections::HashMap;

/// Characters a concrete name, tag, property value or view key may hold.
fn key_char(ch: char) -> bool {
    !(ch.is_whitespace()
        || ch.is_control()
        || matches!(ch, '/' | ',' | ';' | '$' | '{' | '}' | ':'))
}

/// Fails once a list of representatives of one kind outgrows [`MAX_WALK_STATES`], so that memory stays bounded
/// whatever the budget allows.
fn check_size(len: usize, budget: &Budget, stage: &str) -> Result<(), PolicyError> {
    if len > MAX_WALK_STATES {
        return Err(budget.too_large(&format!("{stage}, over {MAX_WALK_STATES} representatives")));
    }
    Ok(())
}

/// A representative resource: its text, parsed.
pub(super) struct Representative {
    pub(super) text: String,
    pub(super) resource: Resource,
}

/// What building, combining or hashing a set of `width` members costs (its words), beyond a step's fixed part.
fn set_units(width: usize) -> u64 {
    1 + width as u64 / 64
}

/// The segmented patterns of both policies, numbered.
struct Patterns<'p> {
    list: Vec<&'p [SegmentPattern]>,
}

impl Patterns<'_> {
    fn width(&self) -> usize {
        self.list.len()
    }

    fn deepest(&self) -> usize {
        self.list.iter().map(|p| p.len()).max().unwrap_or(0)
    }

    /// Patterns with exactly `depth` segments.
    fn of_depth(&self, depth: usize) -> Bits {
        let mut bits = Bits::new(self.width());
        for (i, p) in self.list.iter().enumerate() {
            if p.len() == depth {
                bits.set(i);
            }
        }
        bits
    }

    /// Patterns with more than `depth` segments.
    fn deeper_than(&self, depth: usize) -> Bits {
        let mut bits = Bits::new(self.width());
        for (i, p) in self.list.iter().enumerate() {
            if p.len() > depth {
                bits.set(i);
            }
        }
        bits
    }
}

/// One representative segment: its text and which patterns' segment at its position it matches; at
/// position 0 also whether it is a project.
struct Segment {
    text: String,
    matches: Bits,
    is_project: bool,
}

/// Every representative resource of every depth from 1 to one past the deepest pattern.
pub(super) fn representative_resources<'p>(
    patterns: impl Iterator<Item = &'p ResourcePattern>,
    budget: &mut Budget,
) -> Result<Vec<Representative>, PolicyError> {
    let patterns = Patterns {
        list: patterns.filter_map(ResourcePattern::segments).collect(),
    };
    let deepest = patterns.deepest();
    let mut out = Vec::new();
    // A prefix: its text, the patterns whose first segments it matches so far, the depth-1 patterns its first
    // segment matches (the view rule asks them), and whether it lies in a project.
    let first = segments_at(&patterns, 0, budget)?;
    let depth_one = patterns.of_depth(1);
    let mut prefixes: Vec<(String, Bits, Bits, bool)> = first
        .into_iter()
        .map(|s| {
            let view = s.matches.and(&depth_one);
            (s.text, s.matches, view, s.is_project)
        })
        .collect();
    for depth in 1..=deepest + 1 {
        let stage = format!("resources of depth {depth}");
        // Emit the resources of this depth, one per combination of the patterns of this depth that match.
        let exact = patterns.of_depth(depth);
        let mut emitted: HashMap<(Bits, Bits, bool), ()> = HashMap::new();
        // Each prefix's sets are combined and hashed; each resource kept is parsed.
        let per_prefix = STEP_UNITS + 2 * set_units(patterns.width());
        for (text, alive, view, project) in &prefixes {
            budget.spend(per_prefix, &stage)?;
            let key = (alive.and(&exact), view.clone(), *project);
            if emitted.insert(key, ()).is_none() {
                budget.spend(STEP_UNITS + text.len() as u64, &stage)?;
                let resource = Resource::parse(text).map_err(|_| budget.too_large(&stage))?;
                out.push(Representative {
                    text: text.clone(),
                    resource,
                });
                check_size(out.len(), budget, &stage)?;
            }
        }
        if depth == deepest + 1 {
            break;
        }
        // Extend the prefixes that differ in what deeper patterns could still match.
        let deeper = patterns.deeper_than(depth);
        let mut kept: HashMap<(Bits, Bits, bool), ()> = HashMap::new();
        let mut distinct = Vec::new();
        for (text, alive, view, project) in prefixes {
            budget.spend(per_prefix, &stage)?;
            let alive = alive.and(&deeper);
            if kept
                .insert((alive.clone(), view.clone(), project), ())
                .is_none()
            {
                distinct.push((text, alive, view, project));
            }
        }
        let next = segments_at(&patterns, depth, budget)?;
        let mut extended = Vec::new();
        let mut seen: HashMap<(Bits, Bits, bool), ()> = HashMap::new();
        for (text, alive, view, project) in &distinct {
            for segment in &next {
                budget.spend(per_prefix, &stage)?;
                let alive = alive.and(&segment.matches);
                if seen
                    .insert((alive.clone(), view.clone(), *project), ())
                    .is_none()
                {
                    // A new prefix: its text is built.
                    budget.spend(
                        STEP_UNITS + (text.len() + segment.text.len()) as u64 / 4,
                        &stage,
                    )?;
                    extended.push((
                        format!("{text}:{}", segment.text),
                        alive,
                        view.clone(),
                        *project,
                    ));
                    check_size(extended.len(), budget, &stage)?;
                }
            }
        }
        prefixes = extended;
    }
    Ok(out)
}

/// The representative segments at `position`: one per realizable set of the pattern segments there that match.
fn segments_at(
    patterns: &Patterns<'_>,
    position: usize,
    budget: &mut Budget,
) -> Result<Vec<Segment>, PolicyError> {
    let stage = format!("segments at position {}", position + 1);
    let at: Vec<(usize, &SegmentPattern)> = patterns
        .list
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.get(position).map(|s| (i, s)))
        .collect();
    // Finding the patterns that reach this position reads each once.
    budget.spend(patterns.width() as u64, &stage)?;
    let mut types: Vec<String> = Vec::new();
    if position == 0 {
        types.push("proj".to_string());
    }
    for (_, segment) in &at {
        let ty = segment.resource_type().to_string();
        if !types.contains(&ty) {
            types.push(ty);
        }
    }
    // One type no pattern uses here, so that "none of them" is represented.
    let unused = KNOWN_RESOURCE_TYPES
        .iter()
        .map(|ty| ty.to_string())
        .chain((0..).map(|n| format!("other{n}")))
        .find(|ty| !types.contains(ty))
        .unwrap_or_default();
    types.push(unused);

    let mut out: Vec<Segment> = Vec::new();
    let mut seen: HashMap<(Bits, bool), ()> = HashMap::new();
    for ty in &types {
        budget.spend(at.len() as u64, &stage)?;
        let relevant: Vec<(usize, &SegmentPattern)> = at
            .iter()
            .filter(|(_, s)| s.resource_type() == ty)
            .copied()
            .collect();
        // Each combination below is matched against every relevant pattern segment, reading its globs.
        let matching: u64 = relevant.iter().map(|(_, s)| segment_units(s)).sum();
        let per_combination = 2 * (STEP_UNITS + matching) + set_units(patterns.width());
        let names = names_for(ty, &relevant, budget, &stage)?;
        let tags = tag_sets(&relevant, budget, &stage)?;
        let properties = property_sets(&relevant, budget, &stage)?;
        let views = view_sets(&relevant, budget, &stage)?;
        for name in &names {
            for tags in &tags {
                for properties in &properties {
                    for views in &views {
                        // Each combination is rendered, parsed and matched against every relevant pattern.
                        let text = render(ty, name.as_deref(), tags, properties, views);
                        budget.spend(per_combination + text.len() as u64, &stage)?;
                        let resource =
                            Resource::parse(&text).map_err(|_| budget.too_large(&stage))?;
                        let mut matches = Bits::new(patterns.width());
                        for (i, pattern) in &relevant {
                            let truth = pattern.matches_segment(&resource, 0);
                            debug_assert_ne!(truth, Truth::Unknown, "{text}");
                            if truth == Truth::Yes {
                                matches.set(*i);
                            }
                        }
                        let is_project = position == 0 && ty == "proj";
                        if seen.insert((matches.clone(), is_project), ()).is_none() {
                            out.push(Segment {
                                text,
                                matches,
                                is_project,
                            });
                            check_size(out.len(), budget, &stage)?;
                        }
                    }
                }
            }
        }
    }
    Ok(out)
}

/// `type/name;tag,{key:value},view:key`.
fn render(
    ty: &str,
    name: Option<&str>,
    tags: &[String],
    properties: &[(String, String)],
    views: &[String],
) -> String {
    let mut text = ty.to_string();
    if let Some(name) = name {
        text.push('/');
        text.push_str(name);
    }
    let modifiers: Vec<String> = tags
        .iter()
        .cloned()
        .chain(properties.iter().map(|(k, v)| format!("{{{k}:{v}}}")))
        .chain(views.iter().map(|v| format!("view:{v}")))
        .collect();
    if !modifiers.is_empty() {
        text.push(';');
        text.push_str(&modifiers.join(","));
    }
    text
}

fn distinct_patterns<'g>(
    globs: impl Iterator<Item = &'g crate::policy::glob::Glob>,
) -> Vec<String> {
    // A set beside the list: a policy may hold a hundred thousand globs, so no quadratic search.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    let mut out: Vec<String> = Vec::new();
    for glob in globs {
        let pattern = glob.pattern();
        if seen.insert(pattern.clone()) {
            out.push(pattern);
        }
    }
    out
}

/// The names to try: the walk's representatives over every name alternative, and no name for a nameless type.
fn names_for(
    ty: &str,
    relevant: &[(usize, &SegmentPattern)],
    budget: &mut Budget,
    stage: &str,
) -> Result<Vec<Option<String>>, PolicyError> {
    let globs = distinct_patterns(
        relevant
            .iter()
            .filter_map(|(_, s)| s.name_globs())
            .flatten(),
    );
    let mut names: Vec<Option<String>> = Vec::new();
    if NAMELESS_TYPES.contains(&ty) {
        names.push(None);
    }
    for (name, _) in representatives(&globs, &[], key_char, stage, budget)? {
        names.push(Some(name));
    }
    Ok(names)
}

/// Unions of the signatures of single strings over `globs`: each a set of strings and the globs they match
/// together. With `include_empty`, the empty set (no strings) is one of them.
fn union_sets(
    globs: &[String],
    include_empty: bool,
    budget: &mut Budget,
    stage: &str,
) -> Result<Vec<Vec<String>>, PolicyError> {
    let singles = representatives(globs, &[], key_char, stage, budget)?;
    let mut sets: Vec<(Bits, Vec<String>)> = Vec::new();
    let mut seen: HashMap<Bits, ()> = HashMap::new();
    if include_empty {
        let empty = Bits::new(globs.len());
        seen.insert(empty.clone(), ());
        sets.push((empty, Vec::new()));
    }
    for (text, sig) in singles {
        let count = sets.len();
        let mut additions = Vec::new();
        if seen.insert(sig.clone(), ()).is_none() {
            additions.push((sig.clone(), vec![text.clone()]));
        }
        for (union, members) in sets.iter().take(count) {
            budget.spend(2 * set_units(globs.len()), stage)?;
            let joined = union.or(&sig);
            if seen.insert(joined.clone(), ()).is_none() {
                // A new set: its members are copied.
                budget.spend(STEP_UNITS * (1 + members.len() as u64), stage)?;
                let mut members = members.clone();
                members.push(text.clone());
                additions.push((joined, members));
            }
        }
        sets.extend(additions);
        check_size(sets.len(), budget, stage)?;
    }
    Ok(sets.into_iter().map(|(_, members)| members).collect())
}

/// The tag sets to try (the empty set included).
fn tag_sets(
    relevant: &[(usize, &SegmentPattern)],
    budget: &mut Budget,
    stage: &str,
) -> Result<Vec<Vec<String>>, PolicyError> {
    let globs = distinct_patterns(relevant.iter().flat_map(|(_, s)| s.tag_globs().iter()));
    if globs.is_empty() {
        return Ok(vec![Vec::new()]);
    }
    union_sets(&globs, true, budget, stage)
}

/// The view sets to try: none when no pattern here selects on views, else non-empty sets (stating no view
/// would leave the answer unknown).
fn view_sets(
    relevant: &[(usize, &SegmentPattern)],
    budget: &mut Budget,
    stage: &str,
) -> Result<Vec<Vec<String>>, PolicyError> {
    if relevant.iter().all(|(_, s)| s.view_globs().is_empty()) {
        return Ok(vec![Vec::new()]);
    }
    let globs = distinct_patterns(
        relevant
            .iter()
            .flat_map(|(_, s)| s.view_globs().iter())
            .flat_map(|alternatives| alternatives.iter()),
    );
    union_sets(&globs, false, budget, stage)
}

/// The property assignments to try: every property a pattern here names, each with one value per signature
/// over that property's value globs.
fn property_sets(
    relevant: &[(usize, &SegmentPattern)],
    budget: &mut Budget,
    stage: &str,
) -> Result<Vec<Vec<(String, String)>>, PolicyError> {
    let mut keys: Vec<String> = Vec::new();
    for (_, segment) in relevant {
        for (key, _) in segment.property_globs() {
            if !keys.iter().any(|k| **k == **key) {
                keys.push(key.to_string());
            }
        }
    }
    let mut sets: Vec<Vec<(String, String)>> = vec![Vec::new()];
    for key in keys {
        let globs = distinct_patterns(
            relevant
                .iter()
                .flat_map(|(_, s)| s.property_globs().iter())
                .filter(|(k, _)| **k == *key)
                .map(|(_, glob)| glob),
        );
        let values = representatives(&globs, &[], key_char, stage, budget)?;
        let mut next = Vec::new();
        for set in &sets {
            for (value, _) in &values {
                budget.spend(STEP_UNITS * (1 + set.len() as u64), stage)?;
                let mut set = set.clone();
                set.push((key.clone(), value.clone()));
                next.push(set);
                check_size(next.len(), budget, stage)?;
            }
        }
        sets = next;
    }
    Ok(sets)
}
