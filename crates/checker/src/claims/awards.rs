//! Claims about awards: counts of wins and nominations, wins in a category, records, and
//! the dates awards were won on. The counting rules are the catalog's
//! ([`NominationCounting`]); the evidence lists the rows that were counted.

use std::ops::Range;

use chrono::Datelike;
use kinograph_catalog::{AwardRecord, NominationCounting, NominationView, RecordKind};
use regex::Captures;

use kinograph_catalog::ordinal;

use super::context::{Context, Named, nomination_evidence};
use super::numbers;
use super::{Claim, ClaimKind, Evidence, Verdict};
use crate::facts::CatalogError;
use crate::names::MentionKind;

/// The award body whose data the catalog holds; the only one records are computed for.
const BODY: &str = "oscars";

const FILM_OR_PERSON: &[MentionKind] = &[MentionKind::Film, MentionKind::Person];

/// Whose awards a count is of.
#[derive(Debug, Clone, Copy)]
enum Holder<'m> {
    Film(Named<'m>),
    Person(Named<'m>),
    /// A person's awards for one film: rows naming both.
    PersonForFilm(Named<'m>, Named<'m>),
    /// A person's awards at the ceremony a film competed at ("that night").
    PersonAtCeremonyOf(Named<'m>, Named<'m>),
}

impl Holder<'_> {
    fn subject(&self) -> Named<'_> {
        match *self {
            Holder::Film(f) => f,
            Holder::Person(p) | Holder::PersonForFilm(p, _) | Holder::PersonAtCeremonyOf(p, _) => p,
        }
    }

    fn describe(&self) -> String {
        match self {
            Holder::Film(f) => f.name.to_string(),
            Holder::Person(p) => p.name.to_string(),
            Holder::PersonForFilm(p, f) => format!("{} for {}", p.name, f.name),
            Holder::PersonAtCeremonyOf(p, f) => {
                format!("{} at the ceremony {} competed at", p.name, f.name)
            }
        }
    }
}

/// A comparison written before a count.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Comparison {
    Exactly,
    MoreThan,
    AtLeast,
    FewerThan,
    About,
}

impl Comparison {
    fn of(caps: &Captures<'_>) -> Comparison {
        let Some(q) = caps.name("q") else {
            return Comparison::Exactly;
        };
        let q = q.as_str().to_lowercase();
        match q.split_whitespace().next().unwrap_or("") {
            "more" | "over" => Comparison::MoreThan,
            "at" => Comparison::AtLeast,
            "fewer" | "less" | "under" => Comparison::FewerThan,
            _ => Comparison::About,
        }
    }

    fn holds(self, claimed: u64, actual: u64) -> bool {
        match self {
            Comparison::Exactly => claimed == actual,
            Comparison::MoreThan => actual > claimed,
            Comparison::AtLeast => actual >= claimed,
            Comparison::FewerThan => actual < claimed,
            Comparison::About => actual.abs_diff(claimed) <= 1,
        }
    }
}

/// The nomination rows a holder's counts are made of.
fn rows_of(
    cx: &Context<'_>,
    holder: &Holder<'_>,
) -> Result<Option<Vec<NominationView>>, CatalogError> {
    Ok(match holder {
        Holder::Film(film) => cx.lookup.film(film.id)?.map(|f| f.nominations.clone()),
        Holder::Person(person) => cx.lookup.person(person.id)?.map(|p| p.nominations.clone()),
        Holder::PersonAtCeremonyOf(person, film) => {
            let ceremonies: Vec<u32> = cx
                .lookup
                .film(film.id)?
                .map(|f| f.nominations.iter().map(|n| n.ceremony).collect())
                .unwrap_or_default();
            cx.lookup.person(person.id)?.map(|p| {
                p.nominations
                    .iter()
                    .filter(|n| ceremonies.contains(&n.ceremony))
                    .cloned()
                    .collect()
            })
        }
        Holder::PersonForFilm(person, film) => cx.lookup.person(person.id)?.map(|p| {
            p.nominations
                .iter()
                .filter(|n| n.films.iter().any(|f| f.id.as_deref() == Some(film.id)))
                .cloned()
                .collect()
        }),
    })
}

fn counted(rows: &[NominationView], wins: bool) -> Vec<&NominationView> {
    rows.iter()
        .filter(|n| {
            if wins {
                n.counting.counts_as_win
            } else {
                n.counting.counts_as_nomination
            }
        })
        .collect()
}

/// The holder of a count at `range`: the film or person before it, made a person's count for
/// one film when "for <film>" follows.
fn holder<'m>(
    cx: &Context<'m>,
    sentence: &Range<usize>,
    range: &Range<usize>,
) -> Option<Holder<'m>> {
    let subject = cx
        .subject(sentence, range.start, FILM_OR_PERSON)
        .or_else(|| cx.bare_subject(sentence, range.start))?;
    if subject.mention.kind == MentionKind::Film {
        return Some(Holder::Film(subject));
    }
    if let Some(film) = film_after(cx, sentence, range.end) {
        return Some(Holder::PersonForFilm(subject, film));
    }
    // "nominated four times for Roma alone, won two of them": the film "them" were for.
    let said = cx.text(range.clone()).to_lowercase();
    if said.contains("of them") || said.contains("of those") {
        let earlier_film = cx
            .named_in(sentence.start..range.start, &[MentionKind::Film])
            .into_iter()
            .rfind(|f| {
                cx.text(sentence.start..f.mention.start)
                    .trim_end()
                    .to_lowercase()
                    .ends_with("for")
            });
        if let Some(film) = earlier_film {
            return Some(Holder::PersonForFilm(subject, film));
        }
    }
    Some(Holder::Person(subject))
}

