//! Letterboxd's data export, read strictly: a folder or a ZIP of comma-separated files with a
//! header row (UTF-8, perhaps with a byte-order mark), dates as `YYYY-MM-DD`, ratings 0.5–5 in
//! half steps or empty, `Rewatch` as `Yes` or empty, and tags as one field joined by commas.
//!
//! This module only parses: it turns the export into rows (films named by title, year and
//! Letterboxd URI) and rejections; matching them to catalog films and storing them is the
//! caller's work. As everywhere in this crate, a file whose header is not the one expected is
//! refused as a whole (`Error::WrongFormat`, naming the file), while a malformed row becomes a
//! `Rejection` (its line, and the file in its message) and the rest goes on. The `deleted/` and
//! `orphaned/` folders of an export are never read.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use crate::lines::{self, Counted, Lines};
use crate::{Error, Rejection, Result};

/// The files an export is expected to hold (besides `lists/*.csv`), in the order they are read.
pub const EXPECTED_FILES: [&str; 6] = [
    "diary.csv",
    "reviews.csv",
    "ratings.csv",
    "watched.csv",
    "watchlist.csv",
    "likes/films.csv",
];

/// Folders of an export that hold what the user removed; never read.
pub const SKIPPED_FOLDERS: [&str; 2] = ["deleted/", "orphaned/"];

pub const DIARY_HEADER: [&str; 8] = [
    "Date",
    "Name",
    "Year",
    "Letterboxd URI",
    "Rating",
    "Rewatch",
    "Tags",
    "Watched Date",
];
pub const REVIEWS_HEADER: [&str; 9] = [
    "Date",
    "Name",
    "Year",
    "Letterboxd URI",
    "Rating",
    "Rewatch",
    "Review",
    "Tags",
    "Watched Date",
];
pub const RATINGS_HEADER: [&str; 5] = ["Date", "Name", "Year", "Letterboxd URI", "Rating"];
/// The header of `watched.csv`, `watchlist.csv` and `likes/films.csv`.
pub const FILMS_HEADER: [&str; 4] = ["Date", "Name", "Year", "Letterboxd URI"];
/// The first line of a list's file.
pub const LIST_VERSION_LINE: &str = "Letterboxd list export v7";
pub const LIST_HEADER: [&str; 5] = ["Date", "Name", "Tags", "URL", "Description"];
pub const LIST_ENTRIES_HEADER: [&str; 5] = ["Position", "Name", "Year", "URL", "Description"];

/// A film as the export names it; matched to the catalog later, by title and year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilmRef {
    pub name: String,
    pub year: Option<i32>,
    /// The film's (or the diary entry's) Letterboxd address, e.g. `https://boxd.it/2bg8`.
    pub uri: Option<String>,
    /// The film's IMDb id, when the file gives it (Letterboxd's import format does; its export
    /// does not). It is matched before the title.
    pub imdb_id: Option<String>,
}

pub use kinograph_diary::Rating;

/// A row of `diary.csv`, or of `reviews.csv` (then with its review). A later step merges a
/// review into the diary row of the same film and watched date.
#[derive(Debug, Clone, PartialEq)]
pub struct DiaryEntry {
    /// When the entry was logged (`Date`).
    pub logged: NaiveDate,
    pub film: FilmRef,
    pub rating: Option<Rating>,
    pub rewatch: bool,
    pub tags: Vec<String>,
    /// When the film was seen (`Watched Date`).
    pub watched: Option<NaiveDate>,
    pub review: Option<String>,
    /// The line of its file the row starts on.
    pub line: u64,
}

/// A row of `ratings.csv`: the film's current rating.
#[derive(Debug, Clone, PartialEq)]
pub struct RatedFilm {
    pub date: NaiveDate,
    pub film: FilmRef,
    pub rating: Rating,
    pub line: u64,
}

/// A row of `watched.csv`, `watchlist.csv` or `likes/films.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct DatedFilm {
    pub date: NaiveDate,
    pub film: FilmRef,
    pub line: u64,
}

