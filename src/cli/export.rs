//! `tenken export PATH... --format opensearch --out DIR` :
//! walks the paths once, hands the files found to `tenken::export`, shows
//! progress, prints one line per file that could not be read and a summary,
//! and turns problems into exit codes (0 done, 1 files skipped or writing
//! failed, 2 usage).

use crate::cli::Exit;
use std::path::{Path, PathBuf};

use tenken::export::{ExportOptions, ExportReport, export_files};
use tenken::reading::files::Collected;

use super::load_rules;
use tenken::pipeline::progress::FileProgress;

pub struct Options<'a> {
    pub out: &'a Path,
    pub rules: Option<&'a Path>,
    pub index_prefix: &'a str,
    pub max_bytes: u64,
    pub file_timeout: std::time::Duration,
    pub quiet: bool,
}

pub fn run(paths: &[PathBuf], options: &Options<'_>) -> Exit {
    let export = ExportOptions {
        out: options.out.to_path_buf(),
        index_prefix: options.index_prefix.to_string(),
        max_bytes: options.max_bytes,
        file_timeout: options.file_timeout,
    };
    // Wrong options are told before the rules are loaded and the folders walked.
    if let Err(e) = export.check() {
        eprintln!("tenken: {e}");
        return Exit::Usage;
    }
    let Some(rules) = load_rules(options.rules) else {
        return Exit::Usage;
    };
    let files = Collected::walk(paths);
    let progress = FileProgress::new(&files.sources, options.quiet);
    let result = export_files(&files, &rules, &export, &|path| progress.file_done(path));
    progress.finish();
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("tenken: {e}");
            return Exit::of_error(e.is_usage());
        }
    };
    for super::UnreadableFile { file, reason } in &report.failures {
        eprintln!("tenken: {file}: {reason}");
    }
    if !options.quiet {
        print_summary(&report, &export);
    }
    if report.failures.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    }
}

fn print_summary(report: &ExportReport, options: &ExportOptions) {
    eprintln!(
        "tenken: exported {} of {} files into {} ({} failed): {} provisions for {}, \
         {} findings for {}, in {:.1} s",
        report.files_read,
        report.files_seen,
        options.out.display(),
        report.failures.len(),
        report.provisions,
        options.provisions_index(),
        report.findings,
        options.findings_index(),
        report.elapsed.as_secs_f64(),
    );
    for path in &report.written {
        eprintln!("  wrote {}", path.display());
    }
    if report.files_seen == 0 {
        eprintln!("tenken: no 例規 files found in the paths given");
    }
}
