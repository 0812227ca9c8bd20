//! The 新旧対照表 (old/new comparison table) of the drafts, for the clerk to
//! read, print and edit: as HTML pages (one standalone, print-ready page per
//! 例規 with its 改め文 and its table, and an `index.html` listing them) and
//! as one XLSX workbook (a 一覧 sheet of every provision, then one sheet per
//! 例規 holding its table).
//!
//! Both put 改正後 in the left column and 改正前 in the right, as municipal
//! 新旧対照表 usually do, one row per provision, the changed runs underlined
//! (傍線). The HTML comes from minijinja templates (`reports/draft*.html`,
//! built into the binary) that escape every text; no HTML is built here.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use minijinja::value::Serde;
use minijinja::{Environment, Value};
use rust_xlsxwriter::{
    ColNum, Format, FormatUnderline, RowNum, Url, Workbook, Worksheet, XlsxError,
};
use serde::Serialize;

use super::amend::amending_text;
use super::model::{DocumentDraft, ProvisionDraft, Segment, Source};
use crate::checklist::layout;
use crate::output::{temporary_path, write_replacing};
use crate::report::anchor::fnv1a;

/// The templates of the HTML pages, with the copies built into the binary.
pub const TEMPLATES: [(&str, &str); 3] = [
    (
        "draft-base.html",
        include_str!("../../reports/draft-base.html"),
    ),
    ("draft.html", include_str!("../../reports/draft.html")),
    (
        "draft-index.html",
        include_str!("../../reports/draft-index.html"),
    ),
];

/// The file name of the list of pages.
pub const INDEX_NAME: &str = "index.html";
/// The name of the workbook's first sheet, every provision of every 例規.
pub const LIST_SHEET: &str = "一覧";

/// The headers of the columns of the 新旧対照表, left to right.
const TABLE_HEADERS: [&str; 2] = ["改正後", "改正前"];
/// The width of each of its columns (Excel's unit, about a digit).
const TABLE_WIDTH: f64 = 60.0;
/// The headers and widths of the 一覧 sheet's columns.
const LIST_COLUMNS: [(&str, f64); 8] = [
    ("例規名", 24.0),
    ("条項", 16.0),
    ("見出し", 16.0),
    ("状態", 8.0),
    ("テンプレート", 16.0),
    ("説明", 44.0),
    ("改め文", 44.0),
    ("ファイル", 22.0),
];
/// Excel's paper size code of A4.
const A4_PAPER: u8 = 9;
/// Excel's limit on the length of a sheet's name and a cell's text, in
/// UTF-16 units.
const MAX_SHEET_NAME: usize = 31;
const MAX_CELL_LEN: usize = 32_767;
/// What replaces the end of a text too long for a cell.
const CUT_MARK: &str = "…（以下省略）";
/// The longest page-name stem taken from a 例規's file name.
const MAX_STEM: usize = 60;

/// Why the 新旧対照表 could not be written; every message names the file.
#[derive(Debug, thiserror::Error)]
pub enum TableError {
    #[error("{}: フォルダを作れません: {}", path.display(), crate::messages::io(source))]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: 新旧対照表を書き込めません: {}", path.display(), crate::messages::io(source))]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("新旧対照表のひな形 {name} を読み込めません (cannot load the template: {source})")]
    Template {
        name: String,
        source: Box<minijinja::Error>,
    },
    #[error(
        "{}: 新旧対照表のページを作れません (cannot render the page with {template}: {source})",
        path.display()
    )]
    Render {
        path: PathBuf,
        template: String,
        source: Box<minijinja::Error>,
    },
    #[error(
        "{}: 新旧対照表の表計算ファイルを作れません (cannot build the spreadsheet: {source})",
        path.display()
    )]
    Spreadsheet { path: PathBuf, source: XlsxError },
}

// ---------------------------------------------------------------------------
// What a provision is in the tables
// ---------------------------------------------------------------------------

/// Where a provision's draft stands, as the tables show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    /// Worded from the drafting templates.
    Drafted,
    /// Worded by the clerk (the checklist's 改正案).
    Clerk,
    /// Left unchanged for the clerk to word.
    ToFill,
}

impl Status {
    fn of(provision: &ProvisionDraft) -> Self {
        match provision.source {
            Source::Templates(_) => Self::Drafted,
            Source::Clerk => Self::Clerk,
            Source::None => Self::ToFill,
        }
    }

    /// The word the tables show.
    fn label(self) -> &'static str {
        match self {
            Self::Drafted => "案あり",
            Self::Clerk => "改正案",
            Self::ToFill => "要記入",
        }
    }

    /// The HTML class of a row of this status.
    fn class(self) -> &'static str {
        match self {
            Self::Drafted => "drafted",
            Self::Clerk => "clerk",
            Self::ToFill => "to-fill",
        }
    }
}

