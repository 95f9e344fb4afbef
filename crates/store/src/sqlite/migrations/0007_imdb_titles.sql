-- Schema version 7: what IMDb's title.basics and title.ratings say of a title that the catalog
-- did not hold. NULL for films from other sources (the Academy Awards data, curated catalogs).
ALTER TABLE films ADD COLUMN title_type TEXT;       -- movie, short, tvSeries, tvEpisode, video, …
ALTER TABLE films ADD COLUMN end_year INTEGER;      -- a series' last year
ALTER TABLE films ADD COLUMN is_adult INTEGER;      -- 0 or 1
ALTER TABLE films ADD COLUMN imdb_rating REAL;      -- IMDb's weighted average, 1 to 10
ALTER TABLE films ADD COLUMN imdb_votes INTEGER;    -- how many votes it is from (popularity)
