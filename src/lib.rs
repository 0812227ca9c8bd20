//! tenken (点検): reads Japanese 例規 and national laws in the formats they are
//! published in, cuts them into 条・項・号, and reviews them for analog
//! regulations (アナログ規制).
//!
//! Data flows one way: `reading` turns bytes into a `structure::Document`,
//! `tokenizing` splits provision text into morphemes, and later stages turn
//! provisions into findings and outputs (the checklist, the HTML `report`).

pub mod basis;
pub mod checklist;
pub mod diff;
pub mod drafting;
pub mod exit;
pub mod export;
pub mod hashing;
pub mod index;
pub mod journal;
pub mod ledger;
pub mod locations;
pub mod matching;
pub mod memory;
pub mod messages;
pub mod out_folder;
pub mod output;
pub mod pipeline;
pub mod reading;
pub mod report;
pub mod review;
pub mod rules;
pub mod scan;
pub mod serve;
pub mod structure;
pub mod tokenizing;
