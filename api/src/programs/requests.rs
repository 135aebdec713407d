//! Donation requests: an organization's members ask for units of a program
//! (with an idempotency key, so a retry never makes a second request); the
//! donor approves, rejects or fulfils them; the organization may cancel
//! before fulfilment. Every step goes through [`super::request_state`] with a
//! conditional update on the request's version and is a domain event.
//!
//! Stock and cap are reserved at approval, in the approval's transaction:
//! first a conditional update of the program's reservations (stock never
//! below zero; on PostgreSQL the update also locks the program's row until
//! the transaction ends, so approvals of one program run one after the
//! other, and on SQLite writers run one at a time), then the organization's
//! units in the cap's window are counted, after that lock, and the approval
//! is refused when it would pass the cap. Rejecting or cancelling an approved
//! request gives its units back.

use chrono::{DateTime, Utc};
use entity::{
    StringList, donation_request,
    enums::{DonationRequestStatus as Status, ValidationStatus},
    program,
};
use sea_orm::{
    ActiveEnum, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set, TransactionSession, TransactionTrait,
    sea_query::{Condition, Expr, ExprTrait},
};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::{
    eligibility::{Eligibility, cap_window},
    request_state::{RequestStep, status_name},
    service,
};
use crate::{
    auth::{Caller, OrgScope, Policy, RequestFacts},
    clock::Clock,
    domain::text,
    error::ApiError,
    events::{Actor, DomainEvent, DonationChange, Written, record},
    i18n::{self, FluentArgs, Locale},
    user_errors::{Errors, UserErrorCode, WriteError, field_error, text_code},
};

/// Most units in one request.
pub const MAX_QUANTITY: i32 = 100_000;
/// Longest note.
pub const MAX_NOTE_CHARS: usize = 2000;
/// Longest idempotency key.
pub const MAX_KEY_CHARS: usize = 200;
/// Longest fulfilment details.
pub const MAX_FULFILMENT_CHARS: usize = 10_000;
/// Most requests decided in one call.
pub const MAX_BULK: usize = 100;
/// Most reason codes on a rejection.
pub const MAX_REASONS: usize = 10;

/// A rejection's reason code: `NOT_A_FIT`, `DUPLICATE`, ... (the donor's own
/// vocabulary, machine-readable: 2 to 40 of `A-Z`, `0-9`, `_`, starting with a letter).
fn is_reason_code(code: &str) -> bool {
    (2..=40).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_uppercase())
        && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// A request as asked.
#[derive(Clone, Debug)]
pub struct RequestInput {
    /// The program.
    pub program: Uuid,
    /// The organization asking.
    pub organization: Uuid,
    /// Units.
    pub quantity: i32,
    /// A note for the donor.
    pub note: Option<String>,
    /// The client's idempotency key.
    pub idempotency_key: Option<String>,
}

/// What identifies a request's input: the same key with the same input is a retry.
fn input_hash(input: &RequestInput) -> String {
    let text = format!("{}\n{}\n{}\n{}", input.program, input.organization, input.quantity, input.note.as_deref().unwrap_or(""));
    hex::encode(Sha256::digest(text.as_bytes()))
}

fn change(row: &donation_request::Model, donor: Uuid, from: Option<Status>) -> DonationChange {
    DonationChange {
        request: row.id,
        program: row.program_id,
        donor,
        organization: row.organization_id,
        quantity: row.quantity,
        from: from.map(|s| status_name(s).to_owned()),
        to: status_name(row.status).to_owned(),
        reasons: row.reasons.0.clone(),
    }
}

/// An amount per unit times the units, exactly (integers); beyond what JSON
/// carries exactly (2^53 - 1), BAD_USER_INPUT rather than a wrong figure.
pub fn times(per_unit: i64, quantity: i32) -> Result<i64, ApiError> {
    const MAX_EXACT: i64 = (1 << 53) - 1;
    per_unit
        .checked_mul(i64::from(quantity))
        .filter(|a| a.unsigned_abs() <= MAX_EXACT.unsigned_abs())
        .ok_or_else(|| ApiError::BadUserInput("the amount is too large to state exactly".to_owned()))
}

/// Why units cannot be reserved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shortfall {
    /// Not enough stock left (this many remain).
    Stock(i64),
    /// The organization's cap would be passed (this many remain).
    Cap(i64),
}

