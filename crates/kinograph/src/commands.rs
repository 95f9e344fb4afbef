//! One function per command: open what it needs, call the libraries, print.

use std::fs::File;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use kinograph_catalog::{FilmDetails, Outcome, PersonDetails, RoleCategory};
use kinograph_datagen::{ImdbFile, ImdbSpec};
use kinograph_import::{
    DEMO_CATALOG, DEMO_DATASET, Rejection, Summary, curated, diary, essay, oscars,
};
use kinograph_publishing::{NewUser, Publication, Role, User};
use kinograph_search::{SearchIndex, SearchQuery};
use kinograph_store::{CatalogRead, Database, EditorialRead, FilmFilter, Job, OpenMode, Store};
use serde::Serialize;

use crate::progress::Bar;
use crate::{
    AwardsCommand, Cli, Command, ExportCommand, Format, GenCommand, ImportCommand,
    PublicationCommand, UserCommand, render,
};

/// Rejected rows printed before the rest are only counted.
const REJECTIONS_SHOWN: usize = 50;

/// Where this run's instance keeps things: the data folder (the search index, and the embedded
/// database unless `database` names PostgreSQL) and the store.
pub struct Instance {
    pub data: PathBuf,
    pub database: Database,
}

pub fn run(cli: Cli) -> Result<ExitCode> {
    let data = match cli.command {
        // Generating data needs no data folder (nor a home to find one in).
        Command::Gen(_) => PathBuf::new(),
        _ => data_dir(cli.data)?,
    };
    let database = Database::new(&data, cli.database_url.as_deref());
    let at = Instance { data, database };
    match cli.command {
        Command::Import(ImportCommand::Oscars { file }) => import_oscars(&at, &file),
        Command::Import(ImportCommand::Imdb { dir }) => import_imdb(&at, &dir),
        Command::Import(ImportCommand::Catalog { file }) => import_catalog(&at, &file),
        Command::Import(ImportCommand::Essay {
            file,
            publication,
            author,
            publish,
        }) => import_essay(&at, &file, &publication, &author, publish),
        Command::Import(ImportCommand::Letterboxd { path, user }) => {
            import_letterboxd(&at, &path, &user)
        }
        Command::Import(ImportCommand::Archive { file, user }) => import_archive(&at, &file, &user),
        Command::Import(ImportCommand::Movielens { dir }) => import_movielens(&at, &dir),
        Command::Export(ExportCommand::Letterboxd { user, out }) => {
            export_letterboxd(&at, &user, &out)
        }
        Command::Export(ExportCommand::Archive { user, out }) => export_archive(&at, &user, &out),
        Command::Demo { oscars } => demo(&at, oscars.as_deref()),
        Command::Serve {
            addr,
            demo: with_demo,
            oscars,
            base_url,
            log_json,
            trust_forwarded_for,
            login_per_minute,
            writes_per_minute,
            checker_max_entities,
        } => {
            crate::serve::init_logging(log_json);
            if with_demo {
                demo(&at, oscars.as_deref())?;
            }
            let per_minute = |n: u32| (n > 0).then(|| kinograph_web::Rate::per_minute(n));
            let limits = kinograph_web::Limits {
                login: per_minute(login_per_minute),
                writes: per_minute(writes_per_minute),
                trust_forwarded_for,
                shared_checker_max_entities: checker_max_entities,
                ..kinograph_web::Limits::default()
            };
            crate::serve::run(&at, addr, base_url, limits)
        }
        Command::Film { query, year, json } => film(&at, &query, year, json),
        Command::Person { query, json } => person(&at, &query, json),
        Command::Films {
            person,
            role,
            theme,
            json,
        } => films(&at, person.as_deref(), role, theme, json),
        Command::Awards(AwardsCommand::Records { depth, json }) => records(&at, depth, json),
        Command::Awards(AwardsCommand::Ceremony { number, body, json }) => {
            ceremony(&at, &body, number, json)
        }
        Command::Status { json } => status(&at, json),
        Command::Check { file, format } => check(&at, &file, format),
        Command::Search {
            query,
            kinds,
            year,
            genre,
            limit,
            prefix,
            json,
        } => {
            let query = SearchQuery {
                text: query,
                kinds,
                years: year,
                genre,
                limit,
                prefix,
            };
            search(&at, &query, json)
        }
        Command::Reindex => reindex(&at),
        Command::Backup { file } => backup(&at, &file),
        Command::Restore { file, replace } => restore(&at, &file, replace),
        Command::Migrate { to } => migrate(&at, &to),
        Command::User(UserCommand::Add {
            name,
            role,
            display_name,
            password_stdin,
        }) => user_add(
            &at,
            &name,
            role.into(),
            display_name.as_deref(),
            password_stdin,
        ),
        Command::User(UserCommand::Role { name, role }) => user_role(&at, &name, role.into()),
        Command::User(UserCommand::List { json }) => user_list(&at, json),
        Command::Publication(PublicationCommand::Add {
            slug,
            name,
            description,
            links,
        }) => publication_add(&at, &slug, &name, description, links),
        Command::Publication(PublicationCommand::Member { slug, user, role }) => {
            publication_member(&at, &slug, &user, role.into())
        }
        Command::Gen(GenCommand::Imdb {
            titles,
            out,
            seed,
            gzip,
        }) => generate_imdb(&ImdbSpec { titles, seed, gzip }, &out),
    }
}

