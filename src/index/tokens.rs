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

use crate::tokenizing::{self, Tokenizer};

/// Registered name of the lindera tokenizer.
pub const JA: &str = "tenken_ja";
/// Registered name of the character-bigram tokenizer.
pub const BIGRAM: &str = "tenken_bigram";

/// lindera as a tantivy tokenizer. A text lindera cannot segment gives no tokens.
#[derive(Clone)]
pub struct JaTokenizer {
    tokenizer: Tokenizer,
}

impl JaTokenizer {
    pub fn new(tokenizer: Tokenizer) -> Self {
        Self { tokenizer }
    }
}

impl TantivyTokenizer for JaTokenizer {
    type TokenStream<'a> = MorphemeStream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> MorphemeStream {
        MorphemeStream {
            morphemes: self.tokenizer.tokenize(text).unwrap_or_default(),
            bytes: char_to_byte_offsets(text),
            text_len: text.len(),
            next: 0,
            base_pending: false,
            token: Token::default(),
        }
    }
}

/// The tokens of one text: each morpheme's surface, then its base form at
/// the same position when the two differ.
pub struct MorphemeStream {
    morphemes: Vec<tokenizing::Token>,
    /// Byte offset of every character of the text, and of its end.
    bytes: Vec<usize>,
    text_len: usize,
    /// The morpheme the next surface token comes from.
    next: usize,
    /// The base form of morpheme `next - 1` is still to come.
    base_pending: bool,
    token: Token,
}

impl MorphemeStream {
    fn byte_at(&self, ch: usize) -> usize {
        self.bytes.get(ch).copied().unwrap_or(self.text_len)
    }
}

impl TokenStream for MorphemeStream {
    fn advance(&mut self) -> bool {
        if self.base_pending {
            self.base_pending = false;
            let m = &self.morphemes[self.next - 1];
            self.token.text.clear();
            self.token.text.push_str(&m.base_form);
            return true;
        }
        let Some(m) = self.morphemes.get(self.next) else {
            return false;
        };
        let (from, to) = (self.byte_at(m.start), self.byte_at(m.end));
        let m = &self.morphemes[self.next];
        self.token.offset_from = from;
        self.token.offset_to = to;
        self.token.position = self.next;
        self.token.text.clear();
        self.token.text.push_str(&m.surface);
        self.base_pending = !m.base_form.is_empty() && m.base_form != m.surface;
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

/// The byte offset of every character of `text`, and of its end.
fn char_to_byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect()
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

    #[test]
    fn byte_offsets_of_characters() {
        assert_eq!(char_to_byte_offsets("aあb"), [0, 1, 4, 5]);
        assert_eq!(char_to_byte_offsets(""), [0]);
    }
}
