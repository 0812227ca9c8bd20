//! `tenken basis`: the statutes each provision of a 例規 cites and what they
//! resolved to, for a clerk to check before trusting the checklist's 根拠法令.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tenken::basis::{self, BasisKind, Laws};
use tenken::matching::Matcher;
use tenken::output;
use tenken::reading::{self, FileError};
use tenken::structure::Document;

use super::Exit;

/// What `tenken basis` is asked to do.
pub(crate) struct Options<'a> {
    pub(crate) laws: Option<&'a Path>,
    pub(crate) rules: Option<&'a Path>,
    pub(crate) output: Option<&'a Path>,
    pub(crate) file_timeout: Duration,
    pub(crate) quiet: bool,
}

pub(crate) fn run(paths: &[PathBuf], options: &Options<'_>) -> Exit {
    let laws = match super::open_laws(options.laws, options.quiet) {
        Ok(laws) => laws,
        Err(exit) => return exit,
    };
    let Some(rules) = super::load_rules(options.rules) else {
        return Exit::Usage;
    };
    let Some(matcher) = super::matcher(&rules) else {
        return Exit::Failed;
    };
    let (sources, walk_errors) = reading::files::collect(paths);
    let results = reading::files::read_all_within(&sources, options.file_timeout, &|_| {});
    let mut failures: Vec<&FileError> = walk_errors.iter().collect();
    let documents: Vec<&Document> = results
        .iter()
        .filter_map(|r| match r {
            Ok(d) => Some(d),
            Err(e) => {
                failures.push(e);
                None
            }
        })
        .collect();
    for failure in &failures {
        eprintln!("tenken: {failure}");
    }
    let print_all = |w: &mut dyn Write| {
        documents
            .iter()
            .try_for_each(|d| print(d, laws.as_deref(), &matcher, w))
    };
    let written = match options.output {
        Some(path) => output::write_atomically(path, |w| print_all(w)),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            print_all(&mut lock).and_then(|()| lock.flush())
        }
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("tenken: 書き出せません: {}", tenken::messages::io(&e));
        return Exit::Failed;
    }
    if let Some(laws) = &laws {
        super::say_missing_laws(laws);
    }
    if sources.is_empty() && failures.is_empty() {
        eprintln!("tenken: 指定したパスに例規のファイルがありません (no 例規 files found)");
        return Exit::Usage;
    }
    if failures.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    }
}

/// One document: its definitions, then each provision that cites something,
/// with every reference resolved and the basis a finding there would carry.
fn print(
    document: &Document,
    laws: Option<&Laws>,
    matcher: &Matcher,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    writeln!(out, "{}  {}", document.file, document.title)?;
    let citations = basis::analyse(document);
    for (word, statute) in &citations.definitions {
        let number = statute
            .number
            .as_ref()
            .map(|n| format!("（{n}）"))
            .unwrap_or_default();
        writeln!(out, "  定義  「{word}」 = {}{number}", statute.title)?;
    }
    for provision in document.walk() {
        let references = citations.of(&provision.normalized);
        if references.is_empty() || provision.text.is_empty() {
            continue;
        }
        let printed: Vec<String> = references
            .iter()
            .map(|r| match &r.statute {
                Some(_) => r.printed.clone(),
                None => format!("（この例規）{}", r.printed),
            })
            .collect();
        let basis = citations.basis(&provision.normalized);
        let kind = basis.kind.map_or("", |k| k.japanese());
        writeln!(out, "  {}  {}", provision.citation, printed.join("、"))?;
        writeln!(out, "      根拠: {kind}")?;
        let Some(laws) = laws else { continue };
        let national = references.iter().filter(|r| {
            r.statute
                .as_ref()
                .is_some_and(|s| s.kind() == BasisKind::National)
        });
        for reference in national {
            if let Some(national) = laws.look_up(reference) {
                let (text, digital) = match &national.text {
                    Some(text) => (
                        text.as_str(),
                        if matcher.allows_digital(text) {
                            "あり"
                        } else {
                            "なし"
                        },
                    ),
                    None => ("（この条項は見つかりません）", "―"),
                };
                writeln!(
                    out,
                    "      国の規定 {}（{}）: {text}  [電子的代替: {digital}]",
                    national.reference, national.title
                )?;
            }
        }
    }
    Ok(())
}

/// Opens `--laws` and says how many statutes it holds.
pub(crate) fn open(dir: &Path, quiet: bool) -> Result<Arc<Laws>, Exit> {
    match Laws::open(dir) {
        Ok(laws) => {
            if !quiet {
                eprintln!(
                    "tenken: 国の法令 {} 件を {} から参照します",
                    laws.len(),
                    reading::files::shown_path(dir)
                );
            }
            Ok(Arc::new(laws))
        }
        Err(e) => {
            eprintln!("tenken: {e}");
            Err(Exit::Usage)
        }
    }
}
