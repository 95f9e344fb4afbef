//! View models: catalog types turned into what the templates show (links, labels, rows), so
//! the templates only lay things out.

use std::collections::BTreeMap;

use kinograph_catalog::{
    AwardRecord, Category, Ceremony, EntityRef, EssaySummary, FilmDetails, NominationView,
    PersonCredit, PersonDetails, Provenance, RoleCategory, ordinal,
};
use kinograph_checker::Report;
use serde_json::{Value, json};

use crate::annotate;
use crate::state::Site;

/// Everything a page's `<head>` says about it.
#[derive(Debug, Clone)]
pub struct Meta {
    pub title: String,
    pub description: String,
    /// Absolute URL of the page; `None` for error pages.
    pub canonical: Option<String>,
    /// Open Graph type: `website`, `video.movie`, `profile`, `article`.
    pub og_type: &'static str,
    /// schema.org JSON-LD, ready to embed.
    pub json_ld: Option<String>,
    /// What the header's search box holds.
    pub query: String,
    /// Who is signed in, for the header (set by [`Meta::with`]).
    pub viewer: Option<ViewerNav>,
    /// The CSRF token every form on the page carries.
    pub csrf: String,
}

/// What the header shows of the signed-in user.
#[derive(Debug, Clone)]
pub struct ViewerNav {
    pub name: String,
    pub display_name: String,
    pub can_write: bool,
    pub can_edit: bool,
    pub is_admin: bool,
}

impl Meta {
    pub fn new(
        site: &Site,
        path: &str,
        title: impl Into<String>,
        description: impl Into<String>,
    ) -> Meta {
        Meta {
            title: title.into(),
            description: description.into(),
            canonical: Some(site.url(path)),
            og_type: "website",
            json_ld: None,
            query: String::new(),
            viewer: None,
            csrf: String::new(),
        }
    }

    /// The page as `ctx`'s viewer sees it: their name in the header, the forms' CSRF token.
    pub fn with(mut self, ctx: &crate::pages::Ctx) -> Meta {
        self.csrf = ctx.csrf.clone();
        self.viewer = ctx.viewer.user().map(|u| ViewerNav {
            name: u.name.clone(),
            display_name: u.display_name.clone(),
            can_write: u.role.can_write(),
            can_edit: u.role.can_edit(),
            is_admin: u.role == kinograph_publishing::Role::Admin,
        });
        self
    }

    pub fn with_json_ld(mut self, value: &Value) -> Meta {
        // `</` inside a script element would end it early.
        self.json_ld = Some(value.to_string().replace("</", "<\\/"));
        self
    }
}

/// Where a fact comes from, as shown: the citation (or the data set and line), linked to the
/// cited page when the citation gives its address.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SourceView {
    pub text: String,
    pub href: Option<String>,
    /// The full provenance, for a tooltip.
    pub full: String,
}

impl SourceView {
    pub fn of(p: &Provenance) -> SourceView {
        let full = p.to_string();
        match &p.citation {
            Some(citation) => {
                let (text, href) = split_url(citation);
                SourceView { text, href, full }
            }
            None => SourceView {
                text: full.clone(),
                href: None,
                full,
            },
        }
    }

    /// A provenance already written out as text (the checker's evidence).
    pub fn parse(written: &str) -> SourceView {
        let (text, href) = split_url(
            written
                .strip_suffix(')')
                .filter(|_| written.contains(" ("))
                .unwrap_or(written),
        );
        let text = text.replacen(" (", " — ", 1);
        SourceView {
            text,
            href,
            full: written.to_string(),
        }
    }
}

/// "Wikipedia, “Anora (film)”, https://…" → ("Wikipedia, “Anora (film)”", the address).
fn split_url(text: &str) -> (String, Option<String>) {
    let Some(at) = text.find("https://").or_else(|| text.find("http://")) else {
        return (text.to_string(), None);
    };
    let url_end = text[at..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| at + i);
    let url = text[at..url_end].trim_end_matches([',', '.', ';']);
    let mut rest = format!("{}{}", &text[..at], &text[url_end..]);
    rest = rest.trim().trim_end_matches([',', ';']).trim().to_string();
    (rest, Some(url.to_string()))
}

