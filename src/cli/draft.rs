//! `tenken draft`: reads the edited checklist, loads the rules and the
//! drafting templates, hands the decided rows to `tenken::drafting`, writes
//! its outputs into the folder and says what it did, in Japanese. Exit codes:
//! 0 every decided row drafted, 1 some rows could not be placed or an output
//! could not be written, 2 the command itself was wrong (nothing written).

use std::io::Write;
use std::path::{Path, PathBuf};

use tenken::drafting::{self, Drafts, Selection, Templates};
use tenken::ledger::read_ledger;
use tenken::locations;
use tenken::output::write_atomically;
use tenken::reading::files::{collect, shown_path};
use tenken::rules::RuleSet;

use super::{Exit, load_rules, matcher};

/// The file names `tenken draft` writes into its folder.
pub(crate) const AMENDMENTS_NAME: &str = "amendments.txt";
pub(crate) const JSONL_NAME: &str = "drafts.jsonl";
pub(crate) const WORKBOOK_NAME: &str = "comparison.xlsx";
/// The rows that could not be drafted, for Excel (written only when there are some).
pub(crate) const UNPLACED_NAME: &str = "not-drafted.csv";

/// What `tenken draft` is asked to do.
pub(crate) struct Options<'a> {
    pub(crate) ledger: &'a Path,
    pub(crate) out: &'a Path,
    pub(crate) rules: Option<&'a Path>,
    pub(crate) selection: Selection,
    pub(crate) quiet: bool,
}

pub(crate) fn run(paths: &[PathBuf], options: &Options<'_>) -> Exit {
    let ledger = match read_ledger(options.ledger) {
        Ok(ledger) => ledger,
        Err(e) => {
            eprintln!("tenken: {e}。何も書き込んでいません");
            return Exit::Usage;
        }
    };
    let wanted = drafting::wanted(&ledger, options.selection);
    if wanted.is_empty() {
        eprintln!(
            "tenken: {}: 見直し方針が「{}」の行がないため、起案するものがありません。\
             何も書き込んでいません（判断の済んでいない行も起案するには --all） (nothing to draft)",
            shown_path(options.ledger),
            drafting::AMEND_POLICY
        );
        return Exit::Usage;
    }
    let Some(rules) = load_rules(options.rules) else {
        return Exit::Usage;
    };
    let Some(templates) = load_templates(options.rules, &rules) else {
        eprintln!("tenken: 起案テンプレートに誤りがあるため起案できません。何も書き込んでいません");
        return Exit::Usage;
    };
    let Some(matcher) = matcher(&rules) else {
        return Exit::Failed;
    };
    let (files, errors) = collect(paths);
    for e in &errors {
        eprintln!("tenken: {e}");
    }
    let drafts = drafting::draft(&wanted, &files, &matcher, &templates);
    for u in &drafts.unplaced {
        eprintln!(
            "tenken: {} {} 行目（{} {}）: 起案できません: {}",
            shown_path(options.ledger),
            u.row,
            u.file,
            u.citation,
            u.reason
        );
    }
    if let Err(e) = write_outputs(options.out, &drafts) {
        eprintln!("tenken: {e}");
        return Exit::Failed;
    }
    if !options.quiet {
        if !drafts.unplaced.is_empty() {
            eprintln!(
                "tenken: 起案できなかった行は {} にも書き出しました",
                shown_path(&options.out.join(UNPLACED_NAME))
            );
        }
        say_summary(&drafts, wanted.len(), options.out);
    }
    if drafts.unplaced.is_empty() && errors.is_empty() {
        Exit::Done
    } else {
        Exit::Failed
    }
}

/// The templates of `<rules>/drafting` when the rules come from a folder
/// that has one, else the built-in templates; None (the problems printed)
/// when one cannot be read, names a 類型 the rules do not have, or has an
/// example that does not come out as written.
pub(crate) fn load_templates(dir: Option<&Path>, rules: &RuleSet) -> Option<Templates> {
    let folder = dir
        .map(Path::to_path_buf)
        .or_else(locations::default_rules_dir)
        .map(|dir| dir.join("drafting"))
        .filter(|dir| dir.is_dir());
    let result = match &folder {
        Some(dir) => Templates::load(dir),
        None => Templates::built_in(),
    };
    let templates = match result {
        Ok(templates) => templates,
        Err(errors) => {
            for e in errors {
                eprintln!("tenken: {e}");
            }
            return None;
        }
    };
    let mut fine = true;
    for t in templates
        .templates
        .iter()
        .filter(|t| rules.code(&t.code).is_none())
    {
        eprintln!(
            "tenken: {}: 起案テンプレート「{}」の類型「{}」はルールにありません (unknown code)",
            t.file, t.id, t.code
        );
        fine = false;
    }
    for (id, old, made) in templates.check_examples() {
        eprintln!(
            "tenken: 起案テンプレート「{id}」の例が書かれたとおりになりません: 「{old}」→「{made}」 (example fails)"
        );
        fine = false;
    }
    fine.then_some(templates)
}

