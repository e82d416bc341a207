//! What a resource leaves out is unknown: every completion of the unstated facts must keep a definite
//! answer.

use crate::generator::{describe, masked_segments, Case, PROPERTY_KEYS, PROPERTY_VALUES, VIEWS};
use crate::reference;
use tokengate::Truth;

/// Each list of `lists`, once with each of `items` added: the cartesian product, one factor at a time.
fn each_with_one_of(lists: &[Vec<String>], items: &[String]) -> Vec<Vec<String>> {
    lists
        .iter()
        .flat_map(|so_far| {
            items.iter().map(move |item| {
                let mut next = so_far.clone();
                next.push(item.clone());
                next
            })
        })
        .collect()
}

/// Every way of stating what `resource` leaves out, over the generator's alphabet: each property key a
/// segment does not state gets each value, and a segment that states no views gets each single view. At most
/// 16 completions are drawn (all of them when there are fewer).
fn completions(resource: &str) -> Vec<String> {
    let glued = masked_segments(resource);
    // For each segment, the alternatives of what it could add.
    let mut choices: Vec<Vec<Vec<String>>> = Vec::new();
    for seg in &glued {
        let mut per_segment: Vec<Vec<String>> = vec![Vec::new()];
        for key in PROPERTY_KEYS {
            if !seg.contains(&format!("{{{key}:")) {
                let stated: Vec<String> = PROPERTY_VALUES
                    .iter()
                    .map(|value| format!("{{{key}:{value}}}"))
                    .collect();
                per_segment = each_with_one_of(&per_segment, &stated);
            }
        }
        if !seg.contains("view=") {
            let stated: Vec<String> = VIEWS.iter().map(|view| format!("view:{view}")).collect();
            per_segment = each_with_one_of(&per_segment, &stated);
        }
        choices.push(per_segment);
    }
    let total: usize = choices.iter().map(Vec::len).product();
    let mut out = Vec::new();
    for n in 0..total.min(16) {
        // Spread the drawn completions over the whole product.
        let mut index = if total <= 16 { n } else { n * (total / 16) };
        let mut parts = Vec::new();
        for (seg, per_segment) in glued.iter().zip(&choices) {
            let pick = &per_segment[index % per_segment.len()];
            index /= per_segment.len();
            let seg = seg.replace(";view=", ";view:").replace(",view=", ",view:");
            parts.push(match (pick.is_empty(), seg.contains(';')) {
                (true, _) => seg,
                (false, true) => format!("{seg},{}", pick.join(",")),
                (false, false) => format!("{seg};{}", pick.join(",")),
            });
        }
        out.push(parts.join(":"));
    }
    out
}

pub fn expected_truth(answer: Option<bool>) -> Truth {
    match answer {
        Some(true) => Truth::Yes,
        Some(false) => Truth::No,
        None => Truth::Unknown,
    }
}

/// "What the resource string does not state is unknown, never assumed": a definite answer must hold however
/// the unstated facts turn out. Returns how many completions were checked.
pub fn check_completions(case: &Case, truth: Truth) -> u64 {
    if truth == Truth::Unknown {
        return 0;
    }
    let mut checked = 0;
    for completed in completions(&case.resource) {
        let answer = reference::set_allows(&case.roles, &case.action, &completed);
        assert_eq!(
            expected_truth(answer),
            truth,
            "a definite answer changed once {completed:?} stated what was unknown\n{}",
            describe(case)
        );
        checked += 1;
    }
    checked
}
