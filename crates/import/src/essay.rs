//! Essays: a Markdown or plain-text file with TOML front matter between `+++` lines, linked
//! to the catalog by the checker when imported.
//!
//! ```text
//! +++
//! title = "The Long Road to Anora"
//! subtitle = "One line under the title."      # optional
//! author = "Kinograph Editors"
//! published = 2025-03-20                      # optional: without it, a draft
//! tags = ["sean baker"]                       # optional
//! slug = "long-road"                          # optional: else the file name
//! +++
//! The essay…
//! ```

use chrono::NaiveDate;
use kinograph_catalog::{EssayMention, EssayRecord, NamedKind, Outcome, Provenance, is_essay_slug};
use kinograph_checker::MentionKind;
use kinograph_store::Store;
use serde::Deserialize;

use crate::{Error, Result};

/// The essays of the demo world (our own writing), as (file name, text).
pub const DEMO_ESSAYS: &[(&str, &str)] = &[
    (
        "sean-baker-the-long-road-to-anora.md",
        include_str!("../demo/essays/sean-baker-the-long-road-to-anora.md"),
    ),
    (
        "parasite-upstairs-downstairs.md",
        include_str!("../demo/essays/parasite-upstairs-downstairs.md"),
    ),
    (
        "everything-everywhere-the-multiverse-wins.md",
        include_str!("../demo/essays/everything-everywhere-the-multiverse-wins.md"),
    ),
];

const FENCE: &str = "+++";

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    title: String,
    subtitle: Option<String>,
    author: String,
    published: Option<toml::value::Datetime>,
    #[serde(default)]
    tags: Vec<String>,
    slug: Option<String>,
}

/// An essay file, parsed and validated but not yet linked to the catalog.
#[derive(Debug, Clone, PartialEq)]
pub struct EssayFile {
    pub record: EssayRecord,
}

fn invalid(dataset: &str, line: usize, message: impl Into<String>) -> Error {
    Error::Invalid {
        dataset: dataset.to_string(),
        line,
        message: message.into(),
    }
}

/// `sean-baker-the-long-road-to-anora.md` → `sean-baker-the-long-road-to-anora`.
fn slug_from_file_name(name: &str) -> String {
    let stem = name.rsplit('/').next().unwrap_or(name);
    let stem = stem.split_once('.').map_or(stem, |(stem, _)| stem);
    kinograph_catalog::normalize::key(stem).replace(' ', "-")
}

/// Parses an essay file. `dataset` names it in messages and provenance; the slug defaults to
/// its file name.
pub fn parse(text: &str, dataset: &str) -> Result<EssayFile> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix(FENCE)
        .and_then(|r| r.strip_prefix('\n').or_else(|| r.strip_prefix("\r\n")))
    else {
        return Err(invalid(
            dataset,
            1,
            "an essay starts with TOML front matter between `+++` lines (title, author, …)",
        ));
    };
    let mut front_len = None;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == FENCE {
            front_len = Some((offset, offset + line.len()));
            break;
        }
        offset += line.len();
    }
    let Some((front_end, body_start)) = front_len else {
        return Err(invalid(
            dataset,
            1,
            "the front matter has no closing `+++` line",
        ));
    };
    let front = &rest[..front_end];
    let matter: FrontMatter = toml::from_str(front).map_err(|e| {
        let line = e
            .span()
            .map(|s| front[..s.start.min(front.len())].matches('\n').count() + 1)
            .unwrap_or(0);
        invalid(dataset, line + 1, e.message().trim())
    })?;
    let line_of = |key: &str| {
        front
            .lines()
            .position(|l| l.trim_start().starts_with(key))
            .map_or(1, |i| i + 2)
    };
    let published = matter
        .published
        .map(|date| {
            NaiveDate::parse_from_str(&date.to_string(), "%Y-%m-%d").map_err(|_| {
                invalid(
                    dataset,
                    line_of("published"),
                    format!("published: {date} is not a date (expected YYYY-MM-DD)"),
                )
            })
        })
        .transpose()?;
    let slug = matter.slug.unwrap_or_else(|| slug_from_file_name(dataset));
    if !is_essay_slug(&slug) {
        return Err(invalid(
            dataset,
            line_of("slug"),
            format!("slug {slug:?} is not lowercase letters, digits and single dashes"),
        ));
    }
    for (field, value) in [("title", &matter.title), ("author", &matter.author)] {
        if value.trim().is_empty() {
            return Err(invalid(
                dataset,
                line_of(field),
                format!("{field} is empty"),
            ));
        }
    }
    let body = rest[body_start..]
        .trim_start_matches(['\n', '\r'])
        .to_string();
    if body.trim().is_empty() {
        return Err(invalid(
            dataset,
            1,
            "the essay has no text after its front matter",
        ));
    }
    Ok(EssayFile {
        record: EssayRecord {
            slug,
            title: matter.title.trim().to_string(),
            subtitle: matter.subtitle.filter(|s| !s.trim().is_empty()),
            author: matter.author.trim().to_string(),
            tags: matter.tags,
            published,
            body,
            mentions: Vec::new(),
            source: Provenance {
                dataset: dataset.to_string(),
                locator: None,
                citation: None,
            },
        },
    })
}

