//! The Letterboxd export reader, over fixtures of our own writing (`fixtures/letterboxd/`): a
//! full folder export, a minimal one, the same as a ZIP built at run time, and hostile input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kinograph_import::Error;
use kinograph_import::letterboxd::{self, Export, FilmRef, Rating, ZipLimits};
use proptest::prelude::*;
use zip::write::SimpleFileOptions;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/letterboxd")
        .join(name)
}

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn rating(text: &str) -> Rating {
    Rating::parse(text).unwrap()
}

/// Zips `dir` (every file under it, folders included) into `zip_path`.
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

fn check_full_export(export: &Export) {
    assert!(export.missing.is_empty(), "{:?}", export.missing);

    // Diary: a rated entry with comma-joined tags (in a file with a BOM), a rewatch, an
    // unrated entry; "4.3", "11" and a short row rejected.
    assert_eq!(export.diary.len(), 3, "{:#?}", export.diary);
    let first = &export.diary[0];
    assert_eq!(first.logged, day("2024-11-02"));
    assert_eq!(
        first.film,
        FilmRef {
            name: "Anora".into(),
            year: Some(2024),
            uri: Some("https://boxd.it/8aKO".into()),
            imdb_id: None,
        }
    );
    assert_eq!(first.rating, Some(rating("4.5")));
    assert!(!first.rewatch);
    assert_eq!(first.tags, ["cinema", "2024"]);
    assert_eq!(first.watched, Some(day("2024-11-01")));
    assert_eq!(first.review, None);
    assert_eq!(first.line, 2);
    assert!(export.diary[1].rewatch);
    assert_eq!(export.diary[1].rating, Some(rating("5")));
    let unrated = &export.diary[2];
    assert_eq!(unrated.film.name, "The Florida Project");
    assert_eq!(unrated.rating, None);
    assert!(unrated.tags.is_empty());

    let rejected: Vec<(u64, &str)> = export
        .rejected
        .iter()
        .map(|r| (r.line, r.message.as_str()))
        .collect();
    assert_eq!(rejected.len(), 4, "{rejected:#?}");
    assert_eq!(rejected[0].0, 5);
    assert!(
        rejected[0].1.starts_with("diary.csv:5:"),
        "{}",
        rejected[0].1
    );
    assert!(rejected[0].1.contains("\"4.3\"") && rejected[0].1.contains("half steps"));
    assert_eq!(rejected[1].0, 6);
    assert!(rejected[1].1.starts_with("diary.csv:6:") && rejected[1].1.contains("\"11\""));
    assert_eq!(rejected[2].0, 7);
    assert!(
        rejected[2].1.contains("7 fields, expected 8"),
        "{}",
        rejected[2].1
    );
    assert!(
        rejected[3].1.starts_with("ratings.csv:4:"),
        "{}",
        rejected[3].1
    );
    assert!(rejected[3].1.contains("2024-13-01"));

    // Reviews: a multi-line quoted review with doubled quotes.
    assert_eq!(export.reviews.len(), 1);
    let review = &export.reviews[0];
    assert_eq!(
        review.review.as_deref(),
        Some("A screwball comedy, then a hangover.\nTwo lines, with \"quotes\".")
    );
    assert_eq!(review.tags, ["cinema"]);
    assert_eq!(review.watched, Some(day("2024-11-01")));

    assert_eq!(export.ratings.len(), 2);
    assert_eq!(export.ratings[1].rating.half_stars(), 1);
    assert_eq!(export.watched.len(), 2);
    assert_eq!(export.watchlist.len(), 1);
    assert_eq!(export.watchlist[0].film.name, "Prince of Broadway");
    assert_eq!(export.liked.len(), 1);
    assert_eq!(export.liked[0].date, day("2024-11-20"));

    // The list; nothing from deleted/ or orphaned/.
    assert_eq!(export.lists.len(), 1);
    let list = &export.lists[0];
    assert_eq!(list.file, "lists/sean-baker-ranked.csv");
    assert_eq!(list.name, "Sean Baker, ranked");
    assert_eq!(list.created, day("2025-01-10"));
    assert_eq!(list.tags, ["directors", "ranked"]);
    assert_eq!(
        list.description.as_deref(),
        Some("From best to merely great.")
    );
    assert!(list.ranked);
    assert_eq!(list.entries.len(), 3);
    assert_eq!(list.entries[0].position, Some(1));
    assert_eq!(
        list.entries[0].note.as_deref(),
        Some("The Palme d'Or, at last.")
    );
    assert_eq!(list.entries[1].note, None);
    assert_eq!(list.entries[2].film.year, Some(2015));
    let all_names = format!("{export:?}");
    assert!(!all_names.contains("Deleted Film"));
}

