use std::collections::BTreeSet;

use super::*;

/// The message ids of a file: entries start at the line's first column
/// (attributes, variants and continuations are indented; terms start with `-`).
fn ids(source: &str) -> BTreeSet<&str> {
    source
        .lines()
        .filter(|line| line.starts_with(|c: char| c.is_ascii_alphabetic()))
        .filter_map(|line| line.split_once('=').map(|(id, _)| id.trim()))
        .collect()
}

#[test]
fn every_file_parses_and_has_every_english_message() {
    let english = ids(Locale::En.source());
    assert!(english.contains("eligibility-cap-reached"), "{english:?}");
    for locale in Locale::ALL {
        let parsed = FluentResource::try_new(locale.source().to_owned());
        assert!(parsed.is_ok(), "{}: {:?}", locale.tag(), parsed.err().map(|(_, e)| e));
        let ids = ids(locale.source());
        let missing: Vec<_> = english.difference(&ids).collect();
        let extra: Vec<_> = ids.difference(&english).collect();
        assert!(missing.is_empty() && extra.is_empty(), "{}: missing {missing:?}, not in English {extra:?}", locale.tag());
        for id in &english {
            assert!(BUNDLES.get(locale).is_some_and(|b| b.has_message(id)), "{}: {id} not loaded", locale.tag());
        }
    }
}

#[test]
fn every_message_formats_in_every_language_with_its_arguments() {
    let mut args = FluentArgs::new();
    args.set("remaining", 0);
    args.set("resets", "2027-04-01 00:00 UTC");
    args.set("left", 3);
    args.set("asked", 5);
    args.set("available", 1);
    args.set("challenge", "Phones are not encrypted");
    args.set("urgency", 5);
    args.set("more", 2);
    for locale in Locale::ALL {
        for id in ids(Locale::En.source()) {
            assert!(BUNDLES.format(locale, id, Some(&args)).is_some_and(|m| !m.is_empty()), "{}: {id}", locale.tag());
        }
    }
}

#[test]
fn messages_are_translated_with_their_arguments_and_plurals() {
    let mut one = FluentArgs::new();
    one.set("remaining", 1);
    let mut two = FluentArgs::new();
    two.set("remaining", 2);
    two.set("resets", "2027-04-01 00:00 UTC");
    assert_eq!(
        t(Locale::En, "eligibility-cap-reached", Some(&one)),
        "the organization received the most this program gives per period (1 unit left)"
    );
    assert!(
        t(Locale::Es, "eligibility-cap-reached-resets", Some(&two))
            .ends_with("(quedan 2 unidades); vuelve a haber unidades disponibles el 2027-04-01 00:00 UTC")
    );
    assert_eq!(t(Locale::Fr, "eligibility-out-of-stock", None), "le programme n'a plus de stock");
    assert_eq!(t(Locale::Th, "eligibility-out-of-stock", None), "ของในโครงการนี้หมดแล้ว");
}

#[test]
fn a_missing_message_or_argument_falls_back_to_english_then_to_its_id() {
    // Missing everywhere: the id. A missing argument fails to format (and English is tried next).
    assert_eq!(t(Locale::Es, "no-such-message", None), "no-such-message");
    assert_eq!(BUNDLES.format(Locale::Es, "eligibility-cap-reached", None), None);
}

#[test]
fn languages_are_negotiated_from_accept_language() {
    let cases = [
        (Some("pt-BR"), Locale::Pt),
        (Some("es-MX,es;q=0.9"), Locale::Es),
        (Some("de"), Locale::En),
        (Some("de-DE, fr;q=0.5, en;q=0.3"), Locale::Fr),
        (Some("en;q=0.2, vi"), Locale::Vi),
        (Some("th;q=0, ms-MY"), Locale::Ms),
        (Some("*"), Locale::En),
        (Some("not a language!!, ;;;,"), Locale::En),
        (Some(""), Locale::En),
        (None, Locale::En),
    ];
    for (header, expected) in cases {
        assert_eq!(Locale::from_accept_language(header), expected, "{header:?}");
    }
    let ids: Vec<LanguageIdentifier> = ["zh-TW", "fr-CA"].iter().filter_map(|t| t.parse().ok()).collect();
    assert_eq!(Locale::negotiate(&ids), Locale::Fr);
    assert_eq!(Locale::negotiate(&[]), Locale::En);
}

#[test]
fn a_locale_argument_overrides_the_request_unless_unsupported() {
    assert_eq!(Locale::choose(Some("fr"), Locale::Es), Locale::Fr);
    assert_eq!(Locale::choose(Some("de"), Locale::Es), Locale::Es);
    assert_eq!(Locale::choose(Some("%%"), Locale::Th), Locale::Th);
    assert_eq!(Locale::choose(None, Locale::Vi), Locale::Vi);
}