/// The ids of the templates a provision was worded from (none otherwise).
fn template_ids(provision: &ProvisionDraft) -> &[String] {
    match &provision.source {
        Source::Templates(ids) => ids,
        Source::Clerk | Source::None => &[],
    }
}

/// A caption in the brackets the 例規 prints it in: 「（印鑑の登録）」.
fn bracketed_caption(provision: &ProvisionDraft) -> Option<String> {
    let caption = provision.caption.as_deref()?.trim();
    let bare = caption
        .strip_prefix('（')
        .and_then(|c| c.strip_suffix('）'))
        .unwrap_or(caption);
    (!bare.is_empty()).then(|| format!("（{bare}）"))
}

/// The runs of a text worth showing (an empty run shows nothing).
fn shown(segments: &[Segment]) -> Vec<&Segment> {
    segments.iter().filter(|s| !s.text.is_empty()).collect()
}

// ---------------------------------------------------------------------------
// HTML
// ---------------------------------------------------------------------------

/// A provision as a row of a page.
#[derive(Debug, Serialize)]
struct RowView<'a> {
    citation: &'a str,
    caption: Option<String>,
    label: &'a str,
    new: Vec<&'a Segment>,
    old: Vec<&'a Segment>,
    status: &'static str,
    status_class: &'static str,
    templates: &'a [String],
    notes: &'a [String],
}

/// The page of a 例規.
#[derive(Debug, Serialize)]
struct PageView<'a> {
    version: &'static str,
    title: &'a str,
    number: Option<&'a str>,
    kind: &'a str,
    file: &'a str,
    amending: Vec<String>,
    rows: Vec<RowView<'a>>,
}

/// How many provisions a 例規 has, how many were drafted (a new wording)
/// and how many are left for the clerk to word.
#[derive(Debug, Default, Clone, Copy, Serialize)]
struct Counts {
    provisions: usize,
    drafted: usize,
    to_fill: usize,
}

impl Counts {
    fn of(draft: &DocumentDraft) -> Self {
        let provisions = &draft.provisions;
        Self {
            provisions: provisions.len(),
            drafted: provisions.iter().filter(|p| p.changed()).count(),
            to_fill: provisions
                .iter()
                .filter(|p| p.source == Source::None)
                .count(),
        }
    }

    fn add(self, other: Self) -> Self {
        Self {
            provisions: self.provisions + other.provisions,
            drafted: self.drafted + other.drafted,
            to_fill: self.to_fill + other.to_fill,
        }
    }
}

/// A 例規 in the list of pages.
#[derive(Debug, Serialize)]
struct IndexRow<'a> {
    title: &'a str,
    number: Option<&'a str>,
    kind: &'a str,
    file: &'a str,
    page: &'a str,
    #[serde(flatten)]
    counts: Counts,
}

/// The list of pages.
#[derive(Debug, Serialize)]
struct IndexView<'a> {
    version: &'static str,
    documents: Vec<IndexRow<'a>>,
    totals: Counts,
}

/// Writes into `dir` (created if missing) one page per 例規, named after
/// its file (`jorei/inkan_jorei.html` → `inkan_jorei.html`, see
/// [`page_names`]), and `index.html` listing them; returns the paths of the
/// pages in the order of `drafts`, then that of the index. The index is
/// written last, so it never links a page that failed.
pub fn write_html(dir: &Path, drafts: &[DocumentDraft]) -> Result<Vec<PathBuf>, TableError> {
    std::fs::create_dir_all(dir).map_err(|source| TableError::CreateDir {
        path: dir.to_path_buf(),
        source,
    })?;
    let env = environment()?;
    let names = page_names(drafts);
    let mut written = Vec::with_capacity(drafts.len() + 1);
    for (draft, name) in drafts.iter().zip(&names) {
        let path = dir.join(name);
        render(&env, "draft.html", &page_view(draft), &path)?;
        written.push(path);
    }
    let index = dir.join(INDEX_NAME);
    render(
        &env,
        "draft-index.html",
        &index_view(drafts, &names),
        &index,
    )?;
    written.push(index);
    Ok(written)
}

/// The template environment: HTML templates auto-escape, undefined values
/// are errors.
fn environment() -> Result<Environment<'static>, TableError> {
    let template_error = |name: &str, source| TableError::Template {
        name: name.to_string(),
        source: Box::new(source),
    };
    let mut env =
        crate::report::strict_environment().map_err(|source| template_error("syntax", source))?;
    for (name, text) in TEMPLATES {
        env.add_template(name, text)
            .map_err(|source| template_error(name, source))?;
    }
    Ok(env)
}

/// Renders one page and writes it (temporary file, then rename).
fn render<T: Serialize>(
    env: &Environment<'_>,
    template: &str,
    context: &T,
    path: &Path,
) -> Result<(), TableError> {
    let html = env
        .get_template(template)
        .and_then(|t| t.render(Value::from(Serde(context))))
        .map_err(|source| TableError::Render {
            path: path.to_path_buf(),
            template: template.to_string(),
            source: Box::new(source),
        })?;
    write_replacing(path, |w| w.write_all(html.as_bytes())).map_err(|source| TableError::Write {
        path: path.to_path_buf(),
        source,
    })
}