/// The catalog entities a check of `body` linked, each once.
fn linked_mentions(store: &Store, body: &str) -> Result<Vec<EssayMention>> {
    let checker = kinograph_store::checker_for(store, body).map_err(checker_error)?;
    let report = checker.check(store, body).map_err(checker_error)?;
    let mut mentions: Vec<EssayMention> = report
        .mentions
        .iter()
        .filter_map(|m| {
            let kind = match m.kind {
                MentionKind::Film => NamedKind::Film,
                MentionKind::Person => NamedKind::Person,
                MentionKind::Character => NamedKind::Character,
                MentionKind::Company => NamedKind::Company,
                MentionKind::Award => return None,
            };
            let id = m.entity.as_ref()?.id.clone();
            Some(EssayMention { kind, id })
        })
        .collect();
    mentions.sort_by(|a, b| (a.kind.as_str(), &a.id).cmp(&(b.kind.as_str(), &b.id)));
    mentions.dedup();
    Ok(mentions)
}

fn checker_error(error: impl std::fmt::Display) -> Error {
    Error::Linking(error.to_string())
}

/// Links the essay to the catalog (which should hold what it names first) and stores it,
/// replacing an essay of the same slug.
pub fn import(store: &mut Store, file: EssayFile) -> Result<Outcome> {
    let mut record = file.record;
    record.mentions = linked_mentions(store, &record.body)?;
    Ok(store.write(|w| w.put_essay(&record))?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_gives_metadata_and_the_rest_is_the_body() {
        let file = parse(
            "+++\ntitle = \"On Tangerine\"\nauthor = \"A. Writer\"\npublished = 2025-01-02\ntags = [\"x\"]\n+++\n\nBody text.\n",
            "essays/on-tangerine.md",
        )
        .unwrap();
        let r = &file.record;
        assert_eq!(r.slug, "on-tangerine");
        assert_eq!(r.title, "On Tangerine");
        assert_eq!(r.published, NaiveDate::from_ymd_opt(2025, 1, 2));
        assert_eq!(r.body, "Body text.\n");
        assert_eq!(r.tags, ["x"]);
    }

    #[test]
    fn every_demo_essay_parses() {
        for (name, text) in DEMO_ESSAYS {
            let file = parse(text, name).unwrap();
            assert!(file.record.published.is_some(), "{name}");
        }
    }

    #[test]
    fn bad_front_matter_says_where() {
        let check = |text: &str, expected: &str| {
            let error = parse(text, "x.md").unwrap_err().to_string();
            assert_eq!(error, expected);
        };
        check(
            "Just text.\n",
            "x.md:1: an essay starts with TOML front matter between `+++` lines (title, author, …)",
        );
        check(
            "+++\ntitle = \"T\"\n",
            "x.md:1: the front matter has no closing `+++` line",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\npublished = \"soon\"\n+++\nText\n",
            "x.md:4: invalid type: string \"soon\", expected a TOML datetime",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\npublished = 2025-01-02T10:00:00\n+++\nText\n",
            "x.md:4: published: 2025-01-02T10:00:00 is not a date (expected YYYY-MM-DD)",
        );
        check(
            "+++\ntitle = \"T\"\n+++\nText\n",
            "x.md:2: missing field `author`",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\nslug = \"Bad Slug\"\n+++\nText\n",
            "x.md:4: slug \"Bad Slug\" is not lowercase letters, digits and single dashes",
        );
        check(
            "+++\ntitle = \"T\"\nauthor = \"A\"\n+++\n\n",
            "x.md:1: the essay has no text after its front matter",
        );
    }
}
