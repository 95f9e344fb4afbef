-- Schema version 2: the change log the search index follows. Every write that changes what a
-- film's or a person's search document holds appends a row here, in the same transaction as the
-- change; each search index remembers the last `seq` it applied, so it catches up after a crash
-- and several nodes can follow one database.
CREATE TABLE search_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    entity_kind TEXT NOT NULL,        -- film | person
    entity_pk   INTEGER NOT NULL
);

-- A catalog from before the search index: every film and person is to be indexed.
INSERT INTO search_changes (entity_kind, entity_pk) SELECT 'film', pk FROM films;
INSERT INTO search_changes (entity_kind, entity_pk) SELECT 'person', pk FROM people;
