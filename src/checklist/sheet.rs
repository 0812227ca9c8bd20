//! The checklist as an Excel workbook: sheet 「チェックリスト」 with one row per
//! finding and sheet 「集計」 with the counts. Every text goes in with
//! `write_string`, so a cell starting with `=` stays text and is never a formula.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::Path;

use rust_xlsxwriter::{
    ColNum, Color, DataValidation, Format, FormatAlign, FormatBorder, RowNum, Workbook, Worksheet,
    XlsxError,
};

use super::delimited::{unmatched_headers, unmatched_place};
use super::table::{
    CODES, COLUMNS, FILE_COLUMN, FIRST_DECISION_COLUMN, JUDGEMENT_CHOICES, JUDGEMENT_COLUMN,
    POLICY_CHOICES, POLICY_COLUMN, headers, row_cells,
};
use super::{ChecklistError, Rows, ScanSummary};
use crate::ledger::{Progress, Review, ReviewRow, Status};
use crate::matching::{Finding, Priority};

/// Name of the sheet reviewers work in.
pub const CHECKLIST_SHEET: &str = "チェックリスト";
/// Name of the summary sheet.
pub const SUMMARY_SHEET: &str = "集計";
/// Name of the sheet of ledger decisions that could not be placed.
pub const UNMATCHED_SHEET: &str = "照合できなかった判断";

/// Layout of a column reviewers added.
const EXTRA_LAYOUT: (f64, bool) = (16.0, true);

/// Width (in Excel's character units, a kanji is about two) and whether the
/// text wraps, per column of `COLUMNS`.
const LAYOUT: [(f64, bool); COLUMNS.len()] = [
    (24.0, true),  // 例規名
    (16.0, true),  // 例規番号
    (7.0, false),  // 種別
    (16.0, true),  // 条項
    (14.0, true),  // 見出し
    (60.0, true),  // 該当箇所
    (20.0, true),  // 類型
    (36.0, true),  // 検出根拠
    (10.0, false), // 電子的代替の有無
    (7.0, false),  // 優先度
    (36.0, true),  // 見直しの方向性
    (24.0, true),  // 想定される技術
    (10.0, false), // 状態
    (18.0, true),  // 変更の内容
    (40.0, true),  // 前回の該当箇所
    (9.0, false),  // 該非
    (14.0, false), // 見直し方針
    (13.0, true),  // 対応予定時期
    (12.0, true),  // 担当課
    (30.0, true),  // 備考
    (24.0, true),  // ファイル
    (22.0, false), // ID
];

/// Excel's limit on the length of a cell's text, in UTF-16 units.
const MAX_CELL_LEN: usize = 32_767;
/// What replaces the end of a text too long for a cell.
const CUT_MARK: &str = "…（以下省略）";

/// Writes the workbook to `path` atomically: it is saved under a temporary
/// name beside `path`, then renamed. The checklist sheet is written in
/// rust_xlsxwriter's constant-memory mode (rows go to a temporary file as they
/// are written), so memory does not grow with the number of rows.
pub fn write_xlsx(
    path: &Path,
    rows: &dyn Rows,
    review: &Review,
    summary: &ScanSummary,
) -> Result<(), ChecklistError> {
    let spreadsheet = |source| ChecklistError::Spreadsheet {
        path: path.to_path_buf(),
        source,
    };
    let mut workbook = workbook(rows, review, summary).map_err(spreadsheet)?;
    let temp = crate::output::temporary_path(path);
    let saved = workbook.save(&temp).map_err(spreadsheet).and_then(|()| {
        std::fs::rename(&temp, path).map_err(|source| ChecklistError::Write {
            path: path.to_path_buf(),
            source,
        })
    });
    if saved.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    saved
}

/// The whole workbook, ready to save. The summary is counted while the
/// checklist rows are written, so the rows are gone through once.
fn workbook(
    rows: &dyn Rows,
    review: &Review,
    summary: &ScanSummary,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    let mut tally = Tally::new(review, summary);
    checklist_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        rows,
        review,
        &mut tally,
    )?;
    summary_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        &tally,
        review,
        summary,
    )?;
    if !review.unmatched.is_empty() {
        unmatched_sheet(workbook.add_worksheet(), review)?;
    }
    Ok(workbook)
}

