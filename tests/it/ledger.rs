//! The review ledger end to end: a checklist edited the way reviewers and
//! Excel edit it is given back to `tenken scan --ledger` after two 例規 of
//! the sample corpus were amended and one repealed; every status is checked
//! and every decision must survive. Also: a CSV re-saved as Shift_JIS with
//! CRLF and its columns reordered, a ledger that cannot be read, a failed
//! write and a killed scan; and tenken's own XLSX and CSV of one finding
//! read back as that row.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::common::{copy_dir, ipadic_missing, manifest, python_has, replace_once, tenken};
use tenken::ledger::{Ledger, LedgerRow, read_ledger};
use tenken::matching::id_location;

/// The sample corpus copied into `dir/corpus`.
fn copy_corpus(dir: &Path) -> PathBuf {
    let to = dir.join("corpus");
    copy_dir(&manifest().join("corpus"), &to);
    to
}

fn run(args: &[&str]) -> Output {
    let out = tenken(args);
    assert!(
        out.status.success(),
        "tenken {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn scan(corpus: &Path, out: &Path, ledger: Option<&Path>) -> Output {
    let mut args = vec![
        "scan".to_string(),
        corpus.display().to_string(),
        "--out".into(),
        out.display().to_string(),
        "--quiet".into(),
    ];
    if let Some(ledger) = ledger {
        args.push("--ledger".into());
        args.push(ledger.display().to_string());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    run(&args)
}

/// Rows by id.
fn by_id(ledger: &Ledger) -> BTreeMap<String, LedgerRow> {
    ledger
        .rows
        .iter()
        .filter(|r| !r.id.is_empty())
        .map(|r| (r.id.clone(), r.clone()))
        .collect()
}

/// The row of the (first) finding of `code` at `citation` in `file`.
fn find<'l>(
    rows: &'l BTreeMap<String, LedgerRow>,
    file: &str,
    citation: &str,
    code: &str,
) -> &'l LedgerRow {
    rows.values()
        .find(|r| {
            r.value("ファイル") == file
                && r.value("条項") == citation
                && r.value("類型").ends_with(&format!("({code})"))
        })
        .unwrap_or_else(|| panic!("no row for {file} {citation} {code}"))
}

const WORDING: &str = "jorei/kokokushiki_jorei.html";
const DIGITAL: &str = "jorei/okugai_kokokubutsu_jorei.md";
const REPEALED: &str = "jorei/fuzoku_kikan_setchi_jorei.txt";

/// A provision's whole new wording as a clerk types it in 改正案: two
/// paragraphs on two lines, with a comma and quotes for the CSV to escape.
fn proposed_wording(n: usize) -> String {
    format!(
        "第{n}条　申請者は、書面又は電磁的方法により、「申請書」を提出しなければならない。\n\
         ２　前項の申請書の様式は、規則で定める。"
    )
}

/// The decisions the reviewers write: one per finding, told apart by its id.
fn decisions_for(rows: &BTreeMap<String, LedgerRow>) -> serde_json::Value {
    let mut all = serde_json::Map::new();
    for (n, id) in rows.keys().enumerate() {
        all.insert(
            id.clone(),
            serde_json::json!({
                "該非": if n % 3 == 0 { "非該当" } else { "該当" },
                "見直し方針": "例規改正",
                "対応予定時期": "2027-03-31",
                "担当課": "総務課",
                "備考": format!("判断{n}"),
                "改正案": proposed_wording(n),
                "確認者": format!("確認者{n}"),
            }),
        );
    }
    serde_json::Value::Object(all)
}

