//! Writing IMDb's files into the store: each file present, in [`ImdbFile::ALL`]'s order (people,
//! titles, then what refers to them), [`BATCH_ROWS`] rows per transaction, through
//! `CatalogWrite` only. Every write is an idempotent upsert that merges by IMDb id, so a second
//! import of the same files changes nothing and a newer dump updates what changed.
//!
//! A row naming a title or a person that neither the files nor the catalog hold is a
//! [`Rejection`] with its file and line. A file that cannot be read at all (an empty file, a
//! wrong header) or stops being readable (a damaged `.gz`) is reported as that file's error:
//! what was read before it is written, and the other files are still imported.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::{Duration, Instant};

use kinograph_catalog::{
    CreditRecord, EntityKind, FilmRecord, Outcome, PersonRecord, Provenance, RoleCategory,
};
use kinograph_store::{CatalogWrite, Store};

use super::{
    FileRead, ImdbFile, ImdbRow, NameBasics, TitleAka, TitleBasics, TitleCrew, TitlePrincipal,
    TitleRating, find_files, read_into,
};
use crate::{Error, Progress, Rejection, Result, Summary, Tally};

/// The data set IMDb's facts are credited to; the locator is `file:line`.
pub const DATASET: &str = "imdb";

/// Rows written per transaction.
pub const BATCH_ROWS: usize = 20_000;

/// Rejections kept per file with their messages; beyond it they are only counted.
const REJECTIONS_KEPT: usize = 1_000;

/// What importing one file did.
#[derive(Debug, Clone)]
pub struct FileReport {
    pub file: ImdbFile,
    pub path: PathBuf,
    /// Rows read, good or not (the header not counted).
    pub rows: u64,
    /// Writes by kind ("people", "films", "aliases", "ratings", "credits") and the first
    /// [`REJECTIONS_KEPT`] rejected rows, in line order, each message starting `file:line:`.
    pub summary: Summary,
    /// Every rejected row, kept or not.
    pub rejected_count: u64,
    /// Why the file could not be read to its end (or at all), with where.
    pub error: Option<String>,
    pub elapsed: Duration,
}

impl FileReport {
    /// Rows read per second.
    pub fn rows_per_second(&self) -> f64 {
        let seconds = self.elapsed.as_secs_f64();
        if seconds > 0.0 {
            self.rows as f64 / seconds
        } else {
            0.0
        }
    }
}

/// What an IMDb import did, file by file.
#[derive(Debug, Clone, Default)]
pub struct ImdbReport {
    pub files: Vec<FileReport>,
}

impl ImdbReport {
    /// The writes of one kind over every file.
    pub fn tally(&self, kind: &str) -> Tally {
        let mut total = Tally::default();
        for file in &self.files {
            let t = file.summary.tally(kind);
            total.new += t.new;
            total.updated += t.updated;
            total.unchanged += t.unchanged;
        }
        total
    }

    pub fn rejected_count(&self) -> u64 {
        self.files.iter().map(|f| f.rejected_count).sum()
    }

    /// The kept rejections of every file.
    pub fn rejected(&self) -> impl Iterator<Item = &Rejection> {
        self.files.iter().flat_map(|f| f.summary.rejected.iter())
    }

    /// The files that could not be read to their end, with why.
    pub fn errors(&self) -> impl Iterator<Item = (&Path, &str)> {
        self.files
            .iter()
            .filter_map(|f| f.error.as_deref().map(|e| (f.path.as_path(), e)))
    }

    pub fn file(&self, file: ImdbFile) -> Option<&FileReport> {
        self.files.iter().find(|f| f.file == file)
    }
}

/// Imports the IMDb files found in `dir` (any subset of the six, plain or `.gz`), asking
/// `progress` for a progress display per file. Only a store failure is an error: a file that
/// cannot be read is reported in its [`FileReport`] and the others go on.
pub fn import(
    store: &mut Store,
    dir: &Path,
    progress: &mut dyn FnMut(ImdbFile) -> Box<dyn Progress>,
) -> Result<ImdbReport> {
    let files = find_files(dir)?;
    let bulk = is_bulk(store, &files)?;
    if bulk {
        // Large files next to the catalog: the secondary indexes are built once at the end.
        store.with_deferred_indexes(|store| import_files(store, files, bulk, progress))
    } else {
        import_files(store, files, bulk, progress)
    }
}

