-- Kinograph catalog, schema version 1.
-- Public ids (`id`) are stable and are what callers see; `pk` joins tables. IMDb ids are the
-- public id wherever known. Every fact row carries its provenance (dataset, locator, citation).

CREATE TABLE films (
    pk              INTEGER PRIMARY KEY,
    id              TEXT NOT NULL UNIQUE,
    imdb_id         TEXT UNIQUE,
    title           TEXT NOT NULL,
    title_key       TEXT NOT NULL,
    original_title  TEXT,
    year            INTEGER,
    award_year      INTEGER,
    runtime_minutes INTEGER,
    genres          TEXT NOT NULL DEFAULT '[]',
    synopsis        TEXT,
    tmdb_id         INTEGER,
    budget_amount   INTEGER,
    budget_currency TEXT,
    budget_note     TEXT
);
CREATE INDEX films_title_key ON films (title_key);

CREATE TABLE people (
    pk           INTEGER PRIMARY KEY,
    id           TEXT NOT NULL UNIQUE,
    imdb_id      TEXT UNIQUE,
    name         TEXT NOT NULL,
    name_key     TEXT NOT NULL,
    birth_year   INTEGER,
    death_year   INTEGER,
    professions  TEXT NOT NULL DEFAULT '[]',
    -- 1 while the only name known is one credited jointly to several people (a shared
    -- pseudonym); the person's own name replaces it when a credit gives it.
    name_is_shared_credit INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX people_name_key ON people (name_key);

CREATE TABLE companies (
    pk        INTEGER PRIMARY KEY,
    id        TEXT NOT NULL UNIQUE,
    imdb_id   TEXT UNIQUE,
    name      TEXT NOT NULL,
    name_key  TEXT NOT NULL
);
CREATE INDEX companies_name_key ON companies (name_key);

-- Where each field of a film, person, company or ceremony comes from.
CREATE TABLE fact_sources (
    entity_kind TEXT NOT NULL,        -- film | person | company | ceremony
    entity_pk   INTEGER NOT NULL,
    field       TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    PRIMARY KEY (entity_kind, entity_pk, field)
) WITHOUT ROWID;

-- Alternative titles and name variants.
CREATE TABLE aliases (
    entity_kind TEXT NOT NULL,        -- film | person | company
    entity_pk   INTEGER NOT NULL,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    PRIMARY KEY (entity_kind, entity_pk, name)
) WITHOUT ROWID;
CREATE INDEX aliases_name_key ON aliases (name_key);

CREATE TABLE credits (
    pk          INTEGER PRIMARY KEY,
    film_pk     INTEGER NOT NULL REFERENCES films (pk),
    person_pk   INTEGER NOT NULL REFERENCES people (pk),
    category    TEXT NOT NULL,
    job         TEXT NOT NULL DEFAULT '',
    characters  TEXT NOT NULL DEFAULT '[]',
    billing     INTEGER,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    UNIQUE (film_pk, person_pk, category, job)
);
CREATE INDEX credits_person ON credits (person_pk);

CREATE TABLE film_companies (
    film_pk     INTEGER NOT NULL REFERENCES films (pk),
    company_pk  INTEGER NOT NULL REFERENCES companies (pk),
    role        TEXT NOT NULL,
    dataset     TEXT NOT NULL,
    locator     TEXT,
    citation    TEXT,
    PRIMARY KEY (film_pk, company_pk, role)
) WITHOUT ROWID;
CREATE INDEX film_companies_company ON film_companies (company_pk);

CREATE TABLE themes (
    pk        INTEGER PRIMARY KEY,
    name      TEXT NOT NULL UNIQUE,
    name_key  TEXT NOT NULL
);

CREATE TABLE film_themes (
    film_pk   INTEGER NOT NULL REFERENCES films (pk),
    theme_pk  INTEGER NOT NULL REFERENCES themes (pk),
    dataset   TEXT NOT NULL,
    locator   TEXT,
    citation  TEXT,
    PRIMARY KEY (film_pk, theme_pk)
) WITHOUT ROWID;
CREATE INDEX film_themes_theme ON film_themes (theme_pk);

-- Notable facts about a film, in the curator's words.
CREATE TABLE film_facts (
    pk        INTEGER PRIMARY KEY,
    film_pk   INTEGER NOT NULL REFERENCES films (pk),
    fact      TEXT NOT NULL,
    dataset   TEXT NOT NULL,
    locator   TEXT,
    citation  TEXT,
    UNIQUE (film_pk, fact)
);

CREATE TABLE award_bodies (
    pk    INTEGER PRIMARY KEY,
    id    TEXT NOT NULL UNIQUE,
    name  TEXT NOT NULL
);

CREATE TABLE ceremonies (
    pk          INTEGER PRIMARY KEY,
    body_pk     INTEGER NOT NULL REFERENCES award_bodies (pk),
    ordinal     INTEGER NOT NULL,
    first_year  INTEGER,
    last_year   INTEGER,
    held_on     TEXT,                 -- YYYY-MM-DD
    UNIQUE (body_pk, ordinal)
);

CREATE TABLE award_categories (
    pk         INTEGER PRIMARY KEY,
    body_pk    INTEGER NOT NULL REFERENCES award_bodies (pk),
    canonical  TEXT NOT NULL,
    name       TEXT NOT NULL,
    class      TEXT NOT NULL,
    UNIQUE (body_pk, canonical, name)
);

CREATE TABLE nominations (
    pk                    INTEGER PRIMARY KEY,
    ceremony_pk           INTEGER NOT NULL REFERENCES ceremonies (pk),
    category_pk           INTEGER NOT NULL REFERENCES award_categories (pk),
    natural_key           TEXT NOT NULL UNIQUE,
    credit                TEXT NOT NULL,
    winner                INTEGER NOT NULL,
    detail                TEXT NOT NULL DEFAULT '[]',
    note                  TEXT,
    citation_text         TEXT,
    counts_as_nomination  INTEGER NOT NULL,
    counts_as_win         INTEGER NOT NULL,
    dataset               TEXT NOT NULL,
    locator               TEXT
);
CREATE INDEX nominations_ceremony ON nominations (ceremony_pk);

CREATE TABLE nomination_films (
    nomination_pk  INTEGER NOT NULL REFERENCES nominations (pk),
    position       INTEGER NOT NULL,
    film_pk        INTEGER REFERENCES films (pk),
    title          TEXT NOT NULL,
    PRIMARY KEY (nomination_pk, position)
) WITHOUT ROWID;
CREATE INDEX nomination_films_film ON nomination_films (film_pk);

CREATE TABLE nomination_nominees (
    nomination_pk  INTEGER NOT NULL REFERENCES nominations (pk),
    position       INTEGER NOT NULL,
    person_pk      INTEGER REFERENCES people (pk),
    company_pk     INTEGER REFERENCES companies (pk),
    name           TEXT NOT NULL,
    PRIMARY KEY (nomination_pk, position)
) WITHOUT ROWID;
CREATE INDEX nomination_nominees_person ON nomination_nominees (person_pk);
