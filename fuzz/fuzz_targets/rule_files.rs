//! The rule files the `rules_load` target loads for one input, shared with
//! `tests/it/fuzz_regressions.rs` so that a saved input is loaded there the way
//! the target loaded it.
//!
//! The set is kept small so that each input is cheap (parsing every built-in
//! file compiles some 60 regular expressions, which held the target to 4–12
//! inputs a second). Beside the fuzzed file go:
//! - for a code file: the built-in `common.toml`, and for each other code a
//!   stand-in file with the code's fields and no rules (`RuleSet::from_texts`
//!   wants `common.toml` and a file for every code);
//! - for `common.toml`: one built-in code file, picked by the first byte too,
//!   so that the shared expressions meet real rules and their examples, and
//!   stand-ins for the other codes.

use tenken::rules::{RuleSet, TAXONOMY};

const COMMON: &str = "common.toml";

/// A code file with the code's fields (its name the taxonomy's) and no rules.
fn stand_in(name: &str) -> String {
    let code = name.strip_suffix(".toml").unwrap_or(name);
    let kind = TAXONOMY
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, kind)| *kind);
    format!(
        "code = \"{code}\"\nname = \"{kind}\"\nexplain = \"\"\nphase = \"\"\ntechnology = \"\"\n"
    )
}

/// The files to load: `text` as the built-in file that `pick` selects
/// (`pick` modulo the number of files, in `RuleSet::built_in_texts` order),
/// and the files described above.
pub fn files_for(pick: u8, text: &str) -> Vec<(String, String)> {
    let built_in = RuleSet::built_in_texts();
    let at = usize::from(pick) % built_in.len();
    let codes: Vec<usize> = (0..built_in.len())
        .filter(|&i| built_in[i].0 != COMMON)
        .collect();
    let real =
        (built_in[at].0 == COMMON).then(|| codes[usize::from(pick) / built_in.len() % codes.len()]);
    built_in
        .into_iter()
        .enumerate()
        .map(|(i, (name, built))| {
            let content = if i == at {
                text.to_string()
            } else if name == COMMON || Some(i) == real {
                built
            } else {
                stand_in(&name)
            };
            (name, content)
        })
        .collect()
}
