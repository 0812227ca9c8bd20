//! Stable anchors and safe file names.
//!
//! **Anchors** are derived from a provision's `normalized` form so that a link
//! to 第十二条の二第三項第一号 (`#j12-2_k3_g1`) survives a re-generation of the
//! report. The normal form is split on `/` and each part gets a letter:
//!
//! | part of `normalized` | anchor | example |
//! |---|---|---|
//! | article `12-2` | `j` (条) | `12-2` → `j12-2` |
//! | paragraph | `k` (項) | `12-2/3` → `j12-2_k3` |
//! | item | `g` (号) | `12-2/3/1` → `j12-2_k3_g1` |
//! | sub-item (イ, (1), ア …) | `s` + its number or the kana in rōmaji | `2/1/7/ロ/(4)` → `j2_k1_g7_sro_s4` |
//! | 附則 block `S2` | `f` (附則) | `S2/0/1` → `f2_j0_k1`, `S5/11` → `f5_j11` |
//! | 別表 `A3` | `b` (別表) | `A3/26` → `b3_g26`, `A2/2/イ` → `b2_g2_si` |
//! | row of a 別表's table `r12` | `r` (行), wherever it sits | `A3/r12` → `b3_r12`, `A1/2/r3` → `b1_g2_r3` |
//! | 編・章・節・款・目 | `hen`, `sho`, `setsu`, `kan`, `moku`, under their parent division | 第二章第一節 → `sho2_setsu1` |
//!
//! Article numbers keep their `-` (の); `:` (第八条及び第九条, `8:9`) becomes
//! `t` (`j8t9`). Anything else that is not an ASCII letter, digit or `-`
//! (a label tenken could not number) becomes `x` and 8 hex digits of a hash of
//! the part. Brackets around a sub-item label are dropped. When two provisions
//! of a page would get the same anchor, the later ones get `-2`, `-3` ….
//!
//! **File names** of pages come from the 例規's path: every character that is
//! not a letter or digit (any script) becomes `_`, the result is cut to 48
//! characters, and a hash of the full path is appended (`jorei_kokokushiki_jorei_html-1a2b3c4d5e`),
//! so no name can climb out of the output folder (`../`, `/`, `\`, `:` are
//! all replaced) and two paths never share a page.

use crate::structure::numbers::{item_number, parse_number};

/// FNV-1a, 64 bits, of a text: a small stable hash (the same on every run and platform).
pub fn fnv1a(text: &str) -> u64 {
    crate::hashing::fnv64_bytes(text.as_bytes())
}

/// A file-name stem that is safe on every file system: letters and digits
/// of the path, `_` for the rest, and a hash of the whole path.
pub fn safe_name(path: &str) -> String {
    let mut stem = String::new();
    let mut last_underscore = true;
    for c in path.chars() {
        if c.is_alphanumeric() {
            stem.push(c);
            last_underscore = false;
        } else if !last_underscore {
            stem.push('_');
            last_underscore = true;
        }
        if stem.chars().count() >= 48 {
            break;
        }
    }
    let stem = stem.trim_end_matches('_');
    let hash = format!("{:010x}", fnv1a(path) & 0xff_ffff_ffff);
    if stem.is_empty() {
        hash
    } else {
        format!("{stem}-{hash}")
    }
}

/// A name that is already safe (ASCII letters, digits, `_`, `-`, as taxonomy
/// codes are) is kept as it is; anything else goes through [`safe_name`].
pub fn safe_name_plain(name: &str) -> String {
    let plain = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        name.to_string()
    } else {
        safe_name(name)
    }
}

/// Percent-encodes a relative URL path (keeps ASCII letters, digits, `-_./`).
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'/') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The anchor of a division (章, 節 …) from its normal form (`chapter2`,
/// `section1`, `chapter3-2`); `parent` is the enclosing division's anchor.
pub fn division_anchor(normalized: &str, parent: Option<&str>) -> String {
    const NAMES: [(&str, &str); 5] = [
        ("subsection", "kan"),
        ("section", "setsu"),
        ("chapter", "sho"),
        ("division", "moku"),
        ("part", "hen"),
    ];
    let own = NAMES
        .iter()
        .find_map(|(word, short)| {
            normalized
                .strip_prefix(word)
                .map(|rest| format!("{short}{}", ascii_part(rest)))
        })
        .unwrap_or_else(|| format!("d{}", ascii_part(normalized)));
    match parent {
        Some(parent) => format!("{parent}_{own}"),
        None => own,
    }
}

/// The anchor of an article, paragraph, item, sub-item, 附則 or 別表 from its
/// normal form (see the module documentation).
pub fn anchor(normalized: &str) -> String {
    let parts: Vec<&str> = normalized.split('/').collect();
    let mut out: Vec<String> = Vec::new();
    // The letters of the parts after the first, in order.
    let letters: &[&str] = match parts[0].chars().next() {
        Some('S') if parts[0][1..].chars().all(|c| c.is_ascii_digit()) && parts[0].len() > 1 => {
            out.push(format!("f{}", &parts[0][1..]));
            &["j", "k", "g"]
        }
        Some('A') if parts[0][1..].chars().all(|c| c.is_ascii_digit()) && parts[0].len() > 1 => {
            out.push(format!("b{}", &parts[0][1..]));
            &["g"]
        }
        _ => {
            out.push(format!("j{}", ascii_part(parts[0])));
            &["k", "g"]
        }
    };
    for (i, part) in parts.iter().enumerate().skip(1) {
        if let Some(row) = row_number(part) {
            out.push(format!("r{row}"));
            continue;
        }
        match letters.get(i - 1) {
            Some(letter) => out.push(format!("{letter}{}", ascii_part(part))),
            None => out.push(format!("s{}", subitem_part(part))),
        }
    }
    out.join("_")
}

/// The number of a table row's part (`r12` → 12).
fn row_number(part: &str) -> Option<u32> {
    part.strip_prefix('r')?.parse().ok()
}

/// An article or paragraph number: digits and `-` as they are, `:` as `t`.
fn ascii_part(part: &str) -> String {
    if part
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == ':')
    {
        part.replace(':', "t")
    } else {
        hashed(part)
    }
}