/// A list, from `lists/<name>.csv`.
#[derive(Debug, Clone, PartialEq)]
pub struct ListExport {
    /// The file it came from, e.g. `lists/favourites.csv`.
    pub file: String,
    pub name: String,
    pub created: NaiveDate,
    pub url: Option<String>,
    pub description: Option<String>,
    pub tags: Vec<String>,
    /// Whether the list is ranked: it has entries and every entry has a position.
    pub ranked: bool,
    pub entries: Vec<ListEntry>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListEntry {
    pub position: Option<u32>,
    pub film: FilmRef,
    /// The entry's note (`Description`).
    pub note: Option<String>,
    pub line: u64,
}

/// Everything an export holds, parsed.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Export {
    pub diary: Vec<DiaryEntry>,
    pub reviews: Vec<DiaryEntry>,
    pub ratings: Vec<RatedFilm>,
    pub watched: Vec<DatedFilm>,
    pub watchlist: Vec<DatedFilm>,
    pub liked: Vec<DatedFilm>,
    /// In the order of their file names.
    pub lists: Vec<ListExport>,
    /// Expected files (of `EXPECTED_FILES`) that the export does not hold.
    pub missing: Vec<&'static str>,
    /// Malformed rows, skipped; each message starts with the file's name.
    pub rejected: Vec<Rejection>,
}

/// How large a ZIP export may be before it is refused unread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ZipLimits {
    /// The archive file's size.
    pub max_archive_bytes: u64,
    /// One file's uncompressed size (declared, and as actually read).
    pub max_entry_bytes: u64,
    /// All read files' uncompressed sizes together.
    pub max_total_bytes: u64,
    /// Uncompressed ÷ compressed size, for files over `ratio_floor_bytes`.
    pub max_ratio: u64,
    /// Files this small are never refused for their ratio.
    pub ratio_floor_bytes: u64,
}

impl Default for ZipLimits {
    /// Far above any real export (a diary of 10,000 entries is about 1 MB).
    fn default() -> Self {
        ZipLimits {
            max_archive_bytes: 256 << 20,
            max_entry_bytes: 64 << 20,
            max_total_bytes: 256 << 20,
            max_ratio: 100,
            ratio_floor_bytes: 1 << 20,
        }
    }
}

/// Reads an export unpacked into a folder.
pub fn read_dir(path: &Path) -> Result<Export> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if !path.metadata().map_err(io)?.is_dir() {
        return Err(Error::WrongFormat {
            dataset: path.display().to_string(),
            message: "not a folder (expected an unpacked Letterboxd export)".into(),
        });
    }
    let mut export = Export::default();
    let mut found = 0;
    for file in EXPECTED_FILES {
        let full = path.join(file);
        if !full.is_file() {
            export.missing.push(file);
            continue;
        }
        let input = File::open(&full).map_err(|source| Error::Io {
            path: full.clone(),
            source,
        })?;
        read_file(file, BufReader::new(input), &full, &mut export)?;
        found += 1;
    }
    let lists = path.join("lists");
    if lists.is_dir() {
        let mut names = Vec::new();
        for entry in std::fs::read_dir(&lists).map_err(|source| Error::Io {
            path: lists.clone(),
            source,
        })? {
            let entry = entry.map_err(|source| Error::Io {
                path: lists.clone(),
                source,
            })?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.ends_with(".csv") && entry.path().is_file() {
                names.push(name);
            }
        }
        names.sort();
        for name in names {
            let full = lists.join(&name);
            let input = File::open(&full).map_err(|source| Error::Io {
                path: full.clone(),
                source,
            })?;
            let file = format!("lists/{name}");
            read_file(&file, BufReader::new(input), &full, &mut export)?;
            found += 1;
        }
    }
    nothing_found(path, found)?;
    Ok(export)
}

/// Reads an export as Letterboxd hands it out: a ZIP, with the default `ZipLimits`.
pub fn read_zip(path: &Path) -> Result<Export> {
    read_zip_with(path, ZipLimits::default())
}

