//! The output folder of a scan (`--out`), where a checklist people work in
//! lives for months. Before anything is written there:
//! - one scan at a time: a lock file (`.tenken-scan.lock`) held by the scan's
//!   process, holding its pid and start time; the operating system releases
//!   the lock when the process ends however it ends, so a lock left by a
//!   crash is recognised and taken over;
//! - temporary files left by a scan that was stopped while writing are removed;
//! - the checklist already there is found, so that its decisions are carried
//!   over (as with `--ledger`): of `checklist.xlsx` and `checklist.csv`, the
//!   one people changed since tenken wrote it (tenken notes a hash of every
//!   file it writes in `.tenken-written.json`);
//! - a file about to be replaced is copied into `history/` first, and a
//!   spreadsheet program's lock file beside a checklist is reported.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::checklist::{CSV_NAME, XLSX_NAME};
use crate::hashing::fnv64_bytes;
use crate::output::{utc_stamp, write_atomically};

/// The lock file's name in the output folder. It holds who took it (pid and
/// start time); the operating system's lock on it is what keeps a second scan
/// out, and goes away however the scan ends.
pub const LOCK_NAME: &str = ".tenken-scan.lock";
/// On Windows a locked file cannot be read by another process (its locks are
/// mandatory), so who holds the lock is also written here, unlocked, for a
/// second scan to name; the holder removes it when it is done.
#[cfg(windows)]
const OWNER_NAME: &str = ".tenken-scan.owner";
/// Where tenken notes the hashes of the files it wrote.
pub const WRITTEN_NAME: &str = ".tenken-written.json";
/// The folder previous versions of replaced files are kept in.
pub const HISTORY_DIR: &str = "history";

/// Why the output folder cannot be used; each names the folder or file.
#[derive(Debug, thiserror::Error)]
pub enum FolderError {
    #[error(
        "{} には別の tenken scan（{holder}）が書き込み中です。終わるのを待つか、別の --out フォルダを指定してください (another tenken scan is writing into the folder)",
        dir.display()
    )]
    Busy { dir: PathBuf, holder: String },
    #[error(
        "{} の {XLSX_NAME} と {CSV_NAME} は、どちらも tenken が書き出した後に変更されているため、どちらに判断が入力されているのか決められません。引き継ぐほうを --ledger で指定してください（例: --ledger {}）。もう一方は {HISTORY_DIR}/ に控えを残します (both checklists were edited)",
        dir.display(),
        dir.join(XLSX_NAME).display()
    )]
    BothEdited { dir: PathBuf },
    #[error("{}: {}", path.display(), crate::messages::io(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn io_error(path: &Path) -> impl FnOnce(std::io::Error) -> FolderError + '_ {
    move |source| FolderError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// An output folder this process holds the lock of. The lock is released
/// when it is dropped (or when the process ends).
#[derive(Debug)]
pub struct OutFolder {
    dir: PathBuf,
    lock: File,
    /// Whether this scan created the folder (it is removed again when
    /// nothing was written into it).
    created: bool,
}

/// What claiming a folder found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Claimed {
    /// The holder of a lock left behind by a scan that stopped without
    /// finishing ("pid 1234、20261130-090000 UTC 開始"), now taken over.
    pub stale_lock: Option<String>,
    /// Temporary files of a stopped scan that were removed.
    pub removed: Vec<PathBuf>,
}

