//! Sheet 「集計」: the progress of the review and the counts of findings.
//!
//! What moves while reviewers work (rows per 状態, how many open rows have
//! 該非 filled in, the 進捗率, the counts per 類型 and 優先度) is a formula
//! over the checklist sheet, `COUNTIFS` on its ID, 状態, 該非, 類型, 優先度 and
//! 電子的代替の有無 columns, so it follows every edit. Each formula is written
//! with its value as tenken counted it from the same cells by the same rules,
//! so that a reader that does not recalculate (openpyxl, calamine) sees the
//! right numbers too. The rules:
//! - a row counts when its ID is not empty (`"?*"`; a totals row a reviewer
//!   added has none);
//! - it is open when its 状態 is not 解消; decided when, besides, its 該非 is
//!   not empty;
//! - its 類型 is the code in brackets at the end of the cell (`"*(posting)"`).
//!
//! The table per 例規 (a row per scanned file, thousands in a large
//! 例規集) holds plain numbers, counted when the checklist was written: a
//! formula per cell would make every edit of 状態 recalculate hundreds of
//! thousands of COUNTIFS.
//!
//! The sheet is written top to bottom in constant-memory mode.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use rust_xlsxwriter::{
    ColNum, Format, FormatAlign, Formula, RowNum, Worksheet, XlsxError, worksheet_range_absolute,
};

use super::ScanSummary;
use super::layout::{self, base_format, header_format, wrapped_height};
use super::row_heights::RowHeights;
use super::sheet::{col_num, row_num};
use super::table::{
    BASIS_KIND_COLUMN, CELL_MAX, DIGITAL_COLUMN, FILE_COLUMN, ID_COLUMN, JUDGEMENT_CHOICES,
    JUDGEMENT_COLUMN, KIND_COLUMN, PRIORITY_COLUMN, STATUS_COLUMN, cut_end, digital_label,
};
use crate::basis::BasisKind;
use crate::matching::Priority;
use crate::review::{Review, Status};
use crate::rules::Taxonomy;

/// Name of the summary sheet.
pub const SUMMARY_SHEET: &str = "集計";

/// Widths of the sheet's columns: labels and 例規名, then numbers, then the
/// file last (after the 類型 columns of the table per 例規).
const LABEL_WIDTH: f64 = 34.0;
const NUMBER_WIDTHS: [f64; 2] = [14.0, 12.0];
const COUNT_WIDTH: f64 = 9.0;
const FILE_WIDTH: f64 = 24.0;

/// What the sheet counts, gathered from the cells of each checklist row as
/// the checklist sheet is written (so the rows are gone through once).
pub struct Tally<'a> {
    /// The 類型 counted, in their order.
    taxonomy: &'a Taxonomy,
    /// Checklist rows seen.
    pub rows: usize,
    /// Rows with an ID per 状態, in [`Status::ALL`] order.
    status: [usize; 4],
    /// Open rows per 類型 (the taxonomy's codes, then その他), in all, and per 優先度.
    by_kind: Vec<Group>,
    all: Group,
    by_priority: [Group; 3],
    /// Open rows per 根拠の区分 (法令, 条例, 独自).
    by_basis: [Group; 3],
    /// Open rows per 例規 file and 類型.
    per_file: HashMap<String, Counts>,
    /// The 例規 of the scan summary, by file.
    listed: HashSet<&'a str>,
    /// 例規 that only rows name, in first-seen order.
    unlisted: Vec<DocumentRow<'static>>,
}

/// Counts per 類型: the taxonomy's codes in its order, then any other.
type Counts = Vec<usize>;

/// Counts of open rows of one kind, as the formulas count them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Group {
    open: usize,
    digital: usize,
    decided: usize,
    applicable: usize,
    not_applicable: usize,
}

impl Group {
    fn add(&mut self, row: &RowFacts) {
        self.open += 1;
        self.digital += usize::from(row.digital);
        self.decided += usize::from(!row.judgement.is_empty());
        self.applicable += usize::from(row.judgement == JUDGEMENT_CHOICES[0]);
        self.not_applicable += usize::from(row.judgement == JUDGEMENT_CHOICES[1]);
    }