/// A link, or plain text when the thing has no page.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub href: Option<String>,
    pub text: String,
}

impl Link {
    pub fn to(href: impl Into<String>, text: impl Into<String>) -> Link {
        Link {
            href: Some(href.into()),
            text: text.into(),
        }
    }

    fn film(entity: &EntityRef) -> Link {
        Link {
            href: entity.id.as_ref().map(|id| format!("/films/{id}")),
            text: entity.name.clone(),
        }
    }

    /// A nominee: a person's page, or plain text (companies and unknown names have none).
    fn nominee(entity: &EntityRef) -> Link {
        Link {
            href: entity
                .id
                .as_ref()
                .filter(|id| !id.starts_with("co"))
                .map(|id| format!("/people/{id}")),
            text: entity.name.clone(),
        }
    }
}

pub fn body_name(body: &str) -> &str {
    if body == "oscars" {
        "Academy Awards"
    } else {
        body
    }
}

pub fn ceremony_title(body: &str, ordinal_number: u32) -> String {
    format!("{} {}", ordinal(ordinal_number), body_name(body))
}

pub fn ceremony_href(body: &str, ordinal_number: u32) -> String {
    format!("/awards/{body}/{ordinal_number}")
}

pub fn category_href(body: &str, canonical: &str) -> String {
    format!("/awards/{body}/categories/{}", Category::slug(canonical))
}

