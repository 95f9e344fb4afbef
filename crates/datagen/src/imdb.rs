//! What each row of the IMDb files holds, derived from (seed, index) alone: a title's basics,
//! its credits (principals and crew, which agree), its alternative titles and rating, and a
//! person's row. Nothing here remembers another row, so memory does not grow with the scale,
//! and any file can re-derive what another file says about a title.

use crate::rng::{Rng, Stream};
use crate::text::{self, Language};
use crate::{MEAN_AKAS_PER_TITLE, MEAN_PRINCIPALS_PER_TITLE};

/// A title type, with what goes with it.
#[derive(Debug)]
pub(crate) struct Kind {
    pub(crate) name: &'static str,
    /// Runtime range in minutes, and how often (per mille) it is known.
    runtime: Option<(u64, u64, u64)>,
    /// Runs over years (tvSeries, tvMiniSeries): it may have an end year.
    series: bool,
    /// Shown on TV: its cast often appear as themselves.
    television: bool,
    /// How often (per mille) a title of this type has a rating.
    rated: u64,
}

const fn kind(
    name: &'static str,
    runtime: Option<(u64, u64, u64)>,
    series: bool,
    television: bool,
    rated: u64,
) -> Kind {
    Kind {
        name,
        runtime,
        series,
        television,
        rated,
    }
}

/// The title types in roughly the proportions of the real `title.basics.tsv` (per mille).
pub(crate) static KINDS: [(Kind, u32); 10] = [
    (kind("tvEpisode", Some((5, 60, 350)), false, true, 300), 748),
    (kind("short", Some((1, 45, 800)), false, false, 400), 95),
    (kind("movie", Some((60, 180, 750)), false, false, 900), 70),
    (kind("video", Some((10, 120, 600)), false, false, 500), 30),
    (kind("tvSeries", Some((20, 60, 500)), true, true, 800), 25),
    (kind("tvMovie", Some((45, 120, 700)), false, true, 700), 15),
    (
        kind("tvMiniSeries", Some((40, 70, 500)), true, true, 800),
        6,
    ),
    (kind("tvSpecial", Some((30, 120, 500)), false, true, 500), 5),
    (kind("videoGame", None, false, false, 600), 4),
    (kind("tvShort", Some((1, 20, 600)), false, true, 300), 2),
];

/// Genres with their weights ("Short" and "Adult" come from the type and `isAdult`).
const GENRES: [(&str, u32); 26] = [
    ("Drama", 30),
    ("Comedy", 18),
    ("Documentary", 16),
    ("Action", 6),
    ("Thriller", 6),
    ("Horror", 5),
    ("Romance", 5),
    ("Talk-Show", 4),
    ("Crime", 4),
    ("Adventure", 3),
    ("Family", 3),
    ("Animation", 3),
    ("Reality-TV", 3),
    ("Biography", 2),
    ("Fantasy", 2),
    ("Mystery", 2),
    ("Sci-Fi", 2),
    ("History", 2),
    ("Music", 2),
    ("Sport", 2),
    ("News", 2),
    ("Musical", 1),
    ("War", 1),
    ("Western", 1),
    ("Game-Show", 1),
    ("Film-Noir", 1),
];

/// The type of title `index`: the first draw of its basics, so it can be had without the rest.
pub(crate) fn title_kind(seed: u64, index: u64) -> &'static Kind {
    draw_kind(&mut Rng::for_row(seed, Stream::Title, index))
}

fn draw_kind(rng: &mut Rng) -> &'static Kind {
    rng.weighted(&KINDS)
}

/// One row of `title.basics.tsv`. Its strings are reused from title to title.
#[derive(Debug)]
pub(crate) struct Title {
    pub(crate) kind: &'static Kind,
    pub(crate) language: &'static Language,
    pub(crate) primary: String,
    /// The original title; empty when it is the primary title.
    original: String,
    pub(crate) adult: bool,
    pub(crate) start_year: Option<u64>,
    pub(crate) end_year: Option<u64>,
    pub(crate) runtime: Option<u64>,
    /// Up to three genres, in alphabetical order as IMDb lists them.
    pub(crate) genres: Vec<&'static str>,
}

impl Default for Title {
    fn default() -> Self {
        Title {
            kind: &KINDS[0].0,
            language: text::english(),
            primary: String::new(),
            original: String::new(),
            adult: false,
            start_year: None,
            end_year: None,
            runtime: None,
            genres: Vec::with_capacity(4),
        }
    }
}

