//! Drafting amendments (`tenken draft`): for the provisions reviewers decided
//! to amend (見直し方針 = 例規改正), a proposed new wording, the 改め文 in the
//! standard form and the 新旧対照表.
//!
//! The flow: the decided rows of an edited checklist (`ledger`) → each row's
//! 例規 read again and scanned, the row placed on its finding by stable ID →
//! per provision, the clerk's 改正案 or else the templates of the findings'
//! 類型 (`templates`) give the changes → `amend` words them as 改め文 and
//! marks them for the 新旧対照表 → the outputs are rendered from the plain
//! [`DocumentDraft`]s (`model`).
//!
//! - `templates`: the drafting templates of `rules/drafting/`, per 類型;
//! - `clerk`: a clerk's wording turned into changes (a character diff);
//! - `amend`: the 改め文 lines of the changes, and the reader that applies
//!   them back to the old text (the check that they say what the table shows);
//! - `table`: the 新旧対照表 (改正後 left, 改正前 right, changes underlined)
//!   as print-ready HTML pages and as an XLSX workbook.

mod amend;
mod clerk;
mod model;
mod table;
pub mod templates;

use std::collections::BTreeMap;

use rayon::prelude::*;
use serde::Serialize;

use crate::ledger::{Ledger, LedgerRow};
use crate::matching::{Finding, Matcher};
use crate::reading::files::{Source as FileSource, read_source};
use crate::structure::{Document, Provision};

pub use amend::{ApplyError, Plan, amending_text, apply_lines, plan};
pub use model::{DocumentDraft, ProvisionDraft, Segment, Source};
pub use table::{INDEX_NAME, TableError, page_names, sheet_names, write_html, write_xlsx};
pub use templates::Templates;

/// The checklist's column of the reviewer's own wording.
pub use crate::review::PROPOSED_WORDING_HEADER as CLERK_COLUMN;
/// The decision that asks for an amendment.
pub const AMEND_POLICY: &str = "例規改正";

/// Which rows of the checklist get a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Rows whose 見直し方針 is 例規改正.
    Decided,
    /// Those, and every row not yet decided (no 見直し方針, not 非該当).
    AlsoOpen,
}

/// A row of the checklist to draft for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wanted {
    pub row: usize,
    pub id: String,
    pub file: String,
    pub citation: String,
    /// The clerk's wording (改正案), "" when none.
    pub wording: String,
}

/// A row that could not be drafted, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unplaced {
    pub row: usize,
    pub id: String,
    pub file: String,
    pub citation: String,
    pub reason: String,
}

/// Everything `tenken draft` drafted.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Drafts {
    pub documents: Vec<DocumentDraft>,
    pub unplaced: Vec<Unplaced>,
}

/// The rows of `ledger` to draft for, in the sheet's order. Rows of other
/// sheets (decisions an earlier scan could not place) are left out.
pub fn wanted(ledger: &Ledger, selection: Selection) -> Vec<Wanted> {
    ledger
        .rows
        .iter()
        .filter(|row| row.sheet.is_none() && !row.id.is_empty())
        .filter(|row| is_wanted(row, selection))
        .map(|row| Wanted {
            row: row.row,
            id: row.id.clone(),
            file: row.value("ファイル").trim().to_string(),
            citation: row.value("条項").trim().to_string(),
            // A provision is one line: line breaks typed in the cell (Alt+Enter) are not its text.
            wording: row
                .value(CLERK_COLUMN)
                .trim()
                .chars()
                .filter(|c| !matches!(c, '\r' | '\n'))
                .collect(),
        })
        .collect()
}

fn is_wanted(row: &LedgerRow, selection: Selection) -> bool {
    let policy = row.value("見直し方針").trim();
    match selection {
        Selection::Decided => policy == AMEND_POLICY,
        Selection::AlsoOpen => {
            policy == AMEND_POLICY || policy.is_empty() && row.value("該非").trim() != "非該当"
        }
    }
}

