//! The store's contract, through its public API: merging, idempotence, transactions, schema.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use kinograph_catalog::{
    AwardClass, Budget, Category, CeremonyYears, CreditRecord, EntityKind, EssayMention,
    EssayRecord, FilmRecord, NamedKind, NominatedFilm, Nomination, Nominee, NomineeRef, Outcome,
    PersonRecord, Provenance, RecordKind, RoleCategory, Sourced,
};
use kinograph_publishing::{
    ClaimKey, EssayState, NewRevision, NewUser, Publication, RevisionCheck, Role, User,
};
use kinograph_store::{
    CatalogRead, EditorialRead, EditorialWrite, Error, EssayFilter, FilmFilter, OpenMode, Store,
};

fn source(line: u64) -> Provenance {
    Provenance::line("test", line)
}

fn film(id: &str, title: &str, year: Option<i32>) -> FilmRecord {
    FilmRecord {
        year,
        ..FilmRecord::new(id, title, source(1))
    }
}

fn person(id: &str, name: &str) -> PersonRecord {
    PersonRecord::new(id, name, source(2))
}

/// A nomination at ceremony `ceremony` (held for films of `year`).
fn nomination(
    ceremony: u32,
    year: i32,
    category: &str,
    class: AwardClass,
    films: &[(&str, Option<&str>)],
    nominees: &[(&str, NomineeRef)],
    winner: bool,
) -> Nomination {
    Nomination {
        body: "oscars".into(),
        ceremony,
        years: CeremonyYears {
            first: year,
            last: year,
        },
        category: Category {
            canonical: category.into(),
            name: category.into(),
            class,
        },
        films: films
            .iter()
            .map(|(title, id)| NominatedFilm {
                title: (*title).into(),
                imdb_id: id.map(str::to_string),
            })
            .collect(),
        credit: nominees
            .iter()
            .map(|(n, _)| *n)
            .collect::<Vec<_>>()
            .join(", "),
        nominees: nominees
            .iter()
            .map(|(name, id)| Nominee {
                name: (*name).into(),
                id: id.clone(),
                shared: false,
            })
            .collect(),
        winner,
        detail: Vec::new(),
        note: None,
        citation: None,
        source: source(10),
    }
}

fn store_with_oscars() -> Store {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| w.put_award_body("oscars", "Academy Awards"))
        .unwrap();
    store
}

fn person_ref(id: &str) -> NomineeRef {
    NomineeRef::Person(id.into())
}

#[test]
fn a_film_put_twice_is_stored_once() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let first = store
        .write(|w| w.put_film(&film("tt1000001", "Example", Some(2020))))
        .unwrap();
    let second = store
        .write(|w| w.put_film(&film("tt1000001", "Example", Some(2020))))
        .unwrap();
    assert_eq!(first.outcome, Outcome::New);
    assert_eq!(second.outcome, Outcome::Unchanged);
    assert_eq!(store.counts().unwrap().films, 1);
}

#[test]
fn a_changed_fact_updates_and_missing_facts_keep_what_is_known() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let mut full = film("tt1000001", "Example", Some(2020));
    full.runtime_minutes = Some(100);
    store.write(|w| w.put_film(&full)).unwrap();
    let mut partial = film("tt1000001", "Example", None);
    partial.budget = Some(Sourced::new(
        Budget {
            amount: 5_000_000,
            currency: "USD".into(),
            note: None,
        },
        Provenance::line("budgets", 7).with_citation("A Paper"),
    ));
    let put = store.write(|w| w.put_film(&partial)).unwrap();
    assert_eq!(put.outcome, Outcome::Updated);
    let details = store.film("tt1000001").unwrap().unwrap();
    assert_eq!(
        details.film.year,
        Some(2020),
        "a missing year keeps the known one"
    );
    assert_eq!(details.film.runtime_minutes, Some(100));
    let budget = details.film.budget.unwrap();
    assert_eq!(budget.value.amount, 5_000_000);
    assert_eq!(budget.source.to_string(), "budgets line 7 (A Paper)");
}