impl Title {
    pub(crate) fn original(&self) -> &str {
        if self.original.is_empty() {
            &self.primary
        } else {
            &self.original
        }
    }

    /// Makes this title `index` of `seed`.
    pub(crate) fn derive(&mut self, seed: u64, index: u64) {
        let rng = &mut Rng::for_row(seed, Stream::Title, index);
        self.kind = draw_kind(rng);
        self.language = rng.weighted(&text::LANGUAGES);
        self.primary.clear();
        self.original.clear();
        let episode = self.kind.name == "tvEpisode";
        let push_name = |rng: &mut Rng, language: &Language, out: &mut String| {
            if episode {
                text::push_episode_title(rng, language, out);
            } else {
                text::push_title(rng, language, out);
            }
        };
        push_name(rng, self.language, &mut self.primary);
        // IMDb's generated episode names ("Episode #1.839") are not translated.
        if !episode && !text::is_english(self.language) && rng.chance(300) {
            // Known by an English title, as "Back Home" is for "Powrót".
            std::mem::swap(&mut self.primary, &mut self.original);
            push_name(rng, text::english(), &mut self.primary);
        }
        self.adult = rng.chance(15);
        self.start_year = match rng.below(1000) {
            0..60 => None,
            60..70 => Some(rng.between(2026, 2030)),
            // Ever more titles each year: years back are exponential (median about 2013).
            _ => Some(2025 - ((-18.0 * (1.0 - rng.unit()).ln()) as u64).min(131)),
        };
        self.end_year = match self.start_year {
            Some(start) if self.kind.series && rng.chance(500) => {
                Some((start + rng.below(15)).min(2025).max(start))
            }
            _ => None,
        };
        self.runtime = match self.kind.runtime {
            Some((low, high, known)) if rng.chance(known) => Some(if rng.chance(1) {
                // The odd experimental film that runs for days.
                rng.between(600, 51_420)
            } else {
                rng.between(low, high)
            }),
            _ => None,
        };
        self.derive_genres(rng);
    }

    fn derive_genres(&mut self, rng: &mut Rng) {
        self.genres.clear();
        if rng.chance(100) {
            return;
        }
        if matches!(self.kind.name, "short" | "tvShort") && rng.chance(850) {
            self.genres.push("Short");
        }
        if self.adult {
            self.genres.push("Adult");
        }
        let wanted = rng.between(1, 3);
        while (self.genres.len() as u64) < wanted {
            let genre = *rng.weighted(&GENRES);
            if !self.genres.contains(&genre) {
                self.genres.push(genre);
            }
        }
        self.genres.sort_unstable();
    }
}

/// What a person mainly does; people are grouped by it, `PROFESSION_SLOTS` people in turn, so a
/// credit's person can be drawn among those of the right trade without a table of people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Profession {
    Actor,
    Actress,
    Director,
    Writer,
    Producer,
    Cinematographer,
    Composer,
    Editor,
}

impl Profession {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Profession::Actor => "actor",
            Profession::Actress => "actress",
            Profession::Director => "director",
            Profession::Writer => "writer",
            Profession::Producer => "producer",
            Profession::Cinematographer => "cinematographer",
            Profession::Composer => "composer",
            Profession::Editor => "editor",
        }
    }

    /// Person `index`'s main profession.
    pub(crate) fn of_person(index: u64) -> Profession {
        PROFESSION_SLOTS[(index % PROFESSION_SLOTS.len() as u64) as usize]
    }
}

/// Person `n`'s main profession is `PROFESSION_SLOTS[n % 16]`: half the people act.
const PROFESSION_SLOTS: [Profession; 16] = {
    use Profession::*;
    [
        Actor,
        Actress,
        Actor,
        Actress,
        Actor,
        Actress,
        Actor,
        Actress,
        Director,
        Director,
        Writer,
        Writer,
        Producer,
        Cinematographer,
        Composer,
        Editor,
    ]
};