fn page_view(draft: &DocumentDraft) -> PageView<'_> {
    PageView {
        version: env!("CARGO_PKG_VERSION"),
        title: &draft.title,
        number: draft.number.as_deref(),
        kind: &draft.kind,
        file: &draft.file,
        amending: amending_text(draft),
        rows: draft.provisions.iter().map(row_view).collect(),
    }
}

fn row_view(provision: &ProvisionDraft) -> RowView<'_> {
    let status = Status::of(provision);
    RowView {
        citation: &provision.citation,
        caption: bracketed_caption(provision),
        label: &provision.label,
        new: shown(&provision.new),
        old: shown(&provision.old),
        status: status.label(),
        status_class: status.class(),
        templates: template_ids(provision),
        notes: &provision.notes,
    }
}

fn index_view<'a>(drafts: &'a [DocumentDraft], names: &'a [String]) -> IndexView<'a> {
    let documents: Vec<IndexRow<'a>> = drafts
        .iter()
        .zip(names)
        .map(|(draft, page)| IndexRow {
            title: &draft.title,
            number: draft.number.as_deref(),
            kind: &draft.kind,
            file: &draft.file,
            page,
            counts: Counts::of(draft),
        })
        .collect();
    let totals = documents
        .iter()
        .fold(Counts::default(), |sum, row| sum.add(row.counts));
    IndexView {
        version: env!("CARGO_PKG_VERSION"),
        documents,
        totals,
    }
}

/// The file names of the pages, one per draft: the stem of the 例規's file
/// name in ASCII letters, digits, `-` and `_` (every other run of
/// characters becomes one `_`; a stem that had other letters, Japanese
/// ones most often, gets a hash of the whole path so that two such names
/// differ), `.html`. A name already taken (compared without case, as
/// Windows does; `index` is taken) gets `-2`, `-3` …; Windows' device names
/// (`con`, `nul`, `com1` …) get a `_`.
pub fn page_names(drafts: &[DocumentDraft]) -> Vec<String> {
    let mut taken = HashSet::from(["index".to_string()]);
    drafts
        .iter()
        .map(|draft| format!("{}.html", unique_stem(page_stem(&draft.file), &mut taken)))
        .collect()
}

/// The ASCII-safe stem of a 例規's file (see [`page_names`]).
fn page_stem(file: &str) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let stem = match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    };
    let mut safe = String::new();
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
            safe.push(c);
        } else if !safe.ends_with('_') {
            safe.push('_');
        }
        if safe.len() >= MAX_STEM {
            break;
        }
    }
    let safe = safe.trim_matches(['_', '-']);
    let hash = || format!("{:08x}", fnv1a(file) & 0xffff_ffff);
    let safe = if safe.is_empty() {
        format!("reiki-{}", hash())
    } else if stem.is_ascii() {
        safe.to_string()
    } else {
        format!("{safe}-{}", hash())
    };
    if is_device_name(&safe) {
        format!("{safe}_")
    } else {
        safe
    }
}

/// True for the names Windows keeps for devices, whatever follows a dot.
fn is_device_name(stem: &str) -> bool {
    let lower = stem.to_ascii_lowercase();
    let base = lower.split('.').next().unwrap_or(&lower);
    matches!(base, "con" | "prn" | "aux" | "nul")
        || ((base.starts_with("com") || base.starts_with("lpt"))
            && base.len() == 4
            && base.as_bytes()[3].is_ascii_digit())
}

/// `stem`, or `stem-2`, `stem-3` … when taken (compared without case).
fn unique_stem(stem: String, taken: &mut HashSet<String>) -> String {
    let mut candidate = stem.clone();
    let mut n = 2;
    while !taken.insert(candidate.to_ascii_lowercase()) {
        candidate = format!("{stem}-{n}");
        n += 1;
    }
    candidate
}

// ---------------------------------------------------------------------------
// XLSX
// ---------------------------------------------------------------------------

/// Writes the workbook of the 新旧対照表 to `path` (its folder created if
/// missing): the 一覧 sheet, then one sheet per 例規. It is saved under a
/// temporary name beside `path` and renamed over it, so a failed run never
/// leaves half a workbook (the temporary file is removed).
pub fn write_xlsx(path: &Path, drafts: &[DocumentDraft]) -> Result<(), TableError> {
    let spreadsheet = |source| TableError::Spreadsheet {
        path: path.to_path_buf(),
        source,
    };
    let write = |source| TableError::Write {
        path: path.to_path_buf(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| TableError::CreateDir {
            path: dir.to_path_buf(),
            source,
        })?;
    }
    let mut workbook = workbook(drafts).map_err(spreadsheet)?;
    let temp = temporary_path(path);
    let saved = workbook
        .save(&temp)
        .map_err(spreadsheet)
        .and_then(|()| std::fs::rename(&temp, path).map_err(write));
    if saved.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    saved
}

