//! `tenken parse`: how files are cut into 条・項・号.

use crate::cli::Exit;
use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use tenken::output;
use tenken::reading;
use tenken::structure::Document;

use super::commands::ParseFormat;
use tenken::pipeline::progress::FileProgress;

/// How many files are read (in parallel) before their documents are
/// written: the output is in the files' order, and memory holds one batch,
/// not the whole 例規集.
const BATCH: usize = 256;

pub(crate) fn parse(
    paths: &[PathBuf],
    format: ParseFormat,
    output: Option<&std::path::Path>,
    file_timeout: Duration,
    quiet: bool,
) -> Exit {
    let (sources, walk_errors) = reading::files::collect(paths);
    for failure in &walk_errors {
        eprintln!("tenken: {failure}");
    }
    let progress = FileProgress::new(&sources, quiet);
    let mut read = 0;
    let mut failed = walk_errors.len();
    let mut write = |out: &mut dyn Write| -> std::io::Result<()> {
        let mut writer = Printer::new(format, out)?;
        for batch in sources.chunks(BATCH) {
            let results = reading::files::read_all_within(batch, file_timeout, &|s| {
                progress.file_done(&s.path);
            });
            for result in results {
                match result {
                    Ok(document) => {
                        read += 1;
                        writer.print(&document)?;
                    }
                    Err(e) => {
                        failed += 1;
                        progress.println(&format!("tenken: {e}"));
                    }
                }
            }
        }
        writer.finish()
    };
    let written = match output {
        Some(path) => output::write_atomically(path, |w| write(w)),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            write(&mut lock).and_then(|()| lock.flush())
        }
    };
    progress.finish();
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let target = output.map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string(),
        );
        eprintln!("tenken: cannot write {target}: {e}");
        return Exit::Failed;
    }
    if sources.is_empty() && failed == 0 {
        eprintln!("tenken: no 例規 files found in the paths given");
        return Exit::Failed;
    }
    if !quiet {
        eprintln!(
            "tenken: read {read} of {} files{}",
            sources.len(),
            if failed == 0 {
                String::new()
            } else {
                format!(", {failed} failed")
            }
        );
    }
    if failed == 0 {
        Exit::Done
    } else {
        Exit::Failed
    }
}

/// Writes documents one at a time in a format: JSON (one array), JSON Lines
/// or the outline.
struct Printer<'w> {
    format: ParseFormat,
    out: &'w mut dyn Write,
    first: bool,
}

impl<'w> Printer<'w> {
    fn new(format: ParseFormat, out: &'w mut dyn Write) -> std::io::Result<Printer<'w>> {
        if let ParseFormat::Json = format {
            out.write_all(b"[")?;
        }
        Ok(Printer {
            format,
            out,
            first: true,
        })
    }

    fn print(&mut self, document: &Document) -> std::io::Result<()> {
        let first = std::mem::replace(&mut self.first, false);
        match self.format {
            ParseFormat::Json => {
                self.out.write_all(if first { b"\n" } else { b",\n" })?;
                write_indented(document, self.out)
            }
            ParseFormat::Jsonl => output::write_jsonl(document, self.out),
            ParseFormat::Outline => output::write_outline(document, self.out),
        }
    }

    fn finish(self) -> std::io::Result<()> {
        if let ParseFormat::Json = self.format {
            self.out
                .write_all(if self.first { b"]\n" } else { b"\n]\n" })?;
        }
        Ok(())
    }
}

/// A document as an element of a pretty-printed JSON array: indented by two
/// spaces, as `serde_json::to_writer_pretty` prints a whole array.
fn write_indented(document: &Document, out: &mut dyn Write) -> std::io::Result<()> {
    let text = serde_json::to_string_pretty(document)?;
    for (at, line) in text.lines().enumerate() {
        if at > 0 {
            out.write_all(b"\n")?;
        }
        out.write_all(b"  ")?;
        out.write_all(line.as_bytes())?;
    }
    Ok(())
}
