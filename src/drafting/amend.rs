//! 改め文: the amending text of a 例規 in the standard phrasing, made from
//! the changes to each provision, and the reader that applies it back.
//!
//! Each change becomes one sentence, 「第五条第一項中「書面」を「書面又は電磁的方法」
//! に改める。」 (or 「…中「A」を削る。」). The words quoted must name one place:
//! the changed words are widened, a character at a time, until they occur
//! once in the provision's text as it stands after the sentences before
//! (an insertion quotes at least the two characters before it). Where that
//! cannot be done, or the changes are too many to read, the provision is
//! rewritten whole: 「第五条第一項を次のように改める。」 and its new text. Every
//! plan is checked by applying its sentences to the old text ([`apply_lines`]).

use std::ops::Range;

use super::model::{DocumentDraft, Segment};
use super::templates::{Change, apply};

/// More changes than this in one provision are drafted as a whole rewrite.
const MOST_CHANGES: usize = 6;

/// The 改め文 of one provision and the runs of its old and new text the
/// 新旧対照表 underlines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub lines: Vec<String>,
    pub new_text: String,
    pub old: Vec<Segment>,
    pub new: Vec<Segment>,
}

/// The 改め文 that makes `changes` (in text order, none overlapping) to the
/// provision `citation`, whose text is `old`. `head` is what a whole rewrite
/// prints before the new text (the paragraph's number 「２」, the article's
/// 「第五条」 for its first paragraph).
pub fn plan(citation: &str, head: &str, old: &str, changes: &[Change]) -> Plan {
    let new_text = apply(old, changes);
    if changes.is_empty() {
        return Plan {
            lines: Vec::new(),
            old: plain(old),
            new: plain(old),
            new_text,
        };
    }
    if changes.len() <= MOST_CHANGES
        && let Some(plan) = by_words(citation, old, changes, &new_text)
        && apply_lines(old, &plan.lines).as_deref() == Ok(new_text.as_str())
    {
        return plan;
    }
    rewrite(citation, head, old, new_text)
}

/// One sentence per change, each quoting words that occur once.
fn by_words(citation: &str, old: &str, changes: &[Change], new_text: &str) -> Option<Plan> {
    let mut current = old.to_string();
    let mut lines = Vec::new();
    let mut old_marks = Vec::new();
    let mut new_marks = Vec::new();
    // Where `old`'s offsets stand in `current` after the changes so far.
    let mut shift: isize = 0;
    let mut left_limit = 0;
    for (i, change) in changes.iter().enumerate() {
        let at = |offset: usize| offset.checked_add_signed(shift);
        let (start, end) = (at(change.old.start)?, at(change.old.end)?);
        let right_limit = match changes.get(i + 1) {
            Some(next) => at(next.old.start)?,
            None => current.len(),
        };
        let from = if start == end && end == current.len() {
            clause_start(&current, left_limit, end)
        } else {
            start
        };
        let quoted = anchor(&current, from..end, start == end, left_limit..right_limit)?;
        let before = current[quoted.clone()].to_string();
        let after = format!(
            "{}{}{}",
            &current[quoted.start..start],
            change.new,
            &current[end..quoted.end]
        );
        // A sentence of 改め文 is one line: what it quotes never crosses one.
        if before.contains(is_line_break) || after.contains(is_line_break) {
            return None;
        }
        lines.push(sentence(citation, &before, &after));
        old_marks
            .push(quoted.start.checked_add_signed(-shift)?..quoted.end.checked_add_signed(-shift)?);
        new_marks.push(quoted.start..quoted.start + after.len());
        current.replace_range(quoted.clone(), &after);
        shift += after.len() as isize - before.len() as isize;
        left_limit = quoted.start + after.len();
    }
    Some(Plan {
        lines,
        old: segments(old, &old_marks),
        new: segments(new_text, &new_marks),
        new_text: new_text.to_string(),
    })
}

/// 「…中「A」を「B」に改める。」, or 「…中「A」を削る。」 when nothing takes its place.
fn sentence(citation: &str, before: &str, after: &str) -> String {
    if after.is_empty() {
        format!("{citation}中「{before}」を削る。")
    } else {
        format!("{citation}中「{before}」を「{after}」に改める。")
    }
}

