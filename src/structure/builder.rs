//! Builds a `Document` from reading events. Readers say what they see ("article
//! 第三条 begins", "paragraph ２ with this text"); the builder keeps the nesting,
//! then `finish` lays out the document text and computes every citation, normal
//! form and offset in one pass, so all formats get them the same way.

use regex::Regex;
use std::sync::LazyLock;

use super::numbers::{
    NumeralStyle, aiueo_index, canonical_label, iroha_index, item_number, join_numbers,
    label_numbers,
};
use super::wareki;
use super::{DocKind, Document, Format, Part, Provision, ProvisionKind, SupplInfo};

/// Nesting rank: a node closes every open node of the same or a deeper rank.
fn rank(kind: ProvisionKind, depth: u8) -> u32 {
    match kind {
        ProvisionKind::Suppl | ProvisionKind::Appendix => 0,
        ProvisionKind::Part => 1,
        ProvisionKind::Chapter => 2,
        ProvisionKind::Section => 3,
        ProvisionKind::Subsection => 4,
        ProvisionKind::Division => 5,
        ProvisionKind::Article => 6,
        ProvisionKind::Paragraph => 7,
        ProvisionKind::Item => 8,
        ProvisionKind::Subitem => 8 + u32::from(depth),
        // A row holds nothing: whatever opens next closes it.
        ProvisionKind::Row => 1_000,
    }
}

/// How a 号 or 号の細分 label is printed; the order in which styles first appear
/// under a paragraph gives their depth (一 → イ → (1) → (i)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LabelStyle {
    Kanji,
    Digits,
    ParenDigits,
    Iroha,
    Aiueo,
    ParenIroha,
    ParenAiueo,
}

/// The style of a list label, or None when it is not one.
fn label_style(label: &str, open: &[LabelStyle]) -> Option<LabelStyle> {
    let inner = label.trim_matches(|c| matches!(c, '(' | ')' | '（' | '）'));
    let paren = inner.len() != label.len();
    let mut chars = inner.chars();
    let first = chars.next()?;
    let single = chars.next().is_none();
    if item_number(inner).is_some() {
        let kanji = !first.is_ascii_digit() && super::numbers::digit_value(first).is_none();
        return Some(match (paren, kanji) {
            (true, _) => LabelStyle::ParenDigits,
            (false, true) => LabelStyle::Kanji,
            (false, false) => LabelStyle::Digits,
        });
    }
    if !single {
        return None;
    }
    let (iroha, aiueo) = (iroha_index(first).is_some(), aiueo_index(first).is_some());
    let (iroha_style, aiueo_style) = if paren {
        (LabelStyle::ParenIroha, LabelStyle::ParenAiueo)
    } else {
        (LabelStyle::Iroha, LabelStyle::Aiueo)
    };
    match (iroha, aiueo) {
        (true, true) if open.contains(&aiueo_style) || first == 'ア' => Some(aiueo_style),
        (true, _) => Some(iroha_style),
        (false, true) => Some(aiueo_style),
        _ => None,
    }
}

static NOTE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"[（(]([^（）()。]*(?:一部改正|全部改正|全改|追加|削除|繰下|繰上|改称|旧第)[^（）()。]*|[平昭令][0-9０-９元一二三四五六七八九十]+(?:条例|規則|告示|訓令|規程)[0-9０-９一二三四五六七八九十百]+(?:[・、][^（）()。]*)?)[）)]\s*$",
    )
    .expect("note pattern is valid")
});

/// Splits amendment-history notes off the end of a text: 「…する。（平一五条例四六・一部改正）」.
/// Only parentheses that read like a history note count (an era abbreviation,
/// 〔…〕 or the note word first), so that ordinary parentheticals stay in the text.
pub fn split_notes(text: &str) -> (String, Vec<String>) {
    let mut rest = text.trim_end();
    let mut notes = Vec::new();
    while let Some((start, note)) = last_note(rest) {
        notes.push(note.trim().to_string());
        rest = rest[..start].trim_end();
    }
    notes.reverse();
    (rest.to_string(), notes)
}

/// The history note that ends `text`, with the byte offset where it starts.
fn last_note(text: &str) -> Option<(usize, &str)> {
    // A note holds no bracket, so it can only begin at the last opening one:
    // matching from there keeps a line of thousands of notes linear.
    let from = text.rfind(['（', '('])?;
    let caps = NOTE.captures(&text[from..])?;
    let (whole, inner) = (caps.get(0)?, caps.get(1)?);
    let content = inner.as_str().trim();
    let looks_like_note = content.starts_with(['平', '昭', '令', '明', '大'])
        || content.contains('〔')
        || ["一部改正", "全部改正", "全改", "追加", "旧第"]
            .iter()
            .any(|w| content.starts_with(w));
    looks_like_note.then_some((from + whole.start(), whole.as_str()))
}