impl Shortfall {
    /// The NOT_ELIGIBLE user error, its message in `locale` after its code.
    fn error(self, quantity: i32, locale: Locale) -> WriteError {
        let (code, id, left) = match self {
            Self::Stock(left) => ("OUT_OF_STOCK", "shortfall-stock", left),
            Self::Cap(left) => ("CAP_REACHED", "shortfall-cap", left),
        };
        let mut args = FluentArgs::new();
        args.set("left", left);
        args.set("asked", quantity);
        field_error(&["quantity"], UserErrorCode::NotEligible, format!("{code}: {}", i18n::t(locale, id, Some(&args))))
    }
}

/// Reserves `quantity` units of `program` for `organization` in the
/// transaction `txn` (see the module's documentation).
pub async fn reserve(
    txn: &impl ConnectionTrait,
    program: &program::Model,
    organization: Uuid,
    quantity: i32,
    now: DateTime<Utc>,
) -> Result<Result<(), Shortfall>, ApiError> {
    let reserved = program::Entity::update_many()
        .col_expr(program::Column::StockReserved, Expr::col(program::Column::StockReserved).add(quantity))
        .filter(program::Column::Id.eq(program.id))
        .filter(
            Condition::any()
                .add(program::Column::StockTotal.is_null())
                .add(Expr::col(program::Column::StockReserved).add(quantity).lte(Expr::col(program::Column::StockTotal))),
        )
        .exec(txn)
        .await?;
    if reserved.rows_affected != 1 {
        let current = program::Entity::find_by_id(program.id).one(txn).await?;
        let left = current.as_ref().and_then(super::eligibility::stock_left).unwrap_or(0);
        return Ok(Err(Shortfall::Stock(left)));
    }
    if let (Some(cap), Some(window)) = (program.cap_units, cap_window(program, now)) {
        let (units, _) = service::units_since(txn, program.id, organization, window).await?;
        let left = Ord::max(i64::from(cap) - units, 0);
        if i64::from(quantity) > left {
            return Ok(Err(Shortfall::Cap(left)));
        }
    }
    Ok(Ok(()))
}

/// Gives back the units an approved request reserved.
async fn release(txn: &impl ConnectionTrait, program: Uuid, quantity: i32) -> Result<(), ApiError> {
    program::Entity::update_many()
        .col_expr(program::Column::StockReserved, Expr::col(program::Column::StockReserved).sub(quantity))
        .filter(program::Column::Id.eq(program))
        .exec(txn)
        .await?;
    Ok(())
}

async fn by_key(db: &impl ConnectionTrait, organization: Uuid, key: &str) -> Result<Option<donation_request::Model>, ApiError> {
    Ok(donation_request::Entity::find()
        .filter(donation_request::Column::OrganizationId.eq(organization))
        .filter(donation_request::Column::IdempotencyKey.eq(key))
        .one(db)
        .await?)
}

/// The request already made with this key: the same one back for the same
/// input, CONFLICT for another.
fn replay(existing: donation_request::Model, hash: &str) -> Result<Written<donation_request::Model>, WriteError> {
    if existing.input_hash == hash {
        return Ok(Written::new(existing, Vec::new()));
    }
    Err(ApiError::Conflict("this idempotency key was used for a different request: use a new key for a new request".to_owned()).into())
}

