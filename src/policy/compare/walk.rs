//! The strings that tell a list of globs apart: a breadth-first walk over the product of the globs' automata,
//! one shortest string per realizable set of matching globs ("signature").
//!
//! A glob is literal text with `*` wildcards, so its automaton's state after reading a string is the set of
//! pattern positions reached. Characters that appear in no glob all act alike (only a `*` takes them), so the
//! walk needs the globs' own characters plus one character none of them holds.

use super::bits::Bits;
use super::budget::{Budget, STEP_UNITS};
use crate::policy::PolicyError;
use std::collections::HashMap;

/// Characters tried, in order, as the one that appears in no glob.
const FRESH_CANDIDATES: &str = "zqxjkvwy0123456789abcdefghilmnoprstuZQXJKVWYABCDEFGHILMNOPRSTU_-.";

/// Most product states one walk may visit, and most representatives of one kind (tag or view sets, property
/// assignments, segments, prefixes, resources) a comparison may hold; past it the comparison is too large.
pub const MAX_WALK_STATES: usize = 50_000;

/// One glob as an automaton: its characters, `None` for `*` (consecutive stars as one).
struct Nfa {
    pattern: Vec<Option<char>>,
    /// Where this glob's positions start in a product state.
    offset: usize,
}

impl Nfa {
    fn new(glob: &str, offset: usize) -> Nfa {
        let mut pattern: Vec<Option<char>> = Vec::new();
        for ch in glob.chars() {
            let item = (ch != '*').then_some(ch);
            if item.is_none() && pattern.last() == Some(&None) {
                continue;
            }
            pattern.push(item);
        }
        Nfa { pattern, offset }
    }

    fn positions(&self) -> usize {
        self.pattern.len() + 1
    }

    /// Adds, for every reached position before a `*`, the position after it.
    fn close(&self, state: &mut Bits) {
        for i in 0..self.pattern.len() {
            if self.pattern[i].is_none() && state.get(self.offset + i) {
                state.set(self.offset + i + 1);
            }
        }
    }

    fn step(&self, from: &Bits, ch: char, to: &mut Bits) {
        for (i, item) in self.pattern.iter().enumerate() {
            if !from.get(self.offset + i) {
                continue;
            }
            match item {
                None => to.set(self.offset + i),
                Some(c) if *c == ch => to.set(self.offset + i + 1),
                Some(_) => {}
            }
        }
        self.close(to);
    }

    fn accepts(&self, state: &Bits) -> bool {
        state.get(self.offset + self.pattern.len())
    }
}

