//! Sentences of a provision: split at 。 outside brackets, so that
//! 「（以下「法」という。）」 does not end a sentence.

use std::ops::Range;

/// Byte ranges of the sentences of `text`, each including its 。.
pub fn split(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut depth: usize = 0;
    let mut start = 0;
    for (at, c) in text.char_indices() {
        match c {
            '（' | '(' | '「' | '『' | '〔' => depth += 1,
            '）' | ')' | '」' | '』' | '〕' => depth = depth.saturating_sub(1),
            '。' | '\n' if depth == 0 => {
                let end = at + c.len_utf8();
                if !text[start..end].trim().is_empty() {
                    out.push(start..end);
                }
                start = end;
            }
            _ => {}
        }
    }
    if start < text.len() && !text[start..].trim().is_empty() {
        out.push(start..text.len());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_parentheticals_inside_their_sentence() {
        let text = "この法律（以下「法」という。）は、定める。次の文。";
        let parts: Vec<&str> = split(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            parts,
            ["この法律（以下「法」という。）は、定める。", "次の文。"]
        );
    }

    #[test]
    fn unbalanced_brackets_do_not_swallow_the_text() {
        let text = "括弧が）多い。次。";
        assert_eq!(split(text).len(), 2);
    }
}
