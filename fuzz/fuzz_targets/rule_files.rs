//! The rule files the `rules_load` target loads for one input, shared with
//! `tests/it/fuzz_regressions.rs` so that a saved input is loaded there the way
//! the target loaded it.
//!
//! The set is kept small so that each input is cheap (parsing every built-in
//! file compiles some 60 regular expressions, which held the target to 4–12
//! inputs a second). Beside the fuzzed file go:
//! - the built-in `taxonomy.toml` (unless it is the fuzzed file);
//! - for a code file: the built-in `common.toml`, and for each other code a
//!   stand-in file with the code's fields and no rules (`RuleSet::from_texts`
//!   wants `common.toml` and a file for every code of the taxonomy);
//! - for `common.toml` or `taxonomy.toml`: one built-in code file, picked by
//!   the first byte too, so that the fuzzed file meets real rules and their
//!   examples, and stand-ins for the other codes.

use tenken::rules::{RuleSet, TAXONOMY_FILE, Taxonomy};

const COMMON: &str = "common.toml";

/// A code file with the code's fields (its name the taxonomy's) and no rules.
fn stand_in(name: &str, taxonomy: &Taxonomy) -> String {
    let code = name.strip_suffix(".toml").unwrap_or(name);
    let kind = taxonomy.name(code).unwrap_or(code);
    format!(
        "code = \"{code}\"\nname = \"{kind}\"\nexplain = \"\"\nphase = \"\"\ntechnology = \"\"\n"
    )
}

/// The files to load: `text` as the built-in file that `pick` selects
/// (`pick` modulo the number of files, in `RuleSet::built_in_texts` order),
/// and the files described above.
pub fn files_for(pick: u8, text: &str) -> Vec<(String, String)> {
    let built_in = RuleSet::built_in_texts();
    let taxonomy = Taxonomy::built_in();
    let at = usize::from(pick) % built_in.len();
    let shared = |name: &str| name == COMMON || name == TAXONOMY_FILE;
    let codes: Vec<usize> = (0..built_in.len())
        .filter(|&i| !shared(&built_in[i].0))
        .collect();
    let real =
        shared(&built_in[at].0).then(|| codes[usize::from(pick) / built_in.len() % codes.len()]);
    built_in
        .into_iter()
        .enumerate()
        .map(|(i, (name, built))| {
            let content = if i == at {
                text.to_string()
            } else if shared(&name) || Some(i) == real {
                built
            } else {
                stand_in(&name, &taxonomy)
            };
            (name, content)
        })
        .collect()
}
