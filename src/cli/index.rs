//! `tenken index`: builds or updates the full-text index.

use crate::cli::Exit;
use std::path::{Path, PathBuf};

use super::load_rules;
use tenken::pipeline::progress::FileProgress;

/// `tenken index`: builds or updates the index and says what it did.
pub(crate) fn index_command(
    paths: &[PathBuf],
    dir: &Path,
    rules: Option<&Path>,
    options: &tenken::index::IndexOptions,
    quiet: bool,
) -> Exit {
    let Some(rules) = load_rules(rules) else {
        return Exit::Usage;
    };
    let files = tenken::reading::files::Collected::walk(paths);
    let progress = FileProgress::new(&files.sources, quiet);
    let result = tenken::index::index_files_with(dir, &files, &rules, options, &|path| {
        progress.file_done(path);
    });
    progress.finish();
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("tenken: {e}");
            return Exit::Failed;
        }
    };
    if report.rebuilt {
        eprintln!(
            "tenken: the index at {} was written by an older tenken: it was rebuilt from the files given",
            dir.display()
        );
    }
    for super::UnreadableFile { file, reason } in &report.failures {
        eprintln!("tenken: {file}: {reason}");
    }
    if !quiet {
        let seconds = report.elapsed.as_secs_f64();
        eprintln!(
            "tenken: indexed {} files into {} ({} read, {} unchanged, {} removed, {} failed): \
             {} provisions added, {} in all, {:.1} MB of text in {seconds:.1} s",
            report.files_seen,
            dir.display(),
            report.files_read,
            report.files_unchanged,
            report.files_removed,
            report.failures.len(),
            report.provisions_added,
            report.provisions_total,
            report.text_bytes as f64 / 1e6,
        );
    }
    if report.failures.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    }
}
