//! What the templates see: plain serialisable data built from the documents,
//! findings and rules. No HTML is built here; text goes to the templates as
//! text (highlights as segments) and the templates escape it.

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;

use super::anchor::{anchor, division_anchor};
use super::highlight::{Segment, Span, char_offsets, segments};
use super::spool::SpooledDocument;
use crate::matching::{Finding, Priority, Tally};
use crate::rules::RuleSet;
use crate::structure::{DocKind, Document, Part, Provision, ProvisionKind};

/// How many 例規 the overview ranks.
const TOP_DOCUMENTS: usize = 20;

/// A 類型 as the report names it.
#[derive(Debug, Clone, Serialize)]
pub struct CodeInfo {
    pub code: String,
    pub name: String,
    pub explain: String,
    pub phase: String,
    pub technology: String,
    /// File stem of its page (codes/<page>.html).
    pub page: String,
}

/// One row of a table of 例規.
#[derive(Debug, Clone, Serialize)]
pub struct DocRow {
    pub title: String,
    pub number: Option<String>,
    pub kind: String,
    pub file: String,
    /// Link from the site's root.
    pub href: String,
    pub counts: Tally,
}

/// One 類型 row of the overview table (and bar of the chart).
#[derive(Debug, Clone, Serialize)]
pub struct CodeRow {
    pub code: String,
    pub name: String,
    pub href: String,
    pub counts: Tally,
}

/// 例規 by kind.
#[derive(Debug, Clone, Serialize)]
pub struct KindRow {
    pub kind: String,
    pub documents: usize,
    pub findings: usize,
}

