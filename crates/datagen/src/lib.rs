//! Test and benchmark data for Kinograph: IMDb-shaped TSV files at any scale.
//!
//! [`write_imdb`] writes the six files of IMDb's non-commercial data set (`title.basics`,
//! `title.akas`, `title.crew`, `title.principals`, `title.ratings`, `name.basics`) with their
//! exact headers and the real files' quirks: `\N` for null, comma-joined lists (but
//! `title.akas`' `types` and `attributes` joined by the control character 0x02, as IMDb does),
//! `characters` as a JSON array (with escaped quotes now and then), titles with bare double quotes
//! (`"Swing it" magistern`), apostrophes, brackets and backslashes, accents, CJK, Hangul,
//! Cyrillic and Greek, a very long title now and then, an empty `primaryProfession`, the real
//! mix of title types (mostly TV episodes), and votes spread as unevenly as IMDb's (a few
//! titles with millions, a long tail with a handful).
//!
//! Every row is derived from (seed, its index) alone, so the files are the same bytes for the
//! same [`ImdbSpec`], memory does not grow with the number of titles, and the files agree with
//! each other: every `nconst` of `title.principals`, `title.crew` and `name.basics`'
//! `knownForTitles` is a person of `name.basics`, every `tconst` of the other files a title of
//! `title.basics`, a title's crew holds the directors and writers among its principals, and a
//! person is credited in the profession `name.basics` gives first (the lowest `nm` numbers of
//! each profession the busiest, as IMDb's first ids are its stars).
//!
//! The sizes follow IMDb's proportions, as constants: [`PEOPLE_PER_TEN_TITLES`],
//! [`MEAN_PRINCIPALS_PER_TITLE`], [`MEAN_AKAS_PER_TITLE`]; ratings exist for some titles only,
//! more often for films and series than for episodes.

mod imdb;
mod rng;
mod text;

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use flate2::Compression;
use flate2::read::GzDecoder;
use flate2::write::GzEncoder;

use imdb::{Aka, Credits, Person, Title};
use text::{push_number, push_padded};

/// People in `name.basics` per ten titles (IMDb: about 14 million people, 11 million titles).
pub const PEOPLE_PER_TEN_TITLES: u64 = 13;
/// Rows of `title.principals` per title, on average (each title has 1 to 15).
pub const MEAN_PRINCIPALS_PER_TITLE: u64 = 8;
/// Rows of `title.akas` per title, on average: its original title and 0 to 4 others.
pub const MEAN_AKAS_PER_TITLE: u64 = 3;
/// The seed when none is given.
pub const DEFAULT_SEED: u64 = 1895;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImdbSpec {
    /// Rows of `title.basics`; the other files' sizes follow from it.
    pub titles: u64,
    /// The same seed gives the same bytes.
    pub seed: u64,
    /// Write `.tsv.gz` files (gzip) rather than `.tsv`.
    pub gzip: bool,
}

impl ImdbSpec {
    /// `titles` titles, plain TSV, the default seed.
    pub fn new(titles: u64) -> Self {
        ImdbSpec {
            titles,
            seed: DEFAULT_SEED,
            gzip: false,
        }
    }

    /// Rows of `name.basics`: [`PEOPLE_PER_TEN_TITLES`] per ten titles, rounded up.
    pub fn people(&self) -> u64 {
        self.titles
            .saturating_mul(PEOPLE_PER_TEN_TITLES)
            .div_ceil(10)
    }
}

/// One of the six files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImdbFile {
    TitleBasics,
    TitleAkas,
    TitleCrew,
    TitlePrincipals,
    TitleRatings,
    NameBasics,
}

impl ImdbFile {
    /// All six, in the order they are listed.
    pub const ALL: [ImdbFile; 6] = [
        ImdbFile::TitleBasics,
        ImdbFile::TitleAkas,
        ImdbFile::TitleCrew,
        ImdbFile::TitlePrincipals,
        ImdbFile::TitleRatings,
        ImdbFile::NameBasics,
    ];

