//! Export for OpenSearch and Elasticsearch 8 (`tenken export --format
//! opensearch`), for corpora that outgrow one machine.
//!
//! Into the output folder go one mapping file per index
//! (`provisions.mapping.json`, `findings.mapping.json`: settings with the
//! kuromoji and bigram analyzers, and the mappings; see [`mapping`]) and the
//! documents as bulk-API NDJSON (`provisions-0001.ndjson` …,
//! `findings-0001.ndjson` …), split so that no file passes a size limit.
//! Provision documents are the units and ids of tenken's own index
//! (`structure::units`) with the same fields; finding documents are the findings of `tenken scan`,
//! linked to their provision by `provision_id`.
//!
//! Files are read, structured and matched in parallel a chunk at a time and
//! their documents written as they come, so memory does not grow with the
//! corpus. A file that cannot be read is reported and the others go on.

mod bulk;
mod documents;
pub mod mapping;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use std::collections::HashMap;
use std::sync::Arc;

use crate::matching::{Finding, MatchError, Matcher};
use crate::output::write_atomically;
use crate::pipeline::{self, Outcome, UnreadableFile};
use crate::reading::files::{Candidate, Collected, Source, candidates, walk_failures};
use crate::rules::RuleSet;
use crate::structure::Document;
use bulk::BulkWriter;
use documents::{FileEntries, file_entries};

/// The size limit of one bulk file when none is given: 50 MiB, half of the
/// default `http.max_content_length` of OpenSearch and Elasticsearch.
pub const DEFAULT_MAX_BYTES: u64 = 50 << 20;
/// The smallest size limit accepted.
pub const MIN_MAX_BYTES: u64 = 1024;
/// The index name prefix when none is given.
pub const DEFAULT_INDEX_PREFIX: &str = "tenken";
/// The mapping file of the provisions index.
pub const PROVISIONS_MAPPING: &str = "provisions.mapping.json";
/// The mapping file of the findings index.
pub const FINDINGS_MAPPING: &str = "findings.mapping.json";
/// The stem of the provisions' bulk files (`provisions-0001.ndjson`).
pub const PROVISIONS_STEM: &str = "provisions";
/// The stem of the findings' bulk files (`findings-0001.ndjson`).
pub const FINDINGS_STEM: &str = "findings";

