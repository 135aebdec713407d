//! `GET /certificates/{code}.pdf`: a certificate as a PDF made by the
//! service ([`certificate_pdf`]), for its holder to keep, print or send.
//! Public, like `certificate(code:)`: the code is the secret, and the PDF
//! states what that query answers (name, training, date, partner) and
//! nothing more. A malformed, unknown or withdrawn code is 404, all alike;
//! requests are rate-limited per client address as anonymous `/graphql`
//! ones, so codes cannot be guessed faster here than there.

use actix_web::{
    HttpRequest, HttpResponse,
    http::{StatusCode, header},
    web,
};

use super::{
    calendar_http::{error, not_found, refused, unavailable},
    certificate_pdf, registration_service,
};
use crate::{app::AppState, error::ErrorCode};

/// The path of a certificate's PDF, relative to the API's origin.
pub fn pdf_path(code: &str) -> String {
    format!("/certificates/{code}.pdf")
}

/// `GET /certificates/{code}.pdf`.
#[tracing::instrument(skip_all, name = "certificate_pdf")]
pub async fn pdf(req: HttpRequest, path: web::Path<String>, state: web::Data<AppState>) -> HttpResponse {
    if let Some(answer) = refused(&req, &state).await {
        return answer;
    }
    let typed = path.into_inner();
    let facts = match registration_service::certificate(&state.db, &typed).await {
        Ok(Some(facts)) => facts,
        Ok(None) => return not_found("certificate not found"),
        Err(e) => {
            tracing::error!(error = %crate::error::cause_chain(&e), "cannot read a certificate");
            return unavailable();
        }
    };
    let printed = certificate_pdf::CertificateFacts {
        person_name: facts.holder_name,
        training_title: facts.training_title,
        session_date: facts.session_date,
        time_zone: facts.time_zone,
        partner_name: facts.partner_name,
        verify_url: format!("{} (or certificate(code:) in the API)", pdf_path(&facts.code)),
        code: facts.code.clone(),
    };
    match certificate_pdf::render(&printed) {
        Ok(bytes) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, "application/pdf"))
            .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"certificate-{}.pdf\"", facts.code)))
            .insert_header((header::CACHE_CONTROL, "private, max-age=300"))
            .insert_header((header::HeaderName::from_static("x-robots-tag"), header::HeaderValue::from_static("noindex")))
            .body(bytes),
        Err(e) => {
            tracing::error!(error = %e, "cannot render a certificate");
            error(StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::InternalServerError, "the certificate could not be made")
        }
    }
}
