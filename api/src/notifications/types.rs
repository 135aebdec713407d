//! GraphQL types of notifications.

use async_graphql::{Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};

use crate::graphql::{
    connection::Listed,
    relay::{NodeKind, encode_uuid},
    user_error::UserError,
};

/// What a notification tells.
#[derive(Enum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum NotificationKind {
    /// Your organization's validation was approved.
    ValidationApproved,
    /// Your organization's validation was rejected.
    ValidationRejected,
    /// The validators ask your organization for more information.
    ValidationInformationRequested,
    /// Your organization's approval has ended.
    ValidationExpired,
    /// Your organization's approval was revoked.
    ValidationRevoked,
    /// Your organization's approval ends within 30 days.
    ValidationExpiring,
    /// A donation request of your organization was approved.
    DonationRequestApproved,
    /// A donation request of your organization was fulfilled.
    DonationRequestFulfilled,
    /// A seat of a training session freed up and is now yours.
    WaitlistPromoted,
    /// A training session you registered for was cancelled.
    TrainingSessionCancelled,
    /// A webhook endpoint of a partner or donor you administer was disabled:
    /// its deliveries failed for a day.
    WebhookEndpointDisabled,
}

impl NotificationKind {
    fn parse(stored: &str) -> Option<Self> {
        Some(match stored {
            "VALIDATION_APPROVED" => Self::ValidationApproved,
            "VALIDATION_REJECTED" => Self::ValidationRejected,
            "VALIDATION_INFORMATION_REQUESTED" => Self::ValidationInformationRequested,
            "VALIDATION_EXPIRED" => Self::ValidationExpired,
            "VALIDATION_REVOKED" => Self::ValidationRevoked,
            "VALIDATION_EXPIRING" => Self::ValidationExpiring,
            "DONATION_REQUEST_APPROVED" => Self::DonationRequestApproved,
            "DONATION_REQUEST_FULFILLED" => Self::DonationRequestFulfilled,
            "WAITLIST_PROMOTED" => Self::WaitlistPromoted,
            "TRAINING_SESSION_CANCELLED" => Self::TrainingSessionCancelled,
            "WEBHOOK_ENDPOINT_DISABLED" => Self::WebhookEndpointDisabled,
            _ => return None,
        })
    }

    fn message(self) -> &'static str {
        match self {
            Self::ValidationApproved => "Your organization's validation was approved.",
            Self::ValidationRejected => "Your organization's validation was rejected.",
            Self::ValidationInformationRequested => "The validators ask your organization for more information.",
            Self::ValidationExpired => "Your organization's approval has ended.",
            Self::ValidationRevoked => "Your organization's approval was revoked.",
            Self::ValidationExpiring => "Your organization's approval ends within 30 days.",
            Self::DonationRequestApproved => "A donation request of your organization was approved.",
            Self::DonationRequestFulfilled => "A donation request of your organization was fulfilled.",
            Self::WaitlistPromoted => "A seat freed up: you are now registered for the session.",
            Self::TrainingSessionCancelled => "A training session you registered for was cancelled.",
            Self::WebhookEndpointDisabled => {
                "A webhook endpoint was disabled: its deliveries failed for a day. Fix it, then enable it again."
            }
        }
    }
}

/// A notification in the signed-in user's inbox.
#[derive(Clone, Debug)]
pub struct Notification(pub entity::notification::Model);

impl Notification {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("Notification");
}

impl Listed for Notification {
    const CONNECTION: &'static str = "NotificationConnection";
    const EDGE: &'static str = "NotificationEdge";
}

/// A notification in the signed-in user's inbox: something that happened
/// that concerns them. Only its user reads it.
#[Object]
impl Notification {
    /// Global ID (for `markNotificationsRead`).
    async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// What happened.
    async fn kind(&self) -> Option<NotificationKind> {
        NotificationKind::parse(&self.0.kind)
    }

    /// What happened, in a sentence (English; clients may word `kind` themselves).
    async fn message(&self) -> &'static str {
        NotificationKind::parse(&self.0.kind).map_or("Something happened that concerns you.", NotificationKind::message)
    }

    /// The global ID of what it is about (a validation, a donation request, a
    /// training registration or session): read it with `node(id:)`; a
    /// disabled webhook endpoint's with `webhookEndpoint(id:)`.
    async fn subject(&self) -> ID {
        ID(self.0.subject.clone())
    }

    /// When it happened.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When you marked it read; null while unread.
    async fn read_at(&self) -> Option<DateTime<Utc>> {
        self.0.read_at
    }
}

/// Input of `markNotificationsRead`: `ids` or `all`, not both.
#[derive(InputObject)]
pub struct MarkNotificationsReadInput {
    /// These notifications (up to 100).
    pub ids: Option<Vec<ID>>,
    /// True: every unread notification.
    pub all: Option<bool>,
}

/// Result of `markNotificationsRead`.
#[derive(SimpleObject)]
pub struct MarkNotificationsReadPayload {
    /// How many unread notifications became read.
    pub marked: i32,
    /// What the caller must fix; empty on success.
    pub user_errors: Vec<UserError>,
}
