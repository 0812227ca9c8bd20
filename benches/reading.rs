//! Benchmark: reading + structuring all of `../shared/corpus` (or the folder
//! given as the first argument) on 1 and 2 threads, and tokenizing the
//! provisions' text, each next to a plain read of the same bytes. Prints the
//! median of several runs and the ratios. Run with `cargo bench --bench reading`.

mod common;

use std::time::Duration;

use common::{mb_per_s, pool, time};
use tenken::reading::files::{self, Source};
use tenken::structure::Document;
use tenken::tokenizing::Tokenizer;

const RUNS: usize = 5;

fn read_documents(sources: &[Source], threads: usize) -> Vec<Document> {
    pool(threads).install(|| {
        files::read_all(sources, &|_| {})
            .into_iter()
            .filter_map(Result::ok)
            .collect()
    })
}

fn main() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let (sources, _) = files::collect(std::slice::from_ref(&root));
    let bytes: u64 = sources
        .iter()
        .filter_map(|s| std::fs::metadata(&s.path).ok())
        .map(|m| m.len())
        .sum();
    println!(
        "corpus: {} ({} files, {:.1} MB), median of {RUNS} runs",
        root.display(),
        sources.len(),
        bytes as f64 / 1e6
    );

    let plain = time(RUNS, || {
        for s in &sources {
            std::hint::black_box(std::fs::read(&s.path).ok());
        }
    });
    println!(
        "plain read            {:8.1} MB/s  {:>8.0?}",
        mb_per_s(bytes, plain),
        plain
    );
    let mut one = Duration::ZERO;
    for threads in [1, 2] {
        let t = time(RUNS, || {
            std::hint::black_box(read_documents(&sources, threads));
        });
        if threads == 1 {
            one = t;
        }
        println!(
            "read+structure {threads} thr {:8.1} MB/s  {:>8.0?}  ({:.1}x plain read time, {:.2}x speed-up)",
            mb_per_s(bytes, t),
            t,
            t.as_secs_f64() / plain.as_secs_f64(),
            one.as_secs_f64() / t.as_secs_f64()
        );
    }

    let tokenizer = match Tokenizer::new() {
        Ok(t) => t,
        Err(e) => {
            println!("note: tokenizing skipped: {e}");
            return;
        }
    };
    let documents = read_documents(&sources, 2);
    let texts: Vec<&str> = documents
        .iter()
        .flat_map(|d| d.walk())
        .map(|p| p.text.as_str())
        .filter(|t| !t.is_empty())
        .collect();
    let text_bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    let tokenize = time(1, || {
        for t in &texts {
            std::hint::black_box(tokenizer.tokenize(t).ok());
        }
    });
    println!(
        "tokenize 1 thread     {:8.1} MB/s  {:>8.0?}  ({:.1} MB of provision text, {:.1}x read+structure time)",
        mb_per_s(text_bytes, tokenize),
        tokenize,
        text_bytes as f64 / 1e6,
        tokenize.as_secs_f64() / one.as_secs_f64()
    );
}
