//! The government law-data HTML (法令データ提供システム, Shift_JIS): `<DIV
//! class="arttitle">` for 見出し, `<DIV class="item"><B>第一条</B>` for articles
//! and paragraphs, `<DIV class="number">` for 号, `<DIV class="paraN">` for 号の
//! 細分 at depth N, and bold headings outside the DIVs for the title, chapters
//! and 附則. The DIVs are not always closed, so the page is read as a flat
//! sequence of blocks in document order rather than as a tree.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

use super::text;
use crate::structure::Builder;

/// What the text being collected belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BlockKind {
    /// Text outside the structural DIVs: preamble, chapter and 附則 headings.
    Loose,
    Caption,
    /// `DIV.item`: an article or a paragraph.
    Provision,
    /// `DIV.number` (depth 0) or `DIV.paraN` (depth N).
    Item(u8),
    /// A bold heading outside the DIVs.
    Bold,
    /// A table of contents entry (`<A TARGET="data">`).
    Toc,
    /// A table row.
    Row,
    /// 最終改正 and other notes aligned right: not law text.
    Meta,
}

#[derive(Debug)]
struct Block {
    kind: BlockKind,
    label: String,
    text: String,
    /// True while the `<B>` label of a DIV is being read.
    in_label: bool,
    label_done: bool,
}

impl Block {
    fn new(kind: BlockKind) -> Block {
        Block {
            kind,
            label: String::new(),
            text: String::new(),
            in_label: false,
            label_done: false,
        }
    }
}

/// Reads a law-data page into the builder.
pub fn read(source: &str, builder: &mut Builder) {
    let document = Html::parse_document(source);
    if let Some(title) = document
        .select(&scraper::Selector::parse("title").expect("static selector"))
        .next()
    {
        builder.title(&title.text().collect::<String>());
    }
    let mut reader = Reader {
        builder,
        block: Block::new(BlockKind::Loose),
        headings_seen: 0,
    };
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in document.root_element().traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Element(e) if matches!(e.name(), "head" | "script" | "style") => {
                    skipping = Some(node.id());
                }
                Node::Element(e) => reader.open(e),
                Node::Text(t) => reader.text(t),
                _ => {}
            },
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if skipping.is_none()
                    && let Node::Element(e) = node.value()
                {
                    reader.close(e.name());
                }
            }
            _ => {}
        }
    }
    reader.emit();
}

struct Reader<'b> {
    builder: &'b mut Builder,
    block: Block,
    headings_seen: usize,
}

impl Reader<'_> {
    fn start(&mut self, kind: BlockKind) {
        self.emit();
        self.block = Block::new(kind);
    }

    fn open(&mut self, e: &scraper::node::Element) {
        let class = e.attr("class").unwrap_or("").to_ascii_lowercase();
        match e.name() {
            "div" if class == "arttitle" => self.start(BlockKind::Caption),
            "div" if class == "item" => self.start(BlockKind::Provision),
            "div" if class == "number" => self.start(BlockKind::Item(0)),
            "div" if class.starts_with("para") => {
                let depth = class["para".len()..].parse().unwrap_or(1);
                self.start(BlockKind::Item(depth));
            }
            "div"
                if e.attr("align")
                    .is_some_and(|a| a.eq_ignore_ascii_case("right")) =>
            {
                self.start(BlockKind::Meta);
            }
            "b" if matches!(self.block.kind, BlockKind::Provision | BlockKind::Item(_))
                && !self.block.label_done =>
            {
                self.block.in_label = true;
            }
            "b" if matches!(self.block.kind, BlockKind::Loose | BlockKind::Meta) => {
                self.start(BlockKind::Bold);
            }
            "a" if e
                .attr("target")
                .is_some_and(|t| t.eq_ignore_ascii_case("data")) =>
            {
                self.start(BlockKind::Toc);
            }
            // Position anchors: 9… is the preamble, 1… the main provisions. A law
            // without articles has its text straight after the first 1… anchor.
            "a" if e
                .attr("name")
                .is_some_and(|n| n.len() > 40 && n.starts_with('1'))
                && self.block.kind == BlockKind::Loose
                && !self.builder.in_body() =>
            {
                self.start(BlockKind::Loose);
                self.builder.paragraph("", None, "");
            }
            "tr" => self.start(BlockKind::Row),
            "td" | "th" if self.block.kind == BlockKind::Row && !self.block.text.is_empty() => {
                self.block.text.push('　');
            }
            "br" => self.block.text.push('\n'),
            _ => {}
        }
    }

    fn close(&mut self, name: &str) {
        match name {
            "b" if self.block.in_label => {
                self.block.in_label = false;
                self.block.label_done = true;
            }
            "b" if self.block.kind == BlockKind::Bold => self.start(BlockKind::Loose),
            "a" if self.block.kind == BlockKind::Toc => self.start(BlockKind::Loose),
            "div" | "tr" => self.start(BlockKind::Loose),
            _ => {}
        }
    }

    fn text(&mut self, text: &str) {
        let text = text.replace(['\n', '\r'], "");
        if self.block.in_label {
            self.block.label.push_str(text.trim());
        } else {
            self.block.text.push_str(&text);
        }
    }

    /// Hands the finished block to the builder.
    fn emit(&mut self) {
        let block = std::mem::replace(&mut self.block, Block::new(BlockKind::Loose));
        let body = block.text.trim().to_string();
        match block.kind {
            BlockKind::Meta => {}
            BlockKind::Caption => self.builder.caption(&body),
            BlockKind::Provision => provision(self.builder, &block.label, &body),
            BlockKind::Item(depth) => self.builder.item_at(depth, &block.label, &body),
            BlockKind::Toc => self.builder.toc(&body),
            BlockKind::Row => self.builder.row(std::slice::from_ref(&body)),
            BlockKind::Bold => self.heading(&body),
            BlockKind::Loose => {
                for line in body.lines() {
                    text::body_line(line.trim_matches(|c: char| c.is_whitespace()), self.builder);
                }
            }
        }
    }

    /// The first bold block holds the title and, in brackets, date and number.
    fn heading(&mut self, body: &str) {
        self.headings_seen += 1;
        if self.headings_seen == 1 && !self.builder.in_body() {
            let mut lines = body.lines();
            if let Some(title) = lines.next() {
                self.builder.title(title);
            }
            for line in lines {
                text::header_line(line.trim(), self.builder);
            }
            return;
        }
        for line in body.lines() {
            text::body_line(line.trim(), self.builder);
        }
    }
}

