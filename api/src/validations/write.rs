//! Writes of validations: a partner's criteria, and every step of a case.
//! Each write checks its whole input first (user errors, nothing changed),
//! asks the policy against the rows it read, moves the case through the one
//! state machine ([`super::state`]) with a conditional update on its version,
//! and records the step as a domain event in the same transaction.

use chrono::Months;
use entity::{
    StringList,
    enums::{EvidenceKind, OrganizationType, ValidationStatus as Status},
    organization, partner, partner_country, validation, validation_criteria,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::state::{Step, is_open, status_name};
use crate::{
    auth::{Caller, CaseFacts, OrgScope, Policy},
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, ValidationChange, Written, record},
    user_errors::{Errors, UserErrorCode, WriteError, field_error, text_code},
};

/// Shortest and longest validity of an approval, in months.
pub const VALIDITY_MONTHS: std::ops::RangeInclusive<i32> = 1..=60;
/// Most reference letters that may stand in for registration.
pub const MAX_REFERENCES: i32 = 5;
/// Longest note on a step.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Most reason codes on a step.
pub const MAX_REASONS: usize = 10;

/// A partner's criteria for one country, as given.
#[derive(Clone, Debug)]
pub struct CriteriaInput {
    /// The partner.
    pub partner: Uuid,
    /// The country (ISO 3166-1 alpha-2, as typed).
    pub country: String,
    /// Organization types that may be validated.
    pub eligible_types: Vec<OrganizationType>,
    /// Evidence every registered organization attaches.
    pub required_evidence: Vec<EvidenceKind>,
    /// Reference letters that stand in for registration (0: unregistered groups are not eligible).
    pub references_for_unregistered: i32,
    /// Validity of an approval, in months.
    pub validity_months: i32,
    /// A second validator must approve.
    pub four_eyes: bool,
}

/// Sets (creates or replaces) a partner's criteria for a country.
#[tracing::instrument(skip_all)]
pub async fn set_criteria<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    input: CriteriaInput,
) -> Result<Written<validation_criteria::Model>, WriteError> {
    Policy.authorize_criteria(caller, input.partner)?;
    let actor = Actor::of(caller)?;
    let mut errors = Errors::default();
    let country = input.country.trim().to_ascii_uppercase();
    if input.eligible_types.is_empty() {
        errors.add(&["eligibleTypes"], UserErrorCode::Blank, "name at least one eligible organization type");
    }
    let eligible = distinct(&mut errors, "eligibleTypes", &input.eligible_types, |t| t.to_value());
    let evidence = distinct(&mut errors, "requiredEvidence", &input.required_evidence, |e| e.to_value());
    if !(0..=MAX_REFERENCES).contains(&input.references_for_unregistered) {
        errors.add(&["referencesForUnregistered"], UserErrorCode::OutOfRange, format!("between 0 and {MAX_REFERENCES}"));
    }
    if !VALIDITY_MONTHS.contains(&input.validity_months) {
        errors.add(
            &["validityMonths"],
            UserErrorCode::OutOfRange,
            format!("between {} and {} months", VALIDITY_MONTHS.start(), VALIDITY_MONTHS.end()),
        );
    }
    let txn = db.begin().await?;
    let partner = partner::Entity::find_by_id(input.partner).one(&txn).await?.filter(|p| p.archived_at.is_none());
    if partner.is_none() {
        errors.add(&["partner"], UserErrorCode::NotFound, "no such partner");
    } else {
        let serves = partner_country::Entity::find()
            .filter(partner_country::Column::PartnerId.eq(input.partner))
            .filter(partner_country::Column::CountryCode.eq(country.as_str()))
            .one(&txn)
            .await?
            .is_some();
        if !serves {
            errors.add(&["country"], UserErrorCode::Invalid, format!("the partner does not serve {country}"));
        }
    }
    errors.ok()?;
    let now = clock.now();
    let existing = super::service::criteria(&txn, input.partner, &country).await?;
    let saved = match existing {
        Some(current) => {
            let version = current.version;
            let mut row: validation_criteria::ActiveModel = current.into();
            row.eligible_types = Set(StringList(eligible));
            row.required_evidence = Set(StringList(evidence));
            row.references_for_unregistered = Set(input.references_for_unregistered);
            row.validity_months = Set(input.validity_months);
            row.four_eyes = Set(input.four_eyes);
            row.version = Set(version + 1);
            row.updated_at = Set(now);
            row.update(&txn).await?
        }
        None => {
            validation_criteria::ActiveModel {
                id: Set(Uuid::now_v7()),
                partner_id: Set(input.partner),
                country_code: Set(country.clone()),
                eligible_types: Set(StringList(eligible)),
                required_evidence: Set(StringList(evidence)),
                references_for_unregistered: Set(input.references_for_unregistered),
                validity_months: Set(input.validity_months),
                four_eyes: Set(input.four_eyes),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
            }
            .insert(&txn)
            .await?
        }
    };
    let event = DomainEvent::ValidationCriteriaSet { partner: input.partner, country };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(saved, events))
}

