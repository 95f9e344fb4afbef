//! The word patterns claims are recognised by, compiled once and shared by every check.

use regex::Regex;

use super::numbers::{COUNT, MONEY};

/// Verbs of winning and receiving, with their tenses.
const WIN_VERBS: &str = r"won|wins|win|winning|took|takes|taking|converted|converting|took\s+home|take\s+home|takes\s+home|taking\s+home|earned|earns|earning|picked\s+up|picks\s+up|picking\s+up|collected|collects|collecting|swept|sweeps|sweeping|received|receives|receiving|garnered|garners|garnering|landed|lands|scored|scores|nabbed|claimed|claims|claiming|bagged|secured|secures|got|gets|racked\s+up|racking\s+up|walked\s+away\s+with|walks\s+away\s+with|scooped(?:\s+up)?|grabbed|snagged|came\s+(?:out|away)\s+with|went\s+home\s+with|left\s+with|walked\s+off\s+with|ended\s+(?:up\s+)?with|finished\s+with|arrived\s+with|came\s+in\s+with|went\s+in\s+with|entered\s+with|led\s+(?:the\s+field\s+)?with|had|has|have|boasts|boasted|holds|held";

/// Words that may stand between a verb and its count ("won a record four", "took home all
/// eleven of its").
const FILLER: &str = r"(?:(?:a|an|the|all|of|its|his|her|their|record|whopping|total|only|just|impressive|remarkable|staggering|astonishing|astounding|competitive|historic|unprecedented|then-record|combined)\s+){0,4}";

/// What the count counts.
const AWARD_NOUNS: &str = r"oscar\s+nominations|oscar\s+nods|academy\s+award\s+nominations|nominations|nods|oscars|oscar|academy\s+awards|academy\s+award|awards|award|statuettes|statuette|statues|trophies|trophy|oscar\s+wins|wins|categories";

/// A comparison before a count ("more than ten").
const QUALIFIER: &str = r"(?P<q>more\s+than|over|nearly|almost|at\s+least|fewer\s+than|less\s+than|under|around|about|roughly|some)\s+";

const MONTHS: &str =
    "January|February|March|April|May|June|July|August|September|October|November|December";

/// Nouns for a film, after a year ("his 2017 film").
const FILM_NOUNS: &str = r"film|movie|feature|picture|drama|comedy|thriller|documentary|epic|romance|musical|blockbuster|debut|hit|classic|masterpiece|release|tragedy|western|satire|biopic|indie|dramedy|melodrama|fable|character\s+study|coming-of-age\s+(?:film|drama|story)|love\s+story|sensation|smash|effort|work|project|breakout";

#[derive(Debug)]
pub struct Patterns {
    /// "won four Oscars", "earned 14 nominations".
    pub count_after_verb: Regex,
    /// "nominated for six Oscars".
    pub nominated_for_count: Regex,
    /// "nominated 21 times".
    pub nominated_times: Regex,
    /// "won 11 of its 14 nominations".
    pub wins_of_nominations: Regex,
    /// "took home three of them", "won two each".
    pub count_of_them: Regex,
    /// "each" / "apiece" right after a count's words.
    pub each: Regex,
    /// "won six;", "won 3 –": a count of wins with its noun left out.
    pub bare_win: Regex,
    /// "a two-time Oscar winner", "the four-time nominee".
    pub n_time: Regex,
    /// "Best Picture winner " before a film or person.
    pub category_holder: Regex,
    /// "the record of eleven that Ben-Hur, Titanic and … share".
    pub record_of: Regex,
    /// "its 14 Oscar nominations", "with 11 wins".
    pub bare_count: Regex,
    /// "the first person to win four Oscars for a single film".
    pub first_to_win_for_one_film: Regex,
    /// "the most Oscars won by a film", "record for most nominations" (from "most" on).
    pub most: Regex,
    /// "a record-tying 11 Oscars".
    pub record_count: Regex,
    /// "the first … to win …", "the only … to …": records the catalog cannot decide.
    pub first_or_only: Regex,
    /// "won Best Picture", "nominated for Best Actress": the words before a category.
    pub category_verb: Regex,
    /// "brought Tim Robbins a statuette for ": the person a category claim is about.
    pub brought_for: Regex,
    /// "won nothing", "won neither", "went home empty-handed": no wins.
    pub won_none: Regex,
    /// "was shut out": no wins.
    pub shut_out: Regex,
    /// "The role of Waymond went to ".
    pub role_went_to: Regex,
    /// "In its 2003 release".
    pub year_of_release: Regex,
    /// ", " / " and " between categories of a list.
    pub list_separator: Regex,
    /// "March 2", "March 2, 2025", "2 March 2025".
    pub date: Regex,
    /// Words that make a sentence about awards.
    pub award_words: Regex,
    /// Words that make a date a release date.
    pub release_words: Regex,
    /// "(2012)" right after a title.
    pub year_in_brackets: Regex,
    /// "2017 film " right before a title.
    pub year_before_title: Regex,
    /// ", the 2016 drama" right after a title.
    pub year_after_title: Regex,
    /// "released in 2019".
    pub released_in: Regex,
    /// "In 2024, Baker released " before a title (not "made" or "directed": a film is made the
    /// year before it comes out as often as not).
    pub in_year_released: Regex,
    /// A sum of money.
    pub money: Regex,
    /// Words that make a sum of money a budget.
    pub budget_words: Regex,
    /// Words that make a sum of money takings, not a budget.
    pub takings_words: Regex,
    /// ", played by " after a character.
    pub played_by: Regex,
    /// " as " / " plays " after a player.
    pub plays: Regex,
    /// "directed by ".
    pub made_by: Regex,
    /// " directed " between a person and a film.
    pub person_made: Regex,
    /// "’s film " between a person and a film: a credit of some kind.
    pub possessive_film: Regex,
    /// "Song Kang Ho, as the father Ki-taek": a player the catalog does not know, as a
    /// character.
    pub unknown_player_as: Regex,
    /// " director " between a film and a person.
    pub film_director: Regex,
    /// A capitalised name: "Lily-Rose Depp", "Ani".
    pub proper_name: Regex,
    /// "made five films centered on sex workers".
    pub filmography: Regex,
}

