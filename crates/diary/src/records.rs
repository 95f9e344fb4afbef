use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Rating;

/// A film as the diary shows it: enough to name and link it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FilmRef {
    /// The catalog's public id.
    pub id: String,
    pub title: String,
    pub year: Option<i32>,
    pub imdb_id: Option<String>,
}

/// One viewing of a film: its own date, rating and review. A rewatch is a viewing like any
/// other, flagged as such.
#[derive(Debug, Clone, PartialEq)]
pub struct Viewing {
    pub id: i64,
    /// The owner's account id and name.
    pub user_id: i64,
    pub user: String,
    pub film: FilmRef,
    /// When the film was seen; `None` when the source did not say (a bare Letterboxd review).
    pub watched: Option<NaiveDate>,
    /// When the viewing was logged.
    pub logged: NaiveDate,
    pub rating: Option<Rating>,
    pub liked: bool,
    pub rewatch: bool,
    pub review: Option<String>,
    /// The review gives the plot away: readers are warned before it is shown.
    pub spoilers: bool,
    pub tags: Vec<String>,
    /// Seen by its owner only: not on pages, feeds, the API, search or averages for anyone else.
    pub private: bool,
    /// The entry's Letterboxd address when it came from Letterboxd; kept for the export.
    pub letterboxd_uri: Option<String>,
    /// A stable key: the same key twice is the same viewing (what makes imports idempotent).
    pub key: String,
    /// How many people liked the review.
    pub likes: u32,
}

impl Viewing {
    /// The day the viewing counts for: when it was watched, else when it was logged.
    pub fn day(&self) -> NaiveDate {
        self.watched.unwrap_or(self.logged)
    }
}

/// A viewing to log.
#[derive(Debug, Clone, PartialEq)]
pub struct NewViewing {
    /// The film's catalog id (or IMDb id).
    pub film: String,
    pub watched: Option<NaiveDate>,
    pub logged: NaiveDate,
    pub rating: Option<Rating>,
    pub liked: bool,
    pub rewatch: bool,
    pub review: Option<String>,
    pub spoilers: bool,
    pub tags: Vec<String>,
    pub private: bool,
    pub letterboxd_uri: Option<String>,
    /// The viewing's stable key; a viewing with a key the user already has is not added again.
    pub key: String,
}

/// What a user has done with one film, apart from viewings: Letterboxd's watched, ratings,
/// likes and watchlist files, one row per film.
#[derive(Debug, Clone, PartialEq)]
pub struct FilmState {
    pub film: FilmRef,
    pub watched_on: Option<NaiveDate>,
    pub watched: bool,
    /// The user's current rating of the film (the newest viewing's, or one given without one).
    pub rating: Option<Rating>,
    pub rated_on: Option<NaiveDate>,
    pub liked_on: Option<NaiveDate>,
    pub watchlisted_on: Option<NaiveDate>,
    /// The rating and like are the owner's only (set by a private viewing).
    pub private: bool,
}

impl FilmState {
    pub fn liked(&self) -> bool {
        self.liked_on.is_some()
    }
    pub fn watchlisted(&self) -> bool {
        self.watchlisted_on.is_some()
    }
}

/// Which viewings to read. Every read is made on behalf of a viewer, and only what that viewer
/// may see comes back: public viewings, and the viewer's own private ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ViewingQuery {
    /// The account reading (`None`: an anonymous visitor).
    pub viewer: Option<i64>,
    /// Only this owner's viewings (by account name).
    pub owner: Option<String>,
    /// Only viewings of this film (catalog id).
    pub film: Option<String>,
    /// Only viewings by the people this account follows.
    pub followed_by: Option<i64>,
    /// Only viewings with a review.
    pub reviews_only: bool,
    /// Only viewings watched (or, undated, logged) in this year.
    pub year: Option<i32>,
    /// Only viewings tagged so.
    pub tag: Option<String>,
    pub limit: u32,
    pub offset: u32,
}