fn hashed(part: &str) -> String {
    format!("x{:08x}", fnv1a(part) & 0xffff_ffff)
}

/// A sub-item label: its number ((1), (一), 1) or its kana in rōmaji (イ → i).
fn subitem_part(part: &str) -> String {
    if let Some(n) = item_number(part).or_else(|| parse_number(part)) {
        return n.to_string();
    }
    let inner: Vec<char> = part
        .chars()
        .filter(|c| !matches!(c, '(' | ')' | '（' | '）' | '〔' | '〕'))
        .collect();
    if let [kana] = inner.as_slice()
        && let Some(romaji) = kana_romaji(*kana)
    {
        return romaji.to_string();
    }
    hashed(part)
}

fn kana_romaji(c: char) -> Option<&'static str> {
    const KANA: [(char, &str); 48] = [
        ('ア', "a"),
        ('イ', "i"),
        ('ウ', "u"),
        ('エ', "e"),
        ('オ', "o"),
        ('カ', "ka"),
        ('キ', "ki"),
        ('ク', "ku"),
        ('ケ', "ke"),
        ('コ', "ko"),
        ('サ', "sa"),
        ('シ', "shi"),
        ('ス', "su"),
        ('セ', "se"),
        ('ソ', "so"),
        ('タ', "ta"),
        ('チ', "chi"),
        ('ツ', "tsu"),
        ('テ', "te"),
        ('ト', "to"),
        ('ナ', "na"),
        ('ニ', "ni"),
        ('ヌ', "nu"),
        ('ネ', "ne"),
        ('ノ', "no"),
        ('ハ', "ha"),
        ('ヒ', "hi"),
        ('フ', "fu"),
        ('ヘ', "he"),
        ('ホ', "ho"),
        ('マ', "ma"),
        ('ミ', "mi"),
        ('ム', "mu"),
        ('メ', "me"),
        ('モ', "mo"),
        ('ヤ', "ya"),
        ('ユ', "yu"),
        ('ヨ', "yo"),
        ('ラ', "ra"),
        ('リ', "ri"),
        ('ル', "ru"),
        ('レ', "re"),
        ('ロ', "ro"),
        ('ワ', "wa"),
        ('ヰ', "wi"),
        ('ヱ', "we"),
        ('ヲ', "wo"),
        ('ン', "n"),
    ];
    KANA.iter().find(|(k, _)| *k == c).map(|(_, r)| *r)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_follow_the_documented_scheme() {
        assert_eq!(anchor("12-2/3/1"), "j12-2_k3_g1");
        assert_eq!(anchor("12-2"), "j12-2");
        assert_eq!(anchor("4/2"), "j4_k2");
        assert_eq!(anchor("0/2"), "j0_k2");
        assert_eq!(anchor("S2/0/1"), "f2_j0_k1");
        assert_eq!(anchor("S2"), "f2");
        assert_eq!(anchor("S5/11"), "f5_j11");
        assert_eq!(anchor("S14/0/1/3"), "f14_j0_k1_g3");
        assert_eq!(anchor("S12/0/2/1/イ"), "f12_j0_k2_g1_si");
        assert_eq!(anchor("A1"), "b1");
        assert_eq!(anchor("A3/26"), "b3_g26");
        assert_eq!(anchor("A2/3/(ロ)"), "b2_g3_sro");
        assert_eq!(anchor("A3/r12"), "b3_r12");
        assert_eq!(anchor("A1/2/r3"), "b1_g2_r3");
        assert_eq!(anchor("2/1/7/ロ/(4)"), "j2_k1_g7_sro_s4");
        assert_eq!(anchor("25/5/2/イ/(一)"), "j25_k5_g2_si_s1");
        assert_eq!(anchor("4/2/3/ア"), "j4_k2_g3_sa");
        assert_eq!(anchor("8:9/1"), "j8t9_k1");
        let odd = anchor("第十九条及第二十条/1");
        assert!(odd.starts_with("jx") && odd.ends_with("_k1"), "{odd}");
        assert!(
            odd.chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_".contains(c))
        );
        assert_eq!(division_anchor("chapter2", None), "sho2");
        assert_eq!(division_anchor("section1", Some("sho2")), "sho2_setsu1");
        assert_eq!(division_anchor("chapter3-2", None), "sho3-2");
    }

    #[test]
    fn safe_names_stay_in_their_folder() {
        for path in [
            "../../etc/passwd",
            "/abs/path.txt",
            "a\\..\\b.txt",
            "..",
            "",
            "C:\\x.html",
        ] {
            let name = safe_name(path);
            assert!(!name.is_empty());
            assert!(!name.contains('/') && !name.contains('\\') && !name.contains('.'));
            assert!(!name.starts_with('_'), "{name}");
        }
        assert_ne!(safe_name("a/b.txt"), safe_name("a_b.txt"));
        assert!(
            safe_name("jorei/kokokushiki_jorei.html").starts_with("jorei_kokokushiki_jorei_html-")
        );
        assert!(
            safe_name("tokyo/（令和7年3月）江戸川区.txt")
                .starts_with("tokyo_令和7年3月_江戸川区_txt-")
        );
        assert_eq!(url_path("docs/a b.html"), "docs/a%20b.html");
    }
}
