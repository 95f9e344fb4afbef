//! The MovieLens reader, over fixtures of our own writing (`fixtures/movielens/`), malformed
//! files written at run time, and the real `ml-latest-small` when `../shared` is beside the
//! checkout.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kinograph_import::Error;
use kinograph_import::movielens::{self, MovieLensRating};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/movielens")
        .join(name)
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn all_ratings(path: &Path) -> Result<Vec<MovieLensRating>, Error> {
    let mut rows = Vec::new();
    let count = movielens::read_ratings(path, &mut |r| {
        rows.push(r);
        Ok(())
    })?;
    assert_eq!(count, rows.len() as u64);
    Ok(rows)
}

/// Writes `content` to a file named `name` in a new temporary folder.
fn file(name: &str, content: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, content).unwrap();
    (dir, path)
}

/// The error's file, line and message, for an `Error::Invalid`.
fn invalid(result: Result<impl std::fmt::Debug, Error>) -> (String, usize, String) {
    match result {
        Err(Error::Invalid {
            dataset,
            line,
            message,
        }) => (dataset, line, message),
        other => panic!("expected Error::Invalid, got {other:?}"),
    }
}

fn wrong_format(result: Result<impl std::fmt::Debug, Error>) -> (String, String) {
    match result {
        Err(Error::WrongFormat { dataset, message }) => (dataset, message),
        other => panic!("expected Error::WrongFormat, got {other:?}"),
    }
}

#[test]
fn links_give_imdb_ids_padded_to_seven_digits() {
    let links = movielens::read_links(&fixture("links.csv")).unwrap();
    assert_eq!(links.len(), 4);
    assert!(!links.is_empty());
    assert_eq!(links.imdb_id(1), Some("tt0000501"));
    assert_eq!(links.imdb_id(2), Some("tt0123456"));
    assert_eq!(links.imdb_id(7), Some("tt0012345"));
    assert_eq!(links.imdb_id(40), Some("tt10872600"));
    assert_eq!(links.imdb_id(3), None);
    assert_eq!(links.tmdb_id(1), Some(9001));
    assert_eq!(links.tmdb_id(7), None, "an empty tmdbId is none");
}

#[test]
fn ratings_stream_in_half_stars_with_their_utc_day_and_line() {
    let rows = all_ratings(&fixture("ratings.csv")).unwrap();
    assert_eq!(rows.len(), 6);
    assert_eq!(
        rows[0],
        MovieLensRating {
            user: 1,
            movie: 1,
            half_stars: 8,
            watched: day(2000, 7, 30),
            line: 2,
        }
    );
    let summary: Vec<(u32, u32, u8, NaiveDate, u64)> = rows
        .iter()
        .map(|r| (r.user, r.movie, r.half_stars, r.watched, r.line))
        .collect();
    assert_eq!(
        summary,
        [
            (1, 1, 8, day(2000, 7, 30), 2),
            (1, 2, 1, day(1970, 1, 1), 3),
            (1, 7, 10, day(1970, 1, 2), 4),
            (2, 1, 7, day(2018, 9, 24), 5),
            (2, 40, 4, day(2005, 3, 18), 6),
            (3, 7, 3, day(2015, 10, 10), 7),
        ]
    );
}

#[test]
fn every_fixture_rating_has_a_link() {
    let links = movielens::read_links(&fixture("links.csv")).unwrap();
    for r in all_ratings(&fixture("ratings.csv")).unwrap() {
        assert!(links.imdb_id(r.movie).is_some(), "{r:?}");
    }
}

#[test]
fn crlf_line_endings_and_a_byte_order_mark_are_read() {
    // The published files end their lines with CRLF.
    let (_dir, path) = file(
        "ratings.csv",
        "\u{feff}userId,movieId,rating,timestamp\r\n5,6,2.5,964982703\r\n\r\n5,7,3,0\r\n",
    );
    let rows = all_ratings(&path).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!((rows[0].half_stars, rows[0].line), (5, 2));
    assert_eq!((rows[1].half_stars, rows[1].line), (6, 4));

    let (_dir, path) = file(
        "ratings.csv",
        "userId,movieId,rating,timestamp\r\n1,1,4.0,0\r\n\r\n\r\n1,2,4.3,0\r\n",
    );
    let (_, line, _) = invalid(all_ratings(&path));
    assert_eq!(line, 5, "the line of the bad row, past the blank lines");

    let (_dir, path) = file("links.csv", "movieId,imdbId,tmdbId\r\n3,0114709,\r\n");
    let links = movielens::read_links(&path).unwrap();
    assert_eq!(links.imdb_id(3), Some("tt0114709"));
    assert_eq!(links.tmdb_id(3), None);
}

