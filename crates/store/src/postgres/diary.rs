//! The diary's tables: viewings, per-film state, lists, follows and likes, as in
//! `crate::sqlite::diary`. Every read that returns other people's things applies the one privacy
//! rule in SQL (`NOT private OR owner = viewer`), so a page can never forget it.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use kinograph_catalog::Outcome;
use kinograph_diary::{
    DiaryList, FilmRatings, FilmRef, FilmState, ListItem, ListSummary, NewList, NewViewing, Rating,
    StatsViewing, Viewing, ViewingQuery,
};
use kinograph_publishing::User;
use postgres::Row;
use postgres::types::ToSql;

use super::{Sql, Tx};

use super::PgBackend;
use crate::columns::to_json_list;
use crate::sqlite::diary::{
    Credits, ListRow, StateRow, ViewingRow, date_text, half, list_summary, rating, required_date,
    state, to_user, viewing,
};
use crate::{DiaryRead, DiaryWrite, Error, FilmStateFilter, Result};

/// A BIGINT column as the narrower integer the records hold; out of range is corrupt (rusqlite's
/// typed `get` refused such a value too).
fn int<T: TryFrom<i64>>(what: &'static str, value: i64) -> Result<T> {
    T::try_from(value).map_err(|_| Error::Corrupt {
        what,
        detail: value.to_string(),
    })
}

fn opt_int<T: TryFrom<i64>>(what: &'static str, value: Option<i64>) -> Result<Option<T>> {
    value.map(|v| int(what, v)).transpose()
}

/// A rating column (half stars), before `rating` checks its range.
fn half_stars(value: Option<i64>) -> Result<Option<u8>> {
    opt_int("rating", value)
}

/// A rating as its column value.
fn half_column(rating: Option<Rating>) -> Option<i64> {
    half(rating).map(i64::from)
}

/// The film of a public id or IMDb id, or the error that names it.
fn film_pk(client: &mut impl Sql, film: &str) -> Result<i64> {
    // `LIMIT 1`: SQLite's `query_row` took the first row where PostgreSQL's `query_opt` would
    // fail on a second.
    match client.query_opt(
        "SELECT pk FROM films WHERE id = $1 OR imdb_id = $1 LIMIT 1",
        &[&film],
    )? {
        Some(row) => Ok(row.try_get(0)?),
        None => Err(Error::UnknownEntity {
            kind: "film",
            id: film.to_string(),
        }),
    }
}

const FILM_REF: &str = "f.id, f.title, f.year, f.imdb_id";

fn film_ref(row: &Row, at: usize) -> Result<FilmRef> {
    Ok(FilmRef {
        id: row.try_get(at)?,
        title: row.try_get(at + 1)?,
        year: opt_int("film year", row.try_get(at + 2)?)?,
        imdb_id: row.try_get(at + 3)?,
    })
}

const VIEWING_COLUMNS: &str = "v.pk, v.user_pk, u.name, v.watched, v.logged, v.rating, v.liked,
    v.rewatch, v.review, v.spoilers, v.tags, v.private, v.letterboxd_uri, v.key,
    (SELECT count(*) FROM viewing_likes l WHERE l.viewing_pk = v.pk),
    f.id, f.title, f.year, f.imdb_id";

const VIEWING_FROM: &str =
    "FROM viewings v JOIN users u ON u.pk = v.user_pk JOIN films f ON f.pk = v.film_pk";

fn viewing_row(r: &Row) -> Result<ViewingRow> {
    Ok((
        Viewing {
            id: r.try_get(0)?,
            user_id: r.try_get(1)?,
            user: r.try_get(2)?,
            film: film_ref(r, 15)?,
            watched: None,
            logged: NaiveDate::MIN,
            rating: None,
            liked: r.try_get(6)?,
            rewatch: r.try_get(7)?,
            review: r.try_get(8)?,
            spoilers: r.try_get(9)?,
            tags: Vec::new(),
            private: r.try_get(11)?,
            letterboxd_uri: r.try_get(12)?,
            key: r.try_get(13)?,
            likes: int("like count", r.try_get(14)?)?,
        },
        r.try_get(3)?,
        r.try_get(4)?,
        half_stars(r.try_get(5)?)?,
        r.try_get(10)?,
    ))
}