/// The film named right after `at` as "for <film>" (or "for it", "for the film": the film
/// they point back to), past an "each" or "apiece".
fn film_after<'m>(cx: &Context<'m>, sentence: &Range<usize>, at: usize) -> Option<Named<'m>> {
    let after = cx.text(at..sentence.end);
    // ASCII lowering keeps byte offsets: full lowering changes some letters' lengths ("Ⱥ").
    let lower = after.to_ascii_lowercase();
    let mut rest = lower.trim_start();
    for skip in ["apiece ", "each ", "in all ", "total "] {
        rest = rest.strip_prefix(skip).unwrap_or(rest);
    }
    let for_len = ["for ", "with ", "from "]
        .iter()
        .find(|w| rest.starts_with(*w))
        .map(|w| w.len())?;
    let at_film = at + (after.len() - rest.len()) + for_len;
    if let Some(film) = cx.named_at(at_film, &[MentionKind::Film]) {
        return Some(film);
    }
    let pointer = rest.get(for_len..).unwrap_or("");
    let points_back = ["it", "the film", "this film", "the movie", "that film"]
        .iter()
        .any(|p| {
            pointer.starts_with(p) && !pointer[p.len()..].starts_with(|c: char| c.is_alphanumeric())
        });
    if !points_back {
        return None;
    }
    cx.antecedent(sentence, sentence.end, &[MentionKind::Film])
        .or_else(|| cx.main_subject(sentence, &[MentionKind::Film]))
}

/// Verifies "won/nominated N" for `holder`.
fn verify_count(
    cx: &Context<'_>,
    holder: &Holder<'_>,
    claimed: u64,
    comparison: Comparison,
    wins: bool,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let what = if wins { "wins" } else { "nominations" };
    let Some(rows) = rows_of(cx, holder)? else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    let counted = counted(&rows, wins);
    let actual = counted.len() as u64;
    if actual == 0 && rows.is_empty() {
        return Ok((
            Verdict::Unverifiable,
            vec![Evidence::new(
                format!(
                    "the catalog holds no award nominations for {}",
                    holder.describe()
                ),
                "catalog",
            )],
        ));
    }
    let verdict = if comparison.holds(claimed, actual) {
        Verdict::Supported
    } else {
        Verdict::Contradicted
    };
    let mut evidence = vec![Evidence::new(
        format!("{}: {actual} {what} counted", holder.describe()),
        format!("counting rule: {}", NominationCounting::RULE),
    )];
    evidence.extend(counted.iter().map(|n| nomination_evidence(n)));
    Ok((verdict, evidence))
}

fn count_claim(
    cx: &Context<'_>,
    found: &mut Vec<Claim>,
    range: Range<usize>,
    claimed: u64,
    comparison: Comparison,
    wins: bool,
) -> Result<(), CatalogError> {
    if Context::claimed(found, &range, &[ClaimKind::AwardCount])
        || cx
            .record_phrases
            .iter()
            .any(|r| r.start < range.end && range.start < r.end)
    {
        return Ok(());
    }
    let sentence = cx.sentence_at(range.start);
    let Some(holder) = holder(cx, &sentence, &range) else {
        return Ok(());
    };
    let subject = holder.subject();
    // "Good Will Hunting and L.A. Confidential won two each": every one of the list holds it.
    let between = if subject.mention.end <= range.start && subject.mention.start >= sentence.start {
        cx.text(subject.mention.end..range.start).to_lowercase()
    } else {
        String::new()
    };
    let distributive = cx.patterns.each.is_match(cx.text(range.end..sentence.end))
        || cx.text(range.clone()).to_lowercase().ends_with("each")
        || cx.text(range.clone()).to_lowercase().ends_with("apiece")
        || between
            .split_whitespace()
            .any(|w| w == "each" || w == "both");
    let mut holders: Vec<Holder<'_>> = if distributive {
        cx.named_in(sentence.start..range.start, &[subject.mention.kind])
            .into_iter()
            .map(|n| match holder {
                Holder::Film(_) => Holder::Film(n),
                Holder::PersonForFilm(_, film) => Holder::PersonForFilm(n, film),
                _ => Holder::Person(n),
            })
            .collect()
    } else {
        vec![holder]
    };
    if holders.is_empty() {
        holders.push(holder);
    }
    // "that night": one ceremony's count, the ceremony of the film the essay is on about.
    let one_night = {
        let text = cx.text(sentence.clone()).to_lowercase();
        [
            "that night",
            "that evening",
            "on the night",
            "in one night",
            "in a single night",
            "that year",
            "at the ceremony",
        ]
        .iter()
        .any(|w| text.contains(w))
    };
    let holders: Vec<Holder<'_>> = if one_night {
        holders
            .into_iter()
            .map(|h| match h {
                Holder::Person(person) => cx
                    .antecedent(&sentence, sentence.end, &[MentionKind::Film])
                    .or_else(|| cx.named_in(0..sentence.start, &[MentionKind::Film]).pop())
                    .map_or(h, |film| Holder::PersonAtCeremonyOf(person, film)),
                other => other,
            })
            .collect()
    } else {
        holders
    };
    let mut verdict = Verdict::Supported;
    let mut evidence = Vec::new();
    for each in &holders {
        let (v, mut e) = verify_count(cx, each, claimed, comparison, wins)?;
        verdict = match (verdict, v) {
            (Verdict::Contradicted, _) | (_, Verdict::Contradicted) => Verdict::Contradicted,
            (Verdict::Unverifiable, _) | (_, Verdict::Unverifiable) => Verdict::Unverifiable,
            _ => Verdict::Supported,
        };
        evidence.append(&mut e);
    }
    let first = holders.first().map(|h| h.subject()).unwrap_or(subject);
    found.push(cx.claim(
        range,
        Some(&first),
        ClaimKind::AwardCount,
        verdict,
        evidence,
    ));
    Ok(())
}

