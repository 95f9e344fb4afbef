//! Claims about who made a film and who plays whom: `cast`, `credit` and
//! `filmography_count`.

use std::ops::Range;

use kinograph_catalog::{AwardClass, FilmDetails, RoleCategory, normalize};

use super::context::{Context, Named, nomination_evidence};
use super::numbers;
use super::{Claim, ClaimKind, Evidence, Verdict};
use crate::facts::CatalogError;
use crate::names::MentionKind;
use crate::vocabulary;

const PERSON: &[MentionKind] = &[MentionKind::Person];
const FILM: &[MentionKind] = &[MentionKind::Film];

/// A name written in the essay: a linked person, or words the catalog does not know.
#[derive(Debug, Clone)]
struct Written<'m> {
    range: Range<usize>,
    text: String,
    person: Option<Named<'m>>,
}

/// The person named at `at`: a linked mention, else a capitalised name.
fn person_at<'m>(cx: &Context<'m>, at: usize) -> Option<Written<'m>> {
    if let Some(person) = cx.named_at(at, PERSON) {
        return Some(Written {
            range: person.mention.start..person.mention.end,
            text: person.mention.text.clone(),
            person: Some(person),
        });
    }
    proper_name_at(cx, at).map(|(range, text)| Written {
        range,
        text,
        person: None,
    })
}

fn proper_name_at(cx: &Context<'_>, at: usize) -> Option<(Range<usize>, String)> {
    let rest = cx.essay.get(at..)?;
    let caps = cx.patterns.proper_name.captures(rest)?;
    let name = caps.name("name")?;
    let text = name
        .as_str()
        .trim_end_matches(['’', '\'', '.'])
        .trim_end_matches("’s")
        .trim_end_matches("'s")
        .to_string();
    let start = at + name.start();
    Some((start..start + text.len(), text))
}

/// The capitalised name ending at `end` (one to three words).
fn proper_name_before(cx: &Context<'_>, end: usize) -> Option<(Range<usize>, String)> {
    let before = cx.essay.get(..end)?;
    let trimmed = before.trim_end_matches(['”', '’', '"', '\'', '*', '_', ' ']);
    let mut start = trimmed.len();
    let mut words = 0;
    for word in trimmed.rsplit(' ') {
        if words == 3 || !word.chars().next().is_some_and(char::is_uppercase) {
            break;
        }
        if word.ends_with([',', '.', ';', ':']) && words > 0 {
            break;
        }
        start -= word.len();
        words += 1;
        start = start.saturating_sub(1);
    }
    if words == 0 {
        return None;
    }
    let start = if start == 0 { 0 } else { start + 1 };
    let text = trimmed
        .get(start..)?
        .trim_start_matches(['“', '"'])
        .to_string();
    Some((start..trimmed.len(), text))
}

/// "Strawberry, a doughnut-shop clerk played by …", "Sadie, the prickly widow who sold it to
/// her, is played by …": the character named just before, set off by a comma.
fn appositive_character(cx: &Context<'_>, at: usize) -> Option<(Range<usize>, String)> {
    let sentence = cx.sentence_at(at);
    let from = cx
        .essay
        .floor_char_boundary(at.saturating_sub(90).max(sentence.start));
    let character = cx.named_in(from..at, &[MentionKind::Character]).pop()?;
    let between = cx.text(character.mention.end..at);
    (between.starts_with(',') && !between.contains(['.', ';'])).then(|| {
        (
            character.mention.start..character.mention.end,
            character.mention.text.clone(),
        )
    })
}

/// Who plays what in a film: credits, and acting nominations (whose detail is the
/// character).
fn cast_of(film: &FilmDetails) -> Vec<(String, Option<String>, String)> {
    let mut cast: Vec<(String, Option<String>, String)> = Vec::new();
    for credit in &film.credits {
        for character in &credit.characters {
            cast.push((
                character.clone(),
                credit.person.id.clone(),
                credit.person.name.clone(),
            ));
        }
    }
    for n in film
        .nominations
        .iter()
        .filter(|n| n.class == AwardClass::Acting)
    {
        let position = n
            .films
            .iter()
            .position(|f| f.id.as_deref() == Some(film.film.id.as_str()));
        let detail = match (position, n.detail.len() == n.films.len()) {
            (Some(p), true) => n.detail.get(p),
            _ => None,
        };
        if let Some(character) = detail {
            for nominee in &n.nominees {
                cast.push((character.clone(), nominee.id.clone(), nominee.name.clone()));
            }
        }
    }
    cast
}

