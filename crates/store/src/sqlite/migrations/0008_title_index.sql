-- Schema version 8: the films a new IMDb title may be (a curator's film without an IMDb id, of
-- the same title and year) found by one index probe, however many titles share the name.
CREATE INDEX films_title_key_unlinked ON films (title_key) WHERE imdb_id IS NULL;
