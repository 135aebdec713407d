//! A document attached to a validation case, stored content-addressed.

use sea_orm::entity::prelude::*;

use crate::enums::EvidenceKind;

/// A row of `validation_evidence`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validation_evidence")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The case.
    pub validation_id: Uuid,
    /// What it is.
    pub kind: EvidenceKind,
    /// SHA-256 of the bytes, hex: the key in the evidence store.
    pub sha256: String,
    /// The media type found in the bytes (`application/pdf`, `image/png`, `image/jpeg`).
    pub media_type: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// The file name given by the uploader (shown, never used as a path).
    pub file_name: String,
    /// Who uploaded it.
    pub uploaded_by: Option<Uuid>,
    /// When.
    pub created_at: DateTimeUtc,
}

/// Relations of evidence.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The case.
    #[sea_orm(belongs_to = "super::validation::Entity", from = "Column::ValidationId", to = "super::validation::Column::Id")]
    Validation,
}

impl ActiveModelBehavior for ActiveModel {}
