//! Shared by the fuzz targets: reads bytes the way the tool does and checks
//! what must hold for any document that was read.

// Each target uses only part of this module.
#![allow(dead_code)]

use tenken::reading::{detect_format, read_bytes};
use tenken::structure::{Document, Format};

/// Reads `bytes`; on success checks the document's invariants.
pub fn read_and_check(bytes: &[u8]) -> Option<Document> {
    let document = read_bytes(bytes, "fuzz").ok()?;
    check_offsets(&document);
    Some(document)
}

/// Reads `text`, which was built to be detected as `format`, and checks that
/// the reader for that format is the one that ran. Inputs whose own content
/// makes detection pick another format are skipped.
pub fn read_as(text: &str, format: Format) {
    if detect_format(text) != format {
        return;
    }
    if let Some(document) = read_and_check(text.as_bytes()) {
        assert_eq!(document.format, format, "detected format changed");
    }
}

/// Every provision's `[start, end)` lies inside the document text, in
/// characters, and that slice of the text is the provision's own text.
pub fn check_offsets(document: &Document) {
    let text = &document.text;
    // Byte offset of every character, plus the end of the text.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect();
    let chars = bytes.len() - 1;
    for provision in document.walk() {
        let (start, end) = (provision.start, provision.end);
        assert!(
            start <= end && end <= chars,
            "{}: offsets {start}..{end} outside a text of {chars} characters",
            provision.citation
        );
        assert_eq!(
            &text[bytes[start]..bytes[end]],
            provision.text,
            "{}: text at {start}..{end}",
            provision.citation
        );
    }
}
