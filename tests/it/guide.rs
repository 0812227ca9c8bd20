//! The user's guide runs as written: every command line in a ```sh block of
//! README.md and docs/*.md is run, file by file in document order, in a
//! folder laid out as a user's would be (the sample 例規集 as `corpus/` and
//! as `例規集/`, the rules as `rules/`), with `tenken` on PATH, and must
//! succeed. Three kinds of line are mapped, each for a stated reason (see
//! [`as_run`]). Every relative link of the guide must lead to a file.
// The guide's commands are run with `sh` and a `bin/tenken` symbolic link.
#![cfg(unix)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{copy_dir, ipadic_missing, manifest};

/// The guide's files: README.md, then docs/*.md in name order.
fn guide_files() -> Vec<PathBuf> {
    let mut docs: Vec<PathBuf> = std::fs::read_dir(manifest().join("docs"))
        .expect("docs/")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    docs.insert(0, manifest().join("README.md"));
    docs
}

/// The command lines of the ```sh blocks, comments and blank lines left out.
fn commands(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in markdown.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_sh = !in_sh && trimmed == "```sh";
            continue;
        }
        if !in_sh {
            continue;
        }
        let command = strip_comment(trimmed);
        if !command.is_empty() {
            out.push(command.to_string());
        }
    }
    out
}

/// A line without its trailing `# comment` (a # after a blank, outside quotes).
fn strip_comment(line: &str) -> &str {
    let mut quote: Option<char> = None;
    let mut previous = ' ';
    for (at, c) in line.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '#') if previous.is_whitespace() => return line[..at].trim_end(),
            _ => {}
        }
        previous = c;
    }
    line.trim_end()
}

/// The line as the test runs it, or `None` when it is not run here:
/// - `bash .ci/run` runs this very test;
/// - `cargo install --path .` builds the binary these tests already built;
/// - `bash .ci/install && …` installs what CI installed before the tests, so
///   only what follows `&&` runs;
/// - `cargo run --release -- …` runs the binary these tests built, as `tenken …`.
fn as_run(line: &str) -> Option<String> {
    if line == "bash .ci/run" || line.starts_with("cargo install --path .") {
        return None;
    }
    let line = line.strip_prefix("bash .ci/install && ").unwrap_or(line);
    Some(match line.strip_prefix("cargo run --release -- ") {
        Some(rest) => format!("tenken {rest}"),
        None => line.to_string(),
    })
}

/// A folder laid out as a user's: the sample 例規集 twice, the rules, the
/// national Acts downloaded from e-Gov as `法令XML/` (the fictional one of
/// `tests/laws/egov` stands for them), and a `bin/tenken` to put on PATH.
fn sandbox(dir: &Path) -> PathBuf {
    copy_dir(&manifest().join("corpus"), &dir.join("corpus"));
    copy_dir(&manifest().join("corpus"), &dir.join("例規集"));
    copy_dir(&manifest().join("tests/laws/egov"), &dir.join("法令XML"));
    copy_dir(&manifest().join("rules"), &dir.join("rules"));
    let bin = dir.join("bin");
    std::fs::create_dir(&bin).expect("bin");
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_tenken"), bin.join("tenken")).expect("link");
    bin
}

/// Runs one line with `sh -c`, giving up after two minutes.
fn run(line: &str, dir: &Path, bin: &Path) -> Result<(), String> {
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut child = Command::new("sh")
        .args(["-c", line])
        .current_dir(dir)
        .env("PATH", path)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot start sh: {e}"))?;
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            return if status.success() {
                Ok(())
            } else {
                Err(format!("exit {status}: {stderr}"))
            };
        }
        if started.elapsed() > Duration::from_secs(120) {
            let _ = child.kill();
            return Err("still running after 120 s".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn every_command_of_the_guide_runs_as_written() {
    if ipadic_missing() {
        return;
    }
    let mut ran = 0;
    for file in guide_files() {
        let text = std::fs::read_to_string(&file).expect("guide file");
        let dir = tempfile::tempdir().expect("temp dir");
        let bin = sandbox(dir.path());
        for line in commands(&text) {
            let Some(command) = as_run(&line) else {
                continue;
            };
            if let Err(problem) = run(&command, dir.path(), &bin) {
                panic!("{}: `{line}` failed: {problem}", file.display());
            }
            ran += 1;
        }
    }
    assert!(ran >= 20, "only {ran} commands in the guide");
}

#[test]
fn every_link_of_the_guide_leads_to_a_file() {
    let link = regex::Regex::new(r"\]\(([^)#:]+)(#[^)]*)?\)").expect("pattern");
    for file in guide_files() {
        let text = std::fs::read_to_string(&file).expect("guide file");
        let base = file.parent().expect("folder");
        for caps in link.captures_iter(&text) {
            let target = base.join(&caps[1]);
            assert!(
                target.exists(),
                "{}: link to {} leads nowhere",
                file.display(),
                &caps[1]
            );
        }
    }
}

#[test]
fn only_the_stated_lines_are_mapped() {
    assert_eq!(as_run("bash .ci/run"), None);
    assert_eq!(as_run("cargo install --path . --locked"), None);
    assert_eq!(
        as_run("bash .ci/install && cargo run --release -- scan corpus/ --html out/report")
            .as_deref(),
        Some("tenken scan corpus/ --html out/report")
    );
    assert_eq!(
        as_run("tenken search '\"a\" # b'").as_deref(),
        Some("tenken search '\"a\" # b'")
    );
    assert_eq!(
        strip_comment("tenken scan x/   # a comment"),
        "tenken scan x/"
    );
}
