//! How the workbook looks on screen and on paper: the Japanese font, column
//! widths, the row heights that wrapped text needs, and the page setup.
//!
//! The font is 游ゴシック 11 pt, Excel's own default in Japan (Windows 10/11
//! and Office for Mac have it), set as the workbook's default so that every
//! cell, typed or written, uses it; the charset is Shift_JIS's (128), which
//! tells Excel it is a Japanese font. LibreOffice on Linux has no 游ゴシック and
//! draws it with its Japanese fallback (Noto Sans CJK JP from fonts-noto-cjk,
//! or IPA fonts), whose full-width glyphs have the same width.
//!
//! rust_xlsxwriter cannot autofit rows in constant-memory mode, so a row's
//! height is estimated from its longest wrapped cell: the text is laid out
//! line by line in the column's width (a full-width character is 1 em,
//! ASCII about 0.6 em, a line never starts with 、。」 and the like), and
//! each line gets the height of a line of 游ゴシック in Excel.

use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};

/// The font of every sheet.
pub const FONT_NAME: &str = "游ゴシック";
/// Its size in points, for body text and headers alike.
pub const FONT_SIZE: f64 = 11.0;
/// The Windows charset of Japanese fonts (SHIFTJIS_CHARSET).
const JAPANESE_CHARSET: u8 = 128;
/// Excel's default row height and column width for 游ゴシック 11 pt, in
/// pixels (18.75 pt; 8.38 characters of 8 px plus 5 px of padding).
pub const DEFAULT_ROW_PIXELS: u32 = 25;
pub const DEFAULT_COLUMN_PIXELS: u32 = 72;
/// The width of a digit of the default font, in pixels: Excel's column
/// width unit, and its padding.
const DIGIT_PIXELS: f64 = 8.0;
const COLUMN_PADDING_PIXELS: f64 = 5.0;
/// Room a cell keeps between its text and its borders, in pixels.
const CELL_MARGIN_PIXELS: f64 = 6.0;
/// Room the autofilter button takes in a header cell, in pixels.
const FILTER_BUTTON_PIXELS: f64 = 18.0;
/// Pixels per em at the font size (96 dpi).
const EM_PIXELS: f64 = FONT_SIZE * 96.0 / 72.0;
/// The default (one-line) row height in points.
pub const DEFAULT_ROW_POINTS: f64 = DEFAULT_ROW_PIXELS as f64 * 0.75;
/// Height of each line of wrapped text in points: Excel stacks lines of
/// 游ゴシック 11 pt at its one-line row height (the font is 1.67 em high);
/// LibreOffice's fallback needs less (Noto Sans CJK JP: 1.45 em).
const LINE_POINTS: f64 = DEFAULT_ROW_POINTS;
/// The tallest row Excel allows; a longer text is cut there on screen and
/// on paper (about one row in a hundred: an excerpt of 500 characters or more).
pub const MAX_ROW_POINTS: f64 = 409.5;

/// Characters a line may not start with (行頭禁則): they go to the end of the
/// line before, taking the character before them along.
const NO_LINE_START: &str = "、。，．・：；？！）」』】〕］｝〉》ゝゞーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ々…,.:;?!)]}";

/// The base format of every cell: the Japanese font.
pub fn base_format() -> Format {
    Format::new()
        .set_font_name(FONT_NAME)
        .set_font_size(FONT_SIZE)
        .set_font_charset(JAPANESE_CHARSET)
}

/// A header cell: bold, wrapped, shaded, with a border.
pub fn header_format() -> Format {
    base_format()
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9E1F2))
        .set_border(FormatBorder::Thin)
}

/// A data cell: top-aligned with a border, wrapped when `wrap`.
pub fn cell_format(wrap: bool) -> Format {
    let format = base_format()
        .set_align(FormatAlign::Top)
        .set_border(FormatBorder::Thin);
    if wrap { format.set_text_wrap() } else { format }
}

/// The shading of the cells a reviewer fills in.
pub fn to_fill_in(format: Format) -> Format {
    format.set_background_color(Color::RGB(0xFFF2CC))
}

/// Page setup of a sheet meant for paper: A3 landscape, narrow margins, one
/// page wide (as many pages down as it takes), row `title_row` repeated at
/// the top of every page, the sheet name and page number in the footer.
pub fn print_setup(sheet: &mut Worksheet, title_row: u32) -> Result<(), XlsxError> {
    sheet.set_landscape();
    sheet.set_paper_size(A3_PAPER);
    sheet.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(title_row, title_row)?;
    sheet.set_footer("&L&A&R&P / &N");
    Ok(())
}

/// Excel's paper size code of A3.
pub const A3_PAPER: u8 = 8;

/// The width of a sheet's columns on A3 landscape paper that fits at 100%:
/// 420 mm less 2 × 0.4 inch of margin, in Excel's column units (the sum of
/// the printed columns' widths may be this much for the print to keep its
/// size; a wider sheet is scaled down to fit).
#[cfg(test)]
pub fn a3_landscape_width_units(columns: usize) -> f64 {
    let printable_pixels = (420.0 / 25.4 - 0.8) * 96.0;
    (printable_pixels - columns as f64 * COLUMN_PADDING_PIXELS) / DIGIT_PIXELS
}

