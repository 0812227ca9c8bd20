//! Scanning a set of files: read, structure and match each file in parallel
//! (rayon), keeping only what outputs need (findings and a line per document),
//! so a huge corpus does not have to fit in memory as trees.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::{Finding, MatchError, Matcher};
use crate::reading::FileError;
use crate::reading::files::{Source, read_source};
use crate::rules::{RuleError, RuleSet};
use crate::structure::Document;

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
    /// The document itself, when the caller asked to keep it (for the HTML report).
    pub document: Option<Document>,
}

/// Why one file could not be scanned.
#[derive(Debug, thiserror::Error)]
pub enum ScanError {
    #[error(transparent)]
    Read(#[from] FileError),
    #[error("{file}: {error}")]
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

/// Reads and matches every source; results come back in the sources' order.
/// Documents are dropped once matched unless `keep_documents` (a report needs them).
pub fn scan_sources(
    sources: &[Source],
    matcher: &Matcher<'_>,
    keep_documents: bool,
    progress: &(dyn Fn(&Source) + Sync),
) -> Vec<Result<Scanned, ScanError>> {
    sources
        .par_iter()
        .map(|source| {
            let result = scan_one(source, matcher, keep_documents);
            progress(source);
            result
        })
        .collect()
}

fn scan_one(source: &Source, matcher: &Matcher<'_>, keep: bool) -> Result<Scanned, ScanError> {
    let document = read_source(source)?;
    let mut scanned = scan_document(&document, matcher)?;
    if keep {
        scanned.document = Some(document);
    }
    Ok(scanned)
}

/// Matches one document that is already read.
pub fn scan_document(document: &Document, matcher: &Matcher<'_>) -> Result<Scanned, ScanError> {
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
        document: None,
    })
}

/// Runs every rule's examples: each `match` sentence must fire the rule, each
/// `no_match` sentence must not. A failing example is reported at the rule's line.
pub fn check_examples(
    rules: &RuleSet,
    matcher: &Matcher<'_>,
) -> Result<Vec<RuleError>, MatchError> {
    let mut errors = Vec::new();
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
                    message: format!("rule {}: example {what}: {sentence}", rule.id),
                });
            }
        }
    }
    Ok(errors)
}
