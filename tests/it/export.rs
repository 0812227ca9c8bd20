//! `tenken export --format opensearch`: the bulk files are valid bulk-API
//! NDJSON (action and source lines, unique ids, final newline, none above
//! --max-bytes), they hold the provisions of `tenken index` and the findings
//! of `tenken scan`, the mapping files use kuromoji and declare a field for
//! every filter of `tenken search`, and documents have the declared types.

use crate::common;

use crate::common::{ipadic_missing, manifest, tenken};

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use tenken::export::{ExportOptions, export_files};
use tenken::index::query::QUERY_FIELDS;
use tenken::index::{SearchIndex, SearchRequest, index_files};
use tenken::reading::files::Collected;
use tenken::rules::RuleSet;

/// Small enough that the sample corpus needs several files of each kind.
const SMALL_MAX_BYTES: u64 = 16 * 1024;

/// One index's documents as exported: (`_id`, source) in file order.
type Documents = Vec<(String, Value)>;

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Runs `tenken export` on the sample corpus into `dir`.
fn export(dir: &Path, extra: &[&str]) -> std::process::Output {
    let out = dir.to_string_lossy().into_owned();
    let mut args = vec![
        "export",
        "corpus",
        "--format",
        "opensearch",
        "--out",
        &out,
        "--quiet",
    ];
    args.extend_from_slice(extra);
    tenken(&args)
}

/// The bulk files of `stem` in `dir`, in order.
fn bulk_files(dir: &Path, stem: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("output folder lists")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(&format!("{stem}-")) && n.ends_with(".ndjson"))
        })
        .collect();
    files.sort();
    files
}

/// Checks one bulk file and returns its documents.
fn read_bulk(path: &Path, index: &str, max_bytes: u64) -> Documents {
    let text = std::fs::read_to_string(path).expect("bulk file is UTF-8");
    let name = path.display();
    assert!(
        text.len() as u64 <= max_bytes,
        "{name}: {} bytes",
        text.len()
    );
    assert!(text.ends_with('\n'), "{name} must end with a newline");
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty(), "{name} is empty");
    assert_eq!(
        lines.len() % 2,
        0,
        "{name}: action and source lines pair up"
    );
    let mut documents = Vec::new();
    for pair in lines.chunks(2) {
        let action: Value = serde_json::from_str(pair[0]).expect("action line is JSON");
        let target = action["index"].as_object().expect("an index action");
        assert_eq!(action.as_object().map(|a| a.len()), Some(1), "{action}");
        assert_eq!(target["_index"], index, "{name}");
        let id = target["_id"].as_str().expect("_id is a string").to_string();
        assert!(!id.is_empty());
        let source: Value = serde_json::from_str(pair[1]).expect("source line is JSON");
        assert!(source.is_object(), "{name}: {source}");
        assert!(
            source.get("index").is_none(),
            "a source line, not an action"
        );
        documents.push((id, source));
    }
    documents
}

/// Every document of one index, checking each file and that ids are unique.
fn read_index(dir: &Path, stem: &str, index: &str, max_bytes: u64) -> (Documents, usize) {
    let files = bulk_files(dir, stem);
    let documents: Documents = files
        .iter()
        .flat_map(|f| read_bulk(f, index, max_bytes))
        .collect();
    let ids: BTreeSet<&str> = documents.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids.len(), documents.len(), "{stem}: _ids are unique");
    (documents, files.len())
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).expect("mapping file reads");
    serde_json::from_str(&text).expect("mapping file is JSON")
}

fn properties(mapping: &Value) -> &serde_json::Map<String, Value> {
    mapping["mappings"]["properties"]
        .as_object()
        .expect("mappings.properties")
}

/// The export field each `tenken search` field filters on. A field added to
/// the query language without a counterpart here fails the test.
fn export_field(query_field: &str) -> &'static str {
    match query_field {
        "text" => "text",
        "title" => "title",
        "code" => "codes",
        "kind" => "kind",
        "source" => "source",
        "collection" => "collection",
        "caption" => "caption",
        "digital" => "digital",
        "year" => "year",
        "rule" => "rules",
        "file" => "file",
        "number" => "number",
        "citation" => "citation",
        "normalized" => "normalized",
        "id" => "id",
        "date" => "date",
        other => panic!("the search field {other} has no export field: add one"),
    }
}

