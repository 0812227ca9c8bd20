//! The structure of a legal text: a `Document` (title, 例規番号, date, kind) that
//! holds a tree of `Provision`s (編・章・節, 条, 項, 号, 号の細分, 附則, 別表 and
//! the rows of its tables), each with its citation as printed, a normal form
//! that compares equal across numeral styles, and character offsets into the
//! document's text.
//!
//! Readers never build the tree by hand: they feed a [`Builder`] one event at a
//! time ("an article begins", "a paragraph with this text") and the builder
//! keeps the nesting, the citations and the offsets consistent for all formats.

mod builder;
pub mod numbers;
pub mod units;
pub mod wareki;

pub use builder::{Builder, split_notes, strip_brackets};

use serde::{Deserialize, Serialize};

/// The format a document was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// e-Gov 法令標準XML.
    EgovXml,
    /// A Reiki-Base 例規集 HTML page.
    ReikiBaseHtml,
    /// The government law-data HTML (法令データ提供システム, Shift_JIS).
    LawDataHtml,
    /// Any other HTML page, read as text.
    Html,
    /// Plain or Markdown-like text.
    Text,
}

/// What kind of legislation a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Hash, PartialOrd, Ord)]
pub enum DocKind {
    #[serde(rename = "法律")]
    Act,
    #[serde(rename = "政令")]
    CabinetOrder,
    #[serde(rename = "府令")]
    CabinetOfficeOrdinance,
    #[serde(rename = "省令")]
    MinisterialOrdinance,
    #[serde(rename = "条例")]
    Ordinance,
    #[serde(rename = "規則")]
    Rule,
    #[serde(rename = "細則")]
    DetailedRule,
    #[serde(rename = "規程")]
    Regulation,
    #[serde(rename = "訓令")]
    Directive,
    #[serde(rename = "要綱")]
    Guideline,
    #[serde(rename = "要領")]
    Procedure,
    #[serde(rename = "告示")]
    Notice,
    #[serde(rename = "その他")]
    Other,
}

impl DocKind {
    /// The Japanese name, as the checklist prints it.
    pub fn japanese(self) -> &'static str {
        match self {
            DocKind::Act => "法律",
            DocKind::CabinetOrder => "政令",
            DocKind::CabinetOfficeOrdinance => "府令",
            DocKind::MinisterialOrdinance => "省令",
            DocKind::Ordinance => "条例",
            DocKind::Rule => "規則",
            DocKind::DetailedRule => "細則",
            DocKind::Regulation => "規程",
            DocKind::Directive => "訓令",
            DocKind::Guideline => "要綱",
            DocKind::Procedure => "要領",
            DocKind::Notice => "告示",
            DocKind::Other => "その他",
        }
    }

    /// Infers the kind from a 例規番号 (条例第九号) or, failing that, a title.
    pub fn infer(number: Option<&str>, title: &str) -> DocKind {
        // A 要綱 or 要領 is often issued as a 告示 or 訓令; its title says what it is.
        let bare = title.trim_end_matches(|c: char| c.is_whitespace() || c == '）' || c == ')');
        if bare.ends_with("要綱") {
            return DocKind::Guideline;
        }
        if bare.ends_with("要領") {
            return DocKind::Procedure;
        }
        const BY_NUMBER: [(&str, DocKind); 11] = [
            ("条例", DocKind::Ordinance),
            ("細則", DocKind::DetailedRule),
            ("規則", DocKind::Rule),
            ("規程", DocKind::Regulation),
            ("訓令", DocKind::Directive),
            ("告示", DocKind::Notice),
            ("要綱", DocKind::Guideline),
            ("法律", DocKind::Act),
            ("政令", DocKind::CabinetOrder),
            ("府令", DocKind::CabinetOfficeOrdinance),
            ("省令", DocKind::MinisterialOrdinance),
        ];
        if let Some(number) = number {
            let found = BY_NUMBER
                .iter()
                .filter_map(|(word, kind)| number.rfind(&format!("{word}第")).map(|at| (at, *kind)))
                .max_by_key(|(at, _)| *at);
            if let Some((_, kind)) = found {
                return kind;
            }
        }
        const BY_TITLE: [(&str, DocKind); 12] = [
            ("要綱", DocKind::Guideline),
            ("要領", DocKind::Procedure),
            ("細目", DocKind::Procedure),
            ("細則", DocKind::DetailedRule),
            ("規則", DocKind::Rule),
            ("規程", DocKind::Regulation),
            ("条例", DocKind::Ordinance),
            ("告示", DocKind::Notice),
            ("施行令", DocKind::CabinetOrder),
            ("施行規則", DocKind::MinisterialOrdinance),
            ("法", DocKind::Act),
            ("令", DocKind::CabinetOrder),
        ];
        let title = title.trim_end_matches(|c: char| c.is_whitespace() || c == '）' || c == ')');
        BY_TITLE
            .iter()
            .find(|(word, _)| title.ends_with(word))
            .map_or(DocKind::Other, |(_, kind)| *kind)
    }
}

