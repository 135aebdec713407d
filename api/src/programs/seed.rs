//! Demo data of donations: the demo donor with a program of each category in
//! the demo's countries, and requests in every state from the demo's
//! validated organization, so the demo shows the whole workflow.

use entity::{
    donation_request,
    enums::{CapPeriod, DonationRequestStatus as Status, OrganizationType, ProgramCategory, ValidationStatus},
    program, validation,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{
    request_state::RequestStep,
    requests::{self, RequestInput, StepInput},
    write::{self, Amount, CapInput, ProgramInput, TextInput},
};
use crate::{
    auth::{Caller, OrgScope},
    clock::Clock,
    donors::service::{self as donors, DonorInput},
    error::ApiError,
    events::Actor,
    seed::SeedError,
};

/// The demo donor's slug (the demo accounts give it an admin).
pub const DEMO_DONOR: &str = "open-circuit-foundation";

/// The programs: slug, category, names (en, es, fr), unit value and fee in USD cents, cap, stock, automatic approval.
type DemoProgram = (&'static str, ProgramCategory, [&'static str; 3], i64, i64, Option<CapInput>, Option<i32>, bool);

fn demo_programs() -> [DemoProgram; 5] {
    let rolling = |units, months| Some(CapInput { units, period: CapPeriod::Rolling, months: Some(months), fiscal_year_start_month: None });
    let fiscal = Some(CapInput { units: 10, period: CapPeriod::FiscalYear, months: None, fiscal_year_start_month: Some(7) });
    let yearly = Some(CapInput { units: 5, period: CapPeriod::CalendarYear, months: None, fiscal_year_start_month: None });
    [
        (
            "office-suite",
            ProgramCategory::Software,
            ["Office suite licenses", "Licencias de ofimática", "Licences de bureautique"],
            25_000,
            1_500,
            rolling(50, 24),
            None,
            true,
        ),
        (
            "cloud-credits",
            ProgramCategory::CloudCredits,
            ["Cloud credits", "Créditos en la nube", "Crédits cloud"],
            100_000,
            5_000,
            fiscal,
            Some(200),
            false,
        ),
        (
            "refurbished-laptops",
            ProgramCategory::Hardware,
            ["Refurbished laptops", "Portátiles reacondicionados", "Ordinateurs reconditionnés"],
            40_000,
            8_000,
            yearly,
            Some(40),
            false,
        ),
        (
            "security-audit",
            ProgramCategory::Services,
            ["Digital security audit", "Auditoría de seguridad digital", "Audit de sécurité numérique"],
            300_000,
            0,
            rolling(1, 12),
            Some(10),
            false,
        ),
        (
            "training-vouchers",
            ProgramCategory::TrainingVouchers,
            ["Training vouchers", "Vales de formación", "Bons de formation"],
            5_000,
            0,
            None,
            None,
            true,
        ),
    ]
}

/// Seeds the demo donor (if missing), its programs and, when there are no
/// requests yet, one request in each status. Returns the requests created.
pub async fn seed_demo(db: &DatabaseConnection, clock: &Clock) -> Result<usize, SeedError> {
    let caller = Caller::System;
    let donor = match donors::by_slug(db, DEMO_DONOR).await? {
        Some(d) => d,
        None => {
            let input = DonorInput {
                name: "Open Circuit Foundation".to_owned(),
                slug: Some(DEMO_DONOR.to_owned()),
                website: Some("https://opencircuit.example.org".to_owned()),
                description: Some("Refurbished laptops and open-source software for civil society.".to_owned()),
                logo_url: None,
                countries: vec!["KE".to_owned(), "UG".to_owned(), "TZ".to_owned()],
            };
            donors::create(db, clock, &Actor::system("seed"), input).await.map_err(|e| SeedError::invalid(DEMO_DONOR, e))?.value
        }
    };
    // The countries where the demo has a validated organization, and the demo donor's own.
    let approved = validation::Entity::find()
        .filter(validation::Column::Status.eq(ValidationStatus::Approved))
        .order_by_asc(validation::Column::CreatedAt)
        .one(db)
        .await
        .map_err(ApiError::from)?;
    let mut countries = vec!["KE".to_owned(), "UG".to_owned(), "TZ".to_owned()];
    if let Some(case) = &approved
        && !countries.contains(&case.country_code)
    {
        countries.push(case.country_code.clone());
    }
    let mut ids = Vec::new();
    for (slug, category, names, value, fee, cap, stock, auto) in demo_programs() {
        let existing = program::Entity::find()
            .filter(program::Column::DonorId.eq(donor.id))
            .filter(program::Column::Slug.eq(slug))
            .one(db)
            .await
            .map_err(ApiError::from)?;
        if let Some(existing) = existing {
            ids.push(existing.id);
            continue;
        }
        let texts = ["en", "es", "fr"]
            .into_iter()
            .zip(names)
            .map(|(language, name)| TextInput {
                language: language.to_owned(),
                name: name.to_owned(),
                description: format!("{name} (demo)."),
            })
            .collect();
        let input = ProgramInput {
            donor: donor.id,
            slug: Some(slug.to_owned()),
            texts,
            category,
            unit_value: Amount { amount: value, currency: "USD".to_owned() },
            admin_fee: Amount { amount: fee, currency: "USD".to_owned() },
            countries: countries.clone(),
            // Every type: the demo's validated organization may be of any.
            eligible_types: Vec::<OrganizationType>::new(),
            max_annual_budget: None,
            requires_validation: true,
            cap,
            stock,
            active_from: None,
            active_until: None,
            auto_approve: auto,
        };
        let created = write::create(db, clock, &caller, input).await.map_err(|e| SeedError::invalid(slug, e))?.value;
        ids.push(created.id);
    }
    let Some(case) = approved else { return Ok(0) };
    if donation_request::Entity::find().count(db).await.map_err(ApiError::from)? > 0 {
        return Ok(0);
    }
    // One request per status, from the validated organization, on the manual programs.
    let targets: [(Status, &[RequestStep]); 5] = [
        (Status::Submitted, &[]),
        (Status::Approved, &[RequestStep::Approve]),
        (Status::Fulfilled, &[RequestStep::Approve, RequestStep::Fulfil]),
        (Status::Rejected, &[RequestStep::Reject]),
        (Status::Cancelled, &[RequestStep::Cancel]),
    ];
    let manual = [ids[1], ids[2]];
    let mut created = 0;
    for (i, (target, steps)) in targets.into_iter().enumerate() {
        let record = format!("demo request {target:?}");
        let input = RequestInput {
            program: manual[i % manual.len()],
            organization: case.organization_id,
            quantity: 1,
            note: Some("For our community media lab.".to_owned()),
            idempotency_key: Some(format!("demo-{i}")),
        };
        let request = requests::request(db, clock, &caller, &OrgScope::all(), input, crate::i18n::Locale::En)
            .await
            .map_err(|e| SeedError::invalid(&record, e))?
            .value;
        for step in steps {
            let input = StepInput {
                request: request.id,
                step: *step,
                reasons: if *step == RequestStep::Reject { vec!["NOT_A_FIT".to_owned()] } else { Vec::new() },
                fulfilment: (*step == RequestStep::Fulfil).then(|| "Shipment DEMO-0001, tracking with the courier.".to_owned()),
                expected_version: None,
            };
            let _ = requests::step(db, clock, &caller, input, crate::i18n::Locale::En).await.map_err(|e| SeedError::invalid(&record, e))?;
        }
        created += 1;
    }
    Ok(created)
}
