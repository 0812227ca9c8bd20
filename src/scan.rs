//! The flow of `tenken scan` (the checklist, and the report with --html) and
//! `tenken report` (the report alone), here in the library so that tests can
//! run it in-process; the command line gives it the rules and a place for
//! its messages. The order protects what reviewers wrote:
//! 1. nothing to read (no file under the paths) stops the run before the
//!    output folder is touched;
//! 2. the output folder is claimed (one scan at a time, see `out_folder`);
//! 3. the ledger (`--ledger`, else the checklist already in the folder) is
//!    read; one that cannot be read stops the run;
//! 4. the files are scanned; when none could be read, nothing is written;
//! 5. files about to be replaced that people edited are copied into
//!    `history/`, then the outputs are written (each atomically) and noted.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use crate::checklist::{self, Held, Rows, ScanSummary, UnreadableFile};
use crate::index::{SearchIndex, Target};
use crate::journal::{Journal, JournalError, Opened, Record};
use crate::ledger::{Ledger, Review};
use crate::matching::{Finding, Matcher, PrecedentNote, Scanned, Tally};
use crate::out_folder::{self, OutFolder};
use crate::pipeline::{self, FileFailure, Outcome, Sink, Work};
use crate::reading::files::{Source, file_key, shown_path};
use crate::report::{Spool, SpoolFolder, SpooledDocument, Templates};
use crate::rules::RuleSet;
use crate::structure::Document;

use crate::exit::Exit;
use crate::pipeline::progress::FileProgress;

/// What `tenken scan` and `tenken report` are asked to do.
pub struct ScanJob<'a> {
    pub paths: &'a [PathBuf],
    /// Folder for the checklist (`scan`), none for `report`.
    pub checklist: Option<&'a Path>,
    /// Folder for the HTML report.
    pub html: Option<&'a Path>,
    pub rules: &'a RuleSet,
    pub matcher: &'a Matcher,
    /// Report templates given on the command line (else those beside the
    /// program, else the built-in ones).
    pub templates: Option<&'a Path>,
    /// An edited checklist whose decisions are carried over.
    pub ledger: Option<&'a Path>,
    /// An index (`tenken index`) in which each open finding's precedents are
    /// looked up (`--precedents`): provisions elsewhere of the same 類型 that
    /// already allow a digital way.
    pub precedents: Option<Arc<SearchIndex>>,
    /// How long one file may take.
    pub file_timeout: Duration,
    /// Ignore an interrupted scan's journal.
    pub restart: bool,
    /// No progress bar and no summary (problems are still said).
    pub quiet: bool,
    /// Where messages go, a line at a time (the command line prints them on
    /// standard error).
    pub say: &'a (dyn Fn(&str) + Sync),
}

/// Where messages go.
type Say<'a> = &'a (dyn Fn(&str) + Sync);

/// The run could not go on, and why.
struct Stop {
    exit: Exit,
    message: String,
}

/// The stop a run ends with, and its message.
fn stop(exit: Exit, message: impl std::fmt::Display) -> Stop {
    Stop {
        exit,
        message: format!("tenken: {message}"),
    }
}

/// Runs the scan; its messages go to `job.say`.
pub fn run(job: &ScanJob<'_>) -> Exit {
    match scan(job) {
        Ok(exit) => exit,
        Err(Stop { exit, message }) => {
            (job.say)(&message);
            exit
        }
    }
}

/// The end of every message of a run that stopped before writing.
const NOTHING_WRITTEN: &str = "何も書き込んでいません";

