//! A strict, streaming reader of IMDb's non-commercial data files (`title.basics`,
//! `title.akas`, `title.crew`, `title.principals`, `title.ratings`, `name.basics`; plain or
//! `.gz`).
//!
//! IMDb's files are not CSV: a row is one line, its fields are split on every tab, nothing is
//! quoted (`"Swing it" magistern` is a title, quotes and all), and `\N` is null. So the reader
//! splits bytes on `\n` and `\t` and nothing else. The header must be the file's exact header
//! (a UTF-8 byte-order mark before it is allowed). A row with the wrong number of fields, bytes
//! that are not UTF-8, a field that does not parse, or a last line cut short becomes a
//! [`Rejection`] with its line and the rest goes on; an unreadable file (a corrupt `.gz`) is an
//! error that says how far it got. Memory does not grow with the file: one line at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use crate::{Error, Progress, Rejection, Result};

mod write;
pub use write::{BATCH_ROWS, DATASET, FileReport, ImdbReport, import};

/// The files of the data set, in the order an import reads them: people before the titles
/// that credit them, titles before what refers to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImdbFile {
    NameBasics,
    TitleBasics,
    TitleAkas,
    TitleRatings,
    TitleCrew,
    TitlePrincipals,
}

impl ImdbFile {
    pub const ALL: [ImdbFile; 6] = [
        ImdbFile::NameBasics,
        ImdbFile::TitleBasics,
        ImdbFile::TitleAkas,
        ImdbFile::TitleRatings,
        ImdbFile::TitleCrew,
        ImdbFile::TitlePrincipals,
    ];

    /// The file's name without `.gz`.
    pub fn file_name(self) -> &'static str {
        match self {
            ImdbFile::NameBasics => "name.basics.tsv",
            ImdbFile::TitleBasics => "title.basics.tsv",
            ImdbFile::TitleAkas => "title.akas.tsv",
            ImdbFile::TitleRatings => "title.ratings.tsv",
            ImdbFile::TitleCrew => "title.crew.tsv",
            ImdbFile::TitlePrincipals => "title.principals.tsv",
        }
    }

    pub fn header(self) -> &'static [&'static str] {
        match self {
            ImdbFile::NameBasics => &[
                "nconst",
                "primaryName",
                "birthYear",
                "deathYear",
                "primaryProfession",
                "knownForTitles",
            ],
            ImdbFile::TitleBasics => &[
                "tconst",
                "titleType",
                "primaryTitle",
                "originalTitle",
                "isAdult",
                "startYear",
                "endYear",
                "runtimeMinutes",
                "genres",
            ],
            ImdbFile::TitleAkas => &[
                "titleId",
                "ordering",
                "title",
                "region",
                "language",
                "types",
                "attributes",
                "isOriginalTitle",
            ],
            ImdbFile::TitleRatings => &["tconst", "averageRating", "numVotes"],
            ImdbFile::TitleCrew => &["tconst", "directors", "writers"],
            ImdbFile::TitlePrincipals => &[
                "tconst",
                "ordering",
                "nconst",
                "category",
                "job",
                "characters",
            ],
        }
    }
}

/// The data set's files found in `dir`, each plain or gzipped (`name.basics.tsv` or
/// `name.basics.tsv.gz`), in import order. Any subset may be there; none is an error.
pub fn find_files(dir: &Path) -> Result<Vec<(ImdbFile, PathBuf)>> {
    let io = |source| Error::Io {
        path: dir.to_path_buf(),
        source,
    };
    if !dir.metadata().map_err(io)?.is_dir() {
        return Err(Error::WrongFormat {
            dataset: dir.display().to_string(),
            message: "not a folder: give the folder that holds the IMDb files".into(),
        });
    }
    let mut found = Vec::new();
    for file in ImdbFile::ALL {
        let plain = dir.join(file.file_name());
        let gz = dir.join(format!("{}.gz", file.file_name()));
        match (plain.is_file(), gz.is_file()) {
            (true, true) => {
                return Err(Error::WrongFormat {
                    dataset: dir.display().to_string(),
                    message: format!(
                        "both {} and {}.gz are here: keep one",
                        file.file_name(),
                        file.file_name()
                    ),
                });
            }
            (true, false) => found.push((file, plain)),
            (false, true) => found.push((file, gz)),
            (false, false) => {}
        }
    }
    if found.is_empty() {
        return Err(Error::WrongFormat {
            dataset: dir.display().to_string(),
            message: format!(
                "no IMDb file here (looked for {}, plain or .gz)",
                ImdbFile::ALL.map(ImdbFile::file_name).join(", ")
            ),
        });
    }
    Ok(found)
}