/// A `DIV.item`: 第N条 opens an article, a number a paragraph, no label continues.
fn provision(builder: &mut Builder, label: &str, body: &str) {
    let label = label.trim();
    if label.starts_with('第') && label.contains('条') {
        builder.article(label);
        builder.text(body);
    } else if !label.is_empty() {
        builder.paragraph(label, None, body);
    } else {
        builder.text(body);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::{Format, ProvisionKind};

    #[test]
    fn reads_law_data_pages() {
        let page = r#"<HTML><HEAD><TITLE>試験規則</TITLE></HEAD><BODY>
<B>試験規則<BR>（平成十二年十月十六日厚生省令第二号）</B><BR><BR><DIV ALIGN="right">最終改正：平成二二年四月一日厚生労働省令第五八号</DIV>
<BR>　何々法を実施するため、この省令を定める。<BR><BR>
<P><DIV class="arttitle">（趣旨）</DIV><DIV class="item"><B>第一条</B>
　この省令は、手続を定める。
<DIV class="number"><B><A NAME="1">一</A></B>　申請書
<DIV class="para1"><B>イ</B>　写し</DIV></DIV></DIV>
<DIV class="item"><B><A NAME="2">２</A></B>　前項の申請は書面で行う。</DIV>
<BR>　　　<A NAME="5"><B>附　則　（平成二一年一二月二八日厚生労働省令第一六七号）　抄</B></A>
<BR><P>　この省令は、公布の日から施行する。</DIV>
</BODY></HTML>"#;
        let mut b = Builder::new("a.html", Format::LawDataHtml, "Shift_JIS");
        read(page, &mut b);
        let doc = b.finish();
        assert_eq!(doc.title, "試験規則");
        assert_eq!(doc.date.as_deref(), Some("2000-10-16"));
        assert_eq!(doc.number.as_deref(), Some("厚生省令第二号"));
        assert_eq!(
            doc.preamble.as_deref(),
            Some("何々法を実施するため、この省令を定める。")
        );
        let walk = doc.walk();
        let cites: Vec<(ProvisionKind, &str)> =
            walk.iter().map(|p| (p.kind, p.citation.as_str())).collect();
        assert_eq!(
            cites,
            [
                (ProvisionKind::Article, "第一条"),
                (ProvisionKind::Paragraph, "第一条第一項"),
                (ProvisionKind::Item, "第一条第一項第一号"),
                (ProvisionKind::Subitem, "第一条第一項第一号イ"),
                (ProvisionKind::Paragraph, "第一条第二項"),
                (
                    ProvisionKind::Suppl,
                    "附則（平成二一年一二月二八日厚生労働省令第一六七号）"
                ),
                (
                    ProvisionKind::Paragraph,
                    "附則（平成二一年一二月二八日厚生労働省令第一六七号）"
                ),
            ]
        );
        assert_eq!(walk[0].caption.as_deref(), Some("趣旨"));
        assert_eq!(walk[1].text, "この省令は、手続を定める。");
    }

    /// A 別表's table rows are provisions of their own (a cell's `<BR>` a
    /// line break in the row); a table in an article is a line of its text.
    #[test]
    fn appendix_tables_give_rows() {
        let page = r#"<HTML><HEAD><TITLE>試験規則</TITLE></HEAD><BODY>
<B>試験規則<BR>（平成十二年十月十六日厚生省令第二号）</B><BR>
<P><DIV class="item"><B>第一条</B>　手数料は、次のとおりとする。
<TABLE BORDER><TR><TD>区分</TD><TD>金額</TD></TR></TABLE></DIV>
<BR><A NAME="3">別表第三　（第十九条関係）</A><BR>
<TABLE BORDER><TR VALIGN="top"><TD>検査項目</TD><TD>
方法</TD></TR>
<TR><TD>一　警戒標</TD><TD>一　掲示の状況を<BR>目視により検査する。</TD></TR></TABLE>
<BR>備考　検査は書面による。<BR>
</BODY></HTML>"#;
        let mut b = Builder::new("a.html", Format::LawDataHtml, "Shift_JIS");
        read(page, &mut b);
        let doc = b.finish();
        let got: Vec<(ProvisionKind, &str, &str)> = doc
            .walk()
            .iter()
            .map(|p| (p.kind, p.citation.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (ProvisionKind::Article, "第一条", ""),
                (
                    ProvisionKind::Paragraph,
                    "第一条",
                    "手数料は、次のとおりとする。\n区分　金額"
                ),
                (ProvisionKind::Appendix, "別表第三", ""),
                (ProvisionKind::Row, "別表第三（第1行）", "検査項目　方法"),
                (
                    ProvisionKind::Row,
                    "別表第三（第2行）",
                    "一　警戒標　一　掲示の状況を\n目視により検査する。"
                ),
                (
                    ProvisionKind::Row,
                    "別表第三（第3行）",
                    "備考　検査は書面による。"
                ),
            ]
        );
    }
}