/// Sheet 「チェックリスト」.
fn checklist_sheet(
    sheet: &mut Worksheet,
    rows: &dyn Rows,
    review: &Review,
    tally: &mut Tally<'_>,
) -> Result<(), XlsxError> {
    sheet.set_name(CHECKLIST_SHEET)?;
    let header = header_format();
    let headers = headers(review);
    let formats = column_formats(headers.len());
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col), name, &header)?;
        sheet.set_column_width(col_num(col), layout(col).0)?;
    }
    // An error of the sheet stops the visit and is returned as it was.
    let mut failed = None;
    let visited = rows.visit(&mut |row, finding| {
        tally.add(row, finding);
        let at = row_num(tally.rows);
        for (col, text) in row_cells(row, finding, review).iter().enumerate() {
            let written =
                sheet.write_string_with_format(at, col_num(col), fit_cell(text), &formats[col]);
            if let Err(error) = written {
                failed = Some(error);
                return Err(std::io::Error::other("the sheet refused a cell"));
            }
        }
        Ok(())
    });
    if let Some(error) = failed {
        return Err(error);
    }
    visited.map_err(XlsxError::IoError)?;
    let last_row = row_num(tally.rows);
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, col_num(headers.len() - 1))?;
    if tally.rows > 0 {
        drop_down(sheet, JUDGEMENT_COLUMN, &JUDGEMENT_CHOICES, last_row)?;
        drop_down(sheet, POLICY_COLUMN, &POLICY_CHOICES, last_row)?;
    }
    print_setup(sheet)
}

/// Width and wrapping of a column (reviewers' own columns after ours).
fn layout(col: usize) -> (f64, bool) {
    LAYOUT.get(col).copied().unwrap_or(EXTRA_LAYOUT)
}

/// Sheet 「照合できなかった判断」: ledger rows whose decision could not be
/// placed, with the reason and every cell they had.
fn unmatched_sheet(sheet: &mut Worksheet, review: &Review) -> Result<(), XlsxError> {
    sheet.set_name(UNMATCHED_SHEET)?;
    let header = header_format();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    let headers = unmatched_headers(review);
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col), name, &header)?;
        sheet.set_column_width(col_num(col), if col == 0 { 36.0 } else { 18.0 })?;
    }
    for (index, u) in review.unmatched.iter().enumerate() {
        let at = row_num(index + 1);
        sheet.write_string_with_format(at, 0, fit_cell(&u.reason), &wrap)?;
        sheet.write_string_with_format(at, 1, unmatched_place(u), &wrap)?;
        for (col, h) in headers.iter().enumerate().skip(2) {
            let value = u.cells.iter().find(|(c, _)| c == h).map_or("", |(_, v)| v);
            sheet.write_string_with_format(at, col_num(col), fit_cell(value), &wrap)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

/// A drop-down list on a column, over the data rows 1..=last_row.
fn drop_down(
    sheet: &mut Worksheet,
    col: usize,
    choices: &[&str],
    last_row: RowNum,
) -> Result<(), XlsxError> {
    let validation = DataValidation::new()
        .allow_list_strings(choices)?
        .set_input_title(COLUMNS[col])?
        .set_input_message("一覧から選んでください。")?
        .set_error_title("入力できない値です")?
        .set_error_message(format!("{}: {}", COLUMNS[col], choices.join(" / ")))?;
    sheet.add_data_validation(1, col_num(col), last_row, col_num(col), &validation)?;
    Ok(())
}

/// Landscape on A3, one page wide, the header repeated on every page.
fn print_setup(sheet: &mut Worksheet) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(8);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, 0)?;
    Ok(())
}

fn header_format() -> Format {
    Format::new()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
}

/// The format of each column's data cells: top-aligned, wrapped where the
/// text is long, the reviewer's columns shaded as the place to fill in.
fn column_formats(count: usize) -> Vec<Format> {
    (0..count)
        .map(|col| {
            let mut format = Format::new()
                .set_align(FormatAlign::Top)
                .set_border(FormatBorder::Thin);
            if layout(col).1 {
                format = format.set_text_wrap();
            }
            if (FIRST_DECISION_COLUMN..FILE_COLUMN).contains(&col) || col >= COLUMNS.len() {
                format = format.set_background_color(Color::RGB(0xFFF2CC));
            }
            format
        })
        .collect()
}

/// What the summary sheet counts, gathered row by row while the checklist
/// sheet is written.
struct Tally<'a> {
    /// Checklist rows seen.
    rows: usize,
    progress: Progress,
    /// Findings per code (the 11 of `CODES`, then その他), per file and in all.
    per_file: HashMap<String, Counts>,
    all: Counts,
    digital: Counts,
    /// Per 優先度 (高, 中, 低): findings, and of those already digital.
    by_priority: [(usize, usize); 3],
    /// The 例規 of the scan summary, by file.
    listed: HashSet<&'a str>,
    /// 例規 that only findings name, in first-seen order.
    unlisted: Vec<DocumentRow<'static>>,
}

