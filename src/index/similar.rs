//! Precedents (`tenken similar`): for an analog provision, the provisions of
//! other files or collections in the index that say the same thing and
//! already allow a digital way, best first: how a neighbour or the national
//! law already wrote it.
//!
//! "The same thing" is a more-like-this query: the provision's most telling
//! morphemes (term frequency × rarity in the index, from its text and 見出し)
//! as alternatives, plus the rules that fired on it (the same wording
//! pattern scores higher). A precedent must have a finding of the same 類型
//! that already allows a digital way in its own words (not only in its 項 or
//! 号), and be in another file.

use serde::{Deserialize, Serialize};
use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, BoostQuery, MoreLikeThisQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, OwnedValue};
use tantivy::{Searcher, TantivyDocument, Term};

use super::IndexError;
use super::schema::Fields;
use super::search::{ProvisionRecord, SearchIndex, all_text, first, text};
use super::snippet::Highlighter;

/// Precedents shown per 類型 unless asked otherwise.
pub const DEFAULT_PRECEDENTS: usize = 5;

/// Most morphemes of the provision the query uses.
const QUERY_TERMS: usize = 30;

/// Weight of a rule the target and a precedent share, against the words.
const RULE_BOOST: f32 = 2.0;

/// Longest snippet of a precedent, in characters.
const SNIPPET_CHARS: usize = 160;

/// One provision that already allows a digital way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precedent {
    /// Provision id (for `tenken similar` and `/api/provision/{id}`).
    pub id: String,
    pub file: String,
    pub title: String,
    pub kind: String,
    pub number: Option<String>,
    pub collection: String,
    pub citation: String,
    pub caption: Option<String>,
    pub text: String,
    /// The words that make it digital (電磁的方法, 電子情報処理組織 …).
    pub digital_words: Vec<String>,
    /// The text around its first digital word, marked 【…】.
    pub snippet: String,
    /// The same as HTML, digital words in <b>…</b>.
    pub snippet_html: String,
    pub score: f32,
}

/// The precedents of one 類型.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodePrecedents {
    pub code: String,
    /// 類型: its Japanese name.
    pub code_name: String,
    pub precedents: Vec<Precedent>,
}

/// The answer to `similar`: the provision asked about and its precedents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precedents {
    pub target: ProvisionRecord,
    /// The finding id asked about, when one was given.
    pub finding: Option<String>,
    pub codes: Vec<CodePrecedents>,
}

impl SearchIndex {
    /// The precedents of a provision, given its id or the id of one of its
    /// findings (the checklist's ID): for the finding's 類型, or `code`, or
    /// else each 類型 found in the provision. `None` when no provision or
    /// finding has the id.
    pub fn similar(
        &self,
        id: &str,
        code: Option<&str>,
        limit: usize,
    ) -> Result<Option<Precedents>, IndexError> {
        let searcher = self.reader.searcher();
        let Some((doc, finding_code)) = self.target(&searcher, id)? else {
            return Ok(None);
        };
        let target = self.record(&doc);
        let codes = self.codes_wanted(&searcher, &target, finding_code, code)?;
        let names = crate::rules::Taxonomy::built_in();
        let mut out = Vec::with_capacity(codes.len());
        for code in codes {
            let precedents = self.precedents(&searcher, &doc, &target, &code, limit)?;
            let code_name = names
                .kinds
                .iter()
                .find(|k| k.code == code)
                .map(|k| k.name.clone())
                .unwrap_or_default();
            out.push(CodePrecedents {
                code,
                code_name,
                precedents,
            });
        }
        Ok(Some(Precedents {
            finding: (target.id != id).then(|| id.to_string()),
            target,
            codes: out,
        }))
    }

    /// The provision with this id, or the one with a finding of this id (and
    /// that finding's code).
    fn target(
        &self,
        searcher: &Searcher,
        id: &str,
    ) -> Result<Option<(TantivyDocument, Option<String>)>, IndexError> {
        let f = &self.fields;
        if let Some(doc) = first(searcher, Term::from_field_text(f.id, id))? {
            return Ok(Some((doc, None)));
        }
        let Some(doc) = first(searcher, Term::from_field_text(f.findings, id))? else {
            return Ok(None);
        };
        let code = all_text(&doc, f.finding_codes)
            .into_iter()
            .find_map(|pair| {
                let (finding, code) = pair.split_once(' ')?;
                (finding == id).then(|| code.to_string())
            });
        Ok(Some((doc, code)))
    }

