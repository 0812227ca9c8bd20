//! Writing and updating an index (`tenken index PATH... --index DIR`).
//!
//! Every file is hashed; a file whose hash equals the one recorded at the last
//! commit is not read again. Changed files have their provisions deleted and
//! added anew, vanished files (under the folders given, or gone from disk)
//! have theirs deleted. The per-file hashes (the manifest) travel in the
//! commit's payload, so a crash before the commit leaves the previous index
//! and its manifest as they were, and tantivy's writer lock keeps two
//! processes apart.
//!
//! Each changed file is read, structured and matched within the per-file time
//! budget (`reading::budget`); a file that takes longer counts as failed.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::directory::MmapDirectory;
use tantivy::directory::error::LockError;
use tantivy::merge_policy::LogMergePolicy;
use tantivy::schema::Facet;
use tantivy::{Index, IndexSettings, IndexWriter, TantivyDocument, TantivyError, Term};

use super::IndexError;
use super::schema::{Fields, SCHEMA_VERSION, check_schema, register_tokenizers};
use crate::matching::{Finding, Matcher, ProvisionFindings, findings_by_provision};
use crate::pipeline::{self, Outcome, UnreadableFile};
use crate::reading::budget::DEFAULT_FILE_TIMEOUT;
use crate::reading::files::{
    Candidate, Collected, Source, candidates, file_key, source_of, walk_failures,
};
use crate::rules::RuleSet;
use crate::structure::units::{TextUnit, text_units};
use crate::structure::{Document, year_of};
use crate::tokenizing::Tokenizer;

/// Memory the writer may use per indexing thread before it flushes a segment.
const WRITER_BYTES_PER_THREAD: usize = 96 << 20;

/// Segments with more provisions than this are not merged further, so the
/// largest merge joins about eight segments of the writer's flush size into
/// one of about 100,000 provisions (15 MB of text). Merges of larger
/// segments made the peak heap grow with the corpus (2.1 GB of files: 710 MB
/// with tantivy's default of 10 million, about 500 MB with this).
const MAX_DOCS_BEFORE_MERGE: usize = 50_000;

/// What one indexing run did.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IndexReport {
    /// Files found under the paths given.
    pub files_seen: usize,
    /// Files read, structured and matched (new or changed since the last run).
    pub files_read: usize,
    /// Files skipped because their content did not change.
    pub files_unchanged: usize,
    /// Files whose provisions were deleted because they are gone.
    pub files_removed: usize,
    /// Files that could not be read, with the reason (their old provisions are dropped).
    pub failures: Vec<UnreadableFile>,
    /// Provisions added in this run.
    pub provisions_added: u64,
    /// Provisions in the index after the run.
    pub provisions_total: u64,
    /// Bytes of provision text read in this run.
    pub text_bytes: u64,
    /// The folder held an index of another schema (an older tenken): it was
    /// rebuilt from scratch.
    #[serde(default)]
    pub rebuilt: bool,
    pub elapsed: Duration,
}

/// The per-file record kept in the commit payload.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
struct FileEntry {
    hash: String,
    name: String,
    /// The collection the file was indexed into.
    #[serde(default)]
    collection: String,
}

/// The commit payload: schema version, rules fingerprint and per-file hashes.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Manifest {
    version: u32,
    rules: String,
    files: BTreeMap<String, FileEntry>,
}

/// One file turned into index documents.
struct Prepared {
    entry: FileEntry,
    docs: Vec<TantivyDocument>,
    text_bytes: u64,
}

/// What turning one file into index documents needs; cloned (cheaply) for
/// each file's worker thread.
#[derive(Clone)]
struct Work {
    fields: Fields,
    /// Each file's key (its canonical path), by its path.
    keys: Arc<HashMap<PathBuf, String>>,
    /// Each file's collection, by its path.
    collections: Arc<HashMap<PathBuf, String>>,
    /// The rules' digital words (電磁的方法 …), to store those a provision has.
    digital_words: Arc<Vec<String>>,
    /// Per code, the digital words that make a provision a precedent of it
    /// (the rule file's `precedent`, else the digital words).
    precedent_words: Arc<HashMap<String, Vec<String>>>,
    previous: Arc<BTreeMap<String, FileEntry>>,
    /// The previous hashes cannot be trusted (rules or schema changed).
    reread_all: bool,
}

impl Work {
    fn key(&self, source: &Source) -> String {
        self.keys
            .get(&source.path)
            .cloned()
            .unwrap_or_else(|| file_key(&source.path))
    }

    fn collection(&self, source: &Source) -> String {
        self.collections
            .get(&source.path)
            .cloned()
            .unwrap_or_else(|| source_of(source))
    }
}

