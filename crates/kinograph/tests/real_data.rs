//! The binary on the real data sets in `../shared/data` (beside the checkout). The project does
//! not commit a copy of them: where they are missing, each test says it skipped and passes.

// A failing check in a helper is a failing test: helpers may unwrap and panic too (clippy's
// allow-*-in-tests settings cover only `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::{Kg, Run, Tally, arg, strings};
use serde_json::json;

/// Rows in the real `oscars.csv` (its lines, less the header).
const OSCARS_ROWS: u64 = 12_137;

// Ids are facts: looked up once in oscars.csv.
const ANORA: &str = "tt28607951";
const TITANIC: &str = "tt0120338";
const GONE_WITH_THE_WIND: &str = "tt0031381";
const SEAN_BAKER: &str = "nm0048918";

/// `../shared/data`, when the Academy Awards data set is in it; otherwise says the test skips.
fn shared_data() -> Option<PathBuf> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data");
    if data.join("oscars/oscars.csv").is_file() {
        Some(data)
    } else {
        // Straight to the process's stderr: libtest would swallow `println!` of a passing test.
        let _ = writeln!(
            std::io::stderr(),
            "skipping: ../shared/data not found beside the checkout"
        );
        None
    }
}

/// The real Academy Awards data imported into an empty catalog, once for every test of this
/// file (the import takes half a minute on PostgreSQL in a debug build), and what it printed.
fn oscars_imported(data: &Path) -> &'static (Kg, Run) {
    static IMPORTED: OnceLock<(Kg, Run)> = OnceLock::new();
    IMPORTED.get_or_init(|| {
        let kg = Kg::new();
        let run = kg.ok(&["import", "oscars", &arg(&data.join("oscars/oscars.csv"))]);
        (kg, run)
    })
}

/// A catalog of its own holding the real Academy Awards data.
fn with_oscars(data: &Path) -> Kg {
    Kg::copy_of(&oscars_imported(data).0)
}

#[test]
fn real_oscars_import_every_row_once() {
    let Some(data) = shared_data() else { return };
    let oscars = arg(&data.join("oscars/oscars.csv"));
    let first = &oscars_imported(&data).1;
    let new = Tally {
        new: OSCARS_ROWS,
        updated: 0,
        unchanged: 0,
    };
    assert_eq!(first.tally("nominations"), new, "{first}");
    assert_eq!(first.rejected(), 0, "{first}");
    assert_eq!(first.stderr, "", "{first}");

    let kg = with_oscars(&data);
    let second = kg.ok(&["import", "oscars", &oscars]);
    let unchanged = Tally {
        new: 0,
        updated: 0,
        unchanged: OSCARS_ROWS,
    };
    assert_eq!(second.tally("nominations"), unchanged, "{second}");
    assert_eq!(second.rejected(), 0, "{second}");
}

#[test]
fn real_anora_is_one_film_with_the_demo_facts_and_its_oscars() {
    let Some(data) = shared_data() else { return };
    let kg = with_oscars(&data);
    kg.ok(&["demo"]);
    let run = kg.ok(&["film", "Anora", "--json"]);
    assert!(
        !run.stderr.contains("match"),
        "more than one film is called Anora: {run}"
    );
    for text in ["Mikey Madison", "NEON", ANORA] {
        assert!(run.stdout.contains(text), "no {text:?} in {run}");
    }
    let film = run.json();
    assert_eq!(film["id"], ANORA);
    assert_eq!(film["budget"]["amount"], 6_000_000);
    assert!(film["budget"]["source"]["citation"].is_string(), "{film}");
    let tally_97 = film["awards"]["by_ceremony"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["ceremony"] == 97)
        .unwrap_or_else(|| panic!("no ceremony 97 in {}", film["awards"]));
    assert_eq!(tally_97["nominations"], 6, "{tally_97}");
    assert_eq!(tally_97["wins"], 5, "{tally_97}");
}