fn distinct<T: Copy + PartialEq>(errors: &mut Errors, field: &str, items: &[T], name: impl Fn(&T) -> String) -> Vec<String> {
    let mut out: Vec<T> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        if out.contains(item) {
            errors.add(&[field, &i.to_string()], UserErrorCode::Duplicate, format!("{} is listed twice", name(item)));
        } else {
            out.push(*item);
        }
    }
    out.iter().map(name).collect()
}

/// Opens a validation case for an organization (its owners and admins). One
/// case at a time: a case in progress must end first. A case opened after an
/// approval renews it.
#[tracing::instrument(skip_all)]
pub async fn open<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    read_scope: &OrgScope,
    organization: Uuid,
) -> Result<Written<validation::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let txn = db.begin().await?;
    let Some(org) = visible_organization(&txn, read_scope, organization).await? else {
        return Err(field_error(&["organization"], UserErrorCode::NotFound, "no such organization"));
    };
    Policy.authorize_case_owner(caller, org.id)?;
    let current = super::service::current_of(&txn, &[org.id]).await?.remove(&org.id);
    if let Some(current) = &current
        && is_open(current.status)
    {
        return Err(field_error(
            &["organization"],
            UserErrorCode::InvalidTransition,
            format!("the organization already has a case in progress ({}): continue that one", status_name(current.status)),
        ));
    }
    let renewal_of = current.filter(|c| matches!(c.status, Status::Approved | Status::Expired)).map(|c| c.id);
    let now = clock.now();
    let row = validation::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(org.id),
        country_code: Set(org.country_code.clone()),
        partner_id: Set(None),
        status: Set(Status::Draft),
        renewal_of: Set(renewal_of),
        opened_by: Set(actor.user_id()),
        submitted_at: Set(None),
        first_approved_by: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        valid_until: Set(None),
        expiry_notice_sent_at: Set(None),
        reasons: Set(StringList::default()),
        note: Set(None),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    // The partial unique index settles a race between two openings: the
    // second fails here and is answered like the check above.
    let created = match row.insert(&txn).await {
        Ok(created) => created,
        Err(e) if is_unique_violation(&e) => {
            return Err(field_error(
                &["organization"],
                UserErrorCode::InvalidTransition,
                "the organization already has a case in progress: continue that one",
            ));
        }
        Err(e) => return Err(e.into()),
    };
    if let Some(renewed) = renewal_of {
        super::evidence::copy_for_renewal(&txn, renewed, created.id, now).await?;
    }
    let event = DomainEvent::ValidationOpened(change(&created, None, Vec::new(), None));
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(created, events))
}

fn is_unique_violation(err: &sea_orm::DbErr) -> bool {
    matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_)))
}

async fn visible_organization(db: &impl ConnectionTrait, scope: &OrgScope, id: Uuid) -> Result<Option<organization::Model>, ApiError> {
    Ok(crate::organizations::service::by_ids(db, scope, &[id]).await?.into_iter().next().filter(|o| o.archived_at.is_none()))
}

/// A step asked of a case.
#[derive(Clone, Debug)]
pub struct StepInput {
    /// The case.
    pub validation: Uuid,
    /// The step.
    pub step: Step,
    /// The version the caller read; the current one when absent.
    pub expected_version: Option<i32>,
    /// Reason codes (`DOCUMENTS_MISSING`, ...), as the API names them.
    pub reasons: Vec<String>,
    /// A note for the case's readers.
    pub note: Option<String>,
}

