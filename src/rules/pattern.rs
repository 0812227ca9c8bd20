//! Rule patterns: parts in order (literal text, lemma sequences on tokens,
//! regular expressions), each part within a window of characters of the one
//! before. `find` returns the byte ranges of the parts in a sentence.

use aho_corasick::AhoCorasick;
use regex::Regex;
use regex_automata::{Anchored, Input, meta};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};
use std::ops::Range;

/// One token of a sentence as patterns see it (byte offsets into the sentence).
#[derive(Debug, Clone, Copy)]
pub struct TokenSpan<'a> {
    pub surface: &'a str,
    pub base: &'a str,
    pub pos: &'a str,
    pub start: usize,
    pub end: usize,
}

/// One element of a lemma sequence.
#[derive(Debug, Clone)]
pub enum LemmaItem {
    /// `*`: any one token.
    Any,
    /// `pos:名詞`: a token whose part of speech starts with this.
    Pos(String),
    /// `掲示|掲げる`: a token whose base form (or surface) is one of these.
    Words(Vec<String>),
}

/// One part of a pattern.
#[derive(Debug, Clone)]
pub enum Part {
    Literal(String),
    Regex(RegexPart),
    Lemmas(Vec<LemmaItem>),
}

/// A regular expression part, and the fastest way to search it that finds
/// the same matches.
///
/// Most rule regexes begin with one of a few words and then allow a stretch
/// of text (`(申請書|届出書)[^。]{0,60}(提出|添付)`). Searched the usual way,
/// the engine follows every open stretch at once (one per 書 seen in the last
/// 60 characters) and spends its time building states for each new mix of
/// them. Such a regex is instead tried anchored at each place where one of
/// its first words starts, in order: the first place where it matches is the
/// leftmost match, as the usual search would report it. Measured on the
/// candidate sentences of `../shared/corpus`: half the time over all rule
/// regexes, a fifth for the longest stretches.
///
/// Either way, the words the regex cannot match without ([`Required`]) are
/// looked for before the regex itself is run: a sentence without them is
/// passed over (searched from its first words, once the first of these is
/// found, and only after it).
#[derive(Clone)]
pub struct RegexPart {
    regex: Regex,
    starts: Option<Starts>,
    required: Required,
}

/// Shown as the regex alone, as `regex::Regex` shows itself: the rules'
/// fingerprint is made of what they show, and must not change with how a
/// regex is searched.
impl std::fmt::Debug for RegexPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.regex.fmt(f)
    }
}

/// A regex's first words (every match starts with one of them) and the
/// regex itself for searches anchored where one of them starts.
#[derive(Debug, Clone)]
struct Starts {
    words: meta::Regex,
    anchored: meta::Regex,
}

impl RegexPart {
    fn new(source: &str) -> Result<RegexPart, regex::Error> {
        let regex = Regex::new(source)?;
        Ok(RegexPart {
            starts: Starts::new(source),
            required: Required::of(source),
            regex,
        })
    }

    /// Every non-empty match in `rest`, in order, without overlaps.
    fn matches<'s>(&'s self, rest: &'s str) -> Box<dyn Iterator<Item = Range<usize>> + 's> {
        match &self.starts {
            Some(starts) => Box::new(starts.matches(rest, &self.required)),
            None if !self.required.found_in(rest) => Box::new(std::iter::empty()),
            None => Box::new(
                self.regex
                    .find_iter(rest)
                    .filter(|m| !m.is_empty())
                    .map(|m| m.range()),
            ),
        }
    }
}

impl Starts {
    /// None when the regex may start with anything (a class, a repetition):
    /// then the usual search is as good.
    fn new(source: &str) -> Option<Starts> {
        let hir = regex_syntax::parse(source).ok()?;
        let prefixes = Extractor::new().kind(ExtractKind::Prefix).extract(&hir);
        let literals = prefixes.literals()?;
        if literals.is_empty() || literals.iter().any(|l| l.as_bytes().is_empty()) {
            return None;
        }
        let words = literals
            .iter()
            .map(|l| {
                std::str::from_utf8(l.as_bytes())
                    .ok()
                    .map(regex_syntax::escape)
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Starts {
            words: meta::Regex::new(&words.join("|")).ok()?,
            anchored: meta::Regex::new(source).ok()?,
        })
    }

    /// The matches in `rest`, found from its first words. The words the
    /// regex needs must follow the first place it may start, else nothing
    /// is searched further (the first words are looked for first: one
    /// literal search, cheaper than looking for the needed ones).
    fn matches<'s>(
        &'s self,
        rest: &'s str,
        required: &'s Required,
    ) -> impl Iterator<Item = Range<usize>> + 's {
        let first = self.words.search(&Input::new(rest)).map(|m| m.start());
        let mut at = match first {
            Some(start) if required.found_in(&rest[start..]) => start,
            _ => rest.len(),
        };
        std::iter::from_fn(move || {
            while at < rest.len() {
                let start = self
                    .words
                    .search(&Input::new(rest).span(at..rest.len()))?
                    .start();
                let here = Input::new(rest)
                    .span(start..rest.len())
                    .anchored(Anchored::Yes);
                match self.anchored.search(&here) {
                    Some(m) if !m.is_empty() => {
                        at = m.end();
                        return Some(m.range());
                    }
                    _ => at = start + 1,
                }
            }
            None
        })
    }
}

