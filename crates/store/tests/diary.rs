//! The diary's contract: each viewing its own row, idempotent keys, the side effects of logging,
//! and privacy applied by every read.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use kinograph_catalog::{FilmRecord, Outcome, Provenance};
use kinograph_diary::{NewList, NewListItem, NewViewing, Rating, ViewingQuery};
use kinograph_publishing::{NewUser, Role};
use kinograph_store::{DiaryRead, FilmStateFilter, Store, diary};

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn store() -> (Store, i64, i64) {
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    store
        .write(|w| {
            for (id, title, year) in [
                ("tt5914996", "Anora", 2024),
                ("tt5649144", "The Florida Project", 2017),
                ("tt3722070", "Tangerine", 2015),
            ] {
                w.put_film(&FilmRecord {
                    year: Some(year),
                    ..FilmRecord::new(id, title, Provenance::line("test", 1))
                })?;
            }
            Ok(())
        })
        .unwrap();
    let (ann, bob) = store
        .edit(|w| {
            let mut user = |name: &str| {
                w.create_user(&NewUser {
                    name: name.into(),
                    display_name: name.into(),
                    role: Role::Reader,
                    password_hash: None,
                })
                .map(|u| u.id)
            };
            Ok((user("ann")?, user("bob")?))
        })
        .unwrap();
    (store, ann, bob)
}

fn viewing(film: &str, watched: &str, half_stars: Option<u8>, private: bool) -> NewViewing {
    NewViewing {
        film: film.into(),
        watched: Some(day(watched)),
        logged: day(watched),
        rating: half_stars.and_then(Rating::from_half_stars),
        liked: false,
        rewatch: false,
        review: None,
        spoilers: false,
        tags: Vec::new(),
        private,
        letterboxd_uri: None,
        key: format!("{film}@{watched}"),
    }
}

fn query(viewer: Option<i64>, owner: &str) -> ViewingQuery {
    ViewingQuery {
        viewer,
        owner: Some(owner.into()),
        limit: 100,
        ..ViewingQuery::default()
    }
}

#[test]
fn rewatches_are_rows_of_their_own_and_a_key_is_logged_once() {
    let (mut store, ann, _) = store();
    let first = diary::log(
        &mut store,
        ann,
        &viewing("tt5914996", "2024-10-20", Some(8), false),
    );
    assert_eq!(first.unwrap().1, Outcome::New);
    let mut again = viewing("tt5914996", "2025-03-03", Some(10), false);
    again.rewatch = true;
    diary::log(&mut store, ann, &again).unwrap();
    let repeat = diary::log(&mut store, ann, &again).unwrap();
    assert_eq!(repeat.1, Outcome::Unchanged);

    let rows = store.viewings(&query(Some(ann), "ann")).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].watched, Some(day("2025-03-03")));
    assert!(rows[0].rewatch);
    assert_eq!(rows[1].rating.map(Rating::half_stars), Some(8));

    // The current rating is the newest viewing's; an older viewing logged later keeps it.
    diary::log(
        &mut store,
        ann,
        &viewing("tt5914996", "2023-01-01", Some(2), false),
    )
    .unwrap();
    let state = store.film_state(ann, "tt5914996").unwrap().unwrap();
    assert_eq!(state.rating.map(Rating::half_stars), Some(10));
    assert_eq!(state.watched_on, Some(day("2023-01-01")));
    assert_eq!(
        store.film_ratings("tt5914996").unwrap().average(),
        Some(5.0)
    );
}

#[test]
fn logging_a_film_takes_it_off_the_watchlist_when_the_user_wants_it() {
    let (mut store, ann, bob) = store();
    store
        .diary(|w| {
            w.set_watchlisted(ann, "tt5649144", Some(day("2024-01-01")))?;
            w.set_watchlisted(bob, "tt5649144", Some(day("2024-01-01")))?;
            w.set_watchlist_autoremove(bob, false)
        })
        .unwrap();
    for user in [ann, bob] {
        diary::log(
            &mut store,
            user,
            &viewing("tt5649144", "2024-02-02", None, false),
        )
        .unwrap();
    }
    let listed = |user| {
        store
            .film_states(user, Some(user), FilmStateFilter::Watchlist)
            .unwrap()
            .len()
    };
    assert_eq!(listed(ann), 0);
    assert_eq!(listed(bob), 1);
}

