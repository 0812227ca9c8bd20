//! The review checklist as staff and tools read it: all three formats are
//! written for hand-made findings, then the XLSX and CSV are read back with
//! Python's openpyxl and csv modules (tests/checklist_check.py: cells, the
//! Japanese font, the frozen panes, row heights, folded detail columns, page
//! setup and print scale, the 集計 formulas and their values), and the JSONL
//! with serde and the project's scorer (../shared/tools/score.py). The Python
//! parts are skipped with a note when python3 or openpyxl is missing.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::findings::{HOJOKIN, KOUKOKUSHIKI, OKUGAI, inspection, posting, seal};
use crate::common::python_has;
use serde_json::json;
use tenken::checklist::{
    CELL_MAX, COLUMNS, DocumentInfo, FIRST_DETAIL_COLUMN, FONT_NAME, Held, MAX_ROW_POINTS,
    ScanSummary, UnreadableFile, write_all, write_jsonl,
};
use tenken::matching::Finding;

fn document(file: &str, title: &str, number: &str, doc_kind: &str) -> DocumentInfo {
    DocumentInfo {
        file: file.into(),
        title: title.into(),
        number: Some(number.into()),
        doc_kind: doc_kind.into(),
        ..DocumentInfo::default()
    }
}

fn summary() -> ScanSummary {
    ScanSummary {
        documents: vec![
            document(
                KOUKOKUSHIKI,
                "つばき町公告式条例",
                "昭和30年条例第1号",
                "条例",
            ),
            document(
                OKUGAI,
                "つばき町屋外広告物条例",
                "平成15年条例第9号",
                "条例",
            ),
            document(
                HOJOKIN,
                "つばき町補助金交付規則",
                "令和2年規則第3号",
                "規則",
            ),
        ],
        unreadable: vec![UnreadableFile {
            file: "reiki/broken.pdf".into(),
            reason: "例規のテキストではありません。PDF 文書です (not a legal text)".into(),
        }],
    }
}

/// The findings in document order within each file, files interleaved, as
/// the scan might hand them over.
fn findings() -> Vec<Finding> {
    vec![posting(), seal(), inspection()]
}

/// A row in the order of `COLUMNS`, from its cells by header ("" for the rest).
fn in_columns(cells: &[(&str, &str)]) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|header| {
            let cell = cells.iter().find(|(h, _)| h == header);
            cell.map_or("", |(_, value)| value).to_string()
        })
        .collect()
}

/// The checklist row of the posting finding, spelt out by hand.
fn posting_row() -> Vec<String> {
    in_columns(&[
        ("例規名", "つばき町屋外広告物条例"),
        ("例規番号", "平成15年条例第9号"),
        ("種別", "条例"),
        ("条項", "第5条第2項"),
        ("見出し", "許可の表示"),
        (
            "該当箇所",
            "許可を受けた者は、許可証を当該広告物の【見やすい場所】に【掲示】しなければならない。",
        ),
        ("類型", "書面掲示規制 (posting)"),
        (
            "検出根拠",
            "posting.keiji: 「掲示」+ 義務「しなければならない」\nposting.place: 「見やすい場所」",
        ),
        ("電子的代替の有無", "なし"),
        ("優先度", "高"),
        (
            "見直しの方向性",
            "紙の掲示 → インターネットでも公開 → インターネットのみ",
        ),
        ("想定される技術", "ウェブサイトでの公開, 電子掲示板"),
        ("状態", "新規"),
        ("ファイル", OKUGAI),
        ("ID", "okugai-5-2-posting"),
    ])
}

/// The seal finding's row, judged 非該当 with a note by the reviewer.
fn seal_row() -> Vec<String> {
    in_columns(&[
        ("例規名", "つばき町補助金交付規則"),
        ("例規番号", "令和2年規則第3号"),
        ("種別", "規則"),
        ("条項", "第8条"),
        ("見出し", "交付の申請"),
        (
            "該当箇所",
            "補助金の交付を受けようとする者は、申請書に【記名押印】し、町長に提出しなければならない。ただし、電子情報処理組織を使用して申請する場合は、この限りでない。",
        ),
        ("類型", "押印・署名 (seal)"),
        (
            "検出根拠",
            "seal.oin: 「記名押印」+ 義務「しなければならない」; 電子的方法あり",
        ),
        ("電子的代替の有無", "あり"),
        ("優先度", "低"),
        ("見直しの方向性", "押印 → オンラインも可 → オンライン優先"),
        ("想定される技術", "電子申請, 電子署名"),
        ("状態", "新規"),
        ("該非", "非該当"),
        ("備考", "電子申請で足りる"),
        ("ファイル", HOJOKIN),
        ("ID", "hojokin-8-seal"),
    ])
}

