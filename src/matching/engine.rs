//! The matcher: runs the rules over every provision of a document.
//!
//! 1. One aho-corasick automaton over every rule's keywords finds the
//!    candidate sentences and rules (the prefilter: most text stops here).
//! 2. Only candidate sentences are tokenized, and only when a candidate rule
//!    asks for lemmas.
//! 3. A pattern match counts when the sentence (or, for a 号, the paragraph
//!    that lists it) states a duty or a discretionary power, and none of the
//!    shared exclusions (definitions, penalties, 準用, prohibitions) applies.
//! 4. Hits are grouped into one finding per (provision, code).

use aho_corasick::{AhoCorasick, AhoCorasickKind};
use std::collections::{BTreeMap, BTreeSet};
use std::ops::Range;
use std::sync::{Arc, OnceLock};

use super::finding::{Finding, MatchedWord, Priority, RuleHit};
use super::{clause, sentences};
use crate::basis::{self, BasisKind, Laws};
use crate::hashing::fnv64;
use crate::rules::{Requires, Rule, RuleSet, pattern::TokenSpan};
use crate::structure::{Document, Provision, ProvisionKind};
use crate::tokenizing::{Token, TokenizeError, Tokenizer};

/// Why matching could not run.
#[derive(Debug, thiserror::Error)]
pub enum MatchError {
    #[error("cannot build the keyword prefilter: {0}")]
    Prefilter(String),
    #[error(transparent)]
    Tokenize(#[from] TokenizeError),
}

/// How firmly a sentence states what the rule found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Force {
    Discretion,
    Duty,
    StrongDuty,
}

/// One rule firing on one sentence.
#[derive(Debug, Clone)]
struct Hit {
    rule: usize,
    matched: Vec<Range<usize>>,
    force: Force,
    /// The expression that made it a requirement.
    because: String,
}

/// The text around a provision that decides how to read it: for a 号, the
/// paragraph's lead sentence that says 次に掲げる…しなければならない.
#[derive(Debug, Clone, Default)]
struct Context<'d> {
    lead: Vec<Arc<str>>,
    /// The paragraph (or 附則, 別表) whose whole text decides the digital check.
    unit: Option<&'d Provision>,
    /// The unit's digital word, found once for all its provisions (a 附則
    /// of hundreds of articles is one unit).
    unit_digital: Arc<OnceLock<Option<String>>>,
    article: &'d str,
    paragraph: &'d str,
    caption: Option<&'d str>,
}

/// What every rule asks of one sentence, found once for all the rules that
/// read it: which shared exclusions it (or its lead) holds, and how firmly it
/// states a requirement.
#[derive(Default)]
struct SentenceFacts {
    excluded: OnceLock<Vec<bool>>,
    force: OnceLock<Option<(Force, String)>>,
}

/// Rules compiled for matching.
///
/// Cheap to clone (the compiled parts are shared), and owns what it needs, so
/// a clone can go to a worker thread (see `reading::budget`).
#[derive(Clone)]
pub struct Matcher {
    rules: Arc<RuleSet>,
    prefilter: AhoCorasick,
    /// For each prefilter pattern, the rules whose keyword it is.
    keyword_rules: Arc<[Vec<usize>]>,
    /// The common digital words, in their order.
    digital: AhoCorasick,
    tokenizer: Option<Tokenizer>,
    /// National texts to look cited provisions up in (`--laws`).
    laws: Option<Arc<Laws>>,
}

