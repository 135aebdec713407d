//! Writes and reads of the audit log.

use chrono::Utc;
use entity::audit_event;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use crate::error::ApiError;

/// Records one event.
pub async fn record(
    db: &impl ConnectionTrait,
    actor_user_id: Option<Uuid>,
    action: &str,
    subject_type: &str,
    subject_id: Uuid,
    detail: &str,
) -> Result<(), ApiError> {
    audit_event::ActiveModel {
        id: Set(Uuid::now_v7()),
        actor_user_id: Set(actor_user_id),
        action: Set(action.to_owned()),
        subject_type: Set(subject_type.to_owned()),
        subject_id: Set(subject_id),
        detail: Set(detail.chars().take(500).collect()),
        created_at: Set(Utc::now()),
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
