//! Kinograph's store: where the catalog lives. The only crate that writes SQL.
//!
//! Callers see [`Store`]: reads as methods, writes as batches run through [`Store::write`],
//! each batch one transaction (all of it is stored or none of it). Behind `Store` sits a
//! [`Backend`]; today that is SQLite in the data folder, and a PostgreSQL backend can be added
//! beside it without touching callers. `Store` is also the checker's window on the catalog
//! ([`kinograph_checker::Catalog`]).

mod checker;
mod columns;
pub mod diary;
pub mod editorial;
mod error;
mod postgres;
mod sqlite;
pub mod testing;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use kinograph_catalog::{
    AwardRecord, CatalogCounts, Category, CategoryHistory, Ceremony, CeremonyResults,
    CeremonyYears, CompanyRecord, CreditRecord, EntityKind, EssayRecord, EssaySummary, FilmCompany,
    FilmDetails, FilmRecord, FilmSummary, NameEntry, NamedKind, Nomination, Outcome, PersonDetails,
    PersonRecord, PersonSummary, Provenance, RecordKind, RoleCategory, SearchChanges, SearchEntry,
    SearchEntryPage,
};

pub use checker::{CheckerError, checker, checker_for};
pub use error::{Error, Result};
use kinograph_diary::{
    DiaryList, FilmRatings, FilmState, ListSummary, NewList, NewViewing, Rating, StatsViewing,
    Viewing, ViewingQuery,
};
use kinograph_publishing::{
    AuditEntry, ClaimKey, Correction, EditorialFilter, EssayHead, EssayState, Member, NewRevision,
    NewUser, Override, Publication, Revision, Role, User,
};
pub use postgres::copy::{TableCopy, copy_to_postgres};

/// The file name of the embedded database inside the data folder.
pub const SQLITE_FILE: &str = "kinograph.sqlite";

/// What a `put_*` of an entity with a public id did, and the id it has in the catalog (which
/// can differ from the id given when the record merged into an existing entity).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Put {
    pub id: String,
    pub outcome: Outcome,
}

/// The writes an import can make, all within one transaction. Every `put_*` is idempotent:
/// putting the same fact twice stores it once and reports [`Outcome::Unchanged`].
pub trait CatalogWrite {
    /// Adds or merges a film: the same IMDb id, the same id, or the same title and year is the
    /// same film. Fields left `None` keep what the catalog knows.
    /// Logs this batch's changes as one "rebuild the search index" entry instead of one per
    /// changed film or person, from here to the end of the batch (and nothing when it changes
    /// nothing): for bulk loads that touch much of the catalog, where re-indexing everything
    /// in bulk is cheaper than entity by entity.
    fn log_rebuild(&mut self) -> Result<()>;
    fn put_film(&mut self, film: &FilmRecord) -> Result<Put>;
    fn put_person(&mut self, person: &PersonRecord) -> Result<Put>;
    fn put_company(&mut self, company: &CompanyRecord) -> Result<Put>;
    /// Adds another name of an entity; its own name (normalised) is not an alias and is
    /// [`Outcome::Unchanged`].
    fn put_alias(
        &mut self,
        kind: EntityKind,
        id: &str,
        alias: &str,
        source: &Provenance,
    ) -> Result<Outcome>;
    /// Adds or updates a credit, keyed by (film, person, category, job). A credit without a
    /// billing order keeps the order the catalog knows (IMDb's `title.crew` names directors and
    /// writers without one; `title.principals` gives it).
    fn put_credit(&mut self, credit: &CreditRecord) -> Result<Outcome>;
    /// [`put_credit`](Self::put_credit) for each credit, in order, with the same outcome each
    /// (an unknown film or person is that credit's `Err(Error::UnknownEntity)`, and the others
    /// go on), in far fewer statements: for bulk imports.
    fn put_credits(&mut self, credits: &[CreditRecord]) -> Result<Vec<Result<Outcome>>>;
    /// [`put_alias`](Self::put_alias) for each (id, alias, source), in order, likewise.
    fn put_aliases(
        &mut self,
        kind: EntityKind,
        aliases: &[(String, String, Provenance)],
    ) -> Result<Vec<Result<Outcome>>>;
    /// Sets a film's IMDb user rating: `average` (1 to 10, kept to one decimal) from `votes`
    /// votes. The film must be in the catalog ([`Error::UnknownEntity`] otherwise).
    fn put_film_rating(
        &mut self,
        film: &str,
        average: f64,
        votes: u64,
        source: &Provenance,
    ) -> Result<Outcome>;
    fn put_film_company(&mut self, link: &FilmCompany) -> Result<Outcome>;
    fn put_film_theme(&mut self, film: &str, theme: &str, source: &Provenance) -> Result<Outcome>;
    fn put_film_fact(&mut self, film: &str, fact: &str, source: &Provenance) -> Result<Outcome>;
    fn put_award_body(&mut self, id: &str, name: &str) -> Result<Outcome>;
    /// Records the day a ceremony was held (creating the ceremony if needed).
    fn put_ceremony_date(
        &mut self,
        body: &str,
        ordinal: u32,
        years: Option<CeremonyYears>,
        date: NaiveDate,
        source: &Provenance,
    ) -> Result<Outcome>;
    /// Adds or updates a nomination, creating the ceremony, category, films, people and
    /// companies it names that the catalog lacks. A nomination that contradicts the catalog
    /// (another year for a known ceremony) is refused with [`Error::Rejected`] before anything
    /// of it is written.
    fn put_nomination(&mut self, nomination: &Nomination) -> Result<Outcome>;
}

