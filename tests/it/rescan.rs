//! Scanning again into a folder where reviewers worked the checklist, as a
//! clerk does it: decisions typed into every row of the XLSX (through
//! openpyxl, a real spreadsheet library), then
//! - the same scan again, without --ledger: every decision still on its row,
//!   the edited file kept in history/;
//! - a mistyped path, an empty folder, a folder of non-例規: exit non-zero
//!   and the checklist byte for byte unchanged;
//! - 例規 amended by deleting a 項 and renumbering the rest, deleting a 号
//!   and renumbering, deleting an article and renumbering the articles after
//!   it, then inserting a 項: every decision stays with the text it was typed
//!   against, a deleted provision's on a 解消 row;
//! - two scans into one folder at once: one is told the folder is busy, and
//!   the outputs are those of a clean scan; a lock and temporary files left
//!   by a killed scan are cleaned up; an open spreadsheet is warned about.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{copy_dir, ipadic_missing, manifest, python_has, tenken};
use tenken::ledger::{LedgerRow, read_ledger};

/// The sample corpus copied into `dir/corpus`.
fn copy_corpus(dir: &Path) -> PathBuf {
    let to = dir.join("corpus");
    copy_dir(&manifest().join("corpus"), &to);
    to
}

fn scan_args(corpus: &Path, out: &Path) -> Vec<String> {
    vec![
        "scan".into(),
        corpus.display().to_string(),
        "--out".into(),
        out.display().to_string(),
    ]
}

/// Runs `tenken scan CORPUS --out OUT` and returns what it printed; fails
/// the test when the scan fails.
fn scan(corpus: &Path, out: &Path) -> String {
    let args = scan_args(corpus, out);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tenken(&args);
    let stderr = String::from_utf8_lossy(&run.stderr).into_owned();
    assert!(run.status.success(), "tenken {args:?} failed:\n{stderr}");
    stderr
}

fn needs_tools() -> bool {
    if ipadic_missing() {
        return false;
    }
    assert!(
        python_has("openpyxl"),
        "python3 with openpyxl is needed to edit the checklist as a spreadsheet program does \
         (bash .ci/install --with-test-tools installs it)"
    );
    true
}

/// Types a decision into every row of `xlsx`: 該非 and, in 備考, the
/// excerpt the reviewer read (so that a test can tell which text a decision
/// was typed against). Returns the rows by id.
fn decide_every_row(xlsx: &Path, dir: &Path) -> BTreeMap<String, LedgerRow> {
    let rows = rows_by_id(xlsx);
    let mut decisions = serde_json::Map::new();
    for (id, row) in &rows {
        decisions.insert(
            id.clone(),
            serde_json::json!({"該非": "該当", "備考": row.value("該当箇所"), "担当課": "総務課"}),
        );
    }
    let path = dir.join("decisions.json");
    std::fs::write(&path, serde_json::Value::Object(decisions).to_string()).expect("decisions");
    let edit = Command::new("python3")
        .arg(manifest().join("tests/ledger_edit.py"))
        .arg(xlsx)
        .arg(&path)
        .arg("--plain")
        .output()
        .expect("python3");
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    rows
}

fn rows_by_id(xlsx: &Path) -> BTreeMap<String, LedgerRow> {
    read_ledger(xlsx)
        .expect("checklist")
        .rows
        .into_iter()
        .filter(|r| !r.id.is_empty())
        .map(|r| (r.id.clone(), r))
        .collect()
}

