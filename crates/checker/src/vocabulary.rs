//! How prose names things the catalog names otherwise: award bodies by nickname ("the
//! Oscars"), categories by their "Best …" names, characters by first name or nickname.

/// Other names of an award body, by its catalog name.
pub fn award_body_names(name: &str) -> Vec<String> {
    let mut names = vec![name.to_string()];
    if name.eq_ignore_ascii_case("Academy Awards") {
        names.extend(["Academy Award", "Oscars", "Oscar"].map(String::from));
    }
    names
}

/// What people call a category, by its canonical name ("DIRECTING" → "Best Director").
pub fn category_names(canonical: &str) -> Vec<String> {
    let known: &[(&str, &[&str])] = &[
        ("BEST PICTURE", &["Best Picture"]),
        ("DIRECTING", &["Best Director", "Best Directing"]),
        (
            "ACTOR IN A LEADING ROLE",
            &["Best Actor", "Best Leading Actor"],
        ),
        (
            "ACTRESS IN A LEADING ROLE",
            &["Best Actress", "Best Leading Actress"],
        ),
        ("ACTOR IN A SUPPORTING ROLE", &["Best Supporting Actor"]),
        ("ACTRESS IN A SUPPORTING ROLE", &["Best Supporting Actress"]),
        (
            "WRITING (Original Screenplay)",
            &["Best Original Screenplay"],
        ),
        ("WRITING (Adapted Screenplay)", &["Best Adapted Screenplay"]),
        ("FILM EDITING", &["Best Film Editing", "Best Editing"]),
        ("CINEMATOGRAPHY", &["Best Cinematography"]),
        (
            "INTERNATIONAL FEATURE FILM",
            &[
                "Best International Feature Film",
                "Best International Feature",
                "Best Foreign Language Film",
            ],
        ),
        ("ANIMATED FEATURE FILM", &["Best Animated Feature"]),
        (
            "DOCUMENTARY (Feature)",
            &["Best Documentary Feature", "Best Documentary"],
        ),
        ("MUSIC (Original Score)", &["Best Original Score"]),
        ("MUSIC (Original Song)", &["Best Original Song"]),
        ("MAKEUP AND HAIRSTYLING", &["Best Makeup and Hairstyling"]),
        ("SOUND MIXING", &["Best Sound Mixing", "Best Sound"]),
        ("SOUND EDITING", &["Best Sound Editing"]),
    ];
    if let Some((_, names)) = known.iter().find(|(c, _)| *c == canonical) {
        return names.iter().map(|n| n.to_string()).collect();
    }
    // "COSTUME DESIGN" → "Best Costume Design"; names with a qualifier are left to the table.
    if canonical.contains('(') || canonical.contains("AWARD") || canonical.contains("MEDAL") {
        return Vec::new();
    }
    let title_case: Vec<String> = canonical
        .split_whitespace()
        .map(|word| {
            let lower = word.to_lowercase();
            if matches!(lower.as_str(), "and" | "of" | "in" | "a") {
                return lower;
            }
            let mut chars = lower.chars();
            chars
                .next()
                .map(|c| c.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    vec![format!("Best {}", title_case.join(" "))]
}

/// Words that open a character's name without being what the character is called by
/// ("Old Rose", "Dr. Smith", "Little").
const NOT_A_FIRST_NAME: &[&str] = &[
    "the",
    "a",
    "an",
    "old",
    "young",
    "little",
    "big",
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "doctor",
    "officer",
    "detective",
    "agent",
    "captain",
    "uncle",
    "aunt",
    "sister",
    "brother",
    "father",
    "mother",
    "king",
    "queen",
    "prince",
    "princess",
    "lord",
    "lady",
    "sir",
    "himself",
    "herself",
    "narrator",
    "voice",
    "man",
    "woman",
    "girl",
    "boy",
];

/// The names a film goes by in prose: its title, and for a title with a subtitle of two words
/// or more, the subtitle ("The Return of the King").
pub fn title_names(title: &str) -> Vec<String> {
    let mut names = vec![title.to_string()];
    if let Some((_, subtitle)) = title.split_once(": ") {
        let subtitle = subtitle.trim();
        if subtitle.split_whitespace().count() >= 2 {
            names.push(subtitle.to_string());
        }
    }
    names
}

/// The names a character goes by in prose: the full name, a quoted nickname (`Anora "Ani"
/// Mikheeva` → "Ani"), the name without the nickname, and the first name; each of several
/// names joined by a slash ("Joy Wang/Jobu Tupaki").
pub fn character_names(name: &str) -> Vec<String> {
    let parts: Vec<&str> = name
        .split('/')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    if parts.len() > 1 {
        let mut names = vec![name.to_string()];
        for part in parts {
            for n in one_character_names(part) {
                if !names.contains(&n) {
                    names.push(n);
                }
            }
        }
        return names;
    }
    one_character_names(name)
}

fn one_character_names(name: &str) -> Vec<String> {
    let mut names = vec![name.to_string()];
    let quotes = ['"', '“', '”'];
    let pieces: Vec<&str> = name.split(&quotes[..]).collect();
    if pieces.len() == 3 && !pieces[1].trim().is_empty() {
        names.push(pieces[1].trim().to_string());
        let without = format!("{} {}", pieces[0].trim(), pieces[2].trim());
        names.push(without.trim().to_string());
    }
    let plain = names.last().cloned().unwrap_or_default();
    let words: Vec<&str> = plain.split_whitespace().collect();
    if words.len() > 1 {
        let first = words[0].trim_end_matches('.');
        if first.chars().next().is_some_and(char::is_uppercase)
            && !NOT_A_FIRST_NAME.contains(&first.to_lowercase().as_str())
        {
            names.push(first.to_string());
        }
    }
    names.dedup();
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_go_by_nickname_and_first_name() {
        assert_eq!(
            character_names("Anora \"Ani\" Mikheeva"),
            ["Anora \"Ani\" Mikheeva", "Ani", "Anora Mikheeva", "Anora"]
        );
        assert_eq!(
            character_names("Rose DeWitt Bukater"),
            ["Rose DeWitt Bukater", "Rose"]
        );
        assert_eq!(character_names("Old Rose"), ["Old Rose"]);
        assert_eq!(character_names("Moonee"), ["Moonee"]);
        assert_eq!(
            character_names("Joy Wang/Jobu Tupaki"),
            [
                "Joy Wang/Jobu Tupaki",
                "Joy Wang",
                "Joy",
                "Jobu Tupaki",
                "Jobu"
            ]
        );
        assert_eq!(
            title_names("The Lord of the Rings: The Two Towers"),
            ["The Lord of the Rings: The Two Towers", "The Two Towers"]
        );
        assert_eq!(title_names("Mission: Impossible"), ["Mission: Impossible"]);
    }

    #[test]
    fn categories_go_by_their_best_names() {
        assert_eq!(
            category_names("DIRECTING"),
            ["Best Director", "Best Directing"]
        );
        assert_eq!(category_names("COSTUME DESIGN"), ["Best Costume Design"]);
        assert_eq!(
            category_names("MAKEUP AND HAIRSTYLING"),
            ["Best Makeup and Hairstyling"]
        );
        assert!(category_names("SHORT FILM (Animated)").is_empty());
        assert!(award_body_names("Academy Awards").contains(&"Oscars".to_string()));
    }
}