impl Matcher {
    /// Compiles the rules. A tokenizer is needed when any rule uses `lemma:`.
    pub fn new(rules: &RuleSet, tokenizer: Option<Tokenizer>) -> Result<Matcher, MatchError> {
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        for (index, rule) in rules.rules.iter().enumerate() {
            for keyword in rule.keywords.iter().filter(|k| !k.is_empty()) {
                match keywords.iter().position(|k| k == keyword) {
                    Some(at) => keyword_rules[at].push(index),
                    None => {
                        keywords.push(keyword.clone());
                        keyword_rules.push(vec![index]);
                    }
                }
            }
        }
        // A DFA: every provision's text is searched, so search speed
        // matters more than the automaton's size.
        let prefilter = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&keywords)
            .map_err(|e| MatchError::Prefilter(e.to_string()))?;
        let digital = AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&rules.common.digital)
            .map_err(|e| MatchError::Prefilter(e.to_string()))?;
        let tokenizer = match tokenizer {
            Some(t) => Some(t),
            None if rules.rules.iter().any(Rule::needs_tokens) => Some(Tokenizer::new()?),
            None => None,
        };
        Ok(Matcher {
            rules: Arc::new(rules.clone()),
            prefilter,
            keyword_rules: keyword_rules.into(),
            digital,
            tokenizer,
            laws: None,
        })
    }

    /// Looks the national provisions findings rest on up in `laws`.
    pub fn with_laws(mut self, laws: Arc<Laws>) -> Matcher {
        self.laws = Some(laws);
        self
    }

    /// True when `text` allows a digital way (one of the rules' digital words).
    pub fn allows_digital(&self, text: &str) -> bool {
        self.digital_word(None, text).is_some()
    }

    /// The national texts findings are looked up in, if any.
    pub fn laws(&self) -> Option<&Laws> {
        self.laws.as_deref()
    }

    /// Every finding of a document, in document order.
    pub fn scan(&self, document: &Document) -> Result<Vec<Finding>, MatchError> {
        let mut findings = Vec::new();
        for provision in &document.provisions {
            self.scan_provision(document, provision, &Context::default(), &mut findings)?;
        }
        if !findings.is_empty() {
            self.add_basis(document, &mut findings);
        }
        Ok(findings)
    }

    /// Gives every finding the basis of its provision (`basis`), and the
    /// current text of the national provisions it cites when `--laws` is given.
    fn add_basis(&self, document: &Document, findings: &mut [Finding]) {
        let citations = basis::analyse(document);
        for finding in findings {
            let basis = citations.basis(&finding.normalized);
            finding.basis = basis.references.iter().map(|r| r.printed.clone()).collect();
            finding.basis_kind = basis.kind;
            finding.statutes = Vec::new();
            for statute in basis.references.iter().filter_map(|r| r.statute.as_ref()) {
                if !finding.statutes.contains(statute) {
                    finding.statutes.push(statute.clone());
                }
            }
            let Some(laws) = &self.laws else { continue };
            finding.national = basis
                .references
                .iter()
                .filter(|r| {
                    r.statute
                        .as_ref()
                        .is_some_and(|s| s.kind() == BasisKind::National)
                })
                .filter_map(|r| laws.look_up(r))
                .map(|mut national| {
                    national.digital = national
                        .text
                        .as_deref()
                        .is_some_and(|t| self.allows_digital(t));
                    national
                })
                .collect();
        }
    }

    fn scan_provision<'d>(
        &self,
        document: &'d Document,
        provision: &'d Provision,
        parent: &Context<'d>,
        out: &mut Vec<Finding>,
    ) -> Result<(), MatchError> {
        let context = child_context(provision, parent);
        if !provision.text.is_empty() {
            let hits = self.match_text(&provision.text, &context)?;
            out.extend(self.findings(document, provision, &context, hits));
        }
        if provision.children.is_empty() {
            return Ok(());
        }
        let lead_context = lead_context(provision, &context);
        for child in &provision.children {
            self.scan_provision(document, child, &lead_context, out)?;
        }
        Ok(())
    }

    /// True when the rule fires on `text` read as a paragraph of its own (rule examples).
    pub fn fires(&self, rule_id: &str, text: &str) -> Result<bool, MatchError> {
        let context = Context::default();
        let hits = self.match_text(text, &context)?;
        Ok(hits.iter().any(|h| self.rules.rules[h.rule].id == rule_id))
    }

    /// The hits of every rule on one provision's text.
    fn match_text(&self, text: &str, context: &Context<'_>) -> Result<Vec<Hit>, MatchError> {
        let mut candidates: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
        let mut keywords = self.prefilter.find_overlapping_iter(text).peekable();
        if keywords.peek().is_none() {
            return Ok(Vec::new());
        }
        let spans = sentences::split(text);
        for m in keywords {
            // Sentences are in order: the last one starting at or before the match holds it.
            let after = spans.partition_point(|s| s.start <= m.start());
            let sentence = after
                .checked_sub(1)
                .filter(|&i| spans[i].contains(&m.start()));
            if let Some(sentence) = sentence {
                let rules = &self.keyword_rules[m.pattern().as_usize()];
                candidates
                    .entry(sentence)
                    .or_default()
                    .extend(rules.iter().copied());
            }
        }
        let mut hits = Vec::new();
        for (sentence_index, rules) in candidates {
            let span = spans[sentence_index].clone();
            let sentence = sentences::mask_parentheticals(&text[span.clone()]);
            let tokens = self.tokens_if_needed(&sentence, &rules)?;
            let all_spans = token_spans(&sentence, &tokens);
            let raw = &text[span.clone()];
            // Rules read what a sentence requires: a mere mention of the act
            // is masked once for all of them (see `clause`).
            let mention = clause::mention(&sentence);
            let masked = mention
                .as_ref()
                .map(|range| (clause::mask(raw, range), clause::mask(&sentence, range)));
            let spans: Vec<TokenSpan<'_>> = match &mention {
                Some(range) => all_spans
                    .iter()
                    .filter(|t| !range.contains(&t.start))
                    .cloned()
                    .collect(),
                None => all_spans,
            };
            let (raw_read, sentence_read) = match &masked {
                Some((r, s)) => (r.as_str(), s.as_str()),
                None => (raw, sentence.as_str()),
            };
            let facts = SentenceFacts::default();
            for rule in rules {
                let read = if self.rules.rules[rule].parentheticals {
                    raw_read
                } else {
                    sentence_read
                };
                let sentences = (read, sentence.as_str());
                if let Some(mut hit) = self.evaluate(rule, sentences, &spans, context, &facts) {
                    for range in &mut hit.matched {
                        *range = range.start + span.start..range.end + span.start;
                    }
                    hits.push(hit);
                }
            }
        }
        Ok(hits)
    }

    fn tokens_if_needed(
        &self,
        sentence: &str,
        rules: &BTreeSet<usize>,
    ) -> Result<Vec<Token>, MatchError> {
        let needed = rules.iter().any(|&r| self.rules.rules[r].needs_tokens());
        match (&self.tokenizer, needed) {
            (Some(tokenizer), true) => Ok(tokenizer.tokenize(sentence)?),
            _ => Ok(Vec::new()),
        }
    }

    /// Does `rule` fire on this sentence as a requirement?
    /// `sentences` is (the text the patterns read, the main clause with its
    /// parentheticals masked); both have the same byte offsets.
    fn evaluate(
        &self,
        index: usize,
        (read, sentence): (&str, &str),
        tokens: &[TokenSpan<'_>],
        context: &Context<'_>,
        facts: &SentenceFacts,
    ) -> Option<Hit> {
        let rule = &self.rules.rules[index];
        let matched = rule
            .patterns
            .iter()
            .find_map(|p| p.find(read, tokens, rule.window))?;
        if rule
            .not
            .iter()
            .any(|p| p.find(read, tokens, rule.window).is_some())
        {
            return None;
        }
        let excluded = facts
            .excluded
            .get_or_init(|| self.exclusions(sentence, context));
        if self
            .rules
            .common
            .exclusions
            .iter()
            .zip(excluded)
            .any(|(e, &present)| present && !rule.allow.contains(&e.name))
        {
            return None;
        }
        let match_end = matched.last().map_or(0, |r| r.end);
        if !rule.allow.iter().any(|a| a == "prohibition") && self.prohibits(&sentence[match_end..])
        {
            return None;
        }
        let force = facts.force.get_or_init(|| self.force(sentence, context));
        let (force, because) = match (force.clone(), rule.requires) {
            (Some(found), _) => found,
            (None, Requires::Nothing) => (Force::Duty, "（規定の存在）".to_string()),
            (None, _) => return None,
        };
        if rule.requires == Requires::Duty && force == Force::Discretion {
            return None;
        }
        Some(Hit {
            rule: index,
            matched,
            force,
            because,
        })
    }

    /// For each shared exclusion, whether the sentence or its lead holds it.
    fn exclusions(&self, sentence: &str, context: &Context<'_>) -> Vec<bool> {
        self.rules
            .common
            .exclusions
            .iter()
            .map(|e| {
                e.patterns.iter().any(|p| {
                    sentence.contains(p.as_str())
                        || context.lead.iter().any(|l| l.contains(p.as_str()))
                })
            })
            .collect()
    }

    /// 「…を掲示してはならない」: the words after the match forbid rather than require.
    fn prohibits(&self, after: &str) -> bool {
        let common = &self.rules.common;
        let clause_end = after.find('。').unwrap_or(after.len());
        let clause = &after[..clause_end];
        let first_prohibition = common
            .prohibition
            .iter()
            .filter_map(|p| clause.find(p.as_str()))
            .min();
        let first_duty = common
            .duty
            .iter()
            .filter_map(|p| clause.find(p.as_str()))
            .min();
        match (first_prohibition, first_duty) {
            (Some(p), Some(d)) => p < d,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// How firmly the sentence (or the lead of its list) states the requirement.
    fn force(&self, sentence: &str, context: &Context<'_>) -> Option<(Force, String)> {
        let common = &self.rules.common;
        let find = |words: &[String], texts: &[&str]| -> Option<String> {
            words
                .iter()
                .find(|w| texts.iter().any(|t| t.contains(w.as_str())))
                .cloned()
        };
        let mut texts = vec![sentence];
        texts.extend(context.lead.iter().map(|l| &**l));
        if let Some(word) = find(&common.strong_duty, &texts) {
            return Some((Force::StrongDuty, word));
        }
        if let Some(word) = find(&common.duty, &texts) {
            return Some((Force::Duty, word));
        }
        find(&common.discretion, &texts).map(|word| (Force::Discretion, word))
    }

    /// Groups the hits of one provision into one finding per code.
    fn findings(
        &self,
        document: &Document,
        provision: &Provision,
        context: &Context<'_>,
        hits: Vec<Hit>,
    ) -> Vec<Finding> {
        let mut by_code: BTreeMap<usize, Vec<Hit>> = BTreeMap::new();
        for hit in hits {
            let code = &self.rules.rules[hit.rule].code;
            let order = self.rules.taxonomy.position(code).unwrap_or(usize::MAX);
            by_code.entry(order).or_default().push(hit);
        }
        let digital = match context.unit {
            Some(unit) => context
                .unit_digital
                .get_or_init(|| self.digital_word(Some(unit), &provision.text))
                .clone(),
            None => self.digital_word(None, &provision.text),
        };
        by_code
            .into_values()
            .map(|hits| self.finding(document, provision, context, &hits, digital.as_deref()))
            .collect()
    }

    /// The first digital word (in the rules' order) in the provision or the
    /// unit (paragraph) that holds it.
    fn digital_word(&self, unit: Option<&Provision>, own: &str) -> Option<String> {
        let mut first: Option<usize> = None;
        let mut look = |text: &str| {
            for m in self.digital.find_overlapping_iter(text) {
                let word = m.pattern().as_usize();
                first = Some(first.map_or(word, |f| f.min(word)));
            }
        };
        // A unit holds the provision itself: its walk reads `own` too.
        match unit {
            Some(unit) => unit.walk().iter().for_each(|p| look(&p.text)),
            None => look(own),
        }
        first.map(|word| self.rules.common.digital[word].clone())
    }

    fn finding(
        &self,
        document: &Document,
        provision: &Provision,
        context: &Context<'_>,
        hits: &[Hit],
        digital: Option<&str>,
    ) -> Finding {
        let code = self.rules.rules[hits[0].rule].code.clone();
        let info = self.rules.code(&code);
        let force = hits
            .iter()
            .map(|h| h.force)
            .max()
            .unwrap_or(Force::Discretion);
        let priority = match (digital, force) {
            (Some(_), _) | (None, Force::Discretion) => Priority::Low,
            (None, Force::StrongDuty) => Priority::High,
            (None, Force::Duty) => Priority::Medium,
        };
        let ranges: Vec<Range<usize>> = hits
            .iter()
            .flat_map(|h| h.matched.iter().cloned())
            .collect();
        let matched = ranges
            .iter()
            .map(|r| MatchedWord {
                text: provision.text[r.clone()].to_string(),
                start: provision.start + provision.text[..r.start].chars().count(),
                end: provision.start + provision.text[..r.end].chars().count(),
            })
            .collect();
        let rules = hits
            .iter()
            .map(|h| {
                let rule = &self.rules.rules[h.rule];
                RuleHit {
                    id: rule.id.clone(),
                    name: rule.name.clone(),
                    reason: reason(&provision.text, h, digital),
                }
            })
            .collect();
        Finding {
            id: stable_id(
                &document.file,
                &provision.normalized,
                &code,
                &provision.text,
            ),
            file: document.file.clone(),
            title: document.title.clone(),
            number: document.number.clone(),
            doc_kind: document.kind.japanese().to_string(),
            part: provision.part,
            unit: provision.kind,
            citation: provision.citation.clone(),
            normalized: provision.normalized.clone(),
            article: context.article.to_string(),
            paragraph: context.paragraph.to_string(),
            caption: context.caption.map(str::to_string),
            excerpt: excerpt(&provision.text, &ranges),
            code_name: info.map(|i| i.name.clone()).unwrap_or_default(),
            phase: info.map(|i| i.phase.clone()).unwrap_or_default(),
            technology: info.map(|i| i.technology.clone()).unwrap_or_default(),
            code,
            matched,
            rules,
            digital_alternative: digital.is_some(),
            priority,
            basis: Vec::new(),
            basis_kind: None,
            statutes: Vec::new(),
            national: Vec::new(),
            precedents: Vec::new(),
        }
    }
}

/// Tokens with byte offsets into the sentence (the tokenizer gives characters).
fn token_spans<'t>(sentence: &str, tokens: &'t [Token]) -> Vec<TokenSpan<'t>> {
    let mut bytes: Vec<usize> = sentence.char_indices().map(|(b, _)| b).collect();
    bytes.push(sentence.len());
    let byte = |chars: usize| bytes.get(chars).copied().unwrap_or(sentence.len());
    tokens
        .iter()
        .map(|token| TokenSpan {
            surface: &token.surface,
            base: &token.base_form,
            pos: &token.pos,
            start: byte(token.start),
            end: byte(token.end),
        })
        .collect()
}

