//! `GET /donors/{donor}/requests.csv`: the requests to a donor's programs as
//! CSV, for its staff, its keys holding `requests:read` and platform admins
//! (the policy's `may_list_donor_requests`). `{donor}` is the donor's global
//! ID or its UUID. Optional query parameters: `status` (`SUBMITTED`,
//! `APPROVED`, `FULFILLED`, `REJECTED`, `CANCELLED`) and `from` / `to` (when
//! made: an RFC 3339 time, or a date: `from` counts from its start, `to`
//! through its end).
//!
//! Identified and rate-limited as `/graphql` is ([`prepare`]): 401 without
//! (or with bad) credentials, 429 over the limit, and 404 for a donor the
//! caller may not list (its existence is not revealed).
//!
//! Streamed: the rows are read in pages of [`PAGE`] in the order the
//! requests were made (keyset on the UUIDv7 id) and each page is written
//! through a [`csv::Writer`] into the body as it goes, so memory stays bounded
//! whatever the number of requests. Columns: see [`HEADER`]. Never exported:
//! the organization's note and fulfilment details (free text and secrets
//! that have no place in a spreadsheet passed around). The name and country
//! of every requesting organization are exported, HIDDEN ones too: a request
//! shares them with the donor (the policy's `may_see_requesting_organization`,
//! as `DonationRequest.organization`). Every cell that a spreadsheet would run as a formula
//! (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) is
//! prefixed with a single quote (OWASP, CSV injection). The answer says
//! `Cache-Control: private, no-store` (the security headers make it
//! `no-store`, as every answer to credentials).

use std::{collections::HashMap, sync::Arc};

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};
use bytes::Bytes;
use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use entity::{donation_request, donor, enums::DonationRequestStatus as Status, organization, program};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Deserialize;
use uuid::Uuid;

use super::request_state::status_name;
use crate::{
    app::AppState,
    auth::{OrgScope, identify::Credentials},
    domain::money::{CurrencyCode, Money},
    error::{ApiError, ErrorCode},
    graphql::{
        prepare::{Origin, Refusal, prepare},
        relay::{decode_uuid, encode_uuid},
    },
};

/// Rows read per page.
pub const PAGE: u64 = 500;

/// The columns.
pub const HEADER: [&str; 11] = [
    "request_id",
    "created_at",
    "status",
    "program",
    "organization",
    "country",
    "quantity",
    "admin_fee_total",
    "retail_value_total",
    "approved_at",
    "decided_at",
];

/// The query string.
#[derive(Deserialize)]
pub struct ExportQuery {
    status: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// What the rows are filtered by.
#[derive(Clone, Debug, Default)]
struct Filter {
    status: Option<Status>,
    from: Option<DateTime<Utc>>,
    until: Option<DateTime<Utc>>,
}

fn error(status: StatusCode, code: ErrorCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }))
}

fn not_found() -> HttpResponse {
    error(StatusCode::NOT_FOUND, ErrorCode::NotFound, "donor not found")
}

fn unavailable() -> HttpResponse {
    error(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ServiceUnavailable, "service temporarily unavailable, try again later")
}

/// A cell a spreadsheet will not run as a formula.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{cell}").into() } else { cell.into() }
}

fn parse_status(text: &str) -> Option<Status> {
    [Status::Submitted, Status::Approved, Status::Fulfilled, Status::Rejected, Status::Cancelled]
        .into_iter()
        .find(|s| status_name(*s).eq_ignore_ascii_case(text.trim()))
}

/// An RFC 3339 time, or a date: its start (or, for the end of a period, the
/// start of the next day, exclusive).
fn parse_time(text: &str, end: bool) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(text.trim()) {
        return Some(t.with_timezone(&Utc) + chrono::Duration::nanoseconds(i64::from(end)));
    }
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let date = if end { date.succ_opt()? } else { date };
    Some(date.and_hms_opt(0, 0, 0)?.and_utc())
}

fn parse_filter(query: ExportQuery) -> Result<Filter, String> {
    let status = match query.status.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(parse_status(s).ok_or_else(|| format!("unknown status `{}`", s.chars().take(32).collect::<String>()))?),
    };
    let time = |text: Option<String>, end: bool, name: &str| match text.as_deref().filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(t) => parse_time(t, end).map(Some).ok_or_else(|| format!("`{name}` is neither a date (2026-01-31) nor an RFC 3339 time")),
    };
    Ok(Filter { status, from: time(query.from, false, "from")?, until: time(query.to, true, "to")? })
}