const STATE_COLUMNS: &str = "s.watched, s.watched_on, s.rating, s.rated_on, s.liked_on,
    s.watchlisted_on, s.private, f.id, f.title, f.year, f.imdb_id";

fn state_row(r: &Row) -> Result<StateRow> {
    Ok((
        FilmState {
            film: film_ref(r, 7)?,
            watched: r.try_get(0)?,
            watched_on: None,
            rating: None,
            rated_on: None,
            liked_on: None,
            watchlisted_on: None,
            private: r.try_get(6)?,
        },
        [r.try_get(1)?, r.try_get(3)?, r.try_get(4)?, r.try_get(5)?],
        half_stars(r.try_get(2)?)?,
    ))
}

const LIST_COLUMNS: &str = "l.pk, l.user_pk, u.name, l.slug, l.name, l.description, l.ranked,
    l.private, l.tags, l.created,
    (SELECT count(*) FROM list_items i WHERE i.list_pk = l.pk),
    (SELECT count(*) FROM list_likes k WHERE k.list_pk = l.pk)";

fn list_row(r: &Row) -> Result<ListRow> {
    Ok((
        ListSummary {
            id: r.try_get(0)?,
            owner_id: r.try_get(1)?,
            owner: r.try_get(2)?,
            slug: r.try_get(3)?,
            name: r.try_get(4)?,
            description: r.try_get(5)?,
            ranked: r.try_get(6)?,
            private: r.try_get(7)?,
            tags: Vec::new(),
            created: NaiveDate::MIN,
            films: int("list length", r.try_get(10)?)?,
            likes: int("like count", r.try_get(11)?)?,
        },
        r.try_get(8)?,
        r.try_get(9)?,
    ))
}

const USER_BRIEF: &str = "u.pk, u.name, u.display_name, u.role, u.created_at";

fn user_brief(r: &Row) -> Result<User> {
    to_user((
        r.try_get(0)?,
        r.try_get(1)?,
        r.try_get(2)?,
        r.try_get(3)?,
        r.try_get(4)?,
    ))
}

