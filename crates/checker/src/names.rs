//! The automaton over every name the catalog knows (titles, people, characters, companies and
//! their variants), built once and shared by every check.

use std::collections::HashSet;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use kinograph_catalog::{NameEntry, NamedKind};

use crate::text::Folded;
use crate::vocabulary;

/// What a name in an essay can refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MentionKind {
    Film,
    Person,
    Character,
    Company,
    Award,
}

impl MentionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            MentionKind::Film => "film",
            MentionKind::Person => "person",
            MentionKind::Character => "character",
            MentionKind::Company => "company",
            MentionKind::Award => "award",
        }
    }
}

/// A catalog entity a name can refer to.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub kind: MentionKind,
    pub id: String,
    /// The entity's own name, as the catalog spells it.
    pub name: String,
    /// The prior for choosing between entities of one name.
    pub popularity: f64,
    /// A film's year; a character's film's year.
    pub year: Option<i32>,
    /// Ids of the entities this one is tied to: a film's cast and crew, a person's films, a
    /// character's film and player. An essay that names one makes the others likelier.
    pub related: Vec<String>,
}

/// A place in a text where a catalog name occurs, on word boundaries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// Byte range in the original text.
    pub start: usize,
    pub end: usize,
    /// Indexes into [`NameIndex::target`] of every entity with this name.
    pub targets: Vec<usize>,
}

/// Names shorter than this (folded) are never matched: they are initials and noise.
const MIN_NAME_BYTES: usize = 2;

#[derive(Debug)]
pub struct NameIndex {
    automaton: AhoCorasick,
    /// For each pattern, the targets that go by it.
    pattern_targets: Vec<Vec<usize>>,
    targets: Vec<Target>,
}

/// The checker could not be built: the automaton library refused the names (more than its
/// limits allow), or a claim pattern did not compile.
#[derive(Debug, thiserror::Error)]
#[error("cannot build the checker: {0}")]
pub struct BuildError(String);

impl BuildError {
    pub fn new(message: impl Into<String>) -> Self {
        BuildError(message.into())
    }
}

