//! Atom 1.0 and RSS 2.0 feeds of published essays (and of members' public diary entries, in
//! the same shape: see `syndication.rs`), written with the `atom_syndication` and `rss` crates
//! (which do the XML escaping).
//!
//! Both formats carry the same items in the order given (callers give newest first). Dates are
//! UTC: an essay's publication date becomes midnight UTC of that day, and its last change is the
//! RFC 3339 `updated` stamp when one is known. The feed's own `updated` (Atom) and
//! `lastBuildDate` (RSS) is the latest of its items' last changes.
//!
//! Text is plain text throughout, except two RSS conventions: an item's `description` is read
//! as HTML by feed readers, so the plain-text summary is HTML-escaped before it goes there; and
//! the essay's HTML, when given, goes into `content:encoded` (Atom: `<content type="html">`).
//! An RSS item's `author` is meant to be an email address, so the author's name is written as
//! Dublin Core `dc:creator` instead.

use atom_syndication as atom;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc};

/// The generator named in both formats.
const GENERATOR: &str = "Kinograph";

/// What a feed is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedInfo {
    /// "The Kinograph Review", "Essays tagged “sean baker”".
    pub title: String,
    pub description: String,
    /// Absolute URL of the HTML page the feed follows.
    pub page_url: String,
    /// Absolute URL of the Atom feed itself (rel=self).
    pub atom_url: String,
    /// Absolute URL of the RSS feed itself.
    pub rss_url: String,
}

/// One published essay, or one diary entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedItem {
    pub title: String,
    /// Absolute URL of the essay; also its Atom id and RSS guid.
    pub url: String,
    pub author: String,
    pub published: NaiveDate,
    /// Last change, RFC 3339 UTC ("2025-03-20T10:00:00Z"), when known (corrections); else the
    /// published date at 00:00Z.
    pub updated: Option<String>,
    /// Plain text (the essay's subtitle or first words).
    pub summary: String,
    /// Sanitized HTML of the essay, if given.
    pub content_html: Option<String>,
    /// Tags.
    pub categories: Vec<String>,
}

impl FeedItem {
    /// Midnight UTC of the publication date.
    fn published_at(&self) -> DateTime<FixedOffset> {
        midnight_utc(self.published)
    }

    /// The last change: `updated` normalized to UTC when it parses and is not before
    /// publication, else the publication time.
    fn updated_at(&self) -> DateTime<FixedOffset> {
        let published = self.published_at();
        let Some(stamp) = self.updated.as_deref() else {
            return published;
        };
        match DateTime::parse_from_rfc3339(stamp.trim()) {
            Ok(updated) => updated.with_timezone(&Utc).fixed_offset().max(published),
            Err(error) => {
                tracing::warn!(
                    url = %self.url, stamp, %error,
                    "feed item: unparseable `updated`, using the publication date"
                );
                published
            }
        }
    }
}

/// The feed's last change: the latest of its items' (none when there are no items).
fn feed_updated(items: &[FeedItem]) -> Option<DateTime<FixedOffset>> {
    items.iter().map(FeedItem::updated_at).max()
}

fn midnight_utc(date: NaiveDate) -> DateTime<FixedOffset> {
    date.and_time(NaiveTime::MIN).and_utc().fixed_offset()
}

fn epoch() -> DateTime<FixedOffset> {
    DateTime::<Utc>::UNIX_EPOCH.fixed_offset()
}

/// Drops the characters XML 1.0 cannot carry at all, escaped or not (C0 controls other than
/// tab, newline and carriage return; U+FFFE and U+FFFF), which would make the whole feed
/// unreadable. Everything else is escaped by the writers.
fn xml_text(text: &str) -> String {
    text.chars()
        .filter(|ch| {
            !matches!(
                ch,
                '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}'
            )
        })
        .collect()
}

/// The written document as a string. Writing to a `Vec` cannot fail on I/O and the input is
/// all `String`s, so neither error is expected; if one happens it is logged and the feed is
/// empty rather than half-written.
fn into_string<E: std::fmt::Display>(written: Result<Vec<u8>, E>, format: &str) -> String {
    match written {
        Ok(bytes) => String::from_utf8(bytes).unwrap_or_else(|error| {
            tracing::error!(format, %error, "feed is not UTF-8");
            String::new()
        }),
        Err(error) => {
            tracing::error!(format, %error, "feed could not be written");
            String::new()
        }
    }
}

