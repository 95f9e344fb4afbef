//! Claims about a film's own facts: its year and its budget.

use std::ops::Range;

use kinograph_catalog::FilmDetails;

use super::context::{Context, Named};
use super::numbers;
use super::{Claim, ClaimKind, Evidence, Verdict};
use crate::facts::CatalogError;
use crate::names::MentionKind;

const FILM: &[MentionKind] = &[MentionKind::Film];

fn source_of(film: &FilmDetails, field: &str) -> String {
    film.film
        .sources
        .iter()
        .find(|(f, _)| f == field)
        .map_or_else(|| "catalog".to_string(), |(_, s)| s.to_string())
}

/// Verifies that `film` came out in `year`. The release year decides; a film the catalog
/// knows only from awards data has its award year, which agrees with a release year but can
/// only contradict one that is more than a year off.
fn verify_year(
    cx: &Context<'_>,
    film: &Named<'_>,
    year: i32,
) -> Result<(Verdict, Vec<Evidence>), CatalogError> {
    let Some(details) = cx.lookup.film(film.id)? else {
        return Ok((Verdict::Unverifiable, Vec::new()));
    };
    let f = &details.film;
    Ok(match (f.year, f.award_year) {
        (Some(released), _) => (
            if released == year {
                Verdict::Supported
            } else {
                Verdict::Contradicted
            },
            vec![Evidence::new(
                format!("{} was released in {released}", f.title),
                source_of(&details, "year"),
            )],
        ),
        (None, Some(award_year)) => {
            let source = details
                .nominations
                .first()
                .map_or_else(|| "awards data".to_string(), |n| n.source.to_string());
            // A film competes for the awards of the year it was first shown in qualifying
            // release, so it was out by then: a later year is wrong, the year before may be
            // a festival premiere.
            let verdict = if award_year == year {
                Verdict::Supported
            } else if award_year - year == 1 {
                Verdict::Unverifiable
            } else {
                Verdict::Contradicted
            };
            (
                verdict,
                vec![Evidence::new(
                    format!(
                        "{} competed for the awards of {award_year} (its release year is not in the catalog)",
                        f.title
                    ),
                    source,
                )],
            )
        }
        (None, None) => (
            Verdict::Unverifiable,
            vec![Evidence::new(
                format!("the catalog has no year for {}", f.title),
                "catalog",
            )],
        ),
    })
}

fn year_claim(
    cx: &Context<'_>,
    found: &mut Vec<Claim>,
    film: &Named<'_>,
    range: Range<usize>,
    year: &str,
) -> Result<(), CatalogError> {
    let Ok(year) = year.parse::<i32>() else {
        return Ok(());
    };
    if Context::claimed(found, &range, &[ClaimKind::Year]) {
        return Ok(());
    }
    let (verdict, evidence) = verify_year(cx, film, year)?;
    found.push(cx.claim(range, Some(film), ClaimKind::Year, verdict, evidence));
    Ok(())
}

/// `year`: "Starlet (2012)", "his 2017 film The Florida Project", "Moonlight, the 2016
/// drama", "Parasite was released in 2019".
pub(super) fn years(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let p = cx.patterns;
    for film in cx.named_in(0..cx.essay.len(), FILM) {
        let after = cx.text(film.mention.end..cx.essay.len());
        let after = &after[..after.floor_char_boundary(after.len().min(80))];
        if let Some(caps) = p.year_in_brackets.captures(after)
            && let (Some(all), Some(y)) = (caps.get(0), caps.name("y"))
        {
            let range = film.mention.start..film.mention.end + all.end();
            year_claim(cx, found, &film, range, y.as_str())?;
            continue;
        }
        if let Some(caps) = p.year_after_title.captures(after)
            && let (Some(all), Some(y)) = (caps.get(0), caps.name("y"))
        {
            let range = film.mention.start..film.mention.end + all.end();
            year_claim(cx, found, &film, range, y.as_str())?;
            continue;
        }
        let sentence = cx.sentence_at(film.mention.start);
        let before = cx.text(sentence.start..film.mention.start);
        let trimmed = before.trim_end_matches(['*', '_', '"', '“', '‘', '\'']);
        if let Some(caps) = p.year_before_title.captures(trimmed)
            && let (Some(all), Some(y)) = (caps.get(0), caps.name("y"))
        {
            let range = sentence.start + all.start()..film.mention.end;
            year_claim(cx, found, &film, range, y.as_str())?;
        }
    }
    for caps in p.year_of_release.captures_iter(cx.essay) {
        let (Some(all), Some(y)) = (
            caps.get(0),
            caps.name("y").or(caps.name("y2")).or(caps.name("y3")),
        ) else {
            continue;
        };
        // "the 2017 film The Florida Project" is the title's own claim.
        if cx.named_at(all.end(), FILM).is_some() {
            continue;
        }
        let sentence = cx.sentence_at(all.start());
        let film = cx
            .subject(&sentence, all.end(), FILM)
            .or_else(|| cx.antecedent(&sentence, sentence.end, FILM))
            .or_else(|| cx.bare_subject(&sentence, all.start()));
        let Some(film) = film else {
            continue;
        };
        year_claim(cx, found, &film, all.range(), y.as_str())?;
    }
    for caps in p.in_year_released.captures_iter(cx.essay) {
        let (Some(all), Some(y)) = (caps.get(0), caps.name("y")) else {
            continue;
        };
        let Some(film) = cx.named_at(all.end(), FILM) else {
            continue;
        };
        let range = all.start()..film.mention.end;
        year_claim(cx, found, &film, range, y.as_str())?;
    }
    for caps in p.released_in.captures_iter(cx.essay) {
        let (Some(all), Some(y)) = (caps.get(0), caps.name("y")) else {
            continue;
        };
        let sentence = cx.sentence_at(all.start());
        let Some(film) = cx.subject(&sentence, all.start(), FILM) else {
            continue;
        };
        year_claim(cx, found, &film, all.range(), y.as_str())?;
    }
    Ok(())
}