#[test]
fn decisions_survive_amendments_and_every_status_is_right() {
    if ipadic_missing() {
        return;
    }
    if !python_has("openpyxl") {
        eprintln!("note: python3 with openpyxl is missing (pip install openpyxl); skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = copy_corpus(dir.path());
    let out = dir.path().join("out");
    scan(&corpus, &out, None);
    let xlsx = out.join("checklist.xlsx");
    let first = by_id(&read_ledger(&xlsx).expect("first checklist"));
    assert!(first.len() > 50, "{} findings", first.len());

    // Reviewers fill in every row through a spreadsheet library.
    let decisions = decisions_for(&first);
    let decisions_path = dir.path().join("decisions.json");
    std::fs::write(&decisions_path, decisions.to_string()).expect("decisions");
    let edit = Command::new("python3")
        .arg(manifest().join("tests/ledger_edit.py"))
        .arg(&xlsx)
        .arg(&decisions_path)
        .output()
        .expect("python3");
    assert!(
        edit.status.success(),
        "{}",
        String::from_utf8_lossy(&edit.stderr)
    );
    let edited = std::fs::read(&xlsx).expect("edited");

    // The 例規 change: a wording change that keeps the posting duty, a
    // digital way added to an application, and a repealed 例規.
    let reworded = find(&first, WORDING, "第4条第2項", "posting").id.clone();
    let digitised = find(&first, DIGITAL, "第六条第一項", "paper_procedure")
        .id
        .clone();
    replace_once(
        &corpus.join(WORDING),
        "掲示場に掲示してこれを行う",
        "町役場前の掲示場に掲示してこれを行う",
    );
    replace_once(
        &corpus.join(DIGITAL),
        "図書を添えて、町長に提出しなければならない",
        "図書を添えて、書面又は電磁的方法により町長に提出しなければならない",
    );
    std::fs::remove_file(corpus.join(REPEALED)).expect("repeal");
    let repealed: Vec<String> = first
        .values()
        .filter(|r| r.value("ファイル") == REPEALED)
        .map(|r| r.id.clone())
        .collect();
    assert!(!repealed.is_empty());

    scan(&corpus, &out, Some(&xlsx));

    // The edited ledger is kept as the reviewers saved it.
    let history: Vec<PathBuf> = std::fs::read_dir(out.join("history"))
        .expect("history folder")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(history.len(), 1, "{history:?}");
    assert_eq!(std::fs::read(&history[0]).expect("copy"), edited);

    let merged = read_ledger(&xlsx).expect("new checklist");
    assert!(
        merged.headers.iter().any(|h| h == "確認者"),
        "{:?}",
        merged.headers
    );
    let rows = &merged.rows;
    // A row keeps its id, or (the wording changed) the first part of it.
    let status_of = |id: &str| -> &LedgerRow {
        rows.iter()
            .find(|r| r.id == id)
            .or_else(|| rows.iter().find(|r| id_location(&r.id) == id_location(id)))
            .unwrap_or_else(|| panic!("{id} is missing from the new checklist"))
    };

    // Every decision survived, on its own row.
    let mut statuses: BTreeMap<String, usize> = BTreeMap::new();
    for (n, (id, _)) in first.iter().enumerate() {
        let row = status_of(id);
        let row_id = &row.id;
        let want = &decisions[id.as_str()];
        for header in ["該非", "見直し方針", "担当課", "備考", "改正案", "確認者"]
        {
            assert_eq!(
                row.value(header),
                want[header].as_str().unwrap_or(""),
                "{header} of {row_id}"
            );
        }
        assert_eq!(row.value("対応予定時期"), "2027/03/31", "{row_id}");
        assert_eq!(row.value("備考"), format!("判断{n}"));
        *statuses.entry(row.value("状態").to_string()).or_default() += 1;
    }

    let changed = status_of(&reworded);
    assert_eq!(changed.value("状態"), "要再確認");
    assert_ne!(changed.id, reworded, "a new wording, a new id");
    assert_eq!(changed.value("条項"), "第4条第2項");
    assert!(changed.value("該当箇所").contains("町役場前の掲示場"));
    assert!(!changed.value("前回の該当箇所").contains("町役場前"));
    assert!(
        changed
            .value("前回の該当箇所")
            .contains("掲示場に【掲示し】")
    );
    let digital = status_of(&digitised);
    assert_eq!(digital.value("状態"), "解消");
    assert_eq!(digital.value("変更の内容"), "電子的方法が規定された");
    for id in &repealed {
        let row = status_of(id);
        assert_eq!(row.value("状態"), "解消", "{id}");
        assert!(row.value("変更の内容").contains("見当たらない"), "{id}");
        assert_eq!(row.value("ファイル"), REPEALED);
    }
    let wanted: BTreeMap<String, usize> = [
        ("変更なし".to_string(), first.len() - 2 - repealed.len()),
        ("要再確認".to_string(), 1),
        ("解消".to_string(), 1 + repealed.len()),
    ]
    .into_iter()
    .collect();
    assert_eq!(statuses, wanted);
    // No finding is new except what the amendments opened (none here).
    assert!(rows.iter().all(|r| r.value("状態") != "新規"));

    // The totals row Excel users added has no ID: kept as unmatched.
    let book = std::fs::read(&xlsx).expect("xlsx");
    let unmatched = String::from_utf8_lossy(&book).contains("xl/worksheets/sheet3.xml");
    assert!(unmatched, "the sheet 照合できなかった判断 is written");
    let csv = std::fs::read_to_string(out.join("unmatched-decisions.csv")).expect("unmatched csv");
    assert!(
        csv.contains("ID がない行") && csv.contains("合計行（Excel で追加）"),
        "{csv}"
    );

    // The report shows the statuses, the decisions and the progress.
    let report = dir.path().join("report");
    run(&[
        "report",
        &corpus.display().to_string(),
        "--out",
        &report.display().to_string(),
        "--ledger",
        &xlsx.display().to_string(),
        "--quiet",
    ]);
    let index = std::fs::read_to_string(report.join("index.html")).expect("index");
    for text in [
        "点検の進捗",
        "要再確認（前回の判断後に条文が改正された指摘）",
        "解消した指摘",
        "電子的方法が規定された",
        "町役場前の掲示場",
    ] {
        assert!(index.contains(text), "index.html lacks {text}");
    }
    let decided = rows
        .iter()
        .filter(|r| r.value("状態") != "解消" && !r.value("該非").is_empty())
        .count();
    assert!(index.contains(&format!("<strong id=\"decided\">{decided}</strong>")));
    let page = std::fs::read_dir(report.join("docs"))
        .expect("docs")
        .map(|e| e.expect("entry").path())
        .find(|p| p.to_string_lossy().contains("kokokushiki"))
        .expect("the page of the reworded 例規");
    let page = std::fs::read_to_string(page).expect("page");
    assert!(page.contains("status-changed") && page.contains("文言が改正された"));
    assert!(page.contains("<b>備考</b>") && page.contains("<b>確認者</b>"));

    // A third scan with nothing changed keeps everything as it is: the row to
    // re-check stays so until a reviewer sets its 状態 to 変更なし.
    scan(&corpus, &out, Some(&xlsx));
    let again = read_ledger(&xlsx).expect("third checklist");
    let csv = std::fs::read_to_string(out.join("unmatched-decisions.csv")).expect("unmatched csv");
    assert!(
        csv.contains("合計行（Excel で追加）"),
        "an unmatched decision is kept at every later scan: {csv}"
    );
    let carried = again.rows.iter().filter(|r| r.sheet.is_some()).count();
    assert_eq!(carried, 1, "the unmatched row is read back from its sheet");
    assert_eq!(again.rows.len(), merged.rows.len());
    for row in &merged.rows {
        let same = again
            .rows
            .iter()
            .find(|r| r.id == row.id)
            .expect("row kept");
        for header in [
            "状態",
            "変更の内容",
            "前回の該当箇所",
            "該非",
            "備考",
            "改正案",
            "確認者",
        ] {
            assert_eq!(
                same.value(header),
                row.value(header),
                "{header} of {}",
                row.id
            );
        }
    }
}

/// Encodes text as Shift_JIS (every character of the checklist has one).
fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "the checklist is all Shift_JIS");
    bytes.into_owned()
}

