//! The caller's language: messages translated with Project Fluent.
//!
//! The translations are `.ftl` files in the repository (`api/locales/<tag>/main.ftl`),
//! compiled into the binary and parsed once, the first time a message is
//! asked for, into one bundle per language. They are immutable data, like the
//! country list, so one set serves every request and every instance (unlike
//! settings or brokers, nothing here differs between deployments or tests).
//!
//! A request's language is negotiated once at the edge ([`Locale::from_accept_language`])
//! and may be overridden by a field's `locale` argument ([`Locale::choose`]);
//! anything unsupported falls back to English. Only messages are translated:
//! codes (`NOT_VALIDATED`, `extensions.code`) never change with the language.
//!
//! Shared machinery: it knows message ids, never an area's types.

use std::sync::LazyLock;

pub use fluent_bundle::FluentArgs;
use fluent_bundle::{FluentResource, concurrent::FluentBundle};
use fluent_langneg::{NegotiationStrategy, negotiate_languages};
use unic_langid::LanguageIdentifier;

/// A language the API speaks.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Locale {
    /// English, the fallback.
    #[default]
    En,
    /// Spanish.
    Es,
    /// French.
    Fr,
    /// Portuguese.
    Pt,
    /// Malay.
    Ms,
    /// Thai.
    Th,
    /// Vietnamese.
    Vi,
}

impl Locale {
    /// Every supported language, English first.
    pub const ALL: [Self; 7] = [Self::En, Self::Es, Self::Fr, Self::Pt, Self::Ms, Self::Th, Self::Vi];

    /// Its BCP 47 tag.
    pub fn tag(self) -> &'static str {
        match self {
            Self::En => "en",
            Self::Es => "es",
            Self::Fr => "fr",
            Self::Pt => "pt",
            Self::Ms => "ms",
            Self::Th => "th",
            Self::Vi => "vi",
        }
    }

    /// Its messages, as written in the repository.
    fn source(self) -> &'static str {
        match self {
            Self::En => include_str!("../../locales/en/main.ftl"),
            Self::Es => include_str!("../../locales/es/main.ftl"),
            Self::Fr => include_str!("../../locales/fr/main.ftl"),
            Self::Pt => include_str!("../../locales/pt/main.ftl"),
            Self::Ms => include_str!("../../locales/ms/main.ftl"),
            Self::Th => include_str!("../../locales/th/main.ftl"),
            Self::Vi => include_str!("../../locales/vi/main.ftl"),
        }
    }

    fn id(self) -> LanguageIdentifier {
        // The tags above are valid; `und` would only make the bundle's plural
        // rules the root ones.
        self.tag().parse().unwrap_or_default()
    }

    /// The best supported language for `requested` (most preferred first),
    /// else English. `pt-BR` is Portuguese, `es-MX` Spanish, `de` English.
    pub fn negotiate(requested: &[LanguageIdentifier]) -> Self {
        Self::find(requested).unwrap_or_default()
    }

    /// The best supported language for `requested`, if any is.
    fn find(requested: &[LanguageIdentifier]) -> Option<Self> {
        let available: Vec<LanguageIdentifier> = Self::ALL.iter().map(|l| l.id()).collect();
        let chosen = negotiate_languages(requested, &available, None, NegotiationStrategy::Lookup);
        let chosen = chosen.first()?;
        Self::ALL.into_iter().find(|l| &l.id() == *chosen)
    }

    /// The language of an `Accept-Language` header (or of a `locale`
    /// argument, which may list several tags the same way): its tags by
    /// weight (`q`), most preferred first, those with `q=0` left out;
    /// English when none is supported or the header is absent or garbage.
    pub fn from_accept_language(header: Option<&str>) -> Self {
        header.and_then(|h| Self::find(&accepted(h))).unwrap_or_default()
    }

    /// The language a field answers in: its `locale` argument when it names
    /// a supported language, else the request's.
    pub fn choose(argument: Option<&str>, request: Self) -> Self {
        argument.and_then(|a| Self::find(&accepted(a))).unwrap_or(request)
    }
}

/// The tags of an `Accept-Language` value, by descending weight (stable for
/// equal weights). `fluent_langneg::accepted_languages::parse` reads each tag
/// but keeps the written order; weights are read here.
fn accepted(header: &str) -> Vec<LanguageIdentifier> {
    let mut weighted: Vec<(f32, LanguageIdentifier)> = header
        .split(',')
        .filter_map(|range| {
            let mut parts = range.split(';');
            let tag = parts.next().unwrap_or("");
            let q = parts.filter_map(|p| p.trim().strip_prefix("q=")).find_map(|q| q.trim().parse::<f32>().ok()).unwrap_or(1.0);
            let id = fluent_langneg::accepted_languages::parse(tag).into_iter().next()?;
            (q > 0.0).then_some((q, id))
        })
        .collect();
    weighted.sort_by(|a, b| b.0.total_cmp(&a.0));
    weighted.into_iter().map(|(_, id)| id).collect()
}

/// One bundle per language, built on first use.
struct Bundles(Vec<(Locale, FluentBundle<FluentResource>)>);

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles(Locale::ALL.into_iter().map(|l| (l, bundle(l))).collect()));

fn bundle(locale: Locale) -> FluentBundle<FluentResource> {
    let resource = FluentResource::try_new(locale.source().to_owned()).unwrap_or_else(|(partial, errors)| {
        // The unit tests parse every file cleanly; keep what parsed anyway.
        tracing::error!(locale = locale.tag(), ?errors, "translations do not parse");
        partial
    });
    let mut bundle = FluentBundle::new_concurrent(vec![locale.id()]);
    // Plain text for API clients: no Unicode isolation marks around arguments.
    bundle.set_use_isolating(false);
    if let Err(errors) = bundle.add_resource(resource) {
        tracing::error!(locale = locale.tag(), ?errors, "translations could not be added");
    }
    bundle
}

impl Bundles {
    fn get(&self, locale: Locale) -> Option<&FluentBundle<FluentResource>> {
        self.0.iter().find(|(l, _)| *l == locale).map(|(_, b)| b)
    }

    /// The message in `locale`, `None` when missing or when it fails to format.
    fn format(&self, locale: Locale, id: &str, args: Option<&FluentArgs>) -> Option<String> {
        let bundle = self.get(locale)?;
        let pattern = bundle.get_message(id)?.value()?;
        let mut errors = Vec::new();
        let text = bundle.format_pattern(pattern, args, &mut errors);
        if errors.is_empty() {
            return Some(text.into_owned());
        }
        tracing::warn!(locale = locale.tag(), id, ?errors, "message could not be formatted");
        None
    }
}

/// The message `id` in `locale`, with `args`; in English when the language
/// lacks it (or it fails to format), and the id itself if English lacks it too.
pub fn t(locale: Locale, id: &str, args: Option<&FluentArgs>) -> String {
    BUNDLES.format(locale, id, args).or_else(|| BUNDLES.format(Locale::En, id, args)).unwrap_or_else(|| {
        tracing::error!(id, "no such message");
        id.to_owned()
    })
}

#[cfg(test)]
mod tests;
