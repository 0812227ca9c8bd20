//! The review of a scan's findings, as the checklist shows it and the
//! ledger reads it back: the checklist's columns and the names of its sheets
//! and files, where each finding stands since the last review ([`Status`]),
//! the reviewers' decisions carried on each row ([`ReviewRow`], [`Review`]),
//! the progress, and the summary of what was scanned. The checklist (the
//! writer) and the ledger (the reader and merger) both take these from here,
//! so that neither depends on the other.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde::Serialize;

/// The header row, in order. What identifies a finding comes first (例規名
/// and 条項 stay in view when the sheet scrolls), then its 見出し and 類型 and
/// the provision's text with the reviewer's decision columns right after it,
/// so that a decision is typed beside what it decides; then where the finding
/// stands since the last review (状態, 変更の内容), 優先度 and whether a digital
/// way exists; the details (the previous text of a changed provision, the
/// review direction, 検出根拠, the file, the stable ID) last, where the
/// spreadsheet folds them away and paper leaves them out. Columns reviewers add are carried over
/// after these.
pub const COLUMNS: [&str; 27] = [
    "例規名",
    "条項",
    "見出し",
    "類型",
    "該当箇所",
    "該非",
    "見直し方針",
    "対応予定時期",
    "担当課",
    "備考",
    "改正案",
    "状態",
    "変更の内容",
    "優先度",
    "電子的代替の有無",
    "根拠の区分",
    "前回の該当箇所",
    "根拠法令",
    "国の規定の電子的代替",
    "国の規定",
    "見直しの方向性",
    "検出根拠",
    "想定される技術",
    "例規番号",
    "種別",
    "ファイル",
    "ID",
];

/// The reviewer's decision columns, as the checklist heads them. 改正案 is
/// the provision's whole new wording as the clerk would have it (`tenken
/// draft` takes it instead of its template); like 備考, it is the
/// reviewer's own text, carried over whole and never counted as 該非.
pub const DECISION_COLUMNS: [&str; 6] = [
    "該非",
    "見直し方針",
    "対応予定時期",
    "担当課",
    "備考",
    PROPOSED_WORDING_HEADER,
];

/// The header of the decision column of a provision's whole new wording,
/// as the clerk typed it (empty when they did not).
pub const PROPOSED_WORDING_HEADER: &str = "改正案";

/// The header of the stable-id column.
pub const ID_HEADER: &str = "ID";

/// The sheet of the findings in the checklist workbook.
pub const CHECKLIST_SHEET: &str = "チェックリスト";
/// The sheet of ledger decisions that could not be placed.
pub const UNMATCHED_SHEET: &str = "照合できなかった判断";
/// Written beside the CSV when decisions of the ledger could not be placed.
pub const UNMATCHED_CSV_NAME: &str = "unmatched-decisions.csv";
/// The column of an unmatched decision that says why it was not placed.
pub const REASON_HEADER: &str = "理由";
/// The column of an unmatched decision that says where it came from.
pub const PLACE_HEADER: &str = "元の行";

/// What was scanned, for the summary sheet: every 例規 read (also those with no
/// finding) and every file that could not be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanSummary {
    pub documents: Vec<DocumentInfo>,
    /// Files that could not be read, listed on the summary sheet so nobody
    /// takes them as reviewed.
    pub unreadable: Vec<UnreadableFile>,
}

/// One scanned 例規.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocumentInfo {
    /// Path relative to the scanned folder, as in `Finding::file`.
    pub file: String,
    /// 例規名
    pub title: String,
    /// 例規番号
    pub number: Option<String>,
    /// 種別 (条例, 規則, 要綱 …)
    pub doc_kind: String,
    /// Every provision's citation as printed (to tell a deleted 条項 from
    /// one that no longer reads as a requirement, when decisions are merged).
    pub citations: BTreeSet<String>,
    /// The wording hash of every provision's text (to tell a provision
    /// whose text is gone from one that no longer reads as a requirement).
    pub wordings: BTreeSet<u32>,
}

pub use crate::pipeline::UnreadableFile;

/// Where a finding stands since the last review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Not in the ledger.
    New,
    /// In the ledger with the same wording: the decision holds.
    Unchanged,
    /// The provision's wording changed: the decision is carried but needs a re-check.
    Changed,
    /// The analog requirement is gone (amended away, repealed, or now digital).
    Resolved,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::New,
        Status::Unchanged,
        Status::Changed,
        Status::Resolved,
    ];

    /// 新規 / 変更なし / 要再確認 / 解消, as the checklist prints it.
    pub fn japanese(self) -> &'static str {
        match self {
            Status::New => "新規",
            Status::Unchanged => "変更なし",
            Status::Changed => "要再確認",
            Status::Resolved => "解消",
        }
    }

    /// The status a checklist cell names, if any.
    pub fn from_japanese(text: &str) -> Option<Status> {
        Status::ALL
            .into_iter()
            .find(|s| s.japanese() == text.trim())
    }
}

