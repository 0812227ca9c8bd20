//! The HTML report: a static site that a reviewer opens from the file system
//! (no server, no network) and reads provision by provision.
//!
//! `write_report` writes into a folder:
//! - `index.html`: the overview (例規 by kind, findings by 類型 × 優先度 as a
//!   table and an inline SVG chart, the 例規 with the most open findings, how
//!   many are already digital) and a filterable, paged list of every finding;
//! - `documents.html`: every 例規 scanned, with its counts;
//! - `docs/<name>.html`: one page per 例規, its whole text laid out as a 例規集
//!   prints it, each finding highlighted in place with a badge, and the
//!   checklist rows of the 例規 beside the text;
//! - `codes/<code>.html`: one page per 類型 with the rules' explanation, the
//!   Phase direction and technology, and every finding of that kind;
//! - `assets/report.css`, `assets/report.js`: the style and a small vanilla
//!   script that filters by 類型, 優先度, 電子的代替, 種別 and free text over the
//!   data each page embeds as JSON.
//!
//! The pages come from minijinja templates (`reports/` in the repository,
//! embedded in the binary; `templates` points at a folder whose files replace
//! them one by one). HTML templates auto-escape everything, and no HTML is
//! built in Rust from document text: highlights are segments the template
//! escapes (see `highlight`), JSON goes through `tojson` (which escapes `<`,
//! `>`, `&` and `'`). Anchors and file names are described in `anchor`.

pub mod anchor;
pub mod highlight;
mod model;
mod review;
pub mod spool;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use rayon::prelude::*;
use serde::Serialize;

use crate::ledger::Review;
use crate::matching::Finding;
use crate::matching::Tally;
use crate::output::write_replacing;
use crate::rules::RuleSet;
use crate::structure::Document;
use model::{Brief, Listed};
use model::{CodeInfo, DocRow};
use spool::{HeldDocuments, Page};
pub use spool::{Spool, SpoolFolder, SpooledDocument};

/// The template files, with the copies built into the binary.
pub const TEMPLATES: [(&str, &str); 6] = [
    ("base.html", include_str!("../../reports/base.html")),
    ("index.html", include_str!("../../reports/index.html")),
    ("document.html", include_str!("../../reports/document.html")),
    ("code.html", include_str!("../../reports/code.html")),
    ("report.css", include_str!("../../reports/report.css")),
    ("report.js", include_str!("../../reports/report.js")),
];

/// The file names of the overview, per-document folder, per-code folder and assets.
pub const INDEX_NAME: &str = "index.html";
pub const DOCUMENTS_NAME: &str = "documents.html";

/// The longest excerpt (characters) in the overview's data, which carries every
/// finding, and in a 類型 page's data; 例規 pages carry the whole excerpt.
const OVERVIEW_EXCERPT: usize = 40;
const CODE_EXCERPT: usize = 100;

/// What a report run wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportSummary {
    /// The overview page.
    pub index: PathBuf,
    /// Every file written.
    pub pages: usize,
    pub documents: usize,
    pub findings: usize,
    /// The largest page and its size in bytes.
    pub largest: (PathBuf, u64),
    /// The page of each 例規, by its `file`, relative to the report folder.
    pub document_pages: Vec<(String, String)>,
}

/// Why a report could not be written; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(
        "{}: レポートのフォルダを作れません: {}",
        path.display(),
        crate::messages::io(source)
    )]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: 書き込めません: {}", path.display(), crate::messages::io(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: テンプレートのフォルダを読めません: {}",
        path.display(),
        crate::messages::io(source)
    )]
    Templates {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: レポートの一時ファイルを読み書きできません: {}",
        path.display(),
        crate::messages::io(source)
    )]
    Spool {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("テンプレート {name} に誤りがあります (template error: {source:#})")]
    Template {
        name: String,
        source: minijinja::Error,
    },
}

/// Site-wide values every page gets.
#[derive(Serialize)]
struct Site<'a> {
    version: &'static str,
    codes: &'a [CodeInfo],
    documents: usize,
    findings: usize,
}

#[derive(Serialize)]
struct IndexPage<'a> {
    site: &'a Site<'a>,
    root: &'static str,
    page: &'static str,
    totals: Tally,
    kinds: Vec<model::KindRow>,
    matrix: Vec<model::CodeRow>,
    chart: model::Chart,
    top: Vec<DocRow>,
    with_findings: usize,
    data: model::Explorer,
    review: Option<review::ProgressView>,
}