/// The inspection finding's row; its caption is given as the sheet shows it.
fn inspection_row(caption: &'static str) -> Vec<String> {
    in_columns(&[
        ("例規名", "つばき町屋外広告物条例"),
        ("例規番号", "平成15年条例第9号"),
        ("種別", "条例"),
        ("条項", "第12条"),
        ("見出し", caption),
        (
            "該当箇所",
            "町長は、許可台帳を【備え置き】、関係者の請求があったときは、これを【閲覧】させなければならない。",
        ),
        ("類型", "往訪閲覧・縦覧規制 (visit_inspection)"),
        (
            "検出根拠",
            "visit.etsuran: 「閲覧」+ 義務「させなければならない」",
        ),
        ("電子的代替の有無", "なし"),
        ("優先度", "中"),
        (
            "見直しの方向性",
            "窓口での閲覧 → オンラインでも閲覧 → オンラインを原則",
        ),
        ("想定される技術", "ウェブ公開, オンライン閲覧システム"),
        ("状態", "新規"),
        ("ファイル", OKUGAI),
        ("ID", "okugai-12-visit"),
    ])
}

fn expectations() -> serde_json::Value {
    json!({
        "header": COLUMNS,
        "ids": ["hojokin-8-seal", "okugai-5-2-posting", "okugai-12-visit"],
        "rows": {
            "okugai-5-2-posting": posting_row(),
            "hojokin-8-seal": seal_row(),
            "okugai-12-visit": inspection_row("=SUM(1,2)"),
        },
        "csv_rows": {
            "okugai-5-2-posting": posting_row(),
            "hojokin-8-seal": seal_row(),
            "okugai-12-visit": inspection_row("'=SUM(1,2)"),
        },
        "judgement": ["該当", "非該当"],
        "policy": ["例規改正", "解釈の明確化", "運用の見直し", "対応不要"],
        "text_cells": [["okugai-12-visit", "見出し"]],
        "font": FONT_NAME,
        "frozen": "C2",
        "detail_columns": COLUMNS[FIRST_DETAIL_COLUMN..],
        "max_cell": CELL_MAX,
        "max_row_height": MAX_ROW_POINTS,
        "summary": {
            "counts": {
                "つばき町屋外広告物条例": {
                    "書面掲示規制": 1,
                    "往訪閲覧・縦覧規制": 1,
                    "押印・署名": 0,
                    "合計": 2,
                },
                "つばき町補助金交付規則": {"押印・署名": 1, "合計": 1},
                "つばき町公告式条例": {"書面掲示規制": 0, "合計": 0},
            },
            "priority": {"高": 1, "中": 1, "低": 1},
            "overview": {
                "対象例規数": 3,
                "指摘件数（解消を除く）": 3,
                "うち電子的代替あり": 1,
                "読み込めなかったファイル": 1,
            },
            // The progress, as formulas with these values.
            "progress": {
                "新規": 3,
                "変更なし": 0,
                "要再確認": 0,
                "解消": 0,
                "照合できなかった判断": 0,
                "点検対象（解消を除く）": 3,
                "判断済み（該非の記入あり）": 1,
                "うち該当": 0,
                "うち非該当": 1,
                "未判断": 2,
                "進捗率": 0.33,
            },
            // 類型 → [件数, うち電子的代替あり, 判断済み, うち該当, 未判断, 進捗率]
            "by_kind": {
                "押印・署名 (seal)": [1, 1, 1, 0, 0, 1],
                "書面掲示規制 (posting)": [1, 0, 0, 0, 1, 0],
                "目視規制 (visual)": [0, 0, 0, 0, 0, 1],
                "合計": [3, 1, 1, 0, 2, 0.33],
            },
        },
    })
}