/// A node while the tree is being built; citations come later, in `finish`.
#[derive(Debug, Default)]
struct Node {
    kind: Option<ProvisionKind>,
    label: String,
    caption: Option<String>,
    text: String,
    notes: Vec<String>,
    depth: u8,
    /// Number used for the normal form (paragraph 3, item 2); None = derive from label.
    number: Option<u32>,
    suppl: Option<SupplInfo>,
    children: Vec<Node>,
}

impl Node {
    fn kind(&self) -> ProvisionKind {
        self.kind.unwrap_or(ProvisionKind::Paragraph)
    }
}

/// Collects reading events and produces a `Document`.
#[derive(Debug)]
pub struct Builder {
    file: String,
    format: Format,
    encoding: String,
    title: String,
    number: Option<String>,
    date_printed: Option<String>,
    kind: Option<DocKind>,
    preamble: Vec<String>,
    toc: Vec<String>,
    roots: Vec<Node>,
    stack: Vec<Node>,
    /// A 見出し waiting for its article: (without brackets, as printed).
    pending_caption: Option<(String, String)>,
    styles: Vec<LabelStyle>,
    suppl_count: usize,
}

impl Builder {
    pub fn new(file: &str, format: Format, encoding: &str) -> Builder {
        Builder {
            file: file.to_string(),
            format,
            encoding: encoding.to_string(),
            title: String::new(),
            number: None,
            date_printed: None,
            kind: None,
            preamble: Vec::new(),
            toc: Vec::new(),
            roots: Vec::new(),
            stack: Vec::new(),
            pending_caption: None,
            styles: Vec::new(),
            suppl_count: 0,
        }
    }

    pub fn title(&mut self, title: &str) {
        let title = title.trim().trim_start_matches(['○', '◯']).trim();
        if self.title.is_empty() && !title.is_empty() {
            self.title = title.to_string();
        }
    }

    pub fn has_title(&self) -> bool {
        !self.title.is_empty()
    }

    /// The 例規番号 as printed (条例第九号).
    pub fn number(&mut self, number: &str) {
        let number = number.trim();
        if self.number.is_none() && !number.is_empty() {
            self.number = Some(number.to_string());
        }
    }

    /// The promulgation date as printed (平成十五年三月二十日).
    pub fn date(&mut self, printed: &str) {
        let printed = printed.trim();
        if self.date_printed.is_none() && !printed.is_empty() {
            self.date_printed = Some(printed.to_string());
        }
    }

    pub fn kind(&mut self, kind: DocKind) {
        self.kind = Some(kind);
    }

    pub fn toc(&mut self, line: &str) {
        let line = line.trim();
        if !line.is_empty() {
            self.toc.push(line.to_string());
        }
    }

    /// True once any provision has been opened.
    pub fn in_body(&self) -> bool {
        !self.stack.is_empty() || !self.roots.is_empty()
    }

    /// True when the innermost open provision is a paragraph that is not in
    /// an article (a 例規 without articles, a 附則's paragraphs).
    pub fn in_articleless_paragraph(&self) -> bool {
        let mut open = self.stack.iter().rev();
        open.next()
            .is_some_and(|n| n.kind() == ProvisionKind::Paragraph)
            && open
                .next()
                .is_none_or(|n| n.kind() != ProvisionKind::Article)
    }

    /// The label of the 別表 or 様式 open now, if one is.
    pub fn open_appendix_label(&self) -> Option<&str> {
        self.stack
            .first()
            .filter(|n| n.kind() == ProvisionKind::Appendix)
            .map(|n| n.label.as_str())
    }

    /// The kind of the innermost open provision.
    pub fn current(&self) -> Option<ProvisionKind> {
        self.stack.last().map(Node::kind)
    }

    /// True while inside a 附則 or 別表.
    pub fn current_part(&self) -> Part {
        match self.stack.first().map(Node::kind) {
            Some(ProvisionKind::Suppl) => Part::Suppl,
            Some(ProvisionKind::Appendix) => Part::Appendix,
            _ => Part::Main,
        }
    }

    /// A 見出し that belongs to the next article (or paragraph).
    pub fn caption(&mut self, caption: &str) {
        self.flush_caption();
        let stripped = strip_brackets(caption);
        if !stripped.is_empty() {
            self.pending_caption = Some((stripped, caption.trim().to_string()));
        }
    }

