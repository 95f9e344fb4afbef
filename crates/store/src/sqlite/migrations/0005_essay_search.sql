-- Schema version 5: essays are searchable. The change log the search index follows now names
-- essays too (`entity_kind` 'essay', `entity_pk` an essays.pk); every essay stored before is
-- logged once, so an existing index picks the published ones up.
INSERT INTO search_changes (entity_kind, entity_pk) SELECT 'essay', pk FROM essays;
