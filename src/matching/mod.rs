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
pub use finding::{Finding, MatchedWord, Priority, RuleHit};
pub use scan::{
    ScanError, Scanned, check_examples, scan_document, scan_each, scan_sources, scan_sources_within,
};
