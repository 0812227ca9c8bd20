//! Comparing two versions of a 例規集 (`tenken diff OLD NEW`): the provisions
//! added, removed and amended, and the findings each change opened or closed,
//! so a municipality can check that an amendment removed the analog
//! requirement it meant to remove.
//!
//! Documents are paired by file name, else by title. Provisions that carry
//! text are keyed by normalised citation and rank among equal ones; findings
//! by (document pair, normalised citation, code). A side may also be a scan
//! output (`findings.jsonl`): two of them are compared at finding level only.
//! Everything here is plain serde data; [`write_table`] renders it for people.

mod table;

pub use table::write_table;

use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap, HashSet};
use std::hash::Hash;
use std::path::{Path, PathBuf};

use crate::checklist::JSONL_NAME;
use crate::matching::Finding;
use crate::structure::Document;
use crate::structure::units::text_units;

/// Why a diff could not start.
#[derive(Debug, thiserror::Error)]
pub enum DiffError {
    #[error("{}: no such file or folder", path.display())]
    Missing { path: PathBuf },
    #[error(
        "{} is {old_kind} but {} is {new_kind}: compare two folders (or files) of 例規, or two scan outputs (folders holding findings.jsonl)",
        old.display(),
        new.display()
    )]
    Mixed {
        old: PathBuf,
        old_kind: &'static str,
        new: PathBuf,
        new_kind: &'static str,
    },
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}:{line}: not a finding as `tenken scan` writes it: {source}", path.display())]
    Finding {
        path: PathBuf,
        line: usize,
        source: serde_json::Error,
    },
}

impl DiffError {
    /// True when the command was given the wrong paths (exit code 2).
    pub fn is_usage(&self) -> bool {
        matches!(self, DiffError::Missing { .. } | DiffError::Mixed { .. })
    }
}

/// What one side of the comparison is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// A folder or file of 例規, read as `tenken scan` reads them.
    Legislation(PathBuf),
    /// The `findings.jsonl` written by `tenken scan --out`.
    ScanOutput(PathBuf),
}

impl Input {
    /// A folder holding `findings.jsonl`, or a `.jsonl` file, is a scan output;
    /// any other folder or file is 例規.
    pub fn classify(path: &Path) -> Result<Input, DiffError> {
        if path.is_dir() {
            let jsonl = path.join(JSONL_NAME);
            return Ok(if jsonl.is_file() {
                Input::ScanOutput(jsonl)
            } else {
                Input::Legislation(path.to_path_buf())
            });
        }
        if path.is_file() {
            let is_jsonl = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("jsonl"));
            return Ok(if is_jsonl {
                Input::ScanOutput(path.to_path_buf())
            } else {
                Input::Legislation(path.to_path_buf())
            });
        }
        Err(DiffError::Missing {
            path: path.to_path_buf(),
        })
    }

    /// Both sides, which must be of the same kind.
    pub fn classify_pair(old: &Path, new: &Path) -> Result<(Input, Input), DiffError> {
        let (old_input, new_input) = (Input::classify(old)?, Input::classify(new)?);
        if old_input.is_scan_output() != new_input.is_scan_output() {
            return Err(DiffError::Mixed {
                old: old.to_path_buf(),
                old_kind: old_input.describe(),
                new: new.to_path_buf(),
                new_kind: new_input.describe(),
            });
        }
        Ok((old_input, new_input))
    }

    pub fn is_scan_output(&self) -> bool {
        matches!(self, Input::ScanOutput(_))
    }

    fn describe(&self) -> &'static str {
        match self {
            Input::Legislation(_) => "a folder or file of 例規",
            Input::ScanOutput(_) => "a scan output",
        }
    }
}

/// Reads the findings of a `findings.jsonl` (blank lines are skipped).
pub fn read_findings(path: &Path) -> Result<Vec<Finding>, DiffError> {
    let text = std::fs::read_to_string(path).map_err(|source| DiffError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(at, line)| {
            serde_json::from_str(line).map_err(|source| DiffError::Finding {
                path: path.to_path_buf(),
                line: at + 1,
                source,
            })
        })
        .collect()
}

/// A provision that carries text (a `structure::units::TextUnit`, kept with
/// its text for the comparison and the JSON output), keyed by `normalized`
/// and `occurrence` (1 for the first provision with that normal form, 2 for
/// the next …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unit {
    pub normalized: String,
    pub occurrence: usize,
    pub citation: String,
    pub text: String,
}

