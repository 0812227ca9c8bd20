//! `tenken rules`: check, list, explain and try the rules.

use crate::cli::Exit;
use std::path::Path;

use tenken::matching::check_examples;
use tenken::rules::{Requires, RuleSet};

use super::commands::RulesAction;
use super::{load_rules, matcher};

/// `tenken rules …`. Rule files that cannot be loaded exit 2, as in every
/// command that takes `--rules`; `check` exits 1 when rule examples fail.
pub(crate) fn rules_command(action: RulesAction, dir: Option<&Path>) -> Exit {
    let Some(rules) = load_rules(dir) else {
        return Exit::Usage;
    };
    match action {
        RulesAction::List => {
            for rule in &rules.rules {
                let code = rules.code(&rule.code).map_or("", |c| c.name.as_str());
                println!("{:36} {:22} {} ({code})", rule.id, rule.code, rule.name);
            }
            Exit::Done
        }
        RulesAction::Explain { id } => explain(&rules, &id),
        RulesAction::Check => match (check_rules(&rules), check_templates(dir, &rules)) {
            (Exit::Done, Exit::Done) => Exit::Done,
            _ => Exit::Failed,
        },
        RulesAction::Try { text } => try_rules(&rules, &text),
    }
}

pub(crate) fn check_rules(rules: &RuleSet) -> Exit {
    let Some(matcher) = matcher(rules) else {
        return Exit::Failed;
    };
    match check_examples(rules, &matcher) {
        Ok(errors) if errors.is_empty() => {
            let examples: usize = rules
                .rules
                .iter()
                .map(|r| r.must_match.len() + r.no_match.len() + r.examples.len())
                .sum();
            println!(
                "{} rules in {} files ({}): all valid, {examples} examples pass",
                rules.rules.len(),
                rules.codes.len() + 1,
                rules.source
            );
            Exit::Done
        }
        Ok(errors) => {
            for e in &errors {
                eprintln!("tenken: {e}");
            }
            eprintln!("tenken: {} rule examples fail", errors.len());
            Exit::Failed
        }
        Err(e) => {
            eprintln!("tenken: {e}");
            Exit::Failed
        }
    }
}

/// The drafting templates (`tenken draft`) beside the rules: valid, of
/// known 類型, every example as written.
fn check_templates(dir: Option<&Path>, rules: &RuleSet) -> Exit {
    let Some(templates) = super::draft::load_templates(dir, rules) else {
        eprintln!("tenken: drafting templates fail (起案テンプレートに誤りがあります)");
        return Exit::Failed;
    };
    let examples: usize = templates.templates.iter().map(|t| t.examples.len()).sum();
    println!(
        "{} drafting templates: all valid, {examples} examples pass",
        templates.templates.len()
    );
    Exit::Done
}

pub(crate) fn explain(rules: &RuleSet, id: &str) -> Exit {
    let Some(rule) = rules.rule(id) else {
        eprintln!("tenken: no rule '{id}' (see `tenken rules list`)");
        return Exit::Failed;
    };
    let code = rules.code(&rule.code);
    println!("{}  {}", rule.id, rule.name);
    println!(
        "類型: {} ({})",
        code.map_or("", |c| c.name.as_str()),
        rule.code
    );
    println!("{}", rule.explain);
    if let Some(code) = code {
        println!("見直しの方向性: {}", code.phase);
        println!("想定される技術: {}", code.technology);
    }
    println!("ファイル: {}:{}", rule.file, rule.line);
    println!("キーワード: {}", rule.keywords.join("、"));
    println!("パターン (…は{}文字以内):", rule.window);
    for p in &rule.patterns {
        println!("  {}", p.source);
    }
    if !rule.not.is_empty() {
        println!("除外パターン:");
        for p in &rule.not {
            println!("  {}", p.source);
        }
    }
    let requires = match rule.requires {
        Requires::Duty => "義務の表現があること",
        Requires::DutyOrPower => "義務または裁量の表現があること",
        Requires::Nothing => "なし（語そのものが要件を示す）",
    };
    println!("要件: {requires}");
    for e in &rules.common.exclusions {
        if !rule.allow.contains(&e.name) {
            println!("共通除外 {}: {}", e.name, e.explain);
        }
    }
    for s in &rule.must_match {
        println!("該当例: {s}");
    }
    for s in &rule.no_match {
        println!("非該当例: {s}");
    }
    for e in &rule.examples {
        let lead = e
            .lead
            .as_deref()
            .map_or(String::new(), |l| format!("{l} の号 "));
        let outcome = if e.finds {
            let priority = e
                .priority
                .as_deref()
                .map_or(String::new(), |p| format!("、優先度 {p}"));
            let digital = match e.digital {
                Some(true) => "、電子的代替あり",
                Some(false) => "、電子的代替なし",
                None => "",
            };
            format!("該当{priority}{digital}")
        } else {
            "非該当".to_string()
        };
        println!("例（{outcome}）: {lead}{}", e.text);
    }
    Exit::Done
}

pub(crate) fn try_rules(rules: &RuleSet, text: &str) -> Exit {
    let Some(matcher) = matcher(rules) else {
        return Exit::Failed;
    };
    let mut fired = 0;
    for rule in &rules.rules {
        match matcher.fires(&rule.id, text) {
            Ok(true) => {
                fired += 1;
                println!("{:36} {:22} {}", rule.id, rule.code, rule.name);
            }
            Ok(false) => {}
            Err(e) => {
                eprintln!("tenken: {e}");
                return Exit::Failed;
            }
        }
    }
    if fired == 0 {
        println!("no rule fires");
    }
    Exit::Done
}