/// Makes a request (an organization's members). Checked against the one
/// eligibility engine; approved at once when the program says so (and then
/// refused, changing nothing, if the stock or cap ran out meanwhile).
/// NOT_ELIGIBLE messages are the reasons' in `locale`, after their code.
#[tracing::instrument(skip_all)]
pub async fn request<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    scope: &OrgScope,
    input: RequestInput,
    locale: Locale,
) -> Result<Written<donation_request::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let mut errors = Errors::default();
    if !(1..=MAX_QUANTITY).contains(&input.quantity) {
        errors.add(&["quantity"], UserErrorCode::OutOfRange, format!("from 1 to {MAX_QUANTITY} units"));
    }
    let note = errors.check(&["note"], text::optional_paragraph(input.note.as_deref(), MAX_NOTE_CHARS), text_code).flatten();
    let key = match input.idempotency_key.as_deref().map(str::trim) {
        None => None,
        Some(k) if k.is_empty() || k.chars().count() > MAX_KEY_CHARS || k.chars().any(char::is_control) => {
            errors.add(&["idempotencyKey"], UserErrorCode::Invalid, format!("1 to {MAX_KEY_CHARS} printable characters"));
            None
        }
        Some(k) => Some(k.to_owned()),
    };
    let input = RequestInput { note, idempotency_key: key.clone(), ..input };
    let hash = input_hash(&input);
    let organization = crate::organizations::service::by_ids(db, scope, &[input.organization])
        .await?
        .into_iter()
        .next()
        .filter(|o| o.archived_at.is_none());
    let Some(organization) = organization else {
        return Err(field_error(&["organization"], UserErrorCode::NotFound, "no such organization"));
    };
    Policy.authorize_donation_request(caller, organization.id)?;
    if let Some(key) = &key
        && let Some(existing) = by_key(db, organization.id, key).await?
    {
        return replay(existing, &hash);
    }
    let Some(program) = program::Entity::find_by_id(input.program).one(db).await? else {
        return Err(field_error(&["program"], UserErrorCode::NotFound, "no such program"));
    };
    errors.ok()?;
    let now = clock.now();
    match service::eligibility(db, &program, &organization, now).await? {
        Eligibility::NotEligible(reasons) => {
            let mut errors = Errors::default();
            for reason in &reasons {
                errors.add(
                    &["program"],
                    UserErrorCode::NotEligible,
                    format!("{}: {}", reason.code(), super::types::reason_message(reason, locale)),
                );
            }
            errors.ok()?;
        }
        Eligibility::Eligible { available: Some(available) } if i64::from(input.quantity) > available => {
            let mut args = FluentArgs::new();
            args.set("available", available);
            return Err(field_error(&["quantity"], UserErrorCode::OutOfRange, i18n::t(locale, "request-over-available", Some(&args))));
        }
        Eligibility::Eligible { .. } => {}
    }
    let partner = vetting_partner(db, organization.id, now).await?;
    let txn = db.begin().await?;
    let row = donation_request::ActiveModel {
        id: Set(Uuid::now_v7()),
        program_id: Set(program.id),
        organization_id: Set(organization.id),
        requested_by: Set(actor.user_id()),
        quantity: Set(input.quantity),
        status: Set(Status::Submitted),
        idempotency_key: Set(key.clone()),
        input_hash: Set(hash.clone()),
        note: Set(input.note.clone()),
        reasons: Set(StringList::default()),
        fulfilment: Set(None),
        decided_by: Set(None),
        decided_at: Set(None),
        approved_at: Set(None),
        fulfilled_at: Set(None),
        partner_id: Set(partner),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    };
    let created = match row.insert(&txn).await {
        Ok(created) => created,
        // Two retries with one key at once: the first wins, the second reads it.
        Err(e) if matches!(e.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => {
            drop(txn);
            let existing = match &key {
                Some(key) => by_key(db, organization.id, key).await?,
                None => None,
            };
            return match existing {
                Some(existing) => replay(existing, &hash),
                None => Err(ApiError::Conflict("the request collided with another: try again".to_owned()).into()),
            };
        }
        Err(e) => return Err(e.into()),
    };
    let mut events = vec![record(&txn, clock, &actor, &DomainEvent::DonationRequested(change(&created, program.donor_id, None))).await?];
    let created = if program.auto_approve {
        if let Err(shortfall) = reserve(&txn, &program, organization.id, created.quantity, now).await? {
            return Err(shortfall.error(created.quantity, locale));
        }
        let mut approved: donation_request::ActiveModel = created.into();
        approved.status = Set(Status::Approved);
        approved.approved_at = Set(Some(now));
        approved.decided_at = Set(Some(now));
        approved.version = Set(2);
        approved.updated_at = Set(now);
        let approved = approved.update(&txn).await?;
        let event = DomainEvent::DonationRequestApproved(change(&approved, program.donor_id, Some(Status::Submitted)));
        events.push(record(&txn, clock, &actor, &event).await?);
        approved
    } else {
        created
    };
    txn.commit().await?;
    Ok(Written::new(created, events))
}

/// The partner whose approval of the organization is in force at `now`, if
/// any: the request is counted for it in impact reports.
async fn vetting_partner(db: &impl ConnectionTrait, organization: Uuid, now: DateTime<Utc>) -> Result<Option<Uuid>, ApiError> {
    let case = crate::validations::service::standing_of(db, &[organization], now).await?.remove(&organization);
    Ok(case.filter(|c| c.status == ValidationStatus::Approved && c.valid_until.is_some_and(|t| t > now)).and_then(|c| c.partner_id))
}

