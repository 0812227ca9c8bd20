//! The full-text index (`tenken index`, `tenken search`): field filters,
//! phrases, AND/OR/NOT, facets over the whole result set, the substring
//! oracle (every provision that contains a sampled phrase is found, on the
//! sample corpus and on `../shared/corpus`), incremental re-indexing,
//! malformed queries, the writer lock, and the command line.

use crate::common;

use crate::common::{copy_dir, ipadic_missing, manifest, tenken};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use tenken::index::query::quote_phrase;
use tenken::index::{
    IndexError, IndexOptions, IndexReport, MAX_LIMIT, SearchIndex, SearchRequest, SearchResponse,
    index_files, index_files_with,
};
use tenken::reading::files::{self, Collected};
use tenken::rules::RuleSet;

fn build(dir: &Path, paths: &[PathBuf]) -> IndexReport {
    let rules = RuleSet::built_in().expect("built-in rules");
    index_files(dir, &Collected::walk(paths), &rules, &|_| {}).expect("indexing works")
}

/// An index of the sample corpus in a temporary folder.
fn sample_index() -> (tempfile::TempDir, SearchIndex) {
    let dir = tempfile::tempdir().expect("temp dir");
    build(dir.path(), &[manifest().join("corpus")]);
    let index = SearchIndex::open(dir.path()).expect("index opens");
    (dir, index)
}

fn search(index: &SearchIndex, query: &str, limit: usize) -> SearchResponse {
    index
        .search(&SearchRequest {
            query: query.to_string(),
            limit,
            offset: 0,
        })
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

/// Every hit of a query (the ids), however many.
fn ids(index: &SearchIndex, query: &str) -> BTreeSet<String> {
    let response = search(index, query, MAX_LIMIT);
    assert!(
        response.total as usize <= MAX_LIMIT,
        "{query}: too many hits to list"
    );
    response.hits.into_iter().map(|h| h.id).collect()
}

#[test]
fn field_filters_select_what_they_name() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    let all = search(&index, "*", MAX_LIMIT);
    assert!(
        all.total > 300,
        "the sample corpus has hundreds of provisions"
    );

    let posting = search(&index, "code:posting", MAX_LIMIT);
    assert!(posting.total > 5);
    assert!(
        posting
            .hits
            .iter()
            .all(|h| h.codes.contains(&"posting".to_string()))
    );
    assert_eq!(Some(&posting.total), posting.facets.codes.get("posting"));

    let rules = search(&index, "kind:規則", MAX_LIMIT);
    assert!(rules.total > 0);
    assert!(rules.hits.iter().all(|h| h.kind == "規則"));
    assert_eq!(rules.facets.kinds.keys().collect::<Vec<_>>(), ["規則"]);

    let titled = search(&index, "title:屋外広告物", MAX_LIMIT);
    assert!(titled.total > 0);
    assert!(titled.hits.iter().all(|h| h.title.contains("屋外広告物")));

    let digital = search(&index, "digital:true", MAX_LIMIT).total;
    let analog = search(&index, "digital:false", MAX_LIMIT).total;
    assert!(digital > 0 && analog > 0);
    assert_eq!(digital + analog, all.total);

    let sourced = search(&index, "source:kisoku", MAX_LIMIT);
    assert!(sourced.total > 0);
    assert!(sourced.hits.iter().all(|h| h.file.starts_with("kisoku/")));

    let years = search(&index, "year:[2000 TO 2015]", MAX_LIMIT);
    assert!(years.total > 0 && years.total < all.total);
    for hit in &years.hits {
        let record = index.provision(&hit.id).expect("lookup").expect("stored");
        let year = record.year.expect("a year");
        assert!((2000..=2015).contains(&year), "{year}");
    }
    let after = search(&index, "year:>2015", MAX_LIMIT).total;
    let before = search(&index, "year:<2000", MAX_LIMIT).total;
    assert_eq!(
        years.total + after + before,
        all.total,
        "every sample 例規 has a date"
    );
}