/// The provisions of a document that carry text (not headings), in document order.
pub fn units(document: &Document) -> Vec<Unit> {
    text_units(document)
        .into_iter()
        .map(|u| Unit {
            normalized: u.provision.normalized.clone(),
            occurrence: u.occurrence,
            citation: u.provision.citation.clone(),
            text: u.provision.text.clone(),
        })
        .collect()
}

/// One 例規 on one side: its provisions (none for a scan output) and findings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SideDocument {
    pub file: String,
    pub title: String,
    /// The provisions that carry text; `None` when the side is a scan output.
    pub units: Option<Vec<Unit>>,
    pub findings: Vec<Finding>,
}

impl SideDocument {
    pub fn from_document(document: &Document, findings: Vec<Finding>) -> SideDocument {
        SideDocument {
            file: document.file.clone(),
            title: document.title.clone(),
            units: Some(units(document)),
            findings,
        }
    }
}

/// One side of a diff as the `pipeline` reads it: each 例規 with its units
/// and findings, and the files that could not be read.
#[derive(Debug, Default)]
pub struct SideSink {
    pub documents: Vec<SideDocument>,
    pub failed: Vec<crate::pipeline::FileFailure>,
}

/// The per-file work of a diff side.
#[derive(Debug, Clone, Copy)]
pub struct SideWork;

impl crate::pipeline::Work for SideWork {
    type Output = SideDocument;

    fn prepare(
        &self,
        _source: &crate::reading::files::Source,
        _hash: &str,
        document: Document,
        findings: Vec<Finding>,
    ) -> Result<SideDocument, String> {
        Ok(SideDocument::from_document(&document, findings))
    }
}

impl crate::pipeline::Sink for SideSink {
    type Work = SideWork;
    type Error = std::convert::Infallible;

    fn work(&self) -> SideWork {
        SideWork
    }

    fn accept(
        &mut self,
        _source: &crate::reading::files::Source,
        outcome: crate::pipeline::Outcome<SideDocument>,
    ) -> Result<(), std::convert::Infallible> {
        match outcome {
            crate::pipeline::Outcome::Prepared(document) => self.documents.push(document),
            crate::pipeline::Outcome::Unchanged => {}
            crate::pipeline::Outcome::Failed(e) => self.failed.push(e),
        }
        Ok(())
    }
}

/// The documents a scan output knows of: those with findings, grouped by file
/// (files in name order, findings in their order).
pub fn documents_from_findings(findings: Vec<Finding>) -> Vec<SideDocument> {
    let mut documents: Vec<SideDocument> = Vec::new();
    let mut at: HashMap<String, usize> = HashMap::new();
    for finding in findings {
        let index = *at.entry(finding.file.clone()).or_insert_with(|| {
            documents.push(SideDocument {
                file: finding.file.clone(),
                title: finding.title.clone(),
                units: None,
                findings: Vec::new(),
            });
            documents.len() - 1
        });
        documents[index].findings.push(finding);
    }
    documents.sort_by(|a, b| a.file.cmp(&b.file));
    documents
}

/// Which side of the comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Old,
    New,
}

/// A file that could not be read or scanned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SkippedFile {
    pub side: Side,
    pub file: String,
    pub reason: String,
}

/// One side as read: what it is called (the path given), its documents and
/// the files that were skipped.
#[derive(Debug, Clone, Default)]
pub struct Version {
    pub label: String,
    pub documents: Vec<SideDocument>,
    pub skipped: Vec<SkippedFile>,
}

/// How two documents were paired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PairedBy {
    /// The same file name relative to the folder given.
    File,
    /// Unpaired by name, the same title (a renamed file).
    Title,
}

/// What happened to a 例規.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DocumentStatus {
    /// On both sides.
    Paired,
    /// Only in NEW.
    Added,
    /// Only in OLD.
    Removed,
    /// Scan outputs: findings only in OLD's output (the 例規 may still exist without findings).
    OnlyInOldOutput,
    /// Scan outputs: findings only in NEW's output.
    OnlyInNewOutput,
}

/// What happened to a provision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionChangeKind {
    Added,
    Removed,
    Amended,
}