/// The reads callers make. Lookups take a public id or an IMDb id.
pub trait CatalogRead {
    fn film(&self, id: &str) -> Result<Option<FilmDetails>>;
    /// Films whose title or alternative title is `title` (normalised); failing that, starts
    /// with it; failing that, contains it. Most-nominated first.
    fn find_films(&self, title: &str, year: Option<i32>, limit: u32) -> Result<Vec<FilmSummary>>;
    fn person(&self, id: &str) -> Result<Option<PersonDetails>>;
    fn find_people(&self, name: &str, limit: u32) -> Result<Vec<PersonSummary>>;
    fn ceremony(&self, body: &str, ordinal: u32) -> Result<Option<CeremonyResults>>;
    /// A ceremony's ordinal, years and date, without its results.
    fn ceremony_info(&self, body: &str, ordinal: u32) -> Result<Option<Ceremony>>;
    /// The award records of `body`, each kind down to rank `depth` (ties included).
    fn award_records(&self, body: &str, depth: u32) -> Result<Vec<AwardRecord>>;
    /// One record table of `body`, down to rank `depth` (ties included).
    fn award_record(&self, body: &str, kind: RecordKind, depth: u32) -> Result<Vec<AwardRecord>>;
    /// Films matching every condition of `filter`, oldest first.
    fn films(&self, filter: &FilmFilter) -> Result<Vec<FilmSummary>>;
    /// The films and people changed after change-log position `after`, at most `limit` log
    /// entries' worth (each entity once).
    fn search_changes(&self, after: u64, limit: u32) -> Result<SearchChanges>;
    /// A film's or person's search document.
    fn search_entry(&self, kind: EntityKind, id: &str) -> Result<Option<SearchEntry>>;
    /// The search documents of many films or people (or essays) at once, in no particular
    /// order; ids the catalog lacks are left out. Re-indexing reads in batches of these.
    fn search_entries(&self, kind: EntityKind, ids: &[String]) -> Result<Vec<SearchEntry>>;
    /// The position of the newest entry of the change log (0 when it is empty).
    fn search_log_head(&self) -> Result<u64>;
    /// The search documents of every film, person or published essay, `limit` entities a page,
    /// in storage order (which a bulk load wrote in, so a page reads neighbouring rows): start
    /// at 0, then pass each page's `next`. A rebuild of the index reads the catalog so.
    fn search_entry_page(
        &self,
        kind: EntityKind,
        after: u64,
        limit: u32,
    ) -> Result<SearchEntryPage>;
    fn counts(&self) -> Result<CatalogCounts>;
    /// Every name the catalog knows, each entity once with its variants, handed to `visit`
    /// one at a time (built from a few bulk reads, not one query per entity).
    fn name_entries(&self, visit: &mut dyn FnMut(NameEntry)) -> Result<()>;
    /// [`CatalogRead::name_entries`], but only the films, people, companies and characters
    /// `admit` lets through, given their kind, name and variants; the rest are read for what
    /// the admitted ones need (counts, ties) and no more. Award bodies and categories are
    /// always given.
    fn name_entries_admitted(
        &self,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
        visit: &mut dyn FnMut(NameEntry),
    ) -> Result<()>;
    /// Every theme films are catalogued with.
    fn themes(&self) -> Result<Vec<String>>;
    /// A body's ceremonies, newest first, without their results.
    fn ceremonies(&self, body: &str) -> Result<Vec<Ceremony>>;
    /// A body's categories by canonical name, each with the name it had most recently;
    /// competitive classes first, then alphabetical.
    fn categories(&self, body: &str) -> Result<Vec<Category>>;
    /// Every nomination of the category whose [`Category::slug`] is `slug`, newest first.
    fn category_history(&self, body: &str, slug: &str) -> Result<Option<CategoryHistory>>;
    fn essay(&self, slug: &str) -> Result<Option<EssayRecord>>;
    /// Published essays matching `filter`, newest first.
    fn essays(&self, filter: &EssayFilter) -> Result<Vec<EssaySummary>>;
}

