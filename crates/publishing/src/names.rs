//! What a user name, a password and a slug must be.

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

/// A user name: 2–40 characters of lowercase ASCII letters, digits, `-`, `_` and `.`,
/// starting with a letter (it appears in URLs: `/writers/{name}`).
pub fn check_user_name(name: &str) -> Result<(), String> {
    let ok_len = (2..=40).contains(&name.len());
    let starts = name.chars().next().is_some_and(|c| c.is_ascii_lowercase());
    let chars = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '-' | '_' | '.'));
    if ok_len && starts && chars {
        Ok(())
    } else {
        Err(format!(
            "user name {name:?}: 2–40 lowercase letters, digits, '-', '_' or '.', starting with a letter"
        ))
    }
}

pub fn check_password(password: &str) -> Result<(), String> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(format!(
            "a password needs at least {MIN_PASSWORD_CHARS} characters"
        ));
    }
    if password.len() > 1024 {
        return Err("a password is at most 1024 bytes".to_string());
    }
    Ok(())
}

/// A title as a URL slug: "The Long Road to *Anora*!" → `the-long-road-to-anora`.
pub fn slugify(title: &str) -> String {
    let key = kinograph_catalog::normalize::key(title);
    let slug: String = key.replace(' ', "-").chars().take(80).collect();
    let slug = slug.trim_matches('-').to_string();
    if slug.is_empty() {
        "essay".to_string()
    } else {
        slug
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_passwords_and_slugs() {
        assert!(check_user_name("ana.w").is_ok());
        for bad in ["A", "ana w", "1ana", "ána", ""] {
            assert!(check_user_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_password("short").is_err());
        assert!(check_password("long enough pass").is_ok());
        assert_eq!(
            slugify("The Long Road to *Anora*!"),
            "the-long-road-to-anora"
        );
        assert_eq!(slugify("¿¡!"), "essay");
        assert!(kinograph_catalog::is_essay_slug(&slugify(
            "Ça, c'est « Mon Oncle »"
        )));
    }
}
