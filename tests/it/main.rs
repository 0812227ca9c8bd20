//! The integration tests, as one test binary (`cargo test --test it`): one
//! link of tenken with lindera, tantivy and axum instead of one per file.
//! Each module is one subject (`cargo test --test it scan::` runs one);
//! `common` holds the helpers and fixtures they share. The Python helpers the
//! tests run and the saved fuzz inputs are data beside this folder, in
//! `tests/` (`tests/*.py`, `tests/baseline/`, `tests/fuzz_regressions/`).
//!
//! All tests run in one process, on several threads: a test must not change
//! the process's environment or current directory (give them to the
//! `Command` it spawns instead) or rely on global state being its own.

mod common;

mod bad_files;
mod basis;
mod beside_program;
mod checklist;
mod checklist_paper;
mod cli;
mod diff;
mod draft;
mod export;
mod fuzz_regressions;
mod guide;
mod index;
mod ledger;
mod messages;
mod report;
mod rescan;
mod research;
mod resume;
mod sample_corpus;
mod scan;
mod serve;
mod shared_corpus;
mod tables;
mod taxonomy;
mod tokenizing;