/// What a provision passes on: article and paragraph labels, 見出し, and for
/// paragraphs the whole text of the unit.
impl<'d> Context<'d> {
    /// Makes `provision` the unit of the digital check (with no word found yet).
    fn set_unit(&mut self, provision: &'d Provision) {
        self.unit = Some(provision);
        self.unit_digital = Arc::new(OnceLock::new());
    }
}

fn child_context<'d>(provision: &'d Provision, parent: &Context<'d>) -> Context<'d> {
    let mut context = parent.clone();
    match provision.kind {
        ProvisionKind::Article => {
            context.article = &provision.label;
            context.paragraph = "";
            context.caption = provision.caption.as_deref();
            context.lead.clear();
        }
        ProvisionKind::Paragraph => {
            context.paragraph = &provision.label;
            context.set_unit(provision);
            context.lead.clear();
        }
        ProvisionKind::Suppl | ProvisionKind::Appendix => {
            context.article = "";
            context.paragraph = "";
            context.caption = provision.caption.as_deref();
            context.set_unit(provision);
            context.lead.clear();
        }
        // A table row stands alone: its digital alternative is its own, not
        // one somewhere else in a 別表 of thousands of rows.
        ProvisionKind::Row => context.set_unit(provision),
        ProvisionKind::Item | ProvisionKind::Subitem => {}
        _ => {
            context.lead.clear();
        }
    }
    context
}

