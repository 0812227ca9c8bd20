//! The review checklist (点検チェックリスト) that legal staff work in, following the
//! Digital Agency's review workflow: one row per finding with what was found and
//! where, the usual review direction, and empty decision columns for the reviewer
//! (該非, 見直し方針, 対応予定時期, 担当課, 備考, 改正案), ending with the finding's stable ID so
//! decisions can be carried over to a re-scan.
//!
//! Three formats, each written atomically (temporary file, then rename):
//! - `checklist.xlsx`: sheet 「チェックリスト」 in 游ゴシック (header row and
//!   例規名・条項 frozen, autofilter, rows as tall as their wrapped text,
//!   drop-down lists on the decision columns, detail columns folded away, A3
//!   landscape one page wide) and sheet 「集計」 (progress and counts by 状態,
//!   類型 and 優先度 as formulas over the checklist, counts per 例規);
//! - `checklist.csv`: the same columns in the same order, UTF-8 with BOM and
//!   CRLF for Excel;
//! - `findings.jsonl`: one `Finding` per line, for tools (`score.py`, reports).
//!
//! Rows are grouped by file; within a file the input (document) order is kept.
//! The writers take the rows through [`Rows`], one pass per file written, so
//! the rows can be held in memory ([`Held`]) or read back from disk as they
//! are written (the scan journal), and memory does not grow with the corpus.

mod delimited;
pub(crate) mod layout;
mod row_heights;
mod sheet;
mod summary;
mod table;

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::matching::Finding;
use crate::output::write_atomically;
use crate::review::{Review, ReviewRow};
use crate::rules::Taxonomy;

pub use crate::review::{
    DocumentInfo, PLACE_HEADER, REASON_HEADER, ScanSummary, UNMATCHED_CSV_NAME, UnreadableFile,
};
pub use layout::{FONT_NAME, MAX_ROW_POINTS};
pub use row_heights::read_part;
pub use sheet::{CHECKLIST_SHEET, UNMATCHED_SHEET, write_xlsx};
pub use summary::SUMMARY_SHEET;
pub use table::{
    CELL_MAX, COLUMNS, FILE_COLUMN, FIRST_DECISION_COLUMN, FIRST_DETAIL_COLUMN, ID_COLUMN,
    IDENTIFYING_COLUMNS, JUDGEMENT_CHOICES, POLICY_CHOICES, STATUS_COLUMN, finding_cell, headers,
    row_cells,
};

/// The file names `write_all` writes.
pub const XLSX_NAME: &str = "checklist.xlsx";
pub const CSV_NAME: &str = "checklist.csv";
pub const JSONL_NAME: &str = "findings.jsonl";

/// Why a checklist could not be written; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ChecklistError {
    #[error(
        "{}: チェックリストのフォルダを作れません: {}",
        path.display(),
        crate::messages::io(source)
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: 書き込めません: {}", path.display(), crate::messages::io(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: 表計算ファイルを作れません (cannot build the spreadsheet: {source})",
        path.display()
    )]
    Spreadsheet {
        path: PathBuf,
        source: rust_xlsxwriter::XlsxError,
    },
}

/// The rows of a checklist in order, each with its finding (`None` for a row
/// whose finding is gone). Writers go through them once per file they write.
pub trait Rows {
    /// Calls `each` on every row in checklist order, stopping at the first error.
    fn visit(
        &self,
        each: &mut dyn FnMut(&ReviewRow, Option<&Finding>) -> std::io::Result<()>,
    ) -> std::io::Result<()>;
}

/// Rows held in memory: a review and the findings its rows point to.
#[derive(Debug, Clone, Copy)]
pub struct Held<'a> {
    pub findings: &'a [Finding],
    pub review: &'a Review,
}

impl Rows for Held<'_> {
    fn visit(
        &self,
        each: &mut dyn FnMut(&ReviewRow, Option<&Finding>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        for row in &self.review.rows {
            each(row, row.finding.and_then(|i| self.findings.get(i)))?;
        }
        Ok(())
    }
}

/// Writes the CSV checklist: UTF-8 with BOM, CRLF, RFC 4180 quoting.
pub fn write_csv(path: &Path, rows: &dyn Rows, review: &Review) -> Result<(), ChecklistError> {
    write_file(path, |w| delimited::write(w, rows, review))
}

/// Writes the decisions that could not be placed as CSV (as [`write_csv`]).
pub fn write_unmatched_csv(path: &Path, review: &Review) -> Result<(), ChecklistError> {
    write_file(path, |w| delimited::write_unmatched(w, review))
}