fn scan(job: &ScanJob<'_>) -> Result<Exit, Stop> {
    let (rules, matcher, say) = (job.rules, job.matcher, job.say);
    let (sources, walk_errors) = crate::reading::files::collect(job.paths);
    if sources.is_empty() {
        for e in &walk_errors {
            say(&format!("tenken: {e}"));
        }
        return Err(stop(
            Exit::Usage,
            format!(
                "{}: 例規のファイルが見つかりません（読むのは .txt .md .html .htm .xml などのファイルです）。\
                 {NOTHING_WRITTEN} (no legal text files found)",
                list(job.paths)
            ),
        ));
    }
    let templates = match job.html {
        Some(_) => Some(load_templates(job.templates)?),
        None => None,
    };
    let dir = job.checklist.or(job.html).unwrap_or(Path::new("out"));
    let folder = claim(dir, job.quiet, say)?;
    let ledger = match read_ledger(job, &folder) {
        Ok(ledger) => ledger,
        Err(stopped) => {
            folder.abandon();
            return Err(stopped);
        }
    };
    let mut run = match run_scan(job, &sources, walk_errors, matcher, rules, ledger.is_some()) {
        Ok(run) => run,
        Err(stopped) => {
            folder.abandon();
            return Err(stopped);
        }
    };
    if run.summary.documents.is_empty() {
        let _ = run.record.remove();
        drop(run.spool.take());
        folder.abandon();
        return Err(stop(
            Exit::Failed,
            format!(
                "{}: {} 件のファイルのどれも例規として読めませんでした（理由は上の各行）。\
                 {NOTHING_WRITTEN} (none of the files could be read)",
                list(job.paths),
                sources.len()
            ),
        ));
    }
    if let Some(ledger) = &ledger
        && job.ledger.is_none()
        && let Some(message) = other_folder(ledger, &run.summary, job.paths)
    {
        let _ = run.record.remove();
        drop(run.spool.take());
        folder.abandon();
        return Err(stop(Exit::Usage, message));
    }
    let report = run.spool.take().zip(templates);
    // What reading and matching freed is not what writing needs.
    crate::memory::give_back();
    write_outputs(job, &folder, &run, report, ledger.as_ref(), rules)?;
    if let Err(e) = run.record.remove() {
        say(&format!("tenken: {e}"));
    }
    Ok(if run.summary.unreadable.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    })
}

/// The report's templates: those given, else those beside the program, else
/// the built-in ones; checked before anything is read or written.
fn load_templates(given: Option<&Path>) -> Result<Templates, Stop> {
    let beside = given
        .is_none()
        .then(crate::locations::default_templates_dir)
        .flatten();
    Templates::load(given.or(beside.as_deref())).map_err(|e| {
        stop(
            Exit::Usage,
            format!("{e}。{NOTHING_WRITTEN} (the report templates cannot be used)"),
        )
    })
}

/// When the checklist found in the output folder shares no 例規 with this
/// scan (another folder was given, or a folder inside the one the checklist
/// was made from), the message that stops the run: carrying its decisions
/// over would mark every row 解消.
fn other_folder(ledger: &Ledger, summary: &ScanSummary, paths: &[PathBuf]) -> Option<String> {
    let files: std::collections::BTreeSet<&str> = ledger
        .rows
        .iter()
        .map(|r| r.value("ファイル"))
        .filter(|f| !f.is_empty())
        .collect();
    let scanned = summary
        .documents
        .iter()
        .map(|d| d.file.as_str())
        .chain(summary.unreadable.iter().map(|u| u.file.as_str()));
    if files.is_empty() || scanned.into_iter().any(|f| files.contains(f)) {
        return None;
    }
    Some(format!(
        "{}: このチェックリストの例規 {} 件は、どれも {} から読んだファイルにありません。\
         別のフォルダから作ったチェックリストではありませんか。{NOTHING_WRITTEN}。\
         これらのファイルで新しいチェックリストを作るには別の --out を指定してください。\
         それでも判断を引き継ぐ場合は --ledger でこのチェックリストを指定してください\
         （その行はすべて「解消」になります） (the checklist was made from other files)",
        ledger.path.display(),
        files.len(),
        list(paths)
    ))
}

