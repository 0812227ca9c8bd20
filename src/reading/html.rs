//! Shared HTML helpers: text of an element with `<br>` as line breaks and
//! chosen sub-elements left out, and a plain-text rendering of any HTML page
//! (block elements become lines) for pages that are neither Reiki-Base nor
//! law-data HTML.

use ego_tree::iter::Edge;
use scraper::{ElementRef, Html, Node};

/// Elements whose content is never text of the law.
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script" | "style" | "head" | "title" | "noscript" | "rt" | "rp"
    )
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "tr"
            | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "table"
            | "dt"
            | "dd"
    )
}

/// The text under `element`, with `<br>` as "\n", skipping hidden elements and
/// any element for which `skip` says so.
pub fn text_of(element: ElementRef<'_>, skip: &dyn Fn(&scraper::node::Element) -> bool) -> String {
    let mut out = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in element.traverse() {
        match edge {
            Edge::Open(node) => {
                if skipping.is_some() {
                    continue;
                }
                match node.value() {
                    Node::Element(e) if is_hidden(e.name()) || skip(e) => {
                        skipping = Some(node.id())
                    }
                    Node::Element(e) if e.name() == "br" => out.push('\n'),
                    Node::Text(t) => out.push_str(t),
                    _ => {}
                }
            }
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                }
            }
        }
    }
    out
}

/// Collapses the layout whitespace of HTML source (newlines between tags, and
/// indentation) while keeping `<br>` breaks.
pub fn squeeze(text: &str) -> String {
    text.split('\n')
        .map(|line| line.trim_matches(|c: char| c == ' ' || c == '\t' || c == '\r'))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A plain-text rendering of an HTML page: one line per block element.
pub fn to_text(html: &str) -> String {
    let document = Html::parse_document(html);
    let mut out = String::new();
    let mut skipping: Option<ego_tree::NodeId> = None;
    for edge in document.root_element().traverse() {
        match edge {
            Edge::Open(node) if skipping.is_none() => match node.value() {
                Node::Element(e) if is_hidden(e.name()) => skipping = Some(node.id()),
                Node::Element(e) if is_block(e.name()) => out.push('\n'),
                Node::Text(t) => out.push_str(&t.replace('\n', "")),
                _ => {}
            },
            Edge::Close(node) => {
                if skipping == Some(node.id()) {
                    skipping = None;
                } else if let Node::Element(e) = node.value()
                    && is_block(e.name())
                {
                    out.push('\n');
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_blocks_as_lines() {
        let text = to_text(
            "<html><head><title>x</title><script>var a;</script></head><body><h1>題名</h1><p>第一条　本文<br>続き</p></body></html>",
        );
        let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
        assert_eq!(lines, ["題名", "第一条　本文", "続き"]);
    }
}