/// Writes one JSON line per finding, in checklist order (rows whose finding
/// is gone have no line).
pub fn write_jsonl(path: &Path, rows: &dyn Rows) -> Result<(), ChecklistError> {
    write_file(path, |w| {
        rows.visit(&mut |_, finding| {
            if let Some(finding) = finding {
                serde_json::to_writer(&mut *w, finding)?;
                w.write_all(b"\n")?;
            }
            Ok(())
        })
    })
}

/// Creates `dir` and writes `checklist.xlsx`, `checklist.csv` and
/// `findings.jsonl` into it (and `unmatched-decisions.csv` when the review
/// has decisions it could not place); returns their paths in that order.
/// The 集計 sheet counts by the 類型 of `taxonomy` (the rules').
pub fn write_all(
    dir: &Path,
    rows: &dyn Rows,
    review: &Review,
    summary: &ScanSummary,
    taxonomy: &Taxonomy,
) -> Result<Vec<PathBuf>, ChecklistError> {
    std::fs::create_dir_all(dir).map_err(|source| ChecklistError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let xlsx = dir.join(XLSX_NAME);
    let csv = dir.join(CSV_NAME);
    let jsonl = dir.join(JSONL_NAME);
    write_xlsx(&xlsx, rows, review, summary, taxonomy)?;
    write_csv(&csv, rows, review)?;
    write_jsonl(&jsonl, rows)?;
    let mut written = vec![xlsx, csv, jsonl];
    if !review.unmatched.is_empty() {
        let unmatched = dir.join(UNMATCHED_CSV_NAME);
        write_unmatched_csv(&unmatched, review)?;
        written.push(unmatched);
    }
    Ok(written)
}

/// Writes `path` atomically, naming it in any error.
fn write_file(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<(), ChecklistError> {
    write_atomically(path, write).map_err(|source| ChecklistError::Write {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::fixtures::posting;

    /// Writes the rows of a fresh review of `findings` with `write`.
    fn fresh<T>(findings: &[Finding], write: impl FnOnce(&Held<'_>, &Review) -> T) -> T {
        let review = Review::fresh(findings);
        write(
            &Held {
                findings,
                review: &review,
            },
            &review,
        )
    }

    #[test]
    fn rows_group_files_and_keep_document_order() {
        let mut second = posting();
        second.id = "posting-0002".into();
        let mut other = posting();
        other.file = "a/規則.txt".into();
        other.id = "other".into();
        let findings = vec![posting(), other, second];
        let mut ids = Vec::new();
        fresh(&findings, |rows, _| {
            rows.visit(&mut |row, finding| {
                assert_eq!(finding.map(|f| f.id.as_str()), Some(row.id.as_str()));
                ids.push(row.id.clone());
                Ok(())
            })
        })
        .expect("visit");
        assert_eq!(ids, ["other", "posting-0001", "posting-0002"]);
    }

    #[test]
    fn jsonl_is_one_finding_per_line_with_the_scoring_fields() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("findings.jsonl");
        fresh(&[posting(), posting()], |rows, _| write_jsonl(&path, rows)).expect("write");
        let text = std::fs::read_to_string(&path).expect("read");
        assert_eq!(text.lines().count(), 2);
        let line = text.lines().next().unwrap_or_default();
        let value: serde_json::Value = serde_json::from_str(line).expect("json");
        assert_eq!(value["file"], "b/屋外広告物条例.txt");
        assert_eq!(value["article"], "第5条");
        assert_eq!(value["paragraph"], "2");
        assert_eq!(value["code"], "posting");
        assert_eq!(value["digital_alternative"], false);
        assert_eq!(value["part"], "main");
        let back: Finding = serde_json::from_str(line).expect("round trip");
        assert_eq!(back, posting());
    }

    #[test]
    fn errors_name_the_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing-folder").join("checklist.csv");
        let error = fresh(&[posting()], |rows, review| write_csv(&path, rows, review))
            .expect_err("no folder");
        assert!(
            error
                .to_string()
                .starts_with(&format!("{}: 書き込めません: ", path.display())),
            "{error}"
        );
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "x").expect("seed");
        let error = fresh(&[], |rows, review| {
            write_all(
                &blocker.join("out"),
                rows,
                review,
                &ScanSummary::default(),
                &Taxonomy::built_in(),
            )
        })
        .expect_err("a file in the way");
        assert!(
            error.to_string().starts_with(&format!(
                "{}: チェックリストのフォルダを作れません: ",
                blocker.join("out").display()
            )),
            "{error}"
        );
    }
}
