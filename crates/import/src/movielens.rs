//! The MovieLens "small" data set (`ml-latest-small`), read strictly: `links.csv`
//! (`movieId,imdbId,tmdbId`) and `ratings.csv` (`userId,movieId,rating,timestamp`), comma-separated
//! with a header row, as GroupLens publishes them.
//!
//! Unlike the Letterboxd reader, which skips a malformed row, this one stops at the first: the
//! data set is published as a whole, so a bad row means the file is not the data set. A wrong
//! header is `Error::WrongFormat`; a bad row is `Error::Invalid`, naming the file, the line and
//! the column. `ratings.csv` (100,836 rows) is streamed row by row to a visitor; `links.csv`
//! (9,742 rows) is read into memory.
//!
//! What is accepted:
//! - ids (`userId`, `movieId`, `tmdbId`) are whole numbers from 1, digits only;
//! - `imdbId` is IMDb's number without its `tt` (`0114709`); it becomes `tt0114709`, padded with
//!   zeros to at least seven digits. `tmdbId` may be empty (a few films have none);
//! - `rating` is 0.5 to 5 in half steps (`4.0`, `3.5`, also `4`);
//! - `timestamp` is seconds since 1970-01-01 UTC, digits only; only its UTC day is kept.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fs::File;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate};

use crate::letterboxd::Rating;
use crate::lines::{self, Counted, Lines};
use crate::{Error, Result};

pub const LINKS_HEADER: [&str; 3] = ["movieId", "imdbId", "tmdbId"];
pub const RATINGS_HEADER: [&str; 4] = ["userId", "movieId", "rating", "timestamp"];

/// `links.csv`: each MovieLens film's IMDb id (and TMDb id, when it has one).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Links {
    by_movie: HashMap<u32, Link>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    imdb: String,
    tmdb: Option<u32>,
    /// The line of `links.csv` it is on.
    line: u64,
}

impl Links {
    /// The film's IMDb id, e.g. `tt0114709`.
    pub fn imdb_id(&self, movie_id: u32) -> Option<&str> {
        self.by_movie.get(&movie_id).map(|l| l.imdb.as_str())
    }

    /// The film's TMDb id, when `links.csv` gives one.
    pub fn tmdb_id(&self, movie_id: u32) -> Option<u32> {
        self.by_movie.get(&movie_id).and_then(|l| l.tmdb)
    }

    /// How many films are linked.
    pub fn len(&self) -> usize {
        self.by_movie.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_movie.is_empty()
    }
}

/// One row of `ratings.csv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MovieLensRating {
    pub user: u32,
    pub movie: u32,
    /// The rating in half stars: 1 (0.5 stars) to 10 (5 stars).
    pub half_stars: u8,
    /// The UTC day of the rating's timestamp.
    pub watched: NaiveDate,
    /// The line of `ratings.csv` the row is on.
    pub line: u64,
}

/// Reads `links.csv`.
pub fn read_links(path: &Path) -> Result<Links> {
    let mut table = Table::open(path, &LINKS_HEADER)?;
    let mut links = Links::default();
    while let Some(line) = table.next_row()? {
        let movie = table.id(line, 0)?;
        let imdb = table.field(line, 1).and_then(|text| {
            imdb_id(text).map_err(|m| table.invalid(line, format!("imdbId {text:?} {m}")))
        })?;
        let tmdb = match table.field(line, 2)? {
            "" => None,
            _ => Some(table.id(line, 2)?),
        };
        match links.by_movie.entry(movie) {
            Entry::Occupied(first) => {
                let first = first.get().line;
                return Err(table.invalid(
                    line,
                    format!("movieId {movie} is linked already, on line {first}"),
                ));
            }
            Entry::Vacant(slot) => {
                slot.insert(Link { imdb, tmdb, line });
            }
        }
    }
    Ok(links)
}

