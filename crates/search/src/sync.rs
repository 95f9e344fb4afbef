//! Keeping the index in step with the store.

use std::collections::HashSet;

use kinograph_catalog::{EntityKind, SearchEntry};
use kinograph_store::{CatalogRead, Store};
use tantivy::IndexWriter;

use crate::document::{documents, group_term};
use crate::{Result, SearchIndex};

/// Change-log entries read at a time.
const CHANGES_PER_READ: u32 = 10_000;

/// What a sync or a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Films and people whose documents were (re)written.
    pub entities: u64,
    /// The change-log position the index has applied now.
    pub applied: u64,
}

/// Films, people or essays re-indexed per read of the store.
const ENTRIES_PER_READ: u32 = 2_000;

/// Replaces the documents of `ids` (all of one kind) with what the store holds now; an id the
/// store no longer has loses its documents.
fn reindex(
    index: &SearchIndex,
    writer: &IndexWriter,
    store: &Store,
    kind: EntityKind,
    ids: &[String],
) -> Result<()> {
    for id in ids {
        writer.delete_term(group_term(&index.fields, kind, id));
    }
    add(index, writer, &store.search_entries(kind, ids)?)
}

fn add(index: &SearchIndex, writer: &IndexWriter, entries: &[SearchEntry]) -> Result<()> {
    for entry in entries {
        for doc in documents(&index.fields, entry) {
            writer.add_document(doc)?;
        }
    }
    Ok(())
}

/// Applies the store's changes since the index last synced. Cheap when nothing changed: the
/// index writer (and its lock) is only taken when there is something to write. A bulk load's
/// rebuild entry in the log makes it a [`rebuild`].
pub fn sync(store: &Store, index: &SearchIndex) -> Result<SyncReport> {
    let mut applied = index.applied()?;
    let mut report = SyncReport {
        entities: 0,
        applied,
    };
    let mut changes = store.search_changes(applied, CHANGES_PER_READ)?;
    if changes.upto == applied {
        // A log that ends before what the index has applied belongs to another database, or
        // to an older copy of this one (a restore with PostgreSQL's own tools): what the index
        // holds is not what the store holds.
        if applied > 0 && store.search_log_head()? < applied {
            return rebuild(store, index);
        }
        return Ok(report);
    }
    let mut pending: Vec<(EntityKind, String)> = Vec::new();
    // An entity changed in several reads of the log is re-indexed once: its document is built
    // from the store as it is now.
    let mut seen = HashSet::new();
    while changes.upto > applied {
        if changes.rebuild {
            return rebuild(store, index);
        }
        for change in changes.entities {
            if seen.insert(change.clone()) {
                pending.push(change);
            }
        }
        applied = changes.upto;
        changes = store.search_changes(applied, CHANGES_PER_READ)?;
    }
    let writer = index.writer()?;
    pending.sort_unstable_by_key(|(kind, _)| kind.as_str());
    for group in pending.chunk_by(|a, b| a.0 == b.0) {
        let kind = group[0].0;
        let ids: Vec<String> = group.iter().map(|(_, id)| id.clone()).collect();
        for chunk in ids.chunks(ENTRIES_PER_READ as usize) {
            reindex(index, &writer, store, kind, chunk)?;
        }
        report.entities += ids.len() as u64;
    }
    index.commit(writer, applied)?;
    report.applied = applied;
    Ok(report)
}

/// Adds entries that do not come through the store's change log (bulk loads, benchmarks): each
/// replaces any documents of the same film or person. The applied log position is kept.
pub fn add_entries<'a>(
    index: &SearchIndex,
    entries: impl IntoIterator<Item = &'a SearchEntry>,
) -> Result<u64> {
    let applied = index.applied()?;
    let writer = index.bulk_writer()?;
    let mut added = 0;
    for entry in entries {
        writer.delete_term(group_term(&index.fields, entry.kind, &entry.id));
        for doc in documents(&index.fields, entry) {
            writer.add_document(doc)?;
        }
        added += 1;
    }
    index.commit_merged(writer, applied)?;
    Ok(added)
}

/// Rebuilds the whole index from the store (`kinograph reindex`, and a sync after a bulk load).
pub fn rebuild(store: &Store, index: &SearchIndex) -> Result<SyncReport> {
    // Read the log head first: changes made while rebuilding are applied by the next sync.
    let head = store.search_log_head()?;
    let writer = index.bulk_writer()?;
    writer.delete_all_documents()?;
    let mut report = SyncReport {
        entities: 0,
        applied: head,
    };
    for kind in [EntityKind::Film, EntityKind::Person, EntityKind::Essay] {
        let mut after = 0;
        loop {
            let page = store.search_entry_page(kind, after, ENTRIES_PER_READ)?;
            // The index was emptied: nothing to delete first.
            add(index, &writer, &page.entries)?;
            report.entities += page.entries.len() as u64;
            match page.next {
                Some(next) => after = next,
                None => break,
            }
        }
    }
    index.commit_merged(writer, head)?;
    Ok(report)
}