/// A horizontal stacked bar chart, laid out in numbers for an inline SVG.
#[derive(Debug, Clone, Serialize)]
pub struct Chart {
    pub width: u32,
    pub height: u32,
    pub label_width: u32,
    pub bars: Vec<ChartBar>,
    pub ticks: Vec<ChartTick>,
    pub axis_y: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartBar {
    pub label: String,
    pub href: String,
    pub y: u32,
    pub text_y: u32,
    pub total: usize,
    pub total_x: u32,
    pub parts: Vec<ChartPart>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartPart {
    /// high, medium, low
    pub class: &'static str,
    pub label: &'static str,
    pub x: u32,
    pub width: u32,
    pub value: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChartTick {
    pub x: u32,
    pub value: usize,
}

/// The filterable data embedded in a page (compact keys keep big pages small).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Explorer {
    /// 例規: t title, k kind, h link (from the site's root, "" when none), n number.
    pub docs: Vec<ExplorerDoc>,
    /// code → 類型 name.
    pub codes: BTreeMap<String, String>,
    pub findings: Vec<Record>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ExplorerDoc {
    pub t: String,
    pub k: String,
    pub h: String,
    pub n: String,
}

/// One finding in the filterable data.
#[derive(Debug, Clone, Serialize)]
pub struct Record {
    /// id
    pub i: String,
    /// index into `docs`
    pub d: usize,
    /// code
    pub c: String,
    /// priority: high, medium, low
    pub p: Priority,
    /// digital alternative
    pub a: bool,
    /// citation as printed
    pub t: String,
    /// caption (見出し)
    pub m: String,
    /// excerpt (shortened on the overview and 類型 pages)
    pub x: String,
    /// anchor of the provision on the 例規's page
    pub h: String,
}

/// What the overview and the 類型 pages show of a finding. A report keeps one
/// for every finding while it makes its pages; a 例規's own page reads its
/// findings whole.
#[derive(Debug, Clone)]
pub struct Brief {
    pub id: String,
    pub code: String,
    /// 類型 as the finding names it.
    pub code_name: String,
    pub priority: Priority,
    pub digital_alternative: bool,
    /// 条項 as printed.
    pub citation: String,
    pub caption: Option<String>,
    /// The excerpt, cut to at most the length a 類型 page shows.
    pub excerpt: String,
    /// The anchor of its provision on its 例規's page ("" when none).
    pub anchor: String,
}

impl Brief {
    /// The brief of `finding`, whose provision has `anchor`; its excerpt is
    /// cut to `shorten` characters when given.
    pub fn of(finding: &Finding, anchor: String, shorten: Option<usize>) -> Brief {
        Brief {
            id: finding.id.clone(),
            code: finding.code.clone(),
            code_name: finding.code_name.clone(),
            priority: finding.priority,
            digital_alternative: finding.digital_alternative,
            citation: finding.citation.clone(),
            caption: finding.caption.clone(),
            excerpt: match shorten {
                Some(max) => short_excerpt(&finding.excerpt, max),
                None => finding.excerpt.clone(),
            },
            anchor,
        }
    }
}

/// The priority counts of `briefs`.
pub fn tally<'a>(briefs: impl IntoIterator<Item = &'a Brief>) -> Tally {
    let mut tally = Tally::default();
    for brief in briefs {
        tally.count(brief.priority, brief.digital_alternative);
    }
    tally
}

/// A finding listed with its 例規.
#[derive(Clone, Copy)]
pub struct Listed<'a> {
    pub document: &'a SpooledDocument,
    pub brief: &'a Brief,
}

/// A provision laid out for a document page.
#[derive(Debug, Clone, Serialize)]
pub struct Block {
    /// article, paragraph, item, subitem, suppl, appendix, chapter, section …
    pub kind: &'static str,
    pub part: Part,
    pub anchor: String,
    /// The label to print before the text (第4条 for an article's first paragraph).
    pub label: String,
    pub caption: Option<String>,
    /// 編・章・節, 附則 and 別表 headings.
    pub heading: bool,
    /// What follows 附則 in its heading.
    pub suppl_heading: String,
    pub segments: Vec<Segment>,
    pub notes: Vec<String>,
    pub badges: Vec<Badge>,
    /// Depth of a sub-item (1 for イ).
    pub depth: u8,
    pub citation: String,
    pub children: Vec<Block>,
}

/// A finding's badge beside its provision.
#[derive(Debug, Clone, Serialize)]
pub struct Badge {
    pub id: String,
    pub code: String,
    pub code_name: String,
    pub priority: Priority,
    pub priority_ja: &'static str,
    pub digital: bool,
}

/// A checklist row on a document page.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub id: String,
    pub anchor: String,
    pub citation: String,
    pub caption: Option<String>,
    pub code: String,
    pub code_name: String,
    pub code_href: String,
    pub priority: Priority,
    pub priority_ja: &'static str,
    pub digital: bool,
    pub excerpt: String,
    pub grounds: Vec<String>,
    pub matched: Vec<String>,
    pub phase: String,
    pub technology: String,
    /// new / unchanged / changed / resolved ("" when there is no review).
    pub status: &'static str,
    /// 新規 / 変更なし / 要再確認 / 解消.
    pub status_ja: &'static str,
    /// What changed since the decision was made.
    pub change: String,
    /// The excerpt when the decision was made, if it differs.
    pub previous: String,
    /// The reviewer's filled-in cells (該非, 見直し方針 …).
    pub decisions: Vec<(String, String)>,
    /// 根拠の区分: 法令, 条例, 独自 ("" when unknown).
    pub basis_kind: &'static str,
    /// 根拠法令, each linked where the report can (see [`link_basis`]).
    pub basis: Vec<Link>,
    /// The cited national provisions as `--laws` has them.
    pub national: Vec<NationalRow>,
    /// Provisions elsewhere of the same 類型 that already allow a digital
    /// way (`--precedents`).
    pub precedents: Vec<crate::matching::PrecedentNote>,
}

/// A text and, when the report can link it, where to.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Link {
    pub text: String,
    pub href: String,
}

/// A cited national provision on a document page.
#[derive(Debug, Clone, Serialize)]
pub struct NationalRow {
    pub reference: String,
    /// The statute's current title in the folder of national texts.
    pub title: String,
    /// Its current text; "" when the statute has no such place.
    pub text: String,
    pub digital: bool,
    /// Its page on e-Gov 法令検索.
    pub href: String,
}

/// Links each 根拠法令 of a row: a statute the report holds a page of (a
/// 条例 of the same 例規集) links to that page, a national statute found in
/// `--laws` to its page on e-Gov 法令検索.
pub fn link_basis(
    rows: &mut [Row],
    finding_statutes: &[Vec<String>],
    pages_by_title: &HashMap<&str, String>,
) {
    for (row, statutes) in rows.iter_mut().zip(finding_statutes) {
        for link in &mut row.basis {
            let statute = statutes
                .iter()
                .filter(|t| link.text.starts_with(t.as_str()))
                .max_by_key(|t| t.len());
            if let Some(page) = statute.and_then(|t| pages_by_title.get(t.as_str())) {
                link.href = format!("{page}.html");
                continue;
            }
            if let Some(national) = row.national.iter().find(|n| n.reference == link.text) {
                link.href = national.href.clone();
            }
        }
    }
}

