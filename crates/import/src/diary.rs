//! Readers' diaries in and out of the store: a Letterboxd export matched to the catalog and
//! written as viewings, film states and lists ([`import_letterboxd`]); a diary written as
//! Letterboxd's import CSV ([`export_letterboxd`]); Kinograph's own user archive read back into
//! an account ([`import_archive`]); and the MovieLens ratings as one reader account per MovieLens
//! user ([`import_movielens`]).
//!
//! **Matching a Letterboxd row to a film.** Letterboxd names a film by title and year. A film
//! matches when its title or one of its alternative titles is the row's title once normalised
//! ([`kinograph_catalog::normalize::key`]) and its year is the row's year. Failing that, the
//! same title a year before or after matches (release years differ between sources by a
//! festival or a country), and the report lists each such row to be checked. When several films
//! match, the most nominated is taken, and the report says so. A row that matches nothing is
//! reported with its file and line and left out: never silently dropped.
//!
//! **Transactions.** Everything is read first (the matching, the user's current state of each
//! film); then a Letterboxd export or a user archive is written in one transaction, so a failed
//! import changes nothing. MovieLens is written in one transaction per MovieLens user.
//!
//! **Idempotence.** A viewing has a stable key (a Letterboxd diary entry's address, else one
//! made of the film, the dates and the rewatch flag; `ml:{movieId}` for MovieLens; an archive's
//! own keys), a key the user already has is not added again, and every other write leaves what
//! is already so as it is: importing the same thing twice adds nothing the second time.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, NaiveDate};
use kinograph_catalog::{FilmSummary, Outcome, RoleCategory, normalize};
use kinograph_diary::{
    ArchiveFilm, NewList, NewListItem, NewViewing, Rating, UserArchive, check_list_name,
};
use kinograph_publishing::{NewUser, Role, User};
use kinograph_store::{CatalogRead, DiaryRead, EditorialRead, Store};

use crate::letterboxd::{self, DiaryEntry, Export};
use crate::letterboxd_csv::{self, ImportRow};
use crate::movielens::{self, MovieLensRating};
use crate::{Error, Progress, Rejection, Result, Tally};

/// The file name `kinograph export letterboxd` writes in its folder.
pub const LETTERBOXD_IMPORT_FILE: &str = "letterboxd-import.csv";

/// Today's date (UTC), from the system clock.
pub fn today() -> NaiveDate {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    DateTime::from_timestamp(i64::try_from(seconds).unwrap_or(0), 0)
        .map(|t| t.date_naive())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Reading

/// Reads a Letterboxd export as it comes: the folder it unpacks to, its ZIP, or one of its CSV
/// files on its own (`diary.csv`, `reviews.csv`, `ratings.csv`, `watched.csv`, `watchlist.csv`,
/// `films.csv` as the liked films, or a list, known by its first line).
pub fn read_export(path: &Path) -> Result<Export> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    if path.metadata().map_err(io)?.is_dir() {
        return letterboxd::read_dir(path);
    }
    let mut head = Vec::new();
    File::open(path)
        .map_err(io)?
        .take(4096)
        .read_to_end(&mut head)
        .map_err(io)?;
    let is_zip = head.starts_with(b"PK")
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        return letterboxd::read_zip(path);
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let text = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
    let first_line = text.split(|&b| b == b'\n').next().unwrap_or_default();
    if letterboxd_csv::is_import_header(first_line) {
        return from_import_csv(path);
    }
    let inner = if name == "films.csv" {
        "likes/films.csv".to_string()
    } else if letterboxd::EXPECTED_FILES.contains(&name.as_str()) {
        name
    } else if text.starts_with(letterboxd::LIST_VERSION_LINE.as_bytes()) {
        format!("lists/{name}")
    } else {
        return Err(Error::WrongFormat {
            dataset: path.display().to_string(),
            message: format!(
                "not a Letterboxd export: expected its folder, its ZIP, or one of its files ({}, \
                 films.csv, or a list whose first line is {:?})",
                letterboxd::EXPECTED_FILES[..5].join(", "),
                letterboxd::LIST_VERSION_LINE
            ),
        });
    };
    let mut export = Export::default();
    let file = File::open(path).map_err(io)?;
    letterboxd::read_file(&inner, BufReader::new(file), path, &mut export)?;
    Ok(export)
}

/// A file in Letterboxd's import format (as `export letterboxd` writes it, and other tools do)
/// as an export: a row with a watched date is a diary entry with its rating, tags and review; a
/// row without one marks the film seen, and rated when it has a rating.
fn from_import_csv(path: &Path) -> Result<Export> {
    let file = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut export = Export::default();
    let today = today();
    for (line, row) in letterboxd_csv::read_import_csv_lines(path)? {
        let rating = row.half_stars.and_then(Rating::from_half_stars);
        let film = letterboxd::FilmRef {
            name: row.title.clone(),
            year: row.year,
            uri: row.letterboxd_uri.clone(),
            imdb_id: row.imdb_id.clone(),
        };
        if row.title.is_empty() && row.imdb_id.is_none() {
            export.rejected.push(Rejection {
                line,
                message: format!("{file}:{line}: the row names no film (no Title, no imdbID)"),
            });
            continue;
        }
        let entry = |review: Option<String>| DiaryEntry {
            logged: row.watched.unwrap_or(today),
            film: film.clone(),
            rating,
            rewatch: false,
            tags: row.tags.clone(),
            watched: row.watched,
            review,
            line,
        };
        match (row.watched, &row.review) {
            // A reviewed row is a viewing with its review, as a row of reviews.csv is (dated or
            // not); a dated one without a review is a diary entry.
            (_, Some(review)) => export.reviews.push(entry(Some(review.clone()))),
            (Some(_), None) => export.diary.push(entry(None)),
            (None, None) => {
                if let Some(rating) = rating {
                    export.ratings.push(letterboxd::RatedFilm {
                        date: today,
                        film: film.clone(),
                        rating,
                        line,
                    });
                }
                export.watched.push(letterboxd::DatedFilm {
                    date: today,
                    film,
                    line,
                });
            }
        }
    }
    Ok(export)
}

