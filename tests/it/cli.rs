//! The `tenken parse` command as a user runs it: outputs, exit codes (0 all
//! read, 1 some files failed, 2 wrong command), one-line errors naming the
//! file, and safe writing of `--output`.

use crate::common;

use crate::common::tenken;

use std::path::Path;
use std::process::{Command, Output};

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn jsonl_has_one_line_per_provision_with_the_documented_fields() {
    let out = tenken(&["parse", "--format", "jsonl", "--quiet", "corpus"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let lines: Vec<serde_json::Value> = stdout(&out)
        .lines()
        .map(|l| serde_json::from_str(l).expect("valid JSON line"))
        .collect();
    assert!(lines.len() > 500, "{} lines", lines.len());
    for line in &lines {
        for field in [
            "file",
            "kind",
            "citation",
            "normalized",
            "text",
            "article",
            "paragraph",
            "part",
        ] {
            assert!(line.get(field).is_some(), "missing {field} in {line}");
        }
        let file = line["file"].as_str().unwrap_or_default();
        assert!(
            !file.starts_with("corpus/"),
            "file is relative to the folder: {file}"
        );
    }
    let kinds: std::collections::BTreeSet<&str> =
        lines.iter().filter_map(|l| l["kind"].as_str()).collect();
    for kind in [
        "chapter",
        "article",
        "paragraph",
        "item",
        "subitem",
        "suppl",
        "appendix",
    ] {
        assert!(kinds.contains(kind), "no {kind}");
    }
    let posting = lines
        .iter()
        .find(|l| l["file"] == "jorei/kokokushiki_jorei.html" && l["citation"] == "第4条第2項")
        .expect("公告式条例 第4条第2項");
    assert_eq!(posting["normalized"], "4/2");
    assert_eq!(posting["article"], "第4条");
    assert_eq!(posting["paragraph"], "2");
    assert_eq!(
        posting["text"],
        "条例の公布は、掲示場に掲示してこれを行う。"
    );
}

#[test]
fn json_tree_and_outline() {
    let out = tenken(&[
        "parse",
        "--format",
        "json",
        "-q",
        "corpus/jorei/inkan_jorei.html",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let docs: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(docs[0]["title"], "つばき町印鑑条例");
    assert_eq!(docs[0]["kind"], "条例");
    assert_eq!(docs[0]["provisions"][0]["citation"], "第1条");
    let out = tenken(&["parse", "-q", "corpus/jorei/inkan_jorei.html"]);
    let outline = stdout(&out);
    assert!(outline.starts_with("inkan_jorei.html  つばき町印鑑条例  (条例, 条例第22号"));
    assert!(outline.contains("\n  第3条（登録の申請）"));
}

#[test]
fn bad_files_are_reported_and_the_others_still_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("empty.txt"), b"").expect("write");
    std::fs::write(
        dir.path().join("good.txt"),
        "題名\n第一条　本文\n".as_bytes(),
    )
    .expect("write");
    let path = dir.path().to_string_lossy().into_owned();
    let out = tenken(&["parse", "--format", "jsonl", &path]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("tenken: empty.txt: ファイルが空です (the file is empty)"),
        "{}",
        stderr(&out)
    );
    assert!(stdout(&out).contains("\"file\":\"good.txt\""));
}

#[test]
fn a_wrong_command_exits_with_2() {
    let out = tenken(&["parse", "--format", "xml", "corpus"]);
    assert_eq!(out.status.code(), Some(2));
    let out = tenken(&["frobnicate"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn output_file_is_written_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let target = dir.path().join("provisions.jsonl");
    std::fs::write(&target, "old\n").expect("seed");
    let target_str = target.to_string_lossy().into_owned();
    let out = tenken(&[
        "parse",
        "-q",
        "-f",
        "jsonl",
        "-o",
        &target_str,
        "corpus/yoko",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let written = std::fs::read_to_string(&target).expect("written");
    assert!(written.lines().count() > 20);
    assert!(!written.starts_with("old"));
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("list")
        .filter_map(Result::ok)
        .filter(|e| e.file_name() != Path::new("provisions.jsonl").as_os_str())
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn help_explains_the_parse_command() {
    let out = tenken(&["parse", "--help"]);
    let help = stdout(&out);
    for words in [
        "e-Gov",
        "Reiki-Base",
        "Shift_JIS",
        "--format",
        "jsonl",
        "Examples",
    ] {
        assert!(help.contains(words), "help lacks {words}");
    }
}

#[test]
fn tokens_shows_base_forms_or_says_how_to_install_the_dictionary() {
    let missing = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(["tokens", "掲示する"])
        .env("TENKEN_IPADIC_SRC", "/nonexistent/ipadic")
        .env("TENKEN_DICT_DIR", "/nonexistent/cache")
        .output()
        .expect("tenken runs");
    assert_eq!(missing.status.code(), Some(1));
    let message = stderr(&missing);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(
        message.contains("/nonexistent/ipadic") && message.contains("apt-get install mecab-ipadic")
    );
    if common::ipadic_missing() {
        return;
    }
    let out = tenken(&["tokens", "標識を掲示しなければならない。"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let table = stdout(&out);
    assert!(table.contains("掲示\t掲示\t名詞,サ変接続\t3-5"), "{table}");
    assert!(table.contains("し\tする\t動詞,自立\t5-6"), "{table}");
}

/// A rules folder that cannot be loaded is a wrong input to every command
/// that takes `--rules`: exit 2, naming the file and line, nothing written.
#[test]
fn broken_rules_exit_2_in_every_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules");
    common::copy_dir(&common::manifest().join("rules"), &rules);
    let posting = rules.join("posting.toml");
    let text = std::fs::read_to_string(&posting).expect("posting.toml");
    std::fs::write(
        &posting,
        text.replacen("patterns = [", "patterns = [\"re:掲示(\", ", 1),
    )
    .expect("write");
    let rules = rules.to_string_lossy().into_owned();
    let out = dir.path().join("out");
    let out = out.to_string_lossy().into_owned();
    for args in [
        vec!["rules", "check", "--rules", &rules],
        vec!["rules", "list", "--rules", &rules],
        vec!["scan", "corpus", "--rules", &rules, "--out", &out],
        vec!["index", "corpus", "--rules", &rules, "--index", &out],
        vec!["export", "corpus", "--rules", &rules, "--out", &out],
    ] {
        let run = tenken(&args);
        let said = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {said}");
        assert!(said.contains("posting.toml"), "{args:?}: {said}");
        assert!(!Path::new(&out).exists(), "{args:?} wrote {out}");
    }
}