/// Drafts the amendments of the `wanted` rows: each row's 例規 (one of
/// `files`, by the name the checklist gives it) is read and scanned again,
/// and the row is placed on the finding of its ID. Documents come in the
/// order of their file names, provisions in document order.
pub fn draft(
    wanted: &[Wanted],
    files: &[FileSource],
    matcher: &Matcher,
    templates: &Templates,
) -> Drafts {
    let mut by_file: BTreeMap<&str, Vec<&Wanted>> = BTreeMap::new();
    for row in wanted {
        by_file.entry(row.file.as_str()).or_default().push(row);
    }
    let results: Vec<(Option<DocumentDraft>, Vec<Unplaced>)> = by_file
        .into_par_iter()
        .map(|(file, rows)| draft_file(file, &rows, files, matcher, templates))
        .collect();
    let mut drafts = Drafts::default();
    for (document, unplaced) in results {
        drafts.documents.extend(document);
        drafts.unplaced.extend(unplaced);
    }
    drafts.unplaced.sort_by_key(|u| u.row);
    drafts
}

fn unplaced(row: &Wanted, reason: String) -> Unplaced {
    Unplaced {
        row: row.row,
        id: row.id.clone(),
        file: row.file.clone(),
        citation: row.citation.clone(),
        reason,
    }
}

/// A provision and the findings (with their rows) placed on it.
type Placed<'a> = (&'a Provision, Vec<(&'a Finding, &'a Wanted)>);

/// The draft of one 例規, and the rows that could not be placed in it.
fn draft_file(
    file: &str,
    rows: &[&Wanted],
    files: &[FileSource],
    matcher: &Matcher,
    templates: &Templates,
) -> (Option<DocumentDraft>, Vec<Unplaced>) {
    let all = |reason: String| rows.iter().map(|r| unplaced(r, reason.clone())).collect();
    let Some(source) = files.iter().find(|s| s.name == file) else {
        let reason = format!(
            "ファイル「{file}」が指定のフォルダにありません。点検したときと同じフォルダを指定してください"
        );
        return (None, all(reason));
    };
    let document = match read_source(source) {
        Ok(document) => document,
        Err(e) => return (None, all(format!("ファイルを読めません: {e}"))),
    };
    let findings = match matcher.scan(&document) {
        Ok(findings) => findings,
        Err(e) => return (None, all(format!("ファイルを照合できません: {e}"))),
    };
    let provisions = document.walk();
    let mut lost = Vec::new();
    // Provision (by its place in the document) → its findings and rows.
    let mut by_provision: BTreeMap<usize, Placed<'_>> = BTreeMap::new();
    for row in rows {
        let Some(finding) = findings.iter().find(|f| f.id == row.id) else {
            lost.push(unplaced(
                row,
                "この ID の検出が今の例規にありません。チェックリストを作った後に規定かルールが変わったと考えられます。\
                 tenken scan --ledger で新しいチェックリストに移してから起案してください"
                    .to_string(),
            ));
            continue;
        };
        let Some(provision) = provision_of(&provisions, finding) else {
            lost.push(unplaced(row, "検出の規定が見つかりません".to_string()));
            continue;
        };
        by_provision
            .entry(provision.start)
            .or_insert_with(|| (provision, Vec::new()))
            .1
            .push((finding, row));
    }
    let drafted: Vec<ProvisionDraft> = by_provision
        .into_values()
        .map(|(provision, found)| {
            let mut draft = draft_provision(provision, &found, templates);
            if cited_twice(&provisions, provision) {
                draft.notes.push(format!(
                    "「{}」はこの例規の中に二か所以上あります（改正附則など）。改め文の条項の示し方を確かめてください",
                    draft.citation
                ));
            }
            draft
        })
        .collect();
    if drafted.is_empty() {
        return (None, lost);
    }
    let draft = DocumentDraft {
        file: file.to_string(),
        title: document.title.clone(),
        number: number_with_year(&document),
        kind: document.kind.japanese().to_string(),
        provisions: drafted,
    };
    (Some(draft), lost)
}

/// 例規番号 as a 改正文 cites it, with the year of promulgation (平成五年つば
/// き町条例第七号) when the number lacks it and the date gives it.
fn number_with_year(document: &Document) -> Option<String> {
    let number = document.number.as_deref()?;
    let year = document
        .date_printed
        .as_deref()
        .and_then(|date| date.find('年').map(|at| &date[..at + '年'.len_utf8()]));
    match year {
        Some(year) if !number.contains('年') => Some(format!("{year}{number}")),
        _ => Some(number.to_string()),
    }
}

/// True when another provision with text among a document's `provisions`
/// has the citation of `provision` (the 附則 of several amendments, a 例規
/// that repeats an article): a 改め文 that names it does not name one place.
fn cited_twice(provisions: &[&Provision], provision: &Provision) -> bool {
    provisions
        .iter()
        .filter(|p| !p.text.is_empty() && p.citation == provision.citation)
        .nth(1)
        .is_some()
}

