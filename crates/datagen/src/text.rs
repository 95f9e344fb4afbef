//! Titles, names and character names in the shapes IMDb's files hold: mostly English, with
//! accented European languages, romanised Japanese, CJK, Hangul, Cyrillic and Greek, and the
//! punctuation that breaks naive readers (bare double quotes, apostrophes, brackets, braces,
//! backslashes, commas inside names, very long titles).
//!
//! Every builder appends to a `String` the caller reuses, so a row costs no allocation.

use std::ops::RangeInclusive;

use crate::rng::Rng;

/// A language titles and names are drawn from.
#[derive(Debug)]
pub(crate) struct Language {
    /// ISO 639-1 code, for `title.akas`' `language`.
    pub(crate) code: &'static str,
    /// Regions (ISO 3166-1) where it is a display language, for `title.akas`' `region`.
    pub(crate) regions: &'static [&'static str],
    words: &'static [&'static str],
    /// Leading articles, English only ("The …", "A …").
    articles: &'static [&'static str],
    /// Every word capitalised (English titles) rather than the first only.
    title_case: bool,
    /// Words are separated by spaces (not in Chinese and Japanese script).
    spaced: bool,
}

#[rustfmt::skip]
const ENGLISH: Language = Language {
    code: "en",
    regions: &["US", "GB", "CA", "AU", "IN", "IE"],
    words: &[
        "love", "night", "man", "house", "last", "dead", "city", "blood", "girl", "day", "time",
        "world", "life", "dark", "little", "story", "home", "death", "king", "summer", "secret",
        "road", "dream", "war", "heart", "shadow", "river", "black", "red", "white", "moon",
        "star", "fire", "water", "ghost", "lost", "return", "game", "truth", "silent", "wild",
        "broken", "golden", "empty", "paper", "glass", "harbor", "winter", "lantern", "second",
        "chance", "mother", "father", "don't", "ain't", "o'clock", "rock 'n' roll", "angel",
        "devil", "street", "island", "blue", "sky", "stranger", "echo", "hunter", "garden",
    ],
    articles: &["The", "A"],
    title_case: true,
    spaced: true,
};

