//! Rules: the rule files of `rules/` (TOML, one per taxonomy code, plus
//! `common.toml` with the shared building blocks), loaded and validated.
//!
//! A rule names its taxonomy code, its keywords (for the fast prefilter) and
//! its patterns. A pattern is a string of parts separated by `…`: a literal
//! (`見やすい場所`), a lemma sequence on tokens (`lemma:掲示 する`, `|` for
//! alternatives, `*` for any token, `pos:名詞` for a part of speech) or a
//! regular expression (`re:標識を?掲`). Consecutive parts must lie within the
//! rule's `window` of characters. Whether a match is a *requirement* is decided
//! by the shared duty expressions and exclusions of `common.toml`.

pub mod pattern;

pub use pattern::{Part, Pattern};

use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The taxonomy codes, in the order of TAXONOMY.md.
pub const CODES: [&str; 11] = {
    let mut codes = [""; 11];
    let mut i = 0;
    while i < TAXONOMY.len() {
        codes[i] = TAXONOMY[i].0;
        i += 1;
    }
    codes
};

/// The taxonomy codes with their Japanese names (類型), in TAXONOMY.md's order.
pub const TAXONOMY: [(&str, &str); 11] = [
    ("visual", "目視規制"),
    ("on_site_audit", "実地監査規制"),
    ("periodic_inspection", "定期検査・点検規制"),
    ("posting", "書面掲示規制"),
    ("resident_staff", "常駐・専任規制"),
    ("in_person_training", "対面講習規制"),
    ("visit_inspection", "往訪閲覧・縦覧規制"),
    ("media", "FD等記録媒体規制"),
    ("paper_procedure", "書面手続"),
    ("seal", "押印・署名"),
    ("in_person_procedure", "対面手続"),
];

/// The rule files shipped with tenken, used when no `rules/` folder is given.
const BUILT_IN: [(&str, &str); 12] = [
    ("common.toml", include_str!("../../rules/common.toml")),
    ("visual.toml", include_str!("../../rules/visual.toml")),
    (
        "on_site_audit.toml",
        include_str!("../../rules/on_site_audit.toml"),
    ),
    (
        "periodic_inspection.toml",
        include_str!("../../rules/periodic_inspection.toml"),
    ),
    ("posting.toml", include_str!("../../rules/posting.toml")),
    (
        "resident_staff.toml",
        include_str!("../../rules/resident_staff.toml"),
    ),
    (
        "in_person_training.toml",
        include_str!("../../rules/in_person_training.toml"),
    ),
    (
        "visit_inspection.toml",
        include_str!("../../rules/visit_inspection.toml"),
    ),
    ("media.toml", include_str!("../../rules/media.toml")),
    (
        "paper_procedure.toml",
        include_str!("../../rules/paper_procedure.toml"),
    ),
    ("seal.toml", include_str!("../../rules/seal.toml")),
    (
        "in_person_procedure.toml",
        include_str!("../../rules/in_person_procedure.toml"),
    ),
];

/// A problem in a rule file: the file, the line (1-based, 0 when unknown) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct RuleError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// The shared building blocks (`common.toml`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    /// Expressions that make a sentence a duty (しなければならない, ものとする …).
    pub duty: Vec<String>,
    /// Of those, the ones that state the duty firmly (high priority).
    pub strong_duty: Vec<String>,
    /// Expressions of a discretionary power (することができる).
    pub discretion: Vec<String>,
    /// Expressions that show a digital way is already allowed.
    pub digital: Vec<String>,
    /// Sentence-level exclusions: definitions, penalties, 準用 …
    pub exclusions: Vec<Exclusion>,
    /// Expressions after a match that turn it into a prohibition (てはならない).
    pub prohibition: Vec<String>,
}

/// A named exclusion: a sentence containing one of its patterns is not a finding.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    pub name: String,
    pub explain: String,
    pub patterns: Vec<String>,
}

/// What a rule file for one code holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    code: String,
    name: String,
    explain: String,
    phase: String,
    technology: String,
    #[serde(default, rename = "rule")]
    rules: Vec<RuleSpec>,
}

/// A rule as written in a file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleSpec {
    id: String,
    name: String,
    explain: String,
    keywords: Vec<String>,
    patterns: Vec<String>,
    #[serde(default)]
    not: Vec<String>,
    #[serde(default = "default_window")]
    window: usize,
    /// "any" (duties and discretionary powers; the default), "duty", or "none".
    #[serde(default = "default_requires")]
    requires: String,
    /// Exclusions that do not apply to this rule (by name).
    #[serde(default)]
    allow: Vec<String>,
    /// true: patterns also read the text inside （…） (default: main clause only).
    #[serde(default)]
    parentheticals: bool,
    #[serde(default, rename = "match")]
    must_match: Vec<String>,
    #[serde(default)]
    no_match: Vec<String>,
    #[serde(default)]
    example: Vec<Example>,
}

