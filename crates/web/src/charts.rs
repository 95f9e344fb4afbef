//! Server-rendered SVG charts for a diary's stats page: readable without JavaScript, scalable
//! (a `viewBox`; the stylesheet makes them `width: 100%`) and accessible (a `<title>` and a
//! `<desc>` in words, a tooltip per bar, visible labels as text).
//!
//! The output carries no inline `style=` and no script: colours and fonts come from the
//! `.chart*` classes in `kinograph.css`. Every piece of text is XML-escaped, since labels are
//! user data (a director's name, a list title).
//!
//! Element ids are unique per page: each chart's ids are a slug of its title and a
//! process-wide counter, so two charts with the same title on one page never collide (and the
//! same chart rendered twice differs only in those ids).

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};

/// One bar: what it counts (a month, a decade, a rating, a name), how many films, and
/// optionally the page it leads to.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: u32,
    /// Where the bar leads (a path like `/people/nm0000040`). Escaped, not otherwise checked:
    /// callers build it.
    pub href: Option<String>,
}

/// What an empty chart says, and how tall it is.
const EMPTY: &str = "No films yet";
const EMPTY_HEIGHT: f64 = 84.0;

/// Next chart's number, for ids unique across a page.
static NEXT_CHART: AtomicU64 = AtomicU64::new(1);

/// A vertical bar chart (films per month, films per decade, ratings histogram ½★..5★): one
/// column per bar in the order given, its count above it and its label below, with a scale at
/// the left. Bars with an `href` are links.
pub fn column_chart(title: &str, bars: &[Bar]) -> String {
    // User units; the CSS scales the whole drawing to its container.
    const HEIGHT: f64 = 260.0;
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = 12.0;
    const TOP: f64 = 24.0;
    const BOTTOM: f64 = 36.0;
    const MIN_SLOT: f64 = 44.0;
    const MAX_BAR: f64 = 64.0;

    let ids = Ids::new(title);
    let width = (LEFT + RIGHT + MIN_SLOT * bars.len() as f64).max(640.0);
    let height = if bars.is_empty() {
        EMPTY_HEIGHT
    } else {
        HEIGHT
    };
    let mut svg = open(&ids, title, bars, width, height, "chart chart-columns");
    if bars.is_empty() {
        empty(&mut svg, width, height);
        return close(svg);
    }

    let plot_height = HEIGHT - TOP - BOTTOM;
    let baseline = TOP + plot_height;
    let scale = Scale::of(bars);

    svg.push_str("<g class=\"chart-scale\" aria-hidden=\"true\">");
    for tick in scale.ticks() {
        let y = baseline - plot_height * scale.fraction(tick);
        let _ = write!(
            svg,
            "<line class=\"chart-grid\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>\
             <text class=\"chart-tick\" x=\"{}\" y=\"{y}\" dy=\"0.35em\" text-anchor=\"end\">{tick}</text>",
            num(LEFT),
            num(width - RIGHT),
            num(LEFT - 6.0),
            y = num(y),
        );
    }
    svg.push_str("</g>");

    let slot = (width - LEFT - RIGHT) / bars.len() as f64;
    let bar_width = (slot * 0.7).min(MAX_BAR);
    // About 7 units a character at the label size.
    let label_chars = ((slot / 7.0).floor() as usize).max(3);
    for (i, bar) in bars.iter().enumerate() {
        let centre = LEFT + slot * (i as f64 + 0.5);
        let height = plot_height * scale.fraction(bar.value);
        let _ = write!(
            svg,
            "<rect class=\"chart-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>\
             <text class=\"chart-value\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(centre - bar_width / 2.0),
            num(baseline - height),
            num(bar_width),
            num(height),
            escape(&tooltip(bar)),
            num(centre),
            num(baseline - height - 5.0),
            bar.value,
        );
        let label = format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            num(centre),
            num(baseline + 18.0),
            escape(&shorten(&bar.label, label_chars)),
        );
        linked(&mut svg, bar, &label);
    }
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"{}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\"/>",
        num(LEFT),
        num(width - RIGHT),
        y = num(baseline),
    );
    close(svg)
}