/// The donor's id from its global ID or UUID.
fn donor_id(text: &str) -> Option<Uuid> {
    Uuid::parse_str(text).ok().or_else(|| decode_uuid(text, crate::donors::types::Donor::KIND).ok())
}

/// What a row needs of its program.
struct ProgramFacts {
    slug: String,
    currency: Option<CurrencyCode>,
    currency_text: String,
    unit_value: i64,
    admin_fee: i64,
}

fn money(amount: Option<i64>, program: &ProgramFacts) -> String {
    match (amount, program.currency) {
        (Some(amount), Some(currency)) => Money { amount, currency }.to_major_string(),
        (Some(amount), None) => format!("{amount} {}", program.currency_text),
        (None, _) => String::new(),
    }
}

fn time(t: Option<DateTime<Utc>>) -> String {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true)).unwrap_or_default()
}

/// One page of rows after `after`, written as CSV, and the last id.
async fn page(
    db: &DatabaseConnection,
    scope: &OrgScope,
    programs: &HashMap<Uuid, ProgramFacts>,
    filter: &Filter,
    after: Option<Uuid>,
) -> Result<(Vec<u8>, Option<Uuid>), ApiError> {
    let mut query = donation_request::Entity::find()
        .filter(donation_request::Column::ProgramId.is_in(programs.keys().copied()))
        .order_by_asc(donation_request::Column::Id)
        .limit(PAGE);
    if let Some(after) = after {
        query = query.filter(donation_request::Column::Id.gt(after));
    }
    if let Some(status) = filter.status {
        query = query.filter(donation_request::Column::Status.eq(status));
    }
    if let Some(from) = filter.from {
        query = query.filter(donation_request::Column::CreatedAt.gte(from));
    }
    if let Some(until) = filter.until {
        query = query.filter(donation_request::Column::CreatedAt.lt(until));
    }
    let rows = query.all(db).await?;
    let organization_ids: Vec<Uuid> = rows.iter().map(|r| r.organization_id).collect();
    let organizations: HashMap<Uuid, organization::Model> =
        crate::organizations::service::by_ids(db, scope, &organization_ids).await?.into_iter().map(|o| (o.id, o)).collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    for row in &rows {
        let Some(program) = programs.get(&row.program_id) else { continue };
        let organization = organizations.get(&row.organization_id);
        let cells = [
            encode_uuid(super::request_types::DonationRequest::KIND, row.id).to_string(),
            time(Some(row.created_at)),
            status_name(row.status).to_owned(),
            program.slug.clone(),
            organization.map(|o| o.display_name.clone()).unwrap_or_default(),
            organization.map(|o| o.country_code.clone()).unwrap_or_default(),
            row.quantity.to_string(),
            money(super::requests::times(program.admin_fee, row.quantity).ok(), program),
            money(super::requests::times(program.unit_value, row.quantity).ok(), program),
            time(row.approved_at),
            time(row.decided_at),
        ];
        writer.write_record(cells.iter().map(|c| neutralise(c).into_owned())).map_err(|e| ApiError::Internal(Box::new(e)))?;
    }
    let bytes = writer.into_inner().map_err(|e| ApiError::Internal(Box::new(e.into_error())))?;
    let last = if rows.len() as u64 == PAGE { rows.last().map(|r| r.id) } else { None };
    Ok((bytes, last))
}

/// Where the stream stands.
enum Cursor {
    Header,
    After(Option<Uuid>),
    Done,
}

