//! Letterboxd's *import* CSV: the file Letterboxd accepts to add films to a diary, ratings or
//! reviews (not its export, which `letterboxd` reads). Comma-separated, a header row naming any
//! of `IMPORT_HEADER`'s columns in any order, UTF-8, fields quoted as RFC 4180 says (so a review
//! may hold commas, quotes and line breaks).
//!
//! `write_import_csv` always writes all eleven columns, in `IMPORT_HEADER`'s order, with `\n`
//! ending each record; `read_import_csv` reads any subset of them, in any order. A row written
//! reads back as the same `ImportRow`, because the writer refuses (before writing anything) what
//! the reader would not read back the same:
//! - `LetterboxdURI` is a web address (`https://…`); `tmdbID` a whole number from 1; `imdbID`
//!   `tt` and at least seven digits;
//! - `Year` and the year of `WatchedDate` (`YYYY-MM-DD`) have four digits;
//! - `Rating` is stars (`0.5` … `5`, `4.5`), `Rating10` the same in half stars (`1` … `10`); when
//!   a file has both, they agree;
//! - `Directors` and `Tags` are joined by commas, so a name or tag holds no comma, is not empty
//!   and has no space at either end;
//! - an empty field is no value, so a review is not empty;
//! - a row names its film somehow: by address, TMDb or IMDb id, or title.

use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};

use crate::letterboxd::Rating;
use crate::lines;
use crate::{Error, Result};

pub const IMPORT_HEADER: [&str; 11] = [
    "LetterboxdURI",
    "tmdbID",
    "imdbID",
    "Title",
    "Year",
    "Directors",
    "WatchedDate",
    "Rating",
    "Rating10",
    "Tags",
    "Review",
];

/// One film to import: seen (`watched`), rated, tagged or reviewed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ImportRow {
    /// The film's Letterboxd address, e.g. `https://letterboxd.com/film/anora/`.
    pub letterboxd_uri: Option<String>,
    pub tmdb_id: Option<i64>,
    /// e.g. `tt28607951`.
    pub imdb_id: Option<String>,
    pub title: String,
    pub year: Option<i32>,
    pub directors: Vec<String>,
    pub watched: Option<NaiveDate>,
    /// The rating in half stars, 1 (half a star) to 10 (five stars).
    pub half_stars: Option<u8>,
    pub tags: Vec<String>,
    pub review: Option<String>,
}

/// Writes `rows` as an import file, header first. Refuses the whole (`InvalidInput`, naming the
/// row, from 1, and the column) before writing anything, when a row would not read back the same.
pub fn write_import_csv<W: Write>(out: W, rows: &[ImportRow]) -> io::Result<()> {
    for (i, row) in rows.iter().enumerate() {
        check(row).map_err(|message| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!("row {}: {message}", i + 1),
            )
        })?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    writer.write_record(IMPORT_HEADER)?;
    for row in rows {
        writer.write_record(fields(row))?;
    }
    writer.flush()
}

/// Reads an import file: a header of any of `IMPORT_HEADER`'s columns (each once, in any order),
/// then a row per film. A header naming anything else is `Error::WrongFormat`; the first
/// malformed row is `Error::Invalid`, naming the file, its line and the column.
pub fn read_import_csv(path: &Path) -> Result<Vec<ImportRow>> {
    Ok(read_import_csv_lines(path)?
        .into_iter()
        .map(|(_, row)| row)
        .collect())
}

/// [`read_import_csv`], each row with the line it starts on.
pub fn read_import_csv_lines(path: &Path) -> Result<Vec<(u64, ImportRow)>> {
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    read_from(BufReader::new(file), path)
}

/// Whether `first_line` (a file's first line, BOM and all) is an import file's header: names
/// from [`IMPORT_HEADER`] only, a title or an id among them.
pub fn is_import_header(first_line: &[u8]) -> bool {
    let line = first_line
        .strip_prefix(b"\xEF\xBB\xBF")
        .unwrap_or(first_line);
    let line = String::from_utf8_lossy(line);
    let names: Vec<&str> = line.trim_end().split(',').map(str::trim).collect();
    names.iter().all(|n| IMPORT_HEADER.contains(n))
        && names
            .iter()
            .any(|n| matches!(*n, "Title" | "imdbID" | "tmdbID" | "LetterboxdURI"))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Uri,
    Tmdb,
    Imdb,
    Title,
    Year,
    Directors,
    Watched,
    Rating,
    Rating10,
    Tags,
    Review,
}

impl Column {
    /// In `IMPORT_HEADER`'s order.
    const ALL: [Column; 11] = [
        Column::Uri,
        Column::Tmdb,
        Column::Imdb,
        Column::Title,
        Column::Year,
        Column::Directors,
        Column::Watched,
        Column::Rating,
        Column::Rating10,
        Column::Tags,
        Column::Review,
    ];

