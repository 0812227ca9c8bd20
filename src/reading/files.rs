//! Finding the files to read under the paths a user gives, and reading them in
//! parallel (rayon) while keeping their order. A file that fails, or takes
//! longer than the per-file time budget (`reading::budget`), is reported with
//! its name and the run goes on with the others.

use rayon::prelude::*;
use std::collections::BTreeSet;
use std::ffi::OsStr;
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
            let name = root.file_name().map_or_else(|| shown_path(root), shown);
            sources.push(Source {
                path: root.clone(),
                name,
            });
            continue;
        }
        if !root.exists() {
            errors.push(FileError {
                file: shown_path(root),
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
                    name: relative_name(relative),
                });
            }
            Ok(_) => {}
            Err(e) => errors.push(FileError {
                file: shown_path(e.path().unwrap_or(root)),
                error: walk_error(e),
            }),
        }
    }
}

fn walk_error(e: walkdir::Error) -> ReadError {
    if let Some(ancestor) = e.loop_ancestor() {
        return ReadError::LinkLoop {
            ancestor: shown_path(ancestor),
        };
    }
    let text = e.to_string();
    ReadError::Io(
        e.into_io_error()
            .unwrap_or_else(|| std::io::Error::other(text)),
    )
}

/// A relative path as outputs name it: its components [`shown`] and joined
/// with `/` on every system.
fn relative_name(relative: &Path) -> String {
    relative
        .components()
        .map(|c| shown(c.as_os_str()))
        .collect::<Vec<_>>()
        .join("/")
}

/// A file or folder name as tenken shows it in messages and outputs (the
/// ファイル column, `findings.jsonl`): as it is, except that a control
/// character (a newline, an escape, a bidirectional override) is written
/// `\u{a}`, a byte that is not UTF-8 `\xff`, and (where names may hold one)
/// a backslash `\\`. So a name can neither break a line nor forge a message,
/// and [`path_of_shown`] gives the file back.
pub fn shown(name: &OsStr) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            for c in chunk.valid().chars() {
                push_shown(&mut out, c, true);
            }
            for byte in chunk.invalid() {
                out.push_str(&format!("\\x{byte:02x}"));
            }
        }
        out
    }
    #[cfg(windows)]
    {
        use std::os::windows::ffi::OsStrExt;
        let mut out = String::new();
        for unit in char::decode_utf16(name.encode_wide()) {
            match unit {
                Ok(c) => push_shown(&mut out, c, false),
                Err(e) => out.push_str(&format!("\\u{{{:x}}}", e.unpaired_surrogate())),
            }
        }
        out
    }
    #[cfg(not(any(unix, windows)))]
    {
        let mut out = String::new();
        for c in name.to_string_lossy().chars() {
            push_shown(&mut out, c, false);
        }
        out
    }
}

/// A whole path as [`shown`] (its separators kept), for messages.
pub fn shown_path(path: &Path) -> String {
    if cfg!(unix) {
        // `/` cannot be part of a name there, so the path is shown whole.
        shown(path.as_os_str())
    } else {
        let mut out = String::new();
        for c in path.display().to_string().chars() {
            push_shown(&mut out, c, false);
        }
        out
    }
}

/// Whether a character is written escaped in a shown name.
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn push_shown(out: &mut String, c: char, escape_backslash: bool) {
    if is_hidden_control(c) {
        out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
    } else if c == '\\' && escape_backslash {
        out.push_str("\\\\");
    } else {
        out.push(c);
    }
}

/// The path a [`shown`] name (or a relative name joined with `/`) stands
/// for: the inverse of showing it. Text that is not an escape is kept as it is.
pub fn path_of_shown(shown: &str) -> PathBuf {
    let mut bytes: Vec<u8> = Vec::with_capacity(shown.len());
    let mut wide: Vec<u16> = Vec::new();
    let mut rest = shown;
    while let Some(c) = rest.chars().next() {
        let (units, used) = unescape_one(rest).unwrap_or_else(|| (Unit::Char(c), c.len_utf8()));
        match units {
            Unit::Char(c) => {
                let mut buf = [0u8; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                wide.extend(c.encode_utf16(&mut [0u16; 2]).iter().copied());
            }
            Unit::Byte(b) => bytes.push(b),
            Unit::Wide(w) => wide.push(w),
        }
        rest = &rest[used..];
    }
    path_from_parts(bytes, wide)
}

/// One unit of a shown name.
enum Unit {
    Char(char),
    /// A byte that is not UTF-8 (Unix names).
    Byte(u8),
    /// An unpaired surrogate (Windows names).
    Wide(u16),
}

/// The escape at the start of `text` and its length, if it starts with one.
fn unescape_one(text: &str) -> Option<(Unit, usize)> {
    let rest = text.strip_prefix('\\')?;
    if rest.starts_with('\\') {
        return Some((Unit::Char('\\'), 2));
    }
    if let Some(hex) = rest.strip_prefix('x') {
        let byte = u8::from_str_radix(hex.get(..2)?, 16).ok()?;
        return Some((Unit::Byte(byte), 4));
    }
    let body = rest.strip_prefix("u{")?;
    let end = body.find('}')?;
    let value = u32::from_str_radix(&body[..end], 16).ok()?;
    let unit = match char::from_u32(value) {
        Some(c) => Unit::Char(c),
        None => Unit::Wide(u16::try_from(value).ok()?),
    };
    Some((unit, 4 + end))
}

#[cfg(unix)]
fn path_from_parts(bytes: Vec<u8>, _wide: Vec<u16>) -> PathBuf {
    use std::os::unix::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_vec(bytes))
}