/// The formats of the cells and of the runs of rich strings.
struct Formats {
    header: Format,
    /// A wrapped, top-aligned cell with a border.
    cell: Format,
    /// The same, linking to a sheet.
    link: Format,
    /// A cell of one run, by the run's style.
    whole: [Format; 3],
    /// The font of a run, by its style.
    run: [Format; 3],
}

/// How a run of a cell's text looks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain = 0,
    /// The citation of a provision.
    Bold = 1,
    /// A changed run (傍線).
    Underlined = 2,
}

impl Formats {
    fn new() -> Self {
        let cell = layout::cell_format(true);
        let styled = |base: Format| {
            [
                base.clone(),
                base.clone().set_bold(),
                base.set_underline(FormatUnderline::Single),
            ]
        };
        Self {
            header: layout::header_format().set_align(rust_xlsxwriter::FormatAlign::Center),
            link: cell
                .clone()
                .set_font_color(rust_xlsxwriter::Color::RGB(0x0B57B4))
                .set_underline(FormatUnderline::Single),
            whole: styled(cell.clone()),
            run: styled(layout::base_format()),
            cell,
        }
    }
}

/// The whole workbook, ready to save.
fn workbook(drafts: &[DocumentDraft]) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_default_format(
        &layout::base_format(),
        layout::DEFAULT_ROW_PIXELS,
        layout::DEFAULT_COLUMN_PIXELS,
    )?;
    let formats = Formats::new();
    let names = sheet_names(drafts);
    list_sheet(workbook.add_worksheet(), drafts, &names, &formats)?;
    for (draft, name) in drafts.iter().zip(&names) {
        table_sheet(workbook.add_worksheet(), draft, name, &formats)?;
    }
    Ok(workbook)
}

/// The 一覧 sheet: a row per provision of every 例規, its title linking to
/// the 例規's sheet.
fn list_sheet(
    sheet: &mut Worksheet,
    drafts: &[DocumentDraft],
    names: &[String],
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(LIST_SHEET)?;
    for (col, (header, width)) in (0..).zip(LIST_COLUMNS) {
        sheet.set_column_width(col, width)?;
        sheet.write_string_with_format(0, col, header, &formats.header)?;
    }
    let mut row: RowNum = 0;
    for (draft, name) in drafts.iter().zip(names) {
        for provision in &draft.provisions {
            row += 1;
            let cells = list_cells(draft, provision);
            for (col, text) in (1..).zip(&cells[1..]) {
                sheet.write_string_with_format(row, col, clipped(text), &formats.cell)?;
            }
            let link = Url::new(format!("internal:'{}'!A1", name.replace('\'', "''")))
                .set_text(clipped(&draft.title));
            sheet.write_url_with_format(row, 0, link, &formats.link)?;
            let widths = LIST_COLUMNS.map(|(_, width)| width);
            sheet.set_row_height(row, layout::wrapped_height(&cells, &widths, false))?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, row, last_col(LIST_COLUMNS.len()))?;
    paper(sheet, "一覧　新旧対照表（案）")
}

/// The cells of a provision's row of the 一覧 sheet, in column order.
fn list_cells(draft: &DocumentDraft, provision: &ProvisionDraft) -> [String; 8] {
    [
        draft.title.clone(),
        provision.citation.clone(),
        provision.caption.clone().unwrap_or_default(),
        Status::of(provision).label().to_string(),
        template_ids(provision).join(", "),
        provision.notes.join("\n"),
        provision.amendment.join("\n"),
        draft.file.clone(),
    ]
}

/// The sheet of a 例規: its 新旧対照表, 改正後 on the left.
fn table_sheet(
    sheet: &mut Worksheet,
    draft: &DocumentDraft,
    name: &str,
    formats: &Formats,
) -> Result<(), XlsxError> {
    sheet.set_name(name)?;
    for (col, header) in (0..).zip(TABLE_HEADERS) {
        sheet.set_column_width(col, TABLE_WIDTH)?;
        sheet.write_string_with_format(0, col, header, &formats.header)?;
    }
    for (row, provision) in (1..).zip(&draft.provisions) {
        let new = provision_runs(provision, &provision.new);
        let old = provision_runs(provision, &provision.old);
        write_runs(sheet, row, 0, &new, formats)?;
        write_runs(sheet, row, 1, &old, formats)?;
        let lines = [&new, &old]
            .iter()
            .map(|runs| layout::lines_in(&plain_text(runs), TABLE_WIDTH, false))
            .max()
            .unwrap_or(1);
        sheet.set_row_height(row, layout::row_points(lines))?;
    }
    sheet.set_freeze_panes(1, 0)?;
    paper(sheet, &format!("{}　新旧対照表（案）", draft.title))
}

/// A provision's cell: its citation and caption on a line, then its
/// paragraph label and text, the changed runs underlined.
fn provision_runs(provision: &ProvisionDraft, segments: &[Segment]) -> Vec<(Style, String)> {
    let mut runs = vec![(Style::Bold, provision.citation.clone())];
    if let Some(caption) = bracketed_caption(provision) {
        runs.push((Style::Plain, caption));
    }
    if runs.iter().any(|(_, text)| !text.is_empty()) {
        runs.push((Style::Plain, "\n".to_string()));
    }
    if !provision.label.is_empty() {
        runs.push((Style::Plain, format!("{}　", provision.label)));
    }
    for segment in segments {
        let style = if segment.changed {
            Style::Underlined
        } else {
            Style::Plain
        };
        runs.push((style, segment.text.clone()));
    }
    merged(runs)
}

/// Runs without empty ones, neighbours of one style joined, cut to what a
/// cell holds.
fn merged(runs: Vec<(Style, String)>) -> Vec<(Style, String)> {
    let mut out: Vec<(Style, String)> = Vec::with_capacity(runs.len());
    for (style, text) in runs {
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((last, joined)) if *last == style => joined.push_str(&text),
            _ => out.push((style, text)),
        }
    }
    clip_runs(out)
}