/// Whether `viewer` may see an object of `owner` that is `private` or not: the one rule for
/// diary entries, ratings and lists. Not even an admin reads someone's private diary.
pub fn can_see(viewer: Option<i64>, owner: i64, private: bool) -> bool {
    !private || viewer == Some(owner)
}

/// The instance's ratings of a film: public ratings only, one per user (their current one).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FilmRatings {
    pub count: u32,
    /// How many ratings had each value, ½★ first.
    pub histogram: [u32; 10],
}

impl FilmRatings {
    /// The mean rating in stars, when there is one.
    pub fn average(&self) -> Option<f32> {
        if self.count == 0 {
            return None;
        }
        let half_stars: u32 = self
            .histogram
            .iter()
            .zip(1u32..)
            .map(|(count, half)| count * half)
            .sum();
        Some(half_stars as f32 / self.count as f32 / 2.0)
    }
}

/// A list as a line of an index.
#[derive(Debug, Clone, PartialEq)]
pub struct ListSummary {
    pub id: i64,
    pub owner_id: i64,
    pub owner: String,
    /// Unique per owner: `/u/{owner}/lists/{slug}`.
    pub slug: String,
    pub name: String,
    pub description: Option<String>,
    /// Ranked lists number their films; unranked ones only order them.
    pub ranked: bool,
    pub private: bool,
    pub tags: Vec<String>,
    pub created: NaiveDate,
    pub films: u32,
    pub likes: u32,
}

/// A list with its films, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct DiaryList {
    pub summary: ListSummary,
    pub items: Vec<ListItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListItem {
    /// 1-based.
    pub position: u32,
    pub film: FilmRef,
    pub note: Option<String>,
}

/// A list to create, or to replace an existing list's contents with.
#[derive(Debug, Clone, PartialEq)]
pub struct NewList {
    pub name: String,
    pub description: Option<String>,
    pub ranked: bool,
    pub private: bool,
    pub tags: Vec<String>,
    pub created: NaiveDate,
    pub items: Vec<NewListItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewListItem {
    /// The film's catalog id (or IMDb id).
    pub film: String,
    pub note: Option<String>,
}

/// A list name must say something, on one line, briefly.
pub fn check_list_name(name: &str) -> Result<(), String> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        return Err("a list needs a name".into());
    }
    if trimmed.chars().count() > 200 {
        return Err("a list name is at most 200 characters".into());
    }
    if trimmed.contains(['\n', '\r']) {
        return Err("a list name is one line".into());
    }
    Ok(())
}

/// Tags are short labels on one line; Letterboxd joins them with commas, so none may hold one.
pub fn check_tag(tag: &str) -> Result<(), String> {
    let trimmed = tag.trim();
    if trimmed.is_empty() || trimmed.chars().count() > 100 || trimmed.contains(['\n', '\r', ',']) {
        return Err(format!(
            "tag {tag:?} is not allowed: 1 to 100 characters, on one line, without commas"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_things_are_their_owners_only() {
        assert!(can_see(None, 1, false));
        assert!(can_see(Some(2), 1, false));
        assert!(!can_see(None, 1, true));
        assert!(!can_see(Some(2), 1, true));
        assert!(can_see(Some(1), 1, true));
    }

    #[test]
    fn the_average_is_in_stars() {
        let mut ratings = FilmRatings::default();
        assert_eq!(ratings.average(), None);
        ratings.histogram[9] = 1; // 5★
        ratings.histogram[6] = 1; // 3.5★
        ratings.count = 2;
        assert_eq!(ratings.average(), Some(4.25));
    }

    #[test]
    fn list_names_and_tags_are_checked() {
        assert!(check_list_name("  ").is_err());
        assert!(check_list_name("Best of 2024").is_ok());
        assert!(check_list_name("a\nb").is_err());
        assert!(check_tag("cinema, paris").is_err());
        assert!(check_tag("brighton beach").is_ok());
        assert!(check_tag("").is_err());
    }
}