    fn named(name: &str) -> Option<Column> {
        IMPORT_HEADER
            .iter()
            .position(|&n| n == name)
            .and_then(|i| Column::ALL.get(i).copied())
    }

    fn name(self) -> &'static str {
        Column::ALL
            .iter()
            .position(|&c| c == self)
            .and_then(|i| IMPORT_HEADER.get(i).copied())
            .unwrap_or("?")
    }
}

/// The row's fields, in `IMPORT_HEADER`'s order.
fn fields(row: &ImportRow) -> [String; 11] {
    let half_stars = row.half_stars.and_then(Rating::from_half_stars);
    [
        row.letterboxd_uri.clone().unwrap_or_default(),
        row.tmdb_id.map(|n| n.to_string()).unwrap_or_default(),
        row.imdb_id.clone().unwrap_or_default(),
        row.title.clone(),
        row.year.map(|y| format!("{y:04}")).unwrap_or_default(),
        row.directors.join(", "),
        row.watched
            .map(|d| format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            .unwrap_or_default(),
        half_stars.map(|r| r.to_string()).unwrap_or_default(),
        half_stars
            .map(|r| r.half_stars().to_string())
            .unwrap_or_default(),
        row.tags.join(", "),
        row.review.clone().unwrap_or_default(),
    ]
}

/// What a row must be to be written, and read back, as itself.
fn check(row: &ImportRow) -> Result<(), String> {
    if let Some(uri) = &row.letterboxd_uri
        && !is_web_address(uri)
    {
        return Err(format!("LetterboxdURI {uri:?} is not a web address"));
    }
    if let Some(id) = row.tmdb_id
        && id < 1
    {
        return Err(format!("tmdbID {id} is not a whole number from 1"));
    }
    if let Some(id) = &row.imdb_id
        && !is_imdb_id(id)
    {
        return Err(format!(
            "imdbID {id:?} is not \"tt\" and seven or more digits"
        ));
    }
    if let Some(year) = row.year
        && !(0..=9999).contains(&year)
    {
        return Err(format!("Year {year} does not have four digits"));
    }
    if let Some(watched) = row.watched
        && !(0..=9999).contains(&watched.year())
    {
        return Err(format!(
            "WatchedDate {watched} does not have a four-digit year"
        ));
    }
    if let Some(half_stars) = row.half_stars
        && Rating::from_half_stars(half_stars).is_none()
    {
        return Err(format!(
            "the rating is {half_stars} half stars, not 1 to 10"
        ));
    }
    check_list("Directors", &row.directors)?;
    check_list("Tags", &row.tags)?;
    if row.review.as_deref() == Some("") {
        return Err("the review is empty (an empty Review is no review)".into());
    }
    let named = row.letterboxd_uri.is_some()
        || row.tmdb_id.is_some()
        || row.imdb_id.is_some()
        || !row.title.trim().is_empty();
    if !named {
        return Err(
            "the row does not name its film (LetterboxdURI, tmdbID, imdbID or Title)".into(),
        );
    }
    Ok(())
}

fn check_list(column: &str, items: &[String]) -> Result<(), String> {
    for item in items {
        if item.is_empty() || item.trim() != item || item.contains(',') {
            return Err(format!(
                "{column}: {item:?} cannot be joined by commas and read back \
                 (it is empty, has a comma, or a space at an end)"
            ));
        }
    }
    Ok(())
}

fn is_web_address(text: &str) -> bool {
    text.strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .is_some_and(|rest| !rest.is_empty())
}

fn is_imdb_id(text: &str) -> bool {
    text.strip_prefix("tt")
        .is_some_and(|digits| digits.len() >= 7 && digits.bytes().all(|b| b.is_ascii_digit()))
}

fn read_from(input: impl Read, path: &Path) -> Result<Vec<(u64, ImportRow)>> {
    let dataset = path.display().to_string();
    let io_error = |e: csv::Error| Error::Io {
        path: path.to_path_buf(),
        source: io::Error::from(e),
    };
    let invalid = |line: u64, message: String| Error::Invalid {
        dataset: dataset.clone(),
        line: usize::try_from(line).unwrap_or(usize::MAX),
        message,
    };
    let wrong = |message: String| Error::WrongFormat {
        dataset: dataset.clone(),
        message,
    };

    let (input, lines) = lines::counted(input);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input);
    let mut record = csv::ByteRecord::new();
    let more = reader.read_byte_record(&mut record).map_err(io_error)?;
    let header_line = lines.line_of(&record);
    if !more {
        return Err(wrong(format!(
            "the file is empty; expected a header of some of {}",
            IMPORT_HEADER.join(",")
        )));
    }
    let mut columns: Vec<Column> = Vec::with_capacity(record.len());
    for (i, name) in record.iter().enumerate() {
        let name = if i == 0 {
            name.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(name)
        } else {
            name
        };
        let name = String::from_utf8_lossy(name);
        let column = Column::named(&name).ok_or_else(|| {
            wrong(format!(
                "line {header_line}: column {} is {name:?}, not one of {}",
                i + 1,
                IMPORT_HEADER.join(",")
            ))
        })?;
        if columns.contains(&column) {
            return Err(wrong(format!(
                "line {header_line}: the column {name} appears twice"
            )));
        }
        columns.push(column);
    }

    let mut rows = Vec::new();
    while reader.read_byte_record(&mut record).map_err(io_error)? {
        let line = lines.line_of(&record);
        if record.len() != columns.len() {
            return Err(invalid(
                line,
                format!(
                    "the row has {} fields, the header {}",
                    record.len(),
                    columns.len()
                ),
            ));
        }
        let mut fields = Vec::with_capacity(columns.len());
        for (column, field) in columns.iter().zip(record.iter()) {
            let text = std::str::from_utf8(field)
                .map_err(|_| invalid(line, format!("{} is not UTF-8 text", column.name())))?;
            fields.push((*column, text));
        }
        let row = parse_row(&fields).map_err(|message| invalid(line, message))?;
        rows.push((line, row));
    }
    Ok(rows)
}

