//! The checklist as an Excel workbook: sheet 「チェックリスト」 with one row per
//! finding and sheet 「集計」 with the counts. Every text goes in with
//! `write_string`, so a cell starting with `=` stays text and is never a formula.

use std::borrow::Cow;
use std::collections::HashMap;
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
use super::{ChecklistError, ScanSummary, in_checklist_order};
use crate::ledger::{Review, Status};
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
    findings: &[Finding],
    review: &Review,
    summary: &ScanSummary,
) -> Result<(), ChecklistError> {
    let spreadsheet = |source| ChecklistError::Spreadsheet {
        path: path.to_path_buf(),
        source,
    };
    let mut workbook = workbook(findings, review, summary).map_err(spreadsheet)?;
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

/// The whole workbook, ready to save.
fn workbook(
    findings: &[Finding],
    review: &Review,
    summary: &ScanSummary,
) -> Result<Workbook, XlsxError> {
    let rows = in_checklist_order(findings);
    let mut workbook = Workbook::new();
    checklist_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        findings,
        review,
    )?;
    summary_sheet(workbook.add_worksheet(), &rows, review, summary)?;
    if !review.unmatched.is_empty() {
        unmatched_sheet(workbook.add_worksheet(), review)?;
    }
    Ok(workbook)
}

/// Sheet 「チェックリスト」.
fn checklist_sheet(
    sheet: &mut Worksheet,
    findings: &[Finding],
    review: &Review,
) -> Result<(), XlsxError> {
    sheet.set_name(CHECKLIST_SHEET)?;
    let header = header_format();
    let headers = headers(review);
    let formats = column_formats(headers.len());
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col), name, &header)?;
        sheet.set_column_width(col_num(col), layout(col).0)?;
    }
    for (index, row) in review.rows.iter().enumerate() {
        let at = row_num(index + 1);
        for (col, text) in row_cells(row, findings, review).iter().enumerate() {
            sheet.write_string_with_format(at, col_num(col), fit_cell(text), &formats[col])?;
        }
    }
    let last_row = row_num(review.rows.len());
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, last_row, col_num(headers.len() - 1))?;
    if !review.rows.is_empty() {
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

/// Sheet 「集計」: an overview, counts by 類型 × 例規, by 優先度, and the files
/// that could not be read.
fn summary_sheet(
    sheet: &mut Worksheet,
    rows: &[&Finding],
    review: &Review,
    summary: &ScanSummary,
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    let documents = documents(rows, summary);
    let bold = Format::new().set_bold();
    let mut at: RowNum = 0;
    at = overview(sheet, at, rows, documents.len(), summary, &bold)?;
    at = progress(sheet, at + 1, review, &bold)?;
    at = by_kind_and_document(sheet, at + 1, rows, &documents, &bold)?;
    at = by_priority(sheet, at + 1, rows, &bold)?;
    if !summary.unreadable.is_empty() {
        unreadable(sheet, at + 1, summary, &bold)?;
    }
    sheet.set_column_width(0, 28)?;
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(2, 18)?;
    for col in 3..(5 + CODES.len()) {
        sheet.set_column_width(col_num(col), 11)?;
    }
    Ok(())
}

/// A 例規 on the summary sheet.
struct DocumentRow<'a> {
    file: &'a str,
    title: &'a str,
    number: &'a str,
    doc_kind: &'a str,
}

/// The scanned 例規 in the summary's order, then any file that only the
/// findings name; each file once.
fn documents<'a>(rows: &[&'a Finding], summary: &'a ScanSummary) -> Vec<DocumentRow<'a>> {
    let mut out: Vec<DocumentRow<'a>> = Vec::new();
    let listed = summary.documents.iter().map(|d| DocumentRow {
        file: &d.file,
        title: &d.title,
        number: d.number.as_deref().unwrap_or(""),
        doc_kind: &d.doc_kind,
    });
    let found = rows.iter().map(|f| DocumentRow {
        file: &f.file,
        title: &f.title,
        number: f.number.as_deref().unwrap_or(""),
        doc_kind: &f.doc_kind,
    });
    for document in listed.chain(found) {
        if !out.iter().any(|d| d.file == document.file) {
            out.push(document);
        }
    }
    out
}