/// The document's heading data.
#[derive(Debug, Clone, Serialize)]
pub struct DocHead {
    pub title: String,
    pub number: Option<String>,
    pub date: Option<String>,
    pub date_printed: Option<String>,
    pub kind: String,
    pub file: String,
    pub format: String,
    pub encoding: String,
    pub preamble: Option<String>,
    pub toc: Vec<String>,
}

/// The 類型 of the rules, in the rules' order, then any other code found.
pub fn code_infos<'a>(
    rules: &RuleSet,
    briefs: impl IntoIterator<Item = &'a Brief>,
) -> Vec<CodeInfo> {
    let mut infos: Vec<CodeInfo> = rules
        .codes
        .iter()
        .map(|c| CodeInfo {
            code: c.code.clone(),
            name: c.name.clone(),
            explain: c.explain.clone(),
            phase: c.phase.clone(),
            technology: c.technology.clone(),
            page: super::anchor::safe_name_plain(&c.code),
        })
        .collect();
    for brief in briefs {
        if !infos.iter().any(|c| c.code == brief.code) {
            let name = match brief.code_name.as_str() {
                "" => rules
                    .taxonomy
                    .name(&brief.code)
                    .unwrap_or(&brief.code)
                    .to_string(),
                name => name.to_string(),
            };
            // A code outside the rules has no direction or technology to show.
            infos.push(CodeInfo {
                code: brief.code.clone(),
                name,
                explain: String::new(),
                phase: String::new(),
                technology: String::new(),
                page: super::anchor::safe_name_plain(&brief.code),
            });
        }
    }
    infos
}

/// Rows of the 類型 × priority table.
pub fn code_rows(infos: &[CodeInfo], listed: &[Listed<'_>]) -> Vec<CodeRow> {
    infos
        .iter()
        .map(|info| CodeRow {
            code: info.code.clone(),
            name: info.name.clone(),
            href: format!("codes/{}.html", info.page),
            counts: tally(
                listed
                    .iter()
                    .map(|l| l.brief)
                    .filter(|b| b.code == info.code),
            ),
        })
        .collect()
}

/// 例規 by kind, in the order of `DocKind`.
pub fn kind_rows(documents: &[SpooledDocument]) -> Vec<KindRow> {
    let mut kinds: Vec<DocKind> = documents.iter().map(|d| d.kind).collect();
    kinds.sort();
    kinds.dedup();
    kinds
        .into_iter()
        .map(|kind| {
            let of_kind = documents.iter().filter(|d| d.kind == kind);
            KindRow {
                kind: kind.japanese().to_string(),
                documents: of_kind.clone().count(),
                findings: of_kind.map(|d| d.briefs.len()).sum(),
            }
        })
        .collect()
}

/// The 例規 with the most open (not yet digital) findings.
pub fn top_documents(rows: &[DocRow]) -> Vec<DocRow> {
    let mut ranked: Vec<&DocRow> = rows.iter().filter(|r| r.counts.total > 0).collect();
    ranked.sort_by(|a, b| {
        b.counts
            .open
            .cmp(&a.counts.open)
            .then(b.counts.high.cmp(&a.counts.high))
            .then(b.counts.total.cmp(&a.counts.total))
            .then(a.file.cmp(&b.file))
    });
    ranked.into_iter().take(TOP_DOCUMENTS).cloned().collect()
}

/// The bar chart of findings by 類型 and priority.
pub fn chart(rows: &[CodeRow]) -> Chart {
    const WIDTH: u32 = 720;
    const LABEL: u32 = 170;
    const BAR: u32 = 22;
    const GAP: u32 = 10;
    const TOP: u32 = 8;
    let plot = WIDTH - LABEL - 60;
    let max = rows
        .iter()
        .map(|r| r.counts.total)
        .max()
        .unwrap_or(0)
        .max(1);
    let step = nice_step(max);
    let scale = |n: usize| (n as u64 * u64::from(plot) / (max as u64)) as u32;
    let bars: Vec<ChartBar> = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let y = TOP + i as u32 * (BAR + GAP);
            let mut x = LABEL;
            let mut parts = Vec::new();
            for (class, label, value) in [
                ("high", "高", row.counts.high),
                ("medium", "中", row.counts.medium),
                ("low", "低", row.counts.low),
            ] {
                let width = scale(value);
                if value > 0 {
                    parts.push(ChartPart {
                        class,
                        label,
                        x,
                        width: width.max(1),
                        value,
                    });
                }
                x += width;
            }
            ChartBar {
                label: row.name.clone(),
                href: row.href.clone(),
                y,
                text_y: y + BAR / 2 + 5,
                total: row.counts.total,
                total_x: x + 6,
                parts,
            }
        })
        .collect();
    let axis_y = TOP + rows.len() as u32 * (BAR + GAP);
    let ticks = (0..=max / step)
        .map(|k| ChartTick {
            x: LABEL + scale(k * step),
            value: k * step,
        })
        .collect();
    Chart {
        width: WIDTH,
        height: axis_y + 24,
        label_width: LABEL,
        bars,
        ticks,
        axis_y,
    }
}

