//! The exported documents of one 例規: a provision document per unit that
//! carries text (the same units, ids and fields as tenken's own index) and a
//! finding document per finding, each serialised to one JSON line.

use std::collections::HashMap;

use serde::Serialize;

use crate::matching::Finding;
use crate::matching::{ProvisionFindings, findings_by_provision};
use crate::reading::files::{Candidate, source_of};
use crate::structure::units::{TextUnit, text_units};
use crate::structure::year_of;
use crate::structure::{Document, Part, ProvisionKind};

/// One document for the bulk API: its `_id` and its JSON source (one line).
#[derive(Debug)]
pub(crate) struct Entry {
    pub(crate) id: String,
    pub(crate) source: String,
}

/// Everything one file gives.
#[derive(Debug, Default)]
pub(crate) struct FileEntries {
    pub(crate) provisions: Vec<Entry>,
    pub(crate) findings: Vec<Entry>,
}

/// The fields about the 例規 that its provisions and findings share.
#[derive(Debug, Serialize)]
struct Shared<'d> {
    file: &'d str,
    path: &'d str,
    #[serde(skip_serializing_if = "str::is_empty")]
    source: &'d str,
    /// The collection, as `tenken index` names it by default (the folder given).
    #[serde(skip_serializing_if = "str::is_empty")]
    collection: &'d str,
    title: &'d str,
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    number: Option<&'d str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<&'d str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i64>,
}

/// A provision document (see `provisions.mapping.json`).
#[derive(Debug, Serialize)]
struct ProvisionDoc<'d> {
    id: &'d str,
    #[serde(flatten)]
    shared: &'d Shared<'d>,
    citation: &'d str,
    normalized: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'d str>,
    text: &'d str,
    codes: Vec<&'d str>,
    rules: Vec<&'d str>,
    digital: bool,
}

/// A finding document (see `findings.mapping.json`).
#[derive(Debug, Serialize)]
struct FindingDoc<'d> {
    id: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    provision_id: Option<&'d str>,
    #[serde(flatten)]
    shared: &'d Shared<'d>,
    citation: &'d str,
    normalized: &'d str,
    #[serde(skip_serializing_if = "Option::is_none")]
    caption: Option<&'d str>,
    part: Part,
    unit: ProvisionKind,
    article: &'d str,
    paragraph: &'d str,
    code: &'d str,
    code_name: &'d str,
    priority: crate::matching::Priority,
    digital_alternative: bool,
    excerpt: &'d str,
    matched: Vec<&'d str>,
    rules: Vec<&'d str>,
    rule_names: Vec<&'d str>,
    phase: &'d str,
    technology: &'d str,
}

/// The provision and finding documents of one read and matched file.
pub(crate) fn file_entries(
    document: &Document,
    candidate: &Candidate,
    collection: &str,
    findings: &[Finding],
) -> Result<FileEntries, serde_json::Error> {
    let source = source_of(&candidate.source);
    let shared = Shared {
        file: &document.file,
        path: &candidate.key,
        source: &source,
        collection,
        title: &document.title,
        kind: document.kind.japanese(),
        number: document.number.as_deref(),
        date: document.date.as_deref().filter(|d| is_iso_date(d)),
        year: year_of(document.date.as_deref()),
    };
    let units = text_units(document);
    let by_provision = findings_by_provision(findings);
    let mut entries = FileEntries::default();
    for unit in &units {
        let found = by_provision.get(unit.provision.normalized.as_str());
        entries
            .provisions
            .push(provision_entry(unit, found, &shared)?);
    }
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for finding in findings {
        let rank = seen.entry(finding.id.as_str()).or_default();
        *rank += 1;
        let provision_id = provision_of(finding, &units, &candidate.key);
        entries.findings.push(finding_entry(
            finding,
            *rank,
            provision_id.as_deref(),
            &shared,
        )?);
    }
    Ok(entries)
}

