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

/// Words that end a condition when a comma or the main clause follows.
const CONDITION_ENDS: [&str; 8] = [
    "ときは、",
    "ときには、",
    "場合は、",
    "場合には、",
    "場合においては、",
    "場合において、",
    "際は、",
    "際には、",
];

/// Endings of a sentence that is itself a condition (a 号 in a list of grounds).
const CONDITION_SENTENCE_ENDS: [&str; 4] = ["とき。", "とき", "場合。", "場合"];

/// The past-tense endings that make a condition a trigger that has happened.
const HAPPENED: [&str; 2] = ["た", "だ"];

/// Judgements of need (the condition says why, not what happened) and
/// steps taken beforehand (a precondition the main clause depends on).
const NEED: [&str; 4] = ["認めた", "必要", "おそれ", "あらかじめ"];

/// Back-references by which a main clause takes the condition's act up again.
const TAKEN_UP: [&str; 4] = ["これを", "これに", "これら", "当該請求"];

/// Where the part of `sentence` that rules read starts: after a trigger
/// condition that only mentions the act, 0 when there is none, the
/// sentence's length when the sentence is a condition through and through.
pub fn main_clause_start(sentence: &str) -> usize {
    let trimmed = sentence.trim_end();
    if CONDITION_SENTENCE_ENDS.iter().any(|e| trimmed.ends_with(e)) {
        return sentence.len();
    }
    let Some((before, end)) = last_condition(sentence) else {
        return 0;
    };
    let main = &sentence[end..];
    let happened = HAPPENED.iter().any(|h| before.ends_with(h));
    let need = NEED.iter().any(|n| tail(before, 40).contains(n));
    let taken_up = TAKEN_UP.iter().any(|t| main.contains(t));
    if happened && !need && !taken_up {
        end
    } else {
        0
    }
}

/// The text before the last condition word (「…があつた」 of 「…があつたときは、」)
/// and the byte offset where the main clause starts.
fn last_condition(sentence: &str) -> Option<(&str, usize)> {
    CONDITION_ENDS
        .iter()
        .filter_map(|marker| sentence.rfind(marker).map(|at| (at, at + marker.len())))
        .max_by_key(|&(_, end)| end)
        .map(|(at, end)| (&sentence[..at], end))
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

/// The sentence with its conditions (everything before `start`) replaced by
/// filler of the same byte length.
pub fn mask_before(sentence: &str, start: usize) -> String {
    let mut out = String::with_capacity(sentence.len());
    for (at, c) in sentence.char_indices() {
        if at < start {
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

    fn main_clause(sentence: &str) -> &str {
        &sentence[main_clause_start(sentence)..]
    }

    #[test]
    fn the_main_clause_follows_the_last_condition() {
        assert_eq!(
            main_clause(
                "会議において参考人の出席を求める議決があったときは、議長は、参考人に通知しなければならない。"
            ),
            "議長は、参考人に通知しなければならない。"
        );
        // A condition that requires the act is kept.
        let kept = "請求者があらかじめ書面により意思表示した場合には、通知に代えることができる。";
        assert_eq!(main_clause(kept), kept);
        let taken_up = "簿書の閲覧の請求があつた場合においては、施行者は、これを拒んではならない。";
        assert_eq!(main_clause(taken_up), taken_up);
        let need = "検査の必要を認めたときは、検査を行うことができる。";
        assert_eq!(main_clause(need), need);
        let plain = "許可を受けた者は、許可証を見やすい場所に掲示しなければならない。";
        assert_eq!(main_clause(plain), plain);
    }

    #[test]
    fn a_ground_listed_as_a_condition_has_no_main_clause() {
        assert_eq!(
            main_clause("正当な理由がなく、出頭を求められてこれに応じないとき。"),
            ""
        );
    }

    #[test]
    fn masking_keeps_offsets() {
        let sentence = "閲覧の請求があったときは、速やかに通知しなければならない。";
        assert_eq!(
            main_clause_start(sentence),
            "閲覧の請求があったときは、".len()
        );
        let start = main_clause_start(sentence);
        let masked = mask_before(sentence, start);
        assert_eq!(masked.len(), sentence.len());
        assert!(!masked.contains("閲覧"));
        assert!(masked.ends_with("速やかに通知しなければならない。"));
    }
}
