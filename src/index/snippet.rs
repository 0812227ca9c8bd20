//! Snippets: a window of a provision's text around the first match, with the
//! query's words and phrases marked 【like this】 (text) and <b>like this</b>
//! (HTML, everything else escaped).
//!
//! tantivy's SnippetGenerator marks the tokens of one field; a phrase answered
//! through character bigrams would come out as scattered two-character marks,
//! so tenken marks the query's own strings (and the nouns of its words) in
//! the stored text instead.

use aho_corasick::{AhoCorasick, MatchKind};
use serde::{Deserialize, Serialize};

/// Characters of context kept before the first match.
const LEAD_CHARS: usize = 30;

/// A snippet as text and as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Snippet {
    pub text: String,
    pub html: String,
}

/// Marks the needles of one query; build once per query, use per hit.
pub struct Highlighter {
    matcher: Option<AhoCorasick>,
    max_chars: usize,
}

impl Highlighter {
    /// A highlighter for these needles; snippets are at most `max_chars` long
    /// (longer only to finish a match).
    pub fn new(needles: &[String], max_chars: usize) -> Self {
        let needles: Vec<&str> = needles
            .iter()
            .map(String::as_str)
            .filter(|n| !n.is_empty())
            .collect();
        let matcher = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&needles)
            .ok()
            .filter(|_| !needles.is_empty());
        Self { matcher, max_chars }
    }

    /// The snippet of one text.
    pub fn snippet(&self, text: &str) -> Snippet {
        let matches: Vec<(usize, usize)> = self
            .matcher
            .as_ref()
            .map(|m| m.find_iter(text).map(|m| (m.start(), m.end())).collect())
            .unwrap_or_default();
        let (from, to) = window(text, matches.first().copied(), self.max_chars);
        render(text, from, to, &matches)
    }
}

/// The byte range of the window: from a little before the first match, at
/// most `max_chars` characters, and never cutting the first match.
fn window(text: &str, first: Option<(usize, usize)>, max_chars: usize) -> (usize, usize) {
    let starts: Vec<usize> = text.char_indices().map(|(at, _)| at).collect();
    let char_of = |byte: usize| starts.partition_point(|&s| s < byte);
    let byte_of = |ch: usize| starts.get(ch).copied().unwrap_or(text.len());
    let (first_start, first_end) = first.map_or((0, 0), |(s, e)| (char_of(s), char_of(e)));
    let from = first_start.saturating_sub(LEAD_CHARS);
    let to = (from + max_chars).max(first_end).min(starts.len());
    let from = to.saturating_sub(max_chars).min(from);
    (byte_of(from), byte_of(to))
}

fn render(text: &str, from: usize, to: usize, matches: &[(usize, usize)]) -> Snippet {
    let mut plain = String::new();
    let mut html = String::new();
    if from > 0 {
        plain.push('…');
        html.push('…');
    }
    let mut at = from;
    for &(start, end) in matches.iter().filter(|(s, e)| *s >= from && *e <= to) {
        push_plain(&mut plain, &mut html, &text[at..start]);
        plain.push('【');
        html.push_str("<b>");
        push_plain(&mut plain, &mut html, &text[start..end]);
        plain.push('】');
        html.push_str("</b>");
        at = end;
    }
    push_plain(&mut plain, &mut html, &text[at..to]);
    if to < text.len() {
        plain.push('…');
        html.push('…');
    }
    Snippet { text: plain, html }
}

/// Appends unmarked text: line breaks become spaces, HTML is escaped.
fn push_plain(plain: &mut String, html: &mut String, text: &str) {
    for c in text.chars() {
        let c = if c == '\n' || c == '\r' { ' ' } else { c };
        plain.push(c);
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            _ => html.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_every_needle_in_the_window() {
        let h = Highlighter::new(&["掲示".to_string(), "標識".to_string()], 100);
        let s = h.snippet("標識を見やすい場所に掲示しなければならない。");
        assert_eq!(
            s.text,
            "【標識】を見やすい場所に【掲示】しなければならない。"
        );
        assert_eq!(
            s.html,
            "<b>標識</b>を見やすい場所に<b>掲示</b>しなければならない。"
        );
    }

    #[test]
    fn windows_start_near_the_first_match_and_escape_html() {
        let text = format!("{}<掲示>{}", "あ".repeat(100), "い".repeat(100));
        let s = Highlighter::new(&["掲示".to_string()], 40).snippet(&text);
        assert!(
            s.text.starts_with('…') && s.text.ends_with('…'),
            "{}",
            s.text
        );
        assert!(s.text.contains("<【掲示】>"));
        assert!(s.html.contains("&lt;<b>掲示</b>&gt;"));
        assert_eq!(s.text.chars().filter(|c| *c != '…').count(), 40 + 2);
    }

    #[test]
    fn without_a_match_the_text_starts_the_snippet() {
        let s = Highlighter::new(&[], 5).snippet("第一条\nこの条例は");
        assert_eq!(s.text, "第一条 こ…");
    }
}
