//! The diary's tables: viewings, per-film state, lists, follows and likes. Every read that
//! returns other people's things applies the one privacy rule in SQL (`private = 0 OR owner =
//! viewer`), so a page can never forget it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use kinograph_catalog::Outcome;
use kinograph_diary::{
    DiaryList, FilmRatings, FilmRef, FilmState, ListItem, ListSummary, NewList, NewViewing, Rating,
    StatsViewing, Viewing, ViewingQuery,
};
use kinograph_publishing::User;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, params, params_from_iter};

use super::{SqliteBackend, json_list, to_json_list};
use crate::{DiaryRead, DiaryWrite, Error, FilmStateFilter, Result};

const DATE: &str = "%Y-%m-%d";

pub(crate) fn date_text(date: NaiveDate) -> String {
    date.format(DATE).to_string()
}

pub(crate) fn date(text: Option<String>) -> Result<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(&t, DATE).map_err(|e| Error::Corrupt {
            what: "diary date",
            detail: format!("{t:?}: {e}"),
        })
    })
    .transpose()
}

pub(crate) fn required_date(text: String) -> Result<NaiveDate> {
    date(Some(text))?.ok_or(Error::Corrupt {
        what: "diary date",
        detail: "missing".into(),
    })
}

pub(crate) fn rating(half_stars: Option<u8>) -> Result<Option<Rating>> {
    half_stars
        .map(|h| {
            Rating::from_half_stars(h).ok_or_else(|| Error::Corrupt {
                what: "rating",
                detail: h.to_string(),
            })
        })
        .transpose()
}

/// The film of a public id or IMDb id, or the error that names it.
fn film_pk(conn: &Connection, film: &str) -> Result<i64> {
    conn.prepare_cached("SELECT pk FROM films WHERE id = ?1 OR imdb_id = ?1")?
        .query_row([film], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::UnknownEntity {
            kind: "film",
            id: film.to_string(),
        })
}

const FILM_REF: &str = "f.id, f.title, f.year, f.imdb_id";

fn film_ref(row: &Row<'_>, at: usize) -> rusqlite::Result<FilmRef> {
    Ok(FilmRef {
        id: row.get(at)?,
        title: row.get(at + 1)?,
        year: row.get(at + 2)?,
        imdb_id: row.get(at + 3)?,
    })
}

const VIEWING_COLUMNS: &str = "v.pk, v.user_pk, u.name, v.watched, v.logged, v.rating, v.liked,
    v.rewatch, v.review, v.spoilers, v.tags, v.private, v.letterboxd_uri, v.key,
    (SELECT count(*) FROM viewing_likes l WHERE l.viewing_pk = v.pk),
    f.id, f.title, f.year, f.imdb_id";

const VIEWING_FROM: &str =
    "FROM viewings v JOIN users u ON u.pk = v.user_pk JOIN films f ON f.pk = v.film_pk";

pub(crate) type ViewingRow = (Viewing, Option<String>, String, Option<u8>, String);

fn viewing_row(r: &Row<'_>) -> rusqlite::Result<ViewingRow> {
    Ok((
        Viewing {
            id: r.get(0)?,
            user_id: r.get(1)?,
            user: r.get(2)?,
            film: film_ref(r, 15)?,
            watched: None,
            logged: NaiveDate::MIN,
            rating: None,
            liked: r.get(6)?,
            rewatch: r.get(7)?,
            review: r.get(8)?,
            spoilers: r.get(9)?,
            tags: Vec::new(),
            private: r.get(11)?,
            letterboxd_uri: r.get(12)?,
            key: r.get(13)?,
            likes: r.get(14)?,
        },
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(10)?,
    ))
}

pub(crate) fn viewing((mut v, watched, logged, half, tags): ViewingRow) -> Result<Viewing> {
    v.watched = date(watched)?;
    v.logged = required_date(logged)?;
    v.rating = rating(half)?;
    v.tags = json_list(&tags)?;
    Ok(v)
}

