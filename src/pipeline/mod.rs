//! The pipeline: the one driver from files to outputs, used by every command
//! that reads 例規 (scan, report, index, export, diff).
//!
//! For each file, on a rayon worker and within the per-file time budget
//! (`reading::budget`): bytes are read, asked whether they need reading at
//! all ([`Work::unchanged`]), turned into a `Document` (`reading`,
//! `structure`), matched (`matching`) and turned into what the output needs
//! ([`Work::prepare`]). Each file's [`Outcome`] then goes to the [`Sink`]:
//! either on the calling thread in the order of the sources, a chunk of files
//! at a time (outputs come out the same on every run, and no more than a
//! chunk of prepared files is held at once), or as each file finishes (no
//! worker waits for a slow file). Progress is counted here, once per file
//! (`progress` draws the bar).
//!
//! A sink is an output: the scan journal and the report spool (`scan`), the
//! index writer, the bulk files of `export`, a side of `diff`.

pub mod progress;

use std::sync::Mutex;
use std::time::Duration;

use rayon::prelude::*;

use crate::hashing::content_hash;
use crate::matching::{Finding, MatchError, Matcher};
use crate::reading::budget::within;
use crate::reading::files::Source;
use crate::reading::{FileError, ReadError, read_bytes};
use crate::structure::Document;

/// Files prepared together before their outcomes go to the sink (bounds the
/// memory held by prepared outputs, such as pre-tokenized index documents).
pub const CHUNK_FILES: usize = 32;

/// The per-file work of an output, cloned for each file's worker thread
/// (so it owns what it needs, cheaply: share big parts behind an `Arc`).
pub trait Work: Clone + Send + Sync + 'static {
    /// What one file gives the sink.
    type Output: Send + 'static;

    /// True when the file need not be read again (its content hash is that
    /// of a previous run); the sink is then told [`Outcome::Unchanged`].
    fn unchanged(&self, _source: &Source, _hash: &str) -> bool {
        false
    }

    /// Turns a document and its findings into the output's part.
    fn prepare(
        &self,
        source: &Source,
        hash: &str,
        document: Document,
        findings: Vec<Finding>,
    ) -> Result<Self::Output, String>;
}

/// An output that takes files' outcomes, in the sources' order.
pub trait Sink {
    type Work: Work;
    type Error;

    /// The work to run on each file.
    fn work(&self) -> Self::Work;

    /// True when the file is done already and need not even be opened (an
    /// interrupted scan's journal has it); the sink is told nothing of it.
    fn done(&self, _source: &Source) -> bool {
        false
    }

    /// Takes one file's outcome.
    fn accept(
        &mut self,
        source: &Source,
        outcome: Outcome<<Self::Work as Work>::Output>,
    ) -> Result<(), Self::Error>;
}

/// What became of one file.
#[derive(Debug)]
pub enum Outcome<T> {
    Prepared(T),
    /// Its content is that of a previous run ([`Work::unchanged`]).
    Unchanged,
    Failed(FileFailure),
}

/// Why one file gave nothing; every message starts with the file.
#[derive(Debug, thiserror::Error)]
pub enum FileFailure {
    /// It could not be read, was not a 例規, or took longer than the budget.
    #[error(transparent)]
    Read(#[from] FileError),
    #[error("{file}: ルールとの照合に失敗しました (matching failed: {error})")]
    Match { file: String, error: MatchError },
    /// The output could not be made from it.
    #[error("{file}: {message}")]
    Output { file: String, message: String },
}

impl FileFailure {
    /// The file, as named in outputs.
    pub fn file(&self) -> &str {
        match self {
            FileFailure::Read(e) => &e.file,
            FileFailure::Match { file, .. } | FileFailure::Output { file, .. } => file,
        }
    }