/// `budget`: a sum of money in a sentence that speaks of a budget or cost ("a budget of only
/// $6 million", "made for $100,000"), for the film nearest before it (or after it, or the
/// film "it" stands for).
pub(super) fn budgets(cx: &Context<'_>, found: &mut Vec<Claim>) -> Result<(), CatalogError> {
    let p = cx.patterns;
    for caps in p.money.captures_iter(cx.essay) {
        let Some(all) = caps.get(0) else { continue };
        let figure = caps.name("amount").or(caps.name("wamount"));
        let multiplier = caps.name("mult").or(caps.name("wmult")).map(|m| m.as_str());
        let Some(figure) = figure else { continue };
        let Some(money) = numbers::money(figure.as_str(), multiplier) else {
            continue;
        };
        let currency = match caps
            .name("cur")
            .map(|c| c.as_str())
            .or(caps.name("dollars").map(|d| d.as_str()))
            .map(str::to_lowercase)
            .as_deref()
        {
            Some("€") | Some("euros") => "EUR",
            Some("£") | Some("pounds") => "GBP",
            _ => "USD",
        };
        let sentence = cx.sentence_at(all.start());
        // The words of its own clause decide: "a budget of $6 million" but not "it grossed
        // $20 million on a small budget".
        let near_start = cx
            .essay
            .floor_char_boundary(all.start().saturating_sub(60).max(sentence.start));
        let near_end = cx
            .essay
            .ceil_char_boundary((all.end() + 20).min(sentence.end));
        let before = cx.text(near_start..all.start());
        let around = cx.text(near_start..near_end);
        if !p.budget_words.is_match(around) || p.takings_words.is_match(before) {
            continue;
        }
        let film = cx
            .named_in(sentence.start..all.start(), FILM)
            .pop()
            .or_else(|| {
                cx.named_in(all.end()..sentence.end, FILM)
                    .into_iter()
                    .next()
            })
            .or_else(|| cx.antecedent(&sentence, sentence.end, FILM));
        let Some(film) = film else { continue };
        let range = all.range();
        if Context::claimed(found, &range, &[ClaimKind::Budget]) {
            continue;
        }
        let Some(details) = cx.lookup.film(film.id)? else {
            continue;
        };
        let (verdict, evidence) = match &details.film.budget {
            Some(budget) if budget.value.currency == currency => {
                let agrees = money.agrees_with(budget.value.amount);
                let mut fact = format!("{}'s budget: {}", details.film.title, budget.value);
                if let Some(note) = &budget.value.note {
                    fact.push_str(&format!(" ({note})"));
                }
                (
                    if agrees {
                        Verdict::Supported
                    } else {
                        Verdict::Contradicted
                    },
                    vec![Evidence::new(fact, budget.source.to_string())],
                )
            }
            Some(budget) => (
                Verdict::Unverifiable,
                vec![Evidence::new(
                    format!(
                        "{}'s budget is recorded in another currency: {}",
                        details.film.title, budget.value
                    ),
                    budget.source.to_string(),
                )],
            ),
            None => (
                Verdict::Unverifiable,
                vec![Evidence::new(
                    format!("the catalog has no budget for {}", details.film.title),
                    "catalog",
                )],
            ),
        };
        let claim_start =
            if film.mention.start >= sentence.start && film.mention.start < range.start {
                Some(&film)
            } else {
                None
            };
        found.push(cx.claim(range, claim_start, ClaimKind::Budget, verdict, evidence));
    }
    Ok(())
}