/// Reads a user archive (JSON, as `kinograph export archive` writes it). A file that is not
/// one is `Error::Invalid` with its line, or `Error::WrongFormat` for another format or version.
pub fn read_archive(path: &Path) -> Result<UserArchive> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let dataset = path.display().to_string();
    let archive: UserArchive = serde_json::from_slice(&bytes).map_err(|e| {
        let whole = e.to_string();
        let place = format!(" at line {} column {}", e.line(), e.column());
        let message = whole.strip_suffix(&place).unwrap_or(&whole);
        Error::Invalid {
            dataset: dataset.clone(),
            line: e.line(),
            message: format!(
                "not a Kinograph user archive: {message} (column {})",
                e.column()
            ),
        }
    })?;
    archive
        .check_format()
        .map_err(|message| Error::WrongFormat { dataset, message })?;
    Ok(archive)
}

// ---------------------------------------------------------------------------------------------
// Matching

/// A film found for a title and year.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Candidate {
    id: String,
    title: String,
    year: Option<i32>,
    /// Found with the year one off.
    near: bool,
    /// The other films that matched as well, most nominated first.
    others: Vec<String>,
}

/// Finds films by exact title and year, remembering what it found.
struct Matcher<'s> {
    store: &'s Store,
    cache: HashMap<(String, Option<i32>), Option<Candidate>>,
}

impl<'s> Matcher<'s> {
    fn new(store: &'s Store) -> Self {
        Matcher {
            store,
            cache: HashMap::new(),
        }
    }

    /// The catalog id of the film with this IMDb id.
    fn by_imdb(&self, imdb: &str) -> Result<Option<String>> {
        Ok(self.store.film(imdb)?.map(|d| d.film.id))
    }

    /// The films whose title or an alternative title is `title` (normalised), of `year` when
    /// given; most nominated first.
    fn exact(&self, title: &str, year: Option<i32>) -> Result<Vec<FilmSummary>> {
        let key = normalize::key(title);
        if key.is_empty() {
            return Ok(Vec::new());
        }
        // `find_films` answers from the first of its passes that finds anything: the exact
        // title or alternative title, else a prefix, else a substring. Its answer is the exact
        // pass's when a title is the key, or when the first film has the key as an alias.
        let found = self.store.find_films(title, year, 25)?;
        if found.iter().any(|f| normalize::key(&f.title) == key) {
            return Ok(found);
        }
        let Some(first) = found.first() else {
            return Ok(Vec::new());
        };
        let by_alias = self
            .store
            .film(&first.id)?
            .is_some_and(|d| d.aliases.iter().any(|a| normalize::key(a) == key));
        Ok(if by_alias { found } else { Vec::new() })
    }

    /// The film a Letterboxd row means: exact title and year, else the year one off.
    fn find(&mut self, title: &str, year: Option<i32>) -> Result<Option<Candidate>> {
        let cache_key = (normalize::key(title), year);
        if let Some(found) = self.cache.get(&cache_key) {
            return Ok(found.clone());
        }
        let mut films = self.exact(title, year)?;
        let mut near = false;
        if films.is_empty()
            && let Some(year) = year
        {
            films = self.exact(title, Some(year - 1))?;
            for film in self.exact(title, Some(year + 1))? {
                if !films.iter().any(|f| f.id == film.id) {
                    films.push(film);
                }
            }
            films.sort_by(|a, b| b.nominations.cmp(&a.nominations).then(b.wins.cmp(&a.wins)));
            near = true;
        }
        let mut films = films.into_iter();
        let found = films.next().map(|best| Candidate {
            id: best.id,
            title: best.title,
            year: best.year,
            near,
            others: films.map(|f| f.id).collect(),
        });
        self.cache.insert(cache_key, found.clone());
        Ok(found)
    }
}

// ---------------------------------------------------------------------------------------------
// Letterboxd import

/// What one file of the export did. For every file, `read` = `added` + `unchanged` +
/// `merged` + `unmatched` (rejected rows are not read: they are in `LetterboxdReport::rejected`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileCounts {
    /// Its name in the export: `diary.csv`, …, `lists/NAME.csv`.
    pub file: String,
    pub read: u64,
    /// Rows that added or changed something.
    pub added: u64,
    /// Rows whose film, viewing or list entry was already so.
    pub unchanged: u64,
    /// `reviews.csv` only: reviews merged into their `diary.csv` entry (counted there).
    pub merged: u64,
    /// Rows whose film is not in the catalog (listed in `LetterboxdReport::unmatched`).
    pub unmatched: u64,
}

impl FileCounts {
    fn named(file: &str) -> Self {
        FileCounts {
            file: file.to_string(),
            ..FileCounts::default()
        }
    }

    fn count(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New | Outcome::Updated => self.added += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

/// A row matched in a way worth a look: by a year one off, or among several films.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matched {
    pub file: String,
    pub line: u64,
    /// The film as the export names it.
    pub title: String,
    pub year: Option<i32>,
    /// The film taken: its id, and its title and year in the catalog.
    pub film: String,
    pub film_title: String,
    pub film_year: Option<i32>,
    /// The other films that matched as well (ambiguous), most nominated first.
    pub others: Vec<String>,
}

/// A row whose film is not in the catalog; left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmatched {
    pub file: String,
    pub line: u64,
    pub title: String,
    pub year: Option<i32>,
}

