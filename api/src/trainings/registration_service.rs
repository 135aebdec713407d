//! Reads of registrations: the caller's own per session (the online link,
//! `viewerRegistration`), waitlist positions, a session's list for its
//! managers, a person's registrations and certificates, and a certificate's
//! public facts by its code. Each list is keyset-paginated and each batch is
//! a constant number of statements. No GraphQL types.

use std::collections::HashMap;

use chrono::NaiveDate;
use chrono_tz::Tz;
use entity::{
    enums::{TrainingAttendance, TrainingRegistrationStatus as Status},
    training, training_registration as registration, training_session,
};
use rand::RngCore;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Select, Value};
use uuid::Uuid;

use crate::{
    error::ApiError,
    pagination::{Keyset, Page, PageRequest, paginate, time_key},
};

/// Crockford's base32 alphabet (no I, L, O, U: nothing to misread).
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Characters of a certificate code: 128 random bits in base32.
pub const CODE_CHARS: usize = 26;

/// A new certificate code: 128 bits from the operating system's random
/// source, in Crockford's base32 (26 characters), derived from nothing else.
pub fn new_certificate_code() -> String {
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    certificate_code_of(u128::from_be_bytes(bytes))
}

/// The certificate code of 128 bits, in Crockford's base32 (26 characters):
/// the service draws the bits from the operating system, the benchmark's
/// seed from its own stream.
pub fn certificate_code_of(bits: u128) -> String {
    let mut value = bits;
    let mut out = vec![b'0'; CODE_CHARS];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(value & 31) as usize];
        value >>= 5;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A code as typed (any case, with spaces or hyphens, `O` for `0`, `I`/`L`
/// for `1`) in its stored form; None when it cannot be a code.
pub fn normalize_code(typed: &str) -> Option<String> {
    let mut out = String::with_capacity(CODE_CHARS);
    for c in typed.chars().filter(|c| !matches!(c, ' ' | '-')) {
        let c = match c.to_ascii_uppercase() {
            'O' => '0',
            'I' | 'L' => '1',
            c => c,
        };
        if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || out.len() == CODE_CHARS {
            return None;
        }
        out.push(c);
    }
    (out.len() == CODE_CHARS).then_some(out)
}

/// A registration by id, whatever its status (writes ask the policy).
pub async fn by_id(db: &impl ConnectionTrait, id: Uuid) -> Result<Option<registration::Model>, ApiError> {
    Ok(registration::Entity::find_by_id(id).one(db).await?)
}

/// Registrations by id with their training's partner (what the policy
/// asks to show them): three statements, whatever their number.
pub async fn with_partners(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<Vec<(registration::Model, Uuid)>, ApiError> {
    let rows = registration::Entity::find().filter(crate::db::id_in(db, registration::Column::Id, ids)).all(db).await?;
    let session_ids: Vec<Uuid> = rows.iter().map(|r| r.session_id).collect();
    let sessions: HashMap<Uuid, Uuid> = training_session::Entity::find()
        .filter(crate::db::id_in(db, training_session::Column::Id, &session_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.training_id))
        .collect();
    let training_ids: Vec<Uuid> = sessions.values().copied().collect();
    let partners: HashMap<Uuid, Uuid> = training::Entity::find()
        .filter(crate::db::id_in(db, training::Column::Id, &training_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t.partner_id))
        .collect();
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let partner = sessions.get(&r.session_id).and_then(|t| partners.get(t)).copied()?;
            Some((r, partner))
        })
        .collect())
}

/// The registration in force (REGISTERED or WAITLISTED) of `user` for `session`.
pub async fn active_of(db: &impl ConnectionTrait, session: Uuid, user: Uuid) -> Result<Option<registration::Model>, ApiError> {
    Ok(registration::Entity::find()
        .filter(registration::Column::SessionId.eq(session))
        .filter(registration::Column::UserId.eq(user))
        .filter(registration::Column::Status.ne(Status::Cancelled))
        .one(db)
        .await?)
}

/// The registrations in force of `user` for each of `sessions`: one statement.
pub async fn active_by_session(
    db: &impl ConnectionTrait,
    user: Uuid,
    sessions: &[Uuid],
) -> Result<HashMap<Uuid, registration::Model>, ApiError> {
    let rows = registration::Entity::find()
        .filter(registration::Column::UserId.eq(user))
        .filter(crate::db::id_in(db, registration::Column::SessionId, sessions))
        .filter(registration::Column::Status.ne(Status::Cancelled))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|r| (r.session_id, r)).collect())
}

