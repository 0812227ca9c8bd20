//! The checklist as an Excel workbook: sheet 「チェックリスト」 with one row per
//! finding, sheet 「集計」 with the progress and the counts (see `summary`), and
//! sheet 「照合できなかった判断」 when decisions of the ledger could not be
//! placed. Every text goes in with `write_string`, so a cell starting with `=`
//! stays text and is never a formula.
//!
//! The checklist sheet is laid out for the reviewer (see `layout` for the
//! font, widths and heights): the header row and the identifying columns
//! (例規名, 条項) are frozen, the decision columns follow 該当箇所, the detail
//! columns (前回の該当箇所 … ID) are grouped and folded away (their [+] opens
//! them; they are read back like any other), and it prints on A3 landscape,
//! one page wide, with the header row on every page.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{ColNum, DataValidation, Format, RowNum, Workbook, Worksheet, XlsxError};

use super::delimited::{unmatched_headers, unmatched_place};
use super::layout::{
    self, DEFAULT_COLUMN_PIXELS, DEFAULT_ROW_PIXELS, base_format, cell_format, header_format,
    row_height, to_fill_in, wrapped_height,
};
use super::row_heights::{RowHeights, sheet_part};
use super::summary::{Checklist, Tally, summary_sheet};
use super::table::{
    CELL_MAX, COLUMNS, FIRST_DECISION_COLUMN, FIRST_DETAIL_COLUMN, ID_COLUMN, IDENTIFYING_COLUMNS,
    JUDGEMENT_CHOICES, JUDGEMENT_COLUMN, POLICY_CHOICES, POLICY_COLUMN, STATUS_COLUMN, cut_end,
    headers, row_cells,
};
use super::{ChecklistError, Rows, ScanSummary};
use crate::review::{DECISION_COLUMNS, Review};
use crate::rules::Taxonomy;

pub use crate::review::{CHECKLIST_SHEET, UNMATCHED_SHEET};

/// Layout of a column: width (in Excel's character units: a digit of the
/// default font; a kanji is about two), whether its text wraps.
type Layout = (f64, bool);

/// Layout of a column reviewers added.
const EXTRA_LAYOUT: Layout = (16.0, true);

/// Layout per column of `COLUMNS`. The columns before the details print on
/// A3 landscape at about 90% in Excel (11 pt text at about 10 pt), and at
/// about 75% where LibreOffice draws in a wider fallback font: 8 pt, little
/// above the least tests/checklist_paper.py lets pass. No width is to spare:
/// 改正案 took its room from columns whose texts mostly wrap to as many lines
/// as before (例規名, 条項, 見出し, 類型, 担当課, 変更の内容) and from 該非,
/// whose 非該当 still fits; the rows of ../shared/corpus grew by 0.3% in all.
const LAYOUT: [Layout; COLUMNS.len()] = [
    (17.0, true),  // 例規名
    (10.0, true),  // 条項
    (10.0, true),  // 見出し
    (13.0, true),  // 類型
    (42.0, true),  // 該当箇所
    (7.0, false),  // 該非
    (12.0, false), // 見直し方針
    (8.0, true),   // 対応予定時期
    (7.0, true),   // 担当課
    (18.0, true),  // 備考
    (16.0, true),  // 改正案
    (8.0, false),  // 状態
    (10.0, true),  // 変更の内容
    (6.0, false),  // 優先度
    (9.0, false),  // 電子的代替の有無
    (7.0, false),  // 根拠の区分
    (28.0, true),  // 前回の該当箇所
    (24.0, true),  // 根拠法令
    (11.0, false), // 国の規定の電子的代替
    (36.0, true),  // 国の規定
    (36.0, true),  // 見直しの方向性
    (36.0, true),  // 検出根拠
    (24.0, true),  // 想定される技術
    (16.0, true),  // 例規番号
    (7.0, false),  // 種別
    (24.0, true),  // ファイル
    (22.0, false), // ID
];

/// Excel's limit on the length of a cell's text, in UTF-16 units.
const MAX_CELL_LEN: usize = 32_767;
/// What replaces the end of a text too long for a cell.
const CUT_MARK: &str = "…（以下省略）";

