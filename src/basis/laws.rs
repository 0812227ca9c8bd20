//! National texts beside the 例規 (`--laws DIR`): a folder of e-Gov law XML
//! in which a cited national provision is looked up by its law number (which
//! names a statute across renames) or its title, to show its current text.
//!
//! Only each file's head (its <LawNum> and <LawTitle>) is read when the
//! folder is opened; a statute is read whole the first time it is cited, and
//! kept. Statutes cited but not in the folder are counted, to be listed once.

use std::collections::{BTreeMap, HashMap};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use super::{Reference, Statute};
use crate::reading::read_file;
use crate::structure::numbers::{is_numeral, parse_number};
use crate::structure::{Document, Part};

/// Why the folder of national texts cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum LawError {
    #[error("{path}: 国の法令のフォルダを読めません ({source})")]
    Folder {
        path: String,
        #[source]
        source: walkdir::Error,
    },
    #[error(
        "{path}: e-Gov の法令 XML（<LawNum> と <LawTitle> のあるファイル）がありません \
         (no e-Gov law XML in this folder)"
    )]
    Empty { path: String },
}

/// A cited national provision as the folder has it now.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NationalText {
    /// The reference as the 例規 cites it: 建築基準法第12条第1項.
    pub reference: String,
    /// The statute's title and number in the folder (its current name).
    pub title: String,
    pub number: String,
    /// The e-Gov law id (the file's name, 325AC0000000201), for a link.
    pub law_id: String,
    /// The provision's current text; None when the statute has no such place.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    /// Whether that text now allows a digital way (the test tenken applies to a 例規).
    pub digital: bool,
}

/// The most characters of a national provision's text a finding keeps.
pub const NATIONAL_TEXT_MAX: usize = 400;

/// One statute of the folder.
#[derive(Debug, Clone)]
struct Entry {
    path: PathBuf,
    title: String,
    number: String,
    law_id: String,
}

/// The folder of national texts.
#[derive(Debug, Default)]
pub struct Laws {
    entries: Vec<Entry>,
    by_number: HashMap<String, usize>,
    by_title: HashMap<String, usize>,
    read: Mutex<HashMap<usize, Option<Arc<Document>>>>,
    missing: Mutex<BTreeMap<String, usize>>,
}

impl Laws {
    /// Opens a folder (and everything below it) of e-Gov law XML.
    pub fn open(dir: &Path) -> Result<Laws, LawError> {
        let mut laws = Laws::default();
        for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
            let entry = entry.map_err(|source| LawError::Folder {
                path: dir.display().to_string(),
                source,
            })?;
            let path = entry.path();
            if !entry.file_type().is_file()
                || !path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("xml"))
            {
                continue;
            }
            if let Some((number, title)) = head(path) {
                laws.add(Entry {
                    law_id: path
                        .file_stem()
                        .map(|s| s.to_string_lossy().to_string())
                        .unwrap_or_default(),
                    path: path.to_path_buf(),
                    title,
                    number,
                });
            }
        }
        if laws.entries.is_empty() {
            return Err(LawError::Empty {
                path: dir.display().to_string(),
            });
        }
        Ok(laws)
    }

    fn add(&mut self, entry: Entry) {
        let at = self.entries.len();
        self.by_number
            .entry(normal_number(&entry.number))
            .or_insert(at);
        self.by_title
            .entry(normal_title(&entry.title))
            .or_insert(at);
        self.entries.push(entry);
    }

    /// How many statutes the folder holds.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The statute a 例規 cites, by its number when it gives one, else by its title.
    fn find(&self, statute: &Statute) -> Option<usize> {
        statute
            .number
            .as_ref()
            .and_then(|n| self.by_number.get(&normal_number(n)))
            .or_else(|| self.by_title.get(&normal_title(&statute.title)))
            .copied()
    }

    /// The cited provision's current text. A statute not in the folder is
    /// counted as missing and gives None; so does a statute cited as a whole.
    pub fn look_up(&self, reference: &Reference) -> Option<NationalText> {
        let statute = reference.statute.as_ref()?;
        let Some(at) = self.find(statute) else {
            let mut missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
            *missing.entry(statute.title.clone()).or_default() += 1;
            return None;
        };
        // A statute cited as a whole has no provision to show.
        let place = reference.normalized()?;
        let entry = &self.entries[at];
        let text = self.document(at).and_then(|d| provision_text(&d, &place));
        Some(NationalText {
            reference: reference.printed.clone(),
            title: entry.title.clone(),
            number: entry.number.clone(),
            law_id: entry.law_id.clone(),
            text,
            digital: false,
        })
    }

    /// The statutes cited but not in the folder, with how many citations each had.
    pub fn missing(&self) -> Vec<(String, usize)> {
        let missing = self.missing.lock().unwrap_or_else(|e| e.into_inner());
        missing.iter().map(|(t, n)| (t.clone(), *n)).collect()
    }

    fn document(&self, at: usize) -> Option<Arc<Document>> {
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.entry(at)
            .or_insert_with(|| {
                let entry = &self.entries[at];
                read_file(&entry.path, &entry.law_id).ok().map(Arc::new)
            })
            .clone()
    }
}

/// The text of a main-part provision and all below it, cut to [`NATIONAL_TEXT_MAX`].
fn provision_text(document: &Document, normalized: &str) -> Option<String> {
    let provision = document
        .walk()
        .into_iter()
        .find(|p| p.part == Part::Main && p.normalized == normalized)?;
    let mut text = String::new();
    for p in provision.walk() {
        if !p.text.is_empty() {
            if !text.is_empty() {
                text.push('　');
            }
            text.push_str(&p.text);
        }
    }
    Some(crate::matching::shorten_excerpt(&text, NATIONAL_TEXT_MAX))
}

/// The <LawNum> and <LawTitle> of an e-Gov law XML file, from its head.
fn head(path: &Path) -> Option<(String, String)> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(16 * 1024)
        .read_to_end(&mut bytes)
        .ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let element = |name: &str| {
        let open = text.find(&format!("<{name}"))?;
        let start = open + text[open..].find('>')? + 1;
        let end = start + text[start..].find(&format!("</{name}>"))?;
        Some(text[start..end].trim().to_string())
    };
    Some((element("LawNum")?, element("LawTitle")?))
}

/// A law number with its numerals as plain digits: 昭和二十五年法律第二百一号
/// and 昭和25年法律第201号 compare equal.
pub fn normal_number(number: &str) -> String {
    let mut out = String::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if !run.is_empty() {
            match parse_number(run) {
                Some(n) => out.push_str(&n.to_string()),
                None => out.push_str(run),
            }
            run.clear();
        }
    };
    for c in number.chars().filter(|c| !c.is_whitespace()) {
        if is_numeral(c) || c == '元' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

fn normal_title(title: &str) -> String {
    title.chars().filter(|c| !c.is_whitespace()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn law_numbers_compare_across_numeral_styles() {
        assert_eq!(
            normal_number("昭和二十五年法律第二百一号"),
            normal_number("昭和25年法律第201号")
        );
        assert_eq!(normal_number("令和元年法律第十六号"), "令和1年法律第16号");
        assert_eq!(normal_number("平成１２年政令第３号"), "平成12年政令第3号");
    }
}
