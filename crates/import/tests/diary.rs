//! Diaries in and out: a Letterboxd export of our own writing (`fixtures/letterboxd/reader/`)
//! imported into a small catalog of real films, the Letterboxd import CSV written back, the user
//! archive carried into a fresh account, and MovieLens ratings as reader accounts.
//!
//! `reader/`, file by file (line numbers of the files):
//!
//! | file:line | film | what it tests |
//! |---|---|---|
//! | diary.csv (BOM) :2 | The Florida Project 2017 | unrated; on the watchlist before, so taken off |
//! | diary.csv:3 | Tokyo Story 1953 | an alternative title; tags "criterion, ozu"; review without address |
//! | diary.csv:4 | Prince of Broadway 2007 | the catalog says 2008: matched by year ±1 |
//! | diary.csv:5 | Starlet 2012 | two films of that title and year: the nominated one is taken |
//! | diary.csv:6 | The Glass Orchard 2019 | not in the catalog |
//! | diary.csv:7 | Tangerine 2015 | rating 4.3: rejected by the reader |
//! | diary.csv:8, :9 | Anora 2024 | a viewing with tags "cinema, paris", then a rewatch |
//! | reviews.csv:2 | Tokyo Story | merged by film and watched date |
//! | reviews.csv:3 | Anora | merged by address; a comma, quotes and a line break |
//! | reviews.csv:5 | Tangerine | a review without a diary row: a viewing of its own, undated |
//! | ratings.csv | Parasite, Florida, Starlet (newer, different), Tangerine and Anora (same) | |
//! | lists/sean-baker-in-order.csv | ranked, with notes; an unknown film; a year ±1 | |
//! | lists/rainy-sundays.csv | unranked | |
//! | deleted/ | a diary row and a list that must not be read | |
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kinograph_catalog::{
    AwardClass, Category, CeremonyYears, CreditRecord, EntityKind, FilmRecord, NominatedFilm,
    Nomination, Nominee, NomineeRef, Outcome, PersonRecord, Provenance, RoleCategory,
};
use kinograph_diary::{NewViewing, Rating, UserArchive, ViewingQuery};
use kinograph_import::diary::{
    self, ArchiveUnmatched, FileCounts, LetterboxdReport, Matched, Unmatched,
};
use kinograph_import::letterboxd_csv::{IMPORT_HEADER, write_import_csv};
use kinograph_import::{Error, NoProgress, Tally};
use kinograph_publishing::{NewUser, Role, User};
use kinograph_store::{DiaryRead, EditorialRead, Store};
use zip::write::SimpleFileOptions;

const ANORA: &str = "tt28607951";
const FLORIDA: &str = "tt5649144";
const TANGERINE: &str = "tt3824458";
const PARASITE: &str = "tt6751668";
const TOKYO: &str = "tt0046438";
const PRINCE: &str = "tt1000769";
const STARLET: &str = "tt2112281";
/// Another film called Starlet, of the same year (invented).
const OTHER_STARLET: &str = "tt9990002";
const RED_ROCKET: &str = "tt13453006";

/// A viewing as a test compares it: key, film, watched, rating, and rewatch (or private).
type ViewingLine<'a> = (&'a str, &'a str, Option<NaiveDate>, Option<Rating>, bool);

fn reader_export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/letterboxd/reader")
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn stars(text: &str) -> Rating {
    Rating::parse(text).unwrap()
}

fn source() -> Provenance {
    Provenance::line("diary-test", 1)
}

/// The films of the fixture (and Red Rocket, only watchlisted), Tokyo Story under its original
/// title with its English one as an alternative title, and two films called Starlet, the real
/// one nominated.
fn catalog() -> Store {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            for (id, title, year, tmdb) in [
                (ANORA, "Anora", 2024, Some(1_064_213)),
                (FLORIDA, "The Florida Project", 2017, None),
                (TANGERINE, "Tangerine", 2015, None),
                (PARASITE, "Parasite", 2019, Some(496_243)),
                (TOKYO, "Tôkyô monogatari", 1953, None),
                (PRINCE, "Prince of Broadway", 2008, None),
                (STARLET, "Starlet", 2012, None),
                (OTHER_STARLET, "Starlet", 2012, None),
                (RED_ROCKET, "Red Rocket", 2021, None),
            ] {
                w.put_film(&FilmRecord {
                    year: Some(year),
                    tmdb_id: tmdb,
                    ..FilmRecord::new(id, title, source())
                })?;
            }
            w.put_alias(EntityKind::Film, TOKYO, "Tokyo Story", &source())?;
            for (id, name) in [
                ("nm0048650", "Sean Baker"),
                ("nm0094435", "Bong Joon Ho"),
                ("nm0654868", "Yasujirô Ozu"),
            ] {
                w.put_person(&PersonRecord::new(id, name, source()))?;
            }
            for (film, person) in [
                (ANORA, "nm0048650"),
                (FLORIDA, "nm0048650"),
                (TANGERINE, "nm0048650"),
                (PRINCE, "nm0048650"),
                (STARLET, "nm0048650"),
                (PARASITE, "nm0094435"),
                (TOKYO, "nm0654868"),
            ] {
                w.put_credit(&CreditRecord {
                    film: film.into(),
                    person: person.into(),
                    category: RoleCategory::Director,
                    job: None,
                    characters: Vec::new(),
                    order: None,
                    source: source(),
                })?;
            }
            w.put_award_body("spirit", "Independent Spirit Awards")?;
            w.put_nomination(&Nomination {
                body: "spirit".into(),
                ceremony: 28,
                years: CeremonyYears {
                    first: 2012,
                    last: 2012,
                },
                category: Category {
                    canonical: "ROBERT ALTMAN AWARD".into(),
                    name: "ROBERT ALTMAN AWARD".into(),
                    class: AwardClass::Title,
                },
                films: vec![NominatedFilm {
                    title: "Starlet".into(),
                    imdb_id: Some(STARLET.into()),
                }],
                credit: "Sean Baker".into(),
                nominees: vec![Nominee {
                    name: "Sean Baker".into(),
                    id: NomineeRef::Person("nm0048650".into()),
                    shared: false,
                }],
                winner: true,
                detail: Vec::new(),
                note: None,
                citation: None,
                source: source(),
            })?;
            Ok(())
        })
        .unwrap();
    store
}