fn provision_entry(
    unit: &TextUnit<'_>,
    found: Option<&ProvisionFindings>,
    shared: &Shared<'_>,
) -> Result<Entry, serde_json::Error> {
    let provision = unit.provision;
    let id = unit.id(shared.path);
    let doc = ProvisionDoc {
        id: &id,
        shared,
        citation: &provision.citation,
        normalized: &provision.normalized,
        caption: unit.caption,
        text: &provision.text,
        codes: found.map_or_else(Vec::new, |f| f.codes.iter().map(String::as_str).collect()),
        rules: found.map_or_else(Vec::new, |f| f.rules.iter().map(String::as_str).collect()),
        digital: found.is_some_and(|f| f.digital),
    };
    Ok(Entry {
        source: serde_json::to_string(&doc)?,
        id,
    })
}

/// `rank` counts the findings of the file with this id so far: a second one
/// (the same wording under the same citation twice) gets `<id>~2` as `_id`
/// so that it does not overwrite the first; its `id` field stays the id the
/// checklist shows.
fn finding_entry(
    finding: &Finding,
    rank: usize,
    provision_id: Option<&str>,
    shared: &Shared<'_>,
) -> Result<Entry, serde_json::Error> {
    let doc = FindingDoc {
        id: &finding.id,
        provision_id,
        shared,
        citation: &finding.citation,
        normalized: &finding.normalized,
        caption: finding.caption.as_deref(),
        part: finding.part,
        unit: finding.unit,
        article: &finding.article,
        paragraph: &finding.paragraph,
        code: &finding.code,
        code_name: &finding.code_name,
        priority: finding.priority,
        digital_alternative: finding.digital_alternative,
        excerpt: &finding.excerpt,
        matched: finding.matched.iter().map(|m| m.text.as_str()).collect(),
        rules: finding.rules.iter().map(|r| r.id.as_str()).collect(),
        rule_names: finding.rules.iter().map(|r| r.name.as_str()).collect(),
        phase: &finding.phase,
        technology: &finding.technology,
    };
    let id = if rank > 1 {
        format!("{}~{rank}", finding.id)
    } else {
        finding.id.clone()
    };
    Ok(Entry {
        id,
        source: serde_json::to_string(&doc)?,
    })
}

