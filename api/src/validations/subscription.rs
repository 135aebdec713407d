//! Subscriptions of validations: an organization's case as it moves
//! (`validationUpdated`: whoever may read the case — its members, staff of
//! the partners serving its country, platform admins) and a country's cases
//! as they enter, move through and leave the queue
//! (`validationQueueChanged`: validators and admins of a partner serving
//! it). Each event's case is read afresh and shown only if the policy lets
//! the subscriber read it.

use async_graphql::{Context, ID, Result, Subscription};
use futures_util::{Stream, StreamExt};

use super::{service, types::Validation};
use crate::{
    auth::{Caller, Policy},
    error::ApiError,
    events::HubEvent,
    graphql::{
        context::{db, loader, policy, request},
        relay::decode_uuid,
        scalars::CountryCode,
        subscription::{events, lagged},
    },
    organizations::{loader::OrganizationById, types::Organization},
};

/// Reads the case of an event and shows it if `caller` may read it.
async fn case_of(db: &sea_orm::DatabaseConnection, caller: &Caller, event: &HubEvent) -> Result<Option<Validation>> {
    let Some(id) = event.uuid("validation") else { return Ok(None) };
    let Some(case) = service::by_id(db, id).await? else { return Ok(None) };
    let case = Validation(case);
    Ok(Policy.may_read_case(caller, case.facts()).then_some(case))
}

fn is_validation(event: &HubEvent) -> bool {
    event.event_type.starts_with("validation.")
}

/// Subscriptions of validations.
#[derive(Default)]
pub struct ValidationSubscription;

#[Subscription]
impl ValidationSubscription {
    /// An organization's validation case each time it moves (opened,
    /// submitted, taken for review, decided, expired, revoked). For whoever
    /// may read its case; an organization you may not see is NOT_FOUND, one
    /// whose case you may not read FORBIDDEN. Too slow a subscriber gets
    /// SUBSCRIPTION_LAGGED and the subscription ends.
    async fn validation_updated(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The organization.")] organization: ID,
    ) -> Result<impl Stream<Item = Result<Validation>> + use<>> {
        let id = decode_uuid(&organization, Organization::KIND)?;
        let caller = request(ctx)?.caller.clone();
        let Some(found) = loader::<OrganizationById>(ctx)?.load_one(id).await? else {
            return Err(ApiError::NotFound("organization").into());
        };
        let facts = crate::auth::policy::CaseFacts { organization: id, country: &found.country_code, partner: None };
        if !policy(ctx)?.may_read_case(&caller, facts) {
            return Err(ApiError::Forbidden(
                "follow this organization's validation: its members and the staff of the partners serving its country may".to_owned(),
            )
            .into());
        }
        let db = db(ctx)?.clone();
        let concerns = move |event: &HubEvent| is_validation(event) && event.uuid("organization") == Some(id);
        Ok(events(ctx, concerns)?
            .then(move |item| {
                let (db, caller) = (db.clone(), caller.clone());
                async move {
                    let event = item.map_err(|_| lagged())?;
                    case_of(&db, &caller, &event).await
                }
            })
            .filter_map(|shown| async move { shown.transpose() }))
    }

    /// The cases of a country each time one is opened, submitted, taken,
    /// decided, expires or is revoked: for validators and admins of a
    /// partner serving the country, and platform admins (else FORBIDDEN).
    async fn validation_queue_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The country (ISO 3166-1 alpha-2).")] country: CountryCode,
    ) -> Result<impl Stream<Item = Result<Validation>> + use<>> {
        let caller = request(ctx)?.caller.clone();
        policy(ctx)?.may_watch_validation_queue(&caller, &country.0)?;
        let db = db(ctx)?.clone();
        let code = country.0.clone();
        let concerns = move |event: &HubEvent| {
            is_validation(event) && event.payload.get("country").and_then(serde_json::Value::as_str) == Some(code.as_str())
        };
        Ok(events(ctx, concerns)?
            .then(move |item| {
                let (db, caller) = (db.clone(), caller.clone());
                async move {
                    let event = item.map_err(|_| lagged())?;
                    case_of(&db, &caller, &event).await
                }
            })
            .filter_map(|shown| async move { shown.transpose() }))
    }
}