    /// Its name without extension: `title.basics`.
    pub fn stem(self) -> &'static str {
        match self {
            ImdbFile::TitleBasics => "title.basics",
            ImdbFile::TitleAkas => "title.akas",
            ImdbFile::TitleCrew => "title.crew",
            ImdbFile::TitlePrincipals => "title.principals",
            ImdbFile::TitleRatings => "title.ratings",
            ImdbFile::NameBasics => "name.basics",
        }
    }

    /// Its file name: `title.basics.tsv`, or `title.basics.tsv.gz` when gzipped.
    pub fn file_name(self, gzip: bool) -> String {
        let extension = if gzip { "tsv.gz" } else { "tsv" };
        format!("{}.{extension}", self.stem())
    }

    /// Its header's column names, as IMDb writes them.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
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
            ImdbFile::TitleCrew => &["tconst", "directors", "writers"],
            ImdbFile::TitlePrincipals => &[
                "tconst",
                "ordering",
                "nconst",
                "category",
                "job",
                "characters",
            ],
            ImdbFile::TitleRatings => &["tconst", "averageRating", "numVotes"],
            ImdbFile::NameBasics => &[
                "nconst",
                "primaryName",
                "birthYear",
                "deathYear",
                "primaryProfession",
                "knownForTitles",
            ],
        }
    }
}

/// A file [`write_imdb`] wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenFile {
    pub file: ImdbFile,
    pub path: PathBuf,
    /// Rows after the header.
    pub rows: u64,
    /// Its size on disk (compressed, when gzipped).
    pub bytes: u64,
}

/// What [`write_imdb`] wrote: the six files, in [`ImdbFile::ALL`]'s order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImdbSummary {
    pub files: Vec<WrittenFile>,
}

impl ImdbSummary {
    /// Rows (after the header) of `file`.
    pub fn rows(&self, file: ImdbFile) -> u64 {
        self.files
            .iter()
            .find(|written| written.file == file)
            .map_or(0, |written| written.rows)
    }

    /// Rows of all six files.
    pub fn total_rows(&self) -> u64 {
        self.files.iter().map(|written| written.rows).sum()
    }
}

/// How often (in rows) a file's writer reports its progress.
const PROGRESS_EVERY: u64 = 100_000;
/// Rows are gathered in a buffer of about this many bytes before being written.
const CHUNK_BYTES: usize = 1 << 16;

/// Writes the six files into `out_dir` (made if missing), one thread per file, calling
/// `progress(file name, rows written so far)` now and then and once at each file's end.
///
/// Errors name the folder or file that could not be written.
pub fn write_imdb(
    spec: &ImdbSpec,
    out_dir: &Path,
    progress: &mut dyn FnMut(&str, u64),
) -> io::Result<ImdbSummary> {
    std::fs::create_dir_all(out_dir).map_err(|e| with_path(e, out_dir))?;
    let names = ImdbFile::ALL.map(|file| file.file_name(spec.gzip));
    let (sender, receiver) = mpsc::channel::<(usize, u64)>();
    let results = std::thread::scope(|scope| {
        let handles = ImdbFile::ALL.map(|file| {
            let sender = sender.clone();
            let path = out_dir.join(file.file_name(spec.gzip));
            scope.spawn(move || {
                let position = ImdbFile::ALL.iter().position(|f| *f == file).unwrap_or(0);
                let rows = write_file(spec, file, &path, &mut |rows| {
                    // The receiver lives until every writer is done.
                    let _ = sender.send((position, rows));
                })
                .map_err(|e| with_path(e, &path))?;
                let bytes = std::fs::metadata(&path)
                    .map_err(|e| with_path(e, &path))?
                    .len();
                Ok(WrittenFile {
                    file,
                    path,
                    rows,
                    bytes,
                })
            })
        });
        drop(sender);
        for (position, rows) in receiver {
            progress(&names[position], rows);
        }
        handles.map(|handle| {
            handle
                .join()
                .unwrap_or_else(|_| Err(io::Error::other("a file's writer failed")))
        })
    });
    let files = results.into_iter().collect::<io::Result<Vec<_>>>()?;
    Ok(ImdbSummary { files })
}

fn with_path(error: io::Error, path: &Path) -> io::Error {
    io::Error::new(error.kind(), format!("{}: {error}", path.display()))
}

