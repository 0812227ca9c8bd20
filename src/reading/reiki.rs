//! Reiki-Base 例規集 pages: one `div.eline` per line of the 例規, classed by
//! what it holds (`p.title-irregular` 題名, `p.date`, `p.number`, `div.article`
//! with `p.title` 見出し and `span.num` 第1条, `div.clause` 項, `div.item` 号,
//! `p.s-head` 附則, tables). Structure comes from this markup, never from a
//! regex over the text, so cross-references such as 前条 cannot pass for headings.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Selector};
use std::sync::LazyLock;

use super::{html, text};
use crate::structure::Builder;

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

fn read_line(line: ElementRef<'_>, builder: &mut Builder) {
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
        "clause" if label.is_empty() => builder.text(body),
        "clause" => builder.paragraph(&label, None, body),
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

/// A table: one text line per row, cells separated by a full-width space.
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
        builder.text(&cells.join("　"));
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
}