fn history(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.join("history"))
        .map(|entries| entries.map(|e| e.expect("entry").path()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

/// A copy of the sample corpus scanned into `out/`, with a decision typed
/// into every row of its checklist.
struct Worked {
    corpus: PathBuf,
    out: PathBuf,
    xlsx: PathBuf,
    first: BTreeMap<String, LedgerRow>,
}

fn worked(dir: &Path) -> Worked {
    let corpus = copy_corpus(dir);
    let out = dir.join("out");
    scan(&corpus, &out);
    let xlsx = out.join("checklist.xlsx");
    let first = decide_every_row(&xlsx, dir);
    Worked {
        corpus,
        out,
        xlsx,
        first,
    }
}

#[test]
fn scanning_again_keeps_every_decision_and_bad_inputs_change_nothing() {
    if !needs_tools() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let Worked {
        corpus,
        out,
        xlsx,
        first,
    } = worked(dir.path());
    assert!(first.len() > 100, "{} rows", first.len());
    let edited = std::fs::read(&xlsx).expect("edited checklist");

    // The same command again, without --ledger.
    let stderr = scan(&corpus, &out);
    assert!(
        stderr.contains("checklist.xlsx から判断を引き継ぎました")
            && stderr.contains("出力フォルダにあったチェックリストです"),
        "{stderr}"
    );
    let again = rows_by_id(&xlsx);
    assert_eq!(again.len(), first.len());
    for (id, before) in &first {
        let row = again.get(id).unwrap_or_else(|| panic!("row {id} is gone"));
        assert_eq!(row.value("該非"), "該当", "{id}");
        assert_eq!(row.value("備考"), before.value("該当箇所"), "{id}");
        assert_eq!(row.value("状態"), "変更なし", "{id}");
    }
    let kept = history(&out);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(std::fs::read(&kept[0]).expect("copy"), edited);

    // A mistyped path, an empty folder, a folder without 例規: nothing changes.
    let worked = std::fs::read(&xlsx).expect("checklist");
    let csv = std::fs::read(out.join("checklist.csv")).expect("csv");
    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("mkdir");
    let junk = dir.path().join("junk");
    std::fs::create_dir(&junk).expect("mkdir");
    std::fs::write(junk.join("memo.txt"), "会議のメモ\n").expect("write");
    // A folder of other 例規 (a part of the corpus the checklist was made
    // from: their names relative to it differ): its rows would all be 解消.
    let other = corpus.join("jorei");
    let typo = dir.path().join("例規集");
    for (input, code, says) in [
        (
            &typo,
            2,
            "ファイルまたはフォルダが見つかりません。何も読み書きしていません",
        ),
        (&empty, 2, "例規のファイルが見つかりません"),
        (&junk, 1, "どれも例規として読めませんでした"),
        (
            &other,
            2,
            "別のフォルダから作ったチェックリストではありませんか",
        ),
    ] {
        let args = scan_args(input, &out);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let run = tenken(&args);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(code), "{input:?}: {stderr}");
        assert!(stderr.contains(says), "{stderr}");
        assert!(
            stderr.contains("何も書き込んでいません")
                || stderr.contains("何も読み書きしていません"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read(&xlsx).expect("checklist"),
            worked,
            "{input:?}"
        );
        assert_eq!(std::fs::read(out.join("checklist.csv")).expect("csv"), csv);
    }
    assert_eq!(
        history(&out).len(),
        1,
        "no copy for a run that wrote nothing"
    );
    assert!(
        !out.join("scan-in-progress.jsonl").exists(),
        "no journal left behind"
    );

    // Both the XLSX and the CSV edited: tenken cannot tell which holds the
    // decisions, says so, and writes nothing.
    std::fs::write(
        out.join("checklist.csv"),
        [csv.as_slice(), b"x\r\n"].concat(),
    )
    .expect("edit");
    let changed_xlsx = [worked.as_slice(), b"\0"].concat();
    std::fs::write(&xlsx, &changed_xlsx).expect("edit");
    let args = scan_args(&corpus, &out);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let run = tenken(&args);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("どちらに判断が入力されているのか決められません")
            && stderr.contains("--ledger で指定してください"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&xlsx).expect("checklist"), changed_xlsx);
}

/// Text of an EUC-JP file of the sample corpus, edited by `edit`.
fn edit_euc_jp(path: &Path, edit: impl FnOnce(String) -> String) {
    let bytes = std::fs::read(path).expect("read");
    let (text, _, bad) = encoding_rs::EUC_JP.decode(&bytes);
    assert!(!bad, "{} is EUC-JP", path.display());
    let edited = edit(text.into_owned());
    let (bytes, _, bad) = encoding_rs::EUC_JP.encode(&edited);
    assert!(!bad);
    std::fs::write(path, bytes).expect("write");
}

/// Replaces the one occurrence of `from`.
fn once(text: &str, from: &str, to: &str) -> String {
    assert_eq!(text.matches(from).count(), 1, "{from}");
    text.replacen(from, to, 1)
}

const INN: &str = "jorei/ryokangyo_jorei.txt";
const FD: &str = "kisoku/fd_shinsei_tokurei_kisoku.xml";
const KANJI: [&str; 13] = [
    "", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
];

/// The 旅館業法施行条例 amended: 第二条 deleted and 第三条 … 第十二条
/// renumbered 第二条 … 第十一条; in (old) 第六条, 第一項 deleted and 第二項,
/// 第三項 renumbered.
fn amend_inn(corpus: &Path) {
    edit_euc_jp(&corpus.join(INN), |text| {
        let text = once(
            &text,
            "（定義）\n第二条　この条例において使用する用語は、法において使用する用語の例による。\n",
            "",
        );
        let mut text = once(
            &text,
            "第六条　営業者は、宿泊者が営業施設内に滞在している間、当該営業施設又は規則で定めるその周辺の範囲内に従業者を常駐させなければならない。\n２　営業者は、営業施設ごとに",
            "第六条　営業者は、営業施設ごとに",
        );
        text = once(&text, "\n３　衛生管理責任者は", "\n２　衛生管理責任者は");
        for n in 3..=12 {
            text = once(
                &text,
                &format!("\n第{}条　", KANJI[n]),
                &format!("\n第{}条　", KANJI[n - 1]),
            );
        }
        text
    });
}

/// The フレキシブルディスク規則 amended: in 第五条, 第一号 (with its イ and
/// ロ) deleted and 第二号, 第三号 renumbered.
fn amend_fd(corpus: &Path) {
    let path = corpus.join(FD);
    let text = std::fs::read_to_string(&path).expect("UTF-8");
    let start = text
        .find("<ArticleTitle>第五条</ArticleTitle>")
        .expect("第五条");
    let end = start + text[start..].find("</Article>").expect("end of 第五条");
    let mut article = text[start..end].to_string();
    let first = article
        .find("<Item Delete=\"false\" Num=\"1\">")
        .expect("第一号");
    let close = first + article[first..].find("</Item>").expect("end of 第一号") + "</Item>".len();
    article.replace_range(first..close, "");
    for (from, to) in [(2, 1), (3, 2)] {
        article = once(
            &article,
            &format!(
                "Num=\"{from}\">\n              <ItemTitle>{}</ItemTitle>",
                KANJI[from]
            ),
            &format!(
                "Num=\"{to}\">\n              <ItemTitle>{}</ItemTitle>",
                KANJI[to]
            ),
        );
    }
    std::fs::write(
        &path,
        format!("{}{article}{}", &text[..start], &text[end..]),
    )
    .expect("write");
}

/// Checks that every decision of `first` (its 備考 is the excerpt it was
/// typed against) is on exactly one row of the new checklist, and that this
/// row shows that text: as its excerpt (変更なし) or as the previous one
/// (解消, 要再確認). Returns the rows with a decision by status.
fn decisions_follow_their_text(
    first: &BTreeMap<String, LedgerRow>,
    xlsx: &Path,
) -> BTreeMap<String, Vec<LedgerRow>> {
    let rows = read_ledger(xlsx).expect("new checklist").rows;
    let mut by_status: BTreeMap<String, Vec<LedgerRow>> = BTreeMap::new();
    for row in rows.iter().filter(|r| !r.value("備考").is_empty()) {
        let typed_against = row.value("備考");
        let shown = match row.value("状態") {
            "変更なし" => row.value("該当箇所"),
            _ if !row.value("前回の該当箇所").is_empty() => row.value("前回の該当箇所"),
            _ => row.value("該当箇所"),
        };
        assert_eq!(
            shown,
            typed_against,
            "{} {} ({}): the decision typed against another text",
            row.value("ファイル"),
            row.value("条項"),
            row.value("状態")
        );
        by_status
            .entry(row.value("状態").to_string())
            .or_default()
            .push(row.clone());
    }
    let placed: usize = by_status.values().map(Vec::len).sum();
    assert_eq!(placed, first.len(), "every decision is on exactly one row");
    by_status
}

#[test]
fn decisions_follow_their_text_through_deletions_renumbering_and_insertions() {
    if !needs_tools() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let Worked {
        corpus,
        out,
        xlsx,
        first,
    } = worked(dir.path());
    let in_file = |file: &str| {
        first
            .values()
            .filter(|r| r.value("ファイル") == file)
            .count()
    };
    assert!(in_file(INN) >= 5 && in_file(FD) >= 5);

    amend_inn(&corpus);
    amend_fd(&corpus);
    scan(&corpus, &out);
    let by_status = decisions_follow_their_text(&first, &xlsx);
    let resolved: Vec<(&str, &str)> = by_status["解消"]
        .iter()
        .map(|r| (r.value("ファイル"), r.value("条項")))
        .collect();
    // What was deleted, and only that, is resolved.
    assert_eq!(
        resolved,
        [(INN, "第六条第一項"), (FD, "第五条第一号")],
        "{by_status:#?}"
    );
    assert!(!by_status.contains_key("要再確認"), "{by_status:#?}");
    let moved = |file: &str, from: &str, to: &str| {
        let row = by_status["変更なし"]
            .iter()
            .find(|r| {
                r.value("ファイル") == file
                    && r.value("条項") == to
                    && r.value("変更の内容").contains(from)
            })
            .unwrap_or_else(|| panic!("{file}: no row moved from {from} to {to}"));
        assert!(row.value("変更の内容").contains("条項が移動した"));
    };
    moved(INN, "第六条第二項", "第五条第一項");
    moved(INN, "第六条第三項", "第五条第二項");
    moved(INN, "第十一条", "第十条");
    moved(FD, "第五条第二号", "第五条第一号");

    // Then a 項 is inserted at the head of (new) 第五条: a new row, nobody's
    // decision, and the others move down with their decisions.
    let second = rows_by_id(&xlsx);
    edit_euc_jp(&corpus.join(INN), |text| {
        let text = once(&text, "\n２　衛生管理責任者は", "\n３　衛生管理責任者は");
        once(
            &text,
            "第五条　営業者は、営業施設ごとに",
            "第五条　営業者は、営業施設の見やすい場所に宿泊料金の表を掲示しなければならない。\n２　営業者は、営業施設ごとに",
        )
    });
    scan(&corpus, &out);
    let rows = rows_by_id(&xlsx);
    let decided = |r: &&LedgerRow| !r.value("備考").is_empty();
    assert_eq!(
        rows.values().filter(decided).count(),
        second.values().filter(decided).count()
    );
    let new_rows: Vec<&LedgerRow> = rows
        .values()
        .filter(|r| r.value("状態") == "新規")
        .collect();
    assert!(!new_rows.is_empty(), "the inserted 項 has a finding");
    for row in &new_rows {
        assert_eq!(row.value("条項"), "第五条第一項");
        assert!(row.value("備考").is_empty() && row.value("該非").is_empty());
    }
    for row in rows.values().filter(decided) {
        let shown = match row.value("状態") {
            "解消" | "要再確認" => row.value("前回の該当箇所"),
            _ => row.value("該当箇所"),
        };
        assert_eq!(
            shown,
            row.value("備考"),
            "{} {}",
            row.value("ファイル"),
            row.value("条項")
        );
    }
    let at = |citation: &str| {
        rows.values()
            .find(|r| {
                r.value("ファイル") == INN
                    && r.value("条項") == citation
                    && r.value("状態") == "変更なし"
            })
            .map(|r| r.value("備考").to_string())
            .unwrap_or_default()
    };
    assert!(
        at("第五条第二項").contains("専任"),
        "{}",
        at("第五条第二項")
    );
    assert!(
        at("第五条第三項").contains("受講"),
        "{}",
        at("第五条第三項")
    );
}

/// A corpus of `copies` copies of the sample corpus, so that a scan takes a
/// moment.
fn many_copies(dir: &Path, copies: usize) -> PathBuf {
    let root = dir.join("many");
    for n in 0..copies {
        copy_dir(
            &manifest().join("corpus"),
            &root.join(format!("copy{n:02}")),
        );
    }
    root
}

fn spawn_scan(corpus: &Path, out: &Path) -> std::process::Child {
    Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(scan_args(corpus, out))
        .arg("--quiet")
        .current_dir(manifest())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("tenken starts")
}

#[test]
fn two_scans_into_one_folder_do_not_break_each_other() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = many_copies(dir.path(), 12);
    let clean = dir.path().join("clean");
    scan(&corpus, &clean);
    for attempt in 0..3 {
        let out = dir.path().join(format!("out{attempt}"));
        let children = [spawn_scan(&corpus, &out), spawn_scan(&corpus, &out)];
        let outputs: Vec<Output> = children
            .into_iter()
            .map(|c| c.wait_with_output().expect("wait"))
            .collect();
        let succeeded = outputs.iter().filter(|o| o.status.success()).count();
        assert!(succeeded >= 1, "{outputs:?}");
        for failed in outputs.iter().filter(|o| !o.status.success()) {
            let stderr = String::from_utf8_lossy(&failed.stderr);
            assert_eq!(failed.status.code(), Some(2), "{stderr}");
            assert!(
                stderr.contains("には別の tenken scan（pid ") && stderr.contains("書き込み中です"),
                "{stderr}"
            );
        }
        assert_eq!(
            std::fs::read(out.join("findings.jsonl")).expect("findings"),
            std::fs::read(clean.join("findings.jsonl")).expect("clean findings"),
        );
        if succeeded == 1 {
            assert_eq!(
                std::fs::read(out.join("checklist.csv")).expect("checklist"),
                std::fs::read(clean.join("checklist.csv")).expect("clean checklist"),
            );
        }
        let leftovers: Vec<String> = std::fs::read_dir(&out)
            .expect("out")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".tmp") || n.ends_with(".jsonl") && n != "findings.jsonl")
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}