/// Moves a case one step. Submitting is for the organization's owners and
/// admins; reviewing, deciding and revoking for the reviewing partner's
/// validators (never members of the organization) and platform admins. A case
/// the caller may not read does not exist for them.
#[tracing::instrument(skip_all, fields(step = ?input.step))]
pub async fn step<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    input: StepInput,
) -> Result<Written<validation::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let mut errors = Errors::default();
    let note = errors.check(&["note"], text::optional_paragraph(input.note.as_deref(), MAX_NOTE_CHARS), text_code).flatten();
    let reasons = check_reasons(&mut errors, &input);
    let txn = db.begin().await?;
    let Some(case) = super::service::by_id(&txn, input.validation).await? else {
        return Err(field_error(&["validation"], UserErrorCode::NotFound, "no such validation"));
    };
    let facts = CaseFacts { organization: case.organization_id, country: &case.country_code, partner: case.partner_id };
    if !Policy.may_read_case(caller, facts) {
        return Err(field_error(&["validation"], UserErrorCode::NotFound, "no such validation"));
    }
    // Whoever may read the case learns first whether its status allows the step.
    input.step.apply(case.status, false).map_err(|e| field_error(&["validation"], UserErrorCode::InvalidTransition, e.to_string()))?;
    match input.step {
        Step::Submit => Policy.authorize_case_owner(caller, case.organization_id)?,
        Step::StartReview | Step::Approve | Step::Reject | Step::RequestInformation => Policy.authorize_review(caller, facts)?,
        Step::Revoke => Policy.authorize_revoke(caller, facts)?,
        Step::Expire => {
            if !matches!(caller, Caller::System) {
                return Err(ApiError::Forbidden("only the service expires validations".to_owned()).into());
            }
        }
    }
    errors.ok()?;
    if let Some(expected) = input.expected_version
        && expected != case.version
    {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the case changed since you read it (now version {}, {}): reload it", case.version, status_name(case.status)),
        ));
    }
    let now = clock.now();
    // Who reviews: the partner assigned at the first submission.
    let partner = match (input.step, case.partner_id) {
        (Step::Submit, None) => match super::service::reviewers_in(&txn, &case.country_code).await?.first() {
            Some(criteria) => Some(criteria.partner_id),
            None => {
                return Err(field_error(
                    &["validation"],
                    UserErrorCode::NoReviewer,
                    format!("no partner vets organizations in {} yet", case.country_code),
                ));
            }
        },
        (_, partner) => partner,
    };
    let criteria = match partner {
        Some(p) => super::service::criteria(&txn, p, &case.country_code).await?,
        None => None,
    };
    if input.step == Step::Submit {
        let missing = super::evidence::missing_for_submission(&txn, &case, criteria.as_ref()).await?;
        if !missing.is_empty() {
            let mut errors = Errors::default();
            for message in missing {
                errors.add(&["validation"], UserErrorCode::EvidenceMissing, message);
            }
            errors.ok()?;
        }
    }
    let four_eyes = criteria.as_ref().is_some_and(|c| c.four_eyes);
    let reviewer = actor.user_id();
    let first_approval = input.step == Step::Approve && four_eyes && case.first_approved_by.is_none();
    if input.step == Step::Approve && four_eyes && case.first_approved_by.is_some() && case.first_approved_by == reviewer {
        return Err(field_error(
            &["validation"],
            UserErrorCode::SecondApprovalRequired,
            "you approved this case already: the partner requires a second validator's approval",
        ));
    }
    let to = input
        .step
        .apply(case.status, first_approval)
        .map_err(|e| field_error(&["validation"], UserErrorCode::InvalidTransition, e.to_string()))?;
    let valid_until = match to {
        Status::Approved => {
            let months = criteria.as_ref().map_or(12, |c| c.validity_months);
            now.checked_add_months(Months::new(u32::try_from(months).unwrap_or(12)))
        }
        Status::Expired | Status::Revoked => case.valid_until,
        _ => None,
    };
    let decides = matches!(input.step, Step::Approve | Step::Reject | Step::RequestInformation | Step::Revoke);
    let mut update = validation::Entity::update_many()
        .col_expr(validation::Column::Status, Expr::value(to.to_value()))
        .col_expr(validation::Column::PartnerId, Expr::value(partner))
        .col_expr(validation::Column::ValidUntil, Expr::value(valid_until))
        .col_expr(validation::Column::Version, Expr::col(validation::Column::Version).add(1))
        .col_expr(validation::Column::UpdatedAt, Expr::value(now));
    if input.step == Step::Submit {
        update = update.col_expr(validation::Column::SubmittedAt, Expr::value(now));
    }
    if first_approval {
        update = update.col_expr(validation::Column::FirstApprovedBy, Expr::value(reviewer));
    } else if matches!(to, Status::NeedsInformation | Status::Rejected | Status::Submitted) {
        update = update.col_expr(validation::Column::FirstApprovedBy, Expr::value(Option::<Uuid>::None));
    }
    if decides && !first_approval {
        update = update
            .col_expr(validation::Column::DecidedBy, Expr::value(reviewer))
            .col_expr(validation::Column::DecidedAt, Expr::value(now))
            .col_expr(validation::Column::Reasons, Expr::value(StringList(reasons.clone())))
            .col_expr(validation::Column::Note, Expr::value(note.clone()));
    }
    // One decision wins: the other finds the version moved and gets CONFLICT.
    let result = update.filter(validation::Column::Id.eq(case.id)).filter(validation::Column::Version.eq(case.version)).exec(&txn).await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict("someone changed this case at the same moment: reload it and decide again".to_owned()).into());
    }
    let updated =
        super::service::by_id(&txn, case.id).await?.ok_or_else(|| ApiError::internal(std::io::Error::other("the case vanished")))?;
    let change = change(&updated, Some(case.status), reasons, note);
    let event = match (input.step, first_approval) {
        (Step::Submit, _) => DomainEvent::ValidationSubmitted(change),
        (Step::StartReview, _) => DomainEvent::ValidationReviewStarted(change),
        (Step::Approve, true) => DomainEvent::ValidationApprovalRecorded(change),
        (Step::Approve, false) => DomainEvent::ValidationApproved(change),
        (Step::Reject, _) => DomainEvent::ValidationRejected(change),
        (Step::RequestInformation, _) => DomainEvent::ValidationInformationRequested(change),
        (Step::Expire, _) => DomainEvent::ValidationExpired(change),
        (Step::Revoke, _) => DomainEvent::ValidationRevoked(change),
    };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Reason codes: known ones, none twice; rejecting and revoking need one,