fn data_dir(given: Option<PathBuf>) -> Result<PathBuf> {
    match given {
        Some(dir) => Ok(dir),
        None => match dirs::data_dir() {
            Some(base) => Ok(base.join("kinograph")),
            None => bail!(
                "cannot find a per-user data folder on this system: pass --data DIR or set KINOGRAPH_DATA"
            ),
        },
    }
}

fn open(at: &Instance, mode: OpenMode) -> Result<Store> {
    // SQLite refuses a data folder that is not a folder when it opens; on PostgreSQL the folder
    // still holds the search index, so it is refused here, before anything is written.
    if at.database.is_postgres() && std::fs::metadata(&at.data).is_ok_and(|m| !m.is_dir()) {
        return Err(kinograph_store::Error::DataDir {
            path: at.data.clone(),
            source: std::io::Error::other("not a folder"),
        }
        .into());
    }
    Ok(at.database.open(mode)?)
}

/// Opens the store for a catalog import, claimed so that no other import runs into the same
/// database at once (from another node or terminal).
fn open_to_import(at: &Instance) -> Result<Store> {
    let mut store = open(at, OpenMode::CreateIfMissing)?;
    store.claim(Job::Import)?;
    Ok(store)
}

/// Whether opening the store will create the embedded database (so a refused first load can
/// take it away again); never for PostgreSQL.
fn creates_database(at: &Instance) -> bool {
    match &at.database {
        Database::Sqlite(dir) => !dir.join(kinograph_store::SQLITE_FILE).exists(),
        Database::Postgres(_) => false,
    }
}

/// Brings the search index up to date with the store: every write command ends with this, so
/// what it wrote is searchable when it returns. `announce` adds a line to a write command's
/// summary; a query syncs silently (its stdout may be JSON a program is reading).
fn sync_search(at: &Instance, store: &Store, announce: bool) -> Result<SearchIndex> {
    let index = SearchIndex::open(&at.data)?;
    let report = kinograph_search::sync(store, &index)?;
    if announce && report.entities > 0 {
        println!("search index: {} films and people updated", report.entities);
    }
    Ok(index)
}

fn print_json(value: &impl Serialize) -> Result<()> {
    println!("{}", serde_json::to_string_pretty(value)?);
    Ok(())
}

fn report(summary: &Summary) {
    println!("{summary}");
    let file = &summary.dataset;
    for rejection in summary.rejected.iter().take(REJECTIONS_SHOWN) {
        eprintln!("{file}:{}: rejected: {}", rejection.line, rejection.message);
    }
    if summary.rejected.len() > REJECTIONS_SHOWN {
        eprintln!(
            "… and {} more rejected rows",
            summary.rejected.len() - REJECTIONS_SHOWN
        );
    }
}

fn import_oscars(at: &Instance, path: &Path) -> Result<ExitCode> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let size = file.metadata().ok().map(|m| m.len());
    let dataset = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    // The header is checked before the store is opened: a file in another format changes nothing.
    let reader = oscars::Reader::new(BufReader::new(file), dataset)?;
    let mut store = open_to_import(at)?;
    let summary = oscars::import(&mut store, reader, &mut Bar::new("oscars"), size)?;
    report(&summary);
    sync_search(at, &store, true)?;
    Ok(ExitCode::SUCCESS)
}