/// Runs cut so that their text, with [`CUT_MARK`] when cut, fits a cell.
fn clip_runs(runs: Vec<(Style, String)>) -> Vec<(Style, String)> {
    let total: usize = runs.iter().map(|(_, t)| utf16_len(t)).sum();
    if total <= MAX_CELL_LEN {
        return runs;
    }
    let mut room = MAX_CELL_LEN - utf16_len(CUT_MARK);
    let mut out = Vec::new();
    for (style, text) in runs {
        let kept = cut_utf16(&text, room);
        room -= utf16_len(kept);
        if !kept.is_empty() {
            out.push((style, kept.to_string()));
        }
        if room == 0 || kept.len() < text.len() {
            break;
        }
    }
    match out.last_mut() {
        Some((Style::Plain, text)) => text.push_str(CUT_MARK),
        _ => out.push((Style::Plain, CUT_MARK.to_string())),
    }
    out
}

/// A text cut to what a cell holds.
fn clipped(text: &str) -> String {
    if utf16_len(text) <= MAX_CELL_LEN {
        return text.to_string();
    }
    let kept = cut_utf16(text, MAX_CELL_LEN - utf16_len(CUT_MARK));
    format!("{kept}{CUT_MARK}")
}

/// The longest start of `text` of at most `units` UTF-16 units.
fn cut_utf16(text: &str, units: usize) -> &str {
    let mut used = 0;
    for (at, c) in text.char_indices() {
        used += c.len_utf16();
        if used > units {
            return &text[..at];
        }
    }
    text
}

fn utf16_len(text: &str) -> usize {
    text.chars().map(char::len_utf16).sum()
}

fn plain_text(runs: &[(Style, String)]) -> String {
    runs.iter().map(|(_, text)| text.as_str()).collect()
}

/// Writes runs into a cell: a rich string when they have more than one
/// style, else a plain string in the cell format of that style.
fn write_runs(
    sheet: &mut Worksheet,
    row: RowNum,
    col: ColNum,
    runs: &[(Style, String)],
    formats: &Formats,
) -> Result<(), XlsxError> {
    match runs {
        [] => sheet.write_blank(row, col, &formats.cell).map(drop),
        [(style, text)] => sheet
            .write_string_with_format(row, col, text, &formats.whole[*style as usize])
            .map(drop),
        _ => {
            let fragments: Vec<(&Format, &str)> = runs
                .iter()
                .map(|(style, text)| (&formats.run[*style as usize], text.as_str()))
                .collect();
            sheet
                .write_rich_string_with_format(row, col, &fragments, &formats.cell)
                .map(drop)
        }
    }
}

/// Page setup of a sheet: A4 landscape, one page wide, the header row on
/// every page, `title` at the top of each page, page numbers at the foot.
fn paper(sheet: &mut Worksheet, title: &str) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(A4_PAPER);
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    // Excel's limit is 255 characters, codes included; `&` starts a code.
    let title: String = title.replace('&', "&&").chars().take(120).collect();
    sheet.set_header(format!("&C{}", title.trim_end_matches('&')));
    sheet.set_footer("&C&P / &N");
    Ok(())
}

fn last_col(columns: usize) -> ColNum {
    ColNum::try_from(columns.saturating_sub(1)).unwrap_or(ColNum::MAX)
}

