//! Reading an edited checklist back: the reviewer's XLSX (or ODS, or old XLS)
//! or CSV/TSV after Excel saved it. The format comes from the content (a ZIP or
//! OLE header means a spreadsheet, anything else is delimited text in any
//! encoding `reading::decode` knows); the header row is found by its names (an
//! "ID" column and at least one decision column), so moved columns, added
//! sheets, title rows and reviewer columns do not matter.
//!
//! Every cell becomes text: numbers without a needless ".0", dates as
//! `YYYY/MM/DD`. An error cell (#REF! …) or an ID Excel turned into a number
//! stops the reading with the place named, since a decision read wrongly
//! would be carried over silently. Columns without a header are ignored.

use std::io::Cursor;
use std::path::{Path, PathBuf};

use calamine::{Data, ExcelDateTime, Reader};

use super::{DECISION_COLUMNS, ID_HEADER, Ledger, LedgerRow};
use crate::reading::{ReadError, decode};

/// The name of the sheet tenken writes the checklist to.
const CHECKLIST_SHEET: &str = "チェックリスト";

/// The sheet of decisions an earlier scan could not place.
use crate::review::{PLACE_HEADER, REASON_HEADER, UNMATCHED_CSV_NAME, UNMATCHED_SHEET};
/// How many rows from the top may hold the header row.
const HEADER_SEARCH_ROWS: usize = 20;

/// Why an edited checklist could not be read; every message names the file,
/// and the sheet, row and column where there is one.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{}: チェックリストを読めません: {}", path.display(), crate::messages::io(source))]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: チェックリストが空です (the checklist is empty)", path.display())]
    Empty { path: PathBuf },
    #[error(
        "{}: チェックリストの文字コードを判別できません。UTF-8、UTF-16、Shift_JIS、EUC-JP のどれとしても正しくない内容です（先頭から {} バイト目に 0x{byte:02X}） (cannot decode the checklist)",
        path.display(),
        offset + 1
    )]
    Undecodable {
        path: PathBuf,
        byte: u8,
        offset: usize,
    },
    /// What the file is instead, in Japanese ("PDF 文書").
    #[error("{}: チェックリストではありません。{what}です (not a checklist)", path.display())]
    Binary { path: PathBuf, what: &'static str },
    #[error("{}: チェックリストをテキストとして読めません: {source}", path.display())]
    Text { path: PathBuf, source: ReadError },
    #[error(
        "{}: チェックリストを CSV として読めません (cannot read the checklist as CSV: {source})",
        path.display()
    )]
    Csv { path: PathBuf, source: csv::Error },
    #[error(
        "{}: 表計算ファイルとして開けません (cannot open the spreadsheet: {source})",
        path.display()
    )]
    Spreadsheet {
        path: PathBuf,
        source: calamine::Error,
    },
    #[error(
        "{}: tenken のチェックリストではないようです。先頭 {HEADER_SEARCH_ROWS} 行のどこにも、「ID」列と判断の列（{}）のある見出し行がありません{} (no header row of a checklist)",
        path.display(),
        DECISION_COLUMNS.join("、"),
        looked_at(sheets)
    )]
    NoHeaderRow { path: PathBuf, sheets: Vec<String> },
    #[error(
        "{at}: 見出し行に「{header}」が {first} 列と {second} 列の二つあります。どちらかの名前を変えるか、削除してください (duplicate header)"
    )]
    DuplicateHeader {
        at: Box<Place>,
        header: String,
        first: String,
        second: String,
    },
    #[error(
        "{at}（{header}）: セルがエラー値 {value} になっています。値そのものを入力してください (error cell)"
    )]
    ErrorCell {
        at: Box<Place>,
        header: String,
        value: String,
    },
    #[error(
        "{at}（{ID_HEADER}）: ID のセルが {value} になっています。Excel が文字ではなく数値か日付に変えてしまったものです。tenken が書き出した ID に戻してください (ID turned into a number)"
    )]
    NumericId { at: Box<Place>, value: String },
}

/// Where in a checklist something is wrong: the file, the sheet ("" for a
/// CSV file), the 1-based row and the column's letters ("" for a whole row).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Place {
    pub path: PathBuf,
    pub sheet: String,
    pub row: usize,
    pub column: String,
}

/// "file、シート「name」、3 行目、B 列".
impl std::fmt::Display for Place {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if !self.sheet.is_empty() {
            write!(f, "、シート「{}」", self.sheet)?;
        }
        write!(f, "、{} 行目", self.row)?;
        if !self.column.is_empty() {
            write!(f, "、{} 列", self.column)?;
        }
        Ok(())
    }
}

/// "（調べたシート: 「a」、「b」）", or "" for a CSV file.
fn looked_at(sheets: &[String]) -> String {
    if sheets.is_empty() {
        return String::new();
    }
    let names: Vec<String> = sheets.iter().map(|s| format!("「{s}」")).collect();
    format!("（調べたシート: {}）", names.join("、"))
}

