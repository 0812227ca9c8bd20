//! Any bytes through the whole reading path: binary refusal, encoding
//! detection, format detection and whichever reader that picks.

#![no_main]

use libfuzzer_sys::fuzz_target;

mod common;

fuzz_target!(|data: &[u8]| {
    common::read_and_check(data);
});
