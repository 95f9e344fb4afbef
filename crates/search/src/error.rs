use std::path::PathBuf;

/// Everything that can go wrong in search.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("search index folder {path}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error("cannot open the search index: {0}")]
    Open(String),

    #[error("search index")]
    Index(#[from] tantivy::TantivyError),

    #[error("reading the catalog for the search index")]
    Store(#[from] kinograph_store::Error),

    #[error("bad search: {0}")]
    BadQuery(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
