//! Helpers shared by the benchmarks: medians of repeated runs, thread pools,
//! throughput, and where the shared corpus is.
#![allow(dead_code)]

pub mod process;

use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The median of a list of timings.
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

/// Runs `f` `runs` times and returns the median time.
pub fn time(runs: usize, mut f: impl FnMut()) -> Duration {
    median(
        (0..runs)
            .map(|_| {
                let start = Instant::now();
                f();
                start.elapsed()
            })
            .collect(),
    )
}

/// A rayon pool of `threads` workers.
pub fn pool(threads: usize) -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("thread pool")
}

pub fn mb_per_s(bytes: u64, t: Duration) -> f64 {
    bytes as f64 / 1e6 / t.as_secs_f64()
}

/// The folder given as the first argument, else `../shared/corpus`; None (with
/// a printed note) when it is not there.
pub fn corpus_root() -> Option<PathBuf> {
    let root = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus"));
    if root.is_dir() {
        Some(root)
    } else {
        println!("note: {} is not here; nothing to benchmark", root.display());
        None
    }
}