/// A list of the export, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListOutcome {
    pub file: String,
    pub name: String,
    /// Its address among the user's lists.
    pub slug: String,
    /// `New`, `Updated` (its contents replaced by the export's) or `Unchanged`.
    pub outcome: Outcome,
    /// Films on it (entries not in the catalog left out).
    pub films: u64,
}

/// What a Letterboxd import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LetterboxdReport {
    /// `diary.csv`, `reviews.csv`, `ratings.csv`, `watched.csv`, `watchlist.csv`,
    /// `likes/films.csv`, then each list's file.
    pub files: Vec<FileCounts>,
    pub lists: Vec<ListOutcome>,
    /// Rows matched to a film whose year is one off, to be checked.
    pub near_year: Vec<Matched>,
    /// Rows that matched several films; the most nominated was taken.
    pub ambiguous: Vec<Matched>,
    /// Rows whose film is not in the catalog, left out.
    pub unmatched: Vec<Unmatched>,
    /// Files an export holds that this one does not.
    pub missing: Vec<&'static str>,
    /// Malformed rows, skipped by the reader (each message starts with `file:line`).
    pub rejected: Vec<Rejection>,
}

impl LetterboxdReport {
    /// The counts of one file (all zero when the report has none for it).
    pub fn counts(&self, file: &str) -> FileCounts {
        self.files
            .iter()
            .find(|c| c.file == file)
            .cloned()
            .unwrap_or_else(|| FileCounts::named(file))
    }

    /// Rows of every file that added or changed something.
    pub fn added(&self) -> u64 {
        self.files.iter().map(|c| c.added).sum()
    }
}

const DIARY: usize = 0;
const REVIEWS: usize = 1;
const RATINGS: usize = 2;
const WATCHED: usize = 3;
const WATCHLIST: usize = 4;
const LIKES: usize = 5;

/// The user's state of a film as the import goes: what decides its side effects.
#[derive(Debug, Clone, Default)]
struct Current {
    rating: Option<Rating>,
    rated_on: Option<NaiveDate>,
    watchlisted: bool,
}

/// A diary entry to write: a `diary.csv` row (with its review from `reviews.csv`, if any), or
/// a review without a diary row.
struct Entry<'e> {
    row: &'e DiaryEntry,
    review: Option<&'e DiaryEntry>,
    film: String,
    file: usize,
}

/// A list to write.
struct PlannedList {
    counts: usize,
    slug: String,
    list: NewList,
}

