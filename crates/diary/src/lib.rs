//! The reader's side of Kinograph, with no I/O: what a diary holds (viewings, each with its own
//! rating and review; a per-film state of watched, rated, liked and watchlisted; lists; follows),
//! who may see it, the stats drawn from it, and the archive format that carries everything a
//! user owns out of one instance and into another. The store keeps it; the web crate shows it.

mod archive;
mod rating;
mod records;
mod stats;

pub use archive::{
    ARCHIVE_FORMAT, ARCHIVE_VERSION, ArchiveFilm, ArchiveFilmState, ArchiveList, ArchiveListItem,
    ArchiveViewing, UserArchive,
};
pub use rating::Rating;
pub use records::{
    DiaryList, FilmRatings, FilmRef, FilmState, ListItem, ListSummary, NewList, NewListItem,
    NewViewing, Viewing, ViewingQuery, can_see, check_list_name, check_tag,
};
pub use stats::{Count, Stats, StatsViewing, stats};
