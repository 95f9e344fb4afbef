//! Properties of the model's rules that must hold for any input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use kinograph_catalog::{CeremonyYears, normalize};
use proptest::prelude::*;

proptest! {
    #[test]
    fn a_key_is_its_own_key(text in "\\PC{0,60}") {
        let key = normalize::key(&text);
        prop_assert_eq!(normalize::key(&key), key.clone());
        prop_assert!(key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
        prop_assert!(!key.starts_with(' ') && !key.ends_with(' ') && !key.contains("  "));
    }

    #[test]
    fn case_and_curly_quotes_do_not_change_a_key(text in "[A-Za-z' ]{0,40}") {
        prop_assert_eq!(normalize::key(&text.to_uppercase()), normalize::key(&text));
        prop_assert_eq!(normalize::key(&text.replace('\'', "\u{2019}")), normalize::key(&text));
    }

    #[test]
    fn ceremony_years_parse_what_they_print(first in 1880_i32..2200, split in any::<bool>()) {
        let years = CeremonyYears { first, last: if split { first + 1 } else { first } };
        prop_assert_eq!(years.to_string().parse::<CeremonyYears>(), Ok(years));
    }

    #[test]
    fn ceremony_years_never_panic(text in "\\PC{0,12}") {
        let _ = text.parse::<CeremonyYears>();
    }
}