/// Reads a ZIP export, refusing it (`Error::Archive`) when it breaks one of `limits`.
pub fn read_zip_with(path: &Path, limits: ZipLimits) -> Result<Export> {
    let refuse = |message: String| Error::Archive {
        path: path.to_path_buf(),
        message,
    };
    let file = File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let size = file
        .metadata()
        .map_err(|source| Error::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    if size > limits.max_archive_bytes {
        return Err(refuse(format!(
            "the archive is {size} bytes, over the limit of {} bytes",
            limits.max_archive_bytes
        )));
    }
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| refuse(format!("not a readable ZIP archive: {e}")))?;
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    let root = archive_root(&names);
    let wanted = |inner: &str| -> Option<String> {
        names
            .iter()
            .find(|n| n.strip_prefix(&root) == Some(inner))
            .cloned()
    };

    let mut todo: Vec<(String, String)> = Vec::new(); // (name in the export, name in the archive)
    let mut export = Export::default();
    for file in EXPECTED_FILES {
        match wanted(file) {
            Some(full) => todo.push((file.to_owned(), full)),
            None => export.missing.push(file),
        }
    }
    let mut lists: Vec<(String, String)> = names
        .iter()
        .filter_map(|full| {
            let inner = full.strip_prefix(&root)?;
            let name = inner.strip_prefix("lists/")?;
            (name.ends_with(".csv") && !name.contains('/'))
                .then(|| (inner.to_owned(), full.clone()))
        })
        .collect();
    lists.sort();
    todo.extend(lists);

    let mut total: u64 = 0;
    for (inner, full) in &todo {
        let mut entry = archive
            .by_name(full)
            .map_err(|e| refuse(format!("cannot read {full}: {e}")))?;
        let declared = entry.size();
        let compressed = entry.compressed_size();
        if declared > limits.max_entry_bytes {
            return Err(refuse(format!(
                "{full} is {declared} bytes uncompressed, over the limit of {} bytes",
                limits.max_entry_bytes
            )));
        }
        if declared > limits.ratio_floor_bytes && declared / compressed.max(1) > limits.max_ratio {
            return Err(refuse(format!(
                "{full} expands {declared} bytes from {compressed} (over {}:1): \
                 refused as a ZIP bomb",
                limits.max_ratio
            )));
        }
        let mut bytes = Vec::new();
        (&mut entry)
            .take(limits.max_entry_bytes.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| refuse(format!("cannot decompress {full}: {e}")))?;
        let read = bytes.len() as u64;
        if read > limits.max_entry_bytes {
            return Err(refuse(format!(
                "{full} expands past the limit of {} bytes (it declares {declared}): \
                 refused as a ZIP bomb",
                limits.max_entry_bytes
            )));
        }
        total = total.saturating_add(read);
        if total > limits.max_total_bytes {
            return Err(refuse(format!(
                "the export's files expand past the limit of {} bytes in all",
                limits.max_total_bytes
            )));
        }
        drop(entry);
        read_file(inner, &bytes[..], path, &mut export)?;
    }
    nothing_found(path, todo.len())?;
    Ok(export)
}

/// The folder everything in the archive sits in, when the export was zipped as a folder
/// (`export/diary.csv`); empty when its files are at the top, as Letterboxd packs them.
fn archive_root(names: &[String]) -> String {
    let at_top = |n: &String| {
        EXPECTED_FILES.contains(&n.as_str())
            || n.starts_with("lists/")
            || n.ends_with(".csv") && !n.contains('/')
    };
    if names.iter().any(at_top) {
        return String::new();
    }
    let Some(first) = names.first().and_then(|n| n.split_once('/')) else {
        return String::new();
    };
    let root = format!("{}/", first.0);
    if SKIPPED_FOLDERS.contains(&root.as_str()) {
        return String::new();
    }
    if names.iter().all(|n| n.starts_with(&root)) {
        root
    } else {
        String::new()
    }
}

fn nothing_found(path: &Path, found: usize) -> Result<()> {
    if found == 0 {
        return Err(Error::WrongFormat {
            dataset: path.display().to_string(),
            message: format!(
                "not a Letterboxd export: none of {} or lists/*.csv is there",
                EXPECTED_FILES.join(", ")
            ),
        });
    }
    Ok(())
}

/// Parses one file of the export (`file` is its name inside the export, e.g. `diary.csv` or
/// `lists/favourites.csv`) into `export`. `origin` is where it was read from, for I/O errors.
pub fn read_file(file: &str, input: impl Read, origin: &Path, export: &mut Export) -> Result<()> {
    let mut csv = Csv::new(input, file, origin);
    match file {
        "diary.csv" => {
            csv.header(&DIARY_HEADER)?;
            while let Some((line, row)) = csv.row(DIARY_HEADER.len())? {
                match row.and_then(|f| diary_entry(line, &f, false)) {
                    Ok(entry) => export.diary.push(entry),
                    Err(message) => export.rejected.push(csv.reject(line, message)),
                }
            }
        }
        "reviews.csv" => {
            csv.header(&REVIEWS_HEADER)?;
            while let Some((line, row)) = csv.row(REVIEWS_HEADER.len())? {
                match row.and_then(|f| diary_entry(line, &f, true)) {
                    Ok(entry) => export.reviews.push(entry),
                    Err(message) => export.rejected.push(csv.reject(line, message)),
                }
            }
        }
        "ratings.csv" => {
            csv.header(&RATINGS_HEADER)?;
            while let Some((line, row)) = csv.row(RATINGS_HEADER.len())? {
                let parsed = row.and_then(|f| {
                    Ok(RatedFilm {
                        date: date("Date", &f[0])?,
                        film: film(&f[1], &f[2], &f[3])?,
                        rating: Rating::parse(&f[4])?,
                        line,
                    })
                });
                match parsed {
                    Ok(rated) => export.ratings.push(rated),
                    Err(message) => export.rejected.push(csv.reject(line, message)),
                }
            }
        }
        "watched.csv" | "watchlist.csv" | "likes/films.csv" => {
            csv.header(&FILMS_HEADER)?;
            while let Some((line, row)) = csv.row(FILMS_HEADER.len())? {
                let parsed = row.and_then(|f| {
                    Ok(DatedFilm {
                        date: date("Date", &f[0])?,
                        film: film(&f[1], &f[2], &f[3])?,
                        line,
                    })
                });
                let rows = match file {
                    "watched.csv" => &mut export.watched,
                    "watchlist.csv" => &mut export.watchlist,
                    _ => &mut export.liked,
                };
                match parsed {
                    Ok(dated) => rows.push(dated),
                    Err(message) => export.rejected.push(csv.reject(line, message)),
                }
            }
        }
        _ if file.starts_with("lists/") => {
            let list = read_list(&mut csv, &mut export.rejected)?;
            export.lists.push(list);
        }
        _ => {
            return Err(Error::WrongFormat {
                dataset: file.to_owned(),
                message: "not a file of a Letterboxd export this reader knows".into(),
            });
        }
    }
    Ok(())
}

