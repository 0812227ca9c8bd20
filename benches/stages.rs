//! Benchmark: where a run's time goes, stage by stage, in one run of the
//! `tenken` binary on the same corpus: `parse` (read and structure), `scan`
//! (and match, and write the checklist), `scan --html` (and the report) and
//! `index` (a new index), each with throughput (MB/s of files), peak memory
//! and the ratios the speed targets are stated in: scan / parse, scan+report
//! / scan, index / scan. On one thread (median of three runs each) for
//! `../shared/corpus` as it is, then on the default threads for a corpus of
//! 10 copies of it (hard links, one run each).
//!
//! Run with `cargo bench --bench stages` (`TENKEN_STAGES_COPIES="1 10"` sets
//! the sizes, in copies of the corpus; the first size runs on one thread).

mod common;

use common::process::{Measured, line, measure, synthesise};

/// The four stages, their command lines for a corpus, and where they write.
fn stages(corpus: &str, out: &str) -> Vec<(&'static str, Vec<String>)> {
    let s = |v: &[&str]| v.iter().map(|a| a.to_string()).collect::<Vec<_>>();
    vec![
        (
            "parse (read + structure)",
            s(&[
                "parse",
                corpus,
                "-f",
                "jsonl",
                "-o",
                &format!("{out}/parse.jsonl"),
            ]),
        ),
        (
            "scan (checklist)",
            s(&["scan", corpus, "--out", &format!("{out}/scan"), "-q"]),
        ),
        (
            "scan --html (checklist + report)",
            s(&[
                "scan",
                corpus,
                "--out",
                &format!("{out}/html"),
                "--html",
                &format!("{out}/html/report"),
                "-q",
            ]),
        ),
        (
            "index (new)",
            s(&["index", corpus, "--index", &format!("{out}/index"), "-q"]),
        ),
    ]
}

fn ratio(a: &Measured, b: &Measured) -> f64 {
    a.wall.as_secs_f64() / b.wall.as_secs_f64()
}

fn main() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let sizes: Vec<usize> = std::env::var("TENKEN_STAGES_COPIES")
        .unwrap_or_else(|_| "1 10".into())
        .split_whitespace()
        .filter_map(|a| a.parse().ok())
        .collect();
    let work = tempfile::Builder::new()
        .prefix("tenken-stages")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    // Build the dictionary cache first, so no run pays for it.
    measure(&["tokens", "掲示"]);
    for (at, copies) in sizes.iter().enumerate() {
        let dir = work.path().join(format!("corpus-{copies}"));
        let (bytes, files) = synthesise(&root, &dir, *copies);
        let one_thread = at == 0;
        let runs = if one_thread { 3 } else { 1 };
        println!(
            "\ncorpus: {copies} × {}: {files} files, {:.0} MB; {}",
            root.display(),
            bytes as f64 / 1e6,
            if at == 0 {
                "1 thread, median of 3"
            } else {
                "all cores, one run"
            }
        );
        let corpus = dir.display().to_string();
        let mut measured = Vec::new();
        for (what, args) in stages(&corpus, &work.path().display().to_string()) {
            let mut all: Vec<&str> = Vec::new();
            if one_thread {
                all.extend(["--threads", "1"]);
            }
            all.extend(args.iter().map(String::as_str));
            // Each run starts from nothing (a new index, a new folder).
            for leftover in ["parse.jsonl", "scan", "html", "index"] {
                let path = work.path().join(leftover);
                std::fs::remove_dir_all(&path)
                    .or_else(|_| std::fs::remove_file(&path))
                    .ok();
            }
            let m = if runs == 1 {
                measure(&all)
            } else {
                median_of_fresh(runs, &all, work.path())
            };
            line(what, bytes, files, &m);
            measured.push(m);
        }
        if let [parse, scan, html, index] = &measured[..] {
            println!(
                "  scan / parse {:.2}x   scan --html / scan {:.2}x   index / scan {:.2}x",
                ratio(scan, parse),
                ratio(html, scan),
                ratio(index, scan)
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// The median of `runs` runs, each starting from nothing (what the last
/// one wrote is removed: a new index, a new output folder).
fn median_of_fresh(runs: usize, args: &[&str], work: &std::path::Path) -> Measured {
    let clean = || {
        for leftover in ["parse.jsonl", "scan", "html", "index"] {
            let path = work.join(leftover);
            std::fs::remove_dir_all(&path)
                .or_else(|_| std::fs::remove_file(&path))
                .ok();
        }
    };
    let mut all: Vec<Measured> = (0..runs)
        .map(|_| {
            clean();
            measure(args)
        })
        .collect();
    all.sort_by_key(|m| m.wall);
    all.swap_remove(runs / 2)
}