#[test]
fn a_folder_export_is_read_whole() {
    let export = letterboxd::read_dir(&fixture("full")).unwrap();
    check_full_export(&export);
}

#[test]
fn a_zip_export_reads_the_same_as_its_folder() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("letterboxd-export.zip");
    zip_folder(&fixture("full"), &zip_path);
    let from_zip = letterboxd::read_zip(&zip_path).unwrap();
    check_full_export(&from_zip);
    assert_eq!(from_zip, letterboxd::read_dir(&fixture("full")).unwrap());
}

#[test]
fn a_zip_of_the_export_folder_is_read_through_its_top_folder() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("nested.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    writer
        .start_file("export/watchlist.csv", SimpleFileOptions::default())
        .unwrap();
    writer
        .write_all(b"Date,Name,Year,Letterboxd URI\n2025-02-01,Take Out,2004,\n")
        .unwrap();
    writer.finish().unwrap();
    let export = letterboxd::read_zip(&zip_path).unwrap();
    assert_eq!(export.watchlist.len(), 1);
}

#[test]
fn a_minimal_export_says_what_is_missing() {
    let export = letterboxd::read_dir(&fixture("minimal")).unwrap();
    assert_eq!(
        export.missing,
        [
            "diary.csv",
            "reviews.csv",
            "ratings.csv",
            "watched.csv",
            "likes/films.csv"
        ]
    );
    assert_eq!(export.watchlist.len(), 1);
    assert_eq!(
        export.watchlist[0].film,
        FilmRef {
            name: "Take Out".into(),
            year: Some(2004),
            uri: None,
            imdb_id: None,
        }
    );
    assert!(export.rejected.is_empty() && export.lists.is_empty());
}

#[test]
fn a_folder_with_no_export_files_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let err = letterboxd::read_dir(dir.path()).unwrap_err();
    assert!(matches!(err, Error::WrongFormat { .. }), "{err}");
}

#[test]
fn a_wrong_header_refuses_the_file() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("diary.csv"),
        "Date,Name,Year,URI,Rating,Rewatch,Tags,Watched Date\n2024-01-01,Anora,2024,,,,,\n",
    )
    .unwrap();
    let err = letterboxd::read_dir(dir.path()).unwrap_err();
    match &err {
        Error::WrongFormat { dataset, message } => {
            assert_eq!(dataset, "diary.csv");
            assert!(message.contains("line 1"), "{message}");
        }
        other => panic!("{other}"),
    }
    assert!(err.to_string().starts_with("diary.csv: "), "{err}");

    // A list without its version line is refused too.
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("lists")).unwrap();
    std::fs::write(
        dir.path().join("lists/x.csv"),
        "Date,Name,Tags,URL,Description\n2025-01-01,X,,,\n",
    )
    .unwrap();
    let err = letterboxd::read_dir(dir.path()).unwrap_err();
    assert!(
        matches!(&err, Error::WrongFormat { dataset, .. } if dataset == "lists/x.csv"),
        "{err}"
    );
}

#[test]
fn an_unranked_list_has_no_positions() {
    let mut export = Export::default();
    let list = "Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2025-01-01,Later,,,\n\nPosition,Name,Year,URL,Description\n,Anora,2024,,\n,Tangerine,2015,,note\nx,Bad,2015,,\n";
    letterboxd::read_file(
        "lists/later.csv",
        list.as_bytes(),
        Path::new("later.csv"),
        &mut export,
    )
    .unwrap();
    let list = &export.lists[0];
    assert!(!list.ranked);
    assert_eq!(list.entries.len(), 2);
    assert_eq!(list.entries[1].note.as_deref(), Some("note"));
    assert_eq!(export.rejected.len(), 1);
    assert_eq!(export.rejected[0].line, 8);
    assert!(export.rejected[0].message.starts_with("lists/later.csv:8:"));
}

