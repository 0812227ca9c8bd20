//! Progress on standard error: a bar over the files of a run (hidden when
//! standard error is not a terminal, or when asked to be quiet).

use std::path::Path;

use crate::reading::files::Source;
use indicatif::{ProgressBar, ProgressStyle};

/// A progress bar on standard error; hidden when it is not a terminal or with --quiet.
pub fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style =
        ProgressStyle::with_template("{spinner} {pos}/{len} files [{bar:30}] {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar
}

/// Progress over the files of a run: files done of all, MB/s and the time
/// remaining, measured in bytes so that one huge file counts for what it is.
pub struct FileProgress {
    bar: ProgressBar,
    done: std::sync::atomic::AtomicU64,
    files: u64,
}

impl FileProgress {
    pub fn new(sources: &[Source], quiet: bool) -> Self {
        let bytes: u64 = sources.iter().map(|s| file_size(&s.path)).sum();
        let bar = progress_bar(bytes, quiet || sources.len() < 2);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} 残り {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let progress = FileProgress {
            bar,
            done: std::sync::atomic::AtomicU64::new(0),
            files: sources.len() as u64,
        };
        progress.show(0);
        progress
    }

    /// One more file done.
    pub fn file_done(&self, path: &Path) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.bar.inc(file_size(path));
        self.show(done);
    }

    pub fn show(&self, done: u64) {
        self.bar
            .set_message(format!("{done}/{} ファイル", self.files));
    }

    /// Prints a line (an error) above the bar, which stays.
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| eprintln!("{line}"));
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

pub fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}
