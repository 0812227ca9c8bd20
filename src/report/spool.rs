//! The report's spool: while a scan goes on, each 例規 and its findings are
//! kept as its file finishes: in memory while they fit a budget
//! ([`MEMORY_BUDGET`]), then written to a scratch folder of the run's output
//! folder; only what the overview and the 類型 pages need stays in memory for
//! every 例規 (its name and kind, and a [`Brief`] of each finding). The pages
//! are made from the spool once every file is scanned and the review is
//! merged (a page shows the review's 状態 and the whole report's totals);
//! each spooled 例規 is read back for its own page, then deleted. A report so
//! holds the documents and findings of the pages being made, not all of them.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::ReportError;
use super::model::{self, Brief};
use crate::matching::Finding;
use crate::structure::{DocKind, Document};

/// The spool folder's name inside the run's output folder.
pub const SPOOL_NAME: &str = ".tenken-spool";

/// How much of the 例規 waiting for their pages is kept in memory (an
/// estimate: five times their text, as measured on `../shared/corpus`), the
/// rest goes to the spool folder. Writing each 例規 to JSON and reading it
/// back was a tenth of a `scan --html`; a 例規集 of up to some 50 MB of text
/// needs no spool file.
pub const MEMORY_BUDGET: usize = 256 << 20;

/// The memory a document takes, in bytes per byte of its text (its tree
/// holds each provision's text again, with labels and citations).
const MEMORY_PER_TEXT_BYTE: usize = 5;

/// One 例規 waiting for its page: what the overview needs, and where the
/// document and its findings are (spooled by a scan, or held by the caller
/// of `write_report`).
#[derive(Debug, Clone)]
pub struct SpooledDocument {
    pub file: String,
    pub title: String,
    pub number: Option<String>,
    pub kind: DocKind,
    /// Its findings, in their order, as the overview lists them.
    pub briefs: Vec<Brief>,
    text: Text,
}

/// A document and its findings kept in memory, shared by the clones of its
/// entry until its page takes them.
type Kept = Arc<Mutex<Option<(Document, Vec<Finding>)>>>;

/// Where the document and its findings are.
#[derive(Debug, Clone)]
enum Text {
    /// In memory until its page takes them.
    Memory(Kept),
    /// As JSON, in the spool folder.
    Spooled(PathBuf),
    /// In memory: the caller's documents, at this index.
    Held(usize),
}

/// What a spool file holds.
#[derive(Serialize)]
struct Entry<'a> {
    document: &'a Document,
    findings: &'a [Finding],
}

/// A spool file read back.
#[derive(Deserialize)]
struct ReadEntry {
    document: Document,
    findings: Vec<Finding>,
}

/// The documents and findings a caller of `write_report` keeps in memory.
pub struct HeldDocuments<'h> {
    pub documents: &'h [Document],
    /// The findings of each document, by its `file`.
    pub findings: HashMap<&'h str, Vec<&'h Finding>>,
}

/// A 例規 with its findings, for its page.
pub struct Page<'h> {
    pub document: Cow<'h, Document>,
    pub findings: Vec<Cow<'h, Finding>>,
}

impl SpooledDocument {
    /// One of `held` (at `index`), kept in memory by the caller.
    pub fn held(document: &Document, findings: &[&Finding], index: usize) -> SpooledDocument {
        SpooledDocument::of(document, findings.iter().copied(), Text::Held(index))
    }