/// Streams `ratings.csv` to `visit`, row by row, and answers how many rows were read. Stops at
/// the first malformed row, or the first error `visit` returns, and answers that error.
pub fn read_ratings(
    path: &Path,
    visit: &mut dyn FnMut(MovieLensRating) -> Result<()>,
) -> Result<u64> {
    let mut table = Table::open(path, &RATINGS_HEADER)?;
    let mut rows = 0;
    while let Some(line) = table.next_row()? {
        let user = table.id(line, 0)?;
        let movie = table.id(line, 1)?;
        let half_stars = table.field(line, 2).and_then(|text| {
            half_stars(text).ok_or_else(|| {
                table.invalid(
                    line,
                    format!("rating {text:?} is not 0.5 to 5.0 in half steps"),
                )
            })
        })?;
        let watched = table.field(line, 3).and_then(|text| {
            day_of(text).map_err(|m| table.invalid(line, format!("timestamp {text:?} {m}")))
        })?;
        visit(MovieLensRating {
            user,
            movie,
            half_stars,
            watched,
            line,
        })?;
        rows += 1;
    }
    Ok(rows)
}

/// `0114709` → `tt0114709`: at least seven digits, leading zeros beyond seven dropped.
fn imdb_id(text: &str) -> Result<String, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not an IMDb number (digits, without \"tt\")".into());
    }
    let digits = text.trim_start_matches('0');
    if digits.is_empty() {
        return Err("is zero, not an IMDb number".into());
    }
    Ok(format!("tt{digits:0>7}"))
}

/// `0.5` → 1, `4.0` (or `4`) → 8, `5.0` → 10.
fn half_stars(text: &str) -> Option<u8> {
    Rating::parse(text).ok().map(Rating::half_stars)
}

/// The UTC day of a Unix timestamp in seconds.
fn day_of(text: &str) -> Result<NaiveDate, String> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err("is not a Unix time (whole seconds since 1970, digits only)".into());
    }
    text.parse::<i64>()
        .ok()
        .and_then(|seconds| DateTime::from_timestamp(seconds, 0))
        .map(|t| t.date_naive())
        .ok_or_else(|| "is out of the range of dates".into())
}

/// One of the data set's files, read record by record.
struct Table {
    path: PathBuf,
    dataset: String,
    header: &'static [&'static str],
    reader: csv::Reader<Counted<File>>,
    lines: Lines,
    record: csv::ByteRecord,
}