/// The context the children of a provision see: its text becomes their lead.
fn lead_context<'d>(provision: &'d Provision, context: &Context<'d>) -> Context<'d> {
    let mut lead = context.clone();
    if matches!(
        provision.kind,
        ProvisionKind::Paragraph | ProvisionKind::Item | ProvisionKind::Subitem
    ) && !provision.text.is_empty()
    {
        lead.lead
            .push(Arc::from(sentences::mask_parentheticals(&provision.text)));
    }
    lead
}

/// The longest excerpt, in characters (marks and cut marks included), so
/// that a checklist cell stays readable whatever the provision's length.
pub const EXCERPT_MAX: usize = 1_000;

/// The provision's text with the matched words marked 【like this】, cut to
/// [`EXCERPT_MAX`] characters around the first match (see [`shorten_excerpt`]).
fn excerpt(text: &str, ranges: &[Range<usize>]) -> String {
    let mut sorted: Vec<Range<usize>> = ranges.to_vec();
    sorted.sort_by_key(|r| r.start);
    let mut out = String::new();
    let mut at = 0;
    for r in sorted {
        if r.start < at {
            continue;
        }
        out.push_str(&text[at..r.start]);
        out.push('【');
        out.push_str(&text[r.clone()]);
        out.push('】');
        at = r.end;
    }
    out.push_str(&text[at..]);
    shorten_excerpt(&out, EXCERPT_MAX)
}