fn write_file(
    spec: &ImdbSpec,
    file: ImdbFile,
    path: &Path,
    progress: &mut dyn FnMut(u64),
) -> io::Result<u64> {
    let out = BufWriter::with_capacity(1 << 20, File::create(path)?);
    if spec.gzip {
        // The fastest level still shrinks the files about threefold, as IMDb's own gzip does,
        // and keeps gzip from being most of the time spent.
        let mut gzip = GzEncoder::new(out, Compression::fast());
        let rows = write_table(spec, file, &mut gzip, progress)?;
        gzip.finish()?.flush()?;
        Ok(rows)
    } else {
        let mut out = out;
        let rows = write_table(spec, file, &mut out, progress)?;
        out.flush()?;
        Ok(rows)
    }
}

/// Writes one file's header and rows (uncompressed, whatever `spec.gzip` says) to `out`,
/// calling `progress(rows so far)` now and then and at the end; returns its rows.
pub fn write_table(
    spec: &ImdbSpec,
    file: ImdbFile,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> io::Result<u64> {
    let mut table = Table {
        out,
        line: String::with_capacity(CHUNK_BYTES + 4096),
        rows: 0,
        progress,
    };
    table.line.push_str(&file.columns().join("\t"));
    table.line.push('\n');
    match file {
        ImdbFile::TitleBasics => basics(spec, &mut table)?,
        ImdbFile::TitleAkas => akas(spec, &mut table)?,
        ImdbFile::TitleCrew => crew(spec, &mut table)?,
        ImdbFile::TitlePrincipals => principals(spec, &mut table)?,
        ImdbFile::TitleRatings => ratings(spec, &mut table)?,
        ImdbFile::NameBasics => names(spec, &mut table)?,
    }
    table.flush()?;
    (table.progress)(table.rows);
    Ok(table.rows)
}

/// A file being written: rows are built in `line`, written a chunk at a time.
struct Table<'a> {
    out: &'a mut dyn Write,
    line: String,
    rows: u64,
    progress: &'a mut dyn FnMut(u64),
}

impl Table<'_> {
    /// Ends the row being built.
    fn end_row(&mut self) -> io::Result<()> {
        self.line.push('\n');
        self.rows += 1;
        if self.rows.is_multiple_of(PROGRESS_EVERY) {
            (self.progress)(self.rows);
        }
        if self.line.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.write_all(self.line.as_bytes())?;
        self.line.clear();
        Ok(())
    }

    fn tab(&mut self) {
        self.line.push('\t');
    }

    fn text(&mut self, text: &str) {
        self.line.push_str(text);
    }

    fn number(&mut self, n: Option<u64>) {
        match n {
            Some(n) => push_number(&mut self.line, n),
            None => self.null(),
        }
    }

    fn null(&mut self) {
        self.line.push_str("\\N");
    }

    fn tconst(&mut self, index: u64) {
        self.line.push_str("tt");
        push_padded(&mut self.line, index + 1, 7);
    }

    fn nconst(&mut self, index: u64) {
        self.line.push_str("nm");
        push_padded(&mut self.line, index + 1, 7);
    }

    /// `title.akas`' arrays: values joined by 0x02, `\N` when there are none.
    fn array(&mut self, values: [Option<&str>; 2]) {
        match values {
            [None, _] => self.null(),
            [Some(first), None] => self.text(first),
            [Some(first), Some(second)] => {
                self.text(first);
                self.line.push('\u{2}');
                self.text(second);
            }
        }
    }

    /// A comma-joined list, `\N` when empty.
    fn ids(&mut self, ids: &[u64], id: fn(&mut Self, u64)) {
        if ids.is_empty() {
            self.null();
        }
        for (i, index) in ids.iter().enumerate() {
            if i > 0 {
                self.line.push(',');
            }
            id(self, *index);
        }
    }
}

fn basics(spec: &ImdbSpec, table: &mut Table) -> io::Result<()> {
    let mut title = Title::default();
    for index in 0..spec.titles {
        title.derive(spec.seed, index);
        table.tconst(index);
        table.tab();
        table.text(title.kind.name);
        table.tab();
        table.text(&title.primary);
        table.tab();
        table.text(title.original());
        table.tab();
        table.text(if title.adult { "1" } else { "0" });
        table.tab();
        table.number(title.start_year);
        table.tab();
        table.number(title.end_year);
        table.tab();
        table.number(title.runtime);
        table.tab();
        if title.genres.is_empty() {
            table.null();
        }
        for (i, genre) in title.genres.iter().enumerate() {
            if i > 0 {
                table.text(",");
            }
            table.text(genre);
        }
        table.end_row()?;
    }
    Ok(())
}