/// The paths, for a message.
fn list(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| shown_path(p))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Claims the output folder, saying what a stopped scan left there.
fn claim(dir: &Path, quiet: bool, say: Say<'_>) -> Result<OutFolder, Stop> {
    let (folder, claimed) = OutFolder::claim(dir).map_err(|e| stop(Exit::Usage, e))?;
    if let Some(holder) = &claimed.stale_lock {
        say(&format!(
            "tenken: {}: 前回の点検（{holder}）が途中で止まっていたため、そのロックを引き継ぎます",
            dir.display()
        ));
    }
    if !quiet && !claimed.removed.is_empty() {
        say(&format!(
            "tenken: {}: 中断した点検が残した一時ファイル {} 件を削除しました",
            dir.display(),
            claimed.removed.len()
        ));
    }
    Ok(folder)
}

/// The ledger to carry decisions over from: `--ledger`, else (for `scan`)
/// the checklist already in the output folder. One that cannot be read
/// stops the run before anything is written.
fn read_ledger(job: &ScanJob<'_>, folder: &OutFolder) -> Result<Option<Ledger>, Stop> {
    let say = job.say;
    let (path, found) = match (job.ledger, job.checklist) {
        (Some(path), _) => (path.to_path_buf(), false),
        (None, Some(_)) => match folder
            .existing_checklist()
            .map_err(|e| stop(Exit::Usage, e))?
        {
            Some(path) => (path, true),
            None => return Ok(None),
        },
        (None, None) => return Ok(None),
    };
    if let Some(lock) = out_folder::open_in_spreadsheet(&path) {
        say(&format!(
            "tenken: {}: 警告: 表計算ソフトで開かれているようです（{} があります）。\
             この点検が終わったら、保存せずに閉じてください。保存すると新しいチェックリストが\
             上書きされます (the checklist looks open in a spreadsheet program)",
            path.display(),
            lock.display()
        ));
    }
    match crate::ledger::read_ledger(&path) {
        Ok(ledger) => Ok(Some(ledger)),
        Err(e) => {
            say(&format!("tenken: {e}"));
            let what = if found {
                "このチェックリストを直すか、出力フォルダの外へ移すか、別の --out を指定してください"
            } else {
                "--ledger のチェックリストを直すか、--ledger を付けずに実行してください"
            };
            Err(stop(
                Exit::Usage,
                format!("{NOTHING_WRITTEN}。{what} (nothing was written)"),
            ))
        }
    }
}

/// What one scan run gave: the summary for the checklist's 集計 sheet, the
/// findings as recorded in the journal, and the 例規 spooled for a report.
struct Run {
    summary: ScanSummary,
    record: Record,
    spool: Option<Spool>,
}

/// The scan's output for the pipeline: each file's findings go to the
/// journal as the file finishes, its document to the report's spool.
struct ScanSink<'a> {
    journal: &'a Journal,
    spool: Option<Spool>,
    precedents: Option<Arc<SearchIndex>>,
    failed: Vec<FileFailure>,
}

/// The per-file work of a scan.
#[derive(Clone)]
struct ScanWork {
    spool: Option<SpoolFolder>,
    precedents: Option<Arc<SearchIndex>>,
}

/// Precedents shown per open finding.
const PRECEDENTS_PER_FINDING: usize = 3;

/// Gives each open finding of a document its precedents from the index.
fn add_precedents(
    index: &SearchIndex,
    source: &Source,
    document: &Document,
    findings: &mut [Finding],
) -> Result<(), String> {
    let units = crate::structure::units::text_units(document);
    let path = file_key(&source.path);
    for finding in findings.iter_mut().filter(|f| !f.digital_alternative) {
        let Some(unit) = units
            .iter()
            .find(|u| u.provision.normalized == finding.normalized)
        else {
            continue;
        };
        let target = Target {
            text: unit.provision.text.clone(),
            caption: unit.caption.map(str::to_string),
            rules: finding.rules.iter().map(|r| r.id.clone()).collect(),
            path: path.clone(),
        };
        let found = index
            .precedents_for(&target, &finding.code, PRECEDENTS_PER_FINDING)
            .map_err(|e| format!("precedents: {e}"))?;
        finding.precedents = found
            .into_iter()
            .map(|p| PrecedentNote {
                title: p.title,
                citation: p.citation,
                collection: p.collection,
                kind: p.kind,
                file: p.file,
                digital_words: p.digital_words,
                snippet: p.snippet,
            })
            .collect();
    }
    Ok(())
}

