//! Text output for people reading a terminal.

use std::fmt::Write;

use kinograph_store::FilmFilter;

use kinograph_catalog::{
    AwardRecord, CeremonyResults, FilmDetails, FilmSummary, NominationView, PersonCredit,
    PersonDetails, PersonSummary, RecordKind, ordinal,
};

fn year_suffix(year: Option<i32>) -> String {
    year.map(|y| format!(" ({y})")).unwrap_or_default()
}

/// ", 6 nominations, 5 wins", or nothing for a film or person never nominated.
fn award_counts(nominations: u32, wins: u32) -> String {
    if nominations == 0 && wins == 0 {
        return String::new();
    }
    let (n, w) = (nominations as usize, wins as usize);
    format!(
        ", {}, {}",
        plural(n, "nomination", "nominations"),
        plural(w, "win", "wins")
    )
}

pub fn film_summary(f: &FilmSummary) -> String {
    let counts = award_counts(f.nominations, f.wins);
    format!("{}{} [{}]{counts}", f.title, year_suffix(f.year), f.id)
}

/// "Films of Sean Baker (director) with the theme "sex work": 5" and the list.
pub fn film_list(films: &[FilmSummary], person: Option<&str>, filter: &FilmFilter) -> String {
    let mut heading = String::from("Films");
    if let Some(person) = person {
        let _ = write!(heading, " of {person}");
        if let Some(role) = filter.role {
            let _ = write!(heading, " ({})", role.as_str().replace('_', " "));
        }
    }
    if let Some(theme) = &filter.theme {
        let _ = write!(heading, " with the theme \u{201c}{theme}\u{201d}");
    }
    let mut out = format!("{heading}: {}\n", films.len());
    for film in films {
        let _ = writeln!(out, "  {}", film_summary(film));
    }
    out
}

pub fn search(results: &kinograph_search::SearchResults) -> String {
    let mut out = String::new();
    for hit in &results.hits {
        let detail = hit
            .detail
            .as_deref()
            .map(|d| format!(" — {d}"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<9} {}{}{detail}  [{}]",
            hit.kind.as_str(),
            hit.name,
            year_suffix(hit.year),
            hit.id
        );
    }
    let about = if results.total_estimated {
        "about "
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "{} of {about}{} matches",
        results.hits.len(),
        results.total
    );
    out
}

pub fn person_summary(p: &PersonSummary) -> String {
    let born = p
        .birth_year
        .map(|y| format!(" (b. {y})"))
        .unwrap_or_default();
    let counts = award_counts(p.nominations, p.wins);
    format!("{}{born} [{}]{counts}", p.name, p.id)
}

