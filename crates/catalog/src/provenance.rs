use std::fmt;

/// Where a fact comes from: the data set (a file name such as `oscars.csv`, a curated catalog,
/// an essay), the place in it (`line 12093`, `paragraph 3`), and for curated facts the public
/// source the fact was checked against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Provenance {
    pub dataset: String,
    pub locator: Option<String>,
    pub citation: Option<String>,
}

impl Provenance {
    /// A fact read from line `line` (1-based) of `dataset`.
    pub fn line(dataset: impl Into<String>, line: u64) -> Self {
        Provenance {
            dataset: dataset.into(),
            locator: Some(format!("line {line}")),
            citation: None,
        }
    }

    pub fn with_citation(mut self, citation: impl Into<String>) -> Self {
        self.citation = Some(citation.into());
        self
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dataset)?;
        if let Some(locator) = &self.locator {
            write!(f, " {locator}")?;
        }
        if let Some(citation) = &self.citation {
            write!(f, " ({citation})")?;
        }
        Ok(())
    }
}

/// A value together with where it comes from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    pub value: T,
    pub source: Provenance,
}

impl<T> Sourced<T> {
    pub fn new(value: T, source: Provenance) -> Self {
        Sourced { value, source }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_dataset_locator_and_citation() {
        let p = Provenance::line("oscars.csv", 12).with_citation("Variety, 2024");
        assert_eq!(p.to_string(), "oscars.csv line 12 (Variety, 2024)");
        let bare = Provenance {
            dataset: "demo".into(),
            locator: None,
            citation: None,
        };
        assert_eq!(bare.to_string(), "demo");
    }
}
