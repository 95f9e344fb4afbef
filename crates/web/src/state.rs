//! What every request shares: the store's connections, the search index, the checker and the
//! site's own settings.

use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use kinograph_checker::Checker;
use kinograph_search::SearchIndex;
use kinograph_store::{CatalogRead, Database, OpenMode, Store};

use crate::error::Failure;
use crate::limits::Limits;
use crate::metrics::Metrics;

/// How the site names and addresses itself (canonical URLs, share cards).
#[derive(Debug, Clone)]
pub struct Site {
    pub name: String,
    /// The public base URL without a trailing slash, e.g. `https://films.example.org`.
    pub base_url: String,
}

impl Site {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Whether the site is served over TLS (cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}

/// Opens a store connection for the pool: each connection is its own SQLite handle or
/// PostgreSQL session, so reads run side by side (SQLite's WAL lets them run beside a writer
/// too).
#[derive(Debug)]
struct StoreConnections {
    database: Database,
}

impl r2d2::ManageConnection for StoreConnections {
    type Connection = Store;
    type Error = kinograph_store::Error;

    fn connect(&self) -> Result<Store, Self::Error> {
        self.database.open(OpenMode::ExistingOnly)
    }

    fn is_valid(&self, store: &mut Store) -> Result<(), Self::Error> {
        store.schema_version().map(|_| ())
    }