/// Which parts of a nomination a line shows besides who was nominated.
#[derive(Clone, Copy)]
struct Show {
    category: bool,
    films: bool,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "★ BEST PICTURE — Anora — Alex Coco, … (Ani)" for one nomination.
fn nomination_line(n: &NominationView, show: Show) -> String {
    let mut parts: Vec<String> = Vec::new();
    if show.category {
        parts.push(n.category.clone());
    }
    if show.films && !n.films.is_empty() {
        let titles: Vec<&str> = n.films.iter().map(|f| f.name.as_str()).collect();
        parts.push(titles.join(", "));
    }
    let who = if n.credit.is_empty() {
        let names: Vec<&str> = n.nominees.iter().map(|p| p.name.as_str()).collect();
        names.join(", ")
    } else {
        n.credit.clone()
    };
    if !who.is_empty() {
        parts.push(who);
    }
    let mark = if n.winner { "★" } else { "·" };
    let mut line = format!("{mark} {}", parts.join(" — "));
    if !n.detail.is_empty() {
        let _ = write!(line, " ({})", n.detail.join("; "));
    }
    if !n.counting.counts_as_nomination {
        line.push_str(" [not counted]");
    }
    line
}

fn awards_heading(nominations: &[NominationView]) -> String {
    let (noms, wins) = tally(nominations);
    format!(
        "Awards: {}, {} (★ won)",
        plural(noms, "nomination", "nominations"),
        plural(wins, "win", "wins")
    )
}

fn nominations_by_ceremony(out: &mut String, nominations: &[NominationView], films: bool) {
    let mut current = None;
    for n in nominations {
        if current != Some((&n.body, n.ceremony)) {
            let _ = writeln!(
                out,
                "  {} ceremony ({}):",
                ordinal(n.ceremony),
                n.ceremony_years
            );
            current = Some((&n.body, n.ceremony));
        }
        let _ = writeln!(
            out,
            "    {}",
            nomination_line(
                n,
                Show {
                    category: true,
                    films
                }
            )
        );
    }
}

fn tally(nominations: &[NominationView]) -> (usize, usize) {
    (
        nominations
            .iter()
            .filter(|n| n.counting.counts_as_nomination)
            .count(),
        nominations
            .iter()
            .filter(|n| n.counting.counts_as_win)
            .count(),
    )
}

pub fn film(d: &FilmDetails) -> String {
    let f = &d.film;
    let mut out = String::new();
    let _ = writeln!(out, "{}{}  [{}]", f.title, year_suffix(f.year), f.id);
    if let Some(original) = &f.original_title {
        let _ = writeln!(out, "Original title: {original}");
    }
    let mut facts = Vec::new();
    if let Some(runtime) = f.runtime_minutes {
        facts.push(format!("{runtime} min"));
    }
    if !f.genres.is_empty() {
        facts.push(f.genres.join(", "));
    }
    if f.year.is_none()
        && let Some(year) = f.award_year
    {
        facts.push(format!("award year {year}"));
    }
    if !facts.is_empty() {
        let _ = writeln!(out, "{}", facts.join(" · "));
    }
    if let Some(synopsis) = &f.synopsis {
        let _ = writeln!(out, "\n{synopsis}");
    }
    if let Some(budget) = &f.budget {
        let note = budget
            .value
            .note
            .as_deref()
            .map(|n| format!(" ({n})"))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "\nBudget: {}{note}\n  source: {}",
            budget.value, budget.source
        );
    }
    if !d.companies.is_empty() {
        let companies: Vec<String> = d
            .companies
            .iter()
            .map(|(c, role, _)| format!("{} ({})", c.name, role.as_str()))
            .collect();
        let _ = writeln!(out, "Companies: {}", companies.join(", "));
    }
    if !d.themes.is_empty() {
        let themes: Vec<&str> = d.themes.iter().map(|t| t.value.as_str()).collect();
        let _ = writeln!(out, "Themes: {}", themes.join(", "));
    }
    if !d.aliases.is_empty() {
        let _ = writeln!(out, "Also known as: {}", d.aliases.join("; "));
    }
    let (cast, crew): (Vec<_>, Vec<_>) = d.credits.iter().partition(|c| c.category.is_cast());
    if !cast.is_empty() {
        let _ = writeln!(out, "\nCast");
        for c in cast {
            let role = if c.characters.is_empty() {
                String::new()
            } else {
                format!(" as {}", c.characters.join(" / "))
            };
            let _ = writeln!(out, "  {}{role}", c.person.name);
        }
    }
    if !crew.is_empty() {
        let _ = writeln!(out, "\nCrew");
        // One line per person, their jobs in credit order.
        let mut lines: Vec<(&str, Vec<String>)> = Vec::new();
        for c in crew {
            let mut job = c.category.as_str().replace('_', " ");
            if let Some(detail) = &c.job {
                job = format!("{job} ({detail})");
            }
            match lines.iter_mut().find(|(name, _)| *name == c.person.name) {
                Some((_, jobs)) => jobs.push(job),
                None => lines.push((&c.person.name, vec![job])),
            }
        }
        for (name, jobs) in lines {
            let _ = writeln!(out, "  {name} — {}", jobs.join(", "));
        }
    }
    if !d.nominations.is_empty() {
        let _ = writeln!(
            out,
            "
{}",
            awards_heading(&d.nominations)
        );
        nominations_by_ceremony(&mut out, &d.nominations, false);
    }
    if !d.facts.is_empty() {
        let _ = writeln!(out, "\nFacts");
        for fact in &d.facts {
            let _ = writeln!(out, "  - {}\n    source: {}", fact.value, fact.source);
        }
    }
    if !f.sources.is_empty() {
        let _ = writeln!(out, "\nSources");
        for (field, source) in &f.sources {
            let _ = writeln!(out, "  {field}: {source}");
        }
    }
    out
}