fn import_files(
    store: &mut Store,
    files: Vec<(ImdbFile, PathBuf)>,
    bulk: bool,
    progress: &mut dyn FnMut(ImdbFile) -> Box<dyn Progress>,
) -> Result<ImdbReport> {
    let mut report = ImdbReport::default();
    for (file, path) in files {
        let mut bar = progress(file);
        let bar = bar.as_mut();
        let done = match file {
            ImdbFile::NameBasics => import_file::<NameBasics>(store, &path, bulk, bar)?,
            ImdbFile::TitleBasics => import_file::<TitleBasics>(store, &path, bulk, bar)?,
            ImdbFile::TitleAkas => import_file::<TitleAka>(store, &path, bulk, bar)?,
            ImdbFile::TitleRatings => import_file::<TitleRating>(store, &path, bulk, bar)?,
            ImdbFile::TitleCrew => import_file::<TitleCrew>(store, &path, bulk, bar)?,
            ImdbFile::TitlePrincipals => import_file::<TitlePrincipal>(store, &path, bulk, bar)?,
        };
        report.files.push(done);
    }
    Ok(report)
}

/// Whether the files are large next to the catalog: then the search index is rebuilt from the
/// store once at the end (in bulk, fast) instead of following each change. The rows are
/// estimated from the files' sizes (IMDb rows average 50 to 100 bytes; gzip shrinks them about
/// four times), which only has to be right within a factor of a few.
fn is_bulk(store: &Store, files: &[(ImdbFile, PathBuf)]) -> Result<bool> {
    const BYTES_PER_ROW: u64 = 80;
    let mut rows = 0;
    for (_, path) in files {
        let bytes = path.metadata().map(|m| m.len()).unwrap_or(0);
        let gzipped = path.extension().is_some_and(|e| e == "gz");
        rows += bytes * if gzipped { 4 } else { 1 } / BYTES_PER_ROW;
    }
    let counts = kinograph_store::CatalogRead::counts(store)?;
    Ok(rows >= (counts.films + counts.people) / 2)
}

/// The rejections of one file: the first ones kept, all counted.
#[derive(Debug, Default)]
struct Rejections {
    kept: Vec<Rejection>,
    count: u64,
}

impl Rejections {
    fn push(&mut self, file: ImdbFile, line: u64, message: impl std::fmt::Display) {
        self.count += 1;
        if self.kept.len() < REJECTIONS_KEPT {
            self.kept.push(Rejection {
                line,
                message: format!("{}:{line}: {message}", file.file_name()),
            });
        }
    }
}

/// A row type that can be written to the store.
trait Load: ImdbRow {
    /// Rows with the same group are written in the same batch (a title's principals, so that
    /// two rows of one credit merge before they are written).
    fn group(&self) -> Option<&str> {
        None
    }

    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        rejected: &mut Rejections,
    ) -> kinograph_store::Result<()>;
}

/// Reads and parses on this thread while another writes the batches read so far: decompressing
/// and parsing a batch costs about as much as writing one, and the machine has two cores.
fn import_file<T: Load + Send>(
    store: &mut Store,
    path: &Path,
    bulk: bool,
    progress: &mut dyn Progress,
) -> Result<FileReport> {
    let started = Instant::now();
    let dataset = path.display().to_string();
    // Two batches read ahead at most: memory stays a few batches whatever the file's size.
    let (to_writer, batches) = std::sync::mpsc::sync_channel::<Vec<(u64, T)>>(2);
    let mut read = FileRead::default();
    let (outcome, written) = std::thread::scope(|scope| {
        let writer = scope.spawn(move || {
            let mut summary = Summary::new(dataset);
            let mut rejected = Rejections::default();
            for mut batch in batches {
                write_batch(store, &mut batch, bulk, &mut summary, &mut rejected)?;
            }
            Ok::<_, Error>((summary, rejected))
        });
        let mut batch: Vec<(u64, T)> = Vec::with_capacity(BATCH_ROWS);
        // The writer stops early only on a store error, which its result reports first.
        let send = |batch: &mut Vec<(u64, T)>| {
            let full = std::mem::replace(batch, Vec::with_capacity(BATCH_ROWS));
            to_writer.send(full).map_err(|_| Error::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::BrokenPipe,
                    "the catalog writer stopped",
                ),
            })
        };
        let mut outcome = read_into::<T>(path, progress, &mut read, &mut |line, row| {
            if batch.len() >= BATCH_ROWS {
                let same_group = row.group().is_some()
                    && batch.last().and_then(|(_, last)| last.group()) == row.group();
                if !same_group {
                    send(&mut batch)?;
                }
            }
            batch.push((line, row));
            Ok(())
        });
        // What was read before a damaged part is good: it is written too.
        if !batch.is_empty()
            && let Err(stopped) = send(&mut batch)
            && outcome.is_ok()
        {
            outcome = Err(stopped);
        }
        drop(to_writer);
        let written = writer
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (outcome, written)
    });
    // A store failure stops the import; a file that could not be read to its end is reported
    // with what was read before the damage written.
    let (mut summary, mut rejected) = written?;
    let error = outcome.err().map(|e| error_message(&e));
    let file = T::FILE;
    rejected.count += read.rejected.len() as u64;
    let mut kept = read.rejected;
    kept.truncate(REJECTIONS_KEPT);
    kept.append(&mut rejected.kept);
    kept.sort_by_key(|r| r.line);
    kept.truncate(REJECTIONS_KEPT);
    summary.rejected = kept;
    Ok(FileReport {
        file,
        path: path.to_path_buf(),
        rows: read.rows,
        summary,
        rejected_count: rejected.count,
        error,
        elapsed: started.elapsed(),
    })
}