/// Which essays to list. `None` matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EssayFilter {
    /// Essays that name this entity (a film's, person's or character's public id).
    pub mentioning: Option<String>,
    pub limit: u32,
}

/// Conditions on films: "films of director X with theme Y". `None` matches anything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FilmFilter {
    /// A person's id (or IMDb id) who has a credit on the film.
    pub person: Option<String>,
    /// With `person`: the credit's category.
    pub role: Option<RoleCategory>,
    /// A theme the film is catalogued with (compared normalised).
    pub theme: Option<String>,
}

/// The editorial side's reads: accounts, publications, essays in every state and their history.
pub trait EditorialRead {
    fn user(&self, name: &str) -> Result<Option<User>>;
    /// The argon2id hash to verify a log-in against.
    fn password_hash(&self, name: &str) -> Result<Option<String>>;
    fn users(&self) -> Result<Vec<User>>;
    /// The user of an unexpired session.
    fn session_user(&self, token_hash: &str) -> Result<Option<User>>;
    fn api_token_user(&self, token_hash: &str) -> Result<Option<User>>;
    fn publication(&self, slug: &str) -> Result<Option<(Publication, Vec<Member>)>>;
    fn publications(&self) -> Result<Vec<Publication>>;
    fn essay_head(&self, slug: &str) -> Result<Option<EssayHead>>;
    /// Essays in any state matching `filter`, most recently changed first.
    fn essay_heads(&self, filter: &EditorialFilter) -> Result<Vec<EssayHead>>;
    /// Every revision, oldest first.
    fn revisions(&self, slug: &str) -> Result<Vec<Revision>>;
    fn overrides(&self, slug: &str) -> Result<Vec<Override>>;
    fn corrections(&self, slug: &str) -> Result<Vec<Correction>>;
    /// The newest entries first; `object` narrows to one essay (`essay:SLUG`) or user.
    fn audit_log(&self, object: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>>;
    fn setting(&self, key: &str) -> Result<Option<String>>;
}

/// The editorial side's writes, all within one transaction (see [`Store::edit`]).
pub trait EditorialWrite {
    /// Adds an account; a taken name is [`Error::Taken`].
    fn create_user(&mut self, user: &NewUser) -> Result<User>;
    fn set_password(&mut self, user: i64, hash: &str) -> Result<()>;
    fn set_role(&mut self, user: i64, role: Role) -> Result<()>;
    fn create_session(&mut self, user: i64, token_hash: &str, days: u32) -> Result<()>;
    fn delete_session(&mut self, token_hash: &str) -> Result<()>;
    /// Ends every session of a user (after a password change), but `keep`.
    fn delete_sessions_of(&mut self, user: i64, keep: Option<&str>) -> Result<()>;
    fn create_api_token(&mut self, user: i64, name: &str, token_hash: &str) -> Result<()>;
    fn put_publication(&mut self, publication: &Publication) -> Result<Outcome>;
    fn add_member(&mut self, publication: &str, user: i64, role: Role) -> Result<()>;
    /// Creates an empty draft under `slug`, or under `slug-2`, `slug-3`… when it is taken;
    /// returns the slug given.
    fn create_essay(
        &mut self,
        slug: &str,
        author: Option<i64>,
        author_name: &str,
        publication: Option<&str>,
    ) -> Result<String>;
    /// Saves a revision and makes it the essay's current text; returns its number.
    fn add_revision(&mut self, slug: &str, revision: &NewRevision) -> Result<u32>;
    /// Moves the essay to `state`; the first publication sets its publication date.
    fn set_state(&mut self, slug: &str, state: EssayState) -> Result<()>;
    /// Dates an essay's publication: an archive essay keeps the day it first appeared.
    fn set_published_date(&mut self, slug: &str, date: NaiveDate) -> Result<()>;
    fn add_override(&mut self, slug: &str, claim: &ClaimKey, reason: &str, by: i64) -> Result<()>;
    fn add_correction(&mut self, slug: &str, revision: u32, note: &str, by: i64) -> Result<()>;
    fn audit(&mut self, actor: Option<i64>, action: &str, object: &str, detail: &str)
    -> Result<()>;
    fn set_setting(&mut self, key: &str, value: &str) -> Result<()>;
}

/// Which of a user's films to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FilmStateFilter {
    All,
    Watched,
    Rated,
    Liked,
    Watchlist,
}

