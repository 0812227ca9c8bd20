//! Outputs of `tenken parse`: the JSON tree, one JSON line per provision, and an
//! indented outline for reading in a terminal; plus the atomic file write that
//! every output of tenken goes through (temporary file, then rename), so an
//! interrupted run never leaves a half-written file over a good one.

use serde::Serialize;
use std::io::Write;
use std::path::Path;

use crate::structure::{Document, Part, Provision, ProvisionKind};

/// One provision as a flat record (`--format jsonl`).
#[derive(Debug, Clone, Serialize)]
pub struct ProvisionRow<'a> {
    pub file: &'a str,
    pub title: &'a str,
    pub doc_kind: &'static str,
    pub kind: ProvisionKind,
    pub part: Part,
    /// The citation as printed: 第十二条の二第三項第一号.
    pub citation: &'a str,
    /// Normal form: 12-2/3/1.
    pub normalized: &'a str,
    /// The enclosing article as printed ("" when none).
    pub article: &'a str,
    /// The enclosing paragraph's printed number ("" for an article's first).
    pub paragraph: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<&'a str>,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    pub notes: &'a [String],
}

/// Flattens a document into rows, in document order.
pub fn rows(document: &Document) -> Vec<ProvisionRow<'_>> {
    let mut out = Vec::new();
    for provision in &document.provisions {
        push_rows(document, provision, "", "", &mut out);
    }
    out
}

fn push_rows<'a>(
    document: &'a Document,
    p: &'a Provision,
    article: &'a str,
    paragraph: &'a str,
    out: &mut Vec<ProvisionRow<'a>>,
) {
    let article = if p.kind == ProvisionKind::Article {
        p.label.as_str()
    } else {
        article
    };
    let paragraph = if p.kind == ProvisionKind::Paragraph {
        p.label.as_str()
    } else {
        paragraph
    };
    out.push(ProvisionRow {
        file: &document.file,
        title: &document.title,
        doc_kind: document.kind.japanese(),
        kind: p.kind,
        part: p.part,
        citation: &p.citation,
        normalized: &p.normalized,
        article,
        paragraph,
        caption: p.caption.as_deref(),
        text: &p.text,
        start: p.start,
        end: p.end,
        notes: &p.notes,
    });
    for child in &p.children {
        push_rows(document, child, article, paragraph, out);
    }
}

/// Writes the JSON lines of a document.
pub fn write_jsonl(document: &Document, out: &mut dyn Write) -> std::io::Result<()> {
    for row in rows(document) {
        serde_json::to_writer(&mut *out, &row)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Writes an indented outline: the document's heading, then one line per
/// provision with the start of its text.
pub fn write_outline(document: &Document, out: &mut dyn Write) -> std::io::Result<()> {
    let meta: Vec<&str> = [
        Some(document.kind.japanese()),
        document.number.as_deref(),
        document.date.as_deref(),
        Some(document.encoding.as_str()),
    ]
    .into_iter()
    .flatten()
    .collect();
    writeln!(
        out,
        "{}  {}  ({})",
        document.file,
        document.title,
        meta.join(", ")
    )?;
    for p in &document.provisions {
        outline_node(p, 1, out)?;
    }
    Ok(())
}

fn outline_node(p: &Provision, depth: usize, out: &mut dyn Write) -> std::io::Result<()> {
    let indent = "  ".repeat(depth);
    let label = if p.label.is_empty() {
        "○"
    } else {
        p.label.as_str()
    };
    let caption = match (p.kind, p.caption.as_deref()) {
        (ProvisionKind::Article | ProvisionKind::Paragraph, Some(c)) => format!("（{c}）"),
        (_, Some(c)) => format!("　{c}"),
        (_, None) => String::new(),
    };
    let text: String = p.text.replace('\n', " ").chars().take(50).collect();
    let more = if p.text.chars().count() > 50 {
        "…"
    } else {
        ""
    };
    writeln!(out, "{indent}{label}{caption} {text}{more}")?;
    for child in &p.children {
        outline_node(child, depth + 1, out)?;
    }
    Ok(())
}

/// The temporary name a file is written under before it is renamed to
/// `path`: `.<name>.<pid>.tmp` in the same folder.
pub fn temporary_path(path: &Path) -> std::path::PathBuf {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    dir.join(format!(".{name}.{}.tmp", std::process::id()))
}

/// Writes a file atomically: the content goes to a temporary file beside the
/// target, which is flushed to the disk and then renamed over it.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_via_temporary(path, true, write)
}

/// Like [`write_atomically`], without waiting for the disk before the
/// rename: for the pages of the report, which every run makes again. A
/// failed or killed run still never leaves a half-written page; a power cut
/// may cost a page the next run writes again. Flushing each of a report's
/// thousand pages to the disk took longer than making them.
pub fn write_replacing(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write_via_temporary(path, false, write)
}

fn write_via_temporary(
    path: &Path,
    sync: bool,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let temp = temporary_path(path);
    let result = (|| {
        let file = std::fs::File::create(&temp)?;
        let mut writer = std::io::BufWriter::new(file);
        write(&mut writer)?;
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        if sync {
            file.sync_all()?;
        }
        drop(file);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Both ways of replacing a file (flushed to the disk first, or not).
    #[test]
    fn atomic_write_keeps_the_old_file_when_writing_fails() {
        for sync in [true, false] {
            let dir = tempfile::tempdir().expect("temp dir");
            let path = dir.path().join("out.jsonl");
            std::fs::write(&path, "good\n").expect("seed");
            let failed = write_via_temporary(&path, sync, |w| {
                w.write_all(b"half")?;
                Err(std::io::Error::other("interrupted"))
            });
            assert!(failed.is_err());
            assert_eq!(std::fs::read_to_string(&path).expect("read"), "good\n");
            let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
            assert_eq!(leftovers, 1, "no temporary file is left behind");
            write_via_temporary(&path, sync, |w| w.write_all(b"new\n")).expect("write");
            assert_eq!(std::fs::read_to_string(&path).expect("read"), "new\n");
        }
    }
}

/// A UTC time stamp for file names: `20261122-230512`.
pub fn utc_stamp(time: std::time::SystemTime) -> String {
    let secs = time
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}{month:02}{day:02}-{:02}{:02}{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod stamp_tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn stamps_are_utc_calendar_times() {
        assert_eq!(utc_stamp(UNIX_EPOCH), "19700101-000000");
        // 2026-11-22 23:05:12 UTC
        let t = UNIX_EPOCH + Duration::from_secs(1_795_388_712);
        assert_eq!(utc_stamp(t), "20261122-230512");
        // 2024-02-29 (a leap day)
        let t = UNIX_EPOCH + Duration::from_secs(1_709_164_800);
        assert_eq!(utc_stamp(t), "20240229-000000");
    }
}