/// Whether a verb of [`WIN_VERBS`](super::patterns) means winning rather than having.
fn is_winning(verb: &str) -> bool {
    let verb = verb.to_lowercase();
    [
        "won",
        "win",
        "took home",
        "take home",
        "swept",
        "sweep",
        "scoop",
        "walked",
        "went home",
        "came out",
        "came away",
    ]
    .iter()
    .any(|w| verb.starts_with(w))
}

/// Whether the last award noun before `at` in its sentence is "nominations" (else wins).
fn last_award_noun_is_nominations(cx: &Context<'_>, at: usize) -> bool {
    let sentence = cx.sentence_at(at);
    // This sentence, or failing an award noun in it, the few sentences before ("Roma and The
    // Favourite led with ten nominations apiece. Green Book … had five apiece").
    let previous = cx
        .sentences
        .iter()
        .filter(|s| s.end <= sentence.start)
        .rev()
        .nth(6)
        .map_or(sentence.start, |s| s.start);
    let own = cx.text(sentence.start..at).to_lowercase();
    let has_noun = [
        "nominat", " nods", "oscar", "award", "statue", "trophies", "prize", " win",
    ]
    .iter()
    .any(|w| own.contains(w));
    let before = if has_noun {
        own
    } else {
        cx.text(previous..at).to_lowercase()
    };
    let nomination = before.rfind("nominat").or(before.rfind(" nods"));
    let win = [
        "oscar", "award", "statue", "win", "won", "trophies", "prize",
    ]
    .iter()
    .filter_map(|w| before.rfind(w))
    .max();
    match (nomination, win) {
        (Some(n), Some(w)) => n > w,
        (Some(_), None) => true,
        _ => false,
    }
}

fn counts_nominations(what: &str) -> bool {
    let what = what.to_lowercase();
    what.contains("nomination") || what.contains("nod") || what.contains("categor")
}

