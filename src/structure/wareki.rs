//! Japanese era dates (和暦) into ISO dates: 平成十五年三月二十日 → 2003-03-20,
//! 令和元年5月1日 → 2019-05-01, 平成二一年一二月二八日 → 2009-12-28.

use regex::Regex;
use std::sync::LazyLock;

use super::numbers::parse_number;

const ERAS: [(&str, u32); 5] = [
    ("明治", 1867),
    ("大正", 1911),
    ("昭和", 1925),
    ("平成", 1988),
    ("令和", 2018),
];

const NUM: &str = "[0-9０-９〇○一二三四五六七八九十百元]+";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(明治|大正|昭和|平成|令和)\s*({NUM})\s*年\s*({NUM})\s*月\s*({NUM})\s*日"
    ))
    .expect("date pattern is valid")
});

/// A date found in a text: where it is, as printed, and as ISO 8601.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundDate {
    pub printed: String,
    pub iso: String,
    /// Byte range of the printed date in the searched text.
    pub range: std::ops::Range<usize>,
}

/// The first 和暦 date in `text`, if any, converted to ISO.
pub fn find_date(text: &str) -> Option<FoundDate> {
    DATE.captures_iter(text).find_map(|caps| {
        let whole = caps.get(0)?;
        let era = ERAS.iter().find(|(name, _)| *name == &caps[1])?.1;
        let year = era + parse_number(&caps[2])?;
        let month = parse_number(&caps[3])?;
        let day = parse_number(&caps[4])?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        Some(FoundDate {
            printed: whole.as_str().to_string(),
            iso: format!("{year:04}-{month:02}-{day:02}"),
            range: whole.range(),
        })
    })
}

/// Converts a string that is (or contains) one 和暦 date.
pub fn to_iso(text: &str) -> Option<String> {
    find_date(text).map(|d| d.iso)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_era_dates() {
        assert_eq!(
            to_iso("平成十五年三月二十日").as_deref(),
            Some("2003-03-20")
        );
        assert_eq!(to_iso("令和元年5月1日").as_deref(), Some("2019-05-01"));
        assert_eq!(
            to_iso("平成二一年一二月二八日").as_deref(),
            Some("2009-12-28")
        );
        assert_eq!(
            to_iso("昭和４３年９月１０日").as_deref(),
            Some("1968-09-10")
        );
        assert_eq!(
            to_iso("明治二十九年二月二十一日").as_deref(),
            Some("1896-02-21")
        );
        assert_eq!(
            to_iso("（昭和五十七年三月三十一日大蔵省令第十五号）").as_deref(),
            Some("1982-03-31")
        );
        assert_eq!(to_iso("平成十五年十三月一日"), None);
        assert_eq!(to_iso("公布の日"), None);
    }
}
