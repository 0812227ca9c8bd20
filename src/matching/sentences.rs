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

/// The sentence with everything inside （…） replaced by filler of the same
/// byte length, so that patterns, duty expressions and exclusions read the main
/// clause only (「（…準用する場合を含む。）」 is no 準用 clause) while byte
/// offsets stay those of the original text.
pub fn mask_parentheticals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut depth: usize = 0;
    for c in text.chars() {
        let opens = matches!(c, '（' | '(');
        let closes = matches!(c, '）' | ')');
        if opens {
            depth += 1;
        }
        if depth > 0 && !opens && !closes {
            out.push_str(filler(c.len_utf8()));
        } else {
            out.push(c);
        }
        if closes {
            depth = depth.saturating_sub(1);
        }
    }
    out
}

/// A string of `len` bytes that matches nothing a rule looks for.
pub(crate) fn filler(len: usize) -> &'static str {
    match len {
        1 => "_",
        2 => "¦",
        3 => "〓",
        _ => "\u{1F532}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_parentheticals_keeping_offsets() {
        let text = "命令は、（法第三十二条において準用する場合を含む。）命令書により行う。";
        let masked = mask_parentheticals(text);
        assert_eq!(masked.len(), text.len());
        assert!(!masked.contains("準用"));
        assert!(masked.contains("命令書により行う。"));
        assert!(masked.contains("（〓"));
    }

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
