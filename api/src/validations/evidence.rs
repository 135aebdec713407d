//! Evidence of validation cases: the documents an organization attaches to its
//! case (while it is a DRAFT or NEEDS_INFORMATION), what submission requires
//! of them, the copy a renewal starts from, and downloads (each one in the
//! audit log). The bytes live in the [`EvidenceStore`], checked there; the
//! rows here say which case holds which document.
//!
//! Attaching or removing a document moves the case's version on (a
//! conditional update, as every step does): a submission racing an upload
//! either sees the document or gets CONFLICT, never a half of each.

use std::collections::HashMap;

use bytes::Bytes;
use entity::{
    enums::{EvidenceKind, ValidationStatus as Status},
    organization_registration, validation, validation_evidence,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
    sea_query::{Expr, ExprTrait},
};
use uuid::Uuid;

use super::{
    evidence_store::{EvidenceRefusal, EvidenceStore, EvidenceStoreError},
    state::status_name,
};
use crate::{
    audit::service::{AuditEntry, record as audit},
    auth::{Caller, CaseFacts, Policy},
    clock::Clock,
    error::ApiError,
    events::{Actor, DomainEvent, Written, record},
    user_errors::{UserErrorCode, WriteError, field_error},
};

/// Where evidence documents are kept and the largest one accepted.
#[derive(Clone, Debug)]
pub struct EvidenceSettings {
    /// The store.
    pub store: EvidenceStore,
    /// Largest document accepted, in bytes.
    pub max_bytes: usize,
}

/// Most documents on one case.
pub const MAX_PER_CASE: u64 = 30;
/// Longest file name kept (longer ones are cut).
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// A document to attach.
#[derive(Clone, Debug)]
pub struct AttachInput {
    /// The case.
    pub validation: Uuid,
    /// What it is.
    pub kind: EvidenceKind,
    /// The file name the uploader gave (shown, never used as a path).
    pub file_name: String,
    /// The bytes.
    pub bytes: Bytes,
}

/// The API's name of a kind, e.g. `REGISTRATION_CERTIFICATE`.
pub fn kind_name(kind: &EvidenceKind) -> String {
    kind.to_value().to_ascii_uppercase()
}

/// The last path segment of an uploader's file name, without control
/// characters, at most [`MAX_FILE_NAME_CHARS`]; `document` when nothing is left.
pub fn clean_file_name(given: &str) -> String {
    let base = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base.chars().filter(|c| !c.is_control()).take(MAX_FILE_NAME_CHARS).collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    if cleaned.is_empty() { "document".to_owned() } else { cleaned.to_owned() }
}

/// The case with this id when the caller may read it; NOT_FOUND otherwise,
/// whether it exists or not.
async fn readable_case(db: &impl ConnectionTrait, caller: &Caller, id: Uuid, field: &str) -> Result<validation::Model, WriteError> {
    let case = super::service::by_id(db, id).await?;
    match case {
        Some(case) if Policy.may_read_case(caller, facts(&case)) => Ok(case),
        _ => Err(field_error(&[field], UserErrorCode::NotFound, "no such validation")),
    }
}

fn facts(case: &validation::Model) -> CaseFacts<'_> {
    CaseFacts { organization: case.organization_id, country: &case.country_code, partner: case.partner_id }
}

/// Documents change only while the organization prepares its case.
fn check_editable(case: &validation::Model, field: &str) -> Result<(), WriteError> {
    if matches!(case.status, Status::Draft | Status::NeedsInformation) {
        return Ok(());
    }
    Err(field_error(
        &[field],
        UserErrorCode::InvalidTransition,
        format!("documents are attached and removed while the case is DRAFT or NEEDS_INFORMATION; it is {}", status_name(case.status)),
    ))
}

/// Moves the case's version on if it is still the one read: one write wins.
async fn touch(db: &impl ConnectionTrait, case: &validation::Model, now: chrono::DateTime<chrono::Utc>) -> Result<(), WriteError> {
    let result = validation::Entity::update_many()
        .col_expr(validation::Column::Version, Expr::col(validation::Column::Version).add(1))
        .col_expr(validation::Column::UpdatedAt, Expr::value(now))
        .filter(validation::Column::Id.eq(case.id))
        .filter(validation::Column::Version.eq(case.version))
        .exec(db)
        .await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict("the case changed at the same moment: reload it and try again".to_owned()).into());
    }
    Ok(())
}

fn refusal_error(refusal: &EvidenceRefusal) -> WriteError {
    let code = match refusal {
        EvidenceRefusal::Empty => UserErrorCode::Blank,
        EvidenceRefusal::TooLarge { .. } => UserErrorCode::FileTooLarge,
        EvidenceRefusal::UnsupportedType { .. } => UserErrorCode::UnsupportedFileType,
    };
    field_error(&["file"], code, refusal.to_string())
}