/// Whether a character called `written` in prose is the catalog's `character`.
fn same_character(written: &str, character: &str) -> bool {
    let written = normalize::key(written);
    if written.is_empty() {
        return false;
    }
    vocabulary::character_names(character)
        .iter()
        .any(|name| normalize::key(name) == written)
}

/// Whether two names of a character have a name in common ("Rose Dawson", "Rose DeWitt
/// Bukater"), not counting titles and short words.
fn shares_a_name(written: &str, character: &str) -> bool {
    let words = |name: &str| -> Vec<String> {
        normalize::key(name)
            .split(' ')
            .filter(|w| {
                w.len() > 2 && !matches!(*w, "the" | "mrs" | "miss" | "old" | "young" | "dr" | "mr")
            })
            .map(str::to_string)
            .collect()
    };
    let theirs = words(character);
    words(written).iter().any(|w| theirs.contains(w))
}

fn same_person(written: &Written<'_>, id: Option<&str>, name: &str) -> bool {
    match (&written.person, id) {
        (Some(person), Some(id)) if person.id == id => true,
        _ => normalize::key(&written.text) == normalize::key(name),
    }
}

/// Verifies that `player` plays `character` in one of `films` (the first that has the
/// character decides).
fn verify_cast(
    cx: &Context<'_>,
    films: &[&str],
    character: &str,
    player: &Written<'_>,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let mut player_elsewhere: Option<(String, String)> = None;
    for film_id in films {
        let Some(film) = cx.lookup.film(film_id)? else {
            continue;
        };
        let cast = cast_of(&film);
        let playing: Vec<&(String, Option<String>, String)> = cast
            .iter()
            .filter(|(c, _, _)| same_character(character, c))
            .collect();
        if playing.is_empty() {
            if let Some((c, _, name)) = cast
                .iter()
                .find(|(_, id, name)| same_person(player, id.as_deref(), name))
            {
                // The same character by another name ("Rose Dawson" for Rose DeWitt Bukater):
                // a name in common is the role, not another one.
                if shares_a_name(character, c) {
                    return Ok((
                        Verdict::Supported,
                        vec![Evidence::new(
                            format!("{name} plays {c} in {}", film.film.title),
                            cast_source(&film, c),
                        )],
                    ));
                }
                if player_elsewhere.is_none() {
                    player_elsewhere = Some((
                        format!("{name} plays {c} in {}", film.film.title),
                        film.film.title.clone(),
                    ));
                }
            }
            continue;
        }
        let holds = playing
            .iter()
            .any(|(_, id, name)| same_person(player, id.as_deref(), name));
        let mut seen = Vec::new();
        let evidence = playing
            .iter()
            .filter(|(c, id, _)| {
                let key = (c.clone(), id.clone());
                let new = !seen.contains(&key);
                seen.push(key);
                new
            })
            .map(|(c, _, name)| {
                Evidence::new(
                    format!("{c} in {} is played by {name}", film.film.title),
                    cast_source(&film, c),
                )
            })
            .collect();
        let verdict = if holds {
            Verdict::Supported
        } else {
            Verdict::Contradicted
        };
        return Ok((verdict, evidence));
    }
    Ok(match player_elsewhere {
        Some((fact, title)) => (
            Verdict::Contradicted,
            vec![Evidence::new(fact, format!("cast of {title}"))],
        ),
        None => (
            Verdict::Unverifiable,
            vec![Evidence::new(
                format!("the catalog does not say who plays {character}"),
                "catalog",
            )],
        ),
    })
}

