//! The small stable hashes tenken keeps in its outputs and caches (the same
//! on every run and platform, never for security): 64-bit FNV-1a of strings
//! and bytes (finding ids, provision ids, rule fingerprints, report anchors,
//! the hashes of the files a scan wrote) and a word-wise variant for whole
//! files' contents (the index's record of what it read).

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// A 64-bit FNV-1a hash of some strings, each followed by a NUL.
pub fn fnv64(parts: &[&str]) -> u64 {
    let mut hash: u64 = FNV_OFFSET;
    for part in parts {
        hash = fnv64_continue(hash, part.as_bytes());
        hash = fnv64_continue(hash, &[0]);
    }
    hash
}

/// A 64-bit FNV-1a hash of some bytes.
pub fn fnv64_bytes(bytes: &[u8]) -> u64 {
    fnv64_continue(FNV_OFFSET, bytes)
}

fn fnv64_continue(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// A 64-bit hash of a file's bytes (8 bytes at a time), with its length.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut hash: u64 = FNV_OFFSET ^ bytes.len() as u64;
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash ^ u64::from_le_bytes(word)).wrapping_mul(FNV_PRIME);
        hash ^= hash >> 29;
    }
    for byte in chunks.remainder() {
        hash = (hash ^ u64::from(*byte)).wrapping_mul(FNV_PRIME);
    }
    format!("{hash:016x}-{}", bytes.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_has_its_published_values() {
        assert_eq!(fnv64_bytes(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv64_bytes(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv64(&["a"]), fnv64_bytes(b"a\0"));
    }

    #[test]
    fn content_hashes_differ_on_any_byte_and_length() {
        let a = content_hash(b"abcdefghij");
        assert_eq!(a, content_hash(b"abcdefghij"));
        assert_ne!(a, content_hash(b"abcdefghik"));
        assert_ne!(a, content_hash(b"abcdefghij\0"));
        assert_ne!(content_hash(b""), content_hash(b"\0"));
    }
}
