//! Whatever bytes an importer is given, it answers with rows, rejections or an error: never a
//! panic. (The fuzzing issue adds coverage-guided fuzzing; these run in every `cargo test`.)
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kinograph_import::{curated, oscars};
use proptest::prelude::*;

const HEADER: &str = "Ceremony\tYear\tClass\tCanonicalCategory\tCategory\tFilm\tFilmId\tName\tNominees\tNomineeIds\tWinner\tDetail\tNote\tCitation\n";

/// Lines made of the pieces real rows are made of, in any order and number.
fn oscars_like_line() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("\t".to_string()),
        Just("|".to_string()),
        Just("?".to_string()),
        Just("True".to_string()),
        Just("1927/28".to_string()),
        Just("Acting".to_string()),
        Just("tt0000001".to_string()),
        Just("nm0000001,nm0000002".to_string()),
        Just("co0000001".to_string()),
        "[0-9]{1,4}",
        "\\PC{0,12}",
    ];
    prop::collection::vec(piece, 0..30).prop_map(|pieces| pieces.concat())
}

proptest! {
    #[test]
    fn the_oscars_reader_never_panics_on_arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..2_000)) {
        let mut input = HEADER.as_bytes().to_vec();
        input.extend_from_slice(&body);
        let reader = oscars::Reader::new(&input[..], "fuzz.tsv").unwrap();
        for row in reader {
            row.unwrap();
        }
    }

    #[test]
    fn the_oscars_reader_answers_every_line_of_row_shaped_input(lines in prop::collection::vec(oscars_like_line(), 0..40)) {
        let input = format!("{HEADER}{}", lines.join("\n"));
        let reader = oscars::Reader::new(input.as_bytes(), "fuzz.tsv").unwrap();
        let rows: Vec<oscars::Row> = reader.collect::<Result<_, _>>().unwrap();
        let answered = rows.len();
        let non_blank = lines.iter().filter(|l| !l.trim_end_matches('\r').is_empty()).count();
        prop_assert_eq!(answered, non_blank);
    }

    #[test]
    fn a_header_that_is_not_the_oscars_header_is_refused(first_line in "\\PC{0,80}") {
        prop_assume!(first_line.trim_start_matches('\u{feff}') != HEADER.trim_end());
        let input = format!("{first_line}\n1\t2020\tActing\tA\tB\n");
        prop_assert!(oscars::Reader::new(input.as_bytes(), "fuzz.tsv").is_err());
    }

    #[test]
    fn the_catalog_parser_never_panics(text in "\\PC{0,400}") {
        let _ = curated::parse(&text, "fuzz.toml");
    }

    #[test]
    fn the_catalog_parser_never_panics_on_catalog_shaped_text(
        lines in prop::collection::vec(prop_oneof![
            Just("format = \"kinograph-catalog/1\"".to_string()),
            Just("[sources]".to_string()),
            Just("s = { title = \"t\", publisher = \"p\" }".to_string()),
            Just("[[films]]".to_string()),
            Just("[[films.credits]]".to_string()),
            Just("[[people]]".to_string()),
            Just("[[award_bodies]]".to_string()),
            Just("[[award_bodies.ceremonies]]".to_string()),
            Just("id = \"tt0000001\"".to_string()),
            Just("source = \"s\"".to_string()),
            Just("year = 2020".to_string()),
            Just("budget = { amount = -1, currency = \"USD\" }".to_string()),
            "[a-z_]{1,10} = \"\\PC{0,10}\"",
            "[a-z_]{1,10} = -?[0-9]{1,12}",
        ], 0..30)
    ) {
        let _ = curated::parse(&lines.join("\n"), "fuzz.toml");
    }
}