/// The handler.
#[tracing::instrument(skip_all, name = "requests_export")]
pub async fn requests(
    req: HttpRequest,
    path: web::Path<String>,
    query: web::Query<ExportQuery>,
    state: web::Data<AppState>,
) -> HttpResponse {
    let header_text = |name: &str| req.headers().get(name).map(|v| v.to_str().ok());
    let credentials = Credentials { authorization: header_text(header::AUTHORIZATION.as_str()), api_key: header_text("x-api-key") };
    let origin = Origin { peer: req.peer_addr().map(|a| a.ip()), headers: req.headers() };
    let prepared = match prepare(&state, credentials, origin).await {
        Ok(prepared) => prepared,
        Err(Refusal::Unauthenticated(message)) => return error(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, &message),
        Err(Refusal::RateLimited(decision)) => {
            let mut response = error(StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited, "too many requests");
            if let Ok(v) = header::HeaderValue::from_str(&decision.reset_secs.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return response;
        }
        Err(Refusal::Unavailable) => return unavailable(),
    };
    let caller = &prepared.context.caller;
    if matches!(caller, crate::auth::Caller::Anonymous) {
        let mut response = error(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "sign in, or send an API key, to export requests");
        response.headers_mut().insert(header::WWW_AUTHENTICATE, header::HeaderValue::from_static("Bearer"));
        return response;
    }
    let filter = match parse_filter(query.into_inner()) {
        Ok(filter) => filter,
        Err(message) => return error(StatusCode::BAD_REQUEST, ErrorCode::BadUserInput, &message),
    };
    let Some(donor_id) = donor_id(&path.into_inner()) else { return not_found() };
    if !state.policy.may_list_donor_requests(caller, donor_id) {
        return not_found();
    }
    let db = state.db.clone();
    let donor = match donor::Entity::find_by_id(donor_id).one(&db).await {
        Ok(Some(donor)) => donor,
        Ok(None) => return not_found(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the donor");
            return unavailable();
        }
    };
    let programs: HashMap<Uuid, ProgramFacts> = match program::Entity::find().filter(program::Column::DonorId.eq(donor_id)).all(&db).await {
        Ok(programs) => programs
            .into_iter()
            .map(|p| {
                let facts = ProgramFacts {
                    currency: CurrencyCode::parse(&p.currency).ok(),
                    currency_text: p.currency,
                    slug: p.slug,
                    unit_value: p.unit_value,
                    admin_fee: p.admin_fee,
                };
                (p.id, facts)
            })
            .collect(),
        Err(e) => {
            tracing::error!(error = %e, "cannot read the donor's programs");
            return unavailable();
        }
    };
    // Whoever may list the donor's requests may see who made them.
    let scope = Arc::new(OrgScope::all());
    let shared = Arc::new((db, scope, programs, filter));
    let body = futures_util::stream::unfold(Cursor::Header, move |cursor| {
        let shared = Arc::clone(&shared);
        async move {
            let (db, scope, programs, filter) = &*shared;
            match cursor {
                Cursor::Done => None,
                Cursor::Header => {
                    let mut writer = csv::Writer::from_writer(Vec::new());
                    let written = writer
                        .write_record(HEADER)
                        .map_err(|e| e.to_string())
                        .and_then(|()| writer.into_inner().map_err(|e| e.to_string()));
                    match written {
                        Ok(bytes) => Some((Ok(Bytes::from(bytes)), Cursor::After(None))),
                        Err(e) => Some((Err(actix_web::error::ErrorInternalServerError(e)), Cursor::Done)),
                    }
                }
                Cursor::After(after) => match page(db, scope, programs, filter, after).await {
                    Ok((bytes, Some(last))) => Some((Ok(Bytes::from(bytes)), Cursor::After(Some(last)))),
                    Ok((bytes, None)) => Some((Ok(Bytes::from(bytes)), Cursor::Done)),
                    Err(e) => {
                        // The status is sent: the download ends short, as a broken one.
                        tracing::error!(error = %e, "requests export failed mid-stream");
                        Some((Err(actix_web::error::ErrorInternalServerError("export failed")), Cursor::Done))
                    }
                },
            }
        }
    });
    let file_name: String = donor.slug.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect();
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, format!("attachment; filename=\"requests-{file_name}.csv\"")))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised() {
        for (cell, expected) in [
            ("=1+1", "'=1+1"),
            ("+SUM(A1)", "'+SUM(A1)"),
            ("-2", "'-2"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("Kibera Youth", "Kibera Youth"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(cell), expected, "{cell:?}");
        }
    }

    #[test]
    fn filters_parse_dates_times_and_statuses() {
        let filter = parse_filter(ExportQuery {
            status: Some("fulfilled".to_owned()),
            from: Some("2026-01-01".to_owned()),
            to: Some("2026-01-31".to_owned()),
        })
        .expect("filter");
        assert_eq!(filter.status, Some(Status::Fulfilled));
        assert_eq!(filter.from.map(|t| t.to_rfc3339()), Some("2026-01-01T00:00:00+00:00".to_owned()));
        assert_eq!(filter.until.map(|t| t.to_rfc3339()), Some("2026-02-01T00:00:00+00:00".to_owned()));
        assert!(parse_filter(ExportQuery { status: Some("LOST".to_owned()), from: None, to: None }).is_err());
        assert!(parse_filter(ExportQuery { status: None, from: Some("yesterday".to_owned()), to: None }).is_err());
    }
}
