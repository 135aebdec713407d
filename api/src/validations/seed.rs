//! Demo data of validations: criteria for every demo partner in each country
//! it serves, and one case in each status, so the demo shows every state.

use entity::{
    enums::{EvidenceKind, OrganizationType, ValidationStatus as Status},
    organization, partner, partner_country, validation,
};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};

use super::{
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

/// Seeds criteria (where missing) and, when there are no cases yet, one case
/// in each status. Returns the number of cases created.
pub async fn seed_demo(db: &DatabaseConnection, clock: &Clock) -> Result<usize, SeedError> {
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
