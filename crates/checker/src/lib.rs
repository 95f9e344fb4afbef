//! Kinograph's essay checker (in progress): it finds an essay's sections, links the films,
//! people, characters and companies it names to the catalog, and (next) verifies its factual
//! claims.
//!
//! **Invariant:** the checker does no I/O. It reads the catalog through what its callers hand it
//! (a [`names::NameIndex`] built once from the catalog's names and shared), so the same code
//! serves the CLI, the API and the editor's view.

pub mod mentions;
pub mod names;
pub mod sections;
pub mod text;