fn cast_source(film: &FilmDetails, character: &str) -> String {
    if let Some(credit) = film
        .credits
        .iter()
        .find(|c| c.characters.iter().any(|x| x == character))
    {
        return credit.source.to_string();
    }
    film.nominations
        .iter()
        .find(|n| n.class == AwardClass::Acting && n.detail.iter().any(|d| d == character))
        .map_or_else(|| "catalog".to_string(), |n| n.source.to_string())
}

/// The films a character named at `range` may be in: its own film when the name is linked,
/// else the films of its sentence, then the essay's films nearest first.
fn candidate_films<'m>(cx: &Context<'m>, range: &Range<usize>) -> Vec<&'m str> {
    if let Some(character) = cx
        .named_in(range.clone(), &[MentionKind::Character])
        .into_iter()
        .find(|c| c.mention.start == range.start)
        && let Some((film, _)) = character.id.split_once('/')
    {
        return vec![film];
    }
    let sentence = cx.sentence_at(range.start);
    let mut films: Vec<&str> = cx
        .named_in(sentence.clone(), FILM)
        .iter()
        .map(|f| f.id)
        .collect();
    let mut earlier: Vec<&str> = cx
        .named_in(0..sentence.start, FILM)
        .iter()
        .map(|f| f.id)
        .collect();
    earlier.reverse();
    films.extend(earlier);
    let mut later: Vec<&str> = cx
        .named_in(sentence.end..cx.essay.len(), FILM)
        .iter()
        .map(|f| f.id)
        .collect();
    films.append(&mut later);
    let mut seen = Vec::new();
    films.retain(|f| {
        let new = !seen.contains(f);
        seen.push(f);
        new
    });
    films
}

fn cast_claim(
    cx: &Context<'_>,
    found: &mut Vec<Claim>,
    character: (Range<usize>, String),
    player: Written<'_>,
) -> Result<(), CatalogError> {
    let range = character.0.start.min(player.range.start)..character.0.end.max(player.range.end);
    if Context::claimed(found, &range, &[ClaimKind::Cast]) {
        return Ok(());
    }
    let films = candidate_films(cx, &character.0);
    let (verdict, evidence) = verify_cast(cx, &films, &character.1, &player)?;
    found.push(cx.claim(range, None, ClaimKind::Cast, verdict, evidence));
    Ok(())
}

/// `cast`: "Ani, played by Mikey Madison", "Mahershala Ali as Juan", "Kate Winslet plays
/// Rose".
pub(super) fn cast(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let p = cx.patterns;
    for m in p.played_by.find_iter(cx.essay) {
        let character = cx
            .named_ending_at(m.start(), &[MentionKind::Character])
            .map(|c| (c.mention.start..c.mention.end, c.mention.text.clone()))
            .or_else(|| proper_name_before(cx, m.start()))
            .or_else(|| appositive_character(cx, m.start()));
        let (Some(character), Some(player)) = (character, person_at(cx, m.end())) else {
            continue;
        };
        cast_claim(cx, found, character, player)?;
    }
    for caps in p.role_went_to.captures_iter(cx.essay) {
        let (Some(all), Some(character)) = (caps.get(0), caps.name("character")) else {
            continue;
        };
        let Some(player) = person_at(cx, all.end()) else {
            continue;
        };
        let character = cx
            .named_at(character.start(), &[MentionKind::Character])
            .map(|c| (c.mention.start..c.mention.end, c.mention.text.clone()))
            .unwrap_or((character.range(), character.as_str().to_string()));
        cast_claim(cx, found, character, player)?;
    }
    for caps in p.unknown_player_as.captures_iter(cx.essay) {
        let (Some(player), Some(character)) = (caps.name("player"), caps.name("character")) else {
            continue;
        };
        // Linked players are the loop below's; titles and people are not characters.
        let known = |r: Range<usize>| {
            cx.mentions
                .iter()
                .any(|m| m.entity.is_some() && m.start < r.end && r.start < m.end)
        };
        if known(player.range())
            || known(character.range())
            || opens_with_common_word(player.as_str())
        {
            continue;
        }
        let written = Written {
            range: player.range(),
            text: player.as_str().to_string(),
            person: None,
        };
        cast_claim(
            cx,
            found,
            (character.range(), character.as_str().to_string()),
            written,
        )?;
    }
    for person in cx.named_in(0..cx.essay.len(), PERSON) {
        let after = cx.text(person.mention.end..cx.essay.len());
        if let Some(possessive) = after.strip_prefix("’s ").or(after.strip_prefix("'s ")) {
            let at = cx.essay.len() - possessive.len();
            possessive_cast(cx, found, &person, at)?;
        }
        // "Prince Adu is Lucky": a character of the essay after "is".
        if let Some(rest) = after.strip_prefix(" is ") {
            let at = cx.essay.len() - rest.len();
            if let Some(character) = cx.named_at(at, &[MentionKind::Character]) {
                let player = Written {
                    range: person.mention.start..person.mention.end,
                    text: person.mention.text.clone(),
                    person: Some(person),
                };
                cast_claim(
                    cx,
                    found,
                    (
                        character.mention.start..character.mention.end,
                        character.mention.text.clone(),
                    ),
                    player,
                )?;
                continue;
            }
        }
        let Some(m) = p.plays.find(after) else {
            continue;
        };
        let at = person.mention.end + m.end();
        let character = cx
            .named_at(at, &[MentionKind::Character])
            .map(|c| (c.mention.start..c.mention.end, c.mention.text.clone()))
            .or_else(|| proper_name_at(cx, at));
        let Some(character) = character else { continue };
        // "Baker as Director" is not a role: a character name is not a film's or person's.
        if cx
            .named_at(
                at,
                &[MentionKind::Film, MentionKind::Person, MentionKind::Award],
            )
            .is_some()
        {
            continue;
        }
        let player = Written {
            range: person.mention.start..person.mention.end,
            text: person.mention.text.clone(),
            person: Some(person),
        };
        cast_claim(cx, found, character, player)?;
    }
    Ok(())
}

