//! `tenken diff OLD NEW` : reads both sides — 例規 files
//! scanned with one set of rules, or two scan outputs — hands them to
//! `tenken::diff`, prints the result and turns problems into one-line
//! messages and exit codes (0 done, 1 files skipped or output failed, 2 usage).

use crate::cli::Exit;
use std::io::Write;
use std::path::Path;

use indicatif::ProgressBar;
use tenken::diff::{self, DiffReport, Input, Side, SideSink, SkippedFile, Version};
use tenken::matching::Matcher;
use tenken::pipeline;
use tenken::reading::files::{Source, collect};

use super::commands::DiffFormat;
use super::{load_rules, matcher};
use tenken::pipeline::progress::progress_bar;

pub struct Options<'a> {
    pub rules: Option<&'a Path>,
    pub format: DiffFormat,
    pub output: Option<&'a Path>,
    pub quiet: bool,
    /// How long one file may take.
    pub file_timeout: std::time::Duration,
}

pub fn run(old: &Path, new: &Path, options: &Options<'_>) -> Exit {
    let (old_input, new_input) = match Input::classify_pair(old, new) {
        Ok(inputs) => inputs,
        Err(e) => {
            eprintln!("tenken: {e}");
            return Exit::of_error(e.is_usage());
        }
    };
    let versions = match (&old_input, &new_input) {
        (Input::ScanOutput(o), Input::ScanOutput(n)) => read_scan_outputs(old, o, new, n),
        _ => scan_both(old, new, options),
    };
    let (old_version, new_version) = match versions {
        Ok(versions) => versions,
        Err(code) => return code,
    };
    let report = diff::diff(&old_version, &new_version);
    if let Err(code) = write_report(&report, options) {
        return code;
    }
    if !options.quiet {
        print_summary_line(&report, options.output);
    }
    if report.skipped.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    }
}

type Versions = Result<(Version, Version), Exit>;

fn read_scan_outputs(old: &Path, old_jsonl: &Path, new: &Path, new_jsonl: &Path) -> Versions {
    let read = |label: &Path, jsonl: &Path| match diff::read_findings(jsonl) {
        Ok(findings) => Ok(Version {
            label: label.display().to_string(),
            documents: diff::documents_from_findings(findings),
            skipped: Vec::new(),
        }),
        Err(e) => {
            eprintln!("tenken: {e}");
            Err(Exit::Failed)
        }
    };
    Ok((read(old, old_jsonl)?, read(new, new_jsonl)?))
}

/// Reads and scans both sides with the same rules, one progress bar for both.
fn scan_both(old: &Path, new: &Path, options: &Options<'_>) -> Versions {
    let Some(rules) = load_rules(options.rules) else {
        return Err(Exit::Usage);
    };
    let Some(matcher) = matcher(&rules) else {
        return Err(Exit::Failed);
    };
    let old_files = collect(&[old.to_path_buf()]);
    let new_files = collect(&[new.to_path_buf()]);
    let total = old_files.0.len() + new_files.0.len();
    let progress = progress_bar(total as u64, options.quiet);
    let old_version = scan_side(old, Side::Old, old_files, &matcher, options, &progress);
    let new_version = scan_side(new, Side::New, new_files, &matcher, options, &progress);
    progress.finish_and_clear();
    for (version, label) in [(&old_version, "OLD"), (&new_version, "NEW")] {
        if version.documents.is_empty() && version.skipped.is_empty() {
            eprintln!(
                "tenken: warning: no 例規 files found in {label} ({})",
                version.label
            );
        }
    }
    Ok((old_version, new_version))
}

fn scan_side(
    root: &Path,
    side: Side,
    (sources, walk_errors): (Vec<Source>, Vec<tenken::reading::FileError>),
    matcher: &Matcher,
    options: &Options<'_>,
    progress: &ProgressBar,
) -> Version {
    let mut version = Version {
        label: root.display().to_string(),
        ..Version::default()
    };
    let mut skip = |file: String, reason: String| {
        let name = match side {
            Side::Old => "OLD",
            Side::New => "NEW",
        };
        eprintln!("tenken: {name}: {reason}");
        version.skipped.push(SkippedFile { side, file, reason });
    };
    for e in walk_errors {
        skip(e.file.clone(), e.to_string());
    }
    let mut sink = SideSink::default();
    let run = pipeline::Options {
        budget: options.file_timeout,
        progress: &|_| progress.inc(1),
        ordered: true,
    };
    let Ok(()) = pipeline::run(&sources, matcher, run, &mut sink);
    for e in sink.failed {
        skip(e.file().to_string(), e.to_string());
    }
    version.documents = sink.documents;
    version
}

fn write_report(report: &DiffReport, options: &Options<'_>) -> Result<(), Exit> {
    let print = |out: &mut dyn Write| match options.format {
        DiffFormat::Json => serde_json::to_writer_pretty(&mut *out, report)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        DiffFormat::Table => diff::write_table(report, out),
    };
    let written = match options.output {
        Some(path) => tenken::output::write_atomically(path, print),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            print(&mut lock).and_then(|()| lock.flush())
        }
    };
    match written {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(e) => {
            let target = options.output.map_or_else(
                || "standard output".to_string(),
                |p| p.display().to_string(),
            );
            eprintln!("tenken: cannot write {target}: {e}");
            Err(Exit::Failed)
        }
    }
}

fn print_summary_line(report: &DiffReport, output: Option<&Path>) {
    let s = &report.summary;
    let wrote = output.map_or_else(String::new, |p| format!(" into {}", p.display()));
    let provisions = if report.text_compared {
        format!(
            "{} provisions added, {} removed, {} amended; ",
            s.provisions_added, s.provisions_removed, s.provisions_amended
        )
    } else {
        format!("findings only; {} amended, ", s.findings_amended)
    };
    let skipped = if s.files_skipped > 0 {
        format!("; {} files could not be read", s.files_skipped)
    } else {
        String::new()
    };
    eprintln!(
        "tenken: compared {} with {} 例規{wrote}: {provisions}{} findings opened, {} closed{skipped}",
        s.documents_old, s.documents_new, s.findings_opened, s.findings_closed,
    );
}