#[test]
fn bulk_files_are_valid_split_and_hold_what_index_and_scan_find() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("os");
    let max = SMALL_MAX_BYTES.to_string();
    let out = export(&out_dir, &["--max-bytes", &max, "--index-prefix", "pref"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));

    let (provisions, provision_files) =
        read_index(&out_dir, "provisions", "pref-provisions", SMALL_MAX_BYTES);
    let (findings, finding_files) =
        read_index(&out_dir, "findings", "pref-findings", SMALL_MAX_BYTES);
    assert!(provision_files > 1, "splitting is exercised");
    assert!(finding_files > 1, "splitting is exercised");
    for (id, doc) in &provisions {
        assert_eq!(doc["id"], id.as_str(), "a provision's _id is its id");
    }

    // The provisions are those of `tenken index`, under the same ids.
    let index_dir = dir.path().join("index");
    let rules = RuleSet::built_in().expect("built-in rules");
    let files = Collected::walk(&[manifest().join("corpus")]);
    let report = index_files(&index_dir, &files, &rules, &|_| {}).expect("indexing works");
    assert_eq!(provisions.len() as u64, report.provisions_total);
    let index = SearchIndex::open(&index_dir).expect("index opens");
    let total = |query: String| {
        index
            .search(&SearchRequest {
                query,
                limit: 1,
                offset: 0,
            })
            .expect("query runs")
            .total
    };
    for (id, _) in &provisions {
        assert_eq!(total(format!("id:{id}")), 1, "{id} is in the index");
    }
    // … with the fields the index filters on.
    let count =
        |test: &dyn Fn(&Value) -> bool| provisions.iter().filter(|(_, d)| test(d)).count() as u64;
    let has = |field: &'static str, value: &'static str| {
        move |d: &Value| {
            d[field]
                .as_array()
                .is_some_and(|a| a.iter().any(|v| v == value))
        }
    };
    assert_eq!(
        count(&has("codes", "posting")),
        total("code:posting".into())
    );
    assert_eq!(
        count(&|d| d["digital"] == true),
        total("digital:true".into())
    );
    assert_eq!(count(&|d| d["kind"] == "規則"), total("kind:規則".into()));
    assert_eq!(
        count(&|d| d["year"]
            .as_i64()
            .is_some_and(|y| (2000..=2015).contains(&y))),
        total("year:[2000 TO 2015]".into())
    );
    assert!(count(&has("codes", "posting")) > 0);

    // The findings are those of `tenken scan`.
    let scan_dir = dir.path().join("scan");
    let scan_out = scan_dir.to_string_lossy().into_owned();
    let out = tenken(&["scan", "corpus", "--out", &scan_out, "--quiet"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let jsonl = std::fs::read_to_string(scan_dir.join("findings.jsonl")).expect("findings.jsonl");
    let mut scanned: BTreeMap<String, usize> = BTreeMap::new();
    for line in jsonl.lines() {
        let finding: Value = serde_json::from_str(line).expect("finding is JSON");
        let id = finding["id"].as_str().expect("id").to_string();
        *scanned.entry(id).or_default() += 1;
    }
    let mut exported: BTreeMap<String, usize> = BTreeMap::new();
    for (_, doc) in &findings {
        let id = doc["id"].as_str().expect("id").to_string();
        *exported.entry(id).or_default() += 1;
    }
    assert!(!scanned.is_empty());
    assert_eq!(exported, scanned);

    // A finding names its provision document.
    let provision_ids: BTreeSet<&str> = provisions.iter().map(|(id, _)| id.as_str()).collect();
    for (id, doc) in &findings {
        let linked = doc["provision_id"].as_str().expect("provision_id");
        assert!(provision_ids.contains(linked), "{id}: {linked}");
        let provision = provisions
            .iter()
            .find(|(pid, _)| pid == linked)
            .map(|(_, p)| p)
            .expect("linked provision");
        assert_eq!(provision["normalized"], doc["normalized"], "{id}");
        assert_eq!(provision["file"], doc["file"], "{id}");
        let code = doc["code"].as_str().expect("code");
        let codes = provision["codes"].as_array().expect("codes");
        assert!(
            codes.iter().any(|c| c == code),
            "{id}: {code} on the provision"
        );
    }
}

#[test]
fn mapping_files_use_kuromoji_and_cover_every_search_filter() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = export(dir.path(), &[]);
    assert!(matches!(out.status.code(), Some(0)), "{}", stderr(&out));
    let provisions = read_json(&dir.path().join("provisions.mapping.json"));
    let findings = read_json(&dir.path().join("findings.mapping.json"));
    for mapping in [&provisions, &findings] {
        let analysis = &mapping["settings"]["analysis"];
        let tokenizers: Vec<&str> = analysis["tokenizer"]
            .as_object()
            .expect("tokenizers")
            .values()
            .filter_map(|t| t["type"].as_str())
            .collect();
        assert!(tokenizers.contains(&"kuromoji_tokenizer"), "{tokenizers:?}");
        assert!(tokenizers.contains(&"ngram"), "{tokenizers:?}");
        let filters = analysis["analyzer"]["ja_text"]["filter"].to_string();
        for filter in ["kuromoji_baseform", "ja_stop", "lowercase"] {
            assert!(filters.contains(filter), "{filter}");
        }
        assert_eq!(mapping["mappings"]["dynamic"], "strict");
    }

    // Every field a query may use (src/index/query.rs), and the date.
    let cli_filters = QUERY_FIELDS.iter().copied().chain(["date"]);
    let fields = properties(&provisions);
    for filter in cli_filters {
        let name = export_field(filter);
        assert!(
            fields.contains_key(name),
            "provisions mapping lacks {name} ({filter}:)"
        );
    }
    assert_eq!(fields["codes"]["type"], "keyword");
    assert_eq!(fields["kind"]["type"], "keyword");
    assert_eq!(fields["source"]["type"], "keyword");
    assert_eq!(fields["digital"]["type"], "boolean");
    assert_eq!(fields["year"]["type"], "integer");
    assert_eq!(fields["date"]["type"], "date");
    assert_eq!(fields["date"]["format"], "yyyy-MM-dd");
    assert_eq!(fields["text"]["analyzer"], "ja_text");
    assert_eq!(fields["text"]["fields"]["gram"]["analyzer"], "ja_gram");
    assert_eq!(fields["title"]["fields"]["gram"]["analyzer"], "ja_gram");
    assert_eq!(fields["title"]["fields"]["keyword"]["type"], "keyword");

    let fields = properties(&findings);
    for name in [
        "id",
        "provision_id",
        "file",
        "title",
        "citation",
        "normalized",
        "code",
        "code_name",
        "priority",
        "digital_alternative",
        "excerpt",
        "phase",
        "technology",
        "rules",
    ] {
        assert!(fields.contains_key(name), "findings mapping lacks {name}");
    }
}

