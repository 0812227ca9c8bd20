//! Reiki-Base 例規集 pages: one `div.eline` per line of the 例規, classed by
//! what it holds: `div.head` (`p.title-irregular` 題名, `p.date`, `p.number`),
//! `div.toc` and `p.toc_item-…` (the 目次, whose entries include 附則 and
//! 別表: never structure), `div.chapter` / `div.section` / `div.subsection`
//! (章・節・款), `div.article` (`p.title` 見出し, `span.num` 第1条), `div.clause`
//! 項 (unnumbered: an article's continuation, or the 本則 of a 例規 without
//! articles, or a 附則's text), `div.item` 号, `p.s-head` 附則,
//! `div.table_section` 別表 and `div.form_section` 様式 (each its own part),
//! tables, `p.revise_record` amendment notes, `div.enactment` 制定文.
//! Structure comes from this markup, never from a regex over the text, so
//! cross-references such as 前条 cannot pass for headings.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

use super::{html, text};
use crate::structure::{Builder, ProvisionKind};

fn selector(css: &str) -> Selector {
    Selector::parse(css).expect("static selector is valid")
}

static ELINE: LazyLock<Selector> = LazyLock::new(|| selector("div.eline"));
static NUM: LazyLock<Selector> = LazyLock::new(|| selector("span.num"));
static CAPTION: LazyLock<Selector> = LazyLock::new(|| selector("p.title"));
static ROW: LazyLock<Selector> = LazyLock::new(|| selector("tr"));
static CELL: LazyLock<Selector> = LazyLock::new(|| selector("td, th"));
static SPAN: LazyLock<Selector> = LazyLock::new(|| selector("span"));

/// Reads a Reiki-Base page into the builder.
pub fn read(source: &str, builder: &mut Builder) {
    let document = Html::parse_document(source);
    for line in outer_lines(&document) {
        read_line(line, builder);
    }
}

/// The `div.eline`s that are not inside another one, in document order. Real
/// pages never nest them; reading a nested one as well would read its text
/// twice, and take time quadratic in the nesting depth.
fn outer_lines(document: &Html) -> Vec<ElementRef<'_>> {
    let mut lines = Vec::new();
    let mut inside: Option<ego_tree::NodeId> = None;
    for edge in document.root_element().traverse() {
        match edge {
            Edge::Open(node) if inside.is_none() => {
                if let Some(line) = ElementRef::wrap(node).filter(|e| ELINE.matches(e)) {
                    inside = Some(node.id());
                    lines.push(line);
                }
            }
            Edge::Close(node) if inside == Some(node.id()) => inside = None,
            _ => {}
        }
    }
    lines
}

/// The class of the first element inside an eline that says what it is.
fn line_class(line: ElementRef<'_>) -> String {
    line.descendent_elements()
        .skip(1)
        .find_map(|e| e.value().attr("class").map(str::to_string))
        .unwrap_or_default()
}

/// Whether any element of the line carries a class that starts with `prefix`.
fn has_class_prefix(line: ElementRef<'_>, prefix: &str) -> bool {
    line.descendent_elements().skip(1).any(|e| {
        e.value()
            .attr("class")
            .is_some_and(|c| c.split_whitespace().any(|c| c.starts_with(prefix)))
    })
}