/// Counts per code: the 11 codes in `CODES` order, then any other code.
type Counts = [usize; CODES.len() + 1];

impl<'a> Tally<'a> {
    fn new(review: &Review, summary: &'a ScanSummary) -> Tally<'a> {
        Tally {
            rows: 0,
            progress: Progress {
                unmatched: review.unmatched.len(),
                ..Progress::default()
            },
            per_file: HashMap::new(),
            all: [0; CODES.len() + 1],
            digital: [0; CODES.len() + 1],
            by_priority: [(0, 0); 3],
            listed: summary.documents.iter().map(|d| d.file.as_str()).collect(),
            unlisted: Vec::new(),
        }
    }

    fn add(&mut self, row: &ReviewRow, finding: Option<&Finding>) {
        self.rows += 1;
        self.progress.add(row);
        let Some(finding) = finding else {
            return;
        };
        let code = code_index(&finding.code).unwrap_or(CODES.len());
        self.all[code] += 1;
        let digital = usize::from(finding.digital_alternative);
        self.digital[code] += digital;
        let priority = match finding.priority {
            Priority::High => 0,
            Priority::Medium => 1,
            Priority::Low => 2,
        };
        self.by_priority[priority].0 += 1;
        self.by_priority[priority].1 += digital;
        match self.per_file.get_mut(&finding.file) {
            Some(counts) => counts[code] += 1,
            None => {
                let mut counts = [0; CODES.len() + 1];
                counts[code] = 1;
                self.per_file.insert(finding.file.clone(), counts);
                if !self.listed.contains(finding.file.as_str()) {
                    self.unlisted.push(DocumentRow::of_finding(finding));
                }
            }
        }
    }

    fn findings(&self) -> usize {
        self.all.iter().sum()
    }

    fn digital_findings(&self) -> usize {
        self.digital.iter().sum()
    }
}

/// Sheet 「集計」: an overview, counts by 類型 × 例規, by 優先度, and the files
/// that could not be read. Written top to bottom in constant-memory mode: its
/// table has a row per 例規.
fn summary_sheet(
    sheet: &mut Worksheet,
    tally: &Tally<'_>,
    review: &Review,
    summary: &ScanSummary,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(2, 18)?;
    for col in 3..(5 + CODES.len()) {
        sheet.set_column_width(col_num(col), 11)?;
    }
    let documents = documents(tally, summary);
    let bold = Format::new().set_bold();
    let mut at: RowNum = 0;
    at = overview(sheet, at, tally, documents.len(), summary, &bold)?;
    at = progress(sheet, at + 1, &tally.progress, review, &bold)?;
    at = by_kind_and_document(sheet, at + 1, tally, &documents, &bold)?;
    at = by_priority(sheet, at + 1, tally, &bold)?;
    if !summary.unreadable.is_empty() {
        unreadable(sheet, at + 1, summary, &bold)?;
    }
    Ok(())
}

/// A 例規 on the summary sheet.
struct DocumentRow<'a> {
    file: Cow<'a, str>,
    title: Cow<'a, str>,
    number: Cow<'a, str>,
    doc_kind: Cow<'a, str>,
}

impl DocumentRow<'static> {
    fn of_finding(f: &Finding) -> DocumentRow<'static> {
        DocumentRow {
            file: Cow::Owned(f.file.clone()),
            title: Cow::Owned(f.title.clone()),
            number: Cow::Owned(f.number.clone().unwrap_or_default()),
            doc_kind: Cow::Owned(f.doc_kind.clone()),
        }
    }
}

/// The scanned 例規 in the summary's order, then any file that only the
/// findings name; each file once.
fn documents<'a>(tally: &'a Tally<'_>, summary: &'a ScanSummary) -> Vec<DocumentRow<'a>> {
    let mut seen = HashSet::new();
    let listed = summary.documents.iter().map(|d| DocumentRow {
        file: Cow::Borrowed(&d.file),
        title: Cow::Borrowed(&d.title),
        number: Cow::Borrowed(d.number.as_deref().unwrap_or("")),
        doc_kind: Cow::Borrowed(&d.doc_kind),
    });
    let found = tally.unlisted.iter().map(|d| DocumentRow {
        file: Cow::Borrowed(&d.file),
        title: Cow::Borrowed(&d.title),
        number: Cow::Borrowed(&d.number),
        doc_kind: Cow::Borrowed(&d.doc_kind),
    });
    listed
        .chain(found)
        .filter(|d| seen.insert(d.file.clone()))
        .collect()
}