    /// Why, without the file's name.
    pub fn reason(&self) -> String {
        match self {
            FileFailure::Read(e) => e.error.to_string(),
            FileFailure::Match { error, .. } => {
                format!("ルールとの照合に失敗しました (matching failed: {error})")
            }
            FileFailure::Output { message, .. } => message.clone(),
        }
    }
}

pub use crate::reading::files::UnreadableFile;

/// How the driver runs.
#[derive(Clone, Copy)]
pub struct Options<'a> {
    /// How long one file may take.
    pub budget: Duration,
    /// Called once per file finished or skipped (from any thread).
    pub progress: &'a (dyn Fn(&Source) + Sync),
    /// Hand outcomes to the sink in the sources' order (else as files finish).
    pub ordered: bool,
}

/// Runs every source through `matcher` and the sink's work, handing each
/// outcome to `sink`: in the sources' order, a chunk at a time, when
/// `options.ordered`; else as each file finishes (no worker then waits at
/// the end of a chunk for a slow file, which costs a scan about a fifth of
/// its time on two cores). Stops at the sink's first error.
pub fn run<S>(
    sources: &[Source],
    matcher: &Matcher,
    options: Options<'_>,
    sink: &mut S,
) -> Result<(), S::Error>
where
    S: Sink + Sync + Send,
    S::Error: Send,
{
    if options.ordered {
        run_in_order(sources, matcher, options, sink)
    } else {
        run_as_finished(sources, matcher, options, sink)
    }
}

fn run_in_order<S: Sink + Sync>(
    sources: &[Source],
    matcher: &Matcher,
    options: Options<'_>,
    sink: &mut S,
) -> Result<(), S::Error> {
    let work = sink.work();
    for chunk in sources.chunks(CHUNK_FILES) {
        let shared: &S = sink;
        let outcomes: Vec<Option<Outcome<<S::Work as Work>::Output>>> = chunk
            .par_iter()
            .map(|source| {
                let outcome =
                    (!shared.done(source)).then(|| one(source, matcher, &work, options.budget));
                (options.progress)(source);
                outcome
            })
            .collect();
        for (source, outcome) in chunk.iter().zip(outcomes) {
            if let Some(outcome) = outcome {
                sink.accept(source, outcome)?;
            }
        }
    }
    Ok(())
}

