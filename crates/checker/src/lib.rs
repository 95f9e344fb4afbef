//! Kinograph's essay checker: it finds an essay's sections, links the films, people,
//! characters, awards and companies it names to the catalog, and verifies its factual claims
//! (years, budgets, cast and credits, award counts and categories, records, filmography
//! counts, ceremony dates), each with a verdict and the evidence behind it.
//!
//! **Invariant:** the checker does no I/O. It reads the catalog through the narrow
//! [`facts::Catalog`] trait and a [`names::NameIndex`] built once from the catalog's names
//! and shared, so the same code serves the CLI, the API and the editor's view.

pub mod claims;
pub mod facts;
pub mod mentions;
pub mod names;
pub mod sections;
pub mod text;
pub mod vocabulary;

pub use claims::{Claim, ClaimKind, Evidence, Verdict};
pub use facts::{Catalog, CatalogError};
pub use mentions::{Linked, Mention};
pub use names::{BuildError, MentionKind, NameIndex, TextWords};
pub use sections::Section;

/// What a check found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub sections: Vec<Section>,
    pub mentions: Vec<Mention>,
    pub claims: Vec<Claim>,
}

impl Report {
    /// Whether any claim is contradicted by the catalog.
    pub fn has_contradictions(&self) -> bool {
        self.claims
            .iter()
            .any(|c| c.verdict == Verdict::Contradicted)
    }
}

/// The checker, built once over the catalog's names and shared by every check. It holds for
/// the state of the catalog it was built from (its names, and the record tables it computes
/// on first use): build a new one after the catalog changes.
#[derive(Debug)]
pub struct Checker {
    names: NameIndex,
    patterns: claims::Patterns,
    records: facts::RecordMemo,
}

impl Checker {
    pub fn new(names: NameIndex) -> Result<Checker, BuildError> {
        let patterns =
            claims::Patterns::new().map_err(|e| BuildError::new(format!("claim patterns: {e}")))?;
        Ok(Checker {
            names,
            patterns,
            records: facts::RecordMemo::default(),
        })
    }

    pub fn names(&self) -> &NameIndex {
        &self.names
    }

    /// Checks `essay` against `catalog`.
    pub fn check(&self, catalog: &dyn Catalog, essay: &str) -> Result<Report, CatalogError> {
        let sections = sections::sections(essay);
        let mentions = mentions::link(&self.names, essay);
        let claims = {
            let headings = sections
                .iter()
                .map(|s| {
                    let line_end = essay[s.start..]
                        .find('\n')
                        .map_or(essay.len(), |i| s.start + i);
                    s.start..line_end
                })
                .collect();
            let cx = claims::Context::new(
                essay,
                &mentions,
                facts::Lookup::new(catalog, &self.records),
                &self.patterns,
                headings,
            );
            claims::claims(&cx)?
        };
        Ok(Report {
            sections,
            mentions,
            claims,
        })
    }
}
