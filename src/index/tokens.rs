//! The tokenizers the index uses, as tantivy sees them.
//!
//! - [`JaTokenizer`] adapts [`crate::tokenizing::Tokenizer`] (lindera + IPADIC)
//!   to tantivy: one position per morpheme, holding its surface and, when it
//!   differs, its base form (原形) too, so that a phrase of surfaces (掲示し)
//!   and a phrase of base forms (掲示 する) both match the same text.
//! - [`BigramTokenizer`] cuts text into overlapping character bigrams, one per
//!   character position (the last character alone), so that any substring of
//!   two or more characters is a phrase of bigrams: phrase search never
//!   depends on how lindera split the words.
//!
//! Both are called by tantivy's indexing threads; their streams fill one
//! token buffer instead of allocating per token.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer as TantivyTokenizer};

use crate::tokenizing::Tokenizer;

/// Registered name of the lindera tokenizer.
pub const JA: &str = "tenken_ja";
/// Registered name of the character-bigram tokenizer.
pub const BIGRAM: &str = "tenken_bigram";

/// lindera as a tantivy tokenizer. A text lindera cannot segment gives no
/// tokens. Each indexing thread has its own clone, whose buffers are reused
/// from one text to the next.
#[derive(Clone)]
pub struct JaTokenizer {
    tokenizer: Tokenizer,
    spans: Vec<Span>,
    /// The base forms that differ from their surfaces, one after the other.
    bases: String,
}

/// Where one morpheme's surface is in the text, and its base form in
/// [`JaTokenizer::bases`] (an empty range when it equals the surface).
#[derive(Debug, Clone, Copy)]
struct Span {
    from: usize,
    to: usize,
    base_from: usize,
    base_to: usize,
}

impl JaTokenizer {
    pub fn new(tokenizer: Tokenizer) -> Self {
        Self {
            tokenizer,
            spans: Vec::new(),
            bases: String::new(),
        }
    }

    /// Fills the buffers with the morphemes of `text`.
    fn analyse(&mut self, text: &str) {
        self.spans.clear();
        self.bases.clear();
        let (spans, bases) = (&mut self.spans, &mut self.bases);
        let analysed = self.tokenizer.for_each_morpheme(text, |m| {
            let base_from = bases.len();
            if !m.base_form.is_empty() && m.base_form != m.surface {
                bases.push_str(m.base_form);
            }
            spans.push(Span {
                from: m.byte_start,
                to: m.byte_start + m.surface.len(),
                base_from,
                base_to: bases.len(),
            });
        });
        if analysed.is_err() {
            self.spans.clear();
        }
    }
}

impl TantivyTokenizer for JaTokenizer {
    type TokenStream<'a> = MorphemeStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MorphemeStream<'a> {
        self.analyse(text);
        MorphemeStream {
            text,
            spans: &self.spans,
            bases: &self.bases,
            next: 0,
            base_pending: false,
            token: Token::default(),
        }
    }
}

/// The tokens of one text: each morpheme's surface, then its base form at
/// the same position when the two differ.
pub struct MorphemeStream<'a> {
    text: &'a str,
    spans: &'a [Span],
    bases: &'a str,
    /// The morpheme the next surface token comes from.
    next: usize,
    /// The base form of morpheme `next - 1` is still to come.
    base_pending: bool,
    token: Token,
}

impl TokenStream for MorphemeStream<'_> {
    fn advance(&mut self) -> bool {
        if self.base_pending {
            self.base_pending = false;
            let span = self.spans[self.next - 1];
            self.token.text.clear();
            self.token
                .text
                .push_str(&self.bases[span.base_from..span.base_to]);
            return true;
        }
        let Some(&span) = self.spans.get(self.next) else {
            return false;
        };
        self.token.offset_from = span.from;
        self.token.offset_to = span.to;
        self.token.position = self.next;
        self.token.text.clear();
        self.token.text.push_str(&self.text[span.from..span.to]);
        self.base_pending = span.base_to > span.base_from;
        self.next += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// Overlapping character bigrams, positions counted in characters: the token
/// at position `i` is characters `i..i+2` (the last character alone).
#[derive(Clone, Copy, Default)]
pub struct BigramTokenizer;

impl TantivyTokenizer for BigramTokenizer {
    type TokenStream<'a> = BigramStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BigramStream<'a> {
        BigramStream {
            text,
            from: 0,
            position: 0,
            token: Token::default(),
        }
    }
}

/// The bigrams of a text, computed as the stream advances.
pub struct BigramStream<'a> {
    text: &'a str,
    /// Byte offset of the next bigram's first character.
    from: usize,
    position: usize,
    token: Token,
}

impl TokenStream for BigramStream<'_> {
    fn advance(&mut self) -> bool {
        let rest = &self.text[self.from..];
        let mut chars = rest.chars();
        let Some(first) = chars.next() else {
            return false;
        };
        let second = chars.next().map_or(0, char::len_utf8);
        let to = self.from + first.len_utf8() + second;
        self.token.offset_from = self.from;
        self.token.offset_to = to;
        self.token.position = self.position;
        self.token.text.clear();
        self.token.text.push_str(&self.text[self.from..to]);
        self.from += first.len_utf8();
        self.position += 1;
        true
    }

    fn token(&self) -> &Token {
        &self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.token
    }
}

/// All tokens of a stream (for tests and tools).
pub fn collect_tokens(mut stream: impl TokenStream) -> Vec<Token> {
    let mut tokens = Vec::new();
    while stream.advance() {
        tokens.push(stream.token().clone());
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bigrams(text: &str) -> Vec<Token> {
        collect_tokens(BigramTokenizer.token_stream(text))
    }

    #[test]
    fn bigrams_cover_every_character_with_byte_offsets() {
        let tokens = bigrams("掲示板a");
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["掲示", "示板", "板a", "a"]);
        assert_eq!(tokens[1].offset_from, 3);
        assert_eq!(tokens[1].offset_to, 9);
        assert_eq!(tokens[3].position, 3);
        assert!(bigrams("").is_empty());
        assert_eq!(bigrams("紙")[0].text, "紙");
    }
}
