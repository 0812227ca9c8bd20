//! The query language, translated into tantivy queries.
//!
//! The syntax is tantivy's grammar: words, "exact phrases", AND / OR / NOT
//! (also + and -), parentheses, `field:value`, `field:"phrase"`,
//! `field:[a TO b]`, `field:>a`, `field: IN [a b]`. Terms next to each other
//! must all match (AND is the default). Each leaf is then translated here,
//! because Japanese needs more than one field per word:
//!
//! - a word (掲示する) matches its lindera morphemes in order, by surface or by
//!   base form (so it finds 掲示し), or the word as a substring, in the text
//!   or in the 見出し;
//! - a "phrase" matches exactly that run of characters (a phrase query over
//!   character bigrams), however lindera would split it, in the text or the 見出し;
//! - `title:` and `caption:` search the title or the 見出し alone, the same way;
//! - `code:` `kind:` `source:` `collection:` are facets, checked against the
//!   values the index holds; `digital:` a boolean, `year:` a number or range,
//!   `rule:` `file:` `number:` `date:` `citation:` `normalized:` `id:` exact values.

use std::collections::{BTreeMap, BTreeSet};
use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, Occur, PhraseQuery, Query, RangeQuery, TermQuery,
};
use tantivy::query_grammar::{
    Delimiter, UserInputAst, UserInputBound, UserInputLeaf, UserInputLiteral, parse_query,
    parse_query_lenient,
};
use tantivy::schema::{Facet, Field, IndexRecordOption};

use super::IndexError;
use super::schema::Fields;
use crate::tokenizing::Tokenizer;

/// Longest query accepted, in characters.
pub const MAX_QUERY_CHARS: usize = 1000;

/// Deepest nesting of parentheses accepted.
const MAX_DEPTH: usize = 16;

/// The field names a query may use, for error messages and help.
pub const QUERY_FIELDS: &[&str] = &[
    "text",
    "caption",
    "title",
    "code",
    "kind",
    "collection",
    "source",
    "digital",
    "year",
    "rule",
    "file",
    "number",
    "date",
    "citation",
    "normalized",
    "id",
];

/// The values the facets of an index hold, so that a filter with a value
/// nobody can find (`code:postng`, `kind:条令`) is an error that lists the
/// valid ones rather than a silent "0 match"; and the 類型's Japanese names
/// (`code:書面掲示規制`), which stand for their codes.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Vocabulary {
    pub codes: BTreeSet<String>,
    pub kinds: BTreeSet<String>,
    pub sources: BTreeSet<String>,
    pub collections: BTreeSet<String>,
    /// 類型 name → code (書面掲示規制 → posting), from the taxonomy.
    pub code_names: BTreeMap<String, String>,
}

impl Vocabulary {
    /// The value `field:value` stands for, or an error listing the values the
    /// index holds. A code may be given by its Japanese name or in any case.
    pub fn check(&self, field: &str, value: &str) -> Result<String, IndexError> {
        let (known, what): (&BTreeSet<String>, &str) = match field {
            "code" | "codes" => (&self.codes, "類型（code）"),
            "kind" => (&self.kinds, "種別（kind）"),
            "collection" => (&self.collections, "コレクション（collection）"),
            _ => (&self.sources, "出典（source）"),
        };
        if known.contains(value) {
            return Ok(value.to_string());
        }
        if matches!(field, "code" | "codes") {
            let by_name = self.code_names.get(value).cloned();
            let lower = Some(value.to_ascii_lowercase()).filter(|v| self.codes.contains(v));
            if let Some(code) = by_name.or(lower) {
                return Ok(code);
            }
            // A code the taxonomy knows but no provision of this index has.
            if self.code_names.values().any(|c| c == value) {
                return Ok(value.to_string());
            }
        }
        let mut valid: Vec<String> = known.iter().cloned().collect();
        if matches!(field, "code" | "codes") {
            valid = valid
                .into_iter()
                .map(
                    |code| match self.code_names.iter().find(|(_, c)| **c == code) {
                        Some((name, _)) => format!("{code} ({name})"),
                        None => code,
                    },
                )
                .collect();
        }
        Err(IndexError::query(format!(
            "この索引には {what} が「{value}」の条項がありません。使える値: {}",
            if valid.is_empty() {
                "（なし: この索引にはその値がひとつもありません）".to_string()
            } else {
                valid.join(", ")
            }
        )))
    }
}