/// Imports a parsed Letterboxd export into `user`'s diary, in one transaction:
/// - `diary.csv` rows become viewings, each with its review from `reviews.csv` (the row with
///   the same Letterboxd address, else the same film and watched date); a review without a
///   diary row is a viewing of its own. Each new viewing marks the film seen, sets the current
///   rating when it is the newest, and takes the film off the watchlist (when the user wants
///   that and the export's watchlist does not hold it), as logging one does;
/// - `ratings.csv` sets the current rating, with the row's date, when it differs from the
///   viewings' and is newer;
/// - `watched.csv` marks films seen, `watchlist.csv` puts them on the watchlist and
///   `likes/films.csv` likes them;
/// - each list replaces the user's list of the same address (its name, slugified), ranked as
///   the export says, with its notes.
pub fn import_letterboxd(
    store: &mut Store,
    export: &Export,
    user: &User,
) -> Result<LetterboxdReport> {
    let mut report = LetterboxdReport {
        files: letterboxd::EXPECTED_FILES
            .iter()
            .map(|f| FileCounts::named(f))
            .collect(),
        missing: export.missing.clone(),
        rejected: export.rejected.clone(),
        ..LetterboxdReport::default()
    };

    // Every read first: which film each row means, and the user's state of each.
    let reader: &Store = store;
    let mut matcher = Matcher::new(reader);
    let mut entries: Vec<Entry<'_>> = Vec::new();
    for row in &export.diary {
        report.files[DIARY].read += 1;
        match resolve(&mut matcher, &mut report, "diary.csv", row.line, &row.film)? {
            Some(film) => entries.push(Entry {
                row,
                review: None,
                film,
                file: DIARY,
            }),
            None => report.files[DIARY].unmatched += 1,
        }
    }
    let diary_rows = entries.len();
    for review in &export.reviews {
        report.files[REVIEWS].read += 1;
        let Some(film) = resolve(
            &mut matcher,
            &mut report,
            "reviews.csv",
            review.line,
            &review.film,
        )?
        else {
            report.files[REVIEWS].unmatched += 1;
            continue;
        };
        let open = &entries[..diary_rows];
        let same_address = open.iter().position(|e| {
            e.review.is_none() && review.film.uri.is_some() && e.row.film.uri == review.film.uri
        });
        let same_day = || {
            open.iter().position(|e| {
                e.review.is_none() && e.film == film && e.row.watched == review.watched
            })
        };
        match same_address.or_else(same_day) {
            Some(i) => {
                entries[i].review = Some(review);
                report.files[REVIEWS].merged += 1;
            }
            None => entries.push(Entry {
                row: review,
                review: Some(review),
                film,
                file: REVIEWS,
            }),
        }
    }
    let viewings = entry_viewings(&entries);

    let mut rated = Vec::new();
    for row in &export.ratings {
        report.files[RATINGS].read += 1;
        match resolve(
            &mut matcher,
            &mut report,
            "ratings.csv",
            row.line,
            &row.film,
        )? {
            Some(film) => rated.push((film, row.date, row.rating)),
            None => report.files[RATINGS].unmatched += 1,
        }
    }
    let mut dated: [Vec<(String, NaiveDate)>; 3] = Default::default();
    for (slot, (rows, counts)) in [
        (&export.watched, WATCHED),
        (&export.watchlist, WATCHLIST),
        (&export.liked, LIKES),
    ]
    .into_iter()
    .enumerate()
    {
        let file = letterboxd::EXPECTED_FILES[counts];
        for row in rows {
            report.files[counts].read += 1;
            match resolve(&mut matcher, &mut report, file, row.line, &row.film)? {
                Some(film) => dated[slot].push((film, row.date)),
                None => report.files[counts].unmatched += 1,
            }
        }
    }

    let mut lists = Vec::new();
    let mut slugs = HashSet::new();
    for list in &export.lists {
        if let Err(message) = check_list_name(&list.name) {
            report.rejected.push(Rejection {
                line: 3,
                message: format!("{}:3: {message}", list.file),
            });
            continue;
        }
        let counts = report.files.len();
        let mut file = FileCounts::named(&list.file);
        let mut entries: Vec<&letterboxd::ListEntry> = list.entries.iter().collect();
        if list.ranked {
            entries.sort_by_key(|e| e.position);
        }
        let mut items = Vec::new();
        for entry in entries {
            file.read += 1;
            match resolve(
                &mut matcher,
                &mut report,
                &list.file,
                entry.line,
                &entry.film,
            )? {
                Some(film) => items.push(NewListItem {
                    film,
                    note: entry.note.clone(),
                }),
                None => file.unmatched += 1,
            }
        }
        report.files.push(file);
        lists.push(PlannedList {
            counts,
            slug: list_slug(&list.name, &mut slugs),
            list: NewList {
                name: list.name.trim().to_string(),
                description: list.description.clone(),
                ranked: list.ranked,
                private: false,
                tags: list.tags.clone(),
                created: list.created,
                items,
            },
        });
    }

    let mut current: HashMap<String, Current> = HashMap::new();
    let films = viewings
        .iter()
        .map(|(_, v)| &v.film)
        .chain(rated.iter().map(|(film, _, _)| film))
        .chain(dated.iter().flatten().map(|(film, _)| film));
    for film in films {
        if current.contains_key(film) {
            continue;
        }
        let state = reader.film_state(user.id, film)?;
        current.insert(
            film.clone(),
            Current {
                rating: state.as_ref().and_then(|s| s.rating),
                rated_on: state.as_ref().and_then(|s| s.rated_on),
                watchlisted: state.as_ref().is_some_and(|s| s.watchlisted()),
            },
        );
    }
    let autoremove = reader.watchlist_autoremove(user.id)?;
    let [watched, watchlist, liked] = dated;
    let kept_on_watchlist: HashSet<&str> = watchlist.iter().map(|(f, _)| f.as_str()).collect();

    // Then every write, in one transaction.
    let me = user.id;
    let files = &mut report.files;
    let mut stored_lists = Vec::new();
    store.diary(|w| {
        for (file, viewing) in &viewings {
            let (_, outcome) = w.add_viewing(me, viewing)?;
            files[*file].count(outcome);
            if outcome != Outcome::New {
                continue;
            }
            let film = viewing.film.as_str();
            let day = viewing.watched.unwrap_or(viewing.logged);
            let now = current.entry(film.to_string()).or_default();
            w.mark_watched(me, film, Some(day))?;
            if let Some(rating) = viewing.rating
                && now.rated_on.is_none_or(|rated| rated <= day)
            {
                w.set_rating(me, film, Some(rating), day, false)?;
                now.rating = Some(rating);
                now.rated_on = Some(day);
            }
            if autoremove && now.watchlisted && !kept_on_watchlist.contains(film) {
                w.set_watchlisted(me, film, None)?;
                now.watchlisted = false;
            }
        }
        for (film, date, rating) in &rated {
            let now = current.entry(film.clone()).or_default();
            let newer = match now.rating {
                None => true,
                Some(had) => had != *rating && now.rated_on.is_none_or(|on| *date > on),
            };
            let outcome = if newer {
                now.rating = Some(*rating);
                now.rated_on = Some(*date);
                w.set_rating(me, film, Some(*rating), *date, false)?
            } else {
                Outcome::Unchanged
            };
            files[RATINGS].count(outcome);
        }
        for (film, date) in &watched {
            files[WATCHED].count(w.mark_watched(me, film, Some(*date))?);
        }
        for (film, date) in &watchlist {
            files[WATCHLIST].count(w.set_watchlisted(me, film, Some(*date))?);
        }
        for (film, date) in &liked {
            files[LIKES].count(w.set_liked(me, film, Some(*date))?);
        }
        for planned in &lists {
            let (_, outcome) = w.put_list(me, &planned.slug, &planned.list)?;
            let films = planned.list.items.len() as u64;
            let counts = &mut files[planned.counts];
            if outcome == Outcome::Unchanged {
                counts.unchanged += films;
            } else {
                counts.added += films;
            }
            stored_lists.push(ListOutcome {
                file: counts.file.clone(),
                name: planned.list.name.clone(),
                slug: planned.slug.clone(),
                outcome,
                films,
            });
        }
        Ok(())
    })?;
    report.lists = stored_lists;
    Ok(report)
}

/// The film a row names, recording in the report how it was matched (or that it was not).
fn resolve(
    matcher: &mut Matcher<'_>,
    report: &mut LetterboxdReport,
    file: &str,
    line: u64,
    film: &letterboxd::FilmRef,
) -> Result<Option<String>> {
    // An IMDb id, when the file has one, names the film for sure.
    if let Some(imdb) = &film.imdb_id
        && let Some(id) = matcher.by_imdb(imdb)?
    {
        return Ok(Some(id));
    }
    let Some(found) = matcher.find(&film.name, film.year)? else {
        report.unmatched.push(Unmatched {
            file: file.to_string(),
            line,
            title: film.name.clone(),
            year: film.year,
        });
        return Ok(None);
    };
    let matched = || Matched {
        file: file.to_string(),
        line,
        title: film.name.clone(),
        year: film.year,
        film: found.id.clone(),
        film_title: found.title.clone(),
        film_year: found.year,
        others: found.others.clone(),
    };
    if found.near {
        report.near_year.push(matched());
    }
    if !found.others.is_empty() {
        report.ambiguous.push(matched());
    }
    Ok(Some(found.id))
}