/// `import imdb DIR`: every IMDb file there, a progress bar each, then a line per file (rows,
/// rate, what its writes did, the first rejected rows), then the search index brought up to
/// date. A file that cannot be read is reported and the others imported; the exit status is
/// then 2.
fn import_imdb(at: &Instance, dir: &Path) -> Result<ExitCode> {
    // Which files are there is checked before the store is opened.
    kinograph_import::imdb::find_files(dir)?;
    let mut store = open_to_import(at)?;
    let report = kinograph_import::imdb::import(&mut store, dir, &mut |file| {
        Box::new(Bar::new(file.file_name()))
    })?;
    for file in &report.files {
        let tallies: Vec<String> = file
            .summary
            .tallies
            .iter()
            .map(|(kind, tally)| format!("{kind}: {tally}"))
            .collect();
        println!(
            "{}: {} rows in {:.1}s ({:.0} rows/s); {}; {} rejected",
            file.file.file_name(),
            file.rows,
            file.elapsed.as_secs_f64(),
            file.rows_per_second(),
            if tallies.is_empty() {
                "nothing written".to_string()
            } else {
                tallies.join(", ")
            },
            file.rejected_count
        );
        for rejection in file.summary.rejected.iter().take(REJECTIONS_SHOWN) {
            eprintln!("rejected: {}", rejection.message);
        }
        if file.rejected_count > REJECTIONS_SHOWN as u64 {
            eprintln!(
                "… and {} more rejected rows of {}",
                file.rejected_count - REJECTIONS_SHOWN as u64,
                file.file.file_name()
            );
        }
        if let Some(error) = &file.error {
            eprintln!("error: {}: {error}", file.path.display());
        }
    }
    sync_search(at, &store, true)?;
    Ok(if report.errors().next().is_some() {
        ExitCode::from(2)
    } else {
        ExitCode::SUCCESS
    })
}

fn import_catalog(at: &Instance, path: &Path) -> Result<ExitCode> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })?;
    let catalog = curated::parse(&text, &path.display().to_string())?;
    let fresh = creates_database(at);
    let mut store = open_to_import(at)?;
    match catalog.import(&mut store) {
        Ok(summary) => {
            report(&summary);
            sync_search(at, &store, true)?;
        }
        Err(error) => {
            // The refused catalog wrote nothing; a database made just for it goes too.
            drop(store);
            if fresh {
                remove_new_database(at);
            }
            return Err(error.into());
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn remove_new_database(at: &Instance) {
    let Database::Sqlite(dir) = &at.database else {
        return;
    };
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("{}{suffix}", kinograph_store::SQLITE_FILE)));
    }
    // Only succeeds when the folder is empty, that is when this run made it.
    let _ = std::fs::remove_dir(dir);
}

/// Where the Academy Awards data is looked for when `demo` is not told: beside a checkout of
/// the project (`../shared/data`) and in the working folder.
const OSCARS_CANDIDATES: &[&str] = &["../shared/data/oscars/oscars.csv", "data/oscars/oscars.csv"];

fn demo(at: &Instance, oscars: Option<&Path>) -> Result<ExitCode> {
    // A file given but missing is refused before anything is written.
    if let Some(path) = oscars {
        File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    }
    let catalog = curated::parse(DEMO_CATALOG, DEMO_DATASET)?;
    let mut store = open_to_import(at)?;
    report(&catalog.import(&mut store)?);
    let found = oscars.map(Path::to_path_buf).or_else(|| {
        OSCARS_CANDIDATES
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
    });
    match found {
        Some(path) => {
            drop(store);
            import_oscars(at, &path)?;
            store = open(at, OpenMode::ExistingOnly)?;
        }
        None => println!(
            "no Academy Awards data found (looked for {}); pass --oscars FILE to add it",
            OSCARS_CANDIDATES.join(", ")
        ),
    }
    // Essays last: they are linked to whatever the catalog holds by now.
    let tally = essay::load_demo(&mut store)?;
    println!("kinograph-demo/essays: {tally}");
    let added = kinograph_import::diary::load_demo_readers(&mut store)?;
    println!("kinograph-demo/readers: {added} diary rows added or changed");
    sync_search(at, &store, true)?;
    println!(
        "demo world loaded into {}; try `kinograph film Anora` or `kinograph serve`",
        store.location()
    );
    Ok(ExitCode::SUCCESS)
}

