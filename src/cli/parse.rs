//! `tenken parse`: how files are cut into 条・項・号.

use crate::cli::Exit;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use tenken::output;
use tenken::reading::{self, FileError};
use tenken::structure::Document;

use super::commands::ParseFormat;
use tenken::pipeline::progress::FileProgress;

pub(crate) fn parse(
    paths: &[PathBuf],
    format: ParseFormat,
    output: Option<&std::path::Path>,
    file_timeout: Duration,
    quiet: bool,
) -> Exit {
    let (sources, walk_errors) = reading::files::collect(paths);
    let progress = FileProgress::new(&sources, quiet);
    let results = reading::files::read_all_within(&sources, file_timeout, &|s| {
        progress.file_done(&s.path);
    });
    progress.finish();
    let mut failures: Vec<&FileError> = walk_errors.iter().collect();
    let mut documents: Vec<&Document> = Vec::new();
    for result in &results {
        match result {
            Ok(doc) => documents.push(doc),
            Err(e) => failures.push(e),
        }
    }
    for failure in &failures {
        eprintln!("tenken: {failure}");
    }
    let written = match output {
        Some(path) => output::write_atomically(path, |w| print(&documents, format, w)),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            print(&documents, format, &mut lock).and_then(|()| lock.flush())
        }
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let target = output.map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string(),
        );
        eprintln!("tenken: cannot write {target}: {e}");
        return Exit::Failed;
    }
    if sources.is_empty() && failures.is_empty() {
        eprintln!("tenken: no 例規 files found in the paths given");
        return Exit::Failed;
    }
    if !quiet {
        eprintln!(
            "tenken: read {} of {} files{}",
            documents.len(),
            sources.len(),
            if failures.is_empty() {
                String::new()
            } else {
                format!(", {} failed", failures.len())
            }
        );
    }
    if failures.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    }
}

pub(crate) fn print(
    documents: &[&Document],
    format: ParseFormat,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        ParseFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, documents)?;
            out.write_all(b"\n")
        }
        ParseFormat::Jsonl => documents
            .iter()
            .try_for_each(|d| output::write_jsonl(d, out)),
        ParseFormat::Outline => documents
            .iter()
            .try_for_each(|d| output::write_outline(d, out)),
    }
}