/// The viewings of the diary's entries, each with the index of the file it counts for.
fn entry_viewings(entries: &[Entry<'_>]) -> Vec<(usize, NewViewing)> {
    // A diary entry's address names that entry, so it is its key; an address that several
    // entries share (a film's page) cannot be.
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for entry in entries {
        if let Some(uri) = &entry.row.film.uri {
            *uses.entry(uri.as_str()).or_default() += 1;
        }
    }
    entries
        .iter()
        .map(|entry| {
            let row = entry.row;
            let review = entry.review;
            let key = match &row.film.uri {
                Some(uri) if uses.get(uri.as_str()) == Some(&1) && !uri.contains("/film/") => {
                    uri.clone()
                }
                _ => format!(
                    "lb:{}:{}:{}:{}",
                    entry.film,
                    row.watched.map(|d| d.to_string()).unwrap_or_default(),
                    row.logged,
                    if row.rewatch { "rewatch" } else { "first" }
                ),
            };
            let tags = if row.tags.is_empty() {
                review.map(|r| r.tags.clone()).unwrap_or_default()
            } else {
                row.tags.clone()
            };
            let viewing = NewViewing {
                film: entry.film.clone(),
                watched: row.watched,
                logged: row.logged,
                rating: row.rating.or(review.and_then(|r| r.rating)),
                liked: false,
                rewatch: row.rewatch,
                review: review.and_then(|r| r.review.clone()),
                spoilers: false,
                tags,
                private: false,
                letterboxd_uri: row.film.uri.clone(),
                key,
            };
            (entry.file, viewing)
        })
        .collect()
}

/// A list's address from its name, unique among `taken` (which it joins).
fn list_slug(name: &str, taken: &mut HashSet<String>) -> String {
    let base = if normalize::key(name).is_empty() {
        "list".to_string()
    } else {
        kinograph_publishing::slugify(name)
    };
    let mut slug = base.clone();
    let mut n = 2;
    while taken.contains(&slug) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    taken.insert(slug.clone());
    slug
}

// ---------------------------------------------------------------------------------------------
// Letterboxd export

/// What the export needs of a film besides what the diary names it by.
#[derive(Debug, Clone, Default)]
struct FilmFacts {
    directors: Vec<String>,
    tmdb_id: Option<i64>,
}

fn film_facts(
    store: &Store,
    cache: &mut HashMap<String, FilmFacts>,
    film: &str,
) -> Result<FilmFacts> {
    if let Some(facts) = cache.get(film) {
        return Ok(facts.clone());
    }
    let mut facts = FilmFacts::default();
    if let Some(details) = store.film(film)? {
        let mut credits: Vec<_> = details
            .credits
            .iter()
            .filter(|c| c.category == RoleCategory::Director)
            .collect();
        credits.sort_by_key(|c| c.order.unwrap_or(u32::MAX));
        for credit in credits {
            // Letterboxd joins directors with commas, so a name keeps none.
            let name = credit.person.name.replace(',', "");
            let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
            if !name.is_empty() && !facts.directors.contains(&name) {
                facts.directors.push(name);
            }
        }
        facts.tmdb_id = details
            .film
            .tmdb_id
            .and_then(|id| i64::try_from(id).ok())
            .filter(|&id| id > 0);
    }
    cache.insert(film.to_string(), facts.clone());
    Ok(facts)
}

/// `user`'s diary as rows of Letterboxd's import CSV (see [`crate::letterboxd_csv`]), oldest
/// first: one row per viewing (its watched date, rating, tags and review; Letterboxd's import has
/// no column for a rewatch, a like or privacy), then one row, without a date, per film watched
/// or rated without a viewing, or whose current rating no viewing carries (so that it is the
/// rating Letterboxd ends with). Films are named by IMDb and TMDb id, title, year and directors,
/// and by their Letterboxd address when the viewing came from Letterboxd.
pub fn export_letterboxd(store: &Store, user: &User) -> Result<Vec<ImportRow>> {
    let archive = kinograph_store::diary::archive(store, user, NaiveDate::default())?;
    let mut facts = HashMap::new();
    let mut rows = Vec::new();
    let mut viewed: HashSet<&str> = HashSet::new();
    // Each film's newest rated viewing's rating (viewings come oldest first).
    let mut viewing_rating: HashMap<&str, Rating> = HashMap::new();
    for viewing in &archive.viewings {
        let film = &viewing.film;
        viewed.insert(&film.id);
        if let Some(rating) = viewing.rating {
            viewing_rating.insert(&film.id, rating);
        }
        let FilmFacts { directors, tmdb_id } = film_facts(store, &mut facts, &film.id)?;
        rows.push(ImportRow {
            letterboxd_uri: viewing.letterboxd_uri.clone().filter(|u| is_web_address(u)),
            tmdb_id,
            imdb_id: film.imdb_id.clone().filter(|id| is_imdb_id(id)),
            title: film.title.clone(),
            year: film.year.filter(|y| (0..=9999).contains(y)),
            directors,
            watched: viewing.watched,
            half_stars: viewing.rating.map(Rating::half_stars),
            tags: letterboxd_tags(&viewing.tags),
            review: viewing.review.clone().filter(|r| !r.trim().is_empty()),
        });
    }
    for state in &archive.films {
        let film = &state.film;
        let wanted = if viewed.contains(film.id.as_str()) {
            state.rating.is_some() && viewing_rating.get(film.id.as_str()) != state.rating.as_ref()
        } else {
            state.watched || state.rating.is_some()
        };
        if !wanted {
            continue;
        }
        let FilmFacts { directors, tmdb_id } = film_facts(store, &mut facts, &film.id)?;
        rows.push(ImportRow {
            letterboxd_uri: None,
            tmdb_id,
            imdb_id: film.imdb_id.clone().filter(|id| is_imdb_id(id)),
            title: film.title.clone(),
            year: film.year.filter(|y| (0..=9999).contains(y)),
            directors,
            watched: None,
            half_stars: state.rating.map(Rating::half_stars),
            tags: Vec::new(),
            review: None,
        });
    }
    Ok(rows)
}

/// Tags as Letterboxd can take them: joined by commas, so a tag holding one becomes two.
fn letterboxd_tags(tags: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for tag in tags.iter().flat_map(|t| t.split(',')) {
        let tag = tag.trim();
        if !tag.is_empty() && !out.iter().any(|t| t == tag) {
            out.push(tag.to_string());
        }
    }
    out
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

// ---------------------------------------------------------------------------------------------
// User archive

/// An archive's film that the catalog lacks, and where the archive names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveUnmatched {
    /// `viewings[N]`, `films[N]` or `lists/SLUG[N]` (from 0, in the archive's order).
    pub place: String,
    pub film: ArchiveFilm,
}

/// What importing a user archive did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArchiveReport {
    /// Viewings: new, or there already (by key).
    pub viewings: Tally,
    /// Films' states (watched, rating, like, watchlist): new, updated, or already so.
    pub films: Tally,
    pub lists: Tally,
    /// Accounts followed: new, or followed already.
    pub following: Tally,
    /// Films the catalog lacks; what names them was left out.
    pub unmatched: Vec<ArchiveUnmatched>,
    /// Accounts followed in the archive that this instance does not have.
    pub unknown_users: Vec<String>,
}