/// Writes the workbook to `path` atomically: it is saved under a temporary
/// name beside `path`, copied with its row heights (see `row_heights`) to
/// another, which is renamed to `path`. The checklist sheet is written in
/// rust_xlsxwriter's constant-memory mode (rows go to a temporary file as
/// they are written), so memory does not grow with the number of rows.
pub fn write_xlsx(
    path: &Path,
    rows: &dyn Rows,
    review: &Review,
    summary: &ScanSummary,
    taxonomy: &Taxonomy,
) -> Result<(), ChecklistError> {
    let spreadsheet = |source| ChecklistError::Spreadsheet {
        path: path.to_path_buf(),
        source,
    };
    let write = |source| ChecklistError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut heights = RowHeights::default();
    let mut workbook =
        workbook(rows, review, summary, taxonomy, &mut heights).map_err(spreadsheet)?;
    let draft = crate::output::temporary_path(&draft_name(path));
    let temp = crate::output::temporary_path(path);
    let saved = workbook
        .save(&draft)
        .map_err(spreadsheet)
        .and_then(|()| heights.apply(&draft, &temp).map_err(write))
        .and_then(|()| std::fs::rename(&temp, path).map_err(write));
    let _ = std::fs::remove_file(&draft);
    if saved.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    saved
}

/// `checklist.xlsx.draft` beside `checklist.xlsx`: the name whose temporary
/// file holds the workbook before its row heights are added.
fn draft_name(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".draft");
    path.with_file_name(name)
}

/// The whole workbook, ready to save. The summary is counted while the
/// checklist rows are written, so the rows are gone through once.
fn workbook(
    rows: &dyn Rows,
    review: &Review,
    summary: &ScanSummary,
    taxonomy: &Taxonomy,
    heights: &mut RowHeights,
) -> Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_default_format(&base_format(), DEFAULT_ROW_PIXELS, DEFAULT_COLUMN_PIXELS)?;
    // The draft is compressed again when its row heights are added.
    workbook.set_zip_compression_level(1);
    let mut tally = Tally::new(summary, taxonomy);
    let checklist = workbook.add_worksheet_with_constant_memory()?;
    checklist_sheet(checklist, rows, review, &mut tally, heights)?;
    let unmatched =
        (!review.unmatched.is_empty()).then(|| (UNMATCHED_SHEET, row_num(review.unmatched.len())));
    let ranges = Checklist {
        sheet: CHECKLIST_SHEET,
        last_row: row_num(tally.rows),
        unmatched,
    };
    summary_sheet(
        workbook.add_worksheet_with_constant_memory()?,
        &tally,
        review,
        summary,
        &ranges,
        (&mut *heights, &sheet_part(2)),
    )?;
    if !review.unmatched.is_empty() {
        unmatched_sheet(workbook.add_worksheet(), review, heights)?;
    }
    Ok(workbook)
}

/// Sheet 「チェックリスト」.
fn checklist_sheet(
    sheet: &mut Worksheet,
    rows: &dyn Rows,
    review: &Review,
    tally: &mut Tally<'_>,
    heights: &mut RowHeights,
) -> Result<(), XlsxError> {
    sheet.set_name(CHECKLIST_SHEET)?;
    let part = sheet_part(1);
    let headers = headers(review);
    set_columns(sheet, headers.len())?;
    let header = header_format();
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col), name, &header)?;
    }
    heights.set(&part, 0, fitted_height(&headers, true));
    let formats = column_formats(headers.len());
    // An error of the sheet stops the visit and is returned as it was.
    let mut failed = None;
    let visited = rows.visit(&mut |row, finding| {
        let cells = row_cells(row, finding, review);
        tally.add(&cells);
        let at = row_num(tally.rows);
        if let Err(error) = write_row(sheet, at, &cells, &formats) {
            failed = Some(error);
            return Err(std::io::Error::other("the sheet refused a cell"));
        }
        let points = fitted_height(&cells, false);
        if points > layout::DEFAULT_ROW_POINTS {
            heights.set(&part, at, points);
        }
        Ok(())
    });
    if let Some(error) = failed {
        return Err(error);
    }
    visited.map_err(XlsxError::IoError)?;
    let last_row = row_num(tally.rows);
    sheet.set_freeze_panes(1, col_num(IDENTIFYING_COLUMNS))?;
    sheet.autofilter(0, 0, last_row, col_num(headers.len() - 1))?;
    if tally.rows > 0 {
        drop_down(sheet, JUDGEMENT_COLUMN, &JUDGEMENT_CHOICES, last_row)?;
        drop_down(sheet, POLICY_COLUMN, &POLICY_CHOICES, last_row)?;
    }
    layout::print_setup(sheet, 0)
}