/// The provision that states `finding` (among a document's `provisions`):
/// the one of its citation that holds its first matched word.
fn provision_of<'d>(provisions: &[&'d Provision], finding: &Finding) -> Option<&'d Provision> {
    let at = finding.matched.first().map(|m| m.start);
    let candidates: Vec<&Provision> = provisions
        .iter()
        .copied()
        .filter(|p| p.normalized == finding.normalized && p.part == finding.part)
        .collect();
    candidates
        .iter()
        .find(|p| at.is_some_and(|at| p.start <= at && at < p.end))
        .or(candidates.first())
        .copied()
}

/// The draft of one provision: the clerk's wording when a row gives one,
/// else the templates of its findings' 類型.
fn draft_provision(
    provision: &Provision,
    found: &[(&Finding, &Wanted)],
    templates: &Templates,
) -> ProvisionDraft {
    let (finding, _) = found[0];
    let old = provision.text.as_str();
    let mut codes: Vec<String> = Vec::new();
    for (f, _) in found {
        if !codes.contains(&f.code) {
            codes.push(f.code.clone());
        }
    }
    let wordings: Vec<&str> = found
        .iter()
        .map(|(_, row)| row.wording.as_str())
        .filter(|w| !w.is_empty())
        .collect();
    let mut notes = Vec::new();
    let (changes, source) = match wordings.first() {
        Some(wording) => {
            if wordings.iter().any(|w| w != wording) {
                notes.push(format!(
                    "この規定の行に異なる改正案が{}つあります。先の行（{}行目）の改正案を使いました",
                    wordings.len(),
                    found[0].1.row
                ));
            }
            if *wording == old {
                notes.push("改正案が改正前の文と同じです".to_string());
            }
            (clerk::changes(old, wording), Source::Clerk)
        }
        None => {
            let proposal = templates.propose(&codes, old);
            notes.extend(proposal.notes);
            if proposal.changes.is_empty() {
                notes.push(
                    "合うテンプレートがありません。チェックリストの「改正案」列に改正後の文を書いてください"
                        .to_string(),
                );
                (Vec::new(), Source::None)
            } else {
                (proposal.changes, Source::Templates(proposal.templates))
            }
        }
    };
    let head = if provision.label.is_empty() {
        finding.article.as_str()
    } else {
        provision.label.as_str()
    };
    let plan = plan(&finding.citation, head, old, &changes);
    let source = if !changes.is_empty() && plan.lines.is_empty() {
        notes.push(
            "規定の文が複数の行にわたるため、改め文を作れません。改正の内容を確かめて手で起案してください"
                .to_string(),
        );
        Source::None
    } else {
        source
    };
    ProvisionDraft {
        citation: finding.citation.clone(),
        normalized: finding.normalized.clone(),
        caption: finding.caption.clone(),
        label: provision.label.clone(),
        old_text: old.to_string(),
        new_text: plan.new_text,
        old: plan.old,
        new: plan.new,
        source,
        notes,
        findings: found.iter().map(|(f, _)| f.id.clone()).collect(),
        codes,
        amendment: plan.lines,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(n: usize, policy: &str, judgement: &str, wording: &str) -> LedgerRow {
        LedgerRow {
            row: n,
            id: format!("id{n}"),
            cells: vec![
                ("ファイル".into(), "jorei/a.html".into()),
                ("条項".into(), "第1条".into()),
                ("該非".into(), judgement.into()),
                ("見直し方針".into(), policy.into()),
                (CLERK_COLUMN.into(), wording.into()),
            ],
            sheet: None,
        }
    }

    #[test]
    fn the_rows_wanted_are_the_decided_ones_or_also_the_open_ones() {
        let mut other_sheet = row(6, "例規改正", "", "");
        other_sheet.sheet = Some("照合できなかった判断".into());
        let ledger = Ledger {
            rows: vec![
                row(2, "例規改正", "該当", "新しい\n文。"),
                row(3, "", "", ""),
                row(4, "", "非該当", ""),
                row(5, "運用の見直し", "該当", ""),
                other_sheet,
            ],
            ..Ledger::default()
        };
        let rows = |s| wanted(&ledger, s).iter().map(|w| w.row).collect::<Vec<_>>();
        assert_eq!(rows(Selection::Decided), [2]);
        assert_eq!(rows(Selection::AlsoOpen), [2, 3]);
        assert_eq!(wanted(&ledger, Selection::Decided)[0].wording, "新しい文。");
    }
}