#[derive(Serialize)]
struct DocumentsPage<'a> {
    site: &'a Site<'a>,
    root: &'static str,
    page: &'static str,
    documents: &'a [DocRow],
}

#[derive(Serialize)]
struct DocPage<'a> {
    site: &'a Site<'a>,
    root: &'static str,
    page: &'static str,
    doc: model::DocHead,
    blocks: Vec<model::Block>,
    rows: Vec<model::Row>,
    /// Rows of the review whose finding is gone (解消).
    gone: Vec<review::Entry>,
    counts: Tally,
    data: model::Explorer,
}

#[derive(Serialize)]
struct CodePage<'a> {
    site: &'a Site<'a>,
    root: &'static str,
    page: &'static str,
    code: &'a CodeInfo,
    counts: Tally,
    documents: usize,
    data: model::Explorer,
}

/// Writes the report of `documents` and their `findings` into `dir` (created
/// when missing), with the review's 状態 and decisions. `templates` is a
/// folder whose files (named as in [`TEMPLATES`]) replace the built-in ones.
/// The documents stay where they are (a scan spools its own, see `spool`).
pub fn write_report(
    dir: &Path,
    documents: &[Document],
    findings: &[Finding],
    review: &Review,
    rules: &RuleSet,
    templates: Option<&Path>,
) -> Result<ReportSummary, ReportError> {
    let templates = Templates::load(templates)?;
    let mut by_file: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in findings {
        by_file
            .entry(finding.file.as_str())
            .or_default()
            .push(finding);
    }
    let listed: Vec<SpooledDocument> = documents
        .par_iter()
        .enumerate()
        .map(|(i, d)| {
            let mine = by_file.get(d.file.as_str()).map_or(&[][..], Vec::as_slice);
            SpooledDocument::held(d, mine, i)
        })
        .collect();
    let held = HeldDocuments {
        documents,
        findings: by_file,
    };
    write_pages(
        dir,
        &listed,
        Some(&held),
        findings,
        review,
        rules,
        &templates,
    )
}