impl NameIndex {
    /// Builds the automaton over `names`: each name (as written: folding happens here) with the
    /// entity it refers to. One entity may come with several names.
    pub fn build(
        names: impl IntoIterator<Item = (String, Target)>,
    ) -> Result<NameIndex, BuildError> {
        let mut patterns: Vec<String> = Vec::new();
        let mut pattern_targets: Vec<Vec<usize>> = Vec::new();
        let mut by_pattern: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        let mut targets: Vec<Target> = Vec::new();
        let mut target_ids: std::collections::HashMap<(MentionKind, String), usize> =
            std::collections::HashMap::new();
        for (name, target) in names {
            let folded = Folded::new(name.trim()).text.trim().to_string();
            if folded.len() < MIN_NAME_BYTES {
                continue;
            }
            let target_index = *target_ids
                .entry((target.kind, target.id.clone()))
                .or_insert_with(|| {
                    targets.push(target);
                    targets.len() - 1
                });
            let pattern = *by_pattern.entry(folded.clone()).or_insert_with(|| {
                patterns.push(folded);
                pattern_targets.push(Vec::new());
                patterns.len() - 1
            });
            if !pattern_targets[pattern].contains(&target_index) {
                pattern_targets[pattern].push(target_index);
            }
        }
        // A contiguous NFA: quick to build over millions of names, and compact; a DFA would
        // search a little faster but takes far longer to build at this size.
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(AhoCorasickKind::ContiguousNFA))
            .match_kind(MatchKind::Standard)
            .build(&patterns)
            .map_err(|e| BuildError(e.to_string()))?;
        Ok(NameIndex {
            automaton,
            pattern_targets,
            targets,
        })
    }

    /// Builds the automaton over the catalog's names, with the names prose uses besides
    /// (see [`vocabulary`]). Build it once and share it: over millions of names this takes a
    /// while (BENCHMARKS.md).
    pub fn from_catalog(
        entries: impl IntoIterator<Item = NameEntry>,
    ) -> Result<NameIndex, BuildError> {
        NameIndex::build(named_targets(entries))
    }

    /// Builds the automaton over only those of the catalog's names whose every word occurs in
    /// `text`: what checking one essay needs, built in a fraction of the time of the whole.
    /// The entries may be all the catalog's or only those [`TextWords::admits`].
    pub fn for_text(
        entries: impl IntoIterator<Item = NameEntry>,
        text: &str,
    ) -> Result<NameIndex, BuildError> {
        let words = TextWords::new(text);
        NameIndex::build(named_targets(entries).filter(|(name, _)| words.fits(name)))
    }

    pub fn target(&self, index: usize) -> Option<&Target> {
        self.targets.get(index)
    }

    pub fn len(&self) -> usize {
        self.pattern_targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pattern_targets.is_empty()
    }

    /// Every catalog name in `text` on word boundaries, longest first where names overlap
    /// ("Sean Baker" rather than "Baker"), in text order.
    ///
    /// A character is a target only where the text names something it is tied to: its film, its
    /// player, or a person in its film ([`Target::related`]). Only then can it be linked, and
    /// IMDb credits millions of "Self", "Mother" and "Doctor" roles that would otherwise claim
    /// every such word. It also makes a checker over the whole catalog and one over only the
    /// names a text admits ([`TextWords::admits`], the store's `checker_for`) find the same.
    pub fn occurrences(&self, text: &str) -> Vec<Occurrence> {
        let folded = Folded::new(text);
        let matched: Vec<(usize, usize, usize)> = self
            .automaton
            .find_overlapping_iter(&folded.text)
            .filter(|m| folded.is_word_start(m.start()) && folded.is_word_end(m.end()))
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect();
        let ties = self.ties(matched.iter().map(|&(_, _, pattern)| pattern));
        let mut found: Vec<(usize, usize, Vec<usize>)> = matched
            .into_iter()
            .filter_map(|(start, end, pattern)| {
                let targets: Vec<usize> = self
                    .pattern_targets
                    .get(pattern)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|&t| self.targets.get(t).is_some_and(|t| ties.admit(t)))
                    .collect();
                (!targets.is_empty()).then_some((start, end, targets))
            })
            .collect();
        found.sort_by(|a, b| a.0.cmp(&b.0).then((b.1 - b.0).cmp(&(a.1 - a.0))));
        let mut occurrences = Vec::new();
        let mut covered_until = 0;
        for (start, end, targets) in found {
            if start < covered_until {
                continue;
            }
            covered_until = end;
            let (start, end) = folded.original_range(start, end);
            occurrences.push(Occurrence {
                start,
                end,
                targets,
            });
        }
        occurrences
    }

    /// What the names matched in a text tie characters to: the films and people named, and
    /// the films of the people named.
    fn ties(&self, patterns: impl Iterator<Item = usize>) -> Ties<'_> {
        let mut ties = Ties::default();
        for pattern in patterns {
            for target in self
                .pattern_targets
                .get(pattern)
                .into_iter()
                .flatten()
                .filter_map(|&t| self.targets.get(t))
            {
                match target.kind {
                    MentionKind::Character => {}
                    MentionKind::Person => {
                        ties.named.insert(&target.id);
                        ties.films_of_named
                            .extend(target.related.iter().map(String::as_str));
                    }
                    _ => {
                        ties.named.insert(&target.id);
                    }
                }
            }
        }
        ties
    }
}

/// See [`NameIndex::ties`].
#[derive(Debug, Default)]
struct Ties<'a> {
    named: HashSet<&'a str>,
    films_of_named: HashSet<&'a str>,
}

impl Ties<'_> {
    /// Whether `target` may be a target here: anything but a character, and a character tied
    /// to what the text names (its related ids are its film, then its player).
    fn admit(&self, target: &Target) -> bool {
        target.kind != MentionKind::Character
            || target
                .related
                .iter()
                .any(|r| self.named.contains(r.as_str()))
            || target
                .related
                .first()
                .is_some_and(|film| self.films_of_named.contains(film.as_str()))
    }
}

/// The words of a text (folded), to tell which catalog names can occur in it before an
/// automaton is built: a name can only if each of its words is one of them.
#[derive(Debug)]
pub struct TextWords {
    words: HashSet<String>,
}

impl TextWords {
    pub fn new(text: &str) -> Self {
        TextWords {
            words: words_of(&Folded::new(text).text)
                .map(str::to_string)
                .collect(),
        }
    }

    /// Whether every word of `name` (as written) occurs in the text.
    pub fn fits(&self, name: &str) -> bool {
        words_of(&Folded::new(name).text).all(|w| self.words.contains(w))
    }

    /// Whether any name prose may call an entry by (its name, its variants and what the
    /// vocabulary derives from them: a subtitle, a character's first name, "Best Director")
    /// can occur in the text: the store reads the rest of an entry only then.
    pub fn admits(&self, kind: NamedKind, name: &str, variants: &[String]) -> bool {
        prose_names(kind, name, variants)
            .iter()
            .any(|name| self.fits(name))
    }
}

