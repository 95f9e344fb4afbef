//! Kinograph's search engine: one tantivy index of films, people and characters (essays later),
//! kept in the data folder beside the database.
//!
//! The index is derived data. It follows the store's change log ([`sync`]): every write that
//! changes a film or a person logs it in the same transaction, and `sync` re-indexes what changed
//! since the log position the index last applied (kept in the index's own commit payload). So a
//! write is searchable as soon as the command that made it has synced, a crash between the write
//! and the sync only delays it, and [`rebuild`] recreates the whole index from the store.

mod document;
mod error;
mod popular;
mod query;
mod sum;
mod sync;

pub use error::{Error, Result};
pub use query::{Hit, Kind, SearchQuery, SearchResults, parse_years};
pub use sync::{SyncReport, add_entries, rebuild, sync};

use std::path::Path;

use tantivy::directory::MmapDirectory;
use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer,
};
use tantivy::{Index, IndexReader, IndexSettings, IndexSortByField, IndexWriter, ReloadPolicy};

/// The longest word start indexed in `word_starts`: longer unfinished words match by prefix
/// automaton, which the terms of longer prefixes keep cheap.
const WORD_START_CHARS: usize = 3;

/// The folder of the index inside the data folder.
pub const INDEX_DIR: &str = "search";

/// Bumped whenever the schema or the way documents are built changes: an index built by
/// another version is rebuilt from the store.
const FORMAT_VERSION: u32 = 7;

/// The analyzer of every text field: words, lowercase, diacritics folded ("Iñárritu" and
/// "inarritu" are one term).
const ANALYZER: &str = "kinograph";

/// Memory the index writer may buffer before it flushes a segment.
const WRITER_HEAP_BYTES: usize = 64 * 1024 * 1024;

/// How long a writer waits for another process's writer to finish.
const WRITER_LOCK_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

#[derive(Debug, Clone, Copy)]
struct Fields {
    kind: Field,
    id: Field,
    /// The film or person whose re-indexing replaces this document (a character belongs to its
    /// film): deleting by group removes an entity's documents together.
    group: Field,
    name: Field,
    other_names: Field,
    characters: Field,
    /// Every name of the document together: typo and prefix matching look here, once per word
    /// rather than once per field (building a typo automaton is the dear part of a query).
    all_names: Field,
    /// The first one to [`WORD_START_CHARS`] letters of every word of `all_names`: a short
    /// unfinished word ("b" of "barbara b") is one term here, where a prefix automaton would
    /// gather the documents of every word that starts so.
    word_starts: Field,
    year: Field,
    genres: Field,
    popularity: Field,
    /// The factor popularity multiplies relevance by, computed at indexing time so that a query
    /// reads one number per matching document.
    boost: Field,
    /// The normalised keys of every name (`normalize::key`): an exact name matches one term.
    name_keys: Field,
    detail: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(ANALYZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions)
            // Names are short: "Birdman or (The Unexpected Virtue of Ignorance)" should not
            // lose to "Birdman of Alcatraz" for its length. Coverage is weighed after scoring.
            .set_fieldnorms(false);
        let options = TextOptions::default().set_indexing_options(indexing);
        if stored {
            options.set_stored()
        } else {
            options
        }
    };
    let fields = Fields {
        kind: builder.add_text_field("kind", STRING | STORED),
        id: builder.add_text_field("id", STRING | STORED),
        group: builder.add_text_field("group", STRING),
        name: builder.add_text_field("name", text(true)),
        other_names: builder.add_text_field("other_names", text(true)),
        characters: builder.add_text_field("characters", text(false)),
        all_names: builder.add_text_field("all_names", text(false)),
        word_starts: builder.add_text_field("word_starts", STRING),
        year: builder.add_i64_field("year", INDEXED | STORED | FAST),
        genres: builder.add_text_field("genres", STRING),
        popularity: builder.add_f64_field("popularity", STORED),
        boost: builder.add_f64_field("boost", FAST),
        name_keys: builder.add_text_field("name_keys", STRING),
        detail: builder.add_text_field("detail", STORED),
    };
    (builder.build(), fields)
}

/// Documents are stored most popular first (each segment sorted by `boost`, and merges keep
/// the order): a query's matches then come in popularity order, so a search ranked by
/// popularity stops after the first few, and the boost column of a large segment is a few
/// long runs that stay in cache however many documents a query visits.
fn settings() -> IndexSettings {
    IndexSettings {
        sort_by_field: Some(IndexSortByField {
            field: "boost".to_string(),
            order: tantivy::Order::Desc,
        }),
        ..IndexSettings::default()
    }
}

fn analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(64))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .build()
}

/// A search index, on disk in the data folder or in memory.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    fields: Fields,
    boosts: popular::BoostColumns,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex").finish_non_exhaustive()
    }
}

