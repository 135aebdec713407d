//! The organizations of the benchmark network (`seed --bench`): generated
//! from the benchmark's random streams, checked by the same rules as
//! [`super::super::write::create`] and written in bulk, row for row as it
//! would (search text, normalized registration numbers, `organization.created`
//! events). Everything is fictional: names are made of invented place names,
//! web sites and e-mail addresses are under `example.org`, phone numbers
//! contain `555`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    StringList,
    enums::{OrganizationType, RegistrationKind, StaffSize, Visibility},
    organization, organization_focus_area, organization_registration,
};
use sea_orm::{ActiveEnum, ConnectionTrait, Set};
use uuid::Uuid;

use super::super::{
    validate::{check_budget, check_contact, check_founded, check_registrations, line, search_text},
    write::{MoneyInput, RegistrationInput},
};
use super::words::{ACTIVITIES, BENEFICIARIES, NAME_LANGUAGES, STAFF_SIZES, THEMES, TYPES, names};
use crate::{
    countries::seed::{BENCH_COUNTRIES, short_name},
    domain::{CountryCode, text},
    error::ApiError,
    events::DomainEvent,
    seed::{
        SeedError,
        generator::{BenchContext, BenchRng, ORGANIZATIONS_AT_SCALE_ONE, event_row, insert_batched},
    },
    user_errors::{Errors, check_languages, text_code},
};

/// An organization of the benchmark network, as the other areas' seeds need it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BenchOrganization {
    /// Its id.
    pub id: Uuid,
    /// Its country.
    pub country: &'static str,
    /// Its visibility.
    pub visibility: Visibility,
    /// When it was created.
    pub created_at: DateTime<Utc>,
}

/// How many organizations each benchmark country has, by rank: a floor of
/// 0.33 % of them each (at least one), the rest by Zipf weights 1/(rank + 2.6).
/// At scale 1: 1,396 for the largest country, 100 for the smallest.
pub fn bench_counts(total: u64) -> Vec<u64> {
    let n = BENCH_COUNTRIES.len() as u64;
    let floor = (total * 66 / ORGANIZATIONS_AT_SCALE_ONE).max(1);
    let rest = total.saturating_sub(floor * n);
    // Weights 10^12 / (10·rank + 26), in integers so every machine agrees.
    let weights: Vec<u64> = (0..n).map(|rank| 1_000_000_000_000 / (10 * rank + 26)).collect();
    let sum: u64 = weights.iter().sum();
    let mut counts: Vec<u64> = weights.iter().map(|w| floor + rest * w / sum).collect();
    // Hand out what integer division left over to the largest remainders.
    let mut by_remainder: Vec<(u64, usize)> = weights.iter().enumerate().map(|(i, w)| (rest * w % sum, i)).collect();
    by_remainder.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let left = total.saturating_sub(counts.iter().sum());
    for (_, i) in by_remainder.into_iter().take(usize::try_from(left).unwrap_or(0)) {
        counts[i] += 1;
    }
    counts
}

/// Exactly 40 % public, 10 % hidden and the rest network-only, in random order.
fn visibilities(rng: &mut BenchRng, total: usize) -> Vec<Visibility> {
    let public = (total * 2).div_ceil(5);
    let hidden = total / 10;
    let mut all: Vec<Visibility> = std::iter::repeat_n(Visibility::Public, public)
        .chain(std::iter::repeat_n(Visibility::Hidden, hidden))
        .chain(std::iter::repeat_n(Visibility::Network, total - public - hidden))
        .collect();
    rng.shuffle(&mut all);
    all
}

fn registration(
    rng: &mut BenchRng,
    serial: usize,
    kind: RegistrationKind,
    country: usize,
    issued: &mut HashMap<(usize, RegistrationKind), String>,
) -> RegistrationInput {
    // One in 100 shares a number with an earlier organization of its country:
    // the possible duplicates partners review.
    let reused = if rng.chance(10) { issued.get(&(country, kind)).cloned() } else { None };
    let number = reused.unwrap_or_else(|| {
        let prefix = match kind {
            RegistrationKind::NationalRegistry => "NR",
            RegistrationKind::CharityRegister => "CR",
            RegistrationKind::TaxId => "TIN",
            RegistrationKind::CooperativeRegister => "CS",
            RegistrationKind::Other => "REG",
        };
        format!("{prefix}-{}/{:06}", 1990 + rng.below(34), serial * 7 + rng.index(7))
    });
    issued.insert((country, kind), number.clone());
    RegistrationInput { kind, number }
}

