//! The checklist as CSV for Excel: UTF-8 with a byte-order mark (so Excel reads
//! Japanese without garbling), CRLF line ends, RFC 4180 quoting.
//!
//! Excel evaluates a CSV cell that starts with `=`, `+`, `-` or `@` as a formula,
//! so such cells get a leading apostrophe (the usual CSV-injection guard);
//! `findings.jsonl` keeps the text untouched.

use std::borrow::Cow;
use std::io::Write;

use super::Rows;
use super::table::{headers, row_cells};
use crate::review::{Review, Unmatched};

/// The first two columns of the unmatched decisions: why, and where the row was.
pub use crate::review::{PLACE_HEADER, REASON_HEADER};

/// UTF-8 byte-order mark.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Writes the BOM, the header row and one row per checklist row.
pub fn write(out: &mut dyn Write, rows: &dyn Rows, review: &Review) -> std::io::Result<()> {
    let mut writer = table_writer(out, &headers(review))?;
    rows.visit(&mut |row, finding| write_row(&mut writer, &row_cells(row, finding, review)))?;
    writer.flush()
}

/// Writes the decisions that could not be placed: the reason, where the row
/// was, then every cell it had.
pub fn write_unmatched(out: &mut dyn Write, review: &Review) -> std::io::Result<()> {
    let headers = unmatched_headers(review);
    let rows = review.unmatched.iter().map(|u| {
        let mut cells = vec![u.reason.clone(), unmatched_place(u)];
        cells.extend(headers[2..].iter().map(|h| {
            u.cells
                .iter()
                .find(|(c, _)| c == h)
                .map_or_else(String::new, |(_, v)| v.clone())
        }));
        cells
    });
    write_table(out, headers.clone(), rows)
}

/// The header row of the unmatched decisions: 理由, 元の行, then every
/// column any of them had, in first-seen order.
pub fn unmatched_headers(review: &Review) -> Vec<String> {
    let mut headers = vec![REASON_HEADER.to_string(), PLACE_HEADER.to_string()];
    for u in &review.unmatched {
        for (h, _) in &u.cells {
            if !headers.contains(h) {
                headers.push(h.clone());
            }
        }
    }
    headers
}

/// 「チェックリスト!12」 or 「12行目」 for a CSV ledger.
pub fn unmatched_place(u: &Unmatched) -> String {
    match u.sheet.as_str() {
        "" => format!("{}行目", u.row),
        sheet => format!("{sheet}!{}", u.row),
    }
}

fn write_table(
    out: &mut dyn Write,
    headers: Vec<String>,
    rows: impl Iterator<Item = Vec<String>>,
) -> std::io::Result<()> {
    let mut writer = table_writer(out, &headers)?;
    for row in rows {
        write_row(&mut writer, &row)?;
    }
    writer.flush()
}

/// A CSV writer that has written the BOM and the header row.
fn table_writer<'a>(
    out: &'a mut dyn Write,
    headers: &[String],
) -> std::io::Result<csv::Writer<&'a mut dyn Write>> {
    out.write_all(BOM)?;
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(out);
    writer.write_record(headers)?;
    Ok(writer)
}

fn write_row(writer: &mut csv::Writer<&mut dyn Write>, cells: &[String]) -> std::io::Result<()> {
    writer.write_record(cells.iter().map(|cell| not_a_formula(cell).into_owned()))?;
    Ok(())
}

/// The cell, with an apostrophe in front when Excel would take it for a formula.
pub fn not_a_formula(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{COLUMNS, Held};
    use crate::matching::Finding;
    use crate::matching::fixtures::posting;

    fn csv_of(findings: &[Finding]) -> Vec<u8> {
        let mut out = Vec::new();
        let review = Review::fresh(findings);
        write(
            &mut out,
            &Held {
                findings,
                review: &review,
            },
            &review,
        )
        .expect("write");
        out
    }

    #[test]
    fn starts_with_a_bom_and_ends_lines_with_crlf() {
        let bytes = csv_of(&[posting()]);
        assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        assert!(
            text.starts_with("例規名,条項,見出し,類型,該当箇所,該非,"),
            "{text}"
        );
        assert!(text.starts_with(&format!("{}\r\n", COLUMNS.join(","))));
        assert!(text.ends_with("posting-0001\r\n"), "{text}");
    }

    #[test]
    fn quotes_commas_quotes_and_newlines() {
        let bytes = csv_of(&[posting()]);
        let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
        // A comma: the whole field is quoted.
        assert!(
            text.contains(",\"ウェブサイトでの公開, 電子掲示板\","),
            "{text}"
        );
        // A double quote: doubled inside a quoted field.
        assert!(
            text.contains(
                "\"許可を受けた者は、許可証を\"\"見やすい場所\"\"に【掲示】しなければならない。\""
            ),
            "{text}"
        );
        // A newline: kept inside the quoted field (a line feed, not CRLF).
        assert!(
            text.contains("\"posting.keiji: 「掲示」+ 義務「しなければならない」\nposting.place: 「見やすい場所」\""),
            "{text}"
        );
        // A plain field is not quoted.
        assert!(text.contains(",第5条第2項,"), "{text}");
    }

    #[test]
    fn reads_back_as_the_same_cells() {
        let finding = posting();
        let findings = [finding];
        let bytes = csv_of(&findings);
        let mut reader = csv::ReaderBuilder::new().from_reader(&bytes[3..]);
        let header = reader.headers().expect("header").clone();
        assert_eq!(header.iter().collect::<Vec<_>>(), COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("row")).collect();
        assert_eq!(rows.len(), 1);
        let review = Review::fresh(&findings);
        assert_eq!(
            rows[0].iter().collect::<Vec<_>>(),
            row_cells(&review.rows[0], findings.first(), &review)
        );
    }

    #[test]
    fn formula_like_cells_are_defused() {
        assert_eq!(not_a_formula("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(not_a_formula("+1"), "'+1");
        assert_eq!(not_a_formula("@x"), "'@x");
        assert_eq!(not_a_formula("第5条"), "第5条");
        assert_eq!(not_a_formula(""), "");
    }
}
