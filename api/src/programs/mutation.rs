//! Mutation root of programs.

use async_graphql::{Context, Object, Result};

use super::{
    types::{CreateProgramInput, CreateProgramPayload, Program},
    update,
    update_types::{ArchiveProgramInput, ArchiveProgramPayload, UpdateProgramInput, UpdateProgramPayload},
    write::{self, Amount, CapInput, ProgramInput, TextInput},
};
use crate::{
    donors::types::Donor,
    events::published,
    graphql::{
        context::{bus, clock, db, request},
        relay::decode_uuid,
        user_error::outcome,
    },
};

/// Mutations of programs.
#[derive(Default)]
pub struct ProgramMutation;

#[Object]
impl ProgramMutation {
    /// Adds a program to a donor's catalogue (its admins, its API keys with
    /// `programs:write`, platform admins). Amounts share the unit value's
    /// currency (else CURRENCY_MISMATCH).
    async fn create_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program.")] input: CreateProgramInput,
    ) -> Result<CreateProgramPayload> {
        let amount = |m: crate::graphql::scalars::MoneyValue| Amount { amount: m.amount, currency: m.currency };
        let program = ProgramInput {
            donor: decode_uuid(&input.donor, Donor::KIND)?,
            slug: input.slug,
            texts: input
                .translations
                .into_iter()
                .map(|t| TextInput { language: t.language, name: t.name, description: t.description })
                .collect(),
            category: input.category.into(),
            unit_value: amount(input.unit_value),
            admin_fee: amount(input.admin_fee),
            countries: input.countries.into_iter().map(|c| c.0).collect(),
            eligible_types: input.eligible_types.into_iter().map(Into::into).collect(),
            max_annual_budget: input.max_annual_budget.map(amount),
            requires_validation: input.requires_validation,
            cap: input.cap.map(|c| CapInput {
                units: c.units,
                period: c.period.into(),
                months: c.months,
                fiscal_year_start_month: c.fiscal_year_start_month,
            }),
            stock: input.stock,
            active_from: input.active_from,
            active_until: input.active_until,
            auto_approve: input.auto_approve,
        };
        let written = write::create(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, program).await;
        let (program, user_errors) = outcome(published(bus(ctx)?, written).await, Program::from)?;
        Ok(CreateProgramPayload { program, user_errors })
    }

    /// Changes a program (its donor's admins, its API keys with
    /// `programs:write`, platform admins): the fields given, checked as
    /// `createProgram` checks them. An `expectedVersion` that is no longer the
    /// program's is STALE_VERSION; a stock below the units already reserved
    /// is STOCK_BELOW_RESERVED; nothing changes on any user error.
    async fn update_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program and its changes.")] input: UpdateProgramInput,
    ) -> Result<UpdateProgramPayload> {
        let written = update::update(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, input.changes()?).await;
        let (program, user_errors) = outcome(published(bus(ctx)?, written).await, Program::from)?;
        Ok(UpdateProgramPayload { program, user_errors })
    }

    /// Withdraws a program from the catalogue (same callers as
    /// `updateProgram`): it no longer lists, its eligibility is
    /// PROGRAM_INACTIVE, and its requests stay as they are.
    async fn archive_program(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The program and the version you read.")] input: ArchiveProgramInput,
    ) -> Result<ArchiveProgramPayload> {
        let id = decode_uuid(&input.program, Program::KIND)?;
        let written = update::archive(db(ctx)?, clock(ctx)?, &request(ctx)?.caller, id, input.expected_version).await;
        let (program, user_errors) = outcome(published(bus(ctx)?, written).await, Program::from)?;
        Ok(ArchiveProgramPayload { program, user_errors })
    }
}