struct ScannedFile {
    scanned: Scanned,
    page: Option<SpooledDocument>,
}

impl Work for ScanWork {
    type Output = ScannedFile;

    fn prepare(
        &self,
        source: &Source,
        _hash: &str,
        document: Document,
        mut findings: Vec<Finding>,
    ) -> Result<ScannedFile, String> {
        if let Some(index) = &self.precedents {
            add_precedents(index, source, &document, &mut findings)?;
        }
        let scanned = Scanned::of(&document, findings);
        let page = match &self.spool {
            Some(folder) => Some(
                folder
                    .spool(document, &scanned.findings)
                    .map_err(|e| e.to_string())?,
            ),
            None => None,
        };
        Ok(ScannedFile { scanned, page })
    }
}

impl Sink for ScanSink<'_> {
    type Work = ScanWork;
    type Error = JournalError;

    fn work(&self) -> ScanWork {
        ScanWork {
            spool: self.spool.as_ref().map(Spool::folder),
            precedents: self.precedents.clone(),
        }
    }

    fn done(&self, source: &Source) -> bool {
        self.journal.has(source)
    }

    fn accept(
        &mut self,
        source: &Source,
        outcome: Outcome<ScannedFile>,
    ) -> Result<(), JournalError> {
        match outcome {
            Outcome::Prepared(file) => {
                self.journal.record(source, &file.scanned)?;
                if let (Some(spool), Some(page)) = (&mut self.spool, file.page) {
                    spool.add(page);
                }
            }
            Outcome::Unchanged => {}
            Outcome::Failed(e) => self.failed.push(e),
        }
        Ok(())
    }
}

/// Reads and scans every file, recording each in the scan journal as it
/// finishes; prints one line per file that fails. Files an interrupted run
/// of the same scan finished are taken from the journal.
fn run_scan(
    job: &ScanJob<'_>,
    sources: &[Source],
    walk_errors: Vec<crate::reading::FileError>,
    matcher: &Matcher,
    rules: &RuleSet,
    merging: bool,
) -> Result<Run, Stop> {
    let say = job.say;
    let dir = job.checklist.or(job.html).unwrap_or(Path::new("out"));
    // A report needs every document, so it reads every file.
    let restart = job.restart || job.html.is_some();
    let (journal, opened) =
        Journal::open(dir, job.paths, rules, restart).map_err(|e| stop(Exit::Failed, e))?;
    if !job.quiet {
        let done = sources.iter().filter(|s| journal.has(s)).count();
        print_opened(&journal, opened, done, sources.len(), say);
    }
    let spool = match job.html {
        Some(_) => Some(Spool::create(dir).map_err(|e| stop(Exit::Failed, e))?),
        None => None,
    };
    let progress = FileProgress::new(sources, job.quiet);
    let mut sink = ScanSink {
        journal: &journal,
        spool,
        precedents: job.precedents.clone(),
        failed: Vec::new(),
    };
    let options = pipeline::Options {
        budget: job.file_timeout,
        progress: &|source| progress.file_done(&source.path),
        ordered: false,
    };
    let scanned = pipeline::run(sources, matcher, options, &mut sink);
    progress.finish();
    scanned.map_err(|e| stop(Exit::Failed, e))?;
    let ScanSink {
        spool, mut failed, ..
    } = sink;
    let record = journal.finish(sources).map_err(|e| stop(Exit::Failed, e))?;
    let mut summary = ScanSummary {
        documents: record
            .documents(merging)
            .map_err(|e| stop(Exit::Failed, e))?,
        unreadable: Vec::new(),
    };
    for e in &walk_errors {
        say(&format!("tenken: {e}"));
        summary.unreadable.push(UnreadableFile {
            file: e.file.clone(),
            reason: e.error.to_string(),
        });
    }
    failed.sort_by(|a, b| a.file().cmp(b.file()));
    for e in failed {
        say(&format!("tenken: {e}"));
        summary.unreadable.push(UnreadableFile {
            file: e.file().to_string(),
            reason: e.to_string(),
        });
    }
    let spool = spool.map(|mut spool| {
        spool.documents.sort_by(|a, b| a.file.cmp(&b.file));
        spool
    });
    Ok(Run {
        summary,
        record,
        spool,
    })
}