const STATE_COLUMNS: &str = "s.watched, s.watched_on, s.rating, s.rated_on, s.liked_on,
    s.watchlisted_on, s.private, f.id, f.title, f.year, f.imdb_id";

pub(crate) type StateRow = (FilmState, [Option<String>; 4], Option<u8>);

fn state_row(r: &Row<'_>) -> rusqlite::Result<StateRow> {
    Ok((
        FilmState {
            film: film_ref(r, 7)?,
            watched: r.get(0)?,
            watched_on: None,
            rating: None,
            rated_on: None,
            liked_on: None,
            watchlisted_on: None,
            private: r.get(6)?,
        },
        [r.get(1)?, r.get(3)?, r.get(4)?, r.get(5)?],
        r.get(2)?,
    ))
}

pub(crate) fn state((mut s, [watched, rated, liked, listed], half): StateRow) -> Result<FilmState> {
    s.watched_on = date(watched)?;
    s.rated_on = date(rated)?;
    s.liked_on = date(liked)?;
    s.watchlisted_on = date(listed)?;
    s.rating = rating(half)?;
    Ok(s)
}

const LIST_COLUMNS: &str = "l.pk, l.user_pk, u.name, l.slug, l.name, l.description, l.ranked,
    l.private, l.tags, l.created,
    (SELECT count(*) FROM list_items i WHERE i.list_pk = l.pk),
    (SELECT count(*) FROM list_likes k WHERE k.list_pk = l.pk)";

pub(crate) type ListRow = (ListSummary, String, String);

fn list_row(r: &Row<'_>) -> rusqlite::Result<ListRow> {
    Ok((
        ListSummary {
            id: r.get(0)?,
            owner_id: r.get(1)?,
            owner: r.get(2)?,
            slug: r.get(3)?,
            name: r.get(4)?,
            description: r.get(5)?,
            ranked: r.get(6)?,
            private: r.get(7)?,
            tags: Vec::new(),
            created: NaiveDate::MIN,
            films: r.get(10)?,
            likes: r.get(11)?,
        },
        r.get(8)?,
        r.get(9)?,
    ))
}

pub(crate) fn list_summary((mut l, tags, created): ListRow) -> Result<ListSummary> {
    l.tags = json_list(&tags)?;
    l.created = required_date(created)?;
    Ok(l)
}

/// `(id, name)` of people credited on a film.
pub(crate) type Credits = Vec<(String, String)>;

/// film pk, day, rating, rewatch, film id, film year, runtime.
type StatsRow = (
    i64,
    String,
    Option<u8>,
    bool,
    String,
    Option<i32>,
    Option<u32>,
);

const USER_BRIEF: &str = "u.pk, u.name, u.display_name, u.role, u.created_at";

fn user_brief(r: &Row<'_>) -> rusqlite::Result<(i64, String, String, String, String)> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
}

pub(crate) fn to_user(
    (id, name, display_name, role, created): (i64, String, String, String, String),
) -> Result<User> {
    Ok(User {
        id,
        name,
        display_name,
        role: role.parse().map_err(|_| Error::Corrupt {
            what: "user role",
            detail: role.clone(),
        })?,
        created,
    })
}