/// Reads an edited checklist (XLSX, ODS, XLS, CSV or tab-separated text).
pub fn read_ledger(path: &Path) -> Result<Ledger, LedgerError> {
    let bytes = std::fs::read(path).map_err(|source| LedgerError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if is_spreadsheet(&bytes) {
        read_spreadsheet(path, &bytes)
    } else {
        read_delimited(path, &bytes)
    }
}

/// A ZIP container (xlsx, ods) or an OLE compound file (xls).
fn is_spreadsheet(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0")
}

/// One cell as read, before it is placed under its header.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Text(String),
    /// A number, date or time, as text; not acceptable as an ID.
    Number(String),
    /// An error value such as "#REF!".
    Error(String),
}

impl Cell {
    /// The text for finding the header row (errors count as empty).
    fn label(&self) -> &str {
        match self {
            Cell::Text(text) | Cell::Number(text) => text,
            Cell::Error(_) => "",
        }
    }

    fn is_blank(&self) -> bool {
        match self {
            Cell::Text(text) | Cell::Number(text) => text.trim().is_empty(),
            Cell::Error(_) => false,
        }
    }
}

/// One row of a sheet or record of a CSV file: its 1-based row number and its
/// cells from column `first_col` (0-based) on.
#[derive(Debug)]
struct GridRow {
    row: usize,
    first_col: usize,
    cells: Vec<Cell>,
}

impl GridRow {
    /// The cell in column `col` (0-based, absolute), if the row has one.
    fn at(&self, col: usize) -> Option<&Cell> {
        col.checked_sub(self.first_col)
            .and_then(|index| self.cells.get(index))
    }
}

/// Where the rows come from, for the error messages.
struct Source<'a> {
    path: &'a Path,
    sheet: &'a str,
}

impl Source<'_> {
    /// The place of a row (`col` None) or cell.
    fn at(&self, row: usize, col: Option<usize>) -> Box<Place> {
        Box::new(Place {
            path: self.path.to_path_buf(),
            sheet: self.sheet.to_string(),
            row,
            column: col.map(column_letter).unwrap_or_default(),
        })
    }
}

// ---------------------------------------------------------------- spreadsheet

/// Reads the checklist sheet of a workbook: 「チェックリスト」 when it has a
/// header row, else the first sheet that has one.
fn read_spreadsheet(path: &Path, bytes: &[u8]) -> Result<Ledger, LedgerError> {
    let mut workbook =
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|source| {
            LedgerError::Spreadsheet {
                path: path.to_path_buf(),
                source,
            }
        })?;
    let mut names = workbook.sheet_names();
    if let Some(index) = names.iter().position(|name| name == CHECKLIST_SHEET) {
        let name = names.remove(index);
        names.insert(0, name);
    }
    let mut looked = Vec::new();
    for name in names.iter().filter(|n| n.as_str() != UNMATCHED_SHEET) {
        let Ok(range) = workbook.worksheet_range(name) else {
            looked.push(format!("{name}（読めないシート）"));
            continue;
        };
        let source = Source { path, sheet: name };
        if let Some(mut ledger) = ledger_of(&source, &sheet_grid(&range))? {
            if names.iter().any(|n| n == UNMATCHED_SHEET) {
                ledger.rows.extend(earlier_unmatched(path, &mut workbook)?);
            }
            return Ok(ledger);
        }
        looked.push(name.clone());
    }
    Err(LedgerError::NoHeaderRow {
        path: path.to_path_buf(),
        sheets: looked,
    })
}

/// The rows of the sheet 「照合できなかった判断」 an earlier scan wrote: they are
/// read as ledger rows again (without its 理由 and 元の行), so a decision that
/// could not be placed then is placed now if it can, or kept once more.
fn earlier_unmatched(
    path: &Path,
    workbook: &mut calamine::Sheets<Cursor<&[u8]>>,
) -> Result<Vec<LedgerRow>, LedgerError> {
    let Ok(range) = workbook.worksheet_range(UNMATCHED_SHEET) else {
        return Ok(Vec::new());
    };
    let source = Source {
        path,
        sheet: UNMATCHED_SHEET,
    };
    let Some(sheet) = ledger_of(&source, &sheet_grid(&range))? else {
        return Ok(Vec::new());
    };
    Ok(carried(sheet.rows, UNMATCHED_SHEET))
}

/// Rows of an earlier scan's unmatched decisions as ledger rows: without the
/// reason and the place it gave, marked with where they come from.
fn carried(rows: Vec<LedgerRow>, from: &str) -> Vec<LedgerRow> {
    rows.into_iter()
        .map(|mut row| {
            row.cells
                .retain(|(h, _)| h != REASON_HEADER && h != PLACE_HEADER);
            row.sheet = Some(from.to_string());
            row
        })
        .collect()
}

