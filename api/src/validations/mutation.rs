//! Mutation root of validations.

use async_graphql::{Context, Object, Result};

use super::{
    state::Step,
    types::{
        DecideValidationInput, OpenValidationInput, RevokeValidationInput, SetValidationCriteriaInput, SetValidationCriteriaPayload,
        Validation, ValidationCriteria, ValidationPayload, ValidationReason, ValidationStepInput,
    },
    write,
};
use crate::{
    auth::ReadableOrganizations,
    events::published,
    graphql::{
        context::{bus, clock, db, request},
        relay::decode_uuid,
        user_error::outcome,
    },
    organizations::types::Organization,
    partners::types::Partner,
};

/// Mutations of validations.
#[derive(Default)]
pub struct ValidationMutation;

async fn step(ctx: &Context<'_>, input: write::StepInput) -> Result<ValidationPayload> {
    let written = write::step(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, input).await;
    let (validation, user_errors) = outcome(published(bus(ctx)?, written).await, Validation)?;
    Ok(ValidationPayload { validation, user_errors })
}

fn codes(reasons: &[ValidationReason]) -> Vec<String> {
    reasons.iter().map(|r| r.code().to_owned()).collect()
}

#[Object]
impl ValidationMutation {
    /// Sets what a partner requires to vet organizations in one of its
    /// countries (its admins and platform admins). Replaces the previous criteria;
    /// cases already decided keep their validity.
    async fn set_validation_criteria(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: SetValidationCriteriaInput,
    ) -> Result<SetValidationCriteriaPayload> {
        let criteria = write::CriteriaInput {
            partner: decode_uuid(&input.partner, Partner::KIND)?,
            country: input.country.0,
            eligible_types: input.eligible_types.into_iter().map(Into::into).collect(),
            required_evidence: input.required_evidence.into_iter().map(Into::into).collect(),
            references_for_unregistered: input.references_for_unregistered,
            validity_months: input.validity_months,
            four_eyes: input.four_eyes,
        };
        let written = write::set_criteria(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, criteria).await;
        let (criteria, user_errors) = outcome(published(bus(ctx)?, written).await, ValidationCriteria)?;
        Ok(SetValidationCriteriaPayload { criteria, user_errors })
    }

    /// Opens a validation case (DRAFT) for an organization: its owners and
    /// admins. One case at a time; a case opened after an approval renews it.
    async fn open_validation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: OpenValidationInput,
    ) -> Result<ValidationPayload> {
        let organization = decode_uuid(&input.organization, Organization::KIND)?;
        let req = request(ctx)?;
        let written = write::open(db(ctx)?, clock(ctx)?, &req.caller, &req.scope::<ReadableOrganizations>(), organization).await;
        let (validation, user_errors) = outcome(published(bus(ctx)?, written).await, Validation)?;
        Ok(ValidationPayload { validation, user_errors })
    }

    /// Submits a DRAFT or NEEDS_INFORMATION case to the partner that vets
    /// organizations in its country (its owners and admins).
    async fn submit_validation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: ValidationStepInput,
    ) -> Result<ValidationPayload> {
        let validation = decode_uuid(&input.validation, Validation::KIND)?;
        step(
            ctx,
            write::StepInput { validation, step: Step::Submit, expected_version: input.expected_version, reasons: Vec::new(), note: None },
        )
        .await
    }

    /// Takes a SUBMITTED case into review (validators of its partner and
    /// platform admins; never members of the organization).
    async fn start_validation_review(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: ValidationStepInput,
    ) -> Result<ValidationPayload> {
        let validation = decode_uuid(&input.validation, Validation::KIND)?;
        let input = write::StepInput {
            validation,
            step: Step::StartReview,
            expected_version: input.expected_version,
            reasons: Vec::new(),
            note: None,
        };
        step(ctx, input).await
    }

    /// Decides a case IN_REVIEW: approve (valid for the partner's validity
    /// months; under four eyes a second validator must approve too), reject, or
    /// send it back for information. Two reviewers deciding at once: one wins,
    /// the other gets CONFLICT.
    async fn decide_validation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: DecideValidationInput,
    ) -> Result<ValidationPayload> {
        let validation = decode_uuid(&input.validation, Validation::KIND)?;
        let input = write::StepInput {
            validation,
            step: input.decision.into(),
            expected_version: input.expected_version,
            reasons: codes(&input.reasons),
            note: input.note,
        };
        step(ctx, input).await
    }

    /// Revokes an APPROVED case, with at least one reason (validators of its
    /// partner and platform admins).
    async fn revoke_validation(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "What to do.")] input: RevokeValidationInput,
    ) -> Result<ValidationPayload> {
        let validation = decode_uuid(&input.validation, Validation::KIND)?;
        let input = write::StepInput {
            validation,
            step: Step::Revoke,
            expected_version: input.expected_version,
            reasons: codes(&input.reasons),
            note: input.note,
        };
        step(ctx, input).await
    }
}