fn add_user(store: &mut Store, name: &str) -> User {
    store
        .edit(|w| {
            w.create_user(&NewUser {
                name: name.into(),
                display_name: format!("{name} (display)"),
                role: Role::Reader,
                password_hash: None,
            })
        })
        .unwrap()
}

fn archive(store: &Store, user: &User) -> UserArchive {
    kinograph_store::diary::archive(store, user, day("2025-06-01")).unwrap()
}

/// What an archive holds apart from whose it is and when it was made.
fn contents(mut archive: UserArchive) -> UserArchive {
    archive.user = String::new();
    archive.display_name = String::new();
    archive.exported = NaiveDate::default();
    archive
}

fn counts(
    file: &str,
    read: u64,
    added: u64,
    unchanged: u64,
    merged: u64,
    unmatched: u64,
) -> FileCounts {
    FileCounts {
        file: file.into(),
        read,
        added,
        unchanged,
        merged,
        unmatched,
    }
}

fn import_reader(store: &mut Store, user: &User) -> LetterboxdReport {
    let export = diary::read_export(&reader_export()).unwrap();
    diary::import_letterboxd(store, &export, user).unwrap()
}

#[test]
fn a_letterboxd_export_becomes_viewings_film_states_and_lists() {
    let mut store = catalog();
    let ann = add_user(&mut store, "ann");
    // On the watchlist before the import: logging it takes it off.
    store
        .diary(|w| w.set_watchlisted(ann.id, FLORIDA, Some(day("2024-01-01"))))
        .unwrap();

    let report = import_reader(&mut store, &ann);

    assert_eq!(
        report.files,
        [
            counts("diary.csv", 7, 6, 0, 0, 1),
            counts("reviews.csv", 3, 1, 0, 2, 0),
            counts("ratings.csv", 5, 3, 2, 0, 0),
            counts("watched.csv", 3, 1, 2, 0, 0),
            counts("watchlist.csv", 1, 1, 0, 0, 0),
            counts("likes/films.csv", 2, 2, 0, 0, 0),
            counts("lists/rainy-sundays.csv", 2, 2, 0, 0, 0),
            counts("lists/sean-baker-in-order.csv", 5, 4, 0, 0, 1),
        ]
    );
    let prince = |file: &str, line| Matched {
        file: file.into(),
        line,
        title: "Prince of Broadway".into(),
        year: Some(2007),
        film: PRINCE.into(),
        film_title: "Prince of Broadway".into(),
        film_year: Some(2008),
        others: Vec::new(),
    };
    assert_eq!(
        report.near_year,
        [
            prince("diary.csv", 4),
            prince("lists/sean-baker-in-order.csv", 10)
        ]
    );
    let starlet = |file: &str, line| Matched {
        file: file.into(),
        line,
        title: "Starlet".into(),
        year: Some(2012),
        film: STARLET.into(),
        film_title: "Starlet".into(),
        film_year: Some(2012),
        others: vec![OTHER_STARLET.into()],
    };
    assert_eq!(
        report.ambiguous,
        [starlet("diary.csv", 5), starlet("ratings.csv", 5)]
    );
    assert_eq!(
        report.unmatched,
        [
            Unmatched {
                file: "diary.csv".into(),
                line: 6,
                title: "The Glass Orchard".into(),
                year: Some(2019),
            },
            Unmatched {
                file: "lists/sean-baker-in-order.csv".into(),
                line: 9,
                title: "Mystery Train Station".into(),
                year: Some(2011),
            },
        ]
    );
    assert!(report.missing.is_empty());
    assert_eq!(report.rejected.len(), 1, "{:?}", report.rejected);
    assert!(
        report.rejected[0].message.starts_with("diary.csv:7: "),
        "{:?}",
        report.rejected
    );
    let lists: Vec<(&str, Outcome, u64)> = report
        .lists
        .iter()
        .map(|l| (l.slug.as_str(), l.outcome, l.films))
        .collect();
    assert_eq!(
        lists,
        [
            ("rainy-sundays", Outcome::New, 2),
            ("sean-baker-in-order", Outcome::New, 4)
        ]
    );

    // The viewings, oldest first.
    let all = archive(&store, &ann);
    let viewings: Vec<ViewingLine<'_>> = all
        .viewings
        .iter()
        .map(|v| {
            (
                v.key.as_str(),
                v.film.id.as_str(),
                v.watched,
                v.rating,
                v.rewatch,
            )
        })
        .collect();
    assert_eq!(
        viewings,
        [
            (
                "https://boxd.it/4kF7",
                FLORIDA,
                Some(day("2024-03-09")),
                None,
                false
            ),
            (
                "https://boxd.it/2tS9",
                TOKYO,
                Some(day("2024-05-04")),
                Some(stars("5")),
                false
            ),
            (
                "https://boxd.it/6pB2",
                PRINCE,
                Some(day("2024-05-31")),
                Some(stars("3.5")),
                false
            ),
            (
                "https://boxd.it/8sT4",
                STARLET,
                Some(day("2024-07-13")),
                Some(stars("4")),
                false
            ),
            (
                "https://boxd.it/7rA1",
                ANORA,
                Some(day("2024-10-19")),
                Some(stars("4.5")),
                false
            ),
            (
                "https://boxd.it/3tH8",
                TANGERINE,
                None,
                Some(stars("4")),
                false
            ),
            (
                "https://boxd.it/9bQ3",
                ANORA,
                Some(day("2025-02-01")),
                Some(stars("5")),
                true
            ),
        ]
    );
    let anora = &all.viewings[4];
    assert_eq!(anora.tags, ["cinema", "paris"]);
    assert_eq!(
        anora.review.as_deref(),
        Some("Funny, then \"devastating\".\nThe last scene stays.")
    );
    assert_eq!(anora.logged, day("2024-10-20"));
    assert_eq!(
        anora.letterboxd_uri.as_deref(),
        Some("https://boxd.it/7rA1")
    );
    assert!(!anora.private);
    let tokyo = &all.viewings[1];
    assert_eq!(tokyo.tags, ["criterion", "ozu"]);
    assert_eq!(tokyo.review.as_deref(), Some("Quiet and enormous."));
    let tangerine = &all.viewings[5];
    assert_eq!(tangerine.logged, day("2024-11-11"));
    assert_eq!(
        tangerine.review.as_deref(),
        Some("Shot on phones, and it shows: in the best way.")
    );
    assert!(all.viewings[0].tags.is_empty() && all.viewings[0].review.is_none());

    // The films' states, by title: watched (earliest day), current rating, like, watchlist.
    type State<'a> = (
        &'a str,
        bool,
        Option<NaiveDate>,
        Option<Rating>,
        Option<NaiveDate>,
        Option<NaiveDate>,
        Option<NaiveDate>,
    );
    let states: Vec<State<'_>> = all
        .films
        .iter()
        .map(|s| {
            (
                s.film.id.as_str(),
                s.watched,
                s.watched_on,
                s.rating,
                s.rated_on,
                s.liked_on,
                s.watchlisted_on,
            )
        })
        .collect();
    let d = |t| Some(day(t));
    let r = |t| Some(stars(t));
    assert_eq!(
        states,
        [
            (
                ANORA,
                true,
                d("2024-10-19"),
                r("5"),
                d("2025-02-01"),
                d("2024-10-20"),
                None
            ),
            (
                PARASITE,
                true,
                d("2023-01-15"),
                r("5"),
                d("2023-01-15"),
                None,
                None
            ),
            (
                PRINCE,
                true,
                d("2024-05-31"),
                r("3.5"),
                d("2024-05-31"),
                None,
                None
            ),
            (RED_ROCKET, false, None, None, None, None, d("2024-12-24")),
            (
                STARLET,
                true,
                d("2024-07-13"),
                r("3.5"),
                d("2024-12-01"),
                None,
                None
            ),
            (
                TANGERINE,
                true,
                d("2024-11-11"),
                r("4"),
                d("2024-11-11"),
                None,
                None
            ),
            (
                FLORIDA,
                true,
                d("2024-03-09"),
                r("4"),
                d("2024-03-12"),
                None,
                None
            ),
            (
                TOKYO,
                true,
                d("2024-05-04"),
                r("5"),
                d("2024-05-04"),
                d("2024-05-05"),
                None
            ),
        ]
    );

    // The lists: the ranked one in its order with its notes, the unmatched entry left out.
    assert_eq!(all.lists.len(), 2);
    let ranked = &all.lists[1];
    assert_eq!(ranked.slug, "sean-baker-in-order");
    assert_eq!(ranked.name, "Sean Baker, in order");
    assert!(ranked.ranked && !ranked.private);
    assert_eq!(ranked.tags, ["baker", "ranked"]);
    assert_eq!(ranked.created, day("2025-01-10"));
    assert_eq!(
        ranked.description.as_deref(),
        Some("Best first, of what I've seen.")
    );
    let items: Vec<(&str, Option<&str>)> = ranked
        .items
        .iter()
        .map(|i| (i.film.id.as_str(), i.note.as_deref()))
        .collect();
    assert_eq!(
        items,
        [
            (ANORA, Some("The Palme d'Or, finally.")),
            (FLORIDA, None),
            (TANGERINE, Some("Three iPhones, one Christmas Eve.")),
            (PRINCE, Some("Where it started.")),
        ]
    );
    let unranked = &all.lists[0];
    assert_eq!(unranked.slug, "rainy-sundays");
    assert!(!unranked.ranked);
    assert_eq!(unranked.items.len(), 2);
    assert_eq!(unranked.items[1].note.as_deref(), Some("Not exactly cosy."));

    // Nothing from deleted/: Parasite has no viewing, Red Rocket is on no list.
    assert!(all.viewings.iter().all(|v| v.film.id != PARASITE));
}