#[test]
fn real_record_for_wins_by_one_person_for_one_film_is_sean_baker_for_anora() {
    let Some(data) = shared_data() else { return };
    let kg = with_oscars(&data);
    let records = kg.json(&["awards", "records", "--json"]);
    let kind: Vec<_> = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "most_wins_by_person_for_one_film")
        .collect();
    let first = kind.first().expect("a record of that kind");
    assert_eq!(
        first["holder"],
        json!({"id": SEAN_BAKER, "name": "Sean Baker"})
    );
    assert_eq!(first["film"], json!({"id": ANORA, "title": "Anora"}));
    assert_eq!(first["count"], 4);
    let mut categories = strings(&first["evidence"], "/canonical_category");
    categories.sort_unstable();
    assert_eq!(
        categories,
        [
            "BEST PICTURE",
            "DIRECTING",
            "FILM EDITING",
            "WRITING (Original Screenplay)"
        ]
    );
    for other in &kind[1..] {
        assert!(other["count"].as_u64().unwrap() <= 3, "{other}");
    }
}

#[test]
fn real_titanic_and_gone_with_the_wind_count_as_people_say() {
    let Some(data) = shared_data() else { return };
    let kg = with_oscars(&data);
    for (id, title, nominations, wins) in [
        (TITANIC, "Titanic", 14, 11),
        (GONE_WITH_THE_WIND, "Gone with the Wind", 13, 8),
    ] {
        let film = kg.json(&["film", id, "--json"]);
        assert_eq!(film["title"], title);
        assert_eq!(film["awards"]["nominations"], nominations, "{title}");
        assert_eq!(film["awards"]["wins"], wins, "{title}");
    }
}

#[test]
fn real_budgets_csv_is_not_academy_awards_data() {
    let Some(data) = shared_data() else { return };
    let budgets = data.join("budgets-538/movies.csv");
    assert!(budgets.is_file(), "{} is missing", budgets.display());
    let kg = Kg::new();
    let run = kg.fails(&["import", "oscars", &arg(&budgets)], 2);
    assert!(run.stderr.contains("comma-separated"), "{run}");
    assert!(!kg.data().exists(), "the refusal created the data folder");
}

#[test]
fn real_search_finds_films_and_people_despite_typos_and_accents() {
    let Some(data) = shared_data() else { return };
    let kg = with_oscars(&data);
    kg.ok(&["demo"]);
    // (query, how many of the first hits to look at, the name of a film or person among them,
    // whether that is the whole name or part of it).
    let expectations = [
        ("florida projekt", 1, "The Florida Project", true),
        ("inarritu", 1, "Iñárritu", false),
        ("parasit", 1, "Parasite", true),
        ("baker", 3, "Sean Baker", true),
        // A character's name finds the film it is in.
        ("moonee", 5, "The Florida Project", true),
        // A year among the words picks the film of that year.
        ("godfather 1974", 1, "The Godfather Part II", true),
        ("godfather 1990", 1, "The Godfather, Part III", true),
    ];
    let mut failures = Vec::new();
    for (query, top, expected, whole) in expectations {
        let results = kg.json(&["search", query, "--json"]);
        let names: Vec<&str> = results["hits"]
            .as_array()
            .unwrap()
            .iter()
            .take(top)
            .filter(|h| h["kind"] == "film" || h["kind"] == "person")
            .map(|h| h["name"].as_str().unwrap())
            .collect();
        let matches = |name: &&str| {
            if whole {
                *name == expected
            } else {
                name.contains(expected)
            }
        };
        if !names.iter().any(matches) {
            failures.push(format!(
                "{query:?}: {expected:?} is not among the first {top} hits: {results}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn import_imdb_takes_the_real_sample_merges_with_the_oscars_and_adds_nothing_twice() {
    let Some(data) = shared_data() else { return };
    let kg = with_oscars(&data);
    let sample = arg(&data.join("imdb-sample/with-crew-200"));
    let first = kg.run(&["import", "imdb", &sample]);
    assert_eq!(first.code, Some(0), "{first}");
    assert!(first.stdout.contains("title.basics.tsv"), "{first}");
    assert!(first.stdout.contains("title.principals.tsv"), "{first}");
    // Films the Oscars data names by IMDb id are the same films, not new ones.
    let status = kg.status();
    let again = kg.run(&["import", "imdb", &sample]);
    assert_eq!(again.code, Some(0), "{again}");
    assert_eq!(kg.status(), status, "a second import adds nothing");
    let missing = kg.run(&["import", "imdb", &arg(&kg.path("nothing-here"))]);
    assert_eq!(missing.code, Some(2), "{missing}");
}