/// True when a JSON value fits a mapping's field type.
fn fits(value: &Value, field: &Value) -> bool {
    let values: Vec<&Value> = match value {
        Value::Array(items) => items.iter().collect(),
        other => vec![other],
    };
    let kind = field["type"].as_str().unwrap_or("");
    values.iter().all(|v| match kind {
        "keyword" | "text" => v.is_string(),
        "integer" => v.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
        "boolean" => v.is_boolean(),
        "date" => v.as_str().is_some_and(is_ymd),
        _ => false,
    })
}

/// `yyyy-MM-dd` with a month and day in range.
fn is_ymd(date: &str) -> bool {
    let parts: Vec<&str> = date.split('-').collect();
    let number = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match parts.as_slice() {
        [y, m, d] => {
            number(y, 4).is_some()
                && number(m, 2).is_some_and(|m| (1..=12).contains(&m))
                && number(d, 2).is_some_and(|d| (1..=31).contains(&d))
        }
        _ => false,
    }
}

#[test]
fn documents_have_the_types_their_mapping_declares() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let out = export(dir.path(), &[]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    for (stem, mapping) in [
        ("provisions", "provisions.mapping.json"),
        ("findings", "findings.mapping.json"),
    ] {
        let mapping = read_json(&dir.path().join(mapping));
        let fields = properties(&mapping);
        let index = format!("tenken-{stem}");
        let (documents, files) = read_index(dir.path(), stem, &index, 50 << 20);
        assert_eq!(files, 1, "the sample corpus fits one 50 MB file");
        let mut dated = 0;
        for (id, doc) in &documents {
            for (name, value) in doc.as_object().expect("an object") {
                let field = fields
                    .get(name)
                    .unwrap_or_else(|| panic!("{stem} {id}: {name} is not in the mapping"));
                assert!(
                    fits(value, field),
                    "{stem} {id}: {name} = {value} vs {field}"
                );
            }
            assert!(doc["year"].is_i64() || doc.get("year").is_none());
            dated += usize::from(doc.get("date").is_some());
        }
        assert!(dated > 0, "{stem}: some documents have a date");
        let first = &documents[0].1;
        let flag = if stem == "provisions" {
            "digital"
        } else {
            "digital_alternative"
        };
        assert!(first[flag].is_boolean(), "{stem}: {flag}");
    }
    assert!(!is_ymd("2003-3-20") && is_ymd("2003-03-20"));
    assert!(!fits(
        &Value::from("2013"),
        &serde_json::json!({"type": "integer"})
    ));
}

