//! Reading the citations in one provision's text: named statutes
//! (建築基準法（昭和25年法律第201号）第12条第1項), abbreviations a 例規 defined
//! (法第6条), 同法, この条例, and bare places in the same text (前条, 第3条第2項).
//!
//! This is pure text work: what a citation *refers to* (which statute 「法」
//! is, which article 前条 is) is decided by `resolve`, which knows the
//! document.

use std::borrow::Cow;

use crate::structure::numbers::{NumeralStyle, digit_value, is_numeral, parse_number};

/// Where in a statute a citation points: 第12条の2第3項第1号 as numbers, or
/// relative to the citing provision (前条, 同項).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Place {
    pub article: Option<Step>,
    pub paragraph: Option<Step>,
    pub item: Option<u32>,
}

/// One step of a place: an explicit number or a relative word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// 第12条の2 → [12, 2]; 第3項 → [3].
    Number(Vec<u32>),
    /// 前条, 前項
    Previous,
    /// 次条, 次項
    Next,
    /// 同条, 同項: the one the text cited last.
    Same,
}

/// What a citation names before its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A statute by its title, with its number when the text gives one.
    Named {
        title: String,
        number: Option<String>,
    },
    /// A word the 例規 defined (「法」「令」「条例」), to be looked up.
    Abbreviation(String),
    /// 同法, 同令, 同条例, 同規則: the last statute of that kind cited before.
    Same(String),
    /// この条例, この規則, 本条例, or a bare place (第3条, 前項): the citing 例規 itself.
    This,
}

/// One citation found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cited {
    pub target: Target,
    pub place: Option<Place>,
    /// Followed by 「の規定により」「に基づき」 and the like: the citing
    /// provision carries the cited one out.
    pub carried_out: bool,
    /// The abbreviation this citation defines (以下「法」という。).
    pub defines: Option<String>,
    /// How the place printed its numbers (第12条 or 第十二条), if it has any.
    pub style: Option<NumeralStyle>,
    /// The place as the text prints it (第76条の３第１項), when it has one.
    pub place_text: Option<String>,
    /// Character offsets of the citation in the text.
    pub start: usize,
    pub end: usize,
}

/// The last words of a statute's title, longest first.
const SUFFIXES: [&str; 10] = [
    "法律", "政令", "省令", "府令", "条例", "規則", "細則", "規程", "法", "令",
];

/// Words that end in 法 or 令 but name no statute.
const NOT_STATUTES: [&str; 40] = [
    "方法", "手法", "用法", "療法", "工法", "技法", "寸法", "製法", "作法", "文法", "違法", "適法",
    "合法", "不法", "司法", "立法", "便法", "算法", "論法", "法令", "命令", "指令", "号令", "辞令",
    "発令", "訓令", "法律", "政令", "省令", "府令", "条例", "規則", "細則", "規程", "法", "令",
    "司令", "家法", "戦法", "説法",
];

/// Kana runs a long title holds between its kanji (私的独占の禁止及び公正取引の確保に関する法律).
const CONNECTORS: [&str; 13] = [
    "の一部を改正する",
    "を改正する",
    "に関する",
    "のための",
    "における",
    "に基づく",
    "に係る",
    "による",
    "並びに",
    "若しくは",
    "及び",
    "又は",
    "の",
];

/// First characters a statute's title never starts with (この, 同法, 他の法律, 当該, 本条例).
const NOT_FIRST: &str = "同本当他各前次該別旧新右左上下";

/// Words after which a text carries out what it cites.
const CARRIED_OUT: [&str; 8] = [
    "の規定により",
    "の規定による",
    "の規定に基づ",
    "に基づ",
    "の規定に従",
    "の規定を受け",
    "の施行",
    "の委任",
];

/// Words that may follow a statute's name when it is cited.
const AFTER_NAME: [&str; 14] = [
    "第",
    "（",
    "の規定",
    "に規定",
    "に基づ",
    "の施行",
    "で定め",
    "に定め",
    "の定め",
    "により",
    "による",
    "の委任",
    "に従",
    "の適用",
];

/// Every citation in `text`, in order. `abbreviations` are the words the 例規
/// defined before this text (「法」 …); definitions made in this text are
/// used from where they are made.
pub fn cited(text: &str, abbreviations: &[String]) -> Vec<Cited> {
    Reader::default().cited(text, abbreviations)
}

/// Reads the citations of one text after another, keeping its buffers from
/// one text to the next (a document has thousands of short texts).
#[derive(Debug, Default)]
pub struct Reader {
    /// The text's characters, ASCII parentheses made full-width.
    chars: Vec<char>,
    /// Where a cited title can end (see [`title_ends`]).
    ends: Vec<usize>,
    /// The first characters of the abbreviations known.
    firsts: Vec<char>,
}