/// The rows of a calamine range, numbered as Excel shows them.
fn sheet_grid(range: &calamine::Range<Data>) -> Vec<GridRow> {
    let (start_row, start_col) = range.start().unwrap_or((0, 0));
    range
        .rows()
        .enumerate()
        .map(|(index, cells)| GridRow {
            row: usize_of(start_row) + index + 1,
            first_col: usize_of(start_col),
            cells: cells.iter().map(cell_of).collect(),
        })
        .collect()
}

fn usize_of(n: u32) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

/// A spreadsheet cell as text.
fn cell_of(data: &Data) -> Cell {
    match data {
        Data::Empty => Cell::Text(String::new()),
        Data::String(text) => Cell::Text(text.clone()),
        Data::Bool(b) => Cell::Text(if *b { "TRUE" } else { "FALSE" }.to_string()),
        Data::Int(n) => Cell::Number(n.to_string()),
        // Display of f64 is the shortest form that reads back, without ".0".
        Data::Float(f) => Cell::Number(format!("{f}")),
        Data::DateTime(dt) => Cell::Number(date_text(dt)),
        Data::DateTimeIso(text) | Data::DurationIso(text) => Cell::Number(text.clone()),
        Data::Error(error) => Cell::Error(error.to_string()),
    }
}

/// `YYYY/MM/DD`, with ` HH:MM` when the time is not midnight; a time alone
/// (a serial below 1) as `HH:MM`; a duration as `H:MM:SS`.
fn date_text(dt: &ExcelDateTime) -> String {
    if dt.is_duration() {
        return duration_text(dt.as_f64());
    }
    let (year, month, day, hour, minute, second, _) = dt.to_ymd_hms_milli();
    let time = match second {
        0 => format!("{hour:02}:{minute:02}"),
        _ => format!("{hour:02}:{minute:02}:{second:02}"),
    };
    if dt.as_f64() < 1.0 && dt.as_f64() > 0.0 {
        return time;
    }
    let date = format!("{year:04}/{month:02}/{day:02}");
    match (hour, minute, second) {
        (0, 0, 0) => date,
        _ => format!("{date} {time}"),
    }
}

