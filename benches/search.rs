//! Benchmark: the full-text index over all of `../shared/corpus` (or the
//! folder given as the first argument). Prints the index build's throughput
//! next to the time to tokenize the same provision text once, the time of a
//! re-index with nothing changed, and the latency (p50 / p99 / max) of a
//! fixed list of realistic queries (words, phrases, filters, boolean, all
//! with facets and snippets), each run several times.
//! Run with `cargo bench --bench search`.

mod common;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use common::mb_per_s;
use rayon::prelude::*;
use tenken::index::{SearchIndex, SearchRequest, index_files};
use tenken::reading::files::{self, Collected};
use tenken::rules::RuleSet;
use tenken::tokenizing::Tokenizer;

/// Index builds (and tokenizing passes) timed; the median is printed.
const BUILDS: usize = 3;

/// Times each query is run (after one warm-up pass).
const RUNS: usize = 10;

const QUERIES: &[&str] = &[
    // words
    "掲示",
    "縦覧",
    "閲覧",
    "押印",
    "署名",
    "書面",
    "提出",
    "届出",
    "専任",
    "常駐",
    "立入検査",
    "講習",
    "目視",
    "実地",
    "点検",
    "帳簿",
    "謄本",
    "印鑑",
    "標識",
    "掲示する",
    "備え置く",
    "提出しなければならない",
    // phrases
    "\"フレキシブルディスク\"",
    "\"磁気ディスク\"",
    "\"光ディスク\"",
    "\"公衆の見やすい場所\"",
    "\"書面により\"",
    "\"しなければならない\"",
    "\"電磁的方法\"",
    "\"記名押印\"",
    "\"主たる事務所\"",
    "\"閲覧に供しなければならない\"",
    "\"インターネットの利用\"",
    "\"対面\"",
    "\"紙\"",
    // filters
    "code:posting",
    "code:seal digital:false",
    "kind:条例 掲示",
    "code:resident_staff 専任",
    "source:tokyo-wards 書面",
    "year:[2000 TO 2020] 縦覧",
    "title:建築 code:on_site_audit",
    "digital:true code:paper_procedure",
    "kind:省令 \"フレキシブルディスク\"",
    "source:egov-acts code:visit_inspection",
    "kind:規則 year:[1990 TO 2010]",
    // boolean
    "縦覧 OR 閲覧",
    "縦覧 NOT インターネット",
    "(掲示 OR 公示) digital:false",
    "押印 AND 署名",
    "書面 -電磁的",
    "(講習 OR 研修) kind:法律",
    "\"磁気ディスク\" OR \"フレキシブルディスク\"",
    "NOT code:paper_procedure 提出",
];

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

/// The provision text the index holds (provisions with text, no headings).
fn provision_texts(root: &PathBuf) -> Vec<String> {
    let (sources, _) = files::collect(std::slice::from_ref(root));
    files::read_all(&sources, &|_| {})
        .into_iter()
        .filter_map(Result::ok)
        .flat_map(|doc| {
            doc.walk()
                .into_iter()
                .filter(|p| p.kind.division_unit().is_none() && !p.text.trim().is_empty())
                .map(|p| p.text.clone())
                .collect::<Vec<_>>()
        })
        .collect()
}

fn main() {
    let Some(root) = common::corpus_root() else {
        return;
    };
    let tokenizer = match Tokenizer::new() {
        Ok(t) => t,
        Err(e) => {
            println!("note: skipped: {e}");
            return;
        }
    };
    let rules = RuleSet::built_in().expect("built-in rules");
    let threads = rayon::current_num_threads();

    let texts = provision_texts(&root);
    let text_bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
    // The cheapest full analysis: segmentation and base forms, nothing kept.
    let tokenize_once = |text: &String| {
        let mut morphemes = 0usize;
        let analysed = tokenizer.for_each_morpheme(text, |m| {
            morphemes += std::hint::black_box(m.base_form.len()).min(1);
        });
        std::hint::black_box((analysed.is_ok(), morphemes));
    };
    let tokenize_one = common::time(BUILDS, || texts.iter().for_each(tokenize_once));
    let tokenize_all = common::time(BUILDS, || texts.par_iter().for_each(tokenize_once));

    let mut builds = Vec::new();
    let mut built = None;
    for _ in 0..BUILDS {
        let dir = tempfile::tempdir().expect("temp dir");
        let start = Instant::now();
        // The walk is part of a run, so it is timed with the build.
        let files = Collected::walk(std::slice::from_ref(&root));
        let report = index_files(dir.path(), &files, &rules, &|_| {}).expect("index builds");
        builds.push(start.elapsed());
        built = Some((dir, report));
    }
    let build = common::median(builds);
    let (dir, report) = built.expect("at least one build");
    let start = Instant::now();
    let files = Collected::walk(std::slice::from_ref(&root));
    let again = index_files(dir.path(), &files, &rules, &|_| {}).expect("index updates");
    let update = start.elapsed();
    println!(
        "corpus: {} ({} files, {} provisions, {:.1} MB of provision text, {threads} threads)",
        root.display(),
        report.files_seen,
        report.provisions_total,
        text_bytes as f64 / 1e6
    );
    println!(
        "tokenize once, 1 thread      {:6.1} MB/s  {:>8.2?}",
        mb_per_s(text_bytes, tokenize_one),
        tokenize_one
    );
    println!(
        "tokenize once, {threads} threads     {:6.1} MB/s  {:>8.2?}",
        mb_per_s(text_bytes, tokenize_all),
        tokenize_all
    );
    println!(
        "index build (read, structure, match, tokenize, index, commit; {threads} threads) \
         {:6.1} MB/s  {:>8.2?}  ({:.1}x the 1-thread tokenize time; medians of {BUILDS})",
        mb_per_s(report.text_bytes, build),
        build,
        build.as_secs_f64() / tokenize_one.as_secs_f64()
    );
    println!(
        "re-index, nothing changed    {:>8.2?}  ({} files read, {} unchanged)",
        update, again.files_read, again.files_unchanged
    );

    let start = Instant::now();
    let index = SearchIndex::open(dir.path()).expect("index opens");
    println!("open the index               {:>8.2?}", start.elapsed());
    let request = |query: &str| SearchRequest {
        query: query.to_string(),
        limit: 20,
        offset: 0,
    };
    for query in QUERIES {
        index.search(&request(query)).expect("query runs");
    }
    let mut all = Vec::with_capacity(QUERIES.len() * RUNS);
    let mut slowest: Vec<(Duration, &str, u64)> = Vec::new();
    for query in QUERIES {
        let mut times = Vec::with_capacity(RUNS);
        let mut total = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let response = index.search(&request(query)).expect("query runs");
            times.push(start.elapsed());
            total = response.total;
        }
        times.sort();
        slowest.push((times[times.len() / 2], query, total));
        all.extend(times);
    }
    all.sort();
    println!(
        "{} queries x {RUNS} runs (top 20 with snippets, facets over all hits): \
         p50 {:.2?}  p99 {:.2?}  max {:.2?}  (targets: p50 < 5 ms, p99 < 50 ms)",
        QUERIES.len(),
        percentile(&all, 0.50),
        percentile(&all, 0.99),
        all[all.len() - 1]
    );
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    for (median, query, total) in slowest.iter().take(5) {
        println!("  slowest: {median:>8.2?}  {total:>6} hits  {query}");
    }
}
