//! The checklist's columns and how a finding fills them, shared by the XLSX
//! sheet and the CSV file.

use crate::ledger::{Review, ReviewRow, Status};
use crate::matching::{EXCERPT_MAX, Finding, shorten_excerpt};

/// The header row, in order: what was found, the review direction, where the
/// finding stands since the last review (状態 …), the decision columns for the
/// reviewer, the file and the finding's stable ID last. Columns reviewers add
/// are carried over after these.
pub const COLUMNS: [&str; 22] = [
    "例規名",
    "例規番号",
    "種別",
    "条項",
    "見出し",
    "該当箇所",
    "類型",
    "検出根拠",
    "電子的代替の有無",
    "優先度",
    "見直しの方向性",
    "想定される技術",
    "状態",
    "変更の内容",
    "前回の該当箇所",
    "該非",
    "見直し方針",
    "対応予定時期",
    "担当課",
    "備考",
    "ファイル",
    "ID",
];

/// How many leading columns describe the finding itself.
pub const FINDING_COLUMNS: usize = 12;
/// Column of 状態.
pub const STATUS_COLUMN: usize = 12;
/// Column of 該非 (drop-down).
pub const JUDGEMENT_COLUMN: usize = 15;
/// Column of 見直し方針 (drop-down).
pub const POLICY_COLUMN: usize = 16;
/// The first of the reviewer's decision columns.
pub const FIRST_DECISION_COLUMN: usize = 15;
/// Column of the file path.
pub const FILE_COLUMN: usize = 20;
/// Column of the stable ID.
pub const ID_COLUMN: usize = 21;
/// Columns of 該当箇所 and 前回の該当箇所 (excerpts, cut to [`EXCERPT_MAX`]).
const EXCERPT_COLUMNS: [usize; 2] = [5, 14];
/// Column of 検出根拠, and the most characters it shows.
const GROUNDS_COLUMN: usize = 7;
const GROUNDS_MAX: usize = 2_000;

/// The choices of 該非.
pub const JUDGEMENT_CHOICES: [&str; 2] = ["該当", "非該当"];
/// The choices of 見直し方針 (TAXONOMY.md: how a municipality carries a finding out).
pub const POLICY_CHOICES: [&str; 4] = ["例規改正", "解釈の明確化", "運用の見直し", "対応不要"];

/// The taxonomy codes with their Japanese names, in TAXONOMY.md's order.
pub use crate::rules::TAXONOMY as CODES;

/// The Japanese name of a taxonomy code, if it is one.
pub fn code_name(code: &str) -> Option<&'static str> {
    CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, name)| *name)
}

/// 類型 as printed: 「書面掲示規制 (posting)」.
pub fn kind_label(finding: &Finding) -> String {
    let name = match finding.code_name.as_str() {
        "" => code_name(&finding.code).unwrap_or(""),
        name => name,
    };
    match name {
        "" => finding.code.clone(),
        name => format!("{name} ({})", finding.code),
    }
}

/// 検出根拠: one line per rule, 「id: reason」; the matched words when no rule is named.
pub fn grounds(finding: &Finding) -> String {
    if finding.rules.is_empty() {
        let words: Vec<&str> = finding.matched.iter().map(|m| m.text.as_str()).collect();
        return words.join(", ");
    }
    let lines: Vec<String> = finding
        .rules
        .iter()
        .map(|rule| match rule.reason.as_str() {
            "" => rule.id.clone(),
            reason => format!("{}: {reason}", rule.id),
        })
        .collect();
    lines.join("\n")
}

/// The columns that describe a finding (例規名 … 想定される技術).
pub fn finding_cells(finding: &Finding) -> [String; FINDING_COLUMNS] {
    let digital = if finding.digital_alternative {
        "あり"
    } else {
        "なし"
    };
    [
        finding.title.clone(),
        finding.number.clone().unwrap_or_default(),
        finding.doc_kind.clone(),
        finding.citation.clone(),
        finding.caption.clone().unwrap_or_default(),
        finding.excerpt.clone(),
        kind_label(finding),
        grounds(finding),
        digital.to_string(),
        finding.priority.japanese().to_string(),
        finding.phase.clone(),
        finding.technology.clone(),
    ]
}

/// The header row: [`COLUMNS`], then the columns reviewers added.
pub fn headers(review: &Review) -> Vec<String> {
    COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(review.extra_columns.iter().cloned())
        .collect()
}