/// A film by id, else the most-nominated of those whose title matches (the others are listed on
/// stderr).
fn resolve_film(store: &Store, query: &str, year: Option<i32>) -> Result<Option<FilmDetails>> {
    if let Some(details) = store.film(query)? {
        return Ok(Some(details));
    }
    let matches = store.find_films(query, year, 10)?;
    let Some(best) = matches.first() else {
        return Ok(None);
    };
    if matches.len() > 1 {
        eprintln!(
            "{} films match {query:?}; showing the most nominated. Others:",
            matches.len()
        );
        for other in &matches[1..] {
            eprintln!("  {}", render::film_summary(other));
        }
    }
    Ok(store.film(&best.id)?)
}

fn film(at: &Instance, query: &str, year: Option<i32>, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let Some(details) = resolve_film(&store, query, year)? else {
        eprintln!("no film matches {query:?}");
        return Ok(ExitCode::from(1));
    };
    if json {
        print_json(&kinograph_wire::Film::from(&details))?;
    } else {
        print!("{}", render::film(&details));
    }
    Ok(ExitCode::SUCCESS)
}

/// A person by id, else the most-nominated of those whose name matches (the others are listed
/// on stderr).
fn resolve_person(store: &Store, query: &str) -> Result<Option<PersonDetails>> {
    if let Some(details) = store.person(query)? {
        return Ok(Some(details));
    }
    let matches = store.find_people(query, 10)?;
    let Some(best) = matches.first() else {
        return Ok(None);
    };
    if matches.len() > 1 {
        eprintln!(
            "{} people match {query:?}; showing the most nominated. Others:",
            matches.len()
        );
        for other in &matches[1..] {
            eprintln!("  {}", render::person_summary(other));
        }
    }
    Ok(store.person(&best.id)?)
}

fn person(at: &Instance, query: &str, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let Some(details) = resolve_person(&store, query)? else {
        eprintln!("no person matches {query:?}");
        return Ok(ExitCode::from(1));
    };
    if json {
        print_json(&kinograph_wire::Person::from(&details))?;
    } else {
        print!("{}", render::person(&details));
    }
    Ok(ExitCode::SUCCESS)
}