/// A person of `profession` among `people`, the lowest indexes the busiest (as IMDb's lowest
/// `nm` numbers are its stars): a mix of a uniform draw and a log-uniform one (Zipf's law).
fn draw_person(rng: &mut Rng, profession: Profession, people: u64) -> u64 {
    let stride = PROFESSION_SLOTS.len() as u64;
    let slots = || {
        (0u64..)
            .zip(PROFESSION_SLOTS)
            .filter(move |(_, p)| *p == profession)
            .map(|(slot, _)| slot)
    };
    let count = slots().count() as u64;
    let slot = slots().nth(rng.below(count) as usize).unwrap_or(0);
    // How many people have this slot: slot, slot + 16, … below `people`.
    let in_slot = if people > slot {
        (people - slot - 1) / stride + 1
    } else {
        0
    };
    if in_slot == 0 {
        return rng.below(people);
    }
    let rank = if rng.chance(300) {
        ((in_slot as f64).powf(rng.unit()) as u64).saturating_sub(1)
    } else {
        rng.below(in_slot)
    };
    rank.min(in_slot - 1) * stride + slot
}

/// A credit's category in `title.principals.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Category {
    Actor,
    Actress,
    Themselves,
    ArchiveFootage,
    Director,
    Writer,
    Producer,
    Composer,
    Cinematographer,
    Editor,
    ProductionDesigner,
}

impl Category {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Category::Actor => "actor",
            Category::Actress => "actress",
            Category::Themselves => "self",
            Category::ArchiveFootage => "archive_footage",
            Category::Director => "director",
            Category::Writer => "writer",
            Category::Producer => "producer",
            Category::Composer => "composer",
            Category::Cinematographer => "cinematographer",
            Category::Editor => "editor",
            Category::ProductionDesigner => "production_designer",
        }
    }
}

/// The crew's categories after the cast, in the order IMDb bills them.
const CREW_ORDER: [Category; 9] = [
    Category::Director,
    Category::Writer,
    Category::Producer,
    Category::Composer,
    Category::Cinematographer,
    Category::Editor,
    Category::Writer,
    Category::Producer,
    Category::ProductionDesigner,
];

const WRITER_JOBS: [&str; 9] = [
    "screenplay",
    "written by",
    "story",
    "novel",
    "story & dialogue",
    "screenplay by",
    "dialogue",
    "based on the novel by",
    "Writer",
];

/// One row of `title.principals.tsv`.
#[derive(Debug, Clone)]
pub(crate) struct Principal {
    pub(crate) person: u64,
    pub(crate) category: Category,
    pub(crate) job: Option<&'static str>,
    /// Its `characters` JSON in `Credits::characters`, if any.
    pub(crate) characters: Option<std::ops::Range<usize>>,
}

/// A title's principals and crew (`title.crew`'s directors and writers are its principals'
/// directors and writers, plus writers IMDb lists without billing them).
#[derive(Debug, Default)]
pub(crate) struct Credits {
    pub(crate) principals: Vec<Principal>,
    characters: String,
    pub(crate) directors: Vec<u64>,
    pub(crate) writers: Vec<u64>,
}

impl Credits {
    pub(crate) fn characters(&self, principal: &Principal) -> Option<&str> {
        principal
            .characters
            .clone()
            .and_then(|range| self.characters.get(range))
    }

    /// Makes these the credits of title `index` (of type `kind`) among `people` people.
    pub(crate) fn derive(&mut self, seed: u64, index: u64, kind: &Kind, people: u64) {
        self.principals.clear();
        self.characters.clear();
        self.directors.clear();
        self.writers.clear();
        if people == 0 {
            return;
        }
        let rng = &mut Rng::for_row(seed, Stream::Credits, index);
        let count = rng.between(1, 2 * MEAN_PRINCIPALS_PER_TITLE - 1);
        let cast = (count * rng.between(4, 7)).div_ceil(10);
        for _ in 0..cast {
            self.push_cast(rng, kind, people);
        }
        for category in CREW_ORDER.iter().cycle().take((count - cast) as usize) {
            self.push_crew(rng, *category, people);
        }
        self.derive_crew(rng, people);
    }

    fn push_cast(&mut self, rng: &mut Rng, kind: &Kind, people: u64) {
        let category = match rng.below(100) {
            0..35 if kind.television => Category::Themselves,
            35..38 => Category::ArchiveFootage,
            n if n % 2 == 0 => Category::Actor,
            _ => Category::Actress,
        };
        let profession = match category {
            Category::Actress => Profession::Actress,
            Category::Actor => Profession::Actor,
            _ if rng.chance(500) => Profession::Actor,
            _ => Profession::Actress,
        };
        let person = draw_person(rng, profession, people);
        let has_characters = match category {
            Category::ArchiveFootage => rng.chance(500),
            _ => rng.chance(920),
        };
        let characters = has_characters.then(|| {
            let start = self.characters.len();
            let playing_self = category != Category::Actor && category != Category::Actress;
            text::push_characters(rng, playing_self, &mut self.characters);
            start..self.characters.len()
        });
        self.principals.push(Principal {
            person,
            category,
            job: None,
            characters,
        });
    }

