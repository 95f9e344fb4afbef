use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};

use crate::Rating;

/// What the stats need of one viewing: its day, rating and the film's facts.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsViewing {
    pub day: NaiveDate,
    pub rating: Option<Rating>,
    pub rewatch: bool,
    /// The film's catalog id, to count distinct films.
    pub film: String,
    pub film_year: Option<i32>,
    pub runtime_minutes: Option<u32>,
    /// `(id, name)` of the film's directors.
    pub directors: Vec<(String, String)>,
    /// `(id, name)` of the film's leading cast.
    pub actors: Vec<(String, String)>,
}

/// A labelled count for a chart or a ranking: `key` links (a person's id, a year), `label` shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Count {
    pub key: String,
    pub label: String,
    pub count: u32,
}

/// A user's stats over all time or for one year (the year in review).
#[derive(Debug, Clone, PartialEq)]
pub struct Stats {
    pub year: Option<i32>,
    /// Viewings counted.
    pub viewings: u32,
    pub distinct_films: u32,
    pub rewatches: u32,
    pub minutes: u64,
    /// For a year: its twelve months, January first. Over all time: one entry per year.
    pub timeline: Vec<Count>,
    /// Ratings given, ½★ first.
    pub ratings: [u32; 10],
    /// Films by the decade they were released, oldest first.
    pub decades: Vec<Count>,
    /// Most-watched directors and actors, most viewings first (ties by name), at most `TOP`.
    pub directors: Vec<Count>,
    pub actors: Vec<Count>,
    /// Years with at least one viewing, newest first: the years in review there are.
    pub years: Vec<i32>,
}

impl Stats {
    /// How many people a ranking shows.
    pub const TOP: usize = 10;

