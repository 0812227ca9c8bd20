//! Benchmark: tenken at scale. Synthesises two corpora from `../shared/corpus`
//! (the real files repeated under many folder names, as hard links so they
//! take no disk space; about 250 MB and 2.1 GB by default) and runs the
//! `tenken` binary on each: `scan` and `index`, printing throughput (MB/s of
//! files, files/s) and peak memory, read from /proc while it runs: the
//! high-water mark of resident memory (VmHWM) and the peak of anonymous
//! resident memory (RssAnon: the heap, without the memory-mapped dictionary
//! and index files, which the kernel can drop at will). Peak memory must not
//! grow with the corpus. `scan` also runs on one and on two threads on the
//! smaller corpus (median of three runs each), for the speed-up.
//!
//! Run with `cargo bench --bench scale` (`TENKEN_SCALE_COPIES="3 25"` chooses
//! how many copies of the corpus each size has; those are the defaults).

mod common;

use common::process::{line, measure, median_of, synthesise};

fn main() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let sizes: Vec<usize> = std::env::var("TENKEN_SCALE_COPIES")
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|a| a.parse().ok())
        .collect();
    let sizes = if sizes.len() == 2 { sizes } else { vec![3, 25] };
    let work = tempfile::Builder::new()
        .prefix("tenken-scale")
        .tempdir_in(env!("CARGO_TARGET_TMPDIR"))
        .expect("temp dir");
    // Build the dictionary cache first, so no run pays for it.
    measure(&["tokens", "掲示"]);
    let mut peaks = Vec::new();
    for (at, copies) in sizes.iter().enumerate() {
        let dir = work.path().join(format!("corpus-{copies}"));
        let (bytes, files) = synthesise(&root, &dir, *copies);
        println!(
            "\ncorpus: {copies} copies of {}: {files} files, {:.0} MB",
            root.display(),
            bytes as f64 / 1e6
        );
        let corpus = dir.display().to_string();
        let out = work.path().join(format!("out-{copies}"));
        let out = out.display().to_string();
        let index = work.path().join(format!("index-{copies}"));
        let index = index.display().to_string();
        if at == 0 {
            let one = median_of(3, &["--threads", "1", "scan", &corpus, "--out", &out, "-q"]);
            line("scan, 1 thread (median of 3)", bytes, files, &one);
            let two = median_of(3, &["--threads", "2", "scan", &corpus, "--out", &out, "-q"]);
            line("scan, 2 threads (median of 3)", bytes, files, &two);
            println!(
                "  speed-up from 1 to 2 threads: {:.2}x",
                one.wall.as_secs_f64() / two.wall.as_secs_f64()
            );
        }
        let scan = measure(&["scan", &corpus, "--out", &out, "-q"]);
        line("scan (checklist)", bytes, files, &scan);
        let built = measure(&["index", &corpus, "--index", &index, "-q"]);
        line("index (new)", bytes, files, &built);
        let again = measure(&["index", &corpus, "--index", &index, "-q"]);
        line("index (again, nothing changed)", bytes, files, &again);
        peaks.push((bytes, scan, built));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::remove_dir_all(&index).ok();
    }
    if let [small, large] = &peaks[..] {
        let mb = |kb: u64| kb as f64 / 1024.0;
        let ratio = |a: u64, b: u64| b as f64 / a as f64;
        println!(
            "\npeak memory, {:.0} MB → {:.0} MB of files ({:.1}x):",
            small.0 as f64 / 1e6,
            large.0 as f64 / 1e6,
            ratio(small.0, large.0)
        );
        for (what, a, b) in [("scan", &small.1, &large.1), ("index", &small.2, &large.2)] {
            println!(
                "  {what:5}  resident {:.0} → {:.0} MB ({:.2}x), heap {:.0} → {:.0} MB ({:.2}x)",
                mb(a.peak_kb),
                mb(b.peak_kb),
                ratio(a.peak_kb, b.peak_kb),
                mb(a.anon_kb),
                mb(b.anon_kb),
                ratio(a.anon_kb, b.anon_kb)
            );
        }
    }
}
