//! Answering queries: [`SearchIndex`] opens an index once (a reloading
//! reader, `Send + Sync`, cheap to share across threads) and returns ranked
//! provisions with snippets, and facet counts over the whole result set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector, FacetCounts, TopDocs};
use tantivy::query::Query;
use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, Searcher, TantivyDocument, Term};

use super::IndexError;
use super::query::{Compiled, Vocabulary, compile};
use super::schema::{Fields, check_schema, register_tokenizers};
use super::snippet::Highlighter;
use crate::tokenizing::Tokenizer;

/// Most results one request may ask for.
pub const MAX_LIMIT: usize = 10_000;

/// Longest snippet, in characters.
const SNIPPET_CHARS: usize = 120;

/// A search: the query string and the page of results wanted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchRequest {
    pub query: String,
    pub limit: usize,
    pub offset: usize,
}

/// One ranked provision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// Stable provision id (for [`SearchIndex::provision`]).
    pub id: String,
    /// The file, relative to the folder indexed.
    pub file: String,
    /// 例規 title.
    pub title: String,
    /// 種別 (条例, 規則 …).
    pub kind: String,
    /// 例規番号, when the file gives one.
    #[serde(default)]
    pub number: Option<String>,
    /// Promulgation date (ISO) and its year, when the file gives one.
    #[serde(default)]
    pub date: Option<String>,
    #[serde(default)]
    pub year: Option<i64>,
    /// The collection (例規集) the file was indexed into.
    #[serde(default)]
    pub collection: String,
    /// Where the file comes from (egov-acts, tokyo-wards …).
    pub source: String,
    /// Citation as printed (第十二条の二第三項).
    pub citation: String,
    /// Normalised citation (12-2/3).
    pub normalized: String,
    /// 見出し, when the provision or its article has one.
    pub caption: Option<String>,
    /// Taxonomy codes found in the provision.
    pub codes: Vec<String>,
    /// The provision already allows a digital way.
    pub digital: bool,
    /// The text around the match, matches marked 【…】.
    pub snippet: String,
    /// The same as HTML, matches in <b>…</b>, the rest escaped.
    pub snippet_html: String,
    pub score: f32,
}

/// Counts of the whole result set by code, kind and source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facets {
    pub codes: BTreeMap<String, u64>,
    pub kinds: BTreeMap<String, u64>,
    pub sources: BTreeMap<String, u64>,
    #[serde(default)]
    pub collections: BTreeMap<String, u64>,
}

/// The answer to a [`SearchRequest`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResponse {
    /// Provisions matching, in all.
    pub total: u64,
    /// The requested page of them, best first.
    pub hits: Vec<Hit>,
    pub facets: Facets,
}

/// Everything the index stores about one provision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProvisionRecord {
    pub id: String,
    /// The file, relative to the folder indexed (never a path of the
    /// machine the index was built on).
    pub file: String,
    pub title: String,
    pub kind: String,
    pub number: Option<String>,
    /// Promulgation date (ISO).
    pub date: Option<String>,
    pub year: Option<i64>,
    #[serde(default)]
    pub collection: String,
    pub source: String,
    pub citation: String,
    pub normalized: String,
    pub caption: Option<String>,
    pub text: String,
    pub codes: Vec<String>,
    pub rules: Vec<String>,
    pub digital: bool,
    /// The rules' digital words the text has (電磁的方法 …).
    #[serde(default)]
    pub digital_words: Vec<String>,
}

/// A provision and the provisions of its article, in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleView {
    /// The provision asked about.
    pub provision: ProvisionRecord,
    /// Every provision of its article, itself included.
    pub provisions: Vec<ProvisionRecord>,
}

/// The article part of a normal citation: `12-2` of `12-2/3/1`.
fn article_of(normalized: &str) -> &str {
    normalized.split('/').next().unwrap_or(normalized)
}

/// A sort key for normal citations: numbers compare as numbers (2 before 10).
fn citation_order(normalized: &str) -> Vec<(u64, String)> {
    normalized
        .split(['/', '-'])
        .map(|part| {
            let digits: String = part.chars().filter(char::is_ascii_digit).collect();
            let letters: String = part.chars().filter(|c| !c.is_ascii_digit()).collect();
            (digits.parse().unwrap_or(0), letters)
        })
        .collect()
}

/// An open index, ready for queries from any number of threads.
pub struct SearchIndex {
    index: Index,
    pub(super) reader: IndexReader,
    pub(super) fields: Fields,
    tokenizer: Tokenizer,
    dir: PathBuf,
    /// The facet values of the index, for the searcher generation they were read from.
    vocabulary: Mutex<Option<(u64, Arc<Vocabulary>)>>,
}

