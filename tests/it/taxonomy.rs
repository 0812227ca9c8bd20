//! The taxonomy is data (issue 16): a copy of `rules/` with a 12th 類型 (a
//! `[[kind]]` in `taxonomy.toml` and a rule file with its code) makes
//! `tenken scan --rules COPY` find it and list it in findings.jsonl, the
//! checklist CSV and the 集計 sheet, with no change to the Rust code; a wrong
//! `taxonomy.toml` stops every command with its file and line; a rules folder
//! copied before there was a `taxonomy.toml` still works, with a note.

use std::path::Path;

use crate::common::{copy_dir, ipadic_missing, manifest, tenken};
use calamine::{Data, Reader, open_workbook_auto};

const CODE: &str = "telephone";
const NAME: &str = "電話確認規制";

/// The new 類型 as a clerk would add it: a line in the taxonomy, a rule file.
fn add_kind(rules: &Path) {
    let taxonomy = rules.join("taxonomy.toml");
    let mut text = std::fs::read_to_string(&taxonomy).expect("taxonomy.toml");
    text.push_str(&format!(
        "\n[[kind]]\ncode = \"{CODE}\"\nname = \"{NAME}\"\n"
    ));
    std::fs::write(&taxonomy, text).expect("write taxonomy.toml");
    let rule_file = format!(
        r#"code = "{CODE}"
name = "{NAME}"
explain = "本人や内容の確認を電話で行うことを求める規定。"
phase = "Phase 1: 電話で確認 → Phase 2: オンラインでも確認 → Phase 3: オンラインのみ"
technology = "オンラインでの本人確認、電子メール"

[[rule]]
id = "{CODE}.kakunin"
name = "電話による確認"
explain = "「電話により確認しなければならない」など、電話での確認を求める規定。"
keywords = ["電話"]
patterns = ["re:電話(により|で)[^。]{{0,20}}確認"]
match = ["事業者は、申込者の本人であることを電話により確認しなければならない。"]
no_match = ["事業者は、電話番号を記載しなければならない。"]
"#
    );
    std::fs::write(rules.join(format!("{CODE}.toml")), rule_file).expect("write the rule file");
}

/// A small 例規 with one provision of the new 類型.
fn write_law(dir: &Path) {
    std::fs::create_dir_all(dir).expect("input folder");
    std::fs::write(
        dir.join("denwa.txt"),
        "つばき町電話確認条例\n\
         第一条　事業者は、申込者の本人であることを電話により確認しなければならない。\n\
         第二条　この条例は、公布の日から施行する。\n",
    )
    .expect("write the 例規");
}

fn text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn a_twelfth_kind_needs_only_the_rules_folder() {
    if ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules");
    copy_dir(&manifest().join("rules"), &rules);
    add_kind(&rules);
    let input = dir.path().join("in");
    write_law(&input);
    let out = dir.path().join("out");
    let rules_arg = rules.to_string_lossy().into_owned();

    let check = tenken(&["rules", "check", "--rules", &rules_arg]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let scan = tenken(&[
        "scan",
        &input.to_string_lossy(),
        "--rules",
        &rules_arg,
        "--out",
        &out.to_string_lossy(),
    ]);
    let stderr = String::from_utf8_lossy(&scan.stderr);
    assert_eq!(scan.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("taxonomy.toml"), "no note: {stderr}");

    // findings.jsonl: one finding of the new 類型, named as the taxonomy names it.
    let findings: Vec<serde_json::Value> = text(&out.join("findings.jsonl"))
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    let new: Vec<&serde_json::Value> = findings.iter().filter(|f| f["code"] == CODE).collect();
    assert_eq!(new.len(), 1, "{findings:?}");
    assert_eq!(new[0]["code_name"], NAME);
    assert_eq!(new[0]["citation"], "第一条");
    assert_eq!(new[0]["rules"][0]["id"], "telephone.kakunin");

    // checklist.csv: its 類型 cell.
    let csv = text(&out.join("checklist.csv"));
    assert!(csv.contains(&format!("{NAME} ({CODE})")), "{csv}");

    // 集計: a row of the 類型 table after the eleven (counted, not その他),
    // and a column of the table per 例規.
    let mut workbook = open_workbook_auto(out.join("checklist.xlsx")).expect("checklist.xlsx");
    let summary = workbook.worksheet_range("集計").expect("the 集計 sheet");
    let rows: Vec<Vec<String>> = summary
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect();
    let label = format!("{NAME} ({CODE})");
    let at = rows
        .iter()
        .position(|row| row[0] == label)
        .unwrap_or_else(|| panic!("no row {label} in 集計: {rows:?}"));
    assert_eq!(rows[at][1], "1", "its count: {:?}", rows[at]);
    assert_eq!(rows[at - 1][0], "対面手続 (in_person_procedure)");
    assert_eq!(rows[at + 1][0], "合計", "no その他 row");
    let header = rows
        .iter()
        .find(|row| row[0] == "例規名")
        .expect("the table per 例規");
    let column = header
        .iter()
        .position(|h| h == NAME)
        .expect("a column of the new 類型");
    let law = rows
        .iter()
        .find(|row| row[0] == "つばき町電話確認条例")
        .expect("the 例規's row");
    assert_eq!(law[column], "1", "{header:?} {law:?}");
}

#[test]
fn a_wrong_taxonomy_stops_with_its_file_and_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules");
    copy_dir(&manifest().join("rules"), &rules);
    let taxonomy = rules.join("taxonomy.toml");
    let text = text(&taxonomy).replacen("code = \"seal\"", "code = \"posting\"", 1);
    std::fs::write(&taxonomy, &text).expect("write");
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "code = \"posting\"")
        .nth(1)
        .map(|(at, _)| at + 1)
        .expect("the second posting");
    let out = dir.path().join("out");
    let rules_arg = rules.to_string_lossy().into_owned();
    let scan = tenken(&[
        "scan",
        "corpus",
        "--rules",
        &rules_arg,
        "--out",
        &out.to_string_lossy(),
    ]);
    let stderr = String::from_utf8_lossy(&scan.stderr);
    assert_eq!(scan.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{}:{line}: code 'posting' is listed twice",
            taxonomy.display()
        )),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn a_rules_folder_without_a_taxonomy_uses_the_built_in_one_with_a_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let rules = dir.path().join("rules");
    copy_dir(&manifest().join("rules"), &rules);
    std::fs::remove_file(rules.join("taxonomy.toml")).expect("remove");
    let rules_arg = rules.to_string_lossy().into_owned();
    let list = tenken(&["rules", "list", "--rules", &rules_arg]);
    let stderr = String::from_utf8_lossy(&list.stderr);
    assert_eq!(list.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains(
            "taxonomy.toml（類型の一覧）がないため、tenken に組み込みの 11 類型を使います"
        ),
        "{stderr}"
    );
    assert!(String::from_utf8_lossy(&list.stdout).contains("posting.keiji"));
    // A new 類型 there: the error says what to do.
    add_kind_file_only(&rules);
    let check = tenken(&["rules", "check", "--rules", &rules_arg]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert_eq!(check.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("unknown code 'telephone'")
            && stderr.contains("copy tenken's rules/taxonomy.toml into this folder"),
        "{stderr}"
    );
}

/// The rule file of the new 類型 alone (the taxonomy is not there).
fn add_kind_file_only(rules: &Path) {
    std::fs::write(
        rules.join("taxonomy.toml"),
        text(&manifest().join("rules/taxonomy.toml")),
    )
    .expect("seed");
    add_kind(rules);
    std::fs::remove_file(rules.join("taxonomy.toml")).expect("remove");
}