impl SearchIndex {
    /// Opens (or creates) the index in `data_dir`. An index of another format version, or one
    /// tantivy cannot read, is replaced by an empty one: it is derived data, and the next
    /// [`sync`] fills it again from the store.
    pub fn open(data_dir: &Path) -> Result<SearchIndex> {
        let dir = data_dir.join(INDEX_DIR);
        let (schema, fields) = schema();
        let opened = Self::open_dir(&dir, schema.clone());
        let usable = |index: &Index| match Self::stored_version(index) {
            Some(version) => version == FORMAT_VERSION,
            // Never committed: a new index.
            None => index.searchable_segment_metas().is_ok_and(|s| s.is_empty()),
        };
        let index = match opened {
            Ok(index) if usable(&index) => index,
            _ => {
                std::fs::remove_dir_all(&dir).map_err(|source| Error::Io {
                    path: dir.clone(),
                    source,
                })?;
                Self::open_dir(&dir, schema)?
            }
        };
        Self::with_index(index, fields)
    }

    /// An index in memory, for tests.
    pub fn in_memory() -> Result<SearchIndex> {
        let (schema, fields) = schema();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_ram()?;
        Self::with_index(index, fields)
    }

    fn open_dir(dir: &Path, schema: Schema) -> Result<Index> {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_path_buf(),
            source,
        })?;
        let directory = MmapDirectory::open(dir).map_err(|e| Error::Open(e.to_string()))?;
        Ok(Index::builder()
            .schema(schema)
            .settings(settings())
            .open_or_create(directory)?)
    }

    fn with_index(index: Index, fields: Fields) -> Result<SearchIndex> {
        index.tokenizers().register(ANALYZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(SearchIndex {
            index,
            reader,
            fields,
            boosts: popular::BoostColumns::default(),
        })
    }

    fn stored_version(index: &Index) -> Option<u32> {
        let payload = index.load_metas().ok()?.payload?;
        Payload::parse(&payload).map(|p| p.version)
    }

    /// The change-log position the index has applied (0 for a new index).
    pub fn applied(&self) -> Result<u64> {
        let payload = self.index.load_metas()?.payload;
        Ok(payload
            .as_deref()
            .and_then(Payload::parse)
            .map_or(0, |p| p.applied))
    }

    fn writer(&self) -> Result<IndexWriter> {
        self.with_writer_lock(|| self.index.writer_with_num_threads(1, WRITER_HEAP_BYTES))
    }

    /// Opens a writer, waiting while another process holds the index's writer lock (a server
    /// following the catalog while an import indexes its own writes, or the other way round):
    /// tantivy's lock does not wait by itself.
    fn with_writer_lock(
        &self,
        open: impl Fn() -> tantivy::Result<IndexWriter>,
    ) -> Result<IndexWriter> {
        let started = std::time::Instant::now();
        loop {
            match open() {
                Err(tantivy::TantivyError::LockFailure(
                    tantivy::directory::error::LockError::LockBusy,
                    _,
                )) if started.elapsed() < WRITER_LOCK_WAIT => {
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return Ok(other?),
            }
        }
    }

    /// A writer for a bulk load: no background merges, one merge of everything at the end
    /// ([`Self::commit_merged`]).
    fn bulk_writer(&self) -> Result<IndexWriter> {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
        let writer = self.with_writer_lock(|| {
            self.index
                .writer_with_num_threads(threads, WRITER_HEAP_BYTES * threads)
        })?;
        writer.set_merge_policy(Box::new(tantivy::merge_policy::NoMergePolicy));
        Ok(writer)
    }

    /// Merges every segment into one: after a bulk load, so that each query word walks one
    /// term dictionary instead of many.
    fn merge_all(&self, writer: &mut IndexWriter) -> Result<()> {
        let segments = self.index.searchable_segment_ids()?;
        if segments.len() > 1 {
            writer.merge(&segments).wait()?;
        }
        Ok(())
    }

    /// Commits a bulk load, then merges it into one segment.
    fn commit_merged(&self, mut writer: IndexWriter, applied: u64) -> Result<()> {
        Self::commit_with_payload(&mut writer, applied)?;
        self.merge_all(&mut writer)?;
        self.commit(writer, applied)
    }

    fn commit_with_payload(writer: &mut IndexWriter, applied: u64) -> Result<()> {
        let mut commit = writer.prepare_commit()?;
        commit.set_payload(
            &Payload {
                version: FORMAT_VERSION,
                applied,
            }
            .to_string(),
        );
        commit.commit()?;
        Ok(())
    }

    /// Commits `writer`'s changes as applied up to `applied`, and shows them to searches.
    fn commit(&self, mut writer: IndexWriter, applied: u64) -> Result<()> {
        Self::commit_with_payload(&mut writer, applied)?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Shows searches what another process (a CLI import, another node) committed since.
    pub fn refresh(&self) -> Result<()> {
        self.reader.reload()?;
        Ok(())
    }

    /// How many documents the index holds.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// What the index keeps in its commit payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Payload {
    version: u32,
    applied: u64,
}

impl Payload {
    fn parse(text: &str) -> Option<Payload> {
        let rest = text.strip_prefix("kinograph-search version=")?;
        let (version, applied) = rest.split_once(" applied=")?;
        Some(Payload {
            version: version.parse().ok()?,
            applied: applied.parse().ok()?,
        })
    }
}

impl std::fmt::Display for Payload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "kinograph-search version={} applied={}",
            self.version, self.applied
        )
    }
}

#[cfg(test)]
mod tests {
    use super::Payload;

    #[test]
    fn payload_round_trips() {
        let p = Payload {
            version: 1,
            applied: 42,
        };
        assert_eq!(Payload::parse(&p.to_string()), Some(p));
        assert_eq!(Payload::parse("something else"), None);
    }
}
