//! Benchmark: where a run's time goes, stage by stage, in one run of the
//! `tenken` binary on the same corpus: `parse` (read and structure), `scan`
//! (and match, and write the checklist), `scan --html` (and the report) and
//! `index` (a new index), each with throughput (MB/s of files), peak memory
//! and the ratios the speed targets are stated in: scan / parse, scan+report
//! / scan, index / scan, of wall time and of CPU time (steadier when other
//! work shares the machine). On one thread for `../shared/corpus` as it is, in
//! three rounds of the four stages in turn (medians; each ratio the median
//! of the rounds' own ratios, so that a busy spell of a shared machine slows
//! both sides of a ratio alike), then on the default threads for a corpus of
//! 10 copies of it (hard links, one round).
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

/// The ratio of CPU times: less moved than wall time by other work on a
/// shared machine, but `index` counts tantivy's indexing thread besides
/// the file worker, so its CPU time is more than its wall time.
fn cpu_ratio(a: &Measured, b: &Measured) -> f64 {
    a.cpu.as_secs_f64() / b.cpu.as_secs_f64()
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
                "1 thread, medians of 3 rounds"
            } else {
                "all cores, one run"
            }
        );
        let corpus = dir.display().to_string();
        let stages = stages(&corpus, &work.path().display().to_string());
        // Rounds of every stage in turn, so that a busy spell of a shared
        // machine slows all stages of a round alike; each ratio is the median
        // of the rounds' own ratios.
        let mut rounds: Vec<Vec<Measured>> = Vec::new();
        for _ in 0..runs {
            let mut round = Vec::new();
            for (_, args) in &stages {
                let mut all: Vec<&str> = Vec::new();
                if one_thread {
                    all.extend(["--threads", "1"]);
                }
                all.extend(args.iter().map(String::as_str));
                // Each run starts from nothing (a new index, a new folder).
                clean(work.path());
                round.push(measure(&all));
            }
            rounds.push(round);
        }
        for (at, (what, _)) in stages.iter().enumerate() {
            let mut of_stage: Vec<&Measured> = rounds.iter().map(|r| &r[at]).collect();
            of_stage.sort_by_key(|m| m.wall);
            line(what, bytes, files, of_stage[of_stage.len() / 2]);
        }
        let median_ratio = |a: usize, b: usize, of: fn(&Measured, &Measured) -> f64| {
            let mut ratios: Vec<f64> = rounds.iter().map(|r| of(&r[a], &r[b])).collect();
            ratios.sort_by(f64::total_cmp);
            ratios[ratios.len() / 2]
        };
        for (what, of) in [
            ("time", ratio as fn(&Measured, &Measured) -> f64),
            ("CPU", cpu_ratio),
        ] {
            println!(
                "  {what:4}: scan / parse {:.2}x   scan --html / scan {:.2}x   index / scan {:.2}x{}",
                median_ratio(1, 0, of),
                median_ratio(2, 1, of),
                median_ratio(3, 1, of),
                if runs > 1 {
                    " (medians of each round's ratios)"
                } else {
                    ""
                }
            );
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}

/// Removes what the last run wrote (a new index, a new output folder).
fn clean(work: &std::path::Path) {
    for leftover in ["parse.jsonl", "scan", "html", "index"] {
        let path = work.join(leftover);
        std::fs::remove_dir_all(&path)
            .or_else(|_| std::fs::remove_file(&path))
            .ok();
    }
}