#[test]
fn a_csv_resaved_as_shift_jis_with_crlf_and_reordered_columns_is_merged() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    scan(&manifest().join("corpus"), &out, None);
    let csv_text = std::fs::read_to_string(out.join("checklist.csv")).expect("csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("record")).collect();
    let header: Vec<&str> = records[0].iter().collect();
    let at = |name: &str| header.iter().position(|h| *h == name).expect("column");
    // Reverse the columns and write the decisions in, as a reviewer would.
    let order: Vec<usize> = (0..header.len()).rev().collect();
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer
        .write_record(order.iter().map(|&i| header[i]))
        .expect("header");
    let mut wanted = BTreeMap::new();
    for (n, record) in records[1..].iter().enumerate() {
        let mut cells: Vec<String> = record.iter().map(str::to_string).collect();
        cells[at("該非")] = "該当".into();
        cells[at("備考")] = format!("窓口で確認「{n}」, 要相談");
        wanted.insert(cells[at("ID")].clone(), cells[at("備考")].clone());
        writer
            .write_record(order.iter().map(|&i| cells[i].as_str()))
            .expect("row");
    }
    let text = String::from_utf8(writer.into_inner().expect("csv")).expect("utf-8");
    let ledger = dir.path().join("点検表（総務課）.csv");
    std::fs::write(&ledger, shift_jis(&text)).expect("ledger");

    scan(&manifest().join("corpus"), &out, Some(&ledger));
    let merged = read_ledger(&out.join("checklist.csv")).expect("new checklist");
    assert_eq!(merged.headers[0], "例規名", "tenken's order again");
    assert_eq!(merged.rows.len(), wanted.len());
    for row in &merged.rows {
        assert_eq!(row.value("状態"), "変更なし", "{}", row.id);
        assert_eq!(row.value("該非"), "該当");
        assert_eq!(row.value("備考"), wanted[&row.id]);
    }
    // The ledger itself is untouched.
    assert_eq!(std::fs::read(&ledger).expect("ledger"), shift_jis(&text));
}