/// Says when an interrupted scan is resumed or its journal replaced.
fn print_opened(journal: &Journal, opened: Opened, done: usize, all: usize, say: Say<'_>) {
    match opened {
        Opened::New => {}
        Opened::Resumed { .. } => say(&format!(
            "tenken: {}: 中断した点検を再開します。{all} 件のファイルのうち {done} 件は読み終えていて\
             変更もないため、残りだけを読みます（すべて読み直すには --restart）",
            journal.path().display()
        )),
        Opened::Replaced => say(&format!(
            "tenken: {}: 別のファイルまたは別のルールで中断した点検（または、すべてのファイルを読む\
             レポート）が残したものです。最初から点検し直します",
            journal.path().display()
        )),
    }
}

/// The journal bytes of findings that are read back into memory once for
/// all the checklist's files, rather than once per file from the journal.
const HOLD_BUDGET: u64 = 128 << 20;

/// Merges the ledger's decisions and writes the checklist and the report.
fn write_outputs(
    job: &ScanJob<'_>,
    folder: &OutFolder,
    run: &Run,
    report: Option<(Spool, Templates)>,
    ledger: Option<&Ledger>,
    rules: &RuleSet,
) -> Result<(), Stop> {
    let say = job.say;
    // A merge needs every finding at hand, and findings that fit in
    // HOLD_BUDGET are read back once for all the files written. Otherwise
    // each file of the checklist is written straight from the journal, one
    // 例規's findings at a time, and the report from its spool.
    let merge = ledger.is_some();
    let hold = merge || run.record.stored_bytes() <= HOLD_BUDGET;
    let findings = hold
        .then(|| run.record.findings())
        .transpose()
        .map_err(|e| stop(Exit::Failed, e))?
        .unwrap_or_default();
    let review = match ledger {
        Some(ledger) => Review::merge(&findings, ledger, &run.summary),
        None => Review::default(),
    };
    // Without a ledger every row is a new finding, as the journal gives them.
    let fresh = (hold && !merge).then(|| Review::fresh(&findings));
    let held = Held {
        findings: &findings,
        review: fresh.as_ref().unwrap_or(&review),
    };
    let rows: &dyn Rows = if hold { &held } else { &run.record };
    if job.checklist.is_some() {
        write_checklist(job, folder, run, rows, &review, ledger, rules)?;
    }
    if let (Some(dir), Some((spool, templates))) = (job.html, report) {
        let summary =
            crate::report::write_spooled(dir, spool, &findings, &review, rules, &templates)
                .map_err(|e| stop(Exit::Failed, e))?;
        if !job.quiet {
            say(&format!(
                "tenken: 例規 {} 件のレポート（指摘 {} 件、{} ページ）を書き出しました: {}",
                summary.documents,
                summary.findings,
                summary.pages,
                summary.index.display()
            ));
        }
    }
    Ok(())
}

