//! Finding the files to read under the paths a user gives, and reading them in
//! parallel (rayon) while keeping their order. A file that fails, or takes
//! longer than the per-file time budget (`reading::budget`), is reported with
//! its name and the run goes on with the others.

use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Duration;
use walkdir::WalkDir;

use super::budget::{DEFAULT_FILE_TIMEOUT, within};
use super::{FileError, ReadError, read_file};
use crate::structure::Document;

/// A file to read, and the name it goes by in outputs (relative to the folder given).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub path: PathBuf,
    pub name: String,
}

/// Extensions read when walking a folder (files named on the command line are always read).
const TEXT_EXTENSIONS: [&str; 9] = [
    "txt", "text", "md", "markdown", "html", "htm", "xhtml", "xml", "sgml",
];

/// Files in a folder that are about the corpus, not part of it.
fn is_side_file(path: &Path) -> bool {
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    [
        "readme",
        "license",
        "licence",
        "copying",
        "notice",
        "changelog",
    ]
    .contains(&stem.as_str())
}

fn is_candidate(path: &Path) -> bool {
    let hidden = path
        .file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with('.'));
    let extension = path.extension().map(|e| e.to_string_lossy().to_lowercase());
    let readable = match extension {
        Some(ext) => TEXT_EXTENSIONS.contains(&ext.as_str()),
        None => true,
    };
    !hidden && readable && !is_side_file(path)
}

/// The files under the paths a user gave, found by one walk: what `tenken
/// index` and `tenken export` size their progress on and then read, so that
/// the folders are walked once per run.
#[derive(Debug, Default)]
pub struct Collected {
    /// The paths as given (files and folders).
    pub roots: Vec<PathBuf>,
    /// The files found, in a stable order.
    pub sources: Vec<Source>,
    /// Problems met while walking (a path that does not exist, a loop, a
    /// folder that cannot be read), each naming its path.
    pub errors: Vec<FileError>,
}

impl Collected {
    /// Walks `paths` (see [`collect`]).
    pub fn walk(paths: &[PathBuf]) -> Self {
        let (sources, errors) = collect(paths);
        Collected {
            roots: paths.to_vec(),
            sources,
            errors,
        }
    }
}

/// Expands the given paths into files, in a stable order. Folders are walked
/// recursively; problems met while walking (a loop, a folder that cannot be
/// read) are returned as errors beside the files found.
pub fn collect(paths: &[PathBuf]) -> (Vec<Source>, Vec<FileError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    for root in paths {
        if root.is_file() {
            let name = root.file_name().map_or_else(
                || root.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            sources.push(Source {
                path: root.clone(),
                name,
            });
            continue;
        }
        if !root.exists() {
            errors.push(FileError {
                file: root.display().to_string(),
                error: ReadError::Io(std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "no such file or folder",
                )),
            });
            continue;
        }
        walk(root, &mut sources, &mut errors);
    }
    (sources, errors)
}

fn walk(root: &Path, sources: &mut Vec<Source>, errors: &mut Vec<FileError>) {
    let walker = WalkDir::new(root)
        .follow_links(true)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(entry) if entry.file_type().is_file() && is_candidate(entry.path()) => {
                let relative = entry.path().strip_prefix(root).unwrap_or(entry.path());
                sources.push(Source {
                    path: entry.path().to_path_buf(),
                    name: relative.to_string_lossy().replace('\\', "/"),
                });
            }
            Ok(_) => {}
            Err(e) => errors.push(FileError {
                file: e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| p.display().to_string()),
                error: ReadError::Io(std::io::Error::other(walk_error_message(&e))),
            }),
        }
    }
}

fn walk_error_message(e: &walkdir::Error) -> String {
    if let Some(ancestor) = e.loop_ancestor() {
        return format!("symbolic link loop back to {}", ancestor.display());
    }
    e.io_error()
        .map_or_else(|| e.to_string(), std::string::ToString::to_string)
}

/// Reads one source; a failure names the file.
pub fn read_source(source: &Source) -> Result<Document, FileError> {
    read_file(&source.path, &source.name).map_err(|error| FileError {
        file: source.name.clone(),
        error,
    })
}

/// Reads one source on a worker thread, giving up after `budget` (see
/// `reading::budget`); a failure names the file.
pub fn read_source_within(source: &Source, budget: Duration) -> Result<Document, FileError> {
    let (path, name) = (source.path.clone(), source.name.clone());
    within(budget, move || read_file(&path, &name))
        .map_err(ReadError::from)
        .and_then(|read| read)
        .map_err(|error| FileError {
            file: source.name.clone(),
            error,
        })
}

/// Reads every source in parallel with the default per-file time budget;
/// results come back in the sources' order. `progress` is called once per
/// file read (from any thread).
pub fn read_all(
    sources: &[Source],
    progress: &(dyn Fn(&Source) + Sync),
) -> Vec<Result<Document, FileError>> {
    read_all_within(sources, DEFAULT_FILE_TIMEOUT, progress)
}

/// Reads every source in parallel, giving up on a file after `budget`.
pub fn read_all_within(
    sources: &[Source],
    budget: Duration,
    progress: &(dyn Fn(&Source) + Sync),
) -> Vec<Result<Document, FileError>> {
    sources
        .par_iter()
        .map(|source| {
            let result = read_source_within(source, budget);
            progress(source);
            result
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_law_files_and_skips_side_files() {
        assert!(is_candidate(Path::new("a/jorei.html")));
        assert!(is_candidate(Path::new("a/（令和7年）条例.txt")));
        assert!(!is_candidate(Path::new("a/License")));
        assert!(!is_candidate(Path::new("a/README.md")));
        assert!(!is_candidate(Path::new("a/gold.tsv")));
        assert!(!is_candidate(Path::new("a/.hidden.txt")));
        assert!(is_candidate(Path::new("a/no_extension")));
    }
}