fn words_of(folded: &str) -> impl Iterator<Item = &str> {
    folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// Every name prose may call an entry by: its own, what the vocabulary derives from it, and
/// its variants.
fn prose_names(kind: NamedKind, name: &str, variants: &[String]) -> Vec<String> {
    let mut names = match kind {
        NamedKind::Character => vocabulary::character_names(name),
        NamedKind::AwardBody => vocabulary::award_body_names(name),
        NamedKind::AwardCategory => vocabulary::category_names(name),
        NamedKind::Film => vocabulary::title_names(name),
        NamedKind::Person | NamedKind::Company => vec![name.to_string()],
    };
    if kind == NamedKind::AwardCategory {
        // What the category was called at some ceremonies ("PRODUCTION DESIGN" for ART
        // DIRECTION): prose names it the same way, as "Best Production Design".
        for variant in variants {
            names.extend(vocabulary::category_names(variant));
        }
    } else {
        names.extend(variants.iter().cloned());
    }
    names
}

/// Every name of every entry, each with the entity it names.
fn named_targets(
    entries: impl IntoIterator<Item = NameEntry>,
) -> impl Iterator<Item = (String, Target)> {
    merge_characters(entries.into_iter().collect())
        .into_iter()
        .flat_map(|entry| {
            let kind = match entry.kind {
                NamedKind::Film => MentionKind::Film,
                NamedKind::Person => MentionKind::Person,
                NamedKind::Character => MentionKind::Character,
                NamedKind::Company => MentionKind::Company,
                NamedKind::AwardBody | NamedKind::AwardCategory => MentionKind::Award,
            };
            let names = prose_names(entry.kind, &entry.name, &entry.variants);
            let target = Target {
                kind,
                id: entry.id,
                name: entry.name,
                popularity: entry.popularity,
                year: entry.year,
                related: entry.related,
            };
            names
                .into_iter()
                .map(move |name| (name, target.clone()))
                .collect::<Vec<_>>()
        })
}

/// One character known twice, by its full name from a credit and by a short one from an
/// award row (`Anora "Ani" Mikheeva` and "Ani", same film and player), is one character:
/// the short entry goes, the full one keeps every name.
fn merge_characters(mut entries: Vec<NameEntry>) -> Vec<NameEntry> {
    use std::collections::HashMap;
    let key = |name: &str| kinograph_catalog::normalize::key(name);
    // Characters by film and player: a role is small, so comparing within one is cheap.
    let mut by_role: HashMap<&[String], Vec<usize>> = HashMap::new();
    for (i, entry) in entries.iter().enumerate() {
        if entry.kind == NamedKind::Character && entry.related.len() >= 2 {
            by_role.entry(entry.related.as_slice()).or_default().push(i);
        }
    }
    let mut dropped = vec![false; entries.len()];
    for group in by_role.values().filter(|g| g.len() > 1) {
        let other_names: Vec<Vec<String>> = group
            .iter()
            .map(|&i| {
                vocabulary::character_names(&entries[i].name)
                    .iter()
                    .skip(1)
                    .map(|n| key(n))
                    .collect()
            })
            .collect();
        for &short in group {
            let short_key = key(&entries[short].name);
            let covered = group.iter().enumerate().any(|(b, &full)| {
                full != short && !dropped[full] && other_names[b].contains(&short_key)
            });
            if covered {
                dropped[short] = true;
            }
        }
    }
    let mut index = 0;
    entries.retain(|_| {
        index += 1;
        !dropped[index - 1]
    });
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(kind: MentionKind, id: &str, name: &str) -> (String, Target) {
        (
            name.to_string(),
            Target {
                kind,
                id: id.into(),
                name: name.into(),
                popularity: 1.0,
                year: None,
                related: Vec::new(),
            },
        )
    }

    fn index() -> NameIndex {
        NameIndex::build([
            target(MentionKind::Person, "nm1", "Bong Joon Ho"),
            target(MentionKind::Person, "nm2", "Song Kang-ho"),
            target(MentionKind::Film, "tt1", "Parasite"),
            target(MentionKind::Film, "tt2", "Up"),
            target(MentionKind::Person, "nm3", "Alejandro G. Iñárritu"),
            target(MentionKind::Person, "nm4", "Ho"),
            target(MentionKind::Film, "tt3", "Parasite"),
        ])
        .unwrap()
    }

    fn found(text: &str) -> Vec<(String, usize)> {
        index()
            .occurrences(text)
            .into_iter()
            .map(|o| (text[o.start..o.end].to_string(), o.targets.len()))
            .collect()
    }

    fn character(id: &str, name: &str, film: &str, player: &str) -> (String, Target) {
        let (name, mut target) = target(MentionKind::Character, id, name);
        target.related = vec![film.into(), player.into()];
        (name, target)
    }

    #[test]
    fn a_character_is_a_target_only_where_the_text_names_what_it_is_tied_to() {
        let mut person = target(MentionKind::Person, "nm1", "Toni Collette");
        person.1.related = vec!["tt2".into()];
        let index = NameIndex::build([
            target(MentionKind::Film, "tt1", "Hereditary"),
            person,
            character("tt1/annie", "Annie", "tt1", "nm1"),
            character("tt2/mother", "Mother", "tt2", "nm9"),
            character("tt3/mother", "Mother", "tt3", "nm8"),
        ])
        .unwrap();
        let targets = |text: &str| -> Vec<Vec<String>> {
            index
                .occurrences(text)
                .into_iter()
                .map(|o| {
                    o.targets
                        .iter()
                        .filter_map(|&t| index.target(t))
                        .map(|t| t.id.clone())
                        .collect()
                })
                .collect()
        };
        // Nothing named that they belong to: no character at all.
        assert!(targets("Annie's Mother").is_empty());
        // Their film named: that film's character.
        assert_eq!(
            targets("Hereditary: Annie"),
            [vec!["tt1".to_string()], vec!["tt1/annie".to_string()]]
        );
        // A person named: the characters of that person's films (tt2), not another film's.
        assert_eq!(
            targets("Toni Collette, Mother"),
            [vec!["nm1".to_string()], vec!["tt2/mother".to_string()]]
        );
    }

    #[test]
    fn text_words_admit_an_entry_by_any_name_prose_calls_it() {
        let words = TextWords::new("In The Return of the King, Frodo...");
        assert!(words.fits("the king"));
        assert!(!words.fits("The Kingdom"));
        // By the subtitle the vocabulary derives from the title, by a variant, by a first name.
        let title = "The Lord of the Rings: The Return of the King";
        assert!(words.admits(NamedKind::Film, title, &[]));
        assert!(words.admits(
            NamedKind::Film,
            "Le Seigneur",
            &["Return of the King".into()]
        ));
        assert!(words.admits(NamedKind::Character, "Frodo Baggins", &[]));
        assert!(!words.admits(NamedKind::Person, "Elijah Wood", &[]));
    }

    #[test]
    fn a_category_is_named_by_each_name_it_had() {
        let index = NameIndex::from_catalog([NameEntry {
            kind: NamedKind::AwardCategory,
            id: "oscars/ART DIRECTION".into(),
            name: "ART DIRECTION".into(),
            variants: vec!["PRODUCTION DESIGN".into(), "ART DIRECTION (Color)".into()],
            year: None,
            popularity: 0.0,
            related: Vec::new(),
        }])
        .unwrap();
        let text =
            "It won Best Production Design, once called Best Art Direction; production design.";
        let found: Vec<&str> = index
            .occurrences(text)
            .into_iter()
            .map(|o| &text[o.start..o.end])
            .collect();
        assert_eq!(found, ["Best Production Design", "Best Art Direction"]);
    }

    #[test]
    fn finds_names_on_word_boundaries_longest_first() {
        assert_eq!(
            found("Bong Joon Ho’s Parasite, with Song Kang-ho, is no Upton."),
            [
                ("Bong Joon Ho".to_string(), 1),
                ("Parasite".to_string(), 2),
                ("Song Kang-ho".to_string(), 1)
            ]
        );
    }

    #[test]
    fn folds_case_and_diacritics_and_reports_original_offsets() {
        assert_eq!(
            found("INARRITU aside, Alejandro G. Iñárritu won."),
            [("Alejandro G. Iñárritu".to_string(), 1)]
        );
        assert_eq!(
            found("what's up with UP"),
            [("up".to_string(), 1), ("UP".to_string(), 1)]
        );
    }

    #[test]
    fn short_names_are_ignored() {
        let index = NameIndex::build([target(MentionKind::Film, "tt9", "M")]).unwrap();
        assert!(index.is_empty());
        assert!(index.occurrences("M is a film").is_empty());
    }
}