impl OutFolder {
    /// Creates `dir` if needed and takes its lock, or says who holds it.
    /// Temporary files a stopped scan left in it are removed.
    pub fn claim(dir: &Path) -> Result<(OutFolder, Claimed), FolderError> {
        let created = !dir.exists();
        std::fs::create_dir_all(dir).map_err(io_error(dir))?;
        let path = dir.join(LOCK_NAME);
        let mut lock = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_error(&path))?;
        let mut before = String::new();
        // A lock file that cannot be read as text is simply replaced.
        let _ = lock.read_to_string(&mut before);
        let before = before.trim().to_string();
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(FolderError::Busy {
                    dir: dir.to_path_buf(),
                    holder: holder_of(&mut lock, before, dir),
                });
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(io_error(&path)(e)),
        }
        let holder = format!(
            "pid {}、{} UTC 開始",
            std::process::id(),
            utc_stamp(std::time::SystemTime::now())
        );
        lock.set_len(0)
            .and_then(|()| lock.seek(SeekFrom::Start(0)))
            .and_then(|_| lock.write_all(holder.as_bytes()))
            .and_then(|()| lock.sync_data())
            .map_err(io_error(&path))?;
        #[cfg(windows)]
        let _ = std::fs::write(dir.join(OWNER_NAME), &holder);
        let folder = OutFolder {
            dir: dir.to_path_buf(),
            lock,
            created,
        };
        let claimed = Claimed {
            stale_lock: (!before.is_empty()).then_some(before),
            removed: folder.remove_temporary_files(),
        };
        Ok((folder, claimed))
    }

    /// The folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Removes `.<name>.<pid>.tmp` files (tenken's temporary names) from the
    /// folder and its `history/`: while this scan holds the lock, no other
    /// tenken writes there, so they were left by a scan that was stopped.
    fn remove_temporary_files(&self) -> Vec<PathBuf> {
        let mut removed = Vec::new();
        for dir in [self.dir.clone(), self.dir.join(HISTORY_DIR)] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name();
                let is_file = entry.file_type().is_ok_and(|t| t.is_file());
                if is_file
                    && is_temporary_name(&name.to_string_lossy())
                    && std::fs::remove_file(entry.path()).is_ok()
                {
                    removed.push(entry.path());
                }
            }
        }
        removed.sort();
        removed
    }

    /// The checklist already in the folder whose decisions a new scan
    /// carries over: the one of `checklist.xlsx` and `checklist.csv` that
    /// people changed since tenken wrote it (the XLSX when neither was; the
    /// newer when tenken has no note of what it wrote). `None` when there is
    /// no checklist; an error when both were changed.
    pub fn existing_checklist(&self) -> Result<Option<PathBuf>, FolderError> {
        let xlsx = self.dir.join(XLSX_NAME);
        let csv = self.dir.join(CSV_NAME);
        let written = self.written();
        let chosen = match (xlsx.is_file(), csv.is_file()) {
            (false, false) => None,
            (true, false) => Some(xlsx),
            (false, true) => Some(csv),
            (true, true) => match (self.changed(&xlsx, &written), self.changed(&csv, &written)) {
                (_, false) => Some(xlsx),
                (false, true) => Some(csv),
                (true, true) if !written.is_empty() => {
                    return Err(FolderError::BothEdited {
                        dir: self.dir.clone(),
                    });
                }
                (true, true) => Some(if modified(&csv) > modified(&xlsx) {
                    csv
                } else {
                    xlsx
                }),
            },
        };
        Ok(chosen)
    }

    /// Whether `path` differs from what tenken last wrote there (or tenken
    /// has no note of it).
    pub fn changed_since_written(&self, path: &Path) -> bool {
        self.changed(path, &self.written())
    }

    fn changed(&self, path: &Path, written: &BTreeMap<String, String>) -> bool {
        let Some(name) = path.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            return true;
        };
        match (written.get(&name), std::fs::read(path)) {
            (Some(hash), Ok(bytes)) => *hash != hash_of(&bytes),
            _ => true,
        }
    }

    /// The hashes tenken noted of the files it wrote (empty when none).
    fn written(&self) -> BTreeMap<String, String> {
        std::fs::read(self.dir.join(WRITTEN_NAME))
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default()
    }

    /// Notes the hashes of the files just written (by name), so that the next
    /// scan can tell whether people changed them.
    pub fn note_written(&self, files: &[PathBuf]) -> Result<(), FolderError> {
        let mut written = BTreeMap::new();
        for file in files {
            let bytes = std::fs::read(file).map_err(io_error(file))?;
            if let Some(name) = file.file_name() {
                written.insert(name.to_string_lossy().into_owned(), hash_of(&bytes));
            }
        }
        let path = self.dir.join(WRITTEN_NAME);
        let json = serde_json::to_vec_pretty(&written).map_err(|e| io_error(&path)(e.into()))?;
        write_atomically(&path, |w| w.write_all(&json)).map_err(io_error(&path))
    }

    /// Copies `file` into `history/` as `<stem>-<UTC time>.<ext>` before it
    /// is replaced; returns the copy's path.
    pub fn keep_in_history(&self, file: &Path) -> Result<PathBuf, FolderError> {
        let bytes = std::fs::read(file).map_err(io_error(file))?;
        let history = self.dir.join(HISTORY_DIR);
        std::fs::create_dir_all(&history).map_err(io_error(&history))?;
        let copy = history_name(&history, file, std::time::SystemTime::now());
        write_atomically(&copy, |w| w.write_all(&bytes)).map_err(io_error(&copy))?;
        Ok(copy)
    }

    /// Moves `file` into `history/` (a file the new outputs leave stale).
    pub fn move_to_history(&self, file: &Path) -> Result<PathBuf, FolderError> {
        let copy = self.keep_in_history(file)?;
        std::fs::remove_file(file).map_err(io_error(file))?;
        Ok(copy)
    }

    /// Gives the folder up after a run that wrote nothing: a folder this
    /// scan created is removed again (it holds only the lock file).
    pub fn abandon(self) {
        let (dir, created) = (self.dir.clone(), self.created);
        drop(self);
        if created {
            let _ = std::fs::remove_file(dir.join(LOCK_NAME));
            let _ = std::fs::remove_dir(&dir);
        }
    }
}