impl DiaryRead for SqliteBackend {
    fn viewings(&self, query: &ViewingQuery) -> Result<Vec<Viewing>> {
        // The page's rows are chosen on `viewings` alone, then only they are joined to their
        // owner, film and likes: a feed over thousands of viewings sorts keys, not rows.
        let mut filter = String::from("(v.private = 0 OR v.user_pk = ?1)");
        let mut args: Vec<Value> = vec![query.viewer.map_or(Value::Null, Value::Integer)];
        let mut arg = |sql: &mut String, clause: &str, value: Value| {
            args.push(value);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(owner) = &query.owner {
            arg(
                &mut filter,
                " AND v.user_pk = (SELECT pk FROM users WHERE name = ?)",
                Value::Text(owner.clone()),
            );
        }
        if let Some(film) = &query.film {
            arg(
                &mut filter,
                " AND v.film_pk IN (SELECT pk FROM films WHERE id = ? OR imdb_id = ?)",
                Value::Text(film.clone()),
            );
        }
        if let Some(follower) = query.followed_by {
            arg(
                &mut filter,
                " AND v.user_pk IN (SELECT followed_pk FROM follows WHERE follower_pk = ?)",
                Value::Integer(follower),
            );
        }
        if query.reviews_only {
            filter.push_str(" AND v.review IS NOT NULL AND v.review <> ''");
        }
        if let Some(year) = query.year {
            arg(
                &mut filter,
                " AND substr(coalesce(v.watched, v.logged), 1, 4) = ?",
                Value::Text(format!("{year:04}")),
            );
        }
        if let Some(tag) = &query.tag {
            arg(
                &mut filter,
                " AND EXISTS (SELECT 1 FROM json_each(v.tags) t WHERE t.value = ?)",
                Value::Text(tag.clone()),
            );
        }
        let mut page = String::new();
        arg(
            &mut page,
            " LIMIT ?",
            Value::Integer(i64::from(query.limit.max(1))),
        );
        arg(
            &mut page,
            " OFFSET ?",
            Value::Integer(i64::from(query.offset)),
        );
        let order = "ORDER BY coalesce(v.watched, v.logged) DESC, v.pk DESC";
        let sql = format!(
            "SELECT {VIEWING_COLUMNS} FROM
                (SELECT v.pk FROM viewings v WHERE {filter} {order}{page}) chosen
             JOIN viewings v ON v.pk = chosen.pk
             JOIN users u ON u.pk = v.user_pk JOIN films f ON f.pk = v.film_pk
             {order}"
        );
        self.conn
            .prepare_cached(&sql)?
            .query_map(params_from_iter(args), viewing_row)?
            .map(|row| viewing(row?))
            .collect()
    }

    fn viewing_years(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<i32>> {
        self.conn
            .prepare_cached(
                "SELECT DISTINCT CAST(substr(coalesce(watched, logged), 1, 4) AS INTEGER)
                 FROM viewings WHERE user_pk = ?1 AND (private = 0 OR user_pk = ?2)
                 ORDER BY 1 DESC",
            )?
            .query_map(params![owner, viewer], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()
            .map_err(Into::into)
    }

    fn viewing(&self, id: i64, viewer: Option<i64>) -> Result<Option<Viewing>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {VIEWING_COLUMNS} {VIEWING_FROM}
                 WHERE v.pk = ?1 AND (v.private = 0 OR v.user_pk = ?2)"
            ))?
            .query_row(params![id, viewer], viewing_row)
            .optional()?
            .map(viewing)
            .transpose()
    }