impl Reader {
    /// Every citation in `text`, as [`cited`] reads them.
    pub fn cited(&mut self, text: &str, abbreviations: &[String]) -> Vec<Cited> {
        // Every citation holds one of 法 令 例 則 程 第 前 次 同 (a title's
        // end, 第, 前条, 同法).
        if !self.load(text) {
            return Vec::new();
        }
        let chars = self.chars.as_slice();
        // Copied only when this text defines a word of its own.
        let mut known: Cow<'_, [String]> = Cow::Borrowed(abbreviations);
        self.firsts.clear();
        self.firsts
            .extend(abbreviations.iter().filter_map(|w| w.chars().next()));
        let mut out: Vec<Cited> = Vec::new();
        // Where a cited title can end: a title is read from its start, at most
        // TITLE_MAX characters ahead; without such an end ahead, no title starts.
        title_ends(chars, &mut self.ends);
        let ends = self.ends.as_slice();
        let defined = numbered_titles(chars, ends);
        let mut next_end = 0;
        let mut at = 0;
        while at < chars.len() {
            // Inside a run of kanji only a place (第, 前, 次, 同) or 本条例 can start.
            if at > 0
                && is_name_char(chars[at - 1])
                && !matches!(chars[at], '第' | '前' | '次' | '同' | '本')
            {
                at += 1;
                continue;
            }
            while ends.get(next_end).is_some_and(|&e| e <= at) {
                next_end += 1;
            }
            // What can start here: a place (第 前 次 同), この・本, an abbreviation,
            // a numbered title, or a title ending within reach. Else go on.
            let title_ahead = ends.get(next_end).is_some_and(|&e| e <= at + TITLE_MAX);
            let c = chars[at];
            if !title_ahead
                && !matches!(c, '第' | '前' | '次' | '同' | 'こ' | '本')
                && !self.firsts.contains(&c)
                && !defined.iter().any(|&(start, _)| start == at)
            {
                at += 1;
                continue;
            }
            let found = defined
                .iter()
                .find(|(start, _)| *start == at)
                .map(|&(start, end)| named_at(chars, start, end))
                .or_else(|| self_reference(chars, at))
                .or_else(|| same_statute(chars, at))
                .or_else(|| abbreviation(chars, at, &known))
                .or_else(|| title_ahead.then(|| named(chars, at)).flatten())
                .or_else(|| bare_place(chars, at, out.last()));
            match found {
                Some(cited) => {
                    if let Some(word) = &cited.defines
                        && !known.contains(word)
                    {
                        known.to_mut().push(word.clone());
                        self.firsts.extend(word.chars().next());
                    }
                    at = cited.end.max(at + 1);
                    out.push(cited);
                }
                None => at += 1,
            }
        }
        out
    }

    /// Puts the characters of `text` in `chars`; false when none of them
    /// can be part of a citation.
    fn load(&mut self, text: &str) -> bool {
        if !text.contains(['法', '令', '例', '則', '程', '第', '前', '次', '同']) {
            return false;
        }
        self.chars.clear();
        self.chars.extend(text.chars().map(|c| match c {
            '(' => '（',
            ')' => '）',
            _ => c,
        }));
        true
    }
}

/// The longest title [`named`] reads, in characters.
const TITLE_MAX: usize = 80;

/// Every place where a cited title may end: after 法 律 令 例 則 程, before
/// one of the words that follow a statute's name. In order, into `ends`.
fn title_ends(chars: &[char], ends: &mut Vec<usize>) {
    ends.clear();
    for (before, &c) in chars.iter().enumerate() {
        let end = before + 1;
        if matches!(c, '法' | '律' | '令' | '例' | '則' | '程')
            && AFTER_NAME.iter().any(|w| starts_with(chars, end, w))
        {
            ends.push(end);
        }
    }
}

/// True when `chars` are the characters of `word`.
fn is_word(chars: &[char], word: &str) -> bool {
    // A word has at most as many characters as bytes.
    chars.len() <= word.len() && chars.iter().copied().eq(word.chars())
}

/// True when `chars` ends with `word`.
fn ends_with(chars: &[char], word: &str) -> bool {
    let mut from = chars.len();
    for w in word.chars().rev() {
        match from.checked_sub(1) {
            Some(at) if chars[at] == w => from = at,
            _ => return false,
        }
    }
    true
}

fn starts_with(chars: &[char], at: usize, word: &str) -> bool {
    (at..)
        .zip(word.chars())
        .all(|(i, w)| chars.get(i) == Some(&w))
}

fn is_kanji(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '々' | '〆' | 'ヶ' | 'ケ')
}

fn is_katakana(c: char) -> bool {
    matches!(c, '\u{30A1}'..='\u{30FA}' | 'ー' | '・')
}

fn is_hiragana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{3096}')
}

/// A statute's title word may continue over these.
fn is_name_char(c: char) -> bool {
    (is_kanji(c) || is_katakana(c)) && !matches!(c, '、' | '。')
}

/// The end of a citation that begins a place or a number parenthesis at `at`:
/// the place, the parenthesis' law number and definition, and what follows.
struct Tail {
    style: Option<NumeralStyle>,
    place_text: Option<String>,
    number: Option<String>,
    defines: Option<String>,
    place: Option<Place>,
    carried_out: bool,
    end: usize,
}