/// The words a regex cannot match without: for each piece of its top-level
/// sequence that is a choice of fixed words (`(提出|添付)` in
/// `(申請書|届出書)[^。]{0,60}(提出|添付)`), one of them must be in the
/// text. Pieces that may match other text or nothing (`[^。]{0,60}`,
/// `(し)?`) require nothing. The first piece is left out: it is most often
/// the regex's first words, which the search from them ([`Starts`]) looks
/// for anyway.
#[derive(Debug, Clone, Default)]
struct Required {
    /// One automaton per piece, over its words.
    pieces: Vec<AhoCorasick>,
}

impl Required {
    fn of(source: &str) -> Required {
        let Ok(hir) = regex_syntax::parse(source) else {
            return Required::default();
        };
        let pieces = match top_level(&hir).kind() {
            HirKind::Concat(pieces) => pieces.iter().skip(1).collect(),
            _ => Vec::new(),
        };
        Required {
            pieces: pieces
                .into_iter()
                .filter_map(fixed_words)
                .filter_map(|words| AhoCorasick::new(words).ok())
                .collect(),
        }
    }

    /// False when a word the regex needs is missing from `text`.
    fn found_in(&self, text: &str) -> bool {
        self.pieces.iter().all(|words| words.is_match(text))
    }
}

/// The expression inside any groups around the whole of it.
fn top_level(hir: &Hir) -> &Hir {
    match hir.kind() {
        HirKind::Capture(capture) => top_level(&capture.sub),
        _ => hir,
    }
}

/// The words a piece matches, when it matches exactly a finite set of
/// non-empty words; None when it may match anything else or nothing.
fn fixed_words(piece: &Hir) -> Option<Vec<String>> {
    if piece.properties().minimum_len().is_none_or(|n| n == 0) {
        return None;
    }
    let seq = Extractor::new().kind(ExtractKind::Prefix).extract(piece);
    if !seq.is_exact() {
        return None;
    }
    seq.literals()?
        .iter()
        .map(|l| {
            std::str::from_utf8(l.as_bytes())
                .ok()
                .filter(|w| !w.is_empty())
                .map(str::to_string)
        })
        .collect()
}

/// A compiled pattern: its parts in order, and the text it was written as.
#[derive(Debug, Clone)]
pub struct Pattern {
    pub source: String,
    pub parts: Vec<Part>,
}

/// The regex crate's error on one line: its syntax errors span several
/// lines (the pattern, a caret, then `error: …`); keep the last.
fn regex_error(e: &regex::Error) -> String {
    let text = e.to_string();
    let last = text
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("");
    last.trim().trim_start_matches("error: ").to_string()
}

impl Part {
    fn parse(text: &str) -> Result<Part, String> {
        if let Some(re) = text.strip_prefix("re:") {
            return RegexPart::new(re).map(Part::Regex).map_err(|e| {
                format!(
                    "pattern '{text}': invalid regular expression: {}",
                    regex_error(&e)
                )
            });
        }
        if let Some(lemmas) = text.strip_prefix("lemma:") {
            let items: Vec<LemmaItem> = lemmas.split_whitespace().map(LemmaItem::parse).collect();
            if items.is_empty() {
                return Err(format!(
                    "pattern '{text}': 'lemma:' needs at least one word"
                ));
            }
            return Ok(Part::Lemmas(items));
        }
        if text.is_empty() {
            return Err("empty part in a pattern (two '…' in a row?)".to_string());
        }
        Ok(Part::Literal(text.to_string()))
    }

