//! NDJSON files for the bulk API, written as documents come: an action line
//! (`{"index":{"_index":…,"_id":…}}`) and the document on the next line,
//! a new file (`<stem>-0001.ndjson`, `-0002` …) before one would pass the
//! size limit. Each file is written under a temporary name and renamed once
//! complete, and ends with the newline the bulk API requires.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use super::ExportError;
use crate::output::temporary_path;

/// A bulk file being written.
struct OpenFile {
    temp: PathBuf,
    path: PathBuf,
    out: BufWriter<File>,
    bytes: u64,
}

/// Writes the documents of one index into numbered bulk files.
pub(crate) struct BulkWriter {
    dir: PathBuf,
    stem: &'static str,
    index: String,
    max_bytes: u64,
    open: Option<OpenFile>,
    written: Vec<PathBuf>,
    documents: u64,
}

impl BulkWriter {
    /// Files `<dir>/<stem>-NNNN.ndjson` for the index `index`, each at most
    /// `max_bytes` long.
    pub(crate) fn new(dir: &Path, stem: &'static str, index: &str, max_bytes: u64) -> Self {
        Self {
            dir: dir.to_path_buf(),
            stem,
            index: index.to_string(),
            max_bytes,
            open: None,
            written: Vec::new(),
            documents: 0,
        }
    }

    /// Documents added so far.
    pub(crate) fn documents(&self) -> u64 {
        self.documents
    }

    /// Adds one document (`source` is its JSON on one line).
    pub(crate) fn add(&mut self, id: &str, source: &str) -> Result<(), ExportError> {
        let action = action_line(&self.index, id)?;
        let len = (action.len() + source.len() + 2) as u64;
        if len > self.max_bytes {
            return Err(ExportError::TooLarge {
                id: id.to_string(),
                bytes: len,
                max: self.max_bytes,
            });
        }
        if self
            .open
            .as_ref()
            .is_some_and(|f| f.bytes + len > self.max_bytes)
        {
            self.close()?;
        }
        let file = match self.open.take() {
            Some(file) => file,
            None => self.create()?,
        };
        let file = self.open.insert(file);
        let written = (|| {
            file.out.write_all(action.as_bytes())?;
            file.out.write_all(b"\n")?;
            file.out.write_all(source.as_bytes())?;
            file.out.write_all(b"\n")
        })();
        written.map_err(|source| ExportError::Io {
            path: file.temp.clone(),
            source,
        })?;
        file.bytes += len;
        self.documents += 1;
        Ok(())
    }

    /// Completes the last file and removes numbered files of an earlier
    /// export beyond the ones written now; returns the files written.
    pub(crate) fn finish(mut self) -> Result<Vec<PathBuf>, ExportError> {
        self.close()?;
        remove_stale(&self.dir, self.stem, self.written.len())?;
        Ok(std::mem::take(&mut self.written))
    }

    /// Opens the next numbered file under a temporary name.
    fn create(&mut self) -> Result<OpenFile, ExportError> {
        let name = file_name(self.stem, self.written.len() + 1);
        let path = self.dir.join(&name);
        let temp = temporary_path(&path);
        let file = File::create(&temp).map_err(|source| ExportError::Io {
            path: temp.clone(),
            source,
        })?;
        Ok(OpenFile {
            temp,
            path,
            out: BufWriter::new(file),
            bytes: 0,
        })
    }

    /// Flushes, syncs and renames the open file into place.
    fn close(&mut self) -> Result<(), ExportError> {
        let Some(file) = self.open.take() else {
            return Ok(());
        };
        let OpenFile {
            temp, path, out, ..
        } = file;
        let done = out
            .into_inner()
            .map_err(std::io::IntoInnerError::into_error)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&temp, &path));
        if let Err(source) = done {
            let _ = std::fs::remove_file(&temp);
            return Err(ExportError::Io { path, source });
        }
        self.written.push(path);
        Ok(())
    }
}

impl Drop for BulkWriter {
    /// A run that stops half-way leaves no temporary file behind.
    fn drop(&mut self) {
        if let Some(file) = self.open.take() {
            drop(file.out);
            let _ = std::fs::remove_file(&file.temp);
        }
    }
}

/// `provisions-0001.ndjson`.
pub(crate) fn file_name(stem: &str, number: usize) -> String {
    format!("{stem}-{number:04}.ndjson")
}

