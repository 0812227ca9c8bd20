//! `tenken scan` (the checklist, and the report with --html) and `tenken
//! report` (the report alone), part of the binary. The order protects what
//! reviewers wrote:
//! 1. nothing to read (no file under the paths) stops the run before the
//!    output folder is touched;
//! 2. the output folder is claimed (one scan at a time, see `out_folder`);
//! 3. the ledger (`--ledger`, else the checklist already in the folder) is
//!    read; one that cannot be read stops the run;
//! 4. the files are scanned; when none could be read, nothing is written;
//! 5. files about to be replaced that people edited are copied into
//!    `history/`, then the outputs are written (each atomically) and noted.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Mutex;
use std::time::Duration;

use tenken::checklist::{self, Held, Rows, ScanSummary, UnreadableFile};
use tenken::journal::{Journal, Opened, Record, Tally};
use tenken::ledger::{Ledger, Review};
use tenken::matching::{Matcher, scan_each};
use tenken::out_folder::{self, OutFolder};
use tenken::reading::files::{Source, shown_path};
use tenken::rules::RuleSet;

use super::{FileProgress, load_rules, matcher};

/// What `tenken scan` and `tenken report` are asked to do.
pub struct ScanJob<'a> {
    pub paths: &'a [PathBuf],
    /// Folder for the checklist (`scan`), none for `report`.
    pub checklist: Option<&'a Path>,
    /// Folder for the HTML report.
    pub html: Option<&'a Path>,
    pub rules: Option<&'a Path>,
    /// Report templates given on the command line (else those beside the
    /// program, else the built-in ones).
    pub templates: Option<&'a Path>,
    /// An edited checklist whose decisions are carried over.
    pub ledger: Option<&'a Path>,
    /// How long one file may take.
    pub file_timeout: Duration,
    /// Ignore an interrupted scan's journal.
    pub restart: bool,
    pub quiet: bool,
}

/// The command could not go on; the message has been printed.
struct Stop(ExitCode);

/// Prints a message and gives the stop it ends with.
fn stop(code: u8, message: impl std::fmt::Display) -> Stop {
    eprintln!("tenken: {message}");
    Stop(ExitCode::from(code))
}

pub fn run(job: &ScanJob<'_>) -> ExitCode {
    match scan(job) {
        Ok(code) | Err(Stop(code)) => code,
    }
}

/// The end of every message of a run that stopped before writing.
const NOTHING_WRITTEN: &str = "何も書き込んでいません";