/// A query ready to run, and the words and phrases to mark in snippets.
pub struct Compiled {
    pub query: Box<dyn Query>,
    pub needles: Vec<String>,
}

/// Translates a query string; with a vocabulary, the values of `code:`,
/// `kind:` and `source:` are checked against it (see [`Vocabulary`]).
pub fn compile(
    input: &str,
    fields: &Fields,
    tokenizer: &Tokenizer,
    vocabulary: Option<&Vocabulary>,
) -> Result<Compiled, IndexError> {
    let prepared = prepare(input)?;
    let ast = parse(&prepared)?;
    let mut translator = Translator {
        fields,
        tokenizer,
        vocabulary,
        needles: Vec::new(),
    };
    let query = translator.ast(&ast, true, 0)?;
    Ok(Compiled {
        query,
        needles: translator.needles,
    })
}

/// Checks the size and nesting of a query, and turns ideographic spaces
/// outside quotes into plain ones (the grammar splits on ASCII spaces).
fn prepare(input: &str) -> Result<String, IndexError> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(IndexError::query(format!(
            "検索式が {chars} 文字あります。{MAX_QUERY_CHARS} 文字までにしてください"
        )));
    }
    let mut out = String::with_capacity(input.len());
    let mut quoted = false;
    let mut escaped = false;
    let mut depth = 0usize;
    for c in input.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            '(' if !quoted => depth += 1,
            ')' if !quoted => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_DEPTH {
            return Err(IndexError::query(format!(
                "括弧の入れ子が {MAX_DEPTH} 段より深くなっています"
            )));
        }
        out.push(if c == '\u{3000}' && !quoted { ' ' } else { c });
    }
    if out.trim().is_empty() {
        return Err(IndexError::query("検索式が空です"));
    }
    Ok(out)
}

/// Parses with tantivy's grammar; a failure says where, as the lenient parser sees it.
fn parse(query: &str) -> Result<UserInputAst, IndexError> {
    if let Ok(ast) = parse_query(query) {
        return Ok(ast);
    }
    let (_, errors) = parse_query_lenient(query);
    let message = match errors.first() {
        Some(error) => {
            let at = query
                .get(..error.pos)
                .map_or(error.pos, |s| s.chars().count());
            format!("{} 文字目: {}", at + 1, error.message)
        }
        None => "詳細不明".to_string(),
    };
    Err(IndexError::query(format!(
        "検索式を読めません（\"、括弧、field:value の組を確かめてください。{message}）"
    )))
}

/// Quotes a string as an exact phrase of the query language.
pub fn quote_phrase(phrase: &str) -> String {
    let mut out = String::with_capacity(phrase.len() + 2);
    out.push('"');
    for c in phrase.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

struct Translator<'a> {
    fields: &'a Fields,
    tokenizer: &'a Tokenizer,
    vocabulary: Option<&'a Vocabulary>,
    /// Words and phrases of positive clauses, to highlight.
    needles: Vec<String>,
}