#[test]
fn importing_the_same_export_twice_adds_nothing() {
    let mut store = catalog();
    let ann = add_user(&mut store, "ann");
    let first = import_reader(&mut store, &ann);
    assert_eq!(first.added(), 20);
    let before = archive(&store, &ann);

    let second = import_reader(&mut store, &ann);
    assert_eq!(second.added(), 0, "{:#?}", second.files);
    for file in &second.files {
        assert_eq!(
            file.read,
            file.unchanged + file.merged + file.unmatched,
            "{file:?}"
        );
    }
    assert_eq!(second.counts("diary.csv").unchanged, 6);
    assert!(second.lists.iter().all(|l| l.outcome == Outcome::Unchanged));
    assert_eq!(archive(&store, &ann), before);
}

/// Zips `dir` (every file under it) into `zip_path`.
fn zip_folder(dir: &Path, zip_path: &Path) {
    let mut writer = zip::ZipWriter::new(std::fs::File::create(zip_path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let mut stack = vec![dir.to_path_buf()];
    let mut files = Vec::new();
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                files.push(path);
            }
        }
    }
    files.sort();
    for path in files {
        let name = path
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        writer.start_file(name, options).unwrap();
        writer.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    writer.finish().unwrap();
}

#[test]
fn a_zip_imports_like_its_folder_and_one_file_imports_alone() {
    let temp = tempfile::tempdir().unwrap();
    let zip_path = temp.path().join("letterboxd-reader-2025-06-01.zip");
    zip_folder(&reader_export(), &zip_path);

    let mut store = catalog();
    let ann = add_user(&mut store, "ann");
    let bob = add_user(&mut store, "bob");
    import_reader(&mut store, &ann);
    let from_zip = diary::read_export(&zip_path).unwrap();
    diary::import_letterboxd(&mut store, &from_zip, &bob).unwrap();
    assert_eq!(
        contents(archive(&store, &bob)),
        contents(archive(&store, &ann))
    );

    // One file of the export, on its own: only what it holds.
    let carl = add_user(&mut store, "carl");
    let diary_only = diary::read_export(&reader_export().join("diary.csv")).unwrap();
    assert!(diary_only.reviews.is_empty() && diary_only.lists.is_empty());
    let report = diary::import_letterboxd(&mut store, &diary_only, &carl).unwrap();
    assert_eq!(
        report.counts("diary.csv"),
        counts("diary.csv", 7, 6, 0, 0, 1)
    );
    assert_eq!(report.counts("reviews.csv").read, 0);
    let list = diary::read_export(&reader_export().join("lists/rainy-sundays.csv")).unwrap();
    assert_eq!(list.lists.len(), 1);
    let likes = diary::read_export(&reader_export().join("likes/films.csv")).unwrap();
    assert_eq!(likes.liked.len(), 2);

    // Anything else is refused, naming what it expected.
    let other = temp.path().join("notes.csv");
    std::fs::write(&other, "a,b\n1,2\n").unwrap();
    let error = diary::read_export(&other).unwrap_err();
    assert!(
        matches!(&error, Error::WrongFormat { message, .. } if message.contains("diary.csv")),
        "{error}"
    );
}