    fn of<'f>(
        document: &Document,
        findings: impl Iterator<Item = &'f Finding> + Clone,
        text: Text,
    ) -> SpooledDocument {
        let anchors = anchors(document, findings.clone().map(|f| f.normalized.as_str()));
        let anchor = |normalized: &str| anchors.get(normalized).cloned().unwrap_or_default();
        SpooledDocument {
            file: document.file.clone(),
            title: document.title.clone(),
            number: document.number.clone(),
            kind: document.kind,
            briefs: findings
                .map(|f| Brief::of(f, anchor(&f.normalized), Some(super::CODE_EXCERPT)))
                .collect(),
            text,
        }
    }

    /// The document and its findings: read back from the spool, or
    /// borrowed from `held`.
    pub fn read<'h>(&self, held: Option<&HeldDocuments<'h>>) -> Result<Page<'h>, ReportError> {
        let path = match &self.text {
            Text::Held(index) => {
                let document = held.and_then(|h| h.documents.get(*index)).ok_or_else(|| {
                    ReportError::Spool {
                        path: PathBuf::from(&self.file),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "not among the documents given",
                        ),
                    }
                })?;
                let findings = held
                    .and_then(|h| h.findings.get(self.file.as_str()))
                    .map(|mine| mine.iter().map(|f| Cow::Borrowed(*f)).collect())
                    .unwrap_or_default();
                return Ok(Page {
                    document: Cow::Borrowed(document),
                    findings,
                });
            }
            Text::Memory(kept) => {
                let taken = kept.lock().unwrap_or_else(|e| e.into_inner()).take();
                let (document, findings) = taken.ok_or_else(|| ReportError::Spool {
                    path: PathBuf::from(&self.file),
                    source: std::io::Error::other("its page was made already"),
                })?;
                return Ok(Page {
                    document: Cow::Owned(document),
                    findings: findings.into_iter().map(Cow::Owned).collect(),
                });
            }
            Text::Spooled(path) => path,
        };
        let text = std::fs::read(path).map_err(|source| ReportError::Spool {
            path: path.clone(),
            source,
        })?;
        let entry: ReadEntry = serde_json::from_slice(&text).map_err(|e| ReportError::Spool {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        })?;
        Ok(Page {
            document: Cow::Owned(entry.document),
            findings: entry.findings.into_iter().map(Cow::Owned).collect(),
        })
    }
    /// Deletes the spooled text once its page is written.
    pub fn remove(&self) {
        match &self.text {
            Text::Spooled(path) => {
                let _ = std::fs::remove_file(path);
            }
            Text::Memory(kept) => {
                kept.lock().unwrap_or_else(|e| e.into_inner()).take();
            }
            Text::Held(_) => {}
        }
    }
}

/// The anchor of each provision of `document` whose normal form is one of
/// `normalized` (those of its findings), by normal form (the first provision
/// of a normal form wins).
fn anchors<'d, 'f>(
    document: &'d Document,
    normalized: impl Iterator<Item = &'f str>,
) -> HashMap<&'d str, String> {
    let wanted: HashSet<&str> = normalized.collect();
    let mut anchors: HashMap<&str, String> = HashMap::new();
    for (normalized, id) in model::anchors_of(document) {
        if wanted.contains(normalized) {
            anchors.entry(normalized).or_insert(id);
        }
    }
    anchors
}

/// Where the documents go while a scan runs; cheap to clone for workers.
#[derive(Debug, Clone)]
pub struct SpoolFolder {
    dir: PathBuf,
    next: Arc<AtomicUsize>,
    /// The estimated bytes of the 例規 kept in memory so far.
    held: Arc<AtomicUsize>,
    budget: usize,
}

impl SpoolFolder {
    /// Keeps one document and its findings (on any thread), in memory or in
    /// the folder, and what the overview needs.
    pub fn spool(
        &self,
        document: Document,
        findings: &[Finding],
    ) -> Result<SpooledDocument, ReportError> {
        let size = document.text.len().saturating_mul(MEMORY_PER_TEXT_BYTE);
        let fits = self
            .held
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |held| {
                held.checked_add(size).filter(|&total| total <= self.budget)
            })
            .is_ok();
        if fits {
            let kept: Kept = Arc::new(Mutex::new(None));
            let spooled =
                SpooledDocument::of(&document, findings.iter(), Text::Memory(kept.clone()));
            *kept.lock().unwrap_or_else(|e| e.into_inner()) = Some((document, findings.to_vec()));
            return Ok(spooled);
        }
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(format!("{n}.json"));
        // A scratch file: not synced to disk, nor written under a temporary
        // name (a run that stops removes the spool, or the next one does).
        let write = || -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
            serde_json::to_writer(
                &mut out,
                &Entry {
                    document: &document,
                    findings,
                },
            )
            .map_err(std::io::Error::other)?;
            std::io::Write::flush(&mut out)
        };
        write().map_err(|source| ReportError::Spool {
            path: path.clone(),
            source,
        })?;
        Ok(SpooledDocument::of(
            &document,
            findings.iter(),
            Text::Spooled(path),
        ))
    }
}

/// The documents spooled so far, in the order they were added.
#[derive(Debug)]
pub struct Spool {
    folder: SpoolFolder,
    pub documents: Vec<SpooledDocument>,
}

impl Spool {
    /// Starts an empty spool in a folder `SPOOL_NAME` of `dir` (the run's
    /// output folder, created when missing); what an interrupted run left
    /// there is removed.
    pub fn create(dir: &Path) -> Result<Spool, ReportError> {
        Spool::with_budget(dir, MEMORY_BUDGET)
    }