/// Title, then 対象例規数, 指摘件数, うち電子的代替あり, 読み込めなかったファイル.
fn overview(
    sheet: &mut Worksheet,
    at: RowNum,
    rows: &[&Finding],
    documents: usize,
    summary: &ScanSummary,
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(at, 0, "アナログ規制点検の集計", bold)?;
    let digital = rows.iter().filter(|f| f.digital_alternative).count();
    let lines = [
        ("対象例規数", documents),
        ("指摘件数", rows.len()),
        ("うち電子的代替あり", digital),
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
    review: &Review,
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    let p = review.progress();
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

/// Counts per code: the 11 codes in `CODES` order, then any other code.
type Counts = Vec<usize>;

/// The table 類型 × 例規, with a 合計 row and a うち電子的代替あり row.
fn by_kind_and_document(
    sheet: &mut Worksheet,
    at: RowNum,
    rows: &[&Finding],
    documents: &[DocumentRow<'_>],
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    let other = rows.iter().any(|f| code_index(&f.code).is_none());
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
    let per_file = counts_per_file(rows, width);
    let mut row = at + 2;
    for document in documents {
        let names = [
            document.file,
            document.title,
            document.number,
            document.doc_kind,
        ];
        for (col, text) in names.iter().enumerate() {
            sheet.write_string(row, col_num(col), fit_cell(text))?;
        }
        let zero = vec![0; width];
        let counts = per_file.get(document.file).unwrap_or(&zero);
        count_cells(sheet, row, counts, None)?;
        row += 1;
    }
    let all = counts_of(rows.iter().copied(), width);
    sheet.write_string_with_format(row, 0, "合計", bold)?;
    count_cells(sheet, row, &all, Some(bold))?;
    let digital = counts_of(
        rows.iter().copied().filter(|f| f.digital_alternative),
        width,
    );
    sheet.write_string(row + 1, 0, "うち電子的代替あり")?;
    count_cells(sheet, row + 1, &digital, None)?;
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

fn counts_of<'a>(findings: impl Iterator<Item = &'a Finding>, width: usize) -> Counts {
    let mut counts = vec![0; width];
    for finding in findings {
        let index = code_index(&finding.code).unwrap_or(CODES.len());
        if let Some(count) = counts.get_mut(index) {
            *count += 1;
        }
    }
    counts
}

fn counts_per_file<'a>(rows: &[&'a Finding], width: usize) -> HashMap<&'a str, Counts> {
    let mut files: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in rows {
        files
            .entry(finding.file.as_str())
            .or_default()
            .push(finding);
    }
    files
        .into_iter()
        .map(|(file, findings)| (file, counts_of(findings.into_iter(), width)))
        .collect()
}

/// The table 優先度 → 件数, うち電子的代替あり.
fn by_priority(
    sheet: &mut Worksheet,
    at: RowNum,
    rows: &[&Finding],
    bold: &Format,
) -> Result<RowNum, XlsxError> {
    sheet.write_string_with_format(at, 0, "優先度別の件数", bold)?;
    let header = header_format();
    for (col, label) in ["優先度", "件数", "うち電子的代替あり"].iter().enumerate() {
        sheet.write_string_with_format(at + 1, col_num(col), *label, &header)?;
    }
    let mut row = at + 2;
    for priority in [Priority::High, Priority::Medium, Priority::Low] {
        let of: Vec<&&Finding> = rows.iter().filter(|f| f.priority == priority).collect();
        let digital = of.iter().filter(|f| f.digital_alternative).count();
        sheet.write_string(row, 0, priority.japanese())?;
        sheet.write_number(row, 1, of.len() as f64)?;
        sheet.write_number(row, 2, digital as f64)?;
        row += 1;
    }
    let digital = rows.iter().filter(|f| f.digital_alternative).count();
    sheet.write_string_with_format(row, 0, "合計", bold)?;
    sheet.write_number_with_format(row, 1, rows.len() as f64, bold)?;
    sheet.write_number_with_format(row, 2, digital as f64, bold)?;
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
        write_xlsx(&path, &findings, &Review::fresh(&findings), &summary).expect("workbook");
        let bytes = std::fs::read(&path).expect("written");
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");
        write_xlsx(&path, &[], &Review::default(), &summary).expect("an empty checklist");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    #[test]
    fn counts_put_unknown_codes_last() {
        let mut other = posting();
        other.code = "something_new".into();
        let findings = [posting(), other];
        let rows: Vec<&Finding> = findings.iter().collect();
        let counts = counts_of(rows.iter().copied(), CODES.len() + 1);
        assert_eq!(counts[3], 1, "posting");
        assert_eq!(counts[CODES.len()], 1, "その他");
    }
}
