//! Plain and Markdown-like text as 例規集 systems export it: a title line, a
//! date and a number, then 第一条 at the start of a line, ２ for paragraphs,
//! 一 / (1) / イ for items, 附　則 and 別表. Markdown heading marks (`###`) are
//! only decoration here: exports use them inconsistently, so each line is
//! classified by what it says, not by how many `#` precede it. A Markdown
//! table (`| 区分 | 金額 |`) in a 別表 gives one row per line.

use regex::Regex;
use std::sync::LazyLock;

use crate::structure::{Builder, ProvisionKind, wareki};

/// Characters a number may be printed with.
const N: &str = "[0-9０-９〇一二三四五六七八九十百千]+";

fn re(pattern: &str) -> Regex {
    Regex::new(&pattern.replace("{N}", N)).expect("built-in pattern is valid")
}

static ARTICLE: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(第{N}条(?:[のノ]{N})*)(?:[\s　]+(.*))?$"));
static ARTICLE_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(第{N}条(?:[のノ]{N})*(?:から|及び|・|乃至)第{N}条(?:[のノ]{N})*(?:まで)?)[\s　]*(削除.*)$",
    )
});
static DIVISION: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(第{N}(編|章|節|款|目)(?:[のノ]{N})*)(?:[\s　]+(.*))?$"));
static SUPPL: LazyLock<Regex> = LazyLock::new(|| re(r"^([附付][\s　]*則)[\s　]*(.*)$"));
static APPENDIX: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^((?:別表|別記|様式)(?:第{N}(?:号)?(?:の{N})?)?)(?:[\s　]*([（(].*|.{0,30}))?$")
});
static CAPTION: LazyLock<Regex> = LazyLock::new(|| re(r"^[（(]([^（）()]{1,40})[）)]$"));
/// ２ text, or ２ alone on its line with the text on the next.
static PARAGRAPH: LazyLock<Regex> = LazyLock::new(|| re(r"^○?([0-9０-９]+)(?:[\s　]+(.*))?$"));
static ITEM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^([一二三四五六七八九十]+|[ァ-ヶ]|[0-9０-９]+[.．])[\s　]+(.*)$|^([（(](?:[0-9０-９]+|[ァ-ヶ]|[a-zａ-ｚ]+)[）)])[\s　]*(.+)$",
    )
});
static NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"([^\s、。（）()年日]*(?:条例|規則|規程|要綱|要領|告示|訓令|細則|法律|政令|省令|府令)第{N}号)",
    )
});

/// Where in the file the reader is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Header,
    Toc { entries: usize },
    Body,
}

/// Reads a whole text into the builder.
pub fn read(text: &str, builder: &mut Builder) {
    let mut state = State::Header;
    for raw in text.lines() {
        let markdown = raw.trim_start().starts_with('#');
        let line = clean(raw);
        if markdown && is_trailer(&line) {
            break;
        }
        if line == "---" || line.chars().all(|c| c == '-' || c == '－') && !line.is_empty() {
            if state == State::Header && builder.has_title() {
                state = State::Body;
            }
            continue;
        }
        state = match state {
            State::Header => header_line_state(&line, builder),
            State::Toc { entries } => toc_line(&line, entries, builder),
            State::Body => body_line_state(&line, builder),
        };
    }
}

/// The line without Markdown marks (headings, list bullets) and surrounding spaces.
fn clean(raw: &str) -> String {
    let line = raw.trim_start().trim_start_matches('#').trim_start();
    let line = match line.strip_prefix(['-', '*']) {
        Some(rest) if !rest.starts_with(['-', '*']) => rest,
        _ => line,
    };
    line.trim_matches(|c: char| c.is_whitespace()).to_string()
}

/// The export's own notes after the law text (出典, 免責事項).
fn is_trailer(line: &str) -> bool {
    ["このファイルについて", "免責事項"].contains(&line)
}

/// Title, date and number lines before the first provision.
fn header_line_state(line: &str, builder: &mut Builder) -> State {
    if line.is_empty() {
        return State::Header;
    }
    if !builder.has_title() && !starts_structure(line) {
        builder.title(line);
        return State::Header;
    }
    let date = wareki::find_date(line);
    let number = NUMBER.captures(line).and_then(|c| c.get(1));
    let mut rest = line.to_string();
    let found = [
        date.as_ref().map(|d| d.printed.as_str()),
        number.map(|m| m.as_str()),
    ];
    for found in found.into_iter().flatten() {
        rest = rest.replacen(found, "", 1);
    }
    let rest_len = rest
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '（' | '）' | '(' | ')'))
        .count();
    // A header line is only a date and/or a number (平成十五年三月二十日条例第九号).
    if (date.is_none() && number.is_none()) || rest_len > 4 {
        return body_line_state(line, builder);
    }
    if let Some(date) = date {
        builder.date(&date.printed);
    }
    if let Some(number) = number {
        builder.number(number.as_str());
    }
    State::Header
}