impl DiaryRead for PgBackend {
    fn viewings(&self, query: &ViewingQuery) -> Result<Vec<Viewing>> {
        // The page's rows are chosen on `viewings` alone, then only they are joined to their
        // owner, film and likes: a feed over thousands of viewings sorts keys, not rows.
        // The SQL and its parameters grow together: each clause's `?` becomes the `$n` of the
        // value pushed with it.
        let mut filter = String::from("(NOT v.private OR v.user_pk = $1)");
        let mut args: Vec<Box<dyn ToSql + Sync>> = vec![Box::new(query.viewer)];
        let mut arg = |sql: &mut String, clause: &str, value: Box<dyn ToSql + Sync>| {
            args.push(value);
            sql.push_str(&clause.replace('?', &format!("${}", args.len())));
        };
        if let Some(owner) = &query.owner {
            arg(
                &mut filter,
                " AND v.user_pk = (SELECT pk FROM users WHERE name = ?)",
                Box::new(owner.clone()),
            );
        }
        if let Some(film) = &query.film {
            arg(
                &mut filter,
                " AND v.film_pk IN (SELECT pk FROM films WHERE id = ? OR imdb_id = ?)",
                Box::new(film.clone()),
            );
        }
        if let Some(follower) = query.followed_by {
            arg(
                &mut filter,
                " AND v.user_pk IN (SELECT followed_pk FROM follows WHERE follower_pk = ?)",
                Box::new(follower),
            );
        }
        if query.reviews_only {
            filter.push_str(" AND v.review IS NOT NULL AND v.review <> ''");
        }
        if let Some(year) = query.year {
            arg(
                &mut filter,
                " AND substr(coalesce(v.watched, v.logged), 1, 4) = ?",
                Box::new(format!("{year:04}")),
            );
        }
        if let Some(tag) = &query.tag {
            // The tags are a JSON list in a TEXT column.
            arg(
                &mut filter,
                " AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(v.tags::jsonb) AS t(value)
                              WHERE t.value = ?)",
                Box::new(tag.clone()),
            );
        }
        let mut page = String::new();
        arg(
            &mut page,
            " LIMIT ?",
            Box::new(i64::from(query.limit.max(1))),
        );
        arg(&mut page, " OFFSET ?", Box::new(i64::from(query.offset)));
        // `logged` is NOT NULL, so the sort key never is: no NULLS clause needed.
        let order = "ORDER BY coalesce(v.watched, v.logged) DESC, v.pk DESC";
        let sql = format!(
            "SELECT {VIEWING_COLUMNS} FROM
                (SELECT v.pk FROM viewings v WHERE {filter} {order}{page}) chosen
             JOIN viewings v ON v.pk = chosen.pk
             JOIN users u ON u.pk = v.user_pk JOIN films f ON f.pk = v.film_pk
             {order}"
        );
        let params: Vec<&(dyn ToSql + Sync)> = args.iter().map(|a| a.as_ref()).collect();
        self.client()
            .query(&sql, &params)?
            .iter()
            .map(|row| viewing(viewing_row(row)?))
            .collect()
    }

    fn viewing_years(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<i32>> {
        self.client()
            .query(
                "SELECT DISTINCT CAST(substr(coalesce(watched, logged), 1, 4) AS INTEGER)
                 FROM viewings WHERE user_pk = $1 AND (NOT private OR user_pk = $2)
                 ORDER BY 1 DESC",
                &[&owner, &viewer],
            )?
            .iter()
            .map(|r| Ok(r.try_get(0)?))
            .collect()
    }

    fn viewing(&self, id: i64, viewer: Option<i64>) -> Result<Option<Viewing>> {
        self.client()
            .query_opt(
                &format!(
                    "SELECT {VIEWING_COLUMNS} {VIEWING_FROM}
                     WHERE v.pk = $1 AND (NOT v.private OR v.user_pk = $2)"
                ),
                &[&id, &viewer],
            )?
            .map(|row| viewing(viewing_row(&row)?))
            .transpose()
    }

    fn film_state(&self, user: i64, film: &str) -> Result<Option<FilmState>> {
        // `LIMIT 1`: the first row, as SQLite's `query_row` took it.
        self.client()
            .query_opt(
                &format!(
                    "SELECT {STATE_COLUMNS} FROM user_films s JOIN films f ON f.pk = s.film_pk
                     WHERE s.user_pk = $1 AND (f.id = $2 OR f.imdb_id = $2) LIMIT 1"
                ),
                &[&user, &film],
            )?
            .map(|row| state(state_row(&row)?))
            .transpose()
    }

    fn film_states(
        &self,
        owner: i64,
        viewer: Option<i64>,
        which: FilmStateFilter,
    ) -> Result<Vec<FilmState>> {
        // The watchlist and what was watched are public; a private rating or like is not.
        // `watched_on` may be NULL: SQLite sorts NULLs last descending, PostgreSQL first.
        let (condition, order) = match which {
            FilmStateFilter::All => ("TRUE", "f.title"),
            FilmStateFilter::Watched => ("s.watched", "s.watched_on DESC NULLS LAST, f.title"),
            FilmStateFilter::Rated => (
                "s.rating IS NOT NULL AND (NOT s.private OR s.user_pk = $2)",
                "s.rating DESC, f.title",
            ),
            FilmStateFilter::Liked => (
                "s.liked_on IS NOT NULL AND (NOT s.private OR s.user_pk = $2)",
                "s.liked_on DESC, f.title",
            ),
            FilmStateFilter::Watchlist => (
                "s.watchlisted_on IS NOT NULL",
                "s.watchlisted_on DESC, f.title",
            ),
        };
        // PostgreSQL rejects a parameter the statement never uses, and one whose type it cannot
        // tell: `$2::BIGINT IS NULL` binds $2 for every filter.
        let mut states: Vec<FilmState> = self
            .client()
            .query(
                &format!(
                    "SELECT {STATE_COLUMNS} FROM user_films s JOIN films f ON f.pk = s.film_pk
                     WHERE s.user_pk = $1 AND ({condition}) AND ($2::BIGINT IS NULL OR TRUE)
                     ORDER BY {order}"
                ),
                &[&owner, &viewer],
            )?
            .iter()
            .map(|row| state(state_row(row)?))
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
        let rows = self.client().query(
            "SELECT s.rating, count(*) FROM user_films s JOIN films f ON f.pk = s.film_pk
             WHERE (f.id = $1 OR f.imdb_id = $1) AND s.rating IS NOT NULL AND NOT s.private
             GROUP BY s.rating",
            &[&film],
        )?;
        for row in rows {
            let half: u8 = int("rating", row.try_get(0)?)?;
            let count: u32 = int("rating count", row.try_get(1)?)?;
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
        self.client()
            .query(
                &format!(
                    "SELECT {LIST_COLUMNS} FROM lists l JOIN users u ON u.pk = l.user_pk
                     WHERE ($1::TEXT IS NULL OR u.name = $1) AND (NOT l.private OR l.user_pk = $2)
                     ORDER BY l.created DESC, l.pk DESC LIMIT $3"
                ),
                &[&owner, &viewer, &i64::from(limit)],
            )?
            .iter()
            .map(|row| list_summary(list_row(row)?))
            .collect()
    }

    fn list(&self, owner: &str, slug: &str, viewer: Option<i64>) -> Result<Option<DiaryList>> {
        let mut client = self.client();
        let Some(summary) = client
            .query_opt(
                &format!(
                    "SELECT {LIST_COLUMNS} FROM lists l JOIN users u ON u.pk = l.user_pk
                     WHERE u.name = $1 AND l.slug = $2 AND (NOT l.private OR l.user_pk = $3)"
                ),
                &[&owner, &slug, &viewer],
            )?
            .map(|row| list_summary(list_row(&row)?))
            .transpose()?
        else {
            return Ok(None);
        };
        let items = client
            .query(
                &format!(
                    "SELECT i.position, i.note, {FILM_REF} FROM list_items i
                     JOIN films f ON f.pk = i.film_pk WHERE i.list_pk = $1 ORDER BY i.position"
                ),
                &[&summary.id],
            )?
            .iter()
            .map(|r| {
                Ok(ListItem {
                    position: int("list position", r.try_get(0)?)?,
                    note: r.try_get(1)?,
                    film: film_ref(r, 2)?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(Some(DiaryList { summary, items }))
    }

    fn following(&self, user: i64) -> Result<Vec<User>> {
        self.client()
            .query(
                &format!(
                    "SELECT {USER_BRIEF} FROM follows w JOIN users u ON u.pk = w.followed_pk
                     WHERE w.follower_pk = $1 ORDER BY u.name"
                ),
                &[&user],
            )?
            .iter()
            .map(user_brief)
            .collect()
    }

    fn followers(&self, user: i64) -> Result<Vec<User>> {
        self.client()
            .query(
                &format!(
                    "SELECT {USER_BRIEF} FROM follows w JOIN users u ON u.pk = w.follower_pk
                     WHERE w.followed_pk = $1 ORDER BY u.name"
                ),
                &[&user],
            )?
            .iter()
            .map(user_brief)
            .collect()
    }

    fn seen_films(&self, user: i64, films: &[String]) -> Result<HashSet<String>> {
        // One read of what the user has seen, however long the list asked about.
        let wanted: HashSet<&str> = films.iter().map(String::as_str).collect();
        let rows = self.client().query(
            "SELECT f.id, f.imdb_id FROM user_films s JOIN films f ON f.pk = s.film_pk
             WHERE s.user_pk = $1 AND s.watched",
            &[&user],
        )?;
        let mut seen = HashSet::new();
        for row in rows {
            let id: String = row.try_get(0)?;
            let imdb: Option<String> = row.try_get(1)?;
            for key in std::iter::once(id).chain(imdb) {
                if wanted.contains(key.as_str()) {
                    seen.insert(key);
                }
            }
        }
        Ok(seen)
    }

    fn stats_viewings(&self, owner: i64, viewer: Option<i64>) -> Result<Vec<StatsViewing>> {
        let mut client = self.client();
        // The credits of every film the viewings name, in one read.
        let mut credits_of: HashMap<i64, (Credits, Credits)> = HashMap::new();
        let rows = client.query(
            "SELECT c.film_pk, p.id, p.name, c.category FROM credits c
             JOIN people p ON p.pk = c.person_pk
             WHERE c.film_pk IN (SELECT film_pk FROM viewings
                                 WHERE user_pk = $1 AND (NOT private OR user_pk = $2))
               AND (c.category = 'director'
                    OR (c.category IN ('actor', 'actress', 'self') AND coalesce(c.billing, 0) <= 5))
             ORDER BY c.film_pk, coalesce(c.billing, 0), p.name",
            &[&owner, &viewer],
        )?;
        for row in rows {
            let film: i64 = row.try_get(0)?;
            let id: String = row.try_get(1)?;
            let name: String = row.try_get(2)?;
            let category: String = row.try_get(3)?;
            let (directors, actors) = credits_of.entry(film).or_default();
            if category == "director" {
                directors.push((id, name));
            } else {
                actors.push((id, name));
            }
        }
        let rows = client.query(
            "SELECT v.film_pk, coalesce(v.watched, v.logged), v.rating, v.rewatch, f.id, f.year,
                    f.runtime_minutes
             FROM viewings v JOIN films f ON f.pk = v.film_pk
             WHERE v.user_pk = $1 AND (NOT v.private OR v.user_pk = $2)",
            &[&owner, &viewer],
        )?;
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let film_pk: i64 = row.try_get(0)?;
            let day: String = row.try_get(1)?;
            let (directors, actors) = credits_of.get(&film_pk).cloned().unwrap_or_default();
            out.push(StatsViewing {
                day: required_date(day)?,
                rating: rating(half_stars(row.try_get(2)?)?)?,
                rewatch: row.try_get(3)?,
                film: row.try_get(4)?,
                film_year: opt_int("film year", row.try_get(5)?)?,
                runtime_minutes: opt_int("runtime", row.try_get(6)?)?,
                directors,
                actors,
            });
        }
        Ok(out)
    }

    fn watchlist_autoremove(&self, user: i64) -> Result<bool> {
        match self.client().query_opt(
            "SELECT watchlist_autoremove FROM users WHERE pk = $1",
            &[&user],
        )? {
            Some(row) => Ok(row.try_get(0)?),
            None => Ok(true),
        }
    }

    fn likes_viewing(&self, user: i64, viewing: i64) -> Result<bool> {
        Ok(self
            .client()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM viewing_likes WHERE user_pk = $1 AND viewing_pk = $2)",
                &[&user, &viewing],
            )?
            .try_get(0)?)
    }

    fn likes_list(&self, user: i64, list: i64) -> Result<bool> {
        Ok(self
            .client()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM list_likes WHERE user_pk = $1 AND list_pk = $2)",
                &[&user, &list],
            )?
            .try_get(0)?)
    }

    fn is_following(&self, follower: i64, followed: i64) -> Result<bool> {
        Ok(self
            .client()
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM follows WHERE follower_pk = $1 AND followed_pk = $2)",
                &[&follower, &followed],
            )?
            .try_get(0)?)
    }
}