impl Tail {
    /// The citation of `target` from `start` to the end of this tail; it
    /// defines no word (see [`named_at`] for the titles that do).
    fn cite(self, target: Target, start: usize) -> Cited {
        Cited {
            target,
            place: self.place,
            carried_out: self.carried_out,
            defines: None,
            style: self.style,
            place_text: self.place_text,
            start,
            end: self.end,
        }
    }
}

fn tail(chars: &[char], at: usize) -> Tail {
    let mut end = at;
    let (mut number, mut defines) = (None, None);
    if chars.get(end) == Some(&'（')
        && let Some(close) = closing(chars, end)
    {
        let inner: String = chars[end + 1..close].iter().collect();
        number = law_number(&inner);
        defines = definition(&inner);
        if number.is_some() || defines.is_some() {
            end = close + 1;
        }
    }
    let place = place(chars, end);
    let from = end;
    if let Some((_, to)) = &place {
        end = *to;
    }
    let carried_out = CARRIED_OUT.iter().any(|w| starts_with(chars, end, w));
    Tail {
        style: style_of(&chars[from..end]),
        place_text: (end > from).then(|| chars[from..end].iter().collect()),
        number,
        defines,
        place: place.map(|(p, _)| p),
        carried_out,
        end,
    }
}

/// The numeral style of a place's text, when it holds a number.
fn style_of(place: &[char]) -> Option<NumeralStyle> {
    // NumeralStyle::of decides by the first numeral of its text.
    let first = place.iter().find(|&&c| is_numeral(c))?;
    Some(NumeralStyle::of(first.encode_utf8(&mut [0; 4])))
}

/// The index of the parenthesis that closes the one at `open`.
fn closing(chars: &[char], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, &c) in chars.iter().enumerate().skip(open) {
        match c {
            '（' => depth += 1,
            '）' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        if i - open > 400 {
            return None;
        }
    }
    None
}

/// 昭和25年法律第201号 inside a parenthesis, as printed.
pub fn law_number(inner: &str) -> Option<String> {
    const ERAS: [&str; 5] = ["明治", "大正", "昭和", "平成", "令和"];
    let start = ERAS.iter().filter_map(|e| inner.find(e)).min()?;
    let rest = &inner[start..];
    let end = rest.find('号')? + '号'.len_utf8();
    let number = &rest[..end];
    (number.contains('年') && number.contains('第') && !number.contains('、') && number.len() < 120)
        .then(|| number.to_string())
}

/// The word of 「以下「法」という。」 inside a parenthesis.
fn definition(inner: &str) -> Option<String> {
    let after = &inner[inner.find("以下「")? + "以下「".len()..];
    let word = &after[..after.find('」')?];
    (!word.is_empty() && word.chars().count() <= 30).then(|| word.to_string())
}

/// 第12条の2第3項第1号, 前条第2項, 同項第3号, 第2項 … at `at`, and where it ends.
fn place(chars: &[char], at: usize) -> Option<(Place, usize)> {
    let mut place = Place::default();
    let mut i = at;
    if let Some((step, to)) = step(chars, i, '条') {
        place.article = Some(step);
        i = to;
    }
    if let Some((step, to)) = step(chars, i, '項') {
        place.paragraph = Some(step);
        i = to;
    }
    if let Some((Step::Number(n), to)) = step(chars, i, '号') {
        place.item = n.first().copied();
        i = to;
    }
    (i > at).then_some((place, i))
}

/// One step of a place: 第N条(のM)*, 前条, 次条, 同条 (for unit 条).
fn step(chars: &[char], at: usize, unit: char) -> Option<(Step, usize)> {
    for (word, step) in [
        ("前", Step::Previous),
        ("次", Step::Next),
        ("同", Step::Same),
    ] {
        if starts_with(chars, at, word) && chars.get(at + 1) == Some(&unit) {
            return Some((step, at + 2));
        }
    }
    if chars.get(at) != Some(&'第') {
        return None;
    }
    let (first, mut i) = numeral(chars, at + 1)?;
    if chars.get(i) != Some(&unit) {
        return None;
    }
    i += 1;
    let mut numbers = vec![first];
    while unit == '条' && matches!(chars.get(i), Some('の' | 'ノ')) {
        match numeral(chars, i + 1) {
            Some((n, to)) => {
                numbers.push(n);
                i = to;
            }
            None => break,
        }
    }
    Some((Step::Number(numbers), i))
}

fn numeral(chars: &[char], at: usize) -> Option<(u32, usize)> {
    let end = (at..chars.len())
        .find(|&i| !is_numeral(chars[i]))
        .unwrap_or(chars.len());
    let run = &chars[at..end];
    // Arabic digits (12, １２) need no string; kanji numerals go through
    // parse_number.
    if !run.is_empty() && run.iter().all(|&c| digit_value(c).is_some()) {
        return run
            .iter()
            .try_fold(0u32, |n, &c| {
                n.checked_mul(10)?.checked_add(digit_value(c)?)
            })
            .map(|n| (n, end));
    }
    let mut buffer = [0; 64];
    let number = match spelled(run, &mut buffer) {
        Some(text) => parse_number(text),
        None => parse_number(&run.iter().collect::<String>()),
    };
    number.map(|n| (n, end))
}