/// An excerpt of at most `max` characters: a longer one is cut around its
/// first 【match】, from the start of that sentence or line when it begins
/// shortly before, never inside a later 【…】, and `…` marks each cut.
pub fn shorten_excerpt(excerpt: &str, max: usize) -> String {
    let chars: Vec<char> = excerpt.chars().collect();
    if chars.len() <= max || max < 3 {
        return excerpt.to_string();
    }
    let first = chars.iter().position(|&c| c == '【').unwrap_or(0);
    let start = cut_start(&chars, first, max / 4);
    let end = cut_end(&chars, first, start + max - 2);
    let mut out = String::with_capacity(max * 3);
    if start > 0 {
        out.push('…');
    }
    out.extend(&chars[start..end]);
    if end < chars.len() {
        out.push('…');
    }
    out
}

/// Where a cut starts: `lead` characters before the first match, moved on to
/// just after a 。 or line break that comes before the match.
fn cut_start(chars: &[char], first: usize, lead: usize) -> usize {
    let from = first.saturating_sub(lead);
    chars[from..first]
        .iter()
        .position(|&c| c == '。' || c == '\n')
        .map_or(from, |at| from + at + 1)
}

/// Where a cut ends: at `limit`, or before a 【…】 that `limit` would split
/// (unless it is the first match, which is kept whole where it can be).
fn cut_end(chars: &[char], first: usize, limit: usize) -> usize {
    let limit = limit.min(chars.len());
    let open = chars[first..limit].iter().rposition(|&c| c == '【');
    let closed = chars[first..limit].iter().rposition(|&c| c == '】');
    match open {
        Some(at) if closed.is_none_or(|c| c < at) && at > 0 => first + at,
        _ => limit,
    }
}

