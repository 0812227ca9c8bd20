//! The full-text index of a corpus, on tantivy: one index document per
//! provision (条・項・号, 附則 and 別表 units as the structure gives them) with
//! its text, its 例規's title, kind, number, date and source, its citation,
//! and the taxonomy codes and rules the matcher finds in it.
//!
//! - [`build`] writes and updates an index (`tenken index`): files are hashed,
//!   only changed files are read again, provisions of changed and vanished
//!   files are deleted, and everything is committed once, with the per-file
//!   hashes stored in the commit itself so index and manifest never disagree.
//! - [`SearchIndex`] answers queries (`tenken search`, and the search server):
//!   open it once and share it between threads.
//!
//! Japanese text is indexed twice: by lindera morphemes, each with its
//! surface and its base form at the same position (掲示する finds 掲示し), and
//! by character bigrams, which answer "quoted phrases" exactly whatever
//! lindera makes of them. The query
//! language is tantivy's grammar (words, "phrases", AND/OR/NOT, +/-,
//! field:value, ranges), translated leaf by leaf in [`query`].

pub mod build;
mod counts;
pub mod query;
pub mod schema;
mod search;
mod similar;
pub mod snippet;
pub mod tokens;

use std::path::PathBuf;

pub use build::{DEFAULT_COMMIT_EVERY, IndexOptions, IndexReport, index_files, index_files_with};
pub use counts::{CollectionTotal, CountRow, Counts};
pub use search::{
    ArticleView, Facets, Hit, MAX_LIMIT, ProvisionRecord, SearchIndex, SearchRequest,
    SearchResponse,
};
pub use similar::{CodePrecedents, DEFAULT_PRECEDENTS, Precedent, Precedents, Target};

use crate::matching::MatchError;
use crate::tokenizing::TokenizeError;

/// The index folder used when none is given (`--index`).
pub const DEFAULT_INDEX_DIR: &str = "out/index";

/// Why indexing or searching failed.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// The query cannot be understood (a search server answers 400).
    #[error("検索式の誤り: {message}")]
    Query { message: String },
    /// Another process holds the index's writer lock.
    #[error(
        "the index at {} is being written by another tenken process: wait for it to finish",
        dir.display()
    )]
    Locked { dir: PathBuf },
    /// There is no index in the folder.
    #[error("no index at {}: build one with 'tenken index PATH... --index {}'", dir.display(), dir.display())]
    Missing { dir: PathBuf },
    /// The folder holds an index of another tenken version.
    #[error(
        "the index at {} was written by another version of tenken: run 'tenken index PATH... --index {}' again to rebuild it",
        dir.display(),
        dir.display()
    )]
    Incompatible { dir: PathBuf },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("index: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Tokenize(#[from] TokenizeError),
    #[error(transparent)]
    Match(#[from] MatchError),
}

impl IndexError {
    fn query(message: impl Into<String>) -> Self {
        IndexError::Query {
            message: message.into(),
        }
    }
}
