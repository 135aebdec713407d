//! The benchmark's donations (version 3 of the data, `seed --bench`): 150
//! donors giving in some of the benchmark's countries, 600 programs of every
//! category, and 100,000 donation requests at scale 1 (the requests scale
//! with the organizations), with the events of every write, in the caller's
//! transaction.
//!
//! The requests are skewed across the organizations (Zipf weights
//! 1/(rank + 1 % of the organizations): at scale 1 the most active one holds
//! about 110, at least 2,000 hold 10 or more, most hold one to five), each to
//! a program available in the organization's country, made between the
//! organization's creation and 2026-11-01 (about three years), and played in
//! time order as the writes would: an approval reserves stock and cap, and is
//! refused (the request REJECTED with `OUT_OF_STOCK` or `CAP_REACHED`) when
//! either would be passed, so every program's `stock_reserved` is the units of
//! its APPROVED and FULFILLED requests and never exceeds its stock, and no
//! organization receives more than a program's cap (counted over all time,
//! stricter than the cap's period). Steps that would fall after 2026-11-01
//! are not taken: the newest requests are still SUBMITTED. Programs ask for no
//! organization type or budget; the requests do not check the organizations'
//! validations.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use entity::{
    StringList, donation_request, donor, donor_country,
    enums::{CapPeriod, DonationRequestStatus as Status, ProgramCategory},
    event, program, program_country, program_text,
};
use sea_orm::{ActiveEnum, ConnectionTrait, Set};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::request_state::status_name;
use crate::{
    countries::seed::BENCH_COUNTRIES,
    error::ApiError,
    events::{DomainEvent, DonationChange},
    organizations::seed::BenchOrganization,
    seed::{
        SeedError,
        generator::{BenchContext, BenchRng, event_row, insert_batched},
    },
};

/// Donors (at every scale).
pub const BENCH_DONORS: usize = 150;
/// Programs (at every scale): four per donor.
pub const BENCH_PROGRAMS: usize = 600;
/// Donation requests at scale 1.
pub const REQUESTS_AT_SCALE_ONE: u64 = 100_000;

/// What the benchmark's donations wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BenchDonations {
    /// Donors.
    pub donors: usize,
    /// Programs.
    pub programs: usize,
    /// Requests.
    pub requests: usize,
    /// Of which SUBMITTED, APPROVED, FULFILLED, REJECTED and CANCELLED.
    pub statuses: [usize; 5],
    /// Events (donors and programs created, every step of every request).
    pub events: usize,
}

const PREFIXES: [&str; 15] = [
    "Open", "Bright", "Nimbus", "Terra", "Kite", "Harbor", "Lumen", "Summit", "Cedar", "Orbit", "Atlas", "Mosaic", "Vertex", "Delta",
    "Aurora",
];
const SUFFIXES: [&str; 10] = ["Cloud", "Systems", "Labs", "Software", "Networks", "Data", "Devices", "Works", "Digital", "Tech"];

/// A category's product, in English and in the second languages (es, fr, pt, ms, th, vi).
fn product(category: ProgramCategory) -> [&'static str; 7] {
    match category {
        ProgramCategory::Software => [
            "office licenses",
            "licencias de oficina",
            "licences bureautiques",
            "licenças de escritório",
            "lesen pejabat",
            "ใบอนุญาตสำนักงาน",
            "giấy phép văn phòng",
        ],
        ProgramCategory::CloudCredits => {
            ["cloud credits", "créditos en la nube", "crédits cloud", "créditos de nuvem", "kredit awan", "เครดิตคลาวด์", "tín dụng đám mây"]
        }
        ProgramCategory::Hardware => [
            "refurbished laptops",
            "portátiles reacondicionados",
            "portables reconditionnés",
            "portáteis recondicionados",
            "komputer riba diperbaharui",
            "แล็ปท็อปปรับสภาพ",
            "máy tính xách tay tân trang",
        ],
        ProgramCategory::Services => [
            "security audits",
            "auditorías de seguridad",
            "audits de sécurité",
            "auditorias de segurança",
            "audit keselamatan",
            "การตรวจสอบความปลอดภัย",
            "kiểm toán bảo mật",
        ],
        ProgramCategory::TrainingVouchers => [
            "training vouchers",
            "vales de formación",
            "bons de formation",
            "vales de formação",
            "baucar latihan",
            "บัตรกำนัลการอบรม",
            "phiếu đào tạo",
        ],
    }
}