/// 1, 2 or 5 times a power of ten, giving at most about 6 ticks.
fn nice_step(max: usize) -> usize {
    let mut power = 1;
    loop {
        for factor in [1, 2, 5] {
            if max / (factor * power) <= 6 {
                return factor * power;
            }
        }
        power *= 10;
    }
}

/// A shorter excerpt (at most `max` characters) around the first marked word.
fn short_excerpt(excerpt: &str, max: usize) -> String {
    let chars: Vec<char> = excerpt.chars().collect();
    if chars.len() <= max {
        return excerpt.to_string();
    }
    let mark = chars.iter().position(|c| *c == '【').unwrap_or(0);
    let start = mark.saturating_sub(max / 4);
    let end = (start + max).min(chars.len());
    let start = end.saturating_sub(max);
    let mut out = String::new();
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// The filterable data of a set of findings; `shorten` cuts excerpts
/// further, to that many characters (the overview carries every finding, so
/// it keeps them short). `pages` gives each file's page name.
pub fn explorer(
    listed: &[Listed<'_>],
    infos: &[CodeInfo],
    pages: &HashMap<&str, String>,
    shorten: Option<usize>,
) -> Explorer {
    let mut data = Explorer {
        codes: infos
            .iter()
            .map(|c| (c.code.clone(), c.name.clone()))
            .collect(),
        ..Explorer::default()
    };
    let mut doc_index: HashMap<&str, usize> = HashMap::new();
    for Listed { document, brief } in listed {
        let d = *doc_index.entry(document.file.as_str()).or_insert_with(|| {
            data.docs.push(ExplorerDoc {
                t: document.title.clone(),
                k: document.kind.japanese().to_string(),
                h: pages
                    .get(document.file.as_str())
                    .map_or_else(String::new, |p| format!("docs/{p}.html")),
                n: document.number.clone().unwrap_or_default(),
            });
            data.docs.len() - 1
        });
        data.findings.push(Record {
            i: brief.id.clone(),
            d,
            c: brief.code.clone(),
            p: brief.priority,
            a: brief.digital_alternative,
            t: brief.citation.clone(),
            m: brief.caption.clone().unwrap_or_default(),
            x: match shorten {
                Some(max) => short_excerpt(&brief.excerpt, max),
                None => brief.excerpt.clone(),
            },
            h: brief.anchor.clone(),
        });
    }
    data
}

/// The anchors of a document's provisions by normal form (the first one wins).
pub fn anchors_of(document: &Document) -> Vec<(&str, String)> {
    let mut out = Vec::new();
    let mut used: HashMap<String, usize> = HashMap::new();
    for provision in &document.provisions {
        collect_anchors(provision, None, &mut used, &mut out);
    }
    out
}

fn collect_anchors<'d>(
    provision: &'d Provision,
    parent_division: Option<&str>,
    used: &mut HashMap<String, usize>,
    out: &mut Vec<(&'d str, String)>,
) {
    let id = unique(own_anchor(provision, parent_division), used);
    out.push((provision.normalized.as_str(), id.clone()));
    let division = provision.kind.division_unit().map(|_| id.as_str());
    for child in &provision.children {
        collect_anchors(child, division.or(parent_division), used, out);
    }
}

fn own_anchor(provision: &Provision, parent_division: Option<&str>) -> String {
    if provision.kind.division_unit().is_some() {
        division_anchor(&provision.normalized, parent_division)
    } else {
        anchor(&provision.normalized)
    }
}

fn unique(id: String, used: &mut HashMap<String, usize>) -> String {
    let count = used.entry(id.clone()).or_insert(0);
    *count += 1;
    if *count == 1 {
        id
    } else {
        format!("{id}-{count}")
    }
}

fn kind_name(kind: ProvisionKind) -> &'static str {
    match kind {
        ProvisionKind::Part => "part",
        ProvisionKind::Chapter => "chapter",
        ProvisionKind::Section => "section",
        ProvisionKind::Subsection => "subsection",
        ProvisionKind::Division => "division",
        ProvisionKind::Article => "article",
        ProvisionKind::Paragraph => "paragraph",
        ProvisionKind::Item => "item",
        ProvisionKind::Subitem => "subitem",
        ProvisionKind::Suppl => "suppl",
        ProvisionKind::Appendix => "appendix",
        // Not "row": the checklist's entries are `.row`s.
        ProvisionKind::Row => "table-row",
    }
}

/// The page data of one 例規: heading, laid-out provisions and checklist rows.
pub struct DocumentPage {
    pub head: DocHead,
    pub blocks: Vec<Block>,
    pub rows: Vec<Row>,
}

/// Lays out a document with its findings (those whose `file` is the document's).
pub fn document_page(
    document: &Document,
    findings: &[&Finding],
    infos: &[CodeInfo],
) -> DocumentPage {
    let offsets = char_offsets(&document.text);
    let spans: Vec<Span<'_>> = findings
        .iter()
        .flat_map(|f| {
            f.matched.iter().map(|m| Span {
                start: m.start,
                end: m.end,
                id: f.id.as_str(),
                code: f.code.as_str(),
            })
        })
        .collect();
    let mut by_normalized: HashMap<&str, Vec<&Finding>> = HashMap::new();
    for finding in findings {
        by_normalized
            .entry(finding.normalized.as_str())
            .or_default()
            .push(finding);
    }
    let mut layout = Layout {
        document,
        offsets: &offsets,
        spans: &spans,
        by_normalized,
        used: HashMap::new(),
        anchors: HashMap::new(),
    };
    let blocks: Vec<Block> = document
        .provisions
        .iter()
        .map(|p| layout.block(p, None, None))
        .collect();
    let code_page = |code: &str| {
        infos
            .iter()
            .find(|c| c.code == code)
            .map_or_else(String::new, |c| format!("codes/{}.html", c.page))
    };
    let rows = findings
        .iter()
        .map(|f| Row {
            id: f.id.clone(),
            anchor: layout
                .anchors
                .get(f.normalized.as_str())
                .cloned()
                .unwrap_or_default(),
            citation: f.citation.clone(),
            caption: f.caption.clone(),
            code: f.code.clone(),
            code_name: f.code_name.clone(),
            code_href: code_page(&f.code),
            priority: f.priority,
            priority_ja: f.priority.japanese(),
            digital: f.digital_alternative,
            excerpt: f.excerpt.clone(),
            grounds: f
                .rules
                .iter()
                .map(|r| match r.reason.as_str() {
                    "" => format!("{} {}", r.id, r.name),
                    reason => format!("{}: {reason}", r.name),
                })
                .collect(),
            matched: f.matched.iter().map(|m| m.text.clone()).collect(),
            phase: f.phase.clone(),
            technology: f.technology.clone(),
            status: "",
            status_ja: "",
            change: String::new(),
            previous: String::new(),
            decisions: Vec::new(),
            basis_kind: f.basis_kind.map_or("", |k| k.japanese()),
            basis: f
                .basis
                .iter()
                .map(|b| Link {
                    text: b.clone(),
                    href: String::new(),
                })
                .collect(),
            national: f
                .national
                .iter()
                .map(|n| NationalRow {
                    reference: n.reference.clone(),
                    title: n.title.clone(),
                    text: n.text.clone().unwrap_or_default(),
                    digital: n.digital,
                    href: format!("https://laws.e-gov.go.jp/law/{}", n.law_id),
                })
                .collect(),
            precedents: f.precedents.clone(),
        })
        .collect();
    DocumentPage {
        head: DocHead {
            title: document.title.clone(),
            number: document.number.clone(),
            date: document.date.clone(),
            date_printed: document.date_printed.clone(),
            kind: document.kind.japanese().to_string(),
            file: document.file.clone(),
            format: serde_json::to_value(document.format)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            encoding: document.encoding.clone(),
            preamble: document.preamble.clone(),
            toc: document.toc.clone(),
        },
        blocks,
        rows,
    }
}

struct Layout<'a> {
    document: &'a Document,
    offsets: &'a [usize],
    spans: &'a [Span<'a>],
    by_normalized: HashMap<&'a str, Vec<&'a Finding>>,
    used: HashMap<String, usize>,
    /// normalized → anchor (the first provision of a normal form).
    anchors: HashMap<&'a str, String>,
}