/// The report's templates, loaded and checked (before a long scan starts).
pub struct Templates {
    sources: Vec<(&'static str, String)>,
    env: Environment<'static>,
}

impl Templates {
    /// The built-in templates, replaced by the files of `dir` when given.
    pub fn load(dir: Option<&Path>) -> Result<Templates, ReportError> {
        let sources = load_templates(dir)?;
        let env = environment(&sources)?;
        Ok(Templates { sources, env })
    }
}

/// Writes the report of the spooled documents (in the spool's order) and
/// their findings into `dir`; the spool is removed as it is dropped. Only a
/// merged review (one with a ledger) needs `merged`, the findings its rows
/// point to; otherwise it may be empty.
pub fn write_spooled(
    dir: &Path,
    spool: Spool,
    merged: &[Finding],
    review: &Review,
    rules: &RuleSet,
    templates: &Templates,
) -> Result<ReportSummary, ReportError> {
    write_pages(
        dir,
        &spool.documents,
        None,
        merged,
        review,
        rules,
        templates,
    )
}

/// Writes every page: the overview, the list of 例規 and the 類型 pages from
/// the documents' briefs, then each 例規's page from its document and
/// findings, read back one at a time per worker.
fn write_pages(
    dir: &Path,
    documents: &[SpooledDocument],
    held: Option<&HeldDocuments<'_>>,
    merged: &[Finding],
    review: &Review,
    rules: &RuleSet,
    templates: &Templates,
) -> Result<ReportSummary, ReportError> {
    let review_view = review::ReviewView::new(review);
    let (sources, env) = (&templates.sources, &templates.env);
    for sub in ["", "docs", "codes", "assets"] {
        let path = dir.join(sub);
        std::fs::create_dir_all(&path).map_err(|source| ReportError::CreateDir { path, source })?;
    }

    let listed: Vec<Listed<'_>> = documents
        .iter()
        .flat_map(|document| {
            document
                .briefs
                .iter()
                .map(move |brief| Listed { document, brief })
        })
        .collect();
    let infos = model::code_infos(rules, listed.iter().map(|l| l.brief));
    let pages = page_names(documents);
    // The pages by 例規名, for the 根拠法令 that cite another 例規 of the set.
    let titles: HashMap<&str, String> = documents
        .iter()
        .filter_map(|d| Some((d.title.as_str(), pages.get(d.file.as_str())?.clone())))
        .collect();
    let rows: Vec<DocRow> = documents
        .iter()
        .map(|d| DocRow {
            title: d.title.clone(),
            number: d.number.clone(),
            kind: d.kind.japanese().to_string(),
            file: d.file.clone(),
            href: pages
                .get(d.file.as_str())
                .map_or_else(String::new, |p| format!("docs/{p}.html")),
            counts: model::tally(&d.briefs),
        })
        .collect();
    let site = Site {
        version: env!("CARGO_PKG_VERSION"),
        codes: &infos,
        documents: documents.len(),
        findings: listed.len(),
    };
    let mut written: Vec<(PathBuf, u64)> = Vec::new();

    // The overview and the list of 例規.
    let matrix = model::code_rows(&infos, &listed);
    let index = IndexPage {
        site: &site,
        root: "",
        page: "index",
        totals: model::tally(listed.iter().map(|l| l.brief)),
        kinds: model::kind_rows(documents),
        chart: model::chart(&matrix),
        matrix,
        top: model::top_documents(&rows),
        with_findings: rows.iter().filter(|r| r.counts.total > 0).count(),
        data: model::explorer(&listed, &infos, &pages, Some(OVERVIEW_EXCERPT)),
        review: review_view.progress(merged, &pages),
    };
    written.push(render(env, "index.html", &index, &dir.join(INDEX_NAME))?);
    drop(index);
    let mut sorted_rows = rows;
    sorted_rows.sort_by(|a, b| a.file.cmp(&b.file));
    let list = DocumentsPage {
        site: &site,
        root: "",
        page: "documents",
        documents: &sorted_rows,
    };
    written.push(render(env, "index.html", &list, &dir.join(DOCUMENTS_NAME))?);

    // One page per 類型 (their briefs' excerpts are already cut to length).
    for info in &infos {
        let of_code: Vec<Listed<'_>> = listed
            .iter()
            .filter(|l| l.brief.code == info.code)
            .copied()
            .collect();
        let mut files: Vec<&str> = of_code.iter().map(|l| l.document.file.as_str()).collect();
        files.sort_unstable();
        files.dedup();
        let page = CodePage {
            site: &site,
            root: "../",
            page: "code",
            code: info,
            counts: model::tally(of_code.iter().map(|l| l.brief)),
            documents: files.len(),
            data: model::explorer(&of_code, &infos, &pages, None),
        };
        let path = dir.join("codes").join(format!("{}.html", info.page));
        written.push(render(env, "code.html", &page, &path)?);
    }
    drop(listed);
    crate::memory::give_back();

    // One page per 例規, in parallel, each read back from the spool.
    let document_pages: Vec<(PathBuf, u64)> = documents
        .par_iter()
        .filter(|d| pages.contains_key(d.file.as_str()))
        .map(|spooled| {
            let page = document_page(spooled, held, &site, &infos, &pages, &titles, &review_view)?;
            let path = dir
                .join("docs")
                .join(format!("{}.html", pages[spooled.file.as_str()]));
            let written = render(env, "document.html", &page, &path);
            drop(page);
            spooled.remove();
            written
        })
        .collect::<Result<_, _>>()?;
    written.extend(document_pages);

    // The style and the script, as they are.
    for name in ["report.css", "report.js"] {
        let path = dir.join("assets").join(name);
        let text = template_text(sources, name);
        write_replacing(&path, |w| w.write_all(text.as_bytes())).map_err(|source| {
            ReportError::Write {
                path: path.clone(),
                source,
            }
        })?;
        written.push((path, text.len() as u64));
    }

    let largest = written
        .iter()
        .max_by_key(|(_, size)| *size)
        .cloned()
        .unwrap_or_default();
    let mut document_pages: Vec<(String, String)> = pages
        .iter()
        .map(|(file, name)| (file.to_string(), format!("docs/{name}.html")))
        .collect();
    document_pages.sort();
    Ok(ReportSummary {
        index: dir.join(INDEX_NAME),
        pages: written.len(),
        documents: documents.len(),
        findings: site.findings,
        largest,
        document_pages,
    })
}

/// Each file's page name: from its path, made safe, unique within the report.
fn page_names(documents: &[SpooledDocument]) -> HashMap<&str, String> {
    let mut pages: HashMap<&str, String> = HashMap::new();
    let mut taken: HashMap<String, usize> = HashMap::new();
    for document in documents {
        if pages.contains_key(document.file.as_str()) {
            continue;
        }
        let mut name = anchor::safe_name(&document.file);
        let count = taken.entry(name.clone()).or_insert(0);
        *count += 1;
        if *count > 1 {
            name = format!("{name}-{count}");
        }
        pages.insert(document.file.as_str(), name);
    }
    pages
}

/// The page of one 例規: its document and findings read back, laid out, with
/// the review's 状態 and the rows whose finding is gone.
fn document_page<'s>(
    spooled: &SpooledDocument,
    held: Option<&HeldDocuments<'_>>,
    site: &'s Site<'s>,
    infos: &[CodeInfo],
    pages: &HashMap<&str, String>,
    titles: &HashMap<&str, String>,
    review_view: &review::ReviewView<'_>,
) -> Result<DocPage<'s>, ReportError> {
    let Page { document, findings } = spooled.read(held)?;
    let mine: Vec<&Finding> = findings.iter().map(|f| f.as_ref()).collect();
    let mut laid_out = model::document_page(&document, &mine, infos);
    drop(document);
    let statutes: Vec<Vec<String>> = mine
        .iter()
        .map(|f| f.statutes.iter().map(|s| s.title.clone()).collect())
        .collect();
    model::link_basis(&mut laid_out.rows, &statutes, titles);
    review_view.annotate(&mut laid_out.rows);
    let counts = Tally::of(mine.iter().copied());
    let briefs: Vec<Brief> = laid_out
        .rows
        .iter()
        .zip(&mine)
        .map(|(row, finding)| Brief::of(finding, row.anchor.clone(), None))
        .collect();
    drop(mine);
    drop(findings);
    let listed: Vec<Listed<'_>> = briefs
        .iter()
        .map(|brief| Listed {
            document: spooled,
            brief,
        })
        .collect();
    Ok(DocPage {
        site,
        root: "../",
        page: "document",
        doc: laid_out.head,
        blocks: laid_out.blocks,
        rows: laid_out.rows,
        gone: review_view.gone_in(&spooled.file, ""),
        counts,
        data: model::explorer(&listed, infos, pages, None),
    })
}