/// An example run through the whole matcher, as a provision of a 例規:
/// `text` is a paragraph, or with `lead` a 号 of the paragraph `lead`.
/// It checks that the rule fires (or, with `finds = false`, that no finding
/// of the rule's code comes out) and, when given, the finding's priority
/// (高, 中 or 低) and whether it is marked as already digital.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Example {
    pub text: String,
    #[serde(default)]
    pub lead: Option<String>,
    #[serde(default = "default_finds")]
    pub finds: bool,
    #[serde(default)]
    pub priority: Option<String>,
    #[serde(default)]
    pub digital: Option<bool>,
}

fn default_finds() -> bool {
    true
}

fn default_window() -> usize {
    40
}

fn default_requires() -> String {
    "any".to_string()
}

/// A taxonomy code with its Japanese name and review direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeInfo {
    pub code: String,
    pub name: String,
    pub explain: String,
    pub phase: String,
    pub technology: String,
}

/// What a sentence must state for a rule's match to be a requirement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requires {
    /// A duty or a discretionary power (`requires = "any"`, the default).
    DutyOrPower,
    /// A duty (`requires = "duty"`).
    Duty,
    /// Nothing: the words themselves state the requirement (`requires = "none"`),
    /// e.g. 閲覧所 or a list of 添付書類.
    Nothing,
}

/// A loaded, validated rule.
#[derive(Debug, Clone)]
pub struct Rule {
    pub id: String,
    pub code: String,
    pub name: String,
    pub explain: String,
    pub keywords: Vec<String>,
    pub patterns: Vec<Pattern>,
    pub not: Vec<Pattern>,
    pub window: usize,
    /// What the sentence must state for a match to count.
    pub requires: Requires,
    pub allow: Vec<String>,
    /// Patterns also read inside parentheses (「（印鑑登録証明書を添付したもの）」).
    pub parentheticals: bool,
    pub must_match: Vec<String>,
    pub no_match: Vec<String>,
    /// Examples run through the whole matcher (priority, digital flag, 号).
    pub examples: Vec<Example>,
    /// The file it came from, and the line of its id.
    pub file: String,
    pub line: usize,
}

impl Rule {
    /// True when any of the rule's patterns needs tokens.
    pub fn needs_tokens(&self) -> bool {
        self.patterns
            .iter()
            .chain(&self.not)
            .any(Pattern::needs_tokens)
    }
}

/// Every rule, the code descriptions and the shared blocks.
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub common: Common,
    pub codes: Vec<CodeInfo>,
    pub rules: Vec<Rule>,
    /// Where the rules came from (a folder, or "built-in").
    pub source: String,
}

impl RuleSet {
    /// A fingerprint of everything in the rules that findings are made of
    /// (the rules, the shared blocks, the codes' names and descriptions; not
    /// where they were read from): the same rules give the same fingerprint,
    /// and any edit another. The scan journal and the index keep it to know
    /// when their stored findings are stale.
    pub fn fingerprint(&self) -> String {
        let described = format!("{:?}|{:?}|{:?}", self.rules, self.common, self.codes);
        format!("{:016x}", crate::hashing::fnv64(&[&described]))
    }

    /// The rules shipped with tenken.
    pub fn built_in() -> Result<RuleSet, Vec<RuleError>> {
        parse_files(&RuleSet::built_in_texts(), "built-in")
    }

    /// The built-in rule files as (file name, TOML text).
    pub fn built_in_texts() -> Vec<(String, String)> {
        BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect()
    }

    /// Parses rule files given as (file name, TOML text), as [`RuleSet::load`]
    /// does for a folder's files: `common.toml` is the shared file, every other
    /// name a code file. `source` says where they came from.
    pub fn from_texts(files: &[(String, String)], source: &str) -> Result<RuleSet, Vec<RuleError>> {
        parse_files(files, source)
    }