/// Compiles a pattern with ASCII word boundaries: a Unicode `\b` makes the regex engine
/// give up its fast automaton on any text with a curly quote or a dash in it (every essay),
/// and the words these patterns look for are English.
fn compile(pattern: &str) -> Result<Regex, regex::Error> {
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)"))
}

impl Patterns {
    pub fn new() -> Result<Patterns, regex::Error> {
        Ok(Patterns {
            count_after_verb: compile(&format!(
                r"(?i)\b(?P<verb>{WIN_VERBS})\s+{FILLER}(?:{QUALIFIER})?(?P<n>{COUNT})\s+(?:(?:competitive|more|total|major|separate|individual|different)\s+)?(?P<what>{AWARD_NOUNS})\b(?:\s+(?:in\s+all|in\s+total|altogether|overall|apiece|each))?"
            ))?,
            count_of_them: compile(&format!(
                r"(?i)\b(?P<verb>{WIN_VERBS})\s+{FILLER}(?P<n>{COUNT})\s+(?:of\s+(?:them|those|these)(?:\s+(?:statues|statuettes|oscars|awards|trophies|prizes|wins))?|(?:each|apiece))\b"
            ))?,
            bare_win: compile(&format!(
                r"(?i)\b(?P<verb>won|wins|winning|took\s+home|takes\s+home|taking\s+home|collected|picked\s+up|had|has)\s+(?:only\s+|just\s+)?(?P<n>{COUNT})\s*(?:[;,.:–—)]|\band\b|$)"
            ))?,
            n_time: compile(&format!(
                r"(?i)\b(?P<n>{COUNT})[-\s]time\s+(?:(?:oscar|academy\s+award)[-\s])?(?P<what>winner|nominee)\b"
            ))?,
            category_holder: compile(
                r"(?i)^\s+(?:(?P<win>winners?|champions?|(?:that\s+night\s+|that\s+year\s+)?(?:went\s+to|was\s+won\s+by))|(?P<nom>nominees?|contenders?|hopefuls?))\s*,?\s+",
            )?,
            record_of: compile(&format!(
                r"(?i)\brecord\s+(?:now\s+)?(?:of|for|stands\s+at|is)\s+(?P<n>{COUNT})(?:\s+(?P<what>{AWARD_NOUNS}))?\b"
            ))?,
            each: compile(r"(?i)^\s+(?:each|apiece)\b")?,
            nominated_for_count: compile(&format!(
                r"(?i)\bnominated\s+(?:in|for)\s+{FILLER}(?:{QUALIFIER})?(?P<n>{COUNT})\s+(?:(?:competitive|different|separate)\s+)?(?P<what>oscars|academy\s+awards|awards|categories)\b"
            ))?,
            nominated_times: compile(&format!(
                r"(?i)\bnominated\s+(?:only\s+|just\s+)?(?:{QUALIFIER})?(?:(?P<n>{COUNT})\s+times|(?P<once>once|twice|thrice))\b(?:\s+(?:apiece|each|(?P<without>without\s+(?:a\s+)?win(?:ning)?)))?"
            ))?,
            wins_of_nominations: compile(&format!(
                r"(?i)\b(?:{WIN_VERBS})\s+(?:only\s+|just\s+)?(?P<w>{COUNT})\s+of\s+(?:its|their|his|her|the|those)\s+(?P<n>{COUNT})(?:\s+(?:oscar\s+|academy\s+award\s+)?(?:nominations|nods))?\b"
            ))?,
            bare_count: compile(&format!(
                r"(?i)\b(?:{QUALIFIER})?(?P<n>{COUNT})\s+(?P<what>oscar\s+nominations|academy\s+award\s+nominations|oscar\s+nods|oscar\s+wins|academy\s+award\s+wins|nominations|wins)\b"
            ))?,
            first_to_win_for_one_film: compile(&format!(
                r"(?i)\bfirst\s+(?:(?:person|man|woman|director|filmmaker|individual|artist|one|nominee|winner|people)\s+)(?:ever\s+|in\s+history\s+)?to\s+(?:win|receive|take\s+home|earn|collect|claim|pick\s+up|sweep)\s+(?P<n>{COUNT})\s+(?:oscars|academy\s+awards|awards|statuettes)\s+(?:for|with|from)\s+(?:a\s+single|one\s+single|one|the\s+same|a)\s+(?:film|movie|picture|project|feature)\b"
            ))?,
            most: compile(
                r"(?i)\b(?P<most>most)\s+(?:(?:oscars|academy\s+awards)\s+)?(?:(?P<what>oscar\s+nominations|academy\s+award\s+nominations|nominations|oscar\s+wins|wins|oscars|academy\s+awards|awards)\b|(?:ever\s+|any\s+(?:film|movie|picture|person|one)\s+(?:has\s+|had\s+)?(?:ever\s+)?)?(?P<verb>won|received|earned|collected|garnered|taken\s+home)\b)",
            )?,
            record_count: compile(&format!(
                r"(?i)\brecord(?:-tying|-breaking|-setting|-equall?ing|-matching)?\s+(?P<n>{COUNT})\s+(?P<what>{AWARD_NOUNS})\b"
            ))?,
            first_or_only: compile(
                r"(?i)\b(?:the\s+)?(?:first|only)\s+(?:[\w’'-]+\s+){0,5}?to\s+(?:win|receive|earn|take|be\s+nominated|sweep|claim|get|land|score)\b",
            )?,
            category_verb: compile(&format!(
                r"(?i)(?:\b(?P<win>{WIN_VERBS}|named|crowned|declared|voted|settled?\s+for|had\s+to\s+settle\s+for|beat\s+.{{1,60}}?\s+to)|\b(?P<lost>lost|loses|losing|lost\s+out\s+on)|\b(?P<nom>nominated|nomination|nominations|nod|nods|contender|contention)|\b(?P<incl>including|among\s+them))\s+(?:(?:in|for|of|the|an|a|his|her|their|its|him|them|it|oscar|academy\s+award|award|prize|trophy|statuette|statue|gong|nod|twice|also|even|again|(?:{COUNT}))\s*[:,]?\s+)*$"
            ))?,
            brought_for: compile(
                r"(?i)\b(?:brought|earned|won|gave|handed|got|landed)\s+(?P<who>.{2,60}?)\s+(?:a|an|the|his|her|their)\s+(?:first\s+|second\s+|third\s+)?(?:statuette|statue|oscar|academy\s+award|trophy|award|prize|win)\s+for\s+$",
            )?,
            won_none: compile(
                r"(?i)\b(?:won|took\s+home|went\s+home\s+with|left\s+with|came\s+away\s+with)\s+(?:nothing|none|neither|no\s+(?:oscars|awards|statuettes|trophies))\b|\bwent\s+home\s+empty[-\s]handed\b",
            )?,
            shut_out: compile(
                r"(?i)\b(?:was|were|got|been|is|are)\s+(?:completely\s+|entirely\s+)?shut\s+out\b",
            )?,
            role_went_to: compile(
                r"(?i)\bthe\s+(?:role|part)\s+of\s+(?:(?:the|her|his|their)\s+\p{Ll}+\s*,?\s+)?(?-i:(?P<character>\p{Lu}[\p{L}’'-]+(?:\s+\p{Lu}[\p{L}’'-]+){0,2})),?\s+(?:went|was\s+given|was\s+handed|fell)\s+to\s+",
            )?,
            year_of_release: compile(
                r"(?i)\b(?:its\s+(?P<y>\d{4})\s+(?:release|premiere|debut|opening)|the\s+film[’']s\s+(?P<y2>\d{4})\s+(?:release|premiere|debut)|the\s+(?P<y3>\d{4})\s+(?:epic|film|movie|drama|musical|comedy|thriller|romance|western|documentary|biopic|picture))\b",
            )?,
            list_separator: compile(r"^\s*(?:,\s*and|,|and|&)\s*$")?,
            date: compile(&format!(
                r"\b(?:(?P<month>{MONTHS})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>\d{{4}}))?|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTHS})(?:\s+(?P<year2>\d{{4}}))?)\b"
            ))?,
            award_words: compile(
                r"(?i)\b(?:oscars?|academy\s+awards?|ceremony|won|wins?|winning|nominated|nominations?|best\s+picture|swept|sweep)\b",
            )?,
            release_words: compile(
                r"(?i)\b(?:released|release|premiered|premiere|opened|debuted|came\s+out|hit\s+theaters|born|died|festival)\b",
            )?,
            year_in_brackets: compile(r"^\s*[*_]*\s*\((?P<y>\d{4})\)")?,
            year_before_title: compile(&format!(
                r"(?i)(?:\b(?:his|her|their|its|the|a)\s+)?\b(?P<y>\d{{4}})\s+(?:(?:oscar-winning|award-winning|acclaimed|breakout|indie|independent|feature|american|korean|british|french)\s+)*(?:{FILM_NOUNS})\s*,?\s*$"
            ))?,
            year_after_title: compile(&format!(
                r"(?i)^\s*[*_]*\s*,\s+(?:a|an|the|his|her|their)\s+(?P<y>\d{{4}})\s+(?:[\w-]+\s+){{0,2}}?(?:{FILM_NOUNS})\b"
            ))?,
            released_in: compile(
                r"(?i)\b(?:was\s+|were\s+|is\s+)?(?:released|came\s+out|premiered|debuted|opened|hit\s+(?:theaters|theatres|cinemas|screens)|arrived\s+in\s+(?:theaters|theatres|cinemas))\s+(?:in\s+(?:theaters|theatres|cinemas)\s+|at\s+(?-i:\p{Lu})[\p{L}’'-]*(?:\s+(?-i:\p{Lu})[\p{L}’'-]*){0,3}\s+)?(?:in\s+)(?:(?:late|early|mid)[-\s]|the\s+(?:spring|summer|fall|autumn|winter)\s+of\s+)?(?P<y>\d{4})\b",
            )?,
            in_year_released: compile(
                r"(?i)\bin\s+(?P<y>\d{4}),?\s+[^.;]{0,60}?\b(?:released|premiered|unveiled|brought\s+out|followed\s+(?:it|that)\s+with)\s+",
            )?,
            money: compile(&format!("(?i){MONEY}"))?,
            budget_words: compile(
                r"(?i)\b(?:budgets?|budgeted|cost|costs|costing|made\s+(?:for|on|with)|shot\s+(?:for|on)|produced\s+(?:for|on)|price\s+tag|financed|bankrolled|production\s+costs?)\b",
            )?,
            takings_words: compile(
                r"(?i)\b(?:gross|grossed|grosses|grossing|box[\s-]office|took\s+in|takings|revenue|earned|earning|made\s+\$|sold|worldwide|domestic|opening\s+weekend)\b",
            )?,
            played_by: compile(
                r"(?i)\s*[,(]?\s*(?:who\s+is\s+|who's\s+|who’s\s+|who\s+was\s+|is\s+|was\s+|as\s+)?\b(?:played|portrayed|performed|embodied|brought\s+to\s+life)\s+by\s+(?:the\s+(?-i:(?:[\p{Ll}-]+\s+){1,3}))?",
            )?,
            plays: compile(
                r"^(?:(?:’s|'s)?\s*,?\s+(?:who\s+)?(?:as|plays|played|playing|portrays|portrayed|portraying|stars\s+as|starred\s+as|starring\s+as|turn\s+as|performance\s+as|portrayal\s+of)|\s+(?:(?:won|wins|earned|earns|received|took\s+home|got|was\s+nominated)\s+)?(?:(?:an?|the|her|his|their|first|only)\s+)*(?:(?:Oscar|Academy\s+Award|award|nomination|prize)\s+)?(?:Best\s+(?:Supporting\s+)?(?:Actor|Actress)\s+)?for\s+(?:playing|portraying|(?:his|her|their)\s+(?:turn|performance|role|work)\s+as)|,\s*who\s+(?:had\s+been|has\s+been|was|is)\s+nominated\s+for\s+(?:playing|portraying))\s+(?:(?:the|her|his|their)\s+(?:[\p{Ll}-]+\s+){0,3}|\p{Lu}\p{L}+(?:’s|'s)\s+(?:\p{Ll}+\s+){0,2})?",
            )?,
            made_by: compile(
                r"(?i)\b(?P<role>written\s+and\s+directed|directed\s+and\s+written|co-written\s+and\s+directed|directed|written|co-written|produced|edited|shot|photographed|scored|helmed|co-directed)\s+(?:by|with)\s+",
            )?,
            person_made: compile(
                r"(?i)^(?:\s*,\s*who|(?:\s+[\p{L}’',]+){0,6}?\s+(?:he|she|they|who))?\s+(?:(?:had|has|have)\s+)?(?:also\s+|then\s+|first\s+|later\s+)?(?P<role>directed|co-directed|wrote|co-wrote|produced|edited|shot|scored|helmed)\s+(?:both\s+)?",
            )?,
            possessive_film: compile(&format!(
                r"(?i)^(?:’s|'s)\s+(?:(?:new|latest|first|debut|last|next|own|\d{{4}}|breakout|acclaimed|masterful|masterpiece)\s+)*(?:(?:{FILM_NOUNS})\s*,?\s+)?"
            ))?,
            unknown_player_as: compile(
                r"\b(?P<player>\p{Lu}[\p{L}’'-]+(?:\s+\p{Lu}[\p{L}’'-]+){1,3}),?\s+(?:as|plays|played|portrays|portrayed)\s+(?:the\s+(?:\p{Ll}+\s+){0,2}|\p{Lu}\p{L}+(?:’s|'s)\s+(?:\p{Ll}+\s+){0,2})?(?P<character>\p{Lu}[\p{L}’'-]+(?:\s+\p{Lu}[\p{L}’'-]+){0,2})",
            )?,
            film_director: compile(r"(?i)^[*_]*\s*,?\s+(?:director|filmmaker|auteur)\s+")?,
            proper_name: compile(
                r"^[“\x22]?(?P<name>\p{Lu}(?:\.|[\p{L}’'-]+)(?:\s+(?:(?:de|van|von|da|del|di|le|la|du)\s+)?\p{Lu}(?:\.|[\p{L}’'-]+\.?)){0,3})",
            )?,
            filmography: compile(&format!(
                r"(?i)\b(?P<verb>made|directed|written|wrote|shot|released|helmed|created|produced|starred\s+in|appeared\s+in|acted\s+in)\s+(?:(?:at\s+least|exactly|only|just|a\s+total\s+of)\s+)?(?P<n>{COUNT})\s+(?:(?:feature|full-length|narrative|other|more|such)\s+)*(?P<noun>films|movies|features|pictures)\b(?:\s+(?:that\s+(?:are|were)\s+|which\s+(?:are|were)\s+)?(?:centered|centred|focused|focusing|about|on|exploring|that\s+explore|dealing\s+with|that\s+deal\s+with|revolving|featuring|depicting|involving|portraying|concerning|set\s+in)(?:\s+(?:on|around|in))?\s+(?P<theme>[\p{{L}}\s-]{{3,40}}?)(?:[,.;:!?—–]|\s+(?:and|but|each|which|that|with|in|since|over|from|across)\b|$))?"
            ))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_compile_and_match_their_examples() {
        let p = Patterns::new().unwrap();
        assert!(p.count_after_verb.is_match("won four Oscars"));
        assert!(
            p.count_after_verb
                .is_match("took home a record 11 Academy Awards")
        );
        assert!(p.nominated_for_count.is_match("nominated for six Oscars"));
        assert!(
            p.wins_of_nominations
                .is_match("won 11 of its 14 nominations")
        );
        assert!(
            p.first_to_win_for_one_film
                .is_match("the first person to win four Oscars for a single film")
        );
        assert!(
            p.most
                .is_match("tied the record for the most Oscars won by a film")
        );
        assert!(p.date.is_match("On March 2, Sean"));
        assert!(p.date.is_match("on 9 February 2020"));
        assert!(!p.date.is_match("may 2"));
        assert!(p.year_before_title.is_match("His 2017 film "));
        assert!(p.released_in.is_match("was released in 2019"));
        assert!(p.released_in.is_match("premiered at Cannes in 2024"));
        assert!(p.in_year_released.is_match("In 2024, Baker released "));
        assert!(p.played_by.is_match(", played by "));
        assert!(p.plays.is_match(" as Juan"));
        assert_eq!(
            p.plays
                .find(", as the stubborn gardener Samwise")
                .unwrap()
                .as_str(),
            ", as the stubborn gardener "
        );
        assert!(p.count_of_them.is_match("took home three of them"));
        assert!(
            p.category_verb
                .is_match("Curtis beat her own co-star Hsu to ")
        );
        assert!(p.category_verb.is_match("picked up a trophy for "));
        assert!(
            p.category_verb
                .is_match("with eight nominations and won four: ")
        );
        assert!(
            p.category_verb
                .is_match("the Academy has twice nominated him for ")
        );
        assert!(p.category_verb.is_match("which won three, including "));
        assert!(p.won_none.is_match("and won nothing at all"));
        assert!(p.n_time.is_match("the two-time Oscar winner"));
        assert!(p.plays.is_match(" won Best Actress for her role as Ani"));
        assert!(
            p.brought_for
                .is_match("brought Tim Robbins a statuette for ")
        );
        assert!(p.role_went_to.is_match("The role of Waymond went to "));
        assert!(
            p.unknown_player_as
                .is_match("James Hong, as Evelyn's father Gong Gong")
        );
        assert!(p.plays.is_match(" won for his turn as Arthur"));
        assert!(p.plays.is_match(" an Oscar for playing Sharon"));
        assert!(p.bare_win.is_match("won six; Moonlight"));
        assert!(p.record_of.is_match("the record of eleven that"));
        assert!(p.count_of_them.is_match("won two each"));
        assert!(
            p.most
                .is_match("tying the record for the most ever won by a single film")
        );
        assert!(p.person_made.is_match(" set himself when he directed "));
        assert!(p.possessive_film.is_match("’s film "));
        assert!(p.plays.is_match("’s turn as Chiron"));
        assert!(p.category_verb.is_match("won the Oscar for "));
        assert!(p.category_verb.is_match("was nominated for "));
        let caps = p
            .filmography
            .captures("he’s made five films centered on sex workers, each")
            .unwrap();
        assert_eq!(&caps["n"], "five");
        assert_eq!(&caps["theme"], "sex workers");
    }
}

#[cfg(test)]
mod timing {
    /// Not a test of speed (that is the bench's): prints how long each pattern takes over a
    /// long text, to find the slow ones. `cargo test -p kinograph-checker pattern_costs -- --ignored --nocapture`
    #[test]
    #[ignore]
    fn pattern_costs() {
        let p = super::Patterns::new().unwrap();
        let essay = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/fixtures/anora-essay.txt"
        );
        let text = std::fs::read_to_string(essay).unwrap_or_else(|_| {
            "Sean Baker’s Anora — made for $6 million — won four Oscars. ".repeat(100)
        });
        let all: Vec<(&str, &regex::Regex)> = vec![
            ("count_after_verb", &p.count_after_verb),
            ("count_of_them", &p.count_of_them),
            ("bare_win", &p.bare_win),
            ("nominated_for_count", &p.nominated_for_count),
            ("nominated_times", &p.nominated_times),
            ("wins_of_nominations", &p.wins_of_nominations),
            ("bare_count", &p.bare_count),
            ("first_to_win", &p.first_to_win_for_one_film),
            ("most", &p.most),
            ("record_count", &p.record_count),
            ("record_of", &p.record_of),
            ("first_or_only", &p.first_or_only),
            ("date", &p.date),
            ("released_in", &p.released_in),
            ("money", &p.money),
            ("played_by", &p.played_by),
            ("made_by", &p.made_by),
            ("unknown_player_as", &p.unknown_player_as),
            ("filmography", &p.filmography),
            ("award_words", &p.award_words),
            ("release_words", &p.release_words),
            ("budget_words", &p.budget_words),
            ("takings_words", &p.takings_words),
            ("category_verb", &p.category_verb),
            ("year_before_title", &p.year_before_title),
            ("proper_name", &p.proper_name),
        ];
        for (name, re) in all {
            let _ = re.captures_iter(&text).count();
            let started = std::time::Instant::now();
            let n = re.captures_iter(&text).count();
            println!("{name}: {n} in {:?}", started.elapsed());
        }
    }
}
