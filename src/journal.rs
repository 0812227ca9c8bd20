//! The scan journal: while `tenken scan` runs, each finished file's findings,
//! its line for the summary sheet and its citations are appended to
//! `<out>/scan-in-progress.jsonl` and dropped from memory, so memory does not
//! grow with the corpus. The checklist is then written by reading the records
//! back in checklist order ([`Record`] implements `checklist::Rows`).
//!
//! A scan that is killed leaves its journal behind. The next scan of the same
//! paths with the same rules and the same tenken finds it and reuses the files
//! it records whose size and modification time have not changed; only the
//! rest are read again. A journal that does not match (other paths, other
//! rules) is started afresh. Once the outputs are written, the journal is
//! removed.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use crate::checklist::Rows;
use crate::matching::{Finding, Scanned, Tally};
use crate::reading::files::Source;
use crate::review::{DocumentInfo, ReviewRow};
use crate::rules::RuleSet;

/// The journal's file name in the output folder.
pub const JOURNAL_NAME: &str = "scan-in-progress.jsonl";

/// Why the journal could not be written or read back; names the file.
#[derive(Debug, thiserror::Error)]
#[error(
    "{}: 点検の途中経過ファイルを読み書きできません: {}",
    path.display(),
    crate::messages::io(source)
)]
pub struct JournalError {
    pub path: PathBuf,
    pub source: std::io::Error,
}

/// The first line: what scan the journal belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Header {
    journal: String,
    version: String,
    rules: String,
    paths: Vec<String>,
}

impl Header {
    fn new(paths: &[PathBuf], rules: &RuleSet) -> Header {
        Header {
            journal: "tenken scan".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            rules: rules.fingerprint(),
            paths: paths.iter().map(|p| absolute(p)).collect(),
        }
    }
}

fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

/// When a file was last changed, as nanoseconds since 1970 (0 when unknown).
fn stamp(path: &Path) -> (u64, u128) {
    let Ok(meta) = std::fs::metadata(path) else {
        return (0, 0);
    };
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    (meta.len(), modified)
}

/// One finished file, as written to the journal.
#[derive(Serialize)]
struct EntryOut<'a> {
    path: String,
    size: u64,
    modified: u128,
    file: &'a str,
    title: &'a str,
    number: &'a Option<String>,
    doc_kind: &'a str,
    tally: Tally,
    citations: Vec<&'a str>,
    wordings: Vec<u32>,
    findings: &'a [Finding],
}

/// An entry read back for resuming: everything but the findings and citations.
#[derive(Deserialize)]
struct EntryHead {
    path: String,
    size: u64,
    modified: u128,
    file: String,
    title: String,
    number: Option<String>,
    doc_kind: String,
    tally: Tally,
}

#[derive(Deserialize)]
struct EntryFindings {
    findings: Vec<Finding>,
}

#[derive(Deserialize)]
struct EntryCitations {
    citations: Vec<String>,
    #[serde(default)]
    wordings: Vec<u32>,
}

/// Where a finished file's entry is in the journal, and its summary line.
#[derive(Debug, Clone)]
struct Done {
    offset: u64,
    len: u64,
    size: u64,
    modified: u128,
    info: DocumentInfo,
    tally: Tally,
    /// Recorded by this run, or found still current by [`Journal::has`];
    /// entries of an interrupted run that were not are left out.
    current: bool,
}

/// The journal of a running scan. Workers [`record`](Journal::record) files
/// as they finish; [`finish`](Journal::finish) gives the [`Record`].
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    writer: Mutex<Writer>,
    /// Entries by the source's path, from an interrupted run and this one.
    done: Mutex<HashMap<String, Done>>,
}

#[derive(Debug)]
struct Writer {
    file: File,
    end: u64,
}

/// What [`Journal::open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    /// No journal: a new scan.
    New,
    /// A journal of the same scan: its files can be reused.
    Resumed { files: usize },
    /// A journal of another scan (other paths, rules or version): replaced.
    Replaced,
}