fn parse_row(fields: &[(Column, &str)]) -> Result<ImportRow, String> {
    let mut row = ImportRow::default();
    let mut stars = None;
    let mut rating10 = None;
    for &(column, text) in fields {
        if text.is_empty() {
            continue;
        }
        let name = column.name();
        match column {
            Column::Uri => row.letterboxd_uri = Some(text.to_owned()),
            Column::Tmdb => {
                let id = text
                    .parse::<i64>()
                    .ok()
                    .filter(|&n| n > 0 && text.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| format!("{name} {text:?} is not a whole number from 1"))?;
                row.tmdb_id = Some(id);
            }
            Column::Imdb => row.imdb_id = Some(text.to_owned()),
            Column::Title => row.title = text.to_owned(),
            Column::Year => {
                if text.len() != 4 || !text.bytes().all(|b| b.is_ascii_digit()) {
                    return Err(format!("{name} {text:?} is not a four-digit year"));
                }
                row.year = text.parse().ok();
            }
            Column::Directors => row.directors = list(text),
            Column::Watched => {
                row.watched = Some(
                    date(text)
                        .ok_or_else(|| format!("{name} {text:?} is not a date (YYYY-MM-DD)"))?,
                );
            }
            Column::Rating => {
                let rating = Rating::parse(text)
                    .map_err(|_| format!("{name} {text:?} is not 0.5 to 5 stars in half steps"))?;
                stars = Some(rating.half_stars());
            }
            Column::Rating10 => {
                let half_stars = text
                    .parse::<u8>()
                    .ok()
                    .filter(|&n| (1..=10).contains(&n) && text.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(|| format!("{name} {text:?} is not a whole number from 1 to 10"))?;
                rating10 = Some(half_stars);
            }
            Column::Tags => row.tags = list(text),
            Column::Review => row.review = Some(text.to_owned()),
        }
    }
    row.half_stars = match (stars, rating10) {
        (Some(a), Some(b)) if a != b => {
            return Err(format!(
                "Rating ({a} half stars) and Rating10 ({b}) do not agree"
            ));
        }
        (a, b) => a.or(b),
    };
    check(&row)?;
    Ok(row)
}

/// Names or tags joined by commas: `Sean Baker, Samantha Quan`.
fn list(field: &str) -> Vec<String> {
    field
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A `YYYY-MM-DD` date, nothing looser.
fn date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if !shape {
        return None;
    }
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let year = i32::try_from(number(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(5..7)?, number(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_and_their_names_match_the_header() {
        for (i, name) in IMPORT_HEADER.iter().enumerate() {
            assert_eq!(Column::named(name), Some(Column::ALL[i]));
            assert_eq!(Column::ALL[i].name(), *name);
        }
        assert_eq!(Column::named("title"), None);
    }

    #[test]
    fn dates_are_exactly_year_month_day() {
        assert_eq!(date("2024-10-18"), NaiveDate::from_ymd_opt(2024, 10, 18));
        assert_eq!(date("0999-01-01"), NaiveDate::from_ymd_opt(999, 1, 1));
        for bad in [
            "2024-02-30",
            "2024-1-18",
            "18/10/2024",
            "2024-10-18 ",
            "+024-10-18",
        ] {
            assert_eq!(date(bad), None, "{bad:?}");
        }
    }
}
