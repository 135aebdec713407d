//! Checks of free-text fields: names, slugs, web sites, e-mail, phone, languages.

/// Trims a required single-line text; `Err` says what is wrong.
pub fn required_line(value: &str, max_chars: usize) -> Result<String, TextError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(TextError::Blank);
    }
    line(value, max_chars)
}

/// Trims an optional single-line text; blank becomes `None`.
pub fn optional_line(value: Option<&str>, max_chars: usize) -> Result<Option<String>, TextError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => line(v, max_chars).map(Some),
    }
}

/// Trims an optional multi-line text; blank becomes `None`.
pub fn optional_paragraph(value: Option<&str>, max_chars: usize) -> Result<Option<String>, TextError> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) if v.chars().count() > max_chars => Err(TextError::TooLong(max_chars)),
        Some(v) if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r') => Err(TextError::ControlCharacters),
        Some(v) => Ok(Some(v.to_owned())),
    }
}

fn line(value: &str, max_chars: usize) -> Result<String, TextError> {
    if value.chars().count() > max_chars {
        return Err(TextError::TooLong(max_chars));
    }
    if value.chars().any(char::is_control) {
        return Err(TextError::ControlCharacters);
    }
    Ok(value.to_owned())
}

/// A URL-safe handle: lower-case ASCII letters, digits and single hyphens, 3 to 60 chars.
pub fn slug(value: &str) -> Result<String, TextError> {
    let value = value.trim();
    let ok = (3..=60).contains(&value.len())
        && value.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
        && !value.contains("--");
    if ok { Ok(value.to_owned()) } else { Err(TextError::Invalid("a slug is 3 to 60 lower-case letters, digits and single hyphens")) }
}

/// Derives a slug from a name (accents folded with the `slug` crate), cut to 60 chars.
pub fn slug_from_name(name: &str) -> Option<String> {
    let mut s = slug::slugify(name);
    if s.len() > 60 {
        s.truncate(60);
        s = s.trim_end_matches('-').to_owned();
    }
    self::slug(&s).ok()
}

/// An absolute http(s) URL with a host, at most 2048 chars.
pub fn website(value: &str) -> Result<String, TextError> {
    let value = value.trim();
    if value.len() > 2048 {
        return Err(TextError::TooLong(2048));
    }
    match url::Url::parse(value) {
        Ok(u)
            if matches!(u.scheme(), "http" | "https")
                && u.host_str().is_some_and(|h| h.contains('.'))
                && u.username().is_empty()
                && u.password().is_none() =>
        {
            Ok(u.to_string())
        }
        _ => Err(TextError::Invalid("a web site is an absolute http:// or https:// URL, e.g. https://example.org")),
    }
}

/// An e-mail address (syntax per RFC 5322 via the `email_address` crate).
pub fn email(value: &str) -> Result<String, TextError> {
    let value = value.trim();
    if value.len() > 320 {
        return Err(TextError::TooLong(320));
    }
    if email_address::EmailAddress::is_valid(value) && value.contains('.') {
        Ok(value.to_owned())
    } else {
        Err(TextError::Invalid("not a valid e-mail address"))
    }
}