/// The diary's reads. Whatever belongs to someone else comes back only if `viewer` may see it
/// ([`kinograph_diary::can_see`]); a private rating or like is blanked for others.
pub trait DiaryRead {
    fn viewings(&self, query: &ViewingQuery) -> Result<Vec<Viewing>>;
    fn viewing(&self, id: i64, viewer: Option<i64>) -> Result<Option<Viewing>>;
    /// The years `owner` has viewings in that `viewer` may see, newest first.
    fn viewing_years(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<i32>>;
    /// A user's own state for one film (for their own pages and forms).
    fn film_state(&self, user: i64, film: &str) -> Result<Option<FilmState>>;
    fn film_states(
        &self,
        owner: i64,
        viewer: Option<i64>,
        which: FilmStateFilter,
    ) -> Result<Vec<FilmState>>;
    /// The instance's public ratings of a film.
    fn film_ratings(&self, film: &str) -> Result<FilmRatings>;
    /// Lists newest first, of one owner or everyone's.
    fn lists(
        &self,
        owner: Option<&str>,
        viewer: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ListSummary>>;
    fn list(&self, owner: &str, slug: &str, viewer: Option<i64>) -> Result<Option<DiaryList>>;
    fn following(&self, user: i64) -> Result<Vec<User>>;
    fn followers(&self, user: i64) -> Result<Vec<User>>;
    fn is_following(&self, follower: i64, followed: i64) -> Result<bool>;
    /// Which of `films` (ids) the user has seen.
    fn seen_films(&self, user: i64, films: &[String]) -> Result<HashSet<String>>;
    /// What the stats need of each viewing of `owner` that `viewer` may see.
    fn stats_viewings(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<StatsViewing>>;
    fn watchlist_autoremove(&self, user: i64) -> Result<bool>;
    fn likes_viewing(&self, user: i64, viewing: i64) -> Result<bool>;
    fn likes_list(&self, user: i64, list: i64) -> Result<bool>;
}

/// The diary's writes, all within one transaction (see [`Store::diary`]). Each changes only
/// what belongs to `user`.
pub trait DiaryWrite {
    /// Adds a viewing, unless the user has one with its key: then returns that one, unchanged.
    fn add_viewing(&mut self, user: i64, viewing: &NewViewing) -> Result<(i64, Outcome)>;
    fn update_viewing(&mut self, user: i64, id: i64, viewing: &NewViewing) -> Result<()>;
    fn delete_viewing(&mut self, user: i64, id: i64) -> Result<()>;
    /// Marks a film seen; the earliest known day is kept.
    fn mark_watched(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome>;
    fn unmark_watched(&mut self, user: i64, film: &str) -> Result<Outcome>;
    fn set_rating(
        &mut self,
        user: i64,
        film: &str,
        rating: Option<Rating>,
        on: NaiveDate,
        private: bool,
    ) -> Result<Outcome>;
    /// Likes a film from `on`, or unlikes it with `None` (a like keeps its first day).
    fn set_liked(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome>;
    fn set_watchlisted(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome>;
    fn set_watchlist_autoremove(&mut self, user: i64, on: bool) -> Result<()>;
    /// Creates the list `slug`, or replaces its contents.
    fn put_list(&mut self, user: i64, slug: &str, list: &NewList) -> Result<(i64, Outcome)>;
    fn delete_list(&mut self, user: i64, slug: &str) -> Result<()>;
    fn follow(&mut self, follower: i64, followed: i64, on: bool) -> Result<Outcome>;
    fn like_viewing(&mut self, user: i64, viewing: i64, on: bool) -> Result<Outcome>;
    fn like_list(&mut self, user: i64, list: i64, on: bool) -> Result<Outcome>;
}

/// A storage engine behind [`Store`].
pub trait Backend: CatalogRead + EditorialRead + DiaryRead + Send {
    /// Runs `batch` in one transaction: committed if it returns `Ok`, rolled back otherwise.
    fn write_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn CatalogWrite) -> Result<()>,
    ) -> Result<()>;
    /// Runs `batch` of editorial writes in one transaction.
    fn edit_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn EditorialWrite) -> Result<()>,
    ) -> Result<()>;
    /// Runs `batch` of diary writes in one transaction.
    fn diary_batch(
        &mut self,
        batch: &mut dyn FnMut(&mut dyn DiaryWrite) -> Result<()>,
    ) -> Result<()>;
    /// For a bulk load: drops the secondary indexes that are cheaper to build once at its end
    /// than to keep up row by row. Lookups by id stay indexed; reads stay correct, only slower.
    fn defer_indexes(&mut self) -> Result<()>;
    /// Builds the indexes [`Backend::defer_indexes`] dropped. Opening a store does it too, so an
    /// interrupted load cannot leave them missing.
    fn restore_indexes(&mut self) -> Result<()>;
    /// The version of the schema the database is at.
    fn schema_version(&self) -> Result<u32>;
    /// Claims `job` for this connection until it closes, or answers `false` when another
    /// connection holds it.
    fn try_claim(&mut self, job: Job) -> Result<bool>;
    /// Writes a consistent copy of everything the store holds to the new file `dest` while
    /// others go on reading and writing; returns its size in bytes.
    fn backup_to(&self, dest: &Path) -> Result<u64>;
    /// Replaces everything the store holds with the backup at `source`, once it is checked.
    fn restore_from(&mut self, source: &Path) -> Result<()>;
}

/// Work that must not run twice at once on one instance, whichever node starts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// A catalog import (IMDb files, the Academy Awards data, a curated catalog, the demo).
    Import,
}

impl Job {
    pub fn as_str(self) -> &'static str {
        match self {
            Job::Import => "an import",
        }
    }
}