/// An error with its causes (an I/O error's own message says where a `.gz` broke off).
fn error_message(error: &Error) -> String {
    let mut message = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

fn write_batch<T: Load>(
    store: &mut Store,
    batch: &mut Vec<(u64, T)>,
    bulk: bool,
    summary: &mut Summary,
    rejected: &mut Rejections,
) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    store.write(|w| {
        if bulk {
            w.log_rebuild()?;
        }
        T::write(batch, w, summary, rejected)
    })?;
    batch.clear();
    Ok(())
}

fn source(file: ImdbFile, line: u64) -> Provenance {
    Provenance {
        dataset: DATASET.to_string(),
        locator: Some(format!("{}:{line}", file.file_name())),
        citation: None,
    }
}

/// What a write gave; or, when it names a title or person the files and the catalog lack,
/// a rejection and `None`. Any other store error stops the import.
fn known<T>(
    result: kinograph_store::Result<T>,
    file: ImdbFile,
    line: u64,
    rejected: &mut Rejections,
) -> kinograph_store::Result<Option<T>> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(kinograph_store::Error::UnknownEntity { kind, id }) => {
            let (column, home) = if kind == EntityKind::Film.as_str() {
                ("tconst", ImdbFile::TitleBasics)
            } else {
                ("nconst", ImdbFile::NameBasics)
            };
            rejected.push(
                file,
                line,
                format!(
                    "{column} {id} is not in {} (nor in the catalog)",
                    home.file_name()
                ),
            );
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

/// Records each row's outcome of a batch write under `kind`, or its rejection.
fn record_each(
    file: ImdbFile,
    kind: &'static str,
    lines: impl IntoIterator<Item = u64>,
    outcomes: Vec<kinograph_store::Result<Outcome>>,
    summary: &mut Summary,
    rejected: &mut Rejections,
) -> kinograph_store::Result<()> {
    for (line, put) in lines.into_iter().zip(outcomes) {
        if let Some(outcome) = known(put, file, line, rejected)? {
            summary.record(kind, outcome);
        }
    }
    Ok(())
}

impl Load for NameBasics {
    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        _: &mut Rejections,
    ) -> kinograph_store::Result<()> {
        for (line, row) in batch {
            let person = PersonRecord {
                id: row.nconst.clone(),
                name: row.name.clone(),
                birth_year: row.birth_year,
                death_year: row.death_year,
                professions: row.professions.clone(),
                source: source(Self::FILE, *line),
            };
            summary.record("people", w.put_person(&person)?.outcome);
        }
        Ok(())
    }
}

impl Load for TitleBasics {
    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        _: &mut Rejections,
    ) -> kinograph_store::Result<()> {
        for (line, row) in batch {
            let film = FilmRecord {
                original_title: row
                    .original_title
                    .clone()
                    .filter(|original| *original != row.primary_title),
                year: row.start_year,
                runtime_minutes: row.runtime_minutes,
                genres: row.genres.clone(),
                title_type: Some(row.title_type.clone()),
                end_year: row.end_year,
                is_adult: Some(row.is_adult),
                ..FilmRecord::new(
                    row.tconst.clone(),
                    row.primary_title.clone(),
                    source(Self::FILE, *line),
                )
            };
            summary.record("films", w.put_film(&film)?.outcome);
        }
        Ok(())
    }
}

