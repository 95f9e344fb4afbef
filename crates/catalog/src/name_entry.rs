//! The catalog's names as prose uses them: every title, person, character, company and award
//! an essay can name, with what tells entities of one name apart. The checker builds its name
//! automaton from these.

/// What a named thing is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NamedKind {
    Film,
    Person,
    /// A character in one film, played by one person.
    Character,
    Company,
    /// An award body ("Academy Awards").
    AwardBody,
    /// One of a body's categories, by canonical name ("BEST PICTURE").
    AwardCategory,
}

impl NamedKind {
    pub fn as_str(self) -> &'static str {
        match self {
            NamedKind::Film => "film",
            NamedKind::Person => "person",
            NamedKind::Character => "character",
            NamedKind::Company => "company",
            NamedKind::AwardBody => "award_body",
            NamedKind::AwardCategory => "award_category",
        }
    }
}

impl std::str::FromStr for NamedKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        [
            NamedKind::Film,
            NamedKind::Person,
            NamedKind::Character,
            NamedKind::Company,
            NamedKind::AwardBody,
            NamedKind::AwardCategory,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
        .ok_or_else(|| format!("unknown kind of name {text:?}"))
    }
}

/// One named thing.
#[derive(Debug, Clone, PartialEq)]
pub struct NameEntry {
    pub kind: NamedKind,
    /// The public id: a film's, person's or company's id; a character's film id and name key
    /// joined by `/`; an award body's id; a category's body id and canonical name joined by `/`.
    pub id: String,
    /// The name as the catalog spells it.
    pub name: String,
    /// Alternative titles and name variants.
    pub variants: Vec<String>,
    /// A film's year (release, else award year); a character's film's year.
    pub year: Option<i32>,
    /// The same prior the search index ranks by (nominations, wins, credits).
    pub popularity: f64,
    /// Ids of what this is tied to: a film's people and companies, a person's films, a
    /// character's film and player, a company's films.
    pub related: Vec<String>,
}

/// A character's id: its film's id and its name's key, so each film's characters are distinct.
pub fn character_id(film: &str, name: &str) -> String {
    format!("{film}/{}", crate::normalize::key(name).replace(' ', "-"))
}