    fn film_state(&self, user: i64, film: &str) -> Result<Option<FilmState>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {STATE_COLUMNS} FROM user_films s JOIN films f ON f.pk = s.film_pk
                 WHERE s.user_pk = ?1 AND (f.id = ?2 OR f.imdb_id = ?2)"
            ))?
            .query_row(params![user, film], state_row)
            .optional()?
            .map(state)
            .transpose()
    }

    fn film_states(
        &self,
        owner: i64,
        viewer: Option<i64>,
        which: FilmStateFilter,
    ) -> Result<Vec<FilmState>> {
        // The watchlist and what was watched are public; a private rating or like is not.
        let (condition, order) = match which {
            FilmStateFilter::All => ("1", "f.title"),
            FilmStateFilter::Watched => ("s.watched = 1", "s.watched_on DESC, f.title"),
            FilmStateFilter::Rated => (
                "s.rating IS NOT NULL AND (s.private = 0 OR s.user_pk = ?2)",
                "s.rating DESC, f.title",
            ),
            FilmStateFilter::Liked => (
                "s.liked_on IS NOT NULL AND (s.private = 0 OR s.user_pk = ?2)",
                "s.liked_on DESC, f.title",
            ),
            FilmStateFilter::Watchlist => (
                "s.watchlisted_on IS NOT NULL",
                "s.watchlisted_on DESC, f.title",
            ),
        };
        let mut states: Vec<FilmState> = self
            .conn
            .prepare_cached(&format!(
                "SELECT {STATE_COLUMNS} FROM user_films s JOIN films f ON f.pk = s.film_pk
                 WHERE s.user_pk = ?1 AND ({condition}) AND (?2 IS NULL OR 1) -- binds ?2 for every filter
                 ORDER BY {order}"
            ))?
            .query_map(params![owner, viewer], state_row)?
            .map(|row| state(row?))
            .collect::<Result<_>>()?;
        if !kinograph_diary::can_see(viewer, owner, true) {
            for s in &mut states {
                if s.private {
                    s.rating = None;
                    s.rated_on = None;
                    s.liked_on = None;
                }
            }
        }
        Ok(states)
    }

    fn film_ratings(&self, film: &str) -> Result<FilmRatings> {
        let mut ratings = FilmRatings::default();
        let mut statement = self.conn.prepare_cached(
            "SELECT s.rating, count(*) FROM user_films s JOIN films f ON f.pk = s.film_pk
             WHERE (f.id = ?1 OR f.imdb_id = ?1) AND s.rating IS NOT NULL AND s.private = 0
             GROUP BY s.rating",
        )?;
        let rows =
            statement.query_map([film], |r| Ok((r.get::<_, u8>(0)?, r.get::<_, u32>(1)?)))?;
        for row in rows {
            let (half, count) = row?;
            if let Some(slot) = ratings.histogram.get_mut(usize::from(half).wrapping_sub(1)) {
                *slot = count;
                ratings.count += count;
            }
        }
        Ok(ratings)
    }

    fn lists(
        &self,
        owner: Option<&str>,
        viewer: Option<i64>,
        limit: u32,
    ) -> Result<Vec<ListSummary>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {LIST_COLUMNS} FROM lists l JOIN users u ON u.pk = l.user_pk
                 WHERE (?1 IS NULL OR u.name = ?1) AND (l.private = 0 OR l.user_pk = ?2)
                 ORDER BY l.created DESC, l.pk DESC LIMIT ?3"
            ))?
            .query_map(params![owner, viewer, limit], list_row)?
            .map(|row| list_summary(row?))
            .collect()
    }

    fn list(&self, owner: &str, slug: &str, viewer: Option<i64>) -> Result<Option<DiaryList>> {
        let Some(summary) = self
            .conn
            .prepare_cached(&format!(
                "SELECT {LIST_COLUMNS} FROM lists l JOIN users u ON u.pk = l.user_pk
                 WHERE u.name = ?1 AND l.slug = ?2 AND (l.private = 0 OR l.user_pk = ?3)"
            ))?
            .query_row(params![owner, slug, viewer], list_row)
            .optional()?
            .map(list_summary)
            .transpose()?
        else {
            return Ok(None);
        };
        let items = self
            .conn
            .prepare_cached(&format!(
                "SELECT i.position, i.note, {FILM_REF} FROM list_items i
                 JOIN films f ON f.pk = i.film_pk WHERE i.list_pk = ?1 ORDER BY i.position"
            ))?
            .query_map([summary.id], |r| {
                Ok(ListItem {
                    position: r.get(0)?,
                    note: r.get(1)?,
                    film: film_ref(r, 2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(Some(DiaryList { summary, items }))
    }

    fn following(&self, user: i64) -> Result<Vec<User>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {USER_BRIEF} FROM follows w JOIN users u ON u.pk = w.followed_pk
                 WHERE w.follower_pk = ?1 ORDER BY u.name"
            ))?
            .query_map([user], user_brief)?
            .map(|row| to_user(row?))
            .collect()
    }

    fn followers(&self, user: i64) -> Result<Vec<User>> {
        self.conn
            .prepare_cached(&format!(
                "SELECT {USER_BRIEF} FROM follows w JOIN users u ON u.pk = w.follower_pk
                 WHERE w.followed_pk = ?1 ORDER BY u.name"
            ))?
            .query_map([user], user_brief)?
            .map(|row| to_user(row?))
            .collect()
    }

    fn seen_films(&self, user: i64, films: &[String]) -> Result<HashSet<String>> {
        // One read of what the user has seen, however long the list asked about.
        let wanted: HashSet<&str> = films.iter().map(String::as_str).collect();
        let mut statement = self.conn.prepare_cached(
            "SELECT f.id, f.imdb_id FROM user_films s JOIN films f ON f.pk = s.film_pk
             WHERE s.user_pk = ?1 AND s.watched = 1",
        )?;
        let rows = statement.query_map([user], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?))
        })?;
        let mut seen = HashSet::new();
        for row in rows {
            let (id, imdb) = row?;
            for key in std::iter::once(id).chain(imdb) {
                if wanted.contains(key.as_str()) {
                    seen.insert(key);
                }
            }
        }
        Ok(seen)
    }

    fn stats_viewings(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<StatsViewing>> {
        // The credits of every film the viewings name, in one read.
        let mut credits_of: HashMap<i64, (Credits, Credits)> = HashMap::new();
        let mut credits = self.conn.prepare_cached(
            "SELECT c.film_pk, p.id, p.name, c.category FROM credits c
             JOIN people p ON p.pk = c.person_pk
             WHERE c.film_pk IN (SELECT film_pk FROM viewings
                                 WHERE user_pk = ?1 AND (private = 0 OR user_pk = ?2))
               AND (c.category = 'director'
                    OR (c.category IN ('actor', 'actress', 'self') AND coalesce(c.billing, 0) <= 5))
             ORDER BY c.film_pk, coalesce(c.billing, 0), p.name",
        )?;
        let rows = credits.query_map(params![owner, viewer], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (film, id, name, category) = row?;
            let (directors, actors) = credits_of.entry(film).or_default();
            if category == "director" {
                directors.push((id, name));
            } else {
                actors.push((id, name));
            }
        }
        let rows: Vec<StatsRow> = self
            .conn
            .prepare_cached(
                "SELECT v.film_pk, coalesce(v.watched, v.logged), v.rating, v.rewatch, f.id, f.year,
                        f.runtime_minutes
                 FROM viewings v JOIN films f ON f.pk = v.film_pk
                 WHERE v.user_pk = ?1 AND (v.private = 0 OR v.user_pk = ?2)",
            )?
            .query_map(params![owner, viewer], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for (film_pk, day, half, rewatch, film, film_year, runtime) in rows {
            let (directors, actors) = credits_of.get(&film_pk).cloned().unwrap_or_default();
            out.push(StatsViewing {
                day: required_date(day)?,
                rating: rating(half)?,
                rewatch,
                film,
                film_year,
                runtime_minutes: runtime,
                directors,
                actors,
            });
        }
        Ok(out)
    }

    fn watchlist_autoremove(&self, user: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached("SELECT watchlist_autoremove FROM users WHERE pk = ?1")?
            .query_row([user], |r| r.get(0))
            .optional()?
            .unwrap_or(true))
    }

    fn likes_viewing(&self, user: i64, viewing: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM viewing_likes WHERE user_pk = ?1 AND viewing_pk = ?2)",
            )?
            .query_row([user, viewing], |r| r.get(0))?)
    }

    fn likes_list(&self, user: i64, list: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM list_likes WHERE user_pk = ?1 AND list_pk = ?2)",
            )?
            .query_row([user, list], |r| r.get(0))?)
    }

    fn is_following(&self, follower: i64, followed: i64) -> Result<bool> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM follows WHERE follower_pk = ?1 AND followed_pk = ?2)",
            )?
            .query_row([follower, followed], |r| r.get(0))?)
    }
}