/// `chars` spelled out in `buffer`, when they fit (a numeral's few
/// characters do): no String for each number read.
fn spelled<'b>(chars: &[char], buffer: &'b mut [u8; 64]) -> Option<&'b str> {
    let mut len = 0;
    for c in chars {
        let to = len + c.len_utf8();
        c.encode_utf8(buffer.get_mut(len..to)?);
        len = to;
    }
    std::str::from_utf8(&buffer[..len]).ok()
}

/// この条例, この規則, この法律, 本条例 … (and a place after it).
fn self_reference(chars: &[char], at: usize) -> Option<Cited> {
    let prefix = ["この", "本"]
        .into_iter()
        .find(|p| starts_with(chars, at, p))?;
    let from = at + prefix.chars().count();
    let suffix = [
        "法律", "条例", "規則", "規程", "要綱", "要領", "政令", "省令", "府令", "訓令", "告示",
    ]
    .into_iter()
    .find(|s| starts_with(chars, from, s))?;
    Some(tail(chars, from + suffix.chars().count()).cite(Target::This, at))
}

/// 同法, 同令, 同条例, 同規則, 同省令 … followed by a place or a verb of citing.
fn same_statute(chars: &[char], at: usize) -> Option<Cited> {
    if chars.get(at) != Some(&'同') || at > 0 && is_name_char(chars[at - 1]) {
        return None;
    }
    let suffix = SUFFIXES
        .into_iter()
        .find(|s| starts_with(chars, at + 1, s))?;
    let from = at + 1 + suffix.chars().count();
    if chars.get(from).is_some_and(|&c| is_kanji(c) && c != '第') {
        return None;
    }
    Some(tail(chars, from).cite(Target::Same(suffix.to_string()), at))
}

/// A word the 例規 defined (法, 令, 条例), standing alone and cited.
fn abbreviation(chars: &[char], at: usize, known: &[String]) -> Option<Cited> {
    if at > 0 && is_name_char(chars[at - 1]) {
        return None;
    }
    let word = known
        .iter()
        .filter(|w| starts_with(chars, at, w))
        .max_by_key(|w| w.chars().count())?;
    let from = at + word.chars().count();
    if !AFTER_NAME.iter().any(|w| starts_with(chars, from, w)) {
        return None;
    }
    Some(tail(chars, from).cite(Target::Abbreviation(word.clone()), at))
}

/// Words and marks a title never runs back over: the title before a
/// parenthesis with a law number starts after them.
const TITLE_STOPS: [&str; 8] = [
    "及び",
    "並びに",
    "又は",
    "若しくは",
    "は",
    "が",
    "この",
    "その",
];

/// The joining words among [`TITLE_STOPS`].
const JOINERS: [&str; 4] = ["及び", "並びに", "又は", "若しくは"];

/// Titles followed by a parenthesis that gives a law number or defines a
/// word (港区みどりを守る条例（平成…年条例第…号。以下「条例」という。）):
/// such a title may hold any kana, and runs back to the last stop
/// (、。「 及び は …). Returns (start, end) of each title. `ends` are the
/// [`title_ends`] of `chars`.
fn numbered_titles(chars: &[char], ends: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // A title before the parenthesis ends in 法 律 令 例 則 程, and （ is one
    // of AFTER_NAME: every such parenthesis opens at one of `ends`.
    for &open in ends.iter().filter(|&&end| chars.get(end) == Some(&'（')) {
        let Some(close) = closing(chars, open) else {
            continue;
        };
        if !chars[open + 1..close].contains(&'号') {
            continue;
        }
        let inner: String = chars[open + 1..close].iter().collect();
        if law_number(&inner).is_none() {
            continue;
        }
        let mut start = open;
        while start > 0 && open - start < 60 {
            let c = chars[start - 1];
            if !(is_name_char(c) || is_hiragana(c)) || c == '第' {
                break;
            }
            let head: String = chars[start.saturating_sub(5)..start].iter().collect();
            // 及び after a parenthesis joins two titles; inside a title
            // (建築及び管理に関する条例) it does not stop it.
            let stop = TITLE_STOPS.iter().any(|w| {
                head.ends_with(w)
                    && (!JOINERS.contains(w)
                        || head[..head.len() - w.len()].ends_with(['）', '、', '」']))
            });
            if stop {
                break;
            }
            start -= 1;
        }
        // Kana beyond a title's connectors only for a municipality's title
        // (港区みどりを守る条例); else the title as `named` reads it
        // (写しに建築基準法施行規則 → 建築基準法施行規則).
        let wide: String = chars[start..open].iter().collect();
        if !town_first(&wide) {
            let Some(narrow) = (start..open).find(|&s| {
                named(chars, s).is_some_and(|c| match &c.target {
                    Target::Named { title, .. } => s + title.chars().count() == open,
                    _ => false,
                })
            }) else {
                continue;
            };
            start = narrow;
        }
        let title: String = chars[start..open].iter().collect();
        if open - start
            > SUFFIXES
                .iter()
                .find(|s| title.ends_with(*s))
                .map_or(0, |s| s.chars().count())
            && !NOT_STATUTES.contains(&title.as_str())
            && !era_first(&title)
            && !["規定", "別表", "様式"].iter().any(|w| title.contains(w))
        {
            out.push((start, open));
        }
    }
    out
}