fn atom_link(href: &str, rel: &str, mime_type: &str) -> atom::Link {
    atom::Link {
        href: xml_text(href),
        rel: rel.to_owned(),
        mime_type: Some(mime_type.to_owned()),
        ..atom::Link::default()
    }
}

/// The Atom 1.0 feed (`application/atom+xml`).
pub fn atom(info: &FeedInfo, items: &[FeedItem]) -> String {
    let entries = items
        .iter()
        .map(|item| atom::Entry {
            id: xml_text(&item.url),
            title: atom::Text::plain(xml_text(&item.title)),
            updated: item.updated_at(),
            published: Some(item.published_at()),
            authors: vec![atom::Person {
                name: xml_text(&item.author),
                ..atom::Person::default()
            }],
            links: vec![atom_link(&item.url, "alternate", "text/html")],
            summary: Some(atom::Text::plain(xml_text(&item.summary))),
            content: item.content_html.as_deref().map(|html| atom::Content {
                value: Some(xml_text(html)),
                content_type: Some("html".to_owned()),
                ..atom::Content::default()
            }),
            categories: item
                .categories
                .iter()
                .map(|tag| atom::Category {
                    term: xml_text(tag),
                    ..atom::Category::default()
                })
                .collect(),
            ..atom::Entry::default()
        })
        .collect();

    let feed = atom::Feed {
        id: xml_text(&info.page_url),
        title: atom::Text::plain(xml_text(&info.title)),
        subtitle: (!info.description.is_empty())
            .then(|| atom::Text::plain(xml_text(&info.description))),
        updated: feed_updated(items).unwrap_or_else(epoch),
        links: vec![
            atom_link(&info.atom_url, "self", "application/atom+xml"),
            atom_link(&info.page_url, "alternate", "text/html"),
        ],
        generator: Some(atom::Generator {
            value: GENERATOR.to_owned(),
            ..atom::Generator::default()
        }),
        entries,
        ..atom::Feed::default()
    };
    into_string(feed.write_to(Vec::new()), "atom")
}

