//! The `tenken` command line. Library code returns typed errors; this file turns
//! them into one-line messages and exit codes: 0 when every file was read, 1
//! when some files failed, 2 when the command itself was wrong.

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use tenken::output;
use tenken::reading::{self, FileError};
use tenken::structure::Document;
use tenken::tokenizing::Tokenizer;

/// tenken (点検) reviews Japanese 例規 (条例・規則・要綱) and national laws for analog
/// regulations (アナログ規制).
#[derive(Parser)]
#[command(name = "tenken", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read 例規 files and show how tenken cuts them into 条・項・号.
    ///
    /// Give files or folders (folders are read with everything below them). Each
    /// file's format and encoding are recognised from its content: e-Gov
    /// 法令標準XML, Reiki-Base 例規集 HTML, the government law-data HTML, plain or
    /// Markdown-like text; UTF-8, Shift_JIS or EUC-JP. A file that cannot be read
    /// is reported on one line and the others are still read.
    ///
    /// Examples:
    ///   tenken parse corpus/
    ///   tenken parse --format jsonl corpus/ > provisions.jsonl
    ///   tenken parse --format json 公告式条例.txt
    #[command(verbatim_doc_comment)]
    Parse {
        /// Files or folders to read.
        #[arg(default_value = "corpus")]
        paths: Vec<PathBuf>,
        /// How to print the result.
        #[arg(long, short, value_enum, default_value_t = ParseFormat::Outline)]
        format: ParseFormat,
        /// Write to this file instead of the screen (written safely: the old
        /// file stays intact until the new one is complete).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Do not show the progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Show how a sentence splits into morphemes (useful when writing rules).
    ///
    /// Each morpheme is printed with its 原形 (base form), part of speech and
    /// character offsets. The IPADIC dictionary is built from the MeCab IPADIC
    /// source (Debian package mecab-ipadic) on first use and cached.
    ///
    /// Example:
    ///   tenken tokens 標識を公衆の見やすい場所に掲示しなければならない。
    #[command(verbatim_doc_comment)]
    Tokens {
        /// The text to split; read from standard input when absent.
        text: Option<String>,
        #[arg(long, short, value_enum, default_value_t = TokensFormat::Table)]
        format: TokensFormat,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum TokensFormat {
    /// One morpheme per line: surface, 原形, part of speech, offsets.
    Table,
    /// One JSON object per morpheme.
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum ParseFormat {
    /// An indented outline of each 例規, for reading.
    Outline,
    /// One JSON line per provision (file, kind, citation, normalized, text …).
    Jsonl,
    /// A JSON array with one document tree per file.
    Json,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Parse {
            paths,
            format,
            output,
            quiet,
        } => parse(&paths, format, output.as_deref(), quiet),
        Command::Tokens { text, format } => tokens(text, format),
    }
}

fn tokens(text: Option<String>, format: TokensFormat) -> ExitCode {
    let text = match text {
        Some(text) => text,
        None => {
            let mut buffer = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut buffer) {
                eprintln!("tenken: cannot read standard input: {e}");
                return ExitCode::from(1);
            }
            buffer
        }
    };
    let result = Tokenizer::new().and_then(|t| t.tokenize(&text));
    let tokens = match result {
        Ok(tokens) => tokens,
        Err(e) => {
            eprintln!("tenken: {e}");
            return ExitCode::from(1);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = tokens.iter().try_for_each(|t| match format {
        TokensFormat::Table => writeln!(
            out,
            "{}\t{}\t{}\t{}-{}",
            t.surface, t.base_form, t.pos, t.start, t.end
        ),
        TokensFormat::Jsonl => serde_json::to_string(t)
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(out, "{line}")),
    });
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tenken: cannot write standard output: {e}");
            ExitCode::from(1)
        }
    }
}

fn parse(
    paths: &[PathBuf],
    format: ParseFormat,
    output: Option<&std::path::Path>,
    quiet: bool,
) -> ExitCode {
    let (sources, walk_errors) = reading::files::collect(paths);
    let progress = progress_bar(sources.len() as u64, quiet);
    let results = reading::files::read_all(&sources, &|_| progress.inc(1));
    progress.finish_and_clear();
    let mut failures: Vec<&FileError> = walk_errors.iter().collect();
    let mut documents: Vec<&Document> = Vec::new();
    for result in &results {
        match result {
            Ok(doc) => documents.push(doc),
            Err(e) => failures.push(e),
        }
    }
    for failure in &failures {
        eprintln!("tenken: {failure}");
    }
    let written = match output {
        Some(path) => output::write_atomically(path, |w| print(&documents, format, w)),
        None => {
            let stdout = std::io::stdout();
            let mut lock = stdout.lock();
            print(&documents, format, &mut lock).and_then(|()| lock.flush())
        }
    };
    if let Err(e) = written
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        let target = output.map_or_else(
            || "standard output".to_string(),
            |p| p.display().to_string(),
        );
        eprintln!("tenken: cannot write {target}: {e}");
        return ExitCode::from(1);
    }
    if sources.is_empty() && failures.is_empty() {
        eprintln!("tenken: no 例規 files found in the paths given");
        return ExitCode::from(1);
    }
    if !quiet {
        eprintln!(
            "tenken: read {} of {} files{}",
            documents.len(),
            sources.len(),
            if failures.is_empty() {
                String::new()
            } else {
                format!(", {} failed", failures.len())
            }
        );
    }
    if failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn print(documents: &[&Document], format: ParseFormat, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        ParseFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, documents)?;
            out.write_all(b"\n")
        }
        ParseFormat::Jsonl => documents
            .iter()
            .try_for_each(|d| output::write_jsonl(d, out)),
        ParseFormat::Outline => documents
            .iter()
            .try_for_each(|d| output::write_outline(d, out)),
    }
}

/// A progress bar on standard error; hidden when it is not a terminal or with --quiet.
fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || len < 2 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    let style =
        ProgressStyle::with_template("{spinner} {pos}/{len} files [{bar:30}] {per_sec} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
    bar.set_style(style);
    bar
}