/// "Best Picture" style: the data set's upper-case names made readable.
pub fn category_label(name: &str) -> String {
    const SMALL: &[&str] = &[
        "a", "an", "and", "at", "by", "for", "in", "of", "or", "the", "to", "with",
    ];
    name.split(' ')
        .enumerate()
        .map(|(i, word)| {
            let lower = word.to_lowercase();
            if i > 0 && SMALL.contains(&lower.as_str()) {
                return lower;
            }
            let mut out = String::with_capacity(lower.len());
            let mut capitalised = false;
            for ch in lower.chars() {
                if !capitalised && ch.is_alphabetic() {
                    out.extend(ch.to_uppercase());
                    capitalised = true;
                } else {
                    out.push(ch);
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn role_label(category: RoleCategory) -> String {
    let text = category.as_str().replace('_', " ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// "1 nomination", "6 nominations".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// One nomination as a row: where, what, who, and whether it won.
#[derive(Debug, Clone)]
pub struct AwardRow {
    pub ceremony: Link,
    pub category: Link,
    pub films: Vec<Link>,
    pub nominees: Vec<Link>,
    pub won: bool,
    /// Character names and notes ("as Ani").
    pub detail: String,
    /// Whether it counts as a nomination under the counting rule (honorary rows do not).
    pub counted: bool,
    pub source: String,
}

impl AwardRow {
    pub fn of(n: &NominationView) -> AwardRow {
        let mut detail = n.detail.join(", ");
        if let Some(note) = &n.note {
            if !detail.is_empty() {
                detail.push_str("; ");
            }
            detail.push_str(note);
        }
        AwardRow {
            ceremony: Link::to(
                ceremony_href(&n.body, n.ceremony),
                format!(
                    "{} ({})",
                    ceremony_title(&n.body, n.ceremony),
                    n.ceremony_years
                ),
            ),
            category: Link::to(
                category_href(&n.body, &n.canonical_category),
                category_label(&n.category),
            ),
            films: n.films.iter().map(Link::film).collect(),
            nominees: n.nominees.iter().map(Link::nominee).collect(),
            won: n.winner,
            detail,
            counted: n.counting.counts_as_nomination,
            source: n.source.to_string(),
        }
    }
}

/// Counted nominations and wins of a list of rows.
pub fn tally(nominations: &[NominationView]) -> (usize, usize) {
    let noms = nominations
        .iter()
        .filter(|n| n.counting.counts_as_nomination)
        .count();
    let wins = nominations
        .iter()
        .filter(|n| n.counting.counts_as_win)
        .count();
    (noms, wins)
}

/// A ceremony's rows, in one block.
#[derive(Debug, Clone)]
pub struct CeremonyBlock {
    pub ceremony: Link,
    pub rows: Vec<AwardRow>,
}

/// Rows grouped by ceremony, newest first.
pub fn by_ceremony(nominations: &[NominationView]) -> Vec<CeremonyBlock> {
    let mut groups: BTreeMap<(std::cmp::Reverse<u32>, String), Vec<AwardRow>> = BTreeMap::new();
    for n in nominations {
        groups
            .entry((std::cmp::Reverse(n.ceremony), n.body.clone()))
            .or_default()
            .push(AwardRow::of(n));
    }
    groups
        .into_values()
        .filter_map(|mut rows| {
            rows.sort_by_key(|r| !r.won);
            let ceremony = rows.first()?.ceremony.clone();
            Some(CeremonyBlock { ceremony, rows })
        })
        .collect()
}

/// A fact with its provenance, for a film's facts table.
#[derive(Debug, Clone)]
pub struct FactRow {
    pub label: String,
    pub value: String,
    pub source: SourceView,
}

#[derive(Debug, Clone)]
pub struct CastRow {
    pub person: Link,
    /// (anchor id, name) of each character.
    pub characters: Vec<(String, String)>,
}

#[derive(Debug, Clone)]
pub struct CrewGroup {
    pub role: String,
    pub people: Vec<Link>,
}

/// What a film's page shows.
#[derive(Debug, Clone)]
pub struct FilmView {
    pub id: String,
    pub title: String,
    pub year: Option<i32>,
    pub original_title: Option<String>,
    pub imdb_url: Option<String>,
    pub synopsis: Option<String>,
    pub genres: Vec<String>,
    pub facts: Vec<FactRow>,
    pub cast: Vec<CastRow>,
    pub crew: Vec<CrewGroup>,
    pub awards: Vec<CeremonyBlock>,
    pub nominations: usize,
    pub wins: usize,
    pub aliases: Vec<String>,
}

fn character_anchor(name: &str) -> String {
    format!(
        "character-{}",
        kinograph_catalog::normalize::key(name).replace(' ', "-")
    )
}

impl FilmView {
    pub fn of(d: &FilmDetails) -> FilmView {
        let film = &d.film;
        let mut facts = Vec::new();
        let source_of = |field: &str| {
            film.sources
                .iter()
                .find(|(f, _)| f == field)
                .map(|(_, p)| SourceView::of(p))
                .unwrap_or_default()
        };
        if let Some(year) = film.year {
            facts.push(FactRow {
                label: "Released".into(),
                value: year.to_string(),
                source: source_of("year"),
            });
        }
        if let Some(minutes) = film.runtime_minutes {
            facts.push(FactRow {
                label: "Runtime".into(),
                value: format!("{minutes} min"),
                source: source_of("runtime"),
            });
        }
        if let Some(budget) = &film.budget {
            let mut value = budget.value.to_string();
            if let Some(note) = &budget.value.note {
                value.push_str(&format!(" ({note})"));
            }
            facts.push(FactRow {
                label: "Budget".into(),
                value,
                source: SourceView::of(&budget.source),
            });
        }
        for (company, role, source) in &d.companies {
            facts.push(FactRow {
                label: role_label_company(role.as_str()),
                value: company.name.clone(),
                source: SourceView::of(source),
            });
        }
        for theme in &d.themes {
            facts.push(FactRow {
                label: "Theme".into(),
                value: theme.value.clone(),
                source: SourceView::of(&theme.source),
            });
        }
        for fact in &d.facts {
            facts.push(FactRow {
                label: "Note".into(),
                value: fact.value.clone(),
                source: SourceView::of(&fact.source),
            });
        }
        let mut cast: Vec<CastRow> = Vec::new();
        let mut crew: Vec<CrewGroup> = Vec::new();
        for credit in &d.credits {
            let person = Link::to(
                format!("/people/{}", credit.person.id.clone().unwrap_or_default()),
                credit.person.name.clone(),
            );
            if credit.category.is_cast() {
                cast.push(CastRow {
                    person,
                    characters: credit
                        .characters
                        .iter()
                        .map(|c| (character_anchor(c), c.clone()))
                        .collect(),
                });
            } else {
                let mut role = role_label(credit.category);
                if let Some(job) = &credit.job
                    && !job.is_empty()
                    && !job.eq_ignore_ascii_case(credit.category.as_str())
                {
                    role = format!("{role} ({job})");
                }
                match crew.iter_mut().find(|g| g.role == role) {
                    Some(group) => group.people.push(person),
                    None => crew.push(CrewGroup {
                        role,
                        people: vec![person],
                    }),
                }
            }
        }
        let (nominations, wins) = tally(&d.nominations);
        FilmView {
            id: film.id.clone(),
            title: film.title.clone(),
            year: film.year.or(film.award_year),
            original_title: film.original_title.clone().filter(|t| *t != film.title),
            imdb_url: film
                .imdb_id
                .as_ref()
                .map(|id| format!("https://www.imdb.com/title/{id}/")),
            synopsis: film.synopsis.clone(),
            genres: film.genres.clone(),
            facts,
            cast,
            crew,
            awards: by_ceremony(&d.nominations),
            nominations,
            wins,
            aliases: d.aliases.clone(),
        }
    }

    pub fn description(&self) -> String {
        let mut text = match self.year {
            Some(year) => format!("{} ({year})", self.title),
            None => self.title.clone(),
        };
        let directors: Vec<&str> = self
            .crew
            .iter()
            .filter(|g| g.role.starts_with("Director"))
            .flat_map(|g| g.people.iter().map(|p| p.text.as_str()))
            .collect();
        if !directors.is_empty() {
            text.push_str(&format!(", directed by {}", directors.join(" and ")));
        }
        if let Some(first) = self.cast.first() {
            text.push_str(&format!(", with {}", first.person.text));
        }
        if self.nominations > 0 {
            text.push_str(&format!(
                ". {}, {}",
                plural(self.nominations, "Oscar nomination", "Oscar nominations"),
                plural(self.wins, "win", "wins")
            ));
        }
        text.push('.');
        text
    }

    /// schema.org `Movie`.
    pub fn json_ld(&self, site: &Site) -> Value {
        let people = |role: &str| -> Vec<Value> {
            self.crew
                .iter()
                .filter(|g| g.role.starts_with(role))
                .flat_map(|g| g.people.iter())
                .map(|p| json!({"@type": "Person", "name": p.text}))
                .collect()
        };
        let mut movie = json!({
            "@context": "https://schema.org",
            "@type": "Movie",
            "name": self.title,
            "url": site.url(&format!("/films/{}", self.id)),
            "director": people("Director"),
            "actor": self.cast.iter().take(10).map(|c| json!({"@type": "Person", "name": c.person.text})).collect::<Vec<_>>(),
        });
        if let Some(year) = self.year {
            movie["datePublished"] = json!(year.to_string());
        }
        if let Some(imdb) = &self.imdb_url {
            movie["sameAs"] = json!(imdb);
        }
        if !self.genres.is_empty() {
            movie["genre"] = json!(self.genres);
        }
        let won: Vec<String> = self
            .awards
            .iter()
            .flat_map(|b| b.rows.iter())
            .filter(|r| r.won)
            .map(|r| format!("{} — {}", r.category.text, r.ceremony.text))
            .collect();
        if !won.is_empty() {
            movie["award"] = json!(won);
        }
        movie
    }
}

fn role_label_company(role: &str) -> String {
    match role {
        "production" => "Produced by".to_string(),
        "distribution" => "Distributed by".to_string(),
        other => other.replace('_', " "),
    }
}

/// One year of a filmography timeline.
#[derive(Debug, Clone)]
pub struct YearGroup {
    pub year: String,
    pub credits: Vec<TimelineRow>,
}

#[derive(Debug, Clone)]
pub struct TimelineRow {
    pub film: Link,
    pub role: String,
    pub characters: String,
}

#[derive(Debug, Clone)]
pub struct PersonView {
    pub id: String,
    pub name: String,
    pub years: String,
    pub professions: String,
    pub imdb_url: Option<String>,
    pub timeline: Vec<YearGroup>,
    pub awards: Vec<CeremonyBlock>,
    pub nominations: usize,
    pub wins: usize,
    pub aliases: Vec<String>,
    pub films: usize,
}

/// On a person's own page their name in every row says nothing: keep only who shared it.
fn without_nominee(mut blocks: Vec<CeremonyBlock>, href: &str) -> Vec<CeremonyBlock> {
    for row in blocks.iter_mut().flat_map(|b| b.rows.iter_mut()) {
        row.nominees.retain(|n| n.href.as_deref() != Some(href));
    }
    blocks
}

fn timeline(credits: &[PersonCredit]) -> Vec<YearGroup> {
    let mut years: BTreeMap<std::cmp::Reverse<Option<i32>>, Vec<TimelineRow>> = BTreeMap::new();
    for credit in credits {
        let mut role = role_label(credit.category);
        if let Some(job) = &credit.job
            && !job.is_empty()
            && !job.eq_ignore_ascii_case(credit.category.as_str())
        {
            role = format!("{role} ({job})");
        }
        let rows = years.entry(std::cmp::Reverse(credit.year)).or_default();
        let film = Link::film(&credit.film);
        // One row per film, its roles joined: "Director, Writer, Editor".
        match rows.iter_mut().find(|r| r.film == film) {
            Some(row) => {
                row.role.push_str(", ");
                row.role.push_str(&role);
            }
            None => rows.push(TimelineRow {
                film,
                role,
                characters: credit.characters.join(", "),
            }),
        }
    }
    years
        .into_iter()
        .map(|(std::cmp::Reverse(year), credits)| YearGroup {
            year: year.map_or_else(|| "Undated".to_string(), |y| y.to_string()),
            credits,
        })
        .collect()
}

impl PersonView {
    pub fn of(d: &PersonDetails) -> PersonView {
        let years = match (d.birth_year, d.death_year) {
            (Some(b), Some(e)) => format!("{b}–{e}"),
            (Some(b), None) => format!("born {b}"),
            (None, Some(e)) => format!("died {e}"),
            (None, None) => String::new(),
        };
        let (nominations, wins) = tally(&d.nominations);
        let timeline = timeline(&d.credits);
        let films = timeline.iter().map(|y| y.credits.len()).sum();
        PersonView {
            id: d.id.clone(),
            name: d.name.clone(),
            years,
            professions: d
                .professions
                .iter()
                .map(|p| p.replace('_', " "))
                .collect::<Vec<_>>()
                .join(", "),
            imdb_url: d
                .imdb_id
                .as_ref()
                .map(|id| format!("https://www.imdb.com/name/{id}/")),
            timeline,
            awards: without_nominee(by_ceremony(&d.nominations), &format!("/people/{}", d.id)),
            nominations,
            wins,
            aliases: d.aliases.clone(),
            films,
        }
    }

    pub fn description(&self) -> String {
        let mut text = self.name.clone();
        if !self.professions.is_empty() {
            text.push_str(&format!(", {}", self.professions));
        }
        text.push_str(&format!(
            ": {} in the catalog",
            plural(self.films, "film", "films")
        ));
        if self.nominations > 0 {
            text.push_str(&format!(
                ", {}, {}",
                plural(self.nominations, "Oscar nomination", "Oscar nominations"),
                plural(self.wins, "win", "wins")
            ));
        }
        text.push('.');
        text
    }

    pub fn json_ld(&self, site: &Site) -> Value {
        let mut person = json!({
            "@context": "https://schema.org",
            "@type": "Person",
            "name": self.name,
            "url": site.url(&format!("/people/{}", self.id)),
        });
        if let Some(imdb) = &self.imdb_url {
            person["sameAs"] = json!(imdb);
        }
        person
    }
}

/// A place in a record table.
#[derive(Debug, Clone)]
pub struct RecordRow {
    pub rank: u32,
    pub holder: Link,
    pub film: Option<Link>,
    pub count: u32,
    pub evidence: Vec<AwardRow>,
}

#[derive(Debug, Clone)]
pub struct RecordTable {
    pub title: &'static str,
    pub counts: &'static str,
    pub rows: Vec<RecordRow>,
}

pub fn record_tables(records: &[AwardRecord]) -> Vec<RecordTable> {
    let mut tables: Vec<RecordTable> = Vec::new();
    for record in records {
        let holder = if record.kind.as_str().contains("by_film") {
            Link::film(&record.holder)
        } else {
            Link::nominee(&record.holder)
        };
        let row = RecordRow {
            rank: record.rank,
            // A film's own record names the film once.
            film: record
                .film
                .as_ref()
                .map(Link::film)
                .filter(|film| *film != holder),
            holder,
            count: record.count,
            evidence: record.evidence.iter().map(AwardRow::of).collect(),
        };
        match tables.iter_mut().find(|t| t.title == record.kind.title()) {
            Some(table) => table.rows.push(row),
            None => tables.push(RecordTable {
                title: record.kind.title(),
                counts: if record.kind.counts_nominations() {
                    "nominations"
                } else {
                    "wins"
                },
                rows: vec![row],
            }),
        }
    }
    tables
}

/// An essay in a list.
#[derive(Debug, Clone)]
pub struct EssayCard {
    pub href: String,
    pub title: String,
    pub subtitle: String,
    pub author: String,
    pub published: String,
    pub tags: Vec<String>,
}

impl EssayCard {
    pub fn of(e: &EssaySummary) -> EssayCard {
        EssayCard {
            href: format!("/essays/{}", e.slug),
            title: e.title.clone(),
            subtitle: e.subtitle.clone().unwrap_or_default(),
            author: e.author.clone(),
            published: e
                .published
                .map(|d| d.format("%-d %B %Y").to_string())
                .unwrap_or_default(),
            tags: e.tags.clone(),
        }
    }
}

/// A claim in the claims panel.
#[derive(Debug, Clone)]
pub struct ClaimRow {
    pub number: usize,
    pub kind: &'static str,
    pub verdict: &'static str,
    pub text: String,
    pub evidence: Vec<(String, SourceView)>,
}

/// A check, ready to show: the annotated text and the claims panel.
#[derive(Debug, Clone)]
pub struct CheckView {
    pub html: String,
    pub claims: Vec<ClaimRow>,
    pub supported: usize,
    pub contradicted: usize,
    pub unverifiable: usize,
    /// The linked films, people and characters, each once, in order of first mention.
    pub linked: Vec<Link>,
    /// The films among them: the films the essay discusses.
    pub films: Vec<Link>,
}

impl CheckView {
    pub fn of(text: &str, report: &Report) -> CheckView {
        let claims: Vec<ClaimRow> = report
            .claims
            .iter()
            .enumerate()
            .map(|(i, c)| ClaimRow {
                number: i + 1,
                kind: c.kind.as_str(),
                verdict: c.verdict.as_str(),
                text: plain(&c.text),
                evidence: c
                    .evidence
                    .iter()
                    .map(|e| (e.fact.clone(), SourceView::parse(&e.source)))
                    .collect(),
            })
            .collect();
        let count = |verdict: &str| claims.iter().filter(|c| c.verdict == verdict).count();
        let mut linked: Vec<Link> = Vec::new();
        for mention in &report.mentions {
            let Some(entity) = &mention.entity else {
                continue;
            };
            let Some(href) = annotate::entity_href(mention.kind, &entity.id) else {
                continue;
            };
            if matches!(mention.kind, kinograph_checker::MentionKind::Award) {
                continue;
            }
            if !linked
                .iter()
                .any(|l| l.href.as_deref() == Some(href.as_str()))
            {
                linked.push(Link::to(href, entity.name.clone()));
            }
        }
        let films = linked
            .iter()
            .filter(|l| {
                l.href
                    .as_deref()
                    .is_some_and(|h| h.starts_with("/films/") && !h.contains('#'))
            })
            .cloned()
            .collect();
        CheckView {
            films,
            html: annotate::essay_html(text, report),
            supported: count("supported"),
            contradicted: count("contradicted"),
            unverifiable: count("unverifiable"),
            claims,
            linked,
        }
    }
}

/// A quoted stretch of Markdown as plain words: emphasis and code marks dropped.
fn plain(markdown: &str) -> String {
    markdown
        .chars()
        .filter(|c| !matches!(c, '*' | '`'))
        .collect::<String>()
        .split(' ')
        .map(|word| word.trim_matches('_'))
        .collect::<Vec<_>>()
        .join(" ")
}

/// 12137 → "12,137".
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A ceremony in a list.
#[derive(Debug, Clone)]
pub struct CeremonyItem {
    pub link: Link,
    pub years: String,
    pub date: String,
}

impl CeremonyItem {
    pub fn of(c: &Ceremony) -> CeremonyItem {
        CeremonyItem {
            link: Link::to(
                ceremony_href(&c.body, c.ordinal),
                ceremony_title(&c.body, c.ordinal),
            ),
            years: c.years.map(|y| y.to_string()).unwrap_or_default(),
            date: long_date(c.date),
        }
    }
}

pub fn long_date(date: Option<chrono::NaiveDate>) -> String {
    date.map(|d| d.format("%-d %B %Y").to_string())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_read_like_titles() {
        assert_eq!(category_label("BEST PICTURE"), "Best Picture");
        assert_eq!(
            category_label("WRITING (Original Screenplay)"),
            "Writing (Original Screenplay)"
        );
        assert_eq!(thousands(12137), "12,137");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(
            category_label("ACTRESS IN A LEADING ROLE"),
            "Actress in a Leading Role"
        );
    }
}

#[cfg(test)]
mod source_tests {
    use super::*;

    #[test]
    fn a_citation_shows_its_words_linked_to_its_address() {
        let p = Provenance {
            dataset: "demo.toml".into(),
            locator: Some("line 3".into()),
            citation: Some(
                "Wikipedia, “Anora (film)”, https://en.wikipedia.org/wiki/Anora_(film)".into(),
            ),
        };
        let view = SourceView::of(&p);
        assert_eq!(view.text, "Wikipedia, “Anora (film)”");
        assert_eq!(
            view.href.as_deref(),
            Some("https://en.wikipedia.org/wiki/Anora_(film)")
        );
        let parsed = SourceView::parse(&p.to_string());
        assert_eq!(parsed.href, view.href);
        assert_eq!(parsed.text, "demo.toml line 3 — Wikipedia, “Anora (film)”");
        let plain_row = SourceView::parse("oscars.csv line 12");
        assert_eq!(
            (plain_row.text.as_str(), plain_row.href),
            ("oscars.csv line 12", None)
        );
        assert_eq!(plain("*Anora* won `five`"), "Anora won five");
    }
}
