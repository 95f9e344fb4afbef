//! Keeping the index in step with the store.

use kinograph_catalog::EntityKind;
use kinograph_store::{CatalogRead, Store};
use tantivy::IndexWriter;

use crate::document::{documents, group_term};
use crate::{Result, SearchIndex};

/// Change-log entries read at a time.
const CHANGES_PER_READ: u32 = 10_000;
/// Ids read at a time when rebuilding.
const IDS_PER_READ: u32 = 10_000;

/// What a sync or a rebuild did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SyncReport {
    /// Films and people whose documents were (re)written.
    pub entities: u64,
    /// The change-log position the index has applied now.
    pub applied: u64,
}

fn reindex(
    index: &SearchIndex,
    writer: &IndexWriter,
    store: &Store,
    kind: EntityKind,
    id: &str,
) -> Result<()> {
    writer.delete_term(group_term(&index.fields, kind, id));
    if let Some(entry) = store.search_entry(kind, id)? {
        for doc in documents(&index.fields, &entry) {
            writer.add_document(doc)?;
        }
    }
    Ok(())
}

/// Applies the store's changes since the index last synced. Cheap when nothing changed: the
/// index writer (and its lock) is only taken when there is something to write.
pub fn sync(store: &Store, index: &SearchIndex) -> Result<SyncReport> {
    let mut applied = index.applied()?;
    let mut report = SyncReport {
        entities: 0,
        applied,
    };
    let mut changes = store.search_changes(applied, CHANGES_PER_READ)?;
    if changes.upto == applied {
        return Ok(report);
    }
    let writer = index.writer()?;
    // An entity changed in several reads of the log is re-indexed once: its document is built
    // from the store as it is now.
    let mut done = std::collections::HashSet::new();
    while changes.upto > applied {
        for (kind, id) in changes.entities {
            if done.insert((kind, id.clone())) {
                reindex(index, &writer, store, kind, &id)?;
                report.entities += 1;
            }
        }
        applied = changes.upto;
        changes = store.search_changes(applied, CHANGES_PER_READ)?;
    }
    index.commit(writer, applied)?;
    report.applied = applied;
    Ok(report)
}

/// Adds entries that do not come through the store's change log (bulk loads, benchmarks): each
/// replaces any documents of the same film or person. The applied log position is kept.
pub fn add_entries<'a>(
    index: &SearchIndex,
    entries: impl IntoIterator<Item = &'a kinograph_catalog::SearchEntry>,
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

/// Rebuilds the whole index from the store (`kinograph reindex`).
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
        let mut after: Option<String> = None;
        loop {
            let ids = store.entity_ids(kind, after.as_deref(), IDS_PER_READ)?;
            let Some(last) = ids.last().cloned() else {
                break;
            };
            for id in &ids {
                reindex(index, &writer, store, kind, id)?;
                report.entities += 1;
            }
            after = Some(last);
        }
    }
    index.commit_merged(writer, head)?;
    Ok(report)
}