/// A row of one of the files, parsed from its fields.
pub trait ImdbRow: Sized {
    const FILE: ImdbFile;
    /// The row from its fields (as many as the header has), or what is wrong with it.
    fn parse(fields: &[&str]) -> Result<Self, String>;
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NameBasics {
    pub nconst: String,
    pub name: String,
    pub birth_year: Option<i32>,
    pub death_year: Option<i32>,
    pub professions: Vec<String>,
    pub known_for: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleBasics {
    pub tconst: String,
    /// `movie`, `short`, `tvSeries`, `tvEpisode`, `video`, …
    pub title_type: String,
    pub primary_title: String,
    pub original_title: Option<String>,
    pub is_adult: bool,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub runtime_minutes: Option<u32>,
    pub genres: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleAka {
    pub title_id: String,
    pub ordering: u32,
    pub title: String,
    pub region: Option<String>,
    pub language: Option<String>,
    pub types: Vec<String>,
    pub attributes: Vec<String>,
    pub is_original: Option<bool>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TitleRating {
    pub tconst: String,
    pub average: f32,
    pub votes: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleCrew {
    pub tconst: String,
    pub directors: Vec<String>,
    pub writers: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitlePrincipal {
    pub tconst: String,
    pub ordering: u32,
    pub nconst: String,
    /// `actor`, `actress`, `self`, `director`, `writer`, `producer`, `composer`, …
    pub category: String,
    pub job: Option<String>,
    /// From the JSON array IMDb gives (`["Ani"]`).
    pub characters: Vec<String>,
}

const NULL: &str = "\\N";

/// The most fields a file's rows have (`title.basics`).
const MAX_FIELDS: usize = 9;

fn optional(field: &str) -> Option<String> {
    (field != NULL && !field.is_empty()).then(|| field.to_string())
}

fn required(name: &str, field: &str) -> Result<String, String> {
    optional(field).ok_or_else(|| format!("{name} is empty"))
}

fn list(field: &str) -> Vec<String> {
    if field == NULL || field.is_empty() {
        return Vec::new();
    }
    field.split(',').map(str::to_string).collect()
}

fn id(name: &str, field: &str, prefix: &str) -> Result<String, String> {
    let digits = field.strip_prefix(prefix).unwrap_or("");
    if digits.len() >= 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
        Ok(field.to_string())
    } else {
        Err(format!(
            "{name} {field:?} is not an IMDb id ({prefix}1234567)"
        ))
    }
}

fn ids(name: &str, field: &str, prefix: &str) -> Result<Vec<String>, String> {
    list(field).iter().map(|f| id(name, f, prefix)).collect()
}

fn year(name: &str, field: &str) -> Result<Option<i32>, String> {
    if field == NULL {
        return Ok(None);
    }
    match field.parse::<i32>() {
        Ok(y) if field.len() == 4 => Ok(Some(y)),
        _ => Err(format!("{name} {field:?} is not a four-digit year")),
    }
}

fn number<T: std::str::FromStr>(name: &str, field: &str) -> Result<Option<T>, String> {
    if field == NULL {
        return Ok(None);
    }
    field
        .parse()
        .map(Some)
        .map_err(|_| format!("{name} {field:?} is not a whole number"))
}

fn flag(name: &str, field: &str) -> Result<Option<bool>, String> {
    match field {
        "0" => Ok(Some(false)),
        "1" => Ok(Some(true)),
        NULL => Ok(None),
        other => Err(format!("{name} {other:?} is not 0 or 1")),
    }
}

impl ImdbRow for NameBasics {
    const FILE: ImdbFile = ImdbFile::NameBasics;
    fn parse(f: &[&str]) -> Result<Self, String> {
        Ok(NameBasics {
            nconst: id("nconst", f[0], "nm")?,
            name: required("primaryName", f[1])?,
            birth_year: year("birthYear", f[2])?,
            death_year: year("deathYear", f[3])?,
            professions: list(f[4]),
            known_for: ids("knownForTitles", f[5], "tt")?,
        })
    }
}

impl ImdbRow for TitleBasics {
    const FILE: ImdbFile = ImdbFile::TitleBasics;
    fn parse(f: &[&str]) -> Result<Self, String> {
        Ok(TitleBasics {
            tconst: id("tconst", f[0], "tt")?,
            title_type: required("titleType", f[1])?,
            primary_title: required("primaryTitle", f[2])?,
            original_title: optional(f[3]),
            is_adult: flag("isAdult", f[4])?.unwrap_or(false),
            start_year: year("startYear", f[5])?,
            end_year: year("endYear", f[6])?,
            runtime_minutes: number("runtimeMinutes", f[7])?,
            genres: list(f[8]),
        })
    }
}

impl ImdbRow for TitleAka {
    const FILE: ImdbFile = ImdbFile::TitleAkas;
    fn parse(f: &[&str]) -> Result<Self, String> {
        Ok(TitleAka {
            title_id: id("titleId", f[0], "tt")?,
            ordering: number("ordering", f[1])?.ok_or("ordering is empty")?,
            title: required("title", f[2])?,
            region: optional(f[3]),
            language: optional(f[4]),
            // IMDb joins several with an invisible separator (0x02) in these two columns.
            types: split_array(f[5]),
            attributes: split_array(f[6]),
            is_original: flag("isOriginalTitle", f[7])?,
        })
    }
}

/// `types` and `attributes` of `title.akas` join their values with 0x02 (the files' notes say
/// "array"); a comma inside a value is part of it.
fn split_array(field: &str) -> Vec<String> {
    if field == NULL || field.is_empty() {
        return Vec::new();
    }
    field.split('\u{2}').map(str::to_string).collect()
}

impl ImdbRow for TitleRating {
    const FILE: ImdbFile = ImdbFile::TitleRatings;
    fn parse(f: &[&str]) -> Result<Self, String> {
        let average: f32 = f[1]
            .parse()
            .ok()
            .filter(|a: &f32| (1.0..=10.0).contains(a))
            .ok_or_else(|| format!("averageRating {:?} is not a rating from 1 to 10", f[1]))?;
        Ok(TitleRating {
            tconst: id("tconst", f[0], "tt")?,
            average,
            votes: number("numVotes", f[2])?.ok_or("numVotes is empty")?,
        })
    }
}

impl ImdbRow for TitleCrew {
    const FILE: ImdbFile = ImdbFile::TitleCrew;
    fn parse(f: &[&str]) -> Result<Self, String> {
        Ok(TitleCrew {
            tconst: id("tconst", f[0], "tt")?,
            directors: ids("directors", f[1], "nm")?,
            writers: ids("writers", f[2], "nm")?,
        })
    }
}

impl ImdbRow for TitlePrincipal {
    const FILE: ImdbFile = ImdbFile::TitlePrincipals;
    fn parse(f: &[&str]) -> Result<Self, String> {
        let characters = match f[5] {
            NULL | "" => Vec::new(),
            json => serde_json::from_str::<Vec<String>>(json)
                .map_err(|e| format!("characters {json:?} is not a JSON list of names: {e}"))?,
        };
        Ok(TitlePrincipal {
            tconst: id("tconst", f[0], "tt")?,
            ordering: number("ordering", f[1])?.ok_or("ordering is empty")?,
            nconst: id("nconst", f[2], "nm")?,
            category: required("category", f[3])?,
            job: optional(f[4]),
            characters,
        })
    }
}

/// What reading one file did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileRead {
    /// Rows read, good or not (the header not counted).
    pub rows: u64,
    /// Rows handed on.
    pub accepted: u64,
    pub rejected: Vec<Rejection>,
}

/// Reads `path` (plain or `.gz`), handing each good row to `visit` and keeping the bad ones
/// with their lines. An error from `visit` stops the read and is returned.
///
/// [`import`] writes the rows into the store.
pub fn read<T: ImdbRow>(
    path: &Path,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(T) -> Result<()>,
) -> Result<FileRead> {
    read_numbered(path, progress, &mut |_, row| visit(row))
}

/// [`read`], handing `visit` each row's line number (1 is the header) with the row.
pub fn read_numbered<T: ImdbRow>(
    path: &Path,
    progress: &mut dyn Progress,
    visit: &mut dyn FnMut(u64, T) -> Result<()>,
) -> Result<FileRead> {
    let mut read = FileRead::default();
    read_into(path, progress, &mut read, visit)?;
    Ok(read)
}

/// [`read_numbered`], counting into `read`, so that what was read before an error (a `.gz`
/// damaged half-way) is still known.
pub fn read_into<T: ImdbRow>(
    path: &Path,
    progress: &mut dyn Progress,
    read: &mut FileRead,
    visit: &mut dyn FnMut(u64, T) -> Result<()>,
) -> Result<()> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map(|m| m.len()).ok();
    progress.start(size);
    let counted = CountingReader {
        inner: file,
        read: 0,
    };
    let gz = path.extension().is_some_and(|e| e == "gz");
    let result = if gz {
        let mut decoded = BufReader::with_capacity(1 << 16, MultiGzDecoder::new(counted));
        read_lines(&mut decoded, path, progress, read, visit)
    } else {
        let mut plain = BufReader::with_capacity(1 << 16, counted);
        read_lines(&mut plain, path, progress, read, visit)
    };
    progress.finish();
    result
}

/// Counts the bytes taken from the file (compressed ones for a `.gz`), for the progress bar.
struct CountingReader {
    inner: File,
    read: u64,
}

impl Read for CountingReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        Ok(n)
    }
}

trait BytesRead {
    fn bytes_read(&self) -> u64;
}

impl BytesRead for BufReader<CountingReader> {
    fn bytes_read(&self) -> u64 {
        self.get_ref().read
    }
}

impl BytesRead for BufReader<MultiGzDecoder<CountingReader>> {
    fn bytes_read(&self) -> u64 {
        self.get_ref().get_ref().read
    }
}

fn read_lines<T: ImdbRow>(
    input: &mut (impl BufRead + BytesRead),
    path: &Path,
    progress: &mut dyn Progress,
    read: &mut FileRead,
    visit: &mut dyn FnMut(u64, T) -> Result<()>,
) -> Result<()> {
    let dataset = path.display().to_string();
    let header = T::FILE.header();
    let mut line = Vec::with_capacity(1024);
    let mut number: u64 = 0;
    let next = |input: &mut dyn BufRead, line: &mut Vec<u8>, number: u64| {
        line.clear();
        input.read_until(b'\n', line).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: std::io::Error::new(
                e.kind(),
                format!("after line {number}: {e} (a damaged or cut-short file?)"),
            ),
        })
    };

    // The header, exactly.
    if next(input, &mut line, number)? == 0 {
        return Err(Error::WrongFormat {
            dataset,
            message: format!(
                "the file is empty; expected the header {}",
                header.join("\t")
            ),
        });
    }
    number += 1;
    let text = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&line);
    let text = text.strip_suffix(b"\n").unwrap_or(text);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    if text != header.join("\t").as_bytes() {
        return Err(Error::WrongFormat {
            dataset,
            message: format!(
                "line 1 is {:?}, not the header of {} ({})",
                String::from_utf8_lossy(text),
                T::FILE.file_name(),
                header.join("\t")
            ),
        });
    }

    loop {
        if next(input, &mut line, number)? == 0 {
            break;
        }
        number += 1;
        read.rows += 1;
        if number.is_multiple_of(65_536) {
            progress.advance(input.bytes_read());
            progress.rows(read.rows);
        }
        let complete = line.last() == Some(&b'\n');
        let bytes = line.strip_suffix(b"\n").unwrap_or(&line);
        let bytes = bytes.strip_suffix(b"\r").unwrap_or(bytes);
        let reject = |message: String| Rejection {
            line: number,
            message: format!("{}:{number}: {message}", T::FILE.file_name()),
        };
        let Ok(text) = std::str::from_utf8(bytes) else {
            read.rejected
                .push(reject("the line is not UTF-8 text".into()));
            continue;
        };
        // On the stack: no allocation per row for its fields.
        let mut fields = [""; MAX_FIELDS];
        let mut count = 0;
        for field in text.split('\t') {
            if let Some(slot) = fields.get_mut(count) {
                *slot = field;
            }
            count += 1;
        }
        if count != header.len() {
            let message = if complete {
                format!("the row has {count} fields, the header {}", header.len())
            } else {
                format!(
                    "the last line is cut short ({count} of {} fields)",
                    header.len()
                )
            };
            read.rejected.push(reject(message));
            continue;
        }
        match T::parse(&fields[..count]) {
            Ok(row) => {
                read.accepted += 1;
                visit(number, row)?;
            }
            Err(message) => read.rejected.push(reject(message)),
        }
    }
    progress.advance(input.bytes_read());
    progress.rows(read.rows);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_years_and_nulls() {
        assert!(id("tconst", "tt0000001", "tt").is_ok());
        assert!(id("tconst", "tt123", "tt").is_err());
        assert!(id("tconst", "nm0000001", "tt").is_err());
        assert_eq!(year("startYear", "\\N"), Ok(None));
        assert_eq!(year("startYear", "2024"), Ok(Some(2024)));
        assert!(year("startYear", "24").is_err());
        assert_eq!(list("\\N"), Vec::<String>::new());
        assert_eq!(list("Drama,Comedy"), ["Drama", "Comedy"]);
        assert_eq!(
            split_array("imdbDisplay\u{2}working"),
            ["imdbDisplay", "working"]
        );
    }

    #[test]
    fn a_bare_quote_is_part_of_a_title() {
        let row = TitleBasics::parse(&[
            "tt0000009",
            "movie",
            "\"Swing it\" magistern",
            "\"Swing it\" magistern",
            "0",
            "1940",
            "\\N",
            "92",
            "Comedy,Music",
        ])
        .unwrap();
        assert_eq!(row.primary_title, "\"Swing it\" magistern");
        assert_eq!(row.runtime_minutes, Some(92));
        assert_eq!(row.end_year, None);
    }

    #[test]
    fn characters_are_json() {
        let row = TitlePrincipal::parse(&[
            "tt28607951",
            "1",
            "nm5700898",
            "actress",
            "\\N",
            "[\"Anora \\\"Ani\\\" Mikheeva\"]",
        ])
        .unwrap();
        assert_eq!(row.characters, ["Anora \"Ani\" Mikheeva"]);
        let bad =
            TitlePrincipal::parse(&["tt28607951", "1", "nm5700898", "actress", "\\N", "[Ani"]);
        assert!(bad.unwrap_err().contains("not a JSON list"));
    }
}
