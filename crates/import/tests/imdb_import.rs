//! `imdb::import`: the IMDb files written into the store — the real samples with every id
//! joining, a second import changing nothing, a newer dump updating, a merge with the Academy
//! Awards data by IMDb id, bad inputs that import the rest, and generated data.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;
use std::io::{BufReader, Write};
use std::path::{Path, PathBuf};

use kinograph_catalog::{EntityKind, RoleCategory};
use kinograph_import::imdb::{self, ImdbFile, ImdbReport, NameBasics, TitlePrincipal};
use kinograph_import::{NoProgress, Progress, oscars};
use kinograph_store::{CatalogRead, Store};

fn samples() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/imdb-sample");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipped: {} is not here", dir.display());
        None
    }
}

fn import(store: &mut Store, dir: &Path) -> ImdbReport {
    imdb::import(store, dir, &mut |_| {
        Box::new(NoProgress) as Box<dyn Progress>
    })
    .unwrap()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// Every write of the report was `Unchanged`.
fn nothing_changed(report: &ImdbReport) {
    for file in &report.files {
        for (kind, tally) in &file.summary.tallies {
            assert_eq!(
                (tally.new, tally.updated),
                (0, 0),
                "{:?} {kind}: {tally}",
                file.file
            );
        }
    }
}

#[test]
fn the_real_samples_import_with_every_id_joining() {
    let Some(samples) = samples() else { return };
    for (set, missing_principals, missing_total) in
        [("joined-2000", 6, 6), ("with-crew-200", 0, 61)]
    {
        let dir = samples.join(set);
        let mut store = kinograph_store::testing::fresh_store().unwrap();
        let report = import(&mut store, &dir);
        assert_eq!(report.errors().count(), 0, "{set}");

        // The only rejections: credits naming people the sample's name.basics lacks (6
        // principals in joined-2000; in with-crew-200, writers of title.crew).
        let principals = report.file(ImdbFile::TitlePrincipals).unwrap();
        assert_eq!(principals.rejected_count, missing_principals, "{set}");
        assert_eq!(report.rejected_count(), missing_total, "{set}");
        for r in report.rejected() {
            let file = if r.message.starts_with("title.crew") {
                "title.crew.tsv"
            } else {
                "title.principals.tsv"
            };
            assert!(
                r.message
                    .starts_with(&format!("{file}:{}: nconst nm", r.line)),
                "{set}: {}",
                r.message
            );
            assert!(r.message.contains("is not in name.basics.tsv"), "{r:?}");
        }

        // Every title and person is there, and every principal whose person is listed is a
        // credit of its film.
        let people: HashSet<String> = read_all::<NameBasics>(&dir.join("name.basics.tsv"))
            .into_iter()
            .map(|p| p.nconst)
            .collect();
        let counts = store.counts().unwrap();
        assert_eq!(counts.people, people.len() as u64, "{set}");
        assert_eq!(report.tally("films").new, counts.films, "{set}");
        let rows = read_all::<TitlePrincipal>(&dir.join("title.principals.tsv"));
        let mut checked = 0;
        for row in rows
            .iter()
            .filter(|r| people.contains(&r.nconst))
            .step_by(7)
        {
            let film = store.film(&row.tconst).unwrap().expect("the film");
            assert!(
                film.credits
                    .iter()
                    .any(|c| c.person.id.as_deref() == Some(row.nconst.as_str())
                        && c.category.as_str() == row.category),
                "{set}: {row:?}"
            );
            checked += 1;
        }
        assert!(checked > 10, "{set}");
        assert!(counts.credits > 0);
        if set == "with-crew-200" {
            assert!(report.tally("credits").new > 0);
            let crew = report.file(ImdbFile::TitleCrew).unwrap();
            assert_eq!(crew.rejected_count, missing_total);
        }

        // Provenance: the data set and file:line.
        let first = rows.iter().find(|r| people.contains(&r.nconst)).unwrap();
        let film = store.film(&first.tconst).unwrap().unwrap();
        let title = film
            .film
            .sources
            .iter()
            .find(|(f, _)| f == "title")
            .unwrap();
        assert_eq!(title.1.dataset, "imdb");
        assert!(
            title
                .1
                .locator
                .as_deref()
                .unwrap()
                .starts_with("title.basics.tsv:"),
            "{:?}",
            title.1
        );
        assert!(film.film.title_type.is_some());

        // A second import of the same files changes nothing, and logs no search change.
        let head = store.search_log_head().unwrap();
        let again = import(&mut store, &dir);
        nothing_changed(&again);
        assert_eq!(again.rejected_count(), report.rejected_count());
        assert_eq!(store.search_log_head().unwrap(), head, "{set}");
    }
}

fn read_all<T: imdb::ImdbRow>(path: &Path) -> Vec<T> {
    let mut rows = Vec::new();
    imdb::read::<T>(path, &mut NoProgress, &mut |row| {
        rows.push(row);
        Ok(())
    })
    .unwrap();
    rows
}

const NAMES: &str =
    "nconst\tprimaryName\tbirthYear\tdeathYear\tprimaryProfession\tknownForTitles\n";
const TITLES: &str = "tconst\ttitleType\tprimaryTitle\toriginalTitle\tisAdult\tstartYear\tendYear\truntimeMinutes\tgenres\n";
const AKAS: &str =
    "titleId\tordering\ttitle\tregion\tlanguage\ttypes\tattributes\tisOriginalTitle\n";
const RATINGS: &str = "tconst\taverageRating\tnumVotes\n";
const CREW: &str = "tconst\tdirectors\twriters\n";
const PRINCIPALS: &str = "tconst\tordering\tnconst\tcategory\tjob\tcharacters\n";

/// A small dump of our own: two films, three people.
fn small_dump(dir: &Path, rating: &str, runtime: &str) {
    write(
        dir,
        "name.basics.tsv",
        &format!(
            "{NAMES}nm5700898\tMikey Madison\t1999\t\\N\tactress\ttt28607951\n\
             nm1061218\tSean Baker\t1971\t\\N\tdirector,writer\ttt28607951\n\
             nm9000001\tMark Eydelshteyn\t\\N\t\\N\tactor\t\\N\n"
        ),
    );
    write(
        dir,
        "title.basics.tsv",
        &format!(
            "{TITLES}tt28607951\tmovie\tAnora\tAnora\t0\t2024\t\\N\t{runtime}\tComedy,Drama,Romance\n\
             tt9000001\ttvSeries\t\"Swing it\" Show\tSvängshowen\t0\t2001\t2003\t30\tComedy\n"
        ),
    );
    write(
        dir,
        "title.akas.tsv",
        &format!(
            "{AKAS}tt28607951\t1\tAnora\t\\N\t\\N\toriginal\t\\N\t1\n\
             tt28607951\t2\tAnora\tUS\t\\N\timdbDisplay\t\\N\t0\n\
             tt28607951\t3\tAni\tXWW\t\\N\timdbDisplay\t\\N\t0\n\
             tt0000404\t1\tNowhere\tUS\t\\N\t\\N\t\\N\t0\n"
        ),
    );
    write(
        dir,
        "title.ratings.tsv",
        &format!("{RATINGS}tt28607951\t{rating}\t250000\ntt9000001\t6.1\t12\n"),
    );
    write(
        dir,
        "title.crew.tsv",
        &format!("{CREW}tt28607951\tnm1061218\tnm1061218\ntt9000001\t\\N\t\\N\n"),
    );
    write(
        dir,
        "title.principals.tsv",
        &format!(
            "{PRINCIPALS}tt28607951\t1\tnm5700898\tactress\t\\N\t[\"Anora \\\"Ani\\\" Mikheeva\"]\n\
             tt28607951\t2\tnm9000001\tactor\t\\N\t[\"Vanya\"]\n\
             tt28607951\t3\tnm1061218\tdirector\t\\N\t\\N\n\
             tt28607951\t4\tnm0000404\tactor\t\\N\t[\"Nobody\"]\n\
             tt28607951\t5\tnm9000001\tstunts\t\\N\t\\N\n"
        ),
    );
}

#[test]
fn a_small_dump_imports_then_a_newer_one_updates_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path(), "7.6", "139");
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let report = import(&mut store, dir.path());
    assert_eq!(report.errors().count(), 0);
    assert_eq!(report.tally("people").new, 3);
    assert_eq!(report.tally("films").new, 2);
    assert_eq!(report.tally("ratings").new, 2);
    // The original title and the same title again are not aliases; another one is.
    assert_eq!(report.tally("aliases").new, 1);
    let messages: Vec<&str> = report.rejected().map(|r| r.message.as_str()).collect();
    assert_eq!(
        messages,
        [
            "title.akas.tsv:5: tconst tt0000404 is not in title.basics.tsv (nor in the catalog)",
            "title.principals.tsv:5: nconst nm0000404 is not in name.basics.tsv (nor in the catalog)",
            "title.principals.tsv:6: unknown role category \"stunts\" (expected one of director, writer, actor, actress, self, producer, editor, cinematographer, composer, production_designer, casting_director, archive_footage, archive_sound)",
        ]
    );

    let anora = store.film("tt28607951").unwrap().unwrap();
    assert_eq!(anora.film.title, "Anora");
    assert_eq!(anora.film.original_title, None);
    assert_eq!(anora.film.year, Some(2024));
    assert_eq!(anora.film.runtime_minutes, Some(139));
    assert_eq!(anora.film.title_type.as_deref(), Some("movie"));
    assert_eq!(anora.film.is_adult, Some(false));
    let rating = anora.film.imdb_rating.unwrap();
    assert_eq!((rating.average, rating.votes), (7.6, 250_000));
    assert_eq!(anora.aliases, ["Ani"]);
    let ani = anora
        .credits
        .iter()
        .find(|c| c.category == RoleCategory::Actress)
        .unwrap();
    assert_eq!(ani.characters, ["Anora \"Ani\" Mikheeva"]);
    assert_eq!(ani.order, Some(1));
    assert_eq!(
        ani.source.locator.as_deref(),
        Some("title.principals.tsv:2")
    );
    // The director from title.crew and from title.principals is one credit, billed.
    let directing: Vec<_> = anora
        .credits
        .iter()
        .filter(|c| c.category == RoleCategory::Director)
        .collect();
    assert_eq!(directing.len(), 1);
    assert_eq!(directing[0].order, Some(3));
    assert!(
        anora
            .credits
            .iter()
            .any(|c| c.category == RoleCategory::Writer)
    );
    let show = store.film("tt9000001").unwrap().unwrap();
    assert_eq!(show.film.title, "\"Swing it\" Show");
    assert_eq!(show.film.original_title.as_deref(), Some("Svängshowen"));
    assert_eq!(show.film.end_year, Some(2003));
    assert_eq!(show.film.title_type.as_deref(), Some("tvSeries"));

    // The same files again: nothing changes.
    let again = import(&mut store, dir.path());
    nothing_changed(&again);

    // A newer dump: a new rating and runtime, a new title.
    small_dump(dir.path(), "7.7", "140");
    let mut titles = std::fs::read_to_string(dir.path().join("title.basics.tsv")).unwrap();
    titles.push_str("tt9000002\tshort\tA New Short\tA New Short\t0\t2025\t\\N\t9\t\\N\n");
    write(dir.path(), "title.basics.tsv", &titles);
    let newer = import(&mut store, dir.path());
    assert_eq!(newer.tally("films").new, 1);
    assert_eq!(newer.tally("films").updated, 1);
    assert_eq!(newer.tally("films").unchanged, 1);
    assert_eq!(newer.tally("ratings").updated, 1);
    assert_eq!(newer.tally("ratings").unchanged, 1);
    assert_eq!(newer.tally("people").unchanged, 3);
    assert_eq!(
        newer.tally("credits").new + newer.tally("credits").updated,
        0
    );
    let anora = store.film("tt28607951").unwrap().unwrap();
    assert_eq!(anora.film.runtime_minutes, Some(140));
    assert_eq!(anora.film.imdb_rating.unwrap().average, 7.7);
    assert!(store.film("tt9000002").unwrap().is_some());
}