/// A step asked of a request.
#[derive(Clone, Debug)]
pub struct StepInput {
    /// The request.
    pub request: Uuid,
    /// The step.
    pub step: RequestStep,
    /// Reason codes (rejections).
    pub reasons: Vec<String>,
    /// Fulfilment details (fulfilment).
    pub fulfilment: Option<String>,
    /// The version the caller read.
    pub expected_version: Option<i32>,
}

/// Takes one step: approving, rejecting and fulfilling are the donor's
/// (its admins, its keys with `requests:write`, platform admins); cancelling
/// is the organization's members'. A request the caller may not read does
/// not exist for them.
#[tracing::instrument(skip_all, fields(step = ?input.step))]
pub async fn step<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    clock: &Clock,
    caller: &Caller,
    input: StepInput,
    locale: Locale,
) -> Result<Written<donation_request::Model>, WriteError> {
    let actor = Actor::of(caller)?;
    let not_found = || field_error(&["request"], UserErrorCode::NotFound, "no such request");
    let Some(row) = donation_request::Entity::find_by_id(input.request).one(db).await? else { return Err(not_found()) };
    let Some(program) = program::Entity::find_by_id(row.program_id).one(db).await? else { return Err(not_found()) };
    let facts = RequestFacts { organization: row.organization_id, donor: program.donor_id };
    let readable = Policy.may_read_request(caller, facts) || Policy.authorize_request_decision(caller, program.donor_id).is_ok();
    if !readable {
        return Err(not_found());
    }
    match input.step {
        RequestStep::Cancel => Policy.authorize_donation_request(caller, row.organization_id)?,
        RequestStep::Approve | RequestStep::Reject | RequestStep::Fulfil => Policy.authorize_request_decision(caller, program.donor_id)?,
    }
    let to = input.step.apply(row.status).map_err(|e| field_error(&["request"], UserErrorCode::InvalidTransition, e.to_string()))?;
    let mut errors = Errors::default();
    if input.step == RequestStep::Reject && input.reasons.is_empty() {
        errors.add(&["reasons"], UserErrorCode::Blank, "say why with at least one reason code");
    }
    if input.reasons.len() > MAX_REASONS {
        errors.add(&["reasons"], UserErrorCode::TooMany, format!("at most {MAX_REASONS} reason codes"));
    }
    for (at, reason) in input.reasons.iter().enumerate() {
        if !is_reason_code(reason) {
            errors.add(
                &["reasons", &at.to_string()],
                UserErrorCode::Invalid,
                "a reason code is 2 to 40 capital letters, digits and underscores, e.g. NOT_A_FIT",
            );
        }
    }
    let fulfilment = match input.step {
        RequestStep::Fulfil => {
            errors.check(&["fulfilment"], text::optional_paragraph(input.fulfilment.as_deref(), MAX_FULFILMENT_CHARS), text_code).flatten()
        }
        _ => None,
    };
    if input.step == RequestStep::Fulfil && fulfilment.is_none() && input.fulfilment.as_deref().is_none_or(|f| f.trim().is_empty()) {
        errors.add(&["fulfilment"], UserErrorCode::Blank, "say what was delivered: license keys, a shipment reference, ...");
    }
    errors.ok()?;
    if let Some(expected) = input.expected_version
        && expected != row.version
    {
        return Err(field_error(
            &["expectedVersion"],
            UserErrorCode::StaleVersion,
            format!("the request changed since you read it (now version {}, {}): reload it", row.version, status_name(row.status)),
        ));
    }
    let now = clock.now();
    let txn = db.begin().await?;
    if input.step == RequestStep::Approve
        && let Err(shortfall) = reserve(&txn, &program, row.organization_id, row.quantity, now).await?
    {
        return Err(shortfall.error(row.quantity, locale));
    }
    if input.step.releases(row.status) {
        release(&txn, program.id, row.quantity).await?;
    }
    let mut update = donation_request::Entity::update_many()
        .col_expr(donation_request::Column::Status, Expr::value(to.to_value()))
        .col_expr(donation_request::Column::Version, Expr::col(donation_request::Column::Version).add(1))
        .col_expr(donation_request::Column::UpdatedAt, Expr::value(now));
    match input.step {
        RequestStep::Approve => {
            update = update
                .col_expr(donation_request::Column::ApprovedAt, Expr::value(now))
                .col_expr(donation_request::Column::DecidedAt, Expr::value(now))
                .col_expr(donation_request::Column::DecidedBy, Expr::value(actor.user_id()));
        }
        RequestStep::Reject => {
            update = update
                .col_expr(donation_request::Column::Reasons, Expr::value(StringList(input.reasons.clone())))
                .col_expr(donation_request::Column::DecidedAt, Expr::value(now))
                .col_expr(donation_request::Column::DecidedBy, Expr::value(actor.user_id()));
        }
        RequestStep::Fulfil => {
            update = update
                .col_expr(donation_request::Column::Fulfilment, Expr::value(fulfilment))
                .col_expr(donation_request::Column::FulfilledAt, Expr::value(now));
        }
        RequestStep::Cancel => {}
    }
    // One step wins: the other finds the version moved and gets CONFLICT.
    let result =
        update.filter(donation_request::Column::Id.eq(row.id)).filter(donation_request::Column::Version.eq(row.version)).exec(&txn).await?;
    if result.rows_affected != 1 {
        return Err(ApiError::Conflict("someone changed this request at the same moment: reload it and try again".to_owned()).into());
    }
    let updated = donation_request::Entity::find_by_id(row.id)
        .one(&txn)
        .await?
        .ok_or_else(|| ApiError::internal(std::io::Error::other("the request vanished")))?;
    let change = change(&updated, program.donor_id, Some(row.status));
    let event = match input.step {
        RequestStep::Approve => DomainEvent::DonationRequestApproved(change),
        RequestStep::Reject => DomainEvent::DonationRequestRejected(change),
        RequestStep::Fulfil => DomainEvent::DonationRequestFulfilled(change),
        RequestStep::Cancel => DomainEvent::DonationRequestCancelled(change),
    };
    let events = vec![record(&txn, clock, &actor, &event).await?];
    txn.commit().await?;
    Ok(Written::new(updated, events))
}