    fn push_crew(&mut self, rng: &mut Rng, category: Category, people: u64) {
        let profession = match category {
            Category::Director => Profession::Director,
            Category::Writer => Profession::Writer,
            Category::Composer => Profession::Composer,
            Category::Cinematographer => Profession::Cinematographer,
            Category::Editor => Profession::Editor,
            _ => Profession::Producer,
        };
        let person = draw_person(rng, profession, people);
        let job = match category {
            Category::Director if rng.chance(30) => Some("co-director"),
            Category::Writer if rng.chance(500) => Some(rng.pick(&WRITER_JOBS)),
            Category::Producer => match rng.below(100) {
                0..60 => Some("producer"),
                60..85 => Some("executive producer"),
                85..95 => Some("line producer"),
                _ => None,
            },
            Category::Cinematographer if rng.chance(150) => Some("director of photography"),
            _ => None,
        };
        self.principals.push(Principal {
            person,
            category,
            job,
            characters: None,
        });
    }

    /// `title.crew`: the billed directors and writers, a director who also wrote, and writers
    /// who are not billed.
    fn derive_crew(&mut self, rng: &mut Rng, people: u64) {
        for principal in &self.principals {
            let list = match principal.category {
                Category::Director => &mut self.directors,
                Category::Writer => &mut self.writers,
                _ => continue,
            };
            if !list.contains(&principal.person) {
                list.push(principal.person);
            }
        }
        if self.directors.is_empty() && rng.chance(200) {
            self.directors
                .push(draw_person(rng, Profession::Director, people));
        }
        if let Some(director) = self.directors.first().copied()
            && rng.chance(300)
            && !self.writers.contains(&director)
        {
            self.writers.insert(0, director);
        }
        if rng.chance(400) {
            for _ in 0..rng.between(1, 3) {
                let writer = draw_person(rng, Profession::Writer, people);
                if !self.writers.contains(&writer) {
                    self.writers.push(writer);
                }
            }
        }
    }
}

/// The attributes of an alternative title (`\N` most of the time).
const AKA_ATTRIBUTES: [&str; 10] = [
    "literal title",
    "literal English title",
    "complete title",
    "alternative spelling",
    "short title",
    "new title",
    "original subtitled version",
    "reissue title",
    "promotional title",
    "transliterated title",
];

const AKA_TYPES: [(Option<&str>, u32); 8] = [
    (Some("imdbDisplay"), 50),
    (None, 25),
    (Some("alternative"), 8),
    (Some("working"), 5),
    (Some("festival"), 4),
    (Some("dvd"), 3),
    (Some("tv"), 3),
    (Some("video"), 2),
];

/// Types a title has as well as another (a working title shown at a festival).
const SECOND_AKA_TYPES: [&str; 3] = ["working", "festival", "alternative"];