/// "Leonardo DiCaprio's Jack Dawson": a cast claim when the name after the possessive is a
/// character of the essay, or a capitalised name and the person acts.
fn possessive_cast(
    cx: &Context<'_>,
    found: &mut Vec<Claim>,
    person: &Named<'_>,
    at: usize,
) -> Result<(), CatalogError> {
    if cx
        .named_at(
            at,
            &[
                MentionKind::Film,
                MentionKind::Person,
                MentionKind::Award,
                MentionKind::Company,
            ],
        )
        .is_some()
    {
        return Ok(());
    }
    let character = match cx.named_at(at, &[MentionKind::Character]) {
        Some(c) => (c.mention.start..c.mention.end, c.mention.text.clone()),
        None => {
            let Some((range, text)) = proper_name_at(cx, at) else {
                return Ok(());
            };
            if !acts(cx, person.id)? {
                return Ok(());
            }
            (range, text)
        }
    };
    let player = Written {
        range: person.mention.start..person.mention.end,
        text: person.mention.text.clone(),
        person: Some(*person),
    };
    cast_claim(cx, found, character, player)
}

/// Whether the catalog knows `person` as a director.
fn directs(cx: &Context<'_>, person: &str) -> Result<bool, CatalogError> {
    Ok(cx.lookup.person(person)?.is_some_and(|p| {
        p.credits
            .iter()
            .any(|c| c.category == RoleCategory::Director)
            || p.nominations
                .iter()
                .any(|n| n.class == AwardClass::Directing)
    }))
}

/// Whether the catalog knows `person` as a performer.
fn acts(cx: &Context<'_>, person: &str) -> Result<bool, CatalogError> {
    Ok(cx.lookup.person(person)?.is_some_and(|p| {
        p.credits.iter().any(|c| c.category.is_cast())
            || p.nominations.iter().any(|n| n.class == AwardClass::Acting)
    }))
}

fn opens_with_common_word(name: &str) -> bool {
    let first = name.split_whitespace().next().unwrap_or("").to_lowercase();
    matches!(
        first.as_str(),
        "the"
            | "a"
            | "an"
            | "in"
            | "on"
            | "at"
            | "when"
            | "while"
            | "after"
            | "before"
            | "but"
            | "and"
            | "his"
            | "her"
            | "their"
            | "its"
            | "this"
            | "that"
            | "as"
            | "for"
            | "with"
    )
}