#[test]
fn a_failed_import_changes_nothing() {
    let temp = tempfile::tempdir().unwrap();
    let mut store = catalog();
    let ann = add_user(&mut store, "ann");
    import_reader(&mut store, &ann);
    let before = archive(&store, &ann);

    // A broken ZIP is refused before anything is written.
    let broken = temp.path().join("export.zip");
    std::fs::write(&broken, b"PK\x03\x04 this is not really a zip archive").unwrap();
    let error = diary::read_export(&broken).unwrap_err();
    assert!(matches!(error, Error::Archive { .. }), "{error}");

    // A file of the export with a header of another format: refused as a whole.
    let folder = temp.path().join("export");
    std::fs::create_dir(&folder).unwrap();
    std::fs::copy(reader_export().join("diary.csv"), folder.join("diary.csv")).unwrap();
    std::fs::write(
        folder.join("ratings.csv"),
        "Date,Film,Stars\n2024-01-01,Anora,4.3\n",
    )
    .unwrap();
    let error = diary::read_export(&folder).unwrap_err();
    assert!(
        matches!(&error, Error::WrongFormat { dataset, .. } if dataset == "ratings.csv"),
        "{error}"
    );

    // An import whose writes fail inside its transaction (the account is gone) leaves nothing.
    let mut export = diary::read_export(&reader_export()).unwrap();
    export.diary.clear();
    export.reviews.clear();
    let gone = User {
        id: ann.id + 1000,
        name: "gone".into(),
        ..ann.clone()
    };
    assert!(diary::import_letterboxd(&mut store, &export, &gone).is_err());
    assert_eq!(archive(&store, &ann), before);
    assert!(
        store
            .viewings(&ViewingQuery {
                limit: 100,
                ..ViewingQuery::default()
            })
            .unwrap()
            .iter()
            .all(|v| v.user == "ann")
    );
}

