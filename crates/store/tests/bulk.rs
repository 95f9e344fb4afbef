//! Bulk writes and reads: `put_credits` and `put_aliases` do what `put_credit` and `put_alias`
//! do one by one; `search_entries` reads many documents as `search_entry` reads one; a bulk
//! batch logs one rebuild entry, and only when it changes something.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kinograph_catalog::{
    CreditRecord, EntityKind, FilmRecord, Outcome, PersonRecord, Provenance, RoleCategory,
};
use kinograph_store::{CatalogRead, Error, Store};

fn source(line: u64) -> Provenance {
    Provenance::line("test", line)
}

fn credit(film: &str, person: &str, category: RoleCategory, order: Option<u32>) -> CreditRecord {
    CreditRecord {
        film: film.into(),
        person: person.into(),
        category,
        job: None,
        characters: Vec::new(),
        order,
        source: source(3),
    }
}

fn played(film: &str, person: &str, characters: &[&str], order: u32) -> CreditRecord {
    CreditRecord {
        characters: characters.iter().map(|c| c.to_string()).collect(),
        ..credit(film, person, RoleCategory::Actress, Some(order))
    }
}

/// Two films and three people, with one credit already there.
fn catalog() -> Store {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            w.put_film(&FilmRecord {
                year: Some(2017),
                ..FilmRecord::new("tt5649144", "The Florida Project", source(1))
            })?;
            w.put_film(&FilmRecord {
                year: Some(2024),
                ..FilmRecord::new("tt28607951", "Anora", source(1))
            })?;
            for (id, name) in [
                ("nm0048918", "Sean Baker"),
                ("nm8145183", "Brooklynn Prince"),
                ("nm3918035", "Mikey Madison"),
            ] {
                w.put_person(&PersonRecord::new(id, name, source(2)))?;
            }
            w.put_credit(&credit(
                "tt5649144",
                "nm0048918",
                RoleCategory::Director,
                Some(1),
            ))?;
            Ok(())
        })
        .unwrap();
    store
}

/// What each credit write gave, as text (errors by their message).
fn outcomes(results: Vec<kinograph_store::Result<Outcome>>) -> Vec<String> {
    results
        .into_iter()
        .map(|r| match r {
            Ok(outcome) => format!("{outcome:?}"),
            Err(e) => e.to_string(),
        })
        .collect()
}

fn credit_batch() -> Vec<CreditRecord> {
    vec![
        // Already there: unchanged; without billing it keeps the known one.
        credit("tt5649144", "nm0048918", RoleCategory::Director, None),
        played("tt5649144", "nm8145183", &["Moonee"], 2),
        // The same credit twice in one batch: the second sees the first.
        played("tt5649144", "nm8145183", &["Moonee"], 2),
        // And a third time with another character: an update.
        played("tt5649144", "nm8145183", &["Moonee", "Herself"], 2),
        played("tt28607951", "nm3918035", &["Ani"], 1),
        credit("tt28607951", "nm0048918", RoleCategory::Writer, None),
        // Unknown film, unknown person: errors for those rows only.
        credit("tt0000000", "nm0048918", RoleCategory::Writer, None),
        credit("tt28607951", "nm0000000", RoleCategory::Writer, None),
    ]
}

#[test]
fn put_credits_gives_what_put_credit_gives_row_by_row() {
    let mut one_by_one = catalog();
    let expected = one_by_one
        .write(|w| {
            Ok(credit_batch()
                .iter()
                .map(|c| w.put_credit(c))
                .collect::<Vec<_>>())
        })
        .unwrap();
    let mut batched = catalog();
    let got = batched.write(|w| w.put_credits(&credit_batch())).unwrap();
    assert_eq!(outcomes(got), outcomes(expected));
    for store in [&one_by_one, &batched] {
        let film = store.film("tt5649144").unwrap().unwrap();
        let prince = film
            .credits
            .iter()
            .find(|c| c.person.name == "Brooklynn Prince")
            .unwrap();
        assert_eq!(prince.characters, ["Moonee", "Herself"]);
        let baker = film
            .credits
            .iter()
            .find(|c| c.person.name == "Sean Baker")
            .unwrap();
        assert_eq!(baker.order, Some(1), "billing kept");
    }
    assert_eq!(
        one_by_one.counts().unwrap().credits,
        batched.counts().unwrap().credits
    );
    // Credits put again as they are change nothing.
    let again = batched
        .write(|w| w.put_credits(&credit_batch()[4..6]))
        .unwrap();
    assert_eq!(outcomes(again), ["Unchanged", "Unchanged"]);
}

