//! The countries of the benchmark network (`seed --bench`): 100 real ISO
//! 3166-1 codes, largest first, each with the languages its organizations
//! work in. The other areas' benchmark seeds build on this list: partners
//! serve them (the 20 largest one each, the others in neighbouring pairs),
//! organizations are spread over them by rank.

use crate::domain::CountryCode;

/// A country of the benchmark network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenchCountry {
    /// ISO 3166-1 alpha-2 code.
    pub code: &'static str,
    /// BCP 47 tags of the languages its organizations work in, most used first.
    pub languages: &'static [&'static str],
}

/// A country's name as people say it: its ISO 3166-1 name up to a comma or
/// parenthesis ("Tanzania", "Bolivia", "Congo").
pub fn short_name(code: &CountryCode) -> &'static str {
    let name = code.name();
    name.split([',', '(']).next().unwrap_or(name).trim()
}

const fn c(code: &'static str, languages: &'static [&'static str]) -> BenchCountry {
    BenchCountry { code, languages }
}

/// The 100 countries, by rank (the first has the most organizations); after
/// the first 20, neighbours come in pairs.
pub const BENCH_COUNTRIES: [BenchCountry; 100] = [
    c("IN", &["hi", "en", "bn", "ta"]),
    c("BR", &["pt"]),
    c("NG", &["en", "yo", "ha", "ig"]),
    c("KE", &["en", "sw"]),
    c("PH", &["en", "fil"]),
    c("MX", &["es"]),
    c("ID", &["id", "jv"]),
    c("ZA", &["en", "zu", "xh", "af"]),
    c("CO", &["es"]),
    c("BD", &["bn", "en"]),
    c("PK", &["ur", "en"]),
    c("UG", &["en", "lg"]),
    c("GH", &["en", "tw"]),
    c("PE", &["es", "qu"]),
    c("TZ", &["sw", "en"]),
    c("EG", &["ar", "en"]),
    c("ET", &["am", "en"]),
    c("AR", &["es"]),
    c("VN", &["vi"]),
    c("UA", &["uk"]),
    c("RW", &["rw", "fr", "en"]),
    c("BI", &["rn", "fr"]),
    c("SN", &["fr", "wo"]),
    c("GM", &["en", "wo"]),
    c("CI", &["fr"]),
    c("BF", &["fr", "mos"]),
    c("CM", &["fr", "en"]),
    c("GA", &["fr"]),
    c("ML", &["fr", "bm"]),
    c("NE", &["fr", "ha"]),
    c("BJ", &["fr"]),
    c("TG", &["fr", "ee"]),
    c("ZM", &["en", "bem"]),
    c("MW", &["en", "ny"]),
    c("ZW", &["en", "sn"]),
    c("MZ", &["pt"]),
    c("NA", &["en", "af"]),
    c("BW", &["en", "tn"]),
    c("CD", &["fr", "ln", "sw"]),
    c("CG", &["fr", "ln"]),
    c("MA", &["ar", "fr"]),
    c("TN", &["ar", "fr"]),
    c("LR", &["en"]),
    c("SL", &["en"]),
    c("MG", &["mg", "fr"]),
    c("MU", &["en", "fr"]),
    c("SO", &["so", "ar"]),
    c("DJ", &["fr", "ar"]),
    c("EC", &["es", "qu"]),
    c("BO", &["es", "qu", "ay"]),
    c("CL", &["es"]),
    c("UY", &["es"]),
    c("GT", &["es"]),
    c("HN", &["es"]),
    c("SV", &["es"]),
    c("NI", &["es"]),
    c("CR", &["es"]),
    c("PA", &["es"]),
    c("DO", &["es"]),
    c("HT", &["fr", "ht"]),
    c("JM", &["en"]),
    c("TT", &["en"]),
    c("PY", &["es", "gn"]),
    c("VE", &["es"]),
    c("NP", &["ne", "en"]),
    c("BT", &["dz", "en"]),
    c("LK", &["si", "ta", "en"]),
    c("MV", &["dv", "en"]),
    c("MM", &["my"]),
    c("TH", &["th"]),
    c("KH", &["km"]),
    c("LA", &["lo"]),
    c("MY", &["ms", "en"]),
    c("SG", &["en", "ms", "zh"]),
    c("MN", &["mn"]),
    c("KG", &["ky", "ru"]),
    c("KZ", &["kk", "ru"]),
    c("UZ", &["uz", "ru"]),
    c("TJ", &["tg", "ru"]),
    c("AF", &["ps", "fa"]),
    c("JO", &["ar", "en"]),
    c("LB", &["ar", "fr"]),
    c("IQ", &["ar", "ku"]),
    c("YE", &["ar"]),
    c("TR", &["tr"]),
    c("GE", &["ka"]),
    c("AM", &["hy"]),
    c("AZ", &["az"]),
    c("PL", &["pl"]),
    c("RO", &["ro", "hu"]),
    c("HU", &["hu"]),
    c("MD", &["ro", "ru"]),
    c("RS", &["sr"]),
    c("BA", &["bs", "hr", "sr"]),
    c("FJ", &["en", "fj"]),
    c("PG", &["en", "tpi"]),
    c("LS", &["st", "en"]),
    c("SZ", &["ss", "en"]),
    c("AO", &["pt"]),
    c("CV", &["pt"]),
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::user_errors::Errors;

    #[test]
    fn bench_countries_are_100_distinct_assigned_codes_with_a_currency_and_valid_languages() {
        let mut codes: Vec<&str> = BENCH_COUNTRIES.iter().map(|c| c.code).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), 100);
        for country in BENCH_COUNTRIES {
            let code = CountryCode::parse(country.code).unwrap_or_else(|e| panic!("{}: {e}", country.code));
            assert!(code.default_currency().is_some(), "{} has no currency", country.code);
            let mut errors = Errors::default();
            let tags: Vec<String> = country.languages.iter().map(|l| (*l).to_owned()).collect();
            assert_eq!(crate::user_errors::check_languages(&mut errors, &tags), tags, "{}", country.code);
            assert!(errors.ok().is_ok(), "{}", country.code);
            assert!(!short_name(&code).is_empty() && !short_name(&code).contains(','), "{}", code.name());
        }
        let tanzania = CountryCode::parse("TZ").map(|c| short_name(&c));
        assert_eq!(tanzania, Ok("Tanzania"));
    }
}