/// Where the words quoted for a sentence added at the end of `text` begin:
/// after the last 「、」 of its last sentence when that is at most
/// [`END_QUOTE`] characters back (「選任しなければならない。」), else at the
/// furthest start of a word within that reach (a kanji or katakana after
/// kana: 「閲覧を求めることができる。」); never before `limit`.
fn clause_start(text: &str, limit: usize, end: usize) -> usize {
    let body = text[limit..end]
        .strip_suffix('。')
        .unwrap_or(&text[limit..end]);
    let mut start = limit + body.len();
    let mut word_start = None;
    let mut chars = body.char_indices().rev().peekable();
    let mut count = 0;
    while let Some((at, c)) = chars.next() {
        if c == '、' || c == '。' || is_line_break(c) {
            return start;
        }
        if count == END_QUOTE {
            return word_start.unwrap_or(start);
        }
        start = limit + at;
        let before = chars.peek().map(|&(_, b)| b);
        if before.is_some_and(is_hiragana) && !is_hiragana(c) {
            word_start = Some(start);
        }
        count += 1;
    }
    start
}

fn is_hiragana(c: char) -> bool {
    ('\u{3041}'..='\u{309F}').contains(&c)
}

/// The most characters quoted before a sentence added at the end.
const END_QUOTE: usize = 20;

/// The words to quote for a change: `quoted` (the change, or a clause
/// before an addition at the end; a byte range of `text`) widened within
/// `bounds`, never across a line break, until it occurs once in `text`. An
/// insertion widens to the left first, a replacement to the right
/// (「書面により」).
fn anchor(
    text: &str,
    quoted: Range<usize>,
    insertion: bool,
    bounds: Range<usize>,
) -> Option<Range<usize>> {
    let mut quoted = quoted;
    let least = if insertion { 2 } else { 1 };
    loop {
        let words = &text[quoted.clone()];
        if words.chars().count() >= least && text.find(words) == text.rfind(words) {
            return Some(quoted);
        }
        let left = text[bounds.start..quoted.start]
            .chars()
            .next_back()
            .filter(|c| !is_line_break(*c));
        let right = text[quoted.end..bounds.end]
            .chars()
            .next()
            .filter(|c| !is_line_break(*c));
        match (insertion, left, right) {
            (true, Some(c), _) | (false, Some(c), None) => quoted.start -= c.len_utf8(),
            (_, _, Some(c)) => quoted.end += c.len_utf8(),
            (_, None, None) => return None,
        }
    }
}

fn is_line_break(c: char) -> bool {
    matches!(c, '\n' | '\r')
}

/// 「第五条第一項を次のように改める。」 and the new text, headed as the
/// 例規 prints it. A text that runs over several lines (a table or list the
/// 例規 kept inside the provision) cannot follow on one line: then there is
/// no plan, and the provision is left for the clerk (no lines, text unchanged).
fn rewrite(citation: &str, head: &str, old: &str, new_text: String) -> Plan {
    if new_text.contains(is_line_break) {
        return Plan {
            lines: Vec::new(),
            old: plain(old),
            new: plain(old),
            new_text: old.to_string(),
        };
    }
    let text_line = match head {
        "" => new_text.clone(),
        head => format!("{head}　{new_text}"),
    };
    Plan {
        lines: vec![format!("{citation}を次のように改める。"), text_line],
        old: whole(old),
        new: whole(&new_text),
        new_text,
    }
}

/// The whole text as one changed run.
fn whole(text: &str) -> Vec<Segment> {
    segments(text, std::slice::from_ref(&(0..text.len())))
}

fn plain(text: &str) -> Vec<Segment> {
    segments(text, &[])
}

/// `text` cut at the `marks` (in order, none overlapping), the marked runs changed.
fn segments(text: &str, marks: &[Range<usize>]) -> Vec<Segment> {
    let mut out = Vec::new();
    let mut at = 0;
    let mut push = |text: &str, changed: bool| {
        if !text.is_empty() {
            out.push(Segment {
                text: text.to_string(),
                changed,
            });
        }
    };
    for mark in marks {
        push(&text[at..mark.start], false);
        push(&text[mark.clone()], true);
        at = mark.end;
    }
    push(&text[at..], false);
    out
}

/// Why a line of 改め文 could not be applied.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApplyError {
    #[error("{line}: 改め文の形ではありません (not an amending sentence)")]
    NotASentence { line: String },
    #[error("{line}: 「{words}」が改正前の規定に見つかりません (words not found)")]
    NotFound { line: String, words: String },
    #[error("{line}: 「{words}」が改正前の規定に二か所以上あります (words found twice)")]
    Ambiguous { line: String, words: String },
    #[error("{line}: 次のように改める規定の文がありません (no new text follows)")]
    NoNewText { line: String },
}

