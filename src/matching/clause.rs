//! The clause analysis every rule shares: a sentence read as its conditions
//! (「…ときは、」「…場合において、」) and its main clause.
//!
//! TAXONOMY counts a provision that *makes* a permission, duty or procedure
//! depend on paper, a seal or a visit, so an analog word in a condition
//! usually still counts (「書面により意思表示した場合には…できる」, 「出頭を求め
//! …ようとするときは、様式により通知する」, 「閲覧の請求があった場合においては、
//! これを拒んではならない」). Two kinds of condition only mention the act:
//! - a sentence that is a condition through and through: a 号 in a list of
//!   grounds (「出頭を求められてこれに応じないとき。」, 「研修を受ける場合」);
//! - a trigger that has already happened (「…の出席を求める議決があったときは、」,
//!   「…主任者を選任したときは、」, 「納入者が現金を持参したときは、」) when the
//!   main clause requires something else and does not take the act up again
//!   (これを拒んではならない). A judgement of need (「必要を認めたときは」) is no
//!   trigger: it states why the main clause acts.
//!
//! Rules read what is left: those conditions are masked, offsets kept.

use std::ops::Range;

/// Words that end a condition when a comma or the main clause follows.
const CONDITION_ENDS: [&str; 9] = [
    "ときは、",
    "ときには、",
    "場合は、",
    "場合には、",
    "場合においては、",
    "場合において、",
    "場合に、",
    "際は、",
    "際には、",
];

/// Words that end an exception (「その場で閲覧させる場合を除き、」): what it
/// names is left out of the requirement, so it is always a mention.
const EXCEPTION_ENDS: [&str; 2] = ["場合を除き、", "場合を除いて、"];

/// Endings of a sentence that is itself a condition (a 号 in a list of grounds).
const CONDITION_SENTENCE_ENDS: [&str; 4] = ["とき。", "とき", "場合。", "場合"];

/// The past-tense endings that make a condition a trigger that has happened.
const HAPPENED: [&str; 2] = ["た", "だ"];

/// Judgements of need (the condition says why, not what happened) and
/// steps taken beforehand (a precondition the main clause depends on).
const NEED: [&str; 4] = ["認めた", "必要", "おそれ", "あらかじめ"];

/// Back-references by which a main clause takes the condition's act up again.
const TAKEN_UP: [&str; 4] = ["これを", "これに", "これら", "当該請求"];

/// Where a condition begins: after the subject or the clause before it
/// (「管理人は、」「…巡回調査し、」「前項の場合において、」, and 「…掲示するとともに、」,
/// which joins two duties: an exception after it scopes over the second only).
const CLAUSE_BREAKS: [&str; 6] = ["は、", "し、", "て、", "ず、", "り、", "ともに、"];

/// The byte range of `sentence` that only mentions an analog act, if any:
/// the whole sentence when it is a condition through and through, an
/// exception, or a trigger that has happened (see the module header).
pub fn mention(sentence: &str) -> Option<Range<usize>> {
    let trimmed = sentence.trim_end();
    if CONDITION_SENTENCE_ENDS.iter().any(|e| trimmed.ends_with(e)) {
        return Some(0..sentence.len());
    }
    let exception = last_marker(sentence, &EXCEPTION_ENDS);
    let trigger = last_marker(sentence, &CONDITION_ENDS).filter(|&(at, end)| {
        let before = &sentence[..at];
        let main = &sentence[end..];
        HAPPENED.iter().any(|h| before.ends_with(h))
            && !NEED.iter().any(|n| tail(before, 40).contains(n))
            && !TAKEN_UP.iter().any(|t| main.contains(t))
    });
    let (at, end) = match (exception, trigger) {
        (Some(e), Some(t)) => e.max(t),
        (Some(one), None) | (None, Some(one)) => one,
        (None, None) => return None,
    };
    Some(clause_start(&sentence[..at])..end)
}

/// The start of the last marker of `markers` in `sentence` and where it ends.
fn last_marker(sentence: &str, markers: &[&str]) -> Option<(usize, usize)> {
    markers
        .iter()
        .filter_map(|marker| sentence.rfind(marker).map(|at| (at, at + marker.len())))
        .max_by_key(|&(_, end)| end)
}

/// Where the clause that ends `before` begins.
fn clause_start(before: &str) -> usize {
    CLAUSE_BREAKS
        .iter()
        .filter_map(|b| before.rfind(b).map(|at| at + b.len()))
        .max()
        .unwrap_or(0)
}

/// The last `chars` characters of `text`.
fn tail(text: &str, chars: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(chars.saturating_sub(1))
        .map_or(0, |(at, _)| at);
    &text[start..]
}

/// The sentence with `range` replaced by filler of the same byte length.
pub fn mask(sentence: &str, range: &Range<usize>) -> String {
    let mut out = String::with_capacity(sentence.len());
    for (at, c) in sentence.char_indices() {
        if range.contains(&at) {
            out.push_str(super::sentences::filler(c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What rules read of a sentence.
    fn read(sentence: &str) -> String {
        match mention(sentence) {
            Some(range) => {
                let mut out = sentence[..range.start].to_string();
                out.push('…');
                out.push_str(&sentence[range.end..]);
                out
            }
            None => sentence.to_string(),
        }
    }

    #[test]
    fn a_trigger_that_happened_is_masked_from_its_clause_on() {
        assert_eq!(
            read(
                "会議において参考人の出席を求める議決があったときは、議長は、参考人に通知しなければならない。"
            ),
            "…議長は、参考人に通知しなければならない。"
        );
        assert_eq!(
            read(
                "管理人は、常に区域内を巡回調査し、修繕を要する破損を発見したときは、直ちに報告しなければならない。"
            ),
            "管理人は、常に区域内を巡回調査し、…直ちに報告しなければならない。"
        );
        let plain = "許可を受けた者は、許可証を見やすい場所に掲示しなければならない。";
        assert_eq!(read(plain), plain);
    }

    #[test]
    fn conditions_that_require_the_act_are_kept() {
        for kept in [
            "請求者があらかじめ書面により意思表示した場合には、通知に代えることができる。",
            "簿書の閲覧の請求があつた場合においては、施行者は、これを拒んではならない。",
            "検査の必要を認めたときは、検査を行うことができる。",
            "区長は、当事者の出頭を求め、その意見を聴こうとするときは、様式により通知するものとする。",
        ] {
            assert_eq!(read(kept), kept);
        }
    }

    #[test]
    fn exceptions_and_grounds_are_mentions() {
        assert_eq!(
            read("市長は、その場で閲覧させる場合を除き、速やかに通知するものとする。"),
            "市長は、…速やかに通知するものとする。"
        );
        // The exception after 「…とともに、」 scopes over the second duty only.
        assert_eq!(
            read(
                "業者は、標識を見やすい場所に掲示するとともに、規模が小さい場合を除き、自動公衆送信により公衆の閲覧に供しなければならない。"
            ),
            "業者は、標識を見やすい場所に掲示するとともに、…自動公衆送信により公衆の閲覧に供しなければならない。"
        );
        assert_eq!(
            read("正当な理由がなく、出頭を求められてこれに応じないとき。"),
            "…"
        );
    }

    #[test]
    fn masking_keeps_offsets() {
        let sentence = "閲覧の請求があったときは、速やかに通知しなければならない。";
        let range = mention(sentence).expect("a trigger");
        let masked = mask(sentence, &range);
        assert_eq!(masked.len(), sentence.len());
        assert!(!masked.contains("閲覧"));
        assert!(masked.ends_with("速やかに通知しなければならない。"));
    }
}