/// Attaches a document to a case: its organization's owners and admins,
/// while the case is a DRAFT or NEEDS_INFORMATION. The bytes are checked and
/// stored (once per content) before the row is written; a refused document
/// changes nothing.
#[tracing::instrument(skip_all)]
pub async fn attach<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    settings: &EvidenceSettings,
    input: AttachInput,
) -> Result<Written<(validation_evidence::Model, validation::Model)>, WriteError> {
    let actor = Actor::of(caller)?;
    let case = readable_case(db, caller, input.validation, "validation").await?;
    Policy.authorize_case_owner(caller, case.organization_id)?;
    check_editable(&case, "validation")?;
    let attached = validation_evidence::Entity::find().filter(validation_evidence::Column::ValidationId.eq(case.id)).count(db).await?;
    if attached >= MAX_PER_CASE {
        return Err(field_error(
            &["validation"],
            UserErrorCode::TooMany,
            format!("a case holds at most {MAX_PER_CASE} documents: remove one first"),
        ));
    }
    // Stored first: a row never names bytes the store does not have. A
    // document whose row is then not written stays unreferenced (harmless:
    // the key is its own hash).
    let inspected = match settings.store.put(input.bytes, settings.max_bytes).await {
        Ok(inspected) => inspected,
        Err(EvidenceStoreError::Refused(refusal)) => return Err(refusal_error(&refusal)),
        Err(e) => return Err(ApiError::from(e).into()),
    };
    let now = clock.now();
    let txn = db.begin().await?;
    touch(&txn, &case, now).await?;
    let row = validation_evidence::ActiveModel {
        id: Set(Uuid::now_v7()),
        validation_id: Set(case.id),
        kind: Set(input.kind),
        sha256: Set(inspected.sha256.clone()),
        media_type: Set(inspected.media_type.to_owned()),
        size_bytes: Set(i64::try_from(inspected.size).unwrap_or(i64::MAX)),
        file_name: Set(clean_file_name(&input.file_name)),
        uploaded_by: Set(actor.user_id()),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let event = DomainEvent::ValidationEvidenceAttached {
        evidence: row.id,
        validation: case.id,
        organization: case.organization_id,
        kind: kind_name(&row.kind),
        sha256: row.sha256.clone(),
    };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    let case = super::service::by_id(&txn, case.id).await?.ok_or_else(|| ApiError::internal(std::io::Error::other("the case vanished")))?;
    txn.commit().await?;
    Ok(Written::new((row, case), events))
}

/// Removes a document from a case (the same people and states as attaching).
/// The bytes stay in the store: another case may hold the same document.
#[tracing::instrument(skip_all)]
pub async fn remove<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    evidence: Uuid,
) -> Result<Written<validation::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let not_found = || field_error(&["evidence"], UserErrorCode::NotFound, "no such document");
    let Some(row) = validation_evidence::Entity::find_by_id(evidence).one(db).await? else { return Err(not_found()) };
    let Some(case) = super::service::by_id(db, row.validation_id).await? else { return Err(not_found()) };
    if !Policy.may_see_evidence(caller, facts(&case)) {
        return Err(not_found());
    }
    Policy.authorize_case_owner(caller, case.organization_id)?;
    check_editable(&case, "evidence")?;
    let txn = db.begin().await?;
    touch(&txn, &case, clock.now()).await?;
    validation_evidence::Entity::delete_by_id(row.id).exec(&txn).await?;
    let event = DomainEvent::ValidationEvidenceRemoved {
        evidence: row.id,
        validation: case.id,
        organization: case.organization_id,
        kind: kind_name(&row.kind),
    };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    let case = super::service::by_id(&txn, case.id).await?.ok_or_else(|| ApiError::internal(std::io::Error::other("the case vanished")))?;
    txn.commit().await?;
    Ok(Written::new(case, events))
}

/// The documents of each case, oldest first.
pub async fn of_cases(db: &impl ConnectionTrait, cases: &[Uuid]) -> Result<HashMap<Uuid, Vec<validation_evidence::Model>>, ApiError> {
    let rows = validation_evidence::Entity::find()
        .filter(validation_evidence::Column::ValidationId.is_in(cases.iter().copied()))
        .order_by_asc(validation_evidence::Column::CreatedAt)
        .order_by_asc(validation_evidence::Column::Id)
        .all(db)
        .await?;
    let mut out: HashMap<Uuid, Vec<validation_evidence::Model>> = HashMap::new();
    for row in rows {
        out.entry(row.validation_id).or_default().push(row);
    }
    Ok(out)
}

