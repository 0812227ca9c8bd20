//! Benchmark: `tenken scan` over all of `../shared/corpus` (or the folder given
//! as the first argument) on 1 and 2 threads, next to reading + structuring
//! alone and to tokenizing every provision once (what a scan without the
//! keyword prefilter would at least cost), and reading every document's
//! citations (the findings' basis). Prints medians and MB/s of text.
//! Run with `cargo bench --bench scan`.

mod common;

use std::path::PathBuf;
use std::time::Duration;

use common::{pool, time};
use tenken::matching::{Matcher, scan_document};
use tenken::pipeline;
use tenken::reading::budget::DEFAULT_FILE_TIMEOUT;
use tenken::reading::files::{self, Source};
use tenken::rules::RuleSet;
use tenken::structure::Document;
use tenken::tokenizing::Tokenizer;

const RUNS: usize = 5;

fn read(sources: &[Source]) -> Vec<Document> {
    files::read_all(sources, &|_| {})
        .into_iter()
        .filter_map(Result::ok)
        .collect()
}

fn main() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let rules = RuleSet::load(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("rules"))
        .expect("rules load");
    let tokenizer = match Tokenizer::new() {
        Ok(t) => t,
        Err(e) => {
            println!("note: {e}; nothing to benchmark");
            return;
        }
    };
    let matcher = Matcher::new(&rules, Some(tokenizer.clone())).expect("matcher");
    let (sources, _) = files::collect(std::slice::from_ref(&root));
    let documents = pool(2).install(|| read(&sources));
    let text_mb = documents.iter().map(|d| d.text.len()).sum::<usize>() as f64 / 1e6;
    println!(
        "corpus: {} ({} files, {text_mb:.1} MB of text), median of {RUNS} runs",
        root.display(),
        documents.len()
    );
    let mut findings = 0;
    let mut one_thread = Duration::ZERO;
    for threads in [1, 2] {
        let workers = pool(threads);
        let read_only = time(RUNS, || {
            std::hint::black_box(workers.install(|| read(&sources)));
        });
        let scan = time(RUNS, || {
            let mut sink = Count::default();
            let options = pipeline::Options {
                budget: DEFAULT_FILE_TIMEOUT,
                progress: &|_| {},
                ordered: false,
            };
            let Ok(()) = workers.install(|| pipeline::run(&sources, &matcher, options, &mut sink));
            findings = sink.findings;
        });
        if threads == 1 {
            one_thread = scan;
        }
        println!(
            "{threads} thread(s): read+structure {:6.1} MB/s ({:>6.0?}); scan (read+match) {:6.1} MB/s ({:>6.0?}, {:.2}x the 1-thread speed); {findings} findings",
            text_mb / read_only.as_secs_f64(),
            read_only,
            text_mb / scan.as_secs_f64(),
            scan,
            one_thread.as_secs_f64() / scan.as_secs_f64()
        );
    }
    let match_only = time(RUNS, || {
        for d in &documents {
            std::hint::black_box(scan_document(d, &matcher).ok());
        }
    });
    // What reading the citations of every document (the findings' basis,
    // `tenken::basis::analyse`) costs beside the matching.
    let citations = time(RUNS, || {
        for d in &documents {
            std::hint::black_box(tenken::basis::analyse(d));
        }
    });
    println!(
        "1 thread: citations read and resolved (basis) {:6.1} MB/s ({:>6.0?}), {:.2}x the match-only time",
        text_mb / citations.as_secs_f64(),
        citations,
        citations.as_secs_f64() / match_only.as_secs_f64()
    );
    let tokenize_all = time(1, || {
        for d in &documents {
            for p in d.walk() {
                std::hint::black_box(tokenizer.tokenize(&p.text).ok());
            }
        }
    });
    println!(
        "1 thread: match only (prefilter + candidate tokenizing + the findings' basis) {:6.1} MB/s ({:>6.0?}); tokenizing every provision once {:6.1} MB/s ({:>6.0?}): the scan's matching is {:.1}x faster than tokenizing everything",
        text_mb / match_only.as_secs_f64(),
        match_only,
        text_mb / tokenize_all.as_secs_f64(),
        tokenize_all,
        tokenize_all.as_secs_f64() / match_only.as_secs_f64()
    );
}

/// A sink that counts the findings: the pipeline's own cost.
#[derive(Default)]
struct Count {
    findings: usize,
}

#[derive(Clone)]
struct CountWork;

impl pipeline::Work for CountWork {
    type Output = usize;

    fn prepare(
        &self,
        _source: &Source,
        _hash: &str,
        _document: Document,
        findings: Vec<tenken::matching::Finding>,
    ) -> Result<usize, String> {
        Ok(findings.len())
    }
}

impl pipeline::Sink for Count {
    type Work = CountWork;
    type Error = std::convert::Infallible;

    fn work(&self) -> CountWork {
        CountWork
    }

    fn accept(
        &mut self,
        _source: &Source,
        outcome: pipeline::Outcome<usize>,
    ) -> Result<(), std::convert::Infallible> {
        if let pipeline::Outcome::Prepared(n) = outcome {
            self.findings += n;
        }
        Ok(())
    }
}