/// Why an export failed (a file that cannot be read is not an error: it is
/// listed in [`ExportReport::failures`]).
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    /// The index prefix would not make a valid index name.
    #[error("--index-prefix '{prefix}': {reason}")]
    IndexPrefix {
        prefix: String,
        reason: &'static str,
    },
    /// The size limit is too small to be useful.
    #[error("--max-bytes {given}: must be at least {MIN_MAX_BYTES}")]
    MaxBytes { given: u64 },
    /// One document alone is larger than the size limit.
    #[error(
        "document {id} takes {bytes} bytes in a bulk file, more than --max-bytes {max}: raise --max-bytes"
    )]
    TooLarge { id: String, bytes: u64, max: u64 },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Match(#[from] MatchError),
    #[error("cannot write a document as JSON: {0}")]
    Json(#[from] serde_json::Error),
}

impl ExportError {
    /// True when the command itself was wrong (exit code 2), not the run.
    pub fn is_usage(&self) -> bool {
        matches!(
            self,
            ExportError::IndexPrefix { .. } | ExportError::MaxBytes { .. }
        )
    }
}

/// What to export where.
#[derive(Debug, Clone)]
pub struct ExportOptions {
    /// The output folder (created when absent).
    pub out: PathBuf,
    /// Indices are `<prefix>-provisions` and `<prefix>-findings`.
    pub index_prefix: String,
    /// No bulk file is longer than this.
    pub max_bytes: u64,
    /// How long one file may take to read and match before it is given up
    /// (reported as failed; the others go on).
    pub file_timeout: Duration,
}

impl ExportOptions {
    pub fn provisions_index(&self) -> String {
        format!("{}-{PROVISIONS_STEM}", self.index_prefix)
    }

    pub fn findings_index(&self) -> String {
        format!("{}-{FINDINGS_STEM}", self.index_prefix)
    }

    /// Checks the prefix and the size limit; [`export_files`] does it before
    /// anything is written, and the command before the folders are walked.
    /// (The prefix names the indices inside the bulk files, never a file: the
    /// files written are the fixed names of this module, in `out`.)
    pub fn check(&self) -> Result<(), ExportError> {
        if let Err(reason) = check_prefix(&self.index_prefix) {
            return Err(ExportError::IndexPrefix {
                prefix: self.index_prefix.clone(),
                reason,
            });
        }
        if self.max_bytes < MIN_MAX_BYTES {
            return Err(ExportError::MaxBytes {
                given: self.max_bytes,
            });
        }
        Ok(())
    }
}

/// What one export did.
#[derive(Debug, Clone, Default)]
pub struct ExportReport {
    /// Files found under the paths given.
    pub files_seen: usize,
    /// Files read, structured and matched.
    pub files_read: usize,
    /// Files that could not be read, with the reason.
    pub failures: Vec<UnreadableFile>,
    /// Provision documents written.
    pub provisions: u64,
    /// Finding documents written.
    pub findings: u64,
    /// Every file written: the two mapping files, then the bulk files.
    pub written: Vec<PathBuf>,
    pub elapsed: Duration,
}

/// Exports the files found under the paths given ([`Collected::walk`]) into
/// `options.out`; problems met while walking count as failures. `progress`
/// is called once per file read, with its path.
pub fn export_files(
    files: &Collected,
    rules: &RuleSet,
    options: &ExportOptions,
    progress: &(dyn Fn(&Path) + Sync),
) -> Result<ExportReport, ExportError> {
    let started = Instant::now();
    options.check()?;
    let out = options.out.as_path();
    std::fs::create_dir_all(out).map_err(|source| ExportError::Io {
        path: out.to_path_buf(),
        source,
    })?;
    let report = ExportReport {
        written: write_mappings(out)?,
        ..ExportReport::default()
    };
    let matcher = Matcher::new(rules, None)?;
    let mut report = report;
    report.failures = walk_failures(files);
    let candidates = candidates(&files.sources);
    report.files_seen = candidates.len();
    let writers = Writers {
        provisions: BulkWriter::new(
            out,
            PROVISIONS_STEM,
            &options.provisions_index(),
            options.max_bytes,
        ),
        findings: BulkWriter::new(
            out,
            FINDINGS_STEM,
            &options.findings_index(),
            options.max_bytes,
        ),
    };
    let keys: HashMap<PathBuf, String> = candidates
        .iter()
        .map(|c| (c.source.path.clone(), c.key.clone()))
        .collect();
    let collections = crate::index::build::collections(&candidates, &files.roots, None);
    let mut sink = ExportSink {
        work: ExportWork {
            keys: Arc::new(keys),
            collections: Arc::new(collections),
        },
        writers,
        report,
    };
    let sources: Vec<Source> = candidates.into_iter().map(|c| c.source).collect();
    let run = pipeline::Options {
        budget: options.file_timeout,
        progress: &|source| progress(&source.path),
        ordered: true,
    };
    pipeline::run(&sources, &matcher, run, &mut sink)?;
    let ExportSink {
        writers,
        mut report,
        ..
    } = sink;
    report.provisions = writers.provisions.documents();
    report.findings = writers.findings.documents();
    report.written.extend(writers.provisions.finish()?);
    report.written.extend(writers.findings.finish()?);
    report.elapsed = started.elapsed();
    Ok(report)
}

/// The two bulk writers.
struct Writers {
    provisions: BulkWriter,
    findings: BulkWriter,
}

impl Writers {
    fn add(&mut self, entries: FileEntries) -> Result<(), ExportError> {
        for entry in entries.provisions {
            self.provisions.add(&entry.id, &entry.source)?;
        }
        for entry in entries.findings {
            self.findings.add(&entry.id, &entry.source)?;
        }
        Ok(())
    }
}

/// The per-file work of an export: the bulk entries of a file's provisions
/// and findings.
#[derive(Clone)]
struct ExportWork {
    /// Each file's key (its canonical path), by its path.
    keys: Arc<HashMap<PathBuf, String>>,
    /// Each file's collection (the name of the folder given), by its path.
    collections: Arc<HashMap<PathBuf, String>>,
}

impl pipeline::Work for ExportWork {
    type Output = FileEntries;

    fn prepare(
        &self,
        source: &Source,
        _hash: &str,
        document: Document,
        findings: Vec<Finding>,
    ) -> Result<FileEntries, String> {
        let candidate = Candidate {
            source: source.clone(),
            key: self
                .keys
                .get(&source.path)
                .cloned()
                .unwrap_or_else(|| source.path.display().to_string()),
        };
        let collection = self
            .collections
            .get(&source.path)
            .map_or("", String::as_str);
        file_entries(&document, &candidate, collection, &findings).map_err(|e| e.to_string())
    }
}

/// The bulk writers as the pipeline's sink.
struct ExportSink {
    work: ExportWork,
    writers: Writers,
    report: ExportReport,
}

impl pipeline::Sink for ExportSink {
    type Work = ExportWork;
    type Error = ExportError;

    fn work(&self) -> ExportWork {
        self.work.clone()
    }

    fn accept(
        &mut self,
        source: &Source,
        outcome: Outcome<FileEntries>,
    ) -> Result<(), ExportError> {
        match outcome {
            Outcome::Prepared(entries) => {
                self.writers.add(entries)?;
                self.report.files_read += 1;
            }
            Outcome::Unchanged => {}
            Outcome::Failed(failure) => self.report.failures.push(UnreadableFile {
                file: source.name.clone(),
                reason: failure.reason(),
            }),
        }
        Ok(())
    }
}

/// Writes the two mapping files (pretty JSON), each atomically.
fn write_mappings(out: &Path) -> Result<Vec<PathBuf>, ExportError> {
    let mut written = Vec::new();
    for (name, body) in [
        (PROVISIONS_MAPPING, mapping::provisions_mapping()),
        (FINDINGS_MAPPING, mapping::findings_mapping()),
    ] {
        let path = out.join(name);
        write_atomically(&path, |w| {
            serde_json::to_writer_pretty(&mut *w, &body)?;
            w.write_all(b"\n")
        })
        .map_err(|source| ExportError::Io {
            path: path.clone(),
            source,
        })?;
        written.push(path);
    }
    Ok(written)
}

/// Why a prefix would not make a valid OpenSearch / Elasticsearch index name.
fn check_prefix(prefix: &str) -> Result<(), &'static str> {
    if prefix.is_empty() {
        return Err("must not be empty");
    }
    if prefix.len() > 200 {
        return Err("must be at most 200 bytes long");
    }
    if prefix.starts_with(['-', '_', '+', '.']) {
        return Err("must not start with -, _, + or .");
    }
    if prefix.chars().any(|c| c.is_uppercase()) {
        return Err("must be lowercase");
    }
    let forbidden = ['\\', '/', '*', '?', '"', '<', '>', '|', ' ', ',', '#', ':'];
    if prefix
        .chars()
        .any(|c| forbidden.contains(&c) || c.is_control())
    {
        return Err("must not contain \\ / * ? \" < > | , # : or spaces");
    }
    Ok(())
}

