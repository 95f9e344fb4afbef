//! The `kinograph` binary, run for real. Each test has a data folder of its own (`Kg::new()`),
//! and a PostgreSQL schema of its own when `KINOGRAPH_TEST_DATABASE_URL` is set (`Kg::sqlite()`
//! for the tests of the SQLite file); the fixtures in `tests/fixtures` are small files in the
//! real formats, with invented rows.
//!
//! `oscars-small.tsv`, row by row (line numbers of the file; "counted" per the counting rules):
//!
//! | line | ceremony | category | film | nominees | won | counted |
//! |---|---|---|---|---|---|---|
//! | 2 | 1 | OUTSTANDING PICTURE | The Glass Harbor | Harborlight Pictures (co) | yes | yes |
//! | 3 | 1 | OUTSTANDING PICTURE | Mill Street | Northfield Studios (co) | no | yes |
//! | 4 | 1 | ACTOR | The Glass Harbor, Mill Street | Alden Voss | yes | yes |
//! | 5 | 1 | ACTOR | Quiet Fields | Bram Keller | no | no: unofficial, not won |
//! | 6 | 1 | DIRECTING (Dramatic Picture) | The Glass Harbor | Mara Lindqvist | yes | yes |
//! | 7 | 1 | WRITING (Title Writing) | Quiet Fields | Mara Lindqvist | yes | yes: unofficial, won |
//! | 8 | 1 | SPECIAL AWARD | The Glass Harbor | Mara Lindqvist | yes | no: Special |
//! | 9 | 2 | SCIENTIFIC OR TECHNICAL AWARD (Class I) | — | Orrin Pell | yes | no: SciTech |
//! | 10 | 2 | OUTSTANDING PICTURE | Lantern Road | Harborlight Pictures (co) | yes | yes |
//! | 11 | 2 | DIRECTING | Lantern Road | Mara Lindqvist | yes | yes |
//! | 12 | 2 | WRITING (Adaptation) | Lantern Road | Mara Lindqvist, Jonah Pike (?) | yes | yes |
//! | 13 | 2 | FILM EDITING | Lantern Road | Mara Lindqvist | yes | yes |
//! | 14 | 2 | ACTRESS | Paper Moons (?) | Ilse Brandt | yes | yes |
//! | 15 | 2 | ACTRESS | Lantern Road | Wren Calloway | no | yes |
//! | 16 | 50 | BEST PICTURE | Saltwater Hymn | Dana Ortiz | yes | yes |
//! | 17 | 50 | DIRECTING | Saltwater Hymn | Alden Voss | no | yes |
//! | 18 | 50 | MUSIC (Original Score) | Saltwater Hymn | Teo Marsh | yes | yes |
//! | 19 | 50 | HONORARY AWARD | — | Alden Voss | yes | no: Special |
//! | 20 | 50 | FILM EDITING | Saltwater Hymn | Rory Quill (a name shared by two ids) | no | yes |

// A failing check in a helper is a failing test: helpers may unwrap and panic too (clippy's
// allow-*-in-tests settings cover only `#[test]` functions).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::{Path, PathBuf};

use common::{Kg, Tally, arg, fixture, strings};
use serde_json::{Value, json};

const SMALL: &str = "oscars-small.tsv";

/// The catalog's size from `status --json`: films, people, companies, credits, ceremonies,
/// nominations.
fn counts(status: &Value) -> [u64; 6] {
    [
        "films",
        "people",
        "companies",
        "credits",
        "ceremonies",
        "nominations",
    ]
    .map(|key| {
        status[key]
            .as_u64()
            .unwrap_or_else(|| panic!("no {key} in {status}"))
    })
}

/// The 1-based numbers of the lines of `file` that contain `text`.
fn lines_of(file: &str, text: &str) -> Vec<usize> {
    let content = std::fs::read_to_string(file).unwrap();
    let found: Vec<usize> = (1..)
        .zip(content.lines())
        .filter(|(_, line)| line.contains(text))
        .map(|(n, _)| n)
        .collect();
    assert!(!found.is_empty(), "{text:?} is not in {file}");
    found
}

fn tally(new: u64, updated: u64, unchanged: u64) -> Tally {
    Tally {
        new,
        updated,
        unchanged,
    }
}

// ---------------------------------------------------------------------------------------------
// import oscars

#[test]
fn import_oscars_counts_each_row_once_and_a_second_run_adds_nothing() {
    let kg = Kg::new();
    let first = kg.ok(&["import", "oscars", &fixture(SMALL)]);
    assert_eq!(first.tally("nominations"), tally(19, 0, 0), "{first}");
    assert_eq!(first.rejected(), 0, "{first}");
    assert_eq!(first.stderr, "", "nothing to report on stderr: {first}");
    let status = kg.status();
    // 5 films with ids (Paper Moons has none), nm9000001–nm9000010, co9000001–co9000002,
    // ceremonies 1, 2 and 50.
    assert_eq!(counts(&status), [5, 10, 2, 0, 3, 19], "{status}");

    let second = kg.ok(&["import", "oscars", &fixture(SMALL)]);
    assert_eq!(second.tally("nominations"), tally(0, 0, 19), "{second}");
    assert_eq!(second.rejected(), 0, "{second}");
    assert_eq!(kg.status(), status);
}

#[test]
fn import_oscars_reports_each_bad_row_with_its_line_and_imports_the_good_ones() {
    let file = fixture("oscars-bad-rows.tsv");
    let bytes = std::fs::read(&file).unwrap();
    let line_9 = bytes.split(|b| *b == b'\n').nth(8).unwrap();
    assert!(
        line_9.contains(&0xff),
        "line 9 of the fixture must hold the invalid UTF-8 byte 0xFF (write it with printf)"
    );

    let kg = Kg::new();
    let run = kg.ok(&["import", "oscars", &file]);
    assert_eq!(run.tally("nominations"), tally(4, 0, 0), "{run}");
    assert_eq!(run.rejected(), 7, "{run}");
    // Line 6 is blank: skipped, but still counted, so later rows keep their real numbers.
    let expected = [
        (3, "wrong column count: 3 fields"),
        (5, "bad year \"19x4\""),
        (7, "unknown Winner value \"Yes\""),
        (8, "bad NomineeIds entry \"nm-9100005\""),
        (9, "invalid UTF-8"),
        (11, "wrong column count: 15 fields"),
        (12, "ceremony 7 honours 1934 in the catalog, not 1935"),
    ];
    let reported: Vec<(usize, &str)> = run
        .stderr
        .lines()
        .map(|line| {
            let rest = line
                .strip_prefix("oscars-bad-rows.tsv:")
                .unwrap_or_else(|| panic!("not a `FILE:LINE: rejected: …` line: {line:?}"));
            let (number, message) = rest
                .split_once(": rejected: ")
                .unwrap_or_else(|| panic!("not a `FILE:LINE: rejected: …` line: {line:?}"));
            (number.parse().unwrap(), message)
        })
        .collect();
    assert_eq!(
        reported.iter().map(|(n, _)| *n).collect::<Vec<_>>(),
        expected.map(|(n, _)| n),
        "{run}"
    );
    for ((line, message), (_, problem)) in reported.iter().zip(expected) {
        assert!(
            message.contains(problem),
            "line {line}: {message:?} should say {problem:?}"
        );
    }

    // The good rows (2, 4, 10 and 13) are in the catalog.
    assert_eq!(counts(&kg.status())[4..], [2, 4]);
    let film = kg.json(&["film", "tt9100001", "--json"]);
    assert_eq!(
        strings(&film["nominations"], "/category"),
        ["OUTSTANDING PRODUCTION", "ACTOR", "DIRECTING"]
    );
}