/// The template sources: the built-in ones, replaced by the files of `dir`.
fn load_templates(dir: Option<&Path>) -> Result<Vec<(&'static str, String)>, ReportError> {
    let mut sources: Vec<(&'static str, String)> = TEMPLATES
        .iter()
        .map(|(name, text)| (*name, (*text).to_string()))
        .collect();
    let Some(dir) = dir else {
        return Ok(sources);
    };
    if !dir.is_dir() {
        return Err(ReportError::Templates {
            path: dir.to_path_buf(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "not a folder"),
        });
    }
    for (name, text) in &mut sources {
        let path = dir.join(*name);
        if path.is_file() {
            *text = std::fs::read_to_string(&path)
                .map_err(|source| ReportError::Templates { path, source })?;
        }
    }
    Ok(sources)
}

fn template_text<'s>(sources: &'s [(&'static str, String)], name: &str) -> &'s str {
    sources
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, text)| text.as_str())
}

/// An empty template environment as every HTML output of tenken uses it:
/// templates named *.html auto-escape, undefined values are errors, and a
/// block tag takes its line's indent and newline with it.
pub fn strict_environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|name| {
        if name.ends_with(".html") {
            AutoEscape::Html
        } else {
            AutoEscape::None
        }
    });
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    let syntax = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()?;
    env.set_syntax(syntax);
    Ok(env)
}

/// The template environment of the report.
fn environment(sources: &[(&'static str, String)]) -> Result<Environment<'static>, ReportError> {
    let mut env = strict_environment().map_err(|source| ReportError::Template {
        name: "syntax".to_string(),
        source,
    })?;
    for (name, text) in sources.iter().filter(|(n, _)| n.ends_with(".html")) {
        env.add_template_owned(*name, text.clone())
            .map_err(|source| ReportError::Template {
                name: (*name).to_string(),
                source,
            })?;
    }
    Ok(env)
}

/// Renders one page and writes it atomically; returns its path and size.
fn render<T: Serialize>(
    env: &Environment<'_>,
    template: &str,
    context: &T,
    path: &Path,
) -> Result<(PathBuf, u64), ReportError> {
    let error = |source| ReportError::Template {
        name: template.to_string(),
        source,
    };
    let html = env
        .get_template(template)
        .and_then(|t| t.render(Value::from(Serde(context))))
        .map_err(error)?;
    write_replacing(path, |w| w.write_all(html.as_bytes())).map_err(|source| {
        ReportError::Write {
            path: path.to_path_buf(),
            source,
        }
    })?;
    Ok((path.to_path_buf(), html.len() as u64))
}
