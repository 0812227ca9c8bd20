//! The taxonomy (`rules/taxonomy.toml`): the 類型 tenken looks for, each a
//! code and its Japanese name, in the order every output lists them (the
//! checklist's 集計 sheet, the report, a provision's findings). It is data,
//! like the rule files: a new 類型 is a `[[kind]]` here and a rule file with
//! its code, and no change to the Rust code.
//!
//! A rules folder without `taxonomy.toml` (one copied before the taxonomy
//! was a file) uses the built-in taxonomy, and the rule set carries a note
//! saying so: such a folder's rule files were written against that list, so
//! it still loads as it always did, and a clerk who adds a 類型 to it is told
//! by the unknown-code error to copy `taxonomy.toml` in first.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

use super::{RuleError, line_of};

/// The name of the taxonomy's file in a rules folder.
pub const TAXONOMY_FILE: &str = "taxonomy.toml";

/// One 類型: its code (`posting`) and its Japanese name (書面掲示規制).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kind {
    pub code: String,
    pub name: String,
}

/// The 類型, in their order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Taxonomy {
    pub kinds: Vec<Kind>,
}

/// `taxonomy.toml` as written, with where each value is (for errors).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct TaxonomyFile {
    #[serde(default, rename = "kind")]
    kinds: Vec<KindSpec>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct KindSpec {
    code: toml::Spanned<String>,
    name: toml::Spanned<String>,
}

/// A taxonomy read from its file, with the line of each kind's code.
pub(super) struct Parsed {
    pub taxonomy: Taxonomy,
    pub lines: Vec<usize>,
}

impl Taxonomy {
    /// The taxonomy shipped with tenken (`rules/taxonomy.toml`).
    pub fn built_in() -> Taxonomy {
        let text = super::built_in_text(TAXONOMY_FILE).expect("rules/taxonomy.toml is built in");
        Taxonomy::parse(TAXONOMY_FILE, text)
            .unwrap_or_else(|e| panic!("the built-in taxonomy: {e:?}"))
    }

    /// Reads a taxonomy file's text; `file` names it in errors.
    pub fn parse(file: &str, text: &str) -> Result<Taxonomy, Vec<RuleError>> {
        parse(file, text).map(|parsed| parsed.taxonomy)
    }

    /// The number of 類型.
    pub fn len(&self) -> usize {
        self.kinds.len()
    }

    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The place of a code in the taxonomy's order.
    pub fn position(&self, code: &str) -> Option<usize> {
        self.kinds.iter().position(|k| k.code == code)
    }

    /// The Japanese name of a code, if it is one.
    pub fn name(&self, code: &str) -> Option<&str> {
        self.kinds
            .iter()
            .find(|k| k.code == code)
            .map(|k| k.name.as_str())
    }

    /// The codes, comma-separated (for messages).
    pub fn codes_list(&self) -> String {
        let codes: Vec<&str> = self.kinds.iter().map(|k| k.code.as_str()).collect();
        codes.join(", ")
    }
}