/// A horizontal bar chart for ranked names (top directors, top actors), in the order given:
/// the name at the left (a link when the bar has an `href`), the bar, the count at the right.
pub fn bar_list(title: &str, bars: &[Bar]) -> String {
    const WIDTH: f64 = 640.0;
    const ROW: f64 = 28.0;
    const PAD: f64 = 8.0;
    const LABEL_COLUMN: f64 = 220.0;
    const COUNT_COLUMN: f64 = 52.0;
    // About 7.5 units a character at the label size, inside the label column.
    const LABEL_CHARS: usize = 28;

    let ids = Ids::new(title);
    let height = if bars.is_empty() {
        EMPTY_HEIGHT
    } else {
        PAD * 2.0 + ROW * bars.len() as f64
    };
    let mut svg = open(&ids, title, bars, WIDTH, height, "chart chart-list");
    if bars.is_empty() {
        empty(&mut svg, WIDTH, height);
        return close(svg);
    }

    let scale = Scale::of(bars);
    let track = WIDTH - LABEL_COLUMN - COUNT_COLUMN;
    let thickness = ROW * 0.6;
    for (i, bar) in bars.iter().enumerate() {
        let middle = PAD + ROW * (i as f64 + 0.5);
        let label = format!(
            "<text class=\"chart-label\" x=\"4\" y=\"{}\" dy=\"0.35em\">{}</text>",
            num(middle),
            escape(&shorten(&bar.label, LABEL_CHARS)),
        );
        linked(&mut svg, bar, &label);
        let _ = write!(
            svg,
            "<rect class=\"chart-bar\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"><title>{}</title></rect>\
             <text class=\"chart-value\" x=\"{}\" y=\"{}\" dy=\"0.35em\" text-anchor=\"end\">{}</text>",
            num(LABEL_COLUMN),
            num(middle - thickness / 2.0),
            num(track * scale.fraction(bar.value)),
            num(thickness),
            escape(&tooltip(bar)),
            num(WIDTH - 4.0),
            num(middle),
            bar.value,
        );
    }
    close(svg)
}

/// The ids of one chart's title and description.
struct Ids {
    title: String,
    desc: String,
}

impl Ids {
    fn new(title: &str) -> Ids {
        let n = NEXT_CHART.fetch_add(1, Ordering::Relaxed);
        let base = format!("chart-{}-{n}", slug(title));
        Ids {
            title: format!("{base}-title"),
            desc: format!("{base}-desc"),
        }
    }
}

/// Lowercase ASCII letters and digits, runs of anything else as one hyphen; at most 40
/// characters; "chart" when nothing is left.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for ch in text.chars() {
        if out.len() >= 40 {
            break;
        }
        if ch.is_ascii_alphanumeric() {
            out.push(ch.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("chart");
    }
    out
}

/// The root element, its title and description. Links inside an `img` would be hidden from
/// assistive technology, so a chart with links is a `group` (its texts and links read in order)
/// and one without is a single `img`.
fn open(ids: &Ids, title: &str, bars: &[Bar], width: f64, height: f64, class: &str) -> String {
    let role = if bars.iter().any(|b| b.href.is_some()) {
        "group"
    } else {
        "img"
    };
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"{class}\" role=\"{role}\" \
         viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" \
         aria-labelledby=\"{tid}\" aria-describedby=\"{did}\">\
         <title id=\"{tid}\">{title}</title><desc id=\"{did}\">{desc}</desc>",
        w = num(width),
        h = num(height),
        tid = ids.title,
        did = ids.desc,
        title = escape(title),
        desc = escape(&describe(bars)),
    )
}

fn close(mut svg: String) -> String {
    svg.push_str("</svg>");
    svg
}

fn empty(svg: &mut String, width: f64, height: f64) {
    let _ = write!(
        svg,
        "<text class=\"chart-empty\" x=\"{}\" y=\"{}\" dy=\"0.35em\" text-anchor=\"middle\">{EMPTY}</text>",
        num(width / 2.0),
        num(height / 2.0),
    );
}

/// `markup`, inside a link when the bar has one.
fn linked(svg: &mut String, bar: &Bar, markup: &str) {
    match &bar.href {
        Some(href) => {
            let _ = write!(
                svg,
                "<a class=\"chart-link\" href=\"{}\">{markup}</a>",
                escape(href)
            );
        }
        None => svg.push_str(markup),
    }
}

/// The data in words: "Jan: 3, Feb: 0, Mar: 4. Total: 7 films."
fn describe(bars: &[Bar]) -> String {
    if bars.is_empty() {
        return format!("{EMPTY}.");
    }
    let items: Vec<String> = bars
        .iter()
        .map(|b| format!("{}: {}", b.label, b.value))
        .collect();
    let total: u64 = bars.iter().map(|b| u64::from(b.value)).sum();
    format!("{}. Total: {}.", items.join(", "), films(total))
}