/// Whether opening a store may create it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    /// Create the data folder and the database if they are missing (imports, `demo`).
    CreateIfMissing,
    /// The catalog must already exist (queries): a missing one is an error that says so.
    ExistingOnly,
}

/// Where an instance keeps its store: the embedded SQLite database in its data folder, or a
/// PostgreSQL database that several nodes share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// The data folder holding [`SQLITE_FILE`].
    Sqlite(PathBuf),
    /// A `postgres://` URL (or libpq `key=value` string).
    Postgres(String),
}

impl Database {
    /// PostgreSQL when `url` is given, else the SQLite database in `data_dir`.
    pub fn new(data_dir: &Path, url: Option<&str>) -> Database {
        match url {
            Some(url) => Database::Postgres(url.to_string()),
            None => Database::Sqlite(data_dir.to_path_buf()),
        }
    }

    /// Opens a connection to the store. `mode` matters to SQLite only: a PostgreSQL database
    /// is created by its administrator, and Kinograph creates its tables at the first open.
    pub fn open(&self, mode: OpenMode) -> Result<Store> {
        match self {
            Database::Sqlite(dir) => Store::open_sqlite(dir, mode),
            Database::Postgres(url) => Store::open_postgres(url),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Database::Postgres(_))
    }
}

/// The catalog store.
pub struct Store {
    backend: Box<dyn Backend>,
    location: String,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("location", &self.location)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Opens the embedded SQLite store in `data_dir` (see [`SQLITE_FILE`]), migrating its
    /// schema to the current version.
    pub fn open_sqlite(data_dir: &Path, mode: OpenMode) -> Result<Store> {
        let backend = sqlite::SqliteBackend::open(data_dir, mode)?;
        Ok(Store {
            backend: Box::new(backend),
            location: data_dir.join(SQLITE_FILE).display().to_string(),
        })
    }

