//! The checklist's columns and how a finding fills them, shared by the XLSX
//! sheet and the CSV file.

use crate::matching::{EXCERPT_MAX, Finding, shorten_excerpt};
use crate::review::{DECISION_COLUMNS, Review, ReviewRow, Status};

pub use crate::review::COLUMNS;

/// How many leading columns identify a row (例規名, 条項): frozen in the sheet.
pub const IDENTIFYING_COLUMNS: usize = 2;
/// Column of 該当箇所.
pub const EXCERPT_COLUMN: usize = 4;
/// Column of 該非 (drop-down), the first of the reviewer's decision columns.
pub const JUDGEMENT_COLUMN: usize = 5;
pub const FIRST_DECISION_COLUMN: usize = JUDGEMENT_COLUMN;
/// Column of 見直し方針 (drop-down).
pub const POLICY_COLUMN: usize = 6;
/// Column of 状態, the first after the decision columns.
pub const STATUS_COLUMN: usize = 11;
/// Column of 根拠の区分 (counted on the 集計 sheet; see `basis`).
pub const BASIS_KIND_COLUMN: usize = 15;
/// Column of 前回の該当箇所.
const PREVIOUS_COLUMN: usize = 16;
/// Columns of 類型, 優先度 and 電子的代替の有無 (counted on the 集計 sheet).
pub const KIND_COLUMN: usize = 3;
pub const PRIORITY_COLUMN: usize = 13;
pub const DIGITAL_COLUMN: usize = 14;
/// The first of the detail columns (前回の該当箇所 … ID), folded away in the sheet.
pub const FIRST_DETAIL_COLUMN: usize = 16;
/// Column of 検出根拠, and the most characters it shows.
const GROUNDS_COLUMN: usize = 21;
const GROUNDS_MAX: usize = 2_000;
/// Columns of 例規番号 and 種別.
pub const NUMBER_COLUMN: usize = 23;
pub const DOC_KIND_COLUMN: usize = 24;
/// Column of the file path.
pub const FILE_COLUMN: usize = 25;
/// Column of the stable ID.
pub const ID_COLUMN: usize = 26;
/// Columns of 該当箇所 and 前回の該当箇所 (excerpts, cut to [`EXCERPT_MAX`]).
const EXCERPT_COLUMNS: [usize; 2] = [EXCERPT_COLUMN, PREVIOUS_COLUMN];
/// The most characters any other cell tenken fills shows (a title, a
/// citation, 変更の内容 grown over many re-scans …).
pub const CELL_MAX: usize = 4_000;

// The reviewer's columns follow the provision's text directly, 状態 right
// after the last of them (改正案), the ID last, and the columns folded away
// come after everything a reviewer reads.
const _: () = assert!(FIRST_DECISION_COLUMN == EXCERPT_COLUMN + 1);
const _: () = assert!(STATUS_COLUMN == FIRST_DECISION_COLUMN + DECISION_COLUMNS.len());
const _: () = assert!(ID_COLUMN == COLUMNS.len() - 1);
const _: () = assert!(STATUS_COLUMN < FIRST_DETAIL_COLUMN && DIGITAL_COLUMN < FIRST_DETAIL_COLUMN);

/// The choices of 該非.
pub const JUDGEMENT_CHOICES: [&str; 2] = ["該当", "非該当"];
/// The choices of 見直し方針 (TAXONOMY.md: how a municipality carries a finding out).
pub const POLICY_CHOICES: [&str; 4] = ["例規改正", "解釈の明確化", "運用の見直し", "対応不要"];