impl pipeline::Work for Work {
    type Output = Prepared;

    fn unchanged(&self, source: &Source, hash: &str) -> bool {
        !self.reread_all
            && self
                .previous
                .get(&self.key(source))
                .is_some_and(|p| p.hash == hash && p.collection == self.collection(source))
    }

    fn prepare(
        &self,
        source: &Source,
        hash: &str,
        document: Document,
        findings: Vec<Finding>,
    ) -> Result<Prepared, String> {
        let key = self.key(source);
        let (docs, text_bytes) = documents(&document, &findings, source, &key, self);
        Ok(Prepared {
            entry: FileEntry {
                hash: hash.to_string(),
                name: source.name.clone(),
                collection: self.collection(source),
            },
            docs,
            text_bytes,
        })
    }
}

/// The index writer as the pipeline's sink: each file's documents replace
/// its old ones; the manifest is committed every so often.
struct IndexSink<'a> {
    work: Work,
    writer: &'a mut IndexWriter,
    manifest: Manifest,
    report: IndexReport,
    changed: bool,
    commit_every: Duration,
    last_commit: Instant,
}

impl pipeline::Sink for IndexSink<'_> {
    type Work = Work;
    type Error = IndexError;

    fn work(&self) -> Work {
        self.work.clone()
    }

    fn accept(&mut self, source: &Source, outcome: Outcome<Prepared>) -> Result<(), IndexError> {
        let key = self.work.key(source);
        self.changed |= apply(
            source,
            &key,
            outcome,
            &self.work,
            self.writer,
            &mut self.manifest,
            &mut self.report,
        )?;
        if self.changed && self.last_commit.elapsed() >= self.commit_every {
            let manifest = so_far(&self.manifest, &self.work.previous, self.work.reread_all);
            commit(self.writer, &manifest)?;
            self.last_commit = Instant::now();
        }
        Ok(())
    }
}

/// How often a long run commits what it has indexed so far, so that an
/// interrupted run resumes where it stopped.
pub const DEFAULT_COMMIT_EVERY: Duration = Duration::from_secs(60);

/// Indexes the files found under the paths given ([`Collected::walk`]) into
/// the index folder `dir` (created when absent), reading again only files
/// that changed since the last run; problems met while walking count as
/// failures. `progress` is called once per file looked at, with its path.
/// The options are the defaults ([`IndexOptions`]).
pub fn index_files(
    dir: &Path,
    files: &Collected,
    rules: &RuleSet,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<IndexReport, IndexError> {
    index_files_with(dir, files, rules, &IndexOptions::default(), progress)
}

/// How an indexing run goes about its work.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Commit every so often (with the manifest of the files done so far): a
    /// run that is killed keeps what it committed, and the next run reads
    /// only the files it had not done.
    pub commit_every: Duration,
    /// Give up on a file that takes longer than this.
    pub budget: Duration,
    /// The collection (例規集) every file of the run goes into; `None`: each
    /// path given is a collection named after its folder.
    pub collection: Option<String>,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            commit_every: DEFAULT_COMMIT_EVERY,
            budget: DEFAULT_FILE_TIMEOUT,
            collection: None,
        }
    }
}

