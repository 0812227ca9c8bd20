//! The legal basis (根拠法令) of a provision: the statutes its text cites,
//! resolved to full names and places, and whether it rests on national law
//! (法令), on the municipality's own 条例, or on nothing stated (独自).
//!
//! `citations` reads the citations of one text; this module walks a whole
//! document in order, so that 「法」 means what 第1条 defined it as, 同法 the
//! statute named last and 前条 the article before; `laws` looks cited national
//! provisions up in a folder of e-Gov XML (`--laws`).

pub mod citations;
pub mod laws;

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::structure::numbers::NumeralStyle;
use crate::structure::{DocKind, Document, Part, Provision, ProvisionKind};
use citations::{Cited, Place, Reader, Step, Target};

pub use laws::{LawError, Laws, NationalText};

/// A statute as a text names it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Statute {
    /// 建築基準法
    pub title: String,
    /// 昭和25年法律第201号, as printed, when the text gives it: it names the
    /// statute across renames.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub number: Option<String>,
}

/// What kind of rule a statute is, for the basis of what rests on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum BasisKind {
    /// National law or order (法律, 政令, 府令, 省令, a national 規則).
    #[serde(rename = "法令")]
    National,
    /// A 条例 (the municipality's own, or its prefecture's).
    #[serde(rename = "条例")]
    Ordinance,
    /// No statutory basis stated: the municipality's own rule.
    #[serde(rename = "独自")]
    Own,
}

impl BasisKind {
    /// 法令 / 条例 / 独自, as the checklist prints it.
    pub fn japanese(self) -> &'static str {
        match self {
            BasisKind::National => "法令",
            BasisKind::Ordinance => "条例",
            BasisKind::Own => "独自",
        }
    }
}

impl Statute {
    /// Whether this statute is national law, a 条例, or a municipality's own
    /// 規則 (which is no statutory basis of its own): by its number when the
    /// text gives one, else by its title.
    pub fn kind(&self) -> BasisKind {
        if let Some(number) = &self.number {
            if number.contains("条例") {
                return BasisKind::Ordinance;
            }
            if ["法律", "政令", "府令", "省令"]
                .iter()
                .any(|w| number.contains(w))
            {
                return BasisKind::National;
            }
            if number.contains("規則") {
                return if local(number) {
                    BasisKind::Own
                } else {
                    BasisKind::National
                };
            }
        }
        let title = self.title.as_str();
        if title.contains("条例") {
            return BasisKind::Ordinance;
        }
        if title.ends_with("規則") || title.ends_with("細則") || title.ends_with("規程") {
            // 建築基準法施行規則, 人事院規則 are national; 鯖江市財務規則 is not.
            let stem = title
                .trim_end_matches("施行規則")
                .trim_end_matches("施行細則");
            let national = stem.ends_with('法')
                || stem.ends_with("法律")
                || stem.ends_with('令')
                || title.starts_with("人事院")
                || title.contains("委員会規則") && !local(title);
            return if national && !local(title) {
                BasisKind::National
            } else {
                BasisKind::Own
            };
        }
        BasisKind::National
    }
}

/// True when a title or number is a municipality's or prefecture's (鯖江市…, 東京都…).
fn local(text: &str) -> bool {
    let head: String = text
        .chars()
        .take_while(|c| !matches!(c, '規' | '条' | '第'))
        .collect();
    head.contains(['市', '町', '村', '区', '都', '道', '府', '県'])
        && !head.contains("道路")
        && !head.contains("都市")
}

/// A citation resolved: the statute (None for the citing 例規 itself) and
/// the place in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub statute: Option<Statute>,
    /// The article's numbers (第12条の2 → [12, 2]), empty for the whole statute.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub article: Vec<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub paragraph: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub item: Option<u32>,
    /// As a clerk reads it: 建築基準法第12条第1項, or 第3条 for the 例規's own.
    pub printed: String,
    /// The citing text carries this provision out (「…の規定により」「…に基づき」).
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub carried_out: bool,
}