#[test]
fn put_aliases_gives_what_put_alias_gives_row_by_row() {
    let aliases = || {
        [
            ("tt28607951", "Ani and Vanya"),
            ("tt28607951", "Ani and Vanya"),
            // Its own title, folded (transliterated too): not an alias.
            ("tt28607951", "ANORA"),
            ("tt28607951", "Анора"),
            ("tt5649144", "Projet Floride"),
            ("tt0000000", "Nothing"),
        ]
        .map(|(id, name)| (id.to_string(), name.to_string(), source(4)))
    };
    let mut one_by_one = catalog();
    let expected = one_by_one
        .write(|w| {
            Ok(aliases()
                .iter()
                .map(|(id, name, source)| w.put_alias(EntityKind::Film, id, name, source))
                .collect::<Vec<_>>())
        })
        .unwrap();
    let mut batched = catalog();
    let got = batched
        .write(|w| w.put_aliases(EntityKind::Film, &aliases()))
        .unwrap();
    assert_eq!(outcomes(got), outcomes(expected));
    assert!(matches!(
        batched
            .write(|w| w.put_aliases(EntityKind::Film, &aliases()))
            .unwrap()
            .pop(),
        Some(Err(Error::UnknownEntity { .. }))
    ));
    let anora = batched
        .search_entry(EntityKind::Film, "tt28607951")
        .unwrap();
    assert_eq!(anora.unwrap().other_names, ["Ani and Vanya"]);
}

#[test]
fn search_entries_reads_many_documents_as_search_entry_reads_one() {
    let mut store = catalog();
    store.write(|w| w.put_credits(&credit_batch())).unwrap();
    store
        .write(|w| w.put_film_rating("tt28607951", 7.6, 250_000, &source(5)))
        .unwrap();
    let ids: Vec<String> = ["tt5649144", "tt28607951", "nm0048918", "tt0000000"]
        .map(String::from)
        .to_vec();
    let films = store.search_entries(EntityKind::Film, &ids).unwrap();
    assert_eq!(films.len(), 2, "unknown and other-kind ids are left out");
    for entry in &films {
        assert_eq!(
            Some(entry),
            store
                .search_entry(EntityKind::Film, &entry.id)
                .unwrap()
                .as_ref()
        );
    }
    let florida = films.iter().find(|e| e.id == "tt5649144").unwrap();
    assert_eq!(florida.known_for.as_deref(), Some("Sean Baker"));
    let names: Vec<&str> = florida.characters.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["Moonee", "Herself"]);
    let baker = store
        .search_entry(EntityKind::Person, "nm0048918")
        .unwrap()
        .unwrap();
    // His latest credit, and the votes of his most-voted film in his prior.
    assert_eq!(baker.known_for.as_deref(), Some("Anora (2024)"));
    let prince = store
        .search_entry(EntityKind::Person, "nm8145183")
        .unwrap()
        .unwrap();
    assert!(baker.popularity > prince.popularity + 4.0, "{baker:?}");
}

#[test]
fn a_bulk_batch_logs_one_rebuild_and_nothing_when_nothing_changes() {
    let mut store = catalog();
    let head = store.search_log_head().unwrap();
    store
        .write(|w| {
            w.log_rebuild()?;
            w.put_credits(&credit_batch())
        })
        .unwrap();
    let changes = store.search_changes(head, 100).unwrap();
    assert!(changes.rebuild);
    assert!(changes.entities.is_empty(), "{changes:?}");
    assert_eq!(store.search_log_head().unwrap(), head + 1);

    let head = store.search_log_head().unwrap();
    store
        .write(|w| {
            w.log_rebuild()?;
            w.put_credits(&credit_batch()[4..6])
        })
        .unwrap();
    assert_eq!(store.search_log_head().unwrap(), head, "nothing changed");

    // Without it, each changed film and person is logged, once per batch.
    let head = store.search_log_head().unwrap();
    store
        .write(|w| w.put_credits(&[played("tt28607951", "nm3918035", &["Anora"], 1)]))
        .unwrap();
    let changes = store.search_changes(head, 100).unwrap();
    assert!(!changes.rebuild);
    assert_eq!(changes.entities.len(), 2, "{changes:?}");
}

#[test]
fn search_entry_pages_hold_every_person_once() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            for n in 0..250 {
                w.put_person(&PersonRecord::new(
                    format!("nm{n:07}"),
                    format!("Person {n}"),
                    source(n),
                ))?;
            }
            Ok(())
        })
        .unwrap();
    let mut seen = Vec::new();
    let mut after = 0;
    loop {
        let page = store
            .search_entry_page(EntityKind::Person, after, 40)
            .unwrap();
        assert!(page.entries.len() <= 40);
        seen.extend(page.entries.into_iter().map(|e| e.id));
        match page.next {
            Some(next) => after = next,
            None => break,
        }
    }
    assert_eq!(seen.len(), 250);
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 250);
}
