//! The e-Gov XML reader: any UTF-8 after an XML declaration and a `<Law>` tag.

#![no_main]

use libfuzzer_sys::fuzz_target;
use tenken::structure::Format;

mod common;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let xml = format!("<?xml version=\"1.0\"?><Law>{text}");
    common::read_as(&xml, Format::EgovXml);
});
