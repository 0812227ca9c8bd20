//! e-Gov 法令標準XML (Law / LawBody / MainProvision / Chapter / Article /
//! Paragraph / Item / Subitem1… / SupplProvision / AppdxTable), read as a stream
//! of events with quick-xml. Every Article, Paragraph, Item and SubitemN element
//! becomes one provision; text is taken from the *Sentence, *Title and table
//! elements; the table of contents and ruby readings are left out.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::ReadError;
use crate::structure::{Builder, DocKind, ProvisionKind};

/// A structural element whose provision is opened once its title and first
/// sentence have been read (or when a child element begins).
#[derive(Debug)]
enum Pending {
    Article {
        num: String,
    },
    Paragraph {
        num: Option<u32>,
        label: String,
        caption: Option<String>,
    },
    Item {
        depth: u8,
        label: String,
    },
    Suppl {
        heading: String,
        label: String,
    },
    Appendix {
        title: String,
    },
}

/// Reading state between events.
#[derive(Default)]
struct State {
    /// Names of the open elements.
    stack: Vec<String>,
    /// Text being collected, and the stack depth where collecting began.
    capture: Option<(usize, String)>,
    pending: Option<Pending>,
    /// Depth inside an element whose content is skipped (TOC, Rt).
    skip_until: Option<usize>,
    seen_law: bool,
}

