//! The search engine through its public API, on small catalogs written here.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kinograph_catalog::{
    CreditRecord, EntityKind, FilmRecord, PersonRecord, Provenance, RoleCategory,
};
use kinograph_search::{Kind, SearchIndex, SearchQuery, rebuild, sync};
use kinograph_store::{CatalogRead, CatalogWrite, OpenMode, Store};

fn source() -> Provenance {
    Provenance::line("test", 1)
}

fn film(id: &str, title: &str, year: i32, genres: &[&str]) -> FilmRecord {
    let genres = genres.iter().map(|g| g.to_string()).collect();
    FilmRecord {
        year: Some(year),
        genres,
        ..FilmRecord::new(id, title, source())
    }
}

fn person(id: &str, name: &str) -> PersonRecord {
    PersonRecord::new(id, name, source())
}

fn cast(film: &str, person: &str, character: &str) -> CreditRecord {
    CreditRecord {
        film: film.into(),
        person: person.into(),
        category: RoleCategory::Actress,
        job: None,
        characters: vec![character.into()],
        order: Some(1),
        source: source(),
    }
}

/// A small world: a few films and people with the shapes search must handle.
fn world(w: &mut dyn CatalogWrite) -> kinograph_store::Result<()> {
    w.put_film(&film(
        "tt2000001",
        "The Lighthouse Keeper",
        2015,
        &["Drama"],
    ))?;
    w.put_film(&film("tt2000002", "Keeper", 2003, &["Horror"]))?;
    w.put_film(&film("tt2000003", "Winter Orchard", 2001, &["Drama"]))?;
    w.put_film(&film("tt2000004", "Orchard Road", 2019, &["Comedy"]))?;
    w.put_person(&person("nm2000001", "Zoë Ñúñez-Åberg"))?;
    w.put_person(&person("nm2000002", "Marta Olsen"))?;
    w.put_credit(&cast("tt2000003", "nm2000002", "Ingrid Halvorsen"))?;
    w.put_alias(EntityKind::Film, "tt2000003", "Vinterfrukthagen", &source())?;
    w.put_credit(&CreditRecord {
        category: RoleCategory::Director,
        characters: Vec::new(),
        ..cast("tt2000001", "nm2000001", "")
    })?;
    Ok(())
}

fn setup() -> (Store, SearchIndex) {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store.write(world).unwrap();
    let index = SearchIndex::in_memory().unwrap();
    sync(&store, &index).unwrap();
    (store, index)
}

fn names(index: &SearchIndex, query: SearchQuery) -> Vec<String> {
    index
        .search(&query)
        .unwrap()
        .hits
        .into_iter()
        .map(|h| h.name)
        .collect()
}

fn search(index: &SearchIndex, text: &str) -> Vec<String> {
    names(index, SearchQuery::new(text))
}

#[test]
fn words_in_any_order_with_case_and_diacritics_folded() {
    let (_, index) = setup();
    assert_eq!(
        search(&index, "keeper lighthouse")[0],
        "The Lighthouse Keeper"
    );
    assert_eq!(search(&index, "ZOE NUNEZ")[0], "Zoë Ñúñez-Åberg");
    assert_eq!(search(&index, "åberg")[0], "Zoë Ñúñez-Åberg");
}

#[test]
fn typos_one_in_short_words_two_in_longer_ones() {
    let (_, index) = setup();
    let mut orchards = search(&index, "orchrd");
    orchards.sort();
    assert_eq!(
        orchards,
        ["Orchard Road", "Winter Orchard"],
        "one typo in a six-letter word"
    );
    assert_eq!(
        search(&index, "lighthuose keper")[0],
        "The Lighthouse Keeper"
    );
    assert_eq!(search(&index, "winter orhcard")[0], "Winter Orchard");
    assert!(search(&index, "xyzzy").is_empty());
}

#[test]
fn prefixes_for_search_as_you_type() {
    let (_, index) = setup();
    let mut query = SearchQuery::new("light");
    query.prefix = true;
    assert_eq!(names(&index, query)[0], "The Lighthouse Keeper");
    let mut query = SearchQuery::new("wint orch");
    query.prefix = true;
    assert_eq!(names(&index, query)[0], "Winter Orchard");
}