/// The provision a finding change arose in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionState {
    Added,
    Removed,
    Amended,
    /// The provision's text is the same: the rules or the surrounding paragraph changed.
    Unchanged,
    /// Scan outputs: provision text was not compared.
    NotCompared,
}

impl From<ProvisionChangeKind> for ProvisionState {
    fn from(kind: ProvisionChangeKind) -> ProvisionState {
        match kind {
            ProvisionChangeKind::Added => ProvisionState::Added,
            ProvisionChangeKind::Removed => ProvisionState::Removed,
            ProvisionChangeKind::Amended => ProvisionState::Amended,
        }
    }
}

/// What happened to a finding. A finding is *open* when it has no digital alternative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingChangeKind {
    /// Open in NEW, not open in OLD.
    Opened,
    /// Open in OLD, absent or digital in NEW.
    Closed,
    /// Scan outputs: at the same place on both sides, with a different wording.
    Amended,
}

/// Why a finding closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosedBecause {
    /// NEW has no such finding there.
    Absent,
    /// NEW still has it but already allows an electronic way (電子的方法が追加された).
    DigitalAlternative,
}

/// A finding opened, closed or amended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingChange {
    pub change: FindingChangeKind,
    pub normalized: String,
    pub citation: String,
    pub code: String,
    pub code_name: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub closed_because: Option<ClosedBecause>,
    /// The provision it arose in.
    pub provision: ProvisionState,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub new_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old_excerpt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub new_excerpt: Option<String>,
}

/// A taxonomy code with its Japanese name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CodeName {
    pub code: String,
    pub code_name: String,
}

/// A provision added, removed or amended, with the findings it opened or closed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionChange {
    pub change: ProvisionChangeKind,
    pub normalized: String,
    pub occurrence: usize,
    /// As printed (NEW's when the provision is in NEW).
    pub citation: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old_text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub new_text: Option<String>,
    pub findings: Vec<FindingChange>,
    /// An amended provision: the codes open before and still open after.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub still_open: Vec<CodeName>,
}

/// One 例規's changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentDiff {
    /// NEW's title, else OLD's.
    pub title: String,
    /// OLD's title when it differs from NEW's.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old_title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub old_file: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub new_file: Option<String>,
    pub status: DocumentStatus,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub paired_by: Option<PairedBy>,
    pub provisions: Vec<ProvisionChange>,
    /// Finding changes not at a changed provision: in an unchanged provision,
    /// in a whole added or removed 例規, or all of them when text was not compared.
    pub findings: Vec<FindingChange>,
}

impl DocumentDiff {
    /// Every finding change, attached or not.
    pub fn all_findings(&self) -> impl Iterator<Item = &FindingChange> {
        self.provisions
            .iter()
            .flat_map(|p| p.findings.iter())
            .chain(self.findings.iter())
    }

    fn has_changes(&self) -> bool {
        self.status != DocumentStatus::Paired
            || self.paired_by == Some(PairedBy::Title)
            || self.old_title.is_some()
            || !self.provisions.is_empty()
            || !self.findings.is_empty()
    }
}

/// The counts at the top of a diff. Provision counts are of paired 例規.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub documents_old: usize,
    pub documents_new: usize,
    /// Paired with some change (or renamed).
    pub documents_changed: usize,
    pub documents_unchanged: usize,
    pub documents_paired_by_title: usize,
    pub documents_added: usize,
    pub documents_removed: usize,
    /// Scan outputs: 例規 with findings in one output only.
    pub documents_in_one_output: usize,
    pub provisions_added: usize,
    pub provisions_removed: usize,
    pub provisions_amended: usize,
    pub findings_opened: usize,
    pub findings_closed: usize,
    /// Of the closed: those NEW still states but with an electronic way.
    pub findings_closed_by_digital: usize,
    pub findings_amended: usize,
    /// Opened or closed where the provision's text did not change.
    pub findings_in_unchanged_provisions: usize,
    pub files_skipped: usize,
}

/// The whole comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiffReport {
    pub old: String,
    pub new: String,
    /// False when both sides are scan outputs: only findings were compared.
    pub text_compared: bool,
    pub summary: Summary,
    /// The 例規 with changes (unchanged ones are only counted).
    pub documents: Vec<DocumentDiff>,
    pub skipped: Vec<SkippedFile>,
}

