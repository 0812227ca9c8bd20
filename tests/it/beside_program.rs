//! tenken unpacked anywhere finds its own files beside the program: the
//! built dictionary in `dictionary/`, the rules in `rules/` and the report
//! templates in `reports/` (src/locations.rs), with no MeCab IPADIC source,
//! no cached dictionary and no `./rules`, from a folder whose path has
//! Japanese and a space; and with the dictionary gone it says where it looked.

use crate::common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A package folder: the test's `tenken` hard-linked (so that the program's
/// folder is this one), the rules and templates copied, the dictionary built.
fn package(dir: &Path) -> PathBuf {
    let pkg = dir.join("展開 先").join("tenken");
    std::fs::create_dir_all(&pkg).expect("package folder");
    let exe = pkg.join(
        Path::new(env!("CARGO_BIN_EXE_tenken"))
            .file_name()
            .expect("name"),
    );
    if std::fs::hard_link(env!("CARGO_BIN_EXE_tenken"), &exe).is_err() {
        std::fs::copy(env!("CARGO_BIN_EXE_tenken"), &exe).expect("copy the program");
    }
    common::copy_dir(&common::manifest().join("rules"), &pkg.join("rules"));
    common::copy_dir(&common::manifest().join("reports"), &pkg.join("reports"));
    let built = Command::new(&exe)
        .args(["tokens", "点検"])
        .env("TENKEN_DICT_DIR", pkg.join("dictionary"))
        .output()
        .expect("tenken runs");
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    pkg
}

/// Runs the package's tenken from `cwd` where nothing else can be found:
/// no IPADIC source, an empty home, no cache folder named.
fn run(pkg: &Path, cwd: &Path, args: &[&str]) -> Output {
    let home = cwd.join("home");
    std::fs::create_dir_all(&home).expect("home");
    let exe = pkg.join(
        Path::new(env!("CARGO_BIN_EXE_tenken"))
            .file_name()
            .expect("name"),
    );
    Command::new(exe)
        .args(args)
        .current_dir(cwd)
        .env("HOME", &home)
        .env("TENKEN_IPADIC_SRC", cwd.join("no-ipadic"))
        .env_remove("TENKEN_DICT_DIR")
        .env_remove("XDG_CACHE_HOME")
        .env_remove("LOCALAPPDATA")
        .output()
        .expect("tenken runs")
}

#[test]
fn a_package_finds_its_dictionary_rules_and_templates_beside_the_program() {
    if common::ipadic_missing() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let pkg = package(dir.path());
    // A template of the package's own, to see that it is the one used.
    let base = pkg.join("reports/base.html");
    let template = std::fs::read_to_string(&base).expect("base.html");
    let marked = template.replacen("<head>", "<head><!-- 同梱のひな形 -->", 1);
    assert_ne!(marked, template, "base.html has a <head>");
    std::fs::write(&base, marked).expect("write base.html");
    let elsewhere = dir.path().join("作業");
    std::fs::create_dir_all(&elsewhere).expect("work folder");
    let corpus = common::manifest().join("corpus");

    let scan = run(
        &pkg,
        &elsewhere,
        &[
            "scan",
            &corpus.to_string_lossy(),
            "--out",
            "点検結果",
            "--html",
            "点検結果/レポート",
        ],
    );
    let said = String::from_utf8_lossy(&scan.stderr);
    assert!(scan.status.success(), "{said}");
    let rules = format!("ルール: {}）", pkg.join("rules").display());
    assert!(
        said.contains(&rules),
        "the rules beside the program: {said}"
    );
    assert!(elsewhere.join("点検結果/checklist.xlsx").is_file());
    let index = std::fs::read_to_string(elsewhere.join("点検結果/レポート/index.html"))
        .expect("the report");
    assert!(
        index.contains("同梱のひな形"),
        "the templates beside the program"
    );
    assert!(
        !elsewhere.join("home/.cache").exists(),
        "no dictionary built in the home folder"
    );

    std::fs::rename(pkg.join("dictionary"), pkg.join("dictionary.away")).expect("move");
    let none = run(
        &pkg,
        &elsewhere,
        &["scan", &corpus.to_string_lossy(), "--out", "none"],
    );
    let said = String::from_utf8_lossy(&none.stderr);
    assert!(!none.status.success(), "{said}");
    for place in [
        pkg.join("dictionary"),
        elsewhere.join("home/.cache/tenken"),
        elsewhere.join("no-ipadic"),
    ] {
        assert!(
            said.contains(&place.display().to_string()),
            "the message names {}: {said}",
            place.display()
        );
    }
    assert!(said.contains("辞書が見つかりません"), "{said}");
    assert!(!elsewhere.join("none").exists(), "nothing written");
}