impl Table {
    /// Opens `path` and checks that its first line is `header`.
    fn open(path: &Path, header: &'static [&'static str]) -> Result<Table> {
        let file = File::open(path).map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?;
        let (file, lines) = lines::counted(file);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(file);
        let mut table = Table {
            path: path.to_path_buf(),
            dataset: path.display().to_string(),
            header,
            reader,
            lines,
            record: csv::ByteRecord::new(),
        };
        table.check_header()?;
        Ok(table)
    }

    fn check_header(&mut self) -> Result<()> {
        let want = self.header.join(",");
        if !self.read()? {
            return Err(self.wrong(format!(
                "the file is empty; expected the header {want:?} on line 1"
            )));
        }
        let found: Vec<String> = self
            .record
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let f = if i == 0 {
                    f.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(f)
                } else {
                    f
                };
                String::from_utf8_lossy(f).into_owned()
            })
            .collect();
        if found
            .iter()
            .map(String::as_str)
            .eq(self.header.iter().copied())
        {
            return Ok(());
        }
        let line = self.line();
        let detail = match self
            .header
            .iter()
            .zip(&found)
            .position(|(want, found)| want != found)
        {
            Some(i) => format!(
                "column {} is {:?}, expected {:?}",
                i + 1,
                found[i],
                self.header[i]
            ),
            None => format!(
                "it has {} columns, expected {}",
                found.len(),
                self.header.len()
            ),
        };
        Err(self.wrong(format!(
            "line {line}: not the MovieLens header ({detail}): expected {want:?}, found {:?}",
            found.join(",")
        )))
    }

    /// Reads the next record; false at the end of the file.
    fn read(&mut self) -> Result<bool> {
        self.reader
            .read_byte_record(&mut self.record)
            .map_err(|e| Error::Io {
                path: self.path.clone(),
                source: std::io::Error::from(e),
            })
    }

    /// Reads the next row and checks its width; its line, or `None` at the end of the file.
    fn next_row(&mut self) -> Result<Option<u64>> {
        if !self.read()? {
            return Ok(None);
        }
        let line = self.line();
        if self.record.len() != self.header.len() {
            return Err(self.invalid(
                line,
                format!(
                    "the row has {} fields, expected {} ({})",
                    self.record.len(),
                    self.header.len(),
                    self.header.join(",")
                ),
            ));
        }
        Ok(Some(line))
    }

    /// The line the current record starts on.
    fn line(&self) -> u64 {
        self.lines.line_of(&self.record)
    }

    /// Field `index` of the current row, as text.
    fn field(&self, line: u64, index: usize) -> Result<&str> {
        let bytes = self.record.get(index).unwrap_or_default();
        std::str::from_utf8(bytes).map_err(|_| {
            let column = self.column(index);
            self.invalid(line, format!("{column} is not UTF-8 text"))
        })
    }

    /// Field `index` of the current row as an id: a whole number from 1, digits only.
    fn id(&self, line: u64, index: usize) -> Result<u32> {
        let text = self.field(line, index)?;
        let column = self.column(index);
        text.parse::<u32>()
            .ok()
            .filter(|&n| n > 0 && text.bytes().all(|b| b.is_ascii_digit()))
            .ok_or_else(|| {
                self.invalid(
                    line,
                    format!("{column} {text:?} is not an id (a whole number from 1)"),
                )
            })
    }

    fn column(&self, index: usize) -> &'static str {
        self.header.get(index).copied().unwrap_or("?")
    }

    fn invalid(&self, line: u64, message: String) -> Error {
        Error::Invalid {
            dataset: self.dataset.clone(),
            line: usize::try_from(line).unwrap_or(usize::MAX),
            message,
        }
    }

    fn wrong(&self, message: String) -> Error {
        Error::WrongFormat {
            dataset: self.dataset.clone(),
            message,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn imdb_numbers_become_ids_of_at_least_seven_digits() {
        assert_eq!(imdb_id("0114709").as_deref(), Ok("tt0114709"));
        assert_eq!(imdb_id("114709").as_deref(), Ok("tt0114709"));
        assert_eq!(imdb_id("00114709").as_deref(), Ok("tt0114709"));
        assert_eq!(imdb_id("8391976").as_deref(), Ok("tt8391976"));
        assert_eq!(imdb_id("10872600").as_deref(), Ok("tt10872600"));
        assert!(imdb_id("").is_err());
        assert!(imdb_id("0000000").is_err());
        assert!(imdb_id("tt0114709").is_err());
        assert!(imdb_id(" 114709").is_err());
    }

    #[test]
    fn timestamps_give_their_utc_day() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        assert_eq!(day_of("0").ok(), day(1970, 1, 1));
        assert_eq!(day_of("964982703").ok(), day(2000, 7, 30));
        assert_eq!(day_of("86399").ok(), day(1970, 1, 1));
        assert_eq!(day_of("86400").ok(), day(1970, 1, 2));
        assert!(day_of("-1").is_err());
        assert!(day_of("1.5").is_err());
        assert!(day_of("99999999999999999999").is_err());
    }

    #[test]
    fn ratings_are_half_steps_from_half_a_star_to_five() {
        assert_eq!(half_stars("0.5"), Some(1));
        assert_eq!(half_stars("4.0"), Some(8));
        assert_eq!(half_stars("4"), Some(8));
        assert_eq!(half_stars("5.0"), Some(10));
        for bad in ["0", "0.0", "4.3", "5.5", "6", "-1", "", "four", "4.50"] {
            assert!(half_stars(bad).is_none(), "{bad:?}");
        }
    }
}