impl Journal {
    /// Opens the journal in `dir` for a scan of `paths` with `rules`. An
    /// interrupted journal of the same scan is resumed unless `restart`.
    pub fn open(
        dir: &Path,
        paths: &[PathBuf],
        rules: &RuleSet,
        restart: bool,
    ) -> Result<(Journal, Opened), JournalError> {
        let path = dir.join(JOURNAL_NAME);
        let error = |source| JournalError {
            path: path.clone(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(error)?;
        let header = Header::new(paths, rules);
        let previous = if restart {
            None
        } else {
            read_previous(&path, &header).map_err(error)?
        };
        let (opened, done, end) = match previous {
            Some((done, end)) => (Opened::Resumed { files: done.len() }, done, end),
            None => {
                let opened = if path.exists() {
                    Opened::Replaced
                } else {
                    Opened::New
                };
                let mut line = serde_json::to_vec(&header).map_err(|e| error(e.into()))?;
                line.push(b'\n');
                write_new(&path, &line).map_err(error)?;
                (opened, HashMap::new(), line.len() as u64)
            }
        };
        let mut file = OpenOptions::new().write(true).open(&path).map_err(error)?;
        // Cut a line a killed run left half-written.
        file.set_len(end).map_err(error)?;
        file.seek(SeekFrom::Start(end)).map_err(error)?;
        let journal = Journal {
            path,
            writer: Mutex::new(Writer { file, end }),
            done: Mutex::new(done),
        };
        Ok((journal, opened))
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the interrupted run finished `source` and the file has not
    /// changed since (same size and modification time); if so, its entry is
    /// taken into this run's record.
    pub fn has(&self, source: &Source) -> bool {
        let key = source.path.display().to_string();
        let (size, modified) = stamp(&source.path);
        let mut done = self.done.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = done.get_mut(&key) else {
            return false;
        };
        entry.current =
            entry.size == size && entry.modified == modified && entry.info.file == source.name;
        entry.current
    }

    /// Appends a finished file. The line is built before the lock is taken and
    /// flushed at once, so a killed run loses at most the file in hand.
    pub fn record(&self, source: &Source, scanned: &Scanned) -> Result<(), JournalError> {
        let error = |source| JournalError {
            path: self.path.clone(),
            source,
        };
        let (size, modified) = stamp(&source.path);
        let tally = Tally::of(&scanned.findings);
        let entry = EntryOut {
            path: source.path.display().to_string(),
            size,
            modified,
            file: &scanned.file,
            title: &scanned.title,
            number: &scanned.number,
            doc_kind: &scanned.doc_kind,
            tally,
            citations: scanned.citations.iter().map(String::as_str).collect(),
            wordings: scanned.wordings.iter().copied().collect(),
            findings: &scanned.findings,
        };
        let mut line = serde_json::to_vec(&entry).map_err(|e| error(e.into()))?;
        line.push(b'\n');
        let offset = {
            let mut writer = self.writer.lock().unwrap_or_else(|e| e.into_inner());
            writer.file.write_all(&line).map_err(error)?;
            let offset = writer.end;
            writer.end += line.len() as u64;
            offset
        };
        let done = Done {
            offset,
            len: line.len() as u64,
            size,
            modified,
            info: DocumentInfo {
                file: scanned.file.clone(),
                title: scanned.title.clone(),
                number: scanned.number.clone(),
                doc_kind: scanned.doc_kind.clone(),
                citations: Default::default(),
                wordings: Default::default(),
            },
            tally,
            current: true,
        };
        let mut all = self.done.lock().unwrap_or_else(|e| e.into_inner());
        all.insert(entry.path, done);
        Ok(())
    }

    /// The files of `sources` the journal holds, in checklist order (by name,
    /// then as given), ready to be read back.
    pub fn finish(self, sources: &[Source]) -> Result<Record, JournalError> {
        let error = |source| JournalError {
            path: self.path.clone(),
            source,
        };
        let writer = self.writer.into_inner().unwrap_or_else(|e| e.into_inner());
        writer.file.sync_data().map_err(error)?;
        let mut done = self.done.into_inner().unwrap_or_else(|e| e.into_inner());
        let mut entries: Vec<Done> = sources
            .iter()
            .filter_map(|s| done.remove(&s.path.display().to_string()))
            .filter(|d| d.current)
            .collect();
        entries.sort_by(|a, b| a.info.file.cmp(&b.info.file));
        Ok(Record {
            path: self.path,
            entries,
        })
    }
}

/// Creates `path` holding `bytes` only.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    file.sync_data()
}

/// Reads an interrupted journal of the same scan: its entries by path and
/// where its last whole line ends. `None` when there is none or it belongs to
/// another scan.
fn read_previous(
    path: &Path,
    header: &Header,
) -> std::io::Result<Option<(HashMap<String, Done>, u64)>> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    let mut end = reader.read_until(b'\n', &mut line)? as u64;
    let same = line.ends_with(b"\n")
        && serde_json::from_slice::<Header>(&line).is_ok_and(|h| h == *header);
    if !same {
        return Ok(None);
    }
    let mut done = HashMap::new();
    loop {
        line.clear();
        let read = reader.read_until(b'\n', &mut line)? as u64;
        if read == 0 || !line.ends_with(b"\n") {
            break;
        }
        let Ok(head) = serde_json::from_slice::<EntryHead>(&line) else {
            break;
        };
        let entry = Done {
            offset: end,
            len: read,
            size: head.size,
            modified: head.modified,
            info: DocumentInfo {
                file: head.file,
                title: head.title,
                number: head.number,
                doc_kind: head.doc_kind,
                citations: Default::default(),
                wordings: Default::default(),
            },
            tally: head.tally,
            current: false,
        };
        done.insert(head.path, entry);
        end += read;
    }
    Ok(Some((done, end)))
}

/// The finished scan as recorded in the journal: a line per 例規 in memory,
/// the findings on disk until they are read back.
#[derive(Debug)]
pub struct Record {
    path: PathBuf,
    entries: Vec<Done>,
}

impl Record {
    /// The scanned 例規 in checklist order, with their citations when
    /// `citations` (a ledger merge needs them).
    pub fn documents(&self, citations: bool) -> Result<Vec<DocumentInfo>, JournalError> {
        let mut reader = self.reader()?;
        let mut out = Vec::with_capacity(self.entries.len());
        for entry in &self.entries {
            let mut info = entry.info.clone();
            if citations {
                let read: EntryCitations = self.entry(&mut reader, entry)?;
                info.citations = read.citations.into_iter().collect();
                info.wordings = read.wordings.into_iter().collect();
            }
            out.push(info);
        }
        Ok(out)
    }