    /// A spool that keeps up to `budget` bytes (estimated) in memory.
    pub fn with_budget(dir: &Path, budget: usize) -> Result<Spool, ReportError> {
        let dir = dir.join(SPOOL_NAME);
        if dir.exists() {
            std::fs::remove_dir_all(&dir).map_err(|source| ReportError::Spool {
                path: dir.clone(),
                source,
            })?;
        }
        std::fs::create_dir_all(&dir).map_err(|source| ReportError::CreateDir {
            path: dir.clone(),
            source,
        })?;
        Ok(Spool {
            folder: SpoolFolder {
                dir,
                next: Arc::new(AtomicUsize::new(0)),
                held: Arc::new(AtomicUsize::new(0)),
                budget,
            },
            documents: Vec::new(),
        })
    }

    /// The folder workers spool into.
    pub fn folder(&self) -> SpoolFolder {
        self.folder.clone()
    }

    pub fn add(&mut self, document: SpooledDocument) {
        self.documents.push(document);
    }

    /// Removes the spool folder (after the pages are written, or when the
    /// run stops without a report); dropping the spool does the same.
    pub fn discard(self) {}
}

impl Drop for Spool {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::{Builder, Format};

    fn document() -> Document {
        let mut builder = Builder::new("jorei/a.txt", Format::Text, "UTF-8");
        builder.title("つばき町屋外広告物条例");
        builder.article("第一条");
        builder.paragraph("", None, "許可を受けた者は、標識を掲示しなければならない。");
        builder.paragraph("２", None, "前項の標識は、見やすい場所に掲げる。");
        builder.finish()
    }

    #[test]
    fn a_spooled_document_reads_back_the_same_and_the_spool_goes_with_it() {
        let out = tempfile::tempdir().expect("temp dir");
        // No memory budget: the document goes to the folder.
        let mut spool = Spool::with_budget(out.path(), 0).expect("spool");
        let original = document();
        let mut finding = crate::matching::fixtures::posting();
        finding.file = original.file.clone();
        finding.normalized = "1/2".into();
        finding.excerpt = "前".repeat(30) + "【掲げる】" + &"後".repeat(200);
        let spooled = spool
            .folder()
            .spool(original.clone(), std::slice::from_ref(&finding))
            .expect("spooled");
        assert!(matches!(spooled.text, Text::Spooled(_)));
        let page = spooled.read(None).expect("read back");
        assert_eq!(*page.document, original);
        assert_eq!(page.findings.len(), 1);
        assert_eq!(*page.findings[0], finding, "the finding is read back whole");
        let brief = &spooled.briefs[0];
        assert_eq!(brief.id, finding.id);
        assert!(!brief.anchor.is_empty(), "the brief links to its provision");
        assert!(
            brief.excerpt.chars().count() <= crate::report::CODE_EXCERPT + 2
                && brief.excerpt.contains("【掲げる】"),
            "the brief keeps a short excerpt around the match: {}",
            brief.excerpt
        );
        spool.add(spooled);
        let folder = out.path().join(SPOOL_NAME);
        assert!(folder.is_dir());
        drop(spool);
        assert!(!folder.exists(), "the spool is removed with it");
        assert!(out.path().is_dir(), "the output folder stays");
    }

    #[test]
    fn documents_stay_in_memory_while_they_fit_the_budget() {
        let out = tempfile::tempdir().expect("temp dir");
        let original = document();
        // Room for two copies of this document's estimated size, not three.
        let budget = original.text.len() * MEMORY_PER_TEXT_BYTE * 2;
        let spool = Spool::with_budget(out.path(), budget).expect("spool");
        let folder = spool.folder();
        let kept: Vec<SpooledDocument> = (0..3)
            .map(|_| folder.spool(original.clone(), &[]).expect("spooled"))
            .collect();
        let in_memory = kept
            .iter()
            .filter(|d| matches!(d.text, Text::Memory(_)))
            .count();
        assert_eq!(in_memory, 2, "the third goes to the folder");
        assert_eq!(
            std::fs::read_dir(out.path().join(SPOOL_NAME))
                .expect("list")
                .count(),
            1
        );
        for spooled in &kept {
            let page = spooled.read(None).expect("read");
            assert_eq!(*page.document, original, "each reads back the same");
            spooled.remove();
        }
        assert!(
            kept[0].read(None).is_err(),
            "a page taken from memory is not there twice"
        );
    }

    #[test]
    fn what_an_interrupted_run_spooled_is_cleared() {
        let out = tempfile::tempdir().expect("temp dir");
        let folder = out.path().join(SPOOL_NAME);
        std::fs::create_dir_all(&folder).expect("folder");
        std::fs::write(folder.join("7.json"), "{").expect("left over");
        let spool = Spool::create(out.path()).expect("spool");
        assert_eq!(std::fs::read_dir(&folder).expect("list").count(), 0);
        spool.discard();
        assert!(!folder.exists());
    }
}
