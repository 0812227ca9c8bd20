//! A finding: one analog regulation (one taxonomy code) stated by one provision.
//! It is the currency between matching and every output (checklist, report,
//! index): plain data that serialises with serde.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde::{Deserialize, Serialize};

use crate::basis::{BasisKind, NationalText, Statute};
use crate::structure::{Part, ProvisionKind};

/// How urgently a finding needs review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// A duty with no digital way.
    High,
    /// A condition or procedure that is analog, or a duty stated less firmly.
    Medium,
    /// Discretionary (…することができる) or already allowing a digital way.
    Low,
}

impl Priority {
    /// 高 / 中 / 低, as the checklist prints it.
    pub fn japanese(self) -> &'static str {
        match self {
            Priority::High => "高",
            Priority::Medium => "中",
            Priority::Low => "低",
        }
    }
}

/// A word or phrase that matched, with character offsets into the document text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MatchedWord {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// A rule that fired, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleHit {
    pub id: String,
    pub name: String,
    /// Why it counts as a requirement: 「掲示」+ duty 「しなければならない」.
    pub reason: String,
}

/// One (provision, code) finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable id: the same when the corpus is scanned again and the provision is unchanged.
    pub id: String,
    /// Path relative to the scanned folder.
    pub file: String,
    /// 例規名
    pub title: String,
    /// 例規番号
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// 種別 (条例, 規則, 要綱 …)
    pub doc_kind: String,
    /// main (本則), suppl (附則) or appendix (別表 …).
    pub part: Part,
    /// The unit that states it (article, paragraph, item, subitem …).
    pub unit: ProvisionKind,
    /// 条項 as printed: 第十二条の二第三項第一号.
    pub citation: String,
    /// Normal form: 12-2/3/1.
    pub normalized: String,
    /// The enclosing article as printed (第十二条の二), "" when none.
    pub article: String,
    /// The enclosing paragraph's printed number ("" for an article's first).
    pub paragraph: String,
    /// 見出し of the article.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// 該当箇所: the sentence with the matched words marked 【like this】.
    pub excerpt: String,
    /// Taxonomy code (posting, seal …).
    pub code: String,
    /// 類型: its Japanese name (書面掲示規制 …).
    pub code_name: String,
    pub matched: Vec<MatchedWord>,
    pub rules: Vec<RuleHit>,
    pub digital_alternative: bool,
    pub priority: Priority,
    /// 見直しの方向性 (Phase 1 → 3).
    pub phase: String,
    /// 想定される技術.
    pub technology: String,
    /// 根拠法令: the statute places the provision rests on, printed
    /// (建築基準法第12条第1項; see `basis`).
    #[serde(default)]
    pub basis: Vec<String>,
    /// 根拠の区分: 法令, 条例 or 独自 (None in a journal older than it).
    #[serde(default)]
    pub basis_kind: Option<BasisKind>,
    /// The statutes of `basis`, with their numbers when the text gives them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub statutes: Vec<Statute>,
    /// The cited national provisions as `--laws` has them now.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub national: Vec<NationalText>,
    /// Provisions of other 例規 or laws of the same 類型 that already allow a
    /// digital way, best first (`--precedents INDEX`; only for open findings).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub precedents: Vec<PrecedentNote>,
}

/// A precedent of a finding, as the checklist's JSON and the report show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrecedentNote {
    pub title: String,
    pub citation: String,
    /// The collection (例規集) of the index it is in.
    pub collection: String,
    pub kind: String,
    pub file: String,
    /// The words that make it digital.
    pub digital_words: Vec<String>,
    /// Its text around the first digital word, marked 【…】.
    pub snippet: String,
}

/// How many findings there are, by 優先度 and by whether a digital way is
/// already allowed: the counts the checklist's summary line, the journal
/// and the report print.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tally {
    #[serde(alias = "findings")]
    pub total: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    /// Already allowing a digital way.
    pub digital: usize,
    /// Not yet digital.
    #[serde(default)]
    pub open: usize,
}

impl Tally {
    pub fn add(&mut self, finding: &Finding) {
        self.count(finding.priority, finding.digital_alternative);
    }

    /// Counts one finding of `priority`, already digital or not.
    pub fn count(&mut self, priority: Priority, digital: bool) {
        self.total += 1;
        match priority {
            Priority::High => self.high += 1,
            Priority::Medium => self.medium += 1,
            Priority::Low => self.low += 1,
        }
        if digital {
            self.digital += 1;
        } else {
            self.open += 1;
        }
    }

    /// Adds another tally's counts.
    pub fn merge(&mut self, other: Tally) {
        self.total += other.total;
        self.high += other.high;
        self.medium += other.medium;
        self.low += other.low;
        self.digital += other.digital;
        self.open += other.open;
    }

    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> Tally {
        let mut tally = Tally::default();
        for finding in findings {
            tally.add(finding);
        }
        tally
    }
}

/// What the findings say about one provision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProvisionFindings {
    pub codes: BTreeSet<String>,
    pub rules: BTreeSet<String>,
    pub digital: bool,
    /// The highest 優先度 of the provision's findings of each code.
    pub priorities: BTreeMap<String, Priority>,
    /// The codes whose findings already allow a digital way.
    pub digital_codes: BTreeSet<String>,
    /// The findings' ids, with their codes.
    pub findings: Vec<(String, String)>,
}

/// The codes, rules, priorities and digital flags of the findings, by normalised citation.
pub fn findings_by_provision(findings: &[Finding]) -> HashMap<&str, ProvisionFindings> {
    let mut map: HashMap<&str, ProvisionFindings> = HashMap::new();
    for finding in findings {
        let entry = map.entry(finding.normalized.as_str()).or_default();
        entry.codes.insert(finding.code.clone());
        entry
            .rules
            .extend(finding.rules.iter().map(|r| r.id.clone()));
        entry.digital |= finding.digital_alternative;
        let priority = entry
            .priorities
            .entry(finding.code.clone())
            .or_insert(finding.priority);
        *priority = (*priority).min(finding.priority);
        if finding.digital_alternative {
            entry.digital_codes.insert(finding.code.clone());
        }
        entry
            .findings
            .push((finding.id.clone(), finding.code.clone()));
    }
    map
}