    /// The bytes the recorded files take in the journal: about what their
    /// findings take in memory once read back.
    pub fn stored_bytes(&self) -> u64 {
        self.entries.iter().map(|e| e.len).sum()
    }

    /// Every finding, in checklist order.
    pub fn findings(&self) -> Result<Vec<Finding>, JournalError> {
        let mut out = Vec::new();
        self.each_finding(&mut |f| {
            out.push(f);
            Ok(())
        })?;
        Ok(out)
    }

    /// The counts over every file.
    pub fn tally(&self) -> Tally {
        let mut all = Tally::default();
        for entry in &self.entries {
            all.merge(entry.tally);
        }
        all
    }

    /// How many 例規 were recorded.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Removes the journal once the outputs are written.
    pub fn remove(self) -> Result<(), JournalError> {
        std::fs::remove_file(&self.path).map_err(|source| JournalError {
            path: self.path.clone(),
            source,
        })
    }

    fn each_finding(
        &self,
        each: &mut dyn FnMut(Finding) -> std::io::Result<()>,
    ) -> Result<(), JournalError> {
        let mut reader = self.reader()?;
        for entry in &self.entries {
            let read: EntryFindings = self.entry(&mut reader, entry)?;
            for finding in read.findings {
                each(finding).map_err(|source| self.error(source))?;
            }
        }
        Ok(())
    }

    fn reader(&self) -> Result<BufReader<File>, JournalError> {
        File::open(&self.path)
            .map(BufReader::new)
            .map_err(|source| self.error(source))
    }

