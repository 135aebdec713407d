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
