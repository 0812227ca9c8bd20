//! The review ledger: reviewers' decisions (該非, 見直し方針, 対応予定時期, 担当課,
//! 備考, 改正案) read back from a checklist they edited, and carried over into the
//! checklist of a new scan.
//!
//! - `read`: the edited XLSX or CSV (after Excel saved it: columns moved,
//!   sheets or rows added, a CSV re-encoded) into plain [`Ledger`] rows,
//!   columns found by their header names;
//! - `merge`: each finding of the new scan matched to its row by stable id
//!   (new / unchanged / changed), rows whose finding is gone listed as
//!   resolved, rows that cannot be placed kept as unmatched with the reason.

mod merge;
mod read;

use std::path::PathBuf;

pub use crate::review::{
    DECISION_COLUMNS, ID_HEADER, PROPOSED_WORDING_HEADER, Progress, Review, ReviewRow, Status,
    Unmatched,
};
pub use read::{LedgerError, Place, read_ledger};

/// A checklist read back: the sheet the rows came from, its header row and
/// its rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ledger {
    /// The file read.
    pub path: PathBuf,
    /// The sheet the rows came from ("" for a CSV file).
    pub sheet: String,
    /// The header row as found (trimmed), in the sheet's column order.
    pub headers: Vec<String>,
    pub rows: Vec<LedgerRow>,
}

/// One row of an edited checklist.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LedgerRow {
    /// The row's number as the spreadsheet shows it (1-based; the line's
    /// record number for a CSV file).
    pub row: usize,
    /// The finding's stable id (column "ID"), trimmed; empty when the row has none.
    pub id: String,
    /// Every other cell of the row by its header, as text, in the sheet's
    /// column order: tenken's own columns and any column the reviewer added.
    pub cells: Vec<(String, String)>,
    /// The sheet the row is on when it is not the ledger's checklist sheet
    /// (a decision left unmatched by an earlier scan).
    pub sheet: Option<String>,
}

impl LedgerRow {
    /// The cell under `header`, if the sheet has that column.
    pub fn get(&self, header: &str) -> Option<&str> {
        self.cells
            .iter()
            .find(|(h, _)| h == header)
            .map(|(_, value)| value.as_str())
    }

    /// The cell under `header`, or "" when absent.
    pub fn value(&self, header: &str) -> &str {
        self.get(header).unwrap_or("")
    }
}