/// Keeps what people wrote, then writes the checklist files and notes them.
fn write_checklist(
    job: &ScanJob<'_>,
    folder: &OutFolder,
    run: &Run,
    rows: &dyn Rows,
    review: &Review,
    ledger: Option<&Ledger>,
    rules: &RuleSet,
) -> Result<(), Stop> {
    let say = job.say;
    let kept = keep_edited(folder, ledger.map(|l| l.path.as_path()), say)?;
    let dir = folder.dir();
    let written = checklist::write_all(dir, rows, review, &run.summary, &rules.taxonomy)
        .map_err(|e| stop(Exit::Failed, e))?;
    let stale = dir.join(checklist::UNMATCHED_CSV_NAME);
    if review.unmatched.is_empty() && stale.is_file() {
        // Its decisions were read back with the ledger or are on the sheet
        // 「照合できなかった判断」 of the checklist it came with.
        folder
            .move_to_history(&stale)
            .map_err(|e| stop(Exit::Failed, e))?;
    }
    if let Err(e) = folder.note_written(&written) {
        say(&format!(
            "tenken: 警告: 書き出したファイルを記録できません。次の点検では、誰も編集していなくても\
             チェックリストの控えを history/ に残します: {e}"
        ));
    }
    if !job.quiet {
        print_scan_summary(
            &run.summary,
            run.record.tally(),
            &written,
            &rules.source,
            say,
        );
        for (file, copy) in &kept {
            say(&format!(
                "  以前の {} を {} として残しました",
                file.display(),
                copy.display()
            ));
        }
        print_review_summary(review, job.ledger.is_none(), say);
    }
    Ok(())
}

/// Copies into `history/` every checklist file of the folder that the new
/// one replaces and that people may have worked in: the ledger, and any
/// other that changed since tenken wrote it. Returns (file, copy) pairs.
fn keep_edited(
    folder: &OutFolder,
    ledger: Option<&Path>,
    say: Say<'_>,
) -> Result<Vec<(PathBuf, PathBuf)>, Stop> {
    let ledger_at = ledger.and_then(|l| std::fs::canonicalize(l).ok());
    let mut kept = Vec::new();
    for name in [checklist::XLSX_NAME, checklist::CSV_NAME] {
        let file = folder.dir().join(name);
        if !file.is_file() {
            continue;
        }
        let is_ledger = std::fs::canonicalize(&file).ok() == ledger_at && ledger_at.is_some();
        if !is_ledger && !folder.changed_since_written(&file) {
            continue;
        }
        let copy = folder.keep_in_history(&file).map_err(|e| {
            stop(
                Exit::Failed,
                format!(
                    "{}: 置き換える前に控えを残せないため、{NOTHING_WRITTEN}: {e}",
                    file.display()
                ),
            )
        })?;
        if !is_ledger {
            say(&format!(
                "tenken: {}: 警告: tenken が書き出した後に編集されていますが、引き継ぐ判断は\
                 このファイルのものではありません（引き継ぎ元: {}）。{} として控えを残しました \
                 (an edited checklist is not the ledger)",
                file.display(),
                ledger.map_or_else(|| "なし".to_string(), |l| l.display().to_string()),
                copy.display()
            ));
        }
        kept.push((file, copy));
    }
    Ok(kept)
}

/// One line on the decisions carried over, when a ledger was merged.
fn print_review_summary(review: &Review, found_in_folder: bool, say: Say<'_>) {
    let Some(ledger) = &review.ledger else {
        return;
    };
    let p = review.progress();
    let whose = if found_in_folder {
        "（出力フォルダにあったチェックリストです。ほかのものは --ledger で指定します）"
    } else {
        ""
    };
    say(&format!(
        "tenken: {} から判断を引き継ぎました{whose}。新規 {}、変更なし {}、要再確認 {}、解消 {}。\
         解消を除く {} 件のうち判断済み {} 件（{}%）",
        ledger.display(),
        p.new,
        p.unchanged,
        p.changed,
        p.resolved,
        p.open,
        p.decided,
        p.percent()
    ));
    if p.unmatched > 0 {
        say(&format!(
            "tenken: {} 件の判断を指摘に照合できませんでした。理由を添えて、シート「照合できなかった判断」と \
             {} に残しました (decisions not matched to a finding)",
            p.unmatched,
            checklist::UNMATCHED_CSV_NAME
        ));
    }
}

