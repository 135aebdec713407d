//! `GET /evidence/{id}?token=...`: an evidence document, for the holder of a
//! signed link (`ValidationEvidence.downloadUrl`). The link names the user and
//! session it was made for; the policy is asked again with that user's roles
//! as they are now, and the download is written to the audit log before the
//! bytes leave. Glue only: the rules are in [`super::evidence::download`].

use actix_web::{
    HttpResponse,
    http::{StatusCode, header},
    web,
};
use serde::Deserialize;
use uuid::Uuid;

use super::{evidence, evidence_types::download_resource};
use crate::{
    app::AppState,
    auth::identify::{IdentifyError, identify_link},
    error::{ApiError, ErrorCode},
};

/// The query string of a download.
#[derive(Deserialize)]
pub struct DownloadQuery {
    token: Option<String>,
}

fn error(status: StatusCode, code: ErrorCode, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(serde_json::json!({ "errors": [{ "message": message, "extensions": { "code": code.as_str() } }] }))
}

fn not_found() -> HttpResponse {
    error(StatusCode::NOT_FOUND, ErrorCode::NotFound, "evidence document not found")
}

/// `Content-Disposition: attachment` with the file name in both forms (RFC
/// 6266): an ASCII fallback without quotes or controls, and the UTF-8 name
/// percent-encoded.
fn disposition(file_name: &str) -> String {
    let ascii: String =
        file_name.chars().map(|c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' { c } else { '_' }).collect();
    let encoded: String = file_name
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect();
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The handler.
#[tracing::instrument(skip_all, name = "evidence_download")]
pub async fn evidence(path: web::Path<String>, query: web::Query<DownloadQuery>, state: web::Data<AppState>) -> HttpResponse {
    let Ok(id) = Uuid::parse_str(&path.into_inner()) else { return not_found() };
    let Some(token) = query.into_inner().token.filter(|t| !t.is_empty()) else {
        return error(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, "this link has no token: take the download link from the API");
    };
    let caller = match identify_link(state.directory.as_ref(), &state.sessions, &token, &download_resource(id)).await {
        Ok(caller) => caller,
        Err(IdentifyError::Refused(message)) => return error(StatusCode::UNAUTHORIZED, ErrorCode::Unauthenticated, &message),
        Err(IdentifyError::Unavailable(e)) => {
            tracing::error!(error = %e, "cannot check a download link");
            return error(
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceUnavailable,
                "service temporarily unavailable, try again later",
            );
        }
    };
    match evidence::download(&state.db, &state.clock, &caller, &state.evidence, id).await {
        Ok(found) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, found.evidence.media_type.as_str()))
            .insert_header((header::CONTENT_DISPOSITION, disposition(&found.evidence.file_name)))
            .insert_header((header::CACHE_CONTROL, "private, no-store"))
            .insert_header((header::ETAG, format!("\"{}\"", found.evidence.sha256)))
            .body(found.bytes),
        Err(ApiError::NotFound(_)) => not_found(),
        Err(e) => {
            tracing::error!(error = %e, "evidence download failed");
            error(StatusCode::SERVICE_UNAVAILABLE, ErrorCode::ServiceUnavailable, "service temporarily unavailable, try again later")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_quoted_safely_in_both_forms() {
        assert_eq!(disposition("statutes.pdf"), "attachment; filename=\"statutes.pdf\"; filename*=UTF-8''statutes.pdf");
        assert_eq!(
            disposition("rapport \"final\" é.pdf"),
            "attachment; filename=\"rapport _final_ _.pdf\"; filename*=UTF-8''rapport%20%22final%22%20%C3%A9.pdf"
        );
    }
}