impl Reference {
    /// The normal form of the place, as the provision tree has it (12-2/1/3).
    pub fn normalized(&self) -> Option<String> {
        if self.article.is_empty() {
            return None;
        }
        let article: Vec<String> = self.article.iter().map(u32::to_string).collect();
        let mut out = article.join("-");
        match (self.paragraph, self.item) {
            (Some(p), Some(i)) => out.push_str(&format!("/{p}/{i}")),
            (Some(p), None) => out.push_str(&format!("/{p}")),
            (None, Some(i)) => out.push_str(&format!("/1/{i}")),
            (None, None) => {}
        }
        Some(out)
    }
}

/// The basis of one provision, as a finding carries it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Basis {
    /// Every statute place the provision rests on, printed (建築基準法第12条第1項).
    pub references: Vec<Reference>,
    pub kind: Option<BasisKind>,
}

/// The citations of every provision of one document, resolved.
#[derive(Debug, Clone, Default)]
pub struct DocumentCitations {
    /// By the provision's normalized citation.
    by_provision: HashMap<String, Vec<Reference>>,
    /// What the purpose article (第1条 趣旨・目的) cites.
    purpose: Vec<Reference>,
    national_document: bool,
    /// The words the document defined as statutes (法 = 建築基準法), in order.
    pub definitions: Vec<(String, Statute)>,
}

/// Resolution state while walking a document in order.
struct Walk {
    /// The 例規's own title: citing it by name is citing itself.
    own_title: String,
    /// The kana part of the 例規's municipality (つばき of つばき町), which
    /// a title cited in the text starts with.
    kana_town: Option<String>,
    style: NumeralStyle,
    abbreviations: HashMap<String, Statute>,
    /// The keys of `abbreviations`, for `cited` (whose result does not
    /// depend on their order).
    known: Vec<String>,
    definitions: Vec<(String, Statute)>,
    /// Every statute named so far, latest last (for 同法).
    named: Vec<Statute>,
    /// The article numbers of the main part, in order (for 前条, 次条).
    articles: Vec<Vec<u32>>,
    reader: Reader,
}

/// Resolves every citation of a document.
pub fn analyse(document: &Document) -> DocumentCitations {
    let provisions = document.walk();
    let articles: Vec<Vec<u32>> = provisions
        .iter()
        .filter(|p| p.kind == ProvisionKind::Article && p.part == Part::Main)
        .filter_map(|p| article_numbers(&p.normalized))
        .collect();
    let mut walk = Walk {
        own_title: document
            .title
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect(),
        kana_town: kana_town(&document.title),
        style: NumeralStyle::of(
            provisions
                .iter()
                .find(|p| p.kind == ProvisionKind::Article)
                .map_or("", |p| p.label.as_str()),
        ),
        abbreviations: HashMap::new(),
        known: Vec::new(),
        definitions: Vec::new(),
        named: Vec::new(),
        articles,
        reader: Reader::default(),
    };
    let mut out = DocumentCitations {
        national_document: matches!(
            document.kind,
            DocKind::Act
                | DocKind::CabinetOrder
                | DocKind::CabinetOfficeOrdinance
                | DocKind::MinisterialOrdinance
        ),
        ..DocumentCitations::default()
    };
    if let Some(preamble) = &document.preamble {
        let refs = walk.resolve_text(preamble, None);
        out.purpose.extend(refs);
    }
    let mut purpose_set = false;
    for provision in provisions {
        if provision.text.is_empty() {
            continue;
        }
        let refs = walk.resolve_text(&provision.text, Some(provision));
        if !purpose_set && provision.part == Part::Main {
            purpose_set = true;
            out.purpose
                .extend(refs.iter().filter(|r| r.statute.is_some()).cloned());
        }
        // `of` reads a missing provision as one without references: an
        // empty list needs no entry (nor its key's copy).
        if refs.is_empty() {
            continue;
        }
        out.by_provision
            .entry(provision.normalized.clone())
            .or_default()
            .extend(refs);
    }
    out.definitions = walk.definitions;
    out
}