pub(super) struct DiaryWriter<'t, 'c> {
    tx: &'t mut Tx<'c>,
}

impl<'t, 'c> DiaryWriter<'t, 'c> {
    pub(super) fn new(tx: &'t mut Tx<'c>) -> Self {
        DiaryWriter { tx }
    }

    /// The user's row for a film, created empty when missing.
    fn ensure_state(&mut self, user: i64, film: i64) -> Result<()> {
        self.tx.execute(
            "INSERT INTO user_films (user_pk, film_pk) VALUES ($1, $2)
             ON CONFLICT DO NOTHING",
            &[&user, &film],
        )?;
        Ok(())
    }

    fn changed(rows: u64) -> Outcome {
        if rows == 0 {
            Outcome::Unchanged
        } else {
            Outcome::Updated
        }
    }

    fn viewing_pk(&mut self, user: i64, id: i64) -> Result<()> {
        let owned: bool = self
            .tx
            .query_one(
                "SELECT EXISTS (SELECT 1 FROM viewings WHERE pk = $1 AND user_pk = $2)",
                &[&id, &user],
            )?
            .try_get(0)?;
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

impl DiaryWrite for DiaryWriter<'_, '_> {
    fn add_viewing(&mut self, user: i64, new: &NewViewing) -> Result<(i64, Outcome)> {
        let film = film_pk(self.tx, &new.film)?;
        loop {
            if let Some(existing) = self.tx.query_opt(
                "SELECT pk FROM viewings WHERE user_pk = $1 AND key = $2",
                &[&user, &new.key],
            )? {
                return Ok((existing.try_get(0)?, Outcome::Unchanged));
            }
            // Another node may add the same key between the two statements (SQLite had one
            // writer): the insert then does nothing and the next pass finds theirs.
            if let Some(inserted) = self.tx.query_opt(
                "INSERT INTO viewings (user_pk, film_pk, key, watched, logged, rating, liked,
                    rewatch, review, spoilers, tags, private, letterboxd_uri)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
                 ON CONFLICT (user_pk, key) DO NOTHING
                 RETURNING pk",
                &[
                    &user,
                    &film,
                    &new.key,
                    &new.watched.map(date_text),
                    &date_text(new.logged),
                    &half_column(new.rating),
                    &new.liked,
                    &new.rewatch,
                    &new.review,
                    &new.spoilers,
                    &to_json_list(&new.tags),
                    &new.private,
                    &new.letterboxd_uri,
                ],
            )? {
                return Ok((inserted.try_get(0)?, Outcome::New));
            }
        }
    }

    fn update_viewing(&mut self, user: i64, id: i64, new: &NewViewing) -> Result<()> {
        self.viewing_pk(user, id)?;
        let film = film_pk(self.tx, &new.film)?;
        self.tx.execute(
            "UPDATE viewings SET film_pk = $3, watched = $4, rating = $5, liked = $6,
                rewatch = $7, review = $8, spoilers = $9, tags = $10, private = $11
             WHERE pk = $1 AND user_pk = $2",
            &[
                &id,
                &user,
                &film,
                &new.watched.map(date_text),
                &half_column(new.rating),
                &new.liked,
                &new.rewatch,
                &new.review,
                &new.spoilers,
                &to_json_list(&new.tags),
                &new.private,
            ],
        )?;
        Ok(())
    }

    fn delete_viewing(&mut self, user: i64, id: i64) -> Result<()> {
        self.viewing_pk(user, id)?;
        self.tx.execute(
            "DELETE FROM viewings WHERE pk = $1 AND user_pk = $2",
            &[&id, &user],
        )?;
        Ok(())
    }

    fn mark_watched(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome> {
        let film = film_pk(self.tx, film)?;
        self.ensure_state(user, film)?;
        // The earliest known day stays: "watched on" is when it was first seen. ($3 is cast:
        // PostgreSQL cannot type a bare `$3 IS NOT NULL`.)
        let rows = self.tx.execute(
            "UPDATE user_films SET watched = TRUE,
                watched_on = CASE WHEN watched_on IS NULL OR $3::TEXT < watched_on THEN $3::TEXT
                                  ELSE watched_on END
             WHERE user_pk = $1 AND film_pk = $2
               AND (NOT watched
                    OR ($3::TEXT IS NOT NULL AND (watched_on IS NULL OR $3::TEXT < watched_on)))",
            &[&user, &film, &on.map(date_text)],
        )?;
        Ok(Self::changed(rows))
    }

    fn unmark_watched(&mut self, user: i64, film: &str) -> Result<Outcome> {
        let film = film_pk(self.tx, film)?;
        let rows = self.tx.execute(
            "UPDATE user_films SET watched = FALSE, watched_on = NULL
             WHERE user_pk = $1 AND film_pk = $2 AND watched",
            &[&user, &film],
        )?;
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
        let film = film_pk(self.tx, film)?;
        self.ensure_state(user, film)?;
        // SQLite's `IS NOT` is `IS DISTINCT FROM` here.
        let rows = self.tx.execute(
            "UPDATE user_films SET rating = $3::BIGINT,
                rated_on = CASE WHEN $3::BIGINT IS NULL THEN NULL ELSE $4::TEXT END,
                private = $5
             WHERE user_pk = $1 AND film_pk = $2
               AND (rating IS DISTINCT FROM $3::BIGINT
                    OR rated_on IS DISTINCT FROM
                        (CASE WHEN $3::BIGINT IS NULL THEN NULL ELSE $4::TEXT END)
                    OR private <> $5)",
            &[&user, &film, &half_column(rating), &date_text(on), &private],
        )?;
        Ok(Self::changed(rows))
    }

    fn set_liked(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome> {
        let film = film_pk(self.tx, film)?;
        self.ensure_state(user, film)?;
        let rows = self.tx.execute(
            "UPDATE user_films SET liked_on = $3::TEXT
             WHERE user_pk = $1 AND film_pk = $2 AND liked_on IS DISTINCT FROM $3::TEXT
               AND NOT (liked_on IS NOT NULL AND $3::TEXT IS NOT NULL)",
            &[&user, &film, &on.map(date_text)],
        )?;
        Ok(Self::changed(rows))
    }

    fn set_watchlisted(&mut self, user: i64, film: &str, on: Option<NaiveDate>) -> Result<Outcome> {
        let film = film_pk(self.tx, film)?;
        self.ensure_state(user, film)?;
        let rows = self.tx.execute(
            "UPDATE user_films SET watchlisted_on = $3::TEXT
             WHERE user_pk = $1 AND film_pk = $2 AND watchlisted_on IS DISTINCT FROM $3::TEXT
               AND NOT (watchlisted_on IS NOT NULL AND $3::TEXT IS NOT NULL)",
            &[&user, &film, &on.map(date_text)],
        )?;
        Ok(Self::changed(rows))
    }

    fn set_watchlist_autoremove(&mut self, user: i64, on: bool) -> Result<()> {
        self.tx.execute(
            "UPDATE users SET watchlist_autoremove = $2 WHERE pk = $1",
            &[&user, &on],
        )?;
        Ok(())
    }

    fn put_list(&mut self, user: i64, slug: &str, list: &NewList) -> Result<(i64, Outcome)> {
        let mut films = Vec::with_capacity(list.items.len());
        for item in &list.items {
            films.push(film_pk(self.tx, &item.film)?);
        }
        loop {
            // `FOR UPDATE`: another node replacing the same list waits, so the fingerprint
            // taken before is still the list's when it is compared.
            let existing = self.tx.query_opt(
                "SELECT pk FROM lists WHERE user_pk = $1 AND slug = $2 FOR UPDATE",
                &[&user, &slug],
            )?;
            if let Some(row) = existing {
                let pk: i64 = row.try_get(0)?;
                let before = self.list_fingerprint(pk)?;
                self.tx.execute(
                    "UPDATE lists SET name = $2, description = $3, ranked = $4, private = $5,
                        tags = $6 WHERE pk = $1",
                    &[
                        &pk,
                        &list.name,
                        &list.description,
                        &list.ranked,
                        &list.private,
                        &to_json_list(&list.tags),
                    ],
                )?;
                self.tx
                    .execute("DELETE FROM list_items WHERE list_pk = $1", &[&pk])?;
                self.insert_items(pk, &films, list)?;
                let outcome = if self.list_fingerprint(pk)? == before {
                    Outcome::Unchanged
                } else {
                    Outcome::Updated
                };
                return Ok((pk, outcome));
            }
            // Another node may create the same list between the two statements: the insert
            // then does nothing and the next pass replaces theirs.
            let inserted = self.tx.query_opt(
                "INSERT INTO lists (user_pk, slug, name, description, ranked, private, tags,
                    created) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (user_pk, slug) DO NOTHING
                 RETURNING pk",
                &[
                    &user,
                    &slug,
                    &list.name,
                    &list.description,
                    &list.ranked,
                    &list.private,
                    &to_json_list(&list.tags),
                    &date_text(list.created),
                ],
            )?;
            if let Some(row) = inserted {
                let pk: i64 = row.try_get(0)?;
                self.insert_items(pk, &films, list)?;
                return Ok((pk, Outcome::New));
            }
        }
    }

    fn delete_list(&mut self, user: i64, slug: &str) -> Result<()> {
        let rows = self.tx.execute(
            "DELETE FROM lists WHERE user_pk = $1 AND slug = $2",
            &[&user, &slug],
        )?;
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

impl DiaryWriter<'_, '_> {
    /// Adds (`on`) or removes the row `(a, b)` of a two-column link table: a follow, a like.
    /// The names are this module's constants, never user input.
    fn pair(
        &mut self,
        table: &str,
        a_column: &str,
        b_column: &str,
        a: i64,
        b: i64,
        on: bool,
    ) -> Result<Outcome> {
        let sql = if on {
            format!(
                "INSERT INTO {table} ({a_column}, {b_column}) VALUES ($1, $2) ON CONFLICT DO NOTHING"
            )
        } else {
            format!("DELETE FROM {table} WHERE {a_column} = $1 AND {b_column} = $2")
        };
        let rows = self.tx.execute(&sql, &[&a, &b])?;
        Ok(Self::changed(rows))
    }

    fn insert_items(&mut self, list: i64, films: &[i64], new: &NewList) -> Result<()> {
        for (position, (film, item)) in (1i64..).zip(films.iter().zip(&new.items)) {
            self.tx.execute(
                "INSERT INTO list_items (list_pk, position, film_pk, note) VALUES ($1, $2, $3, $4)",
                &[&list, &position, film, &item.note],
            )?;
        }
        Ok(())
    }

    /// The list as text, to tell whether a replacement changed it.
    fn list_fingerprint(&mut self, list: i64) -> Result<String> {
        // Flags and numbers are cast to text explicitly; `string_agg` orders its items itself.
        Ok(self
            .tx
            .query_one(
                "SELECT l.name || chr(31) || coalesce(l.description, '') || chr(31)
                    || l.ranked::text || chr(31) || l.private::text || chr(31) || l.tags
                    || chr(31) ||
                    coalesce((SELECT string_agg(i.position::text || ':' || i.film_pk::text || ':'
                                  || coalesce(i.note, ''), chr(30) ORDER BY i.position)
                              FROM list_items i WHERE i.list_pk = l.pk), '')
                 FROM lists l WHERE l.pk = $1",
                &[&list],
            )?
            .try_get(0)?)
    }
}