impl SearchIndex {
    /// Opens the index in `dir` (written by `tenken index`). The reader picks
    /// up later commits by itself.
    pub fn open(dir: &Path) -> Result<Self, IndexError> {
        if !dir.join("meta.json").is_file() {
            return Err(IndexError::Missing {
                dir: dir.to_path_buf(),
            });
        }
        let tokenizer = Tokenizer::new()?;
        let (schema, fields) = Fields::build();
        let index = Index::open_in_dir(dir)?;
        check_schema(&index, &schema, dir)?;
        register_tokenizers(&index, &tokenizer);
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::OnCommitWithDelay)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            fields,
            tokenizer,
            dir: dir.to_path_buf(),
            vocabulary: Mutex::new(None),
        })
    }

    /// Makes the latest commit visible now (the reader also does so by
    /// itself shortly after each commit).
    pub fn reload(&self) -> Result<(), IndexError> {
        Ok(self.reader.reload()?)
    }

    /// The analyser queries are tokenized with.
    pub(super) fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The folder the index is in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// How many provisions the index holds.
    pub fn num_provisions(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The tantivy index, for tools that need more than this API.
    pub fn tantivy_index(&self) -> &Index {
        &self.index
    }

    /// Runs a query: one page of ranked provisions, the total and the facets.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResponse, IndexError> {
        if request.limit > MAX_LIMIT {
            return Err(IndexError::query(format!(
                "件数 {} は多すぎます。1 回に {MAX_LIMIT} 件までです",
                request.limit
            )));
        }
        let searcher = self.reader.searcher();
        let vocabulary = self.vocabulary(&searcher)?;
        let Compiled { query, needles } = compile(
            &request.query,
            &self.fields,
            &self.tokenizer,
            Some(&vocabulary),
        )?;
        let (top, total, facets) = self.collect(&searcher, query.as_ref(), request)?;
        let highlighter = Highlighter::new(&needles, SNIPPET_CHARS);
        let hits = top
            .into_iter()
            .map(|(score, address)| self.hit(&searcher, address, score, &highlighter))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(SearchResponse {
            total: total as u64,
            hits,
            facets,
        })
    }

    /// The values of the facets (類型, 種別, source) the index holds, read once
    /// per searcher generation, and the 類型's Japanese names.
    pub fn vocabulary(&self, searcher: &Searcher) -> Result<Arc<Vocabulary>, IndexError> {
        let generation = searcher.generation().generation_id();
        let mut cached = self.vocabulary.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((at, vocabulary)) = cached.as_ref()
            && *at == generation
        {
            return Ok(vocabulary.clone());
        }
        let collectors = (
            root_facets("codes"),
            root_facets("kind"),
            root_facets("source"),
            root_facets("collection"),
        );
        let (codes, kinds, sources, collections) =
            searcher.search(&tantivy::query::AllQuery, &collectors)?;
        let taxonomy = crate::rules::Taxonomy::built_in();
        let vocabulary = Arc::new(Vocabulary {
            codes: facet_map(&codes).into_keys().collect(),
            kinds: facet_map(&kinds).into_keys().collect(),
            sources: facet_map(&sources).into_keys().collect(),
            collections: facet_map(&collections).into_keys().collect(),
            code_names: taxonomy
                .kinds
                .iter()
                .map(|k| (k.name.clone(), k.code.clone()))
                .collect(),
        });
        *cached = Some((generation, vocabulary.clone()));
        Ok(vocabulary)
    }

    /// The top documents of the page, the count and the facets, in one pass.
    #[allow(clippy::type_complexity)]
    fn collect(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        request: &SearchRequest,
    ) -> Result<(Vec<(f32, DocAddress)>, usize, Facets), IndexError> {
        let facet_collectors = (
            root_facets("codes"),
            root_facets("kind"),
            root_facets("source"),
            root_facets("collection"),
        );
        let page = TopDocs::with_limit(request.limit.max(1))
            .and_offset(request.offset)
            .order_by_score();
        let (mut top, total, (codes, kinds, sources, collections)) =
            searcher.search(query, &(page, Count, facet_collectors))?;
        top.truncate(request.limit);
        let facets = Facets {
            codes: facet_map(&codes),
            kinds: facet_map(&kinds),
            sources: facet_map(&sources),
            collections: facet_map(&collections),
        };
        Ok((top, total, facets))
    }

    fn hit(
        &self,
        searcher: &Searcher,
        address: DocAddress,
        score: f32,
        highlighter: &Highlighter,
    ) -> Result<Hit, IndexError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let f = &self.fields;
        let snippet = highlighter.snippet(&text(&doc, f.text));
        Ok(Hit {
            id: text(&doc, f.id),
            file: text(&doc, f.file),
            title: text(&doc, f.title),
            kind: facet(&doc, f.kind),
            number: optional_text(&doc, f.number),
            date: optional_text(&doc, f.date),
            year: doc.get_first(f.year).and_then(|v| v.as_i64()),
            collection: facet(&doc, f.collection),
            source: facet(&doc, f.source),
            citation: text(&doc, f.citation),
            normalized: text(&doc, f.normalized),
            caption: optional_text(&doc, f.caption),
            codes: facets(&doc, f.codes),
            digital: doc
                .get_first(f.digital)
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
            snippet: snippet.text,
            snippet_html: snippet.html,
            score,
        })
    }

    /// The stored fields of one provision, by id; `None` when there is no such id.
    pub fn provision(&self, id: &str) -> Result<Option<ProvisionRecord>, IndexError> {
        let searcher = self.reader.searcher();
        let doc = first(&searcher, Term::from_field_text(self.fields.id, id))?;
        Ok(doc.map(|doc| self.record(&doc)))
    }

    /// A provision in its article: the provisions of the same file whose
    /// citation is under the same article (or 附則 article, 別表), in order.
    /// `None` when there is no such id.
    pub fn article(&self, id: &str) -> Result<Option<ArticleView>, IndexError> {
        let searcher = self.reader.searcher();
        let Some(doc) = first(&searcher, Term::from_field_text(self.fields.id, id))? else {
            return Ok(None);
        };
        let provision = self.record(&doc);
        let path = text(&doc, self.fields.path);
        let query = tantivy::query::TermQuery::new(
            Term::from_field_text(self.fields.path, &path),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let top = searcher.search(&query, &TopDocs::with_limit(MAX_LIMIT).order_by_score())?;
        let head = article_of(&provision.normalized);
        let mut provisions = Vec::new();
        for (_, address) in top {
            let doc: TantivyDocument = searcher.doc(address)?;
            let record = self.record(&doc);
            if article_of(&record.normalized) == head {
                provisions.push(record);
            }
        }
        provisions.sort_by_key(|r| citation_order(&r.normalized));
        Ok(Some(ArticleView {
            provision,
            provisions,
        }))
    }

    pub(super) fn record(&self, doc: &TantivyDocument) -> ProvisionRecord {
        let f = &self.fields;
        ProvisionRecord {
            id: text(doc, f.id),
            file: text(doc, f.file),
            title: text(doc, f.title),
            kind: facet(doc, f.kind),
            number: optional_text(doc, f.number),
            date: optional_text(doc, f.date),
            year: doc.get_first(f.year).and_then(|v| v.as_i64()),
            collection: facet(doc, f.collection),
            source: facet(doc, f.source),
            citation: text(doc, f.citation),
            normalized: text(doc, f.normalized),
            caption: optional_text(doc, f.caption),
            text: text(doc, f.text),
            codes: facets(doc, f.codes),
            rules: all_text(doc, f.rules),
            digital_words: all_text(doc, f.digital_words),
            digital: doc
                .get_first(f.digital)
                .and_then(|v| v.as_bool())
                .unwrap_or(false),
        }
    }
}