/// The kana part of a title's municipality: つばき for つばき町道路占用規則.
fn kana_town(title: &str) -> Option<String> {
    let kana: String = title
        .chars()
        .take_while(|c| matches!(c, '\u{3041}'..='\u{3096}'))
        .collect();
    let rest = &title[kana.len()..];
    (!kana.is_empty() && rest.starts_with(['市', '町', '村', '区'])).then_some(kana)
}

/// The text before its `count`th character (all of it when shorter).
fn chars_before(text: &str, count: usize) -> &str {
    text.char_indices()
        .nth(count)
        .map_or(text, |(at, _)| &text[..at])
}

/// [12, 2] from "12-2/3/1"; None for 附則 and 別表 places.
fn article_numbers(normalized: &str) -> Option<Vec<u32>> {
    let article = normalized.split('/').next()?;
    article.split('-').map(|n| n.parse().ok()).collect()
}

impl Walk {
    fn resolve_text(&mut self, text: &str, provision: Option<&Provision>) -> Vec<Reference> {
        let here = provision.and_then(|p| {
            let mut parts = p.normalized.split('/');
            let article = article_numbers(parts.next()?)?;
            let paragraph = parts.next().and_then(|p| p.parse().ok());
            Some((article, paragraph))
        });
        let mut last: Option<Reference> = None;
        let mut out = Vec::new();
        for c in self.reader.cited(text, &self.known) {
            let mut statute = self.statute(&c);
            if let (Target::Named { title, .. }, Some(statute), Some(kana)) =
                (&c.target, statute.as_mut(), &self.kana_town)
                && title.starts_with(['市', '町', '村', '区'])
                && chars_before(text, c.start).ends_with(kana.as_str())
            {
                statute.title = format!("{kana}{title}");
            }
            // 同条, 同項: the statute of the place cited just before.
            let same_place = c.place.as_ref().is_some_and(|p| {
                p.article == Some(Step::Same)
                    || p.article.is_none() && p.paragraph == Some(Step::Same)
            });
            if matches!(c.target, Target::This) && same_place {
                statute = last.as_ref().and_then(|l| l.statute.clone());
            }
            if let (Some(word), Some(statute)) = (&c.defines, &statute) {
                if self
                    .abbreviations
                    .insert(word.clone(), statute.clone())
                    .is_none()
                {
                    self.known.push(word.clone());
                }
                self.definitions.push((word.clone(), statute.clone()));
            }
            if let (Target::Named { .. }, Some(statute)) = (&c.target, &statute) {
                self.named.push(statute.clone());
            }
            // 「鯖江市財務規則（昭和…）」 in 鯖江市財務規則 itself: no basis.
            let own = statute.as_ref().is_some_and(|s| s.title == self.own_title);
            if own {
                statute = None;
            }
            let is_this = statute.is_none() && (matches!(c.target, Target::This) || own);
            if !is_this && statute.is_none() {
                continue; // an abbreviation or 同法 with nothing to stand for
            }
            let reference = self.place(&c, statute, here.as_ref(), last.as_ref());
            if let Some(reference) = reference {
                last = Some(reference.clone());
                out.push(reference);
            }
        }
        out
    }

    fn statute(&self, cited: &Cited) -> Option<Statute> {
        match &cited.target {
            Target::Named { title, number } => Some(Statute {
                title: title.clone(),
                number: number.clone(),
            }),
            Target::Abbreviation(word) => self.abbreviations.get(word).cloned(),
            Target::Same(suffix) => self
                .named
                .iter()
                .rev()
                .find(|s| {
                    s.title.ends_with(suffix.as_str())
                        || suffix == "法" && s.title.ends_with("法律")
                })
                .cloned(),
            Target::This => None,
        }
    }