/// `award_count`: "won four Oscars", "nominated for six Academy Awards", "won 11 of its 14
/// nominations", "14 nominations".
pub(super) fn counts(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let p = cx.patterns;
    for caps in p.wins_of_nominations.captures_iter(cx.essay) {
        let (Some(all), Some(w), Some(n)) = (caps.get(0), caps.name("w"), caps.name("n")) else {
            continue;
        };
        let (Some(wins), Some(noms)) = (numbers::count(w.as_str()), numbers::count(n.as_str()))
        else {
            continue;
        };
        count_claim(cx, found, all.range(), wins, Comparison::Exactly, true)?;
        // The nominations half is a claim of its own; it shares the subject.
        let range = n.start()..all.end();
        if !Context::claimed(found, &range, &[ClaimKind::Record]) {
            let sentence = cx.sentence_at(range.start);
            if let Some(holder) = holder(cx, &sentence, &(all.start()..all.end())) {
                let (verdict, evidence) =
                    verify_count(cx, &holder, noms, Comparison::Exactly, false)?;
                found.push(cx.claim(range, None, ClaimKind::AwardCount, verdict, evidence));
            }
        }
    }
    let simple = [
        (&p.count_after_verb, None),
        (&p.count_of_them, None),
        (&p.bare_win, None),
        (&p.nominated_for_count, Some(false)),
        (&p.nominated_times, Some(false)),
    ];
    for (pattern, nominations_only) in simple {
        for caps in pattern.captures_iter(cx.essay) {
            let (Some(all), Some(n)) = (caps.get(0), caps.name("n").or(caps.name("once"))) else {
                continue;
            };
            let Some(claimed) = numbers::count(n.as_str()) else {
                continue;
            };
            let wins = match nominations_only {
                Some(w) => w,
                None => match caps.name("what") {
                    // "swept seven categories" won them; "was up in six categories" was not.
                    Some(what) if what.as_str().eq_ignore_ascii_case("categories") => {
                        is_winning(caps.name("verb").map_or("", |v| v.as_str()))
                    }
                    Some(what) => !counts_nominations(what.as_str()),
                    // "won two each" counts wins; "had three of them", what the sentence
                    // counted before.
                    None => {
                        is_winning(caps.name("verb").map_or("", |v| v.as_str()))
                            || !last_award_noun_is_nominations(cx, all.start())
                    }
                },
            };
            count_claim(cx, found, all.range(), claimed, Comparison::of(&caps), wins)?;
            // "nominated eight times without a win": the wins are a claim too.
            if let Some(without) = caps.name("without") {
                count_claim(cx, found, without.range(), 0, Comparison::Exactly, true)?;
            }
        }
    }
    for m in p.won_none.find_iter(cx.essay) {
        count_claim(cx, found, m.range(), 0, Comparison::Exactly, true)?;
    }
    for m in p.shut_out.find_iter(cx.essay) {
        count_claim(cx, found, m.range(), 0, Comparison::Exactly, true)?;
    }
    for caps in p.n_time.captures_iter(cx.essay) {
        let (Some(all), Some(n), Some(what)) = (caps.get(0), caps.name("n"), caps.name("what"))
        else {
            continue;
        };
        let Some(claimed) = numbers::count(n.as_str()) else {
            continue;
        };
        // "two-time Oscar winner Frances McDormand", or "McDormand, a two-time Oscar winner".
        let sentence = cx.sentence_at(all.start());
        let person = cx
            .named_at(all.end(), &[MentionKind::Person])
            .or_else(|| cx.subject(&sentence, all.start(), &[MentionKind::Person]));
        let Some(person) = person else { continue };
        let wins = what.as_str().eq_ignore_ascii_case("winner");
        let (verdict, evidence) = verify_count(
            cx,
            &Holder::Person(person),
            claimed,
            Comparison::Exactly,
            wins,
        )?;
        if !Context::claimed(found, &all.range(), &[ClaimKind::AwardCount]) {
            found.push(cx.claim(
                all.range(),
                Some(&person),
                ClaimKind::AwardCount,
                verdict,
                evidence,
            ));
        }
    }
    for caps in p.bare_count.captures_iter(cx.essay) {
        let (Some(all), Some(n), Some(what)) = (caps.get(0), caps.name("n"), caps.name("what"))
        else {
            continue;
        };
        let Some(claimed) = numbers::count(n.as_str()) else {
            continue;
        };
        // A bare "14 nominations" is about awards only in a sentence about them.
        let sentence = cx.sentence_at(all.start());
        let about_awards = what.as_str().to_lowercase().contains("oscar")
            || what.as_str().to_lowercase().contains("academy")
            || !cx
                .named_in(sentence.clone(), &[MentionKind::Award])
                .is_empty()
            || cx.patterns.award_words.is_match(cx.text(sentence.clone()));
        if !about_awards {
            continue;
        }
        let wins = !counts_nominations(what.as_str());
        count_claim(cx, found, all.range(), claimed, Comparison::of(&caps), wins)?;
    }
    Ok(())
}