/// The text of the line's first element with class `class` (a `span.title`).
fn text_of_class(line: ElementRef<'_>, class: &str) -> String {
    line.descendent_elements()
        .skip(1)
        .find(|e| {
            e.value()
                .attr("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == class))
        })
        .map(|e| {
            html::squeeze(&e.text().collect::<String>())
                .trim()
                .to_string()
        })
        .unwrap_or_default()
}

fn read_line(line: ElementRef<'_>, builder: &mut Builder) {
    // 目次 entries name chapters, 附則 and 別表 without being them.
    if has_class_prefix(line, "toc") {
        builder.toc(&html::squeeze(&line.text().collect::<String>()));
        return;
    }
    let class = line_class(line);
    let first_class = class.split_whitespace().next().unwrap_or("");
    let label = line
        .select(&NUM)
        .next()
        .map(|n| n.text().collect::<String>().trim().to_string())
        .unwrap_or_default();
    let body = html::squeeze(&html::text_of(line, &|e| {
        let has = |class: &str| {
            e.attr("class")
                .is_some_and(|c| c.split_whitespace().any(|c| c == class))
        };
        (e.name() == "span" && has("num")) || (e.name() == "p" && has("title"))
    }));
    let body = body.trim();
    match first_class {
        "head" => head_line(line, body, builder),
        "article" => {
            if let Some(caption) = line.select(&CAPTION).next() {
                builder.caption(&caption.text().collect::<String>());
            }
            builder.article(&label);
            builder.text(body);
        }
        "clause" if label.is_empty() => unnumbered_clause(body, builder),
        "clause" => builder.paragraph(&label, None, body),
        "chapter" | "section" | "subsection" | "division" => {
            let kind = match first_class {
                "chapter" => ProvisionKind::Chapter,
                "section" => ProvisionKind::Section,
                "subsection" => ProvisionKind::Subsection,
                _ => ProvisionKind::Division,
            };
            builder.division(kind, &label, &text_of_class(line, "title"));
        }
        "table_section" | "form_section" => appendix_line(line, &label, body, builder),
        // Lines of text with no number of their own: they go on with the open
        // provision (a 告示's list, 調書 items, ア・イ lists), never open one.
        c if (c == "p" || c.starts_with("li")) && builder.in_body() => builder.text(body),
        "revise_record" | "note" => builder.note(body),
        "hl" | "xref_frame" => {}
        "enactment" if !builder.in_body() => builder.text(body),
        c if c.starts_with("item") && !label.is_empty() => {
            if !builder.item(&label, body) {
                builder.item_at(0, &label, body);
            }
        }
        "s-head" => suppl_line(line, builder),
        "table_frame" | "table-wrapper" => table(line, builder),
        _ => {
            for l in body.lines() {
                text::body_line(l.trim(), builder);
            }
        }
    }
}

/// A `div.clause` without a number. Before any 条 (a 例規 without
/// articles, such as a 告示) and between such paragraphs it is a paragraph
/// of its own; elsewhere (an article's or a 附則's text going on) it
/// continues the open provision.
fn unnumbered_clause(body: &str, builder: &mut Builder) {
    let own_paragraph = match builder.current() {
        None => true,
        Some(ProvisionKind::Paragraph) => builder.in_articleless_paragraph(),
        Some(kind) => kind.division_unit().is_some(),
    };
    if own_paragraph {
        builder.paragraph("", None, body);
    } else {
        builder.text(body);
    }
}

/// A 別表, 別記 or 様式 heading: `span.num` 別表第1, then (第5条関係) or the
/// form's title. The sheets of one 様式 (様式第2号(その1), (その2)) are one part.
fn appendix_line(line: ElementRef<'_>, label: &str, body: &str, builder: &mut Builder) {
    let label = if label.is_empty() { body } else { label };
    if builder.open_appendix_label() == Some(label) {
        return;
    }
    let title = match text_of_class(line, "title") {
        t if t.is_empty() && body != label => body.to_string(),
        t => t,
    };
    builder.appendix(label, &title);
}

/// 題名, date and number lines at the top of the page.
fn head_line(line: ElementRef<'_>, body: &str, builder: &mut Builder) {
    let classes: Vec<&str> = line
        .descendent_elements()
        .filter_map(|e| e.value().attr("class"))
        .collect();
    if classes.iter().any(|c| c.contains("title")) {
        builder.title(body);
    } else if classes.contains(&"date") {
        builder.date(body);
    } else if classes.contains(&"number") {
        builder.number(body);
    } else {
        text::body_line(body, builder);
    }
}

/// A 附則 heading: 附則 (平成10年3月30日 条例第5号) 抄.
fn suppl_line(line: ElementRef<'_>, builder: &mut Builder) {
    let mut label = String::new();
    let mut heading = String::new();
    for span in line.select(&SPAN) {
        let class = span.value().attr("class").unwrap_or("");
        let text: String = span.text().collect();
        if class.starts_with("title") {
            label = text;
        } else if class.starts_with("date")
            || class.starts_with("number")
            || class.starts_with("p ")
        {
            heading.push_str(text.trim());
        }
    }
    if label.is_empty() {
        label = "附則".to_string();
    }
    builder.suppl(&label, &heading);
}

/// A table: one row per `tr`, its cells separated by a full-width space (in
/// a 別表 each row is a provision of its own).
fn table(line: ElementRef<'_>, builder: &mut Builder) {
    for row in line.select(&ROW) {
        let cells: Vec<String> = row
            .select(&CELL)
            .map(|c| {
                html::squeeze(&c.text().collect::<String>())
                    .trim()
                    .replace('\n', " ")
            })
            .filter(|c| !c.is_empty())
            .collect();
        builder.row(&cells);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::Format;

    #[test]
    fn reads_reiki_base_lines() {
        let page = r##"<html><body>
<div id="l0" class="eline"><div class="head"><p class="title-irregular"><span class="cm">○つばき町公園条例</span></p></div></div>
<div id="l1" class="eline"><div class="head"><p class="date"><span class="cm">平成9年11月14日</span></p></div></div>
<div id="l2" class="eline"><div class="head"><p class="number"><span class="cm">条例第25号</span></p></div></div>
<div id="l3" class="eline"><div class="article"><p class="title"><span class="cm">(目的)</span></p><p class="num"><span class="num cm">第1条</span>　<span class="clause"><span class="p cm"><a href="#l0">この条例</a>は、公園について定める。</span></span></p></div></div>
<div id="l4" class="eline"><div class="clause"><p class="num"><span class="num cm">2</span>　<span class="p cm">町長は、次に掲げる事項を<span class="brackets-color1">(公報により)</span>掲示する。</span></p></div></div>
<div id="l5" class="eline"><div class="item"><p class="num"><span class="num cm">(1)</span>　<span class="p cm">名称</span></p></div></div>
<div id="l6" class="eline"><p class="s-head"><span class="title cm"><span class="word-space">附</span>則</span><span class="date cm">(平成10年3月30日</span><span class="number cm">条例第5号)</span></p></div>
<div id="l7" class="eline"><div class="clause"><p class="p"><span class="p cm">この条例は、公布の日から施行する。</span></p></div></div>
</body></html>"##;
        let mut b = Builder::new("a.html", Format::ReikiBaseHtml, "UTF-8");
        read(page, &mut b);
        let doc = b.finish();
        assert_eq!(doc.title, "つばき町公園条例");
        assert_eq!(doc.date.as_deref(), Some("1997-11-14"));
        assert_eq!(doc.number.as_deref(), Some("条例第25号"));
        let walk = doc.walk();
        let cites: Vec<&str> = walk.iter().map(|p| p.citation.as_str()).collect();
        assert_eq!(
            cites,
            [
                "第1条",
                "第1条第1項",
                "第1条第2項",
                "第1条第2項第1号",
                "附則（平成10年3月30日条例第5号）",
                "附則（平成10年3月30日条例第5号）",
            ]
        );
        assert_eq!(walk[0].caption.as_deref(), Some("目的"));
        assert_eq!(walk[1].text, "この条例は、公園について定める。");
        assert_eq!(
            walk[2].text,
            "町長は、次に掲げる事項を(公報により)掲示する。"
        );
        assert_eq!(
            walk[4].suppl.as_ref().and_then(|s| s.date.as_deref()),
            Some("1998-03-30")
        );
    }

    /// A page with a 目次 (whose entries include 附則 and 別表), chapters, an
    /// article, a 附則, a 別表 with a table and a 様式 in two sheets.
    #[test]
    fn toc_entries_are_never_structure_and_tables_are_parts() {
        let page = r##"<html><body>
<div id="l0" class="eline"><div class="head"><p class="title-irregular"><span class="cm">○つばき町税条例</span></p></div></div>
<div id="l1" class="eline"><div class="toc"><p class="title"><span class="cm">目次</span></p></div></div>
<div id="l2" class="eline"><div><p class="toc_item-chapter"><span class="num cm">第1章</span>　<span class="title cm">総則</span><span class="p cm">(第1条)</span></p></div></div>
<div id="l3" class="eline"><div class="in-chapter"><p class="toc_item-supplement"><span class="p cm">附則</span></p></div></div>
<div id="l4" class="eline"><div class="in-chapter"><p class="toc_item-others"><span class="p cm">別表</span></p></div></div>
<div id="l5" class="eline"><div class="chapter"><p class="num"><span class="num cm">第1章</span>　<span class="title cm">総則</span></p></div></div>
<div id="l6" class="eline"><div class="article"><p class="num"><span class="num cm">第1条</span>　<span class="clause"><span class="p cm">申請書を提出しなければならない。</span></span></p></div></div>
<div id="l7" class="eline"><p class="revise_record"><span class="cm">(平30条例9・一部改正)</span></p></div>
<div id="l8" class="eline"><p class="s-head"><span class="title cm">附　則</span></p></div>
<div id="l9" class="eline"><div class="clause"><p class="p"><span class="p cm">この条例は、公布の日から施行する。</span></p></div></div>
<div id="l10" class="eline"><div class="table_section"><p class="num"><span class="num cm">別表</span><span class="p cm">(第1条関係)</span></p></div></div>
<div id="l11" class="eline"><div class="table_frame"><table><tr><td>区分</td><td>金額</td></tr><tr><td>証明</td><td>300円</td></tr></table></div></div>
<div id="l11a" class="eline"><p class="p"><span class="p cm">備考　申請書を提出しなければならない。</span></p></div>
<div id="l11b" class="eline"><p class="revise_record"><span class="cm">(令2規則13・一部改正)</span></p></div>
<div id="l12" class="eline"><div class="form_section"><p class="num"><span class="num cm">様式第2号</span><span class="form-title cm">(その1)</span></p></div></div>
<div id="l13" class="eline"><div class="form_section"><p class="num"><span class="num cm">様式第2号</span><span class="form-title cm">(その2)</span></p></div></div>
</body></html>"##;
        let mut b = Builder::new("a.html", Format::ReikiBaseHtml, "UTF-8");
        read(page, &mut b);
        let doc = b.finish();
        assert_eq!(doc.toc.len(), 4, "{:?}", doc.toc);
        let walk = doc.walk();
        let kinds: Vec<(ProvisionKind, &str)> =
            walk.iter().map(|p| (p.kind, p.citation.as_str())).collect();
        assert_eq!(
            kinds,
            [
                (ProvisionKind::Chapter, "第1章"),
                (ProvisionKind::Article, "第1条"),
                (ProvisionKind::Paragraph, "第1条"),
                (ProvisionKind::Suppl, "附則"),
                (ProvisionKind::Paragraph, "附則"),
                (ProvisionKind::Appendix, "別表"),
                (ProvisionKind::Row, "別表（第1行）"),
                (ProvisionKind::Row, "別表（第2行）"),
                (ProvisionKind::Row, "別表（第3行）"),
                (ProvisionKind::Appendix, "様式第2号"),
            ]
        );
        assert_eq!(walk[1].notes, ["(平30条例9・一部改正)"]);
        assert_eq!(walk[4].text, "この条例は、公布の日から施行する。");
        assert_eq!(walk[5].caption.as_deref(), Some("(第1条関係)"));
        assert_eq!(walk[5].notes, ["(令2規則13・一部改正)"]);
        let rows: Vec<&str> = walk[6..9].iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            rows,
            [
                "区分　金額",
                "証明　300円",
                "備考　申請書を提出しなければならない。"
            ]
        );
    }

    /// A table inside an article is the paragraph's text, a row a line.
    #[test]
    fn a_table_in_an_article_stays_text() {
        let page = r##"<html><body>
<div id="l0" class="eline"><div class="head"><p class="title-irregular"><span class="cm">○手数料条例</span></p></div></div>
<div id="l1" class="eline"><div class="article"><p class="num"><span class="num cm">第1条</span>　<span class="clause"><span class="p cm">手数料は、次のとおりとする。</span></span></p></div></div>
<div id="l2" class="eline"><div class="table_frame"><table><tr><td>証明</td><td>300円</td></tr></table></div></div>
</body></html>"##;
        let mut b = Builder::new("a.html", Format::ReikiBaseHtml, "UTF-8");
        read(page, &mut b);
        let doc = b.finish();
        assert_eq!(doc.count(ProvisionKind::Row), 0);
        assert_eq!(
            doc.walk()[1].text,
            "手数料は、次のとおりとする。\n証明　300円"
        );
    }

    /// A 告示 has no 第N条: its 本則 is unnumbered clauses, and lines of
    /// text under them go on with the paragraph.
    #[test]
    fn an_articleless_reiki_keeps_its_paragraphs() {
        let page = r##"<html><body>
<div id="l0" class="eline"><div class="head"><p class="title-irregular"><span class="cm">○つばき町旗</span></p></div></div>
<div id="l1" class="eline"><div class="head"><p class="number"><span class="cm">告示第35号</span></p></div></div>
<div id="l2" class="eline"><div class="clause"><p class="p"><span class="p cm">町旗を次のとおり定める。</span></p></div></div>
<div id="l3" class="eline"><p class="p"><span class="p cm">1　縦と横との比　7対10</span></p></div>
<div id="l4" class="eline"><div class="clause"><p class="p"><span class="p cm">申請は、書面により行うものとする。</span></p></div></div>
</body></html>"##;
        let mut b = Builder::new("a.html", Format::ReikiBaseHtml, "UTF-8");
        read(page, &mut b);
        let doc = b.finish();
        let walk = doc.walk();
        let got: Vec<(&str, &str)> = walk
            .iter()
            .map(|p| (p.normalized.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("0/1", "町旗を次のとおり定める。\n1　縦と横との比　7対10"),
                ("0/2", "申請は、書面により行うものとする。"),
            ]
        );
    }
}
