//! From catalog search entries to index documents.

use kinograph_catalog::{EntityKind, SearchEntry, normalize};
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{TantivyDocument, Term};

use std::collections::BTreeSet;

use crate::query::Kind;
use crate::{Fields, WORD_START_CHARS, analyzer};

/// How much popularity lifts relevance: slowly, so that a famous film does not bury an obscure
/// one that matches better.
fn boost(popularity: f64) -> f64 {
    1.0 + 0.3 * (1.0 + popularity.max(0.0)).ln()
}

/// Popularity and the exact-name keys, common to every document.
fn add_ranking(fields: &Fields, doc: &mut TantivyDocument, popularity: f64, names: &[&str]) {
    doc.add_f64(fields.popularity, popularity);
    doc.add_f64(fields.boost, boost(popularity));
    for name in names {
        doc.add_text(fields.name_keys, normalize::key(name));
    }
}

/// The group term of an entity: deleting it removes the entity's documents (a film's own and
/// its characters') before they are added again.
pub(crate) fn group_term(fields: &Fields, kind: EntityKind, id: &str) -> Term {
    Term::from_field_text(fields.group, &format!("{}:{id}", kind.as_str()))
}

/// A character's id: its film, then its name as a slug ("tt5649144/moonee").
fn character_id(film_id: &str, name: &str) -> String {
    format!("{film_id}/{}", normalize::key(name).replace(' ', "-"))
}

/// Every name a document's `all_names` holds.
fn all_names(entry: &SearchEntry) -> Vec<&str> {
    let mut names = vec![entry.name.as_str()];
    names.extend(entry.other_names.iter().map(String::as_str));
    names.extend(entry.characters.iter().map(|c| c.name.as_str()));
    names
}

/// The starts of every word of `names`, each once (see `Fields::word_starts`).
fn add_word_starts(
    fields: &Fields,
    analyzer: &mut TextAnalyzer,
    doc: &mut TantivyDocument,
    names: &[&str],
) {
    let mut starts = BTreeSet::new();
    for name in names {
        let mut stream = analyzer.token_stream(name);
        while stream.advance() {
            let word = &stream.token().text;
            for (length, (at, c)) in word.char_indices().enumerate() {
                if length == WORD_START_CHARS {
                    break;
                }
                starts.insert(word[..at + c.len_utf8()].to_string());
            }
        }
    }
    for start in starts {
        doc.add_text(fields.word_starts, start);
    }
}

pub(crate) fn documents(fields: &Fields, entry: &SearchEntry) -> Vec<TantivyDocument> {
    let kind = match entry.kind {
        EntityKind::Film => Kind::Film,
        EntityKind::Person => Kind::Person,
        EntityKind::Essay => Kind::Essay,
        EntityKind::Company => return Vec::new(),
    };
    let group = format!("{}:{}", entry.kind.as_str(), entry.id);
    let mut doc = TantivyDocument::default();
    doc.add_text(fields.kind, kind.as_str());
    doc.add_text(fields.id, &entry.id);
    doc.add_text(fields.group, &group);
    doc.add_text(fields.name, &entry.name);
    doc.add_text(fields.all_names, &entry.name);
    for name in &entry.other_names {
        doc.add_text(fields.other_names, name);
        doc.add_text(fields.all_names, name);
    }
    for character in &entry.characters {
        doc.add_text(fields.characters, &character.name);
        doc.add_text(fields.all_names, &character.name);
    }
    if kind == Kind::Film {
        // A person's year would be a birth year; the year filter is about films.
        if let Some(year) = entry.year {
            doc.add_i64(fields.year, i64::from(year));
        }
        for genre in &entry.genres {
            doc.add_text(fields.genres, genre.to_lowercase());
        }
    }
    let detail = match (kind, &entry.known_for, entry.year) {
        (Kind::Film, Some(directors), _) => Some(format!("directed by {directors}")),
        (Kind::Person, Some(film), Some(born)) => Some(format!("born {born}; {film}")),
        (Kind::Person, Some(film), None) => Some(film.clone()),
        (Kind::Person, None, Some(born)) => Some(format!("born {born}")),
        (Kind::Essay, Some(byline), _) => Some(byline.clone()),
        _ => None,
    };
    if let Some(detail) = detail {
        doc.add_text(fields.detail, detail);
    }
    // One analyzer for the entry's documents: building one allocates its filters.
    let mut analyzer = analyzer();
    add_word_starts(fields, &mut analyzer, &mut doc, &all_names(entry));
    let mut names = vec![entry.name.as_str()];
    names.extend(entry.other_names.iter().map(String::as_str));
    add_ranking(fields, &mut doc, entry.popularity, &names);
    let mut documents = vec![doc];
    if kind == Kind::Film {
        // Each character is findable on its own, and belongs to the film's group.
        for character in &entry.characters {
            let mut doc = TantivyDocument::default();
            doc.add_text(fields.kind, Kind::Character.as_str());
            doc.add_text(fields.id, character_id(&entry.id, &character.name));
            doc.add_text(fields.group, &group);
            doc.add_text(fields.name, &character.name);
            doc.add_text(fields.all_names, &character.name);
            add_word_starts(fields, &mut analyzer, &mut doc, &[character.name.as_str()]);
            if let Some(year) = character.year {
                doc.add_i64(fields.year, i64::from(year));
            }
            let year = character
                .year
                .map(|y| format!(" ({y})"))
                .unwrap_or_default();
            let detail = match &character.person {
                Some(person) => format!("{} in {}{year}", person.name, character.film.name),
                None => format!("in {}{year}", character.film.name),
            };
            doc.add_text(fields.detail, detail);
            // A character ranks below the film it is in.
            add_ranking(fields, &mut doc, entry.popularity / 2.0, &[&character.name]);
            documents.push(doc);
        }
    }
    documents
}
