//! Unit tests of pairing, keying, the merge order and the finding rules.

use super::*;
use crate::matching::fixtures::posting;

fn finding(normalized: &str, code: &str, digital: bool, wording: &str) -> Finding {
    let mut f = posting();
    f.file = "a.txt".into();
    f.normalized = normalized.into();
    f.citation = format!("第{normalized}");
    f.code = code.into();
    f.digital_alternative = digital;
    f.id = format!("000000000000-{wording}");
    f
}

fn unit(normalized: &str, occurrence: usize, text: &str) -> Unit {
    Unit {
        normalized: normalized.into(),
        occurrence,
        citation: format!("第{normalized}"),
        text: text.into(),
    }
}

fn doc(file: &str, title: &str, units: Vec<Unit>, findings: Vec<Finding>) -> SideDocument {
    SideDocument {
        file: file.into(),
        title: title.into(),
        units: Some(units),
        findings,
    }
}

fn version(label: &str, documents: Vec<SideDocument>) -> Version {
    Version {
        label: label.into(),
        documents,
        skipped: Vec::new(),
    }
}

#[test]
fn pairs_by_file_then_by_title_and_leaves_the_rest_alone() {
    let old = vec![
        doc("a.txt", "甲条例", vec![], vec![]),
        doc("b.txt", "乙条例", vec![], vec![]),
        doc("c.txt", "丙条例", vec![], vec![]),
        doc("d.txt", "", vec![], vec![]),
    ];
    let new = vec![
        doc("a.txt", "甲条例（改）", vec![], vec![]),
        doc("b2.txt", "乙条例", vec![], vec![]),
        doc("e.txt", "", vec![], vec![]),
        doc("f.txt", "戊条例", vec![], vec![]),
    ];
    let pairs = pair(&old, &new);
    let expect = |old, new, by| Pairing { old, new, by };
    assert_eq!(
        pairs,
        vec![
            expect(Some(0), Some(0), Some(PairedBy::File)),
            expect(Some(1), Some(1), Some(PairedBy::Title)),
            expect(Some(2), None, None),
            // An empty title pairs with nothing.
            expect(Some(3), None, None),
            expect(None, Some(2), None),
            expect(None, Some(3), None),
        ]
    );
}

#[test]
fn a_title_pairs_with_only_one_document() {
    let old = vec![
        doc("x/1.txt", "同名要綱", vec![], vec![]),
        doc("x/2.txt", "同名要綱", vec![], vec![]),
    ];
    let new = vec![doc("y/1.txt", "同名要綱", vec![], vec![])];
    let pairs = pair(&old, &new);
    assert_eq!(pairs[0].new, Some(0));
    assert_eq!(pairs[1].new, None);
}

#[test]
fn merge_order_places_removed_keys_where_they_were() {
    let old = ["1", "2", "3", "4"];
    let new = ["1", "3", "3-2", "4", "5"];
    assert_eq!(
        merge_order(&old, &new),
        vec![
            (Some(0), Some(0)),
            (Some(1), None),
            (Some(2), Some(1)),
            (None, Some(2)),
            (Some(3), Some(3)),
            (None, Some(4)),
        ]
    );
    // Reordered keys are still all paired, and removed ones at the end come last.
    assert_eq!(
        merge_order(&["a", "b", "c"], &["b", "a"]),
        vec![(Some(1), Some(0)), (Some(0), Some(1)), (Some(2), None)]
    );
}

#[test]
fn units_are_keyed_by_citation_and_rank() {
    let document = crate::reading::read_bytes(
        "テスト条例\n\n第一条　書面を提出しなければならない。\n２　第二項の本文。\n\n　　　附　則\n　この条例は、公布の日から施行する。\n"
            .as_bytes(),
        "t.txt",
    )
    .expect("reads");
    let units = units(&document);
    let keys: Vec<(&str, usize)> = units
        .iter()
        .map(|u| (u.normalized.as_str(), u.occurrence))
        .collect();
    assert!(keys.contains(&("1/1", 1)), "{keys:?}");
    assert!(keys.contains(&("1/2", 1)), "{keys:?}");
    assert!(units.iter().all(|u| !u.text.trim().is_empty()));
    // A provision that occurs twice under one normal form gets rank 2.
    let old = vec![unit("S/1", 1, "甲"), unit("S/1", 2, "乙")];
    let new = vec![unit("S/1", 1, "甲"), unit("S/1", 2, "丙")];
    let changes = provision_changes(&old, &new);
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].occurrence, 2);
    assert_eq!(changes[0].change, ProvisionChangeKind::Amended);
}