    pub fn average_rating(&self) -> Option<f32> {
        let count: u32 = self.ratings.iter().sum();
        let total: u32 = self.ratings.iter().zip(1u32..).map(|(n, h)| n * h).sum();
        (count > 0).then(|| total as f32 / count as f32 / 2.0)
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Computes the stats of `viewings`, all of them or those of `year`.
pub fn stats(viewings: &[StatsViewing], year: Option<i32>) -> Stats {
    let mut years: Vec<i32> = viewings.iter().map(|v| v.day.year()).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();

    let counted: Vec<&StatsViewing> = viewings
        .iter()
        .filter(|v| year.is_none_or(|y| v.day.year() == y))
        .collect();

    let timeline = match year {
        Some(_) => {
            let mut months = [0u32; 12];
            for v in &counted {
                months[v.day.month0() as usize] += 1;
            }
            MONTHS
                .iter()
                .zip(months)
                .zip(1..)
                .map(|((label, count), month)| Count {
                    key: month.to_string(),
                    label: (*label).to_string(),
                    count,
                })
                .collect()
        }
        None => {
            let mut per_year: BTreeMap<i32, u32> = BTreeMap::new();
            if let (Some(first), Some(last)) = (years.last(), years.first()) {
                for y in *first..=*last {
                    per_year.insert(y, 0);
                }
            }
            for v in &counted {
                *per_year.entry(v.day.year()).or_default() += 1;
            }
            per_year
                .into_iter()
                .map(|(y, count)| Count {
                    key: y.to_string(),
                    label: y.to_string(),
                    count,
                })
                .collect()
        }
    };

    let mut ratings = [0u32; 10];
    for rating in counted.iter().filter_map(|v| v.rating) {
        ratings[usize::from(rating.half_stars() - 1)] += 1;
    }

    let mut decades: BTreeMap<i32, u32> = BTreeMap::new();
    for film_year in counted.iter().filter_map(|v| v.film_year) {
        *decades.entry(film_year.div_euclid(10) * 10).or_default() += 1;
    }
    let decades = decades
        .into_iter()
        .map(|(decade, count)| Count {
            key: decade.to_string(),
            label: format!("{decade}s"),
            count,
        })
        .collect();

    let mut films: Vec<&str> = counted.iter().map(|v| v.film.as_str()).collect();
    films.sort_unstable();
    films.dedup();

    Stats {
        year,
        viewings: len_u32(counted.len()),
        distinct_films: len_u32(films.len()),
        rewatches: len_u32(counted.iter().filter(|v| v.rewatch).count()),
        minutes: counted
            .iter()
            .filter_map(|v| v.runtime_minutes)
            .map(u64::from)
            .sum(),
        timeline,
        ratings,
        decades,
        directors: ranking(counted.iter().map(|v| v.directors.as_slice())),
        actors: ranking(counted.iter().map(|v| v.actors.as_slice())),
        years,
    }
}

fn len_u32(len: usize) -> u32 {
    u32::try_from(len).unwrap_or(u32::MAX)
}

/// The people named most often, one count per viewing they are in.
fn ranking<'a>(people: impl Iterator<Item = &'a [(String, String)]>) -> Vec<Count> {
    let mut counts: HashMap<&str, (&str, u32)> = HashMap::new();
    for credits in people {
        let mut seen: Vec<&str> = Vec::new();
        for (id, name) in credits {
            if seen.contains(&id.as_str()) {
                continue;
            }
            seen.push(id);
            counts.entry(id).or_insert((name, 0)).1 += 1;
        }
    }
    let mut ranked: Vec<Count> = counts
        .into_iter()
        .map(|(id, (name, count))| Count {
            key: id.to_string(),
            label: name.to_string(),
            count,
        })
        .collect();
    ranked.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.label.cmp(&b.label)));
    ranked.truncate(Stats::TOP);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewing(day: &str, film: &str, year: i32, director: &str) -> StatsViewing {
        StatsViewing {
            day: NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap(),
            rating: None,
            rewatch: false,
            film: film.into(),
            film_year: Some(year),
            runtime_minutes: Some(100),
            directors: vec![(director.to_lowercase(), director.into())],
            actors: Vec::new(),
        }
    }

    #[test]
    fn a_year_in_review_counts_months_decades_and_directors() {
        let mut rewatch = viewing("2024-03-09", "anora", 2024, "Sean Baker");
        rewatch.rewatch = true;
        rewatch.rating = Rating::from_half_stars(9);
        let all = vec![
            viewing("2024-03-01", "anora", 2024, "Sean Baker"),
            rewatch,
            viewing("2024-11-20", "tangerine", 2015, "Sean Baker"),
            viewing("2024-11-21", "parasite", 2019, "Bong Joon Ho"),
            viewing("2023-01-02", "vertigo", 1958, "Alfred Hitchcock"),
        ];
        let year = stats(&all, Some(2024));
        assert_eq!(year.viewings, 4);
        assert_eq!(year.distinct_films, 3);
        assert_eq!(year.rewatches, 1);
        assert_eq!(year.minutes, 400);
        assert_eq!(year.timeline.len(), 12);
        assert_eq!(year.timeline[2].count, 2);
        assert_eq!(year.timeline[10].count, 2);
        assert_eq!(year.ratings[8], 1);
        assert_eq!(year.average_rating(), Some(4.5));
        let decades: Vec<(&str, u32)> = year
            .decades
            .iter()
            .map(|c| (c.label.as_str(), c.count))
            .collect();
        assert_eq!(decades, [("2010s", 2), ("2020s", 2)]);
        assert_eq!(year.directors[0].label, "Sean Baker");
        assert_eq!(year.directors[0].count, 3);
        assert_eq!(year.years, [2024, 2023]);

        let ever = stats(&all, None);
        assert_eq!(ever.viewings, 5);
        let timeline: Vec<(&str, u32)> = ever
            .timeline
            .iter()
            .map(|c| (c.label.as_str(), c.count))
            .collect();
        assert_eq!(timeline, [("2023", 1), ("2024", 4)]);
        assert_eq!(ever.decades[0].label, "1950s");
    }

    #[test]
    fn nothing_logged_is_all_zero() {
        let empty = stats(&[], None);
        assert_eq!(empty.viewings, 0);
        assert!(empty.timeline.is_empty());
        assert_eq!(empty.average_rating(), None);
        assert_eq!(stats(&[], Some(2024)).timeline.len(), 12);
    }
}