/// Compares two versions.
pub fn diff(old: &Version, new: &Version) -> DiffReport {
    let text_compared = old
        .documents
        .iter()
        .chain(&new.documents)
        .all(|d| d.units.is_some());
    let mut pairs = pair(&old.documents, &new.documents);
    pairs.sort_by_key(|p| {
        p.new
            .map(|j| &new.documents[j].file)
            .or(p.old.map(|i| &old.documents[i].file))
    });
    let all: Vec<DocumentDiff> = pairs
        .iter()
        .map(|p| {
            let old_doc = p.old.map(|i| &old.documents[i]);
            let new_doc = p.new.map(|j| &new.documents[j]);
            diff_pair(old_doc, new_doc, p.by, text_compared)
        })
        .collect();
    let skipped: Vec<SkippedFile> = old.skipped.iter().chain(&new.skipped).cloned().collect();
    let mut summary = summarize(&all);
    summary.documents_old = old.documents.len();
    summary.documents_new = new.documents.len();
    summary.files_skipped = skipped.len();
    DiffReport {
        old: old.label.clone(),
        new: new.label.clone(),
        text_compared,
        summary,
        documents: all.into_iter().filter(DocumentDiff::has_changes).collect(),
        skipped,
    }
}

fn summarize(documents: &[DocumentDiff]) -> Summary {
    let mut s = Summary::default();
    for d in documents {
        match d.status {
            DocumentStatus::Paired if d.has_changes() => s.documents_changed += 1,
            DocumentStatus::Paired => s.documents_unchanged += 1,
            DocumentStatus::Added => s.documents_added += 1,
            DocumentStatus::Removed => s.documents_removed += 1,
            DocumentStatus::OnlyInOldOutput | DocumentStatus::OnlyInNewOutput => {
                s.documents_in_one_output += 1
            }
        }
        if d.paired_by == Some(PairedBy::Title) {
            s.documents_paired_by_title += 1;
        }
        for p in &d.provisions {
            match p.change {
                ProvisionChangeKind::Added => s.provisions_added += 1,
                ProvisionChangeKind::Removed => s.provisions_removed += 1,
                ProvisionChangeKind::Amended => s.provisions_amended += 1,
            }
        }
        for f in d.all_findings() {
            match f.change {
                FindingChangeKind::Opened => s.findings_opened += 1,
                FindingChangeKind::Closed => s.findings_closed += 1,
                FindingChangeKind::Amended => s.findings_amended += 1,
            }
            if f.closed_because == Some(ClosedBecause::DigitalAlternative) {
                s.findings_closed_by_digital += 1;
            }
            if f.provision == ProvisionState::Unchanged {
                s.findings_in_unchanged_provisions += 1;
            }
        }
    }
    s
}

/// A pairing of an OLD and a NEW document (either may be missing).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Pairing {
    old: Option<usize>,
    new: Option<usize>,
    by: Option<PairedBy>,
}

/// Pairs documents by file name, then the rest by title (first unpaired one of
/// the same title); the others stand alone.
fn pair(old: &[SideDocument], new: &[SideDocument]) -> Vec<Pairing> {
    let new_by_file: HashMap<&str, usize> = new
        .iter()
        .enumerate()
        .map(|(j, d)| (d.file.as_str(), j))
        .collect();
    let mut used = vec![false; new.len()];
    let mut pairs = Vec::new();
    let mut unpaired = Vec::new();
    for (i, document) in old.iter().enumerate() {
        match new_by_file.get(document.file.as_str()) {
            Some(&j) => {
                used[j] = true;
                pairs.push(Pairing {
                    old: Some(i),
                    new: Some(j),
                    by: Some(PairedBy::File),
                });
            }
            None => unpaired.push(i),
        }
    }
    for i in unpaired {
        let title = old[i].title.trim();
        let found = new
            .iter()
            .enumerate()
            .position(|(j, d)| !used[j] && !title.is_empty() && d.title.trim() == title);
        if let Some(j) = found {
            used[j] = true;
        }
        pairs.push(Pairing {
            old: Some(i),
            new: found,
            by: found.map(|_| PairedBy::Title),
        });
    }
    for (j, _) in used.iter().enumerate().filter(|(_, u)| !**u) {
        pairs.push(Pairing {
            old: None,
            new: Some(j),
            by: None,
        });
    }
    pairs
}