#[test]
fn a_curated_film_without_imdb_id_merges_with_the_nominated_film_of_that_title_and_year() {
    let mut store = store_with_oscars();
    let n = nomination(
        90,
        2017,
        "DIRECTING",
        AwardClass::Directing,
        &[("Some Film", Some("tt1000002"))],
        &[("A Director", person_ref("nm1000001"))],
        false,
    );
    store.write(|w| w.put_nomination(&n)).unwrap();
    let put = store
        .write(|w| w.put_film(&film("some-film", "Some Film", Some(2017))))
        .unwrap();
    assert_eq!(
        put.id, "tt1000002",
        "merged into the film the nomination created"
    );
    assert_eq!(store.counts().unwrap().films, 1);
    // A different year is a different film.
    let other = store
        .write(|w| w.put_film(&film("some-film-1950", "Some Film", Some(1950))))
        .unwrap();
    assert_eq!(other.outcome, Outcome::New);
}

#[test]
fn a_nomination_naming_a_curated_film_by_imdb_id_links_to_it() {
    let mut store = store_with_oscars();
    store
        .write(|w| w.put_film(&film("tt1000003", "Curated Title", Some(2019))))
        .unwrap();
    let n = nomination(
        92,
        2019,
        "BEST PICTURE",
        AwardClass::Title,
        &[("Curated Title", Some("tt1000003"))],
        &[],
        true,
    );
    store.write(|w| w.put_nomination(&n)).unwrap();
    let details = store.film("tt1000003").unwrap().unwrap();
    assert_eq!(details.nominations.len(), 1);
    assert_eq!(store.counts().unwrap().films, 1);
}

#[test]
fn nominations_are_idempotent_and_a_changed_outcome_updates() {
    let mut store = store_with_oscars();
    let mut n = nomination(
        1,
        2000,
        "ACTOR",
        AwardClass::Acting,
        &[("F", Some("tt1000004"))],
        &[("P", person_ref("nm1000002"))],
        false,
    );
    assert_eq!(store.write(|w| w.put_nomination(&n)).unwrap(), Outcome::New);
    assert_eq!(
        store.write(|w| w.put_nomination(&n)).unwrap(),
        Outcome::Unchanged
    );
    n.winner = true;
    assert_eq!(
        store.write(|w| w.put_nomination(&n)).unwrap(),
        Outcome::Updated
    );
    assert_eq!(store.counts().unwrap().nominations, 1);
    let person = store.person("nm1000002").unwrap().unwrap();
    assert!(person.nominations[0].winner);
    assert!(person.nominations[0].counting.counts_as_win);
}

#[test]
fn a_nomination_that_contradicts_a_known_ceremony_year_is_rejected_and_writes_nothing() {
    let mut store = store_with_oscars();
    let n = nomination(5, 2000, "ACTOR", AwardClass::Acting, &[], &[], false);
    store.write(|w| w.put_nomination(&n)).unwrap();
    let mut wrong = nomination(
        5,
        2001,
        "ACTRESS",
        AwardClass::Acting,
        &[("New Film", Some("tt1000005"))],
        &[],
        false,
    );
    wrong.credit = "someone else".into();
    let result = store.write(|w| w.put_nomination(&wrong));
    assert!(
        matches!(result, Err(Error::Rejected(ref m)) if m.contains("2000")),
        "{result:?}"
    );
    let counts = store.counts().unwrap();
    assert_eq!((counts.nominations, counts.films), (1, 0));
}

#[test]
fn a_failed_batch_rolls_back_every_write() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let result: Result<(), Error> = store.write(|w| {
        w.put_film(&film("tt1000006", "Rolled Back", Some(2001)))?;
        w.put_credit(&CreditRecord {
            film: "tt1000006".into(),
            person: "nm9999999".into(),
            category: RoleCategory::Director,
            job: None,
            characters: Vec::new(),
            order: None,
            source: source(3),
        })?;
        Ok(())
    });
    assert!(
        matches!(result, Err(Error::UnknownEntity { kind: "person", .. })),
        "{result:?}"
    );
    assert_eq!(store.counts().unwrap().films, 0);
}