/// `record`: "the first person to win four Oscars for a single film", "the most Oscars won
/// by a film", "a record-tying 11 Oscars", and records the catalog cannot decide ("the
/// first … to …"), which are `unverifiable`.
pub(super) fn records(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let p = cx.patterns;
    for caps in p.first_to_win_for_one_film.captures_iter(cx.essay) {
        let (Some(all), Some(n)) = (caps.get(0), caps.name("n")) else {
            continue;
        };
        let Some(claimed) = numbers::count(n.as_str()) else {
            continue;
        };
        let sentence = cx.sentence_at(all.start());
        let subject = cx.subject(&sentence, all.start(), &[MentionKind::Person]);
        let (verdict, evidence) = match &subject {
            Some(person) => first_to_win_for_one_film(cx, person, claimed)?,
            None => (Verdict::Unverifiable, Vec::new()),
        };
        found.push(cx.claim(
            all.range(),
            subject.as_ref(),
            ClaimKind::Record,
            verdict,
            evidence,
        ));
    }
    for caps in p.record_count.captures_iter(cx.essay) {
        let (Some(all), Some(n), Some(what)) = (caps.get(0), caps.name("n"), caps.name("what"))
        else {
            continue;
        };
        if Context::claimed(found, &all.range(), &[ClaimKind::Record]) {
            continue;
        }
        let Some(claimed) = numbers::count(n.as_str()) else {
            continue;
        };
        let sentence = cx.sentence_at(all.start());
        let Some(subject) = cx.subject(&sentence, all.start(), FILM_OR_PERSON) else {
            continue;
        };
        let nominations = counts_nominations(what.as_str());
        let (verdict, evidence) = holds_record(cx, &subject, nominations, Some(claimed))?;
        found.push(cx.claim(
            all.range(),
            Some(&subject),
            ClaimKind::Record,
            verdict,
            evidence,
        ));
    }
    for caps in p.most.captures_iter(cx.essay) {
        let Some(all) = caps.get(0) else { continue };
        let Some(what) = caps.name("what").or(caps.name("verb")) else {
            continue;
        };
        // Only "the most …" as a record, not "most nominations went to …".
        let before = cx
            .text(cx.sentence_at(all.start()).start..what.start())
            .to_lowercase();
        if !(before.contains("record") || before.contains("the most") || before.contains("ever")) {
            continue;
        }
        // The claim opens at the verb that ties or shares the record, when there is one
        // ("tying the record for the most …"), else at "the most".
        let sentence_from = cx.sentence_at(all.start()).start;
        let window_from = cx
            .essay
            .floor_char_boundary(all.start().saturating_sub(40).max(sentence_from));
        // Positions in `window` are the essay's, so lower it without changing lengths.
        let window = cx.text(window_from..all.start()).to_ascii_lowercase();
        let tie = [
            "tied", "tying", "ties", "equal", "matched", "matching", "shar",
        ]
        .iter()
        .filter_map(|w| window.rfind(w))
        .min();
        let from = match tie {
            Some(at) => window_from + at,
            None if window.ends_with("the ") => all.start() - "the ".len(),
            None => all.start(),
        };
        let range = from..all.end();
        if Context::claimed(found, &range, &[ClaimKind::Record]) {
            continue;
        }
        let sentence = cx.sentence_at(all.start());
        let subject = cx
            .subject(&sentence, from, FILM_OR_PERSON)
            .or_else(|| cx.bare_subject(&sentence, from));
        let Some(subject) = subject else {
            continue;
        };
        let nominations = if caps.name("what").is_some() {
            counts_nominations(what.as_str())
        } else if what.as_str().eq_ignore_ascii_case("won") {
            false
        } else {
            last_award_noun_is_nominations(cx, all.start())
        };
        let (verdict, evidence) = holds_record(cx, &subject, nominations, None)?;
        found.push(cx.claim(range, Some(&subject), ClaimKind::Record, verdict, evidence));
    }
    for caps in p.record_of.captures_iter(cx.essay) {
        let (Some(all), Some(n)) = (caps.get(0), caps.name("n")) else {
            continue;
        };
        if Context::claimed(found, &all.range(), &[ClaimKind::Record]) {
            continue;
        }
        let Some(claimed) = numbers::count(n.as_str()) else {
            continue;
        };
        let nominations = match caps.name("what") {
            Some(what) => counts_nominations(what.as_str()),
            None => last_award_noun_is_nominations(cx, all.start()),
        };
        let sentence = cx.sentence_at(all.start());
        // The holders are the films the sentence names ("… that Ben-Hur, Titanic and The
        // Return of the King share").
        let films = cx.named_in(sentence.clone(), &[MentionKind::Film]);
        let (verdict, evidence) = record_count_and_holders(cx, &films, nominations, claimed)?;
        found.push(cx.claim(all.range(), None, ClaimKind::Record, verdict, evidence));
    }
    for m in p.first_or_only.find_iter(cx.essay) {
        let sentence = cx.sentence_at(m.start());
        let range = m.start()..sentence.end;
        if Context::claimed(found, &range, &[ClaimKind::Record]) {
            continue;
        }
        // To the end of its clause.
        let rest = cx.text(m.end()..sentence.end);
        let clause_end = [",", ";", " — ", " – ", "."]
            .iter()
            .filter_map(|sep| rest.find(sep))
            .min()
            .map_or(sentence.end, |i| m.end() + i);
        let range = m.start()..clause_end;
        let subject = cx.subject(&sentence, m.start(), FILM_OR_PERSON);
        found.push(cx.claim(
            range,
            subject.as_ref(),
            ClaimKind::Record,
            Verdict::Unverifiable,
            vec![Evidence::new(
                "the catalog holds no fact that decides this record",
                "catalog",
            )],
        ));
    }
    Ok(())
}