impl Translator<'_> {
    fn ast(
        &mut self,
        ast: &UserInputAst,
        positive: bool,
        depth: usize,
    ) -> Result<Box<dyn Query>, IndexError> {
        if depth > MAX_DEPTH * 2 {
            return Err(IndexError::query("検索式の入れ子が深すぎます"));
        }
        match ast {
            UserInputAst::Clause(clauses) => self.clause(clauses, positive, depth),
            UserInputAst::Boost(inner, boost) => {
                let query = self.ast(inner, positive, depth + 1)?;
                Ok(Box::new(BoostQuery::new(query, boost.into_inner() as f32)))
            }
            UserInputAst::Leaf(leaf) => self.leaf(leaf, positive),
        }
    }

    /// A boolean clause; terms without an operator must all match, and a
    /// clause of exclusions only is read as "everything except".
    fn clause(
        &mut self,
        clauses: &[(Option<Occur>, UserInputAst)],
        positive: bool,
        depth: usize,
    ) -> Result<Box<dyn Query>, IndexError> {
        let mut subqueries = Vec::with_capacity(clauses.len() + 1);
        for (occur, ast) in clauses {
            let occur = occur.unwrap_or(Occur::Must);
            let sub_positive = positive && occur != Occur::MustNot;
            subqueries.push((occur, self.ast(ast, sub_positive, depth + 1)?));
        }
        if subqueries.iter().all(|(occur, _)| *occur == Occur::MustNot) {
            subqueries.push((Occur::Must, Box::new(AllQuery)));
        }
        Ok(Box::new(BooleanQuery::new(subqueries)))
    }

    fn leaf(&mut self, leaf: &UserInputLeaf, positive: bool) -> Result<Box<dyn Query>, IndexError> {
        match leaf {
            UserInputLeaf::Literal(literal) => self.literal(literal, positive),
            UserInputLeaf::All => Ok(Box::new(AllQuery)),
            UserInputLeaf::Range {
                field,
                lower,
                upper,
            } => self.range(field.as_deref(), lower, upper),
            UserInputLeaf::Set { field, elements } => {
                let field = field.as_deref().unwrap_or("text");
                let alternatives = elements
                    .iter()
                    .map(|value| self.field_value(field, value, Delimiter::None, positive))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Box::new(BooleanQuery::union(alternatives)))
            }
            UserInputLeaf::Exists { field } => Err(IndexError::query(format!(
                "「{field}:*」は使えません。すべての値に当てはめるには、その条件を外してください"
            ))),
            UserInputLeaf::Regex { .. } => Err(IndexError::query(
                "正規表現は使えません。語か \"語句\" で検索してください",
            )),
        }
    }

    fn literal(
        &mut self,
        literal: &UserInputLiteral,
        positive: bool,
    ) -> Result<Box<dyn Query>, IndexError> {
        let field = literal.field_name.as_deref().unwrap_or("text");
        self.field_value(field, &literal.phrase, literal.delimiter, positive)
    }

    fn field_value(
        &mut self,
        field: &str,
        value: &str,
        delimiter: Delimiter,
        positive: bool,
    ) -> Result<Box<dyn Query>, IndexError> {
        let f = self.fields;
        match field {
            "text" => {
                if positive && !value.is_empty() {
                    self.needles.push(value.to_string());
                }
                let (in_text, in_caption) = match delimiter {
                    Delimiter::None => (
                        self.word(f.text, f.gram, value)?,
                        self.word(f.caption_words, f.caption_gram, value)?,
                    ),
                    _ => (substring(f.gram, value)?, substring(f.caption_gram, value)?),
                };
                Ok(Box::new(BooleanQuery::union(vec![in_text, in_caption])))
            }
            "caption" => match delimiter {
                Delimiter::None => self.word(f.caption_words, f.caption_gram, value),
                _ => substring(f.caption_gram, value),
            },
            "title" => match delimiter {
                Delimiter::None => self.word(f.title_words, f.title_gram, value),
                _ => substring(f.title_gram, value),
            },
            "code" | "codes" => Ok(facet_term(f.codes, &self.facet_value(field, value)?)),
            "kind" => Ok(facet_term(f.kind, &self.facet_value(field, value)?)),
            "source" => Ok(facet_term(f.source, &self.facet_value(field, value)?)),
            "collection" => Ok(facet_term(f.collection, &self.facet_value(field, value)?)),
            "digital" => Ok(term(Term::from_field_bool(f.digital, parse_bool(value)?))),
            "year" => Ok(term(Term::from_field_i64(f.year, parse_year(value)?))),
            "rule" | "rules" => Ok(exact(f.rules, value)),
            "file" => Ok(exact(f.file, value)),
            "number" => Ok(exact(f.number, value)),
            "date" => Ok(exact(f.date, value)),
            "citation" => Ok(exact(f.citation, value)),
            "normalized" => Ok(exact(f.normalized, value)),
            "id" => Ok(exact(f.id, value)),
            other => Err(unknown_field(other)),
        }
    }

    /// The value a facet filter stands for, checked when there is a vocabulary.
    fn facet_value(&self, field: &str, value: &str) -> Result<String, IndexError> {
        match self.vocabulary {
            Some(vocabulary) => vocabulary.check(field, value),
            None => Ok(value.to_string()),
        }
    }

    /// A word in a field of morphemes (`words`) and its field of bigrams
    /// (`grams`): its morphemes in order by surface or base form, or the
    /// word as a substring.
    fn word(
        &mut self,
        words: Field,
        grams: Field,
        word: &str,
    ) -> Result<Box<dyn Query>, IndexError> {
        let morphemes = self.tokenizer.tokenize(word)?;
        let mut alternatives: Vec<Box<dyn Query>> = Vec::with_capacity(3);
        if !morphemes.is_empty() {
            let surfaces: Vec<&str> = morphemes.iter().map(|m| m.surface.as_str()).collect();
            let bases: Vec<&str> = morphemes.iter().map(|m| m.base_form.as_str()).collect();
            alternatives.push(sequence(words, &surfaces));
            if bases != surfaces {
                alternatives.push(sequence(words, &bases));
            }
            if morphemes.len() > 1 && words == self.fields.text {
                self.needles.extend(
                    morphemes
                        .iter()
                        .filter(|m| m.pos.starts_with("名詞") && m.end - m.start > 1)
                        .map(|m| m.surface.clone()),
                );
            }
        }
        alternatives.push(Box::new(BoostQuery::new(substring(grams, word)?, 0.5)));
        Ok(Box::new(BooleanQuery::union(alternatives)))
    }

    fn range(
        &self,
        field: Option<&str>,
        lower: &UserInputBound,
        upper: &UserInputBound,
    ) -> Result<Box<dyn Query>, IndexError> {
        let field = match field {
            Some(field @ ("year" | "date")) => field,
            Some(other) => {
                return Err(IndexError::query(format!(
                    "「{other}」には範囲を指定できません。year:[2000 TO 2020] か date:[2000-01-01 TO 2010-12-31] を使ってください"
                )));
            }
            None => {
                return Err(IndexError::query(
                    "範囲にはフィールドが要ります: year:[2000 TO 2020]",
                ));
            }
        };
        let (lower, upper) = (self.bound(field, lower)?, self.bound(field, upper)?);
        if matches!((&lower, &upper), (Bound::Unbounded, Bound::Unbounded)) {
            return Ok(Box::new(AllQuery));
        }
        Ok(Box::new(RangeQuery::new(lower, upper)))
    }

    /// One end of a `year:` or `date:` range (`*` for open).
    fn bound(&self, field: &str, bound: &UserInputBound) -> Result<Bound<Term>, IndexError> {
        let term = |value: &str| -> Result<Term, IndexError> {
            Ok(match field {
                "year" => Term::from_field_i64(self.fields.year, parse_year(value)?),
                _ => Term::from_field_text(self.fields.date, value),
            })
        };
        Ok(match bound {
            UserInputBound::Inclusive(v) | UserInputBound::Exclusive(v) if v == "*" => {
                Bound::Unbounded
            }
            UserInputBound::Inclusive(v) => Bound::Included(term(v)?),
            UserInputBound::Exclusive(v) => Bound::Excluded(term(v)?),
            UserInputBound::Unbounded => Bound::Unbounded,
        })
    }
}

