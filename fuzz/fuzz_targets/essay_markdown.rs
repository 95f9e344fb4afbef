//! An essay as the site shows it: the file parsed as `kinograph import essay` does (TOML front
//! matter, then Markdown), its body checked against the demo world, then rendered by the web
//! crate's `essay_html` (pulldown-cmark, the check's mentions and claims woven in, spoilers,
//! ammonia) — the path every published essay takes. Never a panic, and never a `<script>` out.
//!
//! `annotate.rs` is private to the web crate and needs nothing of it but its own imports, so it
//! is compiled here from the web crate's source: the same code, without building the server.
#![no_main]

#[allow(dead_code)]
#[path = "../../crates/web/src/annotate.rs"]
mod annotate;

use kinograph_import::essay;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // A file with front matter gives its body; text that is not an essay file is rendered as
    // it is, so that every input reaches the renderer.
    let body = match essay::parse(text, "fuzz.md") {
        Ok(file) => file.body,
        Err(_) => text.to_string(),
    };
    kinograph_fuzz::with_demo(|demo| {
        let report = demo
            .checker
            .check(&demo.store, &body)
            .expect("the in-memory catalog answers");
        let html = annotate::essay_html(&body, &report);
        assert!(!html.to_ascii_lowercase().contains("<script"), "{html}");
    });
});
