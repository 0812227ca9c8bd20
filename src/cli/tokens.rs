//! `tenken tokens`: how a sentence splits into morphemes.

use crate::cli::Exit;
use std::io::Write;

use tenken::tokenizing::Tokenizer;

use super::commands::TokensFormat;

pub(crate) fn tokens(text: Option<String>, format: TokensFormat) -> Exit {
    let text = match text {
        Some(text) => text,
        None => {
            let mut buffer = String::new();
            if let Err(e) = std::io::Read::read_to_string(&mut std::io::stdin(), &mut buffer) {
                eprintln!("tenken: cannot read standard input: {e}");
                return Exit::Failed;
            }
            buffer
        }
    };
    let result = Tokenizer::new().and_then(|t| t.tokenize(&text));
    let tokens = match result {
        Ok(tokens) => tokens,
        Err(e) => {
            eprintln!("tenken: {e}");
            return Exit::Failed;
        }
    };
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let written = tokens.iter().try_for_each(|t| match format {
        TokensFormat::Table => writeln!(
            out,
            "{}\t{}\t{}\t{}-{}",
            t.surface, t.base_form, t.pos, t.start, t.end
        ),
        TokensFormat::Jsonl => serde_json::to_string(t)
            .map_err(std::io::Error::other)
            .and_then(|line| writeln!(out, "{line}")),
    });
    super::finish_stdout(written)
}
