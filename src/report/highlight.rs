//! Highlighting without HTML strings: a provision's text is cut into segments,
//! each plain or marked with the findings whose matched words cover it. The
//! template escapes every segment's text like any other value.

use serde::Serialize;

/// A piece of text, marked when `ids` is not empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub text: String,
    /// The findings whose matched words cover this piece (space-separated in HTML).
    pub ids: Vec<String>,
    /// Their codes, for the colour of the mark.
    pub codes: Vec<String>,
}

/// A marked span: character offsets into the document text and the finding it belongs to.
#[derive(Debug, Clone)]
pub struct Span<'a> {
    pub start: usize,
    pub end: usize,
    pub id: &'a str,
    pub code: &'a str,
}

/// Byte offsets of every character of `text` (and of its end), so that
/// character offsets can slice it.
pub fn char_offsets(text: &str) -> Vec<usize> {
    let mut offsets: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    offsets.push(text.len());
    offsets
}

/// Cuts the characters `start..end` of `text` into segments; `spans` may
/// overlap, lie partly outside the range or be empty.
pub fn segments(
    text: &str,
    offsets: &[usize],
    start: usize,
    end: usize,
    spans: &[Span<'_>],
) -> Vec<Segment> {
    let chars = offsets.len() - 1;
    let end = end.min(chars);
    let start = start.min(end);
    let inside: Vec<&Span<'_>> = spans
        .iter()
        .filter(|s| s.start < end && s.end > start && s.start < s.end)
        .collect();
    let mut cuts = vec![start, end];
    for span in &inside {
        cuts.push(span.start.max(start));
        cuts.push(span.end.min(end));
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out: Vec<Segment> = Vec::new();
    for pair in cuts.windows(2) {
        let (from, to) = (pair[0], pair[1]);
        let mut ids: Vec<String> = Vec::new();
        let mut codes: Vec<String> = Vec::new();
        for span in inside.iter().filter(|s| s.start <= from && s.end >= to) {
            if !ids.iter().any(|i| i == span.id) {
                ids.push(span.id.to_string());
            }
            if !codes.iter().any(|c| c == span.code) {
                codes.push(span.code.to_string());
            }
        }
        let piece = &text[offsets[from]..offsets[to]];
        match out.last_mut() {
            Some(last) if last.ids == ids => last.text.push_str(piece),
            _ => out.push(Segment {
                text: piece.to_string(),
                ids,
                codes,
            }),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span<'a>(start: usize, end: usize, id: &'a str, code: &'a str) -> Span<'a> {
        Span {
            start,
            end,
            id,
            code,
        }
    }

    #[test]
    fn overlapping_spans_split_the_text() {
        let text = "前文条例の公布は、掲示場に掲示してこれを行う。";
        let offsets = char_offsets(text);
        let spans = [
            span(13, 16, "a", "posting"),
            span(13, 22, "a", "posting"),
            span(15, 17, "b", "seal"),
        ];
        let segs = segments(text, &offsets, 2, 24, &spans);
        let joined: String = segs.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(joined, "条例の公布は、掲示場に掲示してこれを行う。");
        let marked: Vec<(&str, Vec<String>)> = segs
            .iter()
            .filter(|s| !s.ids.is_empty())
            .map(|s| (s.text.as_str(), s.ids.clone()))
            .collect();
        assert_eq!(
            marked,
            [
                ("掲示", vec!["a".to_string()]),
                ("して", vec!["a".to_string(), "b".to_string()]),
                ("これを行う", vec!["a".to_string()]),
            ]
        );
    }

    #[test]
    fn spans_outside_the_range_are_ignored() {
        let text = "abc<script>";
        let offsets = char_offsets(text);
        let segs = segments(text, &offsets, 3, 99, &[span(0, 2, "x", "seal")]);
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].text, "<script>");
        assert!(segs[0].ids.is_empty());
    }
}
