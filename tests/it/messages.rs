//! The clerks' commands speak Japanese: the help of `tenken`, `tenken scan`
//! and `tenken report`, and what they say on the usual mistakes (a mistyped
//! path, an empty folder, a wrong option), each on one line with the
//! `tenken: ` prefix, the path first and a short English gloss at the end.

use crate::common::{ipadic_missing, tenken};

use std::process::Output;

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The help `args` print: exit 0, on standard output.
fn help(args: &[&str]) -> String {
    let out = tenken(args);
    assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
    stdout(&out)
}

/// No heading or flag text of clap's own English is left.
fn assert_no_english_headings(help: &str) {
    for english in [
        "Usage:",
        "Options:",
        "Arguments:",
        "Print help",
        "[default:",
    ] {
        assert!(!help.contains(english), "{english} in\n{help}");
    }
}

#[test]
fn scan_help_is_in_japanese_and_keeps_its_examples() {
    let long = help(&["scan", "--help"]);
    for words in [
        "アナログ規制を見つけ、点検用のチェックリストを書き出します",
        "使い方: tenken scan [オプション] [パス]...",
        "引数:",
        "オプション:",
        "例規",
        "checklist.xlsx  Excel で作業するチェックリスト",
        "新規      前回のチェックリストになかった指摘",
        "--out <フォルダ>",
        "--ledger <ファイル>",
        "--file-timeout <秒>",
        "チェックリストを書き出すフォルダ（既定: out）",
        "終了コード: 0 すべて読めた、1 読めないファイルがあった、2 コマンドの指定の誤り",
        "例:\n  tenken scan corpus/\n  tenken scan 例規集/ --out 点検結果/ --rules my-rules/\n",
        "使い方を表示します",
    ] {
        assert!(long.contains(words), "scan --help lacks {words:?}:\n{long}");
    }
    assert_no_english_headings(&long);
    let short = help(&["scan", "-h"]);
    assert!(
        short.contains("アナログ規制を見つけ") && short.contains("使い方: tenken scan"),
        "{short}"
    );
    assert!(
        !short.contains("終了コード"),
        "-h is the short help:\n{short}"
    );
    assert_no_english_headings(&short);
}

#[test]
fn report_help_is_in_japanese_and_keeps_its_examples() {
    let long = help(&["report", "--help"]);
    for words in [
        "HTML レポート（概要、例規ごと・類型ごとのページ）を書き出します",
        "使い方: tenken report [オプション] [パス]...",
        "index.html          概要と、絞り込みのできる指摘の一覧",
        "レポートを書き出すフォルダ（既定: out/report）",
        "--templates <フォルダ>",
        "例:\n  tenken report corpus/ --out out/report\n",
    ] {
        assert!(
            long.contains(words),
            "report --help lacks {words:?}:\n{long}"
        );
    }
    assert_no_english_headings(&long);
}

#[test]
fn the_top_level_help_is_in_japanese() {
    let top = help(&["--help"]);
    for words in [
        "tenken（点検）: 例規（条例・規則・要綱）と国の法令からアナログ規制を見つけます",
        "使い方: tenken [オプション] <コマンド>",
        "コマンド:",
        "オプション:",
        "はじめに: tenken scan corpus/ --html out/report",
        "tenken <コマンド> --help",
    ] {
        assert!(top.contains(words), "--help lacks {words:?}:\n{top}");
    }
    let scan = top.lines().any(|line| {
        line.trim_start().starts_with("scan ")
            && line.ends_with("アナログ規制を見つけ、点検用のチェックリストを書き出します")
    });
    assert!(scan, "--help lacks the scan command's line:\n{top}");
    assert_no_english_headings(&top);
    let version = help(&["--version"]);
    assert!(version.starts_with("tenken "), "{version}");
}

#[test]
fn a_missing_path_is_named_in_japanese_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("例規集");
    let out = dir.path().join("out");
    for command in ["scan", "report"] {
        let run = tenken(&[
            command,
            &missing.display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        let said = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{command}: {said}");
        assert_eq!(
            said,
            format!(
                "tenken: {}: ファイルまたはフォルダが見つかりません。何も読み書きしていません \
                 (no such file or folder)\n",
                missing.display()
            ),
            "{command}"
        );
        assert!(!out.exists(), "{command}: nothing written");
    }
}

#[test]
fn an_empty_folder_is_named_in_japanese_and_nothing_is_written() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("空のフォルダ");
    std::fs::create_dir(&empty).expect("mkdir");
    let out = dir.path().join("out");
    for command in ["scan", "report"] {
        let run = tenken(&[
            command,
            &empty.display().to_string(),
            "--out",
            &out.display().to_string(),
        ]);
        let said = stderr(&run);
        assert_eq!(run.status.code(), Some(2), "{command}: {said}");
        assert_eq!(said.lines().count(), 1, "{command}: {said}");
        assert!(
            said.starts_with(&format!(
                "tenken: {}: 例規のファイルが見つかりません",
                empty.display()
            )) && said.ends_with("何も書き込んでいません (no legal text files found)\n"),
            "{command}: {said}"
        );
        assert!(!out.exists(), "{command}: nothing written");
    }
}

#[test]
fn a_wrong_option_gets_a_japanese_line_before_the_details() {
    let run = tenken(&["scan", "--frobnicate", "corpus"]);
    assert_eq!(run.status.code(), Some(2));
    let said = stderr(&run);
    assert!(
        said.starts_with("tenken: コマンドの指定に誤りがあります。")
            && said.contains("--frobnicate"),
        "{said}"
    );
    let run = tenken(&["scan", "--file-timeout", "soon", "corpus"]);
    assert_eq!(run.status.code(), Some(2));
    let said = stderr(&run);
    assert!(
        said.contains("「soon」は秒数ではありません。秒数を数字で指定してください"),
        "{said}"
    );
}