#[test]
fn private_entries_are_their_owners_only() {
    let (mut store, ann, bob) = store();
    let mut secret = viewing("tt3722070", "2024-05-05", Some(3), true);
    secret.review = Some("a private thought".into());
    diary::log(&mut store, ann, &secret).unwrap();
    diary::log(
        &mut store,
        ann,
        &viewing("tt5914996", "2024-06-06", Some(9), false),
    )
    .unwrap();
    store
        .diary(|w| {
            w.put_list(
                ann,
                "secret",
                &NewList {
                    name: "Secret".into(),
                    description: None,
                    ranked: false,
                    private: true,
                    tags: Vec::new(),
                    created: day("2024-01-01"),
                    items: vec![NewListItem {
                        film: "tt3722070".into(),
                        note: None,
                    }],
                },
            )?;
            w.follow(bob, ann, true)
        })
        .unwrap();

    assert_eq!(store.viewings(&query(Some(ann), "ann")).unwrap().len(), 2);
    assert_eq!(store.viewing_years(ann, Some(ann)).unwrap(), [2024]);
    for viewer in [None, Some(bob)] {
        let seen = store.viewings(&query(viewer, "ann")).unwrap();
        assert_eq!(seen.len(), 1, "{viewer:?}");
        assert!(!seen[0].private);
        assert!(store.list("ann", "secret", viewer).unwrap().is_none());
        assert!(store.lists(Some("ann"), viewer, 10).unwrap().is_empty());
        let private_id = store.viewings(&query(Some(ann), "ann")).unwrap()[1].id;
        assert!(store.viewing(private_id, viewer).unwrap().is_none());
        assert_eq!(store.stats_viewings(ann, viewer).unwrap().len(), 1);
        let rated = store
            .film_states(ann, viewer, FilmStateFilter::Rated)
            .unwrap();
        assert_eq!(rated.len(), 1, "a private rating is not listed");
    }
    let feed = ViewingQuery {
        viewer: Some(bob),
        followed_by: Some(bob),
        limit: 10,
        ..ViewingQuery::default()
    };
    assert_eq!(store.viewings(&feed).unwrap().len(), 1);
    assert_eq!(store.film_ratings("tt3722070").unwrap().count, 0);
    assert!(store.list("ann", "secret", Some(ann)).unwrap().is_some());
}

#[test]
fn a_list_put_again_is_unchanged_and_a_changed_one_replaces_its_films() {
    let (mut store, ann, _) = store();
    let mut list = NewList {
        name: "Sean Baker, ranked".into(),
        description: Some("From best".into()),
        ranked: true,
        private: false,
        tags: vec!["baker".into()],
        created: day("2025-01-01"),
        items: vec![
            NewListItem {
                film: "tt5649144".into(),
                note: Some("Moonee!".into()),
            },
            NewListItem {
                film: "tt5914996".into(),
                note: None,
            },
        ],
    };
    let put = |store: &mut Store, list: &NewList| {
        store.diary(|w| w.put_list(ann, "baker", list)).unwrap().1
    };
    assert_eq!(put(&mut store, &list), Outcome::New);
    assert_eq!(put(&mut store, &list), Outcome::Unchanged);
    list.items.swap(0, 1);
    assert_eq!(put(&mut store, &list), Outcome::Updated);
    let stored = store.list("ann", "baker", None).unwrap().unwrap();
    assert_eq!(stored.items[0].film.title, "Anora");
    assert_eq!(stored.items[1].note.as_deref(), Some("Moonee!"));
    assert_eq!(stored.summary.films, 2);

    list.items.push(NewListItem {
        film: "tt0000000".into(),
        note: None,
    });
    let unknown = store.diary(|w| w.put_list(ann, "baker", &list));
    assert!(unknown.is_err());
    assert_eq!(
        store
            .list("ann", "baker", None)
            .unwrap()
            .unwrap()
            .items
            .len(),
        2
    );
}

#[test]
fn nobody_follows_themselves() {
    let (mut store, ann, bob) = store();
    assert!(store.diary(|w| w.follow(ann, ann, true)).is_err());
    assert_eq!(
        store.diary(|w| w.follow(ann, bob, true)).unwrap(),
        Outcome::Updated
    );
    assert_eq!(
        store.diary(|w| w.follow(ann, bob, true)).unwrap(),
        Outcome::Unchanged
    );
    assert_eq!(store.following(ann).unwrap()[0].name, "bob");
    assert_eq!(store.followers(bob).unwrap()[0].name, "ann");
}

#[test]
fn a_diary_batch_that_fails_halfway_writes_nothing() {
    let (mut store, ann, bob) = store();
    let failed = store.diary(|w| {
        w.add_viewing(ann, &viewing("tt5914996", "2025-01-01", Some(8), false))?;
        w.set_watchlisted(ann, "tt3722070", Some(day("2025-01-01")))?;
        w.follow(ann, bob, true)?;
        // An unknown film fails the batch after three writes.
        w.mark_watched(ann, "tt0000000", None)
    });
    assert!(failed.is_err());
    assert!(store.viewings(&query(Some(ann), "ann")).unwrap().is_empty());
    assert!(
        store
            .film_states(ann, Some(ann), FilmStateFilter::All)
            .unwrap()
            .is_empty()
    );
    assert!(store.following(ann).unwrap().is_empty());
}
