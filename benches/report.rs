//! Benchmark: writing the HTML report for all of `../shared/corpus` (or the
//! folder given as the first argument). The corpus is read and scanned once;
//! the time to write the report is the median of 3 runs. Prints the number of
//! pages, the total size and the largest page. Run with `cargo bench --bench report`.

mod common;

use std::time::{Duration, Instant};

use tenken::ledger::Review;
use tenken::matching::{Matcher, scan_document};
use tenken::reading::files;
use tenken::report::write_report;
use tenken::rules::RuleSet;

const RUNS: usize = 3;

fn folder_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| {
                    let path = e.path();
                    if path.is_dir() {
                        folder_size(&path)
                    } else {
                        e.metadata().map_or(0, |m| m.len())
                    }
                })
                .sum()
        })
        .unwrap_or(0)
}

fn main() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let (sources, _) = files::collect(std::slice::from_ref(&root));
    let documents: Vec<_> = files::read_all(&sources, &|_| {})
        .into_iter()
        .filter_map(Result::ok)
        .collect();
    let rules = RuleSet::built_in().expect("rules");
    let matcher = Matcher::new(&rules, None).expect("matcher");
    let findings: Vec<_> = documents
        .iter()
        .filter_map(|d| scan_document(d, &matcher).ok())
        .flat_map(|s| s.findings)
        .collect();
    let out = tempfile::tempdir().expect("temp dir");
    let mut times: Vec<Duration> = Vec::new();
    let mut summary = None;
    for _ in 0..RUNS {
        let start = Instant::now();
        summary = Some(
            write_report(
                out.path(),
                &documents,
                &findings,
                &Review::fresh(&findings),
                &rules,
                None,
            )
            .expect("report"),
        );
        times.push(start.elapsed());
    }
    times.sort();
    let summary = summary.expect("a run");
    let (largest, size) = &summary.largest;
    println!(
        "report of {} 例規, {} findings: {} pages, {:.1} MB in all, written in {:.2} s (median of {RUNS})",
        summary.documents,
        summary.findings,
        summary.pages,
        folder_size(out.path()) as f64 / 1e6,
        times[RUNS / 2].as_secs_f64()
    );
    println!(
        "largest page: {} ({:.2} MB); overview: {:.2} MB",
        largest
            .strip_prefix(out.path())
            .unwrap_or(largest)
            .display(),
        *size as f64 / 1e6,
        std::fs::metadata(&summary.index).map_or(0, |m| m.len()) as f64 / 1e6
    );
}
