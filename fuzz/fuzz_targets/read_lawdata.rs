//! The law-data HTML reader: any UTF-8 inside a `DIV class="item"` of a page.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tenken::structure::Format;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let page = format!("<HTML><BODY><DIV class=\"item\">{text}</DIV></BODY></HTML>");
    common::read_as(&page, Format::LawDataHtml);
});