/// Everything about one organization, as the checks and the rows need it.
struct Generated {
    id: Uuid,
    at: DateTime<Utc>,
    country: usize,
    visibility: Visibility,
    legal_name: String,
    display_name: String,
    org_type: OrganizationType,
    registrations: Vec<RegistrationInput>,
    focus_areas: Vec<Uuid>,
    mission: String,
    website: Option<String>,
    founded_year: Option<i32>,
    staff_size: Option<StaffSize>,
    budget: Option<MoneyInput>,
    languages: Vec<String>,
    contact: (Option<String>, Option<String>, Option<String>),
}

/// Draws organizations one after the other from the `organizations` stream.
struct Generator {
    ctx: BenchContext,
    rng: BenchRng,
    /// Focus areas: (slug, id), by slug.
    focus_areas: Vec<(String, Uuid)>,
    /// Registration numbers last issued, by country and kind.
    issued: HashMap<(usize, RegistrationKind), String>,
    /// Milliseconds between two creations: the history spans two years.
    step: i64,
}

/// Two years of history, in milliseconds.
const HISTORY_MILLIS: i64 = 2 * 365 * 86_400_000;

impl Generator {
    fn focus_area(&self, slug: &str) -> Result<Uuid, SeedError> {
        self.focus_areas
            .iter()
            .find(|(s, _)| s == slug)
            .map(|(_, id)| *id)
            .ok_or_else(|| SeedError::bad(slug, "this focus area is missing: apply the migrations first"))
    }

    fn draw(&mut self, serial: usize, country: usize, visibility: Visibility) -> Result<Generated, SeedError> {
        let rng = &mut self.rng;
        let bench_country = BENCH_COUNTRIES[country];
        let code = CountryCode::parse(bench_country.code).map_err(|e| SeedError::bad(bench_country.code, &e.to_string()))?;
        let at = self.ctx.at(i64::try_from(serial).unwrap_or(0) * self.step + rng.between(0, self.step - 1));
        let id = rng.uuid_at(at);
        let local = NAME_LANGUAGES.iter().position(|(tag, _)| bench_country.languages.first() == Some(tag)).map(|i| i + 1);
        let language = match local {
            Some(l) if !rng.chance(250) => l,
            _ => 0,
        };
        let (org_type, _, kinds) = TYPES[rng.weighted(&TYPES.map(|t| t.1))];
        let (theme_slug, theme) = rng.pick(&THEMES);
        let (legal_name, display_name, place) = names(rng, language, &theme, &kinds);

        let mut focus_areas = vec![self.focus_area(theme_slug)?];
        let rng = &mut self.rng;
        for _ in 0..rng.weighted(&[40, 35, 18, 7]) {
            let (_, extra) = self.focus_areas[rng.index(self.focus_areas.len())];
            if !focus_areas.contains(&extra) {
                focus_areas.push(extra);
            }
        }
        let mut registrations = Vec::new();
        if rng.chance(800) {
            let kind = match org_type {
                OrganizationType::Cooperative => RegistrationKind::CooperativeRegister,
                OrganizationType::Charity | OrganizationType::Foundation => RegistrationKind::CharityRegister,
                _ => [RegistrationKind::NationalRegistry, RegistrationKind::TaxId, RegistrationKind::Other][rng.weighted(&[7, 2, 1])],
            };
            registrations.push(registration(rng, serial, kind, country, &mut self.issued));
            if kind != RegistrationKind::TaxId && rng.chance(100) {
                registrations.push(registration(rng, serial, RegistrationKind::TaxId, country, &mut self.issued));
            }
        }
        let founded_year = rng.chance(600).then(|| 2023 - i32::try_from(rng.below(64) * rng.below(64) / 64).unwrap_or(0));
        let mission = match rng.below(3) {
            0 => format!(
                "We work with {} in {place} and across {} on {}.",
                rng.pick(&BENEFICIARIES),
                short_name(&code),
                theme[0].to_lowercase()
            ),
            1 => format!(
                "{display_name} brings {} of {place} together for {}: {}.",
                rng.pick(&BENEFICIARIES),
                theme[0].to_lowercase(),
                rng.pick(&ACTIVITIES)
            ),
            _ => format!(
                "Since {}, {display_name} has supported {} in {place}, {}, with {}.",
                founded_year.unwrap_or(2015),
                rng.pick(&BENEFICIARIES),
                short_name(&code),
                rng.pick(&ACTIVITIES)
            ),
        };
        let staff_size = rng.chance(850).then(|| STAFF_SIZES[rng.weighted(&STAFF_SIZES.map(|s| s.1))].0);
        let budget = match code.default_currency() {
            Some(currency) if rng.chance(650) => {
                let major = 10_i64.pow(3 + u32::try_from(rng.below(4)).unwrap_or(0)) * rng.between(1, 9);
                Some(MoneyInput { amount: major * 10_i64.pow(u32::from(currency.exponent())), currency: currency.as_str().to_owned() })
            }
            _ => None,
        };
        let mut languages: Vec<String> = Vec::new();
        for (i, tag) in bench_country.languages.iter().enumerate() {
            if i == 0 || rng.chance(500) {
                languages.push((*tag).to_owned());
            }
        }
        if !languages.iter().any(|l| l == "en") && rng.chance(200) {
            languages.push("en".to_owned());
        }
        let host = {
            let mut slug = text::slug_from_name(&display_name).unwrap_or_else(|| "org".to_owned());
            slug.truncate(40);
            format!("{}-{}.example.org", slug.trim_end_matches('-'), serial + 1)
        };
        let website = rng.chance(550).then(|| format!("https://{host}"));
        let email = rng.chance(700).then(|| format!("{}@{host}", rng.pick(&["hello", "info", "contact"])));
        let phone = rng.chance(350).then(|| format!("555 {:04} {:04}", rng.below(10_000), rng.below(10_000)));
        let address = rng.chance(500).then(|| format!("{place}, {}", short_name(&code)));
        Ok(Generated {
            id,
            at,
            country,
            visibility,
            legal_name,
            display_name,
            org_type,
            registrations,
            focus_areas,
            mission,
            website,
            founded_year,
            staff_size,
            budget,
            languages,
            contact: (email, phone, address),
        })
    }
}