/// The place (1, 2, ...) on its session's waitlist of each WAITLISTED
/// registration among `ids`: two statements, whatever their number.
pub async fn waitlist_positions(db: &impl ConnectionTrait, ids: &[Uuid]) -> Result<HashMap<Uuid, i32>, ApiError> {
    let asked = registration::Entity::find()
        .filter(crate::db::id_in(db, registration::Column::Id, ids))
        .filter(registration::Column::Status.eq(Status::Waitlisted))
        .all(db)
        .await?;
    let mut sessions: Vec<Uuid> = asked.iter().map(|r| r.session_id).collect();
    sessions.sort();
    sessions.dedup();
    if sessions.is_empty() {
        return Ok(HashMap::new());
    }
    let waiting = registration::Entity::find()
        .filter(crate::db::id_in(db, registration::Column::SessionId, &sessions))
        .filter(registration::Column::Status.eq(Status::Waitlisted))
        .order_by_asc(registration::Column::SessionId)
        .order_by_asc(registration::Column::Sequence)
        .all(db)
        .await?;
    let mut place: HashMap<Uuid, i32> = HashMap::new();
    let mut positions = HashMap::new();
    for row in waiting {
        let at = place.entry(row.session_id).or_insert(0);
        *at += 1;
        positions.insert(row.id, *at);
    }
    positions.retain(|id, _| ids.contains(id));
    Ok(positions)
}

fn int_value(key: &str) -> Option<Value> {
    key.parse::<i32>().ok().map(Value::from)
}

fn of_session(session: Uuid, status: Option<Status>) -> Select<registration::Entity> {
    let mut select = registration::Entity::find().filter(registration::Column::SessionId.eq(session));
    if let Some(status) = status {
        select = select.filter(registration::Column::Status.eq(status));
    }
    select
}

/// One page of a session's registrations (in `status` when given), in the
/// order the session accepted them.
pub async fn session_page(
    db: &impl ConnectionTrait,
    session: Uuid,
    status: Option<Status>,
    request: &PageRequest,
) -> Result<Page<registration::Model>, ApiError> {
    let keyset = Keyset {
        tag: "session-registrations:sequence:asc".to_owned(),
        sort: registration::Column::Sequence,
        id: registration::Column::Id,
        ascending: true,
    };
    let key_of = |m: &registration::Model| (m.sequence.to_string(), m.id);
    paginate(db, of_session(session, status), &keyset, request, key_of, int_value).await
}

/// How many registrations a session has (in `status` when given).
pub async fn session_count(db: &impl ConnectionTrait, session: Uuid, status: Option<Status>) -> Result<u64, ApiError> {
    Ok(of_session(session, status).count(db).await?)
}

fn of_user(user: Uuid) -> Select<registration::Entity> {
    registration::Entity::find().filter(registration::Column::UserId.eq(user))
}

/// One page of a person's registrations (cancelled ones included), newest first.
pub async fn user_page(db: &impl ConnectionTrait, user: Uuid, request: &PageRequest) -> Result<Page<registration::Model>, ApiError> {
    let keyset = Keyset {
        tag: "user-registrations:created:desc".to_owned(),
        sort: registration::Column::CreatedAt,
        id: registration::Column::Id,
        ascending: false,
    };
    let key_of = |m: &registration::Model| (m.created_at.to_rfc3339(), m.id);
    paginate(db, of_user(user), &keyset, request, key_of, time_key).await
}

/// How many registrations a person has.
pub async fn user_count(db: &impl ConnectionTrait, user: Uuid) -> Result<u64, ApiError> {
    Ok(of_user(user).count(db).await?)
}

/// The registrations that hold a certificate in force: issued, and the
/// attendance still ATTENDED.
fn certified() -> Select<registration::Entity> {
    registration::Entity::find()
        .filter(registration::Column::CertificateCode.is_not_null())
        .filter(registration::Column::Attendance.eq(TrainingAttendance::Attended))
        .filter(registration::Column::Status.eq(Status::Registered))
}

/// One page of a person's certificates, newest first.
pub async fn certificate_page(db: &impl ConnectionTrait, user: Uuid, request: &PageRequest) -> Result<Page<registration::Model>, ApiError> {
    let keyset = Keyset {
        tag: "user-certificates:issued:desc".to_owned(),
        sort: registration::Column::CertificateIssuedAt,
        id: registration::Column::Id,
        ascending: false,
    };
    let key_of = |m: &registration::Model| (m.certificate_issued_at.unwrap_or(m.created_at).to_rfc3339(), m.id);
    paginate(db, certified().filter(registration::Column::UserId.eq(user)), &keyset, request, key_of, time_key).await
}

