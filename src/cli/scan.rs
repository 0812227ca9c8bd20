//! `tenken scan` and `tenken report`: loads the rules (their errors are
//! printed here), then runs the library's scan flow (`tenken::scan`), whose
//! messages go to standard error.

use std::path::{Path, PathBuf};
use std::time::Duration;

use tenken::scan::ScanJob;

use super::{Exit, load_rules, matcher};

/// What `tenken scan` and `tenken report` are asked to do.
pub(crate) struct Clerk<'a> {
    pub(crate) paths: &'a [PathBuf],
    /// Folder for the checklist (`scan`), none for `report`.
    pub(crate) checklist: Option<&'a Path>,
    /// Folder for the HTML report.
    pub(crate) html: Option<&'a Path>,
    pub(crate) rules: Option<&'a Path>,
    pub(crate) templates: Option<&'a Path>,
    pub(crate) ledger: Option<&'a Path>,
    /// Folder of national e-Gov law XML (`--laws`).
    pub(crate) laws: Option<&'a Path>,
    /// Index in which precedents are looked up (`--precedents`).
    pub(crate) precedents: Option<&'a Path>,
    pub(crate) file_timeout: Duration,
    pub(crate) restart: bool,
    pub(crate) quiet: bool,
}

/// The end of every message of a run that stopped before writing.
const NOTHING_WRITTEN: &str = "何も書き込んでいません";

pub(crate) fn run(clerk: &Clerk<'_>) -> Exit {
    let Some(rules) = load_rules(clerk.rules) else {
        let folder = clerk
            .rules
            .map_or_else(|| "./rules".to_string(), |dir| dir.display().to_string());
        eprintln!(
            "tenken: ルール {folder} に誤りがあるため点検できません（誤りの箇所は上の各行）。\
             {NOTHING_WRITTEN} (invalid rules)"
        );
        return Exit::Usage;
    };
    let Some(matcher) = matcher(&rules) else {
        eprintln!(
            "tenken: 照合の準備ができないため点検できません（原因は上の行）。{NOTHING_WRITTEN} \
             (cannot prepare the rules for matching)"
        );
        return Exit::Failed;
    };
    let matcher = match super::open_laws(clerk.laws, clerk.quiet) {
        Ok(Some(laws)) => matcher.with_laws(laws),
        Ok(None) => matcher,
        Err(exit) => return exit,
    };
    let precedents = match open_precedents(clerk.precedents) {
        Ok(index) => index,
        Err(exit) => return exit,
    };
    let exit = tenken::scan::run(&ScanJob {
        paths: clerk.paths,
        checklist: clerk.checklist,
        html: clerk.html,
        rules: &rules,
        matcher: &matcher,
        templates: clerk.templates,
        ledger: clerk.ledger,
        precedents,
        file_timeout: clerk.file_timeout,
        restart: clerk.restart,
        quiet: clerk.quiet,
        say: &|line| eprintln!("{line}"),
    });
    if let Some(laws) = matcher.laws() {
        super::say_missing_laws(laws);
    }
    exit
}

/// The index of `--precedents`, opened; a missing or unreadable one stops
/// the run before anything is written.
fn open_precedents(
    dir: Option<&Path>,
) -> Result<Option<std::sync::Arc<tenken::index::SearchIndex>>, Exit> {
    let Some(dir) = dir else {
        return Ok(None);
    };
    match tenken::index::SearchIndex::open(dir) {
        Ok(index) => Ok(Some(std::sync::Arc::new(index))),
        Err(e) => {
            eprintln!(
                "tenken: --precedents の索引 {} を開けません: {e}。{NOTHING_WRITTEN}",
                dir.display()
            );
            Err(Exit::Usage)
        }
    }
}
