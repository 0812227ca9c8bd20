//! The review's state as the report shows it: each checklist row's 状態 and
//! the reviewer's decisions beside the finding, the rows whose finding is
//! gone (解消), and the progress of the review on the overview page.

use std::collections::HashMap;

use serde::Serialize;

use super::model::Row;
use crate::ledger::{Progress, Review, ReviewRow, Status};
use crate::matching::Finding;

/// A decision cell to show: its header and what the reviewer wrote.
pub type Cell = (String, String);

/// The review on the overview page (only when decisions were carried over).
#[derive(Debug, Clone, Serialize)]
pub struct ProgressView {
    /// The ledger the decisions came from.
    pub ledger: String,
    pub progress: Progress,
    pub percent: usize,
    /// Rows to re-check: the wording changed since the decision.
    pub changed: Vec<Entry>,
    /// Rows whose analog requirement is gone.
    pub resolved: Vec<Entry>,
}

/// A changed or resolved row, listed with its old and new text.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub citation: String,
    pub code: String,
    /// Link from the site's root to the row on its 例規's page ("" when none).
    pub href: String,
    pub change: String,
    pub previous: String,
    /// The excerpt of this scan ("" when the finding is gone).
    pub excerpt: String,
    pub decisions: Vec<Cell>,
}

/// What the report needs of the review, looked up by finding id.
pub struct ReviewView<'r> {
    review: &'r Review,
    by_id: HashMap<&'r str, &'r ReviewRow>,
    /// Rows whose finding is gone, by the file they were in.
    gone: HashMap<&'r str, Vec<&'r ReviewRow>>,
}

impl<'r> ReviewView<'r> {
    pub fn new(review: &'r Review) -> Self {
        let by_id = review
            .rows
            .iter()
            .filter(|r| r.finding.is_some())
            .map(|r| (r.id.as_str(), r))
            .collect();
        let mut gone: HashMap<&str, Vec<&ReviewRow>> = HashMap::new();
        for row in review.rows.iter().filter(|r| r.finding.is_none()) {
            gone.entry(row.last_value("ファイル"))
                .or_default()
                .push(row);
        }
        ReviewView {
            review,
            by_id,
            gone,
        }
    }

    /// Adds 状態, the change and the decisions to a 例規 page's checklist rows.
    /// Nothing is added when no ledger was merged (a first scan is all new).
    pub fn annotate(&self, rows: &mut [Row]) {
        if self.review.ledger.is_none() {
            return;
        }
        for row in rows {
            if let Some(r) = self.by_id.get(row.id.as_str()) {
                let status = r.status.unwrap_or(Status::New);
                row.status = status_code(status);
                row.status_ja = status.japanese();
                row.change.clone_from(&r.change);
                row.previous.clone_from(&r.previous);
                row.decisions = filled(r);
            }
        }
    }

    /// The rows of `file` whose finding is gone, for its 例規 page.
    pub fn gone_in(&self, file: &str, page: &str) -> Vec<Entry> {
        self.gone
            .get(file)
            .into_iter()
            .flatten()
            .map(|r| entry(r, None, page))
            .collect()
    }

    /// The overview's progress section; `None` when no ledger was merged.
    /// `pages` gives each file's page (from the site's root).
    pub fn progress(
        &self,
        findings: &[Finding],
        pages: &HashMap<&str, String>,
    ) -> Option<ProgressView> {
        let ledger = self.review.ledger.as_ref()?;
        let progress = self.review.progress();
        let listed = |status: Status| -> Vec<Entry> {
            self.review
                .rows
                .iter()
                .filter(|r| r.status == Some(status))
                .map(|r| {
                    let finding = r.finding.and_then(|i| findings.get(i));
                    let file = finding.map_or_else(|| r.last_value("ファイル"), |f| &f.file);
                    let page = pages
                        .get(file)
                        .map_or_else(String::new, |p| format!("docs/{p}.html"));
                    entry(r, finding, &page)
                })
                .collect()
        };
        Some(ProgressView {
            ledger: ledger.display().to_string(),
            percent: progress.percent(),
            progress,
            changed: listed(Status::Changed),
            resolved: listed(Status::Resolved),
        })
    }
}

/// new / unchanged / changed / resolved, for CSS classes.
fn status_code(status: Status) -> &'static str {
    match status {
        Status::New => "new",
        Status::Unchanged => "unchanged",
        Status::Changed => "changed",
        Status::Resolved => "resolved",
    }
}

/// The decision cells the reviewer filled in, decision columns first.
fn filled(row: &ReviewRow) -> Vec<Cell> {
    row.decisions
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .cloned()
        .collect()
}

fn entry(row: &ReviewRow, finding: Option<&Finding>, page: &str) -> Entry {
    let (title, citation, code, excerpt) = match finding {
        Some(f) => (
            f.title.clone(),
            f.citation.clone(),
            f.code_name.clone(),
            f.excerpt.clone(),
        ),
        None => (
            row.last_value("例規名").to_string(),
            row.last_value("条項").to_string(),
            row.last_value("類型").to_string(),
            String::new(),
        ),
    };
    let href = match (page, finding) {
        ("", _) => String::new(),
        (page, Some(_)) => format!("{page}#f-{}", row.id),
        (page, None) => format!("{page}#gone-{}", row.id),
    };
    Entry {
        id: row.id.clone(),
        title,
        citation,
        code,
        href,
        change: row.change.clone(),
        previous: row.previous.clone(),
        excerpt,
        decisions: filled(row),
    }
}