const SECOND_LANGUAGES: [&str; 6] = ["es", "fr", "pt", "ms", "th", "vi"];
const CATEGORIES: [ProgramCategory; 5] = [
    ProgramCategory::Software,
    ProgramCategory::CloudCredits,
    ProgramCategory::Hardware,
    ProgramCategory::Services,
    ProgramCategory::TrainingVouchers,
];

/// Units one request asks for at most, by category.
fn max_quantity(category: ProgramCategory) -> i64 {
    match category {
        ProgramCategory::Software => 25,
        ProgramCategory::CloudCredits | ProgramCategory::TrainingVouchers => 10,
        ProgramCategory::Hardware => 3,
        ProgramCategory::Services => 2,
    }
}

/// A program as the requests need it.
#[derive(Clone, Copy)]
struct PlannedProgram {
    id: Uuid,
    donor: Uuid,
    category: ProgramCategory,
    cap: Option<i32>,
    stock: Option<i32>,
    auto_approve: bool,
    reserved: i32,
}

impl PlannedProgram {
    /// A copy of what a request reads, so the plan can change while it is read.
    fn summary(&self) -> Self {
        Self { ..*self }
    }
}

/// A step of a request at `when`, with its event, as `requests::step` writes it.
fn step(
    rng: &mut BenchRng,
    donor: Uuid,
    row: &mut donation_request::Model,
    to: Status,
    when: DateTime<Utc>,
    events: &mut Vec<event::ActiveModel>,
) {
    let from = Some(status_name(row.status).to_owned());
    row.status = to;
    row.version += 1;
    row.updated_at = when;
    let change = DonationChange {
        request: row.id,
        program: row.program_id,
        donor,
        organization: row.organization_id,
        quantity: row.quantity,
        from,
        to: status_name(to).to_owned(),
        reasons: row.reasons.0.clone(),
    };
    let event = match to {
        Status::Approved => DomainEvent::DonationRequestApproved(change),
        Status::Fulfilled => DomainEvent::DonationRequestFulfilled(change),
        Status::Rejected => DomainEvent::DonationRequestRejected(change),
        Status::Cancelled => DomainEvent::DonationRequestCancelled(change),
        Status::Submitted => DomainEvent::DonationRequested(change),
    };
    events.push(event_row(rng, when, &event));
}

/// When the benchmark's history stops: 2026-11-01, as the validations'.
fn bench_now(ctx: &BenchContext) -> DateTime<Utc> {
    ctx.at((365 + 366 + 304) * 86_400_000)
}

/// A time in `low..=high` (whole milliseconds).
fn between(rng: &mut BenchRng, low: DateTime<Utc>, high: DateTime<Utc>) -> DateTime<Utc> {
    low + Duration::milliseconds(rng.between(0, (high - low).num_milliseconds().max(0)))
}

/// How many requests each organization makes, by activity rank: Zipf weights
/// 1/(rank + 1 % of the organizations), rounded down, the remainder to the
/// most active.
fn requests_per_rank(total: u64, organizations: usize) -> Vec<u64> {
    let offset = (organizations as u64 / 100).max(1);
    let weights: Vec<u64> = (0..organizations as u64).map(|rank| 1_000_000_000_000 / (rank + offset)).collect();
    let sum: u64 = weights.iter().sum::<u64>().max(1);
    let mut counts: Vec<u64> =
        weights.iter().map(|w| u64::try_from(u128::from(total) * u128::from(*w) / u128::from(sum)).unwrap_or(0)).collect();
    let short = total.saturating_sub(counts.iter().sum());
    for count in counts.iter_mut().take(usize::try_from(short).unwrap_or(0)) {
        *count += 1;
    }
    counts
}