/// The id of the provision document a finding is in: the unit with its
/// citation whose text holds the first matched word (the first unit with its
/// citation when none does); none when the finding is in a heading, which
/// has no provision document.
fn provision_of(finding: &Finding, units: &[TextUnit<'_>], key: &str) -> Option<String> {
    let same: Vec<&TextUnit<'_>> = units
        .iter()
        .filter(|u| u.provision.normalized == finding.normalized)
        .collect();
    let at = finding.matched.first().map(|m| m.start);
    same.iter()
        .find(|u| at.is_some_and(|at| (u.provision.start..u.provision.end).contains(&at)))
        .or_else(|| same.first())
        .map(|u| u.id(key))
}

/// True for a real calendar date written `yyyy-MM-dd` (what the mapping's
/// date format accepts); 和暦 conversion can give a 31st of a short month.
fn is_iso_date(date: &str) -> bool {
    let bytes = date.as_bytes();
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shaped {
        return false;
    }
    let number =
        |range: std::ops::Range<usize>| date.get(range).and_then(|s| s.parse::<u32>().ok());
    match (number(0..4), number(5..7), number(8..10)) {
        (Some(year), Some(month), Some(day)) => (1..=days_in_month(year, month)).contains(&day),
        _ => false,
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::mapping::{findings_mapping, provisions_mapping};
    use crate::reading::files::Source;
    use crate::reading::read_bytes;
    use serde_json::Value;
    use std::path::PathBuf;

    const SAMPLE: &str = "\
テスト条例
平成十五年三月二十日
条例第五号
（掲示）
第一条　この条例の規定による公告は、掲示場に掲示しなければならない。
２　前項の掲示は、電子計算機を使用する方法によることができる。
";

    fn sample() -> (Document, Candidate) {
        let document = read_bytes(SAMPLE.as_bytes(), "reiki/sample.txt").expect("sample reads");
        let candidate = Candidate {
            source: Source {
                path: PathBuf::from("/nowhere/reiki/sample.txt"),
                name: "reiki/sample.txt".into(),
            },
            key: "/nowhere/reiki/sample.txt".into(),
        };
        (document, candidate)
    }

    fn finding(normalized: &str, id: &str, at: usize) -> Finding {
        serde_json::from_value(serde_json::json!({
            "id": id, "file": "reiki/sample.txt", "title": "t", "doc_kind": "条例",
            "part": "main", "unit": "paragraph", "citation": "第一条第一項",
            "normalized": normalized, "article": "第一条", "paragraph": "",
            "excerpt": "【掲示】", "code": "posting", "code_name": "書面掲示規制",
            "matched": [{"text": "掲示", "start": at, "end": at + 2}],
            "rules": [{"id": "posting.keiji", "name": "掲示", "reason": "r"}],
            "digital_alternative": false, "priority": "high", "phase": "p", "technology": "t"
        }))
        .expect("a finding")
    }

    /// Checks a JSON value against the type a mapping declares for it.
    fn assert_fits(name: &str, value: &Value, field: &Value) {
        let values = match value {
            Value::Array(items) => items.clone(),
            other => vec![other.clone()],
        };
        let kind = field["type"].as_str().expect("typed field");
        for value in &values {
            let fits = match kind {
                "keyword" | "text" => value.is_string(),
                "integer" => value.as_i64().is_some_and(|n| i32::try_from(n).is_ok()),
                "boolean" => value.is_boolean(),
                "date" => value.as_str().is_some_and(is_iso_date),
                other => panic!("{name}: unexpected type {other}"),
            };
            assert!(fits, "{name}: {value} is not a {kind}");
        }
    }

    fn assert_matches_mapping(source: &str, mapping: &Value) {
        let doc: Value = serde_json::from_str(source).expect("valid JSON");
        let properties = mapping["mappings"]["properties"]
            .as_object()
            .expect("properties");
        for (name, value) in doc.as_object().expect("an object") {
            let field = properties
                .get(name)
                .unwrap_or_else(|| panic!("{name} is not in the mapping"));
            assert_fits(name, value, field);
        }
    }

    #[test]
    fn documents_have_the_types_the_mappings_declare() {
        let (document, candidate) = sample();
        let units = text_units(&document);
        assert!(units.len() >= 2, "two paragraphs: {}", units.len());
        let first = &units[0].provision;
        let findings = [finding(&first.normalized, "abc-1", first.start + 3)];
        let entries = file_entries(&document, &candidate, "corpus", &findings).expect("serialises");
        assert_eq!(entries.provisions.len(), units.len());
        for entry in &entries.provisions {
            assert_matches_mapping(&entry.source, &provisions_mapping());
        }
        for entry in &entries.findings {
            assert_matches_mapping(&entry.source, &findings_mapping());
        }
        let doc: Value = serde_json::from_str(&entries.provisions[0].source).expect("JSON");
        assert_eq!(doc["year"], 2003);
        assert_eq!(doc["date"], "2003-03-20");
        assert_eq!(doc["source"], "reiki");
        assert_eq!(doc["codes"], serde_json::json!(["posting"]));
        assert_eq!(doc["digital"], false);
        let found: Value = serde_json::from_str(&entries.findings[0].source).expect("JSON");
        assert_eq!(found["provision_id"], units[0].id(&candidate.key).as_str());
    }

    #[test]
    fn a_repeated_finding_id_gets_its_own_bulk_id() {
        let (document, candidate) = sample();
        let normalized = text_units(&document)[0].provision.normalized.clone();
        let findings = [
            finding(&normalized, "abc-1", 0),
            finding(&normalized, "abc-1", 0),
        ];
        let entries = file_entries(&document, &candidate, "corpus", &findings).expect("serialises");
        let ids: Vec<&str> = entries.findings.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(ids, ["abc-1", "abc-1~2"]);
    }

    #[test]
    fn only_calendar_dates_pass() {
        assert!(is_iso_date("2003-03-20"));
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2023-02-29"));
        assert!(!is_iso_date("2023-04-31"));
        assert!(!is_iso_date("2023-13-01"));
        assert!(!is_iso_date("2023-1-01"));
        assert!(!is_iso_date("２０２３-01-01"));
    }
}