fn print_scan_summary(
    summary: &ScanSummary,
    tally: Tally,
    written: &[PathBuf],
    source: &str,
    say: Say<'_>,
) {
    // The rules compiled into tenken are named "built-in" in files and logs.
    let source = if source == "built-in" {
        "組み込みのルール"
    } else {
        source
    };
    say(&format!(
        "tenken: 例規 {} 件を点検しました（ルール: {source}）。指摘 {} 件（優先度 高 {}、中 {}、低 {}。\
         うち電子的代替あり {}）",
        summary.documents.len(),
        tally.total,
        tally.high,
        tally.medium,
        tally.low,
        tally.digital
    ));
    for path in written {
        say(&format!("  書き出しました: {}", path.display()));
    }
    if !summary.unreadable.is_empty() {
        say(&format!(
            "tenken: 読めなかったファイルが {} 件あります（上の各行と集計シートに一覧があります） \
             (some files could not be read)",
            summary.unreadable.len()
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    /// Runs a scan of the sample 例規集 in-process, collecting its messages.
    fn scan_sample(out: &Path, html: Option<&Path>) -> Option<(Exit, Vec<String>)> {
        if std::env::var_os("TENKEN_SKIP_WITHOUT_DICTIONARY").is_some()
            && crate::tokenizing::Tokenizer::new().is_err()
        {
            eprintln!("skipped: no MeCab IPADIC (TENKEN_SKIP_WITHOUT_DICTIONARY is set)");
            return None;
        }
        let rules = RuleSet::built_in().expect("built-in rules");
        let matcher = Matcher::new(&rules, None).expect("matcher");
        let said = Mutex::new(Vec::new());
        let paths = [PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("corpus")];
        let exit = run(&ScanJob {
            paths: &paths,
            checklist: Some(out),
            html,
            rules: &rules,
            matcher: &matcher,
            templates: None,
            ledger: None,
            precedents: None,
            file_timeout: Duration::from_secs(60),
            restart: false,
            quiet: false,
            say: &|line| said.lock().expect("lock").push(line.to_string()),
        });
        Some((exit, said.into_inner().expect("lock")))
    }

    #[test]
    fn a_scan_runs_in_process_and_says_what_it_wrote() {
        let out = tempfile::tempdir().expect("temp dir");
        let report = out.path().join("report");
        let Some((exit, said)) = scan_sample(out.path(), Some(&report)) else {
            return;
        };
        assert_eq!(exit, Exit::Done, "{said:?}");
        for name in [
            checklist::XLSX_NAME,
            checklist::CSV_NAME,
            checklist::JSONL_NAME,
        ] {
            assert!(out.path().join(name).is_file(), "{name}");
        }
        assert!(report.join(crate::report::INDEX_NAME).is_file());
        assert!(
            !out.path().join(crate::report::spool::SPOOL_NAME).exists(),
            "the report's spool is gone"
        );
        assert!(
            said.iter()
                .any(|l| l.starts_with("tenken: 例規 ") && l.contains("件を点検しました")),
            "{said:?}"
        );
        assert!(said.iter().any(|l| l.contains("のレポート")), "{said:?}");
    }

    #[test]
    fn a_second_scan_while_one_holds_the_folder_stops_with_a_message() {
        let out = tempfile::tempdir().expect("temp dir");
        let (_held, _) = OutFolder::claim(out.path()).expect("claim");
        let Some((exit, said)) = scan_sample(out.path(), None) else {
            return;
        };
        assert_eq!(exit, Exit::Usage);
        assert_eq!(said.len(), 1, "{said:?}");
        assert!(said[0].starts_with("tenken: "), "{said:?}");
        assert!(!out.path().join(checklist::CSV_NAME).exists());
    }
}