    /// Reads one entry back as `T`.
    fn entry<T: serde::de::DeserializeOwned>(
        &self,
        reader: &mut BufReader<File>,
        entry: &Done,
    ) -> Result<T, JournalError> {
        let mut read = || -> std::io::Result<T> {
            reader.seek(SeekFrom::Start(entry.offset))?;
            let len = usize::try_from(entry.len).map_err(std::io::Error::other)?;
            let mut bytes = vec![0; len];
            reader.read_exact(&mut bytes)?;
            serde_json::from_slice(&bytes).map_err(|e| {
                std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    format!(
                        "the entry of {} at byte {}: {e}",
                        entry.info.file, entry.offset
                    ),
                )
            })
        };
        read().map_err(|source| self.error(source))
    }

    fn error(&self, source: std::io::Error) -> JournalError {
        JournalError {
            path: self.path.clone(),
            source,
        }
    }
}

/// A fresh checklist straight from the journal: every finding 新規, read back
/// file by file, so only one file's findings are in memory at a time.
impl Rows for Record {
    fn visit(
        &self,
        each: &mut dyn FnMut(&ReviewRow, Option<&Finding>) -> std::io::Result<()>,
    ) -> std::io::Result<()> {
        self.each_finding(&mut |finding| {
            each(&ReviewRow::new_finding(&finding.id, 0), Some(&finding))
        })
        .map_err(|e| std::io::Error::other(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::fixtures::posting;

    fn scanned(file: &str, findings: Vec<Finding>) -> Scanned {
        Scanned {
            file: file.into(),
            title: format!("{file}の題名"),
            number: None,
            doc_kind: "条例".into(),
            bytes: 10,
            findings,
            citations: ["第1条".to_string(), "第2条".to_string()].into(),
            wordings: [1, 2].into(),
        }
    }

    /// A source file with some text, and its Source.
    fn source(dir: &Path, name: &str) -> Source {
        let path = dir.join(name);
        std::fs::write(&path, name).expect("write");
        Source {
            path,
            name: name.into(),
        }
    }

    fn rules() -> RuleSet {
        RuleSet::built_in().expect("built-in rules")
    }

    #[test]
    fn records_come_back_in_checklist_order_with_citations_on_request() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (b, a) = (source(dir.path(), "b.txt"), source(dir.path(), "a.txt"));
        let paths = [dir.path().to_path_buf()];
        let (journal, opened) = Journal::open(dir.path(), &paths, &rules(), false).expect("open");
        assert_eq!(opened, Opened::New);
        let mut second = posting();
        second.id = "second".into();
        journal
            .record(&b, &scanned("b.txt", vec![posting(), second]))
            .expect("b");
        journal.record(&a, &scanned("a.txt", vec![])).expect("a");
        let record = journal.finish(&[a, b]).expect("finish");
        let files: Vec<String> = record
            .documents(false)
            .expect("documents")
            .into_iter()
            .map(|d| d.file)
            .collect();
        assert_eq!(files, ["a.txt", "b.txt"]);
        assert!(
            record.documents(false).expect("read")[1]
                .citations
                .is_empty()
        );
        assert_eq!(record.documents(true).expect("read")[1].citations.len(), 2);
        let ids: Vec<String> = record
            .findings()
            .expect("findings")
            .into_iter()
            .map(|f| f.id)
            .collect();
        assert_eq!(ids, ["posting-0001", "second"]);
        assert_eq!(record.tally().total, 2);
        assert_eq!(record.tally().high, 2);
        let path = dir.path().join(JOURNAL_NAME);
        assert!(path.exists());
        record.remove().expect("remove");
        assert!(!path.exists());
    }

    /// A scan writes its checklist from findings held in memory when they
    /// are few, else from the journal: both give the same files.
    #[test]
    fn the_checklist_from_the_journal_is_the_checklist_from_memory() {
        use crate::checklist::{self, Held, ScanSummary};
        use crate::review::Review;
        let dir = tempfile::tempdir().expect("temp dir");
        let (b, a) = (source(dir.path(), "b.txt"), source(dir.path(), "a.txt"));
        let paths = [dir.path().to_path_buf()];
        let (journal, _) = Journal::open(dir.path(), &paths, &rules(), false).expect("open");
        let finding = |file: &str, id: &str| Finding {
            file: file.into(),
            id: id.into(),
            ..posting()
        };
        let in_b = vec![finding("b.txt", "b-1"), finding("b.txt", "b-2")];
        journal.record(&b, &scanned("b.txt", in_b)).expect("b");
        let in_a = vec![finding("a.txt", "a-1")];
        journal.record(&a, &scanned("a.txt", in_a)).expect("a");
        let record = journal.finish(&[a, b]).expect("finish");
        let findings = record.findings().expect("findings");
        let fresh = Review::fresh(&findings);
        let held = Held {
            findings: &findings,
            review: &fresh,
        };
        let rows: [&dyn checklist::Rows; 2] = [&record, &held];
        let written: Vec<Vec<Vec<u8>>> = rows
            .iter()
            .enumerate()
            .map(|(n, rows)| {
                let out = dir.path().join(format!("out{n}"));
                let summary = ScanSummary::default();
                let taxonomy = rules().taxonomy;
                checklist::write_all(&out, *rows, &Review::default(), &summary, &taxonomy)
                    .expect("written");
                let sheet = checklist::read_part(
                    &out.join(checklist::XLSX_NAME),
                    "xl/worksheets/sheet1.xml",
                )
                .expect("sheet")
                .into_bytes();
                let csv = std::fs::read(out.join(checklist::CSV_NAME)).expect("csv");
                let jsonl = std::fs::read(out.join(checklist::JSONL_NAME)).expect("jsonl");
                vec![sheet, csv, jsonl]
            })
            .collect();
        assert_eq!(written[0], written[1]);
        let jsonl = String::from_utf8_lossy(&written[0][2]).to_string();
        let ids: Vec<&str> = jsonl
            .lines()
            .filter_map(|l| l.split("\"id\":\"").nth(1))
            .collect();
        assert_eq!(ids.len(), 3);
        assert!(ids[0].starts_with("a-1"), "{jsonl}");
    }

    #[test]
    fn a_half_written_line_is_cut_and_changed_files_are_not_reused() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sources = [
            source(dir.path(), "a.txt"),
            source(dir.path(), "b.txt"),
            source(dir.path(), "c.txt"),
        ];
        let paths = [dir.path().to_path_buf()];
        let (journal, _) = Journal::open(dir.path(), &paths, &rules(), false).expect("open");
        for s in &sources[..2] {
            journal
                .record(s, &scanned(&s.name, vec![posting()]))
                .expect("record");
        }
        drop(journal);
        // A kill in the middle of a line, and a file changed since.
        let path = dir.path().join(JOURNAL_NAME);
        let mut file = OpenOptions::new().append(true).open(&path).expect("open");
        file.write_all(br#"{"path":"half"#).expect("half a line");
        std::fs::write(&sources[1].path, "changed text").expect("change");

        let (journal, opened) = Journal::open(dir.path(), &paths, &rules(), false).expect("open");
        assert_eq!(opened, Opened::Resumed { files: 2 });
        let has: Vec<bool> = sources.iter().map(|s| journal.has(s)).collect();
        assert_eq!(has, [true, false, false]);
        journal
            .record(&sources[2], &scanned("c.txt", vec![]))
            .expect("record");
        let record = journal.finish(&sources).expect("finish");
        assert_eq!(record.len(), 2, "b.txt was not read again in this test");
        let text = std::fs::read_to_string(&path).expect("journal");
        assert!(!text.contains("half"), "the broken line is cut");
        assert!(
            text.lines()
                .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
        );

        // Other rules: the journal is replaced, nothing is reused.
        let mut other = rules();
        other.rules.pop();
        let (journal, opened) = Journal::open(dir.path(), &paths, &other, false).expect("open");
        assert_eq!(opened, Opened::Replaced);
        assert!(!journal.has(&sources[0]));
        // --restart: the same.
        let (journal, opened) = Journal::open(dir.path(), &paths, &rules(), true).expect("open");
        assert_eq!(opened, Opened::Replaced);
        assert!(!journal.has(&sources[0]));
    }
}