/// One row of `title.akas.tsv` after the first (which is the original title).
#[derive(Debug, Default)]
pub(crate) struct Aka {
    pub(crate) title: String,
    pub(crate) region: &'static str,
    pub(crate) language: Option<&'static str>,
    /// One or two types; IMDb joins two with the control character 0x02, not a comma.
    pub(crate) types: [Option<&'static str>; 2],
    /// One or two attributes, joined as the types are.
    pub(crate) attributes: [Option<&'static str>; 2],
    /// `\N` in a few real rows, else 0.
    pub(crate) original_flag_known: bool,
}

/// How many alternative titles title `index` has besides its original (0 to 4), and the
/// generator that draws them.
pub(crate) fn akas_of(seed: u64, index: u64) -> (u64, Rng) {
    let mut rng = Rng::for_row(seed, Stream::Akas, index);
    let extra = rng.below(2 * MEAN_AKAS_PER_TITLE - 1);
    (extra, rng)
}

impl Aka {
    /// Makes this the next alternative title of `title`.
    pub(crate) fn derive(&mut self, rng: &mut Rng, title: &Title) {
        self.region = *rng.weighted(&text::AKA_REGIONS);
        let language = text::language_of_region(self.region);
        self.title.clear();
        match language {
            Some(language) if std::ptr::eq(language, title.language) => {
                self.title.push_str(title.original());
            }
            Some(language) if !text::is_english(language) && rng.chance(450) => {
                text::push_title(rng, language, &mut self.title);
            }
            _ => self.title.push_str(&title.primary),
        }
        self.language = match language {
            Some(language) if rng.chance(150) => Some(language.code),
            _ if self.region == "XWW" && rng.chance(500) => Some("en"),
            _ => None,
        };
        let first = *rng.weighted(&AKA_TYPES);
        let second = (first.is_some() && rng.chance(10)).then(|| rng.pick(&SECOND_AKA_TYPES));
        self.types = [first, second.filter(|second| Some(*second) != first)];
        let first = rng.chance(100).then(|| rng.pick(&AKA_ATTRIBUTES));
        let second = (first.is_some() && rng.chance(100)).then(|| rng.pick(&AKA_ATTRIBUTES));
        self.attributes = [first, second.filter(|second| Some(*second) != first)];
        self.original_flag_known = !rng.chance(5);
    }
}

/// Smallest number of votes a rated title has (IMDb publishes ratings from 5 votes).
const MIN_VOTES: f64 = 5.0;
/// The most votes any title has (about what the most-voted real title has).
const MAX_VOTES: u64 = 3_100_000;
/// The Pareto exponent of the votes: below 1, so a few titles hold much of all votes, as they
/// do on IMDb (a rank-size law of Zipf's kind).
const VOTES_EXPONENT: f64 = 0.8;

/// Title `index`'s rating as (tenths of a star from 10 to 100, votes), if it has one.
pub(crate) fn rating_of(seed: u64, index: u64) -> Option<(u64, u64)> {
    let kind = title_kind(seed, index);
    let rng = &mut Rng::for_row(seed, Stream::Rating, index);
    if !rng.chance(kind.rated) {
        return None;
    }
    let tail = 1.0 - rng.unit(); // in (0, 1]
    let mut votes = (MIN_VOTES * tail.powf(-1.0 / VOTES_EXPONENT)) as u64;
    if votes > MAX_VOTES {
        // Spread the few above the ceiling below it rather than stacking them on it.
        votes = MAX_VOTES - rng.below(MAX_VOTES / 2);
    }
    let spread: f64 = (0..4).map(|_| rng.unit()).sum::<f64>() - 2.0;
    let liked = if votes > 10_000 { 5.0 } else { 0.0 };
    let tenths = (69.0 + liked + spread * 22.0).round().clamp(10.0, 100.0) as u64;
    Some((tenths, votes))
}

const SIDE_PROFESSIONS: [&str; 16] = [
    "soundtrack",
    "producer",
    "writer",
    "director",
    "miscellaneous",
    "camera_department",
    "music_department",
    "editorial_department",
    "assistant_director",
    "stunts",
    "art_department",
    "sound_department",
    "production_manager",
    "visual_effects",
    "casting_department",
    "executive",
];

/// One row of `name.basics.tsv`.
#[derive(Debug, Default)]
pub(crate) struct Person {
    pub(crate) name: String,
    pub(crate) birth_year: Option<u64>,
    pub(crate) death_year: Option<u64>,
    /// Comma-joined; empty in a few real rows (empty, not `\N`).
    pub(crate) professions: String,
    pub(crate) known_for: Vec<u64>,
}

impl Person {
    /// Makes this person `index` of `seed`, known for titles among `titles`.
    pub(crate) fn derive(&mut self, seed: u64, index: u64, titles: u64) {
        let rng = &mut Rng::for_row(seed, Stream::Person, index);
        self.name.clear();
        text::push_person_name(rng, &mut self.name);
        self.birth_year = rng
            .chance(250)
            .then(|| 2010 - (160.0 * rng.unit().powi(2)) as u64);
        self.death_year = match self.birth_year {
            Some(born) if born < 1950 && rng.chance(600) => {
                Some((born + rng.between(30, 95)).min(2025))
            }
            None if rng.chance(30) => Some(rng.between(1900, 2025)),
            _ => None,
        };
        self.professions.clear();
        if !rng.chance(20) {
            self.professions
                .push_str(Profession::of_person(index).name());
            for _ in 0..rng.below(3) {
                let side = rng.pick(&SIDE_PROFESSIONS);
                if !self.professions.split(',').any(|p| p == side) {
                    self.professions.push(',');
                    self.professions.push_str(side);
                }
            }
        }
        self.known_for.clear();
        if titles > 0 && !rng.chance(150) {
            for _ in 0..rng.between(1, 4) {
                let title = rng.below(titles);
                if !self.known_for.contains(&title) {
                    self.known_for.push(title);
                }
            }
        }
    }
}
