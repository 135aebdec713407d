//! Demo data of validations: criteria for every demo partner in each country
//! it serves, and one case in each status, so the demo shows every state.

use entity::{
    enums::{EvidenceKind, OrganizationType, ValidationStatus as Status},
    organization, organization_registration, partner, partner_country, validation,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{
    evidence::{AttachInput, EvidenceSettings},
    state::Step,
    write::{self, CriteriaInput, StepInput},
};
use crate::{
    auth::{Caller, OrgScope},
    clock::Clock,
    error::ApiError,
    seed::SeedError,
};

/// The statuses the demo cases end in, one organization each.
const TARGETS: [Status; 8] = [
    Status::Draft,
    Status::Submitted,
    Status::InReview,
    Status::NeedsInformation,
    Status::Approved,
    Status::Rejected,
    Status::Expired,
    Status::Revoked,
];

/// The steps from DRAFT to `target`, with the reasons and note of each.
fn path(target: Status) -> Vec<(Step, &'static [&'static str], Option<&'static str>)> {
    let review: Vec<(Step, &'static [&'static str], Option<&'static str>)> =
        vec![(Step::Submit, &[], None), (Step::StartReview, &[], None)];
    let approved = [review.clone(), vec![(Step::Approve, &[][..], None)]].concat();
    match target {
        Status::Draft => Vec::new(),
        Status::Submitted => vec![(Step::Submit, &[], None)],
        Status::InReview => review,
        Status::NeedsInformation => {
            [review, vec![(Step::RequestInformation, &["DOCUMENTS_UNREADABLE"][..], Some("The registration certificate scan is cut off."))]]
                .concat()
        }
        Status::Approved => approved,
        Status::Rejected => {
            [review, vec![(Step::Reject, &["NOT_CIVIL_SOCIETY"][..], Some("A consultancy, not a civil-society organization."))]].concat()
        }
        Status::Expired => [approved, vec![(Step::Expire, &[][..], None)]].concat(),
        Status::Revoked => [approved, vec![(Step::Revoke, &["MISUSE"][..], Some("Donated laptops were resold."))]].concat(),
    }
}

