//! Counts for comparing 例規集 at a glance (`tenken counts`, `/api/counts`):
//! per collection and 類型, the provisions with a finding of that 類型, by
//! their highest 優先度, and how many already allow a digital way.

use serde::{Deserialize, Serialize};
use tantivy::collector::{Count, FacetCollector};
use tantivy::query::{AllQuery, BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{Facet, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::IndexError;
use super::query::{Compiled, compile};
use super::search::SearchIndex;

/// One collection × 類型 cell.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountRow {
    pub collection: String,
    pub code: String,
    /// 類型: its Japanese name.
    pub code_name: String,
    /// Provisions with a finding of this 類型.
    pub provisions: u64,
    /// Of those, by the highest 優先度 of their findings of this 類型.
    pub high: u64,
    pub medium: u64,
    pub low: u64,
    /// Of those, the ones whose finding already allows a digital way.
    pub digital: u64,
}

/// One collection's size.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectionTotal {
    pub collection: String,
    /// Provisions of the collection (that match the query, when one is given).
    pub provisions: u64,
}

/// The table: every collection × every 類型 of the taxonomy, in its order.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub collections: Vec<CollectionTotal>,
    pub rows: Vec<CountRow>,
}

impl SearchIndex {
    /// Counts per collection × 類型 of the provisions that match `query`
    /// (all provisions when `None`).
    pub fn counts(&self, query: Option<&str>) -> Result<Counts, IndexError> {
        let searcher = self.reader.searcher();
        let vocabulary = self.vocabulary(&searcher)?;
        let filter: Box<dyn Query> = match query.map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => {
                let Compiled { query, .. } =
                    compile(q, &self.fields, self.tokenizer(), Some(&vocabulary))?;
                query
            }
            None => Box::new(AllQuery),
        };
        let taxonomy = crate::rules::Taxonomy::built_in();
        let mut counts = Counts::default();
        for collection in &vocabulary.collections {
            let within = self.and(
                filter.box_clone(),
                Term::from_facet(self.fields.collection, &Facet::from_path([collection])),
            );
            let mut found = FacetCollector::for_field("found");
            for kind in &taxonomy.kinds {
                found.add_facet(Facet::from_path([kind.code.as_str()]));
            }
            let (total, found) = searcher.search(within.as_ref(), &(Count, found))?;
            counts.collections.push(CollectionTotal {
                collection: collection.clone(),
                provisions: total as u64,
            });
            for kind in &taxonomy.kinds {
                let mut row = CountRow {
                    collection: collection.clone(),
                    code: kind.code.clone(),
                    code_name: kind.name.clone(),
                    ..CountRow::default()
                };
                for (facet, n) in found.get(&format!("/{}", kind.code)) {
                    match facet.to_path().last().copied() {
                        Some("高") => row.high += n,
                        Some("中") => row.medium += n,
                        _ => row.low += n,
                    }
                }
                row.provisions = row.high + row.medium + row.low;
                if row.provisions > 0 {
                    let digital = self.and(
                        within.box_clone(),
                        Term::from_field_text(self.fields.digital_codes, &kind.code),
                    );
                    row.digital = digital_count(&searcher, digital.as_ref())?;
                }
                counts.rows.push(row);
            }
        }
        Ok(counts)
    }

    fn and(&self, query: Box<dyn Query>, term: Term) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(vec![
            (Occur::Must, query),
            (
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ),
        ]))
    }
}

fn digital_count(searcher: &Searcher, query: &dyn Query) -> Result<u64, IndexError> {
    Ok(searcher.search(query, &Count)? as u64)
}
