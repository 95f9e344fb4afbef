-- Kinograph on PostgreSQL: the schema at version 8, the same tables, columns and indexes as the
-- SQLite schema after its migrations 1 to 8 (crates/store/src/sqlite/migrations), in
-- PostgreSQL's types: every integer BIGINT (Rust's i64), every flag BOOLEAN, dates and times
-- TEXT in the same ISO forms, JSON lists TEXT holding the same JSON. A later version adds a
-- migration here and one beside SQLite's, so both backends are always at the same version.

CREATE TABLE films (
    pk              BIGSERIAL PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    imdb_id         TEXT UNIQUE,
    title           TEXT NOT NULL,
    title_key       TEXT NOT NULL,
    original_title  TEXT,
    year            BIGINT,
    award_year      BIGINT,
    runtime_minutes BIGINT,
    genres          TEXT NOT NULL DEFAULT '[]',
    synopsis        TEXT,
    tmdb_id         BIGINT,
    budget_amount   BIGINT,
    budget_currency TEXT,
    budget_note     TEXT,
    title_type      TEXT,
    end_year        BIGINT,
    is_adult        BOOLEAN,
    imdb_rating     DOUBLE PRECISION,
    imdb_votes      BIGINT
);
CREATE INDEX films_title_key ON films (title_key);
CREATE INDEX films_title_key_unlinked ON films (title_key) WHERE imdb_id IS NULL;

