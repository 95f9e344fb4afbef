//! From name occurrences to mentions: which entity, if any, each name in an essay means.
//!
//! The rules, in order:
//! 1. Noise goes: a name written in lowercase where the catalog capitalises it ("her", "up"),
//!    and a common word that is capitalised only because it starts a sentence.
//! 2. Films, people and companies are chosen among the entities of their name by the prior
//!    (popularity), a year written next to the name ("Starlet (2012)"), and the essay's other
//!    names (a film whose cast the essay names is the likelier film).
//! 3. A character is linked only when its film or its player is linked: "Halley" alone is
//!    a name, "Halley" in an essay on The Florida Project is the character.
//! 4. A surname alone ("Baker") links to the one person of that surname the essay has already
//!    named in full.

use std::collections::HashSet;

use crate::names::{MentionKind, NameIndex, Occurrence, Target};

/// A name in the essay and the catalog entity it was linked to (`None`: recognised, but which
/// entity it means could not be told).
#[derive(Debug, Clone, PartialEq)]
pub struct Mention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: MentionKind,
    pub entity: Option<Linked>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    pub id: String,
    pub name: String,
}

/// Words too common to be a title or a name when they open a sentence or are not capitalised.
const COMMON_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "because",
    "been", "before", "being", "big", "both", "but", "by", "can", "come", "could", "day", "did",
    "do", "down", "each", "even", "every", "few", "for", "from", "get", "go", "good", "had", "has",
    "have", "he", "her", "here", "him", "his", "home", "how", "i", "if", "in", "into", "is", "it",
    "its", "just", "life", "like", "love", "made", "make", "man", "many", "may", "me", "more",
    "most", "much", "my", "never", "new", "no", "not", "now", "of", "on", "one", "only", "or",
    "other", "our", "out", "over", "people", "said", "same", "see", "she", "so", "some", "still",
    "such", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this",
    "those", "through", "time", "to", "too", "two", "up", "us", "very", "was", "way", "we", "well",
    "were", "what", "when", "where", "which", "while", "who", "why", "will", "with", "work",
    "would", "yes", "yet", "you", "your",
];

/// How far from a name a year may be written and still date it ("Starlet (2012)", "his 2017
/// film The Florida Project").
const YEAR_WINDOW: usize = 24;

fn is_common_word(word: &str) -> bool {
    COMMON_WORDS.contains(&word.to_lowercase().as_str())
}

/// Whether `start` opens a sentence: only spaces, quotes or brackets since the last sentence end
/// or line break.
fn opens_sentence(essay: &str, start: usize) -> bool {
    for ch in essay[..start].chars().rev() {
        match ch {
            ' ' | '\t' | '"' | '“' | '‘' | '\'' | '(' | '[' | '*' | '_' | '#' | '>' => continue,
            '.' | '!' | '?' | '\n' | '\r' | ':' => return true,
            _ => return false,
        }
    }
    true
}

/// Whether the occurrence is a name at all (rule 1).
fn plausible(essay: &str, occurrence: &Occurrence, targets: &[&Target]) -> bool {
    let written = &essay[occurrence.start..occurrence.end];
    let capitalised_in_catalog = targets
        .iter()
        .any(|t| t.name.chars().any(char::is_uppercase));
    if capitalised_in_catalog && !written.chars().any(char::is_uppercase) {
        return false;
    }
    // "The competition" is not The Competition: a word the catalog capitalises, written in
    // lowercase after the first, is an ordinary word.
    let lowered_later_word = targets.iter().all(|t| {
        t.name
            .split_whitespace()
            .zip(written.split_whitespace())
            .skip(1)
            .any(|(name, word)| {
                name.chars().next().is_some_and(char::is_uppercase)
                    && word.chars().next().is_some_and(char::is_lowercase)
            })
    });
    if lowered_later_word {
        return false;
    }
    // "the Oscar" is not the 1966 film The Oscar: a short title whose capitalised article is
    // written in lowercase is the article and a word.
    let lowercase_start = written.chars().next().is_some_and(char::is_lowercase);
    if lowercase_start
        && written.split_whitespace().count() <= 2
        && targets
            .iter()
            .all(|t| t.name.chars().next().is_some_and(char::is_uppercase))
    {
        return false;
    }
    let one_word = !written.contains(char::is_whitespace);
    !(one_word && is_common_word(written) && opens_sentence(essay, occurrence.start))
}