    /// Every occurrence starting at or after byte `from`, in order, found
    /// lazily: a pattern stops reading at its first match, and a later part
    /// as soon as an occurrence lies beyond the window.
    fn occurrences<'s>(
        &'s self,
        sentence: &'s str,
        tokens: &'s [TokenSpan<'_>],
        from: usize,
    ) -> Box<dyn Iterator<Item = Range<usize>> + 's> {
        let Some(rest) = sentence.get(from..) else {
            return Box::new(std::iter::empty());
        };
        match self {
            Part::Literal(word) => Box::new(
                rest.match_indices(word.as_str())
                    .map(move |(at, w)| from + at..from + at + w.len()),
            ),
            Part::Regex(re) => {
                Box::new(re.matches(rest).map(move |m| from + m.start..from + m.end))
            }
            Part::Lemmas(items) => Box::new(lemma_occurrences(items, tokens, from)),
        }
    }
}

impl LemmaItem {
    fn parse(item: &str) -> LemmaItem {
        if item == "*" {
            LemmaItem::Any
        } else if let Some(pos) = item.strip_prefix("pos:") {
            LemmaItem::Pos(pos.to_string())
        } else {
            LemmaItem::Words(item.split('|').map(str::to_string).collect())
        }
    }

    fn accepts(&self, token: &TokenSpan<'_>) -> bool {
        match self {
            LemmaItem::Any => true,
            LemmaItem::Pos(pos) => token.pos.starts_with(pos.as_str()),
            LemmaItem::Words(words) => words.iter().any(|w| w == token.base || w == token.surface),
        }
    }
}

fn lemma_occurrences<'s>(
    items: &'s [LemmaItem],
    tokens: &'s [TokenSpan<'_>],
    from: usize,
) -> impl Iterator<Item = Range<usize>> + 's {
    let starts = if tokens.len() < items.len() {
        0
    } else {
        tokens.len() - items.len() + 1
    };
    (0..starts)
        .filter(move |&i| tokens[i].start >= from)
        .filter(move |&i| {
            items
                .iter()
                .zip(&tokens[i..])
                .all(|(item, t)| item.accepts(t))
        })
        .map(move |i| tokens[i].start..tokens[i + items.len() - 1].end)
}