pub fn person(p: &PersonDetails) -> String {
    let mut out = String::new();
    let life = match (p.birth_year, p.death_year) {
        (Some(b), Some(d)) => format!(" ({b}–{d})"),
        (Some(b), None) => format!(" (b. {b})"),
        _ => String::new(),
    };
    let _ = writeln!(out, "{}{life}  [{}]", p.name, p.id);
    if !p.professions.is_empty() {
        let _ = writeln!(out, "{}", p.professions.join(", "));
    }
    if !p.aliases.is_empty() {
        let _ = writeln!(out, "Also credited as: {}", p.aliases.join("; "));
    }
    if !p.credits.is_empty() {
        let _ = writeln!(out, "\nFilmography");
        // One line per film, the person's roles on it together.
        let mut films: Vec<(&PersonCredit, Vec<String>)> = Vec::new();
        for c in &p.credits {
            let role = if c.characters.is_empty() {
                c.category.as_str().replace('_', " ")
            } else {
                format!("{} as {}", c.category.as_str(), c.characters.join(" / "))
            };
            match films.iter_mut().find(|(first, _)| first.film == c.film) {
                Some((_, roles)) => roles.push(role),
                None => films.push((c, vec![role])),
            }
        }
        for (c, roles) in films {
            let year = c.year.map_or_else(|| "    ".to_string(), |y| y.to_string());
            let _ = writeln!(out, "  {year}  {} — {}", c.film.name, roles.join(", "));
        }
    }
    if !p.nominations.is_empty() {
        let _ = writeln!(
            out,
            "
{}",
            awards_heading(&p.nominations)
        );
        nominations_by_ceremony(&mut out, &p.nominations, true);
    }
    out
}