/// The first document with this term (an id is unique in the index).
pub(super) fn first(
    searcher: &Searcher,
    term: Term,
) -> Result<Option<TantivyDocument>, IndexError> {
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = searcher.search(&query, &TopDocs::with_limit(1).order_by_score())?;
    match top.into_iter().next() {
        Some((_, address)) => Ok(Some(searcher.doc(address)?)),
        None => Ok(None),
    }
}

pub(super) fn root_facets(field: &str) -> FacetCollector {
    let mut collector = FacetCollector::for_field(field);
    collector.add_facet("/");
    collector
}

/// The counts of the facet values directly under the root.
pub(super) fn facet_map(counts: &FacetCounts) -> BTreeMap<String, u64> {
    counts
        .get("/")
        .map(|(facet, count)| (facet_name(&facet.to_path()), count))
        .collect()
}

fn facet_name(path: &[&str]) -> String {
    path.last().copied().unwrap_or_default().to_string()
}

pub(super) fn text(doc: &TantivyDocument, field: Field) -> String {
    optional_text(doc, field).unwrap_or_default()
}

/// Every stored value of a text field.
pub(super) fn all_text(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect()
}

fn optional_text(doc: &TantivyDocument, field: Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str().map(str::to_owned))
}

/// The last path component of each stored facet value of a field.
pub(super) fn facets(doc: &TantivyDocument, field: Field) -> Vec<String> {
    doc.get_all(field)
        .filter_map(|v| v.as_facet().map(facet_leaf))
        .collect()
}

fn facet(doc: &TantivyDocument, field: Field) -> String {
    facets(doc, field).into_iter().next().unwrap_or_default()
}

/// The last component of an encoded facet path (components are separated by NUL).
fn facet_leaf(encoded: &str) -> String {
    encoded.rsplit('\0').next().unwrap_or_default().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_shareable<T: Send + Sync>() {}

    #[test]
    fn the_search_index_can_be_shared_across_threads() {
        assert_shareable::<SearchIndex>();
    }
}