/// The RSS 2.0 feed (`application/rss+xml`).
pub fn rss(info: &FeedInfo, items: &[FeedItem]) -> String {
    use rss::extension::atom::AtomExtension;
    use rss::extension::dublincore::DublinCoreExtension;

    let rss_items = items
        .iter()
        .map(|item| rss::Item {
            title: Some(xml_text(&item.title)),
            link: Some(xml_text(&item.url)),
            guid: Some(rss::Guid {
                value: xml_text(&item.url),
                permalink: true,
            }),
            pub_date: Some(item.published_at().to_rfc2822()),
            // Readers render an RSS description as HTML: the plain-text summary is escaped.
            description: Some(crate::annotate::escape(&xml_text(&item.summary))),
            content: item.content_html.as_deref().map(xml_text),
            dublin_core_ext: Some(DublinCoreExtension {
                creators: vec![xml_text(&item.author)],
                ..DublinCoreExtension::default()
            }),
            categories: item
                .categories
                .iter()
                .map(|tag| rss::Category {
                    name: xml_text(tag),
                    domain: None,
                })
                .collect(),
            ..rss::Item::default()
        })
        .collect();

    let channel = rss::Channel {
        title: xml_text(&info.title),
        link: xml_text(&info.page_url),
        description: xml_text(&info.description),
        last_build_date: feed_updated(items).map(|updated| updated.to_rfc2822()),
        generator: Some(GENERATOR.to_owned()),
        atom_ext: Some(AtomExtension {
            links: vec![atom_link(&info.rss_url, "self", "application/rss+xml")],
        }),
        items: rss_items,
        ..rss::Channel::default()
    };
    into_string(channel.write_to(Vec::new()), "rss")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn info() -> FeedInfo {
        FeedInfo {
            title: "Essays tagged “sean baker”".to_owned(),
            description: "Criticism & essays from Kinograph".to_owned(),
            page_url: "https://kinograph.example/tags/sean-baker".to_owned(),
            atom_url: "https://kinograph.example/tags/sean-baker/feed.atom".to_owned(),
            rss_url: "https://kinograph.example/tags/sean-baker/feed.rss".to_owned(),
        }
    }

    /// Newest first: the first has accents, `<` and `&`, and a correction; the second has the
    /// essay's HTML.
    fn items() -> Vec<FeedItem> {
        vec![
            FeedItem {
                title: "Anora & the <Cinderella> myth — Brighton Beach déjà vu".to_owned(),
                url: "https://kinograph.example/essays/anora-cinderella".to_owned(),
                author: "Zoë Müller-Łukasiewicz".to_owned(),
                published: NaiveDate::from_ymd_opt(2025, 3, 14).unwrap(),
                updated: Some("2025-03-20T10:00:00Z".to_owned()),
                summary: "Why 5 < 6 & a fairy tale ends at a car wash, café included".to_owned(),
                content_html: None,
                categories: vec!["sean baker".to_owned(), "café society".to_owned()],
            },
            FeedItem {
                title: "The Florida Project at eye level".to_owned(),
                url: "https://kinograph.example/essays/florida-project".to_owned(),
                author: "Ana Ruiz".to_owned(),
                published: NaiveDate::from_ymd_opt(2025, 2, 1).unwrap(),
                updated: None,
                summary: "Moonee's summer, shot from a child's height.".to_owned(),
                content_html: Some("<p>The camera stays <em>low</em> &amp; close.</p>".to_owned()),
                categories: vec!["sean baker".to_owned()],
            },
        ]
    }

    fn utc(stamp: &str) -> DateTime<FixedOffset> {
        DateTime::parse_from_rfc3339(stamp).unwrap()
    }

    #[test]
    fn atom_round_trips() {
        let xml = atom(&info(), &items());
        let feed = atom::Feed::read_from(xml.as_bytes()).unwrap();

        assert_eq!(feed.title.value, "Essays tagged “sean baker”");
        assert_eq!(feed.id, "https://kinograph.example/tags/sean-baker");
        assert_eq!(
            feed.subtitle.as_ref().map(|s| s.value.as_str()),
            Some("Criticism & essays from Kinograph")
        );
        assert_eq!(feed.updated, utc("2025-03-20T10:00:00Z"));
        assert_eq!(feed.generator.as_ref().unwrap().value, "Kinograph");
        let link = |rel: &str| {
            let found: Vec<_> = feed.links.iter().filter(|l| l.rel == rel).collect();
            assert_eq!(found.len(), 1, "one rel={rel} link");
            found[0].href.clone()
        };
        assert_eq!(
            link("self"),
            "https://kinograph.example/tags/sean-baker/feed.atom"
        );
        assert_eq!(
            link("alternate"),
            "https://kinograph.example/tags/sean-baker"
        );

        assert_eq!(feed.entries.len(), 2);
        let (first, second) = (&feed.entries[0], &feed.entries[1]);
        assert_eq!(
            first.title.value,
            "Anora & the <Cinderella> myth — Brighton Beach déjà vu"
        );
        assert_eq!(first.title.r#type, atom::TextType::Text);
        assert_eq!(
            first.id,
            "https://kinograph.example/essays/anora-cinderella"
        );
        assert_eq!(first.links.len(), 1);
        assert_eq!(first.links[0].rel, "alternate");
        assert_eq!(
            first.links[0].href,
            "https://kinograph.example/essays/anora-cinderella"
        );
        assert_eq!(first.updated, utc("2025-03-20T10:00:00Z"));
        assert_eq!(first.published, Some(utc("2025-03-14T00:00:00Z")));
        assert_eq!(first.authors.len(), 1);
        assert_eq!(first.authors[0].name, "Zoë Müller-Łukasiewicz");
        let summary = first.summary.as_ref().unwrap();
        assert_eq!(
            summary.value,
            "Why 5 < 6 & a fairy tale ends at a car wash, café included"
        );
        assert_eq!(summary.r#type, atom::TextType::Text);
        assert!(first.content.is_none());
        let terms: Vec<_> = first.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["sean baker", "café society"]);

        assert_eq!(
            second.id,
            "https://kinograph.example/essays/florida-project"
        );
        assert_eq!(second.title.value, "The Florida Project at eye level");
        assert_eq!(second.updated, utc("2025-02-01T00:00:00Z"));
        assert_eq!(second.published, Some(utc("2025-02-01T00:00:00Z")));
        assert_eq!(second.authors[0].name, "Ana Ruiz");
        let content = second.content.as_ref().unwrap();
        assert_eq!(content.content_type.as_deref(), Some("html"));
        assert_eq!(
            content.value.as_deref(),
            Some("<p>The camera stays <em>low</em> &amp; close.</p>")
        );
        let terms: Vec<_> = second.categories.iter().map(|c| c.term.as_str()).collect();
        assert_eq!(terms, ["sean baker"]);

        // The markup in the title and summary is escaped in the document itself.
        assert!(!xml.contains("<Cinderella>"));
        assert!(xml.contains("&lt;Cinderella&gt;"));
        // Plain text is Atom's default type, so the writer leaves `type="text"` out.
        assert!(xml.contains("<summary>Why 5 &lt; 6 &amp; a fairy tale"));
        assert!(xml.contains(r#"<content type="html">"#));
    }

    #[test]
    fn rss_round_trips() {
        let xml = rss(&info(), &items());
        let channel = rss::Channel::read_from(xml.as_bytes()).unwrap();

        assert_eq!(channel.title, "Essays tagged “sean baker”");
        assert_eq!(channel.link, "https://kinograph.example/tags/sean-baker");
        assert_eq!(channel.description, "Criticism & essays from Kinograph");
        assert_eq!(channel.generator.as_deref(), Some("Kinograph"));
        let built = channel.last_build_date.as_deref().unwrap();
        assert_eq!(built, "Thu, 20 Mar 2025 10:00:00 +0000");
        assert_eq!(
            DateTime::parse_from_rfc2822(built).unwrap(),
            utc("2025-03-20T10:00:00Z")
        );
        let self_links = channel.atom_ext.as_ref().unwrap().links();
        assert_eq!(self_links.len(), 1);
        assert_eq!(self_links[0].rel, "self");
        assert_eq!(
            self_links[0].href,
            "https://kinograph.example/tags/sean-baker/feed.rss"
        );
        assert_eq!(
            self_links[0].mime_type.as_deref(),
            Some("application/rss+xml")
        );

        assert_eq!(channel.items.len(), 2);
        let (first, second) = (&channel.items[0], &channel.items[1]);
        assert_eq!(
            first.title.as_deref(),
            Some("Anora & the <Cinderella> myth — Brighton Beach déjà vu")
        );
        assert_eq!(
            first.link.as_deref(),
            Some("https://kinograph.example/essays/anora-cinderella")
        );
        let guid = first.guid.as_ref().unwrap();
        assert_eq!(
            guid.value,
            "https://kinograph.example/essays/anora-cinderella"
        );
        assert!(guid.permalink);
        assert_eq!(
            first.pub_date.as_deref(),
            Some("Fri, 14 Mar 2025 00:00:00 +0000")
        );
        assert_eq!(
            DateTime::parse_from_rfc2822(first.pub_date.as_deref().unwrap()).unwrap(),
            utc("2025-03-14T00:00:00Z")
        );
        assert_eq!(
            first.dublin_core_ext.as_ref().unwrap().creators(),
            ["Zoë Müller-Łukasiewicz"]
        );
        assert!(first.author.is_none());
        // `description` is HTML to readers: the plain-text summary arrives HTML-escaped.
        assert_eq!(
            first.description.as_deref(),
            Some("Why 5 &lt; 6 &amp; a fairy tale ends at a car wash, café included")
        );
        assert!(first.content.is_none());
        let names: Vec<_> = first.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["sean baker", "café society"]);

        assert_eq!(
            second.guid.as_ref().unwrap().value,
            "https://kinograph.example/essays/florida-project"
        );
        assert_eq!(
            second.pub_date.as_deref(),
            Some("Sat, 1 Feb 2025 00:00:00 +0000")
        );
        assert_eq!(
            second.dublin_core_ext.as_ref().unwrap().creators(),
            ["Ana Ruiz"]
        );
        assert_eq!(
            second.content.as_deref(),
            Some("<p>The camera stays <em>low</em> &amp; close.</p>")
        );
        let names: Vec<_> = second.categories.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["sean baker"]);

        assert!(!xml.contains("<Cinderella>"));
        assert!(xml.contains(r#"xmlns:dc="http://purl.org/dc/elements/1.1/""#));
        assert!(xml.contains(r#"xmlns:atom="http://www.w3.org/2005/Atom""#));
        assert!(xml.contains("<dc:creator>Ana Ruiz</dc:creator>"));
    }

    #[test]
    fn empty_feeds_are_valid() {
        let atom_xml = atom(&info(), &[]);
        let feed = atom::Feed::read_from(atom_xml.as_bytes()).unwrap();
        assert!(feed.entries.is_empty());
        assert_eq!(feed.updated, utc("1970-01-01T00:00:00Z"));
        assert_eq!(feed.id, "https://kinograph.example/tags/sean-baker");

        let rss_xml = rss(&info(), &[]);
        let channel = rss::Channel::read_from(rss_xml.as_bytes()).unwrap();
        assert!(channel.items.is_empty());
        assert_eq!(channel.title, "Essays tagged “sean baker”");
        // Nothing has been built: no lastBuildDate rather than a made-up one.
        assert!(channel.last_build_date.is_none());
    }

    #[test]
    fn script_in_a_title_is_escaped() {
        let mut items = items();
        items[0].title = "<script>alert(1)</script>".to_owned();
        items[0].summary = "<script>alert(2)</script>".to_owned();
        items[0].author = "<script>alert(3)</script>".to_owned();
        items[0].categories = vec!["<script>alert(4)</script>".to_owned()];
        let mut info = info();
        info.title = "<script>alert(5)</script>".to_owned();

        let atom_xml = atom(&info, &items);
        let rss_xml = rss(&info, &items);
        for xml in [&atom_xml, &rss_xml] {
            assert!(!xml.to_lowercase().contains("<script"), "{xml}");
            assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        }
        let feed = atom::Feed::read_from(atom_xml.as_bytes()).unwrap();
        assert_eq!(feed.title.value, "<script>alert(5)</script>");
        assert_eq!(feed.entries[0].title.value, "<script>alert(1)</script>");
        let channel = rss::Channel::read_from(rss_xml.as_bytes()).unwrap();
        assert_eq!(
            channel.items[0].title.as_deref(),
            Some("<script>alert(1)</script>")
        );
        assert_eq!(
            channel.items[0].description.as_deref(),
            Some("&lt;script&gt;alert(2)&lt;/script&gt;")
        );
    }

    #[test]
    fn updated_stamps() {
        let mut item = items().remove(0);
        // Another offset is normalized to UTC.
        item.updated = Some("2025-03-20T12:00:00+02:00".to_owned());
        assert_eq!(item.updated_at(), utc("2025-03-20T10:00:00Z"));
        assert_eq!(item.updated_at().to_rfc3339(), "2025-03-20T10:00:00+00:00");
        // Unparseable, or before publication: the publication date.
        item.updated = Some("last Tuesday".to_owned());
        assert_eq!(item.updated_at(), utc("2025-03-14T00:00:00Z"));
        item.updated = Some("2020-01-01T00:00:00Z".to_owned());
        assert_eq!(item.updated_at(), utc("2025-03-14T00:00:00Z"));

        // The feed's date is the latest change, not the first item's.
        let mut items = items();
        items[1].updated = Some("2025-04-02T08:30:00Z".to_owned());
        let feed = atom::Feed::read_from(atom(&info(), &items).as_bytes()).unwrap();
        assert_eq!(feed.updated, utc("2025-04-02T08:30:00Z"));
        assert_eq!(feed.entries[0].id, items[0].url, "order is kept");
    }

    #[test]
    fn characters_xml_cannot_carry_are_dropped() {
        let mut items = items();
        items[0].title = "Reel\u{0}one\u{1b}\tcut".to_owned();
        let feed = atom::Feed::read_from(atom(&info(), &items).as_bytes()).unwrap();
        assert_eq!(feed.entries[0].title.value, "Reelone\tcut");
        let channel = rss::Channel::read_from(rss(&info(), &items).as_bytes()).unwrap();
        assert_eq!(channel.items[0].title.as_deref(), Some("Reelone\tcut"));
    }

    #[test]
    fn cdata_terminator_in_html_round_trips() {
        // The rss crate writes `description` and `content:encoded` as CDATA sections.
        let mut items = items();
        items[1].content_html = Some("<p>a]]>b</p>".to_owned());
        items[1].summary = "x]]>y".to_owned();
        let channel = rss::Channel::read_from(rss(&info(), &items).as_bytes()).unwrap();
        assert_eq!(channel.items[1].content.as_deref(), Some("<p>a]]>b</p>"));
        assert_eq!(channel.items[1].description.as_deref(), Some("x]]&gt;y"));
        let feed = atom::Feed::read_from(atom(&info(), &items).as_bytes()).unwrap();
        let content = feed.entries[1].content.as_ref().unwrap();
        assert_eq!(content.value.as_deref(), Some("<p>a]]>b</p>"));
    }
}