/// What a submission lacks, one message per missing kind: a registered
/// organization attaches every kind its partner requires; an unregistered
/// group attaches the required kinds but registration papers, plus the
/// reference letters that stand in for registration (none asked: it is not
/// eligible with this partner).
pub async fn missing_for_submission(
    db: &impl ConnectionTrait,
    case: &validation::Model,
    criteria: Option<&entity::validation_criteria::Model>,
) -> Result<Vec<String>, ApiError> {
    let Some(criteria) = criteria else { return Ok(Vec::new()) };
    let registered = organization_registration::Entity::find()
        .filter(organization_registration::Column::OrganizationId.eq(case.organization_id))
        .count(db)
        .await?
        > 0;
    let attached = of_cases(db, &[case.id]).await?.remove(&case.id).unwrap_or_default();
    let count = |kind: EvidenceKind| attached.iter().filter(|e| e.kind == kind).count();
    let mut missing = Vec::new();
    let registration_papers = [EvidenceKind::RegistrationCertificate, EvidenceKind::TaxExemptionLetter];
    for required in criteria.required_evidence.0.iter().filter_map(|k| EvidenceKind::try_from_value(k).ok()) {
        if !registered && registration_papers.contains(&required) {
            continue;
        }
        if count(required) == 0 {
            missing.push(format!("attach a document of kind {}", kind_name(&required)));
        }
    }
    if !registered {
        let wanted = usize::try_from(criteria.references_for_unregistered).unwrap_or(0);
        if wanted == 0 {
            missing.push(format!(
                "the partner vetting organizations in {} accepts registered organizations only: add the organization's registration first",
                case.country_code
            ));
        } else if count(EvidenceKind::ReferenceLetter) < wanted {
            missing.push(format!(
                "an unregistered group attaches {wanted} REFERENCE_LETTER documents from validated organizations ({} attached)",
                count(EvidenceKind::ReferenceLetter)
            ));
        }
    }
    Ok(missing)
}

/// A renewal starts from the documents of the approval it renews: each is
/// attached again to the new case (the bytes are shared, not copied).
pub async fn copy_for_renewal(
    db: &impl ConnectionTrait,
    from: Uuid,
    to: Uuid,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<usize, ApiError> {
    let rows = of_cases(db, &[from]).await?.remove(&from).unwrap_or_default();
    let copies: Vec<validation_evidence::ActiveModel> = rows
        .into_iter()
        .map(|row| validation_evidence::ActiveModel {
            id: Set(Uuid::now_v7()),
            validation_id: Set(to),
            kind: Set(row.kind),
            sha256: Set(row.sha256),
            media_type: Set(row.media_type),
            size_bytes: Set(row.size_bytes),
            file_name: Set(row.file_name),
            uploaded_by: Set(row.uploaded_by),
            created_at: Set(now),
        })
        .collect();
    let copied = copies.len();
    if copied > 0 {
        validation_evidence::Entity::insert_many(copies).exec(db).await?;
    }
    Ok(copied)
}

/// A document and its bytes, for download.
#[derive(Debug)]
pub struct Download {
    /// Its record.
    pub evidence: validation_evidence::Model,
    /// Its bytes.
    pub bytes: Bytes,
}

/// A document for someone entitled to it ([`Policy::may_see_evidence`]):
/// `NotFound` for everyone else, whether it exists or not. Every download is
/// written to the audit log before the bytes are handed out.
#[tracing::instrument(skip_all)]
pub async fn download(
    db: &impl ConnectionTrait,
    clock: &Clock,
    caller: &Caller,
    settings: &EvidenceSettings,
    evidence: Uuid,
) -> Result<Download, ApiError> {
    let not_found = || ApiError::NotFound("evidence document");
    let row = validation_evidence::Entity::find_by_id(evidence).one(db).await?.ok_or_else(not_found)?;
    let case = super::service::by_id(db, row.validation_id).await?.ok_or_else(not_found)?;
    if !Policy.may_see_evidence(caller, facts(&case)) {
        return Err(not_found());
    }
    let bytes = settings.store.get(&row.sha256).await?;
    let actor = match caller {
        Caller::User(u) => Some(u.user_id),
        _ => None,
    };
    audit(db, clock, actor, AuditEntry::EvidenceDownloaded { evidence: row.id }).await?;
    Ok(Download { evidence: row, bytes })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_their_last_segment_without_control_characters() {
        assert_eq!(clean_file_name("statutes.pdf"), "statutes.pdf");
        assert_eq!(clean_file_name("C:\\Users\\amina\\scan 1.png"), "scan 1.png");
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("bad\u{0}name\n.pdf"), "badname.pdf");
        assert_eq!(clean_file_name("   "), "document");
        assert_eq!(clean_file_name(".hidden"), "hidden");
        assert_eq!(clean_file_name(&"é".repeat(300)).chars().count(), MAX_FILE_NAME_CHARS);
    }

    #[test]
    fn kinds_are_named_as_the_api_writes_them() {
        assert_eq!(kind_name(&EvidenceKind::RegistrationCertificate), "REGISTRATION_CERTIFICATE");
        assert_eq!(kind_name(&EvidenceKind::ReferenceLetter), "REFERENCE_LETTER");
    }
}