/// The roles a verb names: "written and directed" is two.
fn roles(verb: &str) -> Vec<RoleCategory> {
    let verb = verb.to_lowercase();
    let mut roles = Vec::new();
    if verb.contains("direct") || verb.contains("helm") {
        roles.push(RoleCategory::Director);
    }
    if verb.contains("writ") || verb.contains("wrote") {
        roles.push(RoleCategory::Writer);
    }
    if verb.contains("produc") {
        roles.push(RoleCategory::Producer);
    }
    if verb.contains("edit") {
        roles.push(RoleCategory::Editor);
    }
    if verb.contains("shot") || verb.contains("photograph") {
        roles.push(RoleCategory::Cinematographer);
    }
    if verb.contains("scor") {
        roles.push(RoleCategory::Composer);
    }
    roles
}

/// Whether a nomination row names the people of `role` on its film: the directing
/// nominees are the directors, the writing nominees writers, and so on.
fn nomination_names_role(class: AwardClass, canonical: &str, role: RoleCategory) -> bool {
    match role {
        RoleCategory::Director => class == AwardClass::Directing,
        RoleCategory::Writer => class == AwardClass::Writing,
        RoleCategory::Producer => canonical == "BEST PICTURE",
        RoleCategory::Editor => canonical == "FILM EDITING",
        RoleCategory::Cinematographer => canonical.starts_with("CINEMATOGRAPHY"),
        RoleCategory::Composer => canonical.starts_with("MUSIC (Original Score"),
        _ => false,
    }
}

/// The people the catalog knows in `role` on `film`, with where it knows them from.
fn people_in_role(film: &FilmDetails, role: RoleCategory) -> Vec<(Option<String>, String, String)> {
    let mut people: Vec<(Option<String>, String, String)> = film
        .credits
        .iter()
        .filter(|c| c.category == role)
        .map(|c| {
            (
                c.person.id.clone(),
                c.person.name.clone(),
                c.source.to_string(),
            )
        })
        .collect();
    for n in &film.nominations {
        if nomination_names_role(n.class, &n.canonical_category, role) {
            for nominee in &n.nominees {
                // Companies ("Selznick International Pictures") are not people in a role.
                if nominee
                    .id
                    .as_deref()
                    .is_some_and(|id| !id.is_empty() && !id.starts_with("co"))
                    && !people.iter().any(|(id, _, _)| id == &nominee.id)
                {
                    people.push((
                        nominee.id.clone(),
                        nominee.name.clone(),
                        n.source.to_string(),
                    ));
                }
            }
        }
    }
    people
}

fn verify_credit(
    cx: &Context<'_>,
    film: &Named<'_>,
    roles: &[RoleCategory],
    person: &Written<'_>,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let Some(details) = cx.lookup.film(film.id)? else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    let mut evidence = Vec::new();
    let mut verdict = Verdict::Supported;
    for role in roles {
        let known = people_in_role(&details, *role);
        if known.is_empty() {
            evidence.push(Evidence::new(
                format!(
                    "the catalog does not say who was {} of {}",
                    role.as_str(),
                    details.film.title
                ),
                "catalog",
            ));
            if verdict == Verdict::Supported {
                verdict = Verdict::Unverifiable;
            }
            continue;
        }
        let holds = known
            .iter()
            .any(|(id, name, _)| same_person(person, id.as_deref(), name));
        if !holds {
            verdict = Verdict::Contradicted;
        }
        evidence.extend(known.iter().map(|(_, name, source)| {
            Evidence::new(
                format!("{name}: {} of {}", role.as_str(), details.film.title),
                source.clone(),
            )
        }));
    }
    Ok((verdict, evidence))
}