pub(super) struct DiaryWriter<'c> {
    conn: &'c Connection,
}

impl<'c> DiaryWriter<'c> {
    pub(super) fn new(conn: &'c Connection) -> Self {
        DiaryWriter { conn }
    }

    /// The user's row for a film, created empty when missing.
    fn ensure_state(&self, user: i64, film: i64) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO user_films (user_pk, film_pk) VALUES (?1, ?2)
                 ON CONFLICT DO NOTHING",
            )?
            .execute([user, film])?;
        Ok(())
    }

    fn changed(rows: usize) -> Outcome {
        if rows == 0 {
            Outcome::Unchanged
        } else {
            Outcome::Updated
        }
    }

    fn viewing_pk(&self, user: i64, id: i64) -> Result<()> {
        let owned: bool = self
            .conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM viewings WHERE pk = ?1 AND user_pk = ?2)",
            )?
            .query_row([id, user], |r| r.get(0))?;
        if owned {
            Ok(())
        } else {
            Err(Error::UnknownEntity {
                kind: "diary entry",
                id: id.to_string(),
            })
        }
    }
}

pub(crate) fn half(rating: Option<Rating>) -> Option<u8> {
    rating.map(Rating::half_stars)
}

fn tags_json(tags: &[String]) -> String {
    to_json_list(tags)
}

