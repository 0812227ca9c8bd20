//! Japanese morphological analysis: splits text into [`Token`]s (surface,
//! base form, part of speech, character offsets) with lindera and the IPADIC
//! dictionary. A package of tenken carries the dictionary already built, in
//! `dictionary/` beside the program; otherwise it is built once from the MeCab
//! IPADIC source on this machine and cached on disk for later runs.

use std::cell::RefCell;
use std::collections::HashMap;
use std::ffi::OsString;
use std::fs;
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lindera::dictionary::{
    Dictionary, DictionaryBuilder, Metadata, Schema, WordId, load_fs_dictionary,
};
use lindera::error::LinderaError;
use lindera::mode::Mode;
use lindera::segmenter::Segmenter;
use lindera::worker::SegmentWorker;

/// Where Debian's `mecab-ipadic` package installs the IPADIC source.
pub const DEFAULT_SOURCE_DIR: &str = "/usr/share/mecab/dic/ipadic";

/// Environment variable naming the IPADIC source folder.
pub const SOURCE_DIR_ENV: &str = "TENKEN_IPADIC_SRC";

/// Environment variable naming the built-dictionary cache folder.
pub const CACHE_DIR_ENV: &str = "TENKEN_DICT_DIR";

/// Written last into a built cache; a cache without it is never loaded.
const MARKER_FILE: &str = "tenken-complete";

/// A file every MeCab IPADIC source folder has (the connection costs).
const SOURCE_PROBE_FILE: &str = "matrix.def";

/// Staging folders left by crashed builds are removed after this long.
const STALE_STAGING_AGE: Duration = Duration::from_secs(3600);

/// The columns of an IPADIC CSV row, as lindera's own IPADIC crate names them.
const IPADIC_FIELDS: [&str; 13] = [
    "surface",
    "left_context_id",
    "right_context_id",
    "cost",
    "part_of_speech",
    "part_of_speech_subcategory_1",
    "part_of_speech_subcategory_2",
    "part_of_speech_subcategory_3",
    "conjugation_form",
    "conjugation_type",
    "base_form",
    "reading",
    "pronunciation",
];

/// Index of 原形 among the detail fields (the row without its first four columns).
const BASE_FORM_DETAIL: usize = 6;

/// A thread's memo is dropped when it grows past this many words.
const MAX_MEMO_WORDS: usize = 200_000;

thread_local! {
    /// Per-thread state reused across calls: lindera's worker and the memo of words.
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Gives each loaded dictionary its own number, so memos are never mixed up.
static NEXT_DICTIONARY_ID: AtomicU64 = AtomicU64::new(0);

/// One morpheme.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Token {
    /// The text of the morpheme as it appears in the input.
    pub surface: String,
    /// 原形 (IPADIC feature 7), or the surface for unknown words.
    pub base_form: String,
    /// IPADIC features 1-2 joined with ',' without '*', e.g. "名詞,サ変接続".
    pub pos: String,
    /// Character (not byte) offset of the first character in the input.
    pub start: usize,
    /// Character offset just past the last character (exclusive).
    pub end: usize,
}

/// One morpheme as [`Tokenizer::for_each_morpheme`] lends it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Morpheme<'a> {
    /// The text of the morpheme as it appears in the input.
    pub surface: &'a str,
    /// 原形, or the surface for unknown words.
    pub base_form: &'a str,
    /// "名詞,サ変接続" (as [`Token::pos`]).
    pub pos: &'a str,
    /// Byte offset of the surface in the input.
    pub byte_start: usize,
    /// Character offsets in the input (as [`Token::start`] and [`Token::end`]).
    pub start: usize,
    pub end: usize,
}