fn read_list<R: Read>(csv: &mut Csv<R>, rejected: &mut Vec<Rejection>) -> Result<ListExport> {
    csv.header(&[LIST_VERSION_LINE])?;
    csv.header(&LIST_HEADER)?;
    let (line, values) = match csv.row(LIST_HEADER.len())? {
        Some(row) => row,
        None => return Err(csv.wrong("ends before the list's name and date (line 3)".into())),
    };
    let values = values.map_err(|m| csv.wrong(format!("line {line}: {m}")))?;
    let name = values[1].clone();
    if name.trim().is_empty() {
        return Err(csv.wrong(format!("line {line}: the list has no name")));
    }
    let created = date("Date", &values[0]).map_err(|m| csv.wrong(format!("line {line}: {m}")))?;
    csv.header(&LIST_ENTRIES_HEADER)?;
    let mut entries = Vec::new();
    while let Some((line, row)) = csv.row(LIST_ENTRIES_HEADER.len())? {
        let parsed = row.and_then(|f| {
            let position = match f[0].as_str() {
                "" => None,
                p => Some(
                    p.parse::<u32>()
                        .ok()
                        .filter(|&n| n > 0 && p.bytes().all(|b| b.is_ascii_digit()))
                        .ok_or_else(|| format!("position {p:?} is not a whole number from 1"))?,
                ),
            };
            Ok(ListEntry {
                position,
                film: film(&f[1], &f[2], &f[3])?,
                note: optional(&f[4]),
                line,
            })
        });
        match parsed {
            Ok(entry) => entries.push(entry),
            Err(message) => rejected.push(csv.reject(line, message)),
        }
    }
    Ok(ListExport {
        file: csv.file.clone(),
        name,
        created,
        url: optional(&values[3]),
        description: optional(&values[4]),
        tags: tags(&values[2]),
        ranked: !entries.is_empty() && entries.iter().all(|e| e.position.is_some()),
        entries,
    })
}

/// A row of `diary.csv` (`with_review` false) or `reviews.csv`.
fn diary_entry(line: u64, f: &[String], with_review: bool) -> Result<DiaryEntry, String> {
    // reviews.csv has `Review` between `Rewatch` and `Tags`.
    let (review, rest) = if with_review {
        let review = optional(&f[6]);
        if review.is_none() {
            return Err("the review is empty".into());
        }
        (review, &f[7..])
    } else {
        (None, &f[6..])
    };
    Ok(DiaryEntry {
        logged: date("Date", &f[0])?,
        film: film(&f[1], &f[2], &f[3])?,
        rating: match f[4].as_str() {
            "" => None,
            r => Some(Rating::parse(r)?),
        },
        rewatch: match f[5].as_str() {
            "Yes" => true,
            "" => false,
            other => return Err(format!("Rewatch is {other:?}: it is \"Yes\" or empty")),
        },
        tags: tags(&rest[0]),
        watched: match rest[1].as_str() {
            "" => None,
            d => Some(date("Watched Date", d)?),
        },
        review,
        line,
    })
}