/// A one-word title at the start of a sentence ("Room for sympathy opens up", "Water pours
/// down") or in a title line may be an ordinary word capitalised by its place, and a title
/// spelt in lowercase may be ordinary words: it needs support.
fn needs_support(essay: &str, occurrence: &Occurrence, targets: &[&Target]) -> bool {
    let written = &essay[occurrence.start..occurrence.end];
    // A title the catalog spells all in lowercase ("the end", a short film) reads like any
    // other words of prose.
    let lowercase_title = targets
        .iter()
        .all(|t| t.kind == MentionKind::Film && !t.name.chars().any(char::is_uppercase));
    if lowercase_title {
        return true;
    }
    // "the Brooklyn Bridge": a title not beginning with an article, written after a lowercase
    // "the", is a noun phrase first.
    let after_the = essay[..occurrence.start].ends_with("the ")
        && !written.to_lowercase().starts_with("the ")
        && targets.iter().all(|t| t.kind == MentionKind::Film);
    if after_the {
        return true;
    }
    // A one-word title anywhere: "Sam", "Joy", "Room" are names and words before titles.
    !written.contains(char::is_whitespace)
        && targets.iter().any(|t| t.kind == MentionKind::Film)
        && targets
            .iter()
            .all(|t| matches!(t.kind, MentionKind::Film | MentionKind::Character))
}

/// Whether `at` lies in a heading or title line, where every word may be capitalised ("Googly
/// Eyes and Seven Gold Men"): a Markdown heading, or a short line without a final stop whose
/// words are mostly capitalised.
fn in_title_line(essay: &str, at: usize) -> bool {
    let start = essay[..at].rfind('\n').map_or(0, |i| i + 1);
    let end = essay[at..].find('\n').map_or(essay.len(), |i| at + i);
    let line = essay[start..end].trim();
    if line.starts_with('#') {
        return true;
    }
    let words: Vec<&str> = line.split_whitespace().collect();
    let capitalised = words
        .iter()
        .filter(|w| {
            w.chars()
                .find(|c| c.is_alphabetic())
                .is_some_and(char::is_uppercase)
        })
        .count();
    words.len() <= 12
        && !line.ends_with(['.', '!', '?', ':', ';', ','])
        && capitalised * 2 > words.len()
        && words.len() > 1
}

/// Popularity (the prior) from which a one-word title in the middle of a sentence stands on its
/// own: a film with several nominations and wins ("Parasite", "Titanic"), not a city that is
/// also a film's title ("Philadelphia", 5 nominations and 2 wins).
const POPULAR: f64 = 16.0;

/// Support for such a title: its own ([`supports_itself`]), or that of another occurrence of
/// the same word in the essay.
fn supported(
    essay: &str,
    occurrence: &Occurrence,
    targets: &[&Target],
    all: &[(Occurrence, Vec<&Target>)],
) -> bool {
    if supports_itself(essay, occurrence, targets, all) {
        return true;
    }
    let written = &essay[occurrence.start..occurrence.end];
    all.iter().any(|(o, ts)| {
        o.start != occurrence.start
            && &essay[o.start..o.end] == written
            && supports_itself(essay, o, ts, all)
    })
}

