//! The diff as people read it: the summary counts, then one block per 例規
//! with its provision changes (旧/新 text around the change) and the findings
//! they opened or closed, in Japanese labels.

use std::io::Write;

use super::{
    ClosedBecause, DiffReport, DocumentDiff, DocumentStatus, FindingChange, FindingChangeKind,
    PairedBy, ProvisionChange, ProvisionChangeKind, ProvisionState,
};

/// Characters of unchanged text shown either side of a change.
const CONTEXT: usize = 20;
/// The most characters of one text shown.
const WIDTH: usize = 90;

/// Writes the diff as a table for reading.
pub fn write_table(report: &DiffReport, out: &mut dyn Write) -> std::io::Result<()> {
    write_header(report, out)?;
    for document in &report.documents {
        writeln!(out)?;
        write_document(document, out)?;
    }
    if !report.skipped.is_empty() {
        writeln!(out)?;
        writeln!(out, "読めなかったファイル")?;
        for skipped in &report.skipped {
            let side = match skipped.side {
                super::Side::Old => "旧",
                super::Side::New => "新",
            };
            writeln!(out, "  {side} {}", skipped.reason)?;
        }
    }
    Ok(())
}

fn write_header(report: &DiffReport, out: &mut dyn Write) -> std::io::Result<()> {
    let s = &report.summary;
    writeln!(out, "旧: {}", report.old)?;
    writeln!(out, "新: {}", report.new)?;
    if report.text_compared {
        writeln!(out, "比較: 条項の本文と指摘")?;
    } else {
        writeln!(
            out,
            "比較: 指摘のみ（scan の出力どうしの比較のため、条文の本文は比較していない）"
        )?;
    }
    writeln!(out)?;
    let mut documents = format!(
        "例規: 変更あり {} / 変更なし {} / 追加 {} / 削除 {}",
        s.documents_changed, s.documents_unchanged, s.documents_added, s.documents_removed
    );
    if s.documents_in_one_output > 0 {
        documents += &format!(" / 片方の出力のみ {}", s.documents_in_one_output);
    }
    if s.documents_paired_by_title > 0 {
        documents += &format!("（題名で対応づけ {}）", s.documents_paired_by_title);
    }
    writeln!(out, "{documents}")?;
    if report.text_compared {
        writeln!(
            out,
            "条項: 追加 {} / 削除 {} / 改正 {}",
            s.provisions_added, s.provisions_removed, s.provisions_amended
        )?;
    }
    let mut findings = format!(
        "指摘: 新たな指摘 {} / 解消した指摘 {}（うち電子的方法の追加 {}）",
        s.findings_opened, s.findings_closed, s.findings_closed_by_digital
    );
    if !report.text_compared {
        findings += &format!(" / 文言の変わった指摘 {}", s.findings_amended);
    } else if s.findings_in_unchanged_provisions > 0 {
        findings += &format!(
            " / うち本文の変わらない条項で {}",
            s.findings_in_unchanged_provisions
        );
    }
    writeln!(out, "{findings}")?;
    writeln!(out, "読めなかったファイル: {}", s.files_skipped)
}

fn write_document(d: &DocumentDiff, out: &mut dyn Write) -> std::io::Result<()> {
    let files = match (&d.old_file, &d.new_file) {
        (Some(o), Some(n)) if o != n => format!("{o} → {n}"),
        (_, Some(f)) | (Some(f), None) => f.clone(),
        (None, None) => String::new(),
    };
    let status = match (d.status, d.paired_by) {
        (DocumentStatus::Added, _) => "（追加された例規）",
        (DocumentStatus::Removed, _) => "（削除された例規）",
        (DocumentStatus::OnlyInOldOutput, _) => "（旧の出力にのみ指摘あり）",
        (DocumentStatus::OnlyInNewOutput, _) => "（新の出力にのみ指摘あり）",
        (DocumentStatus::Paired, Some(PairedBy::Title)) => "（題名で対応づけ）",
        (DocumentStatus::Paired, _) => "",
    };
    writeln!(out, "■ {}  {files}{status}", d.title)?;
    if let Some(old_title) = &d.old_title {
        writeln!(out, "  題名の改正 旧: {old_title}")?;
    }
    for provision in &d.provisions {
        write_provision(provision, out)?;
    }
    if !d.findings.is_empty() {
        if d.findings
            .iter()
            .any(|f| f.provision == ProvisionState::Unchanged)
        {
            writeln!(out, "  本文の変わらない条項での指摘の変化:")?;
        }
        for finding in &d.findings {
            write_finding(finding, true, out)?;
        }
    }
    if d.provisions.is_empty() && d.findings.is_empty() && d.old_title.is_none() {
        writeln!(out, "  変更なし")?;
    }
    Ok(())
}