impl DiaryWrite for DiaryWriter<'_> {
    fn add_viewing(&mut self, user: i64, new: &NewViewing) -> Result<(i64, Outcome)> {
        let film = film_pk(self.conn, &new.film)?;
        if let Some(existing) = self
            .conn
            .prepare_cached("SELECT pk FROM viewings WHERE user_pk = ?1 AND key = ?2")?
            .query_row(params![user, new.key], |r| r.get::<_, i64>(0))
            .optional()?
        {
            return Ok((existing, Outcome::Unchanged));
        }
        self.conn
            .prepare_cached(
                "INSERT INTO viewings (user_pk, film_pk, key, watched, logged, rating, liked,
                    rewatch, review, spoilers, tags, private, letterboxd_uri)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            )?
            .execute(params![
                user,
                film,
                new.key,
                new.watched.map(date_text),
                date_text(new.logged),
                half(new.rating),
                new.liked,
                new.rewatch,
                new.review,
                new.spoilers,
                tags_json(&new.tags),
                new.private,
                new.letterboxd_uri,
            ])?;
        Ok((self.conn.last_insert_rowid(), Outcome::New))
    }

    fn update_viewing(&mut self, user: i64, id: i64, new: &NewViewing) -> Result<()> {
        self.viewing_pk(user, id)?;
        let film = film_pk(self.conn, &new.film)?;
        self.conn
            .prepare_cached(
                "UPDATE viewings SET film_pk = ?3, watched = ?4, rating = ?5, liked = ?6,
                    rewatch = ?7, review = ?8, spoilers = ?9, tags = ?10, private = ?11
                 WHERE pk = ?1 AND user_pk = ?2",
            )?
            .execute(params![
                id,
                user,
                film,
                new.watched.map(date_text),
                half(new.rating),
                new.liked,
                new.rewatch,
                new.review,
                new.spoilers,
                tags_json(&new.tags),
                new.private,
            ])?;
        Ok(())
    }

    fn delete_viewing(&mut self, user: i64, id: i64) -> Result<()> {
        self.viewing_pk(user, id)?;
        self.conn
            .prepare_cached("DELETE FROM viewings WHERE pk = ?1 AND user_pk = ?2")?
            .execute([id, user])?;
        Ok(())
    }

    fn mark_watched(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome> {
        let film = film_pk(self.conn, film)?;
        self.ensure_state(user, film)?;
        // The earliest known day stays: "watched on" is when it was first seen.
        let rows = self
            .conn
            .prepare_cached(
                "UPDATE user_films SET watched = 1,
                    watched_on = CASE WHEN watched_on IS NULL OR ?3 < watched_on THEN ?3
                                      ELSE watched_on END
                 WHERE user_pk = ?1 AND film_pk = ?2
                   AND (watched = 0 OR (?3 IS NOT NULL AND (watched_on IS NULL OR ?3 < watched_on)))",
            )?
            .execute(params![user, film, on.map(date_text)])?;
        Ok(Self::changed(rows))
    }

    fn unmark_watched(&mut self, user: i64, film: &str) -> Result<Outcome> {
        let film = film_pk(self.conn, film)?;
        let rows = self
            .conn
            .prepare_cached(
                "UPDATE user_films SET watched = 0, watched_on = NULL
                 WHERE user_pk = ?1 AND film_pk = ?2 AND watched = 1",
            )?
            .execute([user, film])?;
        Ok(Self::changed(rows))
    }

    fn set_rating(
        &mut self,
        user: i64,
        film: &str,
        rating: Option<Rating>,
        on: NaiveDate,
        private: bool,
    ) -> Result<Outcome> {
        let film = film_pk(self.conn, film)?;
        self.ensure_state(user, film)?;
        let rows = self
            .conn
            .prepare_cached(
                "UPDATE user_films SET rating = ?3, rated_on = CASE WHEN ?3 IS NULL THEN NULL ELSE ?4 END,
                    private = ?5
                 WHERE user_pk = ?1 AND film_pk = ?2
                   AND (rating IS NOT ?3 OR rated_on IS NOT (CASE WHEN ?3 IS NULL THEN NULL ELSE ?4 END)
                        OR private <> ?5)",
            )?
            .execute(params![user, film, half(rating), date_text(on), private])?;
        Ok(Self::changed(rows))
    }

    fn set_liked(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome> {
        let film = film_pk(self.conn, film)?;
        self.ensure_state(user, film)?;
        let rows = self
            .conn
            .prepare_cached(
                "UPDATE user_films SET liked_on = ?3
                 WHERE user_pk = ?1 AND film_pk = ?2 AND liked_on IS NOT ?3
                   AND NOT (liked_on IS NOT NULL AND ?3 IS NOT NULL)",
            )?
            .execute(params![user, film, on.map(date_text)])?;
        Ok(Self::changed(rows))
    }

    fn set_watchlisted(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome> {
        let film = film_pk(self.conn, film)?;
        self.ensure_state(user, film)?;
        let rows = self
            .conn
            .prepare_cached(
                "UPDATE user_films SET watchlisted_on = ?3
                 WHERE user_pk = ?1 AND film_pk = ?2 AND watchlisted_on IS NOT ?3
                   AND NOT (watchlisted_on IS NOT NULL AND ?3 IS NOT NULL)",
            )?
            .execute(params![user, film, on.map(date_text)])?;
        Ok(Self::changed(rows))
    }

    fn set_watchlist_autoremove(&mut self, user: i64, on: bool) -> Result<()> {
        self.conn
            .prepare_cached("UPDATE users SET watchlist_autoremove = ?2 WHERE pk = ?1")?
            .execute(params![user, on])?;
        Ok(())
    }

    fn put_list(&mut self, user: i64, slug: &str, list: &NewList) -> Result<(i64, Outcome)> {
        let mut films = Vec::with_capacity(list.items.len());
        for item in &list.items {
            films.push(film_pk(self.conn, &item.film)?);
        }
        let existing: Option<i64> = self
            .conn
            .prepare_cached("SELECT pk FROM lists WHERE user_pk = ?1 AND slug = ?2")?
            .query_row(params![user, slug], |r| r.get(0))
            .optional()?;
        let (pk, outcome) = match existing {
            Some(pk) => {
                let before = self.list_fingerprint(pk)?;
                self.conn
                    .prepare_cached(
                        "UPDATE lists SET name = ?2, description = ?3, ranked = ?4, private = ?5,
                            tags = ?6 WHERE pk = ?1",
                    )?
                    .execute(params![
                        pk,
                        list.name,
                        list.description,
                        list.ranked,
                        list.private,
                        tags_json(&list.tags)
                    ])?;
                self.conn
                    .prepare_cached("DELETE FROM list_items WHERE list_pk = ?1")?
                    .execute([pk])?;
                self.insert_items(pk, &films, list)?;
                let outcome = if self.list_fingerprint(pk)? == before {
                    Outcome::Unchanged
                } else {
                    Outcome::Updated
                };
                (pk, outcome)
            }
            None => {
                self.conn
                    .prepare_cached(
                        "INSERT INTO lists (user_pk, slug, name, description, ranked, private, tags,
                            created) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?
                    .execute(params![
                        user,
                        slug,
                        list.name,
                        list.description,
                        list.ranked,
                        list.private,
                        tags_json(&list.tags),
                        date_text(list.created)
                    ])?;
                let pk = self.conn.last_insert_rowid();
                self.insert_items(pk, &films, list)?;
                (pk, Outcome::New)
            }
        };
        Ok((pk, outcome))
    }

    fn delete_list(&mut self, user: i64, slug: &str) -> Result<()> {
        let rows = self
            .conn
            .prepare_cached("DELETE FROM lists WHERE user_pk = ?1 AND slug = ?2")?
            .execute(params![user, slug])?;
        if rows == 0 {
            return Err(Error::UnknownEntity {
                kind: "list",
                id: slug.to_string(),
            });
        }
        Ok(())
    }

    fn follow(&mut self, follower: i64, followed: i64, on: bool) -> Result<Outcome> {
        if follower == followed {
            return Err(Error::Conflict("you cannot follow yourself".into()));
        }
        self.pair(
            "follows",
            "follower_pk",
            "followed_pk",
            follower,
            followed,
            on,
        )
    }

    fn like_viewing(&mut self, user: i64, viewing: i64, on: bool) -> Result<Outcome> {
        self.pair("viewing_likes", "user_pk", "viewing_pk", user, viewing, on)
    }

    fn like_list(&mut self, user: i64, list: i64, on: bool) -> Result<Outcome> {
        self.pair("list_likes", "user_pk", "list_pk", user, list, on)
    }
}

impl DiaryWriter<'_> {
    /// Adds (`on`) or removes the row `(a, b)` of a two-column link table: a follow, a like.
    /// The names are this module's constants, never user input.
    fn pair(
        &self,
        table: &str,
        a_column: &str,
        b_column: &str,
        a: i64,
        b: i64,
        on: bool,
    ) -> Result<Outcome> {
        let sql = if on {
            format!(
                "INSERT INTO {table} ({a_column}, {b_column}) VALUES (?1, ?2) ON CONFLICT DO NOTHING"
            )
        } else {
            format!("DELETE FROM {table} WHERE {a_column} = ?1 AND {b_column} = ?2")
        };
        let rows = self.conn.prepare_cached(&sql)?.execute([a, b])?;
        Ok(Self::changed(rows))
    }

    fn insert_items(&self, list: i64, films: &[i64], new: &NewList) -> Result<()> {
        let mut insert = self.conn.prepare_cached(
            "INSERT INTO list_items (list_pk, position, film_pk, note) VALUES (?1, ?2, ?3, ?4)",
        )?;
        for (position, (film, item)) in (1u32..).zip(films.iter().zip(&new.items)) {
            insert.execute(params![list, position, film, item.note])?;
        }
        Ok(())
    }

    /// The list as text, to tell whether a replacement changed it.
    fn list_fingerprint(&self, list: i64) -> Result<String> {
        Ok(self
            .conn
            .prepare_cached(
                "SELECT l.name || char(31) || coalesce(l.description, '') || char(31) || l.ranked
                || char(31) || l.private || char(31) || l.tags || char(31) ||
                coalesce((SELECT group_concat(i.position || ':' || i.film_pk || ':'
                    || coalesce(i.note, ''), char(30)) FROM
                    (SELECT * FROM list_items WHERE list_pk = l.pk ORDER BY position) i), '')
             FROM lists l WHERE l.pk = ?1",
            )?
            .query_row([list], |r| r.get(0))?)
    }
}