/// 類型 as printed: 「書面掲示規制 (posting)」 (the name is the taxonomy's,
/// given to the finding by the rules); the code alone when it has no name.
pub fn kind_label(finding: &Finding) -> String {
    match finding.code_name.as_str() {
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

/// The cell a finding gives a column that describes it (例規名, 該当箇所,
/// 類型 …); None for the columns of the review (状態, the decisions, ID).
pub fn finding_cell(finding: &Finding, header: &str) -> Option<String> {
    let text = match header {
        "例規名" => finding.title.clone(),
        "条項" => finding.citation.clone(),
        "見出し" => finding.caption.clone().unwrap_or_default(),
        "該当箇所" => finding.excerpt.clone(),
        "類型" => kind_label(finding),
        "優先度" => finding.priority.japanese().to_string(),
        "電子的代替の有無" => digital_label(finding.digital_alternative).to_string(),
        "根拠の区分" => finding
            .basis_kind
            .map(|k| k.japanese().to_string())
            .unwrap_or_default(),
        "根拠法令" => finding.basis.join("\n"),
        "国の規定の電子的代替" => national_digital(finding).to_string(),
        "国の規定" => national_texts(finding),
        "見直しの方向性" => finding.phase.clone(),
        "検出根拠" => grounds(finding),
        "想定される技術" => finding.technology.clone(),
        "例規番号" => finding.number.clone().unwrap_or_default(),
        "種別" => finding.doc_kind.clone(),
        "ファイル" => finding.file.clone(),
        _ => return None,
    };
    Some(text)
}

/// 国の規定の電子的代替: あり when any cited national provision now allows a
/// digital way, なし when none does, empty when none was looked up (`--laws`).
pub fn national_digital(finding: &Finding) -> &'static str {
    let texts: Vec<_> = finding
        .national
        .iter()
        .filter(|n| n.text.is_some())
        .collect();
    if texts.is_empty() {
        ""
    } else if texts.iter().any(|n| n.digital) {
        "あり"
    } else {
        "なし"
    }
}

/// 国の規定: each cited national provision and its current text, one per line.
pub fn national_texts(finding: &Finding) -> String {
    let lines: Vec<String> = finding
        .national
        .iter()
        .map(|n| {
            // A statute renamed since the 例規 cited it: its current title too.
            let renamed = if n.reference.starts_with(&n.title) {
                String::new()
            } else {
                format!("（現在の題名: {}）", n.title)
            };
            match &n.text {
                Some(text) => format!("{}{renamed}: {text}", n.reference),
                None => format!("{}{renamed}: （この条項は見つかりません）", n.reference),
            }
        })
        .collect();
    lines.join("\n")
}

/// 電子的代替の有無 as printed: あり / なし.
pub fn digital_label(digital: bool) -> &'static str {
    if digital { "あり" } else { "なし" }
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
    let mut cells: Vec<String> = COLUMNS
        .iter()
        .map(|header| column_cell(header, row, finding))
        .chain(
            review
                .extra_columns
                .iter()
                .map(|header| row.decision(header).to_string()),
        )
        .collect();
    bound_cells(&mut cells);
    cells
}

/// The cell of one of tenken's columns.
fn column_cell(header: &str, row: &ReviewRow, finding: Option<&Finding>) -> String {
    if DECISION_COLUMNS.contains(&header) {
        return row.decision(header).to_string();
    }
    match header {
        "状態" => row.status.map_or("", Status::japanese).to_string(),
        "変更の内容" => row.change.clone(),
        "前回の該当箇所" => row.previous.clone(),
        "ID" => row.id.clone(),
        _ => finding
            .and_then(|f| finding_cell(f, header))
            .unwrap_or_else(|| row.last_value(header).to_string()),
    }
}

/// No cell tenken fills grows past a few thousand characters, whatever the
/// ledger held: excerpts are cut around their first match, 検出根拠 and every
/// other cell of tenken's at their end. The reviewer's own cells are left as
/// they typed them.
fn bound_cells(cells: &mut [String]) {
    for (column, cell) in cells.iter_mut().enumerate().take(COLUMNS.len()) {
        if EXCERPT_COLUMNS.contains(&column) {
            *cell = shorten_excerpt(cell, EXCERPT_MAX);
        } else if column == GROUNDS_COLUMN {
            cut_end(cell, GROUNDS_MAX);
        } else if !(FIRST_DECISION_COLUMN..STATUS_COLUMN).contains(&column) {
            cut_end(cell, CELL_MAX);
        }
    }
}