fn film(name: &str, year: &str, uri: &str) -> Result<FilmRef, String> {
    if name.trim().is_empty() {
        return Err("the film has no name".into());
    }
    let year = match year {
        "" => None,
        y if y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()) => {
            Some(y.parse::<i32>().map_err(|e| format!("year {y:?}: {e}"))?)
        }
        y => return Err(format!("year {y:?} is not a four-digit year")),
    };
    let uri = match uri {
        "" => None,
        u if u.starts_with("https://") || u.starts_with("http://") => Some(u.to_owned()),
        u => return Err(format!("Letterboxd URI {u:?} is not a web address")),
    };
    Ok(FilmRef {
        name: name.to_owned(),
        year,
        uri,
        imdb_id: None,
    })
}

/// A `YYYY-MM-DD` date, nothing looser.
fn date(column: &str, text: &str) -> Result<NaiveDate, String> {
    let refuse = || format!("{column} {text:?} is not a date (YYYY-MM-DD)");
    let b = text.as_bytes();
    let shape = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return Err(refuse());
    }
    let number = |range: std::ops::Range<usize>| text.get(range).and_then(|s| s.parse().ok());
    let (Some(y), Some(m), Some(d)) = (number(0..4), number(5..7), number(8..10)) else {
        return Err(refuse());
    };
    NaiveDate::from_ymd_opt(y as i32, m, d).ok_or_else(refuse)
}

/// Tags joined by commas in one field: `cinema, 2024`.
fn tags(field: &str) -> Vec<String> {
    field
        .split(',')
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

fn optional(field: &str) -> Option<String> {
    (!field.is_empty()).then(|| field.to_owned())
}

/// One CSV file, read record by record.
struct Csv<R> {
    reader: csv::Reader<Counted<R>>,
    /// The line each record starts on (`csv`'s own is too small after a CRLF or a blank line).
    lines: Lines,
    file: String,
    origin: PathBuf,
    record: csv::ByteRecord,
    first: bool,
}

impl<R: Read> Csv<R> {
    fn new(input: R, file: &str, origin: &Path) -> Self {
        let (input, lines) = lines::counted(input);
        let reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(input);
        Csv {
            reader,
            lines,
            file: file.to_owned(),
            origin: origin.to_path_buf(),
            record: csv::ByteRecord::new(),
            first: true,
        }
    }

    fn wrong(&self, message: String) -> Error {
        Error::WrongFormat {
            dataset: self.file.clone(),
            message,
        }
    }

    fn reject(&self, line: u64, message: String) -> Rejection {
        Rejection {
            line,
            message: format!("{}:{line}: {message}", self.file),
        }
    }

    /// The next record: its line and its fields, or why they are not a row of `width` fields.
    /// `None` at the end of the file.
    #[allow(clippy::type_complexity)]
    fn row(&mut self, width: usize) -> Result<Option<(u64, Result<Vec<String>, String>)>> {
        let more = self
            .reader
            .read_byte_record(&mut self.record)
            .map_err(|e| Error::Io {
                path: self.origin.clone(),
                source: std::io::Error::from(e),
            })?;
        if !more {
            return Ok(None);
        }
        let line = self.lines.line_of(&self.record);
        let mut fields = Vec::with_capacity(self.record.len());
        for (i, field) in self.record.iter().enumerate() {
            let field = if i == 0 && self.first {
                field.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(field)
            } else {
                field
            };
            match std::str::from_utf8(field) {
                Ok(text) => fields.push(text.to_owned()),
                Err(_) => {
                    self.first = false;
                    return Ok(Some((
                        line,
                        Err(format!("field {} is not UTF-8 text", i + 1)),
                    )));
                }
            }
        }
        self.first = false;
        if fields.len() != width {
            let count = fields.len();
            return Ok(Some((
                line,
                Err(format!("the row has {count} fields, expected {width}")),
            )));
        }
        Ok(Some((line, Ok(fields))))
    }

    /// Checks that the next record is exactly `expected`.
    fn header(&mut self, expected: &[&str]) -> Result<()> {
        let want = expected.join(",");
        match self.row(expected.len())? {
            None => Err(self.wrong(format!("the file ends where the header {want:?} should be"))),
            Some((_, Ok(fields)))
                if fields
                    .iter()
                    .map(String::as_str)
                    .eq(expected.iter().copied()) =>
            {
                Ok(())
            }
            Some((line, _)) => {
                let found = self
                    .record
                    .iter()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect::<Vec<_>>()
                    .join(",");
                let found = found.trim_start_matches('\u{feff}');
                Err(self.wrong(format!(
                    "line {line}: expected the header {want:?}, found {found:?}"
                )))
            }
        }
    }
}