/// True when a line is a provision heading rather than a title.
fn starts_structure(line: &str) -> bool {
    ARTICLE.is_match(line) || SUPPL.is_match(line) && line.chars().count() < 40
}

fn toc_line(line: &str, entries: usize, builder: &mut Builder) -> State {
    if line.is_empty() {
        return if entries > 0 {
            State::Body
        } else {
            State::Toc { entries }
        };
    }
    if ARTICLE.is_match(line) && !line.contains('－') {
        return body_line_state(line, builder);
    }
    builder.toc(line);
    State::Toc {
        entries: entries + 1,
    }
}

/// A header line (date, number) of a page whose title came from its markup.
pub(super) fn header_line(line: &str, builder: &mut Builder) {
    header_line_state(line, builder);
}

/// One line of body text, classified (article, paragraph, 附則 …).
pub(super) fn body_line(line: &str, builder: &mut Builder) {
    body_line_state(line, builder);
}

/// Classifies one body line and tells the builder.
fn body_line_state(line: &str, builder: &mut Builder) -> State {
    if line.is_empty() {
        return State::Body;
    }
    if line.replace(['　', ' '], "") == "目次" {
        builder.toc(line);
        return State::Toc { entries: 0 };
    }
    let in_appendix = builder.current_part() == crate::structure::Part::Appendix;
    if let Some(cells) = markdown_row(line).filter(|_| in_appendix) {
        builder.row(&cells);
    } else if let Some(c) = SUPPL.captures(line).filter(|c| is_suppl_heading(&c[2])) {
        builder.suppl(&c[1], &c[2]);
    } else if let Some(c) = APPENDIX.captures(line) {
        builder.appendix(&c[1], c.get(2).map_or("", |m| m.as_str()));
    } else if let Some(c) = DIVISION
        .captures(line)
        .filter(|c| is_heading_title(c.get(3)))
    {
        builder.division(
            division_kind(&c[2]),
            &c[1],
            c.get(3).map_or("", |m| m.as_str()),
        );
    } else if is_note_line(line) {
        builder.note(line);
    } else if let Some(c) = CAPTION.captures(line).filter(|_| !in_appendix) {
        builder.caption(&c[1]);
    } else if let Some(c) = ARTICLE_RANGE.captures(line).filter(|_| !in_appendix) {
        builder.article(&c[1]);
        builder.text(&c[2]);
    } else if let Some(c) = ARTICLE.captures(line).filter(|_| !in_appendix) {
        builder.article(&c[1]);
        builder.text(c.get(2).map_or("", |m| m.as_str()));
    } else if let Some(c) = PARAGRAPH.captures(line).filter(|_| !in_appendix) {
        builder.paragraph(&c[1], None, c.get(2).map_or("", |m| m.as_str()));
    } else if !in_appendix && item_line(line, builder) {
        // handled
    } else {
        builder.text(line);
    }
    State::Body
}

