//! Lists the rule files of `rules/` for the binary's built-in copy, so that a
//! rule file (a new 類型) added there is built in with no change to the Rust
//! code: writes `$OUT_DIR/built_in_rules.rs`, a table of (file name,
//! `include_str!` of the file) for every `rules/*.toml`, in file-name order,
//! and likewise for the drafting templates of `rules/drafting/*.toml`.
//! Nothing else is built here (the tokenizer's dictionary is built at run
//! time, see `src/tokenizing.rs`) and nothing is downloaded.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let rules = manifest.join("rules");
    // A folder: cargo looks at every file below it (added, removed, edited).
    println!("cargo:rerun-if-changed=rules");
    println!("cargo:rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("set by cargo"));
    let table = built_in_table(&rules, "BUILT_IN", "rule files of `rules/`");
    std::fs::write(out.join("built_in_rules.rs"), table).expect("OUT_DIR is writable");
    let table = built_in_table(
        &rules.join("drafting"),
        "BUILT_IN_DRAFTING",
        "drafting templates of `rules/drafting/`",
    );
    std::fs::write(out.join("built_in_drafting.rs"), table).expect("OUT_DIR is writable");
}

/// A table of (file name, `include_str!` of the file) for every `*.toml` of `dir`.
fn built_in_table(dir: &Path, name: &str, what: &str) -> String {
    let mut files: Vec<(String, PathBuf)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|entry| entry.expect("a readable rules folder").path())
        .filter(|path| path.is_file() && path.extension().is_some_and(|e| e == "toml"))
        .map(|path| {
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_else(|| panic!("{}: not a UTF-8 file name", path.display()))
                .to_string();
            (name, path)
        })
        .collect();
    files.sort();
    let mut table = format!(
        "/// The {what} as (file name, text), in file-name order\n\
         /// (written by build.rs).\n\
         const {name}: &[(&str, &str)] = &[\n"
    );
    for (name, path) in &files {
        let path = path
            .to_str()
            .unwrap_or_else(|| panic!("{}: not a UTF-8 path", path.display()));
        writeln!(table, "    ({name:?}, include_str!({path:?})),").expect("a String");
    }
    table.push_str("];\n");
    table
}