/// "Cameron’s Titanic" says the person made the film, not in which role: supported when the
/// catalog ties them to it, otherwise unverifiable (the catalog may lack the credit).
fn verify_any_credit(
    cx: &Context<'_>,
    film: &Named<'_>,
    person: &Named<'_>,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let Some(details) = cx.lookup.film(film.id)? else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    let title = &details.film.title;
    let credited = details
        .credits
        .iter()
        .filter(|c| c.person.id.as_deref() == Some(person.id))
        .map(|c| {
            Evidence::new(
                format!("{}: {} of {title}", c.person.name, c.category.as_str()),
                c.source.to_string(),
            )
        });
    let nominated = details
        .nominations
        .iter()
        .filter(|n| {
            n.nominees
                .iter()
                .any(|x| x.id.as_deref() == Some(person.id))
        })
        .map(nomination_evidence);
    let evidence: Vec<Evidence> = credited.chain(nominated).collect();
    if !evidence.is_empty() {
        return Ok((Verdict::Supported, evidence));
    }
    // A director's possessive ("Jim Sheridan's The Remains of the Day") says they directed
    // it: a film whose directors the catalog knows, none of them this person, contradicts it.
    let directors = people_in_role(&details, RoleCategory::Director);
    if !directors.is_empty() && directs(cx, person.id)? {
        return Ok((
            Verdict::Contradicted,
            directors
                .iter()
                .map(|(_, name, source)| {
                    Evidence::new(format!("{name}: director of {title}"), source.clone())
                })
                .collect(),
        ));
    }
    Ok((
        Verdict::Unverifiable,
        vec![Evidence::new(
            format!("the catalog has no credit of {} on {title}", person.name),
            "catalog",
        )],
    ))
}

fn credit_claim(
    cx: &Context<'_>,
    found: &mut Vec<Claim>,
    range: Range<usize>,
    film: &Named<'_>,
    roles: &[RoleCategory],
    person: &Written<'_>,
) -> Result<(), CatalogError> {
    if roles.is_empty() || Context::claimed(found, &range, &[ClaimKind::Credit]) {
        return Ok(());
    }
    let (verdict, evidence) = verify_credit(cx, film, roles, person)?;
    found.push(cx.claim(range, Some(film), ClaimKind::Credit, verdict, evidence));
    Ok(())
}