/// The sheet names of the 例規, one per draft: the title without the
/// characters Excel forbids (`[]:*?/\` become their full-width forms),
/// cut to 31 characters, and made unique (without case, against 一覧 and
/// Excel's reserved `History` too) with 「（2）」, 「（3）」 ….
pub fn sheet_names(drafts: &[DocumentDraft]) -> Vec<String> {
    let mut taken = HashSet::from([LIST_SHEET.to_lowercase(), "history".to_string()]);
    drafts
        .iter()
        .map(|draft| unique_sheet_name(&sheet_base(&draft.title), &mut taken))
        .collect()
}

/// A title as a sheet name (before it is made unique).
fn sheet_base(title: &str) -> String {
    let name: String = title
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '[' => '［',
            ']' => '］',
            ':' => '：',
            '*' => '＊',
            '?' => '？',
            '/' => '／',
            '\\' => '＼',
            c => c,
        })
        .collect();
    let name = name.trim().trim_matches('\'').trim();
    let name = cut_utf16(name, MAX_SHEET_NAME).trim_end_matches('\'');
    if name.is_empty() {
        "例規".to_string()
    } else {
        name.to_string()
    }
}

/// `base`, or `base` cut to leave room for 「（n）」 when taken.
fn unique_sheet_name(base: &str, taken: &mut HashSet<String>) -> String {
    let mut candidate = base.to_string();
    let mut n = 2;
    while !taken.insert(candidate.to_lowercase()) {
        let suffix = format!("（{n}）");
        let room = MAX_SHEET_NAME - utf16_len(&suffix);
        candidate = format!("{}{suffix}", cut_utf16(base, room).trim_end_matches('\''));
        n += 1;
    }
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader};

    fn segment(text: &str, changed: bool) -> Segment {
        Segment {
            text: text.to_string(),
            changed,
        }
    }

    /// A provision with the given runs, the rest filled in plainly.
    fn provision(
        citation: &str,
        old: Vec<Segment>,
        new: Vec<Segment>,
        source: Source,
    ) -> ProvisionDraft {
        let join = |runs: &[Segment]| runs.iter().map(|s| s.text.as_str()).collect::<String>();
        ProvisionDraft {
            citation: citation.to_string(),
            normalized: String::new(),
            caption: None,
            label: String::new(),
            old_text: join(&old),
            new_text: join(&new),
            old,
            new,
            source,
            notes: Vec::new(),
            findings: Vec::new(),
            codes: Vec::new(),
            amendment: Vec::new(),
        }
    }

    /// 印鑑条例: 第五条第一項 drafted from a template (its unchanged text
    /// holds `<` and `&`), 第六条第二項 left for the clerk.
    fn sample() -> DocumentDraft {
        let mut drafted = provision(
            "第五条第一項",
            vec![
                segment("申請者は、", false),
                segment("書面に押印して", true),
                segment("A<B&C提出しなければならない。", false),
            ],
            vec![
                segment("申請者は、", false),
                segment("電子情報処理組織を使用する方法により", true),
                segment("A<B&C提出しなければならない。", false),
            ],
            Source::Templates(vec!["oin-haishi".to_string()]),
        );
        drafted.caption = Some("印鑑の登録".to_string());
        drafted.notes = vec!["押印を求めない規定にします。".to_string()];
        drafted.amendment = vec![
            "第五条第一項中「書面に押印して」を「電子情報処理組織を使用する方法により」に改める。"
                .to_string(),
        ];
        let text = vec![segment("前項の登録は、窓口で行う。", false)];
        let mut open = provision("第六条第二項", text.clone(), text, Source::None);
        open.label = "２".to_string();
        open.notes = vec!["改正後の文言を記入してください。".to_string()];
        DocumentDraft {
            file: "jorei/inkan_jorei.html".to_string(),
            title: "印鑑条例".to_string(),
            number: Some("条例第3号".to_string()),
            kind: "条例".to_string(),
            provisions: vec![drafted, open],
        }
    }

    fn read(path: &Path) -> String {
        std::fs::read_to_string(path).expect("read page")
    }

    #[test]
    fn html_page_puts_the_new_text_left_and_underlines_the_changes() {
        let dir = tempfile::tempdir().expect("temp dir");
        let out = dir.path().join("taisho");
        let written = write_html(&out, &[sample()]).expect("write html");
        let page = out.join("inkan_jorei.html");
        assert_eq!(written, vec![page.clone(), out.join(INDEX_NAME)]);
        let html = read(&page);
        assert!(html.contains("<html lang=\"ja\">"), "{html}");
        assert!(
            html.contains("<title>印鑑条例　新旧対照表（案）</title>"),
            "{html}"
        );
        let head = html.find("<thead>").expect("thead");
        let after = html[head..].find("改正後").expect("改正後");
        let before = html[head..].find("改正前").expect("改正前");
        assert!(after < before, "改正後 is the left column");
        assert!(
            html.contains("<span class=\"changed\">電子情報処理組織を使用する方法により</span>")
        );
        assert!(html.contains("<span class=\"changed\">書面に押印して</span>"));
        assert!(
            html.contains("A&lt;B&amp;C提出しなければならない。"),
            "{html}"
        );
        assert!(!html.contains("A<B&C"));
        assert!(html.contains("（印鑑の登録）"));
        assert!(html.contains("<span class=\"label\">２</span>"));
        assert!(
            html.contains("第五条第一項中「書面に押印して」を"),
            "改め文"
        );
        assert!(
            html.contains("印鑑条例の一部を改正する条例（案）"),
            "改め文"
        );
        assert!(html.contains("改正後の文言を記入してください。"), "notes");
        assert!(html.contains("@page { size: A4 landscape; margin: 15mm; }"));
    }

    #[test]
    fn html_index_links_every_page_with_its_counts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut other = sample();
        other.file = "kisoku/inkan_jorei.xml".to_string();
        other.title = "印鑑規則 & <細則>".to_string();
        write_html(dir.path(), &[sample(), other]).expect("write html");
        let index = read(&dir.path().join(INDEX_NAME));
        assert!(
            index.contains("<a href=\"inkan_jorei.html\">印鑑条例</a>"),
            "{index}"
        );
        assert!(index.contains("<a href=\"inkan_jorei-2.html\">印鑑規則 &amp; &lt;細則&gt;</a>"));
        assert!(dir.path().join("inkan_jorei-2.html").is_file());
        let counts =
            "<td class=\"count\">2</td>\n<td class=\"count\">1</td>\n<td class=\"count\">1</td>";
        assert!(index.contains(counts), "{index}");
        assert!(index.contains("<td class=\"count\">4</td>"), "totals");
    }

    #[test]
    fn page_names_are_ascii_safe_and_unique() {
        let named = |files: &[&str]| {
            let drafts: Vec<DocumentDraft> = files
                .iter()
                .map(|file| DocumentDraft {
                    file: file.to_string(),
                    ..sample()
                })
                .collect();
            page_names(&drafts)
        };
        let names = named(&[
            "jorei/inkan_jorei.html",
            "kisoku\\INKAN_JOREI.txt",
            "例規/印鑑条例.html",
            "a/con.html",
            "b/index.htm",
            "c/my file (1).html",
            "d/印鑑jorei.html",
        ]);
        assert_eq!(names[0], "inkan_jorei.html");
        assert_eq!(names[1], "INKAN_JOREI-2.html");
        assert!(
            names[2].starts_with("reiki-") && names[2].ends_with(".html"),
            "{}",
            names[2]
        );
        assert_eq!(names[3], "con_.html");
        assert_eq!(names[4], "index-2.html");
        assert_eq!(names[5], "my_file_1.html");
        assert!(names[6].starts_with("jorei-"), "{}", names[6]);
        for name in &names {
            assert!(
                name.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
                "{name}"
            );
        }
    }

    fn cell(range: &calamine::Range<Data>, row: u32, col: u32) -> String {
        match range.get_value((row, col)) {
            Some(Data::String(text)) => text.clone(),
            Some(Data::Empty) | None => String::new(),
            Some(other) => panic!("unexpected cell {other:?}"),
        }
    }

    #[test]
    fn xlsx_lists_the_provisions_and_holds_each_table() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("out").join("taisho.xlsx");
        write_xlsx(&path, &[sample()]).expect("write xlsx");
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("open");
        assert_eq!(workbook.sheet_names(), vec!["一覧", "印鑑条例"]);

        let list = workbook.worksheet_range(LIST_SHEET).expect("一覧");
        let headers: Vec<String> = (0..8).map(|col| cell(&list, 0, col)).collect();
        assert_eq!(
            headers,
            [
                "例規名",
                "条項",
                "見出し",
                "状態",
                "テンプレート",
                "説明",
                "改め文",
                "ファイル"
            ]
        );
        let first: Vec<String> = (0..8).map(|col| cell(&list, 1, col)).collect();
        assert_eq!(
            first,
            [
                "印鑑条例",
                "第五条第一項",
                "印鑑の登録",
                "案あり",
                "oin-haishi",
                "押印を求めない規定にします。",
                "第五条第一項中「書面に押印して」を「電子情報処理組織を使用する方法により」に改める。",
                "jorei/inkan_jorei.html",
            ]
        );
        assert_eq!(cell(&list, 2, 1), "第六条第二項");
        assert_eq!(cell(&list, 2, 3), "要記入");
        assert_eq!(cell(&list, 2, 4), "");

        let table = workbook.worksheet_range("印鑑条例").expect("例規 sheet");
        assert_eq!(cell(&table, 0, 0), "改正後");
        assert_eq!(cell(&table, 0, 1), "改正前");
        assert_eq!(
            cell(&table, 1, 0),
            "第五条第一項（印鑑の登録）\n申請者は、電子情報処理組織を使用する方法によりA<B&C提出しなければならない。"
        );
        assert_eq!(
            cell(&table, 1, 1),
            "第五条第一項（印鑑の登録）\n申請者は、書面に押印してA<B&C提出しなければならない。"
        );
        assert_eq!(
            cell(&table, 2, 0),
            "第六条第二項\n２　前項の登録は、窓口で行う。"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("out"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "no temporary file left: {leftovers:?}");
    }

    /// The properties of the rich-string run whose text is `text`, from the
    /// shared strings: the `<r><rPr>…` before `</rPr><t>text</t></r>`.
    fn run_properties<'a>(strings: &'a str, text: &str) -> &'a str {
        let at = strings.find(&format!("</rPr><t>{text}</t>")).expect("run");
        let start = strings[..at].rfind("<r>").expect("run start");
        &strings[start..at]
    }

    #[test]
    fn xlsx_underlines_exactly_the_changed_runs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("taisho.xlsx");
        write_xlsx(&path, &[sample()]).expect("write xlsx");
        let file = std::fs::File::open(&path).expect("open");
        let mut archive = zip::ZipArchive::new(file).expect("zip");
        let mut strings = String::new();
        std::io::Read::read_to_string(
            &mut archive
                .by_name("xl/sharedStrings.xml")
                .expect("shared strings"),
            &mut strings,
        )
        .expect("read");
        for changed in ["電子情報処理組織を使用する方法により", "書面に押印して"]
        {
            assert!(
                run_properties(&strings, changed).contains("<u/>"),
                "{strings}"
            );
        }
        let plain = run_properties(&strings, "A&lt;B&amp;C提出しなければならない。");
        assert!(!plain.contains("<u/>"), "{plain}");
        assert!(
            run_properties(&strings, "第五条第一項").contains("<b/>"),
            "{strings}"
        );
    }

    #[test]
    fn xlsx_takes_empty_and_single_runs() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("taisho.xlsx");
        let mut draft = sample();
        draft.provisions = vec![provision(
            "",
            vec![segment("", true)],
            vec![segment("", false), segment("全部", true)],
            Source::Clerk,
        )];
        write_xlsx(&path, &[draft]).expect("write xlsx");
        let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(&path).expect("open");
        let table = workbook.worksheet_range("印鑑条例").expect("例規 sheet");
        assert_eq!(cell(&table, 1, 0), "全部");
        assert_eq!(cell(&table, 1, 1), "");
        let list = workbook.worksheet_range(LIST_SHEET).expect("一覧");
        assert_eq!(cell(&list, 1, 3), "改正案");
        let strings = crate::checklist::read_part(&path, "xl/sharedStrings.xml").expect("strings");
        assert!(
            strings.contains("<si><t>全部</t></si>"),
            "a plain string: {strings}"
        );
    }

    #[test]
    fn sheet_names_are_valid_and_unique() {
        let titled = |titles: &[&str]| {
            let drafts: Vec<DocumentDraft> = titles
                .iter()
                .map(|title| DocumentDraft {
                    title: title.to_string(),
                    ..sample()
                })
                .collect();
            sheet_names(&drafts)
        };
        let long = "あ".repeat(40);
        let names = titled(&[
            "一覧",
            "a/b:c[1]*?\\",
            &long,
            &long,
            "History",
            "'引用'",
            "",
            "印鑑条例",
            "印鑑条例",
        ]);
        assert_eq!(names[0], "一覧（2）");
        assert_eq!(names[1], "a／b：c［1］＊？＼");
        assert_eq!(names[2], "あ".repeat(31));
        assert_eq!(names[3], format!("{}（2）", "あ".repeat(28)));
        assert_eq!(names[4], "History（2）");
        assert_eq!(names[5], "引用");
        assert_eq!(names[6], "例規");
        assert_eq!(names[7], "印鑑条例");
        assert_eq!(names[8], "印鑑条例（2）");
        for name in &names {
            rust_xlsxwriter::utility::check_sheet_name(name).expect("valid sheet name");
        }
        let distinct: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
        assert_eq!(distinct.len(), names.len());
    }

    #[test]
    fn runs_too_long_for_a_cell_are_cut_with_a_mark() {
        let long = "字".repeat(MAX_CELL_LEN);
        let runs = merged(vec![
            (Style::Bold, "第一条".to_string()),
            (Style::Plain, String::new()),
            (Style::Underlined, long),
        ]);
        let total: usize = runs.iter().map(|(_, t)| utf16_len(t)).sum();
        assert_eq!(total, MAX_CELL_LEN);
        assert_eq!(
            runs.last().map(|(s, t)| (*s, t.as_str())),
            Some((Style::Plain, CUT_MARK))
        );
        assert_eq!(runs[0], (Style::Bold, "第一条".to_string()));
        assert_eq!(clipped("短い"), "短い");
        assert!(clipped(&"字".repeat(MAX_CELL_LEN + 1)).ends_with(CUT_MARK));
    }
}
