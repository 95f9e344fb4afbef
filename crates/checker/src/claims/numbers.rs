//! Numbers as prose writes them: "four", "twenty-one", "14", "1,000"; and sums of money:
//! "$6 million", "$100,000", "$6m", "6 million dollars".

/// The regex alternation for a count, in digits or words.
pub const COUNT: &str = r"\d{1,3}(?:,\d{3})+|\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a\s+dozen|a\s+single|a\s+pair\s+of|a\s+couple\s+of|both|once|twice|thrice";

const UNITS: &[&str] = &[
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];
const TENS: &[&str] = &[
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The value of a count matched by [`COUNT`].
pub fn count(text: &str) -> Option<u64> {
    let lower = text.trim().to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .collect();
    match words.as_slice() {
        ["a", "dozen"] => return Some(12),
        ["a", "single"] => return Some(1),
        ["a", "pair", "of"] | ["a", "couple", "of"] | ["both"] | ["twice"] => return Some(2),
        ["once"] => return Some(1),
        ["thrice"] => return Some(3),
        _ => {}
    }
    if lower.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        return lower.replace(',', "").parse().ok();
    }
    let mut total = 0u64;
    for word in words {
        if let Some(unit) = UNITS.iter().position(|u| *u == word) {
            total += unit as u64;
        } else if let Some(ten) = TENS.iter().position(|t| !t.is_empty() && *t == word) {
            total += 10 * ten as u64;
        } else {
            return None;
        }
    }
    Some(total)
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A month's number from its name as written in English, capitalised ("March" → 3).
pub fn month_number(name: &str) -> Option<u32> {
    MONTHS
        .iter()
        .position(|m| *m == name)
        .and_then(|i| u32::try_from(i + 1).ok())
}

/// A sum of money as written, with the precision it was written to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Money {
    pub amount: i64,
    /// The value of the last significant digit written: "$6 million" → 1,000,000, "$6.5
    /// million" → 100,000, "$100,000" → 100,000.
    pub precision: i64,
}

/// The regex for a sum of money: `cur` the currency sign, `amount` the figure, `mult` a
/// multiplier word, `dollars` a trailing currency word.
pub const MONEY: &str = r"(?:(?P<cur>US\$|\$|€|£)\s?(?P<amount>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?:\s*(?P<mult>million|billion|thousand|mn|bn|m|k)\b)?|(?P<wamount>\d+(?:\.\d+)?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a\s+hundred|one\s+hundred|two\s+hundred|a)\s+(?P<wmult>million|billion|thousand|hundred\s+thousand)\s+(?P<dollars>dollars|US\s+dollars|euros|pounds))";

/// Reads a sum of money from its figure and multiplier.
pub fn money(figure: &str, multiplier: Option<&str>) -> Option<Money> {
    let figure = figure.trim().to_lowercase();
    let (whole, fraction) = if figure.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        let plain = figure.replace(',', "");
        match plain.split_once('.') {
            Some((w, f)) => (w.parse::<i64>().ok()?, f.to_string()),
            None => (plain.parse::<i64>().ok()?, String::new()),
        }
    } else {
        let value = match figure.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["a"] => 1,
            ["a" | "one", "hundred"] => 100,
            ["two", "hundred"] => 200,
            [word] => i64::try_from(count(word)?).ok()?,
            _ => return None,
        };
        (value, String::new())
    };
    let scale: i64 = match multiplier.map(|m| m.to_lowercase()) {
        None => 1,
        Some(m) => match m.split_whitespace().collect::<Vec<_>>().as_slice() {
            ["million"] | ["mn"] | ["m"] => 1_000_000,
            ["billion"] | ["bn"] => 1_000_000_000,
            ["thousand"] | ["k"] => 1_000,
            ["hundred", "thousand"] => 100_000,
            _ => return None,
        },
    };
    let fraction_digits = u32::try_from(fraction.len()).ok()?;
    let divisor = 10i64.checked_pow(fraction_digits)?;
    let fraction_value: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    let amount = whole
        .checked_mul(scale)?
        .checked_add(fraction_value.checked_mul(scale)? / divisor)?;
    let mut precision = scale / divisor.max(1);
    if fraction.is_empty() {
        // Trailing zeros of the figure are not significant: "$100,000" is known to 100,000.
        let mut rest = whole;
        while rest != 0 && rest % 10 == 0 {
            rest /= 10;
            precision = precision.checked_mul(10)?;
        }
    }
    Some(Money {
        amount,
        precision: precision.max(1),
    })
}

impl Money {
    /// Whether `actual`, rounded to the precision this sum was written to, is this sum.
    pub fn agrees_with(self, actual: i64) -> bool {
        let p = self.precision;
        let rounded = (actual + p / 2).div_euclid(p) * p;
        rounded == self.amount
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_in_words_and_digits() {
        for (text, value) in [
            ("four", 4),
            ("Eleven", 11),
            ("twenty-one", 21),
            ("14", 14),
            ("1,000", 1000),
            ("a dozen", 12),
        ] {
            assert_eq!(count(text), Some(value), "{text}");
        }
        assert_eq!(count("many"), None);
    }

    #[test]
    fn money_with_its_precision() {
        let six = money("6", Some("million")).unwrap();
        assert_eq!(six.amount, 6_000_000);
        assert!(six.agrees_with(6_000_000));
        assert!(six.agrees_with(5_800_000));
        assert!(!six.agrees_with(7_000_000));
        let hundred_k = money("100,000", None).unwrap();
        assert_eq!(hundred_k.amount, 100_000);
        assert!(!hundred_k.agrees_with(150_000));
        let precise = money("6.5", Some("m")).unwrap();
        assert_eq!(precise.amount, 6_500_000);
        assert!(!precise.agrees_with(6_000_000));
        assert_eq!(money("six", Some("million")).unwrap().amount, 6_000_000);
        assert_eq!(money("a", Some("million")).unwrap().amount, 1_000_000);
    }
}