/// Applies the 改め文 `lines` of one provision to its old text, as a reader
/// of the 例規 would: each 「中「A」を「B」に改める。」 replaces the one place
/// of A, 「中「A」を削る。」 deletes it, 「…を次のように改める。」 takes the
/// next line (after its head and a full-width space) as the whole new text.
pub fn apply_lines(old: &str, lines: &[String]) -> Result<String, ApplyError> {
    let mut text = old.to_string();
    let mut lines = lines.iter();
    while let Some(line) = lines.next() {
        if line.ends_with("を次のように改める。") {
            let next = lines
                .next()
                .ok_or_else(|| ApplyError::NoNewText { line: line.clone() })?;
            text = match next.split_once('　') {
                Some((_, rest)) => rest.to_string(),
                None => next.clone(),
            };
            continue;
        }
        let (words, replacement) = parse(line, &text)?;
        let at = text.find(&words).ok_or_else(|| ApplyError::NotFound {
            line: line.clone(),
            words: words.clone(),
        })?;
        if text.rfind(&words) != Some(at) {
            return Err(ApplyError::Ambiguous {
                line: line.clone(),
                words,
            });
        }
        text.replace_range(at..at + words.len(), &replacement);
    }
    Ok(text)
}

/// (A, B) of 「…中「A」を「B」に改める。」 or (A, "") of 「…中「A」を削る。」.
/// Quoted words may hold 「」 themselves: of the ways to cut the sentence,
/// the one whose A occurs in `text` is taken.
fn parse(line: &str, text: &str) -> Result<(String, String), ApplyError> {
    let wrong = || ApplyError::NotASentence {
        line: line.to_string(),
    };
    let (_, rest) = line.split_once("中「").ok_or_else(wrong)?;
    if let Some(words) = rest.strip_suffix("」を削る。") {
        return Ok((words.to_string(), String::new()));
    }
    let body = rest.strip_suffix("」に改める。").ok_or_else(wrong)?;
    let cuts: Vec<(&str, &str)> = body
        .match_indices("」を「")
        .map(|(at, sep)| (&body[..at], &body[at + sep.len()..]))
        .collect();
    cuts.iter()
        .find(|(words, _)| text.contains(words))
        .or(cuts.first())
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .ok_or_else(wrong)
}