/// A year of one of its films written next to it; one of its films' people named in the
/// essay; the title set off in italics or quotes; or, in the middle of a sentence (not a
/// heading), a film popular enough to be meant.
fn supports_itself(
    essay: &str,
    occurrence: &Occurrence,
    targets: &[&Target],
    all: &[(Occurrence, Vec<&Target>)],
) -> bool {
    let films: Vec<&&Target> = targets
        .iter()
        .filter(|t| t.kind == MentionKind::Film)
        .collect();
    let years = years_near(essay, occurrence.start, occurrence.end);
    if films
        .iter()
        .any(|t| t.year.is_some_and(|y| years.contains(&y)))
    {
        return true;
    }
    let named: HashSet<&str> = all
        .iter()
        .filter(|(o, _)| o.start != occurrence.start)
        .flat_map(|(_, ts)| {
            ts.iter()
                .filter(|t| t.kind == MentionKind::Person)
                .map(|t| t.id.as_str())
        })
        .collect();
    if films
        .iter()
        .any(|t| t.related.iter().any(|r| named.contains(r.as_str())))
    {
        return true;
    }
    // "Anora won five Oscars": a title that wins or is nominated is a film, wherever it stands.
    let next =
        &essay[occurrence.end..essay.floor_char_boundary((occurrence.end + 40).min(essay.len()))];
    let next = next
        .split(['.', '!', '?', ';', '\n'])
        .next()
        .unwrap_or("")
        .to_lowercase();
    let wins_something = [
        " won ",
        " wins ",
        " took home ",
        " swept ",
        " was nominated",
        " earned ",
        " received ",
    ]
    .iter()
    .any(|w| next.starts_with(w))
        && (next.contains("oscar")
            || next.contains("academy award")
            || next.contains("best ")
            || next.contains("nomination"));
    if wins_something && films.iter().any(|t| t.popularity > 0.0) {
        return true;
    }
    let before = essay[..occurrence.start].chars().next_back();
    let after = essay[occurrence.end..].chars().next();
    let emphasised = matches!(
        (before, after),
        (Some('*'), Some('*'))
            | (Some('_'), Some('_'))
            | (Some('“'), Some('”'))
            | (Some('"'), Some('"'))
    );
    if emphasised {
        return true;
    }
    // "the Brooklyn Bridge" is not Brooklyn, "the Titanic" is the ship, and "in America", "at
    // Philadelphia" are places: no popularity makes those a film.
    let in_longer_name = part_of_longer_name(essay, occurrence.start, occurrence.end);
    let word_before = essay[..occurrence.start]
        .trim_end()
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("");
    let as_noun_or_place = matches!(
        word_before,
        "the"
            | "a"
            | "an"
            | "in"
            | "at"
            | "near"
            | "across"
            | "around"
            | "outside"
            | "inside"
            | "through"
    );
    let mid_sentence = !opens_sentence(essay, occurrence.start)
        && !in_title_line(essay, occurrence.start)
        && !in_longer_name
        && !as_noun_or_place;
    let all_capitalised = films
        .iter()
        .all(|t| t.name.chars().next().is_some_and(char::is_uppercase));
    mid_sentence && all_capitalised && films.iter().any(|t| t.popularity >= POPULAR)
}

/// Four-digit years written within [`YEAR_WINDOW`] bytes of `start..end`.
fn years_near(essay: &str, start: usize, end: usize) -> Vec<i32> {
    let from = essay.floor_char_boundary(start.saturating_sub(YEAR_WINDOW));
    let to = essay.ceil_char_boundary((end + YEAR_WINDOW).min(essay.len()));
    let window = &essay[from..to];
    window
        .split(|c: char| !c.is_ascii_digit())
        .filter(|w| w.len() == 4)
        .filter_map(|w| w.parse().ok())
        .filter(|y| (1870..=2100).contains(y))
        .collect()
}

/// The target an occurrence most likely means (rule 2), among non-character targets.
fn choose<'a>(
    essay: &str,
    occurrence: &Occurrence,
    targets: &[&'a Target],
    context: &HashSet<&str>,
) -> Option<&'a Target> {
    let years = years_near(essay, occurrence.start, occurrence.end);
    targets
        .iter()
        .copied()
        .filter(|t| t.kind != MentionKind::Character)
        .map(|t| {
            let mut score = (1.0 + t.popularity.max(0.0)).ln();
            if t.year.is_some_and(|y| years.contains(&y)) {
                score += 5.0;
            }
            score += 3.0
                * t.related
                    .iter()
                    .filter(|r| context.contains(r.as_str()))
                    .count() as f64;
            (score, t)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, t)| t)
}

/// Whether the essay ties `target` to itself: a year beside the name, or one of its people
/// or films named.
fn grounded(
    essay: &str,
    occurrence: &Occurrence,
    target: &Target,
    context: &HashSet<&str>,
) -> bool {
    let years = years_near(essay, occurrence.start, occurrence.end);
    target.year.is_some_and(|y| years.contains(&y))
        || target.related.iter().any(|r| context.contains(r.as_str()))
}

