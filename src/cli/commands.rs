//! The arguments of every command (clap), in one place: what `tenken <command>
//! --help` shows. Arguments several commands take are defined once and
//! flattened. The commands themselves are in the files named after them.

use std::path::PathBuf;
use std::time::Duration;

use clap::{Subcommand, ValueEnum};

use super::counts::CountsFormat;
use super::search::SearchFormat;
use super::similar::SimilarFormat;
use tenken::reading;

/// The help of the clerks' commands (`scan`, `report`), likewise.
pub(crate) const CLERK_HELP: &str = "{before-help}{about-with-newline}\n使い方: {usage}\n\n\
    引数:\n{positionals}\n\nオプション:\n{options}{after-help}";

// The long help of the options `scan` and `report` share; each line is short
// enough for an 80-column console, since clap breaks lines only at spaces.
pub(crate) const PATHS_HELP: &str = "点検するファイルまたはフォルダ（いくつでも。フォルダは下の階層まで）。\n\
    省略すると、見本の例規集 ./corpus があればそれを読みます";
pub(crate) const RULES_HELP: &str = "ルールファイル（*.toml）のフォルダ。既定では ./rules、なければ\n\
    tenken と同じフォルダの rules、どちらもなければ組み込みのルールを使います";
pub(crate) const TIMEOUT_HELP: &str = "1 ファイルにかける時間の上限（秒。既定: 60、小数も可）。超えた\n\
    ファイルは読めなかったものとして報告し、ほかのファイルの点検を続けます";
pub(crate) const RESTART_HELP: &str = "中断した点検が scan-in-progress.jsonl に残した記録を使わず、\n\
    すべてのファイルを読み直します";
pub(crate) const QUIET_HELP: &str =
    "進み具合と結果の要約を表示しません（エラーと警告は表示します）";

/// The options of how `scan` and `report` run, shared by both.
#[derive(clap::Args)]
pub(crate) struct ClerkRun {
    /// 1 ファイルの制限時間（既定: 60 秒）
    #[arg(
        long,
        value_name = "秒",
        default_value = "60",
        hide_default_value = true,
        value_parser = reading::budget::parse_seconds,
        long_help = TIMEOUT_HELP
    )]
    pub(crate) file_timeout: Duration,
    /// 中断した点検の記録を使わず、すべて読み直します
    #[arg(long, long_help = RESTART_HELP)]
    pub(crate) restart: bool,
    /// 進み具合と要約を表示しません
    #[arg(long, short, long_help = QUIET_HELP)]
    pub(crate) quiet: bool,
}

/// How `tenken basis` goes through files (in Japanese, as the clerk's commands).
#[derive(clap::Args)]
pub(crate) struct FileRunJa {
    /// 1 ファイルの制限時間（既定: 60 秒）
    #[arg(
        long,
        value_name = "秒",
        default_value = "60",
        hide_default_value = true,
        value_parser = reading::budget::parse_seconds,
        long_help = TIMEOUT_HELP
    )]
    pub(crate) file_timeout: Duration,
    /// 要約を表示しません
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

/// The long help of `--laws`.
/// The long help of `--precedents`.
const PRECEDENTS_HELP: &str = "tenken index で作った索引のフォルダ（近隣の自治体の例規集や国の法令を\n\
    --collection を付けて入れたもの）。電子的代替のない指摘ごとに、その索引から、同じ類型で\n\
    電子的な方法をすでに認めている他の例規・法令の規定（手本）を似ている順に 3 件まで探し、\n\
    レポートの各指摘の下と findings.jsonl の precedents に示します。改正の書きぶりの参考に\n\
    なります。点検するファイルと同じファイルの規定は手本にしません";

pub(crate) const LAWS_HELP: &str = "国の法令の e-Gov 法令 XML を置いたフォルダ（下の階層まで読みます）。\n\
    指摘の規定が引用する国の規定を法令番号か題名で探し、現在の本文と、電子的な\n\
    方法を認めているかをチェックリストとレポートに表示します。フォルダにない法令は\n\
    最後に 1 度だけ一覧にします";

