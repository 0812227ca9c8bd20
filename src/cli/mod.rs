//! The command line: one file per command (each turns its arguments into a
//! call of the library and its result into messages and an exit code), the
//! arguments of all of them (`commands`), and what several share: the paths
//! to read and the rules (the progress bar is `tenken::pipeline::progress`).

pub(crate) mod basis;
pub(crate) mod commands;
pub(crate) mod counts;
pub(crate) mod diff;
pub(crate) mod draft;
pub(crate) mod export;
pub(crate) mod index;
pub(crate) mod parse;
pub(crate) mod rules;
pub(crate) mod scan;
pub(crate) mod search;
pub(crate) mod serve;
pub(crate) mod similar;
pub(crate) mod tokens;

use std::path::{Path, PathBuf};

use tenken::locations;
use tenken::matching::Matcher;
use tenken::reading;
use tenken::rules::RuleSet;

pub(crate) use tenken::exit::Exit;
pub(crate) use tenken::pipeline::UnreadableFile;

/// The sample 例規集 read when a command is given no path.
pub(crate) const SAMPLE_CORPUS: &str = "corpus";

/// Runs `command` on the paths given, after checking them: a path that does
/// not exist is a usage error (exit 2, nothing written). With no path, the
/// sample 例規集 `./corpus` is read when it exists, and the command says so.
pub(crate) fn with_inputs(
    paths: Vec<PathBuf>,
    quiet: bool,
    command: impl FnOnce(&[PathBuf]) -> Exit,
) -> Exit {
    let paths = if paths.is_empty() {
        let sample = PathBuf::from(SAMPLE_CORPUS);
        if !sample.is_dir() {
            eprintln!(
                "tenken: 読み込む例規のフォルダを指定してください。例: tenken scan 例規集/\
                 （ここには代わりに読む見本の ./{SAMPLE_CORPUS} もありません。くわしくは --help） \
                 (no folder given)"
            );
            return Exit::Usage;
        }
        if !quiet {
            eprintln!(
                "tenken: フォルダの指定がないため、見本の例規集 ./{SAMPLE_CORPUS} を読みます"
            );
        }
        vec![sample]
    } else {
        paths
    };
    let missing: Vec<&PathBuf> = paths.iter().filter(|p| !p.exists()).collect();
    if !missing.is_empty() {
        for path in missing {
            eprintln!(
                "tenken: {}: ファイルまたはフォルダが見つかりません。何も読み書きしていません \
                 (no such file or folder)",
                reading::files::shown_path(path)
            );
        }
        return Exit::Usage;
    }
    command(&paths)
}

/// The rules of `dir`, else of ./rules, else of the rules folder beside the
/// program, else the built-in ones (`locations`); errors are printed.
pub(crate) fn load_rules(dir: Option<&Path>) -> Option<RuleSet> {
    let result = match dir
        .map(Path::to_path_buf)
        .or_else(locations::default_rules_dir)
    {
        Some(dir) => RuleSet::load(&dir),
        None => RuleSet::built_in(),
    };
    match result {
        Ok(rules) => {
            for note in &rules.notes {
                eprintln!("tenken: {note}");
            }
            Some(rules)
        }
        Err(errors) => {
            for e in errors {
                eprintln!("tenken: {e}");
            }
            None
        }
    }
}

pub(crate) fn matcher(rules: &RuleSet) -> Option<Matcher> {
    match Matcher::new(rules, None) {
        Ok(m) => Some(m),
        Err(e) => {
            eprintln!("tenken: {e}");
            None
        }
    }
}

/// The national texts of `--laws`, opened; None when not given. A folder
/// that cannot be used is a usage error (its message printed).
pub(crate) fn open_laws(
    dir: Option<&Path>,
    quiet: bool,
) -> Result<Option<std::sync::Arc<tenken::basis::Laws>>, Exit> {
    dir.map(|dir| basis::open(dir, quiet)).transpose()
}

/// Lists once the statutes findings cite that `--laws` does not hold.
pub(crate) fn say_missing_laws(laws: &tenken::basis::Laws) {
    let missing = laws.missing();
    if missing.is_empty() {
        return;
    }
    let names: Vec<String> = missing
        .iter()
        .map(|(title, n)| format!("{title}（引用 {n} 件）"))
        .collect();
    eprintln!(
        "tenken: 国の法令のフォルダにない法令 {} 件（本文は表示していません）: {}",
        missing.len(),
        names.join("、")
    );
}

/// The exit of a command that printed its answer on standard output: a
/// closed pipe (`| head`) is no failure.
pub(crate) fn finish_stdout(written: std::io::Result<()>) -> Exit {
    match written {
        Ok(()) => Exit::Done,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Exit::Done,
        Err(e) => {
            eprintln!("tenken: cannot write standard output: {e}");
            Exit::Failed
        }
    }
}

/// Where `tenken search --help` explains the query forms (said after a query error).
pub(crate) const QUERY_HINT: &str = "検索式の書き方は 'tenken search --help' にあります";

/// The answer of a command on the index, or its exit: a query error is the
/// user's to mend (exit 2, with `hint` when there is one), anything else a
/// failure.
pub(crate) fn index_answer<T>(
    result: Result<T, tenken::index::IndexError>,
    hint: Option<&str>,
) -> Result<T, Exit> {
    match result {
        Ok(answer) => Ok(answer),
        Err(e @ tenken::index::IndexError::Query { .. }) => {
            eprintln!("tenken: {e}");
            if let Some(hint) = hint {
                eprintln!("tenken: {hint}");
            }
            Err(Exit::Usage)
        }
        Err(e) => {
            eprintln!("tenken: {e}");
            Err(Exit::Failed)
        }
    }
}

/// Prints an answer on standard output: as pretty JSON when `json`, else
/// with `write`; a closed pipe is no failure.
pub(crate) fn print_answer<T: serde::Serialize>(
    answer: &T,
    json: bool,
    write: impl FnOnce(&T, &mut dyn std::io::Write) -> std::io::Result<()>,
) -> Exit {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = if json {
        serde_json::to_writer_pretty(&mut out, answer)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out))
    } else {
        write(answer, &mut out)
    };
    finish_stdout(written.and_then(|()| out.flush()))
}