    /// A caption that no article or paragraph took is text after all
    /// (（以下様式省略）), so it goes to the open provision rather than being lost.
    fn flush_caption(&mut self) {
        if let Some((_, raw)) = self.pending_caption.take() {
            self.text(&raw);
        }
    }

    fn take_caption(&mut self) -> Option<String> {
        self.pending_caption.take().map(|(stripped, _)| stripped)
    }

    /// Closes open nodes of the same or a deeper rank, then opens `node`.
    fn open(&mut self, node: Node) {
        let r = rank(node.kind(), node.depth);
        while let Some(top) = self.stack.last() {
            let top_rank = rank(top.kind(), top.depth);
            if top_rank < r || (top_rank == 0 && r > 0) {
                break;
            }
            self.close_top();
        }
        self.stack.push(node);
    }

    fn close_top(&mut self) {
        if let Some(node) = self.stack.pop() {
            match self.stack.last_mut() {
                Some(parent) => parent.children.push(node),
                None => self.roots.push(node),
            }
        }
    }

    /// 編, 章, 節, 款 or 目 with its label (第二章) and title (総則).
    pub fn division(&mut self, kind: ProvisionKind, label: &str, title: &str) {
        self.flush_caption();
        let title = title.trim();
        self.open(Node {
            kind: Some(kind),
            label: compact(label),
            caption: (!title.is_empty()).then(|| title.to_string()),
            ..Node::default()
        });
    }

    /// An article (第三条, 第十二条の二); its 見出し is the pending caption, if any.
    pub fn article(&mut self, label: &str) {
        self.styles.clear();
        let caption = self.take_caption();
        self.open(Node {
            kind: Some(ProvisionKind::Article),
            label: compact(label),
            caption,
            ..Node::default()
        });
    }

    /// A paragraph; `label` is the printed number ("" for an article's first),
    /// `number` its value when the source says it (e-Gov's Num).
    pub fn paragraph(&mut self, label: &str, number: Option<u32>, text: &str) {
        self.styles.clear();
        let label = label.trim();
        let number = number
            .or_else(|| item_number(label))
            .unwrap_or_else(|| self.next_paragraph_number());
        let caption = self.take_caption();
        let (text, notes) = split_notes(text);
        self.open(Node {
            kind: Some(ProvisionKind::Paragraph),
            label: label.to_string(),
            caption,
            text,
            notes,
            number: Some(number),
            ..Node::default()
        });
    }

    /// The number an unlabelled paragraph gets: 1 in a fresh article, else the next.
    fn next_paragraph_number(&self) -> u32 {
        let paragraph = rank(ProvisionKind::Paragraph, 0);
        let parent_at = self
            .stack
            .iter()
            .rposition(|n| rank(n.kind(), n.depth) < paragraph);
        // A paragraph still open right under the parent is a sibling too.
        let open = match parent_at {
            Some(at) => self.stack.get(at + 1),
            None => self.stack.first(),
        };
        let siblings = parent_at.map_or(&self.roots, |at| &self.stack[at].children);
        open.into_iter()
            .chain(siblings.iter().rev())
            .find(|n| n.kind() == ProvisionKind::Paragraph)
            .and_then(|n| n.number)
            .map_or(1, |n| n + 1)
    }

    /// Opens a paragraph when text or items come straight under an article, a
    /// 附則 or a chapter (an article's first paragraph carries no number).
    fn ensure_paragraph(&mut self) {
        let needs = self.current().is_some_and(|k| {
            matches!(k, ProvisionKind::Article | ProvisionKind::Suppl)
                || k.division_unit().is_some()
        });
        if needs {
            self.paragraph("", None, "");
        }
    }

    /// A 号 (depth 0) or 号の細分 (depth ≥ 1) whose depth the source states.
    pub fn item_at(&mut self, depth: u8, label: &str, text: &str) {
        self.ensure_paragraph();
        let (text, notes) = split_notes(text);
        let kind = if depth == 0 {
            ProvisionKind::Item
        } else {
            ProvisionKind::Subitem
        };
        self.open(Node {
            kind: Some(kind),
            label: compact(label),
            text,
            notes,
            depth,
            ..Node::default()
        });
    }

    /// A list entry whose depth follows from its label style (一 → イ → (1)).
    /// Returns false when the label is not a list label.
    pub fn item(&mut self, label: &str, text: &str) -> bool {
        let Some(style) = label_style(label, &self.styles) else {
            return false;
        };
        let depth = match self.styles.iter().position(|s| *s == style) {
            Some(at) => {
                self.styles.truncate(at + 1);
                at
            }
            None => {
                self.styles.push(style);
                self.styles.len() - 1
            }
        };
        self.item_at(u8::try_from(depth).unwrap_or(u8::MAX), label, text);
        true
    }