#[test]
fn unfinished_words_of_one_to_three_letters_and_longer() {
    let (_, index) = setup();
    for (typed, wanted) in [
        ("marta o", "Marta Olsen"),
        ("marta ol", "Marta Olsen"),
        ("marta ols", "Marta Olsen"),
        ("marta olse", "Marta Olsen"),
        ("zoë ñ", "Zoë Ñúñez-Åberg"),
        ("zoe n", "Zoë Ñúñez-Åberg"),
        ("winter o", "Winter Orchard"),
        ("v", "Winter Orchard"),
    ] {
        let mut query = SearchQuery::new(typed);
        query.prefix = true;
        assert_eq!(
            names(&index, query).first().map(String::as_str),
            Some(wanted),
            "{typed:?}"
        );
    }
}

#[test]
fn a_typo_that_is_itself_a_word_is_still_forgiven() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            w.put_film(&film("tt2100001", "Winter Road", 2010, &[]))?;
            w.put_film(&film("tt2100002", "Summer Roam", 2011, &[]))
        })
        .unwrap();
    let index = SearchIndex::in_memory().unwrap();
    sync(&store, &index).unwrap();
    // "roan" is no word of the index: typos are forgiven in it first.
    assert_eq!(search(&index, "summer roan"), ["Summer Roam"]);
    // "road" is a word of the index, but no name has both words: typos are then forgiven
    // in every word.
    assert_eq!(search(&index, "summer road")[0], "Summer Roam");
}

#[test]
fn exact_names_come_first() {
    let (_, index) = setup();
    assert_eq!(search(&index, "keeper")[0], "Keeper");
    assert_eq!(search(&index, "orchard road")[0], "Orchard Road");
}

#[test]
fn alternative_titles_and_characters_find_their_film() {
    let (_, index) = setup();
    assert_eq!(search(&index, "vinterfrukthagen")[0], "Winter Orchard");
    let results = index.search(&SearchQuery::new("ingrid halvorsen")).unwrap();
    let character = &results.hits[0];
    assert_eq!(character.kind, Kind::Character);
    assert_eq!(
        character.detail.as_deref(),
        Some("Marta Olsen in Winter Orchard (2001)")
    );
    let names: Vec<&str> = results.hits.iter().map(|h| h.name.as_str()).collect();
    assert!(
        names.contains(&"Winter Orchard") && names.contains(&"Marta Olsen"),
        "{names:?}"
    );
}

#[test]
fn filters_by_kind_year_and_genre() {
    let (_, index) = setup();
    let mut query = SearchQuery::new("orchard");
    query.kinds = vec![Kind::Film];
    query.years = Some((2000, 2005));
    assert_eq!(names(&index, query), ["Winter Orchard"]);
    let mut query = SearchQuery::new("orchard");
    query.genre = Some("comedy".into());
    assert_eq!(names(&index, query), ["Orchard Road"]);
    let mut query = SearchQuery::new("marta");
    query.kinds = vec![Kind::Film];
    assert!(names(&index, query).is_empty());
    let mut query = SearchQuery::new("orchard");
    query.years = Some((2010, 2000));
    assert!(index.search(&query).is_err());
}

#[test]
fn a_year_among_the_words_prefers_films_of_that_year() {
    let (_, index) = setup();
    assert_eq!(search(&index, "orchard 2019")[0], "Orchard Road");
    assert_eq!(search(&index, "orchard 2001")[0], "Winter Orchard");
}

#[test]
fn sync_applies_only_what_changed_and_replaces_old_documents() {
    let (mut store, index) = setup();
    let before = index.len();
    assert_eq!(sync(&store, &index).unwrap().entities, 0, "nothing changed");
    store
        .write(|w| w.put_film(&film("tt2000002", "Keeper of Secrets", 2003, &["Horror"])))
        .unwrap();
    let report = sync(&store, &index).unwrap();
    assert_eq!(report.entities, 1);
    assert_eq!(
        index.len(),
        before,
        "the film's document was replaced, not added"
    );
    assert_eq!(search(&index, "secrets")[0], "Keeper of Secrets");
    assert_eq!(
        search(&index, "keeper")[0],
        "Keeper of Secrets",
        "the old title is an alias"
    );
}

#[test]
fn an_index_ahead_of_its_stores_log_rebuilds_from_the_store() {
    // The store was replaced by an older copy (a restore with the database's own tools): its
    // log ends before what the index applied, and its catalog is not the indexed one.
    let (mut store, index) = setup();
    for year in 2001..2006 {
        store
            .write(|w| w.put_film(&film("tt2000002", "Keeper of Secrets", year, &[])))
            .unwrap();
        sync(&store, &index).unwrap();
    }
    let mut older = kinograph_store::testing::fresh_store().unwrap();
    older
        .write(|w| w.put_film(&film("tt3000001", "Lanterns of Oskarshamn", 1999, &[])))
        .unwrap();
    assert!(older.search_log_head().unwrap() < index.applied().unwrap());
    sync(&older, &index).unwrap();
    assert_eq!(search(&index, "oskarshamn"), ["Lanterns of Oskarshamn"]);
    assert!(
        search(&index, "secrets").is_empty(),
        "{:?}",
        search(&index, "secrets")
    );
}