CREATE TABLE people (
    pk           BIGSERIAL PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    imdb_id      TEXT UNIQUE,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    birth_year   BIGINT,
    death_year   BIGINT,
    professions  TEXT NOT NULL DEFAULT '[]',
    name_is_shared_credit BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX people_name_key ON people (name_key);

CREATE TABLE companies (
    pk        BIGSERIAL PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    imdb_id   TEXT UNIQUE,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL
);
CREATE INDEX companies_name_key ON companies (name_key);

CREATE TABLE fact_sources (
    entity_kind TEXT NOT NULL,
    entity_pk   BIGINT NOT NULL,
    field       TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    PRIMARY KEY (entity_kind, entity_pk, field)
);

CREATE TABLE aliases (
    entity_kind TEXT NOT NULL,
    entity_pk   BIGINT NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    PRIMARY KEY (entity_kind, entity_pk, name)
);
CREATE INDEX aliases_name_key ON aliases (name_key);

CREATE TABLE credits (
    pk          BIGSERIAL PRIMARY KEY,
    film_pk     BIGINT NOT NULL REFERENCES films (pk),
    person_pk   BIGINT NOT NULL REFERENCES people (pk),
    category    TEXT NOT NULL,
    job         TEXT NOT NULL DEFAULT '',
    characters  TEXT NOT NULL DEFAULT '[]',
    billing     BIGINT,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    UNIQUE (film_pk, person_pk, category, job)
);
CREATE INDEX credits_person ON credits (person_pk);

CREATE TABLE film_companies (
    film_pk     BIGINT NOT NULL REFERENCES films (pk),
    company_pk  BIGINT NOT NULL REFERENCES companies (pk),
    role        TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    PRIMARY KEY (film_pk, company_pk, role)
);
CREATE INDEX film_companies_company ON film_companies (company_pk);

CREATE TABLE themes (
    pk        BIGSERIAL PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    name_key  TEXT NOT NULL
);

CREATE TABLE film_themes (
    film_pk   BIGINT NOT NULL REFERENCES films (pk),
    theme_pk  BIGINT NOT NULL REFERENCES themes (pk),
    dataset   TEXT NOT NULL,
    locator   TEXT,
    citation  TEXT,
    PRIMARY KEY (film_pk, theme_pk)
);
CREATE INDEX film_themes_theme ON film_themes (theme_pk);

CREATE TABLE film_facts (
    pk        BIGSERIAL PRIMARY KEY,
    film_pk   BIGINT NOT NULL REFERENCES films (pk),
    fact      TEXT NOT NULL,
    dataset   TEXT NOT NULL,
    locator   TEXT,
    citation  TEXT,
    UNIQUE (film_pk, fact)
);

CREATE TABLE award_bodies (
    pk    BIGSERIAL PRIMARY KEY,
    id    TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE ceremonies (
    pk          BIGSERIAL PRIMARY KEY,
    body_pk     BIGINT NOT NULL REFERENCES award_bodies (pk),
    ordinal     BIGINT NOT NULL,
    first_year  BIGINT,
    last_year   BIGINT,
    held_on     TEXT,
    UNIQUE (body_pk, ordinal)
);

CREATE TABLE award_categories (
    pk         BIGSERIAL PRIMARY KEY,
    body_pk    BIGINT NOT NULL REFERENCES award_bodies (pk),
    canonical  TEXT NOT NULL,
    name       TEXT NOT NULL,
    class      TEXT NOT NULL,
    UNIQUE (body_pk, canonical, name)
);

CREATE TABLE nominations (
    pk                    BIGSERIAL PRIMARY KEY,
    ceremony_pk           BIGINT NOT NULL REFERENCES ceremonies (pk),
    category_pk           BIGINT NOT NULL REFERENCES award_categories (pk),
    natural_key           TEXT NOT NULL UNIQUE,
    credit                TEXT NOT NULL,
    winner                BOOLEAN NOT NULL,
    detail                TEXT NOT NULL DEFAULT '[]',
    note                  TEXT,
    citation_text         TEXT,
    counts_as_nomination  BOOLEAN NOT NULL,
    counts_as_win         BOOLEAN NOT NULL,
    dataset               TEXT NOT NULL,
    locator               TEXT
);
CREATE INDEX nominations_ceremony ON nominations (ceremony_pk);

CREATE TABLE nomination_films (
    nomination_pk  BIGINT NOT NULL REFERENCES nominations (pk),
    position       BIGINT NOT NULL,
    film_pk        BIGINT REFERENCES films (pk),
    title          TEXT NOT NULL,
    PRIMARY KEY (nomination_pk, position)
);
CREATE INDEX nomination_films_film ON nomination_films (film_pk);

CREATE TABLE nomination_nominees (
    nomination_pk  BIGINT NOT NULL REFERENCES nominations (pk),
    position       BIGINT NOT NULL,
    person_pk      BIGINT REFERENCES people (pk),
    company_pk     BIGINT REFERENCES companies (pk),
    name           TEXT NOT NULL,
    PRIMARY KEY (nomination_pk, position)
);
CREATE INDEX nomination_nominees_person ON nomination_nominees (person_pk);

-- The change log every node's search index follows. Writers take the log's advisory lock
-- before appending (see `postgres::log_lock`), so positions become visible in order and a
-- follower that has read position N never later finds a smaller one committed.
CREATE TABLE search_changes (
    seq         BIGSERIAL PRIMARY KEY,
    entity_kind TEXT NOT NULL,
    entity_pk   BIGINT NOT NULL
);

CREATE TABLE users (
    pk             BIGSERIAL PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,
    password_hash  TEXT,
    created_at     TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    watchlist_autoremove BOOLEAN NOT NULL DEFAULT TRUE
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_pk     BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    created_at  TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_pk);

CREATE TABLE api_tokens (
    pk          BIGSERIAL PRIMARY KEY,
    user_pk     BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

CREATE TABLE publications (
    pk           BIGSERIAL PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    links        TEXT NOT NULL DEFAULT '[]'
);

CREATE TABLE publication_members (
    publication_pk  BIGINT NOT NULL REFERENCES publications (pk) ON DELETE CASCADE,
    user_pk         BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    PRIMARY KEY (publication_pk, user_pk)
);

CREATE TABLE essays (
    pk              BIGSERIAL PRIMARY KEY,
    slug            TEXT NOT NULL UNIQUE,
    title           TEXT NOT NULL,
    subtitle        TEXT,
    author          TEXT NOT NULL,
    tags            TEXT NOT NULL DEFAULT '[]',
    published       TEXT,
    body            TEXT NOT NULL,
    dataset         TEXT NOT NULL,
    locator         TEXT,
    citation        TEXT,
    state           TEXT NOT NULL DEFAULT 'published',
    author_pk       BIGINT REFERENCES users (pk),
    publication_pk  BIGINT REFERENCES publications (pk),
    spoilers        BOOLEAN NOT NULL DEFAULT FALSE,
    revision        BIGINT NOT NULL DEFAULT 0,
    updated_at      TEXT
);
CREATE INDEX essays_published ON essays (published);
CREATE INDEX essays_state ON essays (state);
CREATE INDEX essays_author ON essays (author_pk);

CREATE TABLE essay_mentions (
    essay_pk    BIGINT NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    entity_kind TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    PRIMARY KEY (essay_pk, entity_kind, entity_id)
);
CREATE INDEX essay_mentions_entity ON essay_mentions (entity_id);

CREATE TABLE essay_revisions (
    essay_pk      BIGINT NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    number        BIGINT NOT NULL,
    title         TEXT NOT NULL,
    subtitle      TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',
    spoilers      BOOLEAN NOT NULL DEFAULT FALSE,
    body          TEXT NOT NULL,
    user_pk       BIGINT REFERENCES users (pk),
    note          TEXT NOT NULL DEFAULT '',
    supported     BIGINT NOT NULL DEFAULT 0,
    contradicted  TEXT NOT NULL DEFAULT '[]',
    unverifiable  BIGINT NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    PRIMARY KEY (essay_pk, number)
);

CREATE TABLE claim_overrides (
    essay_pk    BIGINT NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    user_pk     BIGINT REFERENCES users (pk),
    created_at  TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    PRIMARY KEY (essay_pk, kind, text)
);

CREATE TABLE corrections (
    pk          BIGSERIAL PRIMARY KEY,
    essay_pk    BIGINT NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    revision    BIGINT NOT NULL,
    note        TEXT NOT NULL,
    user_pk     BIGINT REFERENCES users (pk),
    created_at  TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
);

CREATE TABLE audit_log (
    pk          BIGSERIAL PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    user_pk     BIGINT REFERENCES users (pk),
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);

CREATE TABLE viewings (
    pk              BIGSERIAL PRIMARY KEY,
    user_pk         BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    film_pk         BIGINT NOT NULL REFERENCES films (pk),
    key             TEXT NOT NULL,
    watched         TEXT,
    logged          TEXT NOT NULL,
    rating          BIGINT CHECK (rating BETWEEN 1 AND 10),
    liked           BOOLEAN NOT NULL DEFAULT FALSE,
    rewatch         BOOLEAN NOT NULL DEFAULT FALSE,
    review          TEXT,
    spoilers        BOOLEAN NOT NULL DEFAULT FALSE,
    tags            TEXT NOT NULL DEFAULT '[]',
    private         BOOLEAN NOT NULL DEFAULT FALSE,
    letterboxd_uri  TEXT,
    UNIQUE (user_pk, key)
);
CREATE INDEX viewings_user_day ON viewings (user_pk, (coalesce(watched, logged)));
CREATE INDEX viewings_film ON viewings (film_pk);

CREATE TABLE user_films (
    user_pk         BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    film_pk         BIGINT NOT NULL REFERENCES films (pk),
    watched         BOOLEAN NOT NULL DEFAULT FALSE,
    watched_on      TEXT,
    rating          BIGINT CHECK (rating BETWEEN 1 AND 10),
    rated_on        TEXT,
    liked_on        TEXT,
    watchlisted_on  TEXT,
    private         BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (user_pk, film_pk)
);
CREATE INDEX user_films_film ON user_films (film_pk);

CREATE TABLE lists (
    pk           BIGSERIAL PRIMARY KEY,
    user_pk      BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    slug         TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT,
    ranked       BOOLEAN NOT NULL DEFAULT FALSE,
    private      BOOLEAN NOT NULL DEFAULT FALSE,
    tags         TEXT NOT NULL DEFAULT '[]',
    created      TEXT NOT NULL,
    UNIQUE (user_pk, slug)
);

CREATE TABLE list_items (
    list_pk   BIGINT NOT NULL REFERENCES lists (pk) ON DELETE CASCADE,
    position  BIGINT NOT NULL,
    film_pk   BIGINT NOT NULL REFERENCES films (pk),
    note      TEXT,
    PRIMARY KEY (list_pk, position)
);

CREATE TABLE follows (
    follower_pk  BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    followed_pk  BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    since        TEXT NOT NULL DEFAULT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
    PRIMARY KEY (follower_pk, followed_pk),
    CHECK (follower_pk <> followed_pk)
);
CREATE INDEX follows_followed ON follows (followed_pk);

CREATE TABLE viewing_likes (
    user_pk     BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    viewing_pk  BIGINT NOT NULL REFERENCES viewings (pk) ON DELETE CASCADE,
    PRIMARY KEY (user_pk, viewing_pk)
);
CREATE INDEX viewing_likes_viewing ON viewing_likes (viewing_pk);

CREATE TABLE list_likes (
    user_pk  BIGINT NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    list_pk  BIGINT NOT NULL REFERENCES lists (pk) ON DELETE CASCADE,
    PRIMARY KEY (user_pk, list_pk)
);
CREATE INDEX list_likes_list ON list_likes (list_pk);