/// The bulk action line that indexes a document under its id:
/// `{"index":{"_index":"tenken-provisions","_id":"…"}}`.
fn action_line(index: &str, id: &str) -> Result<String, serde_json::Error> {
    #[derive(serde::Serialize)]
    struct Target<'a> {
        _index: &'a str,
        _id: &'a str,
    }
    #[derive(serde::Serialize)]
    struct Action<'a> {
        index: Target<'a>,
    }
    let action = Action {
        index: Target {
            _index: index,
            _id: id,
        },
    };
    serde_json::to_string(&action)
}

/// Removes `<stem>-NNNN.ndjson` files numbered above `kept` (left by an
/// earlier, larger export into the same folder), so that loading every
/// file of the folder loads this export only.
fn remove_stale(dir: &Path, stem: &str, kept: usize) -> Result<(), ExportError> {
    let io = |source| ExportError::Io {
        path: dir.to_path_buf(),
        source,
    };
    for entry in std::fs::read_dir(dir).map_err(io)? {
        let entry = entry.map_err(io)?;
        let name = entry.file_name();
        let number = name
            .to_str()
            .and_then(|n| n.strip_prefix(stem))
            .and_then(|n| n.strip_prefix('-'))
            .and_then(|n| n.strip_suffix(".ndjson"))
            .filter(|n| n.len() >= 4 && n.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|n| n.parse::<usize>().ok());
        if number.is_some_and(|n| n > kept) {
            let path = entry.path();
            std::fs::remove_file(&path).map_err(|source| ExportError::Io { path, source })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(path: &Path) -> Vec<String> {
        std::fs::read_to_string(path)
            .expect("bulk file reads")
            .lines()
            .map(str::to_string)
            .collect()
    }

    #[test]
    fn files_split_before_the_limit_and_end_with_a_newline() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut writer = BulkWriter::new(dir.path(), "provisions", "t-provisions", 200);
        for i in 0..10 {
            writer
                .add(&format!("id{i}"), &format!("{{\"n\":{i}}}"))
                .expect("adds");
        }
        assert_eq!(writer.documents(), 10);
        let files = writer.finish().expect("finishes");
        assert!(files.len() > 1, "{files:?}");
        let mut ids = Vec::new();
        for file in &files {
            let bytes = std::fs::read(file).expect("reads");
            assert!(bytes.len() <= 200, "{}", bytes.len());
            assert_eq!(bytes.last(), Some(&b'\n'));
            for pair in lines(file).chunks(2) {
                assert!(pair[0].starts_with(r#"{"index":{"_index":"t-provisions","_id":"#));
                let action: serde_json::Value = serde_json::from_str(&pair[0]).expect("JSON");
                assert_eq!(action["index"]["_index"], "t-provisions");
                ids.push(action["index"]["_id"].as_str().expect("id").to_string());
            }
        }
        assert_eq!(ids.len(), 10);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .expect("lists")
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
            .collect();
        assert!(leftovers.is_empty());
    }

    #[test]
    fn a_document_above_the_limit_is_an_error_and_leaves_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut writer = BulkWriter::new(dir.path(), "findings", "t-findings", 60);
        writer.add("a", "{}").expect("small fits");
        let big = format!("{{\"x\":\"{}\"}}", "y".repeat(100));
        assert!(matches!(
            writer.add("b", &big),
            Err(ExportError::TooLarge { .. })
        ));
        drop(writer);
        assert_eq!(std::fs::read_dir(dir.path()).expect("lists").count(), 0);
    }

    #[test]
    fn files_of_an_earlier_larger_export_are_removed() {
        let dir = tempfile::tempdir().expect("temp dir");
        for n in 1..=3 {
            std::fs::write(dir.path().join(file_name("findings", n)), "old\n").expect("seed");
        }
        std::fs::write(dir.path().join("findings-notes.ndjson"), "keep\n").expect("seed");
        let mut writer = BulkWriter::new(dir.path(), "findings", "t-findings", 1000);
        writer.add("a", "{}").expect("adds");
        let files = writer.finish().expect("finishes");
        assert_eq!(files, [dir.path().join("findings-0001.ndjson")]);
        assert!(!dir.path().join("findings-0002.ndjson").exists());
        assert!(!dir.path().join("findings-0003.ndjson").exists());
        assert!(dir.path().join("findings-notes.ndjson").exists());
    }
}
