//! 改め文: the amending text of a 例規 in the standard phrasing.

use super::model::DocumentDraft;

/// The whole amending text of a 例規 (題名, 改正文, one line per change in
/// document order, 附則), one line per element.
pub fn amending_text(draft: &DocumentDraft) -> Vec<String> {
    let kind = if draft.kind.is_empty() { "例規" } else { draft.kind.as_str() };
    let mut lines = vec![format!("{}の一部を改正する{kind}（案）", draft.title), String::new()];
    let number = draft
        .number
        .as_deref()
        .map(|n| format!("（{n}）"))
        .unwrap_or_default();
    lines.push(format!("{}{number}の一部を次のように改正する。", draft.title));
    lines.push(String::new());
    for provision in &draft.provisions {
        lines.extend(provision.amendment.iter().cloned());
    }
    lines.push(String::new());
    lines.push("附　則".to_string());
    lines.push(format!("この{kind}は、公布の日から施行する。"));
    lines
}