/// A unit of the provision tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKind {
    /// 編
    Part,
    /// 章
    Chapter,
    /// 節
    Section,
    /// 款
    Subsection,
    /// 目
    Division,
    /// 条
    Article,
    /// 項
    Paragraph,
    /// 号
    Item,
    /// 号の細分 (イ, (1), ア …), at any depth
    Subitem,
    /// 附則 (the original one or an amendment's)
    Suppl,
    /// 別表, 別記, 様式
    Appendix,
    /// 表の行: one row of a table in a 別表 (別記, 様式), its cells joined by a
    /// full-width space, or a line that follows the rows (a table's title, 備考).
    /// Cited by its place among the lines of its parent's tables: 別表第三（第12行）.
    Row,
}

impl ProvisionKind {
    /// The unit character of a division kind (章 for Chapter).
    pub fn division_unit(self) -> Option<char> {
        match self {
            ProvisionKind::Part => Some('編'),
            ProvisionKind::Chapter => Some('章'),
            ProvisionKind::Section => Some('節'),
            ProvisionKind::Subsection => Some('款'),
            ProvisionKind::Division => Some('目'),
            _ => None,
        }
    }
}

/// Where in a document a provision sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// 本則
    #[default]
    Main,
    /// 附則
    Suppl,
    /// 別表・別記・様式
    Appendix,
}

/// The heading data of a 附則 block: an amendment's 附則 has its own date and number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SupplInfo {
    /// What follows 附則 in its heading, as printed: （平成二一年三月二五日条例第一〇号）　抄.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub heading: String,
    /// 1 for the first 附則 block of the document, 2 for the next …
    pub index: usize,
    /// The amending act's number as printed (平成二一年一二月二八日厚生労働省令第一六七号).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amendment: Option<String>,
    /// Its date in ISO form, when the heading gives one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// 抄: only an extract of the 附則 is printed.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub extract: bool,
}

/// One node of the provision tree.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provision {
    pub kind: ProvisionKind,
    pub part: Part,
    /// The label as printed: 第十二条の二, ２, 一, イ, （１）, 附則, 別表第一, 第三章.
    pub label: String,
    /// 見出し of an article or paragraph, title of a chapter or appendix, without brackets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The full citation as the source would print it: 第十二条の二第三項第一号.
    pub citation: String,
    /// A normal form that compares equal across numeral styles: 12-2/3/1.
    pub normalized: String,
    /// The provision's own text (not its children's).
    pub text: String,
    /// Character offsets of `text` in the document's text.
    pub start: usize,
    pub end: usize,
    /// Amendment-history notes such as （平一五条例四六・一部改正）.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppl: Option<SupplInfo>,
    /// Depth of a 号の細分 (1 for イ under 一, 2 for (1) under イ …); 0 otherwise.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub depth: u8,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub children: Vec<Provision>,
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

impl Provision {
    /// This provision and all below it, in document order.
    pub fn walk(&self) -> Vec<&Provision> {
        let mut out = vec![self];
        for child in &self.children {
            out.extend(child.walk());
        }
        out
    }
}

/// A legal text read from one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Document {
    /// The path as given, relative to the folder that was read.
    pub file: String,
    pub format: Format,
    /// The encoding the bytes were in (UTF-8, Shift_JIS, EUC-JP).
    pub encoding: String,
    pub title: String,
    /// 例規番号 as printed: 条例第九号, 平成十二年厚生省・労働省令第二号.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Promulgation date in ISO form.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Promulgation date as printed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date_printed: Option<String>,
    pub kind: DocKind,
    /// 制定文 and other text before the first provision.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preamble: Option<String>,
    /// 目次 lines, kept apart from the provisions.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub toc: Vec<String>,
    /// The document's text as tenken lays it out; provisions' offsets point into it.
    pub text: String,
    pub provisions: Vec<Provision>,
}

impl Document {
    /// All provisions in document order.
    pub fn walk(&self) -> Vec<&Provision> {
        self.provisions.iter().flat_map(Provision::walk).collect()
    }

    /// How many provisions of a kind the tree holds.
    pub fn count(&self, kind: ProvisionKind) -> usize {
        self.walk().iter().filter(|p| p.kind == kind).count()
    }
}

/// The year of an ISO date (`2003-03-20` → 2003).
pub fn year_of(date: Option<&str>) -> Option<i64> {
    date.and_then(|d| d.get(..4)).and_then(|y| y.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn infers_kind_from_number_then_title() {
        assert_eq!(
            DocKind::infer(Some("条例第九号"), "公告式条例"),
            DocKind::Ordinance
        );
        assert_eq!(
            DocKind::infer(Some("平成十二年厚生省・労働省令第二号"), "聴聞手続規則"),
            DocKind::MinisterialOrdinance
        );
        assert_eq!(
            DocKind::infer(Some("規程第9号"), "表彰規程"),
            DocKind::Regulation
        );
        assert_eq!(DocKind::infer(None, "補助金交付要綱"), DocKind::Guideline);
        assert_eq!(
            DocKind::infer(Some("告示第二十五号"), "防災訓練実施要領"),
            DocKind::Procedure
        );
        assert_eq!(
            DocKind::infer(Some("告示第十四号"), "道路の指定"),
            DocKind::Notice
        );
        assert_eq!(
            DocKind::infer(None, "建築基準法施行細則"),
            DocKind::DetailedRule
        );
        assert_eq!(DocKind::infer(None, "国債証券買入銷却法"), DocKind::Act);
        assert_eq!(DocKind::infer(None, "何か"), DocKind::Other);
    }
}
