//! An essay as HTML with its check woven in: every linked mention becomes a link to its
//! entity's page, every claim a highlight keyed to the claims panel, bare heading lines become
//! headings. Markdown is rendered by pulldown-cmark and the result sanitized by ammonia, so an
//! essay cannot inject script, event handlers or `javascript:` URLs.

use std::ops::Range;

use kinograph_catalog::Category;
use kinograph_checker::{MentionKind, Report};
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// The page of a checker entity id, if it has one.
pub fn entity_href(kind: MentionKind, id: &str) -> Option<String> {
    match kind {
        MentionKind::Film => Some(format!("/films/{id}")),
        MentionKind::Person => Some(format!("/people/{id}")),
        // A character id is its film's id and its name key: it lives on the film's page.
        MentionKind::Character => id
            .rsplit_once('/')
            .map(|(film, key)| format!("/films/{film}#character-{key}")),
        MentionKind::Award => Some(match id.split_once('/') {
            Some((body, canonical)) => {
                format!("/awards/{body}/categories/{}", Category::slug(canonical))
            }
            None => format!("/awards/{id}"),
        }),
        MentionKind::Company => None,
    }
}

/// A highlight to weave into the text: a byte range and its opening and closing tags.
struct Mark {
    range: Range<usize>,
    /// Claims wrap mentions.
    outer: bool,
    open: String,
    /// Given only on the mark's first piece (an id must be unique).
    first_open: String,
    close: &'static str,
}

fn marks(report: &Report) -> Vec<Mark> {
    let mut marks = Vec::new();
    for (n, claim) in report.claims.iter().enumerate() {
        let verdict = claim.verdict.as_str();
        let open = format!(
            "<mark class=\"claim claim-{verdict}\" title=\"{} claim: {verdict}\">",
            claim.kind.as_str()
        );
        let first_open = format!(
            "<mark class=\"claim claim-{verdict}\" id=\"claim-{}\" title=\"{} claim: {verdict}\">",
            n + 1,
            claim.kind.as_str()
        );
        marks.push(Mark {
            range: claim.start..claim.end,
            outer: true,
            open,
            first_open,
            close: "</mark>",
        });
    }
    for mention in &report.mentions {
        let kind = mention.kind.as_str();
        let (open, close) = match mention
            .entity
            .as_ref()
            .and_then(|e| entity_href(mention.kind, &e.id).map(|href| (e, href)))
        {
            Some((entity, href)) => (
                format!(
                    "<a class=\"mention mention-{kind}\" href=\"{}\" title=\"{}\">",
                    escape(&href),
                    escape(&entity.name)
                ),
                "</a>",
            ),
            None => (
                format!("<span class=\"mention mention-{kind}\">"),
                "</span>",
            ),
        };
        marks.push(Mark {
            range: mention.start..mention.end,
            outer: false,
            first_open: open.clone(),
            open,
            close,
        });
    }
    marks
}