/// Finds an archive's films in this catalog: by catalog id (unless its IMDb id says it is
/// another film), then by IMDb id, then by exact title and year.
struct ArchiveFilms<'s> {
    matcher: Matcher<'s>,
    found: HashMap<FilmKey, Option<String>>,
}

/// An archive's film as a map key.
type FilmKey = (String, Option<String>, String, Option<i32>);

fn film_key(film: &ArchiveFilm) -> FilmKey {
    (
        film.id.clone(),
        film.imdb_id.clone(),
        film.title.clone(),
        film.year,
    )
}

impl ArchiveFilms<'_> {
    fn find(&mut self, film: &ArchiveFilm) -> Result<Option<String>> {
        let key = film_key(film);
        if let Some(found) = self.found.get(&key) {
            return Ok(found.clone());
        }
        let store = self.matcher.store;
        let mut found = None;
        if let Some(details) = store.film(&film.id)? {
            let conflict = matches!(
                (&details.film.imdb_id, &film.imdb_id),
                (Some(ours), Some(theirs)) if ours != theirs
            );
            if !conflict {
                found = Some(details.film.id);
            }
        }
        if found.is_none()
            && let Some(imdb) = &film.imdb_id
        {
            found = store.film(imdb)?.map(|d| d.film.id);
        }
        if found.is_none() {
            found = self
                .matcher
                .exact(&film.title, film.year)?
                .into_iter()
                .next()
                .map(|f| f.id);
        }
        self.found.insert(key, found.clone());
        Ok(found)
    }
}

/// Imports a user archive into `user`'s account, in one transaction: its viewings (by key: one
/// already there is left as it is), each film's state as the archive has it, its lists (each
/// replacing the user's list of the same address), the accounts it follows (those this instance
/// has), and whether logging takes a film off the watchlist. Films are found by catalog id, then
/// IMDb id, then exact title and year; what names a film the catalog lacks is reported and left
/// out.
pub fn import_archive(
    store: &mut Store,
    archive: &UserArchive,
    user: &User,
) -> Result<ArchiveReport> {
    archive
        .check_format()
        .map_err(|message| Error::WrongFormat {
            dataset: "user archive".into(),
            message,
        })?;
    let mut report = ArchiveReport::default();
    let reader: &Store = store;
    let mut films = ArchiveFilms {
        matcher: Matcher::new(reader),
        found: HashMap::new(),
    };
    let mut unmatched = |place: String, film: &ArchiveFilm| {
        report.unmatched.push(ArchiveUnmatched {
            place,
            film: film.clone(),
        });
    };

    let mut viewings = Vec::new();
    for (i, v) in archive.viewings.iter().enumerate() {
        let Some(film) = films.find(&v.film)? else {
            unmatched(format!("viewings[{i}]"), &v.film);
            continue;
        };
        viewings.push(NewViewing {
            film,
            watched: v.watched,
            logged: v.logged,
            rating: v.rating,
            liked: v.liked,
            rewatch: v.rewatch,
            review: v.review.clone(),
            spoilers: v.spoilers,
            tags: v.tags.clone(),
            private: v.private,
            letterboxd_uri: v.letterboxd_uri.clone(),
            key: v.key.clone(),
        });
    }
    let mut states = Vec::new();
    for (i, s) in archive.films.iter().enumerate() {
        let Some(film) = films.find(&s.film)? else {
            unmatched(format!("films[{i}]"), &s.film);
            continue;
        };
        let existed = reader.film_state(user.id, &film)?.is_some();
        states.push((film, s, existed));
    }
    let mut lists = Vec::new();
    for list in &archive.lists {
        let mut items = Vec::new();
        for (i, item) in list.items.iter().enumerate() {
            match films.find(&item.film)? {
                Some(film) => items.push(NewListItem {
                    film,
                    note: item.note.clone(),
                }),
                None => unmatched(format!("lists/{}[{i}]", list.slug), &item.film),
            }
        }
        lists.push((
            list.slug.clone(),
            NewList {
                name: list.name.clone(),
                description: list.description.clone(),
                ranked: list.ranked,
                private: list.private,
                tags: list.tags.clone(),
                created: list.created,
                items,
            },
        ));
    }
    let mut followed = Vec::new();
    for name in &archive.following {
        match reader.user(name)? {
            Some(other) if other.id != user.id => followed.push(other.id),
            Some(_) => {}
            None => report.unknown_users.push(name.clone()),
        }
    }

    let me = user.id;
    let exported = archive.exported;
    store.diary(|w| {
        w.set_watchlist_autoremove(me, archive.watchlist_autoremove)?;
        for viewing in &viewings {
            let (_, outcome) = w.add_viewing(me, viewing)?;
            report.viewings.add(outcome);
        }
        for (film, s, existed) in &states {
            let mut changed = Vec::new();
            if s.watched {
                changed.push(w.mark_watched(me, film, s.watched_on)?);
            }
            if s.rating.is_some() || s.private {
                let on = s.rated_on.unwrap_or(exported);
                changed.push(w.set_rating(me, film, s.rating, on, s.private)?);
            }
            if let Some(on) = s.liked_on {
                changed.push(w.set_liked(me, film, Some(on))?);
            }
            if let Some(on) = s.watchlisted_on {
                changed.push(w.set_watchlisted(me, film, Some(on))?);
            }
            if changed.is_empty() {
                // A film with nothing set is still the user's (it was unmarked, say): its row
                // is made, with nothing liked.
                changed.push(w.set_liked(me, film, None)?);
            }
            report.films.add(if !existed {
                Outcome::New
            } else if changed.iter().any(|o| *o != Outcome::Unchanged) {
                Outcome::Updated
            } else {
                Outcome::Unchanged
            });
        }
        for (slug, list) in &lists {
            let (_, outcome) = w.put_list(me, slug, list)?;
            report.lists.add(outcome);
        }
        for other in &followed {
            let outcome = w.follow(me, *other, true)?;
            report.following.add(match outcome {
                Outcome::Unchanged => Outcome::Unchanged,
                _ => Outcome::New,
            });
        }
        Ok(())
    })?;
    Ok(report)
}

