//! `tenken diff` as a user runs it: the sample corpus copied twice, the second
//! copy amended (one wording change keeping its analog requirement, one
//! provision given an electronic way, a paragraph deleted, an article with a
//! 掲示 requirement added, a file renamed), compared as 例規 and as scan
//! outputs, in JSON and as a table; and the exit codes.

use crate::common::{copy_dir, ipadic_missing, manifest, replace_once, tenken};

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Output;

use serde_json::Value;

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// OLD: the sample corpus. NEW: the same with five amendments.
fn amended_corpus() -> (tempfile::TempDir, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    copy_dir(&manifest().join("corpus"), &old);
    copy_dir(&manifest().join("corpus"), &new);
    // A new wording that keeps the analog requirement (posting stays open).
    replace_once(
        &new.join("jorei/kokokushiki_jorei.html"),
        "起算して7日以上",
        "起算して10日以上",
    );
    // An electronic way added: the in-person finding closes.
    replace_once(
        &new.join("yoko/bosai_kunren_yoryo.txt"),
        "窓口に持参し、又は郵送しなければならない。",
        "窓口に持参し、郵送し、又は電磁的方法により提出しなければならない。",
    );
    // A paragraph deleted: its seal finding closes.
    replace_once(
        &new.join("jorei/gyosei_tetsuzuki_jorei.md"),
        "#### 2 前項の調書には、主宰者が記名押印しなければならない。\r\n\r\n",
        "",
    );
    // A new article with a 掲示 requirement: a posting finding opens.
    replace_once(
        &new.join("yoko/bosai_kunren_yoryo.txt"),
        "町長が別に定める。\r\n",
        "町長が別に定める。\r\n（訓練の周知）\r\n第十二条　町長は、総合防災訓練の実施日及び場所を、訓練実施日の七日前までに、役場の掲示場に掲示しなければならない。\r\n",
    );
    // A renamed file: paired by its title, nothing added or removed.
    std::fs::rename(
        new.join("jorei/inkan_jorei.html"),
        new.join("jorei/inkan_jorei_r7.html"),
    )
    .expect("rename");
    (dir, old, new)
}

fn run_diff(args: &[&str]) -> (Output, Value) {
    let mut all = vec!["diff", "--quiet", "--format", "json"];
    all.extend_from_slice(args);
    let out = tenken(&all);
    let json = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out, json)
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

fn file_of(document: &Value) -> String {
    text(if document["new_file"].is_null() {
        &document["old_file"]
    } else {
        &document["new_file"]
    })
}

/// (file, change, normalized) of every provision change.
fn provision_changes(report: &Value) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for d in report["documents"].as_array().expect("documents") {
        for p in d["provisions"].as_array().expect("provisions") {
            out.insert((file_of(d), text(&p["change"]), text(&p["normalized"])));
        }
    }
    out
}

/// (file, change, normalized, code, closed_because, provision) of every finding change.
fn finding_changes(report: &Value) -> BTreeSet<[String; 6]> {
    let mut out = BTreeSet::new();
    for d in report["documents"].as_array().expect("documents") {
        let attached = d["provisions"]
            .as_array()
            .expect("provisions")
            .iter()
            .flat_map(|p| p["findings"].as_array().expect("findings"));
        for f in attached.chain(d["findings"].as_array().expect("findings")) {
            out.insert([
                file_of(d),
                text(&f["change"]),
                text(&f["normalized"]),
                text(&f["code"]),
                text(&f["closed_because"]),
                text(&f["provision"]),
            ]);
        }
    }
    out
}

fn strings<const N: usize>(items: [&str; N]) -> [String; N] {
    items.map(str::to_string)
}

