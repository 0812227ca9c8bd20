//! Helpers shared by the integration tests: the project folder, running the
//! `tenken` binary there, skipping (with a note) when IPADIC is absent, and
//! (in `findings`) hand-made findings.

pub mod findings;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The project's folder (where `corpus/` and `rules/` are).
pub fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the `tenken` binary in the project's folder.
pub fn tenken(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(args)
        .current_dir(manifest())
        .output()
        .expect("tenken runs")
}

/// The variable that lets the tests needing the dictionary skip (with a
/// note) on a machine without the MeCab IPADIC source; without it they fail.
pub const SKIP_WITHOUT_DICTIONARY: &str = "TENKEN_SKIP_WITHOUT_DICTIONARY";

/// True (after printing a note) when the IPADIC source the tokenizer needs is
/// absent and `TENKEN_SKIP_WITHOUT_DICTIONARY` is set; absent otherwise, the
/// test fails: a test that cannot run its subject must not pass.
pub fn ipadic_missing() -> bool {
    let missing = !Path::new("/usr/share/mecab/dic/ipadic/matrix.def").exists()
        && std::env::var_os("TENKEN_IPADIC_SRC").is_none();
    if missing {
        assert!(
            std::env::var_os(SKIP_WITHOUT_DICTIONARY).is_some(),
            "mecab-ipadic is not installed, so this test cannot run its subject: \
             install it (bash .ci/install), or set {SKIP_WITHOUT_DICTIONARY}=1 to skip"
        );
        eprintln!(
            "note: mecab-ipadic is not installed; skipping ({SKIP_WITHOUT_DICTIONARY} is set)"
        );
    }
    missing
}

/// True when `python3` can import `module` (tests that need it skip otherwise).
pub fn python_has(module: &str) -> bool {
    let probe = Command::new("python3")
        .args(["-c", &format!("import {module}")])
        .output();
    matches!(probe, Ok(out) if out.status.success())
}

/// Copies the folder `from` with everything below it to `to`.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

/// Replaces the one occurrence of `from` in a UTF-8 file (an amendment).
pub fn replace_once(path: &Path, from: &str, to: &str) {
    let text = std::fs::read_to_string(path).expect("UTF-8 file");
    assert_eq!(
        text.matches(from).count(),
        1,
        "{from} in {}",
        path.display()
    );
    std::fs::write(path, text.replacen(from, to, 1)).expect("write");
}

/// A folder `in` with one 例規 and a missing folder beside it, walked; then a
/// second 例規 is written into `in`. A command given the walk must read only
/// the first file and report the missing folder as a failure.
pub fn walked_before_a_file_was_added(dir: &Path) -> tenken::reading::files::Collected {
    let input = dir.join("in");
    std::fs::create_dir(&input).expect("input folder");
    let law = "公告式条例\n第一条　公告は、掲示場に掲示しなければならない。\n";
    std::fs::write(input.join("good.txt"), law).expect("write");
    let files =
        tenken::reading::files::Collected::walk(&[input.clone(), dir.join("no-such-folder")]);
    std::fs::write(input.join("later.txt"), law).expect("write");
    files
}

/// True (after printing a note) when a tool a test checks tenken's output
/// with is missing: `what` names it and how to get it. Under CI
/// (`TENKEN_REQUIRE_TEST_TOOLS` set by `.ci/run`, which installs them) a
/// missing tool fails the test instead, so that a green run means it ran.
pub fn test_tool_missing(present: bool, what: &str) -> bool {
    if present {
        return false;
    }
    assert!(
        std::env::var_os("TENKEN_REQUIRE_TEST_TOOLS").is_none(),
        "{what} is missing and TENKEN_REQUIRE_TEST_TOOLS is set"
    );
    eprintln!("note: {what} is missing; skipping this check (bash .ci/install --with-test-tools)");
    true
}

/// True when `program` runs (`program ARG` exits 0; ARG asks for its version).
pub fn program_runs(program: &str, arg: &str) -> bool {
    let probe = Command::new(program).arg(arg).output();
    matches!(probe, Ok(out) if out.status.success())
}