#[test]
fn a_shared_pseudonym_does_not_become_a_persons_name() {
    let mut store = store_with_oscars();
    let mut shared = nomination(
        3,
        2002,
        "FILM EDITING",
        AwardClass::Production,
        &[("G", Some("tt1000007"))],
        &[],
        true,
    );
    shared.nominees = ["nm1000010", "nm1000011"]
        .iter()
        .map(|id| Nominee {
            name: "Pen Name".into(),
            id: person_ref(id),
            shared: true,
        })
        .collect();
    let own = nomination(
        3,
        2002,
        "DIRECTING",
        AwardClass::Directing,
        &[("G", Some("tt1000007"))],
        &[("Real Name", person_ref("nm1000010"))],
        true,
    );
    store
        .write(|w| {
            w.put_nomination(&shared)?;
            w.put_nomination(&own)
        })
        .unwrap();
    let p = store.person("nm1000010").unwrap().unwrap();
    assert_eq!(p.name, "Real Name");
    assert_eq!(p.aliases, ["Pen Name"]);
}

#[test]
fn records_count_rows_naming_both_person_and_film_under_the_counting_rules() {
    let mut store = store_with_oscars();
    let director = ("D", person_ref("nm1000020"));
    let film_a = [("A", Some("tt1000020"))];
    let rows = [
        nomination(
            10,
            2010,
            "BEST PICTURE",
            AwardClass::Title,
            &film_a,
            std::slice::from_ref(&director),
            true,
        ),
        nomination(
            10,
            2010,
            "DIRECTING",
            AwardClass::Directing,
            &film_a,
            std::slice::from_ref(&director),
            true,
        ),
        nomination(
            10,
            2010,
            "HONORARY AWARD",
            AwardClass::Special,
            &film_a,
            std::slice::from_ref(&director),
            true,
        ),
        nomination(
            10,
            2010,
            "SCIENTIFIC AWARD",
            AwardClass::SciTech,
            &film_a,
            std::slice::from_ref(&director),
            true,
        ),
        nomination(
            10,
            2010,
            "FILM EDITING",
            AwardClass::Production,
            &film_a,
            std::slice::from_ref(&director),
            false,
        ),
    ];
    store
        .write(|w| {
            for n in &rows {
                w.put_nomination(n)?;
            }
            Ok(())
        })
        .unwrap();
    let records = store.award_records("oscars", 1).unwrap();
    let find = |kind| records.iter().find(|r| r.kind == kind).unwrap();
    let one_film = find(RecordKind::PersonWinsForOneFilm);
    assert_eq!((one_film.holder.name.as_str(), one_film.count), ("D", 2));
    assert_eq!(one_film.evidence.len(), 2);
    assert_eq!(find(RecordKind::FilmNominations).count, 3);
    assert_eq!(find(RecordKind::FilmWins).count, 2);
}

#[test]
fn ceremony_dates_keep_their_source() {
    let mut store = store_with_oscars();
    let date = NaiveDate::from_ymd_opt(2025, 3, 2).unwrap();
    let first = store
        .write(|w| w.put_ceremony_date("oscars", 97, None, date, &source(4)))
        .unwrap();
    let again = store
        .write(|w| w.put_ceremony_date("oscars", 97, None, date, &source(4)))
        .unwrap();
    assert_eq!((first, again), (Outcome::New, Outcome::Unchanged));
    let ceremony = store.ceremony("oscars", 97).unwrap().unwrap();
    assert_eq!(ceremony.ceremony.date, Some(date));
    assert_eq!(
        ceremony.ceremony.date_source.unwrap().to_string(),
        "test line 4"
    );
}

#[test]
fn aliases_find_films() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            w.put_film(&film("tt1000030", "The Original Title", Some(1999)))?;
            w.put_alias(
                EntityKind::Film,
                "tt1000030",
                "Der Originaltitel",
                &source(5),
            )
        })
        .unwrap();
    let found = store.find_films("der originaltitel", None, 5).unwrap();
    assert_eq!(found[0].id, "tt1000030");
    let by_prefix = store.find_films("the orig", None, 5).unwrap();
    assert_eq!(by_prefix[0].id, "tt1000030");
    assert!(
        store
            .find_films("nothing like it", None, 5)
            .unwrap()
            .is_empty()
    );
}