#[test]
fn what_a_killed_scan_left_is_cleaned_up_and_an_open_checklist_is_warned_about() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = manifest().join("corpus");
    let out = dir.path().join("out");
    std::fs::create_dir_all(out.join("history")).expect("mkdir");
    // A scan killed while writing: its lock (nobody holds it any more) and
    // half-written files under tenken's temporary names.
    std::fs::write(
        out.join(".tenken-scan.lock"),
        "pid 4194000、20261130-090000 UTC 開始",
    )
    .expect("lock");
    for name in [
        ".checklist.xlsx.4194000.tmp",
        ".findings.jsonl.4194000.tmp",
        "history/.checklist-1.xlsx.4194000.tmp",
    ] {
        std::fs::write(out.join(name), "half").expect("temporary file");
    }
    let stderr = scan(&corpus, &out);
    assert!(
        stderr.contains("前回の点検（pid 4194000、20261130-090000 UTC 開始）が途中で止まっていた"),
        "{stderr}"
    );
    assert!(
        stderr.contains("中断した点検が残した一時ファイル 3 件を削除しました"),
        "{stderr}"
    );
    for dir in [out.clone(), out.join("history")] {
        let temporary: Vec<PathBuf> = std::fs::read_dir(&dir)
            .expect("list")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(temporary.is_empty(), "{temporary:?}");
    }

    // LibreOffice has the checklist open: the scan warns that its next save
    // would overwrite the new checklist.
    std::fs::write(
        out.join(".~lock.checklist.xlsx#"),
        ",clerk,PC01,30.11.2026 09:00,",
    )
    .expect("lock");
    let stderr = scan(&corpus, &out);
    assert!(
        stderr.contains("表計算ソフトで開かれているようです")
            && stderr.contains(".~lock.checklist.xlsx#"),
        "{stderr}"
    );
}

#[test]
fn a_scan_without_a_path_says_it_reads_the_sample_corpus_and_else_asks_for_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(["scan", "--out"])
        .arg(&out)
        .current_dir(dir.path())
        .output()
        .expect("tenken runs");
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("読み込む例規のフォルダを指定してください。例: tenken scan 例規集/"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
    if ipadic_missing() {
        return;
    }
    let run = tenken(&["scan", "--out", &out.display().to_string()]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(
        stderr.contains("フォルダの指定がないため、見本の例規集 ./corpus を読みます"),
        "{stderr}"
    );
}