/// `credit`: "directed by Barry Jenkins", "Bong Joon Ho directed Parasite", "Parasite
/// director Bong Joon Ho".
pub(super) fn credits(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let p = cx.patterns;
    for caps in p.made_by.captures_iter(cx.essay) {
        let (Some(all), Some(role)) = (caps.get(0), caps.name("role")) else {
            continue;
        };
        let Some(person) = person_at(cx, all.end()) else {
            continue;
        };
        // "written with Chris Bergoch" names a collaborator the catalog knows; "edited with
        // Final Cut" names none.
        if all.as_str().to_lowercase().trim_end().ends_with("with") && person.person.is_none() {
            continue;
        }
        let sentence = cx.sentence_at(all.start());
        // "Helmed by Peter Jackson …, it closes …": the film may be named after, as "it".
        let film = cx
            .subject(&sentence, all.start(), FILM)
            .or_else(|| cx.antecedent(&sentence, sentence.end, FILM));
        let Some(film) = film else {
            continue;
        };
        // "directed by Joel and Ethan Coen": a lone first name shares the next one's surname.
        let person = match &person.person {
            None if !person.text.contains(' ') => {
                let after = cx.text(person.range.end..sentence.end);
                let next = after
                    .strip_prefix(" and ")
                    .and_then(|rest| cx.named_at(sentence.end - rest.len(), PERSON));
                match next.and_then(|n| n.name.split_whitespace().last().map(str::to_string)) {
                    Some(surname) => Written {
                        text: format!("{} {surname}", person.text),
                        ..person
                    },
                    None => person,
                }
            }
            _ => person,
        };
        // "produced by Emma Thomas and Charles Roven": each of them.
        let mut people = vec![person];
        while let Some(last) = people.last() {
            let after = cx.text(last.range.end..sentence.end);
            let Some(rest) = after
                .strip_prefix(" and ")
                .or(after.strip_prefix(", and "))
                .or(after.strip_prefix(", "))
            else {
                break;
            };
            let Some(next) = cx.named_at(sentence.end - rest.len(), PERSON) else {
                break;
            };
            people.push(Written {
                range: next.mention.start..next.mention.end,
                text: next.mention.text.clone(),
                person: Some(next),
            });
            if people.len() > 4 {
                break;
            }
        }
        let end = people.last().map_or(all.end(), |p| p.range.end);
        let range = all.start()..end;
        if roles(role.as_str()).is_empty() || Context::claimed(found, &range, &[ClaimKind::Credit])
        {
            continue;
        }
        // One claim for all of them: it holds when it holds for each.
        let mut verdict = Verdict::Supported;
        let mut evidence: Vec<Evidence> = Vec::new();
        for person in &people {
            let (v, e) = verify_credit(cx, &film, &roles(role.as_str()), person)?;
            verdict = match (verdict, v) {
                (Verdict::Contradicted, _) | (_, Verdict::Contradicted) => Verdict::Contradicted,
                (Verdict::Unverifiable, _) | (_, Verdict::Unverifiable) => Verdict::Unverifiable,
                _ => Verdict::Supported,
            };
            for item in e {
                if !evidence.contains(&item) {
                    evidence.push(item);
                }
            }
        }
        found.push(cx.claim(range, Some(&film), ClaimKind::Credit, verdict, evidence));
    }
    for person in cx.named_in(0..cx.essay.len(), PERSON) {
        let after = cx.text(person.mention.end..cx.essay.len());
        let Some(caps) = p.person_made.captures(after) else {
            continue;
        };
        let (Some(all), Some(role)) = (caps.get(0), caps.name("role")) else {
            continue;
        };
        let Some(film) = cx.named_at(person.mention.end + all.end(), FILM) else {
            continue;
        };
        let written = Written {
            range: person.mention.start..person.mention.end,
            text: person.mention.text.clone(),
            person: Some(person),
        };
        let range = person.mention.start..film.mention.end;
        credit_claim(cx, found, range, &film, &roles(role.as_str()), &written)?;
    }
    for person in cx.named_in(0..cx.essay.len(), PERSON) {
        let after = cx.text(person.mention.end..cx.essay.len());
        let Some(m) = p.possessive_film.find(after) else {
            continue;
        };
        let Some(film) = cx.named_at(person.mention.end + m.end(), FILM) else {
            continue;
        };
        let range = person.mention.start..film.mention.end;
        if Context::claimed(found, &range, &[ClaimKind::Credit]) {
            continue;
        }
        let (verdict, evidence) = verify_any_credit(cx, &film, &person)?;
        found.push(cx.claim(range, Some(&person), ClaimKind::Credit, verdict, evidence));
    }
    for film in cx.named_in(0..cx.essay.len(), FILM) {
        let after = cx.text(film.mention.end..cx.essay.len());
        let Some(m) = p.film_director.find(after) else {
            continue;
        };
        let Some(person) = person_at(cx, film.mention.end + m.end()) else {
            continue;
        };
        let range = film.mention.start..person.range.end;
        credit_claim(cx, found, range, &film, &[RoleCategory::Director], &person)?;
    }
    Ok(())
}

/// Whether catalog theme `theme` is what the words `written` name: every word of the one
/// starts a word of the other, in order ("sex work" and "sex workers").
fn same_theme(written: &str, theme: &str) -> bool {
    let written = normalize::key(written);
    let theme = normalize::key(theme);
    let a: Vec<&str> = written.split(' ').filter(|w| !w.is_empty()).collect();
    let b: Vec<&str> = theme.split(' ').filter(|w| !w.is_empty()).collect();
    !a.is_empty()
        && a.len() == b.len()
        && a.iter()
            .zip(&b)
            .all(|(x, y)| x.starts_with(y) || y.starts_with(x))
}

