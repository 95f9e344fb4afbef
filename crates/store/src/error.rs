use std::path::PathBuf;

/// Everything that can go wrong in the store. A wrapped cause is the error's `source()`, not part
/// of its message: print the chain (`{:#}` with anyhow) to see both.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("data folder {path}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("no Kinograph catalog in {path}: run `kinograph demo` or `kinograph import …` first")]
    NoCatalog { path: PathBuf },

    #[error("cannot open the database {path}")]
    Open {
        path: PathBuf,
        source: rusqlite::Error,
    },

    #[error(
        "the database {path} is at schema version {found}, newer than this kinograph knows ({supported}): upgrade kinograph"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },

    #[error("cannot connect to the database {location}")]
    Connect {
        location: String,
        source: postgres::Error,
    },

    #[error("schema migration failed")]
    Migration(#[from] rusqlite_migration::Error),

    #[error("database error")]
    Sql(#[from] rusqlite::Error),

    #[error("database error")]
    Postgres(#[from] postgres::Error),

    /// What this backend does not do, and what to do instead.
    #[error("{0}")]
    Unsupported(String),

    #[error("{kind} {id:?} is not in the catalog")]
    UnknownEntity { kind: &'static str, id: String },

    /// A record that contradicts the catalog; nothing of it was written.
    #[error("{0}")]
    Rejected(String),

    /// The user may never do this (an HTTP 403).
    #[error("{0}")]
    Forbidden(String),

    /// Not in this state, or not yet (an HTTP 409).
    #[error("{0}")]
    Conflict(String),

    /// The checker could not check an essay.
    #[error("checking the essay: {0}")]
    Check(String),

    /// A name that must be unique is taken (a user name, a publication).
    #[error("{0}")]
    Taken(String),

    #[error("the database holds a value this kinograph cannot read ({what}): {detail}")]
    Corrupt { what: &'static str, detail: String },

    #[error("{0}")]
    NoRandomness(String),

    #[error("file {path}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "{path} already exists: a backup never overwrites a file; remove it or choose another name"
    )]
    Exists { path: PathBuf },

    #[error("{path} is not a Kinograph backup: {reason}; nothing was restored")]
    NotABackup { path: PathBuf, reason: String },

    /// The same work is already running elsewhere.
    #[error("{0}")]
    Busy(String),

    #[error("a write batch was run twice")]
    BatchReused,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
