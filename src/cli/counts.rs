//! `tenken counts`: the table of collection × 類型 (× 優先度), as a table,
//! CSV or JSON.

use crate::cli::Exit;
use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use tenken::index::{Counts, SearchIndex};
use unicode_width::UnicodeWidthStr;

/// `text` padded with spaces to `width` columns (a kanji takes two), on
/// the left (`right` aligned) or on the right.
fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(text.width()));
    if right {
        format!("{fill}{text}")
    } else {
        format!("{text}{fill}")
    }
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum CountsFormat {
    /// 類型 down, collections across: the provisions with a finding of each.
    Table,
    /// One row per collection × 類型 with 優先度 and digital counts,
    /// UTF-8 with BOM, for a spreadsheet.
    Csv,
    /// The collections' sizes and the rows, as JSON.
    Json,
}

/// The CSV's columns.
pub(crate) const CSV_COLUMNS: [&str; 10] = [
    "コレクション",
    "類型コード",
    "類型",
    "該当条項数",
    "優先度高",
    "優先度中",
    "優先度低",
    "電子的代替あり",
    "全条項数",
    "該当率(%)",
];

/// `tenken counts`: counts the provisions of each collection × 類型.
pub(crate) fn counts_command(query: Option<&str>, dir: &Path, format: CountsFormat) -> Exit {
    let counts = SearchIndex::open(dir).and_then(|index| index.counts(query));
    let counts = match super::index_answer(counts, Some(super::QUERY_HINT)) {
        Ok(counts) => counts,
        Err(exit) => return exit,
    };
    let json = matches!(format, CountsFormat::Json);
    super::print_answer(&counts, json, |counts, out| match format {
        CountsFormat::Csv => write_csv(counts, out),
        _ => write_table(counts, out),
    })
}

fn total_of(counts: &Counts, collection: &str) -> u64 {
    counts
        .collections
        .iter()
        .find(|c| c.collection == collection)
        .map_or(0, |c| c.provisions)
}

pub(crate) fn write_csv(counts: &Counts, out: &mut dyn Write) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record(CSV_COLUMNS)?;
    for row in &counts.rows {
        let total = total_of(counts, &row.collection);
        let share = if total == 0 {
            0.0
        } else {
            row.provisions as f64 * 100.0 / total as f64
        };
        csv.write_record([
            row.collection.clone(),
            row.code.clone(),
            row.code_name.clone(),
            row.provisions.to_string(),
            row.high.to_string(),
            row.medium.to_string(),
            row.low.to_string(),
            row.digital.to_string(),
            total.to_string(),
            format!("{share:.2}"),
        ])?;
    }
    csv.flush()
}

fn write_table(counts: &Counts, out: &mut dyn Write) -> std::io::Result<()> {
    let names: Vec<&str> = counts
        .collections
        .iter()
        .map(|c| c.collection.as_str())
        .collect();
    let mut codes: Vec<(&str, String)> = Vec::new();
    for row in &counts.rows {
        if !codes.iter().any(|(c, _)| *c == row.code) {
            codes.push((&row.code, format!("{} ({})", row.code_name, row.code)));
        }
    }
    let first = codes
        .iter()
        .map(|(_, label)| label.width())
        .max()
        .unwrap_or(8);
    let column = names.iter().map(|n| n.width()).max().unwrap_or(0).max(8);
    let mut line = pad("類型", first, false);
    for name in &names {
        line += &format!("  {}", pad(name, column, true));
    }
    writeln!(out, "{}", line.trim_end())?;
    for (code, label) in &codes {
        let mut line = pad(label, first, false);
        for collection in &names {
            let n = counts
                .rows
                .iter()
                .find(|r| r.code == *code && r.collection == *collection)
                .map_or(0, |r| r.provisions);
            line += &format!("  {}", pad(&n.to_string(), column, true));
        }
        writeln!(out, "{line}")?;
    }
    let mut line = pad("全条項数", first, false);
    for collection in &names {
        line += &format!(
            "  {}",
            pad(&total_of(counts, collection).to_string(), column, true)
        );
    }
    writeln!(out, "{line}")?;
    if names.is_empty() {
        writeln!(
            out,
            "（索引にコレクションがありません: tenken index で作り直してください）"
        )?;
    }
    Ok(())
}