/// Files that are not Academy Awards data, and the word the refusal must use for the problem.
fn other_formats(kg: &Kg) -> [(String, &'static str); 3] {
    [
        (fixture("comma.csv"), "comma-separated"),
        (fixture("imdb-title-basics.tsv"), "IMDb"),
        (kg.write("empty.tsv", b""), "empty"),
    ]
}

#[test]
fn import_oscars_refuses_another_format_without_creating_a_catalog() {
    let kg = Kg::new();
    for (file, problem) in other_formats(&kg) {
        let run = kg.fails(&["import", "oscars", &file], 2);
        let name = Path::new(&file).file_name().unwrap().to_str().unwrap();
        assert!(run.stderr.contains(name), "names the file: {run}");
        assert!(run.stderr.contains("Academy Awards"), "{run}");
        assert!(
            run.stderr.contains(problem),
            "should say {problem:?}: {run}"
        );
        assert!(
            !kg.data().exists(),
            "refusing {file} created {:?}",
            kg.data()
        );
    }
}

#[test]
fn import_oscars_refuses_another_format_and_leaves_the_catalog_as_it_was() {
    let kg = Kg::new();
    kg.ok(&["import", "oscars", &fixture(SMALL)]);
    let before = kg.status();
    for (file, problem) in other_formats(&kg) {
        let run = kg.fails(&["import", "oscars", &file], 2);
        assert!(
            run.stderr.contains(problem),
            "should say {problem:?}: {run}"
        );
        assert_eq!(kg.status(), before, "refusing {file} changed the catalog");
    }
}

// ---------------------------------------------------------------------------------------------
// import catalog

#[test]
fn import_catalog_stores_each_fact_with_its_source_once() {
    let kg = Kg::new();
    let file = fixture("catalog-small.toml");
    let first = kg.ok(&["import", "catalog", &file]);
    let written = [
        ("companies", 1),
        ("people", 2),
        ("films", 1),
        ("film companies", 1),
        ("themes", 1),
        ("facts", 1),
        ("credits", 2),
    ];
    let expect = |unchanged: bool| -> Vec<(String, Tally)> {
        written
            .iter()
            .map(|(kind, n)| {
                let t = if unchanged {
                    tally(0, 0, *n)
                } else {
                    tally(*n, 0, 0)
                };
                (kind.to_string(), t)
            })
            .collect()
    };
    assert_eq!(first.tallies(), expect(false), "{first}");
    let status = kg.status();
    assert_eq!(counts(&status), [1, 2, 1, 2, 0, 0], "{status}");
    let second = kg.ok(&["import", "catalog", &file]);
    assert_eq!(second.tallies(), expect(true), "{second}");
    assert_eq!(kg.status(), status);

    let film = kg.json(&["film", "The Salt Road", "--json"]);
    assert_eq!(film["id"], "tt9300001");
    assert_eq!(film["budget"]["amount"], 1_200_000);
    assert_eq!(film["budget"]["currency"], "EUR");
    let source = &film["budget"]["source"];
    assert!(
        source["dataset"]
            .as_str()
            .unwrap()
            .ends_with("catalog-small.toml")
    );
    // A fact is credited to the line it is written on.
    let budget_line = lines_of(&file, "budget = ")[0];
    assert_eq!(source["locator"], format!("line {budget_line}"));
    assert!(
        source["citation"]
            .as_str()
            .unwrap()
            .contains("The Invented Gazette")
    );
    assert_eq!(
        strings(&film["credits"], "/person/name"),
        ["Petra Lund", "Oskar Wiig"]
    );
    assert_eq!(film["credits"][1]["characters"], json!(["The Ferryman"]));
    assert_eq!(strings(&film["companies"], "/name"), ["Lighthouse Films"]);
}

#[test]
fn import_catalog_refuses_a_broken_file_naming_its_line_and_field() {
    let kg = Kg::new();
    let broken = fixture("catalog-broken.toml");
    let line = lines_of(&broken, "rating = ")[0];
    let refused = |kg: &Kg| {
        let run = kg.fails(&["import", "catalog", &broken], 2);
        assert!(
            run.stderr
                .contains(&format!("catalog-broken.toml:{line}: ")),
            "should point at line {line}: {run}"
        );
        assert!(run.stderr.contains("unknown field `rating`"), "{run}");
    };

    refused(&kg);
    assert!(
        !kg.data().exists(),
        "a refused catalog created the data folder"
    );

    kg.ok(&["import", "catalog", &fixture("catalog-small.toml")]);
    let before = kg.status();
    refused(&kg);
    assert_eq!(kg.status(), before);
    // The person defined before the mistake was not written either.
    kg.fails(&["person", "nm9310001"], 1);
}

#[test]
fn import_catalog_refuses_a_whole_file_whose_credit_names_a_person_known_nowhere() {
    let kg = Kg::new();
    kg.ok(&["import", "catalog", &fixture("catalog-small.toml")]);
    let before = kg.status();

    let file = fixture("catalog-unknown-person.toml");
    let run = kg.fails(&["import", "catalog", &file], 2);
    let second_film = lines_of(&file, "[[films]]")[1];
    assert!(
        run.stderr
            .contains(&format!("catalog-unknown-person.toml:{second_film}: ")),
        "should point at the film at line {second_film}: {run}"
    );
    assert!(run.stderr.contains("\"nm9329999\""), "{run}");
    assert!(
        run.stderr
            .contains("neither in this file nor in the catalog"),
        "{run}"
    );

    // Nothing of the file was written: not its company, its person, or its first film (whose
    // credits were all resolvable).
    assert_eq!(kg.status(), before);
    kg.fails(&["film", "tt9320001"], 1);
    kg.fails(&["person", "nm9320001"], 1);

    // Refused as the first import of a fresh data folder, it leaves no database behind: the
    // SQLite file it had made is removed (a PostgreSQL database is never made by an import).
    let fresh = Kg::sqlite();
    fresh.fails(&["import", "catalog", &file], 2);
    assert!(
        !fresh.data().exists(),
        "a refused catalog left a data folder"
    );
}

// ---------------------------------------------------------------------------------------------
// The data folder

#[test]
fn queries_without_a_catalog_say_how_to_make_one_and_create_nothing() {
    // Only the embedded database can be missing: PostgreSQL's is always there (its tables made
    // at the first connection), and is not in the data folder.
    let kg = Kg::sqlite();
    let queries: [&[&str]; 5] = [
        &["film", "Anora"],
        &["person", "Sean Baker"],
        &["status"],
        &["awards", "records"],
        &["awards", "ceremony", "97"],
    ];
    for missing in [
        kg.path("nonexistent/dir"),
        PathBuf::from("/nonexistent/dir"),
    ] {
        for args in queries {
            let run = kg.run_with_data(&missing, args);
            assert_eq!(run.code, Some(2), "{run}");
            assert!(
                run.stderr.contains(&arg(&missing)),
                "names the folder: {run}"
            );
            assert!(run.stderr.contains("kinograph demo"), "{run}");
            assert!(run.stderr.contains("kinograph import"), "{run}");
            assert!(!missing.exists(), "a query created {}", missing.display());
        }
    }
    // An empty data folder holds no catalog either.
    std::fs::create_dir(kg.data()).unwrap();
    let run = kg.fails(&["film", "Anora"], 2);
    assert!(run.stderr.contains("kinograph demo"), "{run}");
}

#[test]
fn a_data_folder_that_is_a_file_is_refused() {
    let kg = Kg::new();
    let file = kg.write("not-a-folder", b"just a file\n");
    let small = fixture(SMALL);
    let commands: [&[&str]; 4] = [
        &["film", "Anora"],
        &["status"],
        &["demo"],
        &["import", "oscars", &small],
    ];
    for args in commands {
        let run = kg.run_with_data(Path::new(&file), args);
        assert_eq!(run.code, Some(2), "{run}");
        assert!(run.stderr.contains(&file), "names the folder: {run}");
        assert_eq!(
            run.stderr.matches("not a folder").count(),
            1,
            "says what is wrong, once: {run}"
        );
    }
    assert_eq!(std::fs::read(&file).unwrap(), b"just a file\n");
}

#[test]
fn a_database_file_that_is_not_sqlite_is_refused_and_left_alone() {
    // The SQLite file itself.
    let kg = Kg::sqlite();
    std::fs::create_dir(kg.data()).unwrap();
    let database = kg.data().join("kinograph.sqlite");
    let garbage: Vec<u8> = (0..4096_u32).map(|i| (i * 37 % 251) as u8).collect();
    std::fs::write(&database, &garbage).unwrap();
    let small = fixture(SMALL);
    let commands: [&[&str]; 5] = [
        &["film", "Anora"],
        &["status", "--json"],
        &["awards", "records"],
        &["demo"],
        &["import", "oscars", &small],
    ];
    for args in commands {
        let run = kg.fails(args, 2);
        assert!(run.stderr.contains(&arg(&database)), "{run}");
        assert!(run.stderr.contains("not a database"), "{run}");
        assert_eq!(run.stdout, "", "{run}");
    }
    assert_eq!(
        std::fs::read(&database).unwrap(),
        garbage,
        "the file was changed"
    );
}

// ---------------------------------------------------------------------------------------------
// demo, film, person

#[test]
fn demo_a_second_time_adds_nothing() {
    let kg = Kg::new();
    let first = kg.ok(&["demo"]);
    let status = kg.status();
    assert!(counts(&status)[0] > 0, "the demo has films: {status}");
    let second = kg.ok(&["demo"]);
    let again: Vec<(String, Tally)> = first
        .tallies()
        .into_iter()
        .map(|(kind, t)| (kind, tally(0, 0, t.new + t.updated + t.unchanged)))
        .collect();
    assert!(!again.is_empty(), "{first}");
    assert_eq!(second.tallies(), again, "{second}");
    assert!(
        first
            .stdout
            .contains("kinograph-demo/essays: 3 new, 0 updated, 0 unchanged"),
        "{first}"
    );
    assert!(
        second
            .stdout
            .contains("kinograph-demo/essays: 0 new, 0 updated, 3 unchanged"),
        "{second}"
    );
    assert!(
        first
            .stdout
            .contains("kinograph-demo/readers: 21 diary rows"),
        "{first}"
    );
    assert!(
        second
            .stdout
            .contains("kinograph-demo/readers: 0 diary rows"),
        "{second}"
    );
    assert_eq!(kg.status(), status);
}

#[test]
fn demo_with_awards_data_loads_it_and_links_the_demo_essays() {
    let kg = Kg::new();
    let missing = kg.run(&["demo", "--oscars", &arg(&kg.path("no-such.csv"))]);
    assert_eq!(missing.code, Some(2), "{missing}");
    assert!(missing.stderr.contains("no-such.csv"), "{missing}");
    assert!(!kg.data().exists(), "a refused demo wrote nothing");

    let run = kg.ok(&["demo", "--oscars", &fixture("oscars-anora.tsv")]);
    assert!(run.stdout.contains("nominations: 2 new"), "{run}");
    assert!(run.stdout.contains("kinograph-demo/essays: 3 new"), "{run}");
    let again = kg.ok(&["demo", "--oscars", &fixture("oscars-anora.tsv")]);
    assert!(
        again
            .stdout
            .contains("kinograph-demo/essays: 0 new, 0 updated, 3 unchanged"),
        "{again}"
    );
}

#[test]
fn film_anora_after_demo_has_its_distributor_and_a_sourced_budget() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let film = kg.json(&["film", "Anora", "--json"]);
    assert_eq!(film["id"], "tt28607951");
    assert_eq!(film["title"], "Anora");
    assert_eq!(film["year"], 2024);
    let neon = film["companies"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "NEON")
        .unwrap_or_else(|| panic!("no NEON among {}", film["companies"]));
    assert_eq!(neon["role"], "distribution");
    let budget = &film["budget"];
    assert_eq!(budget["amount"], 6_000_000);
    assert_eq!(budget["currency"], "USD");
    assert_eq!(
        budget["source"]["dataset"],
        "kinograph-demo/sean-baker.toml"
    );
    assert!(
        !budget["source"]["citation"].as_str().unwrap().is_empty(),
        "{budget}"
    );
    let people = strings(&film["credits"], "/person/name");
    assert!(people.contains(&"Sean Baker"), "{people:?}");
    assert!(people.contains(&"Mikey Madison"), "{people:?}");
}

