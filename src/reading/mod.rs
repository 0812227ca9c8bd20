//! Reading: turns the bytes of one file into a `structure::Document`.
//!
//! The encoding (UTF-8 with or without BOM, Shift_JIS/CP932, EUC-JP, UTF-16)
//! and the format (e-Gov XML, Reiki-Base HTML, law-data HTML, other HTML, text)
//! are recognised from the content; a file's extension is only a hint. Each
//! format has its own small reader that feeds a `structure::Builder`.

pub mod budget;
mod decode;
mod egov;
pub mod files;
mod html;
mod lawdata;
mod reiki;
mod text;

pub use decode::{Decoded, decode};

use std::path::Path;

use crate::structure::{Builder, Document, Format};

/// Why a file could not be read. The message names what is wrong, in
/// Japanese with a short English gloss (see `crate::messages`); the caller
/// adds the file name.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("ファイルを読めません: {}", crate::messages::io(.0))]
    Io(#[from] std::io::Error),
    #[error("ファイルが空です (the file is empty)")]
    Empty,
    /// What the file is instead, in Japanese ("PDF 文書").
    #[error("例規のテキストではありません。{0}です (not a legal text)")]
    Binary(&'static str),
    #[error(
        "文字コードを判別できません。UTF-8、Shift_JIS、EUC-JP のどれとしても正しくない内容です（先頭から {} バイト目に 0x{byte:02X}） (cannot decode the text)",
        offset + 1
    )]
    Undecodable { byte: u8, offset: usize },
    #[error(
        "{encoding} として読めません。先頭の BOM は {encoding} を示していますが、先頭から {} バイト目に正しくないバイト列があります (cannot decode the text as {encoding})",
        offset + 1
    )]
    UndecodableAs {
        encoding: &'static str,
        offset: usize,
    },
    #[error(
        "XML の書き方が正しくありません（先頭から {} バイト目） (malformed XML: {message})",
        position + 1
    )]
    Xml { position: u64, message: String },
    #[error(
        "<{open}> が閉じられる前にファイルが終わっています。途中で切れていないか確認してください (XML truncated)"
    )]
    XmlTruncated { open: String },
    #[error(
        "XML の DOCTYPE で独自の実体が宣言されています（<!ENTITY {name} …>、先頭 {position} バイト以内）。e-Gov 法令標準XML にはないもので、XML 爆弾のおそれがあるため展開しません (XML declares its own entities; not expanded)"
    )]
    XmlEntities { position: u64, name: String },
    #[error(
        "XML ファイルですが e-Gov 法令標準XML ではありません。<Law> 要素がありません (not e-Gov XML: no <Law> element)"
    )]
    NotEgovXml,
    #[error(
        "例規の構造が見つかりません。題名の後に条・項・附則も本文もありません (no legal structure found)"
    )]
    NoStructure,
    #[error(
        "HTML の入れ子が {limit} 段を超えています。例規集のページではありません (HTML nested too deep)"
    )]
    TooDeep { limit: usize },
    /// A symbolic link back to a folder above it: the folder is not walked twice.
    #[error(
        "上位のフォルダ {ancestor} に戻るシンボリックリンクです。同じフォルダを二度読まないよう、たどりません (symbolic link loop)"
    )]
    LinkLoop { ancestor: String },
    #[error(transparent)]
    Budget(#[from] budget::BudgetError),
}

/// A read failure together with the file it happened in.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {error}")]
pub struct FileError {
    pub file: String,
    #[source]
    pub error: ReadError,
}

/// Reads one file from disk; `name` is how the document will be called
/// (its path relative to the folder the user gave).
pub fn read_file(path: &Path, name: &str) -> Result<Document, ReadError> {
    let bytes = std::fs::read(path)?;
    read_bytes(&bytes, name)
}

/// Reads a document from its bytes.
pub fn read_bytes(bytes: &[u8], name: &str) -> Result<Document, ReadError> {
    let decoded = decode(bytes)?;
    let format = detect_format(&decoded.text);
    if matches!(
        format,
        Format::ReikiBaseHtml | Format::LawDataHtml | Format::Html
    ) && html_depth_exceeds(&decoded.text, MAX_HTML_DEPTH)
    {
        return Err(ReadError::TooDeep {
            limit: MAX_HTML_DEPTH,
        });
    }
    let mut builder = Builder::new(name, format, decoded.encoding);
    match format {
        Format::EgovXml => egov::read(&decoded.text, &mut builder)?,
        Format::ReikiBaseHtml => reiki::read(&decoded.text, &mut builder),
        Format::LawDataHtml => lawdata::read(&decoded.text, &mut builder),
        Format::Html => text::read(&html::to_text(&decoded.text), &mut builder),
        Format::Text => text::read(&decoded.text, &mut builder),
    }
    let document = builder.finish();
    if document.provisions.is_empty() && document.preamble.is_none() {
        return Err(ReadError::NoStructure);
    }
    Ok(document)
}

/// Deeper HTML than this is refused: the HTML parser's time grows with the
/// square of the depth, and real pages stay below 400 even counting the
/// unclosed `<P>` and `<DIV>` of law-data pages.
const MAX_HTML_DEPTH: usize = 5000;

/// Elements that have no end tag.
const VOID: [&str; 14] = [
    "br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "param",
    "embed", "track",
];