    fn percent(&self) -> f64 {
        match self.open {
            0 => 1.0,
            open => (self.decided * 100 / open) as f64 / 100.0,
        }
    }
}

/// What the counts read from one row's cells.
struct RowFacts<'c> {
    judgement: &'c str,
    digital: bool,
}

/// The cell of `column`, "" past the row's end.
fn cell(cells: &[String], column: usize) -> &str {
    cells.get(column).map_or("", String::as_str)
}

/// The place of a 類型 cell's code in the taxonomy (its length for その他):
/// the code in brackets at its end, as `"*(code)"` matches it.
fn kind_index(taxonomy: &Taxonomy, kind: &str) -> usize {
    let code = kind
        .strip_suffix(')')
        .and_then(|kind| kind.rsplit_once('('))
        .map(|(_, code)| code);
    code.and_then(|code| {
        taxonomy
            .kinds
            .iter()
            .position(|k| k.code.eq_ignore_ascii_case(code))
    })
    .unwrap_or(taxonomy.len())
}

fn priority_index(priority: &str) -> Option<usize> {
    PRIORITIES.iter().position(|p| p.japanese() == priority)
}

const PRIORITIES: [Priority; 3] = [Priority::High, Priority::Medium, Priority::Low];

const BASIS_KINDS: [BasisKind; 3] = [BasisKind::National, BasisKind::Ordinance, BasisKind::Own];

impl<'a> Tally<'a> {
    pub fn new(summary: &'a ScanSummary, taxonomy: &'a Taxonomy) -> Tally<'a> {
        Tally {
            taxonomy,
            rows: 0,
            status: [0; 4],
            by_kind: vec![Group::default(); taxonomy.len() + 1],
            all: Group::default(),
            by_priority: [Group::default(); 3],
            by_basis: [Group::default(); 3],
            per_file: HashMap::new(),
            listed: summary.documents.iter().map(|d| d.file.as_str()).collect(),
            unlisted: Vec::new(),
        }
    }

    /// Counts one checklist row from its cells as written.
    pub fn add(&mut self, cells: &[String]) {
        self.rows += 1;
        if cell(cells, ID_COLUMN).is_empty() {
            return;
        }
        let status = cell(cells, STATUS_COLUMN);
        if let Some(at) = Status::ALL.iter().position(|s| s.japanese() == status) {
            self.status[at] += 1;
        }
        if status == Status::Resolved.japanese() {
            return;
        }
        let facts = RowFacts {
            judgement: cell(cells, JUDGEMENT_COLUMN),
            digital: cell(cells, DIGITAL_COLUMN) == digital_label(true),
        };
        self.all.add(&facts);
        let kind = kind_index(self.taxonomy, cell(cells, KIND_COLUMN));
        self.by_kind[kind].add(&facts);
        if let Some(at) = priority_index(cell(cells, PRIORITY_COLUMN)) {
            self.by_priority[at].add(&facts);
        }
        if let Some(at) = BASIS_KINDS
            .iter()
            .position(|k| k.japanese() == cell(cells, BASIS_KIND_COLUMN))
        {
            self.by_basis[at].add(&facts);
        }
        self.count_file(cells, kind);
    }

    fn count_file(&mut self, cells: &[String], kind: usize) {
        let file = cell(cells, FILE_COLUMN);
        if let Some(counts) = self.per_file.get_mut(file) {
            counts[kind] += 1;
            return;
        }
        let mut counts = vec![0; self.taxonomy.len() + 1];
        counts[kind] = 1;
        self.per_file.insert(file.to_string(), counts);
        if !self.listed.contains(file) {
            self.unlisted.push(DocumentRow::of_cells(cells));
        }
    }

    /// Whether an open row has a 類型 outside the taxonomy (その他).
    fn has_other(&self) -> bool {
        self.by_kind[self.taxonomy.len()].open > 0
    }
}

/// Where the checklist's data rows are, for the formulas.
pub struct Checklist<'s> {
    pub sheet: &'s str,
    /// The last data row (0-based); the header when there is none.
    pub last_row: RowNum,
    /// The sheet of unmatched decisions and its last row, when it is written.
    pub unmatched: Option<(&'s str, RowNum)>,
}