#[test]
fn provision_changes_compare_trimmed_text() {
    let old = vec![
        unit("1/1", 1, "同じ。"),
        unit("1/2", 1, "消える。"),
        unit("2/1", 1, "七日"),
    ];
    let new = vec![
        unit("1/1", 1, "　同じ。\n"),
        unit("2/1", 1, "十日"),
        unit("3/1", 1, "新しい。"),
    ];
    let changes: Vec<(ProvisionChangeKind, String)> = provision_changes(&old, &new)
        .into_iter()
        .map(|c| (c.change, c.normalized))
        .collect();
    assert_eq!(
        changes,
        vec![
            (ProvisionChangeKind::Removed, "1/2".to_string()),
            (ProvisionChangeKind::Amended, "2/1".to_string()),
            (ProvisionChangeKind::Added, "3/1".to_string()),
        ]
    );
}

#[test]
fn findings_open_close_and_say_why() {
    let old = vec![
        finding("1/1", "posting", false, "aaaaaaaa"),
        finding("2/1", "seal", false, "bbbbbbbb"),
        finding("3/1", "media", true, "cccccccc"),
        finding("4/1", "visual", false, "dddddddd"),
    ];
    let new = vec![
        finding("1/1", "posting", true, "eeeeeeee"),
        finding("3/1", "media", false, "ffffffff"),
        finding("4/1", "visual", false, "99999999"),
        finding("5/1", "posting", false, "gggggggg"),
        finding("6/1", "posting", true, "hhhhhhhh"),
    ];
    let changes = finding_changes(&old, &new, false);
    let got: Vec<(FindingChangeKind, String, Option<ClosedBecause>)> = changes
        .iter()
        .map(|c| (c.change, c.normalized.clone(), c.closed_because))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                FindingChangeKind::Closed,
                "1/1".to_string(),
                Some(ClosedBecause::DigitalAlternative)
            ),
            (
                FindingChangeKind::Closed,
                "2/1".to_string(),
                Some(ClosedBecause::Absent)
            ),
            (FindingChangeKind::Opened, "3/1".to_string(), None),
            (FindingChangeKind::Opened, "5/1".to_string(), None),
        ]
    );
    // Comparing scan outputs also reports a finding whose wording changed.
    let amended: Vec<String> = finding_changes(&old, &new, true)
        .iter()
        .filter(|c| c.change == FindingChangeKind::Amended)
        .map(|c| c.normalized.clone())
        .collect();
    assert_eq!(amended, vec!["4/1".to_string()]);
}

#[test]
fn findings_go_under_the_change_at_their_citation() {
    let old_units = vec![unit("1/1", 1, "掲示する。"), unit("2/1", 1, "押印する。")];
    let new_units = vec![
        unit("1/1", 1, "掲示し、又は電磁的方法により公表する。"),
        unit("3/1", 1, "掲示する。"),
    ];
    let old = version(
        "old",
        vec![doc(
            "a.txt",
            "甲条例",
            old_units,
            vec![
                finding("1/1", "posting", false, "1"),
                finding("2/1", "seal", false, "2"),
                finding("9/1", "visual", false, "3"),
            ],
        )],
    );
    let new = version(
        "new",
        vec![doc(
            "a.txt",
            "甲条例",
            new_units,
            vec![
                finding("1/1", "posting", true, "4"),
                finding("3/1", "posting", false, "5"),
            ],
        )],
    );
    let report = diff(&old, &new);
    assert!(report.text_compared);
    let document = &report.documents[0];
    let by_citation = |n: &str| {
        document
            .provisions
            .iter()
            .find(|p| p.normalized == n)
            .expect("a change")
    };
    assert_eq!(by_citation("1/1").change, ProvisionChangeKind::Amended);
    assert_eq!(
        by_citation("1/1").findings[0].closed_because,
        Some(ClosedBecause::DigitalAlternative)
    );
    assert_eq!(
        by_citation("1/1").findings[0].provision,
        ProvisionState::Amended
    );
    assert_eq!(
        by_citation("2/1").findings[0].provision,
        ProvisionState::Removed
    );
    assert_eq!(
        by_citation("3/1").findings[0].change,
        FindingChangeKind::Opened
    );
    // 9/1 closed although its text did not change (the rules did).
    assert_eq!(document.findings.len(), 1);
    assert_eq!(document.findings[0].provision, ProvisionState::Unchanged);
    let s = &report.summary;
    assert_eq!(
        (
            s.provisions_added,
            s.provisions_removed,
            s.provisions_amended
        ),
        (1, 1, 1)
    );
    assert_eq!(
        (
            s.findings_opened,
            s.findings_closed,
            s.findings_closed_by_digital,
            s.findings_in_unchanged_provisions
        ),
        (1, 3, 1, 1)
    );
}

