//! Letterboxd's import CSV: the exact bytes written, rows read back as written (examples and a
//! property), files with some of the columns in another order, and what is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use chrono::NaiveDate;
use kinograph_import::Error;
use kinograph_import::letterboxd_csv::{
    IMPORT_HEADER, ImportRow, read_import_csv, write_import_csv,
};
use proptest::prelude::*;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Writes `content` to `import.csv` in a new temporary folder.
fn file(content: impl AsRef<[u8]>) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("import.csv");
    std::fs::write(&path, content).unwrap();
    (dir, path)
}

fn written(rows: &[ImportRow]) -> String {
    let mut out = Vec::new();
    write_import_csv(&mut out, rows).unwrap();
    String::from_utf8(out).unwrap()
}

fn round_trip(rows: &[ImportRow]) -> Vec<ImportRow> {
    let (_dir, path) = file(written(rows));
    read_import_csv(&path).unwrap()
}

fn invalid(result: Result<Vec<ImportRow>, Error>) -> (usize, String) {
    match result {
        Err(Error::Invalid {
            dataset,
            line,
            message,
        }) => {
            assert!(dataset.ends_with("import.csv"), "{dataset}");
            (line, message)
        }
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

fn wrong_format(result: Result<Vec<ImportRow>, Error>) -> String {
    match result {
        Err(Error::WrongFormat { dataset, message }) => {
            assert!(dataset.ends_with("import.csv"), "{dataset}");
            message
        }
        other => panic!("expected Error::WrongFormat, got {other:?}"),
    }
}

fn examples() -> Vec<ImportRow> {
    vec![
        ImportRow {
            letterboxd_uri: Some("https://letterboxd.com/film/the-red-door/".into()),
            tmdb_id: Some(12345),
            imdb_id: Some("tt0012345".into()),
            title: "The Red Door".into(),
            year: Some(2024),
            directors: vec!["Ann Lee".into()],
            watched: Some(day(2024, 10, 18)),
            half_stars: Some(9),
            tags: vec!["cinema".into(), "2024".into()],
            review: Some("Funny, then \"sad\".\nThen both.".into()),
        },
        ImportRow {
            title: "Two Rooms, One Key".into(),
            year: Some(1999),
            directors: vec!["Ann Lee".into(), "Bo Ray".into()],
            half_stars: Some(8),
            ..ImportRow::default()
        },
        ImportRow {
            imdb_id: Some("tt10872600".into()),
            half_stars: Some(1),
            ..ImportRow::default()
        },
    ]
}

#[test]
fn the_header_is_letterboxds() {
    assert_eq!(
        IMPORT_HEADER.join(","),
        "LetterboxdURI,tmdbID,imdbID,Title,Year,Directors,WatchedDate,Rating,Rating10,Tags,Review"
    );
}

#[test]
fn the_exact_bytes_written() {
    let expected = "\
LetterboxdURI,tmdbID,imdbID,Title,Year,Directors,WatchedDate,Rating,Rating10,Tags,Review
https://letterboxd.com/film/the-red-door/,12345,tt0012345,The Red Door,2024,Ann Lee,2024-10-18,4.5,9,\"cinema, 2024\",\"Funny, then \"\"sad\"\".
Then both.\"
,,,\"Two Rooms, One Key\",1999,\"Ann Lee, Bo Ray\",,4,8,,
,,tt10872600,,,,,0.5,1,,
";
    assert_eq!(written(&examples()), expected);
}

#[test]
fn no_rows_is_the_header_alone() {
    assert_eq!(written(&[]), format!("{}\n", IMPORT_HEADER.join(",")));
    let (_dir, path) = file(written(&[]));
    assert_eq!(read_import_csv(&path).unwrap(), []);
}

#[test]
fn examples_read_back_as_written() {
    assert_eq!(round_trip(&examples()), examples());
}

#[test]
fn any_columns_in_any_order() {
    let (_dir, path) = file(
        "Rating10,Title,imdbID,WatchedDate\n\
         7,Night Train,tt0000042,2023-01-02\n\
         ,\"Untitled, Again\",,\n",
    );
    assert_eq!(
        read_import_csv(&path).unwrap(),
        [
            ImportRow {
                title: "Night Train".into(),
                imdb_id: Some("tt0000042".into()),
                watched: Some(day(2023, 1, 2)),
                half_stars: Some(7),
                ..ImportRow::default()
            },
            ImportRow {
                title: "Untitled, Again".into(),
                ..ImportRow::default()
            },
        ]
    );

    let (_dir, path) = file("Title,Rating,Tags,Directors\nA,3.5,\" x ,, y \",\"P Q,R\"\n");
    let rows = read_import_csv(&path).unwrap();
    assert_eq!(rows[0].half_stars, Some(7));
    assert_eq!(
        rows[0].tags,
        ["x", "y"],
        "tags are trimmed, empty ones dropped"
    );
    assert_eq!(rows[0].directors, ["P Q", "R"]);
}

#[test]
fn a_byte_order_mark_and_crlf_are_read() {
    let (_dir, path) = file("\u{feff}Title,Year\r\nA,2001\r\n\r\nB,2002\r\nC,20x3\r\n");
    let (line, message) = invalid(read_import_csv(&path));
    assert_eq!(line, 5, "past the CRLFs and the blank line");
    assert!(message.starts_with("Year \"20x3\""), "{message}");

    let (_dir, path) = file("\u{feff}Title,Year\r\nA,2001\r\n");
    let rows = read_import_csv(&path).unwrap();
    assert_eq!((rows[0].title.as_str(), rows[0].year), ("A", Some(2001)));
}

#[test]
fn rating_and_rating10_must_agree() {
    let (_dir, path) = file("Title,Rating,Rating10\nA,4.5,9\nB,2,\nC,,3\n");
    let ratings: Vec<Option<u8>> = read_import_csv(&path)
        .unwrap()
        .iter()
        .map(|r| r.half_stars)
        .collect();
    assert_eq!(ratings, [Some(9), Some(4), Some(3)]);

    let (_dir, path) = file("Title,Rating,Rating10\nA,4.5,9\nB,4.5,8\n");
    let (line, message) = invalid(read_import_csv(&path));
    assert_eq!(line, 3);
    assert!(message.contains("do not agree"), "{message}");
}

#[test]
fn a_bad_field_names_its_line_and_column() {
    let cases = [
        ("Title,Rating\nA,4.3\n", "Rating"),
        ("Title,Rating\nA,0\n", "Rating"),
        ("Title,Rating\nA,5.5\n", "Rating"),
        ("Title,Rating10\nA,11\n", "Rating10"),
        ("Title,Rating10\nA,0\n", "Rating10"),
        ("Title,Rating10\nA,4.5\n", "Rating10"),
        ("Title,Year\nA,99\n", "Year"),
        ("Title,Year\nA,1999 \n", "Year"),
        ("Title,WatchedDate\nA,18/10/2024\n", "WatchedDate"),
        ("Title,WatchedDate\nA,2024-02-30\n", "WatchedDate"),
        ("Title,tmdbID\nA,-4\n", "tmdbID"),
        ("Title,tmdbID\nA,0\n", "tmdbID"),
        ("Title,imdbID\nA,0114709\n", "imdbID"),
        ("Title,imdbID\nA,tt123\n", "imdbID"),
        (
            "Title,LetterboxdURI\nA,letterboxd.com/film/a/\n",
            "LetterboxdURI",
        ),
    ];
    for (content, column) in cases {
        let (_dir, path) = file(content);
        let (line, message) = invalid(read_import_csv(&path));
        assert_eq!(line, 2, "{content:?}");
        assert!(message.starts_with(column), "{content:?}: {message}");
    }
}

#[test]
fn a_row_that_names_no_film_is_refused() {
    let (_dir, path) = file("Title,Rating\nA,4\n  ,4\n");
    let (line, message) = invalid(read_import_csv(&path));
    assert_eq!(line, 3);
    assert!(message.contains("does not name its film"), "{message}");
}

#[test]
fn a_row_of_the_wrong_width_is_refused() {
    let (_dir, path) = file("Title,Year\nA,2001\nB\n");
    let (line, message) = invalid(read_import_csv(&path));
    assert_eq!(line, 3);
    assert!(message.contains("1 fields"), "{message}");
}

#[test]
fn a_field_that_is_not_utf8_is_refused() {
    let (_dir, path) = file(b"Title,Review\nA,caf\xe9\n");
    let (line, message) = invalid(read_import_csv(&path));
    assert_eq!(line, 2);
    assert!(message.starts_with("Review"), "{message}");
}

#[test]
fn a_header_of_other_columns_is_refused_as_a_whole() {
    let cases = [
        ("Name,Year\nA,2001\n", "column 1 is \"Name\""),
        ("Title,title\nA,a\n", "column 2 is \"title\""),
        ("Title,Year,Title\nA,2001,B\n", "Title appears twice"),
        (
            "Date,Name,Year,Letterboxd URI,Rating\n",
            "column 1 is \"Date\"",
        ),
        ("", "empty"),
    ];
    for (content, detail) in cases {
        let (_dir, path) = file(content);
        let message = wrong_format(read_import_csv(&path));
        assert!(message.contains(detail), "{content:?}: {message}");
    }
}

#[test]
fn a_missing_file_is_an_io_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nothing.csv");
    assert!(matches!(read_import_csv(&missing), Err(Error::Io { path, .. }) if path == missing));
}

#[test]
fn rows_that_would_not_read_back_are_refused_before_anything_is_written() {
    let good = ImportRow {
        title: "A".into(),
        ..ImportRow::default()
    };
    let bad_rows = [
        ImportRow {
            half_stars: Some(0),
            ..good.clone()
        },
        ImportRow {
            half_stars: Some(11),
            ..good.clone()
        },
        ImportRow {
            tmdb_id: Some(0),
            ..good.clone()
        },
        ImportRow {
            imdb_id: Some("0114709".into()),
            ..good.clone()
        },
        ImportRow {
            letterboxd_uri: Some("boxd.it/x".into()),
            ..good.clone()
        },
        ImportRow {
            year: Some(12_000),
            ..good.clone()
        },
        ImportRow {
            year: Some(-5),
            ..good.clone()
        },
        ImportRow {
            watched: Some(day(10_000, 1, 1)),
            ..good.clone()
        },
        ImportRow {
            directors: vec!["Sammy Davis, Jr.".into()],
            ..good.clone()
        },
        ImportRow {
            directors: vec![" Ann".into()],
            ..good.clone()
        },
        ImportRow {
            tags: vec![String::new()],
            ..good.clone()
        },
        ImportRow {
            review: Some(String::new()),
            ..good.clone()
        },
        ImportRow {
            title: " ".into(),
            ..ImportRow::default()
        },
    ];
    for bad in bad_rows {
        let mut out = Vec::new();
        let error = write_import_csv(&mut out, &[good.clone(), bad.clone()]).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::InvalidInput, "{bad:?}");
        assert!(error.to_string().starts_with("row 2: "), "{error}");
        assert!(out.is_empty(), "nothing is written: {bad:?}");
    }
}

