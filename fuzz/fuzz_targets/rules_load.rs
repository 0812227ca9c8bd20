//! The rule loader: the TOML text of one rule file, parsed as one of the
//! built-in files (the first byte picks which: `common.toml`, a code file or
//! `taxonomy.toml`) in a small set of files (`rule_files.rs`: the built-in
//! `common.toml` and `taxonomy.toml` and stand-ins without rules for the
//! other codes).
//!
//! Loading must not panic; every error must be one line naming the file; and
//! a rule set that loads must be usable: the matcher compiles and runs over a
//! short sentence, a small document and every rule's own examples.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tenken::matching::{Matcher, check_examples};
use tenken::reading::read_bytes;
use tenken::rules::RuleSet;
use tenken::tokenizing::Tokenizer;

mod rule_files;

static TOKENIZER: std::sync::OnceLock<Option<Tokenizer>> = std::sync::OnceLock::new();

const SENTENCE: &str =
    "申請者は、申請書を町長に提出し、その写しを事務所の見やすい場所に掲示しなければならない。";

const DOCUMENT: &str = "つばき町公告式条例\n第一条　町長は、公告を掲示場に掲示しなければならない。\n２　前項の書類は、押印して提出するものとする。\n";

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let files = rule_files::files_for(pick, text);
    let rules = match RuleSet::from_texts(&files, "fuzz") {
        Ok(rules) => rules,
        Err(errors) => {
            assert!(!errors.is_empty(), "an error without a message");
            for error in errors {
                let line = error.to_string();
                assert!(
                    !line.contains('\n'),
                    "error on more than one line: {line:?}"
                );
                assert!(!error.file.is_empty(), "error without a file: {line}");
            }
            return;
        }
    };
    // The dictionary is opened once for the whole run.
    let Some(tokenizer) = TOKENIZER.get_or_init(|| Tokenizer::new().ok()) else {
        return;
    };
    let matcher = match Matcher::new(&rules, Some(tokenizer.clone())) {
        Ok(matcher) => matcher,
        Err(e) => panic!("a rule set that loads has no matcher: {e}"),
    };
    for rule in &rules.rules {
        if let Err(e) = matcher.fires(&rule.id, SENTENCE) {
            panic!("rule {} cannot run on a plain sentence: {e}", rule.id);
        }
    }
    if let Ok(document) = read_bytes(DOCUMENT.as_bytes(), "fuzz.txt")
        && let Err(e) = matcher.scan(&document)
    {
        panic!("the rules cannot scan a small document: {e}");
    }
    // The examples are fuzzed text: an error segmenting them is an outcome,
    // but an example that fails names its rule's file.
    if let Ok(failed) = check_examples(&rules, &matcher) {
        for error in failed {
            assert!(
                !error.file.is_empty(),
                "example error without a file: {error}"
            );
        }
    }
});