fn reason(text: &str, hit: &Hit, digital: Option<&str>) -> String {
    let words: Vec<&str> = hit.matched.iter().map(|r| &text[r.clone()]).collect();
    let force = match hit.force {
        Force::StrongDuty | Force::Duty => "義務",
        Force::Discretion => "裁量",
    };
    let mut reason = format!("「{}」＋{force}「{}」", words.join("…"), hit.because);
    if let Some(word) = digital {
        reason.push_str(&format!("／電子的代替「{word}」"));
    }
    reason
}

/// A finding's stable id, `LLLLLLLLLLLL-TTTTTTTT`: twelve hex digits for where
/// it is (file, normalised citation, code) and eight for the provision's text.
/// A re-scan gives the same id while the provision is unchanged; an amended
/// wording keeps the first part, so a reviewer's decision can follow it
/// (see `ledger`). The dash keeps spreadsheets from taking it for a number.
pub fn stable_id(file: &str, normalized: &str, code: &str, text: &str) -> String {
    let location = fnv64(&[file, normalized, code]) >> 16;
    let wording = wording_hash(text);
    format!("{location:012x}-{wording:08x}")
}

/// The wording part of a [`stable_id`] as a number: a hash of a provision's text.
pub fn wording_hash(text: &str) -> u32 {
    fnv64(&[text]) as u32
}

