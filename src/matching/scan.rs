//! Scanning a set of files: read, structure and match each file in parallel
//! (rayon), keeping only what outputs need (findings and a line per document),
//! so a huge corpus does not have to fit in memory as trees. Each file's
//! work runs within the per-file time budget (`reading::budget`).

use std::collections::BTreeSet;
use std::time::Duration;

use rayon::prelude::*;

use super::{Finding, MatchError, Matcher, wording_hash};
use crate::reading::budget::{DEFAULT_FILE_TIMEOUT, within};
use crate::reading::files::{Source, read_source};
use crate::reading::{FileError, ReadError};
use crate::rules::{Example, Rule, RuleError, RuleSet};
use crate::structure::{Builder, Document, Format, ProvisionKind};

/// What one file gave.
#[derive(Debug)]
pub struct Scanned {
    pub file: String,
    pub title: String,
    pub number: Option<String>,
    pub doc_kind: String,
    /// Bytes of text read (for throughput figures).
    pub bytes: usize,
    pub findings: Vec<Finding>,
    /// Every provision's citation as printed.
    pub citations: BTreeSet<String>,
    /// The [`wording_hash`] of every provision's text.
    pub wordings: BTreeSet<u32>,
    /// The document itself, when the caller asked to keep it (for the HTML report).
    pub document: Option<Document>,
}

/// Why one file could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Read(#[from] FileError),
    #[error("{file}: ルールとの照合に失敗しました (matching failed: {error})")]
    Match { file: String, error: MatchError },
}

impl ScanError {
    pub fn file(&self) -> &str {
        match self {
            ScanError::Read(e) => &e.file,
            ScanError::Match { file, .. } => file,
        }
    }
}

/// Reads and matches every source with the default per-file time budget;
/// results come back in the sources' order. Documents are dropped once
/// matched unless `keep_documents` (a report needs them).
pub fn scan_sources(
    sources: &[Source],
    matcher: &Matcher,
    keep_documents: bool,
    progress: &(dyn Fn(&Source) + Sync),
) -> Vec<Result<Scanned, ScanError>> {
    scan_sources_within(
        sources,
        matcher,
        keep_documents,
        DEFAULT_FILE_TIMEOUT,
        progress,
    )
}

/// As [`scan_sources`], giving up on a file after `budget`.
pub fn scan_sources_within(
    sources: &[Source],
    matcher: &Matcher,
    keep_documents: bool,
    budget: Duration,
    progress: &(dyn Fn(&Source) + Sync),
) -> Vec<Result<Scanned, ScanError>> {
    sources
        .par_iter()
        .map(|source| {
            let result = scan_within(source, matcher, keep_documents, budget);
            progress(source);
            result
        })
        .collect()
}

/// Reads and matches every source in parallel, each within `budget`, and
/// hands each result to `each` as soon as it is ready (in no set order), so
/// nothing is kept once `each` has dealt with it.
pub fn scan_each(
    sources: &[Source],
    matcher: &Matcher,
    keep_documents: bool,
    budget: Duration,
    each: &(dyn Fn(&Source, Result<Scanned, ScanError>) + Sync),
) {
    sources.par_iter().for_each(|source| {
        each(source, scan_within(source, matcher, keep_documents, budget));
    });
}

/// Reads and matches one source on a worker thread, waiting at most `budget`.
fn scan_within(
    source: &Source,
    matcher: &Matcher,
    keep: bool,
    budget: Duration,
) -> Result<Scanned, ScanError> {
    let (owned, matcher) = (source.clone(), matcher.clone());
    within(budget, move || scan_one(&owned, &matcher, keep)).unwrap_or_else(|error| {
        Err(ScanError::Read(FileError {
            file: source.name.clone(),
            error: ReadError::Budget(error),
        }))
    })
}