fn unknown_field(name: &str) -> IndexError {
    IndexError::query(format!(
        "「{name}」というフィールドはありません。使えるもの: {}",
        QUERY_FIELDS.join(", ")
    ))
}

fn parse_bool(value: &str) -> Result<bool, IndexError> {
    match value.to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" | "あり" => Ok(true),
        "false" | "no" | "0" | "なし" => Ok(false),
        _ => Err(IndexError::query(format!(
            "digital: には true か false を指定します（「{value}」ではなく）"
        ))),
    }
}

fn parse_year(value: &str) -> Result<i64, IndexError> {
    value.trim().parse().map_err(|_| {
        IndexError::query(format!(
            "year: には 2005 のような西暦年を指定します（「{value}」ではなく）"
        ))
    })
}

fn term(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs))
}

fn exact(field: Field, value: &str) -> Box<dyn Query> {
    term(Term::from_field_text(field, value))
}

fn facet_term(field: Field, value: &str) -> Box<dyn Query> {
    term(Term::from_facet(field, &Facet::from_path([value])))
}

/// Consecutive tokens of a positional field.
fn sequence(field: Field, words: &[&str]) -> Box<dyn Query> {
    let terms: Vec<Term> = words
        .iter()
        .map(|w| Term::from_field_text(field, w))
        .collect();
    match terms.len() {
        1 => term(terms.into_iter().next().expect("one term")),
        _ => Box::new(PhraseQuery::new(terms)),
    }
}

