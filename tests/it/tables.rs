//! Tables in 別表 on the real legal texts of `../shared/corpus` (when it is
//! there): a scan's findings in a 別表 point at the row that states them, each
//! one's excerpt is that row, and no excerpt is longer than the cap.

use crate::common::{ipadic_missing, manifest, tenken};

use std::collections::HashMap;
use std::path::PathBuf;

use tenken::matching::EXCERPT_MAX;
use tenken::reading::files;
use tenken::structure::{Document, ProvisionKind};

fn shared_corpus() -> Option<PathBuf> {
    let root = manifest().join("../shared/corpus");
    if root.is_dir() {
        Some(root)
    } else {
        eprintln!("note: {} is not here; skipping this test", root.display());
        None
    }
}

/// The findings of `tenken scan ../shared/corpus`.
fn scan_shared() -> Vec<serde_json::Value> {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().to_string_lossy().into_owned();
    let result = tenken(&["scan", "-q", "../shared/corpus", "--out", &out]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    std::fs::read_to_string(dir.path().join("findings.jsonl"))
        .expect("findings.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

/// Every document of the shared corpus, as the scan reads them.
fn read_shared(root: &PathBuf) -> Vec<Document> {
    let (mut sources, walk_errors) = files::collect(std::slice::from_ref(root));
    assert!(walk_errors.is_empty(), "{walk_errors:?}");
    sources.retain(|s| !s.name.starts_with("gold/"));
    files::read_all(&sources, &|_| {})
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

fn field<'f>(finding: &'f serde_json::Value, name: &str) -> &'f str {
    finding[name].as_str().unwrap_or_default()
}

/// The excerpt without its 【】 marks and … cuts.
fn unmarked(excerpt: &str) -> String {
    excerpt
        .replace(['【', '】'], "")
        .trim_matches('…')
        .to_string()
}

#[test]
fn findings_in_tables_point_at_rows_and_no_excerpt_overflows() {
    let Some(root) = shared_corpus() else { return };
    if ipadic_missing() {
        return;
    }
    let findings = scan_shared();
    assert!(findings.len() > 1_000, "only {} findings", findings.len());
    let length = |f: &serde_json::Value| field(f, "excerpt").chars().count();
    let longest = findings.iter().map(length).max().unwrap_or(0);
    let over_500 = findings.iter().filter(|f| length(f) > 500).count();
    eprintln!(
        "{} findings; longest excerpt {longest} characters; {over_500} over 500",
        findings.len()
    );
    let overflowing: Vec<String> = findings
        .iter()
        .filter(|f| length(f) > EXCERPT_MAX)
        .map(|f| {
            format!(
                "{} {}: {}",
                field(f, "file"),
                field(f, "citation"),
                length(f)
            )
        })
        .collect();
    assert!(overflowing.is_empty(), "{overflowing:#?}");

    let documents = read_shared(&root);
    let mut provisions = HashMap::new();
    for document in &documents {
        for provision in document.walk() {
            provisions.insert(
                (document.file.as_str(), provision.normalized.as_str()),
                provision,
            );
        }
    }
    let in_appendix: Vec<&serde_json::Value> = findings
        .iter()
        .filter(|f| field(f, "part") == "appendix")
        .collect();
    // On this corpus every finding in a 別表 is in one of its tables.
    assert!(in_appendix.len() > 100, "{} findings", in_appendix.len());
    for finding in &in_appendix {
        let place = format!("{} {}", field(finding, "file"), field(finding, "citation"));
        assert_eq!(field(finding, "unit"), "row", "{place}");
        assert!(field(finding, "citation").ends_with("行）"), "{place}");
        let key = (field(finding, "file"), field(finding, "normalized"));
        let row = provisions
            .get(&key)
            .unwrap_or_else(|| panic!("{place}: no such row"));
        assert_eq!(row.kind, ProvisionKind::Row, "{place}");
        let marked = field(finding, "excerpt");
        let excerpt = unmarked(marked);
        if marked.starts_with('…') || marked.ends_with('…') {
            assert!(row.text.contains(&excerpt), "{place}: {marked}");
        } else {
            assert_eq!(excerpt, row.text, "{place}");
        }
    }
    // The table that made the longest excerpt before rows: 32,317 characters.
    let worst: Vec<&&serde_json::Value> = in_appendix
        .iter()
        .filter(|f| {
            field(f, "file") == "legacy-sjis/7dd5aeeaebb04393.html"
                && field(f, "citation").starts_with("別表第三（第")
        })
        .collect();
    assert!(worst.len() > 10, "{} findings in 別表第三", worst.len());
    assert!(worst.iter().all(|f| length(f) < 500));
}