#[test]
fn ratings_are_half_stars_from_half_to_five() {
    for (text, half) in [("0.5", 1), ("1", 2), ("4.5", 9), ("4.0", 8), ("5", 10)] {
        let r = Rating::parse(text).unwrap();
        assert_eq!(r.half_stars(), half, "{text}");
        assert_eq!(r.stars(), f32::from(half) / 2.0);
    }
    assert_eq!(rating("4.5").to_string(), "4.5");
    assert_eq!(rating("4").to_string(), "4");
    for bad in [
        "4.3", "11", "0", "-1", "abc", "", "5.5", "0.0", "4.", ".5", "4.50", " 4", "٤",
    ] {
        let message = Rating::parse(bad).unwrap_err();
        assert!(
            message.contains("0.5 to 5 in half steps"),
            "{bad}: {message}"
        );
    }
}

#[test]
fn a_zip_bomb_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let zip_path = dir.path().join("bomb.zip");
    let mut writer = zip::ZipWriter::new(std::fs::File::create(&zip_path).unwrap());
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    writer.start_file("diary.csv", options).unwrap();
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..50 {
        writer.write_all(&zeros).unwrap();
    }
    writer.finish().unwrap();
    assert!(std::fs::metadata(&zip_path).unwrap().len() < 1 << 20);

    let err = letterboxd::read_zip(&zip_path).unwrap_err();
    assert!(matches!(err, Error::Archive { .. }), "{err}");
    assert!(err.to_string().contains("ZIP bomb"), "{err}");

    // Over the per-file limit, whatever the ratio.
    let limits = ZipLimits {
        max_entry_bytes: 1 << 20,
        max_ratio: u64::MAX,
        ..ZipLimits::default()
    };
    let err = letterboxd::read_zip_with(&zip_path, limits).unwrap_err();
    assert!(err.to_string().contains("over the limit"), "{err}");

    // And an archive over the size limit is refused unread.
    let limits = ZipLimits {
        max_archive_bytes: 10,
        ..ZipLimits::default()
    };
    let err = letterboxd::read_zip_with(&zip_path, limits).unwrap_err();
    assert!(err.to_string().contains("the archive is"), "{err}");
}

#[test]
fn a_file_that_is_not_a_zip_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("export.zip");
    std::fs::write(&path, b"Date,Name,Year,Letterboxd URI\n").unwrap();
    let err = letterboxd::read_zip(&path).unwrap_err();
    assert!(matches!(err, Error::Archive { .. }), "{err}");
}

/// `lines` joined by CRLF, as a Letterboxd export re-saved on Windows (or in Excel) is.
fn crlf(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\r\n")).collect()
}

/// Each rejection's line, and the `file:line:` its message starts with.
fn rejected_lines(export: &Export) -> Vec<(u64, String)> {
    export
        .rejected
        .iter()
        .map(|r| {
            let prefix = r.message.splitn(3, ':').take(2).collect::<Vec<_>>();
            (r.line, prefix.join(":"))
        })
        .collect()
}

const CRLF_DIARY: [&str; 7] = [
    "\u{feff}Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date",
    "2024-11-02,Anora,2024,https://boxd.it/8aKO,4.5,,\"cinema, 2024\",2024-11-01",
    "2024-11-03,Tangerine,2015,https://boxd.it/4Hli,5,Yes,,2024-11-02",
    "2024-11-04,The Florida Project,2017,,4.3,,,",
    "2024-11-05,Red Rocket,2021,,3,,,",
    "",
    "2024-11-06,Starlet,2012,,11,,,",
];

#[test]
fn a_crlf_diary_reports_the_lines_its_rows_are_on() {
    let mut export = Export::default();
    letterboxd::read_file(
        "diary.csv",
        crlf(&CRLF_DIARY).as_bytes(),
        Path::new("diary.csv"),
        &mut export,
    )
    .unwrap();
    let kept: Vec<(u64, &str)> = export
        .diary
        .iter()
        .map(|e| (e.line, e.film.name.as_str()))
        .collect();
    assert_eq!(kept, [(2, "Anora"), (3, "Tangerine"), (5, "Red Rocket")]);
    assert_eq!(export.diary[0].tags, ["cinema", "2024"]);
    assert_eq!(export.diary[2].watched, None);
    assert_eq!(
        rejected_lines(&export),
        [(4, "diary.csv:4".into()), (7, "diary.csv:7".into())]
    );
    assert!(export.rejected[0].message.contains("\"4.3\""));
    assert!(export.rejected[1].message.contains("\"11\""));
}