    /// The 類型 to find precedents for.
    fn codes_wanted(
        &self,
        searcher: &Searcher,
        target: &ProvisionRecord,
        finding_code: Option<String>,
        code: Option<&str>,
    ) -> Result<Vec<String>, IndexError> {
        if let Some(code) = code {
            return Ok(vec![self.vocabulary(searcher)?.check("code", code)?]);
        }
        if let Some(code) = finding_code {
            return Ok(vec![code]);
        }
        if target.codes.is_empty() {
            return Err(IndexError::Query {
                message: format!(
                    "{} {} には指摘がありません。探す類型を指定してください（tenken similar は --code、API は code=）",
                    target.title, target.citation
                ),
            });
        }
        Ok(target.codes.clone())
    }

    /// The precedents of a provision that need not be in the index (a
    /// finding of `tenken scan --precedents`), for one 類型.
    pub fn precedents_for(
        &self,
        target: &Target,
        code: &str,
        limit: usize,
    ) -> Result<Vec<Precedent>, IndexError> {
        let searcher = self.reader.searcher();
        let query = precedent_query(&self.fields, &searcher, target, code);
        self.run_precedents(&searcher, &query, limit)
    }

    fn precedents(
        &self,
        searcher: &Searcher,
        doc: &TantivyDocument,
        target: &ProvisionRecord,
        code: &str,
        limit: usize,
    ) -> Result<Vec<Precedent>, IndexError> {
        let asked = Target {
            text: target.text.clone(),
            caption: target.caption.clone(),
            rules: target.rules.clone(),
            path: text(doc, self.fields.path),
        };
        let query = precedent_query(&self.fields, searcher, &asked, code);
        self.run_precedents(searcher, &query, limit)
    }

    fn run_precedents(
        &self,
        searcher: &Searcher,
        query: &BooleanQuery,
        limit: usize,
    ) -> Result<Vec<Precedent>, IndexError> {
        let top = searcher.search(query, &TopDocs::with_limit(limit.max(1)).order_by_score())?;
        top.into_iter()
            .take(limit)
            .map(|(score, address)| {
                let doc: TantivyDocument = searcher.doc(address)?;
                Ok(precedent(self.record(&doc), score))
            })
            .collect()
    }
}

/// What precedents are looked for by: a provision's text, 見出し and rules,
/// and its file (whose provisions are no precedents).
#[derive(Debug, Clone, Default)]
pub struct Target {
    pub text: String,
    pub caption: Option<String>,
    /// The ids of the rules that fired on it.
    pub rules: Vec<String>,
    /// The file's key (its canonical path, as `tenken index` keys files).
    pub path: String,
}

/// Like the target in words and rules; of the 類型 with a digital way; in another file.
fn precedent_query(f: &Fields, searcher: &Searcher, target: &Target, code: &str) -> BooleanQuery {
    let mut values = vec![(f.text, vec![OwnedValue::Str(target.text.clone())])];
    if let Some(caption) = &target.caption {
        values.push((f.caption_words, vec![OwnedValue::Str(caption.clone())]));
    }
    // Words in more than a quarter of all provisions (particles, する, 規定)
    // say nothing about what a provision requires.
    let common = (searcher.num_docs() / 4).max(2);
    let like: Box<dyn Query> = Box::new(
        MoreLikeThisQuery::builder()
            .with_min_doc_frequency(2)
            .with_max_doc_frequency(common)
            .with_min_term_frequency(1)
            .with_max_query_terms(QUERY_TERMS)
            .with_document_fields(values),
    );
    let mut similar: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Should, like)];
    let prefix = format!("{code}.");
    for rule in target.rules.iter().filter(|r| r.starts_with(&prefix)) {
        let term = Term::from_field_text(f.rules, rule);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        similar.push((
            Occur::Should,
            Box::new(BoostQuery::new(Box::new(query), RULE_BOOST)),
        ));
    }
    BooleanQuery::new(vec![
        (Occur::Must, Box::new(BooleanQuery::new(similar))),
        (
            Occur::Must,
            term_query(Term::from_field_text(f.precedent_codes, code)),
        ),
        (
            Occur::MustNot,
            term_query(Term::from_field_text(f.path, &target.path)),
        ),
    ])
}

fn term_query(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

fn precedent(record: ProvisionRecord, score: f32) -> Precedent {
    let snippet = Highlighter::new(&record.digital_words, SNIPPET_CHARS).snippet(&record.text);
    Precedent {
        id: record.id,
        file: record.file,
        title: record.title,
        kind: record.kind,
        number: record.number,
        collection: record.collection,
        citation: record.citation,
        caption: record.caption,
        text: record.text,
        digital_words: record.digital_words,
        snippet: snippet.text,
        snippet_html: snippet.html,
        score,
    }
}
