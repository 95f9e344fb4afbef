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

    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Import data into the catalog.
    #[command(subcommand)]
    Import(ImportCommand),
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
        #[arg(long, value_parser = parse_years)]
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
    /// Award records and ceremony results.
    #[command(subcommand)]
    Awards(AwardsCommand),
    /// Where the catalog is and how much it holds.
    Status {
        #[arg(long)]
        json: bool,
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
    /// A curated catalog in Kinograph's TOML format (see docs/catalog-format.md).
    Catalog { file: PathBuf },
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

/// `2017`, `2010..2020`, `2010..` or `..1999`.
fn parse_years(text: &str) -> Result<(i32, i32), String> {
    let year = |s: &str, default: i32| -> Result<i32, String> {
        if s.is_empty() {
            Ok(default)
        } else {
            s.parse().map_err(|_| format!("{s:?} is not a year"))
        }
    };
    let (from, to) = match text.split_once("..") {
        Some((from, to)) => (year(from, i32::MIN)?, year(to, i32::MAX)?),
        None => {
            let single = year(text, 0)?;
            (single, single)
        }
    };
    if text.is_empty() || from > to {
        return Err(format!(
            "{text:?} is not a year range (expected 2017, 2010..2020, 2010.. or ..1999)"
        ));
    }
    Ok((from, to))
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