#[test]
fn person_by_imdb_id_and_film_by_title_in_any_case() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let person = kg.json(&["person", "nm0048918", "--json"]);
    assert_eq!(person["name"], "Sean Baker");
    let films = strings(&person["filmography"], "/film/title");
    assert!(films.contains(&"Anora"), "{films:?}");
    assert!(films.contains(&"The Florida Project"), "{films:?}");

    let film = kg.json(&["film", "the florida project", "--json"]);
    assert_eq!(film["title"], "The Florida Project");
    let text = kg.ok(&["film", "THE FLORIDA PROJECT"]);
    assert!(text.stdout.contains("The Florida Project"), "{text}");
}

#[test]
fn an_unknown_film_or_person_exits_1() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    for film in ["No Such Film Anywhere", "tt9999999"] {
        let run = kg.fails(&["film", film, "--json"], 1);
        assert!(run.stderr.contains("no film matches"), "{run}");
        assert_eq!(run.stdout, "", "{run}");
    }
    let run = kg.fails(&["person", "Nobody Anywhere"], 1);
    assert!(run.stderr.contains("no person matches"), "{run}");
}

// ---------------------------------------------------------------------------------------------
// One film from two sources

/// After the demo and `oscars-anora.tsv` (two invented rows naming Anora by its IMDb id, in
/// either order), the catalog holds one Anora with the demo's cast and both nominations.
fn assert_one_anora(kg: &Kg) {
    let run = kg.ok(&["film", "Anora", "--json"]);
    assert!(
        !run.stderr.contains("match"),
        "more than one film is called Anora: {run}"
    );
    let film = run.json();
    assert_eq!(film["id"], "tt28607951");
    assert_eq!(film["imdb_id"], "tt28607951");
    assert_eq!(film["year"], 2024);
    assert_eq!(film["award_year"], 2024);
    let people = strings(&film["credits"], "/person/name");
    assert!(people.contains(&"Mikey Madison"), "{people:?}");
    assert!(strings(&film["companies"], "/name").contains(&"NEON"));
    assert_eq!(
        strings(&film["nominations"], "/category"),
        ["DIRECTING", "ACTRESS IN A LEADING ROLE"]
    );
    for nomination in film["nominations"].as_array().unwrap() {
        assert_eq!(strings(&nomination["films"], "/id"), ["tt28607951"]);
    }
    assert_eq!(film["awards"]["nominations"], 2);
    assert_eq!(film["awards"]["wins"], 2);
    assert_eq!(
        film["awards"]["by_ceremony"],
        json!([{"body": "oscars", "ceremony": 97, "years": "2024", "nominations": 2, "wins": 2}])
    );

    // The nominee is the demo's Sean Baker, with his credits and his nomination.
    let person = kg.json(&["person", "nm0048918", "--json"]);
    assert!(strings(&person["filmography"], "/film/title").contains(&"Anora"));
    assert_eq!(strings(&person["nominations"], "/category"), ["DIRECTING"]);
}

/// How many films and people the catalog holds.
fn sizes(kg: &Kg) -> [u64; 2] {
    let [films, people, ..] = counts(&kg.status());
    [films, people]
}

/// How many films and people the demo world alone holds.
fn demo_sizes() -> [u64; 2] {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    sizes(&kg)
}

#[test]
fn demo_then_oscars_rows_for_anora_make_one_film() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let run = kg.ok(&["import", "oscars", &fixture("oscars-anora.tsv")]);
    assert_eq!(run.tally("nominations"), tally(2, 0, 0), "{run}");
    assert_one_anora(&kg);
    assert_eq!(
        sizes(&kg),
        demo_sizes(),
        "the nominations added films or people"
    );
}

#[test]
fn oscars_rows_for_anora_then_demo_make_one_film() {
    let kg = Kg::new();
    kg.ok(&["import", "oscars", &fixture("oscars-anora.tsv")]);
    assert_eq!(sizes(&kg), [1, 2]);
    kg.ok(&["demo"]);
    assert_one_anora(&kg);
    assert_eq!(
        sizes(&kg),
        demo_sizes(),
        "the demo did not merge into what was there"
    );
}

// ---------------------------------------------------------------------------------------------
// awards

/// Each record of `kind` as `RANK HOLDER / FILM: COUNT` (`/ FILM` only for per-film records),
/// sorted.
fn table(records: &Value, kind: &str) -> Vec<String> {
    let mut rows: Vec<String> = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == kind)
        .map(|r| {
            let film = match &r["film"] {
                Value::Null => String::new(),
                film => format!(" / {}", film["title"].as_str().unwrap()),
            };
            let holder = r["holder"]["name"].as_str().unwrap();
            format!("{} {holder}{film}: {}", r["rank"], r["count"])
        })
        .collect();
    rows.sort();
    rows
}

