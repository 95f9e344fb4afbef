//! The diary's JSON shapes (`/api/users/{name}/diary`, `/api/diary`, `/api/films/{id}/ratings`,
//! lists): built from `kinograph-diary` records. Addresses come from the caller, which knows
//! the site's base URL.

use kinograph_diary::{DiaryList, FilmRef, ListSummary, Rating, Viewing};
use serde::Serialize;
use utoipa::ToSchema;

/// A film as the diary names it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryFilm {
    /// The catalog's public id.
    pub id: String,
    pub title: String,
    pub year: Option<i32>,
    pub imdb_id: Option<String>,
}

impl From<&FilmRef> for DiaryFilm {
    fn from(film: &FilmRef) -> Self {
        DiaryFilm {
            id: film.id.clone(),
            title: film.title.clone(),
            year: film.year,
            imdb_id: film.imdb_id.clone(),
        }
    }
}

/// One viewing: its own date, rating and review.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryEntry {
    pub id: i64,
    /// The owner's account name.
    pub user: String,
    pub film: DiaryFilm,
    /// When the film was seen (`YYYY-MM-DD`); null when the source did not say.
    #[schema(format = Date)]
    pub watched: Option<String>,
    /// When the viewing was logged (`YYYY-MM-DD`).
    #[schema(format = Date)]
    pub logged: String,
    /// Stars, 0.5 to 5 in half steps; null when not rated.
    pub rating: Option<f32>,
    pub liked: bool,
    pub rewatch: bool,
    /// The review as its author wrote it (Markdown); null when there is none.
    pub review: Option<String>,
    /// The review gives the plot away: warn readers before showing it.
    pub spoilers: bool,
    pub tags: Vec<String>,
    /// Only its owner sees it (only ever true in answers to the owner's token).
    pub private: bool,
    /// How many people liked the review.
    pub likes: u32,
    /// The entry's page.
    pub url: String,
}

impl DiaryEntry {
    /// The entry, with `url` its page's absolute address.
    pub fn of(v: &Viewing, url: String) -> DiaryEntry {
        DiaryEntry {
            id: v.id,
            user: v.user.clone(),
            film: DiaryFilm::from(&v.film),
            watched: v.watched.map(|d| d.to_string()),
            logged: v.logged.to_string(),
            rating: v.rating.map(Rating::stars),
            liked: v.liked,
            rewatch: v.rewatch,
            review: v.review.clone().filter(|r| !r.trim().is_empty()),
            spoilers: v.spoilers,
            tags: v.tags.clone(),
            private: v.private,
            likes: v.likes,
            url,
        }
    }
}

/// A page of a member's diary, newest viewing first.
#[derive(Debug, Serialize, ToSchema)]
pub struct DiaryEntries {
    pub user: String,
    pub entries: Vec<DiaryEntry>,
    pub limit: u32,
    pub offset: u32,
    /// More entries follow: ask again with `offset` + `limit`.
    pub more: bool,
}

/// The site's public ratings of a film, one per member (their current rating).
#[derive(Debug, Serialize, ToSchema)]
pub struct FilmRatingsBody {
    /// The film's catalog id.
    pub film: String,
    pub count: u32,
    /// The mean in stars, to two decimals; null when nobody rated the film.
    pub average: Option<f64>,
    /// How many ratings had each value: ten numbers, ½★ first, 5★ last.
    pub histogram: Vec<u32>,
}

/// A list, without its films.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListInfo {
    /// Unique per owner.
    pub slug: String,
    pub name: String,
    /// The owner's account name.
    pub owner: String,
    pub description: Option<String>,
    /// Ranked lists number their films; unranked ones only order them.
    pub ranked: bool,
    /// Only its owner sees it (only ever true in answers to the owner's token).
    pub private: bool,
    pub tags: Vec<String>,
    #[schema(format = Date)]
    pub created: String,
    /// How many films it holds.
    pub films: u32,
    pub likes: u32,
    /// The list's page.
    pub url: String,
}

impl ListInfo {
    /// The list, with `url` its page's absolute address.
    pub fn of(list: &ListSummary, url: String) -> ListInfo {
        ListInfo {
            slug: list.slug.clone(),
            name: list.name.clone(),
            owner: list.owner.clone(),
            description: list.description.clone(),
            ranked: list.ranked,
            private: list.private,
            tags: list.tags.clone(),
            created: list.created.to_string(),
            films: list.films,
            likes: list.likes,
            url,
        }
    }
}

/// A member's lists, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct Lists {
    pub user: String,
    pub lists: Vec<ListInfo>,
}

/// A list with its films, in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct ListBody {
    pub list: ListInfo,
    pub items: Vec<ListItemBody>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListItemBody {
    /// 1-based.
    pub position: u32,
    pub film: DiaryFilm,
    pub note: Option<String>,
}

impl ListBody {
    /// The list and its films, with `url` its page's absolute address.
    pub fn of(list: &DiaryList, url: String) -> ListBody {
        ListBody {
            list: ListInfo::of(&list.summary, url),
            items: list
                .items
                .iter()
                .map(|item| ListItemBody {
                    position: item.position,
                    film: DiaryFilm::from(&item.film),
                    note: item.note.clone(),
                })
                .collect(),
        }
    }
}
