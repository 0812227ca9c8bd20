//! What a scan keeps of one matched document (its findings and a line for the
//! checklist), and the check of the rules' own examples. Files are read and
//! matched by the `pipeline`.

use std::collections::BTreeSet;

use super::{Finding, MatchError, Matcher, wording_hash};
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

/// Matches one document that is already read.
pub fn scan_document(document: &Document, matcher: &Matcher) -> Result<Scanned, MatchError> {
    Ok(Scanned::of(document, matcher.scan(document)?))
}

impl Scanned {
    /// What the checklist keeps of a document and its findings.
    pub fn of(document: &Document, findings: Vec<Finding>) -> Scanned {
        Scanned {
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
        }
    }
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