#[test]
fn awards_records_json_has_its_shape_and_counts_by_the_rules() {
    let kg = Kg::new();
    kg.ok(&["import", "oscars", &fixture(SMALL)]);
    let records = kg.json(&["awards", "records", "--json"]);

    let object = records.as_object().unwrap();
    assert_eq!(object.keys().collect::<Vec<_>>(), ["records"]);
    for record in records["records"].as_array().unwrap() {
        assert!(record["kind"].is_string(), "{record}");
        assert!(record["holder"]["id"].is_string(), "{record}");
        assert!(record["holder"]["name"].is_string(), "{record}");
        let film = &record["film"];
        assert!(
            film.is_null() || (film["id"].is_string() && film["title"].is_string()),
            "{record}"
        );
        let count = record["count"].as_u64().unwrap();
        if record["kind"] != "most_categories_won_by_person" {
            assert_eq!(
                record["evidence"].as_array().unwrap().len() as u64,
                count,
                "one evidence row per counted row: {record}"
            );
        }
    }

    // Special rows (lines 8, 19), the SciTech row (9) and the unofficial row that did not win
    // (5) count for nothing; the unofficial row that won (7) counts.
    assert_eq!(
        table(&records, "most_wins_by_person_for_one_film"),
        [
            "1 Mara Lindqvist / Lantern Road: 3",
            "2 Alden Voss / Mill Street: 1",
            "2 Alden Voss / The Glass Harbor: 1",
            "2 Dana Ortiz / Saltwater Hymn: 1",
            "2 Mara Lindqvist / Quiet Fields: 1",
            "2 Mara Lindqvist / The Glass Harbor: 1",
            "2 Teo Marsh / Saltwater Hymn: 1",
        ]
    );
    assert_eq!(
        table(&records, "most_wins_by_film"),
        [
            "1 Lantern Road / Lantern Road: 4",
            "2 The Glass Harbor / The Glass Harbor: 3",
            "3 Saltwater Hymn / Saltwater Hymn: 2",
        ]
    );
    assert_eq!(
        table(&records, "most_nominations_by_film"),
        [
            "1 Lantern Road / Lantern Road: 5",
            "2 Saltwater Hymn / Saltwater Hymn: 4",
            "3 The Glass Harbor / The Glass Harbor: 3",
        ]
    );
    assert_eq!(
        table(&records, "most_wins_by_person"),
        [
            "1 Mara Lindqvist: 5",
            "2 Alden Voss: 1",
            "2 Dana Ortiz: 1",
            "2 Ilse Brandt: 1",
            "2 Teo Marsh: 1",
        ]
    );
    assert_eq!(
        table(&records, "most_nominations_by_person"),
        [
            "1 Mara Lindqvist: 5",
            "2 Alden Voss: 2",
            "3 Dana Ortiz: 1",
            "3 Ilse Brandt: 1",
            "3 Rory Quill: 1",
            "3 Rory Quill: 1",
            "3 Teo Marsh: 1",
            "3 Wren Calloway: 1",
        ]
    );
    assert_eq!(
        table(&records, "most_categories_won_by_person"),
        [
            "1 Mara Lindqvist: 3",
            "2 Alden Voss: 1",
            "2 Dana Ortiz: 1",
            "2 Ilse Brandt: 1",
            "2 Teo Marsh: 1",
        ]
    );

    let top = records["records"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["kind"] == "most_wins_by_person_for_one_film" && r["rank"] == 1)
        .unwrap();
    assert_eq!(
        top["holder"],
        json!({"id": "nm9000003", "name": "Mara Lindqvist"})
    );
    assert_eq!(
        top["film"],
        json!({"id": "tt9000004", "title": "Lantern Road"})
    );
    assert_eq!(
        strings(&top["evidence"], "/category"),
        ["DIRECTING", "WRITING (Adaptation)", "FILM EDITING"]
    );

    // --depth 1 keeps the record holders only.
    let holders = kg.json(&["awards", "records", "--depth", "1", "--json"]);
    let ranks: Vec<&Value> = holders["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["rank"])
        .collect();
    assert_eq!(
        ranks.len(),
        6,
        "one holder of each of the six records: {holders}"
    );
    assert!(ranks.iter().all(|r| **r == 1), "{holders}");
}

#[test]
fn counting_rules_show_on_film_and_person_pages() {
    let kg = Kg::new();
    kg.ok(&["import", "oscars", &fixture(SMALL)]);
    // Quiet Fields: its unofficial row that won counts, the one that did not is listed only.
    let film = kg.json(&["film", "tt9000003", "--json"]);
    assert_eq!(film["nominations"].as_array().unwrap().len(), 2);
    assert_eq!(film["awards"]["nominations"], 1);
    assert_eq!(film["awards"]["wins"], 1);
    // Bram Keller's only row is unofficial and lost; Orrin Pell's only row is SciTech.
    for (person, listed) in [("nm9000002", 1), ("nm9000004", 1)] {
        let page = kg.json(&["person", person, "--json"]);
        assert_eq!(page["nominations"].as_array().unwrap().len(), listed);
        assert_eq!(page["awards"]["nominations"], 0, "{person}");
        assert_eq!(page["awards"]["wins"], 0, "{person}");
    }
    // Alden Voss: one win (the multi-film row), two nominations; the honorary award is listed
    // but not counted.
    let alden = kg.json(&["person", "nm9000001", "--json"]);
    assert_eq!(alden["nominations"].as_array().unwrap().len(), 3);
    assert_eq!(alden["awards"]["nominations"], 2);
    assert_eq!(alden["awards"]["wins"], 1);
}

#[test]
fn awards_ceremony_json_lists_categories_and_winners() {
    let kg = Kg::new();
    kg.ok(&["import", "oscars", &fixture(SMALL)]);
    let ceremony = kg.json(&["awards", "ceremony", "2", "--json"]);
    assert_eq!(ceremony["ceremony"], 2);
    assert_eq!(ceremony["years"], "1928/29");
    assert_eq!(
        ceremony["body"],
        json!({"id": "oscars", "name": "Academy Awards"})
    );
    let categories = ceremony["categories"].as_array().unwrap();
    let results: Vec<(&str, usize, Vec<&str>)> = categories
        .iter()
        .map(|category| {
            let nominations = category["nominations"].as_array().unwrap();
            let winners = nominations
                .iter()
                .filter(|n| n["winner"] == true)
                .flat_map(|n| strings(&n["nominees"], "/name"))
                .collect();
            (
                category["name"].as_str().unwrap(),
                nominations.len(),
                winners,
            )
        })
        .collect();
    assert_eq!(
        results,
        [
            (
                "SCIENTIFIC OR TECHNICAL AWARD (Class I)",
                1,
                vec!["Orrin Pell"]
            ),
            ("OUTSTANDING PICTURE", 1, vec!["Harborlight Pictures"]),
            ("DIRECTING", 1, vec!["Mara Lindqvist"]),
            (
                "WRITING (Adaptation)",
                1,
                vec!["Mara Lindqvist", "Jonah Pike"]
            ),
            ("FILM EDITING", 1, vec!["Mara Lindqvist"]),
            ("ACTRESS", 2, vec!["Ilse Brandt"]),
        ]
    );
    let scitech = &categories[0];
    assert_eq!(scitech["class"], "SciTech");
    assert_eq!(
        scitech["nominations"][0]["counted"],
        json!({"nomination": false, "win": false})
    );
    // The company nominee keeps its IMDb id; an unknown id (`?`) is null.
    assert_eq!(
        categories[1]["nominations"][0]["nominees"],
        json!([{"id": "co9000001", "name": "Harborlight Pictures"}])
    );
    assert_eq!(
        categories[3]["nominations"][0]["nominees"][1],
        json!({"id": null, "name": "Jonah Pike"})
    );
    assert_eq!(
        categories[5]["nominations"][0]["films"],
        json!([{"id": null, "title": "Paper Moons"}])
    );

    let run = kg.fails(&["awards", "ceremony", "99", "--json"], 1);
    assert!(run.stderr.contains("no ceremony 99"), "{run}");
}

#[test]
fn films_of_a_director_with_a_theme() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    let all = kg.json(&[
        "films",
        "--person",
        "nm0048918",
        "--role",
        "director",
        "--json",
    ]);
    let sex_work = kg.json(&[
        "films",
        "--person",
        "Sean Baker",
        "--role",
        "director",
        "--theme",
        "Sex Work",
        "--json",
    ]);
    let total = |v: &Value| v["total"].as_u64().unwrap();
    assert!(
        total(&sex_work) > 0 && total(&sex_work) < total(&all),
        "{sex_work}"
    );
    assert_eq!(
        sex_work["films"].as_array().unwrap().len() as u64,
        total(&sex_work)
    );
    let names: Vec<&str> = sex_work["films"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Anora"), "{names:?}");
    let text = kg.ok(&["films", "--theme", "sex work"]);
    assert!(text.stdout.starts_with("Films with the theme"), "{text}");
    kg.fails(&["films", "--person", "Nobody At All"], 1);
    kg.fails(&["films", "--role", "director"], 2);
}

// ---------------------------------------------------------------------------------------------
// search
//
// `search-catalog.toml`: "copper" is in three titles (1999 Drama, 2002 Drama, 2005 Comedy);
// "Halloran" is a character in a 1999 and a 2001 film, both played by Tove Brume, whose surname
// is also a title word; the director is Zoë Ñúñez-Åberg.

const SEARCH_CATALOG: &str = "search-catalog.toml";
/// The id of The Copper Lantern (2002), in which Ines Valdmaa plays Orlaith Vane.
const COPPER_LANTERN: &str = "tt9400001";

/// A catalog holding `search-catalog.toml` and nothing else.
fn search_world() -> Kg {
    let kg = Kg::new();
    kg.ok(&["import", "catalog", &fixture(SEARCH_CATALOG)]);
    kg
}

/// The arguments of `kinograph search QUERY --json FLAGS…`.
fn search_args<'a>(query: &'a str, flags: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec!["search", query, "--json"];
    args.extend_from_slice(flags);
    args
}