impl<'a> Layout<'a> {
    fn block(
        &mut self,
        provision: &'a Provision,
        parent_division: Option<&str>,
        inherited_label: Option<&str>,
    ) -> Block {
        let id = unique(own_anchor(provision, parent_division), &mut self.used);
        self.anchors
            .entry(provision.normalized.as_str())
            .or_insert_with(|| id.clone());
        let is_division = provision.kind.division_unit().is_some();
        let division = if is_division {
            Some(id.clone())
        } else {
            parent_division.map(str::to_string)
        };
        // An article prints its label before its first paragraph's text
        // (第4条　条例を…), as 例規集 do.
        let article_label =
            (provision.kind == ProvisionKind::Article).then_some(provision.label.as_str());
        let mut children = Vec::new();
        for (i, child) in provision.children.iter().enumerate() {
            let inherit = match article_label {
                Some(label) if i == 0 && child.label.is_empty() => Some(label),
                _ => None,
            };
            children.push(self.block(child, division.as_deref(), inherit));
        }
        let label = match (inherited_label, provision.kind) {
            (Some(label), _) => label.to_string(),
            (None, ProvisionKind::Article)
                if children.first().is_some_and(|c| c.label == provision.label) =>
            {
                String::new()
            }
            _ => provision.label.clone(),
        };
        let badges = self
            .by_normalized
            .remove(provision.normalized.as_str())
            .unwrap_or_default()
            .into_iter()
            .map(|f| Badge {
                id: f.id.clone(),
                code: f.code.clone(),
                code_name: f.code_name.clone(),
                priority: f.priority,
                priority_ja: f.priority.japanese(),
                digital: f.digital_alternative,
            })
            .collect();
        Block {
            kind: kind_name(provision.kind),
            part: provision.part,
            anchor: id,
            label,
            caption: provision.caption.clone(),
            heading: is_division
                || matches!(
                    provision.kind,
                    ProvisionKind::Suppl | ProvisionKind::Appendix
                ),
            suppl_heading: provision
                .suppl
                .as_ref()
                .map(|s| s.heading.clone())
                .unwrap_or_default(),
            segments: segments(
                &self.document.text,
                self.offsets,
                provision.start,
                provision.end,
                self.spans,
            ),
            notes: provision.notes.clone(),
            badges,
            depth: provision.depth,
            citation: provision.citation.clone(),
            children,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::short_excerpt;

    /// The overview cuts the excerpts a brief has already cut for the 類型
    /// pages; that must show what cutting the whole excerpt would.
    #[test]
    fn cutting_a_cut_excerpt_shows_what_cutting_the_whole_would() {
        let (overview, code) = (super::super::OVERVIEW_EXCERPT, super::super::CODE_EXCERPT);
        for len in [10_usize, 40, 41, 99, 100, 101, 150, 400] {
            for mark in [
                None,
                Some(0),
                Some(5),
                Some(12),
                Some(25),
                Some(26),
                Some(60),
            ]
            .into_iter()
            .chain(
                [
                    len / 2,
                    len.saturating_sub(80),
                    len.saturating_sub(20),
                    len.saturating_sub(1),
                ]
                .map(Some),
            ) {
                let mut chars: Vec<char> = (0..len)
                    .map(|i| char::from_u32(0x3042 + (i % 80) as u32).unwrap_or('あ'))
                    .collect();
                if let Some(m) = mark.filter(|m| *m < len) {
                    chars[m] = '【';
                }
                let whole: String = chars.into_iter().collect();
                assert_eq!(
                    short_excerpt(&short_excerpt(&whole, code), overview),
                    short_excerpt(&whole, overview),
                    "length {len}, 【 at {mark:?}"
                );
            }
        }
    }
}
