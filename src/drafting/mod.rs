//! Drafting amendments (`tenken draft`): for the provisions reviewers decided
//! to amend (見直し方針 = 例規改正), a proposed new wording, the 改め文 in the
//! standard form and the 新旧対照表.
//!
//! - `model`: the drafts as plain data, from which every output is rendered;
//! - `amend`: the 改め文 lines of a change, and the reader that applies them
//!   back to the old text (the check that they say what the table shows).

mod amend;
mod model;
mod table;

pub use amend::amending_text;
pub use model::{DocumentDraft, ProvisionDraft, Segment, Source};
pub use table::{TableError, page_names, sheet_names, write_html, write_xlsx};