    /// Starts a 附則 block; `heading` is what follows 附則 (（平成二一年…号）　抄).
    pub fn suppl(&mut self, label: &str, heading: &str) {
        self.flush_caption();
        self.styles.clear();
        self.suppl_count += 1;
        let heading = heading.trim();
        let extract = heading.ends_with('抄');
        let amendment = strip_brackets(heading.trim_end_matches('抄'));
        let date = wareki::to_iso(&amendment);
        self.open(Node {
            kind: Some(ProvisionKind::Suppl),
            label: compact(label),
            suppl: Some(SupplInfo {
                heading: heading.to_string(),
                index: self.suppl_count,
                amendment: (!amendment.is_empty()).then_some(amendment),
                date,
                extract,
            }),
            ..Node::default()
        });
    }

    /// Starts a 別表, 別記 or 様式 with its label and title (（第五条関係）).
    pub fn appendix(&mut self, label: &str, title: &str) {
        self.flush_caption();
        let title = title.trim();
        self.open(Node {
            kind: Some(ProvisionKind::Appendix),
            label: compact(label),
            caption: (!title.is_empty()).then(|| title.to_string()),
            ..Node::default()
        });
    }

    /// A row of a table, its cells joined by a full-width space. In a 別表
    /// (別記, 様式) it is a provision of its own, so that a finding points at
    /// the row that states it; anywhere else it is a line of the open
    /// provision's text, as any other line.
    pub fn row(&mut self, cells: &[String]) {
        let line = cells
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<&str>>()
            .join("　");
        if self.current_part() == Part::Appendix {
            self.flush_caption();
            self.open_row(&line);
        } else {
            self.text(&line);
        }
    }

    /// Opens a row with this text; a line that is only history notes gives
    /// them to the provision that holds the rows.
    fn open_row(&mut self, line: &str) {
        let (text, notes) = split_notes(line);
        if text.is_empty() {
            if let Some(node) = self.holder() {
                node.notes.extend(notes);
            }
            return;
        }
        self.open(Node {
            kind: Some(ProvisionKind::Row),
            text,
            notes,
            ..Node::default()
        });
    }

    /// The innermost open provision that is not a row.
    fn holder(&mut self) -> Option<&mut Node> {
        self.stack
            .iter_mut()
            .rev()
            .find(|n| n.kind() != ProvisionKind::Row)
    }

    /// Text that continues the innermost open provision (or the preamble).
    /// After a table's rows, a line (the next table's title, 備考) is a line
    /// of the table part of its own.
    pub fn text(&mut self, text: &str) {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        if self.stack.is_empty() {
            self.preamble.push(text.to_string());
            return;
        }
        if self.current() == Some(ProvisionKind::Row) {
            self.open_row(text);
            return;
        }
        self.ensure_paragraph();
        let (text, notes) = split_notes(text);
        if let Some(node) = self.stack.last_mut() {
            node.notes.extend(notes);
            if text.is_empty() {
                return;
            }
            if !node.text.is_empty() {
                node.text.push('\n');
            }
            node.text.push_str(&text);
        }
    }

    /// An amendment-history note that stands on its own line.
    pub fn note(&mut self, note: &str) {
        let note = note.trim();
        if note.is_empty() {
            return;
        }
        // A note after an article's items belongs to the article, one after
        // a table's rows to what holds the table.
        let article = self
            .stack
            .iter()
            .rposition(|n| n.kind() == ProvisionKind::Article);
        let target = match article {
            Some(at) => self.stack.get_mut(at),
            None => self.holder(),
        };
        if let Some(node) = target {
            node.notes.push(note.to_string());
        }
    }

    /// Closes everything and computes citations, normal forms and offsets.
    pub fn finish(mut self) -> Document {
        self.flush_caption();
        while !self.stack.is_empty() {
            self.close_top();
        }
        let kind = self
            .kind
            .unwrap_or_else(|| DocKind::infer(self.number.as_deref(), &self.title));
        let date = self.date_printed.as_deref().and_then(wareki::to_iso);
        let mut layout = Layout::default();
        let context = Context::default();
        let provisions = finalize_all(self.roots, &context, &mut layout);
        Document {
            file: self.file,
            format: self.format,
            encoding: self.encoding,
            title: self.title,
            number: self.number,
            date,
            date_printed: self.date_printed,
            kind,
            preamble: (!self.preamble.is_empty()).then(|| self.preamble.join("\n")),
            toc: self.toc,
            text: layout.text,
            provisions,
        }
    }
}