/// The end of 「を識別するための」「を推進する」 at `at` (を, up to four
/// kanji, する or するための), when a title's kanji follow it.
fn verb_phrase(chars: &[char], at: usize) -> Option<usize> {
    if chars.get(at) != Some(&'を') {
        return None;
    }
    let verb = chars[at + 1..]
        .iter()
        .take(5)
        .take_while(|&&c| is_kanji(c))
        .count();
    if verb == 0 || verb > 4 {
        return None;
    }
    let after = at + 1 + verb;
    let end = ["するための", "する"]
        .iter()
        .find(|w| starts_with(chars, after, w))
        .map(|w| after + w.chars().count())?;
    chars.get(end).is_some_and(|&c| is_kanji(c)).then_some(end)
}

/// Whether a title read from the text names one statute, rather than a
/// phrase that ends like one: 「市長の命令」「国の法律」「厚生労働省令」(a
/// kind of rule), 「建築基準法令」, 「…の公表及び条例」, 「建築物の敷地又は
/// 都市計画法」 (two things joined), 「ロの総務省令」 (an item label before it).
fn plausible_title(title: &str) -> bool {
    let chars: Vec<char> = title.chars().collect();
    let Some(&first) = chars.first() else {
        return false;
    };
    if era_first(title)
        || ["規定", "別表", "様式"].iter().any(|w| title.contains(w))
        || ["法令", "方法", "各法"].iter().any(|w| title.ends_with(w))
        || [
            "法律",
            "政令",
            "省令",
            "府令",
            "条例",
            "規則",
            "法令",
            "施行",
            "改正法",
        ]
        .iter()
        .any(|w| title.starts_with(w))
        || generic_issuer(title)
        || NOT_FIRST.contains(first)
        || is_numeral(first)
        || is_katakana(first) && chars.get(1).is_some_and(|&c| !is_katakana(c))
    {
        return false;
    }
    let word_chars = chars.iter().rev().take_while(|&&c| is_name_char(c)).count();
    let last_word: String = chars[chars.len() - word_chars..].iter().collect();
    let before: String = chars[..chars.len() - word_chars].iter().collect();
    if before.is_empty() {
        return !NOT_STATUTES.contains(&last_word.as_str());
    }
    // 「建築計画に係る法」: a bare 法 or 令 after a connector is an abbreviation;
    // 「…又は同法」: the last word is cited on its own.
    if matches!(last_word.as_str(), "法" | "令")
        || last_word.starts_with(|c: char| NOT_FIRST.contains(c))
    {
        return false;
    }
    // 「決定に係る都市計画法」「申請者の宅地建物取引業法」: a phrase before a
    // short title (…法) is no part of it; long titles end in 法律.
    if last_word.ends_with('法')
        && last_word.chars().count() >= 3
        && !["に関する", "のための", "に基づく"]
            .iter()
            .any(|c| before.ends_with(c))
    {
        return false;
    }
    if last_word.ends_with("命令") && !before.ends_with("に関する") {
        return false;
    }
    // A generic last word (条例, 省令 …) only after the words titles use
    // (…に関する省令, …を改正する法律), or a 条例 after の (大田区みどりの条例).
    if NOT_STATUTES.contains(&last_word.as_str()) {
        let titled = ["に関する", "を改正する", "のための", "に基づく", "による"]
            .iter()
            .any(|c| before.ends_with(c));
        let named_ordinance = last_word == "条例"
            && before.ends_with('の')
            && before.trim_end_matches('の').chars().count() > 2;
        if !(titled || named_ordinance) || !SUFFIXES.contains(&last_word.as_str()) {
            return false;
        }
    }
    // A joining word inside a title joins its subject (廃棄物の処理及び清掃に
    //関する法律), not a statute to something else.
    for joiner in JOINERS {
        if let Some(at) = title.find(joiner) {
            let (head, tail) = (&title[..at], &title[at + joiner.len()..]);
            // 「換地計画又は大都市地域における…法」: an alternative joins a
            // single word to a title; 及び joins a title's subjects.
            let alternative = matches!(joiner, "又は" | "若しくは") && !head.contains('の');
            if SUFFIXES.iter().any(|s| head.ends_with(s))
                || head.chars().count() < 2
                || alternative
                || ![
                    "に関する",
                    "のための",
                    "における",
                    "に係る",
                    "に基づく",
                    "による",
                    "の",
                ]
                .iter()
                .any(|c| tail.contains(c))
            {
                return false;
            }
        }
    }
    true
}

/// A kind of rule rather than one statute: 厚生労働省令, 主務省令, 内閣府令,
/// 教育委員会規則, 人事院規則.
fn generic_issuer(title: &str) -> bool {
    let kanji_only = title.chars().all(is_kanji);
    kanji_only
        && (title.ends_with("省令") || title.ends_with("府令") || title.ends_with("委員会規則"))
        || title == "人事院規則"
}