#[test]
fn unreadable_files_are_reported_and_the_others_exported() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("in");
    std::fs::create_dir(&input).expect("input folder");
    std::fs::write(input.join("empty.txt"), b"").expect("write");
    std::fs::write(
        input.join("good.txt"),
        "公告式条例\n第一条　公告は、掲示場に掲示しなければならない。\n".as_bytes(),
    )
    .expect("write");
    let out_dir = dir.path().join("os");
    let out = tenken(&[
        "export",
        &input.to_string_lossy(),
        "--out",
        &out_dir.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let message = stderr(&out);
    assert!(message.contains("tenken: empty.txt: "), "{message}");
    let unreadable: Vec<&str> = message
        .lines()
        .filter(|l| l.contains("empty.txt"))
        .collect();
    assert_eq!(
        unreadable.len(),
        1,
        "one line for the unreadable file: {message}"
    );
    let (provisions, _) = read_index(&out_dir, "provisions", "tenken-provisions", 50 << 20);
    assert_eq!(provisions.len(), 1);
    assert_eq!(provisions[0].1["file"], "good.txt");
    let (findings, _) = read_index(&out_dir, "findings", "tenken-findings", 50 << 20);
    assert!(findings.iter().all(|(_, f)| f["file"] == "good.txt"));
}

#[test]
fn the_files_walked_are_the_files_exported_and_walk_errors_are_failures() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    // A file that appears after the walk is not read: the command reads the
    // files it was given and does not walk the folders again.
    let files = common::walked_before_a_file_was_added(dir.path());
    let rules = RuleSet::built_in().expect("rules");
    let options = ExportOptions {
        out: dir.path().join("os"),
        index_prefix: "tenken".into(),
        max_bytes: 50 << 20,
        file_timeout: tenken::reading::budget::DEFAULT_FILE_TIMEOUT,
    };
    let report = export_files(&files, &rules, &options, &|_| {}).expect("export works");
    assert_eq!((report.files_seen, report.files_read), (1, 1), "{report:?}");
    assert_eq!(report.failures.len(), 1, "{report:?}");
    assert!(
        report.failures[0].file.ends_with("no-such-folder"),
        "{report:?}"
    );
    let (provisions, _) = read_index(&options.out, "provisions", "tenken-provisions", 50 << 20);
    assert!(provisions.iter().all(|(_, p)| p["file"] == "good.txt"));
}

#[test]
fn wrong_options_exit_with_2_and_write_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("os");
    for extra in [
        &["--index-prefix", "Tenken"][..],
        &["--index-prefix", "a/b"][..],
        &["--max-bytes", "100"][..],
        &["--max-bytes", "lots"][..],
        &["--format", "solr"][..],
        &["--rules", "/no/such/rules"][..],
    ] {
        let out = export(&out_dir, extra);
        assert_eq!(out.status.code(), Some(2), "{extra:?}: {}", stderr(&out));
        assert!(!out_dir.exists(), "{extra:?} wrote something");
    }
}

#[test]
fn prefixes_that_look_like_paths_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out_dir = dir.path().join("os");
    let escape = dir.path().join("escape");
    let escape = escape.to_string_lossy();
    for prefix in [
        "..",
        ".",
        "../escape",
        "x/../../escape",
        &*escape,
        "x\\..\\..\\escape",
        "x\ny",
    ] {
        let out = export(&out_dir, &["--index-prefix", prefix]);
        let message = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{prefix:?}: {message}");
        assert!(message.contains("--index-prefix"), "{prefix:?}: {message}");
        let written: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert!(written.is_empty(), "{prefix:?} wrote {written:?}");
    }
}

#[test]
fn a_smaller_export_into_the_same_folder_leaves_no_stale_files() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let max = SMALL_MAX_BYTES.to_string();
    let out = export(dir.path(), &["--max-bytes", &max]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(bulk_files(dir.path(), "provisions").len() > 1);
    let out = export(dir.path(), &["--max-bytes", "50M"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(bulk_files(dir.path(), "provisions").len(), 1);
    assert_eq!(bulk_files(dir.path(), "findings").len(), 1);
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("lists")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn help_gives_the_upload_steps() {
    let out = tenken(&["export", "--help"]);
    let help = String::from_utf8_lossy(&out.stdout);
    for words in [
        "--format",
        "--max-bytes",
        "--index-prefix",
        "--rules",
        "opensearch-plugin install analysis-kuromoji",
        "provisions.mapping.json",
        "findings.mapping.json",
        "_bulk",
        "application/x-ndjson",
    ] {
        assert!(help.contains(words), "help lacks {words}");
    }
}
