use std::fmt;

use serde::{Deserialize, Serialize};

/// A rating in half stars, 1 (half a star) to 10 (five stars), as Letterboxd and MovieLens
/// give it. There is no zero: "not rated" is the absence of a rating.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "f32", into = "f32")]
pub struct Rating(u8);

impl Rating {
    /// What a rating may be, for messages.
    pub const ALLOWED: &'static str = "a rating is 0.5 to 5 in half steps (0.5, 1, 1.5, …, 5)";

    /// Reads a rating as Letterboxd writes it: `0.5`, `1`, `1.5`, … `5` (`4.0` is taken as `4`).
    pub fn parse(text: &str) -> Result<Rating, String> {
        let refuse = || format!("rating {text:?} is not allowed: {}", Self::ALLOWED);
        let (whole, half) = match text.split_once('.') {
            None => (text, false),
            Some((whole, "5")) => (whole, true),
            Some((whole, "0")) => (whole, false),
            Some(_) => return Err(refuse()),
        };
        if whole.is_empty() || whole.len() > 1 || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(refuse());
        }
        let whole: u8 = whole.parse().map_err(|_| refuse())?;
        Rating::from_half_stars(whole * 2 + u8::from(half)).ok_or_else(refuse)
    }

    /// A rating from its number of half stars, 1 to 10.
    pub fn from_half_stars(half_stars: u8) -> Option<Rating> {
        (1..=10).contains(&half_stars).then_some(Rating(half_stars))
    }

    pub fn half_stars(self) -> u8 {
        self.0
    }

    /// The rating in stars: 0.5 to 5.0.
    pub fn stars(self) -> f32 {
        f32::from(self.0) / 2.0
    }

    /// As stars for people: `★★★½`.
    pub fn glyphs(self) -> String {
        let mut out = "★".repeat(usize::from(self.0 / 2));
        if self.0 % 2 == 1 {
            out.push('½');
        }
        out
    }
}

impl fmt::Display for Rating {
    /// As Letterboxd writes it: `4` or `4.5`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(2) {
            write!(f, "{}", self.0 / 2)
        } else {
            write!(f, "{}.5", self.0 / 2)
        }
    }
}

impl TryFrom<f32> for Rating {
    type Error = String;
    fn try_from(stars: f32) -> Result<Rating, String> {
        let half = stars * 2.0;
        if half.fract() != 0.0 || !(1.0..=10.0).contains(&half) {
            return Err(format!("rating {stars} is not allowed: {}", Self::ALLOWED));
        }
        // In range and whole: the cast is exact.
        Ok(Rating(half as u8))
    }
}

impl From<Rating> for f32 {
    fn from(rating: Rating) -> f32 {
        rating.stars()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letterboxd_forms_are_read_and_written_back() {
        for (text, half) in [("0.5", 1), ("1", 2), ("4.0", 8), ("4.5", 9), ("5", 10)] {
            let rating = Rating::parse(text).unwrap();
            assert_eq!(rating.half_stars(), half, "{text}");
        }
        assert_eq!(Rating::parse("4.5").unwrap().to_string(), "4.5");
        assert_eq!(Rating::parse("3.0").unwrap().to_string(), "3");
        assert_eq!(Rating::parse("3.5").unwrap().glyphs(), "★★★½");
    }

    #[test]
    fn anything_else_is_refused_with_the_rule() {
        for text in [
            "4.3", "11", "0", "0.0", "5.5", "-1", "", ".5", "4.", "4.50", "four",
        ] {
            let error = Rating::parse(text).unwrap_err();
            assert!(error.contains(Rating::ALLOWED), "{text}: {error}");
        }
    }

    #[test]
    fn json_carries_stars() {
        let rating = Rating::from_half_stars(7).unwrap();
        assert_eq!(serde_json::to_string(&rating).unwrap(), "3.5");
        assert_eq!(serde_json::from_str::<Rating>("3.5").unwrap(), rating);
        assert!(serde_json::from_str::<Rating>("4.3").is_err());
        assert!(serde_json::from_str::<Rating>("0").is_err());
    }
}