/// Most wins by one person for a single film: the person holds at least `claimed` for one
/// film, and nobody reached `claimed` for one film at an earlier ceremony.
fn first_to_win_for_one_film(
    cx: &Context<'_>,
    person: &Named<'_>,
    claimed: u64,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    // Deep enough to hold everyone with `claimed` or more, and the best below them.
    let mut depth = 1;
    let table = loop {
        let table = cx
            .lookup
            .award_records(BODY, RecordKind::PersonWinsForOneFilm, depth)?;
        let lowest = table.iter().map(|r| u64::from(r.count)).min();
        if lowest.is_none_or(|c| c < claimed) || depth >= 8 {
            break table;
        }
        depth += 1;
    };
    if table.is_empty() {
        // No wins at all: a catalog without this body's results, not a person without wins.
        return Ok((
            Verdict::Unverifiable,
            vec![Evidence::new(
                "the catalog holds no Academy Awards wins to rank".to_string(),
                "catalog",
            )],
        ));
    }
    let reached: Vec<_> = table
        .iter()
        .filter(|r| u64::from(r.count) >= claimed)
        .collect();
    let first_ceremony = |r: &kinograph_catalog::AwardRecord| {
        r.evidence
            .iter()
            .map(|n| n.ceremony)
            .max()
            .unwrap_or(u32::MAX)
    };
    let own: Vec<_> = reached
        .iter()
        .filter(|r| r.holder.id.as_deref() == Some(person.id))
        .collect();
    let mut evidence = Vec::new();
    let verdict = match own.iter().map(|r| first_ceremony(r)).min() {
        None => {
            let best = table
                .iter()
                .filter(|r| r.holder.id.as_deref() == Some(person.id))
                .map(|r| r.count)
                .max();
            evidence.push(Evidence::new(
                match best {
                    Some(b) => format!("{} won at most {b} for one film", person.name),
                    None => format!("{} won fewer than {claimed} for any one film", person.name),
                },
                format!("counting rule: {}", NominationCounting::RULE),
            ));
            Verdict::Contradicted
        }
        Some(when) => {
            let mut earlier: Vec<_> = reached
                .iter()
                .filter(|r| first_ceremony(r) < when)
                .collect();
            earlier.sort_by_key(|r| first_ceremony(r));
            // The person's own rows, and the first few who got there before them.
            const SHOWN: usize = 3;
            for record in own.iter().chain(earlier.iter().take(SHOWN)) {
                evidence.push(Evidence::new(
                    format!(
                        "{} won {} for {} ({} ceremony)",
                        record.holder.name,
                        record.count,
                        record.film.as_ref().map_or("one film", |f| f.name.as_str()),
                        ordinal(first_ceremony(record))
                    ),
                    format!("counting rule: {}", NominationCounting::RULE),
                ));
                evidence.extend(record.evidence.iter().map(nomination_evidence));
            }
            if earlier.len() > SHOWN {
                evidence.push(Evidence::new(
                    format!(
                        "and {} more won {claimed} or more for one film before",
                        earlier.len() - SHOWN
                    ),
                    "award records",
                ));
            }
            if earlier.is_empty() {
                let next_best = table
                    .iter()
                    .filter(|r| u64::from(r.count) < claimed)
                    .map(|r| r.count)
                    .max();
                if let Some(next) = next_best {
                    evidence.push(Evidence::new(
                        format!("before that, nobody had won more than {next} for one film"),
                        "award records",
                    ));
                }
                Verdict::Supported
            } else {
                Verdict::Contradicted
            }
        }
    };
    Ok((verdict, evidence))
}

/// Who holds a record table's first place, as evidence.
fn leader_evidence(leaders: &[&AwardRecord], kind: RecordKind) -> Vec<Evidence> {
    leaders
        .iter()
        .map(|r| {
            Evidence::new(
                format!(
                    "{}: {} {}",
                    r.holder.name,
                    r.count,
                    kind.title().to_lowercase()
                ),
                format!("award records, counting rule: {}", NominationCounting::RULE),
            )
        })
        .collect()
}

