//! Where tenken finds what it ships with: the dictionary, the rules and the
//! report templates. What the command line names comes first; then the
//! current folder (rules only, as in a checkout of the repository); then the
//! folder the program is in, so that a package unpacked anywhere (a Windows
//! PC with no Rust and no MeCab, a USB stick, a shared drive) finds its own
//! files; then the usual places (the per-user dictionary cache built from
//! MeCab IPADIC, the rules and templates compiled into the program).

use std::path::{Path, PathBuf};

/// The folder of the built lindera dictionary in a package, beside the program.
pub const DICTIONARY_DIR: &str = "dictionary";
/// The folder of rule files (`*.toml`), in the current folder or beside the program.
pub const RULES_DIR: &str = "rules";
/// The folder of report templates beside the program.
pub const TEMPLATES_DIR: &str = "reports";

/// The folder the running program is in (symbolic links resolved), if the
/// operating system says.
pub fn program_dir() -> Option<PathBuf> {
    let exe = std::env::current_exe().ok()?;
    let exe = exe.canonicalize().unwrap_or(exe);
    exe.parent().map(Path::to_path_buf)
}

/// `name` in the program's folder.
pub fn beside_program(name: &str) -> Option<PathBuf> {
    program_dir().map(|dir| dir.join(name))
}

/// The rules folder used when none is given: `./rules`, else `rules` beside
/// the program, whichever holds the rules' `common.toml`; None means the
/// rules compiled into the program.
pub fn default_rules_dir() -> Option<PathBuf> {
    std::iter::once(PathBuf::from(RULES_DIR))
        .chain(beside_program(RULES_DIR))
        .find(|dir| is_rules_dir(dir))
}

/// Whether `dir` is a rules folder (it has the shared `common.toml`).
pub fn is_rules_dir(dir: &Path) -> bool {
    dir.join("common.toml").is_file()
}

/// The report templates used when none are given: `reports` beside the
/// program when it holds the base template; None means the built-in ones.
pub fn default_templates_dir() -> Option<PathBuf> {
    beside_program(TEMPLATES_DIR).filter(|dir| dir.join("base.html").is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_program_folder_is_where_the_test_binary_is() {
        let dir = program_dir().expect("a program folder");
        let exe = std::env::current_exe().expect("current exe");
        assert!(exe.canonicalize().expect("canonical").starts_with(&dir));
        assert_eq!(beside_program(RULES_DIR), Some(dir.join("rules")));
    }

    #[test]
    fn a_rules_folder_has_common_toml() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        assert!(is_rules_dir(&repo.join("rules")));
        assert!(!is_rules_dir(&repo.join("corpus")));
    }
}
