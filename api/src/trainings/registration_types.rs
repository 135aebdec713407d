//! GraphQL types of registrations: the registration, the certificate (its
//! four public facts), their enums, and the lists of a session and of the
//! signed-in person.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use entity::{enums, training_registration as registration};

use super::{
    loader::{ParticipantName, TrainingSessionById, WaitlistPosition},
    registration_service::{self, CertificateFacts},
    types::TrainingSession,
};
use crate::{
    graphql::{
        connection::{Conn, Listed, TotalCount, from_page},
        context::{db, loader, request},
        enums::mirror_enum,
        relay::{NodeKind, encode_uuid},
        scalars::Date,
    },
    organizations::{loader::OrganizationById, types::Organization},
    pagination::PageRequest,
};

mirror_enum! {
    /// Where a registration stands.
    TrainingRegistrationStatus => enums::TrainingRegistrationStatus {
        /// Holds a seat.
        Registered,
        /// Waits for a seat; seats freed go to the waitlist in its order.
        Waitlisted,
        /// Withdrawn.
        Cancelled,
    }
}

mirror_enum! {
    /// Whether a registered person came.
    TrainingAttendance => enums::TrainingAttendance {
        /// Came: gets a certificate.
        Attended,
        /// Did not come.
        NoShow,
    }
}

/// A person's registration for a training session.
#[derive(Clone, Debug)]
pub struct TrainingRegistration(pub registration::Model);

impl TrainingRegistration {
    /// The type of its global IDs.
    pub const KIND: NodeKind = NodeKind::new("TrainingRegistration");
}

impl From<registration::Model> for TrainingRegistration {
    fn from(m: registration::Model) -> Self {
        Self(m)
    }
}

impl Listed for TrainingRegistration {
    const CONNECTION: &'static str = "TrainingRegistrationConnection";
    const EDGE: &'static str = "TrainingRegistrationEdge";
}

/// A person's registration for a training session: a seat (REGISTERED) or
/// a place on the waitlist (WAITLISTED). Seen by its person and by the
/// training's managers only.
#[Object]
impl TrainingRegistration {
    /// Global ID.
    pub async fn id(&self) -> ID {
        encode_uuid(Self::KIND, self.0.id)
    }

    /// The session.
    async fn session(&self, ctx: &Context<'_>) -> Result<Option<TrainingSession>> {
        Ok(loader::<TrainingSessionById>(ctx)?.load_one(self.0.session_id).await?.map(TrainingSession))
    }

    /// The registered person's name.
    async fn participant_name(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(loader::<ParticipantName>(ctx)?.load_one(self.0.user_id).await?)
    }

    /// The organization the person registered on behalf of (null when none,
    /// or when you may not see it).
    async fn organization(&self, ctx: &Context<'_>) -> Result<Option<Organization>> {
        let Some(id) = self.0.organization_id else { return Ok(None) };
        Ok(loader::<OrganizationById>(ctx)?.load_one(id).await?.map(Organization::from))
    }

    /// Registered, waitlisted or cancelled.
    async fn status(&self) -> TrainingRegistrationStatus {
        self.0.status.into()
    }

    /// Place on the waitlist (1 is next to get a seat); null unless WAITLISTED.
    async fn waitlist_position(&self, ctx: &Context<'_>) -> Result<Option<i32>> {
        if self.0.status != enums::TrainingRegistrationStatus::Waitlisted {
            return Ok(None);
        }
        Ok(loader::<WaitlistPosition>(ctx)?.load_one(self.0.id).await?)
    }

    /// Attended or no-show, once the organizers marked it.
    async fn attendance(&self) -> Option<TrainingAttendance> {
        self.0.attendance.map(Into::into)
    }

    /// When the attendance was last marked.
    async fn attendance_marked_at(&self) -> Option<DateTime<Utc>> {
        self.0.attendance_marked_at
    }

    /// The certificate's verification code, once the person attended (see
    /// `certificate(code:)`).
    async fn certificate_code(&self) -> Option<&str> {
        match self.0.attendance {
            Some(enums::TrainingAttendance::Attended) => self.0.certificate_code.as_deref(),
            _ => None,
        }
    }

    /// The feedback you gave on the session: for the registration's person
    /// alone (null for everyone else, the training's managers included).
    async fn feedback(&self, ctx: &Context<'_>) -> Result<Option<super::feedback_types::TrainingFeedback>> {
        super::feedback_types::registration_feedback(ctx, &self.0).await
    }