/// The hits of a search that must find something, best first, after checking the JSON's shape.
fn hits(kg: &Kg, query: &str, flags: &[&str]) -> Vec<Value> {
    let results = kg.json(&search_args(query, flags));
    let hits = results["hits"].as_array().unwrap().clone();
    assert!(!hits.is_empty(), "exit status 0 without hits: {results}");
    assert!(
        results["total"].as_u64().unwrap() >= hits.len() as u64,
        "{results}"
    );
    for hit in &hits {
        let mut keys: Vec<&String> = hit.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(
            keys,
            ["detail", "id", "kind", "name", "score", "year"],
            "{hit}"
        );
        assert!(
            ["film", "person", "character", "essay"].contains(&hit["kind"].as_str().unwrap()),
            "{hit}"
        );
        assert!(hit["id"].is_string() && hit["name"].is_string(), "{hit}");
        assert!(hit["year"].is_null() || hit["year"].is_i64(), "{hit}");
        assert!(
            hit["detail"].is_null() || hit["detail"].is_string(),
            "{hit}"
        );
        assert!(hit["score"].is_f64(), "{hit}");
    }
    hits
}

/// A hit as `KIND NAME`.
fn label(hit: &Value) -> String {
    format!(
        "{} {}",
        hit["kind"].as_str().unwrap(),
        hit["name"].as_str().unwrap()
    )
}

/// Each hit of a search that must find something as `KIND NAME`, best first.
fn found(kg: &Kg, query: &str, flags: &[&str]) -> Vec<String> {
    hits(kg, query, flags).iter().map(label).collect()
}

#[test]
fn every_write_command_leaves_what_it_wrote_searchable() {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    assert_eq!(found(&kg, "anora", &[])[0], "film Anora");
    kg.ok(&["import", "oscars", &fixture(SMALL)]);
    assert_eq!(found(&kg, "glass harbor", &[])[0], "film The Glass Harbor");
    assert_eq!(found(&kg, "lindqvist", &[])[0], "person Mara Lindqvist");
    kg.ok(&["import", "catalog", &fixture(SEARCH_CATALOG)]);
    assert_eq!(
        found(&kg, "copper lantern", &[])[0],
        "film The Copper Lantern"
    );
}

