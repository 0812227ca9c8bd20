//! The `tenken` command line: parses the arguments (`cli::commands`), sets up
//! the threads and hands each command to its file in `cli/`. Library code
//! returns typed errors; `cli` turns them into one-line messages and exit
//! codes: 0 when every file was read, 1 when some files failed, 2 when the
//! command itself was wrong.

use clap::Parser;
use std::process::ExitCode;

mod cli;

use cli::Exit;
use cli::commands::{Command, ExportFormat};
use cli::scan::Clerk;
use std::time::Duration;

/// The help of `tenken` itself, with Japanese headings instead of clap's
/// "Usage:", "Commands:" and "Options:".
const TOP_HELP: &str = "{before-help}{about-with-newline}\n使い方: {usage}\n\n\
    コマンド:\n{subcommands}\n\nオプション:\n{options}{after-help}";
/// tenken（点検）: 例規（条例・規則・要綱）と国の法令からアナログ規制を見つけます
#[derive(Parser)]
#[command(
    name = "tenken",
    version,
    long_about = None,
    help_template = TOP_HELP,
    override_usage = "tenken [オプション] <コマンド>",
    disable_help_flag = true,
    disable_version_flag = true,
    after_help = "はじめに: tenken scan corpus/ --html out/report\n  \
        out/checklist.xlsx（Excel で作業するチェックリスト）、out/checklist.csv、out/findings.jsonl と\n  \
        HTML レポート out/report/index.html を書き出します。\n  \
        各コマンドの説明は tenken <コマンド> --help で表示します。"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// スレッドの数（既定: CPU のコア数）
    #[arg(
        long,
        global = true,
        value_name = "N",
        long_help = "ファイルの読み込み・照合・索引作成に使うスレッドの数\n（既定: CPU のコア数）"
    )]
    threads: Option<std::num::NonZeroUsize>,
    /// 使い方を表示します（--help でくわしく）
    #[arg(short = 'h', long = "help", global = true, action = clap::ArgAction::Help)]
    help: Option<bool>,
    /// バージョンを表示します
    #[arg(short = 'V', long = "version", action = clap::ArgAction::Version)]
    version: Option<bool>,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() {
                // clap's own explanation, which follows, is in English.
                eprintln!(
                    "tenken: コマンドの指定に誤りがあります。下の説明と tenken <コマンド> --help を\
                     確認してください (invalid command line)"
                );
            }
            e.exit()
        }
    };
    let cores = cli.threads.map_or_else(
        || std::thread::available_parallelism().map_or(2, |n| n.get()),
        |n| n.get(),
    );
    tenken::memory::tune_allocator(matches!(cli.command, Command::Index { .. }).then_some(cores));
    if let Some(threads) = cli.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.get())
            .build_global()
    {
        eprintln!(
            "tenken: {threads} 個のスレッドを起動できません (cannot start {threads} threads: {e})"
        );
        return Exit::Usage.into();
    }
    dispatch(cli.command).into()
}

/// Runs one command with its arguments.
fn dispatch(command: Command) -> Exit {
    match command {
        Command::Parse {
            paths,
            format,
            output,
            run,
        } => cli::with_inputs(paths, run.quiet, |paths| {
            cli::parse::parse(
                paths,
                format,
                output.as_deref(),
                run.file_timeout,
                run.quiet,
            )
        }),
        Command::Tokens { text, format } => cli::tokens::tokens(text, format),
        Command::Scan {
            paths,
            out,
            rules,
            html,
            templates,
            ledger,
            laws,
            precedents,
            run,
        } => cli::with_inputs(paths, run.quiet, |paths| {
            cli::scan::run(&Clerk {
                paths,
                checklist: Some(&out),
                html: html.as_deref(),
                rules: rules.as_deref(),
                templates: templates.as_deref(),
                ledger: ledger.as_deref(),
                laws: laws.as_deref(),
                precedents: precedents.as_deref(),
                file_timeout: run.file_timeout,
                restart: run.restart,
                quiet: run.quiet,
            })
        }),
        Command::Basis {
            paths,
            laws,
            rules,
            output,
            run,
        } => cli::with_inputs(paths, run.quiet, |paths| {
            cli::basis::run(
                paths,
                &cli::basis::Options {
                    laws: laws.as_deref(),
                    rules: rules.as_deref(),
                    output: output.as_deref(),
                    file_timeout: run.file_timeout,
                    quiet: run.quiet,
                },
            )
        }),
        Command::Rules { action, rules } => cli::rules::rules_command(action, rules.as_deref()),
        Command::Diff {
            old,
            new,
            rules,
            format,
            output,
            run,
        } => cli::diff::run(
            &old,
            &new,
            &cli::diff::Options {
                rules: rules.rules.as_deref(),
                format,
                output: output.as_deref(),
                quiet: run.quiet,
                file_timeout: run.file_timeout,
            },
        ),
        Command::Index {
            paths,
            index,
            rules,
            collection,
            commit_every,
            run,
        } => cli::with_inputs(paths, run.quiet, |paths| {
            cli::index::index_command(
                paths,
                &index,
                rules.rules.as_deref(),
                &tenken::index::IndexOptions {
                    commit_every: Duration::from_secs(commit_every),
                    budget: run.file_timeout,
                    collection: collection.clone(),
                },
                run.quiet,
            )
        }),
        Command::Export {
            paths,
            format: ExportFormat::Opensearch,
            out,
            rules,
            index_prefix,
            max_bytes,
            run,
        } => cli::with_inputs(paths, run.quiet, |paths| {
            cli::export::run(
                paths,
                &cli::export::Options {
                    out: &out,
                    rules: rules.rules.as_deref(),
                    index_prefix: &index_prefix,
                    max_bytes,
                    file_timeout: run.file_timeout,
                    quiet: run.quiet,
                },
            )
        }),
        Command::Search {
            query,
            index,
            limit,
            offset,
            format,
        } => cli::search::search_command(&query, &index, limit, offset, format),
        Command::Similar {
            id,
            index,
            code,
            limit,
            format,
        } => cli::similar::similar_command(&cli::similar::Ask {
            id: &id,
            index: &index,
            code: code.as_deref(),
            limit,
            format,
        }),
        Command::Counts {
            query,
            index,
            format,
        } => cli::counts::counts_command(query.as_deref(), &index, format),
        Command::Serve { index, addr } => cli::serve::serve_command(&index, addr),
        Command::Draft {
            paths,
            ledger,
            out,
            rules,
            all,
            quiet,
        } => cli::with_inputs(paths, quiet, |paths| {
            cli::draft::run(
                paths,
                &cli::draft::Options {
                    ledger: &ledger,
                    out: &out,
                    rules: rules.as_deref(),
                    selection: if all {
                        tenken::drafting::Selection::AlsoOpen
                    } else {
                        tenken::drafting::Selection::Decided
                    },
                    quiet,
                },
            )
        }),
        Command::Report {
            paths,
            out,
            rules,
            templates,
            ledger,
            laws,
            precedents,
            run,
        } => cli::with_inputs(paths, run.quiet, |paths| {
            cli::scan::run(&Clerk {
                paths,
                checklist: None,
                html: Some(&out),
                rules: rules.as_deref(),
                templates: templates.as_deref(),
                ledger: ledger.as_deref(),
                laws: laws.as_deref(),
                precedents: precedents.as_deref(),
                file_timeout: run.file_timeout,
                restart: run.restart,
                quiet: run.quiet,
            })
        }),
    }
}