/// Writes the checklist of `findings()`, the seal row judged 非該当 with a note.
fn write_checklist(dir: &Path) -> Vec<PathBuf> {
    let findings = findings();
    let mut review = tenken::ledger::Review::fresh(&findings);
    let seal = review
        .rows
        .iter_mut()
        .find(|r| r.id == "hojokin-8-seal")
        .expect("the seal row");
    seal.decisions = vec![
        ("該非".into(), "非該当".into()),
        ("備考".into(), "電子申請で足りる".into()),
    ];
    let rows = Held {
        findings: &findings,
        review: &review,
    };
    let taxonomy = tenken::rules::Taxonomy::built_in();
    write_all(dir, &rows, &review, &summary(), &taxonomy).expect("write the checklist")
}

#[test]
fn write_all_writes_three_files_and_no_temporary_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("checklist");
    let paths = write_checklist(&out);
    let names: Vec<String> = paths
        .iter()
        .map(|p| p.file_name().unwrap_or_default().to_string_lossy().into())
        .collect();
    assert_eq!(names, ["checklist.xlsx", "checklist.csv", "findings.jsonl"]);
    // Again over the same folder: the files are replaced, nothing else is left.
    write_checklist(&out);
    let mut listed: Vec<String> = std::fs::read_dir(&out)
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into())
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        ["checklist.csv", "checklist.xlsx", "findings.jsonl"]
    );
    let bytes = std::fs::read(&paths[0]).expect("xlsx");
    assert_eq!(&bytes[..2], b"PK");
}

#[test]
fn jsonl_round_trips_in_checklist_order() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("findings.jsonl");
    let findings = findings();
    let review = tenken::ledger::Review::fresh(&findings);
    let rows = Held {
        findings: &findings,
        review: &review,
    };
    write_jsonl(&path, &rows).expect("write");
    let text = std::fs::read_to_string(&path).expect("read");
    let back: Vec<Finding> = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a Finding per line"))
        .collect();
    assert_eq!(back, vec![seal(), posting(), inspection()]);
}

#[test]
fn jsonl_is_accepted_by_the_scorer() {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scorer = manifest.join("../shared/tools/score.py");
    if !scorer.exists() || !python_has("json") {
        eprintln!("note: ../shared/tools/score.py or python3 missing; scorer check skipped");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = write_checklist(dir.path());
    // The gold file prints numbers its own way; the scorer must still match them.
    let gold = dir.path().join("gold.tsv");
    let rows = [
        "id\tfile\tarticle\tparagraph\tcodes\tdigital\tnote",
        &format!("g1\t{OKUGAI}\t第五条\t２\tposting\tno\t掲示"),
        &format!("g2\t{HOJOKIN}\t第8条\t\tseal\tyes\t押印、電子申請可"),
        &format!("g3\t{OKUGAI}\t第十二条\t\tvisit_inspection\tno\t閲覧"),
        &format!("g4\t{KOUKOKUSHIKI}\t第2条\t\tnone\tno\t公告の方法"),
    ];
    std::fs::write(&gold, rows.join("\n") + "\n").expect("gold");
    let out = Command::new("python3")
        .arg(&scorer)
        .arg(&gold)
        .arg(&paths[2])
        .output()
        .expect("run score.py");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("paragraph x code: precision 1.000 recall 1.000 f1 1.000"),
        "{stdout}"
    );
    assert!(
        stdout.contains("digital-alternative flag agrees on 3/3"),
        "{stdout}"
    );
}

#[test]
fn xlsx_and_csv_read_back_with_openpyxl_and_csv() {
    if !python_has("openpyxl") {
        eprintln!(
            "note: python3 with openpyxl is missing (pip install openpyxl); \
             the XLSX/CSV reader check is skipped"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let paths = write_checklist(&dir.path().join("out"));
    let want = dir.path().join("expected.json");
    let json = serde_json::to_string_pretty(&expectations()).expect("json");
    std::fs::write(&want, json).expect("expectations");
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/checklist_check.py");
    let out = Command::new("python3")
        .arg(script)
        .arg(&paths[0])
        .arg(&paths[1])
        .arg(&want)
        .output()
        .expect("run checklist_check.py");
    assert!(
        out.status.success(),
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    print!("{}", String::from_utf8_lossy(&out.stdout));
}