/// The rows of one organization, checked by the rules of `write::create`.
struct Rows {
    organization: organization::ActiveModel,
    registrations: Vec<organization_registration::ActiveModel>,
    focus_areas: Vec<organization_focus_area::ActiveModel>,
    event: entity::event::ActiveModel,
}

fn rows(rng: &mut BenchRng, g: Generated) -> Result<Rows, SeedError> {
    let code = BENCH_COUNTRIES[g.country].code;
    let mut errors = Errors::default();
    let legal_name = line(&mut errors, "legalName", &g.legal_name);
    let display_name = line(&mut errors, "displayName", &g.display_name);
    let registrations = check_registrations(&mut errors, &g.registrations);
    let mission = errors.check(&["mission"], text::optional_paragraph(Some(&g.mission), 2000), text_code).flatten();
    let website = g.website.as_deref().and_then(|w| errors.check(&["website"], text::website(w), text_code));
    if let Some(year) = g.founded_year {
        check_founded(&mut errors, year);
    }
    let budget = g.budget.as_ref().and_then(|m| check_budget(&mut errors, m));
    let languages = check_languages(&mut errors, &g.languages);
    let (email, phone, address) = check_contact(&mut errors, g.contact.0.as_deref(), g.contact.1.as_deref(), g.contact.2.as_deref());
    errors.ok().map_err(|e| SeedError::invalid(&g.legal_name, e))?;
    let (Some(legal_name), Some(display_name)) = (legal_name, display_name) else {
        return Err(SeedError::bad(&g.legal_name, "a name was refused"));
    };
    let registrations = registrations
        .into_iter()
        .enumerate()
        .map(|(i, (kind, number))| organization_registration::ActiveModel {
            id: Set(rng.uuid_at(g.at)),
            organization_id: Set(g.id),
            country_code: Set(code.to_owned()),
            kind: Set(kind),
            number: Set(number),
            position: Set(i32::try_from(i).unwrap_or(i32::MAX)),
        })
        .collect();
    let focus_areas = g
        .focus_areas
        .iter()
        .map(|area| organization_focus_area::ActiveModel { organization_id: Set(g.id), focus_area_id: Set(*area) })
        .collect();
    let created = DomainEvent::OrganizationCreated { organization: g.id, country: code.to_owned(), visibility: g.visibility.to_value() };
    let event = event_row(rng, g.at, &created);
    let organization = organization::ActiveModel {
        id: Set(g.id),
        search_text: Set(search_text(&legal_name, &display_name, mission.as_deref())),
        legal_name: Set(legal_name),
        display_name: Set(display_name),
        country_code: Set(code.to_owned()),
        org_type: Set(g.org_type),
        mission: Set(mission),
        website: Set(website),
        founded_year: Set(g.founded_year),
        staff_size: Set(g.staff_size),
        budget_amount: Set(budget.map(|(a, _)| a)),
        budget_currency: Set(budget.map(|(_, c)| c.as_str().to_owned())),
        languages: Set(StringList(languages)),
        visibility: Set(g.visibility),
        contact_email: Set(email),
        contact_phone: Set(phone),
        contact_address: Set(address),
        created_at: Set(g.at),
        updated_at: Set(g.at),
        archived_at: Set(None),
        version: Set(1),
    };
    Ok(Rows { organization, registrations, focus_areas, event })
}

