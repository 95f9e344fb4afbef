//! The checker on the model essay in `../shared/fixtures` (read in place, never copied), when it
//! is there.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::Path;

use kinograph_checker::sections::sections;

fn model_essay() -> Option<String> {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/anora-essay.txt");
    match std::fs::read_to_string(path) {
        Ok(text) => Some(text),
        Err(_) => {
            let _ = writeln!(
                std::io::stderr(),
                "skipping: ../shared/fixtures not found beside the checkout"
            );
            None
        }
    }
}

/// The essay's five headings (their text stays in ../shared: the project copies no prose; the
/// issue names them), told by their first words and lengths.
#[test]
fn the_model_essays_five_headings_are_its_sections() {
    let Some(essay) = model_essay() else { return };
    let found = sections(&essay);
    let shapes: Vec<(String, usize)> = found
        .iter()
        .map(|s| {
            (
                s.title.split(' ').next().unwrap_or("").to_string(),
                s.title.split(' ').count(),
            )
        })
        .collect();
    let expected = [
        ("Sean", 7),
        ("Finding", 6),
        ("The", 4),
        ("A", 3),
        ("Why", 4),
    ];
    let expected: Vec<(String, usize)> =
        expected.iter().map(|(w, n)| (w.to_string(), *n)).collect();
    assert_eq!(shapes, expected);
    for section in &found {
        assert!(
            essay[section.start..].starts_with(&section.title),
            "{section:?}"
        );
    }
    assert_eq!(found.last().unwrap().end, essay.len());
}
