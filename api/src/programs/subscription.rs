//! Subscription of donation requests: `donationRequestUpdated`, for one
//! organization (its members), one program or one donor (the donor's staff
//! and its keys holding `requests:read`), each request read afresh and shown
//! only if the policy lets the subscriber read it.

use async_graphql::{Context, ID, Result, Subscription};
use futures_util::{Stream, StreamExt};
use uuid::Uuid;

use super::{request_types::DonationRequest, requests, service, types::Program};
use crate::{
    auth::{Policy, policy::RequestFacts},
    donors::types::Donor,
    error::ApiError,
    events::HubEvent,
    graphql::{
        context::{db, policy, request},
        relay::decode_uuid,
        subscription::{events, lagged},
    },
    organizations::types::Organization,
};

/// Subscriptions of donation requests.
#[derive(Default)]
pub struct DonationRequestSubscription;

#[Subscription]
impl DonationRequestSubscription {
    /// Donation requests each time one is submitted, approved, rejected,
    /// fulfilled or cancelled: those of one `organization` (its members and
    /// platform admins), or of one `program` or `donor` (the donor's staff,
    /// its keys holding `requests:read`, platform admins). Exactly one of the
    /// three (else BAD_USER_INPUT); one you may not follow is FORBIDDEN. Too
    /// slow a subscriber gets SUBSCRIPTION_LAGGED and the subscription ends.
    async fn donation_request_updated(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The requesting organization.")] organization: Option<ID>,
        #[graphql(desc = "The program.")] program: Option<ID>,
        #[graphql(desc = "The donor.")] donor: Option<ID>,
    ) -> Result<impl Stream<Item = Result<DonationRequest>> + use<>> {
        let caller = request(ctx)?.caller.clone();
        let db = db(ctx)?.clone();
        let policy = policy(ctx)?;
        let (field, id): (&'static str, Uuid) = match (organization, program, donor) {
            (Some(org), None, None) => {
                let id = decode_uuid(&org, Organization::KIND)?;
                if !policy.may_list_organization_requests(&caller, id) {
                    return Err(ApiError::Forbidden("follow this organization's requests: its members may".to_owned()).into());
                }
                ("organization", id)
            }
            (None, Some(program), None) => {
                let id = decode_uuid(&program, Program::KIND)?;
                let Some(found) = service::by_ids(&db, &[id]).await?.remove(&id) else {
                    return Err(ApiError::NotFound("program").into());
                };
                if !policy.may_list_donor_requests(&caller, found.donor_id) {
                    return Err(ApiError::Forbidden("follow this program's requests: its donor's staff may".to_owned()).into());
                }
                ("program", id)
            }
            (None, None, Some(donor)) => {
                let id = decode_uuid(&donor, Donor::KIND)?;
                if !policy.may_list_donor_requests(&caller, id) {
                    return Err(ApiError::Forbidden("follow this donor's requests: its staff may".to_owned()).into());
                }
                ("donor", id)
            }
            _ => return Err(ApiError::BadUserInput("give exactly one of `organization`, `program` and `donor`".to_owned()).into()),
        };
        let concerns = move |event: &HubEvent| event.event_type.starts_with("donation_request.") && event.uuid(field) == Some(id);
        Ok(events(ctx, concerns)?
            .then(move |item| {
                let (db, caller) = (db.clone(), caller.clone());
                async move {
                    let event = item.map_err(|_| lagged())?;
                    let (Some(request), Some(organization), Some(donor)) =
                        (event.uuid("request"), event.uuid("organization"), event.uuid("donor"))
                    else {
                        return Ok(None);
                    };
                    if !Policy.may_read_request(&caller, RequestFacts { organization, donor }) {
                        return Ok(None);
                    }
                    Ok::<_, async_graphql::Error>(requests::by_id(&db, request).await?.map(DonationRequest::from))
                }
            })
            .filter_map(|shown| async move { shown.transpose() }))
    }
}