fn scan(job: &ScanJob<'_>) -> Result<ExitCode, Stop> {
    let Some(rules) = load_rules(job.rules) else {
        let folder = job
            .rules
            .map_or_else(|| "./rules".to_string(), |dir| dir.display().to_string());
        return Err(stop(
            2,
            format!(
                "ルール {folder} に誤りがあるため点検できません（誤りの箇所は上の各行）。\
                 {NOTHING_WRITTEN} (invalid rules)"
            ),
        ));
    };
    let Some(matcher) = matcher(&rules) else {
        return Err(stop(
            1,
            format!(
                "照合の準備ができないため点検できません（原因は上の行）。{NOTHING_WRITTEN} \
                 (cannot prepare the rules for matching)"
            ),
        ));
    };
    let (sources, walk_errors) = tenken::reading::files::collect(job.paths);
    if sources.is_empty() {
        for e in &walk_errors {
            eprintln!("tenken: {e}");
        }
        return Err(stop(
            2,
            format!(
                "{}: 例規のファイルが見つかりません（読むのは .txt .md .html .htm .xml などのファイルです）。\
                 {NOTHING_WRITTEN} (no legal text files found)",
                list(job.paths)
            ),
        ));
    }
    let dir = job.checklist.or(job.html).unwrap_or(Path::new("out"));
    let folder = claim(dir, job.quiet)?;
    let ledger = match read_ledger(job, &folder) {
        Ok(ledger) => ledger,
        Err(stopped) => {
            folder.abandon();
            return Err(stopped);
        }
    };
    let run = match run_scan(
        job,
        &sources,
        walk_errors,
        &matcher,
        &rules,
        ledger.is_some(),
    ) {
        Ok(run) => run,
        Err(stopped) => {
            folder.abandon();
            return Err(stopped);
        }
    };
    if run.summary.documents.is_empty() {
        let _ = run.record.remove();
        folder.abandon();
        return Err(stop(
            1,
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
        folder.abandon();
        return Err(stop(2, message));
    }
    write_outputs(job, &folder, &run, ledger.as_ref(), &rules)?;
    if let Err(e) = run.record.remove() {
        eprintln!("tenken: {e}");
    }
    Ok(if run.summary.unreadable.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
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
fn claim(dir: &Path, quiet: bool) -> Result<OutFolder, Stop> {
    let (folder, claimed) = OutFolder::claim(dir).map_err(|e| stop(2, e))?;
    if let Some(holder) = &claimed.stale_lock {
        eprintln!(
            "tenken: {}: 前回の点検（{holder}）が途中で止まっていたため、そのロックを引き継ぎます",
            dir.display()
        );
    }
    if !quiet && !claimed.removed.is_empty() {
        eprintln!(
            "tenken: {}: 中断した点検が残した一時ファイル {} 件を削除しました",
            dir.display(),
            claimed.removed.len()
        );
    }
    Ok(folder)
}

/// The ledger to carry decisions over from: `--ledger`, else (for `scan`)
/// the checklist already in the output folder. One that cannot be read
/// stops the run before anything is written.
fn read_ledger(job: &ScanJob<'_>, folder: &OutFolder) -> Result<Option<Ledger>, Stop> {
    let (path, found) = match (job.ledger, job.checklist) {
        (Some(path), _) => (path.to_path_buf(), false),
        (None, Some(_)) => match folder.existing_checklist().map_err(|e| stop(2, e))? {
            Some(path) => (path, true),
            None => return Ok(None),
        },
        (None, None) => return Ok(None),
    };
    if let Some(lock) = out_folder::open_in_spreadsheet(&path) {
        eprintln!(
            "tenken: {}: 警告: 表計算ソフトで開かれているようです（{} があります）。\
             この点検が終わったら、保存せずに閉じてください。保存すると新しいチェックリストが\
             上書きされます (the checklist looks open in a spreadsheet program)",
            path.display(),
            lock.display()
        );
    }
    match tenken::ledger::read_ledger(&path) {
        Ok(ledger) => Ok(Some(ledger)),
        Err(e) => {
            eprintln!("tenken: {e}");
            let what = if found {
                "このチェックリストを直すか、出力フォルダの外へ移すか、別の --out を指定してください"
            } else {
                "--ledger のチェックリストを直すか、--ledger を付けずに実行してください"
            };
            Err(stop(
                2,
                format!("{NOTHING_WRITTEN}。{what} (nothing was written)"),
            ))
        }
    }
}

/// What one scan run gave: the summary for the checklist's 集計 sheet, the
/// findings as recorded in the journal, and the documents when a report
/// needs them.
struct Run {
    summary: ScanSummary,
    record: Record,
    documents: Vec<tenken::structure::Document>,
}

/// Reads and scans every file, recording each in the scan journal as it
/// finishes; prints one line per file that fails. Files an interrupted run
/// of the same scan finished are taken from the journal.
fn run_scan(
    job: &ScanJob<'_>,
    sources: &[Source],
    walk_errors: Vec<tenken::reading::FileError>,
    matcher: &Matcher,
    rules: &RuleSet,
    merging: bool,
) -> Result<Run, Stop> {
    let dir = job.checklist.or(job.html).unwrap_or(Path::new("out"));
    // A report needs every document, so it reads every file.
    let restart = job.restart || job.html.is_some();
    let (journal, opened) =
        Journal::open(dir, job.paths, rules, restart).map_err(|e| stop(1, e))?;
    let (done, todo): (Vec<&Source>, Vec<&Source>) = sources.iter().partition(|s| journal.has(s));
    if !job.quiet {
        print_opened(&journal, opened, done.len(), sources.len());
    }
    let progress = FileProgress::new(sources, job.quiet);
    for source in &done {
        progress.file_done(&source.path);
    }
    let todo: Vec<Source> = todo.into_iter().cloned().collect();
    let failed = Mutex::new(Vec::new());
    let documents = Mutex::new(Vec::new());
    let journal_error = Mutex::new(None);
    scan_each(
        &todo,
        matcher,
        job.html.is_some(),
        job.file_timeout,
        &|source, result| {
            match result {
                Ok(mut scanned) => {
                    if let Err(e) = journal.record(source, &scanned) {
                        lock(&journal_error).get_or_insert(e);
                    }
                    lock(&documents).extend(scanned.document.take());
                }
                Err(e) => lock(&failed).push(e),
            }
            progress.file_done(&source.path);
        },
    );
    progress.finish();
    if let Some(e) = lock(&journal_error).take() {
        return Err(stop(1, e));
    }
    let record = journal.finish(sources).map_err(|e| stop(1, e))?;
    let mut summary = ScanSummary {
        documents: record.documents(merging).map_err(|e| stop(1, e))?,
        unreadable: Vec::new(),
    };
    for e in &walk_errors {
        eprintln!("tenken: {e}");
        summary.unreadable.push(UnreadableFile {
            file: e.file.clone(),
            reason: e.error.to_string(),
        });
    }
    let mut failed = failed.into_inner().unwrap_or_else(|e| e.into_inner());
    failed.sort_by(|a, b| a.file().cmp(b.file()));
    for e in failed {
        eprintln!("tenken: {e}");
        summary.unreadable.push(UnreadableFile {
            file: e.file().to_string(),
            reason: e.to_string(),
        });
    }
    let mut documents = documents.into_inner().unwrap_or_else(|e| e.into_inner());
    documents.sort_by(|a, b| a.file.cmp(&b.file));
    Ok(Run {
        summary,
        record,
        documents,
    })
}

/// Locks a mutex, taking the value even if a worker panicked while holding it.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Says when an interrupted scan is resumed or its journal replaced.
fn print_opened(journal: &Journal, opened: Opened, done: usize, all: usize) {
    match opened {
        Opened::New => {}
        Opened::Resumed { .. } => eprintln!(
            "tenken: {}: 中断した点検を再開します。{all} 件のファイルのうち {done} 件は読み終えていて\
             変更もないため、残りだけを読みます（すべて読み直すには --restart）",
            journal.path().display()
        ),
        Opened::Replaced => eprintln!(
            "tenken: {}: 別のファイルまたは別のルールで中断した点検（または、すべてのファイルを読む\
             レポート）が残したものです。最初から点検し直します",
            journal.path().display()
        ),
    }
}

/// Merges the ledger's decisions and writes the checklist and the report.
fn write_outputs(
    job: &ScanJob<'_>,
    folder: &OutFolder,
    run: &Run,
    ledger: Option<&Ledger>,
    rules: &RuleSet,
) -> Result<(), Stop> {
    // A merge and a report need every finding at hand; a plain checklist is
    // written straight from the journal, one file's findings at a time.
    let hold = ledger.is_some() || job.html.is_some();
    let findings = hold
        .then(|| run.record.findings())
        .transpose()
        .map_err(|e| stop(1, e))?
        .unwrap_or_default();
    let review = match ledger {
        Some(ledger) => Review::merge(&findings, ledger, &run.summary),
        None if hold => Review::fresh(&findings),
        None => Review::default(),
    };
    let held = Held {
        findings: &findings,
        review: &review,
    };
    let rows: &dyn Rows = if hold { &held } else { &run.record };
    if job.checklist.is_some() {
        write_checklist(job, folder, run, rows, &review, ledger, rules)?;
    }
    if let Some(dir) = job.html {
        // The templates given, else those beside the program, else the built-in ones.
        let beside = job
            .templates
            .is_none()
            .then(tenken::locations::default_templates_dir)
            .flatten();
        let summary = tenken::report::write_report(
            dir,
            &run.documents,
            &findings,
            &review,
            rules,
            job.templates.or(beside.as_deref()),
        )
        .map_err(|e| stop(1, e))?;
        if !job.quiet {
            eprintln!(
                "tenken: 例規 {} 件のレポート（指摘 {} 件、{} ページ）を書き出しました: {}",
                summary.documents,
                summary.findings,
                summary.pages,
                summary.index.display()
            );
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
    let kept = keep_edited(folder, ledger.map(|l| l.path.as_path()))?;
    let dir = folder.dir();
    let written = checklist::write_all(dir, rows, review, &run.summary, &rules.taxonomy)
        .map_err(|e| stop(1, e))?;
    let stale = dir.join(checklist::UNMATCHED_CSV_NAME);
    if review.unmatched.is_empty() && stale.is_file() {
        // Its decisions were read back with the ledger or are on the sheet
        // 「照合できなかった判断」 of the checklist it came with.
        folder.move_to_history(&stale).map_err(|e| stop(1, e))?;
    }
    if let Err(e) = folder.note_written(&written) {
        eprintln!(
            "tenken: 警告: 書き出したファイルを記録できません。次の点検では、誰も編集していなくても\
             チェックリストの控えを history/ に残します: {e}"
        );
    }
    if !job.quiet {
        print_scan_summary(&run.summary, run.record.tally(), &written, &rules.source);
        for (file, copy) in &kept {
            eprintln!(
                "  以前の {} を {} として残しました",
                file.display(),
                copy.display()
            );
        }
        print_review_summary(review, job.ledger.is_none());
    }
    Ok(())
}

/// Copies into `history/` every checklist file of the folder that the new
/// one replaces and that people may have worked in: the ledger, and any
/// other that changed since tenken wrote it. Returns (file, copy) pairs.
fn keep_edited(folder: &OutFolder, ledger: Option<&Path>) -> Result<Vec<(PathBuf, PathBuf)>, Stop> {
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
                1,
                format!(
                    "{}: 置き換える前に控えを残せないため、{NOTHING_WRITTEN}: {e}",
                    file.display()
                ),
            )
        })?;
        if !is_ledger {
            eprintln!(
                "tenken: {}: 警告: tenken が書き出した後に編集されていますが、引き継ぐ判断は\
                 このファイルのものではありません（引き継ぎ元: {}）。{} として控えを残しました \
                 (an edited checklist is not the ledger)",
                file.display(),
                ledger.map_or_else(|| "なし".to_string(), |l| l.display().to_string()),
                copy.display()
            );
        }
        kept.push((file, copy));
    }
    Ok(kept)
}

/// One line on the decisions carried over, when a ledger was merged.
fn print_review_summary(review: &Review, found_in_folder: bool) {
    let Some(ledger) = &review.ledger else {
        return;
    };
    let p = review.progress();
    let whose = if found_in_folder {
        "（出力フォルダにあったチェックリストです。ほかのものは --ledger で指定します）"
    } else {
        ""
    };
    eprintln!(
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
    );
    if p.unmatched > 0 {
        eprintln!(
            "tenken: {} 件の判断を指摘に照合できませんでした。理由を添えて、シート「照合できなかった判断」と \
             {} に残しました (decisions not matched to a finding)",
            p.unmatched,
            checklist::UNMATCHED_CSV_NAME
        );
    }
}

fn print_scan_summary(summary: &ScanSummary, tally: Tally, written: &[PathBuf], source: &str) {
    // The rules compiled into tenken are named "built-in" in files and logs.
    let source = if source == "built-in" {
        "組み込みのルール"
    } else {
        source
    };
    eprintln!(
        "tenken: 例規 {} 件を点検しました（ルール: {source}）。指摘 {} 件（優先度 高 {}、中 {}、低 {}。\
         うち電子的代替あり {}）",
        summary.documents.len(),
        tally.findings,
        tally.high,
        tally.medium,
        tally.low,
        tally.digital
    );
    for path in written {
        eprintln!("  書き出しました: {}", path.display());
    }
    if !summary.unreadable.is_empty() {
        eprintln!(
            "tenken: 読めなかったファイルが {} 件あります（上の各行と集計シートに一覧があります） \
             (some files could not be read)",
            summary.unreadable.len()
        );
    }
}
