//! The project's own sample 例規集 (`corpus/`): every file is read in the format
//! and encoding it is written in, every labelled paragraph of `corpus/gold.tsv`
//! exists in the tree with the citation the label gives, and the structure has
//! every kind of unit the sample was written to show.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use tenken::reading::files;
use tenken::structure::numbers::{join_numbers, label_numbers, parse_number};
use tenken::structure::{Document, Format, Part, ProvisionKind};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

fn read_corpus() -> Vec<Document> {
    let (sources, errors) = files::collect(&[corpus()]);
    assert!(errors.is_empty(), "{errors:?}");
    files::read_all(&sources, &|_| {})
        .into_iter()
        .map(|r| r.unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn every_sample_file_is_read_in_its_own_format_and_encoding() {
    let documents = read_corpus();
    assert_eq!(documents.len(), 17);
    let expect = [
        (
            "jorei/kokokushiki_jorei.html",
            Format::ReikiBaseHtml,
            "UTF-8",
        ),
        (
            "jorei/kasai_yobo_jorei.html",
            Format::LawDataHtml,
            "Shift_JIS",
        ),
        ("jorei/toshi_koen_jorei.txt", Format::Text, "Shift_JIS"),
        ("jorei/ryokangyo_jorei.txt", Format::Text, "EUC-JP"),
        ("yoko/bosai_kunren_yoryo.txt", Format::Text, "UTF-8"),
        ("jorei/fuzoku_kikan_setchi_jorei.txt", Format::Text, "UTF-8"),
        (
            "kisoku/fd_shinsei_tokurei_kisoku.xml",
            Format::EgovXml,
            "UTF-8",
        ),
    ];
    for (file, format, encoding) in expect {
        let doc = documents
            .iter()
            .find(|d| d.file == file)
            .unwrap_or_else(|| panic!("{file} not read"));
        assert_eq!(
            (doc.format, doc.encoding.as_str()),
            (format, encoding),
            "{file}"
        );
    }
    for doc in &documents {
        assert!(
            doc.title.starts_with("つばき町"),
            "{}: title {}",
            doc.file,
            doc.title
        );
        assert!(doc.number.is_some(), "{}: no number", doc.file);
        assert!(doc.date.is_some(), "{}: no date", doc.file);
    }
}

#[test]
fn the_sample_shows_every_kind_of_unit() {
    let kinds: BTreeSet<ProvisionKind> = read_corpus()
        .iter()
        .flat_map(|d| d.walk().into_iter().map(|p| p.kind).collect::<Vec<_>>())
        .collect();
    for kind in [
        ProvisionKind::Chapter,
        ProvisionKind::Article,
        ProvisionKind::Paragraph,
        ProvisionKind::Item,
        ProvisionKind::Subitem,
        ProvisionKind::Suppl,
        ProvisionKind::Appendix,
    ] {
        assert!(kinds.contains(&kind), "no {kind:?} in corpus/");
    }
}

/// The normal form a gold row names: 第6条の2 + ２ → 6-2/2.
fn gold_key(article: &str, paragraph: &str) -> Option<String> {
    let article = join_numbers(&label_numbers(article, '条')?);
    let paragraph = if paragraph.trim().is_empty() {
        1
    } else {
        parse_number(paragraph)?
    };
    Some(format!("{article}/{paragraph}"))
}

#[test]
fn every_gold_paragraph_exists_with_its_citation() {
    let documents = read_corpus();
    let gold = std::fs::read_to_string(corpus().join("gold.tsv")).expect("corpus/gold.tsv");
    let mut rows = 0;
    for line in gold.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (file, article, paragraph) = (cols[1], cols[2], cols[3]);
        let key = gold_key(article, paragraph).unwrap_or_else(|| panic!("bad gold row {line}"));
        let doc = documents
            .iter()
            .find(|d| d.file == file)
            .unwrap_or_else(|| panic!("gold names unknown file {file}"));
        let found = doc.walk().into_iter().find(|p| {
            p.kind == ProvisionKind::Paragraph && p.part == Part::Main && p.normalized == key
        });
        let p = found.unwrap_or_else(|| panic!("{file} {article} {paragraph}: no paragraph {key}"));
        assert!(
            p.citation.starts_with(article),
            "{file}: citation {} for {article}",
            p.citation
        );
        rows += 1;
    }
    assert!(rows >= 200, "only {rows} gold rows");
}

#[test]
fn citations_compare_equal_across_numeral_styles() {
    let documents = read_corpus();
    let kanji = documents
        .iter()
        .find(|d| d.file == "jorei/kasai_yobo_jorei.html")
        .expect("火災予防条例");
    let article = kanji
        .walk()
        .into_iter()
        .find(|p| p.citation == "第六条の二第二項")
        .expect("第六条の二第二項");
    assert_eq!(article.normalized, "6-2/2");
    let arabic = documents
        .iter()
        .find(|d| d.file == "jorei/inkan_jorei.html")
        .expect("印鑑条例");
    let item = arabic
        .walk()
        .into_iter()
        .find(|p| p.normalized == "4/2/3")
        .expect("印鑑条例 4/2/3");
    assert_eq!(item.citation, "第4条第2項第3号");
}
