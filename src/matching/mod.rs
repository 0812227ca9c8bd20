//! Matching: finds analog regulations in provisions with the rules of `rules/`
//! and turns them into findings.

mod clause;
mod engine;
mod finding;
#[cfg(test)]
pub(crate) mod fixtures;
mod scan;
mod sentences;

pub use engine::{
    EXCERPT_MAX, MatchError, Matcher, id_location, shorten_excerpt, stable_id, wording_hash,
};
pub use finding::{
    Finding, MatchedWord, PrecedentNote, Priority, ProvisionFindings, RuleHit, Tally,
    findings_by_provision,
};
pub use scan::{Scanned, check_examples, scan_document};