#[test]
fn the_letterboxd_import_csv_has_the_exact_header_and_a_row_per_viewing() {
    let mut store = catalog();
    let ann = add_user(&mut store, "ann");
    import_reader(&mut store, &ann);
    let rows = diary::export_letterboxd(&store, &ann).unwrap();
    let mut out = Vec::new();
    write_import_csv(&mut out, &rows).unwrap();
    let text = String::from_utf8(out).unwrap();
    let expected = [
        IMPORT_HEADER.join(","),
        "https://boxd.it/4kF7,,tt5649144,The Florida Project,2017,Sean Baker,2024-03-09,,,,".into(),
        "https://boxd.it/2tS9,,tt0046438,Tôkyô monogatari,1953,Yasujirô Ozu,2024-05-04,5,10,\
         \"criterion, ozu\",Quiet and enormous."
            .into(),
        "https://boxd.it/6pB2,,tt1000769,Prince of Broadway,2008,Sean Baker,2024-05-31,3.5,7,,"
            .into(),
        "https://boxd.it/8sT4,,tt2112281,Starlet,2012,Sean Baker,2024-07-13,4,8,,".into(),
        "https://boxd.it/7rA1,1064213,tt28607951,Anora,2024,Sean Baker,2024-10-19,4.5,9,\
         \"cinema, paris\",\"Funny, then \"\"devastating\"\".\nThe last scene stays.\""
            .into(),
        "https://boxd.it/3tH8,,tt3824458,Tangerine,2015,Sean Baker,,4,8,,\
         \"Shot on phones, and it shows: in the best way.\""
            .into(),
        "https://boxd.it/9bQ3,1064213,tt28607951,Anora,2024,Sean Baker,2025-02-01,5,10,rewatch,"
            .into(),
        // Watched and rated without a viewing; then the current ratings no viewing carries.
        ",496243,tt6751668,Parasite,2019,Bong Joon Ho,,5,10,,".into(),
        ",,tt2112281,Starlet,2012,Sean Baker,,3.5,7,,".into(),
        ",,tt5649144,The Florida Project,2017,Sean Baker,,4,8,,".into(),
    ]
    .map(|line: String| line + "\n")
    .concat();
    assert_eq!(text, expected);
    assert_eq!(
        text.lines().next(),
        Some(
            "LetterboxdURI,tmdbID,imdbID,Title,Year,Directors,WatchedDate,Rating,Rating10,Tags,Review"
        )
    );

    // A tag holding a comma becomes two tags; a user with an empty diary exports a header only.
    store
        .diary(|w| {
            w.add_viewing(
                ann.id,
                &NewViewing {
                    film: RED_ROCKET.into(),
                    watched: Some(day("2025-03-01")),
                    logged: day("2025-03-01"),
                    rating: None,
                    liked: false,
                    rewatch: false,
                    review: Some(String::new()),
                    spoilers: false,
                    tags: vec!["texas, 2021".into()],
                    private: true,
                    letterboxd_uri: None,
                    key: "kg:red-rocket".into(),
                },
            )
        })
        .unwrap();
    let rows = diary::export_letterboxd(&store, &ann).unwrap();
    let red = rows.iter().find(|r| r.title == "Red Rocket").unwrap();
    assert_eq!(red.tags, ["texas", "2021"]);
    assert_eq!(red.review, None);
    let bob = add_user(&mut store, "bob");
    assert!(diary::export_letterboxd(&store, &bob).unwrap().is_empty());
}