fn films(
    at: &Instance,
    person: Option<&str>,
    role: Option<RoleCategory>,
    theme: Option<String>,
    json: bool,
) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let person = match person {
        None => None,
        Some(query) => match resolve_person(&store, query)? {
            Some(found) => Some(found),
            None => {
                eprintln!("no person matches {query:?}");
                return Ok(ExitCode::from(1));
            }
        },
    };
    let filter = FilmFilter {
        person: person.as_ref().map(|p| p.id.clone()),
        role,
        theme,
    };
    let films = store.films(&filter)?;
    if json {
        print_json(&kinograph_wire::FilmList::from(films.as_slice()))?;
    } else {
        print!(
            "{}",
            render::film_list(&films, person.as_ref().map(|p| p.name.as_str()), &filter)
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn search(at: &Instance, query: &SearchQuery, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    // Catches up on writes a crashed command did not index.
    let index = sync_search(at, &store, false)?;
    let results = index.search(query)?;
    if json {
        print_json(&kinograph_wire::SearchResults::from(&results))?;
    } else {
        print!("{}", render::search(&results));
    }
    Ok(if results.hits.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn reindex(at: &Instance) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let index = SearchIndex::open(&at.data)?;
    let report = kinograph_search::rebuild(&store, &index)?;
    println!(
        "search index rebuilt: {} films and people, {} documents",
        report.entities,
        index.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn migrate(at: &Instance, url: &str) -> Result<ExitCode> {
    let Database::Sqlite(data) = &at.database else {
        bail!(
            "`kinograph migrate` copies the embedded SQLite database of the data folder: leave out \
             --database-url (and KINOGRAPH_DATABASE_URL) and pass the target with --to"
        );
    };
    if !data.join(kinograph_store::SQLITE_FILE).exists() {
        bail!(
            "no Kinograph catalog in {}: nothing to migrate",
            data.display()
        );
    }
    let started = std::time::Instant::now();
    let copies = kinograph_store::copy_to_postgres(data, url, &mut |table, rows| {
        println!("{table:<22} {rows:>12} rows");
    })?;
    let rows: u64 = copies.iter().map(|c| c.copied_rows).sum();
    println!(
        "copied {} tables, {rows} rows, in {:.1} s; every table's count matches. Serve it with \
         `kinograph serve --database-url URL` (each node builds its own search index).",
        copies.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(ExitCode::SUCCESS)
}

fn backup(at: &Instance, file: &Path) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let bytes = store.backup_to(file)?;
    let counts = store.counts()?;
    println!(
        "backed up {} to {} ({:.1} MB): {} films, {} people, {} nominations, with essays, accounts and diaries",
        store.location(),
        file.display(),
        bytes as f64 / 1e6,
        counts.films,
        counts.people,
        counts.nominations
    );
    Ok(ExitCode::SUCCESS)
}

fn restore(at: &Instance, file: &Path, replace: bool) -> Result<ExitCode> {
    let Database::Sqlite(data) = &at.database else {
        bail!(
            "`kinograph restore` restores the embedded SQLite database; restore PostgreSQL with \
             pg_restore (see the README's deployment guide)"
        );
    };
    let database = data.join(kinograph_store::SQLITE_FILE);
    let fresh = !database.exists();
    if !fresh && !replace {
        anyhow::bail!(
            "{} already holds a catalog: pass --replace to replace everything in it with {}",
            data.display(),
            file.display()
        );
    }
    let folder_existed = data.exists();
    let mut store = open(at, OpenMode::CreateIfMissing)?;
    if let Err(e) = store.restore_from(file) {
        if fresh {
            // Leave no empty catalog behind: a query would then find "a catalog" there.
            drop(store);
            for suffix in ["", "-wal", "-shm"] {
                let mut name = database.clone().into_os_string();
                name.push(suffix);
                let _ = std::fs::remove_file(name);
            }
            if !folder_existed {
                let _ = std::fs::remove_dir(data);
            }
        }
        return Err(e.into());
    }
    let counts = store.counts()?;
    println!(
        "restored {} into {}: {} films, {} people, {} nominations",
        file.display(),
        store.location(),
        counts.films,
        counts.people,
        counts.nominations
    );
    // The restore logged a rebuild: this sync is one.
    let index = SearchIndex::open(&at.data)?;
    kinograph_search::sync(&store, &index)?;
    println!("search index rebuilt: {} documents", index.len());
    Ok(ExitCode::SUCCESS)
}

fn records(at: &Instance, depth: u32, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let records = store.award_records(oscars::BODY_ID, depth.max(1))?;
    if records.is_empty() {
        eprintln!(
            "no award records yet: import the Academy Awards data with `kinograph import oscars FILE`"
        );
    }
    if json {
        print_json(&kinograph_wire::Records::from(records.as_slice()))?;
    } else {
        print!("{}", render::records(&records));
    }
    Ok(ExitCode::SUCCESS)
}

fn ceremony(at: &Instance, body: &str, number: u32, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let Some(results) = store.ceremony(body, number)? else {
        eprintln!("no ceremony {number} of {body:?} in the catalog");
        return Ok(ExitCode::from(1));
    };
    if json {
        print_json(&kinograph_wire::Ceremony::from(&results))?;
    } else {
        print!("{}", render::ceremony(&results));
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct Status {
    data: String,
    database: String,
    schema_version: u32,
    films: u64,
    people: u64,
    companies: u64,
    credits: u64,
    ceremonies: u64,
    nominations: u64,
}

fn status(at: &Instance, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let counts = store.counts()?;
    let status = Status {
        data: at.data.display().to_string(),
        database: store.location().to_string(),
        schema_version: store.schema_version()?,
        films: counts.films,
        people: counts.people,
        companies: counts.companies,
        credits: counts.credits,
        ceremonies: counts.ceremonies,
        nominations: counts.nominations,
    };
    if json {
        print_json(&status)?;
    } else {
        println!("data folder:    {}", status.data);
        println!(
            "database:       {} (schema version {})",
            status.database, status.schema_version
        );
        println!(
            "catalog:        {} films, {} people, {} companies, {} credits",
            status.films, status.people, status.companies, status.credits
        );
        println!(
            "awards:         {} ceremonies, {} nominations",
            status.ceremonies, status.nominations
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Reads the essay at `path` (`-`: standard input), which must be UTF-8 text.
fn read_essay(path: &Path) -> Result<String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    let shown = if path == Path::new("-") {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read the essay from standard input")?;
        "standard input".to_string()
    } else {
        bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the essay {}", path.display()))?;
        path.display().to_string()
    };
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        anyhow::anyhow!("{shown}:{line}: the essay is not UTF-8 text (invalid byte at offset {at})")
    })
}

fn check(at: &Instance, path: &Path, format: Format) -> Result<ExitCode> {
    let essay = read_essay(path)?;
    let store = open(at, OpenMode::ExistingOnly)?;
    let checker = kinograph_store::checker_for(&store, &essay)?;
    let report = checker.check(&store, &essay)?;
    match format {
        Format::Json => print_json(&kinograph_wire::CheckReport::from(&report))?,
        Format::Text => print!("{}", render::check(&report)),
    }
    Ok(if report.has_contradictions() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn outcome_word(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::New => "new",
        Outcome::Updated => "updated",
        Outcome::Unchanged => "unchanged",
    }
}

fn import_essay(
    at: &Instance,
    path: &Path,
    publication: &str,
    author: &str,
    publish: bool,
) -> Result<ExitCode> {
    // A file that is not UTF-8 or whose front matter is wrong is refused before the store is
    // opened.
    let text = read_essay(path)?;
    let file = essay::parse(&text, &path.display().to_string())?;
    let mut store = open(at, OpenMode::ExistingOnly)?;
    if store.publication(publication)?.is_none() {
        bail!(
            "there is no publication {publication:?}: add it with `kinograph publication add {publication} --name NAME`"
        );
    }
    let imported = essay::import(&mut store, file, author, Some(publication), publish)?;
    println!(
        "essay {}: {} ({})",
        imported.slug,
        outcome_word(imported.outcome),
        imported.state.label().to_lowercase()
    );
    // A published essay is searchable when the command returns.
    sync_search(at, &store, false)?;
    Ok(ExitCode::SUCCESS)
}

/// How long a made-up password is: 20 characters of base64url, 120 bits.
const GENERATED_PASSWORD_CHARS: usize = 20;

/// The first line of standard input, without its line ending.
fn password_from_stdin() -> Result<String> {
    use std::io::BufRead;
    let mut line = String::new();
    let read = std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("cannot read the password from standard input")?;
    if read == 0 {
        bail!("--password-stdin: standard input is empty");
    }
    let password = line.strip_suffix('\n').unwrap_or(&line);
    Ok(password.strip_suffix('\r').unwrap_or(password).to_string())
}

fn user_add(
    at: &Instance,
    name: &str,
    role: Role,
    display_name: Option<&str>,
    password_stdin: bool,
) -> Result<ExitCode> {
    kinograph_publishing::check_user_name(name).map_err(anyhow::Error::msg)?;
    let display_name = display_name.map_or(name, str::trim);
    if display_name.is_empty() || display_name.chars().count() > 100 {
        bail!("--display-name: 1–100 characters");
    }
    let password = if password_stdin {
        password_from_stdin()?
    } else {
        let token = kinograph_publishing::new_token("").map_err(anyhow::Error::msg)?;
        token.chars().take(GENERATED_PASSWORD_CHARS).collect()
    };
    kinograph_publishing::check_password(&password).map_err(anyhow::Error::msg)?;
    let mut store = open(at, OpenMode::CreateIfMissing)?;
    if store.user(name)?.is_some() {
        bail!("the user name {name:?} is taken");
    }
    let hash = kinograph_publishing::hash_password(&password).map_err(anyhow::Error::msg)?;
    store.edit(|w| {
        w.create_user(&NewUser {
            name: name.to_string(),
            display_name: display_name.to_string(),
            role,
            password_hash: Some(hash),
        })?;
        w.audit(None, "user_add", &format!("user:{name}"), role.as_str())
    })?;
    println!("user {name} added ({role})");
    if !password_stdin {
        println!("password: {password}");
        println!("the password is shown only now: keep it somewhere safe");
    }
    Ok(ExitCode::SUCCESS)
}

fn user_role(at: &Instance, name: &str, role: Role) -> Result<ExitCode> {
    let mut store = open(at, OpenMode::ExistingOnly)?;
    let Some(user) = store.user(name)? else {
        bail!("there is no user {name:?}");
    };
    if user.role == role {
        println!("user {name} is already {role}: unchanged");
        return Ok(ExitCode::SUCCESS);
    }
    store.edit(|w| {
        w.set_role(user.id, role)?;
        w.audit(
            None,
            "user_role",
            &format!("user:{name}"),
            &format!("{} → {role}", user.role),
        )
    })?;
    println!("user {name}: {} → {role}", user.role);
    Ok(ExitCode::SUCCESS)
}

#[derive(Serialize)]
struct UserRow {
    name: String,
    display_name: String,
    role: &'static str,
    created: String,
}

fn user_list(at: &Instance, json: bool) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let users: Vec<UserRow> = store
        .users()?
        .into_iter()
        .map(|u| UserRow {
            name: u.name,
            display_name: u.display_name,
            role: u.role.as_str(),
            created: u.created,
        })
        .collect();
    if json {
        print_json(&users)?;
    } else if users.is_empty() {
        println!("no users yet: add one with `kinograph user add NAME --role ROLE`");
    } else {
        let width = |column: fn(&UserRow) -> &str| {
            users
                .iter()
                .map(|u| column(u).chars().count())
                .max()
                .unwrap_or(0)
        };
        let (names, displays) = (width(|u| &u.name), width(|u| &u.display_name));
        for user in &users {
            println!(
                "{:names$}  {:6}  {:displays$}  since {}",
                user.name, user.role, user.display_name, user.created
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn publication_add(
    at: &Instance,
    slug: &str,
    name: &str,
    description: Option<String>,
    links: Vec<(String, String)>,
) -> Result<ExitCode> {
    if !kinograph_catalog::is_essay_slug(slug) {
        bail!("publication {slug:?}: a slug is lowercase letters, digits and single dashes");
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        bail!("--name: 1–200 characters");
    }
    let mut store = open(at, OpenMode::CreateIfMissing)?;
    let known = store.publication(slug)?.map(|(p, _)| p);
    let publication = Publication {
        slug: slug.to_string(),
        name: name.to_string(),
        description: description
            .map(|d| d.trim().to_string())
            .or_else(|| known.as_ref().map(|p| p.description.clone()))
            .unwrap_or_default(),
        links: if links.is_empty() {
            known.map(|p| p.links).unwrap_or_default()
        } else {
            links
        },
    };
    let object = format!("publication:{slug}");
    let outcome = store.edit(|w| {
        let outcome = w.put_publication(&publication)?;
        let action = match outcome {
            Outcome::New => "publication_add",
            Outcome::Updated => "publication_update",
            Outcome::Unchanged => return Ok(outcome),
        };
        w.audit(None, action, &object, &publication.name)?;
        Ok(outcome)
    })?;
    println!("publication {slug}: {}", outcome_word(outcome));
    Ok(ExitCode::SUCCESS)
}

fn publication_member(
    at: &Instance,
    slug: &str,
    user: &str,
    role: kinograph_publishing::Role,
) -> Result<ExitCode> {
    let mut store = open(at, OpenMode::ExistingOnly)?;
    if store.publication(slug)?.is_none() {
        bail!("there is no publication {slug:?}: add it with `kinograph publication add`");
    }
    let Some(account) = store.user(user)? else {
        bail!("there is no user {user:?}: add one with `kinograph user add`");
    };
    store.edit(|w| {
        w.add_member(slug, account.id, role)?;
        w.audit(
            None,
            "publication_member",
            &format!("publication:{slug}"),
            &format!("{user} as {role}"),
        )
    })?;
    println!("{user} is on the masthead of {slug} as {role}");
    Ok(ExitCode::SUCCESS)
}

/// The account `name`, or an error that says how to make one.
fn account(store: &Store, name: &str) -> Result<User> {
    match store.user(name)? {
        Some(user) => Ok(user),
        None => bail!(
            "there is no user {name:?}: add one with `kinograph user add {name} --role reader`"
        ),
    }
}

/// Rejected rows on stderr, each `file:line: rejected: why` (a Letterboxd rejection's message
/// starts with its file and line).
fn print_rejections(rejected: &[Rejection]) {
    for rejection in rejected.iter().take(REJECTIONS_SHOWN) {
        let at = format!(":{}: ", rejection.line);
        match rejection.message.split_once(&at) {
            Some((file, why)) => eprintln!("{file}:{}: rejected: {why}", rejection.line),
            None => eprintln!("line {}: rejected: {}", rejection.line, rejection.message),
        }
    }
    if rejected.len() > REJECTIONS_SHOWN {
        eprintln!(
            "… and {} more rejected rows",
            rejected.len() - REJECTIONS_SHOWN
        );
    }
}

fn import_letterboxd(at: &Instance, path: &Path, user: &str) -> Result<ExitCode> {
    let mut store = open(at, OpenMode::ExistingOnly)?;
    let account = account(&store, user)?;
    // The whole export is read, and a file in another format or a broken ZIP refused, before
    // anything is written.
    let export = diary::read_export(path)?;
    let report = diary::import_letterboxd(&mut store, &export, &account)?;
    print!("{}", render::letterboxd_report(&report, user));
    print_rejections(&report.rejected);
    Ok(ExitCode::SUCCESS)
}

fn import_archive(at: &Instance, path: &Path, user: &str) -> Result<ExitCode> {
    let mut store = open(at, OpenMode::ExistingOnly)?;
    let account = account(&store, user)?;
    let archive = diary::read_archive(path)?;
    let report = diary::import_archive(&mut store, &archive, &account)?;
    print!("{}", render::archive_report(&report, user));
    Ok(ExitCode::SUCCESS)
}

fn import_movielens(at: &Instance, dir: &Path) -> Result<ExitCode> {
    let mut store = open(at, OpenMode::ExistingOnly)?;
    let report = diary::import_movielens(&mut store, dir, &mut Bar::new("movielens"))?;
    print!("{}", render::movielens_report(&report));
    Ok(ExitCode::SUCCESS)
}

fn export_letterboxd(at: &Instance, user: &str, out: &Path) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let account = account(&store, user)?;
    let rows = diary::export_letterboxd(&store, &account)?;
    let mut bytes = Vec::new();
    kinograph_import::letterboxd_csv::write_import_csv(&mut bytes, &rows)
        .context("cannot write the Letterboxd import CSV")?;
    std::fs::create_dir_all(out).with_context(|| format!("cannot make {}", out.display()))?;
    let path = out.join(diary::LETTERBOXD_IMPORT_FILE);
    std::fs::write(&path, bytes).with_context(|| format!("cannot write {}", path.display()))?;
    println!(
        "{user}: {} written to {}",
        render::count(rows.len(), "row", "rows"),
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

fn export_archive(at: &Instance, user: &str, out: &Path) -> Result<ExitCode> {
    let store = open(at, OpenMode::ExistingOnly)?;
    let account = account(&store, user)?;
    let archive = diary::export_archive(&store, &account)?;
    let mut text = serde_json::to_string_pretty(&archive)?;
    text.push('\n');
    if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot make {}", parent.display()))?;
    }
    std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "{user}: {}, {}, {} and {} written to {}",
        render::count(archive.viewings.len(), "viewing", "viewings"),
        render::count(archive.films.len(), "film", "films"),
        render::count(archive.lists.len(), "list", "lists"),
        render::count(archive.following.len(), "follow", "follows"),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `gen imdb`: the six IMDb files in `out`, a line per file with its rows; a running count of
/// rows on a terminal meanwhile.
fn generate_imdb(spec: &ImdbSpec, out: &Path) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let bar = std::io::stderr()
        .is_terminal()
        .then(indicatif::ProgressBar::new_spinner);
    let mut written = [0u64; ImdbFile::ALL.len()];
    let summary = kinograph_datagen::write_imdb(spec, out, &mut |name, rows| {
        if let Some(bar) = &bar
            && let Some(slot) = ImdbFile::ALL
                .iter()
                .position(|file| file.file_name(spec.gzip) == name)
        {
            written[slot] = rows;
            bar.set_message(format!("{} rows written", written.iter().sum::<u64>()));
            bar.tick();
        }
    });
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
    let summary = summary.context("cannot generate the IMDb files")?;
    println!(
        "{} titles (seed {}) in {}:",
        spec.titles,
        spec.seed,
        out.display()
    );
    for file in &summary.files {
        let name = file.file.file_name(spec.gzip);
        println!("  {name}: {} rows", file.rows);
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} rows in {seconds:.1} s ({:.0} rows/s)",
        summary.total_rows(),
        summary.total_rows() as f64 / seconds.max(1e-9)
    );
    Ok(ExitCode::SUCCESS)
}
