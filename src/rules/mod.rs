//! Rules: the rule files of `rules/` (TOML, one per taxonomy code, plus
//! `common.toml` with the shared building blocks and `taxonomy.toml` with the
//! 類型 themselves, see [`taxonomy`]), loaded and validated. The built-in copy
//! is every `rules/*.toml`, listed by `build.rs`, so a new 類型 (a line in
//! `taxonomy.toml` and a rule file) needs no change to the Rust code.
//!
//! A rule names its taxonomy code, its keywords (for the fast prefilter) and
//! its patterns. A pattern is a string of parts separated by `…`: a literal
//! (`見やすい場所`), a lemma sequence on tokens (`lemma:掲示 する`, `|` for
//! alternatives, `*` for any token, `pos:名詞` for a part of speech) or a
//! regular expression (`re:標識を?掲`). Consecutive parts must lie within the
//! rule's `window` of characters. Whether a match is a *requirement* is decided
//! by the shared duty expressions and exclusions of `common.toml`.

pub mod pattern;
pub mod taxonomy;

pub use pattern::{Part, Pattern};
pub use taxonomy::{Kind, TAXONOMY_FILE, Taxonomy};

use serde::Deserialize;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

// The rule files of `rules/`, built in (build.rs lists them): `BUILT_IN`.
include!(concat!(env!("OUT_DIR"), "/built_in_rules.rs"));

/// The text of a built-in rule file.
fn built_in_text(name: &str) -> Option<&'static str> {
    BUILT_IN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

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
    /// The digital words that show a digital way of this 類型 (precedents).
    #[serde(default)]
    precedent: Vec<String>,
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
    /// The digital words that show a digital way of this 類型 in a
    /// provision's own text, for precedents (`tenken similar`): a 立入検査
    /// whose 帳簿書類 include 電磁的記録 is no model of a remote inspection.
    /// Empty: the common digital words.
    pub precedent: Vec<String>,
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

/// Every rule, the code descriptions and the shared blocks, in the order of
/// the taxonomy (the rules of one code in their file's order).
#[derive(Debug, Clone)]
pub struct RuleSet {
    pub common: Common,
    /// The 類型 (`taxonomy.toml`); every code has a [`CodeInfo`] and rules.
    pub taxonomy: Taxonomy,
    pub codes: Vec<CodeInfo>,
    pub rules: Vec<Rule>,
    /// Where the rules came from (a folder, or "built-in").
    pub source: String,
    /// What the people who run tenken should know about these rules (a
    /// folder without `taxonomy.toml`, which uses the built-in one).
    pub notes: Vec<String>,
}

impl RuleSet {
    /// A fingerprint of everything in the rules that findings are made of
    /// (the rules, the shared blocks, the taxonomy, the codes' names and
    /// descriptions; not where they were read from): the same rules give the
    /// same fingerprint, and any edit another. The scan journal and the index
    /// keep it to know when their stored findings are stale.
    pub fn fingerprint(&self) -> String {
        let described = format!(
            "{:?}|{:?}|{:?}|{:?}",
            self.rules, self.common, self.codes, self.taxonomy
        );
        format!("{:016x}", crate::hashing::fnv64(&[&described]))
    }

    /// The rules shipped with tenken.
    pub fn built_in() -> Result<RuleSet, Vec<RuleError>> {
        parse_files(&RuleSet::built_in_texts(), "built-in")
    }

    /// The built-in rule files as (file name, TOML text): `common.toml`, the
    /// code files in the taxonomy's order (those named after a code; any
    /// other after them by name), then `taxonomy.toml`. The order is fixed so
    /// that the fuzz target's inputs (which pick a file by its place here)
    /// keep meaning the same file when a file is added.
    pub fn built_in_texts() -> Vec<(String, String)> {
        let taxonomy = Taxonomy::built_in();
        let place = |name: &str| match name {
            "common.toml" => (0, 0),
            TAXONOMY_FILE => (3, 0),
            _ => name
                .strip_suffix(".toml")
                .and_then(|code| taxonomy.position(code))
                .map_or((2, 0), |at| (1, at)),
        };
        let mut files: Vec<(String, String)> = BUILT_IN
            .iter()
            .map(|(name, text)| (name.to_string(), text.to_string()))
            .collect();
        files.sort_by(|(a, _), (b, _)| place(a).cmp(&place(b)).then(a.cmp(b)));
        files
    }