    /// The reference a citation makes, its relative place resolved; None for
    /// 「この条例」 with no place (the 例規 citing itself).
    fn place(
        &self,
        cited: &Cited,
        statute: Option<Statute>,
        here: Option<&(Vec<u32>, Option<u32>)>,
        last: Option<&Reference>,
    ) -> Option<Reference> {
        let empty = Place::default();
        let place = cited.place.as_ref().unwrap_or(&empty);
        if statute.is_none() && cited.place.is_none() {
            return None;
        }
        let same_statute = last.is_some_and(|l| l.statute == statute);
        let article = match &place.article {
            Some(Step::Number(n)) => n.clone(),
            Some(Step::Previous) => self.neighbour(here, -1)?,
            Some(Step::Next) => self.neighbour(here, 1)?,
            Some(Step::Same) => last.map(|l| l.article.clone()).filter(|a| !a.is_empty())?,
            // A bare 第2項 or 前項: the article of the citing provision (or,
            // after a joined citation, of that one: 法第3条第1項及び第2項).
            None if place.paragraph.is_some() || place.item.is_some() => match last {
                Some(l) if same_statute && statute.is_some() => l.article.clone(),
                _ if statute.is_none() => here?.0.clone(),
                _ => Vec::new(),
            },
            None => Vec::new(),
        };
        let paragraph = match &place.paragraph {
            Some(Step::Number(n)) => n.first().copied(),
            Some(Step::Previous) => here.and_then(|h| h.1).and_then(|p| p.checked_sub(1)),
            Some(Step::Next) => here.and_then(|h| h.1).map(|p| p + 1),
            Some(Step::Same) => last.and_then(|l| l.paragraph),
            None => None,
        };
        let mut reference = Reference {
            statute,
            article,
            paragraph,
            item: place.item,
            printed: String::new(),
            carried_out: cited.carried_out,
        };
        // An explicit place is printed as the text prints it; a relative or
        // inherited one (前条, a bare 第3項 after 法第32条第1項) is spelled out.
        let explicit = matches!(place.article, Some(Step::Number(_)))
            && !matches!(
                place.paragraph,
                Some(Step::Previous | Step::Next | Step::Same)
            );
        reference.printed = match (&cited.place_text, explicit) {
            (Some(text), true) if text.contains('条') => format!(
                "{}{text}",
                reference.statute.as_ref().map_or("", |s| s.title.as_str())
            ),
            _ => self.print(&reference, cited.style.unwrap_or(self.style)),
        };
        Some(reference)
    }

    /// The article `step` places before (-1) or after (1) the citing one.
    fn neighbour(&self, here: Option<&(Vec<u32>, Option<u32>)>, step: isize) -> Option<Vec<u32>> {
        let (article, _) = here?;
        let at = self.articles.iter().position(|a| a == article)?;
        let to = at.checked_add_signed(step)?;
        self.articles.get(to).cloned()
    }

    fn print(&self, reference: &Reference, style: NumeralStyle) -> String {
        let mut out = reference
            .statute
            .as_ref()
            .map(|s| s.title.clone())
            .unwrap_or_default();
        if let Some((first, branches)) = reference.article.split_first() {
            out.push('第');
            out.push_str(&style.print(*first));
            out.push('条');
            for b in branches {
                out.push('の');
                out.push_str(&style.print(*b));
            }
        }
        if let Some(p) = reference.paragraph {
            out.push_str(&format!("第{}項", style.print(p)));
        }
        if let Some(i) = reference.item {
            out.push_str(&format!("第{}号", style.print(i)));
        }
        out
    }
}

impl DocumentCitations {
    /// Every reference of a provision, as read (the 例規's own places too).
    pub fn of(&self, normalized: &str) -> &[Reference] {
        self.by_provision.get(normalized).map_or(&[], Vec::as_slice)
    }

    /// The basis of the provision at `normalized`: the statutes it and the
    /// provisions above it cite; failing that, those of the provisions of
    /// this 例規 it carries out (「前条の規定により」); failing that, those
    /// the purpose article cites. Its kind is 法令 when any is national law,
    /// else 条例 when any is a 条例, else 独自; a national text's own
    /// provisions are 法令.
    pub fn basis(&self, normalized: &str) -> Basis {
        let own = self.around(normalized);
        let mut references: Vec<Reference> = own
            .iter()
            .filter(|r| r.statute.is_some())
            .map(|&r| r.clone())
            .collect();
        // First the provisions of this 例規 it carries out (「前条の規定により」),
        // then any it refers to (「前項の申請書には…」): it rests where they do.
        for carried_out in [true, false] {
            if !references.is_empty() {
                break;
            }
            for other in own
                .iter()
                .filter(|r| r.statute.is_none() && r.carried_out == carried_out)
            {
                if let Some(at) = other.normalized() {
                    references.extend(
                        self.around(&at)
                            .into_iter()
                            .filter(|r| r.statute.is_some())
                            .cloned(),
                    );
                }
            }
        }
        if references.is_empty() {
            references = self.purpose.clone();
        }
        let mut seen = std::collections::HashSet::new();
        references.retain(|r| seen.insert(r.printed.clone()));
        let kind = if self.national_document {
            BasisKind::National
        } else {
            references
                .iter()
                .filter_map(|r| r.statute.as_ref().map(Statute::kind))
                .min()
                .unwrap_or(BasisKind::Own)
        };
        Basis {
            references,
            kind: Some(kind),
        }
    }