    fn has_broken(&self, _: &mut Store) -> bool {
        // A broken connection fails its next query, and `is_valid` runs before each use.
        false
    }
}

/// Connections kept open: a few per core is plenty for SQLite reads.
const POOL_SIZE: u32 = 8;

/// The pool of store connections. A PostgreSQL connection closes by blocking on a runtime of
/// its own, which panics on an async thread: the last state dropped on one (as the server
/// stops, or at the end of an async test) closes its connections on a thread of their own.
struct Stores(Option<r2d2::Pool<StoreConnections>>);

impl Stores {
    fn get(&self) -> Result<r2d2::PooledConnection<StoreConnections>, String> {
        match &self.0 {
            Some(pool) => pool.get().map_err(|e| e.to_string()),
            None => Err("the catalog connections are closed".into()),
        }
    }
}

impl Drop for Stores {
    fn drop(&mut self) {
        if let Some(pool) = self.0.take()
            && tokio::runtime::Handle::try_current().is_ok()
        {
            std::thread::scope(|scope| {
                scope.spawn(move || drop(pool));
            });
        }
    }
}

struct Shared {
    stores: Stores,
    search: SearchIndex,
    /// The checker over every catalog name, once built (in the background: at IMDb scale the
    /// automaton takes a while). Until then each check builds one over its own text's names.
    checker: RwLock<Option<Arc<Checker>>>,
    /// The change-log position the checker was built at; a newer one means its names are stale.
    checker_built_at: AtomicU64,
    /// Whether a checker is being built (one at a time).
    checker_building: AtomicBool,
    /// Whether the catalog is too large for one shared checker: each check builds its own.
    checker_per_check: AtomicBool,
    site: Site,
    metrics: Metrics,
    /// Rate limits and the cap on requests in flight, read when [`crate::app`] builds the site.
    limits: RwLock<Limits>,
}

/// The state behind every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Shared>);

impl std::fmt::Debug for AppState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AppState")
            .field("site", &self.0.site)
            .finish_non_exhaustive()
    }
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Store(#[from] kinograph_store::Error),
    #[error(transparent)]
    Search(#[from] kinograph_search::Error),
    #[error("cannot open connections to the catalog: {0}")]
    Pool(#[from] r2d2::Error),
}

impl AppState {
    /// Opens the catalog in `data` (which must exist) and its search index, brought up to date.
    pub fn open(data: &Path, site: Site) -> Result<AppState, StartError> {
        AppState::open_on(data, &Database::Sqlite(data.to_path_buf()), site)
    }

    /// Opens the catalog in `database` and this node's search index in `data`, brought up to
    /// date with the store's change log.
    pub fn open_on(data: &Path, database: &Database, site: Site) -> Result<AppState, StartError> {
        // Opening one store first gives the store's own error (no catalog, newer schema)
        // rather than the pool's generic one.
        let first = database.open(OpenMode::ExistingOnly)?;
        let search = SearchIndex::open(data)?;
        // Another process (an import) may be writing the index: it indexes its own writes,
        // and the change follower picks up whatever is left.
        if let Err(error) = kinograph_search::sync(&first, &search) {
            tracing::warn!(%error, "the search index is not up to date yet");
        }
        drop(first);
        let stores = r2d2::Pool::builder()
            .max_size(POOL_SIZE)
            .min_idle(Some(1))
            .connection_timeout(Duration::from_secs(10))
            .build(StoreConnections {
                database: database.clone(),
            })?;
        Ok(AppState(Arc::new(Shared {
            stores: Stores(Some(stores)),
            search,
            checker: RwLock::new(None),
            checker_built_at: AtomicU64::new(0),
            checker_building: AtomicBool::new(false),
            checker_per_check: AtomicBool::new(false),
            site,
            metrics: Metrics::new(),
            limits: RwLock::new(Limits::default()),
        })))
    }

    pub fn site(&self) -> &Site {
        &self.0.site
    }

    /// Sets the limits the site is built with (call before [`crate::app`]).
    pub fn with_limits(self, limits: Limits) -> AppState {
        let mut slot = self
            .0
            .limits
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        *slot = limits;
        drop(slot);
        self
    }

    pub fn limits(&self) -> Limits {
        self.0
            .limits
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    pub(crate) fn metrics(&self) -> &Metrics {
        &self.0.metrics
    }

    pub(crate) fn search_index(&self) -> &SearchIndex {
        &self.0.search
    }

    /// Runs `read` on a pooled store connection off the async threads.
    pub(crate) async fn read<T, F>(&self, read: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &Store) -> Result<T, Failure> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let store = state
                .0
                .stores
                .get()
                .map_err(|e| Failure::Unavailable(format!("no catalog connection: {e}")))?;
            read(&state, &store)
        })
        .await
        .map_err(|e| Failure::Internal(format!("a read task failed: {e}")))?
    }

    /// Runs `write` on a pooled store connection off the async threads, then brings the search
    /// index up to date: what a request wrote (a published essay) is searchable when it returns.
    pub(crate) async fn write<T, F>(&self, write: F) -> Result<T, Failure>
    where
        T: Send + 'static,
        F: FnOnce(&AppState, &mut Store) -> Result<T, Failure> + Send + 'static,
    {
        let state = self.clone();
        tokio::task::spawn_blocking(move || {
            let mut store = state
                .0
                .stores
                .get()
                .map_err(|e| Failure::Unavailable(format!("no catalog connection: {e}")))?;
            let written = write(&state, &mut store)?;
            if let Err(error) = kinograph_search::sync(&store, &state.0.search) {
                // The change log keeps it: the follower indexes it on its next round.
                tracing::warn!(%error, "search index not updated after a write");
            }
            Ok(written)
        })
        .await
        .map_err(|e| Failure::Internal(format!("a write task failed: {e}")))?
    }

    /// The shared checker, or (until it is built) one over the names `text` can contain.
    pub(crate) fn checker_for(&self, store: &Store, text: &str) -> Result<Arc<Checker>, Failure> {
        if let Ok(slot) = self.0.checker.read()
            && let Some(checker) = slot.as_ref()
        {
            return Ok(Arc::clone(checker));
        }
        let checker = kinograph_store::checker_for(store, text)
            .map_err(|e| Failure::Internal(format!("cannot build the checker: {e}")))?;
        Ok(Arc::new(checker))
    }

    /// Whether the catalog is too large for the whole-catalog checker (see
    /// [`Limits::shared_checker_max_entities`]): each check builds its own.
    pub fn checker_per_check(&self) -> bool {
        self.0.checker_per_check.load(Ordering::Acquire)
    }

    /// Whether the whole-catalog checker is built.
    pub fn checker_ready(&self) -> bool {
        self.0.checker.read().is_ok_and(|slot| slot.is_some())
    }

    /// Builds the whole-catalog checker (blocking; run it on a background thread). The old
    /// one, if any, serves until the new one is ready.
    pub fn build_checker(&self) -> Result<(), Failure> {
        if self.0.checker_building.swap(true, Ordering::AcqRel) {
            return Ok(());
        }
        let built = self.build_checker_now();
        self.0.checker_building.store(false, Ordering::Release);
        built
    }

    fn build_checker_now(&self) -> Result<(), Failure> {
        let store = self
            .0
            .stores
            .get()
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        // Read first: a change made while building makes the next look rebuild again.
        let head = store.search_log_head()?;
        let counts = store.counts()?;
        let entities = counts.films + counts.people;
        let max = self.limits().shared_checker_max_entities;
        if entities > max {
            tracing::info!(
                entities,
                max,
                "catalog too large for one shared checker in memory: each check builds its own"
            );
            self.0.checker_per_check.store(true, Ordering::Release);
            self.0.checker_built_at.store(head, Ordering::Release);
            return Ok(());
        }
        self.0.checker_per_check.store(false, Ordering::Release);
        let checker = kinograph_store::checker(&store)
            .map_err(|e| Failure::Internal(format!("cannot build the checker: {e}")))?;
        if let Ok(mut slot) = self.0.checker.write() {
            *slot = Some(Arc::new(checker));
        }
        self.0.checker_built_at.store(head, Ordering::Release);
        Ok(())
    }

    /// Whether the catalog changed since the checker was built (and no build is under way).
    fn checker_is_stale(&self, store: &Store) -> bool {
        !self.0.checker_building.load(Ordering::Acquire)
            && self.checker_ready()
            && store
                .search_log_head()
                .is_ok_and(|head| head != self.0.checker_built_at.load(Ordering::Acquire))
    }

    /// Indexes what other processes wrote since the last call, and shows it to searches.
    /// Blocking. Another process holding the index's writer is not an error: it indexes its
    /// own writes, and the next call picks up the rest.
    pub fn follow_changes(&self) -> Result<(), Failure> {
        let store = self
            .0
            .stores
            .get()
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        if let Err(error) = kinograph_search::sync(&store, &self.0.search) {
            tracing::debug!(%error, "search sync deferred");
        }
        if self.checker_is_stale(&store) {
            let state = self.clone();
            std::thread::spawn(move || match state.build_checker() {
                Ok(()) => tracing::info!("checker rebuilt after catalog changes"),
                Err(failure) => tracing::warn!(%failure, "cannot rebuild the checker"),
            });
        }
        self.0
            .search
            .refresh()
            .map_err(|e| Failure::Internal(format!("cannot refresh the search index: {e}")))
    }

    /// Whether the catalog answers: for `/readyz`.
    pub(crate) fn catalog_answers(&self) -> Result<(), Failure> {
        let store = self
            .0
            .stores
            .get()
            .map_err(|e| Failure::Unavailable(e.to_string()))?;
        store
            .schema_version()
            .map(|_| ())
            .map_err(|e| Failure::Unavailable(e.to_string()))
    }
}
