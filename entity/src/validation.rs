//! A validation case: an organization's vetting by a partner serving its country.

use sea_orm::entity::prelude::*;

use crate::enums::ValidationStatus;

/// A row of `validations`.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "validations")]
pub struct Model {
    /// Primary key (UUIDv7).
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The organization vetted.
    pub organization_id: Uuid,
    /// The organization's country when the case was opened.
    pub country_code: String,
    /// The partner reviewing it (set on submission).
    pub partner_id: Option<Uuid>,
    /// Where the case stands.
    pub status: ValidationStatus,
    /// The approved case this one renews, if any.
    pub renewal_of: Option<Uuid>,
    /// Who opened it.
    pub opened_by: Option<Uuid>,
    /// When last submitted.
    pub submitted_at: Option<DateTimeUtc>,
    /// The first approval, when the partner requires two (four eyes).
    pub first_approved_by: Option<Uuid>,
    /// Who made the last decision (approve, reject, need information, revoke).
    pub decided_by: Option<Uuid>,
    /// When the last decision was made.
    pub decided_at: Option<DateTimeUtc>,
    /// For an approval: when it ends.
    pub valid_until: Option<DateTimeUtc>,
    /// When the organization was told its approval ends soon.
    pub expiry_notice_sent_at: Option<DateTimeUtc>,
    /// Reason codes of the last decision (`ReasonCode` values, JSON).
    pub reasons: crate::StringList,
    /// The reviewer's note on the last decision.
    pub note: Option<String>,
    /// Optimistic-concurrency version.
    pub version: i32,
    /// When opened.
    pub created_at: DateTimeUtc,
    /// When last changed.
    pub updated_at: DateTimeUtc,
}

/// Relations of a validation.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    /// The organization.
    #[sea_orm(belongs_to = "super::organization::Entity", from = "Column::OrganizationId", to = "super::organization::Column::Id")]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
