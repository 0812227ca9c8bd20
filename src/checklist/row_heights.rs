//! Row heights written into a saved workbook.
//!
//! rust_xlsxwriter keeps the options of every row whose height is set for as
//! long as the worksheet lives, a few hundred bytes a row even in
//! constant-memory mode, so a checklist of 200,000 rows would hold some
//! 100 MB for its heights alone. Instead the sheets record their rows'
//! heights here (two bytes a row) and the saved workbook is copied once more
//! with `ht="…" customHeight="1"` added to those rows' `<row>` tags: the
//! worksheet XML is read and written as a stream, the other parts of the
//! package are copied as they are.
//!
//! In the worksheet XML a `<` only ever opens a tag (text and attribute
//! values escape it), so every `<row ` is the start of a row's tag.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The heights of rows of each worksheet, by the worksheet's part name in
/// the package (`xl/worksheets/sheet1.xml` for the first sheet added).
#[derive(Debug, Default)]
pub struct RowHeights {
    sheets: BTreeMap<String, Vec<u16>>,
}

/// The part name of the `n`-th worksheet added to a workbook (1-based).
pub fn sheet_part(n: usize) -> String {
    format!("xl/worksheets/sheet{n}.xml")
}

impl RowHeights {
    /// Sets the height of a row (0-based) of a sheet, in points; Excel draws
    /// rows in whole pixels (0.75 pt), so it is rounded up to one.
    pub fn set(&mut self, part: &str, row: u32, points: f64) {
        let heights = self.sheets.entry(part.to_string()).or_default();
        let index = usize::try_from(row).unwrap_or(usize::MAX);
        if index >= heights.len() {
            heights.resize(index.saturating_add(1), 0);
        }
        let pixels = (points / 0.75).ceil().clamp(1.0, f64::from(u16::MAX));
        // Within u16 by the clamp above.
        heights[index] = pixels as u16;
    }

    /// The height set for a row (0-based) of a sheet, in points.
    #[cfg(test)]
    pub fn get(&self, part: &str, row: u32) -> Option<f64> {
        let heights = self.sheets.get(part)?;
        let pixels = *heights.get(usize::try_from(row).ok()?)?;
        (pixels > 0).then(|| f64::from(pixels) * 0.75)
    }

    /// Copies the workbook at `from` to `to` with the heights in its sheets.
    pub fn apply(&self, from: &Path, to: &Path) -> std::io::Result<()> {
        let mut archive = ZipArchive::new(BufReader::new(File::open(from)?))?;
        let mut out = ZipWriter::new(BufWriter::new(File::create(to)?));
        for index in 0..archive.len() {
            let entry = archive.by_index(index)?;
            let name = entry.name()?.into_owned();
            match self.sheets.get(&name) {
                Some(heights) => {
                    let options = SimpleFileOptions::default()
                        .compression_method(CompressionMethod::Deflated)
                        // The sheet was compressed once already by the
                        // writer: a fast level here (measured on the
                        // checklist of ../shared/corpus: a file 14 % larger
                        // than at level 6, a one-thread scan 0.3 s shorter).
                        .compression_level(Some(3))
                        .last_modified_time(entry.last_modified().unwrap_or_default())
                        .large_file(entry.size() >= u64::from(u32::MAX) / 2);
                    out.start_file(name, options)?;
                    add_heights(BufReader::new(entry), &mut out, heights)?;
                }
                None => {
                    drop(entry);
                    out.raw_copy_file(archive.by_index_raw(index)?)?;
                }
            }
        }
        let file = out.finish()?.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    }
}

/// Copies worksheet XML from `input` to `out`, adding each row's height to
/// its `<row …>` tag (rows without a height, or whose tag has one, as they are).
fn add_heights(
    mut input: impl BufRead,
    out: &mut impl Write,
    heights: &[u16],
) -> std::io::Result<()> {
    let mut piece = Vec::new();
    loop {
        piece.clear();
        // A piece runs from just after one `<` to the next `<` (included).
        if input.read_until(b'<', &mut piece)? == 0 {
            return Ok(());
        }
        match row_tag_end(&piece) {
            Some(end) => {
                let height = row_number(&piece[..end])
                    .and_then(|row| heights.get(row.checked_sub(1)?))
                    .filter(|&&pixels| pixels > 0);
                match height {
                    Some(&pixels) => {
                        out.write_all(&piece[..end])?;
                        write!(
                            out,
                            " ht=\"{}\" customHeight=\"1\"",
                            f64::from(pixels) * 0.75
                        )?;
                        out.write_all(&piece[end..])?;
                    }
                    None => out.write_all(&piece)?,
                }
            }
            None => out.write_all(&piece)?,
        }
    }
}

/// Where a row tag's attributes end (before `>` or `/>`), when `piece`
/// starts with a `<row ` tag that has no height yet.
fn row_tag_end(piece: &[u8]) -> Option<usize> {
    if !piece.starts_with(b"row ") {
        return None;
    }
    let close = piece.iter().position(|&b| b == b'>')?;
    let end = if close > 0 && piece[close - 1] == b'/' {
        close - 1
    } else {
        close
    };
    let tag = &piece[..end];
    let has_height = tag.windows(4).any(|w| w == b" ht=");
    (!has_height).then_some(end)
}

/// The 1-based row number in a row tag's `r="…"` attribute.
fn row_number(tag: &[u8]) -> Option<usize> {
    let at = tag.windows(4).position(|w| w == b" r=\"")? + 4;
    let digits = &tag[at..];
    let len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    std::str::from_utf8(&digits[..len]).ok()?.parse().ok()
}

/// Reads a part of a workbook as text (for tests and checks).
pub fn read_part(path: &Path, part: &str) -> std::io::Result<String> {
    let mut archive = ZipArchive::new(BufReader::new(File::open(path)?))?;
    let mut text = String::new();
    archive.by_name(part)?.read_to_string(&mut text)?;
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(xml: &str, heights: &[u16]) -> String {
        let mut out = Vec::new();
        add_heights(xml.as_bytes(), &mut out, heights).expect("rewrite");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn heights_go_into_the_row_tags() {
        let xml = "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lt;row r=\"2\"&gt;</t></is></c></row>\
                   <row r=\"2\" spans=\"1:3\"><c r=\"A2\"/></row><row r=\"3\"/><row r=\"4\" ht=\"30\" customHeight=\"1\"></row>\
                   <rowBreaks/></sheetData>";
        let got = rewritten(xml, &[0, 40, 60, 80]);
        assert_eq!(
            got,
            "<sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&lt;row r=\"2\"&gt;</t></is></c></row>\
             <row r=\"2\" spans=\"1:3\" ht=\"30\" customHeight=\"1\"><c r=\"A2\"/></row>\
             <row r=\"3\" ht=\"45\" customHeight=\"1\"/><row r=\"4\" ht=\"30\" customHeight=\"1\"></row>\
             <rowBreaks/></sheetData>"
        );
    }

    #[test]
    fn rows_past_the_heights_are_left_alone() {
        let xml = "<row r=\"7\"></row>";
        assert_eq!(rewritten(xml, &[25]), xml);
    }

    #[test]
    fn heights_are_whole_pixels() {
        let mut heights = RowHeights::default();
        heights.set("s", 2, 37.0);
        assert_eq!(heights.get("s", 2), Some(37.5));
        assert_eq!(heights.get("s", 1), None);
        assert_eq!(heights.get("t", 2), None);
    }
}