/// Which requests.
#[derive(Clone, Debug, Default)]
pub struct RequestFilter {
    /// Of this organization.
    pub organization: Option<Uuid>,
    /// To this donor's programs.
    pub donor: Option<Uuid>,
    /// To this program.
    pub program: Option<Uuid>,
    /// In this status.
    pub status: Option<Status>,
}

fn filtered(filter: &RequestFilter) -> sea_orm::Select<donation_request::Entity> {
    let mut select = donation_request::Entity::find();
    if let Some(organization) = filter.organization {
        select = select.filter(donation_request::Column::OrganizationId.eq(organization));
    }
    if let Some(program) = filter.program {
        select = select.filter(donation_request::Column::ProgramId.eq(program));
    }
    if let Some(donor) = filter.donor {
        select = select.filter(
            donation_request::Column::ProgramId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(program::Column::Id)
                    .from(program::Entity)
                    .and_where(Expr::col(program::Column::DonorId).eq(donor))
                    .to_owned(),
            ),
        );
    }
    if let Some(status) = filter.status {
        select = select.filter(donation_request::Column::Status.eq(status));
    }
    select
}

/// One page of requests, newest first.
pub async fn page(
    db: &impl ConnectionTrait,
    filter: &RequestFilter,
    request: &crate::pagination::PageRequest,
) -> Result<crate::pagination::Page<donation_request::Model>, ApiError> {
    let keyset = crate::pagination::Keyset {
        tag: "donation-requests:created:desc".to_owned(),
        sort: donation_request::Column::CreatedAt,
        id: donation_request::Column::Id,
        ascending: false,
    };
    let key_of = |m: &donation_request::Model| (m.created_at.to_rfc3339(), m.id);
    let value_of = |k: &str| DateTime::parse_from_rfc3339(k).ok().map(|t| sea_orm::Value::from(t.to_utc()));
    crate::pagination::paginate(db, filtered(filter), &keyset, request, key_of, value_of).await
}

/// How many requests the filter matches.
pub async fn count(db: &impl ConnectionTrait, filter: &RequestFilter) -> Result<u64, ApiError> {
    use sea_orm::PaginatorTrait;
    Ok(filtered(filter).count(db).await?)
}

/// One request.
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<donation_request::Model>, ApiError> {
    Ok(donation_request::Entity::find_by_id(id).one(db).await?)
}
