//! Integration tests of the IPADIC tokenizer: they build the dictionary from
//! the MeCab source into temporary caches, and skip when that source is absent.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::SystemTime;

use tempfile::TempDir;
use tenken::tokenizing::{DEFAULT_SOURCE_DIR, TokenizeError, Tokenizer};

/// A cache folder and the tokenizer built into it, shared by the tests so the
/// dictionary is built once per test binary. `None` when the source is absent.
struct Shared {
    root: TempDir,
    tokenizer: Tokenizer,
}

impl Shared {
    fn cache(&self) -> PathBuf {
        self.root.path().join("ipadic")
    }
}

fn shared() -> Option<&'static Shared> {
    static SHARED: OnceLock<Option<Shared>> = OnceLock::new();
    SHARED
        .get_or_init(|| {
            if !source_present() {
                return None;
            }
            let root = TempDir::new().expect("temporary cache folder");
            let cache = root.path().join("ipadic");
            let tokenizer = Tokenizer::with_dirs(Path::new(DEFAULT_SOURCE_DIR), &cache)
                .expect("tokenizer built from the IPADIC source");
            Some(Shared { root, tokenizer })
        })
        .as_ref()
}

fn tokenizer() -> Option<&'static Tokenizer> {
    shared().map(|shared| &shared.tokenizer)
}

fn source_present() -> bool {
    let present = Path::new(DEFAULT_SOURCE_DIR).join("matrix.def").is_file();
    if !present {
        assert!(
            std::env::var_os("TENKEN_SKIP_WITHOUT_DICTIONARY").is_some(),
            "no IPADIC source at {DEFAULT_SOURCE_DIR}, so this test cannot run its subject: \
             apt-get install mecab-ipadic, or set TENKEN_SKIP_WITHOUT_DICTIONARY=1 to skip"
        );
        eprintln!(
            "skipped: no IPADIC source at {DEFAULT_SOURCE_DIR} (apt-get install mecab-ipadic)"
        );
    }
    present
}

fn lemmas(tokenizer: &Tokenizer, text: &str) -> Vec<String> {
    tokenizer
        .tokenize(text)
        .expect("tokenize")
        .into_iter()
        .map(|token| token.base_form)
        .collect()
}

#[test]
fn legal_sentence_is_split_with_lemmas_pos_and_char_offsets() {
    let Some(tokenizer) = tokenizer() else {
        return;
    };
    let text = "標識を公衆の見やすい場所に掲示しなければならない。";
    let tokens = tokenizer.tokenize(text).expect("tokenize");

    let surfaces: Vec<&str> = tokens.iter().map(|t| t.surface.as_str()).collect();
    assert_eq!(
        surfaces,
        [
            "標識",
            "を",
            "公衆",
            "の",
            "見",
            "やすい",
            "場所",
            "に",
            "掲示",
            "し",
            "なけれ",
            "ば",
            "なら",
            "ない",
            "。"
        ]
    );
    assert_eq!(surfaces.concat(), text);

    let keiji = &tokens[8];
    assert_eq!(
        (keiji.base_form.as_str(), keiji.pos.as_str()),
        ("掲示", "名詞,サ変接続")
    );
    let shi = &tokens[9];
    assert_eq!(
        (shi.base_form.as_str(), shi.pos.as_str()),
        ("する", "動詞,自立")
    );

    let chars: Vec<char> = text.chars().collect();
    for token in &tokens {
        let slice: String = chars[token.start..token.end].iter().collect();
        assert_eq!(slice, token.surface, "offsets of {token:?}");
    }
    assert_eq!(tokens.last().map(|t| t.end), Some(chars.len()));
}

#[test]
fn offsets_stay_in_characters_across_sentences_and_spaces() {
    let Some(tokenizer) = tokenizer() else {
        return;
    };
    let text = "第一条　この条例は、公布の日から施行する。\n2 前項の規定 は適用しない。";
    let chars: Vec<char> = text.chars().collect();
    let tokens = tokenizer.tokenize(text).expect("tokenize");
    assert!(
        tokens
            .iter()
            .all(|t| !t.surface.trim().is_empty() || t.surface == "　")
    );
    for token in &tokens {
        let slice: String = chars[token.start..token.end].iter().collect();
        assert_eq!(slice, token.surface, "offsets of {token:?}");
    }
    assert!(tokens.windows(2).all(|pair| pair[0].end <= pair[1].start));
}