/// A one-line message for a failed write, naming the file.
#[derive(Debug, thiserror::Error)]
enum WriteError {
    #[error(
        "{}: 書き込めません: {} (cannot write)",
        shown_path(path),
        tenken::messages::io(source)
    )]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Table(#[from] drafting::TableError),
}

/// amendments.txt, drafts.jsonl, the 新旧対照表 pages and workbook, each
/// written whole to a temporary file and then renamed into place.
fn write_outputs(out: &Path, drafts: &Drafts) -> Result<(), WriteError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Io { path, source }
    };
    std::fs::create_dir_all(out).map_err(io(out))?;
    let amendments = out.join(AMENDMENTS_NAME);
    write_atomically(&amendments, |w| write_amendments(w, drafts)).map_err(io(&amendments))?;
    let jsonl = out.join(JSONL_NAME);
    write_atomically(&jsonl, |w| write_jsonl(w, drafts)).map_err(io(&jsonl))?;
    let unplaced = out.join(UNPLACED_NAME);
    if drafts.unplaced.is_empty() {
        match std::fs::remove_file(&unplaced) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(io(&unplaced)(e)),
            _ => {}
        }
    } else {
        write_atomically(&unplaced, |w| write_unplaced(w, drafts)).map_err(io(&unplaced))?;
    }
    drafting::write_html(out, &drafts.documents)?;
    drafting::write_xlsx(&out.join(WORKBOOK_NAME), &drafts.documents)?;
    Ok(())
}

/// Every 例規's 改め文, one after another, with CRLF line ends (Notepad and
/// Word on Windows).
fn write_amendments(w: &mut dyn Write, drafts: &Drafts) -> std::io::Result<()> {
    for (i, document) in drafts.documents.iter().enumerate() {
        if i > 0 {
            w.write_all("\r\n\r\n".as_bytes())?;
        }
        for line in drafting::amending_text(document) {
            w.write_all(line.as_bytes())?;
            w.write_all(b"\r\n")?;
        }
    }
    Ok(())
}

/// The rows that could not be drafted, as CSV with a BOM (Excel reads it as UTF-8).
fn write_unplaced(w: &mut dyn Write, drafts: &Drafts) -> std::io::Result<()> {
    w.write_all(b"\xEF\xBB\xBF")?;
    let mut csv = csv::Writer::from_writer(w);
    csv.write_record(["行", "ID", "ファイル", "条項", "理由"])?;
    for u in &drafts.unplaced {
        csv.write_record([
            u.row.to_string().as_str(),
            &u.id,
            &u.file,
            &u.citation,
            &u.reason,
        ])?;
    }
    csv.flush()
}

/// One line per provision drafted: the 例規 (file, title) and the draft.
fn write_jsonl(w: &mut dyn Write, drafts: &Drafts) -> std::io::Result<()> {
    #[derive(serde::Serialize)]
    struct Line<'a> {
        file: &'a str,
        title: &'a str,
        #[serde(flatten)]
        provision: &'a drafting::ProvisionDraft,
    }
    for document in &drafts.documents {
        for provision in &document.provisions {
            let line = Line {
                file: &document.file,
                title: &document.title,
                provision,
            };
            serde_json::to_writer(&mut *w, &line)?;
            w.write_all(b"\n")?;
        }
    }
    Ok(())
}

fn say_summary(drafts: &Drafts, rows: usize, out: &Path) {
    let provisions: Vec<_> = drafts
        .documents
        .iter()
        .flat_map(|d| &d.provisions)
        .collect();
    let drafted = provisions.iter().filter(|p| p.changed()).count();
    let open = provisions.len() - drafted;
    eprintln!(
        "tenken: {rows} 行から {} 例規・{} 規定を起案しました（案あり {drafted}、要記入 {open}、起案できない行 {}）",
        drafts.documents.len(),
        provisions.len(),
        drafts.unplaced.len()
    );
    eprintln!(
        "tenken: 改め文: {}、新旧対照表: {}（Excel: {}）",
        shown_path(&out.join(AMENDMENTS_NAME)),
        shown_path(&out.join(drafting::INDEX_NAME)),
        shown_path(&out.join(WORKBOOK_NAME))
    );
}