/// `filmography_count`: "he's made five films centered on sex workers", "Jenkins has
/// directed three features".
pub(super) fn filmography_counts(
    cx: &Context<'_>,
    found: &mut Vec<Claim>,
) -> Result<(), CatalogError> {
    for caps in cx.patterns.filmography.captures_iter(cx.essay) {
        let (Some(all), Some(verb), Some(n)) = (caps.get(0), caps.name("verb"), caps.name("n"))
        else {
            continue;
        };
        let Some(claimed) = numbers::count(n.as_str()) else {
            continue;
        };
        let end = caps.name("theme").map_or(n.end(), |t| t.end());
        let range = all.start()..end.max(caps.name("noun").map_or(0, |m| m.end()));
        if Context::claimed(found, &range, &[ClaimKind::FilmographyCount]) {
            continue;
        }
        let sentence = cx.sentence_at(all.start());
        let Some(person) = cx.subject(&sentence, all.start(), PERSON) else {
            continue;
        };
        let verb = verb.as_str().to_lowercase();
        let role = if verb.contains("star") || verb.contains("appear") || verb.contains("act") {
            None
        } else {
            roles(&verb)
                .first()
                .copied()
                .or(Some(RoleCategory::Director))
        };
        let themes = cx.lookup.themes()?;
        let theme = match caps.name("theme") {
            None => None,
            Some(written) => match themes.iter().find(|t| same_theme(written.as_str(), t)) {
                Some(theme) => Some(theme.clone()),
                None => {
                    found.push(cx.claim(
                        range,
                        Some(&person),
                        ClaimKind::FilmographyCount,
                        Verdict::Unverifiable,
                        vec![Evidence::new(
                            format!("the catalog has no theme \"{}\"", written.as_str().trim()),
                            "catalog",
                        )],
                    ));
                    continue;
                }
            },
        };
        let catalog = cx.lookup.catalog();
        // The films with the theme; all the person's films only when there are none (to tell
        // "none with this theme" from "no credits known").
        let themed = match &theme {
            Some(theme) => Some(catalog.films_of(person.id, role, Some(theme))?),
            None => None,
        };
        let all_films = match &themed {
            Some(films) if !films.is_empty() => Vec::new(),
            _ => catalog.films_of(person.id, role, None)?,
        };
        let known = themed.as_ref().is_some_and(|f| !f.is_empty()) || !all_films.is_empty();
        let (verdict, evidence) = if !known {
            (
                Verdict::Unverifiable,
                vec![Evidence::new(
                    format!(
                        "the catalog holds no {} credits for {}",
                        role.map_or("", |r| r.as_str()),
                        person.name
                    ),
                    "catalog",
                )],
            )
        } else {
            let mut films = themed.unwrap_or(all_films);
            // "Before Anora, Baker had made four …": only the films before that one.
            let clause = cx.clause_start(&sentence, all.start());
            let before_film = cx
                .named_in(clause..all.start(), FILM)
                .into_iter()
                .find(|f| {
                    let lead = cx.text(sentence.start..f.mention.start).to_lowercase();
                    lead.trim_end().ends_with("before") || lead.trim_end().ends_with("prior to")
                });
            let mut scope = String::new();
            if let Some(limit) = before_film
                && let Some(year) = cx
                    .lookup
                    .film(limit.id)?
                    .and_then(|f| f.film.year.or(f.film.award_year))
            {
                films.retain(|f| f.year.is_some_and(|y| y < year));
                scope = format!(" before {} ({year})", limit.name);
            }
            let actual = films.len() as u64;
            let what = match &theme {
                Some(theme) => format!("films with the theme \"{theme}\""),
                None => "films".to_string(),
            };
            let mut evidence = vec![Evidence::new(
                format!(
                    "{} has {actual} {what}{}{scope}",
                    person.name,
                    role.map_or(String::new(), |r| format!(" as {}", r.as_str()))
                ),
                "catalog credits and themes",
            )];
            evidence.extend(films.iter().map(|f| {
                Evidence::new(
                    match f.year {
                        Some(y) => format!("{} ({y})", f.title),
                        None => f.title.clone(),
                    },
                    format!("catalog film {}", f.id),
                )
            }));
            (
                if actual == claimed {
                    Verdict::Supported
                } else {
                    Verdict::Contradicted
                },
                evidence,
            )
        };
        found.push(cx.claim(
            range,
            Some(&person),
            ClaimKind::FilmographyCount,
            verdict,
            evidence,
        ));
    }
    Ok(())
}