#[test]
fn search_finds_a_renamed_film_by_its_new_title_and_alias_once() {
    let kg = search_world();
    let before = hits(&kg, "lantern", &[]);
    assert_eq!(before[0]["id"], COPPER_LANTERN, "{before:?}");
    assert_eq!(before[0]["kind"], "film");

    // Same id, a new title and an alias.
    kg.ok(&["import", "catalog", &fixture("search-catalog-renamed.toml")]);
    for query in [
        "lamplighter",
        "The Lamplighter's Wake",
        "skerra",
        "nightwatch over skerra",
    ] {
        let hits = hits(&kg, query, &[]);
        assert_eq!(hits[0]["id"], COPPER_LANTERN, "{query:?}: {hits:?}");
        assert_eq!(hits[0]["name"], "The Lamplighter's Wake", "{query:?}");
        let copies = hits.iter().filter(|h| h["id"] == COPPER_LANTERN).count();
        assert_eq!(
            copies, 1,
            "{query:?} finds the film {copies} times: {hits:?}"
        );
    }
    // Whether or not the old title still finds the film, no document of it is left under that
    // title.
    let run = kg.run(&search_args("the copper lantern", &[]));
    let old = run.json();
    let stale: Vec<&Value> = old["hits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["id"] == COPPER_LANTERN)
        .collect();
    assert!(stale.len() <= 1, "{run}");
    assert!(
        stale.iter().all(|h| h["name"] == "The Lamplighter's Wake"),
        "{run}"
    );
    // The film's characters were re-indexed with it.
    let characters = hits(&kg, "orlaith", &["--kind", "character"]);
    assert_eq!(characters.len(), 1, "{characters:?}");
    assert_eq!(
        characters[0]["detail"],
        "Ines Valdmaa in The Lamplighter's Wake (2002)"
    );
}

#[test]
fn search_forgives_diacritics_typos_word_order_and_unfinished_words() {
    let kg = search_world();
    for query in ["zoe nunez", "ZOË ÑÚÑEZ", "aberg zoe", "Ñúñez-Åberg"] {
        assert_eq!(
            found(&kg, query, &[])[0],
            "person Zoë Ñúñez-Åberg",
            "{query:?}"
        );
    }
    // One typo in a four- or five-letter word, two in a ten-letter one.
    for (query, film) in [
        ("herin", "film Heron at Dusk"),
        ("dusc", "film Heron at Dusk"),
        ("marshlandz", "film Marchlands"),
    ] {
        assert_eq!(found(&kg, query, &[])[0], film, "{query:?}");
    }
    // Any word order.
    assert_eq!(
        found(&kg, "lantern copper", &[])[0],
        "film The Copper Lantern"
    );
    assert_eq!(found(&kg, "brume under", &[])[0], "film Under the Brume");
    // Search as you type: with --prefix every word may be unfinished, even a two-letter one.
    assert_eq!(
        found(&kg, "copp lant", &["--prefix"])[0],
        "film The Copper Lantern"
    );
    assert_eq!(
        found(&kg, "zo nu", &["--prefix"])[0],
        "person Zoë Ñúñez-Åberg"
    );
    kg.fails(&search_args("zo nu", &[]), 1);
}

#[test]
fn search_finds_a_character_with_its_actor_and_film() {
    let kg = search_world();
    let hits = hits(&kg, "orlaith", &[]);
    let character = hits
        .iter()
        .find(|h| h["kind"] == "character")
        .unwrap_or_else(|| panic!("no character among {hits:?}"));
    assert_eq!(character["name"], "Orlaith Vane");
    assert_eq!(character["year"], 2002);
    let detail = character["detail"].as_str().unwrap();
    assert!(detail.contains("Ines Valdmaa"), "{detail:?}");
    assert!(detail.contains("The Copper Lantern"), "{detail:?}");
    let top: Vec<String> = hits.iter().take(5).map(label).collect();
    for expected in ["film The Copper Lantern", "person Ines Valdmaa"] {
        assert!(
            top.contains(&expected.to_string()),
            "{expected:?} not in {top:?}"
        );
    }
}

#[test]
fn search_filters_by_kind_year_and_genre() {
    let kg = search_world();
    // Kind: "brume" is a title word and a surname.
    let all = found(&kg, "brume", &[]);
    assert!(all.contains(&"film Under the Brume".to_string()), "{all:?}");
    assert_eq!(
        found(&kg, "brume", &["--kind", "person"]),
        ["person Tove Brume"]
    );
    let halloran = hits(&kg, "halloran", &["--kind", "film", "--kind", "character"]);
    assert!(
        halloran.iter().all(|h| h["kind"] != "person"),
        "{halloran:?}"
    );
    assert!(halloran.iter().any(|h| h["kind"] == "film"), "{halloran:?}");
    assert!(
        halloran.iter().any(|h| h["kind"] == "character"),
        "{halloran:?}"
    );

    // Year: films and characters of those years only (people have none).
    assert_eq!(found(&kg, "copper", &[]).len(), 3);
    for (years, expected) in [
        ("2001..2003", "film The Copper Lantern"),
        ("2002", "film The Copper Lantern"),
        ("..1999", "film Copper Sky"),
        ("2005..", "film Copper Hills"),
    ] {
        assert_eq!(
            found(&kg, "copper", &["--year", years]),
            [expected],
            "{years}"
        );
    }
    let unfiltered = found(&kg, "halloran", &[]);
    for expected in ["character Sister Halloran", "person Tove Brume"] {
        assert!(unfiltered.contains(&expected.to_string()), "{unfiltered:?}");
    }
    let in_range = hits(&kg, "halloran", &["--year", "2001..2003"]);
    for hit in &in_range {
        assert!(
            ["film", "character"].contains(&hit["kind"].as_str().unwrap()),
            "{hit}"
        );
        let year = hit["year"].as_i64().unwrap();
        assert!((2001..=2003).contains(&year), "{hit}");
    }
    assert!(
        in_range
            .iter()
            .any(|h| h["kind"] == "character" && h["name"] == "Father Halloran"),
        "{in_range:?}"
    );

    // Genre, in any case.
    assert_eq!(
        found(&kg, "copper", &["--genre", "comedy"]),
        ["film Copper Hills"]
    );
    let mut drama = found(&kg, "copper", &["--genre", "Drama"]);
    drama.sort();
    assert_eq!(drama, ["film Copper Sky", "film The Copper Lantern"]);

    // A filter that leaves nothing: exit 1, and the total counts what the filter let through.
    let run = kg.fails(&search_args("marchlands", &["--kind", "person"]), 1);
    assert_eq!(run.json(), json!({"hits": [], "total": 0}), "{run}");

    // Bad filters are errors.
    let run = kg.fails(&search_args("copper", &["--year", "2020..2010"]), 2);
    assert!(run.stderr.contains("2020..2010"), "{run}");
    assert!(run.stderr.contains("year range"), "{run}");
    assert_eq!(run.stdout, "", "{run}");
    let run = kg.fails(&search_args("copper", &["--kind", "unknown"]), 2);
    assert!(run.stderr.contains("unknown kind"), "{run}");
    assert_eq!(run.stdout, "", "{run}");
}

#[test]
fn search_ranks_an_exact_title_before_a_more_nominated_film_containing_it() {
    // "Tide" has one nomination; "The Tide Keepers" nine, six of them won; "The Tide Makers" one.
    let kg = Kg::new();
    kg.ok(&["import", "oscars", &fixture("search-oscars-tide.tsv")]);
    assert_eq!(
        found(&kg, "tide", &[]),
        ["film Tide", "film The Tide Keepers", "film The Tide Makers"]
    );
    assert_eq!(found(&kg, "tide keepers", &[])[0], "film The Tide Keepers");
}

/// What a search finds, without scores (they depend on the index's segments), in id order.
fn search_results(kg: &Kg) -> Vec<Value> {
    ["copper", "halloran", "zoe nunez", "herin"]
        .into_iter()
        .map(|query| {
            let mut results = kg.json(&search_args(query, &[]));
            let hits = results["hits"].as_array_mut().unwrap();
            for hit in hits.iter_mut() {
                hit.as_object_mut().unwrap().remove("score");
            }
            hits.sort_by_key(|h| h["id"].as_str().unwrap().to_string());
            results
        })
        .collect()
}

#[test]
fn the_search_index_is_rebuilt_from_the_catalog() {
    let kg = search_world();
    let index = kg.data().join("search");
    assert!(index.is_dir(), "no search folder in the data folder");
    let before = search_results(&kg);

    std::fs::remove_dir_all(&index).unwrap();
    let run = kg.ok(&["reindex"]);
    // Six films and four people; the three characters have documents of their own.
    assert!(
        run.stdout.contains("10 films and people, 13 documents"),
        "{run}"
    );
    assert_eq!(search_results(&kg), before);

    // Without `reindex`, the next search rebuilds it from the change log.
    std::fs::remove_dir_all(&index).unwrap();
    let run = kg.ok(&["search", "copper"]);
    assert!(run.stdout.contains("The Copper Lantern (2002)"), "{run}");
    assert!(run.stdout.contains("3 of 3 matches"), "{run}");
    assert_eq!(search_results(&kg), before);
}

#[test]
fn search_json_prints_only_json_when_the_index_catches_up() {
    let kg = search_world();
    std::fs::remove_dir_all(kg.data().join("search")).unwrap();
    let results = kg.json(&search_args("copper", &[]));
    assert_eq!(results["total"], 3);
}

#[test]
fn a_renamed_actor_is_named_in_their_characters_details() {
    let kg = search_world();
    kg.ok(&["import", "catalog", &fixture("search-actor-renamed.toml")]);
    let characters = hits(&kg, "orlaith", &["--kind", "character"]);
    assert_eq!(
        characters[0]["detail"],
        "Ines Korhonen in The Copper Lantern (2002)"
    );
}

#[test]
fn search_without_hits_exits_1_and_says_so() {
    let kg = search_world();
    let run = kg.fails(&search_args("xylophone quartz", &[]), 1);
    assert_eq!(run.json(), json!({"hits": [], "total": 0}), "{run}");
    let run = kg.fails(&["search", "xylophone quartz"], 1);
    assert_eq!(run.stdout, "0 of 0 matches\n", "{run}");

    // Without a catalog there is nothing to search or index, and nothing is created. (Only the
    // embedded database can be missing: PostgreSQL's tables are made at the first connection.)
    let fresh = Kg::sqlite();
    for args in [&["search", "copper"][..], &["reindex"]] {
        let run = fresh.fails(args, 2);
        assert!(run.stderr.contains("kinograph demo"), "{run}");
        assert!(!fresh.data().exists(), "{run}");
    }
}

// ---------------------------------------------------------------------------------------------
// user, publication, import essay

const PASSWORD: &str = "a long enough secret 42";

fn add_user(kg: &Kg, name: &str, role: &str) -> common::Run {
    kg.run_with_stdin(
        &["user", "add", name, "--role", role, "--password-stdin"],
        &format!("{PASSWORD}\n"),
    )
}

/// Every byte of the database: its main file and its write-ahead log, if any.
fn database_bytes(kg: &Kg) -> Vec<u8> {
    ["kinograph.sqlite", "kinograph.sqlite-wal"]
        .iter()
        .filter_map(|name| std::fs::read(kg.data().join(name)).ok())
        .flatten()
        .collect()
}

fn holds(bytes: &[u8], text: &str) -> bool {
    bytes.windows(text.len()).any(|w| w == text.as_bytes())
}

/// The accounts as (name, display name, role), from `user list --json`.
fn users(kg: &Kg) -> Vec<(String, String, String)> {
    let list = kg.json(&["user", "list", "--json"]);
    let names = strings(&list, "/name");
    let displays = strings(&list, "/display_name");
    let roles = strings(&list, "/role");
    (0..names.len())
        .map(|i| {
            (
                names[i].to_string(),
                displays[i].to_string(),
                roles[i].to_string(),
            )
        })
        .collect()
}

fn user(name: &str, display_name: &str, role: &str) -> (String, String, String) {
    (name.into(), display_name.into(), role.into())
}

#[test]
fn user_add_keeps_only_a_hash_of_the_password() {
    // It reads the bytes of the SQLite file.
    let kg = Kg::sqlite();
    let run = kg.run_with_stdin(
        &[
            "user",
            "add",
            "ana",
            "--role",
            "writer",
            "--display-name",
            "Ana Writer",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(run.code, Some(0), "{run}");
    assert!(
        !run.stdout.contains(PASSWORD) && !run.stderr.contains(PASSWORD),
        "{run}"
    );

    // Without --password-stdin a password is made up and shown once.
    let made_up = kg.ok(&["user", "add", "bob", "--role", "editor"]);
    let generated = made_up
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("password: "))
        .unwrap_or_else(|| panic!("no password shown: {made_up}"))
        .to_string();
    assert_eq!(generated.chars().count(), 20, "{made_up}");
    assert!(made_up.stdout.contains("shown only now"), "{made_up}");

    assert_eq!(
        users(&kg),
        [
            user("ana", "Ana Writer", "writer"),
            user("bob", "bob", "editor")
        ]
    );
    let bytes = database_bytes(&kg);
    assert!(
        holds(&bytes, "$argon2id$"),
        "the hashes are in the database"
    );
    for secret in [PASSWORD, generated.as_str()] {
        assert!(!holds(&bytes, secret), "{secret:?} is in the database");
    }
}

#[test]
fn user_add_refuses_a_taken_name_a_short_password_and_a_bad_name() {
    let kg = Kg::new();
    assert_eq!(add_user(&kg, "ana", "writer").code, Some(0));
    let taken = add_user(&kg, "ana", "editor");
    assert_eq!(taken.code, Some(2), "{taken}");
    assert!(taken.stderr.contains("\"ana\" is taken"), "{taken}");
    let short = kg.run_with_stdin(
        &["user", "add", "cy", "--role", "reader", "--password-stdin"],
        "short\n",
    );
    assert_eq!(short.code, Some(2), "{short}");
    assert!(short.stderr.contains("at least 10 characters"), "{short}");
    let empty = kg.run_with_stdin(
        &["user", "add", "cy", "--role", "reader", "--password-stdin"],
        "",
    );
    assert_eq!(empty.code, Some(2), "{empty}");
    let bad = add_user(&kg, "Cy Bad", "reader");
    assert_eq!(bad.code, Some(2), "{bad}");
    assert!(bad.stderr.contains("user name"), "{bad}");
    kg.fails(&["user", "add", "cy", "--role", "overlord"], 2);
    assert_eq!(users(&kg), [user("ana", "ana", "writer")]);
}

#[test]
fn user_role_changes_a_role() {
    let kg = Kg::new();
    assert_eq!(add_user(&kg, "ana", "writer").code, Some(0));
    let run = kg.ok(&["user", "role", "ana", "editor"]);
    assert!(run.stdout.contains("writer → editor"), "{run}");
    assert_eq!(users(&kg), [user("ana", "ana", "editor")]);
    let same = kg.ok(&["user", "role", "ana", "editor"]);
    assert!(same.stdout.contains("unchanged"), "{same}");
    let nobody = kg.fails(&["user", "role", "nobody", "editor"], 2);
    assert!(nobody.stderr.contains("no user \"nobody\""), "{nobody}");
}

#[test]
fn publication_add_creates_then_updates() {
    let kg = Kg::new();
    let add = [
        "publication",
        "add",
        "test-review",
        "--name",
        "The Test Review",
        "--link",
        "Site=https://example.org/",
    ];
    assert!(kg.ok(&add).stdout.contains("test-review: new"));
    assert!(kg.ok(&add).stdout.contains("test-review: unchanged"));
    let renamed = kg.ok(&["publication", "add", "test-review", "--name", "The Review"]);
    assert!(renamed.stdout.contains("test-review: updated"), "{renamed}");
    kg.fails(&["publication", "add", "Bad Slug", "--name", "X"], 2);
    // The masthead: an existing user, on an existing publication.
    kg.run_with_stdin(
        &["user", "add", "ana", "--role", "writer", "--password-stdin"],
        "a long enough password\n",
    );
    let member = kg.ok(&[
        "publication",
        "member",
        "test-review",
        "ana",
        "--role",
        "editor",
    ]);
    assert!(
        member
            .stdout
            .contains("ana is on the masthead of test-review as editor"),
        "{member}"
    );
    kg.fails(&["publication", "member", "test-review", "nobody"], 2);
    kg.fails(&["publication", "member", "no-such-review", "ana"], 2);
    kg.fails(
        &[
            "publication",
            "add",
            "x",
            "--name",
            "X",
            "--link",
            "Site=ftp://x",
        ],
        2,
    );
}

/// The demo world, a publication of our own, and `notes-on-tangerine.txt` (a plain-text essay
/// with one claim the demo contradicts: Tangerine is of 2015, not 2012) to import.
fn essay_world() -> (Kg, String) {
    let kg = Kg::new();
    kg.ok(&["demo"]);
    kg.ok(&[
        "publication",
        "add",
        "test-review",
        "--name",
        "The Test Review",
    ]);
    (kg, fixture("notes-on-tangerine.txt"))
}

#[test]
fn import_essay_publishes_a_plain_text_essay_through_the_workflow_once() {
    let (kg, essay) = essay_world();
    let args = [
        "import",
        "essay",
        essay.as_str(),
        "--publication",
        "test-review",
        "--author",
        "ana",
        "--publish",
    ];
    let run = kg.ok(&args);
    assert!(
        run.stdout
            .contains("essay notes-on-tangerine: new (published)"),
        "{run}"
    );
    let again = kg.ok(&args);
    assert!(
        again
            .stdout
            .contains("essay notes-on-tangerine: unchanged (published)"),
        "{again}"
    );
    // The author's account was made (a writer who cannot log in yet), and the editor account
    // the workflow was run as (beside the demo's editor and readers).
    assert_eq!(
        users(&kg),
        [
            user("ana", "ana", "writer"),
            user("kinograph", "Kinograph", "editor"),
            user("kinograph-editors", "Kinograph Editors", "editor"),
            user("margot", "Margot Lane", "reader"),
            user("teo", "Teo Alvarez", "reader"),
        ]
    );

    // A changed file corrects the published essay.
    let text = std::fs::read_to_string(&essay).unwrap();
    let changed = kg.write(
        "notes-on-tangerine.txt",
        text.replace("released in 2012", "released in 2015")
            .as_bytes(),
    );
    let mut args = args;
    args[2] = &changed;
    let corrected = kg.ok(&args);
    assert!(
        corrected
            .stdout
            .contains("essay notes-on-tangerine: updated (published, corrected)"),
        "{corrected}"
    );
    // Someone else's file under the same slug is refused.
    args[6] = "bob";
    let refused = kg.fails(&args, 2);
    assert!(refused.stderr.contains("is by ana, not bob"), "{refused}");
}

#[test]
fn import_essay_refuses_a_bad_file_naming_its_line_and_writes_nothing() {
    let (kg, essay) = essay_world();
    let before = users(&kg);
    let import = |file: &str, publication: &str| {
        kg.fails(
            &[
                "import",
                "essay",
                file,
                "--publication",
                publication,
                "--author",
                "ana",
                "--publish",
            ],
            2,
        )
    };
    let binary = kg.write("binary.txt", b"A Title\n\nSome text \xff\n");
    let run = import(&binary, "test-review");
    assert!(
        run.stderr.contains("binary.txt:3: the essay is not UTF-8"),
        "{run}"
    );
    let front = kg.write(
        "front.md",
        b"+++\ntitle = \"A Title\"\npublished = \"soon\"\n+++\nText.\n",
    );
    let run = import(&front, "test-review");
    assert!(
        run.stderr
            .contains("front.md:3: invalid type: string \"soon\", expected a TOML datetime"),
        "{run}"
    );
    let run = import(&essay, "no-such-review");
    assert!(
        run.stderr
            .contains("there is no publication \"no-such-review\""),
        "{run}"
    );
    assert_eq!(users(&kg), before, "no account was made");
    let fresh = Kg::new();
    fresh.fails(
        &[
            "import",
            "essay",
            &essay,
            "--publication",
            "test-review",
            "--author",
            "ana",
        ],
        2,
    );
    assert!(!fresh.data().exists(), "no catalog was made");
}

// ---------------------------------------------------------------------------------------------
// diaries: import letterboxd | archive | movielens, export letterboxd | archive

/// The films of the Letterboxd fixture `crates/import/tests/fixtures/letterboxd/reader` (see
/// `crates/import/tests/diary.rs` for what each row tests): Tokyo Story under its original title,
/// Prince of Broadway a year after Letterboxd's.
const DIARY_CATALOG: &str = r#"format = "kinograph-catalog/1"

[sources]
notes = { title = "Test notes", publisher = "Kinograph tests" }

[[people]]
id = "nm0048650"
name = "Sean Baker"
source = "notes"

[[films]]
id = "tt28607951"
title = "Anora"
year = 2024
source = "notes"
  [[films.credits]]
  person = "nm0048650"
  category = "director"

[[films]]
id = "tt5649144"
title = "The Florida Project"
year = 2017
source = "notes"

[[films]]
id = "tt3824458"
title = "Tangerine"
year = 2015
source = "notes"

[[films]]
id = "tt6751668"
title = "Parasite"
year = 2019
source = "notes"

[[films]]
id = "tt0046438"
title = "Tôkyô monogatari"
year = 1953
aliases = ["Tokyo Story"]
source = "notes"

[[films]]
id = "tt1000769"
title = "Prince of Broadway"
year = 2008
source = "notes"

[[films]]
id = "tt2112281"
title = "Starlet"
year = 2012
source = "notes"

[[films]]
id = "tt13453006"
title = "Red Rocket"
year = 2021
source = "notes"
"#;

fn letterboxd_fixture() -> String {
    arg(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../import/tests/fixtures/letterboxd/reader"))
}

/// A catalog of the fixture's films and the readers `ann` and `bob`.
fn diary_world() -> Kg {
    let kg = Kg::new();
    let catalog = kg.write("diary-catalog.toml", DIARY_CATALOG.as_bytes());
    kg.ok(&["import", "catalog", &catalog]);
    for name in ["ann", "bob"] {
        let added = add_user(&kg, name, "reader");
        assert_eq!(added.code, Some(0), "{added}");
    }
    kg
}

/// A user archive exported by the CLI, without what names whose it is and when it was made.
fn archive_contents(kg: &Kg, user: &str) -> Value {
    let file = kg.path(&format!("{user}.json"));
    kg.ok(&["export", "archive", "--user", user, "--out", &arg(&file)]);
    let mut archive: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    assert_eq!(archive["user"], user);
    for key in ["user", "display_name", "exported"] {
        archive[key] = Value::Null;
    }
    archive
}

#[test]
fn import_letterboxd_reports_each_file_year_matches_and_unmatched_rows_and_adds_nothing_twice() {
    let kg = diary_world();
    let export = letterboxd_fixture();
    let first = kg.ok(&["import", "letterboxd", &export, "--user", "ann"]);
    for line in [
        "diary.csv: 7 read, 6 new, 0 already there, 1 not in the catalog",
        "reviews.csv: 3 read, 1 new, 0 already there, 2 merged into their diary entry",
        "ratings.csv: 5 read, 3 new, 2 already there",
        "watched.csv: 3 read, 1 new, 2 already there",
        "watchlist.csv: 1 read, 1 new, 0 already there",
        "likes/films.csv: 2 read, 2 new, 0 already there",
        "lists/sean-baker-in-order.csv: 5 read, 4 new, 0 already there, 1 not in the catalog",
        "list \u{201c}Sean Baker, in order\u{201d} (/lists/sean-baker-in-order): new, 4 films",
        "diary.csv:4: Prince of Broadway (2007) \u{2192} Prince of Broadway (2008) [tt1000769]",
        "lists/sean-baker-in-order.csv:10: Prince of Broadway (2007)",
        "diary.csv:6: The Glass Orchard (2019)",
        "lists/sean-baker-in-order.csv:9: Mystery Train Station (2011)",
        "rejected rows: 1",
    ] {
        assert!(first.stdout.contains(line), "{line:?} missing: {first}");
    }
    assert!(!first.stdout.contains("several films match"), "{first}");
    assert!(
        first
            .stderr
            .contains("diary.csv:7: rejected: rating \"4.3\" is not allowed"),
        "{first}"
    );
    let after_first = archive_contents(&kg, "ann");
    assert_eq!(after_first["viewings"].as_array().unwrap().len(), 7);
    assert_eq!(after_first["lists"].as_array().unwrap().len(), 2);

    let second = kg.ok(&["import", "letterboxd", &export, "--user", "ann"]);
    assert!(
        second
            .stdout
            .contains("diary.csv: 7 read, 0 new, 6 already there, 1 not in the catalog"),
        "{second}"
    );
    for line in second.stdout.lines().filter(|l| l.contains(" read, ")) {
        assert!(line.contains(" read, 0 new, "), "{line:?} in {second}");
    }
    assert!(second.stdout.contains("): unchanged, 4 films"), "{second}");
    assert_eq!(archive_contents(&kg, "ann"), after_first);

    // One file of the export alone.
    let ratings = arg(&Path::new(&export).join("ratings.csv"));
    let alone = kg.ok(&["import", "letterboxd", &ratings, "--user", "bob"]);
    assert!(
        alone
            .stdout
            .contains("ratings.csv: 5 read, 5 new, 0 already there"),
        "{alone}"
    );
    assert!(!alone.stdout.contains("diary.csv"), "{alone}");
}

#[test]
fn import_letterboxd_refuses_an_unknown_user_and_a_broken_zip_and_changes_nothing() {
    let kg = diary_world();
    let export = letterboxd_fixture();
    let unknown = kg.fails(&["import", "letterboxd", &export, "--user", "zed"], 2);
    assert!(
        unknown.stderr.contains("there is no user \"zed\""),
        "{unknown}"
    );
    let empty = archive_contents(&kg, "ann");
    let broken = kg.write("letterboxd.zip", b"PK\x03\x04 not really a ZIP");
    let run = kg.fails(&["import", "letterboxd", &broken, "--user", "ann"], 2);
    assert!(run.stderr.contains("not a readable ZIP archive"), "{run}");
    let other = kg.write("notes.csv", b"a,b\n1,2\n");
    let run = kg.fails(&["import", "letterboxd", &other, "--user", "ann"], 2);
    assert!(run.stderr.contains("not a Letterboxd export"), "{run}");
    assert_eq!(archive_contents(&kg, "ann"), empty);
    for command in [
        vec!["export", "archive", "--user", "zed", "--out", "x.json"],
        vec!["export", "letterboxd", "--user", "zed", "--out", "out"],
    ] {
        let run = kg.fails(&command, 2);
        assert!(run.stderr.contains("there is no user \"zed\""), "{run}");
    }
}

#[test]
fn export_letterboxd_writes_the_import_csv_and_an_archive_round_trips_into_another_account() {
    let kg = diary_world();
    kg.ok(&[
        "import",
        "letterboxd",
        &letterboxd_fixture(),
        "--user",
        "ann",
    ]);

    let out = kg.path("for-letterboxd");
    let run = kg.ok(&["export", "letterboxd", "--user", "ann", "--out", &arg(&out)]);
    assert!(run.stdout.contains("ann: 10 rows written to"), "{run}");
    let csv = std::fs::read_to_string(out.join("letterboxd-import.csv")).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(
        lines[0],
        "LetterboxdURI,tmdbID,imdbID,Title,Year,Directors,WatchedDate,Rating,Rating10,Tags,Review"
    );
    assert_eq!(
        lines[5],
        "https://boxd.it/7rA1,,tt28607951,Anora,2024,Sean Baker,2024-10-19,4.5,9,\
         \"cinema, paris\",\"Funny, then \"\"devastating\"\"."
    );
    assert_eq!(lines[6], "The last scene stays.\"");
    assert_eq!(lines.len(), 12, "{csv}");

    let theirs = archive_contents(&kg, "ann");
    let run = kg.ok(&[
        "import",
        "archive",
        &arg(&kg.path("ann.json")),
        "--user",
        "bob",
    ]);
    assert!(
        run.stdout.contains("viewings: 7 new, 0 already there"),
        "{run}"
    );
    assert!(
        run.stdout.contains("lists: 2 new, 0 already there"),
        "{run}"
    );
    assert_eq!(archive_contents(&kg, "bob"), theirs);
    let again = kg.ok(&[
        "import",
        "archive",
        &arg(&kg.path("ann.json")),
        "--user",
        "bob",
    ]);
    assert!(
        again.stdout.contains("viewings: 0 new, 7 already there"),
        "{again}"
    );

    let broken = kg.write(
        "broken.json",
        b"{\"format\": \"kinograph-user-archive\",\n\"version\": 2}\n",
    );
    let run = kg.fails(&["import", "archive", &broken, "--user", "bob"], 2);
    assert!(
        run.stderr
            .contains("broken.json:2: not a Kinograph user archive"),
        "{run}"
    );
}

#[test]
fn import_movielens_makes_a_reader_account_per_user() {
    let kg = diary_world();
    let dir = kg.path("ml");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(
        dir.join("links.csv"),
        "movieId,imdbId,tmdbId\n1,28607951,1064213\n2,3824458,\n3,0000501,\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("ratings.csv"),
        "userId,movieId,rating,timestamp\n1,1,4.5,1730000000\n1,3,2.0,1730000100\n\
         2,2,3.0,1440000000\n",
    )
    .unwrap();
    let run = kg.ok(&["import", "movielens", &arg(&dir)]);
    for line in [
        "movielens: 3 ratings read",
        "accounts: 2 new, 0 already there",
        "viewings: 2 new, 0 already there",
        "films in the catalog: 2; not in it: 1 (1 ratings left out)",
    ] {
        assert!(run.stdout.contains(line), "{line:?} missing: {run}");
    }
    assert!(users(&kg).contains(&user("ml-1", "MovieLens user 1", "reader")));
    let again = kg.ok(&["import", "movielens", &arg(&dir)]);
    assert!(
        again.stdout.contains("viewings: 0 new, 2 already there"),
        "{again}"
    );
}

// ---------------------------------------------------------------------------------------------
// backup and restore: of the embedded SQLite database only (they refuse on PostgreSQL, which has
// its own tools), so these tests run on it whatever the test run's database.

#[test]
fn backup_and_restore_round_trip_a_whole_instance_with_its_search() {
    let kg = Kg::sqlite();
    kg.ok(&["demo"]);
    let demo = kg.status();
    let users = kg.json(&["user", "list", "--json"]);
    let file = kg.path("kinograph.backup");
    let backup = kg.ok(&["backup", &arg(&file)]);
    assert!(backup.stdout.contains("backed up"), "{backup}");

    // Never over a file.
    let again = kg.fails(&["backup", &arg(&file)], 2);
    assert!(again.stderr.contains("already exists"), "{again}");

    // Into a new data folder: the same counts, accounts, and a search index built from it.
    let other = kg.path("other");
    let restored = kg.run_with_data(&other, &["restore", &arg(&file)]);
    assert_eq!(restored.code, Some(0), "{restored}");
    assert!(
        restored.stdout.contains("search index rebuilt"),
        "{restored}"
    );
    let status = kg.run_with_data(&other, &["status", "--json"]).json();
    assert_eq!(counts(&status), counts(&demo));
    let other_users = kg.run_with_data(&other, &["user", "list", "--json"]).json();
    assert_eq!(other_users, users);
    let search = kg
        .run_with_data(&other, &["search", "anora", "--json"])
        .json();
    assert_eq!(search["hits"][0]["name"], "Anora", "{search}");

    // Over a catalog only when asked to, and then its search forgets what the backup lacks.
    kg.ok(&["import", "oscars", &fixture(SMALL)]);
    assert_eq!(found(&kg, "glass harbor", &[])[0], "film The Glass Harbor");
    let refused = kg.fails(&["restore", &arg(&file)], 2);
    assert!(refused.stderr.contains("--replace"), "{refused}");
    assert_ne!(counts(&kg.status()), counts(&demo), "nothing was restored");
    kg.ok(&["restore", &arg(&file), "--replace"]);
    assert_eq!(counts(&kg.status()), counts(&demo));
    kg.fails(&["search", "glass harbor", "--json"], 1);
    assert_eq!(found(&kg, "anora", &[])[0], "film Anora");
}

#[test]
fn restore_of_a_file_that_is_not_a_backup_changes_nothing() {
    let kg = Kg::sqlite();
    kg.ok(&["demo"]);
    let before = kg.status();
    let notes = kg.write(
        "notes.sqlite",
        b"these are not the pages you are looking for\n",
    );
    let run = kg.fails(&["restore", &notes, "--replace"], 2);
    assert!(run.stderr.contains("is not a Kinograph backup"), "{run}");
    assert!(run.stderr.contains("nothing was restored"), "{run}");
    assert_eq!(kg.status(), before);
    assert_eq!(found(&kg, "anora", &[])[0], "film Anora");

    // Nor does it leave an empty catalog in a new data folder.
    let fresh = kg.path("fresh");
    let run = kg.run_with_data(&fresh, &["restore", &notes]);
    assert_eq!(run.code, Some(2), "{run}");
    assert!(!fresh.exists(), "{run}");
}
