//! `tenken similar`: the precedents of a provision or finding, as a table or JSON.

use crate::cli::Exit;
use std::io::Write;
use std::path::Path;

use clap::ValueEnum;
use tenken::index::{Precedents, SearchIndex};

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum SimilarFormat {
    /// The provision asked about, then its precedents per 類型, best first.
    Table,
    /// The whole answer (target, codes, precedents) as JSON.
    Json,
}

/// What `tenken similar` was asked.
pub(crate) struct Ask<'a> {
    pub id: &'a str,
    pub index: &'a Path,
    pub code: Option<&'a str>,
    pub limit: usize,
    pub format: SimilarFormat,
}

/// `tenken similar`: looks the id up and prints its precedents.
pub(crate) fn similar_command(ask: &Ask<'_>) -> Exit {
    let answer = SearchIndex::open(ask.index).and_then(|i| i.similar(ask.id, ask.code, ask.limit));
    let answer = match super::index_answer(answer, None) {
        Ok(Some(answer)) => answer,
        Ok(None) => {
            eprintln!(
                "tenken: 索引 {} に ID「{}」の条項・指摘はありません（ID はチェックリストの「ID」列か、\
                 tenken search --format json の id です）",
                ask.index.display(),
                ask.id
            );
            return Exit::Usage;
        }
        Err(exit) => return exit,
    };
    let json = matches!(ask.format, SimilarFormat::Json);
    super::print_answer(&answer, json, |answer, out| write_table(answer, out))
}

fn write_table(answer: &Precedents, out: &mut dyn Write) -> std::io::Result<()> {
    let target = &answer.target;
    writeln!(
        out,
        "{} {}（{}: {}）",
        target.title, target.citation, target.collection, target.file
    )?;
    writeln!(out, "  {}", one_line(&target.text, 160))?;
    for code in &answer.codes {
        writeln!(out)?;
        writeln!(
            out,
            "■ {}（{}）: 電子的な方法をすでに認めている他の規定 {} 件",
            code.code_name,
            code.code,
            code.precedents.len()
        )?;
        for (rank, p) in code.precedents.iter().enumerate() {
            writeln!(
                out,
                "{:>4}. {} {}  ({}, {}: {})  id {}",
                rank + 1,
                p.title,
                p.citation,
                p.kind,
                p.collection,
                p.file,
                p.id
            )?;
            writeln!(out, "      電子的な方法: {}", p.digital_words.join("、"))?;
            writeln!(out, "      {}", p.snippet)?;
        }
        if code.precedents.is_empty() {
            writeln!(out, "      （この索引にはありません）")?;
        }
    }
    Ok(())
}

/// The text on one line, cut at `max` characters.
fn one_line(text: &str, max: usize) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        flat.chars().take(max).chain("…".chars()).collect()
    }
}
