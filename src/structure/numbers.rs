//! Numbers as legal texts print them: kanji numerals (十二, 二〇), full-width and
//! half-width digits, and the labels built from them (第十二条の二, （３）, イ).
//! Everything here is pure and small so that citations compare equal whatever
//! numeral style the source used.

/// Value of one kanji digit, if it is one.
fn kanji_digit(c: char) -> Option<u32> {
    Some(match c {
        '〇' | '零' | '○' => 0,
        '一' | '壱' => 1,
        '二' | '弐' => 2,
        '三' | '参' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn kanji_unit(c: char) -> Option<u32> {
    Some(match c {
        '十' | '拾' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

/// Value of an ASCII or full-width digit.
pub fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// True for the characters that make up a number in any of the styles.
pub fn is_numeral(c: char) -> bool {
    digit_value(c).is_some() || kanji_digit(c).is_some() || kanji_unit(c).is_some()
}

/// Parses 十二, 百二十三, 二〇 (positional), 元 (first year), 12 or １２.
/// Returns None when the string is not a number.
pub fn parse_number(s: &str) -> Option<u32> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s == "元" {
        return Some(1);
    }
    if s.chars().all(|c| digit_value(c).is_some()) {
        return s.chars().try_fold(0u32, |acc, c| {
            acc.checked_mul(10)?.checked_add(digit_value(c)?)
        });
    }
    if !s
        .chars()
        .all(|c| kanji_digit(c).is_some() || kanji_unit(c).is_some())
    {
        return None;
    }
    let (mut total, mut current) = (0u32, 0u32);
    for c in s.chars() {
        if let Some(d) = kanji_digit(c) {
            current = current.checked_mul(10)?.checked_add(d)?;
        } else if let Some(u) = kanji_unit(c) {
            total = total.checked_add(if current == 0 { 1 } else { current }.checked_mul(u)?)?;
            current = 0;
        }
    }
    total.checked_add(current)
}

/// How a source prints numbers, so that citations we build follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum NumeralStyle {
    #[default]
    Kanji,
    FullWidth,
    Ascii,
}

impl NumeralStyle {
    /// The style of the first numeral in a label (第12条 → Ascii).
    pub fn of(label: &str) -> NumeralStyle {
        for c in label.chars() {
            match c {
                '0'..='9' => return NumeralStyle::Ascii,
                '０'..='９' => return NumeralStyle::FullWidth,
                _ if kanji_digit(c).is_some() || kanji_unit(c).is_some() => {
                    return NumeralStyle::Kanji;
                }
                _ => {}
            }
        }
        NumeralStyle::Kanji
    }

    /// Prints n in this style (12 → 十二 / １２ / 12).
    pub fn print(self, n: u32) -> String {
        match self {
            NumeralStyle::Ascii => n.to_string(),
            NumeralStyle::FullWidth => n
                .to_string()
                .chars()
                .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
                .collect(),
            NumeralStyle::Kanji => to_kanji(n),
        }
    }
}

/// 12 → 十二, 105 → 百五, 2024 → 二千二十四.
pub fn to_kanji(n: u32) -> String {
    const DIGITS: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    if n == 0 {
        return DIGITS[0].to_string();
    }
    if n >= 10000 {
        return n.to_string();
    }
    let mut out = String::new();
    for (unit, name) in [(1000, "千"), (100, "百"), (10, "十")] {
        let d = (n / unit) % 10;
        if d > 1 {
            out.push_str(DIGITS[d as usize]);
        }
        if d > 0 {
            out.push_str(name);
        }
    }
    let ones = n % 10;
    if ones > 0 {
        out.push_str(DIGITS[ones as usize]);
    }
    out
}

/// The numbers of an article label: 第十二条の二 → [12, 2], 第12条の2の3 → [12, 2, 3].
/// Works for any unit character (条, 章, 節, 款, 目, 編, 号, 項).
pub fn label_numbers(label: &str, unit: char) -> Option<Vec<u32>> {
    let compact: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    let rest = compact.strip_prefix('第')?;
    let (main, branches) = rest.split_once(unit)?;
    let mut numbers = vec![parse_number(main)?];
    for branch in branches.split(['の', 'ノ']).skip(1) {
        numbers.push(parse_number(branch)?);
    }
    if !branches.is_empty() && !branches.starts_with(['の', 'ノ']) {
        return None;
    }
    Some(numbers)
}

/// 12-2 from [12, 2].
pub fn join_numbers(numbers: &[u32]) -> String {
    numbers
        .iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join("-")
}

/// The number inside an item label: 一 → 1, (3) → 3, （１２） → 12, 3 → 3.
pub fn item_number(label: &str) -> Option<u32> {
    let inner = label
        .trim()
        .trim_matches(|c| matches!(c, '(' | ')' | '（' | '）' | '第' | '号'));
    parse_number(inner)
}

const IROHA: &str = "イロハニホヘトチリヌルヲワカヨタレソツネナラムウヰノオクヤマケフコエテアサキユメミシヱヒモセス";
const AIUEO: &str =
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン";

/// Position (1-based) of a kana label in the イロハ order.
pub fn iroha_index(c: char) -> Option<u32> {
    IROHA.chars().position(|k| k == c).map(|i| i as u32 + 1)
}

/// Position (1-based) of a kana label in the アイウ order.
pub fn aiueo_index(c: char) -> Option<u32> {
    AIUEO.chars().position(|k| k == c).map(|i| i as u32 + 1)
}

/// Full-width digits and ASCII brackets into one canonical form for
/// normalised citations: （１） → (1), ２ → 2.
pub fn canonical_label(label: &str) -> String {
    label
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            _ => digit_value(c)
                .and_then(|d| char::from_digit(d, 10))
                .unwrap_or(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_kanji_numbers() {
        assert_eq!(parse_number("十二"), Some(12));
        assert_eq!(parse_number("百二十三"), Some(123));
        assert_eq!(parse_number("二千二十四"), Some(2024));
        assert_eq!(parse_number("二一"), Some(21));
        assert_eq!(parse_number("一〇"), Some(10));
        assert_eq!(parse_number("１２"), Some(12));
        assert_eq!(parse_number("元"), Some(1));
        assert_eq!(parse_number("十"), Some(10));
        assert_eq!(parse_number("イ"), None);
        assert_eq!(parse_number(""), None);
        assert_eq!(parse_number("99999999999999"), None);
    }

    #[test]
    fn prints_kanji_numbers() {
        for n in [1, 9, 10, 11, 20, 99, 100, 105, 110, 999, 1000, 2024] {
            assert_eq!(parse_number(&to_kanji(n)), Some(n), "{n}");
        }
        assert_eq!(to_kanji(12), "十二");
        assert_eq!(NumeralStyle::FullWidth.print(12), "１２");
    }

    #[test]
    fn article_labels_compare_equal_across_styles() {
        assert_eq!(label_numbers("第十二条の二", '条'), Some(vec![12, 2]));
        assert_eq!(label_numbers("第12条の2", '条'), Some(vec![12, 2]));
        assert_eq!(label_numbers("第１２条の２", '条'), Some(vec![12, 2]));
        assert_eq!(label_numbers("第 一 条", '条'), Some(vec![1]));
        assert_eq!(label_numbers("第七条ノ二", '条'), Some(vec![7, 2]));
        assert_eq!(label_numbers("第一条第二項", '条'), None);
        assert_eq!(label_numbers("第三章", '章'), Some(vec![3]));
        assert_eq!(label_numbers("前条", '条'), None);
    }

    #[test]
    fn item_and_kana_labels() {
        assert_eq!(item_number("（１２）"), Some(12));
        assert_eq!(item_number("(3)"), Some(3));
        assert_eq!(item_number("十一"), Some(11));
        assert_eq!(iroha_index('ハ'), Some(3));
        assert_eq!(aiueo_index('ウ'), Some(3));
        assert_eq!(canonical_label("（１）"), "(1)");
    }
}