/// What is wrong with one full example, if anything.
fn check_example(
    rule: &Rule,
    example: &Example,
    matcher: &Matcher,
) -> Result<Option<String>, MatchError> {
    let document = example_document(example);
    let findings = matcher.scan(&document)?;
    let unit = if example.lead.is_some() {
        ProvisionKind::Item
    } else {
        ProvisionKind::Paragraph
    };
    let found = findings
        .iter()
        .find(|f| f.code == rule.code && f.unit == unit && f.rules.iter().any(|r| r.id == rule.id));
    let any_of_code = findings
        .iter()
        .any(|f| f.code == rule.code && f.unit == unit);
    let problem = if !example.finds {
        any_of_code.then(|| format!("should give no {} finding but does", rule.code))
    } else if let Some(f) = found {
        let priority = f.priority.japanese();
        match (example.digital, &example.priority) {
            (Some(want), _) if want != f.digital_alternative => Some(format!(
                "is {}marked as already digital",
                if f.digital_alternative { "" } else { "not " }
            )),
            (_, Some(want)) if want != priority => {
                Some(format!("has priority {priority}, not {want}"))
            }
            _ => None,
        }
    } else {
        Some("finds nothing".to_string())
    };
    Ok(problem)
}

/// A one-article 例規 holding an example: its text as the paragraph, or as
/// the first 号 of the paragraph `lead`.
fn example_document(example: &Example) -> Document {
    let mut builder = Builder::new("example", Format::Text, "UTF-8");
    builder.title("例規の例");
    builder.article("第一条");
    match &example.lead {
        Some(lead) => {
            builder.paragraph("", None, lead);
            builder.item_at(0, "一", &example.text);
        }
        None => builder.paragraph("", None, &example.text),
    }
    builder.finish()
}

fn scan_one(source: &Source, matcher: &Matcher, keep: bool) -> Result<Scanned, ScanError> {
    let document = read_source(source)?;
    let mut scanned = scan_document(&document, matcher)?;
    if keep {
        scanned.document = Some(document);
    }
    Ok(scanned)
}

/// Matches one document that is already read.
pub fn scan_document(document: &Document, matcher: &Matcher) -> Result<Scanned, ScanError> {
    let findings = matcher.scan(document).map_err(|error| ScanError::Match {
        file: document.file.clone(),
        error,
    })?;
    Ok(Scanned {
        file: document.file.clone(),
        title: document.title.clone(),
        number: document.number.clone(),
        doc_kind: document.kind.japanese().to_string(),
        bytes: document.text.len(),
        findings,
        citations: document
            .walk()
            .into_iter()
            .map(|p| p.citation.clone())
            .collect(),
        wordings: document
            .walk()
            .into_iter()
            .map(|p| wording_hash(&p.text))
            .collect(),
        document: None,
    })
}

/// Runs every rule's examples: each `match` sentence must fire the rule, each
/// `no_match` sentence must not, and each `[[rule.example]]` must come out of
/// the whole matcher as it says (see [`crate::rules::Example`]). A failing
/// example is reported at the rule's line.
pub fn check_examples(rules: &RuleSet, matcher: &Matcher) -> Result<Vec<RuleError>, MatchError> {
    let mut errors = Vec::new();
    for rule in &rules.rules {
        for example in &rule.examples {
            if let Some(problem) = check_example(rule, example, matcher)? {
                errors.push(RuleError {
                    file: rule.file.clone(),
                    line: rule.line,
                    message: crate::rules::one_line(&format!(
                        "rule {}: example {problem}: {}",
                        rule.id, example.text
                    )),
                });
            }
        }
    }
    for rule in &rules.rules {
        for (sentence, want) in rule
            .must_match
            .iter()
            .map(|s| (s, true))
            .chain(rule.no_match.iter().map(|s| (s, false)))
        {
            if matcher.fires(&rule.id, sentence)? != want {
                let what = if want {
                    "should match but does not"
                } else {
                    "should not match but does"
                };
                errors.push(RuleError {
                    file: rule.file.clone(),
                    line: rule.line,
                    message: crate::rules::one_line(&format!(
                        "rule {}: example {what}: {sentence}",
                        rule.id
                    )),
                });
            }
        }
    }
    Ok(errors)
}