/// Parses a size: bytes, or a number with K, M or G (binary: 1K = 1024),
/// optionally followed by B or iB (`50M`, `512KiB`, `1048576`).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("'{text}' is not a size (try 50M, 512K or 1048576)"))?;
    let shift = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 0,
        "k" | "kb" | "kib" => 10,
        "m" | "mb" | "mib" => 20,
        "g" | "gb" | "gib" => 30,
        _ => return Err(format!("'{text}': unknown unit (use K, M or G)")),
    };
    number
        .checked_mul(1 << shift)
        .ok_or_else(|| format!("'{text}' is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_with_binary_units() {
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert_eq!(parse_size("50M"), Ok(DEFAULT_MAX_BYTES));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("2GiB"), Ok(2 << 30));
        assert_eq!(parse_size("64 KB"), Ok(64 << 10));
        assert!(parse_size("").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("5X").is_err());
        assert!(parse_size("99999999999999999999G").is_err());
    }

    #[test]
    fn prefixes_must_make_valid_index_names() {
        assert!(check_prefix("tenken").is_ok());
        assert!(check_prefix("tokyo-2025_v2").is_ok());
        for bad in ["", "Tenken", "_x", "-x", "a b", "a/b", "a*", "a,b", "a:b"] {
            assert!(check_prefix(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn prefixes_with_path_syntax_are_refused() {
        for bad in [
            ".",
            "..",
            "../escape",
            "a/../../escape",
            "/tmp/escape",
            "a\\..\\..\\escape",
            "c:escape",
            "./x",
            "x\0y",
            "x\ny",
        ] {
            assert!(check_prefix(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn every_file_written_has_a_fixed_name_in_the_output_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let options = ExportOptions {
            out: out.clone(),
            // Accepted as an index name; it must not reach a file name.
            index_prefix: "x..y".into(),
            max_bytes: DEFAULT_MAX_BYTES,
            file_timeout: crate::reading::budget::DEFAULT_FILE_TIMEOUT,
        };
        let mut writers = Writers {
            provisions: BulkWriter::new(
                &out,
                PROVISIONS_STEM,
                &options.provisions_index(),
                MIN_MAX_BYTES,
            ),
            findings: BulkWriter::new(
                &out,
                FINDINGS_STEM,
                &options.findings_index(),
                MIN_MAX_BYTES,
            ),
        };
        std::fs::create_dir_all(&out).expect("out");
        let mut written = write_mappings(&out).expect("mappings");
        let doc = format!("{{\"text\":\"{}\"}}", "z".repeat(400));
        for n in 0..6 {
            let id = format!("../../escape-{n}");
            writers.provisions.add(&id, &doc).expect("adds");
            writers.findings.add(&id, &doc).expect("adds");
        }
        written.extend(writers.provisions.finish().expect("finishes"));
        written.extend(writers.findings.finish().expect("finishes"));
        assert!(written.len() > 4, "{written:?}");
        for path in &written {
            assert_eq!(path.parent(), Some(out.as_path()), "{}", path.display());
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .expect("a UTF-8 name");
            let numbered = [PROVISIONS_STEM, FINDINGS_STEM].iter().any(|stem| {
                name.strip_prefix(stem)
                    .and_then(|n| n.strip_prefix('-'))
                    .and_then(|n| n.strip_suffix(".ndjson"))
                    .is_some_and(|n| n.len() == 4 && n.bytes().all(|b| b.is_ascii_digit()))
            });
            assert!(
                numbered || name == PROVISIONS_MAPPING || name == FINDINGS_MAPPING,
                "{name}"
            );
        }
        let beside: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(beside, ["out"]);
    }

    #[test]
    fn bad_options_are_usage_errors_and_write_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let rules = RuleSet::built_in().expect("built-in rules");
        for (prefix, max_bytes) in [("BAD", DEFAULT_MAX_BYTES), ("tenken", 10)] {
            let options = ExportOptions {
                out: out.clone(),
                index_prefix: prefix.into(),
                max_bytes,
                file_timeout: crate::reading::budget::DEFAULT_FILE_TIMEOUT,
            };
            let error = export_files(&Collected::default(), &rules, &options, &|_| {})
                .expect_err("refused");
            assert!(error.is_usage(), "{error}");
            assert!(!out.exists());
        }
    }
}