/// asking for information needs a reason or a note.
fn check_reasons(errors: &mut Errors, input: &StepInput) -> Vec<String> {
    if input.reasons.len() > MAX_REASONS {
        errors.add(&["reasons"], UserErrorCode::TooMany, format!("at most {MAX_REASONS} reasons"));
        return Vec::new();
    }
    let mut out: Vec<String> = Vec::new();
    for (i, reason) in input.reasons.iter().enumerate() {
        if out.contains(reason) {
            errors.add(&["reasons", &i.to_string()], UserErrorCode::Duplicate, format!("{reason} is listed twice"));
        } else {
            out.push(reason.clone());
        }
    }
    let has_note = input.note.as_deref().is_some_and(|n| !n.trim().is_empty());
    match input.step {
        Step::Reject | Step::Revoke if out.is_empty() => {
            errors.add(
                &["reasons"],
                UserErrorCode::Blank,
                format!("say why with at least one reason code when the case is {}", input.step.past_tense()),
            );
        }
        Step::RequestInformation if out.is_empty() && !has_note => {
            errors.add(&["note"], UserErrorCode::Blank, "say what information is missing (a reason code or a note)");
        }
        Step::Submit | Step::StartReview if !out.is_empty() => {
            errors.add(&["reasons"], UserErrorCode::Invalid, "reasons are given with decisions only");
        }
        _ => {}
    }
    out
}

fn change(case: &validation::Model, from: Option<Status>, reasons: Vec<String>, note: Option<String>) -> ValidationChange {
    ValidationChange {
        validation: case.id,
        organization: case.organization_id,
        country: case.country_code.clone(),
        partner: case.partner_id,
        from: from.map(|s| status_name(s).to_owned()),
        to: status_name(case.status).to_owned(),
        reasons,
        note,
        valid_until: case.valid_until,
    }
}