#[test]
fn conjugations_of_keiji_share_the_lemma_sequence() {
    let Some(tokenizer) = tokenizer() else {
        return;
    };
    let stems = |text: &str| lemmas(tokenizer, text)[..2].to_vec();
    let expected = ["掲示", "する"];
    assert_eq!(stems("掲示させる"), expected);
    assert_eq!(stems("掲示しなければならない"), expected);
    assert_eq!(stems("掲示する"), expected);
}

#[test]
fn unknown_words_use_their_surface_as_base_form() {
    let Some(tokenizer) = tokenizer() else {
        return;
    };
    let tokens = tokenizer.tokenize("ＸＹＺＱ").expect("tokenize");
    assert!(!tokens.is_empty());
    assert!(tokens.iter().all(|t| t.base_form == t.surface));
}

#[test]
fn borrowed_morphemes_are_the_tokens_with_byte_offsets() {
    let Some(tokenizer) = tokenizer() else {
        return;
    };
    let text = "第二条 申請者は、申請書を提出しなければならない。\n閲覧に供する。";
    let tokens = tokenizer.tokenize(text).expect("tokenize");
    let mut lent = Vec::new();
    tokenizer
        .for_each_morpheme(text, |m| {
            assert_eq!(
                &text[m.byte_start..m.byte_start + m.surface.len()],
                m.surface
            );
            lent.push((
                m.surface.to_owned(),
                m.base_form.to_owned(),
                m.pos.to_owned(),
                m.start,
                m.end,
            ));
        })
        .expect("analyse");
    let owned: Vec<_> = tokens
        .into_iter()
        .map(|t| (t.surface, t.base_form, t.pos, t.start, t.end))
        .collect();
    assert_eq!(lent, owned);
    assert!(owned.iter().any(|t| t.0 == "供する" || t.1 == "供する"));
}

#[test]
fn empty_text_gives_no_tokens() {
    let Some(tokenizer) = tokenizer() else {
        return;
    };
    assert_eq!(tokenizer.tokenize("").expect("tokenize"), []);
}

#[test]
fn missing_source_names_path_and_the_fix() {
    let cache = TempDir::new().expect("temporary cache folder");
    let source = cache.path().join("no-such-ipadic");
    let error = match Tokenizer::with_dirs(&source, &cache.path().join("dict")) {
        Ok(_) => panic!("a missing source must fail"),
        Err(error) => error,
    };
    assert!(matches!(&error, TokenizeError::MissingSource { path } if *path == source));
    let message = error.to_string();
    assert!(message.contains(&source.display().to_string()), "{message}");
    assert!(
        message.contains("apt-get install mecab-ipadic"),
        "{message}"
    );
}

#[test]
fn second_open_reuses_the_cache_without_rebuilding() {
    let Some(shared) = shared() else {
        return;
    };
    let cache = shared.cache();
    let before = mtimes(&cache);
    assert!(before.len() > 3, "cache files: {before:?}");

    let again = Tokenizer::with_dirs(Path::new(DEFAULT_SOURCE_DIR), &cache).expect("cached load");
    assert_eq!(mtimes(&cache), before);
    assert_eq!(
        shared.tokenizer.tokenize("掲示する").expect("tokenize"),
        again.tokenize("掲示する").expect("tokenize")
    );
    let leftovers: Vec<_> = fs::read_dir(shared.root.path())
        .expect("cache parent")
        .flatten()
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(leftovers, ["ipadic"], "no staging folders left behind");
}

#[test]
fn cache_without_marker_is_never_loaded() {
    let root = TempDir::new().expect("temporary cache folder");
    let cache = root.path().join("ipadic");
    fs::create_dir_all(&cache).expect("cache folder");
    fs::write(cache.join("metadata.json"), "{\"name\":").expect("half-written file");
    let error = match Tokenizer::with_dirs(&root.path().join("no-source"), &cache) {
        Ok(_) => panic!("an incomplete cache must not load"),
        Err(error) => error,
    };
    assert!(
        matches!(error, TokenizeError::MissingSource { .. }),
        "{error}"
    );
}