/// Cuts `text` to `max` characters, the last one `…`, when it is longer.
pub fn cut_end(text: &mut String, max: usize) {
    if text.chars().count() > max {
        let end = text
            .char_indices()
            .nth(max.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i);
        text.truncate(end);
        text.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::fixtures::posting;

    /// The column of `header`.
    fn at(header: &str) -> usize {
        COLUMNS
            .iter()
            .position(|h| *h == header)
            .unwrap_or(usize::MAX)
    }

    #[test]
    fn the_column_constants_name_their_columns() {
        assert_eq!(COLUMNS[..IDENTIFYING_COLUMNS], ["例規名", "条項"]);
        assert_eq!(EXCERPT_COLUMN, at("該当箇所"));
        assert_eq!(JUDGEMENT_COLUMN, at("該非"));
        assert_eq!(POLICY_COLUMN, at("見直し方針"));
        assert_eq!(
            COLUMNS[FIRST_DECISION_COLUMN..STATUS_COLUMN],
            DECISION_COLUMNS
        );
        assert_eq!(STATUS_COLUMN, at("状態"));
        assert_eq!(PREVIOUS_COLUMN, at("前回の該当箇所"));
        assert_eq!(KIND_COLUMN, at("類型"));
        assert_eq!(PRIORITY_COLUMN, at("優先度"));
        assert_eq!(DIGITAL_COLUMN, at("電子的代替の有無"));
        assert_eq!(BASIS_KIND_COLUMN, at("根拠の区分"));
        assert_eq!(FIRST_DETAIL_COLUMN, at("前回の該当箇所"));
        assert_eq!(GROUNDS_COLUMN, at("検出根拠"));
        assert_eq!(NUMBER_COLUMN, at("例規番号"));
        assert_eq!(DOC_KIND_COLUMN, at("種別"));
        assert_eq!(FILE_COLUMN, at("ファイル"));
        assert_eq!(ID_COLUMN, at("ID"));
        assert_eq!(ID_COLUMN, COLUMNS.len() - 1);
    }

    #[test]
    fn a_finding_fills_its_row() {
        let findings = [posting()];
        let review = Review::fresh(&findings);
        let row = row_cells(&review.rows[0], findings.first(), &review);
        assert_eq!(row.len(), COLUMNS.len());
        let cell = |header: &str| row[at(header)].as_str();
        assert_eq!(cell("例規名"), "つばき町屋外広告物条例");
        assert_eq!(cell("例規番号"), "平成15年条例第9号");
        assert_eq!(cell("条項"), "第5条第2項");
        assert_eq!(cell("見出し"), "許可の表示");
        assert_eq!(cell("類型"), "書面掲示規制 (posting)");
        assert_eq!(
            cell("検出根拠"),
            "posting.keiji: 「掲示」+ 義務「しなければならない」\nposting.place: 「見やすい場所」"
        );
        assert_eq!(cell("電子的代替の有無"), "なし");
        assert_eq!(cell("優先度"), "高");
        assert_eq!(cell("種別"), "条例");
        assert_eq!(cell("状態"), "新規");
        assert!(
            row[FIRST_DECISION_COLUMN..STATUS_COLUMN]
                .iter()
                .all(String::is_empty)
        );
        assert_eq!(cell("ファイル"), "b/屋外広告物条例.txt");
        assert_eq!(cell("ID"), "posting-0001");
    }

    /// A row whose finding is gone shows what the ledger last had.
    #[test]
    fn a_row_without_its_finding_keeps_the_ledger_cells() {
        let findings = [posting()];
        let mut review = Review::fresh(&findings);
        review.rows[0].finding = None;
        review.rows[0].last = vec![
            ("条項".into(), "第7条".into()),
            ("ファイル".into(), "x.txt".into()),
        ];
        let row = row_cells(&review.rows[0], None, &review);
        assert_eq!(row[at("条項")], "第7条");
        assert_eq!(row[FILE_COLUMN], "x.txt");
        assert_eq!(row[at("例規名")], "");
        assert_eq!(row[ID_COLUMN], "posting-0001");
    }

    /// Whatever a ledger held, no cell tenken fills is longer than a few
    /// thousand characters; the reviewer's own cells are kept whole.
    #[test]
    fn long_cells_are_bounded() {
        let mut finding = posting();
        let long = format!("{}【掲示】{}", "許可".repeat(20_000), "し".repeat(20_000));
        finding.excerpt = long.clone();
        finding.title = "町".repeat(9_000);
        finding.rules = vec![finding.rules[0].clone(); 2_000];
        let mut review = Review::fresh(std::slice::from_ref(&finding));
        review.rows[0].previous = long.clone();
        review.rows[0].change = long;
        let note = "備".repeat(20_000);
        let wording = "第五条　".repeat(5_000);
        review.rows[0].decisions = vec![
            ("備考".into(), note.clone()),
            ("改正案".into(), wording.clone()),
        ];
        let row = row_cells(&review.rows[0], Some(&finding), &review);
        for column in EXCERPT_COLUMNS {
            assert_eq!(row[column].chars().count(), EXCERPT_MAX);
            assert!(row[column].contains("【掲示】"));
        }
        assert_eq!(row[GROUNDS_COLUMN].chars().count(), GROUNDS_MAX);
        for header in ["例規名", "変更の内容"] {
            assert_eq!(row[at(header)].chars().count(), CELL_MAX, "{header}");
            assert!(row[at(header)].ends_with('…'));
        }
        assert_eq!(row[at("備考")], note);
        assert_eq!(row[at("改正案")], wording);
    }

    #[test]
    fn cut_end_keeps_short_text() {
        let mut text = "第5条".to_string();
        cut_end(&mut text, 3);
        assert_eq!(text, "第5条");
        cut_end(&mut text, 2);
        assert_eq!(text, "第…");
    }

    #[test]
    fn the_kind_is_the_name_and_the_code() {
        let mut finding = posting();
        assert_eq!(kind_label(&finding), "書面掲示規制 (posting)");
        finding.code_name.clear();
        assert_eq!(kind_label(&finding), "posting");
        finding.rules.clear();
        assert_eq!(grounds(&finding), "掲示");
    }
}