/// A LIKE pattern matching `text` anywhere in a `search_text` column: folded
/// with [`search_key`], with `%`, `_` and `\` escaped.
pub fn like_pattern(text: &str) -> String {
    let mut out = String::from("%");
    for c in search_key(text).chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

/// The key under which an e-mail address is looked up and kept unique: Unicode
/// NFKC_Casefold (NFKC, full case folding, NFKC again), so that `Kim@…`,
/// `kim@…`, a Kelvin-sign `\u{212A}im@…` and full-width `ｋｉｍ@…` are one address, at
/// sign-up, log-in, reset and invitation alike.
pub fn email_key(value: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let nfkc: String = value.trim().nfkc().collect();
    caseless::default_case_fold_str(&nfkc).nfkc().collect()
}

/// A phone number: digits, spaces and `+-().`, 6 to 40 chars, at least 6 digits.
pub fn phone(value: &str) -> Result<String, TextError> {
    let value = value.trim();
    let digits = value.chars().filter(char::is_ascii_digit).count();
    let ok = value.len() <= 40 && digits >= 6 && value.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    if ok { Ok(value.to_owned()) } else { Err(TextError::Invalid("a phone number has 6 or more digits and only + - ( ) . and spaces")) }
}

/// A BCP 47 language tag (e.g. `sw`, `pt-BR`), well-formed per the `language-tags` crate.
pub fn language(value: &str) -> Result<String, TextError> {
    let value = value.trim();
    match language_tags::LanguageTag::parse(value) {
        Ok(tag) if value.len() <= 35 && tag.private_use().is_none() => Ok(tag.to_string()),
        _ => Err(TextError::Invalid("not a BCP 47 language tag, e.g. en, sw or pt-BR")),
    }
}

/// Folds text for search: accents removed (with `deunicode`), lower case, single
/// spaces. Stored beside names and applied to queries, so search is case- and
/// accent-insensitive the same way on SQLite and PostgreSQL, whatever their
/// collation (SQL `LOWER()` folds ASCII only).
pub fn search_key(text: &str) -> String {
    deunicode::deunicode(text).to_lowercase().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What is wrong with a text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Empty after trimming.
    #[error("can't be blank")]
    Blank,
    /// Too long.
    #[error("is too long (at most {0} characters)")]
    TooLong(usize),
    /// Contains control characters.
    #[error("contains control characters")]
    ControlCharacters,
    /// Fails its format.
    #[error("{0}")]
    Invalid(&'static str),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern(" Amani "), "%amani%");
        assert_eq!(like_pattern("Życzliwa"), "%zyczliwa%");
        assert_eq!(like_pattern("100%_\\"), "%100\\%\\_\\\\%");
    }

    #[test]
    fn email_keys_fold_case_and_compatibility_forms() {
        assert_eq!(email_key(" Kim@Example.ORG "), "kim@example.org");
        assert_eq!(email_key("\u{212A}im@example.org"), "kim@example.org", "Kelvin sign");
        assert_eq!(email_key("\u{ff4b}\u{ff49}\u{ff4d}@example.org"), "kim@example.org", "full-width letters");
        assert_eq!(email_key("STRASSE@example.org"), email_key("straße@example.org"), "full case folding");
        assert_ne!(email_key("kim@example.org"), email_key("kim2@example.org"));
    }

    #[test]
    fn lines_are_trimmed_and_bounded() {
        assert_eq!(required_line("  Amani  ", 10), Ok("Amani".to_owned()));
        assert_eq!(required_line("   ", 10), Err(TextError::Blank));
        assert_eq!(required_line("abcdefghijk", 10), Err(TextError::TooLong(10)));
        assert_eq!(required_line("a\u{0}b", 10), Err(TextError::ControlCharacters));
        assert_eq!(optional_line(Some("  "), 10), Ok(None));
        assert_eq!(required_line("Associação", 10), Ok("Associação".to_owned()), "counts chars, not bytes");
    }

    #[test]
    fn search_keys_fold_case_and_accents() {
        assert_eq!(search_key("  Życzliwa   GRANICA "), "zyczliwa granica");
        assert_eq!(search_key("Ìlọsíwájú"), "ilosiwaju");
        assert_eq!(search_key("Associação Cívica"), search_key("associacao civica"));
    }

    #[test]
    fn slugs() {
        assert!(slug("amani-digital").is_ok());
        for bad in ["ab", "Amani", "a--b", "-ab", "ab-", "a b c", "ação"] {
            assert!(slug(bad).is_err(), "{bad}");
        }
        assert_eq!(slug_from_name("Rede Cívica Digital").as_deref(), Some("rede-civica-digital"));
        assert_eq!(slug_from_name("!!"), None);
    }

    #[test]
    fn websites_emails_phones_languages() {
        assert_eq!(website("https://amani.example.org").as_deref(), Ok("https://amani.example.org/"));
        for bad in ["javascript:alert(1)", "ftp://x.org", "example.org", "https://localhost", "https://u:p@x.org"] {
            assert!(website(bad).is_err(), "{bad}");
        }
        assert!(email("hello@amani.example.org").is_ok());
        assert!(email("not-an-email").is_err());
        assert!(phone("+254 20 555 0100").is_ok());
        assert!(phone("call me").is_err());
        assert_eq!(language("pt-BR").as_deref(), Ok("pt-BR"));
        assert!(language("not a language").is_err());
    }
}