/// Documents of a bigram field that contain `phrase` exactly: bigrams at
/// every other character (and the last), at their relative positions. One
/// character matches every bigram that starts with it.
pub fn substring(field: Field, phrase: &str) -> Result<Box<dyn Query>, IndexError> {
    let chars: Vec<char> = phrase.chars().collect();
    match chars.len() {
        0 => Err(IndexError::query("空の語句（\"\"）は何にも当たりません")),
        1 => Ok(starting_with(field, chars[0])),
        n => {
            let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
            if offsets.last() != Some(&(n - 2)) {
                offsets.push(n - 2);
            }
            let terms: Vec<(usize, Term)> = offsets
                .into_iter()
                .map(|at| {
                    let bigram: String = chars[at..at + 2].iter().collect();
                    (at, Term::from_field_text(field, &bigram))
                })
                .collect();
            Ok(match terms.len() {
                1 => term(terms.into_iter().next().expect("one term").1),
                _ => Box::new(PhraseQuery::new_with_offset(terms)),
            })
        }
    }
}

/// Every bigram term that starts with `c` (and `c` alone, at a text's end).
fn starting_with(field: Field, c: char) -> Box<dyn Query> {
    let lower = Bound::Included(Term::from_field_text(field, &c.to_string()));
    let upper = next_char(c).map_or(Bound::Unbounded, |n| {
        Bound::Excluded(Term::from_field_text(field, &n.to_string()))
    });
    Box::new(RangeQuery::new(lower, upper))
}

/// The next Unicode scalar value (skipping surrogates).
fn next_char(c: char) -> Option<char> {
    (u32::from(c) + 1..=0x10_FFFF).find_map(char::from_u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ideographic_spaces_split_words_but_not_phrases() {
        assert_eq!(
            prepare("掲示\u{3000}縦覧 \"附\u{3000}則\"").ok(),
            Some("掲示 縦覧 \"附\u{3000}則\"".to_string())
        );
    }

    #[test]
    fn long_empty_and_deep_queries_are_refused() {
        assert!(prepare(&"あ".repeat(MAX_QUERY_CHARS + 1)).is_err());
        assert!(prepare("  ").is_err());
        assert!(prepare(&"(".repeat(MAX_DEPTH + 1)).is_err());
    }

    #[test]
    fn malformed_queries_say_where() {
        let error = parse("title:")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(error.contains("文字目"), "{error}");
        assert!(parse("\"unclosed").is_err());
    }

    #[test]
    fn phrases_are_quoted_with_escapes() {
        assert_eq!(quote_phrase(r#"a"b\c"#), r#""a\"b\\c""#);
        let ast = parse(&quote_phrase(r#"「公告」"と\"#));
        assert!(ast.is_ok());
    }

    #[test]
    fn next_char_skips_surrogates() {
        assert_eq!(next_char('\u{D7FF}'), Some('\u{E000}'));
        assert_eq!(next_char('a'), Some('b'));
        assert_eq!(next_char(char::MAX), None);
    }
}