/// As [`index_files`], with the options given.
pub fn index_files_with(
    dir: &Path,
    files: &Collected,
    rules: &RuleSet,
    options: &IndexOptions,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<IndexReport, IndexError> {
    let (commit_every, budget) = (options.commit_every, options.budget);
    let started = Instant::now();
    let tokenizer = Tokenizer::new()?;
    let (index, fields, rebuilt) = open_or_create(dir, &tokenizer)?;
    let mut writer = acquire_writer(&index, dir)?;
    let previous = load_manifest(&index)?;
    let fingerprint = rules.fingerprint();
    let reread_all = previous.version != SCHEMA_VERSION || previous.rules != fingerprint;

    let mut report = IndexReport {
        failures: walk_failures(files),
        rebuilt,
        ..IndexReport::default()
    };
    let candidates = candidates(&files.sources);
    report.files_seen = candidates.len();
    let matcher = Matcher::new(rules, Some(tokenizer.clone()))?;
    let previous_files = Arc::new(previous.files);
    let mut sink = IndexSink {
        work: Work {
            fields,
            keys: Arc::new(
                candidates
                    .iter()
                    .map(|c| (c.source.path.clone(), c.key.clone()))
                    .collect(),
            ),
            collections: Arc::new(collections(
                &candidates,
                &files.roots,
                options.collection.as_deref(),
            )),
            digital_words: Arc::new(rules.common.digital.clone()),
            precedent_words: Arc::new(
                rules
                    .codes
                    .iter()
                    .map(|c| {
                        let words = if c.precedent.is_empty() {
                            rules.common.digital.clone()
                        } else {
                            c.precedent.clone()
                        };
                        (c.code.clone(), words)
                    })
                    .collect(),
            ),
            previous: Arc::clone(&previous_files),
            reread_all,
        },
        writer: &mut writer,
        manifest: Manifest {
            version: SCHEMA_VERSION,
            rules: fingerprint,
            files: BTreeMap::new(),
        },
        report,
        changed: false,
        commit_every,
        last_commit: Instant::now(),
    };
    let sources: Vec<Source> = candidates.iter().map(|c| c.source.clone()).collect();
    let options = pipeline::Options {
        budget,
        progress: &|source| progress(&source.path),
        ordered: true,
    };
    pipeline::run(&sources, &matcher, options, &mut sink)?;
    let IndexSink {
        mut manifest,
        mut report,
        mut changed,
        ..
    } = sink;
    let gone = vanished(&previous_files, &manifest.files, &candidates, &files.roots);
    for key in &gone {
        writer.delete_term(Term::from_field_text(fields.path, key));
    }
    report.files_removed = gone.len();
    changed |= !gone.is_empty() || reread_all;
    keep_unseen(&previous_files, &gone, &mut manifest);
    if changed {
        commit(&mut writer, &manifest)?;
    }
    writer.wait_merging_threads()?;
    // Counted from the segments' metadata: opening a reader would load every
    // segment's term dictionary index, memory that grows with the index.
    report.provisions_total = index
        .searchable_segment_metas()?
        .iter()
        .map(|meta| u64::from(meta.num_docs()))
        .sum();
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Opens the index in `dir`, or creates it (and the folder) when there is
/// none. An index of another schema (written by another version of tenken)
/// is replaced by an empty one, once its writer lock is free, and the run
/// reads every file again; true when that happened.
pub(super) fn open_or_create(
    dir: &Path,
    tokenizer: &Tokenizer,
) -> Result<(Index, Fields, bool), IndexError> {
    let (schema, fields) = Fields::build();
    let mut rebuilt = false;
    let index = if dir.join("meta.json").is_file() {
        let index = Index::open_in_dir(dir)?;
        if check_schema(&index, &schema, dir).is_ok() {
            index
        } else {
            // Nobody else may be writing the old index while it is replaced.
            drop(acquire_writer(&index, dir)?);
            rebuilt = true;
            let directory = MmapDirectory::open(dir).map_err(|e| IndexError::Io {
                path: dir.to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            })?;
            Index::create(directory, schema, IndexSettings::default())?
        }
    } else {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        Index::create_in_dir(dir, schema)?
    };
    register_tokenizers(&index, tokenizer);
    Ok((index, fields, rebuilt))
}

/// The collection of each file, by its path: the name given, else the name
/// of the folder given on the command line that holds it (for a file given
/// by itself, the folder it is in).
pub(crate) fn collections(
    candidates: &[Candidate],
    roots: &[PathBuf],
    name: Option<&str>,
) -> HashMap<PathBuf, String> {
    let roots: Vec<(PathBuf, String)> = roots
        .iter()
        .filter_map(|root| {
            let canonical = std::fs::canonicalize(root).ok()?;
            let folder = if canonical.is_dir() {
                canonical.as_path()
            } else {
                canonical.parent()?
            };
            let named = folder.file_name()?.to_string_lossy().into_owned();
            Some((canonical.clone(), named))
        })
        .collect();
    candidates
        .iter()
        .map(|c| {
            let found = name.map(str::to_string).or_else(|| {
                roots
                    .iter()
                    .filter(|(root, _)| Path::new(&c.key).starts_with(root))
                    .max_by_key(|(root, _)| root.as_os_str().len())
                    .map(|(_, named)| named.clone())
            });
            let collection = found.unwrap_or_else(|| source_of(&c.source));
            (c.source.path.clone(), collection)
        })
        .collect()
}

/// The index writer, or [`IndexError::Locked`] when another process holds it.
fn acquire_writer(index: &Index, dir: &Path) -> Result<IndexWriter, IndexError> {
    // As many indexing threads as the run has (`--threads`), at most 8.
    let threads = rayon::current_num_threads().clamp(1, 8);
    match index.writer_with_num_threads(threads, threads * WRITER_BYTES_PER_THREAD) {
        Ok(writer) => {
            let mut policy = LogMergePolicy::default();
            policy.set_max_docs_before_merge(MAX_DOCS_BEFORE_MERGE);
            writer.set_merge_policy(Box::new(policy));
            Ok(writer)
        }
        Err(TantivyError::LockFailure(LockError::LockBusy, _)) => Err(IndexError::Locked {
            dir: dir.to_path_buf(),
        }),
        Err(e) => Err(e.into()),
    }
}

/// The manifest stored with the last commit (empty for a new index).
fn load_manifest(index: &Index) -> Result<Manifest, IndexError> {
    let metas = index.load_metas()?;
    Ok(metas
        .payload
        .as_deref()
        .and_then(|p| serde_json::from_str(p).ok())
        .unwrap_or_default())
}

/// Commits everything with the manifest as the commit's payload.
fn commit(writer: &mut IndexWriter, manifest: &Manifest) -> Result<(), IndexError> {
    let payload = serde_json::to_string(manifest)
        .map_err(|e| IndexError::Tantivy(TantivyError::InternalError(e.to_string())))?;
    let mut prepared = writer.prepare_commit()?;
    prepared.set_payload(&payload);
    prepared.commit()?;
    Ok(())
}

/// Applies one file's outcome to the writer and the new manifest; true when
/// the index changed.
fn apply(
    source: &Source,
    key: &str,
    outcome: Outcome<Prepared>,
    work: &Work,
    writer: &IndexWriter,
    manifest: &mut Manifest,
    report: &mut IndexReport,
) -> Result<bool, IndexError> {
    let key_term = Term::from_field_text(work.fields.path, key);
    match outcome {
        Outcome::Unchanged => {
            report.files_unchanged += 1;
            if let Some(entry) = work.previous.get(key) {
                manifest.files.insert(key.to_string(), entry.clone());
            }
            Ok(false)
        }
        Outcome::Prepared(Prepared {
            entry,
            docs,
            text_bytes,
        }) => {
            // A file not in the last commit has no documents to replace; not
            // queueing a delete for it keeps a first build's delete queue empty.
            if work.previous.contains_key(key) {
                writer.delete_term(key_term);
            }
            report.files_read += 1;
            report.text_bytes += text_bytes;
            report.provisions_added += docs.len() as u64;
            for doc in docs {
                writer.add_document(doc)?;
            }
            manifest.files.insert(key.to_string(), entry);
            Ok(true)
        }
        Outcome::Failed(failure) => {
            if work.previous.contains_key(key) {
                writer.delete_term(key_term);
            }
            report.failures.push(UnreadableFile {
                file: source.name.clone(),
                reason: failure.reason(),
            });
            Ok(work.previous.contains_key(key))
        }
    }
}

/// Keys of the last run that are gone: under one of the folders indexed now
/// but not found there any more, or no longer on disk at all.
fn vanished(
    previous: &BTreeMap<String, FileEntry>,
    current: &BTreeMap<String, FileEntry>,
    candidates: &[Candidate],
    paths: &[PathBuf],
) -> Vec<String> {
    let seen: BTreeSet<&str> = candidates.iter().map(|c| c.key.as_str()).collect();
    let roots: Vec<PathBuf> = paths
        .iter()
        .filter(|p| p.is_dir())
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    previous
        .keys()
        .filter(|key| !seen.contains(key.as_str()) && !current.contains_key(*key))
        .filter(|key| {
            let path = Path::new(key.as_str());
            !path.exists() || roots.iter().any(|root| path.starts_with(root))
        })
        .cloned()
        .collect()
}

/// The manifest of a commit part-way through a run: the files done so far,
/// and the files of the last run not looked at yet as they were (with no
/// hash when the rules changed, so that they are read again on resuming).
fn so_far(
    manifest: &Manifest,
    previous: &BTreeMap<String, FileEntry>,
    reread_all: bool,
) -> Manifest {
    let mut files = manifest.files.clone();
    for (key, entry) in previous {
        files.entry(key.clone()).or_insert_with(|| FileEntry {
            hash: if reread_all {
                String::new()
            } else {
                entry.hash.clone()
            },
            name: entry.name.clone(),
            collection: entry.collection.clone(),
        });
    }
    Manifest {
        version: manifest.version,
        rules: manifest.rules.clone(),
        files,
    }
}

/// Keeps in the manifest the files of earlier runs that were not looked at
/// this time and are still there (indexed from other folders).
fn keep_unseen(previous: &BTreeMap<String, FileEntry>, gone: &[String], manifest: &mut Manifest) {
    let gone: BTreeSet<&str> = gone.iter().map(String::as_str).collect();
    for (key, entry) in previous {
        if !gone.contains(key.as_str()) && !manifest.files.contains_key(key) {
            manifest.files.insert(key.clone(), entry.clone());
        }
    }
}

/// The index documents of a document's provisions, and the bytes of their text.
fn documents(
    document: &Document,
    findings: &[Finding],
    source: &Source,
    key: &str,
    work: &Work,
) -> (Vec<TantivyDocument>, u64) {
    let by_provision = findings_by_provision(findings);
    let shared = DocShared::new(document, source, key, work);
    let units = text_units(document);
    let mut docs = Vec::with_capacity(units.len());
    let mut bytes = 0u64;
    for unit in units {
        let found = by_provision.get(unit.provision.normalized.as_str());
        bytes += unit.provision.text.len() as u64;
        docs.push(provision_doc(&unit, found, &shared, work));
    }
    (docs, bytes)
}

/// The fields every provision of a document shares.
struct DocShared<'d> {
    document: &'d Document,
    key: &'d str,
    source: String,
    collection: String,
    year: Option<i64>,
}

impl<'d> DocShared<'d> {
    fn new(document: &'d Document, source: &Source, key: &'d str, work: &Work) -> Self {
        Self {
            document,
            key,
            source: source_of(source),
            collection: work.collection(source),
            year: year_of(document.date.as_deref()),
        }
    }
}

fn provision_doc(
    unit: &TextUnit<'_>,
    found: Option<&ProvisionFindings>,
    shared: &DocShared<'_>,
    work: &Work,
) -> TantivyDocument {
    let f = &work.fields;
    let document = shared.document;
    let provision = unit.provision;
    let mut doc = TantivyDocument::default();
    doc.add_text(f.id, unit.id(shared.key));
    doc.add_text(f.path, shared.key);
    doc.add_text(f.file, &document.file);
    doc.add_text(f.text, &provision.text);
    doc.add_text(f.gram, &provision.text);
    doc.add_text(f.title, &document.title);
    doc.add_text(f.title_gram, &document.title);
    doc.add_text(f.title_words, &document.title);
    doc.add_facet(f.kind, Facet::from_path([document.kind.japanese()]));
    if let Some(number) = &document.number {
        doc.add_text(f.number, number);
    }
    if let Some(date) = &document.date {
        doc.add_text(f.date, date);
    }
    if let Some(year) = shared.year {
        doc.add_i64(f.year, year);
    }
    if !shared.source.is_empty() {
        doc.add_facet(f.source, Facet::from_path([shared.source.as_str()]));
    }
    if !shared.collection.is_empty() {
        doc.add_facet(f.collection, Facet::from_path([shared.collection.as_str()]));
    }
    doc.add_text(f.citation, &provision.citation);
    doc.add_text(f.normalized, &provision.normalized);
    if let Some(caption) = unit.caption {
        doc.add_text(f.caption, caption);
        doc.add_text(f.caption_words, caption);
        doc.add_text(f.caption_gram, caption);
    }
    let empty = ProvisionFindings::default();
    let found = found.unwrap_or(&empty);
    for code in &found.codes {
        doc.add_facet(f.codes, Facet::from_path([code.as_str()]));
    }
    for rule in &found.rules {
        doc.add_text(f.rules, rule);
    }
    doc.add_bool(f.digital, found.digital);
    add_findings(&mut doc, f, found, &provision.text, work);
    doc
}

/// The fields of a provision's findings: per-code 優先度 and digital flags,
/// the finding ids, and the digital words its text has.
fn add_findings(
    doc: &mut TantivyDocument,
    f: &Fields,
    found: &ProvisionFindings,
    text: &str,
    work: &Work,
) {
    for (code, priority) in &found.priorities {
        doc.add_facet(
            f.found,
            Facet::from_path([code.as_str(), priority.japanese()]),
        );
    }
    for code in &found.digital_codes {
        doc.add_text(f.digital_codes, code);
    }
    for (id, code) in &found.findings {
        doc.add_text(f.findings, id);
        doc.add_text(f.finding_codes, format!("{id} {code}"));
    }
    if !found.digital {
        return;
    }
    let own: Vec<&String> = work
        .digital_words
        .iter()
        .filter(|w| text.contains(w.as_str()))
        .collect();
    for word in &own {
        doc.add_text(f.digital_words, word.as_str());
    }
    for code in &found.digital_codes {
        let shows = work
            .precedent_words
            .get(code)
            .is_some_and(|words| words.iter().any(|w| text.contains(w.as_str())));
        if shows {
            doc.add_text(f.precedent_codes, code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_source_is_the_first_folder_of_the_name() {
        let source = Source {
            path: PathBuf::from("x/tokyo-wards/a/b.txt"),
            name: "tokyo-wards/a/b.txt".into(),
        };
        assert_eq!(source_of(&source), "tokyo-wards");
    }
}
