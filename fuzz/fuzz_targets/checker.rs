//! The essay checker (`kinograph check`, the editor's view, `POST /api/check`) on any text,
//! against the demo world in memory: a report whose mentions, claims and sections all lie
//! inside the text on character boundaries — never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    kinograph_fuzz::with_demo(|demo| {
        let report = demo
            .checker
            .check(&demo.store, &text)
            .expect("the in-memory catalog answers");
        kinograph_fuzz::assert_report_inside(&text, &report);
    });
});