fn run_as_finished<S>(
    sources: &[Source],
    matcher: &Matcher,
    options: Options<'_>,
    sink: &mut S,
) -> Result<(), S::Error>
where
    S: Sink + Send,
    S::Error: Send,
{
    let work = sink.work();
    let sink = Mutex::new(sink);
    let failed: Mutex<Option<S::Error>> = Mutex::new(None);
    sources.par_iter().for_each(|source| {
        let stopped = locked(&failed).is_some();
        let done = stopped || locked(&sink).done(source);
        if !done {
            let outcome = one(source, matcher, &work, options.budget);
            if let Err(e) = locked(&sink).accept(source, outcome) {
                locked(&failed).get_or_insert(e);
            }
        }
        (options.progress)(source);
    });
    match failed.into_inner().unwrap_or_else(|e| e.into_inner()) {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// Locks a mutex, taking the value even if a worker panicked while holding it.
fn locked<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Reads, matches and prepares one file on the budget's worker thread.
pub fn one<W: Work>(
    source: &Source,
    matcher: &Matcher,
    work: &W,
    budget: Duration,
) -> Outcome<W::Output> {
    let (owned, matcher, work) = (source.clone(), matcher.clone(), work.clone());
    within(budget, move || prepare(&owned, &matcher, &work)).unwrap_or_else(|error| {
        Outcome::Failed(FileFailure::Read(FileError {
            file: source.name.clone(),
            error: ReadError::Budget(error),
        }))
    })
}

fn prepare<W: Work>(source: &Source, matcher: &Matcher, work: &W) -> Outcome<W::Output> {
    let read_error = |error: ReadError| {
        Outcome::Failed(FileFailure::Read(FileError {
            file: source.name.clone(),
            error,
        }))
    };
    let bytes = match std::fs::read(&source.path) {
        Ok(bytes) => bytes,
        Err(e) => return read_error(ReadError::Io(e)),
    };
    let hash = content_hash(&bytes);
    if work.unchanged(source, &hash) {
        return Outcome::Unchanged;
    }
    let document = match read_bytes(&bytes, &source.name) {
        Ok(document) => document,
        Err(e) => return read_error(e),
    };
    drop(bytes);
    let findings = match matcher.scan(&document) {
        Ok(findings) => findings,
        Err(error) => {
            return Outcome::Failed(FileFailure::Match {
                file: source.name.clone(),
                error,
            });
        }
    };
    match work.prepare(source, &hash, document, findings) {
        Ok(output) => Outcome::Prepared(output),
        Err(message) => Outcome::Failed(FileFailure::Output {
            file: source.name.clone(),
            message,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;
    use std::path::Path;

    /// The per-file work of the tests: the document's title and its number
    /// of findings.
    #[derive(Clone)]
    struct Titles {
        /// Files whose content hash is "seen before".
        unchanged: Vec<String>,
    }

    impl Work for Titles {
        type Output = (String, usize);

        fn unchanged(&self, _source: &Source, hash: &str) -> bool {
            self.unchanged.iter().any(|h| h == hash)
        }

        fn prepare(
            &self,
            _source: &Source,
            _hash: &str,
            document: Document,
            findings: Vec<Finding>,
        ) -> Result<(String, usize), String> {
            if document.title.contains("失敗") {
                return Err("this output refuses it".to_string());
            }
            Ok((document.title, findings.len()))
        }
    }

    /// Collects what the driver hands over, in order.
    struct Collect {
        work: Titles,
        done: Vec<String>,
        seen: Vec<String>,
    }

    impl Sink for Collect {
        type Work = Titles;
        type Error = String;

        fn work(&self) -> Titles {
            self.work.clone()
        }

        fn done(&self, source: &Source) -> bool {
            self.done.contains(&source.name)
        }

        fn accept(
            &mut self,
            source: &Source,
            outcome: Outcome<(String, usize)>,
        ) -> Result<(), String> {
            let line = match outcome {
                Outcome::Prepared((title, n)) => format!("{}: {title} ({n})", source.name),
                Outcome::Unchanged => format!("{}: unchanged", source.name),
                Outcome::Failed(e) => format!("{}: failed: {}", e.file(), e.reason()),
            };
            self.seen.push(line);
            if source.name == "stop.txt" {
                return Err("the sink stops".to_string());
            }
            Ok(())
        }
    }

    fn write(dir: &Path, name: &str, text: &[u8]) -> Source {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        Source {
            path,
            name: name.to_string(),
        }
    }

    fn matcher() -> Matcher {
        let rules = RuleSet::built_in().expect("built-in rules");
        Matcher::new(&rules, None).expect("matcher")
    }

    fn run_all(
        sources: &[Source],
        sink: &mut Collect,
        ordered: bool,
    ) -> (Result<(), String>, usize) {
        let count = std::sync::atomic::AtomicUsize::new(0);
        let options = Options {
            budget: Duration::from_secs(30),
            progress: &|_| {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            },
            ordered,
        };
        let result = run(sources, &matcher(), options, sink);
        (result, count.into_inner())
    }

    /// More files than a chunk, so that order holds across chunks, a file
    /// that cannot be decoded, one the output refuses and one that is missing.
    fn files(dir: &Path) -> Vec<Source> {
        let mut sources = Vec::new();
        // More files than a chunk, so that order holds across chunks.
        for i in 0..(CHUNK_FILES + 5) {
            let text =
                format!("第{i}号の規則\n\n第一条　申請者は、申請書を提出しなければならない。\n");
            sources.push(write(dir, &format!("{i:02}.txt"), text.as_bytes()));
        }
        sources.push(write(dir, "bad.txt", &[0xff, 0xfe, 0x00, 0xd8, 0x00]));
        sources.push(write(
            dir,
            "refused.txt",
            "失敗する規則\n\n第一条　この規則は、公布の日から施行する。\n".as_bytes(),
        ));
        sources.push(Source {
            path: dir.join("missing.txt"),
            name: "missing.txt".to_string(),
        });
        sources
    }

    #[test]
    fn outcomes_come_in_the_sources_order_with_failures_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sources = files(dir.path());
        let mut sink = Collect {
            work: Titles {
                unchanged: Vec::new(),
            },
            done: vec!["03.txt".to_string()],
            seen: Vec::new(),
        };
        let (result, progress) = run_all(&sources, &mut sink, true);
        assert_eq!(result, Ok(()));
        assert_eq!(progress, sources.len(), "every file counts, even one done");
        assert_eq!(
            sink.seen.len(),
            sources.len() - 1,
            "03.txt was done already"
        );
        assert!(
            sink.seen[0].starts_with("00.txt: 第0号の規則 ("),
            "{:?}",
            sink.seen
        );
        assert!(sink.seen[3].starts_with("04.txt: "), "{:?}", sink.seen);
        let last = &sink.seen[sink.seen.len() - 3..];
        assert!(last[0].starts_with("bad.txt: failed: "), "{last:?}");
        assert_eq!(last[1], "refused.txt: failed: this output refuses it");
        assert!(last[2].starts_with("missing.txt: failed: "), "{last:?}");
    }

    #[test]
    fn unchanged_files_are_not_read_and_a_sink_error_stops_the_run() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "ある規則\n\n第一条　この規則は、公布の日から施行する。\n";
        let sources = vec![
            write(dir.path(), "same.txt", text.as_bytes()),
            write(
                dir.path(),
                "stop.txt",
                "別の規則\n\n第一条　施行する。\n".as_bytes(),
            ),
            write(dir.path(), "after.txt", text.as_bytes()),
        ];
        let mut sink = Collect {
            work: Titles {
                unchanged: vec![content_hash(text.as_bytes())],
            },
            done: Vec::new(),
            seen: Vec::new(),
        };
        let (result, _) = run_all(&sources, &mut sink, true);
        assert_eq!(result, Err("the sink stops".to_string()));
        assert_eq!(sink.seen[0], "same.txt: unchanged");
        assert_eq!(
            sink.seen.len(),
            2,
            "nothing after the error: {:?}",
            sink.seen
        );
    }

    #[test]
    fn unordered_runs_hand_over_every_outcome_once() {
        let dir = tempfile::tempdir().expect("temp dir");
        let sources = files(dir.path());
        let collect = || Collect {
            work: Titles {
                unchanged: Vec::new(),
            },
            done: vec!["03.txt".to_string()],
            seen: Vec::new(),
        };
        let (mut ordered, mut unordered) = (collect(), collect());
        assert_eq!(run_all(&sources, &mut ordered, true).0, Ok(()));
        let (result, progress) = run_all(&sources, &mut unordered, false);
        assert_eq!(result, Ok(()));
        assert_eq!(progress, sources.len());
        unordered.seen.sort();
        ordered.seen.sort();
        assert_eq!(unordered.seen, ordered.seen);
    }

    #[test]
    fn an_unordered_run_stops_reading_after_a_sink_error() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut sources = vec![write(
            dir.path(),
            "stop.txt",
            "ある規則\n\n第一条　施行する。\n".as_bytes(),
        )];
        sources.extend(files(dir.path()));
        let mut sink = Collect {
            work: Titles {
                unchanged: Vec::new(),
            },
            done: Vec::new(),
            seen: Vec::new(),
        };
        let (result, progress) = run_all(&sources, &mut sink, false);
        assert_eq!(result, Err("the sink stops".to_string()));
        assert_eq!(progress, sources.len(), "every file is still counted");
        assert!(sink.seen.len() < sources.len(), "{:?}", sink.seen);
    }
}