/// The part of a [`stable_id`] that says where the finding is.
pub fn id_location(id: &str) -> &str {
    id.split_once('-').map_or(id, |(location, _)| location)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_ids_depend_on_the_provision_only() {
        let a = stable_id("a.txt", "3/2", "posting", "掲示しなければならない。");
        assert_eq!(
            a,
            stable_id("a.txt", "3/2", "posting", "掲示しなければならない。")
        );
        assert_ne!(
            a,
            stable_id("a.txt", "3/2", "posting", "掲示するものとする。")
        );
        assert_eq!(a.len(), 21);
        let amended = stable_id("a.txt", "3/2", "posting", "掲示するものとする。");
        assert_eq!(id_location(&a), id_location(&amended));
        assert_ne!(
            id_location(&a),
            id_location(&stable_id(
                "a.txt",
                "3/3",
                "posting",
                "掲示するものとする。"
            ))
        );
        assert_eq!(id_location(&a).len(), 12);
    }

    #[test]
    fn long_excerpts_are_cut_around_the_first_match() {
        let filler = "ただし書の規定は、この限りでない。".repeat(60);
        let text = format!("{filler}申請者は、申請書を窓口に提出しなければならない。{filler}");
        let at = text.find("窓口").unwrap_or(0);
        let last = text.rfind("限り").unwrap_or(0);
        let ranges = [last..last + "限り".len(), at..at + "窓口".len()];
        let cut = excerpt(&text, &ranges);
        assert!(
            cut.chars().count() <= EXCERPT_MAX,
            "{}",
            cut.chars().count()
        );
        assert!(cut.starts_with('…') && cut.ends_with('…'), "{cut}");
        assert!(cut.contains("申請書を【窓口】に提出"), "{cut}");
        // The cut starts at a sentence; a match beyond the cut is left out.
        assert!(cut.starts_with("…ただし書"), "{cut}");
        assert_eq!(cut.matches('【').count(), 1, "{cut}");
        // A match near the start keeps the start; only the end is cut.
        let head = excerpt(&text[at..], std::slice::from_ref(&(0.."窓口".len())));
        assert!(
            head.starts_with("【窓口】") && head.ends_with('…'),
            "{head}"
        );
        assert_eq!(head.chars().count(), EXCERPT_MAX - 1);
        // A short text is left whole.
        assert_eq!(excerpt("書面", std::slice::from_ref(&(0..6))), "【書面】");
        // A later match the cut would split is left out whole.
        let marked = format!("【書面】{}【押印】", "あ".repeat(993));
        let cut = shorten_excerpt(&marked, EXCERPT_MAX);
        assert!(
            cut.starts_with("【書面】あ") && cut.ends_with("あ…"),
            "{cut}"
        );
        assert_eq!(shorten_excerpt(&cut, EXCERPT_MAX), cut);
    }

    #[test]
    fn excerpts_mark_the_matches() {
        let text = "標識を掲示しなければならない。";
        let start = text.find("掲示").unwrap_or(0);
        assert_eq!(
            excerpt(text, std::slice::from_ref(&(start..start + 6))),
            "標識を【掲示】しなければならない。"
        );
    }
}