/// The print scale (percent) at which columns of these widths fit the width
/// of an A3 landscape page: 100 when they fit as they are.
#[cfg(test)]
pub fn a3_fit_scale(widths: &[f64]) -> f64 {
    let total: f64 = widths.iter().sum();
    let room = a3_landscape_width_units(widths.len());
    (room / total * 100.0).min(100.0)
}

/// How many lines `text` takes in a cell `width` characters wide (Excel's
/// column unit); `header` leaves room for the autofilter button.
pub fn lines_in(text: &str, width: f64, header: bool) -> usize {
    let mut room = width * DIGIT_PIXELS + COLUMN_PADDING_PIXELS - CELL_MARGIN_PIXELS;
    if header {
        room -= FILTER_BUTTON_PIXELS;
    }
    let room = (room / EM_PIXELS).max(1.0);
    text.split('\n').map(|line| wrapped_lines(line, room)).sum()
}

/// Lines of one paragraph (no line break) laid out in `room` ems.
fn wrapped_lines(text: &str, room: f64) -> usize {
    let mut lines = 1;
    let mut used = 0.0;
    let mut previous = 0.0;
    for c in text.chars() {
        let width = em_width(c);
        if used + width > room && used > 0.0 {
            lines += 1;
            // A character that may not start a line takes the one before
            // it along to the new line.
            used = if NO_LINE_START.contains(c) {
                previous
            } else {
                0.0
            };
        }
        used += width;
        previous = width;
    }
    lines
}

/// The width of a character in ems: full-width (kanji, kana, full-width
/// punctuation, arrows …) 1, half-width katakana 0.5, ASCII and other
/// Latin text 0.6 (a proportional font's average, rounded up).
fn em_width(c: char) -> f64 {
    match u32::from(c) {
        0xFF61..=0xFF9F => 0.5,
        0..=0x1FFF => 0.6,
        _ => 1.0,
    }
}

/// The height in points of a row whose tallest cell has `lines` lines:
/// never below the default height, never above Excel's maximum.
pub fn row_points(lines: usize) -> f64 {
    (lines as f64 * LINE_POINTS).clamp(DEFAULT_ROW_POINTS, MAX_ROW_POINTS)
}

/// The height a row needs for its cells, each with the width of its column
/// and whether it wraps (`None` for a column that is folded away).
pub fn row_height<'a>(
    cells: impl IntoIterator<Item = (&'a str, Option<(f64, bool)>)>,
    header: bool,
) -> f64 {
    let lines = cells
        .into_iter()
        .filter_map(|(text, layout)| match layout {
            Some((width, true)) => Some(lines_in(text, width, header)),
            Some((_, false)) => Some(1),
            None => None,
        })
        .max()
        .unwrap_or(1);
    row_points(lines)
}

/// The height of a row whose cells all wrap, in columns of these widths.
pub fn wrapped_height(cells: &[String], widths: &[f64], header: bool) -> f64 {
    let layouts = cells
        .iter()
        .zip(widths)
        .map(|(text, width)| (text.as_str(), Some((*width, true))));
    row_height(layouts, header)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_text_wraps_at_the_column_width() {
        // 44 characters of 8 px + 5 px, less 6 px of margin: 23.9 ems.
        assert_eq!(lines_in(&"許".repeat(23), 44.0, false), 1);
        assert_eq!(lines_in(&"許".repeat(24), 44.0, false), 2);
        assert_eq!(lines_in(&"許".repeat(230), 44.0, false), 10);
        assert_eq!(lines_in("", 44.0, false), 1);
    }

    #[test]
    fn ascii_is_narrower_and_line_breaks_count() {
        assert_eq!(lines_in(&"a".repeat(39), 44.0, false), 1);
        assert_eq!(lines_in(&"a".repeat(41), 44.0, false), 2);
        assert_eq!(lines_in("第1条\n第2条\n第3条", 44.0, false), 3);
    }

    #[test]
    fn a_line_does_not_start_with_a_closing_mark() {
        // 23 characters fill the line; the 、 after them takes the 23rd along.
        let text = format!("{}、{}", "許".repeat(23), "可".repeat(21));
        assert_eq!(lines_in(&text, 44.0, false), 2);
        let text = format!("{}、{}", "許".repeat(23), "可".repeat(22));
        assert_eq!(lines_in(&text, 44.0, false), 3);
    }

    #[test]
    fn headers_leave_room_for_the_filter_button() {
        assert_eq!(lines_in("電子的代替の有無", 9.0, false), 2);
        assert_eq!(lines_in("電子的代替の有無", 9.0, true), 3);
    }

    #[test]
    fn rows_are_at_least_default_and_at_most_excel_height() {
        assert_eq!(row_points(1), DEFAULT_ROW_POINTS);
        assert_eq!(row_points(2), 37.5);
        assert_eq!(row_points(1_000), MAX_ROW_POINTS);
        let (fifty, five_hundred) = ("許".repeat(50), "許".repeat(500));
        let cells = [
            (fifty.as_str(), Some((44.0, true))),
            (five_hundred.as_str(), None),
            ("該当", Some((8.0, false))),
        ];
        assert_eq!(row_height(cells, false), row_points(3));
    }

    #[test]
    fn the_print_scale_follows_the_widths() {
        let room = a3_landscape_width_units(2);
        assert_eq!(a3_fit_scale(&[room / 4.0, room / 4.0]), 100.0);
        let scale = a3_fit_scale(&[room, room]);
        assert!((scale - 50.0).abs() < 1e-9, "{scale}");
    }
}