/// ann's diary: the Letterboxd export, a private viewing logged here, a follow, and her
/// watchlist left alone when she logs.
fn ann_with_everything(store: &mut Store) -> User {
    let ann = add_user(store, "ann");
    let carl = add_user(store, "carl");
    import_reader(store, &ann);
    kinograph_store::diary::log(
        store,
        ann.id,
        &NewViewing {
            film: RED_ROCKET.into(),
            watched: Some(day("2025-03-01")),
            logged: day("2025-03-02"),
            rating: Some(stars("2.5")),
            liked: true,
            rewatch: false,
            review: Some("Hard to sit through, on purpose.".into()),
            spoilers: true,
            tags: vec!["texas".into()],
            private: true,
            letterboxd_uri: None,
            key: "kg:private-one".into(),
        },
    )
    .unwrap();
    store
        .diary(|w| {
            w.follow(ann.id, carl.id, true)?;
            w.set_watchlist_autoremove(ann.id, false)
        })
        .unwrap();
    ann
}

#[test]
fn an_archive_round_trips_into_a_fresh_account() {
    let mut store = catalog();
    let ann = ann_with_everything(&mut store);
    let bob = add_user(&mut store, "bob");
    let theirs = archive(&store, &ann);
    assert_eq!(theirs.following, ["carl"]);
    assert!(!theirs.watchlist_autoremove);

    let report = diary::import_archive(&mut store, &theirs, &bob).unwrap();
    assert_eq!(
        report.viewings,
        Tally {
            new: 8,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        report.films,
        Tally {
            new: 8,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        report.lists,
        Tally {
            new: 2,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        report.following,
        Tally {
            new: 1,
            updated: 0,
            unchanged: 0
        }
    );
    assert!(report.unmatched.is_empty() && report.unknown_users.is_empty());

    let ours = archive(&store, &bob);
    assert_eq!(ours.user, "bob");
    assert_eq!(contents(ours), contents(theirs.clone()));

    // Again: nothing new.
    let again = diary::import_archive(&mut store, &theirs, &bob).unwrap();
    assert_eq!(
        again.viewings,
        Tally {
            new: 0,
            updated: 0,
            unchanged: 8
        }
    );
    assert_eq!(
        again.films,
        Tally {
            new: 0,
            updated: 0,
            unchanged: 8
        }
    );
    assert_eq!(
        again.lists,
        Tally {
            new: 0,
            updated: 0,
            unchanged: 2
        }
    );
    assert_eq!(
        again.following,
        Tally {
            new: 0,
            updated: 0,
            unchanged: 1
        }
    );

    // Through a file, as `export archive` writes it and `import archive` reads it.
    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("ann.json");
    std::fs::write(&path, serde_json::to_string_pretty(&theirs).unwrap()).unwrap();
    assert_eq!(diary::read_archive(&path).unwrap(), theirs);
}

#[test]
fn an_archive_finds_its_films_in_another_catalog_and_reports_what_it_cannot() {
    let mut store = catalog();
    let ann = ann_with_everything(&mut store);
    let mut theirs = archive(&store, &ann);
    theirs.following.push("nobody-here".into());

    // Another instance: Anora under a slug and no IMDb id (found by title and year), Tokyo
    // Story under a slug of its own with the IMDb id (found by IMDb id), and no other film.
    let mut other = kinograph_store::testing::fresh_store().unwrap();
    other
        .write(|w| {
            w.put_film(&FilmRecord {
                year: Some(2024),
                ..FilmRecord::new("anora", "Anora", source())
            })?;
            for id in ["tokyo-story", TOKYO] {
                w.put_film(&FilmRecord {
                    year: Some(1953),
                    ..FilmRecord::new(id, "Tokyo Story", source())
                })?;
            }
            Ok(())
        })
        .unwrap();
    let dee = add_user(&mut other, "dee");
    add_user(&mut other, "carl");
    let report = diary::import_archive(&mut other, &theirs, &dee).unwrap();
    // Anora twice and Tokyo Story once among the viewings; their states; nothing of the lists
    // but Anora.
    assert_eq!(report.viewings.new, 3);
    assert_eq!(report.films.new, 2);
    assert_eq!(report.following.new, 1);
    assert_eq!(report.unknown_users, ["nobody-here"]);
    let places: Vec<&str> = report.unmatched.iter().map(|u| u.place.as_str()).collect();
    assert!(places.contains(&"viewings[0]"), "{places:?}");
    assert!(
        places.contains(&"lists/sean-baker-in-order[1]"),
        "{places:?}"
    );
    assert!(report.unmatched.contains(&ArchiveUnmatched {
        place: "films[1]".into(),
        film: theirs.films[1].film.clone(),
    }));
    let mine = archive(&other, &dee);
    let films: Vec<&str> = mine.viewings.iter().map(|v| v.film.id.as_str()).collect();
    assert_eq!(films, ["tokyo-story", "anora", "anora"]);
    assert_eq!(mine.lists[1].items.len(), 1);
    assert_eq!(mine.lists[1].items[0].film.id, "anora");
}

#[test]
fn a_wrong_archive_is_refused_and_writes_nothing() {
    let mut store = catalog();
    let ann = ann_with_everything(&mut store);
    let bob = add_user(&mut store, "bob");
    let mut theirs = archive(&store, &ann);
    theirs.version = 99;
    let error = diary::import_archive(&mut store, &theirs, &bob).unwrap_err();
    assert!(matches!(error, Error::WrongFormat { .. }), "{error}");
    assert!(archive(&store, &bob).viewings.is_empty());

    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("broken.json");
    std::fs::write(
        &path,
        "{\n  \"format\": \"kinograph-user-archive\",\n  \"version\": 1,\n  \"oops\": true\n}\n",
    )
    .unwrap();
    let error = diary::read_archive(&path).unwrap_err();
    assert!(matches!(error, Error::Invalid { line: 4, .. }), "{error}");
    std::fs::write(&path, serde_json::to_string(&theirs).unwrap()).unwrap();
    let error = diary::read_archive(&path).unwrap_err();
    assert!(
        matches!(&error, Error::WrongFormat { message, .. } if message.contains("version")),
        "{error}"
    );
}

// ---------------------------------------------------------------------------------------------
// MovieLens

/// A MovieLens folder of our own: three users; movie 1 is Anora, 2 is Tangerine, 3 a film the
/// catalog lacks, 4 has no link.
fn movielens_folder(dir: &Path) {
    std::fs::write(
        dir.join("links.csv"),
        "movieId,imdbId,tmdbId\n1,28607951,1064213\n2,3824458,\n3,0000501,9001\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("ratings.csv"),
        "userId,movieId,rating,timestamp\n\
         1,1,4.5,1730000000\n1,3,2.0,1730000100\n\
         2,2,3.0,1440000000\n2,1,5.0,1740000000\n2,4,1.0,1740000000\n\
         7,3,4.0,1000000000\n",
    )
    .unwrap();
}

#[test]
fn movielens_users_become_reader_accounts_with_public_viewings() {
    let temp = tempfile::tempdir().unwrap();
    movielens_folder(temp.path());
    let mut store = catalog();
    let report = diary::import_movielens(&mut store, temp.path(), &mut NoProgress).unwrap();
    assert_eq!(report.ratings, 6);
    assert_eq!(
        report.users,
        Tally {
            new: 3,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(
        report.viewings,
        Tally {
            new: 3,
            updated: 0,
            unchanged: 0
        }
    );
    assert_eq!(report.films_matched, 2);
    assert_eq!(report.films_not_in_catalog, 2);
    assert_eq!(report.ratings_not_in_catalog, 3);

    let ml2 = store.user("ml-2").unwrap().unwrap();
    assert_eq!(ml2.display_name, "MovieLens user 2");
    assert_eq!(ml2.role, Role::Reader);
    assert!(store.password_hash("ml-2").unwrap().is_none());
    let seen = store
        .viewings(&ViewingQuery {
            owner: Some("ml-2".into()),
            limit: 10,
            ..ViewingQuery::default()
        })
        .unwrap();
    let seen: Vec<ViewingLine<'_>> = seen
        .iter()
        .map(|v| {
            (
                v.key.as_str(),
                v.film.id.as_str(),
                v.watched,
                v.rating,
                v.private,
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            (
                "ml:1",
                ANORA,
                Some(day("2025-02-19")),
                Some(stars("5")),
                false
            ),
            (
                "ml:2",
                TANGERINE,
                Some(day("2015-08-19")),
                Some(stars("3")),
                false
            ),
        ]
    );
    let state = store.film_state(ml2.id, ANORA).unwrap().unwrap();
    assert_eq!(state.rating, Some(stars("5")));
    assert!(state.watched);
    assert_eq!(store.film_ratings(ANORA).unwrap().count, 2);
    // ml-7 rated only a film the catalog lacks: an account with an empty diary.
    assert!(store.user("ml-7").unwrap().is_some());

    let again = diary::import_movielens(&mut store, temp.path(), &mut NoProgress).unwrap();
    assert_eq!(
        again.users,
        Tally {
            new: 0,
            updated: 0,
            unchanged: 3
        }
    );
    assert_eq!(
        again.viewings,
        Tally {
            new: 0,
            updated: 0,
            unchanged: 3
        }
    );
}

#[test]
fn movielens_refuses_a_bad_row_before_writing_and_an_account_it_did_not_make() {
    let temp = tempfile::tempdir().unwrap();
    movielens_folder(temp.path());
    let mut store = catalog();
    let mut ratings = std::fs::read_to_string(temp.path().join("ratings.csv")).unwrap();
    ratings.push_str("8,1,4.3,1000000000\n");
    std::fs::write(temp.path().join("ratings.csv"), ratings).unwrap();
    let error = diary::import_movielens(&mut store, temp.path(), &mut NoProgress).unwrap_err();
    assert!(matches!(error, Error::Invalid { line: 8, .. }), "{error}");
    assert!(store.users().unwrap().is_empty());

    movielens_folder(temp.path());
    add_user(&mut store, "ml-2");
    let error = diary::import_movielens(&mut store, temp.path(), &mut NoProgress).unwrap_err();
    assert!(matches!(error, Error::Refused(_)), "{error}");
    assert_eq!(store.users().unwrap().len(), 1);
}

#[test]
fn movielens_small_real_data() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/movielens-small");
    if !dir.join("ratings.csv").is_file() {
        println!("skipped: {} is not there", dir.display());
        return;
    }
    // Toy Story, Jumanji and Heat by IMDb id.
    let films = [
        ("tt0114709", "Toy Story", 1995),
        ("tt0113497", "Jumanji", 1995),
        ("tt0113277", "Heat", 1995),
    ];
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            for (id, title, year) in films {
                w.put_film(&FilmRecord {
                    year: Some(year),
                    ..FilmRecord::new(id, title, source())
                })?;
            }
            Ok(())
        })
        .unwrap();

    // What to expect, counted from the files directly.
    let links = std::fs::read_to_string(dir.join("links.csv")).unwrap();
    let movies: Vec<String> = links
        .lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split(',');
            let movie = fields.next()?;
            let imdb = format!("tt{}", fields.next()?);
            films
                .iter()
                .any(|(id, _, _)| *id == imdb)
                .then(|| movie.to_string())
        })
        .collect();
    assert_eq!(movies.len(), 3);
    let ratings = std::fs::read_to_string(dir.join("ratings.csv")).unwrap();
    let rows: Vec<Vec<&str>> = ratings
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let users: std::collections::HashSet<&str> = rows.iter().map(|r| r[0]).collect();
    let matched = rows
        .iter()
        .filter(|r| movies.iter().any(|m| m == r[1]))
        .count() as u64;

    let started = std::time::Instant::now();
    let report = diary::import_movielens(&mut store, &dir, &mut NoProgress).unwrap();
    println!(
        "movielens-small imported in {:?}: {report:?}",
        started.elapsed()
    );
    assert_eq!(report.ratings, rows.len() as u64);
    assert_eq!(report.users.new, users.len() as u64);
    assert_eq!(users.len(), 610);
    assert_eq!(report.viewings.new, matched);
    assert_eq!(report.films_matched, 3);
    assert_eq!(report.ratings_not_in_catalog, rows.len() as u64 - matched);
    assert_eq!(
        u64::from(store.film_ratings("tt0114709").unwrap().count),
        rows.iter().filter(|r| r[1] == movies[0]).count() as u64
    );

    let again = diary::import_movielens(&mut store, &dir, &mut NoProgress).unwrap();
    assert_eq!(again.viewings.new, 0);
    assert_eq!(again.users.new, 0);
}

#[test]
fn the_letterboxd_import_csv_imports_back_into_another_account() {
    let mut store = catalog();
    let ann = add_user(&mut store, "ann");
    import_reader(&mut store, &ann);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join(diary::LETTERBOXD_IMPORT_FILE);
    let rows = diary::export_letterboxd(&store, &ann).unwrap();
    write_import_csv(std::fs::File::create(&file).unwrap(), &rows).unwrap();

    let bob = add_user(&mut store, "bob");
    let export = diary::read_export(&file).unwrap();
    let report = diary::import_letterboxd(&mut store, &export, &bob).unwrap();
    assert!(report.unmatched.is_empty(), "{report:#?}");
    assert!(
        report.near_year.is_empty(),
        "matched by IMDb id: {report:#?}"
    );
    let again = diary::import_letterboxd(&mut store, &diary::read_export(&file).unwrap(), &bob);
    assert_eq!(again.unwrap().added(), 0, "a second import adds nothing");

    // What the format carries comes back: each viewing's film, day, rating, tags and review,
    // and each film's current rating. (Rewatch, like, spoiler and privacy flags it cannot say.)
    let carried = |user: &User| {
        let mut viewings: Vec<_> = archive(&store, user)
            .viewings
            .into_iter()
            .map(|v| (v.film.id, v.watched, v.rating, v.tags, v.review))
            .collect();
        viewings.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
        let mut ratings: Vec<_> = archive(&store, user)
            .films
            .into_iter()
            .filter(|f| f.watched || f.rating.is_some())
            .map(|f| (f.film.id, f.rating))
            .collect();
        ratings.sort();
        (viewings, ratings)
    };
    let (ann_viewings, ann_ratings) = carried(&ann);
    let (bob_viewings, bob_ratings) = carried(&bob);
    assert!(!ann_viewings.is_empty());
    assert_eq!(bob_viewings, ann_viewings);
    assert_eq!(bob_ratings, ann_ratings);
}
