//! What a draft is, as plain data: for each 例規, the provisions to amend
//! with their old and new text, the changes that turn one into the other,
//! and the 改め文 lines. Every output (the 改め文 text, the 新旧対照表 in
//! HTML and XLSX, `drafts.jsonl`) is rendered from these.

use serde::Serialize;

/// A run of a provision's text in the 新旧対照表: changed (underlined, 傍線)
/// or not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    pub changed: bool,
}

/// Where a provision's new wording came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The drafting templates of these ids (`rules/drafting/`).
    Templates(Vec<String>),
    /// The clerk's own wording (the checklist's 改正案 column).
    Clerk,
    /// No template fits and no 改正案 was written: the provision is listed
    /// unchanged for the clerk to word.
    None,
}

/// One provision to amend.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProvisionDraft {
    /// 条項 as the document prints it (第五条第一項, 第6条): also how the
    /// 改め文 cites it.
    pub citation: String,
    /// Normal form (5/1), for ordering and machine use.
    pub normalized: String,
    /// 見出し of the article, if any.
    pub caption: Option<String>,
    /// The paragraph's printed number ("2"), "" for an article's first
    /// paragraph and for other units: printed before the text in the table.
    pub label: String,
    /// The provision's whole text now.
    pub old_text: String,
    /// The provision's whole text as proposed (equal to `old_text` when
    /// nothing could be drafted).
    pub new_text: String,
    /// `old_text` cut into runs, the runs the amendment changes marked.
    pub old: Vec<Segment>,
    /// `new_text` cut into runs, the runs the amendment wrote marked.
    pub new: Vec<Segment>,
    pub source: Source,
    /// Why each change is proposed (the templates' explanations), or what
    /// the clerk must still do.
    pub notes: Vec<String>,
    /// The findings (stable ids) and 類型 codes the draft answers.
    pub findings: Vec<String>,
    pub codes: Vec<String>,
    /// The 改め文 lines of this provision, in order.
    pub amendment: Vec<String>,
}

impl ProvisionDraft {
    /// True when a new wording was drafted.
    pub fn changed(&self) -> bool {
        self.old_text != self.new_text
    }
}

/// The draft amendment of one 例規.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DocumentDraft {
    /// The 例規 file, as the checklist's ファイル column names it.
    pub file: String,
    pub title: String,
    /// 例規番号 as printed (条例第3号), if known.
    pub number: Option<String>,
    /// 種別 (条例, 規則, 要綱 …).
    pub kind: String,
    /// The provisions to amend, in document order.
    pub provisions: Vec<ProvisionDraft>,
}
