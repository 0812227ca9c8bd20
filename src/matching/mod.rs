//! Matching: finds analog regulations in provisions with the rules of `rules/`
//! and turns them into findings.

mod finding;

pub use finding::{Finding, MatchedWord, Priority, RuleHit};