/// A small, valid one-page PDF whose page says `text` (ASCII): the demo's
/// evidence documents, each different so each has its own hash.
pub fn demo_pdf(text: &str) -> Vec<u8> {
    let text: String = text.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').filter(|c| !matches!(c, '(' | ')' | '\\')).collect();
    let stream = format!("BT /F1 14 Tf 72 720 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{stream}\nendstream", stream.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    let mut pdf = b"%PDF-1.4\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = pdf.len();
    pdf.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        pdf.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    pdf.extend_from_slice(format!("trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1).as_bytes());
    pdf
}

/// Attaches what submission asks of the demo case: the kinds its partner
/// requires (an unregistered group: two reference letters instead of papers).
async fn attach_demo_evidence(
    db: &DatabaseConnection,
    clock: &Clock,
    evidence: &EvidenceSettings,
    org: &organization::Model,
    case: &validation::Model,
) -> Result<(), SeedError> {
    let registered = organization_registration::Entity::find()
        .filter(organization_registration::Column::OrganizationId.eq(org.id))
        .count(db)
        .await
        .map_err(ApiError::from)?
        > 0;
    let kinds: &[EvidenceKind] = if registered {
        &[EvidenceKind::RegistrationCertificate, EvidenceKind::GoverningDocument]
    } else {
        &[EvidenceKind::GoverningDocument, EvidenceKind::ReferenceLetter, EvidenceKind::ReferenceLetter]
    };
    for (i, kind) in kinds.iter().enumerate() {
        let name = super::evidence::kind_name(kind).to_ascii_lowercase();
        let input = AttachInput {
            validation: case.id,
            kind: *kind,
            file_name: format!("{name}-{}.pdf", i + 1),
            bytes: demo_pdf(&format!("Demo {name} {} of {}", i + 1, org.legal_name)).into(),
        };
        let record = format!("evidence of {}", org.legal_name);
        let _ = super::evidence::attach(db, clock, &Caller::System, evidence, input).await.map_err(|e| SeedError::invalid(&record, e))?;
    }
    Ok(())
}

/// Seeds criteria (where missing) and, when there are no cases yet, one case
/// in each status, with its evidence documents. Returns the number of cases created.
pub async fn seed_demo(db: &DatabaseConnection, clock: &Clock, evidence: &EvidenceSettings) -> Result<usize, SeedError> {
    let caller = Caller::System;
    let partners = partner::Entity::find()
        .filter(partner::Column::ArchivedAt.is_null())
        .order_by_asc(partner::Column::Slug)
        .all(db)
        .await
        .map_err(ApiError::from)?;
    let mut served_countries = Vec::new();
    for p in &partners {
        let countries =
            partner_country::Entity::find().filter(partner_country::Column::PartnerId.eq(p.id)).all(db).await.map_err(ApiError::from)?;
        for c in countries {
            served_countries.push(c.country_code.clone());
            if super::service::criteria(db, p.id, &c.country_code).await?.is_some() {
                continue;
            }
            let input = CriteriaInput {
                partner: p.id,
                country: c.country_code.clone(),
                eligible_types: vec![
                    OrganizationType::Ngo,
                    OrganizationType::Charity,
                    OrganizationType::CommunityGroup,
                    OrganizationType::Cooperative,
                    OrganizationType::FaithBased,
                    OrganizationType::Advocacy,
                    OrganizationType::Library,
                ],
                required_evidence: vec![EvidenceKind::RegistrationCertificate, EvidenceKind::GoverningDocument],
                references_for_unregistered: 2,
                validity_months: 24,
                four_eyes: false,
            };
            let record = format!("criteria {} {}", p.slug, c.country_code);
            // Nobody listens while seeding: the events stay in the outbox.
            let _ = write::set_criteria(db, clock, &caller, input).await.map_err(|e| SeedError::invalid(&record, e))?.value;
        }
    }
    if validation::Entity::find().count(db).await.map_err(ApiError::from)? > 0 {
        return Ok(0);
    }
    let organizations = organization::Entity::find()
        .filter(organization::Column::ArchivedAt.is_null())
        .filter(organization::Column::CountryCode.is_in(served_countries))
        .order_by_asc(organization::Column::LegalName)
        .all(db)
        .await
        .map_err(ApiError::from)?;
    let mut created = 0;
    for (org, target) in organizations.iter().zip(TARGETS) {
        let record = format!("validation of {}", org.legal_name);
        let case = write::open(db, clock, &caller, &OrgScope::all(), org.id).await.map_err(|e| SeedError::invalid(&record, e))?.value;
        if target != Status::Draft {
            attach_demo_evidence(db, clock, evidence, org, &case).await?;
        }
        for (step, reasons, note) in path(target) {
            let input = StepInput {
                validation: case.id,
                step,
                expected_version: None,
                reasons: reasons.iter().map(|r| (*r).to_owned()).collect(),
                note: note.map(str::to_owned),
            };
            let _ = write::step(db, clock, &caller, input).await.map_err(|e| SeedError::invalid(&record, e))?.value;
        }
        created += 1;
    }
    Ok(created)
}

// ---------------------------------------------------------------------------
// The benchmark's validations (`seed --bench`).
// ---------------------------------------------------------------------------

use chrono::{DateTime, Duration, Utc};
use entity::StringList;
use sea_orm::{ActiveEnum, ConnectionTrait, Set};
use uuid::Uuid;

use super::state::{is_open, status_name};
use crate::{
    events::{DomainEvent, ValidationChange},
    organizations::seed::BenchOrganization,
    partners::seed::BenchPartner,
    seed::generator::{BenchContext, BenchRng, event_row, insert_batched},
};

/// How long a benchmark approval lasts (every bench partner's criteria).
const BENCH_VALIDITY_MONTHS: i32 = 24;

/// What the benchmark's validations wrote.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BenchValidations {
    /// Criteria (one per partner and country it serves).
    pub criteria: usize,
    /// Cases.
    pub cases: usize,
    /// Events of the criteria and of every step of the cases.
    pub events: usize,
}

/// When the benchmark's validation history stops (2026-11-01, ten months after
/// the last organization was created): every step is before it, and every
/// approval still counted as APPROVED ends after it.
fn bench_now(ctx: &BenchContext) -> DateTime<Utc> {
    ctx.at((365 + 366 + 304) * 86_400_000)
}

fn days(n: i64) -> Duration {
    Duration::days(n)
}

/// The steps from DRAFT to `target`, each with its delay after the previous
/// one; EXPIRE is left out (it comes when the approval ends). One approval in
/// five went through a round of NEEDS_INFORMATION first.
fn bench_path(rng: &mut BenchRng, target: Status) -> Vec<(Step, Duration)> {
    let mut steps = vec![(Step::Submit, days(rng.between(1, 20))), (Step::StartReview, days(rng.between(0, 10)))];
    let decide = |rng: &mut BenchRng| days(rng.between(1, 21));
    match target {
        Status::Draft => steps.clear(),
        Status::Submitted => steps.truncate(1),
        Status::InReview => {}
        Status::NeedsInformation => steps.push((Step::RequestInformation, decide(rng))),
        Status::Rejected => steps.push((Step::Reject, decide(rng))),
        Status::Approved | Status::Expired | Status::Revoked => {
            if rng.chance(200) {
                steps.push((Step::RequestInformation, decide(rng)));
                steps.push((Step::Submit, days(rng.between(2, 30))));
                steps.push((Step::StartReview, days(rng.between(0, 10))));
            }
            steps.push((Step::Approve, decide(rng)));
            if target == Status::Revoked {
                steps.push((Step::Revoke, days(rng.between(30, 300))));
            }
        }
    }
    steps
}

/// A time in `low..=high` (whole milliseconds), or none when the window is empty.
fn within(rng: &mut BenchRng, low: DateTime<Utc>, high: DateTime<Utc>) -> Option<DateTime<Utc>> {
    (low <= high).then(|| low + Duration::milliseconds(rng.between(0, (high - low).num_milliseconds())))
}

/// One planned case: opened at `opened`, then `steps` at their times.
struct PlannedCase {
    renewal_of: Option<Uuid>,
    opened: DateTime<Utc>,
    steps: Vec<(Step, DateTime<Utc>)>,
}

/// Rows of the cases, their events.
struct Written {
    cases: Vec<validation::ActiveModel>,
    events: Vec<entity::event::ActiveModel>,
}

/// Plays a planned case through the one state machine, as `write::open` and
/// `write::step` would (acting as the system, like the demo seed): the row
/// as it ends, and the event of each step. Returns the case's id and final status.
fn play(
    rng: &mut BenchRng,
    org: &BenchOrganization,
    partner: Uuid,
    plan: &PlannedCase,
    out: &mut Written,
) -> Result<(Uuid, Status, Option<DateTime<Utc>>), SeedError> {
    let id = rng.uuid_at(plan.opened);
    let mut row = validation::Model {
        id,
        organization_id: org.id,
        country_code: org.country.to_owned(),
        partner_id: None,
        status: Status::Draft,
        renewal_of: plan.renewal_of,
        opened_by: None,
        submitted_at: None,
        first_approved_by: None,
        decided_by: None,
        decided_at: None,
        valid_until: None,
        expiry_notice_sent_at: None,
        reasons: StringList::default(),
        note: None,
        version: 1,
        created_at: plan.opened,
        updated_at: plan.opened,
    };
    let change = |row: &validation::Model, from: Option<Status>| ValidationChange {
        validation: row.id,
        organization: row.organization_id,
        country: row.country_code.clone(),
        partner: row.partner_id,
        from: from.map(|s| status_name(s).to_owned()),
        to: status_name(row.status).to_owned(),
        reasons: row.reasons.0.clone(),
        note: row.note.clone(),
        valid_until: row.valid_until,
    };
    out.events.push(event_row(rng, plan.opened, &DomainEvent::ValidationOpened(change(&row, None))));
    for (step, at) in &plan.steps {
        let (step, at) = (*step, *at);
        let from = row.status;
        let to = step.apply(from, false).map_err(|e| SeedError::bad(&format!("validation {id}"), &e.to_string()))?;
        let (reasons, note): (&[&str], Option<&str>) = match step {
            Step::Reject => (&["NOT_ELIGIBLE_TYPE"], Some("Our criteria cover civil-society organizations only.")),
            Step::RequestInformation => (&["DOCUMENTS_MISSING"], Some("Please attach the governing document.")),
            Step::Revoke => (&["DISSOLVED"], None),
            _ => (&[], None),
        };
        row.status = to;
        row.valid_until = match to {
            Status::Approved => at.checked_add_months(chrono::Months::new(BENCH_VALIDITY_MONTHS.unsigned_abs())),
            Status::Expired | Status::Revoked => row.valid_until,
            _ => None,
        };
        if step == Step::Submit {
            row.partner_id = Some(partner);
            row.submitted_at = Some(at);
        }
        if matches!(step, Step::Approve | Step::Reject | Step::RequestInformation | Step::Revoke) {
            row.decided_at = Some(at);
            row.reasons = StringList(reasons.iter().map(|r| (*r).to_owned()).collect());
            row.note = note.map(str::to_owned);
        }
        row.version += 1;
        row.updated_at = at;
        let change = change(&row, Some(from));
        let event = match step {
            Step::Submit => DomainEvent::ValidationSubmitted(change),
            Step::StartReview => DomainEvent::ValidationReviewStarted(change),
            Step::Approve => DomainEvent::ValidationApproved(change),
            Step::Reject => DomainEvent::ValidationRejected(change),
            Step::RequestInformation => DomainEvent::ValidationInformationRequested(change),
            Step::Expire => DomainEvent::ValidationExpired(change),
            Step::Revoke => DomainEvent::ValidationRevoked(change),
        };
        out.events.push(event_row(rng, at, &event));
    }
    let ended = (row.id, row.status, row.valid_until);
    out.cases.push(validation::ActiveModel::from(row));
    Ok(ended)
}

/// Plans a case that ends in `target` for an organization created at
/// `created`: its opening is drawn so that every step is before `now`, an
/// APPROVED case still runs at `now`, and an EXPIRED one ended before it.
/// None when the organization is too young for that.
fn plan_case(
    rng: &mut BenchRng,
    target: Status,
    earliest: DateTime<Utc>,
    now: DateTime<Utc>,
    renewal_of: Option<Uuid>,
) -> Option<PlannedCase> {
    let path = bench_path(rng, target);
    let mut offsets = Vec::with_capacity(path.len() + 1);
    let mut total = Duration::zero();
    for (step, delay) in path {
        total += delay;
        offsets.push((step, total));
    }
    let approved_after = offsets.iter().find(|(s, _)| *s == Step::Approve).map(|(_, t)| *t).unwrap_or(total);
    let validity = days(i64::from(BENCH_VALIDITY_MONTHS) * 365 / 12);
    let expiry_margin = days(2);
    let (low, high) = match target {
        // Still valid at `now`: approved within the validity before it.
        Status::Approved => (earliest.max(now - validity - approved_after + expiry_margin), now - total),
        // Still in progress: opened in the last four months.
        Status::Draft | Status::Submitted | Status::InReview | Status::NeedsInformation => (earliest.max(now - days(120)), now - total),
        // Ended before `now`, the expiry job's hour included.
        Status::Expired => (earliest, now - validity - approved_after - expiry_margin),
        _ => (earliest, now - total),
    };
    let opened = within(rng, low, high - Duration::hours(1))?;
    let mut steps: Vec<(Step, DateTime<Utc>)> = offsets.into_iter().map(|(s, t)| (s, opened + t)).collect();
    if target == Status::Expired {
        let approved = opened + approved_after;
        let until = approved.checked_add_months(chrono::Months::new(BENCH_VALIDITY_MONTHS.unsigned_abs()))?;
        steps.push((Step::Expire, until + Duration::seconds(rng.between(0, 3599))));
    }
    Some(PlannedCase { renewal_of, opened, steps })
}

/// Writes the benchmark's validation criteria (every partner, in each
/// country it serves: every type eligible, approvals for 24 months) and cases,
/// with their events, in the caller's transaction. About one case per
/// organization: 13 % have none, 74 % one (mostly APPROVED, some in progress,
/// rejected, expired or revoked) and 13 % two: an older closed case (EXPIRED,
/// renewed by the newer, or REJECTED) and a newer one. At most one case in
/// progress per organization, reviewed by the partner serving its country.
pub async fn insert_bench(
    db: &impl ConnectionTrait,
    ctx: &BenchContext,
    partners: &[BenchPartner],
    organizations: &[BenchOrganization],
) -> Result<BenchValidations, SeedError> {
    let mut rng = ctx.rng("validations");
    let now = bench_now(ctx);
    let mut criteria = Vec::new();
    let mut criteria_events = Vec::new();
    let mut reviewer: std::collections::HashMap<&str, Uuid> = std::collections::HashMap::new();
    let eligible: Vec<String> = [
        OrganizationType::Charity,
        OrganizationType::Ngo,
        OrganizationType::CommunityGroup,
        OrganizationType::Cooperative,
        OrganizationType::FaithBased,
        OrganizationType::Advocacy,
        OrganizationType::SocialEnterprise,
        OrganizationType::Library,
        OrganizationType::Foundation,
        OrganizationType::Other,
    ]
    .iter()
    .map(|t| t.to_value())
    .collect();
    let evidence: Vec<String> =
        [EvidenceKind::RegistrationCertificate, EvidenceKind::GoverningDocument].iter().map(|e| e.to_value()).collect();
    for p in partners {
        let at = p.created_at + Duration::hours(2);
        for country in &p.countries {
            reviewer.entry(*country).or_insert(p.id);
            criteria.push(entity::validation_criteria::ActiveModel {
                id: Set(rng.uuid_at(at)),
                partner_id: Set(p.id),
                country_code: Set((*country).to_owned()),
                eligible_types: Set(StringList(eligible.clone())),
                required_evidence: Set(StringList(evidence.clone())),
                references_for_unregistered: Set(2),
                validity_months: Set(BENCH_VALIDITY_MONTHS),
                four_eyes: Set(false),
                version: Set(1),
                created_at: Set(at),
                updated_at: Set(at),
            });
            let set = DomainEvent::ValidationCriteriaSet { partner: p.id, country: (*country).to_owned() };
            criteria_events.push(event_row(&mut rng, at, &set));
        }
    }
    let written_criteria = (criteria.len(), criteria_events.len());
    insert_batched(db, criteria).await.map_err(ApiError::from)?;
    insert_batched(db, criteria_events).await.map_err(ApiError::from)?;

    const ONLY: [Status; 8] = [
        Status::Approved,
        Status::Draft,
        Status::Submitted,
        Status::InReview,
        Status::NeedsInformation,
        Status::Rejected,
        Status::Expired,
        Status::Revoked,
    ];
    const ONLY_WEIGHTS: [u32; 8] = [760, 40, 50, 40, 30, 40, 30, 10];
    const NEWER: [Status; 6] =
        [Status::Approved, Status::Draft, Status::Submitted, Status::InReview, Status::NeedsInformation, Status::Rejected];
    const NEWER_WEIGHTS: [u32; 6] = [700, 80, 80, 60, 40, 40];
    let mut out = Written { cases: Vec::new(), events: Vec::new() };
    for org in organizations {
        let partner = *reviewer.get(org.country).ok_or_else(|| SeedError::bad(org.country, "no bench partner serves this country"))?;
        let earliest = org.created_at + days(1);
        match rng.weighted(&[130, 740, 130]) {
            0 => {}
            1 => {
                let target = ONLY[rng.weighted(&ONLY_WEIGHTS)];
                let plan = match plan_case(&mut rng, target, earliest, now, None) {
                    Some(plan) => plan,
                    None => plan_case(&mut rng, Status::Approved, earliest, now, None)
                        .ok_or_else(|| SeedError::bad(org.country, "no time for a case"))?,
                };
                play(&mut rng, org, partner, &plan, &mut out)?;
            }
            _ => {
                // An expired approval renewed, or a rejection followed by a new case.
                let older = match plan_case(&mut rng, Status::Expired, earliest, now - days(90), None) {
                    Some(plan) => Some(plan),
                    None => plan_case(&mut rng, Status::Rejected, earliest.max(now - days(600)), now - days(200), None),
                };
                let Some(older) = older else {
                    let plan = plan_case(&mut rng, Status::Approved, earliest, now, None)
                        .ok_or_else(|| SeedError::bad(org.country, "no time for a case"))?;
                    play(&mut rng, org, partner, &plan, &mut out)?;
                    continue;
                };
                let (older_id, older_status, older_until) = play(&mut rng, org, partner, &older, &mut out)?;
                let ended = older.steps.last().map_or(older.opened, |(_, at)| *at);
                // A renewal may be opened in the month before the approval ends.
                let (after, renewal_of) = match (older_status, older_until) {
                    (Status::Expired, Some(until)) => (until - days(30), Some(older_id)),
                    _ => (ended + days(30), None),
                };
                let target = NEWER[rng.weighted(&NEWER_WEIGHTS)];
                let newer = plan_case(&mut rng, target, after, now, renewal_of)
                    .or_else(|| plan_case(&mut rng, Status::Submitted, after, now, renewal_of))
                    .ok_or_else(|| SeedError::bad(org.country, "no time for a renewal"))?;
                debug_assert!(!is_open(older_status));
                play(&mut rng, org, partner, &newer, &mut out)?;
            }
        }
    }
    let written = BenchValidations { criteria: written_criteria.0, cases: out.cases.len(), events: written_criteria.1 + out.events.len() };
    insert_batched(db, out.cases).await.map_err(ApiError::from)?;
    insert_batched(db, out.events).await.map_err(ApiError::from)?;
    Ok(written)
}