/// Whether a title starts with a municipality's name (港区…, つばき町…,
/// 東京都…), not with a word like 都市 or 市街.
fn town_first(title: &str) -> bool {
    let chars: Vec<char> = title.chars().collect();
    let Some(at) = chars
        .iter()
        .take(7)
        .position(|c| matches!(c, '市' | '町' | '村' | '区' | '都' | '県'))
    else {
        return false;
    };
    let pair: String = chars[at..(at + 2).min(chars.len())].iter().collect();
    at >= 1
        && ![
            "都市", "市街", "市町", "町村", "区域", "区分", "区画", "県内", "市内", "町内", "市場",
        ]
        .contains(&pair.as_str())
}

/// 昭和二十五年法律…: a law number, not a title.
fn era_first(title: &str) -> bool {
    ["明治", "大正", "昭和", "平成", "令和"]
        .iter()
        .any(|e| title.starts_with(e))
}

/// The citation of the title at start..end.
fn named_at(chars: &[char], start: usize, end: usize) -> Cited {
    let title: String = chars[start..end].iter().collect();
    let mut tail = tail(chars, end);
    let (number, defines) = (tail.number.take(), tail.defines.take());
    Cited {
        defines,
        ..tail.cite(Target::Named { title, number }, start)
    }
}

/// A statute named by its title, when its title ends at `at + …` and what
/// follows cites it. Scans for the end of a title from `at`: the citation
/// begins where the title begins.
fn named(chars: &[char], at: usize) -> Option<Cited> {
    // Only start at the beginning of a title: the first character that
    // cannot continue a title before it.
    if at > 0
        && (is_name_char(chars[at - 1]) || is_hiragana(chars[at - 1]) && is_hiragana(chars[at]))
        || !is_name_char(chars[at]) && !is_hiragana(chars[at])
    {
        return None;
    }
    let mut best = None;
    let mut i = at;
    // A title runs over kanji and katakana, and over a connector when the
    // title continues with kanji after it.
    // A municipality's name in kana (つばき町, さいたま市) starts a title too.
    if is_hiragana(chars[at]) {
        let kana = chars[at..].iter().take_while(|&&c| is_hiragana(c)).count();
        if kana > 8 || !matches!(chars.get(at + kana), Some('市' | '町' | '村')) {
            return None;
        }
        let run: String = chars[at..at + kana].iter().collect();
        // 「または市町村の…」: a joining word or particle, not a town's name.
        let particle = ["または", "および", "ならびに", "もしくは"].contains(&run.as_str())
            || run.ends_with(['は', 'が', 'を', 'に', 'で', 'と', 'も', 'の', 'へ', 'や']);
        if kana > 8 || particle || !matches!(chars.get(at + kana), Some('市' | '町' | '村')) {
            return None;
        }
        i = at + kana;
    }
    while i < chars.len() && i - at < TITLE_MAX {
        // 「…個人を識別するための番号…」: を, a verb, するための inside a title.
        if i > at
            && let Some(to) = verb_phrase(chars, i)
        {
            i = to;
            continue;
        }
        // Every connector starts with one of these: a cheap test first.
        let connector = matches!(chars[i], 'の' | 'を' | 'に' | '並' | '若' | '及' | '又')
            .then(|| CONNECTORS.iter().find(|c| starts_with(chars, i, c)))
            .flatten();
        if let Some(c) = connector
            && i > at
            && chars
                .get(i + c.chars().count())
                .is_some_and(|&n| is_name_char(n))
        {
            i += c.chars().count();
            continue;
        }
        if !is_name_char(chars[i]) || chars[i] == '第' {
            break;
        }
        i += 1;
        if let Some(title_end) = title_end(chars, at, i) {
            best = Some(title_end);
        }
    }
    let end = best?;
    let title: String = chars[at..end].iter().collect();
    if !plausible_title(&title) {
        return None;
    }
    if at > 0 && digit_value(chars[at - 1]).is_some() {
        return None;
    }
    // 「市の規則」「町の条例」: a word before a connector is no title's start.
    let head = chars[at..end]
        .iter()
        .take_while(|&&c| is_name_char(c) || is_hiragana(c))
        .count();
    if head < 2 && CONNECTORS.iter().any(|c| title.contains(c)) {
        return None;
    }
    Some(named_at(chars, at, end))
}

