//! GraphQL of evidence documents: the type, its loader, and the mutations
//! that attach and remove documents (uploads follow the GraphQL multipart
//! request specification).

use async_graphql::{Context, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::{
    evidence::{self, AttachInput, EvidenceSettings},
    types::{EvidenceKind, Validation},
};
use crate::{
    auth::Caller,
    error::ApiError,
    events::published,
    graphql::{
        context::{bus, clock, db, request, sessions},
        loader::batch_loader,
        relay::{NodeKind, decode_uuid, encode_uuid},
        scalars::Upload,
        user_error::{UserError, outcome},
    },
};

batch_loader! {
    /// The documents of each case, oldest first.
    EvidenceOfCase: Uuid => Vec<entity::validation_evidence::Model>,
    |db, keys| evidence::of_cases(db, keys).await
}

/// A document attached to a validation case. Seen by the organization's
/// owners and admins, the reviewing partner's validators and platform admins.
#[derive(Clone, Debug)]
pub struct ValidationEvidence(pub entity::validation_evidence::Model);

impl ValidationEvidence {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("ValidationEvidence");
}

/// A document attached to a validation case. Seen by the organization's
/// owners and admins, the reviewing partner's validators and platform admins.
#[Object]
impl ValidationEvidence {
    /// Global ID (give it to `removeValidationEvidence`).
    async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// What it is.
    async fn kind(&self) -> EvidenceKind {
        self.0.kind.into()
    }

    /// The file name it was uploaded with (shown only; the document is found by its hash).
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }

    /// Its media type as found in its bytes: `application/pdf`, `image/png` or `image/jpeg`.
    async fn media_type(&self) -> &str {
        &self.0.media_type
    }

    /// Its size in bytes.
    async fn size_bytes(&self) -> i32 {
        i32::try_from(self.0.size_bytes).unwrap_or(i32::MAX)
    }

    /// SHA-256 of its bytes (64 hex digits): the same document uploaded twice has the same hash.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }

    /// When it was attached (for a renewal: when the new case took it over).
    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// A link to download it, relative to the API's origin (`/evidence/...`):
    /// made for you, valid 5 minutes and only while your session lasts; each
    /// download is recorded in the audit log. Null for callers without a
    /// session (API keys).
    async fn download_url(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let Caller::User(user) = &request(ctx)?.caller else { return Ok(None) };
        let (link, _) = sessions(ctx)?.issue_link(user.user_id, user.session_id, &download_resource(self.0.id))?;
        Ok(Some(format!("/evidence/{}?token={link}", self.0.id)))
    }
}

/// What a download link is made for: one document.
pub fn download_resource(evidence: Uuid) -> String {
    format!("evidence:{evidence}")
}

/// Input of `attachValidationEvidence`.
#[derive(InputObject)]
pub struct AttachValidationEvidenceInput {
    /// The case, DRAFT or NEEDS_INFORMATION.
    pub validation: ID,
    /// What the document is.
    pub kind: EvidenceKind,
    /// The file, sent as a part of a `multipart/form-data` request (the
    /// GraphQL multipart request specification). PDF, PNG or JPEG, checked on
    /// its bytes; at most 10 MiB unless the service says otherwise.
    pub file: Upload,
}

/// Input of `removeValidationEvidence`.
#[derive(InputObject)]
pub struct RemoveValidationEvidenceInput {
    /// The document.
    pub evidence: ID,
}

/// Result of `attachValidationEvidence`.
#[derive(SimpleObject)]
pub struct AttachValidationEvidencePayload {
    /// The document as attached; null when there are user errors.
    pub evidence: Option<ValidationEvidence>,
    /// The case after the upload (its `version` moved on); null when there are user errors.
    pub validation: Option<Validation>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Result of `removeValidationEvidence`.
#[derive(SimpleObject)]
pub struct RemoveValidationEvidencePayload {
    /// The case after the removal; null when there are user errors.
    pub validation: Option<Validation>,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}

/// Mutations of evidence documents.
#[derive(Default)]
pub struct EvidenceMutation;

#[Object]
impl EvidenceMutation {
    /// Attaches a document to a validation case (the organization's owners
    /// and admins, while the case is DRAFT or NEEDS_INFORMATION). Send it as
    /// a `multipart/form-data` request (the GraphQL multipart request
    /// specification) with an `Authorization` or `X-Api-Key` header. The type
    /// is decided from the bytes: anything but PDF, PNG or JPEG is refused
    /// (UNSUPPORTED_FILE_TYPE), as are empty files (BLANK); files over the
    /// limit are refused before the request runs (413, PAYLOAD_TOO_LARGE).
    async fn attach_validation_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: AttachValidationEvidenceInput,
    ) -> Result<AttachValidationEvidencePayload> {
        let validation = decode_uuid(&input.validation, Validation::KIND)?;
        let upload = input.file.file(ctx)?;
        let settings = ctx.data::<EvidenceSettings>().map_err(|_| ApiError::internal(std::io::Error::other("no evidence store")))?;
        let attach = AttachInput { validation, kind: input.kind.into(), file_name: upload.file_name, bytes: upload.bytes };
        let written = evidence::attach(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, settings, attach).await;
        let (attached, user_errors) = outcome(published(bus(ctx)?, written).await, |(row, case)| (row, case))?;
        let (evidence, validation) = attached.map(|(row, case)| (ValidationEvidence(row), Validation(case))).unzip();
        Ok(AttachValidationEvidencePayload { evidence, validation, user_errors })
    }

    /// Removes a document from a validation case (the same people and
    /// states as attaching). A renewal may remove documents it took over.
    async fn remove_validation_evidence(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RemoveValidationEvidenceInput,
    ) -> Result<RemoveValidationEvidencePayload> {
        let evidence_id = decode_uuid(&input.evidence, ValidationEvidence::KIND)?;
        let written = evidence::remove(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, evidence_id).await;
        let (validation, user_errors) = outcome(published(bus(ctx)?, written).await, Validation)?;
        Ok(RemoveValidationEvidencePayload { validation, user_errors })
    }
}