    /// The references of a provision and of those above it (the 項 that
    /// lists a 号, the article): "12/1/3" → 12/1/3, 12/1, 12.
    fn around(&self, normalized: &str) -> Vec<&Reference> {
        let mut out = Vec::new();
        let mut at = normalized;
        loop {
            out.extend(self.of(at));
            match at.rfind('/') {
                Some(cut) => at = &at[..cut],
                None => break,
            }
        }
        // A place given as 第N条 holds its first paragraph's text.
        if !normalized.contains('/') {
            out.extend(self.of(&format!("{normalized}/1")));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structure::{Builder, Format};

    fn document(kind: &str, paragraphs: &[(&str, &str)]) -> Document {
        let mut b = Builder::new("t.txt", Format::Text, "UTF-8");
        b.title(&format!("つばき町テスト{kind}"));
        b.number(&format!("平成8年つばき町{kind}第1号"));
        for (article, text) in paragraphs {
            b.article(article);
            b.paragraph("", None, text);
        }
        b.finish()
    }

    fn printed(basis: &Basis) -> Vec<&str> {
        basis
            .references
            .iter()
            .map(|r| r.printed.as_str())
            .collect()
    }

    #[test]
    fn an_abbreviation_defined_in_the_first_article_resolves_later() {
        let doc = document(
            "規則",
            &[
                (
                    "第1条",
                    "この規則は、建築基準法（昭和25年法律第201号。以下「法」という。）及び建築基準法施行令（昭和25年政令第338号。以下「令」という。）の施行に関し必要な事項を定める。",
                ),
                (
                    "第2条",
                    "法第12条第1項の規定による報告は、様式第1号による報告書を提出して行うものとする。",
                ),
                (
                    "第3条",
                    "令第16条第1項及び第3項の点検の結果は、前条の報告書に添えなければならない。",
                ),
                ("第4条", "前条の規定により提出する書類は、正本1通とする。"),
                ("第5条", "町長は、必要な事項を別に定める。"),
            ],
        );
        let citations = analyse(&doc);
        let basis = citations.basis("2/1");
        assert_eq!(printed(&basis), ["建築基準法第12条第1項"]);
        assert_eq!(basis.kind, Some(BasisKind::National));
        assert_eq!(
            basis.references[0]
                .statute
                .as_ref()
                .and_then(|s| s.number.as_deref()),
            Some("昭和25年法律第201号")
        );
        assert_eq!(
            printed(&citations.basis("3/1")),
            ["建築基準法施行令第16条第1項", "建築基準法施行令第16条第3項"]
        );
        // 第4条 carries out 前条 (第3条), which rests on 令.
        assert_eq!(
            printed(&citations.basis("4/1")),
            ["建築基準法施行令第16条第1項", "建築基準法施行令第16条第3項"]
        );
        // 第5条 cites nothing: the purpose article's statutes.
        assert_eq!(
            printed(&citations.basis("5/1")),
            ["建築基準法", "建築基準法施行令"]
        );
    }

    #[test]
    fn a_town_in_kana_and_a_provision_about_the_one_before() {
        let doc = document(
            "規則",
            &[
                (
                    "第1条",
                    "この規則は、道路法(昭和27年法律第180号。以下「法」という。)及びつばき町道路占用料徴収条例(平成8年つばき町条例第9号)の施行に関し必要な事項を定める。",
                ),
                (
                    "第2条",
                    "法第32条第1項の規定による許可の申請は、申請書を提出して行う。",
                ),
            ],
        );
        let citations = analyse(&doc);
        assert_eq!(
            printed(&citations.basis("1/1")),
            ["道路法", "つばき町道路占用料徴収条例"]
        );
        let doc2 = document(
            "規則",
            &[
                (
                    "第1条",
                    "この規則は、道路法(昭和27年法律第180号。以下「法」という。)の施行に関し必要な事項を定める。",
                ),
                (
                    "第2条",
                    "法第32条第1項の規定による許可の申請は、申請書を提出して行う。",
                ),
                (
                    "第3条",
                    "前条の申請書には、申請者が記名押印しなければならない。",
                ),
            ],
        );
        assert_eq!(printed(&analyse(&doc2).basis("3/1")), ["道路法第32条第1項"]);
    }

    #[test]
    fn a_rule_under_its_ordinance_and_an_own_guideline() {
        let doc = document(
            "規則",
            &[
                (
                    "第1条",
                    "この規則は、つばき町屋外広告物条例（平成8年つばき町条例第9号。以下「条例」という。）の施行に関し必要な事項を定める。",
                ),
                (
                    "第2条",
                    "条例第5条第1項の規定による申請は、申請書を提出して行う。",
                ),
            ],
        );
        let basis = analyse(&doc).basis("2/1");
        assert_eq!(printed(&basis), ["つばき町屋外広告物条例第5条第1項"]);
        assert_eq!(basis.kind, Some(BasisKind::Ordinance));

        let doc = document(
            "要綱",
            &[
                (
                    "第1条",
                    "この要綱は、町民の健康の増進を図るため、補助金を交付することについて必要な事項を定める。",
                ),
                (
                    "第2条",
                    "補助金の交付を受けようとする者は、申請書を町長に提出しなければならない。",
                ),
            ],
        );
        let basis = analyse(&doc).basis("2/1");
        assert!(basis.references.is_empty());
        assert_eq!(basis.kind, Some(BasisKind::Own));
    }

    #[test]
    fn same_statute_and_same_article() {
        let doc = document(
            "条例",
            &[(
                "第1条",
                "地方自治法第244条の2第3項の規定により指定管理者に管理を行わせる。同法第244条の4の規定は、同条第2項の場合に準用する。",
            )],
        );
        let basis = analyse(&doc).basis("1/1");
        assert_eq!(
            printed(&basis),
            [
                "地方自治法第244条の2第3項",
                "地方自治法第244条の4",
                "地方自治法第244条の4第2項"
            ]
        );
    }

    #[test]
    fn a_document_citing_its_own_title_cites_itself() {
        let doc = document(
            "規則",
            &[
                (
                    "第1条",
                    "つばき町テスト規則第3条の規定による届出は、届出書を提出して行う。",
                ),
                ("第2条", "町長は、届出書を受理しなければならない。"),
            ],
        );
        let citations = analyse(&doc);
        assert!(citations.basis("1/1").references.is_empty());
        assert_eq!(citations.basis("1/1").kind, Some(BasisKind::Own));
        assert_eq!(citations.of("1/1")[0].printed, "第3条");
    }

    #[test]
    fn statute_kinds() {
        let kind = |title: &str, number: Option<&str>| {
            Statute {
                title: title.into(),
                number: number.map(str::to_string),
            }
            .kind()
        };
        assert_eq!(kind("建築基準法", None), BasisKind::National);
        assert_eq!(kind("建築基準法施行規則", None), BasisKind::National);
        assert_eq!(kind("東京都建築安全条例", None), BasisKind::Ordinance);
        assert_eq!(kind("鯖江市財務規則", None), BasisKind::Own);
        assert_eq!(
            kind("補助金等交付規則", Some("昭和52年つばき町規則第5号")),
            BasisKind::Own
        );
        assert_eq!(
            kind("道路法", Some("昭和27年法律第180号")),
            BasisKind::National
        );
        assert_eq!(kind("道路法施行規則", None), BasisKind::National);
    }
}
