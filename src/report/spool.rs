//! The report's spool: while a scan goes on, each 例規 is written to a
//! scratch folder of the run's output folder as its file finishes, and only
//! what the overview needs (its name, kind and the anchors of its findings)
//! stays in memory. The pages are made from the spool once every file is
//! scanned and the review is merged (a page shows the review's 状態 and the
//! whole report's totals); each spooled 例規 is read back for its own page,
//! then deleted. A report so holds the documents of the pages being made,
//! not every document (the findings are still all in memory: the overview
//! lists every one).

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use super::ReportError;
use super::model;
use crate::matching::Finding;
use crate::structure::{DocKind, Document};

/// The spool folder's name inside the run's output folder.
pub const SPOOL_NAME: &str = ".tenken-spool";

/// One 例規 waiting for its page: what the overview needs, and where the
/// document is (spooled by a scan, or held by the caller of `write_report`).
#[derive(Debug, Clone)]
pub struct SpooledDocument {
    pub file: String,
    pub title: String,
    pub number: Option<String>,
    pub kind: DocKind,
    /// The anchor of each provision that has a finding, by normal form.
    pub anchors: Vec<(String, String)>,
    text: Text,
}

/// Where the document is.
#[derive(Debug, Clone)]
enum Text {
    /// As JSON, in the spool folder.
    Spooled(PathBuf),
    /// In memory: the caller's documents, at this index.
    Held(usize),
}

impl SpooledDocument {
    /// One of `held` (at `index`), kept in memory by the caller.
    pub fn held(document: &Document, findings: &[&Finding], index: usize) -> SpooledDocument {
        SpooledDocument {
            file: document.file.clone(),
            title: document.title.clone(),
            number: document.number.clone(),
            kind: document.kind,
            anchors: anchors(document, findings.iter().map(|f| f.normalized.as_str())),
            text: Text::Held(index),
        }
    }

    /// The document: read back from the spool, or borrowed from `held`.
    pub fn read<'h>(&self, held: &'h [Document]) -> Result<Cow<'h, Document>, ReportError> {
        let path = match &self.text {
            Text::Held(index) => {
                return held
                    .get(*index)
                    .map(Cow::Borrowed)
                    .ok_or_else(|| ReportError::Spool {
                        path: PathBuf::from(&self.file),
                        source: std::io::Error::new(
                            std::io::ErrorKind::NotFound,
                            "not among the documents given",
                        ),
                    });
            }
            Text::Spooled(path) => path,
        };
        let text = std::fs::read(path).map_err(|source| ReportError::Spool {
            path: path.clone(),
            source,
        })?;
        serde_json::from_slice(&text)
            .map(Cow::Owned)
            .map_err(|e| ReportError::Spool {
                path: path.clone(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidData, e),
            })
    }

    /// Deletes the spooled text once its page is written.
    pub fn remove(&self) {
        if let Text::Spooled(path) = &self.text {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// The anchor of each provision of `document` whose normal form is one of
/// `normalized` (those of its findings), by normal form (the first provision of a normal form wins).
fn anchors<'f>(
    document: &Document,
    normalized: impl Iterator<Item = &'f str>,
) -> Vec<(String, String)> {
    let wanted: std::collections::HashSet<&str> = normalized.collect();
    let mut anchors: Vec<(String, String)> = Vec::new();
    for (normalized, id) in model::anchors_of(document) {
        if wanted.contains(normalized) && !anchors.iter().any(|(n, _)| n == normalized) {
            anchors.push((normalized.to_string(), id));
        }
    }
    anchors
}

/// Where the documents go while a scan runs; cheap to clone for workers.
#[derive(Debug, Clone)]
pub struct SpoolFolder {
    dir: PathBuf,
    next: Arc<AtomicUsize>,
}

impl SpoolFolder {
    /// Writes one document (on any thread) and keeps what the overview needs.
    pub fn spool(
        &self,
        document: &Document,
        findings: &[Finding],
    ) -> Result<SpooledDocument, ReportError> {
        let n = self.next.fetch_add(1, Ordering::Relaxed);
        let path = self.dir.join(format!("{n}.json"));
        // A scratch file: not synced to disk, nor written under a temporary
        // name (a run that stops removes the spool, or the next one does).
        let write = || -> std::io::Result<()> {
            let mut out = std::io::BufWriter::new(std::fs::File::create(&path)?);
            serde_json::to_writer(&mut out, document).map_err(std::io::Error::other)?;
            std::io::Write::flush(&mut out)
        };
        write().map_err(|source| ReportError::Spool {
            path: path.clone(),
            source,
        })?;
        Ok(SpooledDocument {
            file: document.file.clone(),
            title: document.title.clone(),
            number: document.number.clone(),
            kind: document.kind,
            anchors: anchors(document, findings.iter().map(|f| f.normalized.as_str())),
            text: Text::Spooled(path),
        })
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
        let mut spool = Spool::create(out.path()).expect("spool");
        let original = document();
        let spooled = spool.folder().spool(&original, &[]).expect("spooled");
        assert_eq!(*spooled.read(&[]).expect("read back"), original);
        assert!(spooled.anchors.is_empty(), "no finding, no anchor kept");
        spool.add(spooled);
        let folder = out.path().join(SPOOL_NAME);
        assert!(folder.is_dir());
        drop(spool);
        assert!(!folder.exists(), "the spool is removed with it");
        assert!(out.path().is_dir(), "the output folder stays");
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