#[test]
fn an_index_on_disk_remembers_what_it_applied_and_rebuilds_to_the_same_documents() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_sqlite(dir.path(), OpenMode::CreateIfMissing).unwrap();
    store.write(world).unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let first = sync(&store, &index).unwrap();
    let documents = index.len();
    drop(index);

    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(reopened.applied().unwrap(), first.applied);
    assert_eq!(sync(&store, &reopened).unwrap().entities, 0);
    let rebuilt = rebuild(&store, &reopened).unwrap();
    assert_eq!(rebuilt.entities, 6);
    assert_eq!(reopened.len(), documents);
    assert_eq!(search(&reopened, "winter orchard")[0], "Winter Orchard");
}

#[test]
fn an_unreadable_index_folder_is_replaced_and_refilled() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_sqlite(dir.path(), OpenMode::CreateIfMissing).unwrap();
    store.write(world).unwrap();
    let folder = dir.path().join(kinograph_search::INDEX_DIR);
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("meta.json"), b"{ not json").unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(index.applied().unwrap(), 0);
    sync(&store, &index).unwrap();
    assert_eq!(search(&index, "keeper")[0], "Keeper");
}

#[test]
fn hits_say_what_tells_them_apart() {
    let (_, index) = setup();
    let detail = |text: &str| {
        index.search(&SearchQuery::new(text)).unwrap().hits[0]
            .detail
            .clone()
    };
    assert_eq!(
        detail("lighthouse keeper").as_deref(),
        Some("directed by Zoë Ñúñez-Åberg")
    );
    assert_eq!(
        detail("zoe nunez").as_deref(),
        Some("The Lighthouse Keeper (2015)")
    );
    assert_eq!(detail("keeper"), None, "a film without a known director");
}

proptest::proptest! {
    // Each case builds a small catalog and its index.
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    /// Whatever a reader types, search answers (perhaps with nothing): no error, no panic.
    #[test]
    fn any_text_is_a_valid_search(text in "\\PC{0,40}", prefix in proptest::bool::ANY) {
        let (_, index) = setup();
        let mut query = SearchQuery::new(text);
        query.prefix = prefix;
        index.search(&query).unwrap();
    }
}

#[test]
fn among_equal_matches_the_title_people_vote_for_comes_first() {
    let (mut store, index) = setup();
    store
        .write(|w| {
            w.put_film(&film("tt2000010", "Night Train", 1999, &["Drama"]))?;
            w.put_film(&film("tt2000011", "Night Train", 1999, &["Drama"]))?;
            w.put_film_rating("tt2000010", 6.1, 40, &source())?;
            w.put_film_rating("tt2000011", 7.4, 180_000, &source())?;
            Ok(())
        })
        .unwrap();
    sync(&store, &index).unwrap();
    let hits = index.search(&SearchQuery::new("night train")).unwrap().hits;
    let ids: Vec<&str> = hits.iter().map(|h| h.id.as_str()).collect();
    assert_eq!(ids[..2], ["tt2000011", "tt2000010"]);

    // New votes change the order at the next sync.
    store
        .write(|w| w.put_film_rating("tt2000010", 8.0, 2_000_000, &source()))
        .unwrap();
    sync(&store, &index).unwrap();
    let hits = index.search(&SearchQuery::new("night train")).unwrap().hits;
    assert_eq!(hits[0].id, "tt2000010");
}

#[test]
fn a_bulk_load_rebuilds_the_index_at_the_next_sync() {
    let (mut store, index) = setup();
    store
        .write(|w| {
            w.log_rebuild()?;
            w.put_film(&film("tt2000020", "Harbour Lights", 2011, &["Drama"]))?;
            w.put_person(&person("nm2000020", "Ilse Harbour"))
        })
        .unwrap();
    let report = sync(&store, &index).unwrap();
    // Every film and person, not only the two new ones.
    assert_eq!(report.entities, 8);
    assert_eq!(search(&index, "harbour lights")[0], "Harbour Lights");
    assert_eq!(search(&index, "ingrid")[0], "Ingrid Halvorsen");
    assert_eq!(sync(&store, &index).unwrap().entities, 0);
}