pub fn records(records: &[AwardRecord]) -> String {
    let mut out = String::new();
    let mut current: Option<RecordKind> = None;
    for r in records {
        if current != Some(r.kind) {
            let _ = writeln!(out, "\n{}", r.kind.title());
            current = Some(r.kind);
        }
        let unit = match r.kind {
            RecordKind::PersonCategoriesWon => "categories won",
            kind if kind.counts_nominations() => "nominations",
            _ => "wins",
        };
        let film = match &r.film {
            Some(film) if r.holder.id != film.id => format!(" for {}", film.name),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}. {}{film}: {} {unit}",
            r.rank, r.holder.name, r.count
        );
        if r.rank == 1 && r.evidence.len() <= 12 {
            for n in &r.evidence {
                let _ = writeln!(
                    out,
                    "       {} ceremony: {}  [{}]",
                    ordinal(n.ceremony),
                    nomination_line(
                        n,
                        Show {
                            category: true,
                            films: r.film.is_none()
                        }
                    ),
                    n.source
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "\nCounting: {}",
        kinograph_catalog::NominationCounting::RULE
    );
    out
}

pub fn ceremony(c: &CeremonyResults) -> String {
    let mut out = String::new();
    let years = c
        .ceremony
        .years
        .map(|y| format!(" — films of {y}"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{} {}{years}",
        ordinal(c.ceremony.ordinal),
        c.body_name
    );
    if let Some(date) = c.ceremony.date {
        let source = c
            .ceremony
            .date_source
            .as_ref()
            .map(|s| format!("  [{s}]"))
            .unwrap_or_default();
        let _ = writeln!(out, "Held on {}{source}", date.format("%B %-d, %Y"));
    }
    for category in &c.categories {
        let _ = writeln!(out, "\n{}", category.category.name);
        for n in &category.nominations {
            let line = nomination_line(
                n,
                Show {
                    category: false,
                    films: true,
                },
            );
            let _ = writeln!(out, "  {line}");
        }
    }
    out
}

/// A checked essay: its sections, what it names (each entity once, with how often), and each
/// claim with its verdict and evidence.
pub fn check(report: &kinograph_checker::Report) -> String {
    use kinograph_checker::Verdict;
    let mut out = String::new();
    let _ = writeln!(out, "Sections ({})", report.sections.len());
    for section in &report.sections {
        let _ = writeln!(out, "  {}", section.title);
    }
    let mut named: Vec<(String, &str, String, usize)> = Vec::new();
    let mut unlinked = 0;
    for mention in &report.mentions {
        let Some(entity) = &mention.entity else {
            unlinked += 1;
            continue;
        };
        match named.iter_mut().find(|(id, _, _, _)| *id == entity.id) {
            Some(entry) => entry.3 += 1,
            None => named.push((
                entity.id.clone(),
                mention.kind.as_str(),
                entity.name.clone(),
                1,
            )),
        }
    }
    let _ = writeln!(
        out,
        "\nMentions ({} linked to {} entities{})",
        report.mentions.len() - unlinked,
        named.len(),
        if unlinked > 0 {
            format!(", {unlinked} not linked")
        } else {
            String::new()
        }
    );
    for (id, kind, name, times) in &named {
        let _ = writeln!(out, "  {kind:<9} {name} [{id}] ×{times}");
    }
    let _ = writeln!(out, "\nClaims ({})", report.claims.len());
    for claim in &report.claims {
        let mark = match claim.verdict {
            Verdict::Supported => "✓",
            Verdict::Contradicted => "✗",
            Verdict::Unverifiable => "?",
        };
        let _ = writeln!(
            out,
            "  {mark} {} ({}): “{}”",
            claim.verdict,
            claim.kind.as_str(),
            claim.text
        );
        // A career's worth of counted rows is for --format json; people get the first few.
        const SHOWN: usize = 8;
        for evidence in claim.evidence.iter().take(SHOWN) {
            let _ = writeln!(out, "      {} — {}", evidence.fact, evidence.source);
        }
        if claim.evidence.len() > SHOWN {
            let _ = writeln!(
                out,
                "      … and {} more (all of them with --format json)",
                claim.evidence.len() - SHOWN
            );
        }
    }
    let count = |v: Verdict| report.claims.iter().filter(|c| c.verdict == v).count();
    let _ = writeln!(
        out,
        "\n{} supported, {} contradicted, {} unverifiable",
        count(Verdict::Supported),
        count(Verdict::Contradicted),
        count(Verdict::Unverifiable)
    );
    out
}

/// "1 row", "3 rows".
pub fn count(n: usize, one: &str, many: &str) -> String {
    plural(n, one, many)
}

fn outcome_word(outcome: kinograph_catalog::Outcome) -> &'static str {
    match outcome {
        kinograph_catalog::Outcome::New => "new",
        kinograph_catalog::Outcome::Updated => "updated",
        kinograph_catalog::Outcome::Unchanged => "unchanged",
    }
}

/// "Anora (2024)", or the title alone.
fn titled(title: &str, year: Option<i32>) -> String {
    format!("{title}{}", year_suffix(year))
}

/// What a Letterboxd import did: per file, what was new and what was there already; then the
/// rows to check (a year one off, several films of one title) and those left out.
pub fn letterboxd_report(report: &kinograph_import::diary::LetterboxdReport, user: &str) -> String {
    let mut out = format!("letterboxd export into {user}'s diary:\n");
    for file in report.files.iter().filter(|f| f.read > 0) {
        let mut parts = vec![
            format!("{} read", file.read),
            format!("{} new", file.added),
            format!("{} already there", file.unchanged),
        ];
        if file.merged > 0 {
            parts.push(format!("{} merged into their diary entry", file.merged));
        }
        if file.unmatched > 0 {
            parts.push(format!("{} not in the catalog", file.unmatched));
        }
        let _ = writeln!(out, "  {}: {}", file.file, parts.join(", "));
    }
    for list in &report.lists {
        let _ = writeln!(
            out,
            "  list \u{201c}{}\u{201d} (/lists/{}): {}, {}",
            list.name,
            list.slug,
            outcome_word(list.outcome),
            plural(list.films as usize, "film", "films")
        );
    }
    if !report.near_year.is_empty() {
        let _ = writeln!(out, "matched with the year one off (check these):");
        for m in &report.near_year {
            let _ = writeln!(
                out,
                "  {}:{}: {} \u{2192} {} [{}]",
                m.file,
                m.line,
                titled(&m.title, m.year),
                titled(&m.film_title, m.film_year),
                m.film
            );
        }
    }
    if !report.ambiguous.is_empty() {
        let _ = writeln!(out, "several films match (the most nominated was taken):");
        for m in &report.ambiguous {
            let _ = writeln!(
                out,
                "  {}:{}: {} \u{2192} [{}]; also {}",
                m.file,
                m.line,
                titled(&m.title, m.year),
                m.film,
                m.others.join(", ")
            );
        }
    }
    if !report.unmatched.is_empty() {
        let _ = writeln!(out, "not in the catalog (left out):");
        for u in &report.unmatched {
            let _ = writeln!(out, "  {}:{}: {}", u.file, u.line, titled(&u.title, u.year));
        }
    }
    if !report.missing.is_empty() {
        let _ = writeln!(out, "not in the export: {}", report.missing.join(", "));
    }
    if !report.rejected.is_empty() {
        let _ = writeln!(
            out,
            "rejected rows: {} (listed on stderr)",
            report.rejected.len()
        );
    }
    out
}

fn tally_line(tally: &kinograph_import::Tally) -> String {
    let mut out = format!("{} new", tally.new);
    if tally.updated > 0 {
        let _ = write!(out, ", {} updated", tally.updated);
    }
    let _ = write!(out, ", {} already there", tally.unchanged);
    out
}

/// What importing a user archive did.
pub fn archive_report(report: &kinograph_import::diary::ArchiveReport, user: &str) -> String {
    let mut out = format!("user archive into {user}'s account:\n");
    for (what, tally) in [
        ("viewings", &report.viewings),
        ("films", &report.films),
        ("lists", &report.lists),
        ("following", &report.following),
    ] {
        let _ = writeln!(out, "  {what}: {}", tally_line(tally));
    }
    if !report.unmatched.is_empty() {
        let _ = writeln!(out, "not in the catalog (left out):");
        for u in &report.unmatched {
            let _ = writeln!(
                out,
                "  {}: {} [{}]",
                u.place,
                titled(&u.film.title, u.film.year),
                u.film.imdb_id.as_deref().unwrap_or(&u.film.id)
            );
        }
    }
    if !report.unknown_users.is_empty() {
        let _ = writeln!(
            out,
            "accounts this instance does not have (not followed): {}",
            report.unknown_users.join(", ")
        );
    }
    out
}

/// What a MovieLens import did.
pub fn movielens_report(report: &kinograph_import::diary::MovieLensReport) -> String {
    let mut out = format!("movielens: {} ratings read\n", report.ratings);
    let _ = writeln!(out, "  accounts: {}", tally_line(&report.users));
    let _ = writeln!(out, "  viewings: {}", tally_line(&report.viewings));
    let _ = writeln!(
        out,
        "  films in the catalog: {}; not in it: {} ({} ratings left out)",
        report.films_matched, report.films_not_in_catalog, report.ratings_not_in_catalog
    );
    out
}

#[cfg(test)]
mod tests {
    use super::ordinal;

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 97, 101, 111]
            .into_iter()
            .map(ordinal)
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "97th",
                "101st", "111th"
            ]
        );
    }
}
