//! Inputs that once crashed or hung a reader (found by the fuzz targets in
//! `fuzz/`, or made by hand to be nasty): each must come back from
//! `read_bytes`, as a document or as an error, without panicking.
//!
//! The saved inputs live in `tests/fuzz_regressions/*.bin` (rule files for
//! the `rules_load` target in `tests/fuzz_regressions/rules/*.bin`); the large ones
//! (megabytes of nesting or of one line) are generated here instead of being
//! committed.

use std::path::Path;
use std::time::{Duration, Instant};

use tenken::reading::read_bytes;

use crate::common;

/// Reads one input and reports how long it took.
fn read(name: &str, bytes: &[u8]) -> Duration {
    let started = Instant::now();
    let outcome = match read_bytes(bytes, name) {
        Ok(doc) => format!("{} provisions", doc.walk().len()),
        Err(e) => format!("error: {e}"),
    };
    let took = started.elapsed();
    eprintln!("{name}: {} bytes in {took:.2?}: {outcome}", bytes.len());
    took
}

#[test]
fn saved_inputs_return() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/fuzz_regressions exists")
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "bin"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", folder.display());
    for path in paths {
        let bytes = std::fs::read(&path).expect("readable input");
        read(&path.display().to_string(), &bytes);
    }
}

const DEEP: usize = 100_000;

/// html5ever's tree builder walks its stack of open elements for every block
/// start tag, so parsing takes time quadratic in the nesting depth: 10,000
/// levels take 0.25 s in a release build, 100,000 about 20 s. Real pages nest
/// a few dozen levels; the test keeps to a depth that takes about a second
/// in a debug build.
const DEEP_HTML: usize = 5_000;

fn nested_html(depth: usize) -> Vec<(&'static str, String)> {
    let open = "<div>".repeat(depth);
    let close = "</div>".repeat(depth);
    let elines = "<div class=\"eline\">".repeat(depth);
    let items = "<DIV class=\"item\"><B>第一条</B>".repeat(depth);
    vec![
        (
            "nested divs",
            format!("<html><body>{open}第一条　本文{close}</body></html>"),
        ),
        ("unclosed divs", format!("<html><body>{open}第一条　本文")),
        (
            "nested Reiki-Base lines",
            format!(
                "<html><body>{elines}<div class=\"article\"><span class=\"num\">第1条</span>本文</div>{close}"
            ),
        ),
        ("unclosed law-data items", format!("<HTML><BODY>{items}")),
    ]
}

#[test]
fn deeply_nested_html_returns() {
    for (name, page) in nested_html(DEEP_HTML) {
        read(name, page.as_bytes());
    }
}

/// 100,000 levels: refused before parsing (the HTML parser is quadratic in the depth).
#[test]
fn very_deeply_nested_html_is_refused_quickly() {
    for (name, page) in nested_html(DEEP) {
        let result = tenken::reading::read_bytes(page.as_bytes(), name);
        assert!(
            matches!(result, Err(tenken::reading::ReadError::TooDeep { .. })),
            "{name}: {result:?}"
        );
    }
}

#[test]
fn deeply_nested_xml_returns() {
    let open = "<Article Num=\"1\">".repeat(DEEP);
    let close = "</Article>".repeat(DEEP);
    read(
        "nested articles",
        format!("<?xml version=\"1.0\"?><Law><LawBody>{open}{close}</LawBody></Law>").as_bytes(),
    );
}

const FIVE_MB: usize = 5 << 20;

#[test]
fn five_megabyte_lines_return() {
    let kana = "あ".repeat(FIVE_MB / 3);
    read("one long line", format!("題名\n第一条　{kana}").as_bytes());
    let note = "（平一五条例四六・一部改正）";
    let notes = note.repeat(FIVE_MB / note.len());
    read(
        "a line of notes",
        format!("題名\n第一条　本文{notes}").as_bytes(),
    );
    read("one ASCII line", "x".repeat(FIVE_MB).as_bytes());
}

/// Inputs of the `rules_load` fuzz target: the first byte picks which
/// built-in rule file the rest replaces. Each is loaded twice: among all the
/// built-in files, and among the small set the target loads
/// (`fuzz/fuzz_targets/rule_files.rs`). Loading must not panic, every error
/// must be one line naming its file, and a rule set that loads must run.
#[test]
fn saved_rule_files_load_or_fail_on_one_line() {
    use tenken::rules::RuleSet;
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz_regressions/rules");
    let mut paths: Vec<_> = std::fs::read_dir(&folder)
        .expect("tests/fuzz_regressions/rules exists")
        .map(|entry| entry.expect("readable folder").path())
        .filter(|path| path.extension().is_some_and(|e| e == "bin"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no inputs in {}", folder.display());
    for path in paths {
        let bytes = std::fs::read(&path).expect("readable input");
        let Some((&pick, rest)) = bytes.split_first() else {
            continue;
        };
        let text = String::from_utf8_lossy(rest);
        let mut files = RuleSet::built_in_texts();
        let at = usize::from(pick) % files.len();
        files[at].1 = text.clone().into_owned();
        load_and_run(&path, &files);
        load_and_run(&path, &rule_files::files_for(pick, &text));
    }
}

#[path = "../../fuzz/fuzz_targets/rule_files.rs"]
mod rule_files;

/// The small sets `rules_load` loads stay loadable: every built-in file,
/// given as the fuzzed text, loads among them and passes its own examples
/// (else the target would only ever see errors).
#[test]
fn every_built_in_file_loads_in_the_fuzz_targets_small_set() {
    use tenken::matching::{Matcher, check_examples};
    use tenken::rules::RuleSet;
    if common::ipadic_missing() {
        return;
    }
    let built_in = RuleSet::built_in_texts();
    // Every file, and a common.toml with each of the code files.
    let picks = (0..=u8::MAX).filter(|&p| usize::from(p) < built_in.len() * built_in.len());
    for pick in picks {
        let (name, text) = &built_in[usize::from(pick) % built_in.len()];
        let rules = RuleSet::from_texts(&rule_files::files_for(pick, text), "fuzz")
            .unwrap_or_else(|e| panic!("{name} (pick {pick}): {e:?}"));
        assert!(!rules.rules.is_empty(), "{name} (pick {pick}): no rules");
        let matcher = Matcher::new(&rules, None).expect("matcher");
        let failed = check_examples(&rules, &matcher).expect("examples run");
        assert!(failed.is_empty(), "{name} (pick {pick}): {failed:?}");
    }
}

/// Loads `files` as `rules_load` does and checks what it checks.
fn load_and_run(path: &Path, files: &[(String, String)]) {
    use tenken::matching::{MatchError, Matcher};
    use tenken::rules::RuleSet;
    match RuleSet::from_texts(files, "regression") {
        Ok(rules) => {
            let matcher = match Matcher::new(&rules, None) {
                Ok(matcher) => matcher,
                // No dictionary here: the lemma patterns cannot run.
                Err(MatchError::Tokenize(_)) => return,
                Err(e) => panic!("{}: no matcher: {e}", path.display()),
            };
            for rule in &rules.rules {
                if let Err(e) = matcher.fires(&rule.id, "書類を掲示しなければならない。")
                {
                    panic!("{}: rule {}: {e}", path.display(), rule.id);
                }
            }
        }
        Err(errors) => {
            for error in errors {
                let line = error.to_string();
                eprintln!("{}: {line}", path.display());
                assert!(!line.contains('\n'), "{}: {line:?}", path.display());
                assert!(!error.file.is_empty(), "{}: {line}", path.display());
            }
        }
    }
}