impl Checklist<'_> {
    /// The absolute range of a column's data rows (at least one row).
    fn range(&self, column: usize) -> String {
        let col = col_num(column);
        worksheet_range_absolute(self.sheet, 1, col, self.last_row.max(1), col)
    }

    /// `COUNTIFS` over the rows with an ID and the given criteria.
    fn count(&self, criteria: &[(usize, &str)]) -> String {
        let mut parts = vec![format!("{},\"?*\"", self.range(ID_COLUMN))];
        for (column, criterion) in criteria {
            let criterion = criterion.replace('"', "\"\"");
            parts.push(format!("{},\"{criterion}\"", self.range(*column)));
        }
        format!("COUNTIFS({})", parts.join(","))
    }
}

/// Criteria of an open row (状態 not 解消).
const OPEN: (usize, &str) = (STATUS_COLUMN, "<>解消");

/// The sheet's formats.
struct Formats {
    bold: Format,
    title: Format,
    header: Format,
    percent: Format,
    bold_percent: Format,
    wrap: Format,
    count: Format,
    bold_count: Format,
}

impl Formats {
    fn new() -> Formats {
        let bold = base_format().set_bold();
        Formats {
            title: bold.clone().set_font_size(14),
            header: header_format(),
            percent: base_format().set_num_format("0%"),
            bold_percent: bold.clone().set_num_format("0%"),
            wrap: base_format().set_text_wrap().set_align(FormatAlign::Top),
            count: base_format().set_align(FormatAlign::Top),
            bold_count: bold.clone().set_align(FormatAlign::Top),
            bold,
        }
    }
}

/// Writes the sheet: the title, the overview, the progress, the tables by
/// 類型, by 優先度 and by 例規, and the files that could not be read. Row
/// heights the wrapped headers and titles need go to `heights`.
pub fn summary_sheet(
    sheet: &mut Worksheet,
    tally: &Tally<'_>,
    review: &Review,
    summary: &ScanSummary,
    checklist: &Checklist<'_>,
    (heights, part): (&mut RowHeights, &str),
) -> Result<(), XlsxError> {
    sheet.set_name(SUMMARY_SHEET)?;
    let widths = column_widths(tally);
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col_num(col), *width)?;
    }
    let documents = documents(tally, summary);
    let formats = Formats::new();
    let mut s = Writer {
        sheet,
        checklist,
        formats: &formats,
        widths: &widths,
        heights,
        part,
    };
    s.sheet
        .write_string_with_format(0, 0, "アナログ規制点検の集計", &formats.title)?;
    s.sheet.write_string(
        1,
        0,
        "件数と進捗率はチェックリストの記入（該非・状態）に合わせて再計算されます。例規別の件数はチェックリスト作成時のものです。",
    )?;
    let mut at = s.overview(3, tally, documents.len(), summary)?;
    at = s.progress(at + 1, tally, review)?;
    at = s.by_kind(at + 1, tally)?;
    at = s.by_priority(at + 1, tally)?;
    at = s.by_basis(at + 1, tally)?;
    let title_row = at + 2;
    at = s.by_document(at + 1, tally, &documents)?;
    if !summary.unreadable.is_empty() {
        s.unreadable(at + 1, summary)?;
    }
    layout::print_setup(s.sheet, title_row)
}

/// The widths of the sheet's columns.
fn column_widths(tally: &Tally<'_>) -> Vec<f64> {
    let kinds = tally.taxonomy.len() + usize::from(tally.has_other()) + 1;
    let mut widths = vec![LABEL_WIDTH];
    widths.extend(NUMBER_WIDTHS);
    widths.extend(std::iter::repeat_n(COUNT_WIDTH, kinds));
    widths.push(FILE_WIDTH);
    widths
}

/// The summary sheet as it is written.
struct Writer<'w> {
    sheet: &'w mut Worksheet,
    checklist: &'w Checklist<'w>,
    formats: &'w Formats,
    widths: &'w [f64],
    heights: &'w mut RowHeights,
    part: &'w str,
}

