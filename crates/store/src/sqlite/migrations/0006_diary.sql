-- Schema version 6: the readers' diary. Each viewing is its own row; `user_films` holds what a
-- user did with a film apart from viewings (Letterboxd's watched, ratings, likes, watchlist).
ALTER TABLE users ADD COLUMN watchlist_autoremove INTEGER NOT NULL DEFAULT 1;

CREATE TABLE viewings (
    pk              INTEGER PRIMARY KEY,
    user_pk         INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    film_pk         INTEGER NOT NULL REFERENCES films (pk),
    -- Stable per user: the same key twice is the same viewing (idempotent imports).
    key             TEXT NOT NULL,
    watched         TEXT,                 -- YYYY-MM-DD, NULL when unknown
    logged          TEXT NOT NULL,
    rating          INTEGER CHECK (rating BETWEEN 1 AND 10),   -- half stars
    liked           INTEGER NOT NULL DEFAULT 0,
    rewatch         INTEGER NOT NULL DEFAULT 0,
    review          TEXT,
    spoilers        INTEGER NOT NULL DEFAULT 0,
    tags            TEXT NOT NULL DEFAULT '[]',
    private         INTEGER NOT NULL DEFAULT 0,
    letterboxd_uri  TEXT,
    UNIQUE (user_pk, key)
);
CREATE INDEX viewings_user_day ON viewings (user_pk, coalesce(watched, logged));
CREATE INDEX viewings_film ON viewings (film_pk);

CREATE TABLE user_films (
    user_pk         INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    film_pk         INTEGER NOT NULL REFERENCES films (pk),
    watched         INTEGER NOT NULL DEFAULT 0,
    watched_on      TEXT,
    rating          INTEGER CHECK (rating BETWEEN 1 AND 10),
    rated_on        TEXT,
    liked_on        TEXT,
    watchlisted_on  TEXT,
    private         INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_pk, film_pk)
) WITHOUT ROWID;
CREATE INDEX user_films_film ON user_films (film_pk);

CREATE TABLE lists (
    pk           INTEGER PRIMARY KEY,
    user_pk      INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT,
    ranked       INTEGER NOT NULL DEFAULT 0,
    private      INTEGER NOT NULL DEFAULT 0,
    tags         TEXT NOT NULL DEFAULT '[]',
    created      TEXT NOT NULL,
    UNIQUE (user_pk, slug)
);

CREATE TABLE list_items (
    list_pk   INTEGER NOT NULL REFERENCES lists (pk) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    film_pk   INTEGER NOT NULL REFERENCES films (pk),
    note      TEXT,
    PRIMARY KEY (list_pk, position)
) WITHOUT ROWID;

CREATE TABLE follows (
    follower_pk  INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    followed_pk  INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    since        TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (follower_pk, followed_pk),
    CHECK (follower_pk <> followed_pk)
) WITHOUT ROWID;
CREATE INDEX follows_followed ON follows (followed_pk);

-- Likes of other people's reviews and lists.
CREATE TABLE viewing_likes (
    user_pk     INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    viewing_pk  INTEGER NOT NULL REFERENCES viewings (pk) ON DELETE CASCADE,
    PRIMARY KEY (user_pk, viewing_pk)
) WITHOUT ROWID;
CREATE INDEX viewing_likes_viewing ON viewing_likes (viewing_pk);

CREATE TABLE list_likes (
    user_pk  INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    list_pk  INTEGER NOT NULL REFERENCES lists (pk) ON DELETE CASCADE,
    PRIMARY KEY (user_pk, list_pk)
) WITHOUT ROWID;
CREATE INDEX list_likes_list ON list_likes (list_pk);