#[test]
fn an_amended_provision_says_which_codes_remain_open() {
    let old = version(
        "old",
        vec![doc(
            "a.txt",
            "甲",
            vec![unit("7/1", 1, "七日以上掲示する。")],
            vec![finding("7/1", "posting", false, "1")],
        )],
    );
    let new = version(
        "new",
        vec![doc(
            "a.txt",
            "甲",
            vec![unit("7/1", 1, "十日以上掲示する。")],
            vec![finding("7/1", "posting", false, "2")],
        )],
    );
    let report = diff(&old, &new);
    let change = &report.documents[0].provisions[0];
    assert!(change.findings.is_empty());
    assert_eq!(change.still_open.len(), 1);
    assert_eq!(change.still_open[0].code, "posting");
}

#[test]
fn unchanged_documents_are_counted_not_listed_and_renames_are_listed() {
    let same = || vec![unit("1/1", 1, "同じ。")];
    let old = version(
        "old",
        vec![
            doc("a.txt", "甲", same(), vec![]),
            doc("b.txt", "乙", same(), vec![]),
            doc(
                "c.txt",
                "丙",
                same(),
                vec![finding("1/1", "seal", false, "1")],
            ),
        ],
    );
    let new = version(
        "new",
        vec![
            doc("a.txt", "甲", same(), vec![]),
            doc("b-renamed.txt", "乙", same(), vec![]),
            doc(
                "d.txt",
                "丁",
                same(),
                vec![finding("1/1", "seal", false, "1")],
            ),
        ],
    );
    let report = diff(&old, &new);
    let s = &report.summary;
    assert_eq!(s.documents_unchanged, 1);
    assert_eq!(s.documents_changed, 1);
    assert_eq!(s.documents_paired_by_title, 1);
    assert_eq!((s.documents_added, s.documents_removed), (1, 1));
    assert_eq!((s.findings_opened, s.findings_closed), (1, 1));
    let files: Vec<(Option<&str>, Option<&str>, DocumentStatus)> = report
        .documents
        .iter()
        .map(|d| (d.old_file.as_deref(), d.new_file.as_deref(), d.status))
        .collect();
    assert_eq!(
        files,
        vec![
            (Some("b.txt"), Some("b-renamed.txt"), DocumentStatus::Paired),
            (Some("c.txt"), None, DocumentStatus::Removed),
            (None, Some("d.txt"), DocumentStatus::Added),
        ]
    );
    assert_eq!(
        report.documents[1].findings[0].provision,
        ProvisionState::Removed
    );
}

#[test]
fn scan_outputs_compare_findings_only() {
    let old = version(
        "old",
        documents_from_findings(vec![finding("1/1", "seal", false, "1")]),
    );
    let mut moved = finding("2/1", "posting", false, "2");
    moved.file = "b.txt".into();
    moved.title = "別の例規".into();
    let new = version(
        "new",
        documents_from_findings(vec![finding("1/1", "seal", false, "9"), moved]),
    );
    let report = diff(&old, &new);
    assert!(!report.text_compared);
    assert_eq!(report.summary.findings_amended, 1);
    assert_eq!(report.summary.findings_opened, 1);
    assert_eq!(report.summary.documents_in_one_output, 1);
    assert!(
        report
            .documents
            .iter()
            .flat_map(DocumentDiff::all_findings)
            .all(|f| f.provision == ProvisionState::NotCompared)
    );
}

#[test]
fn inputs_are_told_apart_and_not_mixed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let scan = dir.path().join("scan");
    let laws = dir.path().join("laws");
    std::fs::create_dir_all(&scan).expect("mkdir");
    std::fs::create_dir_all(&laws).expect("mkdir");
    std::fs::write(scan.join(JSONL_NAME), "").expect("write");
    assert_eq!(
        Input::classify(&scan).ok(),
        Some(Input::ScanOutput(scan.join(JSONL_NAME)))
    );
    assert_eq!(
        Input::classify(&laws).ok(),
        Some(Input::Legislation(laws.clone()))
    );
    let mixed = Input::classify_pair(&scan, &laws).expect_err("mixed");
    assert!(mixed.is_usage());
    assert!(mixed.to_string().contains("scan output"), "{mixed}");
    let missing = Input::classify_pair(&laws, &dir.path().join("nothing")).expect_err("missing");
    assert!(missing.is_usage());
}

#[test]
fn a_broken_findings_line_is_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join(JSONL_NAME);
    let line = serde_json::to_string(&posting()).expect("json");
    std::fs::write(&path, format!("{line}\n\n{{\"id\": 1}}\n")).expect("write");
    let error = read_findings(&path).expect_err("broken");
    assert!(error.to_string().contains(":3:"), "{error}");
    assert!(!error.is_usage());
    std::fs::write(&path, format!("\u{feff}{line}\n")).expect("write");
    assert_eq!(read_findings(&path).map(|f| f.len()).ok(), Some(1));
}