#[test]
fn a_crlf_export_reports_the_same_lines_from_a_folder_or_a_zip() {
    let dir = tempfile::tempdir().unwrap();
    let folder = dir.path().join("export");
    std::fs::create_dir_all(folder.join("lists")).unwrap();
    std::fs::write(folder.join("diary.csv"), crlf(&CRLF_DIARY)).unwrap();
    std::fs::write(
        folder.join("ratings.csv"),
        crlf(&[
            "Date,Name,Year,Letterboxd URI,Rating",
            "2024-11-02,Anora,2024,https://boxd.it/8aKO,4.5",
            "",
            "",
            "2024-11-03,Tangerine,2015,https://boxd.it/4Hli,4.25",
        ]),
    )
    .unwrap();
    std::fs::write(folder.join("lists/later.csv"), crlf(&CRLF_LIST)).unwrap();
    let zip_path = dir.path().join("export.zip");
    zip_folder(&folder, &zip_path);

    let from_folder = letterboxd::read_dir(&folder).unwrap();
    let from_zip = letterboxd::read_zip(&zip_path).unwrap();
    for export in [&from_folder, &from_zip] {
        assert_eq!(
            rejected_lines(export),
            [
                (4, "diary.csv:4".into()),
                (7, "diary.csv:7".into()),
                (5, "ratings.csv:5".into()),
                (8, "lists/later.csv:8".into()),
                (11, "lists/later.csv:11".into()),
            ]
        );
        assert_eq!(export.ratings[0].line, 2);
    }
    assert_eq!(from_folder, from_zip);
}

/// A list: its version line, its header and values, a blank line, then its entries.
const CRLF_LIST: [&str; 11] = [
    "Letterboxd list export v7",
    "Date,Name,Tags,URL,Description",
    "2025-01-10,\"Sean Baker, ranked\",directors,https://boxd.it/list,\"From best",
    "to merely great.\"",
    "",
    "Position,Name,Year,URL,Description",
    "1,Anora,2024,https://boxd.it/8aKO,",
    "2,Tangerine,15,https://boxd.it/4Hli,",
    "3,The Florida Project,2017,,\"The motel,",
    "in purple.\"",
    "x,Red Rocket,2021,,",
];

#[test]
fn a_crlf_list_reports_the_lines_of_its_entries_past_the_blank_line() {
    let mut export = Export::default();
    letterboxd::read_file(
        "lists/later.csv",
        crlf(&CRLF_LIST).as_bytes(),
        Path::new("later.csv"),
        &mut export,
    )
    .unwrap();
    let list = &export.lists[0];
    assert_eq!(list.name, "Sean Baker, ranked");
    assert_eq!(
        list.description.as_deref(),
        Some("From best\r\nto merely great.")
    );
    let kept: Vec<(u64, Option<u32>)> = list.entries.iter().map(|e| (e.line, e.position)).collect();
    assert_eq!(kept, [(7, Some(1)), (9, Some(3))]);
    assert_eq!(
        rejected_lines(&export),
        [
            (8, "lists/later.csv:8".into()),
            (11, "lists/later.csv:11".into())
        ]
    );
    assert!(export.rejected[0].message.contains("year \"15\""));
    assert!(export.rejected[1].message.contains("position \"x\""));

    // A wrong entries header is refused naming its line, past the CRLFs and the blank line.
    let mut wrong = CRLF_LIST;
    wrong[5] = "Position,Name,Year,URL";
    let err = letterboxd::read_file(
        "lists/later.csv",
        crlf(&wrong).as_bytes(),
        Path::new("later.csv"),
        &mut Export::default(),
    )
    .unwrap_err();
    match &err {
        Error::WrongFormat { dataset, message } => {
            assert_eq!(dataset, "lists/later.csv");
            assert!(message.starts_with("line 6: "), "{message}");
        }
        other => panic!("{other}"),
    }
}

#[test]
fn a_crlf_multi_line_review_does_not_shift_the_lines_after_it() {
    let reviews = crlf(&[
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date",
        "2024-11-02,Anora,2024,https://boxd.it/8aKO,4.5,,\"A screwball comedy, then a hangover.",
        "Two lines, with \"\"quotes\"\".",
        "",
        "And a blank one.\",cinema,2024-11-01",
        "2024-11-03,Tangerine,2015,https://boxd.it/4Hli,4.3,,Shot on a phone.,,2024-11-02",
        "2024-11-04,Red Rocket,2021,,,,\"Short",
        "and sweet\",,",
        "2024-11-05,Starlet,2012,,9,,Fine.,,",
    ]);
    let mut export = Export::default();
    letterboxd::read_file(
        "reviews.csv",
        reviews.as_bytes(),
        Path::new("reviews.csv"),
        &mut export,
    )
    .unwrap();
    let kept: Vec<(u64, &str)> = export
        .reviews
        .iter()
        .map(|e| (e.line, e.film.name.as_str()))
        .collect();
    assert_eq!(kept, [(2, "Anora"), (7, "Red Rocket")]);
    assert_eq!(
        export.reviews[0].review.as_deref(),
        Some(
            "A screwball comedy, then a hangover.\r\nTwo lines, with \"quotes\".\r\n\r\nAnd a blank one."
        )
    );
    assert_eq!(export.reviews[0].tags, ["cinema"]);
    assert_eq!(
        rejected_lines(&export),
        [(6, "reviews.csv:6".into()), (9, "reviews.csv:9".into())]
    );
    assert!(export.rejected[0].message.contains("\"4.3\""));
    assert!(export.rejected[1].message.contains("\"9\""));
}