fn diff_pair(
    old: Option<&SideDocument>,
    new: Option<&SideDocument>,
    by: Option<PairedBy>,
    text_compared: bool,
) -> DocumentDiff {
    let status = match (old.is_some(), new.is_some(), text_compared) {
        (true, true, _) => DocumentStatus::Paired,
        (false, _, true) => DocumentStatus::Added,
        (false, _, false) => DocumentStatus::OnlyInNewOutput,
        (true, false, true) => DocumentStatus::Removed,
        (true, false, false) => DocumentStatus::OnlyInOldOutput,
    };
    let old_findings = old.map_or(&[][..], |d| &d.findings);
    let new_findings = new.map_or(&[][..], |d| &d.findings);
    let mut provisions = match (
        old.and_then(|d| d.units.as_ref()),
        new.and_then(|d| d.units.as_ref()),
    ) {
        (Some(o), Some(n)) => provision_changes(o, n),
        _ => Vec::new(),
    };
    let fallback = match status {
        _ if !text_compared => ProvisionState::NotCompared,
        DocumentStatus::Added => ProvisionState::Added,
        DocumentStatus::Removed => ProvisionState::Removed,
        _ => ProvisionState::Unchanged,
    };
    let changes = finding_changes(old_findings, new_findings, !text_compared);
    let findings = attach(changes, &mut provisions, fallback);
    mark_still_open(&mut provisions, old_findings, new_findings);
    let title = new.or(old).map_or_else(String::new, |d| d.title.clone());
    let old_title = old
        .filter(|o| new.is_some() && o.title != title)
        .map(|o| o.title.clone());
    DocumentDiff {
        title,
        old_title,
        old_file: old.map(|d| d.file.clone()),
        new_file: new.map(|d| d.file.clone()),
        status,
        paired_by: by,
        provisions,
        findings,
    }
}

/// Walks two keyed sequences (keys unique within each) in NEW's order, putting
/// each key found only in OLD just before the next key both share:
/// (OLD index, NEW index) pairs.
fn merge_order<K: Eq + Hash>(old: &[K], new: &[K]) -> Vec<(Option<usize>, Option<usize>)> {
    let old_at: HashMap<&K, usize> = old.iter().enumerate().map(|(i, k)| (k, i)).collect();
    let in_new: HashSet<&K> = new.iter().collect();
    let mut out = Vec::new();
    let mut cursor = 0;
    for (j, key) in new.iter().enumerate() {
        let Some(&i) = old_at.get(key) else {
            out.push((None, Some(j)));
            continue;
        };
        while cursor < i {
            if !in_new.contains(&old[cursor]) {
                out.push((Some(cursor), None));
            }
            cursor += 1;
        }
        cursor = cursor.max(i + 1);
        out.push((Some(i), Some(j)));
    }
    for (i, key) in old.iter().enumerate().skip(cursor) {
        if !in_new.contains(key) {
            out.push((Some(i), None));
        }
    }
    out
}

fn provision_changes(old: &[Unit], new: &[Unit]) -> Vec<ProvisionChange> {
    let key = |u: &Unit| (u.normalized.clone(), u.occurrence);
    let old_keys: Vec<_> = old.iter().map(key).collect();
    let new_keys: Vec<_> = new.iter().map(key).collect();
    merge_order(&old_keys, &new_keys)
        .into_iter()
        .filter_map(|(i, j)| {
            let (o, n) = (i.map(|i| &old[i]), j.map(|j| &new[j]));
            let change = match (o, n) {
                (Some(o), Some(n)) if o.text.trim() == n.text.trim() => return None,
                (Some(_), Some(_)) => ProvisionChangeKind::Amended,
                (Some(_), None) => ProvisionChangeKind::Removed,
                (None, _) => ProvisionChangeKind::Added,
            };
            let unit = n.or(o)?;
            Some(ProvisionChange {
                change,
                normalized: unit.normalized.clone(),
                occurrence: unit.occurrence,
                citation: unit.citation.clone(),
                old_text: o.map(|u| u.text.clone()),
                new_text: n.map(|u| u.text.clone()),
                findings: Vec::new(),
                still_open: Vec::new(),
            })
        })
        .collect()
}

fn is_open(finding: &Finding) -> bool {
    !finding.digital_alternative
}