/// The cells of a Markdown table row (`| 区分 | 金額 |`); a separator row
/// (`|---|:--:|`) has none. None when the line is not a table row.
fn markdown_row(line: &str) -> Option<Vec<String>> {
    let inner = line.strip_prefix('|')?.strip_suffix('|')?;
    let cells: Vec<String> = inner.split('|').map(|c| c.trim().to_string()).collect();
    let separator = cells
        .iter()
        .all(|c| !c.is_empty() && c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')));
    Some(if separator { Vec::new() } else { cells })
}

fn item_line(line: &str, builder: &mut Builder) -> bool {
    let Some(c) = ITEM.captures(line) else {
        return false;
    };
    let (label, text) = match (c.get(1), c.get(2), c.get(3), c.get(4)) {
        (Some(l), Some(t), _, _) | (_, _, Some(l), Some(t)) => (l.as_str(), t.as_str()),
        _ => return false,
    };
    builder.item(label.trim_end_matches(['.', '．']), text)
}

/// What may follow 附則 in its heading: nothing, a parenthesis, 抄.
fn is_suppl_heading(rest: &str) -> bool {
    rest.is_empty()
        || rest.starts_with(['（', '(', '抄'])
        || rest.chars().count() < 6 && !rest.contains(['第', 'の', 'に', 'を'])
}

/// A chapter title is short and is not a sentence.
fn is_heading_title(title: Option<regex::Match<'_>>) -> bool {
    title.is_none_or(|t| {
        let t = t.as_str();
        t.chars().count() <= 40 && !t.contains('。') && !t.starts_with(['の', 'に', 'を', 'は'])
    })
}

fn division_kind(unit: &str) -> ProvisionKind {
    match unit {
        "編" => ProvisionKind::Part,
        "節" => ProvisionKind::Section,
        "款" => ProvisionKind::Subsection,
        "目" => ProvisionKind::Division,
        _ => ProvisionKind::Chapter,
    }
}

/// A line that is only an amendment-history note.
fn is_note_line(line: &str) -> bool {
    let (rest, notes) = crate::structure::split_notes(line);
    rest.is_empty() && !notes.is_empty()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::{Format, Part};

    fn parse(text: &str) -> crate::structure::Document {
        let mut b = Builder::new("t.txt", Format::Text, "UTF-8");
        read(text, &mut b);
        b.finish()
    }

    #[test]
    fn reads_markdown_like_exports() {
        let doc = parse(
            "# つばき町みどり条例\n平成二十年三月十八日\n条例第五号\n\n---\n## 目次\n第一章　総則（第一条・第二条）\n附則\n\n## 第1章 総則\n （目的）\n### 第一条\nこの条例は、みどりを守る。\n#### 2 町長は、計画を定める。\n##### 一 区民\n    区内に居住する者をいう。\n###### イ 細目\n（平二一条例三・一部改正）\n#### 附則(平成二一年三月二五日条例第一○号)\n1　この条例は、公布の日から施行する。\n---\n## このファイルについて\n出典：どこか\n",
        );
        assert_eq!(doc.title, "つばき町みどり条例");
        assert_eq!(doc.number.as_deref(), Some("条例第五号"));
        assert_eq!(doc.toc.len(), 3);
        let walk = doc.walk();
        let cites: Vec<&str> = walk.iter().map(|p| p.citation.as_str()).collect();
        assert_eq!(
            cites,
            [
                "第1章",
                "第一条",
                "第一条第一項",
                "第一条第二項",
                "第一条第二項第一号",
                "第一条第二項第一号イ",
                "附則（平成二一年三月二五日条例第一○号）",
                "附則（平成二一年三月二五日条例第一○号）",
            ]
        );
        let item = walk[4];
        assert_eq!(item.text, "区民\n区内に居住する者をいう。");
        let article = walk[1];
        assert_eq!(article.caption.as_deref(), Some("目的"));
        assert_eq!(article.notes, ["（平二一条例三・一部改正）"]);
        assert_eq!(walk[7].part, Part::Suppl);
        assert!(!doc.text.contains("出典"));
    }

    /// A Markdown table in a 別表 gives one row per line (the separator line
    /// none); elsewhere its lines stay text as they are.
    #[test]
    fn markdown_tables_in_an_appendix_give_rows() {
        let doc = parse(
            "手数料条例\n第一条　手数料は、次のとおりとする。\n| 区分 | 金額 |\n\n### 別表第一(第一条関係)\n| 区分 | 金額 |\n|---|:--:|\n| 証明 | 三百円 |\n\n備考\n一 申請書を提出しなければならない。\n",
        );
        let got: Vec<(ProvisionKind, &str, &str)> = doc
            .walk()
            .iter()
            .map(|p| (p.kind, p.normalized.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (ProvisionKind::Article, "1", ""),
                (
                    ProvisionKind::Paragraph,
                    "1/1",
                    "手数料は、次のとおりとする。\n| 区分 | 金額 |"
                ),
                (ProvisionKind::Appendix, "A1", ""),
                (ProvisionKind::Row, "A1/r1", "区分　金額"),
                (ProvisionKind::Row, "A1/r2", "証明　三百円"),
                (ProvisionKind::Row, "A1/r3", "備考"),
                (
                    ProvisionKind::Row,
                    "A1/r4",
                    "一 申請書を提出しなければならない。"
                ),
            ]
        );
        assert_eq!(markdown_row("|---|:--:|"), Some(Vec::new()));
        assert_eq!(markdown_row("区分 | 金額"), None);
    }

    #[test]
    fn cross_references_are_not_headings() {
        let doc = parse(
            "題名\n第一条　本文\n第二条の規定により届け出る。\n第三章の規定は、適用しない。\n附則第二項の規定にかかわらず、従前の例による。\n",
        );
        assert_eq!(doc.count(ProvisionKind::Article), 1);
        assert_eq!(doc.count(ProvisionKind::Chapter), 0);
        assert_eq!(doc.count(ProvisionKind::Suppl), 0);
    }
}