/// A duration in days as `H:MM:SS` (hours may exceed 24).
fn duration_text(days: f64) -> String {
    let seconds = (days * 86_400.0).round();
    // Saturating float-to-int conversion; a checklist holds no huge durations.
    let seconds = seconds as i64;
    let sign = if seconds < 0 { "-" } else { "" };
    let seconds = seconds.unsigned_abs();
    format!(
        "{sign}{}:{:02}:{:02}",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

// ---------------------------------------------------------------- delimited

/// Reads a CSV or tab-separated file in any encoding `reading::decode` knows.
fn read_delimited(path: &Path, bytes: &[u8]) -> Result<Ledger, LedgerError> {
    let text = decode(bytes).map_err(|error| text_error(path, error))?.text;
    let grid = text_grid(&text, delimiter(&text)).map_err(|source| LedgerError::Csv {
        path: path.to_path_buf(),
        source,
    })?;
    let source = Source { path, sheet: "" };
    let mut ledger = ledger_of(&source, &grid)?.ok_or_else(|| LedgerError::NoHeaderRow {
        path: path.to_path_buf(),
        sheets: Vec::new(),
    })?;
    ledger.rows.extend(unmatched_beside(path)?);
    Ok(ledger)
}

/// The decisions an earlier scan could not place, from the
/// `unmatched-decisions.csv` tenken wrote beside a CSV checklist (none when
/// there is no such file), read as ledger rows again.
fn unmatched_beside(path: &Path) -> Result<Vec<LedgerRow>, LedgerError> {
    let beside = path.with_file_name(UNMATCHED_CSV_NAME);
    if beside == path || !beside.is_file() {
        return Ok(Vec::new());
    }
    let bytes = std::fs::read(&beside).map_err(|source| LedgerError::Io {
        path: beside.clone(),
        source,
    })?;
    let text = decode(&bytes)
        .map_err(|error| text_error(&beside, error))?
        .text;
    let grid = text_grid(&text, delimiter(&text)).map_err(|source| LedgerError::Csv {
        path: beside.clone(),
        source,
    })?;
    let source = Source {
        path: &beside,
        sheet: "",
    };
    let rows = ledger_of(&source, &grid)?
        .map(|l| l.rows)
        .unwrap_or_default();
    Ok(carried(rows, UNMATCHED_CSV_NAME))
}

fn text_error(path: &Path, error: ReadError) -> LedgerError {
    let path = path.to_path_buf();
    match error {
        ReadError::Empty => LedgerError::Empty { path },
        ReadError::Undecodable { byte, offset } => LedgerError::Undecodable { path, byte, offset },
        ReadError::Binary(what) => LedgerError::Binary { path, what },
        source => LedgerError::Text { path, source },
    }
}

/// Tab when the header line (the first of the top lines that mentions "ID",
/// else the first line) has more tabs than commas, else comma.
fn delimiter(text: &str) -> u8 {
    let mut lines = text.lines().take(HEADER_SEARCH_ROWS);
    let header = lines
        .clone()
        .find(|line| line.contains(ID_HEADER))
        .or_else(|| lines.next())
        .unwrap_or("");
    let count = |c: char| header.chars().filter(|&x| x == c).count();
    if count('\t') > count(',') {
        b'\t'
    } else {
        b','
    }
}

/// The records of delimited text, numbered as Excel numbers the rows (a
/// blank line is a row; a newline inside a quoted cell is not).
fn text_grid(text: &str, delimiter: u8) -> Result<Vec<GridRow>, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut grid = Vec::new();
    let mut next_row = 1;
    for record in reader.records() {
        let record = record?;
        // A record's position is just after the previous one: the blank
        // lines the reader skipped come first.
        let start = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(text.len());
        let blank_lines = text
            .get(start..)
            .map_or(0, |rest| rest.bytes().take_while(|&b| b == b'\n').count());
        let row = next_row + blank_lines;
        next_row = row + 1;
        let cells = record
            .iter()
            .map(|f| Cell::Text(without_formula_guard(f).to_string()))
            .collect();
        grid.push(GridRow {
            row,
            first_col: 0,
            cells,
        });
    }
    Ok(grid)
}

/// A cell without the apostrophe tenken's CSV puts before text Excel would
/// take for a formula (see `checklist::delimited::not_a_formula`), so it does
/// not grow by one at every round trip.
fn without_formula_guard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

// ---------------------------------------------------------------- both

/// The ledger of a sheet or file, or None when it has no header row among
/// rows 1–20 (for a CSV file: rows as Excel numbers them, blank lines too).
fn ledger_of(source: &Source, grid: &[GridRow]) -> Result<Option<Ledger>, LedgerError> {
    let Some(index) = grid
        .iter()
        .take_while(|row| row.row <= HEADER_SEARCH_ROWS)
        .position(is_header_row)
    else {
        return Ok(None);
    };
    let header_row = &grid[index];
    let mut headers = header_names(header_row);
    check_duplicates(source, header_row.row, &headers)?;
    name_unheaded_columns(&mut headers, &grid[index + 1..]);
    let mut rows = Vec::new();
    for row in &grid[index + 1..] {
        if let Some(ledger_row) = ledger_row(source, &headers, row)? {
            rows.push(ledger_row);
        }
    }
    Ok(Some(Ledger {
        path: source.path.to_path_buf(),
        sheet: source.sheet.to_string(),
        headers,
        rows,
    }))
}

/// Gives columns that have text under them but no header a name of their
/// own (「見出しなし(H列)」), so nothing a reviewer typed there is dropped.
fn name_unheaded_columns(headers: &mut Vec<String>, rows: &[GridRow]) {
    let width = rows
        .iter()
        .map(|r| r.first_col + r.cells.len())
        .max()
        .unwrap_or(0);
    if headers.len() < width {
        headers.resize(width, String::new());
    }
    for (col, header) in headers.iter_mut().enumerate() {
        let used = rows
            .iter()
            .any(|r| r.at(col).is_some_and(|c| !c.is_blank()));
        if header.is_empty() && used {
            *header = format!("見出しなし({}列)", column_letter(col));
        }
    }
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
}

/// A header as compared: line breaks removed, whitespace (also full-width)
/// trimmed.
fn normalise_header(text: &str) -> String {
    let joined: String = text.chars().filter(|c| !matches!(c, '\n' | '\r')).collect();
    joined.trim().to_string()
}

/// Has an "ID" cell and at least one decision column.
fn is_header_row(row: &GridRow) -> bool {
    let names: Vec<String> = row
        .cells
        .iter()
        .map(|c| normalise_header(c.label()))
        .collect();
    names.iter().any(|n| n == ID_HEADER)
        && names.iter().any(|n| DECISION_COLUMNS.contains(&n.as_str()))
}

/// The header names by absolute column (from column A), without trailing
/// empty ones.
fn header_names(row: &GridRow) -> Vec<String> {
    let mut headers: Vec<String> = vec![String::new(); row.first_col];
    headers.extend(row.cells.iter().map(|cell| match cell {
        Cell::Text(text) | Cell::Number(text) | Cell::Error(text) => normalise_header(text),
    }));
    while headers.last().is_some_and(String::is_empty) {
        headers.pop();
    }
    headers
}

fn check_duplicates(source: &Source, row: usize, headers: &[String]) -> Result<(), LedgerError> {
    for (second, name) in headers.iter().enumerate() {
        let first = headers[..second].iter().position(|h| h == name);
        if let (false, Some(first)) = (name.is_empty(), first) {
            return Err(LedgerError::DuplicateHeader {
                at: source.at(row, None),
                header: name.clone(),
                first: column_letter(first),
                second: column_letter(second),
            });
        }
    }
    Ok(())
}

/// One data row under the headers; None when all its cells are empty.
fn ledger_row(
    source: &Source,
    headers: &[String],
    row: &GridRow,
) -> Result<Option<LedgerRow>, LedgerError> {
    let mut id = String::new();
    let mut cells = Vec::new();
    let mut blank = true;
    for (col, header) in headers.iter().enumerate() {
        if header.is_empty() {
            continue;
        }
        let cell = row.at(col);
        blank &= cell.is_none_or(Cell::is_blank);
        if header == ID_HEADER {
            id = id_text(source, row.row, col, cell)?;
        } else {
            let text = cell_text(source, row.row, col, header, cell)?;
            cells.push((header.clone(), text));
        }
    }
    Ok((!blank).then_some(LedgerRow {
        row: row.row,
        id,
        cells,
        sheet: None,
    }))
}

/// The text of a cell; an error value is an error naming the place.
fn cell_text(
    source: &Source,
    row: usize,
    col: usize,
    header: &str,
    cell: Option<&Cell>,
) -> Result<String, LedgerError> {
    match cell {
        None => Ok(String::new()),
        Some(Cell::Text(text) | Cell::Number(text)) => Ok(text.clone()),
        Some(Cell::Error(value)) => Err(LedgerError::ErrorCell {
            at: source.at(row, Some(col)),
            header: header.to_string(),
            value: value.clone(),
        }),
    }
}

/// The trimmed ID; a number (or date) is an error, since Excel has changed it.
fn id_text(
    source: &Source,
    row: usize,
    col: usize,
    cell: Option<&Cell>,
) -> Result<String, LedgerError> {
    if let Some(Cell::Number(value)) = cell {
        return Err(LedgerError::NumericId {
            at: source.at(row, Some(col)),
            value: value.clone(),
        });
    }
    let text = cell_text(source, row, col, ID_HEADER, cell)?;
    Ok(text.trim().to_string())
}

/// The spreadsheet's letters for a 0-based column: 0 → A, 25 → Z, 26 → AA.
fn column_letter(col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let digit = (n - 1) % 26;
        letters.push(char::from(b'A' + u8::try_from(digit).unwrap_or(0)));
        n = (n - 1) / 26;
    }
    letters.iter().rev().collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::tests::posting;
    use crate::checklist::{Held, row_cells, write_csv, write_xlsx};
    use crate::ledger::Review;
    use crate::review::{COLUMNS, ScanSummary};
    use crate::rules::Taxonomy;
    use rust_xlsxwriter::{ExcelDateTime as XlsxDate, Format, Formula, Workbook, Worksheet};

    /// The ledger read from `bytes` written to a file called `name`.
    fn read_bytes(name: &str, bytes: &[u8]) -> (tempfile::TempDir, Result<Ledger, LedgerError>) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).expect("write");
        let ledger = read_ledger(&path);
        (dir, ledger)
    }

    /// A workbook built by `fill`, as the bytes of an .xlsx file.
    fn xlsx(fill: impl FnOnce(&mut Workbook)) -> Vec<u8> {
        let mut workbook = Workbook::new();
        fill(&mut workbook);
        workbook.save_to_buffer().expect("xlsx")
    }

    fn strings(sheet: &mut Worksheet, row: u32, col: u16, texts: &[&str]) {
        for (offset, text) in texts.iter().enumerate() {
            let col = col + u16::try_from(offset).expect("column");
            sheet.write_string(row, col, *text).expect("cell");
        }
    }

    /// tenken's own row for `posting()`, as (header, text) without the ID.
    fn expected_cells() -> Vec<(String, String)> {
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let texts = row_cells(&review.rows[0], findings.first(), &review);
        COLUMNS
            .iter()
            .zip(texts)
            .filter(|(header, _)| **header != ID_HEADER)
            .map(|(header, text)| (header.to_string(), text))
            .collect()
    }

    fn assert_round_trip(ledger: &Ledger, sheet: &str) {
        assert_eq!(ledger.sheet, sheet);
        assert_eq!(ledger.headers, COLUMNS);
        assert_eq!(ledger.rows.len(), 1);
        let row = &ledger.rows[0];
        assert_eq!((row.row, row.id.as_str()), (2, "posting-0001"));
        assert_eq!(row.cells, expected_cells());
        for header in DECISION_COLUMNS {
            assert_eq!(row.get(header), Some(""), "{header}");
        }
    }

    #[test]
    fn reads_back_tenkens_own_xlsx() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.xlsx");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(
            &path,
            &rows,
            &review,
            &ScanSummary::default(),
            &Taxonomy::built_in(),
        )
        .expect("write");
        let ledger = read_ledger(&path).expect("read");
        assert_eq!(ledger.path, path);
        assert_round_trip(&ledger, CHECKLIST_SHEET);
    }

    #[test]
    fn reads_back_tenkens_own_csv() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.csv");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_csv(&path, &rows, &review).expect("write");
        let ledger = read_ledger(&path).expect("read");
        assert_round_trip(&ledger, "");
    }

    #[test]
    fn the_format_comes_from_the_content_not_the_extension() {
        let dir = tempfile::tempdir().expect("temp dir");
        let xlsx_path = dir.path().join("checklist.xlsx");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(
            &xlsx_path,
            &rows,
            &review,
            &ScanSummary::default(),
            &Taxonomy::built_in(),
        )
        .expect("write");
        let bytes = std::fs::read(&xlsx_path).expect("read");
        let (_dir, ledger) = read_bytes("renamed.csv", &bytes);
        assert_round_trip(&ledger.expect("read"), CHECKLIST_SHEET);
    }

    /// An edited workbook: a notes sheet first, the checklist renamed and
    /// starting at B3 with its columns reordered, a reviewer's column, a
    /// blank row, a row with only a note, a year and a date typed in.
    fn edited_workbook(id_as_number: bool) -> Vec<u8> {
        xlsx(|workbook| {
            let notes = workbook.add_worksheet().set_name("メモ").expect("name");
            strings(notes, 0, 0, &["確認の進め方", "課ごとに分担する"]);
            let sheet = workbook.add_worksheet().set_name("点検結果").expect("name");
            strings(
                sheet,
                2,
                1,
                &[
                    "ID",
                    "例規名",
                    "確認者",
                    "該非",
                    "対応予定\n時期",
                    "　備考 ",
                    "条項",
                ],
            );
            strings(sheet, 3, 2, &["つばき町屋外広告物条例", "山田", "該当"]);
            if id_as_number {
                sheet.write_number(3, 1, 1234.0).expect("number");
            } else {
                strings(sheet, 3, 1, &[" posting-0001 "]);
            }
            sheet.write_number(3, 5, 2027.0).expect("number");
            strings(sheet, 5, 6, &["全体について要相談"]);
            strings(sheet, 6, 1, &["posting-0002"]);
            let date = XlsxDate::from_ymd(2027, 3, 31).expect("date");
            let format = Format::new().set_num_format("yyyy/mm/dd");
            sheet
                .write_datetime_with_format(6, 5, &date, &format)
                .expect("date");
            sheet.write_number(6, 6, 0.25).expect("number");
            sheet.write_boolean(6, 4, true).expect("bool");
        })
    }

    #[test]
    fn reads_an_edited_workbook_by_header_names() {
        let (_dir, ledger) = read_bytes("edited.xlsx", &edited_workbook(false));
        let ledger = ledger.expect("read");
        assert_eq!(ledger.sheet, "点検結果");
        assert_eq!(
            ledger.headers,
            [
                "",
                "ID",
                "例規名",
                "確認者",
                "該非",
                "対応予定時期",
                "備考",
                "条項"
            ]
        );
        let rows: Vec<(usize, &str)> = ledger.rows.iter().map(|r| (r.row, r.id.as_str())).collect();
        assert_eq!(rows, [(4, "posting-0001"), (6, ""), (7, "posting-0002")]);
        let first = &ledger.rows[0];
        assert_eq!(first.value("確認者"), "山田");
        assert_eq!(first.value("該非"), "該当");
        assert_eq!(first.value("対応予定時期"), "2027");
        assert_eq!(first.get("見直し方針"), None);
        assert_eq!(ledger.rows[1].value("備考"), "全体について要相談");
        let third = &ledger.rows[2];
        assert_eq!(third.value("対応予定時期"), "2027/03/31");
        assert_eq!(third.value("備考"), "0.25");
        assert_eq!(third.value("該非"), "TRUE");
        let order: Vec<&str> = first.cells.iter().map(|(h, _)| h.as_str()).collect();
        assert_eq!(
            order,
            ["例規名", "確認者", "該非", "対応予定時期", "備考", "条項"]
        );
    }

    #[test]
    fn a_numeric_id_names_the_sheet_row_and_column() {
        let (_dir, ledger) = read_bytes("edited.xlsx", &edited_workbook(true));
        let error = ledger.expect_err("numeric id");
        assert!(matches!(error, LedgerError::NumericId { .. }), "{error:?}");
        let message = error.to_string();
        for part in [
            "edited.xlsx",
            "シート「点検結果」",
            "4 行目",
            "B 列",
            "1234",
            "tenken が書き出した ID に戻してください",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
    }

    #[test]
    fn an_error_cell_names_its_place_and_value() {
        let bytes = xlsx(|workbook| {
            let sheet = workbook
                .add_worksheet()
                .set_name(CHECKLIST_SHEET)
                .expect("name");
            strings(sheet, 0, 0, &["ID", "該非", "備考"]);
            strings(sheet, 1, 0, &["posting-0001", "該当"]);
            let formula = Formula::new("=#REF!+1").set_result("#REF!");
            sheet.write_formula(1, 2, formula).expect("formula");
        });
        let (_dir, ledger) = read_bytes("checklist.xlsx", &bytes);
        let error = ledger.expect_err("error cell");
        let message = error.to_string();
        for part in [
            "checklist.xlsx",
            CHECKLIST_SHEET,
            "2 行目",
            "C 列（備考）",
            "エラー値 #REF!",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
    }

    #[test]
    fn a_duplicate_header_names_both_columns() {
        let bytes = xlsx(|workbook| {
            let sheet = workbook.add_worksheet();
            strings(sheet, 0, 0, &["ID", "備考", "該非", "備考\n"]);
        });
        let (_dir, ledger) = read_bytes("dup.xlsx", &bytes);
        let message = ledger.expect_err("duplicate").to_string();
        for part in ["dup.xlsx", "「備考」が B 列と D 列"] {
            assert!(message.contains(part), "{part}: {message}");
        }
    }

    #[test]
    fn a_workbook_without_a_header_row_names_the_sheets() {
        let bytes = xlsx(|workbook| {
            let first = workbook.add_worksheet().set_name("一覧").expect("name");
            strings(first, 0, 0, &["ID", "名前"]);
            let second = workbook.add_worksheet().set_name("集計").expect("name");
            strings(second, 0, 0, &["該非", "件数"]);
        });
        let (_dir, ledger) = read_bytes("other.xlsx", &bytes);
        let error = ledger.expect_err("no header");
        assert!(
            matches!(error, LedgerError::NoHeaderRow { .. }),
            "{error:?}"
        );
        let message = error.to_string();
        for part in [
            "other.xlsx",
            "「一覧」",
            "「集計」",
            "tenken のチェックリストではないようです",
            "「ID」列",
        ] {
            assert!(message.contains(part), "{part}: {message}");
        }
    }

    #[test]
    fn the_checklist_sheet_wins_over_an_earlier_sheet_with_a_header() {
        let bytes = xlsx(|workbook| {
            let copy = workbook.add_worksheet().set_name("旧版").expect("name");
            strings(copy, 0, 0, &["ID", "該非"]);
            strings(copy, 1, 0, &["old-0001", "非該当"]);
            let sheet = workbook
                .add_worksheet()
                .set_name(CHECKLIST_SHEET)
                .expect("name");
            strings(sheet, 0, 0, &["該非", "ID"]);
            strings(sheet, 1, 0, &["該当", "posting-0001"]);
        });
        let (_dir, ledger) = read_bytes("two.xlsx", &bytes);
        let ledger = ledger.expect("read");
        assert_eq!(ledger.sheet, CHECKLIST_SHEET);
        assert_eq!(ledger.rows[0].id, "posting-0001");
        assert_eq!(
            ledger.rows[0].cells,
            [("該非".to_string(), "該当".to_string())]
        );
    }

    #[test]
    fn a_header_below_row_20_is_not_found() {
        let bytes = xlsx(|workbook| {
            let sheet = workbook.add_worksheet();
            strings(sheet, 20, 0, &["ID", "該非"]);
        });
        let (_dir, ledger) = read_bytes("low.xlsx", &bytes);
        assert!(matches!(ledger, Err(LedgerError::NoHeaderRow { .. })));
    }

    /// Headers reordered, a title line, a quoted cell with a newline, a
    /// comma and a quote, a blank line, CRLF line ends; `sep` between cells.
    fn edited_text(sep: &str) -> String {
        [
            "点検チェックリスト（総務課）\r\n",
            &["備考", "該非", "ID", "例規名"].join(sep),
            "\r\n\"掲示は, 当面\"\"続ける\"\"\r\n次回の改正で見直す\"",
            &["", "該当", "posting-0001", "つばき町屋外広告物条例\r\n"].join(sep),
            "\r\n",
            &["", "非該当", " posting-0002", "\r\n"].join(sep),
        ]
        .concat()
    }

    fn assert_edited_csv(ledger: &Ledger) {
        assert_eq!(ledger.sheet, "");
        assert_eq!(ledger.headers, ["備考", "該非", "ID", "例規名"]);
        let rows: Vec<(usize, &str)> = ledger.rows.iter().map(|r| (r.row, r.id.as_str())).collect();
        assert_eq!(rows, [(3, "posting-0001"), (5, "posting-0002")]);
        let first = &ledger.rows[0];
        assert_eq!(
            first.value("備考"),
            "掲示は, 当面\"続ける\"\n次回の改正で見直す"
        );
        assert_eq!(first.value("該非"), "該当");
        assert_eq!(first.value("例規名"), "つばき町屋外広告物条例");
        assert_eq!(ledger.rows[1].value("該非"), "非該当");
    }

    #[test]
    fn reads_a_csv_excel_saved_as_shift_jis() {
        let text = edited_text(",");
        let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(&text);
        assert!(!unmappable);
        let (_dir, ledger) = read_bytes("checklist.csv", &bytes);
        assert_edited_csv(&ledger.expect("read"));
    }

    #[test]
    fn reads_unicode_text_utf16_with_tabs() {
        let text = edited_text("\t");
        let mut bytes = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            bytes.extend(unit.to_le_bytes());
        }
        let (_dir, ledger) = read_bytes("checklist.txt", &bytes);
        assert_edited_csv(&ledger.expect("read"));
    }

    #[test]
    fn a_text_file_that_is_no_checklist_says_so() {
        let (_dir, ledger) = read_bytes("names.csv", "名前,電話\n山田,123\n".as_bytes());
        let message = ledger.expect_err("no header").to_string();
        assert!(message.contains("names.csv"), "{message}");
        assert!(
            message.contains("names.csv: tenken のチェックリストではないようです"),
            "{message}"
        );
    }

    #[test]
    fn undecodable_empty_and_missing_files_are_named() {
        let (_dir, ledger) = read_bytes("bad.csv", b"ID,\xE8\xA9\xB2\xE9\x9D\x9E\n\x81\xFF\xFE\n");
        let message = ledger.expect_err("undecodable").to_string();
        assert!(message.contains("bad.csv"), "{message}");
        assert!(message.contains("文字コードを判別できません"), "{message}");
        let (_dir, ledger) = read_bytes("nul.csv", b"ID,\x00\x01");
        let message = ledger.expect_err("binary").to_string();
        assert!(
            message.contains("nul.csv: チェックリストではありません"),
            "{message}"
        );
        let (_dir, ledger) = read_bytes("empty.csv", b"");
        let error = ledger.expect_err("empty");
        assert!(matches!(error, LedgerError::Empty { .. }), "{error:?}");
        assert!(
            error
                .to_string()
                .contains("empty.csv: チェックリストが空です"),
            "{error}"
        );
        let missing = Path::new("/nonexistent/tenken/checklist.xlsx");
        let message = read_ledger(missing).expect_err("missing").to_string();
        assert!(
            message.contains(
                "/nonexistent/tenken/checklist.xlsx: チェックリストを読めません: 見つかりません"
            ),
            "{message}"
        );
    }

    #[test]
    fn cells_become_text() {
        assert_eq!(cell_of(&Data::Float(2027.0)), Cell::Number("2027".into()));
        assert_eq!(cell_of(&Data::Float(0.1)), Cell::Number("0.1".into()));
        assert_eq!(cell_of(&Data::Int(-3)), Cell::Number("-3".into()));
        assert_eq!(cell_of(&Data::Bool(false)), Cell::Text("FALSE".into()));
        let iso = Data::DateTimeIso("2027-03-31".into());
        assert_eq!(cell_of(&iso), Cell::Number("2027-03-31".into()));
        let at = |value, kind| ExcelDateTime::new(value, kind, false);
        let datetime = calamine::ExcelDateTimeType::DateTime;
        assert_eq!(date_text(&at(46477.0, datetime)), "2027/03/31");
        assert_eq!(date_text(&at(46477.5, datetime)), "2027/03/31 12:00");
        assert_eq!(date_text(&at(0.375, datetime)), "09:00");
        let duration = calamine::ExcelDateTimeType::TimeDelta;
        assert_eq!(date_text(&at(1.5, duration)), "36:00:00");
    }

    #[test]
    fn column_letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
        assert_eq!(column_letter(701), "ZZ");
        assert_eq!(column_letter(702), "AAA");
    }

    #[test]
    fn delimiter_follows_the_header_line() {
        assert_eq!(delimiter("題名\nID\t該非\t備考,メモ\n"), b'\t');
        assert_eq!(delimiter("ID,該非\tx\n"), b',');
    }

    #[test]
    fn text_in_a_column_without_header_is_kept_under_a_name_of_its_own() {
        let csv = "ID,該非,,備考\r\nabc-1,該当,電話で確認済み,\r\nabc-2,,,\r\n";
        let (_dir, ledger) = read_bytes("c.csv", csv.as_bytes());
        let ledger = ledger.expect("read");
        assert_eq!(ledger.headers, ["ID", "該非", "見出しなし(C列)", "備考"]);
        assert_eq!(ledger.rows[0].value("見出しなし(C列)"), "電話で確認済み");
    }

    #[test]
    fn the_csv_formula_guard_is_taken_off_again() {
        let csv = "ID,備考\r\nabc-1,'=A1+1\r\nabc-2,'quoted\r\n";
        let (_dir, ledger) = read_bytes("c.csv", csv.as_bytes());
        let ledger = ledger.expect("read");
        assert_eq!(ledger.rows[0].value("備考"), "=A1+1");
        assert_eq!(ledger.rows[1].value("備考"), "'quoted");
    }

    #[test]
    fn unmatched_decisions_written_beside_a_csv_are_read_again() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.csv");
        std::fs::write(&path, "ID,該非,備考\r\nabc-1,該当,\r\n").expect("csv");
        let beside = dir.path().join(UNMATCHED_CSV_NAME);
        std::fs::write(
            &beside,
            "理由,元の行,備考,ID,該非\r\nID がない行,12行目,メモ,,\r\n",
        )
        .expect("unmatched");
        let ledger = read_ledger(&path).expect("read");
        assert_eq!(ledger.rows.len(), 2);
        let row = &ledger.rows[1];
        assert_eq!(row.sheet.as_deref(), Some(UNMATCHED_CSV_NAME));
        assert_eq!(row.value("備考"), "メモ");
        assert_eq!(row.get("理由"), None);
    }
}