#[test]
fn diff_of_an_amended_corpus_reports_every_change_exactly() {
    if ipadic_missing() {
        return;
    }
    let (_dir, old, new) = amended_corpus();
    let (out, report) = run_diff(&[&old.to_string_lossy(), &new.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(report["text_compared"], true);
    let expected: BTreeSet<(String, String, String)> = [
        ("jorei/kokokushiki_jorei.html", "amended", "7/1"),
        ("yoko/bosai_kunren_yoryo.txt", "amended", "6/1"),
        ("jorei/gyosei_tetsuzuki_jorei.md", "removed", "10/2"),
        ("yoko/bosai_kunren_yoryo.txt", "added", "12/1"),
    ]
    .into_iter()
    .map(|(f, c, n)| (f.to_string(), c.to_string(), n.to_string()))
    .collect();
    assert_eq!(provision_changes(&report), expected);
    let expected: BTreeSet<[String; 6]> = [
        strings([
            "yoko/bosai_kunren_yoryo.txt",
            "closed",
            "6/1",
            "in_person_procedure",
            "digital_alternative",
            "amended",
        ]),
        strings([
            "jorei/gyosei_tetsuzuki_jorei.md",
            "closed",
            "10/2",
            "seal",
            "absent",
            "removed",
        ]),
        strings([
            "yoko/bosai_kunren_yoryo.txt",
            "opened",
            "12/1",
            "posting",
            "",
            "added",
        ]),
    ]
    .into_iter()
    .collect();
    assert_eq!(finding_changes(&report), expected);

    let documents = report["documents"].as_array().expect("documents");
    let kokokushiki = documents
        .iter()
        .find(|d| d["new_file"] == "jorei/kokokushiki_jorei.html")
        .expect("公告式条例");
    let amended = &kokokushiki["provisions"][0];
    assert_eq!(amended["citation"], "第7条第1項");
    assert!(text(&amended["old_text"]).contains("7日以上"));
    assert!(text(&amended["new_text"]).contains("10日以上"));
    assert_eq!(amended["still_open"][0]["code"], "posting");
    let renamed = documents
        .iter()
        .find(|d| d["old_file"] == "jorei/inkan_jorei.html")
        .expect("the renamed 印鑑条例");
    assert_eq!(renamed["new_file"], "jorei/inkan_jorei_r7.html");
    assert_eq!(renamed["paired_by"], "title");
    assert_eq!(renamed["status"], "paired");
    assert_eq!(renamed["provisions"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        documents.len(),
        4,
        "only changed or renamed 例規 are listed"
    );

    let s = &report["summary"];
    for (field, want) in [
        ("documents_old", 17),
        ("documents_new", 17),
        ("documents_changed", 4),
        ("documents_unchanged", 13),
        ("documents_paired_by_title", 1),
        ("documents_added", 0),
        ("documents_removed", 0),
        ("provisions_added", 1),
        ("provisions_removed", 1),
        ("provisions_amended", 2),
        ("findings_opened", 1),
        ("findings_closed", 2),
        ("findings_closed_by_digital", 1),
        ("findings_in_unchanged_provisions", 0),
        ("files_skipped", 0),
    ] {
        assert_eq!(s[field], want, "summary {field}: {s}");
    }
}

#[test]
fn diff_of_two_scan_outputs_compares_findings_only() {
    if ipadic_missing() {
        return;
    }
    let (dir, old, new) = amended_corpus();
    let (old_out, new_out) = (dir.path().join("scan-old"), dir.path().join("scan-new"));
    for (from, to) in [(&old, &old_out), (&new, &new_out)] {
        let out = tenken(&[
            "scan",
            "-q",
            &from.to_string_lossy(),
            "--out",
            &to.to_string_lossy(),
        ]);
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    }
    // A folder on one side, its findings.jsonl on the other: both are scan outputs.
    let (out, report) = run_diff(&[
        &old_out.to_string_lossy(),
        &new_out.join("findings.jsonl").to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(report["text_compared"], false);
    assert!(provision_changes(&report).is_empty());
    let expected: BTreeSet<[String; 6]> = [
        [
            "yoko/bosai_kunren_yoryo.txt",
            "closed",
            "6/1",
            "in_person_procedure",
            "digital_alternative",
            "not_compared",
        ],
        [
            "jorei/gyosei_tetsuzuki_jorei.md",
            "closed",
            "10/2",
            "seal",
            "absent",
            "not_compared",
        ],
        [
            "yoko/bosai_kunren_yoryo.txt",
            "opened",
            "12/1",
            "posting",
            "",
            "not_compared",
        ],
        [
            "jorei/kokokushiki_jorei.html",
            "amended",
            "7/1",
            "posting",
            "",
            "not_compared",
        ],
    ]
    .into_iter()
    .map(strings)
    .collect();
    assert_eq!(finding_changes(&report), expected);
    let amended = report["documents"]
        .as_array()
        .expect("documents")
        .iter()
        .flat_map(|d| d["findings"].as_array().expect("findings"))
        .find(|f| f["change"] == "amended")
        .expect("the amended finding");
    let (old_id, new_id) = (text(&amended["old_id"]), text(&amended["new_id"]));
    assert_ne!(old_id, new_id);
    assert_eq!(
        old_id.split_once('-').map(|p| p.0),
        new_id.split_once('-').map(|p| p.0),
        "same place, other wording"
    );
    assert_eq!(report["summary"]["documents_paired_by_title"], 1);

    let table = tenken(&[
        "diff",
        "-q",
        &old_out.to_string_lossy(),
        &new_out.to_string_lossy(),
    ]);
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("条文の本文は比較していない"), "{table}");
    assert!(table.contains("文言の変わった指摘 1"), "{table}");
}

#[test]
fn the_table_shows_the_summary_and_each_change() {
    if ipadic_missing() {
        return;
    }
    let (dir, old, new) = amended_corpus();
    let file = dir.path().join("diff.txt");
    let out = tenken(&[
        "diff",
        "-q",
        &old.to_string_lossy(),
        &new.to_string_lossy(),
        "-o",
        &file.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stdout.is_empty(), "written to the file, not the screen");
    let table = std::fs::read_to_string(&file).expect("diff.txt");
    let lines: Vec<&str> = table.lines().map(str::trim).collect();
    for want in [
        "比較: 条項の本文と指摘",
        "例規: 変更あり 4 / 変更なし 13 / 追加 0 / 削除 0（題名で対応づけ 1）",
        "条項: 追加 1 / 削除 1 / 改正 2",
        "指摘: 新たな指摘 1 / 解消した指摘 2（うち電子的方法の追加 1）",
        "読めなかったファイル: 0",
        "■ つばき町印鑑条例  jorei/inkan_jorei.html → jorei/inkan_jorei_r7.html（題名で対応づけ）",
        "改正 第7条第1項 (7/1)",
        "旧: …による掲示は、掲示を始めた日から起算して7日以上継続して行わなければならない。",
        "新: …による掲示は、掲示を始めた日から起算して10日以上継続して行わなければならない。",
        "改正後も残る指摘: posting（書面掲示規制）",
        "削除 第十条第二項 (10/2)",
        "追加 第十二条 (12/1)",
    ] {
        assert!(lines.contains(&want), "no line {want:?} in\n{table}");
    }
    for want in [
        "解消した指摘: in_person_procedure（対面手続） — 電子的方法が追加された",
        "解消した指摘: seal（押印・署名） — 該当する規定がなくなった",
        "新たな指摘: posting（書面掲示規制） 「町長は、総合防災訓練の実施日及び場所を",
    ] {
        assert!(
            lines.iter().any(|l| l.starts_with(want)),
            "no line starting {want:?} in\n{table}"
        );
    }
}

#[test]
fn an_unreadable_file_is_reported_and_the_diff_goes_on() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (old, new) = (dir.path().join("old"), dir.path().join("new"));
    for side in [&old, &new] {
        std::fs::create_dir_all(side).expect("mkdir");
        std::fs::copy(
            manifest().join("corpus/jorei/kokokushiki_jorei.html"),
            side.join("kokokushiki_jorei.html"),
        )
        .expect("copy");
    }
    std::fs::write(new.join("broken.txt"), b"\x00\x01binary\x00").expect("write");
    let (out, report) = run_diff(&[&old.to_string_lossy(), &new.to_string_lossy()]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    let errors: Vec<&str> = message.lines().collect();
    assert_eq!(errors.len(), 1, "one line per unreadable file: {errors:?}");
    assert!(
        errors[0].starts_with("tenken: NEW: broken.txt: "),
        "{errors:?}"
    );
    assert_eq!(report["summary"]["files_skipped"], 1);
    assert_eq!(report["skipped"][0]["side"], "new");
    assert_eq!(report["summary"]["documents_unchanged"], 1);
}

#[test]
fn wrong_paths_are_usage_errors() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scan_output = dir.path().join("scan");
    std::fs::create_dir_all(&scan_output).expect("mkdir");
    std::fs::write(scan_output.join("findings.jsonl"), "").expect("write");
    let out = tenken(&["diff", &scan_output.to_string_lossy(), "corpus"]);
    assert_eq!(out.status.code(), Some(2));
    let message = stderr(&out);
    assert_eq!(message.lines().count(), 1, "{message}");
    assert!(message.contains("is a scan output but corpus is a folder or file of 例規"));
    let out = tenken(&[
        "diff",
        "corpus",
        &dir.path().join("nothing").to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("no such file or folder"));
    let out = tenken(&["diff", "corpus"]);
    assert_eq!(out.status.code(), Some(2), "NEW is required");
}