impl Drop for OutFolder {
    /// Empties the lock file (an empty lock file was released properly) and
    /// releases the lock.
    fn drop(&mut self) {
        let _ = self.lock.set_len(0);
        #[cfg(windows)]
        let _ = std::fs::remove_file(self.dir.join(OWNER_NAME));
        let _ = self.lock.unlock();
    }
}

/// Who holds a lock file: what it says, waiting a moment for a holder that
/// has only just taken it to write its pid.
fn holder_of(lock: &mut File, mut said: String, dir: &Path) -> String {
    for _ in 0..50 {
        if !said.is_empty() {
            return said;
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
        said = written_holder(lock, dir);
    }
    "pid 不明".into()
}

/// What the holder of the lock wrote: in the lock file, or on Windows (where
/// the locked file cannot be read) in the owner file beside it.
fn written_holder(lock: &mut File, dir: &Path) -> String {
    #[cfg(windows)]
    {
        let _ = lock;
        std::fs::read_to_string(dir.join(OWNER_NAME))
            .map(|text| text.trim().to_string())
            .unwrap_or_default()
    }
    #[cfg(not(windows))]
    {
        let _ = dir;
        let mut text = String::new();
        if lock.seek(SeekFrom::Start(0)).is_ok() && lock.read_to_string(&mut text).is_ok() {
            text.trim().to_string()
        } else {
            String::new()
        }
    }
}

/// Whether a file name is one of tenken's temporary names, `.<name>.<pid>.tmp`.
fn is_temporary_name(name: &str) -> bool {
    let Some(inner) = name.strip_prefix('.').and_then(|n| n.strip_suffix(".tmp")) else {
        return false;
    };
    inner.rsplit_once('.').is_some_and(|(stem, pid)| {
        !stem.is_empty() && !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit())
    })
}

/// A free name in `history` for a copy of `file` made at `time`.
fn history_name(history: &Path, file: &Path, time: std::time::SystemTime) -> PathBuf {
    let stem = file
        .file_stem()
        .map_or_else(|| "checklist".into(), |s| s.to_string_lossy().into_owned());
    let extension = file
        .extension()
        .map_or_else(String::new, |e| format!(".{}", e.to_string_lossy()));
    let stamp = utc_stamp(time);
    let mut copy = history.join(format!("{stem}-{stamp}{extension}"));
    let mut n = 2;
    while copy.exists() {
        copy = history.join(format!("{stem}-{stamp}-{n}{extension}"));
        n += 1;
    }
    copy
}

fn hash_of(bytes: &[u8]) -> String {
    format!("{:016x}", fnv64_bytes(bytes))
}