/// A bar's tooltip: "March: 4 films".
fn tooltip(bar: &Bar) -> String {
    format!("{}: {}", bar.label, films(u64::from(bar.value)))
}

fn films(n: u64) -> String {
    if n == 1 {
        "1 film".to_string()
    } else {
        format!("{n} films")
    }
}

/// At most `max` characters, the last an ellipsis when cut (the tooltip keeps the whole).
fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max.saturating_sub(1)).collect();
    out.truncate(out.trim_end().len());
    out.push('…');
    out
}

/// The value axis: from 0 to a round top in round steps (1, 2, 5, 10, 20, …), at most five.
struct Scale {
    step: u64,
    top: u64,
}

impl Scale {
    fn of(bars: &[Bar]) -> Scale {
        let max = bars.iter().map(|b| u64::from(b.value)).max().unwrap_or(0);
        if max == 0 {
            // Nothing to scale: a unit top keeps every height 0 without dividing by 0.
            return Scale { step: 1, top: 1 };
        }
        let target = max.div_ceil(5);
        let mut magnitude = 1u64;
        let step = 'found: loop {
            for m in [1, 2, 5] {
                if m * magnitude >= target {
                    break 'found m * magnitude;
                }
            }
            magnitude *= 10;
        };
        Scale {
            step,
            top: max.div_ceil(step) * step,
        }
    }

    /// How far up the axis `value` is, 0 to 1.
    fn fraction(&self, value: impl Into<u64>) -> f64 {
        value.into() as f64 / self.top as f64
    }

    fn ticks(&self) -> impl Iterator<Item = u64> + '_ {
        (0..=self.top / self.step).map(|i| i * self.step)
    }
}