/// Writes `text` (the essay's bytes `at..at + text.len()`) with the marks that cover it.
fn woven(text: &str, at: usize, marks: &[Mark], opened: &mut [bool]) -> String {
    let end = at + text.len();
    let mut cuts = vec![at, end];
    for mark in marks {
        for edge in [mark.range.start, mark.range.end] {
            if edge > at && edge < end && text.is_char_boundary(edge - at) {
                cuts.push(edge);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::with_capacity(text.len() * 2);
    for piece in cuts.windows(2) {
        let (from, to) = (piece[0], piece[1]);
        // At most one claim and one mention per piece; the earliest-starting of each.
        let covering = |outer: bool| {
            marks
                .iter()
                .enumerate()
                .filter(|(_, m)| m.outer == outer && m.range.start <= from && to <= m.range.end)
                .min_by_key(|(_, m)| m.range.start)
                .map(|(i, _)| i)
        };
        let layers: Vec<usize> = [covering(true), covering(false)]
            .into_iter()
            .flatten()
            .collect();
        for &i in &layers {
            if opened[i] {
                out.push_str(&marks[i].open);
            } else {
                opened[i] = true;
                out.push_str(&marks[i].first_open);
            }
        }
        out.push_str(&escape(&text[from - at..to - at]));
        for &i in layers.iter().rev() {
            out.push_str(marks[i].close);
        }
    }
    out
}

/// The essay as sanitized HTML, annotated with `report` (a check of exactly this text).
pub fn essay_html(text: &str, report: &Report) -> String {
    let marks = marks(report);
    let mut opened = vec![false; marks.len()];
    let heading_lines: Vec<Range<usize>> = report
        .sections
        .iter()
        .map(|s| {
            let line_end = text[s.start..]
                .find('\n')
                .map_or(text.len(), |i| s.start + i);
            s.start..line_end
        })
        .collect();
    let options = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut events: Vec<Event<'_>> = Vec::new();
    // A paragraph that is one of the checker's bare heading lines is shown as a heading.
    let mut in_bare_heading = false;
    for (event, range) in Parser::new_ext(text, options).into_offset_iter() {
        match event {
            Event::Start(Tag::Paragraph)
                if heading_lines.iter().any(|line| {
                    line.start == range.start
                        && text[range.clone()].trim_end() == text[line.clone()].trim_end()
                }) =>
            {
                in_bare_heading = true;
                events.push(Event::Start(Tag::Heading {
                    level: HeadingLevel::H2,
                    id: None,
                    classes: Vec::new(),
                    attrs: Vec::new(),
                }));
            }
            Event::End(TagEnd::Paragraph) if in_bare_heading => {
                in_bare_heading = false;
                events.push(Event::End(TagEnd::Heading(HeadingLevel::H2)));
            }
            // Only text that stands verbatim in the source can be mapped back to offsets
            // (an escape or an entity changes it); other text is shown unannotated.
            Event::Text(t) if text.get(range.clone()) == Some(&*t) => {
                events.push(Event::InlineHtml(CowStr::from(woven(
                    &t,
                    range.start,
                    &marks,
                    &mut opened,
                ))));
            }
            other => events.push(other),
        }
    }
    let mut html = String::with_capacity(text.len() * 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    sanitize(&spoilers(&html))
}

/// `||the ending||` becomes a spoiler, hidden until the reader reveals it (outside code).
fn spoilers(html: &str) -> String {
    const OPEN: &str =
        "<span class=\"spoiler\" tabindex=\"0\" title=\"Spoiler: focus or hover to reveal\">";
    let marks = html.match_indices("||").count();
    if marks < 2 {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len() + 64);
    let (mut in_code, mut open, mut rest) = (0usize, false, html);
    while let Some(at) = rest.find(['<', '|']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            let end = rest.find('>').map_or(rest.len(), |i| i + 1);
            let tag = &rest[..end];
            if tag.starts_with("<code") || tag.starts_with("<pre") {
                in_code += 1;
            } else if tag.starts_with("</code") || tag.starts_with("</pre") {
                in_code = in_code.saturating_sub(1);
            }
            out.push_str(tag);
            rest = &rest[end..];
        } else if rest.starts_with("||") && in_code == 0 {
            out.push_str(if open { "</span>" } else { OPEN });
            open = !open;
            rest = &rest[2..];
        } else {
            out.push('|');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    if open {
        out.push_str("</span>");
    }
    out
}

/// Keeps formatting, links and our annotations; drops scripts, styles, event handlers and
/// unsafe URLs.
pub fn sanitize(html: &str) -> String {
    ammonia::Builder::default()
        .add_tags(["mark"])
        .add_generic_attributes(["class", "id"])
        .add_tag_attributes("span", ["tabindex"])
        .clean(html)
        .to_string()
}

#[cfg(test)]
mod tests {
    use kinograph_checker::{Linked, Mention, Report, Section};

    use super::*;

    fn mention(text: &str, whole: &str, kind: MentionKind, id: &str) -> Mention {
        let start = whole.find(text).unwrap();
        Mention {
            text: text.into(),
            start,
            end: start + text.len(),
            kind,
            entity: Some(Linked {
                id: id.into(),
                name: text.into(),
            }),
        }
    }

    #[test]
    fn mentions_become_links_inside_markdown_emphasis() {
        let text = "We saw *Anora* with Mikey Madison.";
        let report = Report {
            sections: Vec::new(),
            mentions: vec![
                mention("Anora", text, MentionKind::Film, "tt28607951"),
                mention("Mikey Madison", text, MentionKind::Person, "nm6659998"),
            ],
            claims: Vec::new(),
        };
        let html = essay_html(text, &report);
        assert!(
            html.contains("<em><a class=\"mention mention-film\" href=\"/films/tt28607951\""),
            "{html}"
        );
        assert!(html.contains("href=\"/people/nm6659998\""), "{html}");
    }

    #[test]
    fn bare_heading_lines_become_headings() {
        let text = "Intro line.\n\nThe Early Years\n\nBody.\n";
        let start = text.find("The Early").unwrap();
        let report = Report {
            sections: vec![Section {
                title: "The Early Years".into(),
                start,
                end: text.len(),
            }],
            mentions: Vec::new(),
            claims: Vec::new(),
        };
        let html = essay_html(text, &report);
        assert!(html.contains("<h2>The Early Years</h2>"), "{html}");
    }

    #[test]
    fn scripts_handlers_and_javascript_urls_are_removed() {
        let text =
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))";
        let report = Report {
            sections: Vec::new(),
            mentions: Vec::new(),
            claims: Vec::new(),
        };
        let html = essay_html(text, &report);
        for bad in ["<script", "onerror", "javascript:"] {
            assert!(!html.contains(bad), "{bad} in {html}");
        }
    }

    #[test]
    fn double_bars_hide_a_spoiler_outside_code() {
        let report = Report {
            sections: Vec::new(),
            mentions: Vec::new(),
            claims: Vec::new(),
        };
        let html = essay_html("In the end ||she leaves|| for good. `a || b`", &report);
        assert!(
            html.contains("<span class=\"spoiler\" tabindex=\"0\""),
            "{html}"
        );
        assert!(html.contains("she leaves</span>"), "{html}");
        assert!(html.contains("<code>a || b</code>"), "{html}");
    }

    #[test]
    fn character_ids_link_to_their_film() {
        assert_eq!(
            entity_href(MentionKind::Character, "tt5649144/moonee").as_deref(),
            Some("/films/tt5649144#character-moonee")
        );
        assert_eq!(
            entity_href(MentionKind::Award, "oscars/BEST PICTURE").as_deref(),
            Some("/awards/oscars/categories/best-picture")
        );
    }
}