/// Why the tokenizer could not be set up or could not segment a text.
#[derive(Debug, thiserror::Error)]
pub enum TokenizeError {
    /// No dictionary anywhere tenken looks, and no source to build one from.
    #[error(
        "辞書が見つかりません。探した場所: {}。tenken の配布パッケージでは、tenken と同じフォルダの {} フォルダを消したり移したりしないでください。ソースから使うときは、Debian・Ubuntu では sudo apt-get install mecab-ipadic で辞書のもとが入ります (dictionary not found: install mecab-ipadic or set {SOURCE_DIR_ENV} to a MeCab IPADIC folder)",
        looked_at(bundled.as_deref(), cache, ipadic),
        crate::locations::DICTIONARY_DIR
    )]
    NotFound {
        /// The package's dictionary beside the program, when there is a program folder.
        bundled: Option<PathBuf>,
        /// The cache of a dictionary built on this machine.
        cache: PathBuf,
        /// The MeCab IPADIC source to build from.
        ipadic: PathBuf,
    },
    /// The MeCab IPADIC source folder is absent or incomplete.
    #[error(
        "IPADIC dictionary source not found at {}: install it with 'apt-get install mecab-ipadic' (Debian/Ubuntu) or set {SOURCE_DIR_ENV} to a MeCab IPADIC folder",
        path.display()
    )]
    MissingSource { path: PathBuf },
    /// lindera failed to compile the source into a dictionary.
    #[error("cannot build the IPADIC dictionary from {}: {source}", source_dir.display())]
    Build {
        source_dir: PathBuf,
        #[source]
        source: LinderaError,
    },
    /// A file-system step of the dictionary cache failed.
    #[error("dictionary cache at {}: {action}: {source}", path.display())]
    Cache {
        path: PathBuf,
        action: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// The cache folder exists but holds something other than a dictionary of ours.
    #[error(
        "{} exists but is not a tenken dictionary cache: remove it or point {CACHE_DIR_ENV} elsewhere",
        path.display()
    )]
    ForeignCache { path: PathBuf },
    /// lindera failed to load the built dictionary.
    #[error("cannot load the dictionary cached at {} (delete that folder to rebuild it): {source}", path.display())]
    Load {
        path: PathBuf,
        #[source]
        source: LinderaError,
    },
    /// lindera failed while segmenting a text.
    #[error("cannot segment text: {source}")]
    Segment {
        #[source]
        source: LinderaError,
    },
}

/// A morphological analyser over the IPADIC dictionary.
///
/// It is `Send + Sync` and cheap to clone (the dictionary is shared through
/// `Arc`s), so rayon workers can share one `&Tokenizer` or each clone it.
/// Each thread that tokenizes keeps lindera's segmenter buffers and a memo of
/// looked-up words for the tokenizer it last served (holding a reference to
/// its dictionary until then).
#[derive(Clone)]
pub struct Tokenizer {
    segmenter: Segmenter,
    /// Which dictionary this is, for the per-thread memo of words.
    dictionary_id: u64,
}

impl Tokenizer {
    /// Opens the dictionary: the one `$TENKEN_DICT_DIR` names (built there
    /// if needed), else the package's `dictionary/` beside the program, else
    /// the one cached at [`dictionary_cache_dir`], building it first from
    /// `$TENKEN_IPADIC_SRC` (default [`DEFAULT_SOURCE_DIR`]) if needed.
    pub fn new() -> Result<Self, TokenizeError> {
        // A cache folder named explicitly overrides the package's dictionary.
        let explicit = non_empty(std::env::var_os(CACHE_DIR_ENV)).is_some();
        let bundled = (!explicit)
            .then(|| crate::locations::beside_program(crate::locations::DICTIONARY_DIR))
            .flatten();
        if let Some(ready) = bundled.as_deref().filter(|dir| cache_is_complete(dir)) {
            return Self::from_built(ready);
        }
        let (source, cache) = (source_dir(), dictionary_cache_dir());
        Self::with_dirs(&source, &cache).map_err(|error| match error {
            TokenizeError::MissingSource { .. } => TokenizeError::NotFound {
                bundled,
                cache,
                ipadic: source,
            },
            error => error,
        })
    }