const OSCARS_HEADER: &str = "Ceremony\tYear\tClass\tCanonicalCategory\tCategory\tFilm\tFilmId\tName\tNominees\tNomineeIds\tWinner\tDetail\tNote\tCitation\n";

#[test]
fn an_academy_awards_film_and_an_imdb_title_with_its_id_are_one_film() {
    let dir = tempfile::tempdir().unwrap();
    small_dump(dir.path(), "7.6", "139");
    let oscars_file = format!(
        "{OSCARS_HEADER}97\t2024\tActing\tACTRESS IN A LEADING ROLE\tACTRESS IN A LEADING ROLE\tAnora\ttt28607951\tMikey Madison\tMikey Madison\tnm5700898\tTrue\tAni\n"
    );
    for oscars_first in [true, false] {
        let mut store = kinograph_store::testing::fresh_store().unwrap();
        let oscars = |store: &mut Store| {
            let reader =
                oscars::Reader::new(BufReader::new(oscars_file.as_bytes()), "oscars.tsv").unwrap();
            oscars::import(store, reader, &mut NoProgress, None).unwrap()
        };
        if oscars_first {
            oscars(&mut store);
            import(&mut store, dir.path());
        } else {
            import(&mut store, dir.path());
            oscars(&mut store);
        }
        let counts = store.counts().unwrap();
        assert_eq!(counts.films, 2, "oscars first: {oscars_first}");
        assert_eq!(counts.people, 3, "oscars first: {oscars_first}");
        let anora = store.film("tt28607951").unwrap().unwrap();
        assert_eq!(anora.nominations.len(), 1);
        assert!(anora.film.imdb_rating.is_some());
        assert!(anora.credits.len() >= 4);
        let mikey = store.person("nm5700898").unwrap().unwrap();
        assert_eq!(mikey.birth_year, Some(1999));
        assert_eq!(mikey.nominations.len(), 1);
        // And the IMDb import again changes nothing.
        nothing_changed(&import(&mut store, dir.path()));
    }
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn bad_files_are_reported_with_file_and_line_and_the_rest_imports() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    small_dump(d, "7.6", "139");
    // Invalid UTF-8 in one row and a column count that changes mid-file in another.
    let mut names = std::fs::read(d.join("name.basics.tsv")).unwrap();
    names.extend_from_slice(b"nm9000002\tBad \xff Name\t\\N\t\\N\t\\N\t\\N\n");
    names.extend_from_slice(b"nm9000003\tToo Few\t\\N\n");
    names.extend_from_slice(b"nm9000004\tGood Name\t1950\t\\N\t\\N\t\\N\n");
    std::fs::write(d.join("name.basics.tsv"), names).unwrap();
    // A truncated last line.
    let mut titles = std::fs::read_to_string(d.join("title.basics.tsv")).unwrap();
    titles.push_str("tt9000003\tmovie\tCut");
    write(d, "title.basics.tsv", &titles);
    // A wrong header.
    write(
        d,
        "title.ratings.tsv",
        "tconst\trating\tvotes\ntt28607951\t7.6\t1\n",
    );
    // An empty file.
    write(d, "title.crew.tsv", "");
    // A .gz cut off half-way: the rows before the damage import.
    let principals = std::fs::read(d.join("title.principals.tsv")).unwrap();
    std::fs::remove_file(d.join("title.principals.tsv")).unwrap();
    let mut many = principals.clone();
    for i in 0..2000 {
        many.extend_from_slice(
            format!(
                "tt28607951\t{}\tnm9000004\tactor\t\\N\t[\"Extra {i}\"]\n",
                100 + i
            )
            .as_bytes(),
        );
    }
    let compressed = gzip(&many);
    std::fs::write(
        d.join("title.principals.tsv.gz"),
        &compressed[..compressed.len() * 2 / 3],
    )
    .unwrap();

    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let report = import(&mut store, d);
    let messages: Vec<&str> = report.rejected().map(|r| r.message.as_str()).collect();
    for expected in [
        "name.basics.tsv:5: the line is not UTF-8 text",
        "name.basics.tsv:6: the row has 3 fields, the header 6",
        "title.basics.tsv:4: the last line is cut short (3 of 9 fields)",
    ] {
        assert!(
            messages.contains(&expected),
            "{expected} not in {messages:?}"
        );
    }
    let errors: Vec<(String, String)> = report
        .errors()
        .map(|(p, e)| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                e.to_string(),
            )
        })
        .collect();
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert!(
        errors[0].0 == "title.ratings.tsv" && errors[0].1.contains("line 1"),
        "{errors:?}"
    );
    assert!(
        errors[1].0 == "title.crew.tsv" && errors[1].1.contains("empty"),
        "{errors:?}"
    );
    assert!(
        errors[2].0 == "title.principals.tsv.gz" && errors[2].1.contains("after line"),
        "{errors:?}"
    );
    // The good rows around the bad ones are in.
    assert!(store.person("nm9000004").unwrap().is_some());
    assert!(store.person("nm9000002").unwrap().is_none());
    let anora = store.film("tt28607951").unwrap().unwrap();
    assert!(
        anora
            .credits
            .iter()
            .any(|c| c.category == RoleCategory::Actress)
    );
    assert!(anora.film.imdb_rating.is_none());
    // The store is consistent: every credit joins, and a second run changes nothing.
    // (The extra rows are one credit, playing many characters.)
    let extra = anora
        .credits
        .iter()
        .find(|c| c.person.id.as_deref() == Some("nm9000004"))
        .unwrap();
    assert!(extra.characters.len() > 500, "{}", extra.characters.len());
    assert_eq!(extra.order, Some(100));
    for kind in [EntityKind::Film, EntityKind::Person] {
        let page = store.search_entry_page(kind, 0, 1000).unwrap();
        assert!(page.next.is_none(), "one page holds the sample");
        for entry in page.entries {
            assert_eq!(store.search_entry(kind, &entry.id).unwrap(), Some(entry));
        }
    }
    let again = import(&mut store, d);
    nothing_changed(&again);
}

#[test]
fn generated_data_imports_without_a_rejection() {
    let dir = tempfile::tempdir().unwrap();
    let spec = kinograph_datagen::ImdbSpec::new(2_000);
    kinograph_datagen::write_imdb(&spec, dir.path(), &mut |_, _| {}).unwrap();
    let mut store = kinograph_store::testing::fresh_store().unwrap();
    let report = import(&mut store, dir.path());
    assert_eq!(report.errors().count(), 0);
    let rejected: Vec<_> = report.rejected().take(5).collect();
    assert_eq!(report.rejected_count(), 0, "{rejected:?}");
    let counts = store.counts().unwrap();
    assert_eq!(counts.films, 2_000);
    assert_eq!(counts.people, spec.people());
    assert!(report.tally("credits").new > 10_000);
    assert!(report.tally("ratings").new > 0);
    nothing_changed(&import(&mut store, dir.path()));
}