/// The request's input hash, as `requests::request` computes it (no note).
fn input_hash(program: Uuid, organization: Uuid, quantity: i32) -> String {
    hex::encode(Sha256::digest(format!("{program}\n{organization}\n{quantity}\n").as_bytes()))
}

/// Writes the donors, programs and requests (see the module's documentation).
pub async fn insert_bench(
    db: &impl ConnectionTrait,
    ctx: &BenchContext,
    organizations: &[BenchOrganization],
) -> Result<BenchDonations, SeedError> {
    let mut rng = ctx.rng("donations");
    let codes: Vec<&'static str> = BENCH_COUNTRIES.iter().map(|c| c.code).collect();
    let (mut donors, mut donor_countries, mut events) = (Vec::new(), Vec::new(), Vec::new());
    let mut giving: Vec<(Uuid, Vec<&'static str>, DateTime<Utc>, String)> = Vec::new();
    for i in 0..BENCH_DONORS {
        let name = format!("{} {}", PREFIXES[i % PREFIXES.len()], SUFFIXES[i / PREFIXES.len() % SUFFIXES.len()]);
        let slug = name.to_lowercase().replace(' ', "-");
        let at = ctx.at(-200 * 86_400_000 + i64::try_from(i).unwrap_or(0) * 3_600_000);
        let id = rng.uuid_at(at);
        // Ten global donors give everywhere; the others in 5 to 40 countries.
        let mut countries = codes.clone();
        if i >= 10 {
            rng.shuffle(&mut countries);
            countries.truncate(usize::try_from(rng.between(5, 40)).unwrap_or(5));
            countries.sort_unstable();
        }
        donors.push(donor::ActiveModel {
            id: Set(id),
            slug: Set(slug.clone()),
            name: Set(name.clone()),
            website: Set(Some(format!("https://{slug}.example.com"))),
            description: Set(Some(format!("{name} donates technology to civil society."))),
            logo_url: Set(None),
            created_at: Set(at),
        });
        donor_countries
            .extend(countries.iter().map(|c| donor_country::ActiveModel { donor_id: Set(id), country_code: Set((*c).to_owned()) }));
        events.push(event_row(&mut rng, at, &DomainEvent::DonorCreated { donor: id, slug }));
        giving.push((id, countries, at, name));
    }

    let (mut texts, mut program_countries) = (Vec::new(), Vec::new());
    let mut planned: Vec<PlannedProgram> = Vec::new();
    let mut rows: Vec<program::ActiveModel> = Vec::new();
    let mut in_country: BTreeMap<&'static str, Vec<usize>> = BTreeMap::new();
    for i in 0..BENCH_PROGRAMS {
        let (donor, countries, donor_at, donor_name) = &giving[i % BENCH_DONORS];
        let category = CATEGORIES[i % CATEGORIES.len()];
        let at = *donor_at + Duration::hours(1 + i64::try_from(i).unwrap_or(0));
        let id = rng.uuid_at(at);
        let slug = format!("{}-{}", category.to_value().replace('_', "-"), i / BENCH_DONORS + 1);
        let mut available = countries.clone();
        if rng.chance(500) && available.len() > 3 {
            rng.shuffle(&mut available);
            available.truncate(usize::try_from(rng.between(3, i64::try_from(available.len()).unwrap_or(3))).unwrap_or(3));
            available.sort_unstable();
        }
        let most = max_quantity(category);
        let cap_units = i32::try_from(most * rng.between(1, 4)).unwrap_or(1);
        let (cap, period, months, fiscal) = match rng.weighted(&[3, 3, 2, 2]) {
            0 => (None, None, None, None),
            1 => (Some(cap_units), Some(CapPeriod::Rolling), Some(*[12, 24].get(rng.index(2)).unwrap_or(&12)), None),
            2 => (Some(cap_units), Some(CapPeriod::CalendarYear), None, None),
            _ => (Some(cap_units), Some(CapPeriod::FiscalYear), None, Some(*[4, 7, 10].get(rng.index(3)).unwrap_or(&7))),
        };
        let stock = rng.chance(500).then(|| i32::try_from(rng.between(20, 150) * most).unwrap_or(100));
        let auto_approve = rng.chance(250);
        let currency = if i % 7 == 0 { "EUR" } else { "USD" };
        let unit_value = match category {
            ProgramCategory::Software => rng.between(50, 400) * 100,
            ProgramCategory::CloudCredits => rng.between(5, 50) * 10_000,
            ProgramCategory::Hardware => rng.between(200, 900) * 100,
            ProgramCategory::Services => rng.between(10, 60) * 10_000,
            ProgramCategory::TrainingVouchers => rng.between(20, 200) * 100,
        };
        rows.push(program::ActiveModel {
            id: Set(id),
            donor_id: Set(*donor),
            slug: Set(slug.clone()),
            category: Set(category),
            currency: Set(currency.to_owned()),
            unit_value: Set(unit_value),
            admin_fee: Set(unit_value * rng.between(0, 10) / 100),
            eligible_types: Set(StringList::default()),
            max_annual_budget: Set(None),
            requires_validation: Set(true),
            cap_units: Set(cap),
            cap_period: Set(period),
            cap_months: Set(months),
            fiscal_year_start_month: Set(fiscal),
            stock_total: Set(stock),
            stock_reserved: Set(0),
            active_from: Set(None),
            active_until: Set(None),
            auto_approve: Set(auto_approve),
            version: Set(1),
            created_at: Set(at),
            updated_at: Set(at),
            archived_at: Set(None),
        });
        let words = product(category);
        let second = i % SECOND_LANGUAGES.len();
        for (language, noun) in [("en", words[0]), (SECOND_LANGUAGES[second], words[second + 1])] {
            let (name, description) = (format!("{donor_name} {noun}"), format!("{donor_name}: {noun} ({language})."));
            texts.push(program_text::ActiveModel {
                program_id: Set(id),
                language: Set(language.to_owned()),
                search_text: Set(crate::domain::text::search_key(&format!("{name} {description}"))),
                name: Set(name),
                description: Set(description),
            });
        }
        for code in &available {
            program_countries.push(program_country::ActiveModel { program_id: Set(id), country_code: Set((*code).to_owned()) });
            in_country.entry(code).or_default().push(i);
        }
        let created = DomainEvent::ProgramCreated {
            program: id,
            donor: *donor,
            slug,
            countries: available.iter().map(|c| (*c).to_owned()).collect(),
        };
        events.push(event_row(&mut rng, at, &created));
        planned.push(PlannedProgram { id, donor: *donor, category, cap, stock, auto_approve, reserved: 0 });
    }

    // Who asks for what, when: organizations in a shuffled order of activity.
    let now = bench_now(ctx);
    let total = ctx.scale.of(REQUESTS_AT_SCALE_ONE);
    let mut ranked: Vec<&BenchOrganization> = organizations.iter().collect();
    rng.shuffle(&mut ranked);
    let mut asked: Vec<(DateTime<Utc>, Uuid, usize, i32)> = Vec::new();
    for (org, count) in ranked.iter().zip(requests_per_rank(total, ranked.len())) {
        let Some(choices) = in_country.get(org.country) else { continue };
        for _ in 0..count {
            let p = choices[rng.index(choices.len())];
            let at = between(&mut rng, org.created_at + Duration::days(1), now);
            let most = max_quantity(planned[p].category);
            let quantity = i32::try_from(rng.between(1, most)).unwrap_or(1).min(planned[p].cap.unwrap_or(i32::MAX));
            asked.push((at, org.id, p, quantity));
        }
    }
    asked.sort_by_key(|(at, org, p, _)| (*at, *org, *p));

    // Played in time order; each approval reserves stock and cap.
    let mut received: BTreeMap<(Uuid, usize), i32> = BTreeMap::new();
    let mut requests = Vec::with_capacity(asked.len());
    let mut statuses = [0usize; 5];
    for (at, organization, p, quantity) in asked {
        let program = planned[p].summary();
        let target = match rng.weighted(&[10, 15, 50, 15, 10]) {
            0 if program.auto_approve => Status::Approved,
            0 => Status::Submitted,
            1 => Status::Approved,
            2 => Status::Fulfilled,
            3 if program.auto_approve => Status::Cancelled,
            3 => Status::Rejected,
            _ => Status::Cancelled,
        };
        let id = rng.uuid_at(at);
        let mut row = donation_request::Model {
            id,
            program_id: program.id,
            organization_id: organization,
            requested_by: None,
            quantity,
            status: Status::Submitted,
            idempotency_key: None,
            input_hash: input_hash(program.id, organization, quantity),
            note: None,
            reasons: StringList::default(),
            fulfilment: None,
            decided_by: None,
            decided_at: None,
            approved_at: None,
            fulfilled_at: None,
            partner_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
        };
        let submitted = DonationChange {
            request: id,
            program: program.id,
            donor: program.donor,
            organization,
            quantity,
            from: None,
            to: status_name(Status::Submitted).to_owned(),
            reasons: Vec::new(),
        };
        events.push(event_row(&mut rng, at, &DomainEvent::DonationRequested(submitted)));
        let decided = if program.auto_approve { at } else { at + Duration::days(rng.between(1, 14)) };
        let approves = matches!(target, Status::Approved | Status::Fulfilled);
        if approves && decided <= now {
            let stock_left = program.stock.map_or(i32::MAX, |s| s - program.reserved);
            let cap_left = program.cap.map_or(i32::MAX, |c| c - received.get(&(organization, p)).copied().unwrap_or(0));
            if quantity > stock_left || quantity > cap_left {
                row.reasons = StringList(vec![if quantity > stock_left { "OUT_OF_STOCK" } else { "CAP_REACHED" }.to_owned()]);
                row.decided_at = Some(decided);
                step(&mut rng, program.donor, &mut row, Status::Rejected, decided, &mut events);
            } else {
                row.approved_at = Some(decided);
                row.decided_at = Some(decided);
                step(&mut rng, program.donor, &mut row, Status::Approved, decided, &mut events);
                planned[p].reserved += quantity;
                *received.entry((organization, p)).or_default() += quantity;
                let delivered = decided + Duration::days(rng.between(1, 30));
                if target == Status::Fulfilled && delivered <= now {
                    row.fulfilment = Some(format!("Delivery BENCH-{:06}: keys and instructions sent.", requests.len() + 1));
                    row.fulfilled_at = Some(delivered);
                    step(&mut rng, program.donor, &mut row, Status::Fulfilled, delivered, &mut events);
                }
            }
        } else if target == Status::Rejected && decided <= now {
            row.reasons = StringList(vec!["NOT_A_FIT".to_owned()]);
            row.decided_at = Some(decided);
            step(&mut rng, program.donor, &mut row, Status::Rejected, decided, &mut events);
        } else if target == Status::Cancelled {
            let cancelled = at + Duration::days(rng.between(0, 10));
            if cancelled <= now {
                step(&mut rng, program.donor, &mut row, Status::Cancelled, cancelled, &mut events);
            }
        }
        statuses[match row.status {
            Status::Submitted => 0,
            Status::Approved => 1,
            Status::Fulfilled => 2,
            Status::Rejected => 3,
            Status::Cancelled => 4,
        }] += 1;
        requests.push(donation_request::ActiveModel::from(row));
    }
    for (row, plan) in rows.iter_mut().zip(&planned) {
        row.stock_reserved = Set(plan.reserved);
    }

    let written = BenchDonations { donors: donors.len(), programs: rows.len(), requests: requests.len(), statuses, events: events.len() };
    insert_batched(db, donors).await.map_err(ApiError::from)?;
    insert_batched(db, donor_countries).await.map_err(ApiError::from)?;
    insert_batched(db, rows).await.map_err(ApiError::from)?;
    insert_batched(db, texts).await.map_err(ApiError::from)?;
    insert_batched(db, program_countries).await.map_err(ApiError::from)?;
    insert_batched(db, requests).await.map_err(ApiError::from)?;
    insert_batched(db, events).await.map_err(ApiError::from)?;
    Ok(written)
}
