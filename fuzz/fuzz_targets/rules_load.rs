//! The rule loader: the TOML text of one rule file, parsed as one of the
//! built-in files (the first byte picks which: `common.toml` or a code file)
//! with the other built-in files beside it.
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
    let mut files = RuleSet::built_in_texts();
    let at = usize::from(pick) % files.len();
    files[at].1 = text.to_string();
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
    let Ok(matcher) = Matcher::new(&rules, Some(tokenizer.clone())) else {
        return;
    };
    for rule in &rules.rules {
        let _ = matcher.fires(&rule.id, SENTENCE);
    }
    if let Ok(document) = read_bytes(DOCUMENT.as_bytes(), "fuzz.txt") {
        let _ = matcher.scan(&document);
    }
    let _ = check_examples(&rules, &matcher);
});
