//! The checker never panics on what a writer can type: arbitrary text, mixed with the names,
//! numbers, dates, quotes and dashes its patterns look for, checked against the demo world.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kinograph_checker::{Checker, NameIndex};
use kinograph_import::{DEMO_CATALOG, DEMO_DATASET, curated};
use kinograph_store::{CatalogRead, Store};
use proptest::prelude::*;

/// Pieces prose is made of, the checker's triggers among them.
const PIECES: &[&str] = &[
    "Sean Baker",
    "Baker’s",
    "Anora",
    "Ani",
    "Mikey Madison",
    "Tangerine",
    "Starlet (2012)",
    "The Florida Project",
    "Moonee",
    "NEON",
    "won four Oscars",
    "nominated for six",
    "$6 million",
    "$100,000",
    "6 million dollars",
    "played by",
    " as ",
    "directed by",
    "On March 2,",
    "2 March 2025",
    "the first person to win four Oscars for a single film",
    "the most Oscars",
    "record of eleven",
    "five films centered on sex workers",
    "Best Picture",
    "Best Director",
    "winner",
    "each",
    "apiece",
    "that night",
    "it",
    "the film",
    "his 2017 film",
    "released in 2017",
    "shut out",
    "“",
    "”",
    "’s",
    "—",
    "–",
    "-",
    "(",
    ")",
    ",",
    ".",
    ";",
    ":",
    "\n",
    "\n\n",
    "# ",
    "*",
    "_",
    " ",
    "é",
    "ñ",
    "ü",
    "日本",
    // Letters whose lower case is longer or shorter in bytes.
    "Ⱥ",
    "İ",
    "ẞ",
    "🎬",
    "I",
    "a",
    "the",
    "De",
    "Jr.",
    "once",
    "twice",
    "eleven",
];

fn checker_and_store() -> (Checker, Store) {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    curated::parse(DEMO_CATALOG, DEMO_DATASET)
        .unwrap()
        .import(&mut store)
        .unwrap();
    let mut entries = Vec::new();
    store.name_entries(&mut |e| entries.push(e)).unwrap();
    let checker = Checker::new(NameIndex::from_catalog(entries).unwrap()).unwrap();
    (checker, store)
}

fn essay() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(PIECES).prop_map(str::to_string),
        1 => "\\PC{0,12}",
    ];
    proptest::collection::vec(piece, 0..40).prop_map(|pieces| pieces.join(""))
}

/// The store is not `Sync`, so one runner drives all cases over one checker and store.
#[test]
fn checking_any_text_never_panics_and_reports_offsets_inside_it() {
    let (checker, store) = checker_and_store();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 400,
        ..ProptestConfig::default()
    });
    runner
        .run(&essay(), |text| {
            let report = checker.check(&store, &text).unwrap();
            for m in &report.mentions {
                prop_assert!(text.get(m.start..m.end).is_some(), "mention {m:?}");
                prop_assert_eq!(&text[m.start..m.end], m.text.as_str());
            }
            for c in &report.claims {
                prop_assert!(text.get(c.start..c.end).is_some(), "claim {c:?}");
                prop_assert_eq!(&text[c.start..c.end], c.text.as_str());
            }
            for s in &report.sections {
                prop_assert!(text.get(s.start..s.end).is_some(), "section {s:?}");
            }
            Ok(())
        })
        .unwrap();
}

/// Cases proptest has found, kept so they run every time.
#[test]
fn found_cases_keep_their_offsets() {
    let (checker, store) = checker_and_store();
    for text in [
        // A letter that grows when lowered, after "directed by" past a count.
        "Mikey Madison:the first person to win four Oscars for a single filmdirected byȺȺ",
        "Sean Baker won four Oscars ȺȺ for Anora.",
        "ȺȺȺ tied the record for the most Oscars.",
    ] {
        let report = checker.check(&store, text).unwrap();
        for c in &report.claims {
            assert_eq!(
                text.get(c.start..c.end),
                Some(c.text.as_str()),
                "{text}: {c:?}"
            );
        }
    }
}
