//! The index settings and mappings for OpenSearch and Elasticsearch 8, one
//! JSON body per index (`PUT /<index>` with it creates the index).
//!
//! Japanese text is analysed twice, as tenken's own index does: by morpheme
//! with kuromoji (plugin `analysis-kuromoji`: kuromoji_tokenizer, then
//! cjk_width, kuromoji_baseform, ja_stop, lowercase) for word search, and by
//! character bigrams (an `ngram` tokenizer, 2 to 2) in a `.gram` sub-field for
//! exact substrings and phrases. Mappings are `dynamic: strict`, so a document
//! with a field the mapping does not declare is refused instead of guessed.

use serde_json::{Map, Value, json};

/// Name of the kuromoji analyzer for provision text, titles and excerpts.
pub const JA_ANALYZER: &str = "ja_text";
/// Name of the character-bigram analyzer of the `.gram` sub-fields.
pub const GRAM_ANALYZER: &str = "ja_gram";
/// The date format of `date` fields.
pub const DATE_FORMAT: &str = "yyyy-MM-dd";

/// The analysis settings both indices share.
fn settings() -> Value {
    json!({
        "analysis": {
            "tokenizer": {
                "ja_kuromoji": {
                    "type": "kuromoji_tokenizer",
                    "mode": "normal",
                    "discard_punctuation": true
                },
                "ja_bigram": {
                    "type": "ngram",
                    "min_gram": 2,
                    "max_gram": 2,
                    "token_chars": []
                }
            },
            "analyzer": {
                JA_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "ja_kuromoji",
                    "filter": ["cjk_width", "kuromoji_baseform", "ja_stop", "lowercase"]
                },
                GRAM_ANALYZER: {
                    "type": "custom",
                    "tokenizer": "ja_bigram",
                    "filter": ["cjk_width", "lowercase"]
                }
            }
        }
    })
}

fn keyword() -> Value {
    json!({ "type": "keyword" })
}

/// Text analysed by kuromoji, with a bigram `.gram` sub-field.
fn ja_text() -> Value {
    json!({
        "type": "text",
        "analyzer": JA_ANALYZER,
        "fields": { "gram": { "type": "text", "analyzer": GRAM_ANALYZER } }
    })
}

/// A short text (a title): kuromoji, bigrams, and the exact value for
/// sorting and aggregations.
fn ja_title() -> Value {
    json!({
        "type": "text",
        "analyzer": JA_ANALYZER,
        "fields": {
            "keyword": { "type": "keyword", "ignore_above": 1024 },
            "gram": { "type": "text", "analyzer": GRAM_ANALYZER }
        }
    })
}

fn date() -> Value {
    json!({ "type": "date", "format": DATE_FORMAT })
}

fn integer() -> Value {
    json!({ "type": "integer" })
}

fn boolean() -> Value {
    json!({ "type": "boolean" })
}

/// Fields about the 例規 that provisions and findings share.
fn document_fields() -> Vec<(&'static str, Value)> {
    vec![
        ("id", keyword()),
        ("file", keyword()),
        ("path", keyword()),
        ("source", keyword()),
        ("collection", keyword()),
        ("title", ja_title()),
        ("kind", keyword()),
        ("number", keyword()),
        ("date", date()),
        ("year", integer()),
        ("citation", keyword()),
        ("normalized", keyword()),
        ("caption", ja_text()),
    ]
}

/// The whole body of a `PUT /<index>`.
fn body(kind: &str, fields: Vec<(&'static str, Value)>) -> Value {
    let properties: Map<String, Value> = fields
        .into_iter()
        .map(|(name, value)| (name.to_string(), value))
        .collect();
    json!({
        "settings": settings(),
        "mappings": {
            "dynamic": "strict",
            "_meta": {
                "created_by": format!("tenken {}", env!("CARGO_PKG_VERSION")),
                "documents": kind
            },
            "properties": properties
        }
    })
}

/// The provisions index: one document per 条・項・号 that carries text.
pub fn provisions_mapping() -> Value {
    let mut fields = document_fields();
    fields.extend([
        ("text", ja_text()),
        ("codes", keyword()),
        ("rules", keyword()),
        ("digital", boolean()),
    ]);
    body("provisions", fields)
}

/// The findings index: one document per finding (one 類型 in one provision),
/// linked to its provision by `provision_id`.
pub fn findings_mapping() -> Value {
    let mut fields = document_fields();
    fields.extend([
        ("provision_id", keyword()),
        ("part", keyword()),
        ("unit", keyword()),
        ("article", keyword()),
        ("paragraph", keyword()),
        ("code", keyword()),
        ("code_name", keyword()),
        ("priority", keyword()),
        ("digital_alternative", boolean()),
        ("excerpt", ja_text()),
        ("matched", keyword()),
        ("rules", keyword()),
        ("rule_names", keyword()),
        ("phase", keyword()),
        ("technology", keyword()),
    ]);
    body("findings", fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn properties(mapping: &Value) -> &Map<String, Value> {
        mapping["mappings"]["properties"]
            .as_object()
            .expect("properties is an object")
    }

    #[test]
    fn every_analyzer_a_field_names_is_defined() {
        for mapping in [provisions_mapping(), findings_mapping()] {
            let analyzers = mapping["settings"]["analysis"]["analyzer"]
                .as_object()
                .expect("analyzers");
            let tokenizers = mapping["settings"]["analysis"]["tokenizer"]
                .as_object()
                .expect("tokenizers");
            for analyzer in analyzers.values() {
                let tokenizer = analyzer["tokenizer"].as_str().expect("tokenizer named");
                assert!(tokenizers.contains_key(tokenizer), "{tokenizer}");
            }
            let text = mapping.to_string();
            for name in [JA_ANALYZER, GRAM_ANALYZER] {
                assert!(analyzers.contains_key(name));
                assert!(text.contains(&format!("\"analyzer\":\"{name}\"")));
            }
            for (name, field) in properties(&mapping) {
                if let Some(analyzer) = field["analyzer"].as_str() {
                    assert!(analyzers.contains_key(analyzer), "{name}: {analyzer}");
                }
            }
        }
    }

    #[test]
    fn text_has_a_bigram_sub_field_and_dates_a_format() {
        let mapping = provisions_mapping();
        let fields = properties(&mapping);
        assert_eq!(fields["text"]["analyzer"], JA_ANALYZER);
        assert_eq!(fields["text"]["fields"]["gram"]["analyzer"], GRAM_ANALYZER);
        assert_eq!(fields["title"]["fields"]["keyword"]["type"], "keyword");
        assert_eq!(fields["date"]["format"], DATE_FORMAT);
        assert_eq!(fields["digital"]["type"], "boolean");
        assert_eq!(mapping["mappings"]["dynamic"], "strict");
        let gram = &mapping["settings"]["analysis"]["tokenizer"]["ja_bigram"];
        assert_eq!(
            (gram["min_gram"].as_u64(), gram["max_gram"].as_u64()),
            (Some(2), Some(2))
        );
    }
}
