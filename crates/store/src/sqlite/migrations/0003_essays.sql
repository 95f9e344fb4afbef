-- Schema version 3: essays, and the catalog entities each one names (from the checker, kept so
-- a film's or a person's page lists the essays that mention it without re-checking them all).
CREATE TABLE essays (
    pk         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    title      TEXT NOT NULL,
    subtitle   TEXT,
    author     TEXT NOT NULL,
    tags       TEXT NOT NULL DEFAULT '[]',
    published  TEXT,                 -- YYYY-MM-DD; NULL while unpublished
    body       TEXT NOT NULL,
    dataset    TEXT NOT NULL,
    locator    TEXT,
    citation   TEXT
);
CREATE INDEX essays_published ON essays (published);

CREATE TABLE essay_mentions (
    essay_pk    INTEGER NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    entity_kind TEXT NOT NULL,        -- film | person | character | company
    entity_id   TEXT NOT NULL,
    PRIMARY KEY (essay_pk, entity_kind, entity_id)
);
CREATE INDEX essay_mentions_entity ON essay_mentions (entity_id);