impl Writer<'_> {
    /// A formula with its value.
    fn formula(
        &mut self,
        row: RowNum,
        col: usize,
        formula: &str,
        value: f64,
        format: Option<&Format>,
    ) -> Result<(), XlsxError> {
        let formula = Formula::new(formula).set_result(number_text(value));
        match format {
            Some(format) => {
                self.sheet
                    .write_formula_with_format(row, col_num(col), formula, format)?
            }
            None => self.sheet.write_formula(row, col_num(col), formula)?,
        };
        Ok(())
    }

    /// A header row of a table, its height fitted to the wrapped labels.
    fn header_row(&mut self, row: RowNum, labels: &[String]) -> Result<(), XlsxError> {
        for (col, label) in labels.iter().enumerate() {
            self.sheet
                .write_string_with_format(row, col_num(col), label, &self.formats.header)?;
        }
        self.fit_row(row, labels, false);
        Ok(())
    }

    /// Records the height a row of wrapped cells needs.
    fn fit_row(&mut self, row: RowNum, cells: &[String], header: bool) {
        let points = wrapped_height(cells, self.widths, header);
        if points > layout::DEFAULT_ROW_POINTS {
            self.heights.set(self.part, row, points);
        }
    }

    /// 対象例規数, 指摘件数, うち電子的代替あり, 読み込めなかったファイル.
    fn overview(
        &mut self,
        at: RowNum,
        tally: &Tally<'_>,
        documents: usize,
        summary: &ScanSummary,
    ) -> Result<RowNum, XlsxError> {
        let c = self.checklist;
        self.sheet.write_string(at, 0, "対象例規数")?;
        self.sheet.write_number(at, 1, documents as f64)?;
        self.sheet
            .write_string(at + 1, 0, "指摘件数（解消を除く）")?;
        self.formula(at + 1, 1, &c.count(&[OPEN]), tally.all.open as f64, None)?;
        self.sheet.write_string(at + 2, 0, "うち電子的代替あり")?;
        let digital = c.count(&[OPEN, (DIGITAL_COLUMN, digital_label(true))]);
        self.formula(at + 2, 1, &digital, tally.all.digital as f64, None)?;
        self.sheet
            .write_string(at + 3, 0, "読み込めなかったファイル")?;
        self.sheet
            .write_number(at + 3, 1, summary.unreadable.len() as f64)?;
        Ok(at + 4)
    }

    /// 点検の進捗: rows per 状態, the decisions and the 進捗率.
    fn progress(
        &mut self,
        at: RowNum,
        tally: &Tally<'_>,
        review: &Review,
    ) -> Result<RowNum, XlsxError> {
        let c = self.checklist;
        self.sheet
            .write_string_with_format(at, 0, "点検の進捗", &self.formats.bold)?;
        if let Some(ledger) = &review.ledger {
            let mut from = format!("判断の引継ぎ元: {}", ledger.display());
            cut_end(&mut from, CELL_MAX);
            self.sheet.write_string(at, 1, from)?;
        }
        let mut row = at + 1;
        for (status, count) in Status::ALL.iter().zip(tally.status) {
            self.sheet.write_string(row, 0, status.japanese())?;
            let formula = c.count(&[(STATUS_COLUMN, status.japanese())]);
            self.formula(row, 1, &formula, count as f64, None)?;
            row += 1;
        }
        self.sheet.write_string(row, 0, "照合できなかった判断")?;
        match c.unmatched {
            Some((name, last)) => {
                let reasons = worksheet_range_absolute(name, 1, 0, last.max(1), 0);
                let formula = format!("COUNTIFS({reasons},\"?*\")");
                self.formula(row, 1, &formula, review.unmatched.len() as f64, None)?;
            }
            None => {
                self.sheet.write_number(row, 1, 0.0)?;
            }
        }
        let open = row + 1;
        let all = tally.all;
        let lines: [(&str, String, usize); 4] = [
            ("点検対象（解消を除く）", c.count(&[OPEN]), all.open),
            (
                "判断済み（該非の記入あり）",
                c.count(&[OPEN, (JUDGEMENT_COLUMN, "?*")]),
                all.decided,
            ),
            (
                "うち該当",
                c.count(&[OPEN, (JUDGEMENT_COLUMN, JUDGEMENT_CHOICES[0])]),
                all.applicable,
            ),
            (
                "うち非該当",
                c.count(&[OPEN, (JUDGEMENT_COLUMN, JUDGEMENT_CHOICES[1])]),
                all.not_applicable,
            ),
        ];
        for (offset, (label, formula, count)) in lines.iter().enumerate() {
            let row = open + row_num(offset);
            self.sheet.write_string(row, 0, *label)?;
            self.formula(row, 1, formula, *count as f64, None)?;
        }
        let left = open + 4;
        self.sheet.write_string(left, 0, "未判断")?;
        let (b_open, b_decided) = (format!("B{}", open + 1), format!("B{}", open + 2));
        self.formula(
            left,
            1,
            &format!("{b_open}-{b_decided}"),
            (all.open - all.decided) as f64,
            None,
        )?;
        let bold = self.formats.bold.clone();
        let bold_percent = self.formats.bold_percent.clone();
        self.sheet
            .write_string_with_format(left + 1, 0, "進捗率", &bold)?;
        let formula = progress_formula(&b_open, &b_decided);
        self.formula(left + 1, 1, &formula, all.percent(), Some(&bold_percent))?;
        Ok(left + 2)
    }

    /// 類型別の件数と進捗: a row per code (and その他), then 合計.
    fn by_kind(&mut self, at: RowNum, tally: &Tally<'_>) -> Result<RowNum, XlsxError> {
        self.sheet.write_string_with_format(
            at,
            0,
            "類型別の件数と進捗（解消を除く）",
            &self.formats.bold,
        )?;
        self.header_row(at + 1, &group_labels("類型", true))?;
        let first = at + 2;
        let kinds = &tally.taxonomy.kinds;
        let total = first + row_num(kinds.len() + usize::from(tally.has_other()));
        for (index, kind) in kinds.iter().enumerate() {
            let (code, name) = (&kind.code, &kind.name);
            let row = first + row_num(index);
            self.sheet
                .write_string(row, 0, format!("{name} ({code})"))?;
            let criterion = format!("*({code})");
            self.group_row(
                row,
                Some((KIND_COLUMN, &criterion)),
                &tally.by_kind[index],
                true,
            )?;
        }
        if tally.has_other() {
            let row = total - 1;
            self.sheet.write_string(row, 0, "その他")?;
            self.other_row(row, first, total, &tally.by_kind[kinds.len()])?;
        }
        self.sheet
            .write_string_with_format(total, 0, "合計", &self.formats.bold)?;
        self.group_row(total, None, &tally.all, true)?;
        Ok(total + 1)
    }

    /// 優先度別の件数と進捗: 高, 中, 低, then 合計.
    fn by_priority(&mut self, at: RowNum, tally: &Tally<'_>) -> Result<RowNum, XlsxError> {
        let labels = PRIORITIES.map(Priority::japanese);
        self.grouped(
            at,
            ("優先度別の件数と進捗（解消を除く）", "優先度"),
            PRIORITY_COLUMN,
            &labels,
            &tally.by_priority,
            &tally.all,
        )
    }

    /// 根拠の区分別の件数と進捗: 法令 (follow the national review), 条例, 独自
    /// (the municipality decides itself), then 合計.
    fn by_basis(&mut self, at: RowNum, tally: &Tally<'_>) -> Result<RowNum, XlsxError> {
        let labels = BASIS_KINDS.map(BasisKind::japanese);
        self.grouped(
            at,
            (
                "根拠の区分別の件数と進捗（解消を除く。法令: 国の見直しに合わせる、独自: 市町村が自ら判断する）",
                "根拠の区分",
            ),
            BASIS_KIND_COLUMN,
            &labels,
            &tally.by_basis,
            &tally.all,
        )
    }

    /// A table of open rows by the values of one column: its title, a header
    /// row, a row per value (`labels`, counted by `groups`), then 合計.
    fn grouped(
        &mut self,
        at: RowNum,
        (title, first): (&str, &str),
        column: usize,
        labels: &[&str],
        groups: &[Group],
        all: &Group,
    ) -> Result<RowNum, XlsxError> {
        self.sheet
            .write_string_with_format(at, 0, title, &self.formats.bold)?;
        self.header_row(at + 1, &group_labels(first, false))?;
        let mut row = at + 2;
        for (label, group) in labels.iter().zip(groups) {
            self.sheet.write_string(row, 0, *label)?;
            self.group_row(row, Some((column, label)), group, false)?;
            row += 1;
        }
        self.sheet
            .write_string_with_format(row, 0, "合計", &self.formats.bold)?;
        self.group_row(row, None, all, false)?;
        Ok(row + 1)
    }

    /// The counts of one group of open rows from column B on: 件数, うち電子的
    /// 代替あり, 判断済み, (うち該当,) 未判断, 進捗率.
    fn group_row(
        &mut self,
        row: RowNum,
        only: Option<(usize, &str)>,
        group: &Group,
        applicable: bool,
    ) -> Result<(), XlsxError> {
        let c = self.checklist;
        let with = |extra: Option<(usize, &str)>| {
            let mut criteria = vec![OPEN];
            criteria.extend(only);
            criteria.extend(extra);
            c.count(&criteria)
        };
        let mut cells = vec![
            (with(None), group.open),
            (
                with(Some((DIGITAL_COLUMN, digital_label(true)))),
                group.digital,
            ),
            (with(Some((JUDGEMENT_COLUMN, "?*"))), group.decided),
        ];
        if applicable {
            cells.push((
                with(Some((JUDGEMENT_COLUMN, JUDGEMENT_CHOICES[0]))),
                group.applicable,
            ));
        }
        for (offset, (formula, count)) in cells.iter().enumerate() {
            self.formula(row, 1 + offset, formula, *count as f64, None)?;
        }
        self.tail(row, 1 + cells.len(), group)
    }

    /// 未判断 and 進捗率 after a row's counts (件数 in B, 判断済み in D).
    fn tail(&mut self, row: RowNum, col: usize, group: &Group) -> Result<(), XlsxError> {
        let (open, decided) = (format!("B{}", row + 1), format!("D{}", row + 1));
        let left = (group.open - group.decided) as f64;
        self.formula(row, col, &format!("{open}-{decided}"), left, None)?;
        let percent = self.formats.percent.clone();
        self.formula(
            row,
            col + 1,
            &progress_formula(&open, &decided),
            group.percent(),
            Some(&percent),
        )
    }

    /// その他: the 合計 row less the codes' rows above, column by column.
    fn other_row(
        &mut self,
        row: RowNum,
        first: RowNum,
        total: RowNum,
        group: &Group,
    ) -> Result<(), XlsxError> {
        let counts = [group.open, group.digital, group.decided, group.applicable];
        for (offset, count) in counts.iter().enumerate() {
            let letter = column_letter(1 + offset);
            let formula = format!(
                "{letter}{}-SUM({letter}{}:{letter}{})",
                total + 1,
                first + 1,
                row
            );
            self.formula(row, 1 + offset, &formula, *count as f64, None)?;
        }
        self.tail(row, 1 + counts.len(), group)
    }

    /// 例規別・類型別の件数: a row per 例規 with its counts when the checklist
    /// was written, and their 合計.
    fn by_document(
        &mut self,
        at: RowNum,
        tally: &Tally<'_>,
        documents: &[DocumentRow<'_>],
    ) -> Result<RowNum, XlsxError> {
        let other = tally.has_other();
        let kinds = &tally.taxonomy.kinds;
        let width = kinds.len() + usize::from(other);
        self.sheet.write_string_with_format(
            at,
            0,
            "例規別・類型別の件数（作成時点、解消を除く）",
            &self.formats.bold,
        )?;
        let mut labels = vec!["例規名".to_string(), "例規番号".into(), "種別".into()];
        labels.extend(kinds.iter().map(|kind| kind.name.clone()));
        if other {
            labels.push("その他".into());
        }
        labels.push("合計".into());
        labels.push("ファイル".into());
        self.header_row(at + 1, &labels)?;
        let mut row = at + 2;
        let zero = vec![0; kinds.len() + 1];
        let mut total = vec![0; kinds.len() + 1];
        for document in documents {
            let counts = tally.per_file.get(document.file.as_ref()).unwrap_or(&zero);
            for (sum, count) in total.iter_mut().zip(counts) {
                *sum += count;
            }
            self.document_row(row, document, &counts[..width])?;
            row += 1;
        }
        self.sheet
            .write_string_with_format(row, 0, "合計", &self.formats.bold)?;
        count_cells(self.sheet, row, &total[..width], &self.formats.bold_count)?;
        Ok(row + 1)
    }

    fn document_row(
        &mut self,
        row: RowNum,
        document: &DocumentRow<'_>,
        counts: &[usize],
    ) -> Result<(), XlsxError> {
        let mut texts: Vec<String> = [&document.title, &document.number, &document.doc_kind]
            .iter()
            .map(|t| t.to_string())
            .collect();
        for text in &mut texts {
            cut_end(text, CELL_MAX);
        }
        let wrap = self.formats.wrap.clone();
        for (col, text) in texts.iter().enumerate() {
            self.sheet
                .write_string_with_format(row, col_num(col), text, &wrap)?;
        }
        count_cells(self.sheet, row, counts, &self.formats.count)?;
        let mut file = document.file.to_string();
        cut_end(&mut file, CELL_MAX);
        let file_col = 3 + counts.len() + 1;
        self.sheet
            .write_string_with_format(row, col_num(file_col), &file, &wrap)?;
        let mut cells = texts;
        cells.resize(file_col, String::new());
        cells.push(file);
        self.fit_row(row, &cells, false);
        Ok(())
    }

    /// The files that could not be read, and why.
    fn unreadable(&mut self, at: RowNum, summary: &ScanSummary) -> Result<RowNum, XlsxError> {
        self.sheet.write_string_with_format(
            at,
            0,
            "読み込めなかったファイル（未点検）",
            &self.formats.bold,
        )?;
        self.header_row(at + 1, &["ファイル".to_string(), "理由".into()])?;
        let mut row = at + 2;
        let wrap = self.formats.wrap.clone();
        for file in &summary.unreadable {
            let mut cells = [file.file.clone(), file.reason.clone()];
            for (col, text) in cells.iter_mut().enumerate() {
                cut_end(text, CELL_MAX);
                self.sheet
                    .write_string_with_format(row, col_num(col), text.as_str(), &wrap)?;
            }
            row += 1;
        }
        Ok(row + 1)
    }
}