    /// Parses rule files given as (file name, TOML text), as [`RuleSet::load`]
    /// does for a folder's files: `common.toml` is the shared file,
    /// `taxonomy.toml` the 類型 (the built-in ones when it is not given),
    /// every other name a code file. `source` says where they came from.
    pub fn from_texts(files: &[(String, String)], source: &str) -> Result<RuleSet, Vec<RuleError>> {
        parse_files(files, source)
    }

    /// Loads every `*.toml` of a folder; `common.toml` must be there, and
    /// `taxonomy.toml` should (without it the built-in taxonomy is used, with
    /// a note).
    pub fn load(dir: &Path) -> Result<RuleSet, Vec<RuleError>> {
        let files = toml_files(dir, "the rules folder")?;
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

/// Every `*.toml` file directly in `dir` (folders below it are not read), as
/// (path, text) in name order; `what` names the folder in the error when it
/// cannot be read. Every file that cannot be read is an error.
pub fn toml_files(dir: &Path, what: &str) -> Result<Vec<(String, String)>, Vec<RuleError>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        vec![RuleError {
            file: dir.display().to_string(),
            line: 0,
            message: format!("cannot read {what}: {e}"),
        }]
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();
    let mut files = Vec::new();
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
    if errors.is_empty() {
        Ok(files)
    } else {
        Err(errors)
    }
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line where `needle` (a quoted TOML string value) first appears.
pub(crate) fn line_of_value(text: &str, needle: &str) -> usize {
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

/// Whether `file` (a name or a path) is called `name`.
fn is_named(file: &str, name: &str) -> bool {
    Path::new(file).file_name().is_some_and(|n| n == name)
}

/// The taxonomy the code files are checked against, and where it came from.
struct Known {
    taxonomy: Taxonomy,
    /// The taxonomy's file and the line of each kind; None for the built-in
    /// taxonomy used in place of a missing file.
    file: Option<(String, Vec<usize>)>,
}

fn parse_files_inner(files: &[(String, String)], source: &str) -> Result<RuleSet, Vec<RuleError>> {
    let mut errors = Vec::new();
    let mut notes = Vec::new();
    // The taxonomy first: the code files are checked against it. A broken
    // one leaves them unchecked rather than wrong on every line.
    let known = match files.iter().find(|(file, _)| is_named(file, TAXONOMY_FILE)) {
        Some((file, text)) => match taxonomy::parse(file, text) {
            Ok(parsed) => Some(Known {
                taxonomy: parsed.taxonomy,
                file: Some((file.clone(), parsed.lines)),
            }),
            Err(mut e) => {
                errors.append(&mut e);
                None
            }
        },
        None => {
            let taxonomy = Taxonomy::built_in();
            notes.push(format!(
                "{source} に {TAXONOMY_FILE}（類型の一覧）がないため、tenken に組み込みの {} 類型を使います。\
                 類型を加えるときは、tenken に付属の rules/{TAXONOMY_FILE} をこのフォルダに写して書き足してください \
                 (no {TAXONOMY_FILE} in the rules folder: the built-in taxonomy is used)",
                taxonomy.len()
            ));
            Some(Known {
                taxonomy,
                file: None,
            })
        }
    };
    let mut common = None;
    let mut codes = Vec::new();
    let mut rules = Vec::new();
    for (file, text) in files {
        if is_named(file, TAXONOMY_FILE) {
            continue;
        }
        let result = if is_named(file, "common.toml") {
            toml::from_str::<Common>(text).map(|c| common = Some(c))
        } else {
            toml::from_str::<CodeFile>(text).map(|f| {
                let (info, mut file_rules, mut file_errors) =
                    compile_code_file(file, text, f, known.as_ref());
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
    let Some(known) = known else {
        return Err(errors);
    };
    errors.extend(check_set(&codes, &rules, &known, source));
    if !errors.is_empty() {
        return Err(errors);
    }
    // The taxonomy's order, whatever the files' names: the report lists the
    // codes, and `tenken rules list` the rules, as the 集計 sheet does.
    let order = |code: &str| known.taxonomy.position(code).unwrap_or(usize::MAX);
    codes.sort_by_key(|c| order(&c.code));
    rules.sort_by_key(|r| order(&r.code));
    Ok(RuleSet {
        common,
        taxonomy: known.taxonomy,
        codes,
        rules,
        source: source.to_string(),
        notes,
    })
}

fn compile_code_file(
    file: &str,
    text: &str,
    f: CodeFile,
    known: Option<&Known>,
) -> (CodeInfo, Vec<Rule>, Vec<RuleError>) {
    let mut errors = Vec::new();
    if let Some(known) = known {
        errors.extend(check_code(file, text, &f, known));
    }
    let info = CodeInfo {
        code: f.code.clone(),
        name: f.name,
        explain: f.explain,
        phase: f.phase,
        technology: f.technology,
        precedent: f.precedent,
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

/// A code file's code must be one of the taxonomy's, and its name the one
/// the taxonomy gives it: the 類型 every output prints beside the code, so
/// that the two never drift apart.
fn check_code(file: &str, text: &str, f: &CodeFile, known: &Known) -> Option<RuleError> {
    let error = |needle: &str, message: String| RuleError {
        file: file.to_string(),
        line: line_of_value(text, needle),
        message,
    };
    let Some(name) = known.taxonomy.name(&f.code) else {
        let how = match &known.file {
            Some((taxonomy, _)) => format!("or add the 類型 to {taxonomy}"),
            None => format!(
                "or, to add a 類型, copy tenken's rules/{TAXONOMY_FILE} into this folder and add it there"
            ),
        };
        return Some(error(
            &f.code,
            format!(
                "unknown code '{}': use one of {}, {how}",
                f.code,
                known.taxonomy.codes_list()
            ),
        ));
    };
    (name != f.name).then(|| {
        let taxonomy = known
            .file
            .as_ref()
            .map_or(TAXONOMY_FILE, |(t, _)| t.as_str());
        error(
            &f.name,
            format!(
                "name '{}' of code '{}': the taxonomy names it '{name}' ({taxonomy})",
                f.name, f.code
            ),
        )
    })
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

/// Checks across files: duplicate ids, a file for every code of the taxonomy.
fn check_set(codes: &[CodeInfo], rules: &[Rule], known: &Known, source: &str) -> Vec<RuleError> {
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
    for (at, kind) in known.taxonomy.kinds.iter().enumerate() {
        if !codes.iter().any(|c| c.code == kind.code) {
            let (file, line) = match &known.file {
                Some((file, lines)) => (file.clone(), lines.get(at).copied().unwrap_or(0)),
                None => (source.to_string(), 0),
            };
            errors.push(RuleError {
                file,
                line,
                message: format!(
                    "no rule file for code '{}': write one that starts with code = \"{}\" and name = \"{}\"",
                    kind.code, kind.code, kind.name
                ),
            });
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const COMMON: &str = include_str!("../../rules/common.toml");

    /// The built-in files with `name` replaced by (or, when absent, given) `text`.
    fn built_in_with(name: &str, text: &str) -> Vec<(String, String)> {
        let mut files: Vec<(String, String)> = RuleSet::built_in_texts()
            .into_iter()
            .filter(|(n, _)| n != name)
            .collect();
        files.push((name.to_string(), text.to_string()));
        files
    }

    /// A code file with one rule.
    fn code_file(code: &str, name: &str) -> String {
        format!(
            "code = \"{code}\"\nname = \"{name}\"\nexplain = \"\"\nphase = \"\"\ntechnology = \"\"\n\n\
             [[rule]]\nid = \"{code}.one\"\nname = \"n\"\nexplain = \"e\"\nkeywords = [\"電話\"]\npatterns = [\"電話\"]\n"
        )
    }

    #[test]
    fn a_new_kind_is_a_line_of_the_taxonomy_and_a_rule_file() {
        let taxonomy = format!(
            "{}\n[[kind]]\ncode = \"telephone\"\nname = \"電話規制\"\n",
            built_in_text(TAXONOMY_FILE).expect("built in")
        );
        let mut files = built_in_with(TAXONOMY_FILE, &taxonomy);
        files.push(("telephone.toml".into(), code_file("telephone", "電話規制")));
        // Files in another order (a folder sorts them by name): the rule set
        // follows the taxonomy.
        files.reverse();
        let set = RuleSet::from_texts(&files, "test").unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.taxonomy.len(), 12);
        assert!(set.notes.is_empty(), "{:?}", set.notes);
        let codes: Vec<&str> = set.codes.iter().map(|c| c.code.as_str()).collect();
        let listed: Vec<&str> = set.taxonomy.kinds.iter().map(|k| k.code.as_str()).collect();
        assert_eq!(codes, listed);
        assert_eq!(
            set.rules.last().map(|r| r.id.as_str()),
            Some("telephone.one")
        );
        assert_eq!(set.rules[0].code, "visual");
        // The taxonomy's line without its rule file.
        files.retain(|(name, _)| name != "telephone.toml");
        let errors = RuleSet::from_texts(&files, "test").expect_err("no rule file");
        assert_eq!(errors.len(), 1, "{errors:?}");
        let line = taxonomy
            .lines()
            .position(|l| l == "code = \"telephone\"")
            .expect("line")
            + 1;
        assert_eq!(
            (errors[0].file.as_str(), errors[0].line),
            (TAXONOMY_FILE, line)
        );
        assert!(
            errors[0]
                .message
                .contains("no rule file for code 'telephone'")
        );
    }

    #[test]
    fn a_code_must_be_in_the_taxonomy() {
        let mut files = RuleSet::built_in_texts();
        files.push(("telephone.toml".into(), code_file("telephone", "電話規制")));
        let errors = RuleSet::from_texts(&files, "test").expect_err("unknown code");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            (errors[0].file.as_str(), errors[0].line),
            ("telephone.toml", 1)
        );
        assert!(
            errors[0].message.contains("unknown code 'telephone'")
                && errors[0].message.contains("add the 類型 to taxonomy.toml"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_folder_without_a_taxonomy_uses_the_built_in_one_with_a_note() {
        let files: Vec<(String, String)> = RuleSet::built_in_texts()
            .into_iter()
            .filter(|(name, _)| name != TAXONOMY_FILE)
            .collect();
        let set = RuleSet::from_texts(&files, "my-rules").expect("loads");
        let built_in = RuleSet::built_in().expect("built-in");
        assert_eq!(set.taxonomy, built_in.taxonomy);
        assert_eq!(set.fingerprint(), built_in.fingerprint());
        assert!(built_in.notes.is_empty());
        assert_eq!(set.notes.len(), 1);
        assert!(
            set.notes[0].starts_with("my-rules に taxonomy.toml") && !set.notes[0].contains('\n'),
            "{}",
            set.notes[0]
        );
        // A new code there: the error says to copy the taxonomy in.
        let mut files = files;
        files.push(("telephone.toml".into(), code_file("telephone", "電話規制")));
        let errors = RuleSet::from_texts(&files, "my-rules").expect_err("unknown code");
        assert!(
            errors[0]
                .message
                .contains("copy tenken's rules/taxonomy.toml into this folder"),
            "{}",
            errors[0].message
        );
    }

    #[test]
    fn a_broken_taxonomy_is_reported_alone() {
        let files = built_in_with(
            TAXONOMY_FILE,
            "[[kind]]\ncode = \"visual\"\nnam = \"目視規制\"\n",
        );
        let errors = RuleSet::from_texts(&files, "test").expect_err("broken");
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            (errors[0].file.as_str(), errors[0].line),
            (TAXONOMY_FILE, 3)
        );
    }

    #[test]
    fn the_built_in_files_keep_their_places() {
        let names: Vec<String> = RuleSet::built_in_texts()
            .into_iter()
            .map(|(n, _)| n)
            .collect();
        assert_eq!(names.first().map(String::as_str), Some("common.toml"));
        assert_eq!(names[4], "posting.toml");
        assert_eq!(names[10], "seal.toml");
        assert_eq!(names.last().map(String::as_str), Some(TAXONOMY_FILE));
        let on_disk = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/rules"))
            .expect("rules/")
            .filter(|e| {
                e.as_ref()
                    .is_ok_and(|e| e.path().extension().is_some_and(|x| x == "toml"))
            })
            .count();
        assert_eq!(names.len(), on_disk, "every rules/*.toml is built in");
    }

    #[test]
    fn built_in_rules_load() {
        let set = RuleSet::built_in().unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(set.codes.len(), 11);
        assert!(set.rules.len() >= 11);
    }

    #[test]
    fn broken_files_name_the_file_and_line() {
        let files = vec![
            ("common.toml".to_string(), COMMON.to_string()),
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
            ("common.toml".to_string(), COMMON.to_string()),
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
            ("common.toml".to_string(), COMMON.to_string()),
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