/// Column widths, and the detail columns grouped and folded away.
fn set_columns(sheet: &mut Worksheet, count: usize) -> Result<(), XlsxError> {
    for col in 0..count {
        sheet.set_column_width(col_num(col), column_layout(col).0)?;
    }
    sheet.group_columns_collapsed(col_num(FIRST_DETAIL_COLUMN), col_num(ID_COLUMN))?;
    Ok(())
}

/// Writes one data row.
fn write_row(
    sheet: &mut Worksheet,
    at: RowNum,
    cells: &[String],
    formats: &[Format],
) -> Result<(), XlsxError> {
    for (col, text) in cells.iter().enumerate() {
        let format = &formats[col.min(formats.len() - 1)];
        sheet.write_string_with_format(at, col_num(col), fit_cell(text), format)?;
    }
    Ok(())
}

/// The height a checklist row needs for the columns in view.
fn fitted_height(cells: &[String], header: bool) -> f64 {
    let layouts = cells.iter().enumerate().map(|(col, text)| {
        let folded = (FIRST_DETAIL_COLUMN..=ID_COLUMN).contains(&col);
        (text.as_str(), (!folded).then(|| column_layout(col)))
    });
    row_height(layouts, header)
}

/// Width and wrapping of a column (reviewers' own columns after ours).
fn column_layout(col: usize) -> Layout {
    LAYOUT.get(col).copied().unwrap_or(EXTRA_LAYOUT)
}

/// Sheet 「照合できなかった判断」: ledger rows whose decision could not be
/// placed, with the reason and every cell they had. It prints at full size
/// across as many pages as it takes, 理由 and 元の行 repeated on each.
fn unmatched_sheet(
    sheet: &mut Worksheet,
    review: &Review,
    heights: &mut RowHeights,
) -> Result<(), XlsxError> {
    sheet.set_name(UNMATCHED_SHEET)?;
    let part = sheet_part(3);
    let header = header_format();
    let wrap = cell_format(true);
    let headers = unmatched_headers(review);
    let widths: Vec<f64> = (0..headers.len())
        .map(|col| if col == 0 { 36.0 } else { 18.0 })
        .collect();
    for (col, name) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col_num(col), name, &header)?;
        sheet.set_column_width(col_num(col), widths[col])?;
    }
    heights.set(&part, 0, wrapped_height(&headers, &widths, true));
    for (index, u) in review.unmatched.iter().enumerate() {
        let at = row_num(index + 1);
        let mut cells = vec![u.reason.clone(), unmatched_place(u)];
        for h in headers.iter().skip(2) {
            let value = u.cells.iter().find(|(c, _)| c == h).map_or("", |(_, v)| v);
            cells.push(ledger_cell(h, value));
        }
        for (col, text) in cells.iter().enumerate() {
            sheet.write_string_with_format(at, col_num(col), fit_cell(text), &wrap)?;
        }
        heights.set(&part, at, wrapped_height(&cells, &widths, false));
    }
    sheet.set_freeze_panes(1, 2)?;
    sheet.set_landscape();
    sheet.set_paper_size(layout::A3_PAPER);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_repeat_columns(0, 1)?;
    Ok(())
}