/// One representative string per realizable signature over `globs` (bit `i` set when `globs[i]` matches),
/// shortest first, never empty. `seeds` (valid strings, such as known action names) are preferred as the
/// representatives of their signatures. Only characters for which `valid` holds are used.
pub(super) fn representatives(
    globs: &[String],
    seeds: &[&str],
    valid: fn(char) -> bool,
    what: &str,
    budget: &mut Budget,
) -> Result<Vec<(String, Bits)>, PolicyError> {
    let mut nfas = Vec::with_capacity(globs.len());
    let mut width = 0;
    for glob in globs {
        let nfa = Nfa::new(glob, width);
        width += nfa.positions();
        nfas.push(nfa);
    }
    let mut alphabet: Vec<char> = globs
        .iter()
        .flat_map(|glob| glob.chars())
        .filter(|ch| *ch != '*' && valid(*ch))
        .collect();
    alphabet.sort_unstable();
    alphabet.dedup();
    if let Some(fresh) = FRESH_CANDIDATES
        .chars()
        .find(|ch| valid(*ch) && !alphabet.contains(ch))
    {
        alphabet.push(fresh);
    }
    // Building the automata and the alphabet reads every glob once.
    let glob_chars: u64 = globs.iter().map(|glob| glob.len() as u64).sum();
    budget.spend(STEP_UNITS + glob_chars.saturating_mul(2), what)?;
    // A step reads every position of every automaton, does more for each position the state holds (a star
    // keeps it and opens the next one), and builds, hashes and keeps a state and a signature: its cost grows
    // with the globs' total length and with how many positions are live at once, not with their number. Globs
    // with many stars keep many positions live, which is what makes a few of them as costly as thousands of
    // plain ones.
    let step_units = |state: &Bits| STEP_UNITS + width as u64 + 2 * state.count() as u64;
    let signature = |state: &Bits| {
        let mut sig = Bits::new(nfas.len());
        for (i, nfa) in nfas.iter().enumerate() {
            if nfa.accepts(state) {
                sig.set(i);
            }
        }
        sig
    };
    let step = |from: &Bits, ch: char| {
        let mut to = Bits::new(width);
        for nfa in &nfas {
            nfa.step(from, ch, &mut to);
        }
        to
    };
    let mut start = Bits::new(width);
    for nfa in &nfas {
        start.set(nfa.offset);
        nfa.close(&mut start);
    }

    let mut out: Vec<(String, Bits)> = Vec::new();
    let mut seen_signatures: HashMap<Bits, usize> = HashMap::new();
    for seed in seeds {
        if seed.is_empty() || !seed.chars().all(valid) {
            continue;
        }
        // A seed is read a character at a time, each advancing every automaton, as a step of the walk does.
        let mut state = start.clone();
        for ch in seed.chars() {
            budget.spend(step_units(&state), what)?;
            state = step(&state, ch);
        }
        let sig = signature(&state);
        if !seen_signatures.contains_key(&sig) {
            seen_signatures.insert(sig.clone(), out.len());
            out.push((seed.to_string(), sig));
        }
    }

    let mut visited: HashMap<Bits, ()> = HashMap::new();
    visited.insert(start.clone(), ());
    let mut frontier = vec![(String::new(), start)];
    while !frontier.is_empty() {
        let mut next = Vec::new();
        for (text, state) in &frontier {
            for &ch in &alphabet {
                // The string that reaches the new state is copied too.
                budget.spend(step_units(state) + text.len() as u64 / 4, what)?;
                let to = step(state, ch);
                let mut longer = text.clone();
                longer.push(ch);
                // Signatures are taken from every non-empty string reached, even one that returns to the
                // start state (`*` reads `z` and stays where it was).
                let sig = signature(&to);
                if !seen_signatures.contains_key(&sig) {
                    seen_signatures.insert(sig.clone(), out.len());
                    out.push((longer.clone(), sig));
                }
                if visited.contains_key(&to) {
                    continue;
                }
                if visited.len() >= MAX_WALK_STATES {
                    return Err(budget
                        .too_large(&format!("{what}, over {MAX_WALK_STATES} automaton states")));
                }
                visited.insert(to.clone(), ());
                next.push((longer, to));
            }
        }
        frontier = next;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reps(globs: &[&str]) -> Vec<String> {
        let globs: Vec<String> = globs.iter().map(|g| g.to_string()).collect();
        let mut budget = Budget::new(1_000_000);
        representatives(
            &globs,
            &[],
            |c| c.is_ascii_alphanumeric(),
            "test",
            &mut budget,
        )
        .unwrap()
        .into_iter()
        .map(|(text, _)| text)
        .collect()
    }

    #[test]
    fn every_signature_is_found_once() {
        // a*, *b, ab: "a" (a*), "b" (*b), "ab" (all three), "z" (none), "ba"... (*b no, a* no) = z's.
        let found = reps(&["a*", "*b", "ab"]);
        let globs = ["a*", "*b", "ab"].map(crate::policy::glob::Glob::new);
        let mut sigs: Vec<Vec<bool>> = found
            .iter()
            .map(|text| globs.iter().map(|g| g.matches(text)).collect())
            .collect();
        let count = sigs.len();
        sigs.sort();
        sigs.dedup();
        assert_eq!(sigs.len(), count, "{found:?}");
        // Realizable: {}, {a*}, {*b}, {a*,*b} (axb), {a*,*b,ab}.
        assert_eq!(count, 5, "{found:?}");
    }

    #[test]
    fn no_globs_still_gives_one_string() {
        assert_eq!(reps(&[]), ["z"]);
    }
}
