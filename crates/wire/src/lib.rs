//! Kinograph's JSON wire types: the shapes programs see from `kinograph … --json` and from the
//! HTTP API. Domain types stay free of serde; this crate maps them to JSON, so a
//! change of wire shape is a change here and nowhere else.

pub mod diary;

use std::collections::BTreeMap;

use kinograph_catalog as catalog;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Source {
    pub dataset: String,
    pub locator: Option<String>,
    pub citation: Option<String>,
    /// The whole provenance as one line of text.
    pub text: String,
}

impl From<&catalog::Provenance> for Source {
    fn from(p: &catalog::Provenance) -> Self {
        Source {
            dataset: p.dataset.clone(),
            locator: p.locator.clone(),
            citation: p.citation.clone(),
            text: p.to_string(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Named {
    pub id: Option<String>,
    pub name: String,
}

impl From<&catalog::EntityRef> for Named {
    fn from(e: &catalog::EntityRef) -> Self {
        Named {
            id: e.id.clone(),
            name: e.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilmRef {
    pub id: Option<String>,
    pub title: String,
}

impl From<&catalog::EntityRef> for FilmRef {
    fn from(e: &catalog::EntityRef) -> Self {
        FilmRef {
            id: e.id.clone(),
            title: e.name.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Counted {
    pub nomination: bool,
    pub win: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Nomination {
    pub body: String,
    pub ceremony: u32,
    pub years: String,
    pub category: String,
    pub canonical_category: String,
    pub class: String,
    pub films: Vec<FilmRef>,
    pub credit: String,
    pub nominees: Vec<Named>,
    pub winner: bool,
    pub detail: Vec<String>,
    pub note: Option<String>,
    /// How the row counts under [`catalog::NominationCounting::RULE`].
    pub counted: Counted,
    pub source: Source,
}

impl From<&catalog::NominationView> for Nomination {
    fn from(n: &catalog::NominationView) -> Self {
        Nomination {
            body: n.body.clone(),
            ceremony: n.ceremony,
            years: n.ceremony_years.clone(),
            category: n.category.clone(),
            canonical_category: n.canonical_category.clone(),
            class: n.class.as_str().to_string(),
            films: n.films.iter().map(FilmRef::from).collect(),
            credit: n.credit.clone(),
            nominees: n.nominees.iter().map(Named::from).collect(),
            winner: n.winner,
            detail: n.detail.clone(),
            note: n.note.clone(),
            counted: Counted {
                nomination: n.counting.counts_as_nomination,
                win: n.counting.counts_as_win,
            },
            source: Source::from(&n.source),
        }
    }
}

/// Counted nominations and wins, overall and per ceremony.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AwardTally {
    pub nominations: u32,
    pub wins: u32,
    pub counting_rule: &'static str,
    pub by_ceremony: Vec<CeremonyTally>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CeremonyTally {
    pub body: String,
    pub ceremony: u32,
    pub years: String,
    pub nominations: u32,
    pub wins: u32,
}

impl AwardTally {
    pub fn of(nominations: &[catalog::NominationView]) -> Self {
        let mut by_ceremony: Vec<CeremonyTally> = Vec::new();
        for n in nominations {
            let index = match by_ceremony
                .iter()
                .position(|t| t.body == n.body && t.ceremony == n.ceremony)
            {
                Some(i) => i,
                None => {
                    by_ceremony.push(CeremonyTally {
                        body: n.body.clone(),
                        ceremony: n.ceremony,
                        years: n.ceremony_years.clone(),
                        nominations: 0,
                        wins: 0,
                    });
                    by_ceremony.len() - 1
                }
            };
            let tally = &mut by_ceremony[index];
            tally.nominations += u32::from(n.counting.counts_as_nomination);
            tally.wins += u32::from(n.counting.counts_as_win);
        }
        AwardTally {
            nominations: by_ceremony.iter().map(|t| t.nominations).sum(),
            wins: by_ceremony.iter().map(|t| t.wins).sum(),
            counting_rule: catalog::NominationCounting::RULE,
            by_ceremony,
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Budget {
    pub amount: i64,
    pub currency: String,
    /// As people write it: "$6,000,000".
    pub display: String,
    pub note: Option<String>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Credit {
    pub person: Named,
    pub category: &'static str,
    pub job: Option<String>,
    pub characters: Vec<String>,
    pub order: Option<u32>,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyLink {
    pub id: Option<String>,
    pub name: String,
    pub role: &'static str,
    pub source: Source,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SourcedText {
    pub text: String,
    pub source: Source,
}

impl From<&catalog::Sourced<String>> for SourcedText {
    fn from(s: &catalog::Sourced<String>) -> Self {
        SourcedText {
            text: s.value.clone(),
            source: Source::from(&s.source),
        }
    }
}

fn sources(fields: &[(String, catalog::Provenance)]) -> BTreeMap<String, Source> {
    fields
        .iter()
        .map(|(field, p)| (field.clone(), Source::from(p)))
        .collect()
}

/// `kinograph film … --json`, `/api/films/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Film {
    pub id: String,
    pub imdb_id: Option<String>,
    pub title: String,
    pub original_title: Option<String>,
    pub year: Option<i32>,
    pub award_year: Option<i32>,
    pub runtime_minutes: Option<u32>,
    pub genres: Vec<String>,
    pub synopsis: Option<String>,
    pub tmdb_id: Option<u64>,
    pub budget: Option<Budget>,
    pub aliases: Vec<String>,
    pub companies: Vec<CompanyLink>,
    pub credits: Vec<Credit>,
    pub themes: Vec<SourcedText>,
    pub facts: Vec<SourcedText>,
    pub awards: AwardTally,
    pub nominations: Vec<Nomination>,
    /// Where each of the film's own fields comes from.
    pub sources: BTreeMap<String, Source>,
}

impl From<&catalog::FilmDetails> for Film {
    fn from(d: &catalog::FilmDetails) -> Self {
        let f = &d.film;
        Film {
            id: f.id.clone(),
            imdb_id: f.imdb_id.clone(),
            title: f.title.clone(),
            original_title: f.original_title.clone(),
            year: f.year,
            award_year: f.award_year,
            runtime_minutes: f.runtime_minutes,
            genres: f.genres.clone(),
            synopsis: f.synopsis.clone(),
            tmdb_id: f.tmdb_id,
            budget: f.budget.as_ref().map(|b| Budget {
                amount: b.value.amount,
                currency: b.value.currency.clone(),
                display: b.value.to_string(),
                note: b.value.note.clone(),
                source: Source::from(&b.source),
            }),
            aliases: d.aliases.clone(),
            companies: d
                .companies
                .iter()
                .map(|(company, role, source)| CompanyLink {
                    id: company.id.clone(),
                    name: company.name.clone(),
                    role: role.as_str(),
                    source: Source::from(source),
                })
                .collect(),
            credits: d
                .credits
                .iter()
                .map(|c| Credit {
                    person: Named::from(&c.person),
                    category: c.category.as_str(),
                    job: c.job.clone(),
                    characters: c.characters.clone(),
                    order: c.order,
                    source: Source::from(&c.source),
                })
                .collect(),
            themes: d.themes.iter().map(SourcedText::from).collect(),
            facts: d.facts.iter().map(SourcedText::from).collect(),
            awards: AwardTally::of(&d.nominations),
            nominations: d.nominations.iter().map(Nomination::from).collect(),
            sources: sources(&f.sources),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PersonCredit {
    pub film: FilmRef,
    pub year: Option<i32>,
    pub category: &'static str,
    pub job: Option<String>,
    pub characters: Vec<String>,
    pub source: Source,
}

/// `kinograph person … --json`, `/api/people/{id}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Person {
    pub id: String,
    pub imdb_id: Option<String>,
    pub name: String,
    pub birth_year: Option<i32>,
    pub death_year: Option<i32>,
    pub professions: Vec<String>,
    pub aliases: Vec<String>,
    pub filmography: Vec<PersonCredit>,
    pub awards: AwardTally,
    pub nominations: Vec<Nomination>,
    pub sources: BTreeMap<String, Source>,
}

impl From<&catalog::PersonDetails> for Person {
    fn from(p: &catalog::PersonDetails) -> Self {
        Person {
            id: p.id.clone(),
            imdb_id: p.imdb_id.clone(),
            name: p.name.clone(),
            birth_year: p.birth_year,
            death_year: p.death_year,
            professions: p.professions.clone(),
            aliases: p.aliases.clone(),
            filmography: p
                .credits
                .iter()
                .map(|c| PersonCredit {
                    film: FilmRef::from(&c.film),
                    year: c.year,
                    category: c.category.as_str(),
                    job: c.job.clone(),
                    characters: c.characters.clone(),
                    source: Source::from(&c.source),
                })
                .collect(),
            awards: AwardTally::of(&p.nominations),
            nominations: p.nominations.iter().map(Nomination::from).collect(),
            sources: sources(&p.sources),
        }
    }
}

/// One candidate of a lookup that matched several entries.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Match {
    pub id: String,
    pub name: String,
    pub year: Option<i32>,
    pub nominations: u32,
    pub wins: u32,
}

impl From<&catalog::FilmSummary> for Match {
    fn from(s: &catalog::FilmSummary) -> Self {
        Match {
            id: s.id.clone(),
            name: s.title.clone(),
            year: s.year,
            nominations: s.nominations,
            wins: s.wins,
        }
    }
}

impl From<&catalog::PersonSummary> for Match {
    fn from(s: &catalog::PersonSummary) -> Self {
        Match {
            id: s.id.clone(),
            name: s.name.clone(),
            year: s.birth_year,
            nominations: s.nominations,
            wins: s.wins,
        }
    }
}

/// `kinograph films … --json`: films matching a filter.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FilmList {
    pub films: Vec<Match>,
    pub total: usize,
}

impl From<&[catalog::FilmSummary]> for FilmList {
    fn from(films: &[catalog::FilmSummary]) -> Self {
        FilmList {
            films: films.iter().map(Match::from).collect(),
            total: films.len(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Record {
    pub kind: &'static str,
    pub title: &'static str,
    pub rank: u32,
    pub holder: Named,
    pub film: Option<FilmRef>,
    pub count: u32,
    pub counts: &'static str,
    pub counting_rule: &'static str,
    /// The nomination rows counted.
    pub evidence: Vec<Nomination>,
}

/// `kinograph awards records --json`, `/api/records`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Records {
    pub records: Vec<Record>,
}

impl From<&[catalog::AwardRecord]> for Records {
    fn from(records: &[catalog::AwardRecord]) -> Self {
        Records {
            records: records
                .iter()
                .map(|r| Record {
                    kind: r.kind.as_str(),
                    title: r.kind.title(),
                    rank: r.rank,
                    holder: Named::from(&r.holder),
                    film: r.film.as_ref().map(FilmRef::from),
                    count: r.count,
                    counts: if r.kind.counts_nominations() {
                        "nominations"
                    } else {
                        "wins"
                    },
                    counting_rule: catalog::NominationCounting::RULE,
                    evidence: r.evidence.iter().map(Nomination::from).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryResults {
    pub name: String,
    pub canonical: String,
    pub class: &'static str,
    pub nominations: Vec<Nomination>,
}

/// `kinograph awards ceremony N --json`, `/api/awards/{body}/{ceremony}`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Ceremony {
    pub body: Named,
    pub ceremony: u32,
    pub years: Option<String>,
    pub date: Option<String>,
    pub date_source: Option<Source>,
    pub categories: Vec<CategoryResults>,
}

impl From<&catalog::CeremonyResults> for Ceremony {
    fn from(c: &catalog::CeremonyResults) -> Self {
        Ceremony {
            body: Named {
                id: Some(c.ceremony.body.clone()),
                name: c.body_name.clone(),
            },
            ceremony: c.ceremony.ordinal,
            years: c.ceremony.years.map(|y| y.to_string()),
            date: c.ceremony.date.map(|d| d.format("%Y-%m-%d").to_string()),
            date_source: c.ceremony.date_source.as_ref().map(Source::from),
            categories: c
                .categories
                .iter()
                .map(|cat| CategoryResults {
                    name: cat.category.name.clone(),
                    canonical: cat.category.canonical.clone(),
                    class: cat.category.class.as_str(),
                    nominations: cat.nominations.iter().map(Nomination::from).collect(),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchHit {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub year: Option<i32>,
    pub score: f32,
    pub detail: Option<String>,
}

/// `kinograph search … --json`, `/api/search`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    /// `total` is an estimate: the query matched too many documents to count them all.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub total_estimated: bool,
}

impl From<&kinograph_search::SearchResults> for SearchResults {
    fn from(r: &kinograph_search::SearchResults) -> Self {
        SearchResults {
            hits: r
                .hits
                .iter()
                .map(|h| SearchHit {
                    kind: h.kind.as_str(),
                    id: h.id.clone(),
                    name: h.name.clone(),
                    year: h.year,
                    score: h.score,
                    detail: h.detail.clone(),
                })
                .collect(),
            total: r.total,
            total_estimated: r.total_estimated,
        }
    }
}

/// A checked essay (`kinograph check --format json`, and the API's check endpoint).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckReport {
    pub sections: Vec<CheckSection>,
    pub mentions: Vec<CheckMention>,
    pub claims: Vec<CheckClaim>,
    /// How many claims got each verdict.
    pub summary: BTreeMap<&'static str, usize>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckSection {
    pub title: String,
    pub start: usize,
    pub end: usize,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckEntity {
    pub id: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckMention {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub entity: Option<CheckEntity>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckEvidence {
    pub fact: String,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CheckClaim {
    pub text: String,
    pub start: usize,
    pub end: usize,
    pub kind: &'static str,
    pub verdict: &'static str,
    pub evidence: Vec<CheckEvidence>,
}

impl From<&kinograph_checker::Report> for CheckReport {
    fn from(report: &kinograph_checker::Report) -> Self {
        let mut summary = BTreeMap::new();
        for verdict in [
            kinograph_checker::Verdict::Supported,
            kinograph_checker::Verdict::Contradicted,
            kinograph_checker::Verdict::Unverifiable,
        ] {
            summary.insert(
                verdict.as_str(),
                report
                    .claims
                    .iter()
                    .filter(|c| c.verdict == verdict)
                    .count(),
            );
        }
        CheckReport {
            sections: report
                .sections
                .iter()
                .map(|s| CheckSection {
                    title: s.title.clone(),
                    start: s.start,
                    end: s.end,
                })
                .collect(),
            mentions: report
                .mentions
                .iter()
                .map(|m| CheckMention {
                    text: m.text.clone(),
                    start: m.start,
                    end: m.end,
                    kind: m.kind.as_str(),
                    entity: m.entity.as_ref().map(|e| CheckEntity {
                        id: e.id.clone(),
                        name: e.name.clone(),
                    }),
                })
                .collect(),
            claims: report
                .claims
                .iter()
                .map(|c| CheckClaim {
                    text: c.text.clone(),
                    start: c.start,
                    end: c.end,
                    kind: c.kind.as_str(),
                    verdict: c.verdict.as_str(),
                    evidence: c
                        .evidence
                        .iter()
                        .map(|e| CheckEvidence {
                            fact: e.fact.clone(),
                            source: e.source.clone(),
                        })
                        .collect(),
                })
                .collect(),
            summary,
        }
    }
}

/// One category's nominations across the years (`/api/awards/{body}/categories/{slug}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CategoryHistory {
    pub body: Named,
    pub name: String,
    pub canonical: String,
    pub slug: String,
    pub class: &'static str,
    /// Newest ceremony first.
    pub nominations: Vec<Nomination>,
}

impl From<&catalog::CategoryHistory> for CategoryHistory {
    fn from(h: &catalog::CategoryHistory) -> Self {
        CategoryHistory {
            body: Named {
                id: h.nominations.first().map(|n| n.body.clone()),
                name: h.body_name.clone(),
            },
            name: h.category.name.clone(),
            canonical: h.category.canonical.clone(),
            slug: catalog::Category::slug(&h.category.canonical),
            class: h.category.class.as_str(),
            nominations: h.nominations.iter().map(Nomination::from).collect(),
        }
    }
}

/// A ceremony in a list, without its results.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CeremonySummary {
    pub body: String,
    pub ceremony: u32,
    pub years: Option<String>,
    pub date: Option<String>,
}

impl From<&catalog::Ceremony> for CeremonySummary {
    fn from(c: &catalog::Ceremony) -> Self {
        CeremonySummary {
            body: c.body.clone(),
            ceremony: c.ordinal,
            years: c.years.map(|y| y.to_string()),
            date: c.date.map(|d| d.format("%Y-%m-%d").to_string()),
        }
    }
}

/// An essay in a list (`/api/essays`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssaySummary {
    pub slug: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub author: String,
    pub tags: Vec<String>,
    /// `YYYY-MM-DD`; null while unpublished.
    pub published: Option<String>,
}

impl From<&catalog::EssaySummary> for EssaySummary {
    fn from(e: &catalog::EssaySummary) -> Self {
        EssaySummary {
            slug: e.slug.clone(),
            title: e.title.clone(),
            subtitle: e.subtitle.clone(),
            author: e.author.clone(),
            tags: e.tags.clone(),
            published: e.published.map(|d| d.format("%Y-%m-%d").to_string()),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EssayList {
    pub essays: Vec<EssaySummary>,
}

impl From<&[catalog::EssaySummary]> for EssayList {
    fn from(essays: &[catalog::EssaySummary]) -> Self {
        EssayList {
            essays: essays.iter().map(EssaySummary::from).collect(),
        }
    }
}

/// An essay with its text and its check (`/api/essays/{slug}`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Essay {
    #[serde(flatten)]
    pub summary: EssaySummary,
    /// Markdown or plain text; the check's offsets are byte offsets into it.
    pub body: String,
    pub check: CheckReport,
}

impl Essay {
    pub fn of(essay: &catalog::EssayRecord, report: &kinograph_checker::Report) -> Self {
        Essay {
            summary: EssaySummary::from(&essay.summary()),
            body: essay.body.clone(),
            check: CheckReport::from(report),
        }
    }
}