/// True when start tags minus end tags ever exceed `limit` (a quick upper
/// bound of the nesting depth, read before parsing).
fn html_depth_exceeds(text: &str, limit: usize) -> bool {
    let mut depth: usize = 0;
    for tag in text.split('<').skip(1) {
        let (closing, rest) = match tag.strip_prefix('/') {
            Some(rest) => (true, rest),
            None => (false, tag),
        };
        let name: String = rest
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() || VOID.contains(&name.as_str()) {
            continue;
        }
        let self_closing = tag.split('>').next().is_some_and(|t| t.ends_with('/'));
        if closing {
            depth = depth.saturating_sub(1);
        } else if !self_closing {
            depth += 1;
            if depth > limit {
                return true;
            }
        }
    }
    false
}

/// Recognises the format from the text itself.
pub fn detect_format(text: &str) -> Format {
    // The marks looked for are ASCII: lower-casing ASCII alone is enough, and
    // cheap (a page's whole text is searched below).
    let head: String = text
        .chars()
        .take(8192)
        .collect::<String>()
        .to_ascii_lowercase();
    let trimmed = head.trim_start();
    if head.contains("<law ") || head.contains("<law>") || trimmed.starts_with("<?xml") {
        return Format::EgovXml;
    }
    let looks_html = ["<html", "<body", "<div", "<p>", "<p ", "<!doctype html"]
        .iter()
        .any(|tag| head.contains(tag));
    if !looks_html {
        return Format::Text;
    }
    if text.contains("class=\"eline\"") || text.contains("id=\"num-ids\"") {
        return Format::ReikiBaseHtml;
    }
    let lower_body = text.to_ascii_lowercase();
    // Its structural DIV classes, or its 79-digit position anchors on pages without articles.
    let law_data_classes = ["item", "arttitle", "number", "para1"];
    let has_class = law_data_classes
        .iter()
        .any(|class| lower_body.contains(&format!("<div class=\"{class}\">")));
    if has_class || lower_body.contains("<a name=\"1000000000000000000000000000000") {
        return Format::LawDataHtml;
    }
    Format::Html
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_formats_from_content() {
        assert_eq!(
            detect_format("<?xml version=\"1.0\"?><Law>"),
            Format::EgovXml
        );
        assert_eq!(
            detect_format("<html><div id=\"l1\" class=\"eline\"></div>"),
            Format::ReikiBaseHtml
        );
        assert_eq!(
            detect_format("<HTML><BODY><DIV class=\"item\"><B>第一条</B>"),
            Format::LawDataHtml
        );
        assert_eq!(detect_format("<html><body><p>第一条</p>"), Format::Html);
        assert_eq!(detect_format("第一条　この条例は"), Format::Text);
        assert_eq!(detect_format("# 題名\n### 第一条"), Format::Text);
    }

    #[test]
    fn absurdly_deep_html_is_refused_before_parsing() {
        let deep = format!("<html><body>{}第一条</body></html>", "<div>".repeat(6000));
        assert!(matches!(
            read_bytes(deep.as_bytes(), "a.html"),
            Err(ReadError::TooDeep { .. })
        ));
        let balanced = format!("<html><body>{}</body></html>", "<div>x</div>".repeat(6000));
        assert!(!html_depth_exceeds(&balanced, MAX_HTML_DEPTH));
    }

    #[test]
    fn xml_declaring_entities_is_refused_without_expanding_them() {
        let bomb = "<?xml version=\"1.0\"?><!DOCTYPE Law [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]><Law><LawBody><LawTitle>&b;</LawTitle></LawBody></Law>";
        match read_bytes(bomb.as_bytes(), "bomb.xml") {
            Err(ReadError::XmlEntities { name, .. }) => assert_eq!(name, "a"),
            other => panic!("expected XmlEntities, got {other:?}"),
        }
        let plain = "<?xml version=\"1.0\"?><!DOCTYPE Law><Law><LawBody><LawTitle>題名</LawTitle><MainProvision><Paragraph><ParagraphSentence><Sentence>本文</Sentence></ParagraphSentence></Paragraph></MainProvision></LawBody></Law>";
        assert!(read_bytes(plain.as_bytes(), "plain.xml").is_ok());
    }

    #[test]
    fn empty_and_binary_files_are_refused() {
        assert!(matches!(read_bytes(b"", "a.txt"), Err(ReadError::Empty)));
        assert!(matches!(
            read_bytes(b"  \n", "a.txt"),
            Err(ReadError::Empty)
        ));
        assert!(matches!(
            read_bytes(b"%PDF-1.4\n", "a.txt"),
            Err(ReadError::Binary(_))
        ));
        assert!(matches!(
            read_bytes(b"PK\x03\x04rest", "a.txt"),
            Err(ReadError::Binary(_))
        ));
    }

    #[test]
    fn reads_plain_text_in_any_encoding() {
        let text = "つばき町公告式条例\r\n平成十五年三月二十日\r\n条例第一号\r\n第一条　この条例は、公告の方式を定める。\r\n２　公告は、掲示場に掲示して行う。\r\n";
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let (euc, _, _) = encoding_rs::EUC_JP.encode(text);
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice(text.as_bytes());
        for (bytes, encoding) in [
            (sjis.to_vec(), "Shift_JIS"),
            (euc.to_vec(), "EUC-JP"),
            (bom, "UTF-8"),
            (text.as_bytes().to_vec(), "UTF-8"),
        ] {
            let doc = read_bytes(&bytes, "a.txt").expect("reads");
            assert_eq!(doc.encoding, encoding);
            assert_eq!(doc.title, "つばき町公告式条例");
            assert_eq!(doc.number.as_deref(), Some("条例第一号"));
            assert_eq!(doc.date.as_deref(), Some("2003-03-20"));
            let citations: Vec<&str> = doc.walk().iter().map(|p| p.citation.as_str()).collect();
            assert_eq!(
                citations,
                ["第一条", "第一条第一項", "第一条第二項"],
                "{encoding}"
            );
        }
    }
}