fn write_provision(p: &ProvisionChange, out: &mut dyn Write) -> std::io::Result<()> {
    let label = match p.change {
        ProvisionChangeKind::Added => "追加",
        ProvisionChangeKind::Removed => "削除",
        ProvisionChangeKind::Amended => "改正",
    };
    writeln!(out, "  {label} {} ({})", p.citation, p.normalized)?;
    let (old, new) = short_texts(p.old_text.as_deref(), p.new_text.as_deref());
    if let Some(old) = old {
        writeln!(out, "      旧: {old}")?;
    }
    if let Some(new) = new {
        writeln!(out, "      新: {new}")?;
    }
    for finding in &p.findings {
        write_finding(finding, false, out)?;
    }
    if !p.still_open.is_empty() {
        let codes: Vec<String> = p
            .still_open
            .iter()
            .map(|c| format!("{}（{}）", c.code, c.code_name))
            .collect();
        writeln!(out, "      改正後も残る指摘: {}", codes.join("、"))?;
    }
    Ok(())
}

fn write_finding(
    f: &FindingChange,
    with_citation: bool,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let label = match f.change {
        FindingChangeKind::Opened => "新たな指摘",
        FindingChangeKind::Closed => "解消した指摘",
        FindingChangeKind::Amended => "文言の変わった指摘",
    };
    let place = if with_citation {
        format!(" {} ({})", f.citation, f.normalized)
    } else {
        String::new()
    };
    let why = match f.closed_because {
        Some(ClosedBecause::DigitalAlternative) => " — 電子的方法が追加された",
        Some(ClosedBecause::Absent) => " — 該当する規定がなくなった",
        None => "",
    };
    let excerpt = match f.change {
        FindingChangeKind::Closed => f.new_excerpt.as_ref().or(f.old_excerpt.as_ref()),
        _ => f.new_excerpt.as_ref(),
    };
    let excerpt = excerpt.map_or_else(String::new, |e| format!(" 「{}」", clip(e, WIDTH)));
    let indent = if with_citation { "    " } else { "      " };
    writeln!(
        out,
        "{indent}{label}{place}: {}（{}）{why}{excerpt}",
        f.code, f.code_name
    )
}

/// OLD and NEW text cut to the part around what changed.
fn short_texts(old: Option<&str>, new: Option<&str>) -> (Option<String>, Option<String>) {
    match (old, new) {
        (Some(o), Some(n)) => {
            let (o, n): (Vec<char>, Vec<char>) =
                (o.trim().chars().collect(), n.trim().chars().collect());
            let prefix = o.iter().zip(&n).take_while(|(a, b)| a == b).count();
            let limit = o.len().min(n.len()) - prefix;
            let suffix = o
                .iter()
                .rev()
                .zip(n.iter().rev())
                .take(limit)
                .take_while(|(a, b)| a == b)
                .count();
            let start = prefix.saturating_sub(CONTEXT);
            (
                Some(window(&o, start, suffix)),
                Some(window(&n, start, suffix)),
            )
        }
        (o, n) => (
            o.map(|t| clip(t.trim(), WIDTH)),
            n.map(|t| clip(t.trim(), WIDTH)),
        ),
    }
}

/// The characters from `start` to `CONTEXT` past the changed part (which ends
/// `suffix` characters before the end), with … where text is left out.
fn window(text: &[char], start: usize, suffix: usize) -> String {
    let end = (text.len() - suffix + CONTEXT).min(text.len());
    let shown: String = text[start..end].iter().collect();
    let mut out = clip(&shown, WIDTH);
    if start > 0 {
        out.insert(0, '…');
    }
    if end < text.len() && !out.ends_with('…') {
        out.push('…');
    }
    out
}

/// At most `width` characters, with … when cut.
fn clip(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut out: String = text.chars().take(width).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_show_the_change_with_some_context() {
        let old = "第4条第2項及び前条の規定による掲示は、掲示を始めた日から起算して7日以上継続して行わなければならない。";
        let new = "第4条第2項及び前条の規定による掲示は、掲示を始めた日から起算して10日以上継続して行わなければならない。";
        let (o, n) = short_texts(Some(old), Some(new));
        assert_eq!(
            o.as_deref(),
            Some("…による掲示は、掲示を始めた日から起算して7日以上継続して行わなければならない。")
        );
        assert_eq!(
            n.as_deref(),
            Some("…による掲示は、掲示を始めた日から起算して10日以上継続して行わなければならない。")
        );
        let (o, n) = short_texts(None, Some(&"あ".repeat(200)));
        assert_eq!(o, None);
        assert_eq!(n.map(|t| t.chars().count()), Some(WIDTH + 1));
    }

    #[test]
    fn short_texts_of_a_pure_insertion_at_the_end() {
        let (o, n) = short_texts(Some("あいう"), Some("あいうえお"));
        assert_eq!(o.as_deref(), Some("あいう"));
        assert_eq!(n.as_deref(), Some("あいうえお"));
    }
}