#[test]
fn a_bad_rating_names_the_file_line_and_column() {
    for bad in [
        "4.3", "0", "0.0", "5.5", "6.0", "four", "", "-1.0", " 4.0", "4.05",
    ] {
        let (_dir, path) = file(
            "ratings.csv",
            &format!("userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,{bad},964982703\n"),
        );
        let (dataset, line, message) = invalid(all_ratings(&path));
        assert!(dataset.ends_with("ratings.csv"), "{dataset}");
        assert_eq!(line, 3, "{bad:?}");
        assert!(message.starts_with("rating "), "{bad:?}: {message}");
        assert!(message.contains(&format!("{bad:?}")), "{message}");
    }
}

#[test]
fn bad_ids_and_timestamps_name_their_column() {
    let cases = [
        ("x,1,4.0,964982703", "userId"),
        ("0,1,4.0,964982703", "userId"),
        ("1,-2,4.0,964982703", "movieId"),
        ("1,+2,4.0,964982703", "movieId"),
        ("1,4294967296,4.0,964982703", "movieId"),
        ("1,2,4.0,", "timestamp"),
        ("1,2,4.0,-5", "timestamp"),
        ("1,2,4.0,96498.2703", "timestamp"),
        ("1,2,4.0,yesterday", "timestamp"),
        ("1,2,4.0,99999999999999999", "timestamp"),
    ];
    for (row, column) in cases {
        let (_dir, path) = file(
            "ratings.csv",
            &format!("userId,movieId,rating,timestamp\n{row}\n"),
        );
        let (_, line, message) = invalid(all_ratings(&path));
        assert_eq!(line, 2, "{row}");
        assert!(message.starts_with(column), "{row}: {message}");
    }
}

#[test]
fn a_row_of_the_wrong_width_is_refused() {
    for row in ["1,2,4.0", "1,2,4.0,964982703,extra", "1"] {
        let (_dir, path) = file(
            "ratings.csv",
            &format!("userId,movieId,rating,timestamp\n1,1,4.0,0\n{row}\n"),
        );
        let (_, line, message) = invalid(all_ratings(&path));
        assert_eq!(line, 3);
        assert!(message.contains("expected 4"), "{message}");
    }
}

#[test]
fn a_field_that_is_not_utf8_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ratings.csv");
    std::fs::write(&path, b"userId,movieId,rating,timestamp\n1,1,4.\xff,0\n").unwrap();
    let (_, line, message) = invalid(all_ratings(&path));
    assert_eq!(line, 2);
    assert!(
        message.contains("rating") && message.contains("UTF-8"),
        "{message}"
    );
}

#[test]
fn a_wrong_header_is_refused_as_a_whole() {
    let cases = [
        ("userId,movieId,score,timestamp\n1,1,4.0,0\n", "column 3"),
        ("userId,movieId,rating\n1,1,4.0\n", "3 columns"),
        ("movieId,imdbId,tmdbId\n1,0114709,862\n", "column 1"),
        ("1,1,4.0,964982703\n", "column 1"),
        ("", "empty"),
    ];
    for (content, detail) in cases {
        let (_dir, path) = file("ratings.csv", content);
        let mut visited = 0;
        let result = movielens::read_ratings(&path, &mut |_| {
            visited += 1;
            Ok(())
        });
        let (dataset, message) = wrong_format(result);
        assert_eq!(visited, 0);
        assert!(dataset.ends_with("ratings.csv"));
        assert!(message.contains(detail), "{content:?}: {message}");
        if !content.is_empty() {
            assert!(message.starts_with("line 1:"), "{message}");
        }
    }

    let (_dir, path) = file("links.csv", "movieId,imdbId\n1,0114709\n");
    let (dataset, message) = wrong_format(movielens::read_links(&path));
    assert!(dataset.ends_with("links.csv"));
    assert!(message.contains("2 columns"), "{message}");
}

