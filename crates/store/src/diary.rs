//! The diary's steps, each one transaction: logging a viewing also marks the film seen, keeps
//! the user's current rating and like, and takes the film off the watchlist when the user wants
//! that. Also the user archive (everything a user owns) read out of the store.

use chrono::NaiveDate;
use kinograph_catalog::Outcome;
use kinograph_diary::{
    ARCHIVE_FORMAT, ARCHIVE_VERSION, ArchiveFilm, ArchiveFilmState, ArchiveList, ArchiveListItem,
    ArchiveViewing, FilmRef, NewViewing, UserArchive, ViewingQuery,
};
use kinograph_publishing::User;

use crate::{DiaryRead, FilmStateFilter, Result, Store};

/// A new viewing's key when it was logged here rather than imported.
pub fn new_key() -> Result<String> {
    let token = kinograph_publishing::new_token("kg:").map_err(crate::Error::NoRandomness)?;
    Ok(token.get(..25).unwrap_or(&token).to_string())
}

/// Logs a viewing with its side effects; returns its id and whether it was new (a viewing with
/// a key the user already has is left as it is).
pub fn log(store: &mut Store, user: i64, viewing: &NewViewing) -> Result<(i64, Outcome)> {
    let state = store.film_state(user, &viewing.film)?;
    let autoremove = store.watchlist_autoremove(user)?;
    let day = viewing.watched.unwrap_or(viewing.logged);
    // A viewing older than the rating on record does not replace it.
    let newest = state
        .as_ref()
        .and_then(|s| s.rated_on)
        .is_none_or(|rated| rated <= day);
    store.diary(|w| {
        let (id, outcome) = w.add_viewing(user, viewing)?;
        if outcome == Outcome::Unchanged {
            return Ok((id, outcome));
        }
        w.mark_watched(user, &viewing.film, Some(day))?;
        if let Some(rating) = viewing.rating
            && newest
        {
            w.set_rating(user, &viewing.film, Some(rating), day, viewing.private)?;
        }
        if viewing.liked {
            w.set_liked(user, &viewing.film, Some(day))?;
        }
        if autoremove && state.as_ref().is_some_and(|s| s.watchlisted()) {
            w.set_watchlisted(user, &viewing.film, None)?;
        }
        Ok((id, outcome))
    })
}

/// Everything `user` owns, for the JSON export.
pub fn archive(store: &Store, user: &User, today: NaiveDate) -> Result<UserArchive> {
    let me = Some(user.id);
    let mut viewings = Vec::new();
    let page = 1000;
    loop {
        let batch = store.viewings(&ViewingQuery {
            viewer: me,
            owner: Some(user.name.clone()),
            limit: page,
            offset: u32::try_from(viewings.len()).unwrap_or(u32::MAX),
            ..ViewingQuery::default()
        })?;
        let done = batch.len() < page as usize;
        viewings.extend(batch.into_iter().map(|v| ArchiveViewing {
            key: v.key,
            film: archive_film(v.film),
            watched: v.watched,
            logged: v.logged,
            rating: v.rating,
            liked: v.liked,
            rewatch: v.rewatch,
            review: v.review,
            spoilers: v.spoilers,
            tags: v.tags,
            private: v.private,
            letterboxd_uri: v.letterboxd_uri,
        }));
        if done {
            break;
        }
    }
    // Oldest first reads naturally and imports in the order it happened.
    viewings.reverse();
    let films = store
        .film_states(user.id, me, FilmStateFilter::All)?
        .into_iter()
        .map(|s| ArchiveFilmState {
            film: archive_film(s.film),
            watched: s.watched,
            watched_on: s.watched_on,
            rating: s.rating,
            rated_on: s.rated_on,
            liked_on: s.liked_on,
            watchlisted_on: s.watchlisted_on,
            private: s.private,
        })
        .collect();
    let mut lists = Vec::new();
    for summary in store.lists(Some(&user.name), me, u32::MAX)? {
        if let Some(list) = store.list(&user.name, &summary.slug, me)? {
            lists.push(ArchiveList {
                slug: summary.slug,
                name: summary.name,
                description: summary.description,
                ranked: summary.ranked,
                private: summary.private,
                tags: summary.tags,
                created: summary.created,
                items: list
                    .items
                    .into_iter()
                    .map(|item| ArchiveListItem {
                        film: archive_film(item.film),
                        note: item.note,
                    })
                    .collect(),
            });
        }
    }
    lists.reverse();
    Ok(UserArchive {
        format: ARCHIVE_FORMAT.into(),
        version: ARCHIVE_VERSION,
        user: user.name.clone(),
        display_name: user.display_name.clone(),
        exported: today,
        watchlist_autoremove: store.watchlist_autoremove(user.id)?,
        viewings,
        films,
        lists,
        following: store
            .following(user.id)?
            .into_iter()
            .map(|u| u.name)
            .collect(),
    })
}

fn archive_film(film: FilmRef) -> ArchiveFilm {
    ArchiveFilm {
        id: film.id,
        imdb_id: film.imdb_id,
        title: film.title,
        year: film.year,
    }
}
