//! Drafting templates: how a 類型's usual wording is amended to allow a
//! digital way (書面 → 書面又は電磁的方法, 出頭 → 出頭（映像と音声の送受信…）).
//!
//! They are data beside the rules (`rules/drafting/*.toml`, one file per
//! 類型, editable by legal staff), each with an explanation and examples of
//! the form old → new that test themselves ([`Templates::check_examples`]) as
//! the rules' examples do. A template finds its wording (a word, or a
//! regular expression after `re:`), and either replaces it (`replace`, which
//! may use `${1}` for a group of the expression), inserts after it
//! (`insert_after`), or adds a sentence at the end of the provision
//! (`append`). `unless` words leave a provision that already allows a digital
//! way alone; `first` changes only the first place found; `fallback` applies
//! only when no other template of the 類型 changed the provision.

use std::ops::Range;
use std::path::Path;

use regex::Regex;
use serde::Deserialize;

use crate::rules::{RuleError, line_of, line_of_value};

include!(concat!(env!("OUT_DIR"), "/built_in_drafting.rs"));

/// One change to a provision's text: the bytes `old` of the old text become
/// `new` (an insertion when `old` is empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub old: Range<usize>,
    pub new: String,
}

/// What the templates of some 類型 propose for a provision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Proposal {
    /// The changes, in text order, none overlapping.
    pub changes: Vec<Change>,
    /// The templates that made them, and their explanations.
    pub templates: Vec<String>,
    pub notes: Vec<String>,
}

/// How a template changes what it finds.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Action {
    Replace(String),
    InsertAfter(String),
    Append(String),
}

/// A template, compiled.
#[derive(Debug, Clone)]
pub struct Template {
    pub id: String,
    pub code: String,
    pub name: String,
    pub explain: String,
    find: Option<Regex>,
    action: Action,
    unless: Vec<String>,
    first: bool,
    fallback: bool,
    pub examples: Vec<Example>,
    /// The file it came from.
    pub file: String,
}

/// A template's example: the old text and what the template makes of it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub old: String,
    pub new: String,
}

