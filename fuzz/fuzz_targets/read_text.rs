//! The plain/Markdown text reader: any UTF-8 with `<` replaced, so that
//! detection never takes it for XML or HTML.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tenken::structure::Format;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    common::read_as(&text.replace('<', "＜"), Format::Text);
});