/// Findings keyed by (normalized, code, rank among equal ones).
fn keyed(findings: &[Finding]) -> Vec<(String, String, usize)> {
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let rank = seen
                .entry((f.normalized.as_str(), f.code.as_str()))
                .or_default();
            *rank += 1;
            (f.normalized.clone(), f.code.clone(), *rank)
        })
        .collect()
}

/// The part of a finding id that hashes the provision's wording.
fn id_wording(id: &str) -> &str {
    id.split_once('-').map_or(id, |(_, wording)| wording)
}

/// The findings opened and closed between two versions of one 例規 (and,
/// with `compare_wording`, those whose provision's wording changed).
fn finding_changes(old: &[Finding], new: &[Finding], compare_wording: bool) -> Vec<FindingChange> {
    merge_order(&keyed(old), &keyed(new))
        .into_iter()
        .filter_map(|(i, j)| {
            finding_change(i.map(|i| &old[i]), j.map(|j| &new[j]), compare_wording)
        })
        .collect()
}

fn finding_change(
    old: Option<&Finding>,
    new: Option<&Finding>,
    compare_wording: bool,
) -> Option<FindingChange> {
    let old_open = old.is_some_and(is_open);
    let new_open = new.is_some_and(is_open);
    let (change, closed_because) = if new_open && !old_open {
        (FindingChangeKind::Opened, None)
    } else if old_open && !new_open {
        let because = if new.is_some() {
            ClosedBecause::DigitalAlternative
        } else {
            ClosedBecause::Absent
        };
        (FindingChangeKind::Closed, Some(because))
    } else if compare_wording
        && old
            .zip(new)
            .is_some_and(|(o, n)| id_wording(&o.id) != id_wording(&n.id))
    {
        (FindingChangeKind::Amended, None)
    } else {
        return None;
    };
    let finding = new.or(old)?;
    Some(FindingChange {
        change,
        normalized: finding.normalized.clone(),
        citation: finding.citation.clone(),
        code: finding.code.clone(),
        code_name: finding.code_name.clone(),
        closed_because,
        provision: ProvisionState::Unchanged,
        old_id: old.map(|f| f.id.clone()),
        new_id: new.map(|f| f.id.clone()),
        old_excerpt: old.map(|f| f.excerpt.clone()),
        new_excerpt: new.map(|f| f.excerpt.clone()),
    })
}

/// True when a finding change can arise from a provision change: an opened
/// finding needs the provision in NEW, a closed one in OLD.
fn fits(provision: ProvisionChangeKind, finding: FindingChangeKind) -> bool {
    match finding {
        FindingChangeKind::Opened => provision != ProvisionChangeKind::Removed,
        FindingChangeKind::Closed => provision != ProvisionChangeKind::Added,
        FindingChangeKind::Amended => provision == ProvisionChangeKind::Amended,
    }
}

/// Puts each finding change under the provision change at its citation;
/// returns the others, marked with `fallback`.
fn attach(
    findings: Vec<FindingChange>,
    provisions: &mut [ProvisionChange],
    fallback: ProvisionState,
) -> Vec<FindingChange> {
    let mut rest = Vec::new();
    for mut finding in findings {
        let slot = provisions
            .iter_mut()
            .find(|p| p.normalized == finding.normalized && fits(p.change, finding.change));
        match slot {
            Some(provision) => {
                finding.provision = provision.change.into();
                provision.findings.push(finding);
            }
            None => {
                finding.provision = fallback;
                rest.push(finding);
            }
        }
    }
    rest
}

/// The open codes of findings at a normal form.
fn open_codes<'f>(findings: &'f [Finding], normalized: &str) -> BTreeSet<(&'f str, &'f str)> {
    findings
        .iter()
        .filter(|f| f.normalized == normalized && is_open(f))
        .map(|f| (f.code.as_str(), f.code_name.as_str()))
        .collect()
}

fn mark_still_open(provisions: &mut [ProvisionChange], old: &[Finding], new: &[Finding]) {
    for provision in provisions
        .iter_mut()
        .filter(|p| p.change == ProvisionChangeKind::Amended)
    {
        let before = open_codes(old, &provision.normalized);
        provision.still_open = open_codes(new, &provision.normalized)
            .intersection(&before)
            .map(|(code, name)| CodeName {
                code: (*code).to_string(),
                code_name: (*name).to_string(),
            })
            .collect();
    }
}

#[cfg(test)]
mod tests;