/// The labels of a table of counts: the first column's, then 件数 …
fn group_labels(first: &str, applicable: bool) -> Vec<String> {
    let mut labels = vec![first, "件数", "うち電子的代替あり", "判断済み"];
    if applicable {
        labels.push("うち該当");
    }
    labels.extend(["未判断", "進捗率"]);
    labels.into_iter().map(String::from).collect()
}

/// 進捗率: decided rows as a share of the open ones, rounded down to a whole
/// percent as tenken prints it (100% when none is open).
fn progress_formula(open: &str, decided: &str) -> String {
    format!("IF({open}=0,1,ROUNDDOWN({decided}/{open},2))")
}

/// A number as a formula's value: no ".0" on whole numbers.
fn number_text(value: f64) -> String {
    format!("{value}")
}

/// The letter of a column among the first 26.
fn column_letter(col: usize) -> char {
    char::from(b'A' + u8::try_from(col).unwrap_or(25).min(25))
}

/// Writes counts from column D on, then their total.
fn count_cells(
    sheet: &mut Worksheet,
    row: RowNum,
    counts: &[usize],
    format: &Format,
) -> Result<(), XlsxError> {
    let total: usize = counts.iter().sum();
    for (offset, count) in counts.iter().chain([&total]).enumerate() {
        let col: ColNum = col_num(3 + offset);
        sheet.write_number_with_format(row, col, *count as f64, format)?;
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
    fn of_cells(cells: &[String]) -> DocumentRow<'static> {
        let owned = |column| Cow::Owned(cell(cells, column).to_string());
        DocumentRow {
            file: owned(FILE_COLUMN),
            title: owned(0),
            number: owned(super::table::NUMBER_COLUMN),
            doc_kind: owned(super::table::DOC_KIND_COLUMN),
        }
    }
}

