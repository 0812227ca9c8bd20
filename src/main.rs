//! The `tenken` command line. Library code returns typed errors; this file turns
//! them into one-line messages and exit codes: 0 when every file was read, 1
//! when some files failed, 2 when the command itself was wrong.

use clap::{Parser, Subcommand, ValueEnum};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Duration;

use tenken::locations;
use tenken::matching::{Matcher, check_examples};
use tenken::output;
use tenken::reading::{self, FileError};
use tenken::rules::{Requires, RuleSet};
use tenken::structure::Document;
use tenken::tokenizing::Tokenizer;

mod diff_command;
mod export_command;
mod scan_command;

use scan_command::ScanJob;

/// The help of `tenken` itself, with Japanese headings instead of clap's
/// "Usage:", "Commands:" and "Options:".
const TOP_HELP: &str = "{before-help}{about-with-newline}\n使い方: {usage}\n\n\
    コマンド:\n{subcommands}\n\nオプション:\n{options}{after-help}";

/// The help of the clerks' commands (`scan`, `report`), likewise.
const CLERK_HELP: &str = "{before-help}{about-with-newline}\n使い方: {usage}\n\n\
    引数:\n{positionals}\n\nオプション:\n{options}{after-help}";

// The long help of the options `scan` and `report` share; each line is short
// enough for an 80-column console, since clap breaks lines only at spaces.
const PATHS_HELP: &str = "点検するファイルまたはフォルダ（いくつでも。フォルダは下の階層まで）。\n\
    省略すると、見本の例規集 ./corpus があればそれを読みます";
const RULES_HELP: &str = "ルールファイル（*.toml）のフォルダ。既定では ./rules、なければ\n\
    tenken と同じフォルダの rules、どちらもなければ組み込みのルールを使います";
const TIMEOUT_HELP: &str = "1 ファイルにかける時間の上限（秒。既定: 60、小数も可）。超えた\n\
    ファイルは読めなかったものとして報告し、ほかのファイルの点検を続けます";
const RESTART_HELP: &str = "中断した点検が scan-in-progress.jsonl に残した記録を使わず、\n\
    すべてのファイルを読み直します";
const QUIET_HELP: &str = "進み具合と結果の要約を表示しません（エラーと警告は表示します）";

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