/// One checklist row, under [`headers`]: the finding (or, when it is gone,
/// the row as the ledger last had it), its status and the reviewer's cells.
pub fn row_cells(row: &ReviewRow, finding: Option<&Finding>, review: &Review) -> Vec<String> {
    let mut cells: Vec<String> = match finding {
        Some(finding) => finding_cells(finding).into(),
        None => COLUMNS[..FINDING_COLUMNS]
            .iter()
            .map(|h| row.last_value(h).to_string())
            .collect(),
    };
    cells.push(row.status.map_or("", Status::japanese).to_string());
    cells.push(row.change.clone());
    cells.push(row.previous.clone());
    for header in &COLUMNS[FIRST_DECISION_COLUMN..FILE_COLUMN] {
        cells.push(row.decision(header).to_string());
    }
    cells.push(finding.map_or_else(
        || row.last_value(COLUMNS[FILE_COLUMN]).to_string(),
        |f| f.file.clone(),
    ));
    cells.push(row.id.clone());
    for header in &review.extra_columns {
        cells.push(row.decision(header).to_string());
    }
    bound_cells(&mut cells);
    cells
}

/// No cell tenken fills grows past a few thousand characters, whatever the
/// ledger held: excerpts are cut around their first match, 検出根拠 at its
/// end. The reviewer's own cells are left as they typed them.
fn bound_cells(cells: &mut [String]) {
    for column in EXCERPT_COLUMNS {
        if let Some(cell) = cells.get_mut(column) {
            *cell = shorten_excerpt(cell, EXCERPT_MAX);
        }
    }
    if let Some(cell) = cells.get_mut(GROUNDS_COLUMN)
        && cell.chars().count() > GROUNDS_MAX
    {
        *cell = cell.chars().take(GROUNDS_MAX - 1).collect();
        cell.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::tests::posting;

    #[test]
    fn columns_are_in_the_review_manual_order() {
        assert_eq!(COLUMNS[FINDING_COLUMNS - 1], "想定される技術");
        assert_eq!(COLUMNS[STATUS_COLUMN], "状態");
        assert_eq!(COLUMNS[JUDGEMENT_COLUMN], "該非");
        assert_eq!(COLUMNS[POLICY_COLUMN], "見直し方針");
        assert_eq!(
            COLUMNS[FIRST_DECISION_COLUMN..FILE_COLUMN],
            crate::ledger::DECISION_COLUMNS
        );
        assert_eq!(COLUMNS[FILE_COLUMN], "ファイル");
        assert_eq!(COLUMNS[ID_COLUMN], "ID");
        assert_eq!(ID_COLUMN, COLUMNS.len() - 1);
    }

    #[test]
    fn a_finding_fills_its_row() {
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let row = row_cells(&review.rows[0], findings.first(), &review);
        assert_eq!(row.len(), COLUMNS.len());
        assert_eq!(row[0], "つばき町屋外広告物条例");
        assert_eq!(row[1], "平成15年条例第9号");
        assert_eq!(row[3], "第5条第2項");
        assert_eq!(row[4], "許可の表示");
        assert_eq!(row[6], "書面掲示規制 (posting)");
        assert_eq!(
            row[7],
            "posting.keiji: 「掲示」+ 義務「しなければならない」\nposting.place: 「見やすい場所」"
        );
        assert_eq!(row[8], "なし");
        assert_eq!(row[9], "高");
        assert_eq!(row[STATUS_COLUMN], "新規");
        assert!(
            row[FIRST_DECISION_COLUMN..FILE_COLUMN]
                .iter()
                .all(String::is_empty)
        );
        assert_eq!(row[FILE_COLUMN], "b/屋外広告物条例.txt");
        assert_eq!(row[ID_COLUMN], "posting-0001");
    }

    /// Whatever a ledger held, no cell tenken fills is longer than a few
    /// thousand characters; the reviewer's own cells are kept whole.
    #[test]
    fn long_cells_are_bounded() {
        let mut finding = posting();
        let long = format!("{}【掲示】{}", "許可".repeat(20_000), "し".repeat(20_000));
        finding.excerpt = long.clone();
        finding.rules = vec![finding.rules[0].clone(); 2_000];
        let mut review = Review::fresh(std::slice::from_ref(&finding));
        review.rows[0].previous = long;
        let note = "備".repeat(20_000);
        review.rows[0].decisions = vec![("備考".into(), note.clone())];
        let row = row_cells(&review.rows[0], Some(&finding), &review);
        for column in EXCERPT_COLUMNS {
            assert_eq!(row[column].chars().count(), EXCERPT_MAX);
            assert!(row[column].contains("【掲示】"));
        }
        assert_eq!(row[GROUNDS_COLUMN].chars().count(), GROUNDS_MAX);
        assert_eq!(row[FILE_COLUMN - 1], note);
    }

    #[test]
    fn the_kind_falls_back_to_the_taxonomy_name() {
        let mut finding = posting();
        finding.code_name.clear();
        assert_eq!(kind_label(&finding), "書面掲示規制 (posting)");
        finding.code = "unknown".into();
        assert_eq!(kind_label(&finding), "unknown");
        finding.rules.clear();
        assert_eq!(grounds(&finding), "掲示");
    }
}