/// How many certificates a person holds.
pub async fn certificate_count(db: &impl ConnectionTrait, user: Uuid) -> Result<u64, ApiError> {
    Ok(certified().filter(registration::Column::UserId.eq(user)).count(db).await?)
}

/// What a certificate states, and nothing more: who, which training, when, by whom.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateFacts {
    /// The verification code.
    pub code: String,
    /// The person's name.
    pub holder_name: String,
    /// The training's title.
    pub training_title: String,
    /// The session's date, in its time zone.
    pub session_date: NaiveDate,
    /// The organizing partner's name.
    pub partner_name: String,
    /// The session's IANA time zone (of its date): printed on the PDF, not
    /// answered by `certificate(code:)`.
    pub time_zone: String,
}

/// The facts of each certified registration among `rows`, in their order:
/// four statements, whatever their number.
pub async fn certificates_of(db: &impl ConnectionTrait, rows: &[registration::Model]) -> Result<Vec<CertificateFacts>, ApiError> {
    let ids = |f: fn(&registration::Model) -> Uuid| rows.iter().map(f).collect::<Vec<_>>();
    let sessions: HashMap<Uuid, training_session::Model> = training_session::Entity::find()
        .filter(crate::db::id_in(db, training_session::Column::Id, &ids(|r| r.session_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let training_ids: Vec<Uuid> = sessions.values().map(|s| s.training_id).collect();
    let trainings: HashMap<Uuid, training::Model> = training::Entity::find()
        .filter(crate::db::id_in(db, training::Column::Id, &training_ids))
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let partner_ids: Vec<Uuid> = trainings.values().map(|t| t.partner_id).collect();
    let partners: HashMap<Uuid, String> =
        crate::partners::service::by_ids(db, &partner_ids).await?.into_iter().map(|p| (p.id, p.name)).collect();
    let users: HashMap<Uuid, String> =
        crate::accounts::service::by_ids(db, &ids(|r| r.user_id)).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(code), Some(TrainingAttendance::Attended)) = (&row.certificate_code, row.attendance) else { continue };
        let Some(session) = sessions.get(&row.session_id) else { continue };
        let Some(training) = trainings.get(&session.training_id) else { continue };
        let (Some(partner), Some(holder)) = (partners.get(&training.partner_id), users.get(&row.user_id)) else { continue };
        let date = match session.time_zone.parse::<Tz>() {
            Ok(tz) => session.starts_at.with_timezone(&tz).date_naive(),
            Err(_) => session.starts_at.date_naive(),
        };
        out.push(CertificateFacts {
            code: code.clone(),
            holder_name: holder.clone(),
            training_title: training.title.clone(),
            session_date: date,
            partner_name: partner.clone(),
            time_zone: session.time_zone.clone(),
        });
    }
    Ok(out)
}

/// The certificate with this code, if one is in force: none for a code
/// that is malformed, unknown, or of a registration no longer ATTENDED
/// (all answered alike).
pub async fn certificate(db: &impl ConnectionTrait, typed: &str) -> Result<Option<CertificateFacts>, ApiError> {
    let Some(code) = normalize_code(typed) else { return Ok(None) };
    let Some(row) = certified().filter(registration::Column::CertificateCode.eq(code)).one(db).await? else { return Ok(None) };
    Ok(certificates_of(db, &[row]).await?.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn certificate_codes_are_128_random_bits_in_base32_and_typed_forms_normalize() {
        let code = new_certificate_code();
        assert_eq!(code.len(), CODE_CHARS);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        // The first character carries the top 3 bits of 128 (26 * 5 = 130).
        assert!(code.starts_with(['0', '1', '2', '3', '4', '5', '6', '7']), "{code}");
        assert_ne!(code, new_certificate_code());
        assert_eq!(normalize_code(&code), Some(code.clone()));
        let typed = format!(" {}-{} ", code[..13].to_ascii_lowercase(), &code[13..]);
        assert_eq!(normalize_code(&typed), Some(code.clone()));
        assert_eq!(normalize_code("0O1IL"), None, "too short");
        assert_eq!(normalize_code(&"o".repeat(26)), Some("0".repeat(26)), "O reads as 0");
        assert_eq!(normalize_code(&"U".repeat(26)), None, "not in the alphabet");
        assert_eq!(normalize_code(&"0".repeat(27)), None, "too long");
        assert_eq!(normalize_code(&"é".repeat(26)), None);
    }
}