/// Reads an e-Gov XML document into the builder.
pub fn read(text: &str, builder: &mut Builder) -> Result<(), ReadError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().check_end_names = true;
    let mut state = State::default();
    loop {
        let event = reader.read_event().map_err(|e| ReadError::Xml {
            position: reader.error_position(),
            message: e.to_string(),
        })?;
        match event {
            Event::Start(e) => state.start(&e, builder),
            Event::Empty(e) => {
                state.start(&e, builder);
                state.end(builder);
            }
            Event::End(_) => state.end(builder),
            Event::Text(t) => state.text(&t.xml10_content()),
            Event::CData(t) => state.text(&t.xml10_content()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => quick_xml::escape::resolve_xml_entity(&r.xml10_content())
                        .unwrap_or("")
                        .to_string(),
                };
                state.text(&resolved);
            }
            Event::DocType(d) => {
                // Entities of the DOCTYPE are never expanded (quick-xml does
                // not, and unknown references read as nothing): refuse a file
                // that declares some rather than read it with text missing.
                // This is also what stops "billion laughs" XML bombs.
                let doctype = d.xml10_content();
                if let Some(at) = doctype.find("<!ENTITY") {
                    let name: String = doctype[at + "<!ENTITY".len()..]
                        .split_whitespace()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(40)
                        .collect();
                    return Err(ReadError::XmlEntities {
                        position: reader.buffer_position(),
                        name,
                    });
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some(open) = state.stack.last() {
        return Err(ReadError::XmlTruncated { open: open.clone() });
    }
    if !state.seen_law {
        return Err(ReadError::NotEgovXml);
    }
    state.flush(builder);
    Ok(())
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// Elements whose whole text is collected as one string.
fn is_text_container(name: &str) -> bool {
    name.ends_with("Title")
        || name.ends_with("Sentence")
        || matches!(
            name,
            "LawNum"
                | "ArticleCaption"
                | "ParagraphCaption"
                | "ParagraphNum"
                | "SupplProvisionLabel"
                | "TableRow"
                | "RelatedArticleNum"
                | "RemarksLabel"
        )
}

fn division_kind(name: &str) -> Option<ProvisionKind> {
    Some(match name {
        "Part" => ProvisionKind::Part,
        "Chapter" => ProvisionKind::Chapter,
        "Section" => ProvisionKind::Section,
        "Subsection" => ProvisionKind::Subsection,
        "Division" => ProvisionKind::Division,
        _ => return None,
    })
}

fn is_appendix(name: &str) -> bool {
    name.starts_with("Appdx") && !name.ends_with("Title")
        || name.starts_with("SupplProvisionAppdx") && !name.ends_with("Title")
}

/// Subitem3 → 3.
fn subitem_depth(name: &str) -> Option<u8> {
    name.strip_prefix("Subitem")?.parse().ok()
}

fn law_kind(law_type: &str) -> Option<DocKind> {
    Some(match law_type {
        "Act" => DocKind::Act,
        "CabinetOrder" => DocKind::CabinetOrder,
        "MinisterialOrdinance" => DocKind::MinisterialOrdinance,
        "Rule" => DocKind::Rule,
        _ => return None,
    })
}

fn era_name(era: &str) -> Option<&'static str> {
    Some(match era {
        "Meiji" => "明治",
        "Taisho" => "大正",
        "Showa" => "昭和",
        "Heisei" => "平成",
        "Reiwa" => "令和",
        _ => return None,
    })
}

/// 第一章　総則 → (第一章, 総則).
fn split_heading(text: &str) -> (String, String) {
    let text = text.trim();
    match text.split_once(['　', ' ']) {
        Some((label, title)) => (label.to_string(), title.trim().to_string()),
        None => (text.to_string(), String::new()),
    }
}

impl State {
    fn text(&mut self, text: &str) {
        if self.skip_until.is_some() {
            return;
        }
        if let Some((_, buffer)) = self.capture.as_mut() {
            buffer.push_str(text.trim_matches(['\n', '\r', '\t', ' ']));
        }
    }

    fn start(&mut self, e: &BytesStart<'_>, builder: &mut Builder) {
        let name = e.name().as_ref().to_string();
        self.stack.push(name.clone());
        let depth = self.stack.len();
        if self.skip_until.is_some() {
            return;
        }
        if matches!(name.as_str(), "TOC" | "Rt") {
            self.skip_until = Some(depth);
            return;
        }
        if self.capture.is_some() {
            if name == "Column" || name == "TableColumn" {
                self.separate_columns();
            }
            return;
        }
        self.structure(&name, e, builder);
        if is_text_container(&name) {
            self.capture = Some((depth, String::new()));
        }
    }

    /// Columns of one sentence or row are separated by a full-width space.
    fn separate_columns(&mut self) {
        if let Some((_, buffer)) = self.capture.as_mut()
            && !buffer.is_empty()
            && !buffer.ends_with('　')
        {
            buffer.push('　');
        }
    }

    /// Handles the start of a structural element.
    fn structure(&mut self, name: &str, e: &BytesStart<'_>, builder: &mut Builder) {
        if name == "Law" {
            self.seen_law = true;
            if let Some(kind) = attr(e, "LawType").as_deref().and_then(law_kind) {
                builder.kind(kind);
            }
            let era = attr(e, "Era").as_deref().and_then(era_name);
            let parts = (
                attr(e, "Year"),
                attr(e, "PromulgateMonth"),
                attr(e, "PromulgateDay"),
            );
            if let (Some(era), (Some(y), Some(m), Some(d))) = (era, parts) {
                builder.date(&format!("{era}{y}年{m}月{d}日"));
            }
            return;
        }
        let opens = name == "Article"
            || name == "Paragraph"
            || name == "Item"
            || subitem_depth(name).is_some()
            || name == "SupplProvision"
            || division_kind(name).is_some()
            || is_appendix(name)
            || name == "TableStruct"
            || name == "List";
        if opens {
            self.flush(builder);
        }
        self.pending = match name {
            "Article" => Some(Pending::Article {
                num: attr(e, "Num").unwrap_or_default(),
            }),
            "Paragraph" => Some(Pending::Paragraph {
                num: attr(e, "Num").and_then(|n| n.parse().ok()),
                label: String::new(),
                caption: None,
            }),
            "Item" => Some(Pending::Item {
                depth: 0,
                label: String::new(),
            }),
            "SupplProvision" => Some(Pending::Suppl {
                heading: suppl_heading(e),
                label: String::new(),
            }),
            _ if subitem_depth(name).is_some() => Some(Pending::Item {
                depth: subitem_depth(name).unwrap_or(1),
                label: String::new(),
            }),
            _ if is_appendix(name) => Some(Pending::Appendix {
                title: String::new(),
            }),
            _ => self.pending.take(),
        };
    }

    fn end(&mut self, builder: &mut Builder) {
        let depth = self.stack.len();
        let Some(name) = self.stack.pop() else {
            return;
        };
        if let Some(skip) = self.skip_until {
            if skip == depth {
                self.skip_until = None;
            }
            return;
        }
        if name == "Column" || name == "TableColumn" {
            self.separate_columns();
        }
        match self.capture.take() {
            Some((at, buffer)) if at == depth => {
                let buffer = buffer.trim_end_matches('　').to_string();
                self.collected(&name, buffer, builder);
            }
            other => self.capture = other,
        }
        let closes = matches!(
            name.as_str(),
            "Article" | "Paragraph" | "Item" | "SupplProvision"
        ) || subitem_depth(&name).is_some()
            || is_appendix(&name);
        if closes {
            self.flush(builder);
        }
    }

    /// What to do with the text of a container that just ended.
    fn collected(&mut self, name: &str, text: String, builder: &mut Builder) {
        match (name, self.pending.as_mut()) {
            ("LawNum", _) => builder.number(&text),
            ("LawTitle", _) => builder.title(&text),
            ("ArticleCaption", _) => builder.caption(&text),
            ("ArticleTitle", Some(Pending::Article { .. })) => {
                self.pending = None;
                builder.article(&text);
            }
            ("ParagraphCaption", Some(Pending::Paragraph { caption, .. })) => {
                *caption = Some(text);
            }
            ("ParagraphNum", Some(Pending::Paragraph { label, .. })) => *label = text,
            ("ParagraphSentence", Some(Pending::Paragraph { .. })) => self.open(builder, text),
            (n, Some(Pending::Item { label, .. })) if n.ends_with("Title") => *label = text,
            (n, Some(Pending::Item { .. })) if n.ends_with("Sentence") => self.open(builder, text),
            ("SupplProvisionLabel", Some(Pending::Suppl { label, .. })) => *label = text,
            (n, Some(Pending::Appendix { title }))
                if n.ends_with("Title") || n == "RelatedArticleNum" =>
            {
                title.push_str(&text);
            }
            ("TableRow", _) => {
                self.flush(builder);
                builder.row(std::slice::from_ref(&text));
            }
            (n, _) if division_kind_of_title(n).is_some() => {
                let (label, title) = split_heading(&text);
                let kind = division_kind_of_title(n).unwrap_or(ProvisionKind::Chapter);
                builder.division(kind, &label, &title);
            }
            _ => {
                self.flush(builder);
                builder.text(&text);
            }
        }
    }

    /// Opens the pending provision with its first text.
    fn open(&mut self, builder: &mut Builder, text: String) {
        match self.pending.take() {
            Some(Pending::Paragraph {
                num,
                label,
                caption,
            }) => {
                if let Some(caption) = caption {
                    builder.caption(&caption);
                }
                builder.paragraph(&label, num, &text);
            }
            Some(Pending::Item { depth, label }) => builder.item_at(depth, &label, &text),
            other => {
                self.pending = other;
                self.flush(builder);
                builder.text(&text);
            }
        }
    }

    /// Opens the pending provision without text (a child begins, or it ends).
    fn flush(&mut self, builder: &mut Builder) {
        match self.pending.take() {
            None => {}
            Some(Pending::Article { num }) => {
                builder.article(&format!("第{}条", num.replace('_', "の")))
            }
            Some(p @ (Pending::Paragraph { .. } | Pending::Item { .. })) => {
                self.pending = Some(p);
                self.open(builder, String::new());
            }
            Some(Pending::Suppl { heading, label }) => {
                let label = if label.is_empty() {
                    "附則".to_string()
                } else {
                    label
                };
                builder.suppl(&label, &heading);
            }
            Some(Pending::Appendix { title }) => {
                let (label, rest) = split_appendix_title(&title);
                builder.appendix(&label, &rest);
            }
        }
    }
}

/// The heading of an amendment's 附則: （平成一一年…法律第一六〇号）　抄.
fn suppl_heading(e: &BytesStart<'_>) -> String {
    let mut heading = attr(e, "AmendLawNum")
        .filter(|n| !n.is_empty())
        .map(|n| format!("（{n}）"))
        .unwrap_or_default();
    if attr(e, "Extract").as_deref() == Some("true") {
        heading.push_str("　抄");
    }
    heading
}

/// 別表第一（第五条関係） → (別表第一, （第五条関係）).
fn split_appendix_title(title: &str) -> (String, String) {
    let title = title.trim();
    match title.find(['（', '(', '　', ' ']) {
        Some(at) if at > 0 => (title[..at].to_string(), title[at..].trim().to_string()),
        _ if title.is_empty() => ("別表".to_string(), String::new()),
        _ => (title.to_string(), String::new()),
    }
}

fn division_kind_of_title(name: &str) -> Option<ProvisionKind> {
    division_kind(name.strip_suffix("Title")?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::Format;

    const LAW: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Law Era="Heisei" Year="15" Num="009" PromulgateMonth="03" PromulgateDay="20" LawType="Act"><LawNum>平成十五年法律第九号</LawNum>
<LawBody><LawTitle>試験法</LawTitle>
<TOC><TOCLabel>目次</TOCLabel><TOCChapter Num="1"><ChapterTitle>第一章　総則</ChapterTitle></TOCChapter></TOC>
<MainProvision><Chapter Num="1"><ChapterTitle>第一章　総則</ChapterTitle>
<Article Num="2_2"><ArticleCaption>（掲示）</ArticleCaption><ArticleTitle>第二条の二</ArticleTitle>
<Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>事業者は、次に掲げる事項を掲示しなければならない。</Sentence></ParagraphSentence>
<Item Num="1"><ItemTitle>一</ItemTitle><ItemSentence><Column><Sentence>氏名</Sentence></Column><Column><Sentence>住所</Sentence></Column></ItemSentence>
<Subitem1 Num="1"><Subitem1Title>イ</Subitem1Title><Subitem1Sentence><Sentence><Ruby>謄<Rt>とう</Rt></Ruby>本&amp;写し</Sentence></Subitem1Sentence></Subitem1></Item></Paragraph>
<Paragraph Num="2"><ParagraphNum>２</ParagraphNum><ParagraphSentence><Sentence>前項の規定は、適用しない。</Sentence></ParagraphSentence>
<TableStruct><Table><TableRow><TableColumn><Sentence>甲</Sentence></TableColumn><TableColumn><Sentence>乙</Sentence></TableColumn></TableRow></Table></TableStruct></Paragraph>
</Article></Chapter></MainProvision>
<SupplProvision AmendLawNum="平成二〇年三月一日法律第五号" Extract="true"><SupplProvisionLabel>附　則</SupplProvisionLabel>
<Paragraph Num="1"><ParagraphNum/><ParagraphSentence><Sentence>この法律は、公布の日から施行する。</Sentence></ParagraphSentence></Paragraph></SupplProvision>
<AppdxTable Num="1"><AppdxTableTitle>別表第一</AppdxTableTitle><RelatedArticleNum>（第二条関係）</RelatedArticleNum>
<TableStruct><Table><TableRow><TableColumn><Sentence>区分</Sentence></TableColumn><TableColumn><Sentence>金額</Sentence></TableColumn></TableRow>
<TableRow><TableColumn><Sentence>証明</Sentence></TableColumn><TableColumn><Sentence>三百円</Sentence></TableColumn></TableRow></Table>
<Remarks><RemarksLabel>備考</RemarksLabel><Sentence>申請書を提出しなければならない。</Sentence></Remarks></TableStruct></AppdxTable>
</LawBody></Law>"#;

    #[test]
    fn reads_the_egov_schema() {
        let mut b = Builder::new("a.xml", Format::EgovXml, "UTF-8");
        read(LAW, &mut b).expect("valid XML");
        let doc = b.finish();
        assert_eq!(doc.title, "試験法");
        assert_eq!(doc.number.as_deref(), Some("平成十五年法律第九号"));
        assert_eq!(doc.date.as_deref(), Some("2003-03-20"));
        assert_eq!(doc.kind, DocKind::Act);
        let walk = doc.walk();
        let cites: Vec<&str> = walk.iter().map(|p| p.citation.as_str()).collect();
        assert_eq!(
            cites,
            [
                "第一章",
                "第二条の二",
                "第二条の二第一項",
                "第二条の二第一項第一号",
                "第二条の二第一項第一号イ",
                "第二条の二第二項",
                "附則（平成二〇年三月一日法律第五号）",
                "附則（平成二〇年三月一日法律第五号）",
                "別表第一",
                "別表第一（第1行）",
                "別表第一（第2行）",
                "別表第一（第3行）",
                "別表第一（第4行）",
            ]
        );
        assert_eq!(walk[1].caption.as_deref(), Some("掲示"));
        assert_eq!(walk[3].text, "氏名　住所");
        assert_eq!(walk[4].text, "謄本&写し");
        // A table in a paragraph is a line of its text; a 別表's rows, and
        // the lines after them, are provisions of their own.
        assert_eq!(walk[5].text, "前項の規定は、適用しない。\n甲　乙");
        assert_eq!(walk[8].caption.as_deref(), Some("（第二条関係）"));
        assert_eq!(walk[8].text, "");
        let rows: Vec<(ProvisionKind, &str, &str)> = walk[9..]
            .iter()
            .map(|p| (p.kind, p.normalized.as_str(), p.text.as_str()))
            .collect();
        assert_eq!(
            rows,
            [
                (ProvisionKind::Row, "A1/r1", "区分　金額"),
                (ProvisionKind::Row, "A1/r2", "証明　三百円"),
                (ProvisionKind::Row, "A1/r3", "備考"),
                (
                    ProvisionKind::Row,
                    "A1/r4",
                    "申請書を提出しなければならない。"
                ),
            ]
        );
        assert!(doc.toc.is_empty());
    }

    #[test]
    fn truncated_xml_is_an_error() {
        let mut b = Builder::new("a.xml", Format::EgovXml, "UTF-8");
        let half = LAW
            .char_indices()
            .nth(LAW.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let cut = &LAW[..half];
        assert!(matches!(
            read(cut, &mut b),
            Err(ReadError::Xml { .. } | ReadError::XmlTruncated { .. })
        ));
    }

    #[test]
    fn xml_without_law_is_refused() {
        let mut b = Builder::new("a.xml", Format::EgovXml, "UTF-8");
        assert!(matches!(
            read("<?xml version=\"1.0\"?><root/>", &mut b),
            Err(ReadError::NotEgovXml)
        ));
    }
}