#[test]
fn opening_a_missing_catalog_for_reading_says_how_to_make_one() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("absent");
    let error = Store::open_sqlite(&missing, OpenMode::ExistingOnly).unwrap_err();
    assert!(matches!(error, Error::NoCatalog { .. }));
    assert!(error.to_string().contains("kinograph demo"));
    assert!(!missing.exists(), "reading must not create the folder");
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(kinograph_store::SQLITE_FILE),
        b"this is not sqlite, just text that is long enough to look like a header",
    )
    .unwrap();
    let error = Store::open_sqlite(dir.path(), OpenMode::ExistingOnly).unwrap_err();
    assert!(matches!(error, Error::Open { .. }), "{error:?}");
    assert!(
        error.to_string().contains("cannot open the database"),
        "{error}"
    );
}

#[test]
fn a_database_from_a_newer_kinograph_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    drop(Store::open_sqlite(dir.path(), OpenMode::CreateIfMissing).unwrap());
    let conn = rusqlite::Connection::open(dir.path().join(kinograph_store::SQLITE_FILE)).unwrap();
    conn.pragma_update(None, "user_version", 999).unwrap();
    drop(conn);
    let error = Store::open_sqlite(dir.path(), OpenMode::ExistingOnly).unwrap_err();
    assert!(
        matches!(error, Error::SchemaTooNew { found: 999, .. }),
        "{error:?}"
    );
}

/// The committed database of each released schema version opens, migrates and reads.
#[test]
fn committed_databases_of_every_schema_version_still_open() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    for version in 1..=8 {
        let dir = tempfile::tempdir().unwrap();
        let committed = fixtures.join(format!("schema-v{version}.sqlite"));
        std::fs::copy(&committed, dir.path().join(kinograph_store::SQLITE_FILE)).unwrap();
        let store = Store::open_sqlite(dir.path(), OpenMode::ExistingOnly).unwrap();
        assert!(store.schema_version().unwrap() >= version);
        let anora = store
            .film("tt1000100")
            .unwrap()
            .expect("the fixture's film");
        assert_eq!(anora.film.title, "Fixture Film");
        assert_eq!(anora.credits.len(), 1);
        assert_eq!(anora.nominations.len(), 1);
        // Whatever version it was made at, everything in it is in the search change log.
        let changes = store.search_changes(0, 100).unwrap();
        assert!(
            changes
                .entities
                .contains(&(EntityKind::Film, "tt1000100".to_string()))
        );
        assert!(
            changes
                .entities
                .contains(&(EntityKind::Person, "nm1000100".to_string()))
        );
        if version >= 3 {
            let essay = store.essay("fixture-essay").unwrap().expect("the essay");
            assert_eq!(essay.mentions.len(), 1);
            // Essays stored before the workflow are published ones.
            let head = store
                .essay_head("fixture-essay")
                .unwrap()
                .expect("the essay");
            assert_eq!(head.state, EssayState::Published);
            assert_eq!(
                store
                    .essays(&EssayFilter {
                        mentioning: None,
                        limit: 10
                    })
                    .unwrap()
                    .len(),
                1
            );
        }
        if version >= 4 {
            let writer = store.user("fixture-writer").unwrap().expect("the writer");
            assert_eq!(writer.role, Role::Writer);
            assert!(store.password_hash("fixture-writer").unwrap().is_some());
            let (publication, members) = store
                .publication("fixture-review")
                .unwrap()
                .expect("the publication");
            assert_eq!(publication.links.len(), 1);
            assert_eq!(members.len(), 2);
            let head = store
                .essay_head("fixture-essay")
                .unwrap()
                .expect("the essay");
            assert_eq!(head.author.as_deref(), Some("fixture-writer"));
            assert_eq!(
                head.publication.map(|(slug, _)| slug).as_deref(),
                Some("fixture-review")
            );
            assert_eq!(store.revisions("fixture-essay").unwrap().len(), 1);
            assert_eq!(store.overrides("fixture-essay").unwrap().len(), 1);
            assert_eq!(
                store
                    .audit_log(Some("essay:fixture-essay"), 10)
                    .unwrap()
                    .len(),
                2
            );
            assert_eq!(store.setting("fixture").unwrap().as_deref(), Some("yes"));
        }
    }
}

fn mentions(list: &[(NamedKind, &str)]) -> Vec<EssayMention> {
    list.iter()
        .map(|(kind, id)| EssayMention {
            kind: *kind,
            id: id.to_string(),
        })
        .collect()
}