/// A cell of an unmatched ledger row: tenken's own columns bounded as in
/// the checklist, the reviewer's as they were typed.
fn ledger_cell(header: &str, value: &str) -> String {
    let mut value = value.to_string();
    if COLUMNS.contains(&header) && !DECISION_COLUMNS.contains(&header) {
        cut_end(&mut value, CELL_MAX);
    }
    value
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

/// The format of each column's data cells: top-aligned, wrapped where the
/// text is long, the reviewer's columns shaded as the place to fill in.
fn column_formats(count: usize) -> Vec<Format> {
    (0..count)
        .map(|col| {
            let format = cell_format(column_layout(col).1);
            let decision = (FIRST_DECISION_COLUMN..STATUS_COLUMN).contains(&col);
            if decision || col >= COLUMNS.len() {
                to_fill_in(format)
            } else {
                format
            }
        })
        .collect()
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
pub(super) fn row_num(index: usize) -> RowNum {
    RowNum::try_from(index).unwrap_or(RowNum::MAX)
}

pub(super) fn col_num(index: usize) -> ColNum {
    ColNum::try_from(index).unwrap_or(ColNum::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Held;
    use crate::matching::fixtures::posting;

    fn built_in() -> Taxonomy {
        Taxonomy::built_in()
    }

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
        let taxonomy = Taxonomy::built_in();
        let findings = [posting()];
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.xlsx");
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(&path, &rows, &review, &summary, &taxonomy).expect("workbook");
        let bytes = std::fs::read(&path).expect("written");
        assert_eq!(&bytes[..2], b"PK", "an xlsx is a zip file");
        let none = Review::default();
        let rows = Held {
            findings: &[],
            review: &none,
        };
        write_xlsx(&path, &rows, &none, &summary, &taxonomy).expect("an empty checklist");
        let names: Vec<_> = std::fs::read_dir(dir.path()).expect("list").collect();
        assert_eq!(names.len(), 1, "no temporary file is left");
    }

    /// The columns in view print on A3 landscape at 75% or more: 11 pt
    /// text at 8 pt or more.
    #[test]
    fn the_columns_in_view_print_large_enough() {
        let widths: Vec<f64> = LAYOUT[..FIRST_DETAIL_COLUMN].iter().map(|l| l.0).collect();
        let scale = layout::a3_fit_scale(&widths);
        assert!(scale >= 75.0, "{scale}");
        let all: Vec<f64> = LAYOUT.iter().map(|l| l.0).collect();
        assert!(
            layout::a3_fit_scale(&all) < 60.0,
            "the details would not fit"
        );
    }

    /// 改正案 is laid out like 備考, right after it: a wide column whose text
    /// wraps, shaded as a cell to fill in.
    #[test]
    fn the_proposed_wording_is_a_wide_wrapped_column_to_fill_in() {
        let at = |header: &str| COLUMNS.iter().position(|c| *c == header);
        let (Some(note), Some(wording)) = (at("備考"), at("改正案")) else {
            panic!("備考 and 改正案 are columns: {COLUMNS:?}");
        };
        assert_eq!(wording, note + 1);
        assert_eq!(wording + 1, STATUS_COLUMN);
        let (width, wraps) = column_layout(wording);
        assert!(wraps && width >= 16.0, "{width}");
        let formats = column_formats(COLUMNS.len());
        assert_eq!(formats[wording], to_fill_in(cell_format(true)));
        assert_eq!(formats[wording], formats[note]);
    }

    /// The heights reach the saved file: a row with a long excerpt is as
    /// tall as its text, the header row fits its wrapped names.
    #[test]
    fn rows_get_the_height_of_their_text() {
        let mut long = posting();
        long.id = "posting-0002".into();
        long.excerpt = format!("{}【掲示】", "許可を受けた者は".repeat(20));
        let findings = [posting(), long];
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("checklist.xlsx");
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        write_xlsx(&path, &rows, &review, &ScanSummary::default(), &built_in()).expect("workbook");
        let xml = super::super::read_part(&path, &sheet_part(1)).expect("sheet");
        // 164 characters at 23 a line: 8 lines of 18.75 pt.
        assert!(
            xml.contains("<row r=\"3\" ht=\"150\" customHeight=\"1\""),
            "{}",
            &xml[..3000]
        );
        assert!(xml.contains("<row r=\"1\" ht=\"37.5\" customHeight=\"1\""));
        assert!(xml.contains("<pane xSplit=\"2\" ySplit=\"1\" topLeftCell=\"C2\""));
        assert!(
            xml.contains("<pageSetup paperSize=\"8\" fitToHeight=\"0\" orientation=\"landscape\"")
        );
        let summary = super::super::read_part(&path, &sheet_part(2)).expect("集計");
        assert!(summary.contains("<f>COUNTIFS("), "the progress is formulas");
    }

    #[test]
    fn a_failed_write_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("missing").join("checklist.xlsx");
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let rows = Held {
            findings: &findings,
            review: &review,
        };
        let error = write_xlsx(&path, &rows, &review, &ScanSummary::default(), &built_in())
            .expect_err("no such folder");
        assert!(error.to_string().contains("missing"), "{error}");
        assert_eq!(std::fs::read_dir(dir.path()).expect("list").count(), 0);
    }

    #[test]
    fn the_draft_has_its_own_temporary_name() {
        let draft = draft_name(Path::new("out/checklist.xlsx"));
        assert_eq!(draft, Path::new("out/checklist.xlsx.draft"));
    }
}