/// A grid of an edited checklist: its header row and its rows, each row's
/// cells in header order.
type Grid = (Vec<String>, Vec<Vec<String>>);

/// Saves `grid` as a spreadsheet saves an edited checklist: an XLSX whose
/// sheet 「チェックリスト」 holds it, or (any other name) a CSV in UTF-8 with
/// a byte-order mark and CRLF, as Excel's 「CSV UTF-8」.
fn save_grid(path: &Path, (headers, rows): &Grid) {
    if path.extension().is_some_and(|e| e == "xlsx") {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name("チェックリスト").expect("sheet name");
        for (at, cells) in std::iter::once(headers).chain(rows).enumerate() {
            let at = u32::try_from(at).expect("row");
            for (col, text) in cells.iter().enumerate() {
                let col = u16::try_from(col).expect("column");
                sheet.write_string(at, col, text).expect("cell");
            }
        }
        book.save(path).expect("save the workbook");
    } else {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(b"\xEF\xBB\xBF".to_vec());
        writer.write_record(headers).expect("header");
        for row in rows {
            writer.write_record(row).expect("row");
        }
        std::fs::write(path, writer.into_inner().expect("csv")).expect("save the csv");
    }
}

/// 改正案, the whole new wording a clerk types for a provision to amend, is
/// carried into the next checklist (XLSX and CSV) like 備考, from an edited
/// XLSX and from an edited CSV, its line break, comma and quotes kept; a
/// checklist written before the column existed merges as well, 改正案 empty
/// in the new one and its other decisions carried.
#[test]
fn a_proposed_wording_is_carried_over_and_an_older_checklist_without_it_merges() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = manifest().join("corpus");
    scan(&corpus, &dir.path().join("first"), None);
    let first = read_ledger(&dir.path().join("first/checklist.xlsx")).expect("first checklist");
    assert_eq!(first.headers, tenken::checklist::COLUMNS);
    assert!(first.rows.len() > 50, "{} findings", first.rows.len());
    // A wording proposed on every third row, each marked 例規改正.
    let proposed: BTreeMap<String, String> = first
        .rows
        .iter()
        .enumerate()
        .filter(|(n, _)| n % 3 == 0)
        .map(|(n, row)| (row.id.clone(), proposed_wording(n)))
        .collect();
    let note = |id: &str| format!("メモ {id}");
    // The first checklist as the clerk saved it, with or without 改正案.
    let edited = |with_proposals: bool| -> Grid {
        let headers: Vec<String> = first
            .headers
            .iter()
            .filter(|h| with_proposals || *h != "改正案")
            .cloned()
            .collect();
        let rows = first
            .rows
            .iter()
            .map(|row| {
                let wording = proposed.get(&row.id);
                headers
                    .iter()
                    .map(|h| match (h.as_str(), wording) {
                        ("ID", _) => row.id.clone(),
                        ("備考", _) => note(&row.id),
                        ("改正案", Some(wording)) => wording.clone(),
                        ("見直し方針", Some(_)) => "例規改正".into(),
                        (h, _) => row.value(h).to_string(),
                    })
                    .collect()
            })
            .collect();
        (headers, rows)
    };
    for (name, with_proposals) in [
        ("edited.xlsx", true),
        ("edited.csv", true),
        ("older.xlsx", false),
        ("older.csv", false),
    ] {
        let ledger = dir.path().join(name);
        save_grid(&ledger, &edited(with_proposals));
        let out = dir.path().join(format!("out-{name}"));
        scan(&corpus, &out, Some(&ledger));
        assert!(
            !out.join("unmatched-decisions.csv").exists(),
            "{name}: every decision placed"
        );
        for checklist in ["checklist.xlsx", "checklist.csv"] {
            let what = format!("{name} → {checklist}");
            let merged = read_ledger(&out.join(checklist)).expect("new checklist");
            // 改正案 is tenken's own column again, right after 備考, and
            // never a column the reviewers added.
            assert_eq!(merged.headers, tenken::checklist::COLUMNS, "{what}");
            assert_eq!(merged.rows.len(), first.rows.len(), "{what}");
            for row in &merged.rows {
                let id = &row.id;
                assert_eq!(row.value("状態"), "変更なし", "{what}: {id}");
                assert_eq!(row.value("備考"), note(id), "{what}: {id}");
                let wording = proposed.get(id).filter(|_| with_proposals);
                assert_eq!(
                    row.value("改正案"),
                    wording.map_or("", String::as_str),
                    "{what}: {id}"
                );
                let policy = if proposed.contains_key(id) {
                    "例規改正"
                } else {
                    ""
                };
                assert_eq!(row.value("見直し方針"), policy, "{what}: {id}");
            }
        }
    }
}