    /// Changes with every step (optimistic concurrency).
    async fn version(&self) -> i32 {
        self.0.version
    }

    /// When the person registered.
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }

    /// When it last changed.
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }

    /// When it was cancelled.
    async fn cancelled_at(&self) -> Option<DateTime<Utc>> {
        self.0.cancelled_at
    }
}

/// A training certificate, as anyone holding its code may verify it.
#[derive(Clone, Debug)]
pub struct TrainingCertificate(pub CertificateFacts);

impl Listed for TrainingCertificate {
    const CONNECTION: &'static str = "TrainingCertificateConnection";
    const EDGE: &'static str = "TrainingCertificateEdge";
}

/// A training certificate: who attended which training, when, organized by
/// which partner. Nothing else about the person is ever part of it.
#[Object]
impl TrainingCertificate {
    /// The verification code (26 characters of Crockford base32).
    async fn code(&self) -> &str {
        &self.0.code
    }

    /// The name of the person who attended.
    async fn holder_name(&self) -> &str {
        &self.0.holder_name
    }

    /// The training's title.
    async fn training_title(&self) -> &str {
        &self.0.training_title
    }

    /// The date of the session, in its venue's time zone.
    async fn session_date(&self) -> Date {
        Date(self.0.session_date)
    }

    /// The name of the partner that organized the training.
    async fn partner_name(&self) -> &str {
        &self.0.partner_name
    }

    /// Where the certificate is downloaded as a PDF stating these facts
    /// (a path on this API's origin; public, like this query).
    async fn pdf_url(&self) -> String {
        super::certificate_http::pdf_path(&self.0.code)
    }
}

/// `viewer.trainingRegistrations`: the signed-in person's registrations,
/// newest first (empty for anyone else).
pub async fn viewer_registrations(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Conn<TrainingRegistration>> {
    let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
    let Some(user) = request(ctx)?.caller.user().filter(|u| u.email_verified).map(|u| u.user_id) else {
        return Ok(from_page(
            crate::pagination::Page { items: Vec::new(), has_next_page: false, has_previous_page: false },
            TotalCount::known(0),
            TrainingRegistration,
        ));
    };
    let db = db(ctx)?.clone();
    let rows = registration_service::user_page(&db, user, &page).await?;
    let total = TotalCount::lazy(move || {
        let db = db.clone();
        Box::pin(async move { registration_service::user_count(&db, user).await })
    });
    Ok(from_page(rows, total, TrainingRegistration))
}

/// `viewer.certificates`: the signed-in person's certificates, newest first
/// (empty for anyone else).
pub async fn viewer_certificates(ctx: &Context<'_>, first: Option<i32>, after: Option<String>) -> Result<Conn<TrainingCertificate>> {
    let page = PageRequest::from_args(first, after.as_deref(), None, None)?;
    let empty = crate::pagination::Page { items: Vec::new(), has_next_page: false, has_previous_page: false };
    let Some(user) = request(ctx)?.caller.user().filter(|u| u.email_verified).map(|u| u.user_id) else {
        return Ok(from_page(empty, TotalCount::known(0), TrainingCertificate));
    };
    let db = db(ctx)?.clone();
    let rows = registration_service::certificate_page(&db, user, &page).await?;
    let models: Vec<registration::Model> = rows.items.iter().map(|(_, m)| m.clone()).collect();
    let facts = registration_service::certificates_of(&db, &models).await?;
    let items = rows.items.into_iter().filter_map(|(cursor, m)| {
        let code = m.certificate_code?;
        facts.iter().find(|f| f.code == code).map(|f| (cursor, f.clone()))
    });
    let page =
        crate::pagination::Page { items: items.collect(), has_next_page: rows.has_next_page, has_previous_page: rows.has_previous_page };
    let total = TotalCount::lazy(move || {
        let db = db.clone();
        Box::pin(async move { registration_service::certificate_count(&db, user).await })
    });
    Ok(from_page(page, total, TrainingCertificate))
}

/// The certificate's facts by its code (see `certificate(code:)`).
pub async fn certificate(ctx: &Context<'_>, code: &str) -> Result<Option<TrainingCertificate>> {
    Ok(registration_service::certificate(db(ctx)?, code).await?.map(TrainingCertificate))
}
