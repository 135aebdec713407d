//! Writes and reads of the audit log: who read or changed something
//! sensitive. Entries are typed ([`AuditEntry`]), so an action's name, subject
//! and detail are spelled once; a write records them in its own transaction.

use entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::{clock::Clock, error::ApiError};

/// Something sensitive that was done.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AuditEntry {
    /// The contact details of a hidden organization were read.
    HiddenContactRead {
        /// The organization.
        organization: Uuid,
    },
    /// An evidence document of a validation case was downloaded.
    EvidenceDownloaded {
        /// The document's record.
        evidence: Uuid,
    },
}

impl AuditEntry {
    /// The stored action, e.g. `organization.contact.read`.
    pub fn action(self) -> &'static str {
        match self {
            Self::HiddenContactRead { .. } => "organization.contact.read",
            Self::EvidenceDownloaded { .. } => "validation_evidence.download",
        }
    }

    /// The subject's type and id.
    pub fn subject(self) -> (&'static str, Uuid) {
        match self {
            Self::HiddenContactRead { organization } => ("Organization", organization),
            Self::EvidenceDownloaded { evidence } => ("ValidationEvidence", evidence),
        }
    }

    /// A short, non-secret detail.
    pub fn detail(self) -> &'static str {
        match self {
            Self::HiddenContactRead { .. } => "contact details of a hidden organization",
            Self::EvidenceDownloaded { .. } => "an evidence document of a validation case",
        }
    }
}

/// Records one entry, done by `actor_user_id` (when a user acted) now.
pub async fn record(db: &impl ConnectionTrait, clock: &Clock, actor_user_id: Option<Uuid>, entry: AuditEntry) -> Result<(), ApiError> {
    let (subject_type, subject_id) = entry.subject();
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_user_id: Set(actor_user_id),
        action: Set(entry.action().to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id),
        detail: Set(entry.detail().to_owned()),
        created_at: Set(clock.now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// The newest events first, at most `limit`.
pub async fn latest(db: &impl ConnectionTrait, limit: u64) -> Result<Vec<audit_event::Model>, ApiError> {
    Ok(audit_event::Entity::find()
        .order_by_desc(audit_event::Column::CreatedAt)
        .order_by_desc(audit_event::Column::Id)
        .limit(limit)
        .all(db)
        .await?)
}