/// Organizations written per round of multi-row inserts.
const PER_ROUND: usize = 500;

/// Writes the benchmark's organizations with their registrations, focus
/// areas and `organization.created` events, in the caller's transaction; the
/// focus-area taxonomy (from the migrations) must be there.
pub async fn insert_bench(db: &impl ConnectionTrait, ctx: &BenchContext) -> Result<Vec<BenchOrganization>, SeedError> {
    let total = ctx.scale.of(ORGANIZATIONS_AT_SCALE_ONE);
    let mut plan: Vec<usize> =
        bench_counts(total).iter().enumerate().flat_map(|(i, n)| std::iter::repeat_n(i, usize::try_from(*n).unwrap_or(0))).collect();
    let mut shuffler = ctx.rng("organizations.order");
    shuffler.shuffle(&mut plan);
    let visibilities = visibilities(&mut shuffler, plan.len());
    let mut focus_areas: Vec<(String, Uuid)> = crate::focus_areas::service::all(db).await?.into_iter().map(|a| (a.slug, a.id)).collect();
    focus_areas.sort();
    let step = (HISTORY_MILLIS / i64::try_from(plan.len().max(1)).unwrap_or(1)).max(1);
    let mut generator = Generator { ctx: ctx.clone(), rng: ctx.rng("organizations"), focus_areas, issued: HashMap::new(), step };
    let mut ids = ctx.rng("organizations.rows");
    let mut written = Vec::with_capacity(plan.len());
    for (round, chunk) in plan.chunks(PER_ROUND).enumerate() {
        let (mut orgs, mut regs, mut links, mut events) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (offset, country) in chunk.iter().enumerate() {
            let serial = round * PER_ROUND + offset;
            let generated = generator.draw(serial, *country, visibilities[serial])?;
            written.push(BenchOrganization {
                id: generated.id,
                country: BENCH_COUNTRIES[*country].code,
                visibility: generated.visibility,
                created_at: generated.at,
            });
            let rows = rows(&mut ids, generated)?;
            orgs.push(rows.organization);
            regs.extend(rows.registrations);
            links.extend(rows.focus_areas);
            events.push(rows.event);
        }
        insert_batched(db, orgs).await.map_err(ApiError::from)?;
        insert_batched(db, regs).await.map_err(ApiError::from)?;
        insert_batched(db, links).await.map_err(ApiError::from)?;
        insert_batched(db, events).await.map_err(ApiError::from)?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countries_get_skewed_counts_that_add_up() {
        let counts = bench_counts(ORGANIZATIONS_AT_SCALE_ONE);
        assert_eq!(counts.iter().sum::<u64>(), ORGANIZATIONS_AT_SCALE_ONE);
        assert!((1350..=1450).contains(&counts[0]), "{}", counts[0]);
        assert!((95..=105).contains(&counts[99]), "{}", counts[99]);
        assert!(counts.windows(2).all(|w| w[0] >= w[1]));
        let tiny = bench_counts(200);
        assert_eq!(tiny.iter().sum::<u64>(), 200);
        assert!(tiny.iter().all(|n| *n >= 1));
    }

    #[test]
    fn visibilities_are_exactly_40_50_10_percent() {
        let mut rng = BenchContext::new(crate::seed::generator::BenchScale::ONE).rng("test");
        let all = visibilities(&mut rng, 1000);
        let count = |v| all.iter().filter(|x| **x == v).count();
        assert_eq!((count(Visibility::Public), count(Visibility::Network), count(Visibility::Hidden)), (400, 500, 100));
    }
}