fn modified(path: &Path) -> Option<std::time::SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The lock file a spreadsheet program keeps beside a file it has open, if
/// there is one: LibreOffice's `.~lock.<name>#`, Excel's `~$<name>`.
pub fn open_in_spreadsheet(file: &Path) -> Option<PathBuf> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = file.file_name()?.to_string_lossy().into_owned();
    let excel_name: String = {
        // Excel replaces the first two characters of long names with ~$.
        let rest: String = name.chars().skip(2).collect();
        format!("~${rest}")
    };
    [format!(".~lock.{name}#"), format!("~${name}"), excel_name]
        .into_iter()
        .map(|lock| dir.join(lock))
        .find(|lock| lock.exists())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_claim_is_refused_and_names_the_holder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        let (first, claimed) = OutFolder::claim(&out).expect("first claim");
        assert_eq!(claimed, Claimed::default());
        let busy = OutFolder::claim(&out).expect_err("second claim");
        let message = busy.to_string();
        assert!(
            message.contains(&format!("pid {}", std::process::id())),
            "{message}"
        );
        assert!(message.contains("--out"), "{message}");
        drop(first);
        let (_again, claimed) = OutFolder::claim(&out).expect("claim after release");
        assert_eq!(claimed.stale_lock, None, "a released lock is not stale");
    }

    #[test]
    fn a_lock_left_by_a_crash_is_taken_over_and_its_temporary_files_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("out");
        std::fs::create_dir_all(out.join(HISTORY_DIR)).expect("mkdir");
        // What a killed scan leaves: a lock file with its holder, nobody
        // holding it, and half-written outputs under temporary names.
        std::fs::write(out.join(LOCK_NAME), "pid 99999、20261130-101010 UTC 開始").expect("lock");
        for name in [
            ".checklist.xlsx.4242.tmp",
            "history/.checklist-x.xlsx.7.tmp",
        ] {
            std::fs::write(out.join(name), "half").expect("temp");
        }
        std::fs::write(out.join(".notes.tmp"), "a user's file").expect("other");
        std::fs::write(out.join("checklist.xlsx"), "kept").expect("checklist");
        let (_folder, claimed) = OutFolder::claim(&out).expect("claim");
        assert_eq!(
            claimed.stale_lock.as_deref(),
            Some("pid 99999、20261130-101010 UTC 開始")
        );
        assert_eq!(claimed.removed.len(), 2, "{:?}", claimed.removed);
        assert!(out.join(".notes.tmp").exists(), "only tenken's names go");
        assert!(out.join("checklist.xlsx").exists());
    }

    #[test]
    fn the_checklist_people_changed_is_the_one_carried_over() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (folder, _) = OutFolder::claim(dir.path()).expect("claim");
        assert_eq!(folder.existing_checklist().expect("none"), None);
        let (xlsx, csv) = (dir.path().join(XLSX_NAME), dir.path().join(CSV_NAME));
        std::fs::write(&xlsx, "as written").expect("xlsx");
        std::fs::write(&csv, "as written").expect("csv");
        folder
            .note_written(&[xlsx.clone(), csv.clone()])
            .expect("note");
        assert_eq!(
            folder.existing_checklist().expect("xlsx"),
            Some(xlsx.clone())
        );
        std::fs::write(&csv, "edited").expect("edit csv");
        assert_eq!(folder.existing_checklist().expect("csv"), Some(csv.clone()));
        assert!(folder.changed_since_written(&csv));
        assert!(!folder.changed_since_written(&xlsx));
        std::fs::write(&xlsx, "edited too").expect("edit xlsx");
        let both = folder.existing_checklist().expect_err("both changed");
        let message = both.to_string();
        assert!(
            message.contains("どちらに判断が入力されているのか決められません")
                && message.contains("--ledger"),
            "{message}"
        );
    }

    #[test]
    fn history_copies_never_overwrite_each_other() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (folder, _) = OutFolder::claim(dir.path()).expect("claim");
        let file = dir.path().join(XLSX_NAME);
        std::fs::write(&file, "one").expect("write");
        let first = folder.keep_in_history(&file).expect("copy");
        std::fs::write(&file, "two").expect("write");
        let second = folder.keep_in_history(&file).expect("copy");
        assert_ne!(first, second);
        assert_eq!(std::fs::read_to_string(first).expect("read"), "one");
        assert_eq!(std::fs::read_to_string(second).expect("read"), "two");
    }

    #[test]
    fn spreadsheet_lock_files_are_recognised() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join(XLSX_NAME);
        std::fs::write(&file, "x").expect("write");
        assert_eq!(open_in_spreadsheet(&file), None);
        let libreoffice = dir.path().join(format!(".~lock.{XLSX_NAME}#"));
        std::fs::write(&libreoffice, "x").expect("write");
        assert_eq!(open_in_spreadsheet(&file), Some(libreoffice));
        assert!(is_temporary_name(".checklist.csv.123.tmp"));
        assert!(!is_temporary_name(".checklist.csv.tmp"));
        assert!(!is_temporary_name("checklist.csv.1.tmp"));
    }
}
