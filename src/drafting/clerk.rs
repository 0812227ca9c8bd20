//! A clerk's own wording (the checklist's 改正案 column) turned into changes
//! to the provision's old text, so that it is drafted like a template's: the
//! characters that differ, found by a diff, with changes that stand close
//! together joined into one (a clerk rewrites phrases, not characters).

use similar::{Algorithm, DiffTag, capture_diff_slices};

use super::templates::Change;

/// Changes closer than this many characters are one change.
const JOIN_WITHIN: usize = 3;

/// The changes that turn `old` into `new`, in text order.
pub fn changes(old: &str, new: &str) -> Vec<Change> {
    let old_chars: Vec<char> = old.chars().collect();
    let new_chars: Vec<char> = new.chars().collect();
    let old_at = byte_offsets(old);
    let new_at = byte_offsets(new);
    let mut out: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)> = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &old_chars, &new_chars) {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        match out.last_mut() {
            Some((o, n)) if old_range.start - o.end < JOIN_WITHIN => {
                o.end = old_range.end;
                n.end = new_range.end;
            }
            _ => out.push((old_range, new_range)),
        }
    }
    out.into_iter()
        .map(|(o, n)| Change {
            old: old_at[o.start]..old_at[o.end],
            new: new[new_at[n.start]..new_at[n.end]].to_string(),
        })
        .collect()
}

/// The byte offset of every char of `text`, and of its end.
fn byte_offsets(text: &str) -> Vec<usize> {
    text.char_indices()
        .map(|(at, _)| at)
        .chain(std::iter::once(text.len()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drafting::templates::apply;

    #[test]
    fn the_changes_make_the_clerks_wording() {
        let old = "申請書を町長に提出しなければならない。";
        for new in [
            "申請書を町長に提出し、又は電子申請しなければならない。",
            "申請書又はその電磁的記録を町長に提出しなければならない。",
            "申請書を提出しなければならない。",
            "全く別の文。",
            "",
        ] {
            let changes = changes(old, new);
            assert_eq!(apply(old, &changes), new, "{changes:?}");
        }
    }

    #[test]
    fn nearby_edits_are_one_change() {
        let old = "書面により届け出る。";
        let changes = changes(old, "電磁的方法によって届け出る。");
        assert_eq!(changes.len(), 1, "{changes:?}");
    }
}