const FILES: [&str; 7] = [
    "diary.csv",
    "reviews.csv",
    "ratings.csv",
    "watched.csv",
    "watchlist.csv",
    "likes/films.csv",
    "lists/any.csv",
];

proptest! {
    #[test]
    fn any_bytes_give_rows_rejections_or_an_error(
        file in 0..FILES.len(),
        with_header in any::<bool>(),
        body in prop::collection::vec(any::<u8>(), 0..1_500),
    ) {
        let header: &[u8] = match (with_header, FILES[file]) {
            (false, _) => b"",
            (_, "diary.csv") => b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n",
            (_, "reviews.csv") => b"Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n",
            (_, "ratings.csv") => b"Date,Name,Year,Letterboxd URI,Rating\n",
            (_, "lists/any.csv") => b"Letterboxd list export v7\nDate,Name,Tags,URL,Description\n2025-01-01,L,,,\n\nPosition,Name,Year,URL,Description\n",
            _ => b"Date,Name,Year,Letterboxd URI\n",
        };
        let mut input = header.to_vec();
        input.extend_from_slice(&body);
        let mut export = Export::default();
        let _ = letterboxd::read_file(FILES[file], &input[..], Path::new("fuzz"), &mut export);
    }

    #[test]
    fn row_shaped_lines_are_each_answered(
        lines in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("2024-11-02".to_string()), Just("4.5".to_string()), Just("Yes".to_string()),
                    Just("\"a, b\"".to_string()), Just("2024".to_string()), "\\PC{0,6}",
                ],
                1..10,
            ).prop_map(|fields| fields.join(",")),
            0..30,
        ),
    ) {
        let input = format!("Date,Name,Year,Letterboxd URI,Rating\n{}", lines.join("\n"));
        let mut export = Export::default();
        if letterboxd::read_file("ratings.csv", input.as_bytes(), Path::new("fuzz"), &mut export).is_ok() {
            // Every row is either kept or rejected with a line.
            prop_assert!(export.ratings.len() + export.rejected.len() <= lines.len());
            prop_assert!(export.rejected.iter().all(|r| r.message.starts_with("ratings.csv:")));
        }
    }

    #[test]
    fn crlf_and_lf_give_the_same_lines(
        lines in prop::collection::vec(
            prop::collection::vec(
                prop_oneof![
                    Just("2024-11-02".to_string()), Just("4.5".to_string()), Just("4.3".to_string()),
                    Just("\"a\nb\"".to_string()), Just("\"".to_string()), Just(String::new()),
                    "\\PC{0,6}",
                ],
                1..6,
            ).prop_map(|fields| fields.join(",")),
            0..20,
        ),
    ) {
        let lf = format!("Date,Name,Year,Letterboxd URI,Rating\n{}\n", lines.join("\n"));
        let crlf = lf.replace('\n', "\r\n");
        let read = |input: &str| {
            let mut export = Export::default();
            letterboxd::read_file("ratings.csv", input.as_bytes(), Path::new("fuzz"), &mut export)
                .map(|()| {
                    let kept: Vec<u64> = export.ratings.iter().map(|r| r.line).collect();
                    let rejected: Vec<u64> = export.rejected.iter().map(|r| r.line).collect();
                    (kept, rejected)
                })
                .map_err(|e| e.to_string())
        };
        prop_assert_eq!(read(&lf), read(&crlf));
    }

    #[test]
    fn arbitrary_bytes_as_a_zip_are_refused_not_panicked_on(bytes in prop::collection::vec(any::<u8>(), 0..2_000)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.zip");
        std::fs::write(&path, &bytes).unwrap();
        let _ = letterboxd::read_zip(&path);
    }
}
