//! The Reiki-Base HTML reader: any UTF-8 inside a `div.eline` of a page.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tenken::structure::Format;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let page = format!("<html><body><div class=\"eline\">{text}</div></body></html>");
    common::read_as(&page, Format::ReikiBaseHtml);
});