impl Load for TitleAka {
    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        rejected: &mut Rejections,
    ) -> kinograph_store::Result<()> {
        // The original title is in title.basics already.
        let rows: Vec<&(u64, Self)> = batch
            .iter()
            .filter(|(_, row)| row.is_original != Some(true))
            .collect();
        let aliases: Vec<(String, String, Provenance)> = rows
            .iter()
            .map(|(line, row)| {
                (
                    row.title_id.clone(),
                    row.title.clone(),
                    source(Self::FILE, *line),
                )
            })
            .collect();
        let outcomes = w.put_aliases(EntityKind::Film, &aliases)?;
        let lines = rows.into_iter().map(|(line, _)| *line);
        record_each(Self::FILE, "aliases", lines, outcomes, summary, rejected)
    }
}

impl Load for TitleRating {
    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        rejected: &mut Rejections,
    ) -> kinograph_store::Result<()> {
        for (line, row) in batch {
            let put = w.put_film_rating(
                &row.tconst,
                f64::from(row.average),
                row.votes,
                &source(Self::FILE, *line),
            );
            if let Some(outcome) = known(put, Self::FILE, *line, rejected)? {
                summary.record("ratings", outcome);
            }
        }
        Ok(())
    }
}

impl Load for TitleCrew {
    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        rejected: &mut Rejections,
    ) -> kinograph_store::Result<()> {
        let mut lines = Vec::new();
        let mut credits = Vec::new();
        for (line, row) in batch {
            let people = row
                .directors
                .iter()
                .map(|p| (p, RoleCategory::Director))
                .chain(row.writers.iter().map(|p| (p, RoleCategory::Writer)));
            for (person, category) in people {
                lines.push(*line);
                credits.push(CreditRecord {
                    film: row.tconst.clone(),
                    person: person.clone(),
                    category,
                    job: None,
                    characters: Vec::new(),
                    order: None,
                    source: source(Self::FILE, *line),
                });
            }
        }
        let outcomes = w.put_credits(&credits)?;
        // A row whose title is unknown is one rejection, not one per person.
        let mut film_missing_at = None;
        for (line, put) in lines.into_iter().zip(outcomes) {
            let film_missing = matches!(
                &put,
                Err(kinograph_store::Error::UnknownEntity { kind, .. })
                    if *kind == EntityKind::Film.as_str()
            );
            if film_missing && film_missing_at == Some(line) {
                continue;
            }
            if film_missing {
                film_missing_at = Some(line);
            }
            if let Some(outcome) = known(put, Self::FILE, line, rejected)? {
                summary.record("credits", outcome);
            }
        }
        Ok(())
    }
}

impl Load for TitlePrincipal {
    fn group(&self) -> Option<&str> {
        Some(&self.tconst)
    }

    fn write(
        batch: &[(u64, Self)],
        w: &mut dyn CatalogWrite,
        summary: &mut Summary,
        rejected: &mut Rejections,
    ) -> kinograph_store::Result<()> {
        // Two rows of one title can be one credit (the same person, category and job): they are
        // written as one, with both rows' characters and the first billing, so that the credit
        // does not flip between the two on every import.
        let mut credits: Vec<(u64, CreditRecord)> = Vec::with_capacity(batch.len());
        let mut seen: HashMap<(&str, &str, RoleCategory, Option<&str>), usize> = HashMap::new();
        for (line, row) in batch {
            let category = match RoleCategory::from_str(&row.category) {
                Ok(category) => category,
                Err(message) => {
                    rejected.push(Self::FILE, *line, message);
                    continue;
                }
            };
            let key = (
                row.tconst.as_str(),
                row.nconst.as_str(),
                category,
                row.job.as_deref(),
            );
            if let Some(&at) = seen.get(&key)
                && let Some((_, credit)) = credits.get_mut(at)
            {
                for character in &row.characters {
                    if !credit.characters.contains(character) {
                        credit.characters.push(character.clone());
                    }
                }
                credit.order = Some(credit.order.map_or(row.ordering, |o| o.min(row.ordering)));
                continue;
            }
            seen.insert(key, credits.len());
            credits.push((
                *line,
                CreditRecord {
                    film: row.tconst.clone(),
                    person: row.nconst.clone(),
                    category,
                    job: row.job.clone(),
                    characters: row.characters.clone(),
                    order: Some(row.ordering),
                    source: source(Self::FILE, *line),
                },
            ));
        }
        let (lines, credits): (Vec<u64>, Vec<CreditRecord>) = credits.into_iter().unzip();
        let outcomes = w.put_credits(&credits)?;
        record_each(Self::FILE, "credits", lines, outcomes, summary, rejected)?;
        Ok(())
    }
}