/// Everything `user` owns, as a user archive dated today.
pub fn export_archive(store: &Store, user: &User) -> Result<UserArchive> {
    Ok(kinograph_store::diary::archive(store, user, today())?)
}

// ---------------------------------------------------------------------------------------------
// MovieLens

/// What a MovieLens import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MovieLensReport {
    /// Rows of `ratings.csv`.
    pub ratings: u64,
    /// The accounts `ml-N`: new, or there from an earlier run (unchanged).
    pub users: Tally,
    /// Viewings of catalog films: new, or there from an earlier run (unchanged).
    pub viewings: Tally,
    /// Films of the data set found in the catalog (by IMDb id, through `links.csv`).
    pub films_matched: u64,
    /// Films of the data set the catalog lacks (or that `links.csv` does not link)…
    pub films_not_in_catalog: u64,
    /// … and their ratings, left out (not an error).
    pub ratings_not_in_catalog: u64,
}

/// The account name of MovieLens user `n`.
pub fn movielens_user(n: u32) -> String {
    format!("ml-{n}")
}

fn movielens_display_name(n: u32) -> String {
    format!("MovieLens user {n}")
}

/// Imports the MovieLens "small" data set in `dir` (`links.csv`, `ratings.csv`): one reader
/// account per MovieLens user (`ml-1`…, without a password, "MovieLens user N"), each rating a
/// public viewing (key `ml:{movieId}`, watched on the rating's day) that sets the current rating.
/// Films are found by IMDb id through `links.csv`; ratings of films the catalog lacks are counted
/// and left out. Every row is checked before anything is written; the accounts are made in one
/// transaction, then each user's viewings in one.
pub fn import_movielens(
    store: &mut Store,
    dir: &Path,
    progress: &mut dyn Progress,
) -> Result<MovieLensReport> {
    let links = movielens::read_links(&dir.join("links.csv"))?;
    let ratings = dir.join("ratings.csv");
    let mut users = BTreeSet::new();
    let rows = movielens::read_ratings(&ratings, &mut |r| {
        users.insert(r.user);
        Ok(())
    })?;
    let mut report = MovieLensReport {
        ratings: rows,
        ..MovieLensReport::default()
    };

    // The accounts, all in one transaction.
    let mut accounts: HashMap<u32, i64> = HashMap::new();
    let mut missing = Vec::new();
    for &n in &users {
        let name = movielens_user(n);
        match store.user(&name)? {
            Some(account) if account.display_name == movielens_display_name(n) => {
                accounts.insert(n, account.id);
                report.users.unchanged += 1;
            }
            Some(_) => {
                return Err(Error::Refused(format!(
                    "the account {name} exists and is not {:?}: MovieLens ratings are not \
                     written into it",
                    movielens_display_name(n)
                )));
            }
            None => missing.push(n),
        }
    }
    let made = store.edit(|w| {
        let mut made = Vec::with_capacity(missing.len());
        for &n in &missing {
            let name = movielens_user(n);
            let account = w.create_user(&NewUser {
                name: name.clone(),
                display_name: movielens_display_name(n),
                role: Role::Reader,
                password_hash: None,
            })?;
            w.audit(
                None,
                "user_add",
                &format!("user:{name}"),
                "reader (MovieLens)",
            )?;
            made.push((n, account.id));
        }
        Ok(made)
    })?;
    report.users.new += made.len() as u64;
    accounts.extend(made);

    // The viewings, one transaction per user.
    let size = std::fs::metadata(&ratings).ok().map(|m| m.len());
    progress.start(size);
    let mut films: HashMap<u32, Option<String>> = HashMap::new();
    let mut batch: Vec<MovieLensRating> = Vec::new();
    let mut done: u64 = 0;
    let mut flush = |store: &mut Store,
                     batch: &mut Vec<MovieLensRating>,
                     report: &mut MovieLensReport|
     -> Result<()> {
        let Some(user) = batch.first().map(|r| r.user) else {
            return Ok(());
        };
        let account = accounts
            .get(&user)
            .copied()
            .ok_or_else(|| Error::Refused(format!("no account for MovieLens user {user}")))?;
        let mut viewings = Vec::new();
        for rating in batch.drain(..) {
            let film = match films.get(&rating.movie) {
                Some(found) => found.clone(),
                None => {
                    let found = match links.imdb_id(rating.movie) {
                        Some(imdb) => store.film(imdb)?.map(|d| d.film.id),
                        None => None,
                    };
                    if found.is_some() {
                        report.films_matched += 1;
                    } else {
                        report.films_not_in_catalog += 1;
                    }
                    films.insert(rating.movie, found.clone());
                    found
                }
            };
            match film {
                Some(film) => viewings.push(NewViewing {
                    film,
                    watched: Some(rating.watched),
                    logged: rating.watched,
                    rating: Rating::from_half_stars(rating.half_stars),
                    liked: false,
                    rewatch: false,
                    review: None,
                    spoilers: false,
                    tags: Vec::new(),
                    private: false,
                    letterboxd_uri: None,
                    key: format!("ml:{}", rating.movie),
                }),
                None => report.ratings_not_in_catalog += 1,
            }
        }
        if viewings.is_empty() {
            return Ok(());
        }
        store.diary(|w| {
            for viewing in &viewings {
                let (_, outcome) = w.add_viewing(account, viewing)?;
                if outcome != Outcome::New {
                    report.viewings.unchanged += 1;
                    continue;
                }
                report.viewings.new += 1;
                let day = viewing.logged;
                w.mark_watched(account, &viewing.film, Some(day))?;
                if let Some(rating) = viewing.rating {
                    w.set_rating(account, &viewing.film, Some(rating), day, false)?;
                }
            }
            Ok(())
        })?;
        Ok(())
    };
    movielens::read_ratings(&ratings, &mut |rating| {
        if batch.first().is_some_and(|r| r.user != rating.user) {
            flush(store, &mut batch, &mut report)?;
            if let Some(size) = size {
                let part = u128::from(size) * u128::from(done) / u128::from(rows.max(1));
                progress.advance(u64::try_from(part).unwrap_or(size));
            }
        }
        batch.push(rating);
        done += 1;
        Ok(())
    })?;
    flush(store, &mut batch, &mut report)?;
    progress.finish();
    Ok(report)
}