fn mention(
    essay: &str,
    occurrence: &Occurrence,
    target: Option<&Target>,
    kind: MentionKind,
) -> Mention {
    Mention {
        text: essay[occurrence.start..occurrence.end].to_string(),
        start: occurrence.start,
        end: occurrence.end,
        kind,
        entity: target.map(|t| Linked {
            id: t.id.clone(),
            name: t.name.clone(),
        }),
    }
}

/// The mentions of `essay`, in text order.
pub fn link(index: &NameIndex, essay: &str) -> Vec<Mention> {
    let occurrences: Vec<(Occurrence, Vec<&Target>)> = index
        .occurrences(essay)
        .into_iter()
        .map(|o| {
            let targets = o
                .targets
                .iter()
                .filter_map(|&i| index.target(i))
                .collect::<Vec<_>>();
            (o, targets)
        })
        .filter(|(o, targets)| !targets.is_empty() && plausible(essay, o, targets))
        .collect();

    // Titles that could be ordinary words keep their film targets only with support; what
    // is left (a character of the same name) may still link.
    let occurrences: Vec<(Occurrence, Vec<&Target>)> = occurrences
        .iter()
        .filter_map(|(o, targets)| {
            if !needs_support(essay, o, targets) || supported(essay, o, targets, &occurrences) {
                return Some((o.clone(), targets.clone()));
            }
            let rest: Vec<&Target> = targets
                .iter()
                .copied()
                .filter(|t| t.kind == MentionKind::Character)
                .collect();
            (!rest.is_empty()).then(|| (o.clone(), rest))
        })
        .collect();
    // Context: every entity named unambiguously (one non-character target).
    let mut context: HashSet<&str> = HashSet::new();
    for (_, targets) in &occurrences {
        let named: Vec<&&Target> = targets
            .iter()
            .filter(|t| t.kind != MentionKind::Character)
            .collect();
        if let [only] = named.as_slice() {
            context.insert(only.id.as_str());
        }
    }

    let mut mentions: Vec<Mention> = Vec::new();
    // The films of the people the essay names.
    let mut casts_of_named: HashSet<String> = HashSet::new();
    let mut linked: HashSet<String> = HashSet::new();
    let mut characters: Vec<(&Occurrence, Vec<&Target>)> = Vec::new();
    for (occurrence, targets) in &occurrences {
        // "Stephanie Hsu plays Joy": a character of the essay's film or player wins over a
        // film of the same name that nothing in the essay ties to.
        // (Named elsewhere: "Anora" names the film Anora, which is no reason to read it as
        // the character Anora.)
        let character_of_essay = targets.iter().any(|t| {
            t.kind == MentionKind::Character
                && t.related.iter().any(|r| {
                    context.contains(r.as_str()) && !targets.iter().any(|own| own.id == *r)
                })
        });
        let chosen = choose(essay, occurrence, targets, &context)
            .filter(|film| !character_of_essay || grounded(essay, occurrence, film, &context));
        match chosen {
            Some(target) => {
                linked.insert(target.id.clone());
                if target.kind == MentionKind::Person {
                    casts_of_named.extend(target.related.iter().cloned());
                }
                mentions.push(mention(essay, occurrence, Some(target), target.kind));
            }
            None => characters.push((occurrence, targets.clone())),
        }
    }
    // Rule 3: characters whose film or player the essay names, or whose film one of the
    // essay's people is in ("Brad Pitt as Rick Dalton": a co-star's film).
    for (occurrence, targets) in characters {
        let of_this_essay = targets
            .iter()
            .copied()
            .filter(|t| {
                t.related.iter().any(|r| linked.contains(r))
                    || t.related
                        .first()
                        .is_some_and(|film| casts_of_named.contains(film))
            })
            .max_by(|a, b| a.popularity.total_cmp(&b.popularity));
        if let Some(target) = of_this_essay {
            mentions.push(mention(
                essay,
                occurrence,
                Some(target),
                MentionKind::Character,
            ));
        }
    }
    mentions.sort_by_key(|m| m.start);
    link_surnames(essay, &mut mentions);
    mentions
}