fn akas(spec: &ImdbSpec, table: &mut Table) -> io::Result<()> {
    let mut title = Title::default();
    let mut aka = Aka::default();
    for index in 0..spec.titles {
        title.derive(spec.seed, index);
        table.tconst(index);
        table.text("\t1\t");
        table.text(title.original());
        table.text("\t\\N\t\\N\toriginal\t\\N\t1");
        table.end_row()?;
        let (extra, mut rng) = imdb::akas_of(spec.seed, index);
        for ordering in 2..2 + extra {
            aka.derive(&mut rng, &title);
            table.tconst(index);
            table.tab();
            table.number(Some(ordering));
            table.tab();
            table.text(&aka.title);
            table.tab();
            table.text(aka.region);
            for values in [[aka.language, None], aka.types, aka.attributes] {
                table.tab();
                table.array(values);
            }
            table.text(if aka.original_flag_known {
                "\t0"
            } else {
                "\t\\N"
            });
            table.end_row()?;
        }
    }
    Ok(())
}

fn crew(spec: &ImdbSpec, table: &mut Table) -> io::Result<()> {
    let mut credits = Credits::default();
    let people = spec.people();
    for index in 0..spec.titles {
        credits.derive(spec.seed, index, imdb::title_kind(spec.seed, index), people);
        table.tconst(index);
        table.tab();
        table.ids(&credits.directors, Table::nconst);
        table.tab();
        table.ids(&credits.writers, Table::nconst);
        table.end_row()?;
    }
    Ok(())
}

fn principals(spec: &ImdbSpec, table: &mut Table) -> io::Result<()> {
    let mut credits = Credits::default();
    let people = spec.people();
    for index in 0..spec.titles {
        credits.derive(spec.seed, index, imdb::title_kind(spec.seed, index), people);
        for (ordering, principal) in (1..).zip(&credits.principals) {
            table.tconst(index);
            table.tab();
            table.number(Some(ordering));
            table.tab();
            table.nconst(principal.person);
            table.tab();
            table.text(principal.category.name());
            table.tab();
            match principal.job {
                Some(job) => table.text(job),
                None => table.null(),
            }
            table.tab();
            match credits.characters(principal) {
                Some(characters) => table.text(characters),
                None => table.null(),
            }
            table.end_row()?;
        }
    }
    Ok(())
}

fn ratings(spec: &ImdbSpec, table: &mut Table) -> io::Result<()> {
    for index in 0..spec.titles {
        let Some((tenths, votes)) = imdb::rating_of(spec.seed, index) else {
            continue;
        };
        table.tconst(index);
        table.tab();
        table.number(Some(tenths / 10));
        table.text(".");
        table.number(Some(tenths % 10));
        table.tab();
        table.number(Some(votes));
        table.end_row()?;
    }
    Ok(())
}

fn names(spec: &ImdbSpec, table: &mut Table) -> io::Result<()> {
    let mut person = Person::default();
    for index in 0..spec.people() {
        person.derive(spec.seed, index, spec.titles);
        table.nconst(index);
        table.tab();
        table.text(&person.name);
        table.tab();
        table.number(person.birth_year);
        table.tab();
        table.number(person.death_year);
        table.tab();
        table.text(&person.professions);
        table.tab();
        table.ids(&person.known_for, Table::tconst);
        table.end_row()?;
    }
    Ok(())
}

/// Rows after the header of a TSV file, plain or gzipped (by its `.gz` extension).
pub fn count_rows(path: &Path) -> io::Result<u64> {
    let file = File::open(path).map_err(|e| with_path(e, path))?;
    let reader: Box<dyn Read> = if path.extension().is_some_and(|e| e == "gz") {
        Box::new(GzDecoder::new(file))
    } else {
        Box::new(file)
    };
    let mut lines = 0u64;
    let mut reader = BufReader::with_capacity(1 << 20, reader);
    loop {
        let buffer = reader.fill_buf().map_err(|e| with_path(e, path))?;
        if buffer.is_empty() {
            break;
        }
        lines += buffer.iter().filter(|b| **b == b'\n').count() as u64;
        let consumed = buffer.len();
        reader.consume(consumed);
    }
    Ok(lines.saturating_sub(1))
}

#[cfg(test)]
mod tests;