// ---------------------------------------------------------------------------------------------
// The demo readers

/// A reader of the demo world: an account and its diary, as a Letterboxd export's files.
#[derive(Debug, Clone, Copy)]
pub struct DemoReader {
    pub name: &'static str,
    pub display_name: &'static str,
    /// (name inside the export, text).
    pub files: &'static [(&'static str, &'static str)],
}

/// The demo world's readers (our own writing, in Letterboxd's export format).
pub const DEMO_READERS: &[DemoReader] = &[
    DemoReader {
        name: "margot",
        display_name: "Margot Lane",
        files: &[
            (
                "diary.csv",
                include_str!("../demo/readers/margot/diary.csv"),
            ),
            (
                "reviews.csv",
                include_str!("../demo/readers/margot/reviews.csv"),
            ),
            (
                "watchlist.csv",
                include_str!("../demo/readers/margot/watchlist.csv"),
            ),
            (
                "lists/sean-baker-ranked.csv",
                include_str!("../demo/readers/margot/lists/sean-baker-ranked.csv"),
            ),
        ],
    },
    DemoReader {
        name: "teo",
        display_name: "Teo Alvarez",
        files: &[
            ("diary.csv", include_str!("../demo/readers/teo/diary.csv")),
            (
                "reviews.csv",
                include_str!("../demo/readers/teo/reviews.csv"),
            ),
            (
                "ratings.csv",
                include_str!("../demo/readers/teo/ratings.csv"),
            ),
        ],
    },
];

/// Loads the demo readers: their accounts (which cannot log in: no password), their diaries
/// imported as any Letterboxd export is, and each following the other. Idempotent, like every
/// import; returns how many rows added or changed something.
pub fn load_demo_readers(store: &mut Store) -> Result<u64> {
    let mut accounts = Vec::new();
    for &DemoReader {
        name,
        display_name,
        files,
    } in DEMO_READERS
    {
        let user = match store.user(name)? {
            Some(user) => user,
            None => store.edit(|w| {
                w.create_user(&NewUser {
                    name: name.to_string(),
                    display_name: display_name.to_string(),
                    role: Role::Reader,
                    password_hash: None,
                })
            })?,
        };
        let mut export = Export::default();
        for (file, text) in files {
            let origin = format!("kinograph-demo/readers/{name}/{file}");
            letterboxd::read_file(file, text.as_bytes(), Path::new(&origin), &mut export)?;
        }
        if let Some(rejected) = export.rejected.first() {
            return Err(Error::WrongFormat {
                dataset: format!("kinograph-demo/readers/{name}"),
                message: rejected.message.clone(),
            });
        }
        let report = import_letterboxd(store, &export, &user)?;
        accounts.push((user, report.added()));
    }
    let added = accounts.iter().map(|(_, added)| added).sum();
    for (a, _) in &accounts {
        for (b, _) in &accounts {
            if a.id != b.id {
                store.diary(|w| w.follow(a.id, b.id, true))?;
            }
        }
    }
    Ok(added)
}