fn account(w: &mut dyn EditorialWrite, name: &str, display_name: &str, role: Role) -> User {
    w.create_user(&NewUser {
        name: name.into(),
        display_name: display_name.into(),
        role,
        password_hash: None,
    })
    .unwrap()
}

/// A revision by `by` of an essay titled "On SLUG" naming `named`.
fn revision(by: &User, slug: &str, named: &[(NamedKind, &str)]) -> NewRevision {
    NewRevision {
        title: format!("On {slug}"),
        subtitle: None,
        tags: vec!["test".into()],
        spoilers: false,
        body: "Some words.".into(),
        by: by.id,
        note: "first draft".into(),
        check: RevisionCheck::default(),
        mentions: mentions(named),
    }
}

/// Writes an essay as the editorial workflow does: a draft, its first revision, then `state`.
fn write_essay(
    store: &mut Store,
    by: &User,
    slug: &str,
    named: &[(NamedKind, &str)],
    state: EssayState,
) {
    store
        .edit(|w| {
            let slug = w.create_essay(slug, Some(by.id), &by.display_name, None)?;
            w.add_revision(&slug, &revision(by, &slug, named))?;
            w.set_state(&slug, state)
        })
        .unwrap();
}

#[test]
fn essays_are_stored_whole_and_listed_by_what_they_mention() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let writer = store
        .edit(|w| Ok(account(w, "writer", "A Writer", Role::Writer)))
        .unwrap();
    let film = (NamedKind::Film, "tt1000100");
    let person = (NamedKind::Person, "nm1000100");
    write_essay(&mut store, &writer, "first", &[film], EssayState::Published);
    write_essay(
        &mut store,
        &writer,
        "second",
        &[person, film],
        EssayState::Published,
    );
    write_essay(&mut store, &writer, "draft", &[film], EssayState::Draft);
    // A slug is never given twice.
    let again = store
        .edit(|w| w.create_essay("first", Some(writer.id), "A Writer", None))
        .unwrap();
    assert_eq!(again, "first-2");

    let second = store.essay("second").unwrap().expect("the essay");
    assert!(second.published.is_some(), "publishing dates it");
    assert_eq!(
        second,
        EssayRecord {
            slug: "second".into(),
            title: "On second".into(),
            subtitle: None,
            author: "A Writer".into(),
            tags: vec!["test".into()],
            published: second.published,
            body: "Some words.".into(),
            mentions: mentions(&[film, person]),
            source: Provenance {
                dataset: "kinograph".into(),
                locator: None,
                citation: None,
            },
        }
    );
    assert_eq!(store.essay("missing").unwrap(), None);

    fn slugs(store: &Store, mentioning: Option<&str>, limit: u32) -> Vec<String> {
        let filter = EssayFilter {
            mentioning: mentioning.map(str::to_string),
            limit,
        };
        let listed = store.essays(&filter).unwrap();
        listed.into_iter().map(|e| e.slug).collect()
    }
    // Published only (the draft and the empty "first-2" are not), newest first, then by slug.
    assert_eq!(slugs(&store, None, 10), ["first", "second"]);
    assert_eq!(slugs(&store, Some("nm1000100"), 10), ["second"]);
    assert_eq!(slugs(&store, None, 1), ["first"]);

    // A new revision replaces the essay's mentions; an unpublished essay is listed no more.
    store
        .edit(|w| {
            let mut revised = revision(&writer, "second", &[film]);
            revised.note = "fewer names".into();
            assert_eq!(w.add_revision("second", &revised)?, 2);
            w.set_state("first", EssayState::Unpublished)
        })
        .unwrap();
    assert!(slugs(&store, Some("nm1000100"), 10).is_empty());
    assert_eq!(slugs(&store, Some("tt1000100"), 10), ["second"]);
    let head = store.essay_head("second").unwrap().expect("the essay");
    assert_eq!((head.revision, head.state), (2, EssayState::Published));
}