/// The short names a person goes by after being named in full: the family name, which is the
/// last word ("Baker" for Sean Baker) or, in East Asian order, the first ("Bong" for Bong Joon
/// Ho).
fn short_names(name: &str) -> Vec<String> {
    // "Robert Downey Jr." goes by "Downey".
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| {
            !matches!(
                w.trim_end_matches([',', '.']),
                "Jr" | "Sr" | "II" | "III" | "IV"
            )
        })
        .collect();
    if words.len() < 2 {
        return Vec::new();
    }
    let mut names = Vec::new();
    // "Olivia de Havilland" goes by "de Havilland" (and "De Havilland" opening a sentence).
    if words.len() >= 3 {
        let particle = words[words.len() - 2];
        if matches!(
            particle,
            "de" | "van" | "von" | "da" | "del" | "di" | "du" | "le" | "la" | "ten" | "ter"
        ) {
            let last = words[words.len() - 1];
            let mut capitalised = particle.to_string();
            if let Some(first) = capitalised.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            return vec![
                format!("{particle} {last}"),
                format!("{capitalised} {last}"),
            ];
        }
    }
    for word in [words[words.len() - 1], words[0]] {
        let word = word.trim_end_matches([',', '.']);
        if word.chars().count() > 1
            && word.chars().next().is_some_and(char::is_uppercase)
            && !is_common_word(word)
            && !names.iter().any(|n: &String| n == word)
        {
            names.push(word.to_string());
        }
    }
    names
}

/// Rule 4: "Baker" after "Sean Baker".
fn link_surnames(essay: &str, mentions: &mut Vec<Mention>) {
    let people: Vec<(usize, String, Linked)> = mentions
        .iter()
        .filter(|m| m.kind == MentionKind::Person)
        .filter_map(|m| {
            let entity = m.entity.clone()?;
            Some((m.end, entity))
        })
        .flat_map(|(end, entity)| {
            short_names(&entity.name)
                .into_iter()
                .map(move |short| (end, short, entity.clone()))
        })
        .collect();
    let mut added: Vec<Mention> = Vec::new();
    for (first_end, surname, person) in &people {
        // Ambiguous when two people of the essay share the short name.
        if people
            .iter()
            .any(|(_, s, p)| s == surname && p.id != person.id)
        {
            continue;
        }
        let mut from = *first_end;
        while let Some(found) = essay[from..].find(surname.as_str()) {
            let start = from + found;
            let end = start + surname.len();
            from = end;
            let before = essay[..start].chars().next_back();
            let word_start = before.is_none_or(|c| !c.is_alphanumeric());
            let word_end = essay[end..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric());
            if !word_start || !word_end || part_of_longer_name(essay, start, end) {
                continue;
            }
            // A lone one-word title with no year beside it gives way: in an essay that has
            // named Mahershala Ali, "Ali" is the actor, not the 2001 film.
            let lone_title = |m: &Mention| {
                m.kind == MentionKind::Film
                    && m.start == start
                    && m.end == end
                    && years_near(essay, start, end).is_empty()
            };
            mentions.retain(|m| !lone_title(m));
            let covered = mentions
                .iter()
                .chain(added.iter())
                .any(|m: &Mention| m.start < end && start < m.end);
            if !covered {
                added.push(Mention {
                    text: surname.clone(),
                    start,
                    end,
                    kind: MentionKind::Person,
                    entity: Some(person.clone()),
                });
            }
        }
    }
    mentions.extend(added);
    mentions.sort_by_key(|m| m.start);
}