/// Title, then 対象例規数, 指摘件数, うち電子的代替あり, 読み込めなかったファイル.
fn overview(
    sheet: &mut Worksheet,
    at: RowNum,
    tally: &Tally<'_>,
    documents: usize,
    summary: &ScanSummary,
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(at, 0, "アナログ規制点検の集計", bold)?;
    let lines = [
        ("対象例規数", documents),
        ("指摘件数", tally.findings()),
        ("うち電子的代替あり", tally.digital_findings()),
        ("読み込めなかったファイル", summary.unreadable.len()),
    ];
    for (offset, (label, count)) in lines.iter().enumerate() {
        let row = at + row_num(offset + 1);
        sheet.write_string(row, 0, *label)?;
        sheet.write_number(row, 1, *count as f64)?;
    }
    Ok(at + row_num(lines.len() + 1))
}

/// 点検の進捗: rows per 状態 and how many open rows have 該非 filled in.
fn progress(
    sheet: &mut Worksheet,
    at: RowNum,
    p: &Progress,
    review: &Review,
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(at, 0, "点検の進捗", bold)?;
    if let Some(ledger) = &review.ledger {
        sheet.write_string(
            at,
            1,
            fit_cell(&format!("判断の引継ぎ元: {}", ledger.display())),
        )?;
    }
    let counts = [
        (Status::New.japanese(), p.new),
        (Status::Unchanged.japanese(), p.unchanged),
        (Status::Changed.japanese(), p.changed),
        (Status::Resolved.japanese(), p.resolved),
        ("照合できなかった判断", p.unmatched),
        ("判断済み（該非の記入あり、解消を除く）", p.decided),
        ("未判断", p.open - p.decided),
    ];
    for (offset, (label, count)) in counts.iter().enumerate() {
        let row = at + row_num(offset + 1);
        sheet.write_string(row, 0, *label)?;
        sheet.write_number(row, 1, *count as f64)?;
    }
    let row = at + row_num(counts.len() + 1);
    sheet.write_string_with_format(row, 0, "進捗率", bold)?;
    sheet.write_string_with_format(row, 1, format!("{}%", p.percent()), bold)?;
    Ok(row + 1)
}