#[test]
fn phrases_words_and_base_forms_are_found() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    // A phrase that ends in the middle of a word (掲|示する).
    let cut = search(&index, "\"見やすい場所に掲\"", 10);
    assert!(cut.total >= 1);
    assert!(
        cut.hits
            .iter()
            .all(|h| h.snippet.contains("【見やすい場所に掲】"))
    );
    // A word finds its other forms: 掲示する finds 掲示し(なければならない).
    let word = search(&index, "掲示する", MAX_LIMIT);
    let inflected: Vec<_> = word
        .hits
        .iter()
        .filter(|h| {
            let text = index
                .provision(&h.id)
                .ok()
                .flatten()
                .map(|p| p.text)
                .unwrap_or_default();
            text.contains("掲示し") && !text.contains("掲示する")
        })
        .collect();
    assert!(
        !inflected.is_empty(),
        "掲示する should find a provision saying only 掲示し…"
    );
    // One character is a phrase too.
    let one = search(&index, "\"紙\"", MAX_LIMIT);
    assert!(one.total > 0);
    for hit in &one.hits {
        let record = index.provision(&hit.id).expect("lookup").expect("stored");
        assert!(record.text.contains('紙'));
    }
    // Snippets mark the match in text and HTML.
    let hit = &search(&index, "\"フロッピーディスク\" OR フレキシブルディスク", 1).hits[0];
    assert!(hit.snippet.contains('【'), "{}", hit.snippet);
    assert!(hit.snippet_html.contains("<b>"), "{}", hit.snippet_html);
}

#[test]
fn and_or_not_combine_result_sets() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    let a = ids(&index, "掲示");
    let b = ids(&index, "提出");
    assert!(!a.is_empty() && !b.is_empty());
    let and: BTreeSet<String> = a.intersection(&b).cloned().collect();
    let or: BTreeSet<String> = a.union(&b).cloned().collect();
    let not: BTreeSet<String> = a.difference(&b).cloned().collect();
    assert_eq!(ids(&index, "掲示 AND 提出"), and);
    assert_eq!(ids(&index, "掲示 提出"), and, "AND is the default");
    assert_eq!(ids(&index, "掲示 OR 提出"), or);
    assert_eq!(ids(&index, "掲示 NOT 提出"), not);
    assert_eq!(ids(&index, "掲示 -提出"), not);
    let all = search(&index, "*", 1).total;
    assert_eq!(search(&index, "NOT 掲示", 1).total, all - a.len() as u64);
    assert_eq!(
        ids(&index, "(掲示 OR 提出) code:posting"),
        or.intersection(&ids(&index, "code:posting"))
            .cloned()
            .collect()
    );
}

#[test]
fn facets_count_the_whole_result_set_not_the_page() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    let page = search(&index, "しなければならない", 3);
    assert_eq!(page.hits.len(), 3);
    assert!(page.total > 3);
    assert_eq!(page.facets.kinds.values().sum::<u64>(), page.total);
    assert_eq!(page.facets.sources.values().sum::<u64>(), page.total);
    let everything = search(&index, "しなければならない", MAX_LIMIT);
    let mut codes: BTreeMap<String, u64> = BTreeMap::new();
    for hit in &everything.hits {
        for code in &hit.codes {
            *codes.entry(code.clone()).or_default() += 1;
        }
    }
    assert_eq!(page.facets.codes, codes);
    let second = index
        .search(&SearchRequest {
            query: "しなければならない".into(),
            limit: 3,
            offset: 3,
        })
        .expect("second page");
    assert_eq!(second.hits[0].id, everything.hits[3].id, "offset pages on");
    let counted = index
        .search(&SearchRequest {
            query: "しなければならない".into(),
            limit: 0,
            offset: 0,
        })
        .expect("count only");
    assert!(counted.hits.is_empty());
    assert_eq!(counted.total, page.total);
}