/// Removes surrounding （）, (), 「」 or 〔〕 and spaces.
pub fn strip_brackets(text: &str) -> String {
    let t = text.trim();
    let pairs = [('（', '）'), ('(', ')'), ('〔', '〕'), ('［', '］')];
    for (open, close) in pairs {
        if let Some(inner) = t.strip_prefix(open).and_then(|r| r.strip_suffix(close)) {
            return inner.trim().to_string();
        }
    }
    t.to_string()
}

/// A label without the spaces some sources put inside it (附　則 → 附則).
fn compact(label: &str) -> String {
    label.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The document text being laid out, with a running character count.
#[derive(Default)]
struct Layout {
    text: String,
    chars: usize,
}

impl Layout {
    fn push(&mut self, s: &str) {
        self.text.push_str(s);
        self.chars += s.chars().count();
    }
}

/// What a node inherits from its ancestors when its citation is computed.
#[derive(Default, Clone)]
struct Context {
    part: Part,
    citation: String,
    normalized: String,
    /// How many paragraphs the enclosing article has.
    paragraphs: usize,
    /// Numbers are printed the way the enclosing article prints them.
    style: NumeralStyle,
    in_article: bool,
    suppl: Option<SupplInfo>,
}

fn finalize_all(nodes: Vec<Node>, context: &Context, layout: &mut Layout) -> Vec<Provision> {
    let mut counters = Counters::default();
    nodes
        .into_iter()
        .map(|node| finalize(node, context, layout, &mut counters))
        .collect()
}

/// Per-sibling-list counters for nodes that carry no number of their own.
#[derive(Default)]
struct Counters {
    appendix: u32,
    items: u32,
    divisions: u32,
    rows: u32,
}

fn finalize(
    node: Node,
    parent: &Context,
    layout: &mut Layout,
    counters: &mut Counters,
) -> Provision {
    let kind = node.kind();
    let (segment, citation) = identify(&node, parent, counters);
    let normalized = join_path(&parent.normalized, &segment);
    let mut context = child_context(&node, parent, &citation, &normalized);
    if matches!(kind, ProvisionKind::Article | ProvisionKind::Suppl) {
        context.paragraphs = node
            .children
            .iter()
            .filter(|c| c.kind() == ProvisionKind::Paragraph)
            .count();
    }
    let (start, end) = lay_out(&node, layout);
    let children = finalize_all(node.children, &context, layout);
    Provision {
        kind,
        part: context.part,
        label: node.label,
        caption: node.caption,
        citation,
        normalized,
        text: node.text,
        start,
        end,
        notes: node.notes,
        suppl: node.suppl,
        depth: node.depth,
        children,
    }
}

/// The context children of `node` see.
fn child_context(node: &Node, parent: &Context, citation: &str, normalized: &str) -> Context {
    let kind = node.kind();
    let mut context = parent.clone();
    match kind {
        ProvisionKind::Suppl => {
            context.part = Part::Suppl;
            context.citation = citation.to_string();
            context.normalized = normalized.to_string();
            context.suppl = node.suppl.clone();
        }
        ProvisionKind::Appendix => {
            context.part = Part::Appendix;
            context.citation = citation.to_string();
            context.normalized = normalized.to_string();
        }
        // Divisions do not enter the citation of what they hold.
        ProvisionKind::Part
        | ProvisionKind::Chapter
        | ProvisionKind::Section
        | ProvisionKind::Subsection
        | ProvisionKind::Division => {}
        ProvisionKind::Article => {
            context.citation = citation.to_string();
            context.normalized = normalized.to_string();
            context.style = NumeralStyle::of(&node.label);
            context.in_article = true;
        }
        ProvisionKind::Paragraph
        | ProvisionKind::Item
        | ProvisionKind::Subitem
        | ProvisionKind::Row => {
            context.citation = citation.to_string();
            context.normalized = normalized.to_string();
        }
    }
    context
}

/// The node's normal-form segment and its citation.
fn identify(node: &Node, parent: &Context, counters: &mut Counters) -> (String, String) {
    let label = node.label.as_str();
    match node.kind() {
        ProvisionKind::Suppl => {
            let index = node.suppl.as_ref().map_or(1, |s| s.index);
            let citation = match node.suppl.as_ref().and_then(|s| s.amendment.as_deref()) {
                Some(amendment) => format!("{label}（{amendment}）"),
                None => label.to_string(),
            };
            (format!("S{index}"), citation)
        }
        ProvisionKind::Appendix => {
            counters.appendix += 1;
            let number = label_numbers(label, '表')
                .or_else(|| label_numbers(label, '号'))
                .map(|n| join_numbers(&n))
                .unwrap_or_else(|| counters.appendix.to_string());
            (format!("A{number}"), format!("{}{label}", parent.citation))
        }
        kind @ (ProvisionKind::Part
        | ProvisionKind::Chapter
        | ProvisionKind::Section
        | ProvisionKind::Subsection
        | ProvisionKind::Division) => {
            counters.divisions += 1;
            let unit = kind.division_unit().unwrap_or('章');
            let number = label_numbers(label, unit)
                .map(|n| join_numbers(&n))
                .unwrap_or_else(|| counters.divisions.to_string());
            let name = format!("{kind:?}").to_lowercase();
            (format!("{name}{number}"), label.to_string())
        }
        ProvisionKind::Article => {
            let segment = article_segment(label);
            (segment, format!("{}{label}", parent.citation))
        }
        ProvisionKind::Paragraph => {
            let number = node.number.unwrap_or(1);
            let only_first = number == 1 && parent.paragraphs <= 1 && !parent.citation.is_empty();
            let style = if parent.in_article || label.is_empty() {
                parent.style
            } else {
                NumeralStyle::of(label)
            };
            let citation = if only_first {
                parent.citation.clone()
            } else {
                format!("{}第{}項", parent.citation, style.print(number))
            };
            let segment = if parent.in_article {
                number.to_string()
            } else {
                format!("0/{number}")
            };
            (segment, citation)
        }
        ProvisionKind::Item => {
            counters.items += 1;
            let number = item_number(label).unwrap_or(counters.items);
            let style = NumeralStyle::of(label);
            (
                number.to_string(),
                format!("{}第{}号", parent.citation, style.print(number)),
            )
        }
        ProvisionKind::Subitem => (
            canonical_label(label),
            format!("{}{label}", parent.citation),
        ),
        // Rows are counted, as a reader counts them down the printed tables.
        ProvisionKind::Row => {
            counters.rows += 1;
            let number = counters.rows;
            (
                format!("r{number}"),
                format!("{}（第{number}行）", parent.citation),
            )
        }
    }
}

/// 第十二条の二 → 12-2; 第六条から第八条まで → 6:8; anything else verbatim.
fn article_segment(label: &str) -> String {
    if let Some(numbers) = label_numbers(label, '条') {
        return join_numbers(&numbers);
    }
    let parts: Vec<String> = label
        .replace("から", "・")
        .replace("及び", "・")
        .replace("および", "・")
        .replace("乃至", "・")
        .trim_end_matches("まで")
        .split('・')
        .filter_map(|p| label_numbers(p, '条').map(|n| join_numbers(&n)))
        .collect();
    match parts.as_slice() {
        [first, .., last] => format!("{first}:{last}"),
        _ => canonical_label(label),
    }
}

fn join_path(parent: &str, segment: &str) -> String {
    if parent.is_empty() {
        segment.to_string()
    } else {
        format!("{parent}/{segment}")
    }
}

/// Writes the node's lines into the document text; returns its text's offsets.
fn lay_out(node: &Node, layout: &mut Layout) -> (usize, usize) {
    let kind = node.kind();
    match kind {
        ProvisionKind::Article | ProvisionKind::Paragraph => {
            if let Some(caption) = &node.caption {
                layout.push(&format!("（{caption}）\n"));
            }
        }
        _ => {}
    }
    match kind {
        ProvisionKind::Article => {
            layout.push(&node.label);
            let inline = node.children.first().is_some_and(|c| {
                c.kind() == ProvisionKind::Paragraph && c.label.is_empty() && c.caption.is_none()
            });
            layout.push(if inline { "　" } else { "\n" });
            (layout.chars, layout.chars)
        }
        ProvisionKind::Paragraph
        | ProvisionKind::Item
        | ProvisionKind::Subitem
        | ProvisionKind::Row => {
            if !node.label.is_empty() {
                layout.push(&node.label);
                layout.push("　");
            }
            text_line(node, layout)
        }
        _ => {
            layout.push(&node.label);
            let heading = match &node.suppl {
                Some(info) => Some(info.heading.clone()),
                None => node.caption.as_ref().map(|c| format!("　{c}")),
            };
            layout.push(&heading.unwrap_or_default());
            layout.push("\n");
            if node.text.is_empty() {
                (layout.chars, layout.chars)
            } else {
                text_line(node, layout)
            }
        }
    }
}

fn text_line(node: &Node, layout: &mut Layout) -> (usize, usize) {
    let start = layout.chars;
    layout.push(&node.text);
    let end = layout.chars;
    layout.push("\n");
    (start, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Document {
        let mut b = Builder::new("t.txt", Format::Text, "UTF-8");
        b.title("つばき町公園条例");
        b.number("条例第九号");
        b.date("平成十五年三月二十日");
        b.division(ProvisionKind::Chapter, "第一章", "総則");
        b.caption("（目的）");
        b.article("第一条");
        b.text("この条例は、公園の設置及び管理について定める。");
        b.caption("（許可）");
        b.article("第十二条の二");
        b.text("次に掲げる行為をしようとする者は、町長の許可を受けなければならない。");
        assert!(b.item("一", "物品を販売すること。"));
        assert!(b.item("イ", "露店"));
        assert!(b.item("(1)", "飲食物"));
        assert!(b.item("ロ", "屋台"));
        assert!(b.item("二", "集会を催すこと。（平一五条例四六・一部改正）"));
        b.paragraph("２", None, "前項の許可には条件を付することができる。");
        b.paragraph("３", None, "申請は書面により行う。");
        assert!(b.item("一", "住所"));
        b.suppl("附　則", "");
        b.text("この条例は、公布の日から施行する。");
        b.suppl("附　則", "（平成二十年三月十八日条例第五号）　抄");
        b.paragraph("１", None, "この条例は、平成二十年四月一日から施行する。");
        b.paragraph("２", None, "経過措置");
        b.appendix("別表第一", "（第五条関係）");
        b.text("区分　金額");
        b.finish()
    }

    #[test]
    fn builds_citations_and_normal_forms() {
        let doc = sample();
        assert_eq!(doc.date.as_deref(), Some("2003-03-20"));
        assert_eq!(doc.kind, DocKind::Ordinance);
        let cites: Vec<(ProvisionKind, &str, &str)> = doc
            .walk()
            .iter()
            .map(|p| (p.kind, p.citation.as_str(), p.normalized.as_str()))
            .collect();
        let expect = [
            (ProvisionKind::Chapter, "第一章", "chapter1"),
            (ProvisionKind::Article, "第一条", "1"),
            (ProvisionKind::Paragraph, "第一条", "1/1"),
            (ProvisionKind::Article, "第十二条の二", "12-2"),
            (ProvisionKind::Paragraph, "第十二条の二第一項", "12-2/1"),
            (ProvisionKind::Item, "第十二条の二第一項第一号", "12-2/1/1"),
            (
                ProvisionKind::Subitem,
                "第十二条の二第一項第一号イ",
                "12-2/1/1/イ",
            ),
            (
                ProvisionKind::Subitem,
                "第十二条の二第一項第一号イ(1)",
                "12-2/1/1/イ/(1)",
            ),
            (
                ProvisionKind::Subitem,
                "第十二条の二第一項第一号ロ",
                "12-2/1/1/ロ",
            ),
            (ProvisionKind::Item, "第十二条の二第一項第二号", "12-2/1/2"),
            (ProvisionKind::Paragraph, "第十二条の二第二項", "12-2/2"),
            (ProvisionKind::Paragraph, "第十二条の二第三項", "12-2/3"),
            (ProvisionKind::Item, "第十二条の二第三項第一号", "12-2/3/1"),
            (ProvisionKind::Suppl, "附則", "S1"),
            (ProvisionKind::Paragraph, "附則", "S1/0/1"),
            (
                ProvisionKind::Suppl,
                "附則（平成二十年三月十八日条例第五号）",
                "S2",
            ),
            (
                ProvisionKind::Paragraph,
                "附則（平成二十年三月十八日条例第五号）第１項",
                "S2/0/1",
            ),
            (
                ProvisionKind::Paragraph,
                "附則（平成二十年三月十八日条例第五号）第２項",
                "S2/0/2",
            ),
            (ProvisionKind::Appendix, "別表第一", "A1"),
        ];
        assert_eq!(cites, expect);
    }

    #[test]
    fn keeps_history_notes_apart_and_offsets_exact() {
        let doc = sample();
        let item = doc
            .walk()
            .into_iter()
            .find(|p| p.normalized == "12-2/1/2")
            .cloned();
        let item = item.expect("item two exists");
        assert_eq!(item.text, "集会を催すこと。");
        assert_eq!(item.notes, vec!["（平一五条例四六・一部改正）".to_string()]);
        for p in doc.walk() {
            let slice: String = doc
                .text
                .chars()
                .skip(p.start)
                .take(p.end - p.start)
                .collect();
            assert_eq!(slice, p.text, "{}", p.citation);
        }
        let suppl = &doc.provisions[1];
        let info = suppl.suppl.as_ref().expect("suppl info");
        assert_eq!(info.index, 1);
        let second = doc.provisions[2].suppl.as_ref().expect("suppl info");
        assert_eq!(second.date.as_deref(), Some("2008-03-18"));
        assert!(second.extract);
    }

    fn cells(cells: &[&str]) -> Vec<String> {
        cells.iter().map(|c| c.to_string()).collect()
    }

    /// A 別表's rows are provisions of their own, cited by their place; a
    /// table in an article stays a line of the paragraph's text.
    #[test]
    fn table_rows_in_an_appendix_are_provisions() {
        let mut b = Builder::new("t.txt", Format::Text, "UTF-8");
        b.title("手数料条例");
        b.article("第一条");
        b.text("手数料は、次のとおりとする。");
        b.row(&cells(&["区分", "金額"]));
        b.appendix("別表第三", "（第五条関係）");
        b.text("手数料の額は、次のとおりとする。");
        b.row(&cells(&["区分", " 金額 "]));
        b.row(&cells(&["", "　"]));
        b.row(&cells(&["証明書の交付", "", "一通につき三百円"]));
        b.note("（平一五条例四六・一部改正）");
        b.text("備考　申請書を提出しなければならない。");
        b.appendix("別表第四", "");
        b.item_at(0, "一", "台帳");
        b.row(&cells(&["甲", "乙"]));
        b.item_at(0, "二", "名簿");
        let doc = b.finish();
        let got: Vec<(ProvisionKind, &str, &str, &str)> = doc
            .walk()
            .iter()
            .map(|p| {
                let (kind, citation) = (p.kind, p.citation.as_str());
                (kind, citation, p.normalized.as_str(), p.text.as_str())
            })
            .collect();
        let paragraph = "手数料は、次のとおりとする。\n区分　金額";
        let expect = [
            (ProvisionKind::Article, "第一条", "1", ""),
            (ProvisionKind::Paragraph, "第一条", "1/1", paragraph),
            (
                ProvisionKind::Appendix,
                "別表第三",
                "A1",
                "手数料の額は、次のとおりとする。",
            ),
            (
                ProvisionKind::Row,
                "別表第三（第1行）",
                "A1/r1",
                "区分　金額",
            ),
            (
                ProvisionKind::Row,
                "別表第三（第2行）",
                "A1/r2",
                "証明書の交付　一通につき三百円",
            ),
            (
                ProvisionKind::Row,
                "別表第三（第3行）",
                "A1/r3",
                "備考　申請書を提出しなければならない。",
            ),
            (ProvisionKind::Appendix, "別表第四", "A2", ""),
            (ProvisionKind::Item, "別表第四第一号", "A2/1", "台帳"),
            (
                ProvisionKind::Row,
                "別表第四第一号（第1行）",
                "A2/1/r1",
                "甲　乙",
            ),
            (ProvisionKind::Item, "別表第四第二号", "A2/2", "名簿"),
        ];
        assert_eq!(got, expect);
        let appendix = &doc.provisions[1];
        assert_eq!(appendix.notes, ["（平一五条例四六・一部改正）"]);
        assert!(appendix.children.iter().all(|r| r.part == Part::Appendix));
        // Rows are laid out in order, each on its own line, offsets exact.
        assert!(
            doc.text
                .contains("区分　金額\n証明書の交付　一通につき三百円\n備考　")
        );
        for p in doc.walk() {
            let slice: String = doc
                .text
                .chars()
                .skip(p.start)
                .take(p.end - p.start)
                .collect();
            assert_eq!(slice, p.text, "{}", p.citation);
        }
    }

    #[test]
    fn splits_only_real_history_notes() {
        let (t, n) = split_notes("届け出なければならない。（平25規則75・旧第２条繰下・一部改正）");
        assert_eq!(t, "届け出なければならない。");
        assert_eq!(n.len(), 1);
        let (t, n) = split_notes("建築基準法（昭和二十五年法律第二百一号）");
        assert_eq!(t, "建築基準法（昭和二十五年法律第二百一号）");
        assert!(n.is_empty());
        let (_, n) =
            split_notes("定める。（追加〔平成二四年規則二九号〕、一部改正〔令和元年規則六号〕）");
        assert_eq!(n.len(), 1);
    }
}
