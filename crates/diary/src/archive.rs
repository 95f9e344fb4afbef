//! The user archive: everything one user owns, as JSON, to carry between instances without
//! loss. Films are named by catalog id, IMDb id, title and year, so another catalog can find
//! them; viewings keep their keys, so importing an archive twice adds nothing the second time.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Rating;

pub const ARCHIVE_FORMAT: &str = "kinograph-user-archive";
pub const ARCHIVE_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserArchive {
    /// Always [`ARCHIVE_FORMAT`]: what the file is.
    pub format: String,
    pub version: u32,
    pub user: String,
    pub display_name: String,
    pub exported: NaiveDate,
    /// Whether logging a film removes it from the watchlist.
    pub watchlist_autoremove: bool,
    pub viewings: Vec<ArchiveViewing>,
    pub films: Vec<ArchiveFilmState>,
    pub lists: Vec<ArchiveList>,
    /// Names of the accounts followed.
    pub following: Vec<String>,
}

/// How an archive names a film.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveFilm {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imdb_id: Option<String>,
    pub title: String,
    pub year: Option<i32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveViewing {
    pub key: String,
    pub film: ArchiveFilm,
    pub watched: Option<NaiveDate>,
    pub logged: NaiveDate,
    pub rating: Option<Rating>,
    pub liked: bool,
    pub rewatch: bool,
    pub review: Option<String>,
    pub spoilers: bool,
    pub tags: Vec<String>,
    pub private: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub letterboxd_uri: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveFilmState {
    pub film: ArchiveFilm,
    pub watched: bool,
    pub watched_on: Option<NaiveDate>,
    pub rating: Option<Rating>,
    pub rated_on: Option<NaiveDate>,
    pub liked_on: Option<NaiveDate>,
    pub watchlisted_on: Option<NaiveDate>,
    pub private: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveList {
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    pub ranked: bool,
    pub private: bool,
    pub tags: Vec<String>,
    pub created: NaiveDate,
    pub items: Vec<ArchiveListItem>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArchiveListItem {
    pub film: ArchiveFilm,
    pub note: Option<String>,
}

impl UserArchive {
    /// Refuses what is not an archive this version can read, saying what it found.
    pub fn check_format(&self) -> Result<(), String> {
        if self.format != ARCHIVE_FORMAT {
            return Err(format!(
                "\"format\" is {:?}, not {ARCHIVE_FORMAT:?}: this is not a Kinograph user archive",
                self.format
            ));
        }
        if self.version != ARCHIVE_VERSION {
            return Err(format!(
                "\"version\" is {}; this Kinograph reads version {ARCHIVE_VERSION}",
                self.version
            ));
        }
        Ok(())
    }
}