/// Every template, in file order and each file's order.
#[derive(Debug, Clone, Default)]
pub struct Templates {
    pub templates: Vec<Template>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileText {
    code: String,
    #[serde(default, rename = "template")]
    templates: Vec<TemplateText>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TemplateText {
    id: String,
    name: String,
    explain: String,
    #[serde(default)]
    find: Option<String>,
    #[serde(default)]
    replace: Option<String>,
    #[serde(default)]
    insert_after: Option<String>,
    #[serde(default)]
    append: Option<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    first: bool,
    #[serde(default)]
    fallback: bool,
    #[serde(default)]
    examples: Vec<Example>,
}

impl Templates {
    /// The templates built into the program (`rules/drafting/` of the repository).
    pub fn built_in() -> Result<Templates, Vec<RuleError>> {
        let files: Vec<(String, String)> = BUILT_IN_DRAFTING
            .iter()
            .map(|(name, text)| (format!("drafting/{name}"), (*text).to_string()))
            .collect();
        Templates::parse(&files)
    }

    /// Every `*.toml` of a folder (a rules folder's `drafting/`).
    pub fn load(dir: &Path) -> Result<Templates, Vec<RuleError>> {
        Templates::parse(&crate::rules::toml_files(
            dir,
            "the drafting templates' folder",
        )?)
    }

    /// Parses (file name, TOML text) pairs; every problem is reported.
    pub fn parse(files: &[(String, String)]) -> Result<Templates, Vec<RuleError>> {
        let mut templates = Vec::new();
        let mut errors = Vec::new();
        for (file, text) in files {
            match toml::from_str::<FileText>(text) {
                Ok(parsed) => {
                    for t in parsed.templates {
                        match compile(file, text, &parsed.code, t) {
                            Ok(template) => templates.push(template),
                            Err(e) => errors.push(e),
                        }
                    }
                }
                Err(e) => errors.push(RuleError {
                    file: file.clone(),
                    line: e.span().map_or(0, |s| line_of(text, s.start)),
                    message: crate::rules::one_line(e.message()),
                }),
            }
        }
        for (i, t) in templates.iter().enumerate() {
            if templates[..i].iter().any(|o| o.id == t.id) {
                errors.push(RuleError {
                    file: t.file.clone(),
                    line: 0,
                    message: format!("テンプレートの id「{}」が二つあります", t.id),
                });
            }
        }
        if errors.is_empty() {
            Ok(Templates { templates })
        } else {
            Err(errors)
        }
    }

    /// The changes the templates of `codes` propose for `text`, in text
    /// order. Templates run in their order; a change that would overlap an
    /// earlier one is left out.
    pub fn propose(&self, codes: &[String], text: &str) -> Proposal {
        let mut proposal = Proposal::default();
        for code in codes {
            let mine: Vec<&Template> = self.templates.iter().filter(|t| &t.code == code).collect();
            let before = proposal.changes.len();
            for template in mine.iter().filter(|t| !t.fallback) {
                template.propose(text, &mut proposal);
            }
            if proposal.changes.len() == before {
                for template in mine.iter().filter(|t| t.fallback) {
                    template.propose(text, &mut proposal);
                    if proposal.changes.len() > before {
                        break;
                    }
                }
            }
        }
        proposal.changes.sort_by_key(|c| (c.old.start, c.old.end));
        proposal
    }

    /// Every example of every template that does not come out as written:
    /// (template id, the example's old text, what the template made of it).
    pub fn check_examples(&self) -> Vec<(String, String, String)> {
        let mut wrong = Vec::new();
        for template in &self.templates {
            for example in &template.examples {
                let mut proposal = Proposal::default();
                template.propose(&example.old, &mut proposal);
                let made = apply(&example.old, &proposal.changes);
                if made != example.new {
                    wrong.push((template.id.clone(), example.old.clone(), made));
                }
            }
        }
        wrong
    }
}

impl Template {
    /// Adds this template's changes to `proposal`, unless its `unless` words
    /// are in the text or every place it finds is already changed.
    fn propose(&self, text: &str, proposal: &mut Proposal) {
        if self.unless.iter().any(|w| text.contains(w.as_str())) {
            return;
        }
        let mut made = Vec::new();
        match (&self.action, &self.find) {
            (Action::Append(sentence), find) => {
                let found = find.as_ref().is_none_or(|f| f.is_match(text));
                let change = Change {
                    old: text.len()..text.len(),
                    new: sentence.clone(),
                };
                if found && text.ends_with('。') && !overlaps(&change, &proposal.changes) {
                    made.push(change);
                }
            }
            // `compile` gives every other action words to find.
            (_, None) => {}
            (action, Some(find)) => {
                for captures in find.captures_iter(text) {
                    let Some(whole) = captures.get(0).filter(|m| !m.is_empty()) else {
                        continue;
                    };
                    let mut new = String::new();
                    match action {
                        Action::Replace(with) => captures.expand(with, &mut new),
                        // The words found are quoted with what follows them
                        // (「出席」を「出席（…）」に改める).
                        Action::InsertAfter(after) | Action::Append(after) => {
                            new = format!("{}{after}", whole.as_str());
                        }
                    }
                    let change = Change {
                        old: whole.range(),
                        new,
                    };
                    if overlaps(&change, &proposal.changes) || overlaps(&change, &made) {
                        continue;
                    }
                    made.push(change);
                    if self.first {
                        break;
                    }
                }
            }
        }
        if made.is_empty() {
            return;
        }
        proposal.changes.extend(made);
        proposal.templates.push(self.id.clone());
        proposal
            .notes
            .push(format!("{}: {}", self.name, self.explain));
    }
}

/// True when `change` touches the text of one of `changes`: the ranges
/// meet, or an insertion falls inside or at either end of the other's range
/// (two changes at one place would leave their order to chance).
fn overlaps(change: &Change, changes: &[Change]) -> bool {
    changes.iter().any(|c| {
        let (a, b) = (&change.old, &c.old);
        if a.is_empty() || b.is_empty() {
            a.start <= b.end && b.start <= a.end
        } else {
            a.start < b.end && b.start < a.end
        }
    })
}

/// The text with the changes (in text order, none overlapping) made.
pub fn apply(text: &str, changes: &[Change]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for change in changes {
        out.push_str(&text[at..change.old.start]);
        out.push_str(&change.new);
        at = change.old.end;
    }
    out.push_str(&text[at..]);
    out
}

fn compile(file: &str, text: &str, code: &str, t: TemplateText) -> Result<Template, RuleError> {
    let line = line_of_value(text, &format!("\"{}\"", t.id));
    let error = |message: String| RuleError {
        file: file.to_string(),
        line,
        message: format!("テンプレート「{}」: {message}", t.id),
    };
    let action = match (t.replace, t.insert_after, t.append) {
        (Some(r), None, None) => Action::Replace(r),
        (None, Some(i), None) => Action::InsertAfter(i),
        (None, None, Some(a)) => Action::Append(a),
        _ => {
            return Err(error(
                "replace、insert_after、append のどれか一つを書いてください".to_string(),
            ));
        }
    };
    let find = match t.find.as_deref() {
        Some("") => return Err(error("find が空です".to_string())),
        Some(word) => Some(compile_find(word).map_err(error)?),
        None => None,
    };
    if find.is_none() && !matches!(action, Action::Append(_)) {
        return Err(error("find（探す語句）がありません".to_string()));
    }
    Ok(Template {
        id: t.id,
        code: code.to_string(),
        name: t.name,
        explain: t.explain,
        find,
        action,
        unless: t.unless,
        first: t.first,
        fallback: t.fallback,
        examples: t.examples,
        file: file.to_string(),
    })
}

/// A word, or a regular expression after `re:`.
fn compile_find(word: &str) -> Result<Regex, String> {
    let pattern = match word.strip_prefix("re:") {
        Some(re) => re.to_string(),
        None => regex::escape(word),
    };
    Regex::new(&pattern).map_err(|e| format!("find の正規表現が正しくありません: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(toml: &str) -> Templates {
        Templates::parse(&[("t.toml".to_string(), toml.to_string())]).expect("templates")
    }

    #[test]
    fn every_built_in_example_comes_out_as_written() {
        let templates = Templates::built_in().expect("built-in templates");
        assert!(
            templates.templates.len() >= 11,
            "a template or more per 類型"
        );
        let wrong = templates.check_examples();
        assert!(
            wrong.is_empty(),
            "examples that do not come out: {wrong:#?}"
        );
        for t in &templates.templates {
            assert!(!t.examples.is_empty(), "{} has no example", t.id);
        }
    }

    #[test]
    fn the_folder_in_the_repository_is_the_built_in_one() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/drafting");
        let loaded = Templates::load(&dir).expect("rules/drafting");
        let built_in = Templates::built_in().expect("built-in");
        let ids = |t: &Templates| t.templates.iter().map(|t| t.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&loaded), ids(&built_in));
    }

    #[test]
    fn replace_insert_and_append() {
        let t = one(r#"
code = "paper_procedure"
[[template]]
id = "a"
name = "書面"
explain = "x"
find = "書面"
replace = "書面又は電磁的方法"
unless = ["電磁的方法"]
[[template]]
id = "b"
name = "提出"
explain = "y"
find = "re:提出(し|する)"
replace = "提出（電子的な提出を含む。）を${1}"
[[template]]
id = "c"
name = "後段"
explain = "z"
append = "この場合において、オンラインで行うことができる。"
fallback = true
"#);
        let codes = ["paper_procedure".to_string()];
        let text = "申請は、書面により提出しなければならない。";
        let p = t.propose(&codes, text);
        assert_eq!(
            apply(text, &p.changes),
            "申請は、書面又は電磁的方法により提出（電子的な提出を含む。）をしなければならない。"
        );
        assert_eq!(p.templates, ["a", "b"]);
        let done = "申請は、書面又は電磁的方法により行う。";
        let p = t.propose(&codes, done);
        assert_eq!(
            apply(done, &p.changes),
            "申請は、書面又は電磁的方法により行う。この場合において、オンラインで行うことができる。",
            "only the fallback fits"
        );
        assert!(t.propose(&["seal".to_string()], text).changes.is_empty());
    }

    #[test]
    fn the_built_in_templates_of_one_kind_work_together() {
        let templates = Templates::built_in().expect("built-in");
        let text = "書面を受理したときは、書面により通知する。";
        let p = templates.propose(&["paper_procedure".to_string()], text);
        assert_eq!(
            apply(text, &p.changes),
            "書面（電磁的記録を含む。）を受理したときは、書面又は電磁的方法により通知する。"
        );
    }

    #[test]
    fn first_changes_only_the_first_place() {
        let t = one(r#"
code = "in_person_training"
[[template]]
id = "k"
name = "講習"
explain = "x"
find = "講習"
insert_after = "（オンライン可）"
first = true
"#);
        let text = "講習を受け、講習の修了証を提出する。";
        let p = t.propose(&["in_person_training".to_string()], text);
        assert_eq!(
            apply(text, &p.changes),
            "講習（オンライン可）を受け、講習の修了証を提出する。"
        );
    }

    #[test]
    fn a_bad_template_is_named_with_its_file_and_line() {
        let errors = Templates::parse(&[(
            "x.toml".to_string(),
            "code = \"seal\"\n[[template]]\nid = \"bad\"\nname = \"n\"\nexplain = \"e\"\nfind = \"re:(\"\nreplace = \"y\"\n"
                .to_string(),
        )])
        .expect_err("a broken regex");
        assert_eq!(errors[0].file, "x.toml");
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("bad"), "{}", errors[0].message);
        let errors = Templates::parse(&[(
            "y.toml".to_string(),
            "code = \"seal\"\n[[template]]\nid = \"two\"\nname = \"n\"\nexplain = \"e\"\nfind = \"a\"\nreplace = \"y\"\ninsert_after = \"z\"\n"
                .to_string(),
        )])
        .expect_err("two actions");
        assert!(
            errors[0].message.contains("どれか一つ"),
            "{}",
            errors[0].message
        );
    }
}