/// The options of how `scan` and `report` run, shared by both.
#[derive(clap::Args)]
struct ClerkRun {
    /// 1 ファイルの制限時間（既定: 60 秒）
    #[arg(
        long,
        value_name = "秒",
        default_value = "60",
        hide_default_value = true,
        value_parser = reading::budget::parse_seconds,
        long_help = TIMEOUT_HELP
    )]
    file_timeout: Duration,
    /// 中断した点検の記録を使わず、すべて読み直します
    #[arg(long, long_help = RESTART_HELP)]
    restart: bool,
    /// 進み具合と要約を表示しません
    #[arg(long, short, long_help = QUIET_HELP)]
    quiet: bool,
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
    ///   tenken parse --format json corpus/jorei/kokokushiki_jorei.html
    #[command(verbatim_doc_comment)]
    Parse {
        /// Files or folders to read.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// How to print the result.
        #[arg(long, short, value_enum, default_value_t = ParseFormat::Outline)]
        format: ParseFormat,
        /// Write to this file instead of the screen (written safely: the old
        /// file stays intact until the new one is complete).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Give up on a file that takes longer than this many seconds (it is
        /// reported as failed and the others go on; decimals allowed).
        #[arg(long, value_name = "SECS", default_value = "60", value_parser = reading::budget::parse_seconds)]
        file_timeout: Duration,
        /// Do not show the progress bar.
        #[arg(long, short)]
        quiet: bool,
    },
    /// アナログ規制を見つけ、点検用のチェックリストを書き出します
    ///
    /// 指定したファイルやフォルダ（フォルダは下の階層まですべて）にある例規を読み、
    /// ルールフォルダのルールをすべての条・項・号に当てはめて、出力フォルダに
    /// 次のファイルを書き出します。
    ///   checklist.xlsx  Excel で作業するチェックリスト（該非・見直し方針は選択式）
    ///   checklist.csv   同じ内容の CSV（Excel でそのまま開ける BOM 付き UTF-8）
    ///   findings.jsonl  指摘を 1 行に 1 件（ツールや採点に使います）
    /// 前からあるファイルは、新しいファイルが書き上がってから置き換えます。
    ///
    /// 見直しは何か月も続きます。同じ出力フォルダにもう一度点検すると、そこにある
    /// チェックリストに入力された判断（該非、見直し方針、対応予定時期、担当課、備考、
    /// 担当者が追加した列）を、条項の番号が変わっても、入力したときの規定に引き継ぎます
    /// （ほかの編集済みチェックリストから引き継ぐときは --ledger）。置き換えたファイルは
    /// 出力フォルダの history/ に残します。状態の列は次のとおりです。
    ///   新規      前回のチェックリストになかった指摘
    ///   変更なし  前回と同じ指摘
    ///   要再確認  規定の文言が変わった指摘（前の文言は「前回の該当箇所」の列）
    ///   解消      要件がなくなった指摘（改正・廃止、または電子的な方法が認められた）
    /// 引き継ぎ先が決まらない判断は、理由を添えてシート「照合できなかった判断」
    /// （と unmatched-decisions.csv）に残します。引き継ぎ元のチェックリストが
    /// 読めないときは、何も書き込まずに止まります。
    ///
    /// 何も読めなかったときは何も書き込みません。指定したパスがない（終了コード 2）、
    /// その下に例規のファイルがない（2）、どのファイルも読めない（1）の場合です。
    /// 1 つの出力フォルダで同時に動ける点検は 1 つだけで、2 つ目はフォルダが使用中だと
    /// 伝えて止まります。
    ///
    /// 大きな例規集: 読み終えたファイルの指摘は出力フォルダの scan-in-progress.jsonl に
    /// 順に記録するので、例規集が大きくてもメモリは増えません。点検が止まったとき
    /// （Ctrl-C、再起動など）は、同じコマンドをもう一度実行してください。読み終えていて
    /// その後変更のないファイルは読み直しません（すべて読み直すには --restart）。
    /// この記録は最後に削除します。
    ///
    /// 終了コード: 0 すべて読めた、1 読めないファイルがあった、2 コマンドの指定の誤り。
    ///
    /// 例:
    ///   tenken scan corpus/
    ///   tenken scan 例規集/ --out 点検結果/ --rules my-rules/
    ///   tenken scan 例規集/ --ledger out/checklist.xlsx --html out/report
    #[command(
        verbatim_doc_comment,
        help_template = CLERK_HELP,
        override_usage = "tenken scan [オプション] [パス]..."
    )]
    Scan {
        /// 点検するファイルまたはフォルダ
        #[arg(value_name = "パス", long_help = PATHS_HELP)]
        paths: Vec<PathBuf>,
        /// チェックリストの出力先（既定: out）
        #[arg(
            long,
            value_name = "フォルダ",
            default_value = "out",
            hide_default_value = true,
            long_help = "チェックリストを書き出すフォルダ（既定: out）。\n\
                そこにあるチェックリストの判断を引き継ぎます"
        )]
        out: PathBuf,
        /// ルールのフォルダ（既定: ./rules か組み込み）
        #[arg(long, value_name = "フォルダ", long_help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// HTML レポートも書き出すときの出力先
        #[arg(
            long,
            value_name = "フォルダ",
            long_help = "HTML レポートもこのフォルダに書き出します\n\
                （tenken report --help を参照）"
        )]
        html: Option<PathBuf>,
        /// レポートのテンプレートのフォルダ（--html と）
        #[arg(
            long,
            value_name = "フォルダ",
            requires = "html",
            long_help = "組み込みのレポートテンプレートの代わりに使うテンプレートのフォルダ\n\
                （--html と一緒に指定します）。既定では tenken と同じフォルダに reports\n\
                があればそれを使います"
        )]
        templates: Option<PathBuf>,
        /// 判断を引き継ぐ、編集済みのチェックリスト
        #[arg(
            long,
            value_name = "ファイル",
            long_help = "担当者が編集したチェックリスト（XLSX または CSV。Excel で保存した\n\
                ままで構いません）。その判断を新しいチェックリストに引き継ぎます"
        )]
        ledger: Option<PathBuf>,
        #[command(flatten)]
        run: ClerkRun,
    },
    /// HTML レポート（概要、例規ごと・類型ごとのページ）を書き出します
    ///
    /// 指定したファイルやフォルダにある例規を読んで点検し（tenken scan と同じ）、
    /// 出力フォルダに、ファイルのまま開ける静的なサイトを書き出します
    /// （サーバーもネットワークも使いません）。
    ///   index.html          概要と、絞り込みのできる指摘の一覧
    ///   documents.html      例規の一覧
    ///   docs/<例規>.html    例規の本文（指摘箇所を強調し、チェックリストの行を横に表示）
    ///   codes/<類型>.html   類型ごとのページ
    ///
    /// 終了コード: 0 すべて読めた、1 読めないファイルがあった、2 コマンドの指定の誤り。
    ///
    /// 例:
    ///   tenken report corpus/ --out out/report
    ///   tenken report 例規集/ --out 点検レポート/ --templates my-templates/
    #[command(
        verbatim_doc_comment,
        help_template = CLERK_HELP,
        override_usage = "tenken report [オプション] [パス]..."
    )]
    Report {
        /// 点検するファイルまたはフォルダ
        #[arg(value_name = "パス", long_help = PATHS_HELP)]
        paths: Vec<PathBuf>,
        /// レポートの出力先（既定: out/report）
        #[arg(
            long,
            value_name = "フォルダ",
            default_value = "out/report",
            hide_default_value = true,
            long_help = "レポートを書き出すフォルダ（既定: out/report）"
        )]
        out: PathBuf,
        /// ルールのフォルダ（既定: ./rules か組み込み）
        #[arg(long, value_name = "フォルダ", long_help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// レポートのテンプレートのフォルダ
        #[arg(
            long,
            value_name = "フォルダ",
            long_help = "組み込みのテンプレートをファイルごとに置き換えるテンプレートのフォルダ\n\
                （base.html、index.html、document.html、code.html、\n\
                report.css、report.js）。既定では tenken と同じフォルダに reports\n\
                があればそれを使います"
        )]
        templates: Option<PathBuf>,
        /// 判断を表示する、編集済みのチェックリスト
        #[arg(
            long,
            value_name = "ファイル",
            long_help = "担当者が編集したチェックリスト。その判断と各指摘の状態、\n\
                点検の進捗をレポートに表示します"
        )]
        ledger: Option<PathBuf>,
        #[command(flatten)]
        run: ClerkRun,
    },
    /// Compare two versions of a 例規集: provisions added, removed and amended,
    /// and the findings each change opened or closed.
    ///
    /// OLD and NEW are each a folder or file of 例規 (read and scanned as `tenken
    /// scan` does, with the same rules on both sides). Documents are paired by
    /// their file name relative to the folder given, else by title (a renamed
    /// file); the rest are whole added or removed 例規. Provisions that carry
    /// text are compared by citation: 追加 (only in NEW), 削除 (only in OLD),
    /// 改正 (different text). A finding is open when the provision allows no
    /// digital way: 新たな指摘 is open in NEW but not in OLD, 解消した指摘 is
    /// open in OLD and gone or already digital in NEW (電子的方法が追加された).
    /// Each is shown under the provision change it came from.
    ///
    /// OLD and NEW may instead both be scan outputs (a folder written by `tenken
    /// scan --out`, or its findings.jsonl): then only findings are compared
    /// (opened, closed, and 文言の変わった指摘 at the same place with other
    /// wording), not provision text.
    ///
    /// Exit codes: 0 done, 1 some files could not be read (the diff still lists
    /// the others), 2 wrong paths (missing, or a scan output against 例規).
    ///
    /// Examples:
    ///   tenken diff 例規集-R6/ 例規集-R7/
    ///   tenken diff old/ new/ --format json -o diff.json
    ///   tenken diff 点検結果-R6/ 点検結果-R7/          # two `tenken scan --out` folders
    #[command(verbatim_doc_comment)]
    Diff {
        /// The old version: a folder or file of 例規, or a scan output.
        old: PathBuf,
        /// The new version, of the same kind as OLD.
        new: PathBuf,
        /// Folder of rule files (default: ./rules, else rules/ beside the program, else the built-in rules).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// How to print the result.
        #[arg(long, short, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
        /// Write to this file instead of the screen (written safely: the old
        /// file stays intact until the new one is complete).
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Give up on a file that takes longer than this many seconds (it is
        /// reported as failed and the others go on; decimals allowed).
        #[arg(long, value_name = "SECS", default_value = "60", value_parser = reading::budget::parse_seconds)]
        file_timeout: Duration,
        /// Do not show the progress bar or the closing summary line.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Check, list or explain the rules (the TOML files of the rules folder).
    Rules {
        #[command(subcommand)]
        action: RulesAction,
        /// Folder of rule files (default: ./rules, else rules/ beside the program, else the built-in rules).
        #[arg(long, global = true)]
        rules: Option<PathBuf>,
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
    /// Build or update the full-text index of 例規 files for `tenken search`.
    ///
    /// One index entry per provision (条・項・号, 附則, 別表) with its text, the
    /// 例規's title, kind, number, date and source (the first folder under the
    /// path given), the citation, and the 類型 codes and rules found in it.
    /// Indexing again reads only files whose content changed and drops the
    /// provisions of files that are gone. What is done is saved every minute
    /// (--commit-every), so an interrupted run resumes where it stopped. The
    /// index is in out/index unless --index says otherwise.
    ///
    /// Examples:
    ///   tenken index corpus/
    ///   tenken index ../shared/corpus --index 索引/
    #[command(verbatim_doc_comment)]
    Index {
        /// Files or folders to index.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The index folder (created when absent).
        #[arg(long, default_value = tenken::index::DEFAULT_INDEX_DIR)]
        index: PathBuf,
        /// Folder of rule files (default: ./rules, else rules/ beside the program, else the built-in rules).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Save what is indexed so far every SECS seconds: a run that is
        /// interrupted (Ctrl-C, a crash) resumes there when started again.
        #[arg(long, value_name = "SECS", default_value_t = tenken::index::DEFAULT_COMMIT_EVERY.as_secs())]
        commit_every: u64,
        /// Give up on a file that takes longer than this many seconds (it is
        /// reported as failed and the others go on; decimals allowed).
        #[arg(long, value_name = "SECS", default_value = "60", value_parser = reading::budget::parse_seconds)]
        file_timeout: Duration,
        /// Do not show the progress bar or the summary.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Export provisions and findings for OpenSearch or Elasticsearch 8.
    ///
    /// Reads, structures and matches the 例規 files under PATH (as `tenken
    /// index` does, a chunk of files at a time: memory does not grow with the
    /// corpus) and writes into the output folder:
    ///   provisions.mapping.json   settings and mappings of <prefix>-provisions
    ///   findings.mapping.json     settings and mappings of <prefix>-findings
    ///   provisions-0001.ndjson …  one document per 条・項・号, for the bulk API
    ///   findings-0001.ndjson …    one document per finding (as in findings.jsonl)
    /// Provision documents carry the fields `tenken search` filters on (text,
    /// title, kind, number, date, year, source, citation, normalized, caption,
    /// codes, rules, digital) and the ids of `tenken index`; a finding names its
    /// provision in provision_id. Text is analysed with kuromoji (plugin
    /// analysis-kuromoji) and as character bigrams in text.gram for exact
    /// phrases. No bulk file is longer than --max-bytes; every file is written
    /// under a temporary name and renamed once complete, and numbered files of
    /// an earlier, larger export into the same folder are removed.
    ///
    /// Upload (OpenSearch at localhost:9200; Elasticsearch 8 the same, with
    /// bin/elasticsearch-plugin and your credentials):
    ///   bin/opensearch-plugin install analysis-kuromoji     # then restart
    ///   cd out/opensearch
    ///   curl -XPUT localhost:9200/tenken-provisions -H 'Content-Type: application/json' \
    ///        --data-binary @provisions.mapping.json
    ///   curl -XPUT localhost:9200/tenken-findings -H 'Content-Type: application/json' \
    ///        --data-binary @findings.mapping.json
    ///   for f in provisions-*.ndjson findings-*.ndjson; do
    ///     curl -XPOST localhost:9200/_bulk -H 'Content-Type: application/x-ndjson' \
    ///          --data-binary @"$f"
    ///   done
    /// Then search as README.md shows ("Beyond one machine"): match_phrase on
    /// text.gram, term filters on codes, kind, source, digital, a range on year,
    /// terms aggregations for the facets.
    ///
    /// Exit codes: 0 done, 1 some files could not be read (the others are
    /// exported) or writing failed, 2 wrong options or rules.
    ///
    /// Examples:
    ///   tenken export corpus/ --format opensearch --out out/opensearch
    ///   tenken export 例規集/ --index-prefix tokyo --max-bytes 10M --out os/
    #[command(verbatim_doc_comment)]
    Export {
        /// Files or folders to export.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// What to write (elasticsearch is the same as opensearch).
        #[arg(long, short, value_enum, default_value_t = ExportFormat::Opensearch)]
        format: ExportFormat,
        /// Folder to write into (created when absent).
        #[arg(long, default_value = "out/opensearch")]
        out: PathBuf,
        /// Folder of rule files (default: ./rules, else rules/ beside the program, else the built-in rules).
        #[arg(long)]
        rules: Option<PathBuf>,
        /// Index names are <prefix>-provisions and <prefix>-findings (lowercase).
        #[arg(long, default_value = tenken::export::DEFAULT_INDEX_PREFIX)]
        index_prefix: String,
        /// Largest bulk file: bytes, or with K, M or G (binary units).
        #[arg(long, default_value = "50M", value_parser = tenken::export::parse_size)]
        max_bytes: u64,
        /// Give up on a file that takes longer than this many seconds (it is
        /// reported as failed and the others go on; decimals allowed).
        #[arg(long, value_name = "SECS", default_value = "60", value_parser = reading::budget::parse_seconds)]
        file_timeout: Duration,
        /// Do not show the progress bar or the summary.
        #[arg(long, short)]
        quiet: bool,
    },
    /// Search the index built by `tenken index`.
    ///
    /// Terms next to each other must all match; a word also finds its other
    /// forms (掲示する finds 掲示し) and a "quoted phrase" finds exactly that text.
    ///
    /// Query forms:
    ///   掲示                            a word
    ///   掲示する                        a word in any of its forms (掲示し, 掲示させ …)
    ///   "見やすい場所に掲示"            an exact phrase, however the words split
    ///   縦覧 AND 閲覧                   both (the same as: 縦覧 閲覧)
    ///   縦覧 OR 閲覧                    either
    ///   縦覧 NOT インターネット         the first without the second (also: 縦覧 -インターネット)
    ///   (縦覧 OR 閲覧) 公告             grouping
    ///   code:posting                    provisions with a finding of this 類型
    ///   kind:条例                       種別: 条例, 規則, 要綱, 法律, 政令, 省令 …
    ///   title:屋外広告物                part of the 例規's title
    ///   digital:false                   no digital alternative in the provision
    ///   year:[2000 TO 2020]             promulgated in those years (also year:2005, year:>2010)
    ///   source:tokyo-wards              the folder the file came from
    ///   rule:posting.keiji              provisions where this rule fired
    ///   file:… number:… citation:…      exact values (also date:, normalized:, id:)
    ///
    /// A query that starts with - goes after --: tenken search -- '-電磁的 書面'
    ///
    /// Examples:
    ///   tenken search '縦覧 digital:false'
    ///   tenken search '"フレキシブルディスク"' --format csv > fd.csv
    ///   tenken search 'code:resident_staff 専任 kind:条例' --limit 50 --offset 50
    #[command(verbatim_doc_comment)]
    Search {
        /// The query (see above).
        query: String,
        /// The index folder.
        #[arg(long, default_value = tenken::index::DEFAULT_INDEX_DIR)]
        index: PathBuf,
        /// How many results to show.
        #[arg(long, short = 'n', default_value_t = 20)]
        limit: usize,
        /// How many results to skip (for the next page).
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[arg(long, short, value_enum, default_value_t = SearchFormat::Table)]
        format: SearchFormat,
    },
    /// Serve a search page and a JSON API over an index (loopback by default).
    ///
    /// Open the printed address in a browser, or query the API:
    ///   GET /api/search?q=縦覧&code=visit_inspection&digital=false&limit=20&offset=0
    ///   GET /api/provision/{id}
    /// Malformed or overlong queries get a 400 with a message; results are
    /// capped at 100 per request; a search that takes too long gets a 503.
    ///
    /// Examples:
    ///   tenken index corpus/ && tenken serve
    ///   tenken serve --index out/index --addr 127.0.0.1:8080
    #[command(verbatim_doc_comment)]
    Serve {
        /// The index folder (made by `tenken index`).
        #[arg(long, default_value = tenken::index::DEFAULT_INDEX_DIR)]
        index: PathBuf,
        /// Address to listen on. Anything but loopback exposes the index to the network.
        #[arg(long, default_value = "127.0.0.1:7878")]
        addr: std::net::SocketAddr,
    },
}

#[derive(Subcommand)]
enum RulesAction {
    /// Validate every rule file and run every rule's example sentences.
    Check,
    /// List the rules: id, code and name.
    List,
    /// Show one rule: what it finds, its patterns and examples.
    Explain {
        /// The rule id (see `tenken rules list`).
        id: String,
    },
    /// Show which rules fire on a sentence (read as a paragraph of its own).
    Try {
        /// The sentence, e.g. 標識を公衆の見やすい場所に掲示しなければならない。
        text: String,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum ExportFormat {
    /// Mapping files and bulk NDJSON for OpenSearch and Elasticsearch 8.
    #[value(alias = "elasticsearch")]
    Opensearch,
}

#[derive(Clone, Copy, ValueEnum)]
enum TokensFormat {
    /// One morpheme per line: surface, 原形, part of speech, offsets.
    Table,
    /// One JSON object per morpheme.
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    /// Grouped per 例規 with Japanese labels, for reading.
    Table,
    /// The whole comparison as JSON (summary, documents, provision and finding changes).
    Json,
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
    if matches!(cli.command, Command::Index { .. }) {
        limit_malloc_arenas(cli.threads.map_or_else(
            || std::thread::available_parallelism().map_or(2, |n| n.get()),
            |n| n.get(),
        ));
    }
    if let Some(threads) = cli.threads
        && let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.get())
            .build_global()
    {
        eprintln!(
            "tenken: {threads} 個のスレッドを起動できません (cannot start {threads} threads: {e})"
        );
        return ExitCode::from(2);
    }
    match cli.command {
        Command::Parse {
            paths,
            format,
            output,
            file_timeout,
            quiet,
        } => with_inputs(paths, quiet, |paths| {
            parse(paths, format, output.as_deref(), file_timeout, quiet)
        }),
        Command::Tokens { text, format } => tokens(text, format),
        Command::Scan {
            paths,
            out,
            rules,
            html,
            templates,
            ledger,
            run,
        } => with_inputs(paths, run.quiet, |paths| {
            scan_command::run(&ScanJob {
                paths,
                checklist: Some(&out),
                html: html.as_deref(),
                rules: rules.as_deref(),
                templates: templates.as_deref(),
                ledger: ledger.as_deref(),
                file_timeout: run.file_timeout,
                restart: run.restart,
                quiet: run.quiet,
            })
        }),
        Command::Rules { action, rules } => rules_command(action, rules.as_deref()),
        Command::Diff {
            old,
            new,
            rules,
            format,
            output,
            file_timeout,
            quiet,
        } => diff_command::run(
            &old,
            &new,
            &diff_command::Options {
                rules: rules.as_deref(),
                format,
                output: output.as_deref(),
                quiet,
                file_timeout,
            },
        ),
        Command::Index {
            paths,
            index,
            rules,
            commit_every,
            file_timeout,
            quiet,
        } => with_inputs(paths, quiet, |paths| {
            index_command(
                paths,
                &index,
                rules.as_deref(),
                &tenken::index::IndexOptions {
                    commit_every: Duration::from_secs(commit_every),
                    budget: file_timeout,
                },
                quiet,
            )
        }),
        Command::Export {
            paths,
            format: ExportFormat::Opensearch,
            out,
            rules,
            index_prefix,
            max_bytes,
            file_timeout,
            quiet,
        } => with_inputs(paths, quiet, |paths| {
            export_command::run(
                paths,
                &export_command::Options {
                    out: &out,
                    rules: rules.as_deref(),
                    index_prefix: &index_prefix,
                    max_bytes,
                    file_timeout,
                    quiet,
                },
            )
        }),
        Command::Search {
            query,
            index,
            limit,
            offset,
            format,
        } => search_command(&query, &index, limit, offset, format),
        Command::Serve { index, addr } => serve_command(&index, addr),
        Command::Report {
            paths,
            out,
            rules,
            templates,
            ledger,
            run,
        } => with_inputs(paths, run.quiet, |paths| {
            scan_command::run(&ScanJob {
                paths,
                checklist: None,
                html: Some(&out),
                rules: rules.as_deref(),
                templates: templates.as_deref(),
                ledger: ledger.as_deref(),
                file_timeout: run.file_timeout,
                restart: run.restart,
                quiet: run.quiet,
            })
        }),
    }
}

/// The sample 例規集 read when a command is given no path.
const SAMPLE_CORPUS: &str = "corpus";

/// Runs `command` on the paths given, after checking them: a path that does
/// not exist is a usage error (exit 2, nothing written). With no path, the
/// sample 例規集 `./corpus` is read when it exists, and the command says so.
fn with_inputs(
    paths: Vec<PathBuf>,
    quiet: bool,
    command: impl FnOnce(&[PathBuf]) -> ExitCode,
) -> ExitCode {
    let paths = if paths.is_empty() {
        let sample = PathBuf::from(SAMPLE_CORPUS);
        if !sample.is_dir() {
            eprintln!(
                "tenken: 読み込む例規のフォルダを指定してください。例: tenken scan 例規集/\
                 （ここには代わりに読む見本の ./{SAMPLE_CORPUS} もありません。くわしくは --help） \
                 (no folder given)"
            );
            return ExitCode::from(2);
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
        return ExitCode::from(2);
    }
    command(&paths)
}

/// Caps glibc's malloc arenas at one per core. `tenken index` runs a dozen
/// threads (readers, per-file workers, tantivy's indexing and merging);
/// with glibc's default of up to eight arenas per core their fragmentation
/// made the peak heap grow with the corpus (2.1 GB of files: 474 to 670 MB;
/// with the cap 404 MB, against 378 MB for 250 MB of files; two arenas per
/// core: 518 MB). The price is about 10% of indexing speed on 2 cores.
fn limit_malloc_arenas(cores: usize) {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let arenas = libc::c_int::try_from(cores.max(2)).unwrap_or(libc::c_int::MAX);
        // SAFETY: mallopt only sets a tuning parameter of the allocator; it
        // is called before any thread of ours starts.
        unsafe {
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    let _ = cores;
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
    file_timeout: Duration,
    quiet: bool,
) -> ExitCode {
    let (sources, walk_errors) = reading::files::collect(paths);
    let progress = FileProgress::new(&sources, quiet);
    let results = reading::files::read_all_within(&sources, file_timeout, &|s| {
        progress.file_done(&s.path);
    });
    progress.finish();
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

/// Progress over the files of a run: files done of all, MB/s and the time
/// remaining, measured in bytes so that one huge file counts for what it is.
struct FileProgress {
    bar: ProgressBar,
    done: std::sync::atomic::AtomicU64,
    files: u64,
}

impl FileProgress {
    fn new(sources: &[reading::files::Source], quiet: bool) -> Self {
        let bytes: u64 = sources.iter().map(|s| file_size(&s.path)).sum();
        let bar = progress_bar(bytes, quiet || sources.len() < 2);
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} 残り {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
        );
        let progress = FileProgress {
            bar,
            done: std::sync::atomic::AtomicU64::new(0),
            files: sources.len() as u64,
        };
        progress.show(0);
        progress
    }

    /// One more file done.
    fn file_done(&self, path: &Path) {
        let done = self.done.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        self.bar.inc(file_size(path));
        self.show(done);
    }

    fn show(&self, done: u64) {
        self.bar
            .set_message(format!("{done}/{} ファイル", self.files));
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

/// The rules of `dir`, else of ./rules, else of the rules folder beside the
/// program, else the built-in ones (`locations`); errors are printed.
fn load_rules(dir: Option<&Path>) -> Option<RuleSet> {
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

fn matcher(rules: &RuleSet) -> Option<Matcher> {
    match Matcher::new(rules, None) {
        Ok(m) => Some(m),
        Err(e) => {
            eprintln!("tenken: {e}");
            None
        }
    }
}

/// `tenken rules …`. Rule files that cannot be loaded exit 2, as in every
/// command that takes `--rules`; `check` exits 1 when rule examples fail.
fn rules_command(action: RulesAction, dir: Option<&Path>) -> ExitCode {
    let Some(rules) = load_rules(dir) else {
        return ExitCode::from(2);
    };
    match action {
        RulesAction::List => {
            for rule in &rules.rules {
                let code = rules.code(&rule.code).map_or("", |c| c.name.as_str());
                println!("{:36} {:22} {} ({code})", rule.id, rule.code, rule.name);
            }
            ExitCode::SUCCESS
        }
        RulesAction::Explain { id } => explain(&rules, &id),
        RulesAction::Check => check_rules(&rules),
        RulesAction::Try { text } => try_rules(&rules, &text),
    }
}

fn check_rules(rules: &RuleSet) -> ExitCode {
    let Some(matcher) = matcher(rules) else {
        return ExitCode::from(1);
    };
    match check_examples(rules, &matcher) {
        Ok(errors) if errors.is_empty() => {
            let examples: usize = rules
                .rules
                .iter()
                .map(|r| r.must_match.len() + r.no_match.len() + r.examples.len())
                .sum();
            println!(
                "{} rules in {} files ({}): all valid, {examples} examples pass",
                rules.rules.len(),
                rules.codes.len() + 1,
                rules.source
            );
            ExitCode::SUCCESS
        }
        Ok(errors) => {
            for e in &errors {
                eprintln!("tenken: {e}");
            }
            eprintln!("tenken: {} rule examples fail", errors.len());
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("tenken: {e}");
            ExitCode::from(1)
        }
    }
}

fn explain(rules: &RuleSet, id: &str) -> ExitCode {
    let Some(rule) = rules.rule(id) else {
        eprintln!("tenken: no rule '{id}' (see `tenken rules list`)");
        return ExitCode::from(1);
    };
    let code = rules.code(&rule.code);
    println!("{}  {}", rule.id, rule.name);
    println!(
        "類型: {} ({})",
        code.map_or("", |c| c.name.as_str()),
        rule.code
    );
    println!("{}", rule.explain);
    if let Some(code) = code {
        println!("見直しの方向性: {}", code.phase);
        println!("想定される技術: {}", code.technology);
    }
    println!("ファイル: {}:{}", rule.file, rule.line);
    println!("キーワード: {}", rule.keywords.join("、"));
    println!("パターン (…は{}文字以内):", rule.window);
    for p in &rule.patterns {
        println!("  {}", p.source);
    }
    if !rule.not.is_empty() {
        println!("除外パターン:");
        for p in &rule.not {
            println!("  {}", p.source);
        }
    }
    let requires = match rule.requires {
        Requires::Duty => "義務の表現があること",
        Requires::DutyOrPower => "義務または裁量の表現があること",
        Requires::Nothing => "なし（語そのものが要件を示す）",
    };
    println!("要件: {requires}");
    for e in &rules.common.exclusions {
        if !rule.allow.contains(&e.name) {
            println!("共通除外 {}: {}", e.name, e.explain);
        }
    }
    for s in &rule.must_match {
        println!("該当例: {s}");
    }
    for s in &rule.no_match {
        println!("非該当例: {s}");
    }
    for e in &rule.examples {
        let lead = e
            .lead
            .as_deref()
            .map_or(String::new(), |l| format!("{l} の号 "));
        let outcome = if e.finds {
            let priority = e
                .priority
                .as_deref()
                .map_or(String::new(), |p| format!("、優先度 {p}"));
            let digital = match e.digital {
                Some(true) => "、電子的代替あり",
                Some(false) => "、電子的代替なし",
                None => "",
            };
            format!("該当{priority}{digital}")
        } else {
            "非該当".to_string()
        };
        println!("例（{outcome}）: {lead}{}", e.text);
    }
    ExitCode::SUCCESS
}

fn try_rules(rules: &RuleSet, text: &str) -> ExitCode {
    let Some(matcher) = matcher(rules) else {
        return ExitCode::from(1);
    };
    let mut fired = 0;
    for rule in &rules.rules {
        match matcher.fires(&rule.id, text) {
            Ok(true) => {
                fired += 1;
                println!("{:36} {:22} {}", rule.id, rule.code, rule.name);
            }
            Ok(false) => {}
            Err(e) => {
                eprintln!("tenken: {e}");
                return ExitCode::from(1);
            }
        }
    }
    if fired == 0 {
        println!("no rule fires");
    }
    ExitCode::SUCCESS
}

/// `tenken index`: builds or updates the index and says what it did.
fn index_command(
    paths: &[PathBuf],
    dir: &Path,
    rules: Option<&Path>,
    options: &tenken::index::IndexOptions,
    quiet: bool,
) -> ExitCode {
    let Some(rules) = load_rules(rules) else {
        return ExitCode::from(2);
    };
    let files = reading::files::Collected::walk(paths);
    let progress = FileProgress::new(&files.sources, quiet);
    let result = tenken::index::index_files_with(dir, &files, &rules, options, &|path| {
        progress.file_done(path);
    });
    progress.finish();
    let report = match result {
        Ok(report) => report,
        Err(e) => {
            eprintln!("tenken: {e}");
            return ExitCode::from(1);
        }
    };
    for (file, reason) in &report.failures {
        eprintln!("tenken: {file}: {reason}");
    }
    if !quiet {
        let seconds = report.elapsed.as_secs_f64();
        eprintln!(
            "tenken: indexed {} files into {} ({} read, {} unchanged, {} removed, {} failed): \
             {} provisions added, {} in all, {:.1} MB of text in {seconds:.1} s",
            report.files_seen,
            dir.display(),
            report.files_read,
            report.files_unchanged,
            report.files_removed,
            report.failures.len(),
            report.provisions_added,
            report.provisions_total,
            report.text_bytes as f64 / 1e6,
        );
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[derive(Clone, Copy, ValueEnum)]
enum SearchFormat {
    /// Ranked results with snippets, then the counts by 類型, 種別 and source.
    Table,
    /// The whole response (hits, total, facets) as JSON.
    Json,
    /// One row per result, UTF-8 with BOM, for a spreadsheet.
    Csv,
}

/// `tenken search`: runs one query on the index and prints the results.
fn search_command(
    query: &str,
    dir: &Path,
    limit: usize,
    offset: usize,
    format: SearchFormat,
) -> ExitCode {
    use tenken::index::{IndexError, SearchIndex, SearchRequest};
    let request = SearchRequest {
        query: query.to_string(),
        limit,
        offset,
    };
    let response = SearchIndex::open(dir).and_then(|index| index.search(&request));
    let response = match response {
        Ok(response) => response,
        Err(e @ IndexError::Query { .. }) => {
            eprintln!("tenken: {e}\ntenken: see 'tenken search --help' for the query forms");
            return ExitCode::from(2);
        }
        Err(e) => {
            eprintln!("tenken: {e}");
            return ExitCode::from(1);
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = match format {
        SearchFormat::Json => serde_json::to_writer_pretty(&mut out, &response)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
        SearchFormat::Csv => write_search_csv(&response, offset, &mut out),
        SearchFormat::Table => write_search_table(&response, offset, &mut out),
    };
    match written.and_then(|()| out.flush()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tenken: cannot write standard output: {e}");
            ExitCode::from(1)
        }
    }
}

fn write_search_table(
    response: &tenken::index::SearchResponse,
    offset: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    for (rank, hit) in response.hits.iter().enumerate() {
        let codes = if hit.codes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", hit.codes.join(", "))
        };
        writeln!(
            out,
            "{:>4}. {} {}{codes}  ({}, {})",
            offset + rank + 1,
            hit.title,
            hit.citation,
            hit.kind,
            hit.file
        )?;
        writeln!(out, "      {}", hit.snippet)?;
    }
    let shown = response.hits.len();
    writeln!(
        out,
        "{} provisions match{}",
        response.total,
        if shown == 0 {
            String::new()
        } else {
            format!(" (showing {}-{})", offset + 1, offset + shown)
        }
    )?;
    let facets = &response.facets;
    for (label, counts) in [
        ("類型", &facets.codes),
        ("種別", &facets.kinds),
        ("source", &facets.sources),
    ] {
        if !counts.is_empty() {
            let mut counts: Vec<(&String, &u64)> = counts.iter().collect();
            counts.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            let list: Vec<String> = counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
            writeln!(out, "  {label}: {}", list.join(", "))?;
        }
    }
    Ok(())
}

fn write_search_csv(
    response: &tenken::index::SearchResponse,
    offset: usize,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    out.write_all("\u{feff}".as_bytes())?;
    let mut csv = csv::Writer::from_writer(out);
    csv.write_record([
        "rank",
        "score",
        "title",
        "kind",
        "source",
        "citation",
        "normalized",
        "caption",
        "codes",
        "digital",
        "snippet",
        "file",
        "id",
    ])?;
    for (rank, hit) in response.hits.iter().enumerate() {
        csv.write_record([
            (offset + rank + 1).to_string(),
            format!("{:.3}", hit.score),
            hit.title.clone(),
            hit.kind.clone(),
            hit.source.clone(),
            hit.citation.clone(),
            hit.normalized.clone(),
            hit.caption.clone().unwrap_or_default(),
            hit.codes.join(" "),
            hit.digital.to_string(),
            hit.snippet.clone(),
            hit.file.clone(),
            hit.id.clone(),
        ])?;
    }
    csv.flush()
}

fn serve_command(dir: &Path, addr: std::net::SocketAddr) -> ExitCode {
    let index = match tenken::index::SearchIndex::open(dir) {
        Ok(index) => index,
        Err(e) => {
            eprintln!("tenken: {e}");
            return ExitCode::from(1);
        }
    };
    if !addr.ip().is_loopback() {
        eprintln!("tenken: warning: listening on {addr}, which other machines may reach");
    }
    let options = tenken::serve::ServeOptions {
        addr,
        ..tenken::serve::ServeOptions::default()
    };
    let result = tenken::serve::serve(index, options, |bound| {
        eprintln!(
            "tenken: serving {} at http://{bound}/ (Ctrl-C to stop)",
            dir.display()
        );
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tenken: {e}");
            ExitCode::from(1)
        }
    }
}
