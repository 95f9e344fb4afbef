//! Kinograph's importers: each reads one outside format, streams it into catalog records, and
//! writes them to the store in transactions.
//!
//! Every importer follows the same contract:
//! - a file in the wrong format is refused as a whole, before anything is written;
//! - a malformed row is reported with its line and skipped; the rest imports;
//! - re-running an import adds nothing twice (the store's `put_*` are idempotent), and an
//!   interrupted run leaves the store consistent (each batch is one transaction), so re-running
//!   it completes it.

pub mod curated;
pub mod diary;
pub mod essay;
pub mod imdb;
pub mod letterboxd;
pub mod letterboxd_csv;
mod lines;
pub mod movielens;
pub mod oscars;

use std::fmt;
use std::path::PathBuf;

use kinograph_catalog::Outcome;

/// The demo world bundled into the binary: Sean Baker's films, with sourced facts.
pub const DEMO_CATALOG: &str = include_str!("../demo/sean-baker.toml");
/// The name the demo catalog's facts are credited to.
pub const DEMO_DATASET: &str = "kinograph-demo/sean-baker.toml";

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    /// The file is not in the format this importer reads; nothing was imported.
    #[error("{dataset}: {message}")]
    WrongFormat { dataset: String, message: String },

    /// A curated catalog that does not validate; nothing was imported.
    #[error("{dataset}:{line}: {message}")]
    Invalid {
        dataset: String,
        line: usize,
        message: String,
    },

    /// An archive that cannot be read or is refused (not a ZIP, too large, a ZIP bomb);
    /// nothing was imported.
    #[error("{}: {message}", path.display())]
    Archive { path: PathBuf, message: String },

    #[error(transparent)]
    Store(#[from] kinograph_store::Error),

    /// The checker could not link an essay to the catalog.
    #[error("cannot link the essay to the catalog: {0}")]
    Linking(String),

    /// What the editorial rules or the store's state do not allow (another author's essay,
    /// an unknown publication, …); nothing was written.
    #[error("{0}")]
    Refused(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A row that was skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    pub line: u64,
    pub message: String,
}

/// How many writes of one kind did what.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
}

impl Tally {
    pub fn add(&mut self, outcome: Outcome) {
        match outcome {
            Outcome::New => self.new += 1,
            Outcome::Updated => self.updated += 1,
            Outcome::Unchanged => self.unchanged += 1,
        }
    }
}

impl fmt::Display for Tally {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} new, {} updated, {} unchanged",
            self.new, self.updated, self.unchanged
        )
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub dataset: String,
    /// Per kind of record ("nominations", "films", "credits", …), in the order first met.
    pub tallies: Vec<(&'static str, Tally)>,
    pub rejected: Vec<Rejection>,
}

impl Summary {
    fn new(dataset: impl Into<String>) -> Self {
        Summary {
            dataset: dataset.into(),
            ..Summary::default()
        }
    }

    pub fn record(&mut self, kind: &'static str, outcome: Outcome) {
        match self.tallies.iter_mut().find(|(k, _)| *k == kind) {
            Some((_, tally)) => tally.add(outcome),
            None => {
                let mut tally = Tally::default();
                tally.add(outcome);
                self.tallies.push((kind, tally));
            }
        }
    }

    pub fn tally(&self, kind: &str) -> Tally {
        self.tallies
            .iter()
            .find(|(k, _)| *k == kind)
            .map(|(_, t)| *t)
            .unwrap_or_default()
    }
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{}:", self.dataset)?;
        for (kind, tally) in &self.tallies {
            writeln!(f, "  {kind}: {tally}")?;
        }
        write!(f, "  rejected rows: {}", self.rejected.len())
    }
}

/// Told how far a streaming import has got, so that a terminal can show a progress bar.
pub trait Progress {
    /// The input's size in bytes, when known.
    fn start(&mut self, total_bytes: Option<u64>);
    /// Bytes read so far.
    fn advance(&mut self, bytes_read: u64);
    /// Rows read so far, for importers that count them (a rate in rows per second).
    fn rows(&mut self, _rows: u64) {}
    fn finish(&mut self);
}

/// Progress that shows nothing (tests, pipes).
#[derive(Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn start(&mut self, _: Option<u64>) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}