/// `end` when chars[at..end] is a statute's title cited as such.
fn title_end(chars: &[char], at: usize, end: usize) -> Option<usize> {
    // Every title ends in one of 法 律 令 例 則 程: a cheap test first.
    if !matches!(chars[end - 1], '法' | '律' | '令' | '例' | '則' | '程') {
        return None;
    }
    let title = &chars[at..end];
    let suffix = SUFFIXES.iter().find(|s| ends_with(title, s))?;
    if NOT_FIRST.contains(chars[at])
        || title.len() <= suffix.chars().count()
        || NOT_STATUTES.iter().any(|w| is_word(title, w))
    {
        return None;
    }
    // 「建築基準法施行令」: the title goes on.
    if chars
        .get(end)
        .is_some_and(|&c| is_name_char(c) && c != '第')
    {
        return None;
    }
    if !AFTER_NAME.iter().any(|w| starts_with(chars, end, w)) {
        return None;
    }
    // A 〜法 word with a parenthesis that is no law number (「方法（…）」) is
    // no citation; a 2-character 〜法 needs a place or a number (民法第九条).
    if chars.get(end) == Some(&'（') {
        let close = closing(chars, end)?;
        let inner: String = chars[end + 1..close].iter().collect();
        law_number(&inner).or_else(|| definition(&inner))?;
    }
    if title.len() == 2 && !matches!(chars.get(end), Some('第' | '（')) {
        return None;
    }
    Some(end)
}

/// A place with no statute before it (第3条, 前項): in the citing text
/// itself, or continuing the statute of the citation just before it
/// (「法第32条第1項又は第3項」).
fn bare_place(chars: &[char], at: usize, last: Option<&Cited>) -> Option<Cited> {
    if !matches!(chars[at], '第' | '前' | '次' | '同') {
        return None;
    }
    let (place, end) = place(chars, at)?;
    // 様式第1号, 別表第2, 附則第3項, 第1号様式: forms and tables, not places.
    let before = &chars[..at];
    if ["様式", "別表", "別記", "附則", "表", "図", "記"]
        .iter()
        .any(|w| ends_with(before, w))
        || before
            .last()
            .is_some_and(|c| matches!(c, '律' | '令' | '例' | '則' | '程' | '示' | '訓'))
        || chars.get(end).is_some_and(|&c| matches!(c, '様' | '表'))
    {
        return None;
    }
    // 前条, 次項: always the citing 例規's own; a joined place continues the
    // citation before it (its statute, and its article for a bare 項).
    let relative = matches!(place.article, Some(Step::Previous | Step::Next))
        || place.article.is_none() && matches!(place.paragraph, Some(Step::Previous | Step::Next));
    let (target, place) = match last {
        Some(last) if !relative && joined(chars, last.end, at) => {
            (last.target.clone(), inherit(place, last.place.as_ref()))
        }
        _ => (Target::This, place),
    };
    let carried_out = CARRIED_OUT.iter().any(|w| starts_with(chars, end, w));
    Some(Cited {
        target,
        place: Some(place),
        carried_out,
        defines: None,
        style: style_of(&chars[at..end]),
        place_text: Some(chars[at..end].iter().collect()),
        start: at,
        end,
    })
}

/// True when only joining words (、及び 又は …) lie between two citations.
fn joined(chars: &[char], from: usize, to: usize) -> bool {
    if from > to {
        return false;
    }
    let mut rest = &chars[from..to];
    while !rest.is_empty() {
        let joiner = [
            "、",
            "及び",
            "又は",
            "若しくは",
            "並びに",
            "から",
            "まで",
            "・",
            "，",
        ]
        .into_iter()
        .find(|j| starts_with(rest, 0, j));
        match joiner {
            Some(j) => rest = &rest[j.chars().count()..],
            None => return false,
        }
    }
    true
}