    /// Loads every `*.toml` of a folder; `common.toml` must be there.
    pub fn load(dir: &Path) -> Result<RuleSet, Vec<RuleError>> {
        let mut files = Vec::new();
        let entries = std::fs::read_dir(dir).map_err(|e| {
            vec![RuleError {
                file: dir.display().to_string(),
                line: 0,
                message: format!("cannot read the rules folder: {e}"),
            }]
        })?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        let mut errors = Vec::new();
        for path in paths {
            let name = path.display().to_string();
            match std::fs::read_to_string(&path) {
                Ok(text) => files.push((name, text)),
                Err(e) => errors.push(RuleError {
                    file: name,
                    line: 0,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        parse_files(&files, &dir.display().to_string())
    }

    /// The description of a code.
    pub fn code(&self, code: &str) -> Option<&CodeInfo> {
        self.codes.iter().find(|c| c.code == code)
    }

    pub fn rule(&self, id: &str) -> Option<&Rule> {
        self.rules.iter().find(|r| r.id == id)
    }
}

/// 1-based line of a byte offset.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `needle` (a quoted TOML string value) first appears.
fn line_of_value(text: &str, needle: &str) -> usize {
    text.find(needle).map_or(0, |at| line_of(text, at))
}

fn parse_files(files: &[(String, String)], source: &str) -> Result<RuleSet, Vec<RuleError>> {
    parse_files_inner(files, source).map_err(|errors| {
        errors
            .into_iter()
            .map(|e| RuleError {
                file: one_line(&e.file),
                line: e.line,
                message: one_line(&e.message),
            })
            .collect()
    })
}

/// Errors are printed one per line: control characters (a newline inside a
/// TOML string, a parser's multi-line message) are shown escaped.
pub(crate) fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

fn parse_files_inner(files: &[(String, String)], source: &str) -> Result<RuleSet, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut common = None;
    let mut codes = Vec::new();
    let mut rules = Vec::new();
    for (file, text) in files {
        let is_common = Path::new(file)
            .file_name()
            .is_some_and(|n| n == "common.toml");
        let result = if is_common {
            toml::from_str::<Common>(text).map(|c| common = Some(c))
        } else {
            toml::from_str::<CodeFile>(text).map(|f| {
                let (info, mut file_rules, mut file_errors) = compile_code_file(file, text, f);
                codes.push(info);
                rules.append(&mut file_rules);
                errors.append(&mut file_errors);
            })
        };
        if let Err(e) = result {
            let line = e.span().map_or(0, |s| line_of(text, s.start));
            errors.push(RuleError {
                file: file.clone(),
                line,
                message: e.message().to_string(),
            });
        }
    }
    let Some(common) = common else {
        errors.push(RuleError {
            file: source.to_string(),
            line: 0,
            message: "common.toml (the shared duty expressions and exclusions) is missing".into(),
        });
        return Err(errors);
    };
    errors.extend(check_set(&codes, &rules));
    if errors.is_empty() {
        Ok(RuleSet {
            common,
            codes,
            rules,
            source: source.to_string(),
        })
    } else {
        Err(errors)
    }
}

fn compile_code_file(file: &str, text: &str, f: CodeFile) -> (CodeInfo, Vec<Rule>, Vec<RuleError>) {
    let mut errors = Vec::new();
    if !CODES.contains(&f.code.as_str()) {
        errors.push(RuleError {
            file: file.to_string(),
            line: line_of_value(text, &f.code),
            message: format!("unknown code '{}': use one of {}", f.code, CODES.join(", ")),
        });
    }
    // The name is the 類型 every output prints beside the code: the one
    // TAXONOMY.md gives it, so that the two never drift apart.
    let taxonomy_name = TAXONOMY.iter().find(|(code, _)| *code == f.code);
    if let Some((code, name)) = taxonomy_name.filter(|(_, name)| *name != f.name) {
        errors.push(RuleError {
            file: file.to_string(),
            line: line_of_value(text, &f.name),
            message: format!(
                "name '{}' of code '{code}': the taxonomy names it '{name}' (TAXONOMY.md)",
                f.name
            ),
        });
    }
    let info = CodeInfo {
        code: f.code.clone(),
        name: f.name,
        explain: f.explain,
        phase: f.phase,
        technology: f.technology,
    };
    let mut rules = Vec::new();
    for spec in f.rules {
        let line = line_of_value(text, &format!("\"{}\"", spec.id));
        match compile_rule(file, line, &f.code, text, spec) {
            Ok(rule) => rules.push(rule),
            Err(mut e) => errors.append(&mut e),
        }
    }
    (info, rules, errors)
}

fn compile_rule(
    file: &str,
    line: usize,
    code: &str,
    text: &str,
    spec: RuleSpec,
) -> Result<Rule, Vec<RuleError>> {
    let mut errors = Vec::new();
    let error = |at: usize, message: String| RuleError {
        file: file.to_string(),
        line: if at == 0 { line } else { at },
        message: format!("rule {}: {message}", spec.id),
    };
    let mut compile = |sources: &[String]| -> Vec<Pattern> {
        sources
            .iter()
            .filter_map(|s| match Pattern::parse(s) {
                Ok(p) => Some(p),
                Err(message) => {
                    errors.push(error(line_of_value(text, s), message));
                    None
                }
            })
            .collect()
    };
    let patterns = compile(&spec.patterns);
    let not = compile(&spec.not);
    if spec.keywords.iter().all(|k| k.trim().is_empty()) {
        errors.push(error(
            0,
            "needs at least one keyword for the prefilter".into(),
        ));
    }
    if spec.patterns.is_empty() {
        errors.push(error(0, "needs at least one pattern".into()));
    }
    for example in &spec.example {
        if let Some(p) = &example.priority
            && !matches!(p.as_str(), "高" | "中" | "低")
        {
            errors.push(error(
                line_of_value(text, p),
                format!("example priority = '{p}': use 高, 中 or 低"),
            ));
        }
    }
    if !matches!(spec.requires.as_str(), "any" | "duty" | "none") {
        errors.push(error(
            0,
            format!(
                "requires = '{}': use 'any', 'duty' or 'none'",
                spec.requires
            ),
        ));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Rule {
        id: spec.id,
        code: code.to_string(),
        name: spec.name,
        explain: spec.explain,
        keywords: spec.keywords,
        patterns,
        not,
        window: spec.window,
        requires: match spec.requires.as_str() {
            "duty" => Requires::Duty,
            "none" => Requires::Nothing,
            _ => Requires::DutyOrPower,
        },
        allow: spec.allow,
        parentheticals: spec.parentheticals,
        must_match: spec.must_match,
        no_match: spec.no_match,
        examples: spec.example,
        file: file.to_string(),
        line,
    })
}

/// Checks across files: duplicate ids, a file for every code.
fn check_set(codes: &[CodeInfo], rules: &[Rule]) -> Vec<RuleError> {
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    for rule in rules {
        if !seen.insert(rule.id.as_str()) {
            errors.push(RuleError {
                file: rule.file.clone(),
                line: rule.line,
                message: format!("rule id '{}' is used twice", rule.id),
            });
        }
    }
    for code in CODES {
        if !codes.iter().any(|c| c.code == code) {
            errors.push(RuleError {
                file: "rules".into(),
                line: 0,
                message: format!("no rule file for code '{code}'"),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_rules_load() {
        let set = RuleSet::built_in().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.codes.len(), 11);
        assert!(set.rules.len() >= 11);
    }

    #[test]
    fn broken_files_name_the_file_and_line() {
        let files = vec![
            ("common.toml".to_string(), BUILT_IN[0].1.to_string()),
            (
                "posting.toml".to_string(),
                "code = \"posting\"\nname = \"x\"\nexplain = \"x\"\nphase = \"x\"\ntechnology = \"x\"\n\n[[rule]]\nid = \"p1\"\nname = \"n\"\nexplain = \"e\"\nkeywords = [\"掲示\"]\npatterns = [\"re:掲示(\"]\n".to_string(),
            ),
        ];
        let errors = parse_files(&files, "test").expect_err("broken");
        let bad_regex = errors
            .iter()
            .find(|e| e.message.contains("p1"))
            .expect("regex error");
        assert_eq!(
            (bad_regex.file.as_str(), bad_regex.line),
            ("posting.toml", 12)
        );
        let files = vec![
            ("common.toml".to_string(), BUILT_IN[0].1.to_string()),
            (
                "seal.toml".to_string(),
                "code = \"seal\"\nname = 3\n".to_string(),
            ),
        ];
        let errors = parse_files(&files, "test").expect_err("broken");
        assert_eq!((errors[0].file.as_str(), errors[0].line), ("seal.toml", 2));
    }

    #[test]
    fn a_code_is_named_as_the_taxonomy_names_it() {
        let posting = BUILT_IN
            .iter()
            .find(|(name, _)| *name == "posting.toml")
            .map(|(_, text)| text.replacen("name = \"書面掲示規制\"", "name = \"掲示規制\"", 1))
            .expect("posting.toml");
        assert!(posting.contains("name = \"掲示規制\""));
        let files = vec![
            ("common.toml".to_string(), BUILT_IN[0].1.to_string()),
            ("posting.toml".to_string(), posting),
        ];
        let errors = parse_files(&files, "test").expect_err("a renamed code");
        let renamed = errors
            .iter()
            .find(|e| e.message.contains("'掲示規制'"))
            .unwrap_or_else(|| panic!("{errors:?}"));
        assert_eq!((renamed.file.as_str(), renamed.line), ("posting.toml", 2));
        assert!(
            renamed.message.contains("書面掲示規制"),
            "{}",
            renamed.message
        );
    }

    #[test]
    fn the_fingerprint_follows_what_findings_are_made_of() {
        let built_in = RuleSet::built_in().expect("built-in");
        let mut elsewhere = built_in.clone();
        elsewhere.source = "another folder".into();
        assert_eq!(built_in.fingerprint(), elsewhere.fingerprint());
        let mut renamed = built_in.clone();
        renamed.codes[0].phase.push('。');
        assert_ne!(built_in.fingerprint(), renamed.fingerprint());
        let mut edited = built_in.clone();
        edited.rules[0].keywords.push("掲示板".into());
        assert_ne!(built_in.fingerprint(), edited.fingerprint());
    }
}