    /// Opens the PostgreSQL store at `url` (`postgres://user:password@host:port/database`),
    /// migrating its schema to the current version. Several processes (serve nodes, an import)
    /// may open the same database at once.
    pub fn open_postgres(url: &str) -> Result<Store> {
        let backend = postgres::PgBackend::open(url)?;
        let location = backend.location().to_string();
        Ok(Store {
            backend: Box::new(backend),
            location,
        })
    }

    /// A throw-away store in memory, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Ok(Store {
            backend: Box::new(sqlite::SqliteBackend::open_in_memory()?),
            location: ":memory:".into(),
        })
    }

    /// Where the store keeps its data, for messages.
    pub fn location(&self) -> &str {
        &self.location
    }

    /// Runs `batch` as one transaction and returns what it returned. An `Err` from the batch
    /// rolls back every write it made.
    pub fn write<T>(
        &mut self,
        batch: impl FnOnce(&mut dyn CatalogWrite) -> Result<T>,
    ) -> Result<T> {
        let mut batch = Some(batch);
        let mut output = None;
        self.backend.write_batch(&mut |writer| {
            let run = batch.take().ok_or(Error::BatchReused)?;
            output = Some(run(writer)?);
            Ok(())
        })?;
        output.ok_or(Error::BatchReused)
    }

    /// Runs a batch of editorial writes as one transaction, like [`Store::write`].
    pub fn edit<T>(
        &mut self,
        batch: impl FnOnce(&mut dyn EditorialWrite) -> Result<T>,
    ) -> Result<T> {
        let mut batch = Some(batch);
        let mut output = None;
        self.backend.edit_batch(&mut |writer| {
            let run = batch.take().ok_or(Error::BatchReused)?;
            output = Some(run(writer)?);
            Ok(())
        })?;
        output.ok_or(Error::BatchReused)
    }

    /// Runs a batch of diary writes as one transaction, like [`Store::write`].
    pub fn diary<T>(&mut self, batch: impl FnOnce(&mut dyn DiaryWrite) -> Result<T>) -> Result<T> {
        let mut batch = Some(batch);
        let mut output = None;
        self.backend.diary_batch(&mut |writer| {
            let run = batch.take().ok_or(Error::BatchReused)?;
            output = Some(run(writer)?);
            Ok(())
        })?;
        output.ok_or(Error::BatchReused)
    }

    pub fn schema_version(&self) -> Result<u32> {
        self.backend.schema_version()
    }

    /// Claims `job` for as long as this store is open, so that the same work started on
    /// another node (or by another command) is refused with [`Error::Busy`] meanwhile. On
    /// PostgreSQL it is an advisory lock of the store's connection: released when the store is
    /// dropped, or by the server when the connection is lost, however the process ends. The embedded SQLite serves one machine, whose write transactions already
    /// take turns: there it claims nothing.
    pub fn claim(&mut self, job: Job) -> Result<()> {
        if self.backend.try_claim(job)? {
            Ok(())
        } else {
            Err(Error::Busy(format!(
                "{} into {} is already running (started by another command or node): wait for it \
                 to finish",
                job.as_str(),
                self.location
            )))
        }
    }

    /// Writes a consistent snapshot of everything the store holds (catalog, essays, accounts,
    /// diaries) to the new file `dest`, which must not exist; servers and imports go on
    /// meanwhile. The search index is not in it: it is rebuilt from the store. Returns the
    /// backup's size in bytes.
    pub fn backup_to(&self, dest: &Path) -> Result<u64> {
        self.backend.backup_to(dest)
    }

    /// Replaces everything the store holds with the backup at `source` (a file
    /// [`Store::backup_to`] wrote), after checking that it is one. Nothing changes when the
    /// check fails. Search indexes following the store rebuild at their next sync.
    pub fn restore_from(&mut self, source: &Path) -> Result<()> {
        self.backend.restore_from(source)
    }

    /// Runs `load` (a bulk import's writes, in as many transactions as it likes) with the
    /// store's secondary indexes dropped, and builds them again once after it, whether it
    /// succeeded or not. See [`Backend::defer_indexes`].
    pub fn with_deferred_indexes<T, E: From<Error>>(
        &mut self,
        load: impl FnOnce(&mut Store) -> std::result::Result<T, E>,
    ) -> std::result::Result<T, E> {
        self.backend.defer_indexes()?;
        let loaded = load(self);
        let restored = self.backend.restore_indexes();
        let output = loaded?;
        restored?;
        Ok(output)
    }
}