/// Languages a title's native name is in, with their weights.
#[rustfmt::skip]
pub(crate) static LANGUAGES: [(Language, u32); 15] = [
    (ENGLISH, 52),
    (
        Language {
            code: "es",
            regions: &["ES", "MX", "AR", "CO"],
            words: &[
                "año", "corazón", "canción", "mañana", "niño", "días", "pequeña", "noche",
                "ciudad", "sueño", "último", "verano", "fantasma", "amor", "muerte", "mujer",
                "río", "mar", "sol", "luna", "casa", "calle", "tiempo", "pájaro", "el", "la", "de",
                "los", "todo", "es", "navidad", "asqueroso", "pato",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        7,
    ),
    (
        Language {
            code: "fr",
            regions: &["FR", "BE", "CA", "CH"],
            words: &[
                "été", "rêve", "mère", "fenêtre", "château", "noël", "forêt", "île", "cœur",
                "frère", "soirée", "dernière", "nuit", "l'amour", "ville", "fille", "hôtel",
                "mémoire", "d'hiver", "mosaïque", "le", "la", "les", "de", "et", "résumé",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        6,
    ),
    (
        Language {
            code: "de",
            regions: &["DE", "AT", "CH"],
            words: &[
                "Mädchen", "über", "Nächte", "Straße", "Glück", "Brücke", "müde", "schön", "Wölfe",
                "Himmel", "Zeit", "Haus", "Größe", "Frühling", "Bär", "der", "die", "das", "und",
                "Fräulein",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        5,
    ),
    (
        Language {
            code: "pt",
            regions: &["BR", "PT"],
            words: &[
                "coração", "ação", "irmão", "saudade", "são", "história", "mãe", "lição", "uma",
                "experiência", "do", "sever", "vouga", "cidade", "amanhã",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        3,
    ),
    (
        Language {
            code: "sv",
            regions: &["SE", "FI"],
            words: &[
                "kärlek", "sjön", "fjällen", "sommar", "ö", "flicka", "natt", "öga", "magistern",
                "swing", "it", "för", "två",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        2,
    ),
    (
        Language {
            code: "pl",
            regions: &["PL"],
            words: &[
                "powrót", "miłość", "żona", "noc", "ślad", "łódź", "gwiazda", "dzień", "źródło",
                "idę", "do", "słońca",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        2,
    ),
    (
        Language {
            code: "tr",
            regions: &["TR"],
            words: &[
                "kış", "uykusu", "ışık", "güneş", "çocuk", "ağaç", "şehir", "İstanbul", "gece",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        2,
    ),
    // Romanised Japanese, as IMDb writes most Japanese originals (long vowels with circumflex).
    (
        Language {
            code: "ja",
            regions: &["JP"],
            words: &[
                "yoru", "no", "kôshoku", "tôkyô", "monogatari", "onna", "ôkami", "jigoku",
                "kaidan", "ryû", "shôjo", "yume", "hana", "ningen", "enma", "chô", "ijô", "bôkô",
                "genba", "zetchô", "torimono", "hikae",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        5,
    ),
    (
        Language {
            code: "zh",
            regions: &["CN", "TW", "HK"],
            words: &[
                "城市", "女人", "秘密", "春天", "夏日", "旅程", "大海", "花", "月亮", "家族",
                "天堂", "地狱", "龙", "风", "故事", "江湖", "少年", "英雄", "夜", "爱情",
            ],
            articles: &[],
            title_case: false,
            spaced: false,
        },
        4,
    ),
    (
        Language {
            code: "ja",
            regions: &["JP"],
            words: &[
                "東京", "物語", "夜", "愛", "旅", "海", "花", "夢", "さよなら", "ありがとう", "の", "家族", "侍", "忍者",
                "桜", "恋", "月", "カルメンチータ",
            ],
            articles: &[],
            title_case: false,
            spaced: false,
        },
        3,
    ),
    (
        Language {
            code: "ko",
            regions: &["KR"],
            words: &[
                "사랑", "바람", "밤", "도시", "기억", "여름", "집", "친구", "괴물", "살인의", "추억", "아가씨",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        3,
    ),
    (
        Language {
            code: "ru",
            regions: &["RU", "UA"],
            words: &[
                "любовь", "ночь", "город", "война", "дом", "жизнь", "время", "брат", "солнце",
                "сталкер", "зеркало", "и", "мир",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        3,
    ),
    (
        Language {
            code: "el",
            regions: &["GR"],
            words: &[
                "αγάπη", "νύχτα", "πόλη", "θάλασσα", "ταξίδι", "ήλιος", "σπίτι", "και",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        1,
    ),
    (
        Language {
            code: "it",
            regions: &["IT"],
            words: &[
                "città", "perché", "più", "notte", "amore", "dolce", "vita", "ragazza", "caffè",
                "così", "la", "di", "è",
            ],
            articles: &[],
            title_case: false,
            spaced: true,
        },
        2,
    ),
];

/// English, for translated primary titles ("Back Home" for "Powrót").
pub(crate) fn english() -> &'static Language {
    &LANGUAGES[0].0
}

pub(crate) fn is_english(language: &Language) -> bool {
    std::ptr::eq(language, english())
}

/// A language of the given region's display titles (the first that has it), if any.
pub(crate) fn language_of_region(region: &str) -> Option<&'static Language> {
    LANGUAGES
        .iter()
        .map(|(language, _)| language)
        .find(|language| language.regions.contains(&region))
}

/// Regions alternative titles are shown in, with their weights; `XWW` is IMDb's "World-wide".
pub(crate) static AKA_REGIONS: [(&str, u32); 24] = [
    ("US", 12),
    ("GB", 6),
    ("DE", 6),
    ("FR", 6),
    ("ES", 5),
    ("IT", 5),
    ("JP", 5),
    ("BR", 4),
    ("MX", 3),
    ("RU", 3),
    ("CA", 3),
    ("IN", 3),
    ("KR", 2),
    ("CN", 2),
    ("TW", 1),
    ("PL", 2),
    ("SE", 2),
    ("TR", 2),
    ("GR", 2),
    ("PT", 2),
    ("AR", 2),
    ("AU", 2),
    ("XWW", 3),
    ("HU", 1),
];

fn push_capitalised(out: &mut String, word: &str) {
    let mut chars = word.chars();
    if let Some(first) = chars.next() {
        out.extend(first.to_uppercase());
        out.push_str(chars.as_str());
    }
}

/// `count` words of `language`, cased as titles in it are.
fn push_words(rng: &mut Rng, language: &Language, count: RangeInclusive<u64>, out: &mut String) {
    let count = rng.between(*count.start(), *count.end());
    for i in 0..count {
        if i > 0 && language.spaced {
            out.push(' ');
        }
        let word = rng.pick(language.words);
        if i == 0 || language.title_case {
            push_capitalised(out, word);
        } else {
            out.push_str(word);
        }
    }
}

/// A plain title of one to four words, sometimes with an article, a possessive or a number.
fn push_plain_title(rng: &mut Rng, language: &Language, out: &mut String) {
    if !language.articles.is_empty() && rng.chance(250) {
        out.push_str(rng.pick(language.articles));
        out.push(' ');
    }
    let words = rng.between(1, 4);
    if is_english(language) && words > 1 && rng.chance(100) {
        // "A Mother's Second Chance".
        push_words(rng, language, 1..=1, out);
        out.push_str("'s ");
        push_words(rng, language, words - 1..=words - 1, out);
    } else {
        push_words(rng, language, words..=words, out);
    }
    match rng.below(1000) {
        0..30 => {
            // "Fifigrot 2015: le GROrésumé".
            out.push(' ');
            push_number(out, rng.between(1950, 2025));
            out.push_str(": ");
            push_words(rng, language, 1..=3, out);
        }
        30..80 => {
            out.push_str(": ");
            push_words(rng, language, 1..=3, out);
        }
        80..100 => out.push_str(rng.pick(&[" 2", " II", " III", " Part 2", " 3D"])),
        100..110 => {
            // "Sever do Vouga... Uma Experiência".
            out.push_str("... ");
            push_words(rng, language, 1..=3, out);
        }
        _ => {}
    }
}

/// A title in `language` with the quirks real titles have, at their rates.
pub(crate) fn push_title(rng: &mut Rng, language: &Language, out: &mut String) {
    match rng.below(1000) {
        // `"Swing it" magistern`: a bare double quote opening the field.
        0..12 => {
            out.push('"');
            push_words(rng, language, 1..=2, out);
            out.push_str("\" ");
            push_words(rng, language, 1..=2, out);
        }
        // Who Killed "Captain Alex"?
        12..18 => {
            push_plain_title(rng, language, out);
            out.push_str(" \"");
            push_words(rng, language, 1..=2, out);
            out.push_str(rng.pick(&["\"", "\"?", "\"!"]));
        }
        // An unbalanced quote, as in a handful of real titles.
        18..20 => {
            out.push('"');
            push_plain_title(rng, language, out);
        }
        // JSON's and shells' special characters: [REC], {braces}, \m/, a lone backslash.
        20..26 => match rng.below(4) {
            0 => {
                out.push('[');
                push_words(rng, language, 1..=1, out);
                out.push(']');
            }
            1 => {
                push_plain_title(rng, language, out);
                out.push_str(" {");
                push_words(rng, language, 1..=1, out);
                out.push('}');
            }
            2 => {
                out.push_str("\\m/ ");
                push_plain_title(rng, language, out);
            }
            _ => {
                // A backslash never followed by `N`: a field that is exactly `\N` is null.
                push_words(rng, language, 1..=1, out);
                out.push_str(" \\ ");
                push_words(rng, language, 1..=1, out);
            }
        },
        // A very long title (real ones run to hundreds of characters).
        26 => push_long_title(rng, language, out),
        _ => push_plain_title(rng, language, out),
    }
}

fn push_long_title(rng: &mut Rng, language: &Language, out: &mut String) {
    push_plain_title(rng, language, out);
    out.push_str(": or, ");
    let clauses = rng.between(12, 30);
    for i in 0..clauses {
        if i > 0 {
            out.push_str(if i + 1 == clauses { " and " } else { ", " });
        }
        push_words(rng, language, 2..=4, out);
    }
}

/// A TV episode's title: mostly IMDb's generated "Episode #1.839" and "Episode dated …".
pub(crate) fn push_episode_title(rng: &mut Rng, language: &Language, out: &mut String) {
    match rng.below(100) {
        0..45 => {
            out.push_str("Episode #");
            push_number(out, rng.between(1, 30));
            out.push('.');
            push_number(out, rng.between(1, 2000));
        }
        45..53 => {
            out.push_str("Episode dated ");
            push_number(out, rng.between(1, 28));
            out.push(' ');
            out.push_str(rng.pick(&MONTHS));
            out.push(' ');
            push_number(out, rng.between(1950, 2025));
        }
        _ => push_title(rng, language, out),
    }
}

#[rustfmt::skip]
const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];

/// People's names by culture: given names, family names, whether the family name comes first
/// with no space (as Chinese, Japanese and Korean names are written in their scripts).
#[derive(Debug)]
struct Culture {
    given: &'static [&'static str],
    family: &'static [&'static str],
    family_first_unspaced: bool,
}

#[rustfmt::skip]
static CULTURES: [(Culture, u32); 9] = [
    (
        Culture {
            given: &[
                "John", "Mary", "James", "Billy", "Andie", "Neil", "Barbara", "Joan", "Kevin",
                "Stephen", "Dana", "Rory", "Ellen", "Grace", "Walter", "Nora", "Samuel", "Olivia",
                "Boris", "Sean", "Mikey", "Wren", "Teo",
            ],
            family: &[
                "Smith", "Crystal", "Harris", "Jones", "Bennett", "Irvine", "O'Brien", "O'Connor",
                "McQueen", "D'Angelo", "Wright", "Hughes", "Carter", "Lee", "Baker", "Karloff",
                "Bain", "MacDowell", "Quill", "Calloway",
            ],
            family_first_unspaced: false,
        },
        45,
    ),
    (
        Culture {
            given: &[
                "Pedro", "Jesús", "José Luis", "María", "Sofía", "Ramón", "Inés", "Iñaki",
                "Joaquín", "João", "Conceição", "Álvaro",
            ],
            family: &[
                "Almodóvar", "Franco", "Alcaine", "Muñoz", "Peña", "Núñez", "Gutiérrez", "Sánchez",
                "Martínez", "Fernández", "Ibáñez", "Gonçalves", "Araújo",
            ],
            family_first_unspaced: false,
        },
        12,
    ),
    (
        Culture {
            given: &[
                "Amélie", "François", "Hélène", "Jérôme", "Agnès", "Loïc", "Zoé", "Émile",
            ],
            family: &[
                "Lefèvre", "Béart", "Godard", "Rohmer", "Varda", "Dupré", "Séguin", "Bréhat",
            ],
            family_first_unspaced: false,
        },
        8,
    ),
    (
        Culture {
            given: &[
                "Stellan", "Björn", "Åsa", "Søren", "Jürgen", "Małgorzata", "Wojciech", "Zdeněk",
                "Jiří", "Ögmundur", "Liv", "Krzysztof",
            ],
            family: &[
                "Skarsgård", "Bergström", "Kieślowski", "Wałęsa", "Jørgensen", "Müller",
                "Schröder", "Čapek", "Dvořák", "Hrafnsson", "Ullmann", "Żuławski",
            ],
            family_first_unspaced: false,
        },
        10,
    ),
    (
        Culture {
            given: &[
                "Toshirô", "Genjirô", "Yûko", "Shôhei", "Kôji", "Ryûichi", "Yasujirô", "Kinuyo",
                "Setsuko",
            ],
            family: &[
                "Mayuzumi", "Yoshida", "Ôshima", "Kurosawa", "Ozu", "Tanaka", "Itô", "Satô", "Kôno",
            ],
            family_first_unspaced: false,
        },
        8,
    ),
    (
        Culture {
            given: &["艺谋", "家卫", "俐", "曼玉", "子怡", "国荣", "伟", "芳"],
            family: &["张", "王", "李", "陈", "刘", "周", "黄", "巩"],
            family_first_unspaced: true,
        },
        5,
    ),
    (
        Culture {
            given: &["明", "安二郎", "洋次", "花子", "節子"],
            family: &["黒澤", "小津", "山田", "佐藤", "原"],
            family_first_unspaced: true,
        },
        2,
    ),
    (
        Culture {
            given: &["준호", "찬욱", "민희", "지운", "도나"],
            family: &["봉", "박", "김", "이", "배"],
            family_first_unspaced: true,
        },
        4,
    ),
    (
        Culture {
            given: &["Андрей", "Ольга", "Сергей", "Наталья", "Лариса"],
            family: &[
                "Тарковский", "Михалков", "Звягинцев", "Шепитько", "Бондарчук",
            ],
            family_first_unspaced: false,
        },
        3,
    ),
];

/// A person's name, now and then with a quoted nickname (`Stephen "Dr" Love`), a middle
/// initial, a suffix, or a single name.
pub(crate) fn push_person_name(rng: &mut Rng, out: &mut String) {
    let culture = rng.weighted(&CULTURES);
    if culture.family_first_unspaced {
        out.push_str(rng.pick(culture.family));
        out.push_str(rng.pick(culture.given));
        return;
    }
    out.push_str(rng.pick(culture.given));
    match rng.below(1000) {
        0..20 => return,
        20..26 => {
            out.push_str(" \"");
            out.push_str(rng.pick(&["Dr", "Doc", "Kid", "Big Mike", "Lucky"]));
            out.push('"');
        }
        26..80 => {
            out.push(' ');
            out.push(char::from(b'A' + rng.below(26) as u8));
            out.push('.');
        }
        _ => {}
    }
    out.push(' ');
    out.push_str(rng.pick(culture.family));
    if rng.chance(10) {
        out.push_str(rng.pick(&[" Jr.", " Sr.", " III"]));
    }
}

#[rustfmt::skip]
const ROLES: [&str; 24] = [
    "Narrator", "Mother", "Father", "The Stranger", "Detective Ramos", "Young Anna",
    "Woman in Red", "Dr. Kessler", "Party Guest", "Waiter", "Nurse", "Sheriff", "Zizi", "Georgie",
    "Ani", "Tony Trent", "Shark 2", "Proompleklunk", "王", "花子", "Иван", "Émile", "Policeman #2",
    "Girl at Bar",
];

#[rustfmt::skip]
const SELF_ROLES: [&str; 6] = [
    "Self", "Self - Host", "Self - Guest", "Self - Contestant", "Himself", "Herself",
];

/// A cast member's `characters`: a JSON array of one or more names, its quotes and backslashes
/// escaped (`["Woman (segment \"Fire Woman\")"]`).
pub(crate) fn push_characters(rng: &mut Rng, playing_self: bool, out: &mut String) {
    let count = if rng.chance(80) { 2 } else { 1 };
    out.push('[');
    let mut name = String::new();
    for i in 0..count {
        if i > 0 {
            out.push(',');
        }
        name.clear();
        push_character(rng, playing_self, &mut name);
        push_json_string(&name, out);
    }
    out.push(']');
}

fn push_character(rng: &mut Rng, playing_self: bool, out: &mut String) {
    if playing_self {
        out.push_str(rng.pick(&SELF_ROLES));
        if rng.chance(20) {
            // A comma inside a name: one character, not two.
            out.push_str(", the Host");
        }
        return;
    }
    if rng.chance(500) {
        out.push_str(rng.pick(&ROLES));
    } else {
        push_person_name(rng, out);
    }
    match rng.below(1000) {
        0..30 => {
            out.push_str(rng.pick(&[" (segment \"", " - (segment: \""]));
            push_plain_title(rng, english(), out);
            out.push_str("\")");
        }
        30..35 => out.push_str(" \\ Double"),
        35..45 => out.push_str(" (voice)"),
        _ => {}
    }
}

/// `text` as a JSON string literal (the names hold no control characters).
fn push_json_string(text: &str, out: &mut String) {
    out.push('"');
    for c in text.chars() {
        if c == '"' || c == '\\' {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
}

/// Appends `n` in decimal, without the formatting machinery.
pub(crate) fn push_number(out: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut len = 0;
    loop {
        digits[len] = b'0' + (n % 10) as u8;
        len += 1;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for digit in digits[..len].iter().rev() {
        out.push(char::from(*digit));
    }
}

/// Appends `n` zero-padded to at least `width` digits (ids: `tt0000001`).
pub(crate) fn push_padded(out: &mut String, n: u64, width: usize) {
    let start = out.len();
    push_number(out, n);
    let digits = out.len() - start;
    if digits < width {
        out.insert_str(start, &"0000000000"[..(width - digits).min(10)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Stream;

    #[test]
    fn english_is_told_apart_from_the_other_languages() {
        assert!(is_english(english()));
        let english_ones = LANGUAGES.iter().filter(|(l, _)| is_english(l)).count();
        assert_eq!(english_ones, 1);
        let mut rng = Rng::for_row(1, Stream::Title, 0);
        let drawn = (0..1000)
            .filter(|_| is_english(rng.weighted(&LANGUAGES)))
            .count();
        assert!((400..650).contains(&drawn), "{drawn}");
        assert!(language_of_region("JP").is_some_and(|l| l.code == "ja"));
        assert!(language_of_region("XWW").is_none());
    }

    #[test]
    fn numbers_and_ids() {
        let mut out = String::new();
        push_number(&mut out, 0);
        out.push(' ');
        push_number(&mut out, 18_446_744_073_709_551_615);
        out.push(' ');
        push_padded(&mut out, 42, 7);
        out.push(' ');
        push_padded(&mut out, 12_345_678, 7);
        assert_eq!(out, "0 18446744073709551615 0000042 12345678");
    }

    #[test]
    fn characters_are_json_arrays_of_strings() {
        let mut rng = Rng::for_row(1, Stream::Credits, 0);
        let mut out = String::new();
        for _ in 0..2000 {
            out.clear();
            push_characters(&mut rng, false, &mut out);
            assert!(out.starts_with("[\"") && out.ends_with("\"]"), "{out}");
            // Every quote inside a string is escaped: splitting on unescaped quotes gives
            // strings separated by commas only.
            let unescaped = out.replace("\\\\", "").replace("\\\"", "");
            let quotes = unescaped.matches('"').count();
            assert!(quotes.is_multiple_of(2), "{out}");
            assert!(!out.contains('\t') && !out.contains('\n'), "{out}");
        }
    }

    #[test]
    fn titles_have_no_tabs_newlines_or_nulls() {
        let mut rng = Rng::for_row(1, Stream::Title, 0);
        let mut out = String::new();
        for (language, _) in &LANGUAGES {
            for _ in 0..2000 {
                out.clear();
                push_title(&mut rng, language, &mut out);
                assert!(!out.is_empty());
                assert!(!out.contains(['\t', '\n', '\r']), "{out:?}");
                assert!(!out.contains("\\N"), "{out:?}");
                assert_eq!(out.trim(), out);
            }
        }
    }
}
