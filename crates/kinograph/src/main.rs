//! The `kinograph` command: parses flags and wires the library crates together.

mod commands;
mod progress;
mod render;
mod serve;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use kinograph_catalog::RoleCategory;

#[derive(Debug, Parser)]
#[command(
    name = "kinograph",
    version,
    about = "A self-hosted film knowledge base and criticism platform"
)]
struct Cli {
    /// The data folder (default: a per-user data folder, e.g. ~/.local/share/kinograph).
    #[arg(long, global = true, env = "KINOGRAPH_DATA", value_name = "DIR")]
    data: Option<PathBuf>,

    /// Keep the store in this PostgreSQL database (`postgres://user:password@host/db`) instead
    /// of the embedded SQLite file in the data folder; the data folder still holds this node's
    /// search index.
    #[arg(
        long,
        global = true,
        env = "KINOGRAPH_DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    database_url: Option<String>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import data into the catalog, or into a reader's diary.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export a reader's diary: for Letterboxd, or as a Kinograph user archive.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Load the bundled demo world (Sean Baker's films, Academy Awards ceremony dates, and
    /// essays of our own), with the Academy Awards data when given or found.
    Demo {
        /// The Academy Awards data (`oscars.csv`); looked for in ../shared/data/oscars and
        /// data/oscars when not given.
        #[arg(long, env = "KINOGRAPH_OSCARS", value_name = "FILE")]
        oscars: Option<PathBuf>,
    },
    /// Serve the web site and the JSON API.
    Serve {
        /// The address to listen on.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Load the demo world first (as `kinograph demo`).
        #[arg(long)]
        demo: bool,
        /// With --demo: the Academy Awards data (`oscars.csv`), else looked for as by `demo`.
        #[arg(long, env = "KINOGRAPH_OSCARS", value_name = "FILE", requires = "demo")]
        oscars: Option<PathBuf>,
        /// The public URL of the site, for canonical links and share cards (default: the
        /// listening address).
        #[arg(long, env = "KINOGRAPH_BASE_URL", value_name = "URL")]
        base_url: Option<String>,
        /// Log lines as JSON objects instead of text.
        #[arg(long)]
        log_json: bool,
        /// Behind a reverse proxy you run: take each client's address from the last
        /// X-Forwarded-For entry, so rate limits count clients, not the proxy. Never set it when
        /// clients reach Kinograph directly: they could claim any address.
        #[arg(long, env = "KINOGRAPH_TRUST_FORWARDED_FOR")]
        trust_forwarded_for: bool,
        /// Log-in and sign-up attempts allowed per client address (and per account name) a
        /// minute; 0 turns the limit off.
        #[arg(long, env = "KINOGRAPH_LOGIN_PER_MINUTE", default_value_t = 10)]
        login_per_minute: u32,
        /// State-changing requests allowed per client address a minute; 0 turns it off.
        #[arg(long, env = "KINOGRAPH_WRITES_PER_MINUTE", default_value_t = 120)]
        writes_per_minute: u32,
        /// Most films and people for which the server keeps one checker over every catalog name
        /// in memory (about 8 KB each); above it, each check builds its own over the names its
        /// text can contain: slower, but memory stays flat at IMDb scale.
        #[arg(
            long,
            env = "KINOGRAPH_CHECKER_MAX_ENTITIES",
            default_value_t = 150_000
        )]
        checker_max_entities: u64,
    },
    /// Show a film by id (tt… or catalog id) or title.
    Film {
        query: String,
        /// Prefer the film released in this year.
        #[arg(long)]
        year: Option<i32>,
        #[arg(long)]
        json: bool,
    },
    /// Show a person by id (nm… or catalog id) or name.
    Person {
        query: String,
        #[arg(long)]
        json: bool,
    },
    /// Films by who made them and what they are about ("films of director X with theme Y").
    #[command(arg_required_else_help = true)]
    Films {
        /// A person credited on the film (id or name).
        #[arg(long)]
        person: Option<String>,
        /// With --person: the credit's category (director, writer, actor, actress, producer, …).
        #[arg(long, requires = "person")]
        role: Option<RoleCategory>,
        /// A theme the film is catalogued with, e.g. "sex work".
        #[arg(long)]
        theme: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Find films, people and characters by name, with typos, in any word order.
    Search {
        query: String,
        /// Only hits of this kind (film, person, character); repeat for several.
        #[arg(long = "kind")]
        kinds: Vec<kinograph_search::Kind>,
        /// Only films of these years: 2017, 2010..2020, 2010.., ..1999.
        #[arg(long, value_parser = kinograph_search::parse_years)]
        year: Option<(i32, i32)>,
        /// Only films of this genre.
        #[arg(long)]
        genre: Option<String>,
        #[arg(long, default_value_t = 10)]
        limit: usize,
        /// Search as you type: the last word may be the start of a longer one, however short.
        #[arg(long)]
        prefix: bool,
        #[arg(long)]
        json: bool,
    },
    /// Check an essay: link the films, people, characters, awards and companies it names, and
    /// verify its claims. Exits 1 when a claim is contradicted.
    Check {
        /// The essay, Markdown or plain text; `-` reads standard input.
        file: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Rebuild the search index from the catalog.
    Reindex,
    /// Write a consistent copy of the whole instance (catalog, essays, accounts, diaries) to a
    /// new file, while servers and imports go on. The search index is rebuilt from it on
    /// restore, so it is not copied.
    Backup {
        /// The backup file to create; an existing file is never overwritten.
        file: PathBuf,
    },
    /// Copy the embedded SQLite instance in the data folder (catalog, essays, accounts,
    /// diaries) into an empty PostgreSQL database, in one transaction, and compare every
    /// table's row count. Serve from PostgreSQL afterwards with --database-url.
    Migrate {
        /// The PostgreSQL database to copy into (`postgres://user:password@host/db`).
        #[arg(long, value_name = "URL")]
        to: String,
    },
    /// Replace the instance with a backup `kinograph backup` wrote, then rebuild the search
    /// index. The file is checked first; when it is not a whole Kinograph backup nothing
    /// changes.
    Restore {
        /// The backup file.
        file: PathBuf,
        /// Replace a data folder that already holds a catalog (everything in it is lost).
        #[arg(long)]
        replace: bool,
    },
    /// Award records and ceremony results.
    #[command(subcommand)]
    Awards(AwardsCommand),
    /// Where the catalog is and how much it holds.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Accounts of the site: add one, change its role, list them.
    #[command(subcommand)]
    User(UserCommand),
    /// Publications essays appear in.
    #[command(subcommand)]
    Publication(PublicationCommand),
    /// Generate data for tests and benchmarks.
    #[command(subcommand)]
    Gen(GenCommand),
}

#[derive(Debug, Subcommand)]
enum GenCommand {
    /// IMDb-shaped TSV files (title.basics, title.akas, title.crew, title.principals,
    /// title.ratings, name.basics) with the real files' quirks, at any scale: about 1.3 people,
    /// 8 principals and 3 alternative titles per title. The same seed gives the same bytes.
    Imdb {
        /// How many titles (rows of title.basics).
        #[arg(long, value_name = "N")]
        titles: u64,
        /// The folder to write them in (made if missing; files there are replaced).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
        /// The seed of the pseudo-random choices.
        #[arg(long, value_name = "S", default_value_t = kinograph_datagen::DEFAULT_SEED)]
        seed: u64,
        /// Write gzipped files (`.tsv.gz`), as IMDb publishes them.
        #[arg(long)]
        gzip: bool,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Add an account. Without --password-stdin a password is made up and shown once.
    Add {
        /// The log-in name: 2–40 lowercase letters, digits, '-', '_' or '.', starting with a
        /// letter.
        name: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// The name shown on the site (default: the log-in name).
        #[arg(long, value_name = "TEXT")]
        display_name: Option<String>,
        /// Read the password (at least 10 characters) from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Change an account's role.
    Role {
        name: String,
        #[arg(value_enum)]
        role: RoleArg,
    },
    /// List the accounts.
    List {
        #[arg(long)]
        json: bool,
    },
}

/// What a user may do on the site, in increasing power.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RoleArg {
    /// Reads, keeps a diary.
    Reader,
    /// Also drafts essays and submits them.
    Writer,
    /// Also reviews, signs off fact-checks, publishes and corrects.
    Editor,
    /// Also manages users and the site.
    Admin,
}

impl From<RoleArg> for kinograph_publishing::Role {
    fn from(role: RoleArg) -> Self {
        match role {
            RoleArg::Reader => Self::Reader,
            RoleArg::Writer => Self::Writer,
            RoleArg::Editor => Self::Editor,
            RoleArg::Admin => Self::Admin,
        }
    }
}

#[derive(Debug, Subcommand)]
enum PublicationCommand {
    /// Add a publication, or update the one with this slug (a description or links not given
    /// are kept).
    Add {
        /// Its URL name (`/publications/SLUG`): lowercase letters, digits and single dashes.
        slug: String,
        #[arg(long)]
        name: String,
        /// One sentence on what it publishes.
        #[arg(long, value_name = "TEXT")]
        description: Option<String>,
        /// A link to show with it, e.g. `Mastodon=https://…`; repeat for several (they replace
        /// the links it had).
        #[arg(long = "link", value_name = "LABEL=URL", value_parser = parse_link)]
        links: Vec<(String, String)>,
    },
    /// Put a user on a publication's masthead (or change their role there).
    Member {
        /// The publication's slug.
        slug: String,
        /// The user's name.
        user: String,
        #[arg(long, value_enum, default_value_t = RoleArg::Writer)]
        role: RoleArg,
    },
}

/// How a report is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    /// For people.
    Text,
    /// For programs.
    Json,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// The Academy Awards data set (DLu `oscars.csv` layout, tab-separated).
    Oscars { file: PathBuf },
    /// IMDb's non-commercial data files in DIR (name.basics, title.basics, title.akas,
    /// title.ratings, title.crew, title.principals; plain or .gz; any of them). Merges with
    /// what the catalog holds by IMDb id; importing a newer dump updates what changed.
    Imdb {
        #[arg(value_name = "DIR")]
        dir: PathBuf,
    },
    /// A curated catalog in Kinograph's TOML format (see docs/catalog-format.md).
    Catalog { file: PathBuf },
    /// An essay (Markdown or plain text; TOML front matter between `+++` lines, or the first
    /// line as its title), through the editorial workflow. Importing it again changes nothing;
    /// a changed file is a new revision, or a correction once published.
    Essay {
        /// The essay; `-` reads standard input (its front matter must then give a `slug`).
        file: PathBuf,
        /// The publication it appears in (see `kinograph publication add`).
        #[arg(long, value_name = "SLUG")]
        publication: String,
        /// The author's user name; a writer account without a password is made when missing.
        #[arg(long, value_name = "NAME")]
        author: String,
        /// Take it through review to published, as the `kinograph` editor account (its
        /// contradicted claims overridden: it was published before it came here).
        #[arg(long)]
        publish: bool,
    },
    /// A Letterboxd export into a reader's diary: its ZIP, the folder it unpacks to, or one of
    /// its CSV files. Films are matched by title and year (a year off by one is reported); rows
    /// of films the catalog lacks are listed and left out. Importing it again adds nothing.
    Letterboxd {
        /// The export's ZIP, its folder, or one of its files (diary.csv, lists/NAME.csv, …).
        path: PathBuf,
        /// The account whose diary it goes into (see `kinograph user add`).
        #[arg(long, value_name = "NAME")]
        user: String,
    },
    /// A Kinograph user archive (`kinograph export archive`) into an account: its viewings,
    /// films, lists and follows. Importing it again adds nothing.
    Archive {
        file: PathBuf,
        /// The account it goes into.
        #[arg(long, value_name = "NAME")]
        user: String,
    },
    /// The MovieLens "small" data set (a folder with links.csv and ratings.csv): one reader
    /// account per MovieLens user (ml-1, ml-2, …), each rating a public viewing of the catalog
    /// film with its IMDb id.
    Movielens { dir: PathBuf },
}

#[derive(Debug, Subcommand)]
enum ExportCommand {
    /// A reader's diary as Letterboxd's import CSV (DIR/letterboxd-import.csv): a row per
    /// viewing, and per film watched or rated without one.
    Letterboxd {
        #[arg(long, value_name = "NAME")]
        user: String,
        /// The folder to write it in (made if missing).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Everything a user owns (viewings, films, lists, follows) as a Kinograph user archive
    /// (JSON), for `kinograph import archive` here or on another instance.
    Archive {
        #[arg(long, value_name = "NAME")]
        user: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

#[derive(Debug, Subcommand)]
enum AwardsCommand {
    /// Records: most wins by one person for one film, most wins and nominations, …
    Records {
        /// How many places of each record to list (ties included).
        #[arg(long, default_value_t = 3)]
        depth: u32,
        #[arg(long)]
        json: bool,
    },
    /// Every category, nominee and winner of one ceremony.
    Ceremony {
        /// The ceremony's ordinal (97 for the 97th Academy Awards).
        number: u32,
        #[arg(long, default_value = "oscars")]
        body: String,
        #[arg(long)]
        json: bool,
    },
}

/// `LABEL=URL`, the URL on the web.
fn parse_link(text: &str) -> Result<(String, String), String> {
    let Some((label, url)) = text.split_once('=') else {
        return Err(format!("{text:?} is not LABEL=URL"));
    };
    let (label, url) = (label.trim(), url.trim());
    if label.is_empty() {
        return Err(format!("{text:?} has no label before `=`"));
    }
    let host = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"));
    if host.is_none_or(str::is_empty) || url.chars().any(char::is_whitespace) {
        return Err(format!("{url:?} is not an http(s) URL"));
    }
    Ok((label.to_string(), url.to_string()))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