/// The whole amending text of a 例規 (題名, 改正文, the provisions' sentences
/// in document order, 附則), one line per element.
pub fn amending_text(draft: &DocumentDraft) -> Vec<String> {
    let kind = if draft.kind.is_empty() {
        "例規"
    } else {
        draft.kind.as_str()
    };
    let mut lines = vec![
        format!("{}の一部を改正する{kind}（案）", draft.title),
        String::new(),
    ];
    let number = draft
        .number
        .as_deref()
        .map(|n| format!("（{n}）"))
        .unwrap_or_default();
    lines.push(format!(
        "{}{number}の一部を次のように改正する。",
        draft.title
    ));
    lines.push(String::new());
    let before = lines.len();
    for provision in &draft.provisions {
        lines.extend(provision.amendment.iter().cloned());
    }
    if lines.len() == before {
        lines.push(
            "（改正の案がまだありません。チェックリストの「改正案」列に改正後の文を書いてください。）"
                .to_string(),
        );
    }
    lines.push(String::new());
    lines.push("附　則".to_string());
    lines.push(format!("この{kind}は、公布の日から施行する。"));
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(text: &str, words: &str, new: &str) -> Change {
        let at = text.find(words).expect("words in text");
        Change {
            old: at..at + words.len(),
            new: new.to_string(),
        }
    }

    fn insert_after(text: &str, words: &str, new: &str) -> Change {
        let at = text.find(words).expect("words in text") + words.len();
        Change {
            old: at..at,
            new: new.to_string(),
        }
    }

    fn underlined(segments: &[Segment]) -> Vec<&str> {
        segments
            .iter()
            .filter(|s| s.changed)
            .map(|s| s.text.as_str())
            .collect()
    }

    #[test]
    fn a_replacement_is_one_sentence_in_the_standard_form() {
        let old = "申請は、書面により行わなければならない。";
        let plan = plan(
            "第五条第一項",
            "",
            old,
            &[change(old, "書面", "書面又は電磁的方法")],
        );
        assert_eq!(
            plan.lines,
            ["第五条第一項中「書面」を「書面又は電磁的方法」に改める。"]
        );
        assert_eq!(
            plan.new_text,
            "申請は、書面又は電磁的方法により行わなければならない。"
        );
        assert_eq!(underlined(&plan.old), ["書面"]);
        assert_eq!(underlined(&plan.new), ["書面又は電磁的方法"]);
        assert_eq!(apply_lines(old, &plan.lines), Ok(plan.new_text.clone()));
    }

    #[test]
    fn words_found_twice_are_widened_until_they_name_one_place() {
        let old = "書面を受理したときは、書面により通知する。";
        let second = old.rfind("書面").expect("two");
        let plan = plan(
            "第3条",
            "",
            old,
            &[Change {
                old: second..second + "書面".len(),
                new: "書面又は電磁的方法".into(),
            }],
        );
        assert_eq!(
            plan.lines,
            ["第3条中「書面に」を「書面又は電磁的方法に」に改める。"]
        );
        assert_eq!(apply_lines(old, &plan.lines), Ok(plan.new_text));
    }

    #[test]
    fn an_insertion_quotes_the_words_before_it() {
        let old = "委員会は、関係者の出席を求めることができる。";
        let mid = plan(
            "第6条第3項",
            "3",
            old,
            &[insert_after(old, "出席", "（映像…を含む。）")],
        );
        assert_eq!(
            mid.lines,
            ["第6条第3項中「出席」を「出席（映像…を含む。）」に改める。"]
        );
        let end = plan(
            "第6条第3項",
            "3",
            old,
            &[insert_after(old, "。", "ただし書。")],
        );
        assert_eq!(
            end.lines,
            [
                "第6条第3項中「関係者の出席を求めることができる。」を「関係者の出席を求めることができる。ただし書。」に改める。"
            ]
        );
        assert_eq!(apply_lines(old, &end.lines), Ok(end.new_text));
    }

    #[test]
    fn several_changes_are_several_sentences_in_text_order() {
        let old = "申請書を書面により提出し、書面の写しを保存する。";
        let changes = [
            change(old, "書面により", "書面又は電磁的方法により"),
            insert_after(old, "提出", "（電子を含む。）を"),
            change(old, "書面の", "書面又は電磁的記録の"),
        ];
        let plan = plan("第九条", "", old, &changes);
        assert_eq!(plan.lines.len(), 3, "{:?}", plan.lines);
        assert_eq!(apply_lines(old, &plan.lines), Ok(plan.new_text.clone()));
        assert_eq!(underlined(&plan.old).len(), 3);
    }

    #[test]
    fn words_that_cannot_name_one_place_make_a_whole_rewrite() {
        let old = "あああ";
        let at = |i: usize| Change {
            old: i * 3..i * 3,
            new: "い".into(),
        };
        let plan = plan("第二条第二項", "２", old, &[at(1), at(2)]);
        assert_eq!(
            plan.lines,
            ["第二条第二項を次のように改める。", "２　あいあいあ"]
        );
        assert_eq!(apply_lines(old, &plan.lines), Ok("あいあいあ".to_string()));
        assert_eq!(underlined(&plan.old), ["あああ"]);
    }

    #[test]
    fn quoted_words_never_cross_a_line_and_a_text_of_lines_is_left_for_the_clerk() {
        let old = "一　甲に関すること。\n二　乙に関すること。";
        let plan = plan("第一項", "", old, &[insert_after(old, "。", "追加。")]);
        assert!(
            plan.lines.iter().all(|l| !l.contains('\n')),
            "{:?}",
            plan.lines
        );
        assert_eq!(apply_lines(old, &plan.lines), Ok(plan.new_text.clone()));
        let stuck = "あ\nあ";
        let plan = plan_of_stuck(stuck);
        assert!(plan.lines.is_empty());
        assert_eq!(plan.new_text, stuck, "left unchanged");
    }

    fn plan_of_stuck(old: &str) -> Plan {
        plan("第一項", "", old, &[insert_after(old, "\n", "い")])
    }

    #[test]
    fn a_deletion_and_quoted_brackets_read_back() {
        let old = "書面（以下「申請書」という。）を、速やかに提出する。";
        let plan = plan("第4条", "", old, &[change(old, "、速やかに", "")]);
        assert_eq!(plan.lines, ["第4条中「、速やかに」を削る。"]);
        assert_eq!(apply_lines(old, &plan.lines), Ok(plan.new_text));
        let lines = ["第4条中「書面（以下「申請書」という。）」を「申請書」に改める。".to_string()];
        assert_eq!(
            apply_lines(old, &lines),
            Ok("申請書を、速やかに提出する。".to_string())
        );
    }

    #[test]
    fn a_sentence_that_does_not_fit_is_an_error() {
        let old = "書面を提出する。";
        let missing = ["第1条中「郵送」を「送付」に改める。".to_string()];
        assert!(matches!(
            apply_lines(old, &missing),
            Err(ApplyError::NotFound { .. })
        ));
        let garbled = ["第1条を改める".to_string()];
        assert!(matches!(
            apply_lines(old, &garbled),
            Err(ApplyError::NotASentence { .. })
        ));
    }
}