#[test]
fn a_category_has_a_history_under_its_newest_name() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            w.put_award_body("oscars", "Academy Awards")?;
            w.put_nomination(&nomination(
                1,
                1928,
                "ACTRESS",
                AwardClass::Acting,
                &[("Old Film", None)],
                &[("Old Star", person_ref("nm1000201"))],
                true,
            ))?;
            let mut newer = nomination(
                74,
                2001,
                "ACTRESS",
                AwardClass::Acting,
                &[("New Film", None)],
                &[("New Star", person_ref("nm1000202"))],
                false,
            );
            newer.category.name = "ACTRESS IN A LEADING ROLE".into();
            w.put_nomination(&newer)?;
            Ok(())
        })
        .unwrap();
    let categories = store.categories("oscars").unwrap();
    assert_eq!(categories.len(), 1);
    assert_eq!(categories[0].name, "ACTRESS IN A LEADING ROLE");
    let history = store
        .category_history("oscars", "actress")
        .unwrap()
        .expect("the category");
    let ceremonies: Vec<u32> = history.nominations.iter().map(|n| n.ceremony).collect();
    assert_eq!(ceremonies, [74, 1]);
    assert_eq!(history.body_name, "Academy Awards");
    assert!(
        store
            .category_history("oscars", "nothing")
            .unwrap()
            .is_none()
    );
    let listed: Vec<u32> = store
        .ceremonies("oscars")
        .unwrap()
        .iter()
        .map(|c| c.ordinal)
        .collect();
    assert_eq!(listed, [74, 1]);
}

/// Writes `tests/fixtures/schema-vN.sqlite` for the current schema: run with
/// `KINOGRAPH_WRITE_SCHEMA_FIXTURE=1 cargo test -p kinograph-store write_schema_fixture` when a
/// new schema version is released, then commit the file.
#[test]
fn write_schema_fixture() {
    if std::env::var_os("KINOGRAPH_WRITE_SCHEMA_FIXTURE").is_none() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open_sqlite(dir.path(), OpenMode::CreateIfMissing).unwrap();
    let version = store.schema_version().unwrap();
    store
        .write(|w| {
            w.put_award_body("oscars", "Academy Awards")?;
            w.put_film(&film("tt1000100", "Fixture Film", Some(2001)))?;
            w.put_person(&person("nm1000100", "Fixture Person"))?;
            w.put_credit(&CreditRecord {
                film: "tt1000100".into(),
                person: "nm1000100".into(),
                category: RoleCategory::Actress,
                job: None,
                characters: vec!["Someone".into()],
                order: Some(1),
                source: source(6),
            })?;
            w.put_nomination(&nomination(
                74,
                2001,
                "ACTRESS",
                AwardClass::Acting,
                &[("Fixture Film", Some("tt1000100"))],
                &[("Fixture Person", person_ref("nm1000100"))],
                true,
            ))?;
            Ok(())
        })
        .unwrap();
    store
        .edit(|w| {
            let writer = w.create_user(&NewUser {
                name: "fixture-writer".into(),
                display_name: "A Writer".into(),
                role: Role::Writer,
                password_hash: Some(
                    kinograph_publishing::hash_password("a fixture password").unwrap(),
                ),
            })?;
            let editor = account(w, "fixture-editor", "An Editor", Role::Editor);
            w.put_publication(&Publication {
                slug: "fixture-review".into(),
                name: "The Fixture Review".into(),
                description: "Essays for the schema fixture.".into(),
                links: vec![("Site".into(), "https://example.org/".into())],
            })?;
            w.add_member("fixture-review", writer.id, Role::Writer)?;
            w.add_member("fixture-review", editor.id, Role::Editor)?;
            let slug = w.create_essay(
                "fixture-essay",
                Some(writer.id),
                &writer.display_name,
                Some("fixture-review"),
            )?;
            let claim = ClaimKey {
                kind: "year".into(),
                text: "Fixture Film (1999)".into(),
            };
            let mut first = revision(&writer, &slug, &[(NamedKind::Film, "tt1000100")]);
            first.check = RevisionCheck {
                supported: 1,
                contradicted: vec![claim.clone()],
                unverifiable: 0,
            };
            w.add_revision(&slug, &first)?;
            w.audit(
                Some(writer.id),
                "create",
                "essay:fixture-essay",
                "On fixture-essay",
            )?;
            w.add_override(&slug, &claim, "the fixture says so", editor.id)?;
            w.set_state(&slug, EssayState::Published)?;
            w.audit(
                Some(editor.id),
                "publish",
                "essay:fixture-essay",
                "approved → published",
            )?;
            w.set_setting("fixture", "yes")
        })
        .unwrap();
    let writer = store.user("fixture-writer").unwrap().unwrap().id;
    let editor = store.user("fixture-editor").unwrap().unwrap().id;
    let day = NaiveDate::from_ymd_opt(2024, 11, 2).unwrap();
    store
        .diary(|w| {
            let (viewing, _) = w.add_viewing(
                writer,
                &kinograph_diary::NewViewing {
                    film: "tt1000100".into(),
                    watched: Some(day),
                    logged: day,
                    rating: kinograph_diary::Rating::from_half_stars(9),
                    liked: true,
                    rewatch: false,
                    review: Some("A fixture review.".into()),
                    spoilers: false,
                    tags: vec!["fixture".into()],
                    private: false,
                    letterboxd_uri: Some("https://boxd.it/fixture".into()),
                    key: "fixture-viewing".into(),
                },
            )?;
            w.mark_watched(writer, "tt1000100", Some(day))?;
            w.set_rating(
                writer,
                "tt1000100",
                kinograph_diary::Rating::from_half_stars(9),
                day,
                false,
            )?;
            w.set_watchlisted(editor, "tt1000100", Some(day))?;
            let (list, _) = w.put_list(
                writer,
                "fixture-list",
                &kinograph_diary::NewList {
                    name: "Fixture list".into(),
                    description: Some("Films for the fixture.".into()),
                    ranked: true,
                    private: false,
                    tags: Vec::new(),
                    created: day,
                    items: vec![kinograph_diary::NewListItem {
                        film: "tt1000100".into(),
                        note: Some("The only one".into()),
                    }],
                },
            )?;
            w.follow(editor, writer, true)?;
            w.like_viewing(editor, viewing, true)?;
            w.like_list(editor, list, true)?;
            Ok(())
        })
        .unwrap();
    drop(store);
    let conn = rusqlite::Connection::open(dir.path().join(kinograph_store::SQLITE_FILE)).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    let out = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/schema-v{version}.sqlite"));
    conn.execute("VACUUM INTO ?1", [out.to_string_lossy()])
        .unwrap();
}