#[test]
fn an_unreadable_ledger_stops_the_scan_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let ledger = dir.path().join("ledger.csv");
    std::fs::write(
        &ledger,
        "ID,該非,備考\r\n0123456789ab-01234567,該当,a\r\n,,\r\n",
    )
    .expect("seed");
    std::fs::write(dir.path().join("bad.xlsx"), b"PK\x03\x04 not really a zip").expect("bad");
    for (file, says) in [
        (
            dir.path().join("missing.xlsx"),
            "missing.xlsx: チェックリストを読めません: 見つかりません",
        ),
        (
            dir.path().join("bad.xlsx"),
            "bad.xlsx: 表計算ファイルとして開けません",
        ),
        (
            manifest().join("corpus/README.md"),
            "README.md: tenken のチェックリストではないようです",
        ),
    ] {
        let output = tenken(&[
            "scan",
            "corpus",
            "--out",
            &out.display().to_string(),
            "--ledger",
            &file.display().to_string(),
        ]);
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(says) && stderr.contains("何も書き込んでいません"),
            "{stderr}"
        );
        assert!(!out.exists(), "nothing is written");
    }
}

/// The copy of a replaced ledger is named after the ledger's file name, which
/// the user chooses: whatever it is, the copy is written in `<out>/history/`.
#[cfg(unix)]
#[test]
fn the_ledger_copy_stays_in_history_whatever_the_ledger_is_called() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    let corpus = manifest().join("corpus");
    scan(&corpus, &out, None);
    let links = dir.path().join("links");
    std::fs::create_dir(&links).expect("links folder");
    let names = ["..\\..\\escape.xlsx", "...xlsx", "..xlsx", ".xlsx"];
    for name in names {
        let link = links.join(name);
        std::os::unix::fs::symlink(out.join("checklist.xlsx"), &link).expect("symlink");
        scan(&corpus, &out, Some(&link));
    }
    let history = std::fs::canonicalize(out.join("history")).expect("history folder");
    let copies: Vec<PathBuf> = std::fs::read_dir(&history)
        .expect("lists")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(copies.len(), names.len(), "{copies:?}");
    for copy in &copies {
        assert_eq!(copy.parent(), Some(history.as_path()), "{}", copy.display());
        assert!(copy.is_file(), "{}", copy.display());
    }
    let beside: std::collections::BTreeSet<_> = std::fs::read_dir(dir.path())
        .expect("lists")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(beside, ["links".into(), "out".into()].into());
}

