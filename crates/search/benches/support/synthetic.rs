//! A synthetic catalog at any scale and a mixed query set over it, shared by the search
//! benchmarks (in-process here, over HTTP in `kinograph-web`'s `http_search` bench): seeded,
//! so every run and every bench sees the same names.

use std::time::Duration;

use kinograph_catalog::{EntityKind, SearchEntry};

const SYLLABLES: [&str; 40] = [
    "ka", "lo", "mi", "ra", "ten", "vo", "sha", "dri", "el", "nor", "bel", "ca", "dus", "fen",
    "gra", "hol", "ix", "jor", "kel", "lun", "mar", "nel", "ost", "pra", "quin", "rho", "sel",
    "tor", "ul", "ver", "wen", "yar", "zed", "an", "bri", "cor", "dé", "fjø", "gü", "ñe",
];

/// The vocabulary titles are made of: pronounceable words, a few with diacritics.
fn vocabulary(rng: &mut fastrand::Rng, size: usize) -> Vec<String> {
    (0..size)
        .map(|_| {
            let syllables = rng.usize(2..=4);
            (0..syllables)
                .map(|_| SYLLABLES[rng.usize(..SYLLABLES.len())])
                .collect::<String>()
        })
        .collect()
}

/// Zipf: the rank-th most popular thing has popularity proportional to 1 / rank.
fn zipf_popularity(rank: usize) -> f64 {
    10_000.0 / (rank as f64 + 1.0)
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

pub fn catalog(titles: usize) -> Vec<SearchEntry> {
    let mut rng = fastrand::Rng::with_seed(1927);
    let words = vocabulary(&mut rng, 20_000);
    // Common words recur in titles the way "love", "night" and "man" do.
    let word = |rng: &mut fastrand::Rng| -> String {
        let i = (rng.f64().powi(3) * words.len() as f64) as usize;
        capitalised(&words[i.min(words.len() - 1)])
    };
    let mut entries = Vec::with_capacity(titles + titles / 2);
    for i in 0..titles {
        let length = rng.usize(1..=4);
        let name = (0..length)
            .map(|_| word(&mut rng))
            .collect::<Vec<_>>()
            .join(" ");
        entries.push(SearchEntry {
            kind: EntityKind::Film,
            id: format!("tt{:08}", i),
            name,
            other_names: Vec::new(),
            year: Some(rng.i32(1900..=2025)),
            genres: vec!["Drama".into()],
            characters: Vec::new(),
            popularity: zipf_popularity(rng.usize(..titles)),
            known_for: None,
        });
    }
    for i in 0..titles / 2 {
        let name = format!("{} {}", word(&mut rng), word(&mut rng));
        entries.push(SearchEntry {
            kind: EntityKind::Person,
            id: format!("nm{:08}", i),
            name,
            other_names: Vec::new(),
            year: None,
            genres: Vec::new(),
            characters: Vec::new(),
            popularity: zipf_popularity(rng.usize(..titles)),
            known_for: None,
        });
    }
    entries
}

/// A query of the mixed set, and the name it is looking for.
#[derive(Debug)]
pub struct Probe {
    pub text: String,
    pub kind: &'static str,
    /// The lowercased name a good engine answers first (`None` for one-word queries, which many
    /// names answer).
    pub target: Option<String>,
}

/// A mixed query set drawn from the catalog: exact names, typos, prefixes, a year, one word.
pub fn queries(entries: &[SearchEntry], count: usize) -> Vec<Probe> {
    let mut rng = fastrand::Rng::with_seed(2025);
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let entry = &entries[rng.usize(..entries.len())];
        let name = entry.name.to_lowercase();
        let target = Some(name.clone());
        let (text, kind, target) = match out.len() % 10 {
            0..=3 => (name.clone(), "exact name", target),
            4 | 5 => {
                // One letter dropped from the middle of the longest word.
                let longest = name
                    .split(' ')
                    .max_by_key(|w| w.len())
                    .unwrap_or(&name)
                    .to_string();
                let mut chars: Vec<char> = longest.chars().collect();
                if chars.len() > 4 {
                    chars.remove(chars.len() / 2);
                }
                (
                    name.replacen(&longest, &chars.iter().collect::<String>(), 1),
                    "typo",
                    target,
                )
            }
            6 | 7 => {
                let cut = name
                    .char_indices()
                    .nth(name.chars().count() * 2 / 3)
                    .map_or(name.len(), |(i, _)| i);
                (name[..cut].to_string(), "prefix", target)
            }
            8 => match entry.year {
                Some(year) => (format!("{name} {year}"), "name + year", target),
                None => (name.clone(), "exact name", target),
            },
            _ => (
                name.split(' ').next().unwrap_or(&name).to_string(),
                "one word",
                None,
            ),
        };
        if !text.trim().is_empty() {
            out.push(Probe { text, kind, target });
        }
    }
    out
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

pub fn ms(d: Duration) -> String {
    format!("{:.3}", d.as_secs_f64() * 1000.0)
}