/// Whether the word at `start..end` is one word of a longer capitalised name ("Ho" in "Song
/// Kang Ho").
fn part_of_longer_name(essay: &str, start: usize, end: usize) -> bool {
    let capitalised =
        |word: Option<&str>| word.is_some_and(|w| w.chars().next().is_some_and(char::is_uppercase));
    let before = essay[..start]
        .strip_suffix(' ')
        .map(|b| b.rsplit(' ').next().unwrap_or(""));
    let after = essay[end..]
        .strip_prefix(' ')
        .map(|a| a.split(' ').next().unwrap_or(""));
    let before_is_name = capitalised(before)
        && !before.is_some_and(|b| b.ends_with(['.', ',', ';', ':']))
        && !opens_sentence(essay, start - before.map_or(0, |b| b.len() + 1));
    let after_is_name = capitalised(after) && !essay[end..].starts_with([',', '.']);
    before_is_name || after_is_name
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(
        kind: MentionKind,
        id: &str,
        name: &str,
        year: Option<i32>,
        related: &[&str],
        popularity: f64,
    ) -> (String, Target) {
        let target = Target {
            kind,
            id: id.into(),
            name: name.into(),
            popularity,
            year,
            related: related.iter().map(|r| r.to_string()).collect(),
        };
        (name.to_string(), target)
    }

    /// A small catalog of our own, with the traps: a title that is a common word, two films of
    /// one title, a character whose name is a common first name.
    fn index() -> NameIndex {
        use MentionKind::*;
        NameIndex::build([
            target(
                Film,
                "tt-parasite",
                "Parasite",
                Some(2019),
                &["nm-bong", "nm-song"],
                20.0,
            ),
            target(Film, "tt-parasite-1982", "Parasite", Some(1982), &[], 1.0),
            target(
                Person,
                "nm-bong",
                "Bong Joon Ho",
                None,
                &["tt-parasite"],
                10.0,
            ),
            target(
                Person,
                "nm-song",
                "Song Kang-ho",
                None,
                &["tt-parasite"],
                3.0,
            ),
            target(
                Character,
                "tt-parasite/ki-taek",
                "Ki-taek",
                Some(2019),
                &["tt-parasite", "nm-song"],
                1.0,
            ),
            target(Film, "tt-her", "Her", Some(2013), &[], 20.0),
            target(Film, "tt-up", "Up", Some(2009), &[], 9.0),
            target(
                Character,
                "tt-other/anna",
                "Anna",
                Some(2001),
                &["tt-other"],
                1.0,
            ),
            target(Company, "co-neon", "NEON", None, &[], 2.0),
        ])
        .unwrap()
    }

    fn linked(essay: &str) -> Vec<(String, Option<String>)> {
        link(&index(), essay)
            .into_iter()
            .map(|m| (m.text, m.entity.map(|e| e.id)))
            .collect()
    }

    fn pair(text: &str, id: &str) -> (String, Option<String>) {
        (text.to_string(), Some(id.to_string()))
    }

    #[test]
    fn names_link_and_common_words_do_not() {
        let essay =
            "Bong Joon Ho made Parasite. Her camera moves, and up it goes. I saw Her twice.";
        assert_eq!(
            linked(essay),
            [
                pair("Bong Joon Ho", "nm-bong"),
                pair("Parasite", "tt-parasite"),
                pair("Her", "tt-her")
            ]
        );
    }

    #[test]
    fn a_year_next_to_a_title_chooses_the_film() {
        assert_eq!(
            linked("The old Parasite (1982) is not the one."),
            [pair("Parasite", "tt-parasite-1982")]
        );
        assert_eq!(
            linked("His 2019 film Parasite won."),
            [pair("Parasite", "tt-parasite")]
        );
    }

    #[test]
    fn characters_link_only_when_their_film_or_player_is_named() {
        assert_eq!(
            linked("In Parasite, Ki-taek is played by Song Kang-ho."),
            [
                pair("Parasite", "tt-parasite"),
                pair("Ki-taek", "tt-parasite/ki-taek"),
                pair("Song Kang-ho", "nm-song")
            ]
        );
        assert!(
            linked("Anna went home.").is_empty(),
            "Anna's film is not in this essay"
        );
    }

    #[test]
    fn a_surname_after_a_full_name_is_that_person() {
        let mentions = link(
            &index(),
            "Bong Joon Ho returns. Ho’s best film is his latest.",
        );
        let ids: Vec<(&str, Option<&str>)> = mentions
            .iter()
            .map(|m| (m.text.as_str(), m.entity.as_ref().map(|e| e.id.as_str())))
            .collect();
        assert_eq!(
            ids,
            [("Bong Joon Ho", Some("nm-bong")), ("Ho", Some("nm-bong"))]
        );
        assert_eq!(
            &"Bong Joon Ho returns. Ho’s best"[mentions[1].start..mentions[1].end],
            "Ho"
        );
    }

    #[test]
    fn companies_link() {
        assert_eq!(
            linked("Distributed by NEON in the US."),
            [pair("NEON", "co-neon")]
        );
    }
}