#[test]
fn films_of_a_director_with_a_theme() {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let credit = |film: &str, category| CreditRecord {
        film: film.into(),
        person: "nm1000040".into(),
        category,
        job: None,
        characters: Vec::new(),
        order: None,
        source: source(8),
    };
    store
        .write(|w| {
            w.put_person(&person("nm1000040", "A Director"))?;
            for (id, year) in [
                ("tt1000041", 2001),
                ("tt1000042", 2005),
                ("tt1000043", 2009),
            ] {
                w.put_film(&film(id, &format!("Film {year}"), Some(year)))?;
            }
            w.put_credit(&credit("tt1000041", RoleCategory::Director))?;
            w.put_credit(&credit("tt1000042", RoleCategory::Director))?;
            w.put_credit(&credit("tt1000043", RoleCategory::Producer))?;
            for film in ["tt1000042", "tt1000043"] {
                w.put_film_theme(film, "Sex work", &source(9))?;
            }
            Ok(())
        })
        .unwrap();
    let ids = |filter: FilmFilter| -> Vec<String> {
        store
            .films(&filter)
            .unwrap()
            .into_iter()
            .map(|f| f.id)
            .collect()
    };
    let by = |role, theme: Option<&str>| FilmFilter {
        person: Some("nm1000040".into()),
        role,
        theme: theme.map(str::to_string),
    };
    assert_eq!(ids(by(None, None)), ["tt1000041", "tt1000042", "tt1000043"]);
    assert_eq!(
        ids(by(Some(RoleCategory::Director), None)),
        ["tt1000041", "tt1000042"]
    );
    assert_eq!(
        ids(by(Some(RoleCategory::Director), Some("sex work"))),
        ["tt1000042"]
    );
    assert_eq!(
        ids(FilmFilter {
            theme: Some("SEX WORK".into()),
            ..FilmFilter::default()
        })
        .len(),
        2
    );
}