/// The table 類型 × 例規, with a 合計 row and a うち電子的代替あり row.
fn by_kind_and_document(
    sheet: &mut Worksheet,
    at: RowNum,
    tally: &Tally<'_>,
    documents: &[DocumentRow<'_>],
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    let other = tally.all[CODES.len()] > 0;
    let width = CODES.len() + usize::from(other);
    sheet.write_string_with_format(at, 0, "類型別・例規別の件数", bold)?;
    let header = header_format();
    let mut labels = vec!["ファイル".to_string(), "例規名".into(), "例規番号".into()];
    labels.push("種別".into());
    labels.extend(CODES.iter().map(|(code, name)| format!("{name}\n({code})")));
    if other {
        labels.push("その他".into());
    }
    labels.push("合計".into());
    for (col, label) in labels.iter().enumerate() {
        sheet.write_string_with_format(at + 1, col_num(col), label, &header)?;
    }
    let mut row = at + 2;
    let zero = [0; CODES.len() + 1];
    for document in documents {
        let names = [
            &document.file,
            &document.title,
            &document.number,
            &document.doc_kind,
        ];
        for (col, text) in names.iter().enumerate() {
            sheet.write_string(row, col_num(col), fit_cell(text))?;
        }
        let counts = tally.per_file.get(document.file.as_ref()).unwrap_or(&zero);
        count_cells(sheet, row, &counts[..width], None)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "合計", bold)?;
    count_cells(sheet, row, &tally.all[..width], Some(bold))?;
    sheet.write_string(row + 1, 0, "うち電子的代替あり")?;
    count_cells(sheet, row + 1, &tally.digital[..width], None)?;
    Ok(row + 2)
}

/// Writes counts from column 4 on, then their total.
fn count_cells(
    sheet: &mut Worksheet,
    row: RowNum,
    counts: &[usize],
    format: Option<&Format>,
) -> Result<(), XlsxError> {
    let total: usize = counts.iter().sum();
    for (offset, count) in counts.iter().chain([&total]).enumerate() {
        let col = col_num(4 + offset);
        match format {
            Some(format) => sheet.write_number_with_format(row, col, *count as f64, format)?,
            None => sheet.write_number(row, col, *count as f64)?,
        };
    }
    Ok(())
}

/// The column of a code among the counts: its place in `CODES`, or None for
/// a code outside the taxonomy (counted under その他).
fn code_index(code: &str) -> Option<usize> {
    CODES.iter().position(|(c, _)| *c == code)
}

/// The table 優先度 → 件数, うち電子的代替あり.
fn by_priority(
    sheet: &mut Worksheet,
    at: RowNum,
    tally: &Tally<'_>,
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(at, 0, "優先度別の件数", bold)?;
    let header = header_format();
    for (col, label) in ["優先度", "件数", "うち電子的代替あり"].iter().enumerate() {
        sheet.write_string_with_format(at + 1, col_num(col), *label, &header)?;
    }
    let mut row = at + 2;
    let priorities = [Priority::High, Priority::Medium, Priority::Low];
    for (priority, (count, digital)) in priorities.iter().zip(tally.by_priority) {
        sheet.write_string(row, 0, priority.japanese())?;
        sheet.write_number(row, 1, count as f64)?;
        sheet.write_number(row, 2, digital as f64)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 0, "合計", bold)?;
    sheet.write_number_with_format(row, 1, tally.findings() as f64, bold)?;
    sheet.write_number_with_format(row, 2, tally.digital_findings() as f64, bold)?;
    Ok(row + 1)
}

/// The files that could not be read, and why.
fn unreadable(
    sheet: &mut Worksheet,
    at: RowNum,
    summary: &ScanSummary,
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(at, 0, "読み込めなかったファイル（未点検）", bold)?;
    let header = header_format();
    sheet.write_string_with_format(at + 1, 0, "ファイル", &header)?;
    sheet.write_string_with_format(at + 1, 1, "理由", &header)?;
    let mut row = at + 2;
    for file in &summary.unreadable {
        sheet.write_string(row, 0, fit_cell(&file.file))?;
        sheet.write_string(row, 1, fit_cell(&file.reason))?;
        row += 1;
    }
    Ok(row + 1)
}

/// The text, cut to Excel's cell limit with a mark when it is longer.
fn fit_cell(text: &str) -> Cow<'_, str> {
    if text.encode_utf16().count() <= MAX_CELL_LEN {
        return Cow::Borrowed(text);
    }
    let room = MAX_CELL_LEN - CUT_MARK.encode_utf16().count();
    let mut used = 0;
    let mut out = String::new();
    for ch in text.chars() {
        used += ch.len_utf16();
        if used > room {
            break;
        }
        out.push(ch);
    }
    out.push_str(CUT_MARK);
    Cow::Owned(out)
}

/// A row index for rust_xlsxwriter; past its range the write fails with its
/// own row-limit error.
fn row_num(index: usize) -> RowNum {
    RowNum::try_from(index).unwrap_or(RowNum::MAX)
}

fn col_num(index: usize) -> ColNum {
    ColNum::try_from(index).unwrap_or(ColNum::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Held;
    use crate::checklist::tests::posting;

    #[test]
    fn long_text_is_cut_to_the_cell_limit() {
        let long = "掲".repeat(40_000);
        let cut = fit_cell(&long);
        assert_eq!(cut.encode_utf16().count(), MAX_CELL_LEN);
        assert!(cut.ends_with(CUT_MARK));
        assert_eq!(fit_cell("第5条"), "第5条");
    }

    #[test]
    fn a_workbook_is_built_for_findings_and_for_none() {
        let summary = ScanSummary::default();
        let findings = [posting()];
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.xlsx");
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(&path, &rows, &review, &summary).expect("workbook");
        let bytes = std::fs::read(&path).expect("written");
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");
        let none = Review::default();
        let rows = Held {
            findings: &[],
            review: &none,
        };
        write_xlsx(&path, &rows, &none, &summary).expect("an empty checklist");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn counts_put_unknown_codes_last() {
        let mut other = posting();
        other.code = "something_new".into();
        let findings = [posting(), other];
        let summary = ScanSummary::default();
        let review = Review::fresh(&findings);
        let mut tally = Tally::new(&review, &summary);
        for row in &review.rows {
            tally.add(row, row.finding.and_then(|i| findings.get(i)));
        }
        assert_eq!(tally.all[3], 1, "posting");
        assert_eq!(tally.all[CODES.len()], 1, "その他");
        assert_eq!(tally.per_file["b/屋外広告物条例.txt"][CODES.len()], 1);
        assert_eq!(tally.unlisted.len(), 1, "the file only the findings name");
        assert_eq!(tally.progress.new, 2);
    }
}