/// Text with the characters CSV must quote, and others.
fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just(",".to_string()),
        Just("\"".to_string()),
        Just("\n".to_string()),
        Just("\r\n".to_string()),
        Just("\r".to_string()),
        Just(" ".to_string()),
        Just("\u{feff}".to_string()),
        "\\PC{1,8}",
    ];
    prop::collection::vec(piece, 0..max_pieces).prop_map(|pieces| pieces.concat())
}

/// Names or tags: no commas, not empty, no space at either end.
fn list() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        "[\\p{L}\\d\"'.]([\\p{L}\\d\"'. -]{0,12}[\\p{L}\\d\"'.])?",
        0..4,
    )
}

fn import_row() -> impl Strategy<Value = ImportRow> {
    let ids = (
        prop::option::of("https://letterboxd\\.com/film/[a-z0-9-]{1,20}/"),
        prop::option::of(1..=i64::MAX),
        prop::option::of("tt[0-9]{7,9}"),
    );
    let film = (text(6), prop::option::of(0..=9999i32), list());
    let seen = (
        prop::option::of((0..=9999i32, 1..=12u32, 1..=28u32)),
        prop::option::of(1..=10u8),
        list(),
        prop::option::of(text(40).prop_filter("a review is not empty", |r| !r.is_empty())),
    );
    (ids, film, seen)
        .prop_map(
            |(
                (letterboxd_uri, tmdb_id, imdb_id),
                (title, year, directors),
                (watched, half_stars, tags, review),
            )| {
                ImportRow {
                    letterboxd_uri,
                    tmdb_id,
                    imdb_id,
                    title,
                    year,
                    directors,
                    watched: watched.and_then(|(y, m, d)| NaiveDate::from_ymd_opt(y, m, d)),
                    half_stars,
                    tags,
                    review,
                }
            },
        )
        .prop_filter("Letterboxd needs something to match the film by", |row| {
            row.letterboxd_uri.is_some()
                || row.tmdb_id.is_some()
                || row.imdb_id.is_some()
                || !row.title.trim().is_empty()
        })
}

proptest! {
    #[test]
    fn any_rows_read_back_as_written(rows in prop::collection::vec(import_row(), 0..8)) {
        prop_assert_eq!(round_trip(&rows), rows);
    }
}