/// A film record of `claimed`, held by `films` when the sentence names any.
fn record_count_and_holders(
    cx: &Context<'_>,
    films: &[Named<'_>],
    nominations: bool,
    claimed: u64,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let kind = if nominations {
        RecordKind::FilmNominations
    } else {
        RecordKind::FilmWins
    };
    let table = cx.lookup.award_records(BODY, kind, 1)?;
    let Some(top) = table.iter().map(|r| r.count).max() else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    let leaders: Vec<_> = table.iter().filter(|r| r.count == top).collect();
    let holders_right = films
        .iter()
        .all(|f| leaders.iter().any(|r| r.holder.id.as_deref() == Some(f.id)));
    let evidence = leader_evidence(&leaders, kind);
    let verdict = if u64::from(top) == claimed && holders_right {
        Verdict::Supported
    } else {
        Verdict::Contradicted
    };
    Ok((verdict, evidence))
}

/// Whether a film or person holds the record for wins (or nominations), optionally with
/// the count written.
fn holds_record(
    cx: &Context<'_>,
    subject: &Named<'_>,
    nominations: bool,
    claimed: Option<u64>,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let kind = match (subject.mention.kind == MentionKind::Film, nominations) {
        (true, false) => RecordKind::FilmWins,
        (true, true) => RecordKind::FilmNominations,
        (false, false) => RecordKind::PersonWins,
        (false, true) => RecordKind::PersonNominations,
    };
    let table = cx.lookup.award_records(BODY, kind, 1)?;
    let Some(top) = table.iter().map(|r| r.count).max() else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    let leaders: Vec<_> = table.iter().filter(|r| r.count == top).collect();
    let holds = leaders
        .iter()
        .any(|r| r.holder.id.as_deref() == Some(subject.id));
    let count_right = claimed.is_none_or(|c| c == u64::from(top));
    let mut evidence = leader_evidence(&leaders, kind);
    if let Some(own) = leaders
        .iter()
        .find(|r| r.holder.id.as_deref() == Some(subject.id))
    {
        evidence.extend(own.evidence.iter().map(nomination_evidence));
    }
    let verdict = if holds && count_right {
        Verdict::Supported
    } else {
        Verdict::Contradicted
    };
    Ok((verdict, evidence))
}

/// `award`: "won Best Picture", "won the Oscar for Best Director for Anora", "nominated for
/// Best Actress", "lost Best Picture"; several categories in a list share the verb.
pub(super) fn categories(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let categories: Vec<Named<'_>> = cx
        .named_in(0..cx.essay.len(), &[MentionKind::Award])
        .into_iter()
        .filter(|n| n.id.contains('/'))
        .collect();
    for (i, category) in categories.iter().enumerate() {
        let sentence = cx.sentence_at(category.mention.start);
        // "Best Picture winner Parasite", "Best Actress nominee Cate Blanchett".
        let after = cx.text(category.mention.end..sentence.end);
        if let Some(caps) = cx.patterns.category_holder.captures(after)
            && let Some(m) = caps.get(0)
            && let Some(holder) = cx.named_at(category.mention.end + m.end(), FILM_OR_PERSON)
        {
            let outcome = if caps.name("win").is_some() {
                Outcome::Won
            } else {
                Outcome::Nominated
            };
            let holds = if holder.mention.kind == MentionKind::Film {
                Holder::Film(holder)
            } else {
                Holder::Person(holder)
            };
            let (verdict, evidence) = verify_category(cx, &holds, category, outcome)?;
            let range = category.mention.start..holder.mention.end;
            found.push(cx.claim(range, None, ClaimKind::Award, verdict, evidence));
            continue;
        }
        // Walk back over a list of categories to the verb before the first.
        let mut head = category.mention.start;
        for previous in categories[..i].iter().rev() {
            let between = cx.text(previous.mention.end..head);
            if previous.mention.start >= sentence.start
                && cx.patterns.list_separator.is_match(between)
            {
                head = previous.mention.start;
            } else {
                break;
            }
        }
        let before = cx.text(sentence.start..head);
        // "brought Tim Robbins a statuette for …": the person after the verb.
        let brought = cx.patterns.brought_for.captures(before).and_then(|c| {
            let who = c.name("who")?;
            let person = cx
                .named_in(
                    sentence.start + who.start()..sentence.start + who.end(),
                    &[MentionKind::Person],
                )
                .pop()?;
            Some((sentence.start + c.get(0)?.start(), person))
        });
        let (verb_start, outcome, recipient) =
            match (cx.patterns.category_verb.captures(before), brought) {
                (_, Some((start, person))) => (start, Outcome::Won, Some(person)),
                (Some(caps), None) => {
                    let Some(verb) = caps.get(0) else { continue };
                    let said = caps.get(0).map_or("", |m| m.as_str()).to_lowercase();
                    let outcome = if said.contains("nod") || said.contains("nominat") {
                        Outcome::Nominated
                    } else if caps.name("win").is_some() {
                        Outcome::Won
                    } else if caps.name("lost").is_some() {
                        Outcome::Lost
                    } else if caps.name("incl").is_some() {
                        // "which won three, including …" / "nominated for six, including …"
                        let earlier = cx.text(sentence.start..sentence.start + verb.start());
                        if earlier.to_lowercase().contains("nominat") {
                            Outcome::Nominated
                        } else {
                            Outcome::Won
                        }
                    } else {
                        Outcome::Nominated
                    };
                    (sentence.start + verb.start(), outcome, None)
                }
                (None, None) => continue,
            };
        // "Best Supporting Actor for Bardem": the person after the category.
        let winner_after = cx
            .text(category.mention.end..sentence.end)
            .strip_prefix(" for ")
            .and_then(|_| {
                cx.named_at(category.mention.end + " for ".len(), &[MentionKind::Person])
            });
        // "The Academy nominated it for …": "it" after the verb.
        let verb_subject = cx
            .subject(&sentence, verb_start, FILM_OR_PERSON)
            .or_else(|| cx.antecedent(&sentence, category.mention.start, FILM_OR_PERSON));
        let Some(subject) = recipient.or(winner_after).or(verb_subject) else {
            continue;
        };
        let range = verb_start
            ..category
                .mention
                .end
                .max(winner_after.map_or(0, |w| w.mention.end));
        let holder = if subject.mention.kind == MentionKind::Film {
            Holder::Film(subject)
        } else {
            // A person's category for one film: "for it", "for Anora", or the film the
            // sentence is about ("No Country … won four: … Best Supporting Actor for Bardem").
            let film = film_after(cx, &sentence, category.mention.end).or(verb_subject
                .filter(|s| s.mention.kind == MentionKind::Film && winner_after.is_some()));
            match film {
                Some(film) => Holder::PersonForFilm(subject, film),
                None => Holder::Person(subject),
            }
        };
        let (verdict, evidence) = verify_category(cx, &holder, category, outcome)?;
        found.push(cx.claim(range, Some(&subject), ClaimKind::Award, verdict, evidence));
    }
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Outcome {
    Won,
    Lost,
    Nominated,
}

fn verify_category(
    cx: &Context<'_>,
    holder: &Holder<'_>,
    category: &Named<'_>,
    outcome: Outcome,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let canonical = category.id.split_once('/').map_or(category.id, |(_, c)| c);
    let Some(rows) = rows_of(cx, holder)? else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    if rows.is_empty() {
        return Ok((
            Verdict::Unverifiable,
            vec![Evidence::new(
                format!(
                    "the catalog holds no award nominations for {}",
                    holder.describe()
                ),
                "catalog",
            )],
        ));
    }
    let mut in_category: Vec<&NominationView> = rows
        .iter()
        .filter(|n| n.canonical_category == canonical)
        .collect();
    // The wins first: they decide a claim of winning.
    in_category.sort_by_key(|n| (!n.winner, n.ceremony));
    let won = in_category.iter().any(|n| n.winner);
    let holds = match outcome {
        Outcome::Won => won,
        // Lost once is enough: Cate Blanchett lost Best Actress in 2023, having won it in 2014.
        Outcome::Lost => in_category.iter().any(|n| !n.winner),
        Outcome::Nominated => !in_category.is_empty(),
    };
    let mut evidence: Vec<Evidence> = in_category.iter().map(|n| nomination_evidence(n)).collect();
    if in_category.is_empty() {
        evidence.push(Evidence::new(
            format!(
                "{} has {} nominations in the catalog, none in {canonical}",
                holder.describe(),
                rows.len()
            ),
            "catalog",
        ));
    }
    let verdict = if holds {
        Verdict::Supported
    } else {
        Verdict::Contradicted
    };
    Ok((verdict, evidence))
}

/// `date`: a date in a sentence about winning ("On March 2, Sean Baker made history …") is
/// the date of the ceremony at which the sentence's film or person won (or was nominated).
pub(super) fn dates(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    for caps in cx.patterns.date.captures_iter(cx.essay) {
        let Some(all) = caps.get(0) else { continue };
        let month_name = caps.name("month").or(caps.name("month2"));
        let day = caps.name("day").or(caps.name("day2"));
        let (Some(month_name), Some(day)) = (month_name, day) else {
            continue;
        };
        let Some(month) = numbers::month_number(month_name.as_str()) else {
            continue;
        };
        let Ok(day) = day.as_str().parse::<u32>() else {
            continue;
        };
        let year = caps
            .name("year")
            .or(caps.name("year2"))
            .and_then(|y| y.as_str().parse::<i32>().ok());
        let sentence = cx.sentence_at(all.start());
        let text = cx.text(sentence.clone());
        if !cx.patterns.award_words.is_match(text) {
            continue;
        }
        let lead_from = cx
            .essay
            .floor_char_boundary(all.start().saturating_sub(40).max(sentence.start));
        if cx
            .patterns
            .release_words
            .is_match(cx.text(lead_from..all.start()))
        {
            continue;
        }
        // Whose night it was: the first film or person of the sentence, or what "the film"
        // in it points back to.
        let subject = cx
            .named_in(sentence.clone(), FILM_OR_PERSON)
            .into_iter()
            .next()
            .or_else(|| cx.antecedent(&sentence, sentence.end, FILM_OR_PERSON));
        let Some(subject) = subject else {
            continue;
        };
        let holder = if subject.mention.kind == MentionKind::Film {
            Holder::Film(subject)
        } else {
            Holder::Person(subject)
        };
        let Some(rows) = rows_of(cx, &holder)? else {
            continue;
        };
        let wins = text.to_lowercase().contains("won") || text.to_lowercase().contains("win");
        // The ceremonies it won at ("won"), else those it was nominated at ("won neither").
        let mut ceremonies: Vec<u32> = counted(&rows, wins).iter().map(|n| n.ceremony).collect();
        if ceremonies.is_empty() {
            ceremonies = counted(&rows, false).iter().map(|n| n.ceremony).collect();
        }
        ceremonies.sort_unstable();
        ceremonies.dedup();
        let mut evidence = Vec::new();
        let mut matched = false;
        let mut dated = 0;
        for ordinal_number in &ceremonies {
            let Some(ceremony) = cx.lookup.catalog().ceremony(BODY, *ordinal_number)? else {
                continue;
            };
            let Some(date) = ceremony.date else { continue };
            if year.is_some_and(|y| y != date.year()) {
                continue;
            }
            dated += 1;
            let source = ceremony
                .date_source
                .as_ref()
                .map_or_else(|| "catalog".to_string(), |s| s.to_string());
            let hit = date.month() == month && date.day() == day;
            matched |= hit;
            evidence.push(Evidence::new(
                format!(
                    "the {} ceremony, where {} {}, was held on {}",
                    ordinal(*ordinal_number),
                    holder.describe(),
                    if wins { "won" } else { "was nominated" },
                    date.format("%B %-d, %Y")
                ),
                source,
            ));
        }
        let verdict = if matched {
            evidence.retain(|e| e.fact.contains(&format!("{} {day},", month_name.as_str())));
            Verdict::Supported
        } else if dated > 0 && dated <= 5 {
            Verdict::Contradicted
        } else {
            evidence.truncate(5);
            Verdict::Unverifiable
        };
        found.push(cx.claim(all.range(), None, ClaimKind::Date, verdict, evidence));
    }
    Ok(())
}