/// A tiny deterministic generator (64-bit LCG).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % below.max(1) as u64) as usize
    }
}

/// A provision as the oracle sees it: file, normalised citation, text and
/// the 見出し that applies to it.
struct Unit {
    file: String,
    normalized: String,
    text: String,
    caption: String,
}

impl Unit {
    /// A plain search finds a phrase in the text or in the 見出し.
    fn contains(&self, phrase: &str) -> bool {
        self.text.contains(phrase) || self.caption.contains(phrase)
    }
}

fn units(root: &Path) -> Vec<Unit> {
    let (sources, _) = files::collect(&[root.to_path_buf()]);
    files::read_all(&sources, &|_| {})
        .into_iter()
        .filter_map(Result::ok)
        .flat_map(|doc| {
            tenken::structure::units::text_units(&doc)
                .into_iter()
                .map(|u| Unit {
                    file: doc.file.clone(),
                    normalized: u.provision.normalized.clone(),
                    text: u.provision.text.clone(),
                    caption: u.caption.unwrap_or_default().to_string(),
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Samples `count` phrases (2–12 characters) and checks that the index
/// returns exactly the provisions that contain each (a plain substring scan).
fn substring_oracle(root: &Path, count: usize, seed: u64) {
    let dir = tempfile::tempdir().expect("temp dir");
    build(dir.path(), &[root.to_path_buf()]);
    let index = SearchIndex::open(dir.path()).expect("index opens");
    let units = units(root);
    assert_eq!(
        search(&index, "*", 1).total,
        units.len() as u64,
        "one index entry per provision with text"
    );
    let mut rng = Lcg(seed);
    let mut checked = 0;
    let mut failures = Vec::new();
    while checked < count {
        let unit = &units[rng.next(units.len())];
        // One phrase in four is drawn from a 見出し, when the unit has one.
        let from_caption = checked % 4 == 3 && unit.caption.chars().count() >= 2;
        let source = if from_caption {
            &unit.caption
        } else {
            &unit.text
        };
        let chars: Vec<char> = source.chars().collect();
        if chars.len() < 2 {
            continue;
        }
        let len = 2 + rng.next(11.min(chars.len() - 1));
        let start = rng.next(chars.len() - len + 1);
        let phrase: String = chars[start..start + len].iter().collect();
        let expected: BTreeMap<(String, String), usize> = units
            .iter()
            .filter(|u| u.contains(&phrase))
            .fold(BTreeMap::new(), |mut m, u| {
                *m.entry((u.file.clone(), u.normalized.clone())).or_default() += 1;
                m
            });
        let expected_total: usize = expected.values().sum();
        let response = search(&index, &quote_phrase(&phrase), MAX_LIMIT);
        checked += 1;
        if response.total as usize != expected_total {
            failures.push(format!(
                "{phrase:?}: index {} provisions, substring scan {expected_total}",
                response.total
            ));
            continue;
        }
        if expected_total <= MAX_LIMIT {
            let mut found: BTreeMap<(String, String), usize> = BTreeMap::new();
            for hit in response.hits {
                *found.entry((hit.file, hit.normalized)).or_default() += 1;
            }
            if found != expected {
                failures.push(format!("{phrase:?}: other provisions than the scan's"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {count} phrases missed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!(
        "substring oracle: {count} phrases from {} provisions of {}: all found",
        units.len(),
        root.display()
    );
}

#[test]
fn every_provision_containing_a_phrase_is_found_in_the_sample_corpus() {
    if ipadic_missing() {
        return;
    }
    substring_oracle(&manifest().join("corpus"), 100, 7);
}

#[test]
fn every_provision_containing_a_phrase_is_found_in_the_shared_corpus() {
    if ipadic_missing() {
        return;
    }
    let root = manifest().join("../shared/corpus");
    if !root.is_dir() {
        eprintln!("note: ../shared/corpus is absent; skipping the 300-phrase oracle");
        return;
    }
    substring_oracle(&root, 300, 2024);
}

fn copy_sample(files: &[&str], to: &Path) {
    for name in files {
        let from = manifest().join("corpus").join(name);
        let target = to.join(name);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("folder");
        std::fs::copy(&from, &target).expect("copy");
    }
}

#[test]
fn re_indexing_reads_only_changed_files_and_drops_vanished_ones() {
    if ipadic_missing() {
        return;
    }
    let corpus = tempfile::tempdir().expect("temp dir");
    let index_dir = tempfile::tempdir().expect("temp dir");
    let names = [
        "jorei/fuzoku_kikan_setchi_jorei.txt",
        "jorei/kokokushiki_jorei.html",
        "jorei/inkan_jorei.html",
        "kisoku/johkaso_kisoku.txt",
    ];
    copy_sample(&names, corpus.path());
    let paths = [corpus.path().to_path_buf()];

    let first = build(index_dir.path(), &paths);
    assert_eq!((first.files_seen, first.files_read), (4, 4));
    let index = SearchIndex::open(index_dir.path()).expect("opens");
    let total = search(&index, "*", 1).total;
    assert_eq!(total, first.provisions_total);
    assert_eq!(search(&index, "テンケン試験語", 1).total, 0);

    let again = build(index_dir.path(), &paths);
    assert_eq!((again.files_read, again.files_unchanged), (0, 4));
    assert_eq!(again.provisions_total, total);

    let changed = corpus.path().join(names[0]);
    let text = std::fs::read_to_string(&changed).expect("read");
    assert!(text.contains("会議録を作成し"));
    std::fs::write(
        &changed,
        text.replace("会議録を作成し", "会議録をテンケン試験語で作成し"),
    )
    .expect("write");
    let third = build(index_dir.path(), &paths);
    assert_eq!((third.files_read, third.files_unchanged), (1, 3));
    index.reload().expect("reload");
    let found = search(&index, "テンケン試験語", 10);
    assert_eq!(found.total, 1);
    assert_eq!(found.hits[0].file, names[0]);
    assert_eq!(found.hits[0].citation, "第7条");
    assert_eq!(
        search(&index, "*", 1).total,
        total,
        "the old provisions were replaced"
    );

    std::fs::remove_file(corpus.path().join(names[1])).expect("remove");
    let fourth = build(index_dir.path(), &paths);
    assert_eq!((fourth.files_read, fourth.files_removed), (0, 1));
    index.reload().expect("reload");
    assert_eq!(search(&index, &format!("file:{}", names[1]), 1).total, 0);
    assert!(search(&index, "*", 1).total < total);
    assert!(search(&index, &format!("file:{}", names[2]), 1).total > 0);
}

#[test]
fn filter_values_nobody_can_find_are_errors_that_list_the_valid_ones() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    let error = |query: &str| match index.search(&SearchRequest {
        query: query.to_string(),
        limit: 10,
        offset: 0,
    }) {
        Err(IndexError::Query { message }) => message,
        Err(other) => panic!("{query:?}: not a query error: {other}"),
        Ok(r) => panic!("{query:?}: accepted ({} hits)", r.total),
    };
    let typo = error("code:postng");
    assert!(typo.contains("posting (書面掲示規制)"), "{typo}");
    let kind = error("kind:条令");
    assert!(kind.contains("条例") && kind.contains("規則"), "{kind}");
    assert!(error("source:nowhere").contains("kisoku"));
    // A 類型's Japanese name or its code in another case stands for the code.
    let posting = ids(&index, "code:posting");
    assert!(!posting.is_empty());
    assert_eq!(ids(&index, "code:書面掲示規制"), posting);
    assert_eq!(ids(&index, "code:Posting"), posting);
    assert_eq!(ids(&index, "掲示 -code:書面掲示規制"), {
        let all: BTreeSet<String> = ids(&index, "掲示");
        all.difference(&posting).cloned().collect()
    });
}

#[test]
fn malformed_queries_are_query_errors() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    for query in [
        "title:",
        "\"unclosed",
        "掲示 AND (公告",
        "foo:bar",
        "year:abc",
        "year:[abc TO 2000]",
        "digital:maybe",
        "kind:[a TO b]",
        "code:/post.*/",
        "",
        "\u{3000}",
        "\"\"",
    ] {
        match index.search(&SearchRequest {
            query: query.to_string(),
            limit: 10,
            offset: 0,
        }) {
            Err(IndexError::Query { message }) => assert!(!message.is_empty()),
            Err(other) => panic!("{query:?}: not a query error: {other}"),
            Ok(r) => panic!("{query:?}: accepted ({} hits)", r.total),
        }
    }
    let too_many = index.search(&SearchRequest {
        query: "掲示".into(),
        limit: MAX_LIMIT + 1,
        offset: 0,
    });
    assert!(matches!(too_many, Err(IndexError::Query { .. })));
    let deep = "(".repeat(100) + "掲示" + &")".repeat(100);
    assert!(matches!(
        index.search(&SearchRequest {
            query: deep,
            limit: 1,
            offset: 0
        }),
        Err(IndexError::Query { .. })
    ));
}

#[test]
fn a_held_writer_lock_is_reported_clearly() {
    if ipadic_missing() {
        return;
    }
    let (dir, index) = sample_index();
    let _writer: tantivy::IndexWriter = index
        .tantivy_index()
        .writer(15_000_000)
        .expect("the lock is free");
    let rules = RuleSet::built_in().expect("rules");
    let files = Collected::walk(&[manifest().join("corpus")]);
    let result = index_files(dir.path(), &files, &rules, &|_| {});
    match result {
        Err(e @ IndexError::Locked { .. }) => {
            assert!(
                e.to_string()
                    .contains("being written by another tenken process"),
                "{e}"
            );
        }
        other => panic!("expected the lock error, got {other:?}"),
    }
}

#[test]
fn a_missing_index_says_how_to_build_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    match SearchIndex::open(&dir.path().join("none")) {
        Err(e @ IndexError::Missing { .. }) => assert!(e.to_string().contains("tenken index")),
        Err(e) => panic!("wrong error: {e}"),
        Ok(_) => panic!("opened a missing index"),
    }
}

#[test]
fn provisions_are_looked_up_by_id() {
    if ipadic_missing() {
        return;
    }
    let (_dir, index) = sample_index();
    let hit = search(&index, "code:seal", 1).hits.remove(0);
    let record = index.provision(&hit.id).expect("lookup").expect("found");
    assert_eq!(record.citation, hit.citation);
    assert!(record.codes.contains(&"seal".to_string()));
    assert!(!record.rules.is_empty());
    assert!(record.rules.iter().all(|r| r.starts_with("seal.")) || record.codes.len() > 1);
    assert!(!record.text.is_empty());
    assert_eq!(index.provision("0000000000000000").expect("lookup"), None);
}

#[test]
fn the_commands_index_search_and_explain_themselves() {
    let help = tenken(&["search", "--help"]);
    let help = String::from_utf8_lossy(&help.stdout);
    for form in [
        "\"見やすい場所に掲示\"",
        " AND ",
        " OR ",
        " NOT ",
        "code:posting",
        "kind:条例",
        "title:屋外広告物",
        "digital:false",
        "year:[2000 TO 2020]",
        "source:tokyo-wards",
        "out/index",
    ] {
        assert!(help.contains(form), "--help lacks {form}");
    }
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let index = dir.path().join("ix");
    let index = index.to_string_lossy();
    let built = tenken(&["index", "corpus", "--index", &index]);
    assert_eq!(
        built.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    assert!(String::from_utf8_lossy(&built.stderr).contains("17 read"));

    let table = tenken(&["search", "code:posting 掲示", "--index", &index, "-n", "2"]);
    assert_eq!(table.status.code(), Some(0));
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("【掲示】") && table.contains("provisions match"),
        "{table}"
    );
    assert!(table.contains("類型: posting"), "{table}");

    let json = tenken(&["search", "閲覧", "--index", &index, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    assert!(value["total"].as_u64().unwrap_or(0) > 0);
    assert!(value["hits"][0]["snippet_html"].is_string());
    assert!(value["facets"]["kinds"].is_object());

    let csv = tenken(&["search", "閲覧", "--index", &index, "--format", "csv"]);
    let csv = String::from_utf8_lossy(&csv.stdout);
    assert!(csv.starts_with("\u{feff}rank,score,title"), "{csv}");

    let bad = tenken(&["search", "title:", "--index", &index]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("検索式の誤り"));

    // Hits carry 例規番号, date and year.
    assert!(value["hits"][0]["year"].is_i64(), "{value}");
    assert!(value["hits"][0]["number"].is_string(), "{value}");
    assert!(
        csv.contains("title,kind,number,date,year,collection,source"),
        "{csv}"
    );
    // JSON prints Japanese as is.
    assert!(String::from_utf8_lossy(&json.stdout).contains("\"kind\": \"条例\""));
    assert!(!String::from_utf8_lossy(&json.stdout).contains("\\u"));
    let typo = tenken(&["search", "code:postng", "--index", &index]);
    assert_eq!(typo.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&typo.stderr).contains("posting (書面掲示規制)"));
}

/// `copies` copies of the sample corpus under `dir`.
fn corpus_copies(dir: &Path, copies: usize) -> PathBuf {
    let root = dir.join("corpora");
    for n in 0..copies {
        copy_dir(&manifest().join("corpus"), &root.join(format!("town-{n}")));
    }
    root
}

#[test]
fn an_interrupted_run_resumes_where_it_stopped() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let corpus = corpus_copies(dir.path(), 4);
    let rules = RuleSet::built_in().expect("rules");
    let clean = build(&dir.path().join("clean"), std::slice::from_ref(&corpus));

    // The run dies (here: a panic) in its second chunk of files, after the
    // first was committed.
    let index = dir.path().join("index");
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let crashed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        index_files_with(
            &index,
            &Collected::walk(std::slice::from_ref(&corpus)),
            &rules,
            &IndexOptions {
                commit_every: std::time::Duration::ZERO,
                ..IndexOptions::default()
            },
            &|_| {
                if seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 40 {
                    panic!("killed");
                }
            },
        )
    }));
    assert!(crashed.is_err(), "the run was interrupted");

    let resumed = build(&index, std::slice::from_ref(&corpus));
    assert_eq!(resumed.files_seen, clean.files_seen);
    assert!(
        resumed.files_unchanged >= 32 && resumed.files_read < clean.files_read,
        "resumed: {resumed:?}"
    );
    assert_eq!(resumed.provisions_total, clean.provisions_total);
    let (a, b) = (
        SearchIndex::open(&index).expect("resumed index"),
        SearchIndex::open(&dir.path().join("clean")).expect("clean index"),
    );
    for query in ["掲示", "code:seal", "\"電磁的方法\"", "kind:規則"] {
        assert_eq!(
            search(&a, query, 5).total,
            search(&b, query, 5).total,
            "{query}"
        );
    }
}

#[test]
fn the_files_walked_are_the_files_indexed_and_walk_errors_are_failures() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // A file that appears after the walk is not read: the command reads the
    // files it was given and does not walk the folders again.
    let files = common::walked_before_a_file_was_added(dir.path());
    let rules = RuleSet::built_in().expect("rules");
    let seen = std::sync::atomic::AtomicUsize::new(0);
    let report = index_files(&dir.path().join("ix"), &files, &rules, &|_| {
        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    })
    .expect("indexing works");
    assert_eq!((report.files_seen, report.files_read), (1, 1), "{report:?}");
    assert_eq!(seen.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(report.failures.len(), 1, "{report:?}");
    assert!(
        report.failures[0].file.ends_with("no-such-folder"),
        "{report:?}"
    );
}