#[test]
fn a_failed_write_or_a_killed_scan_leaves_the_previous_checklist_intact() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("out");
    scan(&manifest().join("corpus"), &out, None);
    let xlsx = out.join("checklist.xlsx");
    let before = std::fs::read(&xlsx).expect("checklist");

    // The copy of the ledger cannot be kept (a file is in the way of history/):
    // the scan stops and the checklist is the one it was.
    std::fs::write(out.join("history"), "in the way").expect("blocker");
    let output = tenken(&[
        "scan",
        "corpus",
        "--out",
        &out.display().to_string(),
        "--ledger",
        &xlsx.display().to_string(),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("checklist.xlsx: 置き換える前に控えを残せないため、何も書き込んでいません")
            && stderr.contains("history"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&xlsx).expect("checklist"), before);
    std::fs::remove_file(out.join("history")).expect("unblock");

    // Killed part-way at several moments: the checklist is always a whole one
    // (the old or the new), never a half-written file.
    let big = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    let input = if big.is_dir() {
        big
    } else {
        manifest().join("corpus")
    };
    for delay_ms in [50, 200, 600] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_tenken"))
            .args(["scan", &input.display().to_string(), "--quiet", "--out"])
            .arg(&out)
            .arg("--ledger")
            .arg(&xlsx)
            .current_dir(manifest())
            .spawn()
            .expect("spawn");
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let ledger = read_ledger(&xlsx).expect("the checklist is whole after a kill");
        assert!(!ledger.rows.is_empty());
    }
}

/// The checklist tenken writes for one finding is read back as that row:
/// every column under its header, in XLSX and CSV alike.
mod own_checklist {
    use tenken::checklist::{
        CHECKLIST_SHEET, COLUMNS, Held, ScanSummary, row_cells, write_csv, write_xlsx,
    };
    use tenken::ledger::{DECISION_COLUMNS, ID_HEADER, Ledger, Review, read_ledger};

    use crate::common::findings::posting;

    /// tenken's own row for `posting()`, as (header, text) without the ID.
    fn expected_cells() -> Vec<(String, String)> {
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let texts = row_cells(&review.rows[0], findings.first(), &review);
        COLUMNS
            .iter()
            .zip(texts)
            .filter(|(header, _)| **header != ID_HEADER)
            .map(|(header, text)| (header.to_string(), text))
            .collect()
    }

    fn assert_round_trip(ledger: &Ledger, sheet: &str) {
        assert_eq!(ledger.sheet, sheet);
        assert_eq!(ledger.headers, COLUMNS);
        assert_eq!(ledger.rows.len(), 1);
        let row = &ledger.rows[0];
        assert_eq!((row.row, row.id.as_str()), (2, posting().id.as_str()));
        assert_eq!(row.cells, expected_cells());
        for header in DECISION_COLUMNS {
            assert_eq!(row.get(header), Some(""), "{header}");
        }
    }

    #[test]
    fn reads_back_tenkens_own_xlsx() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.xlsx");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(
            &path,
            &rows,
            &review,
            &ScanSummary::default(),
            &tenken::rules::Taxonomy::built_in(),
        )
        .expect("write");
        let ledger = read_ledger(&path).expect("read");
        assert_eq!(ledger.path, path);
        assert_round_trip(&ledger, CHECKLIST_SHEET);
    }

    #[test]
    fn reads_back_tenkens_own_csv() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.csv");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_csv(&path, &rows, &review).expect("write");
        let ledger = read_ledger(&path).expect("read");
        assert_round_trip(&ledger, "");
    }

    #[test]
    fn the_format_comes_from_the_content_not_the_extension() {
        let dir = tempfile::tempdir().expect("temp dir");
        let xlsx_path = dir.path().join("checklist.xlsx");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(
            &xlsx_path,
            &rows,
            &review,
            &ScanSummary::default(),
            &tenken::rules::Taxonomy::built_in(),
        )
        .expect("write");
        let renamed = dir.path().join("renamed.csv");
        std::fs::rename(&xlsx_path, &renamed).expect("rename");
        let ledger = read_ledger(&renamed).expect("read");
        assert_round_trip(&ledger, CHECKLIST_SHEET);
    }
}