/// The scanned 例規 in the summary's order, then any file that only the
/// rows name; each file once.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::row_cells;
    use crate::matching::fixtures::posting;

    fn cells_of(review: &Review, findings: &[crate::matching::Finding]) -> Vec<Vec<String>> {
        review
            .rows
            .iter()
            .map(|row| row_cells(row, row.finding.and_then(|i| findings.get(i)), review))
            .collect()
    }

    #[test]
    fn counts_put_unknown_codes_last() {
        let mut other = posting();
        other.code = "something_new".into();
        other.file = "c.txt".into();
        let findings = [posting(), other];
        let summary = ScanSummary::default();
        let review = Review::fresh(&findings);
        let taxonomy = Taxonomy::built_in();
        let mut tally = Tally::new(&summary, &taxonomy);
        for cells in cells_of(&review, &findings) {
            tally.add(&cells);
        }
        assert_eq!(tally.by_kind[3].open, 1, "posting");
        assert_eq!(tally.by_kind[taxonomy.len()].open, 1, "その他");
        assert_eq!(tally.per_file["c.txt"][taxonomy.len()], 1);
        assert_eq!(tally.unlisted.len(), 2, "the files only the rows name");
        assert_eq!(tally.status[0], 2, "新規");
        assert!(tally.has_other());
    }

    /// The counts follow the formulas' rules: resolved rows and rows
    /// without an ID are left out, 該非 decides.
    #[test]
    fn counts_read_the_cells_as_the_formulas_do() {
        let findings = [posting(), posting(), posting()];
        let mut review = Review::fresh(&findings);
        review.rows[0].decisions = vec![("該非".into(), "該当".into())];
        review.rows[1].status = Some(Status::Resolved);
        review.rows[1].decisions = vec![("該非".into(), "非該当".into())];
        review.rows[2].id.clear();
        let summary = ScanSummary::default();
        let taxonomy = Taxonomy::built_in();
        let mut tally = Tally::new(&summary, &taxonomy);
        for cells in cells_of(&review, &findings) {
            tally.add(&cells);
        }
        assert_eq!(tally.rows, 3);
        assert_eq!(tally.status, [1, 0, 0, 1]);
        let want = Group {
            open: 1,
            digital: 0,
            decided: 1,
            applicable: 1,
            not_applicable: 0,
        };
        assert_eq!(tally.all, want);
        assert_eq!(tally.by_priority[0], want);
        assert_eq!(tally.all.percent(), 1.0);
    }

    #[test]
    fn the_percent_is_rounded_down() {
        let group = Group {
            open: 3,
            decided: 2,
            ..Group::default()
        };
        assert_eq!(group.percent(), 0.66);
        assert_eq!(Group::default().percent(), 1.0);
        assert_eq!(number_text(0.66), "0.66");
        assert_eq!(number_text(3.0), "3");
    }

    #[test]
    fn formulas_count_rows_with_an_id() {
        let checklist = Checklist {
            sheet: "チェックリスト",
            last_row: 9,
            unmatched: None,
        };
        assert_eq!(
            checklist.count(&[OPEN, (KIND_COLUMN, "*(posting)")]),
            "COUNTIFS(チェックリスト!$AA$2:$AA$10,\"?*\",チェックリスト!$L$2:$L$10,\"<>解消\",チェックリスト!$D$2:$D$10,\"*(posting)\")"
        );
        let empty = Checklist {
            sheet: "チェックリスト",
            last_row: 0,
            unmatched: None,
        };
        assert_eq!(empty.count(&[]), "COUNTIFS(チェックリスト!$AA$2,\"?*\")");
        let taxonomy = Taxonomy::built_in();
        assert_eq!(kind_index(&taxonomy, "書面掲示規制 (POSTING)"), 3);
        assert_eq!(kind_index(&taxonomy, "書面掲示規制"), taxonomy.len());
    }
}
