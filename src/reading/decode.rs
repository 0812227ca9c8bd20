//! Decoding: recognises the encoding of a file from its bytes (BOM, UTF-8
//! validity, then Shift_JIS against EUC-JP) and returns the text with line ends
//! normalised to LF. Binary files (PDF, ZIP, images, NUL bytes) are refused.

use encoding_rs::{EUC_JP, Encoding, SHIFT_JIS};

use super::ReadError;

/// Text decoded from a file, with the name of the encoding it was in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
}

const MAGIC: [(&[u8], &str); 7] = [
    (b"%PDF", "PDF 文書"),
    (b"PK\x03\x04", "ZIP 形式のファイル（.docx・.xlsx など）"),
    (b"\x89PNG", "PNG 画像"),
    (b"GIF8", "GIF 画像"),
    (b"\xFF\xD8\xFF", "JPEG 画像"),
    (b"\xD0\xCF\x11\xE0", "古い形式の Microsoft Office 文書"),
    (b"\x1F\x8B", "gzip 圧縮ファイル"),
];

/// Decodes a file's bytes into text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ReadError::Empty);
    }
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Err(ReadError::Binary(what));
    }
    if let Some((encoding, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        return decode_strict(body, encoding).ok_or_else(|| ReadError::UndecodableAs {
            encoding: encoding.name(),
            offset: bom_len + valid_up_to(body, encoding),
        });
    }
    if bytes.iter().take(65536).any(|&b| b == 0) {
        return Err(ReadError::Binary("NUL バイトを含むバイナリファイル"));
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: normalise_newlines(text),
            encoding: "UTF-8",
        });
    }
    let sjis = decode_strict(bytes, SHIFT_JIS);
    let euc = decode_strict(bytes, EUC_JP);
    match (sjis, euc) {
        (Some(s), Some(e)) => Ok(if prefer_euc(bytes, &s.text, &e.text) {
            e
        } else {
            s
        }),
        (Some(s), None) => Ok(s),
        (None, Some(e)) => Ok(e),
        (None, None) => Err(undecodable(bytes)),
    }
}

/// Decodes without replacement characters; None when a byte sequence is invalid.
fn decode_strict(bytes: &[u8], encoding: &'static Encoding) -> Option<Decoded> {
    let text = encoding.decode_without_bom_handling_and_without_replacement(bytes)?;
    let name = match encoding.name() {
        "Shift_JIS" => "Shift_JIS",
        "EUC-JP" => "EUC-JP",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16BE" => "UTF-16BE",
        _ => "UTF-8",
    };
    Some(Decoded {
        text: normalise_newlines(&text),
        encoding: name,
    })
}

/// When both Shift_JIS and EUC-JP decode a file, the declared charset decides,
/// else the reading with more hiragana and fewer half-width katakana wins.
fn prefer_euc(bytes: &[u8], sjis: &str, euc: &str) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_lowercase();
    if head.contains("charset=euc") {
        return true;
    }
    if head.contains("charset=shift_jis") || head.contains("charset=sjis") {
        return false;
    }
    score(euc) > score(sjis)
}

fn score(text: &str) -> i64 {
    text.chars()
        .map(|c| match c {
            'ぁ'..='ゖ' => 2,
            '、' | '。' => 2,
            '\u{FF61}'..='\u{FF9F}' => -3,
            _ => 0,
        })
        .sum()
}

/// The error for bytes no encoding accepts: the first bad byte of the reading
/// that got furthest (UTF-8, Shift_JIS or EUC-JP).
fn undecodable(bytes: &[u8]) -> ReadError {
    let utf8 = match std::str::from_utf8(bytes) {
        Ok(_) => bytes.len(),
        Err(e) => e.valid_up_to(),
    };
    let offset = [
        utf8,
        valid_up_to(bytes, SHIFT_JIS),
        valid_up_to(bytes, EUC_JP),
    ]
    .into_iter()
    .max()
    .unwrap_or(0);
    ReadError::Undecodable {
        byte: bytes.get(offset).copied().unwrap_or(0),
        offset,
    }
}

/// How many bytes decode cleanly in `encoding` (an offset just before the bad sequence).
fn valid_up_to(bytes: &[u8], encoding: &'static Encoding) -> usize {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(bytes.len() * 3);
    let (result, read) = decoder.decode_to_string_without_replacement(bytes, &mut out, true);
    match result {
        encoding_rs::DecoderResult::Malformed(bad, after) => {
            read.saturating_sub(usize::from(bad) + usize::from(after))
        }
        _ => read,
    }
}

/// CRLF and lone CR become LF.
fn normalise_newlines(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_encodings() {
        let text = "第一条　この条例は、公告の方式を定める。\r\n";
        let (sjis, _, _) = SHIFT_JIS.encode(text);
        let (euc, _, _) = EUC_JP.encode(text);
        assert_eq!(decode(&sjis).map(|d| d.encoding).ok(), Some("Shift_JIS"));
        assert_eq!(decode(&euc).map(|d| d.encoding).ok(), Some("EUC-JP"));
        let decoded = decode(text.as_bytes()).expect("utf-8");
        assert_eq!(decoded.text, "第一条　この条例は、公告の方式を定める。\n");
        let mut utf16 = vec![0xFF, 0xFE];
        for unit in text.encode_utf16() {
            utf16.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&utf16).map(|d| d.encoding).ok(), Some("UTF-16LE"));
    }

    #[test]
    fn shift_jis_errors_point_at_the_bad_byte() {
        let (mut bytes, _, _) = SHIFT_JIS.encode("第一条　本文");
        let mut bytes = bytes.to_mut().clone();
        let at = bytes.len();
        bytes.extend_from_slice(&[0x82, 0xFF]);
        match decode(&bytes) {
            Err(ReadError::Undecodable { offset, .. }) => assert_eq!(offset, at),
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }

    #[test]
    fn refuses_invalid_bytes_with_their_offset() {
        let mut bytes = "第一条".as_bytes().to_vec();
        bytes.extend_from_slice(&[0xFF, 0xFF, 0xFF]);
        match decode(&bytes) {
            Err(e @ ReadError::Undecodable { byte, offset }) => {
                assert_eq!(byte, 0xFF);
                assert_eq!(offset, 9);
                // The message counts bytes from 1, as a person does.
                assert!(
                    e.to_string().contains("（先頭から 10 バイト目に 0xFF）"),
                    "{e}"
                );
            }
            other => panic!("expected Undecodable, got {other:?}"),
        }
    }

    #[test]
    fn utf16_errors_name_the_encoding_of_the_bom() {
        // 第 then an unpaired high surrogate.
        let bytes = [0xFF, 0xFE, 0x2C, 0x7B, 0x00, 0xD8, 0x41, 0x00];
        match decode(&bytes) {
            Err(e @ ReadError::UndecodableAs { .. }) => {
                assert_eq!(
                    e.to_string(),
                    "UTF-16LE として読めません。先頭の BOM は UTF-16LE を示していますが、\
                     先頭から 5 バイト目に正しくないバイト列があります \
                     (cannot decode the text as UTF-16LE)"
                );
            }
            other => panic!("expected UndecodableAs, got {other:?}"),
        }
    }
}
