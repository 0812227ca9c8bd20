//! A long `tenken scan` that is killed resumes: the next run of the same
//! command reuses the files the journal (`<out>/scan-in-progress.jsonl`)
//! records, reads again the ones changed since, and writes exactly the
//! checklist a clean scan writes. A journal of another scan is replaced;
//! `--restart` ignores a matching one.

use crate::common::{copy_dir, ipadic_missing, manifest, tenken};

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const JOURNAL: &str = "scan-in-progress.jsonl";

/// A corpus of `copies` copies of the sample corpus, in folders c00, c01 …
fn many_copies(root: &Path, copies: usize) -> PathBuf {
    let corpus = root.join("corpus");
    for i in 0..copies {
        copy_dir(&manifest().join("corpus"), &corpus.join(format!("c{i:02}")));
    }
    corpus
}

/// Starts a one-thread scan and kills it once the journal records `files`
/// files; returns the paths the journal records as done.
fn kill_midway(corpus: &Path, out: &Path, files: usize) -> Vec<String> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(["--threads", "1", "scan", "-q"])
        .arg(corpus)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("tenken starts");
    let journal = out.join(JOURNAL);
    let started = Instant::now();
    loop {
        let lines = std::fs::read_to_string(&journal)
            .map(|t| t.matches('\n').count())
            .unwrap_or(0);
        if lines > files {
            break;
        }
        assert!(
            child.try_wait().expect("wait").is_none(),
            "the scan ended before it could be killed"
        );
        assert!(started.elapsed() < Duration::from_secs(120), "no progress");
        std::thread::sleep(Duration::from_millis(2));
    }
    child.kill().expect("kill");
    child.wait().expect("reaped");
    let text = std::fs::read_to_string(&journal).expect("the journal is left behind");
    text.lines()
        .skip(1)
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v["path"].as_str().map(String::from))
        .collect()
}

/// Runs `tenken scan` to the end; returns its stderr.
fn scan(corpus: &Path, out: &Path, extra: &[&str]) -> String {
    let mut args = vec![
        "scan".to_string(),
        corpus.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|s| s.to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = tenken(&args);
    let stderr = String::from_utf8_lossy(&result.stderr).into_owned();
    assert_eq!(result.status.code(), Some(0), "{stderr}");
    assert!(
        !out.join(JOURNAL).exists(),
        "the journal is removed at the end"
    );
    stderr
}

fn assert_same_checklist(a: &Path, b: &Path) {
    for name in ["findings.jsonl", "checklist.csv"] {
        let left = std::fs::read(a.join(name)).expect("written");
        let right = std::fs::read(b.join(name)).expect("written");
        assert!(left == right, "{name} differs between {a:?} and {b:?}");
    }
}

#[test]
fn a_killed_scan_resumes_and_writes_what_a_clean_scan_writes() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = many_copies(dir.path(), 40);
    let out = dir.path().join("out");
    let done = kill_midway(&corpus, &out, 20);
    assert!(done.len() >= 20, "{} files recorded", done.len());
    assert!(
        !out.join("findings.jsonl").exists(),
        "killed before the end"
    );

    // One file the killed run finished is amended: it must be read again.
    let amended = done
        .iter()
        .find(|p| p.ends_with(".txt"))
        .expect("a text file among the first files");
    let mut text = std::fs::read_to_string(amended).expect("UTF-8");
    text.push_str(
        "\n第九十九条　事業者は、許可証を事務所の見やすい場所に掲示しなければならない。\n",
    );
    std::fs::write(amended, text).expect("amend");

    let stderr = scan(&corpus, &out, &[]);
    let reused = done.len() - 1;
    assert!(
        stderr.contains(&format!(
            "中断した点検を再開します。680 件のファイルのうち {reused} 件は読み終えていて変更もないため"
        )),
        "{stderr}"
    );
    let clean = dir.path().join("clean");
    let clean_stderr = scan(&corpus, &clean, &[]);
    assert!(!clean_stderr.contains("再開します"), "{clean_stderr}");
    assert_same_checklist(&out, &clean);
    let findings = std::fs::read_to_string(out.join("findings.jsonl")).expect("findings");
    let name = Path::new(amended)
        .strip_prefix(&corpus)
        .expect("inside the corpus")
        .display()
        .to_string();
    assert!(
        findings
            .lines()
            .any(|l| l.contains(&format!("\"file\":\"{name}\"")) && l.contains("第九十九条")),
        "the amendment of {name} was read"
    );

    // Killed again, then run with --restart: every file is read again. The
    // checklist of the run above is moved away first (else its decisions,
    // none here, would be carried over and 状態 would say 変更なし).
    for name in ["checklist.xlsx", "checklist.csv"] {
        std::fs::remove_file(out.join(name)).expect("move the checklist away");
    }
    kill_midway(&corpus, &out, 5);
    let stderr = scan(&corpus, &out, &["--restart"]);
    assert!(!stderr.contains("再開します"), "{stderr}");
    assert_same_checklist(&out, &clean);
}

#[test]
fn a_journal_of_another_scan_or_a_damaged_one_is_replaced() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = manifest().join("corpus");
    let clean = dir.path().join("clean");
    scan(&corpus, &clean, &[]);
    let header =
        r#"{"journal":"tenken scan","version":"0.0.0","rules":"0","paths":["/elsewhere"]}"#;
    let journals = [
        format!("{header}\n{{\"path\":\"x\"}}\n"),
        "\u{0}\u{1}not a journal at all".to_string(),
        String::new(),
    ];
    for (i, journal) in journals.iter().enumerate() {
        let out = dir.path().join(format!("out{i}"));
        std::fs::create_dir_all(&out).expect("mkdir");
        std::fs::write(out.join(JOURNAL), journal).expect("seed");
        let stderr = scan(&corpus, &out, &[]);
        assert!(stderr.contains("最初から点検し直します"), "{stderr}");
        assert_same_checklist(&out, &clean);
    }
}
