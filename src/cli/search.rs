//! `tenken search`: one query on the index, printed as a table, JSON or CSV.

use crate::cli::Exit;
use std::io::Write;
use std::path::Path;

use clap::ValueEnum;

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SearchFormat {
    /// Ranked results with snippets, then the counts by 類型, 種別 and source.
    Table,
    /// The whole response (hits, total, facets) as JSON.
    Json,
    /// One row per result, UTF-8 with BOM, for a spreadsheet.
    Csv,
}

/// `tenken search`: runs one query on the index and prints the results.
pub(crate) fn search_command(
    query: &str,
    dir: &Path,
    limit: usize,
    offset: usize,
    format: SearchFormat,
) -> Exit {
    use tenken::index::{SearchIndex, SearchRequest};
    let request = SearchRequest {
        query: query.to_string(),
        limit,
        offset,
    };
    let response = SearchIndex::open(dir).and_then(|index| index.search(&request));
    let response = match super::index_answer(response, Some(super::QUERY_HINT)) {
        Ok(response) => response,
        Err(exit) => return exit,
    };
    let json = matches!(format, SearchFormat::Json);
    super::print_answer(&response, json, |response, out| match format {
        SearchFormat::Csv => write_search_csv(response, offset, out),
        _ => write_search_table(response, offset, out),
    })
}

pub(crate) fn write_search_table(
    response: &tenken::index::SearchResponse,
    offset: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for (rank, hit) in response.hits.iter().enumerate() {
        let codes = if hit.codes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", hit.codes.join(", "))
        };
        let caption = hit
            .caption
            .as_deref()
            .map(|c| format!("（{}）", c.trim_matches(['(', ')', '（', '）'])))
            .unwrap_or_default();
        writeln!(
            out,
            "{:>4}. {} {}{caption}{codes}  ({}, {}: {})",
            offset + rank + 1,
            hit.title,
            hit.citation,
            hit.kind,
            hit.collection,
            hit.file
        )?;
        writeln!(out, "      {}", hit.snippet)?;
    }
    let shown = response.hits.len();
    writeln!(
        out,
        "{} provisions match{}",
        response.total,
        if shown == 0 {
            String::new()
        } else {
            format!(" (showing {}-{})", offset + 1, offset + shown)
        }
    )?;
    let facets = &response.facets;
    for (label, counts) in [
        ("類型", &facets.codes),
        ("種別", &facets.kinds),
        ("collection", &facets.collections),
        ("source", &facets.sources),
    ] {
        if !counts.is_empty() {
            let mut counts: Vec<(&String, &u64)> = counts.iter().collect();
            counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let list: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
            writeln!(out, "  {label}: {}", list.join(", "))?;
        }
    }
    Ok(())
}

pub(crate) fn write_search_csv(
    response: &tenken::index::SearchResponse,
    offset: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "rank",
        "score",
        "title",
        "kind",
        "number",
        "date",
        "year",
        "collection",
        "source",
        "citation",
        "normalized",
        "caption",
        "codes",
        "digital",
        "snippet",
        "file",
        "id",
    ])?;
    for (rank, hit) in response.hits.iter().enumerate() {
        csv.write_record([
            (offset + rank + 1).to_string(),
            format!("{:.3}", hit.score),
            hit.title.clone(),
            hit.kind.clone(),
            hit.number.clone().unwrap_or_default(),
            hit.date.clone().unwrap_or_default(),
            hit.year.map(|y| y.to_string()).unwrap_or_default(),
            hit.collection.clone(),
            hit.source.clone(),
            hit.citation.clone(),
            hit.normalized.clone(),
            hit.caption.clone().unwrap_or_default(),
            hit.codes.join(" "),
            hit.digital.to_string(),
            hit.snippet.clone(),
            hit.file.clone(),
            hit.id.clone(),
        ])?;
    }
    csv.flush()
}