/// One row of the new checklist.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReviewRow {
    /// The finding's stable id (the ledger's for a resolved row without a finding).
    pub id: String,
    pub status: Option<Status>,
    /// What changed since the ledger: 文言が改正された, 条項が移動した …
    pub change: String,
    /// The excerpt as the ledger had it, when it differs or the finding is gone.
    pub previous: String,
    /// Index of the finding in the scan's findings; `None` when it is gone.
    pub finding: Option<usize>,
    /// For a row whose finding is gone: its cells as the ledger last had them.
    pub last: Vec<(String, String)>,
    /// The reviewer's cells: the decision columns, then columns reviewers added.
    pub decisions: Vec<(String, String)>,
}

impl ReviewRow {
    /// The row of a finding not in any ledger: 新規, nothing decided; it
    /// points to the finding at `index`.
    pub fn new_finding(id: &str, index: usize) -> ReviewRow {
        ReviewRow {
            id: id.to_string(),
            status: Some(Status::New),
            finding: Some(index),
            decisions: empty_decisions(&[]),
            ..ReviewRow::default()
        }
    }

    /// The reviewer's cell under `header` ("" when empty).
    pub fn decision(&self, header: &str) -> &str {
        self.decisions
            .iter()
            .find(|(h, _)| h == header)
            .map_or("", |(_, v)| v.as_str())
    }

    /// Whether the reviewer has judged it (該非 filled in).
    pub fn decided(&self) -> bool {
        !self.decision(DECISION_COLUMNS[0]).trim().is_empty()
    }

    /// The cell the ledger last had under a tenken column (for rows without a finding).
    pub fn last_value(&self, header: &str) -> &str {
        self.last
            .iter()
            .find(|(h, _)| h == header)
            .map_or("", |(_, v)| v.as_str())
    }
}

/// A ledger row whose decision could not be placed, with the reason.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    /// Sheet and row it came from ("" for a CSV file).
    pub sheet: String,
    pub row: usize,
    pub id: String,
    pub reason: String,
    /// All its cells, by header.
    pub cells: Vec<(String, String)>,
}

/// The new checklist's rows with the decisions carried over.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Review {
    pub rows: Vec<ReviewRow>,
    pub unmatched: Vec<Unmatched>,
    /// Columns reviewers added to the checklist, in their order.
    pub extra_columns: Vec<String>,
    /// The ledger merged, if any.
    pub ledger: Option<PathBuf>,
}

/// How far the review has come.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    /// Rows still to be worked (not resolved).
    pub open: usize,
    /// Of those, rows with 該非 filled in.
    pub decided: usize,
    /// Rows per status, in [`Status::ALL`] order.
    pub new: usize,
    pub unchanged: usize,
    pub changed: usize,
    pub resolved: usize,
    pub unmatched: usize,
}

impl Progress {
    /// Counts one checklist row.
    pub fn add(&mut self, row: &ReviewRow) {
        match row.status {
            Some(Status::New) | None => self.new += 1,
            Some(Status::Unchanged) => self.unchanged += 1,
            Some(Status::Changed) => self.changed += 1,
            Some(Status::Resolved) => self.resolved += 1,
        }
        if row.status != Some(Status::Resolved) {
            self.open += 1;
            self.decided += usize::from(row.decided());
        }
    }

    /// Decided rows as a whole percentage of the open ones (100 when none is open).
    pub fn percent(&self) -> usize {
        (self.decided * 100).checked_div(self.open).unwrap_or(100)
    }
}

/// The headers of a row's decision cells: the decision columns, then the
/// columns reviewers added (`extra`).
pub(crate) fn decision_headers(extra: &[String]) -> impl Iterator<Item = String> + '_ {
    DECISION_COLUMNS
        .iter()
        .map(|h| h.to_string())
        .chain(extra.iter().cloned())
}

/// The decision cells of a row with nothing decided yet, all empty.
pub(crate) fn empty_decisions(extra: &[String]) -> Vec<(String, String)> {
    decision_headers(extra)
        .map(|h| (h, String::new()))
        .collect()
}
