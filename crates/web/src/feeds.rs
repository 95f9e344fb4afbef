//! Atom and RSS feeds (being written).