/// A coordinate, to two decimals and without trailing zeros.
fn num(x: f64) -> String {
    let text = format!("{x:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Text for XML content or a quoted attribute. Control characters XML cannot hold become
/// spaces.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push(' '),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::*;

    fn bar(label: &str, value: u32) -> Bar {
        Bar {
            label: label.to_string(),
            value,
            href: None,
        }
    }

    fn months() -> Vec<Bar> {
        vec![bar("Jan", 3), bar("Feb", 0), bar("Mar", 4), bar("Apr", 2)]
    }

    /// The value of `name="…"` in `tag`.
    fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let end = tag[start..].find('"')? + start;
        Some(&tag[start..end])
    }

    /// The opening tags of the chart's bars.
    fn bar_rects(svg: &str) -> Vec<&str> {
        svg.match_indices("<rect class=\"chart-bar\"")
            .map(|(i, _)| {
                let end = svg[i..].find('>').unwrap() + i;
                &svg[i..=end]
            })
            .collect()
    }

    fn number(tag: &str, name: &str) -> f64 {
        attr(tag, name).unwrap().parse().unwrap()
    }

    /// A small well-formedness check: every tag closes in order, one root, attributes quoted,
    /// every `&` starts an entity.
    fn assert_well_formed(svg: &str) {
        let mut stack: Vec<&str> = Vec::new();
        let mut roots = 0;
        let mut rest = svg;
        while let Some(open) = rest.find('<') {
            let text = &rest[..open];
            assert!(!text.contains('>'), "stray > in {text:?}");
            assert_entities(text);
            let end = rest[open..].find('>').expect("unclosed tag") + open;
            let tag = &rest[open + 1..end];
            assert!(!tag.contains('<'), "< inside tag {tag:?}");
            if let Some(name) = tag.strip_prefix('/') {
                assert_eq!(stack.pop(), Some(name), "mismatched </{name}> in {svg}");
            } else {
                let self_closing = tag.ends_with('/');
                let body = tag.trim_end_matches('/');
                let name = body.split_whitespace().next().expect("empty tag");
                assert_eq!(
                    body.matches('"').count() % 2,
                    0,
                    "unbalanced quotes in {tag:?}"
                );
                assert_entities(body);
                if stack.is_empty() {
                    roots += 1;
                }
                if !self_closing {
                    stack.push(name);
                }
            }
            rest = &rest[end + 1..];
        }
        assert!(stack.is_empty(), "unclosed {stack:?}");
        assert_eq!(roots, 1);
        assert!(rest.trim().is_empty(), "text after the root: {rest:?}");
    }

    #[test]
    #[should_panic(expected = "mismatched")]
    fn the_well_formedness_check_catches_misnested_tags() {
        assert_well_formed("<svg><g><text>x</g></text></svg>");
    }

    #[test]
    #[should_panic(expected = "bad entity")]
    fn the_well_formedness_check_catches_bare_ampersands() {
        assert_well_formed("<svg><text>Tom & Jerry</text></svg>");
    }

    fn assert_entities(text: &str) {
        for (i, _) in text.match_indices('&') {
            let entity = &text[i..text[i..].find(';').map_or(text.len(), |e| i + e + 1)];
            assert!(
                ["&amp;", "&lt;", "&gt;", "&quot;", "&#39;"].contains(&entity),
                "bad entity {entity:?} in {text:?}"
            );
        }
    }

    fn both(title: &str, bars: &[Bar]) -> [String; 2] {
        [column_chart(title, bars), bar_list(title, bars)]
    }

    #[test]
    fn labels_are_escaped() {
        let evil = Bar {
            label: "<script>alert('x')</script> & \"Sons\"".to_string(),
            value: 2,
            href: Some("/people/\"><script>".to_string()),
        };
        for svg in both("<b>Top</b> directors", &[evil.clone(), bar("Ozu", 1)]) {
            assert!(!svg.contains("<script"), "{svg}");
            assert!(!svg.contains("<b>"), "{svg}");
            assert!(svg.contains("&lt;script&gt;alert(&#39;x&#39;)"), "{svg}");
            assert!(svg.contains("&amp; &quot;Sons&quot;"), "{svg}");
            assert!(
                svg.contains("href=\"/people/&quot;&gt;&lt;script&gt;\""),
                "{svg}"
            );
            assert!(
                svg.contains("&lt;b&gt;Top&lt;/b&gt; directors</title>"),
                "{svg}"
            );
            assert_well_formed(&svg);
        }
    }

    #[test]
    fn control_characters_do_not_reach_the_xml() {
        let svg = bar_list("Nul\u{0}", &[bar("a\u{1}b", 1)]);
        assert!(!svg.chars().any(|c| c.is_control()), "{svg:?}");
        assert!(svg.contains("a b"));
    }

    #[test]
    fn column_heights_are_proportional_to_values() {
        let svg = column_chart("Films per month", &months());
        let rects = bar_rects(&svg);
        assert_eq!(rects.len(), 4);
        let heights: Vec<f64> = rects.iter().map(|r| number(r, "height")).collect();
        assert_eq!(heights[1], 0.0);
        assert!(
            (heights[0] / heights[2] - 3.0 / 4.0).abs() < 0.01,
            "{heights:?}"
        );
        assert!(
            (heights[3] / heights[2] - 2.0 / 4.0).abs() < 0.01,
            "{heights:?}"
        );
        // Each bar stands on the same baseline.
        let bottoms: Vec<f64> = rects
            .iter()
            .map(|r| number(r, "y") + number(r, "height"))
            .collect();
        assert!(
            bottoms.iter().all(|b| (b - bottoms[0]).abs() < 0.01),
            "{bottoms:?}"
        );
    }

    #[test]
    fn list_widths_are_proportional_to_values() {
        let svg = bar_list(
            "Top directors",
            &[bar("Ozu", 6), bar("Kubrick", 3), bar("Varda", 0)],
        );
        let widths: Vec<f64> = bar_rects(&svg).iter().map(|r| number(r, "width")).collect();
        assert_eq!(widths.len(), 3);
        assert!((widths[1] / widths[0] - 0.5).abs() < 0.01, "{widths:?}");
        assert_eq!(widths[2], 0.0);
        let lefts: Vec<f64> = bar_rects(&svg).iter().map(|r| number(r, "x")).collect();
        assert!(lefts.iter().all(|x| *x == lefts[0]));
    }

    #[test]
    fn the_largest_bar_fills_a_round_scale() {
        let scale = Scale::of(&[bar("a", 7)]);
        assert_eq!((scale.step, scale.top), (2, 8));
        let scale = Scale::of(&[bar("a", 100)]);
        assert_eq!((scale.step, scale.top), (20, 100));
        let scale = Scale::of(&[bar("a", u32::MAX)]);
        assert!(scale.top >= u64::from(u32::MAX));
        assert!(scale.ticks().count() <= 6);
    }

    #[test]
    fn empty_input_says_so() {
        for svg in both("Films per decade", &[]) {
            assert!(svg.contains(">No films yet</text>"), "{svg}");
            assert!(svg.contains("<desc id=\"chart-films-per-decade-"), "{svg}");
            assert!(svg.contains(">No films yet.</desc>"), "{svg}");
            assert!(bar_rects(&svg).is_empty());
            assert_well_formed(&svg);
        }
    }

    #[test]
    fn all_zero_values_draw_flat_bars() {
        for svg in both("Ratings", &[bar("½★", 0), bar("5★", 0)]) {
            assert!(!svg.contains("NaN") && !svg.contains("inf"), "{svg}");
            let rects = bar_rects(&svg);
            assert_eq!(rects.len(), 2);
            for rect in rects {
                let size = number(rect, "height").min(number(rect, "width"));
                assert_eq!(size, 0.0, "{rect}");
            }
            assert_well_formed(&svg);
        }
    }

    #[test]
    fn ids_are_unique_and_referenced() {
        let first = column_chart("Films per month", &months());
        let second = column_chart("Films per month", &months());
        let id = |svg: &str| {
            let root = &svg[..svg.find('>').unwrap()];
            let title = attr(root, "aria-labelledby").unwrap().to_string();
            let desc = attr(root, "aria-describedby").unwrap().to_string();
            assert!(svg.contains(&format!("<title id=\"{title}\">")), "{svg}");
            assert!(svg.contains(&format!("<desc id=\"{desc}\">")), "{svg}");
            assert!(title.starts_with("chart-films-per-month-"), "{title}");
            title
        };
        assert_ne!(id(&first), id(&second));
        assert_eq!(slug("  Top 10: Directors!  "), "top-10-directors");
        assert_eq!(slug("½★"), "chart");
    }

    #[test]
    fn charts_are_accessible_and_well_formed() {
        let svg = column_chart("Films per month", &months());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(svg.contains("role=\"img\""));
        assert!(svg.contains("viewBox=\"0 0 "));
        assert!(
            svg.contains(">Jan: 3, Feb: 0, Mar: 4, Apr: 2. Total: 9 films.</desc>"),
            "{svg}"
        );
        assert!(svg.contains("<title>Mar: 4 films</title></rect>"), "{svg}");
        assert!(svg.contains("<title>Feb: 0 films</title></rect>"), "{svg}");
        assert!(
            svg.contains(">Jan</text>") && svg.contains(">4</text>"),
            "{svg}"
        );
        for svg in both("Films per month", &months()) {
            assert!(!svg.contains("style="), "{svg}");
            assert!(!svg.contains("<script"), "{svg}");
            assert_well_formed(&svg);
        }
    }

    #[test]
    fn bars_with_an_href_are_links() {
        let bars = [
            Bar {
                label: "Agnès Varda".to_string(),
                value: 1,
                href: Some("/people/nm0889513".to_string()),
            },
            bar("Uncredited", 1),
        ];
        for svg in both("Top directors", &bars) {
            assert!(svg.contains("role=\"group\""), "{svg}");
            assert!(
                svg.contains("<a class=\"chart-link\" href=\"/people/nm0889513\"><text"),
                "{svg}"
            );
            assert!(svg.contains(">Agnès Varda</text></a>"), "{svg}");
            assert_eq!(svg.matches("<a ").count(), 1, "{svg}");
            assert!(svg.contains("<title>Agnès Varda: 1 film</title>"), "{svg}");
            assert_well_formed(&svg);
        }
    }

    #[test]
    fn long_labels_are_shortened_but_kept_whole_in_tooltips() {
        let name = "Apichatpong Weerasethakul and a very long co-director";
        let svg = bar_list("Top directors", &[bar(name, 2)]);
        assert!(svg.contains(&format!("<title>{name}: 2 films</title>")));
        assert!(
            svg.contains(">Apichatpong Weerasethakul a…</text>"),
            "{svg}"
        );
        let many: Vec<Bar> = (0..40)
            .map(|i| bar(&format!("{}0s", 1600 + i * 10), i))
            .collect();
        let svg = column_chart("Films per decade", &many);
        assert_eq!(bar_rects(&svg).len(), 40);
        assert_well_formed(&svg);
    }
}