    /// Opens a dictionary already built at `dir` (never building there).
    fn from_built(dir: &Path) -> Result<Self, TokenizeError> {
        let dictionary = load_dictionary(dir)?;
        Ok(Self {
            segmenter: Segmenter::new(Mode::Normal, dictionary, None),
            dictionary_id: NEXT_DICTIONARY_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Opens the dictionary cached at `cache`, building it from the MeCab
    /// IPADIC folder `source` first if the cache is absent or incomplete.
    pub fn with_dirs(source: &Path, cache: &Path) -> Result<Self, TokenizeError> {
        ensure_cache(source, cache)?;
        Self::from_built(cache)
    }

    /// Splits `text` into morphemes. ASCII whitespace is dropped, as MeCab
    /// does, but offsets always index the characters of `text`.
    pub fn tokenize(&self, text: &str) -> Result<Vec<Token>, TokenizeError> {
        let mut tokens = Vec::with_capacity(text.len() / 6);
        self.for_each_morpheme(text, |m| {
            tokens.push(Token {
                surface: m.surface.to_owned(),
                base_form: m.base_form.to_owned(),
                pos: m.pos.to_owned(),
                start: m.start,
                end: m.end,
            });
        })?;
        Ok(tokens)
    }

    /// Calls `f` with each morpheme of `text` in order, borrowed from the text
    /// and the dictionary: the same analysis as [`Tokenizer::tokenize`]
    /// without allocating per token (the index's tokenizer uses it).
    pub fn for_each_morpheme(
        &self,
        text: &str,
        mut f: impl FnMut(&Morpheme<'_>),
    ) -> Result<(), TokenizeError> {
        SCRATCH.with_borrow_mut(|scratch| {
            let (worker, memo) = scratch.serve(self);
            let (mut char_base, mut byte_base) = (0, 0);
            for sentence in sentences(text) {
                self.sentence_morphemes(sentence, (byte_base, char_base), worker, memo, &mut f)?;
                char_base += sentence.chars().count();
                byte_base += sentence.len();
            }
            Ok(())
        })
    }

    /// Calls `f` with the morphemes of one sentence, whose first character is
    /// at `(byte, char)` of the whole text.
    fn sentence_morphemes(
        &self,
        sentence: &str,
        (byte_base, char_base): (usize, usize),
        worker: &mut SegmentWorker,
        memo: &mut WordMemo,
        f: &mut impl FnMut(&Morpheme<'_>),
    ) -> Result<(), TokenizeError> {
        let segments = worker
            .segment(sentence)
            .map_err(|source| TokenizeError::Segment { source })?;
        let mut offsets = CharOffsets::new(sentence, char_base);
        for segment in &segments {
            let surface = segment.surface.as_ref();
            let (start, end) = offsets.span(segment.byte_start, surface);
            let word = memo.get_or_insert(segment.word_id, || self.word_info(segment.word_id));
            f(&Morpheme {
                surface,
                base_form: word.base_form.as_deref().unwrap_or(surface),
                pos: &word.pos,
                byte_start: byte_base + segment.byte_start,
                start,
                end,
            });
        }
        Ok(())
    }

    /// Looks up the POS and base form of a word in the dictionary.
    fn word_info(&self, word_id: WordId) -> WordInfo {
        let (pos, base_form) = pos_and_base(self.details(word_id));
        WordInfo {
            pos,
            base_form: base_form.map(str::to_owned),
        }
    }

    /// The detail fields (features after the first four CSV columns) of a word.
    fn details(&self, word_id: WordId) -> impl Iterator<Item = &str> {
        let dictionary = &self.segmenter.dictionary;
        let id = word_id.id() as usize;
        if word_id.is_unknown() {
            dictionary.unknown_word_details_iter(id)
        } else {
            dictionary.word_details_iter(id)
        }
    }
}

/// Per-thread state reused across [`Tokenizer::tokenize`] calls, for the
/// dictionary numbered `dictionary_id`.
#[derive(Default)]
struct Scratch {
    dictionary_id: Option<u64>,
    /// lindera's reusable segmenter state (lattice and backtrace buffers).
    worker: Option<SegmentWorker>,
    memo: WordMemo,
}

impl Scratch {
    /// The worker and memo for `tokenizer`, started afresh when the thread
    /// last served another dictionary or the memo has grown too big.
    fn serve(&mut self, tokenizer: &Tokenizer) -> (&mut SegmentWorker, &mut WordMemo) {
        let fresh = self.dictionary_id != Some(tokenizer.dictionary_id);
        if fresh || self.memo.words.len() > MAX_MEMO_WORDS {
            self.memo.words.clear();
        }
        if fresh {
            self.dictionary_id = Some(tokenizer.dictionary_id);
            self.worker = None;
        }
        let worker = self
            .worker
            .get_or_insert_with(|| tokenizer.segmenter.new_worker());
        (worker, &mut self.memo)
    }
}

/// The POS and base form of one dictionary word.
struct WordInfo {
    pos: String,
    /// `None` when the dictionary has none: the token's surface stands in.
    base_form: Option<String>,
}

/// Remembers [`WordInfo`] per word id, since the same words recur constantly
/// and decoding their dictionary entries is the costliest part of a token.
#[derive(Default)]
struct WordMemo {
    words: HashMap<u64, WordInfo, BuildHasherDefault<WordIdHasher>>,
}

impl WordMemo {
    fn get_or_insert(&mut self, word_id: WordId, look_up: impl FnOnce() -> WordInfo) -> &WordInfo {
        let key = u64::from(word_id.id()) << 1 | u64::from(word_id.is_unknown());
        self.words.entry(key).or_insert_with(look_up)
    }
}

/// A fast hasher for the memo's integer keys (word ids need no DoS protection).
#[derive(Default)]
struct WordIdHasher(u64);

impl Hasher for WordIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.write_u64(u64::from(*byte));
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = (self.0.rotate_left(8) ^ value).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Where [`Tokenizer::new`] caches the built dictionary: `$TENKEN_DICT_DIR`,
/// else `$XDG_CACHE_HOME/tenken/ipadic-<lindera version>`, else
/// `$HOME/.cache/tenken/ipadic-<lindera version>` (on Windows
/// `%LOCALAPPDATA%\tenken\ipadic-<lindera version>`).
pub fn dictionary_cache_dir() -> PathBuf {
    #[cfg(windows)]
    let user_cache = non_empty(std::env::var_os("LOCALAPPDATA"));
    #[cfg(not(windows))]
    let user_cache = non_empty(std::env::var_os("HOME"))
        .map(|home| Path::new(&home).join(".cache").into_os_string());
    cache_dir_from(
        std::env::var_os(CACHE_DIR_ENV),
        std::env::var_os("XDG_CACHE_HOME"),
        user_cache,
    )
}

/// The places of [`TokenizeError::NotFound`], each with what it is.
fn looked_at(bundled: Option<&Path>, cache: &Path, ipadic: &Path) -> String {
    let mut places = Vec::new();
    if let Some(bundled) = bundled {
        places.push(format!("{}（同梱の辞書）", bundled.display()));
    }
    places.push(format!("{}（この PC で作った辞書）", cache.display()));
    places.push(format!("{}（辞書のもと MeCab IPADIC）", ipadic.display()));
    places.join("、")
}

/// The IPADIC source folder [`Tokenizer::new`] builds from.
pub fn source_dir() -> PathBuf {
    non_empty(std::env::var_os(SOURCE_DIR_ENV))
        .map_or_else(|| PathBuf::from(DEFAULT_SOURCE_DIR), PathBuf::from)
}

/// The cache folder chosen from the explicit folder, `$XDG_CACHE_HOME` and
/// the user's cache folder (empty = unset).
fn cache_dir_from(
    explicit: Option<OsString>,
    xdg_cache: Option<OsString>,
    user_cache: Option<OsString>,
) -> PathBuf {
    if let Some(dir) = non_empty(explicit) {
        return PathBuf::from(dir);
    }
    let cache_root = non_empty(xdg_cache)
        .or_else(|| non_empty(user_cache))
        .map_or_else(std::env::temp_dir, PathBuf::from);
    cache_root
        .join("tenken")
        .join(format!("ipadic-{}", lindera::get_version()))
}

fn non_empty(value: Option<OsString>) -> Option<OsString> {
    value.filter(|value| !value.is_empty())
}

/// Splits text after each '。' and newline, keeping the delimiters, so that
/// the pieces concatenate back to the text.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['。', '\n'])
}

/// The POS ("名詞,サ変接続") and base form of a word from its detail fields;
/// no base form when the dictionary gives none ('*', as for unknown words).
fn pos_and_base<'a>(mut details: impl Iterator<Item = &'a str>) -> (String, Option<&'a str>) {
    let major = details.next().unwrap_or("*");
    let minor = details.next().unwrap_or("*");
    let base = details
        .nth(BASE_FORM_DETAIL - 2)
        .filter(|base| !base.is_empty() && *base != "*");
    (join_pos(major, minor), base)
}

/// Joins the POS and its first subcategory with ',', leaving out '*'.
fn join_pos(major: &str, minor: &str) -> String {
    match (major, minor) {
        (major, "*" | "") => major.to_owned(),
        ("*" | "", minor) => minor.to_owned(),
        (major, minor) => {
            let mut pos = String::with_capacity(major.len() + 1 + minor.len());
            pos.push_str(major);
            pos.push(',');
            pos.push_str(minor);
            pos
        }
    }
}

/// Turns the increasing byte offsets of a sentence's tokens into character
/// offsets of the whole text, scanning each byte only once.
struct CharOffsets<'a> {
    sentence: &'a str,
    byte: usize,
    char: usize,
}

impl<'a> CharOffsets<'a> {
    fn new(sentence: &'a str, char_base: usize) -> Self {
        Self {
            sentence,
            byte: 0,
            char: char_base,
        }
    }

    /// The character span of `surface`, which starts at `byte_start` of the
    /// sentence, at or after the previous span.
    fn span(&mut self, byte_start: usize, surface: &str) -> (usize, usize) {
        let skipped = self
            .sentence
            .get(self.byte..byte_start)
            .map_or(0, |gap| gap.chars().count());
        let start = self.char + skipped;
        let end = start + surface.chars().count();
        self.byte = byte_start + surface.len();
        self.char = end;
        (start, end)
    }
}

/// The IPADIC build settings of lindera's `lindera-ipadic` crate, read as
/// EUC-JP since that is how MeCab ships the source.
fn ipadic_metadata() -> Metadata {
    let fields = |names: &[&str]| Schema::new(names.iter().map(|name| name.to_string()).collect());
    Metadata::new(
        "ipadic".to_string(),
        "EUC-JP".to_string(),
        -10000,
        0,
        0,
        "*".to_string(),
        true,
        false,
        true,
        fields(&IPADIC_FIELDS),
        fields(&["surface", "part_of_speech", "reading"]),
    )
}

/// What the marker of a complete cache says, so a cache written by another
/// lindera version is rebuilt rather than misread.
fn marker_contents() -> String {
    format!("ipadic built by lindera {}\n", lindera::get_version())
}

fn cache_is_complete(cache: &Path) -> bool {
    fs::read_to_string(cache.join(MARKER_FILE)).is_ok_and(|text| text == marker_contents())
}

fn load_dictionary(cache: &Path) -> Result<Dictionary, TokenizeError> {
    load_fs_dictionary(cache).map_err(|source| TokenizeError::Load {
        path: cache.to_path_buf(),
        source,
    })
}

/// Makes sure `cache` holds a complete dictionary, building it if not.
fn ensure_cache(source: &Path, cache: &Path) -> Result<(), TokenizeError> {
    if cache_is_complete(cache) {
        return Ok(());
    }
    if !source.join(SOURCE_PROBE_FILE).is_file() {
        return Err(TokenizeError::MissingSource {
            path: source.to_path_buf(),
        });
    }
    let staging = staging_dir(cache)?;
    if let Err(err) = build_into(source, &staging) {
        let _ = fs::remove_dir_all(&staging);
        return Err(err);
    }
    publish(&staging, cache)
}

/// A fresh sibling folder of `cache` to build into; also removes staging
/// folders that crashed builds left behind long ago.
fn staging_dir(cache: &Path) -> Result<PathBuf, TokenizeError> {
    let parent = cache.parent().unwrap_or_else(|| Path::new("."));
    fs::create_dir_all(parent).map_err(cache_error(parent, "cannot create the folder"))?;
    let prefix = staging_prefix(cache);
    remove_stale_staging(parent, &prefix);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_nanos());
    Ok(parent.join(format!("{prefix}{}-{nanos}", std::process::id())))
}

fn staging_prefix(cache: &Path) -> String {
    let name = cache.file_name().unwrap_or_default().to_string_lossy();
    format!(".{name}.building-")
}

fn remove_stale_staging(parent: &Path, prefix: &str) {
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let is_staging = entry.file_name().to_string_lossy().starts_with(prefix);
        if is_staging && is_older_than(&entry.path(), STALE_STAGING_AGE) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

fn is_older_than(path: &Path, age: Duration) -> bool {
    fs::metadata(path)
        .and_then(|meta| meta.modified())
        .ok()
        .and_then(|modified| modified.elapsed().ok())
        .is_some_and(|elapsed| elapsed > age)
}

/// Builds the dictionary into `staging` and writes the marker last.
fn build_into(source: &Path, staging: &Path) -> Result<(), TokenizeError> {
    DictionaryBuilder::new(ipadic_metadata())
        .build_dictionary(source, staging)
        .map_err(|err| TokenizeError::Build {
            source_dir: source.to_path_buf(),
            source: err,
        })?;
    let marker = staging.join(MARKER_FILE);
    fs::write(&marker, marker_contents())
        .map_err(cache_error(&marker, "cannot write the completion marker"))
}

/// Moves a finished staging folder into place. If another process got there
/// first, its cache is kept; an outdated cache of ours is replaced.
fn publish(staging: &Path, cache: &Path) -> Result<(), TokenizeError> {
    let first_try = fs::rename(staging, cache);
    if first_try.is_ok() {
        return Ok(());
    }
    if cache_is_complete(cache) {
        let _ = fs::remove_dir_all(staging);
        return Ok(());
    }
    let outcome = replace_outdated(staging, cache);
    if outcome.is_err() {
        let _ = fs::remove_dir_all(staging);
    }
    outcome
}

/// Replaces an outdated (wrong marker) cache at `cache` with `staging`,
/// refusing to touch a folder that is not one of ours.
fn replace_outdated(staging: &Path, cache: &Path) -> Result<(), TokenizeError> {
    if !cache.join(MARKER_FILE).is_file() {
        return Err(TokenizeError::ForeignCache {
            path: cache.to_path_buf(),
        });
    }
    let mut retired = staging.as_os_str().to_owned();
    retired.push(".old");
    let retired = PathBuf::from(retired);
    fs::rename(cache, &retired).map_err(cache_error(cache, "cannot move the outdated cache"))?;
    let _ = fs::remove_dir_all(&retired);
    fs::rename(staging, cache).map_err(cache_error(cache, "cannot move the new cache into place"))
}

fn cache_error(path: &Path, action: &'static str) -> impl FnOnce(std::io::Error) -> TokenizeError {
    let path = path.to_path_buf();
    move |source| TokenizeError::Cache {
        path,
        action,
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_maru_and_newline_and_rejoin() {
        let text = "第一条　目的。\n次に、掲示する。末尾";
        let parts: Vec<&str> = sentences(text).collect();
        assert_eq!(parts, ["第一条　目的。", "\n", "次に、掲示する。", "末尾"]);
        assert_eq!(parts.concat(), text);
        assert_eq!(sentences("").count(), 0);
    }

    #[test]
    fn pos_joins_first_two_features_without_stars() {
        assert_eq!(join_pos("名詞", "サ変接続"), "名詞,サ変接続");
        assert_eq!(join_pos("連体詞", "*"), "連体詞");
        assert_eq!(join_pos("*", "*"), "*");
    }

    #[test]
    fn base_form_is_missing_for_star_or_short_entries() {
        let known = [
            "動詞",
            "自立",
            "*",
            "*",
            "サ変・スル",
            "連用形",
            "する",
            "シ",
            "シ",
        ];
        assert_eq!(
            pos_and_base(known.into_iter()),
            ("動詞,自立".to_string(), Some("する"))
        );
        let unknown = ["名詞", "一般", "*", "*", "*", "*", "*"];
        assert_eq!(
            pos_and_base(unknown.into_iter()),
            ("名詞,一般".to_string(), None)
        );
        assert_eq!(pos_and_base(["UNK"].into_iter()), ("UNK".to_string(), None));
    }

    #[test]
    fn char_offsets_count_characters_and_skip_gaps() {
        let sentence = "標識 を";
        let mut offsets = CharOffsets::new(sentence, 10);
        assert_eq!(offsets.span(0, "標識"), (10, 12));
        assert_eq!(offsets.span("標識 ".len(), "を"), (13, 14));
    }

    #[test]
    fn cache_dir_prefers_explicit_then_xdg_then_the_users_cache() {
        let version_dir = format!("ipadic-{}", lindera::get_version());
        let some = |s: &str| Some(OsString::from(s));
        assert_eq!(
            cache_dir_from(some("/d"), some("/x"), some("/h")),
            PathBuf::from("/d")
        );
        assert_eq!(
            cache_dir_from(some(""), some("/x"), some("/h")),
            Path::new("/x/tenken").join(&version_dir)
        );
        assert_eq!(
            cache_dir_from(None, None, some("/h/.cache")),
            Path::new("/h/.cache/tenken").join(&version_dir)
        );
    }

    #[test]
    fn metadata_matches_the_ipadic_schema() {
        let metadata = ipadic_metadata();
        assert_eq!(metadata.encoding, "EUC-JP");
        assert_eq!(
            metadata.dictionary_schema.get_field_index("base_form"),
            Some(BASE_FORM_DETAIL + 4)
        );
    }

    #[test]
    fn tokenizer_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<Tokenizer>();
        assert_send_sync::<TokenizeError>();
    }
}