impl DiaryRead for Store {
    fn viewings(&self, query: &ViewingQuery) -> Result<Vec<Viewing>> {
        self.backend.viewings(query)
    }
    fn viewing(&self, id: i64, viewer: Option<i64>) -> Result<Option<Viewing>> {
        self.backend.viewing(id, viewer)
    }
    fn viewing_years(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<i32>> {
        self.backend.viewing_years(owner, viewer)
    }
    fn film_state(&self, user: i64, film: &str) -> Result<Option<FilmState>> {
        self.backend.film_state(user, film)
    }
    fn film_states(
        &self,
        owner: i64,
        viewer: Option<i64>,
        which: FilmStateFilter,
    ) -> Result<Vec<FilmState>> {
        self.backend.film_states(owner, viewer, which)
    }
    fn film_ratings(&self, film: &str) -> Result<FilmRatings> {
        self.backend.film_ratings(film)
    }
    fn lists(
        &self,
        owner: Option<&str>,
        viewer: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ListSummary>> {
        self.backend.lists(owner, viewer, limit)
    }
    fn list(&self, owner: &str, slug: &str, viewer: Option<i64>) -> Result<Option<DiaryList>> {
        self.backend.list(owner, slug, viewer)
    }
    fn following(&self, user: i64) -> Result<Vec<User>> {
        self.backend.following(user)
    }
    fn followers(&self, user: i64) -> Result<Vec<User>> {
        self.backend.followers(user)
    }
    fn is_following(&self, follower: i64, followed: i64) -> Result<bool> {
        self.backend.is_following(follower, followed)
    }
    fn seen_films(&self, user: i64, films: &[String]) -> Result<HashSet<String>> {
        self.backend.seen_films(user, films)
    }
    fn stats_viewings(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<StatsViewing>> {
        self.backend.stats_viewings(owner, viewer)
    }
    fn watchlist_autoremove(&self, user: i64) -> Result<bool> {
        self.backend.watchlist_autoremove(user)
    }
    fn likes_viewing(&self, user: i64, viewing: i64) -> Result<bool> {
        self.backend.likes_viewing(user, viewing)
    }
    fn likes_list(&self, user: i64, list: i64) -> Result<bool> {
        self.backend.likes_list(user, list)
    }
}

impl EditorialRead for Store {
    fn user(&self, name: &str) -> Result<Option<User>> {
        self.backend.user(name)
    }
    fn password_hash(&self, name: &str) -> Result<Option<String>> {
        self.backend.password_hash(name)
    }
    fn users(&self) -> Result<Vec<User>> {
        self.backend.users()
    }
    fn session_user(&self, token_hash: &str) -> Result<Option<User>> {
        self.backend.session_user(token_hash)
    }
    fn api_token_user(&self, token_hash: &str) -> Result<Option<User>> {
        self.backend.api_token_user(token_hash)
    }
    fn publication(&self, slug: &str) -> Result<Option<(Publication, Vec<Member>)>> {
        self.backend.publication(slug)
    }
    fn publications(&self) -> Result<Vec<Publication>> {
        self.backend.publications()
    }
    fn essay_head(&self, slug: &str) -> Result<Option<EssayHead>> {
        self.backend.essay_head(slug)
    }
    fn essay_heads(&self, filter: &EditorialFilter) -> Result<Vec<EssayHead>> {
        self.backend.essay_heads(filter)
    }
    fn revisions(&self, slug: &str) -> Result<Vec<Revision>> {
        self.backend.revisions(slug)
    }
    fn overrides(&self, slug: &str) -> Result<Vec<Override>> {
        self.backend.overrides(slug)
    }
    fn corrections(&self, slug: &str) -> Result<Vec<Correction>> {
        self.backend.corrections(slug)
    }
    fn audit_log(&self, object: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
        self.backend.audit_log(object, limit)
    }
    fn setting(&self, key: &str) -> Result<Option<String>> {
        self.backend.setting(key)
    }
}

impl CatalogRead for Store {
    fn film(&self, id: &str) -> Result<Option<FilmDetails>> {
        self.backend.film(id)
    }
    fn find_films(&self, title: &str, year: Option<i32>, limit: u32) -> Result<Vec<FilmSummary>> {
        self.backend.find_films(title, year, limit)
    }
    fn person(&self, id: &str) -> Result<Option<PersonDetails>> {
        self.backend.person(id)
    }
    fn find_people(&self, name: &str, limit: u32) -> Result<Vec<PersonSummary>> {
        self.backend.find_people(name, limit)
    }
    fn ceremony(&self, body: &str, ordinal: u32) -> Result<Option<CeremonyResults>> {
        self.backend.ceremony(body, ordinal)
    }
    fn award_records(&self, body: &str, depth: u32) -> Result<Vec<AwardRecord>> {
        self.backend.award_records(body, depth)
    }
    fn ceremony_info(&self, body: &str, ordinal: u32) -> Result<Option<Ceremony>> {
        self.backend.ceremony_info(body, ordinal)
    }
    fn award_record(&self, body: &str, kind: RecordKind, depth: u32) -> Result<Vec<AwardRecord>> {
        self.backend.award_record(body, kind, depth)
    }
    fn films(&self, filter: &FilmFilter) -> Result<Vec<FilmSummary>> {
        self.backend.films(filter)
    }
    fn search_changes(&self, after: u64, limit: u32) -> Result<SearchChanges> {
        self.backend.search_changes(after, limit)
    }
    fn search_entry(&self, kind: EntityKind, id: &str) -> Result<Option<SearchEntry>> {
        self.backend.search_entry(kind, id)
    }
    fn search_entries(&self, kind: EntityKind, ids: &[String]) -> Result<Vec<SearchEntry>> {
        self.backend.search_entries(kind, ids)
    }
    fn search_entry_page(
        &self,
        kind: EntityKind,
        after: u64,
        limit: u32,
    ) -> Result<SearchEntryPage> {
        self.backend.search_entry_page(kind, after, limit)
    }
    fn search_log_head(&self) -> Result<u64> {
        self.backend.search_log_head()
    }
    fn name_entries(&self, visit: &mut dyn FnMut(NameEntry)) -> Result<()> {
        self.backend.name_entries(visit)
    }
    fn name_entries_admitted(
        &self,
        admit: &dyn Fn(NamedKind, &str, &[String]) -> bool,
        visit: &mut dyn FnMut(NameEntry),
    ) -> Result<()> {
        self.backend.name_entries_admitted(admit, visit)
    }
    fn themes(&self) -> Result<Vec<String>> {
        self.backend.themes()
    }
    fn counts(&self) -> Result<CatalogCounts> {
        self.backend.counts()
    }
    fn ceremonies(&self, body: &str) -> Result<Vec<Ceremony>> {
        self.backend.ceremonies(body)
    }
    fn categories(&self, body: &str) -> Result<Vec<Category>> {
        self.backend.categories(body)
    }
    fn category_history(&self, body: &str, slug: &str) -> Result<Option<CategoryHistory>> {
        self.backend.category_history(body, slug)
    }
    fn essay(&self, slug: &str) -> Result<Option<EssayRecord>> {
        self.backend.essay(slug)
    }
    fn essays(&self, filter: &EssayFilter) -> Result<Vec<EssaySummary>> {
        self.backend.essays(filter)
    }
}