#[test]
fn bad_links_name_their_line_and_column() {
    let cases = [
        ("1,tt0114709,862", "imdbId"),
        ("1,,862", "imdbId"),
        ("1,0000000,862", "imdbId"),
        ("1,011 4709,862", "imdbId"),
        ("1,0114709,x", "tmdbId"),
        ("1,0114709,0", "tmdbId"),
        ("one,0114709,862", "movieId"),
    ];
    for (row, column) in cases {
        let (_dir, path) = file("links.csv", &format!("movieId,imdbId,tmdbId\n{row}\n"));
        let (dataset, line, message) = invalid(movielens::read_links(&path));
        assert!(dataset.ends_with("links.csv"));
        assert_eq!(line, 2, "{row}");
        assert!(message.starts_with(column), "{row}: {message}");
    }
}

#[test]
fn a_film_linked_twice_is_refused() {
    let (_dir, path) = file(
        "links.csv",
        "movieId,imdbId,tmdbId\n1,0114709,862\n2,0113497,8844\n1,0113228,15602\n",
    );
    let (_, line, message) = invalid(movielens::read_links(&path));
    assert_eq!(line, 4);
    assert!(
        message.contains("movieId 1") && message.contains("line 2"),
        "{message}"
    );
}

#[test]
fn the_visitor_can_stop_the_stream() {
    let mut seen = Vec::new();
    let result = movielens::read_ratings(&fixture("ratings.csv"), &mut |r| {
        seen.push(r.line);
        if r.line == 4 {
            return Err(Error::Refused("enough".into()));
        }
        Ok(())
    });
    assert!(matches!(result, Err(Error::Refused(m)) if m == "enough"));
    assert_eq!(seen, [2, 3, 4]);
}

#[test]
fn a_missing_file_is_an_io_error_naming_it() {
    let missing = fixture("no-such-file.csv");
    match movielens::read_links(&missing) {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected Error::Io, got {other:?}"),
    }
    match movielens::read_ratings(&missing, &mut |_| Ok(())) {
        Err(Error::Io { path, .. }) => assert_eq!(path, missing),
        other => panic!("expected Error::Io, got {other:?}"),
    }
}

/// The real data set (`ml-latest-small`), when `../shared` is beside the checkout.
#[test]
fn the_real_movielens_small_reads_whole() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/movielens-small");
    if !dir.join("ratings.csv").is_file() || !dir.join("links.csv").is_file() {
        println!(
            "skipped: the MovieLens small data set is not at {}",
            dir.display()
        );
        return;
    }
    let links = movielens::read_links(&dir.join("links.csv")).unwrap();
    assert_eq!(links.len(), 9_742);
    assert_eq!(links.imdb_id(1), Some("tt0114709")); // Toy Story
    assert_eq!(links.tmdb_id(1), Some(862));

    let mut users = HashSet::new();
    let mut unlinked = Vec::new();
    let mut half_stars = [0u64; 11];
    let (mut first, mut last) = (NaiveDate::MAX, NaiveDate::MIN);
    let mut last_line = 0;
    let count = movielens::read_ratings(&dir.join("ratings.csv"), &mut |r| {
        users.insert(r.user);
        if links.imdb_id(r.movie).is_none() {
            unlinked.push(r.movie);
        }
        half_stars[usize::from(r.half_stars)] += 1;
        first = first.min(r.watched);
        last = last.max(r.watched);
        assert_eq!(
            r.line,
            last_line.max(1) + 1,
            "rows are on consecutive lines"
        );
        last_line = r.line;
        Ok(())
    })
    .unwrap();
    assert_eq!(count, 100_836);
    assert_eq!(users.len(), 610);
    assert_eq!(last_line, 100_837, "the published file has CRLF line ends");
    assert!(
        unlinked.is_empty(),
        "ratings of unlinked films: {unlinked:?}"
    );
    assert_eq!(half_stars[0], 0);
    assert_eq!(half_stars.iter().sum::<u64>(), 100_836);
    assert_eq!(half_stars[8], 26_818, "4.0 is the most common rating");
    assert_eq!(first, day(1996, 3, 29));
    assert_eq!(last, day(2018, 9, 24));
}