#[cfg(windows)]
fn path_from_parts(_bytes: Vec<u8>, wide: Vec<u16>) -> PathBuf {
    use std::os::windows::ffi::OsStringExt;
    PathBuf::from(std::ffi::OsString::from_wide(&wide))
}

#[cfg(not(any(unix, windows)))]
fn path_from_parts(bytes: Vec<u8>, _wide: Vec<u16>) -> PathBuf {
    PathBuf::from(String::from_utf8_lossy(&bytes).into_owned())
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

    #[test]
    fn plain_names_are_shown_as_they_are() {
        let name = "（令和7年）条例 第1号.txt";
        assert_eq!(shown(OsStr::new(name)), name);
        assert_eq!(path_of_shown(name), PathBuf::from(name));
        assert_eq!(
            relative_name(Path::new("egov-acts/a b/c.xml")),
            "egov-acts/a b/c.xml"
        );
    }

    #[test]
    fn control_characters_cannot_break_a_line_or_forge_a_message() {
        let name = "a\ntenken: error\u{1b}[31m\u{202e}.txt";
        let shown = shown(OsStr::new(name));
        assert_eq!(shown, "a\\u{a}tenken: error\\u{1b}[31m\\u{202e}.txt");
        assert!(!shown.contains(|c: char| c.is_control()));
        assert_eq!(path_of_shown(&shown), PathBuf::from(name));
    }

    #[cfg(unix)]
    #[test]
    fn bytes_that_are_not_utf8_are_kept_recoverable() {
        use std::os::unix::ffi::OsStrExt;
        let raw = OsStr::from_bytes(b"\x8c\xe0\x8b\x4b \\ \\x41.txt");
        let shown = shown(raw);
        assert_eq!(shown, "\\x8c\\xe0\\x8bK \\\\ \\\\x41.txt");
        assert_eq!(path_of_shown(&shown).as_os_str(), raw);
        assert_eq!(relative_name(Path::new(raw)), shown);
    }
}

/// A file that gave nothing, and why: how every output lists it (the
/// checklist's 集計 sheet, the index's and the export's reports).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct UnreadableFile {
    pub file: String,
    pub reason: String,
}

/// A file to read once (for the index or the export): where it is, and its
/// key (its canonical path).
#[derive(Clone)]
pub struct Candidate {
    pub source: Source,
    pub key: String,
}

/// The problems met while walking, as failures (file, reason).
pub fn walk_failures(files: &Collected) -> Vec<UnreadableFile> {
    files
        .errors
        .iter()
        .map(|e| UnreadableFile {
            file: e.file.clone(),
            reason: e.error.to_string(),
        })
        .collect()
}

/// The files to index, each once, keyed by their canonical path.
pub fn candidates(sources: &[Source]) -> Vec<Candidate> {
    let mut seen = BTreeSet::new();
    sources
        .iter()
        .filter_map(|source| {
            let key = file_key(&source.path);
            seen.insert(key.clone()).then(|| Candidate {
                source: source.clone(),
                key,
            })
        })
        .collect()
}

/// A file's key: its canonical path when it has one, else the path as given.
pub fn file_key(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .to_string_lossy()
        .into_owned()
}

/// Where a file comes from: the first folder of its name relative to the
/// folder indexed (egov-acts, tokyo-wards …), else the folder it is in.
pub fn source_of(source: &Source) -> String {
    if let Some((first, _)) = source.name.split_once('/') {
        return first.to_string();
    }
    source
        .path
        .canonicalize()
        .ok()
        .as_deref()
        .and_then(Path::parent)
        .and_then(Path::file_name)
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned())
}
