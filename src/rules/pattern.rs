//! Rule patterns: parts in order (literal text, lemma sequences on tokens,
//! regular expressions), each part within a window of characters of the one
//! before. `find` returns the byte ranges of the parts in a sentence.

use regex::Regex;
use std::ops::Range;

/// One token of a sentence as patterns see it (byte offsets into the sentence).
#[derive(Debug, Clone, Copy)]
pub struct TokenSpan<'a> {
    pub surface: &'a str,
    pub base: &'a str,
    pub pos: &'a str,
    pub start: usize,
    pub end: usize,
}

/// One element of a lemma sequence.
#[derive(Debug, Clone)]
pub enum LemmaItem {
    /// `*`: any one token.
    Any,
    /// `pos:名詞`: a token whose part of speech starts with this.
    Pos(String),
    /// `掲示|掲げる`: a token whose base form (or surface) is one of these.
    Words(Vec<String>),
}

/// One part of a pattern.
#[derive(Debug, Clone)]
pub enum Part {
    Literal(String),
    Regex(Regex),
    Lemmas(Vec<LemmaItem>),
}

/// A compiled pattern: its parts in order, and the text it was written as.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub parts: Vec<Part>,
}

/// The regex crate's error on one line: its syntax errors span several
/// lines (the pattern, a caret, then `error: …`); keep the last.
fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}

impl Part {
    fn parse(text: &str) -> Result<Part, String> {
        if let Some(re) = text.strip_prefix("re:") {
            return Regex::new(re).map(Part::Regex).map_err(|e| {
                format!(
                    "pattern '{text}': invalid regular expression: {}",
                    regex_error(&e)
                )
            });
        }
        if let Some(lemmas) = text.strip_prefix("lemma:") {
            let items: Vec<LemmaItem> = lemmas.split_whitespace().map(LemmaItem::parse).collect();
            if items.is_empty() {
                return Err(format!(
                    "pattern '{text}': 'lemma:' needs at least one word"
                ));
            }
            return Ok(Part::Lemmas(items));
        }
        if text.is_empty() {
            return Err("empty part in a pattern (two '…' in a row?)".to_string());
        }
        Ok(Part::Literal(text.to_string()))
    }

    /// Every occurrence starting at or after byte `from`.
    fn occurrences(
        &self,
        sentence: &str,
        tokens: &[TokenSpan<'_>],
        from: usize,
    ) -> Vec<Range<usize>> {
        let Some(rest) = sentence.get(from..) else {
            return Vec::new();
        };
        match self {
            Part::Literal(word) => rest
                .match_indices(word.as_str())
                .map(|(at, w)| from + at..from + at + w.len())
                .collect(),
            Part::Regex(re) => re
                .find_iter(rest)
                .filter(|m| !m.is_empty())
                .map(|m| from + m.start()..from + m.end())
                .collect(),
            Part::Lemmas(items) => lemma_occurrences(items, tokens, from),
        }
    }
}

impl LemmaItem {
    fn parse(item: &str) -> LemmaItem {
        if item == "*" {
            LemmaItem::Any
        } else if let Some(pos) = item.strip_prefix("pos:") {
            LemmaItem::Pos(pos.to_string())
        } else {
            LemmaItem::Words(item.split('|').map(str::to_string).collect())
        }
    }

    fn accepts(&self, token: &TokenSpan<'_>) -> bool {
        match self {
            LemmaItem::Any => true,
            LemmaItem::Pos(pos) => token.pos.starts_with(pos.as_str()),
            LemmaItem::Words(words) => words.iter().any(|w| w == token.base || w == token.surface),
        }
    }
}

fn lemma_occurrences(
    items: &[LemmaItem],
    tokens: &[TokenSpan<'_>],
    from: usize,
) -> Vec<Range<usize>> {
    if tokens.len() < items.len() {
        return Vec::new();
    }
    (0..=tokens.len() - items.len())
        .filter(|&i| tokens[i].start >= from)
        .filter(|&i| {
            items
                .iter()
                .zip(&tokens[i..])
                .all(|(item, t)| item.accepts(t))
        })
        .map(|i| tokens[i].start..tokens[i + items.len() - 1].end)
        .collect()
}

impl Pattern {
    /// Parses `part…part…part`.
    pub fn parse(source: &str) -> Result<Pattern, String> {
        let parts = source
            .split(['…'])
            .flat_map(|p| p.split("..."))
            .map(|p| Part::parse(p.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pattern {
            source: source.to_string(),
            parts,
        })
    }

    pub fn needs_tokens(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Lemmas(_)))
    }

    /// The first match: byte ranges of every part, in order.
    pub fn find(
        &self,
        sentence: &str,
        tokens: &[TokenSpan<'_>],
        window: usize,
    ) -> Option<Vec<Range<usize>>> {
        self.find_from(0, sentence, tokens, window, None)
    }

    fn find_from(
        &self,
        index: usize,
        sentence: &str,
        tokens: &[TokenSpan<'_>],
        window: usize,
        previous_end: Option<usize>,
    ) -> Option<Vec<Range<usize>>> {
        let part = self.parts.get(index)?;
        for range in part.occurrences(sentence, tokens, previous_end.unwrap_or(0)) {
            if let Some(end) = previous_end {
                let gap = sentence
                    .get(end..range.start)
                    .map_or(usize::MAX, |g| g.chars().count());
                if gap > window {
                    break;
                }
            }
            if index + 1 == self.parts.len() {
                return Some(vec![range]);
            }
            if let Some(mut rest) =
                self.find_from(index + 1, sentence, tokens, window, Some(range.end))
            {
                rest.insert(0, range);
                return Some(rest);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span<'a>(surface: &'a str, base: &'a str, pos: &'a str, start: usize) -> TokenSpan<'a> {
        TokenSpan {
            surface,
            base,
            pos,
            start,
            end: start + surface.len(),
        }
    }

    #[test]
    fn literal_and_window() {
        let p = Pattern::parse("事務所ごとに…を置かなければならない").expect("parses");
        let s = "事務所ごとに、専任の管理者を置かなければならない。";
        assert!(p.find(s, &[], 40).is_some());
        assert!(p.find(s, &[], 3).is_none());
    }

    #[test]
    fn lemma_sequences_match_inflections() {
        let p = Pattern::parse("lemma:掲示 する").expect("parses");
        let s = "掲示しなければならない";
        let tokens = [
            span("掲示", "掲示", "名詞,サ変接続", 0),
            span("し", "する", "動詞,自立", 6),
        ];
        let found = p.find(s, &tokens, 40).expect("matches");
        assert_eq!((found.len(), found[0].clone()), (1, 0..9));
        let p = Pattern::parse("lemma:pos:名詞 する|させる").expect("parses");
        assert!(p.find(s, &tokens, 40).is_some());
    }

    #[test]
    fn bad_regex_is_reported() {
        let e = Pattern::parse("re:掲示(").expect_err("invalid");
        assert!(
            e.contains("invalid regular expression: unclosed group"),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");
    }
}
