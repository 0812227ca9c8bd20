//! The index's schema: one tantivy document per provision, and the fields
//! queries and results use.

use tantivy::Index;
use tantivy::schema::{
    FAST, FacetOptions, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema,
    TextFieldIndexing, TextOptions,
};

use super::IndexError;
use super::tokens::{BIGRAM, BigramTokenizer, JA, JaTokenizer};
use crate::tokenizing::Tokenizer;

/// Bumped when the schema changes; an index of another version is rebuilt.
pub const SCHEMA_VERSION: u32 = 2;

/// The fields of a provision document.
#[derive(Debug, Clone, Copy)]
pub struct Fields {
    /// Stable provision id (hex), unique in the index.
    pub id: Field,
    /// The file's key: its canonical path (deletes go by it).
    pub path: Field,
    /// The file's name relative to the folder indexed, as `tenken parse` prints it.
    pub file: Field,
    /// The provision's text, stored, indexed by morpheme (lindera) with each
    /// morpheme's surface and base form at its position: 掲示する finds 掲示し.
    pub text: Field,
    /// Character bigrams of the text, with positions, for exact phrases.
    pub gram: Field,
    /// 例規 title, stored.
    pub title: Field,
    /// Bigrams of the title, for `title:` phrases.
    pub title_gram: Field,
    /// Morphemes of the title, for `title:` words.
    pub title_words: Field,
    /// 種別 (条例, 規則 …) as a facet.
    pub kind: Field,
    /// 例規番号, exact.
    pub number: Field,
    /// Promulgation date (ISO), stored.
    pub date: Field,
    /// Its year, for ranges.
    pub year: Field,
    /// Where the file comes from (its first folder), as a facet.
    pub source: Field,
    /// The 例規集 the file was indexed into (`tenken index --collection`), as a facet.
    pub collection: Field,
    /// Citation as printed, exact.
    pub citation: Field,
    /// Normalised citation (12-2/3/1), exact.
    pub normalized: Field,
    /// 見出し of the provision or its article, stored.
    pub caption: Field,
    /// Morphemes of the 見出し, searched with the text.
    pub caption_words: Field,
    /// Bigrams of the 見出し, for phrases.
    pub caption_gram: Field,
    /// Taxonomy codes found in the provision, as a facet (multi-valued).
    pub codes: Field,
    /// Ids of the rules that fired, exact (multi-valued).
    pub rules: Field,
    /// Whether the provision already allows a digital way.
    pub digital: Field,
    /// The codes whose findings in the provision already allow a digital
    /// way, exact (multi-valued): precedents are looked up by them.
    pub digital_codes: Field,
    /// The digital words of the rules the provision contains (電磁的方法 …), stored.
    pub digital_words: Field,
    /// The codes of `digital_codes` whose precedent words (the rule file's
    /// `precedent`) the provision's own text has, not only its 項 or 号: a
    /// precedent shows a digital way of that 類型 in its wording.
    pub precedent_codes: Field,
    /// Each finding's code and 優先度 as a facet path (/posting/高), for counts.
    pub found: Field,
    /// Ids of the provision's findings (the checklist's ID), exact.
    pub findings: Field,
    /// `finding-id code` pairs, stored, to tell which code a finding id has.
    pub finding_codes: Field,
}

impl Fields {
    /// The schema and its fields.
    pub fn build() -> (Schema, Fields) {
        let mut b = Schema::builder();
        let positions = |tokenizer: &str| {
            TextFieldIndexing::default()
                .set_tokenizer(tokenizer)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions)
        };
        let text_field =
            |tokenizer: &str| TextOptions::default().set_indexing_options(positions(tokenizer));
        let fields = Fields {
            id: b.add_text_field("id", STRING | STORED),
            path: b.add_text_field("path", STRING | STORED),
            file: b.add_text_field("file", STRING | STORED),
            text: b.add_text_field("text", text_field(JA).set_stored()),
            gram: b.add_text_field("gram", text_field(BIGRAM)),
            title: b.add_text_field("title", STORED),
            title_gram: b.add_text_field("title_gram", text_field(BIGRAM)),
            title_words: b.add_text_field("title_words", text_field(JA)),
            kind: b.add_facet_field("kind", FacetOptions::default().set_stored()),
            number: b.add_text_field("number", STRING | STORED),
            date: b.add_text_field("date", STRING | STORED),
            year: b.add_i64_field("year", INDEXED | STORED | FAST),
            source: b.add_facet_field("source", FacetOptions::default().set_stored()),
            collection: b.add_facet_field("collection", FacetOptions::default().set_stored()),
            citation: b.add_text_field("citation", STRING | STORED),
            normalized: b.add_text_field("normalized", STRING | STORED),
            caption: b.add_text_field("caption", STORED),
            caption_words: b.add_text_field("caption_words", text_field(JA)),
            caption_gram: b.add_text_field("caption_gram", text_field(BIGRAM)),
            codes: b.add_facet_field("codes", FacetOptions::default().set_stored()),
            rules: b.add_text_field("rules", STRING | STORED),
            digital: b.add_bool_field("digital", INDEXED | STORED | FAST),
            digital_codes: b.add_text_field("digital_codes", STRING | STORED),
            digital_words: b.add_text_field("digital_words", STORED),
            precedent_codes: b.add_text_field("precedent_codes", STRING),
            found: b.add_facet_field("found", FacetOptions::default()),
            findings: b.add_text_field("findings", STRING),
            finding_codes: b.add_text_field("finding_codes", STORED),
        };
        (b.build(), fields)
    }
}

/// Registers the tokenizers the schema names on an index.
pub fn register_tokenizers(index: &Index, tokenizer: &Tokenizer) {
    let manager = index.tokenizers();
    manager.register(JA, JaTokenizer::new(tokenizer.clone()));
    manager.register(BIGRAM, BigramTokenizer);
}

/// Checks that an index on disk has the schema this version of tenken writes.
pub fn check_schema(
    index: &Index,
    expected: &Schema,
    dir: &std::path::Path,
) -> Result<(), IndexError> {
    if &index.schema() == expected {
        Ok(())
    } else {
        Err(IndexError::Incompatible {
            dir: dir.to_path_buf(),
        })
    }
}