/// Whether a code is written as codes are: lower-case ASCII letters, digits
/// and `_`, starting with a letter. It is printed in brackets in the
/// checklist's 類型 cell (「書面掲示規制 (posting)」), where the 集計 sheet's
/// formulas look for it (`*(posting)`, so no wildcard may be in it), and it
/// names the report's page of the 類型.
fn is_code(code: &str) -> bool {
    code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

pub(super) fn parse(file: &str, text: &str) -> Result<Parsed, Vec<RuleError>> {
    let error = |line: usize, message: String| RuleError {
        file: file.to_string(),
        line,
        message,
    };
    let spec: TaxonomyFile = toml::from_str(text).map_err(|e| {
        let line = e.span().map_or(0, |s| line_of(text, s.start));
        vec![error(line, e.message().to_string())]
    })?;
    let mut errors = Vec::new();
    if spec.kinds.is_empty() {
        errors.push(error(
            1,
            "no 類型: list each as [[kind]] with code = \"…\" and name = \"…\"".into(),
        ));
    }
    let mut codes: BTreeMap<&str, usize> = BTreeMap::new();
    let mut names: BTreeMap<&str, usize> = BTreeMap::new();
    for kind in &spec.kinds {
        let (code, name) = (kind.code.get_ref(), kind.name.get_ref());
        let code_line = line_of(text, kind.code.span().start);
        let name_line = line_of(text, kind.name.span().start);
        if !is_code(code) {
            errors.push(error(
                code_line,
                format!(
                    "code '{code}': write it with lower-case ASCII letters, digits and _, \
                     starting with a letter (posting, resident_staff …)"
                ),
            ));
        }
        if let Some(first) = codes.insert(code, code_line) {
            errors.push(error(
                code_line,
                format!("code '{code}' is listed twice (first on line {first})"),
            ));
        }
        if name.trim().is_empty() {
            errors.push(error(name_line, format!("code '{code}' has an empty name")));
        } else if let Some(first) = names.insert(name, name_line) {
            errors.push(error(
                name_line,
                format!("name '{name}' is listed twice (first on line {first})"),
            ));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let lines = spec
        .kinds
        .iter()
        .map(|k| line_of(text, k.code.span().start))
        .collect();
    let kinds = spec
        .kinds
        .into_iter()
        .map(|k| Kind {
            code: k.code.into_inner(),
            name: k.name.into_inner(),
        })
        .collect();
    Ok(Parsed {
        taxonomy: Taxonomy { kinds },
        lines,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_taxonomy_lists_the_eleven_kinds_in_order() {
        let taxonomy = Taxonomy::built_in();
        assert_eq!(taxonomy.len(), 11);
        assert_eq!(taxonomy.kinds[0].code, "visual");
        assert_eq!(taxonomy.position("posting"), Some(3));
        assert_eq!(taxonomy.name("posting"), Some("書面掲示規制"));
        assert_eq!(taxonomy.kinds[10].name, "対面手続");
        assert_eq!(taxonomy.name("other"), None);
    }

    #[test]
    fn a_wrong_taxonomy_names_the_file_and_line() {
        let first = |text: &str| {
            let errors = Taxonomy::parse("t.toml", text).expect_err(text);
            (
                errors[0].file.clone(),
                errors[0].line,
                errors[0].message.clone(),
            )
        };
        let (file, line, message) = first(
            "[[kind]]\ncode = \"a\"\nname = \"甲\"\n\n[[kind]]\ncode = \"a\"\nname = \"乙\"\n",
        );
        assert_eq!((file.as_str(), line), ("t.toml", 6));
        assert!(message.contains("twice (first on line 2)"), "{message}");
        let (_, line, message) = first(
            "[[kind]]\ncode = \"a\"\nname = \"甲\"\n\n[[kind]]\ncode = \"b\"\nname = \"甲\"\n",
        );
        assert_eq!(line, 7, "{message}");
        let (_, line, message) = first("[[kind]]\ncode = \"書面 (x)\"\nname = \"甲\"\n");
        assert_eq!(line, 2);
        assert!(message.contains("lower-case"), "{message}");
        let (_, line, _) = first("[[kind]]\ncode = \"a\"\nname = \"\"\n");
        assert_eq!(line, 3);
        let (_, line, _) = first("[[kind]]\ncode = \"a\"\n");
        assert_eq!(line, 1, "name missing");
        let (_, line, _) = first("[[kind]]\ncode = \"a\"\nname = \"甲\"\ncolour = \"red\"\n");
        assert_eq!(line, 4, "unknown field");
        let (_, line, _) = first("[[kind]\ncode = \"a\"\n");
        assert_eq!(line, 1, "bad TOML");
        let (_, _, message) = first("# nothing\n");
        assert!(message.contains("no 類型"), "{message}");
    }

    #[test]
    fn codes_are_written_as_codes() {
        assert!(is_code("posting") && is_code("in_person_2"));
        assert!(!is_code("Posting") && !is_code("2nd") && !is_code("a*") && !is_code(""));
    }
}