/// A place that names only a 項 or 号 takes the article (and 項) of the place before it.
fn inherit(place: Place, before: Option<&Place>) -> Place {
    let Some(before) = before else {
        return place;
    };
    if place.article.is_some() {
        return place;
    }
    if place.paragraph.is_some() {
        return Place {
            article: before.article.clone(),
            ..place
        };
    }
    Place {
        article: before.article.clone(),
        paragraph: before.paragraph.clone(),
        item: place.item,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named_title(c: &Cited) -> Option<&str> {
        match &c.target {
            Target::Named { title, .. } => Some(title),
            _ => None,
        }
    }

    #[test]
    fn a_defined_statute_gives_its_number_and_abbreviation() {
        let text = "この規則は、道路法(昭和27年法律第180号。以下「法」という。)の施行に関し必要な事項を定める。";
        let found = cited(text, &[]);
        assert_eq!(found[0].target, Target::This);
        let law = &found[1];
        assert_eq!(named_title(law), Some("道路法"));
        assert_eq!(
            law.target,
            Target::Named {
                title: "道路法".into(),
                number: Some("昭和27年法律第180号".into())
            }
        );
        assert_eq!(law.defines.as_deref(), Some("法"));
        assert!(law.carried_out, "の施行に関し carries the Act out");
    }

    #[test]
    fn an_abbreviation_with_places_joined_by_or() {
        let found = cited(
            "法第32条第1項又は第3項の規定による許可を受けようとする者は",
            &["法".to_string()],
        );
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(found[0].target, Target::Abbreviation("法".into()));
        assert_eq!(
            found[0].place,
            Some(Place {
                article: Some(Step::Number(vec![32])),
                paragraph: Some(Step::Number(vec![1])),
                item: None
            })
        );
        assert_eq!(found[1].target, Target::Abbreviation("法".into()));
        assert_eq!(
            found[1].place.as_ref().and_then(|p| p.article.clone()),
            Some(Step::Number(vec![32]))
        );
        assert!(found[1].carried_out);
    }

    #[test]
    fn long_titles_kanji_numerals_and_branch_articles() {
        let found = cited(
            "私的独占の禁止及び公正取引の確保に関する法律第二十四条の二第三項に規定する",
            &[],
        );
        assert_eq!(
            named_title(&found[0]),
            Some("私的独占の禁止及び公正取引の確保に関する法律")
        );
        assert_eq!(
            found[0].place.as_ref().and_then(|p| p.article.clone()),
            Some(Step::Number(vec![24, 2]))
        );
        let found = cited("地方自治法第244条の2第3項の規定に基づき", &[]);
        assert_eq!(named_title(&found[0]), Some("地方自治法"));
        let found = cited("都市計画の決定に係る都市計画法の規定による申請", &[]);
        assert_eq!(
            named_title(&found[0]),
            Some("都市計画法"),
            "not 「決定に係る都市計画法」"
        );
        let found = cited(
            "行政手続における特定の個人を識別するための番号の利用等に関する法律第十九条の規定により",
            &[],
        );
        assert_eq!(
            named_title(&found[0]),
            Some("行政手続における特定の個人を識別するための番号の利用等に関する法律")
        );
        assert!(found[0].carried_out);
    }

    #[test]
    fn words_ending_in_ho_are_not_statutes() {
        for text in [
            "電子情報処理組織を使用する方法により行う。",
            "この方法（以下同じ。）",
            "法令の規定により",
            "他の法律の規定により",
            "市長の命令により",
            "市の規則で定める",
            "第2条の規定による緑の基本計画の公表及び条例第9条",
            "（平成20年条例第57号）",
            "樹木若しくは緑地又は同法第110条第1項",
            "建築計画に係る法第6条の2第1項",
            "厚生労働省令で定める",
            "建築基準法令の規定に適合する",
            "次の方法第一号",
        ] {
            let found = cited(text, &[]);
            assert!(
                found.iter().all(|c| named_title(c).is_none()),
                "{text}: {found:?}"
            );
        }
    }

    #[test]
    fn a_numbered_title_may_hold_kana() {
        let found = cited(
            "この規則は、港区みどりを守る条例（平成二十年港区条例第五号。以下「条例」という。）の施行について定める。",
            &[],
        );
        assert_eq!(named_title(&found[1]), Some("港区みどりを守る条例"));
        assert_eq!(found[1].defines.as_deref(), Some("条例"));
        let found = cited(
            "の写しに建築基準法施行規則（昭和二十五年建設省令第四十号）第一条",
            &[],
        );
        assert_eq!(named_title(&found[0]), Some("建築基準法施行規則"));
        let found = cited(
            "この規則は、港区単身者向け共同住宅等の建築及び管理に関する条例(平成十六年港区条例第三十七号。以下「条例」という。)第二条第一号の規定に基づき",
            &[],
        );
        assert_eq!(
            named_title(&found[1]),
            Some("港区単身者向け共同住宅等の建築及び管理に関する条例")
        );
        let found = cited(
            "道路法(昭和27年法律第180号)及びつばき町道路占用料徴収条例(平成8年つばき町条例第9号)",
            &[],
        );
        assert_eq!(named_title(&found[1]), Some("つばき町道路占用料徴収条例"));
    }

    #[test]
    fn forms_and_tables_are_not_places() {
        let found = cited("様式第1号による申請書を別表第2に掲げる者に提出する", &[]);
        assert!(found.is_empty(), "{found:?}");
        let found = cited("第3号様式による", &[]);
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn same_statute_this_document_and_relative_places() {
        let found = cited("同法第5条及び前条の規定により、この条例第3条", &[]);
        assert_eq!(found[0].target, Target::Same("法".into()));
        assert_eq!(
            found[1].target,
            Target::This,
            "前条 is the citing 例規's own"
        );
        let found = cited("同法第5条及び第7条", &[]);
        assert_eq!(found[1].target, Target::Same("法".into()), "joined by 及び");
        let found = cited("前条の規定により届け出た者は、同条第2項", &[]);
        assert_eq!(found[0].target, Target::This);
        assert_eq!(
            found[0].place.as_ref().and_then(|p| p.article.clone()),
            Some(Step::Previous)
        );
        assert!(found[0].carried_out);
        assert_eq!(
            found[1].place.as_ref().and_then(|p| p.article.clone()),
            Some(Step::Same)
        );
    }

    #[test]
    fn a_law_number_in_kanji_and_a_place_after_it() {
        let found = cited(
            "建築基準法（昭和二十五年法律第二百一号）第十二条第一項の規定による報告",
            &[],
        );
        assert_eq!(
            found[0].target,
            Target::Named {
                title: "建築基準法".into(),
                number: Some("昭和二十五年法律第二百一号".into())
            }
        );
        assert_eq!(
            found[0].place.as_ref().and_then(|p| p.paragraph.clone()),
            Some(Step::Number(vec![1]))
        );
    }
}