/// The rules folder, as the researchers' commands take it.
#[derive(clap::Args)]
pub(crate) struct RulesArg {
    /// Folder of rule files (default: ./rules, else rules/ beside the program, else the built-in rules).
    #[arg(long)]
    pub(crate) rules: Option<PathBuf>,
}

/// How the researchers' commands go through files: the time one file may
/// take, and whether progress is shown.
#[derive(clap::Args)]
pub(crate) struct FileRun {
    /// Give up on a file that takes longer than this many seconds (it is
    /// reported as failed and the others go on; decimals allowed).
    #[arg(long, value_name = "SECS", default_value = "60", value_parser = reading::budget::parse_seconds)]
    pub(crate) file_timeout: Duration,
    /// Do not show the progress bar or the closing summary.
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

#[derive(Subcommand)]
pub(crate) enum Command {
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
        #[command(flatten)]
        run: FileRun,
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
    /// 改正案、担当者が追加した列）を、条項の番号が変わっても、入力したときの規定に
    /// 引き継ぎます（ほかの編集済みチェックリストから引き継ぐときは --ledger）。
    /// 置き換えたファイルは出力フォルダの history/ に残します。状態の列は次のとおりです。
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
        /// 国の法令（e-Gov の法令 XML）のフォルダ
        #[arg(long, value_name = "フォルダ", long_help = LAWS_HELP)]
        laws: Option<PathBuf>,
        /// 手本（電子的な方法を認めている他の規定）を探す索引
        #[arg(long, value_name = "索引フォルダ", long_help = PRECEDENTS_HELP)]
        precedents: Option<PathBuf>,
        #[command(flatten)]
        run: ClerkRun,
    },
    /// 見直し方針が「例規改正」の規定について、改め文と新旧対照表の案を書き出します
    ///
    /// 担当者が編集したチェックリスト（--ledger）で見直し方針を「例規改正」とした行ごとに、
    /// その例規を読み直して規定を探し、改正後の文の案を作ります。行の「改正案」列に
    /// 改正後の文が書いてあればそれを、なければ類型ごとの起案テンプレート
    /// （ルールのフォルダの drafting/*.toml、なければ組み込みのもの）を使います。
    /// パスには、チェックリストを作ったときと同じフォルダを指定してください
    /// （行の「ファイル」列の名前で例規を探します）。出力フォルダに書き出すもの:
    ///   amendments.txt      例規ごとの改め文（「第五条第一項中「書面」を「書面又は
    ///                       電磁的方法」に改める。」の形。一文に一つの改正）
    ///   index.html          例規の一覧と、例規ごとの新旧対照表（印刷向け、A4 横）
    ///   comparison.xlsx     新旧対照表（例規ごとのシート。改正部分に下線）と一覧
    ///   drafts.jsonl        規定ごとの案（機械処理用）
    /// 合うテンプレートのない規定は、改正せずに「要記入」として載せます。チェックリストの
    /// 「改正案」列に改正後の文を書いて、もう一度実行してください。
    ///
    /// 終了コード: 0 すべての行を起案した、1 起案できない行があった（理由を表示）か
    /// 書き込めなかった、2 コマンドの指定の誤り（起案する行がない場合を含む）。
    ///
    /// 例:
    ///   tenken draft corpus/ --ledger out/checklist.xlsx
    ///   tenken draft 例規集/ --ledger 点検結果/checklist.xlsx --out 改正案/ --all
    #[command(
        verbatim_doc_comment,
        help_template = CLERK_HELP,
        override_usage = "tenken draft [オプション] --ledger <ファイル> [パス]..."
    )]
    Draft {
        /// チェックリストを作ったときに点検したファイルまたはフォルダ
        #[arg(
            value_name = "パス",
            long_help = "チェックリストを作ったときに点検したファイルまたはフォルダ（行の「ファイル」\n\
                列の名前で例規を探します）。省略すると、見本の例規集 ./corpus があれば\n\
                それを読みます"
        )]
        paths: Vec<PathBuf>,
        /// 判断を書き込んだチェックリスト（XLSX または CSV）
        #[arg(
            long,
            value_name = "ファイル",
            long_help = "担当者が編集したチェックリスト（XLSX または CSV。Excel で保存した\n\
                ままで構いません）。見直し方針が「例規改正」の行を起案します"
        )]
        ledger: PathBuf,
        /// 出力先（既定: out/draft）
        #[arg(
            long,
            value_name = "フォルダ",
            default_value = "out/draft",
            hide_default_value = true,
            long_help = "改め文と新旧対照表を書き出すフォルダ（既定: out/draft）"
        )]
        out: PathBuf,
        /// ルールのフォルダ（既定: ./rules か組み込み）
        #[arg(long, value_name = "フォルダ", long_help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// 見直し方針がまだ空の行（非該当を除く）も起案します
        #[arg(long)]
        all: bool,
        /// 要約を表示しません
        #[arg(long, short, long_help = QUIET_HELP)]
        quiet: bool,
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
        /// 国の法令（e-Gov の法令 XML）のフォルダ
        #[arg(long, value_name = "フォルダ", long_help = LAWS_HELP)]
        laws: Option<PathBuf>,
        /// 手本（電子的な方法を認めている他の規定）を探す索引
        #[arg(long, value_name = "索引フォルダ", long_help = PRECEDENTS_HELP)]
        precedents: Option<PathBuf>,
        #[command(flatten)]
        run: ClerkRun,
    },
    /// 例規が引用する法令と、それをどう読んだか（根拠法令）を表示します
    ///
    /// チェックリストの「根拠法令」「根拠の区分」を確かめるためのコマンドです。
    /// 例規ごとに、略称の定義（「以下「法」という。」）と、引用のある条・項・号ごとに
    /// 引用先（略称・同法・前条などを正式な名前と条項に直したもの）、その規定の
    /// 根拠の区分を表示します。
    ///   法令  国の法律・政令・省令などに基づく（引用があるか、第1条が引用している）
    ///   条例  条例（その市町村の条例など）に基づく
    ///   独自  法令・条例の根拠が書かれていない
    /// --laws を指定すると、引用された国の規定の現在の本文と、その本文が電子的な方法を
    /// 認めているかも表示します。フォルダにない法令は最後に 1 度だけ一覧にします。
    ///
    /// 終了コード: 0 すべて読めた、1 読めないファイルがあった、2 コマンドの指定の誤り。
    ///
    /// 例:
    ///   tenken basis corpus/kisoku/doro_senyo_kisoku.html
    ///   tenken basis 例規集/ --laws 法令XML/ --output 根拠法令.txt
    #[command(
        verbatim_doc_comment,
        help_template = CLERK_HELP,
        override_usage = "tenken basis [オプション] [パス]..."
    )]
    Basis {
        /// 読み込むファイルまたはフォルダ
        #[arg(value_name = "パス", long_help = PATHS_HELP)]
        paths: Vec<PathBuf>,
        /// 国の法令（e-Gov の法令 XML）のフォルダ
        #[arg(long, value_name = "フォルダ", long_help = LAWS_HELP)]
        laws: Option<PathBuf>,
        /// ルールのフォルダ（既定: ./rules か組み込み。電子的代替の判定に使います）
        #[arg(long, value_name = "フォルダ", long_help = RULES_HELP)]
        rules: Option<PathBuf>,
        /// 画面ではなくこのファイルに書き出します
        #[arg(long, short, value_name = "ファイル")]
        output: Option<PathBuf>,
        #[command(flatten)]
        run: FileRunJa,
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
        #[command(flatten)]
        rules: RulesArg,
        /// How to print the result.
        #[arg(long, short, value_enum, default_value_t = DiffFormat::Table)]
        format: DiffFormat,
        /// Write to this file instead of the screen (written safely: the old
        /// file stays intact until the new one is complete).
        #[arg(long, short)]
        output: Option<PathBuf>,
        #[command(flatten)]
        run: FileRun,
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
    /// One index entry per provision (条・項・号, 附則, 別表) with its text and
    /// 見出し, the 例規's title, kind, number, date, collection and source (the
    /// first folder under the path given), the citation, and the 類型 codes,
    /// 優先度 and rules found in it. Several 例規集 (municipalities, the
    /// national laws) can share one index, each as a collection: by default a
    /// path is a collection named after its folder; --collection names it.
    /// Indexing again reads only files whose content changed and drops the
    /// provisions of files that are gone. What is done is saved every minute
    /// (--commit-every), so an interrupted run resumes where it stopped. The
    /// index is in out/index unless --index says otherwise; an index written
    /// by an older tenken is rebuilt.
    ///
    /// Examples:
    ///   tenken index corpus/
    ///   tenken index ../shared/corpus/reiki-sabae --collection 鯖江市 --index 索引/
    ///   tenken index ../shared/corpus/egov-acts --collection 法律 --index 索引/
    #[command(verbatim_doc_comment)]
    Index {
        /// Files or folders to index.
        #[arg(value_name = "PATH")]
        paths: Vec<PathBuf>,
        /// The index folder (created when absent).
        #[arg(long, default_value = tenken::index::DEFAULT_INDEX_DIR)]
        index: PathBuf,
        /// The collection (例規集) these files belong to, for `collection:`
        /// queries and the counts table [default: the name of each PATH's folder]
        #[arg(long, value_name = "NAME", value_parser = collection_name)]
        collection: Option<String>,
        #[command(flatten)]
        rules: RulesArg,
        /// Save what is indexed so far every SECS seconds: a run that is
        /// interrupted (Ctrl-C, a crash) resumes there when started again.
        #[arg(long, value_name = "SECS", default_value_t = tenken::index::DEFAULT_COMMIT_EVERY.as_secs())]
        commit_every: u64,
        #[command(flatten)]
        run: FileRun,
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
    /// title, kind, number, date, year, source, collection, citation, normalized, caption,
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
        #[command(flatten)]
        rules: RulesArg,
        /// Index names are <prefix>-provisions and <prefix>-findings (lowercase).
        #[arg(long, default_value = tenken::export::DEFAULT_INDEX_PREFIX)]
        index_prefix: String,
        /// Largest bulk file: bytes, or with K, M or G (binary units).
        #[arg(long, default_value = "50M", value_parser = tenken::export::parse_size)]
        max_bytes: u64,
        #[command(flatten)]
        run: FileRun,
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
    ///   code:書面掲示規制               the same, by the 類型's name
    ///   kind:条例                       種別: 条例, 規則, 要綱, 法律, 政令, 省令 …
    ///   title:屋外広告物                the 例規's title (words and "phrases" as in the text)
    ///   caption:立入検査                the 見出し only (a plain word or phrase also finds 見出し)
    ///   digital:false                   no digital alternative in the provision
    ///   year:[2000 TO 2020]             promulgated in those years (also year:2005, year:>2010)
    ///   collection:鯖江市               one 例規集 of the index (tenken index --collection)
    ///   source:tokyo-wards              the first folder under the path indexed
    ///   rule:posting.keiji              provisions where this rule fired
    ///   file:… number:… citation:…      exact values (also date:, normalized:, id:)
    ///
    /// A code:, kind:, collection: or source: value that no provision of the
    /// index has is an error (exit 2) that lists the values the index holds.
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
    /// Precedents: provisions elsewhere that say the same and already allow a digital way.
    ///
    /// For an analog provision (its id, from `tenken search --format json`)
    /// or a finding (the ID column of the checklist), the most similar
    /// provisions of other files or collections in the index that have a
    /// finding of the same 類型 which already allows a digital way: how a
    /// neighbouring municipality or the national law already wrote it. Best
    /// first, each with its citation and the words that make it digital.
    /// Similar means sharing the provision's most telling words (rare in the
    /// index, frequent in it) and the rules that fired on it.
    ///
    /// For a finding, its 類型; for a provision, each 類型 found in it, or the
    /// one --code names (also by its Japanese name).
    ///
    /// Examples:
    ///   tenken similar 3f2a9c01d4e5b6a7
    ///   tenken similar 3f2a9c01d4e5b6a7 --code posting --limit 10 --format json
    #[command(verbatim_doc_comment)]
    Similar {
        /// A provision id or a finding id.
        id: String,
        /// The index folder.
        #[arg(long, default_value = tenken::index::DEFAULT_INDEX_DIR)]
        index: PathBuf,
        /// The 類型 to find precedents for (code or Japanese name).
        #[arg(long)]
        code: Option<String>,
        /// Precedents per 類型.
        #[arg(long, short = 'n', default_value_t = tenken::index::DEFAULT_PRECEDENTS)]
        limit: usize,
        #[arg(long, short, value_enum, default_value_t = SimilarFormat::Table)]
        format: SimilarFormat,
    },
    /// Counts per collection × 類型 (× 優先度), to compare 例規集 at a glance.
    ///
    /// For each collection of the index (`tenken index --collection`) and each
    /// 類型 of the taxonomy: the provisions with a finding of that 類型, by the
    /// highest 優先度 of their findings, how many already allow a digital way,
    /// and the collection's number of provisions. With a QUERY (the forms of
    /// `tenken search`), only the provisions that match it are counted.
    ///
    /// CSV columns: コレクション, 類型コード, 類型, 該当条項数, 優先度高, 優先度中,
    /// 優先度低, 電子的代替あり, 全条項数, 該当率(%) (UTF-8 with BOM, for Excel).
    ///
    /// Examples:
    ///   tenken counts
    ///   tenken counts --format csv > 類型別件数.csv
    ///   tenken counts 'kind:条例 year:[2010 TO *]' --format csv
    #[command(verbatim_doc_comment)]
    Counts {
        /// Count only the provisions that match this query.
        query: Option<String>,
        /// The index folder.
        #[arg(long, default_value = tenken::index::DEFAULT_INDEX_DIR)]
        index: PathBuf,
        #[arg(long, short, value_enum, default_value_t = CountsFormat::Table)]
        format: CountsFormat,
    },
    /// Serve a search page and a JSON API over an index (loopback by default).
    ///
    /// Open the printed address in a browser: a search page (the query and
    /// filters in its URL, facets that filter when clicked), a page for each
    /// provision (its article, findings and precedents: how other 例規 already
    /// allow a digital way) and /counts (collection × 類型 as a chart). Or
    /// query the JSON API:
    ///   GET /api/search?q=縦覧&code=visit_inspection&kind=条例&collection=…&source=…
    ///       &digital=false&year=2000-2010&limit=20&offset=0
    ///   GET /api/provision/{id}      one provision
    ///   GET /api/article/{id}        the provision and the others of its article
    ///   GET /api/similar/{id}?code=posting&limit=5
    ///                                precedents (a provision or finding id)
    ///   GET /api/counts?q=…          provisions per collection × 類型 × 優先度
    /// Errors are {"error": message in Japanese}: a malformed or overlong
    /// query or an unknown filter value gets a 400, an unknown id a 404;
    /// results are capped at 100 per request; a search that takes too long
    /// gets a 503.
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
pub(crate) enum RulesAction {
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
pub(crate) enum ExportFormat {
    /// Mapping files and bulk NDJSON for OpenSearch and Elasticsearch 8.
    #[value(alias = "elasticsearch")]
    Opensearch,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum TokensFormat {
    /// One morpheme per line: surface, 原形, part of speech, offsets.
    Table,
    /// One JSON object per morpheme.
    Jsonl,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DiffFormat {
    /// Grouped per 例規 with Japanese labels, for reading.
    Table,
    /// The whole comparison as JSON (summary, documents, provision and finding changes).
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum ParseFormat {
    /// An indented outline of each 例規, for reading.
    Outline,
    /// One JSON line per provision (file, kind, citation, normalized, text …).
    Jsonl,
    /// A JSON array with one document tree per file.
    Json,
}

/// A collection name: not empty, no slash (a facet path separator).
fn collection_name(value: &str) -> Result<String, String> {
    let name = value.trim();
    if name.is_empty() {
        Err("a collection needs a name".into())
    } else if name.contains('/') || name.contains('\\') {
        Err(format!("'{name}': a collection name has no / or \\"))
    } else {
        Ok(name.to_string())
    }
}