impl Pattern {
    /// Parses `part…part…part`.
    pub fn parse(source: &str) -> Result<Pattern, String> {
        let parts = source
            .split(['…'])
            .flat_map(|p| p.split("..."))
            .map(|p| Part::parse(p.trim()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Pattern {
            source: source.to_string(),
            parts,
        })
    }

    pub fn needs_tokens(&self) -> bool {
        self.parts.iter().any(|p| matches!(p, Part::Lemmas(_)))
    }

    /// The first match: byte ranges of every part, in order.
    pub fn find(
        &self,
        sentence: &str,
        tokens: &[TokenSpan<'_>],
        window: usize,
    ) -> Option<Vec<Range<usize>>> {
        self.find_from(0, sentence, tokens, window, None)
    }

    fn find_from(
        &self,
        index: usize,
        sentence: &str,
        tokens: &[TokenSpan<'_>],
        window: usize,
        previous_end: Option<usize>,
    ) -> Option<Vec<Range<usize>>> {
        let part = self.parts.get(index)?;
        for range in part.occurrences(sentence, tokens, previous_end.unwrap_or(0)) {
            if let Some(end) = previous_end {
                let gap = sentence
                    .get(end..range.start)
                    .map_or(usize::MAX, |g| g.chars().count());
                if gap > window {
                    break;
                }
            }
            if index + 1 == self.parts.len() {
                return Some(vec![range]);
            }
            if let Some(mut rest) =
                self.find_from(index + 1, sentence, tokens, window, Some(range.end))
            {
                rest.insert(0, range);
                return Some(rest);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span<'a>(surface: &'a str, base: &'a str, pos: &'a str, start: usize) -> TokenSpan<'a> {
        TokenSpan {
            surface,
            base,
            pos,
            start,
            end: start + surface.len(),
        }
    }

    #[test]
    fn literal_and_window() {
        let p = Pattern::parse("事務所ごとに…を置かなければならない").expect("parses");
        let s = "事務所ごとに、専任の管理者を置かなければならない。";
        assert!(p.find(s, &[], 40).is_some());
        assert!(p.find(s, &[], 3).is_none());
    }

    #[test]
    fn lemma_sequences_match_inflections() {
        let p = Pattern::parse("lemma:掲示 する").expect("parses");
        let s = "掲示しなければならない";
        let tokens = [
            span("掲示", "掲示", "名詞,サ変接続", 0),
            span("し", "する", "動詞,自立", 6),
        ];
        let found = p.find(s, &tokens, 40).expect("matches");
        assert_eq!((found.len(), found[0].clone()), (1, 0..9));
        let p = Pattern::parse("lemma:pos:名詞 する|させる").expect("parses");
        assert!(p.find(s, &tokens, 40).is_some());
    }

    /// The anchored search finds exactly what the usual search finds.
    #[test]
    fn anchored_regex_search_finds_the_usual_matches() {
        let sentences = [
            "申請書を提出し、届出書は市長に提出しなければならない。",
            "書類及び図書を添えて届け出る。届出書（様式第1号）を提出する。",
            "報告書報告書を、書面により提出すること。書",
            "提出書類の写しを添付し、申請書を持参する。",
            "",
            "この規則は、公布の日から施行する。",
        ];
        let patterns = [
            "(申請書|届出書|届|書面)[^。]{0,60}(提出|添付|により)",
            "(書|書類|図書|届)(を|及び|、)[^。]{0,50}(提出|添え|届け出)",
            "(書|書類|届|証)[（(][^。]{0,300}?[）)]を[^。]{0,30}(提出|添え)",
            "書(類)?",
            "届出?",
            "写し(を|の)[^。]{0,10}(添え|添付)",
        ];
        for pattern in patterns {
            let part = RegexPart::new(pattern).expect("valid");
            assert!(part.starts.is_some(), "{pattern} begins with words");
            for sentence in sentences {
                for from in sentence.char_indices().map(|(i, _)| i) {
                    let rest = &sentence[from..];
                    let found: Vec<Range<usize>> = part.matches(rest).collect();
                    assert_eq!(found, usual_matches(&part, rest), "{pattern} on {rest}");
                }
            }
        }
        // A regex that may start anywhere is searched the usual way.
        assert!(
            RegexPart::new("[^。]{0,6}(届|書)")
                .expect("valid")
                .starts
                .is_none()
        );
    }

    /// The usual search of `part`'s regex: every non-empty match, in order.
    fn usual_matches(part: &RegexPart, text: &str) -> Vec<Range<usize>> {
        part.regex
            .find_iter(text)
            .filter(|m| !m.is_empty())
            .map(|m| m.range())
            .collect()
    }

    /// A sentence without the words a regex needs is passed over, and with
    /// them it is searched as before.
    #[test]
    fn a_regex_is_not_searched_without_the_words_it_needs() {
        let part = RegexPart::new("(申請書|届出書)[^。]{0,60}(提出|添付)(しなければ|する)?")
            .expect("valid");
        assert_eq!(part.required.pieces.len(), 1, "(提出|添付) only");
        let without = "申請書を持参し、届出書は郵送しなければならない。";
        assert!(!part.required.found_in(without));
        assert_eq!(part.matches(without).count(), 0);
        let with = "申請書を持参し、届出書は市長に提出しなければならない。";
        assert_eq!(
            part.matches(with).collect::<Vec<_>>(),
            usual_matches(&part, with)
        );
        assert_eq!(part.matches(with).count(), 1);
        // Pieces that may match anything or nothing require nothing.
        assert!(
            RegexPart::new("書(類)?")
                .expect("valid")
                .required
                .pieces
                .is_empty()
        );
        assert!(
            RegexPart::new("[^。]{0,6}(届|書)")
                .expect("valid")
                .required
                .pieces
                .len()
                == 1
        );
    }

    /// Every regex of the built-in rules finds, on every example sentence
    /// of every rule, from every character, what the usual search finds.
    #[test]
    fn the_rules_regexes_find_the_usual_matches_on_every_example() {
        let rules = crate::rules::RuleSet::built_in().expect("built-in rules");
        let sentences: Vec<&str> = rules
            .rules
            .iter()
            .flat_map(|r| r.must_match.iter().chain(&r.no_match))
            .map(String::as_str)
            .collect();
        let parts: Vec<&RegexPart> = rules
            .rules
            .iter()
            .flat_map(|r| r.patterns.iter().chain(&r.not))
            .flat_map(|p| &p.parts)
            .filter_map(|part| match part {
                Part::Regex(re) => Some(re),
                _ => None,
            })
            .collect();
        assert!(parts.len() > 100 && sentences.len() > 100);
        for part in parts {
            for sentence in &sentences {
                for from in sentence.char_indices().map(|(i, _)| i).step_by(7) {
                    let rest = &sentence[from..];
                    let found: Vec<Range<usize>> = part.matches(rest).collect();
                    assert_eq!(found, usual_matches(part, rest), "{part:?} on {rest}");
                }
            }
        }
    }

    #[test]
    fn bad_regex_is_reported() {
        let e = Pattern::parse("re:掲示(").expect_err("invalid");
        assert!(
            e.contains("invalid regular expression: unclosed group"),
            "{e}"
        );
        assert!(!e.contains('\n'), "{e}");
    }
}