fn mtimes(dir: &Path) -> Vec<(String, SystemTime)> {
    let mut files: Vec<_> = fs::read_dir(dir)
        .expect("cache folder")
        .flatten()
        .map(|entry| {
            let modified = entry
                .metadata()
                .and_then(|meta| meta.modified())
                .expect("mtime");
            (entry.file_name().to_string_lossy().into_owned(), modified)
        })
        .collect();
    files.sort();
    files
}

/// Writes a tiny MeCab-format source (ASCII, hence valid EUC-JP) that builds
/// in milliseconds, for the tests of the cache's life cycle.
fn tiny_source(dir: &Path) -> PathBuf {
    let source = dir.join("tiny-ipadic");
    let files = [
        ("char.def", "DEFAULT 0 1 0\nSPACE 0 1 0\n0x0020 SPACE\n"),
        (
            "unk.def",
            "DEFAULT,0,0,1000,noun,general,*,*,*,*,*\nSPACE,0,0,1000,symbol,space,*,*,*,*,*\n",
        ),
        ("matrix.def", "1 1\n0 0 0\n"),
        (
            "words.csv",
            "kei,0,0,10,noun,verbal,*,*,*,*,keiji,KEI,KEI\n",
        ),
    ];
    fs::create_dir_all(&source).expect("source folder");
    for (name, text) in files {
        fs::write(source.join(name), text).expect("source file");
    }
    source
}

fn marker(cache: &Path) -> PathBuf {
    cache.join("tenken-complete")
}

#[test]
fn tiny_source_builds_and_tokenizes() {
    let root = TempDir::new().expect("temporary folder");
    let source = tiny_source(root.path());
    let tokenizer = Tokenizer::with_dirs(&source, &root.path().join("dict")).expect("tiny build");
    let tokens = tokenizer.tokenize("kei").expect("tokenize");
    assert_eq!(tokens.len(), 1);
    assert_eq!(
        (tokens[0].base_form.as_str(), tokens[0].pos.as_str()),
        ("keiji", "noun,verbal")
    );
}

#[test]
fn concurrent_first_builds_all_succeed_and_leave_one_cache() {
    let root = TempDir::new().expect("temporary folder");
    let source = tiny_source(root.path());
    let cache = root.path().join("cache").join("dict");
    std::thread::scope(|scope| {
        let builds: Vec<_> = (0..4)
            .map(|_| scope.spawn(|| Tokenizer::with_dirs(&source, &cache).map(|_| ())))
            .collect();
        for build in builds {
            let outcome = build.join().expect("build thread");
            assert!(outcome.is_ok(), "{outcome:?}");
        }
    });
    assert!(marker(&cache).is_file());
    let names: Vec<_> = fs::read_dir(root.path().join("cache"))
        .expect("cache parent")
        .flatten()
        .map(|entry| entry.file_name())
        .collect();
    assert_eq!(names, ["dict"], "no staging folders left behind");
}

#[test]
fn cache_from_another_lindera_version_is_rebuilt() {
    let root = TempDir::new().expect("temporary folder");
    let source = tiny_source(root.path());
    let cache = root.path().join("dict");
    Tokenizer::with_dirs(&source, &cache).expect("first build");
    let current = fs::read_to_string(marker(&cache)).expect("marker");
    fs::write(marker(&cache), "ipadic built by lindera 0.0.1\n").expect("old marker");

    Tokenizer::with_dirs(&source, &cache).expect("rebuild");
    assert_eq!(fs::read_to_string(marker(&cache)).expect("marker"), current);
}

#[test]
fn foreign_folder_at_cache_path_is_left_alone() {
    let root = TempDir::new().expect("temporary folder");
    let source = tiny_source(root.path());
    let cache = root.path().join("dict");
    fs::create_dir_all(&cache).expect("folder");
    fs::write(cache.join("notes.txt"), "mine").expect("user file");
    let error = match Tokenizer::with_dirs(&source, &cache) {
        Ok(_) => panic!("a foreign folder must not be replaced"),
        Err(error) => error,
    };
    assert!(
        matches!(error, TokenizeError::ForeignCache { .. }),
        "{error}"
    );
    assert!(cache.join("notes.txt").is_file());
}
